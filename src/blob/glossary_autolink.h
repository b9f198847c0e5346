/*
 * Autolink: the matching automaton the compiler writes for automatic
 * linking of glossary terms in HTML, its reader, and the streaming HTML
 * rewriter that uses it.  Nothing in here depends on nginx or allocates
 * memory; the nginx body filter and "glossaryc build --autolink" share it.
 * src/blob/AUTOLINK.md describes the same layout and rules in prose.
 *
 * The image is one block of bytes, position-independent, little-endian,
 * 8-byte aligned, read in place by every worker (a blob section, or any
 * buffer in tests).  It is untrusted: glossary_autolink_open() checks every
 * count, table entry, state and term id before anything uses it.
 *
 * Image layout (every part a multiple of 8 bytes, in this order, sizes
 * given by the header's counts; nothing but the header holds an offset):
 *
 *     +---------------------------------+ 0
 *     | header (64 bytes)               |
 *     +---------------------------------+ 64
 *     | byte_info[256]  (uint8)         |  per input byte: class and hints
 *     +---------------------------------+ 320
 *     | labels[256]     (uint8)         |  per folded byte: automaton label
 *     +---------------------------------+ 576
 *     | filter[16384]   (bits)          |  can a word that begins so match
 *     +---------------------------------+ 16960
 *     | stage1[8704]    (uint16)        |  code point >> 7 -> block
 *     +---------------------------------+ 34368
 *     | blocks[block_count][128]        |  (uint16) class | fold index << 3
 *     +---------------------------------+
 *     | folds[fold_count] (8 bytes)     |  length, then folded UTF-8
 *     +---------------------------------+
 *     | slots[slot_count] (8 bytes)     |  the double-array automaton
 *     +---------------------------------+ size
 */

#ifndef GLOSSARY_AUTOLINK_H
#define GLOSSARY_AUTOLINK_H

#include <stddef.h>
#include <stdint.h>


#define GLOSSARY_AUTOLINK_MAGIC          "GLAUTOLK"
#define GLOSSARY_AUTOLINK_MAGIC_LEN      8
#define GLOSSARY_AUTOLINK_VERSION_MAJOR  1
#define GLOSSARY_AUTOLINK_VERSION_MINOR  0
#define GLOSSARY_AUTOLINK_HEADER_SIZE    64

/* longest pattern, in folded bytes */
#define GLOSSARY_AUTOLINK_MAX_PATTERN    255

/*
 * filter: a bit per beginning of a word, so that the matcher can pass over
 * most words without walking the automaton.  Bytes are coded: ASCII WORD
 * bytes, folded (A-Z as a-z), 0-9 for the digits, 10-35 for the letters,
 * 36 for '_'; 37 for any other ASCII byte but '&'; 38 for '&' and bytes
 * of 0x80 and over (what follows is not known without decoding).  For a
 * word that begins with bytes coded c0 (a WORD byte), c1, c2, c3, and the
 * states s1 .. s4 the root reaches through the WORD bytes among them:
 *
 *   n = (c0 * 39 + c1) * 39 + c2       bit n is set when
 *       c1, c2 WORD bytes              s3 exists
 *       c1 WORD, c2 = 37               s2 exists and may end: it is
 *                                      terminal or has a child under a
 *                                      label of a byte that is no ASCII
 *                                      WORD byte
 *       c1 WORD, c2 = 38               s2 exists
 *       c1 = 37                        s1 exists and may end
 *       c1 = 38                        s1 exists
 *   FILTER_4 + ((n * 39 + c3) * 2654435761 mod 2^32) / 2^16
 *                                      for c1, c2, c3 WORD bytes: s4
 *                                      exists for some word of this hash
 *
 * A word whose bit n is 0, or (four WORD bytes) whose FILTER_4 bit is 0,
 * matches no pattern.  The filter follows from labels and slots, and the
 * reader checks that it does.
 */
