/* cfg.c — roam-mip4 configuration keys (docs/mip4.md). */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/random.h>
#include "hmac.h"
#include "log.h"
#include "mip4.h"
#include "msg.h"

const char *const mip4_ctr_names[C__N] = {
	[C_ADV_TX] = "adv_tx", [C_ADV_RX] = "adv_rx",
	[C_SOL_TX] = "sol_tx", [C_SOL_RX] = "sol_rx",
	[C_REQ_TX] = "req_tx", [C_REQ_RX] = "req_rx",
	[C_REQ_RELAYED] = "req_relayed", [C_REP_TX] = "rep_tx",
	[C_REP_RX] = "rep_rx", [C_REP_RELAYED] = "rep_relayed",
	[C_REQ_ACCEPTED] = "req_accepted", [C_REQ_DENIED] = "req_denied",
	[C_REQ_BAD] = "req_bad", [C_REQ_AUTH_FAIL] = "req_auth_fail",
	[C_REQ_REPLAY] = "req_replay",
	[C_REP_ACCEPTED] = "rep_accepted", [C_REP_DENIED] = "rep_denied",
	[C_REP_BAD] = "rep_bad", [C_REP_AUTH_FAIL] = "rep_auth_fail",
	[C_REP_UNMATCHED] = "rep_unmatched",
	[C_RETRANSMIT] = "retransmit", [C_PENDING_TIMEOUT] = "pending_timeout",
	[C_BINDING_EXPIRED] = "binding_expired", [C_MOVES] = "moves",
	[C_AGENT_REBOOT] = "agent_reboot",
	[C_TUN_ENCAP] = "tun_encap", [C_TUN_DECAP] = "tun_decap",
	[C_TUN_DROP] = "tun_drop", [C_RT_ENCAP] = "rt_encap",
	[C_ARP_PROXY] = "arp_proxy", [C_ARP_GRAT] = "arp_gratuitous",
	[C_PARSE_TRUNCATED] = "parse_truncated",
	[C_PARSE_MALFORMED] = "parse_malformed",
	[C_PARSE_UNKNOWN] = "parse_unknown",
};
uint64_t mip4_ctr[C__N];
uint64_t mip4_code_ctr[256];

uint64_t mip4_ntp_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return ((uint64_t)ts.tv_sec + 2208988800ULL) << 32 |
	       (uint64_t)(((uint64_t)ts.tv_nsec << 32) / 1000000000ULL);
}

const char *mip4_ntoa(struct in_addr a)
{
	static char buf[4][INET_ADDRSTRLEN];
	static int i;
	i = (i + 1) % 4;
	return inet_ntop(AF_INET, &a, buf[i], sizeof(buf[i]));
}

/* The first interface of a kind (or not of it, when not_kind). */
static const struct conf_iface *mip4_iface_kind(const struct conf *c,
						const char *kind, bool not_kind)
{
	for (int i = 0; i < c->n_ifaces; i++)
		if (!strcmp(c->ifaces[i].kind, kind) != not_kind)
			return &c->ifaces[i];
	return NULL;
}

