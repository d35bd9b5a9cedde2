// libxml2 for Ladder: the writer, the parser and schema validation.
#include <libxml/xmlversion.h>
// Debian's libxml2 is built with ICU; its headers would then pull in the system ICU, whose
// definitions clash with the copy Foundation ships. Ladder never touches libxml2's
// encoding handlers, so the ICU part of the headers is switched off.
#undef LIBXML_ICU_ENABLED
#include <libxml/xmlwriter.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlIO.h>
#include <libxml/xmlreader.h>

// xmlFree is a global function pointer, which Swift 6 treats as shared mutable state.
static inline void ladder_xml_free(void *p) { xmlFree(p); }
