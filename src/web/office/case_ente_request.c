/* Ente staff send a request to the concessionaire from their office pages:
 * a case of channel "ente" with the user as requester (Ente office), a
 * protocol number, an office and a deadline like a mail; the
 * acknowledgement and the outcome go to the user's e-mail. */
#include <string.h>

#include "web/office/cases_ui.h"

err_code page_case_ente_request(request *rq, response *rs) {
  case_form_values v = {0};
  v.email = rq->user->email;
  case_form_render(rq, rs, 1, &v, NULL, 0);
  return ERR_OK;
}

err_code page_case_ente_request_post(request *rq, response *rs) {
  case_form_values v = {.category = cu_form(rq, "category"), .subject = cu_form(rq, "subject"),
                        .description = cu_form(rq, "description"),
                        .fiscal_code = cu_form(rq, "requester_fiscal_code"),
                        .email = cu_form(rq, "requester_email"),
                        .phone = cu_form(rq, "requester_phone")};
  case_input in = {.ente_id = rq->ente->id, .channel = "ente", .category_code = v.category,
                   .subject = v.subject, .description = v.description,
                   .requester_kind = "ente_office",
                   .requester_name = arena_printf(rq->a, "%s (%s)", rq->user->full_name, rq->ente->name),
                   .requester_email = v.email ? v.email : rq->user->email,
                   .requester_phone = v.phone, .act_taxpayer_cf = v.fiscal_code,
                   .requester_user_id = rq->user->id, .ack = 1};
  if (!in.category_code) in.category_code = "";
  case_rec c;
  problem pb = {0};
  err_code e = cases_open(rq->db, rq->a, &rq->who, &in, &c, &pb);
  if (e == ERR_INVALID) {
    case_form_render(rq, rs, 1, &v, &pb, 422);
    return ERR_OK;
  }
  if (e != ERR_OK) return e;
  return rs_redirect(rs, arena_printf(rq->a, "%s?salvato=aperta", url_case(rq->a, rq->ente->slug, c.id)));
}
