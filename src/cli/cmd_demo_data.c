/* sportello demo-data: a fictional concessionaire with two fictional
 * Comuni, regions, offices, one user per role and N taxpayers with valid
 * codici fiscali / partite IVA, addresses and contacts. Everything comes
 * from a fixed-seed PRNG, so every run on an empty database produces the
 * same data and tests can rely on it. The debt part (revenue types, acts
 * in every state, payments) is in cmd_demo_debt.c. Taxpayers go in through
 * taxpayer_insert_batch: one transaction and one "demo.import" audit row
 * per 1,000 rows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli/cli.h"
#include "cli/cmd_common.h"
#include "cli/cmd_demo.h"
#include "cli/demo_cases.h"
#include "cli/demo_services.h"
#include "core/arena.h"
#include "core/date.h"
#include "domain/ente/ente.h"
#include "domain/taxpayer/taxpayer.h"

enum { BATCH = 1000, MAX_TAXPAYERS = 1000000, DEFAULT_TAXPAYERS = 300 };
#define DEMO_PASSWORD "demo-password-2026"
#define SEED 0x5350524E47323032ull /* "SPRNG202" */

static const char USAGE[] =
    "Uso: sportello demo-data [--taxpayers N] [--no-cases]\n"
    "\n"
    "Crea in un database vuoto i dati dimostrativi: due Comuni fittizi (Borgo\n"
    "Fittizio, 3.800 abitanti, e Valle Immaginaria, 48.000 abitanti), le regioni\n"
    "Nord e Sud con un ufficio ciascuna, un utente per ogni ruolo (password\n"
    "" DEMO_PASSWORD
    ") e N contribuenti (predefinito 300) con codici fiscali\n"
    "validi, indirizzi e recapiti con consenso; per ogni Comune le entrate (IMU,\n"
    "TARI con TEFA, canone unico, multe, diritti) e atti in tutti gli stati, con\n"
    "rate, pagamenti, sgravi, un piano rateale e un rimborso. I dati sono sempre gli stessi\n"
    "(generatore con seme fisso). Rifiuta di procedere se i dati dimostrativi\n"
    "sono già presenti. Applica prima le migrazioni in sospeso.\n"
    "Crea anche gli uffici che servono ciascun Comune, alcune regole di smistamento e\n"
    "una ventina di pratiche in ogni stato (--no-cases per non crearle).\n";

/* ---- deterministic generator ---- */

typedef struct {
  uint64_t s;
} rng;

