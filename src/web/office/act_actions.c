/* The operations of the act page (POST, CSRF checked by the dispatcher):
 * payment from another channel, relief, installment plan, cancellation,
 * refund, compensation. Each field is checked here first (every problem at
 * once, Italian message next to the field), then the domain does the
 * operation in one transaction; a refusal shows the act page again with
 * the problem in its form (422 bad input, 409 when the act's state or a
 * duplicate reference does not allow it) and nothing written. */
#include <stdlib.h>
#include <string.h>

#include "web/office/acts_ui.h"

enum { MAX_PB = 8 };

typedef struct {
  problem items[MAX_PB];
  size_t n;
} pbs;

static void bad(pbs *p, arena *a, const char *form, const char *field, const char *msg) {
  if (p->n < MAX_PB) p->items[p->n++] = (problem){ERR_INVALID, arena_printf(a, "%s_%s", form, field), msg};
}

static err_code refused(request *rq, response *rs, int64_t id, const char *form, const pbs *p, int status) {
  return act_page_render(rq, rs, id, form, p->items, p->n, status);
}

/* A domain refusal as a problem on field (of the form's prefix). */
static err_code domain_refusal(request *rq, response *rs, int64_t id, const char *form, const char *prefix,
                               const char *field, err_code e) {
  pbs p = {.n = 0};
  int status = 422;
  const char *msg;
  switch (e) {
    case ERR_ACT_STATE:
      msg =
          "Lo stato della posizione non consente questa operazione (o l'importo supera quanto disponibile).";
      status = 409;
      break;
    case ERR_CONFLICT:
      msg = "Questo riferimento è già stato registrato per un altro pagamento.";
      status = 409;
      break;
    case ERR_INSTALLMENTS:
    case ERR_INVALID:
      msg = err_message_it(e);
      break;
    default:
      return e;
  }
  bad(&p, rq->a, prefix, field, msg);
  return refused(rq, rs, id, form, &p, status);
}

static int64_t form_id(request *rq, const char *name) {
  const char *v = au_form(rq, name);
  if (!v || strlen(v) > 18) return -1;
  char *end;
  long long x = strtoll(v, &end, 10);
  return *end || x < 0 ? -1 : x;
}

static int length_ok(request *rq, const char *name, size_t max) {
  const char *v = rq_form(rq, name);
  return !v || strlen(v) <= max;
}

static err_code done(request *rq, response *rs, int64_t id, const char *what) {
  return rs_redirect(rs, url_act(rq->a, rq->ente->slug, id, what));
}

static err_code pay(request *rq, response *rs, int64_t id) {
  arena *a = rq->a;
  const char *f = "pagamento", *px = "pag";
  pbs p = {.n = 0};
  const char *channel = au_form(rq, "pag_canale");
  if (!channel || !(strcmp(channel, "f24") == 0 || strcmp(channel, "counter") == 0 ||
                    strcmp(channel, "bank_transfer") == 0))
    bad(&p, a, px, "canale", "Scegliere il canale: bonifico, F24 o sportello.");
  int64_t option = form_id(rq, "pag_opzione");
  if (option < 0 && au_form(rq, "pag_opzione")) bad(&p, a, px, "opzione", "Scelta non valida.");
  int64_t cents = au_form_euros(rq, "pag_importo");
  if (cents <= 0) bad(&p, a, px, "importo", "Indicare un importo maggiore di zero, per esempio 120,50.");
  const char *date = au_form_date(rq, "pag_data");
  if (date && !*date) bad(&p, a, px, "data", "Indicare una data valida (AAAA-MM-GG).");
  const char *ref = au_form(rq, "pag_riferimento");
  if (!ref)
    bad(&p, a, px, "riferimento", "Indicare il riferimento del pagamento (CRO, protocollo F24, ricevuta).");
  else if (strlen(ref) > 64)
    bad(&p, a, px, "riferimento", "Al massimo 64 caratteri.");
  if (!length_ok(rq, "pag_evidenza", 1000)) bad(&p, a, px, "evidenza", "Al massimo 1000 caratteri.");
  if (p.n) return refused(rq, rs, id, f, &p, 422);
  debt_act x;
  err_code e = debt_act_get(rq->db, a, rq->ente->id, id, &x);
  if (e != ERR_OK) return e;
  if (option > 0) { /* the option must be one of this act's */
    int found = 0;
    for (size_t i = 0; i < x.n_options; i++) found |= x.options[i].id == option;
    if (!found) return ERR_NOT_FOUND;
  }
  debt_payment dp = {.act_id = option > 0 ? 0 : id,
                     .option_id = option > 0 ? option : 0,
                     .amount_cents = cents,
                     .channel = channel,
                     .reference = ref,
                     .value_date = date,
                     .evidence = au_form(rq, "pag_evidenza")};
  debt_booking b;
  e = debt_book_payment(rq->db, a, rq->ente->id, &dp, &rq->who, &b);
  if (e == ERR_OK && b.duplicate) e = ERR_CONFLICT;
  if (e != ERR_OK) return domain_refusal(rq, rs, id, f, px, e == ERR_CONFLICT ? "riferimento" : "importo", e);
  return done(rq, rs, id, f);
}

