/* The page frame every HTML page shares: Bootstrap Italia header with the
 * signed-in user and the Ente switcher, navigation, main landmark, footer
 * with the Comuni-site conventions (data-element attributes, legal links).
 * Plain data in, so render/ stays below http/. */
#ifndef SP_LAYOUT_H
#define SP_LAYOUT_H
#include <stddef.h>
#include "render/html.h"
#include "render/widget.h"

typedef struct {
  const char *slug;
  const char *name;
} page_ente;

typedef struct {
  const char *title;      /* Italian, also the <h1> unless no_h1 */
  int no_h1;
  const char *user_name;  /* NULL when nobody is signed in */
  const char *role_label; /* Italian role name */
  const char *csrf;       /* CSRF token for the sign-out form */
  const page_ente *entes; /* Enti the user may switch to */
  size_t n_entes;
  const char *ente_slug;  /* current Ente, or NULL */
  const char *ente_name;
  const char *section;    /* "ufficio", "contribuenti", "admin": highlights the nav */
  int is_admin;           /* show the administration link */
  const char *notice;     /* optional success message shown at the top */
  const crumb *crumbs;    /* breadcrumb above the title; the last is this page */
  size_t n_crumbs;
} page_info;

/* Writes <!doctype html> ... <main id="main-container"> and the title. */
void page_begin(html *h, const page_info *p);
/* Closes main, writes the footer, closes the document. */
void page_end(html *h, const page_info *p);
/* A complete error page (404, 403, 500...) in the same style. */
void page_error(html *h, int status, const char *message_it, const page_info *p);

#endif
