#include <stdio.h>
#include "cli/cli.h"

/* Applies pending migrations; safe to run repeatedly. */
int cmd_migrate(cli_ctx *c) {
  if (cli_wants_help(c->argc, c->argv)) {
    puts("Uso: sportello [--db URL] migrate\n\nApplica al database le migrazioni in sospeso.");
    return 0;
  }
  db *d = cli_open_db();
  if (!d) return 1;
  int applied = 0;
  err_code e = db_migrate(d, &applied);
  if (e != ERR_OK) {
    fprintf(stderr, "sportello: migrazione non riuscita: %s\n", db_errmsg(d));
    db_close(d);
    return 1;
  }
  printf("Migrazioni applicate: %d.\n", applied);
  db_close(d);
  return 0;
}
