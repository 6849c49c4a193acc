/* XML safety and the XSD lexical types shared by the pagoPA SOAP codec
 * (src/soap) and the FdR parser: every pagoPA document is read through
 * pagopa_xml_read (tree) or pagopa_xml_reader_options (streaming), which
 * never touch the network, never load or substitute entities and refuse any
 * DOCTYPE, so neither XXE nor entity expansion ("billion laughs") can
 * happen. Amounts are int64 cents, parsed without floating point. */
#ifndef SP_PAGOPA_XML_H
#define SP_PAGOPA_XML_H
#include <stddef.h>
#include <stdint.h>
#include <libxml/tree.h>
#include "core/date.h"

/* Process-wide libxml2 initialisation (xmlInitParser), once; every function
 * below calls it, callers may too. Thread-safe. */
void pagopa_xml_init(void);

/* libxml2 parser options used for every pagoPA document: no network, no
 * DTD loading, no entity substitution, no CDATA nodes, quiet. */
int pagopa_xml_parse_options(void);

/* Parses len bytes into a tree. Refuses: more than max_bytes, a DOCTYPE
 * (stopped at "<!DOCTYPE", before any declaration is read), XML that is not
 * well-formed, an element nesting deeper than max_depth (root = 1). On
 * success returns 0 and *doc (free with xmlFreeDoc); on error -1 and an
 * English message in msg. */
int pagopa_xml_read(const char *buf, size_t len, size_t max_bytes, int max_depth, xmlDoc **doc, char *msg,
                    size_t msg_size);

/* The XSD whitespace rule "collapse" at the ends: s without leading and
 * trailing XML blanks (space, tab, CR, LF); *n is the remaining length. */
const char *pagopa_xml_trim(const char *s, size_t *n);

/* 1 if s is valid UTF-8 made only of XML 1.0 characters (no control
 * characters but tab, CR and LF; no surrogates, no U+FFFE/U+FFFF). */
int pagopa_xml_text_ok(const char *s);
/* Length in characters (code points) of valid UTF-8. */
size_t pagopa_utf8_len(const char *s);

/* stAmount / stImporto: after collapsing blanks, ASCII digits, '.', exactly
 * two digits ("\d+\.\d{2}"), at most 999999999.99. Leading zeros are
 * allowed as the XSD allows them. 0 ok (*cents set), -1 bad. */
int pagopa_amount_parse(const char *s, int64_t *cents);
#define PAGOPA_AMOUNT_MAX INT64_C(99999999999) /* 999999999.99 */
/* "123.45", "0.05": any cents in [0, PAGOPA_AMOUNT_MAX]; -1 otherwise. */
int pagopa_amount_format(int64_t cents, char out[32]);

/* xsd:boolean after collapsing: "true"/"1" -> 1, "false"/"0" -> 0, else -1. */
int pagopa_bool_parse(const char *s);

/* xsd:date "YYYY-MM-DD" with an optional time zone ("Z", "+01:00"), a real
 * date with 1800 <= year <= 2200. The zone is checked and dropped. */
int pagopa_date_parse(const char *s, civil_date *out);

typedef struct {
  civil_date date;
  int hour, minute, second;
  int millis;     /* first three fraction digits, 0 when absent */
  int has_tz;     /* a zone was given ... */
  int tz_minutes; /* ... with this offset from UTC (-840..840) */
} pagopa_datetime;
/* xsd:dateTime "YYYY-MM-DDThh:mm:ss[.fff...][Z|(+|-)hh:mm]"; hour 0-23
 * (the XSD's "24:00:00" is refused). 0 ok, -1 bad. */
int pagopa_datetime_parse(const char *s, pagopa_datetime *out);

/* 1 if s (not collapsed: string types keep their blanks) is exactly n ASCII
 * digits. */
int pagopa_digits(const char *s, size_t n);

#endif
