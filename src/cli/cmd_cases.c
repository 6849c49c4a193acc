/* sportello cases list|show|add|category|rule|serve: the cases of an Ente
 * and their configuration (categories and working days, routing rules,
 * the offices serving an Ente) from the command line. The office pages
 * and mail intake use the same domain functions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_common.h"
#include "core/csv.h"
#include "domain/cases/cases.h"
#include "domain/protocol/protocol.h"

static const char USAGE[] =
    "Uso:\n"
    "  sportello cases list --ente ENTE [--state new|assigned|in_progress|waiting|closed]\n"
    "                       [--category CODICE] [--format csv|text]\n"
    "  sportello cases show --ente ENTE --number AAAA-NNNNNN\n"
    "  sportello cases add --ente ENTE --subject TESTO --name NOME [--email E] [--pec P]\n"
    "                      [--fiscal-code CF] [--phone T] [--category CODICE]\n"
    "                      [--channel counter|phone|email|pec|web] [--text TESTO]\n"
    "  sportello cases category list --ente ENTE\n"
    "  sportello cases category set --ente ENTE --code CODICE --name NOME --days N [--inactive]\n"
    "  sportello cases rule list --ente ENTE\n"
    "  sportello cases rule add --ente ENTE --office CODICE_UFFICIO [--category CODICE]\n"
    "  sportello cases rule delete --ente ENTE --id N\n"
    "  sportello cases serve --ente ENTE --office CODICE_UFFICIO [--off]\n"
    "\n"
    "ENTE è lo slug o il codice fiscale dell'Ente. Le categorie hanno valori predefiniti\n"
    "(giorni lavorativi: 3 per nuove dichiarazioni e variazioni di occupazione del suolo,\n"
    "5 per le cessazioni, ...) che ogni Ente può modificare. Una nuova pratica va all'ufficio\n"
    "della regola più specifica per Ente e categoria, altrimenti all'ufficio meno carico tra\n"
    "quelli che servono l'Ente (serve).\n";

typedef struct {
  const char *ente, *state, *category, *format, *number, *subject, *name, *email, *pec, *cf,
      *phone, *channel, *text, *code, *days, *office, *id;
  int inactive, off;
} opts;

static int parse(cli_ctx *c, int from, opts *o) {
  int bad = 0;
  for (int i = from; i < c->argc && !bad; i++) {
    const char *v;
#define OPT(flag, field)                                       \
  if ((v = cmd_opt(c, &i, flag, &bad)) || bad) { o->field = v; \
    continue;                                                  \
  }
    OPT("--ente", ente) OPT("--state", state) OPT("--category", category) OPT("--format", format)
    OPT("--number", number) OPT("--subject", subject) OPT("--name", name) OPT("--email", email)
    OPT("--pec", pec) OPT("--fiscal-code", cf) OPT("--phone", phone) OPT("--channel", channel)
    OPT("--text", text) OPT("--code", code) OPT("--days", days) OPT("--office", office)
    OPT("--id", id)
#undef OPT
    if (strcmp(c->argv[i], "--inactive") == 0) o->inactive = 1;
    else if (strcmp(c->argv[i], "--off") == 0) o->off = 1;
    else return cmd_bad_option(c, i, USAGE);
  }
  if (bad) return 2;
  if (!o->ente) {
    fprintf(stderr, "sportello: indica --ente\n");
    return 2;
  }
  return 0;
}

/* Opens the database and finds the Ente; 0 ok. */
static int open_ente(const opts *o, db **d, arena *a, ente *e) {
  *d = cli_open_db();
  if (!*d) return 1;
  if (cmd_find_ente(*d, a, o->ente, e) != 0) {
    db_close(*d);
    return 1;
  }
  return 0;
}

static int office_by_code(db *d, arena *a, const char *code, int64_t *id) {
  office *list;
  size_t n;
  if (code && office_list(d, a, &list, &n) == ERR_OK)
    for (size_t i = 0; i < n; i++)
      if (strcmp(list[i].code, code) == 0) {
        *id = list[i].id;
        return 0;
      }
  fprintf(stderr, "sportello: ufficio inesistente: %s\n", code ? code : "(manca --office)");
  return 1;
}

