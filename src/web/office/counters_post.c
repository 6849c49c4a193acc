/* The managers' forms of the counters page and what they post: a new
 * counter, an opening interval, a closure, an agenda (availability) for a
 * topic. Field names carry the form's prefix so the error summary links
 * to the right field; a refused form re-renders the page with 422. */
#include <stdlib.h>
#include <string.h>

#include "web/office/counters.h"

static const form_option DAYS[] = {{"mon", "lunedì"},   {"tue", "martedì"}, {"wed", "mercoledì"},
                                   {"thu", "giovedì"},  {"fri", "venerdì"}, {"sat", "sabato"}};

static form_option *counter_options(request *rq, const ag_counter *cs, size_t nc, int with_all) {
  form_option *o = ARENA_ARRAY(rq->a, form_option, nc + 1);
  size_t k = 0;
  if (with_all) o[k++] = (form_option){"0", "Tutti gli sportelli"};
  for (size_t i = 0; i < nc; i++)
    o[k++] = (form_option){arena_printf(rq->a, "%lld", (long long)cs[i].id), cs[i].name};
  return o;
}

static void section(html *h, const char *title) { html_elem(h, "h3", title, HA("class", "h5 mt-4")); }

void office_counters_forms(request *rq, html *h, const ag_counter *cs, size_t nc) {
  arena *a = rq->a;
  const char *slug = rq->ente->slug;
  html_elem(h, "h2", "Modifica", HA("class", "h4 mt-5"));

  section(h, "Nuovo sportello");
  form_begin(h, url_office_counters_action(a, slug, "sportello"), rq->csrf);
  form_input(h, &(form_field){.name = "sportello_name", .label = "Nome", .required = 1, .maxlength = 100});
  form_input(h, &(form_field){.name = "sportello_place", .label = "Luogo (indirizzo, piano, stanza)",
                              .maxlength = 300});
  form_submit(h, "Aggiungi lo sportello");
  form_end(h);
  if (!nc) return;
  form_option *co = counter_options(rq, cs, nc, 0), *coa = counter_options(rq, cs, nc, 1);

  section(h, "Fascia di apertura");
  form_begin(h, url_office_counters_action(a, slug, "orario"), rq->csrf);
  form_select(h, &(form_field){.name = "orario_counter", .label = "Sportello", .required = 1}, co, nc);
  form_select(h, &(form_field){.name = "orario_day", .label = "Giorno", .required = 1}, DAYS, 6);
  form_input(h, &(form_field){.name = "orario_from", .label = "Dalle (HH:MM)", .required = 1,
                              .maxlength = 5, .hint = "Per esempio 09:00."});
  form_input(h, &(form_field){.name = "orario_to", .label = "Alle (HH:MM)", .required = 1,
                              .maxlength = 5});
  form_input(h, &(form_field){.name = "orario_valid_from", .label = "In vigore dal", .type = "date",
                              .hint = "Vuoto: l'orario più recente dello sportello."});
  form_submit(h, "Aggiungi la fascia");
  form_end(h);

  section(h, "Chiusura");
  form_begin(h, url_office_counters_action(a, slug, "chiusura"), rq->csrf);
  form_select(h, &(form_field){.name = "chiusura_counter", .label = "Sportello", .required = 1}, coa,
              nc + 1);
  form_input(h, &(form_field){.name = "chiusura_from", .label = "Dal", .type = "date", .required = 1});
  form_input(h, &(form_field){.name = "chiusura_to", .label = "Al (compreso)", .type = "date"});
  form_input(h, &(form_field){.name = "chiusura_reason", .label = "Motivo (pubblicato)",
                              .required = 1, .maxlength = 500});
  form_submit(h, "Registra la chiusura");
  form_end(h);

  section(h, "Agenda per un argomento");
  form_begin(h, url_office_counters_action(a, slug, "agenda"), rq->csrf);
  form_select(h, &(form_field){.name = "agenda_counter", .label = "Sportello", .required = 1}, co, nc);
  form_input(h, &(form_field){.name = "agenda_topic", .label = "Codice dell'argomento", .required = 1,
                              .maxlength = 40, .hint = "Per esempio tari, imu; si crea se non esiste."});
  form_input(h, &(form_field){.name = "agenda_topic_name", .label = "Nome dell'argomento (se nuovo)",
                              .maxlength = 100});
  form_input(h, &(form_field){.name = "agenda_slot_minutes", .label = "Durata (minuti)", .required = 1,
                              .value = "30", .maxlength = 3});
  form_input(h, &(form_field){.name = "agenda_buffer_minutes", .label = "Pausa tra appuntamenti (minuti)",
                              .value = "0", .maxlength = 3});
  form_input(h, &(form_field){.name = "agenda_capacity", .label = "Posti per orario", .value = "1",
                              .maxlength = 2});
  form_input(h, &(form_field){.name = "agenda_horizon_days", .label = "Prenotabile fino a (giorni)",
                              .value = "30", .maxlength = 3});
  form_input(h, &(form_field){.name = "agenda_notice_minutes", .label = "Preavviso minimo (minuti)",
                              .value = "60", .maxlength = 5});
  form_checkbox(h, "agenda_video", "In videochiamata", 0);
  form_submit(h, "Apri l'agenda");
  form_end(h);
}

