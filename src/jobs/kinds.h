/* Handlers of the registered job kinds (one kind_<name>.c each), private
 * to src/jobs. */
#ifndef SP_JOBS_KINDS_H
#define SP_JOBS_KINDS_H
#include "jobs/jobs.h"

err_code kind_housekeeping(job_run *r);
err_code kind_agenda_remind(job_run *r);
err_code kind_mail_deliver(job_run *r);
err_code kind_mail_poll(job_run *r);
err_code kind_mail_release(job_run *r);
/* kind_canone_notice.c */
err_code kind_canone_notice(job_run *r);
err_code kind_canone_paid(job_run *r);
err_code kind_canone_payments(job_run *r);
err_code kind_case_mail_reply(job_run *r);
/* kind_canone_replies.c */
err_code kind_canone_replies(job_run *r);

#endif
