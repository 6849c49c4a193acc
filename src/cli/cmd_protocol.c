/* sportello protocol add|annul|show|list|register: the protocol register
 * from the command line (the office pages and mail intake use the same
 * domain functions). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_common.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/csv.h"
#include "core/date.h"
#include "domain/ente/ente.h"
#include "domain/protocol/protocol.h"
#include "render/pdf/register.h"

static const char USAGE[] =
    "Uso:\n"
    "  sportello protocol add --ente ENTE --direction in|out|internal --correspondent TESTO\n"
    "                         --subject TESTO [--channel email|pec|web|counter|phone|internal]\n"
    "                         [--category CATEGORIA] [--file PERCORSO]...\n"
    "  sportello protocol annul --ente ENTE --year ANNO --number N --reason TESTO\n"
    "  sportello protocol show --ente ENTE --year ANNO --number N\n"
    "  sportello protocol list --ente ENTE --year ANNO [--format csv|text]\n"
    "  sportello protocol register --ente ENTE --date AAAA-MM-GG [--out FILE] [--pdf FILE]\n"
    "                              [--fonts CARTELLA]\n"
    "  sportello protocol segnatura --ente ENTE NUMERO[/ANNO] [--year ANNO]\n"
    "\n"
    "ENTE è lo slug o il codice fiscale dell'Ente.\n"
    "add       registra una nuova voce (il primo --file è il documento primario, gli altri\n"
    "          allegati) e stampa numero e impronta SHA-256.\n"
    "annul     annulla una registrazione indicandone il motivo; la voce resta nel registro.\n"
    "list      le registrazioni dell'anno; in CSV: number,datetime,direction,correspondent,\n"
    "          subject,sha256.\n"
    "register  il registro giornaliero (CSV) con l'impronta delle registrazioni del giorno e\n"
    "          la testa della catena di audit a fine giornata; la prima emissione è registrata,\n"
    "          le successive sono confrontate con essa (uscita 1 se qualcosa è cambiato).\n"
    "          Con --pdf anche in PDF (caratteri da --fonts, predefinita\n"
    "          web/node_modules/bootstrap-italia/src/fonts).\n"
    "segnatura la segnatura di protocollo AgID (XML, schema 3.0.0) della registrazione,\n"
    "          firmata XML-DSig con [protocol] signing_key e signing_cert (anno predefinito:\n"
    "          quello in corso).\n";

/* Slurps a file (at most PROT_MAX_DOC_BYTES + 1 bytes). */
static int read_file(arena *a, const char *path, prot_doc *doc) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "sportello: impossibile leggere %s\n", path);
    return -1;
  }
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
  size_t got;
  while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n > (size_t)PROT_MAX_DOC_BYTES) break;
    if (n == cap) {
      char *nb = realloc(buf, cap *= 2);
      if (!nb) free(buf);
      buf = nb;
    }
  }
  fclose(f);
  if (!buf) return -1;
  void *copy = arena_alloc(a, n ? n : 1);
  memcpy(copy, buf, n);
  free(buf);
  const char *slash = strrchr(path, '/');
  doc->name = slash ? slash + 1 : path;
  doc->data = copy;
  doc->size = (int64_t)n;
  return 0;
}

typedef struct {
  const char *ente, *year, *number;
} entry_ref;

static int parse_ref(const entry_ref *r, int64_t *year, int64_t *number) {
  if (cmd_parse_int(r->year, year) != 0 || *year < 1900 || *year > 2200 ||
      cmd_parse_int(r->number, number) != 0 || *number < 1) {
    fprintf(stderr, "sportello: --year e --number devono essere un anno e un numero validi\n");
    return -1;
  }
  return 0;
}

