/* IMAP(S) polling with libcurl, by UID. Each poll: STATUS gives
 * UIDVALIDITY (a change restarts the position at 0: duplicates are still
 * recognised by Message-ID and content), UID SEARCH lists the UIDs above
 * the stored position, each message is fetched whole, stored in its own
 * transaction (which also advances the position), and only after that
 * commit moved to the processed folder (UID MOVE) or flagged \Seen. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/log.h"
#include "mail/mail.h"

enum { MAX_PER_POLL = 500 };

typedef struct {
  char *data;
  size_t len, cap;
  int64_t limit;
  int over;
} buf;

static size_t write_cb(char *p, size_t size, size_t n, void *ctx) {
  buf *b = ctx;
  size_t add = size * n;
  if ((int64_t)(b->len + add) > b->limit) {
    b->over = 1;
    return 0;
  }
  if (b->len + add + 1 > b->cap) {
    size_t cap = (b->len + add + 1) * 2;
    char *nd = realloc(b->data, cap);
    if (!nd) return 0;
    b->data = nd;
    b->cap = cap;
  }
  memcpy(b->data + b->len, p, add);
  b->len += add;
  b->data[b->len] = 0;
  return add;
}

typedef struct {
  CURL *c;
  char base[2048];   /* imap[s]://host[:port]/ */
  char folder[512];  /* decoded */
  char *folder_url;  /* encoded for the URL */
  char err[CURL_ERROR_SIZE];
} session;

