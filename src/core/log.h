/* One line per event on stderr: "2026-11-22T10:00:00Z LEVEL message".
 * Never pass secrets (passwords, tokens, session ids) to these. */
#ifndef SP_LOG_H
#define SP_LOG_H

typedef enum { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR } log_level;

void log_set_level(log_level lvl);
void log_msg(log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A frequent INFO line (the access log): buffered and written by a
 * background thread within 200 ms, or at exit / log_flush. */
void log_buffered(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Writes out the buffered lines now. */
void log_flush(void);
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif
