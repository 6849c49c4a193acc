/* Occupations of public land (seed 000): the declaration as a case, the
 * processing that issues the notice, and what the jobs send (see canone.h). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/strbuf.h"
#include "core/money.h"
#include "core/validate.h"
#include "domain/canone/authorisation.h"
#include "domain/canone/canone.h"
#include "domain/canone/canone_internal.h"
#include "domain/canone/canone_store.h"
#include "domain/debt/debt.h"
#include "domain/ente/ente.h"
#include "domain/jobs/jobs.h"
#include "domain/notify/notify.h"
#include "domain/protocol/protocol.h"

enum { OCC_MAX_PLACE = 300, OCC_NOTICE_DAYS = 30 };

static const actor SYSTEM = {"system", 0};

static const char *money_plain(arena *a, int64_t cents) {
  char b[32];
  money_format_it(cents, b);
  return arena_strdup(a, b);
}

static void today_iso(char out[11]) { date_format_iso(date_today_rome(clock_now()), out); }

err_code occupation_validate(arena *a, const occupation_input *in, canone_request *q, problems *pbs) {
  size_t before = pbs->n;
  canone_request_parse(a, in->zone, in->use, in->kind, in->surface_m2, in->start, in->end, q, pbs);
  if (!in->place || !*in->place || strlen(in->place) > OCC_MAX_PLACE)
    problems_add(a, pbs, ERR_INVALID, "place",
                 "Indica il luogo dell'occupazione (al massimo 300 caratteri).");
  if (!in->ente_email || validate_email(in->ente_email) != NULL)
    problems_add(a, pbs, ERR_INVALID, "ente_email", "Indica l'indirizzo e-mail dell'ufficio dell'Ente.");
  return pbs->n > before ? ERR_INVALID : ERR_OK;
}

static const char *tp_name(arena *a, const taxpayer *tp) {
  if (tp->kind == TP_COMPANY) return tp->company_name;
  return arena_printf(a, "%s %s", tp->surname ? tp->surname : "", tp->given_name ? tp->given_name : "");
}

static void fill_data(occupation *o, const occupation_input *in, const canone_request *q, arena *a) {
  char s[11], e[11];
  date_format_iso(q->start, s);
  o->place = arena_strdup(a, in->place);
  o->zone = (char *)q->zone;
  o->use_code = (char *)q->use;
  o->permanent = q->permanent;
  o->surface_hundredths = q->surface_hundredths;
  o->start_date = arena_strdup(a, s);
  o->end_date = NULL;
  if (q->end.y) {
    date_format_iso(q->end, e);
    o->end_date = arena_strdup(a, e);
  }
  o->ente_email = arena_strdup(a, in->ente_email);
}

/* Creates the taxpayer or updates the Ente's one with that fiscal code;
 * its problems get the prefix "taxpayer.". */
static err_code upsert_taxpayer(db *d, arena *a, const actor *who, taxpayer *tp, problems *pbs) {
  problems tpb = {0};
  taxpayer cur;
  err_code rc =
      tp->fiscal_code ? taxpayer_by_fiscal_code(d, a, tp->ente_id, tp->fiscal_code, &cur) : ERR_NOT_FOUND;
  if (rc == ERR_OK) {
    /* what the declaration does not say is kept */
    tp->id = cur.id;
#define KEEP(f) \
  if (!tp->f) tp->f = cur.f
    KEEP(vat_number);
    KEEP(surname);
    KEEP(given_name);
    KEEP(company_name);
    KEEP(birth_date);
    KEEP(birth_place);
    KEEP(sex);
#undef KEEP
    if (!tp->n_addresses) tp->addresses = cur.addresses, tp->n_addresses = cur.n_addresses;
    if (!tp->n_contacts) tp->contacts = cur.contacts, tp->n_contacts = cur.n_contacts;
    rc = taxpayer_update(d, a, tp, who, &tpb);
  } else if (rc == ERR_NOT_FOUND) {
    rc = taxpayer_create(d, a, tp, who, &tpb);
  }
  for (size_t i = 0; i < tpb.n; i++)
    problems_add(a, pbs, tpb.items[i].code,
                 arena_printf(a, "taxpayer.%s", tpb.items[i].field ? tpb.items[i].field : ""),
                 tpb.items[i].message);
  return rc;
}

typedef struct {
  arena *a;
  const actor *who;
  const occupation_input *in;
  canone_request *q;
  taxpayer *tp;
  case_rec *c;
  occupation *out;
  problems *pbs;
} declare_tx;

