/*
 * The test blob writer.  Layout: header, section table right after it,
 * then TERMS, RELATED, HASH, DOCS, GLOBALS, [an unknown section], [the 1.1
 * sections CATEGORIES, SEARCH_TERMS, SEARCH_WORDS, SEARCH_PAGE], [AUTOLINK,
 * 1.3], and
 * STRINGS last, so that every record can be written in one pass while the
 * string pool grows; [CHUNKS, 1.2] after STRINGS, as glossaryc puts it;
 * [FTS, 1.3] last, its texts at the end of STRINGS.
 */

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "glossary_fts.h"
#include "make_blob.h"


#define MB_EXTRA_ID    99
#define MB_EXTRA_SIZE  16

/* slot of the unknown section in the per-id arrays of mb_build() */
#define MB_EXTRA_SLOT  (GLOSSARY_SECTION_LAST + 1)
#define MB_SLOTS       (GLOSSARY_SECTION_LAST + 2)


typedef struct {
    unsigned char  *p;
    size_t          len;
    size_t          cap;
    uint64_t        base;       /* file offset of the pool */
} mb_pool_t;


static const mb_term_t  mb_default_terms[] = {
    { "api-gateway", "API gateway", "Networking",
      "A single entry point in front of many services.", 0, 2 },
    { "cache", "Cache", "",
      "A store of results kept to answer again faster.", 2, 1 },
    { "zero-trust", "Zero trust", "Security", "", 3, 0 },
};

static const mb_related_t  mb_default_related[] = {
    { 1, "cache", "Cache" },
    { GLOSSARY_NO_TERM, "service-mesh", "Service mesh" },
    { 0, "api-gateway", "API gateway" },
};

const mb_model_t  mb_default_model = {
    mb_default_terms, 3, mb_default_related, 3, 0, 0, 0, 0, 0, 0,
    NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL, 0, 0, 0, 0, 0, 0
};

uint16_t  mb_default_major = GLOSSARY_VERSION_MAJOR;


static void *
mb_alloc(size_t n)
{
    void  *p;

    p = calloc(1, n ? n : 1);
    if (p == NULL) {
        fprintf(stderr, "make_blob: out of memory\n");
        abort();
    }

    return p;
}


static glossary_ref_t
mb_pool_add(mb_pool_t *pool, const void *data, size_t len)
{
    glossary_ref_t  ref;

    if (pool->len + len > pool->cap) {
        pool->cap = (pool->len + len) * 2 + 64;
        pool->p = realloc(pool->p, pool->cap);
        if (pool->p == NULL) {
            fprintf(stderr, "make_blob: out of memory\n");
            abort();
        }
    }

    if (len) {
        memcpy(pool->p + pool->len, data, len);
    }

    /* an empty string still points inside STRINGS, at its start */
    ref.off = pool->base + (len ? pool->len : 0);
    ref.len = len;
    pool->len += len;

    return ref;
}


static glossary_ref_t
mb_pool_str(mb_pool_t *pool, const char *s)
{
    return mb_pool_add(pool, s, s ? strlen(s) : 0);
}


static glossary_ref_t
mb_pool_etag(mb_pool_t *pool, const void *body, size_t len)
{
    char  etag[24];

    snprintf(etag, sizeof(etag), "\"%016llx\"",
             (unsigned long long) glossary_blob_hash(body, len));

    return mb_pool_add(pool, etag, 18);
}


size_t
mb_doc_body(char *buf, size_t size, const char *slug, uint32_t kind)
{
    return (size_t) snprintf(buf, size, "{\"slug\":\"%s\",\"kind\":%u}",
                             slug, (unsigned) kind);
}


size_t
mb_global_body(char *buf, size_t size, uint32_t kind)
{
    return (size_t) snprintf(buf, size, "[{\"index\":%u}]", (unsigned) kind);
}


size_t
mb_category_body(char *buf, size_t size, const char *slug, int html)
{
    return (size_t) snprintf(buf, size,
                             "{\"category\":\"%s\",\"kind\":\"%s\"}",
                             slug, html ? "html" : "json");
}


int
mb_doc_has_gzip(uint32_t term, uint32_t kind)
{
    return (term + kind) % 2 == 0;
}


static void
mb_write_doc(mb_pool_t *pool, glossary_doc_t *d, const char *body,
    size_t len, int gzip)
{
    size_t         n;
    unsigned char  gz[64];

    d->body = mb_pool_add(pool, body, len);
    d->etag = mb_pool_etag(pool, body, len);

    if (!gzip) {
        d->gzip_body = mb_pool_add(pool, NULL, 0);
        d->gzip_etag = mb_pool_add(pool, NULL, 0);
        return;
    }

    /* not real gzip: the reader never looks inside; a NUL on purpose */
    n = len < sizeof(gz) - 4 ? len : sizeof(gz) - 4;
    gz[0] = 0x1f;
    gz[1] = 0x8b;
    gz[2] = 0x08;
    gz[3] = 0x00;
    memcpy(gz + 4, body, n);

    d->gzip_body = mb_pool_add(pool, gz, n / 2 + 4);
    d->gzip_etag = mb_pool_etag(pool, gz, n / 2 + 4);
}


static uint64_t
mb_align(uint64_t n)
{
    return (n + GLOSSARY_ALIGN - 1) & ~(uint64_t) (GLOSSARY_ALIGN - 1);
}


/* chunks of 2^shift bytes in len bytes; 0 for a shift no chunk has */
static uint64_t
mb_chunk_count(uint64_t len, uint32_t shift)
{
    if (shift == 0 || shift >= 64) {
        return 0;
    }

    return (len >> shift) + ((len & (((uint64_t) 1 << shift) - 1)) != 0);
}


/*
 * the documents of term i, bodies padded to m->body_pad: 1.x term by term,
 * 2.0 kind by kind (the kinds of "kinds", in increasing order)
 */
static void
mb_term_docs(mb_pool_t *pool, unsigned char *p, uint64_t docs_off,
    const mb_model_t *m, uint32_t i, uint32_t dpt, uint64_t kinds, int v1)
{
    char            *body;
    size_t           len, size;
    uint32_t         k, slot;
    glossary_doc_t  *d;

    size = 256 + (size_t) m->body_pad;
    body = mb_alloc(size);

    for (k = 0, slot = 0; k < 64 && slot < dpt; k++) {
        if (!((kinds >> k) & 1)) {
            continue;
        }

        d = (glossary_doc_t *) (p + docs_off)
            + (v1 ? (uint64_t) i * dpt + slot
                  : (uint64_t) slot * m->nterms + i);
        slot++;
        len = mb_doc_body(body, size, m->terms[i].slug, k);

        while (len < m->body_pad) {
            body[len++] = ' ';
        }

        mb_write_doc(pool, d, body, len, mb_doc_has_gzip(i, k));
    }

    free(body);
}


