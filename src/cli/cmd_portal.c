/* sportello portal: the taxpayer portal's settings per Ente (host name,
 * logo, coattivo portal, interest spread), traffic-fine reports, the
 * intermediaries' delegations, the payment channels and fees, and the legal
 * interest rates of new years. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_common.h"
#include "core/money.h"
#include "domain/portal/portal.h"

static const char USAGE[] =
    "Uso:\n"
    "  sportello portal set --ente ENTE [--host NOME] [--coattivo-url URL] [--spread PUNTI]\n"
    "                       [--logo FILE.png | --no-logo]\n"
    "  sportello portal show --ente ENTE\n"
    "  sportello portal fine --ente ENTE --number N --plate TARGA --taxpayer CF\n"
    "                        --violation-date AAAA-MM-GG [--notification-date AAAA-MM-GG]\n"
    "                        --min EURO --max EURO [--costs EURO] [--no-reduction]\n"
    "  sportello portal delegate --ente ENTE --intermediary CF --client CF [--from D] [--to D]\n"
    "  sportello portal revoke --ente ENTE --intermediary CF --client CF\n"
    "  sportello portal channels --file CANALI.csv\n"
    "  sportello portal rate --year ANNO --rate PERCENTUALE [--decree TESTO]\n"
    "\n"
    "set       portale dell'Ente: nome host su cui risponde (oltre a /enti/ENTE), logo PNG,\n"
    "          indirizzo del portale della riscossione coattiva, maggiorazione degli\n"
    "          interessi di mora sul tasso legale (da 0 a 3 punti, per esempio 1,5)\n"
    "fine      registra un verbale del Codice della strada (atto e fasce di pagamento)\n"
    "delegate  registra la delega di un contribuente a un intermediario (commercialista, CAF)\n"
    "channels  sostituisce l'elenco dei canali di pagamento con il CSV\n"
    "          psp,channel,description,fee_eur\n"
    "rate      imposta il tasso di interesse legale di un anno (per esempio 1,6)\n";

#define MAX_O 16
typedef struct {
  const char *name, *value;
  int flag;
} opt;

/* Reads --name VALUE options (and flags) from argv[2..] into o. */
static int parse(cli_ctx *c, opt *o, size_t n) {
  int bad = 0;
  for (int i = 2; i < c->argc && !bad; i++) {
    int matched = 0;
    for (size_t k = 0; k < n && !matched; k++) {
      if (o[k].flag) {
        if (!strcmp(c->argv[i], o[k].name)) o[k].value = "1", matched = 1;
      } else {
        const char *v = cmd_opt(c, &i, o[k].name, &bad);
        if (v) o[k].value = v, matched = 1;
      }
    }
    if (!matched && !bad) {
      cmd_bad_option(c, i, USAGE);
      return 2;
    }
  }
  return bad ? 2 : 0;
}

static const char *get(opt *o, size_t n, const char *name) {
  for (size_t k = 0; k < n; k++)
    if (!strcmp(o[k].name, name)) return o[k].value;
  return NULL;
}

static int need(const char *v, const char *name) {
  if (v) return 0;
  fprintf(stderr, "sportello: serve %s\n\n%s", name, USAGE);
  return 2;
}

static char *read_file(const char *path, size_t max, size_t *len) {
  FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
  if (!f) return NULL;
  char *buf = malloc(max + 1);
  size_t n = buf ? fread(buf, 1, max + 1, f) : 0;
  if (f != stdin) fclose(f);
  if (!buf || n > max) {
    free(buf);
    return NULL;
  }
  buf[n] = 0;
  *len = n;
  return buf;
}

/* "1,5" points -> 150 basis points */
static int points_bp(const char *s, int *bp) {
  int64_t c;
  if (money_parse(s, &c) != 0 || c < 0 || c > 100000) return -1;
  *bp = (int)c;
  return 0;
}

