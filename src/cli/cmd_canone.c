/* sportello canone import|show|quote: an Ente's canone unico rules (a CSV
 * rule,code,value that replaces the earlier rules as a whole) and a quote
 * with its breakdown, the same one the API and the case page give. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_common.h"
#include "cli/cmd_demo.h"
#include "core/money.h"
#include "domain/canone/canone.h"

static const char USAGE[] =
    "Uso:\n"
    "  sportello canone import --ente ENTE FILE.csv\n"
    "  sportello canone show --ente ENTE\n"
    "  sportello canone quote --ente ENTE --zone CODICE --use CODICE --kind permanent|temporary\n"
    "                         --surface M2 --start AAAA-MM-GG [--end AAAA-MM-GG]\n"
    "  sportello canone process --ente ENTE --case AAAA-NNNNNN\n"
    "  sportello canone variation --ente ENTE --case AAAA-NNNNNN --of AAAA-NNNNNN\n"
    "                         --what surface|nature --zone Z --use U --kind K --surface M2 --start D [--end "
    "D]\n"
    "                         | --what holder --fiscal-code CF [--surname S --name N]\n"
    "  sportello canone decide --ente ENTE --case AAAA-NNNNNN (--approve | --refuse) [--note TESTO]\n"
    "  sportello canone cessation --ente ENTE --case AAAA-NNNNNN --of AAAA-NNNNNN --date AAAA-MM-GG\n"
    "  sportello canone photos --ente ENTE --case AAAA-NNNNNN\n"
    "  sportello canone inspection --ente ENTE --case AAAA-NNNNNN --date AAAA-MM-GG --report TESTO\n"
    "\n"
    "Le regole del canone unico (L. 160/2019 c. 816 e seguenti) sono un CSV con intestazione\n"
    "rule,code,value (vedi README: annual_tariff, daily_tariff, zone, use, minimum_fee,\n"
    "surface_rounding, result_rounding, surface_tier, first_year_prorata,\n"
    "installment_threshold, installments). import sostituisce tutte le regole dell'Ente;\n"
    "una riga sbagliata fa rifiutare il file intero, con il numero di riga e il motivo.\n"
    "process elabora una dichiarazione di occupazione (calcolo, atto e avviso pagoPA, invio\n"
    "al contribuente e all'Ente); ripeterlo non emette un secondo avviso.\n";

typedef struct {
  const char *ente, *file, *zone, *use, *kind, *surface, *start, *end, *cas, *of, *what, *cf, *surname, *name,
      *note, *date, *report, *place;
  int approve, refuse;
} opts;

static int parse(cli_ctx *c, opts *o, int positional) {
  int bad = 0;
  for (int i = 2; i < c->argc && !bad; i++) {
    const char *v;
#define OPT(flag, field)                         \
  if ((v = cmd_opt(c, &i, flag, &bad)) || bad) { \
    o->field = v;                                \
    continue;                                    \
  }
    OPT("--ente", ente)
    OPT("--zone", zone)
    OPT("--use", use) OPT("--kind", kind) OPT("--surface", surface) OPT("--start", start) OPT("--end", end)
        OPT("--case", cas) OPT("--of", of) OPT("--what", what) OPT("--fiscal-code", cf)
            OPT("--surname", surname) OPT("--name", name) OPT("--note", note) OPT("--date", date)
                OPT("--report", report) OPT("--place", place)
#undef OPT
                    if (strcmp(c->argv[i], "--approve") == 0) o->approve = 1;
    else if (strcmp(c->argv[i], "--refuse") == 0) o->refuse = 1;
    else if (positional && !o->file && c->argv[i][0] != '-') o->file = c->argv[i];
    else return cmd_bad_option(c, i, USAGE);
  }
  if (bad) return 2;
  if (!o->ente || (positional && !o->file)) {
    fprintf(stderr, "sportello: argomenti mancanti\n\n%s", USAGE);
    return 2;
  }
  return 0;
}

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "sportello: impossibile leggere %s\n", path);
    return NULL;
  }
  char *buf = malloc(CANONE_MAX_FILE_BYTES + 2);
  size_t n = buf ? fread(buf, 1, CANONE_MAX_FILE_BYTES + 1, f) : 0;
  fclose(f);
  if (!buf) return NULL;
  if (n > CANONE_MAX_FILE_BYTES) {
    fprintf(stderr, "sportello: %s supera 256 KB\n", path);
    free(buf);
    return NULL;
  }
  buf[n] = 0;
  *len = n;
  return buf;
}

/* The case numbered label of the Ente: 0, or 1 after printing why not. */
static int case_of(db *d, arena *a, int64_t ente_id, const char *label, int64_t *id) {
  int year;
  int64_t number;
  case_rec cr;
  if (!label || case_parse_label(label, &year, &number) != 0) {
    fprintf(stderr, "sportello: indica la pratica come AAAA-NNNNNN\n");
    return 1;
  }
  err_code ec = cases_get_by_number(d, a, ente_id, year, number, &cr);
  if (ec != ERR_OK) {
    cmd_report(arena_printf(a, "pratica %s", label), ec, NULL);
    return 1;
  }
  *id = cr.id;
  return 0;
}

