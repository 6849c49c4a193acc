/* SQL of the SANP settings of revenue types. */
#include "domain/debt/debt_sanp_store.h"

err_code dss_revenue_sanp_get(db *d, arena *a, int64_t ente_id, int64_t revenue_id, debt_revenue_sanp *out) {
  out->revenue_id = revenue_id;
  return db_get(
      d, a, "SELECT service_id, stamp_cents FROM debt_revenue_sanp WHERE ente_id = ? AND revenue_id = ?",
      PARAMS(P_INT(ente_id), P_INT(revenue_id)), RESULTS(R_DUP(&out->service_id), R_INT(&out->stamp_cents)));
}

err_code dss_revenue_sanp_upsert(db *d, int64_t ente_id, const debt_revenue_sanp *s, int64_t now) {
  return db_exec(
      d,
      "INSERT INTO debt_revenue_sanp (revenue_id, ente_id, service_id, stamp_cents, updated_at) "
      "VALUES (?,?,?,?,?) ON CONFLICT (revenue_id) DO UPDATE SET service_id = excluded.service_id, "
      "stamp_cents = excluded.stamp_cents, updated_at = excluded.updated_at",
      PARAMS(P_INT(s->revenue_id), P_INT(ente_id), P_TEXT(s->service_id), P_INT(s->stamp_cents), P_INT(now)),
      NULL);
}

err_code dss_revenue_by_service(db *d, int64_t ente_id, const char *service_id, int64_t *revenue_id) {
  return db_get(d, NULL, "SELECT revenue_id FROM debt_revenue_sanp WHERE ente_id = ? AND service_id = ?",
                PARAMS(P_INT(ente_id), P_TEXT(service_id)), RESULTS(R_INT(revenue_id)));
}
