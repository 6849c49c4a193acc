/* Outbox rules: validation of what is enqueued, our Message-IDs, the
 * delivery job enqueued with the message, the delivery states. */
#include "domain/notify/notify.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/config.h"
#include "core/validate.h"
#include "domain/jobs/jobs.h"
#include "domain/notify/notify_store.h"

const char *notify_new_message_id(arena *a) {
  unsigned char rnd[12];
  char hex[25];
  randombytes_buf(rnd, sizeof rnd);
  sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
  return arena_printf(a, "<%lld.%s@%s>", (long long)clock_now(), hex,
                      config_str("mail", "domain"));
}

static err_code bad(problem *pb, const char *field, const char *msg) {
  if (pb) *pb = (problem){ERR_INVALID, field, msg};
  return ERR_INVALID;
}

/* A header value must not carry CR or LF (header injection). */
static int one_line(const char *s) { return !s || !strpbrk(s, "\r\n"); }

/* An SMS: to a mobile (normalised to E.164), a short text, nothing else. */
static err_code validate_sms(arena *a, notify_mail *m, problem *pb) {
  char e164[16];
  if (!m->to || mobile_normalize(m->to, e164) != 0) return bad(pb, "to", "Numero di cellulare non valido.");
  m->to = arena_strdup(a, e164);
  if (!m->from) m->from = "sms";
  if (!m->subject || !*m->subject || strlen(m->subject) > NOTIFY_MAX_SUBJECT || !one_line(m->subject))
    return bad(pb, "subject", "Oggetto mancante o troppo lungo.");
  if (!m->text || !*m->text || strlen(m->text) > NOTIFY_MAX_SMS)
    return bad(pb, "text", "Testo dell'SMS mancante o troppo lungo.");
  if (m->n_att) return bad(pb, "attachments", "Un SMS non ha allegati.");
  return ERR_OK;
}

static err_code validate(arena *a, notify_mail *m, problem *pb) {
  if (!m->channel) m->channel = "email";
  if (strcmp(m->channel, "sms") == 0) return validate_sms(a, m, pb);
  if (strcmp(m->channel, "email") != 0 && strcmp(m->channel, "pec") != 0)
    return bad(pb, "channel", "Canale di invio non valido.");
  if (!m->from || validate_email(m->from) || !one_line(m->from))
    return bad(pb, "from", "Indirizzo del mittente non valido.");
  if (!m->to || validate_email(m->to) || !one_line(m->to))
    return bad(pb, "to", "Indirizzo del destinatario non valido.");
  if (m->cc && (validate_email(m->cc) || !one_line(m->cc)))
    return bad(pb, "cc", "Indirizzo in copia non valido.");
  if (!m->subject || !*m->subject || strlen(m->subject) > NOTIFY_MAX_SUBJECT ||
      !one_line(m->subject))
    return bad(pb, "subject", "Oggetto mancante o troppo lungo.");
  if (!m->text || strlen(m->text) > NOTIFY_MAX_BODY)
    return bad(pb, "text", "Testo del messaggio mancante o troppo lungo.");
  if (!one_line(m->in_reply_to) || !one_line(m->references) || !one_line(m->auto_submitted))
    return bad(pb, "headers", "Intestazioni non valide.");
  if (m->n_att > NOTIFY_MAX_ATTACHMENTS) return bad(pb, "attachments", "Troppi allegati.");
  for (size_t i = 0; i < m->n_att; i++) {
    notify_attachment *x = &m->att[i];
    if (!x->name || !*x->name || !one_line(x->name) || strlen(x->name) > 255)
      return bad(pb, "attachments", "Nome di allegato non valido.");
    if (!x->mime || !*x->mime) x->mime = "application/octet-stream";
    if (x->size < 0 || (x->size > 0 && !x->data))
      return bad(pb, "attachments", "Allegato senza contenuto.");
    if (x->size > NOTIFY_MAX_ATTACHMENT_BYTES) {
      if (pb) *pb = (problem){ERR_TOO_LARGE, "attachments", "Allegato troppo grande."};
      return ERR_TOO_LARGE;
    }
  }
  return ERR_OK;
}

