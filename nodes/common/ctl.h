/* ctl.h — the control socket: a UNIX stream socket at a path, one text
 * request per connection ("name [args]\n"), handlers registered by name.
 * The answer is text lines, then "ok" (or "error: why"). */
#ifndef ROAM_CTL_H
#define ROAM_CTL_H
#include <stddef.h>
#include <stdio.h>

/* Writes answer lines to out; returns 0 (the server appends "ok") or -1
 * after writing nothing or a reason (the server appends "error"). */
typedef int (*ctl_handler)(FILE *out, const char *args, void *arg);

int ctl_register(const char *name, ctl_handler fn, void *arg);
/* Listens at path (removed first, and again by ctl_close) on the event loop. */
int ctl_open(const char *path);
void ctl_close(void);
/* Runs one request string through the handlers into out (for tests and for
 * the server itself). Returns 0 if the answer ends "ok". */
int ctl_dispatch(const char *req, FILE *out);
/* Client: sends req to the socket at path, reads the whole answer into buf
 * (NUL-terminated). Returns 0 if it ends with "ok", -1 otherwise. */
int ctl_query(const char *path, const char *req, char *buf, size_t len);
#endif
