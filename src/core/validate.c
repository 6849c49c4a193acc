#include "core/validate.h"
#include <stddef.h>
#include <string.h>

/* Tables of the codice fiscale algorithm (DM 23/12/1976), identical to
 * ../shared/data/codice_fiscale_tables.json. */
static const char month_letters[] = "ABCDEHLMPRST";  /* index + 1 = month */
static const char omocodia_letters[] = "LMNPQRSTUV"; /* index = digit */
/* Values of A..Z (and of 0..9 as A..J) in odd 1-based positions. */
static const int odd_values[26] = {1,  0,  5,  7,  9,  13, 15, 17, 19, 21, 2,  4,  18,
                                   20, 11, 3,  6,  8,  12, 14, 16, 10, 22, 25, 24, 23};

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static int is_alpha(char c) { return is_upper(c) || (c >= 'a' && c <= 'z'); }

/* Value of an alphanumeric char in an odd / even 1-based position. */
static int odd_value(char c) { return is_digit(c) ? odd_values[c - '0'] : odd_values[c - 'A']; }
static int even_value(char c) { return is_digit(c) ? c - '0' : c - 'A'; }

/* Check letter over n chars (CF: 15, Italian IBAN CIN: 22). */
static char check_letter(const char *s, int n) {
  int sum = 0;
  for (int i = 0; i < n; i++) sum += (i % 2 == 0) ? odd_value(s[i]) : even_value(s[i]);
  return (char)('A' + sum % 26);
}

/* Digit at a position that omocodia may have replaced by a letter; -1 if
 * neither. */
static int omo_digit(char c) {
  if (is_digit(c)) return c - '0';
  const char *p = c ? strchr(omocodia_letters, c) : NULL;
  return p ? (int)(p - omocodia_letters) : -1;
}

/* Positions (0-based) that hold digits in a non-omocodic CF. */
static int cf_digit_pos(int i) { return i == 6 || i == 7 || i == 9 || i == 10 || (i >= 12 && i <= 14); }

/* Shared by validate and decode: fields checked, date in either century. */
static const char *cf_check(const char *cf, int *yy, int *month, int *day) {
  if (!cf || strlen(cf) != 16) return "Il codice fiscale deve avere 16 caratteri.";
  for (int i = 0; i < 6; i++)
    if (!is_upper(cf[i])) return "I primi sei caratteri del codice fiscale (cognome e nome) devono essere lettere.";
  for (int i = 6; i < 15; i++)
    if (cf_digit_pos(i) && omo_digit(cf[i]) < 0)
      return "Il codice fiscale contiene un carattere non ammesso nelle posizioni di data o comune di nascita.";
  const char *mp = is_upper(cf[8]) ? strchr(month_letters, cf[8]) : NULL;
  if (!mp) return "La lettera del mese di nascita nel codice fiscale non è valida.";
  if (!is_upper(cf[11])) return "Il codice del comune di nascita nel codice fiscale deve iniziare con una lettera.";
  if (!is_upper(cf[15])) return "L'ultimo carattere del codice fiscale deve essere una lettera.";
  if (check_letter(cf, 15) != cf[15]) return "Il carattere di controllo del codice fiscale non è corretto.";
  *yy = omo_digit(cf[6]) * 10 + omo_digit(cf[7]);
  *month = (int)(mp - month_letters) + 1;
  int dd = omo_digit(cf[9]) * 10 + omo_digit(cf[10]);
  *day = dd > 40 ? dd - 40 : dd;
  if (!((dd >= 1 && dd <= 31) || (dd >= 41 && dd <= 71)) ||
      (!date_valid(1900 + *yy, *month, *day) && !date_valid(2000 + *yy, *month, *day)))
    return "La data di nascita indicata nel codice fiscale non esiste.";
  return NULL;
}

const char *validate_codice_fiscale(const char *cf) {
  int yy, m, d;
  return cf_check(cf, &yy, &m, &d);
}

int cf_decode(const char *cf, int ref_year, civil_date *birth, char *sex, char belfiore[5]) {
  int yy, m, d;
  if (cf_check(cf, &yy, &m, &d)) return -1;
  int y = yy <= ref_year % 100 ? 2000 + yy : 1900 + yy;
  if (!date_valid(y, m, d)) y = y >= 2000 ? y - 100 : y + 100;
  birth->y = y;
  birth->m = m;
  birth->d = d;
  *sex = omo_digit(cf[9]) >= 4 ? 'F' : 'M';
  belfiore[0] = cf[11];
  for (int i = 0; i < 3; i++) belfiore[1 + i] = (char)('0' + omo_digit(cf[12 + i]));
  belfiore[4] = 0;
  return 0;
}

