/* Fonts, text layouts, bars, QR code and DataMatrix for the notice. */
#include <dmtx.h>
#include <pango/pangofc-fontmap.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "render/pdf/notice_internal.h"

/* Relative to the font directory (bootstrap-italia's src/fonts). */
static const char *const font_files[] = {
    "Titillium_Web/titillium-web-v10-latin-ext_latin-regular.ttf",
    "Titillium_Web/titillium-web-v10-latin-ext_latin-600.ttf",
    "Titillium_Web/titillium-web-v10-latin-ext_latin-700.ttf",
    "Roboto_Mono/roboto-mono-v13-latin-ext_latin-regular.ttf",
    "Roboto_Mono/roboto-mono-v13-latin-ext_latin-700.ttf",
};

static const struct {
  const char *family;
  PangoWeight weight;
  double size;
} styles[ST__COUNT] = {
    [ST_LOGO] = {"Titillium Web", PANGO_WEIGHT_BOLD, 17},
    [ST_KICKER] = {"Titillium Web", PANGO_WEIGHT_BOLD, 8.5},
    [ST_TITLE] = {"Titillium Web", PANGO_WEIGHT_BOLD, 15},
    [ST_BAR] = {"Titillium Web", PANGO_WEIGHT_BOLD, 8},
    [ST_BAR_MONO] = {"Roboto Mono", PANGO_WEIGHT_NORMAL, 7},
    [ST_NAME] = {"Titillium Web SemiBold", PANGO_WEIGHT_NORMAL, 12},
    [ST_BODY] = {"Titillium Web", PANGO_WEIGHT_NORMAL, 10},
    [ST_LABEL] = {"Titillium Web", PANGO_WEIGHT_NORMAL, 6.5},
    [ST_VALUE] = {"Titillium Web", PANGO_WEIGHT_BOLD, 6.5},
    [ST_TEXT] = {"Titillium Web", PANGO_WEIGHT_NORMAL, 7},
    [ST_HEAD] = {"Titillium Web", PANGO_WEIGHT_BOLD, 8},
    [ST_BIG] = {"Titillium Web", PANGO_WEIGHT_BOLD, 14},
    [ST_MONO] = {"Roboto Mono", PANGO_WEIGHT_BOLD, 8.5},
    [ST_MONO_BIG] = {"Roboto Mono", PANGO_WEIGHT_BOLD, 11},
    [ST_POSTE] = {"Titillium Web", PANGO_WEIGHT_BOLD, 13},
    [ST_POSTE_REG] = {"Titillium Web", PANGO_WEIGHT_NORMAL, 13},
    [ST_BAR_REG] = {"Titillium Web", PANGO_WEIGHT_NORMAL, 8},
};

static int mono_init(notice_renderer *r, int st) {
  mono_font *m = &r->mono[st];
  m->font = pango_font_map_load_font(r->fontmap, r->ctx, r->fd[st]);
  if (!m->font) return -1;
  m->scaled = pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(m->font));
  if (!m->scaled) return -1;
  char chars[MONO_CHARS + 3];
  for (int c = 0; c < 95; c++) chars[c] = (char)(0x20 + c);
  memcpy(chars + 95, "\xe2\x82\xac", 4); /* € */
  cairo_glyph_t *g = NULL;
  int n = 0;
  if (cairo_scaled_font_text_to_glyphs(m->scaled, 0, 0, chars, -1, &g, &n, NULL, NULL, NULL) !=
          CAIRO_STATUS_SUCCESS ||
      n != MONO_CHARS) {
    cairo_glyph_free(g);
    return -1;
  }
  for (int i = 0; i < MONO_CHARS; i++) m->glyph[i] = g[i].index;
  m->advance = g[1].x - g[0].x;
  cairo_glyph_free(g);
  /* where pango puts the baseline below the top of a line */
  PangoLayout *l = pango_layout_new(r->ctx);
  pango_layout_set_font_description(l, r->fd[st]);
  pango_layout_set_text(l, "0", -1);
  m->baseline = (double)pango_layout_get_baseline(l) / PANGO_SCALE;
  g_object_unref(l);
  return 0;
}

/* Draws s in a monospaced style without shaping; -1 if s has a character
 * outside the table (the caller then uses pango). */
