/* libFuzzer target of forms defined as data: the input is a service
 * document, optionally followed by a line "----" and a submission of
 * name=value lines. A document is parsed (never a crash, every refusal a
 * message with a path); an accepted one is rendered, and the submission is
 * validated against it and the filled form rendered: never a crash, never
 * a leak, nesting of the HTML checked. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "domain/services/services.h"
#include "render/form.h"
#include "render/service_form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
  const char **kv;
  size_t n;
} pairs;

static const char *get(void *ctx, const char *name) {
  pairs *p = ctx;
  for (size_t i = 0; i < p->n; i++)
    if (strcmp(p->kv[2 * i], name) == 0) return p->kv[2 * i + 1];
  return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  arena *a = arena_new();
  char *buf = arena_alloc(a, size + 1);
  memcpy(buf, data, size);
  size_t doc_len = size;
  char *sub = NULL;
  char *sep = memmem(buf, size, "\n----\n", 6);
  if (sep) {
    doc_len = (size_t)(sep - buf);
    sub = sep + 6;
  }
  svc_def def;
  problems pbs = {0};
  err_code rc = svc_def_parse(a, buf, doc_len, &def, &pbs);
  if (rc != ERR_OK && pbs.n == 0) abort();
  for (size_t i = 0; i < pbs.n; i++)
    if (!pbs.items[i].message || !*pbs.items[i].message) abort();
  if (rc == ERR_OK) {
    pairs p = {ARENA_ARRAY(a, const char *, 2 * 256), 0};
    for (char *line = sub; line && *line && p.n < 256;) {
      char *nl = strchr(line, '\n');
      if (nl) *nl = 0;
      char *eq = strchr(line, '=');
      if (eq) {
        *eq = 0;
        p.kv[2 * p.n] = line;
        p.kv[2 * p.n + 1] = eq + 1;
        p.n++;
      }
      line = nl ? nl + 1 : NULL;
    }
    problems vp = {0};
    svc_values out;
    svc_upload up = {"allegato", "a.pdf", "application/pdf", "%PDF-1.4", 8};
    svc_validate(a, &def, get, &p, &up, 1, &out, &vp);
    strbuf sb;
    sb_init(&sb, 8 << 20);
    html h = {.sb = &sb, .a = a};
    form_begin_multipart_errors(&h, "/x", "t", vp.items, vp.n);
    svc_form_fields(&h, &def, get, &p);
    form_end(&h);
    svc_form_summary(&h, &def, get, &p);
    html_finish(&h);
    sb_free(&sb);
  }
  arena_free(a);
  return 0;
}
