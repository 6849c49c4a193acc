/* One debt position (act) of the Ente: its data and amounts, the lines,
 * the payment options with their notice codes and the notice PDF of each
 * payable one, the ledger movements, the pagoPA receipts, the history of
 * events, and the operations staff may record (payment from another
 * channel, relief, installment plan, cancellation, refund, compensation).
 * Another Ente's act is a 404, like a missing one. */
#include <stdio.h>
#include <string.h>

#include "domain/pagopa/receipt.h"
#include "web/office/acts_ui.h"

static const saved_notice notices[] = {
    {"pagamento", "Pagamento registrato."},
    {"sgravio", "Sgravio registrato."},
    {"rateizza", "Piano di rateizzazione creato: i nuovi avvisi sono nell'elenco."},
    {"annulla", "Posizione annullata."},
    {"rimborso", "Rimborso registrato."},
    {"compensazione", "Compensazione registrata."}};

typedef struct {
  const char *form; /* the form with problems, or NULL */
  const problem *pbs;
  size_t n;
} form_state;

static void section(html *h, const char *id, const char *title) {
  html_elem(h, "h2", title, HA("class", "h4 mt-5"), HA("id", id));
}

static int current_generation(const debt_act *x) {
  int g = 0;
  for (size_t i = 0; i < x->n_options; i++)
    if (x->options[i].generation > g) g = x->options[i].generation;
  return g;
}

static int payable(const debt_option *o) {
  return !strcmp(o->state, "open") || !strcmp(o->state, "partly_paid");
}

static const char *option_label(arena *a, const debt_option *o) {
  return o->installment ? arena_printf(a, "Rata %d", o->installment) : "Soluzione unica";
}

static void data(request *rq, html *h, const debt_act *x) {
  arena *a = rq->a;
  dl_begin(h);
  dl_row(h, "Tipo di atto", debt_act_type_label(x->act_type), NULL);
  dl_row(h, "Numero", arena_printf(a, "%s del %d", x->number, x->year), NULL);
  dl_row(h, "Oggetto", x->description, NULL);
  dl_row(h, "Entrata", x->revenue_code, NULL);
  dl_row_begin(h, "Contribuente");
  html_elem(h, "a", x->taxpayer_name && *x->taxpayer_name ? x->taxpayer_name : x->taxpayer_cf,
            HA("href", url_taxpayer(a, rq->ente->slug, x->taxpayer_id)));
  html_textf(h, " (%s)", x->taxpayer_cf);
  dl_row_end(h);
  dl_row(h, "Data di emissione", au_date(a, x->issue_date), NULL);
  dl_row(h, "Data di notifica", au_date(a, x->notification_date), NULL);
  dl_row(h, "Scadenza", au_date(a, x->due_date), NULL);
  dl_row(h, "Stato", debt_state_label(x->state), NULL);
  dl_row(h, "Importo addebitato", au_euros(a, x->charged_cents), NULL);
  dl_row(h, "Pagato", au_euros(a, x->paid_cents), NULL);
  dl_row(h, "Sgravato o annullato", au_euros(a, x->relieved_cents), NULL);
  if (x->residual_cents >= 0)
    dl_row(h, "Residuo da pagare", au_euros(a, x->residual_cents), NULL);
  else
    dl_row(h, "Credito da rimborsare", au_euros(a, -x->residual_cents), NULL);
  dl_end(h);
}

static void lines(request *rq, html *h, const debt_act *x) {
  section(h, "voci", "Voci dell'atto");
  static const char *const cols[] = {"Voce", "Descrizione", "Importo"};
  table_begin(h, "Voci dell'atto", 0, cols, 3);
  for (size_t i = 0; i < x->n_lines; i++) {
    table_row_begin(h);
    table_cell(h, code_label(&LABELS_LINE_KIND, x->lines[i].kind));
    table_cell(h, x->lines[i].description);
    table_cell(h, au_euros(rq->a, x->lines[i].amount_cents));
    table_row_end(h);
  }
  table_end(h);
}

