#include "render/form.h"
#include <stdio.h>
#include <string.h>
#include "render/link.h"

static int strcmp_safe_eq(const char *a, const char *b) { return strcmp(a, b) == 0; }

static const char *field_id(html *h, const char *name) { return arena_printf(h->a, "f-%s", name); }

void form_begin(html *h, const char *action, const char *csrf) {
  html_open(h, "form", HA("method", "post"), HA("action", action), HA("novalidate", ""));
  html_void(h, "input", HA("type", "hidden"), HA("name", "_csrf"), HA("value", csrf ? csrf : ""));
}

void form_begin_errors(html *h, const char *action, const char *csrf, const problem *errs,
                       size_t n) {
  form_error_summary(h, errs, n);
  form_begin(h, action, csrf);
  h->errs = errs;
  h->n_errs = n;
}

void form_begin_multipart_errors(html *h, const char *action, const char *csrf,
                                 const problem *errs, size_t n) {
  form_error_summary(h, errs, n);
  html_open(h, "form", HA("method", "post"), HA("action", action), HA("novalidate", ""),
            HA("enctype", "multipart/form-data"));
  html_void(h, "input", HA("type", "hidden"), HA("name", "_csrf"), HA("value", csrf ? csrf : ""));
  h->errs = errs;
  h->n_errs = n;
}

void form_end(html *h) {
  html_close(h, "form");
  h->errs = NULL;
  h->n_errs = 0;
}

const char *form_error_for(const html *h, const char *name) {
  for (size_t i = 0; name && i < h->n_errs; i++)
    if (h->errs[i].field && strcmp(h->errs[i].field, name) == 0) return h->errs[i].message;
  return NULL;
}

void form_group_error(html *h, const char *name, const char *message) {
  if (!message) return;
  html_elem(h, "div", message, HA("id", arena_printf(h->a, "f-%s-error", name)),
            HA("class", "invalid-feedback d-block"));
}

/* The field's own error: the explicit one, else the bound one. */
static form_field bound(const html *h, const form_field *f) {
  form_field b = *f;
  if (!b.error) b.error = form_error_for(h, f->name);
  return b;
}

/* The label, the control's shared attributes, and the error message. */
static const char *described_by(html *h, const form_field *f) {
  if (f->error && f->hint) return arena_printf(h->a, "f-%s-error f-%s-hint", f->name, f->name);
  if (f->error) return arena_printf(h->a, "f-%s-error", f->name);
  if (f->hint) return arena_printf(h->a, "f-%s-hint", f->name);
  return NULL;
}

static void label(html *h, const form_field *f) {
  html_open(h, "label", HA("for", field_id(h, f->name)), HA("class", "active"));
  html_text(h, f->label);
  if (f->required) html_lit(h, " <span aria-hidden=\"true\">*</span>");
  html_close(h, "label");
}

static void after_control(html *h, const form_field *f) {
  if (f->hint)
    html_elem(h, "small", f->hint, HA("id", arena_printf(h->a, "f-%s-hint", f->name)),
              HA("class", "form-text"));
  if (f->error)
    html_elem(h, "div", f->error, HA("id", arena_printf(h->a, "f-%s-error", f->name)),
              HA("class", "invalid-feedback d-block"));
}

void form_input(html *h, const form_field *in) {
  form_field bf = bound(h, in);
  const form_field *f = &bf;
  html_open(h, "div", HA("class", "form-group"));
  label(h, f);
  html_void(h, "input", HA("type", f->type ? f->type : "text"), HA("id", field_id(h, f->name)),
            HA("name", f->name), HA("value", f->value ? f->value : ""),
            HA("class", f->error ? "form-control is-invalid" : "form-control"),
            HA("maxlength", f->maxlength ? arena_printf(h->a, "%d", f->maxlength) : NULL),
            HA("autocomplete", f->autocomplete), HBOOL("required", f->required),
            HA("aria-invalid", f->error ? "true" : NULL),
            HA("aria-describedby", described_by(h, f)));
  after_control(h, f);
  html_close(h, "div");
}

