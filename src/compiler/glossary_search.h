/*
 * glossaryc's search index: the keys of SEARCH_TERMS and SEARCH_WORDS
 * (glossary_blob.h describes them) from the terms' folded names and
 * slugs, and the search page cut into the segments of SEARCH_PAGE.
 */

#ifndef GLOSSARY_SEARCH_H
#define GLOSSARY_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "glossary_blob.h"
#include "glossary_html.h"
#include "glossary_site.h"
#include "glossary_strings.h"


typedef struct glossary_skey_s  glossary_skey_t;

typedef struct {
    unsigned char       **name;       /* per term: folded name */
    size_t               *name_len;
    unsigned char       **slug;       /* per term: folded slug */
    size_t               *slug_len;
    glossary_skey_t      *terms;
    uint32_t              nterms;     /* entries of SEARCH_TERMS */
    glossary_skey_t      *words;
    uint32_t              nwords;     /* entries of SEARCH_WORDS */
    uint32_t              n;          /* terms with folded texts */
} glossary_search_keys_t;


/* the keys of every term, sorted as the sections are */
void glossary_search_keys(glossary_search_keys_t *sk,
    const glossary_site_t *s);

/* the folded texts into STRINGS, the entries into the two sections */
void glossary_search_write(const glossary_search_keys_t *sk,
    glossary_strings_t *strings, glossary_search_t *terms,
    glossary_search_t *words);

/* may be called again */
void glossary_search_keys_free(glossary_search_keys_t *sk);

/*
 * The search page (GLOSSARY_MARK_QUERY and _RESULTS in it) at its
 * markers: the number of segments
 */
size_t glossary_search_segments(const glossary_buf_t *page);

/* the segments into SEARCH_PAGE, their text into STRINGS */
void glossary_search_page(const glossary_buf_t *page,
    glossary_strings_t *strings, glossary_segment_t *seg);


#endif /* GLOSSARY_SEARCH_H */
