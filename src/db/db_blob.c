/* The content-addressed blob table (created with the protocol register,
 * migration 0007): every document, attachment and raw message of every
 * area is stored once by its SHA-256, whoever stores it first. */
#include "db/db.h"

err_code db_blob_put(db *d, const char *sha256, const void *data, int64_t size, int64_t now) {
  return db_exec(d,
                 "INSERT INTO blob (sha256, size, data, created_at) VALUES (?, ?, ?, ?) "
                 "ON CONFLICT (sha256) DO NOTHING",
                 PARAMS(P_TEXT(sha256), P_INT(size), P_BLOB(data ? data : "", (size_t)size), P_INT(now)),
                 NULL);
}

err_code db_blob_get(db *d, arena *a, const char *sha256, const void **data, size_t *len) {
  *data = NULL;
  *len = 0;
  return db_get(d, a, "SELECT data FROM blob WHERE sha256 = ?", PARAMS(P_TEXT(sha256)),
                RESULTS(R_BLOB(data, len)));
}
