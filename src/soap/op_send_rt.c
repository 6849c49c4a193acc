/* paSendRT / paSendRTV2: the Nodo delivers the receipt of a payment. The
 * caller stores sanp_request.raw_xml as received. V2 transfers may carry the
 * digital stamp (MBDAttachment, base64) instead of an IBAN. */
#include <string.h>
#include "soap/sanp_internal.h"

static void d_receipt(dctx *d, xmlNode *n, int v2, sanp_receipt *r) {
  dseq s;
  d_push(d, "receipt");
  d_open(d, &s, n);
  r->receipt_id = d_str(d, &s, "receiptId", ST_STRING, 1);
  r->notice_number = d_str(d, &s, "noticeNumber", ST_NOTICE_NUMBER, 1);
  r->fiscal_code = d_str(d, &s, "fiscalCode", ST_FISCAL_CODE_PA, 1);
  const char *outcome = d_str(d, &s, "outcome", ST_STRING, 1);
  if (outcome && strcmp(outcome, "OK") && strcmp(outcome, "KO")) d_fail(d, "outcome", "must be OK or KO");
  r->outcome_ok = outcome && !strcmp(outcome, "OK");
  r->creditor_reference_id = d_str(d, &s, "creditorReferenceId", ST_TEXT35, 1);
  d_amount(d, &s, "paymentAmount", 0, 1, &r->payment_amount_cents);
  r->description = d_str(d, &s, "description", ST_TEXT140, 1);
  r->company_name = d_str(d, &s, "companyName", ST_TEXT140, 1);
  r->office_name = d_str(d, &s, "officeName", ST_TEXT140, 0);
  d_subject(d, &s, "debtor", 1, &r->debtor, NULL);
  d_transfer_list(d, &s, v2 ? TRANSFER_V2_MBD : TRANSFER_V1, &r->transfers, &r->n_transfers);
  r->id_psp = d_str(d, &s, "idPSP", ST_TEXT35, 1);
  r->psp_fiscal_code = d_str(d, &s, "pspFiscalCode", ST_TEXT70, 0);
  r->psp_partita_iva = d_str(d, &s, "pspPartitaIVA", ST_TEXT20, 0);
  r->psp_company_name = d_str(d, &s, "PSPCompanyName", ST_TEXT70, 1);
  r->id_channel = d_str(d, &s, "idChannel", ST_TEXT35, 1);
  r->channel_description = d_str(d, &s, "channelDescription", ST_TEXT35, 1);
  d_subject(d, &s, "payer", 0, &r->payer, &r->has_payer);
  r->payment_method = d_str(d, &s, "paymentMethod", ST_TEXT35, 0);
  if (v2) r->payment_note = d_str(d, &s, "paymentNote", ST_TEXT210, 0);
  r->has_fee = d_amount(d, &s, "fee", 0, 0, &r->fee_cents);
  if (v2) {
    r->has_primary_ci_incurred_fee =
        d_amount(d, &s, "primaryCiIncurredFee", 0, 0, &r->primary_ci_incurred_fee_cents);
    r->id_bundle = d_str(d, &s, "idBundle", ST_TEXT70, 0);
    r->id_ci_bundle = d_str(d, &s, "idCiBundle", ST_TEXT70, 0);
  }
  d_datetime(d, &s, "paymentDateTime", 0, &r->payment_date_time, &r->payment_dt);
  r->has_application_date = d_date(d, &s, "applicationDate", 0, &r->application_date);
  r->has_transfer_date = d_date(d, &s, "transferDate", 0, &r->transfer_date);
  d_metadata(d, &s, &r->metadata);
  r->stand_in = -1;
  d_bool(d, &s, "standIn", 0, &r->stand_in);
  d_close(d, &s);
  d_pop(d);
}

void sanp_decode_send_rt(dctx *d, xmlNode *body, int v2, sanp_send_rt_req *r) {
  dseq s;
  d_open(d, &s, body);
  d_caller(d, &s, &r->caller);
  xmlNode *n = d_take(d, &s, "receipt", 1);
  if (n) d_receipt(d, n, v2, &r->receipt);
  d_close(d, &s);
}
