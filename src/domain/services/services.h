/* Digital services (issue 9, seed 004): the per-Ente catalogue of online
 * services and the applications (pratiche) made through them.
 *
 * A service is one JSON document (imported with `sportello service import`
 * or edited in the admin UI): name, description, the case category it
 * opens, the office, payment (none, in advance or deferred, with revenue
 * type and amount rule), stamp duty, appointment, deadline in working
 * days, whether it is protocolled, and its form: sections of fields (text,
 * number, money, date, choice, yesno, codice_fiscale, email, address,
 * file) with required / visible_if rules and validation. form.c parses and
 * checks a document strictly (unknown keys, wrong types and bad references
 * are refused with the path of the element) and validates submissions
 * against it, collecting an Italian message per field.
 *
 * Layout of a document (every key but code, name, category and sections
 * optional):
 *   {"code": "passo_carrabile", "name": "...", "description": "...",
 *    "category": "osp_nuova", "office": "NORD-01", "working_days": 30,
 *    "protocolled": true, "stamp_duty": true, "appointment": false,
 *    "payment": {"mode": "advance", "revenue": "COSAP", "amount": "25,00"}
 *             | {"mode": "deferred", "revenue": "COSAP", "amount_field": "importo"},
 *    "sections": [{"title": "...", "help": "...", "fields": [
 *       {"name": "targa", "type": "text", "label": "...", "help": "...",
 *        "required": true, "min_length": 5, "max_length": 10,
 *        "pattern": "[A-Z0-9]+", "visible_if": {"field": "veicolo", "equals": "si"}},
 *       {"name": "n", "type": "number", "min": 1, "max": 99},
 *       {"name": "m", "type": "money", "min": "0,00", "max": "10000,00"},
 *       {"name": "d", "type": "date", "min": "2020-01-01", "max": "2030-12-31"},
 *       {"name": "c", "type": "choice", "options": [{"value": "a", "label": "A"}]},
 *       {"name": "f", "type": "file", "types": ["application/pdf"], "max_bytes": 5000000}]}]}
 * pattern is a POSIX extended regular expression matched against the whole
 * value; visible_if names an earlier choice or yesno field and one of its
 * values ("si"/"no" for yesno). */
#ifndef SP_SERVICES_H
#define SP_SERVICES_H
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/error.h"
#include "core/problems.h"
#include "db/db.h"
#include "domain/audit/audit.h"
#include "domain/agenda/agenda.h"
#include "domain/cases/cases.h"
#include "domain/debt/debt.h"

enum {
  SVC_MAX_DOC_BYTES = 256 * 1024,   /* a service document */
  SVC_MAX_SECTIONS = 30,
  SVC_MAX_FIELDS = 150,             /* in the whole form */
  SVC_MAX_OPTIONS = 100,
  SVC_MAX_TYPES = 10,
  SVC_MAX_LABEL = 300,              /* characters */
  SVC_MAX_HELP = 1000,
  SVC_MAX_DESCRIPTION = 4000,
  SVC_MAX_PATTERN = 200,
  SVC_MAX_TEXT = 4000,              /* a typed value */
  SVC_MAX_FILE_BYTES = 20 << 20,    /* upper bound of max_bytes */
  SVC_MAX_UPLOAD_BYTES = 64 << 20,  /* a whole form with its files (the routes' body limit) */
  SVC_STAMP_DUTY_CENTS = 1600,      /* imposta di bollo on the application */
  SVC_LIST_MAX = 500,
  SVC_MAX_PAYMENT_CENTS = 99999999, /* 999.999,99 euro */
  SVC_PAYMENT_DAYS = 30,            /* a service notice is due in 30 days */
  SVC_MAX_REASON = 1000,            /* an override's reason, characters */
};

typedef enum {
  SF_TEXT = 0,
  SF_NUMBER,
  SF_MONEY,
  SF_DATE,
  SF_CHOICE,
  SF_YESNO,
  SF_CF,
  SF_EMAIL,
  SF_ADDRESS,
  SF_FILE,
  SF__TYPES
} svc_field_type;

