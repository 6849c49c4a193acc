/* CSV as RFC 4180 writes it: fields quoted when they hold a comma, quote,
 * CR or LF; CRLF-free output with LF line ends. A field that a spreadsheet
 * would run as a formula (starting with = + - @ TAB or CR) is written with a
 * leading apostrophe unless it is a plain number, so an export opened in a
 * spreadsheet cannot execute what a taxpayer typed. */
#ifndef SP_CSV_H
#define SP_CSV_H
#include <stdint.h>
#include <stdio.h>

/* Writes one field (NULL as empty); sep=1 puts a comma before it. */
void csv_field(FILE *f, const char *s, int sep);
void csv_int(FILE *f, int64_t v, int sep);
/* Ends the record. */
void csv_end(FILE *f);

#endif
