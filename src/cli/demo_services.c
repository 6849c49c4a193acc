/* The services part of `sportello demo-data`: the Ente's stamp-duty
 * revenue (SVC_STAMP_REVENUE, so the imposta di bollo can be paid with
 * pagoPA) and the example service documents of config/services/ (embedded
 * at build time) imported for each demo Ente, as `sportello service
 * import` would. Runs after the debt part (the revenues the services'
 * payments name). */
#include <stdio.h>
#include <string.h>

#include "cli/cmd_common.h"
#include "cli/demo_services.h"
#include "domain/debt/debt.h"
#include "domain/services/services.h"

extern const char svc_passo_carrabile[], svc_rimborso_tributi[], svc_occupazione_temporanea[],
    svc_certificato_destinazione[];

static err_code stamp_revenue(db *d, arena *a, int64_t ente_id) {
  debt_revenue r = {0};
  if (debt_revenue_by_code(d, a, ente_id, SVC_STAMP_REVENUE, &r) == ERR_OK) return ERR_OK;
  r.ente_id = ente_id;
  r.code = SVC_STAMP_REVENUE;
  r.name = "Imposta di bollo sulle istanze";
  r.taxonomy = "9/0101108TS/";
  r.iban = "IT60X0542811101000000123456";
  debt_problems pbs = {0};
  err_code rc = debt_revenue_add(d, a, &r, &cmd_cli_actor, &pbs);
  if (rc != ERR_OK) cmd_report("entrata dell'imposta di bollo non creata", rc, pbs.n ? &pbs.items[0] : NULL);
  return rc;
}

int demo_services(db *d, const int64_t *ente_ids, size_t n_entes) {
  const char *docs[] = {svc_passo_carrabile, svc_rimborso_tributi, svc_occupazione_temporanea,
                        svc_certificato_destinazione};
  arena *a = arena_new();
  int rc = 0;
  for (size_t e = 0; e < n_entes && !rc; e++) {
    if (stamp_revenue(d, a, ente_ids[e]) != ERR_OK) rc = 1;
    for (size_t i = 0; i < sizeof docs / sizeof docs[0] && !rc; i++) {
      problems pbs = {0};
      err_code err =
          services_import(d, a, &cmd_cli_actor, ente_ids[e], docs[i], strlen(docs[i]), NULL, NULL, &pbs);
      if (err != ERR_OK) {
        cmd_report_all("servizio dimostrativo non importato", err, &pbs);
        rc = 1;
      }
    }
  }
  arena_free(a);
  return rc;
}