static int protocol_add(cli_ctx *c) {
  const char *ente_s = NULL, *files[PROT_MAX_DOCS + 1];
  size_t n_files = 0;
  prot_entry e = {0};
  e.channel = "internal";
  int bad = 0;
  for (int i = 2; i < c->argc && !bad; i++) {
    const char *v;
    if ((v = cmd_opt(c, &i, "--ente", &bad))) ente_s = v;
    else if ((v = cmd_opt(c, &i, "--direction", &bad))) e.direction = (char *)v;
    else if ((v = cmd_opt(c, &i, "--correspondent", &bad))) e.correspondent = (char *)v;
    else if ((v = cmd_opt(c, &i, "--subject", &bad))) e.subject = (char *)v;
    else if ((v = cmd_opt(c, &i, "--channel", &bad))) e.channel = (char *)v;
    else if ((v = cmd_opt(c, &i, "--category", &bad))) e.category = (char *)v;
    else if ((v = cmd_opt(c, &i, "--file", &bad))) {
      if (n_files > PROT_MAX_DOCS) {
        fprintf(stderr, "sportello: troppi documenti (massimo %d)\n", PROT_MAX_DOCS);
        return 2;
      }
      files[n_files++] = v;
    } else if (!bad) return cmd_bad_option(c, i, USAGE);
  }
  if (bad) return 2;
  if (!ente_s) {
    fprintf(stderr, "sportello: serve --ente\n\n%s", USAGE);
    return 2;
  }
  db *d = cli_open_db();
  if (!d) return 1;
  arena *a = arena_new();
  ente en;
  int rc = 1;
  if (cmd_find_ente(d, a, ente_s, &en) != 0) goto out;
  e.ente_id = en.id;
  e.docs = arena_alloc(a, sizeof(prot_doc) * (n_files ? n_files : 1));
  memset(e.docs, 0, sizeof(prot_doc) * (n_files ? n_files : 1));
  for (size_t i = 0; i < n_files; i++)
    if (read_file(a, files[i], &e.docs[i]) != 0) goto out;
  e.n_docs = n_files;
  problem pb = {0};
  err_code ec = protocol_register(d, a, &cmd_cli_actor, &e, &pb);
  if (ec != ERR_OK) {
    cmd_report("registrazione non eseguita", ec, &pb);
    goto out;
  }
  printf("Protocollo n. %s registrato (impronta %s).\n", protocol_label(a, e.number, e.year),
         e.hash);
  rc = 0;
out:
  arena_free(a);
  db_close(d);
  return rc;
}

/* Reads --ente/--year/--number (and --reason into *reason if given). */
static int ref_opts(cli_ctx *c, entry_ref *r, const char **reason) {
  int bad = 0;
  for (int i = 2; i < c->argc && !bad; i++) {
    const char *v;
    if ((v = cmd_opt(c, &i, "--ente", &bad))) r->ente = v;
    else if ((v = cmd_opt(c, &i, "--year", &bad))) r->year = v;
    else if ((v = cmd_opt(c, &i, "--number", &bad))) r->number = v;
    else if (reason && (v = cmd_opt(c, &i, "--reason", &bad))) *reason = v;
    else if (!bad) return cmd_bad_option(c, i, USAGE);
  }
  if (bad) return 2;
  if (!r->ente || !r->year || !r->number || (reason && !*reason)) {
    fprintf(stderr, "sportello: servono --ente, --year, --number%s\n\n%s",
            reason ? " e --reason" : "", USAGE);
    return 2;
  }
  return 0;
}

static int protocol_annul_cmd(cli_ctx *c) {
  entry_ref r = {0};
  const char *reason = NULL;
  int64_t year, number;
  int u = ref_opts(c, &r, &reason);
  if (u) return u;
  if (parse_ref(&r, &year, &number) != 0) return 2;
  db *d = cli_open_db();
  if (!d) return 1;
  arena *a = arena_new();
  ente en;
  int rc = 1;
  if (cmd_find_ente(d, a, r.ente, &en) == 0) {
    problem pb = {0};
    err_code ec = protocol_annul(d, &cmd_cli_actor, en.id, (int)year, number, reason, &pb);
    if (ec == ERR_OK) {
      printf("Protocollo n. %s annullato.\n", protocol_label(a, number, (int)year));
      rc = 0;
    } else {
      cmd_report("annullamento non eseguito", ec, &pb);
    }
  }
  arena_free(a);
  db_close(d);
  return rc;
}

