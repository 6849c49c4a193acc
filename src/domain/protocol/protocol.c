/* Protocol register rules: validation, the gapless number taken in the
 * same transaction as the entry, the canonical SHA-256 of an entry, the
 * annulment as a new fact, and the daily register that certifies a day's
 * entries together with the audit head. */
#include "domain/protocol/protocol.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/digest.h"
#include "core/text.h"
#include "domain/protocol/protocol_store.h"

#define ENTRY_TAG "sportello.protocol.v1"
#define DAY_TAG "sportello.protocol.day.v1"

const char *protocol_label(arena *a, int64_t number, int year) {
  return arena_printf(a, "%0*lld/%d", PROT_NUMBER_DIGITS, (long long)number, year);
}

/* The canonical hash of an entry as registered (annulment not included:
 * it is a later fact with its own record). */
static void entry_hash(const prot_entry *e, char out[65]) {
  digest h;
  digest_init(&h);
  digest_text(&h, ENTRY_TAG);
  digest_int(&h, e->ente_id);
  digest_int(&h, e->year);
  digest_int(&h, e->number);
  digest_int(&h, e->registered_at);
  digest_text(&h, e->day);
  digest_text(&h, e->direction);
  digest_text(&h, e->correspondent);
  digest_text(&h, e->subject);
  digest_text(&h, e->channel);
  digest_text(&h, e->category);
  digest_int(&h, (int64_t)e->n_docs);
  for (size_t i = 0; i < e->n_docs; i++) {
    const prot_doc *x = &e->docs[i];
    digest_text(&h, x->role);
    digest_text(&h, x->name);
    digest_text(&h, x->mime);
    digest_int(&h, x->size);
    digest_text(&h, x->sha256);
  }
  digest_hex(&h, out);
}

static err_code bad(problem *pb, const char *field, const char *msg) {
  if (pb) {
    pb->code = ERR_INVALID;
    pb->field = field;
    pb->message = msg;
  }
  return ERR_INVALID;
}

static int one_of(const char *s, const char *const *set) {
  for (; s && *set; set++)
    if (strcmp(s, *set) == 0) return 1;
  return 0;
}

static const char *const DIRECTIONS[] = {"in", "out", "internal", NULL};
static const char *const CHANNELS[] = {"email", "pec", "web", "counter", "phone", "internal", NULL};

/* Trims the texts and checks every field and document. */
static err_code validate(arena *a, prot_entry *e, problem *pb) {
  e->correspondent = text_trim_dup(a, e->correspondent);
  e->subject = text_trim_dup(a, e->subject);
  e->category = text_trim_dup(a, e->category);
  if (!one_of(e->direction, DIRECTIONS))
    return bad(pb, "direction", "Indica se il documento è in entrata, in uscita o interno.");
  if (!one_of(e->channel, CHANNELS)) return bad(pb, "channel", "Canale di ricezione non valido.");
  if (!e->correspondent)
    return bad(pb, "correspondent", "Indica il mittente o il destinatario.");
  if (text_utf8_len(e->correspondent) > PROT_MAX_CORRESPONDENT)
    return bad(pb, "correspondent", "Il mittente o destinatario è troppo lungo (massimo 300 caratteri).");
  if (!e->subject) return bad(pb, "subject", "Indica l'oggetto.");
  if (text_utf8_len(e->subject) > PROT_MAX_SUBJECT)
    return bad(pb, "subject", "L'oggetto è troppo lungo (massimo 500 caratteri).");
  if (e->category && text_utf8_len(e->category) > 100)
    return bad(pb, "category", "La categoria è troppo lunga (massimo 100 caratteri).");
  if (e->n_docs > PROT_MAX_DOCS) return bad(pb, "documents", "Troppi documenti (massimo 50).");
  for (size_t i = 0; i < e->n_docs; i++) {
    prot_doc *x = &e->docs[i];
    if (!x->role) x->role = i == 0 ? "primary" : "attachment";
    if (strcmp(x->role, "primary") != 0 && strcmp(x->role, "attachment") != 0)
      return bad(pb, "documents", "Ruolo del documento non valido.");
    if (!x->name || !*x->name || text_utf8_len(x->name) > 255)
      return bad(pb, "documents", "Ogni documento deve avere un nome (massimo 255 caratteri).");
    if (!x->mime || !*x->mime) x->mime = "application/octet-stream";
    if (x->size < 0 || (x->size > 0 && !x->data))
      return bad(pb, "documents", "Documento senza contenuto.");
    if (x->size > PROT_MAX_DOC_BYTES) {
      if (pb) *pb = (problem){ERR_TOO_LARGE, "documents", "Documento troppo grande (massimo 25 MB)."};
      return ERR_TOO_LARGE;
    }
  }
  return ERR_OK;
}

