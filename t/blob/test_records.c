/*
 * The blob reader (src/blob/glossary_blob.c) and the records: a valid blob
 * read through every accessor (lookup, terms, related entries, documents,
 * globals), the variants that must open, and the records that must not:
 * terms, related entries, the slug index (HASH), documents.  Prints TAP;
 * each check expects an exact status code.
 */

#include <stddef.h>
#include <stdlib.h>
#include <string.h>


#include "tb.h"


/* the lookup the header describes, to build unreachable placements */
static uint32_t
tb_sim_lookup(mb_blob_t *b, uint32_t term)
{
    uint32_t          bc, i, n, v;
    uint32_t         *buckets;
    glossary_term_t  *t;

    t = mb_term(b, term);
    bc = mb_hash(b)->bucket_count;
    buckets = mb_buckets(b);
    i = (uint32_t) glossary_blob_hash(b->p + t->slug.off, t->slug.len)
        & (bc - 1);

    for (n = 0; n < bc; n++) {
        v = buckets[i];

        if (v == 0) {
            return GLOSSARY_NO_TERM;
        }

        if (v == term + 1) {
            return term;
        }

        i = (i + 1) & (bc - 1);
    }

    return GLOSSARY_NO_TERM;
}


static int
tb_ref_is(const glossary_blob_t *blob, glossary_ref_t ref, const void *s,
    size_t len)
{
    return ref.len == len
           && (len == 0 || memcmp(glossary_blob_ptr(blob, ref), s, len) == 0);
}


static int
tb_etag_of(const glossary_blob_t *blob, glossary_ref_t etag,
    glossary_ref_t body)
{
    char  want[24];

    snprintf(want, sizeof(want), "\"%016llx\"",
             (unsigned long long)
             glossary_blob_hash(glossary_blob_ptr(blob, body), body.len));

    return tb_ref_is(blob, etag, want, 18);
}


