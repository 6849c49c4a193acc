/* paGetPayment / paGetPaymentV2: the Nodo activates a notice and we return
 * the payment data with its transfers (V2: a transfer may ask for a digital
 * stamp, richiestaMarcaDaBollo, instead of an IBAN). */
#include <stdio.h>
#include <string.h>
#include "soap/sanp_internal.h"

void sanp_decode_get_payment(dctx *d, xmlNode *body, sanp_get_payment_req *r) {
  dseq s;
  d_open(d, &s, body);
  d_caller(d, &s, &r->caller);
  d_qr(d, &s, &r->qr);
  r->has_amount = d_amount(d, &s, "amount", 0, 0, &r->amount_cents);
  r->payment_note = d_str(d, &s, "paymentNote", ST_TEXT210, 0);
  const char *tt = d_str(d, &s, "transferType", ST_STRING, 0);
  if (tt && !strcmp(tt, "POSTAL"))
    r->transfer_type = SANP_TRANSFER_POSTAL;
  else if (tt && !strcmp(tt, "PAGOPA"))
    r->transfer_type = SANP_TRANSFER_PAGOPA;
  else if (tt)
    d_fail(d, "transferType", "must be POSTAL or PAGOPA");
  r->has_due_date = d_date(d, &s, "dueDate", 0, &r->due_date);
  d_close(d, &s);
}

static void e_transfer(ectx *e, const sanp_transfer *t, int v2) {
  e_open(e, "transfer");
  if (t->id_transfer < 1 || t->id_transfer > 5) e_fail(e, "idTransfer", "must be 1 to 5");
  char id[2] = {(char)('0' + (t->id_transfer >= 1 && t->id_transfer <= 5 ? t->id_transfer : 0)), 0};
  e_str(e, "idTransfer", ST_STRING, id, 1);
  e_amount(e, "transferAmount", t->amount_cents, 1);
  e_str(e, "fiscalCodePA", ST_FISCAL_CODE_PA, t->fiscal_code_pa, 1);
  if (v2) e_str(e, "companyName", ST_TEXT140, t->company_name, 0);
  if (t->iban && t->stamp_hash) e_fail(e, "IBAN", "both IBAN and richiestaMarcaDaBollo given");
  if (t->iban || !v2) {
    e_str(e, "IBAN", ST_IBAN, t->iban, 1);
  } else if (t->stamp_hash) {
    e_open(e, "richiestaMarcaDaBollo");
    e_str(e, "hashDocumento", ST_BASE64_72, t->stamp_hash, 1);
    e_str(e, "tipoBollo", ST_TIPO_BOLLO, t->stamp_type, 1);
    e_str(e, "provinciaResidenza", ST_NAZIONE_PROVINCIA, t->stamp_province, 1);
    e_close(e, "richiestaMarcaDaBollo");
  } else {
    e_fail(e, "IBAN", "missing IBAN or richiestaMarcaDaBollo");
  }
  e_str(e, "remittanceInformation", ST_TEXT140, t->remittance_information, 1);
  e_str(e, "transferCategory", ST_TEXT140, t->transfer_category, 1);
  e_metadata(e, &t->metadata);
  e_close(e, "transfer");
}

err_code sanp_encode_get_payment_ok(arena *a, sanp_op op, const sanp_payment *p, char **xml, size_t *len,
                                    sanp_error *err) {
  ectx e;
  e_init(&e, err, op);
  int v2 = op == SANP_OP_GET_PAYMENT_V2;
  if (op != SANP_OP_GET_PAYMENT && !v2) {
    e_fail(&e, NULL, "not paGetPayment or paGetPaymentV2");
    return e_finish(&e, a, xml, len);
  }
  e_begin(&e, op, 1);
  e_open(&e, "data");
  e_str(&e, "creditorReferenceId", ST_TEXT35, p->creditor_reference_id, 1);
  e_amount(&e, "paymentAmount", p->payment_amount_cents, 1);
  e_date(&e, "dueDate", p->due_date);
  if (p->retention_date_time) {
    pagopa_datetime dt;
    if (!pagopa_xml_text_ok(p->retention_date_time) || pagopa_datetime_parse(p->retention_date_time, &dt))
      e_fail(&e, "retentionDate", "not a date-time YYYY-MM-DDThh:mm:ss");
    e_str(&e, "retentionDate", ST_STRING, p->retention_date_time, 1);
  }
  if (p->last_payment >= 0) e_bool(&e, "lastPayment", p->last_payment);
  e_str(&e, "description", ST_TEXT140, p->description, 1);
  e_str(&e, "companyName", ST_TEXT140, p->company_name, v2);
  e_str(&e, "officeName", ST_TEXT140, p->office_name, 0);
  e_subject(&e, "debtor", &p->debtor);
  if (p->n_transfers < 1 || p->n_transfers > 5) e_fail(&e, "transferList", "must hold 1 to 5 transfers");
  int64_t sum = 0;
  int seen = 0;
  e_open(&e, "transferList");
  for (size_t i = 0; i < p->n_transfers && i < 5; i++) {
    const sanp_transfer *t = &p->transfers[i];
    if (t->id_transfer >= 1 && t->id_transfer <= 5 && (seen & (1 << t->id_transfer)))
      e_fail(&e, "transfer/idTransfer", "idTransfer %d used twice", t->id_transfer);
    if (t->id_transfer >= 1 && t->id_transfer <= 5) seen |= 1 << t->id_transfer;
    if (t->amount_cents > 0 && t->amount_cents <= PAGOPA_AMOUNT_MAX) sum += t->amount_cents;
    e_transfer(&e, t, v2);
  }
  e_close(&e, "transferList");
  if (sum != p->payment_amount_cents)
    e_fail(&e, "paymentAmount", "differs from the sum of the transfer amounts");
  e_metadata(&e, &p->metadata);
  e_close(&e, "data");
  e_end(&e, op);
  return e_finish(&e, a, xml, len);
}
