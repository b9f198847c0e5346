/*
 * The autolink builder: see glossary_autolink_build.h, and
 * src/blob/AUTOLINK.md for the image.
 *
 * The automaton is a trie of the folded patterns stored as a double
 * array, built depth first from the sorted patterns: a node's children are
 * the distinct bytes at its depth in its range of patterns, and the node
 * gets the first base where every child's slot is free.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "glossary_autolink.h"
#include "glossary_autolink_build.h"


#define ALB_CPS          0x110000
#define ALB_FOLD_HASH    (1u << 15)
#define ALB_DENSE        0.95
#define ALB_CHAIN        0x80000000u     /* a node that heads a tail */


typedef struct {
    uint64_t    off;            /* in the arena */
    uint32_t    term;
    uint8_t     len;
    uint8_t     prio;
} glossary_alb_pattern_t;

/* a node waiting to be placed: its state and its patterns */
typedef struct {
    uint32_t    state;
    uint32_t    depth;
    uint32_t    lo;
    uint32_t    hi;
} glossary_alb_node_t;

struct glossary_autolink_builder_s {
    uint32_t                    term_count;
    unsigned                    flags;

    /* per code point: class, and fold index (0: itself) */
    uint8_t                    *cls;
    uint16_t                   *fold;
    uint8_t                    *folds;          /* fold_count x 8 bytes */
    uint32_t                    fold_count;
    uint32_t                   *fold_hash;      /* index + 1, or 0 */

    unsigned char              *arena;
    size_t                      arena_len;
    size_t                      arena_size;
    glossary_alb_pattern_t     *pats;
    size_t                      npats;
    size_t                      pats_size;

    /* the double array being built */
    uint32_t                   *base;
    uint32_t                   *check;
    size_t                      da_size;
    uint32_t                    next_check;
    uint32_t                    max_used;
    uint32_t                    states;
    uint32_t                    max_label;
    uint8_t                     label[256];
    glossary_alb_node_t        *queue;          /* nodes to place */
    size_t                      queue_size;

    glossary_autolink_stats_t   stats;
    char                        error[160];
};