static int mono_text(notice_renderer *r, double x, double y, text_style st, const char *s, text_align al,
                     double *height) {
  const mono_font *m = &r->mono[st];
  cairo_glyph_t g[64];
  cairo_text_cluster_t cl[64];
  int n = 0;
  size_t len = strlen(s);
  for (size_t i = 0; i < len; n++) {
    if (n == 64) return -1;
    unsigned char c = (unsigned char)s[i];
    int k, bytes = 1;
    if (c >= 0x20 && c < 0x7f)
      k = c - 0x20;
    else if (c == 0xe2 && (unsigned char)s[i + 1] == 0x82 && (unsigned char)s[i + 2] == 0xac)
      k = 95, bytes = 3;
    else
      return -1;
    g[n].index = m->glyph[k];
    g[n].x = n * m->advance;
    g[n].y = 0;
    cl[n].num_bytes = bytes;
    cl[n].num_glyphs = 1;
    i += (size_t)bytes;
  }
  double w = n * m->advance;
  if (al == AL_RIGHT) x -= w;
  for (int i = 0; i < n; i++) {
    g[i].x += x;
    g[i].y = y + m->baseline;
  }
  cairo_set_scaled_font(r->cr, m->scaled);
  cairo_show_text_glyphs(r->cr, s, (int)len, g, n, cl, n, 0);
  *height = styles[st].size * 1.32;
  return 0;
}

err_code notice_renderer_new(const char *font_dir, notice_renderer **out) {
  *out = NULL;
  char path[4096];
  for (size_t i = 0; i < sizeof font_files / sizeof font_files[0]; i++) {
    snprintf(path, sizeof path, "%s/%s", font_dir, font_files[i]);
    if (access(path, R_OK) != 0) return ERR_NOT_FOUND;
  }
  notice_renderer *r = calloc(1, sizeof *r);
  if (!r) return ERR_INTERNAL;
  /* a configuration with our files only: no system fonts, no rules */
  r->fc = FcConfigCreate();
  if (!r->fc) goto fail;
  for (size_t i = 0; i < sizeof font_files / sizeof font_files[0]; i++) {
    snprintf(path, sizeof path, "%s/%s", font_dir, font_files[i]);
    if (!FcConfigAppFontAddFile(r->fc, (const FcChar8 *)path)) goto fail;
  }
  r->fontmap = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
  if (!r->fontmap) goto fail;
  pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(r->fontmap), r->fc);
  r->ctx = pango_font_map_create_context(r->fontmap);
  pango_cairo_context_set_resolution(r->ctx, 72); /* sizes in points = user units */
  pango_context_set_round_glyph_positions(r->ctx, FALSE);
  cairo_font_options_t *fo = cairo_font_options_create();
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options(r->ctx, fo);
  cairo_font_options_destroy(fo);
  pango_context_set_language(r->ctx, pango_language_from_string("it"));
  for (int s = 0; s < ST__COUNT; s++) {
    r->fd[s] = pango_font_description_new();
    pango_font_description_set_family_static(r->fd[s], styles[s].family);
    pango_font_description_set_weight(r->fd[s], styles[s].weight);
    pango_font_description_set_absolute_size(r->fd[s], styles[s].size * PANGO_SCALE);
  }
  r->dyn = pango_layout_new(r->ctx);
  r->dyn_style = -1;
  for (int st = 0; st < ST__COUNT; st++)
    if (strcmp(styles[st].family, "Roboto Mono") == 0 && mono_init(r, st) != 0) goto fail;
  *out = r;
  return ERR_OK;
fail:
  notice_renderer_free(r);
  return ERR_INTERNAL;
}

void notice_renderer_free(notice_renderer *r) {
  if (!r) return;
  for (int st = 0; st < ST__COUNT; st++)
    if (r->mono[st].font) g_object_unref(r->mono[st].font);
  for (int i = 0; i < NOTICE_TEMPLATES; i++)
    if (r->tmpl[i]) cairo_surface_destroy(r->tmpl[i]);
  for (int i = 0; i < NOTICE_CACHE_SLOTS; i++)
    if (r->cache[i].layout) g_object_unref(r->cache[i].layout);
  if (r->dyn) g_object_unref(r->dyn);
  for (int s = 0; s < ST__COUNT; s++)
    if (r->fd[s]) pango_font_description_free(r->fd[s]);
  if (r->ctx) g_object_unref(r->ctx);
  if (r->fontmap) {
    pango_fc_font_map_shutdown(PANGO_FC_FONT_MAP(r->fontmap)); /* drops the fonts it still holds */
    g_object_unref(r->fontmap);
  }
  if (r->fc) FcConfigDestroy(r->fc); /* the font map took its own reference */
  free(r);
}

notice_logo *notice_logo_from_png(const void *png, size_t len);

