/* Audit chain rules: how a row's hash is computed, how a row is appended
 * under the head lock, and how verify walks the chain. The hash covers a
 * length-prefixed serialisation of prev_hash and every column, so no two
 * different rows serialise alike (no field can "borrow" bytes from the
 * next, and NULL differs from ""). */
#include "domain/audit/audit.h"

#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "domain/audit/audit_store.h"

#define SCAN_PAGE 1000
#define HASH_TAG "sportello.audit.v1"
/* prev_hash of row 1; 0002_audit.sql seeds audit_head with it */
#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/* A field is 'N' for SQL NULL, or 'V', its length as 8 bytes big-endian,
 * then its bytes. */
static void put_field(crypto_hash_sha256_state *h, const char *v) {
  if (!v) {
    crypto_hash_sha256_update(h, (const unsigned char *)"N", 1);
    return;
  }
  uint64_t n = strlen(v);
  unsigned char hdr[9] = {'V'};
  for (int i = 0; i < 8; i++) hdr[1 + i] = (unsigned char)(n >> (56 - 8 * i));
  crypto_hash_sha256_update(h, hdr, sizeof hdr);
  crypto_hash_sha256_update(h, (const unsigned char *)v, n);
}

static void put_int(crypto_hash_sha256_state *h, int64_t v) {
  char buf[24];
  snprintf(buf, sizeof buf, "%lld", (long long)v);
  put_field(h, buf);
}

/* hex SHA-256 of the row's canonical form; r->hash is ignored. */
static void row_hash(const audit_row *r, char out[AUDIT_HASH_HEX + 1]) {
  crypto_hash_sha256_state h;
  crypto_hash_sha256_init(&h);
  put_field(&h, HASH_TAG);
  put_field(&h, r->prev_hash);
  put_int(&h, r->id);
  put_int(&h, r->at);
  put_field(&h, r->actor_kind);
  put_int(&h, r->actor_id);
  if (r->has_ente)
    put_int(&h, r->ente_id);
  else
    put_field(&h, NULL);
  put_field(&h, r->action);
  put_field(&h, r->object_type);
  put_int(&h, r->object_id);
  put_field(&h, r->before_json);
  put_field(&h, r->after_json);
  unsigned char md[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&h, md);
  sodium_bin2hex(out, AUDIT_HASH_HEX + 1, md, sizeof md);
}

/* Takes the head lock first so the new id and prev_hash cannot race; the
 * id comes from the head, never from the table's sequence. */
err_code audit_write(db *d, const audit_entry *e) {
  if (!db_in_tx(d)) {
    log_error("audit: audit_write called outside a transaction");
    return ERR_INTERNAL;
  }
  if (sodium_init() < 0) return ERR_INTERNAL;
  if (!e || !e->who.kind || !*e->who.kind || !e->action || !*e->action || !e->object_type || !*e->object_type)
    return ERR_INVALID;
  int64_t last_id;
  char prev[AUDIT_HASH_HEX + 1], hash[AUDIT_HASH_HEX + 1];
  err_code rc = audit_store_head(d, 1, &last_id, prev);
  if (rc == ERR_NOT_FOUND) {
    log_error("audit: chain head row is missing");
    return ERR_INTERNAL;
  }
  if (rc != ERR_OK) return rc;
  audit_row r = {
      .id = last_id + 1,
      .at = clock_now(),
      .actor_kind = e->who.kind,
      .actor_id = e->who.id,
      .has_ente = e->ente_id != 0,
      .ente_id = e->ente_id,
      .action = e->action,
      .object_type = e->object_type,
      .object_id = e->object_id,
      .before_json = e->before_json,
      .after_json = e->after_json,
      .prev_hash = prev,
      .hash = hash,
  };
  row_hash(&r, hash);
  rc = audit_store_insert(d, &r);
  if (rc != ERR_OK) return rc;
  return audit_store_set_head(d, r.id, hash);
}

typedef struct {
  arena *a;
  audit_report *r;
  int64_t last_id;                    /* id of the last row checked (0 = none) */
  char last_hash[AUDIT_HASH_HEX + 1]; /* its hash, or the genesis hash */
} verify_ctx;

/* Records the first break and stops the scan. */
static err_code broken(verify_ctx *c, int64_t bad_id, char *text) {
  c->r->first_bad_id = bad_id;
  c->r->problem = text;
  return ERR_CONFLICT;
}