static void
tb_valid(void)
{
    int                        good, all;
    char                       body[256], want[24];
    size_t                     len;
    uint32_t                   i, k, nrel;
    mb_blob_t                  b;
    tb_result_t                res;
    unsigned char             *copy;
    glossary_blob_t            blob;
    glossary_status_t          rc;
    const glossary_doc_t      *d;
    const glossary_term_t     *t;
    const glossary_related_t  *r;

    static const char  *unknown[] = {
        "service-mesh", "cach", "cachex", "cache-", "CACHE", "zero",
        "api-gateway-", "zero-trust\n"
    };

    b = mb_build_default();
    tb_write_corpus(&b, "valid");

    copy = malloc(b.n);
    if (copy == NULL) {
        exit(2);
    }

    memcpy(copy, b.p, b.n);

    rc = glossary_blob_open(&blob, copy, b.n);
    tb_ok(rc == GLOSSARY_OK, "valid blob opens: OK");

    if (rc != GLOSSARY_OK) {
        tb_diag("  got %s, detail \"%s\"", tb_name(rc), blob.detail);
        tb_diag("  skipping the accessor checks");
        free(copy);
        mb_free(&b);
        return;
    }

    tb_ok(memcmp(copy, b.p, b.n) == 0, "open leaves the bytes alone");

    tb_ok(blob.term_count == 3 && blob.docs_per_term == 2
          && blob.global_docs == 1 && blob.related_count == 3
          && blob.size == b.n && blob.base == copy,
          "counts: 3 terms, 2 docs per term, 1 global, 3 related");

    snprintf(want, sizeof(want), "%016llx",
             (unsigned long long) glossary_blob_checksum(b.p, b.n));
    tb_ok(strcmp(blob.build_id, want) == 0, "build_id is the checksum: %s",
          blob.build_id);

    for (i = 0; i < 3; i++) {
        const char  *slug = mb_default_model.terms[i].slug;

        tb_ok(glossary_blob_lookup(&blob, (const unsigned char *) slug,
                                   strlen(slug)) == i,
              "lookup \"%s\" is term %u", slug, (unsigned) i);
    }

    all = 1;
    for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
        if (glossary_blob_lookup(&blob, (const unsigned char *) unknown[i],
                                 strlen(unknown[i]))
            != GLOSSARY_NO_TERM
            || glossary_blob_lookup_doc(&blob,
                                        (const unsigned char *) unknown[i],
                                        strlen(unknown[i]), 0, 1)
               != GLOSSARY_NO_TERM)
        {
            tb_diag("  \"%s\" found", unknown[i]);
            all = 0;
        }
    }

    tb_ok(all && glossary_blob_lookup(&blob, (const unsigned char *) "", 0)
                 == GLOSSARY_NO_TERM,
          "unknown slugs, prefixes and the empty slug: NO_TERM");

    t = &blob.terms[0];
    good = tb_ref_is(&blob, t->term, "API gateway", 11)
           && tb_ref_is(&blob, t->category, "Networking", 10)
           && tb_ref_is(&blob, t->short_definition,
                        "A single entry point in front of many services.", 47)
           && tb_ref_is(&blob, blob.terms[1].category, "", 0)
           && tb_ref_is(&blob, blob.terms[2].short_definition, "", 0);
    tb_ok(good, "term fields, empty ones with length 0");

    r = glossary_blob_related(&blob, 0, &nrel);
    good = nrel == 2 && r == blob.related
           && r[0].term_id == 1 && tb_ref_is(&blob, r[0].slug, "cache", 5)
           && r[1].term_id == GLOSSARY_NO_TERM
           && tb_ref_is(&blob, r[1].slug, "service-mesh", 12)
           && tb_ref_is(&blob, r[1].name, "Service mesh", 12);
    r = glossary_blob_related(&blob, 1, &nrel);
    good = good && nrel == 1 && r == blob.related + 2 && r[0].term_id == 0;
    r = glossary_blob_related(&blob, 2, &nrel);
    good = good && nrel == 0;
    r = glossary_blob_related(&blob, 3, &nrel);
    good = good && nrel == 0 && r == NULL;
    tb_ok(good, "related entries, one dangling (NO_TERM); none for term 3 "
          "of 3");

    all = 1;
    for (i = 0; i < 3; i++) {
        for (k = 0; k < 2; k++) {
            d = glossary_blob_doc(&blob, i, k);
            len = mb_doc_body(body, sizeof(body),
                              mb_default_model.terms[i].slug, k);

            if (d == NULL
                || !tb_ref_is(&blob, d->body, body, len)
                || !tb_etag_of(&blob, d->etag, d->body)
                || (mb_doc_has_gzip(i, k)
                    ? d->gzip_body.len == 0
                      || !tb_etag_of(&blob, d->gzip_etag, d->gzip_body)
                    : d->gzip_body.len != 0 || d->gzip_etag.len != 0))
            {
                tb_diag("  doc(%u, %u) differs", (unsigned) i, (unsigned) k);
                all = 0;
            }
        }
    }

    tb_ok(all, "doc(term, kind): bodies, ETags, gzip variant where written");

    /* the way back, from a record to its term (the module's autolink) */
    all = 1;
    for (i = 0; i < 3; i++) {
        for (k = 0; k < 2; k++) {
            d = glossary_blob_doc(&blob, i, k);
            if (d == NULL || glossary_blob_doc_term(&blob, d) != i) {
                tb_diag("  doc_term(doc(%u, %u)) differs", (unsigned) i,
                        (unsigned) k);
                all = 0;
            }
        }
    }

    tb_ok(all && glossary_blob_doc_term(&blob, glossary_blob_global(
                                           &blob, GLOSSARY_GLOBAL_INDEX_JSON))
                 == GLOSSARY_NO_TERM
          && glossary_blob_doc_term(&blob, NULL) == GLOSSARY_NO_TERM,
          "doc_term: each term's records give the term, a global NO_TERM");

    tb_ok(glossary_blob_doc(&blob, 0, 2) == NULL
          && glossary_blob_doc(&blob, 0, GLOSSARY_MAX_DOCS_PER_TERM) == NULL
          && glossary_blob_doc(&blob, 0, UINT32_MAX) == NULL
          && glossary_blob_doc(&blob, 3, 0) == NULL
          && glossary_blob_doc(&blob, GLOSSARY_NO_TERM, 0) == NULL,
          "doc: kind >= docs_per_term or term >= term_count is NULL");

    d = glossary_blob_global(&blob, GLOSSARY_GLOBAL_INDEX_JSON);
    len = mb_global_body(body, sizeof(body), 0);
    tb_ok(d != NULL && tb_ref_is(&blob, d->body, body, len)
          && tb_etag_of(&blob, d->etag, d->body)
          && glossary_blob_global(&blob, 1) == NULL
          && glossary_blob_global(&blob, UINT32_MAX) == NULL,
          "global(0) is the index, global(1) is NULL");

    free(copy);

    res = tb_open_at(b.p, b.n, 0);
    tb_ok(res.rc == GLOSSARY_OK && res.walk_errors == 0,
          "every reachable byte lies inside STRINGS");
    if (res.walk_errors) {
        tb_diag("  %s", res.walk_first);
    }

    res = tb_open_at(b.p, b.n, 4);
    tb_ok(res.rc == GLOSSARY_ERR_HEADER && res.detail[0],
          "blob at an address not 8-byte aligned: HEADER (got %s)",
          tb_name(res.rc));

    all = 1;
    for (rc = GLOSSARY_OK; rc < GLOSSARY_ERR_LAST; rc++) {
        const char  *s = glossary_blob_strerror(rc);

        if (s == NULL || s[0] == '\0') {
            all = 0;
            continue;
        }

        for (k = 0; k < rc; k++) {
            if (strcmp(s, glossary_blob_strerror(k)) == 0) {
                all = 0;
            }
        }
    }

    tb_ok(all && glossary_blob_strerror(GLOSSARY_ERR_LAST) != NULL
          && glossary_blob_strerror((glossary_status_t) -1) != NULL,
          "strerror: a distinct message per code, something for others");

    mb_free(&b);
}


