/* What an application costs (see services.h, "Payments"): each payment is
 * an act of src/domain/debt with its pagoPA notice, made with the same
 * debt_act_create the positions API and the canone workflow use; whether
 * it is paid comes from the act's ledger. */
#include <jansson.h>
#include <string.h>

#include "core/clock.h"
#include "core/date.h"
#include "core/money.h"
#include "core/text.h"
#include "domain/services/services_internal.h"
#include "domain/services/services_store.h"
#include "domain/taxpayer/taxpayer.h"

int64_t svc_app_amount(const service *s, const svc_app *x) {
  if (s->amount_cents > 0) return s->amount_cents;
  if (!s->amount_field) return -1;
  const char *v = svc_app_value((void *)x, s->amount_field);
  int64_t c;
  if (!v || money_parse(v, &c) != 0 || c <= 0 || c > SVC_MAX_PAYMENT_CENTS) return -1;
  return c;
}

/* s cut to at most max bytes without splitting a UTF-8 character. */
static char *cut(arena *a, const char *s, size_t max) {
  char *r = arena_strdup(a, s);
  size_t n = strlen(r);
  if (n <= max) return r;
  n = max;
  while (n > 0 && ((unsigned char)r[n] & 0xC0) == 0x80) n--;
  r[n] = 0;
  return r;
}

static err_code bad(arena *a, problems *pbs, const char *field, const char *msg) {
  problems_add(a, pbs, ERR_INVALID, field, msg);
  return ERR_INVALID;
}

/* The applicant in the Ente's registry: found by fiscal code, or
 * registered with the name of the application ("Mario Rossi": given name
 * Mario, surname Rossi; a company by its name). */
static err_code applicant_taxpayer(db *d, arena *a, const actor *who, const svc_app *x, int64_t *id,
                                   problems *pbs) {
  const char *cf = x->applicant_fiscal_code;
  if (!cf || !*cf) return bad(a, pbs, "payment", "Per il pagamento serve il codice fiscale del richiedente.");
  taxpayer tp;
  err_code rc = taxpayer_by_fiscal_code(d, a, x->ente_id, cf, &tp);
  if (rc == ERR_OK) {
    *id = tp.id;
    return ERR_OK;
  }
  if (rc != ERR_NOT_FOUND) return rc;
  memset(&tp, 0, sizeof tp);
  tp.ente_id = x->ente_id;
  tp.fiscal_code = (char *)cf;
  tp.kind = strlen(cf) == 16 ? TP_PERSON : TP_COMPANY;
  char *name = text_trim_dup(a, x->applicant_name);
  if (!name) name = (char *)cf;
  if (tp.kind == TP_PERSON) {
    char *sp = strchr(name, ' ');
    if (sp) {
      *sp = 0;
      tp.given_name = name;
      tp.surname = text_trim_dup(a, sp + 1);
    } else {
      tp.surname = name;
      tp.given_name = name;
    }
  } else {
    tp.company_name = name;
  }
  problems tpb = {0};
  rc = taxpayer_create(d, a, &tp, who, &tpb);
  for (size_t i = 0; i < tpb.n; i++)
    problems_add(a, pbs, tpb.items[i].code, "payment",
                 arena_printf(a, "Richiedente non registrabile per il pagamento: %s", tpb.items[i].message));
  if (rc != ERR_OK) return rc;
  *id = tp.id;
  return ERR_OK;
}

err_code svc_issue_payment(db *d, arena *a, const actor *who, const svc_pay_in *in, debt_act *act,
                           problems *pbs) {
  const svc_app *x = in->app;
  debt_revenue rev;
  err_code rc = debt_revenue_by_code(d, a, x->ente_id, in->revenue, &rev);
  if (rc == ERR_NOT_FOUND)
    return bad(
        a, pbs, "payment",
        arena_printf(a, "L'Ente non ha l'entrata %s: il pagamento non può essere emesso.", in->revenue));
  if (rc != ERR_OK) return rc;
  int64_t tp_id;
  if ((rc = applicant_taxpayer(d, a, who, x, &tp_id, pbs)) != ERR_OK) return rc;
  civil_date today = date_today_rome(clock_now());
  char issue[11], due[11];
  date_format_iso(today, issue);
  date_format_iso(date_add_days(today, SVC_PAYMENT_DAYS), due);
  const char *what = strcmp(in->kind, "stamp") == 0
                         ? arena_printf(a, "Imposta di bollo - %s", x->service_name)
                         : x->service_name;
  memset(act, 0, sizeof *act);
  act->ente_id = x->ente_id;
  act->taxpayer_id = tp_id;
  act->revenue_id = rev.id;
  act->act_type = "bonario";
  act->year = today.y;
  act->description = cut(a, arena_printf(a, "%s - domanda %s", what, in->case_label), DEBT_MAX_TEXT);
  act->issue_date = issue;
  act->due_date = due;
  debt_line *line = ARENA_NEW(a, debt_line);
  *line = (debt_line){strcmp(in->kind, "stamp") == 0 ? "tax" : "other", act->description, in->amount_cents};
  act->lines = line;
  act->n_lines = 1;
  debt_problems dp = {0};
  if ((rc = debt_act_create(d, a, act, who, &dp)) != ERR_OK) {
    for (size_t i = 0; i < dp.n; i++) problems_add(a, pbs, dp.items[i].code, "payment", dp.items[i].message);
    if (rc == ERR_PAGOPA_SETUP)
      return bad(a, pbs, "payment",
                 "L'Ente non ha ancora configurato pagoPA: il pagamento non "
                 "può essere emesso.");
    return rc;
  }
  svc_payment p = {0};
  p.application_id = x->id;
  p.kind = (char *)in->kind;
  p.act_id = act->id;
  p.amount_cents = in->amount_cents;
  p.requested_by = in->requested_by;
  p.created_at = clock_now();
  if ((rc = sst_payment_insert(d, &p, x->ente_id, &p.id)) != ERR_OK) return rc;
  if ((rc = audit_write_json(
           d, who, x->ente_id, "service.payment", "service_application", x->id, NULL,
           json_pack("{s:s, s:I, s:I, s:s}", "kind", in->kind, "act_id", (json_int_t)act->id, "amount_cents",
                     (json_int_t)in->amount_cents, "revenue", rev.code))) != ERR_OK)
    return rc;
  /* read back with the taxpayer's name and the options' NAVs */
  return debt_act_get(d, a, x->ente_id, act->id, act);
}