static err_code declare_fn(db *d, void *ctx) {
  declare_tx *t = ctx;
  arena *a = t->a;
  err_code rc = upsert_taxpayer(d, a, t->who, t->tp, t->pbs);
  if (rc != ERR_OK) return rc;
  ente e;
  if ((rc = ente_get(d, a, t->in->ente_id, &e)) != ERR_OK) return rc;
  const char *name = tp_name(a, t->tp);
  if (!name) name = "";
  case_input ci = {0};
  ci.ente_id = t->in->ente_id;
  ci.channel = "ente";
  ci.category_code = "osp_nuova";
  ci.subject = t->in->subject && *t->in->subject ? t->in->subject
               : strlen(name) + strlen(t->in->place) < 240
                   ? arena_printf(a, "Nuova occupazione di suolo pubblico - %s - %s", name, t->in->place)
               : strlen(name) < 240 ? arena_printf(a, "Nuova occupazione di suolo pubblico - %s", name)
                                    : "Nuova occupazione di suolo pubblico";
  ci.description = t->in->note;
  ci.requester_kind = "ente_office";
  ci.requester_name = t->in->ente_office && *t->in->ente_office ? t->in->ente_office : e.name;
  ci.requester_email = t->in->ente_email;
  ci.taxpayer_id = t->tp->id;
  problem pb = {0};
  rc = cases_open(d, a, t->who, &ci, t->c, &pb);
  if (rc != ERR_OK) {
    if (pb.message) problems_add(a, t->pbs, rc, pb.field, pb.message);
    return rc;
  }
  occupation *o = t->out;
  memset(o, 0, sizeof *o);
  o->ente_id = t->in->ente_id;
  o->case_id = t->c->id;
  o->taxpayer_id = t->tp->id;
  o->kind = "new";
  o->state = "declared";
  fill_data(o, t->in, t->q, a);
  o->created_at = o->updated_at = clock_now();
  if ((rc = cs_occ_insert(d, o)) != ERR_OK) return rc;
  return audit_write_json(
      d, t->who, o->ente_id, "occupation.declare", "occupation", o->id, NULL,
      json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:I, s:s}", "case", (json_int_t)o->case_id, "taxpayer",
                (json_int_t)o->taxpayer_id, "place", o->place, "zone", o->zone, "use", o->use_code, "kind",
                o->permanent ? "permanent" : "temporary", "surface_hundredths",
                (json_int_t)o->surface_hundredths, "start", o->start_date));
}

err_code occupation_declare(db *d, arena *a, const actor *who, const occupation_input *in, taxpayer *tp,
                            case_rec *c, occupation *out, problems *pbs) {
  canone_request q;
  occupation_validate(a, in, &q, pbs);
  tp->ente_id = in->ente_id;
  problems tpb = {0};
  if (taxpayer_validate(d, a, tp, &tpb) == ERR_INVALID)
    for (size_t i = 0; i < tpb.n; i++)
      if (tpb.items[i].code != ERR_TAXPAYER_DUPLICATE && tpb.items[i].code != ERR_CONFLICT)
        problems_add(a, pbs, ERR_INVALID,
                     arena_printf(a, "taxpayer.%s", tpb.items[i].field ? tpb.items[i].field : ""),
                     tpb.items[i].message);
  if (pbs->n) return ERR_INVALID;
  declare_tx t = {a, who, in, &q, tp, c, out, pbs};
  return db_tx_locking(d, declare_fn, &t);
}

err_code occupation_get_by_case(db *d, arena *a, int64_t ente_id, int64_t case_id, occupation *out) {
  return cs_occ_by_case(d, a, ente_id, case_id, out);
}

err_code occupation_get(db *d, arena *a, int64_t ente_id, int64_t id, occupation *out) {
  return cs_occ_get(d, a, ente_id, id, out);
}

typedef struct {
  arena *a;
  const actor *who;
  int64_t ente_id, case_id;
  const occupation_input *in;
  canone_request *q;
  taxpayer *tp;
  occupation *out;
  problems *pbs;
} complete_tx;

