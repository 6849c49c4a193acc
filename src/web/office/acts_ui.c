/* Shared pieces of the debt pages of the office (acts_ui.h). */
#include "web/office/acts_ui.h"

#include <string.h>

#include "core/date.h"
#include "core/money.h"
#include "core/text.h"
#include "domain/pagopa/nav.h"

const char *au_euros(arena *a, int64_t cents) {
  char buf[32];
  money_format_it(cents, buf);
  return arena_printf(a, "%s €", buf);
}

const char *au_date(arena *a, const char *iso) {
  civil_date d;
  if (!iso) return "";
  if (date_parse_iso(iso, &d) != 0) return iso;
  char buf[11];
  date_format_it(d, buf);
  return arena_strdup(a, buf);
}

const char *au_time(arena *a, int64_t t) {
  if (!t) return "";
  char buf[17];
  time_format_rome(t, buf);
  return arena_strdup(a, buf);
}

const char *au_nav(arena *a, const char *nav) {
  if (!nav || strlen(nav) != 18) return nav ? nav : "";
  char buf[NAV_GROUPED_SIZE];
  nav_format_grouped(nav, buf);
  return arena_strdup(a, buf);
}

const char *au_form(request *rq, const char *name) {
  const char *v = rq_form(rq, name);
  if (!v) return NULL;
  char *t = text_trim_dup(rq->a, v);
  return t && *t ? t : NULL;
}

int64_t au_form_euros(request *rq, const char *name) {
  const char *v = au_form(rq, name);
  int64_t c;
  if (!v || strlen(v) > 20 || money_parse(v, &c) != 0 || c <= 0) return -1;
  return c;
}

const char *au_form_date(request *rq, const char *name) {
  const char *v = au_form(rq, name);
  civil_date d;
  if (!v) return NULL;
  return strlen(v) == 10 && date_parse_iso(v, &d) == 0 ? v : "";
}
