/* sportello office add|list: the concessionaire's offices, grouped in regions. */
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/cmd_common.h"
#include "core/arena.h"
#include "domain/ente/ente.h"

static const char USAGE[] =
    "Uso:\n"
    "  sportello office add --region REGIONE --code CODICE --name NOME [--city CITTÀ]\n"
    "  sportello office list\n"
    "\n"
    "add   crea un ufficio nella regione indicata (la regione è creata se non esiste);\n"
    "      CODICE è un codice breve e univoco (es. NORD-01).\n"
    "list  elenca gli uffici con la loro regione.\n";

static int office_add(cli_ctx *c) {
  const char *region_name = NULL;
  office o = {0};
  int bad = 0;
  for (int i = 2; i < c->argc && !bad; i++) {
    const char *v;
    if ((v = cmd_opt(c, &i, "--region", &bad)))
      region_name = v;
    else if ((v = cmd_opt(c, &i, "--code", &bad)))
      o.code = (char *)v;
    else if ((v = cmd_opt(c, &i, "--name", &bad)))
      o.name = (char *)v;
    else if ((v = cmd_opt(c, &i, "--city", &bad)))
      o.city = (char *)v;
    else if (!bad)
      return cmd_bad_option(c, i, USAGE);
  }
  if (bad) return 2;
  if (!region_name || !o.code || !o.name) {
    fprintf(stderr, "sportello: servono --region, --code e --name\n\n%s", USAGE);
    return 2;
  }
  db *d = cli_open_db();
  if (!d) return 1;
  arena *a = arena_new();
  problems pbs = {0};
  region r;
  int created_region = 0;
  err_code rc = region_by_name(d, a, region_name, &r);
  if (rc == ERR_NOT_FOUND) {
    rc = region_create(d, a, region_name, &cmd_cli_actor, &r.id, &pbs);
    created_region = rc == ERR_OK;
    if (rc != ERR_OK) cmd_report_all("regione non creata", rc, &pbs);
  } else if (rc != ERR_OK) {
    cmd_report("regione non leggibile", rc, NULL);
  }
  int64_t id = 0;
  if (rc == ERR_OK) {
    o.region_id = r.id;
    rc = office_create(d, a, &o, &cmd_cli_actor, &id, &pbs);
    if (rc != ERR_OK) cmd_report_all("ufficio non creato", rc, &pbs);
  }
  if (rc == ERR_OK) {
    if (created_region) printf("Regione creata: %s.\n", region_name);
    printf("Ufficio creato: %s (codice %s, id %lld).\n", o.name, o.code, (long long)id);
  }
  arena_free(a);
  db_close(d);
  return rc == ERR_OK ? 0 : 1;
}

static int office_ls(cli_ctx *c) {
  db *d = cli_open_db();
  if (!d) return 1;
  arena *a = arena_new();
  office *v;
  size_t n;
  err_code rc = office_list(d, a, &v, &n);
  if (rc == ERR_OK) {
    printf("%-5s %-16s %-12s %-20s %s\n", "ID", "CODICE", "REGIONE", "CITTÀ", "NOME");
    for (size_t i = 0; i < n; i++)
      printf("%-5lld %-16s %-12s %-20s %s\n", (long long)v[i].id, v[i].code, v[i].region_name,
             v[i].city ? v[i].city : "-", v[i].name);
    if (n == 0) puts("Nessun ufficio.");
  } else {
    cmd_report("elenco degli uffici non disponibile", rc, NULL);
  }
  arena_free(a);
  db_close(d);
  return rc == ERR_OK ? 0 : 1;
}

/* Dispatches office add|list. */
int cmd_office(cli_ctx *c) {
  static const cmd_sub subs[] = {{"add", office_add}, {"list", office_ls}};
  return cmd_dispatch(c, "office", USAGE, subs, sizeof subs / sizeof subs[0]);
}
