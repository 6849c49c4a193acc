/* Canone unico: the rule file, the rules and the quote (see canone.h).
 * No floating point: every quantity is an integer of a fixed scale and the
 * fee is one exact product divided once (money_div_round_wide). */
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/money.h"
#include "core/text.h"
#include "domain/canone/canone.h"
#include "domain/canone/canone_store.h"

int canone_parse_decimal(const char *s, int decimals, int64_t max, int64_t *out) {
  if (!s) return -1;
  while (*s == ' ' || *s == '\t') s++;
  size_t len = strlen(s);
  while (len && (s[len - 1] == ' ' || s[len - 1] == '\t')) len--;
  int64_t v = 0;
  int int_digits = 0, frac = -1;
  for (size_t i = 0; i < len; i++) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      if (frac >= 0) {
        if (++frac > decimals) return -1;
      } else if (++int_digits > 15) {
        return -1;
      }
      v = v * 10 + (c - '0');
    } else if ((c == '.' || c == ',') && frac < 0 && int_digits > 0 && decimals > 0) {
      frac = 0;
    } else {
      return -1;
    }
  }
  if (int_digits == 0 || frac == 0) return -1;
  for (int i = frac < 0 ? 0 : frac; i < decimals; i++) v *= 10;
  if (v > max) return -1;
  *out = v;
  return 0;
}

const char *canone_format_scaled(arena *a, int64_t v, int decimals) {
  int64_t scale = 1;
  for (int i = 0; i < decimals; i++) scale *= 10;
  int neg = v < 0;
  uint64_t u = neg ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  uint64_t ip = u / (uint64_t)scale, fp = u % (uint64_t)scale;
  char digits[32], grouped[48], frac[24] = "";
  snprintf(digits, sizeof digits, "%llu", (unsigned long long)ip);
  size_t nd = strlen(digits), o = 0;
  for (size_t i = 0; i < nd; i++) {
    if (i && (nd - i) % 3 == 0) grouped[o++] = '.';
    grouped[o++] = digits[i];
  }
  grouped[o] = 0;
  if (decimals > 0 && decimals < 20 && fp) {
    size_t fl = 0;
    frac[fl++] = ',';
    for (int i = decimals - 1; i >= 0; i--) frac[fl + (size_t)i] = (char)('0' + fp % 10), fp /= 10;
    fl += (size_t)decimals;
    while (fl > 1 && frac[fl - 1] == '0') fl--;
    frac[fl] = 0;
  }
  return arena_printf(a, "%s%s%s", neg ? "-" : "", grouped, frac);
}

static const char *euros(arena *a, int64_t cents) {
  char buf[32];
  money_format_it(cents, buf);
  return arena_printf(a, "%s €", buf);
}

/* ---- the rule file ---- */

/* One CSV field at *p (RFC 4180 quotes), advanced past its comma; NULL at
 * the end of the line. *more says whether a comma followed. */
static char *csv_field(arena *a, const char **p, const char *end, int *more) {
  const char *s = *p;
  char *out = arena_alloc(a, (size_t)(end - s) + 1), *o = out;
  if (s < end && *s == '"') {
    for (s++; s < end; s++) {
      if (*s == '"' && s + 1 < end && s[1] == '"')
        *o++ = '"', s++;
      else if (*s == '"') {
        s++;
        break;
      } else
        *o++ = *s;
    }
  }
  while (s < end && *s != ',') *o++ = *s++;
  *o = 0;
  *more = s < end && *s == ',';
  if (*more) s++;
  *p = s;
  return text_trim_dup(a, out);
}

static int code_ok(const char *c) {
  size_t n = strlen(c);
  if (n < 1 || n > CANONE_MAX_CODE) return 0;
  for (const char *p = c; *p; p++)
    if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-') return 0;
  return 1;
}

static void row_problem(arena *a, problems *pbs, int line, const char *msg) {
  problems_add(a, pbs, ERR_INVALID, arena_printf(a, "riga %d", line), msg);
}

