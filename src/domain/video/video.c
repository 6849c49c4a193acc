/* Rules of the video room: window, who joins, messages, TURN credentials. */
#include "domain/video/video.h"

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/config.h"
#include "core/text.h"
#include "domain/video/video_store.h"

static const char *const SIGNAL_KINDS[] = {"join", "offer", "answer", "candidate", "bye", NULL};

int video_room_id_ok(const char *s) {
  if (!s || strlen(s) != VIDEO_ROOM_HEX) return 0;
  for (const char *p = s; *p; p++)
    if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) return 0;
  return 1;
}

void video_room_hash(const char *room_id, char out[65]) {
  unsigned char md[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(md, (const unsigned char *)room_id, strlen(room_id));
  sodium_bin2hex(out, 65, md, sizeof md);
}

void video_room_new(char out[VIDEO_ROOM_HEX + 1]) {
  unsigned char buf[VIDEO_ROOM_HEX / 2];
  randombytes_buf(buf, sizeof buf); /* getrandom(2): the OS generator */
  sodium_bin2hex(out, VIDEO_ROOM_HEX + 1, buf, sizeof buf);
}

void video_window(int64_t start, int64_t end, int64_t *opens_at, int64_t *closes_at) {
  *opens_at = start - config_int("video", "open_before_minutes") * 60;
  *closes_at = end + config_int("video", "close_after_minutes") * 60;
}

static err_code load(db *d, arena *a, int64_t ente_id, int64_t appt_id, video_room *out) {
  err_code rc = agenda_get(d, a, ente_id, appt_id, &out->ap);
  if (rc != ERR_OK) return rc;
  if (!out->ap.video || out->ap.state == AG_CANCELLED || out->ap.state == AG_MOVED) return ERR_NOT_FOUND;
  video_window(out->ap.start, out->ap.end, &out->opens_at, &out->closes_at);
  return ERR_OK;
}

err_code video_room_citizen(db *d, arena *a, int64_t ente_id, const char *room_id, video_room *out) {
  memset(out, 0, sizeof *out);
  if (!video_room_id_ok(room_id)) return ERR_NOT_FOUND;
  if (sodium_init() < 0) return ERR_INTERNAL;
  char h[65];
  video_room_hash(room_id, h);
  int64_t id = 0;
  err_code rc = vs_room_by_hash(d, ente_id, h, &id, &out->operator_id);
  if (rc != ERR_OK) return rc;
  out->role = VIDEO_CITIZEN;
  return load(d, a, ente_id, id, out);
}

err_code video_room_citizen_appt(db *d, arena *a, int64_t ente_id, int64_t appt_id, video_room *out) {
  memset(out, 0, sizeof *out);
  if (appt_id <= 0) return ERR_NOT_FOUND;
  err_code rc = vs_room_operator(d, ente_id, appt_id, &out->operator_id);
  if (rc != ERR_OK) return rc;
  out->role = VIDEO_CITIZEN;
  return load(d, a, ente_id, appt_id, out);
}

err_code video_room_operator(db *d, arena *a, int64_t ente_id, int64_t appt_id, int64_t user_id,
                             video_room *out) {
  memset(out, 0, sizeof *out);
  if (appt_id <= 0 || user_id <= 0) return ERR_NOT_FOUND;
  err_code rc = vs_room_operator(d, ente_id, appt_id, &out->operator_id);
  if (rc != ERR_OK) return rc;
  if (out->operator_id && out->operator_id != user_id) return ERR_VIDEO_OPERATOR;
  out->role = VIDEO_OPERATOR;
  out->user_id = user_id;
  return load(d, a, ente_id, appt_id, out);
}

err_code video_room_open(const video_room *r, int64_t now) {
  if (r->ap.state != AG_BOOKED && r->ap.state != AG_ATTENDED) return ERR_VIDEO_CLOSED;
  if (now < r->opens_at) return ERR_VIDEO_NOT_OPEN;
  if (now >= r->closes_at) return ERR_VIDEO_CLOSED;
  return ERR_OK;
}

static const char *role_name(video_role r) { return r == VIDEO_OPERATOR ? "operator" : "citizen"; }

static err_code bad(problem *pb, const char *field, const char *msg) {
  if (pb) *pb = (problem){ERR_INVALID, field, msg};
  return ERR_INVALID;
}

/* The kind is known and the body fits it. */
static err_code validate(const char *kind, const char *body, problem *pb) {
  if (!kind) return bad(pb, "kind", "Tipo di messaggio mancante.");
  if (strcmp(kind, "chat") == 0) {
    if (!body) return bad(pb, "body", "Scrivi un messaggio.");
    size_t n = strlen(body);
    if (text_check(body, n, 1) != TEXT_OK)
      return bad(pb, "body", "Il messaggio contiene caratteri non ammessi.");
    size_t chars = text_utf8_len(body);
    int blank = 1;
    for (const char *p = body; *p; p++)
      if (*p != ' ' && *p != '\n' && *p != '\r' && *p != '\t') blank = 0;
    if (chars == 0 || blank) return bad(pb, "body", "Scrivi un messaggio.");
    if (chars > VIDEO_MAX_CHAT)
      return bad(pb, "body", "Il messaggio è troppo lungo: al massimo 1000 caratteri.");
    return ERR_OK;
  }
  int known = 0;
  for (size_t i = 0; SIGNAL_KINDS[i]; i++)
    if (strcmp(kind, SIGNAL_KINDS[i]) == 0) known = 1;
  if (!known) return bad(pb, "kind", "Tipo di messaggio sconosciuto.");
  if (!body || !*body) body = "{}";
  size_t n = strlen(body);
  if (n > VIDEO_MAX_SIGNAL) return bad(pb, "body", "Messaggio di segnalazione troppo grande.");
  json_error_t je;
  json_t *j = json_loadb(body, n, JSON_REJECT_DUPLICATES, &je);
  int obj = j && json_is_object(j);
  json_decref(j);
  if (!obj) return bad(pb, "body", "Il messaggio di segnalazione deve essere un oggetto JSON.");
  return ERR_OK;
}

typedef struct {
  arena *a;
  const actor *who;
  video_room *r;
  const char *kind, *body;
  int64_t seq, now;
} post_tx;

static err_code post_tx_fn(db *d, void *ctx) {
  post_tx *t = ctx;
  video_room *r = t->r;
  int64_t ente_id = r->ap.ente_id, id = r->ap.id;
  const char *sender = role_name(r->role);
  /* the row lock on the appointment orders the room's writers */
  err_code rc = vs_next_seq(d, ente_id, id, &t->seq);
  if (rc != ERR_OK) return rc;
  int64_t recent = 0;
  if ((rc = vs_count_since(d, id, sender, t->now - 60, &recent)) != ERR_OK) return rc;
  if (recent >= config_int("video", "messages_per_minute")) return ERR_RATE_LIMITED;
  if (r->role == VIDEO_OPERATOR) {
    int64_t bound = 0;
    if ((rc = vs_room_operator(d, ente_id, id, &bound)) != ERR_OK) return rc;
    if (bound && bound != r->user_id) return ERR_VIDEO_OPERATOR;
    if (!bound) {
      if ((rc = vs_bind_operator(d, ente_id, id, r->user_id)) != ERR_OK) return rc;
      rc = audit_write_json(d, t->who, ente_id, "video.operator", "agenda_appointment", id, NULL,
                            json_pack("{s:I}", "operator", (json_int_t)r->user_id));
      if (rc != ERR_OK) return rc;
      r->operator_id = r->user_id;
    }
  }
  if ((rc = vs_insert(d, ente_id, id, t->seq, sender, t->kind, t->body, t->now)) != ERR_OK) return rc;
  if (strcmp(t->kind, "chat") == 0)
    return audit_write_json(
        d, t->who, ente_id, "video.chat", "agenda_appointment", id, NULL,
        json_pack("{s:I,s:s,s:s}", "seq", (json_int_t)t->seq, "sender", sender, "text", t->body));
  return ERR_OK;
}

err_code video_post(db *d, arena *a, const actor *who, video_room *r, const char *kind, const char *body,
                    int64_t *seq, problem *pb) {
  err_code rc = validate(kind, body, pb);
  if (rc != ERR_OK) return rc;
  if (strcmp(kind, "chat") != 0 && (!body || !*body)) body = "{}";
  int64_t now = clock_now();
  if ((rc = video_room_open(r, now)) != ERR_OK) return rc;
  post_tx t = {a, who, r, kind, body, 0, now};
  rc = db_tx_locking(d, post_tx_fn, &t);
  if (rc == ERR_OK && seq) *seq = t.seq;
  return rc;
}

err_code video_messages(db *d, arena *a, const video_room *r, int64_t after, video_msg **out, size_t *n) {
  const char *other = r->role == VIDEO_OPERATOR ? "citizen" : "operator";
  return vs_list(d, a, r->ap.ente_id, r->ap.id, after < 0 ? 0 : after, other, out, n);
}

err_code video_chat(db *d, arena *a, int64_t ente_id, int64_t appt_id, video_msg **out, size_t *n) {
  return vs_chat(d, a, ente_id, appt_id, out, n);
}

err_code video_last_seq(db *d, const video_room *r, int64_t *seq) {
  return vs_last_seq(d, r->ap.ente_id, r->ap.id, seq);
}

static err_code prune_tx_fn(db *d, void *ctx) { return vs_prune_signals(d, *(const int64_t *)ctx - 86400); }

err_code video_prune(db *d, int64_t now) { return db_tx(d, prune_tx_fn, &now); }

int video_turn_password(const char *secret, const char *username, char out[VIDEO_TURN_PASSWORD + 1]) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!secret || !username) return -1;
  if (!HMAC(EVP_sha1(), secret, (int)strlen(secret), (const unsigned char *)username, strlen(username), md,
            &len) ||
      len != 20)
    return -1;
  sodium_bin2base64(out, VIDEO_TURN_PASSWORD + 1, md, len, sodium_base64_VARIANT_ORIGINAL);
  return 0;
}

err_code video_turn_credentials(arena *a, const video_room *r, int64_t now, char **username,
                                char **password) {
  const char *secret = config_str("video", "turn_secret");
  if (!*secret) return ERR_NOT_FOUND;
  if (sodium_init() < 0) return ERR_INTERNAL;
  /* the tag names the appointment and the side, never the room id */
  *username =
      arena_printf(a, "%lld:sportello-%lld-%lld-%c", (long long)(now + config_int("video", "credential_ttl")),
                   (long long)r->ap.ente_id, (long long)r->ap.id, r->role == VIDEO_OPERATOR ? 'o' : 'c');
  *password = arena_alloc(a, VIDEO_TURN_PASSWORD + 1);
  if (video_turn_password(secret, *username, *password) != 0) return ERR_INTERNAL;
  return ERR_OK;
}
