#include "core/config.h"
#include "core/cidr.h"
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <ini.h>

static const cfg_def defs[] = {
    {"server", "listen", CFG_STR, "127.0.0.1:8080", 3, 300, 0,
     "Indirizzo e porta su cui il server HTTP accetta connessioni (host:porta; IPv6 tra parentesi quadre)."},
    {"server", "threads", CFG_INT, "0", 0, 256, 0,
     "Numero di thread che servono le richieste HTTP (0: uno per core)."},
    {"server", "connection_limit", CFG_INT, "1000", 1, 100000, 0,
     "Numero massimo di connessioni HTTP aperte contemporaneamente."},
    {"server", "per_ip_connection_limit", CFG_INT, "64", 1, 100000, 0,
     "Numero massimo di connessioni aperte contemporaneamente da uno stesso indirizzo IP."},
    {"server", "trusted_proxies", CFG_STR, "", 0, 1000, 0,
     "Indirizzi IP (separati da virgola) dei reverse proxy fidati: per le richieste che arrivano da "
     "loro il client è l'ultimo indirizzo non fidato in X-Forwarded-For. Dietro un proxy alzare anche "
     "per_ip_connection_limit, che conta le connessioni del proxy."},
    {"server", "rate_limit_per_minute", CFG_INT, "1200", 0, 1000000, 0,
     "Richieste al minuto ammesse da uno stesso indirizzo IP, con raffiche fino allo stesso numero "
     "(0 = nessun limite; oltre si risponde 429)."},
    {"server", "max_body_bytes", CFG_INT, "1048576", 1024, 104857600, 0,
     "Dimensione massima del corpo di una richiesta, in byte (i caricamenti di file hanno un limite "
     "proprio, secondo il tipo: fotografie, autorizzazioni, moduli dei servizi)."},
    {"server", "max_header_bytes", CFG_INT, "16384", 1024, 1048576, 0,
     "Dimensione massima delle intestazioni di una richiesta, in byte."},
    {"server", "timeout_seconds", CFG_INT, "15", 1, 600, 0,
     "Secondi di inattività dopo i quali una connessione viene chiusa."},
    {"server", "header_timeout_seconds", CFG_INT, "10", 1, 600, 0,
     "Secondi entro cui un client deve inviare tutte le intestazioni di una richiesta (anche se "
     "continua a inviare dati): oltre, la connessione viene chiusa. Vicino al limite di connessioni "
     "si chiudono per prime quelle in attesa da più tempo."},
    {"server", "behind_tls", CFG_BOOL, "false", 0, 0, 0,
     "true se il portale è raggiungibile solo in HTTPS (anche tramite proxy): attiva HSTS e i cookie "
     "Secure."},
    {"server", "base_url", CFG_STR, "http://127.0.0.1:8080", 8, 2000, 0,
     "Indirizzo pubblico del portale (http:// o https://, senza barra finale), usato nei link di e-mail e "
     "documenti."},
    {"server", "static_dir", CFG_STR, "web/static", 1, 4096, 0,
     "Cartella dei file statici (CSS, JavaScript, font)."},
    {"server", "workers", CFG_BOOL, "true", 0, 0, 0,
     "true per eseguire i lavori in background nello stesso processo di sportello serve."},
    {"server", "migrate", CFG_BOOL, "true", 0, 0, 0,
     "true per applicare all'avvio le migrazioni del database non ancora applicate."},
    {"database", "url", CFG_STR, "sqlite:var/sportello.db", 8, 4096, 0,
     "Database: sqlite:PERCORSO oppure postgresql://utente:password@host:porta/nome (la password non viene "
     "mai "
     "mostrata)."},
    {"database", "pool_size", CFG_INT, "8", 1, 256, 0,
     "Numero di connessioni al database aperte da ogni processo."},
    {"security", "secret_key", CFG_STR, "", 0, 1024, 1,
     "Chiave segreta (almeno 32 caratteri casuali) che firma i token dei moduli senza sessione e i cookie "
     "dei dispositivi; se vuota, ne viene generata una al primo avvio e conservata nel database. Meglio "
     "impostarla con la variabile d'ambiente SPORTELLO_SECURITY_SECRET_KEY, uguale per tutti i processi."},
    {"security", "session_ttl_seconds", CFG_INT, "28800", 300, 604800, 0,
     "Durata massima di una sessione di lavoro, in secondi."},
    {"security", "login_max_failures", CFG_INT, "5", 1, 100, 0,
     "Tentativi di accesso falliti consentiti nella finestra prima del blocco temporaneo."},
    {"security", "login_window_seconds", CFG_INT, "900", 60, 86400, 0,
     "Finestra, in secondi, in cui si contano i tentativi di accesso falliti."},
    {"pagopa", "broker_id", CFG_STR, "", 0, 11, 0,
     "Codice fiscale dell'intermediario tecnologico (idBrokerPA) atteso nelle chiamate del Nodo pagoPA a "
     "/pagopa/paForNode; un Ente può averne uno proprio (sportello ente pagopa). Vuoto: nessuna chiamata "
     "è accettata."},
    {"pagopa", "station_id", CFG_STR, "", 0, 35, 0,
     "Identificativo della stazione (idStation) attesa nelle chiamate del Nodo pagoPA, per esempio "
     "12345678901_01; un Ente può averne una propria."},
    {"pagopa", "allowed_ips", CFG_STR, "", 0, 2000, 0,
     "Indirizzi IP o blocchi CIDR (separati da virgola) da cui si accettano chiamate a /pagopa/paForNode; "
     "vuoto = nessun filtro (in produzione filtrare anche a livello di rete o con mTLS)."},
    {"pagopa", "max_request_bytes", CFG_INT, "262144", 4096, 1048576, 0,
     "Dimensione massima, in byte, di una richiesta SOAP del Nodo pagoPA (oltre si risponde "
     "PAA_SINTASSI_EXTRAXSD)."},
    {"cases", "follow_per_minute", CFG_INT, "10", 0, 10000, 0,
     "Ricerche al minuto ammesse da uno stesso indirizzo IP nella pagina pubblica per seguire una "
     "pratica (0 = nessun limite; oltre si risponde 429)."},
    {"cases", "intermediary_open", CFG_STR, "07:00", 5, 5, 0,
     "Ora di apertura (HH:MM, ora italiana) del canale di assistenza per gli intermediari."},
    {"cases", "intermediary_close", CFG_STR, "23:00", 5, 5, 0,
     "Ora di chiusura (HH:MM, ora italiana) del canale di assistenza per gli intermediari: da "
     "quest'ora le richieste non vengono accettate."},
    {"log", "level", CFG_STR, "info", 1, 5, 0,
     "Livello minimo dei messaggi di log: debug, info, warn oppure error."},
    {"log", "access_log", CFG_BOOL, "true", 0, 0, 0, "true per registrare una riga per ogni richiesta HTTP."},
    /* mail: outbox delivery (SMTP) and intake limits */
    {"mail", "smtp_url", CFG_STR, "smtp://127.0.0.1:25", 8, 2000, 0,
     "Server SMTP per la posta in uscita: smtp://host:porta (STARTTLS se mail.smtp_starttls) o "
     "smtps://host:porta."},
    {"mail", "smtp_user", CFG_STR, "", 0, 500, 0,
     "Utente per l'autenticazione SMTP (vuoto: nessuna autenticazione)."},
    {"mail", "smtp_password", CFG_STR, "", 0, 500, 1, "Password SMTP."},
    {"mail", "smtp_starttls", CFG_STR, "try", 2, 8, 0,
     "STARTTLS su smtp://: no (mai), try (se offerto), required (obbligatorio)."},
    {"mail", "tls_verify", CFG_BOOL, "true", 0, 0, 0,
     "true per verificare il certificato dei server SMTP e IMAP (false solo per prove)."},
    {"mail", "tls_ca_file", CFG_STR, "", 0, 4096, 0,
     "File PEM delle autorità di certificazione accettate per i server SMTP e IMAP (vuoto: "
     "quelle del sistema)."},
    {"mail", "smtp_timeout_seconds", CFG_INT, "60", 1, 600, 0, "Tempo massimo di un invio SMTP, in secondi."},
    {"mail", "domain", CFG_STR, "sportello.invalid", 1, 253, 0,
     "Dominio dei Message-ID generati per la posta in uscita."},
    {"mail", "from", CFG_STR, "noreply@sportello.invalid", 3, 300, 0,
     "Mittente predefinito della posta in uscita (se la casella non ne indica uno)."},
    {"mail", "max_message_bytes", CFG_INT, "26214400", 1024, 26214400, 0,
     "Dimensione massima di un messaggio ricevuto, in byte (oltre: in quarantena)."},
    {"mail", "max_attachment_bytes", CFG_INT, "20971520", 1024, 26214400, 0,
     "Dimensione massima di un allegato ricevuto, in byte (oltre: messaggio in quarantena)."},
    {"mail", "max_parts", CFG_INT, "200", 1, 10000, 0,
     "Numero massimo di parti MIME di un messaggio ricevuto."},
    {"mail", "acknowledge", CFG_BOOL, "true", 0, 0, 0,
     "true per inviare la ricevuta con il numero di protocollo a ogni nuova richiesta."},
    {"mail", "poll_seconds", CFG_INT, "60", 10, 86400, 0,
     "Intervallo, in secondi, tra due letture delle caselle IMAP."},
    {"protocol", "signing_key", CFG_STR, "", 0, 4096, 0,
     "File PEM della chiave privata con cui è firmata (XML-DSig) la segnatura di protocollo."},
    {"protocol", "signing_cert", CFG_STR, "", 0, 4096, 0,
     "File PEM del certificato della chiave di firma, incluso nella segnatura."},
    {"protocol", "aoo_code", CFG_STR, "AOO", 1, 100, 0,
     "Codice IPA dell'Area Organizzativa Omogenea indicato nella segnatura di protocollo."},
    {"protocol", "registry_code", CFG_STR, "PG", 1, 16, 0,
     "Codice del registro di protocollo nella segnatura (lettere, cifre, _ . -)."},
    {"site", "name", CFG_STR, "Sportello Riscossioni", 1, 200, 0,
     "Nome del sito, come compare nella dichiarazione di accessibilità."},
    {"site", "owner", CFG_STR, "Concessionario della riscossione", 1, 200, 0,
     "Soggetto erogatore che pubblica il sito e la dichiarazione di accessibilità."},
    {"site", "accessibility_email", CFG_STR, "accessibilita@example.org", 3, 254, 0,
     "Casella a cui segnalare i problemi di accessibilità (meccanismo di feedback)."},
    {"site", "accessibility_status", CFG_STR, "parzialmente conforme", 7, 40, 0,
     "Stato di conformità dichiarato: conforme, parzialmente conforme oppure non conforme."},
    {"site", "accessibility_date", CFG_STR, "2026-11-30", 10, 10, 0,
     "Data (AAAA-MM-GG) in cui la dichiarazione di accessibilità è stata redatta o rivista."},
    {"site", "accessibility_issues", CFG_STR, "", 0, 2000, 0,
     "Contenuti non accessibili noti, descritti per chi legge la dichiarazione (vuoto: nessuno)."},
    /* agenda: the front office's appointments */
    {"agenda", "max_active_per_fiscal_code", CFG_INT, "3", 1, 100, 0,
     "Prenotazioni attive (future) ammesse per codice fiscale e per Ente, dal sito e dall'API."},
    {"agenda", "reminder_hours", CFG_INT, "24", 0, 336, 0,
     "Ore prima dell'appuntamento in cui parte il promemoria (0: nessun promemoria)."},
    {"agenda", "bookings_per_client_per_hour", CFG_INT, "30", 0, 100000, 0,
     "Prenotazioni dal sito pubblico ammesse per indirizzo del client in un'ora (0: nessun limite)."},
    {"portal", "demo_login", CFG_BOOL, "false", 0, 0, 0,
     "true per offrire l'accesso dimostrativo dei cittadini (un codice fiscale senza SPID/CIE): solo per "
     "make demo; il server rifiuta di avviarsi se è attivo con server.behind_tls = true o un base_url https."},
    {"portal", "oidc_issuer", CFG_STR, "", 0, 500, 0,
     "Issuer OpenID Connect del servizio di accesso SPID/CIE (https://...; vuoto: accesso SPID/CIE non "
     "configurato). Discovery, JWKS, authorize e token sono letti da ISSUER/.well-known/openid-configuration."},
    {"portal", "oidc_client_id", CFG_STR, "", 0, 500, 0, "client_id del portale presso il provider OpenID Connect."},
    {"portal", "oidc_client_secret", CFG_STR, "", 0, 500, 1,
     "client_secret del portale (vuoto: client pubblico con solo PKCE)."},
    {"portal", "oidc_scope", CFG_STR, "openid profile", 6, 500, 0, "Scope richiesti al provider OpenID Connect."},
    {"portal", "oidc_acr_values", CFG_STR, "https://www.spid.gov.it/SpidL2", 0, 500, 0,
     "Livello SPID richiesto (acr_values); vuoto: nessuna richiesta."},
    {"portal", "fiscal_code_claim", CFG_STR, "https://attributes.eid.gov.it/fiscal_number", 1, 200, 0,
     "Claim dell'ID token (o di userinfo) con il codice fiscale, nel formato TINIT-<codice fiscale>."},
    {"portal", "jwks_cache_seconds", CFG_INT, "3600", 0, 86400, 0,
     "Secondi per cui le chiavi pubbliche (JWKS) del provider restano in memoria."},
    {"portal", "citizen_session_seconds", CFG_INT, "1800", 300, 86400, 0,
     "Durata massima della sessione di un cittadino, in secondi."},
    {"portal", "checkout_url", CFG_STR, "https://api.platform.pagopa.it/checkout/ec/v1", 8, 500, 0,
     "Endpoint pagoPA Checkout per gli enti creditori: il portale vi invia il carrello (POST /carts) e "
     "porta il cittadino alla pagina di pagamento."},
    {"portal", "checkout_api_key", CFG_STR, "", 0, 500, 1,
     "Chiave (Ocp-Apim-Subscription-Key) per l'endpoint Checkout, se richiesta."},
    {"portal", "lookups_per_minute", CFG_INT, "20", 1, 100000, 0,
     "Ricerche di avvisi e verbali al minuto ammesse da uno stesso indirizzo IP, perché i numeri non si "
     "possano indovinare per tentativi."},
    {"portal", "ledger_cache_mb", CFG_INT, "32", 0, 65536, 0,
     "Megabyte di memoria per processo in cui il portale tiene atti, rate e movimenti letti di ogni "
     "contribuente, finché non cambiano (0: nessuna cache; la situazione e l'estratto conto li rileggono "
     "a ogni pagina)."},
    {"portal", "font_dir", CFG_STR, "web/node_modules/bootstrap-italia/src/fonts", 1, 4096, 0,
     "Cartella dei font Titillium Web e Roboto Mono usati nei PDF (avvisi, quietanze, estratti conto)."},
    /* video: video appointments (WebRTC, TURN/STUN through coturn) */
    {"video", "turn_urls", CFG_STR, "", 0, 2000, 0,
     "Indirizzi TURN/STUN per le videochiamate, separati da virgole (es. "
     "turn:turn.example.org:3478?transport=udp); vuoto: solo connessioni dirette."},
    {"video", "turn_secret", CFG_STR, "", 0, 500, 1,
     "Segreto condiviso con coturn (static-auth-secret) per le credenziali temporanee."},
    /* sms: the outbox's SMS channel (appointment reminders) */
    {"sms", "gateway_url", CFG_STR, "", 0, 500, 0,
     "Endpoint del gateway SMS (https://...; POST JSON to, from, text, reference): vuoto, nessun SMS."},
    {"sms", "token", CFG_STR, "", 0, 500, 1, "Credenziale (Bearer) per il gateway SMS."},
    {"sms", "sender", CFG_STR, "Sportello", 1, 11, 0, "Mittente degli SMS (al massimo 11 caratteri)."},
    {"video", "credential_ttl", CFG_INT, "3600", 60, 86400, 0,
     "Validità in secondi delle credenziali TURN consegnate a chi partecipa."},
    {"video", "open_before_minutes", CFG_INT, "10", 0, 120, 0,
     "Minuti prima dell'appuntamento in cui si apre la videochiamata."},
    {"video", "close_after_minutes", CFG_INT, "30", 0, 240, 0,
     "Minuti dopo la fine dell'appuntamento in cui la videochiamata si chiude."},
    {"video", "messages_per_minute", CFG_INT, "120", 10, 10000, 0,
     "Messaggi (segnalazione e chat) ammessi al minuto per partecipante."},
};
enum { NDEFS = sizeof defs / sizeof defs[0] };

