/* SQL of the outbox (notify_store.c). Private to the area. */
#ifndef SP_NOTIFY_STORE_H
#define SP_NOTIFY_STORE_H
#include "domain/notify/notify.h"

err_code ns_insert(db *d, const notify_mail *m, int64_t now, int64_t *id);
/* Stores content once per fingerprint. */
err_code ns_insert_attachment(db *d, int64_t outbox_id, int position, const notify_attachment *x);
err_code ns_get(db *d, arena *a, int64_t id, notify_mail *out);
err_code ns_attachments(db *d, arena *a, int64_t outbox_id, int with_data, notify_attachment **out,
                        size_t *n);
err_code ns_set_state(db *d, int64_t id, const char *state, const char *error, int attempt,
                      int64_t now);
err_code ns_find_msgid(db *d, arena *a, int64_t ente_id, const char *message_id, int64_t *id,
                       const char **object_type, int64_t *object_id);
/* Sets the delivery state unless the row already holds a final one (or
 * the same acceptance); *changed 0/1. */
err_code ns_set_delivery(db *d, int64_t ente_id, int64_t id, const char *delivery, const char *detail,
                         int64_t now, int64_t *changed);
err_code ns_list(db *d, arena *a, int64_t ente_id, int limit, notify_mail **out, size_t *n);

#endif
