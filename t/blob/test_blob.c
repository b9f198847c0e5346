/*
 * Tests of the blob reader (src/blob/glossary_blob.c) over a valid blob built by
 * t/blob/make_blob.c and a corpus of broken ones, each expecting its exact
 * status code.  Prints TAP.  Every blob is opened from a heap copy of
 * exactly its size, so that under -fsanitize=address a read one byte past
 * the end is caught; after every successful open every reachable byte is
 * read.
 *
 *   test_blob                      run the tests
 *   test_blob --write-corpus DIR   also write every blob opened by a named
 *                                  check into DIR (fuzzer seeds)
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "glossary_blob.h"
#include "make_blob.h"


typedef struct {
    glossary_status_t  rc;
    char               detail[sizeof(((glossary_blob_t *) 0)->detail)];
    int                detail_terminated;
    unsigned           walk_errors;
    char               walk_first[160];
    uint64_t           digest;         /* of every reference walked */
    unsigned           lazy;           /* blob->lazy after the open */
} tb_result_t;


static void tb_ok(int cond, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void tb_diag(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));


static unsigned     tb_count;
static unsigned     tb_failed;
static const char  *tb_corpus_dir;
static unsigned     tb_corpus_files;
static volatile uint64_t  tb_sink;


static void
tb_ok(int cond, const char *fmt, ...)
{
    va_list  args;

    tb_count++;

    if (!cond) {
        tb_failed++;
    }

    printf("%sok %u - ", cond ? "" : "not ", tb_count);
    va_start(args, fmt);
    vprintf(fmt, args);
    va_end(args);
    printf("\n");
    fflush(stdout);
}


static void
tb_diag(const char *fmt, ...)
{
    va_list  args;

    printf("# ");
    va_start(args, fmt);
    vprintf(fmt, args);
    va_end(args);
    printf("\n");
}


static const char *
tb_name(glossary_status_t rc)
{
    static const char  *names[] = {
        "OK", "TRUNCATED", "MAGIC", "VERSION", "BYTE_ORDER", "SIZE",
        "TOO_LARGE", "CHECKSUM", "HEADER", "SECTION_TABLE", "SECTION",
        "MISSING_SECTION", "TERMS", "RELATED", "HASH", "DOCS", "CATEGORIES",
        "SEARCH", "CHUNKS", "CHUNK"
    };

    if ((unsigned) rc >= GLOSSARY_ERR_LAST
        || (unsigned) rc >= sizeof(names) / sizeof(names[0]))
    {
        return "?";
    }

    return names[rc];
}


