/*
 * The glossary blob: the one definition of the file format, shared by the
 * compiler (glossaryc) and the nginx module.  Nothing in here depends on
 * nginx.  src/blob/FORMAT.md describes the same layout in prose.
 *
 * All integers are little-endian and fixed width; every reference into the
 * file is an offset from its first byte, never a pointer.  A reader on a
 * big-endian host refuses the file (byte-order marker).
 *
 * File layout:
 *
 *     +---------------------------+ 0
 *     | header (128 bytes)        |
 *     +---------------------------+ header.section_table
 *     | section table             |  section_count x 24 bytes
 *     +---------------------------+ (each section 8-byte aligned)
 *     | sections ...              |
 *     +---------------------------+ header.file_size
 */

#ifndef GLOSSARY_BLOB_H
#define GLOSSARY_BLOB_H

#include <stddef.h>
#include <stdint.h>

#include "glossary_autolink.h"


#define GLOSSARY_MAGIC               "GLOSSARY"
#define GLOSSARY_MAGIC_LEN           8
#define GLOSSARY_VERSION_MAJOR       2
#define GLOSSARY_VERSION_MINOR       0

/* the older major version this reader still reads (1.0 to 1.3) */
#define GLOSSARY_VERSION_MAJOR_V1    1
#define GLOSSARY_BYTE_ORDER          0x01020304u
#define GLOSSARY_HEADER_SIZE         128
#define GLOSSARY_ALIGN               8

/* the checksum covers every byte from this offset to the end of the file */
#define GLOSSARY_CHECKSUM_FROM       24

/* limits, enforced by the compiler and again by the reader */
#define GLOSSARY_MAX_FILE_SIZE       ((uint64_t) 1 << 40)     /* 1 TiB */
#define GLOSSARY_MAX_FILE_SIZE_V1    ((uint64_t) 16 << 30)    /* 16 GiB */
#define GLOSSARY_MAX_TERMS           (1u << 24)               /* 16M */
#define GLOSSARY_MAX_SECTIONS        64
#define GLOSSARY_MAX_SLUG_LEN        128
/*
 * a string of the index (a term's name, category and short definition, a
 * related name, a category name, a search key): the module hands names to
 * nginx variables, whose values have 28-bit lengths
 */
#define GLOSSARY_MAX_FIELD_LEN       0x0fffffffu              /* 2^28 - 1 */
/*
 * related entries of one term: its 32-bit related_count (and, in format
 * 1.x, of the whole blob: a 32-bit related_first)
 */
#define GLOSSARY_MAX_RELATED         0xffffffffu
#define GLOSSARY_MAX_DOCS_PER_TERM   64
#define GLOSSARY_MAX_GLOBAL_DOCS     64
#define GLOSSARY_MAX_PROBE           128
#define GLOSSARY_MAX_SEARCH_KEYS     64       /* entries per term, each array */
#define GLOSSARY_MAX_SEGMENTS        64       /* SEARCH_PAGE segments */

#define GLOSSARY_NO_TERM             0xffffffffu


/* section ids; a reader skips ids it does not know (minor versions) */
enum {
    GLOSSARY_SECTION_STRINGS = 1,     /* raw bytes: strings and bodies */
    GLOSSARY_SECTION_TERMS   = 2,     /* glossary_term_t[term_count] */
    GLOSSARY_SECTION_HASH    = 3,     /* glossary_hash_t + uint32_t[] */
    GLOSSARY_SECTION_DOCS    = 4,     /* glossary_doc_t[terms * dpt] */
    GLOSSARY_SECTION_GLOBALS = 5,     /* glossary_doc_t[global_docs] */
    GLOSSARY_SECTION_RELATED = 6,     /* glossary_related_t[] */

    /* 1.1; optional: a blob without them serves no such routes */
    GLOSSARY_SECTION_CATEGORIES = 7,  /* glossary_category_t[] */
    GLOSSARY_SECTION_SEARCH_TERMS = 8,/* glossary_search_t[]: terms, slugs */
    GLOSSARY_SECTION_SEARCH_WORDS = 9,/* glossary_search_t[]: inner words */
    GLOSSARY_SECTION_SEARCH_PAGE = 10,/* glossary_segment_t[] */

    /* 1.2; optional: without it a blob can only be verified in full */
    GLOSSARY_SECTION_CHUNKS = 11,     /* glossary_chunks_t + uint64_t[] */

