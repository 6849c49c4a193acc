/* SQL of the cases area. Every statement names the Ente (ente_id = ?). */
#include "domain/cases/cases_store.h"

#include <stdio.h>
#include <string.h>

err_code cst_next_number(db *d, int64_t ente_id, int year, int64_t *number) {
  err_code rc = db_exec(d,
                        "INSERT INTO case_counter (ente_id, year, last_number) VALUES (?, ?, 0) "
                        "ON CONFLICT (ente_id, year) DO NOTHING",
                        PARAMS(P_INT(ente_id), P_INT(year)), NULL);
  if (rc != ERR_OK) return rc;
  return db_get(d, NULL,
                "UPDATE case_counter SET last_number = last_number + 1 "
                "WHERE ente_id = ? AND year = ? RETURNING last_number",
                PARAMS(P_INT(ente_id), P_INT(year)), RESULTS(R_INT(number)));
}

err_code cst_insert(db *d, const case_rec *c, int64_t *id) {
  return db_insert(
      d,
      "INSERT INTO cases (ente_id, year, number, channel, category_code, category_name, subject, "
      "description, priority, state, office_id, requester_kind, requester_name, requester_email, "
      "requester_pec, requester_fiscal_code, requester_phone, requester_contact, taxpayer_id, "
      "requester_user_id, act_number, act_taxpayer_cf, act_details, reason, agreed_office_id, "
      "thread_id, received_at, due_date, updated_at) "
      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
      PARAMS(P_INT(c->ente_id), P_INT(c->year), P_INT(c->number), P_TEXT(c->channel),
             P_TEXT(c->category_code), P_TEXT(c->category_name), P_TEXT(c->subject),
             P_TEXT(c->description), P_TEXT(c->priority), P_TEXT(case_state_slug(c->state)),
             P_INT_OR_NULL(c->office_id), P_TEXT(c->requester_kind), P_TEXT(c->requester_name),
             P_TEXT(c->requester_email), P_TEXT(c->requester_pec),
             P_TEXT(c->requester_fiscal_code), P_TEXT(c->requester_phone),
             P_TEXT(c->requester_contact), P_INT_OR_NULL(c->taxpayer_id),
             P_INT_OR_NULL(c->requester_user_id), P_TEXT(c->act_number),
             P_TEXT(c->act_taxpayer_cf), P_TEXT(c->act_details), P_TEXT(c->reason),
             P_INT_OR_NULL(c->agreed_office_id), P_TEXT(c->thread_id), P_INT(c->received_at),
             P_TEXT(c->due_date), P_INT(c->updated_at)),
      id);
}

static void read_state(db_stmt *st, int col, arena *a, void *dst) {
  (void)a;
  *(case_state *)dst = case_state_parse(db_col_text(st, col));
}

/* Case columns in CASE_ROW order; the first parameter is today (overdue). */
#define CASE_COLS                                                                               \
  "c.id, c.ente_id, CAST(c.year AS BIGINT), c.number, c.channel, c.category_code, "             \
  "c.category_name, c.subject, c.description, c.priority, c.state, c.outcome, c.office_id, "    \
  "o.name, c.assignee_id, u.full_name, c.requester_kind, c.requester_name, c.requester_email, " \
  "c.requester_pec, c.requester_fiscal_code, c.requester_phone, c.requester_contact, "          \
  "c.taxpayer_id, c.requester_user_id, c.agreed_office_id, c.act_number, c.act_taxpayer_cf, "   \
  "c.act_details, c.reason, c.protocol_entry_id, CAST(c.protocol_year AS BIGINT), "             \
  "c.protocol_number, c.thread_id, c.received_at, c.due_date, c.closed_at, c.updated_at, "      \
  "CASE WHEN c.state <> 'closed' AND c.due_date < ? THEN 1 ELSE 0 END "                         \
  "FROM cases c LEFT JOIN office o ON o.id = c.office_id "                                      \
  "LEFT JOIN app_user u ON u.id = c.assignee_id "

