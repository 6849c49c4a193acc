/* Arena arrays grown with arena_grow: contents kept across growth, the
 * capacity doubling from 16, new slots zeroed, no copy while there is
 * room. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "core/arena.h"

static void test_grow_keeps_contents(void **state) {
  (void)state;
  arena *a = arena_new();
  int64_t *v = NULL;
  size_t cap = 0, n = 0;
  for (int64_t i = 0; i < 1000; i++) {
    v = arena_grow(a, v, sizeof *v, n, &cap);
    v[n++] = i * i;
  }
  assert_int_equal(cap, 1024); /* 16, 32, ..., 1024 */
  for (size_t i = 0; i < n; i++) assert_int_equal(v[i], (int64_t)(i * i));
  arena_free(a);
}

static void test_grow_only_when_full(void **state) {
  (void)state;
  arena *a = arena_new();
  size_t cap = 0;
  char *first = arena_grow(a, NULL, 1, 0, &cap);
  assert_non_null(first);
  assert_int_equal(cap, 16);
  /* room left: the same array, capacity unchanged */
  assert_ptr_equal(arena_grow(a, first, 1, 15, &cap), first);
  assert_int_equal(cap, 16);
  memset(first, 'x', 16);
  /* full: a new array of twice the size, old bytes copied, rest zeroed */
  char *second = arena_grow(a, first, 1, 16, &cap);
  assert_ptr_not_equal(second, first);
  assert_int_equal(cap, 32);
  for (int i = 0; i < 16; i++) assert_int_equal(second[i], 'x');
  for (int i = 16; i < 32; i++) assert_int_equal(second[i], 0);
  /* a caller-chosen starting capacity doubles too */
  cap = 3;
  int64_t small[3] = {7, 8, 9};
  int64_t *grown = arena_grow(a, small, sizeof *grown, 3, &cap);
  assert_int_equal(cap, 6);
  assert_int_equal(grown[0], 7);
  assert_int_equal(grown[2], 9);
  assert_int_equal(grown[5], 0);
  arena_free(a);
}

/* Elements larger than a quarter block go to their own blocks. */
static void test_grow_large_elements(void **state) {
  (void)state;
  arena *a = arena_new();
  typedef struct {
    char bytes[1000];
  } big;
  big *v = NULL;
  size_t cap = 0;
  for (size_t i = 0; i < 40; i++) {
    v = arena_grow(a, v, sizeof *v, i, &cap);
    memset(v[i].bytes, (int)('A' + i), sizeof v[i].bytes);
  }
  assert_int_equal(cap, 64);
  for (size_t i = 0; i < 40; i++) {
    assert_int_equal(v[i].bytes[0], (char)('A' + i));
    assert_int_equal(v[i].bytes[999], (char)('A' + i));
  }
  arena_free(a);
}

static int all_zero(const unsigned char *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (p[i]) return 0;
  return 1;
}

static int deferred_runs;
static void count_run(void *arg) { deferred_runs += *(int *)arg; }

/* Memory comes zeroed, also after a formatted string that did not fit in
 * the current block (it was first written into the block's free end);
 * deferred functions run once, at arena_free; arena_bytes counts blocks. */
static void test_zeroed_and_deferred(void **state) {
  (void)state;
  arena *a = arena_new();
  size_t before = arena_bytes(a);
  assert_true(before >= 16384);
  for (int round = 0; round < 50; round++) {
    /* nearly fill the block, then a string longer than what is left */
    unsigned char *p = arena_alloc(a, 16384 - 64 - (size_t)round * 16);
    assert_true(all_zero(p, 64));
    char *s = arena_printf(a, "%0*d", 5000 + round, 7); /* its own block: the head stays */
    assert_int_equal(strlen(s), 5000 + round);
    unsigned char *q = arena_alloc(a, 48);
    assert_true(all_zero(q, 48));
  }
  assert_true(arena_bytes(a) > before);
  int one = 1;
  deferred_runs = 0;
  arena_defer(a, count_run, &one);
  arena_defer(a, count_run, &one);
  assert_int_equal(deferred_runs, 0);
  arena_free(a);
  assert_int_equal(deferred_runs, 2);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_grow_keeps_contents),
      cmocka_unit_test(test_grow_only_when_full),
      cmocka_unit_test(test_grow_large_elements),
      cmocka_unit_test(test_zeroed_and_deferred),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
