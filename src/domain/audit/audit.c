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
#include "core/digest.h"
#include "core/log.h"
#include "domain/audit/audit_store.h"

#define SCAN_PAGE 1000
#define HASH_TAG_V1 "sportello.audit.v1" /* chain -1: the single chain before 0004 */
#define HASH_TAG_V2 "sportello.audit.v2" /* per-Ente chains */
/* prev_hash of a chain's first row; audit_store_head_create seeds heads
 * with it */
#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/* hex SHA-256 of the row's canonical form; r->hash is ignored. First-epoch
 * rows hash their position where they hashed their id (the same value);
 * per-Ente rows also hash their chain, so a row cannot be moved to another
 * chain. */
static void row_hash(const audit_row *r, char out[AUDIT_HASH_HEX + 1]) {
  digest h;
  digest_init(&h);
  if (r->chain == AUDIT_CHAIN_EPOCH1) {
    digest_text(&h, HASH_TAG_V1);
    digest_text(&h, r->prev_hash);
  } else {
    digest_text(&h, HASH_TAG_V2);
    digest_text(&h, r->prev_hash);
    digest_int(&h, r->chain);
  }
  digest_int(&h, r->seq);
  digest_int(&h, r->at);
  digest_text(&h, r->actor_kind);
  digest_int(&h, r->actor_id);
  if (r->has_ente)
    digest_int(&h, r->ente_id);
  else
    digest_text(&h, NULL);
  digest_text(&h, r->action);
  digest_text(&h, r->object_type);
  digest_int(&h, r->object_id);
  digest_text(&h, r->before_json);
  digest_text(&h, r->after_json);
  digest_hex(&h, out);
}

/* The chain's head, locked; created at genesis by the chain's first
 * write. On PostgreSQL two first writers of one chain race on the insert:
 * the loser gets a serialization failure and db_tx runs it again. */
static err_code lock_head(db *d, int64_t chain, int64_t *last, char prev[AUDIT_HASH_HEX + 1]) {
  err_code rc = audit_store_head(d, chain, 1, last, prev);
  if (rc != ERR_NOT_FOUND) return rc;
  rc = audit_store_head_create(d, chain, GENESIS_HASH);
  if (rc != ERR_OK) return rc;
  return audit_store_head(d, chain, 1, last, prev);
}

/* Takes the chain's head lock first so the new position and prev_hash
 * cannot race; the position comes from the head, never from a sequence, so
 * a gap means a deleted row. */
