/* The steps after submission: the operator asks for an integration or
 * decides, the applicant answers. Each produces its PDF, protocolled in
 * the service's fascicolo of the year (outgoing for the operator's steps,
 * with the mail through the case's outbox door; incoming for the answer). */
#include <jansson.h>
#include <string.h>

#include "core/clock.h"
#include "core/date.h"
#include "core/text.h"
#include "domain/ente/ente.h"
#include "domain/protocol/protocol.h"
#include "domain/services/services_store.h"

static err_code pdf_of(arena *a, svc_pdf_fn fn, void *ctx, svc_doc *doc, case_doc *out,
                       const char *base) {
  const void *data;
  size_t len;
  if (fn) {
    err_code rc = fn(ctx, a, doc, &data, &len);
    if (rc != ERR_OK) return rc;
    out->mime = "application/pdf";
    out->name = arena_printf(a, "%s.pdf", base);
  } else {
    char *s = arena_printf(a, "%s\n\n", doc->title);
    for (size_t i = 0; i < doc->n; i++)
      s = arena_printf(a, "%s%s: %s\n", s, doc->labels[i], doc->values[i] ? doc->values[i] : "");
    if (doc->text) s = arena_printf(a, "%s\n%s\n", s, doc->text);
    data = s;
    len = strlen(s);
    out->mime = "text/plain; charset=utf-8";
    out->name = arena_printf(a, "%s.txt", base);
  }
  out->data = data;
  out->size = (int64_t)len;
  return ERR_OK;
}

/* The document of a step: the application's references and the text. */
static void step_doc(arena *a, svc_doc *doc, const char *title, const svc_app *x,
                     const case_rec *c, const char *text) {
  doc->title = title;
  doc->labels = ARENA_ARRAY(a, const char *, 6);
  doc->values = ARENA_ARRAY(a, const char *, 6);
  doc->n = 0;
  char when[17];
  time_format_rome(clock_now(), when);
#define ROW(l, v) (doc->labels[doc->n] = (l), doc->values[doc->n++] = (v))
  ROW("Servizio", x->service_name);
  ROW("Numero richiesta", c ? c->label : arena_printf(a, "%lld", (long long)x->id));
  if (c && c->protocol_number)
    ROW("Protocollo della domanda", protocol_label(a, c->protocol_number, c->protocol_year));
  ROW("Richiedente", x->applicant_name);
  ROW("Data", arena_strdup(a, when));
#undef ROW
  doc->text = text;
}

static err_code load(db *d, arena *a, int64_t ente_id, int64_t app_id, svc_app *x, case_rec *c) {
  err_code rc = svc_app_get(d, a, ente_id, app_id, x);
  if (rc != ERR_OK) return rc;
  if (strcmp(x->state, "submitted") != 0 || !x->case_id) return ERR_NOT_FOUND;
  return cases_get(d, a, ente_id, x->case_id, c);
}

err_code svc_app_ask(db *d, arena *a, const case_actor *ca, int64_t ente_id, int64_t app_id,
                     const char *text, svc_pdf_fn pdf, void *pdf_ctx, problem *pb) {
  svc_app x;
  case_rec c;
  err_code rc = load(d, a, ente_id, app_id, &x, &c);
  if (rc != ERR_OK) return rc;
  char *t = text_trim_dup(a, text);
  if (!t || text_utf8_len(t) > CASE_MAX_TEXT) {
    pb->field = "body";
    pb->message = "Scrivi che cosa deve integrare il richiedente (massimo 20000 caratteri).";
    return ERR_INVALID;
  }
  svc_doc doc;
  step_doc(a, &doc, "Richiesta di integrazione", &x, &c, t);
  case_doc cd = {.category = svc_fascicolo(a, x.service_code)};
  if ((rc = pdf_of(a, pdf, pdf_ctx, &doc, &cd, "richiesta_integrazione")) != ERR_OK) return rc;
  return cases_reply_doc(d, a, ca, ente_id, c.id, t, 1, &cd, pb);
}

typedef struct {
  arena *a;
  const case_actor *ca;
  int64_t ente_id;
  svc_app *x;
  case_rec *c;
  int accepted;
  const char *text, *override;
  case_doc *cd;
  problem *pb;
} decide_tx;

/* The approval waits for the payments unless overridden with a reason,
 * audited with the close in one transaction. */