static int cases_list_cmd(cli_ctx *c) {
  opts o = {0};
  int rc = parse(c, 2, &o);
  if (rc) return rc;
  arena *a = arena_new();
  db *d;
  ente e;
  if (open_ente(&o, &d, a, &e)) {
    arena_free(a);
    return 1;
  }
  case_filter f = {.ente_id = e.id, .view = CQ_ALL, .state = o.state, .category = o.category,
                   .limit = CASE_LIST_MAX};
  case_rec *cs;
  size_t n;
  int64_t total;
  err_code err = cases_list(d, a, &f, &cs, &n, &total);
  int csv = o.format && strcmp(o.format, "csv") == 0;
  if (err == ERR_OK && csv) {
    const char *head[] = {"number", "protocol", "state", "outcome", "category", "priority",
                          "office", "due_date", "subject"};
    for (size_t i = 0; i < 9; i++) csv_field(stdout, head[i], i > 0);
    csv_end(stdout);
  }
  for (size_t i = 0; err == ERR_OK && i < n; i++) {
    const char *prot = cs[i].protocol_number
                           ? protocol_label(a, cs[i].protocol_number, cs[i].protocol_year)
                           : "";
    if (csv) {
      const char *row[] = {cs[i].label, prot, case_state_slug(cs[i].state), cs[i].outcome,
                           cs[i].category_code, cs[i].priority, cs[i].office_name, cs[i].due_date,
                           cs[i].subject};
      for (size_t k = 0; k < 9; k++) csv_field(stdout, row[k], k > 0);
      csv_end(stdout);
    } else {
      printf("%s  %-12s %-11s %s  %s%s\n", cs[i].label, prot, case_state_slug(cs[i].state),
             cs[i].due_date, strcmp(cs[i].priority, "urgent") == 0 ? "[URGENTE] " : "",
             cs[i].subject);
    }
  }
  if (err != ERR_OK) cmd_report("elenco non disponibile", err, NULL);
  else if (!csv) printf("%lld pratiche.\n", (long long)total);
  db_close(d);
  arena_free(a);
  return err == ERR_OK ? 0 : 1;
}

static int cases_show_cmd(cli_ctx *c) {
  opts o = {0};
  int rc = parse(c, 2, &o);
  if (rc) return rc;
  int year;
  int64_t number;
  if (!o.number || case_parse_label(o.number, &year, &number) != 0) {
    fprintf(stderr, "sportello: --number deve essere un numero di pratica come 2026-000123\n");
    return 2;
  }
  arena *a = arena_new();
  db *d;
  ente e;
  if (open_ente(&o, &d, a, &e)) {
    arena_free(a);
    return 1;
  }
  case_rec cr;
  err_code err = cases_get_by_number(d, a, e.id, year, number, &cr);
  if (err == ERR_OK) {
    printf("Pratica %s (%s)\nOggetto: %s\nCategoria: %s\nStato: %s%s%s\nPriorità: %s\n"
           "Ufficio: %s\nRichiedente: %s\nScadenza: %s%s\n",
           cr.label,
           cr.protocol_number ? protocol_label(a, cr.protocol_number, cr.protocol_year) : "-",
           cr.subject, cr.category_name, case_state_label(cr.state), cr.outcome ? ", esito " : "",
           cr.outcome ? case_outcome_label(cr.outcome) : "", cr.priority,
           cr.office_name ? cr.office_name : "-", cr.requester_name, cr.due_date,
           cr.overdue ? " (scaduta)" : "");
    case_event *ev;
    size_t n;
    if (cases_events(d, a, e.id, cr.id, &ev, &n) == ERR_OK)
      for (size_t i = 0; i < n; i++)
        printf("  %s -> %s%s%s\n", ev[i].kind, ev[i].to_state, ev[i].reason ? ": " : "",
               ev[i].reason ? ev[i].reason : "");
  } else {
    cmd_report("pratica non trovata", err, NULL);
  }
  db_close(d);
  arena_free(a);
  return err == ERR_OK ? 0 : 1;
}

static int cases_add_cmd(cli_ctx *c) {
  opts o = {0};
  int rc = parse(c, 2, &o);
  if (rc) return rc;
  arena *a = arena_new();
  db *d;
  ente e;
  if (open_ente(&o, &d, a, &e)) {
    arena_free(a);
    return 1;
  }
  case_input in = {.ente_id = e.id, .channel = o.channel ? o.channel : "counter",
                   .category_code = o.category, .subject = o.subject, .description = o.text,
                   .requester_name = o.name, .requester_email = o.email, .requester_pec = o.pec,
                   .requester_fiscal_code = o.cf, .requester_phone = o.phone, .ack = 1};
  case_rec cr;
  problem pb = {0};
  err_code err = cases_open(d, a, &cmd_cli_actor, &in, &cr, &pb);
  if (err == ERR_OK)
    printf("Pratica %s aperta, protocollo %s, ufficio %s, scadenza %s.\n", cr.label,
           protocol_label(a, cr.protocol_number, cr.protocol_year),
           cr.office_name ? cr.office_name : "-", cr.due_date);
  else
    cmd_report("pratica non aperta", err, &pb);
  db_close(d);
  arena_free(a);
  return err == ERR_OK ? 0 : 1;
}

