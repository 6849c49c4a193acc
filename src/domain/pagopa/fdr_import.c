/* Import of a Flusso di Rendicontazione: the streaming parser hands over
 * the header and then one entry at a time; each entry is stored and
 * matched to its receipt transfer (IUV, IUR = receiptId, transfer index)
 * inside one transaction, with the same few prepared statements for every
 * entry, so a million entries need constant memory and no round trip but
 * the statements themselves. */
#include <stdio.h>
#include <string.h>
#include <jansson.h>
#include "core/clock.h"
#include "domain/pagopa/fdr_parse.h"
#include "domain/pagopa/pagopa_store.h"

typedef struct {
  arena *a;
  const char *path;
  const fdr_import_opts *o;
  fdr_import_result *r;
  size_t max_listed;
  char *ente_cf;
  char regulation_date[11];
  err_code why; /* a callback's refusal, to tell it from a parse error */
} import_ctx;

/* "YYYY-MM-DDThh:mm:ss", in UTC when the value carried a zone (so two
 * revisions compare as strings). */
static void format_datetime(const pagopa_datetime *t, char out[32]) {
  civil_date dd = t->date;
  int64_t secs = date_to_days(dd) * 86400 + t->hour * 3600 + t->minute * 60 + t->second;
  if (t->has_tz) secs -= (int64_t)t->tz_minutes * 60;
  int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
  int64_t rest = secs - days * 86400;
  char date[11];
  date_format_iso(date_from_days(days), date);
  snprintf(out, 32, "%.10sT%02d:%02d:%02d", date, (int)(rest / 3600 % 24), (int)(rest / 60 % 60),
           (int)(rest % 60));
}

/* Keeps the first max_listed problems of a kind (strings copied). */
static void list_problem(import_ctx *c, fdr_problem **list, size_t *n, const fdr_problem *p) {
  if (*n >= c->max_listed) return;
  if (!*list) *list = ARENA_ARRAY(c->a, fdr_problem, c->max_listed);
  fdr_problem *q = &(*list)[(*n)++];
  *q = *p;
  q->iuv = arena_strdup(c->a, p->iuv);
  q->iur = arena_strdup(c->a, p->iur);
}

typedef struct {
  import_ctx *c;
  db *d;
} tx_ud;

static err_code header_cb(void *ud, const fdr_header *h) {
  tx_ud *u = ud;
  import_ctx *c = u->c;
  fdr_import_result *r = c->r;
  db *d = u->d;
  int64_t ente_id = 0;
  err_code rc = ps_ente_by_fiscal_code(d, h->ricevente_id, &ente_id);
  if (rc == ERR_NOT_FOUND) {
    snprintf(r->error, sizeof r->error, "no Ente has the receiving fiscal code %s", h->ricevente_id);
    return c->why = ERR_NOT_FOUND;
  }
  if (rc != ERR_OK) return c->why = rc;
  if (c->o->ente_id && c->o->ente_id != ente_id) {
    snprintf(r->error, sizeof r->error, "the flow is addressed to %s, not to the Ente given",
             h->ricevente_id);
    return c->why = ERR_FORBIDDEN;
  }
  r->ente_id = ente_id;
  c->ente_cf = arena_strdup(c->a, h->ricevente_id);
  snprintf(r->flow_id, sizeof r->flow_id, "%s", h->identificativo_flusso);
  snprintf(r->psp_id, sizeof r->psp_id, "%s", h->mittente_id);
  char when[32];
  format_datetime(&h->data_ora_flusso, when);
  date_format_iso(h->data_regolamento, c->regulation_date);
  ps_flow_ref old = {0};
  rc = ps_fdr_current(d, c->a, ente_id, h->mittente_id, h->identificativo_flusso, &old);
  if (rc == ERR_OK && strcmp(old.flow_date_time, when) >= 0) {
    snprintf(r->error, sizeof r->error, "flow %s of %s already imported with dataOraFlusso %s",
             h->identificativo_flusso, h->mittente_id, old.flow_date_time);
    return c->why = ERR_FDR_STALE;
  }
  if (rc != ERR_OK && rc != ERR_NOT_FOUND) return c->why = rc;
  ps_flow_row f = {ente_id,
                   h->identificativo_flusso,
                   h->mittente_id,
                   *h->mittente_denominazione ? h->mittente_denominazione : NULL,
                   when,
                   h->identificativo_univoco_regolamento,
                   c->regulation_date,
                   h->numero_totale_pagamenti,
                   h->importo_totale_cents,
                   clock_now()};
  if ((rc = ps_fdr_insert(d, &f, &r->flow_pk)) != ERR_OK) return c->why = rc;
  if (old.id) {
    r->replaced_pk = old.id;
    if ((rc = ps_fdr_replace(d, ente_id, old.id, r->flow_pk)) != ERR_OK) return c->why = rc;
  }
  return ERR_OK;
}

