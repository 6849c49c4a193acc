/* paDemandPaymentNotice: a spontaneous payment started at a PSP; the EC
 * creates the position and returns the notice to activate. */
#include "soap/sanp_internal.h"

void sanp_decode_demand(dctx *d, xmlNode *body, sanp_demand_req *r) {
  dseq s;
  d_open(d, &s, body);
  d_caller(d, &s, &r->caller);
  r->id_servizio = d_str(d, &s, "idServizio", ST_LEN5, 1);
  r->id_soggetto_servizio = d_str(d, &s, "idSoggettoServizio", ST_LEN5, 1);
  r->dati_base64 = d_base64(d, &s, "datiSpecificiServizioRequest", 1, &r->dati, &r->dati_len);
  d_close(d, &s);
}

err_code sanp_encode_demand_ok(arena *a, const sanp_demand_res *r, char **xml, size_t *len, sanp_error *err) {
  ectx e;
  e_init(&e, err, SANP_OP_DEMAND);
  e_begin(&e, SANP_OP_DEMAND, 1);
  e_qr(&e, &r->qr);
  e_payment_option_list(&e, &r->option);
  e_str(&e, "paymentDescription", ST_TEXT140, r->payment_description, 0);
  e_str(&e, "fiscalCodePA", ST_FISCAL_CODE_PA, r->fiscal_code_pa, 0);
  e_str(&e, "companyName", ST_TEXT140, r->company_name, 0);
  e_str(&e, "officeName", ST_TEXT140, r->office_name, 0);
  e_end(&e, SANP_OP_DEMAND);
  return e_finish(&e, a, xml, len);
}
