/* Cases (pratiche, C4): one queue for every request, whatever its channel
 * (e-mail, PEC, web form, counter, phone, Ente staff, intermediaries).
 *
 * A case belongs to an Ente and is numbered per Ente and calendar year
 * without gaps ("2026-000123": the counter row is incremented in the case's
 * own transaction, a locking one). Its category (a per-Ente catalogue over
 * built-in defaults) sets the working days allowed, from which the due date
 * is computed with the Ente's calendar (patron saint included). "URGENTE" in
 * the subject makes it urgent: first in every queue, and the office's
 * managers are told. A new case goes to an office by the Ente's routing
 * rules, else to the least-loaded office serving the Ente.
 *
 * States: new (da prendere in carico) -> assigned -> in_progress <->
 * waiting (in attesa del richiedente) -> closed with an outcome. Every
 * transition writes an iter row (who, when, why) and an audit row in the
 * same transaction. Every communication is registered in the protocol:
 * incoming for requests and replies received, outgoing for what is sent.
 * Outgoing messages go through one function (cases_mail.c) to the outbox,
 * threaded with Message-ID / In-Reply-To / References and tagged in the
 * subject with "[Pratica 2026-000123]" so replies find their case.
 *
 * Every function that changes a case runs in db_tx_locking and joins the
 * caller's transaction when there is one (mail intake opens cases inside
 * its own). Every read names the Ente. */
#ifndef SP_CASES_H
#define SP_CASES_H
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/calendar.h"
#include "core/error.h"
#include "db/db.h"
#include "domain/audit/audit.h"
#include "domain/ente/ente.h"

enum {
  CASE_MAX_SUBJECT = 300,      /* characters */
  CASE_MAX_TEXT = 20000,       /* description, message bodies */
  CASE_MAX_NAME = 200,
  CASE_MAX_REASON = 1000,
  CASE_MIN_REASON = 5,
  CASE_MAX_ATTACHMENTS = 20,
  CASE_LIST_MAX = 200,
};

/* The subject tag we put on every message about a case, and the text the
 * mail intake looks for: "[Pratica 2026-000123]". */
#define CASE_TAG_PREFIX "[Pratica "

typedef enum {
  CASE_NEW = 0,
  CASE_ASSIGNED,
  CASE_IN_PROGRESS,
  CASE_WAITING,
  CASE_CLOSED,
  CASE__STATES
} case_state;

const char *case_state_slug(case_state s); /* "new", "assigned", ... */
const char *case_state_label(case_state s); /* "Da prendere in carico", ... */
/* CASE__STATES when unknown. */
case_state case_state_parse(const char *slug);
/* 1 when the state machine allows from -> to. */
int case_transition_ok(case_state from, case_state to);

/* Outcomes of a closed case: accepted, rejected, archived, forwarded. */
const char *case_outcome_label(const char *slug); /* NULL when unknown */
extern const char *const CASE_OUTCOMES[];         /* NULL-terminated */
const char *case_channel_label(const char *slug);
extern const char *const CASE_CHANNELS[];         /* NULL-terminated */

/* "2026-000123" and "[Pratica 2026-000123]". */
const char *case_label(arena *a, int year, int64_t number);
const char *case_subject_tag(arena *a, int year, int64_t number);
/* Parses "2026-000123" (also "2026-123", "2026/123"): 0 ok, -1 not one. */
int case_parse_label(const char *s, int *year, int64_t *number);
/* Finds "[Pratica YYYY-NNNNNN]" in a subject: 0 ok, -1 none. */
int case_find_tag(const char *subject, int *year, int64_t *number);
/* 1 when the subject asks for urgency ("URGENTE", any case). */
int case_subject_urgent(const char *subject);

/* The due date (YYYY-MM-DD): working_days working days after the Rome day
 * of received_at, on cal. */
void case_due_date(const work_calendar *cal, int64_t received_at, int working_days, char out[11]);

typedef struct {
  char *code;       /* [a-z0-9_]{2,40} */
  char *name;       /* Italian */
  int working_days; /* 1..365 */
  int active;
  int builtin;      /* one of the defaults (possibly overridden) */
} case_category;

/* The Ente's catalogue: the defaults with the Ente's overrides, and the
 * Ente's own categories; inactive ones included (flag). */
