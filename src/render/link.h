/* Typed link builders: every href the program writes comes from here, with
 * path segments and query values percent-encoded, so no page concatenates
 * a URL. Results are allocated in the arena. */
#ifndef SP_LINK_H
#define SP_LINK_H
#include <stdint.h>
#include "core/arena.h"

/* Percent-encodes s for a path segment or query value (RFC 3986 unreserved
 * characters are kept). */
char *url_encode(arena *a, const char *s);

const char *url_home(arena *a);
const char *url_login(arena *a);
const char *url_logout(arena *a);
const char *url_static(arena *a, const char *path); /* path is a literal like "css/sportello.css" */
const char *url_accessibility(arena *a);
const char *url_mailto(arena *a, const char *address);
/* AgID's form for reports on accessibility (procedura di attuazione). */
const char *url_agid_accessibility_report(arena *a);

const char *url_office(arena *a, const char *ente_slug);
const char *url_taxpayers(arena *a, const char *ente_slug, const char *q, int page);
const char *url_taxpayer_new(arena *a, const char *ente_slug);
const char *url_taxpayer(arena *a, const char *ente_slug, int64_t id);
const char *url_taxpayer_edit(arena *a, const char *ente_slug, int64_t id);

const char *url_admin(arena *a);
/* Administration forms and the user page; what in url_admin_saved /
 * url_admin_user_saved is the ?salvato= value the page turns into a notice. */
const char *url_admin_saved(arena *a, const char *what);
const char *url_admin_ente_new(arena *a);
const char *url_admin_office_new(arena *a);
const char *url_admin_user_new(arena *a);
const char *url_admin_user(arena *a, int64_t id);
const char *url_admin_user_saved(arena *a, int64_t id, const char *what);
const char *url_admin_user_status(arena *a, int64_t id);
const char *url_admin_user_password(arena *a, int64_t id);
const char *url_admin_user_entes(arena *a, int64_t id);
/* The background job queue and its retry / cancel forms. */
const char *url_admin_jobs(arena *a);
const char *url_admin_mail(arena *a);
const char *url_admin_mail_saved(arena *a, const char *what);
const char *url_admin_mail_release(arena *a, int64_t id);
const char *url_admin_mail_discard(arena *a, int64_t id);
const char *url_admin_jobs_saved(arena *a, const char *what);
const char *url_admin_job_retry(arena *a, int64_t id);
const char *url_admin_job_cancel(arena *a, int64_t id);

/* Cases (pratiche): the queue with its filters (NULL or "" leaves one
 * out), a case, its actions (action is a literal path segment:
 * "assegna", "prendi", "rispondi", "chiudi", "inoltra"), an attachment,
 * the new-request forms, reports (format "csv" or NULL), the public
 * follow-up page, the intermediaries' form and the configuration. */
const char *url_cases(arena *a, const char *ente_slug, const char *view, const char *category,
                      const char *from, const char *to, int page);
const char *url_case(arena *a, const char *ente_slug, int64_t id);
const char *url_case_action_(arena *a, const char *ente_slug, int64_t id, const char *action);
#define url_case_action(a, slug, id, action) url_case_action_((a), (slug), (id), "" action "")
const char *url_case_attachment(arena *a, const char *ente_slug, int64_t id, int64_t att);
const char *url_case_new(arena *a, const char *ente_slug);
const char *url_case_ente_request(arena *a, const char *ente_slug);
const char *url_cases_report(arena *a, const char *ente_slug, const char *format,
                             const char *category, const char *from, const char *to);
const char *url_cases_summary(arena *a, const char *ente, const char *format);
const char *url_case_follow(arena *a);
const char *url_intermediary_home(arena *a);
const char *url_intermediary(arena *a, const char *ente_slug);
const char *url_admin_cases(arena *a, const char *ente_slug);
const char *url_admin_cases_action_(arena *a, const char *action);
#define url_admin_cases_action(a, action) url_admin_cases_action_((a), "" action "")