/* The rules the partita IVA and the numeric codice fiscale share: 11
 * digits, Luhn check digit, matricola (first 7 digits) not all zero.
 * 0 ok, else which rule failed (1 length, 2 digits, 3 check, 4 zero). */
static int eleven_digits(const char *p) {
  if (!p || strlen(p) != 11) return 1;
  int sum = 0, zero = 1;
  for (int i = 0; i < 11; i++) {
    if (!is_digit(p[i])) return 2;
    if (i < 7 && p[i] != '0') zero = 0;
  }
  for (int i = 0; i < 10; i++) {
    int v = p[i] - '0';
    if (i % 2 == 1) { /* even 1-based position: doubled */
      v *= 2;
      if (v > 9) v -= 9;
    }
    sum += v;
  }
  if ((10 - sum % 10) % 10 != p[10] - '0') return 3;
  return zero ? 4 : 0;
}

const char *validate_partita_iva(const char *p) {
  static const char *const why[] = {
      NULL, "La partita IVA deve essere composta da 11 cifre.",
      "La partita IVA deve contenere solo cifre.",
      "La cifra di controllo della partita IVA non è corretta.",
      "La partita IVA non è valida: il numero di matricola (prime 7 cifre) non può essere zero."};
  return why[eleven_digits(p)];
}

const char *validate_cf_numeric(const char *s) {
  static const char *const why[] = {
      NULL, "Il codice fiscale numerico deve essere composto da 11 cifre.",
      "Il codice fiscale numerico (società ed enti) deve contenere solo cifre.",
      "La cifra di controllo del codice fiscale non è corretta.",
      "Il codice fiscale non è valido: il numero di matricola (prime 7 cifre) non può essere "
      "zero."};
  return why[eleven_digits(s)];
}

const char *partita_iva_warning(const char *p) {
  if (validate_partita_iva(p)) return NULL;
  int office = (p[7] - '0') * 100 + (p[8] - '0') * 10 + (p[9] - '0');
  if ((office >= 1 && office <= 100) || office == 120 || office == 121 || office == 888 || office == 999)
    return NULL;
  return "Il codice ufficio della partita IVA (cifre 8-10) non è tra quelli noti: verifica che il numero sia corretto.";
}

const char *validate_fiscal_code_any(const char *s) {
  size_t n = s ? strlen(s) : 0;
  if (n == 16) return validate_codice_fiscale(s);
  if (n == 11) return validate_cf_numeric(s);
  return "Il codice fiscale deve avere 16 caratteri (persone) oppure 11 cifre (società ed enti).";
}

/* IBAN lengths of the SEPA countries (SWIFT IBAN registry); other
 * countries only get the generic 15..34 bound. */
