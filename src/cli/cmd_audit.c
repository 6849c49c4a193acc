/* sportello audit verify [--ente ENTE]: recomputes the audit chains (every
 * chain, or the one of an Ente given by slug or codice fiscale), prints one
 * line per chain and says whether the trail is intact (exit 0) or where it
 * breaks (exit 1). */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "cli/cli.h"
#include "cli/cmd_common.h"
#include "core/arena.h"
#include "domain/audit/audit.h"
#include "domain/ente/ente.h"

static const char USAGE[] =
    "Uso:\n"
    "  sportello audit verify [--ente ENTE]\n"
    "\n"
    "verify  ricalcola le catene di hash del registro di audit (una per Ente, una per le\n"
    "        operazioni che non riguardano un Ente, una per le righe scritte prima delle\n"
    "        catene per Ente) e segnala righe modificate, inserite o cancellate.\n"
    "        --ente ENTE  solo la catena dell'Ente (slug o codice fiscale)\n"
    "        Esce con 0 se il registro è integro, con 1 se non lo è (o se il database\n"
    "        non è leggibile).\n";

/* The Ente whose slug or fiscal code is key, from the list es. */
static const ente *find_ente(const ente *es, size_t n, const char *key) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(es[i].slug, key) == 0 || strcasecmp(es[i].fiscal_code, key) == 0) return &es[i];
  return NULL;
}

static const char *chain_name(arena *a, const ente *es, size_t n, int64_t chain) {
  if (chain == AUDIT_CHAIN_EPOCH1) return "catena precedente alle catene per Ente";
  if (chain == 0) return "operazioni senza Ente";
  for (size_t i = 0; i < n; i++)
    if (es[i].id == chain) return arena_printf(a, "Ente %s (%s)", es[i].slug, es[i].name);
  return arena_printf(a, "Ente %lld (non più presente)", (long long)chain);
}

static int audit_check(cli_ctx *c) {
  const char *key = NULL;
  for (int i = 2; i < c->argc; i++) {
    int bad = 0;
    const char *v = cmd_opt(c, &i, "--ente", &bad);
    if (bad) return 2;
    if (!v || key) return cmd_bad_option(c, i, USAGE);
    key = v;
  }
  db *d = cli_open_db();
  if (!d) return 1;
  arena *a = arena_new();
  ente *es = NULL;
  size_t ne = 0;
  audit_report r = {0};
  err_code rc = ente_list(d, a, &es, &ne);
  if (rc == ERR_OK && key) {
    const ente *e = find_ente(es, ne, key);
    if (!e) {
      fprintf(stderr, "sportello: Ente non trovato: %s\n", key);
      arena_free(a);
      db_close(d);
      return 1;
    }
    rc = audit_verify_chain(d, a, e->id, &r);
  } else if (rc == ERR_OK) {
    rc = audit_verify(d, a, &r);
  }
  if (rc == ERR_OK || rc == ERR_CONFLICT) {
    for (size_t i = 0; i < r.n_chains; i++) {
      const audit_chain_report *cr = &r.chains[i];
      const char *name = chain_name(a, es, ne, cr->chain);
      if (cr->problem)
        printf("%s: NON integra: %s (riga %lld; %lld righe verificate)\n", name, cr->problem,
               (long long)cr->first_bad_seq, (long long)cr->rows);
      else
        printf("%s: integra, %lld righe\n", name, (long long)cr->rows);
    }
  }
  if (rc == ERR_OK) {
    printf("Registro di audit integro: %lld righe verificate.\n", (long long)r.rows);
  } else if (rc == ERR_CONFLICT) {
    fprintf(stderr, "Registro di audit NON integro: %s: %s (riga %lld; %lld righe verificate).\n",
            chain_name(a, es, ne, r.bad_chain), r.problem ? r.problem : "catena interrotta",
            (long long)r.first_bad_id, (long long)r.rows);
  } else {
    cmd_report("verifica non eseguita", rc, NULL);
  }
  arena_free(a);
  db_close(d);
  return rc == ERR_OK ? 0 : 1;
}

int cmd_audit(cli_ctx *c) {
  static const cmd_sub subs[] = {{"verify", audit_check}};
  return cmd_dispatch(c, "audit", USAGE, subs, 1);
}
