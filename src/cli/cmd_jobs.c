/* sportello jobs list|retry|cancel: the background job queue from a shell
 * (the page /admin/lavori shows the same). */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "cli/cli.h"
#include "cli/cmd_common.h"
#include "core/arena.h"
#include "domain/jobs/jobs.h"
#include "jobs/jobs.h"

static const char USAGE[] =
    "Uso:\n"
    "  sportello jobs list [--state STATO] [--limit N]\n"
    "  sportello jobs retry ID\n"
    "  sportello jobs cancel ID\n"
    "  sportello jobs run\n"
    "\n"
    "list    conteggi per tipo e stato, poi i lavori più recenti (al massimo N, 50 se\n"
    "        non indicato) con tentativi e ultimo errore. STATO: queued (in coda),\n"
    "        running (in esecuzione), retry (in attesa di un nuovo tentativo), done,\n"
    "        dead (fallito definitivamente), cancelled (annullato).\n"
    "retry   rimette in coda subito un lavoro dead, retry o cancelled, con i\n"
    "        tentativi azzerati.\n"
    "cancel  annulla un lavoro queued, retry o dead.\n"
    "run     esegue una volta, in questo processo, i lavori dovuti (come un giro del worker).\n";

static const char *when(char buf[32], int64_t t) {
  if (!t) return "-";
  time_t tt = (time_t)t;
  struct tm tm;
  gmtime_r(&tt, &tm);
  strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

static int jobs_list(cli_ctx *c) {
  int state = -1;
  int64_t limit = 50;
  for (int i = 2; i < c->argc; i++) {
    int bad = 0;
    const char *v;
    if ((v = cmd_opt(c, &i, "--state", &bad))) {
      state = job_state_parse(v);
      if (state < 0) {
        fprintf(stderr, "sportello: stato sconosciuto: %s\n\n%s", v, USAGE);
        return 2;
      }
    } else if ((v = cmd_opt(c, &i, "--limit", &bad))) {
      if (cmd_parse_int(v, &limit) != 0 || limit < 1 || limit > 1000) {
        fputs("sportello: --limit deve essere un numero tra 1 e 1000\n", stderr);
        return 2;
      }
    } else if (bad) {
      return 2;
    } else {
      return cmd_bad_option(c, i, USAGE);
    }
  }
  db *d = cli_open_db();
  if (!d) return 1;
  arena *a = arena_new();
  job_count *counts;
  job *jobs;
  size_t nc = 0, nj = 0;
  err_code rc = job_counts(d, a, &counts, &nc);
  if (rc == ERR_OK) rc = job_list(d, a, state, (int)limit, &jobs, &nj);
  if (rc != ERR_OK) {
    cmd_report("elenco dei lavori non disponibile", rc, NULL);
  } else {
    printf("%-24s %-10s %8s\n", "TIPO", "STATO", "LAVORI");
    for (size_t i = 0; i < nc; i++)
      printf("%-24s %-10s %8lld\n", counts[i].kind, job_state_name(counts[i].state), (long long)counts[i].count);
    printf("\n%-8s %-24s %-10s %9s %-20s %s\n", "ID", "TIPO", "STATO", "TENTATIVI", "ESECUZIONE", "ULTIMO ERRORE");
    for (size_t i = 0; i < nj; i++) {
      char b[32];
      printf("%-8lld %-24s %-10s %9d %-20s %s\n", (long long)jobs[i].id, jobs[i].kind,
             job_state_name(jobs[i].state), jobs[i].attempts, when(b, jobs[i].run_at),
             jobs[i].last_error ? jobs[i].last_error : "");
    }
  }
  arena_free(a);
  db_close(d);
  return rc == ERR_OK ? 0 : 1;
}

/* retry / cancel ID */
static int jobs_action(cli_ctx *c, int retry) {
  int64_t id = 0;
  if (c->argc != 3 || cmd_parse_int(c->argv[2], &id) != 0 || id <= 0) {
    fprintf(stderr, "sportello: serve l'identificativo numerico del lavoro\n\n%s", USAGE);
    return 2;
  }
  db *d = cli_open_db();
  if (!d) return 1;
  err_code rc = retry ? job_retry(d, id, &cmd_cli_actor) : job_cancel(d, id, &cmd_cli_actor);
  if (rc == ERR_OK)
    printf(retry ? "Lavoro %lld rimesso in coda.\n" : "Lavoro %lld annullato.\n", (long long)id);
  else if (rc == ERR_NOT_FOUND)
    fprintf(stderr, "sportello: lavoro %lld non trovato\n", (long long)id);
  else if (rc == ERR_CONFLICT)
    fprintf(stderr, retry ? "sportello: il lavoro %lld non è fallito né annullato: niente da riprovare\n"
                          : "sportello: il lavoro %lld è in esecuzione o già concluso: non si può annullare\n",
            (long long)id);
  else
    cmd_report(retry ? "lavoro non rimesso in coda" : "lavoro non annullato", rc, NULL);
  db_close(d);
  return rc == ERR_OK ? 0 : 1;
}

static int jobs_retry(cli_ctx *c) { return jobs_action(c, 1); }
static int jobs_cancel(cli_ctx *c) { return jobs_action(c, 0); }

/* One round of the queue in this process (what the worker does every
 * few seconds): periodic kinds scheduled, due jobs run. */
static int jobs_run(cli_ctx *c) {
  if (c->argc != 2) {
    fprintf(stderr, "sportello: jobs run non accetta argomenti\n\n%s", USAGE);
    return 2;
  }
  db *d = cli_open_db();
  if (!d) return 1;
  err_code rc = jobs_run_once(d);
  db_close(d);
  if (rc != ERR_OK) cmd_report("lavori non eseguiti", rc, NULL);
  return rc == ERR_OK ? 0 : 1;
}

int cmd_jobs(cli_ctx *c) {
  static const cmd_sub subs[] = {
      {"list", jobs_list}, {"retry", jobs_retry}, {"cancel", jobs_cancel}, {"run", jobs_run}};
  return cmd_dispatch(c, "jobs", USAGE, subs, 4);
}
