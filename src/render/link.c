#include "render/link.h"
#include <string.h>
#include "core/strbuf.h"

char *url_encode(arena *a, const char *s) {
  static const char hex[] = "0123456789ABCDEF";
  size_t n = s ? strlen(s) : 0;
  char *out = arena_alloc(a, n * 3 + 1), *o = out;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      *o++ = (char)c;
    } else {
      *o++ = '%';
      *o++ = hex[c >> 4];
      *o++ = hex[c & 15];
    }
  }
  *o = 0;
  return out;
}

const char *url_home(arena *a) { (void)a; return "/"; }
const char *url_login(arena *a) { (void)a; return "/accedi"; }
const char *url_logout(arena *a) { (void)a; return "/esci"; }
const char *url_static(arena *a, const char *path) { return arena_printf(a, "/static/%s", path); }
const char *url_accessibility(arena *a) { (void)a; return "/accessibilita"; }

/* The address is encoded except for '@' and the characters of a plain
 * address, so a configured value cannot add headers (?subject=, &cc=). */
const char *url_mailto(arena *a, const char *address) {
  char *enc = url_encode(a, address);
  char *at = strstr(enc, "%40");
  if (at) {
    *at = '@';
    memmove(at + 1, at + 3, strlen(at + 3) + 1);
  }
  return arena_printf(a, "mailto:%s", enc);
}

const char *url_agid_accessibility_report(arena *a) { (void)a; return "https://form.agid.gov.it/"; }

const char *url_office(arena *a, const char *ente_slug) {
  return arena_printf(a, "/ufficio/%s", url_encode(a, ente_slug));
}

const char *url_taxpayers(arena *a, const char *ente_slug, const char *q, int page) {
  strbuf sb;
  sb_init(&sb, 0);
  sb_appendf(&sb, "/ufficio/%s/contribuenti", url_encode(a, ente_slug));
  char sep = '?';
  if (q && *q) {
    sb_appendf(&sb, "%cq=%s", sep, url_encode(a, q));
    sep = '&';
  }
  if (page > 1) sb_appendf(&sb, "%cpagina=%d", sep, page);
  char *s = arena_strdup(a, sb_str(&sb));
  sb_free(&sb);
  return s;
}

const char *url_taxpayer_new(arena *a, const char *ente_slug) {
  return arena_printf(a, "/ufficio/%s/contribuenti/nuovo", url_encode(a, ente_slug));
}

const char *url_taxpayer(arena *a, const char *ente_slug, int64_t id) {
  return arena_printf(a, "/ufficio/%s/contribuenti/%lld", url_encode(a, ente_slug), (long long)id);
}

const char *url_taxpayer_edit(arena *a, const char *ente_slug, int64_t id) {
  return arena_printf(a, "/ufficio/%s/contribuenti/%lld/modifica", url_encode(a, ente_slug),
                      (long long)id);
}

const char *url_admin(arena *a) { (void)a; return "/admin"; }

const char *url_admin_saved(arena *a, const char *what) {
  return arena_printf(a, "/admin?salvato=%s", url_encode(a, what));
}
const char *url_admin_ente_new(arena *a) { (void)a; return "/admin/enti/nuovo"; }
const char *url_admin_office_new(arena *a) { (void)a; return "/admin/uffici/nuovo"; }
const char *url_admin_user_new(arena *a) { (void)a; return "/admin/utenti/nuovo"; }

const char *url_admin_user(arena *a, int64_t id) {
  return arena_printf(a, "/admin/utenti/%lld", (long long)id);
}

const char *url_admin_user_saved(arena *a, int64_t id, const char *what) {
  return arena_printf(a, "/admin/utenti/%lld?salvato=%s", (long long)id, url_encode(a, what));
}

const char *url_admin_user_status(arena *a, int64_t id) {
  return arena_printf(a, "/admin/utenti/%lld/stato", (long long)id);
}

const char *url_admin_user_password(arena *a, int64_t id) {
  return arena_printf(a, "/admin/utenti/%lld/password", (long long)id);
}

const char *url_admin_user_entes(arena *a, int64_t id) {
  return arena_printf(a, "/admin/utenti/%lld/enti", (long long)id);
}

const char *url_admin_jobs(arena *a) { (void)a; return "/admin/lavori"; }

const char *url_admin_mail(arena *a) { (void)a; return "/admin/posta"; }

const char *url_admin_mail_saved(arena *a, const char *what) {
  return arena_printf(a, "/admin/posta?salvato=%s", url_encode(a, what));
}

