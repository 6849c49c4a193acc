/* The Ente approves or refuses a variation by replying to the
 * approval-request mail (see authorisation.h). The reply reaches the case
 * through mail intake (threaded by Message-ID); this scan reads it. */
#include <ctype.h>
#include <jansson.h>
#include <string.h>
#include <strings.h>

#include "core/clock.h"
#include "domain/canone/authorisation.h"
#include "domain/canone/authorisation_store.h"
#include "domain/canone/canone_store.h"

static const actor SYSTEM = {"system", 0};

/* 1, 0 or -1 for the word at s (s points at its first letter). */
static int word_decision(const char *s) {
  static const struct {
    const char *w;
    int v;
  } W[] = {{"approvato", 1}, {"approvata", 1}, {"rifiutato", 0}, {"rifiutata", 0}};
  for (size_t i = 0; i < sizeof W / sizeof W[0]; i++) {
    size_t n = strlen(W[i].w);
    if (strncasecmp(s, W[i].w, n) == 0 && !isalnum((unsigned char)s[n]) && (unsigned char)s[n] < 0x80)
      return W[i].v;
  }
  return -1;
}

static const char *skip_blank(const char *s) {
  while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '*' || *s == '_') s++;
  return s;
}

int occupation_reply_decision(const char *subject, const char *body) {
  int from_body = -1, from_subject = -1;
  /* the body's first non-empty line */
  for (const char *p = body ? body : ""; *p;) {
    const char *q = skip_blank(p);
    if (*q && *q != '\n') {
      from_body = word_decision(q);
      break;
    }
    const char *nl = strchr(q, '\n');
    if (!nl) break;
    p = nl + 1;
  }
  /* the subject once the reply prefixes are gone */
  const char *s = subject ? subject : "";
  for (;;) {
    s = skip_blank(s);
    static const char *const prefixes[] = {"re:", "r:", "fwd:", "fw:", "i:", "rif:"};
    size_t i;
    for (i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
      if (strncasecmp(s, prefixes[i], strlen(prefixes[i])) == 0) break;
    if (i == sizeof prefixes / sizeof prefixes[0]) break;
    s += strlen(prefixes[i]);
  }
  from_subject = word_decision(s);
  if (from_body >= 0 && from_subject >= 0 && from_body != from_subject) return -1;
  return from_body >= 0 ? from_body : from_subject;
}

/* The bare address of a From value ("Name <a@b>" or "a@b"). */
static const char *bare(arena *a, const char *from) {
  const char *lt = from ? strrchr(from, '<') : NULL;
  if (!lt) return from ? from : "";
  const char *gt = strchr(lt, '>');
  return gt ? arena_strndup(a, lt + 1, (size_t)(gt - lt - 1)) : from;
}

/* 1 when in_reply_to or refs names one of ids. */
static int answers(const as_reply *r, char **ids, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (!ids[i] || !*ids[i]) continue;
    if ((r->in_reply_to && strstr(r->in_reply_to, ids[i])) || (r->refs && strstr(r->refs, ids[i]))) return 1;
  }
  return 0;
}

typedef struct {
  arena *a;
  const as_reply *r;
  int *decided;
} reply_tx;

static err_code reply_fn(db *d, void *ctx) {
  reply_tx *t = ctx;
  arena *a = t->a;
  const as_reply *r = t->r;
  *t->decided = 0;
  occupation o;
  err_code rc = cs_occ_lock(d, a, r->ente_id, r->case_id, &o);
  if (rc != ERR_OK) return rc;
  const char *outcome = "ignored";
  int decision = -1;
  if (o.ente_decision && strcmp(o.ente_decision, "pending") == 0 && o.ente_email &&
      strcasecmp(bare(a, r->sender), o.ente_email) == 0) {
    char **ids;
    size_t n;
    if ((rc = as_out_message_ids(d, a, r->ente_id, r->case_id, o.ente_email, &ids, &n)) != ERR_OK) return rc;
    if (answers(r, ids, n)) {
      decision = occupation_reply_decision(r->subject, r->body);
      outcome = decision == 1 ? "approved" : decision == 0 ? "refused" : "unclear";
    }
  }
  int64_t changed = 0;
  if ((rc = as_reply_put(d, r->ente_id, o.id, r->msg_id, outcome, clock_now(), &changed)) != ERR_OK)
    return rc;
  if (!changed) return ERR_OK; /* looked at already */
  if (decision >= 0) {
    problems pbs = {0};
    occupation out;
    if ((rc = occupation_variation_decide(d, a, &SYSTEM, r->ente_id, r->case_id, decision,
                                          "Decisione inviata dall'Ente rispondendo al messaggio.", &out,
                                          &pbs)) != ERR_OK)
      return rc;
    *t->decided = 1;
  }
  return audit_write_json(d, &SYSTEM, r->ente_id, "occupation.decision_by_mail", "occupation", o.id, NULL,
                          json_pack("{s:I, s:I, s:s, s:s}", "case", (json_int_t)r->case_id, "message",
                                    (json_int_t)r->msg_id, "from", bare(a, r->sender), "outcome", outcome));
}

static err_code flag_fn(db *d, void *ctx) {
  const as_reply *r = ctx;
  int64_t changed = 0;
  err_code rc = as_reply_put(d, r->ente_id, r->occupation_id, r->msg_id, "unclear", clock_now(), &changed);
  if (rc != ERR_OK || !changed) return rc;
  return audit_write_json(d, &SYSTEM, r->ente_id, "occupation.decision_by_mail", "occupation",
                          r->occupation_id, NULL,
                          json_pack("{s:I, s:I, s:s}", "case", (json_int_t)r->case_id, "message",
                                    (json_int_t)r->msg_id, "outcome", "unclear"));
}

err_code occupation_replies_scan(db *d, arena *a, int *n) {
  int local = 0;
  if (!n) n = &local;
  *n = 0;
  as_reply *rs;
  size_t nr;
  err_code rc = as_replies_pending(d, a, &rs, &nr);
  for (size_t i = 0; rc == ERR_OK && i < nr; i++) {
    int decided = 0;
    reply_tx t = {a, &rs[i], &decided};
    rc = db_tx_locking(d, reply_fn, &t);
    if (rc == ERR_CANONE_RULES || rc == ERR_INVALID || rc == ERR_CASE_STATE) {
      /* the decision cannot be applied (e.g. the Ente has no rules any
       * more): the reply is flagged and an operator decides from the page */
      rc = db_tx_locking(d, flag_fn, (void *)&rs[i]);
    }
    *n += decided;
  }
  return rc;
}

err_code occupation_reply_flagged(db *d, arena *a, int64_t ente_id, int64_t case_id,
                                  occupation_reply_rec *out) {
  return as_reply_flagged(d, a, ente_id, case_id, out);
}
