/* PDFs of the portal pages (portal_pdf.c). */
#ifndef SP_WEB_PORTAL_PDF_H
#define SP_WEB_PORTAL_PDF_H
#include "core/strbuf.h"
#include "domain/debt/debt.h"
#include "render/pdf/doc.h"

/* The payment notice of the act's payable options (current generation),
 * the same the office prints (notice_act_pdf: CBILL and bollettino from
 * the Ente's settings), drawn by this thread's renderer.
 * ERR_NOTICE_PAID when nothing is left to pay. */
err_code portal_notice_pdf(db *d, arena *a, const ente *e, const debt_act *x, strbuf *out);
/* This thread's document writer. */
err_code portal_pdf_doc(pdf_doc **d);

#endif
