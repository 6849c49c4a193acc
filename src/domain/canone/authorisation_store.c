/* Every statement of the authorisations and mail replies of occupations. */
#include "domain/canone/authorisation_store.h"

#define AUTH_COLS                                                                                 \
  "x.id, x.ente_id, x.occupation_id, x.case_id, x.size, x.name, x.sha256, "                       \
  "COALESCE(x.protocol_entry_id, 0), COALESCE(p.number, 0), COALESCE(p.year, 0), x.uploaded_at, " \
  "COALESCE(x.delivered_at, 0) FROM occupation_authorisation x LEFT JOIN protocol_entry p ON "    \
  "p.id = x.protocol_entry_id AND p.ente_id = x.ente_id "

static const db_result AUTH[] = {F_INT(occupation_auth, id),
                                 F_INT(occupation_auth, ente_id),
                                 F_INT(occupation_auth, occupation_id),
                                 F_INT(occupation_auth, case_id),
                                 F_INT(occupation_auth, size),
                                 F_DUP(occupation_auth, name),
                                 F_DUP(occupation_auth, sha256),
                                 F_INT(occupation_auth, protocol_entry_id),
                                 F_INT(occupation_auth, protocol_number),
                                 F_I32(occupation_auth, protocol_year),
                                 F_INT(occupation_auth, uploaded_at),
                                 F_INT(occupation_auth, delivered_at),
                                 F_END};

err_code as_auth_by_case(db *d, arena *a, int64_t ente_id, int64_t case_id, occupation_auth *out) {
  return db_get_into(d, a, "SELECT " AUTH_COLS "WHERE x.ente_id = ? AND x.case_id = ?",
                     PARAMS(P_INT(ente_id), P_INT(case_id)), AUTH, out);
}

err_code as_auth_by_occ(db *d, arena *a, int64_t ente_id, int64_t occupation_id, occupation_auth *out) {
  return db_get_into(d, a, "SELECT " AUTH_COLS "WHERE x.ente_id = ? AND x.occupation_id = ?",
                     PARAMS(P_INT(ente_id), P_INT(occupation_id)), AUTH, out);
}

err_code as_auth_put(db *d, const occupation_auth *x, const actor *who) {
  return db_exec(
      d,
      "INSERT INTO occupation_authorisation (ente_id, occupation_id, case_id, name, size, sha256, "
      "protocol_entry_id, uploaded_at, uploaded_by_kind, uploaded_by) VALUES (?,?,?,?,?,?,?,?,?,?) "
      "ON CONFLICT (occupation_id) DO UPDATE SET name = excluded.name, size = excluded.size, "
      "sha256 = excluded.sha256, protocol_entry_id = excluded.protocol_entry_id, "
      "uploaded_at = excluded.uploaded_at, uploaded_by_kind = excluded.uploaded_by_kind, "
      "uploaded_by = excluded.uploaded_by",
      PARAMS(P_INT(x->ente_id), P_INT(x->occupation_id), P_INT(x->case_id), P_TEXT(x->name), P_INT(x->size),
             P_TEXT(x->sha256), P_INT_OR_NULL(x->protocol_entry_id), P_INT(x->uploaded_at), P_TEXT(who->kind),
             P_INT_OR_NULL(who->id)),
      NULL);
}

err_code as_auth_set_delivered(db *d, int64_t ente_id, int64_t id, int64_t at, int64_t *changed) {
  return db_exec(d,
                 "UPDATE occupation_authorisation SET delivered_at = ? "
                 "WHERE ente_id = ? AND id = ? AND delivered_at IS NULL",
                 PARAMS(P_INT(at), P_INT(ente_id), P_INT(id)), changed);
}

