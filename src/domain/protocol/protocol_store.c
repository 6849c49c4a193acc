/* SQL of the protocol register. Every statement names the Ente. */
#include "domain/protocol/protocol_store.h"

#include <stdio.h>
#include <string.h>

err_code ps_next_number(db *d, int64_t ente_id, int year, int64_t *number) {
  err_code rc = db_exec(d,
                        "INSERT INTO protocol_counter (ente_id, year, last_number) VALUES (?, ?, 0) "
                        "ON CONFLICT (ente_id, year) DO NOTHING",
                        PARAMS(P_INT(ente_id), P_INT(year)), NULL);
  if (rc != ERR_OK) return rc;
  return db_get(d, NULL,
                "UPDATE protocol_counter SET last_number = last_number + 1 "
                "WHERE ente_id = ? AND year = ? RETURNING last_number",
                PARAMS(P_INT(ente_id), P_INT(year)), RESULTS(R_INT(number)));
}

err_code ps_fascicolo(db *d, int64_t ente_id, int year, const char *category, int64_t now,
                      int64_t *id) {
  err_code rc = db_exec(d,
                        "INSERT INTO protocol_fascicolo (ente_id, year, category, title, created_at) "
                        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (ente_id, year, category) DO NOTHING",
                        PARAMS(P_INT(ente_id), P_INT(year), P_TEXT(category), P_TEXT(category),
                               P_INT(now)),
                        NULL);
  if (rc != ERR_OK) return rc;
  return db_get(d, NULL,
                "SELECT id FROM protocol_fascicolo WHERE ente_id = ? AND year = ? AND category = ?",
                PARAMS(P_INT(ente_id), P_INT(year), P_TEXT(category)), RESULTS(R_INT(id)));
}

err_code ps_insert_entry(db *d, const prot_entry *e, const actor *who, int64_t *id) {
  return db_insert(d,
                   "INSERT INTO protocol_entry (ente_id, year, number, registered_at, reg_day, "
                   "direction, correspondent, subject, channel, fascicolo_id, actor_kind, "
                   "actor_id, entry_hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
                   PARAMS(P_INT(e->ente_id), P_INT(e->year), P_INT(e->number),
                          P_INT(e->registered_at), P_TEXT(e->day), P_TEXT(e->direction),
                          P_TEXT(e->correspondent), P_TEXT(e->subject), P_TEXT(e->channel),
                          P_INT_OR_NULL(e->fascicolo_id), P_TEXT(who->kind), P_INT(who->id),
                          P_TEXT(e->hash)),
                   id);
}

err_code ps_insert_document(db *d, int64_t entry_id, int64_t ente_id, int position,
                            const prot_doc *doc) {
  return db_exec(d,
                 "INSERT INTO protocol_document (entry_id, ente_id, position, role, name, mime, "
                 "size, sha256) VALUES (?,?,?,?,?,?,?,?)",
                 PARAMS(P_INT(entry_id), P_INT(ente_id), P_INT(position), P_TEXT(doc->role),
                        P_TEXT(doc->name), P_TEXT(doc->mime), P_INT(doc->size),
                        P_TEXT(doc->sha256)),
                 NULL);
}

/* Entry columns and their annulment, in ENTRY_ROW order. */
#define ENTRY_COLS                                                                          \
  "e.id, e.ente_id, CAST(e.year AS BIGINT), e.number, e.registered_at, e.reg_day, "         \
  "e.direction, e.correspondent, e.subject, e.channel, f.category, e.fascicolo_id, "        \
  "e.entry_hash, CASE WHEN a.id IS NULL THEN 0 ELSE 1 END, a.reason, a.annulled_at "        \
  "FROM protocol_entry e LEFT JOIN protocol_fascicolo f ON f.id = e.fascicolo_id "          \
  "LEFT JOIN protocol_annulment a ON a.entry_id = e.id "

static const db_result ENTRY_ROW[] = {
    F_INT(prot_entry, id),          F_INT(prot_entry, ente_id),
    F_I32(prot_entry, year), F_INT(prot_entry, number),
    F_INT(prot_entry, registered_at), F_DUP(prot_entry, day),
    F_DUP(prot_entry, direction),   F_DUP(prot_entry, correspondent),
    F_DUP(prot_entry, subject),     F_DUP(prot_entry, channel),
    F_DUP(prot_entry, category),    F_INT(prot_entry, fascicolo_id),
    F_DUP(prot_entry, hash),        F_I32(prot_entry, annulled),
    F_DUP(prot_entry, annul_reason), F_INT(prot_entry, annulled_at),
    F_END};

