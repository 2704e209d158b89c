/* cfg.c — roam-mip6 configuration keys (docs/mip6.md). */
#include <arpa/inet.h>
#include <string.h>
#include <time.h>
#include <sys/random.h>
#include "hmac.h"
#include "mip6.h"
#include "pkt6.h"

const char *const mip6_ctr_names[C__N] = {
	[C_PARSE_TRUNCATED] = "parse_truncated", [C_PARSE_MALFORMED] = "parse_malformed",
	[C_PARSE_UNKNOWN] = "parse_unknown_type", [C_BAD_CKSUM] = "bad_checksum",
	[C_BU_ACCEPTED] = "bu_accepted", [C_BU_REFUSED] = "bu_refused",
	[C_BU_DISCARDED] = "bu_discarded", [C_AUTH_FAIL] = "auth_fail",
	[C_REPLAY_FAIL] = "replay_fail", [C_BA_UNMATCHED] = "ba_unmatched",
	[C_RETRANSMIT] = "retransmit", [C_GIVE_UP] = "give_up", [C_REFRESH] = "refresh",
	[C_BINDING_EXPIRED] = "binding_expired", [C_TUN_ENCAP] = "tun_encap",
	[C_TUN_DECAP] = "tun_decap", [C_TUN_DROP] = "tun_drop", [C_RO_OUT] = "ro_out",
	[C_RO_IN] = "ro_in", [C_RO_DROP] = "ro_drop", [C_HAO_NO_BINDING] = "hao_no_binding",
	[C_MOVES] = "moves", [C_L2_DOWN] = "l2_down", [C_L2_UP] = "l2_up",
	[C_RA_RX] = "ra_rx", [C_RS_TX] = "rs_tx", [C_NA_TX] = "na_tx",
	[C_RR_START] = "rr_start", [C_RR_DONE] = "rr_done",
	[C_MH_WITH_HAO] = "mh_with_hao", [C_SCOPE_DROP] = "scope_drop",
	[C_RO_NO_MH] = "ro_no_mh", [C_NO_LINK_DROP] = "no_link_drop",
};
uint64_t mip6_ctr[C__N];
uint64_t mip6_rx[MH__N], mip6_tx[MH__N];
uint64_t mip6_ba_status[256], mip6_be_status[256];

uint64_t mip6_ntp_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return ((uint64_t)ts.tv_sec + 2208988800ULL) << 32 |
	       (uint64_t)(((uint64_t)ts.tv_nsec << 32) / 1000000000ULL);
}

void mip6_random(void *buf, size_t n)
{
	while (getrandom(buf, n, 0) != (ssize_t)n)
		;
}

static int cfg_addr6(const struct conf *c, const char *key, struct in6_addr *a, bool *set,
		     char *err, size_t errlen)
{
	const char *s = conf_get(c, key);
	char tmp[64];
	*set = false;
	if (!s)
		return 0;
	snprintf(tmp, sizeof(tmp), "%s", s);
	tmp[strcspn(tmp, "/")] = 0;	/* a placeholder may bring its prefix length */
	if (inet_pton(AF_INET6, tmp, a) != 1) {
		snprintf(err, errlen, "%s: expected an IPv6 address vs seen \"%s\"", key, s);
		return -1;
	}
	*set = true;
	return 0;
}

/* The first interface of a kind with an IPv6 address (or any if kind NULL). */
static const struct conf_iface *cfg_iface(const struct conf *c, const char *kind, bool v6)
{
	for (int i = 0; i < c->n_ifaces; i++)
		if ((!kind || !strcmp(c->ifaces[i].kind, kind)) && (!v6 || c->ifaces[i].has_addr6))
			return &c->ifaces[i];
	return NULL;
}

