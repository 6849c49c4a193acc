/* Debt positions from the command line: sportello revenue add|list,
 * sportello ente pagopa, sportello installments show|set, sportello
 * positions import|export, sportello payments export. Wherever an Ente is
 * named, its slug and its codice fiscale are both accepted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/cmd_common.h"
#include "core/arena.h"
#include "core/money.h"
#include "core/strbuf.h"
#include "domain/debt/debt.h"

enum { MAX_FILE = 256 * 1024 * 1024 };

/* The Ente named by --ente: slug or codice fiscale (cmd_find_ente). */
static int resolve(db *d, arena *a, const char *key, ente *out) { return cmd_find_ente(d, a, key, out); }

/* The whole file (NUL-terminated, malloc'ed) or NULL with a message. */
static char *read_file(const char *path) {
  FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
  if (!f) {
    fprintf(stderr, "sportello: impossibile leggere %s\n", path);
    return NULL;
  }
  strbuf sb;
  sb_init(&sb, MAX_FILE);
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) sb_appendn(&sb, buf, n);
  if (f != stdin) fclose(f);
  if (sb.err) {
    fprintf(stderr, "sportello: %s è troppo grande (al massimo 256 MB)\n", path);
    sb_free(&sb);
    return NULL;
  }
  return sb_take(&sb);
}

static void print_problems(const char *what, err_code rc, const debt_problems *pbs) {
  if (!pbs->n) {
    cmd_report(what, rc, NULL);
    return;
  }
  fprintf(stderr, "sportello: %s:\n", what);
  for (size_t i = 0; i < pbs->n; i++)
    fprintf(stderr, "  %s: %s\n", pbs->items[i].field ? pbs->items[i].field : "-", pbs->items[i].message);
}

/* ---- ente pagopa ---- */

static const char PAGOPA_USAGE[] =
    "Uso: sportello ente pagopa --ente ENTE --segregation NN [--cbill CODICE]\n"
    "                          [--broker CF] [--station ID]\n"
    "\n"
    "Imposta i dati pagoPA dell'Ente (slug o codice fiscale): il codice di\n"
    "segregazione (2 cifre) dei numeri avviso con cifra ausiliaria 3, il codice\n"
    "CBILL, l'intermediario e la stazione (se diversi da [pagopa] nella\n"
    "configurazione). La sequenza dei numeri avviso dell'Ente non cambia.\n";

int cmd_ente_pagopa(cli_ctx *c) {
  if (cli_wants_help(c->argc, c->argv)) return fputs(PAGOPA_USAGE, stdout), 0;
  const char *key = NULL;
  debt_pagopa p = {0};
  int bad = 0;
  for (int i = 2; i < c->argc && !bad; i++) {
    const char *v;
    if ((v = cmd_opt(c, &i, "--ente", &bad)))
      key = v;
    else if ((v = cmd_opt(c, &i, "--segregation", &bad)))
      p.segregation_code = (char *)v;
    else if ((v = cmd_opt(c, &i, "--cbill", &bad)))
      p.cbill = (char *)v;
    else if ((v = cmd_opt(c, &i, "--broker", &bad)))
      p.broker_id = (char *)v;
    else if ((v = cmd_opt(c, &i, "--station", &bad)))
      p.station_id = (char *)v;
    else if (!bad)
      return cmd_bad_option(c, i, PAGOPA_USAGE);
  }
  if (bad) return 2;
  if (!key || !p.segregation_code) {
    fprintf(stderr, "sportello: servono --ente e --segregation\n\n%s", PAGOPA_USAGE);
    return 2;
  }
  db *d = cli_open_db();
  if (!d) return 1;
  arena *a = arena_new();
  ente e;
  int rc = resolve(d, a, key, &e);
  if (!rc) {
    p.ente_id = e.id;
    problem pb = {0};
    err_code ec = debt_pagopa_set(d, &p, &cmd_cli_actor, &pb);
    if (ec != ERR_OK) {
      cmd_report("dati pagoPA non salvati", ec, &pb);
      rc = 1;
    } else {
      printf("Dati pagoPA salvati per %s: segregazione %s%s%s.\n", e.name, p.segregation_code,
             p.cbill ? ", CBILL " : "", p.cbill ? p.cbill : "");
    }
  }
  arena_free(a);
  db_close(d);
  return rc;
}

/* ---- revenue ---- */

