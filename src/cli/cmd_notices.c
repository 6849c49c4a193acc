/* Bulk payment notice campaigns: sportello notices generate. One PDF per
 * act (or, with --merged, files of --per-file notices each) in DIR, drawn
 * by worker threads each with its own renderer and database connection.
 *
 * Resumable: every file is written under a ".part" name and renamed when
 * complete, so after an interruption (Ctrl-C, kill, a crash) a new run with
 * the same options skips the files that exist and redoes only the rest;
 * leftover ".part" files are removed first. Files are named after the act
 * ("<year>-<number>-<id>.pdf") or, merged, after the first and last act of
 * their slice of the act list (ordered by id, so slices stay the same
 * across runs). manifest.csv (act_id,file) is written at the end. Acts
 * with nothing left to pay get no notice. */
#include <cairo-pdf.h>
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "cli/cli.h"
#include "cli/cmd_common.h"
#include "core/config.h"
#include "domain/debt/debt.h"
#include "render/pdf/notice_act.h"

static const char USAGE[] =
    "Uso: sportello notices generate --ente ENTE [--revenue CODICE] [--year ANNO] --out CARTELLA\n"
    "                                [--merged [--per-file N]] [--threads N]\n"
    "\n"
    "Genera gli avvisi di pagamento in PDF delle posizioni dell'Ente (slug o codice\n"
    "fiscale), eventualmente di una sola entrata e di un anno: un file per atto\n"
    "(ANNO-NUMERO-ID.pdf) oppure, con --merged, file da --per-file avvisi ciascuno\n"
    "(predefinito 1000; 0: un solo file). Le posizioni senza nulla da pagare sono\n"
    "saltate. Ogni file è scritto con nome provvisorio e rinominato quando è\n"
    "completo: dopo un'interruzione lo stesso comando riprende dai file mancanti.\n"
    "Alla fine scrive manifest.csv (act_id,file). L'avanzamento va sullo standard\n"
    "error (una barra sul terminale, righe semplici altrimenti).\n";

typedef struct {
  int64_t id;
  int year;
  char *number;
} act_ref;

typedef struct {
  const ente *e;
  const char *cbill, *dir, *font_dir, *db_url, *slug;
  act_ref *acts;
  size_t n_acts, per_file; /* per_file 0: one file per act */
  size_t n_units;
  char **file_of; /* per act: the file holding its notice (in names), NULL: none */
  char **names;   /* per unit: its file name (malloc'ed), NULL: none */
  atomic_size_t next, done, written, skipped;
  atomic_int failed;
  pthread_mutex_t mu;
  char error[512];
} gen;

