/* Video appointments (C6): the room of a video appointment, who may join
 * it and when, the messages between its two peers (WebRTC signalling and
 * the text chat) and the TURN credentials of a call.
 *
 * The room is bound to the appointment. Its id is 128 random bits from the
 * OS generator (libsodium's randombytes), 32 hex digits, shown once to the
 * citizen (confirmation mail, API answer); only its SHA-256 is stored, so a
 * lookup compares hashes and the id cannot be read back from the database.
 * The room opens video.open_before_minutes before the appointment and
 * closes video.close_after_minutes after its end. Who joins:
 *   - the citizen, by the room id of their link;
 *   - an operator signed in and enabled on the Ente (the route checks
 *     that); the first operator who speaks in the room is bound to it and
 *     any other is refused from then on.
 * Messages: signalling (join, offer, answer, candidate, bye) goes to the
 * other peer only and is transient; chat goes to both and stays with the
 * appointment. Sizes and rates are limited per sender. */
#ifndef SP_VIDEO_H
#define SP_VIDEO_H
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/error.h"
#include "db/db.h"
#include "domain/agenda/agenda.h"
#include "domain/audit/audit.h"

enum {
  VIDEO_ROOM_HEX = AG_ROOM_HEX, /* 32 hex digits */
  VIDEO_MAX_SIGNAL = 16384,     /* bytes of one offer/answer/candidate */
  VIDEO_MAX_CHAT = 1000,        /* characters of one chat message */
  VIDEO_MAX_BATCH = 200,        /* messages returned by one read */
  VIDEO_TURN_PASSWORD = 28,     /* base64 of an HMAC-SHA1 (20 bytes) */
};

typedef enum { VIDEO_CITIZEN = 0, VIDEO_OPERATOR = 1 } video_role;

typedef struct {
  ag_appt ap;
  int64_t operator_id; /* the bound operator; 0 until one speaks */
  int64_t opens_at, closes_at;
  video_role role; /* who is asking */
  int64_t user_id; /* the operator asking (VIDEO_OPERATOR) */
} video_room;

typedef struct {
  int64_t seq;
  char *sender; /* "citizen", "operator" */
  char *kind;   /* join, offer, answer, candidate, bye, chat */
  char *body;
  int64_t created_at;
} video_msg;

/* 1 if s is a well-formed room id (32 lowercase hex digits). */
int video_room_id_ok(const char *s);
/* SHA-256 hex of a room id, as stored. */
void video_room_hash(const char *room_id, char out[65]);
/* A new room id (32 hex digits + NUL) from the OS generator. */
void video_room_new(char out[VIDEO_ROOM_HEX + 1]);

/* The room's window from the appointment and the configuration. */
void video_window(int64_t start, int64_t end, int64_t *opens_at, int64_t *closes_at);

/* The room of a room id for the citizen. ERR_NOT_FOUND for a malformed or
 * unknown id, another Ente's room, a cancelled or moved appointment. */
err_code video_room_citizen(db *d, arena *a, int64_t ente_id, const char *room_id, video_room *out);
/* The room of appointment id for the citizen who holds its cancel/change
 * token (the caller found the appointment by the token). ERR_NOT_FOUND as
 * above. */
err_code video_room_citizen_appt(db *d, arena *a, int64_t ente_id, int64_t appt_id, video_room *out);
/* The room of appointment id for the operator user_id (enabled on the
 * Ente: checked by the route). ERR_NOT_FOUND if it is not a video
 * appointment of the Ente (or was cancelled/moved), ERR_VIDEO_OPERATOR if
 * another operator is bound to it. */
err_code video_room_operator(db *d, arena *a, int64_t ente_id, int64_t appt_id, int64_t user_id,
                             video_room *out);
/* ERR_OK while the room is open at now, ERR_VIDEO_NOT_OPEN before,
 * ERR_VIDEO_CLOSED after (or once the appointment is no longer booked or
 * attended). */
err_code video_room_open(const video_room *r, int64_t now);

/* Posts a message of the asker: kind one of join, offer, answer,
 * candidate, bye (body: a JSON object of at most VIDEO_MAX_SIGNAL bytes)
 * or chat (text, 1..VIDEO_MAX_CHAT characters). The room must be open;
 * more than video.messages_per_minute from one sender is ERR_RATE_LIMITED.
 * An operator's first message binds them to the room (audited); a chat
 * message is audited too. ERR_INVALID (field in *pb). *seq gets the
 * message's number. */
err_code video_post(db *d, arena *a, const actor *who, video_room *r, const char *kind, const char *body,
                    int64_t *seq, problem *pb);
/* Messages after seq the asker may read (the other's signals, every chat
 * message), by seq, at most VIDEO_MAX_BATCH. */
err_code video_messages(db *d, arena *a, const video_room *r, int64_t after, video_msg **out, size_t *n);
/* The chat of an appointment, by seq. */
err_code video_chat(db *d, arena *a, int64_t ente_id, int64_t appt_id, video_msg **out, size_t *n);
/* The room's last seq (0 when empty). */
err_code video_last_seq(db *d, const video_room *r, int64_t *seq);

/* Deletes the signalling messages older than a day (their rooms are long
 * closed); the chat stays. Run by the housekeeping job. */
err_code video_prune(db *d, int64_t now);

/* coturn's REST API credentials (use-auth-secret): username
 * "<expiry>:<tag>", password base64(HMAC-SHA1(secret, username)).
 * video_turn_password writes VIDEO_TURN_PASSWORD characters + NUL; -1 on
 * failure. */
int video_turn_password(const char *secret, const char *username, char out[VIDEO_TURN_PASSWORD + 1]);
/* Credentials for the asker of r valid for video.credential_ttl seconds
 * from now; ERR_NOT_FOUND when no TURN secret is configured. */
err_code video_turn_credentials(arena *a, const video_room *r, int64_t now, char **username, char **password);

#endif
