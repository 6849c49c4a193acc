/* Bulk import of positions from CSV (format in README "Positions CSV").
 * Each line becomes one act of one tax line with a single payment and,
 * with installments = N >= 2, also N monthly installments (the first on
 * due_date). A taxpayer unknown to the Ente is created. Without
 * all_or_nothing every line is its own transaction; with it, all lines go
 * in one transaction that is rolled back if any line is bad. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "core/csv.h"
#include "core/date.h"
#include "core/strbuf.h"
#include "core/text.h"
#include "core/validate.h"
#include "domain/debt/debt_internal.h"
#include "domain/taxpayer/taxpayer.h"

enum { MAX_FIELDS = 32, MAX_LINES = 200000, MAX_FIELD = 1000 };

int debt_parse_euros(const char *s, int64_t *cents) {
  if (!s) return -1;
  size_t n = strlen(s);
  if (n < 4 || n > 14 || s[n - 3] != '.') return -1;
  int64_t v = 0;
  for (size_t i = 0; i < n; i++) {
    if (i == n - 3) continue;
    if (!isdigit((unsigned char)s[i])) return -1;
    v = v * 10 + (s[i] - '0');
  }
  *cents = v;
  return 0;
}

/* Splits one CSV record (RFC 4180 quotes, no line breaks inside) starting
 * at *p into fields; advances *p to the next line. -1 on a bad quote or
 * too many / too long fields. */
static int csv_record(arena *a, const char **p, char **f, int *nf) {
  const char *s = *p;
  *nf = 0;
  for (;;) {
    if (*nf >= MAX_FIELDS) return -1;
    strbuf b;
    sb_init(&b, MAX_FIELD);
    if (*s == '"') {
      for (s++;; s++) {
        if (!*s || *s == '\n') return sb_free(&b), -1;
        if (*s == '"' && s[1] == '"')
          sb_putc(&b, '"'), s++;
        else if (*s == '"') {
          s++;
          break;
        } else
          sb_putc(&b, *s);
      }
    }
    while (*s && *s != ',' && *s != '\n' && *s != '\r') sb_putc(&b, *s++);
    if (b.err) return sb_free(&b), -1;
    f[(*nf)++] = arena_strdup(a, sb_str(&b));
    sb_free(&b);
    if (*s == ',') {
      s++;
      continue;
    }
    while (*s == '\r') s++;
    if (*s == '\n') s++;
    *p = s;
    return 0;
  }
}

static const char *const COLUMNS[] = {
    "ente_cf",  "taxpayer_cf",  "taxpayer_name", "revenue", "year",       "description",       "amount",
    "due_date", "installments", "act_type",      "number",  "issue_date", "notification_date", NULL};
enum {
  C_ENTE,
  C_CF,
  C_NAME,
  C_REVENUE,
  C_YEAR,
  C_DESC,
  C_AMOUNT,
  C_DUE,
  C_INST,
  C_TYPE,
  C_NUMBER,
  C_ISSUE,
  C_NOTIFIED,
  C_COUNT
};
#define REQUIRED_COLUMNS 8 /* ente_cf .. due_date */

typedef struct {
  int line;
  char **f;
  int nf;
  const char *error; /* NULL: fine */
  debt_act act;      /* after import */
} row;

typedef struct {
  arena *a;
  const debt_import_opts *o;
  row *rows;
  size_t n;
  const int *col;
  int stop;   /* a storage error: the remaining lines are not processed */
  size_t cur; /* one line per transaction: the line */
} import_ctx;

static const char *field(const row *r, const int *col, int c) {
  int i = col[c];
  if (i < 0 || i >= r->nf) return NULL;
  const char *v = r->f[i];
  return *v ? v : NULL;
}