static void tb_kinds(void);


static void
tb_valid_variants(void)
{
    char           slug[160];
    uint32_t       i;
    mb_blob_t      b;
    mb_model_t     m;
    mb_term_t     *terms;
    tb_result_t    res;
    static char    names[600][16];

    m = mb_default_model;
    m.version_minor = 7;
    b = mb_build(&m);
    tb_expect(&b, GLOSSARY_OK, "minor version 7 is accepted");

    m = mb_default_model;
    m.extra_section = 1;
    b = mb_build(&m);
    tb_expect(&b, GLOSSARY_OK, "a section of unknown id is skipped");

    m = mb_default_model;
    m.header_size = 192;
    b = mb_build(&m);
    tb_expect(&b, GLOSSARY_OK, "a larger header_size (192) is accepted");

    m = mb_default_model;
    m.bucket_count = 4;
    b = mb_build(&m);
    tb_expect(&b, GLOSSARY_OK, "bucket_count 4 for 3 terms");

    m = mb_default_model;
    m.docs_per_term = 3;
    m.global_docs = 3;
    b = mb_build(&m);
    tb_expect(&b, GLOSSARY_OK, "docs_per_term 3 and global_docs 3");

    m = mb_default_model;
    m.global_docs = UINT32_MAX;
    b = mb_build(&m);
    tb_expect(&b, GLOSSARY_OK, "global_docs 0");

    /* 2.0: DOCS holds the kinds of doc_kinds, kind by kind */
    if (mb_default_major != GLOSSARY_VERSION_MAJOR_V1) {
        tb_kinds();
    }

    memset(&m, 0, sizeof(m));
    b = mb_build(&m);
    tb_expect(&b, GLOSSARY_OK, "an empty glossary");

    memset(&m, 0, sizeof(m));
    m.bucket_count = 1;
    b = mb_build(&m);
    tb_expect(&b, GLOSSARY_OK, "an empty glossary with 1 bucket");

    /* many terms, the table nearly full: long probes that wrap around */
    terms = calloc(600, sizeof(mb_term_t));
    if (terms == NULL) {
        exit(2);
    }

    for (i = 0; i < 600; i++) {
        snprintf(names[i], sizeof(names[i]), "t%04u", (unsigned) i);
        terms[i].slug = names[i];
        terms[i].term = names[i];
    }

    memset(&m, 0, sizeof(m));
    m.terms = terms;
    m.nterms = 255;
    m.bucket_count = 256;
    m.docs_per_term = 1;
    b = mb_build(&m);
    tb_expect(&b, GLOSSARY_OK, "255 terms in 256 buckets");

    m.nterms = 256;
    b = mb_build(&m);
    tb_expect(&b, GLOSSARY_ERR_HASH, "256 terms in 256 buckets");

    m.nterms = 600;
    m.bucket_count = 0;
    m.docs_per_term = 0;
    b = mb_build(&m);
    res = tb_open(b.p, b.n);
    tb_ok(res.rc == GLOSSARY_OK && res.walk_errors == 0,
          "600 terms, 2048 buckets, %zu bytes: OK, all found", b.n);
    mb_free(&b);

    /* the slug length limit, with canonical bytes */
    memset(slug, 'a', sizeof(slug));
    slug[GLOSSARY_MAX_SLUG_LEN] = '\0';
    terms[0].slug = slug;
    terms[0].term = "long";

    memset(&m, 0, sizeof(m));
    m.terms = terms;
    m.nterms = 1;
    b = mb_build(&m);
    tb_expect(&b, GLOSSARY_OK, "a slug of 128 bytes");

    slug[GLOSSARY_MAX_SLUG_LEN] = 'a';
    slug[GLOSSARY_MAX_SLUG_LEN + 1] = '\0';
    b = mb_build(&m);
    tb_expect(&b, GLOSSARY_ERR_TERMS, "a slug of 129 bytes");

    free(terms);
}