err_code ps_find_entry(db *d, arena *a, int64_t ente_id, int year, int64_t number, prot_entry *e) {
  return db_get_into(d, a,
                     "SELECT " ENTRY_COLS "WHERE e.ente_id = ? AND e.year = ? AND e.number = ?",
                     PARAMS(P_INT(ente_id), P_INT(year), P_INT(number)), ENTRY_ROW, e);
}

err_code ps_insert_annulment(db *d, int64_t entry_id, int64_t ente_id, const char *reason,
                             int64_t now, const actor *who) {
  return db_insert(d,
                   "INSERT INTO protocol_annulment (entry_id, ente_id, reason, annulled_at, "
                   "actor_kind, actor_id) VALUES (?,?,?,?,?,?) RETURNING id",
                   PARAMS(P_INT(entry_id), P_INT(ente_id), P_TEXT(reason), P_INT(now),
                          P_TEXT(who->kind), P_INT(who->id)),
                   NULL);
}

err_code ps_entries_year(db *d, arena *a, int64_t ente_id, int year, prot_entry **out, size_t *n) {
  err_code rc;
  *out = db_list(d, a, "SELECT " ENTRY_COLS "WHERE e.ente_id = ? AND e.year = ? ORDER BY e.number",
                 PARAMS(P_INT(ente_id), P_INT(year)), ENTRY_ROW, sizeof(prot_entry), n, &rc);
  return rc;
}

err_code ps_entries_day(db *d, arena *a, int64_t ente_id, const char *day, prot_entry **out,
                        size_t *n) {
  err_code rc;
  *out = db_list(d, a,
                 "SELECT " ENTRY_COLS "WHERE e.ente_id = ? AND e.reg_day = ? ORDER BY e.number",
                 PARAMS(P_INT(ente_id), P_TEXT(day)), ENTRY_ROW, sizeof(prot_entry), n, &rc);
  return rc;
}

static void read_sha(db_stmt *st, int col, arena *a, void *dst) {
  (void)a;
  const char *s = db_col_text(st, col);
  snprintf((char *)dst, 65, "%s", s ? s : "");
}

static const db_result DOC_ROW_SHA[] = {F_DUP(prot_doc, role), F_DUP(prot_doc, name),
                                        F_DUP(prot_doc, mime), F_INT(prot_doc, size),
                                        F_FN(prot_doc, sha256, read_sha), F_END};

err_code ps_documents(db *d, arena *a, int64_t entry_id, prot_doc **out, size_t *n) {
  err_code rc;
  *out = db_list(d, a,
                 "SELECT role, name, mime, size, sha256 FROM protocol_document "
                 "WHERE entry_id = ? ORDER BY position",
                 PARAMS(P_INT(entry_id)), DOC_ROW_SHA, sizeof(prot_doc), n, &rc);
  return rc;
}

err_code ps_blob(db *d, arena *a, int64_t ente_id, const char *sha256, const void **data,
                 int64_t *size) {
  void *p = NULL;
  size_t len = 0;
  err_code rc = db_get(d, a,
                       "SELECT b.data FROM blob b WHERE b.sha256 = ? AND EXISTS (SELECT 1 FROM "
                       "protocol_document p WHERE p.sha256 = b.sha256 AND p.ente_id = ?)",
                       PARAMS(P_TEXT(sha256), P_INT(ente_id)), RESULTS(R_BLOB(&p, &len)));
  if (rc != ERR_OK) return rc;
  *data = p;
  *size = (int64_t)len;
  return ERR_OK;
}

static void read_hex(db_stmt *st, int col, arena *a, void *dst) { read_sha(st, col, a, dst); }

err_code ps_day_get(db *d, arena *a, int64_t ente_id, const char *day, prot_day *out) {
  return db_get(d, a,
                "SELECT entries_sha256, audit_head, issued_at FROM protocol_day "
                "WHERE ente_id = ? AND day = ?",
                PARAMS(P_INT(ente_id), P_TEXT(day)),
                RESULTS(R_FN(read_hex, out->issued_sha256), R_FN(read_hex, out->issued_audit_head),
                        R_INT(&out->issued_at)));
}

err_code ps_day_insert(db *d, int64_t ente_id, const prot_day *p, int64_t now) {
  return db_exec(d,
                 "INSERT INTO protocol_day (ente_id, day, entries, entries_sha256, audit_head, "
                 "issued_at) VALUES (?,?,?,?,?,?)",
                 PARAMS(P_INT(ente_id), P_TEXT(p->day), P_INT(p->entries), P_TEXT(p->sha256),
                        P_TEXT(p->audit_head), P_INT(now)),
                 NULL);
}
