/* The payment notice layout: pages, sections and their flow (see notice.h).
 * Units are PDF points on A4; y grows downwards. */
#include "render/pdf/notice.h"
#include <cairo-pdf.h>
#include <glib.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include "core/config.h"
#include "core/money.h"
#include "domain/pagopa/nav.h"
#include "render/pdf/notice_internal.h"

#define PAGE_W 595.28
#define PAGE_H 841.89
#define MARGIN 28.0
#define X1 (PAGE_W - MARGIN)
#define MID (PAGE_W / 2)
#define BOTTOM (PAGE_H - 20.0)
#define BAR_H 20.0
#define CELL_H 218.0 /* one installment in groups of 2 or 3 */
#define CELL_STEP 226.0
#define GRID_STEP 118.0 /* one row of the many-installments grid */
#define SLIP_H 160.0    /* bollettino postale PA */
#define SINGLE_H 138.0  /* "Dati per il pagamento", single payment */

/* The notice being drawn and where the next section goes. */
typedef struct {
  notice_renderer *r;
  cairo_t *cr;
  const notice_data *n;
  double y;
  int pages;
  err_code err;
} flow;

void notice_format_amount(int64_t cents, char out[40]) {
  char a[32];
  money_format_it(cents, a);
  snprintf(out, 40, "%s €", a);
}

static int all_digits(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9') return 0;
  return 1;
}

/* optional text: NULL, or valid UTF-8 of at most max bytes */
static int ok_text(const char *s, size_t max) {
  return !s || (strlen(s) <= max && g_utf8_validate(s, -1, NULL));
}
static int ok_required(const char *s, size_t max) { return s && *s && ok_text(s, max); }

static const char *check_payment(const notice_payment *p) {
  if (nav_validate(p->nav)) return "Un codice avviso non è valido.";
  if (p->cents < 1 || p->cents > 9999999999LL)
    return "Un importo è fuori dai limiti (da 0,01 a 99.999.999,99 €).";
  if (p->due.y != 0 && !date_valid(p->due.y, p->due.m, p->due.d)) return "Una data di scadenza non è valida.";
  return NULL;
}

const char *notice_validate(const notice_data *n) {
  if (!ok_required(n->ente_name, 200)) return "Il nome dell'Ente è obbligatorio (massimo 200 caratteri).";
  if (!n->ente_cf || strlen(n->ente_cf) != 11 || !all_digits(n->ente_cf, 11))
    return "Il codice fiscale dell'Ente deve avere 11 cifre.";
  if (!ok_required(n->debtor_name, 200))
    return "Il nome del destinatario è obbligatorio (massimo 200 caratteri).";
  size_t cfl = n->debtor_cf ? strlen(n->debtor_cf) : 0;
  if (cfl < 1 || cfl > 16) return "Il codice fiscale del destinatario è obbligatorio (massimo 16 caratteri).";
  for (size_t i = 0; i < cfl; i++)
    if (!g_ascii_isalnum(n->debtor_cf[i]))
      return "Il codice fiscale del destinatario contiene caratteri non validi.";
  if (!ok_required(n->subject, 300)) return "L'oggetto del pagamento è obbligatorio (massimo 300 caratteri).";
  if (!ok_text(n->ente_sector, 200) || !ok_text(n->ente_info, 300) || !ok_text(n->creditor_name, 200) ||
      !ok_text(n->debtor_address, 200) || !ok_text(n->debtor_postal_code, 20) ||
      !ok_text(n->debtor_city, 100) || !ok_text(n->debtor_province, 10) || !ok_text(n->postal_auth, 200))
    return "Un testo dell'avviso è troppo lungo o non è UTF-8 valido.";
  if (n->cbill) {
    size_t l = strlen(n->cbill);
    if (l > 16) return "Il codice CBILL è troppo lungo.";
    for (size_t i = 0; i < l; i++)
      if (!g_ascii_isalnum(n->cbill[i])) return "Il codice CBILL contiene caratteri non validi.";
  }
  if (!n->postal_account != !n->postal_auth)
    return "Per il bollettino postale servono sia il conto corrente sia l'autorizzazione.";
  if (n->postal_account) {
    size_t l = strlen(n->postal_account);
    if (l < 1 || l > 12 || !all_digits(n->postal_account, l))
      return "Il conto corrente postale deve avere da 1 a 12 cifre.";
  }
  if (!n->single && n->n_installments < 2) return "Serve il pagamento in unica soluzione o almeno due rate.";
  if (n->n_installments == 1) return "Una sola rata: usare il pagamento in unica soluzione.";
  if (n->n_installments > NOTICE_MAX_INSTALLMENTS) return "Troppe rate.";
  if (n->n_installments && !n->installments) return "Mancano le rate.";
  const char *why;
  if (n->single && (why = check_payment(n->single))) return why;
  for (size_t i = 0; i < n->n_installments; i++)
    if ((why = check_payment(&n->installments[i]))) return why;
  return NULL;
}

