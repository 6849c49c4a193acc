/* The PDFs of the portal: the payment notice of an act (render/pdf
 * notice.h), the receipt of a paid notice and the statement (render/pdf
 * doc.h). Renderers are made once per server thread (they are not
 * thread-safe) and kept. */
#include <stdio.h>
#include <string.h>

#include "core/config.h"
#include "core/date.h"
#include "render/pdf/doc.h"
#include "render/pdf/notice.h"
#include "web/portal/portal_pdf.h"

static __thread notice_renderer *t_notice;
static __thread pdf_doc *t_doc;

static err_code notice_r(notice_renderer **r) {
  if (!t_notice) {
    err_code rc = notice_renderer_new(config_str("portal", "font_dir"), &t_notice);
    if (rc != ERR_OK) {
      err_cause("notice renderer: fonts not found in portal.font_dir");
      return ERR_INTERNAL;
    }
  }
  *r = t_notice;
  return ERR_OK;
}

err_code portal_pdf_doc(pdf_doc **d) {
  if (!t_doc) {
    err_code rc = pdf_doc_new(config_str("portal", "font_dir"), &t_doc);
    if (rc != ERR_OK) {
      err_cause("pdf document: fonts not found in portal.font_dir");
      return ERR_INTERNAL;
    }
  }
  *d = t_doc;
  return ERR_OK;
}

static int current_generation(const debt_act *x) {
  int g = 0;
  for (size_t i = 0; i < x->n_options; i++)
    if (x->options[i].generation > g) g = x->options[i].generation;
  return g;
}

static int payable(const debt_option *o) {
  return !strcmp(o->state, "open") || !strcmp(o->state, "partly_paid");
}

err_code portal_notice_pdf(arena *a, const ente *e, const debt_postal *postal, const debt_act *x,
                           strbuf *out) {
  notice_data n = {0};
  n.ente_name = e->name;
  n.ente_cf = e->fiscal_code;
  n.ente_info = e->mail_info;
  if (postal && postal->account && postal->auth) {
    n.postal_account = postal->account;
    n.postal_auth = postal->auth;
  }
  n.debtor_name = x->taxpayer_name && *x->taxpayer_name ? x->taxpayer_name : x->taxpayer_cf;
  n.debtor_cf = x->taxpayer_cf;
  n.subject = x->description;
  int gen = current_generation(x);
  notice_payment *inst = ARENA_ARRAY(a, notice_payment, x->n_options + 1);
  notice_payment *single = NULL;
  size_t ni = 0;
  for (size_t i = 0; i < x->n_options; i++) {
    const debt_option *o = &x->options[i];
    if (o->generation != gen || !payable(o)) continue;
    notice_payment p = {o->nav, o->amount_cents - o->paid_cents, {0, 0, 0}};
    date_parse_iso(o->due_date, &p.due);
    if (o->installment == 0) {
      single = ARENA_NEW(a, notice_payment);
      *single = p;
    } else {
      inst[ni++] = p;
    }
  }
  if (ni == 1) { /* a lone installment left: printed as a single payment */
    if (!single) single = &inst[0];
    ni = 0;
  }
  if (!single && ni == 0) return ERR_NOTICE_PAID;
  n.single = single;
  n.installments = ni ? inst : NULL;
  n.n_installments = ni;
  notice_renderer *r;
  err_code rc = notice_r(&r);
  if (rc != ERR_OK) return rc;
  if (notice_validate(&n)) {
    err_cause("notice of act %lld: %s", (long long)x->id, notice_validate(&n));
    return ERR_INTERNAL;
  }
  return notice_render_buffer(r, &n, out);
}
