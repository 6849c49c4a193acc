#include "core/log.h"
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

static log_level min_level = LOG_INFO;
static const char *names[] = {"DEBUG", "INFO", "WARN", "ERROR"};

void log_set_level(log_level lvl) { min_level = lvl; }

void log_msg(log_level lvl, const char *fmt, ...) {
  if (lvl < min_level) return;
  char line[2048];
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  struct tm tm;
  gmtime_r(&ts.tv_sec, &tm);
  int n = (int)strftime(line, sizeof line, "%Y-%m-%dT%H:%M:%SZ ", &tm);
  n += snprintf(line + n, sizeof line - (size_t)n, "%s ", names[lvl]);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
  va_end(ap);
  /* a single write keeps lines from different threads whole */
  fprintf(stderr, "%s\n", line);
}
