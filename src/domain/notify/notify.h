/* The outbox: every message the platform sends (e-mail now; PEC, SMS and
 * App IO later, on the same rows through channel). A message is written
 * with notify_enqueue_mail inside the transaction of the fact that causes
 * it, together with its delivery job (kind "mail.deliver"), so it exists
 * exactly when that fact committed.
 *
 * The Message-ID is ours, generated and stored at enqueue time. Delivery
 * (src/jobs/kind_mail_deliver.c) marks the row 'sending' in its own
 * transaction, runs the SMTP transaction, then marks it 'sent'. A crash
 * between the SMTP transaction and that record leaves the row 'sending'
 * and the job's lease running out: the job is claimed again and the
 * message is sent again with the SAME Message-ID (at-least-once delivery;
 * the copy is recognisable by the recipient's client and by us, since
 * intake treats our own Message-IDs as loops).
 *
 * Attachments are stored once by SHA-256 in blob. */
#ifndef SP_NOTIFY_H
#define SP_NOTIFY_H
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/error.h"
#include "db/db.h"
#include "domain/audit/audit.h"

enum {
  NOTIFY_MAX_ATTACHMENTS = 20,
  NOTIFY_MAX_ATTACHMENT_BYTES = 25 << 20,
  NOTIFY_MAX_SUBJECT = 500,    /* bytes */
  NOTIFY_MAX_BODY = 1 << 20,   /* bytes of the text body */
  NOTIFY_MAX_SMS = 640,        /* bytes of an SMS text (four concatenated parts) */
  NOTIFY_MAX_ATTEMPTS = 8,     /* then 'dead' (kinds.c uses the same) */
};

#define NOTIFY_JOB_KIND "mail.deliver"

typedef struct {
  const char *name, *mime;
  const void *data;
  int64_t size;
  char sha256[65]; /* computed by notify_enqueue_mail / read back */
} notify_attachment;

typedef struct {
  int64_t id, ente_id;
  const char *channel;        /* "email" (default) | "pec" | "sms" (to: a mobile) */
  const char *from, *to, *cc; /* addresses; cc may be NULL */
  const char *subject;
  const char *text, *html;    /* html may be NULL */
  const char *in_reply_to;    /* "<id@host>" or NULL */
  const char *references;     /* space-separated ids or NULL */
  const char *auto_submitted; /* "auto-replied", "auto-generated" or NULL */
  const char *object_type;    /* what caused it ("mail_message", "case"...) */
  int64_t object_id;
  notify_attachment *att;
  size_t n_att;
  /* read back */
  const char *message_id;
  const char *state;
  int attempts;
  const char *last_error;
  int64_t created_at, sent_at;
  const char *delivery; /* NULL, "accepted", "delivered", "not_delivered" */
  int64_t delivery_at;
} notify_mail;

/* A new Message-ID "<time.random@domain>" (domain: config mail.domain). */
const char *notify_new_message_id(arena *a);

/* Writes m to the outbox and enqueues its delivery job, inside the
 * caller's db_tx (ERR_INTERNAL outside one). m->id and m->message_id are
 * set. ERR_INVALID with *pb for a bad address, subject or body. */
err_code notify_enqueue_mail(db *d, arena *a, notify_mail *m, problem *pb);

/* A message with its attachments (content included), for delivery. */
err_code notify_get(db *d, arena *a, int64_t id, notify_mail *out);
/* Delivery bookkeeping, each its own transaction. */
err_code notify_mark_sending(db *d, const notify_mail *m);
err_code notify_mark_sent(db *d, const notify_mail *m);
/* dead = 1 when no attempt is left. */
err_code notify_mark_failed(db *d, const notify_mail *m, const char *error, int dead);

/* The outgoing message of the Ente with this Message-ID ("<...>"), inside
 * or outside a transaction; ERR_NOT_FOUND when it is not one of ours. */
err_code notify_find_by_message_id(db *d, int64_t ente_id, const char *message_id, int64_t *id,
                                   const char **object_type, int64_t *object_id, arena *a);

/* What a PEC receipt or a bounce says about outgoing message id of the
 * Ente, inside the caller's db_tx: delivery is "accepted", "delivered" or
 * "not_delivered", detail the receipt type. A final state (delivered, not
 * delivered) is never replaced, and an acceptance never repeats: *changed
 * is 1 only when the row changed, and then an audit row is written.
 * ERR_INVALID for another delivery value. */
err_code notify_record_delivery(db *d, int64_t ente_id, int64_t id, const char *delivery, const char *detail,
                                int64_t mail_message_id, int *changed);

/* Outgoing messages of an Ente, newest first (no attachment content). */
err_code notify_list(db *d, arena *a, int64_t ente_id, int limit, notify_mail **out, size_t *n);

#endif