/* The taxpayer with cf in the Ente, created from name when unknown. */
static err_code ensure_taxpayer(db *d, arena *a, int64_t ente_id, const char *cf, const char *name,
                                const actor *who, int64_t *id, const char **why) {
  taxpayer tp;
  err_code rc = taxpayer_by_fiscal_code(d, a, ente_id, cf, &tp);
  if (rc == ERR_OK) {
    *id = tp.id;
    return ERR_OK;
  }
  if (rc != ERR_NOT_FOUND) return rc;
  memset(&tp, 0, sizeof tp);
  tp.ente_id = ente_id;
  tp.fiscal_code = arena_strdup(a, cf);
  normalize_code(tp.fiscal_code);
  char *nm = text_trim_dup(a, name);
  if (!nm) {
    *why = "contribuente non presente in anagrafica: indicare taxpayer_name";
    return ERR_INVALID;
  }
  if (strlen(tp.fiscal_code) == 11) {
    tp.kind = TP_COMPANY;
    tp.company_name = nm;
  } else {
    tp.kind = TP_PERSON;
    char *sep = strchr(nm, ',');
    if (!sep) sep = strchr(nm, ' ');
    if (sep) *sep = 0;
    tp.surname = nm;
    tp.given_name = sep ? text_trim_dup(a, sep + 1) : NULL;
  }
  problems pbs = {0};
  rc = taxpayer_create(d, a, &tp, who, &pbs);
  if (rc == ERR_INVALID && pbs.n)
    *why = arena_printf(a, "contribuente %s: %s", pbs.items[0].field, pbs.items[0].message);
  *id = tp.id;
  return rc;
}

/* Imports one line (inside a transaction: the caller's or its own). */
static err_code import_row_in(db *d, import_ctx *c, row *r, arena *a) {
  const int *col = c->col;
  const char *ente_key = field(r, col, C_ENTE), *cf = field(r, col, C_CF);
  const char *rev = field(r, col, C_REVENUE), *ys = field(r, col, C_YEAR);
  const char *amount = field(r, col, C_AMOUNT), *due = field(r, col, C_DUE);
  const char *inst = field(r, col, C_INST);
  ente e;
  int64_t cents = 0, n_inst = 0, year = 0;
  err_code rc = ente_key ? ente_resolve(d, a, ente_key, &e) : ERR_NOT_FOUND;
  if (rc != ERR_OK) {
    r->error = rc == ERR_NOT_FOUND ? "ente_cf: Ente sconosciuto" : err_message_it(rc);
    return rc == ERR_NOT_FOUND ? ERR_INVALID : rc;
  }
  if (!ys || !text_all_of(ys, 4, isdigit))
    r->error = "year: anno di 4 cifre";
  else if (debt_parse_euros(amount, &cents) || cents <= 0)
    r->error = "amount: importo in euro con il punto e due decimali (es. 123.45)";
  else if (!debt_date_ok(due))
    r->error = "due_date: data AAAA-MM-GG";
  else if (inst && (strlen(inst) > 2 || !text_all_of(inst, strlen(inst), isdigit) ||
                    (n_inst = strtol(inst, NULL, 10)) > 72 || n_inst == 1))
    r->error = "installments: vuoto, 0 oppure da 2 a 72";
  else if (!cf || validate_fiscal_code_any(cf))
    r->error = "taxpayer_cf: codice fiscale non valido";
  if (r->error) return ERR_INVALID;
  year = (ys[0] - '0') * 1000 + (ys[1] - '0') * 100 + (ys[2] - '0') * 10 + (ys[3] - '0');
  debt_revenue rv;
  rc = rev ? debt_revenue_by_code(d, a, e.id, rev, &rv) : ERR_NOT_FOUND;
  if (rc == ERR_NOT_FOUND) r->error = "revenue: entrata sconosciuta per l'Ente";
  if (rc != ERR_OK) return rc == ERR_NOT_FOUND ? ERR_INVALID : rc;
  int64_t tp_id = 0;
  const char *why = NULL;
  rc = ensure_taxpayer(d, a, e.id, cf, field(r, col, C_NAME), c->o->who, &tp_id, &why);
  if (rc == ERR_INVALID || rc == ERR_CONFLICT) r->error = why ? why : err_message_it(rc);
  if (rc != ERR_OK) return rc;

  debt_act *x = &r->act;
  memset(x, 0, sizeof *x);
  x->ente_id = e.id;
  x->taxpayer_id = tp_id;
  x->revenue_id = rv.id;
  x->act_type = (char *)(field(r, col, C_TYPE) ? field(r, col, C_TYPE) : "bonario");
  x->year = (int)year;
  x->number = (char *)field(r, col, C_NUMBER);
  x->description = (char *)field(r, col, C_DESC);
  x->issue_date = (char *)field(r, col, C_ISSUE);
  x->notification_date = (char *)field(r, col, C_NOTIFIED);
  x->due_date = (char *)due;
  x->lines = ARENA_NEW(a, debt_line);
  x->lines[0] = (debt_line){"tax", NULL, cents};
  x->n_lines = 1;
  size_t no = 1 + (size_t)n_inst;
  x->options = ARENA_ARRAY(a, debt_option, no);
  memset(x->options, 0, no * sizeof *x->options);
  x->options[0].amount_cents = cents;
  x->options[0].due_date = (char *)due;
  if (n_inst) {
    int64_t *parts = ARENA_ARRAY(a, int64_t, (size_t)n_inst);
    debt_split_parts(cents, NULL, (size_t)n_inst, parts);
    civil_date first;
    date_parse_iso(due, &first);
    for (int64_t i = 0; i < n_inst; i++) {
      debt_option *o = &x->options[i + 1];
      o->installment = (int)i + 1;
      o->amount_cents = parts[i];
      civil_date dd = first;
      int m = first.m - 1 + (int)i;
      dd.y = first.y + m / 12;
      dd.m = m % 12 + 1;
      while (dd.d > 28 && !date_valid(dd.y, dd.m, dd.d)) dd.d--;
      o->due_date = arena_alloc(a, 11);
      date_format_iso(dd, o->due_date);
    }
  }
  x->n_options = no;
  debt_problems pbs = {0};
  rc = debt_act_create(d, a, x, c->o->who, &pbs);
  if (rc != ERR_OK && pbs.n)
    r->error = arena_printf(a, "%s: %s", pbs.items[0].field ? pbs.items[0].field : "", pbs.items[0].message);
  else if (rc != ERR_OK)
    r->error = err_message_it(rc);
  return rc;
}

