/* Mail intake rules: mailboxes, the one transaction that stores,
 * classifies, registers and acknowledges a message, quarantine. */
#include "domain/intake/intake.h"

#include <ctype.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/clock.h"
#include "core/config.h"
#include "core/text.h"
#include "core/validate.h"
#include "domain/intake/intake_store.h"
#include "domain/jobs/jobs.h"
#include "domain/notify/notify.h"
#include "domain/protocol/protocol.h"

static const actor SYSTEM = {"system", 0};

static err_code bad(problem *pb, const char *field, const char *msg) {
  if (pb) *pb = (problem){ERR_INVALID, field, msg};
  return ERR_INVALID;
}

static int valid_name(const char *s) {
  size_t n = s ? strlen(s) : 0;
  if (n == 0 || n > 40) return 0;
  for (; *s; s++)
    if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && !strchr("._-", *s)) return 0;
  return 1;
}

typedef struct {
  const actor *who;
  intake_mailbox *mb;
} mb_tx;

static err_code mailbox_add_fn(db *d, void *ctx) {
  mb_tx *t = ctx;
  err_code rc = is_mailbox_insert(d, t->mb, clock_now(), &t->mb->id);
  if (rc != ERR_OK) return rc;
  return audit_write_json(d, t->who, t->mb->ente_id, "mailbox.add", "mailbox", t->mb->id, NULL,
                          json_pack("{s:s, s:s, s:s, s:s?, s:b}", "name", t->mb->name, "kind",
                                    t->mb->kind, "url", t->mb->url, "address", t->mb->address,
                                    "pec", t->mb->pec));
}

err_code intake_mailbox_add(db *d, const actor *who, intake_mailbox *mb, problem *pb) {
  if (!valid_name(mb->name))
    return bad(pb, "name", "Nome della casella non valido (lettere minuscole, cifre, . _ -).");
  if (!mb->kind || (strcmp(mb->kind, "imap") != 0 && strcmp(mb->kind, "maildir") != 0))
    return bad(pb, "kind", "Tipo di casella non valido: imap oppure maildir.");
  if (!mb->url || !*mb->url || strlen(mb->url) > 2000 || strpbrk(mb->url, "\r\n"))
    return bad(pb, "url", "Indirizzo della casella mancante o non valido.");
  if (strcmp(mb->kind, "imap") == 0 && strncmp(mb->url, "imap://", 7) != 0 &&
      strncmp(mb->url, "imaps://", 8) != 0)
    return bad(pb, "url", "Una casella IMAP si indica con imap://host/CARTELLA o imaps://...");
  if (strcmp(mb->kind, "maildir") == 0 && mb->url[0] != '/')
    return bad(pb, "url", "Una Maildir si indica con un percorso assoluto.");
  if (mb->address && *mb->address && validate_email(mb->address))
    return bad(pb, "address", "Indirizzo e-mail della casella non valido.");
  if (mb->address && !*mb->address) mb->address = NULL;
  if (mb->processed_folder && (!*mb->processed_folder || strpbrk(mb->processed_folder, "\r\n\"")))
    return bad(pb, "processed_folder", "Cartella dei messaggi elaborati non valida.");
  mb_tx t = {who, mb};
  return db_tx(d, mailbox_add_fn, &t);
}

err_code intake_mailbox_find(db *d, arena *a, int64_t ente_id, const char *name,
                             intake_mailbox *out) {
  return is_mailbox_find(d, a, ente_id, name, out);
}

err_code intake_mailbox_list(db *d, arena *a, int64_t ente_id, intake_mailbox **out, size_t *n) {
  return is_mailbox_list(d, a, ente_id, out, n);
}

typedef struct {
  int64_t id, uidvalidity;
} reset_tx;

static err_code reset_fn(db *d, void *ctx) {
  reset_tx *t = ctx;
  return is_mailbox_reset(d, t->id, t->uidvalidity);
}

