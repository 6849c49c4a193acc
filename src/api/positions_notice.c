/* GET /api/v1/positions/{id}/notice[?option=ID]: the payment notice PDF of
 * a position, as the office page draws it: without option (or with the
 * single payment's id) the whole notice with the open installments; with an
 * installment's id that installment alone; the bollettino postale when the
 * revenue's account has a postal account and its Poste authorisation.
 * Renderers are made once per server thread and kept. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "render/pdf/notice_act.h"


err_code api_position_notice(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 0), option_id = 0;
  if (!id) return ERR_NOT_FOUND;
  const char *opt = rq_query(rq, "option");
  if (opt) {
    size_t n = strlen(opt);
    int ok = n >= 1 && n <= 18;
    for (size_t i = 0; ok && i < n; i++) ok = isdigit((unsigned char)opt[i]);
    option_id = ok ? strtoll(opt, NULL, 10) : 0;
    if (option_id <= 0) {
      problem pb = {ERR_INVALID, "option",
                    "L'opzione è l'id numerico di un'opzione di pagamento della posizione."};
      return api_problems(rs, ERR_INVALID, &pb, 1);
    }
  }
  debt_act x;
  err_code e = debt_act_get(rq->db, rq->a, rq->ente->id, id, &x);
  if (e != ERR_OK) return e;
  notice_renderer *r;
  if ((e = notice_renderer_thread(&r)) != ERR_OK) return e;
  const char *nav = NULL;
  if ((e = notice_act_pdf(rq->db, rq->a, r, rq->ente, &x, option_id, &rs->body, &nav)) != ERR_OK)
    return e;
  rs->content_type = "application/pdf";
  rs_header(rs, "Content-Disposition", arena_printf(rq->a, "inline; filename=\"avviso-%s.pdf\"", nav));
  return ERR_OK;
}