static const char REVENUE_USAGE[] =
    "Uso:\n"
    "  sportello revenue add --ente ENTE --code CODICE --name NOME --taxonomy CODICE\n"
    "                        --iban IBAN [--postal-account N --postal-auth TESTO] [--spontaneous]\n"
    "                        [--split CF,NOME,IBAN,TASSONOMIA,TIPO,QUOTA]...\n"
    "                        [--taxonomy-file tassonomia.json]\n"
    "  sportello revenue postal --ente ENTE --iban IBAN [--postal-account N --postal-auth TESTO]\n"
    "  sportello revenue list --ente ENTE\n"
    "\n"
    "add   crea un'entrata dell'Ente (slug o codice fiscale). --taxonomy è il codice\n"
    "      pagoPA \"dati specifici di incasso\" (es. 9/0101100IM/): se ne controlla la\n"
    "      forma e, con --taxonomy-file, che esista nel file della tassonomia.\n"
    "      L'IBAN è controllato con il CIN italiano. --spontaneous: pagabile senza\n"
    "      atto. --split aggiunge un beneficiario (al massimo 4) con TIPO permille,\n"
    "      permille_on_top (maggiorazione sulla quota dell'Ente: TEFA al 5% = 50)\n"
    "      o fixed (centesimi); all'Ente resta il resto, così la somma è esatta.\n"
    "      --postal-account è il conto corrente postale del conto (IBAN) e\n"
    "      --postal-auth l'autorizzazione di Poste Italiane stampata sul bollettino\n"
    "      (es. \"AUT. DB/SSIC/E 12345 DEL 01/01/2026\", al massimo 100 caratteri):\n"
    "      senza autorizzazione gli avvisi escono senza bollettino postale.\n"
    "postal  imposta (o, senza --postal-account, toglie) il conto corrente postale\n"
    "      e l'autorizzazione del conto IBAN dell'Ente, per tutte le sue entrate.\n"
    "list  elenca le entrate dell'Ente.\n";

static int parse_split(arena *a, const char *v, debt_split *s) {
  char *t = arena_strdup(a, v);
  char *f[6];
  for (int i = 0; i < 6; i++) {
    f[i] = t;
    if (!t) return -1;
    char *comma = strchr(t, ',');
    if (comma) *comma = 0;
    t = comma ? comma + 1 : NULL;
    if (i < 5 && !comma) return -1;
  }
  s->beneficiary_cf = f[0];
  s->beneficiary_name = f[1];
  s->iban = f[2];
  s->taxonomy = f[3];
  s->share_kind = f[4];
  return cmd_parse_int(f[5], &s->share);
}

static int revenue_add(cli_ctx *c) {
  arena *a = arena_new();
  debt_revenue r = {0};
  const char *key = NULL, *taxfile = NULL;
  r.splits = ARENA_ARRAY(a, debt_split, 8);
  int bad = 0, rc = 2;
  for (int i = 2; i < c->argc && !bad; i++) {
    const char *v;
    if ((v = cmd_opt(c, &i, "--ente", &bad)))
      key = v;
    else if ((v = cmd_opt(c, &i, "--code", &bad)))
      r.code = (char *)v;
    else if ((v = cmd_opt(c, &i, "--name", &bad)))
      r.name = (char *)v;
    else if ((v = cmd_opt(c, &i, "--taxonomy", &bad)))
      r.taxonomy = (char *)v;
    else if ((v = cmd_opt(c, &i, "--iban", &bad)))
      r.iban = (char *)v;
    else if ((v = cmd_opt(c, &i, "--postal-account", &bad)))
      r.postal_account = (char *)v;
    else if ((v = cmd_opt(c, &i, "--postal-auth", &bad)))
      r.postal_auth = (char *)v;
    else if ((v = cmd_opt(c, &i, "--taxonomy-file", &bad)))
      taxfile = v;
    else if ((v = cmd_opt(c, &i, "--split", &bad))) {
      if (r.n_splits >= 8 || parse_split(a, v, &r.splits[r.n_splits++]) != 0) {
        fprintf(stderr, "sportello: --split vuole CF,NOME,IBAN,TASSONOMIA,TIPO,QUOTA\n");
        bad = 1;
      }
    } else if (strcmp(c->argv[i], "--spontaneous") == 0)
      r.spontaneous = 1;
    else if (!bad) {
      arena_free(a);
      return cmd_bad_option(c, i, REVENUE_USAGE);
    }
  }
  if (!bad && (!key || !r.code || !r.name || !r.taxonomy || !r.iban)) {
    fprintf(stderr, "sportello: servono --ente, --code, --name, --taxonomy e --iban\n\n%s", REVENUE_USAGE);
    bad = 1;
  }
  if (!bad && taxfile) {
    int has = debt_taxonomy_file_has(taxfile, r.taxonomy);
    if (has < 0) fprintf(stderr, "sportello: file della tassonomia non leggibile: %s\n", taxfile);
    if (has == 0) fprintf(stderr, "sportello: il codice %s non è nella tassonomia %s\n", r.taxonomy, taxfile);
    if (has != 1) rc = 1, bad = 1;
  }
  db *d = bad ? NULL : cli_open_db();
  if (d) {
    ente e;
    rc = resolve(d, a, key, &e);
    if (!rc) {
      r.ente_id = e.id;
      debt_problems pbs = {0};
      err_code ec = debt_revenue_add(d, a, &r, &cmd_cli_actor, &pbs);
      if (ec != ERR_OK) {
        print_problems("entrata non creata", ec, &pbs);
        rc = 1;
      } else {
        printf("Entrata creata: %s (%s, id %lld) per %s.\n", r.code, r.name, (long long)r.id, e.name);
      }
    }
    db_close(d);
  } else if (!bad) {
    rc = 1;
  }
  arena_free(a);
  return rc;
}