static void
mb_global_docs(mb_pool_t *pool, unsigned char *p, uint64_t globals_off,
    const mb_model_t *m, uint32_t ng)
{
    char             body[256];
    size_t           len;
    uint32_t         i;
    glossary_doc_t  *d;

    for (i = 0; i < ng; i++) {
        d = (glossary_doc_t *) (p + globals_off) + i;

        if (m->global_bodies != NULL && m->global_bodies[i] != NULL) {
            mb_write_doc(pool, d, m->global_bodies[i],
                         strlen(m->global_bodies[i]), 0);
            continue;
        }

        len = mb_global_body(body, sizeof(body), i);
        mb_write_doc(pool, d, body, len, i % 2 == 0);
    }
}


static void
mb_category_docs(mb_pool_t *pool, glossary_category_t *c,
    const mb_model_t *m, uint32_t i)
{
    char    body[256];
    size_t  len;

    len = mb_category_body(body, sizeof(body), m->categories[i].slug, 0);
    mb_write_doc(pool, &c->json, body, len, i % 2 == 0);
    len = mb_category_body(body, sizeof(body), m->categories[i].slug, 1);
    mb_write_doc(pool, &c->html, body, len, i % 2 == 1);
}


size_t
mb_autolink_image(unsigned char *dst, uint32_t term_count)
{
    unsigned                     b;
    unsigned char               *bytes, *labels;
    glossary_autolink_slot_t    *slots;
    glossary_autolink_header_t  *h;

    if (dst == NULL) {
        return MB_AUTOLINK_SIZE;
    }

    memset(dst, 0, MB_AUTOLINK_SIZE);

    h = (glossary_autolink_header_t *) dst;
    memcpy(h->magic, "GLAUTOLK", 8);
    h->version_major = 1;
    h->version_minor = 0;
    h->size = MB_AUTOLINK_SIZE;
    h->pattern_bytes = 2;
    h->term_count = term_count;
    h->pattern_count = 1;
    h->max_pattern = 2;
    h->label_count = 2;                 /* 'a' 2, 'b' 3 */
    h->slot_count = MB_AUTOLINK_SLOTS;
    h->fold_count = 1;
    h->block_count = 1;

    bytes = dst + 64;
    labels = bytes + 256;

    /* ASCII: letters, digits, '_' are WORD; white space and '-' SPACE */
    for (b = 0; b < 0x80; b++) {
        if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')
            || (b >= '0' && b <= '9') || b == '_')
        {
            bytes[b] = 0x01;

        } else if (b == '\t' || b == '\n' || b == '\f' || b == '\r'
                   || b == ' ' || b == '-')
        {
            bytes[b] = 0x02;
        }
    }

    bytes['&'] = 0x08;                  /* SLOW: a reference */
    bytes['a'] |= 0x04;                 /* START */
    bytes['A'] |= 0x04;
    labels['a'] = labels['A'] = 2;
    labels['b'] = labels['B'] = 3;

    /* stage1, the one block and fold 0: all zero, as memset left them */

    slots = (glossary_autolink_slot_t *) (dst + MB_AUTOLINK_SIZE
                                          - 8 * MB_AUTOLINK_SLOTS);

    for (b = 0; b < MB_AUTOLINK_SLOTS; b++) {
        slots[b].base = 0;
        slots[b].check = 0xffffffffu;
    }

    slots[0].base = 1;                  /* root */
    slots[0].check = 0;
    slots[3].base = 4;                  /* "a": root base 1 + label 2 */
    slots[3].check = 0;
    slots[7].base = 8;                  /* "ab": 4 + 3, terminal */
    slots[7].check = 3 | 0x80000000u;
    slots[9].base = 0;                  /* its end slot: 8 + 1, term 0 */
    slots[9].check = 7;

    glossary_autolink_make_filter(labels, slots, 2, dst + 64 + 512);

    return MB_AUTOLINK_SIZE;
}


/* ---- the FTS section (1.3), written by hand from glossary_fts.h -------- */

/*
 * Words are folded here as simply as the tests need: ASCII letters and
 * digits in lower case, the Latin-1 letters of two UTF-8 bytes (U+00C0 to
 * U+00FF) as their base letter, anything else a separator.  Every word is
 * its own stem: a key's surface and stem lists are the same list.
 */

#define MB_FTS_KEYS    512
#define MB_FTS_WORD    32
#define MB_FTS_POS     64       /* word positions per document */


typedef struct {
    unsigned char   p[MB_FTS_WORD];
    uint32_t        len;
} mb_word_t;

typedef struct {
    uint32_t        nwords;
    mb_word_t       word[MB_FTS_POS];
    uint32_t        from[MB_FTS_POS];       /* byte offset in the text */
    uint32_t        pos[GLOSSARY_FTS_FIELDS];
    uint32_t        text_end[GLOSSARY_FTS_FIELDS];
    uint64_t        text_off;
    uint32_t        category;
} mb_fts_doc_t;

typedef struct {
    unsigned char  *p;
    size_t          len;
    size_t          cap;
} mb_buf_t;


static void
mb_put(mb_buf_t *b, const void *p, size_t len)
{
    if (b->len + len > b->cap) {
        b->cap = (b->len + len) * 2 + 256;
        b->p = realloc(b->p, b->cap);
        if (b->p == NULL) {
            fprintf(stderr, "make_blob: out of memory\n");
            abort();
        }
    }

    if (len) {
        memcpy(b->p + b->len, p, len);
    }

    b->len += len;
}


static void
mb_put_varint(mb_buf_t *b, uint32_t v)
{
    unsigned char  c;

    do {
        c = v & 0x7f;
        v >>= 7;
        c |= v ? 0x80 : 0;
        mb_put(b, &c, 1);
    } while (v);
}


static void
mb_put_align(mb_buf_t *b)
{
    static const unsigned char  zero[8];

    mb_put(b, zero, (8 - b->len % 8) % 8);
}


/* the folded letter of a character at p (its bytes in *n), 0: none */
static unsigned char
mb_fold_char(const unsigned char *p, const unsigned char *end, size_t *n)
{
    unsigned        c;

    static const char  latin[] = "aaaaaaaceeeeiiiidnooooo/ouuuuyty";

    *n = 1;

    if ((p[0] >= 'a' && p[0] <= 'z') || (p[0] >= '0' && p[0] <= '9')) {
        return p[0];
    }

    if (p[0] >= 'A' && p[0] <= 'Z') {
        return p[0] + 32;
    }

    if (p[0] == 0xc3 && p + 1 < end && p[1] >= 0x80 && p[1] <= 0xbf) {
        *n = 2;
        c = (p[1] - 0x80) % 32;
        return latin[c] == '/' ? 0 : (unsigned char) latin[c];
    }

    return 0;
}


