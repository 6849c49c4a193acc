/* What the files of the services area share (not SQL: that is
 * services_store.h). Private to src/domain/services. */
#ifndef SP_SERVICES_INTERNAL_H
#define SP_SERVICES_INTERNAL_H
#include "domain/services/services.h"

/* A payment to issue for an application (payments.c). */
typedef struct {
  const svc_app *app;     /* submitted, with its applicant */
  const char *case_label; /* the request number, in the act's description */
  const char *kind;       /* "advance" | "deferred" | "stamp" */
  const char *revenue;    /* revenue type code */
  int64_t amount_cents;
  int64_t requested_by; /* the operator (deferred), else 0 */
} svc_pay_in;

/* Inside the caller's transaction: the act with its notice (the applicant
 * found or registered in the registry), the service_payment row and an
 * audit row; act gets the act as stored, with its options. Problems on
 * field "payment". */
err_code svc_issue_payment(db *d, arena *a, const actor *who, const svc_pay_in *in, debt_act *act,
                           problems *pbs);

/* Checks how the stamp duty is paid (stamp.c); out gets what to record.
 * Problems on "_bollo", "_bollo_seriale", "_bollo_data". */
err_code svc_stamp_check(db *d, arena *a, int64_t ente_id, const svc_stamp_in *in, svc_stamp *out,
                         problems *pbs);
/* Inside the caller's transaction, once the application x exists: the
 * stamp row, the pagoPA act when paid so, an audit row. */
err_code svc_stamp_record(db *d, arena *a, const actor *who, const svc_app *x,
                          const char *case_label, svc_stamp *st, problems *pbs);

#endif
