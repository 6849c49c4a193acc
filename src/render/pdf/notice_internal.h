/* Drawing primitives shared by the notice layout (notice.c) and kept in
 * notice_draw.c: fonts, cached text layouts, bars, QR code, DataMatrix. */
#ifndef SP_RENDER_PDF_NOTICE_INTERNAL_H
#define SP_RENDER_PDF_NOTICE_INTERNAL_H
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include "render/pdf/notice.h"

/* Text styles: one font description each (sizes in points). */
typedef enum {
  ST_LOGO,      /* "pagoPA" wordmark */
  ST_KICKER,    /* "AVVISO DI PAGAMENTO" */
  ST_TITLE,     /* subject in the header */
  ST_BAR,       /* section titles in the grey bars */
  ST_BAR_MONO,  /* codes in the bars */
  ST_NAME,      /* Ente and recipient names */
  ST_BODY,      /* sector, address */
  ST_LABEL,     /* small field labels */
  ST_VALUE,     /* small bold field values */
  ST_TEXT,      /* paragraphs */
  ST_HEAD,      /* "PAGA CON L'APP IO" */
  ST_BIG,       /* amount and date in "Quanto e quando" */
  ST_MONO,      /* codes */
  ST_MONO_BIG,  /* amounts in the payment parts */
  ST_POSTE,     /* "Poste italiane" wordmark, bold part */
  ST_POSTE_REG, /* and its regular part */
  ST_BAR_REG,   /* "Banco" of "BancoPosta" */
  ST__COUNT
} text_style;

typedef enum { AL_LEFT, AL_RIGHT, AL_CENTER } text_align;

#define NOTICE_CACHE_SLOTS 512

typedef struct {
  const char *key; /* static string: its address is the key */
  int style, width, align, lines;
  PangoLayout *layout;
} cached_layout;

/* Monospaced styles skip pango: a glyph per character from a table made
 * once (Roboto Mono has no kerning or ligatures), 95 ASCII + '€'. */
#define MONO_CHARS 96
typedef struct {
  PangoFont *font; /* keeps scaled alive */
  cairo_scaled_font_t *scaled;
  unsigned long glyph[MONO_CHARS];
  double advance, baseline;
} mono_font;

struct notice_renderer {
  FcConfig *fc;
  PangoFontMap *fontmap;
  PangoContext *ctx;
  PangoFontDescription *fd[ST__COUNT];
  PangoLayout *dyn; /* reused for every dynamic string */
  int dyn_style, dyn_width, dyn_align, dyn_lines;
  cached_layout cache[NOTICE_CACHE_SLOTS];
  mono_font mono[ST__COUNT]; /* .scaled set for the monospaced styles */
  cairo_t *cr;               /* the page being drawn */
#define NOTICE_TEMPLATES 8
  cairo_surface_t *tmpl[NOTICE_TEMPLATES]; /* static parts, recorded once (notice.c) */
};

struct notice_logo {
  cairo_surface_t *img;
  int w, h;
};

/* Colours */
void set_ink(cairo_t *cr);   /* text */
void set_muted(cairo_t *cr); /* labels */
void set_blue(cairo_t *cr);

/* Draws s with its top-left corner at (x, y). width <= 0: one line, no
 * wrapping (align ignored, except AL_RIGHT which ends the text at x). With a
 * width: wrapped to at most `lines` lines (0 = no limit), ellipsized past
 * that. Returns the height used. text() shapes s each time; stext() is for
 * string literals and shapes each (literal, style, width) once. */
double text(notice_renderer *r, double x, double y, text_style st, const char *s, double width, text_align al,
            int lines);
double stext(notice_renderer *r, double x, double y, text_style st, const char *s, double width,
             text_align al, int lines);
/* Width of s in style st on one line. */
double text_width(notice_renderer *r, text_style st, const char *s);

/* A grey bar from x0 to x1, h tall, at y. */
void bar(cairo_t *cr, double x0, double x1, double y, double h);
/* QR code (ECC level M) of payload, size x size points at (x, y).
 * ERR_INVALID if it cannot be encoded. */
err_code draw_qr(cairo_t *cr, double x, double y, double size, const char *payload);
/* Square ECC 200 DataMatrix of payload, size x size at (x, y). */
err_code draw_datamatrix(cairo_t *cr, double x, double y, double size, const char *payload);

#endif