static err_code payment_cb(void *ud, const fdr_header *h, const fdr_payment *p) {
  (void)h;
  tx_ud *u = ud;
  import_ctx *c = u->c;
  fdr_import_result *r = c->r;
  int64_t tpk = 0, cents = 0;
  int idx = p->indice ? p->indice : 1;
  err_code rc = ps_fdr_match(u->d, r->ente_id, p->iur, p->iuv, idx, &tpk, &cents);
  const char *result;
  if (rc == ERR_NOT_FOUND) {
    result = "receipt_missing";
    r->receipt_missing++;
    fdr_problem pb = {p->iuv, p->iur, idx, p->importo_cents, 0, 0};
    list_problem(c, &r->missing, &r->n_missing, &pb);
    tpk = 0;
  } else if (rc != ERR_OK) {
    return c->why = rc;
  } else if (cents != p->importo_cents) {
    result = "amount_mismatch";
    r->amount_mismatch++;
    fdr_problem pb = {p->iuv, p->iur, idx, p->importo_cents, cents, 0};
    list_problem(c, &r->mismatch, &r->n_mismatch, &pb);
  } else {
    result = "matched";
    r->matched++;
    if ((rc = ps_fdr_mark_transfer(u->d, r->ente_id, tpk, r->flow_pk)) != ERR_OK) return c->why = rc;
  }
  char date[11];
  date_format_iso(p->data_esito, date);
  rc = ps_fdr_entry_insert(u->d, r->ente_id, r->flow_pk, p->seq, p->iuv, p->iur, idx, p->importo_cents,
                           p->esito, date, result, tpk);
  if (rc != ERR_OK) return c->why = rc;
  r->entries++;
  r->total_cents += p->importo_cents;
  return ERR_OK;
}

static err_code unmatched_cb(void *ctx, int64_t receipt_pk, const char *iuv, const char *receipt_id, int idx,
                             int64_t cents) {
  import_ctx *c = ctx;
  c->r->missing_in_flow++;
  fdr_problem pb = {iuv, receipt_id, idx, 0, cents, receipt_pk};
  list_problem(c, &c->r->not_in_flow, &c->r->n_not_in_flow, &pb);
  return ERR_OK;
}

static err_code import_tx(db *d, void *ctx) {
  import_ctx *c = ctx;
  fdr_import_result *r = c->r;
  memset(r, 0, sizeof *r);
  c->why = ERR_OK;
  tx_ud u = {c, d};
  fdr_options fo = {.schema = FDR_SCHEMA_ANY, .on_header = header_cb, .on_payment = payment_cb, .ud = &u};
  fdr_result fr;
  err_code rc = fdr_parse_file(c->path, &fo, &fr);
  if (rc != ERR_OK) {
    if (c->why == ERR_OK || !*r->error) snprintf(r->error, sizeof r->error, "%s", fr.error);
    return rc;
  }
  int64_t now = clock_now();
  if ((rc = ps_fdr_mark_receipts(d, r->ente_id, r->flow_pk, c->ente_cf, now)) != ERR_OK) return rc;
  rc = ps_fdr_unmatched(d, c->a, r->ente_id, r->flow_pk, c->ente_cf, r->psp_id, c->regulation_date,
                        unmatched_cb, c);
  if (rc != ERR_OK) return rc;
  rc = ps_fdr_totals(d, r->ente_id, r->flow_pk, r->matched, r->receipt_missing, r->amount_mismatch,
                     r->missing_in_flow);
  if (rc != ERR_OK) return rc;
  json_t *after = json_pack(
      "{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "flow_id", r->flow_id, "psp_id", r->psp_id, "entries",
      (json_int_t)r->entries, "total_cents", (json_int_t)r->total_cents, "matched", (json_int_t)r->matched,
      "receipt_missing", (json_int_t)r->receipt_missing, "amount_mismatch", (json_int_t)r->amount_mismatch,
      "missing_in_flow", (json_int_t)r->missing_in_flow, "replaced", (json_int_t)r->replaced_pk);
  return audit_write_json(d, c->o->who, r->ente_id,
                          r->replaced_pk ? "pagopa.fdr.revision" : "pagopa.fdr.import", "pagopa_fdr",
                          r->flow_pk, NULL, after);
}

err_code fdr_import_file(db *d, arena *a, const char *path, const fdr_import_opts *opts,
                         fdr_import_result *r) {
  import_ctx c = {a, path, opts, r, opts->max_listed ? opts->max_listed : 20, NULL, "", ERR_OK};
  err_code rc = db_tx(d, import_tx, &c);
  if (rc != ERR_OK && !*r->error) snprintf(r->error, sizeof r->error, "%s", err_slug(rc));
  return rc;
}
