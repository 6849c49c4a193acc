/* A plain A4 document as PDF (cairo + pango, Titillium Web from the font
 * directory in a private fontconfig configuration, like notice.h): a
 * title, paragraphs, label/value rows and tables that continue on new
 * pages with their header repeated. Used for the statement (estratto
 * conto) and the receipt (quietanza). One pdf_doc per thread at a time. */
#ifndef SP_RENDER_PDF_DOC_H
#define SP_RENDER_PDF_DOC_H
#include <stddef.h>
#include "core/error.h"
#include "core/strbuf.h"

typedef struct pdf_doc pdf_doc;

/* Fonts read once; ERR_NOT_FOUND when a font file is missing. */
err_code pdf_doc_new(const char *font_dir, pdf_doc **out);
void pdf_doc_free(pdf_doc *d);

/* Starts a document written into out (title in the metadata too). */
err_code pdf_doc_begin(pdf_doc *d, strbuf *out, const char *title);
void pdf_doc_heading(pdf_doc *d, const char *text);
void pdf_doc_text(pdf_doc *d, const char *text);
void pdf_doc_kv(pdf_doc *d, const char *label, const char *value);
/* A table: widths in fractions of the text width (sum 1), right[i] for
 * right-aligned (amounts) columns. Rows follow with pdf_doc_row; bold for
 * totals. */
void pdf_doc_table(pdf_doc *d, const char *const *cols, const double *widths, const int *right, size_t n);
void pdf_doc_row(pdf_doc *d, const char *const *cells, int bold);
/* Finishes the document; ERR_INTERNAL when cairo failed. */
err_code pdf_doc_end(pdf_doc *d);

#endif
