/* Variations and cessations of an occupation (seed 000; see canone.h). */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/config.h"
#include "domain/canone/canone_internal.h"
#include "domain/canone/canone_store.h"

enum { OCC_INSPECTION_DAYS = 20 };

static const actor SYSTEM = {"system", 0};

/* The processed declaration a change refers to, locked. */
static err_code parent_of(db *d, arena *a, int64_t ente_id, int64_t parent_case_id, occupation *p,
                          problems *pbs) {
  err_code rc = cs_occ_lock(d, a, ente_id, parent_case_id, p);
  if (rc == ERR_NOT_FOUND || (rc == ERR_OK && (strcmp(p->kind, "new") != 0 || !p->act_id))) {
    problems_add(a, pbs, ERR_INVALID, "parent_case",
                 "La pratica indicata non è una dichiarazione di occupazione con avviso emesso.");
    return ERR_INVALID;
  }
  if (rc != ERR_OK) return rc;
  if (p->ceased_on) {
    problems_add(a, pbs, ERR_INVALID, "parent_case", "L'occupazione indicata è già cessata.");
    return ERR_INVALID;
  }
  return ERR_OK;
}

/* A new change row for case_id, or ERR_CASE_STATE when the case has one. */
static err_code change_row(db *d, arena *a, int64_t ente_id, int64_t case_id, const char *category,
                           case_rec *c, occupation *o) {
  err_code rc = cases_get(d, a, ente_id, case_id, c);
  if (rc != ERR_OK) return rc;
  if (c->state == CASE_CLOSED || strcmp(c->category_code, category) != 0) return ERR_CASE_STATE;
  occupation existing;
  rc = cs_occ_by_case(d, a, ente_id, case_id, &existing);
  if (rc == ERR_OK) return ERR_CASE_STATE;
  if (rc != ERR_NOT_FOUND) return rc;
  memset(o, 0, sizeof *o);
  return ERR_OK;
}

static err_code mail_ente(db *d, arena *a, occupation *o, const char *subject, const char *body) {
  occupation_notice n;
  err_code rc = occupation_notice_data(d, a, o->ente_id, o->id, &n);
  if (rc != ERR_OK || !n.occ.ente_email) return rc;
  return occ_mail(
      d, a, &n, n.occ.ente_email, subject,
      arena_printf(a, "Pratica %s (%s, %s).\n\n%s\n", n.case_label, n.taxpayer_name, n.occ.place, body), NULL,
      0, n.occ.ente_email);
}

static err_code mail_taxpayer(db *d, arena *a, occupation *o, const char *subject, const char *body) {
  occupation_notice n;
  err_code rc = occupation_notice_data(d, a, o->ente_id, o->id, &n);
  if (rc != ERR_OK || !n.taxpayer_email) return rc;
  return occ_mail(d, a, &n, n.taxpayer_email, subject,
                  arena_printf(a, "Gentile %s,\n\n%s\n\n%s\n", n.taxpayer_name, body, n.ente_name), NULL, 0,
                  n.taxpayer_name);
}

/* ---- variation ---- */

typedef struct {
  arena *a;
  const actor *who;
  int64_t ente_id, case_id, parent_case_id;
  const char *variation;
  const occupation_input *in;
  canone_request *q;
  taxpayer *tp;
  occupation *out;
  problems *pbs;
} variation_tx;

