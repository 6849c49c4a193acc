/* SQL of the outbox. Every statement reading an Ente's messages names
 * the Ente; delivery reads a row by its id (the job carries it). */
#include "domain/notify/notify_store.h"

#include <stdio.h>
#include <string.h>

err_code ns_insert(db *d, const notify_mail *m, int64_t now, int64_t *id) {
  return db_insert(d,
                   "INSERT INTO outbox (ente_id, channel, from_addr, to_addr, cc, subject, "
                   "body_text, body_html, message_id, in_reply_to, refs, auto_submitted, "
                   "object_type, object_id, state, attempts, created_at, updated_at) "
                   "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,'queued',0,?,?) RETURNING id",
                   PARAMS(P_INT(m->ente_id), P_TEXT(m->channel), P_TEXT(m->from), P_TEXT(m->to),
                          P_TEXT(m->cc), P_TEXT(m->subject), P_TEXT(m->text), P_TEXT(m->html),
                          P_TEXT(m->message_id), P_TEXT(m->in_reply_to), P_TEXT(m->references),
                          P_TEXT(m->auto_submitted), P_TEXT(m->object_type),
                          P_INT_OR_NULL(m->object_id), P_INT(now), P_INT(now)),
                   id);
}

err_code ns_insert_attachment(db *d, int64_t outbox_id, int position, const notify_attachment *x) {
  return db_exec(d,
                 "INSERT INTO outbox_attachment (outbox_id, position, name, mime, size, sha256) "
                 "VALUES (?,?,?,?,?,?)",
                 PARAMS(P_INT(outbox_id), P_INT(position), P_TEXT(x->name), P_TEXT(x->mime),
                        P_INT(x->size), P_TEXT(x->sha256)),
                 NULL);
}

#define OUTBOX_COLS                                                                           \
  "id, ente_id, channel, from_addr, to_addr, cc, subject, body_text, body_html, message_id, " \
  "in_reply_to, refs, auto_submitted, object_type, object_id, state, "                        \
  "CAST(attempts AS BIGINT), last_error, created_at, sent_at, delivery, delivery_at FROM outbox "

static void read_i32(db_stmt *st, int col, arena *a, void *dst) {
  (void)a;
  *(int *)dst = (int)db_col_int(st, col);
}

static const db_result OUTBOX_ROW[] = {F_INT(notify_mail, id),
                                       F_INT(notify_mail, ente_id),
                                       F_DUP(notify_mail, channel),
                                       F_DUP(notify_mail, from),
                                       F_DUP(notify_mail, to),
                                       F_DUP(notify_mail, cc),
                                       F_DUP(notify_mail, subject),
                                       F_DUP(notify_mail, text),
                                       F_DUP(notify_mail, html),
                                       F_DUP(notify_mail, message_id),
                                       F_DUP(notify_mail, in_reply_to),
                                       F_DUP(notify_mail, references),
                                       F_DUP(notify_mail, auto_submitted),
                                       F_DUP(notify_mail, object_type),
                                       F_INT(notify_mail, object_id),
                                       F_DUP(notify_mail, state),
                                       F_FN(notify_mail, attempts, read_i32),
                                       F_DUP(notify_mail, last_error),
                                       F_INT(notify_mail, created_at),
                                       F_INT(notify_mail, sent_at),
                                       F_DUP(notify_mail, delivery),
                                       F_INT(notify_mail, delivery_at),
                                       F_END};

err_code ns_get(db *d, arena *a, int64_t id, notify_mail *out) {
  return db_get_into(d, a, "SELECT " OUTBOX_COLS "WHERE id = ?", PARAMS(P_INT(id)), OUTBOX_ROW,
                     out);
}

static void read_sha(db_stmt *st, int col, arena *a, void *dst) {
  (void)a;
  const char *s = db_col_text(st, col);
  snprintf((char *)dst, 65, "%s", s ? s : "");
}