    /*
     * 1.3 and 2.0; optional: the autolink automaton image
     * (glossary_autolink.h), read in place; a blob without it cannot serve
     * glossary_autolink.
     */
    GLOSSARY_SECTION_AUTOLINK = 12,

    /* 1.3 and 2.0; optional: without it search is the 1.1 prefix search */
    GLOSSARY_SECTION_FTS = 13,        /* glossary_fts_section_t + image */
    GLOSSARY_SECTION_LAST = 13
};

/* the ids are 1 to GLOSSARY_SECTION_LAST: one row each in glossary_sections */
#define GLOSSARY_SECTIONS            GLOSSARY_SECTION_LAST


/* per-term document kinds: index into a term's row of DOCS */
enum {
    GLOSSARY_DOC_TERM_JSON    = 0,    /* {prefix}{slug} */
    GLOSSARY_DOC_RELATED_JSON = 1,    /* {prefix}{slug}/related */
    GLOSSARY_DOCS_PER_TERM_V1 = 2,

    /* 1.1 */
    GLOSSARY_DOC_TERM_HTML    = 2,    /* {prefix}{slug}, HTML format */
    GLOSSARY_DOC_PAYLOAD      = 3,    /* {prefix}{slug}/_payload.json */
    GLOSSARY_DOC_SEARCH_JSON  = 4,    /* one search result, JSON object */
    GLOSSARY_DOC_SEARCH_HTML  = 5,    /* one search result, HTML fragment */
    GLOSSARY_DOCS_PER_TERM_V1_1 = 6,
    GLOSSARY_DOC_KINDS        = 6     /* the kinds this reader knows */
};


/*
 * What a build can leave out (glossaryc build --kinds): the groups of
 * kinds a deployment serves or not.  json: the JSON API (terms, related
 * terms, search hits; the index, the category lists); html: the pages
 * (term pages, search fragments; the index, 404, category and search
 * pages, the sitemap); payload: the Nuxt payloads.  A blob holds a group
 * when it holds any kind of it.
 */
typedef struct {
    const char  *name;
    uint64_t     kinds;                 /* per-term kinds, bit by bit */
} glossary_kind_group_t;

#define GLOSSARY_KIND_GROUPS         3

extern const glossary_kind_group_t  glossary_kind_groups[GLOSSARY_KIND_GROUPS];


/* global document kinds: index into GLOBALS */
enum {
    GLOSSARY_GLOBAL_INDEX_JSON = 0,   /* {prefix} */
    GLOSSARY_GLOBAL_DOCS_V1    = 1,

    /* 1.1 */
    GLOSSARY_GLOBAL_INDEX_HTML = 1,   /* {prefix}, HTML format: A-Z */
    GLOSSARY_GLOBAL_SITEMAP    = 2,   /* {prefix}sitemap.xml */
    GLOSSARY_GLOBAL_NOT_FOUND_HTML = 3, /* 404 body, HTML format */
    GLOSSARY_GLOBAL_SEARCH_EMPTY_HTML = 4, /* "no results" fragment */
    GLOSSARY_GLOBAL_CATEGORIES_JSON = 5,   /* {prefix}_category/ */
    GLOSSARY_GLOBAL_CATEGORIES_HTML = 6,
    GLOSSARY_GLOBAL_DOCS_V1_1  = 7
};


/*
 * Header, 128 bytes at offset 0.
 *
 *   off size field
 *     0    8 magic            "GLOSSARY", no terminating NUL
 *     8    2 version_major    2 (or 1): a reader refuses any other major
 *    10    2 version_minor    0: a reader accepts any minor
 *    12    4 byte_order       0x01020304 as written by the host
 *    16    8 checksum         XXH3-64 (seed 0) of bytes [24, file_size)
 *    24    8 file_size        exact size of the file in bytes
 *    32    4 header_size      128; later minors may grow it
 *    36    4 section_count    entries in the section table
 *    40    8 section_table    offset of the section table
 *    48    8 build_time       seconds since the epoch, UTC
 *    56    4 term_count       terms in TERMS
 *    60    4 docs_per_term    documents per term in DOCS: 2.0, the kinds
 *                             in doc_kinds; 1.x, kinds 0 to this - 1
 *    64    4 global_docs      documents in GLOBALS
 *    68    4 flags            2.0: GLOSSARY_FLAG_*; 1.x: 0
 *    72    8 index_checksum   1.2: XXH3-64 of all but STRINGS (below)
 *    80    8 doc_kinds        2.0: bit k set when DOCS holds kind k
 *    88   40 reserved         zero
 *
 * The build identifier is the checksum printed as 16 lower-case hex
 * digits: two blobs with the same identifier hold the same bytes.
 *
 * index_checksum (1.2, with a CHUNKS section; 0 otherwise) covers bytes
 * [24, file_size) but the STRINGS section and itself, as three XXH3-64
 * chained through their seeds (glossary_blob_index_checksum()):
 *
 *     h1 = XXH3_64(bytes [24, 72))
 *     h2 = XXH3_64_withSeed(bytes [80, start of STRINGS), h1)
 *     index_checksum = XXH3_64_withSeed(bytes [end of STRINGS, file_size), h2)
 *
 * With it and the chunk hashes a reader can verify the index at load and
 * each part of STRINGS when it first uses it ("verify=lazy"), instead of
 * every byte at load.
 */