static err_code variation_fn(db *d, void *ctx) {
  variation_tx *t = ctx;
  arena *a = t->a;
  occupation p, *o = t->out;
  case_rec c;
  err_code rc = change_row(d, a, t->ente_id, t->case_id, "osp_variazione", &c, o);
  if (rc != ERR_OK) return rc;
  if ((rc = parent_of(d, a, t->ente_id, t->parent_case_id, &p, t->pbs)) != ERR_OK) return rc;
  *o = p;
  o->id = 0;
  o->case_id = t->case_id;
  o->parent_id = p.id;
  o->kind = "variation";
  o->variation = (char *)t->variation;
  o->act_id = 0;
  o->breakdown = NULL;
  o->amount_cents = 0;
  o->notice_sent_at = o->paid_at = o->paid_reported_at = 0;
  o->paid_report_due = NULL;
  o->created_at = o->updated_at = clock_now();
  int holder = strcmp(t->variation, "holder") == 0;
  if (holder) {
    /* the registry first: the new holder created or updated */
    t->tp->ente_id = t->ente_id;
    problems tpb = {0};
    taxpayer cur;
    rc = taxpayer_by_fiscal_code(d, a, t->ente_id, t->tp->fiscal_code, &cur);
    if (rc == ERR_OK) {
      t->tp->id = cur.id;
    } else if (rc == ERR_NOT_FOUND) {
      if ((rc = taxpayer_create(d, a, t->tp, t->who, &tpb)) != ERR_OK) {
        for (size_t i = 0; i < tpb.n; i++)
          problems_add(a, t->pbs, tpb.items[i].code, arena_printf(a, "taxpayer.%s", tpb.items[i].field),
                       tpb.items[i].message);
        return rc;
      }
    } else {
      return rc;
    }
    o->taxpayer_id = t->tp->id;
    o->state = "holder_changed";
    if ((rc = cs_occ_insert(d, o)) != ERR_OK) return rc;
    p.taxpayer_id = t->tp->id;
    p.updated_at = o->updated_at;
    if ((rc = cs_occ_set_state(d, &p)) != ERR_OK) return rc;
    /* the notice where due: the part of the period after the change */
    civil_date change = date_today_rome(clock_now());
    if (t->in && t->in->start && *t->in->start) date_parse_iso(t->in->start, &change);
    if ((rc = occ_holder_notice(d, a, t->who, o, &p, &c, change, t->pbs)) != ERR_OK) return rc;
    const char *amt = canone_format_scaled(a, o->amount_cents, 2);
    rc = mail_ente(d, a, o, "Variazione di intestazione registrata",
                   o->act_id
                       ? arena_printf(a,
                                      "La variazione di intestazione dell'occupazione è stata registrata "
                                      "nell'anagrafica. Al nuovo titolare è emesso l'avviso di %s € per "
                                      "il periodo dopo il cambio (copia in un messaggio a parte); la "
                                      "stessa quota è sgravata dall'avviso del precedente titolare.",
                                      amt)
                       : "La variazione di intestazione dell'occupazione è stata registrata "
                         "nell'anagrafica. Il nuovo titolare non deve nulla per il periodo in corso "
                         "(già pagato o concluso).");
    if (rc == ERR_OK && !o->act_id)
      rc = mail_taxpayer(
          d, a, o, "Variazione di intestazione registrata",
          "la variazione di intestazione dell'occupazione è stata registrata: per il periodo in "
          "corso non è dovuto alcun importo.");
  } else {
    o->zone = (char *)t->q->zone;
    o->use_code = (char *)t->q->use;
    o->permanent = t->q->permanent;
    o->surface_hundredths = t->q->surface_hundredths;
    char s[11], e[11];
    date_format_iso(t->q->start, s);
    o->start_date = arena_strdup(a, s);
    o->end_date = NULL;
    if (t->q->end.y) {
      date_format_iso(t->q->end, e);
      o->end_date = arena_strdup(a, e);
    }
    if (t->in->place && *t->in->place) o->place = arena_strdup(a, t->in->place);
    o->state = "awaiting_ente";
    o->ente_decision = "pending";
    if ((rc = cs_occ_insert(d, o)) != ERR_OK) return rc;
    rc = mail_ente(
        d, a, o, "Variazione da approvare",
        arena_printf(a,
                     "Il contribuente chiede una variazione di %s dell'occupazione: zona %s, uso %s, "
                     "superficie %s m², dal %s.\nApprovala o rifiutala dalla pagina della pratica, oppure "
                     "rispondi a questo messaggio scrivendo APPROVATO o RIFIUTATO nella prima riga: "
                     "solo dopo l'approvazione si calcola la differenza e si emette l'avviso.",
                     strcmp(t->variation, "surface") == 0 ? "superficie" : "natura", o->zone, o->use_code,
                     canone_format_scaled(a, o->surface_hundredths, 2), o->start_date));
  }
  if (rc != ERR_OK) return rc;
  return audit_write_json(d, t->who, t->ente_id, "occupation.variation", "occupation", o->id, NULL,
                          json_pack("{s:I, s:I, s:s, s:s}", "case", (json_int_t)t->case_id, "parent",
                                    (json_int_t)p.id, "variation", t->variation, "state", o->state));
}

