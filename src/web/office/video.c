/* The operator's video room (/ufficio/{ente}/agenda/{id}/video): staff
 * enabled on the Ente (the route checks it); the first operator who
 * speaks in the room is bound to it, any other is refused. Outside the
 * room's window the page shows when it opens, or the chat kept on the
 * appointment once it is over. */
#include "core/clock.h"
#include "domain/video/video.h"
#include "web/video_room.h"

static err_code resolve(request *rq, vr_ctx *c) {
  err_code rc = video_room_operator(rq->db, rq->a, rq->ente->id, rq_param_id(rq, 1), rq->user->id, &c->r);
  if (rc != ERR_OK) return rc;
  c->base = url_office_video(rq->a, rq->ente->slug, c->r.ap.id);
  return ERR_OK;
}

err_code page_office_video(request *rq, response *rs) {
  vr_ctx c;
  err_code rc = resolve(rq, &c);
  if (rc != ERR_OK) return rc;
  page_info p;
  if ((rc = web_page_info(rq, arena_printf(rq->a, "Videochiamata con %s", c.r.ap.name), "agenda", &p)) !=
      ERR_OK)
    return rc;
  char iso[20];
  ag_local_iso_format(c.r.ap.start, iso);
  iso[10] = 0;
  WEB_OFFICE_TRAIL(rq, &p, {"Agenda", url_office_agenda(rq->a, rq->ente->slug, iso, 0)},
                   {"Videochiamata", NULL});
  rs->allow_media = 1; /* Permissions-Policy: camera and microphone for us */
  html h = web_begin(rq, rs, &p);
  vr_write_page(rq, &h, &c);
  if (video_room_open(&c.r, clock_now()) != ERR_OK &&
      (rc = vr_write_chat(rq, &h, rq->ente->id, c.r.ap.id)) != ERR_OK)
    return rc;
  page_end(&h, &p);
  return ERR_OK;
}

err_code page_office_video_config(request *rq, response *rs) {
  vr_ctx c;
  err_code rc = resolve(rq, &c);
  return rc != ERR_OK ? rc : vr_config(rq, rs, &c);
}

err_code page_office_video_events(request *rq, response *rs) {
  vr_ctx c;
  err_code rc = resolve(rq, &c);
  return rc != ERR_OK ? rc : vr_events(rq, rs, &c);
}

err_code page_office_video_post(request *rq, response *rs) {
  vr_ctx c;
  err_code rc = resolve(rq, &c);
  return rc != ERR_OK ? rc : vr_post(rq, rs, &c);
}