err_code intake_mailbox_reset(db *d, int64_t mailbox_id, int64_t uidvalidity) {
  reset_tx t = {mailbox_id, uidvalidity};
  return db_tx(d, reset_fn, &t);
}

/* The first max characters of s (UTF-8). */
static const char *clip(arena *a, const char *s, size_t max) {
  if (!s || text_utf8_len(s) <= max) return s;
  size_t chars = 0, i = 0;
  for (; s[i] && chars < max; chars++) {
    i++;
    while (s[i] && ((unsigned char)s[i] & 0xC0) == 0x80) i++;
  }
  return arena_strndup(a, s, i);
}

typedef struct {
  arena *a;
  const intake_mailbox *mb;
  intake_msg *m;
  int64_t uid;
  intake_result *res;
  /* a release from quarantine: the row marked in the same transaction */
  const actor *who;
  int64_t release_id;
} store_tx;

/* What an incoming message answers: a subject tag first, then the ids in
 * In-Reply-To and References (ours, or of a message we stored). */
static err_code find_thread(db *d, store_tx *t, intake_delivery *dl) {
  const intake_msg *m = t->m;
  int64_t ente = t->mb->ente_id;
  err_code rc;
  if (m->tag_kind && strcmp(m->tag_kind, "prot") == 0) {
    rc = is_message_by_protocol(d, ente, m->tag_year, m->tag_number, &dl->reply_to_message,
                                &dl->reply_case_id);
    if (rc != ERR_OK && rc != ERR_NOT_FOUND) return rc;
  }
  const char *lists[2] = {m->in_reply_to, m->references};
  for (int l = 0; l < 2; l++) {
    const char *p = lists[l];
    while (p && (p = strchr(p, '<'))) {
      const char *e = strchr(p, '>');
      if (!e) break;
      const char *id = arena_strndup(t->a, p, (size_t)(e - p + 1));
      p = e + 1;
      if (!dl->reply_outbox_id) {
        rc = notify_find_by_message_id(d, ente, id, &dl->reply_outbox_id, &dl->reply_object_type,
                                       &dl->reply_object_id, t->a);
        if (rc != ERR_OK && rc != ERR_NOT_FOUND) return rc;
        if (rc == ERR_OK && dl->reply_object_type &&
            strcmp(dl->reply_object_type, "mail_message") == 0 && !dl->reply_to_message)
          dl->reply_to_message = dl->reply_object_id;
      }
      if (!dl->reply_to_message) {
        rc = is_message_by_msgid(d, ente, id, &dl->reply_to_message, &dl->reply_case_id);
        if (rc != ERR_OK && rc != ERR_NOT_FOUND) return rc;
      }
    }
  }
  return ERR_OK;
}

/* The acknowledgement of a new request, carrying its protocol number. */
static err_code acknowledge(db *d, store_tx *t, const char *label) {
  const intake_msg *m = t->m;
  if (!config_bool("mail", "acknowledge") || !m->from_addr || validate_email(m->from_addr))
    return ERR_OK;
  notify_mail n = {0};
  n.ente_id = t->mb->ente_id;
  n.channel = t->mb->pec ? "pec" : "email";
  n.from = t->mb->address ? t->mb->address : config_str("mail", "from");
  n.to = m->from_addr;
  const char *subj = m->subject && *m->subject ? m->subject : "(senza oggetto)";
  n.subject = clip(t->a, arena_printf(t->a, "[Prot. %s] Ricevuta: %s", label, subj), 200);
  n.text = arena_printf(t->a,
                        "Gentile utente,\n\n"
                        "la Sua comunicazione \"%s\" è stata ricevuta e registrata al protocollo "
                        "con il numero %s.\n"
                        "Per seguirne lo stato indichi questo numero; nelle risposte mantenga "
                        "il riferimento [Prot. %s] nell'oggetto.\n\n"
                        "Messaggio generato automaticamente: non è necessario rispondere.\n",
                        subj, label, label);
  const char *origin = m->origin_id ? m->origin_id : m->message_id;
  n.in_reply_to = origin;
  n.references = m->references && strlen(m->references) < 1500
                     ? arena_printf(t->a, "%s %s", m->references, origin)
                     : origin;
  n.auto_submitted = "auto-replied";
  n.object_type = "mail_message";
  n.object_id = t->res->message_id;
  problem pb = {0};
  err_code rc = notify_enqueue_mail(d, t->a, &n, &pb);
  if (rc == ERR_INVALID || rc == ERR_TOO_LARGE) return ERR_OK; /* nothing we can answer to */
  if (rc == ERR_OK) t->res->ack_outbox_id = n.id;
  return rc;
}

