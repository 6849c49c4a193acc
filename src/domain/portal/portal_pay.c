/* Payments that start from the portal: traffic-fine reports and their
 * bands, spontaneous payments, the ravvedimento act, and the record of a
 * payment sent to pagoPA Checkout. Acts are made by src/domain/debt. */
#include <ctype.h>
#include <jansson.h>
#include <string.h>

#include "core/calendar.h"
#include "core/clock.h"
#include "core/date.h"
#include "core/text.h"
#include "core/validate.h"
#include "domain/portal/portal_store.h"
#include "domain/taxpayer/taxpayer.h"

static void add_pb(arena *a, debt_problems *pbs, const char *field, const char *msg) {
  problem *items = ARENA_ARRAY(a, problem, pbs->n + 1);
  if (pbs->n) memcpy(items, pbs->items, pbs->n * sizeof *items);
  items[pbs->n++] = (problem){ERR_INVALID, field, msg};
  pbs->items = items;
}

static void today_iso(char out[11]) { date_format_iso(date_today_rome(clock_now()), out); }

/* ---- traffic fines ---- */

/* "AB 123 CD" -> "AB123CD"; NULL when not 2..10 letters and digits. */
static char *norm_plate(arena *a, const char *s) {
  if (!s) return NULL;
  char *out = arena_alloc(a, strlen(s) + 1);
  size_t n = 0;
  for (const char *p = s; *p; p++) {
    if (*p == ' ' || *p == '-') continue;
    if (!isalnum((unsigned char)*p)) return NULL;
    out[n++] = (char)toupper((unsigned char)*p);
  }
  out[n] = 0;
  return n >= 2 && n <= 10 ? out : NULL;
}

typedef struct {
  portal_fine *f;
  debt_act act;
  arena *a;
  const actor *who;
  debt_problems *pbs;
} fine_tx;

static err_code fine_create_tx(db *d, void *ctx) {
  fine_tx *t = ctx;
  err_code rc = debt_act_create(d, t->a, &t->act, t->who, t->pbs);
  if (rc != ERR_OK) return rc;
  t->f->act_id = t->act.id;
  rc = ps_fine_insert(d, t->f);
  if (rc == ERR_CONFLICT) {
    add_pb(t->a, t->pbs, "report_number", "Esiste già un verbale con questo numero.");
    return ERR_INVALID;
  }
  if (rc != ERR_OK) return rc;
  json_t *after =
      json_pack("{s:s, s:s, s:I, s:I, s:I, s:b}", "report_number", t->f->report_number, "plate", t->f->plate,
                "min_cents", (json_int_t)t->f->min_cents, "max_cents", (json_int_t)t->f->max_cents,
                "costs_cents", (json_int_t)t->f->costs_cents, "reduction_allowed", t->f->reduction_allowed);
  return audit_write_json(d, t->who, t->f->ente_id, "portal.fine", "debt_act", t->act.id, NULL, after);
}

