/* node_mip4.c — fuzz target: the parsers roam-mip4 runs on received bytes
 * (IPv4 and UDP headers, ARP, registration request and reply, agent
 * advertisement and solicitation). The first byte picks the parser.
 * fuzz-src: nodes/mip4/msg.c nodes/mip4/pkt.c */
#include <stddef.h>
#include <stdint.h>
#include "../nodes/mip4/msg.h"
#include "../nodes/mip4/pkt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mip4_req req;
	struct mip4_rep rep;
	struct mip4_adv adv;
	struct ip4 ip;
	struct arp arp;
	const uint8_t *p;
	size_t n;
	uint16_t sport, dport;

	if (size < 1)
		return 0;
	p = data + 1;
	n = size - 1;
	switch (data[0] % 6) {
	case 0: mip4_req_parse(p, n, &req); break;
	case 1: mip4_rep_parse(p, n, &rep); break;
	case 2: mip4_adv_parse(p, n, &adv); break;
	case 3: mip4_sol_parse(p, n); break;
	case 4: arp_parse(p, n, &arp); break;
	default:
		if (ip4_parse(p, n, &ip) == MIP4_OK) {
			const uint8_t *d;
			size_t dl;
			udp_parse(&ip, &sport, &dport, &d, &dl);
		}
	}
	return 0;
}
