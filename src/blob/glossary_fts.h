/*
 * The full-text search index ("FTS image"): the one definition of its
 * layout, its reader and its query engine, shared by the compiler (which
 * writes it, src/compiler/glossary_fts_build.c) and the module (which
 * answers queries from it).  Nothing in here depends on nginx; the engine
 * allocates nothing: the caller passes a scratch area of
 * glossary_fts_scratch_size() bytes.  src/blob/SEARCH.md describes the
 * same layout, the ranking function and the query syntax in prose.
 *
 * All integers are little-endian and fixed width.  Every reference is an
 * offset from the start of the image (part table) or of a part (inside a
 * part), so the image can sit anywhere, at any 8-byte aligned offset.
 *
 *     +------------------------------+ 0
 *     | header (128 bytes)           |
 *     +------------------------------+ 128
 *     | part table                   |  GLOSSARY_FTS_PARTS x 16 bytes
 *     +------------------------------+
 *     | parts, each 8-byte aligned   |
 *     +------------------------------+ image_size
 */

#ifndef GLOSSARY_FTS_H
#define GLOSSARY_FTS_H

#include <stddef.h>
#include <stdint.h>

#include "glossary_blob.h"


#define GLOSSARY_FTS_MAGIC           "GLOSSFTS"
#define GLOSSARY_FTS_VERSION_MAJOR   1
#define GLOSSARY_FTS_VERSION_MINOR   0
#define GLOSSARY_FTS_HEADER_SIZE     128

/* fields of a document, in position order; the rank weights in SEARCH.md */
enum {
    GLOSSARY_FTS_FIELD_NAME = 0,
    GLOSSARY_FTS_FIELD_ALIAS = 1,         /* aliases, one per line */
    GLOSSARY_FTS_FIELD_SLUG = 2,
    GLOSSARY_FTS_FIELD_SHORT = 3,         /* short definition */
    GLOSSARY_FTS_FIELD_FAQ = 4,           /* questions and answers */
    GLOSSARY_FTS_FIELD_EXPLANATION = 5,
    GLOSSARY_FTS_FIELDS = 6,
    GLOSSARY_FTS_FIELD_AUTO = 255         /* glossary_fts_snippet(): best */
};

/* sizes of the format */
#define GLOSSARY_FTS_MAX_WORD        64   /* bytes of a folded word kept */
#define GLOSSARY_FTS_BLOCK           128  /* postings per posting block */
#define GLOSSARY_FTS_DICT_BLOCK      16   /* keys per dictionary block */
#define GLOSSARY_FTS_CHECKPOINT      32   /* words per text checkpoint */
#define GLOSSARY_FTS_PREFIX_MAX      3    /* bytes of a precomputed prefix */
#define GLOSSARY_FTS_PREFIX_K        20   /* documents per prefix, at most */
#define GLOSSARY_FTS_MAX_DOCS        GLOSSARY_MAX_TERMS
#define GLOSSARY_FTS_MAX_DOC_WORDS   (1u << 26)
#define GLOSSARY_FTS_NO_CATEGORY     0xffffffffu

/* bounds of one query (SEARCH.md, "Bounds") */
#define GLOSSARY_FTS_MAX_QUERY       256  /* bytes read of the query */
#define GLOSSARY_FTS_MAX_WORDS       8    /* words that must match */
#define GLOSSARY_FTS_MAX_EXCLUDED    4    /* -words */
#define GLOSSARY_FTS_MAX_EXPANSIONS  12   /* index words per query word */
#define GLOSSARY_FTS_MAX_CANDIDATES  64   /* typo/prefix candidates kept */
#define GLOSSARY_FTS_MAX_PREFIX_SCAN 512  /* keys read for one prefix */
#define GLOSSARY_FTS_MAX_WALK        12000 /* dictionary steps per query */
#define GLOSSARY_FTS_MAX_POSTINGS    60000 /* postings and positions read */
#define GLOSSARY_FTS_MAX_SUBSETS     40   /* word subsets of the fallback */
#define GLOSSARY_FTS_MAX_HITS        50
#define GLOSSARY_FTS_MAX_MARKS       16   /* marks per snippet */
#define GLOSSARY_FTS_SNIPPET_LEN     180  /* bytes of a snippet, about */
#define GLOSSARY_FTS_MAX_SUGGESTION  (GLOSSARY_FTS_MAX_WORDS \
                                      * (GLOSSARY_FTS_MAX_WORD + 1))


