/*
 * Autolink: the image reader and the streaming HTML rewriter (see
 * glossary_autolink.h and AUTOLINK.md).  No allocation, no library.
 *
 * The rewriter is an HTML tokenizer that follows the HTML standard's
 * states where they decide what is text (tags, attribute values, comments,
 * CDATA, raw text and script data with its escapes), a stack of the
 * skipped elements that are open, and, in text, a matcher: at every place
 * where a word may begin, a walk down the automaton from its root finds
 * the longest pattern that also ends where a word may end.  Text that may
 * still become part of a link when a buffer ends is copied into the
 * stream's hold buffer and looked at again, whole, with the next buffer;
 * every decision depends only on the bytes, never on where they were cut.
 */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "glossary_autolink.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif


/* tokenizer states; those of the HTML standard keep its names */
enum {
    al_text = 0,
    al_tag_open,
    al_end_open,
    al_tag_name,
    al_attr_before,
    al_attr_name,
    al_attr_after,
    al_value_before,
    al_value_dq,
    al_value_sq,
    al_value_uq,
    al_self_close,
    al_decl,
    al_comment_start,
    al_comment_start_dash,
    al_comment,
    al_comment_end_dash,
    al_comment_end,
    al_comment_end_bang,
    al_bogus,
    al_cdata,
    al_raw,
    al_raw_lt,
    al_raw_end,
    al_script,
    al_script_lt,
    al_script_end,
    al_script_esc_start,
    al_script_esc_start_dash,
    al_script_esc,
    al_script_esc_dash,
    al_script_esc_dash_dash,
    al_script_esc_lt,
    al_script_esc_end,
    al_script_desc_start,
    al_script_desc,
    al_script_desc_dash,
    al_script_desc_dash_dash,
    al_script_desc_lt,
    al_script_desc_end,
    al_plaintext
};

/* what a tag carries (st->tag) */
#define AL_TAG_END           0x01
#define AL_TAG_SELF_CLOSE    0x02
#define AL_TAG_NOGLOSSARY    0x04
#define AL_TAG_META_NAME     0x08
#define AL_TAG_META_CONTENT  0x10

/* the attribute whose value is being read (st->attr) */
enum {
    al_attr_other = 0,
    al_attr_class,
    al_attr_name_attr,
    al_attr_content
};

/* element kinds */
enum {
    al_kind_normal = 0,
    al_kind_void,
    al_kind_meta,
    al_kind_raw,
    al_kind_script,
    al_kind_plaintext,
    al_kind_foreign
};

/* the result of a walk */
enum {
    al_walk_none = 0,
    al_walk_match,
    al_walk_more
};

#define AL_FNV_BASIS   2166136261u
#define AL_FNV_PRIME   16777619u
#define AL_ENTITY_MAX  32           /* bytes of an entity, '&' to ';' */
#define AL_HOLD_SLACK  64


typedef struct {
    const char  *name;
    uint32_t     cp;
} glossary_al_entity_t;

typedef struct {
    uint32_t         cls;
    uint32_t         fold_len;
    const uint8_t   *fold;          /* NULL: matches nothing */
    uint8_t          buf[4];
} glossary_al_char_t;

typedef struct {
    size_t      end;
    uint32_t    term;
    int         end_word;
    size_t      resume;         /* no match: where a word may next begin */
} glossary_al_match_t;


