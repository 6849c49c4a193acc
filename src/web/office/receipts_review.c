/* The review queue of pagoPA receipts that could not be booked (unknown
 * notice, notice cancelled or replaced, zero amount): each can be assigned
 * to a notice of the Ente (its NAV or IUV: booked there, once) or marked
 * refunded to the payer with the refund's reference. Refusals show the
 * queue again with the message next to the field of that receipt's form
 * (422 bad input, 409 when the receipt is no longer in review). */
#include <string.h>

#include "domain/debt/debt_sanp.h"
#include "web/office/acts_ui.h"

static const saved_notice notices[] = {{"abbinata", "Ricevuta abbinata e pagamento registrato."},
                                       {"rimborsata", "Ricevuta segnata come rimborsata al pagatore."}};

static void receipt_forms(request *rq, html *h, const pagopa_receipt *r, int64_t bad_pk, const problem *pb) {
  arena *a = rq->a;
  const char *fa = arena_printf(a, "avviso_%lld", (long long)r->id);
  const char *fn = arena_printf(a, "nota_%lld", (long long)r->id);
  const char *fr = arena_printf(a, "rimborso_%lld", (long long)r->id);
  int mine = bad_pk == r->id && pb;
  html_open(h, "div", HA("class", "row g-4 mb-5"));
  html_open(h, "div", HA("class", "col-md-6"));
  if (mine && pb->field && strcmp(pb->field, fr))
    form_begin_errors(h, url_receipt_action(a, rq->ente->slug, r->id, "abbina"), rq->csrf, pb, 1);
  else
    form_begin(h, url_receipt_action(a, rq->ente->slug, r->id, "abbina"), rq->csrf);
  form_input(h, &(form_field){.name = fa,
                              .label = "Codice avviso o IUV a cui abbinarla",
                              .required = 1,
                              .maxlength = 40,
                              .hint = "Il codice avviso si può scrivere con gli spazi."});
  form_input(h, &(form_field){.name = fn, .label = "Nota", .maxlength = 500});
  form_submit(h, "Abbina e registra il pagamento");
  form_end(h);
  html_close(h, "div");
  html_open(h, "div", HA("class", "col-md-6"));
  if (mine && pb->field && !strcmp(pb->field, fr))
    form_begin_errors(h, url_receipt_action(a, rq->ente->slug, r->id, "rimborsata"), rq->csrf, pb, 1);
  else
    form_begin(h, url_receipt_action(a, rq->ente->slug, r->id, "rimborsata"), rq->csrf);
  form_input(h, &(form_field){.name = fr,
                              .label = "Estremi del rimborso al pagatore (CRO, data)",
                              .required = 1,
                              .maxlength = 500});
  form_submit(h, "Segna come rimborsata");
  form_end(h);
  html_close(h, "div");
  html_close(h, "div");
}