/* variation (4), decide (5), cessation (6), photos (7), inspection (8) */
static int change(db *d, arena *a, const ente *e, const opts *o, int which) {
  int64_t case_id = 0, parent = 0;
  if (case_of(d, a, e->id, o->cas, &case_id) ||
      ((which == 4 || which == 6) && case_of(d, a, e->id, o->of, &parent)))
    return 1;
  problems pbs = {0};
  occupation oc;
  err_code ec;
  const char *what = "";
  if (which == 4) {
    occupation_input in = {.ente_id = e->id,
                           .zone = o->zone,
                           .use = o->use,
                           .kind = o->kind,
                           .surface_m2 = o->surface,
                           .start = o->start,
                           .end = o->end,
                           .place = o->place};
    taxpayer tp = {0};
    tp.kind = o->cf && strlen(o->cf) == 11 ? TP_COMPANY : TP_PERSON;
    tp.fiscal_code = (char *)o->cf;
    tp.surname = (char *)o->surname;
    tp.given_name = (char *)o->name;
    if (tp.kind == TP_COMPANY) tp.company_name = (char *)o->surname;
    ec = occupation_variation(d, a, &cmd_cli_actor, e->id, case_id, parent, o->what, &in, &tp, &oc, &pbs);
    what = "variazione registrata";
  } else if (which == 5) {
    if (o->approve == o->refuse) {
      fprintf(stderr, "sportello: indica --approve oppure --refuse\n");
      return 2;
    }
    ec = occupation_variation_decide(d, a, &cmd_cli_actor, e->id, case_id, o->approve, o->note, &oc, &pbs);
    what = o->approve ? "variazione approvata" : "variazione rifiutata";
  } else if (which == 6) {
    ec = occupation_cessation(d, a, &cmd_cli_actor, e->id, case_id, parent, o->date, &oc, &pbs);
    what = "cessazione registrata";
  } else if (which == 7) {
    case_actor ca = {cmd_cli_actor, NULL};
    ec = occupation_ask_photos(d, a, &ca, e->id, case_id, &pbs);
    if (ec == ERR_OK) ec = occupation_get_by_case(d, a, e->id, case_id, &oc);
    what = "fotografie richieste";
  } else {
    ec = occupation_inspection(d, a, &cmd_cli_actor, e->id, case_id, o->date, o->report, &oc, &pbs);
    what = "sopralluogo registrato, esito inviato all'Ente";
  }
  if (ec != ERR_OK) {
    cmd_report_all("operazione non eseguita", ec, &pbs);
    return 1;
  }
  char amt[32];
  money_format_it(oc.amount_cents, amt);
  printf("%s: %s (stato %s", o->cas, what, oc.state);
  if (oc.inspection_due) printf(", sopralluogo entro il %s", oc.inspection_due);
  if (oc.act_id) printf(", avviso per %s euro", amt);
  printf(")\n");
  return 0;
}

