/* Debt positions of the Ente: one search box that takes a notice code
 * (NAV, 18 digits, with or without spaces), an IUV (17 digits), a
 * taxpayer's codice fiscale or partita IVA, or an act number, and an
 * optional year; without a search, the latest acts. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "web/office/acts_ui.h"

enum { LIMIT = 50 };

/* q without blanks, in an arena copy. */
static char *squeeze(arena *a, const char *q) {
  char *s = arena_strdup(a, q), *w = s;
  for (const char *p = q; *p; p++)
    if (!isspace((unsigned char)*p)) *w++ = *p;
  *w = 0;
  return s;
}

static int all_digits(const char *s) {
  if (!*s) return 0;
  for (; *s; s++)
    if (!isdigit((unsigned char)*s)) return 0;
  return 1;
}

/* 16 letters and digits with a digit, or 11 digits: a fiscal code. */
static int looks_like_cf(const char *s) {
  size_t n = strlen(s);
  if (n == 11) return all_digits(s);
  if (n != 16) return 0;
  int digit = 0;
  for (; *s; s++) {
    if (!isalnum((unsigned char)*s)) return 0;
    digit |= isdigit((unsigned char)*s) != 0;
  }
  return digit;
}

/* Runs the search q (may be NULL) in the year; *how says what q was taken for. */
static err_code search(request *rq, const char *q, int year, debt_act **out, size_t *n, const char **how) {
  debt_query dq = {.year = year, .limit = LIMIT};
  *how = NULL;
  if (!q) return debt_find(rq->db, rq->a, rq->ente->id, &dq, out, n);
  char *s = squeeze(rq->a, q);
  if (all_digits(s) && strlen(s) == 18) {
    dq.nav = s;
    *how = "codice avviso";
  } else if (all_digits(s) && strlen(s) == 17) {
    dq.iuv = s;
    *how = "IUV";
  } else if (looks_like_cf(s)) {
    dq.fiscal_code = s;
    *how = "codice fiscale";
  }
  if (*how) {
    err_code rc = debt_find(rq->db, rq->a, rq->ente->id, &dq, out, n);
    if (rc != ERR_OK || *n || strcmp(*how, "codice fiscale") != 0 || !all_digits(s)) return rc;
    dq.fiscal_code = NULL; /* 11 digits and no taxpayer: perhaps an act number */
  }
  dq.number = q;
  *how = "numero dell'atto";
  return debt_find(rq->db, rq->a, rq->ente->id, &dq, out, n);
}

static void results(request *rq, html *h, const char *q, const debt_act *list, size_t n, const char *how) {
  if (!n) {
    html_elem(h, "p", q ? "Nessuna posizione trovata." : "Nessuna posizione registrata.",
              HA("role", "status"), HA("class", "sp-count"));
    return;
  }
  html_open(h, "p", HA("role", "status"), HA("class", "sp-count"));
  if (how)
    html_textf(h, "%zu %s per %s.", n, n == 1 ? "posizione trovata" : "posizioni trovate", how);
  else
    html_textf(h, "%s%zu %s.", n == LIMIT ? "Le ultime " : "", n, n == 1 ? "posizione" : "posizioni");
  html_close(h, "p");
  static const char *const cols[] = {"Atto", "Tipo", "Contribuente", "Entrata", "Stato", "Residuo"};
  table_begin(h, "Posizioni debitorie", 0, cols, 6);
  for (size_t i = 0; i < n; i++) {
    const debt_act *x = &list[i];
    table_row_begin(h);
    table_cell_link(h, arena_printf(rq->a, "%s del %d", x->number, x->year),
                    url_act(rq->a, rq->ente->slug, x->id, NULL), 1);
    table_cell(h, debt_act_type_label(x->act_type));
    table_cell(h, x->taxpayer_name && *x->taxpayer_name
                      ? arena_printf(rq->a, "%s (%s)", x->taxpayer_name, x->taxpayer_cf)
                      : x->taxpayer_cf);
    table_cell(h, x->revenue_code);
    table_cell(h, debt_state_label(x->state));
    table_cell(h, au_euros(rq->a, x->residual_cents));
    table_row_end(h);
  }
  table_end(h);
  if (n == LIMIT)
    html_elem(h, "p", "Sono mostrate al più 50 posizioni: restringi la ricerca.",
              HA("class", "text-secondary"));
}

err_code page_acts(request *rq, response *rs) {
  const char *q = rq_query(rq, "q"), *y = rq_query(rq, "anno");
  if (q && strlen(q) > 60) return ERR_BAD_REQUEST;
  if (q) {
    q = text_trim_dup(rq->a, q);
    if (!*q) q = NULL;
  }
  int year = 0;
  const char *year_error = NULL;
  if (y && *y) {
    char *end;
    long v = strtol(y, &end, 10);
    if (*end || v < 1900 || v > 2200)
      year_error = "Indicare un anno di quattro cifre, per esempio 2026.";
    else
      year = (int)v;
  }
  debt_act *list = NULL;
  size_t n = 0;
  const char *how = NULL;
  err_code e = year_error ? ERR_OK : search(rq, q, year, &list, &n, &how);
  if (e != ERR_OK) return e;
  page_info p;
  if ((e = web_page_info(rq, "Posizioni debitorie", "posizioni", &p)) != ERR_OK) return e;
  WEB_OFFICE_TRAIL(rq, &p, {"Posizioni debitorie", NULL});
  html h = web_begin(rq, rs, &p);
  if (year_error) rs->status = 422;
  html_open(&h, "p", HA("class", "mb-4"));
  html_elem(&h, "a", "Ricevute pagoPA da verificare",
            HA("href", url_receipts_review(rq->a, rq->ente->slug, NULL)), HA("class", "me-4"));
  html_elem(&h, "a", "Riconciliazione dei flussi", HA("href", url_reconciliation(rq->a, rq->ente->slug)));
  html_close(&h, "p");
  html_open(&h, "form", HA("method", "get"), HA("action", url_acts(rq->a, rq->ente->slug, NULL, 0)),
            HA("role", "search"), HA("class", "mb-4"));
  form_input(&h, &(form_field){.name = "q",
                               .label = "Cerca per codice avviso, IUV, codice fiscale o numero dell'atto",
                               .value = q,
                               .type = "search",
                               .maxlength = 60,
                               .hint = "Il codice avviso si può scrivere con o senza spazi."});
  form_input(&h, &(form_field){.name = "anno",
                               .label = "Anno (facoltativo)",
                               .value = y && *y ? y : NULL,
                               .maxlength = 4,
                               .error = year_error});
  html_open(&h, "div", HA("class", "sp-form-actions"));
  form_submit(&h, "Cerca");
  html_close(&h, "div");
  html_close(&h, "form");
  if (!year_error) results(rq, &h, q, list, n, how);
  page_end(&h, &p);
  return ERR_OK;
}