static glossary_autolink_status_t glossary_al_fail(glossary_autolink_t *al,
    glossary_autolink_status_t rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static glossary_autolink_status_t glossary_al_check_bytes(
    glossary_autolink_t *al);
static glossary_autolink_status_t glossary_al_check_codepoints(
    glossary_autolink_t *al);
static glossary_autolink_status_t glossary_al_check_slots(
    glossary_autolink_t *al);
static glossary_autolink_status_t glossary_al_check_filter(
    glossary_autolink_t *al);
static size_t glossary_al_entity(const unsigned char *p, size_t avail,
    int more, uint32_t *cp);
static size_t glossary_al_utf8(const unsigned char *p, size_t avail,
    int more, uint32_t *cp);
static size_t glossary_al_char(const glossary_autolink_t *al,
    const unsigned char *p, size_t avail, int more, glossary_al_char_t *ch);
static int glossary_al_prev(const glossary_autolink_t *al,
    const unsigned char *seg, size_t anchor, int aword, size_t pos);
static inline int glossary_al_walk(const glossary_autolink_t *al,
    const unsigned char *seg, size_t len, size_t pos, int more,
    glossary_al_match_t *m) __attribute__((always_inline));
static int glossary_al_text(glossary_autolink_stream_t *st,
    const unsigned char *seg, size_t len, int more, int held, size_t off,
    size_t *done);
static int glossary_al_link(glossary_autolink_stream_t *st,
    const unsigned char *seg, size_t *out, size_t from, size_t to,
    uint32_t term, int held, size_t off);
static int glossary_al_decide(glossary_autolink_stream_t *st, uint32_t term);
static int glossary_al_hold(glossary_autolink_stream_t *st,
    const unsigned char *in, size_t *pos, size_t len, int last);
static int glossary_al_flush(glossary_autolink_stream_t *st, size_t to);
static int glossary_al_event(glossary_autolink_stream_t *st,
    glossary_autolink_event_type_t type, const unsigned char *data,
    size_t len, size_t offset, uint32_t term);
static void glossary_al_start_tag(glossary_autolink_stream_t *st);
static void glossary_al_end_tag(glossary_autolink_stream_t *st);
static void glossary_al_emit_tag(glossary_autolink_stream_t *st);
static uint32_t glossary_al_kind(const char *name, uint32_t len,
    uint32_t *raw);
static void glossary_al_attr_end(glossary_autolink_stream_t *st);
static void glossary_al_value(glossary_autolink_stream_t *st, unsigned c);
static void glossary_al_value_end(glossary_autolink_stream_t *st);


static const char  *glossary_al_errors[] = {
    "ok",
    "image is too small to be an autolink image",
    "image is not 8-byte aligned in memory",
    "not an autolink image (bad magic)",
    "unsupported autolink image version",
    "invalid autolink image header",
    "autolink image size does not match its counts",
    "invalid byte table in the autolink image",
    "the autolink image's word filter disagrees with its automaton",
    "invalid code point table in the autolink image",
    "invalid automaton in the autolink image",
};

_Static_assert(sizeof(glossary_al_errors) / sizeof(char *)
               == GLOSSARY_AUTOLINK_ERR_LAST, "one message per status code");


/* the HTML 4 character entities and &apos;, sorted bytewise */
static const glossary_al_entity_t  glossary_al_entities[] = {
    { "AElig", 0xc6 }, { "Aacute", 0xc1 }, { "Acirc", 0xc2 },
    { "Agrave", 0xc0 }, { "Alpha", 0x391 }, { "Aring", 0xc5 },
    { "Atilde", 0xc3 }, { "Auml", 0xc4 }, { "Beta", 0x392 },
    { "Ccedil", 0xc7 }, { "Chi", 0x3a7 }, { "Dagger", 0x2021 },
    { "Delta", 0x394 }, { "ETH", 0xd0 }, { "Eacute", 0xc9 },
    { "Ecirc", 0xca }, { "Egrave", 0xc8 }, { "Epsilon", 0x395 },
    { "Eta", 0x397 }, { "Euml", 0xcb }, { "Gamma", 0x393 },
    { "Iacute", 0xcd }, { "Icirc", 0xce }, { "Igrave", 0xcc },
    { "Iota", 0x399 }, { "Iuml", 0xcf }, { "Kappa", 0x39a },
    { "Lambda", 0x39b }, { "Mu", 0x39c }, { "Ntilde", 0xd1 },
    { "Nu", 0x39d }, { "OElig", 0x152 }, { "Oacute", 0xd3 },
    { "Ocirc", 0xd4 }, { "Ograve", 0xd2 }, { "Omega", 0x3a9 },
    { "Omicron", 0x39f }, { "Oslash", 0xd8 }, { "Otilde", 0xd5 },
    { "Ouml", 0xd6 }, { "Phi", 0x3a6 }, { "Pi", 0x3a0 },
    { "Prime", 0x2033 }, { "Psi", 0x3a8 }, { "Rho", 0x3a1 },
    { "Scaron", 0x160 }, { "Sigma", 0x3a3 }, { "THORN", 0xde },
    { "Tau", 0x3a4 }, { "Theta", 0x398 }, { "Uacute", 0xda },
    { "Ucirc", 0xdb }, { "Ugrave", 0xd9 }, { "Upsilon", 0x3a5 },
    { "Uuml", 0xdc }, { "Xi", 0x39e }, { "Yacute", 0xdd },
    { "Yuml", 0x178 }, { "Zeta", 0x396 }, { "aacute", 0xe1 },
    { "acirc", 0xe2 }, { "acute", 0xb4 }, { "aelig", 0xe6 },
    { "agrave", 0xe0 }, { "alefsym", 0x2135 }, { "alpha", 0x3b1 },
    { "amp", 0x26 }, { "and", 0x2227 }, { "ang", 0x2220 },
    { "apos", 0x27 }, { "aring", 0xe5 }, { "asymp", 0x2248 },
    { "atilde", 0xe3 }, { "auml", 0xe4 }, { "bdquo", 0x201e },
    { "beta", 0x3b2 }, { "brvbar", 0xa6 }, { "bull", 0x2022 },
    { "cap", 0x2229 }, { "ccedil", 0xe7 }, { "cedil", 0xb8 },
    { "cent", 0xa2 }, { "chi", 0x3c7 }, { "circ", 0x2c6 },
    { "clubs", 0x2663 }, { "cong", 0x2245 }, { "copy", 0xa9 },
    { "crarr", 0x21b5 }, { "cup", 0x222a }, { "curren", 0xa4 },
    { "dArr", 0x21d3 }, { "dagger", 0x2020 }, { "darr", 0x2193 },
    { "deg", 0xb0 }, { "delta", 0x3b4 }, { "diams", 0x2666 },
    { "divide", 0xf7 }, { "eacute", 0xe9 }, { "ecirc", 0xea },
    { "egrave", 0xe8 }, { "empty", 0x2205 }, { "emsp", 0x2003 },
    { "ensp", 0x2002 }, { "epsilon", 0x3b5 }, { "equiv", 0x2261 },
    { "eta", 0x3b7 }, { "eth", 0xf0 }, { "euml", 0xeb },
    { "euro", 0x20ac }, { "exist", 0x2203 }, { "fnof", 0x192 },
    { "forall", 0x2200 }, { "frac12", 0xbd }, { "frac14", 0xbc },
    { "frac34", 0xbe }, { "frasl", 0x2044 }, { "gamma", 0x3b3 },
    { "ge", 0x2265 }, { "gt", 0x3e }, { "hArr", 0x21d4 },
    { "harr", 0x2194 }, { "hearts", 0x2665 }, { "hellip", 0x2026 },
    { "iacute", 0xed }, { "icirc", 0xee }, { "iexcl", 0xa1 },
    { "igrave", 0xec }, { "image", 0x2111 }, { "infin", 0x221e },
    { "int", 0x222b }, { "iota", 0x3b9 }, { "iquest", 0xbf },
    { "isin", 0x2208 }, { "iuml", 0xef }, { "kappa", 0x3ba },
    { "lArr", 0x21d0 }, { "lambda", 0x3bb }, { "lang", 0x2329 },
    { "laquo", 0xab }, { "larr", 0x2190 }, { "lceil", 0x2308 },
    { "ldquo", 0x201c }, { "le", 0x2264 }, { "lfloor", 0x230a },
    { "lowast", 0x2217 }, { "loz", 0x25ca }, { "lrm", 0x200e },
    { "lsaquo", 0x2039 }, { "lsquo", 0x2018 }, { "lt", 0x3c },
    { "macr", 0xaf }, { "mdash", 0x2014 }, { "micro", 0xb5 },
    { "middot", 0xb7 }, { "minus", 0x2212 }, { "mu", 0x3bc },
    { "nabla", 0x2207 }, { "nbsp", 0xa0 }, { "ndash", 0x2013 },
    { "ne", 0x2260 }, { "ni", 0x220b }, { "not", 0xac },
    { "notin", 0x2209 }, { "nsub", 0x2284 }, { "ntilde", 0xf1 },
    { "nu", 0x3bd }, { "oacute", 0xf3 }, { "ocirc", 0xf4 },
    { "oelig", 0x153 }, { "ograve", 0xf2 }, { "oline", 0x203e },
    { "omega", 0x3c9 }, { "omicron", 0x3bf }, { "oplus", 0x2295 },
    { "or", 0x2228 }, { "ordf", 0xaa }, { "ordm", 0xba },
    { "oslash", 0xf8 }, { "otilde", 0xf5 }, { "otimes", 0x2297 },
    { "ouml", 0xf6 }, { "para", 0xb6 }, { "part", 0x2202 },
    { "permil", 0x2030 }, { "perp", 0x22a5 }, { "phi", 0x3c6 },
    { "pi", 0x3c0 }, { "piv", 0x3d6 }, { "plusmn", 0xb1 },
    { "pound", 0xa3 }, { "prime", 0x2032 }, { "prod", 0x220f },
    { "prop", 0x221d }, { "psi", 0x3c8 }, { "quot", 0x22 },
    { "rArr", 0x21d2 }, { "radic", 0x221a }, { "rang", 0x232a },
    { "raquo", 0xbb }, { "rarr", 0x2192 }, { "rceil", 0x2309 },
    { "rdquo", 0x201d }, { "real", 0x211c }, { "reg", 0xae },
    { "rfloor", 0x230b }, { "rho", 0x3c1 }, { "rlm", 0x200f },
    { "rsaquo", 0x203a }, { "rsquo", 0x2019 }, { "sbquo", 0x201a },
    { "scaron", 0x161 }, { "sdot", 0x22c5 }, { "sect", 0xa7 },
    { "shy", 0xad }, { "sigma", 0x3c3 }, { "sigmaf", 0x3c2 },
    { "sim", 0x223c }, { "spades", 0x2660 }, { "sub", 0x2282 },
    { "sube", 0x2286 }, { "sum", 0x2211 }, { "sup", 0x2283 },
    { "sup1", 0xb9 }, { "sup2", 0xb2 }, { "sup3", 0xb3 },
    { "supe", 0x2287 }, { "szlig", 0xdf }, { "tau", 0x3c4 },
    { "there4", 0x2234 }, { "theta", 0x3b8 }, { "thetasym", 0x3d1 },
    { "thinsp", 0x2009 }, { "thorn", 0xfe }, { "tilde", 0x2dc },
    { "times", 0xd7 }, { "trade", 0x2122 }, { "uArr", 0x21d1 },
    { "uacute", 0xfa }, { "uarr", 0x2191 }, { "ucirc", 0xfb },
    { "ugrave", 0xf9 }, { "uml", 0xa8 }, { "upsih", 0x3d2 },
    { "upsilon", 0x3c5 }, { "uuml", 0xfc }, { "weierp", 0x2118 },
    { "xi", 0x3be }, { "yacute", 0xfd }, { "yen", 0xa5 },
    { "yuml", 0xff }, { "zeta", 0x3b6 }, { "zwj", 0x200d },
    { "zwnj", 0x200c }
};

/* numeric references to 0x80 .. 0x9f mean windows-1252 (HTML standard) */
static const uint16_t  glossary_al_cp1252[32] = {
    0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021,
    0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
    0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
    0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178
};

/* elements whose text is not HTML: the end tag is all that counts */
static const char  *glossary_al_raw_names[] = {
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed",
    "noframes", "noscript"
};

static const uint8_t  glossary_al_raw_len[] = { 6, 5, 8, 5, 3, 6, 7, 8, 8 };

/* the class bits of ASCII bytes, fixed by the format */
#define AL_W  GLOSSARY_AUTOLINK_B_WORD
#define AL_S  GLOSSARY_AUTOLINK_B_SPACE

static const uint8_t  glossary_al_ascii[128] = {
    ['\t'] = AL_S, ['\n'] = AL_S, ['\f'] = AL_S, ['\r'] = AL_S, [' '] = AL_S,
    ['-'] = AL_S,
    ['0'] = AL_W, AL_W, AL_W, AL_W, AL_W, AL_W, AL_W, AL_W, AL_W, AL_W,
    ['A'] = AL_W, AL_W, AL_W, AL_W, AL_W, AL_W, AL_W, AL_W, AL_W, AL_W, AL_W,
    AL_W, AL_W, AL_W, AL_W, AL_W, AL_W, AL_W, AL_W, AL_W, AL_W, AL_W, AL_W,
    AL_W, AL_W, AL_W,
    ['_'] = AL_W,
    ['a'] = AL_W, AL_W, AL_W, AL_W, AL_W, AL_W, AL_W, AL_W, AL_W, AL_W, AL_W,
    AL_W, AL_W, AL_W, AL_W, AL_W, AL_W, AL_W, AL_W, AL_W, AL_W, AL_W, AL_W,
    AL_W, AL_W, AL_W
};

#undef AL_W
#undef AL_S

/* filter codes of bytes (see glossary_autolink.h) */
#define AL_O  GLOSSARY_AUTOLINK_FILTER_OTHER
#define AL_X  GLOSSARY_AUTOLINK_FILTER_ODD
#define AL_O8 AL_O, AL_O, AL_O, AL_O, AL_O, AL_O, AL_O, AL_O
#define AL_X8 AL_X, AL_X, AL_X, AL_X, AL_X, AL_X, AL_X, AL_X
#define AL_X64 AL_X8, AL_X8, AL_X8, AL_X8, AL_X8, AL_X8, AL_X8, AL_X8

static const uint8_t  glossary_al_codes[256] = {
    AL_O8, AL_O8, AL_O8, AL_O8,                              /* 00-1f */
    AL_O, AL_O, AL_O, AL_O, AL_O, AL_O, AL_X, AL_O, AL_O8,   /* 20-2f */
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, AL_O, AL_O, AL_O, AL_O, AL_O, AL_O,
    AL_O, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
    25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, AL_O, AL_O, AL_O, AL_O, 36,
    AL_O, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
    25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, AL_O, AL_O, AL_O, AL_O, AL_O,
    AL_X64, AL_X64
};

#undef AL_O
#undef AL_X
#undef AL_O8
#undef AL_X8
#undef AL_X64

static const char  glossary_al_code_bytes[] =
    "0123456789abcdefghijklmnopqrstuvwxyz_";

/* bytes that end a tag name (NAME) or an attribute name (ATTR) */
#define AL_D_NAME  1
#define AL_D_ATTR  2
#define AL_D_WS    4

static const uint8_t  glossary_al_delim[256] = {
    ['\t'] = 7, ['\n'] = 7, ['\f'] = 7, ['\r'] = 7, [' '] = 7,
    ['/'] = 3, ['>'] = 3, ['='] = 2
};

static const char  *glossary_al_default_skip[] = {
    "a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "kbd",
    "button", "select", "option", "label", "svg", "math", "template",
    "noscript"
};


const char *
glossary_autolink_strerror(glossary_autolink_status_t rc)
{
    if ((unsigned) rc >= GLOSSARY_AUTOLINK_ERR_LAST) {
        return "unknown error";
    }

    return glossary_al_errors[rc];
}


uint64_t
glossary_autolink_image_size(uint32_t block_count, uint32_t fold_count,
    uint32_t slot_count)
{
    if (block_count == 0 || block_count > GLOSSARY_AUTOLINK_MAX_BLOCKS
        || fold_count == 0 || fold_count > GLOSSARY_AUTOLINK_MAX_FOLDS
        || slot_count == 0 || slot_count > GLOSSARY_AUTOLINK_MAX_SLOTS)
    {
        return 0;
    }

    return GLOSSARY_AUTOLINK_HEADER_SIZE + 256 + 256
           + GLOSSARY_AUTOLINK_FILTER_SIZE
           + (uint64_t) GLOSSARY_AUTOLINK_STAGE1 * 2
           + (uint64_t) block_count * GLOSSARY_AUTOLINK_CP_BLOCK * 2
           + (uint64_t) fold_count * GLOSSARY_AUTOLINK_FOLD_SIZE
           + (uint64_t) slot_count * sizeof(glossary_autolink_slot_t);
}


glossary_autolink_status_t
glossary_autolink_open(glossary_autolink_t *al, const void *data,
    size_t size)
{
    uint64_t                           want;
    glossary_autolink_status_t         rc;
    const unsigned char               *p;
    const glossary_autolink_header_t  *h;

    memset(al, 0, sizeof(glossary_autolink_t));

    if (size < GLOSSARY_AUTOLINK_HEADER_SIZE) {
        return glossary_al_fail(al, GLOSSARY_AUTOLINK_ERR_TRUNCATED,
                                "%zu bytes, the header alone is %d", size,
                                GLOSSARY_AUTOLINK_HEADER_SIZE);
    }

    if (((uintptr_t) data & 7) != 0) {
        return glossary_al_fail(al, GLOSSARY_AUTOLINK_ERR_ALIGN,
                                "image at address %p", data);
    }

    p = data;
    h = data;

    if (memcmp(h->magic, GLOSSARY_AUTOLINK_MAGIC,
               GLOSSARY_AUTOLINK_MAGIC_LEN) != 0)
    {
        return glossary_al_fail(al, GLOSSARY_AUTOLINK_ERR_MAGIC,
                                "the first 8 bytes are not \"%s\"",
                                GLOSSARY_AUTOLINK_MAGIC);
    }

    if (h->version_major != GLOSSARY_AUTOLINK_VERSION_MAJOR) {
        return glossary_al_fail(al, GLOSSARY_AUTOLINK_ERR_VERSION,
                                "version %u.%u, this reader reads %d.x",
                                (unsigned) h->version_major,
                                (unsigned) h->version_minor,
                                GLOSSARY_AUTOLINK_VERSION_MAJOR);
    }

    if (h->flags & ~(uint32_t) GLOSSARY_AUTOLINK_FLAGS_KNOWN) {
        return glossary_al_fail(al, GLOSSARY_AUTOLINK_ERR_HEADER,
                                "unknown flags 0x%x", (unsigned) h->flags);
    }

    if (h->max_pattern == 0 || h->max_pattern > GLOSSARY_AUTOLINK_MAX_PATTERN)
    {
        return glossary_al_fail(al, GLOSSARY_AUTOLINK_ERR_HEADER,
                                "longest pattern %u bytes, not 1 to %d",
                                (unsigned) h->max_pattern,
                                GLOSSARY_AUTOLINK_MAX_PATTERN);
    }

    if (h->label_count > GLOSSARY_AUTOLINK_MAX_LABELS) {
        return glossary_al_fail(al, GLOSSARY_AUTOLINK_ERR_HEADER,
                                "%u labels, at most %d",
                                (unsigned) h->label_count,
                                GLOSSARY_AUTOLINK_MAX_LABELS);
    }

    if (h->reserved != 0) {
        return glossary_al_fail(al, GLOSSARY_AUTOLINK_ERR_HEADER,
                                "reserved field is not zero");
    }

    want = glossary_autolink_image_size(h->block_count, h->fold_count,
                                        h->slot_count);

    if (want == 0) {
        return glossary_al_fail(al, GLOSSARY_AUTOLINK_ERR_HEADER,
                                "counts out of range: %u blocks (1 to %u), "
                                "%u folds (1 to %u), %u slots (1 to %u)",
                                (unsigned) h->block_count,
                                GLOSSARY_AUTOLINK_MAX_BLOCKS,
                                (unsigned) h->fold_count,
                                GLOSSARY_AUTOLINK_MAX_FOLDS,
                                (unsigned) h->slot_count,
                                GLOSSARY_AUTOLINK_MAX_SLOTS);
    }

    if (h->slot_count < h->label_count + 2) {
        return glossary_al_fail(al, GLOSSARY_AUTOLINK_ERR_HEADER,
                                "%u slots cannot hold a root with %u labels",
                                (unsigned) h->slot_count,
                                (unsigned) h->label_count);
    }

    if (h->size != want || size != want) {
        return glossary_al_fail(al, GLOSSARY_AUTOLINK_ERR_SIZE,
                                "header says %llu bytes, the counts %llu, "
                                "the buffer has %zu",
                                (unsigned long long) h->size,
                                (unsigned long long) want, size);
    }

    al->base = p;
    al->size = size;
    al->header = h;
    al->byte_info = p + GLOSSARY_AUTOLINK_HEADER_SIZE;
    al->labels = al->byte_info + 256;
    al->filter = al->labels + 256;
    al->stage1 = (const uint16_t *) (al->filter
                                     + GLOSSARY_AUTOLINK_FILTER_SIZE);
    al->blocks = al->stage1 + GLOSSARY_AUTOLINK_STAGE1;
    al->folds = (const uint8_t *) (al->blocks
                                   + (size_t) h->block_count
                                     * GLOSSARY_AUTOLINK_CP_BLOCK);
    al->slots = (const glossary_autolink_slot_t *)
                    (al->folds + (size_t) h->fold_count
                                 * GLOSSARY_AUTOLINK_FOLD_SIZE);
    al->term_count = h->term_count;
    al->slot_count = h->slot_count;
    al->max_pattern = h->max_pattern;
    al->walk_limit = 4 * h->max_pattern + 64;

    rc = glossary_al_check_bytes(al);

    if (rc == GLOSSARY_AUTOLINK_OK) {
        rc = glossary_al_check_codepoints(al);
    }

    if (rc == GLOSSARY_AUTOLINK_OK) {
        rc = glossary_al_check_slots(al);
    }

    if (rc == GLOSSARY_AUTOLINK_OK) {
        rc = glossary_al_check_filter(al);
    }

    if (rc != GLOSSARY_AUTOLINK_OK) {
        al->base = NULL;
        al->header = NULL;
    }

    return rc;
}


static glossary_autolink_status_t
glossary_al_check_bytes(glossary_autolink_t *al)
{
    unsigned  b, info, max;

    max = al->header->label_count + 1;

    for (b = 0; b < 256; b++) {
        info = al->byte_info[b];

        if (info & ~0x0fu) {
            goto bad;
        }

        if (b == '&') {
            if (info != GLOSSARY_AUTOLINK_B_SLOW) {
                goto bad;
            }

        } else if (b == '<' || (b >= 0x80 && b < 0xc2) || b > 0xf4) {
            if (info != 0) {
                goto bad;
            }

        } else if (b >= 0x80) {
            if (info & ~(unsigned) GLOSSARY_AUTOLINK_B_SLOW) {
                goto bad;
            }

        } else if ((info & GLOSSARY_AUTOLINK_B_SLOW)
                   || (info & (GLOSSARY_AUTOLINK_B_WORD
                               | GLOSSARY_AUTOLINK_B_SPACE))
                      != glossary_al_ascii[b])
        {
            /* ASCII classes are the format's, not the glossary's */
            goto bad;
        }

        if (b < 0x80 && b != '&' && !(info & GLOSSARY_AUTOLINK_B_WORD)
            && (info & GLOSSARY_AUTOLINK_B_START))
        {
            al->punct_start = 1;
        }

        if (al->labels[b] > max
            || al->labels[b] == GLOSSARY_AUTOLINK_LABEL_END)
        {
            return glossary_al_fail(al, GLOSSARY_AUTOLINK_ERR_BYTES,
                                    "byte 0x%02x has label %u (0, or 2 to "
                                    "%u)", b, (unsigned) al->labels[b], max);
        }
    }

    return GLOSSARY_AUTOLINK_OK;

bad:

    return glossary_al_fail(al, GLOSSARY_AUTOLINK_ERR_BYTES,
                            "byte 0x%02x has info 0x%02x", b,
                            (unsigned) al->byte_info[b]);
}


static glossary_autolink_status_t
glossary_al_check_codepoints(glossary_autolink_t *al)
{
    size_t           i, n;
    unsigned         k;
    uint32_t         blocks, folds;
    const uint8_t   *f;

    blocks = al->header->block_count;
    folds = al->header->fold_count;

    for (i = 0; i < GLOSSARY_AUTOLINK_STAGE1; i++) {
        if (al->stage1[i] >= blocks) {
            return glossary_al_fail(al, GLOSSARY_AUTOLINK_ERR_CODEPOINTS,
                                    "code points U+%04zX..: block %u of %u",
                                    i << GLOSSARY_AUTOLINK_CP_SHIFT,
                                    (unsigned) al->stage1[i],
                                    (unsigned) blocks);
        }
    }

    n = (size_t) blocks * GLOSSARY_AUTOLINK_CP_BLOCK;

    for (i = 0; i < n; i++) {
        if ((al->blocks[i] & 7) >= GLOSSARY_AUTOLINK_CLASSES
            || (uint32_t) (al->blocks[i] >> 3) >= folds)
        {
            return glossary_al_fail(al, GLOSSARY_AUTOLINK_ERR_CODEPOINTS,
                                    "block %zu entry %zu: class %u, fold "
                                    "%u of %u",
                                    i / GLOSSARY_AUTOLINK_CP_BLOCK,
                                    i % GLOSSARY_AUTOLINK_CP_BLOCK,
                                    (unsigned) (al->blocks[i] & 7),
                                    (unsigned) (al->blocks[i] >> 3),
                                    (unsigned) folds);
        }
    }

    for (i = 0; i < folds; i++) {
        f = al->folds + i * GLOSSARY_AUTOLINK_FOLD_SIZE;

        if (f[0] > GLOSSARY_AUTOLINK_FOLD_MAX || (i == 0 && f[0] != 0)) {
            return glossary_al_fail(al, GLOSSARY_AUTOLINK_ERR_CODEPOINTS,
                                    "fold %zu has length %u", i,
                                    (unsigned) f[0]);
        }

        for (k = 1 + f[0]; k < GLOSSARY_AUTOLINK_FOLD_SIZE; k++) {
            if (f[k] != 0) {
                return glossary_al_fail(al, GLOSSARY_AUTOLINK_ERR_CODEPOINTS,
                                        "fold %zu: padding is not zero", i);
            }
        }
    }

    return GLOSSARY_AUTOLINK_OK;
}


/*
 * Every used slot must be the child of a state under a label in range;
 * states leave room for every label after their base; an end slot (label
 * 1) holds a term id and belongs to a state marked terminal, and every
 * terminal state has its end slot.  Then no transition leaves the array
 * and every term id read is in range.  Cycles cannot be ruled out in
 * linear time; a walk is bounded by walk_limit input bytes anyway.
 */
static glossary_autolink_status_t
glossary_al_check_slots(glossary_autolink_t *al)
{
    uint32_t                         t, n, p, c, l, max, e;
    const glossary_autolink_slot_t  *s;

    s = al->slots;
    n = al->slot_count;
    max = al->header->label_count + 1;

    if (s[0].check != 0) {
        return glossary_al_fail(al, GLOSSARY_AUTOLINK_ERR_AUTOMATON,
                                "root: check 0x%08x, not 0",
                                (unsigned) s[0].check);
    }

    for (t = 0; t < n; t++) {
        c = s[t].check;

        if (c == GLOSSARY_AUTOLINK_FREE) {
            continue;
        }

        if (t == 0) {
            l = 2;

        } else {
            p = c & GLOSSARY_AUTOLINK_CHECK_MASK;

            if (p >= n || p == t || s[p].check == GLOSSARY_AUTOLINK_FREE) {
                return glossary_al_fail(al, GLOSSARY_AUTOLINK_ERR_AUTOMATON,
                                        "slot %u: parent %u is not a state",
                                        (unsigned) t, (unsigned) p);
            }

            l = t - s[p].base;

            if (s[p].base > t || l == 0 || l > max) {
                return glossary_al_fail(al, GLOSSARY_AUTOLINK_ERR_AUTOMATON,
                                        "slot %u: label %u from state %u "
                                        "(base %u), not 1 to %u",
                                        (unsigned) t, (unsigned) l,
                                        (unsigned) p,
                                        (unsigned) s[p].base, (unsigned) max);
            }
        }

        if (l == GLOSSARY_AUTOLINK_LABEL_END) {
            if ((c & GLOSSARY_AUTOLINK_TERMINAL)
                || !(s[p].check & GLOSSARY_AUTOLINK_TERMINAL)
                || s[t].base >= al->term_count)
            {
                return glossary_al_fail(al, GLOSSARY_AUTOLINK_ERR_AUTOMATON,
                                        "slot %u: end slot of state %u with "
                                        "term %u of %u", (unsigned) t,
                                        (unsigned) p, (unsigned) s[t].base,
                                        (unsigned) al->term_count);
            }

            continue;
        }

        if (s[t].base > n - max - 1 || (t == 0 && s[t].base == 0)) {
            return glossary_al_fail(al, GLOSSARY_AUTOLINK_ERR_AUTOMATON,
                                    "state %u: base %u leaves no room for "
                                    "%u labels in %u slots", (unsigned) t,
                                    (unsigned) s[t].base, (unsigned) max,
                                    (unsigned) n);
        }

        if (c & GLOSSARY_AUTOLINK_TERMINAL) {
            e = s[t].base + GLOSSARY_AUTOLINK_LABEL_END;

            if (s[e].check != t) {
                return glossary_al_fail(al, GLOSSARY_AUTOLINK_ERR_AUTOMATON,
                                        "state %u is terminal without an "
                                        "end slot", (unsigned) t);
            }
        }
    }

    return GLOSSARY_AUTOLINK_OK;
}


/* the state the byte with label l leads to from s, 0 for none */
static inline uint32_t
glossary_al_step(const glossary_autolink_slot_t *slots, uint32_t s,
    unsigned l)
{
    uint32_t  t;

    t = slots[s].base + l;

    return (l != 0 && (slots[t].check & GLOSSARY_AUTOLINK_CHECK_MASK) == s)
           ? t : 0;
}


/* the 4-byte part of the filter: bit of n3's word followed by code c3 */
static inline unsigned
glossary_al_hash4(unsigned n3, unsigned c3)
{
    return (uint32_t) ((n3 * GLOSSARY_AUTOLINK_FILTER_CODES + c3)
                       * GLOSSARY_AUTOLINK_FILTER_HASH) >> 16;
}


/* terminal, or a child under a label that no ASCII WORD byte has */
static int
glossary_al_may_end(const glossary_autolink_slot_t *slots, uint32_t s,
    const uint8_t *other, uint32_t label_count)
{
    uint32_t  l;

    if (slots[s].check & GLOSSARY_AUTOLINK_TERMINAL) {
        return 1;
    }

    for (l = 2; l <= label_count + 1; l++) {
        if (other[l] && glossary_al_step(slots, s, l)) {
            return 1;
        }
    }

    return 0;
}


void
glossary_autolink_make_filter(const uint8_t *labels,
    const glossary_autolink_slot_t *slots, uint32_t label_count,
    uint8_t *filter)
{
    unsigned  b, i, j, k, q, n, end1, end2;
    unsigned  l[GLOSSARY_AUTOLINK_FILTER_WORD];
    uint8_t   other[256];
    uint32_t  s1, s2, s3;

    memset(filter, 0, GLOSSARY_AUTOLINK_FILTER_SIZE);
    memset(other, 0, sizeof(other));

    for (b = 0; b < 256; b++) {
        if (b >= 0x80 || !(glossary_al_ascii[b] & GLOSSARY_AUTOLINK_B_WORD)) {
            other[labels[b]] = 1;
        }
    }

    for (i = 0; i < GLOSSARY_AUTOLINK_FILTER_WORD; i++) {
        l[i] = labels[(unsigned char) glossary_al_code_bytes[i]];
    }

#define AL_SET(bit)  filter[(bit) >> 3] |= (uint8_t) (1u << ((bit) & 7))
#define AL_N(a, b, c)                                                        \
    (((a) * GLOSSARY_AUTOLINK_FILTER_CODES + (b))                            \
     * GLOSSARY_AUTOLINK_FILTER_CODES + (c))

    for (i = 0; i < GLOSSARY_AUTOLINK_FILTER_WORD; i++) {
        s1 = glossary_al_step(slots, 0, l[i]);

        if (s1 == 0) {
            continue;
        }

        end1 = glossary_al_may_end(slots, s1, other, label_count);

        for (k = 0; k < GLOSSARY_AUTOLINK_FILTER_CODES; k++) {
            AL_SET(AL_N(i, GLOSSARY_AUTOLINK_FILTER_ODD, k));

            if (end1) {
                AL_SET(AL_N(i, GLOSSARY_AUTOLINK_FILTER_OTHER, k));
            }
        }

        for (j = 0; j < GLOSSARY_AUTOLINK_FILTER_WORD; j++) {
            s2 = glossary_al_step(slots, s1, l[j]);

            if (s2 == 0) {
                continue;
            }

            end2 = glossary_al_may_end(slots, s2, other, label_count);
            AL_SET(AL_N(i, j, GLOSSARY_AUTOLINK_FILTER_ODD));

            if (end2) {
                AL_SET(AL_N(i, j, GLOSSARY_AUTOLINK_FILTER_OTHER));
            }

            for (k = 0; k < GLOSSARY_AUTOLINK_FILTER_WORD; k++) {
                s3 = glossary_al_step(slots, s2, l[k]);

                if (s3 == 0) {
                    continue;
                }

                n = AL_N(i, j, k);
                AL_SET(n);

                for (q = 0; q < GLOSSARY_AUTOLINK_FILTER_WORD; q++) {
                    if (glossary_al_step(slots, s3, l[q])) {
                        AL_SET(GLOSSARY_AUTOLINK_FILTER_4
                               + glossary_al_hash4(n, q));
                    }
                }
            }
        }
    }

#undef AL_SET
#undef AL_N
}


static glossary_autolink_status_t
glossary_al_check_filter(glossary_autolink_t *al)
{
    size_t   i;
    uint8_t  filter[GLOSSARY_AUTOLINK_FILTER_SIZE];

    glossary_autolink_make_filter(al->labels, al->slots,
                                  al->header->label_count, filter);

    for (i = 0; i < GLOSSARY_AUTOLINK_FILTER_SIZE; i++) {
        if (filter[i] != al->filter[i]) {
            return glossary_al_fail(al, GLOSSARY_AUTOLINK_ERR_FILTER,
                                    "filter byte %zu is 0x%02x, the "
                                    "automaton says 0x%02x", i,
                                    (unsigned) al->filter[i],
                                    (unsigned) filter[i]);
        }
    }

    return GLOSSARY_AUTOLINK_OK;
}


static glossary_autolink_status_t
glossary_al_fail(glossary_autolink_t *al, glossary_autolink_status_t rc,
    const char *fmt, ...)
{
    va_list  args;

    va_start(args, fmt);
    vsnprintf(al->detail, sizeof(al->detail), fmt, args);
    va_end(args);

    return rc;
}


/* configuration */

void
glossary_autolink_conf_init(glossary_autolink_conf_t *conf)
{
    size_t  i;

    memset(conf, 0, sizeof(glossary_autolink_conf_t));
    conf->links_per_term = 1;

    for (i = 0; i < sizeof(glossary_al_default_skip) / sizeof(char *); i++) {
        (void) glossary_autolink_conf_add_skip(conf,
                   (const unsigned char *) glossary_al_default_skip[i],
                   strlen(glossary_al_default_skip[i]));
    }
}


void
glossary_autolink_conf_clear_skip(glossary_autolink_conf_t *conf)
{
    conf->skip_count = 0;
    memset(conf->skip_filter, 0, sizeof(conf->skip_filter));
}


int
glossary_autolink_conf_add_skip(glossary_autolink_conf_t *conf,
    const unsigned char *name, size_t len)
{
    size_t    i;
    uint32_t  h, n;
    unsigned  c;

    if (len == 0 || len > GLOSSARY_AUTOLINK_MAX_NAME
        || conf->skip_count >= GLOSSARY_AUTOLINK_MAX_SKIP)
    {
        return -1;
    }

    n = conf->skip_count;
    h = AL_FNV_BASIS;

    for (i = 0; i < len; i++) {
        c = name[i];

        if (c >= 'A' && c <= 'Z') {
            c |= 0x20;
        }

        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
            return -1;
        }

        conf->skip_name[n][i] = (char) c;
        h = (h ^ c) * AL_FNV_PRIME;
    }

    conf->skip_name[n][len] = '\0';
    conf->skip_len[n] = (uint8_t) len;
    conf->skip_hash[n] = h;
    conf->skip_filter[(h & 255) >> 6] |= (uint64_t) 1 << (h & 63);
    conf->skip_count++;

    return 0;
}


