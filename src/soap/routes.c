/* The pagoPA node's route: no session, no CSRF (listed as exempt in
 * tests/unit/test_routes.c); access control is in the handler. The handler
 * answers SOAP itself; .out = OUT_JSON only keeps the dispatcher from
 * setting the pre-session CSRF cookie of HTML pages on every call (a JSON
 * problem is what the Nodo gets for a 503 before the handler runs). */
#include "soap/soap.h"

static const route routes[] = {
    POST("/pagopa/paForNode", soap_pa_for_node, .no_csrf = 1, .out = OUT_JSON),
};

const route_table soap_routes = {routes, sizeof routes / sizeof routes[0]};
