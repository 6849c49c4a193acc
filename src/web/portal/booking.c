/* Booking on the Ente's public site without signing in: the week of slots
 * of a topic and the person's data in one form (works without JavaScript,
 * every control reachable by keyboard). Abuse is limited per client
 * address (agenda.bookings_per_client_per_hour, here) and per fiscal code
 * (active bookings, in the domain); no CAPTCHA. A slot taken meanwhile
 * answers 409 with the form kept and the week shown again. */
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "http/ratelimit.h"
#include "web/portal/booking_view.h"

static ratelimit *limiter;
static pthread_once_t limiter_once = PTHREAD_ONCE_INIT;

/* The bucket refills per_hour tokens an hour: the limiter counts minutes,
 * so it is fed the time divided by 60. */
static void limiter_init(void) {
  limiter = ratelimit_new(config_int("agenda", "bookings_per_client_per_hour"));
}

static int client_may_book(request *rq) {
  pthread_once(&limiter_once, limiter_init);
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  int64_t now_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
  int retry;
  return ratelimit_allow(limiter, rq->client_ip, now_ms / 60, &retry);
}

typedef struct {
  const char *topic;
  int video;
} week_ctx;

static const char *week_href(request *rq, const void *ctx, const char *week) {
  const week_ctx *c = ctx;
  return url_booking_topic(rq->a, rq->ente->slug, c->topic, week, c->video);
}

static int video_param(request *rq) {
  const char *m = rq_query(rq, "modalita");
  if (!m) m = rq_form(rq, "modalita");
  if (m && strcmp(m, "video") == 0) return 1;
  if (m && strcmp(m, "sportello") == 0) return 0;
  return -1;
}

/* The form, with the problems (if any) bound to their fields. */
static err_code render(request *rq, response *rs, const ag_topic *t, const problem *errs, size_t n,
                       const char *alert, int status) {
  const ente *e = rq->ente;
  arena *a = rq->a;
  int video = video_param(rq);
  civil_date monday = booking_week_param(rq);
  char week[9];
  ag_iso_week_format(monday, week);
  ag_avail *av;
  size_t nav;
  err_code rc = agenda_avail_list(rq->db, a, e->id, t->id, &av, &nav);
  if (rc != ERR_OK) return rc;
  if (!nav) return ERR_NOT_FOUND;
  int has_video = 0, has_counter = 0;
  for (size_t i = 0; i < nav; i++) {
    if (av[i].video) has_video = 1;
    else has_counter = 1;
  }
  page_info p;
  if ((rc = booking_page_info(rq, arena_printf(a, "Prenota: %s", t->name), &p)) != ERR_OK)
    return rc;
  WEB_TRAIL(rq, &p, {e->name, url_ente_page(a, e->slug)}, {"Prenota", url_booking(a, e->slug)},
            {t->name, NULL});
  rs->status = status;
  html h = web_begin(rq, rs, &p);
  if (alert) html_elem(&h, "div", alert, HA("class", "alert alert-warning"), HA("role", "alert"));
  if (has_video && has_counter) {
    html_open(&h, "p");
    html_text(&h, "Mostra: ");
    html_elem(&h, "a", "tutti gli orari", HA("href", url_booking_topic(a, e->slug, t->code, week, -1)),
              HA("aria-current", video < 0 ? "true" : NULL));
    html_text(&h, " · ");
    html_elem(&h, "a", "solo allo sportello",
              HA("href", url_booking_topic(a, e->slug, t->code, week, 0)),
              HA("aria-current", video == 0 ? "true" : NULL));
    html_text(&h, " · ");
    html_elem(&h, "a", "solo in videochiamata",
              HA("href", url_booking_topic(a, e->slug, t->code, week, 1)),
              HA("aria-current", video == 1 ? "true" : NULL));
    html_close(&h, "p");
  }
  form_begin_errors(&h, url_booking_topic(a, e->slug, t->code, NULL, -1), rq->csrf, errs, n);
  html_void(&h, "input", HA("type", "hidden"), HA("name", "settimana"), HA("value", week));
  if (video >= 0)
    html_void(&h, "input", HA("type", "hidden"), HA("name", "modalita"),
              HA("value", video ? "video" : "sportello"));
  week_ctx wc = {t->code, video};
  booking_week w = {t, video, monday, 0, status == 409 ? NULL : rq_form(rq, "start"), week_href,
                    &wc};
  if ((rc = booking_week_write(rq, &h, &w)) != ERR_OK) return rc;
  html_elem(&h, "h2", "I tuoi dati", HA("class", "h5"));
  booking_person_fields(rq, &h, 0);
  form_submit(&h, "Prenota");
  form_end(&h);
  page_end(&h, &p);
  return ERR_OK;
}

static err_code topic_of(request *rq, ag_topic *t) {
  const char *code = rq->params[1];
  return agenda_topic_by_code(rq->db, rq->a, rq->ente->id, code, t);
}

err_code page_booking(request *rq, response *rs) {
  ag_topic t;
  err_code rc = topic_of(rq, &t);
  if (rc != ERR_OK) return rc;
  return render(rq, rs, &t, NULL, 0, NULL, 200);
}

err_code page_booking_post(request *rq, response *rs) {
  ag_topic t;
  err_code rc = topic_of(rq, &t);
  if (rc != ERR_OK) return rc;
  if (!client_may_book(rq))
    return render(rq, rs, &t, NULL, 0,
                  "Troppe prenotazioni da questa connessione: riprova più tardi o chiama lo "
                  "sportello.",
                  429);
  ag_booking b = {.topic_id = t.id, .channel = "web"};
  booking_person_read(rq, &b);
  if (booking_slot_parse(rq_form(rq, "start"), &b.counter_id, &b.video, &b.start) != 0) {
    problem pb = {ERR_INVALID, "start", "Scegli un giorno e un'ora tra quelli liberi."};
    return render(rq, rs, &t, &pb, 1, NULL, 422);
  }
  ag_appt ap;
  char *token = NULL;
  problem pb = {0};
  rc = agenda_book(rq->db, rq->a, rq->ente, &rq->who, &b, &ap, &token, &pb);
  if (rc == ERR_INVALID) return render(rq, rs, &t, &pb, 1, NULL, 422);
  if (rc == ERR_SLOT_FULL || rc == ERR_BOOKING_LIMIT) {
    return render(rq, rs, &t, NULL, 0, err_message_it(rc), 409);
  }
  if (rc != ERR_OK) return rc;
  return rs_redirect(rs, url_booking_manage(rq->a, rq->ente->slug, token, "prenotato"));
}