static void options_table(request *rq, html *h, const debt_act *x, int current, const char *caption) {
  static const char *const cols[] = {"Modalità", "Codice avviso", "IUV",   "Importo",
                                     "Pagato",   "Scadenza",      "Stato", "Avviso"};
  int gen = current_generation(x);
  size_t shown = 0;
  for (size_t i = 0; i < x->n_options; i++)
    if ((x->options[i].generation == gen) == current) shown++;
  if (!shown) return;
  if (!current) html_elem(h, "h3", caption, HA("class", "h5 mt-4"));
  table_begin(h, caption, 0, cols, 8);
  for (size_t i = 0; i < x->n_options; i++) {
    const debt_option *o = &x->options[i];
    if ((o->generation == gen) != current) continue;
    table_row_begin(h);
    table_cell(h, option_label(rq->a, o));
    table_cell(h, au_nav(rq->a, o->nav));
    table_cell(h, o->iuv);
    table_cell(h, au_euros(rq->a, o->amount_cents));
    table_cell(h, au_euros(rq->a, o->paid_cents));
    table_cell(h, au_date(rq->a, o->due_date));
    table_cell(h, code_label(&LABELS_OPTION_STATE, o->state));
    if (current && payable(o))
      table_cell_link(h, arena_printf(rq->a, "Scarica l'avviso (%s)", option_label(rq->a, o)),
                      url_act_notice(rq->a, rq->ente->slug, x->id, o->id), 0);
    else
      table_cell(h, "");
    table_row_end(h);
  }
  table_end(h);
}

/* What the page reads besides the act, all read before anything is drawn so
 * that a storage error gives the error page, not an empty table. */
typedef struct {
  debt_movement *mv;
  size_t n_mv;
  pagopa_receipt *rc;
  size_t n_rc;
  debt_event *ev;
  size_t n_ev;
  debt_act *same_taxpayer; /* for the compensation form (operators only) */
  size_t n_same;
} act_reads;

static err_code read_all(request *rq, const debt_act *x, act_reads *r) {
  memset(r, 0, sizeof *r);
  err_code e;
  if ((e = debt_act_movements(rq->db, rq->a, rq->ente->id, x->id, &r->mv, &r->n_mv)) != ERR_OK) return e;
  if ((e = pagopa_receipts_of_act(rq->db, rq->a, rq->ente->id, x->id, &r->rc, &r->n_rc)) != ERR_OK) return e;
  if ((e = debt_act_events(rq->db, rq->a, rq->ente->id, x->id, &r->ev, &r->n_ev)) != ERR_OK) return e;
  if (!WEB_USER_HAS_ROLE(rq, ROLES_DEBT_WORK)) return ERR_OK;
  debt_query q = {.fiscal_code = x->taxpayer_cf, .limit = 200};
  return debt_find(rq->db, rq->a, rq->ente->id, &q, &r->same_taxpayer, &r->n_same);
}

static void movements(request *rq, html *h, const act_reads *rd) {
  section(h, "movimenti", "Movimenti contabili");
  const debt_movement *mv = rd->mv;
  size_t n = rd->n_mv;
  if (!n) {
    html_elem(h, "p", "Nessun movimento.");
    return;
  }
  static const char *const cols[] = {"Registrato il", "Tipo",        "Importo", "Canale",
                                     "Riferimento",   "Data valuta", "Nota"};
  table_begin(h, "Movimenti contabili, dal più vecchio", 0, cols, 7);
  for (size_t i = 0; i < n; i++) {
    const debt_movement *m = &mv[i];
    table_row_begin(h);
    table_cell(h, au_time(rq->a, m->at));
    table_cell(h, code_label(&LABELS_MOVEMENT_KIND, m->kind));
    table_cell(h, au_euros(rq->a, m->amount_cents));
    table_cell(h, m->channel ? code_label(&LABELS_PAY_CHANNEL, m->channel) : "");
    table_cell(h, m->reference);
    table_cell(h, au_date(rq->a, m->value_date));
    table_cell(h, m->note);
    table_row_end(h);
  }
  table_end(h);
}

