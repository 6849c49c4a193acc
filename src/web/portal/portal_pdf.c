/* The PDFs of the portal: the payment notice of an act (render/pdf
 * notice.h), the receipt of a paid notice and the statement (render/pdf
 * doc.h). Renderers are made once per server thread (they are not
 * thread-safe) and kept. */
#include <stdio.h>
#include <string.h>

#include "core/config.h"
#include "core/date.h"
#include "render/pdf/doc.h"
#include "render/pdf/notice_act.h"
#include "web/portal/portal_pdf.h"

static __thread pdf_doc *t_doc;

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

err_code portal_notice_pdf(db *d, arena *a, const ente *e, const debt_act *x, strbuf *out) {
  notice_renderer *r;
  err_code rc = notice_renderer_thread(&r);
  const char *nav;
  return rc != ERR_OK ? rc : notice_act_pdf(d, a, r, e, x, 0, out, &nav);
}