static int session_open(session *s, const intake_mailbox *mb) {
  memset(s, 0, sizeof *s);
  const char *u = mb->url;
  const char *host = strstr(u, "://");
  if (!host) return -1;
  const char *slash = strchr(host + 3, '/');
  size_t blen = slash ? (size_t)(slash - u) : strlen(u);
  if (blen + 2 > sizeof s->base) return -1;
  memcpy(s->base, u, blen);
  s->base[blen] = '/';
  s->base[blen + 1] = 0;
  const char *f = slash && slash[1] ? slash + 1 : "INBOX";
  s->c = curl_easy_init();
  if (!s->c) return -1;
  int outlen = 0;
  char *dec = curl_easy_unescape(s->c, f, 0, &outlen);
  snprintf(s->folder, sizeof s->folder, "%s", dec ? dec : f);
  curl_free(dec);
  if (strpbrk(s->folder, "\"\r\n\\")) return -1;
  s->folder_url = curl_easy_escape(s->c, s->folder, 0);
  int verify = config_bool("mail", "tls_verify");
  curl_easy_setopt(s->c, CURLOPT_PROTOCOLS_STR, "imap,imaps");
  curl_easy_setopt(s->c, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
  curl_easy_setopt(s->c, CURLOPT_SSL_VERIFYPEER, verify ? 1L : 0L);
  curl_easy_setopt(s->c, CURLOPT_SSL_VERIFYHOST, verify ? 2L : 0L);
  const char *ca = config_str("mail", "tls_ca_file");
  if (*ca) curl_easy_setopt(s->c, CURLOPT_CAINFO, ca);
  if (mb->username) curl_easy_setopt(s->c, CURLOPT_USERNAME, mb->username);
  if (mb->password) curl_easy_setopt(s->c, CURLOPT_PASSWORD, mb->password);
  curl_easy_setopt(s->c, CURLOPT_TIMEOUT, 120L);
  curl_easy_setopt(s->c, CURLOPT_CONNECTTIMEOUT, 20L);
  curl_easy_setopt(s->c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(s->c, CURLOPT_ERRORBUFFER, s->err);
  curl_easy_setopt(s->c, CURLOPT_WRITEFUNCTION, write_cb);
  return 0;
}

static void session_close(session *s) {
  if (s->folder_url) curl_free(s->folder_url);
  if (s->c) curl_easy_cleanup(s->c);
}

/* One request: url_tail after the base ("" or the folder with
 * ;UID=...), custom command or NULL (FETCH). */
static CURLcode request(session *s, const char *url_tail, const char *custom, buf *out) {
  char url[4096];
  snprintf(url, sizeof url, "%s%s", s->base, url_tail);
  curl_easy_setopt(s->c, CURLOPT_URL, url);
  curl_easy_setopt(s->c, CURLOPT_CUSTOMREQUEST, custom);
  curl_easy_setopt(s->c, CURLOPT_WRITEDATA, out);
  s->err[0] = 0;
  return curl_easy_perform(s->c);
}

static int64_t field(const char *text, const char *name) {
  const char *p = text ? strstr(text, name) : NULL;
  return p ? strtoll(p + strlen(name), NULL, 10) : -1;
}

static int cmp_uid(const void *x, const void *y) {
  int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
  return a < b ? -1 : a > b;
}

err_code mail_poll_imap(db *d, const intake_mailbox *mb, mail_ingest_stats *st, char *err,
                        size_t errlen) {
  mail_init();
  session s;
  if (session_open(&s, mb) != 0) {
    snprintf(err, errlen, "indirizzo della casella non valido");
    session_close(&s);
    return ERR_INVALID;
  }
  err_code result = ERR_OK;
  buf b = {.limit = 1 << 20};
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "STATUS \"%s\" (UIDVALIDITY UIDNEXT)", s.folder);
  CURLcode cc = request(&s, "", cmd, &b);
  int64_t validity = field(b.data, "UIDVALIDITY ");
  int64_t last = mb->last_uid;
  if (cc != CURLE_OK || validity <= 0) {
    snprintf(err, errlen, "STATUS non riuscito: %s", *s.err ? s.err : curl_easy_strerror(cc));
    result = ERR_UNAVAILABLE;
    goto out;
  }
  if (validity != mb->uidvalidity) {
    if ((result = intake_mailbox_reset(d, mb->id, validity)) != ERR_OK) goto out;
    last = 0;
  }
  b.len = 0;
  snprintf(cmd, sizeof cmd, "UID SEARCH UID %lld:*", (long long)last + 1);
  cc = request(&s, s.folder_url, cmd, &b);
  if (cc != CURLE_OK) {
    snprintf(err, errlen, "SEARCH non riuscito: %s", *s.err ? s.err : curl_easy_strerror(cc));
    result = ERR_UNAVAILABLE;
    goto out;
  }
  int64_t uids[MAX_PER_POLL];
  size_t n = 0;
  const char *p = b.data ? strstr(b.data, "* SEARCH") : NULL;
  if (p) p += 8;
  while (p && *p && *p != '\r' && *p != '\n' && n < MAX_PER_POLL) {
    char *end;
    long long u = strtoll(p, &end, 10);
    if (end == p) break;
    if (u > last) uids[n++] = u;
    p = end;
  }
  qsort(uids, n, sizeof *uids, cmp_uid);
  int64_t limit = config_int("mail", "max_message_bytes");
  for (size_t i = 0; i < n; i++) {
    char tail[1024], ref[64];
    snprintf(tail, sizeof tail, "%s;UIDVALIDITY=%lld;UID=%lld", s.folder_url, (long long)validity,
             (long long)uids[i]);
    snprintf(ref, sizeof ref, "UID %lld", (long long)uids[i]);
    buf m = {.limit = limit};
    cc = request(&s, tail, NULL, &m);
    err_code rc;
    if (m.over) {
      st->seen++;
      rc = intake_quarantine(d, mb, ref, "Il messaggio supera la dimensione massima consentita.",
                             NULL, (size_t)limit, 0, uids[i]);
      if (rc == ERR_OK) st->quarantined++;
    } else if (cc != CURLE_OK) {
      snprintf(err, errlen, "FETCH UID %lld non riuscito: %s", (long long)uids[i],
               *s.err ? s.err : curl_easy_strerror(cc));
      free(m.data);
      result = ERR_UNAVAILABLE;
      break;
    } else {
      rc = mail_ingest_one(d, mb, ref, m.data ? m.data : "", m.len, uids[i], st);
    }
    free(m.data);
    if (rc != ERR_OK) {
      snprintf(err, errlen, "archivio non disponibile (%s)", err_slug(rc));
      result = rc;
      break;
    }
    /* committed: now move or flag it on the server */
    buf ignore = {.limit = 1 << 20};
    if (mb->processed_folder)
      snprintf(cmd, sizeof cmd, "UID MOVE %lld \"%s\"", (long long)uids[i], mb->processed_folder);
    else
      snprintf(cmd, sizeof cmd, "UID STORE %lld +FLAGS (\\Seen)", (long long)uids[i]);
    cc = request(&s, s.folder_url, cmd, &ignore);
    if (cc != CURLE_OK)
      log_warn("mail: %s: %s after commit failed: %s", mb->name, cmd,
               *s.err ? s.err : curl_easy_strerror(cc));
    free(ignore.data);
  }
out:
  free(b.data);
  session_close(&s);
  return result;
}