static int p_set(cli_ctx *c) {
  opt o[] = {{"--ente", 0, 0},   {"--host", 0, 0}, {"--coattivo-url", 0, 0},
             {"--spread", 0, 0}, {"--logo", 0, 0}, {"--no-logo", 0, 1}};
  size_t n = sizeof o / sizeof o[0];
  int rc = parse(c, o, n);
  if (rc || (rc = need(get(o, n, "--ente"), "--ente"))) return rc;
  db *d = cli_open_db();
  if (!d) return 1;
  arena *a = arena_new();
  ente e;
  portal_settings s;
  rc = cmd_find_ente(d, a, get(o, n, "--ente"), &e);
  if (!rc && portal_settings_get(d, a, e.id, &s) != ERR_OK) rc = 1;
  char *logo = NULL;
  size_t logo_len = 0;
  if (!rc) {
    if (get(o, n, "--host")) s.host = (char *)get(o, n, "--host");
    if (get(o, n, "--coattivo-url")) s.coattivo_url = (char *)get(o, n, "--coattivo-url");
    if (get(o, n, "--spread") && points_bp(get(o, n, "--spread"), &s.spread_bp) != 0) {
      fprintf(stderr, "sportello: --spread: punti percentuali, per esempio 1,5\n");
      rc = 2;
    }
    if (get(o, n, "--logo") && !(logo = read_file(get(o, n, "--logo"), PORTAL_LOGO_MAX, &logo_len))) {
      fprintf(stderr, "sportello: il logo non si legge o supera 256 KB: %s\n", get(o, n, "--logo"));
      rc = 1;
    }
  }
  if (!rc) {
    problem pb = {0};
    const void *lp = logo ? logo : get(o, n, "--no-logo") ? "" : NULL;
    err_code ec = portal_settings_set(d, a, &s, lp, logo ? logo_len : 0, &cmd_cli_actor, &pb);
    if (ec != ERR_OK) {
      cmd_report("impostazioni del portale non salvate", ec, &pb);
      rc = 1;
    } else {
      printf("Portale di %s aggiornato.\n", e.name);
    }
  }
  free(logo);
  arena_free(a);
  db_close(d);
  return rc;
}

static int p_show(cli_ctx *c) {
  opt o[] = {{"--ente", 0, 0}};
  int rc = parse(c, o, 1);
  if (rc || (rc = need(o[0].value, "--ente"))) return rc;
  db *d = cli_open_db();
  if (!d) return 1;
  arena *a = arena_new();
  ente e;
  portal_settings s;
  rc = cmd_find_ente(d, a, o[0].value, &e);
  if (!rc && portal_settings_get(d, a, e.id, &s) == ERR_OK) {
    printf("host: %s\ncoattivo_url: %s\nspread: %d,%02d punti\nlogo: %s\nindirizzo: /enti/%s\n",
           s.host ? s.host : "-", s.coattivo_url ? s.coattivo_url : "-", s.spread_bp / 100, s.spread_bp % 100,
           s.has_logo ? "sì" : "no", e.slug);
  } else if (!rc) {
    rc = 1;
  }
  arena_free(a);
  db_close(d);
  return rc;
}

static int euros(const char *s, int64_t *c) { return s && money_parse(s, c) == 0 && *c >= 0 ? 0 : -1; }

static int p_fine(cli_ctx *c) {
  opt o[] = {{"--ente", 0, 0},
             {"--number", 0, 0},
             {"--plate", 0, 0},
             {"--taxpayer", 0, 0},
             {"--violation-date", 0, 0},
             {"--notification-date", 0, 0},
             {"--min", 0, 0},
             {"--max", 0, 0},
             {"--costs", 0, 0},
             {"--no-reduction", 0, 1}};
  size_t n = sizeof o / sizeof o[0];
  int rc = parse(c, o, n);
  if (rc) return rc;
  static const char *const req[] = {"--ente",           "--number", "--plate", "--taxpayer",
                                    "--violation-date", "--min",    "--max"};
  for (size_t i = 0; i < sizeof req / sizeof req[0]; i++)
    if ((rc = need(get(o, n, req[i]), req[i]))) return rc;
  portal_fine f = {0};
  if (euros(get(o, n, "--min"), &f.min_cents) || euros(get(o, n, "--max"), &f.max_cents) ||
      (get(o, n, "--costs") && euros(get(o, n, "--costs"), &f.costs_cents))) {
    fprintf(stderr, "sportello: importi in euro, per esempio 42,00\n");
    return 2;
  }
  db *d = cli_open_db();
  if (!d) return 1;
  arena *a = arena_new();
  ente e;
  rc = cmd_find_ente(d, a, get(o, n, "--ente"), &e);
  if (!rc) {
    f.ente_id = e.id;
    f.report_number = (char *)get(o, n, "--number");
    f.plate = (char *)get(o, n, "--plate");
    f.taxpayer_cf = get(o, n, "--taxpayer");
    f.violation_date = (char *)get(o, n, "--violation-date");
    f.notification_date = (char *)get(o, n, "--notification-date");
    f.reduction_allowed = !get(o, n, "--no-reduction");
    debt_problems pbs = {0};
    err_code ec = portal_fine_create(d, a, &f, &cmd_cli_actor, &pbs);
    if (ec != ERR_OK) {
      cmd_report("verbale non registrato", ec, pbs.n ? &pbs.items[0] : NULL);
      rc = 1;
    } else {
      printf("Verbale %s registrato (atto %lld).\n", f.report_number, (long long)f.act_id);
    }
  }
  arena_free(a);
  db_close(d);
  return rc;
}