/* "text", "number", ... ("codice_fiscale" for SF_CF); SF__TYPES unknown. */
const char *svc_field_type_slug(svc_field_type t);
svc_field_type svc_field_type_parse(const char *s);

typedef struct {
  char *value, *label;
} svc_option;

typedef struct {
  char *name, *label, *help;
  svc_field_type type;
  int required;
  char *visible_field, *visible_equals; /* visible_if, or NULL */
  int has_min, has_max;
  int64_t min, max;          /* number: the value; money: cents */
  char *min_date, *max_date; /* date: YYYY-MM-DD */
  int min_length, max_length; /* text-like: characters (0: none) */
  char *pattern;             /* text: POSIX ERE on the whole value */
  int multiline;             /* text: a textarea */
  svc_option *options;       /* choice (yesno: si/no, filled in) */
  size_t n_options;
  char **types;              /* file: allowed MIME types */
  size_t n_types;
  int64_t max_bytes;         /* file */
} svc_field;

typedef struct {
  char *title, *help;
  svc_field *fields;
  size_t n_fields;
} svc_section;

typedef struct {
  char *code, *name, *description, *category, *office;
  int working_days;          /* 0: the category's */
  int protocolled, stamp_duty, appointment;
  char *payment;             /* "none" | "advance" | "deferred" */
  char *revenue;             /* revenue type code */
  int64_t amount_cents;      /* fixed amount, or -1 */
  char *amount_field;        /* or the money field giving it */
  svc_section *sections;
  size_t n_sections;
} svc_def;

/* Parses and checks a service document. Every problem goes to *pbs with
 * field "definition" and a message starting with the path of the element
 * ("sections[0].fields[2].type: ..."). ERR_INVALID when there is any. */
err_code svc_def_parse(arena *a, const char *json, size_t len, svc_def *out, problems *pbs);
/* The field named name, or NULL. */
const svc_field *svc_def_field(const svc_def *d, const char *name);
/* The JSON text of a document as stored: re-serialised, indented by two
 * spaces, keys in the order written; NULL on failure. */
char *svc_def_canonical(arena *a, const char *json, size_t len);

/* The document indented for editing (2 spaces); json itself
 * when it does not parse. */
char *svc_doc_pretty(arena *a, const char *json);

/* Values of a submission, by field name. */
typedef const char *(*svc_get_fn)(void *ctx, const char *name);

/* A file sent with a submission; mime is what sniff_mime (core/sniff.h) found. */
typedef struct {
  const char *field, *name, *mime;
  const void *data;
  int64_t size;
} svc_upload;

/* The values kept: visible fields only, normalised (codice fiscale upper
 * case, money as "1234,50", yes/no as si/no); file fields hold the file
 * name. */
typedef struct {
  const char **names, **values;
  size_t n;
} svc_values;

/* Checks a submission. get gives the typed text of each field (file
 * fields: the name of a file already kept with a draft, or NULL); uploads
 * are the files sent now. Hidden fields (visible_if false) are ignored.
 * Each problem names its field with an Italian message. ERR_INVALID when
 * there is any; out holds the values either way. */
err_code svc_validate(arena *a, const svc_def *d, svc_get_fn get, void *ctx,
                      const svc_upload *up, size_t n_up, svc_values *out, problems *pbs);
/* 1 when the field is visible with these values. */
int svc_field_visible(const svc_def *d, const svc_field *f, svc_get_fn get, void *ctx);


/* The catalogue. */
typedef struct {
  int64_t id, ente_id, office_id;
  char *code, *name, *description, *category_code, *office_name;
  char *definition;
  char *payment, *revenue_code, *amount_field;
  int64_t amount_cents; /* -1: none */
  int stamp_duty, appointment, working_days, protocolled, active, version;
  int64_t created_at, updated_at;
} service;

/* Imports (creates, or replaces by code) a service of the Ente from its
 * document: parsed and checked, the category must be one of the Ente's
 * active ones and the office must exist. Audited. *id gets the service;
 * *created 1 for a new one. */