static int64_t num(request *rq, const char *name, int64_t dflt) {
  const char *v = rq_form(rq, name);
  if (!v || !*v) return dflt;
  char *end;
  long long x = strtoll(v, &end, 10);
  return *end || x < 0 || x > 1000000 ? -1 : x;
}

/* problem from the domain -> the prefixed field of this form */
static err_code refused(request *rq, response *rs, const char *prefix, problem pb) {
  pb.field = pb.field ? arena_printf(rq->a, "%s_%s", prefix, pb.field) : NULL;
  return office_counters_render(rq, rs, &pb, 1, 422);
}

err_code page_office_counters_post(request *rq, response *rs) {
  const char *action = rq->params[1];
  const ente *e = rq->ente;
  problem pb = {0};
  err_code rc;
  if (strcmp(action, "sportello") == 0) {
    int64_t id;
    rc = agenda_counter_add(rq->db, &rq->who, e->id, rq_form(rq, "sportello_name"),
                            rq_form(rq, "sportello_place"), &id, &pb);
  } else if (strcmp(action, "orario") == 0) {
    const char *vf = rq_form(rq, "orario_valid_from");
    int from = ag_hhmm_parse(rq_form(rq, "orario_from")), to = ag_hhmm_parse(rq_form(rq, "orario_to"));
    if (from < 0) return refused(rq, rs, "orario", (problem){ERR_INVALID, "from", "Ora non valida (HH:MM)."});
    if (to < 0) return refused(rq, rs, "orario", (problem){ERR_INVALID, "to", "Ora non valida (HH:MM)."});
    rc = agenda_hours_add(rq->db, rq->a, &rq->who, e->id, num(rq, "orario_counter", 0),
                          ag_weekday_parse(rq_form(rq, "orario_day")), from, to,
                          vf && *vf ? vf : NULL, &pb);
  } else if (strcmp(action, "chiusura") == 0) {
    int64_t id;
    rc = agenda_closure_add(rq->db, &rq->who, e->id, num(rq, "chiusura_counter", 0),
                            rq_form(rq, "chiusura_from"), rq_form(rq, "chiusura_to"),
                            rq_form(rq, "chiusura_reason"), &id, &pb);
  } else if (strcmp(action, "agenda") == 0) {
    const char *code = rq_form(rq, "agenda_topic");
    ag_topic t;
    rc = agenda_topic_by_code(rq->db, rq->a, e->id, code, &t);
    if (rc == ERR_NOT_FOUND) {
      const char *nm = rq_form(rq, "agenda_topic_name");
      rc = agenda_topic_add(rq->db, &rq->who, e->id, code, nm && *nm ? nm : code, &t.id, &pb);
      if (rc == ERR_INVALID && pb.field && strcmp(pb.field, "name") == 0) pb.field = "topic_name";
      else if (rc == ERR_INVALID) pb.field = "topic";
    }
    if (rc == ERR_OK) {
      ag_avail av = {.counter_id = num(rq, "agenda_counter", 0), .topic_id = t.id,
                     .video = rq_form(rq, "agenda_video") != NULL,
                     .slot_minutes = (int)num(rq, "agenda_slot_minutes", -1),
                     .buffer_minutes = (int)num(rq, "agenda_buffer_minutes", 0),
                     .capacity = (int)num(rq, "agenda_capacity", 1),
                     .horizon_days = (int)num(rq, "agenda_horizon_days", 30),
                     .notice_minutes = (int)num(rq, "agenda_notice_minutes", 60)};
      rc = agenda_open(rq->db, &rq->who, e->id, &av, &pb);
    }
  } else {
    return ERR_NOT_FOUND;
  }
  if (rc == ERR_INVALID) return refused(rq, rs, action, pb);
  if (rc != ERR_OK) return rc;
  return rs_redirect(rs, url_office_counters(rq->a, e->slug, NULL, action));
}