static void print_entry(arena *a, const prot_entry *e) {
  char when[17];
  time_format_rome(e->registered_at, when);
  printf("Protocollo:      %s del %s\n", protocol_label(a, e->number, e->year), when);
  printf("Direzione:       %s\n", e->direction);
  printf("Corrispondente:  %s\n", e->correspondent);
  printf("Oggetto:         %s\n", e->subject);
  printf("Canale:          %s\n", e->channel);
  if (e->category) printf("Fascicolo:       %s %d\n", e->category, e->year);
  printf("Impronta:        %s\n", e->hash);
  for (size_t i = 0; i < e->n_docs; i++)
    printf("Documento %zu:     %s (%s, %lld byte, %s) SHA-256 %s\n", i + 1, e->docs[i].name,
           e->docs[i].mime, (long long)e->docs[i].size,
           strcmp(e->docs[i].role, "primary") == 0 ? "primario" : "allegato", e->docs[i].sha256);
  if (e->annulled) {
    time_format_rome(e->annulled_at, when);
    printf("ANNULLATO il %s: %s\n", when, e->annul_reason);
  }
}

static int protocol_show(cli_ctx *c) {
  entry_ref r = {0};
  int64_t year, number;
  int u = ref_opts(c, &r, NULL);
  if (u) return u;
  if (parse_ref(&r, &year, &number) != 0) return 2;
  db *d = cli_open_db();
  if (!d) return 1;
  arena *a = arena_new();
  ente en;
  prot_entry e;
  int rc = 1;
  if (cmd_find_ente(d, a, r.ente, &en) == 0) {
    err_code ec = protocol_get(d, a, en.id, (int)year, number, &e);
    if (ec == ERR_OK) {
      print_entry(a, &e);
      rc = 0;
    } else {
      cmd_report("registrazione non trovata", ec, NULL);
    }
  }
  arena_free(a);
  db_close(d);
  return rc;
}

static void csv_entry(FILE *f, arena *a, const prot_entry *e, int with_annulment) {
  char when[26];
  time_format_iso_rome(e->registered_at, when);
  csv_field(f, protocol_label(a, e->number, e->year), 0);
  csv_field(f, when, 1);
  csv_field(f, e->direction, 1);
  csv_field(f, e->correspondent, 1);
  csv_field(f, e->subject, 1);
  csv_field(f, e->hash, 1);
  if (with_annulment) {
    csv_field(f, e->annulled ? "1" : "0", 1);
    csv_field(f, e->annulled ? e->annul_reason : NULL, 1);
  }
  csv_end(f);
}

static int protocol_ls(cli_ctx *c) {
  const char *ente_s = NULL, *year_s = NULL, *format = "text";
  int bad = 0;
  for (int i = 2; i < c->argc && !bad; i++) {
    const char *v;
    if ((v = cmd_opt(c, &i, "--ente", &bad))) ente_s = v;
    else if ((v = cmd_opt(c, &i, "--year", &bad))) year_s = v;
    else if ((v = cmd_opt(c, &i, "--format", &bad))) format = v;
    else if (!bad) return cmd_bad_option(c, i, USAGE);
  }
  if (bad) return 2;
  int64_t year;
  if (!ente_s || cmd_parse_int(year_s, &year) != 0 || year < 1900 || year > 2200 ||
      (strcmp(format, "csv") != 0 && strcmp(format, "text") != 0)) {
    fprintf(stderr, "sportello: servono --ente e --year validi; --format è csv o text\n\n%s", USAGE);
    return 2;
  }
  db *d = cli_open_db();
  if (!d) return 1;
  arena *a = arena_new();
  ente en;
  prot_entry *v;
  size_t n;
  int rc = 1;
  if (cmd_find_ente(d, a, ente_s, &en) == 0) {
    err_code ec = protocol_list_year(d, a, en.id, (int)year, &v, &n);
    if (ec != ERR_OK) {
      cmd_report("registro non leggibile", ec, NULL);
    } else if (strcmp(format, "csv") == 0) {
      fputs("number,datetime,direction,correspondent,subject,sha256\n", stdout);
      for (size_t i = 0; i < n; i++) csv_entry(stdout, a, &v[i], 0);
      rc = 0;
    } else {
      for (size_t i = 0; i < n; i++) {
        char when[17];
        time_format_rome(v[i].registered_at, when);
        printf("%s  %s  %-8s  %-30.30s  %s%s\n", protocol_label(a, v[i].number, v[i].year), when,
               v[i].direction, v[i].correspondent, v[i].subject, v[i].annulled ? "  [ANNULLATO]" : "");
      }
      printf("%zu registrazioni nel %lld.\n", n, (long long)year);
      rc = 0;
    }
  }
  arena_free(a);
  db_close(d);
  return rc;
}

