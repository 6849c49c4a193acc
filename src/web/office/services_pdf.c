/* The PDF of an online service's step for the domain (svc_pdf_fn). */
#include <string.h>

#include "render/pdf/service_doc.h"
#include "web/office/services_ui.h"
#include "web/portal/portal_pdf.h"

err_code svc_web_pdf(void *ctx, arena *a, const svc_doc *doc, const void **pdf, size_t *len) {
  strbuf sb;
  sb_init(&sb, 32u << 20);
  err_code rc = service_doc_pdf(doc, ctx, &sb);
  if (rc == ERR_OK && sb.len) {
    char *copy = arena_alloc(a, sb.len);
    memcpy(copy, sb_str(&sb), sb.len);
    *pdf = copy;
    *len = sb.len;
  } else if (rc == ERR_OK) {
    rc = ERR_INTERNAL;
  }
  sb_free(&sb);
  return rc;
}

err_code svc_web_notice(void *ctx, arena *a, const debt_act *act, const void **pdf, size_t *len) {
  const svc_notice_ctx *c = ctx;
  debt_postal postal;
  err_code rc = debt_act_postal(c->db, a, c->ente->id, act->id, &postal);
  if (rc != ERR_OK) return rc;
  strbuf sb;
  sb_init(&sb, 8u << 20);
  rc = portal_notice_pdf(a, c->ente, &postal, act, &sb);
  if (rc == ERR_OK && sb.len) {
    char *copy = arena_alloc(a, sb.len);
    memcpy(copy, sb_str(&sb), sb.len);
    *pdf = copy;
    *len = sb.len;
  } else if (rc == ERR_OK) {
    rc = ERR_INTERNAL;
  }
  sb_free(&sb);
  return rc;
}