static err_code register_protocol(db *d, store_tx *t, const char *kind) {
  const intake_msg *m = t->m;
  prot_entry e = {0};
  e.ente_id = t->mb->ente_id;
  e.direction = "in";
  e.channel = m->pec ? "pec" : "email";
  const char *who = m->from_addr ? m->from_addr : "(mittente sconosciuto)";
  if (m->from_name && *m->from_name && m->from_addr)
    who = arena_printf(t->a, "%s <%s>", m->from_name, m->from_addr);
  e.correspondent = (char *)clip(t->a, who, PROT_MAX_CORRESPONDENT);
  const char *subj = m->subject && *m->subject ? m->subject : "(senza oggetto)";
  e.subject = (char *)clip(t->a, subj, PROT_MAX_SUBJECT);
  size_t n = 1 + (m->n_parts < PROT_MAX_DOCS - 1 ? m->n_parts : PROT_MAX_DOCS - 1);
  e.docs = arena_alloc(t->a, n * sizeof *e.docs);
  memset(e.docs, 0, n * sizeof *e.docs);
  e.docs[0] = (prot_doc){.role = "primary", .name = "messaggio.eml", .mime = "message/rfc822",
                         .data = m->raw, .size = m->raw_size};
  for (size_t i = 1; i < n; i++) {
    const intake_part *p = &m->parts[i - 1];
    e.docs[i] = (prot_doc){.role = "attachment", .name = clip(t->a, p->name, 255),
                           .mime = p->mime, .data = p->data, .size = p->size};
  }
  e.n_docs = n;
  problem pb = {0};
  err_code rc = protocol_register(d, t->a, &SYSTEM, &e, &pb);
  if (rc != ERR_OK) {
    err_cause("intake: protocol_register (%s): %s", kind, pb.message ? pb.message : err_slug(rc));
    return rc == ERR_INVALID || rc == ERR_TOO_LARGE ? ERR_INTERNAL : rc;
  }
  t->res->protocol_number = e.number;
  t->res->protocol_year = e.year;
  t->res->protocol_entry_id = e.id;
  rc = is_message_set_protocol(d, t->res->message_id, e.id);
  if (rc == ERR_OK && strcmp(kind, "request") == 0)
    rc = acknowledge(d, t, protocol_label(t->a, e.number, e.year));
  if (rc != ERR_OK) return rc;
  return ERR_OK;
}

/* The delivery state a PEC receipt or a bounce gives the outgoing message
 * it concerns (NULL: none; presa-in-carico and preavviso-errore-consegna
 * announce nothing final). */
static const char *delivery_of(const char *auto_reason, const char *pec_type) {
  if (!auto_reason) return NULL;
  if (strcmp(auto_reason, "bounce") == 0) return "not_delivered";
  if (strcmp(auto_reason, "pec-receipt") != 0 || !pec_type) return NULL;
  static const struct {
    const char *type, *delivery;
  } map[] = {{"accettazione", "accepted"},
             {"avvenuta-consegna", "delivered"},
             {"non-accettazione", "not_delivered"},
             {"errore-consegna", "not_delivered"},
             {"rilevazione-virus", "not_delivered"}};
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    if (strcasecmp(pec_type, map[i].type) == 0) return map[i].delivery;
  return NULL;
}