#define GLOSSARY_AUTOLINK_FILTER_SIZE    16384
#define GLOSSARY_AUTOLINK_FILTER_CODES   39
#define GLOSSARY_AUTOLINK_FILTER_WORD    37       /* codes below: WORD */
#define GLOSSARY_AUTOLINK_FILTER_OTHER   37
#define GLOSSARY_AUTOLINK_FILTER_ODD     38
#define GLOSSARY_AUTOLINK_FILTER_4       65536
#define GLOSSARY_AUTOLINK_FILTER_HASH    2654435761u

/* the code point table: 0x110000 code points in blocks of 128 */
#define GLOSSARY_AUTOLINK_CP_SHIFT       7
#define GLOSSARY_AUTOLINK_CP_BLOCK       (1u << GLOSSARY_AUTOLINK_CP_SHIFT)
#define GLOSSARY_AUTOLINK_STAGE1         (0x110000u >> 7)
#define GLOSSARY_AUTOLINK_MAX_BLOCKS     GLOSSARY_AUTOLINK_STAGE1

/* a fold entry: 1 length byte and up to 7 bytes of folded UTF-8 */
#define GLOSSARY_AUTOLINK_FOLD_SIZE      8
#define GLOSSARY_AUTOLINK_FOLD_MAX       7
#define GLOSSARY_AUTOLINK_MAX_FOLDS      (1u << 13)

/* automaton limits */
#define GLOSSARY_AUTOLINK_MAX_SLOTS      0x7ffffff0u
#define GLOSSARY_AUTOLINK_MAX_LABELS     253      /* labels 2 .. 254 */

/* header flags */
#define GLOSSARY_AUTOLINK_ACCENTS        0x0001   /* accents were folded */
#define GLOSSARY_AUTOLINK_FLAGS_KNOWN    0x0001


/*
 * Header, 64 bytes at offset 0.
 *
 *   off size field
 *     0    8 magic            "GLAUTOLK", no terminating NUL
 *     8    2 version_major    1: a reader refuses any other major
 *    10    2 version_minor    0
 *    12    4 flags            GLOSSARY_AUTOLINK_ACCENTS; other bits zero
 *    16    8 size             exact size of the image in bytes
 *    24    8 pattern_bytes    sum of the folded patterns' lengths (facts
 *                             for messages and figures; not trusted)
 *    32    4 term_count       every term id in the automaton is below it
 *    36    4 pattern_count    patterns in the automaton (facts)
 *    40    4 max_pattern      longest pattern, folded bytes, 1 to 255
 *    44    4 label_count      K: labels 2 .. K+1 are bytes, K <= 253
 *    48    4 slot_count       entries in slots
 *    52    4 fold_count       entries in folds, entry 0 all zero
 *    56    4 block_count      code point blocks
 *    60    4 reserved         zero
 */
typedef struct {
    char        magic[GLOSSARY_AUTOLINK_MAGIC_LEN];
    uint16_t    version_major;
    uint16_t    version_minor;
    uint32_t    flags;
    uint64_t    size;
    uint64_t    pattern_bytes;
    uint32_t    term_count;
    uint32_t    pattern_count;
    uint32_t    max_pattern;
    uint32_t    label_count;
    uint32_t    slot_count;
    uint32_t    fold_count;
    uint32_t    block_count;
    uint32_t    reserved;
} glossary_autolink_header_t;


/*
 * byte_info[b]: what an input byte is, before any decoding.  For ASCII
 * bytes other than '&', the class (WORD, SPACE, or OTHER when neither bit
 * is set) and START; '&' is exactly SLOW; a UTF-8 lead byte is SLOW or 0;
 * continuation bytes, bytes that never occur in UTF-8, and '<' are 0.
 *
 *   WORD   an ASCII letter, digit or '_'
 *   SPACE  ASCII white space or '-': folds to one space, runs collapse
 *   START  the byte, folded, is the first byte of some pattern
 *   SLOW   '&' (an entity), or a lead byte of which some character, folded,
 *          may begin a pattern: the matcher decodes the character
 */
