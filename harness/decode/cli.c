/* cli.c — `roam decode FILE.pcap [--fields a,b,c]`: one line per frame,
 *
 *	<number> <time> <verdict>[ at=<field> why="<reason>"] name=value ...
 *
 * Layer spans ("mh", "ip6", ...) are printed only when asked for by --fields.
 * Exit status: 0 the file was read to its end, 2 bad usage or unreadable file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "decode.h"

struct cli_sel {
	uint16_t id;
	uint8_t depth;
};

static int cli_usage(void)
{
	fprintf(stderr, "usage: roam decode FILE.pcap [--fields name,name,...]\n");
	return 2;
}

/* Parse "a,b,c" into sel[]; returns the count or -1 (message printed). */
static int cli_parse_fields(char *list, struct cli_sel *sel, int max)
{
	int n = 0;

	for (char *save = NULL, *tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		unsigned depth;
		int id = dec_field_lookup(tok, &depth);
		if (id < 0) {
			fprintf(stderr, "roam decode: unknown field \"%s\" (see docs/decoders.md)\n", tok);
			return -1;
		}
		if (n == max) {
			fprintf(stderr, "roam decode: more than %d fields asked for\n", max);
			return -1;
		}
		sel[n].id = (uint16_t)id;
		sel[n].depth = (uint8_t)depth;
		n++;
	}
	return n;
}

static void cli_print_field(const struct dec_field *f, FILE *out)
{
	char name[128], val[2048];

	fprintf(out, " %s=%s", dec_full_name(f, name, sizeof name),
		dec_value_text(f, val, sizeof val));
}

static void cli_print(const struct dec_record *rec, const struct cli_sel *sel, int nsel, FILE *out)
{
	unsigned long long s = rec->ts_ns / 1000000000u, frac = rec->ts_ns % 1000000000u;

	if (rec->ts_nano)
		fprintf(out, "%llu %llu.%09llu %s", (unsigned long long)rec->frame, s, frac,
			dec_verdict_name(rec->verdict));
	else
		fprintf(out, "%llu %llu.%06llu %s", (unsigned long long)rec->frame, s, frac / 1000,
			dec_verdict_name(rec->verdict));
	if (rec->verdict != DEC_OK) {
		struct dec_field v = { .id = rec->vfield, .depth = rec->vdepth };
		char name[128];
		fprintf(out, " at=%s why=\"%s\"", dec_full_name(&v, name, sizeof name), rec->reason);
	}
	if (nsel == 0) {
		for (unsigned i = 0; i < rec->n; i++)
			if (dec_field_type(rec->f[i].id) != DEC_T_L)
				cli_print_field(&rec->f[i], out);
	} else {
		for (int k = 0; k < nsel; k++)
			for (const struct dec_field *f = dec_get(rec, sel[k].id, sel[k].depth); f;
			     f = dec_next(rec, f))
				cli_print_field(f, out);
	}
	if (rec->dropped)
		fprintf(out, " dropped=%u", rec->dropped);
	fputc('\n', out);
}

int decode_cli(int argc, char **argv)
{
	const char *path = NULL;
	char *fields = NULL;
	struct cli_sel sel[64];
	int nsel = 0, rc;
	char err[512];

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--fields") == 0 && i + 1 < argc)
			fields = argv[++i];
		else if (strncmp(argv[i], "--fields=", 9) == 0)
			fields = argv[i] + 9;
		else if (argv[i][0] == '-' && argv[i][1])
			return cli_usage();
		else if (!path)
			path = argv[i];
		else
			return cli_usage();
	}
	if (!path)
		return cli_usage();
	if (fields) {
		char *copy = strdup(fields);
		if (!copy) {
			perror("roam decode: strdup");
			return 2;
		}
		nsel = cli_parse_fields(copy, sel, (int)(sizeof sel / sizeof *sel));
		free(copy);
		if (nsel < 0)
			return 2;
	}
	struct dec_pcap *pc = dec_pcap_open(path, err, sizeof err);
	if (!pc) {
		fprintf(stderr, "roam decode: %s\n", err);
		return 2;
	}
	struct dec_record *rec = malloc(sizeof *rec);
	if (!rec) {
		perror("roam decode: malloc");
		dec_pcap_close(pc);
		return 2;
	}
	while ((rc = dec_pcap_next(pc, rec)) > 0)
		cli_print(rec, sel, nsel, stdout);
	if (rc < 0)
		fprintf(stderr, "roam decode: %s\n", dec_pcap_error(pc));
	else if (dec_pcap_warning(pc))
		fprintf(stderr, "roam decode: warning: %s\n", dec_pcap_warning(pc));
	free(rec);
	dec_pcap_close(pc);
	fflush(stdout);
	return rc < 0 ? 2 : 0;
}