static err_code store_body(db *d, store_tx *t) {
  intake_msg *m = t->m;
  intake_result *res = t->res;
  int64_t ente = t->mb->ente_id, now = clock_now();
  memset(res, 0, sizeof *res);
  err_code rc = is_message_find(d, t->mb->id, m->message_id, m->content_sha256, &res->message_id);
  if (rc == ERR_OK) {
    res->duplicate = 1;
    return t->uid > 0 ? is_mailbox_advance(d, t->mb->id, t->uid) : ERR_OK;
  }
  if (rc != ERR_NOT_FOUND) return rc;

  /* classification */
  const char *auto_reason = m->auto_reason;
  int64_t outbox_id = 0, own = 0;
  if (m->refers_to) {
    rc = notify_find_by_message_id(d, ente, m->refers_to, &outbox_id, NULL, NULL, t->a);
    if (rc != ERR_OK && rc != ERR_NOT_FOUND) return rc;
  }
  if (!auto_reason) {
    int64_t ours = 0;
    rc = notify_find_by_message_id(d, ente, m->origin_id ? m->origin_id : m->message_id, &ours,
                                   NULL, NULL, t->a);
    if (rc == ERR_OK) auto_reason = "loop";
    else if (rc != ERR_NOT_FOUND) return rc;
  }
  if (!auto_reason && m->from_addr) {
    rc = is_own_address(d, ente, m->from_addr, &own);
    if (rc == ERR_OK) auto_reason = "loop";
    else if (rc != ERR_NOT_FOUND) return rc;
  }
  intake_delivery dl = {0};
  const char *kind = "automatic";
  if (!auto_reason) {
    if ((rc = find_thread(d, t, &dl)) != ERR_OK) return rc;
    int tagged = m->tag_kind != NULL;
    kind = tagged || dl.reply_outbox_id || dl.reply_to_message ? "reply" : "request";
  }
  res->kind = kind;
  res->linked_outbox = outbox_id;

  /* the message and its parts */
  if ((rc = db_blob_put(d, m->raw_sha256, m->raw, m->raw_size, now)) != ERR_OK) return rc;
  const char *daticert = NULL;
  for (size_t i = 0; i < m->n_parts; i++) {
    intake_part *p = &m->parts[i];
    if ((rc = db_blob_put(d, p->sha256, p->data, p->size, now)) != ERR_OK) return rc;
    if (strcmp(p->role, "daticert") == 0 && !daticert) daticert = p->sha256;
  }
  is_message_row row = {.m = m, .ente_id = ente, .mailbox_id = t->mb->id, .outbox_id = outbox_id,
                        .reply_to_message = dl.reply_to_message, .received_at = now,
                        .kind = kind, .daticert_sha256 = daticert,
                        .state = strcmp(kind, "automatic") == 0 ? "kept" : "unassigned"};
  row.auto_reason = auto_reason;
  if (m->tag_kind)
    row.case_tag = arena_printf(t->a, "%s %d-%lld", m->tag_kind, m->tag_year,
                                (long long)m->tag_number);
  if ((rc = is_message_insert(d, &row, &res->message_id)) != ERR_OK) return rc;
  for (size_t i = 0; i < m->n_parts; i++)
    if ((rc = is_part_insert(d, res->message_id, (int)i, &m->parts[i])) != ERR_OK) return rc;

  /* a receipt or a bounce about one of our messages: its delivery state */
  const char *delivery = outbox_id ? delivery_of(auto_reason, m->pec_type) : NULL;
  if (delivery) {
    int changed = 0;
    const char *detail = strcmp(auto_reason, "bounce") == 0 ? "bounce" : m->pec_type;
    rc = notify_record_delivery(d, ente, outbox_id, delivery, detail, res->message_id, &changed);
    if (rc != ERR_OK) return rc;
  }

  if (strcmp(kind, "automatic") != 0) {
    if ((rc = register_protocol(d, t, kind)) != ERR_OK) return rc;
    dl.message_id = res->message_id;
    dl.ente_id = ente;
    dl.mailbox_id = t->mb->id;
    dl.kind = kind;
    dl.channel = m->pec ? "pec" : "email";
    dl.from_addr = m->from_addr;
    dl.from_name = m->from_name;
    dl.subject = m->subject;
    dl.text = m->text;
    dl.protocol_year = res->protocol_year;
    dl.protocol_number = res->protocol_number;
    dl.tag_kind = m->tag_kind;
    dl.tag_year = m->tag_year;
    dl.tag_number = m->tag_number;
    dl.n_attachments = m->n_parts;
    dl.protocol_entry_id = res->protocol_entry_id;
    dl.rfc_message_id = m->message_id;
    dl.in_reply_to = m->in_reply_to;
    dl.references = m->references;
    dl.parts = m->parts;
    rc = intake_deliver_to_case(d, t->a, &dl, &res->case_id);
    if (rc == ERR_OK && res->case_id) rc = is_message_set_case(d, res->message_id, res->case_id);
    if (rc != ERR_OK) return rc;
  }
  rc = audit_write_json(
      d, &SYSTEM, ente, "mail.receive", "mail_message", res->message_id, NULL,
      json_pack("{s:s, s:s, s:s?, s:s?, s:I, s:I}", "message_id", m->message_id, "kind", kind,
                "auto_reason", auto_reason, "from", m->from_addr, "protocol_number",
                (json_int_t)res->protocol_number, "outbox_id", (json_int_t)outbox_id));
  if (rc == ERR_OK && t->uid > 0) rc = is_mailbox_advance(d, t->mb->id, t->uid);
  return rc;
}

