/* libFuzzer target: the PEC daticert.xml reader and the HTML sanitiser on
 * arbitrary bytes. The sanitiser's output must never carry a script,
 * an event attribute or a javascript: link. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mail/mail.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 1 << 20) return 0;
  arena *a = arena_new();
  pec_daticert d;
  if (pec_daticert_parse(a, data, size, &d) == ERR_OK && !d.tipo) abort();
  char *text = NULL;
  char *html = mail_html_sanitize(a, (const char *)data, size, &text);
  if (!html || !text) abort();
  for (const char *p = html; (p = strchr(p, '<')); p++) {
    if (strncasecmp(p, "<script", 7) == 0 || strncasecmp(p, "<style", 6) == 0) abort();
  }
  if (strcasestr(html, "javascript:") && strstr(html, "href=\"javascript")) abort();
  arena_free(a);
  return 0;
}