typedef struct {
    char        magic[GLOSSARY_MAGIC_LEN];
    uint16_t    version_major;
    uint16_t    version_minor;
    uint32_t    byte_order;
    uint64_t    checksum;
    uint64_t    file_size;
    uint32_t    header_size;
    uint32_t    section_count;
    uint64_t    section_table;
    uint64_t    build_time;
    uint32_t    term_count;
    uint32_t    docs_per_term;
    uint32_t    global_docs;
    uint32_t    flags;
    uint64_t    index_checksum;
    uint64_t    doc_kinds;
    uint8_t     reserved[40];
} glossary_header_t;


/*
 * flags (2.0): what the build left out, for "glossaryc info" and the
 * status page.  A reader ignores the bits it does not know.
 */
#define GLOSSARY_FLAG_NO_GZIP        1        /* no gzip variant at all */


/*
 * Section table entry, 24 bytes.
 *
 *   off size field
 *     0    4 id               GLOSSARY_SECTION_*
 *     4    4 reserved         zero
 *     8    8 offset           from the start of the file, 8-byte aligned
 *    16    8 size             bytes
 */
typedef struct {
    uint32_t    id;
    uint32_t    reserved;
    uint64_t    offset;
    uint64_t    size;
} glossary_section_t;


/*
 * A byte string, 16 bytes: offset from the start of the file and length.
 * Every string lies wholly inside the STRINGS section.  Length 0 means
 * absent (the offset is then ignored, but still in range).
 */
typedef struct {
    uint64_t    off;
    uint64_t    len;
} glossary_ref_t;


/*
 * Term record, 80 bytes; TERMS holds term_count of them, the term id being
 * the index.  Terms are stored sorted by slug (bytewise).
 *
 *   off size field
 *     0   16 slug             canonical slug, [a-z0-9]+(-[a-z0-9]+)*
 *    16   16 term             display name
 *    32   16 category         may be empty
 *    48   16 short_definition may be empty
 *    64    8 related_first    index of the first entry in RELATED
 *    72    4 related_count    entries, in source order
 *    76    4 reserved         zero
 *
 * Format 1.x has a 32-bit related_first (glossary_term_v1_t): read a
 * term's related entries through glossary_blob_related().
 */
typedef struct {
    glossary_ref_t  slug;
    glossary_ref_t  term;
    glossary_ref_t  category;
    glossary_ref_t  short_definition;
    uint64_t        related_first;
    uint32_t        related_count;
    uint32_t        reserved;
} glossary_term_t;


/*
 * Term record of format 1.x, 80 bytes: the same to offset 64, then
 *
 *    64    4 related_first
 *    68    4 related_count
 *    72    8 reserved         zero
 */
typedef struct {
    glossary_ref_t  slug;
    glossary_ref_t  term;
    glossary_ref_t  category;
    glossary_ref_t  short_definition;
    uint32_t        related_first;
    uint32_t        related_count;
    uint8_t         reserved[8];
} glossary_term_v1_t;


/*
 * Related entry, 40 bytes.  term_id is the target's id, or
 * GLOSSARY_NO_TERM when the slug is not in the glossary (dangling).
 *
 *   off size field
 *     0    4 term_id
 *     4    4 reserved         zero
 *     8   16 slug             as given in the source (canonical form)
 *    24   16 name             as given in the source
 */
typedef struct {
    uint32_t        term_id;
    uint32_t        reserved;
    glossary_ref_t  slug;
    glossary_ref_t  name;
} glossary_related_t;