#define GLOSSARY_AUTOLINK_B_WORD   0x01
#define GLOSSARY_AUTOLINK_B_SPACE  0x02
#define GLOSSARY_AUTOLINK_B_START  0x04
#define GLOSSARY_AUTOLINK_B_SLOW   0x08
#define GLOSSARY_AUTOLINK_B_STOP   (GLOSSARY_AUTOLINK_B_START \
                                    | GLOSSARY_AUTOLINK_B_SLOW)

/*
 * labels[b]: the automaton's label of a folded byte; 0 for a byte that
 * occurs in no pattern (no transition), never 1 (the end label), at most
 * label_count + 1.  ASCII entries already fold: labels['A'] is the label of
 * 'a', labels['-'] and those of white space the label of ' '.
 */
#define GLOSSARY_AUTOLINK_LABEL_NONE  0
#define GLOSSARY_AUTOLINK_LABEL_END   1

/*
 * Code point classes (the low 3 bits of a block entry); the upper 13 bits
 * index folds (0: the character folds to itself).
 *
 *   OTHER   punctuation, symbols, unassigned: a word boundary
 *   WORD    a letter, digit, mark or connector of a script that separates
 *           words: a match must not begin or end next to one
 *   NB      a letter of a script written without spaces (Han, kana,
 *           Hangul, Thai, Lao, Khmer, Myanmar, Yi): a boundary on both
 *           sides
 *   SPACE   white space and hyphens: folds to one space, runs collapse
 *   IGNORE  format characters (soft hyphen, zero-width joiners, ...),
 *           with accent folding also combining diacritics: folds to
 *           nothing and is transparent to boundaries
 */
enum {
    GLOSSARY_AUTOLINK_OTHER  = 0,
    GLOSSARY_AUTOLINK_WORD   = 1,
    GLOSSARY_AUTOLINK_NB     = 2,
    GLOSSARY_AUTOLINK_SPACE  = 3,
    GLOSSARY_AUTOLINK_IGNORE = 4,
    GLOSSARY_AUTOLINK_CLASSES = 5
};

/*
 * A slot of the double array, 8 bytes.  State 0 is the root.  From state
 * s, the byte with label L leads to t = base[s] + L when check[t] masked
 * with GLOSSARY_AUTOLINK_CHECK_MASK is s.  A state where a pattern ends
 * has GLOSSARY_AUTOLINK_TERMINAL set in its own check word, and its child
 * of label 1 (the end slot, never a state) holds the term id in base.  A
 * free slot has check 0xffffffff; the root's check is 0.  For every state
 * base + label_count + 1 < slot_count, so no transition leaves the array.
 *
 *   off size field
 *     0    4 base
 *     4    4 check
 */
#define GLOSSARY_AUTOLINK_CHECK_MASK  0x7fffffffu
#define GLOSSARY_AUTOLINK_TERMINAL    0x80000000u
#define GLOSSARY_AUTOLINK_FREE        0xffffffffu

typedef struct {
    uint32_t    base;
    uint32_t    check;
} glossary_autolink_slot_t;


_Static_assert(sizeof(glossary_autolink_header_t)
               == GLOSSARY_AUTOLINK_HEADER_SIZE,
               "glossary_autolink_header_t must be 64 bytes");
_Static_assert(sizeof(glossary_autolink_slot_t) == 8,
               "glossary_autolink_slot_t must be 8 bytes");


/* size of an image with these counts, 0 when the counts are out of range */
uint64_t glossary_autolink_image_size(uint32_t block_count,
    uint32_t fold_count, uint32_t slot_count);

/*
 * the filter that labels and slots imply (slots already checked: every
 * state's labels inside the array), into filter[FILTER_SIZE]; the builder
 * writes it, the reader compares
 */
