/* Video appointments on both backends: the room id (32 hex digits, stored
 * only as its SHA-256), who joins (the citizen by the id, a guessed or
 * malformed id or another Ente refused; the first operator who speaks is
 * bound, another refused), the window (opens 10 minutes before, closes 30
 * after the end), messages (the other's signals and every chat message,
 * sizes, kinds, rate), the chat kept on the appointment with audit rows,
 * and the TURN credential against an HMAC-SHA1 vector computed with
 * `openssl dgst -sha1 -hmac`. Time is pinned with SPORTELLO_TEST_NOW. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/date.h"
#include "core/problems.h"
#include "domain/agenda/agenda.h"
#include "domain/video/video.h"
#include "fixture.h"

static testdb T;
static db *D;
static ente E, E2;
static int64_t TOPIC, OP1, OP2;
static ag_appt AP;    /* the booked video appointment */
static char ROOM[33]; /* its room id, as shown once */
static int64_t START; /* Monday 30 November 2026, 10:00 */

static void set_now_utc(int64_t t) {
  char buf[32];
  snprintf(buf, sizeof buf, "%lld", (long long)t);
  setenv("SPORTELLO_TEST_NOW", buf, 1);
}

static void make_ente(const char *slug, uint32_t seed, ente *out) {
  arena *a = arena_new();
  int64_t id = fx_ente(D, slug, seed);
  assert_int_equal(ente_get(D, a, id, out), ERR_OK);
  out->slug = strdup(out->slug);
  out->name = strdup(out->name);
  out->fiscal_code = strdup(out->fiscal_code);
  out->patron_day = NULL;
  out->mail_info = NULL;
  arena_free(a);
}

static int64_t make_user(const char *name, int64_t ente_id) {
  user u = {0};
  u.username = (char *)name;
  u.full_name = (char *)name;
  char email[80];
  snprintf(email, sizeof email, "%s@example.org", name);
  u.email = email;
  u.role = ROLE_ENTE_STAFF;
  int64_t ids[1] = {ente_id}, id = 0;
  arena *a = arena_new();
  problems pbs = {0};
  assert_int_equal(user_create(D, a, &u, "password-lunga-2026", ids, 1, &fx_cli, &id, &pbs), ERR_OK);
  arena_free(a);
  return id;
}

static int setup(void **state) {
  D = fx_open(&T, "domain_video");
  set_now_utc(ag_local_to_utc((civil_date){2026, 11, 23}, 8 * 60));
  make_ente("video-uno", 9101, &E);
  make_ente("video-due", 9102, &E2);
  problem pb = {0};
  int64_t counter = 0;
  assert_int_equal(agenda_counter_add(D, &fx_cli, E.id, "Sportello video", NULL, &counter, &pb), ERR_OK);
  arena *a = arena_new();
  assert_int_equal(agenda_hours_add(D, a, &fx_cli, E.id, counter, 1, 9 * 60, 13 * 60, "2026-01-01", &pb),
                   ERR_OK);
  assert_int_equal(agenda_topic_add(D, &fx_cli, E.id, "tari", "TARI", &TOPIC, &pb), ERR_OK);
  ag_avail av = {.counter_id = counter,
                 .topic_id = TOPIC,
                 .video = 1,
                 .slot_minutes = 30,
                 .buffer_minutes = 0,
                 .capacity = 1,
                 .horizon_days = 60,
                 .notice_minutes = 0};
  assert_int_equal(agenda_open(D, &fx_cli, E.id, &av, &pb), ERR_OK);
  START = ag_local_to_utc((civil_date){2026, 11, 30}, 10 * 60);
  ag_booking b = {.topic_id = TOPIC,
                  .counter_id = counter,
                  .video = 1,
                  .start = START,
                  .name = "Maria Rossi",
                  .fiscal_code = "RSSMRA80A01H501U",
                  .email = "maria.rossi@example.org",
                  .reason = "TARI",
                  .privacy_consent = 1,
                  .channel = "web"};
  char *tok = NULL;
  assert_int_equal(agenda_book(D, a, &E, &fx_cli, &b, &AP, &tok, &pb), ERR_OK);
  assert_non_null(AP.room_id);
  assert_int_equal(strlen(AP.room_id), 32);
  memcpy(ROOM, AP.room_id, 33);
  AP.room_id = NULL;
  OP1 = make_user("video.op1", E.id);
  OP2 = make_user("video.op2", E.id);
  arena_free(a);
  return 0;
}

static int teardown(void **state) {
  fx_close(&T, D);
  return 0;
}