static int protocol_day(cli_ctx *c) {
  const char *ente_s = NULL, *date_s = NULL, *out_path = NULL, *pdf_path = NULL;
  const char *fonts = "web/node_modules/bootstrap-italia/src/fonts";
  int bad = 0;
  for (int i = 2; i < c->argc && !bad; i++) {
    const char *v;
    if ((v = cmd_opt(c, &i, "--ente", &bad))) ente_s = v;
    else if ((v = cmd_opt(c, &i, "--date", &bad))) date_s = v;
    else if ((v = cmd_opt(c, &i, "--out", &bad))) out_path = v;
    else if ((v = cmd_opt(c, &i, "--pdf", &bad)))
      pdf_path = v;
    else if ((v = cmd_opt(c, &i, "--fonts", &bad)))
      fonts = v;
    else if (!bad) return cmd_bad_option(c, i, USAGE);
  }
  if (bad) return 2;
  civil_date day;
  if (!ente_s || !date_s || date_parse_iso(date_s, &day) != 0) {
    fprintf(stderr, "sportello: servono --ente e --date AAAA-MM-GG\n\n%s", USAGE);
    return 2;
  }
  db *d = cli_open_db();
  if (!d) return 1;
  arena *a = arena_new();
  ente en;
  int rc = 1;
  FILE *f = NULL;
  if (cmd_find_ente(d, a, ente_s, &en) != 0) goto out;
  prot_entry *v;
  size_t n;
  prot_day p;
  err_code ec = protocol_day_register(d, a, en.id, day, 1, &v, &n, &p);
  if (ec != ERR_OK) {
    cmd_report("registro giornaliero non emesso", ec, NULL);
    goto out;
  }
  f = out_path ? fopen(out_path, "w") : stdout;
  if (!f) {
    fprintf(stderr, "sportello: impossibile scrivere %s\n", out_path);
    goto out;
  }
  fprintf(f, "# Registro giornaliero di protocollo\n# Ente: %s (%s)\n# Giorno: %s\n", en.name,
          en.fiscal_code, p.day);
  fprintf(f, "# Registrazioni: %lld\n# Impronta SHA-256 delle registrazioni: %s\n",
          (long long)p.entries, p.sha256);
  fprintf(f, "# Testa della catena di audit a fine giornata: %s\n", p.audit_head);
  fputs("number,datetime,direction,correspondent,subject,sha256,annulled,annul_reason\n", f);
  for (size_t i = 0; i < n; i++) csv_entry(f, a, &v[i], 1);
  if (out_path) fclose(f);
  rc = 0;
  if (pdf_path) {
    register_pdf_data rp = {.ente_name = en.name,
                            .ente_cf = en.fiscal_code,
                            .day = p.day,
                            .entries = p.entries,
                            .sha256 = p.sha256,
                            .audit_head = p.audit_head,
                            .v = v,
                            .n = n};
    ec = register_pdf_write(fonts, &rp, pdf_path);
    if (ec == ERR_NOT_FOUND) {
      fprintf(stderr, "sportello: caratteri non trovati in %s (--fonts)\n", fonts);
      rc = 1;
    } else if (ec != ERR_OK) {
      fprintf(stderr, "sportello: impossibile scrivere %s\n", pdf_path);
      rc = 1;
    }
  }
  if (p.altered) {
    fprintf(stderr,
            "sportello: ATTENZIONE: %lld registrazioni del %s non corrispondono alla loro "
            "impronta: il contenuto è stato modificato\n",
            (long long)p.altered, p.day);
    rc = 1;
  }
  if (p.issued_before && !p.matches) {
    fprintf(stderr,
            "sportello: ATTENZIONE: il registro del %s differisce da quello emesso "
            "(impronta emessa %s, audit %s): registrazioni o audit modificati dopo l'emissione\n",
            p.day, p.issued_sha256, p.issued_audit_head);
    rc = 1;
  } else if (p.issued_before) {
    fprintf(stderr, "Registro del %s conforme a quello già emesso.\n", p.day);
  } else {
    fprintf(stderr, "Registro del %s emesso: %lld registrazioni.\n", p.day, (long long)p.entries);
  }
out:
  arena_free(a);
  db_close(d);
  return rc;
}

