/* Internal: SQL of the SANP settings of revenue types (debt_revenue_sanp). */
#ifndef SP_DEBT_SANP_STORE_H
#define SP_DEBT_SANP_STORE_H
#include "domain/debt/debt_sanp.h"

err_code dss_revenue_sanp_get(db *d, arena *a, int64_t ente_id, int64_t revenue_id, debt_revenue_sanp *out);
err_code dss_revenue_sanp_upsert(db *d, int64_t ente_id, const debt_revenue_sanp *s, int64_t now);
err_code dss_revenue_by_service(db *d, int64_t ente_id, const char *service_id, int64_t *revenue_id);

#endif
