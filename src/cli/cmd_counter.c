/* sportello counter add|hours|close|list|check|minimums: the Ente's
 * counters, their weekly opening hours and closures, and the weekly check
 * against the minimum hours for its population (the office page
 * /ufficio/{ente}/sportelli shows the same). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_common.h"
#include "cli/cmd_agenda_opts.h"
#include "core/clock.h"
#include "domain/agenda/agenda.h"

static const char USAGE[] =
    "Uso:\n"
    "  sportello counter add --ente ENTE --name NOME [--place LUOGO]\n"
    "  sportello counter hours --ente ENTE --counter ID --day mon|tue|wed|thu|fri|sat\n"
    "                          --from HH:MM --to HH:MM [--valid-from AAAA-MM-GG]\n"
    "  sportello counter close --ente ENTE [--counter ID] --from AAAA-MM-GG [--to AAAA-MM-GG]\n"
    "                          --reason TESTO\n"
    "  sportello counter list --ente ENTE\n"
    "  sportello counter check --ente ENTE [--week AAAA-Wss]\n"
    "  sportello counter minimums import FILE.csv\n"
    "  sportello counter minimums list\n"
    "\n"
    "ENTE è lo slug o il codice fiscale dell'Ente.\n"
    "add       crea uno sportello e ne stampa l'identificativo.\n"
    "hours     aggiunge una fascia di apertura a un giorno della settimana; le fasce con la\n"
    "          stessa data di validità formano un orario, in vigore da quella data (senza\n"
    "          --valid-from: l'orario più recente dello sportello, o da oggi per il primo).\n"
    "close     chiude uno sportello (senza --counter: tutti) per uno o più giorni, con il\n"
    "          motivo, pubblicato sulla pagina dell'Ente e nell'agenda.\n"
    "check     ore di apertura offerte nella settimana ISO (festivi e chiusure esclusi) contro\n"
    "          il minimo per la popolazione dell'Ente, e aperture pomeridiane (dopo le 14);\n"
    "          uscita 1 se il minimo non è raggiunto o mancano aperture pomeridiane.\n"
    "minimums  la tabella delle ore minime settimanali per fascia di popolazione (CSV:\n"
    "          population_from_inclusive,population_to_exclusive,min_opening_hours_per_week).\n";

static void hours_text(char *out, size_t n, int64_t minutes) {
  if (minutes % 60)
    snprintf(out, n, "%lld h %02lld min", (long long)(minutes / 60), (long long)(minutes % 60));
  else
    snprintf(out, n, "%lld h", (long long)(minutes / 60));
}

static int counter_add(cli_ctx *c) {
  const char *o[4] = {0};
  static const char *const names[] = {"--ente", "--name", "--place", NULL};
  int u = ag_opts(c, 2, names, o, NULL, USAGE);
  if (u) return u;
  if (!o[0] || !o[1]) return ag_usage("servono --ente e --name", USAGE);
  ag_cli s;
  if (ag_cli_begin(&s, o[0]) != 0) return 1;
  int64_t id = 0;
  problem pb = {0};
  err_code rc = agenda_counter_add(s.d, &cmd_cli_actor, s.e.id, o[1], o[2], &id, &pb);
  if (rc == ERR_OK) printf("%lld\n", (long long)id);
  else cmd_report("sportello non creato", rc, &pb);
  return ag_cli_end(&s, rc == ERR_OK ? 0 : 1);
}

static int counter_hours(cli_ctx *c) {
  const char *o[7] = {0};
  static const char *const names[] = {"--ente", "--counter", "--day", "--from",
                                      "--to",   "--valid-from", NULL};
  int u = ag_opts(c, 2, names, o, NULL, USAGE);
  if (u) return u;
  if (!o[0] || !o[1] || !o[2] || !o[3] || !o[4])
    return ag_usage("servono --ente, --counter, --day, --from e --to", USAGE);
  int64_t counter;
  if (cmd_parse_int(o[1], &counter) != 0 || counter < 1)
    return ag_usage("--counter deve essere l'identificativo di uno sportello", USAGE);
  int day = ag_weekday_parse(o[2]), from = ag_hhmm_parse(o[3]), to = ag_hhmm_parse(o[4]);
  if (!day) return ag_usage("--day: mon, tue, wed, thu, fri o sat", USAGE);
  if (from < 0 || to < 0) return ag_usage("--from e --to nel formato HH:MM", USAGE);
  ag_cli s;
  if (ag_cli_begin(&s, o[0]) != 0) return 1;
  problem pb = {0};
  err_code rc = agenda_hours_add(s.d, s.a, &cmd_cli_actor, s.e.id, counter, day, from, to, o[5], &pb);
  if (rc == ERR_OK) printf("Orario aggiunto: %s %s-%s.\n", ag_weekday_it(day), o[3], o[4]);
  else cmd_report("orario non aggiunto", rc, &pb);
  return ag_cli_end(&s, rc == ERR_OK ? 0 : 1);
}

static int counter_close(cli_ctx *c) {
  const char *o[6] = {0};
  static const char *const names[] = {"--ente", "--counter", "--from", "--to", "--reason", NULL};
  int u = ag_opts(c, 2, names, o, NULL, USAGE);
  if (u) return u;
  if (!o[0] || !o[2] || !o[4]) return ag_usage("servono --ente, --from e --reason", USAGE);
  int64_t counter = 0;
  if (o[1] && (cmd_parse_int(o[1], &counter) != 0 || counter < 1))
    return ag_usage("--counter deve essere l'identificativo di uno sportello", USAGE);
  ag_cli s;
  if (ag_cli_begin(&s, o[0]) != 0) return 1;
  problem pb = {0};
  int64_t id;
  err_code rc = agenda_closure_add(s.d, &cmd_cli_actor, s.e.id, counter, o[2], o[3], o[4], &id, &pb);
  if (rc == ERR_OK) printf("Chiusura registrata (%lld).\n", (long long)id);
  else cmd_report("chiusura non registrata", rc, &pb);
  return ag_cli_end(&s, rc == ERR_OK ? 0 : 1);
}

static int counter_list(cli_ctx *c) {
  const char *o[2] = {0};
  static const char *const names[] = {"--ente", NULL};
  int u = ag_opts(c, 2, names, o, NULL, USAGE);
  if (u) return u;
  if (!o[0]) return ag_usage("serve --ente", USAGE);
  ag_cli s;
  if (ag_cli_begin(&s, o[0]) != 0) return 1;
  ag_counter *cs;
  ag_hours *hs;
  ag_closure *cl;
  ag_avail *av;
  size_t nc, nh, ncl, nav;
  char today[11];
  date_format_iso(date_today_rome(clock_now()), today);
  err_code rc = agenda_counter_list(s.d, s.a, s.e.id, &cs, &nc);
  if (rc == ERR_OK) rc = agenda_hours_list(s.d, s.a, s.e.id, 0, &hs, &nh);
  if (rc == ERR_OK) rc = agenda_closure_list(s.d, s.a, s.e.id, today, &cl, &ncl);
  if (rc == ERR_OK) rc = agenda_avail_list(s.d, s.a, s.e.id, 0, &av, &nav);
  if (rc != ERR_OK) {
    cmd_report("elenco non disponibile", rc, NULL);
    return ag_cli_end(&s, 1);
  }
  for (size_t i = 0; i < nc; i++) {
    printf("%lld\t%s%s%s\n", (long long)cs[i].id, cs[i].name, cs[i].place ? "\t" : "",
           cs[i].place ? cs[i].place : "");
    for (size_t j = 0; j < nh; j++) {
      if (hs[j].counter_id != cs[i].id) continue;
      char f[6], t[6];
      ag_hhmm_format(hs[j].start_min, f);
      ag_hhmm_format(hs[j].end_min, t);
      printf("  dal %s  %-10s %s-%s\n", hs[j].valid_from, ag_weekday_it(hs[j].weekday), f, t);
    }
    for (size_t j = 0; j < nav; j++)
      if (av[j].counter_id == cs[i].id)
        printf("  agenda: %s%s, %d min (+%d), %d posti, %d giorni\n", av[j].topic_code,
               av[j].video ? " (video)" : "", av[j].slot_minutes, av[j].buffer_minutes,
               av[j].capacity, av[j].horizon_days);
  }
  for (size_t j = 0; j < ncl; j++)
    printf("chiuso %s..%s %s: %s\n", cl[j].from_day, cl[j].to_day,
           cl[j].counter_name ? cl[j].counter_name : "(tutti gli sportelli)", cl[j].reason);
  return ag_cli_end(&s, 0);
}

static int counter_check(cli_ctx *c) {
  const char *o[3] = {0};
  static const char *const names[] = {"--ente", "--week", NULL};
  int u = ag_opts(c, 2, names, o, NULL, USAGE);
  if (u) return u;
  if (!o[0]) return ag_usage("serve --ente", USAGE);
  civil_date monday;
  if (o[1]) {
    if (ag_iso_week_parse(o[1], &monday) != 0)
      return ag_usage("--week nel formato AAAA-Wss (settimana ISO, es. 2026-W49)", USAGE);
  } else {
    civil_date t = date_today_rome(clock_now());
    monday = date_add_days(t, 1 - date_weekday(t));
  }
  ag_cli s;
  if (ag_cli_begin(&s, o[0]) != 0) return 1;
  ag_week_report r;
  err_code rc = agenda_week_check(s.d, s.a, &s.e, monday, &r);
  if (rc != ERR_OK) {
    cmd_report("verifica non eseguita", rc, NULL);
    return ag_cli_end(&s, 1);
  }
  char off[32], min[32], sh[32];
  hours_text(off, sizeof off, r.offered_minutes);
  hours_text(min, sizeof min, r.min_minutes);
  hours_text(sh, sizeof sh, r.shortfall_minutes);
  printf("%s, settimana %s (abitanti %lld)\n", s.e.name, r.week, (long long)r.population);
  for (int i = 0; i < 7; i++) {
    const ag_day_hours *dh = &r.days[i];
    char iso[11], h[32];
    date_format_iso(dh->day, iso);
    hours_text(h, sizeof h, dh->minutes);
    printf("  %-10s %s  %-12s%s%s%s%s\n", ag_weekday_it(date_weekday(dh->day)), iso, h,
           dh->afternoon ? " pomeriggio" : "", dh->holiday ? " festivo: " : "",
           dh->holiday ? dh->holiday : "", dh->closure ? " chiuso" : "");
  }
  for (size_t i = 0; i < r.n_counters; i++) {
    char h[32];
    hours_text(h, sizeof h, r.counter_minutes[i]);
    printf("  sportello %lld %s: %s\n", (long long)r.counters[i].id, r.counters[i].name, h);
  }
  printf("Ore offerte: %s; minimo: %s; aperture pomeridiane: %s\n", off, min,
         r.afternoon ? "sì" : "no");
  if (r.ok) {
    printf("OK: il minimo è rispettato.\n");
    return ag_cli_end(&s, 0);
  }
  if (r.shortfall_minutes)
    printf("CARENZA: mancano %s rispetto al minimo di %s.\n", sh, min);
  if (!r.afternoon) printf("CARENZA: nessuna apertura pomeridiana (dopo le 14:00).\n");
  return ag_cli_end(&s, 1);
}

static int counter_minimums(cli_ctx *c) {
  if (c->argc < 3) return ag_usage("minimums import FILE.csv oppure minimums list", USAGE);
  const char *sub = c->argv[2];
  db *d = cli_open_db();
  if (!d) return 1;
  arena *a = arena_new();
  int out = 1;
  ag_min_row *rows;
  size_t n;
  problem pb = {0};
  if (strcmp(sub, "import") == 0 && c->argc == 4) {
    char *text = ag_read_text_file(a, c->argv[3], 1 << 20);
    err_code rc = text ? ag_min_parse_csv(a, text, &rows, &n, &pb) : ERR_INVALID;
    if (text && rc == ERR_OK) rc = agenda_min_replace(d, &cmd_cli_actor, rows, n, &pb);
    if (rc == ERR_OK) {
      printf("Tabella delle ore minime importata (%zu fasce).\n", n);
      out = 0;
    } else if (text) {
      cmd_report("tabella non importata", rc, &pb);
    }
  } else if (strcmp(sub, "list") == 0 && c->argc == 3) {
    if (agenda_min_list(d, a, &rows, &n) == ERR_OK) {
      printf("population_from_inclusive,population_to_exclusive,min_opening_hours_per_week\n");
      for (size_t i = 0; i < n; i++) {
        char to[24] = "";
        if (rows[i].pop_to) snprintf(to, sizeof to, "%lld", (long long)rows[i].pop_to);
        printf("%lld,%s,%lld.%02lld\n", (long long)rows[i].pop_from, to,
               (long long)(rows[i].min_minutes / 60),
               (long long)(rows[i].min_minutes % 60 * 100 / 60));
      }
      out = 0;
    }
  } else {
    arena_free(a);
    db_close(d);
    return ag_usage("minimums import FILE.csv oppure minimums list", USAGE);
  }
  arena_free(a);
  db_close(d);
  return out;
}

int cmd_counter(cli_ctx *c) {
  static const cmd_sub subs[] = {{"add", counter_add},     {"hours", counter_hours},
                                 {"close", counter_close}, {"list", counter_list},
                                 {"check", counter_check}, {"minimums", counter_minimums}};
  return cmd_dispatch(c, "counter", USAGE, subs, sizeof subs / sizeof subs[0]);
}
