/* sportello ente add|list: the Enti (Comuni) the concessionaire collects for. */
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/cmd_common.h"
#include "core/arena.h"
#include "domain/ente/ente.h"

static const char USAGE[] =
    "Uso:\n"
    "  sportello ente add --slug SLUG --name NOME --fiscal-code CF [--population N]\n"
    "                     [--segregation-code NN] [--mail-istanze EMAIL] [--mail-pec EMAIL]\n"
    "                     [--mail-info EMAIL] [--phone TELEFONO] [--patron MM-GG]\n"
    "  sportello ente list\n"
    "  sportello ente pagopa --ente ENTE --segregation NN [--cbill CODICE]\n"
    "                        [--broker CF] [--station ID]\n"
    "\n"
    "add   crea un Ente. SLUG è l'identificativo breve usato negli indirizzi web\n"
    "      (2-40 caratteri tra minuscole, cifre e trattini); CF è il codice fiscale\n"
    "      numerico dell'Ente (11 cifre, identificativo creditore pagoPA);\n"
    "      --segregation-code è il codice di segregazione pagoPA (2 cifre);\n"
    "      --patron è il giorno del santo patrono (es. 06-24), festivo nel calendario.\n"
    "list  elenca gli Enti.\n"
    "pagopa  imposta i dati pagoPA dell'Ente (slug o codice fiscale): codice di\n"
    "      segregazione (2 cifre), CBILL e, se diversi dalla configurazione,\n"
    "      --broker CF e --station ID. La sequenza dei numeri avviso resta.\n";

static int ente_add(cli_ctx *c) {
  ente e = {0};
  int bad = 0;
  for (int i = 2; i < c->argc && !bad; i++) {
    const char *v;
    if ((v = cmd_opt(c, &i, "--slug", &bad)))
      e.slug = (char *)v;
    else if ((v = cmd_opt(c, &i, "--name", &bad)))
      e.name = (char *)v;
    else if ((v = cmd_opt(c, &i, "--fiscal-code", &bad)))
      e.fiscal_code = (char *)v;
    else if ((v = cmd_opt(c, &i, "--population", &bad))) {
      if (cmd_parse_int(v, &e.population) != 0) {
        fprintf(stderr, "sportello: --population deve essere un numero intero non negativo\n");
        return 2;
      }
    } else if ((v = cmd_opt(c, &i, "--segregation-code", &bad)))
      e.segregation_code = (char *)v;
    else if ((v = cmd_opt(c, &i, "--mail-istanze", &bad)))
      e.mail_istanze = (char *)v;
    else if ((v = cmd_opt(c, &i, "--mail-pec", &bad)))
      e.mail_pec = (char *)v;
    else if ((v = cmd_opt(c, &i, "--mail-info", &bad)))
      e.mail_info = (char *)v;
    else if ((v = cmd_opt(c, &i, "--phone", &bad)))
      e.support_phone = (char *)v;
    else if ((v = cmd_opt(c, &i, "--patron", &bad)))
      e.patron_day = (char *)v;
    else if (!bad)
      return cmd_bad_option(c, i, USAGE);
  }
  if (bad) return 2;
  if (!e.slug || !e.name || !e.fiscal_code) {
    fprintf(stderr, "sportello: servono --slug, --name e --fiscal-code\n\n%s", USAGE);
    return 2;
  }
  db *d = cli_open_db();
  if (!d) return 1;
  int64_t id = 0;
  arena *a = arena_new();
  problems pbs = {0};
  err_code rc = ente_create(d, a, &e, &cmd_cli_actor, &id, &pbs);
  db_close(d);
  if (rc != ERR_OK) cmd_report_all("Ente non creato", rc, &pbs);
  arena_free(a);
  if (rc != ERR_OK) return 1;
  printf("Ente creato: %s (slug %s, id %lld).\n", e.name, e.slug, (long long)id);
  return 0;
}

static int ente_ls(cli_ctx *c) {
  db *d = cli_open_db();
  if (!d) return 1;
  arena *a = arena_new();
  ente *v;
  size_t n;
  err_code rc = ente_list(d, a, &v, &n);
  if (rc == ERR_OK) {
    printf("%-5s %-24s %-11s %-4s %10s  %s\n", "ID", "SLUG", "CF", "SEGR", "ABITANTI", "NOME");
    for (size_t i = 0; i < n; i++)
      printf("%-5lld %-24s %-11s %-4s %10lld  %s\n", (long long)v[i].id, v[i].slug,
             v[i].fiscal_code, v[i].segregation_code ? v[i].segregation_code : "-",
             (long long)v[i].population, v[i].name);
    if (n == 0) puts("Nessun Ente.");
  } else {
    cmd_report("elenco degli Enti non disponibile", rc, NULL);
  }
  arena_free(a);
  db_close(d);
  return rc == ERR_OK ? 0 : 1;
}

/* Dispatches ente add|list. */
int cmd_ente(cli_ctx *c) {
  static const cmd_sub subs[] = {{"add", ente_add}, {"list", ente_ls}, {"pagopa", cmd_ente_pagopa}};
  return cmd_dispatch(c, "ente", USAGE, subs, sizeof subs / sizeof subs[0]);
}