static void
tb_walk_error(tb_result_t *res, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
tb_walk_error(tb_result_t *res, const char *fmt, ...)
{
    va_list  args;

    if (res->walk_errors++ == 0) {
        va_start(args, fmt);
        vsnprintf(res->walk_first, sizeof(res->walk_first), fmt, args);
        va_end(args);
    }
}


/* read every byte of a reference the reader vouched for */
static void
tb_walk_ref(const glossary_blob_t *blob, glossary_ref_t ref, tb_result_t *res,
    const char *what, uint64_t i)
{
    uint64_t              k, sum;
    const unsigned char  *p;

    if (ref.off < blob->strings_off
        || ref.off > blob->size
        || ref.len > blob->size - ref.off
        || ref.off - blob->strings_off > blob->strings_size
        || ref.len > blob->strings_size - (ref.off - blob->strings_off))
    {
        tb_walk_error(res, "%s %llu: ref %llu+%llu outside STRINGS", what,
                      (unsigned long long) i, (unsigned long long) ref.off,
                      (unsigned long long) ref.len);
        return;
    }

    p = glossary_blob_ptr(blob, ref);
    sum = 0;

    for (k = 0; k < ref.len; k++) {
        sum += p[k];
    }

    tb_sink += sum;

    /* what was reached, to compare walks of one blob opened differently */
    res->digest = (res->digest ^ ref.off ^ (ref.len << 40) ^ (sum << 20))
                  * 0x100000001b3ull;
}


static void
tb_walk_doc(const glossary_blob_t *blob, const glossary_doc_t *d,
    tb_result_t *res, const char *what, uint64_t i)
{
    tb_walk_ref(blob, d->body, res, what, i);
    tb_walk_ref(blob, d->etag, res, what, i);
    tb_walk_ref(blob, d->gzip_body, res, what, i);
    tb_walk_ref(blob, d->gzip_etag, res, what, i);
}


/* everything a server could reach in an opened blob */
static void
tb_walk(const glossary_blob_t *blob, tb_result_t *res)
{
    uint32_t                   i, k, id;
    const glossary_doc_t      *d;
    const glossary_term_t     *t;
    const glossary_related_t  *r;

    for (i = 0; i < blob->term_count; i++) {
        t = &blob->terms[i];

        tb_walk_ref(blob, t->slug, res, "term slug", i);
        tb_walk_ref(blob, t->term, res, "term name", i);
        tb_walk_ref(blob, t->category, res, "term category", i);
        tb_walk_ref(blob, t->short_definition, res, "term definition", i);

        id = glossary_blob_lookup(blob, glossary_blob_ptr(blob, t->slug),
                                  t->slug.len);
        if (id != i) {
            tb_walk_error(res, "term %u found as %u", (unsigned) i,
                          (unsigned) id);
        }

        /* the prefetching lookup: any kind, even one out of range */
        for (k = 0; k < 2; k++) {
            id = glossary_blob_lookup_doc(blob,
                                          glossary_blob_ptr(blob, t->slug),
                                          t->slug.len,
                                          k ? blob->docs_per_term : 0,
                                          (int) (i & 1));
            if (id != i) {
                tb_walk_error(res, "term %u found as %u (kind %u)",
                              (unsigned) i, (unsigned) id, (unsigned) k);
            }
        }

        if ((uint64_t) t->related_first + t->related_count
            > blob->related_count)
        {
            tb_walk_error(res, "term %u: related %u+%u of %u", (unsigned) i,
                          (unsigned) t->related_first,
                          (unsigned) t->related_count,
                          (unsigned) blob->related_count);
            continue;
        }

        for (k = 0; k < t->related_count; k++) {
            r = &blob->related[t->related_first + k];

            tb_walk_ref(blob, r->slug, res, "related slug",
                        t->related_first + k);
            tb_walk_ref(blob, r->name, res, "related name",
                        t->related_first + k);

            if (r->term_id != GLOSSARY_NO_TERM
                && glossary_blob_doc(blob, r->term_id, 0) == NULL)
            {
                tb_walk_error(res, "related target %u has no document",
                              (unsigned) r->term_id);
            }
        }

        for (k = 0; k <= blob->docs_per_term; k++) {
            d = glossary_blob_doc(blob, i, k);

            if ((d == NULL) != (k == blob->docs_per_term)) {
                tb_walk_error(res, "doc(%u, %u) %s", (unsigned) i,
                              (unsigned) k, d ? "not NULL" : "NULL");
            }

            if (d != NULL) {
                tb_walk_doc(blob, d, res, "term document",
                            (uint64_t) i * blob->docs_per_term + k);
            }
        }
    }

    if (glossary_blob_doc(blob, blob->term_count, 0) != NULL) {
        tb_walk_error(res, "doc of term_count is not NULL");
    }

    for (k = 0; k <= blob->global_docs; k++) {
        d = glossary_blob_global(blob, k);

        if ((d == NULL) != (k == blob->global_docs)) {
            tb_walk_error(res, "global(%u) %s", (unsigned) k,
                          d ? "not NULL" : "NULL");
        }

        if (d != NULL) {
            tb_walk_doc(blob, d, res, "global document", k);
        }
    }
}


/*
 * Opens a heap copy of exactly n bytes, at an 8-byte aligned address (or
 * deliberately not), walks it when it opens, frees it.
 */
static tb_result_t
tb_open_flags_at(const unsigned char *p, size_t n, size_t misalign,
    unsigned flags)
{
    unsigned char    *copy;
    tb_result_t       res;
    glossary_blob_t   blob;

    memset(&res, 0, sizeof(res));

    copy = malloc(n + misalign + 1);
    if (copy == NULL) {
        fprintf(stderr, "test_blob: out of memory\n");
        exit(2);
    }

    if (n) {
        memcpy(copy + misalign, p, n);
    }

    memset(blob.detail, 'x', sizeof(blob.detail));

    res.rc = flags ? glossary_blob_open_flags(&blob, copy + misalign, n, flags)
                   : glossary_blob_open(&blob, copy + misalign, n);

    res.detail_terminated = memchr(blob.detail, '\0', sizeof(blob.detail))
                            != NULL;
    if (res.detail_terminated) {
        memcpy(res.detail, blob.detail, sizeof(res.detail));
    }

    if (res.rc == GLOSSARY_OK) {
        tb_walk(&blob, &res);
        res.lazy = blob.lazy;
    }

    free(copy);

    return res;
}


static tb_result_t
tb_open_at(const unsigned char *p, size_t n, size_t misalign)
{
    return tb_open_flags_at(p, n, misalign, 0);
}


static tb_result_t
tb_open_flags(const unsigned char *p, size_t n, unsigned flags)
{
    unsigned char  *copy;
    tb_result_t     res;

    /* exact size, so that ASan sees a read past the end */
    copy = malloc(n ? n : 1);
    if (copy == NULL) {
        fprintf(stderr, "test_blob: out of memory\n");
        exit(2);
    }

    if (n) {
        memcpy(copy, p, n);
    }

    res = tb_open_flags_at(copy, n, 0, flags);
    free(copy);

    return res;
}


static tb_result_t
tb_open(const unsigned char *p, size_t n)
{
    return tb_open_flags(p, n, 0);
}


static void
tb_write_corpus(const mb_blob_t *b, const char *name)
{
    char    path[512], file[128];
    FILE   *f;
    size_t  i, j;

    if (tb_corpus_dir == NULL || b->n > 65536) {
        return;
    }

    for (i = 0, j = 0; name[i] && j < sizeof(file) - 1; i++) {
        if ((name[i] >= 'a' && name[i] <= 'z')
            || (name[i] >= '0' && name[i] <= '9'))
        {
            file[j++] = name[i];

        } else if (name[i] >= 'A' && name[i] <= 'Z') {
            file[j++] = (char) (name[i] - 'A' + 'a');

        } else if (j && file[j - 1] != '-') {
            file[j++] = '-';
        }
    }

    while (j && file[j - 1] == '-') {
        j--;
    }

    file[j] = '\0';

    snprintf(path, sizeof(path), "%s/%s.blob", tb_corpus_dir, file);

    f = fopen(path, "wb");
    if (f == NULL || fwrite(b->p, 1, b->n, f) != b->n || fclose(f) != 0) {
        fprintf(stderr, "test_blob: %s: %s\n", path, strerror(errno));
        exit(2);
    }

    tb_corpus_files++;
}


/*
 * The check used by the corpus: re-seal the checksum (unless told not to),
 * open, compare the exact status, want a message for a failure and a clean
 * walk for a success.  Frees the blob.
 */
static void
tb_expect_sealed(mb_blob_t *b, int seal, glossary_status_t want,
    const char *name)
{
    int          good;
    tb_result_t  res;

    if (seal) {
        mb_fix(b);
    }

    tb_write_corpus(b, name);

    res = tb_open(b->p, b->n);

    good = res.rc == want
           && res.detail_terminated
           && (want == GLOSSARY_OK || res.detail[0] != '\0')
           && res.walk_errors == 0;

    tb_ok(good, "%s: %s", name, tb_name(want));

    if (!good) {
        tb_diag("  got %s (%s), detail \"%s\"%s", tb_name(res.rc),
                glossary_blob_strerror(res.rc),
                res.detail_terminated ? res.detail : "(not terminated)",
                res.detail_terminated && want != GLOSSARY_OK
                && res.detail[0] == '\0' ? ", empty" : "");

        if (res.walk_errors) {
            tb_diag("  %u walk errors, first: %s", res.walk_errors,
                    res.walk_first);
        }
    }

    mb_free(b);
}


static void
tb_expect(mb_blob_t *b, glossary_status_t want, const char *name)
{
    tb_expect_sealed(b, 1, want, name);
}


static const glossary_section_t *
tb_strings(mb_blob_t *b)
{
    return mb_section(b, GLOSSARY_SECTION_STRINGS);
}


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
    uint32_t                   i, k;
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

    t = &blob.terms[0];
    r = &blob.related[t->related_first];
    good = t->related_count == 2
           && r[0].term_id == 1 && tb_ref_is(&blob, r[0].slug, "cache", 5)
           && r[1].term_id == GLOSSARY_NO_TERM
           && tb_ref_is(&blob, r[1].slug, "service-mesh", 12)
           && tb_ref_is(&blob, r[1].name, "Service mesh", 12)
           && blob.terms[2].related_count == 0;
    tb_ok(good, "related entries, one dangling (NO_TERM)");

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


static void
tb_truncations(void)
{
    size_t        len, bad_short, bad_long, bad_sealed, n;
    mb_blob_t     b, c;
    tb_result_t   res;
    glossary_status_t  want;

    b = mb_build_default();
    n = b.n;

    res = tb_open(NULL, 0);
    tb_ok(res.rc == GLOSSARY_ERR_TRUNCATED && res.detail[0],
          "NULL, size 0: TRUNCATED");

    bad_short = bad_long = bad_sealed = 0;

    for (len = 0; len < n; len++) {
        res = tb_open(b.p, len);
        want = len < GLOSSARY_HEADER_SIZE ? GLOSSARY_ERR_TRUNCATED
                                          : GLOSSARY_ERR_SIZE;

        if (res.rc != want || res.detail[0] == '\0') {
            if (len < GLOSSARY_HEADER_SIZE) {
                bad_short++;
            } else {
                bad_long++;
            }

            tb_diag("  truncated to %zu: %s", len, tb_name(res.rc));
        }

        if (len < GLOSSARY_HEADER_SIZE) {
            continue;
        }

        /* truncated but consistent: file_size and checksum re-sealed */
        c = mb_copy(b.p, len);
        mb_header(&c)->file_size = len;
        mb_fix(&c);
        res = tb_open(c.p, c.n);
        mb_free(&c);

        want = len < GLOSSARY_HEADER_SIZE + 6 * 24 ? GLOSSARY_ERR_SECTION_TABLE
                                                   : GLOSSARY_ERR_SECTION;

        if (res.rc != want || res.detail[0] == '\0') {
            bad_sealed++;
            tb_diag("  truncated to %zu and re-sealed: %s", len,
                    tb_name(res.rc));
        }
    }

    tb_ok(bad_short == 0, "truncated to each of 0..127 bytes: TRUNCATED");
    tb_ok(bad_long == 0, "truncated to each of 128..%zu bytes: SIZE", n - 1);
    tb_ok(bad_sealed == 0, "truncated to each of 128..%zu bytes, size and "
          "checksum re-sealed: SECTION_TABLE, then SECTION", n - 1);

    /* one byte too many, the header unchanged */
    c.n = n + 1;
    c.p = calloc(1, c.n);
    if (c.p == NULL) {
        exit(2);
    }
    memcpy(c.p, b.p, n);
    tb_expect_sealed(&c, 0, GLOSSARY_ERR_SIZE, "one byte appended");

    mb_free(&b);
}


static glossary_status_t
tb_flip_want(mb_blob_t *b, size_t pos)
{
    uint64_t  size;

    if (pos < 8) {
        return GLOSSARY_ERR_MAGIC;
    }

    if (pos < 10) {
        return GLOSSARY_ERR_VERSION;
    }

    if (pos < 12) {
        return GLOSSARY_OK;       /* the minor version is not checksummed */
    }

    if (pos < 16) {
        return GLOSSARY_ERR_BYTE_ORDER;
    }

    if (pos < 24 || pos >= 32) {
        return GLOSSARY_ERR_CHECKSUM;
    }

    size = mb_header(b)->file_size;

    return size > GLOSSARY_MAX_FILE_SIZE ? GLOSSARY_ERR_TOO_LARGE
                                         : GLOSSARY_ERR_SIZE;
}


static void
tb_flips(void)
{
    int                i, bit;
    size_t             pos, n, ok_sealed;
    unsigned           bad[6], count[GLOSSARY_ERR_LAST];
    mb_blob_t          b, c;
    tb_result_t        res;
    glossary_status_t  want;

    static const struct {
        size_t       from, to;
        const char  *what;
    } region[] = {
        { 0, 8, "magic: MAGIC" },
        { 8, 10, "major version: VERSION" },
        { 10, 12, "minor version (not checksummed): OK" },
        { 12, 16, "byte order: BYTE_ORDER" },
        { 16, 32, "checksum, file size: CHECKSUM, SIZE, TOO_LARGE" },
        { 32, 0, "everything checksummed: CHECKSUM" },
    };

    b = mb_build_default();
    n = b.n;
    memset(bad, 0, sizeof(bad));

    for (pos = 0; pos < n; pos++) {
        c = mb_copy(b.p, n);
        c.p[pos] ^= 0xff;
        want = tb_flip_want(&c, pos);
        res = tb_open(c.p, c.n);
        mb_free(&c);

        if (res.rc != want
            || (want != GLOSSARY_OK && res.detail[0] == '\0')
            || res.walk_errors)
        {
            for (i = 5; i > 0 && pos < region[i].from; i--) {
                /* void */
            }

            if (bad[i]++ < 5) {
                tb_diag("  byte %zu flipped: %s, want %s", pos,
                        tb_name(res.rc), tb_name(want));
            }
        }
    }

    for (i = 0; i < 6; i++) {
        tb_ok(bad[i] == 0, "each byte flipped in the %s", region[i].what);
    }

    /*
     * Every single bit flipped with the checksum re-sealed, so that the
     * structural checks see it: any status will do, but nothing may crash
     * and what opens must walk clean.
     */

    memset(count, 0, sizeof(count));
    ok_sealed = 0;
    bad[0] = 0;

    for (pos = GLOSSARY_CHECKSUM_FROM; pos < n; pos++) {
        for (bit = 0; bit < 8; bit++) {
            c = mb_copy(b.p, n);
            c.p[pos] ^= 1u << bit;
            mb_fix(&c);
            res = tb_open(c.p, c.n);
            mb_free(&c);

            count[res.rc < GLOSSARY_ERR_LAST ? res.rc : 0]++;
            ok_sealed += res.rc == GLOSSARY_OK;

            if (res.walk_errors
                || !res.detail_terminated
                || res.rc >= GLOSSARY_ERR_LAST
                || res.rc == GLOSSARY_ERR_CHECKSUM
                || (res.rc != GLOSSARY_OK && res.detail[0] == '\0'))
            {
                if (bad[0]++ < 5) {
                    tb_diag("  bit %d of byte %zu, re-sealed: %s %s", bit,
                            pos, tb_name(res.rc), res.walk_first);
                }
            }
        }
    }

    tb_ok(bad[0] == 0, "each of %zu bits flipped, checksum re-sealed: no "
          "crash, a message, clean walks", (n - GLOSSARY_CHECKSUM_FROM) * 8);

    tb_diag("  re-sealed bit flips: %zu open (build_time, reserved, text), "
            "errors: header %u, table %u, section %u, missing %u, terms %u, "
            "related %u, hash %u, docs %u, size %u", ok_sealed,
            count[GLOSSARY_ERR_HEADER], count[GLOSSARY_ERR_SECTION_TABLE],
            count[GLOSSARY_ERR_SECTION], count[GLOSSARY_ERR_MISSING_SECTION],
            count[GLOSSARY_ERR_TERMS], count[GLOSSARY_ERR_RELATED],
            count[GLOSSARY_ERR_HASH], count[GLOSSARY_ERR_DOCS],
            count[GLOSSARY_ERR_SIZE] + count[GLOSSARY_ERR_TOO_LARGE]);

    mb_free(&b);
}


static void
tb_header(void)
{
    size_t        n;
    mb_blob_t     b;
    tb_result_t   res;
    unsigned char zero[GLOSSARY_HEADER_SIZE];

    memset(zero, 0, sizeof(zero));

    res = tb_open(zero, sizeof(zero) - 1);
    tb_ok(res.rc == GLOSSARY_ERR_TRUNCATED, "127 zero bytes: TRUNCATED");

    res = tb_open(zero, sizeof(zero));
    tb_ok(res.rc == GLOSSARY_ERR_MAGIC, "128 zero bytes: MAGIC");

    b = mb_build_default();
    memcpy(mb_header(&b)->magic, "GLOSSARX", 8);
    tb_expect(&b, GLOSSARY_ERR_MAGIC, "magic GLOSSARX");

    b = mb_build_default();
    memcpy(mb_header(&b)->magic, "glossary", 8);
    tb_expect(&b, GLOSSARY_ERR_MAGIC, "magic in lower case");

    b = mb_build_default();
    mb_header(&b)->version_major = 2;
    tb_expect(&b, GLOSSARY_ERR_VERSION, "major version 2");

    b = mb_build_default();
    mb_header(&b)->version_major = 0;
    tb_expect(&b, GLOSSARY_ERR_VERSION, "major version 0");

    b = mb_build_default();
    mb_header(&b)->version_major = 0x0100;
    tb_expect(&b, GLOSSARY_ERR_VERSION, "major version byte-swapped (256)");

    b = mb_build_default();
    mb_header(&b)->version_minor = 0xffff;
    tb_expect(&b, GLOSSARY_OK, "minor version 65535");

    b = mb_build_default();
    mb_header(&b)->byte_order = 0x04030201;
    tb_expect(&b, GLOSSARY_ERR_BYTE_ORDER, "byte order marker swapped");

    b = mb_build_default();
    mb_header(&b)->byte_order = 0;
    tb_expect(&b, GLOSSARY_ERR_BYTE_ORDER, "byte order marker 0");

    b = mb_build_default();
    mb_header(&b)->checksum += 1;
    tb_expect_sealed(&b, 0, GLOSSARY_ERR_CHECKSUM, "checksum off by one");

    b = mb_build_default();
    mb_header(&b)->checksum = 0;
    tb_expect_sealed(&b, 0, GLOSSARY_ERR_CHECKSUM, "checksum 0");

    b = mb_build_default();
    n = b.n;
    mb_header(&b)->file_size = n + 1;
    tb_expect(&b, GLOSSARY_ERR_SIZE, "file_size one more than the file");

    b = mb_build_default();
    mb_header(&b)->file_size = n - 1;
    tb_expect(&b, GLOSSARY_ERR_SIZE, "file_size one less than the file");

    b = mb_build_default();
    mb_header(&b)->file_size = 0;
    tb_expect(&b, GLOSSARY_ERR_SIZE, "file_size 0");

    b = mb_build_default();
    mb_header(&b)->file_size = GLOSSARY_MAX_FILE_SIZE;
    tb_expect(&b, GLOSSARY_ERR_SIZE, "file_size at the limit, not the file");

    b = mb_build_default();
    mb_header(&b)->file_size = GLOSSARY_MAX_FILE_SIZE + 1;
    tb_expect(&b, GLOSSARY_ERR_TOO_LARGE, "file_size over the limit");

    b = mb_build_default();
    mb_header(&b)->file_size = UINT64_MAX;
    tb_expect(&b, GLOSSARY_ERR_TOO_LARGE, "file_size 2^64-1");

    b = mb_build_default();
    mb_header(&b)->header_size = 120;
    tb_expect(&b, GLOSSARY_ERR_HEADER, "header_size 120");

    b = mb_build_default();
    mb_header(&b)->header_size = 0;
    tb_expect(&b, GLOSSARY_ERR_HEADER, "header_size 0");

    b = mb_build_default();
    mb_header(&b)->header_size = 129;
    tb_expect(&b, GLOSSARY_ERR_HEADER, "header_size 129 (unaligned)");

    b = mb_build_default();
    mb_header(&b)->header_size = (uint32_t) ((n + 8) & ~(size_t) 7);
    tb_expect(&b, GLOSSARY_ERR_HEADER, "header_size past the end");

    b = mb_build_default();
    mb_header(&b)->header_size = UINT32_MAX;
    tb_expect(&b, GLOSSARY_ERR_HEADER, "header_size 2^32-1");

    b = mb_build_default();
    mb_header(&b)->header_size = 136;
    tb_expect(&b, GLOSSARY_ERR_SECTION_TABLE,
              "header_size 136 over a table at 128");

    b = mb_build_default();
    mb_header(&b)->term_count = UINT32_MAX;
    tb_expect(&b, GLOSSARY_ERR_HEADER, "term_count 2^32-1");

    b = mb_build_default();
    mb_header(&b)->term_count = GLOSSARY_MAX_TERMS + 1;
    tb_expect(&b, GLOSSARY_ERR_HEADER, "term_count over the limit");

    b = mb_build_default();
    mb_header(&b)->term_count = 4;
    tb_expect(&b, GLOSSARY_ERR_SECTION,
              "term_count 4, larger than TERMS holds");

    b = mb_build_default();
    mb_header(&b)->term_count = 2;
    tb_expect(&b, GLOSSARY_ERR_SECTION, "term_count 2, smaller than TERMS");

    b = mb_build_default();
    mb_header(&b)->term_count = 0;
    tb_expect(&b, GLOSSARY_ERR_SECTION, "term_count 0 with 3 records");

    b = mb_build_default();
    mb_header(&b)->docs_per_term = 0;
    tb_expect(&b, GLOSSARY_ERR_HEADER, "docs_per_term 0");

    b = mb_build_default();
    mb_header(&b)->docs_per_term = GLOSSARY_MAX_DOCS_PER_TERM + 1;
    tb_expect(&b, GLOSSARY_ERR_HEADER, "docs_per_term 65");

    b = mb_build_default();
    mb_header(&b)->docs_per_term = UINT32_MAX;
    tb_expect(&b, GLOSSARY_ERR_HEADER, "docs_per_term 2^32-1");

    b = mb_build_default();
    mb_header(&b)->docs_per_term = 1;
    tb_expect(&b, GLOSSARY_ERR_SECTION, "docs_per_term 1, DOCS holds 2");

    b = mb_build_default();
    mb_header(&b)->docs_per_term = 3;
    tb_expect(&b, GLOSSARY_ERR_SECTION, "docs_per_term 3, DOCS holds 2");

    b = mb_build_default();
    mb_header(&b)->global_docs = GLOSSARY_MAX_GLOBAL_DOCS + 1;
    tb_expect(&b, GLOSSARY_ERR_HEADER, "global_docs 65");

    b = mb_build_default();
    mb_header(&b)->global_docs = 2;
    tb_expect(&b, GLOSSARY_ERR_SECTION, "global_docs 2, GLOBALS holds 1");
}


static void
tb_sections(void)
{
    size_t               n;
    uint32_t             id;
    mb_blob_t            b;
    glossary_section_t  *s;
    char                 name[64];

    static const char  *names[] = {
        "", "STRINGS", "TERMS", "HASH", "DOCS", "GLOBALS", "RELATED"
    };

    b = mb_build_default();
    n = b.n;
    mb_header(&b)->section_count = 0;
    tb_expect(&b, GLOSSARY_ERR_SECTION_TABLE, "section_count 0");

    b = mb_build_default();
    mb_header(&b)->section_count = UINT32_MAX;
    tb_expect(&b, GLOSSARY_ERR_SECTION_TABLE, "section_count 2^32-1");

    b = mb_build_default();
    mb_header(&b)->section_count = GLOSSARY_MAX_SECTIONS + 1;
    tb_expect(&b, GLOSSARY_ERR_SECTION_TABLE, "section_count 65");

    b = mb_build_default();
    mb_header(&b)->section_count = 0x0aaaaaab;   /* x 24 wraps 32 bits */
    tb_expect(&b, GLOSSARY_ERR_SECTION_TABLE, "section_count 0x0aaaaaab");

    b = mb_build_default();
    mb_header(&b)->section_count = 5;    /* STRINGS is the last entry */
    tb_expect(&b, GLOSSARY_ERR_MISSING_SECTION,
              "section_count 5 drops STRINGS");

    b = mb_build_default();
    mb_header(&b)->section_table = 0;
    tb_expect(&b, GLOSSARY_ERR_SECTION_TABLE, "section table at 0 (header)");

    b = mb_build_default();
    mb_header(&b)->section_table = 120;
    tb_expect(&b, GLOSSARY_ERR_SECTION_TABLE, "section table at 120");

    b = mb_build_default();
    mb_header(&b)->section_table = 132;
    tb_expect(&b, GLOSSARY_ERR_SECTION_TABLE, "section table misaligned");

    b = mb_build_default();
    mb_header(&b)->section_table = (n + 7) & ~(size_t) 7;
    tb_expect(&b, GLOSSARY_ERR_SECTION_TABLE, "section table past the end");

    b = mb_build_default();
    mb_header(&b)->section_table = (n - 6 * 24 + 8) & ~(size_t) 7;
    tb_expect(&b, GLOSSARY_ERR_SECTION_TABLE,
              "section table running past the end");

    b = mb_build_default();
    mb_header(&b)->section_table = UINT64_MAX;
    tb_expect(&b, GLOSSARY_ERR_SECTION_TABLE, "section table at 2^64-1");

    b = mb_build_default();
    mb_header(&b)->section_table = UINT64_MAX - 7;
    tb_expect(&b, GLOSSARY_ERR_SECTION_TABLE,
              "section table at 2^64-8 (aligned, wraps)");

    b = mb_build_default();
    mb_header(&b)->section_table = (uint64_t) 1 << 63;
    tb_expect(&b, GLOSSARY_ERR_SECTION_TABLE, "section table at 2^63");

    b = mb_build_default();
    s = mb_section(&b, GLOSSARY_SECTION_STRINGS);
    s->offset = (n + 15) & ~(size_t) 7;
    tb_expect(&b, GLOSSARY_ERR_SECTION, "STRINGS offset past the end");

    b = mb_build_default();
    s = mb_section(&b, GLOSSARY_SECTION_STRINGS);
    s->size += 1;
    tb_expect(&b, GLOSSARY_ERR_SECTION, "STRINGS one byte past the end");

    b = mb_build_default();
    s = mb_section(&b, GLOSSARY_SECTION_STRINGS);
    s->size = UINT64_MAX;
    tb_expect(&b, GLOSSARY_ERR_SECTION, "STRINGS size 2^64-1");

    b = mb_build_default();
    s = mb_section(&b, GLOSSARY_SECTION_STRINGS);
    s->size = UINT64_MAX - s->offset + 1 + 8;      /* offset + size = 8 */
    tb_expect(&b, GLOSSARY_ERR_SECTION, "STRINGS offset + size wraps to 8");

    b = mb_build_default();
    s = mb_section(&b, GLOSSARY_SECTION_HASH);
    s->offset = UINT64_MAX - 7;
    tb_expect(&b, GLOSSARY_ERR_SECTION, "HASH offset 2^64-8");

    b = mb_build_default();
    s = mb_section(&b, GLOSSARY_SECTION_TERMS);
    s->offset += 4;
    tb_expect(&b, GLOSSARY_ERR_SECTION, "TERMS misaligned");

    b = mb_build_default();
    s = mb_section(&b, GLOSSARY_SECTION_TERMS);
    s->offset = 0;
    tb_expect(&b, GLOSSARY_ERR_SECTION, "TERMS at 0, over the header");

    b = mb_build_default();
    s = mb_section(&b, GLOSSARY_SECTION_DOCS);
    s->offset = GLOSSARY_HEADER_SIZE;
    tb_expect(&b, GLOSSARY_ERR_SECTION, "DOCS over the section table");

    b = mb_build_default();
    mb_section(&b, GLOSSARY_SECTION_RELATED)->id = GLOSSARY_SECTION_TERMS;
    tb_expect(&b, GLOSSARY_ERR_SECTION, "TERMS twice");

    for (id = GLOSSARY_SECTION_STRINGS; id <= GLOSSARY_SECTION_RELATED; id++) {
        b = mb_build_default();
        mb_section(&b, id)->id = 99;
        snprintf(name, sizeof(name), "%s missing (id changed to 99)",
                 names[id]);
        tb_expect(&b, GLOSSARY_ERR_MISSING_SECTION, name);
    }

    b = mb_build_default();
    mb_section(&b, GLOSSARY_SECTION_HASH)->id = 0;
    tb_expect(&b, GLOSSARY_ERR_MISSING_SECTION, "HASH missing (id 0)");

    b = mb_build_default();
    mb_section(&b, GLOSSARY_SECTION_TERMS)->size += 80;
    tb_expect(&b, GLOSSARY_ERR_SECTION, "TERMS one record longer");

    b = mb_build_default();
    mb_section(&b, GLOSSARY_SECTION_RELATED)->size -= 1;
    tb_expect(&b, GLOSSARY_ERR_SECTION, "RELATED not a whole number");

    b = mb_build_default();
    mb_section(&b, GLOSSARY_SECTION_RELATED)->size = 0;
    tb_expect(&b, GLOSSARY_ERR_TERMS, "RELATED empty, terms point into it");

    b = mb_build_default();
    mb_section(&b, GLOSSARY_SECTION_HASH)->size = 7;
    tb_expect(&b, GLOSSARY_ERR_SECTION, "HASH 7 bytes");

    b = mb_build_default();
    mb_section(&b, GLOSSARY_SECTION_HASH)->size -= 4;
    tb_expect(&b, GLOSSARY_ERR_SECTION, "HASH one bucket short");

    b = mb_build_default();
    mb_hash(&b)->bucket_count = 16;
    tb_expect(&b, GLOSSARY_ERR_SECTION, "bucket_count 16 in an 8-bucket HASH");

    b = mb_build_default();
    mb_hash(&b)->bucket_count = UINT32_MAX;
    tb_expect(&b, GLOSSARY_ERR_SECTION, "bucket_count 2^32-1");

    b = mb_build_default();
    mb_section(&b, GLOSSARY_SECTION_DOCS)->size -= 64;
    tb_expect(&b, GLOSSARY_ERR_SECTION, "DOCS one record short");

    b = mb_build_default();
    mb_section(&b, GLOSSARY_SECTION_GLOBALS)->size = 0;
    tb_expect(&b, GLOSSARY_ERR_SECTION, "GLOBALS empty");
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


static void
tb_records(void)
{
    int              i;
    char             name[96];
    size_t           off;
    uint32_t         p, q, bc, *buckets;
    mb_blob_t        b;
    glossary_doc_t  *d;
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
    tb_bad_refs("related slug", offsetof(glossary_related_t, slug), 2,
                GLOSSARY_ERR_RELATED);
    tb_bad_refs("related name", offsetof(glossary_related_t, name), 2,
                GLOSSARY_ERR_RELATED);
    tb_bad_refs("doc body", offsetof(glossary_doc_t, body), 3,
                GLOSSARY_ERR_DOCS);
    tb_bad_refs("doc etag", offsetof(glossary_doc_t, etag), 3,
                GLOSSARY_ERR_DOCS);
    tb_bad_refs("doc gzip body", offsetof(glossary_doc_t, gzip_body), 3,
                GLOSSARY_ERR_DOCS);
    tb_bad_refs("global body", offsetof(glossary_doc_t, body), 4,
                GLOSSARY_ERR_DOCS);

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

    /* related ranges */

    b = mb_build_default();
    t = mb_term(&b, 0);
    t->related_first = 2;
    t->related_count = 2;
    tb_expect(&b, GLOSSARY_ERR_TERMS, "related 2+2 of 3");

    b = mb_build_default();
    mb_term(&b, 2)->related_first = 4;
    tb_expect(&b, GLOSSARY_ERR_TERMS, "related_first 4 of 3, count 0");

    b = mb_build_default();
    mb_term(&b, 2)->related_first = 3;
    tb_expect(&b, GLOSSARY_OK, "related_first 3 of 3, count 0");

    b = mb_build_default();
    t = mb_term(&b, 1);
    t->related_first = UINT32_MAX;
    t->related_count = 1;
    tb_expect(&b, GLOSSARY_ERR_TERMS, "related_first 2^32-1 (first + count "
              "wraps)");

    b = mb_build_default();
    t = mb_term(&b, 1);
    t->related_first = 1;
    t->related_count = UINT32_MAX;
    tb_expect(&b, GLOSSARY_ERR_TERMS, "related_count 2^32-1");

    b = mb_build_default();
    mb_term(&b, 1)->related_count = GLOSSARY_MAX_RELATED + 1;
    tb_expect(&b, GLOSSARY_ERR_TERMS, "related_count over the limit");

    /* related entries */

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

    /* the slug index */

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

    /* documents */

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


/*
 * Format 1.2: CHUNKS, the index checksum, GLOSSARY_OPEN_LAZY and DEEP, and
 * the per-process state of glossary_lazy_*().  The blobs have chunks of
 * 4 KiB (chunk_shift 12, the smallest), so that a small blob has several.
 */

#define TB_SHIFT        12
#define TB_CHUNK        ((uint64_t) 1 << TB_SHIFT)
#define TB_LAZY_TERMS   24
#define TB_MAX_DOCS     512
#define TB_GUARD        64

#define TB_ALL_FLAGS    4

static const unsigned  tb_flags[TB_ALL_FLAGS] = {
    0, GLOSSARY_OPEN_LAZY, GLOSSARY_OPEN_DEEP,
    GLOSSARY_OPEN_LAZY | GLOSSARY_OPEN_DEEP
};

static const char  *tb_flag_names[TB_ALL_FLAGS] = {
    "0", "LAZY", "DEEP", "LAZY|DEEP"
};


/* a blob opened from an exact-size heap copy, kept open, its lazy state */
typedef struct {
    unsigned char      *copy;
    size_t              n;
    glossary_blob_t     blob;
    glossary_status_t   rc;
    glossary_lazy_t     lz;
    unsigned char      *mem;        /* the state, TB_GUARD bytes after it */
    size_t              mem_size;
} tb_lazy_t;


/* how a walk of every document and string went */
typedef struct {
    unsigned            ok;
    unsigned            chunk;
    unsigned            docs;
    unsigned            other;
    unsigned            wrong;      /* not what the caller expected */
    char                first[200];
} tb_lazy_count_t;


/*
 * The 1.2 model: 24 terms with 200-byte definitions (the eager strings
 * span two chunks), every 1.1 section, 6 documents per term with bodies
 * of 200 bytes: STRINGS of about 40 KB, 10 chunks or more, under 64 KiB
 * in all (a fuzzer seed).
 */
static mb_model_t
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


static mb_blob_t
tb_lazy_build(void)
{
    mb_model_t  m;

    m = tb_lazy_model();

    return mb_build(&m);
}


static void
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


static int
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


static void
tb_lazy_close(tb_lazy_t *o)
{
    free(o->copy);
    free(o->mem);
    o->copy = NULL;
    o->mem = NULL;
}


static uint64_t
tb_words(uint64_t bits)
{
    return (bits + 63) / 64;
}


static uint64_t
tb_eager_chunks(const glossary_blob_t *blob)
{
    return (blob->eager_size + ((uint64_t) 1 << blob->chunk_shift) - 1)
           >> blob->chunk_shift;
}


static uint64_t
tb_slots(const glossary_blob_t *blob)
{
    return (uint64_t) blob->term_count * blob->docs_per_term
           + blob->global_docs + 2 * (uint64_t) blob->category_count;
}


static int
tb_bit(const uint64_t *map, uint64_t i)
{
    return (map[i / 64] >> (i % 64)) & 1;
}


static uint64_t
tb_popcount(const uint64_t *map, uint64_t bits)
{
    uint64_t  i, n;

    for (i = 0, n = 0; map != NULL && i < bits; i++) {
        n += tb_bit(map, i);
    }

    return n;
}


/* every document of a blob: term documents, global ones, categories' two */
static uint32_t
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
static int
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


static int
tb_ref_touches(const glossary_blob_t *blob, const glossary_ref_t *ref,
    uint64_t chunk)
{
    uint64_t  first, last;

    return tb_ref_chunks(blob, ref, &first, &last)
           && first <= chunk && chunk <= last;
}


static int
tb_doc_touches(const glossary_blob_t *blob, const glossary_doc_t *d,
    uint64_t chunk)
{
    return tb_ref_touches(blob, &d->body, chunk)
           || tb_ref_touches(blob, &d->etag, chunk)
           || tb_ref_touches(blob, &d->gzip_body, chunk)
           || tb_ref_touches(blob, &d->gzip_etag, chunk);
}


/* the one chunk every part of a document lies in, or UINT64_MAX */
static uint64_t
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


static void
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
static void
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
static const glossary_doc_t *
tb_lazy_doc_at(const glossary_blob_t *blob, uint32_t i)
{
    const glossary_doc_t  *docs[TB_MAX_DOCS];

    return i < tb_docs(blob, docs) ? docs[i] : NULL;
}


/* the same document in a writable blob: same offset */
static glossary_doc_t *
tb_lazy_doc_in(mb_blob_t *b, const tb_lazy_t *o, const glossary_doc_t *d)
{
    return (glossary_doc_t *) (b->p + ((const unsigned char *) d - o->copy));
}


/* the same document in another opened copy of the blob */
static const glossary_doc_t *
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
static uint32_t
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


static int
tb_has(const char *s, const char *sub)
{
    return strstr(s, sub) != NULL;
}


/*
 * each of the flags gives want, with a message when it fails (the blobs
 * of the large model are not written as fuzzer seeds; tb_lazy_small()'s)
 */
static void
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


static void
tb_lazy_basics(void)
{
    int                  good;
    size_t               pos;
    unsigned             f;
    uint32_t             i;
    uint64_t             k, count, eager, want, digest, h, v0;
    mb_blob_t            b, c;
    tb_lazy_t            o;
    tb_result_t          res;
    tb_lazy_count_t      cnt;
    glossary_section_t  *strings, *chunks;
    const uint64_t      *maps[3];
    uint64_t             words[3];

    b = tb_lazy_build();
    tb_write_corpus(&b, "1.2 valid with 4 KiB chunks");

    strings = mb_section(&b, GLOSSARY_SECTION_STRINGS);
    chunks = mb_section(&b, GLOSSARY_SECTION_CHUNKS);
    count = (strings->size + TB_CHUNK - 1) >> TB_SHIFT;
    eager = (mb_chunks(&b)->eager_size + TB_CHUNK - 1) >> TB_SHIFT;

    tb_ok(b.n < 65536 && count >= 8 && eager == 2
          && mb_chunks(&b)->chunk_shift == TB_SHIFT
          && chunks->offset >= strings->offset + strings->size
          && chunks->size == sizeof(glossary_chunks_t) + 8 * count
          && mb_header(&b)->version_minor == 2,
          "1.2 test blob: %zu bytes, %llu chunks of 4 KiB, the eager strings "
          "in %llu, CHUNKS after STRINGS", b.n, (unsigned long long) count,
          (unsigned long long) eager);

    /* the index checksum: the writer's, the reader's, the header's */

    h = mb_index_checksum(b.p, b.n, strings->offset, strings->size);
    tb_ok(h != 0 && mb_header(&b)->index_checksum == h
          && glossary_blob_index_checksum(b.p, b.n, strings->offset,
                                          strings->size) == h,
          "index_checksum: XXH3-64 of [24, 72), [80, STRINGS), [end of "
          "STRINGS, end), each seeded with the one before; "
          "glossary_blob_index_checksum() agrees");

    /* which bytes it covers: flip one, see whether it changes */
    good = 1;
    {
        static const struct {
            int   covered;
            long  pos;          /* < 0: from the end of the file */
        } probe[] = {
            { 0, 0 }, { 0, 10 }, { 0, 16 }, { 0, 23 },
            { 1, 24 }, { 1, 71 }, { 0, 72 }, { 0, 79 }, { 1, 80 },
            { 1, 127 }, { 1, 128 }, { 1, -1 }, { 1, -9 },
        };

        for (i = 0; i < sizeof(probe) / sizeof(probe[0]); i++) {
            pos = probe[i].pos < 0 ? b.n + probe[i].pos
                                   : (size_t) probe[i].pos;
            c = mb_copy(b.p, b.n);
            c.p[pos] ^= 0x20;

            if ((glossary_blob_index_checksum(c.p, c.n, strings->offset,
                                              strings->size) != h)
                != probe[i].covered)
            {
                tb_diag("  byte %zu: %s", pos, probe[i].covered
                        ? "not covered" : "covered");
                good = 0;
            }

            mb_free(&c);
        }

        for (k = 0; k < count; k++) {
            pos = strings->offset + (k << TB_SHIFT);
            c = mb_copy(b.p, b.n);
            c.p[pos] ^= 0x20;
            c.p[strings->offset + strings->size - 1] ^= 0x20;

            if (glossary_blob_index_checksum(c.p, c.n, strings->offset,
                                             strings->size) != h)
            {
                tb_diag("  STRINGS byte %zu covered", pos);
                good = 0;
            }

            mb_free(&c);
        }
    }

    tb_ok(good, "index_checksum covers [24, 72), [80, STRINGS) and what "
          "follows STRINGS; not [0, 24), itself, nor STRINGS");

    /* the chunk hashes */

    good = 1;
    for (k = 0; k < count; k++) {
        uint64_t  len = strings->size - (k << TB_SHIFT);

        len = len < TB_CHUNK ? len : TB_CHUNK;
        h = XXH3_64bits(b.p + strings->offset + (k << TB_SHIFT), len);

        if (h != mb_chunk_hashes(&b)[k]
            || glossary_blob_chunk_hash(b.p, strings->offset, strings->size,
                                        TB_SHIFT, k) != h)
        {
            tb_diag("  chunk %llu", (unsigned long long) k);
            good = 0;
        }
    }

    tb_ok(good && (strings->size & (TB_CHUNK - 1)) != 0
          && glossary_blob_chunk_hash(b.p, strings->offset, strings->size,
                                      TB_SHIFT, count)
             == XXH3_64bits(b.p, 0),
          "glossary_blob_chunk_hash: XXH3-64 of each 4 KiB of STRINGS, the "
          "last one shorter; past the end, of nothing");

    /* one blob, four ways to open it */

    digest = 0;
    for (f = 0; f < TB_ALL_FLAGS; f++) {
        res = tb_open_flags(b.p, b.n, tb_flags[f]);
        if (f == 0) {
            digest = res.digest;
        }

        tb_ok(res.rc == GLOSSARY_OK && res.walk_errors == 0
              && res.digest == digest
              && res.lazy == ((tb_flags[f] & (GLOSSARY_OPEN_LAZY
                                              | GLOSSARY_OPEN_DEEP))
                              == GLOSSARY_OPEN_LAZY),
              "1.2 blob opened with %s: OK, the same walk, lazy %u",
              tb_flag_names[f], res.lazy);

        if (res.rc != GLOSSARY_OK || res.walk_errors) {
            tb_diag("  got %s (%s) %s", tb_name(res.rc), res.detail,
                    res.walk_first);
        }
    }

    for (f = 0; f < TB_ALL_FLAGS; f++) {
        if (tb_flags[f] & GLOSSARY_OPEN_LAZY) {
            continue;
        }

        tb_lazy_open(&o, b.p, b.n, tb_flags[f]);
        tb_lazy_walk(&o, UINT64_MAX, &cnt);
        tb_ok(o.rc == GLOSSARY_OK && !o.blob.lazy && o.mem_size == 0
              && o.blob.chunk_count == count && o.lz.chunk_ok == NULL
              && cnt.wrong == 0 && o.lz.verified == 0,
              "opened with %s: glossary_lazy_size 0, lazy_doc and lazy_ref "
              "OK at once", tb_flag_names[f]);
        tb_lazy_close(&o);
    }

    /* the lazy state */

    tb_lazy_open(&o, b.p, b.n, GLOSSARY_OPEN_LAZY);

    if (o.rc != GLOSSARY_OK) {
        tb_ok(0, "LAZY open: %s (%s)", tb_name(o.rc), o.blob.detail);
        tb_lazy_close(&o);
        mb_free(&b);
        return;
    }

    tb_ok(o.blob.lazy && o.blob.chunk_count == count
          && o.blob.chunk_shift == TB_SHIFT
          && o.blob.eager_size == mb_chunks(&b)->eager_size
          && o.blob.chunk_hashes
             == (const uint64_t *) (o.copy + chunks->offset
                                    + sizeof(glossary_chunks_t))
          && o.blob.strings_off == strings->offset
          && o.blob.strings_size == strings->size,
          "LAZY open: lazy, chunk_count, chunk_shift, eager_size, "
          "chunk_hashes as written");

    want = (2 * tb_words(count) + tb_words(tb_slots(&o.blob))) * 8;
    tb_ok(o.mem_size == want && o.lz.slots == tb_slots(&o.blob)
          && o.lz.slots == TB_LAZY_TERMS * 6 + 7 + 4,
          "glossary_lazy_size %zu: a bit per chunk twice (%llu chunks) and "
          "one per document (%llu)", o.mem_size, (unsigned long long) count,
          (unsigned long long) o.lz.slots);

    /* the maps lie in the memory given, apart from one another */
    maps[0] = o.lz.chunk_ok;
    maps[1] = o.lz.chunk_bad;
    maps[2] = o.lz.doc_ok;
    words[0] = tb_words(count);
    words[1] = tb_words(count);
    words[2] = tb_words(o.lz.slots);

    good = 1;
    for (i = 0; i < 3; i++) {
        if ((const unsigned char *) maps[i] < o.mem
            || (const unsigned char *) (maps[i] + words[i])
               > o.mem + o.mem_size)
        {
            good = 0;
        }

        for (f = 0; f < i; f++) {
            if (maps[f] < maps[i] + words[i] && maps[i] < maps[f] + words[f])
            {
                good = 0;
            }
        }
    }

    tb_ok(good, "glossary_lazy_init: the three bitmaps lie apart, inside "
          "the %zu bytes", o.mem_size);

    good = tb_popcount(o.lz.chunk_ok, count) == eager
           && tb_popcount(o.lz.chunk_bad, count) == 0
           && tb_popcount(o.lz.doc_ok, o.lz.slots) == 0
           && o.lz.ok == eager && o.lz.verified == 0 && o.lz.corrupt == 0;
    for (k = 0; k < eager; k++) {
        good = good && tb_bit(o.lz.chunk_ok, k);
    }

    tb_ok(good, "glossary_lazy_init: the %llu eager chunks known good, "
          "nothing else", (unsigned long long) eager);

    tb_lazy_walk(&o, UINT64_MAX, &cnt);
    tb_ok(cnt.wrong == 0 && cnt.ok > o.lz.slots,
          "lazily: every document and every string OK (%u calls)", cnt.ok);
    if (cnt.wrong) {
        tb_diag("  %s", cnt.first);
    }

    tb_ok(o.lz.verified == count - eager && o.lz.ok == count
          && o.lz.corrupt == 0
          && tb_popcount(o.lz.chunk_ok, count) == count
          && tb_popcount(o.lz.chunk_bad, count) == 0
          && tb_popcount(o.lz.doc_ok, o.lz.slots) == o.lz.slots,
          "each chunk after the eager ones hashed once (%llu), every "
          "document's bit set", (unsigned long long) o.lz.verified);

    v0 = o.lz.verified;
    tb_lazy_walk(&o, UINT64_MAX, &cnt);
    tb_ok(cnt.wrong == 0 && o.lz.verified == v0,
          "walked again: OK from the bits, nothing hashed again");

    tb_ok(tb_lazy_guard_ok(&o) && memcmp(o.copy, b.p, b.n) == 0,
          "the state stays inside glossary_lazy_size() bytes; the blob is "
          "not written");

    tb_lazy_close(&o);
    mb_free(&b);

    /* the same with a blob of one chunk (chunk_shift 24): all eager */
    {
        mb_model_t  m;

        m = tb_lazy_model();
        m.chunk_shift = GLOSSARY_CHUNK_SHIFT_MAX;
        b = mb_build(&m);
        tb_lazy_open(&o, b.p, b.n, GLOSSARY_OPEN_LAZY);
        tb_lazy_walk(&o, UINT64_MAX, &cnt);
        tb_ok(o.rc == GLOSSARY_OK && o.blob.lazy && o.blob.chunk_count == 1
              && o.lz.ok == 1 && cnt.wrong == 0 && o.lz.verified == 0
              && tb_lazy_guard_ok(&o),
              "chunk_shift 24: one chunk, eager, verified at load");
        tb_lazy_close(&o);
        mb_free(&b);

        m.chunk_shift = 13;
        b = mb_build(&m);
        tb_lazy_open(&o, b.p, b.n, GLOSSARY_OPEN_LAZY);
        tb_lazy_walk(&o, UINT64_MAX, &cnt);
        tb_ok(o.rc == GLOSSARY_OK && o.blob.lazy && o.blob.chunk_count >= 4
              && cnt.wrong == 0
              && o.lz.verified
                 == o.blob.chunk_count - tb_eager_chunks(&o.blob)
              && tb_lazy_guard_ok(&o),
              "chunk_shift 13: %llu chunks of 8 KiB, each verified once",
              (unsigned long long) o.blob.chunk_count);
        tb_lazy_close(&o);
        mb_free(&b);
    }
}


/* a reference over two chunks: both verified, either one corrupt fails */
static void
tb_lazy_span(void)
{
    int                    good;
    uint32_t               i, n;
    uint64_t               first, last, v0;
    mb_blob_t              b, c;
    tb_lazy_t              o, p;
    glossary_ref_t         body;
    glossary_status_t      rc;
    size_t                 other;
    const glossary_doc_t  *docs[TB_MAX_DOCS];
    char                   want[32];

    b = tb_lazy_build();
    tb_lazy_open(&o, b.p, b.n, GLOSSARY_OPEN_LAZY);
    n = tb_docs(&o.blob, docs);
    first = last = 0;

    for (i = 0; i < n; i++) {
        if (tb_ref_chunks(&o.blob, &docs[i]->body, &first, &last)
            && first != last && first >= tb_eager_chunks(&o.blob))
        {
            break;
        }
    }

    if (i == n) {
        tb_ok(0, "a document body over two chunks after the eager ones");
        tb_lazy_close(&o);
        mb_free(&b);
        return;
    }

    body = docs[i]->body;

    /* a document wholly in the first of the two chunks, by its offset */
    other = 0;
    for (i = 0; i < n; i++) {
        if (tb_doc_chunk(&o.blob, docs[i]) == first) {
            other = (const unsigned char *) docs[i] - o.copy;
            break;
        }
    }

    v0 = o.lz.verified;
    rc = glossary_lazy_ref(&o.blob, &o.lz, &body);
    tb_ok(rc == GLOSSARY_OK && last == first + 1
          && o.lz.verified == v0 + 2
          && tb_bit(o.lz.chunk_ok, first) && tb_bit(o.lz.chunk_ok, last),
          "lazy_ref over chunks %llu and %llu: OK, both hashed and known "
          "good", (unsigned long long) first, (unsigned long long) last);
    tb_lazy_close(&o);

    /* the byte in the second chunk */
    c = mb_copy(b.p, b.n);
    c.p[body.off + body.len - 1] ^= 0x01;
    tb_lazy_open(&p, c.p, c.n, GLOSSARY_OPEN_LAZY);
    snprintf(want, sizeof(want), "chunk %llu ", (unsigned long long) last);

    rc = p.rc == GLOSSARY_OK ? glossary_lazy_ref(&p.blob, &p.lz, &body)
                             : p.rc;
    good = rc == GLOSSARY_ERR_CHUNK && tb_has(p.lz.detail, want)
           && tb_bit(p.lz.chunk_ok, first) && tb_bit(p.lz.chunk_bad, last)
           && p.lz.corrupt == 1;
    tb_ok(good, "the same, a byte flipped in chunk %llu: CHUNK naming it, "
          "chunk %llu good", (unsigned long long) last,
          (unsigned long long) first);
    if (!good) {
        tb_diag("  got %s, \"%s\"", tb_name(rc), p.lz.detail);
    }

    tb_ok(p.rc == GLOSSARY_OK && other != 0
          && glossary_lazy_doc(&p.blob, &p.lz,
                               (const glossary_doc_t *) (p.copy + other))
             == GLOSSARY_OK,
          "a document wholly in chunk %llu: still OK",
          (unsigned long long) first);
    tb_lazy_close(&p);
    mb_free(&c);

    /* the byte in the first chunk */
    c = mb_copy(b.p, b.n);
    c.p[body.off] ^= 0x01;
    tb_lazy_open(&p, c.p, c.n, GLOSSARY_OPEN_LAZY);
    snprintf(want, sizeof(want), "chunk %llu ", (unsigned long long) first);

    rc = p.rc == GLOSSARY_OK ? glossary_lazy_ref(&p.blob, &p.lz, &body)
                             : p.rc;
    tb_ok(rc == GLOSSARY_ERR_CHUNK && tb_has(p.lz.detail, want)
          && tb_bit(p.lz.chunk_bad, first),
          "the same, a byte flipped in chunk %llu: CHUNK naming it",
          (unsigned long long) first);
    tb_lazy_close(&p);
    mb_free(&c);

    mb_free(&b);
}


/* a document's bytes corrupt after the eager chunks */
static void
tb_lazy_corrupt(void)
{
    int                    good;
    unsigned               f;
    uint32_t               x, y, z, n, i;
    uint64_t               k, v0;
    mb_blob_t              b, c;
    tb_lazy_t              o, p;
    tb_result_t            res;
    tb_lazy_count_t        cnt;
    glossary_status_t      rc1, rc2, rc3, rc4;
    const glossary_doc_t  *docs[TB_MAX_DOCS], *xd;
    char                   want[32];

    static const glossary_status_t  expect[3] = {
        GLOSSARY_ERR_CHECKSUM, GLOSSARY_OK, GLOSSARY_ERR_CHECKSUM
    };

    b = tb_lazy_build();
    tb_lazy_open(&o, b.p, b.n, GLOSSARY_OPEN_LAZY);
    n = tb_docs(&o.blob, docs);

    x = tb_lazy_pick(&o, 0, 0);
    k = x == UINT32_MAX ? 0 : tb_doc_chunk(&o.blob, docs[x]);
    y = tb_lazy_pick(&o, k + 1, 0);

    for (z = 0; z < n; z++) {
        if (z != x && tb_doc_chunk(&o.blob, docs[z]) == k) {
            break;
        }
    }

    if (x == UINT32_MAX || y == UINT32_MAX || z == n) {
        tb_ok(0, "documents for the corruption tests");
        tb_lazy_close(&o);
        mb_free(&b);
        return;
    }

    xd = docs[x];
    c = mb_copy(b.p, b.n);
    c.p[xd->body.off + xd->body.len / 2] ^= 0x01;

    good = 1;
    for (f = 0; f < 3; f++) {
        res = tb_open_flags(c.p, c.n, tb_flags[f]);
        if (res.rc != expect[f] || res.walk_errors
            || (tb_flags[f] == GLOSSARY_OPEN_LAZY && !res.lazy))
        {
            tb_diag("  flags %s: %s", tb_flag_names[f], tb_name(res.rc));
            good = 0;
        }
    }

    tb_ok(good, "a byte flipped in a document in chunk %llu (after the "
          "eager ones): 0 CHECKSUM, LAZY OK (lazy), DEEP CHECKSUM",
          (unsigned long long) k);

    tb_lazy_open(&p, c.p, c.n, GLOSSARY_OPEN_LAZY);

    if (p.rc == GLOSSARY_OK) {
        snprintf(want, sizeof(want), "chunk %llu ", (unsigned long long) k);

        tb_ok(glossary_lazy_doc(&p.blob, &p.lz, tb_lazy_doc_at(&p.blob, y))
              == GLOSSARY_OK,
              "lazy_doc of a document in a later chunk: OK");

        v0 = p.lz.verified;
        rc1 = glossary_lazy_doc(&p.blob, &p.lz, tb_lazy_doc_at(&p.blob, x));
        tb_ok(rc1 == GLOSSARY_ERR_CHUNK && tb_has(p.lz.detail, want)
              && p.lz.verified == v0 + 1 && p.lz.corrupt == 1
              && tb_bit(p.lz.chunk_bad, k) && !tb_bit(p.lz.chunk_ok, k),
              "lazy_doc of the document: CHUNK, naming chunk %llu, marked "
              "bad", (unsigned long long) k);
        tb_diag("  \"%s\"", p.lz.detail);

        rc2 = glossary_lazy_doc(&p.blob, &p.lz, tb_lazy_doc_at(&p.blob, x));
        tb_ok(rc2 == GLOSSARY_ERR_CHUNK && tb_has(p.lz.detail, "before")
              && p.lz.verified == v0 + 1 && p.lz.corrupt == 1,
              "again: CHUNK from the bit (\"before\"), not hashed again");

        rc3 = glossary_lazy_doc(&p.blob, &p.lz, tb_lazy_doc_at(&p.blob, z));
        rc4 = glossary_lazy_ref(&p.blob, &p.lz,
                                &tb_lazy_doc_at(&p.blob, x)->body);
        tb_ok(rc3 == GLOSSARY_ERR_CHUNK && rc4 == GLOSSARY_ERR_CHUNK
              && tb_has(p.lz.detail, "before")
              && p.lz.verified == v0 + 1,
              "another document in chunk %llu and lazy_ref of the body: "
              "CHUNK", (unsigned long long) k);

    } else {
        tb_ok(0, "LAZY open of the corrupt blob: %s", tb_name(p.rc));
    }

    tb_lazy_close(&p);

    /* every document and string: exactly those in chunk k fail */
    tb_lazy_open(&p, c.p, c.n, GLOSSARY_OPEN_LAZY);
    tb_lazy_walk(&p, k, &cnt);
    tb_ok(p.rc == GLOSSARY_OK && cnt.wrong == 0 && cnt.chunk >= 2
          && tb_popcount(p.lz.doc_ok, p.lz.slots) == p.lz.slots - cnt.chunk
          && tb_lazy_guard_ok(&p),
          "lazily, every document: the %u touching chunk %llu CHUNK, the "
          "others OK", cnt.chunk, (unsigned long long) k);
    if (cnt.wrong) {
        tb_diag("  %s", cnt.first);
    }
    tb_lazy_close(&p);

    res = tb_open_flags(c.p, c.n, GLOSSARY_OPEN_LAZY | GLOSSARY_OPEN_DEEP);
    tb_ok(res.rc == GLOSSARY_ERR_CHECKSUM || res.rc == GLOSSARY_ERR_CHUNK,
          "the same opened with LAZY|DEEP: refused (DEEP overrides LAZY)");

    /* the checksum re-sealed: only the chunk hash knows */
    mb_fix(&c);

    res = tb_open_flags(c.p, c.n, 0);
    good = res.rc == GLOSSARY_OK;
    res = tb_open_flags(c.p, c.n, GLOSSARY_OPEN_DEEP);
    snprintf(want, sizeof(want), "chunk %llu ", (unsigned long long) k);
    good = good && res.rc == GLOSSARY_ERR_CHUNK && tb_has(res.detail, want);
    tb_lazy_open(&p, c.p, c.n, GLOSSARY_OPEN_LAZY);
    good = good && p.rc == GLOSSARY_OK
           && glossary_lazy_doc(&p.blob, &p.lz, tb_lazy_doc_at(&p.blob, x))
              == GLOSSARY_ERR_CHUNK;
    tb_lazy_close(&p);
    tb_ok(good, "the same with the checksum re-sealed: 0 OK (no chunk "
          "check), DEEP CHUNK naming chunk %llu, lazily CHUNK",
          (unsigned long long) k);

    mb_free(&c);

    /*
     * every part of a document is verified: one document's body, ETag,
     * gzip body or gzip ETag made the same as those of a document two
     * chunks on, whose bytes are then corrupted
     */
    x = tb_lazy_pick(&o, 0, 1);
    k = x == UINT32_MAX ? 0 : tb_doc_chunk(&o.blob, docs[x]);
    y = tb_lazy_pick(&o, k + 2, 1);

    for (i = 0; i < 4; i++) {
        static const char  *part[] = {
            "body", "ETag", "gzip body", "gzip ETag"
        };

        glossary_ref_t  *xr, *yr;

        if (x == UINT32_MAX || y == UINT32_MAX) {
            tb_ok(0, "documents for the parts test");
            break;
        }

        c = mb_copy(b.p, b.n);
        xr = (glossary_ref_t *) tb_lazy_doc_in(&c, &o, docs[x]) + i;
        yr = (glossary_ref_t *) tb_lazy_doc_in(&c, &o, docs[y]) + i;
        *xr = *yr;
        mb_seal(&c);
        c.p[yr->off + yr->len / 2] ^= 0x01;

        tb_lazy_open(&p, c.p, c.n, GLOSSARY_OPEN_LAZY);
        rc1 = p.rc == GLOSSARY_OK
              ? glossary_lazy_doc(&p.blob, &p.lz, tb_lazy_doc_at(&p.blob, x))
              : p.rc;
        tb_ok(rc1 == GLOSSARY_ERR_CHUNK,
              "a document whose %s lies in a corrupt chunk, the rest in a "
              "good one: CHUNK", part[i]);
        if (rc1 != GLOSSARY_ERR_CHUNK) {
            tb_diag("  got %s (%s)", tb_name(rc1),
                    p.rc == GLOSSARY_OK ? p.lz.detail : p.blob.detail);
        }
        tb_lazy_close(&p);
        mb_free(&c);
    }

    tb_lazy_close(&o);
    mb_free(&b);
}


/*
 * Every byte outside STRINGS and every byte of the eager chunks, flipped:
 * a LAZY open fails.  Bytes of the later chunks, flipped: a LAZY open
 * succeeds and exactly the documents of that chunk fail.
 */
static void
tb_lazy_flips(void)
{
    size_t              pos, so, se, eager_end, n;
    unsigned            i, bad[8], flips, checksum;
    mb_blob_t           b, c;
    tb_lazy_t           o;
    tb_result_t         res;
    tb_lazy_count_t     cnt;
    glossary_status_t   want;
    uint64_t            table_end;

    b = tb_lazy_build();
    n = b.n;
    so = mb_section(&b, GLOSSARY_SECTION_STRINGS)->offset;
    se = so + mb_section(&b, GLOSSARY_SECTION_STRINGS)->size;
    eager_end = so + (((mb_chunks(&b)->eager_size + TB_CHUNK - 1) >> TB_SHIFT)
                      << TB_SHIFT);
    table_end = mb_header(&b)->section_table
                + (uint64_t) mb_header(&b)->section_count * 24;

    {
        static const char  *what[] = {
            "header bytes 24 to 72: an error",
            "index_checksum (72 to 80): CHECKSUM",
            "header bytes 80 to 128 (reserved): CHECKSUM",
            "the section table: an error",
            "the sections before STRINGS: an error",
            "the eager chunks of STRINGS: CHUNK",
            "what follows STRINGS (padding, CHUNKS): an error",
        };

        size_t  from[7], to[7];

        from[0] = 24;         to[0] = 72;
        from[1] = 72;         to[1] = 80;
        from[2] = 80;         to[2] = 128;
        from[3] = 128;        to[3] = table_end;
        from[4] = table_end;  to[4] = so;
        from[5] = so;         to[5] = eager_end;
        from[6] = se;         to[6] = n;

        memset(bad, 0, sizeof(bad));
        checksum = 0;

        for (i = 0; i < 7; i++) {
            for (pos = from[i]; pos < to[i]; pos++) {
                c = mb_copy(b.p, n);
                c.p[pos] ^= 0xff;
                res = tb_open_flags(c.p, c.n, GLOSSARY_OPEN_LAZY);
                mb_free(&c);

                want = (i == 5) ? GLOSSARY_ERR_CHUNK
                       : (i == 1 || i == 2) ? GLOSSARY_ERR_CHECKSUM
                       : GLOSSARY_OK;

                checksum += res.rc == GLOSSARY_ERR_CHECKSUM;

                if (res.rc == GLOSSARY_OK
                    || (want != GLOSSARY_OK && res.rc != want)
                    || res.detail[0] == '\0' || res.walk_errors)
                {
                    if (bad[i]++ < 3) {
                        tb_diag("  byte %zu flipped, opened LAZY: %s", pos,
                                tb_name(res.rc));
                    }
                }
            }

            tb_ok(bad[i] == 0, "each byte flipped in %s (%zu bytes), "
                  "opened LAZY", what[i], to[i] - from[i]);
        }

        tb_diag("  %u of those flips failed the index checksum", checksum);
    }

    /* the first 24 bytes: the checks of their own */
    memset(bad, 0, sizeof(bad));

    for (pos = 0; pos < 24; pos++) {
        c = mb_copy(b.p, n);
        c.p[pos] ^= 0xff;
        res = tb_open_flags(c.p, c.n, GLOSSARY_OPEN_LAZY);
        mb_free(&c);

        want = pos < 8 ? GLOSSARY_ERR_MAGIC : pos < 10 ? GLOSSARY_ERR_VERSION
               : pos < 12 ? GLOSSARY_OK : pos < 16 ? GLOSSARY_ERR_BYTE_ORDER
               : GLOSSARY_OK;

        if (pos >= 16) {
            /* the checksum, which a lazy open does not read */
            bad[1] += res.rc != GLOSSARY_OK;
            continue;
        }

        if (res.rc != want) {
            bad[0]++;
            tb_diag("  byte %zu flipped: %s, want %s", pos, tb_name(res.rc),
                    tb_name(want));
        }
    }

    tb_ok(bad[0] == 0, "each byte flipped in the magic, version and byte "
          "order, opened LAZY: MAGIC, VERSION (minor: OK), BYTE_ORDER");
    tb_diag("  the checksum field flipped, opened LAZY: %u of 8 refused "
            "(it is not read lazily: the build id goes unchecked)", bad[1]);

    /* the later chunks: the open succeeds, the chunk's documents fail */
    memset(bad, 0, sizeof(bad));
    flips = 0;

    for (pos = eager_end; pos < se; pos++) {

        /* every byte near a chunk's edges, one in 5 elsewhere */
        if ((pos - so) % TB_CHUNK >= 64
            && (pos - so) % TB_CHUNK < TB_CHUNK - 64
            && (pos - so) % 5 != 0)
        {
            continue;
        }

        flips++;
        c = mb_copy(b.p, n);
        c.p[pos] ^= 0xff;

        tb_lazy_open(&o, c.p, c.n, GLOSSARY_OPEN_LAZY);

        if (o.rc != GLOSSARY_OK) {
            if (bad[0]++ < 3) {
                tb_diag("  byte %zu flipped, opened LAZY: %s (%s)", pos,
                        tb_name(o.rc), o.blob.detail);
            }

        } else {
            tb_lazy_walk(&o, (pos - so) >> TB_SHIFT, &cnt);

            if (cnt.wrong || cnt.chunk == 0 || o.lz.corrupt != 1
                || !tb_lazy_guard_ok(&o))
            {
                if (bad[1]++ < 3) {
                    tb_diag("  byte %zu flipped: %s", pos, cnt.first);
                }
            }
        }

        tb_lazy_close(&o);

        /* the full checks see it, one in 8 */
        if (flips % 8 == 0) {
            res = tb_open_flags(c.p, c.n, 0);
            bad[2] += res.rc != GLOSSARY_ERR_CHECKSUM;
            res = tb_open_flags(c.p, c.n, GLOSSARY_OPEN_DEEP);
            bad[2] += res.rc != GLOSSARY_ERR_CHECKSUM;
        }

        mb_free(&c);
    }

    tb_ok(bad[0] == 0, "%u bytes flipped after the eager chunks: each opens "
          "LAZY", flips);
    tb_ok(bad[1] == 0, "... and lazily every document touching that chunk "
          "is CHUNK, every other one and every string OK");
    tb_ok(bad[2] == 0, "... and opened with 0 or DEEP: CHECKSUM");

    mb_free(&b);
}


/* ETags: their place is checked at load, their bytes at first use */
static void
tb_lazy_etag(void)
{
    int                    good;
    unsigned               f;
    uint32_t               x, i, n, bad;
    mb_blob_t              b, c;
    tb_lazy_t              o, p;
    tb_result_t            res;
    tb_lazy_count_t        cnt;
    glossary_doc_t        *d;
    glossary_status_t      rc1, rc2;
    const glossary_doc_t  *docs[TB_MAX_DOCS];

    static const glossary_status_t  expect[3] = {
        GLOSSARY_ERR_DOCS, GLOSSARY_OK, GLOSSARY_ERR_DOCS
    };

    b = tb_lazy_build();
    tb_lazy_open(&o, b.p, b.n, GLOSSARY_OPEN_LAZY);
    n = tb_docs(&o.blob, docs);
    x = tb_lazy_pick(&o, 0, 1);

    if (x == UINT32_MAX) {
        tb_ok(0, "a document for the ETag tests");
        tb_lazy_close(&o);
        mb_free(&b);
        return;
    }

    for (i = 0; i < 3; i++) {
        static const char  *what[] = {
            "a space in a document's ETag",
            "a document's ETag without its closing quote",
            "a space in a document's gzip ETag",
        };

        c = mb_copy(b.p, b.n);
        d = tb_lazy_doc_in(&c, &o, docs[x]);

        if (i == 0) {
            c.p[d->etag.off + 5] = ' ';
        } else if (i == 1) {
            c.p[d->etag.off + d->etag.len - 1] = '0';
        } else {
            c.p[d->gzip_etag.off + 5] = ' ';
        }

        mb_seal(&c);

        good = 1;
        for (f = 0; f < 3; f++) {
            res = tb_open_flags(c.p, c.n, tb_flags[f]);
            if (res.rc != expect[f] || res.walk_errors) {
                tb_diag("  flags %s: %s", tb_flag_names[f], tb_name(res.rc));
                good = 0;
            }
        }

        tb_lazy_open(&p, c.p, c.n, GLOSSARY_OPEN_LAZY);

        if (p.rc == GLOSSARY_OK) {
            rc1 = glossary_lazy_doc(&p.blob, &p.lz,
                                    tb_lazy_doc_at(&p.blob, x));
            good = good && rc1 == GLOSSARY_ERR_DOCS
                   && tb_has(p.lz.detail, "ETag");
            rc2 = glossary_lazy_doc(&p.blob, &p.lz,
                                    tb_lazy_doc_at(&p.blob, x));
            good = good && rc2 == GLOSSARY_ERR_DOCS;

            tb_lazy_walk(&p, UINT64_MAX, &cnt);
            good = good && cnt.docs == 1 && cnt.wrong == 1 && cnt.chunk == 0
                   && p.lz.corrupt == 0
                   && tb_popcount(p.lz.doc_ok, p.lz.slots)
                      == p.lz.slots - 1;

        } else {
            good = 0;
        }

        tb_lazy_close(&p);

        tb_ok(good, "%s, hashes re-sealed: 0 and DEEP DOCS; LAZY OK, then "
              "lazy_doc DOCS (twice), every other document OK", what[i]);

        mb_free(&c);
    }

    /* a global document's, a category page's */
    for (i = 0; i < 2; i++) {
        const glossary_doc_t  *bad_doc, *good_doc;

        c = mb_copy(b.p, b.n);

        if (i == 0) {
            bad_doc = glossary_blob_global(&o.blob, 3);
            good_doc = glossary_blob_global(&o.blob, 2);
        } else {
            bad_doc = &o.blob.categories[1].html;
            good_doc = &o.blob.categories[1].json;
        }

        d = tb_lazy_doc_in(&c, &o, bad_doc);
        c.p[d->etag.off + 1] = ' ';
        mb_seal(&c);

        tb_lazy_open(&p, c.p, c.n, GLOSSARY_OPEN_LAZY);
        good = p.rc == GLOSSARY_OK
               && glossary_lazy_doc(&p.blob, &p.lz,
                                    tb_lazy_same(&p, &o, good_doc))
                  == GLOSSARY_OK
               && glossary_lazy_doc(&p.blob, &p.lz,
                                    tb_lazy_same(&p, &o, bad_doc))
                  == GLOSSARY_ERR_DOCS;
        tb_lazy_close(&p);

        res = tb_open_flags(c.p, c.n, 0);

        tb_ok(good && res.rc == GLOSSARY_ERR_DOCS,
              "a malformed ETag in %s: lazily DOCS, %s OK; in full DOCS",
              i ? "a category's HTML page" : "global document 3",
              i ? "its JSON page" : "global document 2");
        mb_free(&c);
    }

    /* the place and the length are checked at load, lazily too */
    for (i = 0; i < 4; i++) {
        static const char  *what[] = {
            "an ETag of 1 byte", "an ETag of 65 bytes",
            "an ETag at offset 0 (the header)", "an ETag past STRINGS",
        };

        c = mb_copy(b.p, b.n);
        d = tb_lazy_doc_in(&c, &o, docs[x]);

        if (i == 0) {
            d->etag.len = 1;
        } else if (i == 1) {
            d->etag.len = 65;
        } else if (i == 2) {
            d->etag.off = 0;
        } else {
            d->etag.off = o.blob.strings_off + o.blob.strings_size - 8;
        }

        mb_seal(&c);
        tb_lazy_expect(&c, GLOSSARY_ERR_DOCS, what[i]);
    }

    /*
     * one bit per document: with every other document verified first, a
     * malformed ETag is still found, for each document in turn
     */
    bad = 0;

    for (x = 0; x < n; x++) {
        c = mb_copy(b.p, b.n);
        d = tb_lazy_doc_in(&c, &o, docs[x]);
        c.p[d->etag.off + 1] = ' ';
        mb_seal(&c);

        tb_lazy_open(&p, c.p, c.n, GLOSSARY_OPEN_LAZY);
        good = p.rc == GLOSSARY_OK;

        for (i = 0; good && i < n; i++) {
            if (i != x
                && glossary_lazy_doc(&p.blob, &p.lz,
                                     tb_lazy_doc_at(&p.blob, i))
                   != GLOSSARY_OK)
            {
                good = 0;
            }
        }

        good = good
               && glossary_lazy_doc(&p.blob, &p.lz, tb_lazy_doc_at(&p.blob, x))
                  == GLOSSARY_ERR_DOCS
               && tb_lazy_guard_ok(&p);

        if (!good && bad++ < 3) {
            tb_diag("  document %u: %s", (unsigned) x,
                    p.rc == GLOSSARY_OK ? p.lz.detail : p.blob.detail);
        }

        tb_lazy_close(&p);
        mb_free(&c);
    }

    tb_ok(bad == 0, "each of the %u documents with a malformed ETag: DOCS "
          "after every other one was verified (a bit of its own)", n);

    tb_lazy_close(&o);
    mb_free(&b);
}


/* the CHUNKS section itself; every blob re-sealed after the change */
static void
tb_lazy_table(void)
{
    uint32_t             i;
    uint64_t             so, ss, count;
    mb_blob_t            b;
    mb_model_t           m;
    tb_lazy_t            o;
    tb_lazy_count_t      cnt;
    glossary_section_t  *s;
    char                 name[96];

    static const uint32_t  shifts[] = { 11, 25, 0, 13, 24, UINT32_MAX };

    m = tb_lazy_model();
    b = mb_build(&m);
    so = mb_section(&b, GLOSSARY_SECTION_STRINGS)->offset;
    ss = mb_section(&b, GLOSSARY_SECTION_STRINGS)->size;
    count = (ss + TB_CHUNK - 1) >> TB_SHIFT;
    mb_free(&b);

    for (i = 0; i < sizeof(shifts) / sizeof(shifts[0]); i++) {
        b = mb_build(&m);
        mb_chunks(&b)->chunk_shift = shifts[i];
        mb_seal(&b);
        snprintf(name, sizeof(name), "CHUNKS chunk_shift %u%s",
                 (unsigned) shifts[i],
                 shifts[i] == 13 || shifts[i] == 24
                 ? ", the table sized for 12" : "");
        tb_lazy_expect(&b, GLOSSARY_ERR_CHUNKS, name);
    }

    b = mb_build(&m);
    mb_chunks(&b)->eager_size = ss + 1;
    mb_seal(&b);
    tb_lazy_expect(&b, GLOSSARY_ERR_CHUNKS,
                   "CHUNKS eager_size one more than STRINGS");

    b = mb_build(&m);
    mb_chunks(&b)->eager_size = UINT64_MAX;
    mb_seal(&b);
    tb_lazy_expect(&b, GLOSSARY_ERR_CHUNKS, "CHUNKS eager_size 2^64-1");

    b = mb_build(&m);
    mb_section(&b, GLOSSARY_SECTION_CHUNKS)->size -= 8;
    mb_seal(&b);
    tb_lazy_expect(&b, GLOSSARY_ERR_CHUNKS, "CHUNKS one hash short");

    /* one hash too many: the file grows by the 8 bytes */
    b = mb_build(&m);
    b.p = realloc(b.p, b.n + 8);
    if (b.p == NULL) {
        exit(2);
    }
    memset(b.p + b.n, 0, 8);
    b.n += 8;
    mb_header(&b)->file_size = b.n;
    mb_section(&b, GLOSSARY_SECTION_CHUNKS)->size += 8;
    mb_seal(&b);
    tb_lazy_expect(&b, GLOSSARY_ERR_CHUNKS, "CHUNKS one hash too many");

    b = mb_build(&m);
    mb_section(&b, GLOSSARY_SECTION_CHUNKS)->size = 15;
    mb_seal(&b);
    tb_lazy_expect(&b, GLOSSARY_ERR_CHUNKS, "CHUNKS of 15 bytes");

    b = mb_build(&m);
    mb_section(&b, GLOSSARY_SECTION_CHUNKS)->size = 0;
    mb_seal(&b);
    tb_lazy_expect(&b, GLOSSARY_ERR_CHUNKS, "CHUNKS of 0 bytes");

    /* no other section may overlap STRINGS: lazily it is not checked */

    m.extra_section = 1;
    b = mb_build(&m);
    so = mb_section(&b, GLOSSARY_SECTION_STRINGS)->offset;
    ss = mb_section(&b, GLOSSARY_SECTION_STRINGS)->size;
    mb_free(&b);

    b = mb_build(&m);
    s = mb_find_section(&b, 99);
    s->offset = so;
    mb_seal(&b);
    tb_lazy_expect(&b, GLOSSARY_ERR_CHUNKS,
                   "a section of unknown id at the start of STRINGS");

    b = mb_build(&m);
    s = mb_find_section(&b, 99);
    s->offset = (so + ss - s->size) & ~(uint64_t) 7;
    mb_seal(&b);
    tb_lazy_expect(&b, GLOSSARY_ERR_CHUNKS,
                   "a section of unknown id at the end of STRINGS");

    b = mb_build(&m);
    s = mb_find_section(&b, 99);
    s->size = so - s->offset + 1;
    mb_seal(&b);
    tb_lazy_expect(&b, GLOSSARY_ERR_CHUNKS,
                   "a section of unknown id running 1 byte into STRINGS");

    b = mb_build(&m);
    s = mb_find_section(&b, 99);
    s->offset = so + 64;
    s->size = 0;
    mb_seal(&b);
    tb_lazy_expect(&b, GLOSSARY_OK,
                   "a section of unknown id of 0 bytes inside STRINGS");

    m.extra_section = 0;
    b = mb_build(&m);
    so = mb_section(&b, GLOSSARY_SECTION_STRINGS)->offset;
    ss = mb_section(&b, GLOSSARY_SECTION_STRINGS)->size;
    mb_free(&b);

    b = mb_build(&m);
    mb_section(&b, GLOSSARY_SECTION_TERMS)->offset = so;
    mb_seal(&b);
    tb_lazy_expect(&b, GLOSSARY_ERR_CHUNKS, "TERMS inside STRINGS");

    b = mb_build(&m);
    mb_section(&b, GLOSSARY_SECTION_SEARCH_PAGE)->offset = so - 8;
    mb_seal(&b);
    tb_lazy_expect(&b, GLOSSARY_ERR_CHUNKS,
                   "SEARCH_PAGE running into STRINGS");

    /* CHUNKS in STRINGS: its own bytes would be verified by itself */
    b = mb_build(&m);
    s = mb_section(&b, GLOSSARY_SECTION_CHUNKS);
    memcpy(b.p + so + 8, b.p + s->offset, s->size);
    s->offset = so + 8;
    mb_seal(&b);
    tb_lazy_expect(&b, GLOSSARY_ERR_CHUNKS, "CHUNKS inside STRINGS");

    /* eager_size at its bounds */

    b = mb_build(&m);
    mb_chunks(&b)->eager_size = ss;
    mb_seal(&b);
    tb_lazy_open(&o, b.p, b.n, GLOSSARY_OPEN_LAZY);
    tb_lazy_walk(&o, UINT64_MAX, &cnt);
    tb_ok(o.rc == GLOSSARY_OK && o.blob.lazy && o.lz.ok == count
          && tb_popcount(o.lz.chunk_ok, count) == count && cnt.wrong == 0
          && o.lz.verified == 0,
          "eager_size = STRINGS: every chunk verified at load, none at use");
    tb_lazy_close(&o);

    /* a chunk only the documents use, corrupt: refused at load now */
    b.p[so + ss - 1] ^= 0x01;
    tb_lazy_open(&o, b.p, b.n, GLOSSARY_OPEN_LAZY);
    tb_ok(o.rc == GLOSSARY_ERR_CHUNK,
          "... and a byte flipped in the last chunk: LAZY open CHUNK "
          "(got %s)", tb_name(o.rc));
    tb_lazy_close(&o);
    mb_free(&b);

    b = mb_build(&m);
    mb_chunks(&b)->eager_size = 0;
    mb_seal(&b);
    tb_lazy_open(&o, b.p, b.n, GLOSSARY_OPEN_LAZY);
    tb_lazy_walk(&o, UINT64_MAX, &cnt);
    tb_ok(o.rc == GLOSSARY_OK && o.blob.lazy && o.lz.ok == count
          && cnt.wrong == 0 && o.lz.verified == count,
          "eager_size 0: no chunk verified at load, each at first use");
    tb_lazy_close(&o);
    mb_free(&b);

    /*
     * ... but the search page's text is verified at load even then: the
     * server sends it with every HTML search and checks nothing per request
     */
    b = mb_build(&m);
    mb_chunks(&b)->eager_size = 0;
    mb_seal(&b);
    {
        uint32_t                   k, nseg;
        const glossary_segment_t  *seg;

        seg = mb_section_data(&b, GLOSSARY_SECTION_SEARCH_PAGE);
        nseg = (seg == NULL) ? 0
               : (uint32_t) (mb_section(&b, GLOSSARY_SECTION_SEARCH_PAGE)->size
                             / sizeof(glossary_segment_t));

        for (k = 0; k < nseg && seg[k].text.len == 0; k++) {
            /* void */
        }

        tb_ok(k < nseg, "the test blob has a search page text segment");

        if (k < nseg) {
            b.p[seg[k].text.off + seg[k].text.len / 2] ^= 0x01;
            tb_lazy_open(&o, b.p, b.n, GLOSSARY_OPEN_LAZY);
            tb_ok(o.rc == GLOSSARY_ERR_CHUNK,
                  "eager_size 0, a byte of the search page flipped: LAZY "
                  "open CHUNK (got %s)", tb_name(o.rc));
            tb_lazy_close(&o);
        }
    }
    mb_free(&b);

    b = mb_build(&m);
    mb_chunks(&b)->reserved = 1;
    mb_seal(&b);
    tb_lazy_open(&o, b.p, b.n, GLOSSARY_OPEN_LAZY);
    tb_diag("  CHUNKS reserved 1: LAZY open %s", tb_name(o.rc));
    tb_lazy_close(&o);
    mb_free(&b);
}


/* the index checksum and the chunk hashes against the other checks */
static void
tb_lazy_index(void)
{
    int                good;
    uint64_t           k, eager;
    mb_blob_t          b;
    tb_lazy_t          o;
    tb_result_t        r0, rl, rd;
    tb_lazy_count_t    cnt;
    glossary_doc_t    *d;

    b = tb_lazy_build();
    mb_header(&b)->build_time += 1;
    mb_fix(&b);
    r0 = tb_open_flags(b.p, b.n, 0);
    rl = tb_open_flags(b.p, b.n, GLOSSARY_OPEN_LAZY);
    rd = tb_open_flags(b.p, b.n, GLOSSARY_OPEN_DEEP);
    tb_ok(r0.rc == GLOSSARY_OK && rl.rc == GLOSSARY_ERR_CHECKSUM
          && rd.rc == GLOSSARY_ERR_CHECKSUM && tb_has(rl.detail, "index")
          && tb_has(rd.detail, "index"),
          "build_time changed, only the checksum re-sealed: 0 OK; LAZY and "
          "DEEP CHECKSUM (index)");
    mb_free(&b);

    b = tb_lazy_build();
    mb_header(&b)->index_checksum ^= 1;
    mb_fix(&b);
    r0 = tb_open_flags(b.p, b.n, 0);
    rl = tb_open_flags(b.p, b.n, GLOSSARY_OPEN_LAZY);
    rd = tb_open_flags(b.p, b.n, GLOSSARY_OPEN_DEEP);
    tb_ok(r0.rc == GLOSSARY_OK && rl.rc == GLOSSARY_ERR_CHECKSUM
          && rd.rc == GLOSSARY_ERR_CHECKSUM,
          "index_checksum off by one bit: 0 OK; LAZY and DEEP CHECKSUM");
    mb_free(&b);

    /* a later chunk's hash wrong */
    b = tb_lazy_build();
    eager = (mb_chunks(&b)->eager_size + TB_CHUNK - 1) >> TB_SHIFT;
    k = eager + 2;
    mb_chunk_hashes(&b)[k] ^= 1;
    mb_fix(&b);
    rl = tb_open_flags(b.p, b.n, GLOSSARY_OPEN_LAZY);
    tb_ok(rl.rc == GLOSSARY_ERR_CHECKSUM,
          "a chunk hash changed, only the checksum re-sealed: LAZY CHECKSUM "
          "(CHUNKS is in the index)");

    mb_fix_index(&b);
    r0 = tb_open_flags(b.p, b.n, 0);
    rd = tb_open_flags(b.p, b.n, GLOSSARY_OPEN_DEEP);
    tb_lazy_open(&o, b.p, b.n, GLOSSARY_OPEN_LAZY);
    good = o.rc == GLOSSARY_OK;
    if (good) {
        tb_lazy_walk(&o, k, &cnt);
        good = cnt.wrong == 0 && cnt.chunk > 0 && o.lz.corrupt == 1;
    }
    tb_ok(good && r0.rc == GLOSSARY_OK && rd.rc == GLOSSARY_ERR_CHUNK,
          "the same with the index re-sealed: 0 OK, DEEP CHUNK, LAZY OK and "
          "the documents of chunk %llu CHUNK", (unsigned long long) k);
    tb_lazy_close(&o);
    mb_free(&b);

    /* an eager chunk's hash wrong */
    b = tb_lazy_build();
    mb_chunk_hashes(&b)[eager - 1] ^= 1;
    mb_fix_index(&b);
    r0 = tb_open_flags(b.p, b.n, 0);
    rl = tb_open_flags(b.p, b.n, GLOSSARY_OPEN_LAZY);
    rd = tb_open_flags(b.p, b.n, GLOSSARY_OPEN_DEEP);
    tb_ok(r0.rc == GLOSSARY_OK && rl.rc == GLOSSARY_ERR_CHUNK
          && rd.rc == GLOSSARY_ERR_CHUNK && rl.detail[0],
          "the hash of the last eager chunk wrong, index re-sealed: 0 OK; "
          "LAZY and DEEP CHUNK");
    mb_free(&b);

    /* STRINGS changed and everything re-sealed: a different, valid blob */
    b = tb_lazy_build();
    d = mb_doc(&b, TB_LAZY_TERMS - 1, 0);
    b.p[d->body.off + d->body.len - 1] ^= 0x01;
    mb_seal(&b);
    r0 = tb_open_flags(b.p, b.n, 0);
    rl = tb_open_flags(b.p, b.n, GLOSSARY_OPEN_LAZY);
    rd = tb_open_flags(b.p, b.n, GLOSSARY_OPEN_DEEP);
    tb_ok(r0.rc == GLOSSARY_OK && rl.rc == GLOSSARY_OK
          && rd.rc == GLOSSARY_OK,
          "a byte of a body in the last chunks changed, everything "
          "re-sealed: OK with 0, LAZY and DEEP");
    mb_free(&b);
}


/* blobs without CHUNKS: a lazy open verifies them in full */
static void
tb_lazy_old(void)
{
    int                    good;
    unsigned               f, minor;
    uint64_t               digest;
    mb_blob_t              b;
    mb_model_t             m;
    tb_lazy_t              o;
    tb_result_t            res;
    tb_lazy_count_t        cnt;
    glossary_doc_t        *d;

    for (minor = 1; minor <= 2; minor++) {
        m = tb_lazy_model();
        m.chunk_shift = 0;
        m.version_minor = (uint16_t) minor;
        b = mb_build(&m);

        good = mb_find_section(&b, GLOSSARY_SECTION_CHUNKS) == NULL
               && mb_header(&b)->index_checksum == 0;
        digest = 0;

        for (f = 0; f < TB_ALL_FLAGS; f++) {
            res = tb_open_flags(b.p, b.n, tb_flags[f]);
            if (f == 0) {
                digest = res.digest;
            }

            if (res.rc != GLOSSARY_OK || res.walk_errors || res.lazy
                || res.digest != digest)
            {
                tb_diag("  flags %s: %s, lazy %u", tb_flag_names[f],
                        tb_name(res.rc), res.lazy);
                good = 0;
            }
        }

        tb_ok(good, "1.%u blob without CHUNKS: OK with 0, LAZY, DEEP and "
              "LAZY|DEEP, never lazy, the same walk", minor);

        tb_lazy_open(&o, b.p, b.n, GLOSSARY_OPEN_LAZY);
        tb_lazy_walk(&o, UINT64_MAX, &cnt);
        tb_ok(o.rc == GLOSSARY_OK && !o.blob.lazy && o.mem_size == 0
              && o.blob.chunk_count == 0 && o.blob.chunk_hashes == NULL
              && cnt.wrong == 0 && o.lz.verified == 0 && o.lz.doc_ok == NULL,
              "1.%u blob opened LAZY: glossary_lazy_size 0, lazy_doc and "
              "lazy_ref OK", minor);
        tb_lazy_close(&o);

        /* verified in full: a flipped document byte is found at load */
        b.p[b.n - 1] ^= 0x01;
        res = tb_open_flags(b.p, b.n, GLOSSARY_OPEN_LAZY);
        tb_ok(res.rc == GLOSSARY_ERR_CHECKSUM,
              "1.%u blob, the last byte flipped, opened LAZY: CHECKSUM (got "
              "%s)", minor, tb_name(res.rc));
        b.p[b.n - 1] ^= 0x01;

        /* and its ETags at load */
        d = mb_doc(&b, TB_LAZY_TERMS - 1, 0);
        b.p[d->etag.off + 1] = ' ';
        mb_fix(&b);
        res = tb_open_flags(b.p, b.n, GLOSSARY_OPEN_LAZY);
        tb_ok(res.rc == GLOSSARY_ERR_DOCS,
              "1.%u blob with a malformed ETag, opened LAZY: DOCS at load "
              "(got %s)", minor, tb_name(res.rc));

        mb_free(&b);
    }

}


/* STRINGS a whole number of chunks; no STRINGS at all */
static void
tb_lazy_edges(void)
{
    size_t               len;
    uint64_t             ss, count;
    mb_blob_t            b;
    mb_model_t           m;
    tb_lazy_t            o;
    tb_lazy_count_t      cnt;
    const char          *bodies[GLOSSARY_GLOBAL_DOCS_V1_1];
    static char          filler[4200];

    memset(bodies, 0, sizeof(bodies));
    memset(filler, 0, sizeof(filler));
    bodies[GLOSSARY_GLOBAL_SITEMAP] = filler;

    m = tb_lazy_model();
    m.global_bodies = bodies;
    b = mb_build(&m);
    ss = mb_section(&b, GLOSSARY_SECTION_STRINGS)->size;
    mb_free(&b);

    len = (size_t) ((TB_CHUNK - ss % TB_CHUNK) % TB_CHUNK);
    memset(filler, 'x', len);
    b = mb_build(&m);
    ss = mb_section(&b, GLOSSARY_SECTION_STRINGS)->size;
    count = ss >> TB_SHIFT;

    tb_lazy_open(&o, b.p, b.n, GLOSSARY_OPEN_LAZY);
    tb_lazy_walk(&o, UINT64_MAX, &cnt);
    tb_ok(ss % TB_CHUNK == 0 && o.rc == GLOSSARY_OK
          && o.blob.chunk_count == count
          && mb_section(&b, GLOSSARY_SECTION_CHUNKS)->size == 16 + 8 * count
          && cnt.wrong == 0 && o.lz.ok == count,
          "STRINGS of exactly %llu chunks: lazily OK, the last one full",
          (unsigned long long) count);
    tb_lazy_close(&o);

    b.p[mb_section(&b, GLOSSARY_SECTION_STRINGS)->offset + ss - 1] ^= 0x01;
    tb_lazy_open(&o, b.p, b.n, GLOSSARY_OPEN_LAZY);
    cnt.wrong = 1;
    if (o.rc == GLOSSARY_OK) {
        tb_lazy_walk(&o, count - 1, &cnt);
    }
    tb_ok(cnt.wrong == 0 && cnt.chunk >= 1,
          "... its last byte flipped: the documents of the last chunk "
          "CHUNK, the others OK");
    tb_lazy_close(&o);
    mb_free(&b);

    /* no strings: no chunks, no state */
    memset(&m, 0, sizeof(m));
    m.global_docs = UINT32_MAX;
    m.version_minor = 2;
    m.chunk_shift = TB_SHIFT;
    b = mb_build(&m);
    tb_write_corpus(&b, "1.2 empty STRINGS, no chunks");
    tb_lazy_open(&o, b.p, b.n, GLOSSARY_OPEN_LAZY);
    tb_lazy_walk(&o, UINT64_MAX, &cnt);
    tb_ok(mb_section(&b, GLOSSARY_SECTION_STRINGS)->size == 0
          && o.rc == GLOSSARY_OK && o.blob.lazy && o.blob.chunk_count == 0
          && o.mem_size == 0 && cnt.wrong == 0
          && tb_open_flags(b.p, b.n, GLOSSARY_OPEN_DEEP).rc == GLOSSARY_OK,
          "an empty glossary with CHUNKS and no strings: OK lazily and DEEP, "
          "glossary_lazy_size 0");
    tb_lazy_close(&o);
    mb_free(&b);
}


/*
 * The 1.0 model with CHUNKS (none of the 1.1 sections; bodies of 1500
 * bytes, 3 chunks of 4 KiB, the first eager): the main cases again, on
 * blobs small enough to be fuzzer seeds (test_blob --write-corpus)
 */
static void
tb_lazy_small_expect(mb_blob_t *b, const glossary_status_t *want,
    uint64_t bad, const char *name)
{
    int              good;
    unsigned         f;
    tb_lazy_t        o;
    tb_result_t      res;
    tb_lazy_count_t  cnt;

    tb_write_corpus(b, name);

    good = 1;

    for (f = 0; f < 3; f++) {
        res = tb_open_flags(b->p, b->n, tb_flags[f]);

        if (res.rc != want[f] || res.walk_errors
            || (want[f] != GLOSSARY_OK && res.detail[0] == '\0'))
        {
            tb_diag("  flags %s: got %s, detail \"%s\"", tb_flag_names[f],
                    tb_name(res.rc), res.detail);
            good = 0;
        }
    }

    /* lazily: exactly the documents of chunk "bad" fail */
    if (want[1] == GLOSSARY_OK) {
        tb_lazy_open(&o, b->p, b->n, GLOSSARY_OPEN_LAZY);
        tb_lazy_walk(&o, bad, &cnt);

        if (o.rc != GLOSSARY_OK || cnt.wrong || !tb_lazy_guard_ok(&o)
            || (bad != UINT64_MAX && cnt.chunk == 0))
        {
            tb_diag("  lazily: %s", cnt.first);
            good = 0;
        }

        tb_lazy_close(&o);
    }

    tb_ok(good, "%s: 0 %s, LAZY %s, DEEP %s", name, tb_name(want[0]),
          tb_name(want[1]), tb_name(want[2]));

    mb_free(b);
}


static void
tb_lazy_small(void)
{
    int                  good;
    uint64_t             so, ss, chunk;
    mb_blob_t            b, c;
    mb_model_t           m;
    tb_lazy_t            o;
    tb_lazy_count_t      cnt;
    glossary_doc_t      *d;
    glossary_section_t  *s;

    static const glossary_status_t  ok[3] = {
        GLOSSARY_OK, GLOSSARY_OK, GLOSSARY_OK
    };
    static const glossary_status_t  flipped[3] = {
        GLOSSARY_ERR_CHECKSUM, GLOSSARY_OK, GLOSSARY_ERR_CHECKSUM
    };
    static const glossary_status_t  etag[3] = {
        GLOSSARY_ERR_DOCS, GLOSSARY_OK, GLOSSARY_ERR_DOCS
    };
    static const glossary_status_t  chunks[3] = {
        GLOSSARY_ERR_CHUNKS, GLOSSARY_ERR_CHUNKS, GLOSSARY_ERR_CHUNKS
    };
    static const glossary_status_t  stale[3] = {
        GLOSSARY_OK, GLOSSARY_ERR_CHECKSUM, GLOSSARY_ERR_CHECKSUM
    };
    static const glossary_status_t  hash[3] = {
        GLOSSARY_OK, GLOSSARY_OK, GLOSSARY_ERR_CHUNK
    };

    m = mb_default_model;
    m.version_minor = 2;
    m.chunk_shift = TB_SHIFT;
    m.body_pad = 1500;

    b = mb_build(&m);
    so = mb_section(&b, GLOSSARY_SECTION_STRINGS)->offset;
    ss = mb_section(&b, GLOSSARY_SECTION_STRINGS)->size;

    tb_lazy_open(&o, b.p, b.n, GLOSSARY_OPEN_LAZY);
    tb_lazy_walk(&o, UINT64_MAX, &cnt);
    good = o.rc == GLOSSARY_OK && o.blob.lazy && o.blob.chunk_count == 3
           && tb_eager_chunks(&o.blob) == 1 && o.lz.slots == 3 * 2 + 1
           && cnt.wrong == 0 && o.lz.verified == 2 && tb_lazy_guard_ok(&o);
    tb_lazy_close(&o);
    tb_ok(good && b.n < 16384, "the 1.0 model with CHUNKS (3 chunks, %zu "
          "bytes), no 1.1 sections: lazily OK", b.n);

    c = mb_copy(b.p, b.n);
    tb_lazy_small_expect(&c, ok, UINT64_MAX, "1.2 small valid");

    /* the last term document: after the eager chunk */
    c = mb_copy(b.p, b.n);
    d = mb_doc(&c, 2, 1);
    chunk = (d->body.off + d->body.len / 2 - so) >> TB_SHIFT;
    c.p[d->body.off + d->body.len / 2] ^= 0x01;
    tb_ok(chunk >= 1, "1.2 small: the last term document lies in chunk %llu",
          (unsigned long long) chunk);
    tb_lazy_small_expect(&c, flipped, chunk,
                         "1.2 small a body byte flipped not re-sealed");

    c = mb_copy(b.p, b.n);
    d = mb_doc(&c, 2, 1);
    c.p[d->body.off + d->body.len / 2] ^= 0x01;
    mb_fix(&c);
    tb_lazy_small_expect(&c, hash, chunk,
                         "1.2 small a body byte flipped checksum re-sealed");

    c = mb_copy(b.p, b.n);
    d = mb_doc(&c, 2, 0);
    c.p[d->etag.off + 1] = ' ';
    mb_seal(&c);
    tb_lazy_open(&o, c.p, c.n, GLOSSARY_OPEN_LAZY);
    good = o.rc == GLOSSARY_OK
           && glossary_lazy_doc(&o.blob, &o.lz,
                                glossary_blob_doc(&o.blob, 2, 0))
              == GLOSSARY_ERR_DOCS
           && glossary_lazy_doc(&o.blob, &o.lz,
                                glossary_blob_doc(&o.blob, 2, 1))
              == GLOSSARY_OK;
    tb_lazy_close(&o);
    tb_ok(good, "1.2 small, a malformed ETag: lazy_doc DOCS for its "
          "document, OK for the next");
    tb_write_corpus(&c, "1.2 small a malformed etag re-sealed");
    {
        int          all;
        unsigned     f;
        tb_result_t  res;

        all = 1;
        for (f = 0; f < 3; f++) {
            res = tb_open_flags(c.p, c.n, tb_flags[f]);
            all = all && res.rc == etag[f];
        }

        tb_ok(all, "1.2 small a malformed ETag re-sealed: 0 DOCS, LAZY OK, "
              "DEEP DOCS");
    }
    mb_free(&c);

    c = mb_copy(b.p, b.n);
    mb_chunks(&c)->chunk_shift = 11;
    mb_seal(&c);
    tb_lazy_small_expect(&c, chunks, UINT64_MAX, "1.2 small chunk_shift 11");

    c = mb_copy(b.p, b.n);
    mb_chunks(&c)->eager_size = ss + 1;
    mb_seal(&c);
    tb_lazy_small_expect(&c, chunks, UINT64_MAX,
                         "1.2 small eager_size past STRINGS");

    c = mb_copy(b.p, b.n);
    mb_section(&c, GLOSSARY_SECTION_CHUNKS)->size -= 8;
    mb_seal(&c);
    tb_lazy_small_expect(&c, chunks, UINT64_MAX,
                         "1.2 small CHUNKS one hash short");

    c = mb_copy(b.p, b.n);
    s = mb_section(&c, GLOSSARY_SECTION_CHUNKS);
    memcpy(c.p + so + 8, c.p + s->offset, s->size);
    s->offset = so + 8;
    mb_seal(&c);
    tb_lazy_small_expect(&c, chunks, UINT64_MAX,
                         "1.2 small CHUNKS inside STRINGS");

    c = mb_copy(b.p, b.n);
    mb_section(&c, GLOSSARY_SECTION_TERMS)->offset = so;
    mb_seal(&c);
    tb_lazy_small_expect(&c, chunks, UINT64_MAX,
                         "1.2 small TERMS inside STRINGS");

    c = mb_copy(b.p, b.n);
    mb_header(&c)->build_time += 1;
    mb_fix(&c);
    tb_lazy_small_expect(&c, stale, UINT64_MAX,
                         "1.2 small index checksum stale");

    c = mb_copy(b.p, b.n);
    mb_chunk_hashes(&c)[2] ^= 1;
    mb_fix_index(&c);
    tb_lazy_small_expect(&c, hash, 2,
                         "1.2 small hash of chunk 2 wrong index re-sealed");

    c = mb_copy(b.p, b.n);
    mb_chunks(&c)->eager_size = ss;
    mb_seal(&c);
    tb_lazy_small_expect(&c, ok, UINT64_MAX, "1.2 small everything eager");

    mb_free(&b);
}


int
main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--write-corpus") == 0) {
        tb_corpus_dir = argv[2];

    } else if (argc != 1) {
        fprintf(stderr, "usage: %s [--write-corpus DIR]\n", argv[0]);
        return 2;
    }

    tb_valid();
    tb_valid_variants();
    tb_header();
    tb_sections();
    tb_records();
    tb_truncations();
    tb_flips();
    tb_lazy_basics();
    tb_lazy_span();
    tb_lazy_corrupt();
    tb_lazy_flips();
    tb_lazy_etag();
    tb_lazy_table();
    tb_lazy_index();
    tb_lazy_old();
    tb_lazy_edges();
    tb_lazy_small();

    printf("1..%u\n", tb_count);

    if (tb_corpus_dir) {
        fprintf(stderr, "test_blob: wrote %u blobs into %s\n",
                tb_corpus_files, tb_corpus_dir);
    }

    if (tb_failed) {
        tb_diag("%u of %u checks failed", tb_failed, tb_count);
    }

    return tb_failed ? 1 : 0;
}
