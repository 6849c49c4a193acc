/* SQL of the services area (services_store.c). Private to
 * src/domain/services. Every statement names the Ente. */
#ifndef SP_SERVICES_STORE_H
#define SP_SERVICES_STORE_H
#include "domain/services/services.h"

err_code sst_insert(db *d, const service *s, int64_t *id);
/* Replaces the document-derived columns of s (by id and ente_id) and
 * bumps its version. */
err_code sst_update(db *d, const service *s);
err_code sst_get(db *d, arena *a, int64_t ente_id, int64_t id, service *out);
err_code sst_get_by_code(db *d, arena *a, int64_t ente_id, const char *code, service *out);
err_code sst_list(db *d, arena *a, int64_t ente_id, int active_only, service **out, size_t *n);


/* Applications. */
err_code sst_app_insert(db *d, const svc_app *x, int64_t *id);
/* Writes data, applicant, state, case_id, updated_at, submitted_at of x. */
err_code sst_app_update(db *d, const svc_app *x);
err_code sst_app_get(db *d, arena *a, int64_t ente_id, int64_t id, svc_app *out);
err_code sst_app_by_case(db *d, arena *a, int64_t ente_id, int64_t case_id, svc_app *out);
err_code sst_app_list(db *d, arena *a, int64_t ente_id, int64_t office_id, int64_t service_id,
                      svc_app **out, size_t *n);
err_code sst_app_recent(db *d, arena *a, int64_t ente_id, const char *cf, int64_t except_id,
                        int limit, svc_app **out, size_t *n);
err_code sst_app_of_citizen(db *d, arena *a, int64_t ente_id, const char *cf, svc_app **out,
                            size_t *n);
/* Adds or replaces the file of a field. */
err_code sst_file_put(db *d, int64_t ente_id, int64_t app_id, const char *field, const char *name,
                      const char *mime, int64_t size, const char *sha256, int64_t now);
err_code sst_files(db *d, arena *a, int64_t ente_id, int64_t app_id, svc_app_file **out,
                   size_t *n);
err_code sst_file_data(db *d, arena *a, int64_t ente_id, int64_t app_id, int64_t file_id,
                       svc_app_file *out, const void **data);

/* Payments of applications (service_payment). */
err_code sst_payment_insert(db *d, const svc_payment *p, int64_t ente_id, int64_t *id);
err_code sst_payments(db *d, arena *a, int64_t ente_id, int64_t app_id, svc_payment **out,
                      size_t *n);
/* Stamp duty (service_stamp). ERR_CONFLICT: the serial is used already. */
err_code sst_stamp_insert(db *d, int64_t ente_id, const svc_stamp *s);
err_code sst_stamp_get(db *d, arena *a, int64_t ente_id, int64_t app_id, svc_stamp *out);
/* 1 when the Ente has a stamp with this serial. */
err_code sst_stamp_serial_used(db *d, int64_t ente_id, const char *serial, int *used);
/* Answers by mail (service_mail_answer). ERR_CONFLICT: recorded already. */
err_code sst_mail_answer_insert(db *d, int64_t ente_id, int64_t app_id, int64_t mail_message_id,
                                int64_t entry_id, int64_t now);
err_code sst_app_set_appointment(db *d, int64_t ente_id, int64_t app_id, int64_t appt_id);

#endif