static err_code complete_fn(db *d, void *ctx) {
  complete_tx *t = ctx;
  arena *a = t->a;
  case_rec c;
  err_code rc = cases_get(d, a, t->ente_id, t->case_id, &c);
  if (rc != ERR_OK) return rc;
  if (c.state == CASE_CLOSED) return ERR_CASE_STATE;
  if ((rc = upsert_taxpayer(d, a, t->who, t->tp, t->pbs)) != ERR_OK) return rc;
  occupation *o = t->out;
  rc = cs_occ_lock(d, a, t->ente_id, t->case_id, o);
  int fresh = rc == ERR_NOT_FOUND;
  if (rc != ERR_OK && !fresh) return rc;
  if (!fresh && o->act_id) return ERR_CASE_STATE; /* the notice is out: a variation, not an edit */
  if (fresh) {
    memset(o, 0, sizeof *o);
    o->ente_id = t->ente_id;
    o->case_id = t->case_id;
    o->kind = strcmp(c.category_code, "osp_variazione") == 0   ? "variation"
              : strcmp(c.category_code, "osp_cessazione") == 0 ? "cessation"
                                                               : "new";
    o->created_at = clock_now();
  }
  o->taxpayer_id = t->tp->id;
  o->state = "declared";
  fill_data(o, t->in, t->q, a);
  o->updated_at = clock_now();
  rc = fresh ? cs_occ_insert(d, o) : cs_occ_set_data(d, o);
  if (rc != ERR_OK) return rc;
  return audit_write_json(
      d, t->who, o->ente_id, "occupation.complete", "occupation", o->id, NULL,
      json_pack("{s:I, s:I, s:s, s:s, s:s, s:I}", "case", (json_int_t)o->case_id, "taxpayer",
                (json_int_t)o->taxpayer_id, "place", o->place, "zone", o->zone, "use", o->use_code,
                "surface_hundredths", (json_int_t)o->surface_hundredths));
}

err_code occupation_complete(db *d, arena *a, const actor *who, int64_t ente_id, int64_t case_id,
                             const occupation_input *in, taxpayer *tp, occupation *out, problems *pbs) {
  canone_request q;
  occupation_validate(a, in, &q, pbs);
  tp->ente_id = ente_id;
  problems tpb = {0};
  if (taxpayer_validate(d, a, tp, &tpb) == ERR_INVALID)
    for (size_t i = 0; i < tpb.n; i++)
      if (tpb.items[i].code != ERR_TAXPAYER_DUPLICATE && tpb.items[i].code != ERR_CONFLICT)
        problems_add(a, pbs, ERR_INVALID,
                     arena_printf(a, "taxpayer.%s", tpb.items[i].field ? tpb.items[i].field : ""),
                     tpb.items[i].message);
  if (pbs->n) return ERR_INVALID;
  complete_tx t = {a, who, ente_id, case_id, in, &q, tp, out, pbs};
  return db_tx_locking(d, complete_fn, &t);
}

/* ---- processing ---- */

typedef struct {
  arena *a;
  const actor *who;
  int64_t ente_id, case_id;
  occupation *out;
  int *again;
  problems *pbs;
} process_tx;

static json_t *breakdown_json(const canone_quote *qt) {
  json_t *arr = json_array();
  for (size_t i = 0; i < qt->n_lines; i++)
    json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "code", qt->lines[i].code, "label",
                                         qt->lines[i].label, "value", qt->lines[i].value));
  return arr;
}

/* Computes the fee of o's data and issues the act for it less
 * already_cents (a variation's difference) with its notice job; no act
 * when nothing is due (o->act_id stays 0). */
