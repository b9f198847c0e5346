/*
 * The format 1.2 helpers of the blob tests (tb.h): the model with chunks
 * of 4 KiB, blobs kept open with their lazy state, walks of every document
 * and string through glossary_lazy_*().
 */

#include <stdlib.h>
#include <string.h>

#include "tb.h"


const unsigned  tb_flags[TB_ALL_FLAGS] = {
    0, GLOSSARY_OPEN_LAZY, GLOSSARY_OPEN_DEEP,
    GLOSSARY_OPEN_LAZY | GLOSSARY_OPEN_DEEP
};

const char     *tb_flag_names[TB_ALL_FLAGS] = {
    "0", "LAZY", "DEEP", "LAZY|DEEP"
};


/*
 * The 1.2 model: 24 terms with 200-byte definitions (the eager strings
 * span two chunks), every 1.1 section, 6 documents per term with bodies
 * of 200 bytes: STRINGS of about 40 KB, 10 chunks or more, under 64 KiB
 * in all (a fuzzer seed).
 */
mb_model_t
tb_lazy_model(void)
{
    uint32_t             i;
    mb_model_t           m;
    static char          slugs[TB_LAZY_TERMS][16], names[TB_LAZY_TERMS][16];
    static char          keys[TB_LAZY_TERMS][16], defs[TB_LAZY_TERMS][208];
    static mb_term_t     terms[TB_LAZY_TERMS];
    static mb_search_t   search[TB_LAZY_TERMS];

    static const mb_related_t  related[] = {
        { 1, "term-01", "Term 01" },
        { GLOSSARY_NO_TERM, "service-mesh", "Service mesh" },
        { 0, "term-00", "Term 00" },
    };

    static const mb_category_t  categories[] = {
        { "alpha", "Alpha", TB_LAZY_TERMS / 2 },
        { "beta", "Beta", TB_LAZY_TERMS / 2 },
    };

    static const mb_segment_t  segments[] = {
        { GLOSSARY_SEGMENT_TEXT, "<!DOCTYPE html>\n<title>Search</title>\n" },
        { GLOSSARY_SEGMENT_QUERY, "" },
        { GLOSSARY_SEGMENT_TEXT, "<ul>\n" },
        { GLOSSARY_SEGMENT_RESULTS, "" },
    };

    for (i = 0; i < TB_LAZY_TERMS; i++) {
        snprintf(slugs[i], sizeof(slugs[i]), "term-%02u", (unsigned) i);
        snprintf(names[i], sizeof(names[i]), "Term %02u", (unsigned) i);
        snprintf(keys[i], sizeof(keys[i]), "term %02u", (unsigned) i);
        memset(defs[i], 'a' + i % 26, 200);
        defs[i][200] = '\0';

        terms[i].slug = slugs[i];
        terms[i].term = names[i];
        terms[i].category = i % 2 ? "Beta" : "Alpha";
        terms[i].definition = defs[i];
        terms[i].related_first = i == 0 ? 0 : i == 1 ? 2 : 3;
        terms[i].related_count = i == 0 ? 2 : i == 1 ? 1 : 0;

        search[i].key = keys[i];
        search[i].term_id = i;
        search[i].order = i;
    }

    memset(&m, 0, sizeof(mb_model_t));
    m.terms = terms;
    m.nterms = TB_LAZY_TERMS;
    m.related = related;
    m.nrelated = 3;
    m.docs_per_term = GLOSSARY_DOCS_PER_TERM_V1_1;
    m.global_docs = GLOSSARY_GLOBAL_DOCS_V1_1;
    m.version_minor = 2;
    m.categories = categories;
    m.ncategories = 2;
    m.search_terms = search;
    m.nsearch_terms = TB_LAZY_TERMS;
    m.segments = segments;
    m.nsegments = 4;
    m.chunk_shift = TB_SHIFT;
    m.body_pad = 200;

    return m;
}


mb_blob_t
tb_lazy_build(void)
{
    mb_model_t  m;

    m = tb_lazy_model();

    return mb_build(&m);
}