static const db_result CASE_ROW[] = {F_INT(case_rec, id),
                                     F_INT(case_rec, ente_id),
                                     F_I32(case_rec, year),
                                     F_INT(case_rec, number),
                                     F_DUP(case_rec, channel),
                                     F_DUP(case_rec, category_code),
                                     F_DUP(case_rec, category_name),
                                     F_DUP(case_rec, subject),
                                     F_DUP(case_rec, description),
                                     F_DUP(case_rec, priority),
                                     F_FN(case_rec, state, read_state),
                                     F_DUP(case_rec, outcome),
                                     F_INT(case_rec, office_id),
                                     F_DUP(case_rec, office_name),
                                     F_INT(case_rec, assignee_id),
                                     F_DUP(case_rec, assignee_name),
                                     F_DUP(case_rec, requester_kind),
                                     F_DUP(case_rec, requester_name),
                                     F_DUP(case_rec, requester_email),
                                     F_DUP(case_rec, requester_pec),
                                     F_DUP(case_rec, requester_fiscal_code),
                                     F_DUP(case_rec, requester_phone),
                                     F_DUP(case_rec, requester_contact),
                                     F_INT(case_rec, taxpayer_id),
                                     F_INT(case_rec, requester_user_id),
                                     F_INT(case_rec, agreed_office_id),
                                     F_DUP(case_rec, act_number),
                                     F_DUP(case_rec, act_taxpayer_cf),
                                     F_DUP(case_rec, act_details),
                                     F_DUP(case_rec, reason),
                                     F_INT(case_rec, protocol_entry_id),
                                     F_I32(case_rec, protocol_year),
                                     F_INT(case_rec, protocol_number),
                                     F_DUP(case_rec, thread_id),
                                     F_INT(case_rec, received_at),
                                     F_DUP(case_rec, due_date),
                                     F_INT(case_rec, closed_at),
                                     F_INT(case_rec, updated_at),
                                     F_I32(case_rec, overdue),
                                     F_END};

static void labelled(arena *a, case_rec *c, size_t n) {
  for (size_t i = 0; i < n; i++) c[i].label = (char *)case_label(a, c[i].year, c[i].number);
}

static err_code get_one(err_code rc, arena *a, case_rec *out) {
  if (rc == ERR_OK) labelled(a, out, 1);
  return rc;
}

err_code cst_get(db *d, arena *a, int64_t ente_id, int64_t id, const char *today, case_rec *out) {
  return get_one(db_get_into(d, a, "SELECT " CASE_COLS "WHERE c.ente_id = ? AND c.id = ?",
                             PARAMS(P_TEXT(today), P_INT(ente_id), P_INT(id)), CASE_ROW, out),
                 a, out);
}

err_code cst_get_by_number(db *d, arena *a, int64_t ente_id, int year, int64_t number,
                           const char *today, case_rec *out) {
  return get_one(
      db_get_into(d, a, "SELECT " CASE_COLS "WHERE c.ente_id = ? AND c.year = ? AND c.number = ?",
                  PARAMS(P_TEXT(today), P_INT(ente_id), P_INT(year), P_INT(number)), CASE_ROW,
                  out),
      a, out);
}

err_code cst_get_by_protocol(db *d, arena *a, int64_t ente_id, int year, int64_t number,
                             const char *today, case_rec *out) {
  return get_one(db_get_into(d, a,
                             "SELECT " CASE_COLS "WHERE c.ente_id = ? AND c.id = (SELECT "
                             "MIN(p.case_id) FROM case_protocol p JOIN protocol_entry e ON e.id = "
                             "p.entry_id WHERE p.ente_id = ? AND e.ente_id = ? AND e.year = ? AND "
                             "e.number = ?)",
                             PARAMS(P_TEXT(today), P_INT(ente_id), P_INT(ente_id), P_INT(ente_id),
                                    P_INT(year), P_INT(number)),
                             CASE_ROW, out),
                 a, out);
}

err_code cst_of_mail_message(db *d, int64_t ente_id, int64_t mail_message_id, int64_t *case_id) {
  return db_get(d, NULL,
                "SELECT case_id FROM case_message WHERE ente_id = ? AND mail_message_id = ? "
                "ORDER BY id LIMIT 1",
                PARAMS(P_INT(ente_id), P_INT(mail_message_id)), RESULTS(R_INT(case_id)));
}

err_code cst_update(db *d, const case_rec *c) {
  return db_exec_one(d,
                     "UPDATE cases SET state = ?, outcome = ?, office_id = ?, assignee_id = ?, "
                     "closed_at = ?, thread_id = ?, updated_at = ? WHERE ente_id = ? AND id = ?",
                     PARAMS(P_TEXT(case_state_slug(c->state)), P_TEXT(c->outcome),
                            P_INT_OR_NULL(c->office_id), P_INT_OR_NULL(c->assignee_id),
                            P_INT_OR_NULL(c->closed_at), P_TEXT(c->thread_id),
                            P_INT(c->updated_at), P_INT(c->ente_id), P_INT(c->id)));
}

err_code cst_set_protocol(db *d, const case_rec *c) {
  return db_exec_one(d,
                     "UPDATE cases SET protocol_entry_id = ?, protocol_year = ?, "
                     "protocol_number = ? WHERE ente_id = ? AND id = ?",
                     PARAMS(P_INT(c->protocol_entry_id), P_INT(c->protocol_year),
                            P_INT(c->protocol_number), P_INT(c->ente_id), P_INT(c->id)));
}