static err_code decide_fn(db *d, void *ctx) {
  decide_tx *t = ctx;
  if (t->accepted) {
    svc_payment *ps;
    size_t n;
    err_code rc = svc_app_payments(d, t->a, t->ente_id, t->x->id, &ps, &n);
    if (rc != ERR_OK) return rc;
    if (svc_payments_pending(ps, n)) {
      if (!t->override) {
        t->pb->field = "override";
        t->pb->message = "Pagamento in attesa: la domanda si approva dopo il pagamento, oppure "
                         "indica il motivo per approvarla comunque.";
        return ERR_INVALID;
      }
      json_t *pending = json_array();
      for (size_t i = 0; i < n; i++)
        if (!ps[i].paid) json_array_append_new(pending, json_integer(ps[i].act_id));
      rc = audit_write_json(d, &t->ca->who, t->ente_id, "service.payment_override",
                            "service_application", t->x->id, NULL,
                            json_pack("{s:s, s:s, s:o}", "case", t->c->label, "reason",
                                      t->override, "unpaid_acts", pending));
      if (rc != ERR_OK) return rc;
    }
  }
  /* a rejected application does not keep its appointment */
  ag_appt ap;
  if (!t->accepted && svc_app_appointment(d, t->a, t->x, &ap) == ERR_OK && ap.state == AG_BOOKED) {
    ente e;
    err_code rc = ente_get(d, t->a, t->ente_id, &e);
    if (rc == ERR_OK) rc = agenda_cancel_id(d, t->a, &e, &t->ca->who, ap.id);
    if (rc != ERR_OK && rc != ERR_APPOINTMENT_CLOSED) return rc; /* a past one stays */
  }
  return cases_close_doc(d, t->a, t->ca, t->ente_id, t->c->id,
                         t->accepted ? "accepted" : "rejected", t->text, t->cd, t->pb);
}

err_code svc_app_decide(db *d, arena *a, const case_actor *ca, int64_t ente_id, int64_t app_id,
                        int accepted, const char *text, const char *override, svc_pdf_fn pdf,
                        void *pdf_ctx, problem *pb) {
  svc_app x;
  case_rec c;
  err_code rc = load(d, a, ente_id, app_id, &x, &c);
  if (rc != ERR_OK) return rc;
  char *t = text_trim_dup(a, text);
  if (t && text_utf8_len(t) > CASE_MAX_TEXT) {
    pb->field = "message";
    pb->message = "Messaggio troppo lungo (massimo 20000 caratteri).";
    return ERR_INVALID;
  }
  char *why = override ? text_trim_dup(a, override) : NULL;
  if (why && !*why) why = NULL;
  if (why && (text_utf8_len(why) > SVC_MAX_REASON || text_check(why, strlen(why), 1) != TEXT_OK)) {
    pb->field = "override";
    pb->message = "Motivo troppo lungo (massimo 1000 caratteri).";
    return ERR_INVALID;
  }
  svc_doc doc;
  step_doc(a, &doc, accepted ? "Approvazione della domanda" : "Rigetto della domanda", &x, &c,
           t ? t : (accepted ? "La domanda è approvata." : "La domanda è respinta."));
  case_doc cd = {.category = svc_fascicolo(a, x.service_code)};
  if ((rc = pdf_of(a, pdf, pdf_ctx, &doc, &cd, accepted ? "approvazione" : "rigetto")) != ERR_OK)
    return rc;
  decide_tx tx = {a, ca, ente_id, &x, &c, accepted, t, why, &cd, pb};
  return db_tx_locking(d, decide_fn, &tx);
}

typedef struct {
  arena *a;
  const actor *who;
  svc_app *x;
  case_rec *c;
  const char *text;
  case_doc *cd;
  case_file *files;
  size_t n_files;
  problem *pb;
} answer_tx;

