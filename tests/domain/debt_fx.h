/* Shared setup of the debt tests: an Ente with pagoPA settings and two
 * revenue types (IMU to its own account; TARI with TEFA 5% on top to a
 * Provincia), taxpayers, acts, and the check that the cached derivation
 * equals a derivation from scratch. */
#ifndef SP_TEST_DEBT_FX_H
#define SP_TEST_DEBT_FX_H
#include <stdint.h>
#include "db/db.h"
#include "domain/debt/debt.h"

#define DFX_IBAN "IT60X0542811101000000123456"
#define DFX_IBAN2 "IT50Y0100003245000000301234"

typedef struct {
  int64_t ente_id, imu_id, tari_id;
  char ente_cf[12];
} dfx_ente;

/* Ente slug with segregation code seg, revenues IMU and TARI. */
dfx_ente dfx_setup(db *d, const char *slug, uint32_t seed, const char *seg);
/* A person taxpayer of the Ente; n makes the codice fiscale unique. */
int64_t dfx_taxpayer(db *d, int64_t ente_id, unsigned n);
/* An act of one tax line of cents, a single payment due due_date and,
 * with n_inst >= 2, n_inst monthly installments; asserts ERR_OK. */
debt_act dfx_act(db *d, arena *a, const dfx_ente *e, int64_t tp, int64_t revenue, int64_t cents, int n_inst,
                 const char *due);
/* Asserts the act's cache (act and options) equals debt_recompute. */
void dfx_cache_ok(db *d, int64_t ente_id, int64_t act_id);
/* The act re-read. */
debt_act dfx_get(db *d, arena *a, int64_t ente_id, int64_t act_id);

#endif
