/* SANP settings of a revenue type: the Catalogo Servizi service id that
 * paDemandPaymentNotice names, and the stamp duty of its positions. */
#include <ctype.h>
#include <string.h>
#include <jansson.h>
#include "core/clock.h"
#include "core/text.h"
#include "domain/debt/debt_sanp_store.h"

err_code debt_revenue_sanp_get(db *d, arena *a, int64_t ente_id, int64_t revenue_id, debt_revenue_sanp *out) {
  memset(out, 0, sizeof *out);
  err_code rc = dss_revenue_sanp_get(d, a, ente_id, revenue_id, out);
  if (rc == ERR_NOT_FOUND) {
    memset(out, 0, sizeof *out);
    out->revenue_id = revenue_id;
    return ERR_OK;
  }
  return rc;
}

typedef struct {
  arena *a;
  int64_t ente_id;
  const char *code;
  debt_revenue_sanp s;
  const actor *who;
  problem *pb;
} sanp_tx;

static err_code sanp_set_tx(db *d, void *ctx) {
  sanp_tx *t = ctx;
  debt_revenue r;
  err_code rc = debt_revenue_by_code(d, t->a, t->ente_id, t->code, &r);
  if (rc == ERR_NOT_FOUND) {
    *t->pb = (problem){ERR_NOT_FOUND, "revenue", "Entrata sconosciuta in questo Ente."};
    return rc;
  }
  if (rc != ERR_OK) return rc;
  if (t->s.service_id && !r.spontaneous) {
    *t->pb = (problem){ERR_INVALID, "service", "L'entrata non ammette pagamenti spontanei."};
    return ERR_INVALID;
  }
  debt_revenue_sanp before;
  if ((rc = debt_revenue_sanp_get(d, t->a, t->ente_id, r.id, &before)) != ERR_OK) return rc;
  t->s.revenue_id = r.id;
  rc = dss_revenue_sanp_upsert(d, t->ente_id, &t->s, clock_now());
  if (rc == ERR_CONFLICT) {
    *t->pb = (problem){ERR_CONFLICT, "service", "Il servizio è già associato a un'altra entrata dell'Ente."};
    return rc;
  }
  if (rc != ERR_OK) return rc;
  return audit_write_json(
      d, t->who, t->ente_id, "debt.revenue.sanp", "debt_revenue", r.id,
      json_pack("{s:s?, s:I}", "service_id", before.service_id, "stamp_cents",
                (json_int_t)before.stamp_cents),
      json_pack("{s:s?, s:I}", "service_id", t->s.service_id, "stamp_cents", (json_int_t)t->s.stamp_cents));
}

err_code debt_revenue_sanp_set(db *d, arena *a, int64_t ente_id, const char *revenue_code,
                               const char *service_id, int64_t stamp_cents, const actor *who, problem *pb) {
  problem local;
  if (!pb) pb = &local;
  memset(pb, 0, sizeof *pb);
  if (service_id && !*service_id) service_id = NULL;
  if (service_id && !text_all_of(service_id, 5, isalnum)) {
    *pb = (problem){ERR_INVALID, "service", "Il codice del servizio (idServizio) ha 5 lettere o cifre."};
    return ERR_INVALID;
  }
  if (stamp_cents < 0 || stamp_cents > 10000) {
    *pb = (problem){ERR_INVALID, "stamp", "L'imposta di bollo va da 0,00 a 100,00 euro."};
    return ERR_INVALID;
  }
  sanp_tx t = {a, ente_id, revenue_code, {0, (char *)service_id, stamp_cents}, who, pb};
  return db_tx(d, sanp_set_tx, &t);
}
