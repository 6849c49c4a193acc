/* Background work: a loop that runs each job kind on its schedule, on a
 * connection from the shared pool. Domain code never does network I/O; it
 * writes rows that jobs pick up. For now the only kind is housekeeping
 * (expired sessions, old login failures); later issues add the outbox,
 * mail intake and reminders, claimed with FOR UPDATE SKIP LOCKED on
 * PostgreSQL so several workers can share the work. */
#ifndef SP_JOBS_H
#define SP_JOBS_H
#include "db/db.h"

typedef struct job_runner job_runner;

/* Starts the loop in its own thread. */
job_runner *jobs_start(db_pool *pool);
/* Stops and joins the loop (NULL is a no-op). */
void jobs_stop(job_runner *r);
/* Runs every job kind once (the loop body; also used by tests). */
err_code jobs_run_once(db *d);

#endif
