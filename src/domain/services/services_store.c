/* SQL of the services area. Every statement names the Ente (ente_id = ?). */
#include "domain/services/services_store.h"

#include <string.h>

err_code sst_insert(db *d, const service *s, int64_t *id) {
  return db_insert(
      d,
      "INSERT INTO service (ente_id, code, name, description, category_code, office_id, "
      "definition, payment, revenue_code, amount_cents, amount_field, stamp_duty, appointment, "
      "working_days, protocolled, active, version, created_at, updated_at) "
      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,1,?,?) RETURNING id",
      PARAMS(P_INT(s->ente_id), P_TEXT(s->code), P_TEXT(s->name), P_TEXT(s->description),
             P_TEXT(s->category_code), P_INT_OR_NULL(s->office_id), P_TEXT(s->definition),
             P_TEXT(s->payment), P_TEXT(s->revenue_code),
             s->amount_cents >= 0 ? P_INT(s->amount_cents) : P_NULL, P_TEXT(s->amount_field),
             P_INT(s->stamp_duty), P_INT(s->appointment), P_INT(s->working_days),
             P_INT(s->protocolled), P_INT(s->created_at), P_INT(s->updated_at)),
      id);
}

err_code sst_update(db *d, const service *s) {
  return db_exec_one(
      d,
      "UPDATE service SET name = ?, description = ?, category_code = ?, office_id = ?, "
      "definition = ?, payment = ?, revenue_code = ?, amount_cents = ?, amount_field = ?, "
      "stamp_duty = ?, appointment = ?, working_days = ?, protocolled = ?, "
      "version = version + 1, updated_at = ? WHERE ente_id = ? AND id = ?",
      PARAMS(P_TEXT(s->name), P_TEXT(s->description), P_TEXT(s->category_code),
             P_INT_OR_NULL(s->office_id), P_TEXT(s->definition), P_TEXT(s->payment),
             P_TEXT(s->revenue_code), s->amount_cents >= 0 ? P_INT(s->amount_cents) : P_NULL,
             P_TEXT(s->amount_field), P_INT(s->stamp_duty), P_INT(s->appointment),
             P_INT(s->working_days), P_INT(s->protocolled), P_INT(s->updated_at),
             P_INT(s->ente_id), P_INT(s->id)));
}

#define SVC_COLS                                                                              \
  "s.id, s.ente_id, s.office_id, s.code, s.name, s.description, s.category_code, o.name, "    \
  "s.definition, s.payment, s.revenue_code, s.amount_field, COALESCE(s.amount_cents, -1), "   \
  "CAST(s.stamp_duty AS BIGINT), CAST(s.appointment AS BIGINT), "                             \
  "CAST(s.working_days AS BIGINT), CAST(s.protocolled AS BIGINT), CAST(s.active AS BIGINT), " \
  "CAST(s.version AS BIGINT), s.created_at, s.updated_at "                                    \
  "FROM service s LEFT JOIN office o ON o.id = s.office_id "

static const db_result SVC_ROW[] = {
    F_INT(service, id),           F_INT(service, ente_id),       F_INT(service, office_id),
    F_DUP(service, code),         F_DUP(service, name),          F_DUP(service, description),
    F_DUP(service, category_code), F_DUP(service, office_name),  F_DUP(service, definition),
    F_DUP(service, payment),      F_DUP(service, revenue_code),  F_DUP(service, amount_field),
    F_INT(service, amount_cents), F_I32(service, stamp_duty),    F_I32(service, appointment),
    F_I32(service, working_days), F_I32(service, protocolled),   F_I32(service, active),
    F_I32(service, version),      F_INT(service, created_at),    F_INT(service, updated_at),
    F_END};

err_code sst_get(db *d, arena *a, int64_t ente_id, int64_t id, service *out) {
  return db_get_into(d, a, "SELECT " SVC_COLS "WHERE s.ente_id = ? AND s.id = ?",
                     PARAMS(P_INT(ente_id), P_INT(id)), SVC_ROW, out);
}

err_code sst_get_by_code(db *d, arena *a, int64_t ente_id, const char *code, service *out) {
  return db_get_into(d, a, "SELECT " SVC_COLS "WHERE s.ente_id = ? AND s.code = ?",
                     PARAMS(P_INT(ente_id), P_TEXT(code)), SVC_ROW, out);
}