/*
 * Header, 128 bytes at offset 0.
 *
 *   off size field
 *     0    8 magic            "GLOSSFTS"
 *     8    2 version_major    1: a reader refuses any other
 *    10    2 version_minor    0
 *    12    4 header_size      128
 *    16    8 image_size       bytes of the whole image
 *    24    4 doc_count        documents; a document id is < doc_count
 *    28    4 list_count       posting lists (one per stem)
 *    32    4 key_count        dictionary keys
 *    36    4 prefix_count     PREFIXES entries
 *    40    4 part_count       GLOSSARY_FTS_PARTS
 *    44    4 flags            0
 *    48    8 text_bytes       searchable text the image was built from
 *    56    4 walk_count       WALK keys
 *    60   68 reserved         zero
 */
typedef struct {
    char        magic[8];
    uint16_t    version_major;
    uint16_t    version_minor;
    uint32_t    header_size;
    uint64_t    image_size;
    uint32_t    doc_count;
    uint32_t    list_count;
    uint32_t    key_count;
    uint32_t    prefix_count;
    uint32_t    part_count;
    uint32_t    flags;
    uint64_t    text_bytes;
    uint32_t    walk_count;
    uint8_t     reserved[68];
} glossary_fts_header_t;


/*
 * part table: {offset from the image start, size}, in this order, each
 * part after the one before (TEXT first: the writer builds it in place)
 */
enum {
    GLOSSARY_FTS_PART_TEXT = 0,       /* the documents' texts */
    GLOSSARY_FTS_PART_DICT_INDEX,     /* uint32_t[]: offset of each block */
    GLOSSARY_FTS_PART_DICT,           /* front-coded dictionary blocks */
    GLOSSARY_FTS_PART_LISTS,          /* glossary_fts_list_t[list_count] */
    GLOSSARY_FTS_PART_SKIPS,          /* glossary_fts_skip_t[] */
    GLOSSARY_FTS_PART_POSTINGS,       /* posting blocks */
    GLOSSARY_FTS_PART_POSITIONS,      /* position blocks */
    GLOSSARY_FTS_PART_DOCS,           /* glossary_fts_doc_t[doc_count] */
    GLOSSARY_FTS_PART_CHECKPOINTS,    /* uint32_t[] */
    GLOSSARY_FTS_PART_NAMES,          /* glossary_fts_name_t[] */
    GLOSSARY_FTS_PART_PREFIXES,       /* glossary_fts_prefix_t[] */
    GLOSSARY_FTS_PART_PREFIX_DOCS,    /* glossary_fts_scored_t[] */
    GLOSSARY_FTS_PART_IMPACTS,        /* uint32_t[256] */
    GLOSSARY_FTS_PART_WALK_INDEX,     /* uint32_t[]: offset of each block */
    GLOSSARY_FTS_PART_WALK,           /* front-coded blocks, by length */
    GLOSSARY_FTS_PART_WALK_LENGTHS,   /* uint32_t[GLOSSARY_FTS_MAX_WORD + 2] */
    GLOSSARY_FTS_PARTS
};

typedef struct {
    uint64_t    offset;
    uint64_t    size;
} glossary_fts_part_t;


/*
 * DICT_INDEX and DICT: the dictionary, every distinct folded word of the
 * documents ("surface" keys) and every stem of them that is not itself a
 * word ("stem" keys), sorted bytewise, strictly ascending, 1 to
 * GLOSSARY_FTS_MAX_WORD bytes each.  Keys are front-coded in blocks of
 * GLOSSARY_FTS_DICT_BLOCK (the last block may hold fewer); DICT_INDEX
 * holds the offset of each block in DICT, the first 0, ascending; a block
 * ends where the next begins.  Each key of a block is:
 *
 *     varint  shared         bytes shared with the previous key (0 first)
 *     varint  suffix_len     then that many bytes
 *     varint  surface + 1    posting list of the word's stem; 0: not a word
 *     varint  stem + 1       posting list of the key as a stem; 0: none
 *
 * A varint is LEB128: 7 bits a byte, low first, at most 5 bytes for 32
 * bits.  A key has a surface list, a stem list or both.
 */