static int revenue_ls(cli_ctx *c) {
  const char *key = NULL;
  int bad = 0;
  for (int i = 2; i < c->argc && !bad; i++) {
    const char *v;
    if ((v = cmd_opt(c, &i, "--ente", &bad)))
      key = v;
    else if (!bad)
      return cmd_bad_option(c, i, REVENUE_USAGE);
  }
  if (bad || !key) {
    if (!bad) fprintf(stderr, "sportello: serve --ente\n\n%s", REVENUE_USAGE);
    return 2;
  }
  db *d = cli_open_db();
  if (!d) return 1;
  arena *a = arena_new();
  ente e;
  int rc = resolve(d, a, key, &e);
  debt_revenue *v;
  size_t n;
  err_code ec = ERR_OK;
  if (!rc && (ec = debt_revenue_list(d, a, e.id, &v, &n)) == ERR_OK) {
    printf("%-5s %-12s %-13s %-27s %-5s %s\n", "ID", "CODICE", "TASSONOMIA", "IBAN", "SPONT",
           "NOME (RIPARTIZIONI)");
    for (size_t i = 0; i < n; i++) {
      printf("%-5lld %-12s %-13s %-27s %-5s %s", (long long)v[i].id, v[i].code, v[i].taxonomy, v[i].iban,
             v[i].spontaneous ? "sì" : "no", v[i].name);
      for (size_t k = 0; k < v[i].n_splits; k++)
        printf(" [+%s %s %lld]", v[i].splits[k].beneficiary_name, v[i].splits[k].share_kind,
               (long long)v[i].splits[k].share);
      if (v[i].postal_account)
        printf(" {c/c postale %s%s%s}", v[i].postal_account,
               v[i].postal_auth ? ", " : " senza autorizzazione", v[i].postal_auth ? v[i].postal_auth : "");
      putchar('\n');
    }
    if (n == 0) puts("Nessuna entrata.");
  } else if (!rc) {
    cmd_report("elenco delle entrate non disponibile", ec, NULL);
    rc = 1;
  }
  arena_free(a);
  db_close(d);
  return rc;
}

static int revenue_postal(cli_ctx *c) {
  const char *key = NULL, *iban = NULL, *postal = NULL, *auth = NULL;
  int bad = 0;
  for (int i = 2; i < c->argc && !bad; i++) {
    const char *v;
    if ((v = cmd_opt(c, &i, "--ente", &bad)))
      key = v;
    else if ((v = cmd_opt(c, &i, "--iban", &bad)))
      iban = v;
    else if ((v = cmd_opt(c, &i, "--postal-account", &bad)))
      postal = v;
    else if ((v = cmd_opt(c, &i, "--postal-auth", &bad)))
      auth = v;
    else if (!bad)
      return cmd_bad_option(c, i, REVENUE_USAGE);
  }
  if (bad || !key || !iban) {
    if (!bad) fprintf(stderr, "sportello: servono --ente e --iban\n\n%s", REVENUE_USAGE);
    return 2;
  }
  db *d = cli_open_db();
  if (!d) return 1;
  arena *a = arena_new();
  ente e;
  int rc = resolve(d, a, key, &e);
  if (!rc) {
    debt_problems pbs = {0};
    err_code ec = debt_account_postal_set(d, a, e.id, iban, postal, auth, &cmd_cli_actor, &pbs);
    if (ec != ERR_OK) {
      print_problems("conto postale non salvato", ec, &pbs);
      rc = 1;
    } else if (postal) {
      printf("Conto corrente postale %s salvato per l'IBAN %s di %s%s.\n", postal, iban, e.name,
             auth ? "" : " (senza autorizzazione: avvisi senza bollettino)");
    } else {
      printf("Conto corrente postale tolto dall'IBAN %s di %s.\n", iban, e.name);
    }
  }
  arena_free(a);
  db_close(d);
  return rc;
}