err_code occupation_variation(db *d, arena *a, const actor *who, int64_t ente_id, int64_t case_id,
                              int64_t parent_case_id, const char *variation, const occupation_input *in,
                              taxpayer *tp, occupation *out, problems *pbs) {
  canone_request q = {0};
  if (!variation ||
      (strcmp(variation, "holder") && strcmp(variation, "nature") && strcmp(variation, "surface"))) {
    problems_add(a, pbs, ERR_INVALID, "variation",
                 "La variazione è holder (intestazione), nature o surface.");
    return ERR_INVALID;
  }
  if (strcmp(variation, "holder") == 0) {
    civil_date from;
    if (in && in->start && *in->start && date_parse_iso(in->start, &from) != 0)
      problems_add(a, pbs, ERR_INVALID, "start", "Data del cambio di intestazione non valida (AAAA-MM-GG).");
    if (!tp || !tp->fiscal_code) {
      problems_add(a, pbs, ERR_INVALID, "taxpayer.fiscal_code", "Indica il nuovo intestatario.");
      return ERR_INVALID;
    }
    tp->ente_id = ente_id;
    problems tpb = {0};
    if (taxpayer_validate(d, a, tp, &tpb) == ERR_INVALID)
      for (size_t i = 0; i < tpb.n; i++)
        if (tpb.items[i].code != ERR_TAXPAYER_DUPLICATE && tpb.items[i].code != ERR_CONFLICT)
          problems_add(a, pbs, ERR_INVALID, arena_printf(a, "taxpayer.%s", tpb.items[i].field),
                       tpb.items[i].message);
  } else if (canone_request_parse(a, in->zone, in->use, in->kind, in->surface_m2, in->start, in->end, &q,
                                  pbs) != ERR_OK) {
    return ERR_INVALID;
  }
  if (pbs->n) return ERR_INVALID;
  variation_tx t = {a, who, ente_id, case_id, parent_case_id, variation, in, &q, tp, out, pbs};
  return db_tx_locking(d, variation_fn, &t);
}

typedef struct {
  arena *a;
  const actor *who;
  int64_t ente_id, case_id;
  int approve;
  const char *note;
  occupation *out;
  problems *pbs;
} decide_tx;

