/* Configuration as a table of typed keys with defaults and bounds. Sources,
 * later ones winning: defaults, the INI file, environment variables
 * SPORTELLO_<SECTION>_<KEY> (upper case), command-line flags (config_set).
 *
 * Threading: load and set at start-up, before any thread starts; after that
 * the table is only read, so reads need no lock. Strings returned by
 * config_str stay valid until the next config_load / config_set. */
#ifndef SP_CONFIG_H
#define SP_CONFIG_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum { CFG_STR, CFG_INT, CFG_BOOL } cfg_type;

typedef struct {
  const char *section, *key;
  cfg_type type;
  const char *def;  /* default, in the same text form as the INI file */
  int64_t min, max; /* CFG_INT: inclusive bounds; CFG_STR: length bounds in
                       bytes (max 0 = no limit); CFG_BOOL: unused */
  int secret;       /* never printed */
  const char *help_it;
} cfg_def;

/* The key table, for `sportello config` and for mapping flags to keys. */
const cfg_def *config_defs(size_t *count);

/* Resets to defaults, then applies the INI file (if path != NULL; a missing
 * explicitly-given file is an error), then the environment. Unknown keys in
 * the file, wrong types and out-of-bounds values are errors; err gets an
 * Italian message naming the key. 0 ok, -1 error (configuration unchanged). */
int config_load(const char *path, char *err, size_t errlen);
/* Sets one key (from a command-line flag) with the same checks. 0 / -1. */
int config_set(const char *section, const char *key, const char *value, char *err, size_t errlen);

/* Readers. Before any config_load they return the defaults. An unknown key
 * or a read of the wrong type is a programming error: message and abort. */
const char *config_str(const char *section, const char *key); /* never NULL */
int64_t config_int(const char *section, const char *key);
int config_bool(const char *section, const char *key);

/* Effective configuration as INI with a comment line per key; secret keys
 * print "(impostato)" / "(non impostato)", database URLs have their password
 * replaced by "***". */
void config_dump(FILE *out);

/* Copies url into out (always NUL-terminated, truncated to outlen) with the
 * password of "scheme://user:password@host" and of a "password=" query
 * parameter replaced by "***", for logs and error messages. */
void config_redact_url(const char *url, char *out, size_t outlen);

#endif
