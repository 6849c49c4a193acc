/* sportello mail mailbox|ingest|poll|quarantine|outbox: mail intake and
 * the outbox from a shell (the worker polls IMAP mailboxes and delivers
 * the outbox on its own; /admin/posta shows the quarantine). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/cmd_common.h"
#include "domain/intake/intake.h"
#include "domain/notify/notify.h"
#include "domain/protocol/protocol.h"
#include "mail/mail.h"

static const char USAGE[] =
    "Uso:\n"
    "  sportello mail mailbox add --ente ENTE --name NOME --kind imap|maildir --url URL\n"
    "                 [--user UTENTE] [--address INDIRIZZO] [--pec] [--processed-folder CARTELLA]\n"
    "  sportello mail mailbox list [--ente ENTE]\n"
    "  sportello mail ingest --ente ENTE --mailbox NOME --maildir CARTELLA\n"
    "  sportello mail poll [--ente ENTE] [--mailbox NOME]\n"
    "  sportello mail quarantine list [--ente ENTE] [--limit N]\n"
    "  sportello mail quarantine release|discard ID\n"
    "  sportello mail messages --ente ENTE [--limit N]\n"
    "  sportello mail outbox --ente ENTE [--limit N]\n"
    "\n"
    "ENTE è lo slug o il codice fiscale dell'Ente.\n"
    "mailbox add   registra una casella: imap://host[:porta]/CARTELLA o imaps://..., oppure il\n"
    "              percorso assoluto di una Maildir. Con --user la password IMAP si legge da\n"
    "              SPORTELLO_PASSWORD o dallo standard input (mai dalla riga di comando).\n"
    "              --address è l'indirizzo della casella, mittente delle ricevute; --pec per una\n"
    "              casella PEC; --processed-folder: cartella IMAP dove spostare i messaggi\n"
    "              acquisiti (altrimenti vengono segnati come letti).\n"
    "ingest        acquisisce i messaggi in CARTELLA/new e li sposta in CARTELLA/cur dopo la\n"
    "              registrazione.\n"
    "poll          legge una volta le caselle IMAP attive.\n"
    "quarantine    i messaggi non leggibili, con il motivo; release li rilegge e li acquisisce\n"
    "              (per esempio dopo aver alzato un limite), discard li scarta (restano annotati).\n"
    "messages      i messaggi acquisiti, con la classificazione.\n"
    "outbox        i messaggi in uscita con lo stato di consegna.\n";

static const char *when(char buf[32], int64_t t) {
  if (!t) return "-";
  time_t tt = (time_t)t;
  struct tm tm;
  gmtime_r(&tt, &tm);
  strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

static int mailbox_add(cli_ctx *c) {
  const char *ente_s = NULL;
  intake_mailbox mb = {0};
  int bad = 0;
  for (int i = 3; i < c->argc && !bad; i++) {
    const char *v;
    if ((v = cmd_opt(c, &i, "--ente", &bad))) ente_s = v;
    else if ((v = cmd_opt(c, &i, "--name", &bad))) mb.name = (char *)v;
    else if ((v = cmd_opt(c, &i, "--kind", &bad))) mb.kind = (char *)v;
    else if ((v = cmd_opt(c, &i, "--url", &bad))) mb.url = (char *)v;
    else if ((v = cmd_opt(c, &i, "--user", &bad))) mb.username = (char *)v;
    else if ((v = cmd_opt(c, &i, "--address", &bad))) mb.address = (char *)v;
    else if ((v = cmd_opt(c, &i, "--processed-folder", &bad))) mb.processed_folder = (char *)v;
    else if (strcmp(c->argv[i], "--pec") == 0) mb.pec = 1;
    else if (!bad) return cmd_bad_option(c, i, USAGE);
  }
  if (bad) return 2;
  if (!ente_s || !mb.name || !mb.kind || !mb.url) {
    fprintf(stderr, "sportello: servono --ente, --name, --kind e --url\n\n%s", USAGE);
    return 2;
  }
  char *pw = NULL;
  if (mb.username && !(pw = cmd_read_password())) return 1;
  mb.password = pw;
  db *d = cli_open_db();
  int rc = 1;
  arena *a = arena_new();
  ente en;
  if (d && cmd_find_ente(d, a, ente_s, &en) == 0) {
    mb.ente_id = en.id;
    problem pb = {0};
    err_code ec = intake_mailbox_add(d, &cmd_cli_actor, &mb, &pb);
    if (ec == ERR_CONFLICT)
      fprintf(stderr, "sportello: l'Ente ha già una casella di nome %s\n", mb.name);
    else if (ec != ERR_OK)
      cmd_report("casella non registrata", ec, &pb);
    else {
      printf("Casella %s registrata per %s.\n", mb.name, en.slug);
      rc = 0;
    }
  }
  cmd_free_password(pw);
  arena_free(a);
  if (d) db_close(d);
  return rc;
}

/* --ente / --mailbox / --limit / --maildir common to the other
 * subcommands; first is the index of the first option. */
