/* Internal to the SANP endpoint: what the handler (pa_for_node.c) shares
 * with the operations (pa_payment.c, pa_receipt.c). */
#ifndef SP_SOAP_PA_INTERNAL_H
#define SP_SOAP_PA_INTERNAL_H
#include "domain/debt/debt.h"
#include "soap/sanp.h"
#include "soap/soap.h"

/* One request being answered. */
typedef struct {
  request *rq;
  arena *a;
  db *d;
  sanp_request req;
  ente e; /* the Ente of idPA */
  char today[11];
  actor who; /* {"pagopa", 0} */
  /* the answer */
  char *xml;
  size_t len;
  int status;
} pa_ctx;

/* Fills the answer with outcome KO and the fault of rc (ERR_* with its
 * PAA_* in ERR_LIST), with a description (printf style, English). */
void pa_ko(pa_ctx *c, err_code rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The same with a fault given directly. */
void pa_ko_fault(pa_ctx *c, sanp_fault f, const char *description);
/* Encoders report ERR_INVALID when our data would break the XSD: a bug or
 * bad data, answered PAA_SYSTEM_ERROR and logged. */
void pa_encode_failed(pa_ctx *c, const sanp_error *se);

/* The first max characters (code points) of a UTF-8 string (NULL stays
 * NULL). */
const char *pa_text(arena *a, const char *s, size_t max);

/* The operations; each fills c->xml (OK or KO). */
void pa_verify(pa_ctx *c);
void pa_get_payment(pa_ctx *c);
void pa_send_rt(pa_ctx *c);
void pa_demand(pa_ctx *c);

#endif
