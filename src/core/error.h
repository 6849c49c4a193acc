/* The one error registry. Each code knows its HTTP status, its stable slug
 * for the JSON API, its pagoPA fault where one applies (SOAP answers carry
 * it as faultCode) and its Italian message. Functions return an err_code;
 * one place (http/respond.c) renders it.
 *
 * Add a code by adding one line to ERR_LIST; prefer a specific code
 * (ERR_TAXPAYER_DUPLICATE) over a generic one with a free string. The
 * generic ones stay for the cases that are truly generic.
 *
 * A failure whose cause is not for the user (a storage error, a bug)
 * records it with err_cause(); the dispatcher logs it once with the 5xx
 * it produced, never in the response. */
#ifndef SP_ERROR_H
#define SP_ERROR_H

/* X(code, http status, slug, pagoPA fault or NULL, Italian message) */
#define ERR_LIST(X)                                                                                           \
  X(ERR_OK, 200, "ok", NULL, "Operazione eseguita.")                                                          \
  /* generic */                                                                                               \
  X(ERR_INVALID, 422, "invalid", "PAA_SEMANTICA", "Alcuni dati non sono validi: correggi i campi indicati.")  \
  X(ERR_BAD_REQUEST, 400, "bad_request", "PAA_SINTASSI_EXTRAXSD", "Richiesta non valida.")                    \
  X(ERR_UNAUTHORIZED, 401, "unauthorized", NULL, "Devi accedere per continuare.")                             \
  X(ERR_FORBIDDEN, 403, "forbidden", NULL, "Non hai i permessi per questa operazione.")                       \
  X(ERR_CSRF, 403, "csrf", NULL, "Il modulo è scaduto o non è valido: ricarica la pagina e riprova.")         \
  X(ERR_NOT_FOUND, 404, "not_found", NULL, "La pagina o la risorsa richiesta non esiste.")                    \
  X(ERR_METHOD, 405, "method_not_allowed", NULL, "Metodo non consentito.")                                    \
  X(ERR_CONFLICT, 409, "conflict", NULL, "Esiste già un elemento con questi dati.")                           \
  X(ERR_TOO_LARGE, 413, "too_large", NULL, "La richiesta supera la dimensione massima consentita.")           \
  X(ERR_URI_TOO_LONG, 414, "uri_too_long", NULL,                                                              \
    "L'indirizzo della richiesta è troppo lungo o ha troppi parametri.")                                      \
  X(ERR_HEADERS_TOO_LARGE, 431, "headers_too_large", NULL,                                                    \
    "Le intestazioni della richiesta sono troppo grandi.")                                                    \
  X(ERR_RATE_LIMITED, 429, "rate_limited", NULL, "Troppi tentativi: attendi qualche minuto e riprova.")       \
  X(ERR_INTERNAL, 500, "internal", "PAA_SYSTEM_ERROR",                                                        \
    "Si è verificato un errore interno. Riprova più tardi.")                                                  \
  X(ERR_UNAVAILABLE, 503, "unavailable", "PAA_SYSTEM_ERROR",                                                  \
    "Il servizio non è al momento disponibile. Riprova più tardi.")                                           \
  X(ERR_BUSY, 503, "busy", "PAA_SYSTEM_ERROR", "Il servizio è momentaneamente occupato. Riprova.")            \
  /* requests */                                                                                              \
  X(ERR_JSON_MALFORMED, 400, "malformed_json", NULL, "Il corpo della richiesta non è un JSON valido.")        \
  X(ERR_ENCODING, 422, "invalid_encoding", NULL,                                                              \
    "Il testo contiene caratteri non validi (codifica UTF-8 errata o caratteri di controllo).")               \
  X(ERR_ENTE_REQUIRED, 400, "ente_required", NULL,                                                            \
    "Indica l'ente (slug o codice fiscale) con il parametro ente.")                                           \
  /* storage */                                                                                               \
  X(ERR_STORAGE, 500, "storage_error", "PAA_SYSTEM_ERROR",                                                    \
    "Si è verificato un errore interno nell'archivio dei dati. Riprova più tardi.")                           \
  /* registry */                                                                                              \
  X(ERR_TAXPAYER_DUPLICATE, 409, "taxpayer_duplicate", NULL,                                                  \
    "Esiste già un contribuente con questo codice fiscale in questo ente.")                                   \
  X(ERR_ENTE_DUPLICATE, 409, "ente_duplicate", NULL,                                                          \
    "Esiste già un ente con questo codice fiscale o questo identificativo.")                                  \
  X(ERR_USER_DUPLICATE, 409, "user_duplicate", NULL, "Esiste già un utente con questo nome.")                 \
  X(ERR_OFFICE_DUPLICATE, 409, "office_duplicate", NULL, "Esiste già un ufficio con questo nome.")            \
  /* protocol register */                                                                                     \
  X(ERR_PROTOCOL_ANNULLED, 409, "protocol_annulled", NULL,                                                    \
    "La registrazione di protocollo è già stata annullata.")                                                  \
  X(ERR_PROTOCOL_DAY_OPEN, 409, "protocol_day_open", NULL,                                                    \
    "Il registro giornaliero si emette dopo la chiusura della giornata.")                                     \
  /* debt positions and pagoPA notices */                                                                     \
  X(ERR_NOTICE_UNKNOWN, 404, "notice_unknown", "PAA_PAGAMENTO_SCONOSCIUTO",                                   \
    "Avviso di pagamento sconosciuto.")                                                                       \
  X(ERR_NOTICE_PAID, 409, "notice_paid", "PAA_PAGAMENTO_DUPLICATO",                                           \
    "L'avviso di pagamento risulta già pagato.")                                                              \
  X(ERR_NOTICE_EXPIRED, 409, "notice_expired", "PAA_PAGAMENTO_SCADUTO",                                       \
    "L'avviso di pagamento è scaduto e non è più pagabile.")                                                  \
  X(ERR_NOTICE_CANCELLED, 409, "notice_cancelled", "PAA_PAGAMENTO_ANNULLATO",                                 \
    "L'avviso di pagamento è stato annullato.")                                                               \
  X(ERR_TRANSFERS_SUM, 422, "transfers_sum", "PAA_SEMANTICA",                                                 \
    "La somma dei trasferimenti non corrisponde all'importo del pagamento.")                                  \
  X(ERR_ACT_STATE, 409, "act_state", NULL, "L'operazione non è consentita nello stato attuale dell'atto.")    \
  X(ERR_ACT_DUPLICATE, 409, "act_duplicate", NULL,                                                            \
    "Esiste già un atto di questo tipo con questo numero e anno.")                                            \
  X(ERR_REVENUE_DUPLICATE, 409, "revenue_duplicate", NULL,                                                    \
    "Esiste già un'entrata con questo codice in questo Ente.")                                                \
  X(ERR_PAGOPA_SETUP, 409, "pagopa_setup", NULL,                                                              \
    "L'Ente non ha ancora i dati pagoPA (codice di segregazione).")                                           \
  X(ERR_INSTALLMENTS, 422, "installments_out_of_range", NULL,                                                 \
    "Il numero di rate non è ammesso per questo importo.")                                                    \
  /* pagoPA SANP endpoint, receipts, reconciliation */                                                        \
  X(ERR_PA_DOMAIN, 404, "pagopa_domain", "PAA_ID_DOMINIO_ERRATO",                                             \
    "L'ente indicato (idPA) non è servito da questa stazione.")                                               \
  X(ERR_PA_BROKER, 403, "pagopa_broker", "PAA_ID_INTERMEDIARIO_ERRATO",                                       \
    "L'intermediario indicato (idBrokerPA) non corrisponde.")                                                 \
  X(ERR_PA_STATION, 403, "pagopa_station", "PAA_STAZIONE_INT_ERRATA",                                         \
    "La stazione indicata (idStation) non corrisponde.")                                                      \
  X(ERR_RECEIPT_DUPLICATE, 409, "receipt_duplicate", "PAA_RECEIPT_DUPLICATA",                                 \
    "La ricevuta è già stata acquisita.")                                                                     \
  X(ERR_RECEIPT_STATE, 409, "receipt_state", NULL, "La ricevuta non è in attesa di verifica.")                \
  X(ERR_SPONTANEOUS, 422, "spontaneous_not_allowed", "PAA_SEMANTICA",                                         \
    "Il servizio richiesto non ammette pagamenti spontanei presso questo Ente.")                              \
  X(ERR_STAMP_NEEDS_V2, 422, "stamp_needs_v2", "PAA_SEMANTICA",                                               \
    "La posizione comprende l'imposta di bollo digitale: serve paGetPaymentV2.")                              \
  X(ERR_FDR_STALE, 409, "fdr_stale", NULL,                                                                    \
    "Il flusso di rendicontazione è già stato importato (stessa revisione o una più recente).")               \
  /* cases */                                                                                                 \
  X(ERR_CASE_STATE, 409, "case_state", NULL,                                                                  \
    "Questa operazione non è possibile nello stato attuale della pratica.")                                   \
  /* canone unico */                                                                                          \
  X(ERR_CANONE_RULES, 409, "canone_rules_missing", NULL,                                                      \
    "L'Ente non ha ancora caricato le regole del canone unico.")                                              \
  /* video appointments */                                                                                    \
  X(ERR_VIDEO_NOT_OPEN, 403, "video_not_open", NULL,                                                          \
    "La videochiamata non è ancora aperta: si apre pochi minuti prima dell'appuntamento.")                    \
  X(ERR_VIDEO_CLOSED, 403, "video_closed", NULL,                                                              \
    "La videochiamata è chiusa: l'appuntamento è terminato, annullato o spostato.")                           \
  X(ERR_VIDEO_OPERATOR, 403, "video_operator", NULL,                                                          \
    "Questa videochiamata è già assegnata a un altro operatore.")                                             \
  /* front office agenda */                                                                                   \
  X(ERR_SLOT_FULL, 409, "slot_full", NULL,                                                                    \
    "L'orario scelto non è più disponibile: è stato appena prenotato. Scegli un altro orario.")               \
  X(ERR_BOOKING_LIMIT, 409, "booking_limit", NULL,                                                            \
    "Con questo codice fiscale ci sono già troppe prenotazioni attive: annullane una prima di prenotare di " \
    "nuovo.")                                                                                                 \
  X(ERR_APPOINTMENT_CLOSED, 409, "appointment_closed", NULL,                                                  \
    "L'appuntamento è già stato annullato, spostato o si è già svolto.")                                      \
  /* sign-in */                                                                                               \
  X(ERR_LOGIN_FAILED, 401, "login_failed", NULL, "Nome utente o password non corretti.")                      \
  X(ERR_LOGIN_THROTTLED, 429, "login_throttled", NULL,                                                        \
    "Troppi tentativi di accesso non riusciti: attendi qualche minuto e riprova.")

