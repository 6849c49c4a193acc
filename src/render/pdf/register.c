/* The daily protocol register as PDF (cairo + pango, the fonts of the
 * payment notice: Titillium Web and Roboto Mono from bootstrap-italia,
 * through a private fontconfig configuration). A4 landscape: the Ente, the
 * day, the number of entries, the SHA-256 over the day's entries and the
 * audit chain's head at the close of the day on the first page, then one
 * row per entry (number, Rome time, direction, correspondent, subject,
 * fingerprint, annulment); every page repeats the heading and ends with
 * the day's hash and its number. */
#include "render/pdf/register.h"

#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define PAGE_W 841.89
#define PAGE_H 595.28
#define MARGIN 28.0
#define BOTTOM (PAGE_H - 40.0)
#define PAD 3.0

static const char *const font_files[] = {
    "Titillium_Web/titillium-web-v10-latin-ext_latin-regular.ttf",
    "Titillium_Web/titillium-web-v10-latin-ext_latin-700.ttf",
    "Roboto_Mono/roboto-mono-v13-latin-ext_latin-regular.ttf",
};

typedef struct {
  cairo_t *cr;
  PangoContext *ctx;
  PangoLayout *l;
  PangoFontDescription *body, *bold, *title, *mono;
  int page;
  const register_pdf_data *r;
} doc;