err_code cst_event(db *d, const case_rec *c, int64_t now, const char *kind, const char *from,
                   const char *to, const actor *who, const char *reason) {
  return db_exec(d,
                 "INSERT INTO case_event (case_id, ente_id, created_at, kind, from_state, "
                 "to_state, actor_kind, actor_id, office_id, assignee_id, reason) "
                 "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                 PARAMS(P_INT(c->id), P_INT(c->ente_id), P_INT(now), P_TEXT(kind), P_TEXT(from),
                        P_TEXT(to), P_TEXT(who->kind), P_INT(who->id), P_INT_OR_NULL(c->office_id),
                        P_INT_OR_NULL(c->assignee_id), P_TEXT(reason)),
                 NULL);
}

err_code cst_message(db *d, int64_t ente_id, int64_t case_id, const case_message *m,
                     int64_t mail_message_id, int64_t *id) {
  return db_insert(
      d,
      "INSERT INTO case_message (case_id, ente_id, direction, channel, kind, sender, recipient, "
      "subject, body, message_id, in_reply_to, refs, outbox_id, mail_message_id, "
      "protocol_entry_id, author_id, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
      "RETURNING id",
      PARAMS(P_INT(case_id), P_INT(ente_id), P_TEXT(m->direction), P_TEXT(m->channel),
             P_TEXT(m->kind), P_TEXT(m->sender), P_TEXT(m->recipient), P_TEXT(m->subject),
             P_TEXT(m->body), P_TEXT(m->message_id), P_TEXT(m->in_reply_to), P_TEXT(m->refs),
             P_INT_OR_NULL(m->outbox_id), P_INT_OR_NULL(mail_message_id),
             P_INT_OR_NULL(m->protocol_entry_id), P_INT_OR_NULL(m->author_id),
             P_INT(m->created_at)),
      id);
}

err_code cst_attachment(db *d, int64_t ente_id, int64_t case_id, int64_t message_id,
                        const case_file *f, int64_t now) {
  return db_exec(d,
                 "INSERT INTO case_attachment (case_id, ente_id, case_message_id, name, mime, "
                 "size, sha256, created_at) VALUES (?,?,?,?,?,?,?,?)",
                 PARAMS(P_INT(case_id), P_INT(ente_id), P_INT_OR_NULL(message_id),
                        P_TEXT(f->name), P_TEXT(f->mime), P_INT(f->size), P_TEXT(f->sha256),
                        P_INT(now)),
                 NULL);
}

err_code cst_link_protocol(db *d, int64_t ente_id, int64_t case_id, int64_t entry_id) {
  return db_exec(d,
                 "INSERT INTO case_protocol (case_id, ente_id, entry_id) VALUES (?,?,?) "
                 "ON CONFLICT (case_id, entry_id) DO NOTHING",
                 PARAMS(P_INT(case_id), P_INT(ente_id), P_INT(entry_id)), NULL);
}

/* The queue's conditions, shared by the list and its count. Parameters:
 * ente, office x2, state x2, open-only, assignee x2, overdue-today x2,
 * category x2, from, to. */
#define LIST_WHERE                                                                       \
  "WHERE c.ente_id = ? AND (? = 0 OR c.office_id = ?) AND (? = '' OR c.state = ?) "      \
  "AND (? = 0 OR c.state <> 'closed') AND (? = 0 OR c.assignee_id = ?) "                 \
  "AND (? = '' OR c.due_date < ?) AND (? = '' OR c.category_code = ?) "                  \
  "AND c.received_at >= ? AND c.received_at < ? "

#define LIST_PARAMS(f, state, open, assignee, overdue_day, cat, from_ts, to_ts)                \
  P_INT((f)->ente_id), P_INT((f)->office_id), P_INT((f)->office_id), P_TEXT(state),            \
      P_TEXT(state), P_INT(open), P_INT(assignee), P_INT(assignee), P_TEXT(overdue_day),       \
      P_TEXT(overdue_day), P_TEXT(cat), P_TEXT(cat), P_INT(from_ts), P_INT(to_ts)

