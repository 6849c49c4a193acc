/* Per-Ente portal settings, the rule tables of the calculators,
 * intermediaries' delegations and the payment channel table. */
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/strbuf.h"
#include "core/date.h"
#include "core/money.h"
#include "core/text.h"
#include "core/validate.h"
#include "domain/portal/portal_store.h"

static problem PB(const char *field, const char *msg) { return (problem){ERR_INVALID, field, msg}; }

/* ---- settings ---- */

err_code portal_settings_get(db *d, arena *a, int64_t ente_id, portal_settings *out) {
  err_code rc = ps_settings_get(d, a, ente_id, out);
  if (rc == ERR_NOT_FOUND) {
    *out = (portal_settings){.ente_id = ente_id};
    return ERR_OK;
  }
  return rc;
}

/* A host name: letters, digits, dots and dashes, 1..253, no port. */
static int host_ok(const char *h) {
  size_t n = strlen(h);
  if (n == 0 || n > 253 || h[0] == '.' || h[0] == '-') return 0;
  for (const char *p = h; *p; p++)
    if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '.' || *p == '-')) return 0;
  return 1;
}

static int png_ok(const void *p, size_t n) {
  static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  return n >= 8 && memcmp(p, sig, 8) == 0;
}

typedef struct {
  portal_settings s;
  const void *logo;
  size_t logo_len;
  const actor *who;
} settings_tx;

static err_code settings_set_tx(db *d, void *ctx) {
  settings_tx *t = ctx;
  err_code rc = ps_settings_upsert(d, &t->s, clock_now());
  if (rc == ERR_CONFLICT) return ERR_CONFLICT;
  if (rc != ERR_OK) return rc;
  if (t->logo && (rc = ps_logo_set(d, t->s.ente_id, t->logo, t->logo_len)) != ERR_OK) return rc;
  json_t *after = json_pack("{s:s?, s:s?, s:i, s:b}", "host", t->s.host, "coattivo_url", t->s.coattivo_url,
                            "spread_bp", t->s.spread_bp, "logo_changed", t->logo != NULL);
  return audit_write_json(d, t->who, t->s.ente_id, "portal.settings", "ente", t->s.ente_id, NULL, after);
}

err_code portal_settings_set(db *d, arena *a, const portal_settings *s, const void *logo, size_t logo_len,
                             const actor *who, problem *pb) {
  settings_tx t = {*s, logo, logo_len, who};
  if (t.s.host && !*t.s.host) t.s.host = NULL;
  if (t.s.host) {
    char *h = arena_strdup(a, t.s.host);
    for (char *p = h; *p; p++) *p = (char)tolower((unsigned char)*p);
    t.s.host = h;
    if (!host_ok(h)) {
      *pb = PB("host", "Nome host non valido (solo lettere, cifre, punti e trattini, senza porta).");
      return ERR_INVALID;
    }
  }
  if (t.s.coattivo_url && !*t.s.coattivo_url) t.s.coattivo_url = NULL;
  if (t.s.coattivo_url && (strncmp(t.s.coattivo_url, "https://", 8) != 0 || strlen(t.s.coattivo_url) > 500 ||
                           strpbrk(t.s.coattivo_url, " \"<>'"))) {
    *pb =
        PB("coattivo_url", "L'indirizzo del portale della riscossione coattiva deve iniziare con https://.");
    return ERR_INVALID;
  }
  if (t.s.spread_bp < 0 || t.s.spread_bp > PORTAL_MAX_SPREAD_BP) {
    *pb = PB("spread", "La maggiorazione va da 0 a 3 punti percentuali.");
    return ERR_INVALID;
  }
  if (logo && logo_len && (logo_len > PORTAL_LOGO_MAX || !png_ok(logo, logo_len))) {
    *pb = PB("logo", "Il logo deve essere un'immagine PNG di al massimo 256 KB.");
    return ERR_INVALID;
  }
  err_code rc = db_tx(d, settings_set_tx, &t);
  if (rc == ERR_CONFLICT) *pb = (problem){ERR_CONFLICT, "host", "Un altro Ente usa già questo nome host."};
  return rc;
}

err_code portal_ente_by_host(db *d, arena *a, const char *host, ente *out) {
  if (!host || !*host) return ERR_NOT_FOUND;
  size_t n = strcspn(host, ":");
  if (n == 0 || n > 253) return ERR_NOT_FOUND;
  char h[254];
  for (size_t i = 0; i < n; i++) h[i] = (char)tolower((unsigned char)host[i]);
  h[n] = 0;
  int64_t id;
  err_code rc = ps_ente_by_host(d, h, &id);
  return rc == ERR_OK ? ente_get(d, a, id, out) : rc;
}

err_code portal_logo(db *d, arena *a, int64_t ente_id, const void **png, size_t *len) {
  return ps_logo_get(d, a, ente_id, png, len);
}

/* ---- rule tables ---- */

