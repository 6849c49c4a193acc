#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
  int status;
  const char *slug, *fault, *msg;
} table[ERR__COUNT] = {
#define ERR_ROW_(code, status, slug, fault, msg) [code] = {status, slug, fault, msg},
    ERR_LIST(ERR_ROW_)
#undef ERR_ROW_
};

static int valid(err_code c) { return (int)c >= 0 && c < ERR__COUNT; }

int err_http_status(err_code c) { return valid(c) ? table[c].status : 500; }
const char *err_slug(err_code c) { return valid(c) ? table[c].slug : "internal"; }
const char *err_message_it(err_code c) { return valid(c) ? table[c].msg : table[ERR_INTERNAL].msg; }

const char *err_pagopa_fault(err_code c) {
  if (valid(c) && table[c].fault) return table[c].fault;
  return err_http_status(c) >= 500 ? "PAA_SYSTEM_ERROR" : "PAA_SEMANTICA";
}

int err_is_form_problem(err_code c) {
  int st = err_http_status(c);
  return st == 422 || st == 409;
}

err_code err_by_slug(const char *slug) {
  if (!slug) return ERR__COUNT;
  for (int i = 0; i < ERR__COUNT; i++)
    if (strcmp(table[i].slug, slug) == 0) return (err_code)i;
  return ERR__COUNT;
}

static _Thread_local char cause[512];

void err_cause(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(cause, sizeof cause, fmt, ap);
  va_end(ap);
  for (char *p = cause; *p; p++)
    if ((unsigned char)*p < 0x20) *p = ' ';
}

const char *err_cause_peek(void) { return cause[0] ? cause : NULL; }
void err_cause_clear(void) { cause[0] = 0; }
