/* Our renderer on N generated payment notices, each with a single payment
 * and two installments (one A4 page, 3 QR codes), rendered by THREADS
 * threads (one renderer each) into one bulk PDF per thread.
 * Usage: notice_bench FONT_DIR OUT_DIR N THREADS. Prints "notices/s: X". */
#include <cairo-pdf.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "domain/pagopa/nav.h"
#include "render/pdf/notice.h"

static const char *font_dir, *out_dir;
static long n_notices;
static int n_threads;
static int failures;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static const char *const surnames[] = {"Rossi",   "Bianchi", "Esposito", "Colombo", "Ricci",
                                       "Marino",  "Greco",   "Bruno",    "Gallo",   "Conti",
                                       "De Luca", "Mancini", "Costa",    "Giordano"};
static const char *const names[] = {"Mario",  "Giulia",  "Francesco", "Sofia",   "Alessandro",
                                    "Aurora", "Lorenzo", "Ginevra",   "Niccolò", "Beatrice"};

static void *run(void *arg) {
  long tid = (long)arg;
  notice_renderer *r;
  if (notice_renderer_new(font_dir, &r) != ERR_OK) {
    pthread_mutex_lock(&mu);
    failures++;
    pthread_mutex_unlock(&mu);
    return NULL;
  }
  char path[4096];
  snprintf(path, sizeof path, "%s/notices-%ld.pdf", out_dir, tid);
  cairo_surface_t *pdf = cairo_pdf_surface_create(path, 595.28, 841.89);
  int bad = 0;
  for (long i = tid; i < n_notices; i += n_threads) {
    char nav[3][19], debtor[80], address[80], cf[24];
    for (int k = 0; k < 3; k++) nav_build_aux3(1, (uint64_t)i * 3 + (uint64_t)k, NULL, nav[k]);
    snprintf(debtor, sizeof debtor, "%s %s", names[i % 10], surnames[(i / 10) % 14]);
    snprintf(address, sizeof address, "Via Roma %ld", i % 200 + 1);
    snprintf(cf, sizeof cf, "RSSMRA80A01H%03ldU", i % 1000);
    int64_t total = 10000 + (i % 50000) * 2;
    notice_payment single = {nav[0], total, {2026, 6, 30}};
    notice_payment inst[2] = {{nav[1], total / 2, {2026, 6, 30}}, {nav[2], total - total / 2, {2026, 12, 1}}};
    notice_data n = {.ente_name = "Comune di Borgo Fittizio",
                     .ente_cf = "00123450601",
                     .ente_sector = "Servizio Tributi",
                     .ente_info = "tributi@comune.example.it",
                     .cbill = "AB1CD",
                     .debtor_name = debtor,
                     .debtor_cf = cf,
                     .debtor_address = address,
                     .debtor_postal_code = "00100",
                     .debtor_city = "Borgo Fittizio",
                     .debtor_province = "RM",
                     .subject = "TARI 2026 - Tassa sui rifiuti",
                     .single = &single,
                     .installments = inst,
                     .n_installments = 2};
    if (notice_render(r, pdf, &n, NULL) != ERR_OK) bad++;
  }
  cairo_surface_finish(pdf);
  if (cairo_surface_status(pdf) != CAIRO_STATUS_SUCCESS) bad++;
  cairo_surface_destroy(pdf);
  notice_renderer_free(r);
  pthread_mutex_lock(&mu);
  failures += bad;
  pthread_mutex_unlock(&mu);
  return NULL;
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: %s FONT_DIR OUT_DIR N THREADS\n", argv[0]);
    return 2;
  }
  font_dir = argv[1];
  out_dir = argv[2];
  n_notices = atol(argv[3]);
  n_threads = atoi(argv[4]);
  if (n_notices < 1 || n_threads < 1 || n_threads > 64) return 2;
  struct timespec t0, t1, c0, c1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
  pthread_t t[64];
  for (long i = 0; i < n_threads; i++) pthread_create(&t[i], NULL, run, (void *)i);
  for (int i = 0; i < n_threads; i++) pthread_join(t[i], NULL);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
  double cpu = (double)(c1.tv_sec - c0.tv_sec) + (double)(c1.tv_nsec - c0.tv_nsec) / 1e9;
  double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  printf("notices: %ld seconds: %.3f notices/s: %.1f cpu-seconds: %.3f per-cpu-second: %.1f failures: %d\n",
         n_notices, secs, (double)n_notices / secs, cpu, (double)n_notices / cpu, failures);
  return failures ? 1 : 0;
}