/*
 * Format 2.0: only the kinds of doc_kinds, kind by kind, each kind's
 * records for every term together; glossary_blob_doc() NULL for the others
 */
static void
tb_kinds(void)
{
    char                   body[256];
    size_t                 len;
    uint32_t               i, k, all;
    mb_blob_t              b;
    mb_model_t             m;
    unsigned char         *copy;
    glossary_doc_t        *g;
    glossary_blob_t        blob;
    glossary_status_t      rc;
    const glossary_doc_t  *d;

    static const uint64_t  kinds[] = { 0x5, 0x1, 0x20, 0x3f, 0x31 };

    for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
        m = mb_default_model;
        m.doc_kinds = kinds[k];
        b = mb_build(&m);

        copy = malloc(b.n);
        if (copy == NULL) {
            exit(2);
        }

        memcpy(copy, b.p, b.n);
        rc = glossary_blob_open(&blob, copy, b.n);
        all = (rc == GLOSSARY_OK);

        for (i = 0; all && i < 3; i++) {
            for (len = 0; len < 64; len++) {
                if (((kinds[k] >> len) & 1)
                    != (glossary_blob_doc(&blob, i, (uint32_t) len) != NULL))
                {
                    all = 0;
                }
            }
        }

        /* each stored kind's records: kind by kind, term by term */
        for (i = 0; all && i < 64; i++) {
            if (!((kinds[k] >> i) & 1)) {
                continue;
            }

            d = glossary_blob_doc(&blob, 0, i);
            len = mb_doc_body(body, sizeof(body),
                              mb_default_model.terms[1].slug, i);

            if (glossary_blob_doc(&blob, 1, i) != d + 1
                || glossary_blob_doc(&blob, 2, i) != d + 2
                || d[1].body.len != len
                || memcmp(glossary_blob_ptr(&blob, d[1].body), body, len)
                   != 0
                || (d - blob.docs) % 3 != 0)
            {
                all = 0;
            }
        }

        tb_ok(all, "doc_kinds 0x%llx: the kinds stored, kind by kind, the "
              "others NULL", (unsigned long long) kinds[k]);

        free(copy);
        mb_free(&b);
    }

    /* an absent document: four empty references, in range */
    b = mb_build_default();
    memset(mb_doc(&b, 1, 1), 0, sizeof(glossary_doc_t));
    tb_expect(&b, GLOSSARY_ERR_DOCS, "an absent document at offset 0");

    b = mb_build_default();
    g = mb_doc(&b, 1, 0);                  /* has no gzip variant */
    g->body.len = 0;
    g->etag.len = 0;
    tb_expect(&b, GLOSSARY_OK, "an absent document (no body, no ETag)");

    b = mb_build_default();
    g = mb_global(&b, 0);
    memset(g, 0, sizeof(glossary_doc_t));
    g->body.off = tb_strings(&b)->offset;
    g->etag.off = g->body.off;
    g->gzip_body.off = g->body.off;
    g->gzip_etag.off = g->body.off;
    tb_expect(&b, GLOSSARY_OK, "an absent global document");

    b = mb_build_default();
    g = mb_doc(&b, 0, 0);                  /* has a gzip variant */
    g->body.len = 0;
    g->etag.len = 0;
    tb_expect(&b, GLOSSARY_ERR_DOCS, "no body and no ETag, but a gzip body");
}


