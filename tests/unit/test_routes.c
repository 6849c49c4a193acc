/* Walks the route tables: the rules a new route must not be able to
 * forget. Every unsafe route of a session or anonymous form checks CSRF
 * (opting out only where listed here, with the reason), every staff route
 * names its roles, every {ente} route is Ente-scoped, no two routes are
 * the same, and every API route is described in openapi.json. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "soap/soap.h"
#include "web/web.h"

/* Routes allowed to skip CSRF on an unsafe method: callers that do not use
 * cookies and authenticate otherwise. Keep this list short. */
static const char *const csrf_exempt[] = {
    "POST /pagopa/paForNode", /* the pagoPA node: SOAP, no browser */
};

static const route_table *tables[] = {&web_routes, &api_routes, &soap_routes};
enum { NTABLES = sizeof tables / sizeof tables[0] };

static int exempt(const route *r) {
  char key[256];
  snprintf(key, sizeof key, "%s %s", r->method, r->pattern);
  for (size_t i = 0; i < sizeof csrf_exempt / sizeof csrf_exempt[0]; i++)
    if (strcmp(csrf_exempt[i], key) == 0) return 1;
  return 0;
}

/* "/x/{id:id}/y" -> "/x/{id}/y": the OpenAPI spelling. */
static void openapi_path(const char *pattern, char *out, size_t n) {
  size_t o = 0;
  for (const char *p = pattern; *p && o + 1 < n; p++) {
    if (*p == ':') {
      while (*p && *p != '}') p++;
      if (!*p) break;
    }
    out[o++] = *p;
  }
  out[o] = 0;
}

static void test_unsafe_routes_check_csrf(void **state) {
  (void)state;
  int checked = 0;
  for (size_t t = 0; t < NTABLES; t++)
    for (size_t i = 0; i < tables[t]->n; i++) {
      const route *r = &tables[t]->routes[i];
      if (!http_unsafe_method(r->method) || r->auth == AUTH_TOKEN) continue;
      checked++;
      if (!route_needs_csrf(r, r->method) && !exempt(r))
        fail_msg("%s %s does not check the CSRF token", r->method, r->pattern);
    }
  assert_true(checked > 5);
  /* the rule itself: a POST of a form checks, a token route and GET do not */
  route form = POST("/x", NULL), tok = POST("/y", NULL, API_TOKEN), out = POST("/z", NULL, .no_csrf = 1);
  assert_true(route_needs_csrf(&form, "POST"));
  assert_false(route_needs_csrf(&form, "GET"));
  assert_false(route_needs_csrf(&tok, "POST"));
  assert_false(route_needs_csrf(&out, "POST"));
}

static void test_declarations_complete(void **state) {
  (void)state;
  for (size_t t = 0; t < NTABLES; t++)
    for (size_t i = 0; i < tables[t]->n; i++) {
      const route *r = &tables[t]->routes[i];
      if (!r->fn) fail_msg("%s %s has no handler", r->method, r->pattern);
      if (r->pattern[0] != '/') fail_msg("%s: pattern must start with /", r->pattern);
      if (r->auth == AUTH_SESSION && r->roles == 0)
        fail_msg("%s %s: a session route must name its roles", r->method, r->pattern);
      const char *eph = strstr(r->pattern, "{ente}");
      if (eph && r->ente != ENTE_FROM_PATH && r->ente != ENTE_PUBLIC)
        fail_msg("%s %s has {ente} but is not Ente-scoped", r->method, r->pattern);
      if ((r->ente == ENTE_FROM_PATH || r->ente == ENTE_PUBLIC) && (!eph || strchr(r->pattern, '{') != eph))
        fail_msg("%s %s: ENTE_FROM_PATH needs {ente} as the first placeholder", r->method, r->pattern);
      if (r->ente == ENTE_PUBLIC &&
          ((r->auth != AUTH_NONE && r->auth != AUTH_CITIZEN) || strncmp(r->pattern, "/enti/", 6) != 0))
        fail_msg("%s %s: portal pages are anonymous or a citizen's and live under /enti/", r->method,
                 r->pattern);
      if (strncmp(r->pattern, "/api/", 5) == 0 && r->out != OUT_JSON)
        fail_msg("%s %s: API routes answer JSON errors", r->method, r->pattern);
      for (size_t u = 0; u < NTABLES; u++)
        for (size_t j = 0; j < tables[u]->n; j++) {
          const route *o = &tables[u]->routes[j];
          if (o != r && strcmp(o->method, r->method) == 0 && strcmp(o->pattern, r->pattern) == 0)
            fail_msg("%s %s is declared twice", r->method, r->pattern);
        }
    }
}

static void test_api_routes_documented(void **state) {
  (void)state;
  json_error_t jerr;
  json_t *doc = json_load_file(SOURCE_DIR "/src/api/openapi.json", 0, &jerr);
  if (!doc) fail_msg("openapi.json: %s (line %d)", jerr.text, jerr.line);
  json_t *paths = json_object_get(doc, "paths");
  assert_non_null(paths);
  int n = 0;
  for (size_t i = 0; i < api_routes.n; i++) {
    const route *r = &api_routes.routes[i];
    if (strcmp(r->pattern, "/api/v1/openapi.json") == 0) continue;
    char path[256], method[16];
    openapi_path(r->pattern, path, sizeof path);
    size_t k = 0;
    for (; r->method[k] && k + 1 < sizeof method; k++)
      method[k] = (char)(r->method[k] | 0x20); /* lower case */
    method[k] = 0;
    json_t *item = json_object_get(paths, path);
    if (!item || !json_object_get(item, method)) fail_msg("%s %s is not in openapi.json", r->method, path);
    n++;
  }
  assert_true(n > 0);
  /* and nothing documented that does not exist */
  const char *path;
  json_t *item;
  json_object_foreach(paths, path, item) {
    const char *m;
    json_t *op;
    json_object_foreach(item, m, op) {
      if (strcmp(m, "parameters") == 0) continue;
      int found = 0;
      for (size_t i = 0; i < api_routes.n && !found; i++) {
        char p2[256];
        openapi_path(api_routes.routes[i].pattern, p2, sizeof p2);
        found = strcmp(p2, path) == 0 && strcasecmp(api_routes.routes[i].method, m) == 0;
      }
      if (!found) fail_msg("openapi.json documents %s %s, which has no route", m, path);
    }
  }
  json_decref(doc);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_unsafe_routes_check_csrf),
      cmocka_unit_test(test_declarations_complete),
      cmocka_unit_test(test_api_routes_documented),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
