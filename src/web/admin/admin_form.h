/* Helpers shared by the administration form pages (admin/ only): reading
 * posted fields, adding the problems the web layer finds to the list the
 * domain fills, and finding the message for a field. */
#ifndef SP_WEB_ADMIN_FORM_H
#define SP_WEB_ADMIN_FORM_H
#include "web/web.h"

/* Posted value, or NULL when absent or empty: the domain treats both alike. */
const char *admin_field(request *rq, const char *name);
/* Posted positive id (a select's value); 0 when absent or not an id. */
int64_t admin_field_id(request *rq, const char *name);
/* Appends a problem the page finds itself (before or besides the domain's:
 * the domain functions add theirs to the same list, and write nothing when
 * it is not empty). */
void admin_problem(request *rq, problems *pbs, err_code code, const char *field, const char *message);
/* Message for the field, or NULL. */
const char *admin_error_for(const problems *pbs, const char *field);
/* The Enti as one fieldset of checkboxes named ente_<id> (id "f-ente_ids",
 * which carries the "ente_ids" error so the summary can link to it). */
void admin_ente_boxes(request *rq, html *h, const ente *all, size_t n, const int64_t *checked,
                      size_t n_checked, const char *legend, const char *hint, const problems *pbs);
/* Ids of the Enti whose ente_<id> box was posted, into out (room for n);
 * returns how many. */
size_t admin_posted_entes(request *rq, const ente *all, size_t n, int64_t *out);
/* 409 when every problem is a duplicate, 422 for anything else a form can
 * get wrong. */
int admin_form_status(err_code e);

#endif
