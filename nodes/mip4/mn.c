/* mn.c — mobile node state machine (RFC 5944 §2.4, §3.6). */
#include <string.h>
#include "codes.h"
#include "log.h"
#include "mn.h"

const char *const mn_state_names[MN__N] = {
	[MN_NO_AGENT] = "no-agent", [MN_HOME] = "home",
	[MN_REGISTERING] = "registering", [MN_REGISTERED] = "registered",
	[MN_DEREGISTERING] = "deregistering",
};

double mn_backoff(double first, double cap, int n)
{
	double t = first;
	while (n-- > 0 && t < cap)
		t *= 2;
	return t < cap ? t : cap;
}

struct in_addr mn_colocated_coa(struct in_addr addr, int plen, int host, int *out_plen)
{
	struct in_addr a = { 0 };
	uint32_t m;

	if (plen < 0)
		plen = 24;
	*out_plen = plen;
	if (plen > 30 || host < 1 || (uint32_t)host >= (1u << (32 - plen)) - 1)
		return a;
	m = plen ? ~0u << (32 - plen) : 0;
	a.s_addr = htonl((ntohl(addr.s_addr) & m) | (uint32_t)host);
	return a;
}

struct in_addr mn_coa(const struct mn *mn)
{
	return mn->cfg->colocated && !mn->agent.home ? mn->agent.ccoa : mn->agent.coa;
}

static void mn_set_state(struct mn *mn, enum mn_state s)
{
	if (mn->state != s)
		log_info("state %s -> %s", mn_state_names[mn->state], mn_state_names[s]);
	mn->state = s;
}

/* Builds and sends a Request for the current agent (or a deregistration
 * from home), arming the retransmission timer. */
static void mn_send(struct mn *mn)
{
	const struct mip4_cfg *cfg = mn->cfg;
	struct mip4_req q = { .hoa = cfg->home_addr, .ha = cfg->home_agent };
	uint8_t buf[128];
	size_t len;
	bool dereg = mn->state == MN_DEREGISTERING;

	if (dereg) {
		q.lifetime = 0;
		q.coa = cfg->home_addr;
	} else {
		uint16_t life = (uint16_t)cfg->reg_lifetime;
		if (mn->agent.reg_lifetime && mn->agent.reg_lifetime < life)
			life = mn->agent.reg_lifetime;
		if (mn->max_lifetime && mn->max_lifetime < life)
			life = mn->max_lifetime;
		q.lifetime = life;
		q.coa = mn_coa(mn);
		if (cfg->colocated) {
			/* §3.6.1.1: D, we decapsulate; RFC 3024 §5.2: with D the
			 * node encapsulates itself, no agent needs to offer T */
			q.flags |= MIP4_F_D;
			if (cfg->reverse_tunnel)
				q.flags |= MIP4_F_T;
		} else if (cfg->reverse_tunnel && (mn->agent.flags & MIP4_AF_T)) {
			q.flags |= MIP4_F_T;
		}
	}
	q.id = replay_mn_next(cfg->replay, &mn->replay, mip4_ntp_now(), mip4_random32());
	len = mip4_req_build(buf, sizeof(buf), &q, cfg->spi, cfg->key, (size_t)cfg->klen);
	if (!len)
		fatalx("registration request does not fit %zu bytes", sizeof(buf));
	mip4_ctr[C_REQ_TX]++;
	log_debug("request coa %s lifetime %u", mip4_ntoa(q.coa), q.lifetime);
	if (mn->send_req)
		mn->send_req(mn, buf, len, !dereg);
	ev_timer_arm(&mn->retx, mn->retry);
}

static void mn_register(struct mn *mn)
{
	ev_timer_disarm(&mn->renew);
	mn->retry = mn->cfg->reg_retry;
	if (mn->state != MN_DEREGISTERING)
		mn_set_state(mn, MN_REGISTERING);
	mn_send(mn);
}

static void mn_retx(struct ev_timer *t, void *arg)
{
	struct mn *mn = arg;
	if (mn->state != MN_REGISTERING && mn->state != MN_DEREGISTERING)
		return;
	mip4_ctr[C_RETRANSMIT]++;
	mn->retry = mn->retry * 2 < mn->cfg->reg_retry_max ? mn->retry * 2
							   : mn->cfg->reg_retry_max;
	mn_send(mn);
}

static void mn_renew(struct ev_timer *t, void *arg)
{
	struct mn *mn = arg;
	if (mn->state == MN_REGISTERED && mn->agent.valid)
		mn_register(mn);
}

static void mn_solicit(struct mn *mn)
{
	if (mn->sols >= mn->cfg->sol_max)
		return;
	mn->sols++;
	mip4_ctr[C_SOL_TX]++;
	if (mn->send_sol)
		mn->send_sol(mn);
	ev_timer_arm(&mn->sol_timer, 1.0);
}

static void mn_sol_timer(struct ev_timer *t, void *arg)
{
	struct mn *mn = arg;
	if (!mn->agent.valid)
		mn_solicit(mn);
}