typedef struct {
  arena *a;
  const actor *who;
  prot_entry *e;
} reg_tx;

static json_t *entry_json(const prot_entry *e) {
  json_t *docs = json_array();
  for (size_t i = 0; i < e->n_docs; i++)
    json_array_append_new(docs, json_pack("{s:s, s:s, s:I, s:s}", "name", e->docs[i].name, "role",
                                          e->docs[i].role, "size", (json_int_t)e->docs[i].size,
                                          "sha256", e->docs[i].sha256));
  return json_pack("{s:i, s:I, s:s, s:s, s:s, s:s, s:s?, s:s, s:o}", "year", e->year, "number",
                   (json_int_t)e->number, "direction", e->direction, "correspondent",
                   e->correspondent, "subject", e->subject, "channel", e->channel, "category",
                   e->category, "hash", e->hash, "documents", docs);
}

/* Runs again from the start on a retry: everything it sets is recomputed. */
static err_code register_tx(db *d, void *ctx) {
  reg_tx *t = ctx;
  prot_entry *e = t->e;
  e->registered_at = clock_now();
  civil_date day = date_today_rome(e->registered_at);
  e->year = day.y;
  e->day = arena_alloc(t->a, 11);
  date_format_iso(day, e->day);
  e->fascicolo_id = 0;
  err_code rc = ERR_OK;
  if (e->category) rc = ps_fascicolo(d, e->ente_id, e->year, e->category, e->registered_at, &e->fascicolo_id);
  if (rc == ERR_OK) rc = ps_next_number(d, e->ente_id, e->year, &e->number);
  if (rc != ERR_OK) return rc;
  e->hash = arena_alloc(t->a, 65);
  entry_hash(e, e->hash);
  rc = ps_insert_entry(d, e, t->who, &e->id);
  for (size_t i = 0; rc == ERR_OK && i < e->n_docs; i++) {
    rc = db_blob_put(d, e->docs[i].sha256, e->docs[i].data, e->docs[i].size, e->registered_at);
    if (rc == ERR_OK) rc = ps_insert_document(d, e->id, e->ente_id, (int)i, &e->docs[i]);
  }
  if (rc != ERR_OK) return rc;
  return audit_write_json(d, t->who, e->ente_id, "protocol.register", "protocol_entry", e->id,
                          NULL, entry_json(e));
}