static const char *creditor(const notice_data *n) {
  return n->creditor_name ? n->creditor_name : n->ente_name;
}

/* "entro il 31/12/2025" style pieces; "" when there is no date */
static void fmt_date(civil_date d, char out[11]) {
  if (d.y == 0)
    out[0] = 0;
  else
    date_format_it(d, out);
}

static void label(notice_renderer *r, double x, double y, const char *s) {
  set_muted(r->cr);
  stext(r, x, y, ST_LABEL, s, 0, AL_LEFT, 0);
  set_ink(r->cr);
}

/* --- Static parts ------------------------------------------------------------
 * Everything that is the same on every notice (bars, titles, labels, fixed
 * paragraphs) is drawn once per renderer into a cairo recording surface and
 * painted where it goes: cairo-pdf writes each one once per PDF document as a
 * form XObject, so a bulk file of thousands of notices carries it once and a
 * page costs only its own data. Each draws at the origin of its part. */

static void static_header(notice_renderer *r) {
  set_blue(r->cr);
  stext(r, MARGIN, 24, ST_LOGO, "pagoPA", 0, AL_LEFT, 0);
  set_ink(r->cr);
  stext(r, MARGIN + 62, 30, ST_KICKER, "AVVISO DI PAGAMENTO", 0, AL_LEFT, 0);
}

#define PARTIES_Y 108.0
#define HOWMUCH_Y 220.0
#define PAYMENTS_Y 342.0

static void static_page1(notice_renderer *r) {
  cairo_t *cr = r->cr;
  double rx = MID + 8, w = MID - 8 - MARGIN - 8, y = PARTIES_Y;
  static_header(r);
  bar(cr, 0, MID - 4, y, BAR_H);
  bar(cr, MID + 4, PAGE_W, y, BAR_H);
  set_ink(cr);
  stext(r, MARGIN, y + 5, ST_BAR, "ENTE CREDITORE", 0, AL_LEFT, 0);
  stext(r, rx, y + 5, ST_BAR, "DESTINATARIO", 0, AL_LEFT, 0);
  y = HOWMUCH_Y;
  bar(cr, 0, MID - 4, y, BAR_H);
  bar(cr, MID + 4, PAGE_W, y, BAR_H);
  set_ink(cr);
  stext(r, MARGIN, y + 5, ST_BAR, "QUANTO E QUANDO PAGARE?", 0, AL_LEFT, 0);
  stext(r, rx, y + 5, ST_BAR, "DOVE PAGARE?", 0, AL_LEFT, 0);
  double gw = text_width(r, ST_BAR, "pagopa.gov.it");
  stext(r, X1, y + 5, ST_BAR, "pagopa.gov.it", 0, AL_RIGHT, 0);
  stext(r, X1 - gw - 3, y + 6, ST_LABEL, "vai su", 0, AL_RIGHT, 0);
  double cy = y + BAR_H + 8;
  label(r, MARGIN, cy, "Importo");
  stext(
      r, MARGIN, cy + 34, ST_TEXT,
      "In fase di pagamento, se previsto dall'ente, l'importo potrebbe essere aggiornato automaticamente e "
      "subire variazioni in diminuzione (per sgravi, note di credito) o in aumento (per sanzioni, interessi, "
      "ecc.).",
      w, AL_LEFT, 3);
  stext(r, rx, cy, ST_HEAD, "PAGA CON L'APP IO", 0, AL_LEFT, 0);
  stext(r, rx, cy + 11, ST_TEXT,
        "oppure sul sito dell'ente, dal tuo Home Banking, con la tua app di pagamento o con gli altri canali "
        "abilitati.",
        w, AL_LEFT, 3);
  stext(r, rx, cy + 40, ST_HEAD, "PAGA SUL TERRITORIO", 0, AL_LEFT, 0);
  stext(r, rx, cy + 51, ST_TEXT,
        "presso Banche e Sportelli ATM, negli Uffici Postali e Punti Postali, nei Bar, Edicole, Ricevitorie, "
        "Supermercati, Tabaccherie e altri Esercenti Convenzionati.",
        w, AL_LEFT, 3);
}

