/* sportello user add|list|passwd|enable|disable|entes: back-office accounts.
 * Passwords come from SPORTELLO_PASSWORD or standard input, never argv
 * (argv is visible to every local user through ps). */
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/cmd_common.h"
#include "core/arena.h"
#include "domain/ente/ente.h"

static const char USAGE[] =
    "Uso:\n"
    "  sportello user add --username UTENTE --name \"NOME COGNOME\" --role RUOLO\n"
    "                     [--email EMAIL] [--ente ENTE ...] [--office CODICE] [--region NOME]\n"
    "  sportello user list\n"
    "  sportello user passwd UTENTE\n"
    "  sportello user disable UTENTE\n"
    "  sportello user enable UTENTE\n"
    "  sportello user entes UTENTE --ente ENTE [--ente ENTE ...]\n"
    "\n"
    "La password (almeno 10 caratteri) si legge dalla variabile d'ambiente\n"
    "SPORTELLO_PASSWORD oppure da una riga dello standard input; mai dalla riga di comando.\n"
    "\n"
    "RUOLO è uno tra:\n"
    "  admin                amministratore (vede tutti gli Enti)\n"
    "  supervisor_central   supervisore centrale\n"
    "  supervisor_regional  supervisore regionale (richiede --region)\n"
    "  office_manager       responsabile di ufficio\n"
    "  operator             operatore di sportello\n"
    "  ente_staff           personale dell'Ente (richiede almeno un --ente)\n"
    "--ente si può ripetere: abilita l'utente sugli Enti indicati. ENTE è lo slug\n"
    "dell'Ente (es. borgo-fittizio) o il suo codice fiscale.\n"
    "\n"
    "user entes sostituisce gli Enti su cui l'utente è abilitato con quelli indicati\n"
    "(il personale dell'Ente deve restarne abilitato su almeno uno).\n";

/* Finds an office id by its code; 0 (with a message) when missing. */
static int64_t office_id_by_code(db *d, arena *a, const char *code) {
  office *v;
  size_t n;
  if (office_list(d, a, &v, &n) != ERR_OK) return 0;
  for (size_t i = 0; i < n; i++)
    if (strcmp(v[i].code, code) == 0) return v[i].id;
  fprintf(stderr, "sportello: l'ufficio %s non esiste\n", code);
  return 0;
}

static int user_add(cli_ctx *c) {
  user u = {0};
  const char *role_s = NULL, *office_code = NULL, *region_name = NULL;
  cmd_entes entes = {0};
  int bad = 0;
  for (int i = 2; i < c->argc && !bad; i++) {
    const char *v;
    if (cmd_opt_ente(c, &i, &entes, &bad)) continue;
    if ((v = cmd_opt(c, &i, "--username", &bad)))
      u.username = (char *)v;
    else if ((v = cmd_opt(c, &i, "--name", &bad)))
      u.full_name = (char *)v;
    else if ((v = cmd_opt(c, &i, "--role", &bad)))
      role_s = v;
    else if ((v = cmd_opt(c, &i, "--email", &bad)))
      u.email = (char *)v;
    else if ((v = cmd_opt(c, &i, "--office", &bad)))
      office_code = v;
    else if ((v = cmd_opt(c, &i, "--region", &bad)))
      region_name = v;
    else if (!bad)
      return cmd_bad_option(c, i, USAGE);
  }
  if (bad) return 2;
  if (!u.username || !u.full_name || !role_s) {
    fprintf(stderr, "sportello: servono --username, --name e --role\n\n%s", USAGE);
    return 2;
  }
  u.role = role_parse(role_s);
  if (u.role == ROLE_NONE) {
    fprintf(stderr, "sportello: ruolo sconosciuto: %s\n\n%s", role_s, USAGE);
    return 2;
  }
  db *d = cli_open_db();
  if (!d) return 1;
  arena *a = arena_new();
  int rc = 1;
  int64_t ente_ids[CMD_MAX_ENTI];
  region r = {0};
  if (cmd_ente_ids(d, a, &entes, ente_ids) != 0) goto out;
  if (region_name && region_by_name(d, a, region_name, &r) != ERR_OK) {
    fprintf(stderr, "sportello: la regione %s non esiste\n", region_name);
    goto out;
  }
  u.region_id = r.id;
  if (office_code && !(u.office_id = office_id_by_code(d, a, office_code))) goto out;
  char *pw = cmd_read_password();
  if (!pw) goto out;
  int64_t id = 0;
  problems pbs = {0};
  err_code e = user_create(d, a, &u, pw, ente_ids, entes.n, &cmd_cli_actor, &id, &pbs);
  cmd_free_password(pw);
  if (e != ERR_OK) {
    cmd_report_all("utente non creato", e, &pbs);
    goto out;
  }
  printf("Utente creato: %s (%s, id %lld).\n", u.username, role_label_it(u.role), (long long)id);
  rc = 0;
out:
  arena_free(a);
  db_close(d);
  return rc;
}