static err_code decide_fn(db *d, void *ctx) {
  decide_tx *t = ctx;
  arena *a = t->a;
  occupation *o = t->out;
  err_code rc = cs_occ_lock(d, a, t->ente_id, t->case_id, o);
  if (rc != ERR_OK) return rc;
  if (!o->ente_decision || strcmp(o->ente_decision, "pending") != 0) return ERR_CASE_STATE;
  case_rec c;
  if ((rc = cases_get(d, a, t->ente_id, t->case_id, &c)) != ERR_OK) return rc;
  occupation p;
  if ((rc = cs_occ_get(d, a, t->ente_id, o->parent_id, &p)) != ERR_OK) return rc;
  o->decided_at = clock_now();
  o->updated_at = o->decided_at;
  const char *note = t->note && *t->note ? t->note : "";
  if (!t->approve) {
    o->ente_decision = "refused";
    o->state = "refused";
    if ((rc = cs_occ_set_state(d, o)) != ERR_OK) return rc;
    rc = mail_taxpayer(
        d, a, o, "Variazione non approvata",
        arena_printf(a, "l'Ente non ha approvato la variazione richiesta dell'occupazione. %s", note));
    if (rc == ERR_OK)
      rc = mail_ente(d, a, o, "Variazione rifiutata", "La variazione resta rifiutata come deciso.");
  } else {
    o->ente_decision = "approved";
    o->state = "approved";
    if ((rc = cs_occ_set_state(d, o)) != ERR_OK) return rc;
    /* the new fee less what the occupation already owes: a notice only
     * for a positive difference; an occupation ceased meanwhile is never
     * charged again */
    if (!p.ceased_on && (rc = occ_issue(d, a, t->who, o, &c, p.amount_cents, t->pbs)) != ERR_OK) return rc;
    if (!o->act_id) {
      rc = mail_taxpayer(
          d, a, o, "Variazione approvata",
          "la variazione dell'occupazione è stata approvata: non è dovuto alcun importo in più.");
      if (rc == ERR_OK)
        rc = mail_ente(d, a, o, "Variazione approvata",
                       "Variazione registrata: nessuna differenza da pagare.");
    }
  }
  if (rc != ERR_OK) return rc;
  return audit_write_json(d, t->who, t->ente_id, "occupation.variation_decide", "occupation", o->id, NULL,
                          json_pack("{s:s, s:I, s:I}", "decision", o->ente_decision, "act",
                                    (json_int_t)o->act_id, "difference_cents", (json_int_t)o->amount_cents));
}

err_code occupation_variation_decide(db *d, arena *a, const actor *who, int64_t ente_id, int64_t case_id,
                                     int approve, const char *note, occupation *out, problems *pbs) {
  if (note && strlen(note) > 2000) {
    problems_add(a, pbs, ERR_INVALID, "note", "La nota è troppo lunga (al massimo 2000 caratteri).");
    return ERR_INVALID;
  }
  decide_tx t = {a, who, ente_id, case_id, approve, note, out, pbs};
  return db_tx_locking(d, decide_fn, &t);
}

/* ---- cessation ---- */

typedef struct {
  arena *a;
  const actor *who;
  int64_t ente_id, case_id, parent_case_id;
  const char *ceased_on;
  occupation *out;
  problems *pbs;
} cessation_tx;

static err_code cessation_fn(db *d, void *ctx) {
  cessation_tx *t = ctx;
  arena *a = t->a;
  occupation p, *o = t->out;
  case_rec c;
  err_code rc = change_row(d, a, t->ente_id, t->case_id, "osp_cessazione", &c, o);
  if (rc != ERR_OK) return rc;
  if ((rc = parent_of(d, a, t->ente_id, t->parent_case_id, &p, t->pbs)) != ERR_OK) return rc;
  *o = p;
  o->id = 0;
  o->case_id = t->case_id;
  o->parent_id = p.id;
  o->kind = "cessation";
  o->variation = NULL;
  o->act_id = 0;
  o->breakdown = NULL;
  o->amount_cents = 0;
  o->notice_sent_at = o->paid_at = o->paid_reported_at = 0;
  o->paid_report_due = NULL;
  o->ceased_on = arena_strdup(a, t->ceased_on);
  /* the inspection within 20 days of the request */
  char due[11];
  date_format_iso(date_add_days(date_today_rome(c.received_at), OCC_INSPECTION_DAYS), due);
  o->inspection_due = arena_strdup(a, due);
  o->state = "declared";
  o->created_at = o->updated_at = clock_now();
  if ((rc = cs_occ_insert(d, o)) != ERR_OK) return rc;
  return audit_write_json(d, t->who, t->ente_id, "occupation.cessation", "occupation", o->id, NULL,
                          json_pack("{s:I, s:I, s:s, s:s}", "case", (json_int_t)t->case_id, "parent",
                                    (json_int_t)p.id, "ceased_on", o->ceased_on, "inspection_due", due));
}

