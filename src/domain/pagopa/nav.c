/* NAV / IUV / RF rules and 2D-code payloads (see nav.h). */
#include "domain/pagopa/nav.h"
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int all_digits(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9') return 0;
  return 1;
}

int nav_mod93(const char *digits, size_t n) {
  if (!digits || n == 0 || n > 18 || !all_digits(digits, n)) return -1;
  uint64_t r = 0;
  for (size_t i = 0; i < n; i++) r = (r * 10 + (uint64_t)(digits[i] - '0')) % 93;
  return (int)r;
}

err_code nav_build_aux3(int segregation, uint64_t base, char iuv[18], char nav[19]) {
  if (segregation < 0 || segregation > 99 || base > NAV_BASE_MAX) return ERR_INVALID;
  char n[19];
  snprintf(n, sizeof n, "3%02d%013" PRIu64, segregation, base);
  int check = nav_mod93(n, 16);
  snprintf(n + 16, 3, "%02d", check);
  if (nav) memcpy(nav, n, 19);
  if (iuv) memcpy(iuv, n + 1, 18);
  return ERR_OK;
}

/* Splits a syntactically valid 18-digit string; -1 if the check fails. */
static int decode(const char *nav, nav_info *out) {
  int aux = nav[0] - '0';
  int check = (nav[16] - '0') * 10 + (nav[17] - '0');
  out->aux = aux;
  out->code = -1;
  out->check = -1;
  switch (aux) {
    case 0:
      /* the leading 0 does not change the number: check over app code + base */
      if (nav_mod93(nav, 16) != check) return -1;
      out->code = (nav[1] - '0') * 10 + (nav[2] - '0');
      out->check = check;
      memcpy(out->iuv, nav + 3, 15);
      out->iuv[15] = 0;
      return 0;
    case 1:
      memcpy(out->iuv, nav + 1, 17);
      out->iuv[17] = 0;
      return 0;
    case 2:
    case 3:
      if (nav_mod93(nav, 16) != check) return -1;
      if (aux == 3) out->code = (nav[1] - '0') * 10 + (nav[2] - '0');
      out->check = check;
      memcpy(out->iuv, nav + 1, 17);
      out->iuv[17] = 0;
      return 0;
    default:
      return -1;
  }
}

const char *nav_validate(const char *nav) {
  if (!nav || strlen(nav) != NAV_LEN || !all_digits(nav, NAV_LEN))
    return "Il codice avviso deve avere 18 cifre.";
  if (nav[0] > '3') return "Il codice avviso deve iniziare con 0, 1, 2 o 3.";
  nav_info info;
  if (decode(nav, &info) != 0) return "Il codice avviso non è corretto (cifre di controllo errate).";
  return NULL;
}

err_code nav_decode(const char *nav, nav_info *out) {
  if (nav_validate(nav)) return ERR_INVALID;
  nav_info info;
  decode(nav, &info);
  *out = info;
  return ERR_OK;
}

const char *nav_parse(const char *in, char nav[19]) {
  if (!in) return "Il codice avviso è obbligatorio.";
  char buf[19];
  size_t n = 0, len = strlen(in);
  if (len > 64) return "Il codice avviso è troppo lungo.";
  for (size_t i = 0; i < len; i++) {
    char c = in[i];
    if (c >= '0' && c <= '9') {
      if (n == NAV_LEN) return "Il codice avviso deve avere 18 cifre.";
      buf[n++] = c;
    } else if (c == ' ' || c == '\t' || c == '.' || c == '-') {
      /* separators people and printed notices use */
    } else {
      return "Il codice avviso può contenere solo cifre.";
    }
  }
  buf[n] = 0;
  const char *why = nav_validate(buf);
  if (why) return why;
  memcpy(nav, buf, 19);
  return NULL;
}

void nav_format_grouped(const char *nav, char out[NAV_GROUPED_SIZE]) {
  size_t w = 0;
  for (size_t i = 0; nav && nav[i] && i < NAV_LEN; i++) {
    if (i > 0 && i % 4 == 0) out[w++] = ' ';
    out[w++] = nav[i];
  }
  out[w] = 0;
}

/* value of an ISO 11649 / 13616 character: digits 0-9, letters 10-35 */
static int alnum_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  return -1;
}

const char *rf_validate(const char *ref) {
  if (!ref) return "Il riferimento RF è obbligatorio.";
  char s[26];
  size_t n = 0;
  for (const char *p = ref; *p; p++) {
    if (*p == ' ') continue;
    if (alnum_value(*p) < 0) return "Il riferimento RF può contenere solo lettere e cifre.";
    if (n == 25) return "Il riferimento RF è troppo lungo (massimo 25 caratteri).";
    s[n++] = *p;
  }
  if (n < 5) return "Il riferimento RF è troppo corto.";
  if (toupper((unsigned char)s[0]) != 'R' || toupper((unsigned char)s[1]) != 'F' || !all_digits(s + 2, 2))
    return "Il riferimento RF deve iniziare con RF e due cifre di controllo.";
  /* reference first, then "RF" and the check digits; mod 97 digit by digit */
  unsigned r = 0;
  for (size_t k = 0; k < n; k++) {
    int v = alnum_value(s[(k + 4) % n]);
    r = (v >= 10 ? r * 100 : r * 10) + (unsigned)v;
    r %= 97;
  }
  if (r != 1) return "Il riferimento RF non è corretto (cifre di controllo errate).";
  return NULL;
}

