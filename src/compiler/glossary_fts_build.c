/*
 * The FTS image writer (layout: src/blob/glossary_fts.h; ranking:
 * src/blob/SEARCH.md).
 *
 * One pass over the documents, in id order: each document's text is
 * stored, cut into words, each word mapped to its stem's posting list
 * through two hash tables (words, stems), and one posting per distinct
 * stem appended to that list with the word's positions and its counts per
 * field.  Postings therefore arrive in document order.  At the end the
 * impacts are computed (they need every list's document frequency), each
 * list is cut into its two layers and encoded, and the dictionary, the
 * exact-name table and the prefix answers are derived.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glossary_fold.h"
#include "glossary_fts.h"
#include "glossary_fts_build.h"


/* ranking constants: SEARCH.md, "Ranking" */
static const double  glossary_fts_weight[GLOSSARY_FTS_FIELDS] = {
    20.0, 14.0, 8.0, 5.0, 2.0, 1.0
};

static const double  glossary_fts_b[GLOSSARY_FTS_FIELDS] = {
    0.5, 0.5, 0.5, 0.75, 0.75, 0.75
};

#define GLOSSARY_FTS_K1          1.2
#define GLOSSARY_FTS_FIRST_BONUS 1.25     /* the name's first word */
#define GLOSSARY_FTS_RANGE       5000.0   /* impact codes: smax / smin */
#define GLOSSARY_FTS_LN2         0.69314718055994530942


typedef struct {
    unsigned char  *p;
    size_t          len;
    size_t          cap;
} fb_buf_t;

/* one posting while building: 16 bytes */
typedef struct {
    uint32_t        doc;
    uint32_t        poslen;         /* bytes of its positions in pos */
    uint8_t         tf[GLOSSARY_FTS_FIELDS];
    uint8_t         first;          /* occurs as the name's first word */
    uint8_t         code;           /* impact code, at the end */
} fb_post_t;

#define FB_IMPACT_MASK  ((1u << GLOSSARY_FTS_TIER_SHIFT) - 1)


/* the tier of the best field of a mask: name 6 ... explanation 1 */
static inline uint32_t
fb_tier(uint32_t m)
{
    return m ? GLOSSARY_FTS_FIELDS - (uint32_t) __builtin_ctz(m) : 0;
}


/* the fields a posting occurs in, a bit each */
static inline uint8_t
fb_fields(const fb_post_t *p)
{
    uint32_t  f;
    uint8_t   m;

    m = 0;

    for (f = 0; f < GLOSSARY_FTS_FIELDS; f++) {
        m |= (uint8_t) ((p->tf[f] != 0) << f);
    }

    return m;
}

typedef struct {
    fb_post_t      *post;
    uint32_t        n;
    uint32_t        cap;
    fb_buf_t        pos;
    uint32_t        stem_off;       /* the stem, in the key arena */
    uint32_t        stem_len;
    uint32_t        count0;
} fb_list_t;

typedef struct {
    uint32_t        off;            /* in the key arena */
    uint32_t        len;
    uint32_t        list;
} fb_word_t;

typedef struct {
    uint32_t        hash;
    uint32_t        id;             /* index + 1; 0 empty */
} fb_slot_t;

typedef struct {
    fb_slot_t      *slot;
    size_t          mask;
    size_t          n;
} fb_table_t;

typedef struct {
    uint32_t        off;
    uint32_t        len;
    uint32_t        surface;        /* list + 1, or 0 */
    uint32_t        stem;
} fb_key_t;

typedef struct {
    fb_buf_t              arena;
    fb_word_t            *words;
    uint32_t              nwords;
    uint32_t              capwords;
    fb_list_t            *lists;
    uint32_t              nlists;
    uint32_t              caplists;
    fb_table_t            surface;
    fb_table_t            stems;
    fb_buf_t              text;         /* the image, TEXT so far */
    size_t                text_base;
    uint64_t              text_total;   /* NO_TEXT: the texts' bytes */
    unsigned              no_text:1;
    glossary_fts_doc_t   *docs;
    uint32_t              ndocs;
    fb_buf_t              cps;          /* uint32_t checkpoints */
    glossary_fts_name_t  *names;
    size_t                nnames;
    size_t                capnames;
    /* one document's words */
    uint32_t             *stamp;        /* per list: document + 1, slot */
    uint32_t             *tok;          /* slot of each position */
    uint32_t             *slot_list;
    uint32_t             *slot_count;
    uint32_t             *slot_start;
    uint32_t             *spos;
    uint32_t              captok;
    uint32_t              capslots;
    double                len_sum[GLOSSARY_FTS_FIELDS];
    uint32_t              len_docs[GLOSSARY_FTS_FIELDS];
    uint32_t              impacts[256];
    /* the image's parts */
    fb_buf_t              part[GLOSSARY_FTS_PARTS];
    uint32_t              nkeys;
    uint32_t              nwalk;
    uint32_t              nprefixes;
    glossary_fts_image_t *img;
} fb_t;


static int fb_fail(fb_t *b, const char *msg);
static int fb_grow(fb_t *b, fb_buf_t *buf, size_t len);
static double fb_ln(double x);
static double fb_exp(double x);
static int fb_table_grow(fb_t *b, fb_table_t *t);
static int fb_intern(fb_t *b, fb_table_t *t, const unsigned char *w,
    size_t len, uint32_t *id, int *fresh);
static int fb_word(fb_t *b, const unsigned char *w, size_t len,
    uint32_t *list);
static int fb_doc(fb_t *b, uint32_t id, const glossary_fts_input_t *in);
static int fb_doc_text(fb_t *b, const glossary_fts_input_t *in,
    uint32_t *ends);
static int fb_doc_words(fb_t *b, uint32_t id, glossary_fts_doc_t *d);
static int fb_name(fb_t *b, uint32_t id, uint32_t kind,
    const glossary_fts_str_t *s);
static int fb_impacts(fb_t *b);
static int fb_lists(fb_t *b);
static int fb_layer(fb_t *b, fb_list_t *l, int layer, uint32_t *blocks,
    uint8_t *max);
static int fb_dict(fb_t *b, fb_key_t **keys);
static int fb_walk(fb_t *b, const fb_key_t *keys, uint32_t nkeys);
static int fb_prefixes(fb_t *b, const fb_key_t *keys, uint32_t nkeys);
static int fb_image(fb_t *b);
static int fb_key_cmp(const void *a, const void *b);
static int fb_name_cmp(const void *a, const void *b);
static void fb_free(fb_t *b);

static const unsigned char  *fb_sort_arena;


static int
fb_fail(fb_t *b, const char *msg)
{
    snprintf(b->img->error, sizeof(b->img->error), "%s", msg);
    return -1;
}


