/* Demo occupations of public land for the demo citizen: a permanent dehors
 * whose notice is issued (so the portal shows it with its fee and the
 * forms to change it) and a temporary scaffolding still to be processed. */
#include <stdio.h>

#include "cli/cmd_common.h"
#include "cli/cmd_demo.h"
#include "core/clock.h"
#include "core/date.h"
#include "domain/canone/canone.h"

int demo_occupations(db *d, int64_t ente_id, const char *citizen_cf) {
  arena *a = arena_new();
  ente e;
  taxpayer tp;
  err_code ec = ente_get(d, a, ente_id, &e);
  if (ec == ERR_OK) ec = taxpayer_by_fiscal_code(d, a, ente_id, citizen_cf, &tp);
  char year_start[11], soon[11], later[11];
  civil_date today = date_today_rome(clock_now());
  snprintf(year_start, sizeof year_start, "%04d-01-01", today.y);
  date_format_iso(date_add_days(today, 20), soon);
  date_format_iso(date_add_days(today, 34), later);
  const char *mail = arena_printf(a, "suap@%s.example.it", ec == ERR_OK ? e.slug : "ente");
  occupation_input in[] = {
      {.ente_id = ente_id, .place = "Piazza Garibaldi 4, davanti al bar", .zone = "1", .use = "dehors",
       .kind = "permanent", .surface_m2 = "18,5", .start = year_start, .ente_email = mail, .ente_office = "SUAP"},
      {.ente_id = ente_id, .place = "Via Roma 12, facciata", .zone = "2", .use = "ponteggio",
       .kind = "temporary", .surface_m2 = "24", .start = soon, .end = later, .ente_email = mail,
       .ente_office = "Ufficio tecnico"}};
  for (size_t i = 0; ec == ERR_OK && i < sizeof in / sizeof in[0]; i++) {
    problems pbs = {0};
    case_rec c;
    occupation o;
    int again = 0;
    ec = occupation_declare(d, a, &cmd_cli_actor, &in[i], &tp, &c, &o, &pbs);
    if (ec == ERR_OK && i == 0) ec = occupation_process(d, a, &cmd_cli_actor, ente_id, c.id, &o, &again, &pbs);
    if (ec != ERR_OK) cmd_report_all("occupazioni dimostrative", ec, &pbs);
  }
  arena_free(a);
  return ec == ERR_OK ? 0 : 1;
}
