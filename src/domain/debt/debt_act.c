/* Acts: validation and creation with lines, options (NAV/IUV from the
 * Ente's sequence) and transfers; reads; the derivation cache. */
#include <ctype.h>
#include <string.h>
#include "core/clock.h"
#include "core/text.h"
#include "core/validate.h"
#include "domain/debt/debt_internal.h"
#include "domain/debt/debt_store.h"
#include "domain/pagopa/nav.h"
#include "domain/taxpayer/taxpayer.h"

#define MAX_AMOUNT 99999999999LL /* pagoPA stAmount: 999,999,999.99 euros */

static const char *const LINE_KINDS[] = {"tax", "sanction", "interest", "costs", "other", NULL};

static int in_list(const char *s, const char *const *list) {
  for (size_t i = 0; s && list[i]; i++)
    if (strcmp(s, list[i]) == 0) return 1;
  return 0;
}

debt_movement debt_mv(const actor *who, int64_t act_id, const char *kind, int64_t amount,
                      const char *value_date) {
  debt_movement m = {0};
  m.act_id = act_id;
  m.kind = (char *)kind;
  m.amount_cents = amount;
  m.value_date = (char *)value_date;
  m.actor_kind = (char *)(who ? who->kind : "system");
  m.actor_id = who ? who->id : 0;
  m.at = clock_now();
  return m;
}

debt_event debt_ev(const actor *who, int64_t act_id, const char *kind, const char *date, const char *note) {
  debt_event e = {0};
  e.act_id = act_id;
  e.kind = (char *)kind;
  e.event_date = (char *)date;
  e.note = (char *)note;
  e.actor_kind = (char *)(who ? who->kind : "system");
  e.actor_id = who ? who->id : 0;
  e.at = clock_now();
  return e;
}

json_t *debt_totals_json(const debt_totals *t) {
  return json_pack("{s:s, s:I, s:I, s:I, s:I}", "state", t->state, "charged", (json_int_t)t->charged, "paid",
                   (json_int_t)(t->paid + t->compensated - t->refunded - t->credit_used), "residual",
                   (json_int_t)t->residual, "to_refund", (json_int_t)t->to_refund);
}

json_t *debt_act_json(const debt_act *x) {
  json_t *opts = json_array();
  for (size_t i = 0; i < x->n_options; i++) {
    const debt_option *o = &x->options[i];
    json_array_append_new(opts, json_pack("{s:i, s:i, s:s, s:I, s:s}", "generation", o->generation,
                                          "installment", o->installment, "nav", o->nav ? o->nav : "",
                                          "amount", (json_int_t)o->amount_cents, "due_date", o->due_date));
  }
  return json_pack("{s:s, s:i, s:s, s:I, s:I, s:s, s:s, s:I, s:o}", "act_type", x->act_type, "year", x->year,
                   "number", x->number ? x->number : "", "taxpayer_id", (json_int_t)x->taxpayer_id,
                   "revenue_id", (json_int_t)x->revenue_id, "description",
                   x->description ? x->description : "", "due_date", x->due_date ? x->due_date : "",
                   "charged", (json_int_t)x->charged_cents, "options", opts);
}

/* ---- validation ---- */

static const char *number_check(const char *s) {
  size_t n = s ? strlen(s) : 0;
  if (n < 1 || n > 35) return "Il numero dell'atto è di 1-35 caratteri.";
  for (size_t i = 0; i < n; i++)
    if (!isalnum((unsigned char)s[i]) && !strchr("/-_.", s[i]))
      return "Il numero dell'atto contiene lettere, cifre e / - _ . soltanto.";
  return NULL;
}

