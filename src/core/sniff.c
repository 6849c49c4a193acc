/* What a file is, by its content (libmagic), never by its name or by what
 * the browser said. One magic cookie per thread, loaded on first use. */
#include <magic.h>
#include <string.h>

#include "core/sniff.h"

static _Thread_local magic_t cookie;
static _Thread_local int cookie_failed;

const char *sniff_mime(arena *a, const void *data, size_t len) {
  if (!cookie && !cookie_failed) {
    cookie = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | MAGIC_NO_CHECK_TAR |
                        MAGIC_NO_CHECK_ELF);
    if (cookie && magic_load(cookie, NULL) != 0) {
      magic_close(cookie);
      cookie = NULL;
    }
    if (!cookie) cookie_failed = 1;
  }
  const char *m = cookie && data && len ? magic_buffer(cookie, data, len) : NULL;
  return arena_strdup(a, m ? m : "application/octet-stream");
}
