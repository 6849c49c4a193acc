/* Money is int64 cents everywhere; no floating point ever touches it.
 * Rounding is half away from zero ("half-up" on magnitudes, as Italian tax
 * rules and the shared worked examples do), in money_div_round only. */
#ifndef SP_MONEY_H
#define SP_MONEY_H
#include <stdint.h>

/* Parses an amount typed by people into cents. Accepted, with an optional
 * leading '-' and surrounding blanks: "1234", "1234,5", "1.234,56",
 * "1234.56", "1.234" (= 1234,00: a dot followed by groups of exactly three
 * digits is a thousands separator), "1.234.567,8". At most 2 decimals, at
 * least one integer digit. Garbage or |value| > INT64_MAX cents -> -1. */
int money_parse(const char *s, int64_t *cents);
/* Italian format with thousands dots and two decimals: "1.234,56",
 * "-0,05", "0,00". Any int64 fits in out. */
void money_format_it(int64_t cents, char out[32]);
/* num/den rounded half away from zero. den must not be 0 (aborts). The one
 * rounding function: everything that divides money goes through it. */
int64_t money_div_round(int64_t num, int64_t den);
/* cents * num / den with a 128-bit intermediate, rounded like
 * money_div_round; a result beyond int64 saturates to INT64_MAX/INT64_MIN. */
int64_t money_mul_ratio(int64_t cents, int64_t num, int64_t den);
/* num/den on 128-bit operands (an exact product of several factors),
 * rounded like money_div_round; saturates like money_mul_ratio. */
int64_t money_div_round_wide(__int128 num, __int128 den);

#endif