err_code services_import(db *d, arena *a, const actor *who, int64_t ente_id, const char *json,
                         size_t len, int64_t *id, int *created, problems *pbs);
/* Replaces the document of service id (admin UI); the code must stay. */
err_code services_update(db *d, arena *a, const actor *who, int64_t ente_id, int64_t id,
                         const char *json, size_t len, problems *pbs);
err_code services_list(db *d, arena *a, int64_t ente_id, int active_only, service **out,
                       size_t *n);
err_code services_get(db *d, arena *a, int64_t ente_id, int64_t id, service *out);
err_code services_get_by_code(db *d, arena *a, int64_t ente_id, const char *code, service *out);
/* The parsed form of a stored service. */
err_code services_def(arena *a, const service *s, svc_def *out);


/* ---- Applications (application.c) ----
 * A draft keeps what was typed (every field, as typed) and the files that
 * passed their checks; the owner resumes it. Submitting validates against
 * the service's form, then in one transaction: the application, its
 * files, the application PDF registered as an incoming protocol entry in
 * the service's fascicolo of the year (category "servizio:<code>"), the
 * case (the service's category, office and deadline) linked to it, the
 * acknowledgement through the outbox, and an audit row. The request for
 * integration, the integration received and the outcome each produce
 * their PDF, protocolled in the same fascicolo. PDFs are drawn by the
 * caller (svc_pdf_fn: render/ sits above the domain). */

typedef struct {
  const char *kind;        /* "citizen" | "user" */
  int64_t user_id;         /* kind "user": staff filling in for a citizen */
  const char *fiscal_code; /* kind "citizen": from the citizen session */
} svc_owner;

typedef struct {
  int64_t id, ente_id, service_id, case_id, owner_user_id;
  char *state; /* "draft" | "submitted" */
  char *applicant_fiscal_code, *applicant_name, *applicant_email;
  char *owner_kind, *owner_fiscal_code;
  char *data;  /* JSON object name -> text */
  int64_t created_at, updated_at, submitted_at;
  int64_t appointment_id; /* 0: none booked */
  char *service_code, *service_name;
  /* from data */
  const char **names, **values;
  size_t n_values;
} svc_app;

typedef struct {
  int64_t id, size;
  char *field, *name, *mime, *sha256;
} svc_app_file;

/* A svc_get_fn over a stored application (ctx: svc_app *). */
const char *svc_app_value(void *ctx, const char *name);

/* What a PDF says: a title, label/value rows and a text. */
typedef struct {
  const char *title;
  const char **labels, **values;
  size_t n;
  const char *text;
} svc_doc;
typedef err_code (*svc_pdf_fn)(void *ctx, arena *a, const svc_doc *doc, const void **pdf,
                               size_t *len);

/* The fascicolo category of a service: "servizio:<code>". */
const char *svc_fascicolo(arena *a, const char *code);

/* Saves a draft (new when draft_id is 0) of what get gives for every field
 * and the uploads that pass their checks. ERR_INVALID (*pbs) for a file of
 * the wrong type or size or a value too long; ERR_NOT_FOUND for another
 * owner's draft. */
err_code svc_app_save_draft(db *d, arena *a, const actor *who, const service *s,
                            const svc_owner *o, int64_t draft_id, svc_get_fn get, void *ctx,
                            const svc_upload *up, size_t n_up, int64_t *id_out, problems *pbs);

/* How the applicant pays the stamp duty of a service with stamp_duty:
 * the serial number (14 digits) and issue date (not in the future) of a
 * marca da bollo, unused in the Ente, or with pagoPA (16,00 euro on the
 * Ente's revenue SVC_STAMP_REVENUE; offered only when the Ente has it). */
#define SVC_STAMP_REVENUE "BOLLO"
typedef struct {
  const char *mode; /* "seriale" | "pagopa" */
  const char *serial, *issue_date;
} svc_stamp_in;

typedef struct {
  int64_t id, application_id, created_at;
  char *mode; /* "serial" | "pagopa" */
  char *serial, *issue_date;
} svc_stamp;

