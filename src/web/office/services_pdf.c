/* The payment notice of an online service's act for the domain (svc_notice_fn). */
#include <string.h>

#include "web/office/services_ui.h"
#include "web/portal/portal_pdf.h"

err_code svc_web_notice(void *ctx, arena *a, const debt_act *act, const void **pdf, size_t *len) {
  const svc_notice_ctx *c = ctx;
  strbuf sb;
  sb_init(&sb, 8u << 20);
  return sb_to_arena(&sb, portal_notice_pdf(c->db, a, c->ente, act, &sb), a, pdf, len);
}
