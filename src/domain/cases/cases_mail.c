/* What a case sends and registers: every outgoing message goes through
 * outbox_put (the one door to the outbox), is registered in the protocol
 * as outgoing and recorded on the case; incoming communications are
 * registered as incoming. All inside the caller's transaction. */
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "domain/cases/cases_internal.h"
#include "domain/cases/cases_store.h"
#include "domain/notify/notify.h"
#include "domain/protocol/protocol.h"

typedef struct {
  const char *channel; /* "email" | "pec" */
  const char *from, *to, *subject, *body;
  const char *in_reply_to, *references;
  const char *auto_submitted; /* NULL or "auto-generated" */
  int64_t case_id;
  const case_doc *doc; /* attached when set */
  /* out */
  const char *message_id;
  int64_t outbox_id;
} out_mail;

/* The one door to the outbox: the message is written with its delivery
 * job in the caller's transaction (notify_enqueue_mail), which gives it
 * our Message-ID. */
static err_code outbox_put(db *d, arena *a, int64_t ente_id, out_mail *m, problem *pb) {
  notify_mail nm = {0};
  nm.ente_id = ente_id;
  nm.channel = m->channel;
  nm.from = m->from;
  nm.to = m->to;
  nm.subject = m->subject;
  nm.text = m->body;
  nm.in_reply_to = m->in_reply_to;
  nm.references = m->references;
  nm.auto_submitted = m->auto_submitted;
  nm.object_type = "case";
  nm.object_id = m->case_id;
  notify_attachment att;
  if (m->doc) {
    att = (notify_attachment){.name = m->doc->name, .mime = m->doc->mime, .data = m->doc->data,
                              .size = m->doc->size};
    nm.att = &att;
    nm.n_att = 1;
  }
  problem local = {0};
  err_code rc = notify_enqueue_mail(d, a, &nm, pb ? pb : &local);
  if (rc != ERR_OK) return rc;
  m->message_id = nm.message_id;
  m->outbox_id = nm.id;
  return ERR_OK;
}

static const char *ente_sender(const ente *e, int pec) {
  if (pec && e->mail_pec) return e->mail_pec;
  if (e->mail_istanze) return e->mail_istanze;
  if (e->mail_info) return e->mail_info;
  return "noreply@sportello.invalid";
}

static prot_doc *text_doc(arena *a, const char *name, const char *body, case_file *files,
                          size_t n_files) {
  prot_doc *docs = ARENA_ARRAY(a, prot_doc, 1 + n_files);
  docs[0] = (prot_doc){.role = "primary", .name = name, .mime = "text/plain; charset=utf-8",
                       .data = body ? body : "", .size = body ? (int64_t)strlen(body) : 0};
  for (size_t i = 0; i < n_files; i++)
    docs[1 + i] = (prot_doc){.role = "attachment", .name = files[i].name, .mime = files[i].mime,
                             .data = files[i].data, .size = files[i].size};
  return docs;
}

err_code ci_protocol_in(db *d, arena *a, const actor *who, case_rec *c, const char *correspondent,
                        const char *subject, const char *body, case_file *files, size_t n_files,
                        int64_t *entry_id, int *year, int64_t *number, problem *pb) {
  prot_entry e = {0};
  e.ente_id = c->ente_id;
  e.direction = "in";
  e.correspondent = (char *)correspondent;
  e.subject = (char *)arena_printf(a, "%s %s", case_subject_tag(a, c->year, c->number), subject);
  const char *ch = c->channel;
  e.channel = (char *)(strcmp(ch, "email") == 0 || strcmp(ch, "pec") == 0 ||
                               strcmp(ch, "counter") == 0 || strcmp(ch, "phone") == 0
                           ? ch
                           : "web");
  e.category = c->category_code;
  e.docs = text_doc(a, "richiesta.txt", body, files, n_files);
  e.n_docs = 1 + n_files;
  err_code rc = protocol_register(d, a, who, &e, pb);
  if (rc != ERR_OK) return rc;
  if ((rc = cst_link_protocol(d, c->ente_id, c->id, e.id)) != ERR_OK) return rc;
  *entry_id = e.id;
  if (year) *year = e.year;
  if (number) *number = e.number;
  return ERR_OK;
}

/* In-Reply-To: the latest message of the conversation; References: the
 * thread's first message and that one. */
static void thread_headers(db *d, arena *a, case_rec *c, out_mail *m) {
  case_message last;
  if (cst_last_message(d, a, c->ente_id, c->id, NULL, &last) == ERR_OK && last.message_id) {
    m->in_reply_to = last.message_id;
    if (c->thread_id && strcmp(c->thread_id, last.message_id) != 0)
      m->references = arena_printf(a, "%s %s", c->thread_id, last.message_id);
    else
      m->references = last.message_id;
  } else if (c->thread_id) {
    m->in_reply_to = c->thread_id;
    m->references = c->thread_id;
  }
}

err_code ci_send(db *d, arena *a, const actor *who, int64_t author_id, case_rec *c,
                 const char *kind, const char *to, const char *subject, const char *body,
                 int protocolled, problem *pb) {
  return ci_send_doc(d, a, who, author_id, c, kind, to, subject, body, protocolled, NULL, pb);
}

