/*
 * A tiny glossary blob writer for the tests: builds a valid blob in memory
 * from a model, following src/blob/glossary_blob.h field by field, and offers
 * helpers to reach into a built blob so a test can break one thing and
 * re-seal the checksum.  Independent of glossaryc on purpose: the tests
 * check the reader against the header, not against the compiler.
 */

#ifndef MAKE_BLOB_H
#define MAKE_BLOB_H

#include <stddef.h>
#include <stdint.h>

#include "glossary_blob.h"


typedef struct {
    const char          *slug;
    const char          *term;
    const char          *category;      /* NULL or "" for empty */
    const char          *definition;
    uint64_t             related_first;  /* 1.x: written as 32 bits */
    uint32_t             related_count;
} mb_term_t;


typedef struct {
    uint32_t             term_id;        /* or GLOSSARY_NO_TERM */
    const char          *slug;
    const char          *name;
} mb_related_t;


/* 1.1 sections */
typedef struct {
    const char          *slug;
    const char          *name;
    uint32_t             term_count;
} mb_category_t;


typedef struct {
    const char          *key;           /* folded, as glossary_fold() does */
    uint32_t             term_id;
    uint32_t             order;
} mb_search_t;


typedef struct {
    uint32_t             kind;           /* GLOSSARY_SEGMENT_* */
    const char          *text;
} mb_segment_t;


typedef struct {
    const mb_term_t     *terms;
    uint32_t             nterms;
    const mb_related_t  *related;
    uint32_t             nrelated;
    uint32_t             docs_per_term;  /* 0: GLOSSARY_DOCS_PER_TERM_V1, or
                                            doc_kinds' count */
    uint32_t             global_docs;    /* UINT32_MAX: none; 0: V1 */
    uint32_t             bucket_count;   /* 0: power of two >= 2n, >= 4 */
    uint16_t             version_minor;
    uint32_t             header_size;    /* 0: 128; the table follows it */
    int                  extra_section;  /* add a section of unknown id */
    /* 1.1: each section is written when its pointer is not NULL */
    const mb_category_t *categories;
    uint32_t             ncategories;
    const mb_search_t   *search_terms;
    uint32_t             nsearch_terms;
    const mb_search_t   *search_words;
    uint32_t             nsearch_words;
    const mb_segment_t  *segments;
    uint32_t             nsegments;
    /* NULL, or global_docs bodies, NULL for the default one */
    const char         **global_bodies;
    /*
     * 1.2: with chunk_shift not 0, a CHUNKS section of 2^chunk_shift-byte
     * chunks after STRINGS, and the index checksum.  The strings (terms,
     * related, categories' slugs and names, search keys and page) then
     * come first in STRINGS and the documents after them, eager_size
     * covering the strings, as glossaryc writes them; without it the
     * layout is the 1.1 one, byte for byte.
     */
    uint32_t             chunk_shift;
    /* term document bodies padded with spaces to this many bytes */
    uint32_t             body_pad;
    /*
     * 0: mb_default_major.  2: DOCS kind by kind, the kinds of doc_kinds
     * (0: kinds 0 to docs_per_term - 1), 64-bit related_first; 1: the 1.x
     * layout, DOCS term by term, glossary_term_v1_t
     */
    uint16_t             version_major;
    uint64_t             doc_kinds;
    /*
     * 1.3 and 2.0: an AUTOLINK section after SEARCH_PAGE, the smallest image
     * written by hand (mb_autolink_image()): "ab" links term 0
     */
    int                  autolink;
    /*
     * 1.3 and 2.0: with fts not 0, an FTS section (the search index, written here
     * by hand from glossary_fts.h) after CHUNKS, or after STRINGS without
     * them; its texts last in STRINGS.  A document's fields: the term's
     * name, its slug and its definition; its category the index of the
     * category of that name in categories.
     */
    int                  fts;
} mb_model_t;


/* the major version of models that leave it 0 (2; the tests run as 1 too) */
extern uint16_t  mb_default_major;


typedef struct {
    unsigned char       *p;              /* malloc'd, so 8-byte aligned */
    size_t               n;
} mb_blob_t;


/* the model used by most tests: 3 terms, 3 related entries (1 dangling) */
extern const mb_model_t  mb_default_model;