/* The rules from rows (the file's or the stored ones); every problem. */
static void rules_from_rows(arena *a, const canone_row *rows, size_t n, canone_rules *r, problems *pbs) {
  memset(r, 0, sizeof *r);
  r->annual_cents = r->daily_cents = -1;
  r->surface_up = 1;
  r->installments = 4;
  r->revenue = "CUP";
  int seen[10] = {0}; /* line of each single-valued rule */
  static const char *const single[] = {
      "annual_tariff",      "daily_tariff",          "minimum_fee",  "surface_rounding", "result_rounding",
      "first_year_prorata", "installment_threshold", "installments", "revenue",          NULL};
  size_t cap_z = 0, cap_u = 0, cap_t = 0;
  for (size_t i = 0; i < n; i++) {
    const canone_row *w = &rows[i];
    const char *code = w->code ? w->code : "";
    int64_t v = 0;
    int k = -1;
    for (int j = 0; single[j]; j++)
      if (strcmp(w->rule, single[j]) == 0) k = j;
    if (k >= 0) {
      if (*code) {
        row_problem(a, pbs, w->line,
                    arena_printf(a, "La regola %s non ha codice: lascia vuota la seconda colonna.", w->rule));
        continue;
      }
      if (seen[k]) {
        row_problem(a, pbs, w->line,
                    arena_printf(a, "La regola %s è già indicata alla riga %d.", w->rule, seen[k]));
        continue;
      }
      seen[k] = w->line;
    }
    if (k == 0 || k == 1) {
      if (canone_parse_decimal(w->value, 2, CANONE_MAX_TARIFF, &v) != 0 || v <= 0)
        row_problem(
            a, pbs, w->line,
            "La tariffa va in euro al m², maggiore di zero, con al massimo due decimali (es. 30,00).");
      else if (k == 0)
        r->annual_cents = v;
      else
        r->daily_cents = v;
    } else if (k == 2 || k == 6) {
      if (canone_parse_decimal(w->value, 2, CANONE_MAX_AMOUNT, &v) != 0)
        row_problem(a, pbs, w->line, "L'importo va in euro, con al massimo due decimali (es. 25,00).");
      else if (k == 2)
        r->minimum_cents = v;
      else
        r->installment_threshold_cents = v;
    } else if (k == 3) {
      if (strcmp(w->value, "up") == 0 || strcmp(w->value, "none") == 0)
        r->surface_up = strcmp(w->value, "up") == 0;
      else
        row_problem(a, pbs, w->line, "surface_rounding vale up (al m² superiore) o none.");
    } else if (k == 4) {
      if (strcmp(w->value, "cent") == 0 || strcmp(w->value, "euro") == 0)
        r->result_euro = strcmp(w->value, "euro") == 0;
      else
        row_problem(a, pbs, w->line, "result_rounding vale cent o euro.");
    } else if (k == 5) {
      if (strcmp(w->value, "days") == 0 || strcmp(w->value, "none") == 0)
        r->prorata_days = strcmp(w->value, "days") == 0;
      else
        row_problem(a, pbs, w->line, "first_year_prorata vale days (in proporzione ai giorni) o none.");
    } else if (k == 7) {
      if (canone_parse_decimal(w->value, 0, CANONE_MAX_INSTALLMENTS, &v) != 0 || v < 2)
        row_problem(a, pbs, w->line, "installments è il numero di rate, da 2 a 12.");
      else
        r->installments = (int)v;
    } else if (k == 8) {
      if (!code_ok(w->value) || strlen(w->value) > 20)
        row_problem(a, pbs, w->line, "revenue è il codice dell'entrata dell'Ente per il canone (es. CUP).");
      else
        r->revenue = arena_strdup(a, w->value);
    } else if (strcmp(w->rule, "zone") == 0 || strcmp(w->rule, "use") == 0) {
      int zone = w->rule[0] == 'z';
      canone_coeff **arr = zone ? &r->zones : &r->uses;
      size_t *cnt = zone ? &r->n_zones : &r->n_uses;
      int dup = 0;
      for (size_t j = 0; j < *cnt; j++)
        if (strcasecmp((*arr)[j].code, code) == 0) dup = 1;
      if (!code_ok(code))
        row_problem(a, pbs, w->line, "Il codice va da 1 a 40 caratteri tra lettere, cifre, - e _.");
      else if (dup)
        row_problem(a, pbs, w->line, arena_printf(a, "Il codice %s è già presente.", code));
      else if (canone_parse_decimal(w->value, 3, CANONE_MAX_COEFF, &v) != 0 || v <= 0)
        row_problem(a, pbs, w->line,
                    "Il coefficiente va maggiore di zero, con al massimo tre decimali (es. 1,25).");
      else {
        *arr = arena_grow(a, *arr, sizeof **arr, *cnt + 1, zone ? &cap_z : &cap_u);
        (*arr)[(*cnt)++] = (canone_coeff){arena_strdup(a, code), v};
      }
    } else if (strcmp(w->rule, "surface_tier") == 0) {
      int64_t from = 0;
      int dup = 0;
      if (canone_parse_decimal(code, 2, CANONE_MAX_SURFACE, &from) != 0 || from <= 0) {
        row_problem(a, pbs, w->line,
                    "Il codice di surface_tier è la superficie in m² da cui vale (es. 1000).");
        continue;
      }
      for (size_t j = 0; j < r->n_tiers; j++)
        if (r->tiers[j].from_hundredths == from) dup = 1;
      if (dup)
        row_problem(a, pbs, w->line, "Questo scaglione di superficie è già presente.");
      else if (r->n_tiers >= CANONE_MAX_TIERS)
        row_problem(a, pbs, w->line, "Al massimo 10 scaglioni di superficie.");
      else if (canone_parse_decimal(w->value, 3, CANONE_MAX_COEFF, &v) != 0)
        row_problem(a, pbs, w->line, "Il coefficiente dello scaglione ha al massimo tre decimali (es. 0,1).");
      else {
        r->tiers = arena_grow(a, r->tiers, sizeof *r->tiers, r->n_tiers + 1, &cap_t);
        size_t j = r->n_tiers++;
        while (j > 0 && r->tiers[j - 1].from_hundredths > from) {
          r->tiers[j] = r->tiers[j - 1];
          j--;
        }
        r->tiers[j] = (canone_tier){from, v};
      }
    } else {
      row_problem(a, pbs, w->line, arena_printf(a, "Regola sconosciuta: %s.", w->rule));
    }
  }
  if (!seen[0])
    problems_add(a, pbs, ERR_INVALID, "file", "Manca la regola annual_tariff (tariffa annua al m²).");
  if (!seen[1])
    problems_add(a, pbs, ERR_INVALID, "file", "Manca la regola daily_tariff (tariffa giornaliera al m²).");
  if (!r->n_zones)
    problems_add(a, pbs, ERR_INVALID, "file", "Serve almeno una regola zone (coefficiente di zona).");
  if (!r->n_uses)
    problems_add(a, pbs, ERR_INVALID, "file", "Serve almeno una regola use (coefficiente d'uso).");
}

