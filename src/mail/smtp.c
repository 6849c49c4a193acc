/* SMTP submission over libcurl: smtp:// with STARTTLS as configured
 * (mail.smtp_starttls = no | try | required) or smtps://, authentication
 * when mail.smtp_user is set. The password is never logged. */
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#include "core/config.h"
#include "mail/mail.h"

typedef struct {
  const char *data;
  size_t len, pos;
} upload;

static size_t read_cb(char *buf, size_t size, size_t n, void *ctx) {
  upload *u = ctx;
  size_t room = size * n, left = u->len - u->pos;
  if (room > left) room = left;
  memcpy(buf, u->data + u->pos, room);
  u->pos += room;
  return room;
}

err_code smtp_send(const char *from, const char *const *rcpt, size_t n_rcpt, const char *data,
                   size_t len, char *err, size_t errlen) {
  mail_init();
  CURL *c = curl_easy_init();
  if (!c) {
    snprintf(err, errlen, "libcurl non inizializzabile");
    return ERR_INTERNAL;
  }
  char ebuf[CURL_ERROR_SIZE] = "", addr[512];
  struct curl_slist *rl = NULL;
  for (size_t i = 0; i < n_rcpt; i++) {
    snprintf(addr, sizeof addr, "<%s>", rcpt[i]);
    rl = curl_slist_append(rl, addr);
  }
  snprintf(addr, sizeof addr, "<%s>", from);
  upload u = {data, len, 0};
  const char *tls = config_str("mail", "smtp_starttls");
  long use_ssl = strcmp(tls, "no") == 0         ? CURLUSESSL_NONE
                 : strcmp(tls, "required") == 0 ? CURLUSESSL_ALL
                                                : CURLUSESSL_TRY;
  int verify = config_bool("mail", "tls_verify");
  curl_easy_setopt(c, CURLOPT_URL, config_str("mail", "smtp_url"));
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(c, CURLOPT_USE_SSL, use_ssl);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, verify ? 1L : 0L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, verify ? 2L : 0L);
  const char *ca = config_str("mail", "tls_ca_file");
  if (*ca) curl_easy_setopt(c, CURLOPT_CAINFO, ca);
  const char *user = config_str("mail", "smtp_user");
  if (*user) {
    curl_easy_setopt(c, CURLOPT_USERNAME, user);
    curl_easy_setopt(c, CURLOPT_PASSWORD, config_str("mail", "smtp_password"));
  }
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, addr);
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rl);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
  curl_easy_setopt(c, CURLOPT_READDATA, &u);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)config_int("mail", "smtp_timeout_seconds"));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 20L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
  CURLcode cc = curl_easy_perform(c);
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  curl_slist_free_all(rl);
  curl_easy_cleanup(c);
  if (cc == CURLE_OK) return ERR_OK;
  snprintf(err, errlen, "Invio SMTP non riuscito: %s (risposta %ld)",
           *ebuf ? ebuf : curl_easy_strerror(cc), code);
  return ERR_UNAVAILABLE;
}