static void static_paybar(notice_renderer *r) {
  bar(r->cr, 0, PAGE_W, 0, BAR_H);
  set_ink(r->cr);
  stext(r, MARGIN, 5, ST_BAR, "DATI PER IL PAGAMENTO", 0, AL_LEFT, 0);
}

/* the single payment block, below its bar */
static void static_single(notice_renderer *r) {
  double x = MARGIN + 130;
  stext(r, MARGIN, 86, ST_LABEL, "Inquadra il codice QR con la tua app di pagamento o usa i dati accanto.",
        115, AL_LEFT, 3);
  label(r, x, 0, "Destinatario");
  label(r, x, 22, "Ente creditore");
  label(r, x, 44, "Oggetto del pagamento");
  label(r, x + 70, 80, "Cod. Avviso");
  set_muted(r->cr);
  stext(r, X1, 80, ST_LABEL, "Cod. Fiscale Ente", 0, AL_RIGHT, 0);
  set_ink(r->cr);
}

static double cell_width(int cols) { return (X1 - MARGIN - 12.0 * (cols - 1)) / cols; }

static void static_cell(notice_renderer *r, int cols) {
  double cw = cell_width(cols), tx = 6, w = cw - 12;
  bar(r->cr, 0, cw, 0, 18);
  set_ink(r->cr);
  label(r, tx, 26, "Importo");
  label(r, tx, 96, "Cod. Avviso");
  label(r, tx, 122, "Cod. Fiscale Ente");
  label(r, tx, 148, "Oggetto del pagamento");
  label(r, tx, 176, "Ente creditore");
  stext(r, tx, 198, ST_LABEL, "Inquadra il codice QR con la tua app di pagamento o usa i dati sopra.", w,
        AL_LEFT, 2);
}
static void static_cell2(notice_renderer *r) { static_cell(r, 2); }
static void static_cell3(notice_renderer *r) { static_cell(r, 3); }

static void static_grid(notice_renderer *r) {
  bar(r->cr, 0, cell_width(3), 0, 16);
  set_ink(r->cr);
  label(r, 72, 22, "Importo");
  label(r, 6, 90, "Cod. Avviso");
}

