/* Shared pieces of the portal pages: the frame data, URLs, today's date,
 * the lookup limit, whose data a signed-in citizen may see. */
#include "web/portal/portal_web.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/config.h"
#include "core/date.h"
#include "core/money.h"
#include "core/text.h"
#include "core/validate.h"
#include "domain/pagopa/nav.h"
#include "http/ratelimit.h"
#include <curl/curl.h>

err_code portal_page_for(request *rq, const char *title, const char *section, portal_page *p) {
  portal_settings s;
  return portal_page_settings(rq, title, section, p, &s);
}

err_code portal_page_settings(request *rq, const char *title, const char *section, portal_page *p,
                              portal_settings *s) {
  err_code rc = portal_settings_get(rq->db, rq->a, rq->ente->id, s);
  if (rc == ERR_OK) portal_page_with(rq, title, section, p, s);
  return rc;
}

void portal_page_with(request *rq, const char *title, const char *section, portal_page *p,
                      const portal_settings *s) {
  *p = (portal_page){0};
  p->title = title;
  p->section = section;
  p->csrf = rq->csrf;
  p->ente_slug = rq->ente->slug;
  p->ente_name = rq->ente->name;
  p->ente_mail = rq->ente->mail_info;
  p->ente_pec = rq->ente->mail_pec;
  p->ente_phone = rq->ente->support_phone;
  p->has_logo = s->has_logo;
  if (rq->citizen)
    p->citizen_name = rq->citizen->name && *rq->citizen->name ? rq->citizen->name : rq->citizen->fiscal_code;
}

void portal_trail(request *rq, portal_page *p, const crumb *items, size_t n) {
  crumb *c = ARENA_ARRAY(rq->a, crumb, n + 1);
  c[0] = (crumb){"Home", url_portal(rq->a, rq->ente->slug, "")};
  for (size_t i = 0; i < n; i++) c[i + 1] = items[i];
  p->crumbs = c;
  p->n_crumbs = n + 1;
}

html portal_html(request *rq, response *rs, const portal_page *p) {
  html h = {.sb = &rs->body, .a = rq->a};
  rs->content_type = "text/html; charset=utf-8";
  portal_begin(&h, p);
  return h;
}

const char *portal_url(request *rq, const char *suffix) { return url_portal(rq->a, rq->ente->slug, suffix); }

const char *portal_today(request *rq) {
  char *t = arena_alloc(rq->a, 11);
  date_format_iso(date_today_rome(clock_now()), t);
  return t;
}

const char *portal_eur(arena *a, int64_t cents) {
  static const char eur[] = " €";
  char buf[32];
  money_format_it(cents, buf);
  size_t n = strlen(buf);
  char *out = arena_alloc(a, n + sizeof eur);
  memcpy(out, buf, n);
  memcpy(out + n, eur, sizeof eur);
  return out;
}

const char *portal_year(arena *a, int64_t v) {
  char buf[24];
  size_t n = sizeof buf;
  uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
  do {
    buf[--n] = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  if (v < 0) buf[--n] = '-';
  return arena_strndup(a, buf + n, sizeof buf - n);
}

static ratelimit *lookup_rl;
static pthread_once_t lookup_once = PTHREAD_ONCE_INIT;
static void lookup_init(void) { lookup_rl = ratelimit_new(config_int("portal", "lookups_per_minute")); }

static int64_t mono_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int portal_lookup_allowed(request *rq, response *rs) {
  pthread_once(&lookup_once, lookup_init);
  int retry = 60;
  if (ratelimit_allow(lookup_rl, rq->client_ip ? rq->client_ip : "", mono_ms(), &retry)) return 1;
  rs->status = 429;
  rs_header(rs, "Retry-After", arena_printf(rq->a, "%d", retry > 0 ? retry : 1));
  return 0;
}

err_code portal_subject(request *rq, const char **cf) {
  const char *own = rq->citizen->fiscal_code, *want = rq_query(rq, "cf");
  if (!want || !*want || strcmp(want, own) == 0) {
    *cf = own;
    return ERR_OK;
  }
  if (strlen(want) > 16) return ERR_NOT_FOUND;
  char *c = arena_strdup(rq->a, want);
  normalize_code(c);
  err_code rc = portal_may_see(rq->db, rq->ente->id, own, c, portal_today(rq));
  if (rc == ERR_OK) *cf = c;
  return rc;
}

err_code portal_host_ente(request *rq, ente **out) {
  const char *host = rq_header(rq, "Host");
  if (!host || strlen(host) > 260) return ERR_NOT_FOUND;
  ente *e = ARENA_NEW(rq->a, ente);
  err_code rc = portal_ente_by_host(rq->db, rq->a, host, e);
  if (rc == ERR_OK) *out = e;
  return rc;
}

void portal_send_pdf(response *rs, request *rq, const strbuf *pdf, const char *filename) {
  rs->content_type = "application/pdf";
  rs_header(rs, "Content-Disposition", arena_printf(rq->a, "inline; filename=\"%s\"", filename));
  sb_appendn(&rs->body, pdf->data, pdf->len);
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }
void portal_curl_once(void) { pthread_once(&curl_once, curl_init); }

err_code portal_notice_find(request *rq, const char *nav_in, const char *cf_in, debt_notice *n,
                            const char **field, const char **why) {
  char nav[19];
  if ((*why = nav_parse(nav_in, nav)) != NULL) {
    *field = "codice_avviso";
    return ERR_INVALID;
  }
  char *cf = text_trim_dup(rq->a, cf_in ? cf_in : "");
  if (cf) normalize_code(cf);
  if (!cf || !*cf || validate_fiscal_code_any(cf)) {
    *field = "codice_fiscale";
    *why = "Indica il codice fiscale dell'Ente o del contribuente intestatario dell'avviso.";
    return ERR_INVALID;
  }
  err_code rc = debt_notice_lookup(rq->db, rq->a, rq->ente->id, nav, portal_today(rq), n);
  if (rc != ERR_OK && rc != ERR_NOTICE_PAID && rc != ERR_NOTICE_EXPIRED && rc != ERR_NOTICE_CANCELLED)
    return rc;
  if (strcmp(cf, rq->ente->fiscal_code) != 0 && (!n->act.taxpayer_cf || strcmp(cf, n->act.taxpayer_cf) != 0))
    return ERR_NOTICE_UNKNOWN;
  return rc;
}
