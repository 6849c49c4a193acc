/* The work on a case: assign, take, reply or ask, close with an outcome,
 * forward to another office. Each action checks who may do it and the
 * state machine, then writes the case, its iter row, the audit row and
 * what it sends, in one locking transaction. */
#include <string.h>

#include "core/clock.h"
#include "core/text.h"
#include "domain/cases/cases_internal.h"
#include "domain/cases/cases_store.h"

static int is_admin(const case_actor *ca) { return !ca->u || ca->u->role == ROLE_ADMIN; }

/* Office managers of the case's office (any manager while it has none). */
static int may_manage(const case_actor *ca, const case_rec *c) {
  if (is_admin(ca)) return 1;
  return ca->u->role == ROLE_OFFICE_MANAGER && (!c->office_id || ca->u->office_id == c->office_id);
}

/* Who may reply and close: the assignee, the office's managers, admin. */
static int may_work(const case_actor *ca, const case_rec *c) {
  if (may_manage(ca, c)) return 1;
  return ca->u->role == ROLE_OPERATOR && c->assignee_id == ca->u->id;
}

static int64_t author(const case_actor *ca) { return ca->u ? ca->u->id : 0; }

typedef struct {
  arena *a;
  const case_actor *ca;
  int64_t ente_id, case_id;
  int64_t target;     /* assignee or office */
  const char *text;   /* reason, body or message */
  const char *outcome;
  int ask;
  problem *pb;
  const case_doc *doc;
} act_tx;

/* Reads the case and moves it; the action's own part runs in between. */
static err_code load(db *d, act_tx *t, case_rec *c) {
  char today[11];
  ci_today(today);
  return cst_get(d, t->a, t->ente_id, t->case_id, today, c);
}

static err_code commit(db *d, act_tx *t, case_rec *c, case_state from, const char *kind,
                       const char *action, const char *reason) {
  c->updated_at = clock_now();
  err_code rc = cst_update(d, c);
  if (rc == ERR_OK)
    rc = cst_event(d, c, c->updated_at, kind, case_state_slug(from), case_state_slug(c->state),
                   ci_actor(t->ca), reason);
  if (rc == ERR_OK) rc = ci_audit(d, ci_actor(t->ca), c, action, reason);
  return rc;
}

static err_code assign_fn(db *d, void *ctx) {
  act_tx *t = ctx;
  case_rec c;
  err_code rc = load(d, t, &c);
  if (rc != ERR_OK) return rc;
  if (!may_manage(t->ca, &c)) return ERR_FORBIDDEN;
  if (c.state == CASE_CLOSED) return ERR_CASE_STATE;
  if (!c.office_id)
    return ci_bad(t->pb, "assignee", "La pratica non è in carico a nessun ufficio: inoltrala prima "
                                     "a un ufficio.");
  rc = cst_can_work(d, c.ente_id, c.office_id, t->target);
  if (rc == ERR_NOT_FOUND)
    return ci_bad(t->pb, "assignee", "Scegli un operatore dell'ufficio abilitato su questo Ente.");
  if (rc != ERR_OK) return rc;
  case_state from = c.state;
  if (c.state == CASE_NEW || c.state == CASE_ASSIGNED) c.state = CASE_ASSIGNED;
  if (!case_transition_ok(from, c.state) && from != c.state) return ERR_CASE_STATE;
  c.assignee_id = t->target;
  return commit(d, t, &c, from, "assigned", "case.assign", t->text);
}

err_code cases_assign(db *d, arena *a, const case_actor *ca, int64_t ente_id, int64_t case_id,
                      int64_t assignee_id, const char *reason, problem *pb) {
  int too_long = 0;
  act_tx t = {a, ca, ente_id, case_id, assignee_id, ci_text(a, reason, CASE_MAX_REASON, &too_long),
              NULL, 0, pb, NULL};
  if (too_long) return ci_bad(pb, "reason", "Nota troppo lunga (massimo 1000 caratteri).");
  if (assignee_id <= 0) return ci_bad(pb, "assignee", "Scegli l'operatore a cui assegnare la pratica.");
  return db_tx_locking(d, assign_fn, &t);
}

