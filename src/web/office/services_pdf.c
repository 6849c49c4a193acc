/* The payment notice of an online service's act for the domain (svc_notice_fn). */
#include <string.h>

#include "web/office/services_ui.h"
#include "web/portal/portal_pdf.h"

err_code svc_web_notice(void *ctx, arena *a, const debt_act *act, const void **pdf, size_t *len) {
  const svc_notice_ctx *c = ctx;
  debt_postal postal;
  err_code rc = debt_act_postal(c->db, a, c->ente->id, act->id, &postal);
  if (rc != ERR_OK) return rc;
  strbuf sb;
  sb_init(&sb, 8u << 20);
  return sb_to_arena(&sb, portal_notice_pdf(a, c->ente, &postal, act, &sb), a, pdf, len);
}