static const db_result REPLY[] = {F_INT(as_reply, msg_id),
                                  F_INT(as_reply, ente_id),
                                  F_INT(as_reply, case_id),
                                  F_INT(as_reply, occupation_id),
                                  F_DUP(as_reply, sender),
                                  F_DUP(as_reply, subject),
                                  F_DUP(as_reply, body),
                                  F_DUP(as_reply, in_reply_to),
                                  F_DUP(as_reply, refs),
                                  F_DUP(as_reply, ente_email),
                                  F_END};

err_code as_replies_pending(db *d, arena *a, as_reply **out, size_t *n) {
  err_code rc;
  *out =
      db_list(d, a,
              "SELECT m.id, o.ente_id, o.case_id, o.id, m.sender, m.subject, m.body, m.in_reply_to, m.refs, "
              "o.ente_email FROM occupation o JOIN case_message m ON m.case_id = o.case_id AND "
              "m.ente_id = o.ente_id WHERE o.kind = 'variation' AND o.ente_decision = 'pending' AND "
              "m.direction = 'in' AND NOT EXISTS (SELECT 1 FROM occupation_reply r WHERE "
              "r.case_message_id = m.id) ORDER BY m.id LIMIT 200",
              NULL, REPLY, sizeof(as_reply), n, &rc);
  return rc;
}

err_code as_reply_put(db *d, int64_t ente_id, int64_t occupation_id, int64_t msg_id, const char *outcome,
                      int64_t at, int64_t *changed) {
  return db_exec(d,
                 "INSERT INTO occupation_reply (ente_id, occupation_id, case_message_id, outcome, at) "
                 "VALUES (?,?,?,?,?) ON CONFLICT (case_message_id) DO NOTHING",
                 PARAMS(P_INT(ente_id), P_INT(occupation_id), P_INT(msg_id), P_TEXT(outcome), P_INT(at)),
                 changed);
}

typedef struct {
  char *id;
} msgid_row;
static const db_result MSGID[] = {F_DUP(msgid_row, id), F_END};

err_code as_out_message_ids(db *d, arena *a, int64_t ente_id, int64_t case_id, const char *to, char ***out,
                            size_t *n) {
  err_code rc;
  msgid_row *rows =
      db_list(d, a,
              "SELECT message_id FROM case_message WHERE ente_id = ? AND case_id = ? AND "
              "direction = 'out' AND message_id IS NOT NULL AND lower(recipient) = lower(?) "
              "ORDER BY id LIMIT 100",
              PARAMS(P_INT(ente_id), P_INT(case_id), P_TEXT(to)), MSGID, sizeof(msgid_row), n, &rc);
  *out = NULL;
  if (rc != ERR_OK) return rc;
  *out = ARENA_ARRAY(a, char *, *n ? *n : 1);
  for (size_t i = 0; i < *n; i++) (*out)[i] = rows[i].id;
  return ERR_OK;
}

static const db_result FLAGGED[] = {F_INT(occupation_reply_rec, case_message_id),
                                    F_INT(occupation_reply_rec, at),
                                    F_DUP(occupation_reply_rec, outcome),
                                    F_DUP(occupation_reply_rec, sender),
                                    F_DUP(occupation_reply_rec, subject),
                                    F_DUP(occupation_reply_rec, body),
                                    F_END};

err_code as_reply_flagged(db *d, arena *a, int64_t ente_id, int64_t case_id, occupation_reply_rec *out) {
  return db_get_into(
      d, a,
      "SELECT r.case_message_id, r.at, r.outcome, m.sender, m.subject, m.body FROM "
      "occupation_reply r JOIN occupation o ON o.id = r.occupation_id AND o.ente_id = r.ente_id "
      "JOIN case_message m ON m.id = r.case_message_id AND m.ente_id = r.ente_id "
      "WHERE r.ente_id = ? AND o.case_id = ? AND r.outcome = 'unclear' AND "
      "o.ente_decision = 'pending' ORDER BY r.id DESC LIMIT 1",
      PARAMS(P_INT(ente_id), P_INT(case_id)), FLAGGED, out);
}
