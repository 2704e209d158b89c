/* medium_tx.c — sending on the medium's one AF_PACKET socket: a batch of
 * frames for any ports, sent with sendmmsg (sll_ifindex per message). The
 * receive thread and the sender thread each fill their own batch. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "medium_int.h"

#define INC(l, f) atomic_fetch_add_explicit(&(l)->f, 1, memory_order_relaxed)

/* Forgets the pending sends; `dropped` of them were never sent. */
void medium_tx_done(struct medium *m, struct mtxb *b, int dropped)
{
	if (dropped)
		atomic_fetch_add_explicit(&m->n_stop_drop, (uint64_t)dropped, memory_order_relaxed);
	b->n = 0;
	for (int f = 0; f < b->n_free; f++)
		free(b->free[f]);
	b->n_free = 0;
}

/* Every pending send, MEDIUM_TX_CHUNK frames a call; a failed frame (port
 * gone down, kernel out of buffers) is counted and skipped. */
void medium_tx_flush(struct medium *m, struct mtxb *b)
{
	for (int k = 0; k < b->n; k++) {
		struct mtx *t = &b->tx[k];
		uint16_t proto = 0;	/* the frame's EtherType, network order */
		memcpy(&proto, t->data + 12, 2);
		b->addr[k] = (struct sockaddr_ll){ .sll_family = AF_PACKET, .sll_protocol = proto,
						   .sll_ifindex = m->ports[t->port].ifindex };
		b->iov[k][0] = (struct iovec){ (void *)t->vh, sizeof(*t->vh) };
		b->iov[k][1] = (struct iovec){ (void *)t->data, t->len };
		b->msg[k].msg_hdr = (struct msghdr){ .msg_name = &b->addr[k],
						     .msg_namelen = sizeof(b->addr[k]),
						     .msg_iov = b->iov[k], .msg_iovlen = 2 };
	}
	int k = 0;
	while (k < b->n) {
		if (atomic_load_explicit(&m->stop, memory_order_relaxed)) {
			medium_tx_done(m, b, b->n - k);		/* stopping: drop the rest */
			return;
		}
		int c = b->n - k < MEDIUM_TX_CHUNK ? b->n - k : MEDIUM_TX_CHUNK;
		/* Counted before the call: a receiver that got a frame finds
		 * it in tx. A frame the kernel refuses moves to drop_queue. */
		for (int s = k; s < k + c; s++)
			INC(&m->links[b->tx[s].link], tx);
		int r = m->fd >= 0 ? sendmmsg(m->fd, &b->msg[k], (unsigned)c, 0) : -1;
		if (r < 0 && errno == EINTR)
			r = 0;
		else if (r <= 0) {
			struct mlink *l = &m->links[b->tx[k].link];
			atomic_fetch_sub_explicit(&l->tx, 1, memory_order_relaxed);
			INC(l, drop_queue);	/* kernel refused */
			r = 1;
		}
		for (int s = k + r; s < k + c; s++)	/* not sent yet: uncount */
			atomic_fetch_sub_explicit(&m->links[b->tx[s].link].tx, 1, memory_order_relaxed);
		k += r;
	}
	medium_tx_done(m, b, 0);
}

void medium_tx_add(struct medium *m, struct mtxb *b, int port, int link,
		   const struct virtio_net_hdr *vh, const uint8_t *d, uint32_t len)
{
	if (b->n == MEDIUM_TX_MAX)
		medium_tx_flush(m, b);
	b->tx[b->n++] = (struct mtx){ .port = port, .link = link, .vh = vh, .data = d, .len = len };
}

bool medium_tx_keep(struct mtxb *b, struct mframe *f)
{
	if (b->n_free == b->cap_free) {
		int cap = b->cap_free ? 2 * b->cap_free : MEDIUM_TX_MAX;
		struct mframe **v = realloc(b->free, (size_t)cap * sizeof(*v));
		if (!v) {
			free(f);
			return false;
		}
		b->free = v;
		b->cap_free = cap;
	}
	b->free[b->n_free++] = f;
	return true;
}