static int glossary_alb_fail(glossary_autolink_builder_t *b,
    const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int glossary_alb_tables(glossary_autolink_builder_t *b);
static uint8_t glossary_alb_class(const glossary_autolink_builder_t *b,
    uint32_t c);
static int glossary_alb_nb(uint32_t c);
static int glossary_alb_diacritic(uint32_t c);
static int glossary_alb_fold_of(glossary_autolink_builder_t *b, uint32_t c,
    uint16_t *idx);
static size_t glossary_alb_encode(uint32_t c, unsigned char *p);
static int glossary_alb_push(glossary_autolink_builder_t *b, uint32_t term,
    const unsigned char *p, size_t len, unsigned prio);
static int glossary_alb_plurals(glossary_autolink_builder_t *b,
    uint32_t term, const unsigned char *p, size_t len, unsigned prio);
static int glossary_alb_cmp(const void *a, const void *b, void *arena);
static int glossary_alb_trie(glossary_autolink_builder_t *b,
    const glossary_alb_pattern_t *keys, size_t n);
static int glossary_alb_chains(glossary_autolink_builder_t *b,
    const glossary_alb_pattern_t *keys, size_t nodes);
static int glossary_alb_grow(glossary_autolink_builder_t *b, size_t need);
static unsigned glossary_alb_ascii(unsigned c);


static int
glossary_alb_fail(glossary_autolink_builder_t *b, const char *fmt, ...)
{
    va_list  args;

    va_start(args, fmt);
    vsnprintf(b->error, sizeof(b->error), fmt, args);
    va_end(args);

    return -1;
}


const char *
glossary_autolink_builder_error(const glossary_autolink_builder_t *b)
{
    return b->error[0] ? b->error : "no error";
}


glossary_autolink_builder_t *
glossary_autolink_builder_create(uint32_t term_count, unsigned flags)
{
    glossary_autolink_builder_t  *b;

    b = calloc(1, sizeof(glossary_autolink_builder_t));

    if (b == NULL) {
        return NULL;
    }

    b->term_count = term_count;
    b->flags = flags;

    if (glossary_alb_tables(b) != 0) {
        glossary_autolink_builder_free(b);
        return NULL;
    }

    return b;
}


void
glossary_autolink_builder_free(glossary_autolink_builder_t *b)
{
    if (b == NULL) {
        return;
    }

    free(b->cls);
    free(b->fold);
    free(b->folds);
    free(b->fold_hash);
    free(b->arena);
    free(b->pats);
    free(b->base);
    free(b->check);
    free(b->queue);
    free(b);
}


/* ASCII as the matcher's tables fold it: lower case, white space and '-' */
static unsigned
glossary_alb_ascii(unsigned c)
{
    if (c >= 'A' && c <= 'Z') {
        return c | 0x20;
    }

    if (c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' '
        || c == '-')
    {
        return ' ';
    }

    return c;
}


/* letters of scripts written without spaces between words */
static int
glossary_alb_nb(uint32_t c)
{
    return (c >= 0x0e00 && c <= 0x0eff)        /* Thai, Lao */
           || (c >= 0x1000 && c <= 0x109f)     /* Myanmar */
           || (c >= 0x1100 && c <= 0x11ff)     /* Hangul Jamo */
           || (c >= 0x1780 && c <= 0x17ff)     /* Khmer */
           || (c >= 0x19e0 && c <= 0x19ff)
           || (c >= 0x2e80 && c <= 0x2fdf)     /* CJK radicals */
           || (c >= 0x3005 && c <= 0x3007)
           || (c >= 0x3021 && c <= 0x3029)
           || (c >= 0x3031 && c <= 0x3035)
           || (c >= 0x3038 && c <= 0x303c)
           || (c >= 0x3040 && c <= 0x30ff)     /* kana */
           || (c >= 0x3100 && c <= 0x31ff)     /* bopomofo, jamo, ... */
           || (c >= 0x3400 && c <= 0x4dbf)     /* CJK ext. A */
           || (c >= 0x4e00 && c <= 0x9fff)     /* CJK */
           || (c >= 0xa000 && c <= 0xa4cf)     /* Yi */
           || (c >= 0xa960 && c <= 0xa97f)
           || (c >= 0xac00 && c <= 0xd7ff)     /* Hangul */
           || (c >= 0xf900 && c <= 0xfaff)
           || (c >= 0xff66 && c <= 0xffdc)     /* halfwidth kana, Hangul */
           || (c >= 0x16fe0 && c <= 0x16fff)
           || (c >= 0x1b000 && c <= 0x1b2ff)   /* kana supplements */
           || (c >= 0x20000 && c <= 0x3ffff);  /* CJK ext. B.. */
}


static int
glossary_alb_diacritic(uint32_t c)
{
    return (c >= 0x0300 && c <= 0x036f) || (c >= 0x1ab0 && c <= 0x1aff)
           || (c >= 0x1dc0 && c <= 0x1dff) || (c >= 0x20d0 && c <= 0x20ff)
           || (c >= 0xfe20 && c <= 0xfe2f);
}


static uint8_t
glossary_alb_class(const glossary_autolink_builder_t *b, uint32_t c)
{
    if (c < 0x80) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
            || (c >= '0' && c <= '9') || c == '_')
        {
            return GLOSSARY_AUTOLINK_WORD;
        }

        return glossary_alb_ascii(c) == ' ' ? GLOSSARY_AUTOLINK_SPACE
                                            : GLOSSARY_AUTOLINK_OTHER;
    }

    if (c == 0x2010 || c == 0x2011 || c == 0x85) {
        return GLOSSARY_AUTOLINK_SPACE;
    }

    if ((c >= 0xd800 && c <= 0xdfff)) {
        return GLOSSARY_AUTOLINK_OTHER;
    }

    if ((c >= 0xfe00 && c <= 0xfe0f) || (c >= 0xe0100 && c <= 0xe01ef)) {
        return GLOSSARY_AUTOLINK_IGNORE;       /* variation selectors */
    }

    switch (utf8proc_category((utf8proc_int32_t) c)) {

    case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
        return GLOSSARY_AUTOLINK_SPACE;

    case UTF8PROC_CATEGORY_CF:
        return GLOSSARY_AUTOLINK_IGNORE;

    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
        if ((b->flags & GLOSSARY_AUTOLINK_BUILD_ACCENTS)
            && glossary_alb_diacritic(c))
        {
            return GLOSSARY_AUTOLINK_IGNORE;
        }

        /* fall through */

    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
    case UTF8PROC_CATEGORY_PC:
        return glossary_alb_nb(c) ? GLOSSARY_AUTOLINK_NB
                                  : GLOSSARY_AUTOLINK_WORD;

    default:
        return GLOSSARY_AUTOLINK_OTHER;
    }
}


static size_t
glossary_alb_encode(uint32_t c, unsigned char *p)
{
    if (c < 0x80) {
        p[0] = (unsigned char) c;
        return 1;
    }

    if (c < 0x800) {
        p[0] = (unsigned char) (0xc0 | (c >> 6));
        p[1] = (unsigned char) (0x80 | (c & 0x3f));
        return 2;
    }

    if (c < 0x10000) {
        p[0] = (unsigned char) (0xe0 | (c >> 12));
        p[1] = (unsigned char) (0x80 | ((c >> 6) & 0x3f));
        p[2] = (unsigned char) (0x80 | (c & 0x3f));
        return 3;
    }

    p[0] = (unsigned char) (0xf0 | (c >> 18));
    p[1] = (unsigned char) (0x80 | ((c >> 12) & 0x3f));
    p[2] = (unsigned char) (0x80 | ((c >> 6) & 0x3f));
    p[3] = (unsigned char) (0x80 | (c & 0x3f));
    return 4;
}