static void static_slip(notice_renderer *r) {
  cairo_t *cr = r->cr;
  double x = MARGIN + 150, y;
  bar(cr, 0, PAGE_W, 0, BAR_H);
  set_ink(cr);
  stext(r, MARGIN, 5, ST_BAR, "BOLLETTINO POSTALE PA", 0, AL_LEFT, 0);
  double bw = text_width(r, ST_BAR_REG, "Banco");
  stext(r, x, 5, ST_BAR_REG, "Banco", 0, AL_LEFT, 0);
  stext(r, x + bw, 5, ST_BAR, "Posta", 0, AL_LEFT, 0);
  y = BAR_H + 8;
  double pw = text_width(r, ST_POSTE, "Poste");
  stext(r, MARGIN, y, ST_POSTE, "Poste", 0, AL_LEFT, 0);
  stext(r, MARGIN + pw, y, ST_POSTE_REG, "italiane", 0, AL_LEFT, 0);
  stext(r, MARGIN, y + 24, ST_TEXT,
        "Bollettino Postale pagabile in tutti gli Uffici Postali e sui canali fisici o digitali abilitati di "
        "Poste Italiane e dell'Ente Creditore",
        135, AL_LEFT, 4);
  stext(r, x, y + 2, ST_TEXT, "sul C/C n. ", 0, AL_LEFT, 0);
  label(r, x, y + 24, "Intestato a");
  label(r, x, y + 36, "Destinatario");
  label(r, x, y + 48, "Oggetto pagamento");
  label(r, x, y + 76, "Cod. Avviso");
  label(r, x + 132, y + 76, "Tipo");
  stext(r, x + 132, y + 84, ST_MONO, "P1", 0, AL_LEFT, 0);
  label(r, x + 160, y + 76, "Cod. Fiscale Ente Creditore");
}

typedef enum { TM_PAGE1, TM_HEADER, TM_PAYBAR, TM_SINGLE, TM_CELL2, TM_CELL3, TM_GRID, TM_SLIP } tmpl_kind;
static void (*const tmpl_draw[NOTICE_TEMPLATES])(notice_renderer *) = {
    [TM_PAGE1] = static_page1,   [TM_HEADER] = static_header, [TM_PAYBAR] = static_paybar,
    [TM_SINGLE] = static_single, [TM_CELL2] = static_cell2,   [TM_CELL3] = static_cell3,
    [TM_GRID] = static_grid,     [TM_SLIP] = static_slip,
};

/* Paints static part `kind` with its origin at (x, y), recording it first. */
static void paint(flow *f, tmpl_kind kind, double x, double y) {
  notice_renderer *r = f->r;
  if (!r->tmpl[kind]) {
    cairo_rectangle_t ext = {0, 0, PAGE_W, PAGE_H};
    cairo_surface_t *s = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &ext);
    cairo_t *cr = cairo_create(s);
    r->cr = cr;
    tmpl_draw[kind](r);
    r->cr = f->cr;
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) f->err = ERR_INTERNAL;
    cairo_destroy(cr);
    r->tmpl[kind] = s;
  }
  cairo_save(f->cr);
  cairo_translate(f->cr, x, y);
  cairo_set_source_surface(f->cr, r->tmpl[kind], 0, 0);
  cairo_paint(f->cr);
  cairo_restore(f->cr);
  set_ink(f->cr);
}

/* --- Per-notice parts ----------------------------------------------------- */

static double header(flow *f, int first) {
  notice_renderer *r = f->r;
  cairo_t *cr = f->cr;
  paint(f, first ? TM_PAGE1 : TM_HEADER, 0, 0);
  text(r, MARGIN, 54, ST_TITLE, f->n->subject, 400, AL_LEFT, 2);
  const notice_logo *logo = f->n->logo;
  if (logo && logo->w > 0 && logo->h > 0) {
    double box = 70, s = box / (logo->w > logo->h ? logo->w : logo->h);
    cairo_save(cr);
    cairo_translate(cr, X1 - logo->w * s, 22);
    cairo_scale(cr, s, s);
    cairo_set_source_surface(cr, logo->img, 0, 0);
    cairo_paint(cr);
    cairo_restore(cr);
  }
  return PARTIES_Y;
}

static void new_page(flow *f) {
  cairo_show_page(f->cr);
  f->pages++;
  f->y = header(f, 0);
}

/* Makes room for h points, starting a new page if needed. */
static void need(flow *f, double h) {
  if (f->y + h > BOTTOM) new_page(f);
}