static int
fb_grow(fb_t *b, fb_buf_t *buf, size_t len)
{
    size_t          cap;
    unsigned char  *n;

    /* no realloc while it fits: a sanitizer's realloc copies every time */
    if (buf->p != NULL && buf->cap - buf->len >= len) {
        return 0;
    }

    cap = buf->cap ? buf->cap : 256;

    while (cap - buf->len < len) {
        cap *= 2;
    }

    n = realloc(buf->p, cap);
    if (n == NULL) {
        return fb_fail(b, "out of memory");
    }

    buf->p = n;
    buf->cap = cap;

    return 0;
}


static inline int
fb_put(fb_t *b, fb_buf_t *buf, const void *p, size_t len)
{
    if (buf->cap - buf->len < len && fb_grow(b, buf, len) != 0) {
        return -1;
    }

    if (len) {
        memcpy(buf->p + buf->len, p, len);
    }

    buf->len += len;

    return 0;
}


static inline int
fb_varint(fb_t *b, fb_buf_t *buf, uint32_t v)
{
    unsigned char  *p;

    if (buf->cap - buf->len < 5 && fb_grow(b, buf, 5) != 0) {
        return -1;
    }

    p = buf->p + buf->len;

    while (v >= 0x80) {
        *p++ = (unsigned char) (v | 0x80);
        v >>= 7;
    }

    *p++ = (unsigned char) v;
    buf->len = p - buf->p;

    return 0;
}


/* natural logarithm and exponential without libm; x > 0 */

static double
fb_ln(double x)
{
    int       e, k;
    double    m, t, t2, s, term;
    uint64_t  bits;

    memcpy(&bits, &x, sizeof(bits));
    e = (int) ((bits >> 52) & 0x7ff) - 1023;
    bits = (bits & 0x000fffffffffffffull) | 0x3ff0000000000000ull;
    memcpy(&m, &bits, sizeof(m));

    if (m > 1.4142135623730951) {
        m /= 2;
        e++;
    }

    t = (m - 1) / (m + 1);
    t2 = t * t;
    term = t;
    s = 0;

    for (k = 1; k < 41; k += 2) {
        s += term / k;
        term *= t2;
    }

    return 2 * s + e * GLOSSARY_FTS_LN2;
}


static double
fb_exp(double x)
{
    int     k, i;
    double  r, s, term;

    k = (int) (x / GLOSSARY_FTS_LN2 + (x >= 0 ? 0.5 : -0.5));
    r = x - k * GLOSSARY_FTS_LN2;
    s = 1;
    term = 1;

    for (i = 1; i < 30; i++) {
        term *= r / i;
        s += term;
    }

    for (; k > 0; k--) {
        s *= 2;
    }

    for (; k < 0; k++) {
        s /= 2;
    }

    return s;
}


/*
 * Words in the tables are zero-padded to whole 8-byte units (the arena
 * keeps them so, and so do the callers' buffers): hashed and compared 8
 * bytes at a time.  The tables never leave this process.
 */

static inline uint64_t
fb_hash(const unsigned char *w, size_t len)
{
    size_t    i;
    uint64_t  h, x;

    h = 0x9e3779b97f4a7c15ull ^ len;

    for (i = 0; i < len; i += 8) {
        memcpy(&x, w + i, 8);
        h = (h ^ x) * 0xbf58476d1ce4e5b9ull;
        h ^= h >> 29;
    }

    h *= 0x94d049bb133111ebull;

    return h ^ (h >> 32);
}


static inline int
fb_same(const unsigned char *a, const unsigned char *b, size_t len)
{
    size_t    i;
    uint64_t  x, y;

    for (i = 0; i < len; i += 8) {
        memcpy(&x, a + i, 8);
        memcpy(&y, b + i, 8);

        if (x != y) {
            return 0;
        }
    }

    return 1;
}


/* a padded copy of a word in the arena: its offset */

static int
fb_keep(fb_t *b, const unsigned char *w, size_t len, uint32_t *off)
{
    size_t         pad;
    static const unsigned char  zero[8];

    pad = (8 - len % 8) % 8;

    if (b->arena.len + len + pad > 0xffffffffu) {
        return fb_fail(b, "too many distinct words");
    }

    *off = (uint32_t) b->arena.len;

    return fb_put(b, &b->arena, w, len) || fb_put(b, &b->arena, zero, pad)
           ? -1 : 0;
}


static int
fb_table_grow(fb_t *b, fb_table_t *t)
{
    size_t      i, j, size;
    fb_slot_t  *slot;

    size = t->mask ? (t->mask + 1) * 2 : 1024;

    slot = calloc(size, sizeof(fb_slot_t));
    if (slot == NULL) {
        return fb_fail(b, "out of memory");
    }

    for (i = 0; t->mask && i <= t->mask; i++) {
        if (t->slot[i].id == 0) {
            continue;
        }

        for (j = t->slot[i].hash & (size - 1); slot[j].id;
             j = (j + 1) & (size - 1))
        {
            /* void */
        }

        slot[j] = t->slot[i];
    }

    free(t->slot);
    t->slot = slot;
    t->mask = size - 1;

    return 0;
}


/*
 * the id of a word or stem in table t (words' and lists' keys both live in
 * the arena); *fresh says that it was added, as id t->n - 1
 */

static int
fb_intern(fb_t *b, fb_table_t *t, const unsigned char *w, size_t len,
    uint32_t *id, int *fresh)
{
    size_t    i;
    uint32_t  k, off, klen, h;

    if (t->n * 2 >= t->mask && fb_table_grow(b, t) != 0) {
        return -1;
    }

    h = (uint32_t) fb_hash(w, len);

    for (i = h & t->mask; t->slot[i].id; i = (i + 1) & t->mask) {
        if (t->slot[i].hash != h) {
            continue;
        }

        k = t->slot[i].id - 1;

        if (t == &b->surface) {
            off = b->words[k].off;
            klen = b->words[k].len;

        } else {
            off = b->lists[k].stem_off;
            klen = b->lists[k].stem_len;
        }

        if (klen == len && fb_same(b->arena.p + off, w, len)) {
            *id = k;
            *fresh = 0;
            return 0;
        }
    }

    if (t->n >= 0xfffffff0u) {
        return fb_fail(b, "too many distinct words");
    }

    t->slot[i].hash = h;
    t->slot[i].id = (uint32_t) ++t->n;
    *id = (uint32_t) (t->n - 1);
    *fresh = 1;

    return 0;
}


/* the posting list of a folded word, adding the word and its stem */

