/* main.c — roam-mip4: one daemon, three roles (mip4.ha, mip4.fa, mip4.mn),
 * chosen by the conf file the harness writes.
 *	roam-mip4 --conf FILE [--ctl PATH] [-d]
 */
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include "counters.h"
#include "ctl.h"
#include "daemon.h"
#include "log.h"

struct mip4d D;

static const struct {
	const char *role;
	int (*start)(void);
	void (*stop)(void);
} mip4_roles[] = {
	{ "ha", ha_daemon_start, ha_daemon_stop },
	{ "fa", fa_daemon_start, fa_daemon_stop },
	{ "mn", mn_daemon_start, mn_daemon_stop },
};

static int ctl_status(FILE *out, const char *args, void *arg)
{
	fprintf(out, "node %s\nrole mip4.%s\n", D.conf.node, D.cfg.role);
	if (!strcmp(D.cfg.role, "mn")) {
		mn_print(&D.mn, out);
	} else {
		int n = 0;
		if (!strcmp(D.cfg.role, "ha")) {
			for (int i = 0; i < D.ha.n; i++)
				n += D.ha.b[i]->active;
			fprintf(out, "bindings %d\n", n);
		} else {
			for (int i = 0; i < D.fa.n; i++)
				n += D.fa.v[i]->active;
			fprintf(out, "visitors %d\ncare_of %s\n", n, mip4_ntoa(D.cfg.fa_coa));
		}
		fprintf(out, "adv_seq %u\n", D.adv_seq);
	}
	return 0;
}

static int ctl_bindings(FILE *out, const char *args, void *arg)
{
	if (strcmp(D.cfg.role, "ha"))
		return -1;
	ha_print(&D.ha, out);
	return 0;
}

static int ctl_visitors(FILE *out, const char *args, void *arg)
{
	if (strcmp(D.cfg.role, "fa"))
		return -1;
	fa_print(&D.fa, out);
	return 0;
}

static int ctl_counters(FILE *out, const char *args, void *arg)
{
	counters_print(out, mip4_ctr_names, mip4_ctr, C__N);
	for (int c = 0; c < 256; c++)
		if (mip4_code_ctr[c])
			fprintf(out, "code_%d %llu\n", c, (unsigned long long)mip4_code_ctr[c]);
	return 0;
}

static void on_signal(int sig, void *arg)
{
	log_info("signal %d: stopping", sig);
	ev_stop();
}

static void usage(void)
{
	fprintf(stderr, "usage: roam-mip4 --conf FILE [--ctl PATH] [-d]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "conf", required_argument, NULL, 'c' },
		{ "ctl", required_argument, NULL, 's' },
		{ "debug", no_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	const char *conf = NULL, *ctl = NULL;
	char err[512];
	int o, debug = 0, rc;
	size_t r;

	while ((o = getopt_long(argc, argv, "c:s:d", opts, NULL)) != -1) {
		switch (o) {
		case 'c': conf = optarg; break;
		case 's': ctl = optarg; break;
		case 'd': debug = 1; break;
		default: usage();
		}
	}
	if (!conf || optind != argc)
		usage();
	log_init("mip4", debug);
	if (conf_load(conf, &D.conf, err, sizeof(err)) < 0 ||
	    mip4_cfg_load(&D.conf, &D.cfg, err, sizeof(err)) < 0) {
		log_warnx("%s", err);
		return 2;
	}
	log_init(D.conf.node[0] ? D.conf.node : "mip4", debug || D.cfg.verbose);
	if (ev_init() < 0)
		fatal("epoll_create1");
	signal(SIGPIPE, SIG_IGN);
	if (ev_signal(SIGTERM, on_signal, NULL) < 0 || ev_signal(SIGINT, on_signal, NULL) < 0)
		fatal("signalfd");
	ctl_register("status", ctl_status, NULL);
	ctl_register("bindings", ctl_bindings, NULL);
	ctl_register("visitors", ctl_visitors, NULL);
	ctl_register("counters", ctl_counters, NULL);
	if (ctl && ctl_open(ctl) < 0)
		fatal("control socket %s", ctl);
	for (r = 0; r < sizeof(mip4_roles) / sizeof(mip4_roles[0]); r++)
		if (!strcmp(mip4_roles[r].role, D.cfg.role))
			break;
	if (r == sizeof(mip4_roles) / sizeof(mip4_roles[0]))
		fatalx("role %s: no such role", D.cfg.role);
	if (mip4_roles[r].start() < 0) {
		log_warnx("mip4.%s: could not start", D.cfg.role);
		ctl_close();
		return 3;
	}
	rc = ev_run();
	mip4_roles[r].stop();
	ctl_close();
	return rc < 0 ? 1 : 0;
}
