/* medium_int.h — the medium's internals. Three threads after medium_start:
 *  - receive (medium_fwd.c): reads every port, applies commands and
 *    impairments, sends frames that need no wait at once, hands delayed
 *    frames to the sender and every frame read to the capture thread, each
 *    through a lock-free single-producer ring (medium_ring.h);
 *  - sender (medium_send.c): a heap of delayed frames, a timerfd armed a
 *    little before the earliest and a short spin to its due time;
 *  - capture (medium_capw.c): writes the pcaps, flushes them every 100 ms
 *    and reports a failed write.
 * Only the receive thread touches the ports, links and commands' state,
 * except the command queue (under cmd_mu), a port's admin state and the
 * counters (atomics). */
#ifndef ROAM_MEDIUM_INT_H
#define ROAM_MEDIUM_INT_H
#include <linux/if_packet.h>
#include <linux/virtio_net.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include "capture.h"
#include "medium.h"
#include "medium_heap.h"
#include "medium_impair.h"
#include "medium_ring.h"

#define MEDIUM_RX_BATCH 64
#define MEDIUM_RX_ROUNDS 8	/* batches read before timers and commands */
#define MEDIUM_FRAME_MAX 65536	/* GSO frames from a node with TSO on */
#define MEDIUM_TX_MAX 1024	/* pending immediate sends before a flush */
#define MEDIUM_TX_CHUNK 256	/* frames per sendmmsg; stop is checked between */
#define MEDIUM_SPIN_MIN_NS 20000	/* wake at least this early before a frame */
#define MEDIUM_SPIN_MAX_NS 200000	/* and at most this early, then spin */
#define MEDIUM_SLICE_US 100	/* the thread's time slice request (fair class) */
#define MEDIUM_LATE_N 4096
#define MEDIUM_SRING (1 << 20)	/* receive -> sender ring, bytes */
#define MEDIUM_CRING (16 << 20)	/* receive -> capture ring, bytes */
#define MEDIUM_FLUSH_NS 100000000LL	/* captures reach their files this often */

struct mport {
	int iface;		/* topo interface index */
	int node;
	int ifindex;		/* fabric side */
	int link;		/* current link, -1 while detached */
	bool radio;		/* a station's radio interface */
	bool mrouter;		/* gets MLD reports and RSs on a LAN (medium_snoop.h) */
	/* frames for this port handed to the sender and not yet sent: while
	 * there are any, a frame already due goes the same way, so that the
	 * sender's lateness never reorders a port's frames */
	atomic_uint s_pending;
	bool attached;		/* false during a move's gap */
	atomic_bool up;		/* admin state last set (the sender reads it) */
	unsigned move_gen;	/* the latest move; older attach events are stale */
	char name[2 * TOPO_NAME_MAX + TOPO_IFNAME_MAX];	/* node.iface for logs */
	char node_name[TOPO_NAME_MAX];
	struct rng rrng;	/* radio loss draws */
	struct radio_q rq;	/* radio quality in the current cell */
	struct imp_ser rser[2];	/* radio leg: [0] to the station, [1] from it */
};

struct mlink {
	char name[TOPO_NAME_MAX];
	enum topo_link_kind kind;
	int *ports, n_ports, cap_ports;	/* cell: [0] is the AP's port */
	struct imp_dir dir[2];
	struct topo_radio radio;
	struct capture *cap;
	_Atomic uint64_t rx, tx, drop_loss, drop_range, drop_queue, dup, reordered;
};

struct mnode {
	char name[TOPO_NAME_MAX];
	double x, y;
	bool has_pos;
	int *ports, n_ports;	/* radio ports of the node */
};

/* A frame waiting in the scheduler. */
struct mframe {
	int link;
	uint32_t len;
	struct virtio_net_hdr vh;
	uint8_t data[];
};

enum mcmd_kind { MCMD_SET, MCMD_MOVE, MCMD_POS };
struct mcmd {
	enum mcmd_kind kind;
	int link, dir, iface, node;
	struct topo_impair imp;
	double gap, x, y;
	struct mcmd *next;
};

