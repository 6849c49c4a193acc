/* The portal part of `sportello demo-data`: each Ente's portal settings,
 * the payment channels, and for the first Ente a demo citizen (the first
 * person of its registry) with acts from 2019 to 2026 in every state the
 * personal area shows, a traffic fine notified two days ago (so the
 * reduced band shows), and an intermediary delegated by the citizen. */
#include <stdio.h>
#include <string.h>

#include "cli/cmd_common.h"
#include "cli/cmd_demo.h"
#include "core/clock.h"
#include "core/date.h"
#include "domain/portal/portal.h"
#include "domain/taxpayer/taxpayer.h"

static const char CHANNELS[] =
    "psp,channel,description,fee_eur\n"
    "Banca Demo Uno,carta,Carta di credito o debito,1.50\n"
    "Banca Demo Due,conto,Addebito in conto (home banking),0.90\n"
    "PagaFacile Demo,app,App di pagamento,1.20\n"
    "Tabaccherie Demo,esercente,Punti vendita convenzionati,2.00\n"
    "Poste Demo,bollettino,Bollettino postale PA,1.80\n";

static const struct {
  const char *revenue, *type;
  int year;
  int64_t cents;
  const char *due, *script, *description;
} ACTS[] = {
    {"TARI", "bonario", 2019, 24000, "2019-04-30", "P", "TARI 2019"},
    {"IMU", "accertamento", 2021, 88000, "2022-03-31", "NK", "Accertamento IMU 2017"},
    {"TARI", "bonario", 2024, 36000, "2024-04-30", "L1", "TARI 2024"},
    {"IMU", "bonario", 2025, 65000, "2025-06-16", "", "IMU 2025 acconto"},
    {"CUP", "canone", 2026, 15000, "2026-03-31", "", "Canone unico 2026 - passo carrabile"},
};

static int find_people(db *d, arena *a, int64_t ente_id, taxpayer **first, taxpayer **second) {
  taxpayer *tps;
  size_t n;
  *first = *second = NULL;
  if (taxpayer_search(d, a, ente_id, "", 100, 0, &tps, &n) != ERR_OK) return 1;
  for (size_t i = 0; i < n; i++) {
    if (tps[i].kind != TP_PERSON) continue;
    if (!*first)
      *first = &tps[i];
    else if (!*second)
      *second = &tps[i];
  }
  return *first && *second ? 0 : 1;
}

static err_code acts_for(db *d, arena *a, int64_t ente_id, int64_t tp_id) {
  for (size_t k = 0; k < sizeof ACTS / sizeof ACTS[0]; k++) {
    debt_revenue r;
    err_code rc = debt_revenue_by_code(d, a, ente_id, ACTS[k].revenue, &r);
    if (rc != ERR_OK) return rc;
    debt_act x = {.ente_id = ente_id,
                  .taxpayer_id = tp_id,
                  .revenue_id = r.id,
                  .act_type = (char *)ACTS[k].type,
                  .year = ACTS[k].year,
                  .description = (char *)ACTS[k].description,
                  .issue_date = arena_printf(a, "%d-01-20", ACTS[k].year),
                  .due_date = (char *)ACTS[k].due,
                  .n_lines = 1};
    x.lines = ARENA_NEW(a, debt_line);
    x.lines[0] = (debt_line){"tax", NULL, ACTS[k].cents};
    debt_problems pbs = {0};
    if ((rc = debt_act_create(d, a, &x, &cmd_cli_actor, &pbs)) != ERR_OK) return rc;
    for (const char *s = ACTS[k].script; *s && rc == ERR_OK; s++) {
      debt_act cur;
      if ((rc = debt_act_get(d, a, ente_id, x.id, &cur)) != ERR_OK) return rc;
      debt_payment p = {.amount_cents = 0, .channel = "pagopa"};
      switch (*s) {
        case 'N':
          rc = debt_act_event(d, a, ente_id, x.id, "notified", cur.issue_date, NULL, &cmd_cli_actor);
          break;
        case 'K':
          rc = debt_act_event(d, a, ente_id, x.id, "coattivo", "2023-05-01", "Ruolo 2023/2", &cmd_cli_actor);
          break;
        case 'L': {
          debt_problems pp = {0};
          rc = debt_act_plan(d, a, ente_id, x.id, 3, cur.due_date, &cmd_cli_actor, &pp);
          break;
        }
        case 'P':
        case '1': {
          const debt_option *o = NULL;
          for (size_t i = cur.n_options; i-- > 0;)
            if (!strcmp(cur.options[i].state, "open") &&
                (*s == 'P' ? cur.options[i].installment == 0 : cur.options[i].installment == 1))
              o = &cur.options[i];
          if (!o) break;
          p.option_id = o->id;
          p.amount_cents = o->amount_cents;
          p.reference = arena_printf(a, "DEMO-PORTAL-%lld-%zu", (long long)ente_id, k);
          p.value_date = o->due_date;
          rc = debt_book_payment(d, a, ente_id, &p, &cmd_cli_actor, NULL);
          break;
        }
      }
    }
    if (rc != ERR_OK) return rc;
  }
  return ERR_OK;
}