err_code cst_list(db *d, arena *a, const case_filter *f, const char *today, int64_t from_ts,
                  int64_t to_ts, case_rec **out, size_t *n, int64_t *total) {
  const char *state = f->state ? f->state : "";
  int open = 0;
  int64_t assignee = 0;
  const char *overdue_day = "";
  switch (f->view) {
    case CQ_OPEN: open = 1; break;
    case CQ_NEW: state = "new"; break;
    case CQ_MINE: open = 1; assignee = f->user_id ? f->user_id : -1; break;
    case CQ_WAITING: state = "waiting"; break;
    case CQ_OVERDUE: open = 1; overdue_day = today; break;
    case CQ_CLOSED: state = "closed"; break;
    case CQ_ALL: break;
  }
  const char *cat = f->category ? f->category : "";
  err_code rc = db_get(d, NULL, "SELECT count(*) FROM cases c " LIST_WHERE,
                       PARAMS(LIST_PARAMS(f, state, open, assignee, overdue_day, cat, from_ts, to_ts)),
                       RESULTS(R_INT(total)));
  if (rc != ERR_OK) return rc;
  *out = db_list(d, a,
                 "SELECT " CASE_COLS LIST_WHERE
                 "ORDER BY CASE WHEN c.state = 'closed' THEN 2 WHEN c.priority = 'urgent' THEN 0 "
                 "ELSE 1 END, CASE WHEN c.state = 'closed' THEN -c.closed_at ELSE 0 END, "
                 "c.due_date, c.received_at, c.id LIMIT ? OFFSET ?",
                 PARAMS(P_TEXT(today),
                        LIST_PARAMS(f, state, open, assignee, overdue_day, cat, from_ts, to_ts),
                        P_INT(f->limit), P_INT(f->offset)),
                 CASE_ROW, sizeof(case_rec), n, &rc);
  if (rc == ERR_OK) labelled(a, *out, *n);
  return rc;
}

err_code cst_recent(db *d, arena *a, const case_rec *c, const char *today, int limit,
                    case_rec **out, size_t *n) {
  err_code rc;
  *out = db_list(d, a,
                 "SELECT " CASE_COLS
                 "WHERE c.ente_id = ? AND c.id <> ? AND ((c.requester_fiscal_code IS NOT NULL AND "
                 "c.requester_fiscal_code = ?) OR (c.requester_email IS NOT NULL AND "
                 "c.requester_email = ?) OR (c.requester_user_id IS NOT NULL AND "
                 "c.requester_user_id = ?)) ORDER BY c.received_at DESC, c.id DESC LIMIT ?",
                 PARAMS(P_TEXT(today), P_INT(c->ente_id), P_INT(c->id),
                        P_TEXT(c->requester_fiscal_code), P_TEXT(c->requester_email),
                        P_INT(c->requester_user_id ? c->requester_user_id : -1), P_INT(limit)),
                 CASE_ROW, sizeof(case_rec), n, &rc);
  if (rc == ERR_OK) labelled(a, *out, *n);
  return rc;
}

static const db_result EVENT_ROW[] = {
    F_INT(case_event, id),          F_INT(case_event, created_at),   F_DUP(case_event, kind),
    F_DUP(case_event, from_state),  F_DUP(case_event, to_state),     F_DUP(case_event, actor_kind),
    F_INT(case_event, actor_id),    F_DUP(case_event, actor_name),   F_DUP(case_event, office_name),
    F_DUP(case_event, assignee_name), F_DUP(case_event, reason),     F_END};

err_code cst_events(db *d, arena *a, int64_t ente_id, int64_t case_id, case_event **out,
                    size_t *n) {
  err_code rc;
  *out = db_list(d, a,
                 "SELECT e.id, e.created_at, e.kind, e.from_state, e.to_state, e.actor_kind, "
                 "e.actor_id, CASE WHEN e.actor_kind = 'user' THEN au.full_name ELSE NULL END, "
                 "o.name, u.full_name, e.reason FROM case_event e "
                 "LEFT JOIN app_user au ON au.id = e.actor_id "
                 "LEFT JOIN office o ON o.id = e.office_id "
                 "LEFT JOIN app_user u ON u.id = e.assignee_id "
                 "WHERE e.ente_id = ? AND e.case_id = ? ORDER BY e.id",
                 PARAMS(P_INT(ente_id), P_INT(case_id)), EVENT_ROW, sizeof(case_event), n, &rc);
  return rc;
}

#define MSG_COLS                                                                                \
  "m.id, m.created_at, m.outbox_id, m.protocol_entry_id, m.author_id, m.direction, m.channel, " \
  "m.kind, m.sender, m.recipient, m.subject, m.body, m.message_id, m.in_reply_to, m.refs, "     \
  "u.full_name, p.number, CAST(p.year AS BIGINT), o.state, o.delivery, o.delivery_at "          \
  "FROM case_message m LEFT JOIN app_user u ON u.id = m.author_id "                             \
  "LEFT JOIN protocol_entry p ON p.id = m.protocol_entry_id "                                   \
  "LEFT JOIN outbox o ON o.id = m.outbox_id AND o.ente_id = m.ente_id "

