/* What a file is, by its content (libmagic), never by its name or by what
 * the browser said: online services' attachments, an Ente's authorisation,
 * the photos of a cessation. */
#ifndef SP_SNIFF_H
#define SP_SNIFF_H
#include <stddef.h>
#include "core/arena.h"

/* The MIME type of data ("application/pdf", "image/png"...), in a;
 * "application/octet-stream" when libmagic cannot tell (or is missing). */
const char *sniff_mime(arena *a, const void *data, size_t len);

#endif