err_code sst_list(db *d, arena *a, int64_t ente_id, int active_only, service **out, size_t *n) {
  err_code rc;
  *out = db_list(d, a,
                 "SELECT " SVC_COLS "WHERE s.ente_id = ? AND (s.active = 1 OR ? = 0) "
                 "ORDER BY s.name, s.id LIMIT 500",
                 PARAMS(P_INT(ente_id), P_INT(active_only)), SVC_ROW, sizeof(service), n, &rc);
  return rc;
}

/* ---- applications ---- */

err_code sst_app_insert(db *d, const svc_app *x, int64_t *id) {
  return db_insert(
      d,
      "INSERT INTO service_application (ente_id, service_id, state, applicant_fiscal_code, "
      "applicant_name, applicant_email, owner_kind, owner_user_id, owner_fiscal_code, data, "
      "case_id, created_at, updated_at, submitted_at) "
      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
      PARAMS(P_INT(x->ente_id), P_INT(x->service_id), P_TEXT(x->state),
             P_TEXT(x->applicant_fiscal_code), P_TEXT(x->applicant_name),
             P_TEXT(x->applicant_email), P_TEXT(x->owner_kind), P_INT_OR_NULL(x->owner_user_id),
             P_TEXT(x->owner_fiscal_code), P_TEXT(x->data), P_INT_OR_NULL(x->case_id),
             P_INT(x->created_at), P_INT(x->updated_at), P_INT_OR_NULL(x->submitted_at)),
      id);
}

err_code sst_app_update(db *d, const svc_app *x) {
  return db_exec_one(
      d,
      "UPDATE service_application SET state = ?, applicant_fiscal_code = ?, applicant_name = ?, "
      "applicant_email = ?, data = ?, case_id = ?, updated_at = ?, submitted_at = ? "
      "WHERE ente_id = ? AND id = ?",
      PARAMS(P_TEXT(x->state), P_TEXT(x->applicant_fiscal_code), P_TEXT(x->applicant_name),
             P_TEXT(x->applicant_email), P_TEXT(x->data), P_INT_OR_NULL(x->case_id),
             P_INT(x->updated_at), P_INT_OR_NULL(x->submitted_at), P_INT(x->ente_id),
             P_INT(x->id)));
}

#define APP_COLS                                                                                 \
  "x.id, x.ente_id, x.service_id, x.case_id, x.owner_user_id, x.state, "                         \
  "x.applicant_fiscal_code, x.applicant_name, x.applicant_email, x.owner_kind, "                 \
  "x.owner_fiscal_code, x.data, x.created_at, x.updated_at, x.submitted_at, s.code, s.name, "    \
  "x.appointment_id "                                                                            \
  "FROM service_application x JOIN service s ON s.id = x.service_id AND s.ente_id = x.ente_id "

static const db_result APP_ROW[] = {
    F_INT(svc_app, id),         F_INT(svc_app, ente_id),
    F_INT(svc_app, service_id), F_INT(svc_app, case_id),
    F_INT(svc_app, owner_user_id), F_DUP(svc_app, state),
    F_DUP(svc_app, applicant_fiscal_code), F_DUP(svc_app, applicant_name),
    F_DUP(svc_app, applicant_email), F_DUP(svc_app, owner_kind),
    F_DUP(svc_app, owner_fiscal_code), F_DUP(svc_app, data),
    F_INT(svc_app, created_at), F_INT(svc_app, updated_at),
    F_INT(svc_app, submitted_at), F_DUP(svc_app, service_code),
    F_DUP(svc_app, service_name), F_INT(svc_app, appointment_id), F_END};

err_code sst_app_get(db *d, arena *a, int64_t ente_id, int64_t id, svc_app *out) {
  return db_get_into(d, a, "SELECT " APP_COLS "WHERE x.ente_id = ? AND x.id = ?",
                     PARAMS(P_INT(ente_id), P_INT(id)), APP_ROW, out);
}

err_code sst_app_by_case(db *d, arena *a, int64_t ente_id, int64_t case_id, svc_app *out) {
  return db_get_into(d, a, "SELECT " APP_COLS "WHERE x.ente_id = ? AND x.case_id = ?",
                     PARAMS(P_INT(ente_id), P_INT(case_id)), APP_ROW, out);
}