/*
 * A pre-rendered document, 64 bytes: the body and its strong ETag (with
 * the double quotes), and the same for the gzip-compressed body.  A gzip
 * length of 0 means there is no compressed variant (it was not smaller,
 * or the build left them out).  A record whose four lengths are all 0 is
 * an absent document (a kind the build left out): its route is a 404, as
 * for an empty body.
 *
 * DOCS holds term_count records per kind.  Format 2.0 stores them kind by
 * kind (all the term JSON records, then all the related JSON records...,
 * only the kinds in doc_kinds, in increasing order), so that one route
 * reads one part of DOCS; 1.x term by term (docs_per_term records per
 * term).  glossary_blob_doc() finds a record either way.
 *
 *   off size field
 *     0   16 body
 *    16   16 etag             e.g. "\"1f2e3d4c5b6a7988\""
 *    32   16 gzip_body
 *    48   16 gzip_etag
 */
typedef struct {
    glossary_ref_t  body;
    glossary_ref_t  etag;
    glossary_ref_t  gzip_body;
    glossary_ref_t  gzip_etag;
} glossary_doc_t;


/*
 * HASH section: this 8-byte header, then bucket_count uint32_t buckets.
 * A bucket holds term id + 1, or 0 when empty.  The bucket of a slug is
 * XXH3-64 (seed 0) of its bytes masked with bucket_count - 1, then linear
 * probing.  bucket_count is a power of two greater than term_count.
 * max_probe is the largest distance of any term from its first bucket
 * (at most GLOSSARY_MAX_PROBE): a lookup gives up after max_probe + 1
 * buckets, so a crafted table cannot make lookups or validation slow.
 *
 *   off size field
 *     0    4 bucket_count
 *     4    4 max_probe
 */
typedef struct {
    uint32_t    bucket_count;
    uint32_t    max_probe;
} glossary_hash_t;


/*
 * CATEGORIES section (1.1): one record of 168 bytes per category, sorted
 * by slug bytewise, strictly ascending.  The slug is the category name
 * folded to the canonical slug form; {prefix}_category/{slug} serves the
 * JSON or HTML document, which list the category's terms.
 *
 *   off size field
 *     0   16 slug             canonical slug form
 *    16   16 name             as in the source
 *    32    4 term_count       terms in this category
 *    36    4 reserved         zero
 *    40   64 json             glossary_doc_t
 *   104   64 html             glossary_doc_t
 *   168                       (size)
 */
typedef struct {
    glossary_ref_t  slug;
    glossary_ref_t  name;
    uint32_t        term_count;
    uint32_t        reserved;
    glossary_doc_t  json;
    glossary_doc_t  html;
} glossary_category_t;


/*
 * SEARCH_TERMS and SEARCH_WORDS sections (1.1): 32-byte entries sorted by
 * key bytewise (ties by order).  A key is text folded by glossary_fold()
 * (src/blob/glossary_fold.h).  SEARCH_TERMS holds, per term, its folded name
 * and its folded slug; SEARCH_WORDS, per term, the folded name from each
 * word after the first to its end.  A prefix search is a lower-bound
 * binary search for the folded query and a scan while keys start with it:
 * exact matches come first in SEARCH_TERMS, then name/slug prefixes; then
 * SEARCH_WORDS matches.  "order" is the term's position in the index
 * order (by name), for ranking ties.
 *
 *   off size field
 *     0   16 key
 *    16    4 term_id
 *    20    4 order
 *    24    8 reserved         zero
 */
typedef struct {
    glossary_ref_t  key;
    uint32_t        term_id;
    uint32_t        order;
    uint8_t         reserved[8];
} glossary_search_t;


/*
 * CHUNKS section (1.2): the STRINGS section cut into chunks of
 * 2^chunk_shift bytes (the last one shorter), each with its XXH3-64 (seed
 * 0), so that a reader can verify STRINGS piece by piece as it uses it.
 * The first eager_size bytes of STRINGS (the strings the reader's checks
 * read: slugs, search keys, the search page, which the compiler writes
 * first) are verified at load even then.
 *
 *   off size field
 *     0    4 chunk_shift      12 to 24 (4 KiB to 16 MiB chunks)
 *     4    4 reserved         zero
 *     8    8 eager_size       at most the size of STRINGS
 *    16  8*n hashes           n = ceil(STRINGS size / 2^chunk_shift)
 */
#define GLOSSARY_CHUNK_SHIFT         16       /* what glossaryc writes */
#define GLOSSARY_CHUNK_SHIFT_MIN     12
#define GLOSSARY_CHUNK_SHIFT_MAX     24

typedef struct {
    uint32_t        chunk_shift;
    uint32_t        reserved;
    uint64_t        eager_size;
} glossary_chunks_t;