/*
 * The fold of one character: its NFKC_Casefold (decomposed with
 * compatibility mappings and case folded, then composed), with accents
 * also its diacritics dropped.  Folds longer than an entry, or holding a
 * space, a hyphen or a control, are not kept: the character stays itself.
 */
static int
glossary_alb_fold_of(glossary_autolink_builder_t *b, uint32_t c,
    uint16_t *idx)
{
    size_t             len, self_len, k;
    uint32_t           h, i, slot;
    uint64_t           key;
    unsigned char      out[8 * 4 + 4], self[4], *e;
    utf8proc_ssize_t   n, j, m;
    utf8proc_int32_t   buf[32];

    *idx = 0;

    n = utf8proc_decompose_char((utf8proc_int32_t) c, buf, 32,
                                UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT
                                | UTF8PROC_CASEFOLD, NULL);

    if (n <= 0 || n > 32) {
        return 0;
    }

    if (b->flags & GLOSSARY_AUTOLINK_BUILD_ACCENTS) {
        for (j = 0, m = 0; j < n; j++) {
            switch (buf[j]) {
            case 0xf8: buf[m++] = 'o'; break;
            case 0x111: buf[m++] = 'd'; break;
            case 0x127: buf[m++] = 'h'; break;
            case 0x131: buf[m++] = 'i'; break;
            case 0x142: buf[m++] = 'l'; break;
            case 0x167: buf[m++] = 't'; break;
            default:
                if (!glossary_alb_diacritic((uint32_t) buf[j])) {
                    buf[m++] = buf[j];
                }
            }
        }

        n = m;

        if (n == 0) {
            return 0;
        }
    }

    n = utf8proc_normalize_utf32(buf, n, UTF8PROC_COMPOSE | UTF8PROC_STABLE);

    if (n <= 0) {
        return 0;
    }

    len = 0;

    for (j = 0; j < n; j++) {
        if (len > GLOSSARY_AUTOLINK_FOLD_MAX) {
            return 0;
        }

        if (buf[j] < 0x80 && (buf[j] < 0x21 || buf[j] == '-'
                              || buf[j] == 0x7f))
        {
            return 0;
        }

        len += glossary_alb_encode((uint32_t) buf[j], out + len);
    }

    if (len > GLOSSARY_AUTOLINK_FOLD_MAX) {
        return 0;
    }

    self_len = glossary_alb_encode(c, self);

    if (len == self_len && memcmp(out, self, len) == 0) {
        return 0;
    }

    key = len;

    for (k = 0; k < len; k++) {
        key |= (uint64_t) out[k] << (8 * (k + 1));
    }

    h = (uint32_t) ((key * 0x9e3779b97f4a7c15ull) >> 49);

    for (i = 0; i < ALB_FOLD_HASH; i++) {
        slot = b->fold_hash[h];

        if (slot == 0) {
            break;
        }

        e = b->folds + (size_t) (slot - 1) * GLOSSARY_AUTOLINK_FOLD_SIZE;

        if (e[0] == len && memcmp(e + 1, out, len) == 0) {
            *idx = (uint16_t) (slot - 1);
            return 0;
        }

        h = (h + 1) & (ALB_FOLD_HASH - 1);
    }

    if (b->fold_count >= GLOSSARY_AUTOLINK_MAX_FOLDS) {
        return glossary_alb_fail(b, "more than %u distinct folds",
                                 GLOSSARY_AUTOLINK_MAX_FOLDS);
    }

    e = b->folds + (size_t) b->fold_count * GLOSSARY_AUTOLINK_FOLD_SIZE;
    e[0] = (unsigned char) len;
    memcpy(e + 1, out, len);
    b->fold_hash[h] = b->fold_count + 1;
    *idx = (uint16_t) b->fold_count;
    b->fold_count++;

    return 0;
}


static int
glossary_alb_tables(glossary_autolink_builder_t *b)
{
    uint32_t  c;

    b->cls = malloc(ALB_CPS);
    b->fold = calloc(ALB_CPS, sizeof(uint16_t));
    b->folds = calloc(GLOSSARY_AUTOLINK_MAX_FOLDS,
                      GLOSSARY_AUTOLINK_FOLD_SIZE);
    b->fold_hash = calloc(ALB_FOLD_HASH, sizeof(uint32_t));

    if (b->cls == NULL || b->fold == NULL || b->folds == NULL
        || b->fold_hash == NULL)
    {
        return -1;
    }

    b->fold_count = 1;          /* entry 0: the character itself */

    for (c = 0; c < ALB_CPS; c++) {
        b->cls[c] = glossary_alb_class(b, c);

        if (c < 0x80 || (c >= 0xd800 && c <= 0xdfff)
            || b->cls[c] == GLOSSARY_AUTOLINK_SPACE
            || b->cls[c] == GLOSSARY_AUTOLINK_IGNORE
            || utf8proc_category((utf8proc_int32_t) c)
               == UTF8PROC_CATEGORY_CN)
        {
            continue;
        }

        if (glossary_alb_fold_of(b, c, &b->fold[c]) != 0) {
            return -1;
        }
    }

    return 0;
}


