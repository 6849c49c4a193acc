/* See cmd_common.h. */
#include "cli/cmd_common.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <sodium.h>
#include "domain/ente/ente.h"

const actor cmd_cli_actor = {"cli", 0};

const char *cmd_opt(cli_ctx *c, int *i, const char *name, int *bad) {
  const char *a = c->argv[*i];
  size_t n = strlen(name);
  if (strncmp(a, name, n) != 0) return NULL;
  if (a[n] == '=') return a + n + 1;
  if (a[n] != 0) return NULL;
  if (*i + 1 >= c->argc) {
    fprintf(stderr, "sportello: l'opzione %s richiede un valore\n", name);
    *bad = 1;
    return NULL;
  }
  *i += 1;
  return c->argv[*i];
}

int cmd_bad_option(cli_ctx *c, int i, const char *usage) {
  fprintf(stderr, "sportello: opzione sconosciuta: %s\n\n%s", c->argv[i], usage);
  return 2;
}

int cmd_opt_ente(cli_ctx *c, int *i, cmd_entes *e, int *bad) {
  const char *v = cmd_opt(c, i, "--ente", bad);
  if (!v) return 0;
  if (e->n == CMD_MAX_ENTI) {
    fputs("sportello: troppi --ente\n", stderr);
    *bad = 1;
  } else {
    e->names[e->n++] = v;
  }
  return 1;
}

/* Any failure to read an Ente stops the command: it cannot go on. */
int cmd_ente_ids(db *d, arena *a, const cmd_entes *e, int64_t *ids) {
  for (size_t i = 0; i < e->n; i++) {
    ente x;
    if (cmd_find_ente(d, a, e->names[i], &x) != 0) return 1;
    ids[i] = x.id;
  }
  return 0;
}

int cmd_dispatch(cli_ctx *c, const char *cmd, const char *usage, const cmd_sub *subs, size_t n) {
  if (c->argc < 2 || cli_wants_help(c->argc, c->argv)) {
    fputs(usage, c->argc < 2 ? stderr : stdout);
    return c->argc < 2 ? 2 : 0;
  }
  for (size_t i = 0; i < n; i++)
    if (strcmp(c->argv[1], subs[i].name) == 0) return subs[i].fn(c);
  fprintf(stderr, "sportello: sottocomando sconosciuto: %s %s\n\n%s", cmd, c->argv[1], usage);
  return 2;
}

void cmd_report(const char *what, err_code rc, const problem *pb) {
  if (err_is_form_problem(rc) && pb && pb->message) {
    if (pb->field)
      fprintf(stderr, "sportello: %s: %s (campo: %s)\n", what, pb->message, pb->field);
    else
      fprintf(stderr, "sportello: %s: %s\n", what, pb->message);
  } else {
    fprintf(stderr, "sportello: %s: %s\n", what, err_message_it(rc));
  }
}

void cmd_report_all(const char *what, err_code rc, const problems *pbs) {
  if (!pbs || pbs->n == 0 || !err_is_form_problem(rc)) {
    cmd_report(what, rc, NULL);
    return;
  }
  for (size_t i = 0; i < pbs->n; i++) cmd_report(what, rc, &pbs->items[i]);
}

int cmd_parse_int(const char *s, int64_t *out) {
  if (!s || !*s) return -1;
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (errno || *end || v < 0) return -1;
  *out = v;
  return 0;
}

/* One line from stdin without the newline; echo off on a terminal. */
static char *read_line(const char *prompt) {
  int tty = isatty(STDIN_FILENO);
  struct termios old, quiet;
  if (tty) {
    fputs(prompt, stderr);
    fflush(stderr);
    if (tcgetattr(STDIN_FILENO, &old) == 0) {
      quiet = old;
      quiet.c_lflag &= ~(tcflag_t)ECHO;
      tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    } else {
      tty = 0;
    }
  }
  char buf[1100];
  char *got = fgets(buf, sizeof buf, stdin);
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    fputc('\n', stderr);
  }
  if (!got) return NULL;
  size_t n = strcspn(buf, "\r\n");
  buf[n] = 0;
  char *pw = strdup(buf);
  sodium_memzero(buf, sizeof buf);
  return pw;
}

char *cmd_read_password(void) {
  const char *env = getenv("SPORTELLO_PASSWORD");
  if (env && *env) return strdup(env);
  char *pw = read_line("Password: ");
  if (!pw) {
    fputs("sportello: password non ricevuta (usa SPORTELLO_PASSWORD o lo standard input)\n",
          stderr);
    return NULL;
  }
  if (isatty(STDIN_FILENO)) {
    char *again = read_line("Ripeti la password: ");
    int same = again && strcmp(pw, again) == 0;
    cmd_free_password(again);
    if (!same) {
      fputs("sportello: le due password non coincidono\n", stderr);
      cmd_free_password(pw);
      return NULL;
    }
  }
  return pw;
}

void cmd_free_password(char *pw) {
  if (!pw) return;
  sodium_memzero(pw, strlen(pw));
  free(pw);
}

int cmd_find_ente(db *d, arena *a, const char *slug_or_cf, ente *out) {
  err_code rc = ente_resolve(d, a, slug_or_cf, out);
  if (rc == ERR_NOT_FOUND) {
    fprintf(stderr, "sportello: ente inesistente: %s (indica lo slug o il codice fiscale)\n",
            slug_or_cf);
    return 1;
  }
  if (rc != ERR_OK) {
    cmd_report("enti non leggibili", rc, NULL);
    return 1;
  }
  return 0;
}