/*
 * WALK_INDEX, WALK and WALK_LENGTHS: the words the typo walks visit, every
 * surface key without a digit (a typo never makes a digit), sorted by
 * length, then bytewise, strictly ascending, front-coded in blocks of
 * GLOSSARY_FTS_DICT_BLOCK as DICT is, each key followed by one varint, its
 * posting list (not + 1).  WALK_LENGTHS[L] is the number of keys shorter
 * than L, for L from 0 to GLOSSARY_FTS_MAX_WORD + 1 (so the keys of length
 * L are [WALK_LENGTHS[L], WALK_LENGTHS[L + 1]), the last entry being
 * walk_count): a walk reads only the lengths that can match.
 */


/*
 * LISTS: one 24-byte record per posting list.  A list holds the documents
 * in which a stem occurs, split in two layers: layer 0, the documents
 * where it occurs in the name, an alias or the slug; layer 1, the others.
 * Each layer is a run of blocks of GLOSSARY_FTS_BLOCK postings (the last
 * shorter), layer 0's first, from SKIPS[skip_first].
 *
 *   off size field
 *     0    4 df               documents (both layers), at least 1
 *     4    4 count0           of them in layer 0
 *     8    4 skip_first       index of the first block in SKIPS
 *    12    4 blocks0          blocks of layer 0: ceil(count0 / 128)
 *    16    4 blocks1          blocks of layer 1: ceil((df - count0) / 128)
 *    20    1 max0             largest impact code of layer 0 (0: empty)
 *    21    1 max1             largest impact code of layer 1 (0: empty)
 *    22    1 fields0          the fields of its layer-0 postings, OR-ed
 *    23    1 fields1          the same for layer 1
 *
 * Lists follow one another in SKIPS: list i + 1 starts where list i ends.
 */
typedef struct {
    uint32_t    df;
    uint32_t    count0;
    uint32_t    skip_first;
    uint32_t    blocks0;
    uint32_t    blocks1;
    uint8_t     max0;
    uint8_t     max1;
    uint8_t     fields0;
    uint8_t     fields1;
} glossary_fts_list_t;


/*
 * SKIPS: one 24-byte header per posting block.
 *
 *   off size field
 *     0    4 last_doc         largest document id in the block
 *     4    1 count            postings, 1 to 128 (128 but in a layer's last)
 *     5    1 max              largest impact code in the block
 *     6    2 reserved         zero
 *     8    8 post_off         offset of the block in POSTINGS
 *    16    8 pos_off          offset of its positions in POSITIONS
 *
 * Blocks are stored in SKIPS order in both POSTINGS and POSITIONS, without
 * gaps: a block ends where the next block's starts (the last at the end of
 * the part).  A posting block is one byte w (0 to 24), then count gaps of
 * w bits each, packed least significant bit first and padded to a whole
 * byte, then 3 zero bytes (so that a 32-bit load never leaves the block),
 * then count impact codes (1 byte each, 1 to 255), then count field masks
 * (1 byte each: bit f set when the stem occurs in field f; in layer 0 one
 * of bits 0-2 is set, in layer 1 none is).  A gap is the document id minus
 * the previous id minus 1; the previous id of a layer's first posting is
 * -1, of a later block's first the last_doc of the block before.  A positions
 * block holds, per posting, a varint n >= 1 then n varints: the first
 * position, then each gap minus 1 (positions strictly ascending, each
 * below the document's word count).  A layer-0 posting has a position in
 * the name, alias or slug; a layer-1 posting has none.
 */
typedef struct {
    uint32_t    last_doc;
    uint8_t     count;
    uint8_t     max;
    uint8_t     reserved[2];
    uint64_t    post_off;
    uint64_t    pos_off;
} glossary_fts_skip_t;


