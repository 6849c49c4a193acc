/* The PDF of an online service's step (application, request for
 * integration, integration, outcome): an A4 document with the title,
 * label/value rows and a text, wrapped and continued on new pages. Drawn
 * with cairo alone (no shaping needed for this text), so it is cheap and
 * thread-safe: nothing is shared between calls. */
#ifndef SP_RENDER_PDF_SERVICE_DOC_H
#define SP_RENDER_PDF_SERVICE_DOC_H
#include <stddef.h>
#include "core/error.h"
#include "core/strbuf.h"
#include "domain/services/services.h"

/* Appends the PDF of doc to out. ERR_INTERNAL when cairo failed. */
err_code service_doc_pdf(const svc_doc *doc, const char *ente_name, strbuf *out);
/* service_doc_pdf as a svc_pdf_fn (ctx: the Ente's name or NULL), the
 * bytes in a: for the office, the portal and the mail-reply job. */
err_code service_doc_pdf_fn(void *ctx, arena *a, const svc_doc *doc, const void **pdf, size_t *len);

#endif
