#include "core/digest.h"

#include <stdio.h>
#include <string.h>

void digest_init(digest *g) { crypto_hash_sha256_init(&g->h); }

void digest_text(digest *g, const char *v) {
  if (!v) {
    crypto_hash_sha256_update(&g->h, (const unsigned char *)"N", 1);
    return;
  }
  uint64_t n = strlen(v);
  unsigned char hdr[9] = {'V'};
  for (int i = 0; i < 8; i++) hdr[1 + i] = (unsigned char)(n >> (56 - 8 * i));
  crypto_hash_sha256_update(&g->h, hdr, sizeof hdr);
  crypto_hash_sha256_update(&g->h, (const unsigned char *)v, n);
}

void digest_int(digest *g, int64_t v) {
  char buf[24];
  snprintf(buf, sizeof buf, "%lld", (long long)v);
  digest_text(g, buf);
}

void digest_hex(digest *g, char out[65]) {
  unsigned char md[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&g->h, md);
  sodium_bin2hex(out, 65, md, sizeof md);
}
