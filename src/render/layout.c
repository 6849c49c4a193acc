/* The page frame: Bootstrap Italia 2 header, navigation, main landmark and
 * footer. Everything goes through the html writer; every href comes from
 * link.h. No inline script or style: the CSP allows our own files only. */
#include "render/layout.h"

#include <string.h>

#include "render/link.h"

#define SPRITE "vendor/bootstrap-italia/svg/sprites.svg"

/* A decorative sprite icon (name is a literal such as "it-user"); hidden
 * from assistive technology because the text next to it says the same. */
static void icon(html *h, const char *name, const char *cls) {
  html_open(h, "svg", HA("class", cls), HA("aria-hidden", "true"), HA("focusable", "false"));
  html_open(h, "use", HA("href", arena_printf(h->a, "/static/" SPRITE "#%s", name)));
  html_close(h, "use");
  html_close(h, "svg");
}

/* The <head>: charset first, then viewport, title, icon, stylesheets and
 * the deferred scripts (progressive enhancement only; sportello.js runs
 * first because it configures the bundle). */
static void write_head(html *h, const page_info *p) {
  html_lit(h, "<!doctype html>\n");
  html_open(h, "html", HA("lang", "it"));
  html_open(h, "head");
  html_void(h, "meta", HA("charset", "utf-8"));
  html_void(h, "meta", HA("name", "viewport"),
            HA("content", "width=device-width, initial-scale=1"));
  html_open(h, "title");
  if (p->title && *p->title) {
    html_text(h, p->title);
    html_lit(h, " · ");
  }
  html_lit(h, "Sportello");
  html_close(h, "title");
  html_void(h, "link", HA("rel", "stylesheet"),
            HA("href", url_static(h->a, "vendor/bootstrap-italia/css/bootstrap-italia.min.css")));
  html_void(h, "link", HA("rel", "stylesheet"),
            HA("href", url_static(h->a, "vendor/bootstrap-italia/css/fonts.css")));
  html_void(h, "link", HA("rel", "stylesheet"), HA("href", url_static(h->a, "css/sportello.css")));
  html_void(h, "link", HA("rel", "icon"), HA("type", "image/svg+xml"),
            HA("href", url_static(h->a, "img/favicon.svg")));
  html_open(h, "script", HA("src", url_static(h->a, "js/sportello.js")), HBOOL("defer", 1));
  html_close(h, "script");
  html_open(
      h, "script",
      HA("src", url_static(h->a, "vendor/bootstrap-italia/js/bootstrap-italia.bundle.min.js")),
      HBOOL("defer", 1));
  html_close(h, "script");
  html_close(h, "head");
}

static void write_skiplinks(html *h) {
  html_open(h, "div", HA("class", "skiplink"));
  html_elem(h, "a", "Vai al contenuto principale", HA("class", "visually-hidden-focusable"),
            HA("href", "#main-container"));
  html_elem(h, "a", "Vai al piè di pagina", HA("class", "visually-hidden-focusable"),
            HA("href", "#footer"));
  html_close(h, "div");
}

/* The Ente switcher: a native <details> list of links, so it opens and
 * closes without JavaScript. Shown only when there is a choice to make. */
static void write_ente_switcher(html *h, const page_info *p) {
  if (!p->entes || p->n_entes < 2) return;
  html_open(h, "details", HA("class", "sp-ente-switcher"));
  html_open(h, "summary", HA("class", "btn btn-sm btn-outline-light"));
  html_lit(h, "Cambia ente");
  html_close(h, "summary");
  html_open(h, "nav", HA("aria-label", "Cambia ente"));
  html_open(h, "ul", HA("class", "link-list"));
  for (size_t i = 0; i < p->n_entes; i++) {
    const page_ente *e = &p->entes[i];
    int current = p->ente_slug && e->slug && strcmp(p->ente_slug, e->slug) == 0;
    html_open(h, "li");
    html_elem(h, "a", e->name ? e->name : e->slug, HA("class", "list-item"),
              HA("href", url_office(h->a, e->slug)), HA("aria-current", current ? "true" : NULL));
    html_close(h, "li");
  }
  html_close(h, "ul");
  html_close(h, "nav");
  html_close(h, "details");
}

/* Right side of the slim header: who is signed in and a POST sign-out form
 * (with the CSRF token), or the sign-in link. */
