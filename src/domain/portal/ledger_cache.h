/* The portal's ledger cache: a taxpayer's acts, options and movements as
 * read for the situation and the statement (ps_ledger), kept in this
 * process and shared by its requests for as long as the taxpayer's ledger
 * version (taxpayer.ledger_version, bumped in the transaction of every
 * change of their acts) is the one they were read at. A page still reads
 * the version, in the same round trip as its other reads, so a change made
 * by any process is seen at the next request. Bounded by
 * portal.ledger_cache_mb (0: nothing kept), least recently used first
 * out. Only portal_account.c uses it. */
#ifndef SP_LEDGER_CACHE_H
#define SP_LEDGER_CACHE_H
#include "domain/portal/portal_store.h"

/* The ledger kept for the taxpayer at version (a full one when full is
 * set), borrowed until arena a is freed; NULL when there is none. */
const ps_ledger *ledger_cache_get(int64_t ente_id, int64_t taxpayer_id, int64_t version, int full, arena *a);
/* Keeps *l, built in own (which the cache takes over, whatever happens),
 * for the taxpayer at version, in place of an older one or of one without
 * options and movements; returns l as kept, borrowed until a is freed. */
const ps_ledger *ledger_cache_put(int64_t ente_id, int64_t taxpayer_id, int64_t version, arena *own,
                                  const ps_ledger *l, arena *a);
/* Test hooks: how many lookups found their ledger, and dropping every
 * ledger kept (with a new limit in bytes, or -1 for the configured one). */
int64_t ledger_cache_hits(void);
void ledger_cache_reset(int64_t limit_bytes);

#endif
