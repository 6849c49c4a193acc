/* fdr_bench gen N FILE [RECEIVER_CF]: writes a FlussoRiversamento of N
 * payments (to 77777777777 or the Ente given).
 * fdr_bench parse FILE: parses it with fdr_parse_file, printing
 * "wall_seconds payments sum_cents max_rss_kib cpu_seconds" (CPU = user +
 * system time of the process, the figure least disturbed by other load). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include "domain/pagopa/fdr_parse.h"

static int gen(long n, const char *path, const char *receiver) {
  FILE *f = fopen(path, "w");
  if (!f) return 1;
  int64_t sum = 0;
  for (long i = 0; i < n; i++) sum += 1 + i * 7919 % 100000;
  fprintf(f,
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<FlussoRiversamento xmlns=\"" FDR_NS
          "\">\n"
          "  <versioneOggetto>1.0</versioneOggetto>\n  "
          "<identificativoFlusso>2025-10-02ABCDITMMXXX-1</identificativoFlusso>\n"
          "  <dataOraFlusso>2025-10-03T00:37:32</dataOraFlusso>\n"
          "  <identificativoUnivocoRegolamento>Bonifico SEPA-TRN1</identificativoUnivocoRegolamento>\n"
          "  <dataRegolamento>2025-10-02</dataRegolamento>\n  <istitutoMittente>\n    "
          "<identificativoUnivocoMittente>\n"
          "      <tipoIdentificativoUnivoco>B</tipoIdentificativoUnivoco>\n"
          "      <codiceIdentificativoUnivoco>ABCDITMMXXX</codiceIdentificativoUnivoco>\n"
          "    </identificativoUnivocoMittente>\n    <denominazioneMittente>PSP di Esempio "
          "S.p.A.</denominazioneMittente>\n"
          "  </istitutoMittente>\n  <istitutoRicevente>\n    <identificativoUnivocoRicevente>\n"
          "      <tipoIdentificativoUnivoco>G</tipoIdentificativoUnivoco>\n"
          "      <codiceIdentificativoUnivoco>%s</codiceIdentificativoUnivoco>\n"
          "    </identificativoUnivocoRicevente>\n  </istitutoRicevente>\n"
          "  <numeroTotalePagamenti>%ld</numeroTotalePagamenti>\n"
          "  <importoTotalePagamenti>%lld.%02lld</importoTotalePagamenti>\n",
          receiver, n, (long long)(sum / 100), (long long)(sum % 100));
  for (long i = 0; i < n; i++) {
    int64_t c = 1 + i * 7919 % 100000;
    fprintf(f,
            "  <datiSingoliPagamenti>\n"
            "    <identificativoUnivocoVersamento>%017ld</identificativoUnivocoVersamento>\n"
            "    <identificativoUnivocoRiscossione>%032lx</identificativoUnivocoRiscossione>\n"
            "    <indiceDatiSingoloPagamento>1</indiceDatiSingoloPagamento>\n"
            "    <singoloImportoPagato>%lld.%02lld</singoloImportoPagato>\n"
            "    <codiceEsitoSingoloPagamento>0</codiceEsitoSingoloPagamento>\n"
            "    <dataEsitoSingoloPagamento>2025-10-01</dataEsitoSingoloPagamento>\n"
            "  </datiSingoliPagamenti>\n",
            i, (unsigned long)i * 2654435761u, (long long)(c / 100), (long long)(c % 100));
  }
  fprintf(f, "</FlussoRiversamento>\n");
  return fclose(f) != 0;
}

static err_code on_payment(void *ud, const fdr_header *h, const fdr_payment *p) {
  *(int64_t *)ud += p->importo_cents; /* touch every entry */
  return ERR_OK;
}

int main(int argc, char **argv) {
  if ((argc == 4 || argc == 5) && !strcmp(argv[1], "gen"))
    return gen(atol(argv[2]), argv[3], argc == 5 ? argv[4] : "77777777777");
  if (argc != 3 || strcmp(argv[1], "parse")) {
    fprintf(stderr, "usage: fdr_bench gen N FILE [RECEIVER_CF] | fdr_bench parse FILE\n");
    return 2;
  }
  int64_t seen = 0;
  fdr_options o = {.schema = FDR_SCHEMA_ANY, .on_payment = on_payment, .ud = &seen};
  fdr_result r;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  err_code rc = fdr_parse_file(argv[2], &o, &r);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  if (rc != ERR_OK || seen != r.sum_cents) {
    fprintf(stderr, "parse failed: %s\n", r.error);
    return 1;
  }
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  double cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
               (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
  printf("%.3f %lld %lld %ld %.3f\n",
         (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, (long long)r.count,
         (long long)r.sum_cents, ru.ru_maxrss, cpu);
  return 0;
}
