/* Per-request (or per-command) bump allocator: everything allocated from an
 * arena is freed at once by arena_free. Never free individual pointers. */
#ifndef SP_ARENA_H
#define SP_ARENA_H
#include <stddef.h>
#include <stdarg.h>

typedef struct arena arena;

arena *arena_new(void);
void arena_free(arena *a);
/* Zeroed, 16-byte aligned memory; aborts on out-of-memory. */
void *arena_alloc(arena *a, size_t n);
char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(arena *a, const char *fmt, va_list ap);
/* Room for one more element in an arena array of n elements of elem bytes
 * with capacity *cap: returns old while n < *cap, else a copy of the n
 * elements in a new array of twice the capacity (16 when *cap is 0; the
 * new slots zeroed) and updates *cap. Arena memory cannot be realloc'ed;
 * the old array simply stays in the arena. old may be NULL when n is 0. */
void *arena_grow(arena *a, void *old, size_t elem, size_t n, size_t *cap);
/* fn(arg) runs when the arena is freed (before its memory goes), last
 * registered first: a request releases what it borrowed this way. */
void arena_defer(arena *a, void (*fn)(void *), void *arg);
/* Bytes the arena holds from the system (its blocks), for memory limits. */
size_t arena_bytes(const arena *a);
#define ARENA_NEW(a, T) ((T *)arena_alloc((a), sizeof(T)))
#define ARENA_ARRAY(a, T, n) ((T *)arena_alloc((a), sizeof(T) * (n)))

#endif
