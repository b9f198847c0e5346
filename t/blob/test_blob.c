/*
 * Tests of the blob reader (src/glossary_blob.c) over a valid blob built by
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

#include "glossary_blob.h"
#include "make_blob.h"


typedef struct {
    glossary_status_t  rc;
    char               detail[sizeof(((glossary_blob_t *) 0)->detail)];
    int                detail_terminated;
    unsigned           walk_errors;
    char               walk_first[160];
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
        "MISSING_SECTION", "TERMS", "RELATED", "HASH", "DOCS"
    };

    if ((unsigned) rc >= GLOSSARY_ERR_LAST) {
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
tb_open_at(const unsigned char *p, size_t n, size_t misalign)
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

    res.rc = glossary_blob_open(&blob, copy + misalign, n);

    res.detail_terminated = memchr(blob.detail, '\0', sizeof(blob.detail))
                            != NULL;
    if (res.detail_terminated) {
        memcpy(res.detail, blob.detail, sizeof(res.detail));
    }

    if (res.rc == GLOSSARY_OK) {
        tb_walk(&blob, &res);
    }

    free(copy);

    return res;
}


static tb_result_t
tb_open(const unsigned char *p, size_t n)
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

    res = tb_open_at(copy, n, 0);
    free(copy);

    return res;
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
