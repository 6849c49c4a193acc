/* The payment notice PDF of one payment option of an act (the single
 * payment: the whole notice with the installments; an installment: that
 * installment alone), drawn on request. Renderers are made once per server
 * thread (they are not thread-safe) and kept. An option of another act,
 * a paid or replaced one is a 404. */
#include <stdio.h>

#include "render/pdf/notice_act.h"
#include "web/office/acts_ui.h"

err_code page_act_notice(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 1), option_id = rq_param_id(rq, 2);
  if (!id || !option_id) return ERR_NOT_FOUND;
  debt_act x;
  err_code e = debt_act_get(rq->db, rq->a, rq->ente->id, id, &x);
  if (e != ERR_OK) return e;
  notice_renderer *r;
  if ((e = notice_renderer_thread(&r)) != ERR_OK) return e;
  const char *nav = NULL;
  e = notice_act_pdf(rq->db, rq->a, r, rq->ente, &x, option_id, &rs->body, &nav);
  if (e == ERR_NOTICE_PAID) return ERR_NOT_FOUND;
  if (e != ERR_OK) return e;
  rs->content_type = "application/pdf";
  rs_header(rs, "Content-Disposition", arena_printf(rq->a, "inline; filename=\"avviso-%s.pdf\"", nav));
  return ERR_OK;
}
