/* Option parsing and the open-database-and-Ente preamble shared by
 * cmd_counter.c and cmd_agenda.c. */
#ifndef SP_CMD_AGENDA_OPTS_H
#define SP_CMD_AGENDA_OPTS_H
#include "cli/cli.h"
#include "core/arena.h"
#include "domain/ente/ente.h"

/* Reads argv[from..] as "--name VALUE" options listed in names (NULL-
 * terminated) into vals (same order). Returns 0, or 2 after printing the
 * problem and usage. */
int ag_opts(cli_ctx *c, int from, const char *const *names, const char **vals, int *unused,
            const char *usage);
/* Like ag_opts, with boolean flags (flag_names NULL-terminated): their
 * presence sets flag_vals[i] = 1. */
int ag_opts_flags(cli_ctx *c, int from, const char *const *names, const char **vals,
                  const char *const *flag_names, int *flag_vals, const char *usage);
/* "sportello: <msg>" and the usage on stderr; returns 2. */
int ag_usage(const char *msg, const char *usage);

typedef struct {
  db *d;
  arena *a;
  ente e;
} ag_cli;
/* Opens the database and finds the Ente (slug or codice fiscale); 0, or 1
 * after printing why (everything closed). */
int ag_cli_begin(ag_cli *s, const char *ente_ref);
/* Closes what ag_cli_begin opened; returns status. */
int ag_cli_end(ag_cli *s, int status);
/* A whole text file of at most max bytes (NUL-terminated) or NULL after
 * printing why. */
char *ag_read_text_file(arena *a, const char *path, size_t max);

#endif
