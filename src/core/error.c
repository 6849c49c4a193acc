#include "core/error.h"

static const struct {
  int status;
  const char *slug;
  const char *msg;
} table[ERR__COUNT] = {
    [ERR_OK] = {200, "ok", "Operazione eseguita."},
    [ERR_INVALID] = {422, "invalid", "Alcuni dati non sono validi: correggi i campi indicati."},
    [ERR_BAD_REQUEST] = {400, "bad_request", "Richiesta non valida."},
    [ERR_UNAUTHORIZED] = {401, "unauthorized", "Devi accedere per continuare."},
    [ERR_FORBIDDEN] = {403, "forbidden", "Non hai i permessi per questa operazione."},
    [ERR_CSRF] = {403, "csrf", "Il modulo è scaduto o non è valido: ricarica la pagina e riprova."},
    [ERR_NOT_FOUND] = {404, "not_found", "La pagina o la risorsa richiesta non esiste."},
    [ERR_METHOD] = {405, "method_not_allowed", "Metodo non consentito."},
    [ERR_CONFLICT] = {409, "conflict", "Esiste già un elemento con questi dati."},
    [ERR_TOO_LARGE] = {413, "too_large", "La richiesta supera la dimensione massima consentita."},
    [ERR_RATE_LIMITED] = {429, "rate_limited", "Troppi tentativi: attendi qualche minuto e riprova."},
    [ERR_INTERNAL] = {500, "internal", "Si è verificato un errore interno. Riprova più tardi."},
    [ERR_UNAVAILABLE] = {503, "unavailable", "Il servizio non è al momento disponibile. Riprova più tardi."},
    [ERR_BUSY] = {503, "busy", "Il servizio è momentaneamente occupato. Riprova."},
};

static int valid(err_code c) { return c >= 0 && c < ERR__COUNT; }

int err_http_status(err_code c) { return valid(c) ? table[c].status : 500; }
const char *err_slug(err_code c) { return valid(c) ? table[c].slug : "internal"; }
const char *err_message_it(err_code c) { return valid(c) ? table[c].msg : table[ERR_INTERNAL].msg; }