/* the classic bad references, applied to one ref field */
static void
    tb_bad_refs(const char *what, size_t field, int term_table,
    glossary_status_t want)
{
    int              i;
    char             name[128];
    uint64_t         so, ss, n;
    mb_blob_t        b;
    glossary_ref_t  *ref;

    static const char  *cases[] = {
        "off past the end", "off 2^64-1", "len 2^64-1",
        "off + len wraps", "inside the header", "inside TERMS",
        "one byte past STRINGS"
    };

    for (i = 0; i < 7; i++) {
        b = mb_build_default();
        n = b.n;
        so = tb_strings(&b)->offset;
        ss = tb_strings(&b)->size;

        ref = (glossary_ref_t *) ((unsigned char *)
              (term_table == 1 ? (void *) mb_term(&b, 1)
               : term_table == 2 ? (void *) mb_related(&b, 1)
               : term_table == 3 ? (void *) mb_doc(&b, 2, 1)
               : (void *) mb_global(&b, 0)) + field);

        switch (i) {
        case 0:
            ref->off = n;
            ref->len = 1;
            break;
        case 1:
            ref->off = UINT64_MAX;
            ref->len = 1;
            break;
        case 2:
            ref->off = so;
            ref->len = UINT64_MAX;
            break;
        case 3:
            ref->off = so + 2;
            ref->len = UINT64_MAX - 1;      /* off + len = so */
            break;
        case 4:
            ref->off = 0;
            ref->len = 8;
            break;
        case 5:
            ref->off = mb_section(&b, GLOSSARY_SECTION_TERMS)->offset;
            ref->len = 4;
            break;
        default:
            ref->off = so + ss - 4;
            ref->len = 5;
            break;
        }

        snprintf(name, sizeof(name), "%s %s", what, cases[i]);
        tb_expect(&b, want, name);
    }
}


/* TERMS: references, slugs, order, names */
static void
tb_terms(void)
{
    int              i;
    char             name[96];
    mb_blob_t        b;
    glossary_term_t *t, tmp;

    static const struct {
        const char  *slug;
        const char  *what;
    } slugs[] = {
        { "Cache", "upper case" },
        { "-ache", "leading hyphen" },
        { "cach-", "trailing hyphen" },
        { "c--he", "double hyphen" },
        { "ca he", "a space" },
        { "ca_he", "an underscore" },
        { "cac\0e", "a NUL" },
        { "cach\xc3", "a non-ASCII byte" },
    };

    tb_bad_refs("term slug", offsetof(glossary_term_t, slug), 1,
                GLOSSARY_ERR_TERMS);
    tb_bad_refs("term name", offsetof(glossary_term_t, term), 1,
                GLOSSARY_ERR_TERMS);
    tb_bad_refs("term category", offsetof(glossary_term_t, category), 1,
                GLOSSARY_ERR_TERMS);
    tb_bad_refs("term definition",
                offsetof(glossary_term_t, short_definition), 1,
                GLOSSARY_ERR_TERMS);

    b = mb_build_default();
    mb_term(&b, 1)->category.off = 0;
    tb_expect(&b, GLOSSARY_ERR_TERMS, "empty category with off 0 (outside "
              "STRINGS)");

    b = mb_build_default();
    t = mb_term(&b, 1);
    t->category.off = tb_strings(&b)->offset + tb_strings(&b)->size;
    tb_expect(&b, GLOSSARY_OK, "empty category with off at the end of "
              "STRINGS");

    /* slugs */

    for (i = 0; i < (int) (sizeof(slugs) / sizeof(slugs[0])); i++) {
        b = mb_build_default();
        t = mb_term(&b, 1);                 /* "cache" */
        memcpy(b.p + t->slug.off, slugs[i].slug, 5);
        snprintf(name, sizeof(name), "term slug with %s", slugs[i].what);
        tb_expect(&b, GLOSSARY_ERR_TERMS, name);
    }

    b = mb_build_default();
    mb_term(&b, 1)->slug.len = 0;
    tb_expect(&b, GLOSSARY_ERR_TERMS, "empty term slug");

    b = mb_build_default();
    t = mb_term(&b, 0);
    t->slug = t->term;                      /* "API gateway" */
    tb_expect(&b, GLOSSARY_ERR_TERMS, "term slug pointing at its name");

    b = mb_build_default();
    t = mb_term(&b, 0);
    tmp = t[0];
    t[0] = t[1];
    t[1] = tmp;
    mb_rehash(&b);
    tb_expect(&b, GLOSSARY_ERR_TERMS, "terms not sorted (hash rebuilt)");

    b = mb_build_default();
    t = mb_term(&b, 0);
    t[2].slug = t[1].slug;
    mb_rehash(&b);
    tb_expect(&b, GLOSSARY_ERR_TERMS, "two terms with one slug");

    b = mb_build_default();
    t = mb_term(&b, 0);
    t[1].slug.len = 4;                      /* "cach" is a prefix */
    t[0].slug = t[1].slug;
    t[1].slug.len = 5;
    mb_rehash(&b);
    tb_expect(&b, GLOSSARY_OK, "a prefix sorts first (cach < cache)");

    b = mb_build_default();
    t = mb_term(&b, 0);
    t[0].slug = t[1].slug;                  /* "cache" */
    t[1].slug.len = 4;                      /* "cach" */
    mb_rehash(&b);
    tb_expect(&b, GLOSSARY_ERR_TERMS, "a longer slug before its prefix");

    b = mb_build_default();
    mb_term(&b, 2)->term.len = 0;
    tb_expect(&b, GLOSSARY_ERR_TERMS, "empty term name");

    b = mb_build_default();
    mb_term(&b, 1)->term.len = GLOSSARY_MAX_FIELD_LEN + 1;
    tb_expect(&b, GLOSSARY_ERR_TERMS, "term name over the field limit");
}


