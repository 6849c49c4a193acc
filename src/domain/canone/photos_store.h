/* SQL of the cessation photographs and the inspection record (only
 * photos_store.c has it; only files of src/domain/canone include this). */
#ifndef SP_CANONE_PHOTOS_STORE_H
#define SP_CANONE_PHOTOS_STORE_H
#include "domain/canone/canone.h"

err_code cps_link_insert(db *d, int64_t ente_id, int64_t case_id, const char *token_hash, int64_t expires_at,
                         int64_t now, int64_t *id);
/* The link with that token hash; locked (PostgreSQL FOR UPDATE) when lock. */
err_code cps_link_by_hash(db *d, int64_t ente_id, const char *token_hash, int lock, occ_photo_link *out);
/* The case's latest link, ERR_NOT_FOUND when none. */
err_code cps_link_of_case(db *d, int64_t ente_id, int64_t case_id, occ_photo_link *out);
err_code cps_link_add_photos(db *d, int64_t ente_id, int64_t id, int64_t n);
err_code cps_inspection_insert(db *d, int64_t ente_id, int64_t case_id, const char *inspector,
                               const char *outcome, int64_t photos, int64_t now);
err_code cps_inspection_get(db *d, arena *a, int64_t ente_id, int64_t case_id, occ_inspection *out);

#endif