static void parties(flow *f) {
  notice_renderer *r = f->r;
  const notice_data *n = f->n;
  double y = PARTIES_Y, lx = MARGIN, rx = MID + 8, w = MID - 8 - MARGIN - 8;
  text(r, MID - 16, y + 6, ST_BAR_MONO, n->ente_cf, 0, AL_RIGHT, 0);
  text(r, X1, y + 6, ST_BAR_MONO, n->debtor_cf, 0, AL_RIGHT, 0);
  double ly = y + BAR_H + 8, ry = ly;
  ly += text(r, lx, ly, ST_NAME, n->ente_name, w, AL_LEFT, 2) + 4;
  ly += text(r, lx, ly, ST_BODY, n->ente_sector, w, AL_LEFT, 2) + 3;
  text(r, lx, ly, ST_TEXT, n->ente_info, w, AL_LEFT, 2);
  ry += text(r, rx, ry, ST_NAME, n->debtor_name, w, AL_LEFT, 2) + 4;
  ry += text(r, rx, ry, ST_BODY, n->debtor_address, w, AL_LEFT, 1);
  char line[200];
  snprintf(line, sizeof line, "%s%s%s%s%s%s", n->debtor_postal_code ? n->debtor_postal_code : "",
           n->debtor_postal_code && n->debtor_city ? " " : "", n->debtor_city ? n->debtor_city : "",
           n->debtor_province ? " (" : "", n->debtor_province ? n->debtor_province : "",
           n->debtor_province ? ")" : "");
  text(r, rx, ry, ST_BODY, line, w, AL_LEFT, 1);
}

static void how_much(flow *f) {
  notice_renderer *r = f->r;
  const notice_data *n = f->n;
  double w = MID - 8 - MARGIN - 8;
  int64_t total = 0;
  civil_date due = {0, 0, 0};
  if (n->single) {
    total = n->single->cents;
    due = n->single->due;
  } else {
    for (size_t i = 0; i < n->n_installments; i++) total += n->installments[i].cents;
    due = n->installments[0].due;
  }
  char amount[40], date[11];
  notice_format_amount(total, amount);
  fmt_date(due, date);
  double cy = HOWMUCH_Y + BAR_H + 8;
  text(r, MARGIN, cy + 8, ST_BIG, amount, 0, AL_LEFT, 0);
  if (date[0]) {
    label(r, MARGIN + 150, cy, n->single ? "entro il" : "prima rata entro il");
    text(r, MARGIN + 150, cy + 8, ST_BIG, date, 0, AL_LEFT, 0);
  }
  if (n->n_installments) {
    char s[120];
    if (n->single)
      snprintf(s, sizeof s, "Puoi pagare per intero oppure in %zu rate.", n->n_installments);
    else
      snprintf(s, sizeof s,
               "Puoi pagare in %zu rate: utilizza la porzione di avviso relativa alla rata che paghi.",
               n->n_installments);
    text(r, MARGIN, cy + 70, ST_HEAD, s, w, AL_LEFT, 2);
  }
}

/* QR code of a payment (its payload was checked by notice_validate). */
static void qr(flow *f, const notice_payment *p, double x, double y, double size) {
  char payload[NAV_QR_SIZE];
  if (nav_qr_payload(p->nav, f->n->ente_cf, p->cents, payload) != ERR_OK)
    f->err = ERR_INVALID;
  else if (draw_qr(f->cr, x, y, size, payload) != ERR_OK)
    f->err = ERR_INTERNAL;
  set_ink(f->cr);
}

/* "Rata unica entro il 31/12/2025", "Rata 2 entro il ...", without a date
 * "Pagamento in unica soluzione" / "Rata 2" */
