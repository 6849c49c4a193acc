/* The pieces every page repeats, on top of the escaping writer: a link
 * that looks like a button, a table with caption and header (scrolling
 * sideways on a phone instead of widening the page), definition rows, a
 * pager with numbered pages and the true total, the notice after a saved
 * form, a breadcrumb, and numbers in Italian format. */
#ifndef SP_WIDGET_H
#define SP_WIDGET_H
#include <stddef.h>
#include <stdint.h>
#include "render/html.h"

/* Italian digit grouping: 1234567 -> "1.234.567" (arena string). */
const char *num_it(arena *a, int64_t v);
/* "YYYY-MM-DD" -> "DD/MM/YYYY"; anything else is returned as it is. */
const char *date_it(arena *a, const char *iso);

typedef enum { BTN_PRIMARY, BTN_SECONDARY } btn_style;
/* <a class="btn ..." href>label</a>. */
void button_link(html *h, const char *label, const char *href, btn_style style);

/* <div class="table-responsive"><table class="table"><caption>...</caption>
 * <thead> one <th scope="col"> per column </thead><tbody>. A caption not
 * meant to be seen (the heading above says it) is visually hidden but read
 * by screen readers. The scrolling box is a focusable region named by the
 * caption, so a keyboard user can scroll it too. */
void table_begin(html *h, const char *caption, int caption_visible, const char *const *cols,
                 size_t n_cols);
void table_end(html *h);
void table_row_begin(html *h);
void table_row_end(html *h);
/* Cells: text, a link, a number (Italian format, right-aligned); the
 * first cell of a row may be a row header (th scope="row"). */
void table_cell(html *h, const char *text);
void table_cell_link(html *h, const char *text, const char *href, int row_header);
void table_cell_num(html *h, int64_t v);

/* <dl class="row"> term/value pairs. dl_row skips the row when value is
 * NULL or empty and if_empty is NULL; otherwise shows if_empty. */
void dl_begin(html *h);
void dl_end(html *h);
void dl_row(html *h, const char *term, const char *value, const char *if_empty);
/* A row whose value the caller writes between the two calls. */
void dl_row_begin(html *h, const char *term);
void dl_row_end(html *h);

/* Pager: pager_summary writes "N <noun> · pagina P di Q" (role="status");
 * pager a <nav> with previous/next and numbered pages (the first, the last
 * and the ones around the current page, with gaps), the current page with
 * aria-current="page"; nothing when everything fits in one page. */
typedef const char *(*page_href_fn)(arena *a, const void *ctx, int page);
typedef struct {
  int page;        /* 1-based, current */
  int page_size;
  int64_t total;   /* true total of results */
  page_href_fn href;
  const void *ctx; /* passed to href */
  const char *noun_one, *noun_many; /* "contribuente", "contribuenti" */
} pager_info;
int pager_pages(int64_t total, int page_size); /* at least 1 */
void pager_summary(html *h, const pager_info *p);
void pager(html *h, const pager_info *p);

/* Notices after a redirect (?salvato=<value>): the message is looked up in
 * the page's own table, so the query value itself is never shown. */
typedef struct {
  const char *value, *message;
} saved_notice;
const char *saved_notice_for(const saved_notice *table, size_t n, const char *value);
/* The success alert (role="status") the page frame shows at the top. */
void notice_success(html *h, const char *message);

/* Breadcrumb: every item a link but the last, which is the current page
 * (aria-current="page"). Nothing for fewer than two items. */
typedef struct {
  const char *label, *href;
} crumb;
void breadcrumb(html *h, const crumb *items, size_t n);

#endif