static void receipts(request *rq, html *h, const act_reads *rd) {
  section(h, "ricevute", "Ricevute pagoPA");
  const pagopa_receipt *r = rd->rc;
  size_t n = rd->n_rc;
  if (!n) {
    html_elem(h, "p", "Nessuna ricevuta pagoPA.");
    return;
  }
  static const char *const cols[] = {"Ricevuta", "Codice avviso", "Pagamento",   "Prestatore",
                                     "Importo",  "Stato",         "Riconciliata"};
  table_begin(h, "Ricevute pagoPA dell'atto", 0, cols, 7);
  for (size_t i = 0; i < n; i++) {
    table_row_begin(h);
    table_cell(h, r[i].receipt_id);
    table_cell(h, au_nav(rq->a, r[i].notice_number));
    table_cell(h, r[i].payment_date_time);
    table_cell(h, r[i].psp_name ? r[i].psp_name : r[i].psp_id);
    table_cell(h, au_euros(rq->a, r[i].amount_cents));
    table_cell(h, code_label(&LABELS_RECEIPT_STATE, r[i].state));
    table_cell(h, r[i].reconciled_at ? "Sì" : "No");
    table_row_end(h);
  }
  table_end(h);
}

static void history(request *rq, html *h, const debt_act *x, const act_reads *rd) {
  section(h, "storico", "Storico dello stato");
  const debt_event *ev = rd->ev;
  size_t n = rd->n_ev;
  static const char *const cols[] = {"Data", "Evento", "Nota", "Registrato il"};
  table_begin(h, "Eventi della posizione", 0, cols, 4);
  table_row_begin(h);
  table_cell(h, au_date(rq->a, x->issue_date));
  table_cell(h, "Emesso");
  table_cell(h, "");
  table_cell(h, au_time(rq->a, x->created_at));
  table_row_end(h);
  for (size_t i = 0; i < n; i++) {
    table_row_begin(h);
    table_cell(h, au_date(rq->a, ev[i].event_date));
    table_cell(h, code_label(&LABELS_DEBT_EVENT, ev[i].kind));
    table_cell(h, ev[i].note);
    table_cell(h, au_time(rq->a, ev[i].at));
    table_row_end(h);
  }
  table_end(h);
  html_open(h, "p", HA("class", "text-secondary"));
  html_textf(h, "Stato attuale: %s.", debt_state_label(x->state));
  html_close(h, "p");
}

/* Opens the form named name, with its problems when it is the one refused. */
static void open_form(request *rq, html *h, const form_state *fs, const char *name, const char *action) {
  if (fs->form && !strcmp(fs->form, name))
    form_begin_errors(h, action, rq->csrf, fs->pbs, fs->n);
  else
    form_begin(h, action, rq->csrf);
}

/* What the user typed in field of form, when that form is the refused one
 * (so a correction does not start from scratch). */
static const char *keep(request *rq, const form_state *fs, const char *form, const char *field) {
  return fs->form && !strcmp(fs->form, form) ? rq_form(rq, field) : NULL;
}

static void box(html *h, const char *title) {
  html_open(h, "div", HA("class", "col-lg-6"));
  html_elem(h, "h3", title, HA("class", "h5"));
}

static const form_option CHANNELS[] = {
    {"bank_transfer", "Bonifico bancario"}, {"f24", "F24"}, {"counter", "Sportello"}};

static void form_payment(request *rq, html *h, const debt_act *x, const form_state *fs) {
  arena *a = rq->a;
  int gen = current_generation(x);
  form_option *o = ARENA_ARRAY(a, form_option, x->n_options + 1);
  size_t k = 0;
  o[k++] = (form_option){"0", "Sulla posizione (il residuo)"};
  for (size_t i = 0; i < x->n_options; i++) {
    const debt_option *op = &x->options[i];
    if (op->generation == gen && payable(op))
      o[k++] = (form_option){arena_printf(a, "%lld", (long long)op->id),
                             arena_printf(a, "%s, %s", option_label(a, op), au_nav(a, op->nav))};
  }
  box(h, "Pagamento da altro canale");
  open_form(rq, h, fs, "pagamento", url_act_action(a, rq->ente->slug, x->id, "pagamento"));
  form_select(h,
              &(form_field){.name = "pag_canale",
                            .label = "Canale",
                            .required = 1,
                            .value = keep(rq, fs, "pagamento", "pag_canale")},
              CHANNELS, 3);
  form_select(h, &(form_field){.name = "pag_opzione", .label = "Pagamento di"}, o, k);
  form_input(h, &(form_field){.name = "pag_importo",
                              .label = "Importo in euro",
                              .required = 1,
                              .maxlength = 20,
                              .value = keep(rq, fs, "pagamento", "pag_importo"),
                              .hint = "Per esempio 120,50."});
  form_input(h, &(form_field){.name = "pag_data",
                              .label = "Data valuta",
                              .type = "date",
                              .value = keep(rq, fs, "pagamento", "pag_data"),
                              .hint = "Vuota: oggi."});
  form_input(h, &(form_field){
                    .name = "pag_riferimento",
                    .label = "Riferimento (CRO, protocollo F24, ricevuta)",
                    .value = keep(rq, fs, "pagamento", "pag_riferimento"),
                    .required = 1,
                    .maxlength = 64,
                    .hint = "Un pagamento con lo stesso canale e riferimento si registra una volta sola."});
  form_input(
      h, &(form_field){.name = "pag_evidenza", .label = "Estremi del documento di prova", .maxlength = 1000});
  form_submit(h, "Registra il pagamento");
  form_end(h);
  html_close(h, "div");
}

