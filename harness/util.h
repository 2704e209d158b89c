/* util.h — small helpers shared by the orchestrator's files. */
#ifndef ROAM_UTIL_H
#define ROAM_UTIL_H
#include <stddef.h>

/* Writes a message into err and returns -1: `return errf(err, len, ...)`. */
int errf(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#define ERR(...) errf(err, errlen, __VA_ARGS__)

/* Reads a whole file (NUL-terminated); NULL with errno on failure. */
char *util_read_file(const char *path, size_t *len);
/* mkdir -p; 0 or -1 with errno. */
int util_mkdirs(const char *path, unsigned mode);
/* After entering a node's network namespace: a private mount namespace
 * with /sys mounted afresh, so /sys/class/net shows the node's interfaces
 * (as `ip netns exec` does). 0 or -1 with errno. */
int util_node_mounts(void);
/* Seconds since the process started, from /proc/PID/stat (field 22), in
 * clock ticks; 0 if the process does not exist. Tells a pid from its reuse. */
unsigned long long util_proc_start(int pid);
/* True if the process exists and has not exited (a zombie has). */
int util_proc_running(int pid);
#endif