typedef struct {
  const char *ente, *mailbox, *maildir;
  int64_t limit;
} opts;

static int parse_opts(cli_ctx *c, int first, opts *o) {
  int bad = 0;
  o->limit = 50;
  for (int i = first; i < c->argc && !bad; i++) {
    const char *v;
    if ((v = cmd_opt(c, &i, "--ente", &bad))) o->ente = v;
    else if ((v = cmd_opt(c, &i, "--mailbox", &bad))) o->mailbox = v;
    else if ((v = cmd_opt(c, &i, "--maildir", &bad))) o->maildir = v;
    else if ((v = cmd_opt(c, &i, "--limit", &bad))) {
      if (cmd_parse_int(v, &o->limit) != 0 || o->limit < 1 || o->limit > 100000) {
        fprintf(stderr, "sportello: --limit deve essere un numero tra 1 e 100000\n");
        return 2;
      }
    } else if (!bad) return cmd_bad_option(c, i, USAGE);
  }
  return bad ? 2 : 0;
}

static int mailbox_list(cli_ctx *c) {
  opts o = {0};
  int r = parse_opts(c, 3, &o);
  if (r) return r;
  db *d = cli_open_db();
  if (!d) return 1;
  arena *a = arena_new();
  ente en = {0};
  int rc = 1;
  intake_mailbox *mbs;
  size_t n;
  if (o.ente && cmd_find_ente(d, a, o.ente, &en) != 0) goto out;
  if (intake_mailbox_list(d, a, en.id, &mbs, &n) != ERR_OK) {
    fputs("sportello: impossibile leggere le caselle\n", stderr);
    goto out;
  }
  for (size_t i = 0; i < n; i++)
    printf("%lld\t%s\t%s\t%s%s\t%s\tuid %lld\n", (long long)mbs[i].ente_id, mbs[i].name,
           mbs[i].kind, mbs[i].url, mbs[i].pec ? " (PEC)" : "",
           mbs[i].address ? mbs[i].address : "-", (long long)mbs[i].last_uid);
  rc = 0;
out:
  arena_free(a);
  db_close(d);
  return rc;
}

static int mailbox_cmd(cli_ctx *c) {
  if (c->argc >= 3 && strcmp(c->argv[2], "add") == 0) return mailbox_add(c);
  if (c->argc >= 3 && strcmp(c->argv[2], "list") == 0) return mailbox_list(c);
  fprintf(stderr, "sportello: uso: mail mailbox add|list\n\n%s", USAGE);
  return 2;
}

static void print_stats(const char *what, const mail_ingest_stats *st) {
  printf("%s: %lld messaggi letti, %lld registrati (%lld automatici), %lld già presenti, "
         "%lld in quarantena, %lld non elaborati.\n",
         what, (long long)st->seen, (long long)st->stored, (long long)st->automatic,
         (long long)st->duplicates, (long long)st->quarantined, (long long)st->failed);
}

