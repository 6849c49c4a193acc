/* The photographs of a cessation in forms (the taxpayer's upload page and
 * the operator's inspection record): the file field and the files of the
 * request, each typed by its content (libmagic), not by what the browser
 * said. */
#ifndef SP_WEB_OCCUPATION_PHOTOS_UI_H
#define SP_WEB_OCCUPATION_PHOTOS_UI_H
#include "domain/canone/canone.h"
#include "web/web.h"

/* The chosen files of field `name` (parts without a file name are
 * skipped); more than OCC_PHOTO_MAX parts is a problem under the name. */
void occ_photos_of_request(request *rq, const char *name, occ_photo **out, size_t *n, problems *pbs);
/* A multiple file field accepting JPEG and PNG, with its bound error. */
void occ_photo_input(html *h, const char *name, const char *label, const char *hint);

#endif
