/* Form widgets in Bootstrap Italia markup. Every form carries the CSRF
 * token; a field with an error is marked aria-invalid and points at its
 * message with aria-describedby, and the form opens with a summary of the
 * errors linking to the fields. */
#ifndef SP_FORM_H
#define SP_FORM_H
#include <stddef.h>
#include "core/error.h"
#include "render/html.h"

typedef struct {
  const char *name;  /* also the element id, prefixed "f-" */
  const char *label; /* Italian */
  const char *value;
  const char *error; /* Italian message or NULL */
  const char *type;  /* "text" (default), "email", "tel", "date", "password", "search" */
  int required;
  const char *hint;  /* help text under the field, or NULL */
  const char *autocomplete;
  int maxlength;     /* 0: none */
} form_field;

typedef struct {
  const char *value, *label;
} form_option;

void form_begin(html *h, const char *action, const char *csrf);
/* The binding of field errors to a form: writes the error summary (every
 * problem, each linking to its field "#f-<name>"), then opens the form;
 * until form_end every field without an explicit .error shows its own
 * message, found by name, with aria-invalid and aria-describedby. */
void form_begin_errors(html *h, const char *action, const char *csrf, const problem *errs,
                       size_t n);
/* form_begin_errors for a form that sends files (multipart/form-data). */
void form_begin_multipart_errors(html *h, const char *action, const char *csrf,
                                 const problem *errs, size_t n);
void form_end(html *h);
/* The bound message for a field name, or NULL (for groups the page writes
 * itself, such as a fieldset of checkboxes). */
const char *form_error_for(const html *h, const char *name);
/* The message under a group the page writes itself: id f-<name>-error. */
void form_group_error(html *h, const char *name, const char *message);
void form_input(html *h, const form_field *f);
void form_select(html *h, const form_field *f, const form_option *opts, size_t n);
void form_checkbox(html *h, const char *name, const char *label, int checked);
void form_radio_group(html *h, const form_field *f, const form_option *opts, size_t n);
void form_submit(html *h, const char *label);
/* A submit button that posts name=1 for a secondary action (e.g. one more
 * empty row) instead of saving. */
void form_submit_secondary(html *h, const char *label, const char *name);
/* The first submit button of a form answers Enter in a field: this hidden
 * copy of the main button keeps Enter saving when secondary buttons come
 * before the main one. */
void form_default_submit(html *h);
/* The main button and an "Annulla" link back to cancel_href. */
void form_actions(html *h, const char *submit_label, const char *cancel_href);
/* Alert listing every problem with a link to its field; nothing when n=0. */
void form_error_summary(html *h, const problem *items, size_t n);

#endif
