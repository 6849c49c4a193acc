/* The services part of `sportello demo-data`: the example service
 * documents of config/services/ (embedded at build time) imported for
 * each demo Ente, as `sportello service import` would. */
#include <stdio.h>
#include <string.h>

#include "cli/cmd_common.h"
#include "cli/demo_services.h"
#include "domain/services/services.h"

extern const char svc_passo_carrabile[], svc_rimborso_tributi[], svc_occupazione_temporanea[];

int demo_services(db *d, const int64_t *ente_ids, size_t n_entes) {
  const char *docs[] = {svc_passo_carrabile, svc_rimborso_tributi, svc_occupazione_temporanea};
  arena *a = arena_new();
  int rc = 0;
  for (size_t e = 0; e < n_entes && !rc; e++)
    for (size_t i = 0; i < sizeof docs / sizeof docs[0] && !rc; i++) {
      problems pbs = {0};
      err_code err = services_import(d, a, &cmd_cli_actor, ente_ids[e], docs[i], strlen(docs[i]),
                                     NULL, NULL, &pbs);
      if (err != ERR_OK) {
        cmd_report_all("servizio dimostrativo non importato", err, &pbs);
        rc = 1;
      }
    }
  arena_free(a);
  return rc;
}