static int ingest(cli_ctx *c) {
  opts o = {0};
  int r = parse_opts(c, 2, &o);
  if (r) return r;
  if (!o.ente || !o.mailbox || !o.maildir) {
    fprintf(stderr, "sportello: servono --ente, --mailbox e --maildir\n\n%s", USAGE);
    return 2;
  }
  db *d = cli_open_db();
  if (!d) return 1;
  arena *a = arena_new();
  ente en;
  intake_mailbox mb;
  int rc = 1;
  if (cmd_find_ente(d, a, o.ente, &en) != 0) goto out;
  if (intake_mailbox_find(d, a, en.id, o.mailbox, &mb) != ERR_OK) {
    fprintf(stderr, "sportello: casella inesistente: %s\n", o.mailbox);
    goto out;
  }
  mail_ingest_stats st = {0};
  err_code ec = mail_ingest_maildir(d, &mb, o.maildir, &st);
  if (ec == ERR_NOT_FOUND) {
    fprintf(stderr, "sportello: %s/new non esiste o non è leggibile\n", o.maildir);
    goto out;
  }
  print_stats("Acquisizione", &st);
  if (ec != ERR_OK) {
    cmd_report("acquisizione interrotta", ec, NULL);
    goto out;
  }
  rc = 0;
out:
  arena_free(a);
  db_close(d);
  return rc;
}

static int poll_cmd(cli_ctx *c) {
  opts o = {0};
  int r = parse_opts(c, 2, &o);
  if (r) return r;
  db *d = cli_open_db();
  if (!d) return 1;
  arena *a = arena_new();
  ente en = {0};
  int rc = 1;
  intake_mailbox *mbs;
  size_t n;
  if (o.ente && cmd_find_ente(d, a, o.ente, &en) != 0) goto out;
  if (intake_mailbox_list(d, a, en.id, &mbs, &n) != ERR_OK) goto out;
  rc = 0;
  for (size_t i = 0; i < n; i++) {
    if (strcmp(mbs[i].kind, "imap") != 0) continue;
    if (o.mailbox && strcmp(o.mailbox, mbs[i].name) != 0) continue;
    mail_ingest_stats st = {0};
    char err[512] = "";
    err_code ec = mail_poll_imap(d, &mbs[i], &st, err, sizeof err);
    print_stats(mbs[i].name, &st);
    if (ec != ERR_OK) {
      fprintf(stderr, "sportello: casella %s: %s\n", mbs[i].name, err);
      rc = 1;
    }
  }
out:
  arena_free(a);
  db_close(d);
  return rc;
}

/* mail quarantine release|discard ID */
static int quarantine_decide(cli_ctx *c, int release) {
  int64_t id = 0;
  if (c->argc != 4 || cmd_parse_int(c->argv[3], &id) != 0 || id < 1) {
    fprintf(stderr, "sportello: uso: mail quarantine release|discard ID\n\n%s", USAGE);
    return 2;
  }
  db *d = cli_open_db();
  if (!d) return 1;
  arena *a = arena_new();
  int rc = 1;
  if (release) {
    intake_result res;
    const char *why = NULL;
    err_code ec = mail_release(d, a, &cmd_cli_actor, id, &res, &why);
    if (ec == ERR_OK) {
      printf("Messaggio %lld acquisito%s", (long long)id, res.duplicate ? " (già presente)" : "");
      if (res.protocol_number)
        printf(": protocollo %s", protocol_label(a, res.protocol_number, res.protocol_year));
      printf(".\n");
      rc = 0;
    } else if (why) {
      fprintf(stderr, "sportello: %s\n", why);
    } else {
      cmd_report("messaggio non acquisito", ec, NULL);
    }
  } else {
    err_code ec = intake_quarantine_discard(d, &cmd_cli_actor, id);
    if (ec == ERR_OK) {
      printf("Messaggio %lld scartato.\n", (long long)id);
      rc = 0;
    } else if (ec == ERR_CONFLICT) {
      fprintf(stderr, "sportello: il messaggio %lld non è più in quarantena\n", (long long)id);
    } else {
      cmd_report("messaggio non scartato", ec, NULL);
    }
  }
  arena_free(a);
  db_close(d);
  return rc;
}

