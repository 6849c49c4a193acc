/* The daily protocol register as a PDF (register.c): what
 * `sportello protocol register --pdf FILE` writes beside the CSV, with the
 * same day hash and audit head. Fonts as for the payment notice
 * (bootstrap-italia's src/fonts: Titillium Web, Roboto Mono). */
#ifndef SP_RENDER_PDF_REGISTER_H
#define SP_RENDER_PDF_REGISTER_H
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "domain/protocol/protocol.h"

typedef struct {
  const char *ente_name, *ente_cf;
  const char *day; /* YYYY-MM-DD */
  int64_t entries;
  const char *sha256;     /* over the day's entries */
  const char *audit_head; /* at the close of the day */
  const prot_entry *v;    /* the entries in number order */
  size_t n;
} register_pdf_data;

/* Writes the register to path. ERR_NOT_FOUND when a font file is missing
 * under font_dir, ERR_INTERNAL when the file cannot be written. */
err_code register_pdf_write(const char *font_dir, const register_pdf_data *r, const char *path);

#endif
