/* CSV exports of an Ente's positions (one row per option of each act's
 * current generation) and of its payment-side movements. Amounts in cents. */
#include <string.h>
#include "core/strbuf.h"
#include "domain/debt/debt_internal.h"
#include "domain/debt/debt_store.h"

static void put(strbuf *out, const char *s, char sep) {
  if (s && strpbrk(s, ",\"\n\r")) {
    sb_putc(out, '"');
    for (; *s; s++) {
      if (*s == '"') sb_putc(out, '"');
      sb_putc(out, *s);
    }
    sb_putc(out, '"');
  } else if (s) {
    sb_append(out, s);
  }
  sb_putc(out, sep);
}

static err_code position_row(const ds_position_row *r, void *ctx) {
  strbuf *out = ctx;
  sb_appendf(out, "%lld,", (long long)r->act_id);
  put(out, r->act_type, ',');
  sb_appendf(out, "%d,", r->year);
  put(out, r->number, ',');
  put(out, r->revenue_code, ',');
  put(out, r->taxpayer_cf, ',');
  put(out, r->taxpayer_name, ',');
  put(out, r->state, ',');
  sb_appendf(out, "%lld,%d,", (long long)r->residual, r->installment);
  put(out, r->nav, ',');
  put(out, r->iuv, ',');
  put(out, r->due_date, ',');
  sb_appendf(out, "%lld,%lld,", (long long)r->amount, (long long)r->paid);
  put(out, r->option_state, '\n');
  return out->err ? ERR_TOO_LARGE : ERR_OK;
}

err_code debt_export_positions(db *d, arena *a, int64_t ente_id, int year, strbuf *out) {
  sb_append(out,
            "act_id,act_type,year,number,revenue,taxpayer_cf,taxpayer_name,state,residual_cents,"
            "installment,nav,iuv,due_date,amount_cents,paid_cents,option_state\n");
  return ds_positions_each(d, a, ente_id, year, position_row, out);
}

static err_code payment_row(const ds_payment_row *r, void *ctx) {
  strbuf *out = ctx;
  sb_appendf(out, "%lld,%lld,%d,", (long long)r->id, (long long)r->act_id, r->act_year);
  put(out, r->act_number, ',');
  put(out, r->taxpayer_cf, ',');
  put(out, r->kind, ',');
  put(out, r->channel, ',');
  put(out, r->reference, ',');
  put(out, r->nav, ',');
  put(out, r->value_date, ',');
  sb_appendf(out, "%lld,", (long long)r->amount);
  put(out, r->note, '\n');
  return out->err ? ERR_TOO_LARGE : ERR_OK;
}

err_code debt_export_payments(db *d, arena *a, int64_t ente_id, const char *from, const char *to,
                              strbuf *out) {
  if ((from && !debt_date_ok(from)) || (to && !debt_date_ok(to))) return ERR_INVALID;
  sb_append(out,
            "movement_id,act_id,year,number,taxpayer_cf,kind,channel,reference,nav,value_date,"
            "amount_cents,note\n");
  return ds_payments_each(d, a, ente_id, from, to, payment_row, out);
}