/*
 * AUTOLINK section (1.3): one autolink image, exactly as
 * src/blob/glossary_autolink.h defines it (the matching automaton of the
 * term names, aliases and slugs, for the glossary_autolink filter and
 * "glossaryc build --autolink"), its size the section's.  The term ids in
 * it are the blob's: its term_count must equal the header's.  The section
 * is 8-byte aligned, so the image is read in place.  Size 0: no image.
 */


/*
 * FTS section (1.3 and 2.0): the full-text search index.  This 32-byte header,
 * then an FTS image (src/blob/glossary_fts.h; SEARCH.md in prose) to the
 * end of the section, 8-byte aligned, its TEXT part empty: the documents'
 * texts lie in STRINGS (text), one after the other as the image's DOCS
 * say, so that verify=lazy checks them chunk by chunk at first use, as it
 * does the documents.  The image's document ids are the term ids
 * (doc_count is term_count); a document's category number is its
 * category's index in CATEGORIES, or 0xffffffff.
 *
 *   off size field
 *     0   16 text             the documents' texts, in STRINGS
 *    16   16 reserved         zero
 *    32      image
 */
typedef struct {
    glossary_ref_t  text;
    uint8_t         reserved[16];
} glossary_fts_section_t;


/*
 * SEARCH_PAGE section (1.1): the HTML search results page as segments, in
 * order, 24 bytes each.  A text segment is sent as it is; a query segment
 * stands for the query, HTML-escaped by the server; a results segment for
 * the result fragments (GLOSSARY_DOC_SEARCH_HTML of each hit, or
 * GLOSSARY_GLOBAL_SEARCH_EMPTY_HTML when there is none).
 *
 *   off size field
 *     0    4 kind             GLOSSARY_SEGMENT_*
 *     4    4 reserved         zero
 *     8   16 text             for text segments; empty otherwise
 */
enum {
    GLOSSARY_SEGMENT_TEXT = 0,
    GLOSSARY_SEGMENT_QUERY = 1,
    GLOSSARY_SEGMENT_RESULTS = 2
};

typedef struct {
    uint32_t        kind;
    uint32_t        reserved;
    glossary_ref_t  text;
} glossary_segment_t;


_Static_assert(sizeof(glossary_header_t) == GLOSSARY_HEADER_SIZE,
               "glossary_header_t must be 128 bytes");
_Static_assert(sizeof(glossary_section_t) == 24,
               "glossary_section_t must be 24 bytes");
_Static_assert(sizeof(glossary_ref_t) == 16, "glossary_ref_t: 16 bytes");
_Static_assert(sizeof(glossary_term_t) == 80, "glossary_term_t: 80 bytes");
_Static_assert(sizeof(glossary_term_v1_t) == 80,
               "glossary_term_v1_t: 80 bytes");
_Static_assert(sizeof(glossary_related_t) == 40,
               "glossary_related_t: 40 bytes");
_Static_assert(sizeof(glossary_doc_t) == 64, "glossary_doc_t: 64 bytes");
_Static_assert(sizeof(glossary_hash_t) == 8, "glossary_hash_t: 8 bytes");
_Static_assert(sizeof(glossary_category_t) == 168,
               "glossary_category_t: 168 bytes");
_Static_assert(sizeof(glossary_search_t) == 32,
               "glossary_search_t: 32 bytes");
_Static_assert(sizeof(glossary_segment_t) == 24,
               "glossary_segment_t: 24 bytes");
_Static_assert(sizeof(glossary_chunks_t) == 16, "glossary_chunks_t: 16 bytes");
_Static_assert(sizeof(glossary_fts_section_t) == 32,
               "glossary_fts_section_t: 32 bytes");


/* kind_slot of a kind a blob does not hold */
#define GLOSSARY_NO_SLOT             0xff


