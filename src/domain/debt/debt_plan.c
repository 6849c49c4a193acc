/* Installment brackets: data, not code. The installation default is the
 * L. 160/2019 art. 1 c. 796 table (rows of migration 0006, checked against
 * ../shared/data/rateizzazione_l160_2019_c796.csv by the tests); an Ente
 * replaces it with its own brackets (its regulation may be more generous:
 * c. 797) loaded from a CSV of the same layout. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "domain/debt/debt_internal.h"
#include "domain/debt/debt_store.h"

err_code debt_brackets_get(db *d, arena *a, int64_t ente_id, debt_bracket **out, size_t *n, int *own) {
  err_code rc = ds_brackets(d, a, ente_id, out, n);
  if (rc != ERR_OK) return rc;
  *own = *n > 0;
  if (*n) return ERR_OK;
  return ds_brackets(d, a, 0, out, n);
}

const debt_bracket *debt_bracket_for(const debt_bracket *b, size_t n, int64_t amount) {
  for (size_t i = 0; i < n; i++)
    if (amount >= b[i].from_cents && (b[i].to_cents == 0 || amount <= b[i].to_cents)) return &b[i];
  return NULL;
}

/* Sorted by from_cents, contiguous from 0 (each from = previous to + 1),
 * only the last open-ended, 0 <= min <= max <= 120. */
static const char *brackets_check(const debt_bracket *b, size_t n) {
  if (n == 0 || n > 50) return "Da 1 a 50 scaglioni.";
  for (size_t i = 0; i < n; i++) {
    if (b[i].min_installments < 0 || b[i].min_installments > b[i].max_installments ||
        b[i].max_installments > 120)
      return "Numero minimo e massimo di rate non validi (0 <= minimo <= massimo <= 120).";
    if (i == 0 ? b[i].from_cents != 0 : b[i].from_cents != b[i - 1].to_cents + 1)
      return "Gli scaglioni devono partire da 0,00 e seguirsi senza buchi né sovrapposizioni.";
    if (b[i].to_cents == 0 ? i != n - 1 : b[i].to_cents < b[i].from_cents)
      return "Solo l'ultimo scaglione può essere senza limite superiore.";
  }
  return NULL;
}

typedef struct {
  int64_t ente_id;
  const debt_bracket *b;
  size_t n;
  const actor *who;
} brackets_tx;

static err_code brackets_tx_fn(db *d, void *ctx) {
  brackets_tx *t = ctx;
  err_code rc = ds_brackets_delete(d, t->ente_id);
  json_t *rows = json_array();
  for (size_t i = 0; rc == ERR_OK && i < t->n; i++) {
    rc = ds_bracket_insert(d, t->ente_id, &t->b[i]);
    json_array_append_new(
        rows, json_pack("[I, I, i, i]", (json_int_t)t->b[i].from_cents, (json_int_t)t->b[i].to_cents,
                        t->b[i].min_installments, t->b[i].max_installments));
  }
  if (rc != ERR_OK) {
    json_decref(rows);
    return rc;
  }
  return audit_write_json(d, t->who, t->ente_id, "debt.brackets", "ente", t->ente_id, NULL,
                          json_pack("{s:o}", "brackets", rows));
}

err_code debt_brackets_set(db *d, int64_t ente_id, const debt_bracket *b, size_t n, const actor *who,
                           problem *pb) {
  problem local;
  if (!pb) pb = &local;
  *pb = (problem){ERR_OK, NULL, NULL};
  const char *m = n ? brackets_check(b, n) : NULL;
  if (m) {
    *pb = (problem){ERR_INVALID, "brackets", m};
    return ERR_INVALID;
  }
  brackets_tx t = {ente_id, b, n, who};
  return db_tx(d, brackets_tx_fn, &t);
}

/* One CSV field starting at *p (quotes allowed), advanced past its comma. */
static char *csv_field(arena *a, const char **p) {
  const char *s = *p;
  char *out = arena_alloc(a, strlen(s) + 1), *o = out;
  if (*s == '"') {
    for (s++; *s; s++) {
      if (*s == '"' && s[1] == '"')
        *o++ = '"', s++;
      else if (*s == '"') {
        s++;
        break;
      } else
        *o++ = *s;
    }
  }
  while (*s && *s != ',' && *s != '\n' && *s != '\r') *o++ = *s++;
  *o = 0;
  if (*s == ',') s++;
  *p = s;
  return out;
}

static int parse_int(const char *s, int *v) {
  if (!*s || strlen(s) > 4) return -1;
  for (const char *p = s; *p; p++)
    if (!isdigit((unsigned char)*p)) return -1;
  *v = atoi(s);
  return 0;
}

err_code debt_brackets_parse_csv(arena *a, const char *text, debt_bracket **out, size_t *n, problem *pb) {
  *n = 0;
  size_t cap = 0;
  *out = NULL;
  int line = 0;
  for (const char *p = text; *p;) {
    line++;
    const char *s = p;
    const char *end = strchr(p, '\n');
    p = end ? end + 1 : p + strlen(p);
    if (line == 1) {
      if (strncmp(s, "amount_from_eur,amount_to_eur,min_installments,max_installments", 63)) {
        *pb = (problem){ERR_INVALID, "line 1",
                        "Intestazione attesa: amount_from_eur,amount_to_eur,min_installments,"
                        "max_installments"};
        return ERR_INVALID;
      }
      continue;
    }
    if (*s == '\n' || *s == '\r') continue;
    char *f[4];
    for (int i = 0; i < 4; i++) f[i] = csv_field(a, &s);
    debt_bracket b = {0};
    int bad = debt_parse_euros(f[0], &b.from_cents) || (*f[1] && debt_parse_euros(f[1], &b.to_cents)) ||
              parse_int(f[2], &b.min_installments) || parse_int(f[3], &b.max_installments);
    if (bad) {
      *pb = (problem){ERR_INVALID, arena_printf(a, "line %d", line),
                      "Riga non valida: importi come 100.00, numeri di rate interi."};
      return ERR_INVALID;
    }
    *out = arena_grow(a, *out, sizeof b, *n, &cap);
    (*out)[(*n)++] = b;
  }
  /* the file writes each lower bound as the previous upper bound plus one
   * cent (100.01 after 100.00): that is what brackets_check expects */
  const char *m = brackets_check(*out, *n);
  if (m) {
    *pb = (problem){ERR_INVALID, "brackets", m};
    return ERR_INVALID;
  }
  return ERR_OK;
}