err_code audit_write(db *d, const audit_entry *e) {
  if (!db_in_tx(d)) {
    log_error("audit: audit_write called outside a transaction");
    return ERR_INTERNAL;
  }
  if (sodium_init() < 0) return ERR_INTERNAL;
  if (!e || !e->who.kind || !*e->who.kind || !e->action || !*e->action || !e->object_type ||
      !*e->object_type || e->ente_id < 0)
    return ERR_INVALID;
  int64_t last;
  char prev[AUDIT_HASH_HEX + 1], hash[AUDIT_HASH_HEX + 1];
  err_code rc = lock_head(d, e->ente_id, &last, prev);
  if (rc == ERR_NOT_FOUND) {
    log_error("audit: head of chain %lld cannot be created", (long long)e->ente_id);
    return ERR_INTERNAL;
  }
  if (rc != ERR_OK) return rc;
  audit_row r = {
      .chain = e->ente_id,
      .seq = last + 1,
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
  return audit_store_set_head(d, r.chain, r.seq, hash);
}

typedef struct {
  arena *a;
  audit_chain_report *r;
  int64_t last_seq;                   /* position of the last row checked (0 = none) */
  char last_hash[AUDIT_HASH_HEX + 1]; /* its hash, or the genesis hash */
} verify_ctx;

/* Records the first break and stops the scan. */
static err_code broken(verify_ctx *c, int64_t bad_seq, char *text) {
  c->r->first_bad_seq = bad_seq;
  c->r->problem = text;
  return ERR_CONFLICT;
}

static err_code check_row(const audit_row *row, void *vctx) {
  verify_ctx *c = vctx;
  int64_t want = c->last_seq + 1;
  if (row->seq != want)
    return broken(c, want,
                  want + 1 == row->seq
                      ? arena_printf(c->a, "Manca la riga %lld del registro di controllo.", (long long)want)
                      : arena_printf(c->a, "Mancano le righe da %lld a %lld del registro di controllo.",
                                     (long long)want, (long long)row->seq - 1));
  if (!row->prev_hash || strcmp(row->prev_hash, c->last_hash) != 0)
    return broken(c, row->seq,
                  arena_printf(c->a,
                               "La riga %lld non è collegata alla precedente: l'impronta della riga "
                               "precedente non corrisponde.",
                               (long long)row->seq));
  char h[AUDIT_HASH_HEX + 1];
  row_hash(row, h);
  if (!row->hash || strcmp(row->hash, h) != 0)
    return broken(c, row->seq,
                  arena_printf(c->a,
                               "La riga %lld è stata modificata: la sua impronta non corrisponde al "
                               "contenuto.",
                               (long long)row->seq));
  c->r->rows++;
  c->last_seq = row->seq;
  memcpy(c->last_hash, h, sizeof h);
  return ERR_OK;
}

/* Walks one chain from genesis and compares its end with the head. A
 * chain with neither head nor rows is intact and empty. */
static err_code verify_one(db *d, arena *a, int64_t chain, audit_chain_report *r) {
  memset(r, 0, sizeof *r);
  r->chain = chain;
  verify_ctx c = {.a = a, .r = r};
  int64_t head_seq;
  char head_hash[AUDIT_HASH_HEX + 1];
  err_code rc = audit_store_head(d, chain, 0, &head_seq, head_hash);
  int no_head = rc == ERR_NOT_FOUND;
  if (rc != ERR_OK && !no_head) return rc;
  memcpy(c.last_hash, GENESIS_HASH, sizeof c.last_hash);
  int seen;
  do {
    rc = audit_store_scan(d, chain, c.last_seq, SCAN_PAGE, check_row, &c, &seen);
    if (rc != ERR_OK) return rc;
  } while (seen == SCAN_PAGE);
  if (no_head)
    return c.last_seq == 0 && chain != AUDIT_CHAIN_EPOCH1
               ? ERR_OK
               : broken(&c, 1, arena_strdup(a, "La testa della catena del registro di controllo è assente."));
  if (head_seq > c.last_seq)
    return broken(&c, c.last_seq + 1,
                  arena_printf(a,
                               "Mancano le righe finali del registro di controllo: l'ultima presente "
                               "è la %lld, la testa della catena indica la %lld.",
                               (long long)c.last_seq, (long long)head_seq));
  if (head_seq < c.last_seq)
    return broken(&c, head_seq + 1,
                  arena_printf(a,
                               "Il registro di controllo contiene righe oltre la testa della catena "
                               "(%lld): righe aggiunte fuori dalla procedura.",
                               (long long)head_seq));
  if (strcmp(head_hash, c.last_hash) != 0)
    return broken(&c, c.last_seq,
                  arena_printf(a,
                               "La testa della catena non corrisponde all'ultima riga (%lld) del "
                               "registro di controllo.",
                               (long long)c.last_seq));
  return ERR_OK;
}

typedef struct {
  arena *a;
  audit_report *r;
  int all;       /* every chain, or only `chain` */
  int64_t chain;
} verify_all_ctx;

/* Runs in one read snapshot so concurrent writers cannot make a head and
 * its rows disagree. A broken chain does not stop the others. */
static err_code verify_tx(db *d, void *vctx) {
  verify_all_ctx *c = vctx;
  audit_report *r = c->r;
  memset(r, 0, sizeof *r);
  int64_t *chains = &c->chain;
  size_t n = 1;
  if (c->all) {
    err_code rc = audit_store_chains(d, c->a, &chains, &n);
    if (rc != ERR_OK) return rc;
  }
  r->chains = ARENA_ARRAY(c->a, audit_chain_report, n ? n : 1);
  err_code result = ERR_OK;
  for (size_t i = 0; i < n; i++) {
    audit_chain_report *cr = &r->chains[r->n_chains++];
    err_code rc = verify_one(d, c->a, chains[i], cr);
    r->rows += cr->rows;
    if (rc == ERR_CONFLICT && result == ERR_OK) {
      result = ERR_CONFLICT;
      r->bad_chain = cr->chain;
      r->first_bad_id = cr->first_bad_seq;
      r->problem = cr->problem;
    } else if (rc != ERR_OK && rc != ERR_CONFLICT) {
      return rc;
    }
  }
  return result;
}

static err_code verify(db *d, arena *a, audit_report *r, int all, int64_t chain) {
  if (!d || !a || !r) return ERR_INTERNAL;
  memset(r, 0, sizeof *r);
  if (sodium_init() < 0) return ERR_INTERNAL;
  verify_all_ctx c = {a, r, all, chain};
  return db_tx_read(d, verify_tx, &c);
}

err_code audit_verify(db *d, arena *a, audit_report *r) { return verify(d, a, r, 1, 0); }

err_code audit_verify_chain(db *d, arena *a, int64_t chain, audit_report *r) {
  return verify(d, a, r, 0, chain);
}

/* The canonical text of one side into *out, NULL for JSON null (the side
 * does not exist); -1 when the value cannot be serialised. */
static int audit_side(json_t *j, char **out) {
  *out = NULL;
  if (!j || json_is_null(j)) return 0;
  *out = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
  return *out ? 0 : -1;
}

err_code audit_write_json(db *d, const actor *who, int64_t ente_id, const char *action,
                          const char *object_type, int64_t object_id, json_t *before,
                          json_t *after) {
  static const actor sys = {"system", 0};
  char *b = NULL, *af = NULL;
  /* after == NULL is a value that could not be built (json_pack returns
   * NULL, e.g. on text that is not UTF-8), never "no content" */
  const char *fault = NULL;
  if (!after)
    fault = "the new state could not be built";
  else if (audit_side(after, &af))
    fault = "the new state could not be serialised";
  else if (audit_side(before, &b))
    fault = "the previous state could not be serialised";
  else if (!b && !af)
    fault = "it has no content";
  json_decref(before);
  json_decref(after);
  err_code rc = ERR_INTERNAL;
  if (fault) {
    err_cause("audit: %s of %s %lld not written: %s", action ? action : "?",
              object_type ? object_type : "?", (long long)object_id, fault);
  } else {
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