int
glossary_autolink_builder_fold(glossary_autolink_builder_t *b,
    const unsigned char *text, size_t len, unsigned char *dst)
{
    size_t             n, k, flen;
    int                space;
    uint32_t           c;
    uint8_t            cls;
    unsigned char     *nfc, *f, self[4];
    utf8proc_ssize_t   r;
    utf8proc_int32_t   cp;

    r = utf8proc_map(text, (utf8proc_ssize_t) len, &nfc,
                     UTF8PROC_STABLE | UTF8PROC_COMPOSE);

    if (r < 0) {
        return -1;
    }

    n = 0;
    space = 0;

    for (k = 0; k < (size_t) r; ) {
        k += utf8proc_iterate(nfc + k, r - (utf8proc_ssize_t) k, &cp);
        c = (uint32_t) cp;
        cls = b->cls[c];

        if (cls == GLOSSARY_AUTOLINK_IGNORE) {
            continue;
        }

        if (cls == GLOSSARY_AUTOLINK_SPACE) {
            space = (n > 0);
            continue;
        }

        if (space) {
            if (n >= GLOSSARY_AUTOLINK_MAX_PATTERN) {
                goto long_;
            }

            dst[n++] = ' ';
            space = 0;
        }

        if (c < 0x80) {
            f = self;
            self[0] = (unsigned char) glossary_alb_ascii(c);
            flen = 1;

        } else if (b->fold[c]) {
            f = b->folds + (size_t) b->fold[c] * GLOSSARY_AUTOLINK_FOLD_SIZE;
            flen = f[0];
            f++;

        } else {
            f = self;
            flen = glossary_alb_encode(c, self);
        }

        if (n + flen > GLOSSARY_AUTOLINK_MAX_PATTERN) {
            goto long_;
        }

        memcpy(dst + n, f, flen);
        n += flen;
    }

    free(nfc);

    return (int) n;

long_:

    free(nfc);

    return -1;
}


int
glossary_autolink_builder_add(glossary_autolink_builder_t *b, uint32_t term,
    const unsigned char *text, size_t len, glossary_autolink_kind_t kind)
{
    int            n;
    unsigned char  buf[GLOSSARY_AUTOLINK_MAX_PATTERN];

    if (term >= b->term_count) {
        return glossary_alb_fail(b, "term %u of %u", (unsigned) term,
                                 (unsigned) b->term_count);
    }

    b->stats.added++;

    n = glossary_autolink_builder_fold(b, text, len, buf);

    if (n <= 0) {
        b->stats.dropped++;
        return 0;
    }

    if (glossary_alb_push(b, term, buf, (size_t) n, kind) != 0) {
        return -1;
    }

    if (kind == GLOSSARY_AUTOLINK_SLUG) {
        return 0;
    }

    return glossary_alb_plurals(b, term, buf, (size_t) n, kind + 3);
}


static int
glossary_alb_push(glossary_autolink_builder_t *b, uint32_t term,
    const unsigned char *p, size_t len, unsigned prio)
{
    void                    *q;
    size_t                   size;
    glossary_alb_pattern_t  *pat;

    if (b->arena_len + len > b->arena_size) {
        size = b->arena_size ? 2 * b->arena_size : 1 << 16;

        while (size < b->arena_len + len) {
            size *= 2;
        }

        q = realloc(b->arena, size);

        if (q == NULL) {
            return glossary_alb_fail(b, "out of memory");
        }

        b->arena = q;
        b->arena_size = size;
    }

    if (b->npats == b->pats_size) {
        size = b->pats_size ? 2 * b->pats_size : 1024;
        q = realloc(b->pats, size * sizeof(glossary_alb_pattern_t));

        if (q == NULL) {
            return glossary_alb_fail(b, "out of memory");
        }

        b->pats = q;
        b->pats_size = size;
    }

    pat = &b->pats[b->npats++];
    pat->off = b->arena_len;
    pat->len = (uint8_t) len;
    pat->term = term;
    pat->prio = (uint8_t) prio;
    memcpy(b->arena + b->arena_len, p, len);
    b->arena_len += len;

    return 0;
}


