/* Canone unico patrimoniale (L. 160/2019, art. 1 c. 816 ff.): each Ente's
 * rules for the fee on occupations of public land, and the quote.
 *
 * Rules are data, loaded per Ente from a CSV with the header
 * `rule,code,value` (canone_import replaces the Ente's earlier rules in one
 * transaction; a bad row refuses the whole file, naming its line). Nothing
 * about tariffs is built in.
 *
 * The quote is integer arithmetic only: tariffs in cents, coefficients in
 * thousandths, surfaces in hundredths of a m², days as counted (a temporary
 * occupation counts its first and last day). The whole product is formed
 * exactly (128-bit) and divided once, rounding half up, to cents or to
 * whole euros: the one rounding point. Every quote carries its breakdown,
 * the lines shown on the case, on the notice and by the API. */
#ifndef SP_CANONE_H
#define SP_CANONE_H
#include <stddef.h>
#include <stdint.h>
#include "core/arena.h"
#include "core/date.h"
#include "core/error.h"
#include "core/problems.h"
#include "db/db.h"
#include "domain/audit/audit.h"
#include "domain/cases/cases.h"
#include "domain/taxpayer/taxpayer.h"

enum {
  CANONE_MAX_ROWS = 500,
  CANONE_MAX_CODE = 40,
  CANONE_MAX_TIERS = 10,
  CANONE_MAX_INSTALLMENTS = 12,
  CANONE_MAX_FILE_BYTES = 256 * 1024,
  CANONE_MAX_DAYS = 3660,         /* a temporary occupation, first and last day included */
  CANONE_MAX_SURFACE = 100000000, /* hundredths of m²: 1,000,000 m² */
  CANONE_MAX_TARIFF = 10000000,   /* cents: 100,000 euros per m² */
  CANONE_MAX_COEFF = 100000,      /* thousandths: 100 */
};

/* cents: a quote beyond this is refused */
#define CANONE_MAX_AMOUNT INT64_C(100000000000000)

typedef struct {
  char *code;
  int64_t milli; /* coefficient in thousandths (1,200 = 1200) */
} canone_coeff;

/* The part of the surface from `from` m² up to the next tier's start
 * counts at milli thousandths (surface_tier,1000,0.1: beyond 1000 m², 10%). */
typedef struct {
  int64_t from_hundredths;
  int64_t milli;
} canone_tier;

typedef struct {
  int64_t annual_cents, daily_cents; /* per m²; -1 when not configured */
  canone_coeff *zones, *uses;
  size_t n_zones, n_uses;
  canone_tier *tiers; /* ascending from_hundredths */
  size_t n_tiers;
  int surface_up;                      /* 1: fractions of a m² up to the next m² (default) */
  int result_euro;                     /* 1: the result rounded to whole euros; 0: cents (default) */
  int prorata_days;                    /* 1: a permanent occupation's first year by days left in the year */
  int64_t minimum_cents;               /* 0: none */
  int64_t installment_threshold_cents; /* 0: never in installments */
  int installments;                    /* how many above the threshold (default 4) */
  const char *revenue;                 /* the Ente's revenue code of the notices (default "CUP") */
} canone_rules;

/* One row of an Ente's rule file, as stored. */
typedef struct {
  int line;
  char *rule, *code, *value;
} canone_row;

/* Parses a rule file: every bad row is a problem whose field is
 * "riga N" and whose message says why; the file must set at least
 * annual_tariff, daily_tariff, one zone and one use. ERR_INVALID when
 * there are problems (pbs lists them all), else the rows and the rules. */
err_code canone_parse_csv(arena *a, const char *text, size_t len, canone_row **rows, size_t *n,
                          canone_rules *out, problems *pbs);
/* Replaces the Ente's rules with the file's (parse, then one db_tx that
 * deletes the old rows, inserts the new and writes the audit row
 * "canone.rules"). Nothing is written when the file has problems. */
err_code canone_import(db *d, arena *a, int64_t ente_id, const char *text, size_t len, const actor *who,
                       problems *pbs, size_t *n_rows);
