/* The Ente's counters for the office: the week's check of the hours
 * offered against the minimum for the population (holidays and closures
 * counted, afternoon openings), the counters with their timetables and
 * bookable agendas, the closures, and (for managers) the forms that add
 * counters, hours, closures and agendas (counters_post.c). */
#include <string.h>

#include "core/clock.h"
#include "domain/agenda/agenda.h"
#include "web/office/counters.h"

static const saved_notice SAVED[] = {
    {"sportello", "Sportello aggiunto."},
    {"orario", "Orario aggiunto."},
    {"chiusura", "Chiusura registrata e pubblicata."},
    {"agenda", "Agenda aperta: gli orari dello sportello sono prenotabili per l'argomento."},
};

static const char *hours_it(arena *a, int64_t m) {
  return m % 60 ? arena_printf(a, "%lld h %02lld min", (long long)(m / 60), (long long)(m % 60))
                : arena_printf(a, "%lld h", (long long)(m / 60));
}

static void check_section(request *rq, html *h, const ag_week_report *r) {
  arena *a = rq->a;
  char prev[9], next[9];
  ag_iso_week_format(date_add_days(r->monday, -7), prev);
  ag_iso_week_format(date_add_days(r->monday, 7), next);
  html_elem(h, "h2", arena_printf(a, "Ore di apertura, settimana %s", r->week), HA("class", "h4"));
  html_open(h, "nav", HA("class", "d-flex gap-3 mb-2"), HA("aria-label", "Settimane"));
  html_elem(h, "a", "Settimana precedente", HA("href", url_office_counters(a, rq->ente->slug, prev, NULL)));
  html_elem(h, "a", "Settimana successiva", HA("href", url_office_counters(a, rq->ente->slug, next, NULL)));
  html_close(h, "nav");
  const char *verdict =
      r->ok ? arena_printf(a, "Minimo rispettato: %s offerte su %s richieste (%s abitanti), con "
                              "aperture pomeridiane.",
                           hours_it(a, r->offered_minutes), hours_it(a, r->min_minutes),
                           num_it(a, r->population))
            : arena_printf(a, "Carenza: %s offerte su %s richieste (%s abitanti)%s%s.",
                           hours_it(a, r->offered_minutes), hours_it(a, r->min_minutes),
                           num_it(a, r->population),
                           r->shortfall_minutes ? arena_printf(a, ", mancano %s",
                                                               hours_it(a, r->shortfall_minutes))
                                                : "",
                           r->afternoon ? "" : "; nessuna apertura pomeridiana");
  html_elem(h, "p", verdict, HA("class", r->ok ? "alert alert-success" : "alert alert-danger"),
            HA("role", "status"));
  static const char *const cols[] = {"Giorno", "Ore", "Note"};
  table_begin(h, "Ore di apertura per giorno", 0, cols, 3);
  for (int i = 0; i < 7; i++) {
    const ag_day_hours *d = &r->days[i];
    char it[11];
    date_format_it(d->day, it);
    table_row_begin(h);
    table_cell(h, arena_printf(a, "%s %s", ag_weekday_it(i + 1), it));
    table_cell(h, hours_it(a, d->minutes));
    table_cell(h, d->holiday ? arena_printf(a, "Festivo: %s", d->holiday)
                  : d->closure ? arena_printf(a, "Chiuso: %s", d->closure)
                  : d->afternoon ? "Apertura pomeridiana" : "");
    table_row_end(h);
  }
  table_end(h);
}