err_code protocol_register(db *d, arena *a, const actor *who, prot_entry *e, problem *pb) {
  if (sodium_init() < 0) return ERR_INTERNAL;
  err_code rc = validate(a, e, pb);
  if (rc != ERR_OK) return rc;
  for (size_t i = 0; i < e->n_docs; i++) {
    unsigned char md[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(md, e->docs[i].data ? e->docs[i].data : (const void *)"",
                       (unsigned long long)e->docs[i].size);
    sodium_bin2hex(e->docs[i].sha256, sizeof e->docs[i].sha256, md, sizeof md);
  }
  reg_tx t = {a, who, e};
  return db_tx_locking(d, register_tx, &t);
}

typedef struct {
  const actor *who;
  int64_t ente_id, number;
  int year;
  const char *reason;
  arena *a;
} annul_tx;

static err_code annul_tx_fn(db *d, void *ctx) {
  annul_tx *t = ctx;
  prot_entry e;
  err_code rc = ps_find_entry(d, t->a, t->ente_id, t->year, t->number, &e);
  if (rc != ERR_OK) return rc;
  if (e.annulled) return ERR_PROTOCOL_ANNULLED;
  rc = ps_insert_annulment(d, e.id, t->ente_id, t->reason, clock_now(), t->who);
  if (rc == ERR_CONFLICT) return ERR_PROTOCOL_ANNULLED; /* a concurrent annulment won */
  if (rc != ERR_OK) return rc;
  return audit_write_json(d, t->who, t->ente_id, "protocol.annul", "protocol_entry", e.id, NULL,
                          json_pack("{s:i, s:I, s:s}", "year", t->year, "number",
                                    (json_int_t)t->number, "reason", t->reason));
}

err_code protocol_annul(db *d, const actor *who, int64_t ente_id, int year, int64_t number,
                        const char *reason, problem *pb) {
  arena *a = arena_new();
  const char *r = text_trim_dup(a, reason);
  size_t len = text_utf8_len(r);
  err_code rc;
  if (len < PROT_MIN_ANNUL_REASON || len > PROT_MAX_ANNUL_REASON) {
    rc = bad(pb, "reason", "Indica il motivo dell'annullamento (da 10 a 1000 caratteri).");
  } else {
    annul_tx t = {who, ente_id, number, year, r, a};
    rc = db_tx_locking(d, annul_tx_fn, &t);
  }
  arena_free(a);
  return rc;
}

static err_code with_docs(db *d, arena *a, prot_entry *e) {
  return ps_documents(d, a, e->id, &e->docs, &e->n_docs);
}

err_code protocol_get(db *d, arena *a, int64_t ente_id, int year, int64_t number, prot_entry *out) {
  err_code rc = ps_find_entry(d, a, ente_id, year, number, out);
  return rc == ERR_OK ? with_docs(d, a, out) : rc;
}

err_code protocol_document_data(db *d, arena *a, int64_t ente_id, const char *sha256,
                                const void **data, int64_t *size) {
  return ps_blob(d, a, ente_id, sha256, data, size);
}

err_code protocol_list_year(db *d, arena *a, int64_t ente_id, int year, prot_entry **out,
                            size_t *n) {
  err_code rc = ps_entries_year(d, a, ente_id, year, out, n);
  for (size_t i = 0; rc == ERR_OK && i < *n; i++) rc = with_docs(d, a, &(*out)[i]);
  return rc;
}

/* Unix time of 00:00 in Rome on day. Local midnight is never inside a
 * summer-time switch (they happen at 02:00/03:00), so the offset one hour
 * before UTC midnight is the one in force. */
static int64_t rome_midnight(civil_date day) {
  int64_t utc0 = date_to_days(day) * 86400;
  return utc0 - rome_utc_offset(utc0 - 3600);
}

typedef struct {
  arena *a;
  int64_t ente_id;
  civil_date day;
  int issue;
  prot_entry *entries;
  size_t n;
  prot_day *out;
} day_tx;

/* The day's hash covers every entry recomputed from its stored content
 * (so an edited column shows even if its stored hash was edited too), in
 * number order, and the annulments made that day. */
static err_code day_tx_fn(db *d, void *ctx) {
  day_tx *t = ctx;
  prot_day *p = t->out;
  memset(p, 0, sizeof *p);
  date_format_iso(t->day, p->day);
  err_code rc = ps_entries_day(d, t->a, t->ente_id, p->day, &t->entries, &t->n);
  if (rc != ERR_OK) return rc;
  int64_t end = rome_midnight(date_add_days(t->day, 1));
  digest h;
  digest_init(&h);
  digest_text(&h, DAY_TAG);
  digest_int(&h, t->ente_id);
  digest_text(&h, p->day);
  for (size_t i = 0; i < t->n; i++) {
    prot_entry *e = &t->entries[i];
    if ((rc = with_docs(d, t->a, e)) != ERR_OK) return rc;
    char recomputed[65];
    entry_hash(e, recomputed);
    if (strcmp(recomputed, e->hash) != 0) p->altered++;
    digest_text(&h, recomputed);
    digest_text(&h, e->hash);
    if (e->annulled && e->annulled_at < end) {
      digest_text(&h, "annulled");
      digest_int(&h, e->annulled_at);
      digest_text(&h, e->annul_reason);
    }
  }
  p->entries = (int64_t)t->n;
  digest_hex(&h, p->sha256);
  if ((rc = audit_head_before(d, t->ente_id, end, p->audit_head)) != ERR_OK) return rc;
  rc = ps_day_get(d, t->a, t->ente_id, p->day, p);
  if (rc == ERR_OK) {
    p->issued_before = 1;
    p->matches = strcmp(p->issued_sha256, p->sha256) == 0 &&
                 strcmp(p->issued_audit_head, p->audit_head) == 0;
    return ERR_OK;
  }
  if (rc != ERR_NOT_FOUND) return rc;
  if (!t->issue) return ERR_OK;
  if (clock_now() < end) return ERR_PROTOCOL_DAY_OPEN;
  rc = ps_day_insert(d, t->ente_id, p, clock_now());
  if (rc != ERR_OK) return rc;
  return audit_write_json(d, NULL, t->ente_id, "protocol.day_register", "protocol_day", 0, NULL,
                          json_pack("{s:s, s:I, s:s, s:s}", "day", p->day, "entries",
                                    (json_int_t)p->entries, "sha256", p->sha256, "audit_head",
                                    p->audit_head));
}

err_code protocol_day_register(db *d, arena *a, int64_t ente_id, civil_date day, int issue,
                               prot_entry **entries, size_t *n, prot_day *out) {
  if (sodium_init() < 0) return ERR_INTERNAL;
  day_tx t = {a, ente_id, day, issue, NULL, 0, out};
  err_code rc = issue ? db_tx(d, day_tx_fn, &t) : db_tx_read(d, day_tx_fn, &t);
  *entries = t.entries;
  *n = t.n;
  return rc;
}
