/* The operators' agenda: the appointments of a day or a week, with who
 * booked, how to reach them and the buttons to record attended / no-show. */
#include <string.h>

#include "core/clock.h"
#include "domain/agenda/agenda.h"
#include "web/web.h"

#define ROLES_AGENDA_EDIT_ (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_OFFICE_MANAGER) | ROLE_BIT(ROLE_OPERATOR))

static civil_date day_param(request *rq, const char *v) {
  civil_date d;
  if (v && date_parse_iso(v, &d) == 0) return d;
  return date_today_rome(clock_now());
}

static void mark_form(request *rq, html *h, const ag_appt *ap, const char *day, int week) {
  const char *action = url_office_agenda_mark(rq->a, rq->ente->slug, ap->id);
  form_begin(h, action, rq->csrf);
  html_void(h, "input", HA("type", "hidden"), HA("name", "giorno"), HA("value", day));
  if (week) html_void(h, "input", HA("type", "hidden"), HA("name", "vista"), HA("value", "settimana"));
  html_open(h, "div", HA("class", "d-flex gap-2"));
  html_elem(h, "button", "Presentato", HA("type", "submit"), HA("name", "stato"),
            HA("value", "attended"), HA("class", "btn btn-sm btn-outline-success"),
            HA("aria-label", arena_printf(rq->a, "%s: presentato", ap->name)));
  html_elem(h, "button", "Non presentato", HA("type", "submit"), HA("name", "stato"),
            HA("value", "no_show"), HA("class", "btn btn-sm btn-outline-danger"),
            HA("aria-label", arena_printf(rq->a, "%s: non presentato", ap->name)));
  html_close(h, "div");
  form_end(h);
}

err_code page_office_agenda(request *rq, response *rs) {
  arena *a = rq->a;
  int week = rq_query(rq, "vista") && strcmp(rq_query(rq, "vista"), "settimana") == 0;
  civil_date day = day_param(rq, rq_query(rq, "giorno"));
  civil_date from = week ? date_add_days(day, 1 - date_weekday(day)) : day;
  civil_date to = date_add_days(from, week ? 7 : 1);
  ag_appt *ap;
  size_t n;
  err_code rc = agenda_appts(rq->db, a, rq->ente->id, 0, ag_local_to_utc(from, 0),
                             ag_local_to_utc(to, 0), &ap, &n);
  if (rc != ERR_OK) return rc;
  char iso[11], prev[11], next[11], from_it[11];
  date_format_iso(day, iso);
  date_format_iso(date_add_days(day, week ? -7 : -1), prev);
  date_format_iso(date_add_days(day, week ? 7 : 1), next);
  date_format_it(from, from_it);
  page_info p;
  const char *title = week ? arena_printf(a, "Agenda della settimana dal %s", from_it)
                           : arena_printf(a, "Agenda di %s %s", ag_weekday_it(date_weekday(day)),
                                          from_it);
  if ((rc = web_page_info(rq, title, "agenda", &p)) != ERR_OK) return rc;
  WEB_OFFICE_TRAIL(rq, &p, {"Agenda", NULL});
  html h = web_begin(rq, rs, &p);
  html_open(&h, "nav", HA("class", "d-flex flex-wrap gap-3 mb-3"), HA("aria-label", "Periodo"));
  html_elem(&h, "a", week ? "Settimana precedente" : "Giorno precedente",
            HA("href", url_office_agenda(a, rq->ente->slug, prev, week)));
  html_elem(&h, "a", week ? "Settimana successiva" : "Giorno successivo",
            HA("href", url_office_agenda(a, rq->ente->slug, next, week)));
  html_elem(&h, "a", week ? "Vista del giorno" : "Vista della settimana",
            HA("href", url_office_agenda(a, rq->ente->slug, iso, !week)));
  html_close(&h, "nav");
  int can_edit = WEB_USER_HAS_ROLE(rq, ROLES_AGENDA_EDIT_);
  if (can_edit)
    button_link(&h, "Prenota per un utente", url_office_agenda_book(a, rq->ente->slug, NULL, NULL),
                BTN_PRIMARY);
  static const char *const cols[] = {"Quando", "Sportello", "Argomento", "Persona",
                                     "Recapiti", "Stato", "Esito"};
  html_open(&h, "div", HA("class", "mt-3"));
  table_begin(&h, arena_printf(a, "%zu appuntamenti", n), 1, cols, can_edit ? 7 : 6);
  for (size_t i = 0; i < n; i++) {
    char when[20];
    ag_local_iso_format(ap[i].start, when);
    table_row_begin(&h);
    table_cell(&h, week ? arena_printf(a, "%s %.5s", date_it(a, arena_strndup(a, when, 10)), when + 11)
                        : arena_printf(a, "%.5s", when + 11));
    if (ap[i].video && can_edit) {
      html_open(&h, "td");
      html_textf(&h, "%s (video) ", ap[i].counter_name);
      html_open(&h, "a", HA("href", url_office_video(a, rq->ente->slug, ap[i].id)),
                HA("aria-label", arena_printf(a, "Avvia videochiamata con %s", ap[i].name)));
      html_text(&h, "Avvia videochiamata");
      html_close(&h, "a");
      html_close(&h, "td");
    } else {
      table_cell(&h, ap[i].video ? arena_printf(a, "%s (video)", ap[i].counter_name)
                                 : ap[i].counter_name);
    }
    table_cell(&h, ap[i].reason ? arena_printf(a, "%s: %s", ap[i].topic_name, ap[i].reason)
                                : ap[i].topic_name);
    table_cell(&h, arena_printf(a, "%s (%s)", ap[i].name, ap[i].fiscal_code));
    table_cell(&h, arena_printf(a, "%s%s%s", ap[i].email ? ap[i].email : "",
                                ap[i].email && ap[i].mobile ? ", " : "",
                                ap[i].mobile ? ap[i].mobile : ""));
    table_cell(&h, ag_state_label_it(ap[i].state));
    if (can_edit) {
      html_open(&h, "td");
      mark_form(rq, &h, &ap[i], iso, week);
      html_close(&h, "td");
    }
    table_row_end(&h);
  }
  table_end(&h);
  html_close(&h, "div");
  page_end(&h, &p);
  return ERR_OK;
}

err_code page_office_agenda_mark(request *rq, response *rs) {
  const char *s = rq_form(rq, "stato");
  int st = ag_state_parse(s);
  if (st != AG_ATTENDED && st != AG_NO_SHOW && st != AG_BOOKED) return ERR_BAD_REQUEST;
  err_code rc = agenda_mark(rq->db, &rq->who, rq->ente->id, rq_param_id(rq, 1), (ag_state)st);
  if (rc != ERR_OK) return rc;
  const char *day = rq_form(rq, "giorno");
  civil_date d;
  if (!day || date_parse_iso(day, &d) != 0) day = NULL;
  const char *v = rq_form(rq, "vista");
  return rs_redirect(rs, url_office_agenda(rq->a, rq->ente->slug, day,
                                           v && strcmp(v, "settimana") == 0));
}