static int p_delegate(cli_ctx *c, int revoke) {
  opt o[] = {
      {"--ente", 0, 0}, {"--intermediary", 0, 0}, {"--client", 0, 0}, {"--from", 0, 0}, {"--to", 0, 0}};
  size_t n = revoke ? 3 : 5;
  int rc = parse(c, o, n);
  if (rc || (rc = need(o[0].value, "--ente")) || (rc = need(o[1].value, "--intermediary")) ||
      (rc = need(o[2].value, "--client")))
    return rc;
  db *d = cli_open_db();
  if (!d) return 1;
  arena *a = arena_new();
  ente e;
  rc = cmd_find_ente(d, a, o[0].value, &e);
  if (!rc) {
    problem pb = {0};
    portal_delegation dl = {
        0, e.id, (char *)o[1].value, (char *)o[2].value, (char *)o[3].value, (char *)o[4].value};
    err_code ec = revoke ? portal_delegation_revoke(d, e.id, o[1].value, o[2].value, &cmd_cli_actor)
                         : portal_delegation_add(d, a, &dl, &cmd_cli_actor, &pb);
    if (ec != ERR_OK) {
      cmd_report(revoke ? "delega non revocata" : "delega non registrata", ec, &pb);
      rc = 1;
    } else {
      printf(revoke ? "Delega revocata.\n" : "Delega registrata.\n");
    }
  }
  arena_free(a);
  db_close(d);
  return rc;
}

static int p_delegate_add(cli_ctx *c) { return p_delegate(c, 0); }
static int p_revoke(cli_ctx *c) { return p_delegate(c, 1); }

static int p_channels(cli_ctx *c) {
  opt o[] = {{"--file", 0, 0}};
  int rc = parse(c, o, 1);
  if (rc || (rc = need(o[0].value, "--file"))) return rc;
  size_t len;
  char *text = read_file(o[0].value, 4u << 20, &len);
  if (!text) {
    fprintf(stderr, "sportello: file non leggibile o troppo grande: %s\n", o[0].value);
    return 1;
  }
  db *d = cli_open_db();
  if (!d) {
    free(text);
    return 1;
  }
  arena *a = arena_new();
  problem pb = {0};
  size_t n = 0;
  err_code ec = payment_channels_import(d, a, text, &cmd_cli_actor, &n, &pb);
  if (ec != ERR_OK) {
    cmd_report("canali non importati", ec, &pb);
    rc = 1;
  } else {
    printf("Canali di pagamento importati: %zu.\n", n);
  }
  free(text);
  arena_free(a);
  db_close(d);
  return rc;
}

static int p_rate(cli_ctx *c) {
  opt o[] = {{"--year", 0, 0}, {"--rate", 0, 0}, {"--decree", 0, 0}};
  int rc = parse(c, o, 3);
  if (rc || (rc = need(o[0].value, "--year")) || (rc = need(o[1].value, "--rate"))) return rc;
  int64_t year;
  int bp;
  if (cmd_parse_int(o[0].value, &year) != 0 || points_bp(o[1].value, &bp) != 0) {
    fprintf(stderr, "sportello: --year ANNO --rate PERCENTUALE (per esempio 1,6)\n");
    return 2;
  }
  db *d = cli_open_db();
  if (!d) return 1;
  problem pb = {0};
  err_code ec = portal_rate_set(d, (int)year, bp, o[2].value, &cmd_cli_actor, &pb);
  if (ec != ERR_OK) {
    cmd_report("tasso non salvato", ec, &pb);
    rc = 1;
  } else {
    printf("Tasso legale %lld: %d,%02d%%.\n", (long long)year, bp / 100, bp % 100);
  }
  db_close(d);
  return rc;
}

int cmd_portal(cli_ctx *c) {
  static const cmd_sub subs[] = {
      {"set", p_set},       {"show", p_show},         {"fine", p_fine}, {"delegate", p_delegate_add},
      {"revoke", p_revoke}, {"channels", p_channels}, {"rate", p_rate}};
  return cmd_dispatch(c, "portal", USAGE, subs, sizeof subs / sizeof subs[0]);
}
