/* medium_snoop.h — what a LAN's broadcast and multicast frames ask for,
 * so that the medium delivers them where a snooping switch would rather
 * than to every port (RFC 4541 for MLD; ARP and Neighbour Solicitations by
 * the address they ask about):
 *  - an ARP request (RFC 826) or a Neighbour Solicitation to a
 *    solicited-node group (RFC 4861 §7.2.2, DAD §5.4.2 of RFC 4862) goes
 *    to the ports that own the address asked about, when any port on the
 *    link is known to own it; otherwise it is flooded;
 *  - MLD reports and dones (RFC 2710, RFC 3810 §5.2) and Router
 *    Solicitations go to the link's router ports only;
 *  - everything else (RAs, MLD queries, unsolicited NAs, gratuitous ARP,
 *    other multicast) is flooded as before.
 * Ownership comes from the topology (each interface's addresses and its
 * EUI-64 link-local address) and is learnt from what ports send: an ARP
 * sender address, a Neighbour Advertisement's target, a Neighbour
 * Solicitation's source, and the target of a DAD probe. A port that sends
 * a Router Advertisement or an MLD query becomes a router port.
 * The parser reads with the bounds-checked reader: a short or malformed
 * frame is flooded and teaches nothing. */
#ifndef ROAM_MEDIUM_SNOOP_H
#define ROAM_MEDIUM_SNOOP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum snoop_kind {
	SNOOP_FLOOD,		/* to every port */
	SNOOP_OWNERS,		/* to the owners of target, if known on the link */
	SNOOP_ROUTERS,		/* to the link's router ports only */
};
extern const char *const snoop_kind_names[];

struct snoop_addr {
	uint8_t fam;		/* 0 none, 4, 6 */
	uint8_t a[16];		/* v4 in the first 4 */
};

struct snoop_info {
	enum snoop_kind kind;
	struct snoop_addr target;	/* SNOOP_OWNERS: the address asked about */
	struct snoop_addr claim;	/* an address the sender shows it owns */
	bool router;			/* the sender is a router (RA, MLD query) */
};

/* Classifies one Ethernet frame. Never reads past len. */
void snoop_parse(const uint8_t *frame, size_t len, struct snoop_info *out);

/* Who owns which address: (address, port) pairs, a port may own many and
 * an address may have several owners (proxies, duplicates). */
struct msnoop;
struct msnoop *msnoop_new(void);
void msnoop_free(struct msnoop *s);
/* Records that port owns a. false: out of memory (nothing changes). */
bool msnoop_claim(struct msnoop *s, const struct snoop_addr *a, int port);
/* Calls fn for each port that owns a; returns how many. */
int msnoop_owners(const struct msnoop *s, const struct snoop_addr *a,
		  void (*fn)(void *ctx, int port), void *ctx);
/* The EUI-64 link-local address of a MAC (RFC 4291 appendix A). */
void snoop_link_local(const uint8_t mac[6], struct snoop_addr *out);
#endif