/* the words of text [from, to) appended to the document */
static void
mb_fts_words(mb_fts_doc_t *d, const unsigned char *text, size_t from,
    size_t to)
{
    size_t          i, n;
    unsigned char   c;
    mb_word_t      *w;

    w = NULL;

    for (i = from; i < to; i += n) {
        c = mb_fold_char(text + i, text + to, &n);

        if (c == 0) {
            w = NULL;
            continue;
        }

        if (w == NULL) {
            if (d->nwords == MB_FTS_POS) {
                fprintf(stderr, "make_blob: too many words\n");
                abort();
            }

            w = &d->word[d->nwords];
            d->from[d->nwords] = (uint32_t) i;
            d->nwords++;
            w->len = 0;
        }

        if (w->len < MB_FTS_WORD) {
            w->p[w->len++] = c;
        }
    }
}


static int
mb_word_cmp(const mb_word_t *a, const mb_word_t *b)
{
    int  c;

    c = memcmp(a->p, b->p, a->len < b->len ? a->len : b->len);

    return c ? c : (a->len > b->len) - (a->len < b->len);
}


static int
mb_word_qcmp(const void *a, const void *b)
{
    return mb_word_cmp(a, b);
}


/* WALK's order: by length, then bytewise */
static int
mb_walk_qcmp(const void *a, const void *b)
{
    const mb_word_t  *x, *y;

    x = a;
    y = b;

    if (x->len != y->len) {
        return x->len < y->len ? -1 : 1;
    }

    return memcmp(x->p, y->p, x->len);
}


static int
mb_name_qcmp(const void *a, const void *b)
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

    return (x->doc > y->doc) - (x->doc < y->doc);
}


static uint32_t
mb_key_index(const mb_word_t *keys, uint32_t n, const mb_word_t *w)
{
    uint32_t  i;

    for (i = 0; i < n; i++) {
        if (mb_word_cmp(&keys[i], w) == 0) {
            return i;
        }
    }

    return UINT32_MAX;
}


/* a dictionary (DICT: two lists a key; WALK: one), front-coded by 16 */
static void
mb_fts_dict(mb_buf_t *index, mb_buf_t *data, const mb_word_t *keys,
    uint32_t n, const uint32_t *lists, int walk)
{
    uint32_t  i, shared, off;

    for (i = 0; i < n; i++) {
        shared = 0;

        if (i % GLOSSARY_FTS_DICT_BLOCK == 0) {
            off = (uint32_t) data->len;
            mb_put(index, &off, 4);

        } else {
            while (shared < keys[i].len && shared < keys[i - 1].len
                   && keys[i].p[shared] == keys[i - 1].p[shared])
            {
                shared++;
            }
        }

        mb_put_varint(data, shared);
        mb_put_varint(data, keys[i].len - shared);
        mb_put(data, keys[i].p + shared, keys[i].len - shared);

        if (walk) {
            mb_put_varint(data, lists[i]);

        } else {
            mb_put_varint(data, lists[i] + 1);
            mb_put_varint(data, lists[i] + 1);
        }
    }
}


/*
 * The image of the model's terms, their texts appended to the pool (the
 * blob's STRINGS) one after the other; *text gets their reference.
 */
