/* Server-side rendering of forms defined as data (see service_form.h). */
#include "render/service_form.h"

#include <string.h>

#include "core/money.h"
#include "render/form.h"

int svc_form_has_files(const svc_def *d) {
  for (size_t s = 0; s < d->n_sections; s++)
    for (size_t i = 0; i < d->sections[s].n_fields; i++)
      if (d->sections[s].fields[i].type == SF_FILE) return 1;
  return 0;
}

const char *svc_form_input_name(arena *a, const svc_field *f) {
  return f->type == SF_TEXT && f->multiline ? arena_printf(a, "%s.text", f->name) : f->name;
}

const char *svc_value_label(const svc_field *f, const char *value) {
  if (!value) return NULL;
  for (size_t i = 0; i < f->n_options; i++)
    if (f->options[i].value && strcmp(f->options[i].value, value) == 0) return f->options[i].label;
  return value;
}

/* The field's help, the condition it depends on and, for files, what is
 * kept already, in one hint. */
static const char *hint(html *h, const svc_def *d, const svc_field *f, const char *value) {
  const char *s = f->help;
  if (f->visible_field) {
    const svc_field *ref = svc_def_field(d, f->visible_field);
    const char *cond =
        arena_printf(h->a, "Da compilare solo se la risposta a «%s» è «%s».",
                     ref && ref->label ? ref->label : f->visible_field,
                     ref ? svc_value_label(ref, f->visible_equals) : f->visible_equals);
    s = s ? arena_printf(h->a, "%s %s", s, cond) : cond;
  }
  if (f->type == SF_MONEY && !f->help) s = s ? s : "Importo in euro, es. 1.234,56.";
  if (f->type == SF_FILE && value) {
    const char *kept = arena_printf(h->a, "File già allegato: %s (scegline un altro per sostituirlo).",
                                    value);
    s = s ? arena_printf(h->a, "%s %s", s, kept) : kept;
  }
  return s;
}

static void file_input(html *h, const svc_field *f, const char *hint_text, int required) {
  const char *id = arena_printf(h->a, "f-%s", f->name);
  const char *err = form_error_for(h, f->name);
  const char *accept = "";
  for (size_t i = 0; i < f->n_types; i++)
    if (f->types[i]) accept = arena_printf(h->a, "%s%s%s", accept, *accept ? "," : "", f->types[i]);
  const char *desc = NULL;
  if (err && hint_text) desc = arena_printf(h->a, "f-%s-error f-%s-hint", f->name, f->name);
  else if (err) desc = arena_printf(h->a, "f-%s-error", f->name);
  else if (hint_text) desc = arena_printf(h->a, "f-%s-hint", f->name);
  html_open(h, "div", HA("class", "form-group"));
  html_open(h, "label", HA("for", id), HA("class", "active"));
  html_text(h, f->label);
  if (required) html_lit(h, " <span aria-hidden=\"true\">*</span>");
  html_close(h, "label");
  html_void(h, "input", HA("type", "file"), HA("id", id), HA("name", f->name),
            HA("accept", accept), HA("class", err ? "form-control is-invalid" : "form-control"),
            HA("aria-invalid", err ? "true" : NULL), HA("aria-describedby", desc));
  if (hint_text)
    html_elem(h, "small", hint_text, HA("id", arena_printf(h->a, "f-%s-hint", f->name)),
              HA("class", "form-text"));
  if (err)
    html_elem(h, "div", err, HA("id", arena_printf(h->a, "f-%s-error", f->name)),
              HA("class", "invalid-feedback d-block"));
  html_close(h, "div");
}

