/* pagoPA notice numbers (NAV, "numero avviso"), IUVs, RF creditor
 * references (ISO 11649) and the payloads of the 2D codes printed on a
 * payment notice. Pure functions: no database, no allocation, thread-safe.
 *
 * NAV layout by aux digit (SACI / SANP):
 *   0: '0' + application code (2) + IUV base (13) + check (2)   IUV = 15 digits
 *   1: '1' + IUV (17), no check digits defined by pagoPA          IUV = 17 digits
 *   2: '2' + IUV base (15) + check (2)                           IUV = 17 digits
 *   3: '3' + segregation code (2) + IUV base (13) + check (2)   IUV = 17 digits
 * check = (the number formed by every digit before it) mod 93, two digits.
 *
 * Validators return NULL when the value is valid, else a static Italian
 * sentence (like core/validate.h). */
#ifndef SP_PAGOPA_NAV_H
#define SP_PAGOPA_NAV_H
#include <stddef.h>
#include <stdint.h>
#include "core/error.h"

#define NAV_LEN 18
#define NAV_BASE_MAX 9999999999999ULL /* 13 digits */
/* "3022 0240 0000 0001 11": 18 digits + 4 spaces + NUL */
#define NAV_GROUPED_SIZE 23
/* "PAGOPA|002|" + 18 + "|" + 11 + "|" + 10 + NUL */
#define NAV_QR_SIZE 64
#define NAV_DATAMATRIX_LEN 256

typedef struct {
  int aux;      /* 0..3 */
  int code;     /* aux 0: application code, aux 3: segregation code; -1 otherwise */
  char iuv[18]; /* 15 digits (aux 0) or 17 */
  int check;    /* check digits, -1 for aux 1 */
} nav_info;

/* Builds the IUV (17 digits) and NAV (18 digits) for aux digit 3 from a
 * segregation code 0..99 and a base 0..NAV_BASE_MAX. ERR_INVALID if out of
 * range. Either output may be NULL. */
err_code nav_build_aux3(int segregation, uint64_t base, char iuv[18], char nav[19]);

/* Check digits (0..92) of a string of 1..18 decimal digits read as one
 * number; -1 if it is not such a string. */
int nav_mod93(const char *digits, size_t n);

/* A NAV: exactly 18 digits, known aux digit, right check digits. */
const char *nav_validate(const char *nav);

/* nav_validate, and splits it into its parts. ERR_INVALID if not valid
 * (out untouched). */
err_code nav_decode(const char *nav, nav_info *out);

/* A notice number as people type or read it: digits with optional spaces,
 * tabs, dots or dashes between them (e.g. the grouped form printed on the
 * notice). Writes the 18 digits to nav. NULL if it is a valid NAV, else the
 * Italian reason; nav is written only on success. */
const char *nav_parse(const char *in, char nav[19]);

/* "3022 0240 0000 0001 11": the NAV in groups of 4 for printing. Any
 * string of digits is grouped (at most 18 taken). */
void nav_format_grouped(const char *nav, char out[NAV_GROUPED_SIZE]);

/* RF creditor reference (ISO 11649): "RF", 2 check digits, 1..21 letters
 * or digits; letters in either case; spaces between groups accepted;
 * mod 97 == 1 over the rearranged string. */
const char *rf_validate(const char *ref);

/* QR payload "PAGOPA|002|<NAV>|<Ente CF>|<amount in cents>": NAV valid,
 * Ente CF 11 digits, amount 1..9999999999 cents written with at least 2
 * digits (the spec says 2..10). ERR_INVALID otherwise. */
err_code nav_qr_payload(const char *nav, const char *ente_cf, int64_t cents, char out[NAV_QR_SIZE]);

/* Reads a QR payload: version 002, a valid NAV, an 11-digit Ente CF, an
 * amount of 1..10 digits (1 digit is seen in the wild). ERR_INVALID
 * otherwise. Outputs may be NULL. */
err_code nav_qr_parse(const char *payload, char nav[19], char ente_cf[12], int64_t *cents);

/* What the Poste "bollettino PA" DataMatrix carries. */
typedef struct {
  const char *nav;            /* valid NAV */
  const char *postal_account; /* c/c postale, 1..12 digits */
  int64_t cents;              /* 1..9999999999 */
  const char *ente_cf;        /* 11 digits */
  const char *debtor_cf;      /* up to 16 characters (may be empty) */
  const char *debtor_name;    /* UTF-8, shortened to 40 */
  const char *subject;        /* UTF-8, shortened to 110 */
} nav_poste;

/* The 256-character Poste DataMatrix payload:
 *   "codfase=NBPA;" "18" NAV "12" account(12, zero-padded) "10"
 *   amount(10, zero-padded) "3" "896" "1" "P1" Ente CF(11) debtor CF(16)
 *   name(40) subject(110) 12 spaces "A"
 * Text fields are upper-cased, accented letters reduced to ASCII, other
 * characters outside printable ASCII dropped, then padded with spaces or
 * cut. ERR_INVALID for a bad NAV, account, amount or Ente CF. */
err_code nav_poste_datamatrix(const nav_poste *in, char out[NAV_DATAMATRIX_LEN + 1]);

/* Reads the fixed prefix of a Poste DataMatrix payload (through the Ente
 * CF, 77 characters): prefix, tags, a valid NAV, digits where digits go.
 * Outputs may be NULL. ERR_INVALID otherwise. */
err_code nav_poste_datamatrix_parse(const char *payload, char nav[19], char account[13], int64_t *cents,
                                    char ente_cf[12]);

#endif
