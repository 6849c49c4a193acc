/* Links of the front office agenda (declared in link.h). */
#include "core/strbuf.h"
#include "render/link.h"

/* path?k=v&k=v for the non-NULL, non-empty values (pairs, NULL-ended). */
static const char *with_query(arena *a, const char *path, const char *const *kv) {
  strbuf sb;
  sb_init(&sb, 0);
  sb_append(&sb, path);
  char sep = '?';
  for (; kv[0]; kv += 2) {
    if (!kv[1] || !*kv[1]) continue;
    sb_appendf(&sb, "%c%s=%s", sep, kv[0], url_encode(a, kv[1]));
    sep = '&';
  }
  char *s = arena_strdup(a, sb_str(&sb));
  sb_free(&sb);
  return s;
}

const char *url_ente_page(arena *a, const char *ente_slug) {
  return arena_printf(a, "/enti/%s", url_encode(a, ente_slug));
}

const char *url_ente_counters(arena *a, const char *ente_slug) {
  return arena_printf(a, "/enti/%s/sportelli", url_encode(a, ente_slug));
}

const char *url_booking(arena *a, const char *ente_slug) {
  return arena_printf(a, "/enti/%s/prenota", url_encode(a, ente_slug));
}

const char *url_booking_topic(arena *a, const char *ente_slug, const char *topic, const char *week,
                              int video) {
  const char *path = arena_printf(a, "/enti/%s/prenota/%s", url_encode(a, ente_slug), url_encode(a, topic));
  const char *mode = video < 0 ? NULL : video ? "video" : "sportello";
  return with_query(a, path, (const char *const[]){"settimana", week, "modalita", mode, NULL});
}

const char *url_booking_manage(arena *a, const char *ente_slug, const char *token, const char *outcome) {
  const char *path =
      arena_printf(a, "/enti/%s/prenotazione/%s", url_encode(a, ente_slug), url_encode(a, token));
  return with_query(a, path, (const char *const[]){"esito", outcome, NULL});
}

const char *url_booking_cancel(arena *a, const char *ente_slug, const char *token) {
  return arena_printf(a, "/enti/%s/prenotazione/%s/annulla", url_encode(a, ente_slug), url_encode(a, token));
}

const char *url_booking_change(arena *a, const char *ente_slug, const char *token, const char *week) {
  const char *path =
      arena_printf(a, "/enti/%s/prenotazione/%s/sposta", url_encode(a, ente_slug), url_encode(a, token));
  return with_query(a, path, (const char *const[]){"settimana", week, NULL});
}

const char *url_office_agenda(arena *a, const char *ente_slug, const char *day, int week_view) {
  const char *path = arena_printf(a, "/ufficio/%s/agenda", url_encode(a, ente_slug));
  return with_query(a, path,
                    (const char *const[]){"giorno", day, "vista", week_view ? "settimana" : NULL, NULL});
}

const char *url_office_agenda_mark(arena *a, const char *ente_slug, int64_t id) {
  return arena_printf(a, "/ufficio/%s/agenda/%lld/esito", url_encode(a, ente_slug), (long long)id);
}

const char *url_office_agenda_book(arena *a, const char *ente_slug, const char *topic, const char *week) {
  const char *path = arena_printf(a, "/ufficio/%s/agenda/prenota", url_encode(a, ente_slug));
  return with_query(a, path, (const char *const[]){"argomento", topic, "settimana", week, NULL});
}

const char *url_office_counters(arena *a, const char *ente_slug, const char *week, const char *saved) {
  const char *path = arena_printf(a, "/ufficio/%s/sportelli", url_encode(a, ente_slug));
  return with_query(a, path, (const char *const[]){"settimana", week, "salvato", saved, NULL});
}

const char *url_office_counters_action(arena *a, const char *ente_slug, const char *action) {
  return arena_printf(a, "/ufficio/%s/sportelli/%s", url_encode(a, ente_slug), url_encode(a, action));
}

const char *url_video_citizen(arena *a, const char *ente_slug, const char *room_id) {
  return arena_printf(a, "/enti/%s/video/%s", url_encode(a, ente_slug), url_encode(a, room_id));
}

const char *url_office_video(arena *a, const char *ente_slug, int64_t id) {
  return arena_printf(a, "/ufficio/%s/agenda/%lld/video", url_encode(a, ente_slug), (long long)id);
}

const char *url_video_token(arena *a, const char *ente_slug, const char *token) {
  return arena_printf(a, "/enti/%s/prenotazione/%s/video", url_encode(a, ente_slug),
                      url_encode(a, token));
}