static err_code store_fn(db *d, void *ctx) {
  store_tx *t = ctx;
  err_code rc = store_body(d, t);
  if (rc != ERR_OK || !t->release_id) return rc;
  rc = is_quarantine_resolve(d, t->release_id, "released", t->who->id, t->res->message_id, clock_now());
  if (rc != ERR_OK) return rc;
  return audit_write_json(
      d, t->who, t->mb->ente_id, "mail.quarantine.release", "mail_quarantine", t->release_id, NULL,
      json_pack("{s:I, s:s, s:b, s:I}", "mail_message_id", (json_int_t)t->res->message_id, "kind",
                t->res->kind ? t->res->kind : "duplicate", "duplicate", t->res->duplicate, "protocol_number",
                (json_int_t)t->res->protocol_number));
}

err_code intake_store(db *d, arena *a, const intake_mailbox *mb, intake_msg *m, int64_t uid,
                      intake_result *res) {
  if (!m->message_id || !*m->message_id || !m->raw) return ERR_INVALID;
  store_tx t = {a, mb, m, uid, res, NULL, 0};
  return db_tx_locking(d, store_fn, &t);
}

typedef struct {
  const intake_mailbox *mb;
  const char *ref, *reason;
  const void *raw;
  size_t len;
  int keep;
  int64_t uid;
} quarantine_tx;