/* RELATED and the terms' ranges into it */
static void
tb_related(void)
{
    mb_blob_t        b;

    tb_bad_refs("related slug", offsetof(glossary_related_t, slug), 2,
                GLOSSARY_ERR_RELATED);
    tb_bad_refs("related name", offsetof(glossary_related_t, name), 2,
                GLOSSARY_ERR_RELATED);

    /* ranges */

    b = mb_build_default();
    mb_set_related(&b, 0, 2, 2);
    tb_expect(&b, GLOSSARY_ERR_TERMS, "related 2+2 of 3");

    b = mb_build_default();
    mb_set_related(&b, 2, 4, 0);
    tb_expect(&b, GLOSSARY_ERR_TERMS, "related_first 4 of 3, count 0");

    b = mb_build_default();
    mb_set_related(&b, 2, 3, 0);
    tb_expect(&b, GLOSSARY_OK, "related_first 3 of 3, count 0");

    b = mb_build_default();
    mb_set_related(&b, 1, UINT32_MAX, 1);
    tb_expect(&b, GLOSSARY_ERR_TERMS, "related_first 2^32-1 (first + count "
              "wraps 32 bits)");

    b = mb_build_default();
    mb_set_related(&b, 1, 1, UINT32_MAX);
    tb_expect(&b, GLOSSARY_ERR_TERMS, "related_count 2^32-1");

    /* no count per term but the 32-bit index: 70,000 entries of one term */
    {
        uint32_t           k;
        mb_model_t         m;
        mb_related_t      *many;
        static mb_term_t   hub[] = { { "hub", "Hub", "", "", 0, 70000 } };

        many = calloc(70000, sizeof(mb_related_t));
        if (many == NULL) {
            abort();
        }

        for (k = 0; k < 70000; k++) {
            many[k].term_id = (k % 7 == 0) ? 0 : GLOSSARY_NO_TERM;
            many[k].slug = (k % 7 == 0) ? "hub" : "dangling";
            many[k].name = "A name";
        }

        memset(&m, 0, sizeof(mb_model_t));
        m.terms = hub;
        m.nterms = 1;
        m.related = many;
        m.nrelated = 70000;

        b = mb_build(&m);
        tb_expect(&b, GLOSSARY_OK, "70,000 related entries of one term");

        b = mb_build(&m);
        mb_set_related(&b, 0, 0, 70001);
        tb_expect(&b, GLOSSARY_ERR_TERMS, "70,001 of 70,000 related entries");

        free(many);
    }

    if (mb_default_major != GLOSSARY_VERSION_MAJOR_V1) {
        /* 2.0: 64 bits; a reader that kept 32 would take 2^32 for 0 */
        b = mb_build_default();
        mb_set_related(&b, 2, (uint64_t) 1 << 32, 0);
        tb_expect(&b, GLOSSARY_ERR_TERMS, "related_first 2^32 of 3, count 0 "
                  "(0 in 32 bits)");

        b = mb_build_default();
        mb_set_related(&b, 0, ((uint64_t) 1 << 34) + 0, 2);
        tb_expect(&b, GLOSSARY_ERR_TERMS, "related_first 2^34 + 0, count 2 "
                  "(0 in 32 bits)");

        b = mb_build_default();
        mb_set_related(&b, 1, UINT64_MAX, 1);
        tb_expect(&b, GLOSSARY_ERR_TERMS, "related_first 2^64-1 (first + "
                  "count wraps)");

        b = mb_build_default();
        mb_set_related(&b, 1, UINT64_MAX - 1, 3);
        tb_expect(&b, GLOSSARY_ERR_TERMS, "related_first 2^64-2, count 3 "
                  "(first + count wraps to 1)");

        b = mb_build_default();
        mb_term(&b, 1)->reserved = UINT32_MAX;
        tb_expect(&b, GLOSSARY_OK, "the term's reserved field is not read");
    }

    /* entries */

    b = mb_build_default();
    mb_related(&b, 0)->term_id = 3;
    tb_expect(&b, GLOSSARY_ERR_RELATED, "related term_id 3 of 3");

    b = mb_build_default();
    mb_related(&b, 2)->term_id = GLOSSARY_NO_TERM - 1;
    tb_expect(&b, GLOSSARY_ERR_RELATED, "related term_id 0xfffffffe");

    b = mb_build_default();
    mb_related(&b, 0)->term_id = GLOSSARY_NO_TERM;
    tb_expect(&b, GLOSSARY_OK, "related term_id NO_TERM");

    b = mb_build_default();
    mb_related(&b, 1)->slug.len = 0;
    tb_expect(&b, GLOSSARY_ERR_RELATED, "empty related slug");

    b = mb_build_default();
    mb_related(&b, 1)->slug = mb_related(&b, 1)->name;   /* "Service mesh" */
    tb_expect(&b, GLOSSARY_ERR_RELATED, "related slug not canonical");

    b = mb_build_default();
    mb_related(&b, 1)->name.len = 0;
    tb_expect(&b, GLOSSARY_OK, "empty related name");
}