static void
mb_fts_build(const mb_model_t *m, mb_pool_t *pool, mb_buf_t *img,
    glossary_ref_t *text)
{
    size_t                 len, start;
    uint32_t               i, k, j, f, d, nkeys, nwalk, layer, nb, c, w;
    uint32_t               gap, prev, cp, np, pos[MB_FTS_POS];
    uint32_t               lists[MB_FTS_KEYS], walk_lists[MB_FTS_KEYS];
    uint32_t               shorter[GLOSSARY_FTS_MAX_WORD + 2];
    uint32_t               docs[GLOSSARY_FTS_BLOCK], nposts, width, bit;
    uint64_t               text_bytes, packed, cps;
    uint8_t                imp[GLOSSARY_FTS_BLOCK], mask[GLOSSARY_FTS_BLOCK];
    uint8_t                fields[2], maxs[2];
    unsigned char          byte;
    mb_buf_t               tx, part[GLOSSARY_FTS_PARTS];
    mb_word_t             *keys, *walk, name;
    mb_fts_doc_t          *fd;
    glossary_fts_doc_t     rec;
    glossary_fts_list_t    list;
    glossary_fts_skip_t    skip;
    glossary_fts_name_t    ne[2];
    glossary_fts_part_t    table[GLOSSARY_FTS_PARTS];
    glossary_fts_header_t  h;
    const char            *field[GLOSSARY_FTS_FIELDS];

    memset(&tx, 0, sizeof(tx));
    memset(part, 0, sizeof(part));
    memset(lists, 0, sizeof(lists));
    fd = mb_alloc((size_t) (m->nterms + 1) * sizeof(mb_fts_doc_t));
    keys = mb_alloc(MB_FTS_KEYS * sizeof(mb_word_t));
    walk = mb_alloc(MB_FTS_KEYS * sizeof(mb_word_t));
    text_bytes = 0;
    nkeys = 0;

    /* the texts: name, aliases (none), slug, definition, FAQ, explanation */

    for (i = 0; i < m->nterms; i++) {
        field[0] = m->terms[i].term;
        field[1] = "";
        field[2] = m->terms[i].slug;
        field[3] = m->terms[i].definition ? m->terms[i].definition : "";
        field[4] = "";
        field[5] = "";

        fd[i].text_off = tx.len;
        fd[i].category = GLOSSARY_FTS_NO_CATEGORY;
        start = tx.len;

        for (k = 0; m->terms[i].category != NULL && k < m->ncategories; k++) {
            if (strcmp(m->categories[k].name, m->terms[i].category) == 0) {
                fd[i].category = k;
            }
        }

        for (f = 0; f < GLOSSARY_FTS_FIELDS; f++) {
            if (f) {
                mb_put(&tx, "\n", 1);
            }

            fd[i].pos[f] = fd[i].nwords;
            len = strlen(field[f]);
            mb_put(&tx, field[f], len);
            text_bytes += len;
            fd[i].text_end[f] = (uint32_t) (tx.len - start);
            mb_fts_words(&fd[i], tx.p + start, fd[i].text_end[f] - len,
                         fd[i].text_end[f]);
        }

        for (k = 0; k < fd[i].nwords; k++) {
            if (mb_key_index(keys, nkeys, &fd[i].word[k]) == UINT32_MAX) {
                if (nkeys == MB_FTS_KEYS) {
                    fprintf(stderr, "make_blob: too many words\n");
                    abort();
                }

                keys[nkeys++] = fd[i].word[k];
            }
        }
    }

    *text = mb_pool_add(pool, tx.p, tx.len);

    qsort(keys, nkeys, sizeof(mb_word_t), mb_word_qcmp);

    /* a list per key, in key order: layer 0 (name, slug), then layer 1 */

    for (k = 0; k < nkeys; k++) {
        memset(&list, 0, sizeof(list));
        list.skip_first = (uint32_t) (part[GLOSSARY_FTS_PART_SKIPS].len
                                      / sizeof(glossary_fts_skip_t));
        lists[k] = k;

        for (layer = 0; layer < 2; layer++) {
            nposts = 0;
            fields[layer] = 0;
            maxs[layer] = 0;

            for (d = 0; d < m->nterms; d++) {
                np = 0;
                mask[nposts] = 0;

                for (j = 0; j < fd[d].nwords; j++) {
                    if (mb_word_cmp(&fd[d].word[j], &keys[k]) != 0) {
                        continue;
                    }

                    pos[np++] = j;

                    for (f = GLOSSARY_FTS_FIELDS - 1; j < fd[d].pos[f]; f--) {
                        /* void */
                    }

                    mask[nposts] |= (uint8_t) (1u << f);
                }

                if (np == 0 || (pos[0] < fd[d].pos[GLOSSARY_FTS_FIELD_SHORT])
                               != (layer == 0))
                {
                    continue;
                }

                if (nposts == GLOSSARY_FTS_BLOCK) {
                    fprintf(stderr, "make_blob: more than a block\n");
                    abort();
                }

                /* the positions: a count, the first, the gaps less 1 */
                if (nposts == 0) {
                    skip.pos_off = part[GLOSSARY_FTS_PART_POSITIONS].len;
                }

                mb_put_varint(&part[GLOSSARY_FTS_PART_POSITIONS], np);

                for (j = 0; j < np; j++) {
                    mb_put_varint(&part[GLOSSARY_FTS_PART_POSITIONS],
                                  j ? pos[j] - pos[j - 1] - 1 : pos[0]);
                }

                docs[nposts] = d;
                imp[nposts] = layer ? 100 : 200;
                fields[layer] |= mask[nposts];
                nposts++;
            }

            if (nposts == 0) {
                continue;
            }

            /* the block: a width, the gaps, 3 zeros, impacts, masks */

            width = 0;
            prev = UINT32_MAX;

            for (j = 0; j < nposts; j++) {
                gap = docs[j] - prev - 1;
                prev = docs[j];

                while (width < 24 && (gap >> width) != 0) {
                    width++;
                }
            }

            skip.last_doc = docs[nposts - 1];
            skip.count = (uint8_t) nposts;
            skip.max = imp[0];
            skip.reserved[0] = 0;
            skip.reserved[1] = 0;
            skip.post_off = part[GLOSSARY_FTS_PART_POSTINGS].len;

            byte = (unsigned char) width;
            mb_put(&part[GLOSSARY_FTS_PART_POSTINGS], &byte, 1);

            packed = ((uint64_t) nposts * width + 7) / 8;
            prev = UINT32_MAX;
            bit = 0;

            for (j = 0; j < packed; j++) {
                byte = 0;
                mb_put(&part[GLOSSARY_FTS_PART_POSTINGS], &byte, 1);
            }

            for (j = 0; j < nposts; j++) {
                gap = docs[j] - prev - 1;
                prev = docs[j];

                for (c = 0; c < width; c++, bit++) {
                    if (gap & (1u << c)) {
                        part[GLOSSARY_FTS_PART_POSTINGS].p
                            [skip.post_off + 1 + bit / 8] |=
                            (unsigned char) (1u << (bit % 8));
                    }
                }
            }

            byte = 0;

            for (j = 0; j < 3; j++) {
                mb_put(&part[GLOSSARY_FTS_PART_POSTINGS], &byte, 1);
            }

            mb_put(&part[GLOSSARY_FTS_PART_POSTINGS], imp, nposts);
            mb_put(&part[GLOSSARY_FTS_PART_POSTINGS], mask, nposts);
            mb_put(&part[GLOSSARY_FTS_PART_SKIPS], &skip, sizeof(skip));

            maxs[layer] = imp[0];

            if (layer == 0) {
                list.count0 = nposts;
                list.blocks0 = 1;

            } else {
                list.blocks1 = 1;
            }

            list.df += nposts;
        }

        list.max0 = maxs[0];
        list.max1 = maxs[1];
        list.fields0 = fields[0];
        list.fields1 = fields[1];
        mb_put(&part[GLOSSARY_FTS_PART_LISTS], &list, sizeof(list));
    }

    /* the dictionary, then the words without a digit by length */

    mb_fts_dict(&part[GLOSSARY_FTS_PART_DICT_INDEX],
                &part[GLOSSARY_FTS_PART_DICT], keys, nkeys, lists, 0);

    nwalk = 0;

    for (k = 0; k < nkeys; k++) {
        for (j = 0; j < keys[k].len; j++) {
            if (keys[k].p[j] >= '0' && keys[k].p[j] <= '9') {
                break;
            }
        }

        if (j == keys[k].len) {
            walk[nwalk++] = keys[k];
        }
    }

    qsort(walk, nwalk, sizeof(mb_word_t), mb_walk_qcmp);

    for (k = 0; k < nwalk; k++) {
        walk_lists[k] = mb_key_index(keys, nkeys, &walk[k]);
    }

    mb_fts_dict(&part[GLOSSARY_FTS_PART_WALK_INDEX],
                &part[GLOSSARY_FTS_PART_WALK], walk, nwalk, walk_lists, 1);

    for (k = 0; k <= GLOSSARY_FTS_MAX_WORD + 1; k++) {
        shorter[k] = 0;

        for (j = 0; j < nwalk; j++) {
            shorter[k] += walk[j].len < k;
        }
    }

    mb_put(&part[GLOSSARY_FTS_PART_WALK_LENGTHS], shorter, sizeof(shorter));

    /* DOCS and CHECKPOINTS (the byte of every 32nd word) */

    cps = 0;

    for (i = 0; i < m->nterms; i++) {
        memset(&rec, 0, sizeof(rec));
        rec.category = fd[i].category;
        rec.words = fd[i].nwords;
        rec.cp_first = (uint32_t) cps;
        rec.text_off = fd[i].text_off;
        memcpy(rec.pos, fd[i].pos, sizeof(rec.pos));
        memcpy(rec.text_end, fd[i].text_end, sizeof(rec.text_end));
        mb_put(&part[GLOSSARY_FTS_PART_DOCS], &rec, sizeof(rec));

        for (k = 0; k < fd[i].nwords; k += GLOSSARY_FTS_CHECKPOINT) {
            cp = fd[i].from[k];
            mb_put(&part[GLOSSARY_FTS_PART_CHECKPOINTS], &cp, 4);
            cps++;
        }
    }

    /* NAMES: the folded name and slug, their words joined by spaces */

    for (i = 0; i < m->nterms; i++) {
        for (k = 0; k < 2; k++) {
            f = k ? GLOSSARY_FTS_FIELD_SLUG : GLOSSARY_FTS_FIELD_NAME;
            name.len = 0;

            for (j = fd[i].pos[f]; j < fd[i].pos[f + 1]; j++) {
                w = fd[i].word[j].len;

                if (name.len + w + 1 > sizeof(name.p)) {
                    break;
                }

                if (name.len) {
                    name.p[name.len++] = ' ';
                }

                memcpy(name.p + name.len, fd[i].word[j].p, w);
                name.len += w;
            }

            ne[k].hash = XXH3_64bits(name.p, name.len);
            ne[k].doc = i;
            ne[k].kind = k ? GLOSSARY_FTS_NAME_SLUG : GLOSSARY_FTS_NAME_NAME;
        }

        mb_put(&part[GLOSSARY_FTS_PART_NAMES], ne, sizeof(ne));
    }

    nb = (uint32_t) (part[GLOSSARY_FTS_PART_NAMES].len
                     / sizeof(glossary_fts_name_t));
    qsort(part[GLOSSARY_FTS_PART_NAMES].p, nb, sizeof(glossary_fts_name_t),
          mb_name_qcmp);

    /* IMPACTS: code i scores 1024 i; no PREFIXES, no PREFIX_DOCS */

    for (k = 0; k < 256; k++) {
        w = k << 10;
        mb_put(&part[GLOSSARY_FTS_PART_IMPACTS], &w, 4);
    }

    /* the header, the part table, the parts each 8-byte aligned */

    memset(&h, 0, sizeof(h));
    memset(table, 0, sizeof(table));
    mb_put(img, &h, sizeof(h));
    mb_put(img, table, sizeof(table));

    for (k = 0; k < GLOSSARY_FTS_PARTS; k++) {
        mb_put_align(img);
        table[k].offset = img->len;
        table[k].size = part[k].len;
        mb_put(img, part[k].p, part[k].len);
        free(part[k].p);
    }

    mb_put_align(img);

    memcpy(h.magic, GLOSSARY_FTS_MAGIC, 8);
    h.version_major = GLOSSARY_FTS_VERSION_MAJOR;
    h.version_minor = GLOSSARY_FTS_VERSION_MINOR;
    h.header_size = GLOSSARY_FTS_HEADER_SIZE;
    h.image_size = img->len;
    h.doc_count = m->nterms;
    h.list_count = nkeys;
    h.key_count = nkeys;
    h.prefix_count = 0;
    h.part_count = GLOSSARY_FTS_PARTS;
    h.text_bytes = text_bytes;
    h.walk_count = nwalk;

    memcpy(img->p, &h, sizeof(h));
    memcpy(img->p + sizeof(h), table, sizeof(table));

    free(tx.p);
    free(fd);
    free(keys);
    free(walk);
}


