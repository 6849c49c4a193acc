/* The anchor of the payment notice benchmark: the least a cairo program
 * must do to produce comparable pages — N A4 pages into PDF files, each with
 * a few lines of text in the same fonts (Titillium Web regular/semibold/bold,
 * Roboto Mono, loaded the same way: private fontconfig, pango layouts made
 * once) and one QR code. No layout logic, no validation.
 * Usage: notice_anchor FONT_DIR OUT_DIR N THREADS. Prints "pages/s: X". */
#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <pthread.h>
#include <qrencode.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static const char *font_dir, *out_dir;
static long n_pages;
static int n_threads;

static const char *const files[] = {
    "Titillium_Web/titillium-web-v10-latin-ext_latin-regular.ttf",
    "Titillium_Web/titillium-web-v10-latin-ext_latin-600.ttf",
    "Titillium_Web/titillium-web-v10-latin-ext_latin-700.ttf",
    "Roboto_Mono/roboto-mono-v13-latin-ext_latin-700.ttf",
};
static const char *const fonts[] = {"Titillium Web 10", "Titillium Web SemiBold 12", "Titillium Web Bold 15",
                                    "Roboto Mono Bold 9"};

static void *run(void *arg) {
  long tid = (long)arg;
  FcConfig *fc = FcConfigCreate();
  char path[4096];
  for (int i = 0; i < 4; i++) {
    snprintf(path, sizeof path, "%s/%s", font_dir, files[i]);
    FcConfigAppFontAddFile(fc, (const FcChar8 *)path);
  }
  PangoFontMap *fm = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
  pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(fm), fc);
  PangoContext *ctx = pango_font_map_create_context(fm);
  pango_cairo_context_set_resolution(ctx, 72);
  PangoLayout *lay[4];
  for (int i = 0; i < 4; i++) {
    lay[i] = pango_layout_new(ctx);
    PangoFontDescription *fd = pango_font_description_from_string(fonts[i]);
    pango_layout_set_font_description(lay[i], fd);
    pango_font_description_free(fd);
  }
  snprintf(path, sizeof path, "%s/anchor-%ld.pdf", out_dir, tid);
  cairo_surface_t *pdf = cairo_pdf_surface_create(path, 595.28, 841.89);
  cairo_t *cr = cairo_create(pdf);
  char s[128];
  for (long p = tid; p < n_pages; p += n_threads) {
    for (int i = 0; i < 4; i++) {
      snprintf(s, sizeof s, "Avviso di pagamento %ld - Mario Rossi - 1.234,56 € - 31/12/2025", p);
      pango_layout_set_text(lay[i], s, -1);
      cairo_move_to(cr, 40, 40 + 30 * i);
      pango_cairo_show_layout(cr, lay[i]);
    }
    snprintf(s, sizeof s, "PAGOPA|002|3%017ld|00123450601|%ld", p, 10000 + p);
    QRcode *q = QRcode_encodeString(s, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    /* the QR as a 1-bit image mask, as the renderer draws it */
    cairo_surface_t *mask = cairo_image_surface_create(CAIRO_FORMAT_A1, q->width, q->width);
    cairo_surface_flush(mask);
    unsigned char *d = cairo_image_surface_get_data(mask);
    int stride = cairo_image_surface_get_stride(mask);
    for (int y = 0; y < q->width; y++)
      for (int x = 0; x < q->width; x++)
        if (q->data[y * q->width + x] & 1) ((uint32_t *)(void *)(d + y * stride))[x >> 5] |= 1u << (x & 31);
    cairo_surface_mark_dirty(mask);
    cairo_save(cr);
    cairo_translate(cr, 40, 200);
    cairo_scale(cr, 80.0 / q->width, 80.0 / q->width);
    cairo_pattern_t *pat = cairo_pattern_create_for_surface(mask);
    cairo_pattern_set_filter(pat, CAIRO_FILTER_NEAREST);
    cairo_mask(cr, pat);
    cairo_pattern_destroy(pat);
    cairo_restore(cr);
    cairo_surface_destroy(mask);
    QRcode_free(q);
    cairo_show_page(cr);
  }
  cairo_destroy(cr);
  cairo_surface_finish(pdf);
  cairo_surface_destroy(pdf);
  for (int i = 0; i < 4; i++) g_object_unref(lay[i]);
  g_object_unref(ctx);
  g_object_unref(fm);
  FcConfigDestroy(fc);
  return NULL;
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: %s FONT_DIR OUT_DIR N THREADS\n", argv[0]);
    return 2;
  }
  font_dir = argv[1];
  out_dir = argv[2];
  n_pages = atol(argv[3]);
  n_threads = atoi(argv[4]);
  if (n_pages < 1 || n_threads < 1 || n_threads > 64) return 2;
  struct timespec t0, t1, c0, c1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
  pthread_t t[64];
  for (long i = 0; i < n_threads; i++) pthread_create(&t[i], NULL, run, (void *)i);
  for (int i = 0; i < n_threads; i++) pthread_join(t[i], NULL);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
  double cpu = (double)(c1.tv_sec - c0.tv_sec) + (double)(c1.tv_nsec - c0.tv_nsec) / 1e9;
  double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  printf("pages: %ld seconds: %.3f pages/s: %.1f cpu-seconds: %.3f per-cpu-second: %.1f\n", n_pages, secs,
         (double)n_pages / secs, cpu, (double)n_pages / cpu);
  return 0;
}
