/* All SQL of the video area. Every statement names the Ente (or the
 * appointment found through it). */
#include "domain/video/video_store.h"

err_code vs_room_by_hash(db *d, int64_t ente_id, const char *hash, int64_t *appt_id, int64_t *operator_id) {
  return db_get(d, NULL,
                "SELECT id, COALESCE(video_operator_id, 0) FROM agenda_appointment "
                "WHERE ente_id = ? AND room_hash = ? AND video = 1",
                PARAMS(P_INT(ente_id), P_TEXT(hash)), RESULTS(R_INT(appt_id), R_INT(operator_id)));
}

err_code vs_room_operator(db *d, int64_t ente_id, int64_t appt_id, int64_t *operator_id) {
  return db_get(d, NULL,
                "SELECT COALESCE(video_operator_id, 0) FROM agenda_appointment "
                "WHERE ente_id = ? AND id = ? AND video = 1",
                PARAMS(P_INT(ente_id), P_INT(appt_id)), RESULTS(R_INT(operator_id)));
}

err_code vs_bind_operator(db *d, int64_t ente_id, int64_t appt_id, int64_t user_id) {
  return db_exec_one(d,
                     "UPDATE agenda_appointment SET video_operator_id = ? "
                     "WHERE ente_id = ? AND id = ? AND video = 1 AND video_operator_id IS NULL",
                     PARAMS(P_INT(user_id), P_INT(ente_id), P_INT(appt_id)));
}

err_code vs_next_seq(db *d, int64_t ente_id, int64_t appt_id, int64_t *seq) {
  return db_get(d, NULL,
                "UPDATE agenda_appointment SET video_seq = video_seq + 1 "
                "WHERE ente_id = ? AND id = ? AND video = 1 RETURNING video_seq",
                PARAMS(P_INT(ente_id), P_INT(appt_id)), RESULTS(R_INT(seq)));
}

err_code vs_last_seq(db *d, int64_t ente_id, int64_t appt_id, int64_t *seq) {
  return db_get(d, NULL, "SELECT video_seq FROM agenda_appointment WHERE ente_id = ? AND id = ?",
                PARAMS(P_INT(ente_id), P_INT(appt_id)), RESULTS(R_INT(seq)));
}

err_code vs_count_since(db *d, int64_t appt_id, const char *sender, int64_t since, int64_t *n) {
  return db_get(d, NULL,
                "SELECT count(*) FROM video_message WHERE appointment_id = ? AND sender = ? "
                "AND created_at > ?",
                PARAMS(P_INT(appt_id), P_TEXT(sender), P_INT(since)), RESULTS(R_INT(n)));
}

err_code vs_insert(db *d, int64_t ente_id, int64_t appt_id, int64_t seq, const char *sender, const char *kind,
                   const char *body, int64_t now) {
  return db_exec(d,
                 "INSERT INTO video_message (ente_id, appointment_id, seq, sender, kind, body, "
                 "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                 PARAMS(P_INT(ente_id), P_INT(appt_id), P_INT(seq), P_TEXT(sender), P_TEXT(kind),
                        P_TEXT(body), P_INT(now)),
                 NULL);
}

static const db_result MSG_ROW[] = {F_INT(video_msg, seq),        F_DUP(video_msg, sender),
                                    F_DUP(video_msg, kind),       F_DUP(video_msg, body),
                                    F_INT(video_msg, created_at), F_END};

err_code vs_list(db *d, arena *a, int64_t ente_id, int64_t appt_id, int64_t after, const char *other,
                 video_msg **out, size_t *n) {
  err_code rc;
  *out = db_list(d, a,
                 "SELECT seq, sender, kind, body, created_at FROM video_message "
                 "WHERE ente_id = ? AND appointment_id = ? AND seq > ? "
                 "AND (kind = 'chat' OR sender = ?) ORDER BY seq LIMIT ?",
                 PARAMS(P_INT(ente_id), P_INT(appt_id), P_INT(after), P_TEXT(other), P_INT(VIDEO_MAX_BATCH)),
                 MSG_ROW, sizeof(video_msg), n, &rc);
  return rc;
}

err_code vs_chat(db *d, arena *a, int64_t ente_id, int64_t appt_id, video_msg **out, size_t *n) {
  err_code rc;
  *out = db_list(d, a,
                 "SELECT seq, sender, kind, body, created_at FROM video_message "
                 "WHERE ente_id = ? AND appointment_id = ? AND kind = 'chat' ORDER BY seq",
                 PARAMS(P_INT(ente_id), P_INT(appt_id)), MSG_ROW, sizeof(video_msg), n, &rc);
  return rc;
}

err_code vs_prune_signals(db *d, int64_t before) {
  return db_exec(d, "DELETE FROM video_message WHERE kind <> 'chat' AND created_at < ?",
                 PARAMS(P_INT(before)), NULL);
}
