/* Operations on one debt position from the command line:
 * sportello act relieve|plan|pay|refund|compensate|cancel. The same domain
 * calls as the office page and the API; each writes its ledger movement
 * (or event) and audit row in one transaction, or nothing. The Ente is its
 * slug or codice fiscale; amounts are euros ("120.50" or "120,50"). */
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/cmd_common.h"
#include "core/arena.h"
#include "core/money.h"
#include "domain/debt/debt.h"
#include "domain/pagopa/nav.h"

static const char ACT_USAGE[] =
    "Uso: sportello act COMANDO --ente ENTE ...\n"
    "\n"
    "  relieve    --act ID [--amount EURO] --reason TESTO\n"
    "             sgravio (senza --amount: tutto quanto resta dovuto); gli avvisi aperti\n"
    "             sono riemessi per il nuovo importo\n"
    "  plan       --act ID [--installments N] --first-due AAAA-MM-GG\n"
    "             piano di rate mensili (senza --installments: il massimo dello scaglione)\n"
    "  pay        (--act ID | --notice NAV-o-IUV) --channel f24|counter|bank_transfer\n"
    "             --amount EURO --reference RIF [--value-date AAAA-MM-GG] [--evidence TESTO]\n"
    "             pagamento da altro canale; lo stesso canale e riferimento si registra una volta\n"
    "  refund     --act ID --amount EURO [--reference RIF] [--note TESTO]\n"
    "             rimborso del credito al contribuente\n"
    "  compensate --from ID-A-CREDITO --to ID-A-DEBITO --amount EURO [--note TESTO]\n"
    "             il credito di una posizione paga un'altra dello stesso contribuente\n"
    "  cancel     --act ID --reason TESTO\n"
    "             annullamento\n"
    "\n"
    "ENTE è lo slug o il codice fiscale; gli importi in euro (120.50 o 120,50).\n"
    "Stampa lo stato e il residuo della posizione dopo l'operazione.\n";

typedef struct {
  const char *ente, *reason, *first_due, *notice, *channel, *reference, *value_date, *evidence, *note;
  int64_t act, from, to, installments, amount; /* amount -1: not given */
} act_opts;

static int parse(cli_ctx *c, act_opts *o) {
  memset(o, 0, sizeof *o);
  o->amount = -1;
  int bad = 0;
  for (int i = 2; i < c->argc && !bad; i++) {
    const char *v;
    int64_t *num = NULL;
    if ((v = cmd_opt(c, &i, "--ente", &bad)))
      o->ente = v;
    else if ((v = cmd_opt(c, &i, "--reason", &bad)))
      o->reason = v;
    else if ((v = cmd_opt(c, &i, "--first-due", &bad)))
      o->first_due = v;
    else if ((v = cmd_opt(c, &i, "--notice", &bad)))
      o->notice = v;
    else if ((v = cmd_opt(c, &i, "--channel", &bad)))
      o->channel = v;
    else if ((v = cmd_opt(c, &i, "--reference", &bad)))
      o->reference = v;
    else if ((v = cmd_opt(c, &i, "--value-date", &bad)))
      o->value_date = v;
    else if ((v = cmd_opt(c, &i, "--evidence", &bad)))
      o->evidence = v;
    else if ((v = cmd_opt(c, &i, "--note", &bad)))
      o->note = v;
    else if ((v = cmd_opt(c, &i, "--act", &bad)))
      num = &o->act;
    else if ((v = cmd_opt(c, &i, "--from", &bad)))
      num = &o->from;
    else if ((v = cmd_opt(c, &i, "--to", &bad)))
      num = &o->to;
    else if ((v = cmd_opt(c, &i, "--installments", &bad)))
      num = &o->installments;
    else if ((v = cmd_opt(c, &i, "--amount", &bad))) {
      if (money_parse(v, &o->amount) || o->amount <= 0) {
        fprintf(stderr, "sportello: --amount vuole un importo maggiore di zero, come 120.50\n");
        return 2;
      }
    } else if (!bad)
      return cmd_bad_option(c, i, ACT_USAGE);
    if (num && cmd_parse_int(v, num)) {
      fprintf(stderr, "sportello: valore non numerico: %s\n", v);
      return 2;
    }
  }
  if (bad) return 2;
  if (!o->ente) {
    fprintf(stderr, "sportello: serve --ente\n\n%s", ACT_USAGE);
    return 2;
  }
  return 0;
}

static int need(int cond, const char *what) {
  if (!cond) fprintf(stderr, "sportello: %s\n\n%s", what, ACT_USAGE);
  return !cond;
}

static void print_act(db *d, arena *a, int64_t ente_id, int64_t id) {
  debt_act x;
  if (debt_act_get(d, a, ente_id, id, &x) != ERR_OK) return;
  char b[32];
  money_format_it(x.residual_cents < 0 ? -x.residual_cents : x.residual_cents, b);
  printf("Posizione %lld (%s del %d): %s, %s %s euro.\n", (long long)x.id, x.number, x.year,
         debt_state_label(x.state), x.residual_cents < 0 ? "credito" : "residuo", b);
  int gen = 0;
  for (size_t i = 0; i < x.n_options; i++)
    if (x.options[i].generation > gen) gen = x.options[i].generation;
  for (size_t i = 0; i < x.n_options; i++) {
    const debt_option *op = &x.options[i];
    if (op->generation != gen || strcmp(op->state, "open")) continue;
    money_format_it(op->amount_cents - op->paid_cents, b);
    printf("  %s %s  %s euro  scadenza %s\n", op->installment ? "rata" : "unica", op->nav, b, op->due_date);
  }
}

