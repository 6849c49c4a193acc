/* Shared data of the occupation tests (test_occupation*.c): Giuseppe
 * Verdi, a person taxpayer with a consented e-mail, and a ten-day dehors
 * of 12,35 m² in zone A. */
#ifndef SP_TEST_OCC_FX_H
#define SP_TEST_OCC_FX_H
#include "domain/canone/canone.h"
#include "fixture.h"

/* Giuseppe Verdi with e-mail (consented); the strings stay valid (static). */
static inline taxpayer occ_fx_person(const char *email) {
  static char cf[17];
  static tp_contact mail;
  fx_cf("VRDGPP70A01H501", cf);
  mail = (tp_contact){"email", (char *)email, 1, 1775203200, "api"};
  taxpayer tp = {0};
  tp.kind = TP_PERSON;
  tp.fiscal_code = cf;
  tp.surname = "Verdi";
  tp.given_name = "Giuseppe";
  tp.contacts = &mail;
  tp.n_contacts = 1;
  return tp;
}

/* A temporary dehors in Piazza Grande 1, zone A, 12,35 m², 1-10 June 2026,
 * the Ente's office reached at ente_email. */
static inline occupation_input occ_fx_input(int64_t ente_id, const char *ente_email) {
  occupation_input in = {0};
  in.ente_id = ente_id;
  in.place = "Piazza Grande 1";
  in.zone = "A";
  in.use = "dehors";
  in.kind = "temporary";
  in.surface_m2 = "12,35";
  in.start = "2026-06-01";
  in.end = "2026-06-10";
  in.ente_email = ente_email;
  return in;
}

#endif
