#include "web/office/cases_ui.h"

#include <string.h>

#include "core/date.h"

case_actor cu_actor(request *rq) { return (case_actor){rq->who, rq->user}; }

const char *cu_date_it(arena *a, const char *iso) {
  civil_date d;
  if (!iso || date_parse_iso(iso, &d) != 0) return iso ? iso : "";
  char buf[11];
  date_format_it(d, buf);
  return arena_strdup(a, buf);
}

const char *cu_time(arena *a, int64_t t) {
  if (!t) return "";
  char buf[17];
  time_format_rome(t, buf);
  return arena_strdup(a, buf);
}

void cu_state_badge(html *h, case_state s) {
  const char *cls = s == CASE_NEW           ? "badge bg-primary"
                    : s == CASE_WAITING     ? "badge bg-warning text-dark"
                    : s == CASE_CLOSED      ? "badge bg-secondary"
                    : s == CASE_IN_PROGRESS ? "badge bg-success"
                                            : "badge bg-info text-dark";
  html_elem(h, "span", case_state_label(s), HA("class", cls));
}

void cu_priority_badge(html *h, const char *priority) {
  if (priority && strcmp(priority, "urgent") == 0)
    html_elem(h, "span", "Urgente", HA("class", "badge bg-danger"));
}

const char *cu_form(request *rq, const char *name) {
  const char *v = rq_form(rq, name);
  return v && *v ? v : NULL;
}

const char *cu_query_date(request *rq, const char *name) {
  const char *v = rq_query(rq, name);
  civil_date d;
  return v && date_parse_iso(v, &d) == 0 ? v : NULL;
}

void cu_row(html *h, const char *label, const char *value) {
  if (!value || !*value) return;
  html_elem(h, "dt", label, HA("class", "col-sm-4"));
  html_elem(h, "dd", value, HA("class", "col-sm-8"));
}

form_option *cu_category_options(request *rq, const char *all_label, size_t *n) {
  case_category *cats;
  size_t k = 0;
  if (cases_categories(rq->db, rq->a, rq->ente->id, &cats, &k) != ERR_OK) k = 0;
  form_option *o = ARENA_ARRAY(rq->a, form_option, k + 1);
  size_t m = 0;
  if (all_label) o[m++] = (form_option){"", all_label};
  for (size_t i = 0; i < k; i++)
    if (cats[i].active) o[m++] = (form_option){cats[i].code, cats[i].name};
  *n = m;
  return o;
}

void cu_textarea(html *h, const char *name, const char *label, const char *value, int rows,
                 int required, const char *error) {
  const char *id = arena_printf(h->a, "f-%s", name);
  const char *err_id = error ? arena_printf(h->a, "f-%s-error", name) : NULL;
  html_open(h, "div", HA("class", "form-group"));
  html_open(h, "label", HA("for", id), HA("class", "active"));
  html_text(h, label);
  if (required) html_lit(h, " <span aria-hidden=\"true\">*</span>");
  html_close(h, "label");
  html_open(h, "textarea", HA("id", id), HA("name", name),
            HA("class", error ? "form-control is-invalid" : "form-control"),
            HA("rows", arena_printf(h->a, "%d", rows)), HA("maxlength", "20000"),
            HBOOL("required", required), HA("aria-invalid", error ? "true" : NULL),
            HA("aria-describedby", err_id));
  html_text(h, value ? value : "");
  html_close(h, "textarea");
  if (error) html_elem(h, "div", error, HA("id", err_id), HA("class", "invalid-feedback d-block"));
  html_close(h, "div");
}