void
tb_lazy_open(tb_lazy_t *o, const unsigned char *p, size_t n, unsigned flags)
{
    memset(o, 0, sizeof(tb_lazy_t));

    o->n = n;
    o->copy = malloc(n ? n : 1);
    if (o->copy == NULL) {
        exit(2);
    }

    if (n) {
        memcpy(o->copy, p, n);
    }

    memset(&o->blob, 0xa5, sizeof(glossary_blob_t));
    o->rc = glossary_blob_open_flags(&o->blob, o->copy, n, flags);

    if (o->rc != GLOSSARY_OK) {
        return;
    }

    /* zeroed as the callers must; a guard after it that must stay intact */
    o->mem_size = glossary_lazy_size(&o->blob);
    o->mem = malloc(o->mem_size + TB_GUARD);
    if (o->mem == NULL) {
        exit(2);
    }

    memset(o->mem, 0, o->mem_size);
    memset(o->mem + o->mem_size, 0xa5, TB_GUARD);

    memset(&o->lz, 0xa5, sizeof(glossary_lazy_t));
    glossary_lazy_init(&o->lz, &o->blob, o->mem);
}


int
tb_lazy_guard_ok(const tb_lazy_t *o)
{
    size_t  i;

    for (i = 0; o->mem != NULL && i < TB_GUARD; i++) {
        if (o->mem[o->mem_size + i] != 0xa5) {
            return 0;
        }
    }

    return 1;
}


void
tb_lazy_close(tb_lazy_t *o)
{
    free(o->copy);
    free(o->mem);
    o->copy = NULL;
    o->mem = NULL;
}


uint64_t
tb_words(uint64_t bits)
{
    return (bits + 63) / 64;
}


uint64_t
tb_eager_chunks(const glossary_blob_t *blob)
{
    return (blob->eager_size + ((uint64_t) 1 << blob->chunk_shift) - 1)
           >> blob->chunk_shift;
}


uint64_t
tb_slots(const glossary_blob_t *blob)
{
    return (uint64_t) blob->term_count * blob->docs_per_term
           + blob->global_docs + 2 * (uint64_t) blob->category_count;
}


int
tb_bit(const uint64_t *map, uint64_t i)
{
    return (map[i / 64] >> (i % 64)) & 1;
}


uint64_t
tb_popcount(const uint64_t *map, uint64_t bits)
{
    uint64_t  i, n;

    for (i = 0, n = 0; map != NULL && i < bits; i++) {
        n += tb_bit(map, i);
    }

    return n;
}


/* every document of a blob: term documents, global ones, categories' two */
uint32_t
tb_docs(const glossary_blob_t *blob, const glossary_doc_t **docs)
{
    uint32_t  i, k, n;

    n = 0;

    for (i = 0; i < blob->term_count; i++) {
        for (k = 0; k < blob->docs_per_term && n < TB_MAX_DOCS; k++) {
            docs[n++] = glossary_blob_doc(blob, i, k);
        }
    }

    for (k = 0; k < blob->global_docs && n < TB_MAX_DOCS; k++) {
        docs[n++] = glossary_blob_global(blob, k);
    }

    for (i = 0; i < blob->category_count && n + 2 <= TB_MAX_DOCS; i++) {
        docs[n++] = &blob->categories[i].json;
        docs[n++] = &blob->categories[i].html;
    }

    return n;
}


/* the first and last chunk of a reference; 0 when it is empty */
int
tb_ref_chunks(const glossary_blob_t *blob, const glossary_ref_t *ref,
    uint64_t *first, uint64_t *last)
{
    *first = 0;
    *last = 0;

    if (ref->len == 0) {
        return 0;
    }

    *first = (ref->off - blob->strings_off) >> blob->chunk_shift;
    *last = (ref->off - blob->strings_off + ref->len - 1) >> blob->chunk_shift;

    return 1;
}


int
tb_ref_touches(const glossary_blob_t *blob, const glossary_ref_t *ref,
    uint64_t chunk)
{
    uint64_t  first, last;

    return tb_ref_chunks(blob, ref, &first, &last)
           && first <= chunk && chunk <= last;
}


