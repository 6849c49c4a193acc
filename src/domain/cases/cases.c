/* Opening a case (validation, number, routing, deadline, protocol entry,
 * first message, acknowledgement), replies received, reads, the public
 * follow-up, the intermediary's last contact details and the reports. */
#include "domain/cases/cases.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/text.h"
#include "core/validate.h"
#include "domain/cases/cases_internal.h"
#include "domain/cases/cases_store.h"
#include "domain/protocol/protocol.h"

err_code ci_bad_code(problem *pb, err_code code, const char *field, const char *msg) {
  if (pb) *pb = (problem){code, field, msg};
  return code;
}

err_code ci_bad(problem *pb, const char *field, const char *msg) {
  return ci_bad_code(pb, ERR_INVALID, field, msg);
}

void ci_today(char out[11]) { date_format_iso(date_today_rome(clock_now()), out); }

static const actor SYSTEM = {"system", 0};

const actor *ci_actor(const case_actor *ca) { return ca ? &ca->who : &SYSTEM; }

err_code ci_audit(db *d, const actor *who, const case_rec *c, const char *action,
                  const char *reason) {
  return audit_write_json(
      d, who, c->ente_id, action, "case", c->id, NULL,
      json_pack("{s:s, s:s, s:s?, s:I, s:I, s:s, s:s?}", "number", c->label, "state",
                case_state_slug(c->state), "outcome", c->outcome, "office_id",
                (json_int_t)c->office_id, "assignee_id", (json_int_t)c->assignee_id, "due_date",
                c->due_date, "reason", reason));
}

char *ci_text(arena *a, const char *s, size_t max, int *too_long) {
  char *t = text_trim_dup(a, s);
  if (t && text_utf8_len(t) > max) *too_long = 1;
  return t;
}

static const char *const KINDS[] = {"taxpayer", "intermediary", "ente_office", "person", NULL};

static int one_of(const char *s, const char *const *set) {
  for (; s && *set; set++)
    if (strcmp(s, *set) == 0) return 1;
  return 0;
}

static char *lower_dup(arena *a, const char *s) {
  char *t = text_trim_dup(a, s);
  for (char *p = t; p && *p; p++) *p = (char)tolower((unsigned char)*p);
  return t;
}

static int phone_ok(const char *s) {
  size_t digits = 0, n = strlen(s);
  if (n > 30) return 0;
  for (size_t i = 0; i < n; i++) {
    if (isdigit((unsigned char)s[i])) digits++;
    else if (!(s[i] == ' ' || s[i] == '+' || s[i] == '.' || s[i] == '-' || s[i] == '/')) return 0;
  }
  return digits >= 6;
}

/* Normalises in place (copies in a) and checks everything but the
 * category. */
