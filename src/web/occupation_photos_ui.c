/* The photographs of a cessation in forms (see occupation_photos_ui.h). */
#include "core/sniff.h"
#include "web/occupation_photos_ui.h"

#include <string.h>

#include "domain/services/services.h"

void occ_photos_of_request(request *rq, const char *name, occ_photo **out, size_t *n, problems *pbs) {
  *out = ARENA_ARRAY(rq->a, occ_photo, rq->files.n + 1);
  *n = 0;
  for (size_t i = 0; i < rq->files.n; i++) {
    const http_upload *u = &rq->files.items[i];
    if (!u->name || strcmp(u->name, name) != 0 || !u->filename || !*u->filename) continue;
    if (*n >= OCC_PHOTO_MAX) {
      problems_add(rq->a, pbs, ERR_INVALID, name,
                   arena_printf(rq->a, "Al massimo %d fotografie per volta.", OCC_PHOTO_MAX));
      return;
    }
    occ_photo *p = &(*out)[(*n)++];
    p->name = u->filename;
    p->data = u->data;
    p->size = u->size;
    p->mime = sniff_mime(rq->a, u->data, u->size);
  }
}

void occ_photo_input(html *h, const char *name, const char *label, const char *hint) {
  const char *id = arena_printf(h->a, "f-%s", name);
  const char *err = form_error_for(h, name);
  const char *hint_id = arena_printf(h->a, "f-%s-hint", name);
  const char *desc = err ? arena_printf(h->a, "f-%s-error %s", name, hint_id) : hint_id;
  html_open(h, "div", HA("class", "form-group"));
  html_open(h, "label", HA("for", id), HA("class", "active"));
  html_text(h, label);
  html_close(h, "label");
  html_void(h, "input", HA("type", "file"), HA("id", id), HA("name", name), HA("multiple", ""),
            HA("accept", "image/jpeg,image/png"),
            HA("class", err ? "form-control is-invalid" : "form-control"),
            HA("aria-invalid", err ? "true" : NULL), HA("aria-describedby", desc));
  html_elem(h, "small", hint, HA("id", hint_id), HA("class", "form-text"));
  if (err)
    html_elem(h, "div", err, HA("id", arena_printf(h->a, "f-%s-error", name)),
              HA("class", "invalid-feedback d-block"));
  html_close(h, "div");
}