static err_code relieve(request *rq, response *rs, int64_t id) {
  const char *f = "sgravio";
  pbs p = {.n = 0};
  int64_t cents = 0;
  if (au_form(rq, "sgravio_importo") && (cents = au_form_euros(rq, "sgravio_importo")) <= 0)
    bad(&p, rq->a, f, "importo",
        "Indicare un importo maggiore di zero, o lasciare vuoto per lo sgravio totale.");
  const char *reason = au_form(rq, "sgravio_motivo");
  if (!reason)
    bad(&p, rq->a, f, "motivo", "Indicare il motivo dello sgravio.");
  else if (strlen(reason) > 500)
    bad(&p, rq->a, f, "motivo", "Al massimo 500 caratteri.");
  if (p.n) return refused(rq, rs, id, f, &p, 422);
  err_code e = debt_act_relieve(rq->db, rq->a, rq->ente->id, id, cents, reason, &rq->who);
  if (e == ERR_INVALID) {
    bad(&p, rq->a, f, "importo", "L'importo supera quanto resta dovuto.");
    return refused(rq, rs, id, f, &p, 422);
  }
  if (e != ERR_OK) return domain_refusal(rq, rs, id, f, f, "importo", e);
  return done(rq, rs, id, f);
}

static err_code plan(request *rq, response *rs, int64_t id) {
  const char *f = "rateizza", *px = "rate";
  pbs p = {.n = 0};
  int64_t n = 0;
  if (au_form(rq, "rate_numero") && ((n = form_id(rq, "rate_numero")) < 2 || n > 120))
    bad(&p, rq->a, px, "numero", "Indicare un numero di rate da 2 a 120, o lasciare vuoto.");
  const char *first = au_form_date(rq, "rate_prima_scadenza");
  if (!first || !*first)
    bad(&p, rq->a, px, "prima_scadenza", "Indicare la scadenza della prima rata (AAAA-MM-GG).");
  if (p.n) return refused(rq, rs, id, f, &p, 422);
  debt_problems dp = {0};
  err_code e = debt_act_plan(rq->db, rq->a, rq->ente->id, id, (int)n, first, &rq->who, &dp);
  if ((e == ERR_INSTALLMENTS || e == ERR_INVALID) && dp.n) {
    const char *field =
        dp.items[0].field && !strcmp(dp.items[0].field, "first_due") ? "prima_scadenza" : "numero";
    bad(&p, rq->a, px, field, dp.items[0].message);
    return refused(rq, rs, id, f, &p, 422);
  }
  if (e != ERR_OK) return domain_refusal(rq, rs, id, f, px, "numero", e);
  return done(rq, rs, id, f);
}

