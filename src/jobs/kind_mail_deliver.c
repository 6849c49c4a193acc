/* mail.deliver: sends one outbox message over SMTP (an SMS row through
 * the SMS gateway).
 *
 * Order: mark 'sending' (own transaction) -> SMTP transaction -> mark
 * 'sent'. A crash after the SMTP transaction and before the 'sent'
 * record leaves the job running until its lease expires; it is then
 * claimed again and the message is sent again with the SAME Message-ID,
 * stored since enqueue: the duplicate is recognisable. Test hook:
 * SPORTELLO_TEST_MAIL_CRASH_AFTER_SEND=1 makes the process exit right
 * after the SMTP transaction (tests/mail/test_mail.py). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "domain/notify/notify.h"
#include "jobs/kinds.h"
#include "mail/mail.h"

/* Records a failed attempt (dead after the last one). */
static err_code failed(job_run *r, notify_mail *m, const char *err, err_code rc) {
  int dead = r->j->attempts >= NOTIFY_MAX_ATTEMPTS;
  log_warn("mail.deliver: outbox %lld attempt %d: %s", (long long)m->id, r->j->attempts, err);
  notify_mark_failed(r->d, m, err, dead);
  r->error = arena_strdup(r->a, err);
  return rc;
}

/* An SMS row: the text to the gateway, with the same states and retries. */
static err_code deliver_sms(job_run *r, notify_mail *m) {
  err_code rc = notify_mark_sending(r->d, m);
  if (rc != ERR_OK) return rc;
  char err[512];
  if ((rc = sms_send(m->to, m->text, m->message_id, err, sizeof err)) != ERR_OK) return failed(r, m, err, rc);
  rc = notify_mark_sent(r->d, m);
  if (rc == ERR_OK) log_info("mail.deliver: outbox %lld sent by SMS", (long long)m->id);
  return rc;
}

err_code kind_mail_deliver(job_run *r) {
  json_error_t je;
  json_t *p = json_loads(r->j->payload, 0, &je);
  json_int_t id = p ? json_integer_value(json_object_get(p, "outbox_id")) : 0;
  json_decref(p);
  if (id <= 0) {
    r->error = "Lavoro di invio senza messaggio.";
    return ERR_INVALID;
  }
  notify_mail m;
  err_code rc = notify_get(r->d, r->a, id, &m);
  if (rc == ERR_NOT_FOUND) {
    r->error = "Messaggio in uscita inesistente.";
    return rc;
  }
  if (rc != ERR_OK) return rc;
  if (strcmp(m.state, "sent") == 0) return ERR_OK; /* recorded by an earlier attempt */
  if (strcmp(m.channel, "sms") == 0) return deliver_sms(r, &m);
  char *data;
  size_t len;
  if ((rc = mail_build(r->a, &m, &data, &len)) != ERR_OK) {
    r->error = "Impossibile comporre il messaggio.";
    return rc;
  }
  if ((rc = notify_mark_sending(r->d, &m)) != ERR_OK) return rc;
  const char *rcpt[2] = {m.to, m.cc};
  char err[512];
  rc = smtp_send(m.from, rcpt, m.cc ? 2 : 1, data, len, err, sizeof err);
  if (rc != ERR_OK) return failed(r, &m, err, rc);
  const char *hook = getenv("SPORTELLO_TEST_MAIL_CRASH_AFTER_SEND");
  if (hook && strcmp(hook, "1") == 0) _exit(99);
  rc = notify_mark_sent(r->d, &m);
  if (rc == ERR_OK) log_info("mail.deliver: outbox %lld sent as %s", (long long)id, m.message_id);
  return rc;
}