static int quarantine(cli_ctx *c) {
  if (c->argc >= 3 && strcmp(c->argv[2], "release") == 0) return quarantine_decide(c, 1);
  if (c->argc >= 3 && strcmp(c->argv[2], "discard") == 0) return quarantine_decide(c, 0);
  if (c->argc < 3 || strcmp(c->argv[2], "list") != 0) {
    fprintf(stderr, "sportello: uso: mail quarantine list|release|discard\n\n%s", USAGE);
    return 2;
  }
  opts o = {0};
  int r = parse_opts(c, 3, &o);
  if (r) return r;
  db *d = cli_open_db();
  if (!d) return 1;
  arena *a = arena_new();
  ente en = {0};
  int rc = 1;
  intake_quarantined *q;
  size_t n;
  if (o.ente && cmd_find_ente(d, a, o.ente, &en) != 0) goto out;
  if (intake_quarantine_list(d, a, en.id, (int)o.limit, &q, &n) != ERR_OK) goto out;
  printf("id\tente\tcasella\tquando\torigine\tbyte\tmotivo\n");
  for (size_t i = 0; i < n; i++) {
    char b[32];
    printf("%lld\t%s\t%s\t%s\t%s\t%lld\t%s\n", (long long)q[i].id, q[i].ente_slug, q[i].mailbox,
           when(b, q[i].created_at), q[i].source_ref, (long long)q[i].size, q[i].reason);
  }
  rc = 0;
out:
  arena_free(a);
  db_close(d);
  return rc;
}

static int messages(cli_ctx *c) {
  opts o = {0};
  int r = parse_opts(c, 2, &o);
  if (r) return r;
  if (!o.ente) {
    fprintf(stderr, "sportello: serve --ente\n\n%s", USAGE);
    return 2;
  }
  db *d = cli_open_db();
  if (!d) return 1;
  arena *a = arena_new();
  ente en;
  int rc = 1;
  intake_stored *m;
  size_t n;
  if (cmd_find_ente(d, a, o.ente, &en) != 0) goto out;
  if (intake_message_list(d, a, en.id, (int)o.limit, &m, &n) != ERR_OK) goto out;
  printf("id\tkind\tauto\tstate\tprotocol_entry\toutbox\treply_to\tfrom\tmessage_id\tsubject\n");
  for (size_t i = 0; i < n; i++)
    printf("%lld\t%s\t%s\t%s\t%lld\t%lld\t%lld\t%s\t%s\t%s\n", (long long)m[i].id, m[i].kind,
           m[i].auto_reason ? m[i].auto_reason : "-", m[i].state,
           (long long)m[i].protocol_entry_id, (long long)m[i].outbox_id,
           (long long)m[i].reply_to_message, m[i].from_addr ? m[i].from_addr : "-",
           m[i].message_id, m[i].subject ? m[i].subject : "");
  rc = 0;
out:
  arena_free(a);
  db_close(d);
  return rc;
}

static int outbox(cli_ctx *c) {
  opts o = {0};
  int r = parse_opts(c, 2, &o);
  if (r) return r;
  if (!o.ente) {
    fprintf(stderr, "sportello: serve --ente\n\n%s", USAGE);
    return 2;
  }
  db *d = cli_open_db();
  if (!d) return 1;
  arena *a = arena_new();
  ente en;
  int rc = 1;
  notify_mail *m;
  size_t n;
  if (cmd_find_ente(d, a, o.ente, &en) != 0) goto out;
  if (notify_list(d, a, en.id, (int)o.limit, &m, &n) != ERR_OK) goto out;
  printf("id\tstate\tattempts\tsent_at\tto\tmessage_id\tsubject\tlast_error\tdelivery\n");
  for (size_t i = 0; i < n; i++) {
    char b[32];
    printf("%lld\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n", (long long)m[i].id, m[i].state, m[i].attempts,
           when(b, m[i].sent_at), m[i].to, m[i].message_id, m[i].subject,
           m[i].last_error ? m[i].last_error : "-", m[i].delivery ? m[i].delivery : "-");
  }
  rc = 0;
out:
  arena_free(a);
  db_close(d);
  return rc;
}

int cmd_mail(cli_ctx *c) {
  static const cmd_sub subs[] = {{"mailbox", mailbox_cmd}, {"ingest", ingest},
                                 {"poll", poll_cmd},       {"quarantine", quarantine},
                                 {"messages", messages},   {"outbox", outbox}};
  return cmd_dispatch(c, "mail", USAGE, subs, sizeof subs / sizeof subs[0]);
}
