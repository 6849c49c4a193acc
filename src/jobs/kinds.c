/* The registry of job kinds: the one place a kind gets its handler and
 * its retry policy. Add a kind here and its handler in kind_<name>.c. */
#include "jobs/jobs.h"
#include "jobs/kinds.h"

const job_kind job_kinds[] = {
    /* expired sessions and old login failures; no retry storm: it runs
     * again a minute later anyway */
    {"housekeeping", kind_housekeeping, .max_attempts = 3, .backoff_base = 30, .every = 60},
};

const size_t job_kinds_count = sizeof job_kinds / sizeof job_kinds[0];
