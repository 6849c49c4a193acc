/* Streaming parser of the Flusso di Rendicontazione (FdR) XML,
 * FlussoRiversamento 1.0.4 (master) and 1.0.5 (SANP 3.13): the header is
 * handed over once, then one callback per datiSingoliPagamenti entry, so a
 * flow of a million payments is read in constant memory. Every element is
 * checked against the XSD (order, occurrences, facets); the declared totals
 * are checked against the entries at the end. The callbacks have then
 * already run: an importer runs the parse inside one transaction and rolls
 * it back on any error. Same XML safety as pagopa_xml.h (no DOCTYPE, no
 * entities, no network). */
#ifndef SP_FDR_PARSE_H
#define SP_FDR_PARSE_H
#include <stddef.h>
#include <stdint.h>
#include "core/date.h"
#include "core/error.h"
#include "domain/pagopa/pagopa_xml.h"

#define FDR_NS "http://www.digitpa.gov.it/schemas/2011/Pagamenti/"

/* The two schema versions differ only in codiceEsitoSingoloPagamento:
 * 1.0.4 allows 0, 3 (revocato), 9; 1.0.5 allows 0, 4, 8, 9. ANY accepts
 * the union (the document does not say which version it follows). */
typedef enum { FDR_SCHEMA_ANY = 0, FDR_SCHEMA_1_0_4, FDR_SCHEMA_1_0_5 } fdr_schema;

/* Text buffers hold the longest value the XSD allows (4 bytes a char). */
typedef struct {
  char versione_oggetto[8];       /* "1.0" or "1.1" */
  char identificativo_flusso[36]; /* [a-zA-Z0-9-_]{1,35} */
  pagopa_datetime data_ora_flusso;
  char identificativo_univoco_regolamento[141]; /* stText35 */
  civil_date data_regolamento;
  char mittente_tipo;                /* 'G', 'A' (ABI) or 'B' (BIC) */
  char mittente_id[141];             /* identificativoUnivocoMittente */
  char mittente_denominazione[281];  /* "" when absent */
  char bic_riversamento[141];        /* codiceBicBancaDiRiversamento, "" when absent */
  char ricevente_id[141];            /* identificativoUnivocoRicevente (the EC), type G */
  char ricevente_denominazione[561]; /* "" when absent */
  int64_t numero_totale_pagamenti;
  int64_t importo_totale_cents;
} fdr_header;

typedef struct {
  int64_t seq;           /* 1 for the first entry */
  char iuv[141];         /* identificativoUnivocoVersamento */
  char iur[141];         /* identificativoUnivocoRiscossione */
  int indice;            /* indiceDatiSingoloPagamento 1..5, 0 when absent */
  int64_t importo_cents; /* singoloImportoPagato */
  int esito;             /* codiceEsitoSingoloPagamento */
  civil_date data_esito; /* dataEsitoSingoloPagamento */
} fdr_payment;

typedef struct {
  fdr_schema schema;
  size_t max_bytes; /* 0: no limit */
  /* Called once, before the first payment; anything but ERR_OK stops the
   * parse and is returned. Either may be NULL. */
  err_code (*on_header)(void *ud, const fdr_header *h);
  err_code (*on_payment)(void *ud, const fdr_header *h, const fdr_payment *p);
  void *ud;
} fdr_options;

typedef struct {
  fdr_header header;
  int64_t count;       /* payments read */
  int64_t sum_cents;   /* their total */
  int totals_mismatch; /* the declared totals differ from the entries */
  int line;            /* where the error is, when known */
  char error[384];     /* English, "" when ERR_OK */
} fdr_result;

/* ERR_OK; ERR_TOO_LARGE over max_bytes; ERR_BAD_REQUEST for a document
 * that is not well-formed XML or has a DOCTYPE; ERR_INVALID when it breaks
 * the schema or its totals do not match (totals_mismatch set); ERR_NOT_FOUND
 * if the file cannot be opened; or what a callback returned. r->error says
 * what, naming the element and the line. */
err_code fdr_parse_memory(const char *buf, size_t len, const fdr_options *o, fdr_result *r);
err_code fdr_parse_file(const char *path, const fdr_options *o, fdr_result *r);

#endif