static void mn_lost_agent(struct mn *mn, const char *why)
{
	if (mn->agent.valid)
		log_info("agent %s lost: %s", mip4_ntoa(mn->agent.addr), why);
	mn->agent.valid = false;
	ev_timer_disarm(&mn->adv_timer);
	ev_timer_disarm(&mn->retx);
	ev_timer_disarm(&mn->renew);
	mn_set_state(mn, MN_NO_AGENT);
	if (mn->attach)
		mn->attach(mn, MN_AT_NONE);
}

static void mn_adv_expire(struct ev_timer *t, void *arg)
{
	struct mn *mn = arg;
	mn_lost_agent(mn, "advertisement lifetime expired");
	mn->sols = 0;
	mn_solicit(mn);
}

int mn_init(struct mn *mn, const struct mip4_cfg *cfg)
{
	memset(mn, 0, sizeof(*mn));
	mn->cfg = cfg;
	mn->retry = cfg->reg_retry;
	if (ev_timer_init(&mn->retx, mn_retx, mn) < 0 ||
	    ev_timer_init(&mn->renew, mn_renew, mn) < 0 ||
	    ev_timer_init(&mn->adv_timer, mn_adv_expire, mn) < 0 ||
	    ev_timer_init(&mn->sol_timer, mn_sol_timer, mn) < 0)
		return -1;
	return 0;
}

void mn_free(struct mn *mn)
{
	ev_timer_free(&mn->retx);
	ev_timer_free(&mn->renew);
	ev_timer_free(&mn->adv_timer);
	ev_timer_free(&mn->sol_timer);
}

void mn_carrier(struct mn *mn, bool up)
{
	if (!up) {
		mn_lost_agent(mn, "carrier down");
		ev_timer_disarm(&mn->sol_timer);
		return;
	}
	mn->sols = 0;
	if (!mn->agent.valid && mn->cfg->solicit)
		mn_solicit(mn);
}

static bool mn_in_home(const struct mip4_cfg *cfg, struct in_addr a)
{
	uint32_t m = cfg->home_plen ? htonl(~0u << (32 - cfg->home_plen)) : 0;
	return (a.s_addr & m) == (cfg->home_addr.s_addr & m);
}

/* §2.4.2 second method: both advertisements carry Prefix-Lengths and the
 * network prefixes differ. */
static bool mn_prefix_moved(const struct mn_agent *cur, const struct mn_agent *nw)
{
	uint32_t m;
	if (cur->plen < 0 || nw->plen < 0)
		return false;
	m = cur->plen ? htonl(~0u << (32 - cur->plen)) : 0;
	return (cur->addr.s_addr & m) != (nw->addr.s_addr & m);
}

void mn_adv(struct mn *mn, const struct mip4_adv *a, struct in_addr src,
	    const uint8_t mac[6])
{
	struct mn_agent nw = { .valid = true, .addr = src, .seq = a->seq,
			       .reg_lifetime = a->reg_lifetime, .flags = a->flags,
			       .plen = a->has_plen && a->n_plens ? a->plens[0] : -1 };

	mip4_ctr[C_ADV_RX]++;
	if (!a->has_agent)
		return;		/* a plain router advertisement */
	memcpy(nw.mac, mac, 6);
	nw.home = (a->flags & MIP4_AF_H) && mn_in_home(mn->cfg, src);
	if (a->n_coas)
		nw.coa = a->coas[0];
	if (!nw.home && mn->cfg->colocated) {
		/* any agent's advertisement names the link's router and prefix */
		nw.ccoa = mn_colocated_coa(src, nw.plen, mn->cfg->colocated_host, &nw.cplen);
		if (!nw.ccoa.s_addr) {
			log_warnx("colocated_host %d: expected a host number inside %s/%d",
				  mn->cfg->colocated_host, mip4_ntoa(src), nw.cplen);
			return;
		}
	} else if (!nw.home && (!(a->flags & MIP4_AF_F) || !a->n_coas)) {
		return;		/* neither our home agent nor a foreign agent */
	}
	if (mn->agent.valid && mn->agent.addr.s_addr == src.s_addr) {
		bool reboot = a->seq < mn->agent.seq && a->seq < 256;
		mn->agent.seq = a->seq;
		mn->agent.reg_lifetime = a->reg_lifetime;
		mn->agent.flags = a->flags;
		ev_timer_arm(&mn->adv_timer, a->lifetime);
		if (reboot) {
			/* §2.4.2/§3.6.1: the agent lost its state, register again */
			mip4_ctr[C_AGENT_REBOOT]++;
			log_info("agent %s rebooted (sequence %u)", mip4_ntoa(src), a->seq);
			if (!nw.home)
				mn_register(mn);
		}
		return;
	}
	if (mn->agent.valid && !mn_prefix_moved(&mn->agent, &nw))
		return;		/* the current agent is still advertising */
	mip4_ctr[C_MOVES]++;
	log_info("new agent %s (%s), care-of address %s%s", mip4_ntoa(src),
		 nw.home ? "home" : "foreign",
		 mip4_ntoa(!nw.home && mn->cfg->colocated ? nw.ccoa : nw.coa),
		 !nw.home && mn->cfg->colocated ? " (co-located)" : "");
	mn->agent = nw;
	mn->max_lifetime = 0;
	ev_timer_arm(&mn->adv_timer, a->lifetime);
	ev_timer_disarm(&mn->sol_timer);
	if (nw.home) {
		bool away = mn->state == MN_REGISTERED || mn->state == MN_REGISTERING ||
			    mn->state == MN_DEREGISTERING || mn->granted;
		if (mn->attach)
			mn->attach(mn, MN_AT_HOME);
		if (away) {
			mn_set_state(mn, MN_DEREGISTERING);
			mn_register(mn);
		} else {
			mn_set_state(mn, MN_HOME);
		}
		return;
	}
	if (mn->attach)
		mn->attach(mn, MN_AT_FOREIGN);
	mn_register(mn);
}

