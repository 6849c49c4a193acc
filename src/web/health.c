/* Liveness and readiness: 200 when the database answers, 503 otherwise
 * (the dispatcher already answers 503 when no connection can be had). */
#include "web/web.h"

err_code page_health(request *rq, response *rs) {
  if (db_ping(rq->db) != ERR_OK) return ERR_UNAVAILABLE;
  rs->content_type = "application/json";
  sb_append(&rs->body, "{\"status\":\"ok\",\"database\":\"ok\"}");
  return ERR_OK;
}
