/* pagoPA receipts and reconciliation from the command line:
 * sportello fdr import, sportello receipts list|review|resolve|refunded,
 * sportello sanp revenue. Wherever an Ente is named, its slug and its
 * codice fiscale are both accepted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/cmd_common.h"
#include "core/arena.h"
#include "core/money.h"
#include "domain/debt/debt_sanp.h"
#include "domain/pagopa/receipt.h"

static int resolve_ente(db *d, arena *a, const char *key, ente *out) {
  err_code rc = ente_resolve(d, a, key, out);
  if (rc == ERR_OK) return 0;
  if (rc == ERR_NOT_FOUND)
    fprintf(stderr, "sportello: l'Ente %s non esiste (indicare lo slug o il codice fiscale)\n", key);
  else
    cmd_report("Ente non leggibile", rc, NULL);
  return 1;
}

static const char *euro(int64_t cents, char buf[32]) {
  money_format_it(cents, buf);
  return buf;
}

/* ---- fdr import ---- */

static const char FDR_USAGE[] =
    "Uso: sportello fdr import FILE... [--ente ENTE]\n"
    "\n"
    "Importa flussi di rendicontazione pagoPA (FlussoRiversamento XML, versioni\n"
    "1.0.4 e 1.0.5). L'Ente è quello con il codice fiscale del ricevente del flusso;\n"
    "con --ente (slug o codice fiscale) il flusso deve essere indirizzato a lui.\n"
    "Ogni voce è abbinata alla ricevuta con lo stesso IUV, IUR (receiptId) e indice\n"
    "del trasferimento; il riepilogo elenca le voci abbinate, quelle senza ricevuta,\n"
    "quelle con importo diverso e le ricevute dello stesso PSP e della stessa data\n"
    "di regolamento assenti dal flusso. Una revisione dello stesso flusso (stesso\n"
    "identificativo e PSP, dataOraFlusso successiva) sostituisce la precedente.\n"
    "Ogni file è importato in una transazione: se non è valido non si scrive nulla.\n";

static void print_problems(const char *title, const fdr_problem *p, size_t n, int64_t total, int amounts) {
  char b1[32], b2[32];
  printf("  %-22s %lld\n", title, (long long)total);
  for (size_t i = 0; i < n; i++) {
    if (amounts == 2)
      printf("    IUV %s  IUR %s  trasferimento %d: flusso %s, ricevuta %s\n", p[i].iuv, p[i].iur,
             p[i].transfer_index, euro(p[i].flow_cents, b1), euro(p[i].receipt_cents, b2));
    else
      printf("    IUV %s  IUR %s  trasferimento %d: %s\n", p[i].iuv, p[i].iur, p[i].transfer_index,
             euro(amounts ? p[i].flow_cents : p[i].receipt_cents, b1));
  }
  if ((int64_t)n < total) printf("    ... e altre %lld\n", (long long)(total - (int64_t)n));
}

static int fdr_import(cli_ctx *c) {
  const char *key = NULL;
  const char *files[256];
  int nf = 0, bad = 0;
  for (int i = 2; i < c->argc && !bad; i++) {
    const char *v;
    if ((v = cmd_opt(c, &i, "--ente", &bad)))
      key = v;
    else if (!bad && c->argv[i][0] == '-' && c->argv[i][1])
      return cmd_bad_option(c, i, FDR_USAGE);
    else if (!bad && nf < 256)
      files[nf++] = c->argv[i];
  }
  if (bad) return 2;
  if (!nf) {
    fprintf(stderr, "sportello: indicare almeno un file\n\n%s", FDR_USAGE);
    return 2;
  }
  db *d = cli_open_db();
  if (!d) return 1;
  arena *a = arena_new();
  ente e = {0};
  int rc = key ? resolve_ente(d, a, key, &e) : 0;
  for (int f = 0; f < nf && !rc; f++) {
    fdr_import_opts o = {e.id, 20, &cmd_cli_actor};
    fdr_import_result r;
    err_code ec = fdr_import_file(d, a, files[f], &o, &r);
    char b[32];
    if (ec != ERR_OK) {
      const char *why = ec == ERR_FDR_STALE     ? "flusso già importato (stessa revisione o più recente)"
                        : ec == ERR_FORBIDDEN   ? "il flusso è indirizzato a un altro Ente"
                        : ec == ERR_NOT_FOUND   ? "file inesistente o Ente ricevente sconosciuto"
                        : ec == ERR_TOO_LARGE   ? "file troppo grande"
                        : ec == ERR_INVALID     ? "il flusso non rispetta lo schema o i suoi totali"
                        : ec == ERR_BAD_REQUEST ? "non è un XML valido"
                                                : err_message_it(ec);
      fprintf(stderr, "sportello: %s: %s (%s)\n", files[f], why, r.error);
      rc = 1;
      break;
    }
    printf("%s: flusso %s del PSP %s importato%s\n", files[f], r.flow_id, r.psp_id,
           r.replaced_pk ? " (revisione: sostituisce quello importato prima)" : "");
    printf("  %-22s %lld, totale %s\n", "voci", (long long)r.entries, euro(r.total_cents, b));
    printf("  %-22s %lld\n", "abbinate", (long long)r.matched);
    print_problems("ricevuta mancante", r.missing, r.n_missing, r.receipt_missing, 1);
    print_problems("importo diverso", r.mismatch, r.n_mismatch, r.amount_mismatch, 2);
    print_problems("mancanti nel flusso", r.not_in_flow, r.n_not_in_flow, r.missing_in_flow, 0);
  }
  arena_free(a);
  db_close(d);
  return rc;
}