static err_code take_fn(db *d, void *ctx) {
  act_tx *t = ctx;
  case_rec c;
  err_code rc = load(d, t, &c);
  if (rc != ERR_OK) return rc;
  if (c.state == CASE_CLOSED) return ERR_CASE_STATE;
  if (c.state == CASE_IN_PROGRESS && c.assignee_id == author(t->ca)) return ERR_CASE_STATE;
  if (!is_admin(t->ca)) {
    if (!c.office_id || t->ca->u->office_id != c.office_id) return ERR_FORBIDDEN;
    /* an operator takes what is unassigned or already theirs */
    if (t->ca->u->role == ROLE_OPERATOR && c.assignee_id && c.assignee_id != t->ca->u->id)
      return ERR_FORBIDDEN;
    rc = cst_can_work(d, c.ente_id, c.office_id, t->ca->u->id);
    if (rc == ERR_NOT_FOUND) return ERR_FORBIDDEN;
    if (rc != ERR_OK) return rc;
  }
  case_state from = c.state;
  c.state = CASE_IN_PROGRESS;
  if (!case_transition_ok(from, c.state)) return ERR_CASE_STATE;
  c.assignee_id = author(t->ca) ? author(t->ca) : c.assignee_id;
  return commit(d, t, &c, from, from == CASE_WAITING ? "resumed" : "taken", "case.take", NULL);
}

err_code cases_take(db *d, arena *a, const case_actor *ca, int64_t ente_id, int64_t case_id) {
  act_tx t = {a, ca, ente_id, case_id, 0, NULL, NULL, 0, NULL, NULL};
  return db_tx_locking(d, take_fn, &t);
}

static err_code reply_fn(db *d, void *ctx) {
  act_tx *t = ctx;
  case_rec c;
  err_code rc = load(d, t, &c);
  if (rc != ERR_OK) return rc;
  if (!may_work(t->ca, &c)) return ERR_FORBIDDEN;
  if (c.state != CASE_IN_PROGRESS && c.state != CASE_WAITING) return ERR_CASE_STATE;
  case_state from = c.state;
  c.state = t->ask ? CASE_WAITING : CASE_IN_PROGRESS;
  if (from != c.state && !case_transition_ok(from, c.state)) return ERR_CASE_STATE;
  rc = ci_send_doc(d, t->a, ci_actor(t->ca), author(t->ca), &c,
                   t->ask ? "request_info" : "reply", NULL,
                   t->ask ? "Richiesta di informazioni" : "Risposta alla sua richiesta", t->text, 1,
                   t->doc, t->pb);
  if (rc != ERR_OK) return rc;
  return commit(d, t, &c, from, t->ask ? "asked" : "replied", t->ask ? "case.ask" : "case.reply",
                NULL);
}

err_code cases_reply(db *d, arena *a, const case_actor *ca, int64_t ente_id, int64_t case_id,
                     const char *body, int ask, problem *pb) {
  return cases_reply_doc(d, a, ca, ente_id, case_id, body, ask, NULL, pb);
}

err_code cases_reply_doc(db *d, arena *a, const case_actor *ca, int64_t ente_id, int64_t case_id,
                         const char *body, int ask, const case_doc *doc, problem *pb) {
  int too_long = 0;
  act_tx t = {a, ca, ente_id, case_id, 0, ci_text(a, body, CASE_MAX_TEXT, &too_long), NULL, ask, pb,
              doc};
  if (!t.text || too_long)
    return ci_bad(pb, "body", "Scrivi il testo del messaggio (massimo 20000 caratteri).");
  return db_tx_locking(d, reply_fn, &t);
}

static err_code close_fn(db *d, void *ctx) {
  act_tx *t = ctx;
  case_rec c;
  err_code rc = load(d, t, &c);
  if (rc != ERR_OK) return rc;
  if (!may_work(t->ca, &c)) return ERR_FORBIDDEN;
  case_state from = c.state;
  if (!case_transition_ok(from, CASE_CLOSED)) return ERR_CASE_STATE;
  c.state = CASE_CLOSED;
  c.outcome = (char *)t->outcome;
  c.closed_at = clock_now();
  if (!c.assignee_id) c.assignee_id = author(t->ca);
  if (c.requester_email || c.requester_pec) {
    const char *body =
        arena_printf(t->a, "Gentile %s,\n\nla pratica %s (\"%s\") è stata chiusa con esito: %s.\n%s%s\n",
                     c.requester_name, c.label, c.subject, case_outcome_label(t->outcome),
                     t->text ? "\n" : "", t->text ? t->text : "");
    rc = ci_send_doc(d, t->a, ci_actor(t->ca), author(t->ca), &c, "outcome", NULL,
                     "Esito della richiesta", body, 1, t->doc, t->pb);
    if (rc != ERR_OK) return rc;
  }
  return commit(d, t, &c, from, "closed", "case.close", t->text);
}