enum mev_kind { MEV_FRAME, MEV_ATTACH };
struct mattach { double gap; unsigned gen; };

struct mtx {			/* one pending immediate send */
	int port, link;
	const struct virtio_net_hdr *vh;
	const uint8_t *data;
	uint32_t len;
};

/* A batch of sends on the one socket; each sending thread has its own. */
struct mtxb {
	struct mtx tx[MEDIUM_TX_MAX]; int n;
	struct mmsghdr msg[MEDIUM_TX_MAX];
	struct sockaddr_ll addr[MEDIUM_TX_MAX];	/* the port to send on */
	struct iovec iov[MEDIUM_TX_MAX][2];
	struct mframe **free; int n_free, cap_free;	/* frames to free once sent */
};

/* receive -> sender: a delayed frame and when it is due */
struct msched { int64_t t; int port; struct mframe *f; };
/* receive -> capture: a frame read, followed by its len bytes */
struct mcaprec { int64_t ns; int link; uint32_t len; };

struct medium {
	struct mport *ports; int n_ports;
	int *port_of_iface; int n_ifaces;	/* -1: no fabric port */
	struct mlink *links; int n_links;
	struct mnode *nodes; int n_nodes;
	uint64_t seed;
	struct nl_sock *nl;
	int fd;				/* the one AF_PACKET socket, every port */
	bool filter_exact;		/* its filter lists every port (else a range) */
	int *ifx_key, *ifx_port; size_t ifx_cap;	/* ifindex -> port */
	int epfd, evfd, tfd;		/* receive thread: epoll, commands, attach timer */
	pthread_t th;
	bool running;
	atomic_bool stop;
	pthread_mutex_t cmd_mu;
	struct mcmd *cmd_head, *cmd_tail;
	struct mheap heap;		/* receive thread: attach events */
	int64_t timer_armed;		/* absolute ns the attach timer is set for, 0 none */
	double run_off;			/* run time = mono ns * 1e-9 + run_off */
	int64_t real_off;		/* realtime ns = mono ns + real_off */
	/* learning switch: (link, MAC) -> port, open addressing */
	uint64_t *fdb_key; int *fdb_port; size_t fdb_cap, fdb_n;
	struct msnoop *snoop;		/* who owns which address (medium_lan.c) */
	int *lan_out;			/* ports a snooped frame goes to, n_ports */
	/* the receive thread's load over the current window (medium_lan.c) */
	int64_t load_t0, load_cpu0, load_warned;
	uint64_t load_rx, load_deliv, load_drops;
	/* receive batch */
	struct mmsghdr rx_msg[MEDIUM_RX_BATCH];
	struct sockaddr_ll rx_addr[MEDIUM_RX_BATCH];	/* the receiving port */
	struct iovec rx_iov[MEDIUM_RX_BATCH][2];
	struct virtio_net_hdr rx_vh[MEDIUM_RX_BATCH];
	/* SO_TIMESTAMPNS control message of each frame: when the kernel got it */
	uint64_t rx_ctl[MEDIUM_RX_BATCH][(CMSG_SPACE(sizeof(struct timespec)) + 7) / 8];
	uint8_t *rx_buf;			/* MEDIUM_RX_BATCH * MEDIUM_FRAME_MAX */
	struct mtxb *txr;			/* the receive thread's immediate sends */
	/* the sender thread */
	pthread_t sth;
	struct mring sring;		/* delayed frames from the receive thread */
	int s_tfd, s_evfd;		/* its timer, and "look at the ring" */
	struct mheap sheap;		/* delayed frames by due time */
	_Atomic int64_t s_next;		/* earliest due time it waits for, INT64_MAX none */
	struct mtxb *txs;
	int64_t s_armed;		/* absolute ns its timer is set for, 0 none */
	int64_t spin_ns;		/* how early it wakes: follows the timer's lateness */
	int64_t wake_late;		/* smoothed lateness of timer wake-ups, ns */
	/* lateness of scheduled frames (send time - due), the last
	 * MEDIUM_LATE_N, for the benchmark */
	int64_t late[MEDIUM_LATE_N];
	uint64_t n_late;
	/* the capture thread */
	pthread_t cth;
	struct mring cring;		/* frames read, for the pcaps */
	int c_evfd;			/* "look at the ring" */
	atomic_bool c_sleeping;		/* it waits on c_evfd: wake it */
	atomic_bool c_stop;		/* the receive thread ended: write all, end */
	int fail_evfd;			/* readable once a capture failed */
	atomic_bool failed;
	char fail_msg[4200];		/* set once, before failed */
	/* frames no link counts (atomics: tests read them while it runs) */
	_Atomic uint64_t n_foreign;	/* read on an interface that is no port */
	_Atomic uint64_t n_detached;	/* read on a port between cells */
	_Atomic uint64_t n_stop_drop;	/* pending sends dropped by medium_stop */
	_Atomic uint64_t n_cap_wait;	/* times the receive thread waited for capture room */
	int64_t stop_thread_ns, stop_close_ns;	/* the last medium_stop: join, close */
};