err_code canone_parse_csv(arena *a, const char *text, size_t len, canone_row **rows, size_t *n,
                          canone_rules *out, problems *pbs) {
  *rows = NULL;
  *n = 0;
  size_t cap = 0;
  if (len > CANONE_MAX_FILE_BYTES) {
    problems_add(a, pbs, ERR_INVALID, "file", "Il file supera 256 KB.");
    return ERR_INVALID;
  }
  if (text_check(text, len, 1) != TEXT_OK) {
    problems_add(a, pbs, ERR_INVALID, "file",
                 "Il file non è testo UTF-8 (o contiene caratteri di controllo).");
    return ERR_INVALID;
  }
  const char *p = text, *end = text + len;
  if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
  int line = 0, header = 0;
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *le = nl ? nl : end;
    const char *next = nl ? nl + 1 : end;
    if (le > p && le[-1] == '\r') le--;
    line++;
    const char *q = p;
    p = next;
    while (q < le && (*q == ' ' || *q == '\t')) q++;
    if (q == le || *q == '#') continue;
    char *f[4] = {0};
    int nf = 0, more = 1;
    while (more && nf < 4) f[nf++] = csv_field(a, &q, le, &more);
    if (!header) {
      if (nf != 3 || !f[0] || !f[1] || !f[2] || strcasecmp(f[0], "rule") || strcasecmp(f[1], "code") ||
          strcasecmp(f[2], "value")) {
        row_problem(a, pbs, line, "L'intestazione deve essere rule,code,value.");
        return ERR_INVALID;
      }
      header = 1;
      continue;
    }
    if (nf != 3 || more) {
      row_problem(a, pbs, line, "Servono esattamente tre colonne: rule,code,value.");
      continue;
    }
    if (!f[0] || !f[2]) {
      row_problem(a, pbs, line,
                  !f[0] ? "Manca la regola (prima colonna)." : "Manca il valore (terza colonna).");
      continue;
    }
    if (*n >= CANONE_MAX_ROWS) {
      row_problem(a, pbs, line, "Troppe righe: al massimo 500 regole.");
      break;
    }
    *rows = arena_grow(a, *rows, sizeof **rows, *n + 1, &cap);
    for (char *c = f[0]; *c; c++) *c = (char)tolower((unsigned char)*c);
    (*rows)[(*n)++] = (canone_row){line, f[0], f[1] ? f[1] : "", f[2]};
  }
  if (!header) {
    problems_add(a, pbs, ERR_INVALID, "file", "Il file è vuoto: manca l'intestazione rule,code,value.");
    return ERR_INVALID;
  }
  rules_from_rows(a, *rows, *n, out, pbs);
  return pbs->n ? ERR_INVALID : ERR_OK;
}

