/* The pagoPA node's route: no session, no CSRF (listed as exempt in
 * tests/unit/test_routes.c); access control is in the handler. */
#include "soap/soap.h"

static const route routes[] = {
    POST("/pagopa/paForNode", soap_pa_for_node, .no_csrf = 1),
};

const route_table soap_routes = {routes, sizeof routes / sizeof routes[0]};