err_code svc_app_payments(db *d, arena *a, int64_t ente_id, int64_t app_id, svc_payment **out, size_t *n) {
  err_code rc = sst_payments(d, a, ente_id, app_id, out, n);
  if (rc != ERR_OK) return rc;
  for (size_t i = 0; i < *n; i++) {
    svc_payment *p = &(*out)[i];
    if ((rc = debt_act_get(d, a, ente_id, p->act_id, &p->act)) != ERR_OK) return rc;
    int gen = 0;
    for (size_t k = 0; k < p->act.n_options; k++)
      if (p->act.options[k].generation > gen) gen = p->act.options[k].generation;
    for (size_t k = 0; k < p->act.n_options; k++) {
      const debt_option *o = &p->act.options[k];
      if (o->generation == gen && o->installment == 0 &&
          (!strcmp(o->state, "open") || !strcmp(o->state, "partly_paid"))) {
        p->nav = o->nav;
        p->option_id = o->id;
      }
    }
    p->paid = p->act.residual_cents <= 0;
  }
  return ERR_OK;
}

int svc_payments_pending(const svc_payment *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!p[i].paid) return 1;
  return 0;
}

/* ---- the operator's request of a deferred payment ---- */

typedef struct {
  arena *a;
  const case_actor *ca;
  svc_app *x;
  const service *s;
  int64_t amount;
  svc_notice_fn notice;
  void *notice_ctx;
  problem *pb;
} request_tx;

static err_code request_fn(db *d, void *ctx) {
  request_tx *t = ctx;
  arena *a = t->a;
  case_rec c;
  err_code rc = cases_get(d, a, t->x->ente_id, t->x->case_id, &c);
  if (rc != ERR_OK) return rc;
  if (c.state != CASE_IN_PROGRESS) return ERR_CASE_STATE;
  svc_pay_in in = {t->x, c.label, "deferred", t->s->revenue_code, t->amount, t->ca->u ? t->ca->u->id : 0};
  debt_act act;
  problems pbs = {0};
  if ((rc = svc_issue_payment(d, a, &t->ca->who, &in, &act, &pbs)) != ERR_OK) {
    if (pbs.n) *t->pb = pbs.items[0];
    return rc;
  }
  const char *nav = NULL;
  for (size_t k = 0; k < act.n_options; k++)
    if (act.options[k].installment == 0) nav = act.options[k].nav;
  char eur[32];
  money_format_it(t->amount, eur);
  const char *body =
      arena_printf(a,
                   "Per la domanda %s (%s) è dovuto il pagamento di %s euro.\n"
                   "Può pagare con pagoPA con il codice avviso %s, entro il %s: l'avviso di pagamento è "
                   "allegato e si trova anche nella pagina della domanda sul portale dell'Ente.",
                   c.label, t->x->service_name, eur, nav ? nav : "-", act.due_date);
  case_doc cd = {.category = svc_fascicolo(a, t->x->service_code)};
  const void *pdf = NULL;
  size_t len = 0;
  if (t->notice) {
    if ((rc = t->notice(t->notice_ctx, a, &act, &pdf, &len)) != ERR_OK) return rc;
    cd.name = arena_printf(a, "avviso-%s.pdf", nav ? nav : "pagamento");
    cd.mime = "application/pdf";
  } else { /* command line, tests without fonts: the text itself */
    pdf = body;
    len = strlen(body);
    cd.name = "avviso.txt";
    cd.mime = "text/plain; charset=utf-8";
  }
  cd.data = pdf;
  cd.size = (int64_t)len;
  return cases_reply_doc(d, a, t->ca, t->x->ente_id, c.id, body, 0, &cd, t->pb);
}

err_code svc_app_request_payment(db *d, arena *a, const case_actor *ca, int64_t ente_id, int64_t app_id,
                                 const char *amount, svc_notice_fn notice, void *notice_ctx, problem *pb) {
  svc_app x;
  err_code rc = svc_app_get(d, a, ente_id, app_id, &x);
  if (rc != ERR_OK) return rc;
  if (strcmp(x.state, "submitted") != 0 || !x.case_id) return ERR_NOT_FOUND;
  service s;
  if ((rc = services_get(d, a, ente_id, x.service_id, &s)) != ERR_OK) return rc;
  if (strcmp(s.payment, "deferred") != 0) return ERR_NOT_FOUND;
  int64_t cents = -1;
  if (!amount || strlen(amount) > 30 || money_parse(amount, &cents) != 0 || cents <= 0 ||
      cents > SVC_MAX_PAYMENT_CENTS) {
    pb->field = "amount";
    pb->message = "Indica un importo in euro tra 0,01 e 999.999,99 (es. 25,00).";
    return ERR_INVALID;
  }
  request_tx t = {a, ca, &x, &s, cents, notice, notice_ctx, pb};
  return db_tx_locking(d, request_fn, &t);
}
