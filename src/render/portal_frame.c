/* An Ente's public portal frame (see portal_frame.h). Every href comes
 * from url_portal / link.h; everything goes through the html writer. */
#include "render/portal_frame.h"

#include <string.h>

#include "render/link.h"

#define SPRITE "vendor/bootstrap-italia/svg/sprites.svg"

const char *url_portal(arena *a, const char *slug, const char *suffix) {
  return arena_printf(a, "/enti/%s%s", url_encode(a, slug), suffix ? suffix : "");
}

static void icon(html *h, const char *name, const char *cls) {
  html_open(h, "svg", HA("class", cls), HA("aria-hidden", "true"), HA("focusable", "false"));
  html_open(h, "use", HA("href", arena_printf(h->a, "/static/" SPRITE "#%s", name)));
  html_close(h, "use");
  html_close(h, "svg");
}

static void write_head(html *h, const portal_page *p) {
  html_lit(h, "<!doctype html>\n");
  html_open(h, "html", HA("lang", "it"));
  html_open(h, "head");
  html_void(h, "meta", HA("charset", "utf-8"));
  html_void(h, "meta", HA("name", "viewport"), HA("content", "width=device-width, initial-scale=1"));
  html_open(h, "title");
  if (p->title && *p->title) {
    html_text(h, p->title);
    html_lit(h, " · ");
  }
  html_text(h, p->ente_name);
  html_close(h, "title");
  html_void(h, "link", HA("rel", "stylesheet"),
            HA("href", url_static(h->a, "vendor/bootstrap-italia/css/bootstrap-italia.min.css")));
  html_void(h, "link", HA("rel", "stylesheet"),
            HA("href", url_static(h->a, "vendor/bootstrap-italia/css/fonts.css")));
  html_void(h, "link", HA("rel", "stylesheet"), HA("href", url_static(h->a, "css/sportello.css")));
  html_void(h, "link", HA("rel", "icon"), HA("type", "image/svg+xml"),
            HA("href", url_static(h->a, "img/favicon.svg")));
  html_close(h, "head");
}

static void logo(html *h, const portal_page *p) {
  if (p->has_logo)
    html_void(h, "img", HA("class", "icon sp-ente-logo"),
              HA("src", url_portal(h->a, p->ente_slug, "/logo.png")), HA("alt", ""));
  else
    icon(h, "it-pa", "icon");
}

static void write_slim(html *h, const portal_page *p) {
  html_open(h, "div", HA("class", "it-header-slim-wrapper"));
  html_open(h, "div", HA("class", "container"));
  html_open(h, "div", HA("class", "it-header-slim-wrapper-content"));
  html_elem(h, "a", p->ente_name, HA("class", "navbar-brand"),
            HA("href", url_portal(h->a, p->ente_slug, "")));
  html_open(h, "div", HA("class", "it-header-slim-right-zone sp-account"));
  if (p->citizen_name) {
    html_open(h, "a", HA("class", "sp-user"), HA("href", url_portal(h->a, p->ente_slug, "/area-personale")),
              HA("data-element", "personal-area-login"));
    icon(h, "it-user", "icon icon-sm icon-white me-1");
    html_elem(h, "span", p->citizen_name, HA("class", "fw-semibold"));
    html_close(h, "a");
    html_open(h, "form", HA("method", "post"), HA("action", url_portal(h->a, p->ente_slug, "/esci")),
              HA("class", "sp-logout"));
    html_void(h, "input", HA("type", "hidden"), HA("name", "_csrf"), HA("value", p->csrf ? p->csrf : ""));
    html_elem(h, "button", "Esci", HA("type", "submit"), HA("class", "btn btn-sm btn-outline-light"));
    html_close(h, "form");
  } else {
    html_open(h, "a", HA("class", "btn btn-primary btn-icon btn-full"),
              HA("href", url_portal(h->a, p->ente_slug, "/accedi")),
              HA("data-element", "personal-area-login"));
    html_open(h, "span", HA("class", "rounded-icon"));
    icon(h, "it-user", "icon icon-primary");
    html_close(h, "span");
    html_lit(h, "<span>Accedi all'area personale</span>");
    html_close(h, "a");
  }
  html_close(h, "div");
  html_close(h, "div");
  html_close(h, "div");
  html_close(h, "div");
}