/*
 * DOCS: one 72-byte record per document, the document id being the index.
 * Positions number the words of a document from 0, field after field in
 * GLOSSARY_FTS_FIELD_* order, without gaps: field f holds positions
 * [pos[f], pos[f + 1]) (pos[6] being words).  Its text is the bytes
 * [start(f), text_end[f]) of the document's text, where start(0) is 0 and
 * start(f) is text_end[f - 1] + 1: one separating byte ("\n") between
 * fields.  checkpoint i (CHECKPOINTS[cp_first + i]) is the byte offset in
 * the document's text where word 32 i starts; there are ceil(words / 32).
 *
 *   off size field
 *     0    4 category         the builder's category number, or 0xffffffff
 *     4    4 words            positions in the document
 *     8    4 cp_first         index of its first checkpoint
 *    12    4 reserved         zero
 *    16    8 text_off         offset of its text in TEXT
 *    24   24 pos[6]           first position of each field
 *    48   24 text_end[6]      end of each field in its text
 */
typedef struct {
    uint32_t    category;
    uint32_t    words;
    uint32_t    cp_first;
    uint32_t    reserved;
    uint64_t    text_off;
    uint32_t    pos[GLOSSARY_FTS_FIELDS];
    uint32_t    text_end[GLOSSARY_FTS_FIELDS];
} glossary_fts_doc_t;


/*
 * NAMES: exact-name look-up, 16 bytes an entry, sorted by (hash, kind,
 * doc).  hash is XXH3-64 (seed 0) of the name, the slug or an alias
 * folded by glossary_fold() (src/blob/glossary_fold.h).
 *
 *   off size field
 *     0    8 hash
 *     8    4 doc
 *    12    4 kind             GLOSSARY_FTS_NAME_*
 */
enum {
    GLOSSARY_FTS_NAME_NAME = 0,
    GLOSSARY_FTS_NAME_SLUG = 1,
    GLOSSARY_FTS_NAME_ALIAS = 2
};

typedef struct {
    uint64_t    hash;
    uint32_t    doc;
    uint32_t    kind;
} glossary_fts_name_t;


/*
 * PREFIXES: the answers to one-word queries of 1 to 3 bytes, precomputed;
 * 16 bytes an entry, sorted by key bytewise, strictly ascending.  The
 * documents are PREFIX_DOCS[first .. first + count), best first, as the
 * general evaluation ranks them; "complete" says they are exactly its top
 * count (otherwise the engine evaluates the query).
 *
 *   off size field
 *     0    1 len              1 to 3
 *     1    3 key              the prefix, zero-padded
 *     4    4 first
 *     8    2 count            1 to GLOSSARY_FTS_PREFIX_K
 *    10    1 complete         0 or 1
 *    11    5 reserved         zero
 */
typedef struct {
    uint8_t     len;
    uint8_t     key[3];
    uint32_t    first;
    uint16_t    count;
    uint8_t     complete;
    uint8_t     reserved[5];
} glossary_fts_prefix_t;

/* a document and its score, 8 bytes */
typedef struct {
    uint32_t    doc;
    uint32_t    score;
} glossary_fts_scored_t;


/*
 * IMPACTS: 256 uint32_t, the score of each impact code (code 0 is never
 * stored in a posting), non-decreasing, at most GLOSSARY_FTS_MAX_IMPACT.
 * TEXT: the documents' texts (DOCS); each field is UTF-8 as given.
 */
#define GLOSSARY_FTS_MAX_IMPACT      (1u << 24)

/* a PREFIX_DOCS score: the field tier (SEARCH.md) over the impact */
#define GLOSSARY_FTS_TIER_SHIFT      29


_Static_assert(sizeof(glossary_fts_header_t) == GLOSSARY_FTS_HEADER_SIZE,
               "glossary_fts_header_t: 128 bytes");