mb_blob_t
mb_build(const mb_model_t *m)
{
    int                   late, v1;
    uint32_t              i, k, dpt, ng, bc, nsec, b, mask, hs, id;
    uint64_t              off, eager, nchunks, kinds;
    uint64_t              sec_off[MB_SLOTS], sec_size[MB_SLOTS];
    mb_blob_t             blob;
    mb_pool_t             pool;
    unsigned char        *p;
    glossary_hash_t      *hash;
    glossary_term_t      *t;
    glossary_term_v1_t   *t1;
    glossary_header_t    *h;
    glossary_search_t    *e;
    glossary_related_t   *r;
    glossary_section_t   *s;
    glossary_segment_t   *g;
    glossary_chunks_t    *ch;
    glossary_category_t  *c;
    const mb_search_t    *ms;
    uint32_t             *buckets;
    int                   present[MB_SLOTS];
    mb_buf_t              fts_img;
    glossary_ref_t        fts_text;
    glossary_fts_section_t  *fs;

    static const uint32_t  order[] = {
        GLOSSARY_SECTION_TERMS, GLOSSARY_SECTION_RELATED,
        GLOSSARY_SECTION_HASH, GLOSSARY_SECTION_DOCS,
        GLOSSARY_SECTION_GLOBALS, MB_EXTRA_SLOT,
        GLOSSARY_SECTION_CATEGORIES, GLOSSARY_SECTION_SEARCH_TERMS,
        GLOSSARY_SECTION_SEARCH_WORDS, GLOSSARY_SECTION_SEARCH_PAGE,
        GLOSSARY_SECTION_AUTOLINK, GLOSSARY_SECTION_STRINGS
    };

    v1 = (m->version_major ? m->version_major : mb_default_major)
         == GLOSSARY_VERSION_MAJOR_V1;

    dpt = m->docs_per_term ? m->docs_per_term : GLOSSARY_DOCS_PER_TERM_V1;
    kinds = (dpt >= 64) ? UINT64_MAX : ((uint64_t) 1 << dpt) - 1;

    if (!v1 && m->doc_kinds != 0) {
        kinds = m->doc_kinds;
        for (dpt = 0, k = 0; k < 64; k++) {
            dpt += (kinds >> k) & 1;
        }
    }
    ng = m->global_docs == UINT32_MAX ? 0
         : m->global_docs ? m->global_docs : GLOSSARY_GLOBAL_DOCS_V1;

    bc = m->bucket_count;
    if (bc == 0) {
        bc = 4;
        while (bc < 2 * m->nterms) {
            bc *= 2;
        }
    }

    memset(present, 0, sizeof(present));
    memset(sec_size, 0, sizeof(sec_size));

    for (i = GLOSSARY_SECTION_STRINGS; i <= GLOSSARY_SECTION_RELATED; i++) {
        present[i] = 1;
    }

    present[MB_EXTRA_SLOT] = (m->extra_section != 0);
    present[GLOSSARY_SECTION_CATEGORIES] = (m->categories != NULL);
    present[GLOSSARY_SECTION_SEARCH_TERMS] = (m->search_terms != NULL);
    present[GLOSSARY_SECTION_SEARCH_WORDS] = (m->search_words != NULL);
    present[GLOSSARY_SECTION_SEARCH_PAGE] = (m->segments != NULL);
    present[GLOSSARY_SECTION_CHUNKS] = (m->chunk_shift != 0);
    present[GLOSSARY_SECTION_AUTOLINK] = (m->autolink != 0);
    present[GLOSSARY_SECTION_FTS] = (m->fts != 0);

    /* 1.2: the documents after every string, as glossaryc writes them */
    late = (m->chunk_shift != 0);

    nsec = 0;
    for (i = 0; i < MB_SLOTS; i++) {
        nsec += present[i];
    }

    hs = m->header_size ? m->header_size : GLOSSARY_HEADER_SIZE;

    sec_size[GLOSSARY_SECTION_TERMS] = (uint64_t) m->nterms * 80;
    sec_size[GLOSSARY_SECTION_RELATED] = (uint64_t) m->nrelated * 40;
    sec_size[GLOSSARY_SECTION_HASH] = 8 + (uint64_t) bc * 4;
    sec_size[GLOSSARY_SECTION_DOCS] = (uint64_t) m->nterms * dpt * 64;
    sec_size[GLOSSARY_SECTION_GLOBALS] = (uint64_t) ng * 64;
    sec_size[MB_EXTRA_SLOT] = m->extra_section ? MB_EXTRA_SIZE : 0;
    sec_size[GLOSSARY_SECTION_CATEGORIES] =
        (uint64_t) m->ncategories * sizeof(glossary_category_t);
    sec_size[GLOSSARY_SECTION_SEARCH_TERMS] =
        (uint64_t) m->nsearch_terms * sizeof(glossary_search_t);
    sec_size[GLOSSARY_SECTION_SEARCH_WORDS] =
        (uint64_t) m->nsearch_words * sizeof(glossary_search_t);
    sec_size[GLOSSARY_SECTION_SEARCH_PAGE] =
        (uint64_t) m->nsegments * sizeof(glossary_segment_t);
    sec_size[GLOSSARY_SECTION_AUTOLINK] = m->autolink ? MB_AUTOLINK_SIZE : 0;

    off = hs + (uint64_t) nsec * 24;

    for (i = 0; order[i] != GLOSSARY_SECTION_STRINGS; i++) {
        off = mb_align(off);
        sec_off[order[i]] = off;
        off += sec_size[order[i]];
    }

    off = mb_align(off);
    sec_off[GLOSSARY_SECTION_STRINGS] = off;

    p = mb_alloc(off);

    memset(&pool, 0, sizeof(pool));
    pool.base = off;

    h = (glossary_header_t *) p;
    memcpy(h->magic, GLOSSARY_MAGIC, GLOSSARY_MAGIC_LEN);
    h->version_major = v1 ? GLOSSARY_VERSION_MAJOR_V1
                          : (m->version_major ? m->version_major
                                              : mb_default_major);
    h->version_minor = m->version_minor;
    h->byte_order = GLOSSARY_BYTE_ORDER;
    h->header_size = hs;
    h->section_count = nsec;
    h->section_table = hs;
    h->build_time = 1700000000;
    h->term_count = m->nterms;
    h->docs_per_term = dpt;
    h->global_docs = ng;
    h->doc_kinds = v1 ? 0 : kinds;

    for (i = 0; i < m->nterms; i++) {
        t = (glossary_term_t *) (p + sec_off[GLOSSARY_SECTION_TERMS]) + i;
        t->slug = mb_pool_str(&pool, m->terms[i].slug);
        t->term = mb_pool_str(&pool, m->terms[i].term);
        t->category = mb_pool_str(&pool, m->terms[i].category);
        t->short_definition = mb_pool_str(&pool, m->terms[i].definition);

        if (v1) {
            t1 = (glossary_term_v1_t *) t;
            t1->related_first = (uint32_t) m->terms[i].related_first;
            t1->related_count = m->terms[i].related_count;

        } else {
            t->related_first = m->terms[i].related_first;
            t->related_count = m->terms[i].related_count;
        }

        if (!late) {
            mb_term_docs(&pool, p, sec_off[GLOSSARY_SECTION_DOCS], m, i, dpt,
                         kinds, v1);
        }
    }

    for (i = 0; i < m->nrelated; i++) {
        r = (glossary_related_t *) (p + sec_off[GLOSSARY_SECTION_RELATED]) + i;
        r->term_id = m->related[i].term_id;
        r->slug = mb_pool_str(&pool, m->related[i].slug);
        r->name = mb_pool_str(&pool, m->related[i].name);
    }

    if (!late) {
        mb_global_docs(&pool, p, sec_off[GLOSSARY_SECTION_GLOBALS], m, ng);
    }

    for (i = 0; m->categories != NULL && i < m->ncategories; i++) {
        c = (glossary_category_t *) (p + sec_off[GLOSSARY_SECTION_CATEGORIES])
            + i;
        c->slug = mb_pool_str(&pool, m->categories[i].slug);
        c->name = mb_pool_str(&pool, m->categories[i].name);
        c->term_count = m->categories[i].term_count;

        if (!late) {
            mb_category_docs(&pool, c, m, i);
        }
    }

    for (k = 0; k < 2; k++) {
        id = k ? GLOSSARY_SECTION_SEARCH_WORDS : GLOSSARY_SECTION_SEARCH_TERMS;
        ms = k ? m->search_words : m->search_terms;

        for (i = 0; ms != NULL && i < (k ? m->nsearch_words
                                          : m->nsearch_terms); i++)
        {
            e = (glossary_search_t *) (p + sec_off[id]) + i;
            e->key = mb_pool_str(&pool, ms[i].key);
            e->term_id = ms[i].term_id;
            e->order = ms[i].order;
        }
    }

    for (i = 0; m->segments != NULL && i < m->nsegments; i++) {
        g = (glossary_segment_t *) (p + sec_off[GLOSSARY_SECTION_SEARCH_PAGE])
            + i;
        g->kind = m->segments[i].kind;
        g->text = mb_pool_str(&pool, m->segments[i].text);
    }

    if (m->autolink) {
        mb_autolink_image(p + sec_off[GLOSSARY_SECTION_AUTOLINK], m->nterms);
    }

    eager = pool.len;

    if (late) {
        for (i = 0; i < m->nterms; i++) {
            mb_term_docs(&pool, p, sec_off[GLOSSARY_SECTION_DOCS], m, i, dpt,
                         kinds, v1);
        }

        mb_global_docs(&pool, p, sec_off[GLOSSARY_SECTION_GLOBALS], m, ng);

        for (i = 0; m->categories != NULL && i < m->ncategories; i++) {
            c = (glossary_category_t *)
                (p + sec_off[GLOSSARY_SECTION_CATEGORIES]) + i;
            mb_category_docs(&pool, c, m, i);
        }
    }

    /* 1.3: the search index's texts last in STRINGS */
    memset(&fts_img, 0, sizeof(fts_img));
    memset(&fts_text, 0, sizeof(fts_text));

    if (m->fts) {
        mb_fts_build(m, &pool, &fts_img, &fts_text);
    }

    /* CHUNKS follows STRINGS: its size is known only now; FTS after it */
    nchunks = mb_chunk_count(pool.len, m->chunk_shift);
    sec_off[GLOSSARY_SECTION_CHUNKS] = mb_align(pool.base + pool.len);
    sec_size[GLOSSARY_SECTION_CHUNKS] = sizeof(glossary_chunks_t)
                                        + nchunks * sizeof(uint64_t);
    sec_off[GLOSSARY_SECTION_FTS] = mb_align(
        present[GLOSSARY_SECTION_CHUNKS]
        ? sec_off[GLOSSARY_SECTION_CHUNKS] + sec_size[GLOSSARY_SECTION_CHUNKS]
        : pool.base + pool.len);
    sec_size[GLOSSARY_SECTION_FTS] = sizeof(glossary_fts_section_t)
                                     + fts_img.len;

    hash = (glossary_hash_t *) (p + sec_off[GLOSSARY_SECTION_HASH]);
    hash->bucket_count = bc;
    buckets = (uint32_t *) (hash + 1);

    /* a bucket_count that is not a power of two still gets filled */
    mask = bc & (bc - 1) ? 0 : bc - 1;

    for (i = 0; bc && i < m->nterms; i++) {
        b = (uint32_t) glossary_blob_hash(m->terms[i].slug,
                                          strlen(m->terms[i].slug));
        b = mask ? b & mask : b % bc;

        for (k = 0; k < bc && buckets[b] != 0; k++) {
            b = (b + 1) % bc;
        }

        if (k < bc) {
            buckets[b] = i + 1;

            if (k > hash->max_probe) {
                hash->max_probe = k;
            }
        }
    }

    s = (glossary_section_t *) (p + hs);

    for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
        if (!present[order[i]]) {
            continue;
        }

        s->id = (order[i] == MB_EXTRA_SLOT) ? MB_EXTRA_ID : order[i];
        s->offset = sec_off[order[i]];
        s->size = order[i] == GLOSSARY_SECTION_STRINGS ? pool.len
                                                        : sec_size[order[i]];
        s++;
    }

    if (present[GLOSSARY_SECTION_CHUNKS]) {
        s->id = GLOSSARY_SECTION_CHUNKS;
        s->offset = sec_off[GLOSSARY_SECTION_CHUNKS];
        s->size = sec_size[GLOSSARY_SECTION_CHUNKS];
        s++;
    }

    if (present[GLOSSARY_SECTION_FTS]) {
        s->id = GLOSSARY_SECTION_FTS;
        s->offset = sec_off[GLOSSARY_SECTION_FTS];
        s->size = sec_size[GLOSSARY_SECTION_FTS];
    }

    if (m->extra_section) {
        memset(p + sec_off[MB_EXTRA_SLOT], 0xa5, MB_EXTRA_SIZE);
    }

    blob.n = present[GLOSSARY_SECTION_FTS]
             ? sec_off[GLOSSARY_SECTION_FTS] + sec_size[GLOSSARY_SECTION_FTS]
             : present[GLOSSARY_SECTION_CHUNKS]
             ? sec_off[GLOSSARY_SECTION_CHUNKS]
               + sec_size[GLOSSARY_SECTION_CHUNKS]
             : pool.base + pool.len;
    blob.p = mb_alloc(blob.n);
    memcpy(blob.p, p, pool.base);
    if (pool.len) {
        memcpy(blob.p + pool.base, pool.p, pool.len);
    }

    if (present[GLOSSARY_SECTION_FTS]) {
        fs = (glossary_fts_section_t *) (blob.p + sec_off[GLOSSARY_SECTION_FTS]);
        fs->text = fts_text;
        memcpy(fs + 1, fts_img.p, fts_img.len);
        free(fts_img.p);
    }

    if (present[GLOSSARY_SECTION_CHUNKS]) {
        ch = (glossary_chunks_t *) (blob.p + sec_off[GLOSSARY_SECTION_CHUNKS]);
        ch->chunk_shift = m->chunk_shift;
        ch->eager_size = eager;
    }

    free(p);
    free(pool.p);

    h = (glossary_header_t *) blob.p;
    h->file_size = blob.n;

    /* the chunk hashes, the index checksum, the checksum */
    mb_seal(&blob);

    return blob;
}


