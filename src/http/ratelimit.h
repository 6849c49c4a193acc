/* Per-client request rate limit: a token bucket per client address, in a
 * fixed-size table (memory is bounded whatever the number of clients; when
 * the table is full the least recently seen client is forgotten). Per
 * process: behind several processes each enforces its own share. */
#ifndef SP_RATELIMIT_H
#define SP_RATELIMIT_H
#include <stdint.h>

typedef struct ratelimit ratelimit;

/* per_minute == 0 disables the limit (ratelimit_allow always says yes). */
ratelimit *ratelimit_new(int64_t per_minute);
void ratelimit_free(ratelimit *r);
/* 1 if the client may make a request now (and takes a token), 0 if not;
 * *retry_after gets the seconds until the next token. now_ms is monotonic. */
int ratelimit_allow(ratelimit *r, const char *client, int64_t now_ms, int *retry_after);

#endif