/* Only the SHA-256 of the id is stored; the mail carries the link. */
static void test_room_stored_hashed(void **state) {
  assert_true(video_room_id_ok(ROOM));
  char h[65];
  video_room_hash(ROOM, h);
  assert_int_equal(fx_count(D,
                            "SELECT count(*) FROM agenda_appointment WHERE room_id IS NULL AND "
                            "video = 1 AND id = ?",
                            AP.id),
                   1);
  arena *a = arena_new();
  int64_t n = fx_count(D,
                       arena_printf(a,
                                    "SELECT count(*) FROM agenda_appointment WHERE room_hash = "
                                    "'%s' AND id = ?",
                                    h),
                       AP.id);
  assert_int_equal(n, 1);
  n = fx_count(D,
               arena_printf(a,
                            "SELECT count(*) FROM outbox WHERE body_text LIKE '%%/enti/%s/video/%s%%' "
                            "AND object_id = ?",
                            E.slug, ROOM),
               AP.id);
  assert_int_equal(n, 1);
  /* two new ids differ and are well formed */
  char r1[33], r2[33];
  video_room_new(r1);
  video_room_new(r2);
  assert_true(video_room_id_ok(r1));
  assert_string_not_equal(r1, r2);
  arena_free(a);
}

static void test_who_joins(void **state) {
  arena *a = arena_new();
  video_room r;
  assert_int_equal(video_room_citizen(D, a, E.id, ROOM, &r), ERR_OK);
  assert_int_equal(r.ap.id, AP.id);
  assert_int_equal(r.role, VIDEO_CITIZEN);
  /* a guessed id, a malformed one, another Ente's */
  char guess[33];
  video_room_new(guess);
  assert_int_equal(video_room_citizen(D, a, E.id, guess, &r), ERR_NOT_FOUND);
  char upper[33];
  memcpy(upper, ROOM, 33);
  for (char *p = upper; *p; p++)
    if (*p >= 'a' && *p <= 'f') *p = (char)(*p - 32);
  assert_int_equal(video_room_citizen(D, a, E.id, upper, &r), strcmp(upper, ROOM) ? ERR_NOT_FOUND : ERR_OK);
  assert_int_equal(video_room_citizen(D, a, E.id, "abc", &r), ERR_NOT_FOUND);
  assert_int_equal(video_room_citizen(D, a, E2.id, ROOM, &r), ERR_NOT_FOUND);
  /* the operator: by appointment, of this Ente only */
  assert_int_equal(video_room_operator(D, a, E.id, AP.id, OP1, &r), ERR_OK);
  assert_int_equal(r.role, VIDEO_OPERATOR);
  assert_int_equal(video_room_operator(D, a, E2.id, AP.id, OP1, &r), ERR_NOT_FOUND);
  arena_free(a);
}

static void test_window(void **state) {
  arena *a = arena_new();
  video_room r;
  assert_int_equal(video_room_citizen(D, a, E.id, ROOM, &r), ERR_OK);
  assert_int_equal(r.opens_at, START - 10 * 60);
  assert_int_equal(r.closes_at, START + 30 * 60 + 30 * 60);
  assert_int_equal(video_room_open(&r, START - 10 * 60 - 1), ERR_VIDEO_NOT_OPEN);
  assert_int_equal(video_room_open(&r, START - 10 * 60), ERR_OK);
  assert_int_equal(video_room_open(&r, START + 59 * 60), ERR_OK);
  assert_int_equal(video_room_open(&r, START + 60 * 60), ERR_VIDEO_CLOSED);
  /* a message outside the window is refused */
  set_now_utc(START - 3600);
  problem pb = {0};
  assert_int_equal(video_post(D, a, &fx_cli, &r, "join", "{}", NULL, &pb), ERR_VIDEO_NOT_OPEN);
  set_now_utc(START + 3600);
  assert_int_equal(video_post(D, a, &fx_cli, &r, "chat", "ciao", NULL, &pb), ERR_VIDEO_CLOSED);
  arena_free(a);
}

