/* Renders the payment notice scenarios of tests/pdf/run.sh into a directory
 * and writes, next to each PDF, what a reader must find in it:
 *   <name>.pdf and <name>.expect with lines
 *     pages N | qr <payload> | dm <payload> | text <string>
 * Payloads are built here from the same data with the nav.h functions, so
 * the decoders check the drawing against the data, not against itself.
 * Usage: notice_gen FONT_DIR OUT_DIR. Prints TAP. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "domain/pagopa/nav.h"
#include "render/pdf/notice.h"

static int n_test;
static int failed;

static void ok(int cond, const char *what) {
  printf("%sok %d - %s\n", cond ? "" : "not ", ++n_test, what);
  if (!cond) failed = 1;
}

static notice_payment pay(int seg, uint64_t base, int64_t cents, int y, int m, int d) {
  static char navs[64][19];
  static int next;
  char *nav = navs[next++ % 64];
  nav_build_aux3(seg, base, NULL, nav);
  return (notice_payment){nav, cents, {y, m, d}};
}

static notice_data base_data(void) {
  return (notice_data){.ente_name = "Comune di Roccasecca dei Volsci",
                       .ente_cf = "00123450601",
                       .ente_sector = "Settore Tributi",
                       .ente_info = "tributi@comune.example.it - 0773 123456",
                       .cbill = "AB1CD",
                       .debtor_name = "Mario Rossi",
                       .debtor_cf = "RSSMRA80A01H501U",
                       .debtor_address = "Via Nazionale 1",
                       .debtor_postal_code = "00100",
                       .debtor_city = "Roma",
                       .debtor_province = "RM",
                       .subject = "TARI 2025 - Tassa sui rifiuti"};
}

static void expect_payment(FILE *e, const notice_data *n, const notice_payment *p) {
  char qr[NAV_QR_SIZE], grouped[NAV_GROUPED_SIZE], amount[40], date[11];
  nav_qr_payload(p->nav, n->ente_cf, p->cents, qr);
  fprintf(e, "qr %s\n", qr);
  nav_format_grouped(p->nav, grouped);
  fprintf(e, "text %s\n", grouped);
  notice_format_amount(p->cents, amount);
  fprintf(e, "text %s\n", amount);
  if (p->due.y) {
    date_format_it(p->due, date);
    fprintf(e, "text %s\n", date);
  }
  if (n->postal_account) {
    char dm[NAV_DATAMATRIX_LEN + 1];
    nav_poste in = {p->nav,       n->postal_account, p->cents,  n->ente_cf,
                    n->debtor_cf, n->debtor_name,    n->subject};
    nav_poste_datamatrix(&in, dm);
    fprintf(e, "dm %s\n", dm);
  }
}

static void scenario(notice_renderer *r, const char *dir, const char *name, const notice_data *n, int pages) {
  char path[4096], what[200];
  snprintf(path, sizeof path, "%s/%s.pdf", dir, name);
  snprintf(what, sizeof what, "render %s", name);
  ok(notice_render_file(r, n, path) == ERR_OK, what);
  snprintf(path, sizeof path, "%s/%s.expect", dir, name);
  FILE *e = fopen(path, "w");
  if (!e) {
    ok(0, path);
    return;
  }
  fprintf(e, "pages %d\n", pages);
  fprintf(e, "text %s\n", n->ente_name);
  fprintf(e, "text %s\n", n->debtor_name);
  if (n->single) expect_payment(e, n, n->single);
  for (size_t i = 0; i < n->n_installments; i++) expect_payment(e, n, &n->installments[i]);
  fclose(e);
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (argc != 3) {
    fprintf(stderr, "usage: %s FONT_DIR OUT_DIR\n", argv[0]);
    return 2;
  }
  notice_renderer *r;
  ok(notice_renderer_new(argv[1], &r) == ERR_OK, "renderer with the Titillium Web / Roboto Mono files");
  if (failed) return 1;
  const char *dir = argv[2];

  notice_data n = base_data();
  notice_payment single = pay(1, 2025000000001, 15000, 2025, 12, 31);
  n.single = &single;
  scenario(r, dir, "single", &n, 1);

  notice_payment two[2] = {pay(1, 2025000000002, 7500, 2025, 6, 30),
                           pay(1, 2025000000003, 7500, 2025, 12, 1)};
  n.installments = two;
  n.n_installments = 2;
  scenario(r, dir, "two", &n, 1);

  notice_payment three[3] = {pay(1, 2025000000004, 5000, 2025, 4, 30),
                             pay(1, 2025000000005, 5000, 2025, 7, 31),
                             pay(1, 2025000000006, 123456789, 2025, 10, 31)};
  single.cents = 123466789;
  n.installments = three;
  n.n_installments = 3;
  n.subject =
      "Canone unico patrimoniale 2025 - occupazione di suolo pubblico, passo carrabile di via Garibaldi";
  scenario(r, dir, "three", &n, 1);

  /* many installments, no single payment, accented names */
  notice_payment many[10];
  for (int i = 0; i < 10; i++) many[i] = pay(7, 2026000000100 + (uint64_t)i, 10000 + i, 2026, 1 + i, 28);
  notice_data m = base_data();
  m.debtor_name = "Niccolò Šušteršič-D'Àngelo";
  m.subject = "Rateizzazione verbale n. 1234/2025";
  m.installments = many;
  m.n_installments = 10;
  scenario(r, dir, "many", &m, 2);

  /* postal account: single payment and 2 installments, each with its slip */
  notice_data p = base_data();
  notice_payment psingle = pay(2, 2025000000300, 30000, 2025, 9, 30);
  notice_payment ptwo[2] = {pay(2, 2025000000301, 15000, 2025, 9, 30),
                            pay(2, 2025000000302, 15000, 2026, 3, 31)};
  p.single = &psingle;
  p.installments = ptwo;
  p.n_installments = 2;
  p.postal_account = "1234567";
  p.postal_auth = "AUT. 08/5 S3/81 53079 08129.07.20211";
  scenario(r, dir, "postal", &p, 2);

  /* bad data draws nothing */
  notice_data bad = base_data();
  notice_payment wrong = single;
  wrong.nav = "302202400000000112";
  bad.single = &wrong;
  char path[4096];
  snprintf(path, sizeof path, "%s/bad.pdf", dir);
  ok(notice_render_file(r, &bad, path) == ERR_INVALID, "a wrong NAV is refused");
  FILE *fb = fopen(path, "r");
  ok(fb == NULL, "and no file is written");
  if (fb) fclose(fb);

  notice_renderer_free(r);
  return failed;
}