static void option_title(const notice_data *n, const notice_payment *p, char out[80]) {
  char date[11];
  fmt_date(p->due, date);
  const char *what = "Rata unica";
  char rata[24];
  if (p != n->single) {
    snprintf(rata, sizeof rata, "Rata %zu", (size_t)(p - n->installments) + 1);
    what = rata;
  }
  if (date[0])
    snprintf(out, 80, "%s entro il %s", what, date);
  else
    snprintf(out, 80, "%s", p == n->single ? "Pagamento in unica soluzione" : what);
}

static void payment_bar(flow *f, const char *right) {
  paint(f, TM_PAYBAR, 0, f->y);
  text(f->r, X1, f->y + 5, ST_BAR, right, 0, AL_RIGHT, 0);
  f->y += BAR_H + 8;
}

static void single(flow *f) {
  notice_renderer *r = f->r;
  const notice_data *n = f->n;
  const notice_payment *p = n->single;
  char title[80], amount[40], code[NAV_GROUPED_SIZE];
  option_title(n, p, title);
  payment_bar(f, title);
  double y = f->y, x = MARGIN + 130;
  paint(f, TM_SINGLE, 0, y);
  qr(f, p, MARGIN, y, 80);
  text(r, x, y + 8, ST_VALUE, n->debtor_name, 250, AL_LEFT, 1);
  text(r, x, y + 30, ST_VALUE, creditor(n), 250, AL_LEFT, 1);
  text(r, x, y + 52, ST_VALUE, n->subject, 250, AL_LEFT, 2);
  notice_format_amount(p->cents, amount);
  text(r, X1, y, ST_MONO_BIG, amount, 0, AL_RIGHT, 0);
  nav_format_grouped(p->nav, code);
  if (n->cbill) {
    label(r, x, y + 80, "Cod. CBILL");
    text(r, x, y + 88, ST_MONO, n->cbill, 0, AL_LEFT, 0);
  }
  text(r, x + 70, y + 88, ST_MONO, code, 0, AL_LEFT, 0);
  text(r, X1, y + 88, ST_MONO, n->ente_cf, 0, AL_RIGHT, 0);
  f->y = y + SINGLE_H - BAR_H - 8;
}

/* One installment in a row of `cols` cells, cell index c. */
static void cell(flow *f, const notice_payment *p, int c, int cols) {
  notice_renderer *r = f->r;
  const notice_data *n = f->n;
  double cw = cell_width(cols), x = MARGIN + c * (cw + 12), y = f->y, qs = cols == 3 ? 64 : 74, tx = x + 6;
  char rata[24], amount[40], date[11], code[NAV_GROUPED_SIZE];
  paint(f, cols == 3 ? TM_CELL3 : TM_CELL2, x, y);
  snprintf(rata, sizeof rata, "Rata %zu", (size_t)(p - n->installments) + 1);
  text(r, tx, y + 4, ST_BAR, rata, 0, AL_LEFT, 0);
  qr(f, p, x + cw - qs - 4, y + 28, qs);
  notice_format_amount(p->cents, amount);
  text(r, tx, y + 34, ST_MONO_BIG, amount, 0, AL_LEFT, 0);
  fmt_date(p->due, date);
  if (date[0]) {
    label(r, tx, y + 54, "Entro il");
    text(r, tx, y + 62, ST_MONO, date, 0, AL_LEFT, 0);
  }
  nav_format_grouped(p->nav, code);
  text(r, tx, y + 104, ST_MONO, code, 0, AL_LEFT, 0);
  text(r, tx, y + 130, ST_MONO, n->ente_cf, 0, AL_LEFT, 0);
  if (n->cbill) {
    label(r, tx + cw / 2, y + 122, "Cod. CBILL");
    text(r, tx + cw / 2, y + 130, ST_MONO, n->cbill, 0, AL_LEFT, 0);
  }
  double w = cw - 12;
  text(r, tx, y + 156, ST_VALUE, n->subject, w, AL_LEFT, 2);
  text(r, tx, y + 184, ST_VALUE, creditor(n), w, AL_LEFT, 1);
}

