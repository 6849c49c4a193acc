/* Helpers shared by the administration subcommands (cmd_ente.c,
 * cmd_office.c, cmd_user.c, cmd_api_token.c, cmd_demo_data.c): option
 * parsing, Italian error output and password input. */
#ifndef SP_CMD_COMMON_H
#define SP_CMD_COMMON_H
#include <stddef.h>
#include <stdint.h>
#include "cli/cli.h"
#include "core/arena.h"
#include "core/error.h"
#include "core/problems.h"
#include "domain/audit/audit.h"
#include "domain/ente/ente.h"

/* The actor recorded in audit rows for changes made from the command line. */
extern const actor cmd_cli_actor;

/* If argv[*i] is option name ("--name VALUE" or "--name=VALUE") returns its
 * value and advances *i past it; returns NULL otherwise. A missing value
 * prints an error and sets *bad. */
const char *cmd_opt(cli_ctx *c, int *i, const char *name, int *bad);
/* Prints "opzione sconosciuta" for argv[i] followed by usage; returns 2 (the
 * usage-error exit status). */
int cmd_bad_option(cli_ctx *c, int i, const char *usage);

/* The Enti named by repeated "--ente ENTE" options: each ENTE is the
 * Ente's slug or its codice fiscale (ente_resolve). */
enum { CMD_MAX_ENTI = 64 };
typedef struct {
  const char *names[CMD_MAX_ENTI];
  size_t n;
} cmd_entes;
/* Like cmd_opt for "--ente": returns 1 when argv[*i] was one and adds its
 * value to e (more than CMD_MAX_ENTI: message printed and *bad set). */
int cmd_opt_ente(cli_ctx *c, int *i, cmd_entes *e, int *bad);
/* The ids of e's Enti into ids (room for e->n); 0, or 1 after printing
 * which Ente does not exist. */
int cmd_ente_ids(db *d, arena *a, const cmd_entes *e, int64_t *ids);

/* The Ente named by slug or codice fiscale into *out; 0, or 1 after
 * printing that it does not exist. */
int cmd_find_ente(db *d, arena *a, const char *slug_or_cf, ente *out);

/* One subcommand of a command ("ente add", "user list"...). */
typedef struct {
  const char *name;
  cli_cmd_fn fn;
} cmd_sub;
/* Runs the subcommand argv[1] among subs (n of them). No subcommand: usage
 * on stderr, 2; -h/--help anywhere: usage on stdout, 0; an unknown one:
 * "sottocomando sconosciuto: <cmd> <argv[1]>" and usage on stderr, 2. */
int cmd_dispatch(cli_ctx *c, const char *cmd, const char *usage, const cmd_sub *subs, size_t n);

/* Prints "sportello: <what>: <reason>" for a failed domain call, using the
 * field problem when there is one. */
void cmd_report(const char *what, err_code rc, const problem *pb);
/* The same with every problem of a list, one line each. */
void cmd_report_all(const char *what, err_code rc, const problems *pbs);
/* Parses a non-negative decimal integer; 0 ok, -1 bad. */
int cmd_parse_int(const char *s, int64_t *out);
/* The password for a new user or a change: the SPORTELLO_PASSWORD
 * environment variable, else one line of standard input (on a terminal:
 * asked twice without echo). Never from argv. malloc'ed; NULL on failure
 * (message printed). */
char *cmd_read_password(void);
/* Frees a password after wiping it. */
void cmd_free_password(char *pw);

#endif