void glossary_autolink_make_filter(const uint8_t *labels,
    const glossary_autolink_slot_t *slots, uint32_t label_count,
    uint8_t *filter);


/* reader status codes; glossary_autolink_strerror() names each */
typedef enum {
    GLOSSARY_AUTOLINK_OK = 0,
    GLOSSARY_AUTOLINK_ERR_TRUNCATED,     /* smaller than a header */
    GLOSSARY_AUTOLINK_ERR_ALIGN,         /* not 8-byte aligned in memory */
    GLOSSARY_AUTOLINK_ERR_MAGIC,         /* not an autolink image */
    GLOSSARY_AUTOLINK_ERR_VERSION,       /* unsupported major version */
    GLOSSARY_AUTOLINK_ERR_HEADER,        /* a header field out of range */
    GLOSSARY_AUTOLINK_ERR_SIZE,          /* size disagrees with counts */
    GLOSSARY_AUTOLINK_ERR_BYTES,         /* byte_info or labels invalid */
    GLOSSARY_AUTOLINK_ERR_FILTER,        /* filter disagrees with slots */
    GLOSSARY_AUTOLINK_ERR_CODEPOINTS,    /* stage1, blocks or folds */
    GLOSSARY_AUTOLINK_ERR_AUTOMATON,     /* a slot is invalid */
    GLOSSARY_AUTOLINK_ERR_LAST
} glossary_autolink_status_t;


/*
 * An opened image.  After glossary_autolink_open() returns
 * GLOSSARY_AUTOLINK_OK, every table lookup and transition the matcher
 * makes stays inside the image.
 */
typedef struct {
    const unsigned char               *base;
    size_t                             size;
    const glossary_autolink_header_t  *header;
    const uint8_t                     *byte_info;
    const uint8_t                     *labels;
    const uint8_t                     *filter;
    const uint16_t                    *stage1;
    const uint16_t                    *blocks;
    const uint8_t                     *folds;
    const glossary_autolink_slot_t    *slots;
    uint32_t                           term_count;
    uint32_t                           slot_count;
    uint32_t                           max_pattern;
    /* input bytes a single match may span (entities, white space) */
    uint32_t                           walk_limit;
    /* a pattern begins with an ASCII byte that is no WORD byte */
    unsigned                           punct_start:1;
    /* what exactly was wrong, for messages: "slot 12: ..." */
    char                               detail[160];
} glossary_autolink_t;


glossary_autolink_status_t glossary_autolink_open(glossary_autolink_t *al,
    const void *data, size_t size);
const char *glossary_autolink_strerror(glossary_autolink_status_t rc);


/*
 * Configuration, prepared once (per nginx location) and shared read-only
 * by every stream.  glossary_autolink_conf_init() sets the defaults: one
 * link per term, GLOSSARY_AUTOLINK_MAX_LINKS per page, the default skip
 * list (a h1 h2 h3 h4 h5 h6 code pre kbd button select option label svg
 * math template noscript).  Raw-text elements (script style textarea
 * title xmp iframe noembed noframes noscript plaintext), comments, CDATA
 * and tags are never rewritten, whatever the list.
 */
#define GLOSSARY_AUTOLINK_MAX_LINKS      512      /* per page, at most */
#define GLOSSARY_AUTOLINK_MAX_SKIP       64       /* names in a skip list */
#define GLOSSARY_AUTOLINK_MAX_NAME       31       /* bytes of such a name */

typedef struct {
    uint32_t    links_per_term;    /* 0: no limit */
    uint32_t    links_per_page;    /* 0 or over the maximum: the maximum */
    uint32_t    skip_count;
    uint32_t    skip_hash[GLOSSARY_AUTOLINK_MAX_SKIP];
    uint8_t     skip_len[GLOSSARY_AUTOLINK_MAX_SKIP];
    char        skip_name[GLOSSARY_AUTOLINK_MAX_SKIP]
                         [GLOSSARY_AUTOLINK_MAX_NAME + 1];
    uint64_t    skip_filter[4];    /* a bit per hash & 255 */
} glossary_autolink_conf_t;