static void form_relief(request *rq, html *h, const debt_act *x, const form_state *fs) {
  box(h, "Sgravio");
  open_form(rq, h, fs, "sgravio", url_act_action(rq->a, rq->ente->slug, x->id, "sgravio"));
  form_input(h, &(form_field){.name = "sgravio_importo",
                              .label = "Importo in euro",
                              .maxlength = 20,
                              .value = keep(rq, fs, "sgravio", "sgravio_importo"),
                              .hint = "Vuoto: sgravio totale di quanto resta dovuto. Gli avvisi aperti "
                                      "vengono riemessi per il nuovo importo."});
  form_input(h, &(form_field){.name = "sgravio_motivo",
                              .label = "Motivo",
                              .required = 1,
                              .maxlength = 500,
                              .value = keep(rq, fs, "sgravio", "sgravio_motivo")});
  form_submit(h, "Registra lo sgravio");
  form_end(h);
  html_close(h, "div");
}

static void form_plan(request *rq, html *h, const debt_act *x, const form_state *fs) {
  box(h, "Rateizzazione");
  open_form(rq, h, fs, "rateizza", url_act_action(rq->a, rq->ente->slug, x->id, "rateizza"));
  form_input(h, &(form_field){.name = "rate_numero",
                              .label = "Numero di rate",
                              .maxlength = 3,
                              .value = keep(rq, fs, "rateizza", "rate_numero"),
                              .hint = "Vuoto: il massimo ammesso per l'importo dagli scaglioni dell'Ente."});
  form_input(h, &(form_field){.name = "rate_prima_scadenza",
                              .label = "Scadenza della prima rata",
                              .type = "date",
                              .required = 1,
                              .hint = "Le altre scadono ogni mese."});
  form_submit(h, "Crea il piano di rate");
  form_end(h);
  html_close(h, "div");
}

static void form_cancel(request *rq, html *h, const debt_act *x, const form_state *fs) {
  box(h, "Annullamento");
  open_form(rq, h, fs, "annulla", url_act_action(rq->a, rq->ente->slug, x->id, "annulla"));
  form_input(
      h, &(form_field){
             .name = "annulla_motivo", .label = "Motivo dell'annullamento", .required = 1, .maxlength = 500});
  form_submit(h, "Annulla la posizione");
  form_end(h);
  html_close(h, "div");
}

static void form_refund(request *rq, html *h, const debt_act *x, const form_state *fs) {
  char v[32];
  snprintf(v, sizeof v, "%lld,%02lld", (long long)(-x->residual_cents / 100),
           (long long)(-x->residual_cents % 100));
  box(h, "Rimborso");
  open_form(rq, h, fs, "rimborso", url_act_action(rq->a, rq->ente->slug, x->id, "rimborso"));
  form_input(h, &(form_field){.name = "rimborso_importo",
                              .label = "Importo in euro",
                              .required = 1,
                              .value = v,
                              .maxlength = 20,
                              .hint = arena_printf(rq->a, "Al massimo il credito: %s.",
                                                   au_euros(rq->a, -x->residual_cents))});
  form_input(h,
             &(form_field){
                 .name = "rimborso_riferimento", .label = "Riferimento del rimborso (CRO)", .maxlength = 64});
  form_input(h, &(form_field){.name = "rimborso_nota", .label = "Nota", .maxlength = 500});
  form_submit(h, "Registra il rimborso");
  form_end(h);
  html_close(h, "div");
}

/* Compensation with another act of the same taxpayer: this act's credit
 * pays one of their debts, or their credit pays this act. */