int demo_portal(db *d, const demo_debt_ente *enti, size_t n_enti, const char **citizen_cf) {
  arena *a = arena_new();
  int rc = 0;
  problem pb = {0};
  size_t nch;
  if (payment_channels_import(d, a, CHANNELS, &cmd_cli_actor, &nch, &pb) != ERR_OK) rc = 1;
  for (size_t e = 0; !rc && e < n_enti; e++) {
    ente en;
    if (ente_get(d, a, enti[e].id, &en) != ERR_OK) {
      rc = 1;
      break;
    }
    portal_settings s = {.ente_id = en.id,
                         .coattivo_url = arena_printf(a, "https://coattivo.example.org/%s", en.slug)};
    if (portal_settings_set(d, a, &s, NULL, 0, &cmd_cli_actor, &pb) != ERR_OK) rc = 1;
  }
  taxpayer *first, *second;
  if (!rc && n_enti > 0 && find_people(d, a, enti[0].id, &first, &second) == 0) {
    err_code ec = acts_for(d, a, enti[0].id, first->id);
    char today[11], notified[11];
    civil_date t = date_today_rome(clock_now());
    date_format_iso(t, today);
    date_format_iso(date_add_days(t, -2), notified);
    portal_fine f = {.ente_id = enti[0].id,
                     .report_number = "DEMO/1/2026",
                     .plate = "AB123CD",
                     .violation_date = notified,
                     .notification_date = notified,
                     .min_cents = 4200,
                     .max_cents = 17300,
                     .costs_cents = 1450,
                     .reduction_allowed = 1,
                     .taxpayer_cf = first->fiscal_code};
    debt_problems pbs = {0};
    if (ec == ERR_OK) ec = portal_fine_create(d, a, &f, &cmd_cli_actor, &pbs);
    portal_delegation dl = {0, enti[0].id, second->fiscal_code, first->fiscal_code, NULL, NULL};
    if (ec == ERR_OK) ec = portal_delegation_add(d, a, &dl, &cmd_cli_actor, &pb);
    if (ec != ERR_OK) {
      fprintf(stderr, "sportello: dati dimostrativi del portale non creati: %s\n",
              pbs.n        ? pbs.items[0].message
              : pb.message ? pb.message
                           : err_message_it(ec));
      rc = 1;
    } else if (citizen_cf) {
      static char cf[17], icf[17];
      snprintf(cf, sizeof cf, "%s", first->fiscal_code);
      snprintf(icf, sizeof icf, "%s", second->fiscal_code);
      citizen_cf[0] = cf;
      citizen_cf[1] = icf;
    }
  }
  arena_free(a);
  return rc;
}
