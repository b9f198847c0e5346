/*
 * The FTS image writer: documents in, one image (src/blob/glossary_fts.h)
 * out.  Self-contained (malloc, no arena), so that glossaryc, the tests
 * and the benchmarks call it alike.
 */

#ifndef GLOSSARY_FTS_BUILD_H
#define GLOSSARY_FTS_BUILD_H

#include <stddef.h>
#include <stdint.h>


typedef struct {
    const char  *data;
    size_t       len;
} glossary_fts_str_t;

/* one document; its id is its index in the array given to the build */
typedef struct {
    glossary_fts_str_t         name;
    glossary_fts_str_t         slug;
    glossary_fts_str_t         short_definition;
    glossary_fts_str_t         explanation;
    const glossary_fts_str_t  *aliases;
    const glossary_fts_str_t  *faq;         /* question, answer, ... */
    uint32_t                   naliases;
    uint32_t                   nfaq;        /* strings in faq */
    uint32_t                   category;    /* or GLOSSARY_FTS_NO_CATEGORY */
} glossary_fts_input_t;

typedef struct {
    unsigned char  *data;           /* malloc()ed, 8-byte aligned */
    size_t          size;
    uint64_t        text_bytes;     /* the searchable text, all fields */
    uint64_t        index_bytes;    /* the image less its TEXT part */
    uint32_t        keys;
    uint32_t        lists;
    uint64_t        postings;
    uint64_t        positions;
    char            error[160];
} glossary_fts_image_t;


/* 0, or -1 with img->error set (out of memory, a document too large) */
int glossary_fts_build(const glossary_fts_input_t *docs, uint32_t n,
    glossary_fts_image_t *img);

/*
 * The same with options.  GLOSSARY_FTS_BUILD_NO_TEXT: the image's TEXT part
 * is left empty, the documents' texts being stored elsewhere, one after the
 * other as glossary_fts_doc_text() writes them (a blob's STRINGS), where
 * glossary_fts_open_flags() is given them.
 */
#define GLOSSARY_FTS_BUILD_NO_TEXT   1

int glossary_fts_build_flags(const glossary_fts_input_t *docs, uint32_t n,
    unsigned flags, glossary_fts_image_t *img);

/*
 * A document's text as the image stores it: written to out (unless NULL),
 * the end of each field in ends (unless NULL); returns its length
 */
size_t glossary_fts_doc_text(const glossary_fts_input_t *in,
    unsigned char *out, uint32_t *ends);

void glossary_fts_image_free(glossary_fts_image_t *img);


#endif /* GLOSSARY_FTS_BUILD_H */
