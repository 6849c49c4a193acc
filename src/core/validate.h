/* Validators for codes typed by people. Each returns NULL when the value is
 * valid, else a static Italian sentence saying why (for a `problem`). They
 * expect trimmed input; codes should pass through normalize_code first. */
#ifndef SP_VALIDATE_H
#define SP_VALIDATE_H
#include "core/date.h"

/* Person's codice fiscale: 16 chars, omocodia allowed (digits in positions
 * 7-8, 10-11, 13-15 replaced by LMNPQRSTUV), month letter, day 1-31 (men) or
 * 41-71 (women), a real date in either century, check character. Uppercase
 * only. */
const char *validate_codice_fiscale(const char *cf);
/* 11 digits, Luhn check digit, matricola (first 7 digits) not all zero.
 * Office codes outside the known list are accepted: see
 * partita_iva_warning. */
const char *validate_partita_iva(const char *p);
/* The numeric codice fiscale of companies and Enti: the partita IVA rules,
 * with messages that speak of the codice fiscale. */
const char *validate_cf_numeric(const char *s);
/* For a valid partita IVA whose office code (digits 8-10) is not in the
 * known list (001-100, 120, 121, 888, 999): an Italian warning to show the
 * user without refusing the value. NULL otherwise (also for invalid ones). */
const char *partita_iva_warning(const char *p);
/* 16 chars -> person rules; 11 digits -> partita IVA rules (the numeric
 * codice fiscale of companies and Enti); anything else is an error. */
const char *validate_fiscal_code_any(const char *s);
/* ISO 13616: 15-34 chars, country letters, check digits, length for the
 * country where known, mod 97; for IT also 27 chars, ABI/CAB digits and
 * the Italian CIN letter. Expects uppercase, no spaces. */
const char *validate_iban(const char *iban);
/* validate_iban, and the account must be Italian (IT). */
const char *validate_iban_it(const char *iban);
/* Pragmatic address check: one @, local part 1..64 of the RFC 5322 atom
 * characters and dots (not first, last or doubled), domain of at least two
 * dot-separated labels [A-Za-z0-9-] (1..63, no leading/trailing hyphen),
 * alphabetic or "xn--" top-level label, total <= 254. */
const char *validate_email(const char *s);
/* Italian mobile: optional +39 / 0039, then 3 and 8-9 more digits; spaces
 * anywhere are ignored. */
const char *validate_mobile(const char *s);
/* A valid mobile in E.164 form ("+393331234567"); 0 ok, -1 invalid. */
int mobile_normalize(const char *s, char out[16]);
/* Upper-cases ASCII letters and removes whitespace, in place. */
void normalize_code(char *s);
/* Decodes a valid person CF. Century: yy <= ref_year % 100 -> 2000s, else
 * 1900s (falling back to the other century if that date does not exist).
 * sex gets 'M' or 'F'; belfiore[5] the cadastral code of the birthplace
 * ("H501"), omocodia undone. 0 ok, -1 invalid CF. */
int cf_decode(const char *cf, int ref_year, civil_date *birth, char *sex, char belfiore[5]);

#endif