static void write_center(html *h, const portal_page *p) {
  html_open(h, "div", HA("class", "it-header-center-wrapper"));
  html_open(h, "div", HA("class", "container"));
  html_open(h, "div", HA("class", "it-header-center-content-wrapper"));
  html_open(h, "div", HA("class", "it-brand-wrapper"));
  html_open(h, "a", HA("href", url_portal(h->a, p->ente_slug, "")));
  logo(h, p);
  html_open(h, "div", HA("class", "it-brand-text"));
  html_elem(h, "div", p->ente_name, HA("class", "it-brand-title"));
  html_elem(h, "div", "Sportello delle riscossioni", HA("class", "it-brand-tagline d-none d-md-block"));
  html_close(h, "div");
  html_close(h, "a");
  html_close(h, "div");
  html_close(h, "div");
  html_close(h, "div");
  html_close(h, "div");
}

static void nav_item(html *h, const char *label, const char *href, const char *element, int current) {
  html_open(h, "li");
  html_elem(h, "a", label, HA("href", href), HA("data-element", element),
            HA("class", current ? "active" : NULL), HA("aria-current", current ? "page" : NULL));
  html_close(h, "li");
}

static int section_is(const portal_page *p, const char *s) {
  return p->section && strcmp(p->section, s) == 0;
}

static void write_nav(html *h, const portal_page *p) {
  html_open(h, "div", HA("class", "sp-header-nav"));
  html_open(h, "div", HA("class", "container"));
  html_open(h, "nav", HA("aria-label", "Navigazione principale"));
  html_open(h, "ul");
  nav_item(h, "Servizi", url_portal(h->a, p->ente_slug, "#servizi"), "all-services",
           section_is(p, "servizi"));
  nav_item(h, "Paga un avviso", url_portal(h->a, p->ente_slug, "/avviso"), "service-link",
           section_is(p, "avviso"));
  nav_item(h, "Area personale", url_portal(h->a, p->ente_slug, "/area-personale"), "personal-area",
           section_is(p, "area-personale"));
  html_close(h, "ul");
  html_close(h, "nav");
  html_close(h, "div");
  html_close(h, "div");
}

static void write_crumbs(html *h, const portal_page *p) {
  if (p->n_crumbs < 2) return;
  html_open(h, "div", HA("data-element", "breadcrumb"));
  breadcrumb(h, p->crumbs, p->n_crumbs);
  html_close(h, "div");
}

void portal_begin(html *h, const portal_page *p) {
  write_head(h, p);
  html_open(h, "body");
  html_open(h, "div", HA("class", "skiplink"));
  html_elem(h, "a", "Vai al contenuto principale", HA("class", "visually-hidden-focusable"),
            HA("href", "#main-container"));
  html_elem(h, "a", "Vai al piè di pagina", HA("class", "visually-hidden-focusable"), HA("href", "#footer"));
  html_close(h, "div");
  html_open(h, "header", HA("class", "it-header-wrapper"), HA("data-element", "header"));
  write_slim(h, p);
  html_open(h, "div", HA("class", "it-nav-wrapper"));
  write_center(h, p);
  write_nav(h, p);
  html_close(h, "div");
  html_close(h, "header");
  html_open(h, "main", HA("id", "main-container"), HA("class", "container my-4"));
  write_crumbs(h, p);
  if (!p->no_h1) html_elem(h, "h1", p->title, HA("class", "mb-3"), HA("data-element", "page-name"));
  if (p->lead) html_elem(h, "p", p->lead, HA("class", "lead"));
  notice_success(h, p->notice);
}

static void footer_link(html *h, const char *label, const char *href, const char *element) {
  html_open(h, "li");
  html_elem(h, "a", label, HA("href", href), HA("data-element", element));
  html_close(h, "li");
}

