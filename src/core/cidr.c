#include "core/cidr.h"
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  int v6; /* 0: 4 bytes, 1: 16 bytes */
  unsigned char b[16];
} addr;

static int parse_addr(const char *s, addr *out) {
  memset(out, 0, sizeof *out);
  if (inet_pton(AF_INET, s, out->b) == 1) return 0;
  if (inet_pton(AF_INET6, s, out->b) == 1) {
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (memcmp(out->b, mapped, 12) == 0) { /* ::ffff:a.b.c.d is a.b.c.d */
      memmove(out->b, out->b + 12, 4);
      memset(out->b + 4, 0, 12);
      return 0;
    }
    out->v6 = 1;
    return 0;
  }
  return -1;
}

/* One item "addr[/prefix]" of n bytes into *a and *prefix; -1 if bad. */
static int parse_item(const char *p, size_t n, addr *a, int *prefix) {
  char buf[64];
  if (n == 0 || n >= sizeof buf) return -1;
  memcpy(buf, p, n);
  buf[n] = 0;
  char *slash = strchr(buf, '/');
  if (slash) *slash = 0;
  if (parse_addr(buf, a)) return -1;
  int max = a->v6 ? 128 : 32;
  *prefix = max;
  if (slash) {
    const char *q = slash + 1;
    if (!*q || strlen(q) > 3) return -1;
    for (const char *c = q; *c; c++)
      if (*c < '0' || *c > '9') return -1;
    *prefix = atoi(q);
    if (*prefix > max) return -1;
  }
  return 0;
}

static int in_block(const addr *ip, const addr *net, int prefix) {
  if (ip->v6 != net->v6) return 0;
  int full = prefix / 8, rest = prefix % 8;
  if (memcmp(ip->b, net->b, (size_t)full) != 0) return 0;
  if (!rest) return 1;
  unsigned char mask = (unsigned char)(0xff << (8 - rest));
  return (ip->b[full] & mask) == (net->b[full] & mask);
}

/* Calls fn for every item; stops at the first non-zero return. -1 on a bad
 * item. */
static int each_item(const char *list, int (*fn)(const addr *, int, void *), void *ctx) {
  for (const char *p = list; p && *p;) {
    while (*p == ' ' || *p == '\t' || *p == ',') p++;
    if (!*p) break;
    const char *e = p;
    while (*e && *e != ',' && *e != ' ' && *e != '\t') e++;
    addr a;
    int prefix;
    if (parse_item(p, (size_t)(e - p), &a, &prefix)) return -1;
    int r = fn(&a, prefix, ctx);
    if (r) return r;
    p = e;
  }
  return 0;
}

static int ok_fn(const addr *a, int prefix, void *ctx) {
  (void)a, (void)prefix, (void)ctx;
  return 0;
}

const char *cidr_list_check(const char *list) {
  if (each_item(list, ok_fn, NULL) < 0)
    return "deve essere un elenco di indirizzi IP o blocchi CIDR separati da virgola (es. 10.0.0.0/8, "
           "2001:db8::/32)";
  return NULL;
}

static int match_fn(const addr *net, int prefix, void *ctx) { return in_block(ctx, net, prefix) ? 1 : 0; }

int cidr_list_match(const char *list, const char *ip) {
  addr a;
  if (!ip || parse_addr(ip, &a)) return 0;
  return each_item(list, match_fn, &a) == 1;
}