static void check_transfers(arena *a, debt_option *o, const char *f, debt_problems *pbs) {
  if (o->n_transfers > DEBT_MAX_TRANSFERS) {
    dp_add(a, pbs, ERR_INVALID, arena_printf(a, "%s.transfers", f),
           "Al massimo 5 trasferimenti per pagamento.");
    return;
  }
  int64_t sum = 0;
  const char *m;
  for (size_t k = 0; k < o->n_transfers; k++) {
    debt_transfer *t = &o->transfers[k];
    const char *tf = arena_printf(a, "%s.transfers[%zu]", f, k);
    t->position = (int)k + 1;
    if (t->iban) normalize_code(t->iban = arena_strdup(a, t->iban));
    if (t->taxonomy) normalize_code(t->taxonomy = arena_strdup(a, t->taxonomy));
    if (!t->beneficiary_cf || !text_all_of(t->beneficiary_cf, 11, isdigit) ||
        validate_partita_iva(t->beneficiary_cf))
      dp_add(a, pbs, ERR_INVALID, arena_printf(a, "%s.beneficiary_fiscal_code", tf),
             "Il codice fiscale del beneficiario è di 11 cifre con la cifra di controllo.");
    if (!t->iban || (m = validate_iban_it(t->iban)))
      dp_add(a, pbs, ERR_INVALID, arena_printf(a, "%s.iban", tf),
             t->iban ? m : "Indicare l'IBAN del beneficiario.");
    if ((m = debt_taxonomy_check(t->taxonomy)))
      dp_add(a, pbs, ERR_INVALID, arena_printf(a, "%s.taxonomy", tf), m);
    if (t->amount_cents <= 0)
      dp_add(a, pbs, ERR_INVALID, arena_printf(a, "%s.amount_cents", tf),
             "L'importo del trasferimento deve essere positivo.");
    sum += t->amount_cents;
  }
  if (o->n_transfers && sum != o->amount_cents)
    dp_add(a, pbs, ERR_TRANSFERS_SUM, arena_printf(a, "%s.transfers", f), err_message_it(ERR_TRANSFERS_SUM));
}

static void check_options(arena *a, debt_act *x, int64_t total, debt_problems *pbs) {
  if (x->n_options == 0) {
    x->options = ARENA_ARRAY(a, debt_option, 1);
    memset(x->options, 0, sizeof *x->options);
    x->options[0].amount_cents = total;
    x->options[0].due_date = x->due_date;
    x->n_options = 1;
  }
  if (x->n_options > DEBT_MAX_OPTIONS) {
    dp_add(a, pbs, ERR_INVALID, "options", "Al massimo un pagamento unico e 72 rate.");
    return;
  }
  int singles = 0, next_installment = 1, numbering_ok = 1;
  int64_t inst_sum = 0;
  for (size_t i = 0; i < x->n_options; i++) {
    debt_option *o = &x->options[i];
    const char *f = arena_printf(a, "options[%zu]", i);
    o->generation = 1;
    if (o->installment == 0) {
      singles++;
      if (o->amount_cents != total)
        dp_add(a, pbs, ERR_INVALID, arena_printf(a, "%s.amount_cents", f),
               "Il pagamento unico deve essere pari al totale dell'atto.");
    } else {
      if (o->installment != next_installment) numbering_ok = 0;
      next_installment++;
      inst_sum += o->amount_cents;
    }
    if (o->amount_cents <= 0 || o->amount_cents > MAX_AMOUNT)
      dp_add(a, pbs, ERR_INVALID, arena_printf(a, "%s.amount_cents", f),
             "L'importo deve essere positivo (al massimo 999.999.999,99 euro).");
    if (!debt_date_ok(o->due_date))
      dp_add(a, pbs, ERR_INVALID, arena_printf(a, "%s.due_date", f),
             "Indicare la scadenza nel formato AAAA-MM-GG.");
    if (o->valid_until &&
        (!debt_date_ok(o->valid_until) || (o->due_date && strcmp(o->valid_until, o->due_date) < 0)))
      dp_add(a, pbs, ERR_INVALID, arena_printf(a, "%s.valid_until", f),
             "La data di validità (AAAA-MM-GG) non può precedere la scadenza.");
    check_transfers(a, o, f, pbs);
  }
  if (singles > 1) dp_add(a, pbs, ERR_INVALID, "options", "Un solo pagamento unico per atto.");
  if (!numbering_ok) dp_add(a, pbs, ERR_INVALID, "options", "Le rate vanno numerate 1, 2, 3... in ordine.");
  if (next_installment == 2) dp_add(a, pbs, ERR_INVALID, "options", "Un piano rateale ha almeno 2 rate.");
  if (next_installment > 1 && inst_sum != total)
    dp_add(a, pbs, ERR_INVALID, "options", "La somma delle rate deve essere pari al totale dell'atto.");
}

