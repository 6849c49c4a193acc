/* libFuzzer target: the received-mail parser (MIME, charsets, PEC
 * envelope, bounces) on arbitrary bytes. Whatever it accepts must have a
 * sender, a Message-ID, valid UTF-8 text and fingerprinted parts; the
 * first byte picks a small part limit now and then so the limit paths run
 * too. */
#include <glib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mail/mail.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 1 << 20) return 0;
  arena *a = arena_new();
  mail_limits lim = {1 << 20, 1 << 19, 200};
  if (size && data[0] == '#') lim.max_parts = 3;
  intake_msg m;
  const char *reason = NULL;
  err_code rc = mail_parse(a, data, size, &lim, &m, &reason);
  if (rc == ERR_OK) {
    if (!m.from_addr || !strchr(m.from_addr, '@') || !m.message_id || m.message_id[0] != '<')
      abort();
    if (!m.text || !g_utf8_validate(m.text, -1, NULL)) abort();
    if (m.html && strstr(m.html, "<script")) abort();
    for (size_t i = 0; i < m.n_parts; i++)
      if (strlen(m.parts[i].sha256) != 64 || !m.parts[i].data) abort();
  } else if (!reason) {
    abort();
  }
  arena_free(a);
  return 0;
}