err_code occ_issue(db *d, arena *a, const actor *who, occupation *o, const case_rec *c, int64_t already_cents,
                   problems *pbs) {
  canone_rules r;
  err_code rc0 = canone_rules_get(d, a, o->ente_id, &r);
  if (rc0 != ERR_OK) return rc0;
  canone_request q = {o->zone, o->use_code, o->permanent, o->surface_hundredths, {0, 0, 0}, {0, 0, 0}};
  date_parse_iso(o->start_date, &q.start);
  if (o->end_date) date_parse_iso(o->end_date, &q.end);
  canone_quote qt;
  err_code rc;
  if ((rc = canone_compute(a, &r, &q, &qt, pbs)) != ERR_OK) return rc;
  int64_t amount = qt.amount_cents - already_cents;
  json_t *bd = breakdown_json(&qt);
  if (already_cents) {
    json_array_append_new(bd, json_pack("{s:s, s:s, s:s}", "code", "already", "label",
                                        "Canone già dovuto per l'occupazione prima della variazione", "value",
                                        arena_printf(a, "%s €", money_plain(a, already_cents))));
    json_array_append_new(
        bd, json_pack("{s:s, s:s, s:s}", "code", "difference", "label", "Differenza dovuta", "value",
                      arena_printf(a, "%s €", money_plain(a, amount > 0 ? amount : 0))));
  }
  char *bds = json_dumps(bd, JSON_COMPACT);
  json_decref(bd);
  if (!bds) return ERR_INTERNAL;
  o->breakdown = arena_strdup(a, bds);
  free(bds);
  o->amount_cents = amount > 0 ? amount : 0;
  o->updated_at = clock_now();
  if (amount <= 0) {
    o->act_id = 0;
    return cs_occ_set_act(d, o);
  }
  if (already_cents) qt.installments = 1; /* a difference is paid at once */
  const char *desc = arena_printf(a, "Canone unico %s %s - %s",
                                  o->permanent ? "occupazione permanente" : "occupazione temporanea",
                                  o->start_date, o->place);
  const char *label = arena_printf(a,
                                   already_cents ? "Canone unico, differenza per variazione, pratica %s"
                                                 : "Canone unico, pratica %s",
                                   c->label);
  return occ_bill(d, a, who, o, r.revenue, desc, label, amount, qt.installments, qt.installment_cents, pbs);
}

err_code occ_bill(db *d, arena *a, const actor *who, occupation *o, const char *revenue, const char *description,
                  const char *line_label, int64_t amount, int installments, const int64_t *parts,
                  problems *pbs) {
  debt_revenue rev;
  err_code rc = debt_revenue_by_code(d, a, o->ente_id, revenue, &rev);
  if (rc == ERR_NOT_FOUND) {
    problems_add(a, pbs, ERR_INVALID, "revenue",
                 arena_printf(a, "L'Ente non ha l'entrata %s per il canone unico.", revenue));
    return ERR_INVALID;
  }
  if (rc != ERR_OK) return rc;
  civil_date today = date_today_rome(clock_now());
  char issue[11], due[11];
  date_format_iso(today, issue);
  date_format_iso(date_add_days(today, OCC_NOTICE_DAYS), due);
  debt_act act = {0};
  act.ente_id = o->ente_id;
  act.taxpayer_id = o->taxpayer_id;
  act.revenue_id = rev.id;
  act.act_type = "canone";
  act.year = today.y;
  act.description = arena_strdup(a, description);
  if (strlen(act.description) > DEBT_MAX_TEXT) act.description[DEBT_MAX_TEXT] = 0;
  act.issue_date = issue;
  act.due_date = due;
  debt_line line = {"tax", (char *)line_label, amount};
  act.lines = &line;
  act.n_lines = 1;
  if (installments > 1) {
    act.n_options = (size_t)installments + 1;
    act.options = ARENA_ARRAY(a, debt_option, act.n_options);
    memset(act.options, 0, sizeof(debt_option) * act.n_options);
    act.options[0].installment = 0;
    act.options[0].amount_cents = amount;
    act.options[0].due_date = due;
    for (int i = 1; i <= installments; i++) {
      civil_date dd = date_add_days(today, OCC_NOTICE_DAYS + 30 * (i - 1));
      char buf[11];
      date_format_iso(dd, buf);
      act.options[i].installment = i;
      act.options[i].amount_cents = parts[i - 1];
      act.options[i].due_date = arena_strdup(a, buf);
    }
  }
  debt_problems dp = {0};
  if ((rc = debt_act_create(d, a, &act, who, &dp)) != ERR_OK) {
    for (size_t i = 0; i < dp.n; i++)
      problems_add(a, pbs, dp.items[i].code, dp.items[i].field, dp.items[i].message);
    return rc;
  }
  o->act_id = act.id;
  o->state = "notice_issued";
  if ((rc = cs_occ_set_act(d, o)) != ERR_OK) return rc;
  job_new jn = {"canone.notice", o->ente_id, arena_printf(a, "{\"occupation\":%lld}", (long long)o->id), 0,
                arena_printf(a, "occupation-notice-%lld", (long long)o->id)};
  return job_enqueue(d, &jn, NULL);
}