static void read_data(db_stmt *st, int col, arena *a, void *dst) {
  size_t n = 0;
  const void *p = db_col_blob(st, col, &n);
  void *copy = NULL;
  if (p) {
    copy = arena_alloc(a, n ? n : 1);
    memcpy(copy, p, n);
  }
  *(const void **)dst = copy;
}

static const db_result ATT_ROW[] = {F_DUP(notify_attachment, name), F_DUP(notify_attachment, mime),
                                    F_INT(notify_attachment, size),
                                    F_FN(notify_attachment, sha256, read_sha), F_SKIP, F_END};
static const db_result ATT_ROW_DATA[] = {
    F_DUP(notify_attachment, name), F_DUP(notify_attachment, mime), F_INT(notify_attachment, size),
    F_FN(notify_attachment, sha256, read_sha), F_FN(notify_attachment, data, read_data), F_END};

err_code ns_attachments(db *d, arena *a, int64_t outbox_id, int with_data, notify_attachment **out,
                        size_t *n) {
  err_code rc;
  if (with_data)
    *out = db_list(d, a,
                   "SELECT x.name, x.mime, x.size, x.sha256, b.data FROM outbox_attachment x "
                   "JOIN blob b ON b.sha256 = x.sha256 WHERE x.outbox_id = ? ORDER BY x.position",
                   PARAMS(P_INT(outbox_id)), ATT_ROW_DATA, sizeof(notify_attachment), n, &rc);
  else
    *out = db_list(d, a,
                   "SELECT name, mime, size, sha256, NULL FROM outbox_attachment "
                   "WHERE outbox_id = ? ORDER BY position",
                   PARAMS(P_INT(outbox_id)), ATT_ROW, sizeof(notify_attachment), n, &rc);
  return rc;
}

err_code ns_set_state(db *d, int64_t id, const char *state, const char *error, int attempt,
                      int64_t now) {
  return db_exec_one(d,
                     "UPDATE outbox SET state = ?, last_error = COALESCE(?, last_error), "
                     "attempts = attempts + ?, updated_at = ?, "
                     "sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END WHERE id = ?",
                     PARAMS(P_TEXT(state), P_TEXT(error), P_INT(attempt), P_INT(now),
                            P_TEXT(state), P_INT(now), P_INT(id)));
}

err_code ns_set_delivery(db *d, int64_t ente_id, int64_t id, const char *delivery, const char *detail,
                         int64_t now, int64_t *changed) {
  return db_exec(d,
                 "UPDATE outbox SET delivery = ?, delivery_detail = ?, delivery_at = ?, "
                 "updated_at = ? WHERE id = ? AND ente_id = ? AND "
                 "(delivery IS NULL OR (delivery = 'accepted' AND ? <> 'accepted'))",
                 PARAMS(P_TEXT(delivery), P_TEXT(detail), P_INT(now), P_INT(now), P_INT(id), P_INT(ente_id),
                        P_TEXT(delivery)),
                 changed);
}

err_code ns_find_msgid(db *d, arena *a, int64_t ente_id, const char *message_id, int64_t *id,
                       const char **object_type, int64_t *object_id) {
  char *type = NULL;
  int64_t oid = 0;
  err_code rc = db_get(d, a,
                       "SELECT id, object_type, COALESCE(object_id, 0) FROM outbox "
                       "WHERE message_id = ? AND ente_id = ?",
                       PARAMS(P_TEXT(message_id), P_INT(ente_id)),
                       RESULTS(R_INT(id), R_DUP(&type), R_INT(&oid)));
  if (rc == ERR_OK) {
    if (object_type) *object_type = type;
    if (object_id) *object_id = oid;
  }
  return rc;
}

err_code ns_list(db *d, arena *a, int64_t ente_id, int limit, notify_mail **out, size_t *n) {
  err_code rc;
  *out = db_list(d, a, "SELECT " OUTBOX_COLS "WHERE ente_id = ? ORDER BY id DESC LIMIT ?",
                 PARAMS(P_INT(ente_id), P_INT(limit)), OUTBOX_ROW, sizeof(notify_mail), n, &rc);
  return rc;
}