mb_blob_t
mb_build_default(void)
{
    return mb_build(&mb_default_model);
}


mb_blob_t
mb_copy(const unsigned char *p, size_t n)
{
    mb_blob_t  b;

    b.p = mb_alloc(n);
    b.n = n;
    if (n) {
        memcpy(b.p, p, n);
    }

    return b;
}


void
mb_free(mb_blob_t *b)
{
    free(b->p);
    b->p = NULL;
    b->n = 0;
}


void
mb_fix(mb_blob_t *b)
{
    if (b->n >= GLOSSARY_CHECKSUM_FROM) {
        mb_header(b)->checksum = glossary_blob_checksum(b->p, b->n);
    }
}


uint64_t
mb_index_checksum(const unsigned char *p, size_t n, uint64_t strings_off,
    uint64_t strings_size)
{
    uint64_t  h;

    if (n < GLOSSARY_HEADER_SIZE || strings_off < GLOSSARY_HEADER_SIZE
        || strings_off > n || strings_size > n - strings_off)
    {
        return 0;
    }

    h = XXH3_64bits(p + 24, 72 - 24);
    h = XXH3_64bits_withSeed(p + 80, strings_off - 80, h);

    return XXH3_64bits_withSeed(p + strings_off + strings_size,
                                n - strings_off - strings_size, h);
}


