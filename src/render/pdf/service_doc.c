/* See service_doc.h. */
#include "render/pdf/service_doc.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <string.h>

enum { W = 595, H = 842, MARGIN = 56 }; /* A4 in points */

typedef struct {
  cairo_t *cr;
  double y;
} pen;

static cairo_status_t write_sb(void *closure, const unsigned char *data, unsigned int len) {
  sb_appendn(closure, (const char *)data, len);
  return CAIRO_STATUS_SUCCESS;
}

static void font(pen *p, double size, int bold) {
  cairo_select_font_face(p->cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
                         bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(p->cr, size);
}

static void need(pen *p, double h) {
  if (p->y + h <= H - MARGIN) return;
  cairo_show_page(p->cr);
  p->y = MARGIN;
}

/* Length in bytes of the next UTF-8 character. */
static size_t cp_len(const char *s) {
  unsigned char c = (unsigned char)*s;
  size_t n = c < 0x80 ? 1 : c >> 5 == 6 ? 2 : c >> 4 == 14 ? 3 : c >> 3 == 30 ? 4 : 1;
  for (size_t i = 1; i < n; i++)
    if (!s[i]) return i;
  return n;
}

/* Writes text from x within width, wrapping at spaces (or anywhere in a
 * word longer than the line); line breaks in the text are kept. */
static void para(pen *p, const char *text, double x, double width, double size, int bold) {
  font(p, size, bold);
  double lh = size * 1.35;
  char line[2048];
  const char *s = text ? text : "";
  while (*s) {
    size_t n = 0, last_space = 0;
    const char *q = s;
    while (*q && *q != '\n' && n + 4 < sizeof line) {
      size_t k = cp_len(q);
      memcpy(line + n, q, k);
      line[n + k] = 0;
      cairo_text_extents_t ext;
      cairo_text_extents(p->cr, line, &ext);
      if (ext.x_advance > width && n > 0) break;
      if (*q == ' ') last_space = n;
      n += k;
      q += k;
    }
    size_t take = n;
    if (*q && *q != '\n' && last_space > 0) take = last_space;
    line[take] = 0;
    need(p, lh);
    cairo_move_to(p->cr, x, p->y + size);
    cairo_show_text(p->cr, line);
    p->y += lh;
    s += take;
    while (*s == ' ') s++;
    if (*s == '\n') s++;
  }
  if (!text || !*text) p->y += lh;
}

err_code service_doc_pdf(const svc_doc *doc, const char *ente_name, strbuf *out) {
  cairo_surface_t *surf = cairo_pdf_surface_create_for_stream(write_sb, out, W, H);
  cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, doc->title);
  cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR, "Sportello");
  pen p = {cairo_create(surf), MARGIN};
  cairo_set_source_rgb(p.cr, 0, 0.4, 0.8);
  if (ente_name) para(&p, ente_name, MARGIN, W - 2 * MARGIN, 11, 1);
  cairo_set_source_rgb(p.cr, 0.1, 0.1, 0.1);
  p.y += 8;
  para(&p, doc->title, MARGIN, W - 2 * MARGIN, 17, 1);
  p.y += 10;
  double label_w = 170;
  for (size_t i = 0; i < doc->n; i++) {
    double y0 = p.y;
    para(&p, doc->labels[i], MARGIN, label_w - 10, 10, 1);
    double y1 = p.y;
    if (y1 < y0) y0 = MARGIN; /* the label moved to a new page */
    p.y = y0;
    para(&p, doc->values[i] && *doc->values[i] ? doc->values[i] : "—", MARGIN + label_w,
         W - 2 * MARGIN - label_w, 10, 0);
    if (p.y < y1) p.y = y1;
    p.y += 3;
  }
  if (doc->text) {
    p.y += 12;
    para(&p, doc->text, MARGIN, W - 2 * MARGIN, 10.5, 0);
  }
  cairo_show_page(p.cr);
  cairo_status_t st = cairo_status(p.cr);
  cairo_destroy(p.cr);
  cairo_surface_finish(surf);
  if (st == CAIRO_STATUS_SUCCESS) st = cairo_surface_status(surf);
  cairo_surface_destroy(surf);
  return st == CAIRO_STATUS_SUCCESS ? ERR_OK : ERR_INTERNAL;
}

err_code service_doc_pdf_fn(void *ctx, arena *a, const svc_doc *doc, const void **pdf, size_t *len) {
  strbuf sb;
  sb_init(&sb, 32u << 20);
  return sb_to_arena(&sb, service_doc_pdf(doc, ctx, &sb), a, pdf, len);
}
