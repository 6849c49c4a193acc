/* Every HTML route, with the roles it accepts and whether it is scoped to
 * the Ente in its path. The dispatcher enforces both, and the CSRF token
 * on every unsafe method, before the handler runs (see http.h). */
#include "web/web.h"

#define BACKOFFICE_ALL (ROLES_BACKOFFICE | ROLE_BIT(ROLE_ENTE_STAFF))
#define ADMIN ROLE_BIT(ROLE_ADMIN)
#define OFFICE .ente = ENTE_FROM_PATH
/* cases: who reads the queues, who works and who manages them */
#define CASE_READ (ROLES_BACKOFFICE | ROLE_BIT(ROLE_ENTE_STAFF))
#define CASE_WORK (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_OFFICE_MANAGER) | ROLE_BIT(ROLE_OPERATOR))
#define CASE_MANAGE (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_OFFICE_MANAGER))
#define INTERMEDIARY ROLE_BIT(ROLE_INTERMEDIARY)
#define PUBLIC .ente = ENTE_PUBLIC
#define ROLES_AGENDA_EDIT (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_OFFICE_MANAGER) | ROLE_BIT(ROLE_OPERATOR))
#define ROLES_COUNTERS_EDIT (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_OFFICE_MANAGER))

static const route routes[] = {
    GET("/", page_home),
    GET("/healthz", page_health, .out = OUT_JSON),
    GET("/privacy", page_legal),
    GET("/note-legali", page_legal),
    GET("/accessibilita", page_legal),
    GET("/accedi", page_login),
    POST("/accedi", page_login_post),
    POST("/esci", page_logout, STAFF(BACKOFFICE_ALL | INTERMEDIARY)),

    GET("/ufficio", page_office_root, STAFF(BACKOFFICE_ALL | INTERMEDIARY)),
    /* the Ente's public front office: no sign-in (anonymous forms carry the
     * double-submit CSRF token) */
    GET("/enti/{ente}", page_ente_public, PUBLIC),
    GET("/enti/{ente}/prenota", page_booking_topics, PUBLIC),
    GET("/enti/{ente}/prenota/{topic}", page_booking, PUBLIC),
    POST("/enti/{ente}/prenota/{topic}", page_booking_post, PUBLIC),
    GET("/enti/{ente}/prenotazione/{token}", page_booking_manage, PUBLIC),
    POST("/enti/{ente}/prenotazione/{token}/annulla", page_booking_cancel, PUBLIC),
    GET("/enti/{ente}/prenotazione/{token}/sposta", page_booking_change, PUBLIC),
    POST("/enti/{ente}/prenotazione/{token}/sposta", page_booking_change_post, PUBLIC),
    /* video room of a video appointment: the room id is the citizen's key */
    GET("/enti/{ente}/video/{room}", page_video_citizen, PUBLIC),
    GET("/enti/{ente}/video/{room}/config", page_video_citizen_config, PUBLIC, .out = OUT_JSON),
    GET("/enti/{ente}/video/{room}/eventi", page_video_citizen_events, PUBLIC, .out = OUT_JSON),
    POST("/enti/{ente}/video/{room}/messaggi", page_video_citizen_post, PUBLIC, .out = OUT_JSON),
    GET("/enti/{ente}/prenotazione/{token}/video", page_video_citizen, PUBLIC),
    GET("/enti/{ente}/prenotazione/{token}/video/config", page_video_citizen_config, PUBLIC,
        .out = OUT_JSON),
    GET("/enti/{ente}/prenotazione/{token}/video/eventi", page_video_citizen_events, PUBLIC,
        .out = OUT_JSON),
    POST("/enti/{ente}/prenotazione/{token}/video/messaggi", page_video_citizen_post, PUBLIC,
         .out = OUT_JSON),

    GET("/ufficio/{ente}/agenda", page_office_agenda, STAFF(BACKOFFICE_ALL), OFFICE),
    POST("/ufficio/{ente}/agenda/{id:id}/esito", page_office_agenda_mark, STAFF(ROLES_AGENDA_EDIT),
         OFFICE),
    GET("/ufficio/{ente}/agenda/prenota", page_office_agenda_book, STAFF(ROLES_AGENDA_EDIT), OFFICE),
    GET("/ufficio/{ente}/agenda/{id:id}/video", page_office_video, STAFF(ROLES_AGENDA_EDIT), OFFICE),
    GET("/ufficio/{ente}/agenda/{id:id}/video/config", page_office_video_config,
        STAFF(ROLES_AGENDA_EDIT), OFFICE, .out = OUT_JSON),
    GET("/ufficio/{ente}/agenda/{id:id}/video/eventi", page_office_video_events,
        STAFF(ROLES_AGENDA_EDIT), OFFICE, .out = OUT_JSON),
    POST("/ufficio/{ente}/agenda/{id:id}/video/messaggi", page_office_video_post,
         STAFF(ROLES_AGENDA_EDIT), OFFICE, .out = OUT_JSON),
    POST("/ufficio/{ente}/agenda/prenota", page_office_agenda_book_post, STAFF(ROLES_AGENDA_EDIT),
         OFFICE),
    GET("/ufficio/{ente}/sportelli", page_office_counters, STAFF(BACKOFFICE_ALL), OFFICE),
    POST("/ufficio/{ente}/sportelli/{action}", page_office_counters_post,
         STAFF(ROLES_COUNTERS_EDIT), OFFICE),
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


    GET("/ufficio/{ente}/pratiche", page_cases, STAFF(CASE_READ), OFFICE),
    GET("/ufficio/{ente}/pratiche/nuova", page_case_new, STAFF(CASE_WORK), OFFICE),
    POST("/ufficio/{ente}/pratiche/nuova", page_case_create, STAFF(CASE_WORK), OFFICE),
    GET("/ufficio/{ente}/pratiche/richiesta-ente", page_case_ente_request,
        STAFF(ROLE_BIT(ROLE_ENTE_STAFF)), OFFICE),
    POST("/ufficio/{ente}/pratiche/richiesta-ente", page_case_ente_request_post,
         STAFF(ROLE_BIT(ROLE_ENTE_STAFF)), OFFICE),
    GET("/ufficio/{ente}/pratiche/report", page_cases_report, STAFF(CASE_READ), OFFICE),
    GET("/ufficio/{ente}/pratiche/{id:id}", page_case, STAFF(CASE_READ), OFFICE),
    GET("/ufficio/{ente}/pratiche/{id:id}/allegati/{att:id}", page_case_attachment,
        STAFF(CASE_READ), OFFICE),
    POST("/ufficio/{ente}/pratiche/{id:id}/assegna", page_case_assign, STAFF(CASE_MANAGE), OFFICE),
    POST("/ufficio/{ente}/pratiche/{id:id}/prendi", page_case_take, STAFF(CASE_WORK), OFFICE),
    POST("/ufficio/{ente}/pratiche/{id:id}/rispondi", page_case_reply, STAFF(CASE_WORK), OFFICE),
    POST("/ufficio/{ente}/pratiche/{id:id}/chiudi", page_case_close, STAFF(CASE_WORK), OFFICE),
    POST("/ufficio/{ente}/pratiche/{id:id}/inoltra", page_case_forward, STAFF(CASE_WORK), OFFICE),
    GET("/ufficio/riepilogo-pratiche", page_cases_summary, STAFF(ROLES_BACKOFFICE)),
    GET("/pratiche/segui", page_case_follow),
    POST("/pratiche/segui", page_case_follow_post),
    GET("/intermediari", page_intermediary_home, STAFF(INTERMEDIARY)),
    GET("/intermediari/{ente}/richiesta", page_intermediary, STAFF(INTERMEDIARY), OFFICE),
    POST("/intermediari/{ente}/richiesta", page_intermediary_post, STAFF(INTERMEDIARY), OFFICE),

    GET("/admin", page_admin, STAFF(ADMIN)),
    GET("/admin/pratiche", page_admin_cases, STAFF(ADMIN)),
    POST("/admin/pratiche/uffici", page_admin_cases_offices, STAFF(ADMIN)),
    POST("/admin/pratiche/regole", page_admin_cases_rule_add, STAFF(ADMIN)),
    POST("/admin/pratiche/regole/elimina", page_admin_cases_rule_delete, STAFF(ADMIN)),
    POST("/admin/pratiche/categorie", page_admin_cases_category, STAFF(ADMIN)),
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
    GET("/admin/posta", page_admin_mail, STAFF(ADMIN)),
    POST("/admin/lavori/{id:id}/riprova", page_admin_job_retry, STAFF(ADMIN)),
    POST("/admin/lavori/{id:id}/annulla", page_admin_job_cancel, STAFF(ADMIN)),
};

const route_table web_routes = {routes, sizeof routes / sizeof routes[0]};
