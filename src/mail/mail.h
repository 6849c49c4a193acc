/* src/mail: Internet mail for the outbox and for intake, above the domain
 * (beside http and render): building messages and sending them over SMTP,
 * parsing what arrives (GMime 3: MIME, charsets, PEC envelopes and
 * receipts, bounces, auto-replies), sanitising HTML, and reading
 * mailboxes (Maildir, IMAP over libcurl). The domain areas notify (outbox)
 * and intake (storing, classifying, protocol) hold the rules and the SQL. */
#ifndef SP_MAIL_H
#define SP_MAIL_H
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/error.h"
#include "domain/intake/intake.h"
#include "domain/notify/notify.h"

/* GMime and libcurl global set-up, once per process (thread-safe). */
void mail_init(void);

/* The RFC 5322 text (CRLF line ends) of an outbox message: From, To, Cc,
 * Subject (RFC 2047 when needed), Date, our Message-ID, In-Reply-To,
 * References, Auto-Submitted, text and HTML alternatives, attachments in
 * base64. */
err_code mail_build(arena *a, const notify_mail *m, char **out, size_t *len);

/* SMTP over libcurl with the [mail] configuration (smtp_url, smtp_user,
 * smtp_password, smtp_starttls, tls_verify, smtp_timeout_seconds). The
 * envelope sender is from, the recipients rcpt. err gets a sentence for
 * the administrator (no password). */
err_code smtp_send(const char *from, const char *const *rcpt, size_t n_rcpt, const char *data,
                   size_t len, char *err, size_t errlen);

/* One SMS through the [sms] gateway (sms.c): to in E.164 form, reference
 * our id for the message. err gets a sentence for the administrator. */
err_code sms_send(const char *to, const char *text, const char *reference, char *err, size_t errlen);

/* Limits applied by mail_parse (from the [mail] configuration). */
typedef struct {
  int64_t max_message_bytes, max_attachment_bytes;
  int max_parts;
} mail_limits;
void mail_limits_from_config(mail_limits *l);

/* Parses a received message into m (everything copied into a): headers,
 * text (UTF-8; from the HTML when there is no text/plain), sanitised
 * HTML, attachments and inline parts, the PEC envelope opened (the real
 * message is postacert.eml; daticert.xml parsed and kept as a part), and
 * what makes it automatic (PEC receipt, bounce, auto-reply, list or bulk
 * mail). ERR_INVALID / ERR_TOO_LARGE with *reason (Italian) for a message
 * to quarantine. */
err_code mail_parse(arena *a, const void *raw, size_t len, const mail_limits *lim, intake_msg *m,
                    const char **reason);

/* HTML to safe HTML: only formatting elements and links with http(s) or
 * mailto targets survive; scripts, styles, event attributes and embedded
 * objects are removed. The text of the HTML (for a message without
 * text/plain) into *text when not NULL. */
char *mail_html_sanitize(arena *a, const char *html, size_t len, char **text);

/* PEC certification data (daticert.xml), read without DTD, entities or
 * network. ERR_INVALID when it is not a daticert. */
typedef struct {
  const char *tipo, *errore, *mittente, *oggetto, *gestore, *identificativo, *msgid, *consegna,
      *errore_esteso, *giorno, *ora;
} pec_daticert;
err_code pec_daticert_parse(arena *a, const void *xml, size_t len, pec_daticert *out);

/* Subject tags of cases and protocol entries: "[Pratica 2026-000123]" and
 * "[Prot. 0000042/2026]". Returns 1 and fills the fields when subject
 * carries one. */
int mail_subject_tag(const char *subject, const char **kind, int *year, int64_t *number);

/* Intake from sources. Each message: parsed (or quarantined with its
 * reason), stored and registered in one transaction (intake_store), then
 * - only after the commit - marked processed at the source. */
typedef struct {
  int64_t seen, stored, duplicates, automatic, quarantined, failed;
} mail_ingest_stats;

/* Every message in DIR/new: stored, then moved to DIR/cur (":2,S"). */
err_code mail_ingest_maildir(db *d, const intake_mailbox *mb, const char *dir,
                             mail_ingest_stats *st);
/* One poll of an IMAP(S) mailbox: messages with UID above the stored
 * position (UIDVALIDITY checked), each stored then moved to the processed
 * folder (or flagged \Seen) after its commit. */
err_code mail_poll_imap(db *d, const intake_mailbox *mb, mail_ingest_stats *st, char *err,
                        size_t errlen);
/* One raw message from a source (ref: file name or UID, for quarantine). */
err_code mail_ingest_one(db *d, const intake_mailbox *mb, const char *ref, const void *raw,
                         size_t len, int64_t uid, mail_ingest_stats *st);

/* Releases quarantined message id: read again from its kept raw content
 * under the configured limits and, when readable, stored and registered
 * as intake does (intake_release: one transaction with the row marked
 * released and audited by who). ERR_NOT_FOUND; ERR_CONFLICT (no longer
 * held) and ERR_INVALID (not kept, or still unreadable) with *why. */
err_code mail_release(db *d, arena *a, const actor *who, int64_t id, intake_result *res, const char **why);

#endif
