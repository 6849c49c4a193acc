#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "http/http_internal.h"

static const struct {
  const char *ext, *type;
} types[] = {
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".woff", "font/woff"},
    {".ttf", "font/ttf"},
    {".map", "application/json"},
    {".txt", "text/plain; charset=utf-8"},
};

/* Only [A-Za-z0-9._/-] and no "..": nothing outside static_dir is reachable. */
static int safe_path(const char *p) {
  if (!*p || strlen(p) > 200 || strstr(p, "..") || p[0] == '/') return 0;
  for (; *p; p++) {
    char c = *p;
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
          c == '_' || c == '-' || c == '/'))
      return 0;
  }
  return 1;
}

void http_static(const http_config *cfg, request *rq, response *rs) {
  const char *rel = rq->path + strlen("/static/");
  const char *type = NULL;
  const char *dot = strrchr(rel, '.');
  for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
    if (strcmp(dot, types[i].ext) == 0) type = types[i].type;
  if (!safe_path(rel) || !type) {
    rs_error(rq, rs, ERR_NOT_FOUND, OUT_HTML);
    return;
  }
  const char *full = arena_printf(rq->a, "%s/%s", cfg->static_dir, rel);
  struct stat st;
  if (stat(full, &st) != 0 || !S_ISREG(st.st_mode)) {
    rs_error(rq, rs, ERR_NOT_FOUND, OUT_HTML);
    return;
  }
  rs->status = 200;
  rs->content_type = type;
  rs->file_path = full;
  rs->file_size = st.st_size;
  rs->cacheable = 1;
}
