/* What the citizen's and the operator's call pages share (portal/video.c,
 * office/video.c): the call page body, the room's configuration (ICE
 * servers with TURN credentials, for an authorised participant only), the
 * event stream and the messages posted by the page (web/static/js/video.js).
 *
 * Signalling runs over our own HTTP server: server-sent events for
 * server -> client and POST for client -> server. Each GET of the event
 * stream answers what is pending after Last-Event-ID (or ?dopo=) at once
 * and ends with a `retry:` hint, and the browser's EventSource reconnects
 * with the last id: no request holds a thread of the server's pool (a
 * long-lived response would block one of its epoll threads, and
 * libmicrohttpd's upgrade would leave the WebSocket framing to us). */
#ifndef SP_WEB_VIDEO_ROOM_H
#define SP_WEB_VIDEO_ROOM_H
#include "domain/video/video.h"
#include "web/web.h"

typedef struct {
  video_room r;
  const char *base; /* the page's URL; config, events and messages below it */
} vr_ctx;

/* The call (status, videos, controls, chat) or, outside the window, the
 * reason and the chat kept so far. */
void vr_write_page(request *rq, html *h, const vr_ctx *c);
/* GET base/config: JSON with the role, the window, the last seq, the chat
 * so far and the ICE servers. */
err_code vr_config(request *rq, response *rs, const vr_ctx *c);
/* GET base/eventi: text/event-stream of the messages after the last id. */
err_code vr_events(request *rq, response *rs, const vr_ctx *c);
/* POST base/messaggi (kind, text): a signal or a chat message. */
err_code vr_post(request *rq, response *rs, vr_ctx *c);
/* The chat of the appointment as a list (nothing when empty). */
err_code vr_write_chat(request *rq, html *h, int64_t ente_id, int64_t appt_id);

#endif
