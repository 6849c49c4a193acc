/* paSendRT / paSendRTV2: the receipt is stored with its raw XML and booked
 * on its option in one transaction (debt_receipt_accept). A receipt
 * already acquired answers KO PAA_RECEIPT_DUPLICATA (SANP: the Nodo takes
 * it as delivered) and books nothing; one that cannot be matched is stored
 * in the review queue and answered OK, since it is acquired: the money
 * was collected and an operator resolves it. */
#include <stdio.h>
#include <string.h>
#include "domain/debt/debt_sanp.h"
#include "soap/pa_internal.h"

static char *subject_name(arena *a, const sanp_subject *s) {
  return s->full_name ? arena_strdup(a, s->full_name) : NULL;
}

static char *iso(arena *a, int has, civil_date d) {
  if (!has) return NULL;
  char *out = arena_alloc(a, 11);
  date_format_iso(d, out);
  return out;
}

void pa_send_rt(pa_ctx *c) {
  const sanp_receipt *in = &c->req.u.send_rt.receipt;
  pagopa_receipt r;
  memset(&r, 0, sizeof r);
  r.receipt_id = (char *)in->receipt_id;
  r.operation = (char *)sanp_op_name(c->req.op);
  r.notice_number = (char *)in->notice_number;
  r.iuv = (char *)in->creditor_reference_id;
  r.fiscal_code = (char *)in->fiscal_code;
  r.outcome = in->outcome_ok ? "OK" : "KO";
  r.amount_cents = in->payment_amount_cents;
  r.has_fee = in->has_fee;
  r.fee_cents = in->fee_cents;
  r.description = (char *)in->description;
  r.debtor_id = (char *)in->debtor.id_value;
  r.debtor_name = subject_name(c->a, &in->debtor);
  if (in->has_payer) {
    r.payer_id = (char *)in->payer.id_value;
    r.payer_name = subject_name(c->a, &in->payer);
  }
  r.psp_id = (char *)in->id_psp;
  r.psp_name = (char *)in->psp_company_name;
  r.channel_id = (char *)in->id_channel;
  r.payment_method = (char *)in->payment_method;
  r.payment_date_time = (char *)in->payment_date_time;
  r.application_date = iso(c->a, in->has_application_date, in->application_date);
  r.transfer_date = iso(c->a, in->has_transfer_date, in->transfer_date);
  r.stand_in = in->stand_in == 1;
  r.raw_xml = c->req.raw_xml;
  r.transfers = ARENA_ARRAY(c->a, pagopa_receipt_transfer, in->n_transfers ? in->n_transfers : 1);
  r.n_transfers = in->n_transfers;
  for (size_t i = 0; i < in->n_transfers; i++) {
    const sanp_transfer *t = &in->transfers[i];
    pagopa_receipt_transfer *o = &r.transfers[i];
    memset(o, 0, sizeof *o);
    o->id_transfer = t->id_transfer;
    o->amount_cents = t->amount_cents;
    o->fiscal_code_pa = (char *)t->fiscal_code_pa;
    o->iban = (char *)t->iban;
    o->mbd = t->mbd;
    o->mbd_len = t->mbd_len;
    o->remittance = (char *)t->remittance_information;
    o->category = (char *)t->transfer_category;
  }
  debt_receipt_result res;
  err_code rc = debt_receipt_accept(c->d, c->a, &c->e, &r, &c->who, &res);
  if (rc == ERR_INVALID) {
    pa_ko(c, rc, "receipt %s: two transfers with the same idTransfer", in->receipt_id);
    return;
  }
  if (rc != ERR_OK) {
    pa_ko(c, rc, "receipt %s not stored", in->receipt_id);
    return;
  }
  if (res.duplicate) {
    pa_ko(c, ERR_RECEIPT_DUPLICATE, "receipt %s already received", in->receipt_id);
    return;
  }
  sanp_error se;
  if (sanp_encode_send_rt_ok(c->a, c->req.op, &c->xml, &c->len, &se) != ERR_OK) pa_encode_failed(c, &se);
}
