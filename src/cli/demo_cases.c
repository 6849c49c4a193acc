/* The cases part of `sportello demo-data`: which offices serve which Ente,
 * a few routing rules and a category override, and about twenty cases per
 * Comune in every state (some urgent, some overdue), opened on earlier
 * days (the clock is moved back with SPORTELLO_TEST_NOW while they are
 * created, oldest first, so protocol numbers follow time) and worked by
 * the demo manager and operator through the domain functions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd_common.h"
#include "cli/demo_cases.h"
#include "core/clock.h"
#include "domain/cases/cases.h"

typedef enum { D_NEW, D_ASSIGNED, D_PROGRESS, D_WAITING, D_CLOSED } demo_state;

static const struct {
  int ente;       /* index in the demo Enti */
  int days_ago;
  const char *channel, *category, *subject, *name, *email, *phone;
  demo_state state;
  const char *outcome;
} CASES[] = {
    {0, 24, "email", "osp_nuova", "Richiesta occupazione suolo pubblico per dehors", "Bar Centrale",
     "bar.centrale@example.org", NULL, D_CLOSED, "accepted"},
    {0, 22, "pec", "rimborso", "Rimborso TARI 2025 versata due volte", "Luca Ferri",
     "luca.ferri@example.net", NULL, D_CLOSED, "rejected"},
    {0, 20, "counter", "informazioni", "Informazioni sulle scadenze IMU", "Anna Conti", NULL,
     "+39 333 1234567", D_CLOSED, "archived"},
    {1, 19, "email", "rateizzazione", "Rateizzazione avviso di accertamento IMU", "Paolo Greco",
     "paolo.greco@example.com", NULL, D_NEW, NULL},
    {0, 18, "email", "sgravio", "Sgravio cartella per immobile venduto", "Maria Rinaldi",
     "maria.rinaldi@example.org", NULL, D_CLOSED, "forwarded"},
    {0, 14, "email", "osp_cessazione", "Cessazione occupazione suolo pubblico via Roma",
     "Ferramenta Gatti", "ferramenta.gatti@example.org", NULL, D_WAITING, NULL},
    {1, 13, "phone", "informazioni", "Orari dello sportello", "Sara Villa", NULL, "+39 347 7654321",
     D_NEW, NULL},
    {0, 12, "email", "osp_variazione", "Variazione superficie occupata mercato settimanale",
     "Giorgio Sala", "giorgio.sala@example.com", NULL, D_PROGRESS, NULL},
    {0, 10, "ente", "osp_nuova", "Nuova occupazione per cantiere edile via Garibaldi",
     "Ufficio tecnico - Comune di Borgo Fittizio", "ufficio.tecnico@borgo-fittizio.example.org",
     NULL, D_ASSIGNED, NULL},
    {1, 9, "pec", "annullamento", "Annullamento in autotutela avviso TARI", "Studio Marini",
     "studio.marini@example.net", NULL, D_NEW, NULL},
    {0, 8, "email", "ravvedimento", "Calcolo ravvedimento operoso IMU acconto", "Elisa Moretti",
     "elisa.moretti@example.org", NULL, D_CLOSED, "accepted"},
    {0, 7, "counter", "rateizzazione", "Rateizzazione ingiunzione di pagamento", "Marco Barbieri",
     "marco.barbieri@example.com", "+39 320 1112233", D_PROGRESS, NULL},
    {1, 6, "email", "rimborso", "Rimborso canone unico non dovuto", "Chiara Fontana",
     "chiara.fontana@example.org", NULL, D_NEW, NULL},
    {0, 5, "email", "informazioni", "URGENTE: avviso di pagamento non ricevuto", "Davide Leone",
     "davide.leone@example.net", NULL, D_NEW, NULL},
    {0, 4, "pec", "sgravio", "Sgravio parziale TARI per riduzione superficie", "Edil Costa S.r.l.",
     "edilcosta@example.org", NULL, D_WAITING, NULL},
    {1, 4, "email", "osp_nuova", "Occupazione suolo pubblico per evento in piazza",
     "Associazione Pro Loco", "proloco@example.org", NULL, D_NEW, NULL},
    {0, 3, "email", "osp_variazione", "URGENTE variazione intestazione concessione",
     "Pizzeria Da Mario", "pizzeria.damario@example.com", NULL, D_ASSIGNED, NULL},
    {0, 2, "phone", "informazioni", "Richiesta copia avviso TARI", "Teresa Galli", NULL,
     "+39 331 9876543", D_PROGRESS, NULL},
    {1, 2, "pec", "rateizzazione", "Piano di rateizzazione avviso IMU 2024", "Roberto Parisi",
     "roberto.parisi@example.net", NULL, D_NEW, NULL},
    {0, 1, "email", "annullamento", "Annullamento avviso per doppia intestazione",
     "Federica Serra", "federica.serra@example.org", NULL, D_NEW, NULL},
    {0, 1, "email", "rimborso", "Rimborso versamento errato codice tributo", "Simone Fabbri",
     "simone.fabbri@example.com", NULL, D_ASSIGNED, NULL},
    {0, 0, "counter", "osp_cessazione", "Cessazione passo carrabile", "Irene Monti",
     "irene.monti@example.org", NULL, D_NEW, NULL},
    {1, 0, "email", "informazioni", "Informazioni su agevolazioni TARI", "Gabriele Marchetti",
     "gabriele.marchetti@example.com", NULL, D_NEW, NULL},
};
enum { N_CASES = sizeof CASES / sizeof CASES[0] };