void glossary_autolink_conf_init(glossary_autolink_conf_t *conf);

/* empties the skip list (then nothing but raw text etc. is skipped) */
void glossary_autolink_conf_clear_skip(glossary_autolink_conf_t *conf);

/*
 * adds an element name (ASCII letters, digits and '-', 1 to 31 bytes,
 * case-insensitive); -1 when it is not such a name or the list is full
 */
int glossary_autolink_conf_add_skip(glossary_autolink_conf_t *conf,
    const unsigned char *name, size_t len);


/*
 * Output events.  A stream turns its input into a sequence of these; the
 * caller's function receives each at once and makes buffers of them:
 *
 *   PASS   input bytes: data points into the buffer being fed, at
 *          offset; the caller may refer to them without copying
 *   HELD   bytes from the stream's own buffer (text carried across a
 *          buffer boundary): valid only during the call, copy them
 *   OPEN   the opening tag of a link to term (see glossary_autolink_tag)
 *   CLOSE  "</a>"
 *
 * The concatenation of the PASS and HELD bytes is exactly the input; a
 * link's text lies between its OPEN and CLOSE.
 */
typedef enum {
    GLOSSARY_AUTOLINK_PASS = 0,
    GLOSSARY_AUTOLINK_HELD,
    GLOSSARY_AUTOLINK_OPEN,
    GLOSSARY_AUTOLINK_CLOSE
} glossary_autolink_event_type_t;

typedef struct {
    glossary_autolink_event_type_t  type;
    uint32_t                        term;      /* OPEN */
    const unsigned char            *data;      /* PASS, HELD */
    size_t                          len;
    size_t                          offset;    /* PASS: in the input */
} glossary_autolink_event_t;

/* returns 0, or non-zero to stop (glossary_autolink_feed() returns -1) */
typedef int (*glossary_autolink_emit_pt)(void *ctx,
    const glossary_autolink_event_t *ev);


/*
 * Per-stream state: this struct followed by a buffer of hold_size bytes
 * (bounded by the longest pattern: glossary_autolink_stream_size()).  The
 * struct is opaque to callers but for the counters at its top.
 */
typedef struct {
    uint32_t    hash;
    uint16_t    nest;
    uint16_t    reserved;
} glossary_autolink_open_t;

#define GLOSSARY_AUTOLINK_MAX_DEPTH      32       /* skipped elements */
#define GLOSSARY_AUTOLINK_TABLE          1024     /* linked terms */

typedef struct {
    /* counters, for logs and tests */
    uint64_t                         bytes;      /* fed so far */
    uint32_t                         links;      /* links inserted */
    uint32_t                         matches;    /* found, linked or not */
    unsigned                         opted_out:1;  /* <meta> opt-out seen */
    unsigned                         overflow:1; /* nesting too deep: stopped */
    unsigned                         done:1;     /* last buffer fed */
    unsigned                         failed:1;   /* emit refused: unusable */
    unsigned                         capped:1;   /* page's links reached */
    /* tests: the reference path (no filter, no SIMD): the same output */
    unsigned                         plain:1;

    /* the rest is private */
    const glossary_autolink_t       *al;
    const glossary_autolink_conf_t  *conf;
    uint32_t                         exclude;
    uint32_t                         per_page;
    uint32_t                         state;
    uint32_t                         k;          /* sub-state counter */
    uint32_t                         raw;        /* raw-text element */
    uint32_t                         name_hash;
    uint32_t                         name_len;
    uint32_t                         attr_len;
    uint32_t                         attr;       /* attribute being read */
    int32_t                          vk;         /* value matcher */
    uint32_t                         tag;        /* flags of the tag */
    uint32_t                         depth;
    int                              prev_word;  /* before the next text */
    char                             name[GLOSSARY_AUTOLINK_MAX_NAME + 1];
    char                             attr_name[16];
    glossary_autolink_open_t         stack[GLOSSARY_AUTOLINK_MAX_DEPTH];
    uint32_t                         table[GLOSSARY_AUTOLINK_TABLE];
    uint16_t                         count[GLOSSARY_AUTOLINK_TABLE];

    /* the buffer being fed and what of it has been emitted */
    const unsigned char             *in;
    size_t                           pass_from;
    glossary_autolink_emit_pt        emit;
    void                            *ctx;

    size_t                           hold_len;
    size_t                           hold_size;
    unsigned char                    hold[];
} glossary_autolink_stream_t;


