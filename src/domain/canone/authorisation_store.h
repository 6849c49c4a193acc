/* SQL of the Ente's side of occupations: authorisations and mail replies
 * (only authorisation_store.c has it; only files of src/domain/canone
 * include this). */
#ifndef SP_CANONE_AUTHORISATION_STORE_H
#define SP_CANONE_AUTHORISATION_STORE_H
#include "domain/canone/authorisation.h"

err_code as_auth_by_case(db *d, arena *a, int64_t ente_id, int64_t case_id, occupation_auth *out);
err_code as_auth_by_occ(db *d, arena *a, int64_t ente_id, int64_t occupation_id, occupation_auth *out);
/* Inserts or replaces (by occupation) the authorisation a, not delivered. */
err_code as_auth_put(db *d, const occupation_auth *x, const actor *who);
/* Sets delivered_at once; *changed 0 when it was set already. */
err_code as_auth_set_delivered(db *d, int64_t ente_id, int64_t id, int64_t at, int64_t *changed);

/* An incoming message of a variation case waiting for the Ente, not yet
 * looked at (every Ente). */
typedef struct {
  int64_t msg_id, ente_id, case_id, occupation_id;
  char *sender, *subject, *body, *in_reply_to, *refs, *ente_email;
} as_reply;
err_code as_replies_pending(db *d, arena *a, as_reply **out, size_t *n);
/* Records what message msg_id said; *changed 0 when it was recorded already. */
err_code as_reply_put(db *d, int64_t ente_id, int64_t occupation_id, int64_t msg_id, const char *outcome,
                      int64_t at, int64_t *changed);
/* The Message-IDs of the case's outgoing messages to address `to`. */
err_code as_out_message_ids(db *d, arena *a, int64_t ente_id, int64_t case_id, const char *to, char ***out,
                            size_t *n);
/* The latest 'unclear' reply of the case's occupation, with the message. */
err_code as_reply_flagged(db *d, arena *a, int64_t ente_id, int64_t case_id, occupation_reply_rec *out);

#endif