/* 1 when the Ente has the stamp-duty revenue (pagoPA can be offered). */
int svc_stamp_pagopa_available(db *d, arena *a, int64_t ente_id);
/* The stamp duty of an application; ERR_NOT_FOUND when none. */
err_code svc_app_stamp(db *d, arena *a, int64_t ente_id, int64_t app_id, svc_stamp *out);

typedef struct {
  const service *svc;
  const svc_owner *owner;
  int64_t draft_id;           /* 0: none */
  svc_get_fn get;
  void *ctx;
  const svc_upload *up;
  size_t n_up;
  svc_pdf_fn pdf;
  void *pdf_ctx;
  svc_stamp_in stamp; /* services with stamp_duty; problems on "_bollo",
                         "_bollo_seriale", "_bollo_data" */
} svc_submit_in;
/* Submits (see above); out gets the application with its case_id. */
err_code svc_app_submit(db *d, arena *a, const actor *who, const svc_submit_in *in, svc_app *out,
                        problems *pbs);

err_code svc_app_get(db *d, arena *a, int64_t ente_id, int64_t id, svc_app *out);
/* The owner's draft (ERR_NOT_FOUND when not theirs or not a draft). */
err_code svc_app_draft(db *d, arena *a, int64_t ente_id, const svc_owner *o, int64_t id,
                       svc_app *out);
err_code svc_app_by_case(db *d, arena *a, int64_t ente_id, int64_t case_id, svc_app *out);
err_code svc_app_files(db *d, arena *a, int64_t ente_id, int64_t app_id, svc_app_file **out,
                       size_t *n);
err_code svc_app_file_data(db *d, arena *a, int64_t ente_id, int64_t app_id, int64_t file_id,
                           svc_app_file *out, const void **data);
/* Submitted applications of the Ente (service_id 0: all; office_id 0:
 * every office, else those whose case is in that office), newest first. */
err_code svc_app_list(db *d, arena *a, int64_t ente_id, int64_t office_id, int64_t service_id,
                      svc_app **out, size_t *n);
/* The applicant's other applications (same fiscal code), newest first. */
err_code svc_app_recent(db *d, arena *a, int64_t ente_id, const char *fiscal_code,
                        int64_t except_id, int limit, svc_app **out, size_t *n);
/* A citizen's applications (drafts and submitted), newest first. */
err_code svc_app_of_citizen(db *d, arena *a, int64_t ente_id, const char *fiscal_code,
                            svc_app **out, size_t *n);

/* The operator's actions on the case of an application; each produces
 * its PDF, protocolled as outgoing in the service's fascicolo and sent to
 * the applicant with the mail. */
err_code svc_app_ask(db *d, arena *a, const case_actor *ca, int64_t ente_id, int64_t app_id,
                     const char *text, svc_pdf_fn pdf, void *pdf_ctx, problem *pb);
/* accepted 1: approved, 0: rejected. An approval waits for the payments
 * of the application (svc_payments_pending): refused with ERR_INVALID on
 * field "override" unless override (the reason to approve anyway, at
 * most SVC_MAX_REASON characters) is given, then audited as
 * "service.payment_override" in the same transaction. */
err_code svc_app_decide(db *d, arena *a, const case_actor *ca, int64_t ente_id, int64_t app_id,
                        int accepted, const char *text, const char *override, svc_pdf_fn pdf,
                        void *pdf_ctx, problem *pb);
/* The applicant's answer to a request for integration: its PDF (text and
 * the files listed) registered as incoming in the fascicolo, the message
 * and files on the case, which goes back in progress. */
err_code svc_app_answer(db *d, arena *a, const actor *who, int64_t ente_id, int64_t app_id,
                        const svc_owner *o, const char *text, const svc_upload *up, size_t n_up,
                        svc_pdf_fn pdf, void *pdf_ctx, problem *pb);

