/* Links of the debt pages of the office (declared in link.h). */
#include <stdio.h>

#include "render/link.h"

static const char *base(arena *a, const char *ente_slug, const char *what) {
  return arena_printf(a, "/ufficio/%s/%s", url_encode(a, ente_slug), what);
}

const char *url_acts(arena *a, const char *ente_slug, const char *q, int year) {
  const char *p = base(a, ente_slug, "posizioni");
  if (q && *q && year > 0) return arena_printf(a, "%s?q=%s&anno=%d", p, url_encode(a, q), year);
  if (q && *q) return arena_printf(a, "%s?q=%s", p, url_encode(a, q));
  if (year > 0) return arena_printf(a, "%s?anno=%d", p, year);
  return p;
}

const char *url_act(arena *a, const char *ente_slug, int64_t id, const char *saved) {
  const char *p = arena_printf(a, "%s/%lld", base(a, ente_slug, "posizioni"), (long long)id);
  return saved && *saved ? arena_printf(a, "%s?salvato=%s", p, url_encode(a, saved)) : p;
}

const char *url_act_action_(arena *a, const char *ente_slug, int64_t id, const char *action) {
  return arena_printf(a, "%s/%s", url_act(a, ente_slug, id, NULL), action);
}

const char *url_act_notice(arena *a, const char *ente_slug, int64_t id, int64_t option_id) {
  return arena_printf(a, "%s/avviso/%lld", url_act(a, ente_slug, id, NULL), (long long)option_id);
}

const char *url_receipts_review(arena *a, const char *ente_slug, const char *saved) {
  const char *p = base(a, ente_slug, "ricevute-da-verificare");
  return saved && *saved ? arena_printf(a, "%s?salvato=%s", p, url_encode(a, saved)) : p;
}

const char *url_receipt_action_(arena *a, const char *ente_slug, int64_t id, const char *action) {
  return arena_printf(a, "%s/%lld/%s", base(a, ente_slug, "ricevute-da-verificare"), (long long)id, action);
}

const char *url_reconciliation(arena *a, const char *ente_slug) {
  return base(a, ente_slug, "riconciliazione");
}

const char *url_reconciliation_flow(arena *a, const char *ente_slug, int64_t flow_pk) {
  return arena_printf(a, "%s/%lld", base(a, ente_slug, "riconciliazione"), (long long)flow_pk);
}

const char *url_admin_revenues(arena *a, const char *ente_slug) {
  return arena_printf(a, "/admin/enti/%s/entrate", url_encode(a, ente_slug));
}