/* bytes a stream needs (struct and buffer), 8-byte multiple */
size_t glossary_autolink_stream_size(const glossary_autolink_t *al);

/*
 * mem: glossary_autolink_stream_size() bytes, 8-byte aligned; exclude:
 * a term never linked (a term's own page), or GLOSSARY_AUTOLINK_NO_TERM
 */
#define GLOSSARY_AUTOLINK_NO_TERM  0xffffffffu

glossary_autolink_stream_t *glossary_autolink_stream_init(void *mem,
    const glossary_autolink_t *al, const glossary_autolink_conf_t *conf,
    uint32_t exclude);

/*
 * Feeds the next len bytes of the body (any split, len may be 0); last: no
 * more follow.  Events go to emit(ctx, ...) before it returns; bytes that
 * may still become part of a link are kept (at most the hold buffer) and
 * come out later as HELD.  Returns 0, or -1 when emit refused or the
 * stream was already finished or failed.
 */
int glossary_autolink_feed(glossary_autolink_stream_t *st,
    const unsigned char *in, size_t len, int last,
    glossary_autolink_emit_pt emit, void *ctx);


/*
 * The opening tag of a link, for the caller to build from the blob's
 * strings:
 *
 *   <a href="{prefix}{slug}" class="glossary-term"
 *      data-glossary-slug="{slug}" title="{title}">
 *
 * (on one line; title="..." only when title is not NULL).  Every value is
 * escaped for a double-quoted attribute (& < > " ' as character
 * references).  A title over GLOSSARY_AUTOLINK_MAX_TITLE bytes is cut
 * after a word (or before a character) at most that long and ends with an
 * ellipsis (U+2026): a tooltip, not a page.  glossary_autolink_tag_size()
 * is the exact length that glossary_autolink_tag_write() writes, at most
 * GLOSSARY_AUTOLINK_TAG_MAX + 6 * (prefix_len + 2 * slug_len).
 */
#define GLOSSARY_AUTOLINK_MAX_TITLE      300
#define GLOSSARY_AUTOLINK_TAG_MAX        (64 + 6 * GLOSSARY_AUTOLINK_MAX_TITLE \
                                          + 3)

typedef struct {
    const unsigned char  *prefix;
    size_t                prefix_len;
    const unsigned char  *slug;
    size_t                slug_len;
    const unsigned char  *title;       /* NULL: no title attribute */
    size_t                title_len;
} glossary_autolink_tag_t;

size_t glossary_autolink_tag_size(const glossary_autolink_tag_t *tag);
size_t glossary_autolink_tag_write(unsigned char *dst,
    const glossary_autolink_tag_t *tag);

#define GLOSSARY_AUTOLINK_CLOSE_TAG      "</a>"
#define GLOSSARY_AUTOLINK_CLOSE_TAG_LEN  4

/* escapes for a quoted attribute value; returns the bytes written */
size_t glossary_autolink_escape_attr(unsigned char *dst,
    const unsigned char *src, size_t len);
size_t glossary_autolink_escape_attr_size(const unsigned char *src,
    size_t len);


#endif /* GLOSSARY_AUTOLINK_H */
