/* main.c — roam-mip6: one daemon, three roles (mip6.ha, mip6.mn, mip6.cn),
 * chosen by the conf file the harness writes.
 *	roam-mip6 --conf FILE [--ctl PATH] [-d]
 */
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include "counters.h"
#include "ctl.h"
#include "daemon.h"
#include "log.h"
#include "netif.h"

struct mip6d D;

static const struct {
	const char *name;
	int (*start)(void);
	void (*stop)(void);
	void (*print)(FILE *out);
} mip6_roles[] = {
	[ROLE_HA] = { "ha", ha_start, ha_stop, ha_print },
	[ROLE_MN] = { "mn", mn_start, mn_stop, mn_print },
	[ROLE_CN] = { "cn", cn_start, cn_stop, cn_print },
};

static int ctl_status(FILE *out, const char *args, void *arg)
{
	fprintf(out, "node %s\nrole mip6.%s\n", D.conf.node, mip6_roles[D.cfg.role].name);
	if (D.cfg.role == ROLE_MN) {
		mn_print(out);
	} else {
		int n = 0;
		for (int i = 0; i < BC_MAX; i++)
			n += D.bc.e[i].used;
		fprintf(out, "bindings %d\n", n);
	}
	return 0;
}

static int ctl_bindings(FILE *out, const char *args, void *arg)
{
	if (D.cfg.role == ROLE_MN)
		return -1;
	bc_print(&D.bc, ev_now_ms(), out);
	return 0;
}

static int ctl_bul(FILE *out, const char *args, void *arg)
{
	if (D.cfg.role != ROLE_MN)
		return -1;
	bul_list_print(out);
	return 0;
}

static int ctl_nonces(FILE *out, const char *args, void *arg)
{
	uint64_t now = ev_now_ms();
	if (D.cfg.role != ROLE_CN)
		return -1;
	for (int i = 0; i < RR_NONCES; i++)
		if (D.rr.n[i].used)
			fprintf(out, "index %u age_ms %llu %s%s\n", D.rr.n[i].index,
				(unsigned long long)(now - D.rr.n[i].born_ms),
				now - D.rr.n[i].born_ms < MAX_NONCE_LIFETIME_MS ? "valid" : "expired",
				i == D.rr.cur ? " current" : "");
	return 0;
}

static int ctl_counters(FILE *out, const char *args, void *arg)
{
	counters_print(out, mip6_ctr_names, mip6_ctr, C__N);
	for (int t = 0; t < MH__N; t++)
		fprintf(out, "%s_rx %llu\n%s_tx %llu\n", mh_type_names[t],
			(unsigned long long)mip6_rx[t], mh_type_names[t],
			(unsigned long long)mip6_tx[t]);
	for (int s = 0; s < 256; s++) {
		if (mip6_ba_status[s])
			fprintf(out, "ba_status_%d %llu\n", s, (unsigned long long)mip6_ba_status[s]);
		if (mip6_be_status[s])
			fprintf(out, "be_status_%d %llu\n", s, (unsigned long long)mip6_be_status[s]);
	}
	return 0;
}

static void on_signal(int sig, void *arg)
{
	log_info("signal %d: stopping", sig);
	ev_stop();
}

static void usage(void)
{
	fprintf(stderr, "usage: roam-mip6 --conf FILE [--ctl PATH] [-d]\n");
	exit(2);
}

static int mip6_prepare(char *err, size_t errlen)
{
	const struct conf_iface *ifc = conf_iface_find(&D.conf, D.cfg.iface);

	if (!(D.ifindex = netif_index(D.cfg.iface)) || netif_mac(D.cfg.iface, D.mac) < 0) {
		snprintf(err, errlen, "interface %s: expected it to exist", D.cfg.iface);
		return -1;
	}
	if (D.cfg.role == ROLE_MN)	/* its addresses are the home and care-of */
		return 0;
	if (ifc && ifc->has_addr6)	/* the configured interface's first */
		D.addrs[D.n_addrs++] = ifc->addr6;
	for (int i = 0; i < D.conf.n_ifaces && D.n_addrs < 8; i++)
		if (D.conf.ifaces[i].has_addr6 && &D.conf.ifaces[i] != ifc)
			D.addrs[D.n_addrs++] = D.conf.ifaces[i].addr6;
	return 0;
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
	log_init("mip6", debug);
	D.pkt = D.raw = D.tun = D.linkmon = -1;
	if (conf_load(conf, &D.conf, err, sizeof(err)) < 0 ||
	    mip6_cfg_load(&D.conf, &D.cfg, err, sizeof(err)) < 0) {
		log_warnx("%s", err);
		return 2;
	}
	log_init(D.conf.node[0] ? D.conf.node : "mip6", debug || D.cfg.verbose);
	if (mip6_prepare(err, sizeof(err)) < 0) {
		log_warnx("%s", err);
		return 3;
	}
	if (ev_init() < 0)
		fatal("epoll_create1");
	signal(SIGPIPE, SIG_IGN);
	if (ev_signal(SIGTERM, on_signal, NULL) < 0 || ev_signal(SIGINT, on_signal, NULL) < 0)
		fatal("signalfd");
	ctl_register("status", ctl_status, NULL);
	ctl_register("bindings", ctl_bindings, NULL);
	ctl_register("bul", ctl_bul, NULL);
	ctl_register("nonces", ctl_nonces, NULL);
	ctl_register("counters", ctl_counters, NULL);
	if (ctl && ctl_open(ctl) < 0)
		fatal("control socket %s", ctl);
	if (mip6_roles[D.cfg.role].start() < 0) {
		log_warnx("mip6.%s: could not start", mip6_roles[D.cfg.role].name);
		mip6_roles[D.cfg.role].stop();
		ctl_close();
		return 3;
	}
	rc = ev_run();
	mip6_roles[D.cfg.role].stop();
	ctl_close();
	return rc < 0 ? 1 : 0;
}