/* the section's bytes lie inside the blob */
static int
mb_section_inside(mb_blob_t *b, const glossary_section_t *s)
{
    return s != NULL && s->offset <= b->n && s->size <= b->n - s->offset;
}


static void
mb_seal_index(mb_blob_t *b, int hashes)
{
    uint64_t             i, n, len, from, *hash;
    uint32_t             shift;
    glossary_chunks_t   *c;
    glossary_section_t  *strings, *chunks;

    strings = mb_find_section(b, GLOSSARY_SECTION_STRINGS);
    chunks = mb_find_section(b, GLOSSARY_SECTION_CHUNKS);

    if (!mb_section_inside(b, strings) || !mb_section_inside(b, chunks)) {
        return;
    }

    /* hashes only where the section has room for them, whatever it says */
    if (hashes && chunks->size >= sizeof(glossary_chunks_t)) {
        c = (glossary_chunks_t *) (b->p + chunks->offset);
        hash = (uint64_t *) (c + 1);
        shift = c->chunk_shift;
        n = mb_chunk_count(strings->size, shift);

        if (n > (chunks->size - sizeof(glossary_chunks_t)) / sizeof(uint64_t))
        {
            n = (chunks->size - sizeof(glossary_chunks_t)) / sizeof(uint64_t);
        }

        for (i = 0; i < n; i++) {
            from = i << shift;
            len = strings->size - from;
            if (len > (uint64_t) 1 << shift) {
                len = (uint64_t) 1 << shift;
            }

            hash[i] = XXH3_64bits(b->p + strings->offset + from, len);
        }
    }

    mb_header(b)->index_checksum = mb_index_checksum(b->p, b->n,
                                                     strings->offset,
                                                     strings->size);
}