typedef enum {
#define ERR_ENUM_(code, status, slug, fault, msg) code,
  ERR_LIST(ERR_ENUM_)
#undef ERR_ENUM_
      ERR__COUNT
} err_code;

int err_http_status(err_code c);
const char *err_slug(err_code c);       /* "invalid", "not_found", ... */
const char *err_message_it(err_code c); /* Italian sentence for users */
/* The pagoPA faultCode (PAA_...) a SOAP answer carries for c; codes
 * without one answer PAA_SYSTEM_ERROR when 5xx, else PAA_SEMANTICA. */
const char *err_pagopa_fault(err_code c);
/* 1 for the codes a form answers by showing it again with the problems
 * next to their fields: invalid input (422) or a duplicate (409). */
int err_is_form_problem(err_code c);
/* The code with this slug, or ERR__COUNT. */
err_code err_by_slug(const char *slug);

/* The cause of the current failure on this thread, for the server log
 * only: "statement taxpayer_insert: duplicate key ...". A later call
 * replaces an earlier one; err_cause_take returns it (or NULL) and clears
 * it. Never put secrets in a cause. */
void err_cause(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *err_cause_peek(void);
void err_cause_clear(void);

/* A field-level validation failure: which field, and why (Italian). */
typedef struct {
  err_code code;
  const char *field;   /* form/API field name, NULL if not field-specific */
  const char *message; /* Italian, for the user */
} problem;

#endif