static int
glossary_al_skipped(const glossary_autolink_conf_t *conf, uint32_t h,
    const char *name, uint32_t len)
{
    uint32_t  i;

    if (!(conf->skip_filter[(h & 255) >> 6] & ((uint64_t) 1 << (h & 63)))
        || len > GLOSSARY_AUTOLINK_MAX_NAME)
    {
        return 0;
    }

    for (i = 0; i < conf->skip_count; i++) {
        if (conf->skip_hash[i] == h && conf->skip_len[i] == len
            && memcmp(conf->skip_name[i], name, len) == 0)
        {
            return 1;
        }
    }

    return 0;
}


/* the opening tag */

size_t
glossary_autolink_escape_attr_size(const unsigned char *src, size_t len)
{
    size_t  i, n;

    n = len;

    for (i = 0; i < len; i++) {
        switch (src[i]) {
        case '&':
            n += 4;             /* &amp; */
            break;
        case '<':
        case '>':
            n += 3;             /* &lt; &gt; */
            break;
        case '"':
            n += 5;             /* &quot; */
            break;
        case '\'':
            n += 4;             /* &#39; */
            break;
        }
    }

    return n;
}


/* the bytes an attribute value escapes: their reference's length */
static const uint8_t  glossary_al_esc[256] = {
    ['&'] = 5, ['<'] = 4, ['>'] = 4, ['"'] = 6, ['\''] = 5
};