err_code cases_categories(db *d, arena *a, int64_t ente_id, case_category **out, size_t *n);
/* One active category of the Ente; ERR_NOT_FOUND when unknown or inactive. */
err_code cases_category(db *d, arena *a, int64_t ente_id, const char *code, case_category *out);
/* Adds or changes a category of the Ente (audited). */
err_code cases_category_set(db *d, const actor *who, int64_t ente_id, const case_category *c,
                            problem *pb);
/* A category for a subject, by keywords (mail intake): "cessazione" ->
 * osp_cessazione, "rateizz" -> rateizzazione, ...; fallback (may be NULL
 * for "altro"). */
const char *case_guess_category(const char *subject, const char *fallback);

/* Offices serving an Ente, and routing rules. */
typedef struct {
  int64_t id, ente_id, office_id;
  char *category_code; /* NULL: every category */
  int position;
  char *office_name, *category_name;
} case_rule;

err_code cases_office_serve(db *d, const actor *who, int64_t office_id, int64_t ente_id, int on);
err_code cases_serving_offices(db *d, arena *a, int64_t ente_id, office **out, size_t *n);
err_code cases_rules(db *d, arena *a, int64_t ente_id, case_rule **out, size_t *n);
err_code cases_rule_add(db *d, const actor *who, case_rule *r, problem *pb);
err_code cases_rule_delete(db *d, const actor *who, int64_t ente_id, int64_t rule_id);
/* The office a new case of the Ente and category goes to: the most
 * specific rule, else the serving office with fewest open cases (ties: the
 * lowest id), else 0 (unrouted: the Ente's general queue). Inside or
 * outside a transaction. */
err_code cases_route(db *d, int64_t ente_id, const char *category_code, int64_t *office_id);

typedef struct {
  int64_t id, ente_id;
  int year;
  int64_t number;
  char *label; /* "2026-000123" */
  char *channel, *category_code, *category_name, *subject, *description, *priority;
  case_state state;
  char *outcome;
  int64_t office_id;
  char *office_name;
  int64_t assignee_id;
  char *assignee_name;
  char *requester_kind, *requester_name, *requester_email, *requester_pec,
      *requester_fiscal_code, *requester_phone, *requester_contact;
  int64_t taxpayer_id, requester_user_id, agreed_office_id;
  char *act_number, *act_taxpayer_cf, *act_details, *reason;
  int64_t protocol_entry_id;
  int protocol_year;
  int64_t protocol_number;
  char *thread_id;
  int64_t received_at;
  char *due_date;
  int64_t closed_at, updated_at;
  int overdue; /* open and past its due date (Rome today) */
} case_rec;

typedef struct {
  const char *name, *mime;
  const void *data;
  int64_t size;
  char sha256[65]; /* computed */
} case_file;

/* A new case. Required: ente_id, channel, subject, requester_name and one
 * of e-mail / PEC / fiscal code / phone / requester_user_id. category_code
 * NULL: guessed from the subject. When protocol_entry_id is set (mail
 * intake registered the message already) the case links it, else the case
 * registers its request as incoming. ack = 1 sends the requester an
 * acknowledgement with the protocol number (channels other than mail:
 * intake acknowledges its own). */
typedef struct {
  int64_t ente_id;
  const char *channel;
  const char *category_code;
  const char *subject, *description;
  const char *requester_kind; /* default "person" */
  const char *requester_name, *requester_email, *requester_pec, *requester_fiscal_code,
      *requester_phone, *requester_contact;
  int64_t taxpayer_id, requester_user_id, agreed_office_id;
  const char *act_number, *act_taxpayer_cf, *act_details, *reason;
  /* mail */
  const char *message_id, *references;
  int64_t mail_message_id;
  int64_t protocol_entry_id;
  int protocol_year;
  int64_t protocol_number;
  int ack;
  case_file *files;
  size_t n_files;
  /* online services: the service's office (0: routing) and deadline in
   * working days (0: the category's) */
  int64_t office_id;
  int working_days;
} case_input;

/* Opens a case (see case_input); out gets it as stored. ERR_INVALID with
 * *pb naming the field for bad input. */
err_code cases_open(db *d, arena *a, const actor *who, case_input *in, case_rec *out, problem *pb);

/* A reply from the requester (mail intake, inside its transaction): a
 * message in on the case, its protocol entry linked (or registered when
 * protocol_entry_id is 0); a waiting case goes back in progress. */
typedef struct {
  int64_t ente_id, case_id;
  const char *channel, *sender, *subject, *body;
  const char *message_id, *in_reply_to, *references;
  int64_t mail_message_id, protocol_entry_id;
  case_file *files;
  size_t n_files;
} case_reply_in;
err_code cases_add_incoming(db *d, arena *a, const actor *who, case_reply_in *in, problem *pb);

