/* The citizen's video room (/enti/{ente}/video/{room}): the room id of the
 * confirmation link is the key (128 random bits; only its SHA-256 is
 * stored), or the booking's own token. A wrong id is a plain 404; a room not open yet, or closed, is a
 * 403 page saying when it opens. */
#include <string.h>

#include "core/clock.h"
#include "domain/video/video.h"
#include "web/portal/booking_view.h"
#include "web/video_room.h"

static const char *key_of(request *rq) { return rq->params[1]; }

/* The room by its id (/enti/{ente}/video/{room}) or by the booking's
 * cancel/change token (/enti/{ente}/prenotazione/{token}/video, linked
 * from the booking's page: the way in for a citizen without the mail). */
static err_code resolve(request *rq, vr_ctx *c) {
  err_code rc;
  if (strstr(rq->path, "/prenotazione/")) {
    ag_appt ap;
    if ((rc = agenda_by_token(rq->db, rq->a, rq->ente->id, key_of(rq), &ap)) != ERR_OK) return rc;
    rc = video_room_citizen_appt(rq->db, rq->a, rq->ente->id, ap.id, &c->r);
    c->base = url_video_token(rq->a, rq->ente->slug, key_of(rq));
  } else {
    rc = video_room_citizen(rq->db, rq->a, rq->ente->id, key_of(rq), &c->r);
    c->base = url_video_citizen(rq->a, rq->ente->slug, key_of(rq));
  }
  return rc;
}

err_code page_video_citizen(request *rq, response *rs) {
  vr_ctx c;
  err_code rc = resolve(rq, &c);
  if (rc != ERR_OK) return rc;
  page_info p;
  if ((rc = booking_page_info(rq, "Videochiamata con lo sportello", &p)) != ERR_OK) return rc;
  WEB_TRAIL(rq, &p, {rq->ente->name, url_ente_page(rq->a, rq->ente->slug)}, {"Videochiamata", NULL});
  if (video_room_open(&c.r, clock_now()) != ERR_OK)
    rs->status = 403;
  else
    rs->allow_media = 1; /* Permissions-Policy: camera and microphone for us */
  html h = web_begin(rq, rs, &p);
  vr_write_page(rq, &h, &c);
  page_end(&h, &p);
  return ERR_OK;
}

err_code page_video_citizen_config(request *rq, response *rs) {
  vr_ctx c;
  err_code rc = resolve(rq, &c);
  return rc != ERR_OK ? rc : vr_config(rq, rs, &c);
}

err_code page_video_citizen_events(request *rq, response *rs) {
  vr_ctx c;
  err_code rc = resolve(rq, &c);
  return rc != ERR_OK ? rc : vr_events(rq, rs, &c);
}

err_code page_video_citizen_post(request *rq, response *rs) {
  vr_ctx c;
  err_code rc = resolve(rq, &c);
  return rc != ERR_OK ? rc : vr_post(rq, rs, &c);
}
