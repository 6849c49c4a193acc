/* The debt part of `sportello demo-data`: for each demo Ente its pagoPA
 * settings, revenue types (IMU, TARI with TEFA to the Provincia, canone
 * unico, traffic fines, a spontaneous one) and acts in every state, with
 * installments, payments from several channels, a relief, a plan, a
 * cancellation, an overpayment and a refund. Fixed data, fixed dates. */
#include <stdio.h>
#include <string.h>
#include "cli/cmd_common.h"
#include "cli/cmd_demo.h"
#include "core/arena.h"
#include "domain/debt/debt.h"
#include "domain/taxpayer/taxpayer.h"

#define IBAN_ENTE "IT60X0542811101000000123456"
/* TARI is paid to a BancoPosta account: its postal account (with the Poste
 * authorisation) gives its notices the bollettino postale PA */
#define IBAN_POSTE "IT32D0760103200000001234567"
#define POSTAL_ACCOUNT "1234567"
#define POSTAL_AUTH "AUT. DB/SSIC/E 12345 DEL 01/01/2026"
#define IBAN_PROVINCIA "IT50Y0100003245000000301234"
#define CF_PROVINCIA "80002470047" /* fictional Provincia di Fantasia */

static const struct {
  const char *code, *name, *taxonomy;
  int spontaneous, tefa;
} REVENUES[] = {
    {"IMU", "IMU - Imposta municipale propria", "9/0101100IM/", 0, 0},
    {"TARI", "TARI - Tassa sui rifiuti", "9/0101101IM/", 0, 1},
    {"CUP", "Canone unico patrimoniale", "9/0101107TS/", 1, 0},
    {"CDS", "Sanzioni al Codice della strada", "9/0102100SA/", 0, 0},
    {"DIRITTI", "Diritti di segreteria (pagamento spontaneo)", "9/0103100TS/", 1, 0},
};

/* What happens to each act after it is issued, one letter per step:
 * N notified, P single paid by pagoPA, 1 first installment paid, C 30% paid
 * at the counter, R 20% relieved, W relieved whole, X cancelled, L plan of
 * 6 installments, K sent to coattivo, O paid twice (overpaid), F the
 * overpayment refunded. */