static err_code quarantine_fn(db *d, void *ctx) {
  quarantine_tx *t = ctx;
  int64_t now = clock_now();
  char hex[65] = "";
  if (t->keep) {
    unsigned char md[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(md, t->raw ? t->raw : (const void *)"", (unsigned long long)t->len);
    sodium_bin2hex(hex, sizeof hex, md, sizeof md);
    err_code rc = db_blob_put(d, hex, t->raw, (int64_t)t->len, now);
    if (rc != ERR_OK) return rc;
  }
  err_code rc = is_quarantine_insert(d, t->mb, t->ref, t->reason, t->keep ? hex : NULL,
                                     (int64_t)t->len, now);
  if (rc == ERR_OK)
    rc = audit_write_json(d, &SYSTEM, t->mb->ente_id, "mail.quarantine", "mailbox", t->mb->id,
                          NULL, json_pack("{s:s, s:s}", "source", t->ref, "reason", t->reason));
  if (rc == ERR_OK && t->uid > 0) rc = is_mailbox_advance(d, t->mb->id, t->uid);
  return rc;
}

err_code intake_quarantine(db *d, const intake_mailbox *mb, const char *ref, const char *reason,
                           const void *raw, size_t len, int keep_raw, int64_t uid) {
  if (sodium_init() < 0) return ERR_INTERNAL;
  quarantine_tx t = {mb, ref, reason, raw, len, keep_raw, uid};
  return db_tx(d, quarantine_fn, &t);
}

err_code intake_quarantine_list(db *d, arena *a, int64_t ente_id, int limit,
                                intake_quarantined **out, size_t *n) {
  return is_quarantine_list(d, a, ente_id, limit, out, n);
}

err_code intake_message_list(db *d, arena *a, int64_t ente_id, int limit, intake_stored **out,
                             size_t *n) {
  return is_message_list(d, a, ente_id, limit, out, n);
}

err_code intake_quarantine_get(db *d, arena *a, int64_t id, intake_quarantined *out, const void **raw,
                               size_t *len) {
  *raw = NULL;
  *len = 0;
  err_code rc = is_quarantine_get(d, a, id, out);
  if (rc != ERR_OK || !out->raw_sha256) return rc;
  return db_blob_get(d, a, out->raw_sha256, raw, len);
}

err_code intake_release(db *d, arena *a, const actor *who, const intake_quarantined *q, intake_msg *m,
                        intake_result *res) {
  if (!m->message_id || !*m->message_id || !m->raw) return ERR_INVALID;
  intake_mailbox mb;
  err_code rc = intake_mailbox_find(d, a, q->ente_id, q->mailbox, &mb);
  if (rc != ERR_OK) return rc;
  store_tx t = {a, &mb, m, 0, res, who, q->id};
  return db_tx_locking(d, store_fn, &t);
}

typedef struct {
  const actor *who;
  int64_t id;
  arena *a;
} discard_tx;

static err_code request_release_fn(db *d, void *ctx) {
  discard_tx *t = ctx;
  intake_quarantined q;
  err_code rc = is_quarantine_get(d, t->a, t->id, &q);
  if (rc != ERR_OK) return rc;
  if (strcmp(q.state, "held") != 0) return ERR_CONFLICT;
  char payload[96], key[48];
  snprintf(payload, sizeof payload, "{\"quarantine_id\":%lld,\"user_id\":%lld}", (long long)t->id,
           (long long)t->who->id);
  snprintf(key, sizeof key, "quarantine:%lld", (long long)t->id);
  job_new jn = {.kind = INTAKE_RELEASE_JOB, .ente_id = q.ente_id, .payload = payload, .dedup_key = key};
  if ((rc = job_enqueue(d, &jn, NULL)) != ERR_OK) return rc;
  return audit_write_json(d, t->who, q.ente_id, "mail.quarantine.release_requested", "mail_quarantine", t->id,
                          NULL, json_pack("{s:s}", "source", q.source_ref));
}

err_code intake_quarantine_request_release(db *d, const actor *who, int64_t id) {
  discard_tx t = {who, id, arena_new()};
  err_code rc = db_tx(d, request_release_fn, &t);
  arena_free(t.a);
  return rc;
}

static err_code discard_fn(db *d, void *ctx) {
  discard_tx *t = ctx;
  intake_quarantined q;
  err_code rc = is_quarantine_get(d, t->a, t->id, &q);
  if (rc != ERR_OK) return rc;
  if ((rc = is_quarantine_resolve(d, t->id, "discarded", t->who->id, 0, clock_now())) != ERR_OK) return rc;
  return audit_write_json(d, t->who, q.ente_id, "mail.quarantine.discard", "mail_quarantine", t->id, NULL,
                          json_pack("{s:I}", "size", (json_int_t)q.size));
}

err_code intake_quarantine_discard(db *d, const actor *who, int64_t id) {
  discard_tx t = {who, id, arena_new()};
  err_code rc = db_tx(d, discard_fn, &t);
  arena_free(t.a);
  return rc;
}