/* The Ente's rules; ERR_CANONE_RULES when it has none. */
err_code canone_rules_get(db *d, arena *a, int64_t ente_id, canone_rules *out);
/* The stored rows, in file order (for `canone show`). */
err_code canone_rows_get(db *d, arena *a, int64_t ente_id, canone_row **rows, size_t *n);

/* ---- the quote (canone.c, pure) ---- */

typedef struct {
  const char *zone, *use;
  int permanent;              /* 1 permanent, 0 temporary */
  int64_t surface_hundredths; /* as declared */
  civil_date start, end;      /* end: temporary only (permanent: ignored) */
} canone_request;

/* Reads the request's text fields (API body, forms): zone, use, kind
 * (permanent|temporary), surface_m2 ("12,5" or "12.50": at most 2
 * decimals), start and end (YYYY-MM-DD; end required for temporary, not
 * before start). Every problem at once, under the field's name. */
err_code canone_request_parse(arena *a, const char *zone, const char *use, const char *kind,
                              const char *surface_m2, const char *start, const char *end, canone_request *out,
                              problems *pbs);

typedef struct {
  const char *code;  /* stable: tariff, zone, use, surface, ... */
  const char *label; /* Italian */
  const char *value; /* Italian formatting: "30,00 €", "1,200", "13 m²" */
} canone_line;

typedef struct {
  int64_t amount_cents;   /* what is due */
  int64_t computed_cents; /* before the minimum fee */
  int minimum_applied;
  int64_t surface_hundredths; /* after the surface rounding */
  int64_t days;               /* temporary: days; permanent with pro-rata: days charged; else 0 */
  int64_t days_in_year;       /* permanent with pro-rata */
  int installments;           /* 1 = single payment */
  int64_t *installment_cents; /* installments parts, summing to amount_cents */
  canone_line *lines;
  size_t n_lines;
} canone_quote;

/* The fee of q under r with its breakdown. ERR_INVALID with problems
 * (unknown zone or use, a tariff the Ente has not configured, an amount
 * out of range). */
err_code canone_compute(arena *a, const canone_rules *r, const canone_request *q, canone_quote *out,
                        problems *pbs);
/* canone_rules_get then canone_compute. */
err_code canone_quote_for(db *d, arena *a, int64_t ente_id, const canone_request *q, canone_quote *out,
                          problems *pbs);

/* Decimal text with at most `decimals` decimals ("," or "." as separator,
 * no thousands separators) to an integer of that scale: "12,5" with 2 ->
 * 1250. 0 ok, -1 malformed or above max. */
int canone_parse_decimal(const char *s, int decimals, int64_t max, int64_t *out);
/* "12,35" or "13" (hundredths, trailing zero decimals dropped). */
const char *canone_format_scaled(arena *a, int64_t v, int decimals);

/* ---- occupations of public land (occupation.c) ----
 *
 * A declaration (new, from the Ente: its systems through the API, its
 * back-office page, or a mail an operator completes) is a case of
 * category osp_nuova (3 working days) with an occupation row holding the
 * structured data. Processing it (an operator's action; idempotent)
 * computes the fee, issues the act and its pagoPA notice and enqueues the
 * job "canone.notice", which renders the notice PDF and mails it to the
 * taxpayer and, with the taxpayer's overdue positions, to the Ente. The
 * periodic job "canone.payments" finds notices paid and schedules
 * "canone.paid" for the next working day on the Ente's calendar, which
 * tells the Ente. */

typedef struct {
  int64_t id, ente_id, case_id, taxpayer_id, act_id;
  char *kind;  /* new variation cessation */
  char *state; /* declared notice_issued notice_sent paid */
  char *place, *zone, *use_code;
  int permanent;
  int64_t surface_hundredths;
  char *start_date, *end_date, *ente_email;
  int64_t amount_cents;
  char *breakdown; /* JSON array of {code,label,value} */
  int64_t notice_sent_at, paid_at;
  char *paid_report_due;
  int64_t paid_reported_at, created_at, updated_at;
  int64_t parent_id;
  char *variation;     /* holder nature surface */
  char *ente_decision; /* pending approved refused */
  int64_t decided_at;
  char *ceased_on;
  int64_t photos_requested_at;
  char *inspection_due, *inspection_on, *inspection_report;
} occupation;