err_code sst_app_list(db *d, arena *a, int64_t ente_id, int64_t office_id, int64_t service_id,
                      svc_app **out, size_t *n) {
  err_code rc;
  *out = db_list(d, a,
                 "SELECT " APP_COLS "LEFT JOIN cases c ON c.id = x.case_id AND c.ente_id = x.ente_id "
                 "WHERE x.ente_id = ? AND x.state = 'submitted' AND (? = 0 OR c.office_id = ?) "
                 "AND (? = 0 OR x.service_id = ?) ORDER BY x.submitted_at DESC, x.id DESC LIMIT 500",
                 PARAMS(P_INT(ente_id), P_INT(office_id), P_INT(office_id), P_INT(service_id),
                        P_INT(service_id)),
                 APP_ROW, sizeof(svc_app), n, &rc);
  return rc;
}

err_code sst_app_recent(db *d, arena *a, int64_t ente_id, const char *cf, int64_t except_id,
                        int limit, svc_app **out, size_t *n) {
  err_code rc;
  *out = db_list(d, a,
                 "SELECT " APP_COLS "WHERE x.ente_id = ? AND x.state = 'submitted' "
                 "AND x.applicant_fiscal_code = ? AND x.id <> ? "
                 "ORDER BY x.submitted_at DESC, x.id DESC LIMIT ?",
                 PARAMS(P_INT(ente_id), P_TEXT(cf), P_INT(except_id), P_INT(limit)), APP_ROW,
                 sizeof(svc_app), n, &rc);
  return rc;
}

err_code sst_app_of_citizen(db *d, arena *a, int64_t ente_id, const char *cf, svc_app **out,
                            size_t *n) {
  err_code rc;
  *out = db_list(d, a,
                 "SELECT " APP_COLS "WHERE x.ente_id = ? AND x.owner_fiscal_code = ? "
                 "ORDER BY x.updated_at DESC, x.id DESC LIMIT 200",
                 PARAMS(P_INT(ente_id), P_TEXT(cf)), APP_ROW, sizeof(svc_app), n, &rc);
  return rc;
}

err_code sst_file_put(db *d, int64_t ente_id, int64_t app_id, const char *field, const char *name,
                      const char *mime, int64_t size, const char *sha256, int64_t now) {
  return db_exec(d,
                 "INSERT INTO service_application_file (ente_id, application_id, field, name, mime, "
                 "size, sha256, created_at) VALUES (?,?,?,?,?,?,?,?) "
                 "ON CONFLICT (application_id, field) DO UPDATE SET name = excluded.name, "
                 "mime = excluded.mime, size = excluded.size, sha256 = excluded.sha256, "
                 "created_at = excluded.created_at",
                 PARAMS(P_INT(ente_id), P_INT(app_id), P_TEXT(field), P_TEXT(name), P_TEXT(mime),
                        P_INT(size), P_TEXT(sha256), P_INT(now)),
                 NULL);
}

static const db_result FILE_ROW[] = {F_INT(svc_app_file, id),    F_INT(svc_app_file, size),
                                     F_DUP(svc_app_file, field), F_DUP(svc_app_file, name),
                                     F_DUP(svc_app_file, mime),  F_DUP(svc_app_file, sha256),
                                     F_END};

err_code sst_files(db *d, arena *a, int64_t ente_id, int64_t app_id, svc_app_file **out,
                   size_t *n) {
  err_code rc;
  *out = db_list(d, a,
                 "SELECT id, size, field, name, mime, sha256 FROM service_application_file "
                 "WHERE ente_id = ? AND application_id = ? ORDER BY id",
                 PARAMS(P_INT(ente_id), P_INT(app_id)), FILE_ROW, sizeof(svc_app_file), n, &rc);
  return rc;
}

err_code sst_file_data(db *d, arena *a, int64_t ente_id, int64_t app_id, int64_t file_id,
                       svc_app_file *out, const void **data) {
  size_t len = 0;
  memset(out, 0, sizeof *out);
  return db_get(d, a,
                "SELECT f.id, f.size, f.field, f.name, f.mime, f.sha256, b.data "
                "FROM service_application_file f JOIN blob b ON b.sha256 = f.sha256 "
                "WHERE f.ente_id = ? AND f.application_id = ? AND f.id = ?",
                PARAMS(P_INT(ente_id), P_INT(app_id), P_INT(file_id)),
                RESULTS(R_INT(&out->id), R_INT(&out->size), R_DUP(&out->field),
                        R_DUP(&out->name), R_DUP(&out->mime), R_DUP(&out->sha256),
                        R_BLOB(data, &len)));
}