size_t
glossary_autolink_escape_attr(unsigned char *dst, const unsigned char *src,
    size_t len)
{
    size_t          i, run;
    unsigned char  *d;

    d = dst;
    i = 0;

    while (i < len) {

        /* a run of bytes as they are, copied at once */
        for (run = i; run < len && glossary_al_esc[src[run]] == 0; run++) {
            /* void */
        }

        memcpy(d, src + i, run - i);
        d += run - i;
        i = run;

        if (i == len) {
            break;
        }

        switch (src[i]) {
        case '&':
            memcpy(d, "&amp;", 5);
            break;
        case '<':
            memcpy(d, "&lt;", 4);
            break;
        case '>':
            memcpy(d, "&gt;", 4);
            break;
        case '"':
            memcpy(d, "&quot;", 6);
            break;
        default: /* '\'' */
            memcpy(d, "&#39;", 5);
        }

        d += glossary_al_esc[src[i]];
        i++;
    }

    return d - dst;
}


#define AL_ELLIPSIS      "\xe2\x80\xa6"
#define AL_WORD_BACK     48

/*
 * the bytes of a title that are kept: all, or at most MAX_TITLE cut after
 * a word when one ends near the limit, else before a character (then an
 * ellipsis follows)
 */
static size_t
glossary_al_title_len(const unsigned char *p, size_t len)
{
    size_t  n, k;

    if (len <= GLOSSARY_AUTOLINK_MAX_TITLE) {
        return len;
    }

    n = GLOSSARY_AUTOLINK_MAX_TITLE;

    for (k = n; k > n - AL_WORD_BACK; k--) {
        if (p[k] == ' ') {
            while (k > 0 && p[k - 1] == ' ') {
                k--;
            }

            if (k > 0) {
                return k;
            }

            break;
        }
    }

    while (n > 0 && (p[n] & 0xc0) == 0x80) {
        n--;
    }

    return n;
}


#define AL_TAG_1  "<a href=\""
#define AL_TAG_2  "\" class=\"glossary-term\" data-glossary-slug=\""
#define AL_TAG_3  "\" title=\""
#define AL_TAG_4  "\">"
#define AL_LEN(s) (sizeof(s) - 1)


size_t
glossary_autolink_tag_size(const glossary_autolink_tag_t *tag)
{
    size_t  n, k;

    n = AL_LEN(AL_TAG_1) + AL_LEN(AL_TAG_2) + AL_LEN(AL_TAG_4)
        + glossary_autolink_escape_attr_size(tag->prefix, tag->prefix_len)
        + 2 * glossary_autolink_escape_attr_size(tag->slug, tag->slug_len);

    if (tag->title != NULL) {
        k = glossary_al_title_len(tag->title, tag->title_len);
        n += AL_LEN(AL_TAG_3)
             + glossary_autolink_escape_attr_size(tag->title, k)
             + (k < tag->title_len ? AL_LEN(AL_ELLIPSIS) : 0);
    }

    return n;
}


size_t
glossary_autolink_tag_write(unsigned char *dst,
    const glossary_autolink_tag_t *tag)
{
    size_t          k;
    unsigned char  *d;

    d = dst;
    memcpy(d, AL_TAG_1, AL_LEN(AL_TAG_1));
    d += AL_LEN(AL_TAG_1);
    d += glossary_autolink_escape_attr(d, tag->prefix, tag->prefix_len);
    d += glossary_autolink_escape_attr(d, tag->slug, tag->slug_len);
    memcpy(d, AL_TAG_2, AL_LEN(AL_TAG_2));
    d += AL_LEN(AL_TAG_2);
    d += glossary_autolink_escape_attr(d, tag->slug, tag->slug_len);

    if (tag->title != NULL) {
        k = glossary_al_title_len(tag->title, tag->title_len);
        memcpy(d, AL_TAG_3, AL_LEN(AL_TAG_3));
        d += AL_LEN(AL_TAG_3);
        d += glossary_autolink_escape_attr(d, tag->title, k);

        if (k < tag->title_len) {
            memcpy(d, AL_ELLIPSIS, AL_LEN(AL_ELLIPSIS));
            d += AL_LEN(AL_ELLIPSIS);
        }
    }

    memcpy(d, AL_TAG_4, AL_LEN(AL_TAG_4));
    d += AL_LEN(AL_TAG_4);

    return d - dst;
}


/* characters */

/*
 * '&' at p: the length of the character reference and *cp, 1 for a
 * literal '&' (no ';' within AL_ENTITY_MAX bytes, an unknown name), 0 when
 * the bytes end before that is known and more may follow
 */
static size_t
glossary_al_entity(const unsigned char *p, size_t avail, int more,
    uint32_t *cp)
{
    size_t    i, d, lo, hi, mid, n;
    uint32_t  v, base, digit;
    int       cmp;
    unsigned  c;

    *cp = '&';
    i = 1;

    if (i == avail) {
        return more ? 0 : 1;
    }

    if (p[1] == '#') {
        i = 2;

        if (i == avail) {
            return more ? 0 : 1;
        }

        base = 10;

        if (p[2] == 'x' || p[2] == 'X') {
            base = 16;
            i = 3;
        }

        d = i;
        v = 0;

        while (i < avail && i < AL_ENTITY_MAX) {
            c = p[i];

            if (c >= '0' && c <= '9') {
                digit = c - '0';

            } else if (base == 16 && (c | 0x20) >= 'a' && (c | 0x20) <= 'f') {
                digit = (c | 0x20) - 'a' + 10;

            } else {
                break;
            }

            v = v > 0x10ffff ? 0x110000 : v * base + digit;
            i++;
        }

        if (i == avail && i < AL_ENTITY_MAX) {
            return more ? 0 : 1;
        }

        if (i == d || i >= AL_ENTITY_MAX || p[i] != ';') {
            return 1;
        }

        if (v == 0 || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) {
            v = 0xfffd;

        } else if (v >= 0x80 && v <= 0x9f) {
            v = glossary_al_cp1252[v - 0x80];
        }

        *cp = v;
        return i + 1;
    }

    while (i < avail && i < AL_ENTITY_MAX) {
        c = p[i];

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')))
        {
            break;
        }

        i++;
    }

    if (i == avail && i < AL_ENTITY_MAX) {
        return more ? 0 : 1;
    }

    if (i == 1 || i >= AL_ENTITY_MAX || p[i] != ';') {
        return 1;
    }

    n = i - 1;
    lo = 0;
    hi = sizeof(glossary_al_entities) / sizeof(glossary_al_entity_t);

    while (lo < hi) {
        mid = (lo + hi) / 2;
        cmp = strncmp(glossary_al_entities[mid].name, (const char *) p + 1, n);

        if (cmp == 0 && glossary_al_entities[mid].name[n] != '\0') {
            cmp = 1;
        }

        if (cmp == 0) {
            *cp = glossary_al_entities[mid].cp;
            return i + 1;
        }

        if (cmp < 0) {
            lo = mid + 1;

        } else {
            hi = mid;
        }
    }

    return 1;
}