/* Draws s at (x, y) wrapped to width (<= 0: one line); returns its height. */
static double put(doc *d, double x, double y, double width, PangoFontDescription *fd, const char *s) {
  pango_layout_set_font_description(d->l, fd);
  pango_layout_set_width(d->l, width > 0 ? (int)(width * PANGO_SCALE) : -1);
  pango_layout_set_wrap(d->l, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text(d->l, s ? s : "", -1);
  int w, h;
  pango_layout_get_size(d->l, &w, &h);
  cairo_move_to(d->cr, x, y);
  pango_cairo_show_layout(d->cr, d->l);
  return (double)h / PANGO_SCALE;
}

static double measure(doc *d, double width, PangoFontDescription *fd, const char *s) {
  pango_layout_set_font_description(d->l, fd);
  pango_layout_set_width(d->l, (int)(width * PANGO_SCALE));
  pango_layout_set_wrap(d->l, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text(d->l, s ? s : "", -1);
  int w, h;
  pango_layout_get_size(d->l, &w, &h);
  return (double)h / PANGO_SCALE;
}

static const struct {
  const char *title;
  double width;
} cols[] = {{"Numero", 62},          {"Data e ora", 100}, {"Verso", 52},
            {"Corrispondente", 150}, {"Oggetto", 240},    {"Impronta SHA-256", 180}};
enum { NCOLS = 6 };

static double table_head(doc *d, double y) {
  double x = MARGIN;
  cairo_set_source_rgb(d->cr, 0.9, 0.93, 0.97);
  cairo_rectangle(d->cr, MARGIN, y, PAGE_W - 2 * MARGIN, 16);
  cairo_fill(d->cr);
  cairo_set_source_rgb(d->cr, 0.1, 0.1, 0.1);
  for (int i = 0; i < NCOLS; i++) {
    put(d, x + PAD, y + 2, cols[i].width - 2 * PAD, d->bold, cols[i].title);
    x += cols[i].width;
  }
  return y + 18;
}

static void footer(doc *d) {
  char buf[200];
  snprintf(buf, sizeof buf, "Registro del %s - impronta delle registrazioni %s - pagina %d", d->r->day,
           d->r->sha256, d->page);
  put(d, MARGIN, PAGE_H - 28, PAGE_W - 2 * MARGIN, d->mono, buf);
}

static double page_start(doc *d) {
  d->page++;
  char buf[600];
  snprintf(buf, sizeof buf, "Registro giornaliero di protocollo - %s (%s) - %s", d->r->ente_name,
           d->r->ente_cf, d->r->day);
  double y = MARGIN;
  y += put(d, MARGIN, y, PAGE_W - 2 * MARGIN, d->title, buf) + 6;
  return y;
}

static const char *direction_it(const char *dir) {
  if (strcmp(dir, "in") == 0) return "Entrata";
  if (strcmp(dir, "out") == 0) return "Uscita";
  return "Interna";
}

static void draw(doc *d, arena *a) {
  const register_pdf_data *r = d->r;
  double y = page_start(d);
  char buf[300];
  snprintf(buf, sizeof buf, "Registrazioni del giorno: %lld", (long long)r->entries);
  y += put(d, MARGIN, y, 0, d->body, buf) + 2;
  y += put(d, MARGIN, y, 0, d->body, "Impronta SHA-256 delle registrazioni:");
  y += put(d, MARGIN + 12, y, 0, d->mono, r->sha256) + 2;
  y += put(d, MARGIN, y, 0, d->body, "Testa della catena di audit a fine giornata:");
  y += put(d, MARGIN + 12, y, 0, d->mono, r->audit_head) + 10;
  if (r->n == 0)
    put(d, MARGIN, y, 0, d->body, "Nessuna registrazione in questo giorno.");
  else
    y = table_head(d, y);
  for (size_t i = 0; i < r->n; i++) {
    const prot_entry *e = &r->v[i];
    char when[26];
    time_format_iso_rome(e->registered_at, when);
    when[19] = 0; /* 2026-11-30T10:15:00 */
    when[10] = ' ';
    const char *subject = e->annulled ? arena_printf(a, "%s (ANNULLATA: %s)", e->subject,
                                                     e->annul_reason ? e->annul_reason : "")
                                      : e->subject;
    const char *cells[NCOLS] = {protocol_label(a, e->number, e->year),
                                when,
                                direction_it(e->direction),
                                e->correspondent,
                                subject,
                                e->hash};
    double h = 0;
    for (int c = 0; c < NCOLS; c++) {
      double ch = measure(d, cols[c].width - 2 * PAD, c == 5 ? d->mono : d->body, cells[c]);
      if (ch > h) h = ch;
    }
    if (y + h + 2 * PAD > BOTTOM) {
      footer(d);
      cairo_show_page(d->cr);
      y = table_head(d, page_start(d));
    }
    double x = MARGIN;
    for (int c = 0; c < NCOLS; c++) {
      put(d, x + PAD, y + PAD, cols[c].width - 2 * PAD, c == 5 ? d->mono : d->body, cells[c]);
      x += cols[c].width;
    }
    y += h + 2 * PAD;
    cairo_set_source_rgb(d->cr, 0.8, 0.8, 0.8);
    cairo_set_line_width(d->cr, 0.5);
    cairo_move_to(d->cr, MARGIN, y);
    cairo_line_to(d->cr, PAGE_W - MARGIN, y);
    cairo_stroke(d->cr);
    cairo_set_source_rgb(d->cr, 0.1, 0.1, 0.1);
  }
  footer(d);
  cairo_show_page(d->cr);
}

static PangoFontDescription *font(const char *family, PangoWeight w, double size) {
  PangoFontDescription *fd = pango_font_description_new();
  pango_font_description_set_family(fd, family);
  pango_font_description_set_weight(fd, w);
  pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
  return fd;
}

err_code register_pdf_write(const char *font_dir, const register_pdf_data *r, const char *path) {
  char p[4096];
  for (size_t i = 0; i < sizeof font_files / sizeof font_files[0]; i++) {
    snprintf(p, sizeof p, "%s/%s", font_dir, font_files[i]);
    if (access(p, R_OK) != 0) return ERR_NOT_FOUND;
  }
  FcConfig *fc = FcConfigCreate();
  if (!fc) return ERR_INTERNAL;
  for (size_t i = 0; i < sizeof font_files / sizeof font_files[0]; i++) {
    snprintf(p, sizeof p, "%s/%s", font_dir, font_files[i]);
    if (!FcConfigAppFontAddFile(fc, (const FcChar8 *)p)) {
      FcConfigDestroy(fc);
      return ERR_INTERNAL;
    }
  }
  PangoFontMap *fm = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
  pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(fm), fc);
  cairo_surface_t *s = cairo_pdf_surface_create(path, PAGE_W, PAGE_H);
  err_code rc = ERR_INTERNAL;
  if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS) {
    arena *a = arena_new();
    doc d = {.r = r};
    d.cr = cairo_create(s);
    d.ctx = pango_font_map_create_context(fm);
    pango_cairo_context_set_resolution(d.ctx, 72);
    pango_context_set_language(d.ctx, pango_language_from_string("it"));
    d.l = pango_layout_new(d.ctx);
    d.body = font("Titillium Web", PANGO_WEIGHT_NORMAL, 8);
    d.bold = font("Titillium Web", PANGO_WEIGHT_BOLD, 8);
    d.title = font("Titillium Web", PANGO_WEIGHT_BOLD, 13);
    d.mono = font("Roboto Mono", PANGO_WEIGHT_NORMAL, 7);
    cairo_set_source_rgb(d.cr, 0.1, 0.1, 0.1);
    draw(&d, a);
    pango_font_description_free(d.body);
    pango_font_description_free(d.bold);
    pango_font_description_free(d.title);
    pango_font_description_free(d.mono);
    g_object_unref(d.l);
    g_object_unref(d.ctx);
    cairo_destroy(d.cr);
    cairo_surface_finish(s);
    if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS) rc = ERR_OK;
    arena_free(a);
  }
  cairo_surface_destroy(s);
  pango_fc_font_map_shutdown(PANGO_FC_FONT_MAP(fm));
  g_object_unref(fm);
  FcConfigDestroy(fc);
  return rc;
}