static err_code process_fn(db *d, void *ctx) {
  process_tx *t = ctx;
  arena *a = t->a;
  occupation *o = t->out;
  err_code rc = cs_occ_lock(d, a, t->ente_id, t->case_id, o);
  if (rc != ERR_OK) return rc;
  if (o->act_id) {
    *t->again = 1;
    return ERR_OK;
  }
  case_rec c;
  if ((rc = cases_get(d, a, t->ente_id, t->case_id, &c)) != ERR_OK) return rc;
  if (c.state == CASE_CLOSED) return ERR_CASE_STATE;
  if (strcmp(o->kind, "new") != 0) {
    problems_add(
        a, t->pbs, ERR_INVALID, "occupation",
        "Variazioni e cessazioni si lavorano con le azioni della pratica: qui solo le nuove dichiarazioni.");
    return ERR_INVALID;
  }
  if (!o->zone || !o->taxpayer_id) {
    problems_add(a, t->pbs, ERR_INVALID, "occupation", "Completa prima i dati dell'occupazione.");
    return ERR_INVALID;
  }
  if ((rc = occ_issue(d, a, t->who, o, &c, 0, t->pbs)) != ERR_OK) return rc;
  return audit_write_json(d, t->who, t->ente_id, "occupation.process", "occupation", o->id, NULL,
                          json_pack("{s:I, s:I, s:I}", "case", (json_int_t)o->case_id, "act",
                                    (json_int_t)o->act_id, "amount_cents", (json_int_t)o->amount_cents));
}

err_code occupation_process(db *d, arena *a, const actor *who, int64_t ente_id, int64_t case_id,
                            occupation *out, int *again, problems *pbs) {
  int local = 0;
  if (!again) again = &local;
  *again = 0;
  process_tx t = {a, who, ente_id, case_id, out, again, pbs};
  return db_tx_locking(d, process_fn, &t);
}

/* ---- what the notice mail says ---- */

static const char *money_text(arena *a, int64_t cents) {
  char b[32];
  money_format_it(cents, b);
  return arena_printf(a, "%s euro", b);
}

err_code occupation_notice_data(db *d, arena *a, int64_t ente_id, int64_t occupation_id,
                                occupation_notice *out) {
  memset(out, 0, sizeof *out);
  err_code rc = cs_occ_get(d, a, ente_id, occupation_id, &out->occ);
  if (rc != ERR_OK) return rc;
  case_rec c;
  ente e;
  taxpayer tp;
  debt_act act = {0};
  /* the notice's recipient is its act's taxpayer: after a change of holder
   * the occupation row names the new one, the old act is still the old's */
  if ((rc = cases_get(d, a, ente_id, out->occ.case_id, &c)) != ERR_OK ||
      (rc = ente_get(d, a, ente_id, &e)) != ERR_OK ||
      (out->occ.act_id && (rc = debt_act_get(d, a, ente_id, out->occ.act_id, &act)) != ERR_OK) ||
      (rc = taxpayer_get(d, a, ente_id, out->occ.act_id ? act.taxpayer_id : out->occ.taxpayer_id, &tp)) != ERR_OK)
    return rc;
  out->case_label = c.label;
  out->case_thread = c.thread_id;
  out->ente_name = e.name;
  out->ente_cf = e.fiscal_code;
  out->ente_sender = e.mail_istanze ? e.mail_istanze : e.mail_info;
  out->taxpayer_name = (char *)tp_name(a, &tp);
  out->taxpayer_cf = tp.fiscal_code;
  if ((rc = cs_taxpayer_email(d, a, ente_id, tp.id, &out->taxpayer_email)) != ERR_OK) return rc;
  if (!out->occ.act_id) return ERR_OK; /* a variation or cessation without notice */
  out->act_number = act.number;
  out->act_description = act.description;
  out->options = ARENA_ARRAY(a, struct debt_option_view, act.n_options ? act.n_options : 1);
  for (size_t i = 0; i < act.n_options; i++) {
    const debt_option *op = &act.options[i];
    if (strcmp(op->state, "open") != 0 && strcmp(op->state, "partly_paid") != 0) continue;
    out->options[out->n_options++] =
        (struct debt_option_view){op->nav, op->due_date, op->installment, op->amount_cents};
  }
  /* arrears: every other act of the taxpayer in this Ente past its due
   * date with something still to pay */
  char today[11];
  today_iso(today);
  debt_query dq = {.fiscal_code = tp.fiscal_code, .limit = 200};
  debt_act *acts;
  size_t n;
  if ((rc = debt_find(d, a, ente_id, &dq, &acts, &n)) != ERR_OK) return rc;
  strbuf sb;
  sb_init(&sb, 64 * 1024);
  int64_t total = 0;
  for (size_t i = 0; i < n; i++) {
    const debt_act *x = &acts[i];
    if (x->id == act.id || x->residual_cents <= 0 || !x->due_date || strcmp(x->due_date, today) >= 0)
      continue;
    if (strcmp(x->state, "cancelled") == 0 || strcmp(x->state, "relieved") == 0 ||
        strcmp(x->state, "paid") == 0)
      continue;
    char due[11];
    civil_date dd;
    if (date_parse_iso(x->due_date, &dd) == 0)
      date_format_it(dd, due);
    else
      snprintf(due, sizeof due, "%s", x->due_date);
    sb_appendf(&sb, "- %s n. %s/%d (%s), scaduto il %s: da pagare %s\n", debt_act_type_label(x->act_type),
               x->number ? x->number : "-", x->year, x->description ? x->description : "", due,
               money_text(a, x->residual_cents));
    total += x->residual_cents;
    out->n_arrears++;
  }
  if (out->n_arrears)
    sb_appendf(&sb, "Totale scaduto: %s\n", money_text(a, total));
  else
    sb_append(&sb, "Nessuna posizione scaduta: il contribuente è in regola.\n");
  out->arrears = arena_strdup(a, sb.err ? "(elenco troppo lungo)\n" : sb_str(&sb));
  sb_free(&sb);
  return ERR_OK;
}