int cmd_fdr(cli_ctx *c) {
  static const cmd_sub subs[] = {{"import", fdr_import}};
  return cmd_dispatch(c, "fdr", FDR_USAGE, subs, sizeof subs / sizeof subs[0]);
}

/* ---- receipts ---- */

static const char RECEIPTS_USAGE[] =
    "Uso:\n"
    "  sportello receipts list --ente ENTE [--since N] [--limit N]\n"
    "  sportello receipts review --ente ENTE\n"
    "  sportello receipts resolve --ente ENTE --id N --notice NAV|IUV [--note TESTO]\n"
    "  sportello receipts refunded --ente ENTE --id N --note TESTO\n"
    "\n"
    "list      le ricevute pagoPA dell'Ente in ordine di arrivo (dopo la N-esima)\n"
    "review    le ricevute che non si sono potute abbinare a un avviso\n"
    "resolve   abbina una ricevuta in verifica all'avviso indicato e la contabilizza\n"
    "refunded  chiude una ricevuta in verifica come rimborsata al pagatore\n";

typedef struct {
  const char *ente, *notice, *note;
  int64_t id, since, limit;
} rcpt_opts;

static int num(const char *v, int64_t *out) {
  if (cmd_parse_int(v, out) == 0) return 0;
  fprintf(stderr, "sportello: numero non valido: %s\n", v);
  return 1;
}

static int parse_receipt_opts(cli_ctx *c, rcpt_opts *o) {
  int bad = 0;
  for (int i = 2; i < c->argc && !bad; i++) {
    const char *v;
    if ((v = cmd_opt(c, &i, "--ente", &bad)))
      o->ente = v;
    else if ((v = cmd_opt(c, &i, "--notice", &bad)))
      o->notice = v;
    else if ((v = cmd_opt(c, &i, "--note", &bad)))
      o->note = v;
    else if ((v = cmd_opt(c, &i, "--id", &bad)))
      bad = num(v, &o->id);
    else if ((v = cmd_opt(c, &i, "--since", &bad)))
      bad = num(v, &o->since);
    else if ((v = cmd_opt(c, &i, "--limit", &bad)))
      bad = num(v, &o->limit);
    else if (!bad)
      return cmd_bad_option(c, i, RECEIPTS_USAGE);
  }
  if (bad) return 2;
  if (!o->ente) {
    fprintf(stderr, "sportello: serve --ente\n\n%s", RECEIPTS_USAGE);
    return 2;
  }
  return 0;
}

static void print_receipt(const pagopa_receipt *r) {
  char b[32];
  printf("%lld\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", (long long)r->id, r->receipt_id, r->notice_number,
         euro(r->amount_cents, b), r->payment_date_time ? r->payment_date_time : "-", r->psp_id, r->state,
         r->review_reason ? r->review_reason : (r->reconciled_at ? "riconciliata" : "-"));
}

typedef enum { R_LIST, R_REVIEW, R_RESOLVE, R_REFUNDED } rcpt_cmd;

