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
void form_end(html *h);
void form_input(html *h, const form_field *f);
void form_select(html *h, const form_field *f, const form_option *opts, size_t n);
void form_checkbox(html *h, const char *name, const char *label, int checked);
void form_radio_group(html *h, const form_field *f, const form_option *opts, size_t n);
void form_submit(html *h, const char *label);
/* Alert listing every problem with a link to its field; nothing when n=0. */
void form_error_summary(html *h, const problem *items, size_t n);

#endif
