/* mn_link.c — the mobile node's link state (RFC 6275 §11.5.1): on carrier
 * loss it forgets the router and the care-of address it no longer has, so
 * nothing is sent to the old router (packets are dropped and counted until
 * a router advertisement on the new link gives a router and an address);
 * router solicitations on carrier up when `solicit` is set, within RFC
 * 4861 §6.3.7: at most MAX_RTR_SOLICITATIONS per attachment,
 * RTR_SOLICITATION_INTERVAL apart, none once an advertisement arrived.
 * Logic only (no I/O): mnd.c drives it, tests/unit/test_mip6.c checks it. */
#include <string.h>
#include "daemon.h"
#include "mn_link.h"

void mn_link_down(struct mn *mn, uint64_t now_ms)
{
	mn->link_up = false;
	mn->coa_ready = false;
	memset(mn->router_mac, 0, sizeof(mn->router_mac));
	mn->rs_sent = 0;
	mn->t_l2_down = now_ms;
	mn->t_l2_up = 0;
}

void mn_link_up(struct mn *mn, uint64_t now_ms)
{
	mn->link_up = true;
	mn->t_l2_up = now_ms;
	mn->rs_sent = 0;
	mn->ra_since_up = false;
	/* the link may be another one: the next advertisement decides */
	memset(&mn->prefix, 0, sizeof(mn->prefix));
}

bool mn_link_usable(const struct mn *mn)
{
	static const uint8_t zero[6];
	return mn->link_up && memcmp(mn->router_mac, zero, 6) != 0;
}

bool mn_rs_due(struct mn *mn, uint64_t now_ms)
{
	if (!mn->link_up || mn->ra_since_up || mn->rs_sent >= MN_MAX_RTR_SOLICITATIONS)
		return false;
	if (mn->rs_sent && now_ms - mn->rs_last_ms < MN_RTR_SOLICITATION_INTERVAL_MS)
		return false;
	mn->rs_sent++;
	mn->rs_last_ms = now_ms;
	return true;
}