static const db_result MSG_ROW[] = {F_INT(case_message, id),
                                    F_INT(case_message, created_at),
                                    F_INT(case_message, outbox_id),
                                    F_INT(case_message, protocol_entry_id),
                                    F_INT(case_message, author_id),
                                    F_DUP(case_message, direction),
                                    F_DUP(case_message, channel),
                                    F_DUP(case_message, kind),
                                    F_DUP(case_message, sender),
                                    F_DUP(case_message, recipient),
                                    F_DUP(case_message, subject),
                                    F_DUP(case_message, body),
                                    F_DUP(case_message, message_id),
                                    F_DUP(case_message, in_reply_to),
                                    F_DUP(case_message, refs),
                                    F_DUP(case_message, author_name),
                                    F_INT(case_message, protocol_number),
                                    F_I32(case_message, protocol_year),
                                    F_DUP(case_message, out_state),
                                    F_DUP(case_message, delivery),
                                    F_INT(case_message, delivery_at),
                                    F_END};

static const db_result RECEIPT_ROW[] = {F_INT(case_receipt, outbox_id), F_INT(case_receipt, received_at),
                                        F_DUP(case_receipt, kind), F_END};

err_code cst_receipts(db *d, arena *a, int64_t ente_id, int64_t case_id, case_receipt **out, size_t *n) {
  err_code rc;
  *out = db_list(d, a,
                 "SELECT r.outbox_id, r.received_at, "
                 "CASE WHEN r.auto_reason = 'bounce' THEN 'bounce' ELSE r.pec_type END "
                 "FROM mail_message r JOIN case_message m ON m.outbox_id = r.outbox_id "
                 "WHERE m.ente_id = ? AND m.case_id = ? AND r.ente_id = ? "
                 "AND r.kind = 'automatic' ORDER BY r.received_at, r.id",
                 PARAMS(P_INT(ente_id), P_INT(case_id), P_INT(ente_id)), RECEIPT_ROW, sizeof(case_receipt), n,
                 &rc);
  return rc;
}

err_code cst_messages(db *d, arena *a, int64_t ente_id, int64_t case_id, case_message **out,
                      size_t *n) {
  err_code rc;
  *out = db_list(d, a, "SELECT " MSG_COLS "WHERE m.ente_id = ? AND m.case_id = ? ORDER BY m.id",
                 PARAMS(P_INT(ente_id), P_INT(case_id)), MSG_ROW, sizeof(case_message), n, &rc);
  return rc;
}

err_code cst_last_message(db *d, arena *a, int64_t ente_id, int64_t case_id, const char *direction,
                          case_message *out) {
  return db_get_into(d, a,
                     "SELECT " MSG_COLS
                     "WHERE m.ente_id = ? AND m.case_id = ? AND (? = '' OR m.direction = ?) "
                     "AND m.message_id IS NOT NULL AND m.kind <> 'notice' ORDER BY m.id DESC LIMIT 1",
                     PARAMS(P_INT(ente_id), P_INT(case_id), P_TEXT(direction ? direction : ""),
                            P_TEXT(direction ? direction : "")),
                     MSG_ROW, out);
}

static const db_result ATT_ROW[] = {F_INT(case_attachment, id),       F_INT(case_attachment, size),
                                    F_INT(case_attachment, created_at), F_DUP(case_attachment, name),
                                    F_DUP(case_attachment, mime),     F_DUP(case_attachment, sha256),
                                    F_END};

err_code cst_attachments(db *d, arena *a, int64_t ente_id, int64_t case_id,
                         case_attachment **out, size_t *n) {
  err_code rc;
  *out = db_list(d, a,
                 "SELECT id, size, created_at, name, mime, sha256 FROM case_attachment "
                 "WHERE ente_id = ? AND case_id = ? ORDER BY id",
                 PARAMS(P_INT(ente_id), P_INT(case_id)), ATT_ROW, sizeof(case_attachment), n, &rc);
  return rc;
}

err_code cst_attachment_data(db *d, arena *a, int64_t ente_id, int64_t case_id, int64_t att_id,
                             case_attachment *out, const void **data) {
  err_code rc = db_get_into(d, a,
                            "SELECT id, size, created_at, name, mime, sha256 FROM case_attachment "
                            "WHERE ente_id = ? AND case_id = ? AND id = ?",
                            PARAMS(P_INT(ente_id), P_INT(case_id), P_INT(att_id)), ATT_ROW, out);
  if (rc != ERR_OK) return rc;
  size_t len;
  return db_blob_get(d, a, out->sha256, data, &len);
}

static const db_result PROT_ROW[] = {
    F_INT(case_protocol, entry_id),      F_INT(case_protocol, number),
    F_INT(case_protocol, registered_at), F_I32(case_protocol, year),
    F_DUP(case_protocol, direction),     F_DUP(case_protocol, correspondent),
    F_DUP(case_protocol, subject),       F_DUP(case_protocol, channel),
    F_DUP(case_protocol, hash),          F_I32(case_protocol, annulled),
    F_END};