static int category_cmd(cli_ctx *c) {
  if (c->argc < 3) return cmd_bad_option(c, 1, USAGE);
  int set = strcmp(c->argv[2], "set") == 0;
  if (!set && strcmp(c->argv[2], "list") != 0) return cmd_bad_option(c, 2, USAGE);
  opts o = {0};
  int rc = parse(c, 3, &o);
  if (rc) return rc;
  arena *a = arena_new();
  db *d;
  ente e;
  if (open_ente(&o, &d, a, &e)) {
    arena_free(a);
    return 1;
  }
  err_code err;
  problem pb = {0};
  if (set) {
    int64_t days = 0;
    if (!o.days || cmd_parse_int(o.days, &days) != 0) days = 0;
    case_category cat = {(char *)o.code, (char *)o.name, (int)days, !o.inactive, 0};
    err = cases_category_set(d, &cmd_cli_actor, e.id, &cat, &pb);
    if (err == ERR_OK) printf("Categoria %s salvata.\n", o.code);
  } else {
    case_category *cats;
    size_t n;
    err = cases_categories(d, a, e.id, &cats, &n);
    for (size_t i = 0; err == ERR_OK && i < n; i++)
      printf("%-24s %3d giorni  %s%s\n", cats[i].code, cats[i].working_days, cats[i].name,
             cats[i].active ? "" : " (disattivata)");
  }
  if (err != ERR_OK) cmd_report("categorie", err, &pb);
  db_close(d);
  arena_free(a);
  return err == ERR_OK ? 0 : 1;
}

static int rule_cmd(cli_ctx *c) {
  if (c->argc < 3) return cmd_bad_option(c, 1, USAGE);
  const char *sub = c->argv[2];
  if (strcmp(sub, "list") && strcmp(sub, "add") && strcmp(sub, "delete"))
    return cmd_bad_option(c, 2, USAGE);
  opts o = {0};
  int rc = parse(c, 3, &o);
  if (rc) return rc;
  arena *a = arena_new();
  db *d;
  ente e;
  if (open_ente(&o, &d, a, &e)) {
    arena_free(a);
    return 1;
  }
  err_code err = ERR_OK;
  problem pb = {0};
  if (strcmp(sub, "add") == 0) {
    case_rule r = {.ente_id = e.id, .category_code = (char *)o.category, .position = 100};
    if (office_by_code(d, a, o.office, &r.office_id)) err = ERR_INVALID;
    else if ((err = cases_rule_add(d, &cmd_cli_actor, &r, &pb)) == ERR_OK)
      printf("Regola %lld aggiunta.\n", (long long)r.id);
  } else if (strcmp(sub, "delete") == 0) {
    int64_t id = 0;
    if (!o.id || cmd_parse_int(o.id, &id) != 0) err = ERR_INVALID;
    else err = cases_rule_delete(d, &cmd_cli_actor, e.id, id);
  } else {
    case_rule *r;
    size_t n;
    err = cases_rules(d, a, e.id, &r, &n);
    for (size_t i = 0; err == ERR_OK && i < n; i++)
      printf("%lld  %-24s -> %s\n", (long long)r[i].id,
             r[i].category_code ? r[i].category_code : "(ogni categoria)", r[i].office_name);
  }
  if (err != ERR_OK) cmd_report("regole", err, &pb);
  db_close(d);
  arena_free(a);
  return err == ERR_OK ? 0 : 1;
}

static int serve_cmd(cli_ctx *c) {
  opts o = {0};
  int rc = parse(c, 2, &o);
  if (rc) return rc;
  arena *a = arena_new();
  db *d;
  ente e;
  if (open_ente(&o, &d, a, &e)) {
    arena_free(a);
    return 1;
  }
  int64_t office_id;
  err_code err = ERR_INVALID;
  if (!office_by_code(d, a, o.office, &office_id)) {
    err = cases_office_serve(d, &cmd_cli_actor, office_id, e.id, !o.off);
    if (err == ERR_OK)
      printf("Ufficio %s %s l'Ente %s.\n", o.office, o.off ? "non serve più" : "serve", e.slug);
    else
      cmd_report("ufficio", err, NULL);
  }
  db_close(d);
  arena_free(a);
  return err == ERR_OK ? 0 : 1;
}

int cmd_cases(cli_ctx *c) {
  static const cmd_sub subs[] = {{"list", cases_list_cmd},   {"show", cases_show_cmd},
                                 {"add", cases_add_cmd},     {"category", category_cmd},
                                 {"rule", rule_cmd},         {"serve", serve_cmd}};
  return cmd_dispatch(c, "cases", USAGE, subs, sizeof subs / sizeof subs[0]);
}
