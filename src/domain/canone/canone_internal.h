/* Helpers shared by the files of src/domain/canone (not its API). */
#ifndef SP_CANONE_INTERNAL_H
#define SP_CANONE_INTERNAL_H
#include "domain/canone/canone.h"
#include "domain/notify/notify.h"

/* Computes the fee of o's data and issues the act for it less
 * already_cents, with its notice job (canone.notice); when nothing is due
 * no act is issued (o->act_id 0). Inside the caller's transaction. */
err_code occ_issue(db *d, arena *a, const actor *who, occupation *o, const case_rec *c, int64_t already_cents,
                   problems *pbs);
/* One mail about the occupation's case to `to` (outbox, threaded on the
 * case, tagged [Pratica ...]) registered in the protocol as outgoing;
 * att may be NULL. Inside the caller's transaction. */
err_code occ_mail(db *d, arena *a, const occupation_notice *n, const char *to, const char *subject,
                  const char *body, notify_attachment *att, size_t n_att, const char *correspondent);

#endif