static int
glossary_alb_plurals(glossary_autolink_builder_t *b, uint32_t term,
    const unsigned char *p, size_t len, unsigned prio)
{
    unsigned       z, y;
    unsigned char  buf[GLOSSARY_AUTOLINK_MAX_PATTERN + 3];

    if (len < 2 || len + 3 > GLOSSARY_AUTOLINK_MAX_PATTERN) {
        return 0;
    }

    z = p[len - 1];
    y = p[len - 2];

    if (z < 'a' || z > 'z' || y < 'a' || y > 'z') {
        return 0;
    }

    memcpy(buf, p, len);

    if (z == 's' || z == 'x' || z == 'z'
        || ((z == 'h') && (y == 'c' || y == 's')))
    {
        memcpy(buf + len, "es", 2);
        b->stats.plurals++;
        return glossary_alb_push(b, term, buf, len + 2, prio);
    }

    if (z == 'y' && strchr("aeiou", (int) y) == NULL) {
        memcpy(buf + len - 1, "ies", 3);
        b->stats.plurals++;
        return glossary_alb_push(b, term, buf, len + 2, prio);
    }

    buf[len] = 's';
    b->stats.plurals++;

    if (glossary_alb_push(b, term, buf, len + 1, prio) != 0) {
        return -1;
    }

    if (z == 'o') {
        memcpy(buf + len, "es", 2);
        b->stats.plurals++;
        return glossary_alb_push(b, term, buf, len + 2, prio);
    }

    return 0;
}


static int
glossary_alb_cmp(const void *a, const void *b, void *arena)
{
    int                            r;
    size_t                         n;
    const glossary_alb_pattern_t  *x, *y;

    x = a;
    y = b;
    n = x->len < y->len ? x->len : y->len;
    r = memcmp((const unsigned char *) arena + x->off,
               (const unsigned char *) arena + y->off, n);

    if (r != 0) {
        return r;
    }

    if (x->len != y->len) {
        return x->len < y->len ? -1 : 1;
    }

    if (x->prio != y->prio) {
        return x->prio < y->prio ? -1 : 1;
    }

    return (x->term > y->term) - (x->term < y->term);
}


static int
glossary_alb_grow(glossary_autolink_builder_t *b, size_t need)
{
    size_t     size, i;
    uint32_t  *base, *check;

    if (need <= b->da_size) {
        return 0;
    }

    if (need > GLOSSARY_AUTOLINK_MAX_SLOTS) {
        return glossary_alb_fail(b, "the automaton needs more than %u slots",
                                 GLOSSARY_AUTOLINK_MAX_SLOTS);
    }

    size = b->da_size ? b->da_size : 1 << 16;

    while (size < need) {
        size *= 2;
    }

    base = realloc(b->base, size * sizeof(uint32_t));

    if (base == NULL) {
        return glossary_alb_fail(b, "out of memory");
    }

    b->base = base;
    check = realloc(b->check, size * sizeof(uint32_t));

    if (check == NULL) {
        return glossary_alb_fail(b, "out of memory");
    }

    b->check = check;

    for (i = b->da_size; i < size; i++) {
        b->base[i] = 0;
        b->check[i] = GLOSSARY_AUTOLINK_FREE;
    }

    b->da_size = size;

    return 0;
}


/*
 * The trie, breadth first, so that the shallow states, which every walk
 * goes through, lie together at the front of the array.  A node holds the
 * patterns keys[lo, hi), which share their first depth bytes; it gets the
 * first base (at or after next_check) where each of its children's slots
 * is free, then its children queue up.
 */
