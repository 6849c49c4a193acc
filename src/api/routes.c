/* Every JSON API route: token-authenticated and scoped to the Ente named
 * by the `ente` query parameter, except the OpenAPI document. */
#include "api/api.h"

static const route routes[] = {
    {"GET", "/api/v1/openapi.json", api_openapi, AUTH_NONE, 0, 0, 0, OUT_JSON, 1},
    {"GET", "/api/v1/taxpayers", api_taxpayers_list, AUTH_TOKEN, 0, ENTE_FROM_QUERY, 0, OUT_JSON, 0},
    {"POST", "/api/v1/taxpayers", api_taxpayers_create, AUTH_TOKEN, 0, ENTE_FROM_QUERY, 0, OUT_JSON, 0},
    {"GET", "/api/v1/taxpayers/{id}", api_taxpayer_get, AUTH_TOKEN, 0, ENTE_FROM_QUERY, 0, OUT_JSON, 0},
    {"PUT", "/api/v1/taxpayers/{id}", api_taxpayer_put, AUTH_TOKEN, 0, ENTE_FROM_QUERY, 0, OUT_JSON, 0},
    {"PATCH", "/api/v1/taxpayers/{id}", api_taxpayer_patch, AUTH_TOKEN, 0, ENTE_FROM_QUERY, 0, OUT_JSON, 0},
};

const route_table api_routes = {routes, sizeof routes / sizeof routes[0]};
