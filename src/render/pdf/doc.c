#include "render/pdf/doc.h"

#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PAGE_W 595.276
#define PAGE_H 841.89
#define MARGIN 48.0
#define TEXT_W (PAGE_W - 2 * MARGIN)
#define MAX_COLS 8

static const char *const font_files[] = {
    "Titillium_Web/titillium-web-v10-latin-ext_latin-regular.ttf",
    "Titillium_Web/titillium-web-v10-latin-ext_latin-600.ttf",
    "Titillium_Web/titillium-web-v10-latin-ext_latin-700.ttf",
};

/* Single-line text in the document's fonts without pango: a glyph and an
 * advance per character of printable ASCII and the euro sign, read once.
 * Table cells are almost always such text; shaping them one by one was
 * most of a statement's time. No kerning: fine for table text. */
#define FAST_CHARS 96
typedef struct {
  PangoFont *font;
  cairo_scaled_font_t *scaled;
  unsigned long glyph[FAST_CHARS];
  double advance[FAST_CHARS];
  double baseline, height;
} fast_font;

struct pdf_doc {
  FcConfig *fc;
  PangoFontMap *fontmap;
  PangoContext *ctx;
  PangoFontDescription *regular, *bold, *title;
  fast_font fast[2]; /* regular, bold */
  cairo_surface_t *surface;
  cairo_t *cr;
  strbuf *out;
  double y;
  int page;
  /* the current table */
  const char *cols[MAX_COLS];
  double widths[MAX_COLS];
  int right[MAX_COLS];
  size_t ncols;
};

static int fast_init(pdf_doc *d, fast_font *f, PangoFontDescription *fd) {
  f->font = pango_font_map_load_font(d->fontmap, d->ctx, fd);
  if (!f->font) return -1;
  f->scaled = pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(f->font));
  if (!f->scaled) return -1;
  for (int c = 0; c < FAST_CHARS; c++) {
    char ch[4] = {(char)(0x20 + c), 0, 0, 0};
    if (c == 95) memcpy(ch, "\xe2\x82\xac", 4);
    cairo_glyph_t *g = NULL;
    int n = 0;
    if (cairo_scaled_font_text_to_glyphs(f->scaled, 0, 0, ch, -1, &g, &n, NULL, NULL, NULL) !=
            CAIRO_STATUS_SUCCESS ||
        n != 1) {
      cairo_glyph_free(g);
      return -1;
    }
    f->glyph[c] = g[0].index;
    cairo_text_extents_t ext;
    cairo_scaled_font_glyph_extents(f->scaled, g, 1, &ext);
    f->advance[c] = ext.x_advance;
    cairo_glyph_free(g);
  }
  PangoLayout *l = pango_layout_new(d->ctx);
  pango_layout_set_font_description(l, fd);
  pango_layout_set_text(l, "0", -1);
  int lw, lh;
  pango_layout_get_size(l, &lw, &lh);
  f->baseline = (double)pango_layout_get_baseline(l) / PANGO_SCALE;
  f->height = (double)lh / PANGO_SCALE;
  g_object_unref(l);
  return 0;
}

/* The fast path: -1 when s has another character or does not fit in w
 * (the caller then lets pango shape and wrap it), else the line height. */
static double fast_text(pdf_doc *d, const fast_font *f, const char *s, double x, double y, double w,
                        int right, int draw) {
  enum { MAXG = 160 };
  cairo_glyph_t g[MAXG];
  cairo_text_cluster_t cl[MAXG];
  int n = 0;
  double pos = 0;
  size_t len = strlen(s);
  for (size_t i = 0; i < len; n++) {
    if (n == MAXG) return -1;
    unsigned char c = (unsigned char)s[i];
    int k, bytes = 1;
    if (c >= 0x20 && c < 0x7f)
      k = c - 0x20;
    else if (c == 0xe2 && (unsigned char)s[i + 1] == 0x82 && (unsigned char)s[i + 2] == 0xac)
      k = 95, bytes = 3;
    else
      return -1;
    g[n].index = f->glyph[k];
    g[n].x = pos;
    g[n].y = 0;
    cl[n].num_bytes = bytes;
    cl[n].num_glyphs = 1;
    pos += f->advance[k];
    i += (size_t)bytes;
  }
  if (pos > w) return -1;
  if (draw && n > 0) {
    double x0 = right ? x + w - pos : x;
    for (int i = 0; i < n; i++) {
      g[i].x += x0;
      g[i].y = y + f->baseline;
    }
    cairo_set_scaled_font(d->cr, f->scaled);
    cairo_show_text_glyphs(d->cr, s, (int)len, g, n, cl, n, 0);
  }
  return f->height;
}