/* One cell of the many-installments grid (3 per row). */
static void grid_cell(flow *f, const notice_payment *p, int c) {
  notice_renderer *r = f->r;
  const notice_data *n = f->n;
  double cw = cell_width(3), x = MARGIN + c * (cw + 12), y = f->y, tx = x + 72;
  char rata[24], amount[40], date[11], code[NAV_GROUPED_SIZE];
  paint(f, TM_GRID, x, y);
  snprintf(rata, sizeof rata, "Rata %zu", (size_t)(p - n->installments) + 1);
  text(r, x + 6, y + 3, ST_BAR, rata, 0, AL_LEFT, 0);
  qr(f, p, x + 4, y + 22, 62);
  notice_format_amount(p->cents, amount);
  text(r, tx, y + 30, ST_MONO, amount, 0, AL_LEFT, 0);
  fmt_date(p->due, date);
  if (date[0]) {
    label(r, tx, y + 46, "Entro il");
    text(r, tx, y + 54, ST_MONO, date, 0, AL_LEFT, 0);
  }
  nav_format_grouped(p->nav, code);
  text(r, x + 6, y + 98, ST_MONO, code, 0, AL_LEFT, 0);
}

/* Bollettino postale PA for payment p. */
static void slip(flow *f, const notice_payment *p) {
  notice_renderer *r = f->r;
  cairo_t *cr = f->cr;
  const notice_data *n = f->n;
  double y = f->y, x = MARGIN + 150;
  char title[80], amount[40], code[NAV_GROUPED_SIZE], dm[NAV_DATAMATRIX_LEN + 1];
  paint(f, TM_SLIP, 0, y);
  option_title(n, p, title);
  text(r, X1, y + 5, ST_BAR, title, 0, AL_RIGHT, 0);
  y += BAR_H + 8;
  set_muted(cr);
  text(r, MARGIN, y + 74, ST_LABEL, n->postal_auth, 135, AL_LEFT, 2);
  set_ink(cr);
  double cw = text_width(r, ST_TEXT, "sul C/C n. ");
  text(r, x + cw, y, ST_MONO_BIG, n->postal_account, 0, AL_LEFT, 0);
  notice_format_amount(p->cents, amount);
  text(r, X1, y, ST_MONO_BIG, amount, 0, AL_RIGHT, 0);
  text(r, x + 62, y + 24, ST_VALUE, creditor(n), 240, AL_LEFT, 1);
  text(r, x + 62, y + 36, ST_VALUE, n->debtor_name, 240, AL_LEFT, 1);
  text(r, x + 62, y + 48, ST_VALUE, n->subject, 240, AL_LEFT, 2);
  nav_format_grouped(p->nav, code);
  text(r, x, y + 84, ST_MONO, code, 0, AL_LEFT, 0);
  text(r, x + 160, y + 84, ST_MONO, n->ente_cf, 0, AL_LEFT, 0);
  nav_poste in = {.nav = p->nav,
                  .postal_account = n->postal_account,
                  .cents = p->cents,
                  .ente_cf = n->ente_cf,
                  .debtor_cf = n->debtor_cf,
                  .debtor_name = n->debtor_name,
                  .subject = n->subject};
  if (nav_poste_datamatrix(&in, dm) != ERR_OK)
    f->err = ERR_INVALID;
  else if (draw_datamatrix(cr, X1 - 72, y + 30, 72, dm) != ERR_OK)
    f->err = ERR_INTERNAL;
  set_ink(cr);
  f->y += SLIP_H;
}

