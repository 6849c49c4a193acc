/* The HTML pages: citizen portal (portal/), back office (office/) and
 * administration (admin/), one page per file, all declared in routes.c. */
#ifndef SP_WEB_H
#define SP_WEB_H
#include "http/http.h"
#include "render/form.h"
#include "render/html.h"
#include "render/labels.h"
#include "render/layout.h"
#include "render/link.h"
#include "render/widget.h"
#include "domain/taxpayer/taxpayer.h"

extern const route_table web_routes;

/* Who may edit the registry: declared on the routes in routes.c and used by
 * the pages to decide whether to offer the links. */
#define ROLES_REGISTRY_EDIT \
  (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_OFFICE_MANAGER) | ROLE_BIT(ROLE_OPERATOR))
/* 1 if the signed-in user has one of the roles in mask. */
#define WEB_USER_HAS_ROLE(rq, mask) ((rq)->user && (ROLE_BIT((rq)->user->role) & (mask)))

/* Page frame data for the current request: user, role, the Enti they may
 * switch to, the current Ente. */
err_code web_page_info(request *rq, const char *title, const char *section, page_info *p);
/* The breadcrumb: "Home", then items (the last is the page itself, its
 * href may be NULL); web_office_trail puts the current Ente after Home. */
void web_trail(request *rq, page_info *p, const crumb *items, size_t n);
void web_office_trail(request *rq, page_info *p, const crumb *items, size_t n);
#define WEB_TRAIL(rq, p, ...) \
  web_trail((rq), (p), (const crumb[]){__VA_ARGS__}, sizeof((const crumb[]){__VA_ARGS__}) / sizeof(crumb))
#define WEB_OFFICE_TRAIL(rq, p, ...)                                  \
  web_office_trail((rq), (p), (const crumb[]){__VA_ARGS__},           \
                   sizeof((const crumb[]){__VA_ARGS__}) / sizeof(crumb))
/* Starts an HTML response: html writer over rs->body plus page_begin. */
html web_begin(request *rq, response *rs, const page_info *p);