/* The case a stored mail message (mail_message id) belongs to, and the
 * case whose communications include protocol entry year/number: for
 * replies that name them. ERR_NOT_FOUND when none. */
err_code cases_of_mail_message(db *d, int64_t ente_id, int64_t mail_message_id, int64_t *case_id);
err_code cases_of_protocol(db *d, arena *a, int64_t ente_id, int year, int64_t number,
                           int64_t *case_id);

/* Reads. */
err_code cases_get(db *d, arena *a, int64_t ente_id, int64_t id, case_rec *out);
err_code cases_get_by_number(db *d, arena *a, int64_t ente_id, int year, int64_t number,
                             case_rec *out);

typedef enum {
  CQ_OPEN = 0, /* every open case */
  CQ_NEW,      /* to take in charge */
  CQ_MINE,     /* assigned to me, open */
  CQ_WAITING,
  CQ_OVERDUE,
  CQ_CLOSED,
  CQ_ALL,
} case_view;

typedef struct {
  int64_t ente_id;     /* required */
  int64_t office_id;   /* 0: every office */
  int64_t user_id;     /* CQ_MINE */
  case_view view;
  const char *state;   /* exact state slug, or NULL */
  const char *category;
  const char *from, *to; /* received between (YYYY-MM-DD, inclusive), or NULL */
  int limit, offset;
} case_filter;

/* Urgent first, then by due date and arrival. *total: rows matching. */
err_code cases_list(db *d, arena *a, const case_filter *f, case_rec **out, size_t *n,
                    int64_t *total);
/* The requester's other recent cases (same fiscal code, e-mail or user). */
err_code cases_recent_of_requester(db *d, arena *a, const case_rec *c, int limit, case_rec **out,
                                   size_t *n);

typedef struct {
  int64_t id, created_at;
  char *kind, *from_state, *to_state, *actor_kind, *actor_name, *office_name, *assignee_name,
      *reason;
  int64_t actor_id;
} case_event;
err_code cases_events(db *d, arena *a, int64_t ente_id, int64_t case_id, case_event **out,
                      size_t *n);

typedef struct {
  int64_t id, created_at, outbox_id, protocol_entry_id, author_id;
  char *direction, *channel, *kind, *sender, *recipient, *subject, *body, *message_id,
      *in_reply_to, *refs, *author_name;
  int64_t protocol_number;
  int protocol_year;
  char *protocol; /* "0000042/2026" or NULL */
  /* outgoing: the outbox row's state, what receipts and bounces said of
   * it (delivery NULL | accepted | delivered | not_delivered), and those
   * receipts (kept on the message, never registered) */
  char *out_state, *delivery;
  int64_t delivery_at;
  struct case_receipt *receipts;
  size_t n_receipts;
} case_message;
typedef struct case_receipt {
  int64_t outbox_id, received_at;
  char *kind; /* the PEC receipt type (accettazione...) or "bounce" */
} case_receipt;
err_code cases_messages(db *d, arena *a, int64_t ente_id, int64_t case_id, case_message **out,
                        size_t *n);

/* Another area's outgoing message about a case (the canone mails, written
 * to the outbox by their own area): recorded on the case as message m
 * (direction "out", outbox_id set, so the case page shows its delivery
 * state) and m->protocol_entry_id, when set, linked to the case. Inside
 * the caller's transaction. */
err_code cases_record_sent(db *d, int64_t ente_id, int64_t case_id, const case_message *m);

typedef struct {
  int64_t id, size, created_at;
  char *name, *mime, *sha256;
} case_attachment;
err_code cases_attachments(db *d, arena *a, int64_t ente_id, int64_t case_id,
                           case_attachment **out, size_t *n);
/* An attachment with its content. */
err_code cases_attachment_data(db *d, arena *a, int64_t ente_id, int64_t case_id, int64_t att_id,
                               case_attachment *out, const void **data);

typedef struct {
  int64_t entry_id, number, registered_at;
  int year;
  char *direction, *correspondent, *subject, *channel, *hash;
  int annulled;
} case_protocol;
err_code cases_protocols(db *d, arena *a, int64_t ente_id, int64_t case_id, case_protocol **out,
                         size_t *n);