err_code portal_rates(db *d, arena *a, interest_rate **out, size_t *n) { return ps_rates(d, a, out, n); }

typedef struct {
  int year, rate_bp;
  const char *decree;
  const actor *who;
} rate_tx;

static err_code rate_set_tx(db *d, void *ctx) {
  rate_tx *t = ctx;
  err_code rc = ps_rate_upsert(d, t->year, t->rate_bp, t->decree, clock_now());
  if (rc != ERR_OK) return rc;
  json_t *after = json_pack("{s:i, s:i, s:s?}", "year", t->year, "rate_bp", t->rate_bp, "decree", t->decree);
  return audit_write_json(d, t->who, 0, "portal.legal_rate", "legal_interest_rate", t->year, NULL, after);
}

err_code portal_rate_set(db *d, int year, int rate_bp, const char *decree, const actor *who, problem *pb) {
  if (year < 1990 || year > 2100) {
    *pb = PB("year", "Anno non valido.");
    return ERR_INVALID;
  }
  if (rate_bp < 0 || rate_bp > 5000) {
    *pb = PB("rate", "Tasso non valido (da 0 a 50%).");
    return ERR_INVALID;
  }
  rate_tx t = {year, rate_bp, decree, who};
  return db_tx(d, rate_set_tx, &t);
}

err_code portal_ravv_bands(db *d, arena *a, ravv_band **out, size_t *n) {
  ps_band_row *rows;
  err_code rc = ps_bands(d, a, &rows, n);
  if (rc != ERR_OK) return rc;
  ravv_band *b = ARENA_ARRAY(a, ravv_band, *n ? *n : 1);
  for (size_t i = 0; i < *n; i++) {
    ps_band_row *r = &rows[i];
    b[i] = (ravv_band){.regime = r->regime,
                       .band = r->band,
                       .position = r->position,
                       .min_days = r->min_days,
                       .max_days = r->max_days,
                       .max_years = r->max_years,
                       .base_rate_pm = r->base_rate_pm,
                       .per_day = r->per_day,
                       .reduction_den = r->reduction_den};
    if (date_parse_iso(r->regime_from, &b[i].regime_from) != 0) return ERR_INTERNAL;
    if (r->regime_to && date_parse_iso(r->regime_to, &b[i].regime_to) != 0) return ERR_INTERNAL;
  }
  *out = b;
  return ERR_OK;
}

/* ---- delegations ---- */

static void today_iso(char out[11]) { date_format_iso(date_today_rome(clock_now()), out); }

typedef struct {
  portal_delegation *dl;
  const actor *who;
} deleg_tx;

static err_code delegation_add_tx(db *d, void *ctx) {
  deleg_tx *t = ctx;
  err_code rc = ps_delegation_upsert(d, t->dl, clock_now(), &t->dl->id);
  if (rc != ERR_OK) return rc;
  json_t *after = json_pack("{s:s, s:s, s:s, s:s?}", "intermediary_cf", t->dl->intermediary_cf, "client_cf",
                            t->dl->client_cf, "valid_from", t->dl->valid_from, "valid_to", t->dl->valid_to);
  return audit_write_json(d, t->who, t->dl->ente_id, "portal.delegation", "portal_delegation", t->dl->id,
                          NULL, after);
}

static char *norm_cf(arena *a, const char *s) {
  char *c = text_trim_dup(a, s ? s : "");
  if (c) normalize_code(c);
  return c;
}

err_code portal_delegation_add(db *d, arena *a, portal_delegation *dl, const actor *who, problem *pb) {
  dl->intermediary_cf = norm_cf(a, dl->intermediary_cf);
  dl->client_cf = norm_cf(a, dl->client_cf);
  if (!dl->intermediary_cf || validate_fiscal_code_any(dl->intermediary_cf)) {
    *pb = PB("intermediary", "Codice fiscale dell'intermediario non valido.");
    return ERR_INVALID;
  }
  if (!dl->client_cf || validate_fiscal_code_any(dl->client_cf)) {
    *pb = PB("client", "Codice fiscale del contribuente non valido.");
    return ERR_INVALID;
  }
  if (strcmp(dl->client_cf, dl->intermediary_cf) == 0) {
    *pb = PB("client", "Il contribuente e l'intermediario devono essere diversi.");
    return ERR_INVALID;
  }
  char today[11];
  today_iso(today);
  civil_date c;
  if (!dl->valid_from) dl->valid_from = arena_strdup(a, today);
  if (date_parse_iso(dl->valid_from, &c) != 0) {
    *pb = PB("from", "Data di inizio non valida (AAAA-MM-GG).");
    return ERR_INVALID;
  }
  if (dl->valid_to && (date_parse_iso(dl->valid_to, &c) != 0 || strcmp(dl->valid_to, dl->valid_from) < 0)) {
    *pb = PB("to", "Data di fine non valida (AAAA-MM-GG, non prima dell'inizio).");
    return ERR_INVALID;
  }
  deleg_tx t = {dl, who};
  return db_tx(d, delegation_add_tx, &t);
}

