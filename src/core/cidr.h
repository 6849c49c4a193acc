/* Address lists written as CIDR blocks ("10.0.0.0/8, 2001:db8::/32,
 * 192.0.2.7"): the [pagopa] allowed_ips setting. Pure functions. */
#ifndef SP_CIDR_H
#define SP_CIDR_H
#include <stddef.h>

/* NULL when list is a valid comma-separated list of IPv4/IPv6 addresses
 * with an optional /prefix (blanks around items allowed; empty list
 * allowed), else an Italian reason. */
const char *cidr_list_check(const char *list);
/* 1 when ip (textual IPv4 or IPv6; an IPv4-mapped IPv6 address counts as
 * its IPv4) lies in one of the blocks of list, 0 otherwise (also for an
 * invalid ip or list). */
int cidr_list_match(const char *list, const char *ip);

#endif
