/* The call page, its configuration, event stream and messages, shared by
 * the citizen's and the operator's routes (see video_room.h). */
#include "web/video_room.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/config.h"

static const char *local_time(arena *a, int64_t utc) {
  char iso[20];
  ag_local_iso_format(utc, iso);
  civil_date d;
  char day[11], it[11];
  memcpy(day, iso, 10);
  day[10] = 0;
  if (date_parse_iso(day, &d) != 0) return arena_strdup(a, iso);
  date_format_it(d, it);
  return arena_printf(a, "%s alle %.5s", it, iso + 11);
}

/* "08:50 del 24/11/2026" */
static const char *time_of_day(arena *a, int64_t utc) {
  char iso[20];
  ag_local_iso_format(utc, iso);
  civil_date d;
  char day[11], it[11];
  memcpy(day, iso, 10);
  day[10] = 0;
  if (date_parse_iso(day, &d) != 0) return arena_strdup(a, iso);
  date_format_it(d, it);
  return arena_printf(a, "%.5s del %s", iso + 11, it);
}

static const char *sender_label(const char *sender) {
  return strcmp(sender, "operator") == 0 ? "Operatore" : "Cittadino";
}

err_code vr_write_chat(request *rq, html *h, int64_t ente_id, int64_t appt_id) {
  video_msg *m;
  size_t n;
  err_code rc = video_chat(rq->db, rq->a, ente_id, appt_id, &m, &n);
  if (rc != ERR_OK) return rc;
  html_elem(h, "h2", "Chat della videochiamata", HA("class", "h4 mt-4"));
  if (n == 0) {
    html_elem(h, "p", "Nessun messaggio scritto in chat.");
    return ERR_OK;
  }
  html_open(h, "ol", HA("class", "list-unstyled"), HA("id", "video-chat-transcript"));
  for (size_t i = 0; i < n; i++) {
    char iso[20];
    ag_local_iso_format(m[i].created_at, iso);
    html_open(h, "li", HA("class", "mb-2"));
    html_elem(h, "strong", arena_printf(rq->a, "%s, %.5s: ", sender_label(m[i].sender), iso + 11));
    html_text(h, m[i].body);
    html_close(h, "li");
  }
  html_close(h, "ol");
  return ERR_OK;
}

static void details(request *rq, html *h, const vr_ctx *c) {
  const ag_appt *ap = &c->r.ap;
  dl_begin(h);
  dl_row(h, "Argomento", ap->topic_name, NULL);
  dl_row(h, "Quando", local_time(rq->a, ap->start), NULL);
  if (c->r.role == VIDEO_OPERATOR) {
    dl_row(h, "Persona", arena_printf(rq->a, "%s (%s)", ap->name, ap->fiscal_code), NULL);
    if (ap->reason) dl_row(h, "Motivo", ap->reason, NULL);
  }
  dl_row(h, "Stanza aperta",
         arena_printf(rq->a, "dalle %s alle %s", time_of_day(rq->a, c->r.opens_at),
                      time_of_day(rq->a, c->r.closes_at)),
         NULL);
  dl_end(h);
}

