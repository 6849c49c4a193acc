/* The stamp duty (imposta di bollo, 16 euro) of an application: declared
 * with the serial number and issue date of a marca da bollo (a serial is
 * used once in the Ente) or paid with pagoPA as an act of 16,00 euro on
 * the Ente's revenue SVC_STAMP_REVENUE (see services.h). */
#include <ctype.h>
#include <jansson.h>
#include <string.h>

#include "core/clock.h"
#include "core/date.h"
#include "core/text.h"
#include "domain/services/services_internal.h"
#include "domain/services/services_store.h"

int svc_stamp_pagopa_available(db *d, arena *a, int64_t ente_id) {
  debt_revenue r;
  return debt_revenue_by_code(d, a, ente_id, SVC_STAMP_REVENUE, &r) == ERR_OK;
}

err_code svc_app_stamp(db *d, arena *a, int64_t ente_id, int64_t app_id, svc_stamp *out) {
  return sst_stamp_get(d, a, ente_id, app_id, out);
}

static const char *const USED = "Questa marca da bollo è già stata usata per un'altra domanda.";

err_code svc_stamp_check(db *d, arena *a, int64_t ente_id, const svc_stamp_in *in, svc_stamp *out,
                         problems *pbs) {
  memset(out, 0, sizeof *out);
  const char *mode = in->mode ? in->mode : "";
  if (strcmp(mode, "pagopa") == 0) {
    if (!svc_stamp_pagopa_available(d, a, ente_id)) {
      problems_add(a, pbs, ERR_INVALID, "_bollo",
                   "Il pagamento dell'imposta di bollo con pagoPA non è disponibile: indica la "
                   "marca da bollo.");
      return ERR_INVALID;
    }
    out->mode = "pagopa";
    return ERR_OK;
  }
  if (strcmp(mode, "seriale") != 0) {
    problems_add(a, pbs, ERR_INVALID, "_bollo",
                 "Scegli come assolvere l'imposta di bollo: marca da bollo o pagoPA.");
    return ERR_INVALID;
  }
  out->mode = "serial";
  size_t before = pbs->n;
  char *serial = in->serial && strlen(in->serial) <= 40 ? text_trim_dup(a, in->serial) : NULL;
  if (!serial || strlen(serial) != 14 || !text_all_of(serial, 14, isdigit))
    problems_add(a, pbs, ERR_INVALID, "_bollo_seriale",
                 "Il numero di serie della marca da bollo è di 14 cifre.");
  civil_date c;
  char today[11];
  date_format_iso(date_today_rome(clock_now()), today);
  if (!in->issue_date || strlen(in->issue_date) != 10 || date_parse_iso(in->issue_date, &c) != 0)
    problems_add(a, pbs, ERR_INVALID, "_bollo_data",
                 "Indica la data di emissione della marca da bollo (AAAA-MM-GG).");
  else if (strcmp(in->issue_date, today) > 0)
    problems_add(a, pbs, ERR_INVALID, "_bollo_data",
                 "La data di emissione della marca da bollo non può essere futura.");
  if (pbs->n > before) return ERR_INVALID;
  int used = 0;
  err_code rc = sst_stamp_serial_used(d, ente_id, serial, &used);
  if (rc != ERR_OK) return rc;
  if (used) {
    problems_add(a, pbs, ERR_INVALID, "_bollo_seriale", USED);
    return ERR_INVALID;
  }
  out->serial = serial;
  out->issue_date = arena_strdup(a, in->issue_date);
  return ERR_OK;
}

err_code svc_stamp_record(db *d, arena *a, const actor *who, const svc_app *x, const char *case_label,
                          svc_stamp *st, problems *pbs) {
  st->application_id = x->id;
  st->created_at = clock_now();
  err_code rc = sst_stamp_insert(d, x->ente_id, st);
  if (rc == ERR_CONFLICT) { /* the same serial, by a concurrent application */
    problems_add(a, pbs, ERR_INVALID, "_bollo_seriale", USED);
    return ERR_INVALID;
  }
  if (rc != ERR_OK) return rc;
  if (strcmp(st->mode, "pagopa") == 0) {
    svc_pay_in in = {x, case_label, "stamp", SVC_STAMP_REVENUE, SVC_STAMP_DUTY_CENTS, 0};
    debt_act act;
    if ((rc = svc_issue_payment(d, a, who, &in, &act, pbs)) != ERR_OK) return rc;
  }
  return audit_write_json(
      d, who, x->ente_id, "service.stamp", "service_application", x->id, NULL,
      json_pack("{s:s, s:s?, s:s?}", "mode", st->mode, "serial", st->serial, "issue_date", st->issue_date));
}