/* Validates x (everything, problems into pbs), reading its Ente, taxpayer
 * and revenue; fills e and r. */
static err_code check_act(db *d, arena *a, debt_act *x, ente *e, debt_revenue *r, debt_problems *pbs) {
  err_code rc = ente_get(d, a, x->ente_id, e);
  if (rc != ERR_OK) return rc;
  char today[11];
  debt_today(today);
  if (!in_list(x->act_type, debt_act_types))
    dp_add(a, pbs, ERR_INVALID, "act_type",
           "Tipo di atto non valido (bonario, accertamento, ingiunzione, cautelare, esecutivo, "
           "verbale, canone).");
  if (x->year < 1990 || x->year > 2100) dp_add(a, pbs, ERR_INVALID, "year", "Anno non valido.");
  x->description = text_trim_dup(a, x->description);
  if (!x->description || text_utf8_len(x->description) > DEBT_MAX_TEXT)
    dp_add(a, pbs, ERR_INVALID, "description", "Indicare la causale (al massimo 140 caratteri).");
  if (!x->issue_date) x->issue_date = arena_strdup(a, today);
  if (!debt_date_ok(x->issue_date))
    dp_add(a, pbs, ERR_INVALID, "issue_date", "Data di emissione non valida (AAAA-MM-GG).");
  if (x->notification_date && !debt_date_ok(x->notification_date))
    dp_add(a, pbs, ERR_INVALID, "notification_date", "Data di notifica non valida (AAAA-MM-GG).");
  if (!debt_date_ok(x->due_date))
    dp_add(a, pbs, ERR_INVALID, "due_date", "Indicare la scadenza nel formato AAAA-MM-GG.");
  const char *m;
  if (x->number && (m = number_check(x->number))) dp_add(a, pbs, ERR_INVALID, "number", m);
  taxpayer tp;
  rc = x->taxpayer_id ? taxpayer_get(d, a, x->ente_id, x->taxpayer_id, &tp) : ERR_NOT_FOUND;
  if (rc == ERR_NOT_FOUND)
    dp_add(a, pbs, ERR_INVALID, "taxpayer_id", "Contribuente inesistente in questo Ente.");
  else if (rc != ERR_OK)
    return rc;
  rc = x->revenue_id ? debt_revenue_get(d, a, x->ente_id, x->revenue_id, r) : ERR_NOT_FOUND;
  if (rc == ERR_NOT_FOUND)
    dp_add(a, pbs, ERR_INVALID, "revenue", "Entrata inesistente in questo Ente.");
  else if (rc != ERR_OK)
    return rc;
  if (x->n_lines == 0 || x->n_lines > DEBT_MAX_LINES)
    dp_add(a, pbs, ERR_INVALID, "lines", "Da 1 a 20 voci di importo.");
  int64_t total = 0;
  for (size_t i = 0; i < x->n_lines && i < DEBT_MAX_LINES; i++) {
    debt_line *l = &x->lines[i];
    if (!in_list(l->kind, LINE_KINDS))
      dp_add(a, pbs, ERR_INVALID, arena_printf(a, "lines[%zu].kind", i),
             "Voce non valida (tax, sanction, interest, costs, other).");
    if (l->amount_cents <= 0 || l->amount_cents > MAX_AMOUNT)
      dp_add(a, pbs, ERR_INVALID, arena_printf(a, "lines[%zu].amount_cents", i),
             "L'importo deve essere positivo.");
    else
      total += l->amount_cents;
  }
  if (total > MAX_AMOUNT) dp_add(a, pbs, ERR_INVALID, "lines", "Il totale supera 999.999.999,99 euro.");
  x->charged_cents = total;
  if (pbs->n == 0) check_options(a, x, total, pbs);
  for (size_t i = 0; i < pbs->n; i++)
    if (pbs->items[i].code == ERR_TRANSFERS_SUM) return ERR_TRANSFERS_SUM;
  if (pbs->n) return ERR_INVALID;
  if (x->number && ds_act_exists(d, x->ente_id, x->act_type, x->year, x->number) == ERR_OK) {
    dp_add(a, pbs, ERR_ACT_DUPLICATE, "number", err_message_it(ERR_ACT_DUPLICATE));
    return ERR_ACT_DUPLICATE;
  }
  return ERR_OK;
}

/* ---- options and the cache ---- */