void form_select(html *h, const form_field *in, const form_option *opts, size_t n) {
  form_field bf = bound(h, in);
  const form_field *f = &bf;
  html_open(h, "div", HA("class", "select-wrapper mb-4"));
  label(h, f);
  html_open(h, "select", HA("id", field_id(h, f->name)), HA("name", f->name),
            HA("class", f->error ? "is-invalid" : NULL), HBOOL("required", f->required),
            HA("aria-invalid", f->error ? "true" : NULL),
            HA("aria-describedby", described_by(h, f)));
  for (size_t i = 0; i < n; i++) {
    int sel = f->value && opts[i].value && strcmp_safe_eq(f->value, opts[i].value);
    html_open(h, "option", HA("value", opts[i].value), HBOOL("selected", sel));
    html_text(h, opts[i].label);
    html_close(h, "option");
  }
  html_close(h, "select");
  after_control(h, f);
  html_close(h, "div");
}

void form_checkbox(html *h, const char *name, const char *text, int checked) {
  const char *id = field_id(h, name);
  html_open(h, "div", HA("class", "form-check"));
  html_void(h, "input", HA("type", "checkbox"), HA("id", id), HA("name", name), HA("value", "1"),
            HBOOL("checked", checked));
  html_elem(h, "label", text, HA("for", id));
  html_close(h, "div");
}

void form_radio_group(html *h, const form_field *in, const form_option *opts, size_t n) {
  form_field bf = bound(h, in);
  const form_field *f = &bf;
  html_open(h, "fieldset", HA("class", "mb-4"), HA("id", field_id(h, f->name)),
            HA("aria-describedby", f->error ? arena_printf(h->a, "f-%s-error", f->name) : NULL));
  html_elem(h, "legend", f->label, HA("class", "h6"));
  for (size_t i = 0; i < n; i++) {
    const char *id = arena_printf(h->a, "f-%s-%s", f->name, opts[i].value);
    int sel = f->value && strcmp_safe_eq(f->value, opts[i].value);
    html_open(h, "div", HA("class", "form-check form-check-inline"));
    html_void(h, "input", HA("type", "radio"), HA("id", id), HA("name", f->name),
              HA("value", opts[i].value), HBOOL("checked", sel),
              HA("aria-invalid", f->error ? "true" : NULL));
    html_elem(h, "label", opts[i].label, HA("for", id));
    html_close(h, "div");
  }
  form_group_error(h, f->name, f->error);
  html_close(h, "fieldset");
}

void form_submit(html *h, const char *text) {
  html_open(h, "button", HA("type", "submit"), HA("class", "btn btn-primary"));
  html_text(h, text);
  html_close(h, "button");
}

void form_error_summary(html *h, const problem *items, size_t n) {
  if (!n) return;
  html_open(h, "div", HA("class", "alert alert-danger"), HA("role", "alert"),
            HA("id", "errori-modulo"));
  html_elem(h, "p", n == 1 ? "Il modulo contiene un errore:" : "Il modulo contiene alcuni errori:",
            HA("class", "fw-bold"));
  html_open(h, "ul");
  for (size_t i = 0; i < n; i++) {
    html_open(h, "li");
    if (items[i].field) {
      html_open(h, "a", HA("href", arena_printf(h->a, "#f-%s", items[i].field)));
      html_text(h, items[i].message);
      html_close(h, "a");
    } else {
      html_text(h, items[i].message);
    }
    html_close(h, "li");
  }
  html_close(h, "ul");
  html_close(h, "div");
}

void form_submit_secondary(html *h, const char *text, const char *name) {
  html_elem(h, "button", text, HA("type", "submit"), HA("name", name), HA("value", "1"),
            HA("class", "btn btn-outline-primary btn-sm sp-secondary"));
}

void form_default_submit(html *h) {
  html_elem(h, "button", "Salva", HA("type", "submit"), HA("class", "d-none"), HA("tabindex", "-1"));
}

void form_actions(html *h, const char *submit_label, const char *cancel_href) {
  html_open(h, "div", HA("class", "sp-form-actions"));
  form_submit(h, submit_label);
  html_elem(h, "a", "Annulla", HA("href", cancel_href), HA("class", "btn btn-outline-secondary"));
  html_close(h, "div");
}