static int
fb_word(fb_t *b, const unsigned char *w, size_t len, uint32_t *list)
{
    int            fresh;
    size_t         slen;
    uint32_t       id, l, off;
    void          *n;
    unsigned char  stem[GLOSSARY_FTS_MAX_WORD + 8];

    if (fb_intern(b, &b->surface, w, len, &id, &fresh) != 0) {
        return -1;
    }

    if (!fresh) {
        *list = b->words[id].list;
        return 0;
    }

    if (b->nwords == b->capwords) {
        b->capwords = b->capwords ? b->capwords * 2 : 1024;
        n = realloc(b->words, b->capwords * sizeof(fb_word_t));
        if (n == NULL) {
            return fb_fail(b, "out of memory");
        }

        b->words = n;
    }

    if (fb_keep(b, w, len, &off) != 0) {
        return -1;
    }

    b->words[id].off = off;
    b->words[id].len = (uint32_t) len;
    b->nwords++;

    memcpy(stem, w, len);
    slen = glossary_fts_stem(stem, len);
    memset(stem + slen, 0, len - slen + 8);

    if (fb_intern(b, &b->stems, stem, slen, &l, &fresh) != 0) {
        return -1;
    }

    if (fresh) {
        if (b->nlists == b->caplists) {
            b->caplists = b->caplists ? b->caplists * 2 : 1024;
            n = realloc(b->lists, b->caplists * sizeof(fb_list_t));
            if (n == NULL) {
                return fb_fail(b, "out of memory");
            }

            b->lists = n;
            n = realloc(b->stamp, b->caplists * 2 * sizeof(uint32_t));
            if (n == NULL) {
                return fb_fail(b, "out of memory");
            }

            b->stamp = n;
        }

        memset(&b->lists[l], 0, sizeof(fb_list_t));
        b->stamp[2 * l] = 0;

        if (slen == len && memcmp(stem, w, len) == 0) {
            b->lists[l].stem_off = off;

        } else if (fb_keep(b, stem, slen, &b->lists[l].stem_off) != 0) {
            return -1;
        }

        b->lists[l].stem_len = (uint32_t) slen;
        b->nlists++;
    }

    b->words[id].list = l;
    *list = l;

    return 0;
}


int
glossary_fts_build(const glossary_fts_input_t *docs, uint32_t n,
    glossary_fts_image_t *img)
{
    return glossary_fts_build_flags(docs, n, 0, img);
}


int
glossary_fts_build_flags(const glossary_fts_input_t *docs, uint32_t n,
    unsigned flags, glossary_fts_image_t *img)
{
    fb_t       b;
    int        rc;
    uint32_t   i;
    fb_key_t  *keys;

    memset(img, 0, sizeof(*img));
    memset(&b, 0, sizeof(b));
    b.img = img;
    b.no_text = (flags & GLOSSARY_FTS_BUILD_NO_TEXT) ? 1 : 0;
    keys = NULL;

    if (n > GLOSSARY_FTS_MAX_DOCS) {
        return fb_fail(&b, "too many documents");
    }

    b.docs = calloc(n ? n : 1, sizeof(glossary_fts_doc_t));
    if (b.docs == NULL) {
        return fb_fail(&b, "out of memory");
    }

    b.ndocs = n;
    rc = 0;

    /* TEXT is the first part: it is written where the image will have it */
    b.text_base = (GLOSSARY_FTS_HEADER_SIZE
                   + GLOSSARY_FTS_PARTS * sizeof(glossary_fts_part_t) + 7)
                  & ~(size_t) 7;

    if (fb_grow(&b, &b.text, b.text_base) != 0) {
        fb_free(&b);
        return -1;
    }

    memset(b.text.p, 0, b.text_base);
    b.text.len = b.text_base;

    for (i = 0; i < n && rc == 0; i++) {
        rc = fb_doc(&b, i, &docs[i]);
    }

    if (rc == 0) {
        rc = fb_impacts(&b);
    }

    if (rc == 0) {
        rc = fb_lists(&b);
    }

    if (rc == 0) {
        rc = fb_dict(&b, &keys);
    }

    if (rc == 0) {
        rc = fb_walk(&b, keys, b.nkeys);
    }

    if (rc == 0) {
        rc = fb_prefixes(&b, keys, b.nkeys);
    }

    if (rc == 0) {
        rc = fb_image(&b);
    }

    free(keys);
    fb_free(&b);

    return rc;
}


void
glossary_fts_image_free(glossary_fts_image_t *img)
{
    free(img->data);
    img->data = NULL;
    img->size = 0;
}


static void
fb_free(fb_t *b)
{
    uint32_t  i;

    for (i = 0; i < b->nlists; i++) {
        free(b->lists[i].post);
        free(b->lists[i].pos.p);
    }

    for (i = 0; i < GLOSSARY_FTS_PARTS; i++) {
        free(b->part[i].p);
    }

    free(b->lists);
    free(b->words);
    free(b->arena.p);
    free(b->surface.slot);
    free(b->stems.slot);
    free(b->stamp);
    free(b->text.p);
    free(b->docs);
    free(b->cps.p);
    free(b->names);
    free(b->tok);
    free(b->slot_list);
    free(b->slot_count);
    free(b->slot_start);
    free(b->spos);
}


/*
 * The document's text: fields in order, "\n" between them, the strings of
 * a field of many (aliases, FAQ) "\n" between them too.  Writes it to out
 * unless NULL, the end of each field to ends unless NULL; returns its
 * length.  The image's TEXT (or the blob's copy of it) is these texts one
 * after the other.
 */

size_t
glossary_fts_doc_text(const glossary_fts_input_t *in, unsigned char *out,
    uint32_t *ends)
{
    size_t                     len;
    uint32_t                   f, i, k;
    const glossary_fts_str_t  *one, *many;

    len = 0;

    for (f = 0; f < GLOSSARY_FTS_FIELDS; f++) {
        if (f) {
            if (out != NULL) {
                out[len] = '\n';
            }

            len++;
        }

        one = NULL;
        many = NULL;
        k = 0;

        switch (f) {
        case GLOSSARY_FTS_FIELD_NAME:
            one = &in->name;
            break;
        case GLOSSARY_FTS_FIELD_ALIAS:
            many = in->aliases;
            k = in->naliases;
            break;
        case GLOSSARY_FTS_FIELD_SLUG:
            one = &in->slug;
            break;
        case GLOSSARY_FTS_FIELD_SHORT:
            one = &in->short_definition;
            break;
        case GLOSSARY_FTS_FIELD_FAQ:
            many = in->faq;
            k = in->nfaq;
            break;
        default:
            one = &in->explanation;
            break;
        }

        if (one != NULL) {
            if (out != NULL && one->len) {
                memcpy(out + len, one->data, one->len);
            }

            len += one->len;
        }

        for (i = 0; i < k; i++) {
            if (i) {
                if (out != NULL) {
                    out[len] = '\n';
                }

                len++;
            }

            if (out != NULL && many[i].len) {
                memcpy(out + len, many[i].data, many[i].len);
            }

            len += many[i].len;
        }

        if (ends != NULL) {
            ends[f] = (uint32_t) len;
        }
    }

    return len;
}


