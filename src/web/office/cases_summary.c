/* Regional and central summary of the cases: every office over the Enti
 * the user may see (a regional supervisor sees their region only),
 * optionally one Ente; period filter; CSV export. */
#include <string.h>

#include "web/office/cases_ui.h"

err_code page_cases_summary(request *rq, response *rs) {
  ente *list;
  size_t n;
  err_code e = rq_user_entes(rq, &list, &n);
  if (e != ERR_OK) return e;
  const char *sel = rq_query(rq, "ente");
  int64_t *ids = ARENA_ARRAY(rq->a, int64_t, n ? n : 1);
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (!sel || !*sel || strcmp(sel, list[i].slug) == 0 || strcmp(sel, list[i].fiscal_code) == 0)
      ids[k++] = list[i].id;
  if (sel && *sel && k == 0) return ERR_NOT_FOUND;
  const char *fmt = rq_query(rq, "formato");
  case_report_filter f = {.ente_ids = ids, .n_entes = k, .from = cu_query_date(rq, "dal"),
                          .to = cu_query_date(rq, "al")};
  const char *title = "Riepilogo centrale delle pratiche";
  if (rq->user->role == ROLE_SUPERVISOR_REGIONAL) {
    f.region_id = rq->user->region_id;
    title = "Riepilogo regionale delle pratiche";
  }
  return cases_report_render(rq, rs, title, &f, fmt && strcmp(fmt, "csv") == 0,
                             url_cases_summary(rq->a, NULL, NULL), sel ? sel : "");
}