static void textarea(html *h, const svc_field *f, const char *value, const char *hint_text) {
  const char *id = arena_printf(h->a, "f-%s", f->name);
  const char *err = form_error_for(h, f->name);
  const char *desc = NULL;
  if (err && hint_text) desc = arena_printf(h->a, "f-%s-error f-%s-hint", f->name, f->name);
  else if (err) desc = arena_printf(h->a, "f-%s-error", f->name);
  else if (hint_text) desc = arena_printf(h->a, "f-%s-hint", f->name);
  html_open(h, "div", HA("class", "form-group"));
  html_open(h, "label", HA("for", id), HA("class", "active"));
  html_text(h, f->label);
  if (f->required) html_lit(h, " <span aria-hidden=\"true\">*</span>");
  html_close(h, "label");
  /* "<name>.text": the input check lets a ".text" field hold line breaks */
  html_open(h, "textarea", HA("id", id), HA("name", arena_printf(h->a, "%s.text", f->name)),
            HA("class", err ? "form-control is-invalid" : "form-control"), HA("rows", "5"),
            HA("maxlength", arena_printf(h->a, "%d", f->max_length)),
            HA("aria-invalid", err ? "true" : NULL), HA("aria-describedby", desc));
  html_text(h, value ? value : "");
  html_close(h, "textarea");
  if (hint_text)
    html_elem(h, "small", hint_text, HA("id", arena_printf(h->a, "f-%s-hint", f->name)),
              HA("class", "form-text"));
  if (err)
    html_elem(h, "div", err, HA("id", arena_printf(h->a, "f-%s-error", f->name)),
              HA("class", "invalid-feedback d-block"));
  html_close(h, "div");
}

static void field(html *h, const svc_def *d, const svc_field *f, svc_get_fn get, void *ctx) {
  const char *value = get ? get(ctx, f->name) : NULL;
  /* a conditional field is required only when it applies: no asterisk */
  int required = f->required && !f->visible_field;
  const char *hint_text = hint(h, d, f, value);
  if (f->type == SF_FILE) {
    file_input(h, f, hint_text, required);
    return;
  }
  if (f->type == SF_TEXT && f->multiline) {
    textarea(h, f, value, hint_text);
    return;
  }
  form_field ff = {.name = f->name, .label = f->label, .value = value, .required = required,
                   .hint = hint_text, .autocomplete = "off"};
  form_option *opts = NULL;
  if (f->n_options) {
    opts = ARENA_ARRAY(h->a, form_option, f->n_options + 1);
    size_t k = 0;
    if (f->type == SF_CHOICE && f->n_options > 5) opts[k++] = (form_option){"", "Scegli..."};
    for (size_t i = 0; i < f->n_options; i++)
      opts[k++] = (form_option){f->options[i].value, f->options[i].label};
    if (f->type == SF_CHOICE && f->n_options > 5) form_select(h, &ff, opts, k);
    else {
      if (hint_text) html_elem(h, "p", hint_text, HA("class", "form-text small mb-1"));
      form_radio_group(h, &ff, opts, k);
    }
    return;
  }
  switch (f->type) {
  case SF_DATE: ff.type = "date"; break;
  case SF_EMAIL: ff.type = "email"; ff.autocomplete = "email"; ff.maxlength = 254; break;
  case SF_CF: ff.maxlength = 16; break;
  case SF_NUMBER: ff.maxlength = 20; break;
  case SF_MONEY: ff.maxlength = 24; break;
  default: ff.maxlength = f->max_length; break;
  }
  form_input(h, &ff);
}

void svc_form_fields(html *h, const svc_def *d, svc_get_fn get, void *ctx) {
  for (size_t s = 0; s < d->n_sections; s++) {
    const svc_section *sec = &d->sections[s];
    html_open(h, "fieldset", HA("class", "mb-4"));
    html_elem(h, "legend", sec->title, HA("class", "h5"));
    if (sec->help) html_elem(h, "p", sec->help, HA("class", "text-muted"));
    for (size_t i = 0; i < sec->n_fields; i++) field(h, d, &sec->fields[i], get, ctx);
    html_close(h, "fieldset");
  }
}

void svc_form_summary(html *h, const svc_def *d, svc_get_fn get, void *ctx) {
  for (size_t s = 0; s < d->n_sections; s++) {
    const svc_section *sec = &d->sections[s];
    html_elem(h, "h3", sec->title, HA("class", "h6 mt-3"));
    html_open(h, "dl", HA("class", "row"));
    for (size_t i = 0; i < sec->n_fields; i++) {
      const svc_field *f = &sec->fields[i];
      if (!svc_field_visible(d, f, get, ctx)) continue;
      const char *v = svc_value_label(f, get(ctx, f->name));
      html_elem(h, "dt", f->label, HA("class", "col-sm-4"));
      html_elem(h, "dd", v && *v ? v : "—", HA("class", "col-sm-8"));
    }
    html_close(h, "dl");
  }
}
