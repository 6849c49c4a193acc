/* Shared pieces of the case pages (queue, case, forms, reports): who may
 * do what, dates as Italians read them, state and priority badges. */
#ifndef SP_WEB_CASES_UI_H
#define SP_WEB_CASES_UI_H
#include "domain/canone/canone.h"
#include "domain/cases/cases.h"
#include "web/web.h"

/* Who works cases (take, reply, close, register at the counter) and who
 * manages an office's queue (assign). */
#define ROLES_CASE_WORK \
  (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_OFFICE_MANAGER) | ROLE_BIT(ROLE_OPERATOR))
#define ROLES_CASE_MANAGE (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_OFFICE_MANAGER))
/* Who reads the queues and reports. */
#define ROLES_CASE_READ \
  (ROLES_BACKOFFICE | ROLE_BIT(ROLE_ENTE_STAFF))

/* The signed-in user as the actor of a case action. */
case_actor cu_actor(request *rq);
/* "DD/MM/YYYY" from "YYYY-MM-DD" (the input when it is not a date). */
const char *cu_date_it(arena *a, const char *iso);
/* "DD/MM/YYYY HH:MM" in Rome. */
const char *cu_time(arena *a, int64_t t);
void cu_state_badge(html *h, case_state s);
void cu_priority_badge(html *h, const char *priority);
/* A form field's value, NULL when absent or empty. */
const char *cu_form(request *rq, const char *name);
/* "YYYY-MM-DD" query value or NULL. */
const char *cu_query_date(request *rq, const char *name);
/* A description list row (nothing for an empty value). */
void cu_row(html *h, const char *label, const char *value);
/* The category options of the Ente (active ones), first an "all" entry
 * when all_label is not NULL. */
form_option *cu_category_options(request *rq, const char *all_label, size_t *n);

/* The case page, with a problem shown at the top (an action that could not
 * be done) and status (0: 200). */
err_code case_page_render(request *rq, response *rs, int64_t id, const problem *pb, int status);
/* case_occupation.c: the occupation section of the case page (nothing
 * when the case has none). */
void case_occupation_section(request *rq, html *h, const case_rec *c);
/* The fee's breakdown (the occupation's JSON lines) as a table; nothing for NULL. */
void case_occupation_breakdown(html *h, const char *breakdown);
/* occupation_change_form.c: the links that open a variation or a
 * cessation of a processed declaration (nothing otherwise). */
void occupation_change_links(request *rq, html *h, const case_rec *c, const occupation *o);
/* occupation_inspection.c: a cessation's photo link, its inspection
 * record, or the link to record it. */
void occupation_inspection_section(request *rq, html *h, const case_rec *c, const occupation *o, int may_work);

/* The form of a new request: at the counter or by phone (ente = 0), or
 * sent by Ente staff (ente = 1); values re-shown after a problem. */
typedef struct {
  const char *channel, *category, *subject, *description, *name, *fiscal_code, *email, *pec,
      *phone;
} case_form_values;
void case_form_render(request *rq, response *rs, int from_ente, const case_form_values *v,
                      const problem *pb, int status);
/* A multi-line text field with its label (the form widgets have none). */
void cu_textarea(html *h, const char *name, const char *label, const char *value, int rows,
                 int required, const char *error);

/* A report table (or its CSV when csv is set) over the Enti of f, with the
 * filter form posting back to action. */
err_code cases_report_render(request *rq, response *rs, const char *title,
                             const case_report_filter *f, int csv, const char *action,
                             const char *ente_sel);

#endif