static int
fb_doc_text(fb_t *b, const glossary_fts_input_t *in, uint32_t *ends)
{
    size_t    len;
    uint32_t  i;

    len = glossary_fts_doc_text(in, NULL, NULL);

    if (len > 0xfffffff0u) {
        return fb_fail(b, "a document's text is over 4 GB");
    }

    if (fb_grow(b, &b->text, len) != 0) {
        return -1;
    }

    (void) glossary_fts_doc_text(in, b->text.p + b->text.len, ends);
    b->text.len += len;
    b->text_total += len;

    /* the searchable text: the fields without the separators */
    b->img->text_bytes += in->name.len + in->slug.len
                          + in->short_definition.len + in->explanation.len;

    for (i = 0; i < in->naliases; i++) {
        b->img->text_bytes += in->aliases[i].len;
    }

    for (i = 0; i < in->nfaq; i++) {
        b->img->text_bytes += in->faq[i].len;
    }

    return 0;
}


static int
fb_doc(fb_t *b, uint32_t id, const glossary_fts_input_t *in)
{
    uint32_t             i;
    glossary_fts_doc_t  *d;

    d = &b->docs[id];
    d->category = in->category;

    if (b->no_text) {
        /* one document's text at a time, where TEXT would start */
        b->text.len = b->text_base;
        d->text_off = b->text_total;

    } else {
        d->text_off = b->text.len - b->text_base;
    }

    if (fb_doc_text(b, in, d->text_end) != 0
        || fb_doc_words(b, id, d) != 0
        || fb_name(b, id, GLOSSARY_FTS_NAME_NAME, &in->name) != 0
        || fb_name(b, id, GLOSSARY_FTS_NAME_SLUG, &in->slug) != 0)
    {
        return -1;
    }

    for (i = 0; i < in->naliases; i++) {
        if (fb_name(b, id, GLOSSARY_FTS_NAME_ALIAS, &in->aliases[i]) != 0) {
            return -1;
        }
    }

    return 0;
}


static int
fb_doc_words(fb_t *b, uint32_t id, glossary_fts_doc_t *d)
{
    size_t                from, to, len, start;
    uint32_t              f, pos, list, nslots, s, k, p, last, tf, cp;
    uint32_t              tfs[GLOSSARY_FTS_FIELDS];
    void                 *n;
    fb_list_t            *l;
    fb_post_t            *post;
    unsigned char         w[GLOSSARY_FTS_MAX_WORD + 8];
    glossary_fts_words_t  words;
    size_t                before;

    pos = 0;
    nslots = 0;
    list = 0;

    for (f = 0; f < GLOSSARY_FTS_FIELDS; f++) {
        start = f ? d->text_end[f - 1] + 1 : 0;
        d->pos[f] = pos;

        glossary_fts_words_init(&words,
                                b->text.p + b->text_base
                                + (b->no_text ? 0 : d->text_off) + start,
                                d->text_end[f] - start);

        while ((len = glossary_fts_next_word(&words, w, &from, &to)) != 0) {
            memset(w + len, 0, 8);

            if (pos >= GLOSSARY_FTS_MAX_DOC_WORDS) {
                return fb_fail(b, "a document has too many words");
            }

            if (pos % GLOSSARY_FTS_CHECKPOINT == 0) {
                cp = (uint32_t) (start + from);

                if (fb_put(b, &b->cps, &cp, sizeof(cp)) != 0) {
                    return -1;
                }
            }

            if (fb_word(b, w, len, &list) != 0) {
                return -1;
            }

            if (pos >= b->captok) {
                b->captok = b->captok ? b->captok * 2 : 4096;
                n = realloc(b->tok, b->captok * sizeof(uint32_t));
                if (n == NULL) {
                    return fb_fail(b, "out of memory");
                }

                b->tok = n;
                n = realloc(b->spos, b->captok * sizeof(uint32_t));
                if (n == NULL) {
                    return fb_fail(b, "out of memory");
                }

                b->spos = n;
            }

            if (b->stamp[2 * list] != id + 1) {
                if (nslots >= b->capslots) {
                    b->capslots = b->capslots ? b->capslots * 2 : 1024;

                    if ((n = realloc(b->slot_list,
                                     b->capslots * sizeof(uint32_t))) == NULL)
                    {
                        return fb_fail(b, "out of memory");
                    }

                    b->slot_list = n;

                    if ((n = realloc(b->slot_count,
                                     b->capslots * sizeof(uint32_t))) == NULL)
                    {
                        return fb_fail(b, "out of memory");
                    }

                    b->slot_count = n;

                    if ((n = realloc(b->slot_start,
                                     b->capslots * sizeof(uint32_t))) == NULL)
                    {
                        return fb_fail(b, "out of memory");
                    }

                    b->slot_start = n;
                }

                b->stamp[2 * list] = id + 1;
                b->stamp[2 * list + 1] = nslots;
                b->slot_list[nslots] = list;
                b->slot_count[nslots] = 0;
                nslots++;
            }

            s = b->stamp[2 * list + 1];
            b->tok[pos] = s;
            b->slot_count[s]++;
            pos++;
        }

        b->len_sum[f] += pos - d->pos[f];
        b->len_docs[f] += pos > d->pos[f];
    }

    d->words = pos;
    d->cp_first = (uint32_t) (b->cps.len / sizeof(uint32_t))
                  - (pos + GLOSSARY_FTS_CHECKPOINT - 1)
                    / GLOSSARY_FTS_CHECKPOINT;

    /* positions grouped by slot, ascending in each */

    k = 0;

    for (s = 0; s < nslots; s++) {
        b->slot_start[s] = k;
        k += b->slot_count[s];
    }

    for (p = 0; p < pos; p++) {
        b->spos[b->slot_start[b->tok[p]]++] = p;
    }

    k = 0;

    for (s = 0; s < nslots; s++) {
        l = &b->lists[b->slot_list[s]];

        if (l->n == l->cap) {
            l->cap = l->cap ? l->cap * 2 : 4;
            n = realloc(l->post, l->cap * sizeof(fb_post_t));
            if (n == NULL) {
                return fb_fail(b, "out of memory");
            }

            l->post = n;
        }

        post = &l->post[l->n++];
        post->doc = id;
        post->first = b->spos[k] == 0 && d->pos[1] > 0;
        post->code = 0;
        memset(tfs, 0, sizeof(tfs));

        before = l->pos.len;

        if (fb_varint(b, &l->pos, b->slot_count[s]) != 0) {
            return -1;
        }

        f = 0;
        last = 0;

        for (p = 0; p < b->slot_count[s]; p++) {
            while (f + 1 < GLOSSARY_FTS_FIELDS && b->spos[k] >= d->pos[f + 1])
            {
                f++;
            }

            tfs[f]++;

            if (fb_varint(b, &l->pos, p ? b->spos[k] - last - 1 : b->spos[k])
                != 0)
            {
                return -1;
            }

            last = b->spos[k];
            k++;
        }

        if (l->pos.len - before > 0xffffffffu) {
            return fb_fail(b, "a word occurs too often in a document");
        }

        post->poslen = (uint32_t) (l->pos.len - before);

        for (f = 0; f < GLOSSARY_FTS_FIELDS; f++) {
            tf = tfs[f];
            post->tf[f] = (uint8_t) (tf > 255 ? 255 : tf);
        }
    }

    return 0;
}