enum { RELIEVE, PLAN, PAY, REFUND, COMPENSATE, CANCEL };

static int run(cli_ctx *c, int op) {
  act_opts o;
  int rc = parse(c, &o);
  if (rc) return rc;
  switch (op) {
    case RELIEVE:
      rc = need(o.act && o.reason, "servono --act e --reason");
      break;
    case PLAN:
      rc = need(o.act && o.first_due, "servono --act e --first-due");
      break;
    case PAY:
      rc = need((o.act || o.notice) && o.channel && o.amount > 0 && o.reference,
                "servono --act o --notice, --channel, --amount e --reference");
      if (!rc && strcmp(o.channel, "f24") && strcmp(o.channel, "counter") &&
          strcmp(o.channel, "bank_transfer"))
        rc = need(0, "--channel vuole f24, counter o bank_transfer");
      break;
    case REFUND:
      rc = need(o.act && o.amount > 0, "servono --act e --amount");
      break;
    case COMPENSATE:
      rc = need(o.from && o.to && o.amount > 0, "servono --from, --to e --amount");
      break;
    default:
      rc = need(o.act && o.reason, "servono --act e --reason");
      break;
  }
  if (rc) return 2;
  db *d = cli_open_db();
  if (!d) return 1;
  arena *a = arena_new();
  ente e;
  if (cmd_find_ente(d, a, o.ente, &e)) {
    arena_free(a);
    db_close(d);
    return 1;
  }
  err_code ec = ERR_OK;
  debt_problems pbs = {0};
  int64_t shown = o.act;
  const char *what = "operazione non registrata";
  switch (op) {
    case RELIEVE:
      what = "sgravio non registrato";
      ec = debt_act_relieve(d, a, e.id, o.act, o.amount < 0 ? 0 : o.amount, o.reason, &cmd_cli_actor);
      break;
    case PLAN:
      what = "rateizzazione non registrata";
      ec = debt_act_plan(d, a, e.id, o.act, (int)o.installments, o.first_due, &cmd_cli_actor, &pbs);
      break;
    case PAY: {
      what = "pagamento non registrato";
      debt_payment p = {.act_id = o.notice ? 0 : o.act,
                        .amount_cents = o.amount,
                        .channel = o.channel,
                        .reference = o.reference,
                        .value_date = o.value_date,
                        .evidence = o.evidence};
      char nav[19];
      if (o.notice && strlen(o.notice) == 17)
        p.iuv = o.notice;
      else if (o.notice && !nav_parse(o.notice, nav))
        p.nav = arena_strdup(a, nav);
      else if (o.notice)
        ec = ERR_NOTICE_UNKNOWN;
      debt_booking b;
      if (ec == ERR_OK) ec = debt_book_payment(d, a, e.id, &p, &cmd_cli_actor, &b);
      if (ec == ERR_OK && b.duplicate) {
        fprintf(stderr,
                "sportello: pagamento già registrato con questo canale e riferimento (movimento %lld): "
                "nulla di nuovo\n",
                (long long)b.movement_id);
        ec = ERR_CONFLICT;
        what = NULL;
      }
      if (ec == ERR_OK) shown = b.act_id;
      break;
    }
    case REFUND:
      what = "rimborso non registrato";
      ec = debt_record_refund(d, a, e.id, o.act, o.amount, o.reference, o.note, &cmd_cli_actor);
      break;
    case COMPENSATE:
      what = "compensazione non registrata";
      ec = debt_compensate(d, a, e.id, o.from, o.to, o.amount, o.note, &cmd_cli_actor);
      shown = o.to;
      break;
    default:
      what = "annullamento non registrato";
      ec = debt_act_cancel(d, a, e.id, o.act, o.reason, &cmd_cli_actor);
  }
  if (ec != ERR_OK) {
    if (what) cmd_report(what, ec, pbs.n ? &pbs.items[0] : NULL);
    rc = 1;
  } else {
    print_act(d, a, e.id, shown);
    if (op == COMPENSATE) print_act(d, a, e.id, o.from);
  }
  arena_free(a);
  db_close(d);
  return rc;
}

static int act_relieve(cli_ctx *c) { return run(c, RELIEVE); }
static int act_plan(cli_ctx *c) { return run(c, PLAN); }
static int act_pay(cli_ctx *c) { return run(c, PAY); }
static int act_refund(cli_ctx *c) { return run(c, REFUND); }
static int act_compensate(cli_ctx *c) { return run(c, COMPENSATE); }
static int act_cancel(cli_ctx *c) { return run(c, CANCEL); }

int cmd_act(cli_ctx *c) {
  static const cmd_sub subs[] = {
      {"relieve", act_relieve},       {"plan", act_plan},    {"pay", act_pay}, {"refund", act_refund},
      {"compensate", act_compensate}, {"cancel", act_cancel}};
  return cmd_dispatch(c, "act", ACT_USAGE, subs, sizeof subs / sizeof subs[0]);
}
