/*
 * glossaryc HTML helpers: a growable byte buffer, escaping for each output
 * context (HTML text and attributes, JSON inside <script>, URL
 * components), and the page template language.  Compile time only: the
 * module serves what these produced.
 *
 * The template language (README.md, "Templates"):
 *
 *     {{name}}          the variable, HTML-escaped (& < > " ')
 *     {{html:name}}     the same, spelled out
 *     {{url:name}}      percent-encoded: only A-Z a-z 0-9 - . _ ~ remain
 *     {{json:name}}     a JSON string literal that cannot end a <script>
 *     {{{name}}}        a fragment rendered by the compiler, unescaped;
 *                       only the fragment variables accept it
 *     {{#name}}...{{/name}}   the inside only when name is not empty
 *     {{^name}}...{{/name}}   the inside only when name is empty
 *     {{! comment }}
 *
 * An unknown variable or context, a text variable in {{{ }}}, a fragment
 * in {{ }}, an unclosed tag or section is an error at FILE:LINE:COLUMN.
 */

#ifndef GLOSSARY_HTML_H
#define GLOSSARY_HTML_H

#include <stddef.h>
#include <stdint.h>

#include "glossaryc.h"


/* whether byte c is in set, 256 bits as eight 32-bit words */
#define glossary_byte_in(set, c)  ((set)[(c) >> 5] & (1U << ((c) & 0x1f)))


/* search page markers: the only bytes below 0x20 a page may hold */
#define GLOSSARY_MARK_QUERY     '\x01'
#define GLOSSARY_MARK_RESULTS   '\x02'


typedef struct {
    unsigned char  *data;
    size_t          len;
    size_t          nalloc;
} glossary_buf_t;


/* template variables; the fragments come last */
typedef enum {
    GLOSSARY_TVAR_LANG = 0,
    GLOSSARY_TVAR_SITE_NAME,
    GLOSSARY_TVAR_TITLE,
    GLOSSARY_TVAR_DESCRIPTION,
    GLOSSARY_TVAR_PAGE,
    GLOSSARY_TVAR_CANONICAL,
    GLOSSARY_TVAR_ROOT,
    GLOSSARY_TVAR_BASE_URL,
    GLOSSARY_TVAR_HEAD,
    GLOSSARY_TVAR_CONTENT,
    GLOSSARY_TVAR_SEARCH_FORM,
    GLOSSARY_TVAR_N
} glossary_tvar_t;

#define GLOSSARY_TVAR_FIRST_FRAGMENT  GLOSSARY_TVAR_HEAD


typedef struct glossary_template_s  glossary_template_t;


void glossary_buf_add(glossary_buf_t *b, const void *p, size_t len);
void glossary_buf_str(glossary_buf_t *b, const char *s);
void glossary_buf_free(glossary_buf_t *b);

/*
 * HTML text or a quoted attribute value: & < > " ' as references; control
 * characters, C1 controls, noncharacters and bytes that are not UTF-8 as
 * U+FFFD (they are parse errors in HTML).  With markers, the two search
 * page markers pass through.
 */
void glossary_buf_html(glossary_buf_t *b, const void *p, size_t len,
    int markers);

/*
 * A JSON string literal, quotes included, safe inside <script>: < > & and
 * U+2028, U+2029, controls and noncharacters as \u escapes, bytes that are
 * not UTF-8 as \ufffd.
 */
void glossary_buf_json(glossary_buf_t *b, const void *p, size_t len);

/* percent-encoding of every byte but A-Z a-z 0-9 - . _ ~ */
void glossary_buf_url(glossary_buf_t *b, const void *p, size_t len);

/* XML character data and attribute values: & < > " ' as references */
void glossary_buf_xml(glossary_buf_t *b, const void *p, size_t len);


/* parses a template; prints FILE:LINE:COLUMN messages, NULL on error */
glossary_template_t *glossary_template_parse(const char *file,
    const char *text, size_t len);

/* reads and parses a template file; NULL on error (message printed) */
glossary_template_t *glossary_template_load(const char *path, int *status);

/* the built-in template; never NULL */
glossary_template_t *glossary_template_default(void);

void glossary_template_free(glossary_template_t *t);

/* vars[GLOSSARY_TVAR_N]; data == NULL or len 0 is empty */
void glossary_template_render(const glossary_template_t *t,
    const glossary_text_t *vars, int markers, glossary_buf_t *out);


#endif /* GLOSSARY_HTML_H */