/* the name, slug or alias folded as the query is: words joined by " " */

static int
fb_name(fb_t *b, uint32_t id, uint32_t kind, const glossary_fts_str_t *s)
{
    size_t                from, to, len, n;
    void                 *p;
    unsigned char         w[GLOSSARY_FTS_MAX_WORD];
    unsigned char         key[GLOSSARY_FTS_MAX_QUERY];
    glossary_fts_words_t  words;

    glossary_fts_words_init(&words, s->data, s->len);
    n = 0;

    while ((len = glossary_fts_next_word(&words, w, &from, &to)) != 0) {
        if (n + len + 1 > sizeof(key)) {
            return 0;       /* longer than any query can be */
        }

        if (n) {
            key[n++] = ' ';
        }

        memcpy(key + n, w, len);
        n += len;
    }

    if (n == 0) {
        return 0;
    }

    if (b->nnames == b->capnames) {
        b->capnames = b->capnames ? b->capnames * 2 : 1024;
        p = realloc(b->names, b->capnames * sizeof(glossary_fts_name_t));
        if (p == NULL) {
            return fb_fail(b, "out of memory");
        }

        b->names = p;
    }

    b->names[b->nnames].hash = glossary_fts_name_hash(key, n);
    b->names[b->nnames].doc = id;
    b->names[b->nnames].kind = kind;
    b->nnames++;

    return 0;
}


/*
 * BM25F-like score of every posting, then its impact code: codes 1 to 255
 * are logarithmic from smax / GLOSSARY_FTS_RANGE to smax.
 */

static int
fb_impacts(fb_t *b)
{
    int                        pass;
    double                     avg[GLOSSARY_FTS_FIELDS], idf, s, sf, smax;
    double                     lnr, len, bound[256];
    uint32_t                   i, j, f, code, lo, hi;
    fb_list_t                 *l;
    fb_post_t                 *p;
    const glossary_fts_doc_t  *d;

    for (f = 0; f < GLOSSARY_FTS_FIELDS; f++) {
        avg[f] = b->len_docs[f] ? b->len_sum[f] / b->len_docs[f] : 1;
    }

    smax = 0;
    lnr = fb_ln(GLOSSARY_FTS_RANGE);

    for (pass = 0; pass < 2; pass++) {
        for (i = 0; i < b->nlists; i++) {
            l = &b->lists[i];
            idf = fb_ln(1 + (b->ndocs - l->n + 0.5) / (l->n + 0.5));

            for (j = 0; j < l->n; j++) {
                p = &l->post[j];
                d = &b->docs[p->doc];
                s = 0;

                for (f = 0; f < GLOSSARY_FTS_FIELDS; f++) {
                    if (p->tf[f] == 0) {
                        continue;
                    }

                    len = (f + 1 < GLOSSARY_FTS_FIELDS ? d->pos[f + 1]
                                                       : d->words)
                          - d->pos[f];

                    sf = p->tf[f] * (GLOSSARY_FTS_K1 + 1)
                         / (p->tf[f] + GLOSSARY_FTS_K1
                            * (1 - glossary_fts_b[f]
                               + glossary_fts_b[f] * len / avg[f]));

                    if (f == GLOSSARY_FTS_FIELD_NAME && p->first) {
                        sf *= GLOSSARY_FTS_FIRST_BONUS;
                    }

                    s += glossary_fts_weight[f] * sf;
                }

                s *= idf;

                if (pass == 0) {
                    smax = s > smax ? s : smax;
                    continue;
                }

                /* the code whose bounds hold s: a binary search */
                lo = 1;
                hi = 255;

                while (lo < hi) {
                    code = (lo + hi + 1) / 2;

                    if (s >= bound[code]) {
                        lo = code;

                    } else {
                        hi = code - 1;
                    }
                }

                p->code = (uint8_t) lo;
            }
        }

        if (smax <= 0) {
            smax = 1;
        }

        /* code c (2 to 255) holds scores from bound[c]: rounding of 254 ln */
        for (code = 2; code < 256; code++) {
            bound[code] = smax * fb_exp(lnr * ((code - 1.5) / 254.0 - 1));
        }
    }

    b->impacts[0] = 0;

    for (i = 1; i < 256; i++) {
        b->impacts[i] = (uint32_t) (fb_exp(lnr * ((i - 1) / 254.0 - 1))
                                    * (1u << 20) + 0.5);
        if (b->impacts[i] == 0) {
            b->impacts[i] = 1;
        }
    }

    return 0;
}


#define fb_layer_of(p)  ((p)->tf[0] + (p)->tf[1] + (p)->tf[2] == 0)


static int
fb_lists(fb_t *b)
{
    uint32_t             i, j;
    fb_list_t           *l;
    glossary_fts_list_t  rec;

    for (i = 0; i < b->nlists; i++) {
        l = &b->lists[i];
        memset(&rec, 0, sizeof(rec));

        for (j = 0; j < l->n; j++) {
            l->count0 += fb_layer_of(&l->post[j]) == 0;
        }

        rec.df = l->n;
        rec.count0 = l->count0;
        rec.skip_first = (uint32_t) (b->part[GLOSSARY_FTS_PART_SKIPS].len
                                     / sizeof(glossary_fts_skip_t));

        for (j = 0; j < l->n; j++) {
            if (fb_layer_of(&l->post[j]) == 0) {
                rec.fields0 |= fb_fields(&l->post[j]);

            } else {
                rec.fields1 |= fb_fields(&l->post[j]);
            }
        }

        if (fb_layer(b, l, 0, &rec.blocks0, &rec.max0) != 0
            || fb_layer(b, l, 1, &rec.blocks1, &rec.max1) != 0
            || fb_put(b, &b->part[GLOSSARY_FTS_PART_LISTS], &rec,
                      sizeof(rec)) != 0)
        {
            return -1;
        }

        b->img->postings += l->n;
    }

    b->img->lists = b->nlists;

    return 0;
}


/* one layer of a list: its blocks into SKIPS, POSTINGS and POSITIONS */

