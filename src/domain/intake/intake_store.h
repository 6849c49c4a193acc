/* SQL of mail intake (intake_store.c). Private to the area. */
#ifndef SP_INTAKE_STORE_H
#define SP_INTAKE_STORE_H
#include "domain/intake/intake.h"

err_code is_mailbox_insert(db *d, const intake_mailbox *mb, int64_t now, int64_t *id);
err_code is_mailbox_find(db *d, arena *a, int64_t ente_id, const char *name, intake_mailbox *out);
err_code is_mailbox_list(db *d, arena *a, int64_t ente_id, intake_mailbox **out, size_t *n);
err_code is_mailbox_reset(db *d, int64_t id, int64_t uidvalidity);
err_code is_mailbox_advance(db *d, int64_t id, int64_t uid);
/* Is lower(addr) the address of one of the Ente's mailboxes? */
err_code is_own_address(db *d, int64_t ente_id, const char *addr, int64_t *mailbox_id);

err_code is_message_find(db *d, int64_t mailbox_id, const char *message_id,
                         const char *content_sha256, int64_t *id);
typedef struct {
  const intake_msg *m;
  int64_t ente_id, mailbox_id, outbox_id, reply_to_message, received_at;
  const char *kind, *state, *case_tag, *daticert_sha256, *auto_reason;
} is_message_row;
err_code is_message_insert(db *d, const is_message_row *r, int64_t *id);
err_code is_part_insert(db *d, int64_t message_id, int position, const intake_part *p);
err_code is_message_set_protocol(db *d, int64_t id, int64_t entry_id);
err_code is_message_set_case(db *d, int64_t id, int64_t case_id);
/* An earlier stored message of the Ente with this Message-ID. */
err_code is_message_by_msgid(db *d, int64_t ente_id, const char *message_id, int64_t *id,
                             int64_t *case_id);
/* The stored message registered as protocol (year, number) of the Ente. */
err_code is_message_by_protocol(db *d, int64_t ente_id, int year, int64_t number, int64_t *id,
                                int64_t *case_id);

err_code is_quarantine_insert(db *d, const intake_mailbox *mb, const char *ref, const char *reason,
                              const char *raw_sha256, int64_t size, int64_t now);
err_code is_quarantine_list(db *d, arena *a, int64_t ente_id, int limit, intake_quarantined **out,
                            size_t *n);
err_code is_quarantine_get(db *d, arena *a, int64_t id, intake_quarantined *out);
/* held -> state; ERR_CONFLICT when the row is no longer held. */
err_code is_quarantine_resolve(db *d, int64_t id, const char *state, int64_t by, int64_t message_id,
                               int64_t now);
err_code is_message_list(db *d, arena *a, int64_t ente_id, int limit, intake_stored **out,
                         size_t *n);

#endif