typedef struct {
  int64_t ente_id;
  const canone_row *rows;
  size_t n;
  const actor *who;
} import_tx;

static err_code import_tx_fn(db *d, void *ctx) {
  import_tx *t = ctx;
  int64_t before = 0;
  err_code rc = cs_rules_delete(d, t->ente_id, &before);
  json_t *arr = json_array();
  for (size_t i = 0; rc == ERR_OK && i < t->n; i++) {
    rc = cs_rule_insert(d, t->ente_id, &t->rows[i]);
    json_array_append_new(arr, json_pack("[s, s, s]", t->rows[i].rule, t->rows[i].code, t->rows[i].value));
  }
  if (rc != ERR_OK) {
    json_decref(arr);
    return rc;
  }
  return audit_write_json(d, t->who, t->ente_id, "canone.rules", "ente", t->ente_id,
                          json_pack("{s:I}", "rules", (json_int_t)before), json_pack("{s:o}", "rules", arr));
}

err_code canone_import(db *d, arena *a, int64_t ente_id, const char *text, size_t len, const actor *who,
                       problems *pbs, size_t *n_rows) {
  canone_row *rows;
  size_t n;
  canone_rules r;
  err_code rc = canone_parse_csv(a, text, len, &rows, &n, &r, pbs);
  if (rc != ERR_OK) return rc;
  import_tx t = {ente_id, rows, n, who};
  if ((rc = db_tx(d, import_tx_fn, &t)) == ERR_OK && n_rows) *n_rows = n;
  return rc;
}

err_code canone_rows_get(db *d, arena *a, int64_t ente_id, canone_row **rows, size_t *n) {
  return cs_rules(d, a, ente_id, rows, n);
}

