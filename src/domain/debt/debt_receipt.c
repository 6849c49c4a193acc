/* Receipts on the ledger: a paSendRT stores the receipt and books it on
 * its option in one transaction (idempotent on the receiptId, by the
 * UNIQUE constraint of pagopa_receipt and debt_book_payment's reference);
 * what cannot be matched waits in the review queue. And positions created
 * on demand for spontaneous payments (paDemandPaymentNotice). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <jansson.h>
#include "core/clock.h"
#include "core/date.h"
#include "core/text.h"
#include "core/validate.h"
#include "domain/debt/debt_internal.h"
#include "domain/debt/debt_sanp_store.h"
#include "domain/pagopa/nav.h"
#include "domain/taxpayer/taxpayer.h"

/* The day the money was paid: paymentDateTime's date, else the
 * application date, else today. */
static const char *value_date(arena *a, const pagopa_receipt *r) {
  if (r->payment_date_time && strlen(r->payment_date_time) >= 10) {
    char *v = arena_strndup(a, r->payment_date_time, 10);
    if (debt_date_ok(v)) return v;
  }
  if (r->application_date && debt_date_ok(r->application_date)) return r->application_date;
  return NULL;
}

static json_t *receipt_json(const pagopa_receipt *r) {
  return json_pack("{s:s, s:s, s:s, s:I, s:s, s:s?, s:I, s:I, s:I}", "receipt_id", r->receipt_id, "iuv",
                   r->iuv, "notice_number", r->notice_number, "amount_cents", (json_int_t)r->amount_cents,
                   "state", r->state, "review_reason", r->review_reason, "act_id", (json_int_t)r->act_id,
                   "option_id", (json_int_t)r->option_id, "movement_id", (json_int_t)r->movement_id);
}

/* The option the receipt names: by IUV, else by notice number. ERR_OK with
 * the notice (whatever its state), ERR_NOTICE_UNKNOWN. */
static err_code find_option(db *d, arena *a, int64_t ente_id, const pagopa_receipt *r, debt_notice *n) {
  err_code rc = ERR_NOTICE_UNKNOWN;
  if (r->iuv) rc = debt_notice_lookup(d, a, ente_id, r->iuv, NULL, n);
  if (!n->option && r->notice_number) rc = debt_notice_lookup(d, a, ente_id, r->notice_number, NULL, n);
  if (n->option) return ERR_OK;
  return rc == ERR_OK ? ERR_NOTICE_UNKNOWN : rc;
}

typedef struct {
  arena *a;
  const ente *e;
  pagopa_receipt *r;
  const actor *who;
  debt_receipt_result *out;
} accept_tx;

static err_code accept_tx_fn(db *d, void *ctx) {
  accept_tx *t = ctx;
  pagopa_receipt *r = t->r;
  debt_receipt_result *out = t->out;
  memset(out, 0, sizeof *out);
  r->act_id = r->option_id = r->movement_id = 0;
  r->review_reason = NULL;
  r->state = "review"; /* until decided below, in this transaction */
  /* stored first: a copy of the same receipt (also a concurrent one) stops
   * here as a duplicate, before any other work */
  int dup = 0;
  err_code rc = pagopa_receipt_insert(d, r, &dup);
  if (rc != ERR_OK) return rc;
  out->receipt_pk = r->id;
  if (dup) {
    pagopa_receipt old;
    if ((rc = pagopa_receipt_get(d, t->a, t->e->id, r->id, &old)) != ERR_OK) return rc;
    out->duplicate = 1;
    out->state = old.state;
    out->review_reason = old.review_reason;
    return ERR_OK;
  }
  debt_notice n = {0};
  r->state = "booked";
  if (strcmp(r->outcome, "OK") != 0) {
    r->state = "ko";
  } else if (strcmp(r->fiscal_code, t->e->fiscal_code) != 0) {
    r->state = "secondary"; /* a position of another Ente: nothing to book here */
  } else if (r->amount_cents <= 0) {
    r->state = "review";
    r->review_reason = PAGOPA_REVIEW_AMOUNT;
  } else {
    rc = find_option(d, t->a, t->e->id, r, &n);
    if (rc == ERR_NOTICE_UNKNOWN) {
      r->state = "review";
      r->review_reason = PAGOPA_REVIEW_UNKNOWN;
    } else if (rc != ERR_OK) {
      return rc;
    } else if (!strcmp(n.option->state, "cancelled") || !strcmp(n.option->state, "replaced")) {
      r->state = "review";
      r->review_reason = PAGOPA_REVIEW_CANCELLED;
      r->act_id = n.act.id;
      r->option_id = n.option->id;
    }
  }
  if (!strcmp(r->state, "booked")) {
    debt_payment p = {0};
    p.option_id = n.option->id;
    p.act_id = n.act.id;
    p.amount_cents = r->amount_cents;
    p.channel = "pagopa";
    p.reference = r->receipt_id;
    p.value_date = value_date(t->a, r);
    p.evidence = arena_printf(t->a, "pagoPA %s, PSP %s", r->receipt_id, r->psp_id);
    if ((rc = debt_book_payment(d, t->a, t->e->id, &p, t->who, &out->booking)) != ERR_OK) return rc;
    r->act_id = out->booking.act_id;
    r->option_id = out->booking.option_id;
    r->movement_id = out->booking.movement_id;
  }
  rc = pagopa_receipt_set_state(d, t->e->id, r->id, r->state, r->review_reason, r->act_id, r->option_id,
                                r->movement_id, 0);
  if (rc != ERR_OK) return rc;
  out->state = r->state;
  out->review_reason = r->review_reason;
  return audit_write_json(d, t->who, t->e->id, "pagopa.receipt", "pagopa_receipt", r->id, NULL,
                          receipt_json(r));
}