static err_code validate(arena *a, case_input *in, problem *pb) {
  int too_long = 0;
  if (in->ente_id <= 0) return ci_bad(pb, "ente", "Indica l'Ente.");
  if (!one_of(in->channel, CASE_CHANNELS)) return ci_bad(pb, "channel", "Canale non valido.");
  in->subject = ci_text(a, in->subject, CASE_MAX_SUBJECT, &too_long);
  if (!in->subject || too_long)
    return ci_bad(pb, "subject", "Indica l'oggetto della richiesta (massimo 300 caratteri).");
  in->description = ci_text(a, in->description, CASE_MAX_TEXT, &too_long);
  if (too_long) return ci_bad(pb, "description", "Il testo è troppo lungo (massimo 20000 caratteri).");
  if (!in->requester_kind) in->requester_kind = in->taxpayer_id ? "taxpayer" : "person";
  if (!one_of(in->requester_kind, KINDS))
    return ci_bad(pb, "requester_kind", "Tipo di richiedente non valido.");
  in->requester_name = ci_text(a, in->requester_name, CASE_MAX_NAME, &too_long);
  if (!in->requester_name || too_long)
    return ci_bad(pb, "requester_name", "Indica il nome del richiedente (massimo 200 caratteri).");
  in->requester_email = lower_dup(a, in->requester_email);
  const char *why;
  if (in->requester_email && (why = validate_email(in->requester_email)))
    return ci_bad(pb, "requester_email", why);
  in->requester_pec = lower_dup(a, in->requester_pec);
  if (in->requester_pec && (why = validate_email(in->requester_pec)))
    return ci_bad(pb, "requester_pec", why);
  char *cf = text_trim_dup(a, in->requester_fiscal_code);
  if (cf) {
    normalize_code(cf);
    if ((why = validate_fiscal_code_any(cf))) return ci_bad(pb, "requester_fiscal_code", why);
  }
  in->requester_fiscal_code = cf;
  in->requester_phone = text_trim_dup(a, in->requester_phone);
  if (in->requester_phone && !phone_ok(in->requester_phone))
    return ci_bad(pb, "requester_phone", "Numero di telefono non valido.");
  in->requester_contact = ci_text(a, in->requester_contact, CASE_MAX_NAME, &too_long);
  if (too_long) return ci_bad(pb, "requester_contact", "Nominativo troppo lungo (massimo 200 caratteri).");
  if (!in->requester_email && !in->requester_pec && !cf && !in->requester_phone &&
      !in->requester_user_id)
    return ci_bad(pb, "requester_email",
                  "Indica almeno un recapito del richiedente: e-mail, PEC, codice fiscale o "
                  "telefono.");
  in->act_number = ci_text(a, in->act_number, 60, &too_long);
  if (too_long) return ci_bad(pb, "act_number", "Numero dell'atto troppo lungo (massimo 60 caratteri).");
  char *acf = text_trim_dup(a, in->act_taxpayer_cf);
  if (acf) {
    normalize_code(acf);
    if ((why = validate_fiscal_code_any(acf))) return ci_bad(pb, "act_taxpayer_cf", why);
  }
  in->act_taxpayer_cf = acf;
  in->act_details = ci_text(a, in->act_details, 2000, &too_long);
  if (too_long) return ci_bad(pb, "act_details", "Dati dell'atto troppo lunghi (massimo 2000 caratteri).");
  in->reason = ci_text(a, in->reason, CASE_MAX_REASON, &too_long);
  if (too_long) return ci_bad(pb, "reason", "Motivazione troppo lunga (massimo 1000 caratteri).");
  if (in->n_files > CASE_MAX_ATTACHMENTS) return ci_bad(pb, "files", "Troppi allegati (massimo 20).");
  for (size_t i = 0; i < in->n_files; i++) {
    case_file *f = &in->files[i];
    if (!f->name || !*f->name || text_utf8_len(f->name) > 255)
      return ci_bad(pb, "files", "Ogni allegato deve avere un nome (massimo 255 caratteri).");
    if (!f->mime || !*f->mime) f->mime = "application/octet-stream";
    if (f->size < 0 || (f->size > 0 && !f->data)) return ci_bad(pb, "files", "Allegato vuoto.");
    if (f->size > 25 << 20)
      return ci_bad_code(pb, ERR_TOO_LARGE, "files", "Allegato troppo grande (massimo 25 MB).");
    unsigned char md[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(md, f->data ? f->data : (const void *)"", (unsigned long long)f->size);
    sodium_bin2hex(f->sha256, sizeof f->sha256, md, sizeof md);
  }
  return ERR_OK;
}

static err_code store_files(db *d, int64_t ente_id, int64_t case_id, int64_t msg_id,
                            case_file *files, size_t n, int64_t now) {
  err_code rc = ERR_OK;
  for (size_t i = 0; rc == ERR_OK && i < n; i++) {
    rc = db_blob_put(d, files[i].sha256, files[i].data, files[i].size, now);
    if (rc == ERR_OK) rc = cst_attachment(d, ente_id, case_id, msg_id, &files[i], now);
  }
  return rc;
}

static const char *correspondent(arena *a, const case_rec *c) {
  const char *addr = c->requester_pec ? c->requester_pec : c->requester_email;
  if (addr) return arena_printf(a, "%s <%s>", c->requester_name, addr);
  if (c->requester_fiscal_code)
    return arena_printf(a, "%s (%s)", c->requester_name, c->requester_fiscal_code);
  return c->requester_name;
}

typedef struct {
  arena *a;
  const actor *who;
  case_input *in;
  const case_category *cat;
  const work_calendar *cal;
  case_rec *out;
  problem *pb;
} open_tx;

static err_code open_tx_fn(db *d, void *ctx) {
  open_tx *t = ctx;
  case_input *in = t->in;
  arena *a = t->a;
  case_rec c = {0};
  int64_t now = clock_now();
  c.ente_id = in->ente_id;
  c.year = date_today_rome(now).y;
  err_code rc = cst_next_number(d, c.ente_id, c.year, &c.number);
  if (rc != ERR_OK) return rc;
  c.label = (char *)case_label(a, c.year, c.number);
  c.channel = (char *)in->channel;
  c.category_code = t->cat->code;
  c.category_name = t->cat->name;
  c.subject = (char *)in->subject;
  c.description = (char *)in->description;
  c.priority = case_subject_urgent(in->subject) ? "urgent" : "normal";
  c.state = CASE_NEW;
  c.office_id = in->office_id;
  if (!c.office_id && (rc = cases_route(d, c.ente_id, c.category_code, &c.office_id)) != ERR_OK)
    return rc;
  if (c.office_id && (rc = cst_office_name(d, a, c.office_id, &c.office_name)) != ERR_OK) return rc;
#define COPY(f) c.f = (char *)in->f
  COPY(requester_kind);
  COPY(requester_name);
  COPY(requester_email);
  COPY(requester_pec);
  COPY(requester_fiscal_code);
  COPY(requester_phone);
  COPY(requester_contact);
  COPY(act_number);
  COPY(act_taxpayer_cf);
  COPY(act_details);
  COPY(reason);
#undef COPY
  c.taxpayer_id = in->taxpayer_id;
  c.requester_user_id = in->requester_user_id;
  c.agreed_office_id = in->agreed_office_id;
  c.thread_id = (char *)in->message_id;
  c.received_at = now;
  c.updated_at = now;
  c.due_date = arena_alloc(a, 11);
  case_due_date(t->cal, now, in->working_days > 0 ? in->working_days : t->cat->working_days,
                c.due_date);
  if ((rc = cst_insert(d, &c, &c.id)) != ERR_OK) return rc;
  if ((rc = cst_event(d, &c, now, "created", NULL, "new", t->who,
                      case_channel_label(c.channel))) != ERR_OK)
    return rc;
  if (in->protocol_entry_id) {
    c.protocol_entry_id = in->protocol_entry_id;
    c.protocol_year = in->protocol_year;
    c.protocol_number = in->protocol_number;
    rc = cst_link_protocol(d, c.ente_id, c.id, c.protocol_entry_id);
  } else {
    rc = ci_protocol_in(d, a, t->who, &c, correspondent(a, &c), c.subject,
                        c.description ? c.description : c.subject, in->files, in->n_files,
                        &c.protocol_entry_id, &c.protocol_year, &c.protocol_number, t->pb);
  }
  if (rc == ERR_OK) rc = cst_set_protocol(d, &c);
  if (rc != ERR_OK) return rc;
  case_message m = {.direction = "in", .channel = c.channel, .kind = "request",
                    .sender = (char *)correspondent(a, &c), .subject = c.subject,
                    .body = c.description ? c.description : "", .message_id = (char *)in->message_id,
                    .refs = (char *)in->references, .protocol_entry_id = c.protocol_entry_id,
                    .created_at = now};
  int64_t msg_id;
  if ((rc = cst_message(d, c.ente_id, c.id, &m, in->mail_message_id, &msg_id)) != ERR_OK) return rc;
  if ((rc = store_files(d, c.ente_id, c.id, msg_id, in->files, in->n_files, now)) != ERR_OK)
    return rc;
  if ((rc = ci_audit(d, t->who, &c, "case.open", NULL)) != ERR_OK) return rc;
  if (in->ack && (c.requester_email || c.requester_pec)) {
    const char *body = arena_printf(
        a,
        "Gentile %s,\n\nla sua richiesta \"%s\" è stata ricevuta e registrata.\n\n"
        "Numero di protocollo: %s\nNumero della pratica: %s\nTermine di lavorazione: %s\n\n"
        "Conservi questi numeri: servono per seguire la pratica e per ogni comunicazione "
        "successiva (indichi il numero della pratica nell'oggetto).\n",
        c.requester_name, c.subject, protocol_label(a, c.protocol_number, c.protocol_year),
        c.label, c.due_date);
    rc = ci_send(d, a, t->who, 0, &c, "ack", NULL, "Ricevuta della richiesta", body, 0, t->pb);
    if (rc != ERR_OK) return rc;
  }
  if (strcmp(c.priority, "urgent") == 0 || strcmp(c.channel, "intermediary") == 0) {
    rc = ci_notify_office(d, a, &c,
                          strcmp(c.priority, "urgent") == 0 ? "Nuova pratica urgente"
                                                            : "Nuova richiesta di assistenza");
    if (rc != ERR_OK) return rc;
  }
  *t->out = c;
  return ERR_OK;
}

err_code cases_open(db *d, arena *a, const actor *who, case_input *in, case_rec *out, problem *pb) {
  if (sodium_init() < 0) return ERR_INTERNAL;
  err_code rc = validate(a, in, pb);
  if (rc != ERR_OK) return rc;
  ente e;
  if ((rc = ente_get(d, a, in->ente_id, &e)) != ERR_OK)
    return rc == ERR_NOT_FOUND ? ci_bad(pb, "ente", "L'Ente indicato non esiste.") : rc;
  work_calendar cal;
  work_calendar_init(&cal, e.patron_day);
  if (!in->category_code) in->category_code = case_guess_category(in->subject, NULL);
  case_category cat;
  rc = cases_category(d, a, in->ente_id, in->category_code, &cat);
  if (rc == ERR_NOT_FOUND) return ci_bad(pb, "category", "La categoria indicata non esiste.");
  if (rc != ERR_OK) return rc;
  open_tx t = {a, who ? who : &SYSTEM, in, &cat, &cal, out, pb};
  return db_tx_locking(d, open_tx_fn, &t);
}

typedef struct {
  arena *a;
  const actor *who;
  case_reply_in *in;
  problem *pb;
} incoming_tx;

static err_code incoming_tx_fn(db *d, void *ctx) {
  incoming_tx *t = ctx;
  case_reply_in *in = t->in;
  char today[11];
  ci_today(today);
  case_rec c;
  err_code rc = cst_get(d, t->a, in->ente_id, in->case_id, today, &c);
  if (rc != ERR_OK) return rc;
  int64_t entry = in->protocol_entry_id, now = clock_now();
  if (entry)
    rc = cst_link_protocol(d, c.ente_id, c.id, entry);
  else
    rc = ci_protocol_in(d, t->a, t->who, &c, in->sender, in->subject, in->body, in->files,
                        in->n_files, &entry, NULL, NULL, t->pb);
  if (rc != ERR_OK) return rc;
  case_message m = {.direction = "in", .channel = (char *)in->channel, .kind = "reply",
                    .sender = (char *)in->sender, .subject = (char *)in->subject,
                    .body = (char *)(in->body ? in->body : ""), .message_id = (char *)in->message_id,
                    .in_reply_to = (char *)in->in_reply_to, .refs = (char *)in->references,
                    .protocol_entry_id = entry, .created_at = now};
  int64_t msg_id;
  if ((rc = cst_message(d, c.ente_id, c.id, &m, in->mail_message_id, &msg_id)) != ERR_OK) return rc;
  if ((rc = store_files(d, c.ente_id, c.id, msg_id, in->files, in->n_files, now)) != ERR_OK) return rc;
  const char *from = case_state_slug(c.state);
  if (c.state == CASE_WAITING) c.state = CASE_IN_PROGRESS;
  c.updated_at = now;
  if ((rc = cst_update(d, &c)) != ERR_OK) return rc;
  if ((rc = cst_event(d, &c, now, "message_in", from, case_state_slug(c.state), t->who,
                      "Risposta del richiedente")) != ERR_OK)
    return rc;
  return ci_audit(d, t->who, &c, "case.message_in", NULL);
}

err_code cases_add_incoming(db *d, arena *a, const actor *who, case_reply_in *in, problem *pb) {
  if (sodium_init() < 0) return ERR_INTERNAL;
  int too_long = 0;
  in->sender = ci_text(a, in->sender, 300, &too_long);
  in->subject = ci_text(a, in->subject, CASE_MAX_SUBJECT, &too_long);
  if (!in->sender || !in->subject || too_long)
    return ci_bad(pb, "subject", "Mittente e oggetto sono obbligatori (massimo 300 caratteri).");
  if (!in->channel) in->channel = "email";
  for (size_t i = 0; i < in->n_files; i++) {
    case_file *f = &in->files[i];
    if (!f->mime) f->mime = "application/octet-stream";
    unsigned char md[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(md, f->data ? f->data : (const void *)"", (unsigned long long)f->size);
    sodium_bin2hex(f->sha256, sizeof f->sha256, md, sizeof md);
  }
  incoming_tx t = {a, who ? who : &SYSTEM, in, pb};
  return db_tx_locking(d, incoming_tx_fn, &t);
}

err_code cases_of_mail_message(db *d, int64_t ente_id, int64_t mail_message_id, int64_t *case_id) {
  return cst_of_mail_message(d, ente_id, mail_message_id, case_id);
}

err_code cases_of_protocol(db *d, arena *a, int64_t ente_id, int year, int64_t number,
                           int64_t *case_id) {
  char today[11];
  ci_today(today);
  case_rec c;
  err_code rc = cst_get_by_protocol(d, a, ente_id, year, number, today, &c);
  if (rc == ERR_OK) *case_id = c.id;
  return rc;
}

err_code cases_get(db *d, arena *a, int64_t ente_id, int64_t id, case_rec *out) {
  char today[11];
  ci_today(today);
  return cst_get(d, a, ente_id, id, today, out);
}

err_code cases_get_by_number(db *d, arena *a, int64_t ente_id, int year, int64_t number,
                             case_rec *out) {
  char today[11];
  ci_today(today);
  return cst_get_by_number(d, a, ente_id, year, number, today, out);
}

/* Unix time of 00:00 Rome on day (midnight is never inside a switch). */
static int64_t rome_midnight(civil_date day) {
  int64_t utc0 = date_to_days(day) * 86400;
  return utc0 - rome_utc_offset(utc0 - 3600);
}

static void period(const char *from, const char *to, int64_t *from_ts, int64_t *to_ts) {
  civil_date cd;
  *from_ts = from && date_parse_iso(from, &cd) == 0 ? rome_midnight(cd) : 0;
  *to_ts = to && date_parse_iso(to, &cd) == 0 ? rome_midnight(date_add_days(cd, 1))
                                              : (int64_t)1 << 50;
}

err_code cases_list(db *d, arena *a, const case_filter *f, case_rec **out, size_t *n,
                    int64_t *total) {
  char today[11];
  ci_today(today);
  case_filter g = *f;
  if (g.limit <= 0 || g.limit > CASE_LIST_MAX) g.limit = 50;
  if (g.offset < 0) g.offset = 0;
  int64_t from_ts, to_ts;
  period(f->from, f->to, &from_ts, &to_ts);
  return cst_list(d, a, &g, today, from_ts, to_ts, out, n, total);
}

err_code cases_recent_of_requester(db *d, arena *a, const case_rec *c, int limit, case_rec **out,
                                   size_t *n) {
  char today[11];
  ci_today(today);
  return cst_recent(d, a, c, today, limit, out, n);
}

err_code cases_events(db *d, arena *a, int64_t ente_id, int64_t case_id, case_event **out,
                      size_t *n) {
  return cst_events(d, a, ente_id, case_id, out, n);
}

err_code cases_messages(db *d, arena *a, int64_t ente_id, int64_t case_id, case_message **out,
                        size_t *n) {
  err_code rc = cst_messages(d, a, ente_id, case_id, out, n);
  for (size_t i = 0; rc == ERR_OK && i < *n; i++)
    if ((*out)[i].protocol_number)
      (*out)[i].protocol = (char *)protocol_label(a, (*out)[i].protocol_number,
                                                       (*out)[i].protocol_year);
  case_receipt *r = NULL;
  size_t nr = 0;
  if (rc == ERR_OK && *n) rc = cst_receipts(d, a, ente_id, case_id, &r, &nr);
  for (size_t i = 0; rc == ERR_OK && i < *n; i++) {
    case_message *m = &(*out)[i];
    if (!m->outbox_id) continue;
    for (size_t j = 0; j < nr; j++) {
      if (r[j].outbox_id != m->outbox_id) continue;
      if (!m->receipts) m->receipts = arena_alloc(a, nr * sizeof *r);
      m->receipts[m->n_receipts++] = r[j];
    }
  }
  return rc;
}

err_code cases_attachments(db *d, arena *a, int64_t ente_id, int64_t case_id,
                           case_attachment **out, size_t *n) {
  return cst_attachments(d, a, ente_id, case_id, out, n);
}

err_code cases_attachment_data(db *d, arena *a, int64_t ente_id, int64_t case_id, int64_t att_id,
                               case_attachment *out, const void **data) {
  return cst_attachment_data(d, a, ente_id, case_id, att_id, out, data);
}

err_code cases_protocols(db *d, arena *a, int64_t ente_id, int64_t case_id, case_protocol **out,
                         size_t *n) {
  return cst_protocols(d, a, ente_id, case_id, out, n);
}

err_code cases_link_protocol(db *d, int64_t ente_id, int64_t case_id, int64_t entry_id) {
  return cst_link_protocol(d, ente_id, case_id, entry_id);
}

err_code cases_office_staff(db *d, arena *a, int64_t ente_id, int64_t office_id, user **out,
                            size_t *n) {
  return cst_staff(d, a, ente_id, office_id, out, n);
}

/* "0000042/2026" (protocol) or "2026-000123" (case). */
static int parse_protocol(const char *s, int *year, int64_t *number) {
  const char *slash = strchr(s, '/');
  if (!slash || slash == s || slash - s > 12 || strlen(slash + 1) != 4) return -1;
  int64_t n = 0;
  for (const char *p = s; p < slash; p++) {
    if (!isdigit((unsigned char)*p)) return -1;
    n = n * 10 + (*p - '0');
  }
  int y = 0;
  for (const char *p = slash + 1; *p; p++) {
    if (!isdigit((unsigned char)*p)) return -1;
    y = y * 10 + (*p - '0');
  }
  if (n <= 0) return -1;
  *year = y;
  *number = n;
  return 0;
}

static int same(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }

err_code cases_follow(db *d, arena *a, int64_t ente_id, const char *number, const char *second,
                      case_rec *out) {
  char *num = text_trim_dup(a, number), *sec = text_trim_dup(a, second);
  if (!num || !sec || strlen(num) > 40 || strlen(sec) > 254) return ERR_NOT_FOUND;
  char today[11];
  ci_today(today);
  int year;
  int64_t n;
  err_code rc;
  if (parse_protocol(num, &year, &n) == 0)
    rc = cst_get_by_protocol(d, a, ente_id, year, n, today, out);
  else if (case_parse_label(num, &year, &n) == 0)
    rc = cst_get_by_number(d, a, ente_id, year, n, today, out);
  else
    return ERR_NOT_FOUND;
  if (rc != ERR_OK) return rc;
  int ok;
  if (strchr(sec, '@')) {
    char *l = lower_dup(a, sec);
    ok = same(l, out->requester_email) || same(l, out->requester_pec);
  } else {
    normalize_code(sec);
    ok = same(sec, out->requester_fiscal_code) || same(sec, out->act_taxpayer_cf);
  }
  if (!ok) {
    memset(out, 0, sizeof *out);
    return ERR_NOT_FOUND;
  }
  return ERR_OK;
}

err_code cases_last_contact(db *d, arena *a, int64_t ente_id, int64_t user_id, case_rec *out) {
  memset(out, 0, sizeof *out);
  return cst_last_contact(d, a, ente_id, user_id, out);
}

static int hhmm(const char *s) {
  int h, m;
  char extra;
  if (!s || sscanf(s, "%d:%d%c", &h, &m, &extra) != 2 || h < 0 || h > 24 || m < 0 || m > 59)
    return -1;
  return h * 60 + m;
}

int cases_within_hours(int64_t t, const char *open, const char *close) {
  int o = hhmm(open), c = hhmm(close);
  if (o < 0 || c < 0) return 0;
  int64_t local = t + rome_utc_offset(t);
  int minute = (int)(((local % 86400) + 86400) % 86400 / 60);
  return o <= c ? (minute >= o && minute < c) : (minute >= o || minute < c);
}

err_code cases_report(db *d, arena *a, const case_report_filter *f, case_report_row **out,
                      size_t *n) {
  char today[11];
  ci_today(today);
  int64_t from_ts, to_ts;
  period(f->from, f->to, &from_ts, &to_ts);
  case_report_row *all = NULL;
  size_t n_all = 0, cap = 0;
  for (size_t e = 0; e < f->n_entes; e++) {
    case_report_row *rows;
    size_t k;
    err_code rc = cst_report(d, a, f->ente_ids[e], f->region_id, f->category, from_ts, to_ts,
                             today, &rows, &k);
    if (rc != ERR_OK) return rc;
    for (size_t i = 0; i < k; i++) {
      size_t j = 0;
      while (j < n_all && all[j].office_id != rows[i].office_id) j++;
      if (j == n_all) {
        all = arena_grow(a, all, sizeof *all, n_all, &cap);
        all[n_all++] = rows[i];
        continue;
      }
      all[j].n_new += rows[i].n_new;
      all[j].n_assigned += rows[i].n_assigned;
      all[j].n_in_progress += rows[i].n_in_progress;
      all[j].n_waiting += rows[i].n_waiting;
      all[j].n_closed += rows[i].n_closed;
      all[j].n_overdue += rows[i].n_overdue;
      all[j].n_accepted += rows[i].n_accepted;
      all[j].n_rejected += rows[i].n_rejected;
      all[j].n_archived += rows[i].n_archived;
      all[j].n_forwarded += rows[i].n_forwarded;
    }
  }
  *out = all ? all : ARENA_ARRAY(a, case_report_row, 1);
  *n = n_all;
  return ERR_OK;
}