/* reader status codes; glossary_blob_strerror() names each */
typedef enum {
    GLOSSARY_OK = 0,
    GLOSSARY_ERR_TRUNCATED,          /* smaller than a header */
    GLOSSARY_ERR_MAGIC,              /* not a glossary blob */
    GLOSSARY_ERR_VERSION,            /* unsupported major version */
    GLOSSARY_ERR_BYTE_ORDER,         /* written on a host of other order */
    GLOSSARY_ERR_SIZE,               /* file_size differs from real size */
    GLOSSARY_ERR_TOO_LARGE,          /* over GLOSSARY_MAX_FILE_SIZE */
    GLOSSARY_ERR_CHECKSUM,           /* bytes do not match the checksum */
    GLOSSARY_ERR_HEADER,             /* a header field is out of range */
    GLOSSARY_ERR_SECTION_TABLE,      /* table outside the file */
    GLOSSARY_ERR_SECTION,            /* a section outside the file etc. */
    GLOSSARY_ERR_MISSING_SECTION,    /* a required section is absent */
    GLOSSARY_ERR_TERMS,              /* a term record is invalid */
    GLOSSARY_ERR_RELATED,            /* a related entry is invalid */
    GLOSSARY_ERR_HASH,               /* the slug index is invalid */
    GLOSSARY_ERR_DOCS,               /* a document record is invalid */
    GLOSSARY_ERR_CATEGORIES,         /* a category record is invalid */
    GLOSSARY_ERR_SEARCH,             /* the search index is invalid */
    GLOSSARY_ERR_CHUNKS,             /* the chunk table is invalid */
    GLOSSARY_ERR_CHUNK,              /* a chunk does not match its hash */
    GLOSSARY_ERR_AUTOLINK,           /* the autolink image is invalid */
    GLOSSARY_ERR_LAST
} glossary_status_t;


/*
 * A validated, opened blob.  glossary_blob_open() checks everything once;
 * after it returns GLOSSARY_OK every reference reachable through the
 * accessors below is known to lie inside the file.
 */
typedef struct {
    const unsigned char        *base;
    size_t                      size;
    const glossary_header_t    *header;
    uint64_t                    strings_off;
    uint64_t                    strings_size;
    /* glossary_term_t[] (2.0), glossary_term_v1_t[] (1.x): the first 64
       bytes agree; the related range through glossary_blob_related() */
    const glossary_term_t      *terms;
    const glossary_related_t   *related;
    uint64_t                    related_count;
    const glossary_hash_t      *hash;
    const uint32_t             *buckets;
    const glossary_doc_t       *docs;
    const glossary_doc_t       *globals;
    /* record of kind k of term i: docs[i * doc_term_stride
       + kind_slot[k] * doc_kind_stride]; kind_slot 0xff: not stored */
    uint64_t                    doc_kinds;
    uint64_t                    doc_term_stride;
    uint64_t                    doc_kind_stride;
    unsigned char               kind_slot[GLOSSARY_MAX_DOCS_PER_TERM];
    /* 1.1 sections: NULL and 0 when the blob has none */
    const glossary_category_t  *categories;
    uint32_t                    category_count;
    const glossary_search_t    *search_terms;
    uint32_t                    search_term_count;
    const glossary_search_t    *search_words;
    uint32_t                    search_word_count;
    const glossary_segment_t   *search_page;
    uint32_t                    search_page_count;
    uint32_t                    term_count;
    uint32_t                    docs_per_term;
    uint32_t                    global_docs;
    /* 1.2 CHUNKS: NULL and 0 when the blob has none */
    const uint64_t             *chunk_hashes;
    uint64_t                    chunk_count;
    uint64_t                    eager_size;
    uint32_t                    chunk_shift;
    /* 1.3 AUTOLINK: the section, then the image opened from it */
    const unsigned char        *autolink_data;
    uint64_t                    autolink_size;
    glossary_autolink_t         autolink;
    /* 1.3 FTS: NULL and 0 when the blob has none (glossary_blob_fts()) */
    const unsigned char        *fts_image;
    uint64_t                    fts_size;
    glossary_ref_t              fts_text;
    /* opened with GLOSSARY_OPEN_LAZY and the blob has CHUNKS */
    unsigned                    lazy:1;
    /* format 1.x: 32-bit related ranges, term-major DOCS */
    unsigned                    v1:1;
    char                        build_id[17];
    /* what exactly was wrong, for messages: "term 12: slug ..." */
    char                        detail[160];
} glossary_blob_t;


/*
 * The sections of the format, one row each (glossary_sections[] in
 * glossary_blob.c).  A section is header_size bytes (HASH, CHUNKS: their
 * own header), then records of record_size bytes each (STRINGS: 1, raw
 * bytes).  A blob holds at most max_count records in it, times term_count
 * when per_term; TERMS, DOCS and GLOBALS hold exactly as many as the
 * header says, HASH and CHUNKS as many as their own header says (their
 * max_count is 0, as is STRINGS', bounded by the file alone).  A required
 * section missing refuses the blob; the others came with a minor version
 * (minor) and a blob without one serves nothing that needs it.
 *
 * The rows are in the order the reader checks the sections and glossaryc
 * lays them out in the file (STRINGS and CHUNKS, whose sizes are known only
 * once the documents are written, after the others).  The reader calls
 * map() for each section present: its size and header against the blob's
 * header, and the pointers of glossary_blob_t; then, once the bytes are
 * verified, check() of each row that has one: the records themselves.
 * Adding a section is adding a row, its map() and check(), an accessor,
 * and its writer in glossaryc.
 */
