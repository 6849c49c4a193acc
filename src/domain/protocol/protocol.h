/* The protocol register (registro di protocollo) of each Ente: numbered
 * per calendar year without gaps or repeats, entries immutable, annulment
 * as a new fact, documents fingerprinted with SHA-256, one fascicolo per
 * category and year, the daily register with the hash of the day's
 * entries and the audit head.
 *
 * protocol_register may run inside the caller's db_tx (a case and its
 * protocol entry commit together) or on its own. */
#ifndef SP_PROTOCOL_H
#define SP_PROTOCOL_H
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/date.h"
#include "core/error.h"
#include "db/db.h"
#include "domain/audit/audit.h"

enum {
  PROT_NUMBER_DIGITS = 7,          /* printed zero-padded to at least this */
  PROT_MAX_DOCS = 50,              /* documents per entry */
  PROT_MAX_DOC_BYTES = 25 << 20,   /* one document */
  PROT_MAX_SUBJECT = 500,          /* characters */
  PROT_MAX_CORRESPONDENT = 300,
  PROT_MIN_ANNUL_REASON = 10,
  PROT_MAX_ANNUL_REASON = 1000,
};

typedef struct {
  const char *role; /* "primary" | "attachment" */
  const char *name; /* file name as received */
  const char *mime;
  const void *data; /* content (register: in; reads: NULL unless asked) */
  int64_t size;
  char sha256[65];  /* hex; computed by protocol_register */
} prot_doc;

typedef struct {
  int64_t id, ente_id;
  int year;
  int64_t number;
  int64_t registered_at;
  char *day;           /* YYYY-MM-DD, Europe/Rome */
  char *direction;     /* "in" | "out" | "internal" */
  char *correspondent; /* sender (in) or recipient (out) */
  char *subject;
  char *channel;       /* "email" | "pec" | "web" | "counter" | "phone" | "internal" */
  char *category;      /* fascicolo category (the service), may be NULL */
  int64_t fascicolo_id;
  char *hash;          /* SHA-256 hex of the canonical entry */
  int annulled;
  char *annul_reason;
  int64_t annulled_at;
  prot_doc *docs;
  size_t n_docs;
} prot_entry;

/* "0000042/2026": the number as printed (at least 7 digits) and year. */
const char *protocol_label(arena *a, int64_t number, int year);

/* Registers e (in: ente_id, direction, correspondent, subject, channel,
 * category optional, docs with data; out: id, year, number, registered_at,
 * day, fascicolo_id, hash, docs' sha256). The number is the next of the
 * Ente's year; the entry, its documents, the counter and an audit row
 * commit together. ERR_INVALID with *pb naming the field for bad input,
 * ERR_TOO_LARGE for a document over the limit. */
err_code protocol_register(db *d, arena *a, const actor *who, prot_entry *e, problem *pb);

/* Annuls entry (ente_id, year, number) with a reason; the entry stays.
 * ERR_NOT_FOUND, ERR_PROTOCOL_ANNULLED when already annulled, ERR_INVALID
 * (reason too short/long). */
err_code protocol_annul(db *d, const actor *who, int64_t ente_id, int year, int64_t number,
                        const char *reason, problem *pb);

/* One entry with its documents (without content) and annulment. */
err_code protocol_get(db *d, arena *a, int64_t ente_id, int year, int64_t number, prot_entry *out);
/* A document's content by its fingerprint, within the Ente's entries. */
err_code protocol_document_data(db *d, arena *a, int64_t ente_id, const char *sha256,
                                const void **data, int64_t *size);
/* Entries of a year in number order (documents included, no content). */
err_code protocol_list_year(db *d, arena *a, int64_t ente_id, int year, prot_entry **out,
                            size_t *n);

/* The daily register: the entries registered on day (Rome) in number
 * order, with annulments; the SHA-256 over them; the audit chain head at
 * the close of the day. issue=1 records it as issued the first time; a
 * later call compares with what was issued (matches=0 when the entries or
 * the audit chain changed since). */
typedef struct {
  char day[11];
  int64_t entries;
  int64_t altered;   /* entries whose content no longer matches their hash */
  char sha256[65];
  char audit_head[65];
  int issued_before; /* a register for this day had been issued already */
  int matches;       /* with issued_before: same hash and audit head */
  char issued_sha256[65], issued_audit_head[65];
  int64_t issued_at;
} prot_day;
err_code protocol_day_register(db *d, arena *a, int64_t ente_id, civil_date day, int issue,
                               prot_entry **entries, size_t *n, prot_day *out);

/* The AgID segnatura di protocollo of entry (year, number) of en (Allegato
 * 6 of the Linee guida sul documento informatico, schema 3.0.0), signed
 * with an enveloped XML-DSig by the PEM key and certificate of conf. The
 * Ente's codice fiscale stands for its IPA code (not stored yet).
 * ERR_NOT_FOUND; ERR_INVALID with *why (Italian) when the key is not
 * configured or the entry has no primary document; ERR_INTERNAL with *why
 * when the key or certificate cannot be read or signing fails. */
typedef struct {
  const char *ente_name, *ente_fiscal_code;
  const char *aoo_code;      /* CodiceAOO */
  const char *registry_code; /* CodiceRegistro, [A-Za-z0-9_.-]{1,16} */
  const char *key_file, *cert_file;
} prot_segnatura_conf;
err_code protocol_segnatura(db *d, arena *a, int64_t ente_id, int year, int64_t number,
                            const prot_segnatura_conf *conf, char **xml, size_t *len, const char **why);

#endif