err_code canone_rules_get(db *d, arena *a, int64_t ente_id, canone_rules *out) {
  canone_row *rows;
  size_t n;
  err_code rc = cs_rules(d, a, ente_id, &rows, &n);
  if (rc != ERR_OK) return rc;
  if (n == 0) return ERR_CANONE_RULES;
  problems pbs = {0};
  rules_from_rows(a, rows, n, out, &pbs);
  if (pbs.n) {
    err_cause("canone_rules_get: stored rules of ente %lld do not parse: %s", (long long)ente_id,
              pbs.items[0].message);
    return ERR_INTERNAL;
  }
  return ERR_OK;
}

/* ---- the quote ---- */

err_code canone_request_parse(arena *a, const char *zone, const char *use, const char *kind,
                              const char *surface_m2, const char *start, const char *end, canone_request *out,
                              problems *pbs) {
  size_t before = pbs->n;
  memset(out, 0, sizeof *out);
  out->zone = zone ? text_trim_dup(a, zone) : NULL;
  out->use = use ? text_trim_dup(a, use) : NULL;
  if (!out->zone || !code_ok(out->zone))
    problems_add(a, pbs, ERR_INVALID, "zone", "Indica la zona (codice).");
  if (!out->use || !code_ok(out->use))
    problems_add(a, pbs, ERR_INVALID, "use", "Indica il tipo di utilizzo (codice).");
  if (kind && strcmp(kind, "permanent") == 0)
    out->permanent = 1;
  else if (!kind || strcmp(kind, "temporary") != 0)
    problems_add(a, pbs, ERR_INVALID, "kind", "Il tipo è permanent (permanente) o temporary (temporanea).");
  if (!surface_m2 || canone_parse_decimal(surface_m2, 2, CANONE_MAX_SURFACE, &out->surface_hundredths) != 0 ||
      out->surface_hundredths <= 0)
    problems_add(a, pbs, ERR_INVALID, "surface_m2",
                 "La superficie va in m², maggiore di zero, con al massimo due decimali (es. 12,50).");
  int start_ok = start && date_parse_iso(start, &out->start) == 0;
  if (!start_ok) problems_add(a, pbs, ERR_INVALID, "start", "Data di inizio non valida (AAAA-MM-GG).");
  if (!out->permanent && kind && strcmp(kind, "temporary") == 0) {
    if (!end || date_parse_iso(end, &out->end) != 0)
      problems_add(a, pbs, ERR_INVALID, "end",
                   "Data di fine non valida (AAAA-MM-GG): serve per l'occupazione temporanea.");
    else if (start_ok && date_cmp(out->end, out->start) < 0)
      problems_add(a, pbs, ERR_INVALID, "end", "La data di fine precede quella di inizio.");
    else if (start_ok && date_to_days(out->end) - date_to_days(out->start) + 1 > CANONE_MAX_DAYS)
      problems_add(a, pbs, ERR_INVALID, "end", "Un'occupazione temporanea dura al massimo 3660 giorni.");
  } else if (out->permanent && end && *end) {
    if (date_parse_iso(end, &out->end) != 0)
      problems_add(a, pbs, ERR_INVALID, "end", "Data di fine non valida (AAAA-MM-GG).");
    else if (start_ok && date_cmp(out->end, out->start) < 0)
      problems_add(a, pbs, ERR_INVALID, "end", "La data di fine precede quella di inizio.");
  }
  return pbs->n > before ? ERR_INVALID : ERR_OK;
}

static const canone_coeff *coeff_find(const canone_coeff *c, size_t n, const char *code) {
  for (size_t i = 0; i < n; i++)
    if (strcasecmp(c[i].code, code) == 0) return &c[i];
  return NULL;
}

typedef struct {
  arena *a;
  canone_line *items;
  size_t n, cap;
} lines;

static void line_add(lines *l, const char *code, const char *label, const char *value) {
  l->items = arena_grow(l->a, l->items, sizeof *l->items, l->n + 1, &l->cap);
  l->items[l->n++] = (canone_line){code, label, value};
}