int
tb_doc_touches(const glossary_blob_t *blob, const glossary_doc_t *d,
    uint64_t chunk)
{
    return tb_ref_touches(blob, &d->body, chunk)
           || tb_ref_touches(blob, &d->etag, chunk)
           || tb_ref_touches(blob, &d->gzip_body, chunk)
           || tb_ref_touches(blob, &d->gzip_etag, chunk);
}


/* the one chunk every part of a document lies in, or UINT64_MAX */
uint64_t
tb_doc_chunk(const glossary_blob_t *blob, const glossary_doc_t *d)
{
    int                    i;
    uint64_t               first, last, chunk;
    const glossary_ref_t  *refs[4];

    refs[0] = &d->body;
    refs[1] = &d->etag;
    refs[2] = &d->gzip_body;
    refs[3] = &d->gzip_etag;
    chunk = UINT64_MAX;

    for (i = 0; i < 4; i++) {
        if (!tb_ref_chunks(blob, refs[i], &first, &last)) {
            continue;
        }

        if (first != last || (chunk != UINT64_MAX && chunk != first)) {
            return UINT64_MAX;
        }

        chunk = first;
    }

    return chunk;
}


void
tb_lazy_count(tb_lazy_count_t *c, glossary_status_t rc, glossary_status_t want,
    const char *what, uint64_t i, const char *detail)
{
    switch (rc) {
    case GLOSSARY_OK:
        c->ok++;
        break;
    case GLOSSARY_ERR_CHUNK:
        c->chunk++;
        break;
    case GLOSSARY_ERR_DOCS:
        c->docs++;
        break;
    default:
        c->other++;
    }

    if (rc != want && c->wrong++ == 0) {
        snprintf(c->first, sizeof(c->first), "%s %llu: %s, want %s (%s)",
                 what, (unsigned long long) i, tb_name(rc), tb_name(want),
                 detail);
    }
}


/*
 * glossary_lazy_doc() over every document and glossary_lazy_ref() over
 * every string a server sends; a document touching chunk "bad" (UINT64_MAX:
 * none) must fail with CHUNK, every other call return OK
 */
void
tb_lazy_walk(tb_lazy_t *o, uint64_t bad, tb_lazy_count_t *c)
{
    uint32_t                   i, n;
    glossary_status_t          rc, want;
    const glossary_blob_t     *blob;
    const glossary_term_t     *t;
    const glossary_related_t  *r;
    const glossary_category_t *cat;
    const glossary_doc_t      *docs[TB_MAX_DOCS];

    memset(c, 0, sizeof(tb_lazy_count_t));
    blob = &o->blob;
    n = tb_docs(blob, docs);

    for (i = 0; i < n; i++) {
        rc = glossary_lazy_doc(blob, &o->lz, docs[i]);
        want = (bad != UINT64_MAX && tb_doc_touches(blob, docs[i], bad))
               ? GLOSSARY_ERR_CHUNK : GLOSSARY_OK;
        tb_lazy_count(c, rc, want, "document", i, o->lz.detail);
    }

    for (i = 0; i < blob->term_count; i++) {
        t = &blob->terms[i];
        tb_lazy_count(c, glossary_lazy_ref(blob, &o->lz, &t->slug),
                      GLOSSARY_OK, "term slug", i, o->lz.detail);
        tb_lazy_count(c, glossary_lazy_ref(blob, &o->lz, &t->term),
                      GLOSSARY_OK, "term name", i, o->lz.detail);
        tb_lazy_count(c, glossary_lazy_ref(blob, &o->lz, &t->category),
                      GLOSSARY_OK, "term category", i, o->lz.detail);
        tb_lazy_count(c, glossary_lazy_ref(blob, &o->lz,
                                           &t->short_definition),
                      GLOSSARY_OK, "term definition", i, o->lz.detail);
    }

    for (i = 0; i < blob->related_count; i++) {
        r = &blob->related[i];
        tb_lazy_count(c, glossary_lazy_ref(blob, &o->lz, &r->slug),
                      GLOSSARY_OK, "related slug", i, o->lz.detail);
        tb_lazy_count(c, glossary_lazy_ref(blob, &o->lz, &r->name),
                      GLOSSARY_OK, "related name", i, o->lz.detail);
    }

    for (i = 0; i < blob->category_count; i++) {
        cat = &blob->categories[i];
        tb_lazy_count(c, glossary_lazy_ref(blob, &o->lz, &cat->slug),
                      GLOSSARY_OK, "category slug", i, o->lz.detail);
        tb_lazy_count(c, glossary_lazy_ref(blob, &o->lz, &cat->name),
                      GLOSSARY_OK, "category name", i, o->lz.detail);
    }

    for (i = 0; i < blob->search_term_count; i++) {
        tb_lazy_count(c, glossary_lazy_ref(blob, &o->lz,
                                           &blob->search_terms[i].key),
                      GLOSSARY_OK, "search key", i, o->lz.detail);
    }

    for (i = 0; i < blob->search_page_count; i++) {
        tb_lazy_count(c, glossary_lazy_ref(blob, &o->lz,
                                           &blob->search_page[i].text),
                      GLOSSARY_OK, "search page segment", i, o->lz.detail);
    }
}


