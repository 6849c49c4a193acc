/* The taxpayer portal's pages (src/web/portal/): each Ente's public portal
 * under /enti/{ente} (and on the Ente's own host name), the services
 * without signing in, citizens' sign-in, the personal area. Declared in
 * routes.c with PORTAL / CITIZEN. */
#ifndef SP_WEB_PORTAL_H
#define SP_WEB_PORTAL_H
#include "domain/portal/portal.h"
#include "render/portal_frame.h"
#include "web/web.h"

/* Frame data for the current Ente and citizen. */
err_code portal_page_for(request *rq, const char *title, const char *section, portal_page *p);
/* The same, also giving the Ente's portal settings it read. */
err_code portal_page_settings(request *rq, const char *title, const char *section, portal_page *p,
                              portal_settings *s);
/* The same with settings the page read already (in its own batch). */
void portal_page_with(request *rq, const char *title, const char *section, portal_page *p,
                      const portal_settings *s);
/* Adds crumbs after the portal home ("Home" -> the Ente's portal). */
void portal_trail(request *rq, portal_page *p, const crumb *items, size_t n);
#define PORTAL_TRAIL(rq, p, ...) \
  portal_trail((rq), (p), (const crumb[]){__VA_ARGS__}, sizeof((const crumb[]){__VA_ARGS__}) / sizeof(crumb))
html portal_html(request *rq, response *rs, const portal_page *p);
/* "/enti/{slug}" + suffix for the current Ente. */
const char *portal_url(request *rq, const char *suffix);
/* Today in Rome, YYYY-MM-DD (arena). */
const char *portal_today(request *rq);
/* The notice a portal form names by its code (NAV, with or without spaces)
 * and a fiscal code: the Ente's or the act's taxpayer's; any other makes
 * the notice unknown, so numbers cannot be probed with a random one.
 * Returns ERR_INVALID with *field and *why (Italian) for a malformed
 * input, else the lookup's result (ERR_OK, ERR_NOTICE_UNKNOWN, _PAID,
 * _EXPIRED, _CANCELLED) with *n filled, or a storage error. */
err_code portal_notice_find(request *rq, const char *nav_in, const char *cf_in, debt_notice *n,
                            const char **field, const char **why);
/* Euro amount "1.234,56 €" (arena). */
const char *portal_eur(arena *a, int64_t cents);
/* A year (or any integer) as plain digits, without printf: tables print
 * hundreds of them. */
const char *portal_year(arena *a, int64_t v);
/* The per-client limit on notice and report lookups: 1 when allowed; else
 * sets 429 with Retry-After and returns 0. */
int portal_lookup_allowed(request *rq, response *rs);
/* The fiscal code whose data the page shows: the citizen's own, or a
 * client's (?cf=) when the citizen holds a live delegation for it;
 * ERR_NOT_FOUND otherwise. */
err_code portal_subject(request *rq, const char **cf);
/* The Ente whose portal answers on the request's Host, or ERR_NOT_FOUND. */
err_code portal_host_ente(request *rq, ente **out);

/* PDF bytes as the response (inline, with a file name). */
void portal_send_pdf(response *rs, request *rq, const strbuf *pdf, const char *filename);

/* curl_global_init, once per process, before any libcurl use. */
void portal_curl_once(void);

/* pagoPA Checkout (checkout.c): posts the cart and gives the page to send
 * the citizen to. */
err_code checkout_start(request *rq, const ente *e, const debt_act *act, const debt_option *o, int64_t amount,
                        const char *email, const char **location);

/* Handlers. */
err_code page_portal_home(request *rq, response *rs);
err_code page_portal_logo(request *rq, response *rs);
err_code page_portal_report(request *rq, response *rs);
err_code page_portal_channels(request *rq, response *rs);
err_code page_portal_notice(request *rq, response *rs);
err_code page_portal_notice_post(request *rq, response *rs);
err_code page_portal_notice_pay(request *rq, response *rs);
err_code page_portal_notice_pdf(request *rq, response *rs);
err_code page_portal_paid(request *rq, response *rs);
err_code page_portal_receipt(request *rq, response *rs);
err_code page_portal_receipt_pdf(request *rq, response *rs);
err_code page_portal_spontaneous(request *rq, response *rs);
err_code page_portal_spontaneous_post(request *rq, response *rs);
err_code page_portal_fines(request *rq, response *rs);
err_code page_portal_fines_post(request *rq, response *rs);
err_code page_portal_signin(request *rq, response *rs);
err_code page_portal_signin_demo(request *rq, response *rs);
err_code page_portal_signin_oidc(request *rq, response *rs);
err_code page_portal_oidc_callback(request *rq, response *rs);
err_code page_portal_signout(request *rq, response *rs);
err_code page_portal_account(request *rq, response *rs);
err_code page_portal_act(request *rq, response *rs);
err_code page_portal_statement(request *rq, response *rs);
err_code page_portal_statement_pdf(request *rq, response *rs);
err_code page_portal_ravv(request *rq, response *rs);
err_code page_portal_ravv_post(request *rq, response *rs);

/* online services (services.c) */
err_code page_portal_services(request *rq, response *rs);
err_code page_portal_service_apply(request *rq, response *rs);
err_code page_portal_service_apply_post(request *rq, response *rs);
err_code page_portal_applications(request *rq, response *rs);
err_code page_portal_application(request *rq, response *rs);
err_code page_portal_application_answer(request *rq, response *rs);
err_code page_portal_application_book(request *rq, response *rs);

/* occupations of public land (occupations.c) */
err_code page_portal_occupations(request *rq, response *rs);
err_code page_portal_occupation(request *rq, response *rs);
err_code page_portal_occupation_variation(request *rq, response *rs);
err_code page_portal_occupation_cessation(request *rq, response *rs);

#endif
