/* paVerifyPaymentNotice: the Nodo asks whether a notice can be paid. */
#include "soap/sanp_internal.h"

void sanp_decode_verify(dctx *d, xmlNode *body, sanp_verify_req *r) {
  dseq s;
  d_open(d, &s, body);
  d_caller(d, &s, &r->caller);
  d_qr(d, &s, &r->qr);
  d_close(d, &s);
}

err_code sanp_encode_verify_ok(arena *a, const sanp_verify_res *r, char **xml, size_t *len, sanp_error *err) {
  ectx e;
  e_init(&e, err, SANP_OP_VERIFY);
  e_begin(&e, SANP_OP_VERIFY, 1);
  e_payment_option_list(&e, &r->option);
  e_str(&e, "paymentDescription", ST_TEXT140, r->payment_description, 0);
  e_str(&e, "fiscalCodePA", ST_FISCAL_CODE_PA, r->fiscal_code_pa, 0);
  e_str(&e, "companyName", ST_TEXT140, r->company_name, 0);
  e_str(&e, "officeName", ST_TEXT140, r->office_name, 0);
  e_end(&e, SANP_OP_VERIFY);
  return e_finish(&e, a, xml, len);
}
