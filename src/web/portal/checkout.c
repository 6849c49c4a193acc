/* pagoPA Checkout for creditor entities: POST {checkout_url}/carts with a
 * CartRequest (../shared/spec/io/pagopa-ecommerce.yaml: paymentNotices
 * with noticeNumber, fiscalCode, amount, companyName, description;
 * returnUrls; optional emailNotice); Checkout answers 302 with the page
 * where the citizen pays, where we send the browser. The payment is
 * recorded (audited) before the redirect. */
#include <curl/curl.h>
#include <jansson.h>
#include <string.h>

#include "core/config.h"
#include "core/log.h"
#include "core/text.h"
#include "web/portal/portal_web.h"

typedef struct {
  arena *a;
  char *location;
} hdr_ctx;

static size_t on_header(char *buf, size_t size, size_t n, void *ud) {
  hdr_ctx *c = ud;
  size_t len = size * n;
  if (len > 9 && strncasecmp(buf, "Location:", 9) == 0) {
    const char *v = buf + 9;
    size_t vl = len - 9;
    while (vl && (*v == ' ' || *v == '\t')) v++, vl--;
    while (vl && (v[vl - 1] == '\r' || v[vl - 1] == '\n' || v[vl - 1] == ' ')) vl--;
    if (vl < 2000) c->location = arena_strndup(c->a, v, vl);
  }
  return len;
}

static size_t on_body(char *buf, size_t size, size_t n, void *ud) {
  (void)buf;
  (void)ud;
  return size * n; /* the body is not needed */
}

/* description: pagoPA remittance text, at most 140 characters. */
static const char *cut140(arena *a, const char *s) {
  if (!s) return "Pagamento";
  size_t n = strlen(s);
  if (text_utf8_len(s) <= 140) return s;
  /* cut at a character boundary before 140 characters */
  size_t chars = 0, i = 0;
  while (i < n && chars < 137) {
    unsigned char ch = (unsigned char)s[i];
    i += ch < 0x80 ? 1 : ch < 0xE0 ? 2 : ch < 0xF0 ? 3 : 4;
    chars++;
  }
  return arena_printf(a, "%.*s...", (int)i, s);
}

err_code checkout_start(request *rq, const ente *e, const debt_act *act, const debt_option *o, int64_t amount,
                        const char *email, const char **location) {
  if (amount <= 0) return ERR_NOTICE_PAID;
  const char *base = config_str("server", "base_url");
  const char *back =
      arena_printf(rq->a, "%s%s?codice_avviso=%s", base, url_portal(rq->a, e->slug, "/pagato"), o->nav);
  json_t *notice =
      json_pack("{s:s, s:s, s:I, s:s, s:s}", "noticeNumber", o->nav, "fiscalCode", e->fiscal_code, "amount",
                (json_int_t)amount, "companyName", e->name, "description", cut140(rq->a, act->description));
  json_t *body = json_pack("{s:[o], s:{s:s, s:s, s:s}}", "paymentNotices", notice, "returnUrls",
                           "returnOkUrl", arena_printf(rq->a, "%s&esito=ok", back), "returnCancelUrl",
                           arena_printf(rq->a, "%s&esito=annullato", back), "returnErrorUrl",
                           arena_printf(rq->a, "%s&esito=errore", back));
  if (!body) return ERR_INTERNAL;
  if (email) json_object_set_new(body, "emailNotice", json_string(email));
  char *text = json_dumps(body, JSON_COMPACT);
  json_decref(body);
  if (!text) return ERR_INTERNAL;
  err_code rc = portal_checkout_record(rq->db, e->id, o->id, o->nav, amount, email, &rq->who);
  if (rc != ERR_OK) {
    free(text);
    return rc;
  }
  portal_curl_once();
  CURL *c = curl_easy_init();
  if (!c) {
    free(text);
    return ERR_INTERNAL;
  }
  hdr_ctx hc = {rq->a, NULL};
  struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
  const char *key = config_str("portal", "checkout_api_key");
  if (*key) h = curl_slist_append(h, arena_printf(rq->a, "Ocp-Apim-Subscription-Key: %s", key));
  curl_easy_setopt(c, CURLOPT_URL, arena_printf(rq->a, "%s/carts", config_str("portal", "checkout_url")));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, text);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &hc);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  CURLcode cc = curl_easy_perform(c);
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup(c);
  curl_slist_free_all(h);
  free(text);
  if (cc != CURLE_OK || (status != 302 && status != 303) || !hc.location ||
      (strncmp(hc.location, "https://", 8) != 0 && strncmp(hc.location, "http://", 7) != 0)) {
    err_cause("checkout: %s, HTTP %ld%s", cc != CURLE_OK ? curl_easy_strerror(cc) : "answered", status,
              hc.location ? "" : ", no Location");
    return ERR_UNAVAILABLE;
  }
  *location = hc.location;
  return ERR_OK;
}
