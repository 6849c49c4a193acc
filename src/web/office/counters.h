/* The counters page and its forms (counters.c, counters_post.c). */
#ifndef SP_WEB_OFFICE_COUNTERS_H
#define SP_WEB_OFFICE_COUNTERS_H
#include "domain/agenda/agenda.h"
#include "web/web.h"

/* The page, with the problems of a refused form listed at the top. */
err_code office_counters_render(request *rq, response *rs, const problem *errs, size_t n,
                                int status);
/* The managers' forms: counter, hours, closure, agenda. */
void office_counters_forms(request *rq, html *h, const ag_counter *cs, size_t nc);

#endif
