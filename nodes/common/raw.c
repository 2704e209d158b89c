/* raw.c — raw sockets. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "log.h"
#include "raw.h"

int raw4_open_send(void)
{
	int one = 1;
	int fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	if (fd < 0) {
		log_warn("socket AF_INET IPPROTO_RAW");
		return -1;
	}
	setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one));
	return fd;
}

ssize_t raw4_send(int fd, const void *pkt, size_t len)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	if (len < 20) {
		errno = EINVAL;
		return -1;
	}
	memcpy(&sin.sin_addr, (const uint8_t *)pkt + 16, 4);
	return sendto(fd, pkt, len, 0, (struct sockaddr *)&sin, sizeof(sin));
}

int raw4_open_proto(int proto)
{
	int fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, proto);
	if (fd < 0)
		log_warn("socket AF_INET SOCK_RAW proto %d", proto);
	return fd;
}

int raw6_open_send(void)
{
	int fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	if (fd < 0)
		log_warn("socket AF_INET6 IPPROTO_RAW");
	return fd;
}

int pkt_open(int ifindex, uint16_t ethertype, int dgram)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_protocol = htons(ethertype),
				   .sll_ifindex = ifindex };
	int fd = socket(AF_PACKET, (dgram ? SOCK_DGRAM : SOCK_RAW) | SOCK_CLOEXEC |
			SOCK_NONBLOCK, htons(ethertype));
	if (fd < 0) {
		log_warn("socket AF_PACKET");
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		log_warn("bind AF_PACKET ifindex %d", ifindex);
		close(fd);
		return -1;
	}
	return fd;
}

ssize_t pkt_send(int fd, int ifindex, const uint8_t dst[6], uint16_t ethertype,
		 const void *buf, size_t len)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_protocol = htons(ethertype),
				   .sll_ifindex = ifindex, .sll_halen = 6 };
	memcpy(sll.sll_addr, dst, 6);
	return sendto(fd, buf, len, 0, (struct sockaddr *)&sll, sizeof(sll));
}

ssize_t pkt_recv(int fd, void *buf, size_t len, uint8_t src[6], int *pkttype)
{
	struct sockaddr_ll sll;
	socklen_t sl = sizeof(sll);
	ssize_t n = recvfrom(fd, buf, len, 0, (struct sockaddr *)&sll, &sl);
	if (n < 0)
		return n;
	if (src)
		memcpy(src, sll.sll_addr, 6);
	if (pkttype)
		*pkttype = sll.sll_pkttype;
	return n;
}
