/* See cmd_common.h. */
#include "cli/cmd_common.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <sodium.h>

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

void cmd_report(const char *what, err_code rc, const problem *pb) {
  if ((rc == ERR_INVALID || rc == ERR_CONFLICT) && pb && pb->message) {
    if (pb->field)
      fprintf(stderr, "sportello: %s: %s (campo: %s)\n", what, pb->message, pb->field);
    else
      fprintf(stderr, "sportello: %s: %s\n", what, pb->message);
  } else {
    fprintf(stderr, "sportello: %s: %s\n", what, err_message_it(rc));
  }
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