static const char *breakdown_text(arena *a, const char *json) {
  json_error_t je;
  json_t *arr = json ? json_loads(json, 0, &je) : NULL;
  strbuf sb;
  sb_init(&sb, 16 * 1024);
  for (size_t i = 0; arr && i < json_array_size(arr); i++) {
    json_t *l = json_array_get(arr, i);
    sb_appendf(&sb, "  %s: %s\n", json_string_value(json_object_get(l, "label")),
               json_string_value(json_object_get(l, "value")));
  }
  json_decref(arr);
  const char *out = arena_strdup(a, sb_str(&sb));
  sb_free(&sb);
  return out;
}

static const char *options_text(arena *a, const occupation_notice *n) {
  strbuf sb;
  sb_init(&sb, 16 * 1024);
  for (size_t i = 0; i < n->n_options; i++) {
    civil_date dd;
    char due[11] = "";
    if (n->options[i].due_date && date_parse_iso(n->options[i].due_date, &dd) == 0) date_format_it(dd, due);
    if (n->options[i].installment == 0)
      sb_appendf(&sb, "  Pagamento unico: %s entro il %s, codice avviso %s\n",
                 money_text(a, n->options[i].amount_cents), due, n->options[i].nav);
    else
      sb_appendf(&sb, "  Rata %d: %s entro il %s, codice avviso %s\n", n->options[i].installment,
                 money_text(a, n->options[i].amount_cents), due, n->options[i].nav);
  }
  const char *out = arena_strdup(a, sb_str(&sb));
  sb_free(&sb);
  return out;
}

typedef struct {
  arena *a;
  int64_t ente_id, id;
  const void *pdf;
  size_t pdf_len;
} send_tx;

err_code occ_mail(db *d, arena *a, const occupation_notice *n, const char *to, const char *subject,
                  const char *body, notify_attachment *att, size_t n_att, const char *correspondent) {
  notify_mail m = {0};
  m.ente_id = n->occ.ente_id;
  m.channel = "email";
  m.from = n->ente_sender ? n->ente_sender : config_str("mail", "from");
  m.to = to;
  m.subject = arena_printf(a, "[Pratica %s] %s", n->case_label, subject);
  m.text = body;
  m.in_reply_to = n->case_thread;
  m.references = n->case_thread;
  m.auto_submitted = "auto-generated";
  m.object_type = "case";
  m.object_id = n->occ.case_id;
  m.att = att;
  m.n_att = n_att;
  problem pb = {0};
  err_code rc = notify_enqueue_mail(d, a, &m, &pb);
  if (rc != ERR_OK) return rc;
  /* outgoing protocol entry with the text and the notice */
  prot_entry e = {0};
  e.ente_id = n->occ.ente_id;
  e.direction = "out";
  e.correspondent = (char *)correspondent;
  e.subject = (char *)m.subject;
  e.channel = "email";
  e.category = "osp_nuova";
  prot_doc docs[2] = {{.role = "primary",
                       .name = "messaggio.txt",
                       .mime = "text/plain; charset=utf-8",
                       .data = body,
                       .size = (int64_t)strlen(body)}};
  size_t nd = 1;
  if (n_att)
    docs[nd++] = (prot_doc){.role = "attachment",
                            .name = att[0].name,
                            .mime = att[0].mime,
                            .data = att[0].data,
                            .size = att[0].size};
  e.docs = docs;
  e.n_docs = nd;
  if ((rc = protocol_register(d, a, &SYSTEM, &e, &pb)) != ERR_OK) return rc;
  /* on the case's messages, with its delivery state, and its protocol data */
  case_message cm = {.direction = "out",
                     .channel = "email",
                     .kind = "notice",
                     .sender = (char *)m.from,
                     .recipient = (char *)to,
                     .subject = (char *)m.subject,
                     .body = (char *)body,
                     .message_id = (char *)m.message_id,
                     .in_reply_to = (char *)m.in_reply_to,
                     .refs = (char *)m.references,
                     .outbox_id = m.id,
                     .protocol_entry_id = e.id,
                     .created_at = clock_now()};
  return cases_record_sent(d, n->occ.ente_id, n->occ.case_id, &cm);
}

