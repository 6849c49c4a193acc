#include "render/widget.h"
#include <string.h>

const char *num_it(arena *a, int64_t v) {
  char digits[24], out[32];
  unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
  int n = 0;
  do {
    digits[n++] = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  int k = 0;
  if (v < 0) out[k++] = '-';
  for (int i = n - 1; i >= 0; i--) {
    out[k++] = digits[i];
    if (i > 0 && i % 3 == 0) out[k++] = '.';
  }
  out[k] = 0;
  return arena_strdup(a, out);
}

const char *date_it(arena *a, const char *iso) {
  if (!iso) return NULL;
  if (strlen(iso) != 10 || iso[4] != '-' || iso[7] != '-') return iso;
  char *out = arena_alloc(a, 11);
  memcpy(out, iso + 8, 2);
  out[2] = '/';
  memcpy(out + 3, iso + 5, 2);
  out[5] = '/';
  memcpy(out + 6, iso, 4);
  out[10] = 0;
  return out;
}

void button_link(html *h, const char *label, const char *href, btn_style style) {
  html_elem(h, "a", label, HA("href", href),
            HA("class", style == BTN_PRIMARY ? "btn btn-primary" : "btn btn-outline-primary"));
}

void table_begin(html *h, const char *caption, int caption_visible, const char *const *cols,
                 size_t n_cols) {
  /* A region that may scroll must be reachable by keyboard (WCAG 2.1.1):
   * focusable, with the caption as its name. */
  html_open(h, "div", HA("class", "table-responsive"), HA("role", "region"), HA("aria-label", caption),
            HA("tabindex", "0"));
  html_open(h, "table", HA("class", "table"));
  html_elem(h, "caption", caption, HA("class", caption_visible ? NULL : "visually-hidden"));
  html_open(h, "thead");
  html_open(h, "tr");
  for (size_t i = 0; i < n_cols; i++) html_elem(h, "th", cols[i], HA("scope", "col"));
  html_close(h, "tr");
  html_close(h, "thead");
  html_open(h, "tbody");
}

void table_end(html *h) {
  html_close(h, "tbody");
  html_close(h, "table");
  html_close(h, "div");
}

void table_row_begin(html *h) { html_open(h, "tr"); }
void table_row_end(html *h) { html_close(h, "tr"); }

void table_cell(html *h, const char *text) { html_text_elem(h, "td", text ? text : ""); }

void table_cell_link(html *h, const char *text, const char *href, int row_header) {
  if (row_header)
    html_open(h, "th", HA("scope", "row"));
  else
    html_open(h, "td");
  html_elem(h, "a", text ? text : "", HA("href", href));
  if (row_header)
    html_close(h, "th");
  else
    html_close(h, "td");
}

void table_cell_num(html *h, int64_t v) { html_elem(h, "td", num_it(h->a, v), HA("class", "text-end")); }

void dl_begin(html *h) { html_open(h, "dl", HA("class", "row")); }
void dl_end(html *h) { html_close(h, "dl"); }

void dl_row_begin(html *h, const char *term) {
  html_elem(h, "dt", term, HA("class", "col-sm-4"));
  html_open(h, "dd", HA("class", "col-sm-8"));
}
void dl_row_end(html *h) { html_close(h, "dd"); }

void dl_row(html *h, const char *term, const char *value, const char *if_empty) {
  if (!value || !*value) {
    if (!if_empty) return;
    value = if_empty;
  }
  dl_row_begin(h, term);
  html_text(h, value);
  dl_row_end(h);
}

int pager_pages(int64_t total, int page_size) {
  if (page_size < 1 || total <= 0) return 1;
  int64_t n = (total + page_size - 1) / page_size;
  return n > 1000000 ? 1000000 : (int)n;
}

static void page_item(html *h, const pager_info *p, int page, const char *text, const char *sr) {
  int current = page == p->page && !text;
  html_open(h, "li", HA("class", current ? "page-item active" : "page-item"));
  html_open(h, "a", HA("class", "page-link"), HA("href", p->href(h->a, p->ctx, page)),
            HA("aria-current", current ? "page" : NULL));
  if (sr) html_elem(h, "span", sr, HA("class", "visually-hidden"));
  if (text)
    html_text(h, text);
  else
    html_text(h, num_it(h->a, page));
  html_close(h, "a");
  html_close(h, "li");
}

static void page_gap(html *h) {
  html_open(h, "li", HA("class", "page-item"), HA("aria-hidden", "true"));
  html_elem(h, "span", "…", HA("class", "page-link"));
  html_close(h, "li");
}

void pager_summary(html *h, const pager_info *p) {
  int pages = pager_pages(p->total, p->page_size);
  html_open(h, "p", HA("role", "status"), HA("class", "sp-count"));
  html_textf(h, "%s %s", num_it(h->a, p->total), p->total == 1 ? p->noun_one : p->noun_many);
  if (pages > 1) html_textf(h, " · pagina %s di %s", num_it(h->a, p->page), num_it(h->a, pages));
  html_close(h, "p");
}

void pager(html *h, const pager_info *p) {
  int pages = pager_pages(p->total, p->page_size);
  if (pages <= 1) return;
  html_open(h, "nav", HA("class", "pagination-wrapper"), HA("aria-label", "Paginazione"));
  html_open(h, "ul", HA("class", "pagination flex-wrap"));
  if (p->page > 1) page_item(h, p, p->page - 1, "Precedente", NULL);
  int last_shown = 0;
  for (int i = 1; i <= pages; i++) {
    int near = i == 1 || i == pages || (i >= p->page - 2 && i <= p->page + 2);
    if (!near) continue;
    if (last_shown && i > last_shown + 1) page_gap(h);
    page_item(h, p, i, NULL, "Pagina ");
    last_shown = i;
  }
  if (p->page < pages) page_item(h, p, p->page + 1, "Successiva", NULL);
  html_close(h, "ul");
  html_close(h, "nav");
}

const char *saved_notice_for(const saved_notice *table, size_t n, const char *value) {
  if (!value) return NULL;
  for (size_t i = 0; i < n; i++)
    if (strcmp(table[i].value, value) == 0) return table[i].message;
  return NULL;
}

void notice_success(html *h, const char *message) {
  if (!message || !*message) return;
  html_elem(h, "div", message, HA("class", "alert alert-success"), HA("role", "status"));
}

void breadcrumb(html *h, const crumb *items, size_t n) {
  if (n < 2) return;
  html_open(h, "nav", HA("class", "breadcrumb-container"), HA("aria-label", "Percorso di navigazione"));
  html_open(h, "ol", HA("class", "breadcrumb"));
  for (size_t i = 0; i < n; i++) {
    int last = i + 1 == n;
    if (last) {
      html_elem(h, "li", items[i].label, HA("class", "breadcrumb-item active"),
                HA("aria-current", "page"));
    } else {
      html_open(h, "li", HA("class", "breadcrumb-item"));
      html_elem(h, "a", items[i].label, HA("href", items[i].href));
      html_elem(h, "span", "/", HA("class", "separator"), HA("aria-hidden", "true"));
      html_close(h, "li");
    }
  }
  html_close(h, "ol");
  html_close(h, "nav");
}
