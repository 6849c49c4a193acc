/* Every JSON API route: token-authenticated and scoped to the Ente named
 * by the `ente` query parameter, except the OpenAPI document. Every route
 * here is described in openapi.json (checked by tests/unit/test_routes). */
#include "api/api.h"
#include "domain/canone/authorisation.h"

static const route routes[] = {
    GET("/api/v1/openapi.json", api_openapi, .out = OUT_JSON, .no_db = 1),
    GET("/api/v1/taxpayers", api_taxpayers_list, API_TOKEN),
    POST("/api/v1/taxpayers", api_taxpayers_create, API_TOKEN),
    GET("/api/v1/taxpayers/{id:id}", api_taxpayer_get, API_TOKEN),
    GET("/api/v1/taxpayers/{cf}/statement", api_taxpayer_statement, API_TOKEN),
    PUT("/api/v1/taxpayers/{id:id}", api_taxpayer_put, API_TOKEN),
    GET("/api/v1/agenda/slots", api_agenda_slots, API_TOKEN),
    POST("/api/v1/appointments", api_appointment_create, API_TOKEN),
    PATCH("/api/v1/taxpayers/{id:id}", api_taxpayer_patch, API_TOKEN),
    POST("/api/v1/positions", api_positions_create, API_TOKEN),
    GET("/api/v1/positions", api_positions_list, API_TOKEN),
    GET("/api/v1/positions/{id:id}", api_position_get, API_TOKEN),
    GET("/api/v1/positions/{id:id}/notice", api_position_notice, API_TOKEN),
    POST("/api/v1/positions/{id:id}/cancel", api_position_cancel, API_TOKEN),
    POST("/api/v1/positions/{id:id}/relieve", api_position_relieve, API_TOKEN),
    POST("/api/v1/positions/{id:id}/plan", api_position_plan, API_TOKEN),
    POST("/api/v1/positions/{id:id}/payments", api_position_payment, API_TOKEN),
    POST("/api/v1/positions/{id:id}/refunds", api_position_refund, API_TOKEN),
    POST("/api/v1/positions/{id:id}/compensations", api_position_compensation, API_TOKEN),
    GET("/api/v1/receipts", api_receipts_list, API_TOKEN),
    GET("/api/v1/cases", api_cases_list, API_TOKEN),
    GET("/api/v1/cases/{id:id}", api_case_get, API_TOKEN),
    POST("/api/v1/canone/quote", api_canone_quote, API_TOKEN),
    POST("/api/v1/occupations", api_occupations_create, API_TOKEN),
    POST("/api/v1/cases/{id:id}/authorisation", api_case_authorisation_upload, API_TOKEN,
         BODY(OCC_AUTH_UPLOAD_BYTES)),
    POST("/api/v1/occupations/{id:id}/variations", api_occupation_variation, API_TOKEN),
    POST("/api/v1/occupations/{id:id}/cessations", api_occupation_cessation, API_TOKEN),
};

const route_table api_routes = {routes, sizeof routes / sizeof routes[0]};