int cmd_revenue(cli_ctx *c) {
  static const cmd_sub subs[] = {{"add", revenue_add}, {"postal", revenue_postal}, {"list", revenue_ls}};
  return cmd_dispatch(c, "revenue", REVENUE_USAGE, subs, sizeof subs / sizeof subs[0]);
}

/* ---- installments (brackets) ---- */

static const char INST_USAGE[] =
    "Uso:\n"
    "  sportello installments show --ente ENTE\n"
    "  sportello installments set --ente ENTE (--file SCAGLIONI.csv | --default)\n"
    "\n"
    "Scaglioni della rateizzazione: senza scaglioni propri l'Ente usa quelli della\n"
    "L. 160/2019, art. 1 c. 796. --file li sostituisce con un CSV nello stesso\n"
    "formato di rateizzazione_l160_2019_c796.csv (amount_from_eur,amount_to_eur,\n"
    "min_installments,max_installments[,...]); --default torna a quelli di legge.\n";

static int inst_run(cli_ctx *c, int set) {
  const char *key = NULL, *file = NULL;
  int bad = 0, deflt = 0;
  for (int i = 2; i < c->argc && !bad; i++) {
    const char *v;
    if ((v = cmd_opt(c, &i, "--ente", &bad)))
      key = v;
    else if (set && (v = cmd_opt(c, &i, "--file", &bad)))
      file = v;
    else if (set && strcmp(c->argv[i], "--default") == 0)
      deflt = 1;
    else if (!bad)
      return cmd_bad_option(c, i, INST_USAGE);
  }
  if (bad || !key || (set && !file == !deflt)) {
    if (!bad) fprintf(stderr, "sportello: argomenti mancanti\n\n%s", INST_USAGE);
    return 2;
  }
  db *d = cli_open_db();
  if (!d) return 1;
  arena *a = arena_new();
  ente e;
  int rc = resolve(d, a, key, &e);
  debt_bracket *b = NULL;
  size_t n = 0;
  problem pb = {0};
  err_code ec = ERR_OK;
  if (!rc && set) {
    char *text = file ? read_file(file) : NULL;
    if (file && !text)
      rc = 1;
    else if (text)
      ec = debt_brackets_parse_csv(a, text, &b, &n, &pb);
    free(text);
    if (!rc && ec == ERR_OK) ec = debt_brackets_set(d, e.id, b, n, &cmd_cli_actor, &pb);
    if (!rc && ec != ERR_OK) cmd_report("scaglioni non salvati", ec, &pb), rc = 1;
  }
  int own = 0;
  if (!rc && (ec = debt_brackets_get(d, a, e.id, &b, &n, &own)) == ERR_OK) {
    printf("Scaglioni di %s (%s):\n", e.name, own ? "propri dell'Ente" : "L. 160/2019 c. 796");
    for (size_t i = 0; i < n; i++) {
      char from[32], to[32];
      money_format_it(b[i].from_cents, from);
      money_format_it(b[i].to_cents, to);
      printf("  da %12s a %12s euro: %d-%d rate\n", from, b[i].to_cents ? to : "oltre", b[i].min_installments,
             b[i].max_installments);
    }
  } else if (!rc) {
    cmd_report("scaglioni non leggibili", ec, NULL);
    rc = 1;
  }
  arena_free(a);
  db_close(d);
  return rc;
}

static int inst_show(cli_ctx *c) { return inst_run(c, 0); }
static int inst_set(cli_ctx *c) { return inst_run(c, 1); }

int cmd_installments(cli_ctx *c) {
  static const cmd_sub subs[] = {{"show", inst_show}, {"set", inst_set}};
  return cmd_dispatch(c, "installments", INST_USAGE, subs, sizeof subs / sizeof subs[0]);
}

/* ---- positions, payments ---- */

