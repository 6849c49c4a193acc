/* mail.poll: one poll of every active IMAP mailbox. Each message is
 * stored in its own transaction and only then moved or flagged on the
 * server; a mailbox that cannot be read does not stop the others. */
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/config.h"
#include "core/log.h"
#include "domain/intake/intake.h"
#include "jobs/kinds.h"
#include "mail/mail.h"

err_code kind_mail_poll(job_run *r) {
  /* the kind runs every 10 s; mailboxes are read every mail.poll_seconds */
  static int64_t last;
  int64_t now = clock_now();
  if (last && now - last < config_int("mail", "poll_seconds") && now >= last) return ERR_OK;
  last = now;
  intake_mailbox *mbs;
  size_t n;
  err_code rc = intake_mailbox_list(r->d, r->a, 0, &mbs, &n);
  if (rc != ERR_OK) return rc;
  err_code first = ERR_OK;
  for (size_t i = 0; i < n; i++) {
    if (strcmp(mbs[i].kind, "imap") != 0) continue;
    mail_ingest_stats st = {0};
    char err[512] = "";
    rc = mail_poll_imap(r->d, &mbs[i], &st, err, sizeof err);
    if (rc != ERR_OK) {
      log_warn("mail.poll: mailbox %s: %s", mbs[i].name, err);
      if (first == ERR_OK) {
        first = rc;
        r->error = arena_printf(r->a, "Casella %s: %s", mbs[i].name, err);
      }
    } else if (st.seen) {
      log_info("mail.poll: mailbox %s: %lld new, %lld stored, %lld quarantined", mbs[i].name,
               (long long)st.seen, (long long)st.stored, (long long)st.quarantined);
    }
  }
  return first;
}
