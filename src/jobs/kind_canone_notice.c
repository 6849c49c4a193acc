/* canone.notice: the notice of a processed occupation as PDF (the pagoPA
 * avviso of its act, as the office prints it; fonts from portal.font_dir), mailed to the taxpayer and, with the
 * taxpayer's arrears, to the Ente (occupation_notice_send: once, however
 * many times the job runs). */
#include <jansson.h>
#include <string.h>

#include "core/strbuf.h"
#include "domain/canone/canone.h"
#include "domain/debt/debt.h"
#include "jobs/kinds.h"
#include "domain/ente/ente.h"
#include "render/pdf/notice_act.h"

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
  /* the act's notice as the office and the portal print it */
  ente e;
  debt_act act;
  notice_renderer *nr;
  if ((rc = ente_get(r->d, r->a, r->j->ente_id, &e)) != ERR_OK ||
      (rc = debt_act_get(r->d, r->a, r->j->ente_id, n.occ.act_id, &act)) != ERR_OK) {
    r->error = "Ente o avviso non leggibili.";
    return rc;
  }
  if ((rc = notice_renderer_thread(&nr)) != ERR_OK) {
    r->error = "Font dell'avviso non trovati (portal.font_dir).";
    return rc;
  }
  strbuf sb;
  sb_init(&sb, 16 << 20);
  const char *nav;
  rc = notice_act_pdf(r->d, r->a, nr, &e, &act, 0, &sb, &nav);
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