static err_code send_fn(db *d, void *ctx) {
  send_tx *t = ctx;
  arena *a = t->a;
  occupation_notice n;
  err_code rc = occupation_notice_data(d, a, t->ente_id, t->id, &n);
  if (rc != ERR_OK) return rc;
  if (n.occ.notice_sent_at || !n.occ.act_id) return ERR_OK; /* sent already, or nothing to send */
  notify_attachment att = {.name = arena_printf(a, "avviso-%s.pdf", n.act_number ? n.act_number : "canone"),
                           .mime = "application/pdf",
                           .data = t->pdf,
                           .size = (int64_t)t->pdf_len};
  const char *bd = breakdown_text(a, n.occ.breakdown), *opts = options_text(a, &n);
  if (n.taxpayer_email) {
    const char *body =
        arena_printf(a,
                     "Gentile %s,\n\n"
                     "le inviamo l'avviso di pagamento pagoPA del canone unico per l'occupazione di "
                     "suolo pubblico in %s (pratica %s).\n\n"
                     "Calcolo del canone:\n%s\n"
                     "Come pagare:\n%s\n"
                     "Può pagare con pagoPA presso banche, uffici postali, tabaccherie e online, "
                     "con l'avviso allegato.\n\n%s\n",
                     n.taxpayer_name, n.occ.place, n.case_label, bd, opts, n.ente_name);
    rc = occ_mail(d, a, &n, n.taxpayer_email, "Avviso di pagamento del canone unico", body, &att, 1,
                  n.taxpayer_name);
    if (rc != ERR_OK) return rc;
  }
  if (n.occ.ente_email) {
    const char *body = arena_printf(
        a,
        "Pratica %s: nuova occupazione di suolo pubblico in %s.\n\n"
        "Contribuente: %s (%s)\n"
        "Avviso emesso: atto n. %s, %s\n\n"
        "Calcolo del canone:\n%s\n"
        "Opzioni di pagamento:\n%s\n"
        "Situazione del contribuente (posizioni scadute presso l'Ente):\n%s\n"
        "%s\n"
        "In allegato la copia dell'avviso di pagamento.\n",
        n.case_label, n.occ.place, n.taxpayer_name, n.taxpayer_cf, n.act_number ? n.act_number : "-",
        money_text(a, n.occ.amount_cents), bd, opts, n.arrears,
        n.taxpayer_email ? "L'avviso è stato inviato al contribuente per e-mail."
                         : "Il contribuente non ha un recapito e-mail con consenso: l'avviso va consegnato "
                           "per posta o allo sportello.");
    rc = occ_mail(d, a, &n, n.occ.ente_email,
                  arena_printf(a, "Copia avviso canone unico - %s", n.taxpayer_name), body, &att, 1,
                  n.occ.ente_email);
    if (rc != ERR_OK) return rc;
  }
  int64_t now = clock_now();
  if ((rc = cs_occ_set_sent(d, t->ente_id, t->id, now)) != ERR_OK) return rc;
  return audit_write_json(d, &SYSTEM, t->ente_id, "occupation.notice_sent", "occupation", t->id, NULL,
                          json_pack("{s:b, s:I}", "taxpayer_mailed", n.taxpayer_email != NULL, "arrears",
                                    (json_int_t)n.n_arrears));
}

err_code occupation_notice_send(db *d, arena *a, int64_t ente_id, int64_t occupation_id, const void *pdf,
                                size_t pdf_len) {
  send_tx t = {a, ente_id, occupation_id, pdf, pdf_len};
  return db_tx_locking(d, send_fn, &t);
}