/* A value; set == 0 means "the default" so reads before any load work. */
struct val {
  char *s; /* CFG_STR, malloc'ed */
  int64_t i; /* CFG_INT, CFG_BOOL */
  int set;
};
static struct val live[NDEFS];

const cfg_def *config_defs(size_t *count) {
  if (count) *count = NDEFS;
  return defs;
}

static void set_err(char *err, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t n, const char *fmt, ...) {
  if (!err || n == 0) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, n, fmt, ap);
  va_end(ap);
}

static int find(const char *section, const char *key) {
  for (int i = 0; i < NDEFS; i++)
    if (strcasecmp(defs[i].section, section) == 0 && strcasecmp(defs[i].key, key) == 0) return i;
  return -1;
}

static int parse_int(const char *v, int64_t *out) {
  if (!*v) return -1;
  char *end;
  errno = 0;
  long long x = strtoll(v, &end, 10);
  if (errno || *end || end == v || v[0] == ' ' || v[0] == '\t') return -1;
  *out = x;
  return 0;
}

static int parse_bool(const char *v, int64_t *out) {
  static const char *yes[] = {"true", "yes", "on", "1", "si", "s\xc3\xac"};
  static const char *no[] = {"false", "no", "off", "0"};
  for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
    if (strcasecmp(v, yes[i]) == 0) {
      *out = 1;
      return 0;
    }
  for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
    if (strcasecmp(v, no[i]) == 0) {
      *out = 0;
      return 0;
    }
  return -1;
}

