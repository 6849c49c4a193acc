/* Helpers shared by the administration subcommands (cmd_ente.c,
 * cmd_office.c, cmd_user.c, cmd_api_token.c, cmd_demo_data.c): option
 * parsing, Italian error output and password input. */
#ifndef SP_CMD_COMMON_H
#define SP_CMD_COMMON_H
#include <stdint.h>
#include "cli/cli.h"
#include "core/error.h"
#include "domain/audit/audit.h"

/* The actor recorded in audit rows for changes made from the command line. */
extern const actor cmd_cli_actor;

/* If argv[*i] is option name ("--name VALUE" or "--name=VALUE") returns its
 * value and advances *i past it; returns NULL otherwise. A missing value
 * prints an error and sets *bad. */
const char *cmd_opt(cli_ctx *c, int *i, const char *name, int *bad);
/* Prints "sportello: <what>: <reason>" for a failed domain call, using the
 * field problem when there is one. */
void cmd_report(const char *what, err_code rc, const problem *pb);
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