err_code occupation_cessation(db *d, arena *a, const actor *who, int64_t ente_id, int64_t case_id,
                              int64_t parent_case_id, const char *ceased_on, occupation *out, problems *pbs) {
  civil_date day;
  if (!ceased_on || date_parse_iso(ceased_on, &day) != 0) {
    problems_add(a, pbs, ERR_INVALID, "ceased_on", "Data di cessazione non valida (AAAA-MM-GG).");
    return ERR_INVALID;
  }
  cessation_tx t = {a, who, ente_id, case_id, parent_case_id, ceased_on, out, pbs};
  return db_tx_locking(d, cessation_fn, &t);
}

typedef struct {
  arena *a;
  const case_actor *ca;
  int64_t ente_id, case_id;
  problems *pbs;
} photos_tx;

static err_code photos_fn(db *d, void *ctx) {
  photos_tx *t = ctx;
  arena *a = t->a;
  occupation o;
  err_code rc = cs_occ_lock(d, a, t->ente_id, t->case_id, &o);
  if (rc != ERR_OK) return rc;
  if (strcmp(o.kind, "cessation") != 0 || o.inspection_on) return ERR_CASE_STATE;
  const char *url, *until;
  if ((rc = occ_photo_link_new(d, a, t->ente_id, t->case_id, &url, &until)) != ERR_OK) return rc;
  const char *body = arena_printf(
      a,
      "per chiudere la cessazione dell'occupazione in %s (dal %s) ci servono alcune fotografie che mostrino "
      "il ripristino dello stato dei luoghi.\n\nCaricale da questa pagina (fino a %d fotografie JPEG o PNG, "
      "collegamento valido fino al %s):\n%s\n\noppure rispondi a questo messaggio allegandole: la risposta "
      "arriva direttamente sulla pratica. Il sopralluogo è previsto entro il %s.",
      o.place ? o.place : "", o.ceased_on, OCC_PHOTO_MAX, until, url, o.inspection_due);
  problem pb = {0};
  case_rec c;
  if ((rc = cases_get(d, a, t->ente_id, t->case_id, &c)) != ERR_OK) return rc;
  /* asking is working the case: it is taken in charge first */
  if ((c.state == CASE_NEW || c.state == CASE_ASSIGNED) &&
      (rc = cases_take(d, a, t->ca, t->ente_id, t->case_id)) != ERR_OK)
    return rc;
  rc = cases_reply(d, a, t->ca, t->ente_id, t->case_id, body, 1, &pb);
  if (rc != ERR_OK) {
    if (pb.message) problems_add(a, t->pbs, rc, pb.field, pb.message);
    return rc;
  }
  o.photos_requested_at = clock_now();
  o.state = "photos_requested";
  o.updated_at = o.photos_requested_at;
  if ((rc = cs_occ_set_state(d, &o)) != ERR_OK) return rc;
  return audit_write_json(d, &t->ca->who, t->ente_id, "occupation.photos_requested", "occupation", o.id, NULL,
                          json_pack("{s:s}", "inspection_due", o.inspection_due));
}

err_code occupation_ask_photos(db *d, arena *a, const case_actor *ca, int64_t ente_id, int64_t case_id,
                               problems *pbs) {
  photos_tx t = {a, ca, ente_id, case_id, pbs};
  return db_tx_locking(d, photos_fn, &t);
}

typedef struct {
  arena *a;
  const actor *who;
  int64_t ente_id, case_id;
  const char *day, *report;
  occupation *out;
  problems *pbs;
} inspection_tx;

