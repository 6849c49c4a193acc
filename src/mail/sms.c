/* SMS through the gateway configured in [sms]: one HTTPS POST per message
 * with a JSON body {"to", "from", "text", "reference"} and the gateway's
 * token as a bearer credential; any 2xx answer means accepted. The
 * outbox's delivery job (jobs/kind_mail_deliver.c) calls it for rows of
 * channel "sms", with the same retries and backoff as e-mail. */
#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "mail/mail.h"

static size_t discard(char *p, size_t size, size_t n, void *u) {
  (void)p;
  (void)u;
  return size * n;
}

err_code sms_send(const char *to, const char *text, const char *reference, char *err, size_t errlen) {
  const char *url = config_str("sms", "gateway_url");
  if (!*url) {
    snprintf(err, errlen, "nessun gateway SMS configurato (sms.gateway_url)");
    return ERR_UNAVAILABLE;
  }
  json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "to", to, "from", config_str("sms", "sender"), "text", text,
                        "reference", reference ? reference : "");
  char *body = o ? json_dumps(o, JSON_COMPACT) : NULL;
  json_decref(o);
  CURL *c = body ? curl_easy_init() : NULL;
  if (!c) {
    free(body);
    snprintf(err, errlen, "memoria esaurita");
    return ERR_INTERNAL;
  }
  struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
  char auth[600];
  const char *token = config_str("sms", "token");
  if (*token && snprintf(auth, sizeof auth, "Authorization: Bearer %s", token) < (int)sizeof auth)
    h = curl_slist_append(h, auth);
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  CURLcode cc = curl_easy_perform(c);
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(h);
  curl_easy_cleanup(c);
  free(body);
  if (cc != CURLE_OK) {
    snprintf(err, errlen, "gateway SMS non raggiungibile: %s", curl_easy_strerror(cc));
    return ERR_UNAVAILABLE;
  }
  if (status < 200 || status > 299) {
    snprintf(err, errlen, "il gateway SMS ha risposto %ld", status);
    return ERR_UNAVAILABLE;
  }
  return ERR_OK;
}