/* a document of the blob (as the reader sees it) by its index in tb_docs() */
const glossary_doc_t *
tb_lazy_doc_at(const glossary_blob_t *blob, uint32_t i)
{
    const glossary_doc_t  *docs[TB_MAX_DOCS];

    return i < tb_docs(blob, docs) ? docs[i] : NULL;
}


/* the same document in a writable blob: same offset */
glossary_doc_t *
tb_lazy_doc_in(mb_blob_t *b, const tb_lazy_t *o, const glossary_doc_t *d)
{
    return (glossary_doc_t *) (b->p + ((const unsigned char *) d - o->copy));
}


/* the same document in another opened copy of the blob */
const glossary_doc_t *
tb_lazy_same(const tb_lazy_t *to, const tb_lazy_t *from,
    const glossary_doc_t *d)
{
    return (const glossary_doc_t *)
           (to->copy + ((const unsigned char *) d - from->copy));
}


/*
 * A document for the tests, by its index in tb_docs(): the first term
 * document lying wholly in one chunk, not before chunk not_before, after
 * the first chunk that follows the eager ones and before the last chunk;
 * with a gzip variant when asked; UINT32_MAX when there is none
 */
uint32_t
tb_lazy_pick(const tb_lazy_t *o, uint64_t not_before, int gzip)
{
    uint32_t               i, n;
    uint64_t               chunk;
    const glossary_doc_t  *docs[TB_MAX_DOCS];

    n = tb_docs(&o->blob, docs);

    for (i = 0; i < o->blob.term_count * o->blob.docs_per_term && i < n; i++)
    {
        chunk = tb_doc_chunk(&o->blob, docs[i]);

        if (chunk != UINT64_MAX
            && chunk >= not_before
            && chunk >= tb_eager_chunks(&o->blob) + 1
            && chunk + 1 < o->blob.chunk_count
            && (!gzip || docs[i]->gzip_body.len != 0))
        {
            return i;
        }
    }

    return UINT32_MAX;
}


int
tb_has(const char *s, const char *sub)
{
    return strstr(s, sub) != NULL;
}


/*
 * each of the flags gives want, with a message when it fails (the blobs
 * of the large model are not written as fuzzer seeds; tb_lazy_small()'s)
 */
void
tb_lazy_expect(mb_blob_t *b, glossary_status_t want, const char *name)
{
    int          good;
    unsigned     f;
    tb_result_t  res;

    good = 1;

    for (f = 0; f < 3; f++) {
        res = tb_open_flags(b->p, b->n, tb_flags[f]);

        if (res.rc != want
            || !res.detail_terminated
            || (want != GLOSSARY_OK && res.detail[0] == '\0')
            || res.walk_errors)
        {
            tb_diag("  flags %s: got %s, detail \"%s\"", tb_flag_names[f],
                    tb_name(res.rc), res.detail);
            good = 0;
        }
    }

    tb_ok(good, "%s: %s, opened with 0, LAZY and DEEP", name, tb_name(want));

    mb_free(b);
}
