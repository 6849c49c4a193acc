/* sportello service import|list: the Ente's catalogue of online services
 * from the command line. A service is one JSON document (layout in
 * src/domain/services/services.h, examples in config/services/); import
 * creates it or replaces the one with the same code. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_common.h"
#include "core/money.h"
#include "domain/services/services.h"

static const char USAGE[] =
    "Uso:\n"
    "  sportello service import --ente ENTE FILE.json\n"
    "  sportello service list --ente ENTE\n"
    "\n"
    "ENTE è lo slug o il codice fiscale dell'Ente. Il documento JSON descrive il servizio\n"
    "(codice, nome, categoria di pratica, ufficio, pagamento, bollo, appuntamento, termine\n"
    "in giorni lavorativi, protocollazione) e il suo modulo (sezioni e campi); un documento\n"
    "non valido è rifiutato indicando il percorso dell'elemento sbagliato. Esempi in\n"
    "config/services/.\n";

/* Reads a whole file (at most max bytes); NULL after printing why. */
static char *read_file(const char *path, size_t max, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "sportello: impossibile aprire %s\n", path);
    return NULL;
  }
  char *buf = malloc(max + 1);
  size_t n = buf ? fread(buf, 1, max + 1, f) : 0;
  int err = ferror(f);
  fclose(f);
  if (!buf || err) {
    fprintf(stderr, "sportello: lettura di %s non riuscita\n", path);
    free(buf);
    return NULL;
  }
  if (n > max) {
    fprintf(stderr, "sportello: %s: documento troppo grande (massimo %zu KB)\n", path, max / 1024);
    free(buf);
    return NULL;
  }
  buf[n] = 0;
  *len = n;
  return buf;
}

static int parse(cli_ctx *c, const char **ente_out, const char **file) {
  int bad = 0;
  for (int i = 2; i < c->argc && !bad; i++) {
    const char *v = cmd_opt(c, &i, "--ente", &bad);
    if (v) {
      *ente_out = v;
      continue;
    }
    if (bad) break;
    if (file && !*file && c->argv[i][0] != '-') {
      *file = c->argv[i];
      continue;
    }
    return cmd_bad_option(c, i, USAGE);
  }
  if (bad) return 2;
  if (!*ente_out) {
    fprintf(stderr, "sportello: indica --ente\n");
    return 2;
  }
  if (file && !*file) {
    fprintf(stderr, "sportello: indica il file JSON del servizio\n");
    return 2;
  }
  return 0;
}

static int import_cmd(cli_ctx *c) {
  const char *ente_name = NULL, *file = NULL;
  int rc = parse(c, &ente_name, &file);
  if (rc) return rc;
  size_t len;
  char *json = read_file(file, SVC_MAX_DOC_BYTES, &len);
  if (!json) return 1;
  db *d = cli_open_db();
  if (!d) {
    free(json);
    return 1;
  }
  arena *a = arena_new();
  ente e;
  rc = 1;
  if (cmd_find_ente(d, a, ente_name, &e) == 0) {
    problems pbs = {0};
    int64_t id;
    int created = 0;
    err_code err = services_import(d, a, &cmd_cli_actor, e.id, json, len, &id, &created, &pbs);
    if (err == ERR_OK) {
      service s;
      if (services_get(d, a, e.id, id, &s) == ERR_OK)
        printf("Servizio %s: %s (%s), versione %d.\n", created ? "creato" : "aggiornato", s.code,
               s.name, s.version);
      rc = 0;
    } else {
      fprintf(stderr, "sportello: %s: servizio non importato\n", file);
      for (size_t i = 0; i < pbs.n; i++) fprintf(stderr, "  %s\n", pbs.items[i].message);
      if (!pbs.n) cmd_report("importazione non riuscita", err, NULL);
    }
  }
  free(json);
  arena_free(a);
  db_close(d);
  return rc;
}

static int list_cmd(cli_ctx *c) {
  const char *ente_name = NULL;
  int rc = parse(c, &ente_name, NULL);
  if (rc) return rc;
  db *d = cli_open_db();
  if (!d) return 1;
  arena *a = arena_new();
  ente e;
  rc = 1;
  if (cmd_find_ente(d, a, ente_name, &e) == 0) {
    service *ss;
    size_t n;
    err_code err = services_list(d, a, e.id, 0, &ss, &n);
    for (size_t i = 0; err == ERR_OK && i < n; i++) {
      char amount[32] = "";
      if (ss[i].amount_cents >= 0) money_format_it(ss[i].amount_cents, amount);
      printf("%-24s %-40s categoria %-16s %2d gg lav.  pagamento %s%s%s%s%s%s\n", ss[i].code,
             ss[i].name, ss[i].category_code, ss[i].working_days, ss[i].payment,
             *amount ? " " : "", amount, ss[i].stamp_duty ? "  bollo" : "",
             ss[i].appointment ? "  appuntamento" : "",
             ss[i].protocolled ? "  protocollato" : "");
    }
    if (err == ERR_OK) {
      printf("%zu servizi.\n", n);
      rc = 0;
    } else {
      cmd_report("elenco non disponibile", err, NULL);
    }
  }
  arena_free(a);
  db_close(d);
  return rc;
}

int cmd_service(cli_ctx *c) {
  static const cmd_sub subs[] = {{"import", import_cmd}, {"list", list_cmd}};
  return cmd_dispatch(c, "service", USAGE, subs, sizeof subs / sizeof subs[0]);
}