static const char *date_it(arena *a, civil_date d) {
  char b[11];
  date_format_it(d, b);
  return arena_strdup(a, b);
}

err_code canone_compute(arena *a, const canone_rules *r, const canone_request *q, canone_quote *out,
                        problems *pbs) {
  memset(out, 0, sizeof *out);
  size_t before = pbs->n;
  const canone_coeff *z = q->zone ? coeff_find(r->zones, r->n_zones, q->zone) : NULL;
  const canone_coeff *u = q->use ? coeff_find(r->uses, r->n_uses, q->use) : NULL;
  if (!z) problems_add(a, pbs, ERR_INVALID, "zone", "Zona non prevista dalle regole del canone dell'Ente.");
  if (!u)
    problems_add(a, pbs, ERR_INVALID, "use",
                 "Tipo di utilizzo non previsto dalle regole del canone dell'Ente.");
  int64_t tariff = q->permanent ? r->annual_cents : r->daily_cents;
  if (tariff <= 0)
    problems_add(
        a, pbs, ERR_INVALID, "kind",
        q->permanent ? "L'Ente non ha una tariffa annua." : "L'Ente non ha una tariffa giornaliera.");
  if (q->surface_hundredths <= 0 || q->surface_hundredths > CANONE_MAX_SURFACE)
    problems_add(a, pbs, ERR_INVALID, "surface_m2", "Superficie fuori dai limiti.");
  int64_t days = 1, per = 1;
  if (!q->permanent) {
    days = date_to_days(q->end) - date_to_days(q->start) + 1;
    if (days < 1 || days > CANONE_MAX_DAYS)
      problems_add(a, pbs, ERR_INVALID, "end", "Durata dell'occupazione temporanea fuori dai limiti.");
  } else if (r->prorata_days) {
    civil_date dec31 = {q->start.y, 12, 31}, jan1 = {q->start.y, 1, 1};
    days = date_to_days(dec31) - date_to_days(q->start) + 1;
    per = date_to_days(dec31) - date_to_days(jan1) + 1;
  }
  if (pbs->n > before) return ERR_INVALID;

  lines l = {a, NULL, 0, 0};
  line_add(&l, "kind", "Tipo di occupazione", q->permanent ? "Permanente" : "Temporanea");
  line_add(&l, "tariff", q->permanent ? "Tariffa standard annua al m²" : "Tariffa standard giornaliera al m²",
           euros(a, tariff));
  line_add(&l, "zone", arena_printf(a, "Coefficiente della zona %s", z->code),
           canone_format_scaled(a, z->milli, 3));
  line_add(&l, "use", arena_printf(a, "Coefficiente dell'uso %s", u->code),
           canone_format_scaled(a, u->milli, 3));
  int64_t s = q->surface_hundredths;
  line_add(&l, "surface_declared", "Superficie dichiarata",
           arena_printf(a, "%s m²", canone_format_scaled(a, s, 2)));
  if (r->surface_up) s = (s + 99) / 100 * 100;
  line_add(&l, "surface",
           r->surface_up ? "Superficie considerata (frazioni al m² superiore)" : "Superficie considerata",
           arena_printf(a, "%s m²", canone_format_scaled(a, s, 2)));
  /* effective surface in hundredths of m² × thousandths: each tier's part
   * at its coefficient, the part below the first tier at 1 */
  __int128 eff = 0;
  int64_t lo = 0, lo_milli = 1000;
  for (size_t i = 0; i <= r->n_tiers; i++) {
    int64_t hi = i < r->n_tiers ? r->tiers[i].from_hundredths : s;
    if (hi > s) hi = s;
    if (hi > lo) {
      eff += (__int128)(hi - lo) * lo_milli;
      if (r->n_tiers && lo > 0)
        line_add(&l, "tier",
                 arena_printf(a, "Superficie oltre %s m² al coefficiente %s", canone_format_scaled(a, lo, 2),
                              canone_format_scaled(a, lo_milli, 3)),
                 arena_printf(a, "%s m²", canone_format_scaled(a, hi - lo, 2)));
    }
    if (i < r->n_tiers) {
      lo = r->tiers[i].from_hundredths > lo ? r->tiers[i].from_hundredths : lo;
      lo_milli = r->tiers[i].milli;
    }
    if (lo >= s) break;
  }
  if (eff != (__int128)s * 1000)
    line_add(&l, "surface_effective", "Superficie ai fini del calcolo",
             arena_printf(a, "%s m²", canone_format_scaled(a, (int64_t)eff, 5)));
  if (!q->permanent)
    line_add(&l, "days",
             arena_printf(a, "Giorni di occupazione (dal %s al %s, primo e ultimo inclusi)",
                          date_it(a, q->start), date_it(a, q->end)),
             arena_printf(a, "%lld", (long long)days));
  else if (r->prorata_days)
    line_add(&l, "prorata",
             arena_printf(a, "Primo anno in proporzione ai giorni (dal %s al 31/12/%d)", date_it(a, q->start),
                          q->start.y),
             arena_printf(a, "%lld/%lld", (long long)days, (long long)per));
  /* the one rounding point */
  __int128 num = (__int128)tariff * z->milli * u->milli * eff * days;
  __int128 den = (__int128)1000 * 1000 * 100 * 1000 * per * (r->result_euro ? 100 : 1);
  int64_t computed = money_div_round_wide(num, den);
  if (r->result_euro) computed = computed > CANONE_MAX_AMOUNT ? computed : computed * 100;
  if (computed > CANONE_MAX_AMOUNT) {
    problems_add(a, pbs, ERR_INVALID, "surface_m2", "L'importo risultante è fuori scala: controlla i dati.");
    return ERR_INVALID;
  }
  line_add(&l, "rounding", "Arrotondamento (una sola volta, metà per eccesso)",
           r->result_euro ? "all'euro" : "al centesimo");
  line_add(&l, "computed", "Importo calcolato", euros(a, computed));
  out->computed_cents = out->amount_cents = computed;
  if (r->minimum_cents > 0 && computed < r->minimum_cents) {
    out->amount_cents = r->minimum_cents;
    out->minimum_applied = 1;
    line_add(&l, "minimum", "Canone minimo applicato", euros(a, r->minimum_cents));
  }
  line_add(&l, "amount", "Importo dovuto", euros(a, out->amount_cents));
  out->installments = 1;
  if (r->installment_threshold_cents > 0 && out->amount_cents > r->installment_threshold_cents &&
      r->installments > 1) {
    int k = r->installments;
    out->installments = k;
    out->installment_cents = arena_alloc(a, sizeof(int64_t) * (size_t)k);
    int64_t each = out->amount_cents / k;
    for (int i = 0; i < k; i++) out->installment_cents[i] = each;
    out->installment_cents[0] += out->amount_cents - each * k; /* the remainder on the first */
    line_add(&l, "installments",
             arena_printf(a, "Rateizzabile oltre %s", euros(a, r->installment_threshold_cents)),
             arena_printf(a, "%d rate (la prima %s, le altre %s)", k, euros(a, out->installment_cents[0]),
                          euros(a, each)));
  }
  out->surface_hundredths = s;
  out->days = q->permanent && !r->prorata_days ? 0 : days;
  out->days_in_year = q->permanent && r->prorata_days ? per : 0;
  out->lines = l.items;
  out->n_lines = l.n;
  return ERR_OK;
}

err_code canone_quote_for(db *d, arena *a, int64_t ente_id, const canone_request *q, canone_quote *out,
                          problems *pbs) {
  canone_rules r;
  err_code rc = canone_rules_get(d, a, ente_id, &r);
  if (rc != ERR_OK) return rc;
  return canone_compute(a, &r, q, out, pbs);
}