static void fail(gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(gen *g, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  pthread_mutex_lock(&g->mu);
  if (!g->error[0]) vsnprintf(g->error, sizeof g->error, fmt, ap);
  pthread_mutex_unlock(&g->mu);
  va_end(ap);
  atomic_store(&g->failed, 1);
}

static char *act_file(const act_ref *x) {
  char num[64];
  size_t k = 0;
  for (const char *p = x->number; *p && k < sizeof num - 1; p++)
    num[k++] = ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-')
                   ? *p
                   : '_';
  num[k] = 0;
  char *s;
  if (asprintf(&s, "%d-%s-%lld.pdf", x->year, num, (long long)x->id) < 0) return NULL;
  return s;
}

static int exists(const char *dir, const char *name) {
  char p[4096];
  snprintf(p, sizeof p, "%s/%s", dir, name);
  struct stat st;
  return stat(p, &st) == 0 && st.st_size > 0;
}

/* The notice of act i; ERR_NOTICE_PAID: nothing to pay. */
static err_code load(gen *g, db *d, arena *a, size_t i, notice_data *n) {
  debt_act x;
  err_code rc = debt_act_get(d, a, g->e->id, g->acts[i].id, &x);
  debt_postal postal;
  if (rc == ERR_OK) rc = debt_act_postal(d, a, g->e->id, g->acts[i].id, &postal);
  if (rc == ERR_OK) rc = notice_for_act(a, g->e, g->cbill, &postal, &x, 0, n);
  if (rc == ERR_OK && notice_validate(n)) {
    fail(g, "avviso dell'atto %s: %s", g->acts[i].number, notice_validate(n));
    rc = ERR_INVALID;
  }
  return rc;
}

static void unit_one(gen *g, db *d, notice_renderer *r, size_t i) {
  char *name = act_file(&g->acts[i]);
  if (!name) {
    fail(g, "memoria esaurita");
    return;
  }
  g->names[i] = name;
  if (exists(g->dir, name)) {
    g->file_of[i] = name;
    atomic_fetch_add(&g->skipped, 1);
    atomic_fetch_add(&g->done, 1);
    return;
  }
  arena *a = arena_new();
  notice_data n;
  err_code rc = load(g, d, a, i, &n);
  if (rc == ERR_OK) {
    char tmp[4096], fin[4096];
    snprintf(tmp, sizeof tmp, "%s/%s.part", g->dir, name);
    snprintf(fin, sizeof fin, "%s/%s", g->dir, name);
    if (notice_render_file(r, &n, tmp) != ERR_OK || rename(tmp, fin) != 0) {
      fail(g, "impossibile scrivere %s: %s", fin, strerror(errno));
    } else {
      g->file_of[i] = name;
      atomic_fetch_add(&g->written, 1);
    }
  } else if (rc != ERR_NOTICE_PAID && !atomic_load(&g->failed)) {
    fail(g, "atto %s non leggibile: %s", g->acts[i].number, err_message_it(rc));
  }
  arena_free(a);
  atomic_fetch_add(&g->done, 1);
}

/* Slice u of the act list into one file; a slice whose file exists is
 * only read again to know which of its acts it holds. */
static void unit_merged(gen *g, db *d, notice_renderer *r, size_t u) {
  size_t from = u * g->per_file, to = from + g->per_file;
  if (to > g->n_acts) to = g->n_acts;
  char *name;
  if (asprintf(&name, "avvisi-%s-%lld-%lld.pdf", g->slug, (long long)g->acts[from].id,
               (long long)g->acts[to - 1].id) < 0) {
    fail(g, "memoria esaurita");
    return;
  }
  g->names[u] = name;
  char tmp[4096], fin[4096];
  snprintf(tmp, sizeof tmp, "%s/%s.part", g->dir, name);
  snprintf(fin, sizeof fin, "%s/%s", g->dir, name);
  int skip = exists(g->dir, name);
  cairo_surface_t *pdf = skip ? NULL : cairo_pdf_surface_create(tmp, 595.28, 841.89);
  size_t drawn = 0;
  for (size_t i = from; i < to && !atomic_load(&g->failed); i++) {
    arena *a = arena_new();
    notice_data n;
    err_code rc = load(g, d, a, i, &n);
    if (rc == ERR_OK && (skip || notice_render(r, pdf, &n, NULL) == ERR_OK)) {
      g->file_of[i] = name;
      drawn++;
    } else if (rc != ERR_NOTICE_PAID && !atomic_load(&g->failed)) {
      fail(g, "atto %s: %s", g->acts[i].number, err_message_it(rc == ERR_OK ? ERR_INTERNAL : rc));
    }
    arena_free(a);
    atomic_fetch_add(skip ? &g->skipped : &g->written, rc == ERR_OK ? 1 : 0);
    atomic_fetch_add(&g->done, 1);
  }
  if (skip) return;
  cairo_surface_finish(pdf);
  int ok = cairo_surface_status(pdf) == CAIRO_STATUS_SUCCESS;
  cairo_surface_destroy(pdf);
  if (!drawn || atomic_load(&g->failed))
    unlink(tmp);
  else if (!ok || rename(tmp, fin) != 0)
    fail(g, "impossibile scrivere %s", fin);
}

static pthread_mutex_t renderer_mu = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg) {
  gen *g = arg;
  char err[256];
  db *d = db_open(g->db_url, err, sizeof err);
  if (!d) {
    fail(g, "database: %s", err);
    return NULL;
  }
  notice_renderer *r = NULL;
  pthread_mutex_lock(&renderer_mu);
  err_code rc = notice_renderer_new(g->font_dir, &r);
  pthread_mutex_unlock(&renderer_mu);
  if (rc != ERR_OK) {
    fail(g, "font degli avvisi non trovati in %s (portal.font_dir)", g->font_dir);
  } else {
    for (;;) {
      size_t u = atomic_fetch_add(&g->next, 1);
      if (u >= g->n_units || atomic_load(&g->failed)) break;
      if (g->per_file)
        unit_merged(g, d, r, u);
      else
        unit_one(g, d, r, u);
    }
    notice_renderer_free(r);
  }
  db_close(d);
  return NULL;
}

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void progress(gen *g, double t0, int tty, int final) {
  size_t done = atomic_load(&g->done), n = g->n_acts;
  double el = now_s() - t0, rate = el > 0 ? (double)atomic_load(&g->written) / el : 0;
  if (tty) {
    int w = 30, fill = n ? (int)((double)done * w / (double)n) : w;
    fprintf(stderr, "\r[%.*s%.*s] %zu/%zu %3.0f%% %.0f avvisi/s ", fill, "##############################",
            w - fill, "..............................", done, n, n ? 100.0 * (double)done / (double)n : 100.0,
            rate);
    if (final) fputc('\n', stderr);
  } else {
    fprintf(stderr, "avvisi: %zu/%zu (%.0f avvisi/s)\n", done, n, rate);
  }
  fflush(stderr);
}

