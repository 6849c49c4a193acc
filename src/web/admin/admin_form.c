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

/* The items array is allocated on first use, sized for the maximum, so
 * callers keep a zeroed problems on the stack. */
void admin_problem(request *rq, problems *pbs, err_code code, const char *field, const char *message) {
  if (!pbs->items) pbs->items = ARENA_ARRAY(rq->a, problem, ADMIN_MAX_PROBLEMS);
  if (pbs->n >= ADMIN_MAX_PROBLEMS) return;
  pbs->items[pbs->n++] = (problem){code, field, message};
}

void admin_domain_problem(request *rq, problems *pbs, err_code e, const problem *pb) {
  admin_problem(rq, pbs, e, pb->field, pb->message ? pb->message : err_message_it(e));
}

const char *admin_error_for(const problems *pbs, const char *field) {
  for (size_t i = 0; pbs && i < pbs->n; i++)
    if (pbs->items[i].field && strcmp(pbs->items[i].field, field) == 0) return pbs->items[i].message;
  return NULL;
}

int admin_form_status(err_code e) { return e == ERR_CONFLICT ? 409 : 422; }