/* The applicant's answer to a request for integration that came by mail
 * (mail intake has threaded it to the case, as message rfc_message_id,
 * and put the case back in progress): recorded as the integration step —
 * its PDF (the text, and the protocol number of the mail, which holds the
 * attachments) registered as incoming in the service's fascicolo and
 * filed with the case, an audit row — once per mail message. Nothing is
 * done (ERR_OK, *done 0) when the case is no application's or the mail
 * does not follow a request for integration. */
err_code svc_app_mail_answer(db *d, arena *a, int64_t ente_id, int64_t case_id,
                             int64_t mail_message_id, const char *rfc_message_id, svc_pdf_fn pdf,
                             void *pdf_ctx, int *done);

/* ---- Appointments (appointment.c) ----
 * A service with appointment: true books on the agenda topic whose code is
 * the service's code (sportello agenda open ... --topic CODE), with the
 * agenda's own booking (agenda_book: its capacity guarantees, the
 * confirmation mail). A rejected application's booked appointment is
 * cancelled with the outcome. */

/* The topic of the service's appointments; ERR_NOT_FOUND when the Ente has
 * none for it. */
err_code svc_topic(db *d, arena *a, const service *s, ag_topic *out);
/* The appointment booked for the application (any state); ERR_NOT_FOUND. */
err_code svc_app_appointment(db *d, arena *a, const svc_app *x, ag_appt *out);
/* The applicant books the slot (counter, video, start) for application
 * app_id: theirs, submitted, case not closed, no appointment booked yet;
 * privacy: the consent given on the form. ERR_NOT_FOUND, ERR_CASE_STATE,
 * ERR_CONFLICT (booked already), and agenda_book's ERR_INVALID (field in
 * *pb), ERR_SLOT_FULL, ERR_BOOKING_LIMIT. Audited. */
err_code svc_app_book(db *d, arena *a, const ente *e, const actor *who, int64_t app_id,
                      const svc_owner *o, int64_t counter_id, int video, int64_t start,
                      int privacy_consent, ag_appt *out, problem *pb);

/* ---- Payments (payments.c) ----
 * What an application costs, as acts of src/domain/debt with their pagoPA
 * notice (type "bonario", one line, due in SVC_PAYMENT_DAYS, the taxpayer
 * found by the applicant's fiscal code or registered): "advance" issued at
 * submission for the service's amount (fixed, or the money field named by
 * amount_field), "deferred" requested by the operator, "stamp" the stamp
 * duty paid with pagoPA. Whether one is paid comes from the ledger. */

typedef struct {
  int64_t id, application_id, act_id, amount_cents, requested_by, created_at;
  char *kind; /* "advance" | "deferred" | "stamp" */
  debt_act act;        /* with its options */
  const char *nav;     /* the payable single option's NAV (NULL: none) */
  int64_t option_id;
  int paid;            /* nothing left to pay */
} svc_payment;

err_code svc_app_payments(db *d, arena *a, int64_t ente_id, int64_t app_id, svc_payment **out,
                          size_t *n);
/* 1 when some payment still has money to pay. */
int svc_payments_pending(const svc_payment *p, size_t n);
/* The amount an "advance" or "deferred" payment of the service asks of
 * this application: the fixed amount, else the value of amount_field;
 * -1 when there is none. */
int64_t svc_app_amount(const service *s, const svc_app *x);

/* The notice PDF of an act, drawn by the caller (render/pdf). */
typedef err_code (*svc_notice_fn)(void *ctx, arena *a, const debt_act *act, const void **pdf,
                                  size_t *len);
/* The operator requests a deferred payment of amount (typed, "25,00";
 * 0,01..999.999,99) on an application whose case is in progress: the act
 * and its notice, the request mailed to the applicant with the notice
 * PDF (protocolled outgoing in the service's fascicolo, as a message of
 * the case), an audit row; one transaction. ERR_INVALID (field "amount"),
 * ERR_CASE_STATE, ERR_NOT_FOUND (the service has no deferred payment). */
err_code svc_app_request_payment(db *d, arena *a, const case_actor *ca, int64_t ente_id,
                                 int64_t app_id, const char *amount, svc_notice_fn notice,
                                 void *notice_ctx, problem *pb);

#endif