/* Extra rules for some string keys; NULL or the reason (Italian). */
static const char *check_str(const cfg_def *d, const char *v) {
  if (strcmp(d->key, "listen") == 0) {
    const char *colon = strrchr(v, ':');
    int64_t port;
    if (!colon || colon == v || parse_int(colon + 1, &port) || port < 1 || port > 65535 ||
        colon[1] == '+' || colon[1] == '-')
      return "deve avere la forma host:porta, con porta tra 1 e 65535";
    if (v[0] == '[' && colon[-1] != ']') return "un indirizzo IPv6 va scritto tra parentesi quadre, come [::1]:8080";
  } else if (strcmp(d->key, "base_url") == 0) {
    size_t n = strlen(v);
    if (strncmp(v, "http://", 7) != 0 && strncmp(v, "https://", 8) != 0)
      return "deve iniziare con http:// oppure https://";
    if (v[n - 1] == '/') return "non deve terminare con la barra /";
    if (strpbrk(v, " \t\"<>")) return "non deve contenere spazi, virgolette o < >";
  } else if (strcmp(d->section, "database") == 0 && strcmp(d->key, "url") == 0) {
    if (!((strncmp(v, "sqlite:", 7) == 0 && v[7]) || strncmp(v, "postgresql://", 13) == 0 ||
          strncmp(v, "postgres://", 11) == 0))
      return "deve essere sqlite:PERCORSO oppure postgresql://...";
  } else if (strcmp(d->key, "level") == 0) {
    if (strcmp(v, "debug") && strcmp(v, "info") && strcmp(v, "warn") && strcmp(v, "error"))
      return "deve essere debug, info, warn oppure error";
  } else if (strcmp(d->section, "pagopa") == 0 && strcmp(d->key, "broker_id") == 0) {
    if (*v && (strlen(v) != 11 || strspn(v, "0123456789") != 11))
      return "deve essere il codice fiscale dell'intermediario (11 cifre) oppure vuoto";
  } else if (strcmp(d->section, "pagopa") == 0 && strcmp(d->key, "station_id") == 0) {
    if (strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.") != strlen(v))
      return "può contenere solo lettere, cifre, _ - e . (al massimo 35 caratteri)";
  } else if (strcmp(d->section, "pagopa") == 0 && strcmp(d->key, "allowed_ips") == 0) {
    const char *why = cidr_list_check(v);
    if (why) return why;
  } else if ((strcmp(d->section, "portal") == 0 &&
              (strcmp(d->key, "oidc_issuer") == 0 || strcmp(d->key, "checkout_url") == 0)) ||
             (strcmp(d->section, "sms") == 0 && strcmp(d->key, "gateway_url") == 0)) {
    if (*v && strncmp(v, "http://", 7) != 0 && strncmp(v, "https://", 8) != 0)
      return "deve iniziare con https:// (http:// solo per prove locali)";
    if (*v && v[strlen(v) - 1] == '/') return "non deve terminare con la barra /";
  } else if (strcmp(d->key, "secret_key") == 0) {
    if (*v && strlen(v) < 32) return "deve avere almeno 32 caratteri (oppure essere vuota)";
  } else if (strcmp(d->key, "intermediary_open") == 0 || strcmp(d->key, "intermediary_close") == 0) {
    if (!(v[0] >= '0' && v[0] <= '2' && v[1] >= '0' && v[1] <= '9' && v[2] == ':' &&
          v[3] >= '0' && v[3] <= '5' && v[4] >= '0' && v[4] <= '9' && v[5] == 0 &&
          (v[0] < '2' || v[1] <= '4')))
      return "deve essere un orario HH:MM";
  }
  return NULL;
}

/* Checks v against d and stores it in *out. `where` says where the value
 * came from, for the message. */
static int parse_value(const cfg_def *d, const char *v, struct val *out, const char *where, char *err,
                       size_t errlen) {
  struct val nv = {NULL, 0, 1};
  if (d->type == CFG_INT) {
    if (parse_int(v, &nv.i) || nv.i < d->min || nv.i > d->max) {
      set_err(err, errlen, "Valore non valido per %s.%s (%s): deve essere un numero intero tra %lld e %lld.",
              d->section, d->key, where, (long long)d->min, (long long)d->max);
      return -1;
    }
  } else if (d->type == CFG_BOOL) {
    if (parse_bool(v, &nv.i)) {
      set_err(err, errlen, "Valore non valido per %s.%s (%s): deve essere true oppure false.", d->section, d->key,
              where);
      return -1;
    }
  } else {
    size_t n = strlen(v);
    const char *why = NULL;
    if ((int64_t)n < d->min || (d->max && (int64_t)n > d->max))
      why = "la lunghezza non è tra i limiti ammessi";
    else
      why = check_str(d, v);
    if (why) {
      /* never echo the value: it may be a secret */
      set_err(err, errlen, "Valore non valido per %s.%s (%s): %s.", d->section, d->key, where, why);
      return -1;
    }
    nv.s = strdup(v);
    if (!nv.s) abort();
  }
  free(out->s);
  *out = nv;
  return 0;
}

static void free_vals(struct val *v) {
  for (int i = 0; i < NDEFS; i++) {
    free(v[i].s);
    v[i].s = NULL;
    v[i].set = 0;
  }
}

/* State shared with the inih callbacks. */
struct load_ctx {
  struct val *vals;
  FILE *f;
  int line, too_long, failed;
  char *err;
  size_t errlen;
};

/* fgets that counts lines (for messages) and refuses to silently split an
 * over-long line: it stops the parse instead. */
static char *reader(char *str, int num, void *stream) {
  struct load_ctx *c = stream;
  if (!fgets(str, num, c->f)) return NULL;
  c->line++;
  size_t n = strlen(str);
  if (n == (size_t)num - 1 && str[n - 1] != '\n') {
    int next = getc(c->f);
    if (next != EOF) {
      c->too_long = 1;
      return NULL;
    }
  }
  return str;
}

static int handler(void *user, const char *section, const char *name, const char *value) {
  struct load_ctx *c = user;
  if (c->failed) return 0;
  int i = find(section, name);
  if (i < 0) {
    set_err(c->err, c->errlen, "Chiave sconosciuta nel file di configurazione (riga %d): [%s] %s.", c->line,
            section, name);
    c->failed = 1;
    return 0;
  }
  char where[64];
  snprintf(where, sizeof where, "file di configurazione, riga %d", c->line);
  if (parse_value(&defs[i], value ? value : "", &c->vals[i], where, c->err, c->errlen)) {
    c->failed = 1;
    return 0;
  }
  return 1;
}

static int load_file(const char *path, struct val *vals, char *err, size_t errlen) {
  FILE *f = fopen(path, "r");
  if (!f) {
    set_err(err, errlen, "Impossibile aprire il file di configurazione %s: %s.", path, strerror(errno));
    return -1;
  }
  struct load_ctx c = {vals, f, 0, 0, 0, err, errlen};
  /* Debian's libinih exposes its options at run time: long lines (URLs),
   * no inline comments (a secret may contain " ;"), stop at the first
   * error. Set only here, during start-up. Elsewhere the compiled-in
   * defaults apply (200-char lines, " ;" starts a comment). */
#ifdef SP_INIH_RUNTIME_OPTIONS
  ini_max_line = 4096;
  ini_allow_inline_comments = false;
  ini_allow_multiline = false;
  ini_stop_on_first_error = true;
#endif
#ifdef SP_INIH_RUNTIME_OPTIONS
  int max_line = ini_max_line;
#else
  int max_line = INI_MAX_LINE;
#endif
  int rc = ini_parse_stream(reader, &c, handler, &c);
  fclose(f);
  if (c.failed) return -1;
  if (c.too_long) {
    set_err(err, errlen, "Riga %d del file di configurazione %s troppo lunga (massimo %d caratteri).", c.line + 1,
            path, max_line - 2);
    return -1;
  }
  if (rc != 0) {
    set_err(err, errlen, "Errore di sintassi nel file di configurazione %s alla riga %d.", path, rc);
    return -1;
  }
  return 0;
}

/* Environment overrides: SPORTELLO_SERVER_THREADS for server.threads. */
static int load_env(struct val *vals, char *err, size_t errlen) {
  for (int i = 0; i < NDEFS; i++) {
    char name[128];
    int n = snprintf(name, sizeof name, "SPORTELLO_%s_%s", defs[i].section, defs[i].key);
    for (int k = 0; k < n; k++)
      if (name[k] >= 'a' && name[k] <= 'z') name[k] = (char)(name[k] - 'a' + 'A');
    const char *v = getenv(name);
    if (!v) continue;
    char where[160];
    snprintf(where, sizeof where, "variabile d'ambiente %s", name);
    if (parse_value(&defs[i], v, &vals[i], where, err, errlen)) return -1;
  }
  return 0;
}

int config_load(const char *path, char *err, size_t errlen) {
  struct val staged[NDEFS];
  memset(staged, 0, sizeof staged);
  if ((path && load_file(path, staged, err, errlen)) || load_env(staged, err, errlen)) {
    free_vals(staged);
    return -1;
  }
  free_vals(live);
  memcpy(live, staged, sizeof live);
  return 0;
}

int config_set(const char *section, const char *key, const char *value, char *err, size_t errlen) {
  int i = find(section, key);
  if (i < 0) {
    set_err(err, errlen, "Chiave di configurazione sconosciuta: %s.%s.", section, key);
    return -1;
  }
  return parse_value(&defs[i], value ? value : "", &live[i], "opzione da riga di comando", err, errlen);
}

/* Index of a key the program reads; unknown or mistyped is a bug. */
static int must_find(const char *section, const char *key, cfg_type type) {
  int i = find(section, key);
  if (i < 0 || defs[i].type != type) {
    fprintf(stderr, "config: %s key %s.%s read with the wrong type or unknown\n", i < 0 ? "unknown" : "typed",
            section, key);
    abort();
  }
  return i;
}

const char *config_str(const char *section, const char *key) {
  int i = must_find(section, key, CFG_STR);
  return live[i].set ? live[i].s : defs[i].def;
}

/* Defaults are compile-time constants in the table, so parsing cannot fail. */
static int64_t int_value(int i) {
  int64_t v = 0;
  if (live[i].set) return live[i].i;
  if (defs[i].type == CFG_INT)
    parse_int(defs[i].def, &v);
  else
    parse_bool(defs[i].def, &v);
  return v;
}

int64_t config_int(const char *section, const char *key) { return int_value(must_find(section, key, CFG_INT)); }

int config_bool(const char *section, const char *key) { return (int)int_value(must_find(section, key, CFG_BOOL)); }

/* Appends src[0..n) to out at *pos, truncating, always NUL-terminated. */
static void put(char *out, size_t outlen, size_t *pos, const char *src, size_t n) {
  for (size_t i = 0; i < n && *pos + 1 < outlen; i++) out[(*pos)++] = src[i];
  out[*pos] = 0;
}

void config_redact_url(const char *url, char *out, size_t outlen) {
  if (!out || outlen == 0) return;
  size_t pos = 0;
  out[0] = 0;
  if (!url) return;
  const char *p = url;
  const char *scheme = strstr(url, "://");
  if (scheme) {
    const char *auth = scheme + 3;
    const char *auth_end = auth + strcspn(auth, "/?#");
    const char *at = NULL;
    for (const char *q = auth; q < auth_end; q++)
      if (*q == '@') at = q;
    const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
    if (colon) {
      put(out, outlen, &pos, url, (size_t)(colon + 1 - url));
      put(out, outlen, &pos, "***", 3);
      p = at;
    }
  }
  /* password=... as a query or keyword parameter */
  while (*p) {
    int boundary = p == url || p[-1] == '?' || p[-1] == '&' || p[-1] == ' ';
    if (boundary && strncmp(p, "password=", 9) == 0) {
      put(out, outlen, &pos, p, 9);
      put(out, outlen, &pos, "***", 3);
      p += 9;
      p += strcspn(p, "& #");
      continue;
    }
    put(out, outlen, &pos, p, 1);
    p++;
  }
}

void config_dump(FILE *out) {
  fputs("# Configurazione effettiva di Sportello.\n"
        "# I valori segreti non sono mostrati; la password del database è sostituita da ***.\n",
        out);
  const char *section = "";
  for (int i = 0; i < NDEFS; i++) {
    const cfg_def *d = &defs[i];
    if (strcmp(section, d->section) != 0) {
      section = d->section;
      fprintf(out, "\n[%s]\n", section);
    }
    fprintf(out, "# %s\n", d->help_it);
    if (d->type == CFG_STR) {
      const char *v = config_str(d->section, d->key);
      if (d->secret) {
        fprintf(out, "%s = %s\n", d->key, *v ? "(impostato)" : "(non impostato)");
      } else if (strcmp(d->section, "database") == 0 && strcmp(d->key, "url") == 0) {
        char masked[4200];
        config_redact_url(v, masked, sizeof masked);
        fprintf(out, "%s = %s\n", d->key, masked);
      } else {
        fprintf(out, "%s = %s\n", d->key, v);
      }
    } else if (d->type == CFG_INT) {
      fprintf(out, "%s = %lld\n", d->key, (long long)int_value(i));
    } else {
      fprintf(out, "%s = %s\n", d->key, int_value(i) ? "true" : "false");
    }
  }
}
