/* The widgets: nesting check of the writer, Italian numbers, tables,
 * definition rows, pager, notices, breadcrumb, the binding of field errors
 * to a form, code labels. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "render/form.h"
#include "render/html.h"
#include "render/labels.h"
#include "render/link.h"
#include "render/widget.h"

typedef struct {
  arena *a;
  strbuf sb;
  html h;
} fx;

static int setup(void **state) {
  fx *f = calloc(1, sizeof *f);
  f->a = arena_new();
  sb_init(&f->sb, 0);
  f->h = (html){.sb = &f->sb, .a = f->a};
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fx *f = *state;
  sb_free(&f->sb);
  arena_free(f->a);
  free(f);
  return 0;
}

static const char *out(fx *f) { return sb_str(&f->sb); }

/* ---- nesting check ---- */
static const char *href(arena *a, const void *ctx, int page) {
  return arena_printf(a, "/l?q=%s&pagina=%d", (const char *)ctx, page);
}

static int faults;
static char fault_expected[32], fault_got[32];
static void record_fault(const char *expected, const char *got) {
  faults++;
  snprintf(fault_expected, sizeof fault_expected, "%s", expected ? expected : "-");
  snprintf(fault_got, sizeof fault_got, "%s", got ? got : "-");
}

static void test_nesting_mismatch_detected(void **state) {
  fx *f = *state;
  if (!html_nesting_checked()) skip();
  void (*saved)(const char *, const char *) = html_nesting_fault;
  html_nesting_fault = record_fault;
  faults = 0;
  html_open(&f->h, "div");
  html_open(&f->h, "p");
  html_close(&f->h, "p");
  html_close(&f->h, "div");
  html_finish(&f->h);
  assert_int_equal(faults, 0);
  html_open(&f->h, "div");
  html_open(&f->h, "span");
  html_close(&f->h, "div"); /* </div> while <span> is open */
  assert_int_equal(faults, 1);
  assert_string_equal(fault_expected, "span");
  assert_string_equal(fault_got, "div");
  faults = 0;
  html_close(&f->h, "span");
  html_finish(&f->h); /* <div> still open */
  assert_int_equal(faults, 1);
  assert_string_equal(fault_expected, "div");
  html_nesting_fault = saved;
}

static void test_nesting_widgets_balanced(void **state) {
  fx *f = *state;
  if (!html_nesting_checked()) skip();
  void (*saved)(const char *, const char *) = html_nesting_fault;
  html_nesting_fault = record_fault;
  faults = 0;
  static const char *const cols[] = {"A", "B"};
  table_begin(&f->h, "T", 1, cols, 2);
  table_row_begin(&f->h);
  table_cell_link(&f->h, "x", "/x", 1);
  table_cell_num(&f->h, 5);
  table_row_end(&f->h);
  table_end(&f->h);
  crumb c[] = {{"Home", "/"}, {"Qui", NULL}};
  breadcrumb(&f->h, c, 2);
  pager_info pi = {.page = 2, .page_size = 10, .total = 95, .noun_one = "x", .noun_many = "x",
                   .href = href, .ctx = ""};
  pager_summary(&f->h, &pi);
  pager(&f->h, &pi);
  html_finish(&f->h);
  assert_int_equal(faults, 0);
  html_nesting_fault = saved;
}

/* ---- numbers ---- */
static void test_num_it(void **state) {
  fx *f = *state;
  assert_string_equal(num_it(f->a, 0), "0");
  assert_string_equal(num_it(f->a, 999), "999");
  assert_string_equal(num_it(f->a, 1000), "1.000");
  assert_string_equal(num_it(f->a, 1234567), "1.234.567");
  assert_string_equal(num_it(f->a, -1234), "-1.234");
  assert_string_equal(num_it(f->a, INT64_MIN), "-9.223.372.036.854.775.808");
  assert_string_equal(date_it(f->a, "1980-03-12"), "12/03/1980");
  assert_string_equal(date_it(f->a, "12/03/1980"), "12/03/1980");
}

/* ---- table, definition rows, button ---- */
static void test_table(void **state) {
  fx *f = *state;
  static const char *const cols[] = {"Nome", "Numero <n>"};
  table_begin(&f->h, "Elenco", 0, cols, 2);
  table_row_begin(&f->h);
  table_cell_link(&f->h, "Rossi & C", "/a?b=1&c=2", 1);
  table_cell_num(&f->h, 12345);
  table_cell(&f->h, NULL);
  table_row_end(&f->h);
  table_end(&f->h);
  const char *s = out(f);
  assert_non_null(strstr(s, "<div class=\"table-responsive\" role=\"region\" aria-label=\"Elenco\" "
                            "tabindex=\"0\"><table class=\"table\">"));
  assert_non_null(strstr(s, "<caption class=\"visually-hidden\">Elenco</caption>"));
  assert_non_null(strstr(s, "<th scope=\"col\">Numero &lt;n&gt;</th>"));
  assert_non_null(strstr(s, "<th scope=\"row\"><a href=\"/a?b=1&amp;c=2\">Rossi &amp; C</a></th>"));
  assert_non_null(strstr(s, ">12.345</td>"));
  assert_non_null(strstr(s, "<td></td>"));
  assert_non_null(strstr(s, "</tbody></table></div>"));
}

