/* The frame of an Ente's public portal, after the Designers Italia model
 * for the sites of the Comuni (Bootstrap Italia): slim header with the
 * personal-area sign-in, center header with the Ente's logo and name,
 * navigation, main landmark, footer with the Ente's contacts and the
 * required links (privacy, accessibility statement, legal notes, report a
 * problem), each carrying the data-element attribute the model's checks
 * look for. No JavaScript needed. Plain data in, like layout.h. */
#ifndef SP_PORTAL_FRAME_H
#define SP_PORTAL_FRAME_H
#include <stddef.h>
#include "render/html.h"
#include "render/widget.h"

typedef struct {
  const char *title; /* <title> and <h1> unless no_h1 */
  int no_h1;
  const char *lead;      /* optional paragraph under the title */
  const char *ente_slug; /* links go to /enti/{slug}/... */
  const char *ente_name;
  int has_logo;                                  /* /enti/{slug}/logo.png, else the generic PA icon */
  const char *ente_mail, *ente_pec, *ente_phone; /* footer contacts, optional */
  const char *citizen_name;                      /* signed-in citizen (name or fiscal code), or NULL */
  const char *csrf;                              /* for the sign-out form */
  const char *section;                           /* "servizi", "area-personale": highlights the nav */
  const char *notice;                            /* success message at the top */
  const crumb *crumbs;                           /* the first is the portal home */
  size_t n_crumbs;
} portal_page;

void portal_begin(html *h, const portal_page *p);
void portal_end(html *h, const portal_page *p);

/* Portal URLs ("/enti/{slug}" + suffix, the slug percent-encoded). */
const char *url_portal(arena *a, const char *slug, const char *suffix);

/* A service card of the portal home (data-element="service-link"). */
void portal_service_card(html *h, const char *title, const char *text, const char *href);

/* An alert box: kind "danger", "warning", "info", "success"; role alert
 * for danger, status otherwise. */
void portal_alert(html *h, const char *kind, const char *title, const char *text);

#endif