typedef struct {
  const unsigned char *p;
  size_t left;
} png_reader;

static cairo_status_t read_png(void *closure, unsigned char *data, unsigned int n) {
  png_reader *rd = closure;
  if (n > rd->left) return CAIRO_STATUS_READ_ERROR;
  memcpy(data, rd->p, n);
  rd->p += n;
  rd->left -= n;
  return CAIRO_STATUS_SUCCESS;
}

notice_logo *notice_logo_from_png(const void *png, size_t len) {
  if (!png || len < 8 || len > 4u << 20) return NULL;
  png_reader rd = {png, len};
  cairo_surface_t *img = cairo_image_surface_create_from_png_stream(read_png, &rd);
  if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(img);
    return NULL;
  }
  notice_logo *l = malloc(sizeof *l);
  if (!l) {
    cairo_surface_destroy(img);
    return NULL;
  }
  l->img = img;
  l->w = cairo_image_surface_get_width(img);
  l->h = cairo_image_surface_get_height(img);
  return l;
}

void notice_logo_free(notice_logo *logo) {
  if (!logo) return;
  cairo_surface_destroy(logo->img);
  free(logo);
}

void set_ink(cairo_t *cr) { cairo_set_source_rgb(cr, 0.09, 0.11, 0.13); }
void set_muted(cairo_t *cr) { cairo_set_source_rgb(cr, 0.36, 0.44, 0.51); }
void set_blue(cairo_t *cr) { cairo_set_source_rgb(cr, 0.0, 0.4, 0.8); }

static void configure(notice_renderer *r, PangoLayout *l, text_style st, int width, text_align al,
                      int lines) {
  pango_layout_set_font_description(l, r->fd[st]);
  if (width > 0) {
    pango_layout_set_width(l, width * (PANGO_SCALE / 4)); /* width is in quarter points */
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_ellipsize(l, lines ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
    pango_layout_set_height(l, lines ? -lines : -1);
    pango_layout_set_alignment(l, al == AL_RIGHT    ? PANGO_ALIGN_RIGHT
                                  : al == AL_CENTER ? PANGO_ALIGN_CENTER
                                                    : PANGO_ALIGN_LEFT);
  } else {
    pango_layout_set_width(l, -1);
    pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_NONE);
    pango_layout_set_height(l, -1);
    pango_layout_set_alignment(l, PANGO_ALIGN_LEFT);
  }
}

static double show(notice_renderer *r, PangoLayout *l, double x, double y, int width, text_align al) {
  PangoRectangle logical;
  pango_layout_get_extents(l, NULL, &logical);
  if (width <= 0 && al == AL_RIGHT) x -= (double)logical.width / PANGO_SCALE;
  cairo_move_to(r->cr, x, y);
  pango_cairo_show_layout(r->cr, l);
  return (double)logical.height / PANGO_SCALE;
}

double text(notice_renderer *r, double x, double y, text_style st, const char *s, double width, text_align al,
            int lines) {
  if (!s || !*s) return 0;
  double h;
  if (r->mono[st].scaled && width <= 0 && mono_text(r, x, y, st, s, al, &h) == 0) return h;
  int w = width > 0 ? (int)(width * 4) : 0;
  if (r->dyn_style != (int)st || r->dyn_width != w || r->dyn_align != (int)al || r->dyn_lines != lines) {
    configure(r, r->dyn, st, w, al, lines);
    r->dyn_style = st;
    r->dyn_width = w;
    r->dyn_align = al;
    r->dyn_lines = lines;
  }
  pango_layout_set_text(r->dyn, s, -1);
  return show(r, r->dyn, x, y, w, al);
}

double stext(notice_renderer *r, double x, double y, text_style st, const char *s, double width,
             text_align al, int lines) {
  int w = width > 0 ? (int)(width * 4) : 0;
  uintptr_t h = ((uintptr_t)s >> 3) * 2654435761u + (uintptr_t)st * 31 + (uintptr_t)w * 7 + (uintptr_t)al;
  for (int probe = 0; probe < 16; probe++) {
    cached_layout *c = &r->cache[(h + (uintptr_t)probe) % NOTICE_CACHE_SLOTS];
    if (!c->layout) {
      c->key = s;
      c->style = st;
      c->width = w;
      c->align = al;
      c->lines = lines;
      c->layout = pango_layout_new(r->ctx);
      configure(r, c->layout, st, w, al, lines);
      pango_layout_set_text(c->layout, s, -1);
    }
    if (c->key == s && c->style == (int)st && c->width == w && c->align == (int)al && c->lines == lines)
      return show(r, c->layout, x, y, w, al);
  }
  return text(r, x, y, st, s, width, al, lines); /* table crowded: shape it now */
}

