/* The pagoPA payment notice ("avviso di pagamento") as PDF, drawn with
 * cairo + pango after the official layout (avviso pagoPA, "Guida tecnica"
 * and the modelli base): header with subject and Ente, "Quanto e quando
 * pagare?", "Dove pagare?", payment data for the single payment and for
 * installments in groups of 2 or 3 (a compact grid from 9 installments on),
 * a QR code per payment option and, when the Ente has a postal account, the
 * "Bollettino postale PA" with the Poste DataMatrix for each option.
 *
 * Fonts: Titillium Web and Roboto Mono TTFs read from a directory given by
 * the caller (bootstrap-italia ships them in web/node_modules); a private
 * fontconfig configuration holds only those files, so the output does not
 * depend on the fonts installed on the machine. Cairo embeds subsets.
 *
 * Threads: a notice_renderer belongs to one thread at a time (it keeps its
 * pango layouts); make one per thread. Nothing else is shared. */
#ifndef SP_RENDER_PDF_NOTICE_H
#define SP_RENDER_PDF_NOTICE_H
#include <cairo.h>
#include <stddef.h>
#include <stdint.h>
#include "core/date.h"
#include "core/error.h"
#include "core/strbuf.h"

typedef struct notice_renderer notice_renderer;
typedef struct notice_logo notice_logo;

/* One payment option: the single payment or one installment. */
typedef struct {
  const char *nav; /* 18 digits, valid check digits */
  int64_t cents;   /* 1 .. 9.999.999.999 cents */
  civil_date due;  /* y == 0: no due date */
} notice_payment;

typedef struct {
  /* Ente creditore */
  const char *ente_name;     /* required */
  const char *ente_cf;       /* required, 11 digits */
  const char *ente_sector;   /* optional: office / sector line */
  const char *ente_info;     /* optional: contact line (site, phone, PEC) */
  const notice_logo *logo;   /* optional */
  const char *cbill;         /* optional CBILL code */
  const char *creditor_name; /* "Ente creditore" in the payment parts; NULL = ente_name */
  /* Postal account: both or neither. */
  const char *postal_account; /* 1..12 digits */
  const char *postal_auth;    /* Poste authorisation line ("AUT. ...") */
  /* Destinatario */
  const char *debtor_name; /* required */
  const char *debtor_cf;   /* required, up to 16 characters */
  const char *debtor_address, *debtor_postal_code, *debtor_city, *debtor_province; /* optional */
  const char *subject; /* required: oggetto del pagamento */
  /* Options: a single payment and/or 2..NOTICE_MAX_INSTALLMENTS installments. */
  const notice_payment *single;
  const notice_payment *installments;
  size_t n_installments;
} notice_data;

#define NOTICE_MAX_INSTALLMENTS 120
#define NOTICE_MANY_INSTALLMENTS 9 /* from here on the compact grid */

/* font_dir holds the TTF files (see notice.c for the names). ERR_NOT_FOUND
 * if a font file is missing, ERR_INTERNAL on other failures. */
err_code notice_renderer_new(const char *font_dir, notice_renderer **out);
void notice_renderer_free(notice_renderer *r);
/* This thread's renderer (renderers are not thread-safe), made from
 * portal.font_dir at its first use, kept for the thread's life and freed
 * when the thread ends; on missing fonts ERR_INTERNAL with the cause
 * recorded. */
err_code notice_renderer_thread(notice_renderer **out);

/* A PNG logo, decoded once and shared (read-only) by any number of notices
 * and renderers. NULL if the bytes are not a PNG. */
notice_logo *notice_logo_from_png(const void *png, size_t len);
void notice_logo_free(notice_logo *logo);

/* NULL if n can be rendered, else the Italian reason. */
const char *notice_validate(const notice_data *n);

/* Draws every page of one notice on an open PDF surface (each page ended
 * with cairo_show_page), so a bulk run can put many notices in one file.
 * Validates first: ERR_INVALID and nothing drawn if the data is bad. *pages
 * (may be NULL) gets the number of pages drawn. */
err_code notice_render(notice_renderer *r, cairo_surface_t *pdf, const notice_data *n, int *pages);
/* One notice as a PDF file at path. */
err_code notice_render_file(notice_renderer *r, const notice_data *n, const char *path);
/* One notice as PDF bytes appended to out (out->err set on overflow). */
err_code notice_render_buffer(notice_renderer *r, const notice_data *n, strbuf *out);

/* "1.234,56 €" */
void notice_format_amount(int64_t cents, char out[40]);

#endif
