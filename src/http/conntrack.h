/* Connection tracking against slow clients (slowloris): a deadline for the
 * whole request head, which libmicrohttpd's idle timeout cannot give (every
 * byte resets it), and a share of the connection slots kept for new
 * clients: near the limit the connection that has waited longest for a
 * request head is dropped first. A connection "waits" from its accept, or
 * from the end of its previous response (keep-alive), until its request
 * head is complete. Dropping is a shutdown() of the socket under the
 * tracker's lock; libmicrohttpd then closes it as a client disconnect
 * (it reports the close to us before it closes the descriptor, so the
 * descriptor we shut down is always still the connection's). */
#ifndef SP_CONNTRACK_H
#define SP_CONNTRACK_H
#include <stdint.h>

typedef struct conntrack conntrack;
typedef struct conn_slot conn_slot;

/* limit: the server's connection limit; head_timeout_ms: the deadline. A
 * background thread sweeps expired heads every 100 ms. */
conntrack *conntrack_new(int limit, int64_t head_timeout_ms);
void conntrack_free(conntrack *t);

/* A connection was accepted (fd): it starts waiting; may drop the oldest
 * waiting connections to keep room for new clients. */
conn_slot *conntrack_open(conntrack *t, int fd);
/* Its request head is complete: no longer subject to the head deadline. */
void conntrack_head_done(conntrack *t, conn_slot *s);
/* Its response is done: it waits for the next head (keep-alive). */
void conntrack_idle(conntrack *t, conn_slot *s);
/* libmicrohttpd is about to close it. */
void conntrack_close(conntrack *t, conn_slot *s);

#endif