static void test_messages_and_operator(void **state) {
  arena *a = arena_new();
  set_now_utc(START - 5 * 60);
  video_room c, o1, o2;
  assert_int_equal(video_room_citizen(D, a, E.id, ROOM, &c), ERR_OK);
  assert_int_equal(video_room_operator(D, a, E.id, AP.id, OP1, &o1), ERR_OK);
  problem pb = {0};
  int64_t seq = 0;
  int64_t audits = fx_audit_count(D, "video.chat");
  assert_int_equal(video_post(D, a, &fx_cli, &c, "join", "{}", &seq, &pb), ERR_OK);
  assert_int_equal(seq, 1);
  /* the first operator who speaks is bound to the room */
  assert_int_equal(video_post(D, a, &fx_cli, &o1, "offer", "{\"type\":\"offer\",\"sdp\":\"v=0\"}", &seq, &pb),
                   ERR_OK);
  assert_int_equal(fx_audit_count(D, "video.operator"), 1);
  assert_int_equal(video_room_operator(D, a, E.id, AP.id, OP2, &o2), ERR_VIDEO_OPERATOR);
  assert_int_equal(video_room_operator(D, a, E.id, AP.id, OP1, &o2), ERR_OK);
  assert_int_equal(video_post(D, a, &fx_cli, &c, "chat", "Buongiorno, mi sente?", &seq, &pb), ERR_OK);
  assert_int_equal(video_post(D, a, &fx_cli, &o1, "chat", "Sì, la sento.", &seq, &pb), ERR_OK);
  assert_int_equal(fx_audit_count(D, "video.chat"), audits + 2);
  /* each side reads the other's signals and every chat message */
  video_msg *m;
  size_t n;
  assert_int_equal(video_messages(D, a, &o1, 0, &m, &n), ERR_OK);
  assert_int_equal(n, 3); /* join, chat, chat */
  assert_string_equal(m[0].kind, "join");
  assert_string_equal(m[0].sender, "citizen");
  assert_string_equal(m[2].body, "Sì, la sento.");
  assert_int_equal(video_messages(D, a, &c, 0, &m, &n), ERR_OK);
  assert_int_equal(n, 3); /* offer, chat, chat */
  assert_string_equal(m[0].kind, "offer");
  assert_int_equal(video_messages(D, a, &c, m[1].seq, &m, &n), ERR_OK);
  assert_int_equal(n, 1);
  int64_t last = 0;
  assert_int_equal(video_last_seq(D, &c, &last), ERR_OK);
  assert_int_equal(last, 4);
  /* the chat stays with the appointment, after the room closed too */
  set_now_utc(START + 2 * 3600);
  assert_int_equal(video_chat(D, a, E.id, AP.id, &m, &n), ERR_OK);
  assert_int_equal(n, 2);
  assert_string_equal(m[0].sender, "citizen");
  assert_int_equal(video_chat(D, a, E2.id, AP.id, &m, &n), ERR_OK);
  assert_int_equal(n, 0);
  fx_audit_ok(D);
  arena_free(a);
}

static void test_limits(void **state) {
  arena *a = arena_new();
  set_now_utc(START);
  video_room c;
  assert_int_equal(video_room_citizen(D, a, E.id, ROOM, &c), ERR_OK);
  problem pb = {0};
  assert_int_equal(video_post(D, a, &fx_cli, &c, "nonsense", "{}", NULL, &pb), ERR_INVALID);
  assert_string_equal(pb.field, "kind");
  assert_int_equal(video_post(D, a, &fx_cli, &c, "offer", "not json", NULL, &pb), ERR_INVALID);
  assert_string_equal(pb.field, "body");
  assert_int_equal(video_post(D, a, &fx_cli, &c, "offer", "[1]", NULL, &pb), ERR_INVALID);
  char *big = arena_alloc(a, VIDEO_MAX_SIGNAL + 2);
  memset(big, ' ', VIDEO_MAX_SIGNAL + 1);
  big[0] = '{';
  big[VIDEO_MAX_SIGNAL - 1] = '}';
  big[VIDEO_MAX_SIGNAL] = 0;
  assert_int_equal(video_post(D, a, &fx_cli, &c, "candidate", big, NULL, &pb), ERR_OK);
  big[VIDEO_MAX_SIGNAL - 1] = ' ';
  big[VIDEO_MAX_SIGNAL] = '}';
  big[VIDEO_MAX_SIGNAL + 1] = 0;
  assert_int_equal(video_post(D, a, &fx_cli, &c, "candidate", big, NULL, &pb), ERR_INVALID);
  char *chat = arena_alloc(a, 2 * VIDEO_MAX_CHAT + 3);
  for (int i = 0; i < VIDEO_MAX_CHAT; i++) memcpy(chat + 2 * i, "è", 2); /* 1000 characters */
  chat[2 * VIDEO_MAX_CHAT] = 0;
  assert_int_equal(video_post(D, a, &fx_cli, &c, "chat", chat, NULL, &pb), ERR_OK);
  strcat(chat, "x");
  assert_int_equal(video_post(D, a, &fx_cli, &c, "chat", chat, NULL, &pb), ERR_INVALID);
  assert_int_equal(video_post(D, a, &fx_cli, &c, "chat", "  \n ", NULL, &pb), ERR_INVALID);
  /* rate: at most video.messages_per_minute per sender in 60 seconds */
  char err[200];
  assert_int_equal(config_set("video", "messages_per_minute", "10", err, sizeof err), 0);
  set_now_utc(START + 600);
  int ok = 0;
  err_code rc = ERR_OK;
  for (int i = 0; i < 12 && rc == ERR_OK; i++) {
    rc = video_post(D, a, &fx_cli, &c, "candidate", "{}", NULL, &pb);
    if (rc == ERR_OK) ok++;
  }
  assert_int_equal(rc, ERR_RATE_LIMITED);
  assert_int_equal(ok, 10);
  set_now_utc(START + 661); /* a minute later the sender may go on */
  assert_int_equal(video_post(D, a, &fx_cli, &c, "candidate", "{}", NULL, &pb), ERR_OK);
  assert_int_equal(config_set("video", "messages_per_minute", "120", err, sizeof err), 0);
  arena_free(a);
}