double text_width(notice_renderer *r, text_style st, const char *s) {
  if (r->dyn_style != (int)st || r->dyn_width != 0 || r->dyn_lines != 0) {
    configure(r, r->dyn, st, 0, AL_LEFT, 0);
    r->dyn_style = st;
    r->dyn_width = 0;
    r->dyn_align = AL_LEFT;
    r->dyn_lines = 0;
  }
  pango_layout_set_text(r->dyn, s, -1);
  PangoRectangle logical;
  pango_layout_get_extents(r->dyn, NULL, &logical);
  return (double)logical.width / PANGO_SCALE;
}

void bar(cairo_t *cr, double x0, double x1, double y, double h) {
  cairo_set_source_rgb(cr, 0.925, 0.925, 0.925);
  cairo_rectangle(cr, x0, y, x1 - x0, h);
  cairo_fill(cr);
}

/* Paints the dark modules of a rows x cols grid as one 1-bit image mask
 * scaled (nearest neighbour) to m points per module: in the PDF a small
 * stencil image instead of hundreds of path rectangles, exact at any
 * resolution. */
static err_code fill_modules(cairo_t *cr, double x, double y, double m, int rows, int cols,
                             int (*dark)(const void *, int, int), const void *ctx) {
  cairo_surface_t *mask = cairo_image_surface_create(CAIRO_FORMAT_A1, cols, rows);
  if (cairo_surface_status(mask) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(mask);
    return ERR_INTERNAL;
  }
  cairo_surface_flush(mask);
  unsigned char *data = cairo_image_surface_get_data(mask);
  int stride = cairo_image_surface_get_stride(mask);
  for (int row = 0; row < rows; row++) {
    uint32_t *line = (uint32_t *)(void *)(data + row * stride);
    for (int col = 0; col < cols; col++)
      if (dark(ctx, row, col)) {
        /* A1 pixels are bits of native-endian 32-bit words */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        line[col >> 5] |= 1u << (col & 31);
#else
        line[col >> 5] |= 0x80000000u >> (col & 31);
#endif
      }
  }
  cairo_surface_mark_dirty(mask);
  cairo_save(cr);
  cairo_translate(cr, x, y);
  cairo_scale(cr, m, m);
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_pattern_t *pat = cairo_pattern_create_for_surface(mask);
  cairo_pattern_set_filter(pat, CAIRO_FILTER_NEAREST);
  cairo_mask(cr, pat);
  cairo_pattern_destroy(pat);
  cairo_restore(cr);
  cairo_surface_destroy(mask);
  return ERR_OK;
}

static int qr_dark(const void *ctx, int row, int col) {
  const QRcode *q = ctx;
  return q->data[row * q->width + col] & 1;
}

err_code draw_qr(cairo_t *cr, double x, double y, double size, const char *payload) {
  QRcode *q = QRcode_encodeString(payload, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (!q) return ERR_INVALID;
  err_code rc = fill_modules(cr, x, y, size / q->width, q->width, q->width, qr_dark, q);
  QRcode_free(q);
  return rc;
}

static int dm_dark(const void *ctx, int row, int col) {
  const DmtxEncode *e = ctx;
  /* libdmtx counts rows from the bottom */
  int r = e->region.symbolRows - 1 - row;
  return (dmtxSymbolModuleStatus(e->message, e->region.sizeIdx, r, col) & DmtxModuleOnRGB) != 0;
}

err_code draw_datamatrix(cairo_t *cr, double x, double y, double size, const char *payload) {
  DmtxEncode *e = dmtxEncodeCreate();
  if (!e) return ERR_INTERNAL;
  dmtxEncodeSetProp(e, DmtxPropSizeRequest, DmtxSymbolSquareAuto);
  dmtxEncodeSetProp(e, DmtxPropModuleSize, 1);
  dmtxEncodeSetProp(e, DmtxPropMarginSize, 0);
  err_code rc = ERR_INVALID;
  if (dmtxEncodeDataMatrix(e, (int)strlen(payload), (unsigned char *)(uintptr_t)payload) == DmtxPass) {
    int rows = e->region.symbolRows, cols = e->region.symbolCols;
    rc = fill_modules(cr, x, y, size / cols, rows, cols, dm_dark, e);
  }
  dmtxEncodeDestroy(&e);
  return rc;
}