int mip4_cfg_load(const struct conf *c, struct mip4_cfg *g, char *err, size_t errlen)
{
	const struct conf_iface *ifc;
	const char *s;
	long l;
	bool set;

	memset(g, 0, sizeof(*g));
	s = c->role;
	if (!strncmp(s, "mip4.", 5))
		s += 5;
	if (strcmp(s, "ha") && strcmp(s, "fa") && strcmp(s, "mn")) {
		snprintf(err, errlen, "role: expected mip4.ha, mip4.fa or mip4.mn vs seen \"%s\"",
			 c->role);
		return -1;
	}
	snprintf(g->role, sizeof(g->role), "%s", s);
	if (conf_addr4(c, "home_agent", &g->home_agent, &set, err, errlen) < 0 ||
	    conf_addr4(c, "home_addr", &g->home_addr, &set, err, errlen) < 0 ||
	    conf_addr4(c, "home_gw", &g->home_gw, &set, err, errlen) < 0 ||
	    conf_addr4(c, "fa_coa", &g->fa_coa, &set, err, errlen) < 0)
		return -1;
	if (conf_int(c, "home_plen", 24, &l, err, errlen) < 0)
		return -1;
	if (l < 0 || l > 32) {
		snprintf(err, errlen, "home_plen: expected 0..32 vs seen %ld", l);
		return -1;
	}
	g->home_plen = (int)l;
	if (conf_int(c, "spi", 256, &l, err, errlen) < 0)
		return -1;
	if (l < 256 || l > 0xffffffffL) {	/* SPIs 0..255 are reserved (§1.6) */
		snprintf(err, errlen, "spi: expected 256..4294967295 vs seen %ld", l);
		return -1;
	}
	g->spi = (uint32_t)l;
	g->klen = hmac_key_parse(conf_str(c, "key", "roam-mip4-key"), g->key,
				 sizeof(g->key));
	if (g->klen < 0) {
		snprintf(err, errlen, "key: expected text or 0x<hex> up to %zu bytes",
			 sizeof(g->key));
		return -1;
	}
	s = conf_str(c, "replay", "timestamp");
	if (!strcmp(s, "timestamp"))
		g->replay = MIP4_REPLAY_TIMESTAMP;
	else if (!strcmp(s, "nonce"))
		g->replay = MIP4_REPLAY_NONCE;
	else {
		snprintf(err, errlen, "replay: expected timestamp or nonce vs seen \"%s\"", s);
		return -1;
	}
	if (conf_double(c, "replay_window", 7, &g->replay_window, err, errlen) < 0 ||
	    conf_double(c, "adv_interval", 1, &g->adv_interval, err, errlen) < 0 ||
	    conf_int(c, "adv_lifetime", 0, &l, err, errlen) < 0)
		return -1;
	if (g->adv_interval <= 0) {
		snprintf(err, errlen, "adv_interval: expected > 0 vs seen %g", g->adv_interval);
		return -1;
	}
	/* RFC 1256: lifetime defaults to three times the interval */
	g->adv_lifetime = l > 0 ? (int)l : (int)(3 * g->adv_interval + 0.999);
	if (g->adv_lifetime > 9000) {
		snprintf(err, errlen, "adv_lifetime: expected at most 9000 vs seen %d",
			 g->adv_lifetime);
		return -1;
	}
	s = conf_str(c, "adv_dst", "multicast");
	if (strcmp(s, "multicast") && strcmp(s, "broadcast")) {
		snprintf(err, errlen, "adv_dst: expected multicast or broadcast vs seen \"%s\"", s);
		return -1;
	}
	g->adv_broadcast = !strcmp(s, "broadcast");
	if (conf_bool(c, "adv_prefix_lengths", true, &g->adv_prefix_lengths, err, errlen) < 0 ||
	    conf_int(c, "reg_lifetime", !strcmp(g->role, "mn") ? 60 : 300, &l, err, errlen) < 0)
		return -1;
	if (l < 1 || l > 65534) {
		snprintf(err, errlen, "reg_lifetime: expected 1..65534 vs seen %ld", l);
		return -1;
	}
	g->reg_lifetime = (int)l;
	if (conf_bool(c, "reverse_tunnel", !strcmp(g->role, "mn") ? false : true,
		      &g->reverse_tunnel, err, errlen) < 0 ||
	    conf_double(c, "reg_retry", 1, &g->reg_retry, err, errlen) < 0 ||
	    conf_double(c, "reg_retry_max", 16, &g->reg_retry_max, err, errlen) < 0 ||
	    conf_double(c, "pending_timeout", 7, &g->pending_timeout, err, errlen) < 0 ||
	    conf_int(c, "sol_max", 3, &l, err, errlen) < 0 ||
	    conf_bool(c, "solicit", true, &g->solicit, err, errlen) < 0 ||
	    conf_bool(c, "debug", false, &g->verbose, err, errlen) < 0)
		return -1;
	g->sol_max = (int)l;
	if (conf_bool(c, "colocated", false, &g->colocated, err, errlen) < 0 ||
	    conf_int(c, "colocated_host", 200, &l, err, errlen) < 0)
		return -1;
	if (l < 1 || l > 254) {
		snprintf(err, errlen, "colocated_host: expected 1..254 vs seen %ld", l);
		return -1;
	}
	g->colocated_host = (int)l;
	/* interfaces */
	if (!strcmp(g->role, "ha")) {
		ifc = conf_get(c, "home_iface") ? conf_iface_find(c, conf_get(c, "home_iface"))
						: mip4_iface_kind(c, "p2p", true);
		if (!ifc || !ifc->has_addr4) {
			snprintf(err, errlen, "home_iface: expected an interface with addr4");
			return -1;
		}
		snprintf(g->home_iface, sizeof(g->home_iface), "%s", ifc->name);
		if (!g->home_agent.s_addr)
			g->home_agent = ifc->addr4;
		if (!conf_get(c, "home_plen"))
			g->home_plen = ifc->plen4;
	} else if (!strcmp(g->role, "fa")) {
		ifc = conf_get(c, "cell_iface") ? conf_iface_find(c, conf_get(c, "cell_iface"))
						: mip4_iface_kind(c, "cell", false);
		if (!ifc) {
			snprintf(err, errlen, "cell_iface: expected an interface of kind cell");
			return -1;
		}
		snprintf(g->cell_iface, sizeof(g->cell_iface), "%s", ifc->name);
		if (!g->fa_coa.s_addr) {
			const struct conf_iface *up = mip4_iface_kind(c, "cell", true);
			if (!up || !up->has_addr4) {
				snprintf(err, errlen, "fa_coa: expected it set, or an uplink "
					 "interface with addr4");
				return -1;
			}
			g->fa_coa = up->addr4;
		}
	} else {
		ifc = conf_get(c, "home_iface") ? conf_iface_find(c, conf_get(c, "home_iface"))
						: mip4_iface_kind(c, "cell", false);
		if (!ifc && c->n_ifaces)
			ifc = &c->ifaces[0];
		if (!ifc) {
			snprintf(err, errlen, "home_iface: expected the radio interface");
			return -1;
		}
		snprintf(g->home_iface, sizeof(g->home_iface), "%s", ifc->name);
		if (!g->home_addr.s_addr || !g->home_agent.s_addr) {
			snprintf(err, errlen, "expected home_addr and home_agent for a mobile node");
			return -1;
		}
		if (!g->home_gw.s_addr)
			g->home_gw = g->home_agent;
	}
	return 0;
}

uint32_t mip4_random32(void)
{
	uint32_t v = 0;
	while (getrandom(&v, sizeof(v), 0) != (ssize_t)sizeof(v) || v == 0)
		;
	return v;
}

/* Lines an outsider can trigger (denials, pending timeouts): at most
 * MIP4_LOG_QUOTA a second, so that a flood cannot grow the log without
 * bound; the next allowed line is preceded by the number suppressed. */
#define MIP4_LOG_QUOTA 20
bool mip4_log_quota(void)
{
	static time_t sec;
	static int used;
	static uint64_t suppressed;
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (ts.tv_sec != sec) {
		sec = ts.tv_sec;
		used = 0;
	}
	if (used >= MIP4_LOG_QUOTA) {
		suppressed++;
		return false;
	}
	used++;
	if (suppressed) {
		log_info("%llu similar log lines suppressed (at most %d a second)",
			 (unsigned long long)suppressed, MIP4_LOG_QUOTA);
		suppressed = 0;
	}
	return true;
}
