/* Internal: the SQL behind taxpayer.h. Every query on taxpayer tables
 * filters by ente_id. Values arrive normalised and validated. */
#ifndef SP_TAXPAYER_STORE_H
#define SP_TAXPAYER_STORE_H
#include "domain/taxpayer/taxpayer.h"

err_code ts_ente_exists(db *d, int64_t ente_id);
/* ERR_OK and *id_out when another taxpayer (id != except_id) of the Ente
 * has this fiscal code; ERR_NOT_FOUND when none. */
err_code ts_find_fiscal_code(db *d, int64_t ente_id, const char *fiscal_code, int64_t except_id,
                             int64_t *id_out);
/* ERR_CONFLICT on a unique violation (same fiscal code in the Ente). */
err_code ts_insert(db *d, const taxpayer *tp, const char *name_norm, int64_t *id_out);
/* ERR_NOT_FOUND when (tp->id, tp->ente_id) does not exist. */
err_code ts_update(db *d, const taxpayer *tp, const char *name_norm);
/* Addresses and contacts of tp, positions 0..n-1. */
err_code ts_insert_children(db *d, const taxpayer *tp);
err_code ts_delete_children(db *d, int64_t ente_id, int64_t taxpayer_id);
/* With addresses and contacts; ERR_NOT_FOUND. */
err_code ts_get(db *d, arena *a, int64_t ente_id, int64_t id, taxpayer *out);
err_code ts_get_by_fiscal_code(db *d, arena *a, int64_t ente_id, const char *code, taxpayer *out);
/* Taxpayers of the Ente whose fiscal code (by_vat: VAT number) is code, at
 * most max, in no particular order. */
err_code ts_search_code(db *d, arena *a, int64_t ente_id, const char *code, int by_vat, int max,
                        taxpayer **out, size_t *n);
/* name_norm in [lo, hi) (hi NULL: no upper bound; lo NULL or "": every
 * taxpayer of the Ente), ordered by name_norm. */
err_code ts_search_name(db *d, arena *a, int64_t ente_id, const char *lo, const char *hi, int limit,
                        int offset, taxpayer **out, size_t *n);
/* How many taxpayers ts_search_name would find without limit/offset. */
err_code ts_count_name(db *d, int64_t ente_id, const char *lo, const char *hi, int64_t *total);

#endif