static err_code cancel(request *rq, response *rs, int64_t id) {
  const char *f = "annulla";
  pbs p = {.n = 0};
  const char *reason = au_form(rq, "annulla_motivo");
  if (!reason)
    bad(&p, rq->a, f, "motivo", "Indicare il motivo dell'annullamento.");
  else if (strlen(reason) > 500)
    bad(&p, rq->a, f, "motivo", "Al massimo 500 caratteri.");
  if (p.n) return refused(rq, rs, id, f, &p, 422);
  err_code e = debt_act_cancel(rq->db, rq->a, rq->ente->id, id, reason, &rq->who);
  if (e != ERR_OK) return domain_refusal(rq, rs, id, f, f, "motivo", e);
  return done(rq, rs, id, f);
}

static err_code refund(request *rq, response *rs, int64_t id) {
  const char *f = "rimborso";
  pbs p = {.n = 0};
  int64_t cents = au_form_euros(rq, "rimborso_importo");
  if (cents <= 0) bad(&p, rq->a, f, "importo", "Indicare un importo maggiore di zero, per esempio 25,00.");
  const char *ref = au_form(rq, "rimborso_riferimento");
  if (ref && strlen(ref) > 64) bad(&p, rq->a, f, "riferimento", "Al massimo 64 caratteri.");
  if (!length_ok(rq, "rimborso_nota", 500)) bad(&p, rq->a, f, "nota", "Al massimo 500 caratteri.");
  if (p.n) return refused(rq, rs, id, f, &p, 422);
  err_code e =
      debt_record_refund(rq->db, rq->a, rq->ente->id, id, cents, ref, au_form(rq, "rimborso_nota"), &rq->who);
  if (e == ERR_INVALID) {
    bad(&p, rq->a, f, "importo", "L'importo supera il credito da rimborsare.");
    return refused(rq, rs, id, f, &p, 422);
  }
  if (e != ERR_OK) return domain_refusal(rq, rs, id, f, f, "importo", e);
  return done(rq, rs, id, f);
}

static err_code compensate(request *rq, response *rs, int64_t id) {
  const char *f = "compensazione", *px = "comp";
  pbs p = {.n = 0};
  int64_t other = form_id(rq, "comp_altro");
  if (other <= 0) bad(&p, rq->a, px, "altro", "Scegliere la posizione da compensare.");
  int64_t cents = au_form_euros(rq, "comp_importo");
  if (cents <= 0) bad(&p, rq->a, px, "importo", "Indicare un importo maggiore di zero.");
  if (!length_ok(rq, "comp_nota", 500)) bad(&p, rq->a, px, "nota", "Al massimo 500 caratteri.");
  if (p.n) return refused(rq, rs, id, f, &p, 422);
  debt_act x;
  err_code e = debt_act_get(rq->db, rq->a, rq->ente->id, id, &x);
  if (e != ERR_OK) return e;
  int credit = x.residual_cents < 0;
  e = debt_compensate(rq->db, rq->a, rq->ente->id, credit ? id : other, credit ? other : id, cents,
                      au_form(rq, "comp_nota"), &rq->who);
  if (e == ERR_NOT_FOUND || e == ERR_INVALID) {
    bad(&p, rq->a, px, e == ERR_NOT_FOUND ? "altro" : "importo",
        e == ERR_NOT_FOUND ? "Posizione non trovata." : "Importo non valido.");
    return refused(rq, rs, id, f, &p, 422);
  }
  if (e != ERR_OK) return domain_refusal(rq, rs, id, f, px, "importo", e);
  return done(rq, rs, id, f);
}

err_code page_act_post(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 1);
  const char *action = rq->params[2];
  if (!id) return ERR_NOT_FOUND;
  debt_act x;
  err_code e = debt_act_get(rq->db, rq->a, rq->ente->id, id, &x); /* another Ente's: 404 */
  if (e != ERR_OK) return e;
  if (!strcmp(action, "pagamento")) return pay(rq, rs, id);
  if (!strcmp(action, "sgravio")) return relieve(rq, rs, id);
  if (!strcmp(action, "rateizza")) return plan(rq, rs, id);
  if (!strcmp(action, "annulla")) return cancel(rq, rs, id);
  if (!strcmp(action, "rimborso")) return refund(rq, rs, id);
  if (!strcmp(action, "compensazione")) return compensate(rq, rs, id);
  return ERR_NOT_FOUND;
}