static void installments(flow *f) {
  const notice_data *n = f->n;
  size_t k = n->n_installments;
  if (k >= NOTICE_MANY_INSTALLMENTS) {
    for (size_t i = 0; i < k; i += 3) {
      need(f, GRID_STEP);
      for (size_t c = 0; c < 3 && i + c < k; c++) grid_cell(f, &n->installments[i + c], (int)c);
      f->y += GRID_STEP;
    }
    if (n->postal_account)
      for (size_t i = 0; i < k; i++) {
        need(f, SLIP_H);
        slip(f, &n->installments[i]);
      }
    return;
  }
  /* groups of 3 when the count allows it, else of 2; the same on every row */
  int cols = (k % 3 == 0) ? 3 : (k % 2 == 0) ? 2 : 3;
  for (size_t i = 0; i < k; i += (size_t)cols) {
    size_t in_row = k - i < (size_t)cols ? k - i : (size_t)cols;
    need(f, CELL_STEP + (n->postal_account ? SLIP_H * (double)in_row : 0));
    for (size_t c = 0; c < in_row; c++) cell(f, &n->installments[i + c], (int)c, cols);
    f->y += CELL_STEP;
    if (n->postal_account)
      for (size_t c = 0; c < in_row; c++) slip(f, &n->installments[i + c]);
  }
}

err_code notice_render(notice_renderer *r, cairo_surface_t *pdf, const notice_data *n, int *pages) {
  if (pages) *pages = 0;
  if (notice_validate(n)) return ERR_INVALID;
  cairo_t *cr = cairo_create(pdf);
  flow f = {.r = r, .cr = cr, .n = n, .pages = 1, .err = ERR_OK};
  r->cr = cr;
  header(&f, 1);
  parties(&f);
  how_much(&f);
  f.y = PAYMENTS_Y;
  if (n->single) {
    single(&f);
    if (n->postal_account) slip(&f, n->single);
  } else {
    char s[40];
    snprintf(s, sizeof s, "%zu rate", n->n_installments);
    payment_bar(&f, s);
  }
  if (n->n_installments) installments(&f);
  cairo_show_page(cr);
  r->cr = NULL;
  if (f.err == ERR_OK && cairo_status(cr) != CAIRO_STATUS_SUCCESS) f.err = ERR_INTERNAL;
  cairo_destroy(cr);
  if (pages) *pages = f.pages;
  return f.err;
}

static cairo_status_t write_sb(void *closure, const unsigned char *data, unsigned int len) {
  strbuf *sb = closure;
  sb_appendn(sb, (const char *)data, len);
  return sb->err ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

static err_code render_surface(notice_renderer *r, const notice_data *n, cairo_surface_t *s) {
  if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(s);
    return ERR_INTERNAL;
  }
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, "Avviso di pagamento pagoPA");
  err_code rc = notice_render(r, s, n, NULL);
  cairo_surface_finish(s);
  if (rc == ERR_OK && cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) rc = ERR_INTERNAL;
  cairo_surface_destroy(s);
  return rc;
}

err_code notice_render_file(notice_renderer *r, const notice_data *n, const char *path) {
  if (notice_validate(n)) return ERR_INVALID;
  return render_surface(r, n, cairo_pdf_surface_create(path, PAGE_W, PAGE_H));
}

err_code notice_render_buffer(notice_renderer *r, const notice_data *n, strbuf *out) {
  if (notice_validate(n)) return ERR_INVALID;
  return render_surface(r, n, cairo_pdf_surface_create_for_stream(write_sb, out, PAGE_W, PAGE_H));
}

/* Kept under a thread key whose destructor frees it when its thread ends
 * (a job worker's thread ends with the worker). */
static pthread_key_t thread_key;
static pthread_once_t thread_key_once = PTHREAD_ONCE_INIT;
static void free_renderer(void *r) { notice_renderer_free(r); }
static void make_thread_key(void) { pthread_key_create(&thread_key, free_renderer); }

err_code notice_renderer_thread(notice_renderer **out) {
  pthread_once(&thread_key_once, make_thread_key);
  notice_renderer *t = pthread_getspecific(thread_key);
  if (!t) {
    if (notice_renderer_new(config_str("portal", "font_dir"), &t) != ERR_OK) {
      err_cause("notice renderer: fonts not found in portal.font_dir");
      return ERR_INTERNAL;
    }
    pthread_setspecific(thread_key, t);
  }
  *out = t;
  return ERR_OK;
}