void
mb_seal(mb_blob_t *b)
{
    if (b->n >= GLOSSARY_HEADER_SIZE) {
        mb_seal_index(b, 1);
    }

    mb_fix(b);
}


void
mb_fix_index(mb_blob_t *b)
{
    if (b->n >= GLOSSARY_HEADER_SIZE) {
        mb_seal_index(b, 0);
    }

    mb_fix(b);
}


glossary_section_t *
mb_find_section(mb_blob_t *b, uint32_t id)
{
    uint32_t             i, n;
    uint64_t             table;
    glossary_section_t  *s;

    if (b->n < GLOSSARY_HEADER_SIZE) {
        return NULL;
    }

    table = mb_header(b)->section_table;
    n = mb_header(b)->section_count;

    if (table > b->n || table % GLOSSARY_ALIGN) {
        return NULL;
    }

    if (n > (b->n - table) / sizeof(glossary_section_t)) {
        n = (uint32_t) ((b->n - table) / sizeof(glossary_section_t));
    }

    s = (glossary_section_t *) (b->p + table);

    for (i = 0; i < n; i++) {
        if (s[i].id == id) {
            return &s[i];
        }
    }

    return NULL;
}


glossary_fts_section_t *
mb_fts_section(mb_blob_t *b)
{
    return mb_section_data(b, GLOSSARY_SECTION_FTS);
}


unsigned char *
mb_fts_image(mb_blob_t *b)
{
    return (unsigned char *) (mb_fts_section(b) + 1);
}


void *
mb_fts_part(mb_blob_t *b, uint32_t part, uint64_t *size)
{
    glossary_fts_part_t  *t;

    t = (glossary_fts_part_t *) (mb_fts_image(b) + GLOSSARY_FTS_HEADER_SIZE)
        + part;

    if (size != NULL) {
        *size = t->size;
    }

    return mb_fts_image(b) + t->offset;
}


glossary_chunks_t *
mb_chunks(mb_blob_t *b)
{
    return mb_section_data(b, GLOSSARY_SECTION_CHUNKS);
}


uint64_t *
mb_chunk_hashes(mb_blob_t *b)
{
    return (uint64_t *) (mb_chunks(b) + 1);
}


glossary_header_t *
mb_header(mb_blob_t *b)
{
    return (glossary_header_t *) b->p;
}


/* the table entry of a section as the writer laid it out */
glossary_section_t *
mb_section(mb_blob_t *b, uint32_t id)
{
    glossary_section_t  *s;

    s = mb_find_section(b, id);

    if (s == NULL) {
        fprintf(stderr, "make_blob: no section %u\n", (unsigned) id);
        abort();
    }

    return s;
}


void *
mb_section_data(mb_blob_t *b, uint32_t id)
{
    return b->p + mb_section(b, id)->offset;
}


glossary_term_t *
mb_term(mb_blob_t *b, uint32_t i)
{
    return (glossary_term_t *) mb_section_data(b, GLOSSARY_SECTION_TERMS) + i;
}


glossary_term_v1_t *
mb_term_v1(mb_blob_t *b, uint32_t i)
{
    return (glossary_term_v1_t *) mb_section_data(b, GLOSSARY_SECTION_TERMS)
           + i;
}


int
mb_is_v1(mb_blob_t *b)
{
    return mb_header(b)->version_major == GLOSSARY_VERSION_MAJOR_V1;
}


void
mb_set_related(mb_blob_t *b, uint32_t i, uint64_t first, uint32_t count)
{
    if (mb_is_v1(b)) {
        mb_term_v1(b, i)->related_first = (uint32_t) first;
        mb_term_v1(b, i)->related_count = count;
        return;
    }

    mb_term(b, i)->related_first = first;
    mb_term(b, i)->related_count = count;
}


glossary_related_t *
mb_related(mb_blob_t *b, uint32_t i)
{
    return (glossary_related_t *) mb_section_data(b, GLOSSARY_SECTION_RELATED)
           + i;
}


glossary_hash_t *
mb_hash(mb_blob_t *b)
{
    return mb_section_data(b, GLOSSARY_SECTION_HASH);
}


uint32_t *
mb_buckets(mb_blob_t *b)
{
    return (uint32_t *) (mb_hash(b) + 1);
}


glossary_doc_t *
mb_doc(mb_blob_t *b, uint32_t term, uint32_t kind)
{
    uint32_t            k, slot;
    uint64_t            kinds;
    glossary_header_t  *h;

    h = mb_header(b);

    if (mb_is_v1(b)) {
        return (glossary_doc_t *) mb_section_data(b, GLOSSARY_SECTION_DOCS)
               + (uint64_t) term * h->docs_per_term + kind;
    }

    kinds = h->doc_kinds;

    if (kind >= 64 || !((kinds >> kind) & 1)) {
        fprintf(stderr, "make_blob: no documents of kind %u\n",
                (unsigned) kind);
        abort();
    }

    for (k = 0, slot = 0; k < kind; k++) {
        slot += (kinds >> k) & 1;
    }

    return (glossary_doc_t *) mb_section_data(b, GLOSSARY_SECTION_DOCS)
           + (uint64_t) slot * h->term_count + term;
}


glossary_doc_t *
mb_global(mb_blob_t *b, uint32_t kind)
{
    return (glossary_doc_t *) mb_section_data(b, GLOSSARY_SECTION_GLOBALS)
           + kind;
}


glossary_category_t *
mb_category(mb_blob_t *b, uint32_t i)
{
    return (glossary_category_t *)
           mb_section_data(b, GLOSSARY_SECTION_CATEGORIES) + i;
}


void
mb_rehash(mb_blob_t *b)
{
    uint32_t          i, k, n, bc, v;
    glossary_term_t  *t;
    uint32_t         *buckets;

    bc = mb_hash(b)->bucket_count;
    buckets = mb_buckets(b);
    n = mb_header(b)->term_count;

    memset(buckets, 0, (size_t) bc * 4);
    mb_hash(b)->max_probe = 0;

    for (i = 0; i < n; i++) {
        t = mb_term(b, i);
        v = (uint32_t) glossary_blob_hash(b->p + t->slug.off, t->slug.len)
            & (bc - 1);

        for (k = 0; k < bc && buckets[v] != 0; k++) {
            v = (v + 1) & (bc - 1);
        }

        buckets[v] = i + 1;

        if (k > mb_hash(b)->max_probe) {
            mb_hash(b)->max_probe = k;
        }
    }
}
