/* Helpers shared by the files of the cases area (not part of its API). */
#ifndef SP_CASES_INTERNAL_H
#define SP_CASES_INTERNAL_H
#include <jansson.h>

#include "domain/cases/cases.h"

/* Fills *pb and returns ERR_INVALID (or code). */
err_code ci_bad(problem *pb, const char *field, const char *msg);
err_code ci_bad_code(problem *pb, err_code code, const char *field, const char *msg);
/* Today in Rome, "YYYY-MM-DD". */
void ci_today(char out[11]);
/* The actor for audit and iter rows (system when who is NULL). */
const actor *ci_actor(const case_actor *ca);
/* The audit row of a change of c (JSON of its state after). */
err_code ci_audit(db *d, const actor *who, const case_rec *c, const char *action,
                  const char *reason);
/* Trimmed copy (NULL when empty) with at most max characters, else sets
 * *too_long. */
char *ci_text(arena *a, const char *s, size_t max, int *too_long);

/* The one way out for a case's messages (cases_mail.c): writes the
 * outgoing message to the outbox with the case's tag in the subject and
 * the thread headers, registers it in the protocol as outgoing
 * (protocolled = 1), records it on the case (case_message, kind:
 * "reply", "request_info", "outcome", "ack", "notice") and links the
 * protocol entry. to NULL: the requester's PEC or e-mail. Inside the
 * caller's transaction. ERR_INVALID (*pb) when the requester has no
 * address. */
err_code ci_send(db *d, arena *a, const actor *who, int64_t author_id, case_rec *c,
                 const char *kind, const char *to, const char *subject, const char *body,
                 int protocolled, problem *pb);
/* ci_send with a document (see case_doc) as the protocol entry's primary
 * document and a mail attachment; doc NULL: ci_send. */
err_code ci_send_doc(db *d, arena *a, const actor *who, int64_t author_id, case_rec *c,
                     const char *kind, const char *to, const char *subject, const char *body,
                     int protocolled, const case_doc *doc, problem *pb);
/* Tells the managers of the case's office (urgent case, intermediary
 * request, forwarded case). Not protocolled: an internal notice. */
err_code ci_notify_office(db *d, arena *a, case_rec *c, const char *why);

/* Registers a protocol entry for c (in: request or reply received, with
 * body as primary document and files as attachments) and links it. */
err_code ci_protocol_in(db *d, arena *a, const actor *who, case_rec *c, const char *correspondent,
                        const char *subject, const char *body, case_file *files, size_t n_files,
                        int64_t *entry_id, int *year, int64_t *number, problem *pb);

#endif
