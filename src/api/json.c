#include <stdlib.h>
#include "api/api.h"

err_code api_json(response *rs, int status, json_t *j) {
  rs->status = status;
  rs->content_type = "application/json";
  char *s = json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII);
  json_decref(j);
  if (!s) return ERR_INTERNAL;
  sb_append(&rs->body, s);
  free(s);
  return ERR_OK;
}

err_code api_problems(response *rs, err_code code, const problem *items, size_t n) {
  json_t *fields = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(fields, json_pack("{s:s?,s:s}", "field", items[i].field, "message",
                                            items[i].message ? items[i].message : ""));
  json_t *j = json_pack("{s:{s:s,s:s,s:o}}", "error", "code", err_slug(code), "message",
                        err_message_it(code), "fields", fields);
  return api_json(rs, err_http_status(code), j);
}

const char *api_str_member(json_t *o, const char *k, problems *pbs, arena *a) {
  json_t *v = json_object_get(o, k);
  if (!v || json_is_null(v)) return NULL;
  if (!json_is_string(v)) {
    problems_add(a, pbs, ERR_INVALID, k, "Va indicato come stringa.");
    return NULL;
  }
  return arena_strdup(a, json_string_value(v));
}
