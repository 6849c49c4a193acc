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
/* Issues the canone act of o (one "tax" line of amount, due in 30 days;
 * installments > 1: the single option plus the parts, monthly) on the
 * Ente's revenue code, sets o's act and state, and enqueues its notice
 * job (canone.notice). Inside the caller's transaction. */
err_code occ_bill(db *d, arena *a, const actor *who, occupation *o, const char *revenue, const char *description,
                  const char *line_label, int64_t amount, int installments, const int64_t *parts,
                  problems *pbs);
/* One mail about the occupation's case to `to` (outbox, threaded on the
 * case, tagged [Pratica ...]) registered in the protocol as outgoing;
 * att may be NULL. Inside the caller's transaction. */
err_code occ_mail(db *d, arena *a, const occupation_notice *n, const char *to, const char *subject,
                  const char *body, notify_attachment *att, size_t n_att, const char *correspondent);

/* photos.c: a new upload link for the case (inside the caller's
 * transaction); *url gets the public page with the token. */
err_code occ_photo_link_new(db *d, arena *a, int64_t ente_id, int64_t case_id, const char **url,
                            const char **expires_it);
/* photos.c: every photo's problems (type, size, count) under "foto". */
int occ_photos_check(arena *a, const occ_photo *ph, size_t n, int64_t left, problems *pbs);
/* photos.c: the photos as case files. */
case_file *occ_photo_files(arena *a, const occ_photo *ph, size_t n);

/* occupation_change.c: records the inspection of cessation case_id (day,
 * report; inspector and outcome, or NULL) inside the caller's
 * transaction: the outcome mailed to the Ente, the parent ceased. */
err_code occ_inspect(db *d, arena *a, const actor *who, int64_t ente_id, int64_t case_id, const char *day,
                     const char *report, const char *inspector, const char *outcome, occupation *o);

/* holder.c: v * num / den in cents, rounded half up once (num >= den: v). */
int64_t occ_prorata_cents(int64_t v, int64_t num, int64_t den);
/* holder.c: the notice of a change of holder from `change` (o: the
 * variation row, its taxpayer the new holder; p: the declaration): the
 * old holder's open part after the change relieved and billed to the new
 * holder. o->act_id stays 0 when nothing is due. */
err_code occ_holder_notice(db *d, arena *a, const actor *who, occupation *o, const occupation *p,
                           const case_rec *c, civil_date change, problems *pbs);

#endif
