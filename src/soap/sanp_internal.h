/* Shared by the SANP codec files: the XSD simple types, the decoding cursor
 * over a tree and the escaping writer. Not for use outside src/soap. */
#ifndef SP_SOAP_SANP_INTERNAL_H
#define SP_SOAP_SANP_INTERNAL_H
#include <libxml/tree.h>
#include "core/strbuf.h"
#include "soap/sanp.h"

/* The string simple types of paForNode.xsd and sac-common-types-1.0.xsd. */
typedef enum {
  ST_STRING, /* xsd:string, no facet */
  ST_TEXT16,
  ST_TEXT20,
  ST_TEXT35,
  ST_TEXT70,
  ST_TEXT140,
  ST_TEXT210,
  ST_FISCAL_CODE_PA,    /* [0-9]{11} */
  ST_NOTICE_NUMBER,     /* [0-9]{18} */
  ST_IBAN,              /* 1..35 */
  ST_NAZIONE_PROVINCIA, /* [A-Z]{2} */
  ST_EMAIL,             /* stEMail pattern, <= 256 */
  ST_ENTITY_TYPE,       /* F | G */
  ST_ENTITY_VALUE,      /* 2..16 */
  ST_LEN5,              /* stIdentificativoServizio / stIdentificativoSoggettoServizio */
  ST_TIPO_BOLLO,        /* "01" */
  ST_BASE64_72,         /* base64Binary of 4..72 characters */
} sanp_stype;

/* NULL if v is a valid lexical value of t, else why not (English). */
const char *sanp_check_string(sanp_stype t, const char *v);
/* Decodes xsd:base64Binary (blanks ignored) into the arena; -1 if invalid. */
int sanp_base64_decode(arena *a, const char *b64, const unsigned char **out, size_t *len);

/* ---- decoding: a cursor over the element children of a node ---------- */
typedef struct {
  arena *a;
  sanp_error *err;
  char path[160];
  size_t plen;
  int failed; /* sticky: every d_* is a no-op once set */
} dctx;

typedef struct {
  xmlNode *parent;
  xmlNode *cur; /* next element child not yet taken */
} dseq;

void d_fail(dctx *d, const char *leaf, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void d_push(dctx *d, const char *name);
void d_pop(dctx *d);
/* Element-only content: no attributes, no text but blanks. */
void d_open(dctx *d, dseq *s, xmlNode *parent);
/* The next element child if it is `name` (unqualified); NULL otherwise, a
 * failure if required. */
xmlNode *d_take(dctx *d, dseq *s, const char *name, int required);
/* Fails if element children are left. */
void d_close(dctx *d, dseq *s);
/* Simple content of n (no attributes, no child element), in the arena. */
const char *d_text(dctx *d, xmlNode *n);

/* Typed leaves: return the value (or 1 when present for the numeric ones),
 * NULL / 0 when absent or failed. */
const char *d_str(dctx *d, dseq *s, const char *name, sanp_stype t, int required);
int d_amount(dctx *d, dseq *s, const char *name, int not_zero, int required, int64_t *cents);
int d_date(dctx *d, dseq *s, const char *name, int required, civil_date *out);
int d_datetime(dctx *d, dseq *s, const char *name, int required, const char **raw, pagopa_datetime *out);
int d_bool(dctx *d, dseq *s, const char *name, int required, int *out);
const char *d_base64(dctx *d, dseq *s, const char *name, int required, const unsigned char **bytes,
                     size_t *len);

void d_caller(dctx *d, dseq *s, sanp_caller *c);
void d_qr(dctx *d, dseq *s, sanp_qr_code *qr);
void d_subject(dctx *d, dseq *s, const char *name, int required, sanp_subject *out, int *present);
void d_metadata(dctx *d, dseq *s, sanp_metadata *m);

typedef enum { TRANSFER_V1, TRANSFER_V2_STAMP, TRANSFER_V2_MBD } transfer_kind;
void d_transfer_list(dctx *d, dseq *s, transfer_kind k, sanp_transfer **out, size_t *n);

/* Per-operation request decoders (op_*.c): body is the request element. */
void sanp_decode_verify(dctx *d, xmlNode *body, sanp_verify_req *r);
void sanp_decode_get_payment(dctx *d, xmlNode *body, sanp_get_payment_req *r);
void sanp_decode_send_rt(dctx *d, xmlNode *body, int v2, sanp_send_rt_req *r);
void sanp_decode_demand(dctx *d, xmlNode *body, sanp_demand_req *r);

/* ---- encoding: an escaping writer ------------------------------------ */
typedef struct {
  strbuf sb;
  sanp_error *err;
  char path[160];
  size_t plen;
  int failed;
} ectx;

void e_init(ectx *e, sanp_error *err, sanp_op op);
void e_fail(ectx *e, const char *leaf, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void e_open(ectx *e, const char *name);
void e_close(ectx *e, const char *name);
/* <name>v</name>; v NULL: skipped if optional, a failure if required. */
void e_str(ectx *e, const char *name, sanp_stype t, const char *v, int required);
void e_amount(ectx *e, const char *name, int64_t cents, int not_zero);
void e_date(ectx *e, const char *name, civil_date d);
void e_bool(ectx *e, const char *name, int v);
void e_subject(ectx *e, const char *name, const sanp_subject *s);
void e_qr(ectx *e, const sanp_qr_code *qr);
void e_metadata(ectx *e, const sanp_metadata *m);
void e_payment_option_list(ectx *e, const sanp_payment_option *o);
/* Envelope + response element (with outcome) around the body. */
void e_begin(ectx *e, sanp_op op, int ok);
void e_end(ectx *e, sanp_op op);
/* Moves the output into the arena; ERR_INVALID if anything failed. */
err_code e_finish(ectx *e, arena *a, char **xml, size_t *len);

#endif