_Static_assert(sizeof(glossary_fts_part_t) == 16, "glossary_fts_part_t");
_Static_assert(sizeof(glossary_fts_list_t) == 24, "glossary_fts_list_t");
_Static_assert(sizeof(glossary_fts_skip_t) == 24, "glossary_fts_skip_t");
_Static_assert(sizeof(glossary_fts_doc_t) == 72, "glossary_fts_doc_t");
_Static_assert(sizeof(glossary_fts_name_t) == 16, "glossary_fts_name_t");
_Static_assert(sizeof(glossary_fts_prefix_t) == 16, "glossary_fts_prefix_t");
_Static_assert(sizeof(glossary_fts_scored_t) == 8, "glossary_fts_scored_t");


/*
 * An opened, validated image.  glossary_fts_open() checks every byte that
 * the engine can reach: after GLOSSARY_OK no offset, length, count or id
 * read through it leaves its part.
 */
typedef struct {
    const unsigned char          *base;
    size_t                        size;
    const glossary_fts_header_t  *header;
    const uint32_t               *dict_index;
    uint32_t                      dict_blocks;
    const unsigned char          *dict;
    uint64_t                      dict_size;
    const glossary_fts_list_t    *lists;
    const glossary_fts_skip_t    *skips;
    uint64_t                      skip_count;
    const unsigned char          *postings;
    uint64_t                      postings_size;
    const unsigned char          *positions;
    uint64_t                      positions_size;
    const glossary_fts_doc_t     *docs;
    const uint32_t               *checkpoints;
    uint64_t                      checkpoint_count;
    const glossary_fts_name_t    *names;
    uint64_t                      name_count;
    const glossary_fts_prefix_t  *prefixes;
    const glossary_fts_scored_t  *prefix_docs;
    uint64_t                      prefix_doc_count;
    const uint32_t               *impacts;
    const uint32_t               *walk_index;
    uint32_t                      walk_blocks;
    const unsigned char          *walk;
    uint64_t                      walk_size;
    const uint32_t               *walk_lengths;
    uint32_t                      walk_count;
    const unsigned char          *text;
    uint64_t                      text_size;
    uint32_t                      doc_count;
    uint32_t                      list_count;
    uint32_t                      key_count;
    uint32_t                      prefix_count;
    /* GLOSSARY_FTS_OPEN_LAZY: posting lists checked at first use */
    unsigned                      lazy:1;
    struct glossary_fts_lazy_s   *lz;
    /* what exactly was wrong, for messages: "list 12: block 3: ..." */
    char                          detail[160];
} glossary_fts_t;


/*
 * What one process has verified of a lazily opened image: two bits per
 * posting list (checked, found corrupt).  The caller provides
 * glossary_fts_lazy_size() bytes of zeroed, writable memory that stays
 * with the process (nginx: a worker's copy-on-write pages).
 */
typedef struct glossary_fts_lazy_s {
    uint64_t                     *ok;
    uint64_t                     *bad;
    uint64_t                      verified;     /* lists checked so far */
    uint64_t                      corrupt;      /* of them found corrupt */
    /* the failure, for messages */
    char                          detail[160];
} glossary_fts_lazy_t;


/*
 * Opens an image of size bytes at data (8-byte aligned).  Returns
 * GLOSSARY_OK, or GLOSSARY_ERR_SEARCH (GLOSSARY_ERR_TRUNCATED,
 * GLOSSARY_ERR_MAGIC, GLOSSARY_ERR_VERSION for those) with fts->detail
 * saying what is wrong.
 */
glossary_status_t glossary_fts_open(glossary_fts_t *fts, const void *data,
    size_t size);

/*
 * glossary_fts_open() with options.  text, when not NULL: the documents'
 * texts lie outside the image, text_size bytes at text (a blob's STRINGS),
 * and the image's TEXT part is empty.  GLOSSARY_FTS_OPEN_LAZY: everything
 * but the posting and position blocks is checked now, each list's blocks
 * when a query first reads them (glossary_fts_lazy_init() must be called
 * before any query).
 */
#define GLOSSARY_FTS_OPEN_LAZY       1

glossary_status_t glossary_fts_open_flags(glossary_fts_t *fts,
    const void *data, size_t size, const void *text, size_t text_size,
    unsigned flags);

