#include "core/arena.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Blocks form a singly linked list; big requests get their own block.
 * Blocks come zeroed (calloc) and memory is never handed out twice, so
 * arena_alloc's zeroed memory costs no memset per call. */
struct block {
  struct block *next;
  size_t used, cap;
  _Alignas(16) unsigned char data[];
};

struct deferred {
  struct deferred *next;
  void (*fn)(void *);
  void *arg;
};

struct arena {
  struct block *head;
  struct deferred *defer;
};

enum { BLOCK_SIZE = 16384 };

static struct block *block_new(size_t cap) {
  struct block *b = calloc(1, sizeof *b + cap);
  if (!b) {
    fputs("arena: out of memory\n", stderr);
    abort();
  }
  b->next = NULL;
  b->used = 0;
  b->cap = cap;
  return b;
}

arena *arena_new(void) {
  arena *a = calloc(1, sizeof *a);
  if (!a) abort();
  a->head = block_new(BLOCK_SIZE);
  return a;
}

void arena_free(arena *a) {
  if (!a) return;
  for (struct deferred *f = a->defer; f; f = f->next) f->fn(f->arg); /* the nodes live in the blocks */
  struct block *b = a->head;
  while (b) {
    struct block *n = b->next;
    free(b);
    b = n;
  }
  free(a);
}

void *arena_alloc(arena *a, size_t n) {
  n = (n + 15) & ~(size_t)15;
  if (n == 0) n = 16;
  struct block *b = a->head;
  if (b->cap - b->used < n) {
    if (n > BLOCK_SIZE / 4) {
      /* Large allocation: own block, linked behind the current head so the
       * head keeps serving small requests. */
      struct block *big = block_new(n);
      big->used = n;
      big->next = b->next;
      b->next = big;
      return big->data;
    }
    b = block_new(BLOCK_SIZE);
    b->next = a->head;
    a->head = b;
  }
  void *p = b->data + b->used;
  b->used += n;
  return p;
}

char *arena_strndup(arena *a, const char *s, size_t n) {
  char *p = arena_alloc(a, n + 1);
  memcpy(p, s, n);
  p[n] = 0;
  return p;
}

char *arena_strdup(arena *a, const char *s) {
  if (!s) return NULL;
  return arena_strndup(a, s, strlen(s));
}

char *arena_vprintf(arena *a, const char *fmt, va_list ap) {
  /* Also keeps GCC 12 quiet under -fsanitize=undefined, whose null check
   * on fmt otherwise triggers a bogus -Wformat-truncation "null format". */
  if (!fmt) return arena_strdup(a, "");
  /* Formatted once, straight into the current block when it fits (the
   * common case); otherwise measured and formatted again. */
  struct block *b = a->head;
  size_t room = b->cap - b->used;
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf((char *)b->data + b->used, room, fmt, ap2);
  va_end(ap2);
  if (n < 0 || (size_t)n >= room) memset(b->data + b->used, 0, room); /* free memory stays zeroed */
  if (n < 0) return arena_strdup(a, "");
  if ((size_t)n < room) {
    char *p = (char *)b->data + b->used;
    b->used += ((size_t)n + 1 + 15) & ~(size_t)15;
    if (b->used > b->cap) b->used = b->cap;
    return p;
  }
  char *p = arena_alloc(a, (size_t)n + 1);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  return p;
}

char *arena_printf(arena *a, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *p = arena_vprintf(a, fmt, ap);
  va_end(ap);
  return p;
}

void *arena_grow(arena *a, void *old, size_t elem, size_t n, size_t *cap) {
  if (n < *cap) return old;
  size_t ncap = *cap ? *cap * 2 : 16;
  void *p = arena_alloc(a, elem * ncap);
  if (old && n) memcpy(p, old, elem * n);
  *cap = ncap;
  return p;
}

void arena_defer(arena *a, void (*fn)(void *), void *arg) {
  struct deferred *f = ARENA_NEW(a, struct deferred);
  f->fn = fn;
  f->arg = arg;
  f->next = a->defer;
  a->defer = f;
}

size_t arena_bytes(const arena *a) {
  size_t n = 0;
  for (const struct block *b = a->head; b; b = b->next) n += sizeof *b + b->cap;
  return n;
}