err_code debt_receipt_accept(db *d, arena *a, const ente *e, pagopa_receipt *r, const actor *who,
                             debt_receipt_result *out) {
  debt_receipt_result local;
  if (!out) out = &local;
  r->ente_id = e->id;
  if (!r->receipt_id || !r->outcome || !r->fiscal_code || !r->psp_id) return ERR_INVALID;
  if (!r->settlement_date) {
    r->settlement_date = r->transfer_date ? r->transfer_date : r->application_date;
    if (!r->settlement_date) r->settlement_date = (char *)value_date(a, r);
  }
  accept_tx t = {a, e, r, who, out};
  return db_tx_locking(d, accept_tx_fn, &t);
}

err_code debt_receipt_review_list(db *d, arena *a, int64_t ente_id, pagopa_receipt **out, size_t *n) {
  return pagopa_receipts_in_review(d, a, ente_id, out, n);
}

typedef struct {
  arena *a;
  int64_t ente_id, receipt_pk;
  const char *key, *note;
  const actor *who;
  debt_booking *out;
} resolve_tx;

static err_code resolve_tx_fn(db *d, void *ctx) {
  resolve_tx *t = ctx;
  pagopa_receipt r;
  memset(t->out, 0, sizeof *t->out);
  err_code rc = pagopa_receipt_get(d, t->a, t->ente_id, t->receipt_pk, &r);
  if (rc != ERR_OK) return rc;
  if (strcmp(r.state, "review") != 0) return ERR_RECEIPT_STATE;
  json_t *before = receipt_json(&r);
  const char *action;
  if (t->key) {
    debt_payment p = {0};
    char nav[19];
    if (text_all_of(t->key, 17, isdigit))
      p.iuv = t->key;
    else if (!nav_parse(t->key, nav))
      p.nav = arena_strdup(t->a, nav);
    else
      rc = ERR_NOTICE_UNKNOWN;
    p.amount_cents = r.amount_cents;
    p.channel = "pagopa";
    p.reference = r.receipt_id;
    p.value_date = value_date(t->a, &r);
    p.evidence = t->note;
    if (rc == ERR_OK) rc = debt_book_payment(d, t->a, t->ente_id, &p, t->who, t->out);
    if (rc != ERR_OK) {
      json_decref(before);
      return rc;
    }
    r.state = "resolved";
    r.act_id = t->out->act_id;
    r.option_id = t->out->option_id;
    r.movement_id = t->out->movement_id;
    action = "pagopa.receipt.resolve";
  } else {
    r.state = "refunded";
    action = "pagopa.receipt.refunded";
  }
  rc = pagopa_receipt_set_state(d, t->ente_id, r.id, r.state, r.review_reason, r.act_id, r.option_id,
                                r.movement_id, clock_now());
  if (rc != ERR_OK) {
    json_decref(before);
    return rc;
  }
  json_t *after = receipt_json(&r);
  json_object_set_new(after, "note", t->note ? json_string(t->note) : json_null());
  return audit_write_json(d, t->who, t->ente_id, action, "pagopa_receipt", r.id, before, after);
}

static err_code resolve(db *d, arena *a, int64_t ente_id, int64_t receipt_pk, const char *key,
                        const char *note, const actor *who, debt_booking *out) {
  debt_booking local;
  if (!out) out = &local;
  if (note && (strlen(note) > 1000 || !*note)) return ERR_INVALID;
  resolve_tx t = {a, ente_id, receipt_pk, key, note, who, out};
  return db_tx_locking(d, resolve_tx_fn, &t);
}