static err_code answer_fn(db *d, void *ctx) {
  answer_tx *t = ctx;
  arena *a = t->a;
  prot_entry pe = {0};
  pe.ente_id = t->x->ente_id;
  pe.direction = "in";
  pe.correspondent = t->x->applicant_email
                         ? arena_printf(a, "%s <%s>", t->x->applicant_name, t->x->applicant_email)
                         : t->x->applicant_name;
  pe.subject = arena_printf(a, "%s Integrazione: %s - %s", case_subject_tag(a, t->c->year, t->c->number),
                            t->x->service_name, t->x->applicant_name);
  pe.channel = "web";
  pe.category = (char *)t->cd->category;
  pe.docs = ARENA_ARRAY(a, prot_doc, t->n_files + 1);
  pe.docs[0] = (prot_doc){.role = "primary", .name = t->cd->name, .mime = t->cd->mime,
                          .data = t->cd->data, .size = t->cd->size};
  for (size_t i = 0; i < t->n_files; i++)
    pe.docs[1 + i] = (prot_doc){.role = "attachment", .name = t->files[i].name,
                                .mime = t->files[i].mime, .data = t->files[i].data,
                                .size = t->files[i].size};
  pe.n_docs = 1 + t->n_files;
  err_code rc = protocol_register(d, a, t->who, &pe, t->pb);
  if (rc != ERR_OK) return rc;
  case_reply_in in = {0};
  in.ente_id = t->x->ente_id;
  in.case_id = t->c->id;
  in.channel = "web";
  in.sender = pe.correspondent;
  in.subject = "Integrazione";
  in.body = t->text;
  in.protocol_entry_id = pe.id;
  in.files = t->files;
  in.n_files = t->n_files;
  if ((rc = cases_add_incoming(d, a, t->who, &in, t->pb)) != ERR_OK) return rc;
  return audit_write_json(d, t->who, t->x->ente_id, "service.answer", "service_application",
                          t->x->id, NULL,
                          json_pack("{s:s, s:I}", "case", t->c->label, "files",
                                    (json_int_t)t->n_files));
}

err_code svc_app_answer(db *d, arena *a, const actor *who, int64_t ente_id, int64_t app_id,
                        const svc_owner *o, const char *text, const svc_upload *up, size_t n_up,
                        svc_pdf_fn pdf, void *pdf_ctx, problem *pb) {
  svc_app x;
  case_rec c;
  err_code rc = load(d, a, ente_id, app_id, &x, &c);
  if (rc != ERR_OK) return rc;
  /* only the applicant (the citizen, or the staff member who filed it) */
  int mine = o && ((strcmp(o->kind, "citizen") == 0 && x.owner_fiscal_code && o->fiscal_code &&
                    strcmp(x.owner_fiscal_code, o->fiscal_code) == 0) ||
                   (strcmp(o->kind, "user") == 0 && strcmp(x.owner_kind, "user") == 0 &&
                    x.owner_user_id == o->user_id));
  if (!mine) return ERR_NOT_FOUND;
  if (c.state != CASE_WAITING) return ERR_CASE_STATE;
  char *t = text_trim_dup(a, text);
  if (!t || text_utf8_len(t) > CASE_MAX_TEXT) {
    pb->field = "text";
    pb->message = "Scrivi la risposta alla richiesta di integrazione (massimo 20000 caratteri).";
    return ERR_INVALID;
  }
  case_file *files = ARENA_ARRAY(a, case_file, n_up + 1);
  size_t n = 0;
  for (size_t i = 0; i < n_up && n < CASE_MAX_ATTACHMENTS; i++) {
    if (up[i].size <= 0) continue;
    if (up[i].size > SVC_MAX_FILE_BYTES) {
      pb->field = up[i].field;
      pb->message = "Il file supera la dimensione massima (20 MB).";
      return ERR_INVALID;
    }
    files[n++] = (case_file){.name = up[i].name && *up[i].name ? up[i].name : "allegato",
                             .mime = up[i].mime ? up[i].mime : "application/octet-stream",
                             .data = up[i].data, .size = up[i].size};
  }
  const char *list = NULL;
  for (size_t i = 0; i < n; i++)
    list = arena_printf(a, "%s%s (%s)", list ? arena_printf(a, "%s\n", list) : "", files[i].name,
                        files[i].mime);
  svc_doc doc;
  step_doc(a, &doc, "Integrazione della domanda", &x, &c,
           list ? arena_printf(a, "%s\n\nAllegati:\n%s", t, list) : t);
  case_doc cd = {.category = svc_fascicolo(a, x.service_code)};
  if ((rc = pdf_of(a, pdf, pdf_ctx, &doc, &cd, "integrazione")) != ERR_OK) return rc;
  answer_tx tx = {a, who, &x, &c, t, &cd, files, n, pb};
  return db_tx_locking(d, answer_fn, &tx);
}

/* ---- the answer that came by mail ---- */

