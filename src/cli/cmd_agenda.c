/* sportello agenda open|topic|slots|list: the bookable availability of a
 * counter for a topic, topics, the free slots and the day's appointments
 * (the office pages and the public site use the same domain functions). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_agenda_opts.h"
#include "cli/cmd_common.h"
#include "core/clock.h"
#include "domain/agenda/agenda.h"

static const char USAGE[] =
    "Uso:\n"
    "  sportello agenda topic add --ente ENTE --code CODICE --name NOME\n"
    "  sportello agenda open --ente ENTE --counter ID --topic CODICE --slot-minutes N\n"
    "                        [--capacity N] [--buffer-minutes N] [--horizon-days N]\n"
    "                        [--notice-minutes N] [--video] [--topic-name NOME]\n"
    "  sportello agenda slots --ente ENTE --topic CODICE [--from AAAA-MM-GG] [--to AAAA-MM-GG]\n"
    "  sportello agenda list --ente ENTE [--date AAAA-MM-GG]\n"
    "\n"
    "ENTE è lo slug o il codice fiscale dell'Ente.\n"
    "open   rende prenotabili per l'argomento gli orari di apertura dello sportello: durata\n"
    "       dell'appuntamento, pausa tra due appuntamenti (0), posti per orario (1), giorni\n"
    "       prenotabili in anticipo (30), preavviso minimo in minuti (60); --video per gli\n"
    "       appuntamenti in videochiamata. L'argomento si crea se non esiste (--topic-name).\n"
    "       Festivi e chiusure tolgono gli orari. Ripetuto, aggiorna le regole.\n"
    "slots  gli orari liberi (e pieni) dell'argomento, ora locale di Roma.\n"
    "list   gli appuntamenti del giorno (oggi se non indicato).\n";

int ag_usage(const char *msg, const char *usage) {
  fprintf(stderr, "sportello: %s\n\n%s", msg, usage);
  return 2;
}

int ag_opts_flags(cli_ctx *c, int from, const char *const *names, const char **vals,
                  const char *const *flag_names, int *flag_vals, const char *usage) {
  for (int i = from; i < c->argc; i++) {
    int bad = 0, hit = 0;
    for (int k = 0; flag_names && flag_names[k] && !hit; k++)
      if (strcmp(c->argv[i], flag_names[k]) == 0) {
        flag_vals[k] = 1;
        hit = 1;
      }
    for (int k = 0; names[k] && !hit && !bad; k++) {
      const char *v = cmd_opt(c, &i, names[k], &bad);
      if (v) {
        vals[k] = v;
        hit = 1;
      }
    }
    if (bad) return 2;
    if (!hit) return cmd_bad_option(c, i, usage);
  }
  return 0;
}

int ag_opts(cli_ctx *c, int from, const char *const *names, const char **vals, int *unused,
            const char *usage) {
  (void)unused;
  return ag_opts_flags(c, from, names, vals, NULL, NULL, usage);
}

int ag_cli_begin(ag_cli *s, const char *ente_ref) {
  s->d = cli_open_db();
  if (!s->d) return 1;
  s->a = arena_new();
  if (cmd_find_ente(s->d, s->a, ente_ref, &s->e) != 0) {
    arena_free(s->a);
    db_close(s->d);
    return 1;
  }
  return 0;
}

int ag_cli_end(ag_cli *s, int status) {
  arena_free(s->a);
  db_close(s->d);
  return status;
}

char *ag_read_text_file(arena *a, const char *path, size_t max) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "sportello: impossibile leggere %s\n", path);
    return NULL;
  }
  char *buf = arena_alloc(a, max + 1);
  size_t n = fread(buf, 1, max + 1, f);
  fclose(f);
  if (n > max) {
    fprintf(stderr, "sportello: %s è troppo grande\n", path);
    return NULL;
  }
  buf[n] = 0;
  return buf;
}

static int int_opt(const char *v, int64_t dflt, int64_t *out) {
  if (!v) {
    *out = dflt;
    return 0;
  }
  return cmd_parse_int(v, out);
}

static int agenda_topic(cli_ctx *c) {
  if (c->argc < 3 || strcmp(c->argv[2], "add") != 0)
    return ag_usage("topic add --ente ENTE --code CODICE --name NOME", USAGE);
  const char *o[4] = {0};
  static const char *const names[] = {"--ente", "--code", "--name", NULL};
  int u = ag_opts(c, 3, names, o, NULL, USAGE);
  if (u) return u;
  if (!o[0] || !o[1] || !o[2]) return ag_usage("servono --ente, --code e --name", USAGE);
  ag_cli s;
  if (ag_cli_begin(&s, o[0]) != 0) return 1;
  int64_t id;
  problem pb = {0};
  err_code rc = agenda_topic_add(s.d, &cmd_cli_actor, s.e.id, o[1], o[2], &id, &pb);
  if (rc == ERR_OK) printf("%lld\n", (long long)id);
  else cmd_report("argomento non creato", rc, &pb);
  return ag_cli_end(&s, rc == ERR_OK ? 0 : 1);
}

static int agenda_open_cmd(cli_ctx *c) {
  const char *o[10] = {0};
  static const char *const names[] = {"--ente",     "--counter",        "--topic",
                                      "--slot-minutes", "--capacity",   "--buffer-minutes",
                                      "--horizon-days", "--notice-minutes", "--topic-name", NULL};
  static const char *const flags[] = {"--video", NULL};
  int video = 0;
  int u = ag_opts_flags(c, 2, names, o, flags, &video, USAGE);
  if (u) return u;
  if (!o[0] || !o[1] || !o[2] || !o[3])
    return ag_usage("servono --ente, --counter, --topic e --slot-minutes", USAGE);
  int64_t counter, slot, cap, buf, hor, notice;
  if (cmd_parse_int(o[1], &counter) != 0 || counter < 1 || cmd_parse_int(o[3], &slot) != 0 ||
      int_opt(o[4], 1, &cap) != 0 || int_opt(o[5], 0, &buf) != 0 || int_opt(o[6], 30, &hor) != 0 ||
      int_opt(o[7], 60, &notice) != 0 || slot > 100000 || cap > 100000 || buf > 100000 ||
      hor > 100000 || notice > 100000)
    return ag_usage("--counter, --slot-minutes, --capacity, --buffer-minutes, --horizon-days e "
                    "--notice-minutes sono numeri interi",
                    USAGE);
  ag_cli s;
  if (ag_cli_begin(&s, o[0]) != 0) return 1;
  problem pb = {0};
  ag_topic t;
  err_code rc = agenda_topic_by_code(s.d, s.a, s.e.id, o[2], &t);
  if (rc == ERR_NOT_FOUND) {
    rc = agenda_topic_add(s.d, &cmd_cli_actor, s.e.id, o[2], o[8] ? o[8] : o[2], &t.id, &pb);
    if (rc == ERR_OK) printf("Argomento %s creato.\n", o[2]);
  }
  if (rc != ERR_OK) {
    cmd_report("argomento non disponibile", rc, &pb);
    return ag_cli_end(&s, 1);
  }
  ag_avail av = {.counter_id = counter, .topic_id = t.id, .video = video,
                 .slot_minutes = (int)slot, .buffer_minutes = (int)buf, .capacity = (int)cap,
                 .horizon_days = (int)hor, .notice_minutes = (int)notice};
  rc = agenda_open(s.d, &cmd_cli_actor, s.e.id, &av, &pb);
  if (rc == ERR_OK)
    printf("Agenda aperta (%lld): sportello %lld, argomento %s%s, %lld minuti.\n",
           (long long)av.id, (long long)counter, o[2], video ? " in videochiamata" : "",
           (long long)slot);
  else cmd_report("agenda non aperta", rc, &pb);
  return ag_cli_end(&s, rc == ERR_OK ? 0 : 1);
}

static int agenda_slots_cmd(cli_ctx *c) {
  const char *o[5] = {0};
  static const char *const names[] = {"--ente", "--topic", "--from", "--to", NULL};
  int u = ag_opts(c, 2, names, o, NULL, USAGE);
  if (u) return u;
  if (!o[0] || !o[1]) return ag_usage("servono --ente e --topic", USAGE);
  civil_date from = date_today_rome(clock_now()), to;
  if (o[2] && date_parse_iso(o[2], &from) != 0) return ag_usage("--from non valida", USAGE);
  to = date_add_days(from, 6);
  if (o[3] && date_parse_iso(o[3], &to) != 0) return ag_usage("--to non valida", USAGE);
  ag_cli s;
  if (ag_cli_begin(&s, o[0]) != 0) return 1;
  ag_topic t;
  ag_slot *sl;
  size_t n = 0;
  err_code rc = agenda_topic_by_code(s.d, s.a, s.e.id, o[1], &t);
  if (rc == ERR_OK) {
    ag_slot_query q = {t.id, 0, -1, from, to, clock_now(), 0};
    rc = agenda_slots(s.d, s.a, &s.e, &q, &sl, &n);
  }
  if (rc != ERR_OK) {
    cmd_report("orari non disponibili", rc, NULL);
    return ag_cli_end(&s, 1);
  }
  for (size_t i = 0; i < n; i++) {
    char when[20];
    ag_local_iso_format(sl[i].start, when);
    printf("%s\tsportello %lld%s\t%d/%d liberi\n", when, (long long)sl[i].counter_id,
           sl[i].video ? " (video)" : "", sl[i].available, sl[i].capacity);
  }
  return ag_cli_end(&s, 0);
}

static int agenda_list_cmd(cli_ctx *c) {
  const char *o[3] = {0};
  static const char *const names[] = {"--ente", "--date", NULL};
  int u = ag_opts(c, 2, names, o, NULL, USAGE);
  if (u) return u;
  if (!o[0]) return ag_usage("serve --ente", USAGE);
  civil_date day = date_today_rome(clock_now());
  if (o[1] && date_parse_iso(o[1], &day) != 0) return ag_usage("--date non valida", USAGE);
  ag_cli s;
  if (ag_cli_begin(&s, o[0]) != 0) return 1;
  ag_appt *ap;
  size_t n;
  err_code rc = agenda_appts(s.d, s.a, s.e.id, 0, ag_local_to_utc(day, 0),
                             ag_local_to_utc(date_add_days(day, 1), 0), &ap, &n);
  if (rc != ERR_OK) {
    cmd_report("appuntamenti non disponibili", rc, NULL);
    return ag_cli_end(&s, 1);
  }
  for (size_t i = 0; i < n; i++) {
    char when[20];
    ag_local_iso_format(ap[i].start, when);
    printf("%lld\t%s\t%s\t%s\t%s\t%s\n", (long long)ap[i].id, when, ap[i].counter_name,
           ap[i].topic_code, ap[i].name, ag_state_label_it(ap[i].state));
  }
  return ag_cli_end(&s, 0);
}

int cmd_agenda(cli_ctx *c) {
  static const cmd_sub subs[] = {{"topic", agenda_topic},
                                 {"open", agenda_open_cmd},
                                 {"slots", agenda_slots_cmd},
                                 {"list", agenda_list_cmd}};
  return cmd_dispatch(c, "agenda", USAGE, subs, sizeof subs / sizeof subs[0]);
}