static int
fb_layer(fb_t *b, fb_list_t *l, int layer, uint32_t *blocks, uint8_t *max)
{
    int64_t               prev;
    uint8_t               m;
    uint32_t              j, k, n, idx[GLOSSARY_FTS_BLOCK];
    uint32_t              gaps[GLOSSARY_FTS_BLOCK], width, bit, at, packed;
    uint64_t              off, offs[GLOSSARY_FTS_BLOCK];
    fb_buf_t             *post, *pos;
    fb_post_t            *p;
    glossary_fts_skip_t   skip;

    post = &b->part[GLOSSARY_FTS_PART_POSTINGS];
    pos = &b->part[GLOSSARY_FTS_PART_POSITIONS];

    *blocks = 0;
    *max = 0;
    prev = -1;
    off = 0;
    n = 0;

    for (j = 0; j <= l->n; j++) {
        if (j < l->n) {
            p = &l->post[j];

            if (fb_layer_of(p) == layer) {
                idx[n] = j;
                offs[n] = off;
                n++;
            }

            off += p->poslen;

            if (n < GLOSSARY_FTS_BLOCK) {
                continue;
            }
        }

        if (n == 0) {
            continue;
        }

        memset(&skip, 0, sizeof(skip));
        skip.count = (uint8_t) (n == GLOSSARY_FTS_BLOCK ? 128 : n);
        skip.post_off = post->len;
        skip.pos_off = pos->len;

        /* the gaps, bit-packed at the width of the largest */

        width = 0;

        for (k = 0; k < n; k++) {
            p = &l->post[idx[k]];
            gaps[k] = (uint32_t) (p->doc - prev - 1);
            prev = p->doc;

            while (width < 32 && (gaps[k] >> width)) {
                width++;
            }
        }

        packed = (n * width + 7) / 8;

        if (fb_grow(b, post, packed + 4) != 0) {
            return -1;
        }

        post->p[post->len++] = (unsigned char) width;
        memset(post->p + post->len, 0, packed + 3);

        for (k = 0; k < n; k++) {
            for (bit = 0; bit < width; bit++) {
                if ((gaps[k] >> bit) & 1) {
                    at = k * width + bit;
                    post->p[post->len + at / 8] |= (unsigned char)
                                                    (1u << (at % 8));
                }
            }
        }

        post->len += packed + 3;

        for (k = 0; k < n; k++) {
            p = &l->post[idx[k]];
            skip.max = p->code > skip.max ? p->code : skip.max;

            if (fb_put(b, post, &p->code, 1) != 0
                || fb_put(b, pos, l->pos.p + offs[k], p->poslen) != 0)
            {
                return -1;
            }

            b->img->positions += p->poslen;
        }

        for (k = 0; k < n; k++) {
            m = fb_fields(&l->post[idx[k]]);

            if (fb_put(b, post, &m, 1) != 0) {
                return -1;
            }
        }

        skip.last_doc = (uint32_t) prev;
        *max = skip.max > *max ? skip.max : *max;
        (*blocks)++;
        n = 0;

        if (fb_put(b, &b->part[GLOSSARY_FTS_PART_SKIPS], &skip, sizeof(skip))
            != 0)
        {
            return -1;
        }
    }

    return 0;
}


static int
fb_key_cmp(const void *a, const void *b)
{
    int              c;
    const fb_key_t  *x, *y;

    x = a;
    y = b;
    c = memcmp(fb_sort_arena + x->off, fb_sort_arena + y->off,
               x->len < y->len ? x->len : y->len);

    if (c) {
        return c;
    }

    return x->len < y->len ? -1 : x->len > y->len;
}


/* every word and every stem, sorted and merged, front-coded */

static int
fb_dict(fb_t *b, fb_key_t **keys)
{
    uint32_t   i, j, n, shared, off, plen, poff;
    fb_buf_t  *dict, *index;
    fb_key_t  *k;

    n = b->nwords + b->nlists;
    k = malloc((n ? n : 1) * sizeof(fb_key_t));
    if (k == NULL) {
        return fb_fail(b, "out of memory");
    }

    *keys = k;

    for (i = 0; i < b->nwords; i++) {
        k[i].off = b->words[i].off;
        k[i].len = b->words[i].len;
        k[i].surface = b->words[i].list + 1;
        k[i].stem = 0;
    }

    for (i = 0; i < b->nlists; i++) {
        k[b->nwords + i].off = b->lists[i].stem_off;
        k[b->nwords + i].len = b->lists[i].stem_len;
        k[b->nwords + i].surface = 0;
        k[b->nwords + i].stem = i + 1;
    }

    fb_sort_arena = b->arena.p;
    qsort(k, n, sizeof(fb_key_t), fb_key_cmp);

    /* a word that is also a stem: one key */

    for (i = 0, j = 0; i < n; i++) {
        if (j && fb_key_cmp(&k[j - 1], &k[i]) == 0) {
            k[j - 1].surface |= k[i].surface;
            k[j - 1].stem |= k[i].stem;
            continue;
        }

        k[j++] = k[i];
    }

    n = j;
    b->nkeys = n;
    b->img->keys = n;

    dict = &b->part[GLOSSARY_FTS_PART_DICT];
    index = &b->part[GLOSSARY_FTS_PART_DICT_INDEX];
    plen = 0;
    poff = 0;

    for (i = 0; i < n; i++) {
        shared = 0;

        if (i % GLOSSARY_FTS_DICT_BLOCK == 0) {
            if (dict->len > 0xffffffffu) {
                return fb_fail(b, "dictionary over 4 GB");
            }

            off = (uint32_t) dict->len;

            if (fb_put(b, index, &off, sizeof(off)) != 0) {
                return -1;
            }

        } else {
            while (shared < plen && shared < k[i].len
                   && b->arena.p[poff + shared] == b->arena.p[k[i].off + shared])
            {
                shared++;
            }
        }

        if (fb_varint(b, dict, shared) != 0
            || fb_varint(b, dict, k[i].len - shared) != 0
            || fb_put(b, dict, b->arena.p + k[i].off + shared,
                      k[i].len - shared) != 0
            || fb_varint(b, dict, k[i].surface) != 0
            || fb_varint(b, dict, k[i].stem) != 0)
        {
            return -1;
        }

        plen = k[i].len;
        poff = k[i].off;
    }

    return 0;
}


static int
fb_walk_cmp(const void *a, const void *b)
{
    const fb_key_t  *x, *y;

    x = a;
    y = b;

    if (x->len != y->len) {
        return x->len < y->len ? -1 : 1;
    }

    return fb_key_cmp(a, b);
}


/* WALK: the words without a digit, by length then bytes, front-coded */