/* Imports one line with a scratch arena for everything it reads, keeping
 * in the import's arena only what is printed (act id, NAVs, amounts, due
 * dates, the error), so memory does not grow with the file. */
static err_code import_row(db *d, import_ctx *c, row *r) {
  arena *s = arena_new();
  err_code rc = import_row_in(d, c, r, s);
  if (r->error) r->error = arena_strdup(c->a, r->error);
  debt_act *x = &r->act, keep = {0};
  keep.id = x->id;
  if (rc == ERR_OK) {
    keep.n_options = x->n_options;
    keep.options = ARENA_ARRAY(c->a, debt_option, x->n_options);
    for (size_t i = 0; i < x->n_options; i++) {
      debt_option *o = &keep.options[i];
      memset(o, 0, sizeof *o);
      o->nav = x->options[i].nav ? arena_strdup(c->a, x->options[i].nav) : NULL;
      o->amount_cents = x->options[i].amount_cents;
      o->due_date = arena_strdup(c->a, x->options[i].due_date);
    }
  }
  *x = keep;
  arena_free(s);
  return rc;
}

/* A storage failure stops the import (the transaction cannot go on);
 * anything about the line's content only marks the line. */
static int fatal(err_code rc) { return err_http_status(rc) >= 500; }

static err_code one_tx(db *d, void *ctx) {
  import_ctx *c = ctx;
  row *r = &c->rows[c->cur];
  r->error = NULL;
  return import_row(d, c, r);
}

static err_code all_tx(db *d, void *ctx) {
  import_ctx *c = ctx;
  int bad = 0;
  c->stop = 0;
  for (size_t i = 0; i < c->n; i++) {
    row *r = &c->rows[i];
    if (r->error && r->nf == 0) {
      bad = 1;
      continue;
    } /* malformed CSV */
    r->error = NULL;
    memset(&r->act, 0, sizeof r->act);
    err_code rc = import_row(d, c, r);
    if (rc == ERR_BUSY) return rc;
    if (rc != ERR_OK) bad = 1;
    if (rc != ERR_OK && fatal(rc)) {
      c->stop = 1;
      return rc;
    }
  }
  return bad ? ERR_INVALID : ERR_OK;
}