typedef struct {
  arena *a;
  svc_app *x;
  case_rec *c;
  int64_t mail_message_id;
  case_doc *cd;
  const char *sender;
  int *done;
} mail_answer_tx;

static err_code mail_answer_fn(db *d, void *ctx) {
  mail_answer_tx *t = ctx;
  arena *a = t->a;
  static const actor SYS = {"system", 0};
  *t->done = 0;
  prot_entry pe = {0};
  pe.ente_id = t->x->ente_id;
  pe.direction = "in";
  pe.correspondent = (char *)t->sender;
  pe.subject = arena_printf(a, "%s Integrazione (per e-mail): %s - %s",
                            case_subject_tag(a, t->c->year, t->c->number), t->x->service_name,
                            t->x->applicant_name);
  pe.channel = "email";
  pe.category = (char *)t->cd->category;
  pe.docs = ARENA_NEW(a, prot_doc);
  pe.docs[0] = (prot_doc){.role = "primary", .name = t->cd->name, .mime = t->cd->mime,
                          .data = t->cd->data, .size = t->cd->size};
  pe.n_docs = 1;
  problem pb = {0};
  err_code rc = protocol_register(d, a, &SYS, &pe, &pb);
  if (rc != ERR_OK) return rc;
  rc = sst_mail_answer_insert(d, t->x->ente_id, t->x->id, t->mail_message_id, pe.id, clock_now());
  if (rc == ERR_CONFLICT) return rc; /* recorded by an earlier run: all rolled back */
  if (rc != ERR_OK) return rc;
  if ((rc = cases_link_protocol(d, t->x->ente_id, t->c->id, pe.id)) != ERR_OK) return rc;
  *t->done = 1;
  return audit_write_json(d, &SYS, t->x->ente_id, "service.answer", "service_application", t->x->id,
                          NULL,
                          json_pack("{s:s, s:s, s:I}", "case", t->c->label, "channel", "email",
                                    "mail_message", (json_int_t)t->mail_message_id));
}

err_code svc_app_mail_answer(db *d, arena *a, int64_t ente_id, int64_t case_id,
                             int64_t mail_message_id, const char *rfc_message_id, svc_pdf_fn pdf,
                             void *pdf_ctx, int *done) {
  *done = 0;
  svc_app x;
  err_code rc = svc_app_by_case(d, a, ente_id, case_id, &x);
  if (rc == ERR_NOT_FOUND) return ERR_OK;
  if (rc != ERR_OK) return rc;
  if (strcmp(x.state, "submitted") != 0 || !rfc_message_id) return ERR_OK;
  case_rec c;
  case_message *ms;
  size_t n;
  if ((rc = cases_get(d, a, ente_id, case_id, &c)) != ERR_OK ||
      (rc = cases_messages(d, a, ente_id, case_id, &ms, &n)) != ERR_OK)
    return rc;
  /* the mail's message on the case, after a request for integration */
  size_t at = n;
  for (size_t i = 0; i < n; i++)
    if (!strcmp(ms[i].direction, "in") && ms[i].message_id &&
        !strcmp(ms[i].message_id, rfc_message_id))
      at = i;
  if (at == n) return ERR_OK;
  const case_message *asked = NULL;
  for (size_t i = at; i-- > 0;)
    if (!strcmp(ms[i].direction, "out")) {
      asked = ms[i].kind && !strcmp(ms[i].kind, "request_info") ? &ms[i] : NULL;
      break;
    }
  if (!asked) return ERR_OK;
  const case_message *m = &ms[at];
  const char *text = m->body && *m->body ? m->body : "(messaggio senza testo)";
  if (m->protocol)
    text = arena_printf(a, "%s\n\nRisposta ricevuta per e-mail da %s, protocollata con il "
                           "n. %s insieme ai suoi allegati.",
                        text, m->sender ? m->sender : "-", m->protocol);
  svc_doc doc;
  step_doc(a, &doc, "Integrazione della domanda", &x, &c, text);
  case_doc cd = {.category = svc_fascicolo(a, x.service_code)};
  if ((rc = pdf_of(a, pdf, pdf_ctx, &doc, &cd, "integrazione")) != ERR_OK) return rc;
  mail_answer_tx t = {a, &x, &c, mail_message_id, &cd,
                      m->sender ? m->sender : x.applicant_name, done};
  rc = db_tx_locking(d, mail_answer_fn, &t);
  return rc == ERR_CONFLICT ? ERR_OK : rc;
}