/* Copies up to max of the latest lateness samples (ns) into out; call
 * after medium_stop. Returns how many. */
int medium_lateness(const struct medium *m, int64_t *out, int max);

int64_t medium_mono_ns(void);
void *medium_thread(void *arg);		/* receive */
void *medium_send_thread(void *arg);
void *medium_capw_thread(void *arg);
/* Receive thread: hands a delayed frame to the sender (false: ring full). */
bool medium_send_post(struct medium *m, int64_t t, int port, struct mframe *f);
/* Receive thread: hands a frame read on link to the capture thread. */
void medium_capw_post(struct medium *m, int link, int64_t realtime_ns, const uint8_t *d, uint32_t len);
/* Receive thread, after a batch: wakes the capture thread if it sleeps. */
void medium_capw_kick(struct medium *m);
/* Sending on the one socket (medium_tx.c). */
void medium_tx_add(struct medium *m, struct mtxb *b, int port, int link,
		   const struct virtio_net_hdr *vh, const uint8_t *d, uint32_t len);
/* Keeps f until the batch is sent (false: out of memory, f freed). */
bool medium_tx_keep(struct mtxb *b, struct mframe *f);
void medium_tx_flush(struct medium *m, struct mtxb *b);
void medium_tx_done(struct medium *m, struct mtxb *b, int dropped);
/* LANs (medium_lan.c): ownership seeded from the topology; what a frame
 * teaches (and asks for, in *si); the ports a broadcast or multicast frame
 * goes to, or -1 to flood; the overload warning. */
struct topo;
struct snoop_info;
bool medium_lan_seed(struct medium *m, const struct topo *t);
void medium_lan_learn(struct medium *m, int pi, const uint8_t *d, uint32_t len, struct snoop_info *si);
int medium_lan_ports(struct medium *m, int li, int pi, const struct snoop_info *si, int *out);
void medium_load_tick(struct medium *m, int64_t now);
int64_t medium_thread_cpu_ns(void);
/* The thread's scheduling class (ROAM_MEDIUM_FIFO, ROAM_MEDIUM_SLICE_US). */
void medium_sched(void);
/* Sets the fabric end admin up or down (libnl); 0 or a libnl error. */
int medium_port_admin(struct medium *m, struct mport *p, bool up);
/* Sets the port's admin state to what its attachment and range ask for. */
void medium_port_sync(struct medium *m, struct mport *p, const char *why, double gap);
/* Recomputes the radio quality of a port from its node's position. */
void medium_port_radio(struct medium *m, struct mport *p);
bool medium_link_attach(struct mlink *l, int port);
void medium_link_detach(struct mlink *l, int port);
/* Applies queued commands (medium thread). */
void medium_cmds_run(struct medium *m);
#endif