err_code cases_close(db *d, arena *a, const case_actor *ca, int64_t ente_id, int64_t case_id,
                     const char *outcome, const char *message, problem *pb) {
  return cases_close_doc(d, a, ca, ente_id, case_id, outcome, message, NULL, pb);
}

err_code cases_close_doc(db *d, arena *a, const case_actor *ca, int64_t ente_id, int64_t case_id,
                         const char *outcome, const char *message, const case_doc *doc,
                         problem *pb) {
  int too_long = 0;
  if (!case_outcome_label(outcome)) return ci_bad(pb, "outcome", "Scegli l'esito della pratica.");
  act_tx t = {a, ca, ente_id, case_id, 0, ci_text(a, message, CASE_MAX_TEXT, &too_long), outcome,
              0, pb, doc};
  if (too_long) return ci_bad(pb, "message", "Messaggio troppo lungo (massimo 20000 caratteri).");
  return db_tx_locking(d, close_fn, &t);
}

static err_code forward_fn(db *d, void *ctx) {
  act_tx *t = ctx;
  case_rec c;
  err_code rc = load(d, t, &c);
  if (rc != ERR_OK) return rc;
  if (!may_work(t->ca, &c)) return ERR_FORBIDDEN;
  if (c.state == CASE_CLOSED) return ERR_CASE_STATE;
  int64_t to = t->target ? t->target : c.agreed_office_id;
  if (!to) return ci_bad(t->pb, "office", "Scegli l'ufficio a cui inoltrare la pratica.");
  if (to == c.office_id) return ci_bad(t->pb, "office", "La pratica è già in carico a questo ufficio.");
  rc = cst_office_serves(d, to, c.ente_id);
  if (rc == ERR_NOT_FOUND) return ci_bad(t->pb, "office", "L'ufficio scelto non serve questo Ente.");
  if (rc != ERR_OK) return rc;
  case_state from = c.state;
  c.state = CASE_NEW;
  if (!case_transition_ok(from, c.state)) return ERR_CASE_STATE;
  c.office_id = to;
  c.assignee_id = 0;
  if ((rc = cst_office_name(d, t->a, to, &c.office_name)) != ERR_OK) return rc;
  if ((rc = commit(d, t, &c, from, "forwarded", "case.forward", t->text)) != ERR_OK) return rc;
  if (strcmp(c.requester_kind, "intermediary") == 0 && (c.requester_email || c.requester_pec)) {
    const char *body = arena_printf(
        t->a,
        "Gentile %s,\n\nla pratica %s (\"%s\") è stata inoltrata all'ufficio %s, che la "
        "contatterà per le modalità e gli eventuali termini dell'appuntamento.\n\nMotivo: %s\n",
        c.requester_contact ? c.requester_contact : c.requester_name, c.label, c.subject,
        c.office_name, t->text);
    rc = ci_send(d, t->a, ci_actor(t->ca), author(t->ca), &c, "forwarded", NULL,
                 "Pratica inoltrata ad altro ufficio", body, 1, t->pb);
    if (rc != ERR_OK) return rc;
  }
  return ci_notify_office(d, t->a, &c, "Pratica inoltrata al tuo ufficio");
}

err_code cases_forward(db *d, arena *a, const case_actor *ca, int64_t ente_id, int64_t case_id,
                       int64_t office_id, const char *reason, problem *pb) {
  int too_long = 0;
  act_tx t = {a, ca, ente_id, case_id, office_id, ci_text(a, reason, CASE_MAX_REASON, &too_long),
              NULL, 0, pb, NULL};
  if (!t.text || too_long || text_utf8_len(t.text) < CASE_MIN_REASON)
    return ci_bad(pb, "reason", "Indica il motivo dell'inoltro (da 5 a 1000 caratteri).");
  return db_tx_locking(d, forward_fn, &t);
}