static const char POS_USAGE[] =
    "Uso:\n"
    "  sportello positions import FILE.csv [--all-or-nothing]\n"
    "  sportello positions export --ente ENTE [--year ANNO]\n"
    "  sportello payments export --ente ENTE [--from AAAA-MM-GG] [--to AAAA-MM-GG]\n"
    "\n"
    "import  crea una posizione per ogni riga del CSV (colonne in README, \"Positions\n"
    "        CSV\"; FILE - legge lo standard input) e stampa per ogni riga (per ogni\n"
    "        numero avviso se ci sono rate) line,status,act_id,nav,amount_cents,\n"
    "        due_date,error. Importa le righe valide e segnala le altre; con\n"
    "        --all-or-nothing non scrive nulla se una riga non è valida.\n"
    "        Uscita 0 se tutte le righe sono importate, 1 altrimenti.\n"
    "export  CSV delle posizioni (una riga per opzione di pagamento corrente).\n"
    "payments export: CSV di pagamenti, rimborsi e compensazioni per data valuta.\n";

static int pos_import(cli_ctx *c) {
  const char *file = NULL;
  int all = 0;
  for (int i = 2; i < c->argc; i++) {
    if (strcmp(c->argv[i], "--all-or-nothing") == 0)
      all = 1;
    else if (!file && (c->argv[i][0] != '-' || strcmp(c->argv[i], "-") == 0))
      file = c->argv[i];
    else
      return cmd_bad_option(c, i, POS_USAGE);
  }
  if (!file) {
    fprintf(stderr, "sportello: indicare il file CSV\n\n%s", POS_USAGE);
    return 2;
  }
  char *text = read_file(file);
  if (!text) return 1;
  db *d = cli_open_db();
  if (!d) {
    free(text);
    return 1;
  }
  arena *a = arena_new();
  size_t ok = 0, bad = 0;
  debt_import_opts o = {all, &cmd_cli_actor};
  err_code ec = debt_import_csv(d, a, text, &o, stdout, &ok, &bad);
  fflush(stdout);
  fprintf(stderr, "Righe importate: %zu; con errori: %zu%s.\n", ok, bad,
          all && bad ? " (nessuna riga scritta: --all-or-nothing)" : "");
  if (ec != ERR_OK && ec != ERR_INVALID) cmd_report("importazione interrotta", ec, NULL);
  arena_free(a);
  db_close(d);
  free(text);
  return ec == ERR_OK ? 0 : 1;
}

static int export_run(cli_ctx *c, int payments) {
  const char *key = NULL, *from = NULL, *to = NULL;
  int64_t year = 0;
  int bad = 0;
  for (int i = 2; i < c->argc && !bad; i++) {
    const char *v;
    if ((v = cmd_opt(c, &i, "--ente", &bad)))
      key = v;
    else if (!payments && (v = cmd_opt(c, &i, "--year", &bad))) {
      if (cmd_parse_int(v, &year) || year < 1990 || year > 2100) {
        fprintf(stderr, "sportello: --year vuole un anno\n");
        return 2;
      }
    } else if (payments && (v = cmd_opt(c, &i, "--from", &bad)))
      from = v;
    else if (payments && (v = cmd_opt(c, &i, "--to", &bad)))
      to = v;
    else if (!bad)
      return cmd_bad_option(c, i, POS_USAGE);
  }
  if (bad || !key) {
    if (!bad) fprintf(stderr, "sportello: serve --ente\n\n%s", POS_USAGE);
    return 2;
  }
  db *d = cli_open_db();
  if (!d) return 1;
  arena *a = arena_new();
  ente e;
  int rc = resolve(d, a, key, &e);
  if (!rc) {
    err_code ec = payments ? debt_export_payments(d, a, e.id, from, to, stdout)
                           : debt_export_positions(d, a, e.id, (int)year, stdout);
    fflush(stdout);
    if (ec != ERR_OK) {
      cmd_report(ec == ERR_INVALID ? "date non valide (AAAA-MM-GG)" : "esportazione non riuscita", ec, NULL);
      rc = 1;
    }
  }
  arena_free(a);
  db_close(d);
  return rc;
}

static int pos_export(cli_ctx *c) { return export_run(c, 0); }
static int pay_export(cli_ctx *c) { return export_run(c, 1); }

int cmd_positions(cli_ctx *c) {
  static const cmd_sub subs[] = {{"import", pos_import}, {"export", pos_export}};
  return cmd_dispatch(c, "positions", POS_USAGE, subs, sizeof subs / sizeof subs[0]);
}

int cmd_payments(cli_ctx *c) {
  static const cmd_sub subs[] = {{"export", pay_export}};
  return cmd_dispatch(c, "payments", POS_USAGE, subs, sizeof subs / sizeof subs[0]);
}