/*
 * A UTF-8 sequence at p (p[0] >= 0x80): its length and *cp, or 1 and
 * *cp = 0xffffffff for a byte that begins no valid sequence (overlong,
 * surrogate, over U+10FFFF, a stray continuation, cut short by the end of
 * the text); 0 when the bytes end inside a valid prefix and more may
 * follow
 */
static size_t
glossary_al_utf8(const unsigned char *p, size_t avail, int more,
    uint32_t *cp)
{
    size_t    i, n;
    unsigned  b, c, lo, hi;
    uint32_t  v;

    *cp = 0xffffffff;
    b = p[0];

    if (b < 0xc2 || b > 0xf4) {
        return 1;
    }

    if (b < 0xe0) {
        n = 2;
        v = b & 0x1f;

    } else if (b < 0xf0) {
        n = 3;
        v = b & 0x0f;

    } else {
        n = 4;
        v = b & 0x07;
    }

    lo = (b == 0xe0) ? 0xa0 : (b == 0xf0) ? 0x90 : 0x80;
    hi = (b == 0xed) ? 0x9f : (b == 0xf4) ? 0x8f : 0xbf;

    for (i = 1; i < n; i++) {
        if (i == avail) {
            return more ? 0 : 1;
        }

        c = p[i];

        if (c < lo || c > hi) {
            return 1;
        }

        v = (v << 6) | (c & 0x3f);
        lo = 0x80;
        hi = 0xbf;
    }

    *cp = v;

    return n;
}


/*
 * The character at p, decoded (a reference or UTF-8): its length, class
 * and folded bytes; 0 when cut short and more may follow
 */
static size_t
glossary_al_char(const glossary_autolink_t *al, const unsigned char *p,
    size_t avail, int more, glossary_al_char_t *ch)
{
    size_t          n;
    unsigned        e, info;
    uint32_t        cp;
    const uint8_t  *f;

    if (p[0] == '&') {
        n = glossary_al_entity(p, avail, more, &cp);

    } else if (p[0] < 0x80) {
        n = 1;
        cp = p[0];

    } else {
        n = glossary_al_utf8(p, avail, more, &cp);
    }

    if (n == 0) {
        return 0;
    }

    if (cp < 0x80) {
        info = al->byte_info[cp];
        ch->cls = (info & GLOSSARY_AUTOLINK_B_WORD) ? GLOSSARY_AUTOLINK_WORD
                  : (info & GLOSSARY_AUTOLINK_B_SPACE) ? GLOSSARY_AUTOLINK_SPACE
                  : GLOSSARY_AUTOLINK_OTHER;
        ch->buf[0] = (uint8_t) cp;
        ch->fold = ch->buf;
        ch->fold_len = 1;
        return n;
    }

    if (cp == 0xffffffff) {
        ch->cls = GLOSSARY_AUTOLINK_OTHER;
        ch->fold = NULL;
        ch->fold_len = 0;
        return n;
    }

    e = al->blocks[(size_t) al->stage1[cp >> GLOSSARY_AUTOLINK_CP_SHIFT]
                   * GLOSSARY_AUTOLINK_CP_BLOCK
                   + (cp & (GLOSSARY_AUTOLINK_CP_BLOCK - 1))];
    ch->cls = e & 7;

    if (e >> 3) {
        f = al->folds + (size_t) (e >> 3) * GLOSSARY_AUTOLINK_FOLD_SIZE;
        ch->fold = f + 1;
        ch->fold_len = f[0];
        return n;
    }

    if (p[0] != '&') {
        ch->fold = p;
        ch->fold_len = n;
        return n;
    }

    if (cp < 0x800) {
        ch->buf[0] = (uint8_t) (0xc0 | (cp >> 6));
        ch->buf[1] = (uint8_t) (0x80 | (cp & 0x3f));
        ch->fold_len = 2;

    } else if (cp < 0x10000) {
        ch->buf[0] = (uint8_t) (0xe0 | (cp >> 12));
        ch->buf[1] = (uint8_t) (0x80 | ((cp >> 6) & 0x3f));
        ch->buf[2] = (uint8_t) (0x80 | (cp & 0x3f));
        ch->fold_len = 3;

    } else {
        ch->buf[0] = (uint8_t) (0xf0 | (cp >> 18));
        ch->buf[1] = (uint8_t) (0x80 | ((cp >> 12) & 0x3f));
        ch->buf[2] = (uint8_t) (0x80 | ((cp >> 6) & 0x3f));
        ch->buf[3] = (uint8_t) (0x80 | (cp & 0x3f));
        ch->fold_len = 4;
    }

    ch->fold = ch->buf;

    return n;
}


/*
 * Is the character before pos a WORD character?  Between anchor (where
 * the answer, aword, is known) and pos lie only raw characters the scan
 * skipped, none of them a reference ('&' always stops the scan), so the
 * last one is found from its end: the same character a forward decode
 * finds, since an invalid byte is a character of its own.  Transparent
 * (IGNORE) characters are stepped over.
 */
static int
glossary_al_prev(const glossary_autolink_t *al, const unsigned char *seg,
    size_t anchor, int aword, size_t pos)
{
    size_t    j;
    unsigned  b, e;
    uint32_t  cp;

    while (pos > anchor) {
        b = seg[pos - 1];

        if (b < 0x80) {
            return (al->byte_info[b] & GLOSSARY_AUTOLINK_B_WORD) != 0;
        }

        if ((b & 0xc0) != 0x80) {
            return 0;           /* a lead byte alone: an invalid byte */
        }

        /* the lead byte of the sequence this continuation byte ends */
        j = pos - 1;

        while (j > anchor && pos - j < 4 && (seg[j - 1] & 0xc0) == 0x80) {
            j--;
        }

        if (j == anchor || (seg[j - 1] & 0xc0) == 0x80) {
            return 0;
        }

        j--;

        if (glossary_al_utf8(seg + j, pos - j, 0, &cp) != pos - j
            || cp == 0xffffffff)
        {
            return 0;
        }

        e = al->blocks[(size_t) al->stage1[cp >> GLOSSARY_AUTOLINK_CP_SHIFT]
                       * GLOSSARY_AUTOLINK_CP_BLOCK
                       + (cp & (GLOSSARY_AUTOLINK_CP_BLOCK - 1))];

        if ((e & 7) != GLOSSARY_AUTOLINK_IGNORE) {
            return (e & 7) == GLOSSARY_AUTOLINK_WORD;
        }

        pos = j;
    }

    return aword;
}


/*
 * From a place where a word may begin, down the automaton: the longest
 * pattern that ends where a word may end (the next character is no WORD
 * character, or the last one was none).  A walk reads at most walk_limit
 * input bytes.  Without a match, m->resume is where the next word may
 * begin: past every character the walk read when all of them were ASCII
 * WORD characters (none of them can begin a word then), else the next one.
 */
static inline int
glossary_al_walk(const glossary_autolink_t *al, const unsigned char *seg,
    size_t len, size_t pos, int more, glossary_al_match_t *m)
{
    size_t                           i, n, best, k, limit;
    unsigned                         b, info, word, space, last_word, plain;
    uint32_t                         s, t, c, sflags, bstate;
    const uint8_t                   *bi, *lab;
    glossary_al_char_t               ch;
    const glossary_autolink_slot_t  *slots;

    bi = al->byte_info;
    lab = al->labels;
    slots = al->slots;
    limit = pos + al->walk_limit;

    s = 0;
    sflags = 0;
    i = pos;
    best = 0;
    bstate = 0;
    last_word = 0;
    space = 0;
    plain = 1;
    m->end_word = 0;

    for ( ;; ) {
        if (i >= len) {
            if (more) {
                return al_walk_more;
            }

            if (sflags & GLOSSARY_AUTOLINK_TERMINAL) {
                best = i;
                bstate = s;
                m->end_word = last_word;
            }

            break;
        }

        b = seg[i];

        if (b < 0x80 && b != '&') {
            info = bi[b];
            word = info & GLOSSARY_AUTOLINK_B_WORD;

            if ((sflags & GLOSSARY_AUTOLINK_TERMINAL)
                && !(last_word && word))
            {
                best = i;
                bstate = s;
                m->end_word = last_word;
            }

            if (info & GLOSSARY_AUTOLINK_B_SPACE) {
                if (space) {
                    plain = 0;
                    i++;
                    goto next;
                }

                space = 1;

            } else {
                space = 0;
            }

            t = slots[s].base + lab[b];
            c = slots[t].check;

            if ((c & GLOSSARY_AUTOLINK_CHECK_MASK) != s) {
                break;
            }

            s = t;
            sflags = c;
            last_word = word;
            plain &= word;
            i++;
            goto next;
        }

        plain = 0;
        n = glossary_al_char(al, seg + i, len - i, more, &ch);

        if (n == 0) {
            return al_walk_more;
        }

        if (ch.cls == GLOSSARY_AUTOLINK_IGNORE) {
            i += n;
            goto next;
        }

        word = (ch.cls == GLOSSARY_AUTOLINK_WORD);

        if ((sflags & GLOSSARY_AUTOLINK_TERMINAL) && !(last_word && word)) {
            best = i;
            bstate = s;
            m->end_word = last_word;
        }

        if (ch.cls == GLOSSARY_AUTOLINK_SPACE) {
            if (space) {
                i += n;
                goto next;
            }

            space = 1;
            t = slots[s].base + lab[' '];
            c = slots[t].check;

            if ((c & GLOSSARY_AUTOLINK_CHECK_MASK) != s) {
                break;
            }

            s = t;
            sflags = c;

        } else {
            space = 0;

            if (ch.fold == NULL) {
                break;
            }

            for (k = 0; k < ch.fold_len; k++) {
                t = slots[s].base + lab[ch.fold[k]];
                c = slots[t].check;

                if ((c & GLOSSARY_AUTOLINK_CHECK_MASK) != s) {
                    goto done;
                }

                s = t;
                sflags = c;
            }

            if (ch.fold_len == 0) {
                /* folds to nothing, yet is no IGNORE: a state not reached */
                sflags = 0;
            }
        }

        last_word = word;
        i += n;

    next:

        if (i > limit) {
            break;
        }
    }

done:

    if (best == 0) {
        m->resume = (plain && i > pos) ? i : pos + 1;
        return al_walk_none;
    }

    m->end = best;
    m->term = slots[slots[bstate].base + GLOSSARY_AUTOLINK_LABEL_END].base;

    return al_walk_match;
}


/* streams */

size_t
glossary_autolink_stream_size(const glossary_autolink_t *al)
{
    size_t  n;

    n = sizeof(glossary_autolink_stream_t) + al->walk_limit + AL_HOLD_SLACK;

    return (n + 7) & ~(size_t) 7;
}


glossary_autolink_stream_t *
glossary_autolink_stream_init(void *mem, const glossary_autolink_t *al,
    const glossary_autolink_conf_t *conf, uint32_t exclude)
{
    glossary_autolink_stream_t  *st;

    st = mem;
    memset(st, 0, sizeof(glossary_autolink_stream_t));

    st->al = al;
    st->conf = conf;
    st->exclude = exclude;
    st->per_page = conf->links_per_page;

    if (st->per_page == 0 || st->per_page > GLOSSARY_AUTOLINK_MAX_LINKS) {
        st->per_page = GLOSSARY_AUTOLINK_MAX_LINKS;
    }

    st->state = al_text;
    st->hold_size = al->walk_limit + AL_HOLD_SLACK;

    return st;
}


static int
glossary_al_event(glossary_autolink_stream_t *st,
    glossary_autolink_event_type_t type, const unsigned char *data,
    size_t len, size_t offset, uint32_t term)
{
    glossary_autolink_event_t  ev;

    ev.type = type;
    ev.term = term;
    ev.data = data;
    ev.len = len;
    ev.offset = offset;

    if (st->emit(st->ctx, &ev) != 0) {
        st->failed = 1;
        return -1;
    }

    return 0;
}


/* the input bytes from pass_from to "to" as one PASS */
static int
glossary_al_flush(glossary_autolink_stream_t *st, size_t to)
{
    size_t  from;

    from = st->pass_from;

    if (to <= from) {
        return 0;
    }

    st->pass_from = to;

    return glossary_al_event(st, GLOSSARY_AUTOLINK_PASS, st->in + from,
                             to - from, from, 0);
}