err_code ci_send_doc(db *d, arena *a, const actor *who, int64_t author_id, case_rec *c,
                     const char *kind, const char *to, const char *subject, const char *body,
                     int protocolled, const case_doc *doc, problem *pb) {
  int pec = 0;
  if (!to) {
    pec = c->requester_pec && (strcmp(c->channel, "pec") == 0 || !c->requester_email);
    to = pec ? c->requester_pec : c->requester_email;
  }
  if (!to) return ci_bad(pb, "body", "Il richiedente non ha un indirizzo e-mail o PEC: "
                                     "contattalo per telefono o allo sportello.");
  ente e;
  err_code rc = ente_get(d, a, c->ente_id, &e);
  if (rc != ERR_OK) return rc;
  out_mail m = {0};
  m.channel = pec ? "pec" : "email";
  m.from = ente_sender(&e, pec);
  m.to = to;
  m.subject = arena_printf(a, "%s %s", case_subject_tag(a, c->year, c->number), subject);
  m.body = body;
  m.case_id = c->id;
  m.doc = doc;
  if (strcmp(kind, "ack") == 0 || strcmp(kind, "notice") == 0) m.auto_submitted = "auto-generated";
  thread_headers(d, a, c, &m);
  case_message cm = {0};
  cm.direction = "out";
  cm.channel = (char *)m.channel;
  cm.kind = (char *)kind;
  cm.sender = (char *)m.from;
  cm.recipient = (char *)to;
  cm.subject = (char *)m.subject;
  cm.body = (char *)body;
  cm.author_id = author_id;
  cm.created_at = clock_now();
  if (protocolled) {
    prot_entry pe = {0};
    pe.ente_id = c->ente_id;
    pe.direction = "out";
    pe.correspondent = (char *)to;
    pe.subject = (char *)m.subject;
    pe.channel = (char *)m.channel;
    pe.category = c->category_code;
    pe.docs = text_doc(a, "messaggio.txt", body, NULL, 0);
    pe.n_docs = 1;
    if (doc) {
      pe.category = (char *)doc->category;
      pe.docs[0] = (prot_doc){.role = "primary", .name = doc->name, .mime = doc->mime,
                              .data = doc->data, .size = doc->size};
    }
    if ((rc = protocol_register(d, a, who, &pe, pb)) != ERR_OK) return rc;
    if ((rc = cst_link_protocol(d, c->ente_id, c->id, pe.id)) != ERR_OK) return rc;
    cm.protocol_entry_id = pe.id;
  }
  if ((rc = outbox_put(d, a, c->ente_id, &m, pb)) != ERR_OK) return rc;
  cm.message_id = (char *)m.message_id;
  cm.in_reply_to = (char *)m.in_reply_to;
  cm.refs = (char *)m.references;
  cm.outbox_id = m.outbox_id;
  int64_t id;
  if ((rc = cst_message(d, c->ente_id, c->id, &cm, 0, &id)) != ERR_OK) return rc;
  if (!c->thread_id) {
    c->thread_id = (char *)m.message_id;
    rc = cst_update(d, c);
  }
  return rc;
}

err_code ci_notify_office(db *d, arena *a, case_rec *c, const char *why) {
  if (!c->office_id) return ERR_OK;
  char **emails;
  size_t n;
  err_code rc = cst_manager_emails(d, a, c->ente_id, c->office_id, &emails, &n);
  if (rc != ERR_OK || n == 0) return rc;
  ente e;
  if ((rc = ente_get(d, a, c->ente_id, &e)) != ERR_OK) return rc;
  const char *urgent = strcmp(c->priority, "urgent") == 0 ? "URGENTE - " : "";
  for (size_t i = 0; i < n; i++) {
    out_mail m = {0};
    m.channel = "email";
    m.from = ente_sender(&e, 0);
    m.to = emails[i];
    m.subject = arena_printf(a, "%s %s%s: %s", case_subject_tag(a, c->year, c->number), urgent,
                             why, c->subject);
    m.body = arena_printf(a,
                          "%s\n\nPratica %s dell'Ente %s\nCategoria: %s\nRichiedente: %s\n"
                          "Scadenza: %s\n\nLa pratica è nella coda dell'ufficio %s.\n",
                          why, c->label, e.name, c->category_name, c->requester_name, c->due_date,
                          c->office_name ? c->office_name : "");
    m.auto_submitted = "auto-generated";
    m.case_id = c->id;
    if ((rc = outbox_put(d, a, c->ente_id, &m, NULL)) != ERR_OK) return rc;
    case_message cm = {.direction = "out", .channel = "email", .kind = "notice",
                       .sender = (char *)m.from, .recipient = emails[i],
                       .subject = (char *)m.subject, .body = (char *)m.body,
                       .message_id = (char *)m.message_id, .outbox_id = m.outbox_id,
                       .created_at = clock_now()};
    int64_t id;
    if ((rc = cst_message(d, c->ente_id, c->id, &cm, 0, &id)) != ERR_OK) return rc;
  }
  return ERR_OK;
}

err_code cases_record_sent(db *d, int64_t ente_id, int64_t case_id, const case_message *m) {
  if (!m || strcmp(m->direction, "out") != 0 || !m->outbox_id) return ERR_INVALID;
  int64_t id;
  err_code rc = cst_message(d, ente_id, case_id, m, 0, &id);
  if (rc == ERR_OK && m->protocol_entry_id) rc = cst_link_protocol(d, ente_id, case_id, m->protocol_entry_id);
  return rc;
}
