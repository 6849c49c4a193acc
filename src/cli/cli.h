/* Subcommand plumbing shared by src/cli/cmd_*.c. main.c parses the common
 * flags (--config FILE, --db URL) wherever they appear, loads the
 * configuration (defaults < file < SPORTELLO_<SECTION>_<KEY> env < flags)
 * and calls the subcommand with the remaining arguments. */
#ifndef SP_CLI_H
#define SP_CLI_H
#include "db/db.h"

typedef struct {
  int argc;    /* arguments of the subcommand; argv[0] is its name */
  char **argv;
} cli_ctx;

/* Opens the configured database (config key database.url); prints an
 * Italian error and returns NULL on failure. */
db *cli_open_db(void);
/* True if argv holds -h or --help. */
int cli_wants_help(int argc, char **argv);

typedef int (*cli_cmd_fn)(cli_ctx *c);
typedef struct {
  const char *name;
  cli_cmd_fn fn;
  const char *summary; /* one line, Italian */
} cli_cmd;

/* Subcommands, each in its own cmd_<name>.c; exit status 0 ok, 1 failure,
 * 2 usage error. */
int cmd_serve(cli_ctx *c);
int cmd_worker(cli_ctx *c);
int cmd_migrate(cli_ctx *c);
int cmd_config(cli_ctx *c);
int cmd_demo_data(cli_ctx *c);
int cmd_ente(cli_ctx *c);
int cmd_office(cli_ctx *c);
int cmd_user(cli_ctx *c);
int cmd_api_token(cli_ctx *c);
int cmd_audit(cli_ctx *c);
int cmd_protocol(cli_ctx *c);
int cmd_jobs(cli_ctx *c);
/* cmd_sanp.c */
int cmd_fdr(cli_ctx *c);
int cmd_receipts(cli_ctx *c);
int cmd_sanp(cli_ctx *c);
/* cmd_debt.c */
int cmd_ente_pagopa(cli_ctx *c);
int cmd_revenue(cli_ctx *c);
int cmd_installments(cli_ctx *c);
int cmd_positions(cli_ctx *c);
int cmd_payments(cli_ctx *c);
/* cmd_act.c, cmd_notices.c */
int cmd_act(cli_ctx *c);
int cmd_notices(cli_ctx *c);
int cmd_cases(cli_ctx *c);
int cmd_counter(cli_ctx *c);
int cmd_agenda(cli_ctx *c);
int cmd_mail(cli_ctx *c);
/* cmd_portal.c */
int cmd_portal(cli_ctx *c);
int cmd_service(cli_ctx *c);
int cmd_canone(cli_ctx *c);

#endif
