/* See debt_fx.h. */
#include "debt_fx.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "core/date.h"
#include "domain/taxpayer/taxpayer.h"
#include "fixture.h"

dfx_ente dfx_setup(db *d, const char *slug, uint32_t seed, const char *seg) {
  dfx_ente e = {0};
  e.ente_id = fx_ente(d, slug, seed);
  fx_piva(seed, e.ente_cf);
  debt_pagopa p = {e.ente_id, (char *)seg, "AB123", NULL, NULL, 0};
  problem pb;
  assert_int_equal(debt_pagopa_set(d, &p, &fx_cli, &pb), ERR_OK);
  arena *a = arena_new();
  debt_revenue imu = {0};
  imu.ente_id = e.ente_id;
  imu.code = "imu";
  imu.name = "IMU";
  imu.taxonomy = "9/0101100IM/";
  imu.iban = DFX_IBAN;
  debt_problems pbs;
  assert_int_equal(debt_revenue_add(d, a, &imu, &fx_cli, &pbs), ERR_OK);
  char prov[12];
  fx_piva(seed + 7, prov);
  debt_split tefa = {prov, "Provincia di Prova", DFX_IBAN2, "9/0201102IM/", "permille_on_top", 50};
  debt_revenue tari = {0};
  tari.ente_id = e.ente_id;
  tari.code = "TARI";
  tari.name = "Tassa sui rifiuti";
  tari.taxonomy = "9/0101101IM/";
  tari.iban = DFX_IBAN;
  tari.splits = &tefa;
  tari.n_splits = 1;
  assert_int_equal(debt_revenue_add(d, a, &tari, &fx_cli, &pbs), ERR_OK);
  e.imu_id = imu.id;
  e.tari_id = tari.id;
  arena_free(a);
  return e;
}

int64_t dfx_taxpayer(db *d, int64_t ente_id, unsigned n) {
  arena *a = arena_new();
  char first15[16], cf[17];
  /* RSSMRA + year 40..99 + month letter + day 01..28 + H501 */
  snprintf(first15, sizeof first15, "RSSMRA%02u%c%02uH501", 40 + n % 60, "ABCDEHLMPRST"[n / 60 % 12],
           1 + n / 720 % 28);
  fx_cf(first15, cf);
  taxpayer tp = {0};
  tp.ente_id = ente_id;
  tp.kind = TP_PERSON;
  tp.fiscal_code = cf;
  tp.surname = "Rossi";
  tp.given_name = "Mario";
  problems pbs = {0};
  err_code rc = taxpayer_create(d, a, &tp, &fx_cli, &pbs);
  if (rc != ERR_OK && pbs.n) fprintf(stderr, "taxpayer %s: %s\n", pbs.items[0].field, pbs.items[0].message);
  assert_int_equal(rc, ERR_OK);
  arena_free(a);
  return tp.id;
}

debt_act dfx_act(db *d, arena *a, const dfx_ente *e, int64_t tp, int64_t revenue, int64_t cents, int n_inst,
                 const char *due) {
  debt_act x = {0};
  x.ente_id = e->ente_id;
  x.taxpayer_id = tp;
  x.revenue_id = revenue;
  x.act_type = "bonario";
  x.year = 2026;
  x.description = "Saldo 2026";
  x.due_date = (char *)due;
  x.lines = ARENA_NEW(a, debt_line);
  x.lines[0] = (debt_line){"tax", NULL, cents};
  x.n_lines = 1;
  size_t no = 1 + (n_inst >= 2 ? (size_t)n_inst : 0);
  x.options = ARENA_ARRAY(a, debt_option, no);
  memset(x.options, 0, no * sizeof *x.options);
  x.options[0].amount_cents = cents;
  x.options[0].due_date = (char *)due;
  if (no > 1) {
    int64_t parts[80];
    debt_split_parts(cents, NULL, no - 1, parts);
    civil_date c;
    date_parse_iso(due, &c);
    for (size_t i = 1; i < no; i++) {
      x.options[i].installment = (int)i;
      x.options[i].amount_cents = parts[i - 1];
      x.options[i].due_date = arena_alloc(a, 11);
      date_format_iso(date_add_days(c, 30 * (int64_t)(i - 1)), x.options[i].due_date);
    }
  }
  x.n_options = no;
  debt_problems pbs = {0};
  err_code rc = debt_act_create(d, a, &x, &fx_cli, &pbs);
  for (size_t i = 0; i < pbs.n; i++)
    fprintf(stderr, "act: %s: %s\n", pbs.items[i].field, pbs.items[i].message);
  assert_int_equal(rc, ERR_OK);
  return x;
}

debt_act dfx_get(db *d, arena *a, int64_t ente_id, int64_t act_id) {
  debt_act x;
  assert_int_equal(debt_act_get(d, a, ente_id, act_id, &x), ERR_OK);
  return x;
}

void dfx_cache_ok(db *d, int64_t ente_id, int64_t act_id) {
  arena *a = arena_new();
  debt_act x = dfx_get(d, a, ente_id, act_id);
  debt_totals t;
  debt_option *o;
  size_t n;
  assert_int_equal(debt_recompute(d, a, ente_id, act_id, &t, &o, &n), ERR_OK);
  assert_string_equal(x.state, t.state);
  assert_int_equal(x.residual_cents, t.residual);
  assert_int_equal(x.charged_cents, t.charged);
  assert_int_equal(x.relieved_cents, t.relieved);
  assert_int_equal(x.paid_cents, t.paid + t.compensated - t.refunded - t.credit_used);
  assert_int_equal(x.n_options, n);
  for (size_t i = 0; i < n; i++) {
    assert_int_equal(x.options[i].id, o[i].id);
    assert_string_equal(x.options[i].state, o[i].state);
    assert_int_equal(x.options[i].paid_cents, o[i].paid_cents);
  }
  arena_free(a);
}