void mn_reply(struct mn *mn, const uint8_t *msg, size_t len)
{
	const struct mip4_cfg *cfg = mn->cfg;
	struct mip4_rep p;
	enum mip4_verdict v = mip4_rep_parse(msg, len, &p);
	bool authed;

	mip4_ctr[C_REP_RX]++;
	if (v != MIP4_OK) {
		mip4_ctr[v == MIP4_UNKNOWN ? C_PARSE_UNKNOWN : v == MIP4_TRUNCATED ?
			 C_PARSE_TRUNCATED : C_PARSE_MALFORMED]++;
		mip4_ctr[C_REP_BAD]++;
		return;
	}
	if (p.hoa.s_addr != cfg->home_addr.s_addr || !replay_mn_match(&mn->replay, p.id) ||
	    (mn->state != MN_REGISTERING && mn->state != MN_DEREGISTERING)) {
		mip4_ctr[C_REP_UNMATCHED]++;
		return;
	}
	authed = p.mn_ha.present && p.mn_ha.spi == cfg->spi &&
		 mip4_auth_check(msg, &p.mn_ha, cfg->key, (size_t)cfg->klen);
	/* §3.6.2.1: only a foreign agent's denial may come without MN-HA */
	if (!authed && !(p.code >= 64 && p.code < 128)) {
		mip4_ctr[C_REP_AUTH_FAIL]++;
		log_warnx("reply code %u failed authentication", p.code);
		return;
	}
	mn->last_code = p.code;
	mn->has_code = true;
	mip4_code_ctr[p.code]++;
	if (authed)
		replay_mn_learn(cfg->replay, &mn->replay, p.id, p.code, mip4_ntp_now());
	if (mip4_code_accepted(p.code)) {
		mip4_ctr[C_REP_ACCEPTED]++;
		ev_timer_disarm(&mn->retx);
		if (mn->state == MN_DEREGISTERING) {
			mn->granted = 0;
			log_info("deregistered: at home");
			mn_set_state(mn, MN_HOME);
			return;
		}
		mn->granted = p.lifetime;
		mn_set_state(mn, MN_REGISTERED);
		log_info("registered care-of %s lifetime %u", mip4_ntoa(mn_coa(mn)),
			 p.lifetime);
		if (p.lifetime)
			ev_timer_arm(&mn->renew, p.lifetime * 0.8);
		return;
	}
	mip4_ctr[C_REP_DENIED]++;
	log_info("registration denied: %u %s", p.code,
		 mip4_code_name(p.code) ? mip4_code_name(p.code) : "unknown code");
	if (p.code == MIP4_HA_ID_MISMATCH ||
	    (p.code == MIP4_FA_LIFETIME && p.lifetime)) {
		if (p.code == MIP4_FA_LIFETIME)
			mn->max_lifetime = p.lifetime;
		mn_send(mn);	/* corrected at once (§3.6.2.2, §5.7) */
	}
	/* otherwise the retransmission timer keeps backing off */
}

void mn_print(struct mn *mn, FILE *out)
{
	fprintf(out, "state %s\n", mn_state_names[mn->state]);
	fprintf(out, "home_addr %s\nhome_agent %s\n", mip4_ntoa(mn->cfg->home_addr),
		mip4_ntoa(mn->cfg->home_agent));
	if (mn->cfg->colocated)
		fprintf(out, "colocated yes\n");
	if (mn->agent.valid)
		fprintf(out, "agent %s %s coa %s seq %u remaining %.1f\n",
			mip4_ntoa(mn->agent.addr), mn->agent.home ? "home" : "foreign",
			mip4_ntoa(mn_coa(mn)), mn->agent.seq,
			ev_timer_left_ms(&mn->adv_timer) / 1000.0);
	else
		fprintf(out, "agent none\n");
	fprintf(out, "lifetime %u remaining %.1f\n", mn->granted,
		ev_timer_left_ms(&mn->renew) / 1000.0);
	if (mn->has_code)
		fprintf(out, "last_code %u %s\n", mn->last_code,
			mip4_code_name(mn->last_code) ? mip4_code_name(mn->last_code) : "?");
}
