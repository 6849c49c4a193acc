/* pagoPA SANP 3.x, EC side (paForNode.wsdl): decoding of the six requests
 * the Nodo sends us and encoding of our responses, SOAP 1.1 document/literal.
 * The contract is ../shared/spec/pagopa/pagopa-api-SANP3.13.0/wsdl/xsd/
 * paForNode.xsd: every field is checked against its XSD facets on the way
 * in (a violation is a decode error carrying PAA_SINTASSI_XSD, or
 * PAA_SINTASSI_EXTRAXSD for what is outside the body's schema: envelope,
 * SOAPAction, well-formedness, limits) and on the way out (an encoder
 * refuses data the Nodo would reject). Pure functions: no database, no
 * network. Everything decoded lives in the caller's arena. Money is int64
 * cents; optional fields are NULL (strings) or have a has_ flag. */
#ifndef SP_SOAP_SANP_H
#define SP_SOAP_SANP_H
#include <stddef.h>
#include <stdint.h>
#include "core/arena.h"
#include "core/date.h"
#include "core/error.h"
#include "domain/pagopa/pagopa_xml.h"

#define SANP_NS_SOAP "http://schemas.xmlsoap.org/soap/envelope/"
#define SANP_NS_PAFN "http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd"

typedef enum {
  SANP_OP_NONE = 0,
  SANP_OP_VERIFY,         /* paVerifyPaymentNotice */
  SANP_OP_GET_PAYMENT,    /* paGetPayment */
  SANP_OP_GET_PAYMENT_V2, /* paGetPaymentV2 */
  SANP_OP_SEND_RT,        /* paSendRT */
  SANP_OP_SEND_RT_V2,     /* paSendRTV2 */
  SANP_OP_DEMAND,         /* paDemandPaymentNotice */
  SANP_OP__COUNT
} sanp_op;

/* The SOAPAction / WSDL operation name ("paGetPaymentV2"); "" for NONE. */
const char *sanp_op_name(sanp_op op);
/* Request and response element names ("paGetPaymentV2Request", ...). */
const char *sanp_op_request_element(sanp_op op);
const char *sanp_op_response_element(sanp_op op);
/* The operation a SOAPAction header value names: surrounding blanks and
 * one pair of double quotes are removed; NONE if NULL or unknown. */
sanp_op sanp_op_from_action(const char *soap_action);

/* The faultBean codes an EC returns (SANP "faultCode e faultString",
 * Dominio EC). */
typedef enum {
  PAA_NONE = 0,
  PAA_PAGAMENTO_SCONOSCIUTO,
  PAA_PAGAMENTO_DUPLICATO,
  PAA_PAGAMENTO_IN_CORSO,
  PAA_PAGAMENTO_SCADUTO,
  PAA_PAGAMENTO_ANNULLATO,
  PAA_ATTIVA_RPT_IMPORTO_NON_VALIDO,
  PAA_ID_DOMINIO_ERRATO,
  PAA_ID_INTERMEDIARIO_ERRATO,
  PAA_STAZIONE_INT_ERRATA,
  PAA_SINTASSI_XSD,
  PAA_SINTASSI_EXTRAXSD,
  PAA_SEMANTICA,
  PAA_RECEIPT_DUPLICATA,
  PAA_SYSTEM_ERROR,
  PAA__COUNT
} sanp_fault;

typedef struct {
  sanp_fault fault;
  const char *code;   /* "PAA_PAGAMENTO_SCONOSCIUTO" */
  const char *string; /* the standard faultString */
} sanp_fault_info;

/* The table, PAA__COUNT - 1 rows in enum order (PAA_NONE excluded). */
const sanp_fault_info *sanp_fault_table(size_t *n);
const char *sanp_fault_code(sanp_fault f);   /* "" for PAA_NONE */
const char *sanp_fault_string(sanp_fault f); /* "" for PAA_NONE */
sanp_fault sanp_fault_from_code(const char *code);

/* A decode or encode failure. field is the XSD path of the offending
 * element ("paSendRTV2Request/receipt/transferList/transfer[2]/
 * transferAmount"), empty when not about a field; description is English
 * (it goes into faultBean.description) and names the field. */
typedef struct {
  sanp_fault fault; /* PAA_SINTASSI_XSD or PAA_SINTASSI_EXTRAXSD (decode);
                       PAA_SYSTEM_ERROR (encode) */
  sanp_op op;       /* the operation, when known (so the KO can be built) */
  char field[160];
  char description[384];
} sanp_error;

/* ---- common types ---------------------------------------------------- */

typedef struct {
  const char *key, *value; /* stText140 */
} sanp_map_entry;

