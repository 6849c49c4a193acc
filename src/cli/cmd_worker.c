#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include "cli/cli.h"
#include "core/config.h"
#include "core/log.h"
#include "jobs/jobs.h"

/* sportello worker: the background job loop alone, so that serving and
 * batch work scale apart. */
int cmd_worker(cli_ctx *c) {
  if (cli_wants_help(c->argc, c->argv)) {
    puts("Uso: sportello [--config FILE] [--db URL] worker\n\n"
         "Esegue soltanto i lavori in background della coda (oggi la pulizia delle sessioni\n"
         "scadute; in seguito posta in uscita, acquisizione messaggi, promemoria) fino a\n"
         "SIGINT/SIGTERM. Più worker possono condividere lo stesso database PostgreSQL.\n"
         "La coda si consulta con 'sportello jobs list' o nella pagina /admin/lavori.");
    return 0;
  }
  db_pool *pool = db_pool_new(config_str("database", "url"), 2);
  if (!pool) {
    fputs("sportello worker: impossibile aprire il database\n", stderr);
    return 1;
  }
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  job_runner *jr = jobs_start(pool);
  log_info("worker started");
  int sig = 0;
  sigwait(&set, &sig);
  jobs_stop(jr);
  db_pool_free(pool);
  return 0;
}