err_code pdf_doc_new(const char *font_dir, pdf_doc **out) {
  char path[4096];
  for (size_t i = 0; i < sizeof font_files / sizeof font_files[0]; i++) {
    snprintf(path, sizeof path, "%s/%s", font_dir, font_files[i]);
    if (access(path, R_OK) != 0) return ERR_NOT_FOUND;
  }
  pdf_doc *d = calloc(1, sizeof *d);
  if (!d) return ERR_INTERNAL;
  d->fc = FcConfigCreate();
  for (size_t i = 0; i < sizeof font_files / sizeof font_files[0]; i++) {
    snprintf(path, sizeof path, "%s/%s", font_dir, font_files[i]);
    FcConfigAppFontAddFile(d->fc, (const FcChar8 *)path);
  }
  d->fontmap = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
  pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(d->fontmap), d->fc);
  d->ctx = pango_font_map_create_context(d->fontmap);
  pango_cairo_context_set_resolution(d->ctx, 72);
  pango_context_set_language(d->ctx, pango_language_from_string("it"));
  d->regular = pango_font_description_from_string("Titillium Web 9.5");
  d->bold = pango_font_description_from_string("Titillium Web Bold 9.5");
  d->title = pango_font_description_from_string("Titillium Web Bold 16");
  if (fast_init(d, &d->fast[0], d->regular) != 0 || fast_init(d, &d->fast[1], d->bold) != 0) {
    pdf_doc_free(d);
    return ERR_INTERNAL;
  }
  *out = d;
  return ERR_OK;
}

void pdf_doc_free(pdf_doc *d) {
  if (!d) return;
  for (int i = 0; i < 2; i++)
    if (d->fast[i].font) g_object_unref(d->fast[i].font);
  pango_font_description_free(d->regular);
  pango_font_description_free(d->bold);
  pango_font_description_free(d->title);
  g_object_unref(d->ctx);
  g_object_unref(d->fontmap);
  FcConfigDestroy(d->fc);
  free(d);
}