typedef struct {
  sanp_map_entry *entries; /* ctMetadata: 1..15 entries; n == 0: absent */
  size_t n;
} sanp_metadata;

typedef struct {
  const char *fiscal_code;   /* stFiscalCodePA: 11 digits */
  const char *notice_number; /* stNoticeNumber: 18 digits */
} sanp_qr_code;

typedef struct {
  char id_type;         /* entityUniqueIdentifierType 'F' or 'G' */
  const char *id_value; /* 2..16 */
  const char *full_name;
  const char *street_name, *civic_number, *postal_code, *city, *state_province_region;
  const char *country; /* [A-Z]{2} */
  const char *email;
} sanp_subject;

typedef enum { SANP_TRANSFER_TYPE_NONE = 0, SANP_TRANSFER_POSTAL, SANP_TRANSFER_PAGOPA } sanp_transfer_type;

typedef enum { SANP_OPTION_EQ = 0, SANP_OPTION_LS, SANP_OPTION_GT, SANP_OPTION_ANY } sanp_amount_option;

/* One transfer (ctTransferPA, ctTransferPAV2, ctTransferPAReceiptV2). Exactly
 * one of iban / the stamp request (paGetPaymentV2 only) / mbd (paSendRTV2
 * only) is set. company_name exists only in the V2 types (ignored by V1). */
typedef struct {
  int id_transfer;      /* 1..5 */
  int64_t amount_cents; /* stAmountNotZero */
  const char *fiscal_code_pa;
  const char *company_name;
  const char *iban; /* stIBAN, 1..35 */
  /* richiestaMarcaDaBollo: hash set means the request is there */
  const char *stamp_hash;     /* hashDocumento, base64, 4..72 chars */
  const char *stamp_type;     /* tipoBollo, "01" */
  const char *stamp_province; /* provinciaResidenza, [A-Z]{2} */
  /* MBDAttachment: the base64 text as received and its decoded bytes (the
   * Agenzia Entrate marcaDaBollo XML) */
  const char *mbd_base64;
  const unsigned char *mbd;
  size_t mbd_len;
  const char *remittance_information; /* stText140 */
  const char *transfer_category;      /* stText140 (taxonomy code) */
  sanp_metadata metadata;
} sanp_transfer;

/* ---- requests -------------------------------------------------------- */

typedef struct {
  const char *id_pa, *id_broker_pa, *id_station; /* stText35 */
} sanp_caller;

typedef struct {
  sanp_caller caller;
  sanp_qr_code qr;
} sanp_verify_req;

typedef struct { /* paGetPaymentReq and paGetPaymentV2Request */
  sanp_caller caller;
  sanp_qr_code qr;
  int has_amount;
  int64_t amount_cents;
  const char *payment_note; /* stText210 */
  sanp_transfer_type transfer_type;
  int has_due_date;
  civil_date due_date;
} sanp_get_payment_req;

typedef struct { /* ctReceipt and ctReceiptV2 */
  const char *receipt_id;
  const char *notice_number;
  const char *fiscal_code;
  int outcome_ok; /* outcome "OK" (1) or "KO" (0) */
  const char *creditor_reference_id;
  int64_t payment_amount_cents; /* stAmount: may be 0.00 */
  const char *description, *company_name, *office_name;
  sanp_subject debtor;
  sanp_transfer *transfers; /* 1..5 */
  size_t n_transfers;
  const char *id_psp, *psp_fiscal_code, *psp_partita_iva, *psp_company_name;
  const char *id_channel, *channel_description;
  int has_payer;
  sanp_subject payer;
  const char *payment_method;
  const char *payment_note; /* V2 */
  int has_fee;
  int64_t fee_cents;
  int has_primary_ci_incurred_fee; /* V2 */
  int64_t primary_ci_incurred_fee_cents;
  const char *id_bundle, *id_ci_bundle; /* V2 */
  const char *payment_date_time;        /* as received, NULL if absent */
  pagopa_datetime payment_dt;           /* parsed, when present */
  int has_application_date, has_transfer_date;
  civil_date application_date, transfer_date;
  sanp_metadata metadata;
  int stand_in; /* -1 absent, 0 false, 1 true */
} sanp_receipt;

typedef struct {
  sanp_caller caller;
  sanp_receipt receipt;
} sanp_send_rt_req;

typedef struct {
  sanp_caller caller;
  const char *id_servizio;          /* 5 chars */
  const char *id_soggetto_servizio; /* 5 chars */
  const char *dati_base64;          /* datiSpecificiServizioRequest as received */
  const unsigned char *dati;        /* ... decoded */
  size_t dati_len;
} sanp_demand_req;