err_code portal_fine_create(db *d, arena *a, portal_fine *f, const actor *who, debt_problems *pbs) {
  pbs->n = 0;
  pbs->items = NULL;
  civil_date c;
  char *num = f->report_number ? text_trim_dup(a, f->report_number) : NULL;
  if (!num || !*num || strlen(num) > 35) add_pb(a, pbs, "report_number", "Indicare il numero del verbale.");
  f->report_number = num;
  f->plate = norm_plate(a, f->plate);
  if (!f->plate) add_pb(a, pbs, "plate", "Targa non valida.");
  if (!f->violation_date || date_parse_iso(f->violation_date, &c) != 0)
    add_pb(a, pbs, "violation_date", "Data della violazione non valida (AAAA-MM-GG).");
  if (!f->notification_date) f->notification_date = f->violation_date;
  if (!f->notification_date || date_parse_iso(f->notification_date, &c) != 0)
    add_pb(a, pbs, "notification_date", "Data di notifica non valida (AAAA-MM-GG).");
  if (f->min_cents <= 0 || f->max_cents < f->min_cents)
    add_pb(a, pbs, "min_cents", "Il minimo deve essere positivo e non superiore al massimo.");
  if (f->costs_cents < 0) add_pb(a, pbs, "costs_cents", "Le spese non possono essere negative.");
  if (pbs->n) return ERR_INVALID;
  debt_revenue r;
  err_code rc = debt_revenue_by_code(d, a, f->ente_id, f->revenue_code ? f->revenue_code : "CDS", &r);
  if (rc == ERR_NOT_FOUND) {
    add_pb(a, pbs, "revenue", "L'Ente non ha l'entrata delle sanzioni al Codice della strada.");
    return ERR_INVALID;
  }
  if (rc != ERR_OK) return rc;
  int64_t tp_id;
  rc = ps_taxpayer_id(d, f->ente_id, f->taxpayer_cf ? f->taxpayer_cf : "", &tp_id);
  if (rc == ERR_NOT_FOUND) {
    add_pb(a, pbs, "taxpayer_fiscal_code", "Il trasgressore non è nell'anagrafe dell'Ente.");
    return ERR_INVALID;
  }
  if (rc != ERR_OK) return rc;
  size_t nl = f->costs_cents > 0 ? 2 : 1;
  debt_line *lines = ARENA_ARRAY(a, debt_line, 2);
  lines[0] = (debt_line){"sanction", "Sanzione amministrativa (minimo edittale)", f->min_cents};
  lines[1] = (debt_line){"costs", "Spese di accertamento e notifica", f->costs_cents};
  work_calendar cal;
  ente e;
  if ((rc = ente_get(d, a, f->ente_id, &e)) != ERR_OK) return rc;
  work_calendar_init(&cal, e.patron_day);
  date_parse_iso(f->notification_date, &c);
  char due[11];
  date_format_iso(fine_minimum_until(&cal, c), due);
  fine_tx t = {f, {0}, a, who, pbs};
  t.act = (debt_act){.ente_id = f->ente_id,
                     .taxpayer_id = tp_id,
                     .revenue_id = r.id,
                     .act_type = "verbale",
                     .year = c.y,
                     .number = f->report_number,
                     .description = (char *)(f->description ? f->description
                                                            : arena_printf(a, "Verbale %s, targa %s",
                                                                           f->report_number, f->plate)),
                     .issue_date = f->violation_date,
                     .notification_date = f->notification_date,
                     .due_date = due,
                     .lines = lines,
                     .n_lines = nl};
  return db_tx_locking(d, fine_create_tx, &t);
}

err_code portal_fine_find(db *d, arena *a, int64_t ente_id, const char *number, const char *plate,
                          const char *violation_date, portal_fine *out) {
  if (!number || !*number || strlen(number) > 35) return ERR_NOT_FOUND;
  char *p = NULL;
  if (plate && *plate && !(p = norm_plate(a, plate))) return ERR_NOT_FOUND;
  civil_date c;
  if (!p && (!violation_date || date_parse_iso(violation_date, &c) != 0)) return ERR_NOT_FOUND;
  return ps_fine_find(d, a, ente_id, text_trim_dup(a, number), p, p ? NULL : violation_date, out);
}

err_code portal_fine_by_act(db *d, arena *a, int64_t ente_id, int64_t act_id, portal_fine *out) {
  return ps_fine_by_act(d, a, ente_id, act_id, out);
}

int portal_fine_amount(const ente *e, const portal_fine *f, const char *today, fine_amount *out) {
  work_calendar cal;
  work_calendar_init(&cal, e->patron_day);
  civil_date n, t;
  if (date_parse_iso(f->notification_date, &n) != 0 || date_parse_iso(today, &t) != 0) return -1;
  fine_terms terms = {n, f->min_cents, f->max_cents, f->costs_cents, f->reduction_allowed};
  return fine_amount_on(&cal, &terms, t, out);
}

/* ---- spontaneous payments and ravvedimento ---- */