/* a link in text: seg[from, to) is the match, seg[*out, from) precedes it */
static int
glossary_al_link(glossary_autolink_stream_t *st, const unsigned char *seg,
    size_t *out, size_t from, size_t to, uint32_t term, int held, size_t off)
{
    if (held) {
        if (from > *out
            && glossary_al_event(st, GLOSSARY_AUTOLINK_HELD, seg + *out,
                                 from - *out, 0, 0) != 0)
        {
            return -1;
        }

        *out = to;

        if (glossary_al_event(st, GLOSSARY_AUTOLINK_OPEN, NULL, 0, 0, term)
            != 0
            || glossary_al_event(st, GLOSSARY_AUTOLINK_HELD, seg + from,
                                 to - from, 0, 0) != 0
            || glossary_al_event(st, GLOSSARY_AUTOLINK_CLOSE, NULL, 0, 0, 0)
               != 0)
        {
            return -1;
        }

        return 0;
    }

    if (glossary_al_flush(st, off + from) != 0
        || glossary_al_event(st, GLOSSARY_AUTOLINK_OPEN, NULL, 0, 0, term) != 0
        || glossary_al_flush(st, off + to) != 0
        || glossary_al_event(st, GLOSSARY_AUTOLINK_CLOSE, NULL, 0, 0, 0) != 0)
    {
        return -1;
    }

    return 0;
}


/* is this match linked: the term's own page, its links, the page's */
static int
glossary_al_decide(glossary_autolink_stream_t *st, uint32_t term)
{
    uint32_t  h, i, per_term;

    st->matches++;

    if (term == st->exclude || st->capped) {
        return 0;
    }

    per_term = st->conf->links_per_term;

    if (per_term != 0) {
        h = (term * 0x9e3779b1u) >> (32 - 10);

        for (i = 0; i < GLOSSARY_AUTOLINK_TABLE; i++) {
            if (st->table[h] == term + 1) {
                break;
            }

            if (st->table[h] == 0) {
                st->table[h] = term + 1;
                break;
            }

            h = (h + 1) & (GLOSSARY_AUTOLINK_TABLE - 1);
        }

        if (st->count[h] >= per_term) {
            return 0;
        }

        st->count[h]++;
    }

    st->links++;

    if (st->links >= st->per_page) {
        st->capped = 1;
    }

    return 1;
}

_Static_assert(GLOSSARY_AUTOLINK_TABLE == 1024
               && GLOSSARY_AUTOLINK_MAX_LINKS < GLOSSARY_AUTOLINK_TABLE,
               "the link table has 2^10 slots and room to spare");


/*
 * The end of the run of ASCII WORD bytes at pos (letters, digits and '_',
 * as every image has them): 16 bytes at a time where SSE2 is, since word
 * lengths are what a branch predictor cannot guess.
 */
static inline size_t
glossary_al_word_end(const uint8_t *bi, const unsigned char *seg, size_t pos,
    size_t len)
{
#if defined(__SSE2__)
    unsigned  mask;
    __m128i   v, l;

    while (pos + 16 <= len) {
        v = _mm_loadu_si128((const __m128i *) (seg + pos));
        l = _mm_or_si128(v, _mm_set1_epi8(0x20));

        /* signed compares: bytes of 0x80 and over are never in range */
        mask = (unsigned) _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(
                   _mm_and_si128(_mm_cmpgt_epi8(l, _mm_set1_epi8('a' - 1)),
                                 _mm_cmplt_epi8(l, _mm_set1_epi8('z' + 1))),
                   _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                                 _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)))),
                   _mm_cmpeq_epi8(v, _mm_set1_epi8('_'))));

        if (mask != 0xffff) {
            return pos + __builtin_ctz(~mask);
        }

        pos += 16;
    }
#endif

    while (pos < len && (bi[seg[pos]] & GLOSSARY_AUTOLINK_B_WORD)) {
        pos++;
    }

    return pos;
}


#if defined(__SSE2__)

static inline void
glossary_al_masks(const unsigned char *p, unsigned *w, unsigned *x,
    unsigned *sp)
{
    __m128i  v, l;

    v = _mm_loadu_si128((const __m128i *) p);
    l = _mm_or_si128(v, _mm_set1_epi8(0x20));

    /* signed compares: bytes of 0x80 and over are in no range */
    *w = (unsigned) _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(
             _mm_and_si128(_mm_cmpgt_epi8(l, _mm_set1_epi8('a' - 1)),
                           _mm_cmplt_epi8(l, _mm_set1_epi8('z' + 1))),
             _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                           _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)))),
             _mm_cmpeq_epi8(v, _mm_set1_epi8('_'))));
    *x = (unsigned) _mm_movemask_epi8(_mm_or_si128(v,
             _mm_cmpeq_epi8(v, _mm_set1_epi8('&'))));
    *sp = (unsigned) _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(
              _mm_cmpeq_epi8(v, _mm_set1_epi8(' ')),
              _mm_cmpeq_epi8(v, _mm_set1_epi8('-'))),
              _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(8)),
                            _mm_cmplt_epi8(v, _mm_set1_epi8(14)))));
}


/*
 * From pos, 32 bytes at a time, the first place the scalar code must look
 * at: the beginning of a word whose filter bits are set, a byte of 0x80 or
 * over, '&', and with punct_start every other byte but white space and
 * WORD bytes; where fewer than 35 bytes remain, that place.  The filter
 * bits of every word of a block are gathered without a branch, since
 * whether a word may match is what a branch predictor cannot guess.
 * prevw: the character before pos is a WORD one.
 */
static inline size_t
glossary_al_scan(const glossary_autolink_t *al, const unsigned char *seg,
    size_t pos, size_t len, unsigned prevw)
{
    unsigned              j, bit, n, c1, c2, c3;
    unsigned              w0, w1, x0, x1, s0, s1;
    uint32_t              w, x, starts, hits;
    const uint8_t        *f, *codes;
    const unsigned char  *p;

    f = al->filter;
    codes = glossary_al_codes;

    /* 3 bytes more than a block, for the filter's look at a word */
    while (pos + 35 <= len) {
        glossary_al_masks(seg + pos, &w0, &x0, &s0);
        glossary_al_masks(seg + pos + 16, &w1, &x1, &s1);
        w = w0 | w1 << 16;
        x = x0 | x1 << 16;

        starts = w & ~((w << 1) | prevw);
        hits = x;

        if (al->punct_start) {
            hits |= ~(w | x | s0 | s1 << 16);
        }

        while (starts) {
            j = (unsigned) __builtin_ctz(starts);
            p = seg + pos + j;
            n = (codes[p[0]] * GLOSSARY_AUTOLINK_FILTER_CODES + codes[p[1]])
                * GLOSSARY_AUTOLINK_FILTER_CODES + codes[p[2]];
            hits |= (uint32_t) ((f[n >> 3] >> (n & 7)) & 1) << j;
            starts &= starts - 1;
        }

        while (hits) {
            j = (unsigned) __builtin_ctz(hits);
            p = seg + pos + j;

            if (!((w >> j) & 1)) {
                return pos + j;
            }

            /* a word of four WORD bytes or more: the 4-byte half too */
            c1 = codes[p[1]];
            c2 = codes[p[2]];
            c3 = codes[p[3]];

            if (c1 >= GLOSSARY_AUTOLINK_FILTER_WORD
                || c2 >= GLOSSARY_AUTOLINK_FILTER_WORD
                || c3 >= GLOSSARY_AUTOLINK_FILTER_WORD)
            {
                return pos + j;
            }

            n = (codes[p[0]] * GLOSSARY_AUTOLINK_FILTER_CODES + c1)
                * GLOSSARY_AUTOLINK_FILTER_CODES + c2;
            bit = GLOSSARY_AUTOLINK_FILTER_4 + glossary_al_hash4(n, c3);

            if ((f[bit >> 3] >> (bit & 7)) & 1) {
                return pos + j;
            }

            hits &= hits - 1;
        }

        prevw = w >> 31;
        pos += 32;
    }

    return pos;
}

#endif


/*
 * Does the filter rule out a match at the word that begins at pos (an
 * ASCII WORD byte, where a word may begin)?  The end of the text is a byte
 * that is no WORD byte, or one not known yet when more may follow.
 */
static inline int
glossary_al_filtered(const glossary_autolink_t *al, const unsigned char *seg,
    size_t pos, size_t len, int more)
{
    unsigned  c[4], k, n, end;

    end = more ? GLOSSARY_AUTOLINK_FILTER_ODD : GLOSSARY_AUTOLINK_FILTER_OTHER;

    for (k = 0; k < 4; k++) {
        c[k] = (pos + k < len) ? glossary_al_codes[seg[pos + k]] : end;
    }

    n = (c[0] * GLOSSARY_AUTOLINK_FILTER_CODES + c[1])
        * GLOSSARY_AUTOLINK_FILTER_CODES + c[2];

    if (!((al->filter[n >> 3] >> (n & 7)) & 1)) {
        return 1;
    }

    if (c[1] >= GLOSSARY_AUTOLINK_FILTER_WORD
        || c[2] >= GLOSSARY_AUTOLINK_FILTER_WORD
        || c[3] >= GLOSSARY_AUTOLINK_FILTER_WORD)
    {
        return 0;
    }

    n = GLOSSARY_AUTOLINK_FILTER_4 + glossary_al_hash4(n, c[3]);

    return !((al->filter[n >> 3] >> (n & 7)) & 1);
}


/*
 * Text (no '<' in it): finds the matches and emits them and the text
 * before them (HELD when held, otherwise PASS at input offset off + i).
 * *done: the bytes decided; the rest (a walk or a character not finished
 * when more may follow) must be looked at again with what follows.
 */
static int
glossary_al_text(glossary_autolink_stream_t *st, const unsigned char *seg,
    size_t len, int more, int held, size_t off, size_t *done)
{
    int                         aword, prev, rc;
    size_t                      pos, anchor, out, n;
    unsigned                    b, word, first;
    uint32_t                    t;
    const uint8_t              *bi;
    glossary_al_char_t          ch;
    glossary_al_match_t         m;
    const glossary_autolink_t  *al;

    al = st->al;
    bi = al->byte_info;
    pos = 0;
    anchor = 0;
    out = 0;
    aword = st->prev_word;
    prev = aword;

    if (st->capped) {
        pos = len;
        goto finish;
    }

    while (pos < len) {
#if defined(__SSE2__)
        if (pos + 35 <= len && !st->plain) {
            if (pos == anchor) {
                prev = aword;

            } else if (seg[pos - 1] < 0x80) {
                prev = (bi[seg[pos - 1]] & GLOSSARY_AUTOLINK_B_WORD) != 0;

            } else {
                prev = glossary_al_prev(al, seg, anchor, aword, pos);
            }

            pos = glossary_al_scan(al, seg, pos, len, (unsigned) prev);

            if (pos == len) {
                break;
            }
        }
#endif

        b = seg[pos];

        if (!(bi[b] & GLOSSARY_AUTOLINK_B_STOP)) {
            pos++;

            while (pos + 4 <= len
                   && !((bi[seg[pos]] | bi[seg[pos + 1]] | bi[seg[pos + 2]]
                         | bi[seg[pos + 3]]) & GLOSSARY_AUTOLINK_B_STOP))
            {
                pos += 4;
            }

            while (pos < len && !(bi[seg[pos]] & GLOSSARY_AUTOLINK_B_STOP)) {
                pos++;
            }

            if (pos == len) {
                break;
            }

            b = seg[pos];
        }

        if (pos == anchor) {
            prev = aword;

        } else if (seg[pos - 1] < 0x80) {
            prev = (bi[seg[pos - 1]] & GLOSSARY_AUTOLINK_B_WORD) != 0;

        } else {
            prev = glossary_al_prev(al, seg, anchor, aword, pos);
        }

        if (b < 0x80 && b != '&') {
            word = bi[b] & GLOSSARY_AUTOLINK_B_WORD;

            if ((prev && word)
                || (word && !st->plain
                    && glossary_al_filtered(al, seg, pos, len, more)))
            {
                pos++;

            } else {
                rc = glossary_al_walk(al, seg, len, pos, more, &m);

                if (rc == al_walk_more) {
                    goto suspend;
                }

                if (rc == al_walk_match) {
                    goto matched;
                }

                /* a character of a word: so was every one before resume */
                word = (m.resume == pos + 1) ? word : 1;
                pos = m.resume;
            }

            if (word) {
                pos = glossary_al_word_end(bi, seg, pos, len);
            }

            anchor = pos;
            aword = word != 0;
            continue;
        }

        n = glossary_al_char(al, seg + pos, len - pos, more, &ch);

        if (n == 0) {
            goto suspend;
        }

        if (ch.cls == GLOSSARY_AUTOLINK_IGNORE) {
            pos += n;
            anchor = pos;
            aword = prev;
            continue;
        }

        word = (ch.cls == GLOSSARY_AUTOLINK_WORD);

        if (!(prev && word) && ch.cls != GLOSSARY_AUTOLINK_SPACE
            && ch.fold != NULL && ch.fold_len > 0)
        {
            first = al->labels[ch.fold[0]];
            t = al->slots[0].base + first;

            if ((al->slots[t].check & GLOSSARY_AUTOLINK_CHECK_MASK) == 0
                && first != GLOSSARY_AUTOLINK_LABEL_NONE)
            {
                rc = glossary_al_walk(al, seg, len, pos, more, &m);

                if (rc == al_walk_more) {
                    goto suspend;
                }

                if (rc == al_walk_match) {
                    goto matched;
                }
            }
        }

        pos += n;
        anchor = pos;
        aword = word;
        continue;

    matched:

        if (glossary_al_decide(st, m.term)) {
            if (glossary_al_link(st, seg, &out, pos, m.end, m.term, held, off)
                != 0)
            {
                return -1;
            }
        }

        pos = m.end;
        anchor = pos;
        aword = m.end_word;

        if (st->capped) {
            pos = len;
            break;
        }
    }

finish:

    if (more && !st->capped) {
        /* a sequence cut short at the end decides the class of what follows */
        for (n = len; n > anchor && len - n < 3
                      && (seg[n - 1] & 0xc0) == 0x80; n--)
        {
            /* void */
        }

        if (n > anchor && seg[n - 1] >= 0xc2
            && glossary_al_utf8(seg + n - 1, len - n + 1, 1, &t) == 0)
        {
            pos = n - 1;
            prev = (pos == anchor) ? aword
                                   : glossary_al_prev(al, seg, anchor, aword,
                                                      pos);
            goto suspend;
        }
    }

    st->prev_word = (pos == anchor) ? aword
                                    : glossary_al_prev(al, seg, anchor,
                                                       aword, len);
    *done = len;

    goto emit;

suspend:

    /* the character or walk at pos waits for more bytes */
    st->prev_word = prev;
    *done = pos;

emit:

    if (held && *done > out) {
        return glossary_al_event(st, GLOSSARY_AUTOLINK_HELD, seg + out,
                                 *done - out, 0, 0);
    }

    return 0;
}


