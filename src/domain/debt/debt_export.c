/* CSV exports of an Ente's positions (one row per option of each act's
 * current generation) and of its payment-side movements. Amounts in cents;
 * fields through core/csv (quoting, no spreadsheet formulas). */
#include <string.h>
#include "core/csv.h"
#include "domain/debt/debt_internal.h"
#include "domain/debt/debt_store.h"

static err_code position_row(const ds_position_row *r, void *ctx) {
  FILE *out = ctx;
  csv_int(out, r->act_id, 0);
  csv_field(out, r->act_type, 1);
  csv_int(out, r->year, 1);
  csv_field(out, r->number, 1);
  csv_field(out, r->revenue_code, 1);
  csv_field(out, r->taxpayer_cf, 1);
  csv_field(out, r->taxpayer_name, 1);
  csv_field(out, r->state, 1);
  csv_int(out, r->residual, 1);
  csv_int(out, r->installment, 1);
  csv_field(out, r->nav, 1);
  csv_field(out, r->iuv, 1);
  csv_field(out, r->due_date, 1);
  csv_int(out, r->amount, 1);
  csv_int(out, r->paid, 1);
  csv_field(out, r->option_state, 1);
  csv_end(out);
  return ferror(out) ? ERR_INTERNAL : ERR_OK;
}

err_code debt_export_positions(db *d, arena *a, int64_t ente_id, int year, FILE *out) {
  fputs(
      "act_id,act_type,year,number,revenue,taxpayer_cf,taxpayer_name,state,residual_cents,"
      "installment,nav,iuv,due_date,amount_cents,paid_cents,option_state\n",
      out);
  return ds_positions_each(d, a, ente_id, year, position_row, out);
}

static err_code payment_row(const ds_payment_row *r, void *ctx) {
  FILE *out = ctx;
  csv_int(out, r->id, 0);
  csv_int(out, r->act_id, 1);
  csv_int(out, r->act_year, 1);
  csv_field(out, r->act_number, 1);
  csv_field(out, r->taxpayer_cf, 1);
  csv_field(out, r->kind, 1);
  csv_field(out, r->channel, 1);
  csv_field(out, r->reference, 1);
  csv_field(out, r->nav, 1);
  csv_field(out, r->value_date, 1);
  csv_int(out, r->amount, 1);
  csv_field(out, r->note, 1);
  csv_end(out);
  return ferror(out) ? ERR_INTERNAL : ERR_OK;
}

err_code debt_export_payments(db *d, arena *a, int64_t ente_id, const char *from, const char *to, FILE *out) {
  if ((from && !debt_date_ok(from)) || (to && !debt_date_ok(to))) return ERR_INVALID;
  fputs(
      "movement_id,act_id,year,number,taxpayer_cf,kind,channel,reference,nav,value_date,"
      "amount_cents,note\n",
      out);
  return ds_payments_each(d, a, ente_id, from, to, payment_row, out);
}