const char *url_admin_mail_release(arena *a, int64_t id) {
  return arena_printf(a, "/admin/posta/%lld/acquisisci", (long long)id);
}

const char *url_admin_mail_discard(arena *a, int64_t id) {
  return arena_printf(a, "/admin/posta/%lld/scarta", (long long)id);
}

const char *url_admin_jobs_saved(arena *a, const char *what) {
  return arena_printf(a, "/admin/lavori?salvato=%s", url_encode(a, what));
}

const char *url_admin_job_retry(arena *a, int64_t id) {
  return arena_printf(a, "/admin/lavori/%lld/riprova", (long long)id);
}

const char *url_admin_job_cancel(arena *a, int64_t id) {
  return arena_printf(a, "/admin/lavori/%lld/annulla", (long long)id);
}

/* ---- cases (pratiche) ---- */

/* base followed by the non-empty key=value pairs (values encoded). */
static const char *with_query(arena *a, const char *base, const char *const *kv, size_t n) {
  strbuf sb;
  sb_init(&sb, 0);
  sb_append(&sb, base);
  char sep = '?';
  for (size_t i = 0; i + 1 < n; i += 2) {
    if (!kv[i + 1] || !*kv[i + 1]) continue;
    sb_appendf(&sb, "%c%s=%s", sep, kv[i], url_encode(a, kv[i + 1]));
    sep = '&';
  }
  char *s = arena_strdup(a, sb_str(&sb));
  sb_free(&sb);
  return s;
}

const char *url_cases(arena *a, const char *ente_slug, const char *view, const char *category,
                      const char *from, const char *to, int page) {
  const char *pg = page > 1 ? arena_printf(a, "%d", page) : NULL;
  const char *kv[] = {"vista", view, "categoria", category, "dal", from, "al", to, "pagina", pg};
  return with_query(a, arena_printf(a, "/ufficio/%s/pratiche", url_encode(a, ente_slug)), kv,
                    sizeof kv / sizeof kv[0]);
}

const char *url_case(arena *a, const char *ente_slug, int64_t id) {
  return arena_printf(a, "/ufficio/%s/pratiche/%lld", url_encode(a, ente_slug), (long long)id);
}

const char *url_case_action_(arena *a, const char *ente_slug, int64_t id, const char *action) {
  return arena_printf(a, "/ufficio/%s/pratiche/%lld/%s", url_encode(a, ente_slug), (long long)id,
                      action);
}

const char *url_case_attachment(arena *a, const char *ente_slug, int64_t id, int64_t att) {
  return arena_printf(a, "/ufficio/%s/pratiche/%lld/allegati/%lld", url_encode(a, ente_slug),
                      (long long)id, (long long)att);
}

const char *url_case_new(arena *a, const char *ente_slug) {
  return arena_printf(a, "/ufficio/%s/pratiche/nuova", url_encode(a, ente_slug));
}

const char *url_case_ente_request(arena *a, const char *ente_slug) {
  return arena_printf(a, "/ufficio/%s/pratiche/richiesta-ente", url_encode(a, ente_slug));
}

const char *url_cases_report(arena *a, const char *ente_slug, const char *format,
                             const char *category, const char *from, const char *to) {
  const char *kv[] = {"formato", format, "categoria", category, "dal", from, "al", to};
  return with_query(a, arena_printf(a, "/ufficio/%s/pratiche/report", url_encode(a, ente_slug)),
                    kv, sizeof kv / sizeof kv[0]);
}

const char *url_cases_summary(arena *a, const char *ente, const char *format) {
  const char *kv[] = {"ente", ente, "formato", format};
  return with_query(a, "/ufficio/riepilogo-pratiche", kv, sizeof kv / sizeof kv[0]);
}

const char *url_case_follow(arena *a) {
  (void)a;
  return "/pratiche/segui";
}

const char *url_intermediary_home(arena *a) {
  (void)a;
  return "/intermediari";
}

const char *url_intermediary(arena *a, const char *ente_slug) {
  return arena_printf(a, "/intermediari/%s/richiesta", url_encode(a, ente_slug));
}

const char *url_admin_cases(arena *a, const char *ente_slug) {
  const char *kv[] = {"ente", ente_slug};
  return with_query(a, "/admin/pratiche", kv, 2);
}

const char *url_admin_cases_action_(arena *a, const char *action) {
  return arena_printf(a, "/admin/pratiche/%s", action);
}
