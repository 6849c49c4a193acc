/* SQL of mail intake. Every statement about an Ente's data names the
 * Ente (the mailbox rows carry it). */
#include "domain/intake/intake_store.h"

#include <string.h>

err_code is_mailbox_insert(db *d, const intake_mailbox *mb, int64_t now, int64_t *id) {
  return db_insert(d,
                   "INSERT INTO mailbox (ente_id, name, kind, url, username, password, address, "
                   "pec, processed_folder, uidvalidity, last_uid, active, created_at) "
                   "VALUES (?,?,?,?,?,?,?,?,?,0,0,1,?) RETURNING id",
                   PARAMS(P_INT(mb->ente_id), P_TEXT(mb->name), P_TEXT(mb->kind), P_TEXT(mb->url),
                          P_TEXT(mb->username), P_TEXT(mb->password), P_TEXT(mb->address),
                          P_INT(mb->pec), P_TEXT(mb->processed_folder), P_INT(now)),
                   id);
}

#define MAILBOX_COLS                                                                         \
  "id, ente_id, name, kind, url, username, password, address, CAST(pec AS BIGINT), "         \
  "processed_folder, uidvalidity, last_uid, CAST(active AS BIGINT) FROM mailbox "

static void read_i32(db_stmt *st, int col, arena *a, void *dst) {
  (void)a;
  *(int *)dst = (int)db_col_int(st, col);
}

static const db_result MAILBOX_ROW[] = {
    F_INT(intake_mailbox, id),          F_INT(intake_mailbox, ente_id),
    F_DUP(intake_mailbox, name),        F_DUP(intake_mailbox, kind),
    F_DUP(intake_mailbox, url),         F_DUP(intake_mailbox, username),
    F_DUP(intake_mailbox, password),    F_DUP(intake_mailbox, address),
    F_FN(intake_mailbox, pec, read_i32), F_DUP(intake_mailbox, processed_folder),
    F_INT(intake_mailbox, uidvalidity), F_INT(intake_mailbox, last_uid),
    F_FN(intake_mailbox, active, read_i32), F_END};

err_code is_mailbox_find(db *d, arena *a, int64_t ente_id, const char *name, intake_mailbox *out) {
  return db_get_into(d, a, "SELECT " MAILBOX_COLS "WHERE ente_id = ? AND name = ?",
                     PARAMS(P_INT(ente_id), P_TEXT(name)), MAILBOX_ROW, out);
}

err_code is_mailbox_list(db *d, arena *a, int64_t ente_id, intake_mailbox **out, size_t *n) {
  err_code rc;
  *out = db_list(d, a,
                 "SELECT " MAILBOX_COLS "WHERE active = 1 AND (? = 0 OR ente_id = ?) "
                 "ORDER BY ente_id, name",
                 PARAMS(P_INT(ente_id), P_INT(ente_id)), MAILBOX_ROW, sizeof(intake_mailbox), n,
                 &rc);
  return rc;
}

err_code is_mailbox_reset(db *d, int64_t id, int64_t uidvalidity) {
  return db_exec_one(d, "UPDATE mailbox SET uidvalidity = ?, last_uid = 0 WHERE id = ?",
                     PARAMS(P_INT(uidvalidity), P_INT(id)));
}

err_code is_mailbox_advance(db *d, int64_t id, int64_t uid) {
  return db_exec(d, "UPDATE mailbox SET last_uid = ? WHERE id = ? AND last_uid < ?",
                 PARAMS(P_INT(uid), P_INT(id), P_INT(uid)), NULL);
}

err_code is_own_address(db *d, int64_t ente_id, const char *addr, int64_t *mailbox_id) {
  return db_get(d, NULL,
                "SELECT id FROM mailbox WHERE ente_id = ? AND lower(address) = lower(?)",
                PARAMS(P_INT(ente_id), P_TEXT(addr)), RESULTS(R_INT(mailbox_id)));
}

err_code is_message_find(db *d, int64_t mailbox_id, const char *message_id,
                         const char *content_sha256, int64_t *id) {
  return db_get(d, NULL,
                "SELECT id FROM mail_message WHERE mailbox_id = ? AND message_id = ? "
                "AND content_sha256 = ?",
                PARAMS(P_INT(mailbox_id), P_TEXT(message_id), P_TEXT(content_sha256)),
                RESULTS(R_INT(id)));
}