typedef struct {
  sanp_op op;
  /* The whole request as received (NUL-terminated copy in the arena): the
   * receipt to store for paSendRT/paSendRTV2. */
  const char *raw_xml;
  size_t raw_len;
  union {
    sanp_verify_req verify;           /* SANP_OP_VERIFY */
    sanp_get_payment_req get_payment; /* SANP_OP_GET_PAYMENT, _V2 */
    sanp_send_rt_req send_rt;         /* SANP_OP_SEND_RT, _V2 */
    sanp_demand_req demand;           /* SANP_OP_DEMAND */
  } u;
} sanp_request;

typedef struct {
  size_t max_bytes; /* the whole envelope */
  int max_depth;    /* element nesting, Envelope = 1 */
} sanp_limits;
#define SANP_DEFAULT_MAX_BYTES ((size_t)1 << 20)
#define SANP_DEFAULT_MAX_DEPTH 24

/* Decodes one request. soap_action is the HTTP SOAPAction header (NULL if
 * absent); limits NULL means the defaults. ERR_OK and *out filled, or
 * ERR_BAD_REQUEST and *err filled (err->op is the operation when the
 * SOAPAction or the body named one, so a KO of that operation can be
 * returned; SANP_OP_NONE otherwise: answer with sanp_encode_soap_fault).
 * Never crashes, whatever the input. */
err_code sanp_decode(arena *a, const char *soap_action, const char *body, size_t len,
                     const sanp_limits *limits, sanp_request *out, sanp_error *err);

/* ---- responses ------------------------------------------------------- */

typedef struct {
  sanp_fault fault;
  const char *id;          /* faultBean.id: who emits the fault (the EC's or broker's fiscal code) */
  const char *description; /* optional free text (sanitised, never refused) */
} sanp_fault_bean;

typedef struct {        /* ctPaymentOptionDescriptionPA */
  int64_t amount_cents; /* stAmountNotZero */
  sanp_amount_option options;
  int has_due_date;
  civil_date due_date;
  const char *detail_description; /* stText140, optional */
  int all_ccp;
} sanp_payment_option;

typedef struct { /* paVerifyPaymentNoticeRes, outcome OK */
  sanp_payment_option option;
  const char *payment_description, *fiscal_code_pa, *company_name, *office_name; /* optional */
} sanp_verify_res;

typedef struct {                     /* ctPaymentPA / ctPaymentPAV2 (paGetPayment[V2] data) */
  const char *creditor_reference_id; /* stText35 (the IUV) */
  int64_t payment_amount_cents;      /* = sum of the transfers */
  civil_date due_date;
  const char *retention_date_time; /* xsd:dateTime, optional */
  int last_payment;                /* -1 absent, 0, 1 */
  const char *description;         /* stText140 */
  const char *company_name;        /* required in V2, optional in V1 */
  const char *office_name;
  sanp_subject debtor;
  const sanp_transfer *transfers; /* 1..5; V1: IBAN only */
  size_t n_transfers;
  sanp_metadata metadata;
} sanp_payment;

typedef struct { /* paDemandPaymentNoticeResponse, outcome OK */
  sanp_qr_code qr;
  sanp_payment_option option;
  const char *payment_description, *fiscal_code_pa, *company_name, *office_name; /* optional */
} sanp_demand_res;

/* Each encoder writes the whole SOAP envelope into the arena (*xml,
 * NUL-terminated, *len bytes) and returns ERR_OK, or ERR_INVALID with *err
 * naming the field that the XSD would refuse (then nothing is produced). */
err_code sanp_encode_verify_ok(arena *a, const sanp_verify_res *r, char **xml, size_t *len, sanp_error *err);
/* op is SANP_OP_GET_PAYMENT or SANP_OP_GET_PAYMENT_V2. */
err_code sanp_encode_get_payment_ok(arena *a, sanp_op op, const sanp_payment *p, char **xml, size_t *len,
                                    sanp_error *err);
/* op is SANP_OP_SEND_RT or SANP_OP_SEND_RT_V2. */
err_code sanp_encode_send_rt_ok(arena *a, sanp_op op, char **xml, size_t *len, sanp_error *err);
err_code sanp_encode_demand_ok(arena *a, const sanp_demand_res *r, char **xml, size_t *len, sanp_error *err);
/* outcome KO + faultBean, for any operation. */
err_code sanp_encode_ko(arena *a, sanp_op op, const sanp_fault_bean *f, char **xml, size_t *len,
                        sanp_error *err);
/* A SOAP 1.1 Fault (soapenv:Client) for a request whose operation could not
 * be told (answered with HTTP 500 by SOAP 1.1 rules). faultstring is the
 * PAA code, detail text the description. */
err_code sanp_encode_soap_fault(arena *a, const sanp_error *e, char **xml, size_t *len);

#endif