/* splitmix64: tiny, fast and with a fixed sequence on every platform. */
static uint64_t rnd(rng *r) {
  uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static unsigned below(rng *r, unsigned n) { return (unsigned)(rnd(r) % n); }

#define PICK(r, arr) (arr[below((r), sizeof(arr) / sizeof(arr[0]))])

static const char *const SURNAMES[] = {
    "Rossi",     "Russo",   "Ferrari",   "Esposito",   "Bianchi",    "Romano",     "Colombo",
    "Ricci",     "Marino",  "Greco",     "Bruno",      "Gallo",      "Conti",      "De Luca",
    "Mancini",   "Costa",   "Giordano",  "Rizzo",      "Lombardi",   "Moretti",    "Barbieri",
    "Fontana",   "Santoro", "Mariani",   "Rinaldi",    "Caruso",     "Ferrara",    "Galli",
    "Martini",   "Leone",   "Longo",     "Gentile",    "Martinelli", "Vitale",     "Lombardo",
    "Serra",     "Coppola", "De Santis", "D'Angelo",   "Marchetti",  "Parisi",     "Villa",
    "Conte",     "Ferraro", "Ferri",     "Fabbri",     "Bianco",     "Marini",     "Grasso",
    "Valentini", "Messina", "Sala",      "De Angelis", "Gatti",      "Pellegrini", "Palumbo",
    "Sanna",     "Farina",  "Rizzi",     "Monti"};
static const char *const MALE[] = {
    "Marco",      "Giuseppe", "Giovanni", "Antonio",  "Mario",    "Luigi",   "Francesco",
    "Alessandro", "Andrea",   "Luca",     "Stefano",  "Roberto",  "Paolo",   "Davide",
    "Matteo",     "Simone",   "Lorenzo",  "Riccardo", "Nicolò",   "Pietro",  "Salvatore",
    "Vincenzo",   "Fabio",    "Massimo",  "Claudio",  "Domenico", "Enrico",  "Gabriele",
    "Tommaso",    "Filippo",  "Emanuele", "Carlo",    "Sergio",   "Daniele", "Michele",
    "Alberto",    "Giorgio",  "Raffaele", "Bruno",    "Franco"};
static const char *const FEMALE[] = {
    "Maria",     "Anna",     "Giulia",     "Francesca", "Chiara", "Sara",    "Laura",
    "Valentina", "Elena",    "Alessandra", "Federica",  "Silvia", "Martina", "Paola",
    "Roberta",   "Giovanna", "Rosa",       "Angela",    "Lucia",  "Simona",  "Cristina",
    "Elisa",     "Barbara",  "Monica",     "Daniela",   "Teresa", "Carla",   "Giorgia",
    "Ilaria",    "Beatrice", "Caterina",   "Marta",     "Alice",  "Aurora",  "Sofia",
    "Emma",      "Noemi",    "Irene",      "Serena",    "Michela"};
static const struct {
  const char *city, *belfiore, *province, *cap;
} PLACES[] = {{"Roma", "H501", "RM", "00184"},    {"Milano", "F205", "MI", "20121"},
              {"Napoli", "F839", "NA", "80133"},  {"Torino", "L219", "TO", "10121"},
              {"Palermo", "G273", "PA", "90133"}, {"Genova", "D969", "GE", "16121"},
              {"Bologna", "A944", "BO", "40121"}, {"Firenze", "D612", "FI", "50122"},
              {"Bari", "A662", "BA", "70121"},    {"Catania", "C351", "CT", "95121"},
              {"Venezia", "L736", "VE", "30121"}, {"Verona", "L781", "VR", "37121"},
              {"Padova", "G224", "PD", "35121"},  {"Trieste", "L424", "TS", "34121"},
              {"Brescia", "B157", "BS", "25121"}, {"Parma", "G337", "PR", "43121"},
              {"Perugia", "G478", "PG", "06121"}, {"Cagliari", "B354", "CA", "09124"},
              {"Pescara", "G482", "PE", "65121"}, {"Ancona", "A271", "AN", "60121"}};
static const char *const STREETS[] = {"Via Roma",
                                      "Via Garibaldi",
                                      "Corso Vittorio Emanuele II",
                                      "Piazza della Repubblica",
                                      "Via Mazzini",
                                      "Via Cavour",
                                      "Via XX Settembre",
                                      "Via Dante Alighieri",
                                      "Via Verdi",
                                      "Via dei Mille",
                                      "Viale Europa",
                                      "Via San Francesco",
                                      "Via delle Rose",
                                      "Via del Mulino",
                                      "Via della Stazione",
                                      "Via dei Castagni",
                                      "Via Fontana Vecchia",
                                      "Largo dei Tigli",
                                      "Via del Borgo",
                                      "Via della Valle"};
static const char *const ACTIVITIES[] = {"Costruzioni", "Impianti",    "Trasporti", "Alimentari",
                                         "Servizi",     "Immobiliare", "Agricola",  "Ristorazione",
                                         "Tessile",     "Elettronica"};
static const char *const FORMS[] = {"S.r.l.", "S.p.A.", "S.n.c.", "S.a.s.", "S.r.l.s."};
static const char *const MAIL_DOMAINS[] = {"example.org", "example.com", "example.net"};

/* ---- Italian codes ---- */

/* Completes 10 digits with the partita IVA (Luhn) check digit. */
static void piva_complete(const char ten[10], char out[12]) {
  int sum = 0;
  for (int i = 0; i < 10; i++) {
    int v = ten[i] - '0';
    if (i % 2 == 1) v = v * 2 > 9 ? v * 2 - 9 : v * 2;
    sum += v;
    out[i] = ten[i];
  }
  out[10] = (char)('0' + (10 - sum % 10) % 10);
  out[11] = 0;
}

/* Three letters for a surname (is_given 0) or a given name (1). */
static void cf_name_part(const char *name, int is_given, char out[3]) {
  char cons[64], vow[64];
  size_t nc = 0, nv = 0;
  for (const unsigned char *p = (const unsigned char *)name; *p && nc < 63 && nv < 63; p++) {
    char ch = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
    if (*p == 0xC3 && p[1]) { /* ò, è, à... only in given names here: a vowel */
      vow[nv++] = "AAAAAAACEEEEIIIIDNOOOOO*OUUUUY*SAAAAAAACEEEEIIIIDNOOOOO*OUUUUY*Y"[p[1] - 0x80];
      p++;
      continue;
    }
    if (ch < 'A' || ch > 'Z') continue;
    if (strchr("AEIOU", ch))
      vow[nv++] = ch;
    else
      cons[nc++] = ch;
  }
  if (is_given && nc >= 4) {
    out[0] = cons[0], out[1] = cons[2], out[2] = cons[3];
    return;
  }
  size_t k = 0;
  for (size_t i = 0; i < nc && k < 3; i++) out[k++] = cons[i];
  for (size_t i = 0; i < nv && k < 3; i++) out[k++] = vow[i];
  while (k < 3) out[k++] = 'X';
}

static void cf_build(const char *surname, const char *given, civil_date b, char sex,
                     const char *belfiore, char out[17]) {
  static const int odd[36] = {1,  0,  5, 7, 9,  13, 15, 17, 19, 21, 1,  0,  5,  7,  9,  13, 15, 17,
                              19, 21, 2, 4, 18, 20, 11, 3,  6,  8,  12, 14, 16, 10, 22, 25, 24, 23};
  cf_name_part(surname, 0, out);
  cf_name_part(given, 1, out + 3);
  int day = b.d + (sex == 'F' ? 40 : 0);
  out[6] = (char)('0' + b.y % 100 / 10);
  out[7] = (char)('0' + b.y % 10);
  out[8] = "ABCDEHLMPRST"[b.m - 1];
  out[9] = (char)('0' + day / 10);
  out[10] = (char)('0' + day % 10);
  memcpy(out + 11, belfiore, 4);
  int sum = 0;
  for (int i = 0; i < 15; i++) {
    char c = out[i];
    int digit = c >= '0' && c <= '9';
    sum += i % 2 == 0 ? odd[digit ? c - '0' : 10 + c - 'A'] : (digit ? c - '0' : c - 'A');
  }
  out[15] = (char)('A' + sum % 26);
  out[16] = 0;
}

/* ---- uniqueness of generated codes ---- */

typedef struct {
  uint64_t *slots;
  size_t mask;
} code_set;

static uint64_t fnv1a(const char *s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
  return h | 1; /* 0 marks an empty slot */
}

/* Adds s; 0 when it was already there (the caller draws again). */
static int code_add(code_set *cs, const char *s) {
  uint64_t h = fnv1a(s);
  for (size_t i = h & cs->mask;; i = (i + 1) & cs->mask) {
    if (cs->slots[i] == h) return 0;
    if (!cs->slots[i]) {
      cs->slots[i] = h;
      return 1;
    }
  }
}

/* ---- the fictional world ---- */

typedef struct {
  const char *slug, *name, *ten_digits, *segregation, *istanze, *pec, *info, *phone, *patron, *city,
      *cap;
  int64_t population;
  int64_t id;
} demo_ente;

static demo_ente ENTI[] = {
    {"borgo-fittizio", "Comune di Borgo Fittizio", "8000123004", "01",
     "protocollo@borgo-fittizio.example.org", "comune.borgofittizio@pec.example.org",
     "info@borgo-fittizio.example.org", "+39 0123 456789", "06-24", "Borgo Fittizio", "12010", 3800,
     0},
    {"valle-immaginaria", "Comune di Valle Immaginaria", "8000456006", "02",
     "protocollo@valle-immaginaria.example.org", "comune.valleimmaginaria@pec.example.org",
     "info@valle-immaginaria.example.org", "+39 0456 789012", "08-16", "Valle Immaginaria", "12040",
     48000, 0},
};

static const struct {
  const char *region, *code, *name, *city;
} OFFICES[] = {{"Nord", "NORD-01", "Sportello Nord - Borgo Fittizio", "Borgo Fittizio"},
               {"Sud", "SUD-01", "Sportello Sud - Valle Immaginaria", "Valle Immaginaria"}};

/* enti: bit 0 Borgo, bit 1 Valle. */
static const struct {
  const char *username, *full_name, *email;
  role role;
  const char *region, *office;
  int enti;
} USERS[] = {
    {"admin", "Amministratore Demo", "admin@example.org", ROLE_ADMIN, NULL, NULL, 0},
    {"supervisore", "Sara Supervisori", "supervisore@example.org", ROLE_SUPERVISOR_CENTRAL, NULL,
     NULL, 3},
    {"supervisore.nord", "Nicola Nordi", "supervisore.nord@example.org", ROLE_SUPERVISOR_REGIONAL,
     "Nord", NULL, 3},
    {"gestore", "Giulia Gestori", "gestore@example.org", ROLE_OFFICE_MANAGER, "Nord", "NORD-01", 3},
    {"operatore", "Omar Operatori", "operatore@example.org", ROLE_OPERATOR, "Nord", "NORD-01", 3},
    {"ente.borgo", "Elena Borghi", "ufficio.tributi@borgo-fittizio.example.org", ROLE_ENTE_STAFF,
     NULL, NULL, 1},
    {"intermediario", "Ivo Intermediari", "studio.intermediari@example.org", ROLE_INTERMEDIARY,
     NULL, "NORD-01", 3},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Lower-case ASCII letters of s only ("D'Angelo" -> "dangelo"). */
static char *mail_part(arena *a, const char *s) {
  char *o = arena_alloc(a, strlen(s) + 1), *p = o;
  for (; *s; s++) {
    char ch = *s;
    if (ch >= 'A' && ch <= 'Z') ch = (char)(ch + 32);
    if (ch >= 'a' && ch <= 'z')
      *p++ = ch;
    else if ((unsigned char)*s == 0xC3 && s[1])
      *p++ = 'o', s++; /* ò in Nicolò */
  }
  return o;
}

/* Random draws are sequenced one per statement throughout: the order in
 * which C evaluates function arguments or initialisers is unspecified, and
 * the data must be the same whatever the compiler. */
static char *street(arena *a, rng *r, unsigned max_number) {
  const char *name = PICK(r, STREETS);
  unsigned number = 1 + below(r, max_number);
  return arena_printf(a, "%s %u", name, number);
}

static tp_contact contact(const char *channel, char *value, int consent, const char *source) {
  tp_contact c = {(char *)channel, value, consent, 0, (char *)source};
  return c;
}

static tp_address home_address(arena *a, rng *r, const demo_ente *e, const char *kind) {
  tp_address ad = {0};
  ad.kind = (char *)kind;
  ad.street = street(a, r, 120);
  ad.postal_code = (char *)e->cap;
  ad.city = (char *)e->city;
  ad.province = "FT";
  ad.country = "IT";
  return ad;
}

static void person(arena *a, rng *r, code_set *cs, const demo_ente *e, taxpayer *tp) {
  char sex = below(r, 2) ? 'F' : 'M';
  const char *surname, *given;
  civil_date b;
  unsigned place;
  char *cf = arena_alloc(a, 17);
  do {
    surname = PICK(r, SURNAMES);
    given = sex == 'F' ? PICK(r, FEMALE) : PICK(r, MALE);
    b.y = 1940 + (int)below(r, 66);
    b.m = 1 + (int)below(r, 12);
    b.d = 1 + (int)below(r, 31);
    while (!date_valid(b.y, b.m, b.d)) b.d--;
    place = below(r, COUNT(PLACES));
    cf_build(surname, given, b, sex, PLACES[place].belfiore, cf);
  } while (!code_add(cs, cf));
  char *birth = arena_alloc(a, 11);
  date_format_iso(b, birth);
  tp->kind = TP_PERSON;
  tp->fiscal_code = cf;
  tp->surname = (char *)surname;
  tp->given_name = (char *)given;
  tp->birth_date = birth;
  tp->birth_place = (char *)PLACES[place].city;
  tp->sex = sex == 'F' ? "F" : "M";
  tp->addresses = ARENA_ARRAY(a, tp_address, 2);
  tp->addresses[tp->n_addresses++] = home_address(a, r, e, "residenza");
  if (below(r, 100) < 15) {
    unsigned p = below(r, COUNT(PLACES));
    tp_address *ad = &tp->addresses[tp->n_addresses++];
    ad->kind = "domicilio";
    ad->street = street(a, r, 200);
    ad->postal_code = (char *)PLACES[p].cap;
    ad->city = (char *)PLACES[p].city;
    ad->province = (char *)PLACES[p].province;
    ad->country = "IT";
  }
  tp->contacts = ARENA_ARRAY(a, tp_contact, 3);
  const char *g = mail_part(a, given), *s = mail_part(a, surname);
  if (below(r, 100) < 65) {
    unsigned num = below(r, 100);
    const char *domain = PICK(r, MAIL_DOMAINS);
    int consent = below(r, 100) < 80;
    const char *source = below(r, 2) ? "web" : "sportello";
    tp->contacts[tp->n_contacts++] =
        contact("email", arena_printf(a, "%s.%s%u@%s", g, s, num, domain), consent, source);
  }
  if (below(r, 100) < 45) {
    unsigned prefix = below(r, 100);
    unsigned number = below(r, 10000000);
    int consent = below(r, 100) < 60;
    const char *source = below(r, 2) ? "telefono" : "sportello";
    tp->contacts[tp->n_contacts++] =
        contact("mobile", arena_printf(a, "+39 3%02u %07u", prefix, number), consent, source);
  }
  if (below(r, 100) < 8)
    tp->contacts[tp->n_contacts++] =
        contact("pec", arena_printf(a, "%s.%s@pec.example.org", g, s), 1, "pec");
}

static void company(arena *a, rng *r, code_set *cs, const demo_ente *e, taxpayer *tp) {
  char *piva = arena_alloc(a, 12), ten[11];
  do {
    unsigned matricola = 1 + below(r, 9999999);
    unsigned office_code = 1 + below(r, 100);
    snprintf(ten, sizeof ten, "%07u%03u", matricola % 10000000u, office_code % 1000u);
    piva_complete(ten, piva);
  } while (!code_add(cs, piva));
  const char *surname = PICK(r, SURNAMES);
  const char *activity = PICK(r, ACTIVITIES);
  const char *form = PICK(r, FORMS);
  const char *s = mail_part(a, surname), *act = mail_part(a, activity);
  tp->kind = TP_COMPANY;
  tp->fiscal_code = piva;
  tp->vat_number = piva;
  tp->company_name = arena_printf(a, "%s %s %s", surname, activity, form);
  tp->addresses = ARENA_ARRAY(a, tp_address, 1);
  tp->addresses[tp->n_addresses++] = home_address(a, r, e, "sede_legale");
  tp->contacts = ARENA_ARRAY(a, tp_contact, 2);
  tp->contacts[tp->n_contacts++] =
      contact("pec", arena_printf(a, "%s%s.%s@pec.example.org", s, act, piva + 7), 1, "pec");
  if (below(r, 2)) {
    int consent = below(r, 100) < 70;
    tp->contacts[tp->n_contacts++] = contact(
        "email", arena_printf(a, "amministrazione@%s%s.example.com", s, act), consent, "sportello");
  }
}

/* Inserts n taxpayers of Ente e in batches; 0 ok. */
static int load_taxpayers(db *d, rng *r, code_set *cs, const demo_ente *e, size_t n) {
  for (size_t done = 0; done < n;) {
    size_t k = n - done < BATCH ? n - done : BATCH;
    arena *a = arena_new();
    taxpayer *tps = ARENA_ARRAY(a, taxpayer, k);
    for (size_t i = 0; i < k; i++) {
      tps[i].ente_id = e->id;
      if (below(r, 100) < 12)
        company(a, r, cs, e, &tps[i]);
      else
        person(a, r, cs, e, &tps[i]);
    }
    size_t bad = 0;
    problems pbs = {0};
    err_code rc = taxpayer_insert_batch(d, a, tps, k, "demo.import", &cmd_cli_actor, &bad, &pbs);
    if (rc != ERR_OK) {
      fprintf(stderr, "sportello: contribuenti dimostrativi non creati (%s, riga %zu):\n",
              err_message_it(rc), done + bad);
      for (size_t i = 0; i < pbs.n; i++)
        fprintf(stderr, "  %s: %s\n", pbs.items[i].field, pbs.items[i].message);
      arena_free(a);
      return 1;
    }
    arena_free(a);
    done += k;
  }
  return 0;
}

/* Refuses when any demo object already exists: the command is for empty
 * databases, and half-created demo data would be confusing. */
static int already_there(db *d, arena *a) {
  for (size_t i = 0; i < COUNT(ENTI); i++) {
    ente e;
    if (ente_by_slug(d, a, ENTI[i].slug, &e) == ERR_OK) {
      fprintf(stderr,
              "sportello: i dati dimostrativi sono già presenti (esiste l'Ente %s): usa un "
              "database nuovo.\n",
              ENTI[i].slug);
      return 1;
    }
  }
  for (size_t i = 0; i < COUNT(USERS); i++) {
    user u;
    if (user_by_username(d, a, USERS[i].username, &u) == ERR_OK) {
      fprintf(stderr, "sportello: esiste già l'utente %s: usa un database nuovo.\n",
              USERS[i].username);
      return 1;
    }
  }
  return 0;
}

static int create_world(db *d, arena *a) {
  problems pbs = {0};
  err_code rc;
  for (size_t i = 0; i < COUNT(ENTI); i++) {
    demo_ente *de = &ENTI[i];
    char fc[12];
    piva_complete(de->ten_digits, fc);
    ente e = {0,
              (char *)de->slug,
              (char *)de->name,
              fc,
              de->population,
              (char *)de->segregation,
              (char *)de->istanze,
              (char *)de->pec,
              (char *)de->info,
              (char *)de->phone,
              (char *)de->patron};
    if ((rc = ente_create(d, a, &e, &cmd_cli_actor, &de->id, &pbs)) != ERR_OK) {
      cmd_report_all("Ente dimostrativo non creato", rc, &pbs);
      return 1;
    }
  }
  int64_t office_ids[COUNT(OFFICES)];
  for (size_t i = 0; i < COUNT(OFFICES); i++) {
    region r;
    rc = region_by_name(d, a, OFFICES[i].region, &r);
    if (rc == ERR_NOT_FOUND) rc = region_create(d, a, OFFICES[i].region, &cmd_cli_actor, &r.id, &pbs);
    office o = {
        0, r.id, NULL, (char *)OFFICES[i].code, (char *)OFFICES[i].name, (char *)OFFICES[i].city};
    if (rc == ERR_OK) rc = office_create(d, a, &o, &cmd_cli_actor, &office_ids[i], &pbs);
    if (rc != ERR_OK) {
      cmd_report_all("ufficio dimostrativo non creato", rc, &pbs);
      return 1;
    }
  }
  for (size_t i = 0; i < COUNT(USERS); i++) {
    user u = {0};
    u.username = (char *)USERS[i].username;
    u.full_name = (char *)USERS[i].full_name;
    u.email = (char *)USERS[i].email;
    u.role = USERS[i].role;
    if (USERS[i].role == ROLE_SUPERVISOR_REGIONAL) {
      region r;
      if (region_by_name(d, a, USERS[i].region, &r) == ERR_OK) u.region_id = r.id;
    }
    for (size_t j = 0; USERS[i].office && j < COUNT(OFFICES); j++)
      if (strcmp(OFFICES[j].code, USERS[i].office) == 0) u.office_id = office_ids[j];
    int64_t ids[COUNT(ENTI)];
    size_t n = 0;
    for (size_t j = 0; j < COUNT(ENTI); j++)
      if (USERS[i].enti & (1 << j)) ids[n++] = ENTI[j].id;
    if ((rc = user_create(d, a, &u, DEMO_PASSWORD, ids, n, &cmd_cli_actor, NULL, &pbs)) !=
        ERR_OK) {
      cmd_report_all("utente dimostrativo non creato", rc, &pbs);
      return 1;
    }
  }
  return 0;
}

/* 48000 -> "48.000", as Italians write it. */
static const char *thousands(int64_t v, char buf[32]) {
  char raw[24];
  int n = snprintf(raw, sizeof raw, "%lld", (long long)v), o = 0;
  for (int i = 0; i < n; i++) {
    if (i > 0 && (n - i) % 3 == 0 && raw[i - 1] != '-') buf[o++] = '.';
    buf[o++] = raw[i];
  }
  buf[o] = 0;
  return buf;
}

static void print_summary(size_t n_borgo, size_t n_valle, size_t n_acts, double secs) {
  puts("Dati dimostrativi creati.");
  char buf[32];
  for (size_t i = 0; i < COUNT(ENTI); i++)
    printf("  Ente: %s (%s, %s abitanti)\n", ENTI[i].name, ENTI[i].slug,
           thousands(ENTI[i].population, buf));
  for (size_t i = 0; i < COUNT(OFFICES); i++)
    printf("  Ufficio: %s, regione %s (%s)\n", OFFICES[i].code, OFFICES[i].region, OFFICES[i].name);
  puts("  Sportelli: 1 a Borgo Fittizio, 2 a Valle Immaginaria, con orari, agenda e qualche "
       "appuntamento (pagine pubbliche /enti/borgo-fittizio, /enti/valle-immaginaria)");
  printf("  Contribuenti: %zu a Borgo Fittizio, %zu a Valle Immaginaria (%.1f s)\n", n_borgo,
         n_valle, secs);
  printf("  Entrate: IMU, TARI (con TEFA), CUP, CDS, DIRITTI; atti: %zu in tutti gli stati\n",
         n_acts);
  puts("  Pratiche: una ventina tra i due Comuni, in ogni stato, alcune urgenti o scadute");
  puts("\nAccessi al back office (password per tutti: " DEMO_PASSWORD "):");
  for (size_t i = 0; i < COUNT(USERS); i++) {
    const char *enti = USERS[i].role == ROLE_ADMIN ? "tutti gli Enti"
                       : USERS[i].enti == 1        ? "borgo-fittizio"
                                                   : "borgo-fittizio, valle-immaginaria";
    printf("  %-18s %-26s %s\n", USERS[i].username, role_label_it(USERS[i].role), enti);
  }
}

/* sportello demo-data [--taxpayers N] */
int cmd_demo_data(cli_ctx *c) {
  if (cli_wants_help(c->argc, c->argv)) {
    fputs(USAGE, stdout);
    return 0;
  }
  int64_t n = DEFAULT_TAXPAYERS;
  int bad = 0, no_cases = 0;
  for (int i = 1; i < c->argc && !bad; i++) {
    if (strcmp(c->argv[i], "--no-cases") == 0) {
      no_cases = 1;
      continue;
    }
    const char *v = cmd_opt(c, &i, "--taxpayers", &bad);
    if (v && (cmd_parse_int(v, &n) != 0 || n > MAX_TAXPAYERS)) {
      fprintf(stderr, "sportello: --taxpayers deve essere un numero tra 0 e %d\n", MAX_TAXPAYERS);
      return 2;
    }
    if (!v && !bad) return cmd_bad_option(c, i, USAGE);
  }
  if (bad) return 2;
  db *d = cli_open_db();
  if (!d) return 1;
  int applied = 0;
  if (db_migrate(d, &applied) != ERR_OK) {
    fprintf(stderr, "sportello: migrazione non riuscita: %s\n", db_errmsg(d));
    db_close(d);
    return 1;
  }
  if (applied) printf("Migrazioni applicate: %d.\n", applied);
  arena *a = arena_new();
  int rc = already_there(d, a) || create_world(d, a) || demo_agenda(d, a);
  size_t n_borgo = (size_t)n / 4, n_valle = (size_t)n - n_borgo;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  if (!rc) {
    code_set cs = {0};
    size_t cap = 1024;
    while (cap < (size_t)n * 2) cap *= 2;
    cs.slots = calloc(cap, sizeof *cs.slots);
    cs.mask = cap - 1;
    rng r = {SEED};
    rc = !cs.slots || load_taxpayers(d, &r, &cs, &ENTI[0], n_borgo) ||
         load_taxpayers(d, &r, &cs, &ENTI[1], n_valle);
    free(cs.slots);
  }
  size_t n_acts = 0;
  const char *cfs[2] = {NULL, NULL};
  if (!rc) {
    demo_debt_ente de[COUNT(ENTI)];
    for (size_t i = 0; i < COUNT(ENTI); i++) de[i] = (demo_debt_ente){ENTI[i].id, ENTI[i].segregation};
    rc = demo_debt(d, de, COUNT(ENTI), &n_acts);
    if (!rc) rc = demo_portal(d, de, COUNT(ENTI), cfs);
    if (!rc && cfs[0])
      printf("Portale: cittadino dimostrativo %s, intermediario delegato %s (/enti/%s).\n", cfs[0], cfs[1],
             ENTI[0].slug);
  }
  if (!rc) {
    int64_t ids[COUNT(ENTI)];
    for (size_t i = 0; i < COUNT(ENTI); i++) ids[i] = ENTI[i].id;
    rc = demo_canone(d, ids, COUNT(ENTI));
    if (!rc && !no_cases && cfs[0]) rc = demo_occupations(d, ENTI[0].id, cfs[0]);
  }
  if (!rc && !no_cases) {
    int64_t ente_ids[2] = {ENTI[0].id, ENTI[1].id}, office_ids[2] = {0, 0};
    office *offices;
    size_t n_off = 0;
    if (office_list(d, a, &offices, &n_off) == ERR_OK)
      for (size_t i = 0; i < n_off; i++)
        for (size_t j = 0; j < COUNT(OFFICES); j++)
          if (strcmp(offices[i].code, OFFICES[j].code) == 0) office_ids[j] = offices[i].id;
    rc = demo_cases(d, ente_ids, office_ids, "gestore", "operatore");
  }
  if (!rc) {
    int64_t ente_ids[2] = {ENTI[0].id, ENTI[1].id};
    rc = demo_services(d, ente_ids, 2);
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  if (!rc)
    print_summary(n_borgo, n_valle, n_acts,
                  (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
  arena_free(a);
  db_close(d);
  return rc ? 1 : 0;
}