static void form_compensate(request *rq, html *h, const debt_act *x, const form_state *fs,
                            const act_reads *rd) {
  arena *a = rq->a;
  const debt_act *list = rd->same_taxpayer;
  size_t n = rd->n_same;
  int credit = x->residual_cents < 0;
  form_option *o = ARENA_ARRAY(a, form_option, n + 1);
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    const debt_act *y = &list[i];
    if (y->id == x->id || (credit ? y->residual_cents <= 0 : y->residual_cents >= 0)) continue;
    if (y->taxpayer_id != x->taxpayer_id) continue;
    o[k++] =
        (form_option){arena_printf(a, "%lld", (long long)y->id),
                      arena_printf(a, "%s del %d (%s %s)", y->number, y->year, credit ? "residuo" : "credito",
                                   au_euros(a, credit ? y->residual_cents : -y->residual_cents))};
  }
  if (!k) return;
  box(h, "Compensazione");
  open_form(rq, h, fs, "compensazione", url_act_action(a, rq->ente->slug, x->id, "compensazione"));
  form_select(
      h,
      &(form_field){.name = "comp_altro",
                    .label = credit ? "Posizione da pagare con il credito" : "Posizione a credito da usare",
                    .required = 1},
      o, k);
  form_input(
      h, &(form_field){.name = "comp_importo", .label = "Importo in euro", .required = 1, .maxlength = 20});
  form_input(h, &(form_field){.name = "comp_nota", .label = "Nota", .maxlength = 500});
  form_submit(h, "Registra la compensazione");
  form_end(h);
  html_close(h, "div");
}

static void actions(request *rq, html *h, const debt_act *x, const form_state *fs, const act_reads *rd) {
  if (!WEB_USER_HAS_ROLE(rq, ROLES_DEBT_WORK)) return;
  int open = x->residual_cents > 0 && strcmp(x->state, "cancelled") && strcmp(x->state, "relieved");
  int credit = x->residual_cents < 0;
  if (!open && !credit) return;
  section(h, "azioni", "Operazioni");
  html_open(h, "div", HA("class", "row g-5"));
  if (open) {
    form_payment(rq, h, x, fs);
    form_relief(rq, h, x, fs);
    if (strcmp(x->state, "coattivo")) form_plan(rq, h, x, fs);
    form_cancel(rq, h, x, fs);
  }
  if (credit) form_refund(rq, h, x, fs);
  form_compensate(rq, h, x, fs, rd);
  html_close(h, "div");
}

err_code act_page_render(request *rq, response *rs, int64_t id, const char *form, const problem *pbs,
                         size_t n, int status) {
  if (!id) return ERR_NOT_FOUND;
  debt_act x;
  err_code e = debt_act_get(rq->db, rq->a, rq->ente->id, id, &x);
  if (e != ERR_OK) return e;
  act_reads rd;
  if ((e = read_all(rq, &x, &rd)) != ERR_OK) return e;
  page_info p;
  const char *title =
      arena_printf(rq->a, "%s n. %s del %d", debt_act_type_label(x.act_type), x.number, x.year);
  if ((e = web_page_info(rq, title, "posizioni", &p)) != ERR_OK) return e;
  if (!form)
    p.notice = saved_notice_for(notices, sizeof notices / sizeof notices[0], rq_query(rq, "salvato"));
  WEB_OFFICE_TRAIL(rq, &p, {"Posizioni debitorie", url_acts(rq->a, rq->ente->slug, NULL, 0)}, {title, NULL});
  html h = web_begin(rq, rs, &p);
  if (status) rs->status = status;
  form_state fs = {form, pbs, n};
  data(rq, &h, &x);
  lines(rq, &h, &x);
  section(&h, "avvisi", "Modalità di pagamento e avvisi");
  options_table(rq, &h, &x, 1, "Avvisi di pagamento in vigore");
  options_table(rq, &h, &x, 0, "Avvisi precedenti (sostituiti o annullati)");
  movements(rq, &h, &rd);
  receipts(rq, &h, &rd);
  history(rq, &h, &x, &rd);
  actions(rq, &h, &x, &fs, &rd);
  page_end(&h, &p);
  return ERR_OK;
}

err_code page_act(request *rq, response *rs) {
  return act_page_render(rq, rs, rq_param_id(rq, 1), NULL, NULL, 0, 0);
}