/* ---- payments ---- */

int64_t occupation_rome_morning(civil_date d) {
  int64_t local = date_to_days(d) * 86400 + 8 * 3600;
  return local - rome_utc_offset(local - 3600);
}

typedef struct {
  arena *a;
  int *n;
} scan_tx;

static err_code scan_fn(db *d, void *ctx) {
  scan_tx *t = ctx;
  arena *a = t->a;
  cs_paid *ps;
  size_t n;
  *t->n = 0;
  err_code rc = cs_occ_paid_unscheduled(d, a, &ps, &n);
  for (size_t i = 0; rc == ERR_OK && i < n; i++) {
    ente e;
    if ((rc = ente_get(d, a, ps[i].ente_id, &e)) != ERR_OK) break;
    work_calendar cal;
    work_calendar_init(&cal, e.patron_day);
    civil_date day = cal_next_working_day(&cal, date_today_rome(ps[i].paid_at));
    char due[11];
    date_format_iso(day, due);
    int64_t changed = 0;
    if ((rc = cs_occ_set_paid(d, ps[i].ente_id, ps[i].id, ps[i].paid_at, due, &changed)) != ERR_OK ||
        !changed)
      continue;
    job_new jn = {"canone.paid", ps[i].ente_id, arena_printf(a, "{\"occupation\":%lld}", (long long)ps[i].id),
                  occupation_rome_morning(day), arena_printf(a, "occupation-paid-%lld", (long long)ps[i].id)};
    if ((rc = job_enqueue(d, &jn, NULL)) != ERR_OK) break;
    rc = audit_write_json(d, &SYSTEM, ps[i].ente_id, "occupation.paid", "occupation", ps[i].id, NULL,
                          json_pack("{s:s}", "report_due", due));
    (*t->n)++;
  }
  return rc;
}

err_code occupation_payments_scan(db *d, arena *a, int64_t now, int *n) {
  (void)now;
  int local = 0;
  scan_tx t = {a, n ? n : &local};
  return db_tx(d, scan_fn, &t);
}

typedef struct {
  arena *a;
  int64_t ente_id, id;
} paid_tx;

static err_code paid_fn(db *d, void *ctx) {
  paid_tx *t = ctx;
  arena *a = t->a;
  occupation_notice n;
  err_code rc = occupation_notice_data(d, a, t->ente_id, t->id, &n);
  if (rc != ERR_OK) return rc;
  /* the Ente's authorisation, when uploaded, goes to the taxpayer now */
  int delivered = 0;
  if ((rc = occ_auth_deliver(d, a, t->ente_id, t->id, &delivered)) != ERR_OK) return rc;
  if (n.occ.paid_reported_at || !n.occ.ente_email) return ERR_OK;
  char when[17];
  time_format_rome(n.occ.paid_at, when);
  const char *body =
      arena_printf(a,
                   "Pratica %s: il contribuente %s (%s) ha pagato il canone unico dell'occupazione "
                   "in %s.\n\nAtto n. %s, importo %s, pagamento registrato il %s.\n\n"
                   "%s\n",
                   n.case_label, n.taxpayer_name, n.taxpayer_cf, n.occ.place,
                   n.act_number ? n.act_number : "-", money_text(a, n.occ.amount_cents), when,
                   delivered ? "L'autorizzazione caricata dall'Ente è stata inviata al contribuente."
                             : "Si può rilasciare l'autorizzazione all'occupazione: caricala sulla pratica e "
                               "sarà inviata al contribuente.");
  rc = occ_mail(d, a, &n, n.occ.ente_email,
                arena_printf(a, "Pagamento ricevuto - canone unico - %s", n.taxpayer_name), body, NULL, 0,
                n.occ.ente_email);
  if (rc != ERR_OK) return rc;
  int64_t changed = 0, now = clock_now();
  if ((rc = cs_occ_set_reported(d, t->ente_id, t->id, now, &changed)) != ERR_OK) return rc;
  return audit_write_json(d, &SYSTEM, t->ente_id, "occupation.paid_reported", "occupation", t->id, NULL,
                          json_pack("{s:s}", "to", n.occ.ente_email));
}

err_code occupation_paid_report(db *d, arena *a, int64_t ente_id, int64_t occupation_id) {
  paid_tx t = {a, ente_id, occupation_id};
  return db_tx_locking(d, paid_fn, &t);
}