/*
 * Text carried over from the last buffer: more text from this one is
 * appended to it (up to the next '<') and the whole looked at again,
 * until what is held is decided or this buffer is used up.
 */
static int
glossary_al_hold(glossary_autolink_stream_t *st, const unsigned char *in,
    size_t *pos, size_t len, int last)
{
    int                   more;
    size_t                q, take, done;
    const unsigned char  *lt;

    lt = memchr(in + *pos, '<', len - *pos);
    q = lt ? (size_t) (lt - in) : len;

    while (st->hold_len > 0) {
        take = q - *pos;

        if (take > st->hold_size - st->hold_len) {
            take = st->hold_size - st->hold_len;
        }

        memcpy(st->hold + st->hold_len, in + *pos, take);
        st->hold_len += take;
        *pos += take;

        more = (*pos < q) || (q == len && !last);

        if (glossary_al_text(st, st->hold, st->hold_len, more, 1, 0, &done)
            != 0)
        {
            return -1;
        }

        memmove(st->hold, st->hold + done, st->hold_len - done);
        st->hold_len -= done;

        if (st->hold_len > 0 && *pos == len) {
            break;
        }
    }

    st->pass_from = *pos;

    return 0;
}


int
glossary_autolink_feed(glossary_autolink_stream_t *st,
    const unsigned char *in, size_t len, int last,
    glossary_autolink_emit_pt emit, void *ctx)
{
    size_t                pos, q, done;
    unsigned              c, lc;
    const unsigned char  *p;
    const char           *name;

    if (st->done || st->failed) {
        return -1;
    }

    if (in == NULL) {
        /* no bytes (an empty last buffer): no null pointer for memchr */
        in = (const unsigned char *) "";
        len = 0;
    }

    st->in = in;
    st->pass_from = 0;
    st->emit = emit;
    st->ctx = ctx;
    st->bytes += len;
    pos = 0;

    if (st->hold_len > 0) {
        if (glossary_al_hold(st, in, &pos, len, last) != 0) {
            return -1;
        }
    }

    while (pos < len) {
        c = in[pos];
        lc = (c >= 'A' && c <= 'Z') ? (c | 0x20) : c;

        switch (st->state) {

        case al_text:
            p = memchr(in + pos, '<', len - pos);
            q = p ? (size_t) (p - in) : len;

            if (q > pos && !st->capped && st->depth == 0 && !st->opted_out
                && !st->overflow)
            {
                if (glossary_al_text(st, in + pos, q - pos,
                                     q == len && !last, 0, pos, &done)
                    != 0)
                {
                    return -1;
                }

                if (done < q - pos) {
                    /* the tail waits in the hold buffer */
                    if (glossary_al_flush(st, pos + done) != 0) {
                        return -1;
                    }

                    memcpy(st->hold, in + pos + done, q - pos - done);
                    st->hold_len = q - pos - done;
                    st->pass_from = len;
                }
            }

            pos = q;

            if (pos < len) {
                st->state = al_tag_open;
                st->prev_word = 0;
                pos++;
            }

            continue;

        case al_tag_open:
            if ((lc >= 'a' && lc <= 'z')) {
                st->tag = 0;
                st->name_len = 0;
                st->name_hash = AL_FNV_BASIS;
                st->state = al_tag_name;
                continue;
            }

            if (c == '/') {
                st->state = al_end_open;
                break;
            }

            if (c == '!') {
                st->state = al_decl;
                st->k = 0;
                break;
            }

            if (c == '?') {
                st->state = al_bogus;
                continue;
            }

            /* a '<' that opens nothing is text */
            st->state = al_text;
            continue;

        case al_end_open:
            if (lc >= 'a' && lc <= 'z') {
                st->tag = AL_TAG_END;
                st->name_len = 0;
                st->name_hash = AL_FNV_BASIS;
                st->state = al_tag_name;
                continue;
            }

            st->state = (c == '>') ? al_text : al_bogus;

            if (c == '>') {
                break;
            }

            continue;

        case al_tag_name:
            /* the name runs to white space, '/' or '>' */
            while (!(glossary_al_delim[c] & AL_D_NAME)) {
                lc = (c >= 'A' && c <= 'Z') ? (c | 0x20) : c;

                if (st->name_len < GLOSSARY_AUTOLINK_MAX_NAME) {
                    st->name[st->name_len] = (char) lc;
                }

                st->name_len++;
                st->name_hash = (st->name_hash ^ lc) * AL_FNV_PRIME;

                if (++pos == len) {
                    break;
                }

                c = in[pos];
            }

            if (pos == len) {
                continue;
            }

            if (c == '/') {
                st->state = al_self_close;

            } else if (c == '>') {
                glossary_al_emit_tag(st);

            } else {
                st->state = al_attr_before;
            }

            break;

        case al_attr_before:
            switch (c) {
            case '\t': case '\n': case '\f': case '\r': case ' ':
                break;
            case '/':
                st->state = al_self_close;
                break;
            case '>':
                glossary_al_emit_tag(st);
                break;
            default:
                st->attr_len = 0;
                st->attr = al_attr_other;
                st->state = al_attr_name;
                /* '=' here begins a name (the standard's parse error) */
                if (st->attr_len < sizeof(st->attr_name) - 1) {
                    st->attr_name[st->attr_len++] = (char) lc;
                }
            }

            break;

        case al_attr_name:
            while (!(glossary_al_delim[c] & AL_D_ATTR)) {
                if (st->attr_len < sizeof(st->attr_name) - 1) {
                    st->attr_name[st->attr_len] =
                        (char) ((c >= 'A' && c <= 'Z') ? (c | 0x20) : c);
                }

                st->attr_len++;

                if (++pos == len) {
                    break;
                }

                c = in[pos];
            }

            if (pos == len) {
                continue;
            }

            glossary_al_attr_end(st);

            if (c == '/') {
                st->state = al_self_close;

            } else if (c == '=') {
                st->state = al_value_before;

            } else if (c == '>') {
                glossary_al_emit_tag(st);

            } else {
                st->state = al_attr_after;
            }

            break;

        case al_attr_after:
            switch (c) {
            case '\t': case '\n': case '\f': case '\r': case ' ':
                break;
            case '/':
                st->state = al_self_close;
                break;
            case '=':
                st->state = al_value_before;
                break;
            case '>':
                glossary_al_emit_tag(st);
                break;
            default:
                st->state = al_attr_before;
                continue;
            }

            break;

        case al_value_before:
            switch (c) {
            case '\t': case '\n': case '\f': case '\r': case ' ':
                break;
            case '"':
                st->vk = 0;
                st->state = al_value_dq;
                break;
            case '\'':
                st->vk = 0;
                st->state = al_value_sq;
                break;
            case '>':
                glossary_al_emit_tag(st);
                break;
            default:
                st->vk = 0;
                st->state = al_value_uq;
                continue;
            }

            break;

        case al_value_dq:
        case al_value_sq:
            q = (st->state == al_value_dq) ? '"' : '\'';

            if (st->attr == al_attr_other) {
                p = memchr(in + pos, (int) q, len - pos);

                if (p == NULL) {
                    pos = len;
                    continue;
                }

                pos = p - in;
                c = q;
            }

            if (c == q) {
                glossary_al_value_end(st);
                st->state = al_attr_before;
                break;
            }

            glossary_al_value(st, c);
            break;

        case al_value_uq:
            switch (c) {
            case '\t': case '\n': case '\f': case '\r': case ' ':
                glossary_al_value_end(st);
                st->state = al_attr_before;
                break;
            case '>':
                glossary_al_value_end(st);
                glossary_al_emit_tag(st);
                break;
            default:
                glossary_al_value(st, c);
            }

            break;

        case al_self_close:
            if (c == '>') {
                st->tag |= AL_TAG_SELF_CLOSE;
                glossary_al_emit_tag(st);
                break;
            }

            st->state = al_attr_before;
            continue;

        case al_decl:
            /* after "<!": "--" opens a comment, "[CDATA[" a CDATA section */
            if (st->k == 0) {
                if (c == '-') {
                    st->k = 1;
                    break;
                }

                if (c == '[') {
                    st->k = 100;
                    break;
                }

                st->state = al_bogus;
                continue;
            }

            if (st->k == 1) {
                if (c == '-') {
                    st->state = al_comment_start;
                    break;
                }

                st->state = al_bogus;
                continue;
            }

            if ("CDATA["[st->k - 100] == (char) c) {
                st->k++;

                if (st->k == 106) {
                    st->k = 0;
                    st->state = al_cdata;
                }

                break;
            }

            st->state = al_bogus;
            continue;

        case al_comment_start:
            if (c == '-') {
                st->state = al_comment_start_dash;
                break;
            }

            st->state = (c == '>') ? al_text : al_comment;

            if (c == '>') {
                break;
            }

            continue;

        case al_comment_start_dash:
            if (c == '-') {
                st->state = al_comment_end;
                break;
            }

            st->state = (c == '>') ? al_text : al_comment;

            if (c == '>') {
                break;
            }

            continue;

        case al_comment:
            p = memchr(in + pos, '-', len - pos);

            if (p == NULL) {
                pos = len;
                continue;
            }

            pos = p - in;
            st->state = al_comment_end_dash;
            break;

        case al_comment_end_dash:
            st->state = (c == '-') ? al_comment_end : al_comment;

            if (c == '-') {
                break;
            }

            continue;

        case al_comment_end:
            if (c == '>') {
                st->state = al_text;
                break;
            }

            if (c == '!') {
                st->state = al_comment_end_bang;
                break;
            }

            if (c == '-') {
                break;
            }

            st->state = al_comment;
            continue;

        case al_comment_end_bang:
            if (c == '-') {
                st->state = al_comment_end_dash;
                break;
            }

            if (c == '>') {
                st->state = al_text;
                break;
            }

            st->state = al_comment;
            continue;

        case al_bogus:
            p = memchr(in + pos, '>', len - pos);

            if (p == NULL) {
                pos = len;
                continue;
            }

            pos = p - in;
            st->state = al_text;
            break;

        case al_cdata:
            /* k: the ']' just before */
            if (c == ']') {
                st->k = st->k < 2 ? st->k + 1 : 2;
                break;
            }

            if (c == '>' && st->k == 2) {
                st->state = al_text;
            }

            st->k = 0;
            break;

        case al_raw:
            p = memchr(in + pos, '<', len - pos);

            if (p == NULL) {
                pos = len;
                continue;
            }

            pos = p - in;
            st->state = al_raw_lt;
            break;

        case al_raw_lt:
            if (c == '/') {
                st->k = 0;
                st->state = al_raw_end;
                break;
            }

            st->state = al_raw;
            continue;

        case al_raw_end:
        case al_script_end:
        case al_script_esc_end:
            /* "</" seen: the element's own name and a delimiter end it */
            name = glossary_al_raw_names[st->raw];

            if (name[st->k] != '\0') {
                if ((char) lc == name[st->k]) {
                    st->k++;
                    break;
                }

                st->state = (st->state == al_raw_end) ? al_raw
                            : (st->state == al_script_end) ? al_script
                            : al_script_esc;
                continue;
            }

            if (c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' '
                || c == '/' || c == '>')
            {
                st->tag = AL_TAG_END;
                st->name_len = glossary_al_raw_len[st->raw];
                memcpy(st->name, name, st->name_len);
                st->name_hash = AL_FNV_BASIS;

                for (q = 0; q < st->name_len; q++) {
                    st->name_hash = (st->name_hash ^ (unsigned char) name[q])
                                    * AL_FNV_PRIME;
                }

                st->state = al_attr_before;
                continue;
            }

            st->state = (st->state == al_raw_end) ? al_raw
                        : (st->state == al_script_end) ? al_script
                        : al_script_esc;
            continue;

        case al_script:
            p = memchr(in + pos, '<', len - pos);

            if (p == NULL) {
                pos = len;
                continue;
            }

            pos = p - in;
            st->state = al_script_lt;
            break;

        case al_script_lt:
            if (c == '/') {
                st->k = 0;
                st->state = al_script_end;
                break;
            }

            if (c == '!') {
                st->state = al_script_esc_start;
                break;
            }

            st->state = al_script;
            continue;

        case al_script_esc_start:
            if (c == '-') {
                st->state = al_script_esc_start_dash;
                break;
            }

            st->state = al_script;
            continue;

        case al_script_esc_start_dash:
            if (c == '-') {
                st->state = al_script_esc_dash_dash;
                break;
            }

            st->state = al_script;
            continue;

        case al_script_esc:
            if (c == '-') {
                st->state = al_script_esc_dash;

            } else if (c == '<') {
                st->state = al_script_esc_lt;
            }

            break;

        case al_script_esc_dash:
            st->state = (c == '-') ? al_script_esc_dash_dash
                        : (c == '<') ? al_script_esc_lt : al_script_esc;
            break;

        case al_script_esc_dash_dash:
            if (c == '-') {
                break;
            }

            st->state = (c == '<') ? al_script_esc_lt
                        : (c == '>') ? al_script : al_script_esc;
            break;

        case al_script_esc_lt:
            if (c == '/') {
                st->k = 0;
                st->state = al_script_esc_end;
                break;
            }

            if (lc >= 'a' && lc <= 'z') {
                st->k = 0;
                st->state = al_script_desc_start;
                continue;
            }

            st->state = al_script_esc;
            continue;

        case al_script_desc_start:
        case al_script_desc_end:
            /* k: letters of "script" matched, 7 when the name differs */
            if (lc >= 'a' && lc <= 'z') {
                st->k = (st->k < 6 && (char) lc == "script"[st->k])
                        ? st->k + 1 : 7;
                break;
            }

            if (c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' '
                || c == '/' || c == '>')
            {
                if (st->state == al_script_desc_start) {
                    st->state = (st->k == 6) ? al_script_desc : al_script_esc;

                } else {
                    st->state = (st->k == 6) ? al_script_esc : al_script_desc;
                }

                break;
            }

            st->state = (st->state == al_script_desc_start) ? al_script_esc
                                                            : al_script_desc;
            continue;

        case al_script_desc:
            if (c == '-') {
                st->state = al_script_desc_dash;

            } else if (c == '<') {
                st->state = al_script_desc_lt;
            }

            break;

        case al_script_desc_dash:
            st->state = (c == '-') ? al_script_desc_dash_dash
                        : (c == '<') ? al_script_desc_lt : al_script_desc;
            break;

        case al_script_desc_dash_dash:
            if (c == '-') {
                break;
            }

            st->state = (c == '<') ? al_script_desc_lt
                        : (c == '>') ? al_script : al_script_desc;
            break;

        case al_script_desc_lt:
            if (c == '/') {
                st->k = 0;
                st->state = al_script_desc_end;
                break;
            }

            st->state = al_script_desc;
            continue;

        case al_plaintext:
        default:
            pos = len;
            continue;
        }

        pos++;
    }

    if (glossary_al_flush(st, st->hold_len > 0 ? st->pass_from : len) != 0) {
        return -1;
    }

    if (last) {
        st->done = 1;
    }

    return 0;
}