static void write_account(html *h, const page_info *p) {
  html_open(h, "div", HA("class", "it-header-slim-right-zone sp-account"));
  write_ente_switcher(h, p);
  if (p->user_name) {
    html_open(h, "span", HA("class", "sp-user"));
    icon(h, "it-user", "icon icon-sm icon-white me-1");
    html_elem(h, "span", p->user_name, HA("class", "fw-semibold"));
    if (p->role_label && *p->role_label) {
      html_lit(h, " ");
      html_elem(h, "span", p->role_label, HA("class", "sp-role d-none d-md-inline"));
    }
    html_close(h, "span");
    html_open(h, "form", HA("method", "post"), HA("action", url_logout(h->a)),
              HA("class", "sp-logout"));
    html_void(h, "input", HA("type", "hidden"), HA("name", "_csrf"),
              HA("value", p->csrf ? p->csrf : ""));
    html_elem(h, "button", "Esci", HA("type", "submit"),
              HA("class", "btn btn-sm btn-outline-light"));
    html_close(h, "form");
  } else {
    html_open(h, "a", HA("class", "btn btn-primary btn-icon btn-full"),
              HA("href", url_login(h->a)));
    html_open(h, "span", HA("class", "rounded-icon"));
    icon(h, "it-user", "icon icon-primary");
    html_close(h, "span");
    html_lit(h, "<span>Accedi</span>");
    html_close(h, "a");
  }
  html_close(h, "div");
}

static void write_slim_header(html *h, const page_info *p) {
  html_open(h, "div", HA("class", "it-header-slim-wrapper"));
  html_open(h, "div", HA("class", "container"));
  html_open(h, "div", HA("class", "it-header-slim-wrapper-content"));
  html_elem(h, "a", "Sportello Riscossioni", HA("class", "navbar-brand"),
            HA("href", url_home(h->a)));
  write_account(h, p);
  html_close(h, "div");
  html_close(h, "div");
  html_close(h, "div");
}

/* The center header names the current Ente (a link to its office home). It
 * is not a heading: the page's own <h1> is the title. */
static void write_center_header(html *h, const page_info *p) {
  const char *name = p->ente_slug && p->ente_name ? p->ente_name : "Sportello";
  const char *href = p->ente_slug ? url_office(h->a, p->ente_slug) : url_home(h->a);
  html_open(h, "div", HA("class", "it-header-center-wrapper"));
  html_open(h, "div", HA("class", "container"));
  html_open(h, "div", HA("class", "it-header-center-content-wrapper"));
  html_open(h, "div", HA("class", "it-brand-wrapper"));
  html_open(h, "a", HA("href", href));
  icon(h, "it-pa", "icon");
  html_open(h, "div", HA("class", "it-brand-text"));
  html_elem(h, "div", name, HA("class", "it-brand-title"));
  html_elem(h, "div", "Gestione delle entrate", HA("class", "it-brand-tagline d-none d-md-block"));
  html_close(h, "div");
  html_close(h, "a");
  html_close(h, "div");
  html_close(h, "div");
  html_close(h, "div");
  html_close(h, "div");
}

/* One navbar entry; the entry for the current section is marked active. */
static void nav_link(html *h, const char *label, const char *href, int current) {
  html_open(h, "li");
  html_elem(h, "a", label, HA("class", current ? "active" : NULL), HA("href", href),
            HA("aria-current", current ? "page" : NULL));
  html_close(h, "li");
}

static int section_is(const page_info *p, const char *s) {
  return p->section && strcmp(p->section, s) == 0;
}

/* Main navigation: a plain always-visible list (no collapse toggler, no
 * dropdown), so it works without JavaScript and fits a phone screen. Written
 * only when there is at least one link. */
static void write_navbar(html *h, const page_info *p) {
  int has_ente = p->ente_slug != NULL;
  if (!has_ente && !p->is_admin) return;
  html_open(h, "div", HA("class", "sp-header-nav"));
  html_open(h, "div", HA("class", "container"));
  html_open(h, "nav", HA("aria-label", "Navigazione principale"));
  html_open(h, "ul");
  if (has_ente) {
    nav_link(h, "Ufficio", url_office(h->a, p->ente_slug), section_is(p, "ufficio"));
    nav_link(h, "Pratiche", url_cases(h->a, p->ente_slug, NULL, NULL, NULL, NULL, 0),
             section_is(p, "pratiche"));
    nav_link(h, "Contribuenti", url_taxpayers(h->a, p->ente_slug, NULL, 0),
             section_is(p, "contribuenti"));
    nav_link(h, "Posizioni", url_acts(h->a, p->ente_slug, NULL, 0), section_is(p, "posizioni"));
    nav_link(h, "Agenda", url_office_agenda(h->a, p->ente_slug, NULL, 0), section_is(p, "agenda"));
    nav_link(h, "Sportelli", url_office_counters(h->a, p->ente_slug, NULL, NULL),
             section_is(p, "sportelli"));
  }
  if (p->is_admin) nav_link(h, "Amministrazione", url_admin(h->a), section_is(p, "admin"));
  html_close(h, "ul");
  html_close(h, "nav");
  html_close(h, "div");
  html_close(h, "div");
}

