#include "core/log.h"
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static log_level min_level = LOG_INFO;
static const char *names[] = {"DEBUG", "INFO", "WARN", "ERROR"};

/* Buffered lines (the access log) wait here for the flusher thread; every
 * other line is written at once, after whatever is buffered, so the order
 * of lines in the log is the order of events. */
enum { BUF_CAP = 64 * 1024, FLUSH_MS = 200 };
static char buf[BUF_CAP];
static size_t buf_len;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t flusher_once = PTHREAD_ONCE_INIT;

void log_set_level(log_level lvl) { min_level = lvl; }

static void write_all(const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(STDERR_FILENO, p, n);
    if (w <= 0) return; /* nowhere to report a failing log */
    p += w;
    n -= (size_t)w;
  }
}

/* Caller holds mu. */
static void flush_locked(void) {
  write_all(buf, buf_len);
  buf_len = 0;
}

void log_flush(void) {
  pthread_mutex_lock(&mu);
  flush_locked();
  pthread_mutex_unlock(&mu);
}

static void *flusher(void *arg) {
  (void)arg;
  for (;;) {
    struct timespec d = {0, FLUSH_MS * 1000000L};
    nanosleep(&d, NULL);
    log_flush();
  }
  return NULL;
}

static void start_flusher(void) {
  pthread_t t;
  pthread_attr_t at;
  pthread_attr_init(&at);
  pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
  if (pthread_create(&t, &at, flusher, NULL) != 0) {
    /* without the thread every buffered line is flushed by the next call */
  }
  pthread_attr_destroy(&at);
  atexit(log_flush);
}

/* "2026-11-22T10:00:00Z LEVEL message\n" into line; returns its length. */
static size_t format_line(char *line, size_t cap, log_level lvl, const char *fmt, va_list ap) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  struct tm tm;
  gmtime_r(&ts.tv_sec, &tm);
  size_t n = strftime(line, cap, "%Y-%m-%dT%H:%M:%SZ ", &tm);
  int k = snprintf(line + n, cap - n, "%s ", names[lvl]);
  if (k > 0) n += (size_t)k;
  k = vsnprintf(line + n, cap - n - 1, fmt, ap);
  if (k > 0) n += (size_t)k < cap - n - 1 ? (size_t)k : cap - n - 2;
  line[n++] = '\n';
  line[n] = 0;
  return n;
}

void log_msg(log_level lvl, const char *fmt, ...) {
  if (lvl < min_level) return;
  char line[2048];
  va_list ap;
  va_start(ap, fmt);
  size_t n = format_line(line, sizeof line, lvl, fmt, ap);
  va_end(ap);
  pthread_mutex_lock(&mu);
  flush_locked();
  write_all(line, n);
  pthread_mutex_unlock(&mu);
}

void log_buffered(const char *fmt, ...) {
  if (LOG_INFO < min_level) return;
  pthread_once(&flusher_once, start_flusher);
  char line[1024];
  va_list ap;
  va_start(ap, fmt);
  size_t n = format_line(line, sizeof line, LOG_INFO, fmt, ap);
  va_end(ap);
  pthread_mutex_lock(&mu);
  if (buf_len + n > BUF_CAP) flush_locked();
  memcpy(buf + buf_len, line, n);
  buf_len += n;
  pthread_mutex_unlock(&mu);
}
