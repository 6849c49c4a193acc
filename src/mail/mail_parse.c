/* Parsing a received message with GMime 3 into an intake_msg: headers
 * (RFC 2047 decoded), bodies converted to UTF-8 from any charset and
 * transfer encoding (text/plain preferred; HTML sanitised), parts decoded
 * and fingerprinted, the PEC transport envelope opened, and what makes a
 * message automatic: PEC receipts, RFC 3464 bounces, auto-replies and
 * bulk or looping mail. Everything is copied into the caller's arena; no
 * GMime object outlives mail_parse. */
#include <ctype.h>
#include <gmime/gmime.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "mail/mail.h"

enum { MAX_DEPTH = 20 };

typedef struct {
  arena *a;
  const mail_limits *lim;
  intake_msg *m;
  intake_part *parts;
  size_t cap;
  int count;              /* MIME parts seen */
  const char *reason;     /* set when the message must be quarantined */
  err_code rc;
  GMimeMessage *postacert; /* PEC: the real message (borrowed) */
  const char *daticert_msgid;
  const char *bounced_id;  /* Message-ID found in a bounce's returned message */
  char *html_text;         /* the text of the HTML body */
} walk;

static void hex_sha256(const void *p, size_t n, char out[65]) {
  unsigned char md[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(md, p ? p : (const void *)"", (unsigned long long)n);
  sodium_bin2hex(out, 65, md, sizeof md);
}

/* SHA-256 of raw with CRLF read as LF: the same message fetched over
 * IMAP or read from a Maildir gives the same key. */
static void content_sha256(const unsigned char *p, size_t n, char out[65]) {
  crypto_hash_sha256_state h;
  crypto_hash_sha256_init(&h);
  size_t start = 0;
  for (size_t i = 0; i + 1 < n; i++) {
    if (p[i] == '\r' && p[i + 1] == '\n') {
      crypto_hash_sha256_update(&h, p + start, i - start);
      start = i + 1;
    }
  }
  crypto_hash_sha256_update(&h, p + start, n - start);
  unsigned char md[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&h, md);
  sodium_bin2hex(out, 65, md, sizeof md);
}

/* Valid UTF-8 without NUL, copied into a: invalid bytes are read as
 * Windows-1252 (the usual mislabelled charset), NULs dropped, CRLF as LF. */
static char *utf8_clean(arena *a, const char *s, size_t n) {
  char *conv = NULL;
  if (!g_utf8_validate(s, (gssize)n, NULL)) {
    conv = g_convert_with_fallback(s, (gssize)n, "UTF-8", "WINDOWS-1252", "?", NULL, NULL, NULL);
    if (!conv) conv = g_utf8_make_valid(s, (gssize)n);
    s = conv;
    n = strlen(conv);
  }
  char *out = arena_alloc(a, n + 1);
  size_t j = 0;
  for (size_t i = 0; i < n; i++)
    if (s[i] && !(s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')) out[j++] = s[i];
  out[j] = 0;
  g_free(conv);
  return out;
}

static const char *dup_clean(arena *a, const char *s) {
  return s ? utf8_clean(a, s, strlen(s)) : NULL;
}

/* A header value on one line (folding and stray CR/LF removed). */
static const char *header(arena *a, GMimeObject *o, const char *name) {
  const char *v = g_mime_object_get_header(o, name);
  if (!v) return NULL;
  char *s = (char *)dup_clean(a, v);
  for (char *p = s; *p; p++)
    if (*p == '\r' || *p == '\n' || *p == '\t') *p = ' ';
  while (*s == ' ') s++;
  size_t n = strlen(s);
  while (n && s[n - 1] == ' ') s[--n] = 0;
  return s;
}

static int ieq_prefix(const char *s, const char *prefix) {
  return s && strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* The decoded content of a leaf part; NULL (and w->reason) when over the
 * attachment limit. */
static void *part_bytes(walk *w, GMimePart *p, size_t *len) {
  GMimeDataWrapper *dw = g_mime_part_get_content(p);
  *len = 0;
  if (!dw) return arena_alloc(w->a, 1);
  GMimeStream *mem = g_mime_stream_mem_new();
  g_mime_data_wrapper_write_to_stream(dw, mem);
  GByteArray *ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
  void *out = NULL;
  if ((int64_t)ba->len > w->lim->max_attachment_bytes) {
    w->reason = "Un allegato supera la dimensione massima consentita.";
    w->rc = ERR_TOO_LARGE;
  } else {
    out = arena_alloc(w->a, ba->len + 1);
    memcpy(out, ba->data, ba->len);
    ((char *)out)[ba->len] = 0;
    *len = ba->len;
  }
  g_object_unref(mem);
  return out;
}

/* A file name extension for a part that came without a name. */
static const char *extension(const char *mime) {
  static const char *const map[][2] = {
      {"image/png", ".png"}, {"image/jpeg", ".jpg"},      {"image/gif", ".gif"},
      {"application/pdf", ".pdf"}, {"text/plain", ".txt"}, {"text/html", ".html"},
      {"message/rfc822", ".eml"}, {"application/xml", ".xml"}, {"text/xml", ".xml"}};
  for (size_t i = 0; mime && i < sizeof map / sizeof map[0]; i++)
    if (strcasecmp(mime, map[i][0]) == 0) return map[i][1];
  return ".bin";
}

static intake_part *new_part(walk *w) {
  if (w->m->n_parts == w->cap) w->parts = arena_grow(w->a, w->parts, sizeof *w->parts, w->m->n_parts + 1, &w->cap);
  intake_part *p = &w->parts[w->m->n_parts++];
  memset(p, 0, sizeof *p);
  w->m->parts = w->parts;
  return p;
}

static void add_part(walk *w, const char *role, const char *name, const char *mime,
                     const char *cid, const void *data, size_t len) {
  intake_part *p = new_part(w);
  p->role = role;
  p->name = name && *name ? dup_clean(w->a, name)
                          : arena_printf(w->a, "allegato-%zu%s", w->m->n_parts, extension(mime));
  p->mime = mime ? arena_strdup(w->a, mime) : "application/octet-stream";
  p->content_id = cid ? dup_clean(w->a, cid) : NULL;
  p->data = data;
  p->size = (int64_t)len;
  hex_sha256(data, len, p->sha256);
}

/* The serialised bytes of an embedded message. */
static void *object_bytes(arena *a, GMimeObject *o, size_t *len) {
  GMimeStream *mem = g_mime_stream_mem_new();
  g_mime_object_write_to_stream(o, NULL, mem);
  GByteArray *ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
  void *out = arena_alloc(a, ba->len + 1);
  memcpy(out, ba->data, ba->len);
  *len = ba->len;
  g_object_unref(mem);
  return out;
}

static const char *bracket(arena *a, const char *id) {
  if (!id || !*id) return NULL;
  if (id[0] == '<') return dup_clean(a, id);
  return arena_printf(a, "<%s>", dup_clean(a, id));
}

static void walk_object(walk *w, GMimeObject *o, int depth, int in_report);

static void leaf(walk *w, GMimePart *part, int in_report) {
  GMimeObject *o = GMIME_OBJECT(part);
  GMimeContentType *ct = g_mime_object_get_content_type(o);
  char *mime = g_mime_content_type_get_mime_type(ct);
  const char *filename = g_mime_part_get_filename(part);
  const char *disp = g_mime_object_get_disposition(o);
  int attachment = (disp && strcasecmp(disp, "attachment") == 0) || filename;
  const char *cid = g_mime_object_get_content_id(o);
  intake_msg *m = w->m;
  if (GMIME_IS_TEXT_PART(part) && !attachment && g_mime_content_type_is_type(ct, "text", "plain") &&
      !m->text) {
    char *t = g_mime_text_part_get_text(GMIME_TEXT_PART(part));
    m->text = t ? utf8_clean(w->a, t, strlen(t)) : "";
    g_free(t);
  } else if (GMIME_IS_TEXT_PART(part) && !attachment &&
             g_mime_content_type_is_type(ct, "text", "html") && !m->html) {
    char *t = g_mime_text_part_get_text(GMIME_TEXT_PART(part));
    const char *u = t ? utf8_clean(w->a, t, strlen(t)) : "";
    g_free(t);
    char *text = NULL;
    m->html = mail_html_sanitize(w->a, u, strlen(u), &text);
    w->html_text = text;
  } else if (in_report && g_mime_content_type_is_type(ct, "text", "rfc822-headers")) {
    size_t len;
    void *b = part_bytes(w, part, &len);
    if (b) {
      GMimeStream *s = g_mime_stream_mem_new_with_buffer(b, len);
      GMimeParser *p = g_mime_parser_new_with_stream(s);
      GMimeObject *h = g_mime_parser_construct_part(p, NULL);
      if (h) {
        const char *id = g_mime_object_get_header(h, "Message-ID");
        if (id && !w->bounced_id) w->bounced_id = bracket(w->a, id);
        g_object_unref(h);
      }
      g_object_unref(p);
      g_object_unref(s);
      add_part(w, "attachment", "intestazioni-originali.txt", mime, NULL, b, len);
    }
  } else {
    size_t len;
    void *b = part_bytes(w, part, &len);
    if (b) {
      int is_daticert = filename && strcasecmp(filename, "daticert.xml") == 0;
      const char *role = is_daticert ? "daticert"
                         : (cid || (disp && strcasecmp(disp, "inline") == 0 && !filename))
                             ? "inline"
                             : "attachment";
      add_part(w, role, filename, mime, cid, b, len);
      if (is_daticert) {
        pec_daticert dc;
        if (pec_daticert_parse(w->a, b, len, &dc) == ERR_OK) {
          m->pec = 1;
          if (!m->pec_type) m->pec_type = dc.tipo;
          w->daticert_msgid = dc.msgid;
        }
      }
    }
  }
  g_free(mime);
}

static void message_part(walk *w, GMimeMessagePart *mp, int depth, int in_report) {
  GMimeObject *o = GMIME_OBJECT(mp);
  GMimeMessage *inner = g_mime_message_part_get_message(mp);
  const char *filename = g_mime_object_get_content_disposition_parameter(o, "filename");
  if (!filename) filename = g_mime_object_get_content_type_parameter(o, "name");
  if (inner && filename && strcasecmp(filename, "postacert.eml") == 0 && !w->postacert &&
      w->m->pec_type && strcmp(w->m->pec_type, "posta-certificata") == 0) {
    w->postacert = inner; /* opened by mail_parse */
    (void)depth;
  }
  if (inner && in_report && !w->bounced_id)
    w->bounced_id = bracket(w->a, g_mime_message_get_message_id(inner));
  if (!inner) return;
  size_t len;
  void *b = object_bytes(w->a, GMIME_OBJECT(inner), &len);
  if ((int64_t)len > w->lim->max_attachment_bytes) {
    w->reason = "Un messaggio allegato supera la dimensione massima consentita.";
    w->rc = ERR_TOO_LARGE;
    return;
  }
  add_part(w, "attachment", filename ? filename : "messaggio-allegato.eml", "message/rfc822", NULL,
           b, len);
}

static void walk_object(walk *w, GMimeObject *o, int depth, int in_report) {
  if (w->rc != ERR_OK) return;
  if (++w->count > w->lim->max_parts) {
    w->reason = "Il messaggio ha troppe parti MIME.";
    w->rc = ERR_INVALID;
    return;
  }
  if (depth > MAX_DEPTH) {
    w->reason = "Il messaggio ha parti annidate troppo in profondità.";
    w->rc = ERR_INVALID;
    return;
  }
  if (GMIME_IS_MULTIPART(o)) {
    GMimeContentType *ct = g_mime_object_get_content_type(o);
    int report = g_mime_content_type_is_type(ct, "multipart", "report");
    int n = g_mime_multipart_get_count(GMIME_MULTIPART(o));
    for (int i = 0; i < n && w->rc == ERR_OK; i++)
      walk_object(w, g_mime_multipart_get_part(GMIME_MULTIPART(o), i), depth + 1,
                  in_report || report);
  } else if (GMIME_IS_MESSAGE_PART(o)) {
    message_part(w, GMIME_MESSAGE_PART(o), depth, in_report);
  } else if (GMIME_IS_PART(o)) {
    leaf(w, GMIME_PART(o), in_report);
  }
}

/* The first line must be a header field ("Name: value") or an mbox
 * "From " line: otherwise this is not a message. */
static int looks_like_message(const unsigned char *p, size_t n) {
  if (n >= 5 && memcmp(p, "From ", 5) == 0) return 1;
  size_t i = 0;
  while (i < n && i < 200 && p[i] > 32 && p[i] < 127 && p[i] != ':') i++;
  return i > 0 && i < n && p[i] == ':';
}

static void fill_headers(walk *w, GMimeMessage *msg) {
  intake_msg *m = w->m;
  GMimeObject *o = GMIME_OBJECT(msg);
  InternetAddressList *from = g_mime_message_get_from(msg);
  m->from_addr = m->from_name = NULL;
  for (int i = 0; from && i < internet_address_list_length(from); i++) {
    InternetAddress *ia = internet_address_list_get_address(from, i);
    if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
      const char *addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
      if (addr && strchr(addr, '@')) {
        char *lower = (char *)dup_clean(w->a, addr);
        for (char *c = lower; *c; c++) *c = (char)tolower((unsigned char)*c);
        m->from_addr = lower;
        const char *name = internet_address_get_name(ia);
        m->from_name = name && *name ? dup_clean(w->a, name) : NULL;
        break;
      }
    }
  }
  InternetAddressList *to = g_mime_message_get_to(msg);
  if (to && internet_address_list_length(to) > 0) {
    char *t = internet_address_list_to_string(to, NULL, FALSE);
    m->to_addrs = dup_clean(w->a, t);
    g_free(t);
  }
  const char *subj = g_mime_message_get_subject(msg);
  m->subject = subj ? header(w->a, o, "Subject") : NULL;
  if (subj) m->subject = dup_clean(w->a, subj);
  m->date = header(w->a, o, "Date");
  m->in_reply_to = header(w->a, o, "In-Reply-To");
  m->references = header(w->a, o, "References");
}

/* Automatic messages, from the headers and subject of o. */
static const char *auto_reason(walk *w, GMimeObject *o, const char *subject) {
  const char *v = header(w->a, o, "Auto-Submitted");
  if (v && strncasecmp(v, "no", 2) != 0) return "auto-reply";
  if (header(w->a, o, "X-Autoreply") || header(w->a, o, "X-Autorespond")) return "auto-reply";
  v = header(w->a, o, "Precedence");
  if (v && (ieq_prefix(v, "bulk") || ieq_prefix(v, "junk") || ieq_prefix(v, "list"))) return "bulk";
  if (header(w->a, o, "X-Loop")) return "loop";
  static const char *const auto_subjects[] = {
      "risposta automatica", "fuori sede",      "assenza",        "out of office",
      "automatic reply",     "auto:",           "autoreply",      "auto-reply",
      "risposta non recapitabile", "undeliverable", "delivery status notification", NULL};
  for (const char *const *p = auto_subjects; subject && *p; p++)
    if (ieq_prefix(subject, *p)) return strstr(*p, "recapit") || strstr(*p, "deliver") ? "bounce" : "auto-reply";
  return NULL;
}

err_code mail_parse(arena *a, const void *raw, size_t len, const mail_limits *lim, intake_msg *m,
                    const char **reason) {
  mail_init();
  if (sodium_init() < 0) return ERR_INTERNAL;
  memset(m, 0, sizeof *m);
  *reason = NULL;
  m->raw = raw;
  m->raw_size = (int64_t)len;
  if ((int64_t)len > lim->max_message_bytes) {
    *reason = "Il messaggio supera la dimensione massima consentita.";
    return ERR_TOO_LARGE;
  }
  if (len == 0 || !looks_like_message(raw, len) || memchr(raw, 0, len < 8192 ? len : 8192)) {
    *reason = "Il contenuto non è un messaggio di posta (intestazioni mancanti o illeggibili).";
    return ERR_INVALID;
  }
  hex_sha256(raw, len, m->raw_sha256);
  content_sha256(raw, len, m->content_sha256);

  GMimeParserOptions *po = g_mime_parser_options_new();
  static const char *fallback[] = {"utf-8", "windows-1252", NULL};
  g_mime_parser_options_set_fallback_charsets(po, fallback);
  g_mime_parser_options_set_rfc2047_compliance_mode(po, GMIME_RFC_COMPLIANCE_LOOSE);
  GMimeStream *s = g_mime_stream_mem_new_with_buffer(raw, len);
  GMimeParser *parser = g_mime_parser_new_with_stream(s);
  g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
  GMimeMessage *msg = g_mime_parser_construct_message(parser, po);
  err_code rc = ERR_OK;
  walk w = {.a = a, .lim = lim, .m = m, .rc = ERR_OK};
  if (!msg) {
    *reason = "La struttura MIME del messaggio è illeggibile.";
    rc = ERR_INVALID;
    goto out;
  }
  GMimeObject *o = GMIME_OBJECT(msg);
  const char *id = g_mime_message_get_message_id(msg);
  m->message_id = id && *id ? bracket(a, id) : arena_printf(a, "<%.40s@senza-message-id.invalid>", m->content_sha256);
  const char *trasporto = header(a, o, "X-Trasporto");
  const char *ricevuta = header(a, o, "X-Ricevuta");
  if (trasporto) {
    m->pec = 1;
    m->pec_type = trasporto;
  }
  if (ricevuta) {
    m->pec = 1;
    m->pec_type = ricevuta;
  }
  fill_headers(&w, msg);
  GMimeObject *body = g_mime_message_get_mime_part(msg);
  if (body) walk_object(&w, body, 0, 0);
  if (w.rc != ERR_OK) {
    *reason = w.reason;
    rc = w.rc;
    goto out;
  }
  if (!m->text) m->text = w.html_text;
  GMimeContentType *ct = body ? g_mime_object_get_content_type(body) : NULL;
  const char *report_type = ct ? g_mime_content_type_get_parameter(ct, "report-type") : NULL;

  if (ricevuta) {
    m->auto_reason = "pec-receipt";
    const char *ref = header(a, o, "X-Riferimento-Message-ID");
    m->refers_to = ref ? bracket(a, ref) : w.daticert_msgid ? bracket(a, w.daticert_msgid) : NULL;
  } else if (ct && g_mime_content_type_is_type(ct, "multipart", "report") && report_type &&
             strcasecmp(report_type, "delivery-status") == 0) {
    m->auto_reason = "bounce";
    m->refers_to = w.bounced_id;
  } else if (ct && g_mime_content_type_is_type(ct, "multipart", "report")) {
    m->auto_reason = "auto-reply"; /* read receipts and other reports */
    m->refers_to = w.bounced_id;
  } else if (w.postacert) {
    /* PEC transport envelope: the real message is postacert.eml */
    GMimeMessage *inner = w.postacert;
    fill_headers(&w, inner);
    const char *iid = g_mime_message_get_message_id(inner);
    m->origin_id = iid && *iid ? bracket(a, iid) : NULL;
    m->text = m->html = NULL;
    w.html_text = NULL;
    GMimeObject *ib = g_mime_message_get_mime_part(inner);
    if (ib) walk_object(&w, ib, 1, 0);
    if (w.rc != ERR_OK) {
      *reason = w.reason;
      rc = w.rc;
      goto out;
    }
    if (!m->text) m->text = w.html_text;
    m->auto_reason = auto_reason(&w, GMIME_OBJECT(inner), m->subject);
  } else {
    m->auto_reason = auto_reason(&w, o, m->subject);
    const char *rp = header(a, o, "Return-Path");
    if (!m->auto_reason && (header(a, o, "X-Failed-Recipients") || (rp && strcmp(rp, "<>") == 0)))
      m->auto_reason = "bounce";
    if (m->auto_reason && strcmp(m->auto_reason, "bounce") == 0) m->refers_to = w.bounced_id;
  }
  if (!m->from_addr) {
    *reason = "Mittente mancante o non valido.";
    rc = ERR_INVALID;
    goto out;
  }
  if (!m->text) m->text = "";
  const char *kind;
  int year;
  int64_t number;
  if (mail_subject_tag(m->subject, &kind, &year, &number)) {
    m->tag_kind = kind;
    m->tag_year = year;
    m->tag_number = number;
  }
out:
  if (msg) g_object_unref(msg);
  g_object_unref(parser);
  g_object_unref(s);
  g_mime_parser_options_free(po);
  return rc;
}

void mail_limits_from_config(mail_limits *l) {
  l->max_message_bytes = config_int("mail", "max_message_bytes");
  l->max_attachment_bytes = config_int("mail", "max_attachment_bytes");
  l->max_parts = (int)config_int("mail", "max_parts");
}

/* "[Pratica 2026-000123]" or "[Prot. 0000042/2026]" (also "Prot" without
 * the dot, "Prot. n."), case-insensitive, anywhere in the subject. */
int mail_subject_tag(const char *subject, const char **kind, int *year, int64_t *number) {
  for (const char *p = subject ? strchr(subject, '[') : NULL; p; p = strchr(p + 1, '[')) {
    const char *q = p + 1;
    int pratica = strncasecmp(q, "pratica ", 8) == 0;
    int prot = strncasecmp(q, "prot", 4) == 0;
    if (!pratica && !prot) continue;
    q += pratica ? 8 : 4;
    if (prot) {
      if (*q == '.') q++;
      while (*q == ' ') q++;
      if (strncasecmp(q, "n.", 2) == 0) q += 2;
      while (*q == ' ') q++;
    }
    char *end;
    long long a1 = strtoll(q, &end, 10);
    if (end == q || end - q > 12) continue;
    char sep = *end;
    if ((pratica && sep != '-') || (prot && sep != '/')) continue;
    const char *r = end + 1;
    long long a2 = strtoll(r, &end, 10);
    if (end == r || end - r > 12 || *end != ']') continue;
    long long y = pratica ? a1 : a2, n = pratica ? a2 : a1;
    if (y < 1900 || y > 2200 || n < 1) continue;
    *kind = pratica ? "pratica" : "prot";
    *year = (int)y;
    *number = n;
    return 1;
  }
  return 0;
}