/*
 * The FTS section of a blob that glossary_blob_open_flags() accepted:
 * mapped into fts without checking it again (the open did, lazily or in
 * full as the blob was opened; lazily, glossary_fts_lazy_init() is then
 * needed).  GLOSSARY_ERR_MISSING_SECTION when the blob has none.
 */
glossary_status_t glossary_blob_fts(const glossary_blob_t *blob,
    glossary_fts_t *fts);

size_t glossary_fts_lazy_size(const glossary_fts_t *fts);
void glossary_fts_lazy_init(glossary_fts_t *fts, glossary_fts_lazy_t *lz,
    void *mem);

/*
 * The blocks of one posting list (postings and positions): with a lazily
 * opened image, checked once, the result kept in its glossary_fts_lazy_t;
 * otherwise GLOSSARY_OK at once.  The engine calls it before it reads a
 * list.
 */
glossary_status_t glossary_fts_list_ready(const glossary_fts_t *fts,
    uint32_t list);

/* the stored text of a field of a document (len 0 when it is empty) */
const unsigned char *glossary_fts_field(const glossary_fts_t *fts,
    uint32_t doc, uint32_t field, size_t *len);


/*
 * Words: the text is folded as glossary_fold() folds it, and cut at its
 * separators; a word longer than GLOSSARY_FTS_MAX_WORD bytes keeps its
 * first ones (whole characters).  glossary_fts_next_word() writes the
 * next word's folded bytes to word (GLOSSARY_FTS_MAX_WORD bytes) and
 * returns their count, 0 at the end; *from and *to get the word's byte
 * range in the text.
 */
typedef struct {
    const unsigned char  *start;
    const unsigned char  *p;
    const unsigned char  *end;
} glossary_fts_words_t;

void glossary_fts_words_init(glossary_fts_words_t *w, const void *text,
    size_t len);
size_t glossary_fts_next_word(glossary_fts_words_t *w, unsigned char *word,
    size_t *from, size_t *to);

/*
 * The English stem of a folded word, in place; returns its length (the
 * rules in SEARCH.md).  Words of other letters than a-z are kept.
 */
size_t glossary_fts_stem(unsigned char *word, size_t len);

/* hash of a folded name, as NAMES stores it */
uint64_t glossary_fts_name_hash(const void *folded, size_t len);

/* LEB128; 0 when the bytes at p (before end) are not a varint of 32 bits */
size_t glossary_fts_varint(const unsigned char *p, const unsigned char *end,
    uint32_t *v);


/*
 * Queries (syntax in SEARCH.md): words are ANDed; "a phrase" in double
 * quotes; -word excludes; the last word is also a prefix unless the query
 * ends with a space; typos are tolerated by word length.
 */
#define GLOSSARY_FTS_ANY_CATEGORY    0xffffffffu

/* query flags */
#define GLOSSARY_FTS_NO_SUGGEST      1    /* no "did you mean" */
#define GLOSSARY_FTS_NO_PREFIX_TABLE 2    /* evaluate 1-3 byte prefixes too */
#define GLOSSARY_FTS_ALL_WORDS       4    /* no fewer words unless no hit */

typedef struct {
    const unsigned char  *text;         /* the query as typed, UTF-8 */
    size_t                len;
    uint32_t              category;     /* or GLOSSARY_FTS_ANY_CATEGORY */
    uint32_t              limit;        /* 1 to GLOSSARY_FTS_MAX_HITS */
    unsigned              flags;
} glossary_fts_query_t;

/* hit flags */
#define GLOSSARY_FTS_HIT_EXACT_NAME  1    /* the query is its name or slug */
#define GLOSSARY_FTS_HIT_EXACT_ALIAS 2    /* the query is one of its aliases */

typedef struct {
    uint32_t    doc;
    uint32_t    flags;
    uint64_t    rank;                   /* higher first; SEARCH.md */
    uint32_t    score;                  /* the BM25-like part of rank */
    uint8_t     typos;                  /* edits of the words matched */
    uint8_t     words;                  /* query words it matches */
    uint8_t     reserved[2];
} glossary_fts_hit_t;

