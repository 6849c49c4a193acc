/* canone.notice: the notice of a processed occupation as PDF (the pagoPA
 * avviso, fonts from pdf.font_dir), mailed to the taxpayer and, with the
 * taxpayer's arrears, to the Ente (occupation_notice_send: once, however
 * many times the job runs). */
#include <jansson.h>
#include <string.h>

#include "core/config.h"
#include "core/strbuf.h"
#include "domain/canone/canone.h"
#include "domain/debt/debt.h"
#include "jobs/kinds.h"
#include "render/pdf/notice.h"

static int64_t payload_id(job_run *r, const char *key) {
  json_error_t je;
  json_t *p = json_loads(r->j->payload, 0, &je);
  json_int_t id = p ? json_integer_value(json_object_get(p, key)) : 0;
  json_decref(p);
  return id;
}

err_code kind_canone_notice(job_run *r) {
  int64_t id = payload_id(r, "occupation");
  if (id <= 0 || r->j->ente_id <= 0) {
    r->error = "Avviso senza occupazione.";
    return ERR_INVALID;
  }
  occupation_notice n;
  err_code rc = occupation_notice_data(r->d, r->a, r->j->ente_id, id, &n);
  if (rc != ERR_OK) {
    r->error = "Occupazione o avviso non leggibili.";
    return rc;
  }
  if (n.occ.notice_sent_at || !n.occ.act_id) return ERR_OK;
  notice_payment single = {0}, *inst = NULL;
  size_t n_inst = 0;
  int has_single = 0;
  if (n.n_options) inst = arena_alloc(r->a, sizeof *inst * n.n_options);
  for (size_t i = 0; i < n.n_options; i++) {
    notice_payment p = {n.options[i].nav, n.options[i].amount_cents, {0, 0, 0}};
    if (n.options[i].due_date) date_parse_iso(n.options[i].due_date, &p.due);
    if (n.options[i].installment == 0) {
      single = p;
      has_single = 1;
    } else {
      inst[n_inst++] = p;
    }
  }
  notice_data nd = {0};
  nd.ente_name = n.ente_name;
  nd.ente_cf = n.ente_cf;
  nd.cbill = n.cbill;
  debt_postal postal;
  if ((rc = debt_act_postal(r->d, r->a, r->j->ente_id, n.occ.act_id, &postal)) != ERR_OK) {
    r->error = "Conto postale dell'avviso non leggibile.";
    return rc;
  }
  nd.postal_account = postal.account;
  nd.postal_auth = postal.auth;
  nd.debtor_name = n.taxpayer_name;
  nd.debtor_cf = n.taxpayer_cf;
  nd.subject = n.act_description ? n.act_description : "Canone unico patrimoniale";
  nd.single = has_single ? &single : NULL;
  nd.installments = n_inst >= 2 ? inst : NULL;
  nd.n_installments = n_inst >= 2 ? n_inst : 0;
  notice_renderer *nr = NULL;
  if ((rc = notice_renderer_new(config_str("portal", "font_dir"), &nr)) != ERR_OK) {
    r->error = "Font dell'avviso non trovati (pdf.font_dir).";
    return rc;
  }
  strbuf sb;
  sb_init(&sb, 16 << 20);
  rc = notice_render_buffer(nr, &nd, &sb);
  notice_renderer_free(nr);
  if (rc == ERR_OK && sb.err) rc = ERR_TOO_LARGE;
  if (rc != ERR_OK) {
    sb_free(&sb);
    r->error = "Avviso PDF non generato.";
    return rc;
  }
  rc = occupation_notice_send(r->d, r->a, r->j->ente_id, id, sb.data, sb.len);
  sb_free(&sb);
  if (rc != ERR_OK) r->error = "Avviso non accodato per l'invio.";
  return rc;
}

err_code kind_canone_paid(job_run *r) {
  int64_t id = payload_id(r, "occupation");
  if (id <= 0 || r->j->ente_id <= 0) {
    r->error = "Avviso di pagamento senza occupazione.";
    return ERR_INVALID;
  }
  err_code rc = occupation_paid_report(r->d, r->a, r->j->ente_id, id);
  if (rc != ERR_OK) r->error = "Comunicazione del pagamento all'Ente non accodata.";
  return rc;
}

err_code kind_canone_payments(job_run *r) {
  int n = 0;
  err_code rc = occupation_payments_scan(r->d, r->a, 0, &n);
  if (rc != ERR_OK) r->error = "Ricerca dei pagamenti del canone non riuscita.";
  return rc;
}