void vr_write_page(request *rq, html *h, const vr_ctx *c) {
  arena *a = rq->a;
  details(rq, h, c);
  err_code state = video_room_open(&c->r, clock_now());
  if (state != ERR_OK) {
    html_open(h, "div", HA("class", "alert alert-warning"), HA("role", "status"));
    html_text(h, err_message_it(state));
    html_close(h, "div");
    return;
  }
  const char *relay = rq_query(rq, "relay");
  html_open(h, "div", HA("id", "video-call"), HA("data-config", arena_printf(a, "%s/config", c->base)),
            HA("data-events", arena_printf(a, "%s/eventi", c->base)),
            HA("data-post", arena_printf(a, "%s/messaggi", c->base)), HA("data-csrf", rq->csrf),
            HA("data-role", c->r.role == VIDEO_OPERATOR ? "operator" : "citizen"),
            HA("data-relay", relay && strcmp(relay, "1") == 0 ? "1" : "0"));
  html_open(h, "p", HA("id", "video-status"), HA("role", "status"), HA("aria-live", "polite"),
            HA("class", "alert alert-info"));
  html_text(h, "La videochiamata richiede JavaScript e l'accesso a videocamera e microfono.");
  html_close(h, "p");
  html_open(h, "div", HA("class", "row g-4"));
  html_open(h, "div", HA("class", "col-lg-8"));
  html_open(h, "div", HA("class", "video-stage"));
  html_open(h, "video", HA("id", "video-remote"), HBOOL("autoplay", 1), HBOOL("playsinline", 1),
            HA("class", "video-remote w-100 bg-dark"),
            HA("aria-label", c->r.role == VIDEO_OPERATOR ? "Video del cittadino" : "Video dell'operatore"));
  html_close(h, "video");
  html_open(h, "video", HA("id", "video-local"), HBOOL("autoplay", 1), HBOOL("playsinline", 1),
            HBOOL("muted", 1), HA("class", "video-local bg-dark"), HA("aria-label", "Il tuo video"));
  html_close(h, "video");
  html_close(h, "div");
  html_open(h, "div", HA("class", "d-flex flex-wrap gap-2 mt-3"), HA("role", "group"),
            HA("aria-label", "Comandi della videochiamata"));
  html_elem(h, "button", "Disattiva il microfono", HA("type", "button"), HA("id", "video-mic"),
            HA("class", "btn btn-outline-primary"), HA("aria-pressed", "false"), HBOOL("disabled", 1));
  html_elem(h, "button", "Disattiva la videocamera", HA("type", "button"), HA("id", "video-cam"),
            HA("class", "btn btn-outline-primary"), HA("aria-pressed", "false"), HBOOL("disabled", 1));
  html_elem(h, "button", "Termina la chiamata", HA("type", "button"), HA("id", "video-hangup"),
            HA("class", "btn btn-danger"), HBOOL("disabled", 1));
  html_close(h, "div");
  html_close(h, "div");
  html_open(h, "div", HA("class", "col-lg-4"));
  html_elem(h, "h2", "Chat", HA("class", "h4"));
  html_open(h, "ol", HA("id", "video-chat-log"), HA("class", "list-unstyled video-chat-log"),
            HA("aria-live", "polite"), HA("aria-label", "Messaggi della chat"));
  html_close(h, "ol");
  html_open(h, "form", HA("id", "video-chat-form"), HA("method", "post"),
            HA("action", arena_printf(a, "%s/messaggi", c->base)));
  html_void(h, "input", HA("type", "hidden"), HA("name", "_csrf"), HA("value", rq->csrf));
  html_void(h, "input", HA("type", "hidden"), HA("name", "kind"), HA("value", "chat"));
  html_open(h, "div", HA("class", "form-group"));
  html_elem(h, "label", "Scrivi un messaggio", HA("for", "video-chat-text"), HA("class", "active"));
  html_open(h, "textarea", HA("id", "video-chat-text"), HA("name", "text"), HA("rows", "3"),
            HA("maxlength", "1000"), HA("class", "form-control"));
  html_close(h, "textarea");
  html_close(h, "div");
  html_elem(h, "button", "Invia", HA("type", "submit"), HA("class", "btn btn-primary"));
  html_close(h, "form");
  html_close(h, "div");
  html_close(h, "div");
  html_close(h, "div");
  html_open(h, "script", HA("src", url_static(a, "js/video.js")), HBOOL("defer", 1));
  html_close(h, "script");
}

static json_t *msg_json(const video_msg *m) {
  char iso[20];
  ag_local_iso_format(m->created_at, iso);
  return json_pack("{s:I,s:s,s:s,s:s,s:s%}", "seq", (json_int_t)m->seq, "from", m->sender, "kind", m->kind,
                   "body", m->body, "at", iso + 11, (size_t)5);
}

static err_code send_json(response *rs, int status, json_t *j) {
  if (!j) return ERR_INTERNAL;
  char *s = json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII);
  json_decref(j);
  if (!s) return ERR_INTERNAL;
  rs->status = status;
  rs->content_type = "application/json";
  sb_append(&rs->body, s);
  free(s);
  return ERR_OK;
}

/* The ICE servers: stun: URLs as they are, turn:/turns: URLs with the
 * caller's ephemeral credentials. */