static int run(cli_ctx *c, int which) {
  opts o = {0};
  int rc = parse(c, &o, which == 0);
  if (rc) return rc;
  db *d = cli_open_db();
  if (!d) return 1;
  arena *a = arena_new();
  ente e;
  rc = cmd_find_ente(d, a, o.ente, &e);
  problems pbs = {0};
  err_code ec = ERR_OK;
  if (!rc && which == 0) {
    size_t len = 0, n = 0;
    char *text = slurp(o.file, &len);
    if (!text) {
      rc = 1;
    } else {
      ec = canone_import(d, a, e.id, text, len, &cmd_cli_actor, &pbs, &n);
      free(text);
      if (ec != ERR_OK) {
        cmd_report_all("regole non caricate (nessuna modifica)", ec, &pbs);
        rc = 1;
      } else {
        printf("Regole del canone di %s sostituite: %zu righe.\n", e.name, n);
      }
    }
  } else if (!rc && which == 1) {
    canone_row *rows;
    size_t n;
    if ((ec = canone_rows_get(d, a, e.id, &rows, &n)) != ERR_OK) {
      cmd_report("regole non leggibili", ec, NULL);
      rc = 1;
    } else {
      printf("rule,code,value\n");
      for (size_t i = 0; i < n; i++) printf("%s,%s,%s\n", rows[i].rule, rows[i].code, rows[i].value);
    }
  } else if (!rc && which == 3) {
    int year;
    int64_t number;
    case_rec cr;
    occupation oc;
    int again = 0;
    if (!o.cas || case_parse_label(o.cas, &year, &number) != 0) {
      fprintf(stderr, "sportello: indica la pratica con --case AAAA-NNNNNN\n");
      rc = 2;
    } else if ((ec = cases_get_by_number(d, a, e.id, year, number, &cr)) != ERR_OK) {
      cmd_report("pratica non trovata", ec, NULL);
      rc = 1;
    } else if ((ec = occupation_process(d, a, &cmd_cli_actor, e.id, cr.id, &oc, &again, &pbs)) != ERR_OK) {
      cmd_report_all("dichiarazione non elaborata", ec, &pbs);
      rc = 1;
    } else {
      char amt[32];
      money_format_it(oc.amount_cents, amt);
      printf("%s: %s, canone %s euro, atto %lld\n", cr.label,
             again ? "già elaborata (nessun nuovo avviso)" : "avviso emesso", amt, (long long)oc.act_id);
    }
  } else if (!rc && which >= 4) {
    rc = change(d, a, &e, &o, which);
  } else if (!rc) {
    canone_request q;
    canone_quote qt;
    ec = canone_request_parse(a, o.zone, o.use, o.kind, o.surface, o.start, o.end, &q, &pbs);
    if (ec == ERR_OK) ec = canone_quote_for(d, a, e.id, &q, &qt, &pbs);
    if (ec != ERR_OK) {
      cmd_report_all("preventivo non calcolato", ec, &pbs);
      rc = 1;
    } else {
      for (size_t i = 0; i < qt.n_lines; i++) printf("%-60s %s\n", qt.lines[i].label, qt.lines[i].value);
      printf("amount_cents=%lld\n", (long long)qt.amount_cents);
    }
  }
  arena_free(a);
  db_close(d);
  return rc;
}

static int c_import(cli_ctx *c) { return run(c, 0); }
static int c_show(cli_ctx *c) { return run(c, 1); }
static int c_quote(cli_ctx *c) { return run(c, 2); }
static int c_process(cli_ctx *c) { return run(c, 3); }
static int c_variation(cli_ctx *c) { return run(c, 4); }
static int c_decide(cli_ctx *c) { return run(c, 5); }
static int c_cessation(cli_ctx *c) { return run(c, 6); }
static int c_photos(cli_ctx *c) { return run(c, 7); }
static int c_inspection(cli_ctx *c) { return run(c, 8); }

int cmd_canone(cli_ctx *c) {
  static const cmd_sub subs[] = {
      {"import", c_import},       {"show", c_show},           {"quote", c_quote},
      {"process", c_process},     {"variation", c_variation}, {"decide", c_decide},
      {"cessation", c_cessation}, {"photos", c_photos},       {"inspection", c_inspection}};
  return cmd_dispatch(c, "canone", USAGE, subs, sizeof subs / sizeof subs[0]);
}

/* ---- demo data: fictional rules for the demo Enti ---- */

static const char *const DEMO_RULES[] = {
    "rule,code,value\n"
    "annual_tariff,,30.00\n"
    "daily_tariff,,0.60\n"
    "zone,1,1\n"
    "zone,2,0.8\n"
    "use,dehors,0.8\n"
    "use,ponteggio,0.5\n"
    "use,passo_carrabile,0.5\n"
    "use,banco_mercato,0.7\n"
    "minimum_fee,,10.00\n"
    "surface_rounding,,up\n"
    "result_rounding,,cent\n"
    "surface_tier,1000,0.1\n"
    "first_year_prorata,,days\n"
    "installment_threshold,,1500.00\n"
    "installments,,4\n",
    "rule,code,value\n"
    "annual_tariff,,40.00\n"
    "daily_tariff,,0.70\n"
    "zone,centro,1.2\n"
    "zone,periferia,0.9\n"
    "use,dehors,0.75\n"
    "use,ponteggio,0.5\n"
    "use,passo_carrabile,0.6\n"
    "use,banco_mercato,0.7\n"
    "minimum_fee,,15.00\n"
    "surface_rounding,,up\n"
    "result_rounding,,euro\n"
    "installment_threshold,,2000.00\n"
    "installments,,3\n",
};

int demo_canone(db *d, const int64_t *ente_ids, size_t n) {
  arena *a = arena_new();
  int rc = 0;
  for (size_t i = 0; i < n && !rc; i++) {
    const char *text = DEMO_RULES[i % (sizeof DEMO_RULES / sizeof DEMO_RULES[0])];
    problems pbs = {0};
    err_code ec = canone_import(d, a, ente_ids[i], text, strlen(text), &cmd_cli_actor, &pbs, NULL);
    if (ec != ERR_OK) {
      cmd_report_all("regole dimostrative del canone", ec, &pbs);
      rc = 1;
    }
  }
  arena_free(a);
  return rc;
}