typedef struct glossary_section_def_s  glossary_section_def_t;

struct glossary_section_def_s {
    uint32_t            id;
    const char         *name;
    uint32_t            header_size;
    uint32_t            record_size;
    uint64_t            max_count;
    unsigned            per_term:1;
    unsigned            required:1;
    unsigned            minor:8;
    glossary_status_t (*map)(glossary_blob_t *blob,
                             const glossary_section_def_t *def,
                             const glossary_section_t *s);
    glossary_status_t (*check)(glossary_blob_t *blob);
};

extern const glossary_section_def_t  glossary_sections[GLOSSARY_SECTIONS];

/* the row of a section id, or NULL for an id this reader does not know */
const glossary_section_def_t *glossary_blob_section_def(uint32_t id);


glossary_status_t glossary_blob_open(glossary_blob_t *blob, const void *data,
    size_t size);

/*
 * glossary_blob_open() with options.  GLOSSARY_OPEN_LAZY: instead of the
 * checksum over every byte, check index_checksum, the eager chunks of
 * STRINGS and those of the search page's text, and leave the other chunks
 * (the documents, nearly all of the bytes) and the ETags' syntax to
 * glossary_lazy_doc() and glossary_lazy_ref() at first use; a blob without
 * CHUNKS is verified in full (blob->lazy tells which happened).
 * GLOSSARY_OPEN_DEEP: also check index_checksum and every chunk hash after
 * the checksum, so that a blob that opens this way opens lazily too
 * (glossaryc verify); it overrides GLOSSARY_OPEN_LAZY.
 */
#define GLOSSARY_OPEN_LAZY   1
#define GLOSSARY_OPEN_DEEP   2

/*
 * GLOSSARY_OPEN_INDEX: with a full open, also check index_checksum (a
 * caller that checks the chunk hashes itself, a window at a time, with
 * glossary_blob_verify_chunks(): glossaryc verify)
 */
#define GLOSSARY_OPEN_INDEX  4

glossary_status_t glossary_blob_open_flags(glossary_blob_t *blob,
    const void *data, size_t size, unsigned flags);

/*
 * glossary_blob_open_flags() (flags 0 or GLOSSARY_OPEN_DEEP) for a caller
 * that has computed the checksum of bytes [GLOSSARY_CHECKSUM_FROM, size)
 * itself, as it read them in (nginx's copy mode) or window by window
 * (glossaryc, so that its memory does not grow with the file): the reader
 * compares "checksum" with the header's instead of hashing every byte
 * again, then checks everything else as glossary_blob_open_flags() does.
 */
glossary_status_t glossary_blob_open_summed(glossary_blob_t *blob,
    const void *data, size_t size, unsigned flags, uint64_t checksum);

/* chunks [from, to) of an opened blob's STRINGS against their hashes */
glossary_status_t glossary_blob_verify_chunks(glossary_blob_t *blob,
    uint64_t from, uint64_t to);

/* index_checksum of a blob whose STRINGS section lies at [off, off + len) */
uint64_t glossary_blob_index_checksum(const void *data, size_t size,
    uint64_t strings_off, uint64_t strings_size);

/* XXH3-64 of STRINGS chunk i of a blob laid out as described */
uint64_t glossary_blob_chunk_hash(const unsigned char *base,
    uint64_t strings_off, uint64_t strings_size, uint32_t shift, uint64_t i);


/*
 * What one process has verified of a lazily opened blob: a bit per chunk
 * (verified, or found corrupt) and a bit per document (everything it sends
 * verified, ETags checked).  The caller provides glossary_lazy_size()
 * bytes of zeroed, writable memory that stays with the process (nginx: a
 * worker's copy-on-write pages).  With a blob opened in full both
 * functions return GLOSSARY_OK at once.
 */
typedef struct {
    uint64_t                   *chunk_ok;
    uint64_t                   *chunk_bad;
    uint64_t                   *doc_ok;
    uint64_t                    slots;      /* documents with a bit */
    uint64_t                    verified;   /* chunks hashed at first use */
    uint64_t                    ok;         /* chunks known good */
    uint64_t                    corrupt;    /* chunks known corrupt */
    /* the failure, for messages: "STRINGS chunk 12 (bytes ...) ..." */
    char                        detail[160];
} glossary_lazy_t;

