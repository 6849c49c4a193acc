/* Registry (C1): taxpayers of an Ente — persons keyed by codice fiscale
 * (omocodia included) and companies keyed by their codice fiscale (11
 * digits, or the owner's 16 characters for a sole trader) — with
 * addresses and per-channel contacts carrying consent. */
#ifndef SP_TAXPAYER_H
#define SP_TAXPAYER_H
#include <stddef.h>
#include <stdint.h>
#include "core/arena.h"
#include "core/error.h"
#include "core/problems.h"
#include "db/db.h"
#include "domain/audit/audit.h"

typedef enum { TP_PERSON = 1, TP_COMPANY = 2 } taxpayer_kind;

typedef struct {
  char *kind; /* "residenza", "domicilio", "sede_legale" */
  char *street;
  char *postal_code; /* 5 digits in Italy */
  char *city;
  char *province; /* 2 letters */
  char *country;  /* ISO 3166 alpha-2, default "IT" */
} tp_address;

typedef struct {
  char *channel; /* "email", "pec", "mobile" */
  char *value;
  int consent;        /* 1 = consents to communications on this channel */
  int64_t consent_at; /* Unix seconds when consent was recorded (0 = none) */
  char *source;       /* "sportello", "web", "email", "pec", "telefono", "api", "import" */
} tp_contact;

typedef struct {
  int64_t id;
  int64_t ente_id;
  taxpayer_kind kind;
  char *fiscal_code;  /* person: 16 chars; company: 11 digits or 16 chars */
  char *vat_number;   /* partita IVA, companies (optional for persons) */
  char *surname, *given_name; /* persons */
  char *company_name;         /* companies */
  char *birth_date;           /* "YYYY-MM-DD", persons */
  char *birth_place;
  char *sex;                  /* "M" / "F", persons */
  tp_address *addresses;
  size_t n_addresses;
  tp_contact *contacts;
  size_t n_contacts;
  int64_t created_at, updated_at;
} taxpayer;

/* Problems (core/problems.h) report every field found wrong in a taxpayer,
 * not just the first; field names are the form/API names: "fiscal_code",
 * "vat_number", "surname", "given_name", "company_name", "birth_date",
 * "sex", "addresses[0].postal_code", "contacts[1].value", ... */

/* Normalises (upper-case codes, trims), validates and stores tp with its
 * addresses and contacts and an audit row, in one transaction. On
 * ERR_INVALID / ERR_CONFLICT nothing is written and pbs (emptied first)
 * says why: every invalid field and, when the fiscal code itself is valid,
 * whether another taxpayer of the Ente has it (ERR_CONFLICT on
 * "fiscal_code"); ERR_CONFLICT alone when that is the only problem.
 * Sets tp->id. */
err_code taxpayer_create(db *d, arena *a, taxpayer *tp, const actor *who, problems *pbs);
/* The same checks (tp normalised in place; tp->id, when set, is not its
 * own duplicate), writing nothing: for a caller that has problems of its
 * own to report together with these. */
err_code taxpayer_validate(db *d, arena *a, taxpayer *tp, problems *pbs);
/* Replaces the taxpayer's data, addresses and contacts (tp->id, tp->ente_id
 * identify it; ERR_NOT_FOUND if it is not in that Ente). Problems as for
 * taxpayer_create. */
err_code taxpayer_update(db *d, arena *a, taxpayer *tp, const actor *who, problems *pbs);
/* A change computed from the stored taxpayer: edit gets the current one
 * (with addresses and contacts) and fills *next, or adds problems to pbs
 * and returns ERR_INVALID. It runs inside the transaction, and again if
 * the transaction is retried, so it must depend on its arguments only. */
typedef err_code (*taxpayer_edit_fn)(arena *a, const taxpayer *current, taxpayer *next,
                                     problems *pbs, void *ctx);
/* Reads taxpayer id of ente_id, applies edit (pbs is emptied first, so
 * edit's problems are the first), validates and stores the
 * result as taxpayer_update does (same audit action), all in one
 * transaction, so a partial change (the API's PATCH) never loses a
 * concurrent one. *saved (may be NULL) receives what was stored. */
err_code taxpayer_modify(db *d, arena *a, int64_t ente_id, int64_t id, taxpayer_edit_fn edit,
                         void *ctx, const actor *who, taxpayer *saved, problems *pbs);
/* ERR_NOT_FOUND when id does not exist in ente_id. */
err_code taxpayer_get(db *d, arena *a, int64_t ente_id, int64_t id, taxpayer *out);
err_code taxpayer_by_fiscal_code(db *d, arena *a, int64_t ente_id, const char *code,
                                 taxpayer *out);
/* What a search query is taken for: a person's codice fiscale only when it
 * is one (16 characters with a right check character), 11 digits (with or
 * without "IT") for a partita IVA / numeric codice fiscale, a name prefix
 * otherwise ("Romano Alimentari" has 16 letters but is a name); an empty
 * query lists everyone. */
typedef enum { TQ_ALL, TQ_NAME, TQ_FISCAL_CODE, TQ_NUMBER } taxpayer_query;
taxpayer_query taxpayer_query_kind(arena *a, const char *q);
/* Search in one Ente: q is a codice fiscale (exact), a partita IVA (exact),
 * or a name prefix (case-insensitive, on "SURNAME GIVEN" or company name);
 * NULL or "" pages through every taxpayer of the Ente. Results ordered by
 * name, without addresses/contacts. */
err_code taxpayer_search(db *d, arena *a, int64_t ente_id, const char *q, int limit, int offset,
                         taxpayer **out, size_t *n);
/* The same, with *total = how many match in all (every page). */
err_code taxpayer_search_page(db *d, arena *a, int64_t ente_id, const char *q, int limit,
                              int offset, taxpayer **out, size_t *n, int64_t *total);
/* Bulk load (imports, demo data): normalises and validates every row and,
 * if all are valid, inserts them in ONE transaction with ONE audit row
 * (action, e.g. "demo.import"; count, first and last id) instead of one per
 * taxpayer. On ERR_INVALID / ERR_CONFLICT nothing is written, *bad_index
 * is the row at fault and pbs its problems. Sets each tps[i].id. Rows may
 * belong to different Enti (the audit row then has ente_id 0). */
err_code taxpayer_insert_batch(db *d, arena *a, taxpayer *tps, size_t n, const char *action,
                               const actor *who, size_t *bad_index, problems *pbs);
/* Display name: "Rossi Mario" or the company name. */
const char *taxpayer_display_name(arena *a, const taxpayer *tp);

#endif