/* coturn's REST API: password = base64(HMAC-SHA1(secret, "expiry:tag")).
 * Vector: echo -n "1767225600:sportello-1-2-c" |
 *   openssl dgst -sha1 -hmac "sportello-secret" -binary | base64 */
static void test_turn_credentials(void **state) {
  char out[VIDEO_TURN_PASSWORD + 1];
  assert_int_equal(video_turn_password("sportello-secret", "1767225600:sportello-1-2-c", out), 0);
  assert_string_equal(out, "199B4Ibj9tU8hOW/65flb9gycg0=");
  arena *a = arena_new();
  video_room c;
  set_now_utc(START);
  assert_int_equal(video_room_citizen(D, a, E.id, ROOM, &c), ERR_OK);
  char *uname = NULL, *pass = NULL;
  /* no secret configured: no credentials */
  assert_int_equal(video_turn_credentials(a, &c, START, &uname, &pass), ERR_NOT_FOUND);
  char err[200];
  assert_int_equal(config_set("video", "turn_secret", "sportello-secret", err, sizeof err), 0);
  assert_int_equal(config_set("video", "credential_ttl", "600", err, sizeof err), 0);
  assert_int_equal(video_turn_credentials(a, &c, START, &uname, &pass), ERR_OK);
  assert_string_equal(uname, arena_printf(a, "%lld:sportello-%lld-%lld-c", (long long)START + 600,
                                          (long long)E.id, (long long)AP.id));
  assert_int_equal(video_turn_password("sportello-secret", uname, out), 0);
  assert_string_equal(pass, out);
  assert_null(strstr(uname, ROOM)); /* the tag never carries the room id */
  assert_int_equal(config_set("video", "turn_secret", "", err, sizeof err), 0);
  arena_free(a);
}

/* Housekeeping drops the signalling of rooms closed long ago, never the chat. */
static void test_prune(void **state) {
  int64_t signals = fx_count(D, "SELECT count(*) FROM video_message WHERE kind <> 'chat'", 0);
  int64_t chats = fx_count(D, "SELECT count(*) FROM video_message WHERE kind = 'chat'", 0);
  assert_true(signals > 0 && chats > 0);
  assert_int_equal(video_prune(D, START + 3600), ERR_OK); /* nothing a day old yet */
  assert_int_equal(fx_count(D, "SELECT count(*) FROM video_message WHERE kind <> 'chat'", 0), signals);
  assert_int_equal(video_prune(D, START + 2 * 86400), ERR_OK);
  assert_int_equal(fx_count(D, "SELECT count(*) FROM video_message WHERE kind <> 'chat'", 0), 0);
  assert_int_equal(fx_count(D, "SELECT count(*) FROM video_message WHERE kind = 'chat'", 0), chats);
}

/* A cancelled appointment has no room any more. */
static void test_cancelled(void **state) {
  arena *a = arena_new();
  set_now_utc(ag_local_to_utc((civil_date){2026, 11, 23}, 8 * 60));
  problem pb = {0};
  ag_booking b = {.topic_id = TOPIC,
                  .counter_id = AP.counter_id,
                  .video = 1,
                  .start = START + 1800,
                  .name = "Luigi Verdi",
                  .fiscal_code = "RSSMRA80A01H501U",
                  .email = "l.verdi@example.org",
                  .privacy_consent = 1,
                  .channel = "web"};
  ag_appt ap;
  char *tok = NULL;
  assert_int_equal(agenda_book(D, a, &E, &fx_cli, &b, &ap, &tok, &pb), ERR_OK);
  char room[33];
  memcpy(room, ap.room_id, 33);
  video_room r;
  assert_int_equal(video_room_citizen(D, a, E.id, room, &r), ERR_OK);
  assert_int_equal(agenda_cancel(D, a, &E, &fx_cli, tok), ERR_OK);
  assert_int_equal(video_room_citizen(D, a, E.id, room, &r), ERR_NOT_FOUND);
  assert_int_equal(video_room_operator(D, a, E.id, ap.id, OP1, &r), ERR_NOT_FOUND);
  arena_free(a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_room_stored_hashed),
      cmocka_unit_test(test_who_joins),
      cmocka_unit_test(test_window),
      cmocka_unit_test(test_messages_and_operator),
      cmocka_unit_test(test_limits),
      cmocka_unit_test(test_turn_credentials),
      cmocka_unit_test(test_prune),
      cmocka_unit_test(test_cancelled),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