static const struct {
  const char *revenue, *type;
  int64_t cents;
  int installments;
  const char *due, *script, *description;
} ACTS[] = {
    {"IMU", "bonario", 48200, 2, "2026-06-16", "", "IMU 2026 acconto e saldo"},
    {"IMU", "bonario", 91550, 2, "2026-06-16", "1", "IMU 2026 acconto e saldo"},
    {"TARI", "bonario", 31500, 3, "2026-04-30", "P", "TARI 2026"},
    {"TARI", "bonario", 21000, 3, "2026-04-30", "1", "TARI 2026"},
    {"CUP", "canone", 12000, 0, "2026-03-31", "P", "Canone unico 2026 - passo carrabile"},
    {"CDS", "verbale", 4200, 0, "2026-02-10", "N", "Verbale n. 1234/2026 art. 7 CdS"},
    {"IMU", "accertamento", 184300, 0, "2026-09-30", "NC", "Accertamento IMU 2021"},
    {"IMU", "accertamento", 256000, 0, "2026-10-31", "NL1", "Accertamento IMU 2022"},
    {"TARI", "accertamento", 73500, 0, "2026-08-31", "NR", "Accertamento TARI 2022"},
    {"IMU", "accertamento", 51000, 0, "2026-07-31", "NX", "Accertamento IMU 2020 (annullato)"},
    {"TARI", "bonario", 18000, 0, "2026-04-30", "W", "TARI 2026 (sgravata)"},
    {"IMU", "ingiunzione", 129900, 0, "2025-12-31", "NK", "Ingiunzione IMU 2019"},
    {"CDS", "verbale", 16800, 0, "2026-05-20", "NO", "Verbale n. 2077/2026 art. 142 CdS"},
    {"CUP", "canone", 9600, 0, "2026-03-31", "OF", "Canone unico 2026 - insegna"},
    {"CUP", "canone", 7200, 0, "2026-03-31", "PWF", "Canone unico 2026 - occupazione revocata"},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int setup_ente(db *d, arena *a, int64_t ente_id, const char *segregation, int64_t *rev_ids) {
  debt_pagopa p = {ente_id, (char *)segregation, "DEMO1", NULL, NULL, 0};
  problem pb = {0};
  err_code rc = debt_pagopa_set(d, &p, &cmd_cli_actor, &pb);
  if (rc != ERR_OK) {
    cmd_report("dati pagoPA dimostrativi non salvati", rc, &pb);
    return 1;
  }
  debt_split tefa = {CF_PROVINCIA,   "Provincia di Fantasia", IBAN_PROVINCIA,
                     "9/0201102IM/", "permille_on_top",       50};
  for (size_t i = 0; i < COUNT(REVENUES); i++) {
    debt_revenue r = {0};
    r.ente_id = ente_id;
    r.code = (char *)REVENUES[i].code;
    r.name = (char *)REVENUES[i].name;
    r.taxonomy = (char *)REVENUES[i].taxonomy;
    r.iban = i == 1 ? IBAN_POSTE : IBAN_ENTE;
    r.postal_account = i == 1 ? POSTAL_ACCOUNT : NULL;
    r.postal_auth = i == 1 ? POSTAL_AUTH : NULL;
    r.spontaneous = REVENUES[i].spontaneous;
    r.splits = REVENUES[i].tefa ? &tefa : NULL;
    r.n_splits = REVENUES[i].tefa ? 1 : 0;
    debt_problems pbs = {0};
    if ((rc = debt_revenue_add(d, a, &r, &cmd_cli_actor, &pbs)) != ERR_OK) {
      cmd_report("entrata dimostrativa non creata", rc, pbs.n ? &pbs.items[0] : NULL);
      return 1;
    }
    rev_ids[i] = r.id;
  }
  return 0;
}

/* Lines of an act of type: an accertamento has tax, sanction, interest and
 * notification costs; the others one line. */
static void lines_for(arena *a, debt_act *x, int64_t cents) {
  if (strcmp(x->act_type, "accertamento") && strcmp(x->act_type, "ingiunzione")) {
    x->lines = ARENA_NEW(a, debt_line);
    x->lines[0] = (debt_line){strcmp(x->act_type, "verbale") ? "tax" : "sanction", NULL, cents};
    x->n_lines = 1;
    return;
  }
  x->lines = ARENA_ARRAY(a, debt_line, 4);
  int64_t sanction = cents * 20 / 100, interest = cents * 7 / 100, costs = 1260;
  x->lines[0] = (debt_line){"tax", "Imposta non versata", cents - sanction - interest - costs};
  x->lines[1] = (debt_line){"sanction", "Sanzione per omesso versamento", sanction};
  x->lines[2] = (debt_line){"interest", "Interessi legali", interest};
  x->lines[3] = (debt_line){"costs", "Spese di notifica", costs};
  x->n_lines = 4;
}

static err_code pay(db *d, arena *a, int64_t ente_id, const debt_option *o, int64_t cents,
                    const char *channel, const char *ref) {
  debt_payment p = {0};
  p.option_id = o->id;
  p.amount_cents = cents;
  p.channel = channel;
  p.reference = ref;
  p.value_date = o->due_date;
  p.evidence = strcmp(channel, "pagopa") ? "Quietanza dimostrativa" : NULL;
  return debt_book_payment(d, a, ente_id, &p, &cmd_cli_actor, NULL);
}

static err_code run_script(db *d, arena *a, int64_t ente_id, debt_act *x, const char *script, size_t k) {
  err_code rc = ERR_OK;
  for (const char *s = script; *s && rc == ERR_OK; s++) {
    debt_act cur;
    if ((rc = debt_act_get(d, a, ente_id, x->id, &cur)) != ERR_OK) break;
    const debt_option *last = &cur.options[cur.n_options - 1], *first_inst = NULL;
    for (size_t i = 0; i < cur.n_options; i++)
      if (cur.options[i].installment == 1 && !strcmp(cur.options[i].state, "open"))
        first_inst = &cur.options[i];
    const char *ref = arena_printf(a, "DEMO-%lld-%zu-%c", (long long)ente_id, k, *s);
    switch (*s) {
      case 'N':
        rc = debt_act_event(d, a, ente_id, x->id, "notified", cur.issue_date, NULL, &cmd_cli_actor);
        break;
      case 'P':
        rc = pay(d, a, ente_id, &cur.options[0], cur.options[0].amount_cents, "pagopa", ref);
        break;
      case '1':
        if (first_inst) rc = pay(d, a, ente_id, first_inst, first_inst->amount_cents, "pagopa", ref);
        break;
      case 'C':
        rc = pay(d, a, ente_id, last, cur.residual_cents * 30 / 100, "counter", ref);
        break;
      case 'O':
        rc = pay(d, a, ente_id, &cur.options[0], cur.options[0].amount_cents, "pagopa", ref);
        if (rc == ERR_OK)
          rc = pay(d, a, ente_id, &cur.options[0], cur.options[0].amount_cents, "bank_transfer",
                   arena_printf(a, "%s-2", ref));
        break;
      case 'F':
        rc = debt_record_refund(d, a, ente_id, x->id, -cur.residual_cents, ref,
                                "Rimborso del doppio pagamento", &cmd_cli_actor);
        break;
      case 'R':
        rc = debt_act_relieve(d, a, ente_id, x->id, cur.residual_cents * 20 / 100,
                              "Sgravio parziale: rendita catastale rettificata", &cmd_cli_actor);
        break;
      case 'W':
        rc = debt_act_relieve(d, a, ente_id, x->id, 0, "Sgravio totale: immobile non posseduto",
                              &cmd_cli_actor);
        break;
      case 'X':
        rc = debt_act_cancel(d, a, ente_id, x->id, "Annullamento in autotutela", &cmd_cli_actor);
        break;
      case 'L': {
        debt_problems pbs = {0};
        rc = debt_act_plan(d, a, ente_id, x->id, 6, x->due_date, &cmd_cli_actor, &pbs);
        break;
      }
      case 'K':
        rc = debt_act_event(d, a, ente_id, x->id, "coattivo", "2026-03-01", "Ruolo 2026/1", &cmd_cli_actor);
        break;
    }
  }
  return rc;
}

int demo_debt(db *d, const demo_debt_ente *enti, size_t n_enti, size_t *n_acts) {
  *n_acts = 0;
  for (size_t e = 0; e < n_enti; e++) {
    arena *a = arena_new();
    int64_t rev_ids[COUNT(REVENUES)];
    int rc = setup_ente(d, a, enti[e].id, enti[e].segregation, rev_ids);
    taxpayer *tps = NULL;
    size_t ntp = 0;
    if (!rc && taxpayer_search(d, a, enti[e].id, "", 100, 0, &tps, &ntp) != ERR_OK) rc = 1;
    for (size_t k = 0; !rc && k < COUNT(ACTS) && ntp > 0; k++) {
      debt_act x = {0};
      x.ente_id = enti[e].id;
      x.taxpayer_id = tps[(k * 7 + e) % ntp].id;
      for (size_t r = 0; r < COUNT(REVENUES); r++)
        if (!strcmp(REVENUES[r].code, ACTS[k].revenue)) x.revenue_id = rev_ids[r];
      x.act_type = (char *)ACTS[k].type;
      x.year = 2026;
      x.description = (char *)ACTS[k].description;
      x.issue_date = "2026-01-20";
      x.due_date = (char *)ACTS[k].due;
      lines_for(a, &x, ACTS[k].cents);
      int n = ACTS[k].installments;
      x.options = ARENA_ARRAY(a, debt_option, (size_t)n + 1);
      memset(x.options, 0, sizeof(debt_option) * ((size_t)n + 1));
      x.options[0].amount_cents = ACTS[k].cents;
      x.options[0].due_date = x.due_date;
      if (!strcmp(x.act_type, "verbale")) x.options[0].valid_until = "2026-12-31";
      static const char *const DUES2[] = {"2026-06-16", "2026-12-16"};
      static const char *const DUES3[] = {"2026-04-30", "2026-07-31", "2026-10-31"};
      int64_t parts[3];
      debt_split_parts(ACTS[k].cents, NULL, (size_t)n, parts);
      for (int i = 1; i <= n; i++) {
        x.options[i].installment = i;
        x.options[i].amount_cents = parts[i - 1];
        x.options[i].due_date = (char *)(n == 2 ? DUES2[i - 1] : DUES3[i - 1]);
      }
      x.n_options = (size_t)n + 1;
      debt_problems pbs = {0};
      err_code ec = debt_act_create(d, a, &x, &cmd_cli_actor, &pbs);
      if (ec == ERR_OK) ec = run_script(d, a, enti[e].id, &x, ACTS[k].script, k);
      if (ec != ERR_OK) {
        fprintf(stderr, "sportello: atto dimostrativo %zu non creato: %s\n", k,
                pbs.n ? pbs.items[0].message : err_message_it(ec));
        rc = 1;
      } else {
        (*n_acts)++;
      }
    }
    arena_free(a);
    if (rc) return 1;
  }
  return 0;
}
