/* The one source of "now" for the whole program, so tests can pin time. */
#ifndef SP_CLOCK_H
#define SP_CLOCK_H
#include <stdint.h>

/* Unix seconds UTC. When the environment variable SPORTELLO_TEST_NOW holds
 * a decimal Unix time it is returned instead (read at every call, so a test
 * can move time with setenv). A malformed value is ignored. */
int64_t clock_now(void);

#endif