err_code debt_issue_options(db *d, arena *a, const ente *e, const debt_revenue *r, int64_t act_id,
                            debt_option *opts, size_t n, int gen) {
  debt_pagopa pp;
  int64_t base = 0;
  err_code rc = debt_iuv_reserve(d, e->id, (int)n, &base);
  if (rc == ERR_OK) rc = ds_pagopa_get(d, a, e->id, &pp);
  if (rc != ERR_OK) return rc;
  int seg = (pp.segregation_code[0] - '0') * 10 + (pp.segregation_code[1] - '0');
  for (size_t i = 0; i < n; i++) {
    debt_option *o = &opts[i];
    o->generation = gen;
    o->nav = arena_alloc(a, 19);
    o->iuv = arena_alloc(a, 18);
    if (nav_build_aux3(seg, (uint64_t)(base + (int64_t)i), o->iuv, o->nav) != ERR_OK) return ERR_INTERNAL;
    if (o->n_transfers == 0) {
      rc = debt_split_amount(a, r, e->fiscal_code, e->name, o->amount_cents, &o->transfers, &o->n_transfers);
      if (rc != ERR_OK) return rc;
    }
    if ((rc = ds_option_insert(d, e->id, act_id, o, clock_now(), &o->id)) != ERR_OK) return rc;
    for (size_t k = 0; k < o->n_transfers; k++)
      if ((rc = ds_transfer_insert(d, e->id, o->id, &o->transfers[k])) != ERR_OK) return rc;
  }
  return ERR_OK;
}

static err_code derive_rows(db *d, arena *a, int64_t ente_id, int64_t act_id, debt_totals *t,
                            debt_option **opts, size_t *no, const char **notified) {
  debt_movement *mv;
  debt_event *ev;
  size_t nm, ne;
  err_code rc = ds_movements(d, a, ente_id, act_id, &mv, &nm);
  if (rc == ERR_OK) rc = ds_events(d, a, ente_id, act_id, &ev, &ne);
  if (rc == ERR_OK) rc = ds_act_options(d, a, ente_id, act_id, opts, no);
  if (rc != ERR_OK) return rc;
  debt_derive(mv, nm, ev, ne, *opts, *no, t);
  if (notified) {
    *notified = NULL;
    for (size_t i = 0; i < ne; i++)
      if (strcmp(ev[i].kind, "notified") == 0) *notified = ev[i].event_date;
  }
  return ERR_OK;
}

err_code debt_recompute(db *d, arena *a, int64_t ente_id, int64_t act_id, debt_totals *t, debt_option **opts,
                        size_t *n) {
  debt_act x;
  err_code rc = ds_act_get(d, a, ente_id, act_id, &x);
  if (rc != ERR_OK) return rc;
  return derive_rows(d, a, ente_id, act_id, t, opts, n, NULL);
}

err_code debt_refresh(db *d, arena *a, int64_t ente_id, int64_t act_id, debt_totals *out) {
  debt_totals t;
  debt_option *opts;
  size_t no;
  const char *notified;
  /* the cached option states, to write only the ones that change */
  debt_option *cached;
  size_t nc;
  err_code rc = ds_act_options(d, a, ente_id, act_id, &cached, &nc);
  if (rc == ERR_OK) rc = derive_rows(d, a, ente_id, act_id, &t, &opts, &no, &notified);
  if (rc != ERR_OK) return rc;
  for (size_t i = 0; i < no && rc == ERR_OK; i++)
    if (i >= nc || strcmp(cached[i].state, opts[i].state) || cached[i].paid_cents != opts[i].paid_cents)
      rc = ds_option_cache(d, ente_id, opts[i].id, opts[i].state, opts[i].paid_cents);
  if (rc == ERR_OK) rc = ds_act_cache(d, ente_id, act_id, &t, notified, clock_now());
  if (rc == ERR_OK && out) *out = t;
  return rc;
}

/* ---- create ---- */

typedef struct {
  arena *a;
  debt_act *x;
  const ente *e;
  const debt_revenue *r;
  const actor *who;
  debt_problems *pbs;
  int auto_number;
} create_tx;