static int valid_cents(int64_t cents) { return cents >= 1 && cents <= 9999999999LL; }

static int valid_ente_cf(const char *cf) { return cf && strlen(cf) == 11 && all_digits(cf, 11); }

err_code nav_qr_payload(const char *nav, const char *ente_cf, int64_t cents, char out[NAV_QR_SIZE]) {
  if (nav_validate(nav) || !valid_ente_cf(ente_cf) || !valid_cents(cents)) return ERR_INVALID;
  snprintf(out, NAV_QR_SIZE, "PAGOPA|002|%s|%s|%02" PRId64, nav, ente_cf, cents);
  return ERR_OK;
}

err_code nav_qr_parse(const char *payload, char nav[19], char ente_cf[12], int64_t *cents) {
  static const char head[] = "PAGOPA|002|";
  if (!payload || strncmp(payload, head, sizeof head - 1) != 0) return ERR_INVALID;
  const char *p = payload + sizeof head - 1;
  /* NAV(18) '|' CF(11) '|' amount(1..10) */
  if (strlen(p) < 18 + 1 + 11 + 1 + 1 || p[18] != '|' || p[30] != '|') return ERR_INVALID;
  char n[19], cf[12];
  memcpy(n, p, 18);
  n[18] = 0;
  memcpy(cf, p + 19, 11);
  cf[11] = 0;
  const char *a = p + 31;
  size_t alen = strlen(a);
  if (nav_validate(n) || !valid_ente_cf(cf) || alen < 1 || alen > 10 || !all_digits(a, alen))
    return ERR_INVALID;
  int64_t v = 0;
  for (size_t i = 0; i < alen; i++) v = v * 10 + (a[i] - '0');
  if (!valid_cents(v)) return ERR_INVALID;
  if (nav) memcpy(nav, n, 19);
  if (ente_cf) memcpy(ente_cf, cf, 12);
  if (cents) *cents = v;
  return ERR_OK;
}

/* Upper-case printable ASCII of a UTF-8 string, Latin-1 letters reduced to
 * their base letter, anything else dropped; written into w chars of out,
 * padded with spaces (no NUL). */
static void put_text(char *out, size_t w, const char *s) {
  /* U+00C0..U+00FF; '.' = drop */
  static const char latin1[] = "AAAAAAACEEEEIIIIDNOOOOO.OUUUUY.SAAAAAAACEEEEIIIIDNOOOOO.OUUUUY.Y";
  size_t n = 0;
  const unsigned char *p = (const unsigned char *)(s ? s : "");
  while (*p && n < w) {
    unsigned c = *p;
    if (c < 0x80) {
      out[n++] = (c < 0x20 || c == 0x7f) ? ' ' : (char)toupper((int)c);
      p++;
    } else if ((c == 0xC3) && (p[1] & 0xC0) == 0x80) {
      char m = latin1[p[1] & 0x3F];
      if (m != '.') out[n++] = m;
      p += 2;
    } else {
      /* skip the whole multi-byte sequence */
      p++;
      while ((*p & 0xC0) == 0x80) p++;
    }
  }
  memset(out + n, ' ', w - n);
}

err_code nav_poste_datamatrix(const nav_poste *in, char out[NAV_DATAMATRIX_LEN + 1]) {
  size_t alen = in->postal_account ? strlen(in->postal_account) : 0;
  if (nav_validate(in->nav) || alen < 1 || alen > 12 || !all_digits(in->postal_account, alen) ||
      !valid_cents(in->cents) || !valid_ente_cf(in->ente_cf))
    return ERR_INVALID;
  int n = snprintf(out, NAV_DATAMATRIX_LEN + 1, "codfase=NBPA;18%s12%012" PRIu64 "10%010" PRId64 "38961P1%s",
                   in->nav, (uint64_t)0, in->cents, in->ente_cf);
  /* the account as given, left-padded with zeros to 12 */
  memcpy(out + 35 + 12 - alen, in->postal_account, alen);
  put_text(out + n, 16, in->debtor_cf);
  put_text(out + n + 16, 40, in->debtor_name);
  put_text(out + n + 56, 110, in->subject);
  memset(out + n + 166, ' ', 12);
  out[n + 178] = 'A';
  out[n + 179] = 0;
  return ERR_OK;
}

err_code nav_poste_datamatrix_parse(const char *payload, char nav[19], char account[13], int64_t *cents,
                                    char ente_cf[12]) {
  static const char head[] = "codfase=NBPA;18";
  if (!payload || strlen(payload) < 77 || strncmp(payload, head, sizeof head - 1) != 0) return ERR_INVALID;
  const char *p = payload;
  if (memcmp(p + 33, "12", 2) || memcmp(p + 47, "10", 2) || memcmp(p + 59, "38961P1", 7)) return ERR_INVALID;
  if (!all_digits(p + 35, 12) || !all_digits(p + 49, 10) || !all_digits(p + 66, 11)) return ERR_INVALID;
  char n[19];
  memcpy(n, p + 15, 18);
  n[18] = 0;
  if (nav_validate(n)) return ERR_INVALID;
  int64_t v = 0;
  for (int i = 0; i < 10; i++) v = v * 10 + (p[49 + i] - '0');
  if (nav) memcpy(nav, n, 19);
  if (account) {
    memcpy(account, p + 35, 12);
    account[12] = 0;
  }
  if (cents) *cents = v;
  if (ente_cf) {
    memcpy(ente_cf, p + 66, 11);
    ente_cf[11] = 0;
  }
  return ERR_OK;
}
