/* The occupation fields both office forms share (occupation_form.c: a new
 * declaration or the data of one that came by mail; occupation_change_form.c:
 * a variation's new holder or new data): what was typed, the fields drawn
 * with it, and the taxpayer and occupation input built from it. */
#ifndef SP_WEB_OCCUPATION_UI_H
#define SP_WEB_OCCUPATION_UI_H
#include "domain/canone/canone.h"
#include "web/web.h"

typedef struct {
  const char *kind, *fiscal_code, *surname, *given_name, *company_name, *email;
} occ_tp_values;

typedef struct {
  const char *place, *zone, *use, *kind, *surface, *start, *end;
} occ_data_values;

occ_tp_values occ_ui_read_taxpayer(request *rq);
occ_data_values occ_ui_read_data(request *rq);
/* The data of a stored occupation, for a form's first showing. */
occ_data_values occ_ui_data_of(arena *a, const occupation *o);

/* A text input. */
void occ_ui_field(html *h, const char *name, const char *label, const char *value, const char *type, int required,
                  int maxlength, const char *hint);
/* The taxpayer's fields (taxpayer.*); required: the fiscal code is. */
void occ_ui_taxpayer_fields(html *h, const occ_tp_values *v, int required, const char *email_label,
                            const char *email_hint);
/* The occupation's fields; required: all but the end are. */
void occ_ui_data_fields(html *h, const occ_data_values *v, int required, const char *start_label,
                        const char *end_label);

/* The taxpayer of v (an e-mail given is a consented contact from source). */
taxpayer occ_ui_taxpayer(arena *a, const occ_tp_values *v, const char *source);
/* The occupation input of v for the Ente (other members zero). */
occupation_input occ_ui_input(int64_t ente_id, const occ_data_values *v);

#endif