static err_code create_tx_fn(db *d, void *ctx) {
  create_tx *t = ctx;
  debt_act *x = t->x;
  arena *a = t->a;
  err_code rc;
  t->pbs->n = 0;
  if (t->auto_number) {
    int64_t num = 0;
    if ((rc = ds_act_number_next(d, x->ente_id, x->act_type, x->year, &num)) != ERR_OK) return rc;
    x->number = arena_printf(a, "%lld", (long long)num);
  } else if (text_all_of(x->number, strlen(x->number), isdigit) && strlen(x->number) < 15) {
    int64_t num = 0;
    for (const char *p = x->number; *p; p++) num = num * 10 + (*p - '0');
    if ((rc = ds_act_number_seen(d, x->ente_id, x->act_type, x->year, num)) != ERR_OK) return rc;
  }
  rc = ds_act_insert(d, x, clock_now(), &x->id);
  if (rc == ERR_CONFLICT) {
    dp_add(a, t->pbs, ERR_ACT_DUPLICATE, "number", err_message_it(ERR_ACT_DUPLICATE));
    return ERR_ACT_DUPLICATE;
  }
  if (rc != ERR_OK) return rc;
  for (size_t i = 0; i < x->n_lines; i++) {
    const debt_line *l = &x->lines[i];
    if ((rc = ds_line_insert(d, x->ente_id, x->id, (int)i + 1, l)) != ERR_OK) return rc;
    debt_movement m = debt_mv(t->who, x->id, "charge", l->amount_cents, x->issue_date);
    m.note = l->kind;
    if ((rc = ds_movement_insert(d, x->ente_id, &m, NULL)) != ERR_OK) return rc;
  }
  rc = debt_issue_options(d, a, t->e, t->r, x->id, x->options, x->n_options, 1);
  if (rc == ERR_TRANSFERS_SUM)
    dp_add(a, t->pbs, ERR_TRANSFERS_SUM, "options", err_message_it(ERR_TRANSFERS_SUM));
  if (rc != ERR_OK) return rc;
  if (x->notification_date) {
    debt_event ev = debt_ev(t->who, x->id, "notified", x->notification_date, NULL);
    if ((rc = ds_event_insert(d, x->ente_id, &ev, NULL)) != ERR_OK) return rc;
  }
  debt_totals tot;
  if ((rc = debt_refresh(d, a, x->ente_id, x->id, &tot)) != ERR_OK) return rc;
  x->state = (char *)tot.state;
  x->residual_cents = tot.residual;
  return audit_write_json(d, t->who, x->ente_id, "debt.act.create", "debt_act", x->id, NULL,
                          debt_act_json(x));
}

err_code debt_act_create(db *d, arena *a, debt_act *x, const actor *who, debt_problems *pbs) {
  debt_problems local;
  pbs = dp_reset(pbs, &local);
  x->id = 0;
  ente e;
  debt_revenue r;
  err_code rc = check_act(d, a, x, &e, &r, pbs);
  if (rc != ERR_OK) return rc;
  create_tx t = {a, x, &e, &r, who, pbs, x->number == NULL};
  rc = db_tx_locking(d, create_tx_fn, &t);
  if (rc != ERR_OK) {
    x->id = 0;
    if (t.auto_number) x->number = NULL;
  }
  return rc;
}

/* ---- reads ---- */

err_code debt_act_get(db *d, arena *a, int64_t ente_id, int64_t id, debt_act *out) {
  err_code rc = ds_act_get(d, a, ente_id, id, out);
  if (rc == ERR_OK) rc = ds_act_lines(d, a, ente_id, id, &out->lines, &out->n_lines);
  if (rc == ERR_OK) rc = ds_act_options(d, a, ente_id, id, &out->options, &out->n_options);
  for (size_t i = 0; rc == ERR_OK && i < out->n_options; i++)
    rc = ds_option_transfers(d, a, ente_id, out->options[i].id, &out->options[i].transfers,
                             &out->options[i].n_transfers);
  return rc;
}

err_code debt_act_movements(db *d, arena *a, int64_t ente_id, int64_t act_id, debt_movement **out,
                            size_t *n) {
  return ds_movements(d, a, ente_id, act_id, out, n);
}

err_code debt_act_events(db *d, arena *a, int64_t ente_id, int64_t act_id, debt_event **out, size_t *n) {
  return ds_events(d, a, ente_id, act_id, out, n);
}