/* Handlers. */
err_code page_home(request *rq, response *rs);
err_code page_health(request *rq, response *rs);
err_code page_legal(request *rq, response *rs);
err_code page_login(request *rq, response *rs);
err_code page_login_post(request *rq, response *rs);
err_code page_logout(request *rq, response *rs);
err_code page_office_root(request *rq, response *rs);
err_code page_office(request *rq, response *rs);
err_code page_taxpayers(request *rq, response *rs);
err_code page_taxpayer(request *rq, response *rs);
err_code page_taxpayer_new(request *rq, response *rs);
err_code page_taxpayer_create(request *rq, response *rs);
err_code page_taxpayer_edit(request *rq, response *rs);
err_code page_taxpayer_update(request *rq, response *rs);
err_code page_admin(request *rq, response *rs);
err_code page_admin_ente_new(request *rq, response *rs);
err_code page_admin_ente_create(request *rq, response *rs);
err_code page_admin_office_new(request *rq, response *rs);
err_code page_admin_office_create(request *rq, response *rs);
err_code page_admin_user_new(request *rq, response *rs);
err_code page_admin_user_create(request *rq, response *rs);
err_code page_admin_user(request *rq, response *rs);
err_code page_admin_user_status(request *rq, response *rs);
err_code page_admin_user_password(request *rq, response *rs);
err_code page_admin_user_entes(request *rq, response *rs);
err_code page_admin_jobs(request *rq, response *rs);
/* cases (pratiche) */
err_code page_cases(request *rq, response *rs);
err_code page_case(request *rq, response *rs);
err_code page_case_attachment(request *rq, response *rs);
err_code page_case_assign(request *rq, response *rs);
err_code page_case_take(request *rq, response *rs);
err_code page_case_reply(request *rq, response *rs);
err_code page_case_close(request *rq, response *rs);
err_code page_case_forward(request *rq, response *rs);
err_code page_case_occupation_process(request *rq, response *rs);
err_code page_case_variation_decide(request *rq, response *rs);
err_code page_case_ask_photos(request *rq, response *rs);
err_code page_case_inspection(request *rq, response *rs);
/* office/occupation_auth.c */
err_code page_case_authorisation_post(request *rq, response *rs);
err_code page_case_authorisation_pdf(request *rq, response *rs);
/* office/occupation_form.c */
err_code page_occupation_new(request *rq, response *rs);
err_code page_occupation_new_post(request *rq, response *rs);
err_code page_case_occupation(request *rq, response *rs);
err_code page_case_occupation_post(request *rq, response *rs);
/* office/occupation_change_form.c */
err_code page_occupation_variation(request *rq, response *rs);
err_code page_occupation_variation_post(request *rq, response *rs);
err_code page_occupation_cessation(request *rq, response *rs);
err_code page_occupation_cessation_post(request *rq, response *rs);
/* office/occupation_inspection.c */
err_code page_case_inspection_form(request *rq, response *rs);
err_code page_case_inspection_record(request *rq, response *rs);
/* portal/occupation_photos.c: a cessation's photo upload link */
err_code page_portal_occupation_photos(request *rq, response *rs);
err_code page_portal_occupation_photos_post(request *rq, response *rs);
err_code page_case_new(request *rq, response *rs);
err_code page_case_create(request *rq, response *rs);
err_code page_case_ente_request(request *rq, response *rs);
err_code page_case_ente_request_post(request *rq, response *rs);
err_code page_cases_report(request *rq, response *rs);
err_code page_cases_summary(request *rq, response *rs);
err_code page_case_follow(request *rq, response *rs);
/* video appointments: the citizen's room and the operator's */
err_code page_video_citizen(request *rq, response *rs);
err_code page_video_citizen_config(request *rq, response *rs);
err_code page_video_citizen_events(request *rq, response *rs);
err_code page_video_citizen_post(request *rq, response *rs);
err_code page_office_video(request *rq, response *rs);
err_code page_office_video_config(request *rq, response *rs);
err_code page_office_video_events(request *rq, response *rs);
err_code page_office_video_post(request *rq, response *rs);
err_code page_case_follow_post(request *rq, response *rs);
err_code page_intermediary_home(request *rq, response *rs);
err_code page_intermediary(request *rq, response *rs);
err_code page_intermediary_post(request *rq, response *rs);
err_code page_admin_cases(request *rq, response *rs);
err_code page_admin_cases_offices(request *rq, response *rs);
err_code page_admin_cases_rule_add(request *rq, response *rs);
err_code page_admin_cases_rule_delete(request *rq, response *rs);
err_code page_admin_cases_category(request *rq, response *rs);
err_code page_admin_mail(request *rq, response *rs);
err_code page_admin_mail_release(request *rq, response *rs);
err_code page_admin_mail_discard(request *rq, response *rs);
/* front office agenda */
err_code page_ente_public(request *rq, response *rs);
err_code page_booking_topics(request *rq, response *rs);
err_code page_booking(request *rq, response *rs);
err_code page_booking_post(request *rq, response *rs);
err_code page_booking_manage(request *rq, response *rs);
err_code page_booking_cancel(request *rq, response *rs);
err_code page_booking_change(request *rq, response *rs);
err_code page_booking_change_post(request *rq, response *rs);
err_code page_office_agenda(request *rq, response *rs);
err_code page_office_agenda_mark(request *rq, response *rs);
err_code page_office_agenda_book(request *rq, response *rs);
err_code page_office_agenda_book_post(request *rq, response *rs);
err_code page_office_counters(request *rq, response *rs);
err_code page_office_counters_post(request *rq, response *rs);
/* debt positions (office/acts*.c, act_*.c, receipts_review.c, reconciliation.c) */
err_code page_acts(request *rq, response *rs);
err_code page_act(request *rq, response *rs);
err_code page_act_notice(request *rq, response *rs);
err_code page_act_post(request *rq, response *rs);
err_code page_receipts_review(request *rq, response *rs);
err_code page_receipt_post(request *rq, response *rs);
err_code page_reconciliation(request *rq, response *rs);
err_code page_reconciliation_flow(request *rq, response *rs);
err_code page_admin_job_retry(request *rq, response *rs);
/* revenue types and accounts (admin/revenues.c) */
err_code page_admin_revenues(request *rq, response *rs);
err_code page_admin_revenues_postal(request *rq, response *rs);
/* online services (admin/services.c) */
err_code page_admin_services(request *rq, response *rs);
err_code page_admin_services_import(request *rq, response *rs);
err_code page_admin_service(request *rq, response *rs);
err_code page_admin_service_update(request *rq, response *rs);
/* online services at the office (office/services.c, applications.c,
 * application_actions.c) */
err_code page_office_services(request *rq, response *rs);
err_code page_office_service_apply(request *rq, response *rs);
err_code page_office_service_apply_post(request *rq, response *rs);
err_code page_office_applications(request *rq, response *rs);
err_code page_office_application(request *rq, response *rs);
err_code page_office_application_file(request *rq, response *rs);
err_code page_office_application_document(request *rq, response *rs);
err_code page_office_application_take(request *rq, response *rs);
err_code page_office_application_ask(request *rq, response *rs);
err_code page_office_application_answer(request *rq, response *rs);
err_code page_office_application_decide(request *rq, response *rs);
err_code page_office_application_payment(request *rq, response *rs);
err_code page_admin_job_cancel(request *rq, response *rs);

#endif
