/* Internal: the SQL behind ente.h (Enti, regions, offices, users). Only
 * ente.c and user.c call these; they take already validated values and
 * return storage outcomes (ERR_CONFLICT for a unique violation). */
#ifndef SP_ENTE_STORE_H
#define SP_ENTE_STORE_H
#include "domain/ente/ente.h"

err_code es_ente_insert(db *d, const ente *e, int64_t now, int64_t *id_out);
/* ERR_OK and *id_out when a row with that slug (or fiscal code) exists. */
err_code es_ente_find_slug(db *d, const char *slug, int64_t *id_out);
err_code es_ente_find_fiscal_code(db *d, const char *fiscal_code, int64_t *id_out);
err_code es_ente_list(db *d, arena *a, ente **out, size_t *n);
err_code es_ente_get(db *d, arena *a, int64_t id, ente *out);
err_code es_ente_by_slug(db *d, arena *a, const char *slug, ente *out);
void es_ente_by_slug_queue(db_batch *b, const char *slug, ente *out, int *found);
err_code es_ente_by_fiscal_code(db *d, arena *a, const char *cf, ente *out);
err_code es_ente_exists(db *d, int64_t id);

err_code es_region_insert(db *d, const char *name, int64_t now, int64_t *id_out);
err_code es_region_list(db *d, arena *a, region **out, size_t *n);
err_code es_region_by_name(db *d, arena *a, const char *name, region *out);
err_code es_region_exists(db *d, int64_t id);

err_code es_office_insert(db *d, const office *o, int64_t now, int64_t *id_out);
err_code es_office_find_code(db *d, const char *code, int64_t *id_out);
err_code es_office_list(db *d, arena *a, office **out, size_t *n);
/* ERR_OK and the office's region when it exists. */
err_code es_office_region(db *d, int64_t id, int64_t *region_id);

err_code es_user_insert(db *d, const user *u, const char *password_hash, int64_t now,
                        int64_t *id_out);
err_code es_user_add_ente(db *d, int64_t user_id, int64_t ente_id);
err_code es_user_find_username(db *d, const char *username, int64_t *id_out);
err_code es_user_list(db *d, arena *a, user **out, size_t *n);
err_code es_user_get(db *d, arena *a, int64_t id, user *out);
/* *hash_out is NULL when the user has no local password. */
err_code es_user_by_username(db *d, arena *a, const char *username, user *out, char **hash_out);
err_code es_user_set_hash(db *d, int64_t id, const char *password_hash);
err_code es_user_set_active(db *d, int64_t id, int active);
/* Deletes every session of the user; *n gets how many there were. */
err_code es_user_end_sessions(db *d, int64_t user_id, int64_t *n);
err_code es_user_ente_ids(db *d, arena *a, int64_t user_id, int64_t **out, size_t *n);
/* Removes every Ente the user is enabled on (before re-adding the new set). */
err_code es_user_clear_entes(db *d, int64_t user_id);
err_code es_user_entes(db *d, arena *a, int64_t user_id, ente **out, size_t *n);
err_code es_user_has_ente(db *d, int64_t user_id, int64_t ente_id);

#endif
