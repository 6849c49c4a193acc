/* Occupations of public land, the Ente's side (issue 9): the authorisation
 * (concessione) the Ente uploads and its delivery to the taxpayer after
 * payment (authorisation.c), and the Ente's approval of a variation by
 * replying to the approval-request mail (occupation_reply.c). */
#ifndef SP_CANONE_AUTHORISATION_H
#define SP_CANONE_AUTHORISATION_H
#include "domain/canone/canone.h"

enum {
  OCC_AUTH_MAX_BYTES = 10 * 1024 * 1024, /* the PDF */
  OCC_AUTH_UPLOAD_BYTES = OCC_AUTH_MAX_BYTES + 1024 * 1024, /* the request carrying it (route limit) */
  OCC_AUTH_MAX_NAME = 200,
};

typedef struct {
  int64_t id, ente_id, occupation_id, case_id, size;
  char *name, *sha256;
  int64_t protocol_entry_id, protocol_number;
  int protocol_year;
  int64_t uploaded_at, delivered_at; /* delivered_at 0: not yet */
} occupation_auth;

/* The Ente uploads the authorisation of the occupation of case_id (a new
 * declaration, not ceased): the content must be a PDF (sniffed with
 * libmagic, never the name or the declared type) of at most
 * OCC_AUTH_MAX_BYTES; stored in the blob store and registered in the
 * protocol as incoming on the case, audited, in one transaction. When the
 * notice is paid already it is mailed to the taxpayer in the same
 * transaction (*delivered = 1), else when the Ente is told of the payment.
 * A new upload replaces one not yet delivered. ERR_INVALID with problems
 * (field "file"); ERR_NOT_FOUND: no occupation on the case;
 * ERR_CASE_STATE: not a new declaration, ceased, or delivered already. */
err_code occupation_authorisation_upload(db *d, arena *a, const actor *who, int64_t ente_id, int64_t case_id,
                                         const char *filename, const void *data, size_t len,
                                         occupation_auth *out, int *delivered, problems *pbs);
/* The authorisation of the occupation of case_id; ERR_NOT_FOUND when none. */
err_code occupation_authorisation_get(db *d, arena *a, int64_t ente_id, int64_t case_id,
                                      occupation_auth *out);
/* Its content (the PDF). */
err_code occupation_authorisation_data(db *d, arena *a, int64_t ente_id, int64_t case_id,
                                       occupation_auth *out, const void **data, size_t *len);
/* Mails the taxpayer the authorisation of occupation_id as a PDF
 * attachment when there is one, the notice is paid and it was not
 * delivered (once: delivered_at is set in the same transaction). Inside
 * the caller's transaction; ERR_OK when there is nothing to do, or no
 * consented e-mail of the taxpayer. */
err_code occ_auth_deliver(db *d, arena *a, int64_t ente_id, int64_t occupation_id, int *delivered);

/* ---- approval by mail (occupation_reply.c) ---- */

/* What a reply says: 1 approved, 0 refused, -1 anything else. The word is
 * the first of the body's first non-empty line or, when that is not one,
 * the subject's first word once "Re:"/"R:"/"Fwd:"/"I:" are removed:
 * APPROVATO/APPROVATA or RIFIUTATO/RIFIUTATA in any case, followed by
 * nothing or a space or punctuation. Body and subject disagreeing: -1. */
int occupation_reply_decision(const char *subject, const char *body);
/* The periodic scan (job canone.replies): each incoming message of a
 * variation case waiting for the Ente, not yet looked at. A reply from the
 * occupation's Ente address that answers (In-Reply-To/References) one of
 * our messages to that address on the case decides with
 * occupation_variation_decide (audited like the page's decision, plus
 * "occupation.decision_by_mail"); one that says neither word flags the
 * case for an operator; anything else is ignored. *n: decisions taken. */
err_code occupation_replies_scan(db *d, arena *a, int *n);

typedef struct {
  int64_t case_message_id, at;
  char *outcome, *sender, *subject, *body;
} occupation_reply_rec;
/* The reply to check by an operator of a variation still pending (the
 * latest 'unclear' one); ERR_NOT_FOUND when none. */
err_code occupation_reply_flagged(db *d, arena *a, int64_t ente_id, int64_t case_id,
                                  occupation_reply_rec *out);

#endif
