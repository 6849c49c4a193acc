/* Intake from a source, one message at a time: parse (or quarantine),
 * store in one transaction, and only then tell the source the message
 * is done. A message that cannot be read or stored for a reason of its
 * own is quarantined so the ones behind it go on; when the database is
 * unavailable the source is left untouched and the run stops. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/config.h"
#include "core/log.h"
#include "mail/mail.h"

static int storage_down(err_code rc) {
  return rc == ERR_UNAVAILABLE || rc == ERR_BUSY || rc == ERR_STORAGE;
}

err_code mail_ingest_one(db *d, const intake_mailbox *mb, const char *ref, const void *raw,
                         size_t len, int64_t uid, mail_ingest_stats *st) {
  arena *a = arena_new();
  mail_limits lim;
  mail_limits_from_config(&lim);
  intake_msg m;
  const char *reason = NULL;
  st->seen++;
  err_code rc = mail_parse(a, raw, len, &lim, &m, &reason);
  if (rc == ERR_OK) {
    intake_result res;
    rc = intake_store(d, a, mb, &m, uid, &res);
    if (rc == ERR_CONFLICT) rc = intake_store(d, a, mb, &m, uid, &res); /* a concurrent copy */
    if (rc == ERR_OK) {
      if (res.duplicate) st->duplicates++;
      else if (strcmp(res.kind, "automatic") == 0) st->automatic++, st->stored++;
      else st->stored++;
    } else if (!storage_down(rc)) {
      reason = arena_printf(a, "Errore di elaborazione (%s).", err_slug(rc));
      log_warn("mail: %s %s: %s", mb->name, ref, reason);
    }
  }
  if (rc != ERR_OK && !storage_down(rc)) {
    rc = intake_quarantine(d, mb, ref, reason ? reason : "Messaggio non leggibile.", raw, len,
                           (int64_t)len <= lim.max_message_bytes, uid);
    if (rc == ERR_OK) st->quarantined++;
  }
  if (rc != ERR_OK) st->failed++;
  arena_free(a);
  return rc;
}

err_code mail_release(db *d, arena *a, const actor *who, int64_t id, intake_result *res, const char **why) {
  *why = NULL;
  memset(res, 0, sizeof *res);
  intake_quarantined q;
  const void *raw;
  size_t len;
  err_code rc = intake_quarantine_get(d, a, id, &q, &raw, &len);
  if (rc != ERR_OK) return rc;
  if (strcmp(q.state, "held") != 0) {
    *why = "Il messaggio non è più in quarantena.";
    return ERR_CONFLICT;
  }
  if (!raw) {
    *why =
        "Il contenuto del messaggio non è stato conservato (troppo grande): non si può "
        "acquisire.";
    return ERR_INVALID;
  }
  mail_limits lim;
  mail_limits_from_config(&lim);
  intake_msg m;
  const char *reason = NULL;
  if ((int64_t)len > lim.max_message_bytes || mail_parse(a, raw, len, &lim, &m, &reason) != ERR_OK) {
    *why = arena_printf(a, "Il messaggio non è ancora leggibile: %s",
                        reason ? reason : "supera la dimensione massima consentita.");
    return ERR_INVALID;
  }
  rc = intake_release(d, a, who, &q, &m, res);
  if (rc == ERR_CONFLICT) rc = intake_release(d, a, who, &q, &m, res); /* a concurrent copy */
  if (rc == ERR_CONFLICT) *why = "Il messaggio non è più in quarantena.";
  return rc;
}

/* Reads path whole (at most limit + 1 bytes: *too_big when over). */
static char *slurp(const char *path, int64_t limit, size_t *len, int *too_big) {
  FILE *f = fopen(path, "rb");
  *too_big = 0;
  if (!f) return NULL;
  struct stat sb;
  if (fstat(fileno(f), &sb) == 0 && sb.st_size > limit) {
    fclose(f);
    *too_big = 1;
    *len = (size_t)sb.st_size;
    return NULL;
  }
  size_t cap = sb.st_size > 0 ? (size_t)sb.st_size + 1 : 65536, n = 0, got;
  char *buf = malloc(cap);
  while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
    n += got;
    if ((int64_t)n > limit) {
      *too_big = 1;
      break;
    }
    if (n == cap) {
      char *nb = realloc(buf, cap *= 2);
      if (!nb) free(buf);
      buf = nb;
    }
  }
  fclose(f);
  *len = n;
  if (*too_big) {
    free(buf);
    return NULL;
  }
  return buf;
}

static int by_name(const void *x, const void *y) {
  return strcmp(*(char *const *)x, *(char *const *)y);
}

err_code mail_ingest_maildir(db *d, const intake_mailbox *mb, const char *dir,
                             mail_ingest_stats *st) {
  char path[4096];
  snprintf(path, sizeof path, "%s/new", dir);
  DIR *dh = opendir(path);
  if (!dh) return ERR_NOT_FOUND;
  size_t n = 0, cap = 256;
  char **names = malloc(cap * sizeof *names);
  struct dirent *e;
  while (names && (e = readdir(dh))) {
    if (e->d_name[0] == '.') continue;
    if (n == cap) {
      char **nn = realloc(names, (cap *= 2) * sizeof *names);
      if (!nn) break;
      names = nn;
    }
    names[n++] = strdup(e->d_name);
  }
  closedir(dh);
  if (!names) return ERR_INTERNAL;
  qsort(names, n, sizeof *names, by_name);
  int64_t limit = config_int("mail", "max_message_bytes");
  err_code result = ERR_OK;
  for (size_t i = 0; i < n; i++) {
    char src[4096], dst[4200];
    snprintf(src, sizeof src, "%s/new/%s", dir, names[i]);
    size_t len = 0;
    int too_big = 0;
    char *raw = slurp(src, limit, &len, &too_big);
    if (!raw && !too_big) continue; /* taken by another reader meanwhile */
    err_code rc;
    if (too_big) {
      st->seen++;
      rc = intake_quarantine(d, mb, names[i], "Il messaggio supera la dimensione massima consentita.",
                             NULL, len, 0, 0);
      if (rc == ERR_OK) st->quarantined++;
    } else {
      rc = mail_ingest_one(d, mb, names[i], raw, len, 0, st);
    }
    free(raw);
    if (rc != ERR_OK) {
      result = rc;
      break; /* the database is unavailable: leave the rest in new/ */
    }
    /* committed: now, and only now, the message leaves new/ */
    snprintf(dst, sizeof dst, "%s/cur/%s%s", dir, names[i], strstr(names[i], ":2,") ? "" : ":2,S");
    if (rename(src, dst) != 0 && errno != ENOENT)
      log_warn("mail: cannot move %s to cur/: %s", names[i], strerror(errno));
  }
  for (size_t i = 0; i < n; i++) free(names[i]);
  free(names);
  return result;
}
