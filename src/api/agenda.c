/* /api/v1/agenda/slots and /api/v1/appointments: the agenda for the
 * Ente's own site. Times are Europe/Rome local date-times without offset
 * ("2026-12-01T09:00:00"). A full slot is 409 slot_full; bad input 422
 * naming the field. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/clock.h"
#include "domain/agenda/agenda.h"

static err_code one_problem(response *rs, const char *field, const char *msg) {
  problem p = {ERR_INVALID, field, msg};
  return api_problems(rs, ERR_INVALID, &p, 1);
}

err_code api_agenda_slots(request *rq, response *rs) {
  const char *topic = rq_query(rq, "topic"), *from = rq_query(rq, "from"), *to = rq_query(rq, "to");
  const char *counter = rq_query(rq, "counter");
  civil_date f, t;
  if (!topic) return one_problem(rs, "topic", "Indica l'argomento (codice).");
  if (!from || date_parse_iso(from, &f) != 0)
    return one_problem(rs, "from", "Data iniziale non valida (AAAA-MM-GG).");
  if (!to) t = date_add_days(f, 6);
  else if (date_parse_iso(to, &t) != 0)
    return one_problem(rs, "to", "Data finale non valida (AAAA-MM-GG).");
  if (date_cmp(t, f) < 0 || date_to_days(t) - date_to_days(f) >= AG_MAX_RANGE_DAYS)
    return one_problem(rs, "to", "L'intervallo va da 1 a 62 giorni.");
  int64_t counter_id = 0;
  if (counter) {
    char *end;
    counter_id = strtoll(counter, &end, 10);
    if (*end || counter_id < 1) return one_problem(rs, "counter", "Sportello non valido.");
  }
  ag_topic tp;
  err_code e = agenda_topic_by_code(rq->db, rq->a, rq->ente->id, topic, &tp);
  if (e == ERR_NOT_FOUND) return one_problem(rs, "topic", "Argomento inesistente per questo Ente.");
  if (e != ERR_OK) return e;
  ag_slot_query q = {tp.id, counter_id, -1, f, t, clock_now(), 0};
  ag_slot *sl;
  size_t n;
  if ((e = agenda_slots(rq->db, rq->a, rq->ente, &q, &sl, &n)) != ERR_OK) return e;
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++) {
    char s[20], en[20];
    ag_local_iso_format(sl[i].start, s);
    ag_local_iso_format(sl[i].end, en);
    json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:i, s:i, s:b}", "counter",
                                         (json_int_t)sl[i].counter_id, "start", s, "end", en,
                                         "available", sl[i].available, "capacity",
                                         sl[i].capacity, "video", sl[i].video));
  }
  return api_json(rs, 200, json_pack("{s:s, s:o}", "topic", tp.code, "slots", arr));
}

static const char *str_member(json_t *o, const char *k, int *bad) {
  json_t *v = json_object_get(o, k);
  if (!v || json_is_null(v)) return NULL;
  if (!json_is_string(v)) {
    *bad = 1;
    return NULL;
  }
  return json_string_value(v);
}

err_code api_appointment_create(request *rq, response *rs) {
  json_error_t jerr;
  json_t *root = json_loadb(rq->body, rq->body_len, JSON_REJECT_DUPLICATES, &jerr);
  if (!root || !json_is_object(root)) {
    json_decref(root);
    return ERR_JSON_MALFORMED;
  }
  arena *a = rq->a;
  err_code e = ERR_OK;
  int bad = 0;
  const char *field = NULL;
  ag_booking b = {.channel = "api"};
  const char *topic = str_member(root, "topic", &bad);
  if (bad || !topic) field = "topic";
  json_t *jc = json_object_get(root, "counter");
  if (!field && !json_is_integer(jc)) field = "counter";
  else if (!field) b.counter_id = json_integer_value(jc);
  const char *start = field ? NULL : str_member(root, "start", &bad);
  if (!field && (bad || !start || ag_local_iso_parse(start, &b.start) != 0)) field = "start";
#define STR(k, dst)                                            \
  if (!field) {                                                \
    const char *v_ = str_member(root, k, &bad);                \
    if (bad) field = k;                                        \
    else dst = v_ ? arena_strdup(a, v_) : NULL;                \
  }
  STR("fiscal_code", b.fiscal_code)
  STR("name", b.name)
  STR("email", b.email)
  STR("mobile", b.mobile)
  STR("reason", b.reason)
#undef STR
  json_t *jp = json_object_get(root, "privacy_consent");
  if (!field && jp && !json_is_boolean(jp)) field = "privacy_consent";
  b.privacy_consent = json_is_true(jp);
  json_t *jv = json_object_get(root, "video");
  if (!field && jv && !json_is_boolean(jv)) field = "video";
  b.video = json_is_true(jv);
  json_t *js = json_object_get(root, "sms_consent");
  b.sms_consent = json_is_true(js);
  char *topic_code = topic ? arena_strdup(a, topic) : NULL;
  json_decref(root);
  if (field) return one_problem(rs, field, "Valore mancante o del tipo sbagliato.");
  ag_topic tp;
  e = agenda_topic_by_code(rq->db, a, rq->ente->id, topic_code, &tp);
  if (e == ERR_NOT_FOUND) return one_problem(rs, "topic", "Argomento inesistente per questo Ente.");
  if (e != ERR_OK) return e;
  b.topic_id = tp.id;
  ag_appt ap;
  char *token = NULL;
  problem pb = {0};
  actor who = rq->who;
  e = agenda_book(rq->db, a, rq->ente, &who, &b, &ap, &token, &pb);
  if (e == ERR_INVALID) return api_problems(rs, ERR_INVALID, &pb, 1);
  if (e != ERR_OK) return e;
  char s[20], en[20];
  ag_local_iso_format(ap.start, s);
  ag_local_iso_format(ap.end, en);
  json_t *j = json_pack("{s:I, s:s, s:I, s:s, s:s, s:s, s:s, s:b, s:s, s:s}", "id",
                        (json_int_t)ap.id, "topic", tp.code, "counter", (json_int_t)ap.counter_id,
                        "counter_name", ap.counter_name, "start", s, "end", en, "state",
                        ag_state_name(ap.state), "video", ap.video, "fiscal_code", ap.fiscal_code,
                        "cancel_token", token);
  if (ap.room_id) json_object_set_new(j, "room_id", json_string(ap.room_id));
  json_object_set_new(j, "manage_path",
                      json_string(arena_printf(a, "/enti/%s/prenotazione/%s", rq->ente->slug, token)));
  return api_json(rs, 201, j);
}