static int
glossary_alb_trie(glossary_autolink_builder_t *b,
    const glossary_alb_pattern_t *keys, size_t npat)
{
    int                   terminal, first;
    void                 *q;
    size_t                head, tail, i, j, n, k, nonzero, first_free;
    uint8_t               labels[256];
    uint32_t              ends[256], pos, base, start, term, s, depth;
    unsigned char         c;
    glossary_alb_node_t   node;

    b->queue_size = 1024;
    b->queue = malloc(b->queue_size * sizeof(glossary_alb_node_t));

    if (b->queue == NULL) {
        return glossary_alb_fail(b, "out of memory");
    }

    head = 0;
    tail = 1;
    b->queue[0].state = 0;
    b->queue[0].depth = 0;
    b->queue[0].lo = 0;
    b->queue[0].hi = (uint32_t) npat;

    while (head < tail) {
        node = b->queue[head++];

        if (node.depth & ALB_CHAIN) {
            continue;
        }

        s = node.state;
        depth = node.depth;
        n = 0;
        i = node.lo;
        terminal = 0;
        term = 0;

        if (keys[i].len == depth) {
            terminal = 1;
            term = keys[i].term;
            labels[n] = GLOSSARY_AUTOLINK_LABEL_END;
            ends[n++] = (uint32_t) ++i;
        }

        while (i < node.hi) {
            c = b->arena[keys[i].off + depth];
            j = i + 1;

            while (j < node.hi && b->arena[keys[j].off + depth] == c) {
                j++;
            }

            labels[n] = b->label[c];
            ends[n++] = (uint32_t) j;
            i = j;
        }

        pos = b->next_check > labels[0] ? b->next_check : labels[0];
        nonzero = 0;
        first = 1;
        first_free = pos;

        for ( ;; pos++) {
            if (glossary_alb_grow(b, (size_t) pos + b->max_label + 2) != 0) {
                return -1;
            }

            if (b->check[pos] != GLOSSARY_AUTOLINK_FREE) {
                nonzero++;
                continue;
            }

            if (first) {
                first_free = pos;
                first = 0;
            }

            base = pos - labels[0];

            if (base == 0) {
                continue;
            }

            for (k = 1; k < n; k++) {
                if (b->check[base + labels[k]] != GLOSSARY_AUTOLINK_FREE) {
                    break;
                }
            }

            if (k == n) {
                break;
            }
        }

        if ((double) nonzero / (pos - first_free + 1) >= ALB_DENSE) {
            b->next_check = pos;

        } else {
            b->next_check = (uint32_t) first_free;
        }

        b->base[s] = base;

        for (k = 0; k < n; k++) {
            b->check[base + labels[k]] = s;

            if (base + labels[k] > b->max_used) {
                b->max_used = base + labels[k];
            }
        }

        if (terminal) {
            b->base[base + GLOSSARY_AUTOLINK_LABEL_END] = term;
            b->check[s] |= GLOSSARY_AUTOLINK_TERMINAL;
        }

        if (tail + n > b->queue_size) {
            b->queue_size = 2 * (tail + n);
            q = realloc(b->queue, b->queue_size * sizeof(glossary_alb_node_t));

            if (q == NULL) {
                return glossary_alb_fail(b, "out of memory");
            }

            b->queue = q;
        }

        start = node.lo + (terminal ? 1 : 0);

        for (k = terminal ? 1 : 0; k < n; k++) {
            b->states++;
            b->queue[tail].state = base + labels[k];
            b->queue[tail].depth = depth + 1;
            b->queue[tail].lo = start;
            b->queue[tail].hi = ends[k];

            /* one pattern left: its tail, later, in a row */
            if (ends[k] - start == 1) {
                b->queue[tail].depth |= ALB_CHAIN;
            }

            tail++;
            start = ends[k];
        }
    }

    return glossary_alb_chains(b, keys, tail);
}


/*
 * The tail of every pattern that shares no more bytes with another, each
 * in consecutive slots after the branching part, so that a walk down a
 * tail reads memory in order: a node's one child is the next slot.
 */
static int
glossary_alb_chains(glossary_autolink_builder_t *b,
    const glossary_alb_pattern_t *keys, size_t nodes)
{
    size_t     i;
    uint32_t   cursor, s, d, len;
    const glossary_alb_pattern_t  *key;

    cursor = b->max_used + 1;

    for (i = 0; i < nodes; i++) {
        if (!(b->queue[i].depth & ALB_CHAIN)) {
            continue;
        }

        s = b->queue[i].state;
        d = b->queue[i].depth & ~ALB_CHAIN;
        key = &keys[b->queue[i].lo];
        len = key->len;

        if (glossary_alb_grow(b, (size_t) cursor + (len - d) + 2
                                 + b->max_label + 2) != 0)
        {
            return -1;
        }

        for ( ; d < len; d++) {
            b->base[s] = cursor - b->label[b->arena[key->off + d]];
            b->check[cursor] = s;
            s = cursor++;
            b->states++;
        }

        b->base[s] = cursor - GLOSSARY_AUTOLINK_LABEL_END;
        b->check[s] |= GLOSSARY_AUTOLINK_TERMINAL;
        b->base[cursor] = key->term;
        b->check[cursor] = s;
        cursor++;
    }

    if (cursor - 1 > b->max_used) {
        b->max_used = cursor - 1;
    }

    return 0;
}


