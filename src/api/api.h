/* JSON API under /api/v1 for the Ente's systems: bearer tokens scoped to
 * Enti (`sportello api-token create`), every call names its Ente with the
 * `ente` query parameter, errors are {"error":{code,message,fields}}. */
#ifndef SP_API_H
#define SP_API_H
#include <jansson.h>
#include "http/http.h"

extern const route_table api_routes;

/* Writes j (stolen) as the response body with the given status. */
err_code api_json(response *rs, int status, json_t *j);
/* The string member k of o (copied into a), NULL when absent or null; a
 * value of another type is a problem on k ("Va indicato come stringa."). */
const char *api_str_member(json_t *o, const char *k, problems *pbs, arena *a);
/* 422/409 with the field problems. */
err_code api_problems(response *rs, err_code code, const problem *items, size_t n);

err_code api_openapi(request *rq, response *rs);
err_code api_taxpayers_list(request *rq, response *rs);
err_code api_taxpayers_create(request *rq, response *rs);
err_code api_taxpayer_get(request *rq, response *rs);
err_code api_taxpayer_put(request *rq, response *rs);
err_code api_agenda_slots(request *rq, response *rs);
err_code api_appointment_create(request *rq, response *rs);
err_code api_taxpayer_patch(request *rq, response *rs);
err_code api_taxpayer_statement(request *rq, response *rs);
/* positions_ops.c: operations on a position; api_position_respond (in
 * positions.c) answers with the position as read back. */
err_code api_position_respond(request *rq, response *rs, int64_t id, int status);
err_code api_position_relieve(request *rq, response *rs);
err_code api_position_plan(request *rq, response *rs);
err_code api_position_payment(request *rq, response *rs);
err_code api_position_refund(request *rq, response *rs);
err_code api_position_compensation(request *rq, response *rs);
/* positions.c */
err_code api_positions_create(request *rq, response *rs);
err_code api_positions_list(request *rq, response *rs);
err_code api_position_get(request *rq, response *rs);
err_code api_position_notice(request *rq, response *rs);
err_code api_position_cancel(request *rq, response *rs);
/* receipts.c */
err_code api_receipts_list(request *rq, response *rs);
/* cases.c */
err_code api_cases_list(request *rq, response *rs);
err_code api_case_get(request *rq, response *rs);
/* case_occupation.c: adds occupation, notices and payments to a case's JSON */
err_code api_case_occupation_json(request *rq, int64_t case_id, json_t *j);
/* canone.c */
err_code api_canone_quote(request *rq, response *rs);
/* occupations.c */
err_code api_occupations_create(request *rq, response *rs);
/* case_authorisation.c: the Ente's authorisation of an occupation */
err_code api_case_authorisation_upload(request *rq, response *rs);
/* Adds "authorisation" (or null) and "ente_reply_to_check" to the
 * occupation's JSON of case_id. */
void api_case_authorisation_json(request *rq, int64_t case_id, json_t *oj);
/* occupation_changes.c */
err_code api_occupation_variation(request *rq, response *rs);
err_code api_occupation_cessation(request *rq, response *rs);

#endif