static int fail(const char *what, err_code rc, const problem *pb) {
  cmd_report(what, rc, pb);
  return 1;
}

static void set_now(int64_t t) {
  char buf[24];
  snprintf(buf, sizeof buf, "%lld", (long long)t);
  setenv("SPORTELLO_TEST_NOW", buf, 1);
}

static int work(db *d, arena *a, const case_rec *c, int i, const case_actor *mgr,
                const case_actor *op) {
  problem pb = {0};
  err_code rc = ERR_OK;
  demo_state s = CASES[i].state;
  if (s == D_NEW || c->office_id != mgr->u->office_id) return 0;
  if (s == D_ASSIGNED || s == D_PROGRESS || s == D_WAITING || s == D_CLOSED)
    rc = cases_assign(d, a, mgr, c->ente_id, c->id, op->u->id, "Assegnata dal gestore", &pb);
  if (rc == ERR_OK && s != D_ASSIGNED) rc = cases_take(d, a, op, c->ente_id, c->id);
  if (rc == ERR_OK && s == D_WAITING && (c->requester_email || c->requester_pec))
    rc = cases_reply(d, a, op, c->ente_id, c->id,
                     "Buongiorno, per completare la pratica ci invii la documentazione "
                     "fotografica e copia del documento d'identità.",
                     1, &pb);
  if (rc == ERR_OK && s == D_CLOSED)
    rc = cases_close(d, a, op, c->ente_id, c->id, CASES[i].outcome,
                     "La ringraziamo per la segnalazione.", &pb);
  return rc == ERR_OK ? 0 : fail("pratica dimostrativa non lavorata", rc, &pb);
}

int demo_cases(db *d, const int64_t *ente_ids, const int64_t *office_ids, const char *manager,
               const char *operator_name) {
  arena *a = arena_new();
  int bad = 0;
  err_code rc;
  problem pb = {0};
  /* NORD-01 serves both Comuni, SUD-01 Valle Immaginaria */
  if ((rc = cases_office_serve(d, &cmd_cli_actor, office_ids[0], ente_ids[0], 1)) != ERR_OK ||
      (rc = cases_office_serve(d, &cmd_cli_actor, office_ids[0], ente_ids[1], 1)) != ERR_OK ||
      (rc = cases_office_serve(d, &cmd_cli_actor, office_ids[1], ente_ids[1], 1)) != ERR_OK)
    bad = fail("uffici dimostrativi", rc, NULL);
  case_rule r1 = {.ente_id = ente_ids[0], .category_code = "osp_nuova", .office_id = office_ids[0],
                  .position = 10};
  case_rule r2 = {.ente_id = ente_ids[1], .category_code = "rateizzazione",
                  .office_id = office_ids[1], .position = 10};
  if (!bad && ((rc = cases_rule_add(d, &cmd_cli_actor, &r1, &pb)) != ERR_OK ||
               (rc = cases_rule_add(d, &cmd_cli_actor, &r2, &pb)) != ERR_OK))
    bad = fail("regole dimostrative", rc, &pb);
  case_category over = {"rimborso", "Rimborso o compensazione", 20, 1, 1};
  if (!bad && (rc = cases_category_set(d, &cmd_cli_actor, ente_ids[0], &over, &pb)) != ERR_OK)
    bad = fail("categoria dimostrativa", rc, &pb);
  user mu, ou;
  if (!bad && (user_by_username(d, a, manager, &mu) != ERR_OK ||
               user_by_username(d, a, operator_name, &ou) != ERR_OK))
    bad = fail("utenti dimostrativi", ERR_NOT_FOUND, NULL);
  case_actor mgr = {{"user", mu.id}, &mu}, op = {{"user", ou.id}, &ou};
  const char *saved = getenv("SPORTELLO_TEST_NOW");
  char *saved_copy = saved ? strdup(saved) : NULL;
  int64_t base = clock_now();
  for (int i = 0; !bad && i < N_CASES; i++) {
    /* oldest first, a minute apart within a day */
    set_now(base - (int64_t)CASES[i].days_ago * 86400 - 60 * (int64_t)(N_CASES - i));
    case_input in = {.ente_id = ente_ids[CASES[i].ente], .channel = CASES[i].channel,
                     .category_code = CASES[i].category, .subject = CASES[i].subject,
                     .description = "Richiesta dimostrativa: testo inviato dal richiedente.",
                     .requester_name = CASES[i].name, .requester_email = CASES[i].email,
                     .requester_phone = CASES[i].phone,
                     .requester_kind = strcmp(CASES[i].channel, "ente") == 0 ? "ente_office" : NULL,
                     .ack = 1};
    case_rec c;
    if ((rc = cases_open(d, a, &cmd_cli_actor, &in, &c, &pb)) != ERR_OK)
      bad = fail("pratica dimostrativa non creata", rc, &pb);
    else
      bad = work(d, a, &c, i, &mgr, &op);
  }
  if (saved_copy) setenv("SPORTELLO_TEST_NOW", saved_copy, 1);
  else unsetenv("SPORTELLO_TEST_NOW");
  free(saved_copy);
  arena_free(a);
  return bad;
}