static err_code check_row(const audit_row *row, void *vctx) {
  verify_ctx *c = vctx;
  int64_t want = c->last_id + 1;
  if (row->id != want)
    return broken(c, want,
                  want + 1 == row->id
                      ? arena_printf(c->a, "Manca la riga %lld del registro di controllo.", (long long)want)
                      : arena_printf(c->a, "Mancano le righe da %lld a %lld del registro di controllo.",
                                     (long long)want, (long long)row->id - 1));
  if (!row->prev_hash || strcmp(row->prev_hash, c->last_hash) != 0)
    return broken(c, row->id,
                  arena_printf(c->a,
                               "La riga %lld non è collegata alla precedente: l'impronta della riga "
                               "precedente non corrisponde.",
                               (long long)row->id));
  char h[AUDIT_HASH_HEX + 1];
  row_hash(row, h);
  if (!row->hash || strcmp(row->hash, h) != 0)
    return broken(c, row->id,
                  arena_printf(c->a,
                               "La riga %lld è stata modificata: la sua impronta non corrisponde al "
                               "contenuto.",
                               (long long)row->id));
  c->r->rows++;
  c->last_id = row->id;
  memcpy(c->last_hash, h, sizeof h);
  return ERR_OK;
}

/* Runs in one read snapshot so a concurrent writer cannot make the head
 * and the rows disagree. */
static err_code verify_tx(db *d, void *vctx) {
  verify_ctx *c = vctx;
  c->r->rows = 0;
  c->r->first_bad_id = 0;
  c->r->problem = NULL;
  int64_t head_id;
  char head_hash[AUDIT_HASH_HEX + 1];
  err_code rc = audit_store_head(d, 0, &head_id, head_hash);
  if (rc == ERR_NOT_FOUND)
    return broken(c, 1, arena_strdup(c->a, "La testa della catena del registro di controllo è assente."));
  if (rc != ERR_OK) return rc;
  c->last_id = 0;
  memcpy(c->last_hash, GENESIS_HASH, sizeof c->last_hash);
  int seen;
  do {
    rc = audit_store_scan(d, c->last_id, SCAN_PAGE, check_row, c, &seen);
    if (rc != ERR_OK) return rc;
  } while (seen == SCAN_PAGE);
  if (head_id > c->last_id)
    return broken(c, c->last_id + 1,
                  arena_printf(c->a,
                               "Mancano le righe finali del registro di controllo: l'ultima presente "
                               "è la %lld, la testa della catena indica la %lld.",
                               (long long)c->last_id, (long long)head_id));
  if (head_id < c->last_id)
    return broken(c, head_id + 1,
                  arena_printf(c->a,
                               "Il registro di controllo contiene righe oltre la testa della catena "
                               "(%lld): righe aggiunte fuori dalla procedura.",
                               (long long)head_id));
  if (strcmp(head_hash, c->last_hash) != 0)
    return broken(c, c->last_id,
                  arena_printf(c->a,
                               "La testa della catena non corrisponde all'ultima riga (%lld) del "
                               "registro di controllo.",
                               (long long)c->last_id));
  return ERR_OK;
}

err_code audit_verify(db *d, arena *a, audit_report *r) {
  if (!d || !a || !r) return ERR_INTERNAL;
  memset(r, 0, sizeof *r);
  if (sodium_init() < 0) return ERR_INTERNAL;
  verify_ctx c = {.a = a, .r = r};
  return db_tx_read(d, verify_tx, &c);
}

err_code audit_write_json(db *d, const actor *who, int64_t ente_id, const char *action,
                          const char *object_type, int64_t object_id, json_t *before,
                          json_t *after) {
  static const actor sys = {"system", 0};
  char *b = before ? json_dumps(before, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
  char *af = after ? json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
  json_decref(before);
  json_decref(after);
  err_code rc = ERR_INTERNAL;
  if ((!before || b) && (!after || af)) {
    audit_entry e = {who ? *who : sys, ente_id, action, object_type, object_id, b, af};
    rc = audit_write(d, &e);
  }
  free(b);
  free(af);
  return rc;
}

err_code audit_head_before(db *d, int64_t ente_id, int64_t before_ts, char out[65]) {
  err_code rc = audit_store_hash_before(d, ente_id, before_ts, out);
  if (rc == ERR_NOT_FOUND) {
    snprintf(out, AUDIT_HASH_HEX + 1, "%s", GENESIS_HASH);
    return ERR_OK;
  }
  return rc;
}