static json_t *ice_servers(request *rq, const vr_ctx *c) {
  json_t *list = json_array(), *stun = json_array(), *turn = json_array();
  char *urls = arena_strdup(rq->a, config_str("video", "turn_urls"));
  for (char *save = NULL, *u = strtok_r(urls, ",", &save); u; u = strtok_r(NULL, ",", &save)) {
    while (*u == ' ') u++;
    if (!*u) continue;
    if (strncmp(u, "stun:", 5) == 0 || strncmp(u, "stuns:", 6) == 0)
      json_array_append_new(stun, json_string(u));
    else if (strncmp(u, "turn:", 5) == 0 || strncmp(u, "turns:", 6) == 0)
      json_array_append_new(turn, json_string(u));
  }
  if (json_array_size(stun)) json_array_append_new(list, json_pack("{s:O}", "urls", stun));
  char *uname = NULL, *pass = NULL;
  if (json_array_size(turn) && video_turn_credentials(rq->a, &c->r, clock_now(), &uname, &pass) == ERR_OK)
    json_array_append_new(list,
                          json_pack("{s:O,s:s,s:s}", "urls", turn, "username", uname, "credential", pass));
  json_decref(stun);
  json_decref(turn);
  return list;
}

err_code vr_config(request *rq, response *rs, const vr_ctx *c) {
  err_code rc = video_room_open(&c->r, clock_now());
  if (rc != ERR_OK) return rc;
  int64_t seq = 0;
  if ((rc = video_last_seq(rq->db, &c->r, &seq)) != ERR_OK) return rc;
  video_msg *m;
  size_t n;
  if ((rc = video_chat(rq->db, rq->a, c->r.ap.ente_id, c->r.ap.id, &m, &n)) != ERR_OK) return rc;
  json_t *chat = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(chat, msg_json(&m[i]));
  char opens[20], closes[20];
  ag_local_iso_format(c->r.opens_at, opens);
  ag_local_iso_format(c->r.closes_at, closes);
  return send_json(
      rs, 200,
      json_pack("{s:s,s:I,s:s,s:s,s:o,s:o}", "role", c->r.role == VIDEO_OPERATOR ? "operator" : "citizen",
                "seq", (json_int_t)seq, "opens_at", opens, "closes_at", closes, "chat", chat, "iceServers",
                ice_servers(rq, c)));
}

static int64_t parse_seq(const char *s) {
  if (!s || !*s || strlen(s) > 18) return 0;
  int64_t v = 0;
  for (const char *p = s; *p; p++) {
    if (*p < '0' || *p > '9') return 0;
    v = v * 10 + (*p - '0');
  }
  return v;
}

err_code vr_events(request *rq, response *rs, const vr_ctx *c) {
  err_code rc = video_room_open(&c->r, clock_now());
  if (rc != ERR_OK) return rc;
  int64_t after = parse_seq(rq_query(rq, "dopo"));
  int64_t last = parse_seq(rq_header(rq, "Last-Event-ID"));
  if (last > after) after = last;
  video_msg *m;
  size_t n;
  if ((rc = video_messages(rq->db, rq->a, &c->r, after, &m, &n)) != ERR_OK) return rc;
  rs->content_type = "text/event-stream; charset=utf-8";
  /* the stream ends here; EventSource comes back after `retry` ms with
   * Last-Event-ID, or at once when a full batch was cut short */
  sb_append(&rs->body, n >= VIDEO_MAX_BATCH ? "retry: 50\n\n" : "retry: 400\n\n");
  for (size_t i = 0; i < n; i++) {
    json_t *j = msg_json(&m[i]);
    char *s = j ? json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
    json_decref(j);
    if (!s) return ERR_INTERNAL;
    sb_appendf(&rs->body, "id: %lld\ndata: %s\n\n", (long long)m[i].seq, s);
    free(s);
  }
  return ERR_OK;
}

err_code vr_post(request *rq, response *rs, vr_ctx *c) {
  problem pb = {0};
  int64_t seq = 0;
  err_code rc =
      video_post(rq->db, rq->a, &rq->who, &c->r, rq_form(rq, "kind"), rq_form(rq, "text"), &seq, &pb);
  if (rc == ERR_INVALID) {
    rs_invalid_field(rq, rs, OUT_JSON, pb.field ? pb.field : "text", pb.message);
    return ERR_OK;
  }
  if (rc != ERR_OK) return rc;
  return send_json(rs, 201, json_pack("{s:I}", "seq", (json_int_t)seq));
}
