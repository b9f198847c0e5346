/*
 * The test blob writer.  Layout: header, section table right after it,
 * then TERMS, RELATED, HASH, DOCS, GLOBALS, [an unknown section], [the 1.1
 * sections CATEGORIES, SEARCH_TERMS, SEARCH_WORDS, SEARCH_PAGE], [AUTOLINK,
 * 1.3], and
 * STRINGS last, so that every record can be written in one pass while the
 * string pool grows; [CHUNKS, 1.2] after STRINGS, as glossaryc puts it.
 */

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

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
    NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL, 0, 0, 0, 0, 0
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

    /* CHUNKS follows STRINGS: its size is known only now */
    nchunks = mb_chunk_count(pool.len, m->chunk_shift);
    sec_off[GLOSSARY_SECTION_CHUNKS] = mb_align(pool.base + pool.len);
    sec_size[GLOSSARY_SECTION_CHUNKS] = sizeof(glossary_chunks_t)
                                        + nchunks * sizeof(uint64_t);

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
    }

    if (m->extra_section) {
        memset(p + sec_off[MB_EXTRA_SLOT], 0xa5, MB_EXTRA_SIZE);
    }

    blob.n = present[GLOSSARY_SECTION_CHUNKS]
             ? sec_off[GLOSSARY_SECTION_CHUNKS]
               + sec_size[GLOSSARY_SECTION_CHUNKS]
             : pool.base + pool.len;
    blob.p = mb_alloc(blob.n);
    memcpy(blob.p, p, pool.base);
    if (pool.len) {
        memcpy(blob.p + pool.base, pool.p, pool.len);
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