/* The front office agenda (link_agenda.c): the Ente's public page, the
 * booking pages and the link of a booking (token), the office agenda and
 * counters. week is "YYYY-Www" or NULL; video -1 any, 0 counter, 1 video. */
const char *url_ente_page(arena *a, const char *ente_slug);
const char *url_ente_counters(arena *a, const char *ente_slug);
const char *url_booking(arena *a, const char *ente_slug);
const char *url_booking_topic(arena *a, const char *ente_slug, const char *topic, const char *week,
                              int video);
const char *url_booking_manage(arena *a, const char *ente_slug, const char *token,
                               const char *outcome);
const char *url_booking_cancel(arena *a, const char *ente_slug, const char *token);
const char *url_booking_change(arena *a, const char *ente_slug, const char *token, const char *week);
const char *url_office_agenda(arena *a, const char *ente_slug, const char *day, int week_view);
const char *url_office_agenda_mark(arena *a, const char *ente_slug, int64_t id);
/* video room of an appointment: the citizen's (by room id) and the operator's */
const char *url_video_citizen(arena *a, const char *ente_slug, const char *room_id);
const char *url_office_video(arena *a, const char *ente_slug, int64_t id);
/* the citizen's room reached from the booking's page, by its token */
const char *url_video_token(arena *a, const char *ente_slug, const char *token);
const char *url_office_agenda_book(arena *a, const char *ente_slug, const char *topic,
                                   const char *week);
const char *url_office_counters(arena *a, const char *ente_slug, const char *week,
                                const char *saved);
const char *url_office_counters_action(arena *a, const char *ente_slug, const char *action);

/* Online services (link_services.c): the administrator's catalogue and a
 * service's document, the office's services and the application form
 * (draft_id 0: a new one), the applications and their actions (action is
 * a literal path segment: "prendi", "integrazione", "esito"), a file. */
const char *url_admin_services(arena *a, const char *ente_slug);
const char *url_admin_service(arena *a, const char *ente_slug, int64_t id);
const char *url_office_services(arena *a, const char *ente_slug);
const char *url_office_service_apply(arena *a, const char *ente_slug, const char *code,
                                     int64_t draft_id);
const char *url_office_applications(arena *a, const char *ente_slug);
const char *url_office_application(arena *a, const char *ente_slug, int64_t id);
const char *url_office_application_action_(arena *a, const char *ente_slug, int64_t id,
                                           const char *action);
#define url_office_application_action(a, slug, id, action) \
  url_office_application_action_((a), (slug), (id), "" action "")
const char *url_office_application_file(arena *a, const char *ente_slug, int64_t id,
                                        int64_t file_id);

/* Debt positions in the office (link_debt.c): the search (q and year may be
 * NULL / 0), an act, its actions (action is a literal path segment:
 * "annulla", "sgravio", "rateizza", "pagamento", "rimborso",
 * "compensazione"), the notice PDF of one payment option, the review
 * queue of unmatched receipts and its actions ("abbina", "rimborsata"),
 * the reconciliation page and one flow. saved: the ?salvato= value. */
const char *url_acts(arena *a, const char *ente_slug, const char *q, int year);
const char *url_act(arena *a, const char *ente_slug, int64_t id, const char *saved);
const char *url_act_action_(arena *a, const char *ente_slug, int64_t id, const char *action);
#define url_act_action(a, slug, id, action) url_act_action_((a), (slug), (id), "" action "")
const char *url_act_notice(arena *a, const char *ente_slug, int64_t id, int64_t option_id);
const char *url_receipts_review(arena *a, const char *ente_slug, const char *saved);
const char *url_receipt_action_(arena *a, const char *ente_slug, int64_t id, const char *action);
#define url_receipt_action(a, slug, id, action) url_receipt_action_((a), (slug), (id), "" action "")
const char *url_reconciliation(arena *a, const char *ente_slug);
const char *url_reconciliation_flow(arena *a, const char *ente_slug, int64_t flow_pk);
/* The administrator's page of the Ente's revenue types and accounts. */
const char *url_admin_revenues(arena *a, const char *ente_slug);
#endif