err_code office_counters_render(request *rq, response *rs, const problem *errs, size_t n, int status) {
  arena *a = rq->a;
  const ente *e = rq->ente;
  civil_date monday;
  const char *w = rq_query(rq, "settimana");
  if (!w || ag_iso_week_parse(w, &monday) != 0) {
    civil_date t = date_today_rome(clock_now());
    monday = date_add_days(t, 1 - date_weekday(t));
  }
  ag_week_report r;
  ag_counter *cs;
  ag_hours *hs;
  ag_closure *cl;
  ag_avail *av;
  size_t nc, nh, ncl, nav;
  char mon_iso[11];
  date_format_iso(monday, mon_iso);
  err_code rc = agenda_week_check(rq->db, a, e, monday, &r);
  if (rc == ERR_OK) rc = agenda_counter_list(rq->db, a, e->id, &cs, &nc);
  if (rc == ERR_OK) rc = agenda_hours_list(rq->db, a, e->id, 0, &hs, &nh);
  if (rc == ERR_OK) rc = agenda_closure_list(rq->db, a, e->id, mon_iso, &cl, &ncl);
  if (rc == ERR_OK) rc = agenda_avail_list(rq->db, a, e->id, 0, &av, &nav);
  if (rc != ERR_OK) return rc;
  page_info p;
  if ((rc = web_page_info(rq, "Sportelli e orari", "sportelli", &p)) != ERR_OK) return rc;
  p.notice = saved_notice_for(SAVED, sizeof SAVED / sizeof SAVED[0], rq_query(rq, "salvato"));
  WEB_OFFICE_TRAIL(rq, &p, {"Sportelli", NULL});
  rs->status = status;
  html h = web_begin(rq, rs, &p);
  form_error_summary(&h, errs, n);
  check_section(rq, &h, &r);

  html_elem(&h, "h2", "Sportelli", HA("class", "h4 mt-5"));
  for (size_t i = 0; i < nc; i++) {
    html_elem(&h, "h3", arena_printf(a, "%s (n. %lld)", cs[i].name, (long long)cs[i].id),
              HA("class", "h5 mt-3"));
    if (cs[i].place) html_elem(&h, "p", cs[i].place);
    html_open(&h, "ul");
    for (size_t j = 0; j < nh; j++) {
      if (hs[j].counter_id != cs[i].id) continue;
      char f[6], t[6];
      ag_hhmm_format(hs[j].start_min, f);
      ag_hhmm_format(hs[j].end_min, t);
      html_elem(&h, "li", arena_printf(a, "%s %s-%s (orario in vigore dal %s)",
                                       ag_weekday_it(hs[j].weekday), f, t,
                                       date_it(a, hs[j].valid_from)));
    }
    for (size_t j = 0; j < nav; j++)
      if (av[j].counter_id == cs[i].id)
        html_elem(&h, "li", arena_printf(a, "Agenda %s%s: %d minuti, pausa %d, %d posti, prenotabile "
                                            "fino a %d giorni, preavviso %d minuti",
                                         av[j].topic_name, av[j].video ? " (videochiamata)" : "",
                                         av[j].slot_minutes, av[j].buffer_minutes, av[j].capacity,
                                         av[j].horizon_days, av[j].notice_minutes));
    html_close(&h, "ul");
  }
  if (!nc) html_elem(&h, "p", "Nessuno sportello.");

  html_elem(&h, "h2", "Chiusure", HA("class", "h4 mt-5"));
  html_open(&h, "ul");
  for (size_t i = 0; i < ncl; i++)
    html_elem(&h, "li", arena_printf(a, "%s - %s, %s: %s", date_it(a, cl[i].from_day),
                                     date_it(a, cl[i].to_day),
                                     cl[i].counter_name ? cl[i].counter_name : "tutti gli sportelli",
                                     cl[i].reason));
  html_close(&h, "ul");
  if (!ncl) html_elem(&h, "p", "Nessuna chiusura da questa settimana in poi.");

  if (WEB_USER_HAS_ROLE(rq, ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_OFFICE_MANAGER)))
    office_counters_forms(rq, &h, cs, nc);
  page_end(&h, &p);
  return ERR_OK;
}

err_code page_office_counters(request *rq, response *rs) {
  return office_counters_render(rq, rs, NULL, 0, 200);
}