typedef struct {
  taxpayer tp; /* registered when id == 0 */
  debt_act act;
  arena *a;
  const actor *who;
  debt_problems *pbs;
} act_tx;

static err_code act_create_tx(db *d, void *ctx) {
  act_tx *t = ctx;
  if (t->tp.id == 0) {
    problems tpb = {0};
    err_code rc = taxpayer_create(d, t->a, &t->tp, t->who, &tpb);
    for (size_t i = 0; i < tpb.n; i++)
      add_pb(t->a, t->pbs, arena_printf(t->a, "payer_%s", tpb.items[i].field ? tpb.items[i].field : "cf"),
             tpb.items[i].message);
    if (rc != ERR_OK) return rc;
  }
  t->act.taxpayer_id = t->tp.id;
  return debt_act_create(d, t->a, &t->act, t->who, t->pbs);
}

err_code portal_spontaneous_create(db *d, arena *a, int64_t ente_id, const portal_spontaneous *in,
                                   const actor *who, debt_act *out, debt_problems *pbs) {
  pbs->n = 0;
  pbs->items = NULL;
  debt_revenue r = {0};
  err_code rc = in->revenue_code && strlen(in->revenue_code) <= 20
                    ? debt_revenue_by_code(d, a, ente_id, in->revenue_code, &r)
                    : ERR_NOT_FOUND;
  if (rc == ERR_NOT_FOUND || (rc == ERR_OK && !r.spontaneous))
    add_pb(a, pbs, "revenue", "Scegli uno dei servizi per cui l'Ente accetta pagamenti spontanei.");
  else if (rc != ERR_OK)
    return rc;
  if (in->amount_cents <= 0 || in->amount_cents > 99999999)
    add_pb(a, pbs, "amount", "Indica un importo in euro maggiore di zero (al massimo 999.999,99).");
  char *reason = in->reason ? text_trim_dup(a, in->reason) : NULL;
  if (!reason || !*reason || text_utf8_len(reason) > 120)
    add_pb(a, pbs, "reason", "Indica la causale del pagamento (al massimo 120 caratteri).");
  char *cf = in->payer_cf ? text_trim_dup(a, in->payer_cf) : NULL;
  if (cf) normalize_code(cf);
  const char *why = cf ? validate_fiscal_code_any(cf) : "Il codice fiscale è obbligatorio.";
  if (why) add_pb(a, pbs, "payer_cf", why);
  if (in->payer_email && *in->payer_email && validate_email(in->payer_email))
    add_pb(a, pbs, "payer_email", validate_email(in->payer_email));
  if (pbs->n) return ERR_INVALID;
  act_tx t = {{0}, {0}, a, who, pbs};
  rc = ps_taxpayer_id(d, ente_id, cf, &t.tp.id);
  if (rc == ERR_NOT_FOUND) {
    t.tp =
        (taxpayer){.ente_id = ente_id, .kind = strlen(cf) == 16 ? TP_PERSON : TP_COMPANY, .fiscal_code = cf};
    char *sn = in->payer_surname ? text_trim_dup(a, in->payer_surname) : NULL;
    char *gn = in->payer_given_name ? text_trim_dup(a, in->payer_given_name) : NULL;
    if (t.tp.kind == TP_PERSON) {
      t.tp.surname = sn && *sn ? sn : NULL;
      t.tp.given_name = gn && *gn ? gn : NULL;
    } else {
      t.tp.company_name = sn && *sn ? sn : NULL;
    }
  } else if (rc != ERR_OK) {
    return rc;
  }
  char today[11];
  today_iso(today);
  civil_date td;
  date_parse_iso(today, &td);
  t.act = (debt_act){.ente_id = ente_id,
                     .revenue_id = r.id,
                     .act_type = "bonario",
                     .year = td.y,
                     .description = reason,
                     .issue_date = arena_strdup(a, today),
                     .due_date = arena_strdup(a, today),
                     .n_lines = 1};
  t.act.lines = ARENA_NEW(a, debt_line);
  t.act.lines[0] = (debt_line){"other", reason, in->amount_cents};
  rc = db_tx_locking(d, act_create_tx, &t);
  if (rc == ERR_OK) *out = t.act;
  return rc;
}

