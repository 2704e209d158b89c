/* check.h — the conformance engine: captures of a run folder checked
 * against Lua rules, measurements, reports and sequence charts.
 * Exit codes of all three: 0 all pass, 1 a rule failed, 2 bad input
 * (missing folder, rule file error with file:line, usage), 3 environment. */
#ifndef ROAM_CHECK_H
#define ROAM_CHECK_H

/* `roam check DIR RULES... [--report FORMAT:FILE]... [--role ROLE=ADDR]...`
 * FORMAT text|junit|tap|json; FILE "-" is stdout; text to stdout by default.
 * DIR may also be one pcap file. */
int check_cli(int argc, char **argv);

/* For `roam run`: the same on a finished run folder. reports are
 * "FORMAT:FILE" strings (none: text to stdout). */
int check_run_dir(const char *dir, char *const *rules, int n_rules,
		  char *const *reports, int n_reports);

/* A --report FORMAT[:FILE] given on the command line: 0 if the format is
 * known and FILE's folder exists, else 2 with the message in err. */
int check_report_ok(const char *spec, char *err, size_t errlen);

/* `roam chart DIR [--from T --to T] [--out FILE.svg] [--format svg|html]
 *  [--rules FILE.lua]... [--role ROLE=ADDR]...` (T in run seconds). */
int chart_cli(int argc, char **argv);
#endif
