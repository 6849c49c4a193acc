/* GET /api/v1/openapi.json: the API described by src/api/openapi.json,
 * compiled into the binary. */
#include "api/api.h"

extern const char openapi_json[];

err_code api_openapi(request *rq, response *rs) {
  (void)rq;
  rs->content_type = "application/json";
  sb_append(&rs->body, openapi_json);
  return ERR_OK;
}
