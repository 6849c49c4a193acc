/* multipart/form-data bodies (RFC 7578): the text parts go to rq->form
 * like an urlencoded body, so the CSRF and input checks see them; file
 * parts (those with a filename) go to rq->files with their bytes. Only
 * the file's base name is kept; what the browser says its type is, is
 * kept but never trusted (services sniff the content). */

#include <string.h>
#include <strings.h>

#include "core/text.h"
#include "http/http.h"

enum { MP_MAX_NAME = 200 };

/* The value of parameter key (boundary, name, filename) in a header value;
 * NULL when absent. Quoted values may not contain quotes. */
static char *param(arena *a, const char *s, size_t len, const char *key) {
  size_t kl = strlen(key);
  for (size_t i = 0; i + kl + 1 < len; i++) {
    if ((i == 0 || s[i - 1] == ';' || s[i - 1] == ' ') && strncasecmp(s + i, key, kl) == 0 &&
        s[i + kl] == '=') {
      const char *v = s + i + kl + 1, *end = s + len;
      if (v < end && *v == '"') {
        const char *q = memchr(v + 1, '"', (size_t)(end - v - 1));
        if (!q) return NULL;
        return arena_strndup(a, v + 1, (size_t)(q - v - 1));
      }
      const char *e = v;
      while (e < end && *e != ';' && *e != ' ' && *e != '\r') e++;
      return arena_strndup(a, v, (size_t)(e - v));
    }
  }
  return NULL;
}

static const char *base_name(arena *a, const char *fn) {
  const char *b = fn;
  for (const char *p = fn; *p; p++)
    if (*p == '/' || *p == '\\') b = p + 1;
  if (!*b || strlen(b) > MP_MAX_NAME || text_check(b, strlen(b), 0) != TEXT_OK) return "allegato";
  return arena_strdup(a, b);
}

int parse_multipart(arena *a, const char *content_type, const char *body, size_t len,
                    kv_list *form, upload_list *files, size_t max_parts) {
  const char *boundary = param(a, content_type, strlen(content_type), "boundary");
  if (!boundary || !*boundary || strlen(boundary) > 70) return -1;
  const char *delim = arena_printf(a, "--%s", boundary);
  size_t dl = strlen(delim);
  const char *end = body + len;
  const char *p = memmem(body, len, delim, dl);
  if (!p) return -1;
  form->items = ARENA_ARRAY(a, kv, max_parts);
  form->n = 0;
  files->items = ARENA_ARRAY(a, http_upload, max_parts);
  files->n = 0;
  for (;;) {
    p += dl;
    if (end - p >= 2 && p[0] == '-' && p[1] == '-') return 0; /* closing delimiter */
    if (end - p < 2 || p[0] != '\r' || p[1] != '\n') return -1;
    p += 2;
    const char *hend = memmem(p, (size_t)(end - p), "\r\n\r\n", 4);
    if (!hend) return -1;
    /* the headers: Content-Disposition and Content-Type */
    char *name = NULL, *filename = NULL, *ctype = NULL;
    int has_filename = 0;
    for (const char *h = p; h < hend;) {
      const char *eol = memmem(h, (size_t)(hend - h), "\r\n", 2);
      if (!eol) eol = hend;
      size_t hl = (size_t)(eol - h);
      if (hl > 20 && strncasecmp(h, "Content-Disposition:", 20) == 0) {
        name = param(a, h + 20, hl - 20, "name");
        filename = param(a, h + 20, hl - 20, "filename");
        has_filename = filename != NULL;
      } else if (hl > 13 && strncasecmp(h, "Content-Type:", 13) == 0) {
        const char *v = h + 13;
        while (v < eol && *v == ' ') v++;
        ctype = arena_strndup(a, v, (size_t)(eol - v));
      }
      h = eol + 2;
    }
    const char *data = hend + 4;
    const char *next = NULL;
    for (const char *q = data; q < end;) {
      const char *m = memmem(q, (size_t)(end - q), "\r\n", 2);
      if (!m) break;
      if ((size_t)(end - m - 2) >= dl && memcmp(m + 2, delim, dl) == 0) {
        next = m;
        break;
      }
      q = m + 1;
    }
    if (!next || !name) return -1;
    if (form->n + files->n >= max_parts) return -1;
    size_t n = (size_t)(next - data);
    char *copy = arena_alloc(a, n + 1);
    memcpy(copy, data, n);
    if (has_filename) {
      files->items[files->n++] =
          (http_upload){name, *filename ? base_name(a, filename) : "", ctype, copy, n};
    } else {
      form->items[form->n++] = (kv){name, copy};
    }
    p = next + 2;
  }
}

const http_upload *rq_file(const request *rq, const char *name) {
  for (size_t i = 0; i < rq->files.n; i++)
    if (strcmp(rq->files.items[i].name, name) == 0) return &rq->files.items[i];
  return NULL;
}
