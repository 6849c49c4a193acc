/* Shared between the files of src/domain/agenda only. */
#ifndef SP_AGENDA_INTERNAL_H
#define SP_AGENDA_INTERNAL_H
#include "domain/agenda/agenda.h"

/* "martedì 1 dicembre 2026 alle 09:00" (Europe/Rome). */
const char *ag_when_it(arena *a, int64_t utc);
/* server.base_url + /enti/{slug}/prenotazione/{token} */
const char *ag_manage_url(arena *a, const char *slug, const char *token);
/* Messages through the outbox, inside the caller's transaction. */
err_code ag_send_confirmation(db *d, arena *a, const ente *e, const ag_appt *ap, const char *token,
                              int changed);
err_code ag_send_cancellation(db *d, arena *a, const ente *e, const ag_appt *ap);

#endif
