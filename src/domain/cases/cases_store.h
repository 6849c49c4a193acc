/* SQL of the cases area (cases_store.c). Private to src/domain/cases.
 * Every statement names the Ente. */
#ifndef SP_CASES_STORE_H
#define SP_CASES_STORE_H
#include "domain/cases/cases.h"

err_code cst_next_number(db *d, int64_t ente_id, int year, int64_t *number);
err_code cst_insert(db *d, const case_rec *c, int64_t *id);
/* today: Rome date "YYYY-MM-DD" for the overdue flag. */
err_code cst_get(db *d, arena *a, int64_t ente_id, int64_t id, const char *today, case_rec *out);
err_code cst_get_by_number(db *d, arena *a, int64_t ente_id, int year, int64_t number,
                           const char *today, case_rec *out);
err_code cst_get_by_protocol(db *d, arena *a, int64_t ente_id, int year, int64_t number,
                             const char *today, case_rec *out);
/* Writes state, outcome, office, assignee, closed_at, thread_id,
 * updated_at of c. */
err_code cst_of_mail_message(db *d, int64_t ente_id, int64_t mail_message_id, int64_t *case_id);
err_code cst_update(db *d, const case_rec *c);
err_code cst_set_protocol(db *d, const case_rec *c);
err_code cst_event(db *d, const case_rec *c, int64_t now, const char *kind, const char *from,
                   const char *to, const actor *who, const char *reason);
err_code cst_message(db *d, int64_t ente_id, int64_t case_id, const case_message *m,
                     int64_t mail_message_id, int64_t *id);
err_code cst_attachment(db *d, int64_t ente_id, int64_t case_id, int64_t message_id,
                        const case_file *f, int64_t now);
err_code cst_link_protocol(db *d, int64_t ente_id, int64_t case_id, int64_t entry_id);
err_code cst_list(db *d, arena *a, const case_filter *f, const char *today, int64_t from_ts,
                  int64_t to_ts, case_rec **out, size_t *n, int64_t *total);
err_code cst_recent(db *d, arena *a, const case_rec *c, const char *today, int limit,
                    case_rec **out, size_t *n);
err_code cst_events(db *d, arena *a, int64_t ente_id, int64_t case_id, case_event **out,
                    size_t *n);
/* PEC receipts and bounces about the case's outgoing messages. */
err_code cst_receipts(db *d, arena *a, int64_t ente_id, int64_t case_id, case_receipt **out, size_t *n);
err_code cst_messages(db *d, arena *a, int64_t ente_id, int64_t case_id, case_message **out,
                      size_t *n);
/* The latest message of the case in that direction (NULL: either). */
err_code cst_last_message(db *d, arena *a, int64_t ente_id, int64_t case_id, const char *direction,
                          case_message *out);
err_code cst_attachments(db *d, arena *a, int64_t ente_id, int64_t case_id,
                         case_attachment **out, size_t *n);
err_code cst_attachment_data(db *d, arena *a, int64_t ente_id, int64_t case_id, int64_t att_id,
                             case_attachment *out, const void **data);
err_code cst_protocols(db *d, arena *a, int64_t ente_id, int64_t case_id, case_protocol **out,
                       size_t *n);

err_code cst_categories(db *d, arena *a, int64_t ente_id, case_category **out, size_t *n);
err_code cst_category_get(db *d, arena *a, int64_t ente_id, const char *code, case_category *out);
err_code cst_category_upsert(db *d, int64_t ente_id, const case_category *c, int64_t now);

err_code cst_office_exists(db *d, int64_t office_id);
err_code cst_office_serves(db *d, int64_t office_id, int64_t ente_id);
err_code cst_serve_on(db *d, int64_t office_id, int64_t ente_id, int64_t now);
err_code cst_serve_off(db *d, int64_t office_id, int64_t ente_id);
err_code cst_serving(db *d, arena *a, int64_t ente_id, office **out, size_t *n);
err_code cst_rules(db *d, arena *a, int64_t ente_id, case_rule **out, size_t *n);
err_code cst_rule_insert(db *d, const case_rule *r, int64_t now, int64_t *id);
err_code cst_rule_delete(db *d, int64_t ente_id, int64_t id);
/* The office of the most specific rule for the category (or any). */
err_code cst_rule_match(db *d, int64_t ente_id, const char *category, int64_t *office_id);
/* The serving office (office_ente; without any, offices whose staff is
 * enabled on the Ente) with fewest open cases. */
err_code cst_least_loaded(db *d, int64_t ente_id, int64_t *office_id);

err_code cst_staff(db *d, arena *a, int64_t ente_id, int64_t office_id, user **out, size_t *n);
/* ERR_OK when user_id is an active manager or operator of office_id
 * enabled on the Ente. */
err_code cst_can_work(db *d, int64_t ente_id, int64_t office_id, int64_t user_id);
/* E-mail addresses of the office's active managers enabled on the Ente. */
err_code cst_manager_emails(db *d, arena *a, int64_t ente_id, int64_t office_id, char ***out,
                            size_t *n);
err_code cst_user_email(db *d, arena *a, int64_t user_id, char **email, char **name);
err_code cst_office_name(db *d, arena *a, int64_t office_id, char **name);
err_code cst_last_contact(db *d, arena *a, int64_t ente_id, int64_t user_id, case_rec *out);

err_code cst_report(db *d, arena *a, int64_t ente_id, int64_t region_id, const char *category,
                    int64_t from_ts, int64_t to_ts, const char *today, case_report_row **out,
                    size_t *n);

#endif
