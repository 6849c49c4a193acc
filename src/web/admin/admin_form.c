#include "web/admin/admin_form.h"
#include <string.h>

const char *admin_field(request *rq, const char *name) {
  const char *v = rq_form(rq, name);
  return v && *v ? v : NULL;
}

int64_t admin_field_id(request *rq, const char *name) {
  const char *s = admin_field(rq, name);
  if (!s || strlen(s) > 18) return 0;
  int64_t v = 0;
  for (; *s; s++) {
    if (*s < '0' || *s > '9') return 0;
    v = v * 10 + (*s - '0');
  }
  return v;
}

void admin_problem(request *rq, problems *pbs, err_code code, const char *field, const char *message) {
  problems_add(rq->a, pbs, code, field, message);
}

const char *admin_error_for(const problems *pbs, const char *field) { return problems_for(pbs, field); }

int admin_form_status(err_code e) { return err_http_status(e) == 409 ? 409 : 422; }

static int has_id(const int64_t *ids, size_t n, int64_t id) {
  for (size_t i = 0; i < n; i++)
    if (ids[i] == id) return 1;
  return 0;
}

void admin_ente_boxes(request *rq, html *h, const ente *all, size_t n, const int64_t *checked,
                      size_t n_checked, const char *legend, const char *hint, const problems *pbs) {
  const char *err = admin_error_for(pbs, "ente_ids");
  html_open(h, "fieldset", HA("class", "mb-4"), HA("id", "f-ente_ids"),
            HA("aria-describedby", err ? "f-ente_ids-hint f-ente_ids-error" : "f-ente_ids-hint"));
  html_elem(h, "legend", legend, HA("class", "h6"));
  html_elem(h, "small", hint, HA("id", "f-ente_ids-hint"), HA("class", "form-text d-block mb-2"));
  if (n == 0) html_elem(h, "p", "Nessun Ente configurato.");
  for (size_t i = 0; i < n; i++)
    form_checkbox(h, arena_printf(rq->a, "ente_%lld", (long long)all[i].id), all[i].name,
                  has_id(checked, n_checked, all[i].id));
  if (err) html_elem(h, "div", err, HA("id", "f-ente_ids-error"), HA("class", "invalid-feedback d-block"));
  html_close(h, "fieldset");
}

size_t admin_posted_entes(request *rq, const ente *all, size_t n, int64_t *out) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (admin_field(rq, arena_printf(rq->a, "ente_%lld", (long long)all[i].id))) out[k++] = all[i].id;
  return k;
}