typedef struct {
  int64_t ente_id;
  const char *place, *zone, *use, *kind, *surface_m2, *start, *end;
  const char *ente_email;  /* required: the Ente office that gets the copies */
  const char *ente_office; /* optional: its name */
  const char *subject;     /* optional: default from the taxpayer and the place */
  const char *note;
} occupation_input;

/* Validates the occupation data (every problem, fields named as in the
 * API: zone, use, kind, surface_m2, start, end, place, ente_email). */
err_code occupation_validate(arena *a, const occupation_input *in, canone_request *q, problems *pbs);
/* A new declaration: the taxpayer created, or updated when the Ente has
 * one with its fiscal code (problems named "taxpayer.<field>"), a case osp_nuova opened on
 * channel "ente" (protocolled, due in the category's working days) and the
 * occupation row, with an audit row, in one transaction (the caller's
 * when inside one). */
err_code occupation_declare(db *d, arena *a, const actor *who, const occupation_input *in, taxpayer *tp,
                            case_rec *c, occupation *out, problems *pbs);
/* The occupation of a case; ERR_NOT_FOUND when the case has none. */
err_code occupation_get_by_case(db *d, arena *a, int64_t ente_id, int64_t case_id, occupation *out);
err_code occupation_get(db *d, arena *a, int64_t ente_id, int64_t id, occupation *out);
/* Fills the structured data of a case that has none yet (a declaration
 * that came by mail), or changes it while no notice is issued. */
err_code occupation_complete(db *d, arena *a, const actor *who, int64_t ente_id, int64_t case_id,
                             const occupation_input *in, taxpayer *tp, occupation *out, problems *pbs);
/* Processes the declaration: fee, act and notice, job canone.notice. A
 * second call finds the act and does nothing more (ERR_OK, *again = 1). */
err_code occupation_process(db *d, arena *a, const actor *who, int64_t ente_id, int64_t case_id,
                            occupation *out, int *again, problems *pbs);

/* ---- variations and cessations (occupation_change.c) ----
 *
 * Both refer to the processed declaration they change (parent: the
 * occupation of another case of the Ente). A change of holder updates the
 * registry at once and tells the Ente; a change of nature or surface waits
 * for the Ente's decision (its page, or the CLI), and only an approval
 * computes the new fee and issues a notice for the difference (when
 * positive). A cessation gets its inspection deadline (20 days from the
 * request); the operator asks the taxpayer for photographs (the case waits
 * for the reply, which arrives by mail on the case) and records the
 * inspection, whose outcome goes to the Ente; the parent then carries the
 * cessation date and is never charged again. */

/* variation: "holder" (tp: the new holder), "nature" or "surface" (in:
 * the new zone, use, kind, surface and dates; place and ente_email may be
 * left out). ERR_INVALID with problems; ERR_CASE_STATE when the parent
 * has no notice yet or is ceased. */
err_code occupation_variation(db *d, arena *a, const actor *who, int64_t ente_id, int64_t case_id,
                              int64_t parent_case_id, const char *variation, const occupation_input *in,
                              taxpayer *tp, occupation *out, problems *pbs);
/* The Ente's decision on a pending variation: approve computes the
 * difference and issues its notice (job canone.notice) when positive;
 * ERR_CASE_STATE when nothing is pending. */
err_code occupation_variation_decide(db *d, arena *a, const actor *who, int64_t ente_id, int64_t case_id,
                                     int approve, const char *note, occupation *out, problems *pbs);
/* A cessation of the parent's occupation from day ceased_on (YYYY-MM-DD). */
err_code occupation_cessation(db *d, arena *a, const actor *who, int64_t ente_id, int64_t case_id,
                              int64_t parent_case_id, const char *ceased_on, occupation *out, problems *pbs);
