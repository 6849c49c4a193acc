/* Links of the online services and their applications (declared in
 * link.h). */
#include "render/link.h"

const char *url_admin_services(arena *a, const char *ente_slug) {
  return arena_printf(a, "/admin/enti/%s/servizi", url_encode(a, ente_slug));
}

const char *url_admin_service(arena *a, const char *ente_slug, int64_t id) {
  return arena_printf(a, "/admin/enti/%s/servizi/%lld", url_encode(a, ente_slug), (long long)id);
}

const char *url_office_services(arena *a, const char *ente_slug) {
  return arena_printf(a, "/ufficio/%s/servizi", url_encode(a, ente_slug));
}

const char *url_office_service_apply(arena *a, const char *ente_slug, const char *code,
                                     int64_t draft_id) {
  if (draft_id)
    return arena_printf(a, "/ufficio/%s/servizi/%s/domanda?bozza=%lld", url_encode(a, ente_slug),
                        url_encode(a, code), (long long)draft_id);
  return arena_printf(a, "/ufficio/%s/servizi/%s/domanda", url_encode(a, ente_slug),
                      url_encode(a, code));
}

const char *url_office_applications(arena *a, const char *ente_slug) {
  return arena_printf(a, "/ufficio/%s/domande", url_encode(a, ente_slug));
}

const char *url_office_application(arena *a, const char *ente_slug, int64_t id) {
  return arena_printf(a, "/ufficio/%s/domande/%lld", url_encode(a, ente_slug), (long long)id);
}

const char *url_office_application_action_(arena *a, const char *ente_slug, int64_t id,
                                           const char *action) {
  return arena_printf(a, "/ufficio/%s/domande/%lld/%s", url_encode(a, ente_slug), (long long)id,
                      action);
}

const char *url_office_application_file(arena *a, const char *ente_slug, int64_t id,
                                        int64_t file_id) {
  return arena_printf(a, "/ufficio/%s/domande/%lld/file/%lld", url_encode(a, ente_slug),
                      (long long)id, (long long)file_id);
}
