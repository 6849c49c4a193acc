/* occupation_auth.c: the Ente's side of an occupation on the case page. */
#ifndef SP_WEB_OCCUPATION_AUTH_H
#define SP_WEB_OCCUPATION_AUTH_H
#include "domain/canone/canone.h"
#include "web/web.h"

/* The authorisation (uploaded on, protocol, delivered on, download, the
 * Ente's upload form) and a reply of the Ente to check. */
void case_occupation_auth_section(request *rq, html *h, const case_rec *c, const occupation *o);

#endif