/* Asks the taxpayer (the case's requester) for photographs of the
 * restored site: the case waits for the reply. */
err_code occupation_ask_photos(db *d, arena *a, const case_actor *ca, int64_t ente_id, int64_t case_id,
                               problems *pbs);
/* Records the inspection (day, report): the outcome goes to the Ente and
 * the parent is ceased. */
err_code occupation_inspection(db *d, arena *a, const actor *who, int64_t ente_id, int64_t case_id,
                               const char *day, const char *report, occupation *out, problems *pbs);

/* ---- the citizen's occupations on the portal (occupation_citizen.c) ---- */

/* The taxpayer's occupations in the Ente (declarations and their changes),
 * newest first. */
err_code occupation_of_taxpayer(db *d, arena *a, int64_t ente_id, int64_t taxpayer_id, occupation **out,
                                size_t *n);
/* 1 when o is a change still open: a variation waiting for the Ente, a
 * cessation whose inspection is not recorded. */
int occupation_change_pending(const occupation *o);

/* Who asks, and about which of their declarations (an occupation id of
 * kind new whose taxpayer is taxpayer_id). */
typedef struct {
  int64_t ente_id, taxpayer_id, parent_id;
  const char *fiscal_code, *name, *note;
} occupation_citizen_req;
/* A variation asked online: in carries the new zone, use, kind, surface
 * and dates; "surface" when only the surface changes, else "nature". The
 * case (web channel, osp_variazione, the citizen as requester) is opened
 * and the variation recorded in one transaction; it waits for the Ente.
 * ERR_NOT_FOUND when parent_id is not the taxpayer's declaration;
 * ERR_CASE_STATE (problem "parent") when it has no notice yet, is ceased
 * or has a change open; ERR_INVALID with problems for bad data. */
err_code occupation_citizen_variation(db *d, arena *a, const actor *who, const occupation_citizen_req *r,
                                      const occupation_input *in, case_rec *c, occupation *out, problems *pbs);
/* A cessation from ceased_on (YYYY-MM-DD, not before the start), the same
 * way (osp_cessazione; the inspection due in 20 days). */
err_code occupation_citizen_cessation(db *d, arena *a, const actor *who, const occupation_citizen_req *r,
                                      const char *ceased_on, case_rec *c, occupation *out, problems *pbs);
/* Opens the change from the office or the API: a case osp_variazione
 * (what = holder, nature, surface) or osp_cessazione (what = cessation,
 * ceased_on) for the taxpayer of the declaration of parent_case_id,
 * received on `channel` (email pec web counter phone ente; default
 * counter), then occupation_variation / occupation_cessation on it: one
 * transaction, nothing written when anything is refused. */
typedef struct {
  const char *what, *channel, *note, *ceased_on;
  const occupation_input *in; /* nature, surface */
  taxpayer *tp;               /* holder: the new holder */
} occupation_change_input;
err_code occupation_change_open(db *d, arena *a, const actor *who, int64_t ente_id, int64_t parent_case_id,
                                const occupation_change_input *in, case_rec *c, occupation *out,
                                problems *pbs);

/* ---- photographs of a cessation, the inspection record (photos.c) ----
 *
 * Asking for photographs (occupation_ask_photos) also makes an upload
 * link: a 128-bit random token (only its SHA-256 stored) for that one
 * case, valid OCC_PHOTO_LINK_DAYS days, taking at most OCC_PHOTO_MAX
 * photos in all. Uploaded photos arrive on the case as a message from the
 * requester with its attachments (protocolled as incoming), exactly like
 * photos sent as a reply to the mail. The inspection record adds the
 * inspector, the outcome and the operator's photos. */
enum {
  OCC_PHOTO_MAX = 10,
  OCC_PHOTO_MAX_BYTES = 4 * 1024 * 1024,
  /* the body of a request carrying them (the upload routes' limit) */
  OCC_PHOTO_UPLOAD_BYTES = OCC_PHOTO_MAX * OCC_PHOTO_MAX_BYTES + 1024 * 1024,
  OCC_PHOTO_LINK_DAYS = 30,
  OCC_PHOTO_TOKEN_HEX = 32,
};