static int protocol_segnatura_cmd(cli_ctx *c) {
  const char *ente_s = NULL, *year_s = NULL, *num_s = NULL;
  int bad = 0;
  for (int i = 2; i < c->argc && !bad; i++) {
    const char *v;
    if ((v = cmd_opt(c, &i, "--ente", &bad)))
      ente_s = v;
    else if ((v = cmd_opt(c, &i, "--year", &bad)))
      year_s = v;
    else if (!bad && c->argv[i][0] != '-' && !num_s)
      num_s = c->argv[i];
    else if (!bad)
      return cmd_bad_option(c, i, USAGE);
  }
  if (bad) return 2;
  int64_t year = date_today_rome(clock_now()).y, number = 0;
  char num[32] = "";
  const char *slash = num_s ? strchr(num_s, '/') : NULL;
  if (num_s) snprintf(num, sizeof num, "%.*s", slash ? (int)(slash - num_s) : 31, num_s);
  if (slash) year_s = slash + 1;
  if (!ente_s || !num_s || cmd_parse_int(num, &number) != 0 || number < 1 ||
      (year_s && (cmd_parse_int(year_s, &year) != 0 || year < 1900 || year > 2200))) {
    fprintf(stderr, "sportello: servono --ente e il numero di protocollo (N o N/ANNO)\n\n%s", USAGE);
    return 2;
  }
  db *d = cli_open_db();
  if (!d) return 1;
  arena *a = arena_new();
  ente en;
  int rc = 1;
  if (cmd_find_ente(d, a, ente_s, &en) != 0) goto out;
  prot_segnatura_conf conf = {.ente_name = en.name,
                              .ente_fiscal_code = en.fiscal_code,
                              .aoo_code = config_str("protocol", "aoo_code"),
                              .registry_code = config_str("protocol", "registry_code"),
                              .key_file = config_str("protocol", "signing_key"),
                              .cert_file = config_str("protocol", "signing_cert")};
  char *xml;
  size_t len;
  const char *why = NULL;
  err_code ec = protocol_segnatura(d, a, en.id, (int)year, number, &conf, &xml, &len, &why);
  if (ec == ERR_NOT_FOUND) {
    fprintf(stderr, "sportello: registrazione %s non trovata\n", protocol_label(a, number, (int)year));
  } else if (ec != ERR_OK) {
    fprintf(stderr, "sportello: segnatura non prodotta: %s\n", why ? why : err_slug(ec));
  } else {
    fwrite(xml, 1, len, stdout);
    rc = 0;
  }
out:
  arena_free(a);
  db_close(d);
  return rc;
}

int cmd_protocol(cli_ctx *c) {
  static const cmd_sub subs[] = {{"add", protocol_add},      {"annul", protocol_annul_cmd},
                                 {"show", protocol_show},    {"list", protocol_ls},
                                 {"register", protocol_day}, {"segnatura", protocol_segnatura_cmd}};
  return cmd_dispatch(c, "protocol", USAGE, subs, sizeof subs / sizeof subs[0]);
}
