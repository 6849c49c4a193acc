/* Building outgoing messages with GMime, and the process-wide set-up of
 * GMime and libcurl. */
#include <curl/curl.h>
#include <gmime/gmime.h>
#include <pthread.h>
#include <string.h>

#include "core/clock.h"
#include "mail/mail.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void init_once(void) {
  g_mime_init();
  curl_global_init(CURL_GLOBAL_DEFAULT);
}

void mail_init(void) { pthread_once(&once, init_once); }

/* "<id@host>" -> "id@host" (GMime adds the brackets). */
static char *bare_id(arena *a, const char *id) {
  size_t n = strlen(id);
  if (n >= 2 && id[0] == '<' && id[n - 1] == '>') return arena_strndup(a, id + 1, n - 2);
  return arena_strdup(a, id);
}

static GMimeTextPart *text_part(const char *subtype, const char *text) {
  GMimeTextPart *p = g_mime_text_part_new_with_subtype(subtype);
  g_mime_text_part_set_text(p, text);
  g_mime_part_set_content_encoding(GMIME_PART(p), GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
  return p;
}

static GMimePart *attachment_part(const notify_attachment *x) {
  const char *slash = strchr(x->mime, '/');
  char type[128] = "application", sub[128] = "octet-stream";
  if (slash && (size_t)(slash - x->mime) < sizeof type && strlen(slash + 1) < sizeof sub) {
    memcpy(type, x->mime, (size_t)(slash - x->mime));
    type[slash - x->mime] = 0;
    strcpy(sub, slash + 1);
  }
  GMimePart *p = g_mime_part_new_with_type(type, sub);
  g_mime_part_set_filename(p, x->name);
  GMimeStream *s = g_mime_stream_mem_new_with_buffer(x->data ? x->data : "", (size_t)x->size);
  GMimeDataWrapper *w = g_mime_data_wrapper_new_with_stream(s, GMIME_CONTENT_ENCODING_DEFAULT);
  g_mime_part_set_content(p, w);
  g_object_unref(w);
  g_object_unref(s);
  g_mime_part_set_content_encoding(p, GMIME_CONTENT_ENCODING_BASE64);
  return p;
}

err_code mail_build(arena *a, const notify_mail *m, char **out, size_t *len) {
  mail_init();
  GMimeMessage *msg = g_mime_message_new(TRUE);
  GMimeObject *obj = GMIME_OBJECT(msg);
  InternetAddressList *l;
  l = internet_address_list_parse(NULL, m->from);
  if (l) {
    internet_address_list_append(g_mime_message_get_from(msg), l);
    g_object_unref(l);
  }
  l = internet_address_list_parse(NULL, m->to);
  if (l) {
    internet_address_list_append(g_mime_message_get_to(msg), l);
    g_object_unref(l);
  }
  if (m->cc && (l = internet_address_list_parse(NULL, m->cc))) {
    internet_address_list_append(g_mime_message_get_cc(msg), l);
    g_object_unref(l);
  }
  g_mime_message_set_subject(msg, m->subject, "utf-8");
  GDateTime *now = g_date_time_new_from_unix_utc(m->created_at ? m->created_at : clock_now());
  g_mime_message_set_date(msg, now);
  g_date_time_unref(now);
  g_mime_message_set_message_id(msg, bare_id(a, m->message_id));
  if (m->in_reply_to) g_mime_object_set_header(obj, "In-Reply-To", m->in_reply_to, NULL);
  if (m->references) g_mime_object_set_header(obj, "References", m->references, NULL);
  if (m->auto_submitted) {
    g_mime_object_set_header(obj, "Auto-Submitted", m->auto_submitted, NULL);
    g_mime_object_set_header(obj, "X-Auto-Response-Suppress", "All", NULL);
  }

  GMimeObject *body = GMIME_OBJECT(text_part("plain", m->text));
  if (m->html) {
    GMimeMultipart *alt = g_mime_multipart_new_with_subtype("alternative");
    g_mime_multipart_add(alt, body);
    g_object_unref(body);
    GMimeTextPart *h = text_part("html", m->html);
    g_mime_multipart_add(alt, GMIME_OBJECT(h));
    g_object_unref(h);
    body = GMIME_OBJECT(alt);
  }
  if (m->n_att) {
    GMimeMultipart *mixed = g_mime_multipart_new_with_subtype("mixed");
    g_mime_multipart_add(mixed, body);
    g_object_unref(body);
    for (size_t i = 0; i < m->n_att; i++) {
      GMimePart *p = attachment_part(&m->att[i]);
      g_mime_multipart_add(mixed, GMIME_OBJECT(p));
      g_object_unref(p);
    }
    body = GMIME_OBJECT(mixed);
  }
  g_mime_message_set_mime_part(msg, body);
  g_object_unref(body);

  GMimeStream *mem = g_mime_stream_mem_new();
  GMimeFormatOptions *fo = g_mime_format_options_new();
  g_mime_format_options_set_newline_format(fo, GMIME_NEWLINE_FORMAT_DOS);
  ssize_t w = g_mime_object_write_to_stream(obj, fo, mem);
  g_mime_format_options_free(fo);
  err_code rc = ERR_INTERNAL;
  if (w >= 0) {
    GByteArray *ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
    *out = arena_alloc(a, ba->len + 1);
    memcpy(*out, ba->data, ba->len);
    (*out)[ba->len] = 0;
    *len = ba->len;
    rc = ERR_OK;
  }
  g_object_unref(mem);
  g_object_unref(msg);
  return rc;
}