/* HASH: the slug index */
static void
tb_hash(void)
{
    int        i;
    uint32_t   p, q, bc, *buckets;
    mb_blob_t  b;

    {
        mb_model_t  m;
        static const uint32_t  counts[] = { 6, 3, 2 };
        static const char  *what[] = {
            "bucket_count 6 (not a power of two)",
            "bucket_count 3 (not a power of two, = term_count)",
            "bucket_count 2 (<= term_count)",
        };

        for (i = 0; i < 3; i++) {
            m = mb_default_model;
            m.bucket_count = counts[i];
            b = mb_build(&m);
            tb_expect(&b, GLOSSARY_ERR_HASH, what[i]);
        }
    }

    b = mb_build_default();
    mb_hash(&b)->bucket_count = 0;
    mb_section(&b, GLOSSARY_SECTION_HASH)->size = sizeof(glossary_hash_t);
    tb_expect(&b, GLOSSARY_ERR_HASH, "bucket_count 0, HASH of 8 bytes");

    b = mb_build_default();
    bc = mb_hash(&b)->bucket_count;
    buckets = mb_buckets(&b);
    for (p = 0; p < bc && buckets[p] != 0; p++) { /* void */ }
    buckets[p] = 4;
    tb_expect(&b, GLOSSARY_ERR_HASH, "a bucket naming term 4 of 3");

    b = mb_build_default();
    buckets = mb_buckets(&b);
    for (p = 0; p < bc && buckets[p] != 0; p++) { /* void */ }
    buckets[p] = UINT32_MAX;
    tb_expect(&b, GLOSSARY_ERR_HASH, "a bucket holding 2^32-1");

    b = mb_build_default();
    buckets = mb_buckets(&b);
    for (p = 0; p < bc && buckets[p] == 0; p++) { /* void */ }
    for (q = 0; q < bc && buckets[q] != 0; q++) { /* void */ }
    buckets[q] = buckets[p];
    tb_expect(&b, GLOSSARY_ERR_HASH, "a duplicate id in the buckets");

    b = mb_build_default();
    buckets = mb_buckets(&b);
    for (p = 0; p < bc && buckets[p] == 0; p++) { /* void */ }
    buckets[p] = 0;
    tb_expect(&b, GLOSSARY_ERR_HASH, "a term missing from the buckets");

    b = mb_build_default();
    buckets = mb_buckets(&b);
    for (p = 0; p < bc && buckets[p] == 0; p++) { /* void */ }
    for (q = 0; q < bc && buckets[q] == 0; q++) { /* void */ }
    for (q++; q < bc && buckets[q] == 0; q++) { /* void */ }
    i = buckets[p];
    buckets[p] = buckets[q];
    buckets[q] = (uint32_t) i;
    tb_expect(&b, GLOSSARY_ERR_HASH, "two terms' buckets swapped");

    /* a term moved to an empty bucket its probe never reaches */
    b = mb_build_default();
    buckets = mb_buckets(&b);
    for (p = 0; p < bc && buckets[p] != 1; p++) { /* void */ }
    buckets[p] = 0;
    for (q = 0; q < bc; q++) {
        if (buckets[q] == 0 && q != p) {
            buckets[q] = 1;
            if (tb_sim_lookup(&b, 0) == GLOSSARY_NO_TERM) {
                break;
            }
            buckets[q] = 0;
        }
    }
    tb_expect(&b, GLOSSARY_ERR_HASH, "a term in a bucket its slug never "
              "probes");
}


