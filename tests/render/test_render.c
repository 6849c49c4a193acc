/* The HTML writer escapes every value, the link builders encode every
 * segment, and the form widgets carry CSRF and accessible errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "render/form.h"
#include "render/html.h"
#include "render/link.h"

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

static void test_text_escaped(void **state) {
  fx *f = *state;
  html_text(&f->h, "<script>alert('x')</script> & \"q\"");
  assert_string_equal(sb_str(&f->sb),
                      "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
}

static void test_attributes_escaped_and_optional(void **state) {
  fx *f = *state;
  html_open(&f->h, "a", HA("href", "/x?a=1&b=\"2\""), HA("title", NULL), HBOOL("hidden", 1),
            HBOOL("disabled", 0));
  html_text(&f->h, "t");
  html_close(&f->h, "a");
  assert_string_equal(sb_str(&f->sb), "<a href=\"/x?a=1&amp;b=&quot;2&quot;\" hidden>t</a>");
}

static void test_empty_value_attribute_kept(void **state) {
  fx *f = *state;
  html_void(&f->h, "input", HA("name", "q"), HA("value", ""));
  assert_string_equal(sb_str(&f->sb), "<input name=\"q\" value=\"\">");
}

static void test_textf(void **state) {
  fx *f = *state;
  html_textf(&f->h, "%s=%d", "<b>", 5);
  assert_string_equal(sb_str(&f->sb), "&lt;b&gt;=5");
}

static void test_url_encode(void **state) {
  fx *f = *state;
  assert_string_equal(url_encode(f->a, "a b/c?d&e=é"), "a%20b%2Fc%3Fd%26e%3D%C3%A9");
  assert_string_equal(url_encode(f->a, "Az09-._~"), "Az09-._~");
  assert_string_equal(url_encode(f->a, ""), "");
}

static void test_links(void **state) {
  fx *f = *state;
  assert_string_equal(url_taxpayer(f->a, "borgo", 42), "/ufficio/borgo/contribuenti/42");
  assert_string_equal(url_taxpayer_edit(f->a, "borgo", 7), "/ufficio/borgo/contribuenti/7/modifica");
  assert_string_equal(url_taxpayers(f->a, "borgo", "rossi m", 2),
                      "/ufficio/borgo/contribuenti?q=rossi%20m&pagina=2");
  assert_string_equal(url_taxpayers(f->a, "borgo", NULL, 1), "/ufficio/borgo/contribuenti");
  /* a hostile slug cannot break out of its path segment */
  assert_string_equal(url_office(f->a, "../x\"y"), "/ufficio/..%2Fx%22y");
}

static void test_form_field_error(void **state) {
  fx *f = *state;
  form_field ff = {.name = "fiscal_code", .label = "Codice fiscale", .value = "<x>",
                   .error = "Non valido.", .required = 1};
  form_input(&f->h, &ff);
  const char *out = sb_str(&f->sb);
  assert_non_null(strstr(out, "<label for=\"f-fiscal_code\""));
  assert_non_null(strstr(out, "id=\"f-fiscal_code\""));
  assert_non_null(strstr(out, "value=\"&lt;x&gt;\""));
  assert_non_null(strstr(out, "aria-invalid=\"true\""));
  assert_non_null(strstr(out, "aria-describedby=\"f-fiscal_code-error\""));
  assert_non_null(strstr(out, "id=\"f-fiscal_code-error\""));
  assert_non_null(strstr(out, "Non valido."));
}

static void test_form_carries_csrf(void **state) {
  fx *f = *state;
  form_begin(&f->h, "/accedi", "tok\"en");
  form_end(&f->h);
  const char *out = sb_str(&f->sb);
  assert_non_null(strstr(out, "method=\"post\""));
  assert_non_null(strstr(out, "<input type=\"hidden\" name=\"_csrf\" value=\"tok&quot;en\">"));
}

static void test_error_summary_links_fields(void **state) {
  fx *f = *state;
  problem p[2] = {{ERR_INVALID, "email", "E-mail <non> valida."}, {ERR_INVALID, NULL, "Altro."}};
  form_error_summary(&f->h, p, 2);
  const char *out = sb_str(&f->sb);
  assert_non_null(strstr(out, "href=\"#f-email\""));
  assert_non_null(strstr(out, "E-mail &lt;non&gt; valida."));
  assert_non_null(strstr(out, "role=\"alert\""));
  sb_reset(&f->sb);
  form_error_summary(&f->h, p, 0);
  assert_string_equal(sb_str(&f->sb), "");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_text_escaped, setup, teardown),
      cmocka_unit_test_setup_teardown(test_attributes_escaped_and_optional, setup, teardown),
      cmocka_unit_test_setup_teardown(test_empty_value_attribute_kept, setup, teardown),
      cmocka_unit_test_setup_teardown(test_textf, setup, teardown),
      cmocka_unit_test_setup_teardown(test_url_encode, setup, teardown),
      cmocka_unit_test_setup_teardown(test_links, setup, teardown),
      cmocka_unit_test_setup_teardown(test_form_field_error, setup, teardown),
      cmocka_unit_test_setup_teardown(test_form_carries_csrf, setup, teardown),
      cmocka_unit_test_setup_teardown(test_error_summary_links_fields, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
