/* A service's form (src/domain/services) in Bootstrap Italia markup, on the
 * server, without JavaScript: one fieldset per section, each field with
 * its label, help and, when the submission was refused, its message
 * (aria-describedby) and the value typed. Conditional fields are always
 * shown, with a hint saying when they apply; the validator ignores them
 * otherwise. The caller opens the form (form_begin_multipart_errors when
 * the form has file fields) and adds its buttons. A multi-line text field
 * is posted as "<name>.text" (the input check allows line breaks in
 * ".text" fields): svc_form_input_name gives the name to read. */
#ifndef SP_SERVICE_FORM_H
#define SP_SERVICE_FORM_H
#include "domain/services/services.h"
#include "render/html.h"

/* 1 when the form has a file field (needs multipart/form-data). */
int svc_form_has_files(const svc_def *d);
/* The fields, values from get (NULL: empty). */
void svc_form_fields(html *h, const svc_def *d, svc_get_fn get, void *ctx);
/* The filled form, read-only: a definition list per section of the
 * visible fields with their values ("—" when empty). */
void svc_form_summary(html *h, const svc_def *d, svc_get_fn get, void *ctx);
const char *svc_form_input_name(arena *a, const svc_field *f);
/* The label of a value (choice/yesno: the option's label). */
const char *svc_value_label(const svc_field *f, const char *value);

#endif
