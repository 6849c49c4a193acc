/* Payment notice PDF: validation, the three output APIs, logos, several
 * renderers in parallel threads. What the pages show is read back by
 * tests/pdf/run.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cairo-pdf.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "domain/pagopa/nav.h"
#include "render/pdf/notice.h"

#define FONTS SOURCE_DIR "/web/node_modules/bootstrap-italia/src/fonts"

static notice_payment opt[3];
static char navs[3][19];

static notice_data sample(void) {
  for (int i = 0; i < 3; i++) {
    nav_build_aux3(1, 2025000000010 + (uint64_t)i, NULL, navs[i]);
    opt[i] = (notice_payment){navs[i], 10000 + i, {2025, 6 + i, 30}};
  }
  return (notice_data){.ente_name = "Comune di Prova",
                       .ente_cf = "00123450601",
                       .debtor_name = "Anna Bianchi",
                       .debtor_cf = "BNCNNA80A41H501X",
                       .subject = "IMU 2025",
                       .single = &opt[0],
                       .installments = &opt[1],
                       .n_installments = 2};
}

static int count(const char *hay, size_t len, const char *needle) {
  int n = 0;
  size_t nl = strlen(needle);
  for (size_t i = 0; i + nl <= len; i++)
    if (memcmp(hay + i, needle, nl) == 0) n++;
  return n;
}

/* Each line breaks one thing in a good notice; it must be refused. */
#define BAD(stmt)                                           \
  do {                                                      \
    notice_data d = sample();                               \
    stmt;                                                   \
    if (!notice_validate(&d)) fail_msg("accepted: " #stmt); \
  } while (0)

static void test_validate(void **state) {
  (void)state;
  notice_data n = sample();
  assert_null(notice_validate(&n));
  n.single = NULL; /* installments only */
  assert_null(notice_validate(&n));
  n = sample();
  n.installments = NULL; /* single only */
  n.n_installments = 0;
  assert_null(notice_validate(&n));
  BAD(d.ente_name = "");
  BAD(d.ente_name = NULL);
  BAD(d.ente_cf = "0012345060");
  BAD(d.ente_cf = "0012345060A");
  BAD(d.debtor_name = "");
  BAD(d.debtor_cf = "");
  BAD(d.debtor_cf = "RSSMRA80A01H501U1");
  BAD(d.debtor_cf = "RSS MRA");
  BAD(d.subject = NULL);
  BAD(d.subject = "\xff\xfe not UTF-8");
  BAD(d.ente_info = "\xc3");
  BAD(d.cbill = "AB-12");
  BAD(d.postal_account = "1234"); /* without authorisation */
  BAD(d.postal_auth = "AUT. 1");  /* without account */
  BAD(d.postal_account = "1234567890123"; d.postal_auth = "AUT");
  BAD(d.single = NULL; d.n_installments = 0); /* nothing to pay */
  BAD(d.n_installments = 1);
  BAD(d.n_installments = NOTICE_MAX_INSTALLMENTS + 1);
  BAD(d.installments = NULL);
  BAD(opt[0].nav = "302202400000000112");
  BAD(opt[2].cents = 0);
  BAD(opt[1].cents = 10000000000LL);
  BAD(opt[1].due = ((civil_date){2025, 2, 30}));
  char long_name[300];
  memset(long_name, 'a', sizeof long_name - 1);
  long_name[sizeof long_name - 1] = 0;
  BAD(d.ente_name = long_name);
}

static void test_amount(void **state) {
  (void)state;
  char s[40];
  notice_format_amount(123456, s);
  assert_string_equal(s, "1.234,56 €");
  notice_format_amount(5, s);
  assert_string_equal(s, "0,05 €");
}

static void test_outputs(void **state) {
  (void)state;
  notice_renderer *r;
  assert_int_equal(notice_renderer_new("/nonexistent", &r), ERR_NOT_FOUND);
  assert_null(r);
  assert_int_equal(notice_renderer_new(FONTS, &r), ERR_OK);
  notice_data n = sample();

  strbuf sb;
  sb_init(&sb, 0);
  assert_int_equal(notice_render_buffer(r, &n, &sb), ERR_OK);
  assert_false(sb.err);
  assert_true(sb.len > 5000);
  assert_memory_equal(sb.data, "%PDF-", 5);
  assert_int_equal(count(sb.data, sb.len, "/Type /Page %"), 1);
  /* bad data: nothing appended */
  size_t before = sb.len;
  n.ente_cf = "1";
  assert_int_equal(notice_render_buffer(r, &n, &sb), ERR_INVALID);
  assert_int_equal(sb.len, before);
  sb_free(&sb);

  /* a size limit is an error, not a cut PDF passed as good */
  sb_init(&sb, 1000);
  n = sample();
  assert_int_not_equal(notice_render_buffer(r, &n, &sb), ERR_OK);
  sb_free(&sb);

  /* bulk: several notices in one surface, pages counted */
  sb_init(&sb, 0);
  char path[] = "/tmp/sportello-notice-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  close(fd);
  cairo_surface_t *pdf = cairo_pdf_surface_create(path, 595.28, 841.89);
  int pages, total = 0;
  for (int i = 0; i < 3; i++) {
    assert_int_equal(notice_render(r, pdf, &n, &pages), ERR_OK);
    assert_int_equal(pages, 1);
    total += pages;
  }
  n.postal_account = "1234567";
  n.postal_auth = "AUT. 08/5 S3/81 53079 08129.07.20211";
  assert_int_equal(notice_render(r, pdf, &n, &pages), ERR_OK);
  assert_int_equal(pages, 2); /* single + slip, then the 2 installments with theirs */
  total += pages;
  n.ente_cf = "x";
  assert_int_equal(notice_render(r, pdf, &n, &pages), ERR_INVALID);
  assert_int_equal(pages, 0);
  cairo_surface_destroy(pdf);
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  static char buf[1 << 20];
  size_t len = fread(buf, 1, sizeof buf, f);
  fclose(f);
  unlink(path);
  assert_int_equal(count(buf, len, "/Type /Page %"), total);
  sb_free(&sb);
  notice_renderer_free(r);
}

static cairo_status_t to_sb(void *c, const unsigned char *d, unsigned int n) {
  sb_appendn(c, (const char *)d, n);
  return CAIRO_STATUS_SUCCESS;
}

static void test_logo(void **state) {
  (void)state;
  assert_null(notice_logo_from_png("not a png at all", 16));
  assert_null(notice_logo_from_png(NULL, 0));
  cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 40, 60);
  cairo_t *cr = cairo_create(img);
  cairo_set_source_rgb(cr, 0.2, 0.4, 0.8);
  cairo_paint(cr);
  cairo_destroy(cr);
  strbuf png;
  sb_init(&png, 0);
  cairo_surface_write_to_png_stream(img, to_sb, &png);
  cairo_surface_destroy(img);
  notice_logo *logo = notice_logo_from_png(png.data, png.len);
  assert_non_null(logo);
  assert_null(notice_logo_from_png(png.data, png.len / 2)); /* truncated */
  sb_free(&png);
  notice_renderer *r;
  assert_int_equal(notice_renderer_new(FONTS, &r), ERR_OK);
  notice_data n = sample();
  n.logo = logo;
  strbuf out;
  sb_init(&out, 0);
  assert_int_equal(notice_render_buffer(r, &n, &out), ERR_OK);
  /* the logo is the one image that is not a QR stencil mask */
  assert_int_equal(count(out.data, out.len, "/Subtype /Image") - count(out.data, out.len, "/ImageMask true"),
                   1);
  sb_free(&out);
  notice_renderer_free(r);
  notice_logo_free(logo);
}

/* One renderer per thread, rendering at the same time. */
static void *worker(void *arg) {
  int *ok = arg;
  notice_renderer *r;
  if (notice_renderer_new(FONTS, &r) != ERR_OK) return NULL;
  notice_data n = sample();
  for (int i = 0; i < 10; i++) {
    strbuf sb;
    sb_init(&sb, 0);
    if (notice_render_buffer(r, &n, &sb) == ERR_OK && memcmp(sb.data, "%PDF-", 5) == 0) (*ok)++;
    sb_free(&sb);
  }
  notice_renderer_free(r);
  return NULL;
}

static void test_threads(void **state) {
  (void)state;
  pthread_t t[3];
  int ok[3] = {0, 0, 0};
  for (int i = 0; i < 3; i++) assert_int_equal(pthread_create(&t[i], NULL, worker, &ok[i]), 0);
  for (int i = 0; i < 3; i++) pthread_join(t[i], NULL);
  for (int i = 0; i < 3; i++) assert_int_equal(ok[i], 10);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_validate), cmocka_unit_test(test_amount),  cmocka_unit_test(test_outputs),
      cmocka_unit_test(test_logo),     cmocka_unit_test(test_threads),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