err_code debt_receipt_resolve(db *d, arena *a, int64_t ente_id, int64_t receipt_pk, const char *nav_or_iuv,
                              const char *note, const actor *who, debt_booking *out) {
  if (!nav_or_iuv || !*nav_or_iuv || strlen(nav_or_iuv) > 40) return ERR_NOTICE_UNKNOWN;
  return resolve(d, a, ente_id, receipt_pk, nav_or_iuv, note, who, out);
}

err_code debt_receipt_refunded(db *d, arena *a, int64_t ente_id, int64_t receipt_pk, const char *note,
                               const actor *who) {
  if (!note || !*note) return ERR_INVALID;
  return resolve(d, a, ente_id, receipt_pk, NULL, note, who, NULL);
}

/* ---- spontaneous payments ---- */

typedef struct {
  arena *a;
  const ente *e;
  const debt_spontaneous_req *q;
  const debt_revenue *rev;
  const actor *who;
  debt_act *out;
} spont_tx;

/* The taxpayer with this fiscal code, created from name when unknown. */
static err_code ensure_taxpayer(db *d, arena *a, int64_t ente_id, const char *cf, const char *name,
                                const actor *who, int64_t *id) {
  taxpayer tp;
  err_code rc = taxpayer_by_fiscal_code(d, a, ente_id, cf, &tp);
  if (rc == ERR_OK) {
    *id = tp.id;
    return ERR_OK;
  }
  if (rc != ERR_NOT_FOUND) return rc;
  char *nm = text_trim_dup(a, name);
  if (!nm) return ERR_INVALID;
  memset(&tp, 0, sizeof tp);
  tp.ente_id = ente_id;
  tp.fiscal_code = arena_strdup(a, cf);
  if (strlen(cf) == 11) {
    tp.kind = TP_COMPANY;
    tp.company_name = nm;
  } else {
    tp.kind = TP_PERSON;
    char *sep = strchr(nm, ' ');
    if (sep) *sep = 0;
    tp.surname = nm;
    tp.given_name = sep ? text_trim_dup(a, sep + 1) : NULL;
  }
  problems pbs = {0};
  rc = taxpayer_create(d, a, &tp, who, &pbs);
  *id = tp.id;
  return rc == ERR_CONFLICT ? ERR_BUSY : rc; /* created concurrently: run again and find it */
}

static err_code spont_tx_fn(db *d, void *ctx) {
  spont_tx *t = ctx;
  const debt_spontaneous_req *q = t->q;
  char *cf = arena_strdup(t->a, q->debtor_cf);
  normalize_code(cf);
  int64_t tp_id = 0;
  err_code rc = ensure_taxpayer(d, t->a, t->e->id, cf, q->debtor_name, t->who, &tp_id);
  if (rc != ERR_OK) return rc;
  char today[11], due[11];
  debt_today(today);
  civil_date td;
  date_parse_iso(today, &td);
  date_format_iso(date_add_days(td, 30), due);
  debt_act *x = t->out;
  memset(x, 0, sizeof *x);
  x->ente_id = t->e->id;
  x->taxpayer_id = tp_id;
  x->revenue_id = t->rev->id;
  x->act_type = "bonario";
  x->year = td.y;
  size_t nl = strlen(t->rev->name);
  x->description = arena_printf(t->a, "%.*s - pagamento spontaneo", (int)(nl > 110 ? 110 : nl), t->rev->name);
  x->issue_date = arena_strdup(t->a, today);
  x->due_date = arena_strdup(t->a, due);
  x->lines = ARENA_NEW(t->a, debt_line);
  x->lines[0] = (debt_line){"tax", NULL, q->amount_cents};
  x->n_lines = 1;
  debt_problems pbs = {0};
  return debt_act_create(d, t->a, x, t->who, &pbs);
}

err_code debt_spontaneous_create(db *d, arena *a, const ente *e, const debt_spontaneous_req *q,
                                 const actor *who, debt_act *out) {
  if (!q->service_id || strlen(q->service_id) != 5) return ERR_SPONTANEOUS;
  if (q->amount_cents <= 0 || q->amount_cents > 99999999999LL || !q->debtor_cf || strlen(q->debtor_cf) > 16)
    return ERR_INVALID;
  char *cf = arena_strdup(a, q->debtor_cf);
  normalize_code(cf);
  if (debt_cf_check(cf)) return ERR_INVALID;
  int64_t rev_id = 0;
  err_code rc = dss_revenue_by_service(d, e->id, q->service_id, &rev_id);
  if (rc == ERR_NOT_FOUND) return ERR_SPONTANEOUS;
  if (rc != ERR_OK) return rc;
  debt_revenue rev;
  if ((rc = debt_revenue_get(d, a, e->id, rev_id, &rev)) != ERR_OK) return rc;
  if (!rev.spontaneous) return ERR_SPONTANEOUS;
  spont_tx t = {a, e, q, &rev, who, out};
  return db_tx_locking(d, spont_tx_fn, &t);
}