int mip6_cfg_load(const struct conf *c, struct mip6_cfg *g, char *err, size_t errlen)
{
	static const struct { const char *name; enum mip6_role role; } roles[] = {
		{ "ha", ROLE_HA }, { "mn", ROLE_MN }, { "cn", ROLE_CN },
	};
	static const struct { const char *name; enum mip6_dad dad; } dads[] = {
		{ "off", DAD_OFF }, { "no", DAD_OFF }, { "on", DAD_ON }, { "yes", DAD_ON },
		{ "optimistic", DAD_OPTIMISTIC },
	};
	const struct conf_iface *ifc;
	const char *s = c->role, *ifname;
	bool set, found = false;
	long l;

	memset(g, 0, sizeof(*g));
	if (!strncmp(s, "mip6.", 5))
		s += 5;
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (!strcmp(s, roles[i].name))
			g->role = roles[i].role, found = true;
	if (!found) {
		snprintf(err, errlen, "role: expected mip6.ha, mip6.mn or mip6.cn vs seen \"%s\"",
			 c->role);
		return -1;
	}
	if (cfg_addr6(c, "home_agent", &g->home_agent, &set, err, errlen) < 0 ||
	    cfg_addr6(c, "home_addr", &g->home_addr, &set, err, errlen) < 0 ||
	    conf_int(c, "home_plen", 64, &l, err, errlen) < 0)
		return -1;
	if (l < 1 || l > 128) {
		snprintf(err, errlen, "home_plen: expected 1..128 vs seen %ld", l);
		return -1;
	}
	g->home_plen = (int)l;
	if (conf_int(c, "spi", 256, &l, err, errlen) < 0)
		return -1;
	if (l < 256 || l > 0xffffffffL) {	/* RFC 4285 §5: 0..255 reserved */
		snprintf(err, errlen, "spi: expected 256..4294967295 vs seen %ld", l);
		return -1;
	}
	g->spi = (uint32_t)l;
	g->klen = hmac_key_parse(conf_str(c, "key", "roam-mip6-key"), g->key, sizeof(g->key));
	if (g->klen < 0) {
		snprintf(err, errlen, "key: expected text or 0x<hex> up to %zu bytes",
			 sizeof(g->key));
		return -1;
	}
	if (conf_double(c, "replay_window", 7, &g->replay_window, err, errlen) < 0 ||
	    conf_int(c, "lifetime", g->role == ROLE_MN ? 60 : 3600, &l, err, errlen) < 0)
		return -1;
	if (l < 4 || l > 262140) {
		snprintf(err, errlen, "lifetime: expected 4..262140 s vs seen %ld", l);
		return -1;
	}
	g->lifetime = (uint32_t)l;
	if (conf_int(c, "prefix_lifetime", 86400, &l, err, errlen) < 0)
		return -1;
	g->prefix_lifetime = (uint32_t)l;
	s = conf_str(c, "dad", "off");
	found = false;
	for (size_t i = 0; i < sizeof(dads) / sizeof(dads[0]); i++)
		if (!strcmp(s, dads[i].name))
			g->dad = dads[i].dad, found = true;
	if (!found) {
		snprintf(err, errlen, "dad: expected off, on or optimistic vs seen \"%s\"", s);
		return -1;
	}
	if (conf_bool(c, "ro", true, &g->ro, err, errlen) < 0 ||
	    conf_bool(c, "solicit", false, &g->solicit, err, errlen) < 0 ||
	    conf_double(c, "brr_before", 10, &g->brr_before, err, errlen) < 0 ||
	    conf_bool(c, "debug", false, &g->verbose, err, errlen) < 0)
		return -1;
	ifname = conf_get(c, "iface");
	if (ifname)
		ifc = conf_iface_find(c, ifname);
	else if (g->role == ROLE_HA)
		ifc = cfg_iface(c, "cell", true) ? cfg_iface(c, "cell", true) : cfg_iface(c, "segment", true);
	else if (g->role == ROLE_MN)
		ifc = cfg_iface(c, "cell", false) ? cfg_iface(c, "cell", false) : cfg_iface(c, NULL, false);
	else
		ifc = cfg_iface(c, NULL, true);
	if (!ifc) {
		snprintf(err, errlen, "iface: expected %s", g->role == ROLE_HA ?
			 "a home link (cell or segment) with addr6" : g->role == ROLE_MN ?
			 "the radio interface" : "an interface with addr6");
		return -1;
	}
	snprintf(g->iface, sizeof(g->iface), "%s", ifc->name);
	if (g->role == ROLE_HA) {
		g->home_agent = ifc->addr6;
		g->home_plen = ifc->plen6;
	}
	if (g->role == ROLE_MN) {
		if (IN6_IS_ADDR_UNSPECIFIED(&g->home_addr) ||
		    IN6_IS_ADDR_UNSPECIFIED(&g->home_agent)) {
			snprintf(err, errlen, "expected home_addr and home_agent for a mobile node");
			return -1;
		}
	}
	memcpy(&g->home_prefix, g->role == ROLE_HA ? &g->home_agent : &g->home_addr, 16);
	for (int b = g->home_plen; b < 128; b++)
		g->home_prefix.s6_addr[b / 8] &= (uint8_t)~(0x80 >> (b % 8));
	return 0;
}