static void test_dl_rows_and_button(void **state) {
  fx *f = *state;
  dl_begin(&f->h);
  dl_row(&f->h, "Vuoto", NULL, NULL);
  dl_row(&f->h, "Vuoto", "", NULL);
  dl_row(&f->h, "Trattino", NULL, "-");
  dl_row(&f->h, "Nome", "<b>", NULL);
  dl_end(&f->h);
  button_link(&f->h, "Modifica", "/m", BTN_SECONDARY);
  const char *s = out(f);
  assert_null(strstr(s, "Vuoto"));
  assert_non_null(strstr(s, "<dt class=\"col-sm-4\">Trattino</dt><dd class=\"col-sm-8\">-</dd>"));
  assert_non_null(strstr(s, "<dd class=\"col-sm-8\">&lt;b&gt;</dd>"));
  assert_non_null(strstr(s, "<a href=\"/m\" class=\"btn btn-outline-primary\">Modifica</a>"));
}

/* ---- pager ---- */

static void test_pager_pages(void **state) {
  (void)state;
  assert_int_equal(pager_pages(0, 25), 1);
  assert_int_equal(pager_pages(25, 25), 1);
  assert_int_equal(pager_pages(26, 25), 2);
  assert_int_equal(pager_pages(60, 25), 3);
}

static void test_pager_middle(void **state) {
  fx *f = *state;
  pager_info p = {.page = 2, .page_size = 25, .total = 1060, .href = href, .ctx = "r",
                  .noun_one = "contribuente", .noun_many = "contribuenti"};
  pager_summary(&f->h, &p);
  assert_non_null(strstr(out(f), "1.060 contribuenti · pagina 2 di 43"));
  sb_reset(&f->sb);
  pager(&f->h, &p);
  const char *s = out(f);
  assert_non_null(strstr(s, "<nav class=\"pagination-wrapper\" aria-label=\"Paginazione\">"));
  assert_non_null(strstr(s, "href=\"/l?q=r&amp;pagina=1\">Precedente</a>"));
  assert_non_null(strstr(s, "href=\"/l?q=r&amp;pagina=3\">Successiva</a>"));
  /* the current page is marked, once */
  const char *cur = strstr(s, "aria-current=\"page\"");
  assert_non_null(cur);
  assert_null(strstr(cur + 1, "aria-current"));
  assert_non_null(strstr(s, "href=\"/l?q=r&amp;pagina=2\" aria-current=\"page\">"
                            "<span class=\"visually-hidden\">Pagina </span>2</a>"));
  /* first, last, the neighbours, and a gap between 4 and 43 */
  assert_non_null(strstr(s, "pagina=4\""));
  assert_null(strstr(s, "pagina=5\""));
  assert_non_null(strstr(s, "pagina=43\""));
  assert_non_null(strstr(s, "…"));
}

static void test_pager_single_page(void **state) {
  fx *f = *state;
  pager_info p = {.page = 1, .page_size = 25, .total = 1, .href = href, .ctx = "",
                  .noun_one = "contribuente", .noun_many = "contribuenti"};
  pager_summary(&f->h, &p);
  pager(&f->h, &p);
  assert_string_equal(out(f), "<p role=\"status\" class=\"sp-count\">1 contribuente</p>");
}

/* ---- notices and breadcrumb ---- */
static void test_saved_notice(void **state) {
  fx *f = *state;
  static const saved_notice t[] = {{"ente", "Ente creato."}};
  assert_string_equal(saved_notice_for(t, 1, "ente"), "Ente creato.");
  assert_null(saved_notice_for(t, 1, "<script>"));
  assert_null(saved_notice_for(t, 1, NULL));
  notice_success(&f->h, "Salvato.");
  notice_success(&f->h, NULL);
  assert_string_equal(out(f), "<div class=\"alert alert-success\" role=\"status\">Salvato.</div>");
}

static void test_breadcrumb(void **state) {
  fx *f = *state;
  crumb c[] = {{"Home", "/"}, {"Rossi & figli", "/r?a=1&b=2"}, {"Modifica", NULL}};
  breadcrumb(&f->h, c, 3);
  const char *s = out(f);
  assert_non_null(strstr(s, "<nav class=\"breadcrumb-container\" aria-label=\"Percorso di navigazione\">"));
  assert_non_null(strstr(s, "<a href=\"/r?a=1&amp;b=2\">Rossi &amp; figli</a>"));
  assert_non_null(strstr(s, "<li class=\"breadcrumb-item active\" aria-current=\"page\">Modifica</li>"));
  sb_reset(&f->sb);
  breadcrumb(&f->h, c, 1);
  assert_string_equal(out(f), "");
}

