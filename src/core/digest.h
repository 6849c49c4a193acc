/* Canonical SHA-256 of a record, for the audit chain and the protocol
 * register: each field is 'N' for NULL, or 'V', its length as 8 bytes
 * big-endian, then its bytes, so no field can borrow bytes from the next
 * and NULL differs from "". Integers are hashed as their decimal text. */
#ifndef SP_DIGEST_H
#define SP_DIGEST_H
#include <sodium.h>
#include <stdint.h>

typedef struct {
  crypto_hash_sha256_state h;
} digest;

void digest_init(digest *g);
void digest_text(digest *g, const char *v); /* NULL allowed */
void digest_int(digest *g, int64_t v);
/* The lower-case hex digest (64 characters and NUL). */
void digest_hex(digest *g, char out[65]);

#endif