/*
 * Format 1.3: the smallest autolink image, written field by field from
 * src/blob/glossary_autolink.h: the format's ASCII classes, one code point
 * block (every code point OTHER, folding to itself), one pattern "ab"
 * (case-insensitive) of term 0 in a double array of MB_AUTOLINK_SLOTS
 * slots, and the filter the reader derives from it.  term_count is the
 * blob's.  Returns the size; writes it when dst is not NULL.
 */
#define MB_AUTOLINK_SLOTS   16
#define MB_AUTOLINK_SIZE    (64 + 256 + 256 + 16384 + 8704 * 2 + 256 + 8 \
                             + 8 * MB_AUTOLINK_SLOTS)

size_t mb_autolink_image(unsigned char *dst, uint32_t term_count);

/* a fresh blob of the model; aborts on allocation failure */
mb_blob_t mb_build(const mb_model_t *m);
mb_blob_t mb_build_default(void);
mb_blob_t mb_copy(const unsigned char *p, size_t n);
void mb_free(mb_blob_t *b);

/* re-seal the checksum after a mutation */
void mb_fix(mb_blob_t *b);

/*
 * re-seal everything, as glossaryc does: with a CHUNKS section the chunk
 * hashes (those the section has room for), then index_checksum; then the
 * checksum
 */
void mb_seal(mb_blob_t *b);

/* re-seal index_checksum (when there is a CHUNKS section), then checksum */
void mb_fix_index(mb_blob_t *b);

/*
 * index_checksum computed here, not by the reader: XXH3-64 of [24, 72),
 * then of [80, STRINGS) seeded with that, then of [end of STRINGS, end of
 * file) seeded with that
 */
uint64_t mb_index_checksum(const unsigned char *p, size_t n,
    uint64_t strings_off, uint64_t strings_size);

/* NULL when the blob has no section of that id */
glossary_section_t *mb_find_section(mb_blob_t *b, uint32_t id);

/*
 * The FTS image of a blob built with fts (the section must exist) and its
 * parts, to break; mb_seal() re-seals after an edit
 */
unsigned char *mb_fts_image(mb_blob_t *b);
glossary_fts_section_t *mb_fts_section(mb_blob_t *b);
void *mb_fts_part(mb_blob_t *b, uint32_t part, uint64_t *size);

/* the CHUNKS header and its hashes (the section must exist) */
glossary_chunks_t *mb_chunks(mb_blob_t *b);
uint64_t *mb_chunk_hashes(mb_blob_t *b);

/* rebuild the buckets from the TERMS records as they are now */
void mb_rehash(mb_blob_t *b);

glossary_header_t *mb_header(mb_blob_t *b);
glossary_section_t *mb_section(mb_blob_t *b, uint32_t id);
void *mb_section_data(mb_blob_t *b, uint32_t id);
glossary_term_t *mb_term(mb_blob_t *b, uint32_t i);
glossary_term_v1_t *mb_term_v1(mb_blob_t *b, uint32_t i);

/* a term's related range, whatever the blob's major version */
void mb_set_related(mb_blob_t *b, uint32_t i, uint64_t first,
    uint32_t count);
int mb_is_v1(mb_blob_t *b);
glossary_related_t *mb_related(mb_blob_t *b, uint32_t i);
glossary_hash_t *mb_hash(mb_blob_t *b);
uint32_t *mb_buckets(mb_blob_t *b);
/* the record of a stored kind (aborts for one the blob does not hold) */
glossary_doc_t *mb_doc(mb_blob_t *b, uint32_t term, uint32_t kind);
glossary_doc_t *mb_global(mb_blob_t *b, uint32_t kind);
glossary_category_t *mb_category(mb_blob_t *b, uint32_t i);

/* the body the writer puts in a document, for comparisons */
size_t mb_doc_body(char *buf, size_t size, const char *slug, uint32_t kind);
size_t mb_global_body(char *buf, size_t size, uint32_t kind);
size_t mb_category_body(char *buf, size_t size, const char *slug, int html);

/* whether the writer gave a document a gzip variant */
int mb_doc_has_gzip(uint32_t term, uint32_t kind);


#endif /* MAKE_BLOB_H */
