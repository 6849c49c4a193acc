/* SQL of the protocol register (protocol_store.c). Private to the area. */
#ifndef SP_PROTOCOL_STORE_H
#define SP_PROTOCOL_STORE_H
#include "domain/protocol/protocol.h"

/* Next number of (ente, year), creating the counter at 1. Inside db_tx. */
err_code ps_next_number(db *d, int64_t ente_id, int year, int64_t *number);
/* The fascicolo of (ente, year, category), created when missing. */
err_code ps_fascicolo(db *d, int64_t ente_id, int year, const char *category, int64_t now,
                      int64_t *id);
err_code ps_insert_entry(db *d, const prot_entry *e, const actor *who, int64_t *id);
/* Stores content once per fingerprint. */
err_code ps_insert_document(db *d, int64_t entry_id, int64_t ente_id, int position,
                            const prot_doc *doc);
err_code ps_find_entry(db *d, arena *a, int64_t ente_id, int year, int64_t number, prot_entry *e);
err_code ps_insert_annulment(db *d, int64_t entry_id, int64_t ente_id, const char *reason,
                             int64_t now, const actor *who);
/* Entries of a year / of a day, number order, with annulment columns. */
err_code ps_entries_year(db *d, arena *a, int64_t ente_id, int year, prot_entry **out, size_t *n);
err_code ps_entries_day(db *d, arena *a, int64_t ente_id, const char *day, prot_entry **out,
                        size_t *n);
/* The documents of an entry (no content). */
err_code ps_documents(db *d, arena *a, int64_t entry_id, prot_doc **out, size_t *n);
err_code ps_blob(db *d, arena *a, int64_t ente_id, const char *sha256, const void **data,
                 int64_t *size);
err_code ps_day_get(db *d, arena *a, int64_t ente_id, const char *day, prot_day *out);
err_code ps_day_insert(db *d, int64_t ente_id, const prot_day *p, int64_t now);

#endif