err_code portal_ravv_create(db *d, arena *a, int64_t ente_id, const char *taxpayer_cf,
                            const char *revenue_code, const char *description, const ravv_result *rv,
                            const actor *who, debt_act *out, debt_problems *pbs) {
  pbs->n = 0;
  pbs->items = NULL;
  debt_revenue r;
  err_code rc = revenue_code && strlen(revenue_code) <= 20
                    ? debt_revenue_by_code(d, a, ente_id, revenue_code, &r)
                    : ERR_NOT_FOUND;
  if (rc == ERR_NOT_FOUND) {
    add_pb(a, pbs, "revenue", "Scegli il tributo.");
    return ERR_INVALID;
  }
  if (rc != ERR_OK) return rc;
  act_tx t = {{0}, {0}, a, who, pbs};
  rc = ps_taxpayer_id(d, ente_id, taxpayer_cf, &t.tp.id);
  if (rc == ERR_NOT_FOUND) {
    add_pb(a, pbs, "taxpayer", "Il contribuente non è nell'anagrafe dell'Ente: rivolgiti all'ufficio.");
    return ERR_INVALID;
  }
  if (rc != ERR_OK) return rc;
  char today[11];
  today_iso(today);
  civil_date td;
  date_parse_iso(today, &td);
  debt_line *lines = ARENA_ARRAY(a, debt_line, 3);
  size_t n = 0;
  lines[n++] = (debt_line){"tax", "Tributo versato in ritardo", rv->tax_cents};
  if (rv->sanction_cents > 0)
    lines[n++] = (debt_line){
        "sanction", arena_printf(a, "Sanzione ridotta (ravvedimento %s)", rv->band ? rv->band->band : ""),
        rv->sanction_cents};
  if (rv->interest_cents > 0) lines[n++] = (debt_line){"interest", "Interessi legali", rv->interest_cents};
  t.act = (debt_act){.ente_id = ente_id,
                     .revenue_id = r.id,
                     .act_type = "bonario",
                     .year = td.y,
                     .description = (char *)description,
                     .issue_date = arena_strdup(a, today),
                     .due_date = arena_strdup(a, today),
                     .lines = lines,
                     .n_lines = n};
  t.act.options = ARENA_NEW(a, debt_option);
  memset(t.act.options, 0, sizeof *t.act.options);
  t.act.options[0].amount_cents = rv->total_cents;
  t.act.options[0].due_date = t.act.due_date;
  t.act.options[0].valid_until = t.act.due_date; /* the amount holds for today only */
  t.act.n_options = 1;
  rc = db_tx_locking(d, act_create_tx, &t);
  if (rc == ERR_OK) *out = t.act;
  return rc;
}

typedef struct {
  int64_t ente_id, option_id, amount;
  const char *nav, *email;
  const actor *who;
} checkout_tx;

static err_code checkout_tx_fn(db *d, void *ctx) {
  checkout_tx *t = ctx;
  int64_t id;
  err_code rc =
      ps_checkout_insert(d, t->ente_id, t->option_id, t->nav, t->amount, t->email, clock_now(), &id);
  if (rc != ERR_OK) return rc;
  json_t *after = json_pack("{s:s, s:I}", "nav", t->nav, "amount_cents", (json_int_t)t->amount);
  return audit_write_json(d, t->who, t->ente_id, "portal.checkout", "portal_checkout", id, NULL, after);
}

err_code portal_checkout_record(db *d, int64_t ente_id, int64_t option_id, const char *nav, int64_t amount,
                                const char *email, const actor *who) {
  checkout_tx t = {ente_id, option_id, amount, nav, email, who};
  return db_tx(d, checkout_tx_fn, &t);
}
