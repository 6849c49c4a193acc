/* The registry of job kinds: the one place a kind gets its handler and
 * its retry policy. Add a kind here and its handler in kind_<name>.c. */
#include "jobs/jobs.h"
#include "jobs/kinds.h"
#include "domain/notify/notify.h"

const job_kind job_kinds[] = {
    /* expired sessions and old login failures; no retry storm: it runs
     * again a minute later anyway */
    {"housekeeping", kind_housekeeping, .max_attempts = 3, .backoff_base = 30, .every = 60},
    /* one outbox message over SMTP; backoff 1, 2, 4 ... minutes, then dead
     * (the outbox row too) */
    {"mail.deliver", kind_mail_deliver, .max_attempts = NOTIFY_MAX_ATTEMPTS, .backoff_base = 60},
    /* reads the active IMAP mailboxes every mail.poll_seconds (the kind
     * looks every 10 s) */
    {"mail.poll", kind_mail_poll, .max_attempts = 3, .backoff_base = 30, .every = 10},
    /* a message released from quarantine by the administrator: read again
     * and registered; a message still unreadable is not worth retrying */
    {"mail.release", kind_mail_release, .max_attempts = 1, .backoff_base = 30},
    /* the reminder of an appointment, into the outbox */
    {"agenda.remind", kind_agenda_remind, .max_attempts = 5, .backoff_base = 60},
    /* canone unico: the notice PDF mailed to the taxpayer and the Ente */
    {"canone.notice", kind_canone_notice, .max_attempts = 8, .backoff_base = 60},
    /* canone unico: notices paid, each scheduled for the next working day */
    {"canone.payments", kind_canone_payments, .max_attempts = 3, .backoff_base = 30, .every = 60},
    /* canone unico: the Ente told of a payment */
    {"canone.paid", kind_canone_paid, .max_attempts = 8, .backoff_base = 60},
    /* a reply by mail joined to a case: an online service's integration step */
    {"case.mail_reply", kind_case_mail_reply, .max_attempts = 5, .backoff_base = 60},
    /* canone unico: the Ente's mail replies approving or refusing a variation */
    {"canone.replies", kind_canone_replies, .max_attempts = 3, .backoff_base = 30, .every = 60},
};

const size_t job_kinds_count = sizeof job_kinds / sizeof job_kinds[0];