static int
fb_walk(fb_t *b, const fb_key_t *keys, uint32_t nkeys)
{
    uint32_t   i, j, n, k, shared, off, plen, poff;
    uint32_t   lengths[GLOSSARY_FTS_MAX_WORD + 2];
    fb_buf_t  *walk, *index;
    fb_key_t  *w;
    const unsigned char  *p;

    w = malloc((nkeys ? nkeys : 1) * sizeof(fb_key_t));
    if (w == NULL) {
        return fb_fail(b, "out of memory");
    }

    n = 0;

    for (i = 0; i < nkeys; i++) {
        if (keys[i].surface == 0) {
            continue;
        }

        p = b->arena.p + keys[i].off;

        for (j = 0; j < keys[i].len; j++) {
            if (p[j] >= '0' && p[j] <= '9') {
                break;
            }
        }

        if (j == keys[i].len) {
            w[n++] = keys[i];
        }
    }

    fb_sort_arena = b->arena.p;
    qsort(w, n, sizeof(fb_key_t), fb_walk_cmp);

    memset(lengths, 0, sizeof(lengths));
    walk = &b->part[GLOSSARY_FTS_PART_WALK];
    index = &b->part[GLOSSARY_FTS_PART_WALK_INDEX];
    plen = 0;
    poff = 0;

    for (i = 0; i < n; i++) {
        shared = 0;

        for (k = w[i].len + 1; k <= GLOSSARY_FTS_MAX_WORD + 1; k++) {
            lengths[k]++;
        }

        if (i % GLOSSARY_FTS_DICT_BLOCK == 0) {
            off = (uint32_t) walk->len;

            if (fb_put(b, index, &off, sizeof(off)) != 0) {
                free(w);
                return -1;
            }

        } else {
            while (shared < plen && shared < w[i].len
                   && b->arena.p[poff + shared]
                      == b->arena.p[w[i].off + shared])
            {
                shared++;
            }
        }

        if (fb_varint(b, walk, shared) != 0
            || fb_varint(b, walk, w[i].len - shared) != 0
            || fb_put(b, walk, b->arena.p + w[i].off + shared,
                      w[i].len - shared) != 0
            || fb_varint(b, walk, w[i].surface - 1) != 0)
        {
            free(w);
            return -1;
        }

        plen = w[i].len;
        poff = w[i].off;
    }

    free(w);
    b->nwalk = n;

    return fb_put(b, &b->part[GLOSSARY_FTS_PART_WALK_LENGTHS], lengths,
                  sizeof(lengths));
}


/* is a prefix of len bytes at p whole UTF-8 characters */

static int
fb_utf8_whole(const unsigned char *p, uint32_t len)
{
    uint32_t  i, need;

    for (i = 0; i < len; i += need) {
        need = p[i] < 0x80 ? 1 : p[i] < 0xe0 ? 2 : p[i] < 0xf0 ? 3 : 4;
    }

    return i == len;
}


/*
 * PREFIXES: for each prefix of 1 to 3 bytes of the words, the best
 * GLOSSARY_FTS_PREFIX_K documents as the engine ranks a one-word prefix
 * query: the best over the words with that prefix of the impact, three
 * quarters of it for a longer word.  Only layer 0 is read; the answer is
 * complete when no layer-1 posting of those words could change it.
 */

typedef struct {
    glossary_fts_prefix_t  entry;
    uint32_t               first;
} fb_prefix_t;

static int
fb_prefix_cmp(const void *a, const void *b)
{
    int                   c;
    const fb_prefix_t    *x, *y;

    x = a;
    y = b;
    c = memcmp(x->entry.key, y->entry.key,
               x->entry.len < y->entry.len ? x->entry.len : y->entry.len);

    if (c) {
        return c;
    }

    return x->entry.len < y->entry.len ? -1 : x->entry.len > y->entry.len;
}


static int
fb_prefixes(fb_t *b, const fb_key_t *keys, uint32_t nkeys)
{
    int                    rc;
    uint32_t               L, i, g, end, j, k, m, t, ntouched, nsel, ngroup;
    uint32_t               v, maxl1, list, *best, *touched, *stamp, *weight;
    uint32_t              *glists, stampv;
    fb_list_t             *l;
    fb_prefix_t           *pre, *np;
    size_t                 npre, cappre;
    glossary_fts_scored_t  sel[GLOSSARY_FTS_PREFIX_K], cand;
    fb_buf_t              *docs;
    const unsigned char   *kp;

    best = calloc(b->ndocs ? b->ndocs : 1, sizeof(uint32_t));
    touched = malloc((b->ndocs ? b->ndocs : 1) * sizeof(uint32_t));
    stamp = calloc(b->nlists ? b->nlists : 1, sizeof(uint32_t));
    weight = calloc(b->nlists ? b->nlists : 1, sizeof(uint32_t));
    glists = malloc((b->nlists ? b->nlists : 1) * sizeof(uint32_t));
    pre = NULL;
    npre = 0;
    cappre = 0;
    stampv = 0;
    rc = -1;

    if (best == NULL || touched == NULL || stamp == NULL || weight == NULL
        || glists == NULL)
    {
        fb_fail(b, "out of memory");
        goto done;
    }

    docs = &b->part[GLOSSARY_FTS_PART_PREFIX_DOCS];

    for (L = 1; L <= GLOSSARY_FTS_PREFIX_MAX; L++) {
        for (i = 0; i < nkeys; i = end) {
            if (keys[i].len < L) {
                end = i + 1;
                continue;
            }

            kp = b->arena.p + keys[i].off;

            for (end = i + 1; end < nkeys; end++) {
                if (keys[end].len < L
                    || memcmp(b->arena.p + keys[end].off, kp, L) != 0)
                {
                    break;
                }
            }

            if (!fb_utf8_whole(kp, L)) {
                continue;
            }

            /* the group's lists, each with its weight: 4 full, 3 less */

            stampv++;
            ngroup = 0;

            for (g = i; g < end; g++) {
                for (k = 0; k < 2; k++) {
                    list = k ? keys[g].stem : keys[g].surface;

                    if (list == 0 || (k && keys[g].len != L)) {
                        continue;
                    }

                    list--;
                    v = keys[g].len == L ? 4 : 3;

                    if (stamp[list] != stampv) {
                        stamp[list] = stampv;
                        weight[list] = v;
                        glists[ngroup++] = list;

                    } else if (v > weight[list]) {
                        weight[list] = v;
                    }
                }
            }

            ntouched = 0;
            maxl1 = 0;

            for (g = 0; g < ngroup; g++) {
                l = &b->lists[glists[g]];

                for (j = 0; j < l->n; j++) {
                    if (fb_layer_of(&l->post[j]) == 1) {
                        maxl1 = 1;
                        continue;
                    }

                    v = b->impacts[l->post[j].code];
                    v = weight[glists[g]] == 4 ? v : (v * 3) >> 2;
                    t = l->post[j].doc;
                    m = fb_tier(fb_fields(&l->post[j]));

                    if (best[t] == 0) {
                        touched[ntouched++] = t;
                    }

                    /* the best field and the best impact, as the engine */
                    best[t] = (m > best[t] >> GLOSSARY_FTS_TIER_SHIFT
                               ? m : best[t] >> GLOSSARY_FTS_TIER_SHIFT)
                                  << GLOSSARY_FTS_TIER_SHIFT
                              | (v > (best[t] & FB_IMPACT_MASK)
                                 ? v : (best[t] & FB_IMPACT_MASK));
                }
            }

            /* the top K, best first, ties by document id */

            nsel = 0;

            for (j = 0; j < ntouched; j++) {
                cand.doc = touched[j];
                cand.score = best[cand.doc];
                best[cand.doc] = 0;

                if (nsel == GLOSSARY_FTS_PREFIX_K
                    && (cand.score < sel[nsel - 1].score
                        || (cand.score == sel[nsel - 1].score
                            && cand.doc > sel[nsel - 1].doc)))
                {
                    continue;
                }

                m = nsel < GLOSSARY_FTS_PREFIX_K ? nsel++ : nsel - 1;

                while (m > 0
                       && (sel[m - 1].score < cand.score
                           || (sel[m - 1].score == cand.score
                               && sel[m - 1].doc > cand.doc)))
                {
                    sel[m] = sel[m - 1];
                    m--;
                }

                sel[m] = cand;
            }

            if (nsel == 0) {
                continue;
            }

            if (npre == cappre) {
                cappre = cappre ? cappre * 2 : 1024;
                np = realloc(pre, cappre * sizeof(fb_prefix_t));
                if (np == NULL) {
                    fb_fail(b, "out of memory");
                    goto done;
                }

                pre = np;
            }

            memset(&pre[npre], 0, sizeof(fb_prefix_t));
            pre[npre].entry.len = (uint8_t) L;
            memcpy(pre[npre].entry.key, kp, L);
            pre[npre].entry.count = (uint16_t) nsel;
            /* a layer-1 posting has a lower field tier than any layer-0 */
            pre[npre].entry.complete = maxl1 == 0
                                       || nsel == GLOSSARY_FTS_PREFIX_K;
            pre[npre].first = (uint32_t) (docs->len
                                          / sizeof(glossary_fts_scored_t));
            npre++;

            if (fb_put(b, docs, sel, nsel * sizeof(sel[0])) != 0) {
                goto done;
            }
        }
    }

    if (npre) {
        qsort(pre, npre, sizeof(fb_prefix_t), fb_prefix_cmp);
    }

    for (j = 0; j < npre; j++) {
        pre[j].entry.first = pre[j].first;

        if (fb_put(b, &b->part[GLOSSARY_FTS_PART_PREFIXES], &pre[j].entry,
                   sizeof(pre[j].entry)) != 0)
        {
            goto done;
        }
    }

    b->nprefixes = (uint32_t) npre;
    rc = 0;

done:

    free(best);
    free(touched);
    free(stamp);
    free(weight);
    free(glists);
    free(pre);

    return rc;
}


