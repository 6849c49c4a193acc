/* agenda.remind: the reminder of one appointment, enqueued at booking for
 * agenda.reminder_hours before it. Nothing is sent when the appointment
 * was cancelled, moved or is already past (agenda_remind checks), so a
 * repeated run or a stale job is harmless. */
#include <jansson.h>

#include "core/clock.h"
#include "domain/agenda/agenda.h"
#include "jobs/kinds.h"

err_code kind_agenda_remind(job_run *r) {
  json_error_t je;
  json_t *p = json_loads(r->j->payload, 0, &je);
  json_int_t id = p ? json_integer_value(json_object_get(p, "appointment")) : 0;
  json_decref(p);
  if (id <= 0 || r->j->ente_id <= 0) {
    r->error = "Promemoria senza appuntamento.";
    return ERR_INVALID;
  }
  err_code rc = agenda_remind(r->d, r->a, r->j->ente_id, id, clock_now());
  if (rc != ERR_OK) r->error = "Promemoria dell'appuntamento non accodato.";
  return rc;
}
