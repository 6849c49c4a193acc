/* Every HTML route, with the roles it accepts and whether it is scoped to
 * the Ente in its path. The dispatcher enforces both, and the CSRF token
 * on every unsafe method, before the handler runs (see http.h). */
#include "web/portal/portal_web.h"
#include "web/web.h"

#define BACKOFFICE_ALL (ROLES_BACKOFFICE | ROLE_BIT(ROLE_ENTE_STAFF))
#define ADMIN ROLE_BIT(ROLE_ADMIN)
#define OFFICE .ente = ENTE_FROM_PATH

static const route routes[] = {
    GET("/", page_home),
    GET("/healthz", page_health, .out = OUT_JSON),
    GET("/privacy", page_legal),
    GET("/note-legali", page_legal),
    GET("/accessibilita", page_legal),
    GET("/accedi", page_login),
    POST("/accedi", page_login_post),
    POST("/esci", page_logout, STAFF(BACKOFFICE_ALL)),

    /* each Ente's public portal (src/web/portal/) */
    GET("/enti/{ente}", page_portal_home, PORTAL),
    GET("/enti/{ente}/logo.png", page_portal_logo, PORTAL),
    GET("/enti/{ente}/segnala", page_portal_report, PORTAL),
    GET("/enti/{ente}/canali", page_portal_channels, PORTAL),
    GET("/enti/{ente}/avviso", page_portal_notice, PORTAL),
    POST("/enti/{ente}/avviso", page_portal_notice_post, PORTAL),
    POST("/enti/{ente}/avviso/paga", page_portal_notice_pay, PORTAL),
    GET("/enti/{ente}/avviso/pdf", page_portal_notice_pdf, PORTAL),
    GET("/enti/{ente}/pagato", page_portal_paid, PORTAL),
    GET("/enti/{ente}/ricevuta", page_portal_receipt, PORTAL),
    GET("/enti/{ente}/ricevuta.pdf", page_portal_receipt_pdf, PORTAL),
    GET("/enti/{ente}/spontaneo", page_portal_spontaneous, PORTAL),
    POST("/enti/{ente}/spontaneo", page_portal_spontaneous_post, PORTAL),
    GET("/enti/{ente}/multe", page_portal_fines, PORTAL),
    POST("/enti/{ente}/multe", page_portal_fines_post, PORTAL),
    GET("/enti/{ente}/accedi", page_portal_signin, PORTAL),
    POST("/enti/{ente}/accedi/demo", page_portal_signin_demo, PORTAL),
    GET("/enti/{ente}/accedi/spid", page_portal_signin_oidc, PORTAL),
    GET("/accedi/spid/callback", page_portal_oidc_callback),
    POST("/enti/{ente}/esci", page_portal_signout, CITIZEN),
    GET("/enti/{ente}/area-personale", page_portal_account, CITIZEN),
    GET("/enti/{ente}/area-personale/atti/{id:id}", page_portal_act, CITIZEN),
    GET("/enti/{ente}/area-personale/estratto", page_portal_statement, CITIZEN),
    GET("/enti/{ente}/area-personale/estratto.pdf", page_portal_statement_pdf, CITIZEN),
    GET("/enti/{ente}/area-personale/ravvedimento", page_portal_ravv, CITIZEN),
    POST("/enti/{ente}/area-personale/ravvedimento", page_portal_ravv_post, CITIZEN),

    GET("/ufficio", page_office_root, STAFF(BACKOFFICE_ALL)),
    GET("/ufficio/{ente}", page_office, STAFF(BACKOFFICE_ALL), OFFICE),
    GET("/ufficio/{ente}/contribuenti", page_taxpayers, STAFF(BACKOFFICE_ALL), OFFICE),
    GET("/ufficio/{ente}/contribuenti/nuovo", page_taxpayer_new, STAFF(ROLES_REGISTRY_EDIT), OFFICE),
    POST("/ufficio/{ente}/contribuenti/nuovo", page_taxpayer_create, STAFF(ROLES_REGISTRY_EDIT),
         OFFICE),
    GET("/ufficio/{ente}/contribuenti/{id:id}", page_taxpayer, STAFF(BACKOFFICE_ALL), OFFICE),
    GET("/ufficio/{ente}/contribuenti/{id:id}/modifica", page_taxpayer_edit,
        STAFF(ROLES_REGISTRY_EDIT), OFFICE),
    POST("/ufficio/{ente}/contribuenti/{id:id}/modifica", page_taxpayer_update,
         STAFF(ROLES_REGISTRY_EDIT), OFFICE),

    GET("/admin", page_admin, STAFF(ADMIN)),
    GET("/admin/enti/nuovo", page_admin_ente_new, STAFF(ADMIN)),
    POST("/admin/enti/nuovo", page_admin_ente_create, STAFF(ADMIN)),
    GET("/admin/uffici/nuovo", page_admin_office_new, STAFF(ADMIN)),
    POST("/admin/uffici/nuovo", page_admin_office_create, STAFF(ADMIN)),
    GET("/admin/utenti/nuovo", page_admin_user_new, STAFF(ADMIN)),
    POST("/admin/utenti/nuovo", page_admin_user_create, STAFF(ADMIN)),
    GET("/admin/utenti/{id:id}", page_admin_user, STAFF(ADMIN)),
    POST("/admin/utenti/{id:id}/stato", page_admin_user_status, STAFF(ADMIN)),
    POST("/admin/utenti/{id:id}/password", page_admin_user_password, STAFF(ADMIN)),
    POST("/admin/utenti/{id:id}/enti", page_admin_user_entes, STAFF(ADMIN)),
    GET("/admin/lavori", page_admin_jobs, STAFF(ADMIN)),
    POST("/admin/lavori/{id:id}/riprova", page_admin_job_retry, STAFF(ADMIN)),
    POST("/admin/lavori/{id:id}/annulla", page_admin_job_cancel, STAFF(ADMIN)),
};

const route_table web_routes = {routes, sizeof routes / sizeof routes[0]};