static cairo_status_t write_sb(void *closure, const unsigned char *data, unsigned int len) {
  strbuf *sb = closure;
  sb_appendn(sb, (const char *)data, len);
  return sb->err ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

/* Draws text at (x, y) in width w; returns its height. draw 0: measure. */
static double text_at(pdf_doc *d, const char *s, PangoFontDescription *fd, double x, double y, double w,
                      int right, int draw) {
  if (fd == d->regular || fd == d->bold) {
    double h = fast_text(d, &d->fast[fd == d->bold], s ? s : "", x, y, w, right, draw);
    if (h >= 0) return h;
  }
  PangoLayout *l = pango_layout_new(d->ctx);
  pango_layout_set_font_description(l, fd);
  pango_layout_set_width(l, (int)(w * PANGO_SCALE));
  pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment(l, right ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
  pango_layout_set_text(l, s ? s : "", -1);
  int lw, lh;
  pango_layout_get_size(l, &lw, &lh);
  if (draw) {
    cairo_move_to(d->cr, x, y);
    pango_cairo_show_layout(d->cr, l);
  }
  g_object_unref(l);
  return (double)lh / PANGO_SCALE;
}

static void footer(pdf_doc *d) {
  char buf[32];
  snprintf(buf, sizeof buf, "Pagina %d", d->page);
  cairo_set_source_rgb(d->cr, 0.35, 0.35, 0.35);
  text_at(d, buf, d->regular, MARGIN, PAGE_H - MARGIN + 12, TEXT_W, 1, 1);
  cairo_set_source_rgb(d->cr, 0, 0, 0);
}

static void new_page(pdf_doc *d) {
  if (d->page > 0) {
    footer(d);
    cairo_show_page(d->cr);
  }
  d->page++;
  d->y = MARGIN;
}

static void table_header(pdf_doc *d);

static void need(pdf_doc *d, double h, int in_table) {
  if (d->y + h <= PAGE_H - MARGIN) return;
  new_page(d);
  if (in_table) table_header(d);
}

err_code pdf_doc_begin(pdf_doc *d, strbuf *out, const char *title) {
  d->out = out;
  d->surface = cairo_pdf_surface_create_for_stream(write_sb, out, PAGE_W, PAGE_H);
  if (cairo_surface_status(d->surface) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(d->surface);
    return ERR_INTERNAL;
  }
  cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_TITLE, title);
  d->cr = cairo_create(d->surface);
  d->page = 0;
  d->ncols = 0;
  new_page(d);
  d->y += text_at(d, title, d->title, MARGIN, d->y, TEXT_W, 0, 1) + 10;
  return ERR_OK;
}

void pdf_doc_heading(pdf_doc *d, const char *text) {
  double h = text_at(d, text, d->bold, MARGIN, d->y, TEXT_W, 0, 0);
  need(d, h + 24, 0);
  d->y += 8;
  d->y += text_at(d, text, d->bold, MARGIN, d->y, TEXT_W, 0, 1) + 4;
}

void pdf_doc_text(pdf_doc *d, const char *text) {
  double h = text_at(d, text, d->regular, MARGIN, d->y, TEXT_W, 0, 0);
  need(d, h, 0);
  d->y += text_at(d, text, d->regular, MARGIN, d->y, TEXT_W, 0, 1) + 4;
}

void pdf_doc_kv(pdf_doc *d, const char *label, const char *value) {
  double lw = TEXT_W * 0.32, vw = TEXT_W - lw;
  double h = text_at(d, value, d->regular, 0, 0, vw, 0, 0);
  need(d, h, 0);
  text_at(d, label, d->bold, MARGIN, d->y, lw - 6, 0, 1);
  d->y += text_at(d, value, d->regular, MARGIN + lw, d->y, vw, 0, 1) + 2;
}

static void cells(pdf_doc *d, const char *const *c, PangoFontDescription *fd) {
  double h = 0, x = MARGIN;
  for (size_t i = 0; i < d->ncols; i++) {
    double w = d->widths[i] * TEXT_W;
    double t = text_at(d, c[i], fd, 0, 0, w - 6, d->right[i], 0);
    if (t > h) h = t;
  }
  need(d, h + 4, fd == d->regular);
  for (size_t i = 0; i < d->ncols; i++) {
    double w = d->widths[i] * TEXT_W;
    text_at(d, c[i], fd, x, d->y, w - 6, d->right[i], 1);
    x += w;
  }
  d->y += h + 2;
  cairo_set_line_width(d->cr, 0.4);
  cairo_set_source_rgb(d->cr, 0.75, 0.75, 0.75);
  cairo_move_to(d->cr, MARGIN, d->y);
  cairo_line_to(d->cr, MARGIN + TEXT_W, d->y);
  cairo_stroke(d->cr);
  cairo_set_source_rgb(d->cr, 0, 0, 0);
  d->y += 3;
}

static void table_header(pdf_doc *d) { cells(d, d->cols, d->bold); }

void pdf_doc_table(pdf_doc *d, const char *const *cols, const double *widths, const int *right, size_t n) {
  if (n > MAX_COLS) n = MAX_COLS;
  d->ncols = n;
  for (size_t i = 0; i < n; i++) {
    d->cols[i] = cols[i];
    d->widths[i] = widths[i];
    d->right[i] = right ? right[i] : 0;
  }
  need(d, 40, 0);
  d->y += 4;
  table_header(d);
}

void pdf_doc_row(pdf_doc *d, const char *const *c, int bold) { cells(d, c, bold ? d->bold : d->regular); }

err_code pdf_doc_end(pdf_doc *d) {
  footer(d);
  cairo_show_page(d->cr);
  cairo_destroy(d->cr);
  cairo_surface_finish(d->surface);
  err_code rc =
      cairo_surface_status(d->surface) == CAIRO_STATUS_SUCCESS && !d->out->err ? ERR_OK : ERR_INTERNAL;
  cairo_surface_destroy(d->surface);
  d->cr = NULL;
  d->surface = NULL;
  return rc;
}