size_t glossary_lazy_size(const glossary_blob_t *blob);
void glossary_lazy_init(glossary_lazy_t *lz, const glossary_blob_t *blob,
    void *mem);

/* the bytes of every part of a document, and its ETags' syntax */
glossary_status_t glossary_lazy_doc(const glossary_blob_t *blob,
    glossary_lazy_t *lz, const glossary_doc_t *doc);

/* the bytes of one (validated) reference */
glossary_status_t glossary_lazy_ref(const glossary_blob_t *blob,
    glossary_lazy_t *lz, const glossary_ref_t *ref);
const char *glossary_blob_strerror(glossary_status_t rc);

/* "STRINGS", "TERMS", ...; "?" for an id this reader does not know */
const char *glossary_blob_section_name(uint32_t id);

/* "term-json", "related-json", ... of a per-term kind; "?" for others */
const char *glossary_blob_kind_name(uint32_t kind);

/* XXH3-64 of bytes [GLOSSARY_CHECKSUM_FROM, size) */
uint64_t glossary_blob_checksum(const void *data, size_t size);

/* slug hash used by the HASH section */
uint64_t glossary_blob_hash(const void *slug, size_t len);

/* term id of a slug, or GLOSSARY_NO_TERM */
uint32_t glossary_blob_lookup(const glossary_blob_t *blob,
    const unsigned char *slug, size_t len);

/*
 * The same, for a caller that will send document "kind" of the term (its
 * gzip variant when "gzip" and the document has one): as soon as the first
 * bucket names a candidate, its document record, ETag and body are asked
 * of memory, so that those cache misses overlap the ones of the term
 * record and the slug instead of following them.  Only a hint: the result
 * is that of glossary_blob_lookup().
 */
uint32_t glossary_blob_lookup_doc(const glossary_blob_t *blob,
    const unsigned char *slug, size_t len, uint32_t kind, int gzip);

/* document of a term, or NULL when the blob has no such kind */
const glossary_doc_t *glossary_blob_doc(const glossary_blob_t *blob,
    uint32_t term_id, uint32_t kind);

/*
 * the term a per-term document record belongs to, whatever the layout of
 * DOCS; GLOSSARY_NO_TERM for any other record (a global one)
 */
uint32_t glossary_blob_doc_term(const glossary_blob_t *blob,
    const glossary_doc_t *doc);

/* global document, or NULL when the blob has no such kind */
const glossary_doc_t *glossary_blob_global(const glossary_blob_t *blob,
    uint32_t kind);

/* does the blob hold per-term documents of this kind */
#define glossary_blob_has_kind(blob, kind)                                    \
    ((kind) < GLOSSARY_MAX_DOCS_PER_TERM                                      \
     && (blob)->kind_slot[kind] != GLOSSARY_NO_SLOT)

/* a document record that stands for a document the build left out */
#define glossary_doc_absent(d)                                                \
    ((d)->body.len == 0 && (d)->etag.len == 0 && (d)->gzip_body.len == 0    \
     && (d)->gzip_etag.len == 0)

/* a term's related entries, in source order: the first, *n of them */
const glossary_related_t *glossary_blob_related(const glossary_blob_t *blob,
    uint32_t term_id, uint32_t *n);

/* is this a canonical slug: [a-z0-9]+(-[a-z0-9]+)*, 1 to 128 bytes */
int glossary_blob_slug_ok(const unsigned char *p, uint64_t len);

/* category by slug, or NULL */
const glossary_category_t *glossary_blob_category(const glossary_blob_t *blob,
    const unsigned char *slug, size_t len);

/*
 * index of the first entry in a sorted search array whose key is not less
 * than key (bytewise); n when there is none
 */
uint32_t glossary_blob_search_lower(const glossary_search_t *entries,
    uint32_t n, const glossary_blob_t *blob, const unsigned char *key,
    size_t len);

/*
 * the autolink image of the blob (checked: its term ids are the blob's),
 * or NULL when the blob has no AUTOLINK section
 */
#define glossary_blob_autolink(blob)                                          \
    ((blob)->autolink.base != NULL ? &(blob)->autolink : NULL)

/* pointer to the bytes of a validated reference */
#define glossary_blob_ptr(blob, ref)  ((blob)->base + (ref).off)


#endif /* GLOSSARY_BLOB_H */