static err_code inspection_fn(db *d, void *ctx) {
  inspection_tx *t = ctx;
  return occ_inspect(d, t->a, t->who, t->ente_id, t->case_id, t->day, t->report, NULL, NULL, t->out);
}

err_code occ_inspect(db *d, arena *a, const actor *who, int64_t ente_id, int64_t case_id, const char *day,
                     const char *report, const char *inspector, const char *outcome, occupation *o) {
  err_code rc = cs_occ_lock(d, a, ente_id, case_id, o);
  if (rc != ERR_OK) return rc;
  if (strcmp(o->kind, "cessation") != 0 || o->inspection_on) return ERR_CASE_STATE;
  o->inspection_on = arena_strdup(a, day);
  o->inspection_report = arena_strdup(a, report);
  o->state = "inspected";
  o->updated_at = clock_now();
  if ((rc = cs_occ_set_state(d, o)) != ERR_OK) return rc;
  /* the occupation ceases: nothing is charged after the cessation date */
  occupation p;
  if ((rc = cs_occ_get(d, a, ente_id, o->parent_id, &p)) != ERR_OK) return rc;
  p.ceased_on = o->ceased_on;
  p.updated_at = o->updated_at;
  if ((rc = cs_occ_set_state(d, &p)) != ERR_OK) return rc;
  int late = strcmp(day, o->inspection_due) > 0;
  const char *who_outcome =
      inspector ? arena_printf(a, "\nEseguito da: %s\nEsito: %s", inspector,
                               outcome && strcmp(outcome, "restored") == 0 ? "luoghi ripristinati"
                                                                           : "luoghi NON ripristinati")
                : "";
  rc = mail_ente(
      d, a, o, "Esito della cessazione",
      arena_printf(a,
                   "Cessazione dell'occupazione dal %s.\nSopralluogo del %s%s.%s\nVerbale: %s\n"
                   "Dal giorno della cessazione non sono dovuti altri importi.",
                   o->ceased_on, day, late ? " (oltre il termine di 20 giorni)" : "", who_outcome, report));
  if (rc != ERR_OK) return rc;
  return audit_write_json(d, who, ente_id, "occupation.inspection", "occupation", o->id, NULL,
                          json_pack("{s:s, s:b}", "day", day, "late", late));
}

err_code occupation_inspection(db *d, arena *a, const actor *who, int64_t ente_id, int64_t case_id,
                               const char *day, const char *report, occupation *out, problems *pbs) {
  civil_date dd;
  if (!day || date_parse_iso(day, &dd) != 0)
    problems_add(a, pbs, ERR_INVALID, "day", "Data del sopralluogo non valida (AAAA-MM-GG).");
  if (!report || !*report || strlen(report) > 20000)
    problems_add(a, pbs, ERR_INVALID, "report",
                 "Scrivi il verbale del sopralluogo (al massimo 20000 caratteri).");
  if (pbs->n) return ERR_INVALID;
  inspection_tx t = {a, who ? who : &SYSTEM, ente_id, case_id, day, report, out, pbs};
  return db_tx_locking(d, inspection_fn, &t);
}

/* ---- a change opened from the office or the API ---- */

typedef struct {
  arena *a;
  const actor *who;
  int64_t ente_id, parent_case_id;
  const occupation_change_input *in;
  case_rec *c;
  occupation *out;
  problems *pbs;
} open_tx;