typedef struct {
  int64_t ente_id;
  const char *icf, *ccf;
  const actor *who;
} revoke_tx;

static err_code delegation_revoke_tx(db *d, void *ctx) {
  revoke_tx *t = ctx;
  int64_t id;
  err_code rc = ps_delegation_revoke(d, t->ente_id, t->icf, t->ccf, clock_now(), &id);
  if (rc != ERR_OK) return rc;
  json_t *after = json_pack("{s:s, s:s, s:b}", "intermediary_cf", t->icf, "client_cf", t->ccf, "revoked", 1);
  return audit_write_json(d, t->who, t->ente_id, "portal.delegation_revoke", "portal_delegation", id, NULL,
                          after);
}

err_code portal_delegation_revoke(db *d, int64_t ente_id, const char *icf, const char *ccf,
                                  const actor *who) {
  revoke_tx t = {ente_id, icf, ccf, who};
  return db_tx(d, delegation_revoke_tx, &t);
}

err_code portal_may_see(db *d, int64_t ente_id, const char *viewer_cf, const char *cf, const char *today) {
  if (!viewer_cf || !cf) return ERR_NOT_FOUND;
  if (strcmp(viewer_cf, cf) == 0) return ERR_OK;
  return ps_delegation_live(d, ente_id, viewer_cf, cf, today);
}

/* ---- payment channels ---- */

typedef struct {
  payment_channel *rows;
  size_t n;
  const actor *who;
} channels_tx;

static err_code channels_tx_fn(db *d, void *ctx) {
  channels_tx *t = ctx;
  err_code rc = ps_channels_clear(d);
  int64_t now = clock_now();
  for (size_t i = 0; rc == ERR_OK && i < t->n; i++) rc = ps_channel_insert(d, &t->rows[i], now);
  if (rc != ERR_OK) return rc;
  return audit_write_json(d, t->who, 0, "portal.channels_import", "payment_channel", 0, NULL,
                          json_pack("{s:i}", "rows", (json_int_t)t->n));
}

/* One CSV record (RFC 4180 quotes, no line breaks inside) from *p into at
 * most max fields; advances *p. -1 on a bad quote or too many fields. */
static int csv_fields(arena *a, const char **p, char **f, int max, int *nf) {
  const char *s = *p;
  *nf = 0;
  for (;;) {
    if (*nf >= max) return -1;
    strbuf b;
    sb_init(&b, 1024);
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

err_code payment_channels_import(db *d, arena *a, const char *text, const actor *who, size_t *n_out,
                                 problem *pb) {
  size_t cap = 16, n = 0;
  payment_channel *rows = ARENA_ARRAY(a, payment_channel, cap);
  const char *p = text;
  char *f[8];
  int nf, line = 0;
  while (*p) {
    line++;
    if (csv_fields(a, &p, f, 8, &nf) != 0) {
      *pb = PB("file", arena_printf(a, "Riga %d: virgolette non chiuse o troppi campi.", line));
      return ERR_INVALID;
    }
    if (line == 1) {
      if (nf < 4 || strcmp(f[0], "psp") != 0 || strcmp(f[3], "fee_eur") != 0) {
        *pb = PB("file", "L'intestazione deve essere psp,channel,description,fee_eur.");
        return ERR_INVALID;
      }
      continue;
    }
    if (nf == 1 && !*f[0]) continue; /* blank line */
    int64_t fee;
    if (nf < 4 || !*f[0] || !*f[1] || money_parse(f[3], &fee) != 0 || fee < 0 || strlen(f[0]) > 140 ||
        strlen(f[1]) > 60 || strlen(f[2]) > 300) {
      *pb = PB("file", arena_printf(a,
                                    "Riga %d non valida: servono PSP, canale, descrizione e commissione "
                                    "in euro (per esempio 1,50).",
                                    line));
      return ERR_INVALID;
    }
    if (n == cap) rows = arena_grow(a, rows, sizeof *rows, n, &cap);
    rows[n++] = (payment_channel){0, f[0], f[1], f[2], fee};
    if (n > 2000) {
      *pb = PB("file", "Al massimo 2000 canali.");
      return ERR_INVALID;
    }
  }
  if (line == 0) {
    *pb = PB("file", "Il file è vuoto.");
    return ERR_INVALID;
  }
  channels_tx t = {rows, n, who};
  err_code rc = db_tx(d, channels_tx_fn, &t);
  if (rc == ERR_CONFLICT) *pb = PB("file", "Lo stesso canale dello stesso PSP compare due volte.");
  if (rc == ERR_OK) *n_out = n;
  return rc == ERR_CONFLICT ? ERR_INVALID : rc;
}

err_code payment_channels_list(db *d, arena *a, payment_channel **out, size_t *n) {
  return ps_channels(d, a, out, n);
}
