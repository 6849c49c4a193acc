/* The hand-off from mail intake to the cases area, inside the intake
 * transaction: a new request opens a case (its protocol entry, already
 * registered by intake, is linked; intake has acknowledged it); a reply
 * joins its case, found by the "[Pratica 2026-000123]" or "[Prot.
 * 0000042/2026]" tag in the subject, then by the message it answers (In-Reply-To/References, or one of our
 * outgoing messages about a case). A message the cases area cannot take
 * (no usable sender address) stays 'unassigned' in the intake queue;
 * storage errors fail the transaction. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/validate.h"
#include "domain/cases/cases.h"
#include "domain/intake/intake.h"
#include "domain/jobs/jobs.h"

/* At most max characters of s (UTF-8), as a copy. */
static const char *clip(arena *a, const char *s, size_t max) {
  if (!s) return NULL;
  size_t chars = 0, i = 0;
  for (; s[i]; i++) {
    if (((unsigned char)s[i] & 0xC0) != 0x80 && chars++ == max) break;
  }
  return arena_strndup(a, s, i);
}

static case_file *files_of(arena *a, const intake_delivery *m, size_t *n) {
  *n = 0;
  if (!m->parts || !m->n_attachments) return NULL;
  case_file *f = ARENA_ARRAY(a, case_file, m->n_attachments);
  for (size_t i = 0; i < m->n_attachments && *n < CASE_MAX_ATTACHMENTS; i++) {
    const intake_part *p = &m->parts[i];
    if (strcmp(p->role, "daticert") == 0 || p->size > (25 << 20) || !p->name || !*p->name) continue;
    f[(*n)++] = (case_file){.name = clip(a, p->name, 255), .mime = p->mime, .data = p->data,
                            .size = p->size};
  }
  return f;
}

static int64_t case_of_reply(db *d, arena *a, const intake_delivery *m) {
  case_rec c;
  if (m->tag_kind && strcmp(m->tag_kind, "pratica") == 0 &&
      cases_get_by_number(d, a, m->ente_id, m->tag_year, m->tag_number, &c) == ERR_OK)
    return c.id;
  int64_t id = 0;
  if (m->tag_kind && strcmp(m->tag_kind, "prot") == 0 &&
      cases_of_protocol(d, a, m->ente_id, m->tag_year, m->tag_number, &id) == ERR_OK)
    return id;
  if (m->reply_case_id) return m->reply_case_id;
  if (m->reply_to_message && cases_of_mail_message(d, m->ente_id, m->reply_to_message, &id) == ERR_OK)
    return id;
  if (m->reply_object_type && strcmp(m->reply_object_type, "case") == 0 && m->reply_object_id &&
      cases_get(d, a, m->ente_id, m->reply_object_id, &c) == ERR_OK)
    return c.id;
  return 0;
}

err_code intake_deliver_to_case(db *d, arena *a, const intake_delivery *m, int64_t *case_id) {
  *case_id = 0;
  const char *from = m->from_addr && !validate_email(m->from_addr) ? m->from_addr : NULL;
  const char *subject = m->subject && *m->subject ? clip(a, m->subject, CASE_MAX_SUBJECT)
                                                 : "(senza oggetto)";
  size_t n_files;
  case_file *files = files_of(a, m, &n_files);
  problem pb = {0};
  err_code rc;
  if (strcmp(m->kind, "reply") == 0) {
    int64_t id = case_of_reply(d, a, m);
    if (id) {
      case_reply_in in = {.ente_id = m->ente_id, .case_id = id, .channel = m->channel,
                          .sender = m->from_addr ? clip(a, m->from_addr, 300) : "(sconosciuto)",
                          .subject = subject, .body = clip(a, m->text, CASE_MAX_TEXT),
                          .message_id = m->rfc_message_id, .in_reply_to = m->in_reply_to,
                          .references = m->references, .mail_message_id = m->message_id,
                          .protocol_entry_id = m->protocol_entry_id, .files = files,
                          .n_files = n_files};
      rc = cases_add_incoming(d, a, NULL, &in, &pb);
      if (rc == ERR_OK) {
        *case_id = id;
        /* what follows a reply by mail (an online service's application:
         * its integration step, job case.mail_reply in src/jobs) */
        json_t *p = json_pack("{s:I, s:I, s:s?}", "case", (json_int_t)id, "mail_message",
                              (json_int_t)m->message_id, "message_id", m->rfc_message_id);
        char *payload = p ? json_dumps(p, JSON_COMPACT) : NULL;
        json_decref(p);
        if (!payload) return ERR_INTERNAL;
        job_new jn = {"case.mail_reply", m->ente_id, arena_strdup(a, payload), 0,
                      arena_printf(a, "mail-reply-%lld", (long long)m->message_id)};
        free(payload);
        rc = job_enqueue(d, &jn, NULL);
      }
      return rc == ERR_INVALID ? ERR_OK : rc;
    }
    /* a reply to nothing we know: a new request */
  }
  if (!from) return ERR_OK;
  int pec = strcmp(m->channel, "pec") == 0;
  const char *name = m->from_name && *m->from_name ? clip(a, m->from_name, CASE_MAX_NAME) : from;
  case_input in = {.ente_id = m->ente_id, .channel = pec ? "pec" : "email",
                   .category_code = case_guess_category(subject, NULL), .subject = subject,
                   .description = clip(a, m->text, CASE_MAX_TEXT), .requester_name = name,
                   .requester_email = pec ? NULL : from, .requester_pec = pec ? from : NULL,
                   .message_id = m->rfc_message_id, .references = m->references,
                   .mail_message_id = m->message_id, .protocol_entry_id = m->protocol_entry_id,
                   .protocol_year = m->protocol_year, .protocol_number = m->protocol_number,
                   .files = files, .n_files = n_files};
  case_rec c;
  rc = cases_open(d, a, NULL, &in, &c, &pb);
  if (rc == ERR_OK) *case_id = c.id;
  return rc == ERR_INVALID || rc == ERR_TOO_LARGE ? ERR_OK : rc;
}