void page_begin(html *h, const page_info *p) {
  write_head(h, p);
  html_open(h, "body");
  write_skiplinks(h);
  html_open(h, "header", HA("class", "it-header-wrapper"));
  write_slim_header(h, p);
  html_open(h, "div", HA("class", "it-nav-wrapper"));
  write_center_header(h, p);
  write_navbar(h, p);
  html_close(h, "div");
  html_close(h, "header");
  html_open(h, "main", HA("id", "main-container"), HA("class", "container my-4"));
  breadcrumb(h, p->crumbs, p->n_crumbs);
  if (!p->no_h1) html_elem(h, "h1", p->title ? p->title : "Sportello", HA("class", "mb-4"));
  notice_success(h, p->notice);
}

/* A footer link carrying its Comuni-site data-element marker. */
static void footer_link(html *h, const char *label, const char *href, const char *element) {
  html_open(h, "li", HA("class", "list-inline-item"));
  html_elem(h, "a", label, HA("href", href), HA("data-element", element));
  html_close(h, "li");
}

void page_end(html *h, const page_info *p) {
  (void)p;
  html_close(h, "main");
  html_open(h, "footer", HA("class", "it-footer"), HA("id", "footer"));
  html_open(h, "div", HA("class", "it-footer-main"));
  html_open(h, "div", HA("class", "container"));
  html_open(h, "div", HA("class", "it-brand-wrapper"));
  html_open(h, "a", HA("href", url_home(h->a)));
  icon(h, "it-pa", "icon");
  html_open(h, "div", HA("class", "it-brand-text"));
  html_elem(h, "div", "Sportello Riscossioni", HA("class", "it-brand-title"));
  html_elem(h, "div", "Riscossione delle entrate degli enti locali",
            HA("class", "it-brand-tagline"));
  html_close(h, "div");
  html_close(h, "a");
  html_close(h, "div");
  html_close(h, "div");
  html_close(h, "div");
  html_open(h, "div", HA("class", "it-footer-small-prints clearfix"));
  html_open(h, "div", HA("class", "container"));
  html_open(h, "nav", HA("aria-label", "Informazioni legali"));
  html_open(
      h, "ul",
      HA("class", "it-footer-small-prints-list list-inline mb-0 d-flex flex-column flex-md-row"));
  footer_link(h, "Privacy", "/privacy", "privacy-policy-link");
  footer_link(h, "Note legali", "/note-legali", "legal-notes");
  footer_link(h, "Accessibilità", "/accessibilita", "accessibility-link");
  html_close(h, "ul");
  html_close(h, "nav");
  html_close(h, "div");
  html_close(h, "div");
  html_close(h, "footer");
  html_close(h, "body");
  html_close(h, "html");
  html_lit(h, "\n");
  html_finish(h);
}

/* Italian title for the statuses the server answers with a page. */
static const char *status_title(int status) {
  switch (status) {
    case 400: return "Richiesta non valida";
    case 401: return "Accesso richiesto";
    case 403: return "Accesso negato";
    case 404: return "Pagina non trovata";
    case 405: return "Operazione non consentita";
    case 409: return "Conflitto";
    case 413: return "Richiesta troppo grande";
    case 429: return "Troppe richieste";
    case 503: return "Servizio non disponibile";
    default: return status >= 500 ? "Errore interno" : "Errore";
  }
}

/* Default explanation when the caller has none. */
static const char *status_message(int status) {
  switch (status) {
    case 403: return "Non hai i permessi per vedere questa pagina.";
    case 404: return "La pagina che cerchi non esiste o è stata spostata.";
    case 413: return "I dati inviati superano la dimensione massima consentita.";
    case 429: return "Hai fatto troppe richieste in poco tempo. Riprova tra qualche minuto.";
    case 503: return "Il servizio è momentaneamente non disponibile. Riprova più tardi.";
    default:
      return status >= 500 ? "Si è verificato un errore imprevisto. Riprova più tardi."
                           : "La richiesta non può essere completata.";
  }
}

void page_error(html *h, int status, const char *message_it, const page_info *p) {
  page_info info = {0};
  if (p) info = *p;
  info.title = status_title(status);
  info.no_h1 = 0;
  info.notice = NULL;
  info.section = NULL;
  info.crumbs = NULL;
  info.n_crumbs = 0;
  page_begin(h, &info);
  html_elem(h, "p", message_it && *message_it ? message_it : status_message(status),
            HA("class", "lead"));
  html_open(h, "p", HA("class", "text-secondary"));
  html_textf(h, "Codice errore: %d", status);
  html_close(h, "p");
  html_open(h, "p");
  html_elem(h, "a", "Torna alla pagina iniziale", HA("class", "btn btn-primary"),
            HA("href", url_home(h->a)));
  html_close(h, "p");
  page_end(h, &info);
}
