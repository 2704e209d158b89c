/* medium_sock.c — one AF_PACKET socket for every fabric port. Not bound to
 * a device: the fabric namespace holds only roam's ports, and the filter
 * below drops anything else in the kernel (the tests and the benchmark keep
 * the node ends in the same namespace). The receiving port of a frame is
 * its sll_ifindex, looked up in an open-addressing table. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "medium_int.h"
#include "medium_sock.h"

#define FILTER_LEAF 8			/* compares in a leaf of the search */
#define FILTER_ACCEPT 0xffffffffu	/* keep the whole frame */
#define SOCK_BUF_MIN (8 << 20)
#define SOCK_BUF_PER_PORT (32 << 10)
#define SOCK_BUF_MAX (128 << 20)

struct fbuild {
	struct sock_filter *v;
	int n, max;
};

static bool fb_put(struct fbuild *b, uint16_t code, uint8_t jt, uint8_t jf, uint32_t k)
{
	if (b->n >= b->max)
		return false;
	b->v[b->n++] = (struct sock_filter){ .code = code, .jt = jt, .jf = jf, .k = k };
	return true;
}

/* A holds the ifindex. A leaf: up to FILTER_LEAF compares, then "ret 0"
 * and "ret accept". An inner node: "jge v[mid]" falls through to a long
 * jump over the left half (ifindex < v[mid]) to the right half. */
static bool fb_tree(struct fbuild *b, const int *v, int n)
{
	if (n <= FILTER_LEAF) {
		for (int i = 0; i < n; i++)	/* to the accept after the n compares and ret 0 */
			if (!fb_put(b, BPF_JMP | BPF_JEQ | BPF_K, (uint8_t)(n - i), 0, (uint32_t)v[i]))
				return false;
		return fb_put(b, BPF_RET | BPF_K, 0, 0, 0) &&
		       fb_put(b, BPF_RET | BPF_K, 0, 0, FILTER_ACCEPT);
	}
	int mid = n / 2;
	if (!fb_put(b, BPF_JMP | BPF_JGE | BPF_K, 0, 1, (uint32_t)v[mid]))
		return false;
	int ja = b->n;
	if (!fb_put(b, BPF_JMP | BPF_JA, 0, 0, 0) || !fb_tree(b, v, mid))
		return false;
	b->v[ja].k = (uint32_t)(b->n - ja - 1);
	return fb_tree(b, v + mid, n - mid);
}

/* Drops what this host sent (PACKET_IGNORE_OUTGOING does too; this is the
 * belt to its braces), then loads the ifindex into A. */
static bool fb_head(struct fbuild *b)
{
	return fb_put(b, BPF_LD | BPF_W | BPF_ABS, 0, 0, (uint32_t)(SKF_AD_OFF + SKF_AD_PKTTYPE)) &&
	       fb_put(b, BPF_JMP | BPF_JEQ | BPF_K, 0, 1, PACKET_OUTGOING) &&
	       fb_put(b, BPF_RET | BPF_K, 0, 0, 0) &&
	       fb_put(b, BPF_LD | BPF_W | BPF_ABS, 0, 0, (uint32_t)(SKF_AD_OFF + SKF_AD_IFINDEX));
}

