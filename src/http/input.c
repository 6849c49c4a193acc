/* The one check of text input, before any handler runs: every decoded
 * query and form value (and name) and every string of a JSON body must be
 * well-formed UTF-8 without control characters (text_check). A failure is
 * answered 422 naming the field: a JSON problem for the API, an error page
 * otherwise. Handlers, stores and audit rows therefore only ever see text
 * both backends accept and jansson can serialise. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "core/strbuf.h"
#include "core/text.h"
#include "http/http_internal.h"

/* Fields that come from a <textarea> and may hold tab, LF and CR: the
 * name, or the last part of a JSON path, is one of these. */
static const char *const multiline_fields[] = {"note", "notes", "description", "message", "text",
                                                "definition"};

static int is_multiline(const char *name) {
  if (!name) return 0;
  const char *dot = strrchr(name, '.');
  if (dot) name = dot + 1;
  for (size_t i = 0; i < sizeof multiline_fields / sizeof multiline_fields[0]; i++)
    if (strcmp(name, multiline_fields[i]) == 0) return 1;
  return 0;
}

typedef struct {
  const char *field; /* NULL: all good */
  text_fault fault;
} bad_input;

static int check_one(bad_input *b, arena *a, const char *field, const char *s, size_t n, int multiline) {
  text_fault f = text_check(s, n, multiline);
  if (f == TEXT_OK) return 0;
  b->field = arena_strdup(a, field);
  b->fault = f;
  return 1;
}

/* A name that is itself not text cannot be shown back: it gets a stand-in. */
static const char *shown_name(const char *name) {
  return text_check(name, strlen(name), 0) == TEXT_OK ? name : "(nome di campo non valido)";
}

static int check_list(bad_input *b, arena *a, const kv_list *l) {
  for (size_t i = 0; i < l->n; i++) {
    const char *k = l->items[i].key, *v = l->items[i].value;
    const char *name = shown_name(k);
    if (check_one(b, a, name, k, strlen(k), 0)) return 1;
    if (check_one(b, a, name, v, strlen(v), is_multiline(k))) return 1;
  }
  return 0;
}

/* Walks a JSON value; path is the field name the API uses in its problems
 * ("surname", "addresses[0].street"). */
static int check_json(bad_input *b, arena *a, json_t *j, const char *path) {
  if (json_is_string(j))
    return check_one(b, a, path ? path : "", json_string_value(j), json_string_length(j), is_multiline(path));
  if (json_is_array(j)) {
    size_t i;
    json_t *v;
    json_array_foreach(j, i, v) {
      if (check_json(b, a, v, arena_printf(a, "%s[%zu]", path ? path : "", i))) return 1;
    }
    return 0;
  }
  if (json_is_object(j)) {
    const char *k;
    json_t *v;
    json_object_foreach(j, k, v) {
      const char *name = shown_name(k);
      const char *p = path ? arena_printf(a, "%s.%s", path, name) : name;
      if (check_one(b, a, p, k, strlen(k), 0) || check_json(b, a, v, p)) return 1;
    }
  }
  return 0;
}

/* A copy of the body where each byte outside a well-formed UTF-8 sequence
 * is replaced by DEL, which JSON accepts inside a string and text_check
 * refuses: parsing it again finds the field that held the bad bytes. */
static char *mark_bad_bytes(arena *a, const char *s, size_t n) {
  char *out = arena_alloc(a, n + 1);
  memcpy(out, s, n);
  out[n] = 0;
  for (size_t i = 0; i < n;) {
    size_t len = 1;
    while (len <= 4 && i + len <= n && text_check(out + i, len, 1) == TEXT_BAD_UTF8) len++;
    if (len > 4 || i + len > n) {
      out[i++] = 0x7F; /* no sequence starts here */
      continue;
    }
    i += len;
  }
  return out;
}

static int check_json_body(bad_input *b, request *rq) {
  json_error_t err;
  json_t *root = json_loadb(rq->body, rq->body_len, 0, &err);
  int found = 0;
  if (root) {
    found = check_json(b, rq->a, root, NULL);
  } else if (json_error_code(&err) == json_error_invalid_utf8) {
    root = json_loadb(mark_bad_bytes(rq->a, rq->body, rq->body_len), rq->body_len, 0, &err);
    if (root && (found = check_json(b, rq->a, root, NULL))) b->fault = TEXT_BAD_UTF8;
  }
  /* anything else malformed is the handler's to report */
  json_decref(root);
  return found;
}

static const char *fault_message(arena *a, const bad_input *b) {
  if (b->fault == TEXT_BAD_UTF8)
    return arena_printf(a,
                        "Il campo \"%s\" contiene caratteri non validi: il testo deve essere "
                        "codificato in UTF-8.",
                        b->field);
  return arena_printf(a,
                      "Il campo \"%s\" contiene caratteri di controllo non ammessi (ad esempio un "
                      "a capo in un campo di una sola riga).",
                      b->field);
}

int http_check_input(request *rq, response *rs, out_kind out) {
  bad_input b = {0};
  int found = check_list(&b, rq->a, &rq->query) || check_list(&b, rq->a, &rq->form);
  /* API handlers read the body as JSON whatever its declared type */
  if (!found && rq->body_len &&
      (out == OUT_JSON || (rq->content_type && strncmp(rq->content_type, "application/json", 16) == 0)))
    found = check_json_body(&b, rq);
  if (!found) return 0;
  rs_invalid_field(rq, rs, out, b.field, fault_message(rq->a, &b));
  return -1;
}
