/* SQL of the canone area (only canone_store.c has SQL; only files of
 * src/domain/canone include this). */
#ifndef SP_CANONE_STORE_H
#define SP_CANONE_STORE_H
#include "domain/canone/canone.h"

/* The Ente's rule rows in file order. */
err_code cs_rules(db *d, arena *a, int64_t ente_id, canone_row **out, size_t *n);
/* Deletes the Ente's rules; *n gets how many there were. */
err_code cs_rules_delete(db *d, int64_t ente_id, int64_t *n);
err_code cs_rule_insert(db *d, int64_t ente_id, const canone_row *r);

/* occupations */
err_code cs_occ_insert(db *d, occupation *o);
err_code cs_occ_by_case(db *d, arena *a, int64_t ente_id, int64_t case_id, occupation *out);
err_code cs_occ_get(db *d, arena *a, int64_t ente_id, int64_t id, occupation *out);
err_code cs_occ_of_taxpayer(db *d, arena *a, int64_t ente_id, int64_t taxpayer_id, occupation **out, size_t *n);
/* Locks the row (PostgreSQL FOR UPDATE) and reads it. */
err_code cs_occ_lock(db *d, arena *a, int64_t ente_id, int64_t case_id, occupation *out);
err_code cs_occ_set_data(db *d, const occupation *o);
/* state, decision, photos, inspection, holder and cessation of o */
err_code cs_occ_set_state(db *d, const occupation *o);
err_code cs_occ_set_act(db *d, const occupation *o);
err_code cs_occ_set_sent(db *d, int64_t ente_id, int64_t id, int64_t at);
err_code cs_occ_set_paid(db *d, int64_t ente_id, int64_t id, int64_t paid_at, const char *due,
                         int64_t *changed);
err_code cs_occ_set_reported(db *d, int64_t ente_id, int64_t id, int64_t at, int64_t *changed);
/* Occupations (every Ente) whose act is paid and whose report is not
 * scheduled: ids and Enti, and when the act was last changed. */
typedef struct {
  int64_t id, ente_id, paid_at;
} cs_paid;
err_code cs_occ_paid_unscheduled(db *d, arena *a, cs_paid **out, size_t *n);
/* The first consented e-mail (or PEC) of the taxpayer, or NULL. */
err_code cs_taxpayer_email(db *d, arena *a, int64_t ente_id, int64_t taxpayer_id, char **out);

#endif
