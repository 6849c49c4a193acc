/* SQL of the video area (video_store.c); included only inside src/domain/video. */
#ifndef SP_VIDEO_STORE_H
#define SP_VIDEO_STORE_H
#include "domain/video/video.h"

/* The appointment id and bound operator of a room hash (video rooms only). */
err_code vs_room_by_hash(db *d, int64_t ente_id, const char *hash, int64_t *appt_id, int64_t *operator_id);
/* The bound operator of a video appointment (0 for none). */
err_code vs_room_operator(db *d, int64_t ente_id, int64_t appt_id, int64_t *operator_id);
/* Binds the operator if none is bound yet; ERR_NOT_FOUND if another is. */
err_code vs_bind_operator(db *d, int64_t ente_id, int64_t appt_id, int64_t user_id);
/* Increments the room's seq under the appointment's row lock. */
err_code vs_next_seq(db *d, int64_t ente_id, int64_t appt_id, int64_t *seq);
err_code vs_last_seq(db *d, int64_t ente_id, int64_t appt_id, int64_t *seq);
err_code vs_count_since(db *d, int64_t appt_id, const char *sender, int64_t since, int64_t *n);
err_code vs_insert(db *d, int64_t ente_id, int64_t appt_id, int64_t seq, const char *sender, const char *kind,
                   const char *body, int64_t now);
err_code vs_list(db *d, arena *a, int64_t ente_id, int64_t appt_id, int64_t after, const char *other,
                 video_msg **out, size_t *n);
err_code vs_prune_signals(db *d, int64_t before);
err_code vs_chat(db *d, arena *a, int64_t ente_id, int64_t appt_id, video_msg **out, size_t *n);

#endif