static int user_ls(cli_ctx *c) {
  db *d = cli_open_db();
  if (!d) return 1;
  arena *a = arena_new();
  user *v;
  size_t n;
  err_code rc = user_list(d, a, &v, &n);
  if (rc == ERR_OK) {
    printf("%-5s %-20s %-26s %-7s %-30s %s\n", "ID", "UTENTE", "RUOLO", "ATTIVO", "NOME", "ENTI");
    for (size_t i = 0; i < n && rc == ERR_OK; i++) {
      ente *es;
      size_t ne = 0;
      rc = user_entes(d, a, &v[i], &es, &ne);
      printf("%-5lld %-20s %-26s %-7s %-30s ", (long long)v[i].id, v[i].username,
             role_label_it(v[i].role), v[i].active ? "sì" : "no", v[i].full_name);
      if (v[i].role == ROLE_ADMIN) fputs("tutti", stdout);
      for (size_t j = 0; v[i].role != ROLE_ADMIN && j < ne; j++)
        printf("%s%s", j ? "," : "", es[j].slug);
      putchar('\n');
    }
    if (n == 0) puts("Nessun utente.");
  }
  if (rc != ERR_OK) cmd_report("elenco degli utenti non disponibile", rc, NULL);
  arena_free(a);
  db_close(d);
  return rc == ERR_OK ? 0 : 1;
}

/* passwd, enable, disable (argv[1]): all name one existing user. */
static int user_change(cli_ctx *c) {
  const char *what = c->argv[1];
  if (c->argc != 3) {
    fprintf(stderr, "sportello: indica il nome utente: sportello user %s UTENTE\n", what);
    return 2;
  }
  db *d = cli_open_db();
  if (!d) return 1;
  arena *a = arena_new();
  user u;
  err_code rc = user_by_username(d, a, c->argv[2], &u);
  if (rc == ERR_NOT_FOUND)
    fprintf(stderr, "sportello: l'utente %s non esiste\n", c->argv[2]);
  else if (rc != ERR_OK)
    cmd_report("utente non leggibile", rc, NULL);
  if (rc == ERR_OK && strcmp(what, "passwd") == 0) {
    char *pw = cmd_read_password();
    problems pbs = {0};
    rc = pw ? user_set_password(d, a, u.id, pw, &cmd_cli_actor, &pbs) : ERR_BAD_REQUEST;
    cmd_free_password(pw);
    if (rc == ERR_OK)
      printf("Password aggiornata per %s.\n", u.username);
    else if (rc != ERR_BAD_REQUEST)
      cmd_report_all("password non aggiornata", rc, &pbs);
  } else if (rc == ERR_OK) {
    int active = strcmp(what, "enable") == 0;
    rc = user_set_active(d, u.id, active, &cmd_cli_actor);
    if (rc == ERR_OK)
      printf("Utente %s %s.\n", u.username, active ? "riattivato" : "disattivato");
    else
      cmd_report("utente non aggiornato", rc, NULL);
  }
  arena_free(a);
  db_close(d);
  return rc == ERR_OK ? 0 : 1;
}

/* user entes UTENTE --ente ENTE...: replaces the user's Enti with those
 * named (at least one --ente: an empty set is never given by mistake). */
static int user_set_ente(cli_ctx *c) {
  if (c->argc < 3 || c->argv[2][0] == '-') {
    fprintf(stderr, "sportello: indica il nome utente: sportello user entes UTENTE --ente ENTE\n");
    return 2;
  }
  cmd_entes entes = {0};
  int bad = 0;
  for (int i = 3; i < c->argc && !bad; i++)
    if (!cmd_opt_ente(c, &i, &entes, &bad) && !bad) return cmd_bad_option(c, i, USAGE);
  if (bad) return 2;
  if (entes.n == 0) {
    fprintf(stderr, "sportello: indica almeno un Ente con --ente ENTE\n\n%s", USAGE);
    return 2;
  }
  db *d = cli_open_db();
  if (!d) return 1;
  arena *a = arena_new();
  int64_t ente_ids[CMD_MAX_ENTI];
  user u;
  problems pbs = {0};
  err_code rc = user_by_username(d, a, c->argv[2], &u);
  if (rc == ERR_NOT_FOUND)
    fprintf(stderr, "sportello: l'utente %s non esiste\n", c->argv[2]);
  else if (rc != ERR_OK)
    cmd_report("utente non leggibile", rc, NULL);
  if (rc == ERR_OK && cmd_ente_ids(d, a, &entes, ente_ids) != 0) rc = ERR_NOT_FOUND;
  if (rc == ERR_OK) {
    rc = user_set_entes(d, a, u.id, ente_ids, entes.n, &cmd_cli_actor, &pbs);
    if (rc == ERR_OK)
      printf("Enti aggiornati per %s.\n", u.username);
    else
      cmd_report_all("Enti non aggiornati", rc, &pbs);
  }
  arena_free(a);
  db_close(d);
  return rc == ERR_OK ? 0 : 1;
}

/* Dispatches user add|list|passwd|enable|disable|entes. */
int cmd_user(cli_ctx *c) {
  static const cmd_sub subs[] = {{"add", user_add},
                                 {"list", user_ls},
                                 {"passwd", user_change},
                                 {"enable", user_change},
                                 {"disable", user_change},
                                 {"entes", user_set_ente}};
  return cmd_dispatch(c, "user", USAGE, subs, sizeof subs / sizeof subs[0]);
}
