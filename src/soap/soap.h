/* The pagoPA SANP endpoint (POST /pagopa/paForNode): the route table and
 * the handler that answers the Nodo's six operations over the debt
 * domain. The Nodo is authenticated by the network (allowed_ips, mTLS or
 * the subscription key at the reverse proxy) and by the broker and station
 * it names, not by a session: the route has no session and no CSRF. */
#ifndef SP_SOAP_H
#define SP_SOAP_H
#include "http/http.h"

extern const route_table soap_routes;

/* POST /pagopa/paForNode. HTTP 200 with outcome OK or KO (faultBean) for
 * every request whose operation is known; a SOAP 1.1 Fault with 500 when
 * it cannot be told, 403 when the caller's address is not allowed. */
err_code soap_pa_for_node(request *rq, response *rs);

#endif