static err_code open_fn(db *d, void *ctx) {
  open_tx *t = ctx;
  arena *a = t->a;
  const occupation_change_input *in = t->in;
  int cessation = strcmp(in->what, "cessation") == 0;
  occupation p;
  err_code rc = cs_occ_by_case(d, a, t->ente_id, t->parent_case_id, &p);
  if (rc == ERR_NOT_FOUND || (rc == ERR_OK && (strcmp(p.kind, "new") != 0 || !p.act_id))) {
    problems_add(a, t->pbs, ERR_INVALID, "parent_case",
                 "La pratica indicata non è una dichiarazione di occupazione con avviso emesso.");
    return ERR_INVALID;
  }
  if (rc != ERR_OK) return rc;
  occupation_notice n;
  if ((rc = occupation_notice_data(d, a, t->ente_id, p.id, &n)) != ERR_OK) return rc;
  const char *place = p.place ? p.place : "";
  case_input ci = {0};
  ci.ente_id = t->ente_id;
  ci.channel = in->channel && *in->channel ? in->channel : "counter";
  ci.category_code = cessation ? "osp_cessazione" : "osp_variazione";
  const char *what_it = cessation                          ? "Cessazione"
                        : strcmp(in->what, "holder") == 0  ? "Variazione di intestazione"
                        : strcmp(in->what, "surface") == 0 ? "Variazione di superficie"
                                                           : "Variazione di natura";
  ci.subject = strlen(place) < 200
                   ? arena_printf(a, "%s dell'occupazione di suolo pubblico - %s", what_it, place)
                   : arena_printf(a, "%s dell'occupazione di suolo pubblico", what_it);
  ci.description = in->note && *in->note ? in->note : NULL;
  ci.requester_kind = "person";
  ci.requester_name = n.taxpayer_name && *n.taxpayer_name ? n.taxpayer_name : "Contribuente";
  ci.requester_fiscal_code = n.taxpayer_cf;
  ci.requester_email = n.taxpayer_email;
  ci.taxpayer_id = p.taxpayer_id;
  problem pb = {0};
  if ((rc = cases_open(d, a, t->who, &ci, t->c, &pb)) != ERR_OK) {
    if (pb.message) problems_add(a, t->pbs, rc, pb.field, pb.message);
    return rc;
  }
  if (cessation)
    return occupation_cessation(d, a, t->who, t->ente_id, t->c->id, t->parent_case_id, in->ceased_on, t->out,
                                t->pbs);
  occupation_input none = {.ente_id = t->ente_id};
  return occupation_variation(d, a, t->who, t->ente_id, t->c->id, t->parent_case_id, in->what,
                              in->in ? in->in : &none, in->tp, t->out, t->pbs);
}

err_code occupation_change_open(db *d, arena *a, const actor *who, int64_t ente_id, int64_t parent_case_id,
                                const occupation_change_input *in, case_rec *c, occupation *out,
                                problems *pbs) {
  static const char *const whats[] = {"holder", "nature", "surface", "cessation"};
  static const char *const channels[] = {"email", "pec", "web", "counter", "phone", "ente"};
  int ok = 0;
  for (size_t i = 0; in->what && i < sizeof whats / sizeof *whats; i++) ok |= strcmp(in->what, whats[i]) == 0;
  if (!ok) {
    problems_add(a, pbs, ERR_INVALID, "what",
                 "Scegli la variazione (intestazione, natura, superficie) o la cessazione.");
    return ERR_INVALID;
  }
  if (in->channel && *in->channel) {
    ok = 0;
    for (size_t i = 0; i < sizeof channels / sizeof *channels; i++)
      ok |= strcmp(in->channel, channels[i]) == 0;
    if (!ok) problems_add(a, pbs, ERR_INVALID, "channel", "Canale di arrivo della richiesta non valido.");
  }
  if (in->note && strlen(in->note) > 4000)
    problems_add(a, pbs, ERR_INVALID, "note", "La nota è troppo lunga (al massimo 4000 caratteri).");
  civil_date day;
  if (strcmp(in->what, "cessation") == 0 && (!in->ceased_on || date_parse_iso(in->ceased_on, &day) != 0))
    problems_add(a, pbs, ERR_INVALID, "ceased_on", "Data di cessazione non valida (AAAA-MM-GG).");
  if (pbs->n) return ERR_INVALID;
  open_tx t = {a, who, ente_id, parent_case_id, in, c, out, pbs};
  return db_tx_locking(d, open_fn, &t);
}