err_code receipts_review_render(request *rq, response *rs, int64_t bad_pk, const problem *pb, int status) {
  pagopa_receipt *list = NULL;
  size_t n = 0;
  err_code e = debt_receipt_review_list(rq->db, rq->a, rq->ente->id, &list, &n);
  if (e != ERR_OK) return e;
  page_info p;
  if ((e = web_page_info(rq, "Ricevute pagoPA da verificare", "posizioni", &p)) != ERR_OK) return e;
  if (!pb) p.notice = saved_notice_for(notices, 2, rq_query(rq, "salvato"));
  WEB_OFFICE_TRAIL(rq, &p, {"Posizioni debitorie", url_acts(rq->a, rq->ente->slug, NULL, 0)},
                   {"Ricevute da verificare", NULL});
  html h = web_begin(rq, rs, &p);
  if (status) rs->status = status;
  if (!n) {
    html_elem(&h, "p", "Nessuna ricevuta da verificare.", HA("role", "status"), HA("class", "sp-count"));
    page_end(&h, &p);
    return ERR_OK;
  }
  html_open(&h, "p", HA("role", "status"), HA("class", "sp-count"));
  html_textf(&h, "%zu %s, dalla più vecchia.", n,
             n == 1 ? "ricevuta da verificare" : "ricevute da verificare");
  html_close(&h, "p");
  int work = WEB_USER_HAS_ROLE(rq, ROLES_DEBT_WORK);
  for (size_t i = 0; i < n; i++) {
    const pagopa_receipt *r = &list[i];
    html_open(&h, "h2", HA("class", "h5 mt-4"),
              HA("id", arena_printf(rq->a, "ricevuta-%lld", (long long)r->id)));
    html_textf(&h, "Ricevuta %s", r->receipt_id);
    html_close(&h, "h2");
    dl_begin(&h);
    dl_row(&h, "Motivo", code_label(&LABELS_REVIEW_REASON, r->review_reason), NULL);
    dl_row(&h, "Ricevuta il", au_time(rq->a, r->received_at), NULL);
    dl_row(&h, "Codice avviso pagato", au_nav(rq->a, r->notice_number), NULL);
    dl_row(&h, "IUV", r->iuv, NULL);
    dl_row(&h, "Importo", au_euros(rq->a, r->amount_cents), NULL);
    dl_row(&h, "Data del pagamento", r->payment_date_time, NULL);
    dl_row(&h, "Prestatore (PSP)", r->psp_name ? r->psp_name : r->psp_id, NULL);
    dl_row(&h, "Debitore",
           r->debtor_name ? arena_printf(rq->a, "%s (%s)", r->debtor_name, r->debtor_id ? r->debtor_id : "")
                          : r->debtor_id,
           NULL);
    dl_row(&h, "Pagatore", r->payer_name, NULL);
    dl_row(&h, "Causale", r->description, NULL);
    dl_end(&h);
    if (work) receipt_forms(rq, &h, r, bad_pk, pb);
  }
  page_end(&h, &p);
  return ERR_OK;
}

err_code page_receipts_review(request *rq, response *rs) {
  return receipts_review_render(rq, rs, 0, NULL, 0);
}

static err_code refuse(request *rq, response *rs, int64_t id, const char *field, const char *msg,
                       int status) {
  problem pb = {ERR_INVALID, field, msg};
  return receipts_review_render(rq, rs, id, &pb, status);
}

err_code page_receipt_post(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 1);
  const char *action = rq->params[2];
  if (!id) return ERR_NOT_FOUND;
  pagopa_receipt r;
  err_code e = pagopa_receipt_get(rq->db, rq->a, rq->ente->id, id, &r); /* another Ente's: 404 */
  if (e != ERR_OK) return e;
  arena *a = rq->a;
  if (!strcmp(action, "abbina")) {
    const char *field = arena_printf(a, "avviso_%lld", (long long)id);
    const char *notice = au_form(rq, field), *note = au_form(rq, arena_printf(a, "nota_%lld", (long long)id));
    if (!notice || strlen(notice) > 40)
      return refuse(rq, rs, id, field, "Indicare il codice avviso (18 cifre) o lo IUV (17 cifre).", 422);
    if (note && strlen(note) > 500) return refuse(rq, rs, id, field, "La nota supera 500 caratteri.", 422);
    debt_booking b;
    e = debt_receipt_resolve(rq->db, a, rq->ente->id, id, notice, note, &rq->who, &b);
    if (e == ERR_NOTICE_UNKNOWN)
      return refuse(rq, rs, id, field, "Nessun avviso dell'Ente con questo codice.", 422);
    if (e == ERR_RECEIPT_STATE) return refuse(rq, rs, id, field, err_message_it(e), 409);
    if (e == ERR_INVALID || e == ERR_ACT_STATE)
      return refuse(rq, rs, id, field, "L'avviso indicato non può ricevere questo pagamento.", 422);
    if (e != ERR_OK) return e;
    return rs_redirect(rs, url_receipts_review(a, rq->ente->slug, "abbinata"));
  }
  if (!strcmp(action, "rimborsata")) {
    const char *field = arena_printf(a, "rimborso_%lld", (long long)id);
    const char *note = au_form(rq, field);
    if (!note || strlen(note) > 500)
      return refuse(rq, rs, id, field, "Indicare gli estremi del rimborso (al massimo 500 caratteri).", 422);
    e = debt_receipt_refunded(rq->db, a, rq->ente->id, id, note, &rq->who);
    if (e == ERR_RECEIPT_STATE) return refuse(rq, rs, id, field, err_message_it(e), 409);
    if (e != ERR_OK) return e;
    return rs_redirect(rs, url_receipts_review(a, rq->ente->slug, "rimborsata"));
  }
  return ERR_NOT_FOUND;
}