void portal_end(html *h, const portal_page *p) {
  html_close(h, "main");
  html_open(h, "footer", HA("class", "it-footer"), HA("id", "footer"));
  html_open(h, "div", HA("class", "it-footer-main"));
  html_open(h, "div", HA("class", "container"));
  html_open(h, "div", HA("class", "it-brand-wrapper"));
  html_open(h, "a", HA("href", url_portal(h->a, p->ente_slug, "")));
  logo(h, p);
  html_open(h, "div", HA("class", "it-brand-text"));
  html_elem(h, "div", p->ente_name, HA("class", "it-brand-title"));
  html_elem(h, "div", "Sportello delle riscossioni", HA("class", "it-brand-tagline"));
  html_close(h, "div");
  html_close(h, "a");
  html_close(h, "div");
  html_open(h, "div", HA("class", "row sp-footer-cols"));
  html_open(h, "section", HA("class", "col-md-6"), HA("aria-labelledby", "sp-footer-contacts"));
  html_elem(h, "h2", "Contatti", HA("id", "sp-footer-contacts"), HA("class", "h5 text-white"));
  html_open(h, "ul", HA("class", "list-unstyled"), HA("data-element", "contacts"));
  if (p->ente_mail) {
    html_open(h, "li");
    html_lit(h, "E-mail: ");
    html_elem(h, "a", p->ente_mail, HA("href", url_mailto(h->a, p->ente_mail)));
    html_close(h, "li");
  }
  if (p->ente_pec) {
    html_open(h, "li");
    html_lit(h, "PEC: ");
    html_elem(h, "a", p->ente_pec, HA("href", url_mailto(h->a, p->ente_pec)));
    html_close(h, "li");
  }
  if (p->ente_phone) {
    html_open(h, "li");
    html_textf(h, "Telefono: %s", p->ente_phone);
    html_close(h, "li");
  }
  footer_link(h, "Segnala un disservizio", url_portal(h->a, p->ente_slug, "/segnala"), "report-inefficiency");
  html_close(h, "ul");
  html_close(h, "section");
  html_open(h, "section", HA("class", "col-md-6"), HA("aria-labelledby", "sp-footer-services"));
  html_elem(h, "h2", "Servizi", HA("id", "sp-footer-services"), HA("class", "h5 text-white"));
  html_open(h, "ul", HA("class", "list-unstyled"));
  footer_link(h, "Tutti i servizi", url_portal(h->a, p->ente_slug, "#servizi"), "all-services");
  footer_link(h, "Canali di pagamento e commissioni", url_portal(h->a, p->ente_slug, "/canali"),
              "payment-channels");
  html_close(h, "ul");
  html_close(h, "section");
  html_close(h, "div");
  html_close(h, "div");
  html_close(h, "div");
  html_open(h, "div", HA("class", "it-footer-small-prints clearfix"));
  html_open(h, "div", HA("class", "container"));
  html_open(h, "nav", HA("aria-label", "Informazioni legali"));
  html_open(
      h, "ul",
      HA("class", "it-footer-small-prints-list list-inline mb-0 d-flex flex-column flex-md-row sp-inline"));
  footer_link(h, "Informativa privacy", "/privacy", "privacy-policy-link");
  footer_link(h, "Note legali", "/note-legali", "legal-notes");
  footer_link(h, "Dichiarazione di accessibilità", url_accessibility(h->a), "accessibility-link");
  footer_link(h, "Segnala un disservizio", url_portal(h->a, p->ente_slug, "/segnala"), "report-inefficiency");
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

void portal_service_card(html *h, const char *title, const char *text, const char *href) {
  html_open(h, "div", HA("class", "col-12 col-md-6 col-lg-4 mb-3"));
  html_open(h, "div", HA("class", "card card-bg h-100"));
  html_open(h, "div", HA("class", "card-body"));
  html_open(h, "h3", HA("class", "card-title h5"));
  html_elem(h, "a", title, HA("href", href), HA("data-element", "service-link"));
  html_close(h, "h3");
  html_elem(h, "p", text, HA("class", "card-text"));
  html_close(h, "div");
  html_close(h, "div");
  html_close(h, "div");
}

void portal_alert(html *h, const char *kind, const char *title, const char *text) {
  const char *cls = arena_printf(h->a, "alert alert-%s", kind);
  html_open(h, "div", HA("class", cls), HA("role", strcmp(kind, "danger") == 0 ? "alert" : "status"));
  if (title) html_elem(h, "h2", title, HA("class", "h5 alert-heading"));
  if (text) html_elem(h, "p", text, HA("class", "mb-0"));
  html_close(h, "div");
}