err_code is_message_insert(db *d, const is_message_row *r, int64_t *id) {
  const intake_msg *m = r->m;
  return db_insert(
      d,
      "INSERT INTO mail_message (ente_id, mailbox_id, message_id, content_sha256, raw_sha256, "
      "raw_size, from_addr, from_name, to_addrs, subject, sent_date, body_text, body_html, "
      "in_reply_to, refs, kind, auto_reason, pec, pec_type, daticert_sha256, outbox_id, "
      "reply_to_message, case_tag, state, received_at) "
      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
      PARAMS(P_INT(r->ente_id), P_INT(r->mailbox_id), P_TEXT(m->message_id),
             P_TEXT(m->content_sha256), P_TEXT(m->raw_sha256), P_INT(m->raw_size),
             P_TEXT(m->from_addr), P_TEXT(m->from_name), P_TEXT(m->to_addrs), P_TEXT(m->subject),
             P_TEXT(m->date), P_TEXT(m->text), P_TEXT(m->html), P_TEXT(m->in_reply_to),
             P_TEXT(m->references), P_TEXT(r->kind), P_TEXT(r->auto_reason), P_INT(m->pec),
             P_TEXT(m->pec_type), P_TEXT(r->daticert_sha256), P_INT_OR_NULL(r->outbox_id),
             P_INT_OR_NULL(r->reply_to_message), P_TEXT(r->case_tag), P_TEXT(r->state),
             P_INT(r->received_at)),
      id);
}

err_code is_part_insert(db *d, int64_t message_id, int position, const intake_part *p) {
  return db_exec(d,
                 "INSERT INTO mail_part (message_id, position, role, name, mime, content_id, "
                 "size, sha256) VALUES (?,?,?,?,?,?,?,?)",
                 PARAMS(P_INT(message_id), P_INT(position), P_TEXT(p->role), P_TEXT(p->name),
                        P_TEXT(p->mime), P_TEXT(p->content_id), P_INT(p->size),
                        P_TEXT(p->sha256)),
                 NULL);
}

err_code is_message_set_protocol(db *d, int64_t id, int64_t entry_id) {
  return db_exec_one(d, "UPDATE mail_message SET protocol_entry_id = ? WHERE id = ?",
                     PARAMS(P_INT(entry_id), P_INT(id)));
}

err_code is_message_set_case(db *d, int64_t id, int64_t case_id) {
  return db_exec_one(d, "UPDATE mail_message SET case_id = ?, state = 'assigned' WHERE id = ?",
                     PARAMS(P_INT(case_id), P_INT(id)));
}

err_code is_message_by_msgid(db *d, int64_t ente_id, const char *message_id, int64_t *id,
                             int64_t *case_id) {
  return db_get(d, NULL,
                "SELECT id, COALESCE(case_id, 0) FROM mail_message WHERE ente_id = ? AND "
                "message_id = ? ORDER BY id LIMIT 1",
                PARAMS(P_INT(ente_id), P_TEXT(message_id)), RESULTS(R_INT(id), R_INT(case_id)));
}

err_code is_message_by_protocol(db *d, int64_t ente_id, int year, int64_t number, int64_t *id,
                                int64_t *case_id) {
  return db_get(d, NULL,
                "SELECT m.id, COALESCE(m.case_id, 0) FROM mail_message m JOIN protocol_entry p "
                "ON p.id = m.protocol_entry_id WHERE m.ente_id = ? AND p.ente_id = ? AND "
                "p.year = ? AND p.number = ?",
                PARAMS(P_INT(ente_id), P_INT(ente_id), P_INT(year), P_INT(number)),
                RESULTS(R_INT(id), R_INT(case_id)));
}

