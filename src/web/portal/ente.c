/* The Ente's public front-office page: its counters with place and the
 * opening hours in force, the closures agreed with the Ente (published
 * here as the tender asks), and the topics that can be booked. No
 * sign-in. */
#include <string.h>

#include "core/clock.h"
#include "web/portal/booking_view.h"

static void hours_table(request *rq, html *h, const ag_counter *c, const ag_hours *hs, size_t nh,
                        civil_date today) {
  static const char *const cols[] = {"Giorno", "Orario"};
  table_begin(h, arena_printf(rq->a, "Orari di apertura di %s", c->name), 0, cols, 2);
  /* the timetable in force this week, day by day */
  civil_date monday = date_add_days(today, 1 - date_weekday(today));
  for (int i = 0; i < 6; i++) {
    civil_date day = date_add_days(monday, i);
    const ag_hours *iv[32];
    size_t k = ag_hours_on(hs, nh, c->id, day, iv, 32);
    if (!k) continue;
    strbuf sb;
    sb_init(&sb, 0);
    for (size_t j = 0; j < k; j++) {
      char f[6], t[6];
      ag_hhmm_format(iv[j]->start_min, f);
      ag_hhmm_format(iv[j]->end_min, t);
      sb_appendf(&sb, "%s%s-%s", j ? ", " : "", f, t);
    }
    table_row_begin(h);
    table_cell(h, ag_weekday_it(i + 1));
    table_cell(h, arena_strdup(rq->a, sb_str(&sb)));
    table_row_end(h);
    sb_free(&sb);
  }
  table_end(h);
}

err_code page_ente_public(request *rq, response *rs) {
  const ente *e = rq->ente;
  arena *a = rq->a;
  ag_counter *cs;
  ag_hours *hs;
  ag_closure *cl;
  ag_topic *ts;
  size_t nc, nh, ncl, nt;
  civil_date today = date_today_rome(clock_now());
  char today_iso[11];
  date_format_iso(today, today_iso);
  err_code rc = agenda_counter_list(rq->db, a, e->id, &cs, &nc);
  if (rc == ERR_OK) rc = agenda_hours_list(rq->db, a, e->id, 0, &hs, &nh);
  if (rc == ERR_OK) rc = agenda_closure_list(rq->db, a, e->id, today_iso, &cl, &ncl);
  if (rc == ERR_OK) rc = agenda_topic_list(rq->db, a, e->id, &ts, &nt);
  if (rc != ERR_OK) return rc;
  page_info p;
  if ((rc = booking_page_info(rq, "Sportelli e orari", &p)) != ERR_OK) return rc;
  WEB_TRAIL(rq, &p, {e->name, url_ente_page(a, e->slug)}, {"Sportelli e orari", NULL});
  html h = web_begin(rq, rs, &p);
  html_elem(&h, "p", "Sportelli per i tributi e le entrate: orari, chiusure e prenotazione degli "
                     "appuntamenti, anche senza registrarsi.",
            HA("class", "lead"));
  button_link(&h, "Prenota un appuntamento", url_booking(a, e->slug), BTN_PRIMARY);

  html_elem(&h, "h2", "Chiusure programmate", HA("class", "h4 mt-5"));
  if (!ncl) {
    html_elem(&h, "p", "Nessuna chiusura programmata.");
  } else {
    html_open(&h, "ul");
    for (size_t i = 0; i < ncl; i++) {
      html_open(&h, "li");
      const char *when = strcmp(cl[i].from_day, cl[i].to_day) == 0
                             ? arena_printf(a, "%s", date_it(a, cl[i].from_day))
                             : arena_printf(a, "dal %s al %s", date_it(a, cl[i].from_day),
                                            date_it(a, cl[i].to_day));
      html_textf(&h, "%s, %s: %s", when,
                 cl[i].counter_name ? cl[i].counter_name : "tutti gli sportelli", cl[i].reason);
      html_close(&h, "li");
    }
    html_close(&h, "ul");
  }

  html_elem(&h, "h2", "Sportelli", HA("class", "h4 mt-5"));
  size_t shown = 0;
  for (size_t i = 0; i < nc; i++) {
    if (!cs[i].active) continue;
    shown++;
    html_elem(&h, "h3", cs[i].name, HA("class", "h5 mt-4"));
    if (cs[i].place) html_elem(&h, "p", cs[i].place);
    hours_table(rq, &h, &cs[i], hs, nh, today);
  }
  if (!shown) html_elem(&h, "p", "Nessuno sportello pubblicato.");
  page_end(&h, &p);
  return ERR_OK;
}

err_code page_booking_topics(request *rq, response *rs) {
  const ente *e = rq->ente;
  arena *a = rq->a;
  ag_topic *ts;
  ag_avail *av;
  size_t nt, nav;
  err_code rc = agenda_topic_list(rq->db, a, e->id, &ts, &nt);
  if (rc == ERR_OK) rc = agenda_avail_list(rq->db, a, e->id, 0, &av, &nav);
  if (rc != ERR_OK) return rc;
  page_info p;
  if ((rc = booking_page_info(rq, "Prenota un appuntamento", &p)) != ERR_OK) return rc;
  WEB_TRAIL(rq, &p, {e->name, url_ente_page(a, e->slug)}, {"Prenota", NULL});
  html h = web_begin(rq, rs, &p);
  html_elem(&h, "p", "Scegli l'argomento: poi il giorno, l'ora e se venire allo sportello o "
                     "collegarti in videochiamata. Non serve registrarsi.");
  html_open(&h, "ul", HA("class", "list-unstyled"));
  size_t shown = 0;
  for (size_t i = 0; i < nt; i++) {
    int counter = 0, video = 0;
    for (size_t j = 0; j < nav; j++)
      if (av[j].topic_id == ts[i].id) {
        if (av[j].video) video = 1;
        else counter = 1;
      }
    if (!counter && !video) continue;
    shown++;
    html_open(&h, "li", HA("class", "mb-3"));
    html_elem(&h, "a", ts[i].name, HA("href", url_booking_topic(a, e->slug, ts[i].code, NULL, -1)),
              HA("class", "fw-semibold"));
    html_elem(&h, "span",
              counter && video ? " — allo sportello o in videochiamata"
                               : video ? " — in videochiamata" : " — allo sportello");
    html_close(&h, "li");
  }
  html_close(&h, "ul");
  if (!shown) html_elem(&h, "p", "Al momento non ci sono appuntamenti prenotabili.");
  page_end(&h, &p);
  return ERR_OK;
}
