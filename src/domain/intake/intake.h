/* Mail intake: the mailboxes of each Ente and the messages that arrive in
 * them. src/mail parses a message into an intake_msg; intake_store then,
 * in ONE transaction: skips it if already stored (Message-ID + content
 * hash per mailbox), classifies it (automatic / reply / new request),
 * stores it with its parts (content once by SHA-256 in blob), registers
 * every communication (request or reply) in the protocol as incoming with
 * the .eml and the attachments as documents, acknowledges a new request
 * through the outbox (Auto-Submitted: auto-replied) with its protocol
 * number, links PEC receipts and bounces to the outgoing message they
 * concern, advances the IMAP position, and hands the message to the
 * cases area through intake_deliver_to_case.
 *
 * Subject tags (docs/architecture.md, "Mail intake"): we put
 * "[Prot. 0000042/2026]" in the subjects we send about a protocol entry;
 * the cases area puts "[Pratica 2026-000123]" (year, case number). A
 * message whose subject carries either is a reply. */
#ifndef SP_INTAKE_H
#define SP_INTAKE_H
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/error.h"
#include "db/db.h"
#include "domain/audit/audit.h"

typedef struct {
  int64_t id, ente_id;
  char *name;      /* "istanze", "pec", "informazioni"... */
  char *kind;      /* "imap" | "maildir" */
  char *url;       /* imap[s]://host[:port]/FOLDER or a Maildir path */
  char *username, *password;
  char *address;   /* the mailbox's own address: sender of acknowledgements */
  int pec;
  char *processed_folder; /* IMAP: move there after commit; NULL: flag \Seen */
  int64_t uidvalidity, last_uid;
  int active;
} intake_mailbox;

typedef struct {
  const char *role; /* "attachment" | "inline" | "daticert" */
  const char *name, *mime, *content_id;
  const void *data;
  int64_t size;
  char sha256[65];
} intake_part;

/* A parsed message (src/mail fills it). */
typedef struct {
  const void *raw;          /* the message as received (the .eml) */
  int64_t raw_size;
  char raw_sha256[65];      /* of raw */
  char content_sha256[65];  /* of raw with CRLF as LF: the duplicate key */
  const char *message_id;   /* "<...>"; synthesised from the hash when absent */
  const char *origin_id;    /* the sender's own Message-ID (PEC: of postacert.eml,
                               the envelope has the provider's); threads on it */
  const char *from_addr, *from_name, *to_addrs, *subject, *date;
  const char *in_reply_to, *references;
  const char *text, *html;  /* UTF-8; html sanitised */
  intake_part *parts;
  size_t n_parts;
  /* set from the content alone: NULL for a message a person wrote, else
   * "pec-receipt", "bounce", "auto-reply", "bulk", "loop" */
  const char *auto_reason;
  const char *refers_to;    /* the Message-ID a receipt or bounce is about */
  int pec;                  /* a PEC transport envelope or receipt */
  const char *pec_type;     /* daticert tipo / X-Ricevuta / X-Trasporto */
  const char *tag_kind;     /* "pratica" | "prot" | NULL */
  int tag_year;
  int64_t tag_number;
} intake_msg;

/* What intake_store did. */
typedef struct {
  int64_t message_id;     /* mail_message.id */
  const char *kind;       /* "request" | "reply" | "automatic" */
  int duplicate;          /* already stored: nothing done */
  int64_t protocol_number;
  int protocol_year;
  int64_t ack_outbox_id;  /* acknowledgement enqueued (0: none) */
  int64_t linked_outbox;  /* receipt/bounce attached to this outgoing message */
  int64_t case_id;        /* from intake_deliver_to_case (0: unassigned) */
  int64_t protocol_entry_id; /* the incoming entry registered (0: none) */
} intake_result;

/* What the cases area receives for every request and reply, inside the
 * intake transaction, after the protocol entry. */
typedef struct {
  int64_t message_id, ente_id, mailbox_id;
  const char *kind;           /* "request" | "reply" */
  const char *channel;        /* "email" | "pec" */
  const char *from_addr, *from_name, *subject, *text;
  int64_t protocol_entry_id;
  int protocol_year;
  int64_t protocol_number;
  /* for a reply, what it answers (any may be 0/NULL) */
  const char *tag_kind;       /* "pratica": tag_year/tag_number name a case */
  int tag_year;
  int64_t tag_number;
  int64_t reply_to_message;   /* an earlier stored message of the thread */
  int64_t reply_case_id;      /* that message's case, when it has one */
  int64_t reply_outbox_id;    /* one of our outgoing messages it answers */
  const char *reply_object_type; /* that outgoing message's cause */
  int64_t reply_object_id;
  size_t n_attachments;
  /* the message's own headers (threading) and its parts (attachments) */
  const char *rfc_message_id, *in_reply_to, *references;
  const intake_part *parts;
} intake_delivery;

