/* sportello: one binary, subcommands like git. Common flags --config FILE
 * and --db URL may appear anywhere; configuration is defaults < file <
 * SPORTELLO_<SECTION>_<KEY> environment < flags. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "cli/cli.h"
#include "core/config.h"
#include "core/log.h"

static const cli_cmd commands[] = {
    {"serve", cmd_serve, "avvia il server HTTP (portale, back office, API) e i lavori in background"},
    {"worker", cmd_worker, "esegue solo i lavori in background"},
    {"migrate", cmd_migrate, "applica le migrazioni del database in sospeso"},
    {"demo-data", cmd_demo_data, "crea i dati dimostrativi (Enti, uffici, utenti, contribuenti)"},
    {"config", cmd_config, "mostra la configurazione effettiva (senza segreti)"},
    {"ente", cmd_ente, "gestisce gli Enti: add, list, pagopa"},
    {"office", cmd_office, "gestisce gli uffici: add, list"},
    {"user", cmd_user, "gestisce gli utenti: add, list, passwd, enable, disable, entes"},
    {"api-token", cmd_api_token, "gestisce i token dell'API JSON: create, list, revoke"},
    {"audit", cmd_audit, "verifica il registro di audit: verify [--ente ENTE]"},
    {"jobs", cmd_jobs, "lavori in background: list, retry, cancel"},
    {"counter", cmd_counter, "sportelli, orari, chiusure e verifica delle ore minime: add, hours, close, list, check, minimums"},
    {"agenda", cmd_agenda, "agenda degli appuntamenti: topic, open, slots, list"},
    {"protocol", cmd_protocol, "registro di protocollo: add, annul, show, list, register"},
    {"revenue", cmd_revenue, "gestisce le entrate dell'Ente (IMU, TARI...): add, list"},
    {"installments", cmd_installments, "scaglioni della rateizzazione per Ente: show, set"},
    {"positions", cmd_positions, "posizioni debitorie: import, export (CSV)"},
    {"fdr", cmd_fdr, "flussi di rendicontazione pagoPA: import (riconciliazione)"},
    {"receipts", cmd_receipts, "ricevute pagoPA: list, review, resolve, refunded"},
    {"sanp", cmd_sanp, "impostazioni pagoPA delle entrate: revenue (servizio, bollo)"},
    {"portal", cmd_portal, "portale dei contribuenti: set, show, fine, delegate, revoke, channels, rate"},
    {"act", cmd_act, "operazioni su una posizione: relieve, plan, pay, refund, compensate, cancel"},
    {"notices", cmd_notices, "avvisi di pagamento in PDF: generate (campagne massive, riprendibili)"},
    {"payments", cmd_payments, "pagamenti, rimborsi e compensazioni: export (CSV)"},
    {"cases", cmd_cases, "pratiche: list, show, add, category, rule, serve"},
    {"service", cmd_service, "servizi online e moduli: import, list"},
    {"mail", cmd_mail, "posta: caselle, acquisizione, quarantena, posta in uscita"},
    {"canone", cmd_canone, "canone unico: import delle regole dell'Ente, show, quote (preventivo)"},
};

static void usage(FILE *out) {
  fputs("Uso: sportello [--config FILE] [--db URL] COMANDO [OPZIONI]\n\nComandi:\n", out);
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
  fputs("\nOgni comando accetta --help. Ogni chiave di configurazione si può impostare anche\n"
        "con la variabile d'ambiente SPORTELLO_<SEZIONE>_<CHIAVE> (es. SPORTELLO_DATABASE_URL).\n",
        out);
}

int cli_wants_help(int argc, char **argv) {
  for (int i = 1; i < argc; i++)
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) return 1;
  return 0;
}

db *cli_open_db(void) {
  char err[256];
  const char *url = config_str("database", "url");
  db *d = db_open(url, err, sizeof err);
  if (!d) {
    char shown[512];
    config_redact_url(url, shown, sizeof shown);
    fprintf(stderr, "sportello: impossibile aprire il database %s: %s\n", shown, err);
  }
  return d;
}

static log_level parse_level(const char *s) {
  if (strcmp(s, "debug") == 0) return LOG_DEBUG;
  if (strcmp(s, "warn") == 0) return LOG_WARN;
  if (strcmp(s, "error") == 0) return LOG_ERROR;
  return LOG_INFO;
}

int main(int argc, char **argv) {
  if (sodium_init() < 0) {
    fputs("sportello: libsodium non inizializzabile\n", stderr);
    return 1;
  }
  const char *config_path = NULL, *db_url = NULL;
  char **rest = calloc((size_t)argc + 1, sizeof *rest);
  int nrest = 0;
  for (int i = 1; i < argc; i++) {
    if ((strcmp(argv[i], "--config") == 0 || strcmp(argv[i], "--db") == 0) && i + 1 >= argc) {
      fprintf(stderr, "sportello: %s richiede un valore\n", argv[i]);
      free(rest);
      return 2;
    }
    if (strcmp(argv[i], "--config") == 0) config_path = argv[++i];
    else if (strcmp(argv[i], "--db") == 0) db_url = argv[++i];
    else rest[nrest++] = argv[i];
  }
  if (nrest == 0 || strcmp(rest[0], "--help") == 0 || strcmp(rest[0], "-h") == 0 ||
      strcmp(rest[0], "help") == 0) {
    usage(nrest ? stdout : stderr);
    free(rest);
    return nrest ? 0 : 2;
  }
  char err[512];
  if (config_load(config_path, err, sizeof err) != 0 ||
      (db_url && config_set("database", "url", db_url, err, sizeof err) != 0)) {
    fprintf(stderr, "sportello: configurazione non valida: %s\n", err);
    free(rest);
    return 2;
  }
  log_set_level(parse_level(config_str("log", "level")));
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
    if (strcmp(rest[0], commands[i].name) == 0) {
      cli_ctx c = {nrest, rest};
      int rc = commands[i].fn(&c);
      free(rest);
      return rc;
    }
  }
  fprintf(stderr, "sportello: comando sconosciuto: %s\n\n", rest[0]);
  usage(stderr);
  free(rest);
  return 2;
}