static int receipts_run(cli_ctx *c, rcpt_cmd what) {
  rcpt_opts o = {0};
  int rc = parse_receipt_opts(c, &o);
  if (rc) return rc;
  if ((what == R_RESOLVE && (!o.id || !o.notice)) || (what == R_REFUNDED && (!o.id || !o.note))) {
    fprintf(stderr, "sportello: servono --id e %s\n\n%s", what == R_RESOLVE ? "--notice" : "--note",
            RECEIPTS_USAGE);
    return 2;
  }
  db *d = cli_open_db();
  if (!d) return 1;
  arena *a = arena_new();
  ente e;
  rc = resolve_ente(d, a, o.ente, &e);
  pagopa_receipt *list = NULL;
  size_t n = 0;
  err_code ec = ERR_OK;
  if (!rc && what == R_LIST)
    ec = pagopa_receipts_since(d, a, e.id, o.since, o.limit ? (int)o.limit : 100, &list, &n);
  else if (!rc && what == R_REVIEW)
    ec = debt_receipt_review_list(d, a, e.id, &list, &n);
  if (!rc && (what == R_LIST || what == R_REVIEW)) {
    if (ec != ERR_OK) {
      cmd_report("ricevute non leggibili", ec, NULL);
      rc = 1;
    } else {
      puts("id\treceipt_id\tavviso\timporto\tpagata il\tPSP\tstato\tnota");
      for (size_t i = 0; i < n; i++) print_receipt(&list[i]);
    }
  } else if (!rc) {
    debt_booking bk = {0};
    ec = what == R_RESOLVE ? debt_receipt_resolve(d, a, e.id, o.id, o.notice, o.note, &cmd_cli_actor, &bk)
                           : debt_receipt_refunded(d, a, e.id, o.id, o.note, &cmd_cli_actor);
    if (ec != ERR_OK) {
      cmd_report("ricevuta non aggiornata", ec, NULL);
      rc = 1;
    } else if (what == R_RESOLVE) {
      printf("Ricevuta %lld contabilizzata sull'atto %lld (stato %s).\n", (long long)o.id,
             (long long)bk.act_id, bk.state ? bk.state : "-");
    } else {
      printf("Ricevuta %lld chiusa come rimborsata.\n", (long long)o.id);
    }
  }
  arena_free(a);
  db_close(d);
  return rc;
}

static int receipts_list(cli_ctx *c) { return receipts_run(c, R_LIST); }
static int receipts_review(cli_ctx *c) { return receipts_run(c, R_REVIEW); }
static int receipts_resolve(cli_ctx *c) { return receipts_run(c, R_RESOLVE); }
static int receipts_refunded(cli_ctx *c) { return receipts_run(c, R_REFUNDED); }

int cmd_receipts(cli_ctx *c) {
  static const cmd_sub subs[] = {{"list", receipts_list},
                                 {"review", receipts_review},
                                 {"resolve", receipts_resolve},
                                 {"refunded", receipts_refunded}};
  return cmd_dispatch(c, "receipts", RECEIPTS_USAGE, subs, sizeof subs / sizeof subs[0]);
}

/* ---- sanp revenue ---- */

static const char SANP_USAGE[] =
    "Uso: sportello sanp revenue --ente ENTE --code CODICE [--service ID] [--stamp EURO]\n"
    "\n"
    "Impostazioni pagoPA di un'entrata: --service è l'idServizio del Catalogo\n"
    "Servizi con cui i PSP chiedono un pagamento spontaneo (paDemandPaymentNotice;\n"
    "l'entrata deve ammettere il pagamento spontaneo; vuoto: nessuno); --stamp è\n"
    "l'imposta di bollo digitale compresa nell'importo (es. 16.00), chiesta al\n"
    "Nodo con paGetPaymentV2 (0.00: nessuna).\n";

static int sanp_revenue(cli_ctx *c) {
  const char *key = NULL, *code = NULL, *service = NULL, *stamp = NULL;
  int bad = 0;
  for (int i = 2; i < c->argc && !bad; i++) {
    const char *v;
    if ((v = cmd_opt(c, &i, "--ente", &bad)))
      key = v;
    else if ((v = cmd_opt(c, &i, "--code", &bad)))
      code = v;
    else if ((v = cmd_opt(c, &i, "--service", &bad)))
      service = v;
    else if ((v = cmd_opt(c, &i, "--stamp", &bad)))
      stamp = v;
    else if (!bad)
      return cmd_bad_option(c, i, SANP_USAGE);
  }
  if (bad) return 2;
  if (!key || !code) {
    fprintf(stderr, "sportello: servono --ente e --code\n\n%s", SANP_USAGE);
    return 2;
  }
  int64_t stamp_cents = 0;
  if (stamp && debt_parse_euros(stamp, &stamp_cents)) {
    fprintf(stderr, "sportello: --stamp vuole un importo come 16.00\n");
    return 2;
  }
  db *d = cli_open_db();
  if (!d) return 1;
  arena *a = arena_new();
  ente e;
  int rc = resolve_ente(d, a, key, &e);
  if (!rc) {
    problem pb = {0};
    err_code ec = debt_revenue_sanp_set(d, a, e.id, code, service, stamp_cents, &cmd_cli_actor, &pb);
    if (ec != ERR_OK) {
      cmd_report("impostazioni pagoPA dell'entrata non salvate", ec, &pb);
      rc = 1;
    } else {
      char b[32];
      printf("Entrata %s: servizio %s, bollo %s.\n", code, service && *service ? service : "nessuno",
             euro(stamp_cents, b));
    }
  }
  arena_free(a);
  db_close(d);
  return rc;
}

int cmd_sanp(cli_ctx *c) {
  static const cmd_sub subs[] = {{"revenue", sanp_revenue}};
  return cmd_dispatch(c, "sanp", SANP_USAGE, subs, sizeof subs / sizeof subs[0]);
}