err_code cst_protocols(db *d, arena *a, int64_t ente_id, int64_t case_id, case_protocol **out,
                       size_t *n) {
  err_code rc;
  *out = db_list(d, a,
                 "SELECT e.id, e.number, e.registered_at, CAST(e.year AS BIGINT), e.direction, "
                 "e.correspondent, e.subject, e.channel, e.entry_hash, CASE WHEN an.id IS NULL "
                 "THEN 0 ELSE 1 END FROM case_protocol p JOIN protocol_entry e ON e.id = "
                 "p.entry_id LEFT JOIN protocol_annulment an ON an.entry_id = e.id "
                 "WHERE p.ente_id = ? AND e.ente_id = ? AND p.case_id = ? ORDER BY e.id",
                 PARAMS(P_INT(ente_id), P_INT(ente_id), P_INT(case_id)), PROT_ROW,
                 sizeof(case_protocol), n, &rc);
  return rc;
}

static const db_result CAT_ROW[] = {F_DUP(case_category, code), F_DUP(case_category, name),
                                    F_I32(case_category, working_days),
                                    F_I32(case_category, active), F_END};

err_code cst_categories(db *d, arena *a, int64_t ente_id, case_category **out, size_t *n) {
  err_code rc;
  *out = db_list(d, a,
                 "SELECT code, name, CAST(working_days AS BIGINT), CAST(active AS BIGINT) FROM "
                 "case_category WHERE ente_id = ? ORDER BY code",
                 PARAMS(P_INT(ente_id)), CAT_ROW, sizeof(case_category), n, &rc);
  return rc;
}

err_code cst_category_get(db *d, arena *a, int64_t ente_id, const char *code, case_category *out) {
  return db_get_into(d, a,
                     "SELECT code, name, CAST(working_days AS BIGINT), CAST(active AS BIGINT) FROM "
                     "case_category WHERE ente_id = ? AND code = ?",
                     PARAMS(P_INT(ente_id), P_TEXT(code)), CAT_ROW, out);
}

err_code cst_category_upsert(db *d, int64_t ente_id, const case_category *c, int64_t now) {
  return db_exec(d,
                 "INSERT INTO case_category (ente_id, code, name, working_days, active, "
                 "updated_at) VALUES (?,?,?,?,?,?) ON CONFLICT (ente_id, code) DO UPDATE SET "
                 "name = excluded.name, working_days = excluded.working_days, "
                 "active = excluded.active, updated_at = excluded.updated_at",
                 PARAMS(P_INT(ente_id), P_TEXT(c->code), P_TEXT(c->name), P_INT(c->working_days),
                        P_INT(c->active), P_INT(now)),
                 NULL);
}

err_code cst_office_exists(db *d, int64_t office_id) {
  return db_get(d, NULL, "SELECT id FROM office WHERE id = ?", PARAMS(P_INT(office_id)), RESULTS(R_SKIP));
}

err_code cst_office_serves(db *d, int64_t office_id, int64_t ente_id) {
  return db_get(d, NULL, "SELECT office_id FROM office_ente WHERE ente_id = ? AND office_id = ?",
                PARAMS(P_INT(ente_id), P_INT(office_id)), RESULTS(R_SKIP));
}

err_code cst_serve_on(db *d, int64_t office_id, int64_t ente_id, int64_t now) {
  return db_exec(d,
                 "INSERT INTO office_ente (office_id, ente_id, created_at) VALUES (?,?,?) "
                 "ON CONFLICT (office_id, ente_id) DO NOTHING",
                 PARAMS(P_INT(office_id), P_INT(ente_id), P_INT(now)), NULL);
}

err_code cst_serve_off(db *d, int64_t office_id, int64_t ente_id) {
  return db_exec(d, "DELETE FROM office_ente WHERE ente_id = ? AND office_id = ?",
                 PARAMS(P_INT(ente_id), P_INT(office_id)), NULL);
}

static const db_result OFFICE_ROW[] = {F_INT(office, id), F_INT(office, region_id),
                                       F_DUP(office, region_name), F_DUP(office, code),
                                       F_DUP(office, name), F_DUP(office, city), F_END};

err_code cst_serving(db *d, arena *a, int64_t ente_id, office **out, size_t *n) {
  err_code rc;
  *out = db_list(d, a,
                 "SELECT o.id, o.region_id, r.name, o.code, o.name, o.city FROM office_ente oe "
                 "JOIN office o ON o.id = oe.office_id JOIN region r ON r.id = o.region_id "
                 "WHERE oe.ente_id = ? ORDER BY o.code",
                 PARAMS(P_INT(ente_id)), OFFICE_ROW, sizeof(office), n, &rc);
  return rc;
}

