/* Helpers of the pagoPA protocol tests: files from ../shared, the XSD
 * validator over a SOAP body, a tree comparison that ignores formatting. */
#ifndef SP_TESTS_SOAPTEST_H
#define SP_TESTS_SOAPTEST_H
#include <stddef.h>
#include <libxml/xmlschemas.h>

#define PAGOPA_SPEC SHARED_DIR "/spec/pagopa"
#define PAFN_XSD PAGOPA_SPEC "/pagopa-api-SANP3.13.0/wsdl/xsd/paForNode.xsd"

/* Whole file (malloc'ed, NUL-terminated); aborts the test if unreadable. */
char *st_read(const char *path, size_t *len);
/* A compiled schema (aborts the test if it does not load). */
xmlSchemaPtr st_schema(const char *xsd_path);
/* 0 if the single element child of the SOAP Body of xml is valid against
 * schema; else -1 and the validator's first message in why. */
int st_validate_body(xmlSchemaPtr schema, const char *xml, size_t len, char *why, size_t why_size);
/* 0 if the whole document is valid against schema. */
int st_validate_doc(xmlSchemaPtr schema, const char *xml, size_t len, char *why, size_t why_size);
/* 0 if the SOAP Body children of a and b are the same tree: element names,
 * namespaces and text, ignoring blank text and comments; else -1 and where. */
int st_same_body(const char *a, size_t alen, const char *b, size_t blen, char *why, size_t why_size);

#endif
