/* Shared pieces of the debt pages of the office (positions search, the act
 * page and its actions, the review queue of receipts, reconciliation): who
 * may change what, money and dates as Italians read them. */
#ifndef SP_WEB_ACTS_UI_H
#define SP_WEB_ACTS_UI_H
#include "domain/debt/debt.h"
#include "web/web.h"

/* Who records operations on acts and resolves receipts (the others of the
 * Ente read). Declared on the routes in routes.c too. */
#define ROLES_DEBT_WORK (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_OFFICE_MANAGER) | ROLE_BIT(ROLE_OPERATOR))

/* "1.234,56 €" */
const char *au_euros(arena *a, int64_t cents);
/* "DD/MM/YYYY" from "YYYY-MM-DD" ("" for NULL). */
const char *au_date(arena *a, const char *iso);
/* "DD/MM/YYYY HH:MM" in Rome ("" for 0). */
const char *au_time(arena *a, int64_t t);
/* The NAV in groups of 4 ("3010 0000 ..."). */
const char *au_nav(arena *a, const char *nav);
/* A form field's value, trimmed; NULL when absent or blank. */
const char *au_form(request *rq, const char *name);
/* Amount typed in euros ("1.234,56", "12.5", "40") to cents > 0; -1 when
 * absent or invalid. */
int64_t au_form_euros(request *rq, const char *name);
/* "YYYY-MM-DD" field: the value, NULL when absent, "" when not a date. */
const char *au_form_date(request *rq, const char *name);

/* The act page, with the problems of the form named form (its field names
 * carry the form's prefix) shown in that form, and status (0: 200). */
err_code act_page_render(request *rq, response *rs, int64_t id, const char *form, const problem *pbs,
                         size_t n, int status);
/* The review queue with a problem on the form of receipt receipt_pk. */
err_code receipts_review_render(request *rq, response *rs, int64_t receipt_pk, const problem *pb, int status);

#endif