int medium_filter_build(const int *ifx, int n, struct sock_filter *out, int max, bool *exact)
{
	struct fbuild b = { .v = out, .max = max };
	*exact = true;
	if (fb_head(&b) && fb_tree(&b, ifx, n))
		return b.n;
	*exact = false;
	b.n = 0;
	if (n > 0 && fb_head(&b) &&
	    fb_put(&b, BPF_JMP | BPF_JGE | BPF_K, 0, 2, (uint32_t)ifx[0]) &&
	    fb_put(&b, BPF_JMP | BPF_JGT | BPF_K, 1, 0, (uint32_t)ifx[n - 1]) &&
	    fb_put(&b, BPF_RET | BPF_K, 0, 0, FILTER_ACCEPT) &&
	    fb_put(&b, BPF_RET | BPF_K, 0, 0, 0))
		return b.n;
	return -1;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static int medium_sock_filter(struct medium *m, char *err, size_t errlen)
{
	int *v = malloc((size_t)(m->n_ports ? m->n_ports : 1) * sizeof(int));
	struct sock_filter *prog = malloc(MEDIUM_FILTER_MAX * sizeof(*prog));
	int n = 0, r = -1;
	if (!v || !prog) {
		snprintf(err, errlen, "medium: malloc (socket filter): %s", strerror(errno));
		goto out;
	}
	for (int i = 0; i < m->n_ports; i++)
		v[n++] = m->ports[i].ifindex;
	qsort(v, (size_t)n, sizeof(int), cmp_int);
	int k = 0;
	for (int i = 0; i < n; i++)	/* unique */
		if (!k || v[k - 1] != v[i])
			v[k++] = v[i];
	int len = medium_filter_build(v, k, prog, MEDIUM_FILTER_MAX, &m->filter_exact);
	if (len < 0) {
		snprintf(err, errlen, "medium: socket filter for %d ports: expected at most %d instructions",
			 k, MEDIUM_FILTER_MAX);
		goto out;
	}
	struct sock_fprog fp = { .len = (unsigned short)len, .filter = prog };
	if (setsockopt(m->fd, SOL_SOCKET, SO_ATTACH_FILTER, &fp, sizeof(fp)) < 0) {
		snprintf(err, errlen, "medium: setsockopt(SO_ATTACH_FILTER, %d instructions): %s",
			 len, strerror(errno));
		goto out;
	}
	r = 0;
out:
	free(v);
	free(prog);
	return r;
}

int medium_sock_open(struct medium *m, char *err, size_t errlen)
{
	/* Protocol 0: no frame is queued before the filter is in place. */
	m->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (m->fd < 0) {
		snprintf(err, errlen, "medium: socket(AF_PACKET, SOCK_RAW): %s", strerror(errno));
		return -1;
	}
	int one = 1;
	if (setsockopt(m->fd, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof(one)) < 0 ||
	    setsockopt(m->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one)) < 0) {
		snprintf(err, errlen, "medium: setsockopt(PACKET_VNET_HDR/IGNORE_OUTGOING): %s",
			 strerror(errno));
		goto fail;
	}
	/* Each frame's capture time is the kernel's receive time, not the
	 * time its batch was read (CLOCK_REALTIME, one control message each). */
	if (setsockopt(m->fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one)) < 0) {
		snprintf(err, errlen, "medium: setsockopt(SO_TIMESTAMPNS): %s", strerror(errno));
		goto fail;
	}
	if (medium_sock_filter(m, err, errlen) < 0)
		goto fail;
	long want = SOCK_BUF_MIN + (long)m->n_ports * SOCK_BUF_PER_PORT;
	int buf = want > SOCK_BUF_MAX ? SOCK_BUF_MAX : (int)want;
	if (setsockopt(m->fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf)) < 0)
		setsockopt(m->fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	buf = SOCK_BUF_MIN;
	if (setsockopt(m->fd, SOL_SOCKET, SO_SNDBUFFORCE, &buf, sizeof(buf)) < 0)
		setsockopt(m->fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL),
				   .sll_ifindex = 0 };
	if (bind(m->fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		snprintf(err, errlen, "medium: bind(AF_PACKET, ETH_P_ALL, every interface): %s",
			 strerror(errno));
		goto fail;
	}
	return 0;
fail:
	close(m->fd);
	m->fd = -1;
	return -1;
}

void medium_sock_close(struct medium *m)
{
	if (m->fd >= 0)
		close(m->fd);	/* one synchronize_net() in the kernel, for every port */
	m->fd = -1;
}

static size_t ifx_slot(int ifindex, size_t cap)
{
	return (size_t)(((uint64_t)(unsigned)ifindex * 0x9e3779b97f4a7c15ULL) >> 32) & (cap - 1);
}

bool medium_ifx_map(struct medium *m)
{
	size_t cap = 16;
	while (cap < 2 * (size_t)m->n_ports)
		cap *= 2;
	m->ifx_key = calloc(cap, sizeof(int));
	m->ifx_port = calloc(cap, sizeof(int));
	if (!m->ifx_key || !m->ifx_port)
		return false;
	m->ifx_cap = cap;
	for (int i = 0; i < m->n_ports; i++) {
		int k = m->ports[i].ifindex;
		size_t j = ifx_slot(k, cap);
		while (m->ifx_key[j] && m->ifx_key[j] != k)
			j = (j + 1) & (cap - 1);
		if (m->ifx_key[j])	/* two interfaces on one fabric end: the first wins */
			continue;
		m->ifx_key[j] = k;
		m->ifx_port[j] = i;
	}
	return true;
}

int medium_ifx_port(const struct medium *m, int ifindex)
{
	if (!m->ifx_cap || ifindex <= 0)
		return -1;
	size_t j = ifx_slot(ifindex, m->ifx_cap);
	while (m->ifx_key[j]) {
		if (m->ifx_key[j] == ifindex)
			return m->ifx_port[j];
		j = (j + 1) & (m->ifx_cap - 1);
	}
	return -1;
}
