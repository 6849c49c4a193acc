/* sportello api-token create|list|revoke: tokens for the Enti's systems to
 * call the JSON API. The secret is printed once and never stored. */
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/cmd_common.h"
#include "core/arena.h"
#include "domain/auth/auth.h"
#include "domain/ente/ente.h"

static const char USAGE[] =
    "Uso:\n"
    "  sportello api-token create --name NOME --ente ENTE [--ente ENTE ...]\n"
    "  sportello api-token list\n"
    "  sportello api-token revoke ID\n"
    "\n"
    "create  crea un token per l'API JSON abilitato sugli Enti indicati (ENTE è lo\n"
    "        slug o il codice fiscale dell'Ente) e lo stampa\n"
    "        una sola volta: conservalo subito, non sarà più visibile.\n"
    "list    elenca i token attivi (senza il segreto).\n"
    "revoke  revoca definitivamente il token con l'id indicato.\n";

static int token_create(cli_ctx *c) {
  const char *name = NULL;
  cmd_entes entes = {0};
  int bad = 0;
  for (int i = 2; i < c->argc && !bad; i++) {
    const char *v;
    if (cmd_opt_ente(c, &i, &entes, &bad)) continue;
    if ((v = cmd_opt(c, &i, "--name", &bad)))
      name = v;
    else if (!bad)
      return cmd_bad_option(c, i, USAGE);
  }
  if (bad) return 2;
  if (!name || entes.n == 0) {
    fprintf(stderr, "sportello: servono --name e almeno un --ente\n\n%s", USAGE);
    return 2;
  }
  db *d = cli_open_db();
  if (!d) return 1;
  arena *a = arena_new();
  int64_t ids[CMD_MAX_ENTI];
  int rc = cmd_ente_ids(d, a, &entes, ids);
  if (rc == 0) {
    char *token = NULL;
    int64_t id = 0;
    problem pb = {0};
    err_code e = api_token_create(d, a, name, ids, entes.n, &cmd_cli_actor, &token, &id, &pb);
    if (e == ERR_OK) {
      printf("Token creato (id %lld). Conservalo ora: non sarà più mostrato.\n%s\n", (long long)id,
             token);
    } else {
      cmd_report("token non creato", e, &pb);
      rc = 1;
    }
  }
  arena_free(a);
  db_close(d);
  return rc;
}

static int token_ls(cli_ctx *c) {
  db *d = cli_open_db();
  if (!d) return 1;
  arena *a = arena_new();
  api_token *v;
  size_t n;
  err_code rc = api_token_list(d, a, &v, &n);
  if (rc == ERR_OK) {
    printf("%-5s %-30s %s\n", "ID", "NOME", "ENTI");
    for (size_t i = 0; i < n; i++) {
      printf("%-5lld %-30s ", (long long)v[i].id, v[i].name);
      for (size_t j = 0; j < v[i].n_ente; j++) {
        ente e;
        int ok = ente_get(d, a, v[i].ente_ids[j], &e) == ERR_OK;
        printf("%s%s", j ? "," : "", ok ? e.slug : "?");
      }
      putchar('\n');
    }
    if (n == 0) puts("Nessun token attivo.");
  } else {
    cmd_report("elenco dei token non disponibile", rc, NULL);
  }
  arena_free(a);
  db_close(d);
  return rc == ERR_OK ? 0 : 1;
}

static int token_revoke(cli_ctx *c) {
  int64_t id;
  if (c->argc != 3 || cmd_parse_int(c->argv[2], &id) != 0) {
    fprintf(stderr, "sportello: indica l'id del token: sportello api-token revoke ID\n");
    return 2;
  }
  db *d = cli_open_db();
  if (!d) return 1;
  err_code rc = api_token_revoke(d, id, &cmd_cli_actor);
  db_close(d);
  if (rc == ERR_NOT_FOUND)
    fprintf(stderr, "sportello: nessun token attivo con id %lld\n", (long long)id);
  else if (rc != ERR_OK)
    cmd_report("token non revocato", rc, NULL);
  else
    printf("Token %lld revocato.\n", (long long)id);
  return rc == ERR_OK ? 0 : 1;
}

/* Dispatches api-token create|list|revoke. */
int cmd_api_token(cli_ctx *c) {
  static const cmd_sub subs[] = {
      {"create", token_create}, {"list", token_ls}, {"revoke", token_revoke}};
  return cmd_dispatch(c, "api-token", USAGE, subs, sizeof subs / sizeof subs[0]);
}