/* DOCS and GLOBALS */
static void
tb_doc_records(void)
{
    size_t           off;
    mb_blob_t        b;
    glossary_doc_t  *d;

    tb_bad_refs("doc body", offsetof(glossary_doc_t, body), 3,
                GLOSSARY_ERR_DOCS);
    tb_bad_refs("doc etag", offsetof(glossary_doc_t, etag), 3,
                GLOSSARY_ERR_DOCS);
    tb_bad_refs("doc gzip body", offsetof(glossary_doc_t, gzip_body), 3,
                GLOSSARY_ERR_DOCS);
    tb_bad_refs("global body", offsetof(glossary_doc_t, body), 4,
                GLOSSARY_ERR_DOCS);

    b = mb_build_default();
    mb_doc(&b, 0, 0)->etag.len = 0;
    tb_expect(&b, GLOSSARY_ERR_DOCS, "doc without an ETag");

    b = mb_build_default();
    d = mb_doc(&b, 1, 1);
    d->etag = d->body;
    tb_expect(&b, GLOSSARY_ERR_DOCS, "doc ETag not quoted");

    b = mb_build_default();
    d = mb_doc(&b, 1, 0);
    b.p[d->etag.off + 5] = ' ';
    tb_expect(&b, GLOSSARY_ERR_DOCS, "doc ETag with a space");

    b = mb_build_default();
    d = mb_doc(&b, 1, 0);
    b.p[d->etag.off + 5] = '"';
    tb_expect(&b, GLOSSARY_ERR_DOCS, "doc ETag with a quote inside");

    b = mb_build_default();
    d = mb_doc(&b, 1, 0);
    d->etag.len = 1;
    tb_expect(&b, GLOSSARY_ERR_DOCS, "doc ETag of one byte");

    b = mb_build_default();
    d = mb_doc(&b, 1, 0);
    d->etag.len = 65;
    tb_expect(&b, GLOSSARY_ERR_DOCS, "doc ETag of 65 bytes");

    b = mb_build_default();
    d = mb_doc(&b, 0, 0);                  /* has a gzip variant */
    d->gzip_etag.len = 0;
    tb_expect(&b, GLOSSARY_ERR_DOCS, "gzip body without its ETag");

    b = mb_build_default();
    d = mb_doc(&b, 0, 1);                  /* has none */
    d->gzip_etag = d->etag;
    tb_expect(&b, GLOSSARY_ERR_DOCS, "gzip ETag without a gzip body");

    b = mb_build_default();
    d = mb_doc(&b, 2, 0);
    off = d->gzip_etag.off;
    d->gzip_etag.off = d->body.off;
    tb_expect(&b, GLOSSARY_ERR_DOCS, "gzip ETag not quoted");
    (void) off;

    /* "length 0 means absent (the offset is then ignored, but still in
     * range)": every absent field, not only those checked for a length */

    b = mb_build_default();
    d = mb_doc(&b, 0, 1);                  /* no gzip variant */
    d->gzip_body.off = 0;
    tb_expect(&b, GLOSSARY_ERR_DOCS, "absent gzip body with off 0");

    b = mb_build_default();
    d = mb_doc(&b, 0, 1);                  /* no gzip variant */
    d->gzip_etag.off = 0;
    tb_expect(&b, GLOSSARY_ERR_DOCS, "absent gzip ETag with off 0");

    b = mb_build_default();
    d = mb_doc(&b, 0, 1);
    d->gzip_etag.off = UINT64_MAX;
    tb_expect(&b, GLOSSARY_ERR_DOCS, "absent gzip ETag with off 2^64-1");

    b = mb_build_default();
    mb_doc(&b, 1, 1)->body.len = 0;
    tb_expect(&b, GLOSSARY_OK, "doc with an empty body");

    b = mb_build_default();
    mb_global(&b, 0)->etag.len = 0;
    tb_expect(&b, GLOSSARY_ERR_DOCS, "global doc without an ETag");
}


int
main(int argc, char **argv)
{
    uint16_t  major;

    tb_init(argc, argv);

    /* the current format, then 1.x, which this reader still reads */
    for (major = GLOSSARY_VERSION_MAJOR; major >= GLOSSARY_VERSION_MAJOR_V1;
         major--)
    {
        tb_major(major);
        tb_valid();
        tb_valid_variants();
        tb_terms();
        tb_related();
        tb_hash();
        tb_doc_records();
    }

    return tb_done();
}