/* result flags: which bound cut the work, and how the answer was found */
#define GLOSSARY_FTS_CUT_QUERY       0x01 /* query longer than the bound */
#define GLOSSARY_FTS_CUT_WORDS       0x02 /* more words than the bound */
#define GLOSSARY_FTS_CUT_EXPANSIONS  0x04 /* more index words matched */
#define GLOSSARY_FTS_CUT_WALK        0x08 /* a typo walk stopped early */
#define GLOSSARY_FTS_CUT_POSTINGS    0x10 /* postings bound reached */
#define GLOSSARY_FTS_CUT_SUBSETS     0x20 /* fallback stopped early */
#define GLOSSARY_FTS_FALLBACK        0x40 /* hits match fewer words */
#define GLOSSARY_FTS_PREFIX_TABLE    0x80 /* answered from PREFIXES */
#define GLOSSARY_FTS_EXHAUSTIVE      0x100 /* total is exact */
#define GLOSSARY_FTS_CORRUPT         0x200 /* a list failed its lazy check */

typedef struct {
    glossary_fts_hit_t    hits[GLOSSARY_FTS_MAX_HITS];
    uint32_t              nhits;
    uint32_t              total;        /* hits found (a lower bound) */
    uint32_t              words;        /* words the query asks for */
    uint32_t              flags;
    const unsigned char  *suggestion;   /* "did you mean", or NULL */
    size_t                suggestion_len;
    /* the work done, for tests and benchmarks */
    uint32_t              postings;     /* postings decoded */
    uint32_t              walk;         /* dictionary steps of typo walks */
    uint32_t              expansions;   /* index words used */
    uint32_t              subsets;      /* fallback evaluations */
} glossary_fts_result_t;

/* bytes of scratch that glossary_fts_search() needs for this image */
size_t glossary_fts_scratch_size(const glossary_fts_t *fts);

/*
 * Answers a query.  scratch: glossary_fts_scratch_size() bytes, 8-byte
 * aligned, any content; nothing else is written but *res (and, opened
 * lazily, what the image's glossary_fts_lazy_t records).  Returns 0; -1
 * when scratch is too small or the limit out of range; -2 when a lazily
 * checked posting list is corrupt (the lazy state's detail says which).
 */
int glossary_fts_search(const glossary_fts_t *fts, void *scratch,
    size_t scratch_size, const glossary_fts_query_t *q,
    glossary_fts_result_t *res);


/*
 * A snippet: a window of a field's stored text, and the byte ranges in it
 * of the words that match the query (the marks), ascending and disjoint.
 * The caller escapes the text and wraps each mark (HTML: <mark>...</mark>).
 * cut_before/cut_after: the window does not start/end the field (show
 * an ellipsis).  len 0: the document has no text in that field; len is at
 * most GLOSSARY_FTS_SNIPPET_MAX (whole characters, a long word cut).
 */
#define GLOSSARY_FTS_SNIPPET_MAX     (2 * GLOSSARY_FTS_SNIPPET_LEN)

typedef struct {
    uint32_t    from;
    uint32_t    len;
} glossary_fts_mark_t;

typedef struct {
    uint32_t               field;
    const unsigned char   *text;
    size_t                 len;
    unsigned               cut_before:1;
    unsigned               cut_after:1;
    uint32_t               nmarks;
    glossary_fts_mark_t    marks[GLOSSARY_FTS_MAX_MARKS];
} glossary_fts_snippet_t;

/*
 * The snippet of hit i of the last glossary_fts_search() with this
 * scratch: of the given field, or with GLOSSARY_FTS_FIELD_AUTO of the
 * first of short definition, FAQ and explanation where a query word
 * occurs (the short definition when none does), around its first match.
 * Returns 0, -1 when i or field is out of range.
 */
int glossary_fts_snippet(const glossary_fts_t *fts, void *scratch,
    const glossary_fts_result_t *res, uint32_t i, uint32_t field,
    glossary_fts_snippet_t *sn);


#endif /* GLOSSARY_FTS_H */