/* the attribute name just read decides what its value is looked at for */
static void
glossary_al_attr_end(glossary_autolink_stream_t *st)
{
    uint32_t  n;

    n = st->attr_len;
    st->attr = al_attr_other;

    if (n >= sizeof(st->attr_name)) {
        return;
    }

    if (n == 5 && memcmp(st->attr_name, "class", 5) == 0) {
        st->attr = al_attr_class;

    } else if (n == 15 && memcmp(st->attr_name, "data-noglossary", 15) == 0) {
        st->tag |= AL_TAG_NOGLOSSARY;

    } else if (n == 4 && memcmp(st->attr_name, "name", 4) == 0) {
        st->attr = al_attr_name_attr;

    } else if (n == 7 && memcmp(st->attr_name, "content", 7) == 0) {
        st->attr = al_attr_content;
    }
}


/*
 * A byte of a value.  vk: bytes of the word being matched so far, -1 when
 * the current token (class, content) or the value (name) differs.
 */
static void
glossary_al_value(glossary_autolink_stream_t *st, unsigned c)
{
    unsigned  lc;
    int       ws;

    ws = (c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ');
    lc = (c >= 'A' && c <= 'Z') ? (c | 0x20) : c;

    switch (st->attr) {

    case al_attr_class:
        if (ws) {
            glossary_al_value_end(st);
            st->vk = 0;

        } else if (st->vk >= 0) {
            st->vk = (st->vk < 10 && c == (unsigned) "noglossary"[st->vk])
                     ? st->vk + 1 : -1;
        }

        break;

    case al_attr_name_attr:
        if (st->vk >= 0) {
            st->vk = (st->vk < 8 && lc == (unsigned) "glossary"[st->vk])
                     ? st->vk + 1 : -1;
        }

        break;

    case al_attr_content:
        if (ws || c == ',') {
            glossary_al_value_end(st);
            st->vk = 0;

        } else if (st->vk >= 0) {
            st->vk = (st->vk < 10 && lc == (unsigned) "noautolink"[st->vk])
                     ? st->vk + 1 : -1;
        }

        break;
    }
}


static void
glossary_al_value_end(glossary_autolink_stream_t *st)
{
    switch (st->attr) {
    case al_attr_class:
        if (st->vk == 10) {
            st->tag |= AL_TAG_NOGLOSSARY;
        }
        break;
    case al_attr_name_attr:
        if (st->vk == 8) {
            st->tag |= AL_TAG_META_NAME;
        }
        break;
    case al_attr_content:
        if (st->vk == 10) {
            st->tag |= AL_TAG_META_CONTENT;
        }
        break;
    }
}


static uint32_t
glossary_al_kind(const char *name, uint32_t len, uint32_t *raw)
{
    uint32_t  i;

#define AL_IS(s)  (memcmp(name, s, sizeof(s) - 1) == 0)

    switch (len) {

    case 2:
        return (AL_IS("br") || AL_IS("hr")) ? al_kind_void : al_kind_normal;

    case 3:
        if (AL_IS("svg")) {
            return al_kind_foreign;
        }

        if (AL_IS("img") || AL_IS("col") || AL_IS("wbr")) {
            return al_kind_void;
        }

        break;

    case 4:
        if (AL_IS("meta")) {
            return al_kind_meta;
        }

        if (AL_IS("math")) {
            return al_kind_foreign;
        }

        if (AL_IS("area") || AL_IS("base") || AL_IS("link")) {
            return al_kind_void;
        }

        return al_kind_normal;

    case 5:
        if (AL_IS("embed") || AL_IS("input") || AL_IS("param")
            || AL_IS("track") || AL_IS("frame"))
        {
            return al_kind_void;
        }

        break;

    case 6:
        if (AL_IS("source") || AL_IS("keygen")) {
            return al_kind_void;
        }

        break;

    case 7:
        if (AL_IS("bgsound")) {
            return al_kind_void;
        }

        break;

    case 8:
        if (AL_IS("basefont")) {
            return al_kind_void;
        }

        break;

    case 9:
        if (AL_IS("plaintext")) {
            return al_kind_plaintext;
        }

        return al_kind_normal;

    default:
        return al_kind_normal;
    }

#undef AL_IS

    for (i = 0; i < sizeof(glossary_al_raw_names) / sizeof(char *); i++) {
        if (glossary_al_raw_len[i] == len
            && memcmp(glossary_al_raw_names[i], name, len) == 0)
        {
            *raw = i;
            return i == 0 ? al_kind_script : al_kind_raw;
        }
    }

    return al_kind_normal;
}


static void
glossary_al_emit_tag(glossary_autolink_stream_t *st)
{
    st->state = al_text;

    if (st->tag & AL_TAG_END) {
        glossary_al_end_tag(st);

    } else {
        glossary_al_start_tag(st);
    }

}


static void
glossary_al_start_tag(glossary_autolink_stream_t *st)
{
    int        skip;
    uint32_t   kind, raw, i, n;

    raw = 0;
    n = st->name_len;
    kind = (n <= GLOSSARY_AUTOLINK_MAX_NAME) ? glossary_al_kind(st->name, n,
                                                                &raw)
                                             : al_kind_normal;

    switch (kind) {

    case al_kind_meta:
        if ((st->tag & AL_TAG_META_NAME) && (st->tag & AL_TAG_META_CONTENT)) {
            st->opted_out = 1;
        }
        return;

    case al_kind_void:
        return;

    case al_kind_raw:
        st->raw = raw;
        st->state = al_raw;
        return;

    case al_kind_script:
        st->raw = raw;
        st->state = al_script;
        return;

    case al_kind_plaintext:
        st->state = al_plaintext;
        return;

    case al_kind_foreign:
        if (st->tag & AL_TAG_SELF_CLOSE) {
            return;
        }
        break;
    }

    skip = (st->tag & AL_TAG_NOGLOSSARY)
           || glossary_al_skipped(st->conf, st->name_hash, st->name, n);

    if (skip) {
        if (st->depth == GLOSSARY_AUTOLINK_MAX_DEPTH) {
            st->overflow = 1;
            return;
        }

        st->stack[st->depth].hash = st->name_hash;
        st->stack[st->depth].nest = 0;
        st->depth++;
        return;
    }

    /* an element of the same name inside a skipped one: its end tag */
    for (i = st->depth; i > 0; i--) {
        if (st->stack[i - 1].hash == st->name_hash) {
            if (st->stack[i - 1].nest == 0xffff) {
                st->overflow = 1;

            } else {
                st->stack[i - 1].nest++;
            }

            return;
        }
    }
}


static void
glossary_al_end_tag(glossary_autolink_stream_t *st)
{
    uint32_t  i;

    for (i = st->depth; i > 0; i--) {
        if (st->stack[i - 1].hash == st->name_hash) {
            if (st->stack[i - 1].nest > 0) {
                st->stack[i - 1].nest--;

            } else {
                st->depth = i - 1;
            }

            return;
        }
    }
}
