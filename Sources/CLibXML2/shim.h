#ifndef MEDSEARCH_CLIBXML2_SHIM_H
#define MEDSEARCH_CLIBXML2_SHIM_H

/* Debian builds libxml2 with ICU, and its encoding.h then includes ICU headers whose types
 * clash with the ICU copy inside Foundation ("UErrorCode has different definitions"). We never
 * touch the ICU-specific struct fields, so hide them. */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/HTMLparser.h>
#include <libxml/xmlerror.h>
#include <libxml/globals.h>

/* libxml2's error callbacks are C-variadic, which Swift cannot implement, and 2.9 keeps them per
 * thread. This no-op plus the installer below silence parser diagnostics on the calling thread and
 * for threads created later. Call medsearch_xml_silence() on every thread that parses. */
static void medsearch_xml_ignore_generic(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; }
static void medsearch_xml_ignore_structured(void *ctx, xmlErrorPtr error) { (void)ctx; (void)error; }

static inline void medsearch_xml_silence(void) {
    xmlSetGenericErrorFunc(NULL, medsearch_xml_ignore_generic);
    xmlSetStructuredErrorFunc(NULL, medsearch_xml_ignore_structured);
    xmlThrDefSetGenericErrorFunc(NULL, medsearch_xml_ignore_generic);
    xmlThrDefSetStructuredErrorFunc(NULL, medsearch_xml_ignore_structured);
}

/* The libxml2 version this binary was compiled against, e.g. "2.9.14". */
static inline const char *medsearch_xml_version(void) { return LIBXML_DOTTED_VERSION; }

#endif