/* Files protocol entry entry_id (of the Ente) with the case, inside the
 * caller's transaction: a document registered for it by another area
 * (the PDF of an online service's step, the authorisation an Ente
 * uploaded). */
err_code cases_link_protocol(db *d, int64_t ente_id, int64_t case_id, int64_t entry_id);

/* Staff who may work cases of an office on an Ente (managers and
 * operators, active, enabled on the Ente). */
err_code cases_office_staff(db *d, arena *a, int64_t ente_id, int64_t office_id, user **out,
                            size_t *n);

/* Actions. who is the signed-in user (actor kind "user") or NULL with
 * actor: the CLI. Each checks the transition, writes the iter row and the
 * audit row, and returns ERR_CASE_STATE for a transition the state
 * machine refuses, ERR_FORBIDDEN when the user may not act on this case. */
typedef struct {
  actor who;
  const user *u; /* NULL: CLI / system (no office check) */
} case_actor;

/* Manager (of the case's office) or admin: to an operator or manager of
 * that office. */
err_code cases_assign(db *d, arena *a, const case_actor *ca, int64_t ente_id, int64_t case_id,
                      int64_t assignee_id, const char *reason, problem *pb);
/* Takes the case in charge (assignee = the user, in progress); also
 * resumes a waiting case. */
err_code cases_take(db *d, arena *a, const case_actor *ca, int64_t ente_id, int64_t case_id);
/* A reply to the requester by e-mail or PEC (outbox, protocolled as
 * outgoing); ask = 1 asks for information and puts the case waiting. */
err_code cases_reply(db *d, arena *a, const case_actor *ca, int64_t ente_id, int64_t case_id,
                     const char *body, int ask, problem *pb);
/* Closes with an outcome; the outcome (with message) goes to the
 * requester, protocolled as outgoing. */
err_code cases_close(db *d, arena *a, const case_actor *ca, int64_t ente_id, int64_t case_id,
                     const char *outcome, const char *message, problem *pb);
/* A document produced for an action (the PDF of an online service's
 * request for integration or outcome): registered as the primary document
 * of the outgoing protocol entry, filed under category (the service's
 * fascicolo), and attached to the mail. */
typedef struct {
  const char *name, *mime;
  const void *data;
  int64_t size;
  const char *category;
} case_doc;
/* cases_reply / cases_close with the document of the action. */
err_code cases_reply_doc(db *d, arena *a, const case_actor *ca, int64_t ente_id, int64_t case_id,
                         const char *body, int ask, const case_doc *doc, problem *pb);
err_code cases_close_doc(db *d, arena *a, const case_actor *ca, int64_t ente_id, int64_t case_id,
                         const char *outcome, const char *message, const case_doc *doc,
                         problem *pb);
/* Forwards to another office serving the Ente with a reason: back to
 * "new" in that office; an intermediary requester is told. office_id 0:
 * the office agreed with the intermediary. */
err_code cases_forward(db *d, arena *a, const case_actor *ca, int64_t ente_id, int64_t case_id,
                       int64_t office_id, const char *reason, problem *pb);

/* Follow a case without signing in: number ("0000042/2026" protocol, or
 * "2026-000123" case) and the requester's e-mail or fiscal code. Any
 * mismatch is ERR_NOT_FOUND, whether the number exists or not. */
err_code cases_follow(db *d, arena *a, int64_t ente_id, const char *number, const char *second,
                      case_rec *out);

/* The intermediary's contact details from their latest case (phone,
 * e-mail, contact person); ERR_NOT_FOUND when they have none. */
err_code cases_last_contact(db *d, arena *a, int64_t ente_id, int64_t user_id, case_rec *out);

/* 1 when t (Unix seconds) falls within open..close ("HH:MM", Rome). */
int cases_within_hours(int64_t t, const char *open, const char *close);

/* Reports: one row per office (region), counts by state, closed by
 * outcome, overdue. ente_id 0 with ente_ids: the union of those Enti. */
typedef struct {
  int64_t office_id;
  char *office_name, *region_name;
  int64_t n_new, n_assigned, n_in_progress, n_waiting, n_closed, n_overdue;
  int64_t n_accepted, n_rejected, n_archived, n_forwarded;
} case_report_row;
typedef struct {
  const int64_t *ente_ids;
  size_t n_entes;
  int64_t region_id; /* 0: every region */
  const char *category;
  const char *from, *to;
} case_report_filter;
err_code cases_report(db *d, arena *a, const case_report_filter *f, case_report_row **out,
                      size_t *n);

#endif