static void print_row(FILE *out, const row *r, const char *status, int with_ids) {
  const debt_act *x = &r->act;
  if (r->error || x->n_options == 0) {
    fprintf(out, "%d,%s,,,,,", r->line, status);
    csv_field(out, r->error ? r->error : "", 0);
    csv_end(out);
    return;
  }
  for (size_t i = 0; i < x->n_options; i++) {
    const debt_option *o = &x->options[i];
    fprintf(out, "%d,%s,", r->line, status);
    if (with_ids)
      fprintf(out, "%lld,%s", (long long)x->id, o->nav ? o->nav : "");
    else
      fputc(',', out);
    fprintf(out, ",%lld,%s,\n", (long long)o->amount_cents, o->due_date);
  }
}

err_code debt_import_csv(db *d, arena *a, const char *text, const debt_import_opts *o, FILE *out,
                         size_t *n_ok, size_t *n_bad) {
  *n_ok = *n_bad = 0;
  fputs("line,status,act_id,nav,amount_cents,due_date,error\n", out);
  const char *p = text;
  if (!strncmp(p, "\xEF\xBB\xBF", 3)) p += 3; /* a UTF-8 BOM, as spreadsheets write */
  char *hf[MAX_FIELDS];
  int nh = 0;
  if (!*p || csv_record(a, &p, hf, &nh) != 0) {
    fputs("1,error,,,,,intestazione mancante o non valida\n", out);
    *n_bad = 1;
    return ERR_INVALID;
  }
  int *col = ARENA_ARRAY(a, int, C_COUNT);
  for (int c = 0; c < C_COUNT; c++) col[c] = -1;
  for (int i = 0; i < nh; i++)
    for (int c = 0; c < C_COUNT; c++)
      if (!strcmp(text_trim_dup(a, hf[i]) ? text_trim_dup(a, hf[i]) : "", COLUMNS[c])) col[c] = i;
  for (int c = 0; c < REQUIRED_COLUMNS; c++)
    if (col[c] < 0) {
      fprintf(out, "1,error,,,,,colonna mancante: %s\n", COLUMNS[c]);
      *n_bad = 1;
      return ERR_INVALID;
    }
  size_t cap = 0, n = 0;
  row *rows = NULL;
  for (int line = 2; *p; line++) {
    if (*p == '\n' || *p == '\r') { /* empty line */
      while (*p == '\r') p++;
      if (*p == '\n') p++;
      continue;
    }
    if (n >= MAX_LINES) {
      fprintf(out, "%d,error,,,,,troppe righe (al massimo %d)\n", line, MAX_LINES);
      *n_bad += 1;
      return ERR_INVALID;
    }
    rows = arena_grow(a, rows, sizeof *rows, n, &cap);
    row *r = &rows[n++];
    memset(r, 0, sizeof *r);
    r->line = line;
    r->f = ARENA_ARRAY(a, char *, MAX_FIELDS);
    if (csv_record(a, &p, r->f, &r->nf) != 0) {
      r->nf = 0;
      r->error = "riga CSV non valida (virgolette o campi)";
      const char *nl = strchr(p, '\n');
      p = nl ? nl + 1 : p + strlen(p);
    }
  }
  import_ctx c = {a, o, rows, n, col, 0, 0};
  err_code result = ERR_OK;
  if (o->all_or_nothing) {
    result = db_tx_locking(d, all_tx, &c);
    for (size_t i = 0; i < n; i++) {
      row *r = &rows[i];
      const char *st = r->error ? "error" : result == ERR_OK ? "ok" : "skipped";
      if (r->error)
        *n_bad += 1;
      else if (result == ERR_OK)
        *n_ok += 1;
      print_row(out, r, st, result == ERR_OK);
    }
    if (result != ERR_OK && result != ERR_INVALID) return result;
    return *n_bad ? ERR_INVALID : result;
  }
  for (size_t i = 0; i < n; i++) {
    row *r = &rows[i];
    if (!r->error && !c.stop) {
      c.cur = i;
      err_code rc = db_tx_locking(d, one_tx, &c);
      if (rc != ERR_OK && !r->error) r->error = err_message_it(rc);
      if (rc != ERR_OK && fatal(rc)) c.stop = 1;
    } else if (!r->error) {
      r->error = "non elaborata dopo un errore dell'archivio";
    }
    if (r->error)
      *n_bad += 1;
    else
      *n_ok += 1;
    print_row(out, r, r->error ? "error" : "ok", 1);
  }
  return *n_bad ? ERR_INVALID : ERR_OK;
}