static const db_result RULE_ROW[] = {F_INT(case_rule, id),          F_INT(case_rule, ente_id),
                                     F_INT(case_rule, office_id),   F_DUP(case_rule, category_code),
                                     F_I32(case_rule, position),    F_DUP(case_rule, office_name),
                                     F_END};

err_code cst_rules(db *d, arena *a, int64_t ente_id, case_rule **out, size_t *n) {
  err_code rc;
  *out = db_list(d, a,
                 "SELECT r.id, r.ente_id, r.office_id, r.category_code, CAST(r.position AS "
                 "BIGINT), o.name FROM case_rule r JOIN office o ON o.id = r.office_id "
                 "WHERE r.ente_id = ? ORDER BY r.category_code, r.position, r.id",
                 PARAMS(P_INT(ente_id)), RULE_ROW, sizeof(case_rule), n, &rc);
  return rc;
}

err_code cst_rule_insert(db *d, const case_rule *r, int64_t now, int64_t *id) {
  return db_insert(d,
                   "INSERT INTO case_rule (ente_id, category_code, office_id, position, "
                   "created_at) VALUES (?,?,?,?,?) RETURNING id",
                   PARAMS(P_INT(r->ente_id), P_TEXT(r->category_code), P_INT(r->office_id),
                          P_INT(r->position), P_INT(now)),
                   id);
}

err_code cst_rule_delete(db *d, int64_t ente_id, int64_t id) {
  return db_exec_one(d, "DELETE FROM case_rule WHERE ente_id = ? AND id = ?",
                     PARAMS(P_INT(ente_id), P_INT(id)));
}

err_code cst_rule_match(db *d, int64_t ente_id, const char *category, int64_t *office_id) {
  return db_get(d, NULL,
                "SELECT office_id FROM case_rule WHERE ente_id = ? AND (category_code = ? OR "
                "category_code IS NULL) ORDER BY CASE WHEN category_code IS NULL THEN 1 ELSE 0 "
                "END, position, id LIMIT 1",
                PARAMS(P_INT(ente_id), P_TEXT(category)), RESULTS(R_INT(office_id)));
}

err_code cst_least_loaded(db *d, int64_t ente_id, int64_t *office_id) {
  /* load counts every open case of the office (an office's staff works for
   * all its Enti); the office itself must serve this Ente */
  err_code rc = db_get(d, NULL,
                       "SELECT o.id FROM office o WHERE o.id IN (SELECT office_id FROM office_ente "
                       "WHERE ente_id = ?) ORDER BY (SELECT count(*) FROM cases c WHERE "
                       "c.office_id = o.id AND c.state <> 'closed'), o.id LIMIT 1",
                       PARAMS(P_INT(ente_id)), RESULTS(R_INT(office_id)));
  if (rc != ERR_NOT_FOUND) return rc;
  return db_get(d, NULL,
                "SELECT o.id FROM office o WHERE o.id IN (SELECT u.office_id FROM app_user u JOIN "
                "user_ente ue ON ue.user_id = u.id WHERE ue.ente_id = ? AND u.active = 1 AND "
                "u.role IN ('office_manager', 'operator')) ORDER BY (SELECT count(*) FROM cases c "
                "WHERE c.office_id = o.id AND c.state <> 'closed'), o.id LIMIT 1",
                PARAMS(P_INT(ente_id)), RESULTS(R_INT(office_id)));
}

static const db_result USER_ROW[] = {F_INT(user, id),        F_DUP(user, username),
                                     F_DUP(user, full_name), F_DUP(user, email),
                                     F_INT(user, office_id), F_END};

err_code cst_staff(db *d, arena *a, int64_t ente_id, int64_t office_id, user **out, size_t *n) {
  err_code rc;
  *out = db_list(d, a,
                 "SELECT u.id, u.username, u.full_name, u.email, u.office_id FROM app_user u "
                 "JOIN user_ente ue ON ue.user_id = u.id WHERE ue.ente_id = ? AND "
                 "u.office_id = ? AND u.active = 1 AND u.role IN ('office_manager', 'operator') "
                 "ORDER BY u.full_name, u.id",
                 PARAMS(P_INT(ente_id), P_INT(office_id)), USER_ROW, sizeof(user), n, &rc);
  return rc;
}

err_code cst_can_work(db *d, int64_t ente_id, int64_t office_id, int64_t user_id) {
  return db_get(d, NULL,
                "SELECT u.id FROM app_user u JOIN user_ente ue ON ue.user_id = u.id "
                "WHERE ue.ente_id = ? AND u.id = ? AND u.office_id = ? AND u.active = 1 AND "
                "u.role IN ('office_manager', 'operator')",
                PARAMS(P_INT(ente_id), P_INT(user_id), P_INT(office_id)), RESULTS(R_SKIP));
}