err_code notify_enqueue_mail(db *d, arena *a, notify_mail *m, problem *pb) {
  if (!db_in_tx(d)) return ERR_INTERNAL;
  err_code rc = validate(a, m, pb);
  if (rc != ERR_OK) return rc;
  int64_t now = clock_now();
  m->message_id = notify_new_message_id(a);
  if ((rc = ns_insert(d, m, now, &m->id)) != ERR_OK) return rc;
  for (size_t i = 0; i < m->n_att; i++) {
    notify_attachment *x = &m->att[i];
    unsigned char md[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(md, x->data ? x->data : (const void *)"", (unsigned long long)x->size);
    sodium_bin2hex(x->sha256, sizeof x->sha256, md, sizeof md);
    if ((rc = db_blob_put(d, x->sha256, x->data, x->size, now)) != ERR_OK) return rc;
    if ((rc = ns_insert_attachment(d, m->id, (int)i, x)) != ERR_OK) return rc;
  }
  char payload[64], key[48];
  snprintf(payload, sizeof payload, "{\"outbox_id\":%lld}", (long long)m->id);
  snprintf(key, sizeof key, "outbox:%lld", (long long)m->id);
  job_new jn = {.kind = NOTIFY_JOB_KIND, .ente_id = m->ente_id, .payload = payload,
                .dedup_key = key};
  if ((rc = job_enqueue(d, &jn, NULL)) != ERR_OK) return rc;
  return audit_write_json(d, NULL, m->ente_id, "outbox.enqueue", "outbox", m->id, NULL,
                          json_pack("{s:s, s:s, s:s, s:s, s:s?, s:I}", "channel", m->channel,
                                    "to", m->to, "subject", m->subject, "message_id",
                                    m->message_id, "object_type", m->object_type, "object_id",
                                    (json_int_t)m->object_id));
}

err_code notify_get(db *d, arena *a, int64_t id, notify_mail *out) {
  err_code rc = ns_get(d, a, id, out);
  if (rc != ERR_OK) return rc;
  return ns_attachments(d, a, id, 1, &out->att, &out->n_att);
}

typedef struct {
  int64_t id, ente_id;
  const char *state, *error;
  int attempt;
} state_tx;

static err_code state_fn(db *d, void *ctx) {
  state_tx *t = ctx;
  err_code rc = ns_set_state(d, t->id, t->state, t->error, t->attempt, clock_now());
  /* 'sending' is the bookkeeping of an attempt; the outcomes are audited */
  if (rc != ERR_OK || strcmp(t->state, "sending") == 0) return rc;
  return audit_write_json(d, NULL, t->ente_id, "outbox.delivery", "outbox", t->id, NULL,
                          json_pack("{s:s, s:s?}", "state", t->state, "error", t->error));
}

static err_code set_state(db *d, const notify_mail *m, const char *state, const char *error,
                          int attempt) {
  state_tx t = {m->id, m->ente_id, state, error, attempt};
  return db_tx(d, state_fn, &t);
}

err_code notify_mark_sending(db *d, const notify_mail *m) {
  return set_state(d, m, "sending", NULL, 1);
}

err_code notify_mark_sent(db *d, const notify_mail *m) { return set_state(d, m, "sent", NULL, 0); }

err_code notify_mark_failed(db *d, const notify_mail *m, const char *error, int dead) {
  char buf[1000];
  snprintf(buf, sizeof buf, "%s", error ? error : "errore sconosciuto");
  return set_state(d, m, dead ? "dead" : "failed", buf, 0);
}

err_code notify_find_by_message_id(db *d, int64_t ente_id, const char *message_id, int64_t *id,
                                   const char **object_type, int64_t *object_id, arena *a) {
  if (!message_id || !*message_id) return ERR_NOT_FOUND;
  return ns_find_msgid(d, a, ente_id, message_id, id, object_type, object_id);
}

err_code notify_record_delivery(db *d, int64_t ente_id, int64_t id, const char *delivery, const char *detail,
                                int64_t mail_message_id, int *changed) {
  *changed = 0;
  if (!delivery || (strcmp(delivery, "accepted") != 0 && strcmp(delivery, "delivered") != 0 &&
                    strcmp(delivery, "not_delivered") != 0))
    return ERR_INVALID;
  if (!db_in_tx(d)) return ERR_INTERNAL;
  int64_t n = 0;
  err_code rc = ns_set_delivery(d, ente_id, id, delivery, detail, clock_now(), &n);
  if (rc != ERR_OK || n == 0) return rc;
  *changed = 1;
  return audit_write_json(d, NULL, ente_id, "outbox.receipt", "outbox", id, NULL,
                          json_pack("{s:s, s:s?, s:I}", "delivery", delivery, "receipt", detail,
                                    "mail_message_id", (json_int_t)mail_message_id));
}

err_code notify_list(db *d, arena *a, int64_t ente_id, int limit, notify_mail **out, size_t *n) {
  return ns_list(d, a, ente_id, limit, out, n);
}