int
glossary_autolink_builder_finish(glossary_autolink_builder_t *b,
    unsigned char **image, size_t *size, glossary_autolink_stats_t *stats)
{
    size_t                        i, n, blocks, k;
    uint8_t                       used[256], *bi, *lab;
    uint8_t                       fb;
    uint16_t                     *stage1, *blk;
    uint32_t                      c, slots, t, maxlen, root_base;
    uint32_t                     *bhash;
    uint64_t                      total, h;
    unsigned char                *img, *cp, self[4];
    glossary_alb_pattern_t       *keys;
    glossary_autolink_header_t   *hd;
    glossary_autolink_slot_t     *sl;

    *image = NULL;
    *size = 0;

    /* sort; the first of equal patterns wins (precedence, then term id) */
    if (b->npats > 0) {
        qsort_r(b->pats, b->npats, sizeof(glossary_alb_pattern_t),
                glossary_alb_cmp, b->arena);
    }

    keys = b->pats;
    n = 0;
    maxlen = 0;
    memset(used, 0, sizeof(used));

    for (i = 0; i < b->npats; i++) {
        if (n > 0 && keys[n - 1].len == b->pats[i].len
            && memcmp(b->arena + keys[n - 1].off, b->arena + b->pats[i].off,
                      b->pats[i].len) == 0)
        {
            if (keys[n - 1].term == b->pats[i].term) {
                b->stats.duplicates++;

            } else {
                b->stats.conflicts++;
            }

            continue;
        }

        keys[n++] = b->pats[i];
        b->stats.pattern_bytes += b->pats[i].len;

        if (b->pats[i].len > maxlen) {
            maxlen = b->pats[i].len;
        }

        for (k = 0; k < b->pats[i].len; k++) {
            used[b->arena[b->pats[i].off + k]] = 1;
        }
    }

    b->stats.patterns = n;
    b->stats.max_pattern = maxlen ? maxlen : 1;

    /* labels 2 .. K+1, in byte order (children come in sorted order) */
    memset(b->label, 0, sizeof(b->label));
    b->max_label = 1;

    for (c = 0; c < 256; c++) {
        if (used[c]) {
            b->label[c] = (uint8_t) ++b->max_label;
        }
    }

    b->stats.labels = b->max_label - 1;

    if (glossary_alb_grow(b, b->max_label + 2) != 0) {
        return -1;
    }

    b->check[0] = 0;
    b->next_check = 1;

    if (n > 0) {
        if (glossary_alb_trie(b, keys, n) != 0) {
            return -1;
        }

    } else {
        b->base[0] = 1;
    }

    /* every state leaves room for every label after its base */
    root_base = b->base[0];
    slots = b->max_used + 1;

    for (t = 0; t <= b->max_used; t++) {
        c = b->check[t];

        if (c == GLOSSARY_AUTOLINK_FREE
            || (t != 0
                && t - b->base[c & GLOSSARY_AUTOLINK_CHECK_MASK]
                   == GLOSSARY_AUTOLINK_LABEL_END))
        {
            continue;
        }

        if (b->base[t] + b->max_label + 2 > slots) {
            slots = b->base[t] + b->max_label + 2;
        }
    }

    if (glossary_alb_grow(b, slots) != 0) {
        return -1;
    }

    /* the code point table, blocks deduplicated */
    stage1 = calloc(GLOSSARY_AUTOLINK_STAGE1, sizeof(uint16_t));
    blk = malloc((size_t) GLOSSARY_AUTOLINK_MAX_BLOCKS
                 * GLOSSARY_AUTOLINK_CP_BLOCK * sizeof(uint16_t));
    bhash = calloc(1 << 14, sizeof(uint32_t));

    if (stage1 == NULL || blk == NULL || bhash == NULL) {
        free(stage1);
        free(blk);
        free(bhash);
        return glossary_alb_fail(b, "out of memory");
    }

    blocks = 0;

    for (i = 0; i < GLOSSARY_AUTOLINK_STAGE1; i++) {
        uint16_t  cur[GLOSSARY_AUTOLINK_CP_BLOCK];
        uint32_t  slot;

        h = 1469598103934665603ull;

        for (k = 0; k < GLOSSARY_AUTOLINK_CP_BLOCK; k++) {
            c = (uint32_t) (i * GLOSSARY_AUTOLINK_CP_BLOCK + k);
            cur[k] = (uint16_t) (b->cls[c] | (b->fold[c] << 3));
            h = (h ^ cur[k]) * 1099511628211ull;
        }

        slot = (uint32_t) (h >> 50);

        for ( ;; ) {
            if (bhash[slot] == 0) {
                memcpy(blk + blocks * GLOSSARY_AUTOLINK_CP_BLOCK, cur,
                       sizeof(cur));
                bhash[slot] = (uint32_t) ++blocks;
                stage1[i] = (uint16_t) (blocks - 1);
                break;
            }

            if (memcmp(blk + (size_t) (bhash[slot] - 1)
                             * GLOSSARY_AUTOLINK_CP_BLOCK, cur, sizeof(cur))
                == 0)
            {
                stage1[i] = (uint16_t) (bhash[slot] - 1);
                break;
            }

            slot = (slot + 1) & ((1 << 14) - 1);
        }
    }

    free(bhash);

    total = glossary_autolink_image_size((uint32_t) blocks, b->fold_count,
                                         slots);

    if (total == 0) {
        free(stage1);
        free(blk);
        return glossary_alb_fail(b, "the automaton outgrows the format");
    }

    img = calloc(1, total);

    if (img == NULL) {
        free(stage1);
        free(blk);
        return glossary_alb_fail(b, "out of memory");
    }

    hd = (glossary_autolink_header_t *) img;
    memcpy(hd->magic, GLOSSARY_AUTOLINK_MAGIC, GLOSSARY_AUTOLINK_MAGIC_LEN);
    hd->version_major = GLOSSARY_AUTOLINK_VERSION_MAJOR;
    hd->version_minor = GLOSSARY_AUTOLINK_VERSION_MINOR;
    hd->flags = (b->flags & GLOSSARY_AUTOLINK_BUILD_ACCENTS)
                ? GLOSSARY_AUTOLINK_ACCENTS : 0;
    hd->size = total;
    hd->pattern_bytes = b->stats.pattern_bytes;
    hd->term_count = b->term_count;
    hd->pattern_count = (uint32_t) n;
    hd->max_pattern = b->stats.max_pattern;
    hd->label_count = b->max_label - 1;
    hd->slot_count = slots;
    hd->fold_count = b->fold_count;
    hd->block_count = (uint32_t) blocks;

    bi = img + GLOSSARY_AUTOLINK_HEADER_SIZE;
    lab = bi + 256;

    for (c = 0; c < 256; c++) {
        lab[c] = (c < 0x80) ? b->label[glossary_alb_ascii(c)] : b->label[c];
    }

#define ALB_ROOT_CHILD(byte)                                                 \
    (b->label[byte] != 0                                                     \
     && b->check[root_base + b->label[byte]] != GLOSSARY_AUTOLINK_FREE       \
     && (b->check[root_base + b->label[byte]]                                \
         & GLOSSARY_AUTOLINK_CHECK_MASK) == 0)

    for (c = 0; c < 0x80; c++) {
        if (c == '&') {
            bi[c] = GLOSSARY_AUTOLINK_B_SLOW;
            continue;
        }

        if (c == '<') {
            continue;
        }

        if (b->cls[c] == GLOSSARY_AUTOLINK_WORD) {
            bi[c] |= GLOSSARY_AUTOLINK_B_WORD;

        } else if (b->cls[c] == GLOSSARY_AUTOLINK_SPACE) {
            bi[c] |= GLOSSARY_AUTOLINK_B_SPACE;
        }

        if (n > 0 && ALB_ROOT_CHILD(glossary_alb_ascii(c))) {
            bi[c] |= GLOSSARY_AUTOLINK_B_START;
        }
    }

    for (c = 0x80; n > 0 && c < ALB_CPS; c++) {
        if (b->cls[c] == GLOSSARY_AUTOLINK_SPACE
            || b->cls[c] == GLOSSARY_AUTOLINK_IGNORE
            || (c >= 0xd800 && c <= 0xdfff))
        {
            continue;
        }

        glossary_alb_encode(c, self);
        fb = b->fold[c] ? b->folds[(size_t) b->fold[c]
                                   * GLOSSARY_AUTOLINK_FOLD_SIZE + 1]
                        : self[0];

        if (fb < 0x80) {
            fb = (uint8_t) glossary_alb_ascii(fb);
        }

        if (ALB_ROOT_CHILD(fb)) {
            bi[self[0]] = GLOSSARY_AUTOLINK_B_SLOW;
        }
    }

#undef ALB_ROOT_CHILD

    cp = lab + 256 + GLOSSARY_AUTOLINK_FILTER_SIZE;
    memcpy(cp, stage1, GLOSSARY_AUTOLINK_STAGE1 * sizeof(uint16_t));
    cp += GLOSSARY_AUTOLINK_STAGE1 * sizeof(uint16_t);
    memcpy(cp, blk, blocks * GLOSSARY_AUTOLINK_CP_BLOCK * sizeof(uint16_t));
    cp += blocks * GLOSSARY_AUTOLINK_CP_BLOCK * sizeof(uint16_t);
    memcpy(cp, b->folds, (size_t) b->fold_count * GLOSSARY_AUTOLINK_FOLD_SIZE);

    free(stage1);
    free(blk);

    sl = (glossary_autolink_slot_t *) (img + total
                                       - (size_t) slots * sizeof(*sl));

    for (t = 0; t < slots; t++) {
        sl[t].base = b->check[t] == GLOSSARY_AUTOLINK_FREE ? 0 : b->base[t];
        sl[t].check = b->check[t];
    }

    glossary_autolink_make_filter(lab, sl, b->max_label - 1, lab + 256);

    b->stats.states = b->states + 1;
    b->stats.slots = slots;
    b->stats.blocks = (uint32_t) blocks;
    b->stats.folds = b->fold_count;
    b->stats.size = total;

    if (stats != NULL) {
        *stats = b->stats;
    }

    *image = img;
    *size = total;

    return 0;
}