static int remove_parts(const char *dir) {
  DIR *dh = opendir(dir);
  if (!dh) return -1;
  struct dirent *de;
  while ((de = readdir(dh))) {
    size_t l = strlen(de->d_name);
    if (l > 5 && !strcmp(de->d_name + l - 5, ".part")) {
      char p[4096];
      snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
      unlink(p);
    }
  }
  closedir(dh);
  return 0;
}

static int write_manifest(gen *g) {
  char tmp[4096], fin[4096];
  snprintf(tmp, sizeof tmp, "%s/manifest.csv.part", g->dir);
  snprintf(fin, sizeof fin, "%s/manifest.csv", g->dir);
  FILE *f = fopen(tmp, "w");
  if (!f) return -1;
  fputs("act_id,file\n", f);
  for (size_t i = 0; i < g->n_acts; i++)
    if (g->file_of[i]) fprintf(f, "%lld,%s\n", (long long)g->acts[i].id, g->file_of[i]);
  int bad = fclose(f) != 0;
  return bad || rename(tmp, fin) != 0 ? -1 : 0;
}

static int cmp_act(const void *x, const void *y) {
  int64_t a = ((const act_ref *)x)->id, b = ((const act_ref *)y)->id;
  return a < b ? -1 : a > b;
}

static int generate(cli_ctx *c) {
  const char *key = NULL, *revenue = NULL, *out = NULL;
  int64_t year = 0, per_file = 1000, threads = 0;
  int merged = 0, bad = 0;
  for (int i = 2; i < c->argc && !bad; i++) {
    const char *v;
    int64_t *num = NULL;
    if ((v = cmd_opt(c, &i, "--ente", &bad)))
      key = v;
    else if ((v = cmd_opt(c, &i, "--revenue", &bad)))
      revenue = v;
    else if ((v = cmd_opt(c, &i, "--out", &bad)))
      out = v;
    else if ((v = cmd_opt(c, &i, "--year", &bad)))
      num = &year;
    else if ((v = cmd_opt(c, &i, "--per-file", &bad)))
      num = &per_file;
    else if ((v = cmd_opt(c, &i, "--threads", &bad)))
      num = &threads;
    else if (!strcmp(c->argv[i], "--merged"))
      merged = 1;
    else if (!bad)
      return cmd_bad_option(c, i, USAGE);
    if (num && cmd_parse_int(v, num)) {
      fprintf(stderr, "sportello: valore non numerico: %s\n", v);
      return 2;
    }
  }
  if (bad) return 2;
  if (!key || !out) {
    fprintf(stderr, "sportello: servono --ente e --out\n\n%s", USAGE);
    return 2;
  }
  if (threads <= 0) threads = sysconf(_SC_NPROCESSORS_ONLN) > 0 ? sysconf(_SC_NPROCESSORS_ONLN) : 1;
  if (threads > 16) threads = 16;
  if (mkdir(out, 0777) != 0 && errno != EEXIST) {
    fprintf(stderr, "sportello: impossibile creare la cartella %s: %s\n", out, strerror(errno));
    return 1;
  }
  if (remove_parts(out) != 0) {
    fprintf(stderr, "sportello: impossibile leggere la cartella %s\n", out);
    return 1;
  }
  db *d = cli_open_db();
  if (!d) return 1;
  arena *a = arena_new();
  int rc = 1;
  ente e;
  gen g = {0};
  pthread_mutex_init(&g.mu, NULL);
  if (cmd_find_ente(d, a, key, &e)) goto done;
  debt_query q = {.year = (int)year, .limit = 500};
  if (revenue) {
    debt_revenue r;
    err_code ec = debt_revenue_by_code(d, a, e.id, revenue, &r);
    if (ec != ERR_OK) {
      fprintf(stderr, "sportello: l'Ente %s non ha l'entrata %s\n", e.slug, revenue);
      goto done;
    }
    q.revenue_id = r.id;
  }
  debt_pagopa pp;
  g.cbill = debt_pagopa_get(d, a, e.id, &pp) == ERR_OK ? pp.cbill : NULL;
  size_t cap = 0;
  for (;;) { /* every act of the selection, in pages */
    debt_act *page;
    size_t n;
    err_code ec = debt_find(d, a, e.id, &q, &page, &n);
    if (ec != ERR_OK) {
      cmd_report("posizioni non leggibili", ec, NULL);
      goto done;
    }
    if (g.n_acts + n > cap) {
      cap = (g.n_acts + n) * 2;
      g.acts = realloc(g.acts, cap * sizeof *g.acts);
      if (!g.acts) goto done;
    }
    for (size_t i = 0; i < n; i++) g.acts[g.n_acts++] = (act_ref){page[i].id, page[i].year, page[i].number};
    if (n < (size_t)q.limit) break;
    q.offset += q.limit;
  }
  if (g.n_acts) qsort(g.acts, g.n_acts, sizeof *g.acts, cmp_act);
  g.file_of = calloc(g.n_acts + 1, sizeof *g.file_of);
  g.names = calloc(g.n_acts + 1, sizeof *g.names);
  if (!g.file_of || !g.names) goto done;
  g.e = &e;
  g.slug = e.slug;
  g.dir = out;
  g.font_dir = config_str("portal", "font_dir");
  g.db_url = config_str("database", "url");
  g.per_file = merged ? (per_file ? (size_t)per_file : (g.n_acts ? g.n_acts : 1)) : 0;
  g.n_units = merged ? (g.n_acts + g.per_file - 1) / g.per_file : g.n_acts;
  int tty = isatty(2);
  double t0 = now_s(), last = t0;
  pthread_t th[16];
  int started = 0;
  for (int i = 0; i < threads; i++)
    if (pthread_create(&th[i], NULL, worker, &g) == 0) started++;
  if (!started) {
    fprintf(stderr, "sportello: impossibile avviare i thread\n");
    goto done;
  }
  for (;;) {
    struct timespec ts = {0, 200 * 1000 * 1000};
    nanosleep(&ts, NULL);
    if (atomic_load(&g.done) >= g.n_acts || atomic_load(&g.failed)) break;
    double t = now_s();
    if (tty || t - last >= 5.0) {
      progress(&g, t0, tty, 0);
      last = t;
    }
  }
  for (int i = 0; i < started; i++) pthread_join(th[i], NULL);
  progress(&g, t0, tty, 1);
  if (atomic_load(&g.failed)) {
    fprintf(stderr, "sportello: %s\n", g.error);
    goto done;
  }
  if (write_manifest(&g) != 0) {
    fprintf(stderr, "sportello: impossibile scrivere %s/manifest.csv\n", out);
    goto done;
  }
  printf("Avvisi: %zu posizioni, %zu avvisi scritti, %zu già presenti, in %s (%.1f s).\n", g.n_acts,
         (size_t)atomic_load(&g.written), (size_t)atomic_load(&g.skipped), out, now_s() - t0);
  rc = 0;
done:
  if (g.names)
    for (size_t i = 0; i < g.n_units; i++) free(g.names[i]);
  free(g.names);
  free(g.file_of);
  free(g.acts);
  pthread_mutex_destroy(&g.mu);
  arena_free(a);
  db_close(d);
  return rc;
}

int cmd_notices(cli_ctx *c) {
  static const cmd_sub subs[] = {{"generate", generate}};
  return cmd_dispatch(c, "notices", USAGE, subs, sizeof subs / sizeof subs[0]);
}
