/* payload.h — roam's traffic payload, at the start of every UDP datagram that
 * roam-traffic sends (default port 9000). All fields big-endian.
 *
 *	0   4  magic "RoAm" (0x526f416d)
 *	4   4  flow id
 *	8   4  sequence number, from 0
 *	12  8  send time, CLOCK_REALTIME nanoseconds (the captures' clock)
 *	20  .. padding to the configured size (zero bytes)
 */
#ifndef ROAM_PAYLOAD_H
#define ROAM_PAYLOAD_H
#define ROAM_PAYLOAD_MAGIC 0x526f416dU
#define ROAM_PAYLOAD_LEN 20
#define ROAM_TRAFFIC_PORT 9000
#endif