/* ---- field errors bound to a form ---- */
static void test_form_error_binding(void **state) {
  fx *f = *state;
  problem errs[] = {{ERR_INVALID, "surname", "Manca il cognome."},
                    {ERR_INVALID, "address_0_city", "Comune <mancante>."},
                    {ERR_INVALID, NULL, "Errore generale."}};
  form_begin_errors(&f->h, "/salva", "tok", errs, 3);
  form_field fs = {.name = "surname", .label = "Cognome"};
  form_input(&f->h, &fs);
  form_field fc = {.name = "address_0_city", .label = "Comune"};
  form_input(&f->h, &fc);
  form_field fg = {.name = "given_name", .label = "Nome"};
  form_input(&f->h, &fg);
  form_end(&f->h);
  const char *s = out(f);
  /* the summary comes first and links every field error to its field */
  const char *summary = strstr(s, "id=\"errori-modulo\"");
  const char *form = strstr(s, "<form");
  assert_true(summary && form && summary < form);
  assert_non_null(strstr(s, "<a href=\"#f-surname\">Manca il cognome.</a>"));
  assert_non_null(strstr(s, "<a href=\"#f-address_0_city\">Comune &lt;mancante&gt;.</a>"));
  assert_non_null(strstr(s, "<li>Errore generale.</li>"));
  /* each field shows its own message */
  assert_non_null(strstr(s, "id=\"f-surname\" name=\"surname\" value=\"\" class=\"form-control is-invalid\" "
                            "aria-invalid=\"true\" aria-describedby=\"f-surname-error\""));
  assert_non_null(strstr(s, "<div id=\"f-surname-error\" class=\"invalid-feedback d-block\">Manca il cognome.</div>"));
  assert_non_null(strstr(s, "aria-describedby=\"f-address_0_city-error\""));
  const char *given = strstr(s, "id=\"f-given_name\"");
  assert_non_null(given);
  assert_null(strstr(given, "aria-invalid"));
  /* the binding ends with the form */
  sb_reset(&f->sb);
  form_input(&f->h, &fs);
  assert_null(strstr(out(f), "aria-invalid"));
}

static void test_form_actions(void **state) {
  fx *f = *state;
  form_actions(&f->h, "Salva", "/indietro");
  assert_non_null(strstr(out(f), "<a href=\"/indietro\" class=\"btn btn-outline-secondary\">Annulla</a>"));
}

/* ---- labels and links ---- */
static void test_code_labels(void **state) {
  (void)state;
  assert_string_equal(code_label(&LABELS_ADDRESS_KIND, "sede_legale"), "Sede legale");
  assert_string_equal(code_label(&LABELS_CHANNEL, "pec"), "PEC");
  assert_string_equal(code_label(&LABELS_SOURCE, "api"), "Servizio applicativo (API)");
  assert_string_equal(code_label(&LABELS_CHANNEL, "fax"), "fax");
  assert_string_equal(code_label(&LABELS_CHANNEL, NULL), "");
}

static void test_mailto(void **state) {
  fx *f = *state;
  assert_string_equal(url_mailto(f->a, "accessibilita@comune.it"), "mailto:accessibilita@comune.it");
  assert_string_equal(url_mailto(f->a, "a@b.it?cc=x@y.it"), "mailto:a@b.it%3Fcc%3Dx%40y.it");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_nesting_mismatch_detected, setup, teardown),
      cmocka_unit_test_setup_teardown(test_nesting_widgets_balanced, setup, teardown),
      cmocka_unit_test_setup_teardown(test_num_it, setup, teardown),
      cmocka_unit_test_setup_teardown(test_table, setup, teardown),
      cmocka_unit_test_setup_teardown(test_dl_rows_and_button, setup, teardown),
      cmocka_unit_test_setup_teardown(test_pager_pages, setup, teardown),
      cmocka_unit_test_setup_teardown(test_pager_middle, setup, teardown),
      cmocka_unit_test_setup_teardown(test_pager_single_page, setup, teardown),
      cmocka_unit_test_setup_teardown(test_saved_notice, setup, teardown),
      cmocka_unit_test_setup_teardown(test_breadcrumb, setup, teardown),
      cmocka_unit_test_setup_teardown(test_form_error_binding, setup, teardown),
      cmocka_unit_test_setup_teardown(test_form_actions, setup, teardown),
      cmocka_unit_test_setup_teardown(test_code_labels, setup, teardown),
      cmocka_unit_test_setup_teardown(test_mailto, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