err_code is_quarantine_insert(db *d, const intake_mailbox *mb, const char *ref, const char *reason,
                              const char *raw_sha256, int64_t size, int64_t now) {
  return db_exec(d,
                 "INSERT INTO mail_quarantine (ente_id, mailbox_id, source_ref, reason, "
                 "raw_sha256, size, created_at) VALUES (?,?,?,?,?,?,?)",
                 PARAMS(P_INT(mb->ente_id), P_INT(mb->id), P_TEXT(ref), P_TEXT(reason),
                        P_TEXT(raw_sha256), P_INT(size), P_INT(now)),
                 NULL);
}

static const db_result QUARANTINE_ROW[] = {
    F_INT(intake_quarantined, id),         F_INT(intake_quarantined, ente_id),
    F_INT(intake_quarantined, mailbox_id), F_DUP(intake_quarantined, ente_slug),
    F_DUP(intake_quarantined, mailbox),    F_DUP(intake_quarantined, source_ref),
    F_DUP(intake_quarantined, reason),     F_DUP(intake_quarantined, raw_sha256),
    F_INT(intake_quarantined, size),       F_INT(intake_quarantined, created_at),
    F_DUP(intake_quarantined, state),      F_END};

#define QUARANTINE_COLS                                                     \
  "q.id, q.ente_id, q.mailbox_id, e.slug, b.name, q.source_ref, q.reason, " \
  "q.raw_sha256, q.size, q.created_at, q.state FROM mail_quarantine q "     \
  "JOIN ente e ON e.id = q.ente_id JOIN mailbox b ON b.id = q.mailbox_id "

err_code is_quarantine_get(db *d, arena *a, int64_t id, intake_quarantined *out) {
  return db_get_into(d, a, "SELECT " QUARANTINE_COLS "WHERE q.id = ?", PARAMS(P_INT(id)), QUARANTINE_ROW,
                     out);
}

err_code is_quarantine_resolve(db *d, int64_t id, const char *state, int64_t by, int64_t message_id,
                               int64_t now) {
  int64_t n = 0;
  err_code rc =
      db_exec(d,
              "UPDATE mail_quarantine SET state = ?, resolved_at = ?, resolved_by = ?, "
              "mail_message_id = ? WHERE id = ? AND state = 'held'",
              PARAMS(P_TEXT(state), P_INT(now), P_INT(by), P_INT_OR_NULL(message_id), P_INT(id)), &n);
  return rc == ERR_OK && n != 1 ? ERR_CONFLICT : rc;
}

err_code is_quarantine_list(db *d, arena *a, int64_t ente_id, int limit, intake_quarantined **out,
                            size_t *n) {
  err_code rc;
  *out = db_list(d, a,
                 "SELECT " QUARANTINE_COLS
                 "WHERE (? = 0 OR q.ente_id = ?) AND q.state = 'held' ORDER BY q.id DESC LIMIT ?",
                 PARAMS(P_INT(ente_id), P_INT(ente_id), P_INT(limit)), QUARANTINE_ROW,
                 sizeof(intake_quarantined), n, &rc);
  return rc;
}

static const db_result STORED_ROW[] = {
    F_INT(intake_stored, id),          F_INT(intake_stored, mailbox_id),
    F_INT(intake_stored, outbox_id),   F_INT(intake_stored, protocol_entry_id),
    F_INT(intake_stored, case_id),     F_INT(intake_stored, reply_to_message),
    F_DUP(intake_stored, message_id),  F_DUP(intake_stored, from_addr),
    F_DUP(intake_stored, subject),     F_DUP(intake_stored, kind),
    F_DUP(intake_stored, auto_reason), F_DUP(intake_stored, state),
    F_DUP(intake_stored, pec_type),    F_END};

err_code is_message_list(db *d, arena *a, int64_t ente_id, int limit, intake_stored **out,
                         size_t *n) {
  err_code rc;
  *out = db_list(d, a,
                 "SELECT id, mailbox_id, COALESCE(outbox_id, 0), COALESCE(protocol_entry_id, 0), "
                 "COALESCE(case_id, 0), COALESCE(reply_to_message, 0), message_id, from_addr, "
                 "subject, kind, auto_reason, state, pec_type FROM mail_message "
                 "WHERE ente_id = ? ORDER BY id DESC LIMIT ?",
                 PARAMS(P_INT(ente_id), P_INT(limit)), STORED_ROW, sizeof(intake_stored), n, &rc);
  return rc;
}