/* Implemented by the cases area (src/domain/intake/intake_case.c is the
 * one file it replaces): opens a case for a request or adds a reply to
 * its case, inside the caller's transaction; *case_id 0 leaves the
 * message 'unassigned' in the intake queue. The default keeps every
 * message unassigned. */
err_code intake_deliver_to_case(db *d, arena *a, const intake_delivery *m, int64_t *case_id);

/* Mailboxes. add: ERR_INVALID (*pb) for a bad name/kind/url/address,
 * ERR_CONFLICT when the Ente has one with that name. */
err_code intake_mailbox_add(db *d, const actor *who, intake_mailbox *mb, problem *pb);
err_code intake_mailbox_find(db *d, arena *a, int64_t ente_id, const char *name,
                             intake_mailbox *out);
/* Every active mailbox (ente_id 0: of every Ente). */
err_code intake_mailbox_list(db *d, arena *a, int64_t ente_id, intake_mailbox **out, size_t *n);
/* A new UIDVALIDITY: the position restarts at 0 (duplicates are still
 * recognised by Message-ID and content). */
err_code intake_mailbox_reset(db *d, int64_t mailbox_id, int64_t uidvalidity);

/* Stores and registers m (see above) in one transaction; uid > 0 (IMAP)
 * also advances the mailbox position. */
err_code intake_store(db *d, arena *a, const intake_mailbox *mb, intake_msg *m, int64_t uid,
                      intake_result *res);

/* Keeps a message that cannot be read, with the reason (raw kept when not
 * over the size limit), and advances the position past uid (> 0). */
err_code intake_quarantine(db *d, const intake_mailbox *mb, const char *ref, const char *reason,
                           const void *raw, size_t len, int keep_raw, int64_t uid);

typedef struct {
  int64_t id, ente_id, mailbox_id;
  char *ente_slug, *mailbox;
  char *source_ref, *reason, *raw_sha256;
  int64_t size, created_at;
  char *state; /* held, released, discarded */
} intake_quarantined;
/* Newest first; ente_id 0: every Ente. */
err_code intake_quarantine_list(db *d, arena *a, int64_t ente_id, int limit,
                                intake_quarantined **out, size_t *n);

/* A quarantined row and its raw message (*raw NULL when it was not kept:
 * over the size limit). ERR_NOT_FOUND. */
err_code intake_quarantine_get(db *d, arena *a, int64_t id, intake_quarantined *out, const void **raw,
                               size_t *len);
/* Releases quarantined row qid: m, read again from its raw message, is
 * stored and registered exactly as intake_store does (a message already
 * stored counts as done), and the row becomes 'released' with the stored
 * message and an audit row by who, all in one transaction. ERR_CONFLICT
 * when the row is no longer held. */
err_code intake_release(db *d, arena *a, const actor *who, const intake_quarantined *q, intake_msg *m,
                        intake_result *res);
/* From the administrator's page (which cannot parse mail): enqueues the
 * release of held row id as a "mail.release" job, audited by who; the
 * worker runs mail_release. ERR_NOT_FOUND, ERR_CONFLICT (not held). */
#define INTAKE_RELEASE_JOB "mail.release"
err_code intake_quarantine_request_release(db *d, const actor *who, int64_t id);
/* Discards a held row (kept for the record as 'discarded'), audited.
 * ERR_NOT_FOUND, ERR_CONFLICT when no longer held. */
err_code intake_quarantine_discard(db *d, const actor *who, int64_t id);

/* Stored messages, newest first (no bodies), for tests and the office. */
typedef struct {
  int64_t id, mailbox_id, outbox_id, protocol_entry_id, case_id, reply_to_message;
  char *message_id, *from_addr, *subject, *kind, *auto_reason, *state, *pec_type;
} intake_stored;
err_code intake_message_list(db *d, arena *a, int64_t ente_id, int limit, intake_stored **out,
                             size_t *n);

#endif
