/* Every HTML route, with the roles it accepts, whether it is scoped to the
 * Ente in its first path segment and whether its form needs the CSRF
 * token. The dispatcher enforces all three before the handler runs. */
#include "web/web.h"

#define BACKOFFICE_ALL (ROLES_BACKOFFICE | ROLE_BIT(ROLE_ENTE_STAFF))

#define ADMIN ROLE_BIT(ROLE_ADMIN)

static const route routes[] = {
    {"GET", "/", page_home, AUTH_NONE, 0, 0, 0, OUT_HTML, 0},
    {"GET", "/healthz", page_health, AUTH_NONE, 0, 0, 0, OUT_JSON, 0},
    {"GET", "/privacy", page_legal, AUTH_NONE, 0, 0, 0, OUT_HTML, 0},
    {"GET", "/note-legali", page_legal, AUTH_NONE, 0, 0, 0, OUT_HTML, 0},
    {"GET", "/accessibilita", page_legal, AUTH_NONE, 0, 0, 0, OUT_HTML, 0},
    {"GET", "/accedi", page_login, AUTH_NONE, 0, 0, 0, OUT_HTML, 0},
    {"POST", "/accedi", page_login_post, AUTH_NONE, 0, 0, 1, OUT_HTML, 0},
    {"POST", "/esci", page_logout, AUTH_SESSION, BACKOFFICE_ALL, 0, 1, OUT_HTML, 0},
    {"GET", "/ufficio", page_office_root, AUTH_SESSION, BACKOFFICE_ALL, 0, 0, OUT_HTML, 0},
    {"GET", "/ufficio/{ente}", page_office, AUTH_SESSION, BACKOFFICE_ALL, 1, 0, OUT_HTML, 0},
    {"GET", "/ufficio/{ente}/contribuenti", page_taxpayers, AUTH_SESSION, BACKOFFICE_ALL, 1, 0,
     OUT_HTML, 0},
    {"GET", "/ufficio/{ente}/contribuenti/nuovo", page_taxpayer_new, AUTH_SESSION, ROLES_REGISTRY_EDIT, 1,
     0, OUT_HTML, 0},
    {"POST", "/ufficio/{ente}/contribuenti/nuovo", page_taxpayer_create, AUTH_SESSION,
     ROLES_REGISTRY_EDIT, 1, 1, OUT_HTML, 0},
    {"GET", "/ufficio/{ente}/contribuenti/{id}", page_taxpayer, AUTH_SESSION, BACKOFFICE_ALL, 1, 0,
     OUT_HTML, 0},
    {"GET", "/ufficio/{ente}/contribuenti/{id}/modifica", page_taxpayer_edit, AUTH_SESSION,
     ROLES_REGISTRY_EDIT, 1, 0, OUT_HTML, 0},
    {"POST", "/ufficio/{ente}/contribuenti/{id}/modifica", page_taxpayer_update, AUTH_SESSION,
     ROLES_REGISTRY_EDIT, 1, 1, OUT_HTML, 0},
    {"GET", "/admin", page_admin, AUTH_SESSION, ROLE_BIT(ROLE_ADMIN), 0, 0, OUT_HTML, 0},
    {"GET", "/admin/enti/nuovo", page_admin_ente_new, AUTH_SESSION, ADMIN, 0, 0, OUT_HTML, 0},
    {"POST", "/admin/enti/nuovo", page_admin_ente_create, AUTH_SESSION, ADMIN, 0, 1, OUT_HTML, 0},
    {"GET", "/admin/uffici/nuovo", page_admin_office_new, AUTH_SESSION, ADMIN, 0, 0, OUT_HTML, 0},
    {"POST", "/admin/uffici/nuovo", page_admin_office_create, AUTH_SESSION, ADMIN, 0, 1, OUT_HTML,
     0},
    {"GET", "/admin/utenti/nuovo", page_admin_user_new, AUTH_SESSION, ADMIN, 0, 0, OUT_HTML, 0},
    {"POST", "/admin/utenti/nuovo", page_admin_user_create, AUTH_SESSION, ADMIN, 0, 1, OUT_HTML, 0},
    /* after .../nuovo: {id} would match "nuovo" too */
    {"GET", "/admin/utenti/{id}", page_admin_user, AUTH_SESSION, ADMIN, 0, 0, OUT_HTML, 0},
    {"POST", "/admin/utenti/{id}/stato", page_admin_user_status, AUTH_SESSION, ADMIN, 0, 1,
     OUT_HTML, 0},
    {"POST", "/admin/utenti/{id}/password", page_admin_user_password, AUTH_SESSION, ADMIN, 0, 1,
     OUT_HTML, 0},
    {"POST", "/admin/utenti/{id}/enti", page_admin_user_entes, AUTH_SESSION, ADMIN, 0, 1,
     OUT_HTML, 0},
    {"GET", "/admin/lavori", page_admin_jobs, AUTH_SESSION, ADMIN, 0, 0, OUT_HTML, 0},
    {"POST", "/admin/lavori/{id}/riprova", page_admin_job_retry, AUTH_SESSION, ADMIN, 0, 1,
     OUT_HTML, 0},
    {"POST", "/admin/lavori/{id}/annulla", page_admin_job_cancel, AUTH_SESSION, ADMIN, 0, 1,
     OUT_HTML, 0},
};

const route_table web_routes = {routes, sizeof routes / sizeof routes[0]};