static int
fb_name_cmp(const void *a, const void *b)
{
    const glossary_fts_name_t  *x, *y;

    x = a;
    y = b;

    if (x->hash != y->hash) {
        return x->hash < y->hash ? -1 : 1;
    }

    if (x->kind != y->kind) {
        return x->kind < y->kind ? -1 : 1;
    }

    return x->doc < y->doc ? -1 : x->doc > y->doc;
}


static int
fb_image(fb_t *b)
{
    size_t                  i, j, off;
    fb_buf_t               *part, *img_buf;
    glossary_fts_part_t     table[GLOSSARY_FTS_PARTS];
    glossary_fts_header_t   h;
    glossary_fts_image_t   *img;
    static const unsigned char  zero[8];

    img = b->img;
    part = b->part;
    img_buf = &b->text;

    if (b->nnames) {
        qsort(b->names, b->nnames, sizeof(glossary_fts_name_t), fb_name_cmp);
    }

    for (i = 0, j = 0; i < b->nnames; i++) {
        if (j && fb_name_cmp(&b->names[j - 1], &b->names[i]) == 0) {
            continue;
        }

        b->names[j++] = b->names[i];
    }

    if (fb_put(b, &part[GLOSSARY_FTS_PART_DOCS], b->docs,
               (size_t) b->ndocs * sizeof(glossary_fts_doc_t)) != 0
        || fb_put(b, &part[GLOSSARY_FTS_PART_CHECKPOINTS], b->cps.p,
                  b->cps.len) != 0
        || fb_put(b, &part[GLOSSARY_FTS_PART_NAMES], b->names,
                  j * sizeof(glossary_fts_name_t)) != 0
        || fb_put(b, &part[GLOSSARY_FTS_PART_IMPACTS], b->impacts,
                  sizeof(b->impacts)) != 0)
    {
        return -1;
    }

    if (b->no_text) {
        img_buf->len = b->text_base;
    }

    table[GLOSSARY_FTS_PART_TEXT].offset = b->text_base;
    table[GLOSSARY_FTS_PART_TEXT].size = img_buf->len - b->text_base;

    /* the other parts follow TEXT, each 8-byte aligned */

    off = img_buf->len;

    for (i = GLOSSARY_FTS_PART_TEXT + 1; i < GLOSSARY_FTS_PARTS; i++) {
        off = (off + 7) & ~(size_t) 7;
        table[i].offset = off;
        table[i].size = part[i].len;
        off += part[i].len;
    }

    off = (off + 7) & ~(size_t) 7;

    if (fb_grow(b, img_buf, off - img_buf->len) != 0) {
        return -1;
    }

    for (i = GLOSSARY_FTS_PART_TEXT + 1; i < GLOSSARY_FTS_PARTS; i++) {
        if (fb_put(b, img_buf, zero, table[i].offset - img_buf->len) != 0
            || fb_put(b, img_buf, part[i].p, part[i].len) != 0)
        {
            return -1;
        }

        free(part[i].p);
        part[i].p = NULL;
    }

    if (fb_put(b, img_buf, zero, off - img_buf->len) != 0) {
        return -1;
    }

    memset(&h, 0, sizeof(h));
    memcpy(h.magic, GLOSSARY_FTS_MAGIC, 8);
    h.version_major = GLOSSARY_FTS_VERSION_MAJOR;
    h.version_minor = GLOSSARY_FTS_VERSION_MINOR;
    h.header_size = GLOSSARY_FTS_HEADER_SIZE;
    h.image_size = off;
    h.doc_count = b->ndocs;
    h.list_count = b->nlists;
    h.key_count = b->nkeys;
    h.prefix_count = b->nprefixes;
    h.walk_count = b->nwalk;
    h.part_count = GLOSSARY_FTS_PARTS;
    h.text_bytes = img->text_bytes;

    memcpy(img_buf->p, &h, sizeof(h));
    memcpy(img_buf->p + GLOSSARY_FTS_HEADER_SIZE, table, sizeof(table));

    /* the buffer becomes the image */
    img->data = img_buf->p;
    img->size = off;
    img->index_bytes = off - table[GLOSSARY_FTS_PART_TEXT].size;
    img_buf->p = NULL;

    return 0;
}