/* ---- payments and stamp duty ---- */

err_code sst_payment_insert(db *d, const svc_payment *p, int64_t ente_id, int64_t *id) {
  return db_insert(d,
                   "INSERT INTO service_payment (ente_id, application_id, kind, act_id, "
                   "amount_cents, requested_by, created_at) VALUES (?,?,?,?,?,?,?) RETURNING id",
                   PARAMS(P_INT(ente_id), P_INT(p->application_id), P_TEXT(p->kind),
                          P_INT(p->act_id), P_INT(p->amount_cents), P_INT_OR_NULL(p->requested_by),
                          P_INT(p->created_at)),
                   id);
}

static const db_result PAY_ROW[] = {
    F_INT(svc_payment, id),           F_INT(svc_payment, application_id),
    F_INT(svc_payment, act_id),       F_INT(svc_payment, amount_cents),
    F_INT(svc_payment, requested_by), F_INT(svc_payment, created_at),
    F_DUP(svc_payment, kind),         F_END};

err_code sst_payments(db *d, arena *a, int64_t ente_id, int64_t app_id, svc_payment **out,
                      size_t *n) {
  err_code rc;
  *out = db_list(d, a,
                 "SELECT id, application_id, act_id, amount_cents, requested_by, created_at, kind "
                 "FROM service_payment WHERE ente_id = ? AND application_id = ? ORDER BY id",
                 PARAMS(P_INT(ente_id), P_INT(app_id)), PAY_ROW, sizeof(svc_payment), n, &rc);
  return rc;
}

err_code sst_stamp_insert(db *d, int64_t ente_id, const svc_stamp *s) {
  return db_exec(d,
                 "INSERT INTO service_stamp (ente_id, application_id, mode, serial, issue_date, "
                 "created_at) VALUES (?,?,?,?,?,?)",
                 PARAMS(P_INT(ente_id), P_INT(s->application_id), P_TEXT(s->mode),
                        P_TEXT(s->serial), P_TEXT(s->issue_date), P_INT(s->created_at)),
                 NULL);
}

static const db_result STAMP_ROW[] = {F_INT(svc_stamp, id),         F_INT(svc_stamp, application_id),
                                      F_INT(svc_stamp, created_at), F_DUP(svc_stamp, mode),
                                      F_DUP(svc_stamp, serial),     F_DUP(svc_stamp, issue_date),
                                      F_END};

err_code sst_stamp_get(db *d, arena *a, int64_t ente_id, int64_t app_id, svc_stamp *out) {
  return db_get_into(d, a,
                     "SELECT id, application_id, created_at, mode, serial, issue_date "
                     "FROM service_stamp WHERE ente_id = ? AND application_id = ?",
                     PARAMS(P_INT(ente_id), P_INT(app_id)), STAMP_ROW, out);
}

err_code sst_stamp_serial_used(db *d, int64_t ente_id, const char *serial, int *used) {
  int64_t n = 0;
  err_code rc = db_get(d, NULL,
                       "SELECT COUNT(*) FROM service_stamp WHERE ente_id = ? AND serial = ?",
                       PARAMS(P_INT(ente_id), P_TEXT(serial)), RESULTS(R_INT(&n)));
  *used = n > 0;
  return rc;
}

err_code sst_mail_answer_insert(db *d, int64_t ente_id, int64_t app_id, int64_t mail_message_id,
                                int64_t entry_id, int64_t now) {
  return db_exec(d,
                 "INSERT INTO service_mail_answer (ente_id, application_id, mail_message_id, "
                 "protocol_entry_id, created_at) VALUES (?,?,?,?,?)",
                 PARAMS(P_INT(ente_id), P_INT(app_id), P_INT(mail_message_id),
                        P_INT_OR_NULL(entry_id), P_INT(now)),
                 NULL);
}

err_code sst_app_set_appointment(db *d, int64_t ente_id, int64_t app_id, int64_t appt_id) {
  return db_exec_one(d,
                     "UPDATE service_application SET appointment_id = ? WHERE ente_id = ? AND id = ?",
                     PARAMS(P_INT(appt_id), P_INT(ente_id), P_INT(app_id)));
}