/* One photo; mime is what the caller sniffed from the content (libmagic),
 * never what the browser said: image/jpeg and image/png are accepted. */
typedef struct {
  const char *name, *mime;
  const void *data;
  size_t size;
} occ_photo;

typedef struct {
  int64_t id, ente_id, case_id, expires_at, photos;
} occ_photo_link;

/* The link of token (ERR_NOT_FOUND: malformed or unknown) with its case
 * and occupation; *expired set when it may no longer be used. */
err_code occupation_photo_link_get(db *d, arena *a, int64_t ente_id, const char *token, occ_photo_link *out,
                                   case_rec *c, occupation *o, int *expired);
/* Uploads photos through the link: every photo checked first (type, size,
 * how many are left, expiry, the cessation still open), then one
 * transaction: the message with the attachments on the case, the link's
 * count, an audit row. ERR_INVALID with problems under "foto". */
err_code occupation_photos_upload(db *d, arena *a, int64_t ente_id, const char *token, const occ_photo *ph,
                                  size_t n, problems *pbs);

typedef struct {
  char *inspector, *outcome; /* outcome: restored | not_restored */
  int64_t photos;
} occ_inspection;

typedef struct {
  const char *day, *inspector, *outcome, *report;
  const occ_photo *photos;
  size_t n_photos;
} occ_inspection_input;
/* Records the inspection with its inspector, outcome, report and photos
 * (attached to the case as the incoming report), then as
 * occupation_inspection: the outcome to the Ente, the parent ceased. */
err_code occupation_inspection_record(db *d, arena *a, const actor *who, int64_t ente_id, int64_t case_id,
                                      const occ_inspection_input *in, occupation *out, problems *pbs);
/* ERR_NOT_FOUND when the inspection has no record (recorded before it). */
err_code occupation_inspection_get(db *d, arena *a, int64_t ente_id, int64_t case_id, occ_inspection *out);
/* The case's latest upload link, ERR_NOT_FOUND when none. */
err_code occupation_photo_link_of_case(db *d, int64_t ente_id, int64_t case_id, occ_photo_link *out);

/* What the notice mail needs (job canone.notice). */
typedef struct {
  occupation occ;
  char *case_label, *case_thread;
  char *ente_name, *ente_cf, *ente_sender;
  char *taxpayer_name, *taxpayer_cf, *taxpayer_email; /* email: a consented contact, or NULL */
  char *act_number, *act_description;
  struct debt_option_view {
    char *nav, *due_date;
    int installment;
    int64_t amount_cents;
  } * options;
  size_t n_options;
  char *arrears; /* Italian text: the taxpayer's overdue positions in the Ente */
  int64_t n_arrears;
} occupation_notice;

err_code occupation_notice_data(db *d, arena *a, int64_t ente_id, int64_t occupation_id,
                                occupation_notice *out);
/* Mails the notice (pdf attached) to the taxpayer and the copy with the
 * arrears to the Ente, registered in the protocol as outgoing; once: a
 * second call finds notice_sent_at set and sends nothing. */
err_code occupation_notice_send(db *d, arena *a, int64_t ente_id, int64_t occupation_id, const void *pdf,
                                size_t pdf_len);
/* The periodic scan: each occupation whose act is paid and not yet
 * scheduled gets its paid_report_due (the next working day after the
 * payment, on the Ente's calendar) and a job canone.paid running then.
 * *n: how many were scheduled. */
err_code occupation_payments_scan(db *d, arena *a, int64_t now, int *n);
/* Tells the Ente of the payment (outbox), once. */
err_code occupation_paid_report(db *d, arena *a, int64_t ente_id, int64_t occupation_id);
/* 08:00 in Rome on day d, as Unix seconds. */
int64_t occupation_rome_morning(civil_date d);

#endif