static void read_str(db_stmt *st, arena *a, void *item) {
  *(char **)item = arena_strdup(a, db_col_text(st, 0));
}

err_code cst_manager_emails(db *d, arena *a, int64_t ente_id, int64_t office_id, char ***out,
                            size_t *n) {
  db_stmt *st = db_prepare(d,
                           "SELECT u.email FROM app_user u JOIN user_ente ue ON ue.user_id = u.id "
                           "WHERE ue.ente_id = ? AND u.office_id = ? AND u.active = 1 AND "
                           "u.role = 'office_manager' AND u.email IS NOT NULL ORDER BY u.id");
  if (!st) return ERR_STORAGE;
  db_bind_params(st, PARAMS(P_INT(ente_id), P_INT(office_id)));
  err_code rc;
  *out = db_step_rows(st, a, sizeof(char *), read_str, n, &rc);
  return rc;
}

err_code cst_user_email(db *d, arena *a, int64_t user_id, char **email, char **name) {
  return db_get(d, a, "SELECT email, full_name FROM app_user WHERE id = ?", PARAMS(P_INT(user_id)),
                RESULTS(R_DUP(email), R_DUP(name)));
}

err_code cst_office_name(db *d, arena *a, int64_t office_id, char **name) {
  return db_get(d, a, "SELECT name FROM office WHERE id = ?", PARAMS(P_INT(office_id)),
                RESULTS(R_DUP(name)));
}

err_code cst_last_contact(db *d, arena *a, int64_t ente_id, int64_t user_id, case_rec *out) {
  return db_get(d, a,
                "SELECT requester_email, requester_phone, requester_contact, agreed_office_id "
                "FROM cases WHERE ente_id = ? AND requester_user_id = ? "
                "ORDER BY received_at DESC, id DESC LIMIT 1",
                PARAMS(P_INT(ente_id), P_INT(user_id)),
                RESULTS(R_DUP(&out->requester_email), R_DUP(&out->requester_phone),
                        R_DUP(&out->requester_contact), R_INT(&out->agreed_office_id)));
}

static const db_result REPORT_ROW[] = {
    F_INT(case_report_row, office_id),   F_DUP(case_report_row, office_name),
    F_DUP(case_report_row, region_name), F_INT(case_report_row, n_new),
    F_INT(case_report_row, n_assigned),  F_INT(case_report_row, n_in_progress),
    F_INT(case_report_row, n_waiting),   F_INT(case_report_row, n_closed),
    F_INT(case_report_row, n_overdue),   F_INT(case_report_row, n_accepted),
    F_INT(case_report_row, n_rejected),  F_INT(case_report_row, n_archived),
    F_INT(case_report_row, n_forwarded), F_END};

#define COUNT_IF(cond) "sum(CASE WHEN " cond " THEN 1 ELSE 0 END)"

err_code cst_report(db *d, arena *a, int64_t ente_id, int64_t region_id, const char *category,
                    int64_t from_ts, int64_t to_ts, const char *today, case_report_row **out,
                    size_t *n) {
  err_code rc;
  const char *cat = category ? category : "";
  *out = db_list(
      d, a,
      "SELECT COALESCE(c.office_id, 0), COALESCE(o.name, ''), COALESCE(r.name, ''), "
      COUNT_IF("c.state = 'new'") ", " COUNT_IF("c.state = 'assigned'") ", "
      COUNT_IF("c.state = 'in_progress'") ", " COUNT_IF("c.state = 'waiting'") ", "
      COUNT_IF("c.state = 'closed'") ", " COUNT_IF("c.state <> 'closed' AND c.due_date < ?") ", "
      COUNT_IF("c.outcome = 'accepted'") ", " COUNT_IF("c.outcome = 'rejected'") ", "
      COUNT_IF("c.outcome = 'archived'") ", " COUNT_IF("c.outcome = 'forwarded'")
      " FROM cases c LEFT JOIN office o ON o.id = c.office_id "
      "LEFT JOIN region r ON r.id = o.region_id "
      "WHERE c.ente_id = ? AND (? = 0 OR o.region_id = ?) AND (? = '' OR c.category_code = ?) "
      "AND c.received_at >= ? AND c.received_at < ? "
      "GROUP BY c.office_id, o.name, r.name ORDER BY r.name, o.name",
      PARAMS(P_TEXT(today), P_INT(ente_id), P_INT(region_id), P_INT(region_id), P_TEXT(cat),
             P_TEXT(cat), P_INT(from_ts), P_INT(to_ts)),
      REPORT_ROW, sizeof(case_report_row), n, &rc);
  return rc;
}