static const struct {
  char cc[3];
  int len;
} iban_lengths[] = {
    {"AD", 24}, {"AT", 20}, {"BE", 16}, {"BG", 22}, {"CH", 21}, {"CY", 28}, {"CZ", 24}, {"DE", 22},
    {"DK", 18}, {"EE", 20}, {"ES", 24}, {"FI", 18}, {"FR", 27}, {"GB", 22}, {"GI", 23}, {"GR", 27},
    {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IS", 26}, {"IT", 27}, {"LI", 21}, {"LT", 20}, {"LU", 20},
    {"LV", 21}, {"MC", 27}, {"MT", 31}, {"NL", 18}, {"NO", 15}, {"PL", 28}, {"PT", 25}, {"RO", 24},
    {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"VA", 22},
};

const char *validate_iban(const char *iban) {
  size_t n = iban ? strlen(iban) : 0;
  if (n < 15 || n > 34) return "L'IBAN deve avere tra 15 e 34 caratteri.";
  if (!is_upper(iban[0]) || !is_upper(iban[1]))
    return "L'IBAN deve iniziare con la sigla del paese (due lettere maiuscole).";
  if (!is_digit(iban[2]) || !is_digit(iban[3])) return "Il terzo e il quarto carattere dell'IBAN devono essere cifre.";
  for (size_t i = 4; i < n; i++)
    if (!is_digit(iban[i]) && !is_upper(iban[i])) return "L'IBAN può contenere solo lettere maiuscole e cifre.";
  int is_it = iban[0] == 'I' && iban[1] == 'T';
  for (size_t i = 0; i < sizeof iban_lengths / sizeof iban_lengths[0]; i++)
    if (iban[0] == iban_lengths[i].cc[0] && iban[1] == iban_lengths[i].cc[1] && (int)n != iban_lengths[i].len)
      return is_it ? "Un IBAN italiano deve avere 27 caratteri." : "La lunghezza dell'IBAN non è corretta per il paese indicato.";
  int check = (iban[2] - '0') * 10 + (iban[3] - '0');
  unsigned rem = 0; /* ISO 7064 mod 97-10 over BBAN + country + check digits */
  for (size_t k = 0; k < n; k++) {
    char c = iban[(k + 4) % n];
    if (is_digit(c))
      rem = (rem * 10 + (unsigned)(c - '0')) % 97;
    else
      rem = (rem * 100 + (unsigned)(c - 'A' + 10)) % 97;
  }
  if (rem != 1 || check < 2 || check > 98) return "Le cifre di controllo dell'IBAN non sono corrette.";
  if (is_it) {
    if (!is_upper(iban[4])) return "Il CIN dell'IBAN (quinto carattere) deve essere una lettera.";
    for (int i = 5; i < 15; i++)
      if (!is_digit(iban[i])) return "I codici ABI e CAB dell'IBAN devono essere composti da cifre.";
    if (check_letter(iban + 5, 22) != iban[4]) return "Il CIN dell'IBAN non è corretto.";
  }
  return NULL;
}

const char *validate_iban_it(const char *iban) {
  if (!iban || strncmp(iban, "IT", 2) != 0) return "L'IBAN deve essere di un conto italiano (inizia con IT).";
  return validate_iban(iban);
}

static int email_local_char(char c) {
  return is_alpha(c) || is_digit(c) || (c && strchr("!#$%&'*+/=?^_`{|}~.-", c) != NULL);
}

const char *validate_email(const char *s) {
  static const char *bad = "L'indirizzo e-mail non è valido.";
  if (!s || !*s) return "Indica un indirizzo e-mail.";
  size_t n = strlen(s);
  if (n > 254) return "L'indirizzo e-mail è troppo lungo (massimo 254 caratteri).";
  const char *at = strchr(s, '@');
  if (!at || strchr(at + 1, '@')) return "L'indirizzo e-mail deve contenere una sola @.";
  size_t local = (size_t)(at - s);
  if (local < 1 || local > 64) return bad;
  for (size_t i = 0; i < local; i++) {
    if (!email_local_char(s[i])) return bad;
    if (s[i] == '.' && (i == 0 || i == local - 1 || s[i + 1] == '.')) return bad;
  }
  const char *d = at + 1;
  int labels = 0;
  for (;;) {
    const char *label = d;
    while (is_alpha(*d) || is_digit(*d) || *d == '-') d++;
    size_t len = (size_t)(d - label);
    if (len < 1 || len > 63 || label[0] == '-' || label[len - 1] == '-') return bad;
    labels++;
    if (*d == 0) {
      int alpha = 1;
      for (size_t i = 0; i < len; i++) alpha &= is_alpha(label[i]);
      if (labels < 2 || (!(alpha && len >= 2) && strncmp(label, "xn--", 4) != 0)) return bad;
      return NULL;
    }
    if (*d != '.') return bad;
    d++;
  }
}

int mobile_normalize(const char *s, char out[16]) {
  char dig[32];
  size_t n = 0;
  int plus = 0;
  for (; s && *s; s++) {
    if (*s == ' ') continue;
    if (*s == '+' && n == 0 && !plus) {
      plus = 1;
      continue;
    }
    if (!is_digit(*s) || n + 1 >= sizeof dig) return -1;
    dig[n++] = *s;
  }
  dig[n] = 0;
  const char *p = dig;
  if (plus) {
    if (strncmp(p, "39", 2) != 0) return -1;
    p += 2;
  } else if (strncmp(p, "0039", 4) == 0) {
    p += 4;
  }
  size_t len = strlen(p);
  if (p[0] != '3' || len < 9 || len > 10) return -1;
  memcpy(out, "+39", 3);
  memcpy(out + 3, p, len + 1);
  return 0;
}

const char *validate_mobile(const char *s) {
  char out[16];
  if (!s || !*s) return "Indica un numero di cellulare.";
  if (mobile_normalize(s, out))
    return "Il numero di cellulare non è valido: deve iniziare con 3 e avere 9 o 10 cifre (prefisso +39 facoltativo).";
  return NULL;
}

void normalize_code(char *s) {
  char *w = s;
  for (; *s; s++) {
    char c = *s;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') continue;
    if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
    *w++ = c;
  }
  *w = 0;
}
