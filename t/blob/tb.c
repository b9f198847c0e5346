/*
 * The blob tests' helpers (tb.h): TAP, opening and walking a blob, the
 * corpus check.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "tb.h"


static unsigned     tb_count;
static unsigned     tb_failed;
static const char  *tb_prefix = "";
static const char  *tb_program = "test_blob";
static const char  *tb_corpus_dir;
static unsigned     tb_corpus_files;
static volatile uint64_t  tb_sink;


void
tb_ok(int cond, const char *fmt, ...)
{
    va_list  args;

    tb_count++;

    if (!cond) {
        tb_failed++;
    }

    printf("%sok %u - %s", cond ? "" : "not ", tb_count, tb_prefix);
    va_start(args, fmt);
    vprintf(fmt, args);
    va_end(args);
    printf("\n");
    fflush(stdout);
}


/*
 * the checks of a test program run once per major version the reader
 * reads: mb_default_major, and "1.x: " before the names of the second run
 */
void
tb_major(uint16_t major)
{
    mb_default_major = major;
    tb_prefix = (major == GLOSSARY_VERSION_MAJOR_V1) ? "1.x: " : "";
}


void
tb_diag(const char *fmt, ...)
{
    va_list  args;

    printf("# ");
    va_start(args, fmt);
    vprintf(fmt, args);
    va_end(args);
    printf("\n");
}


const char *
tb_name(glossary_status_t rc)
{
    static const char  *names[] = {
        "OK", "TRUNCATED", "MAGIC", "VERSION", "BYTE_ORDER", "SIZE",
        "TOO_LARGE", "CHECKSUM", "HEADER", "SECTION_TABLE", "SECTION",
        "MISSING_SECTION", "TERMS", "RELATED", "HASH", "DOCS", "CATEGORIES",
        "SEARCH", "CHUNKS", "CHUNK", "AUTOLINK"
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


static int
tb_walk_emit(void *ctx, const glossary_autolink_event_t *ev)
{
    uint32_t  *links = ctx;

    *links += (ev->type == GLOSSARY_AUTOLINK_OPEN);

    return 0;
}


/* 1.3: a page through the blob's automaton, as the filter would send it */
static void
tb_walk_autolink(const glossary_blob_t *blob, tb_result_t *res)
{
    void                        *mem;
    uint32_t                     links;
    const glossary_autolink_t   *al;
    glossary_autolink_conf_t     conf;
    glossary_autolink_stream_t  *st;

    static const char  page[] =
        "<p>ab AB ab&amp;x <b>a</b>b &#97;b caf\xc3\xa9 \xe4\xb8\xad ab";

    al = glossary_blob_autolink(blob);

    if (al == NULL) {
        if (blob->autolink_data != NULL) {
            tb_walk_error(res, "an AUTOLINK section, but no image");
        }

        return;
    }

    if (al->term_count != blob->term_count) {
        tb_walk_error(res, "autolink: %u terms of %u",
                      (unsigned) al->term_count,
                      (unsigned) blob->term_count);
    }

    mem = malloc(glossary_autolink_stream_size(al));
    if (mem == NULL) {
        fprintf(stderr, "%s: out of memory\n", tb_program);
        exit(2);
    }

    glossary_autolink_conf_init(&conf);
    conf.links_per_term = 0;
    links = 0;

    st = glossary_autolink_stream_init(mem, al, &conf,
                                       GLOSSARY_AUTOLINK_NO_TERM);

    if (glossary_autolink_feed(st, (const unsigned char *) page,
                               sizeof(page) - 1, 1, tb_walk_emit, &links)
        != 0)
    {
        tb_walk_error(res, "autolink: the stream failed");
    }

    free(mem);

    res->digest = (res->digest ^ links) * 0x100000001b3ull;
}


/* everything a server could reach in an opened blob */
static void
tb_walk(const glossary_blob_t *blob, tb_result_t *res)
{
    uint32_t                   i, k, id, count, stored;
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

        r = glossary_blob_related(blob, i, &count);

        if (r < blob->related
            || (uint64_t) (r - blob->related) + count > blob->related_count)
        {
            tb_walk_error(res, "term %u: related %llu+%u of %llu",
                          (unsigned) i,
                          (unsigned long long) (r - blob->related),
                          (unsigned) count,
                          (unsigned long long) blob->related_count);
            continue;
        }

        for (k = 0; k < count; k++) {
            tb_walk_ref(blob, r[k].slug, res, "related slug", k);
            tb_walk_ref(blob, r[k].name, res, "related name", k);

            if (r[k].term_id != GLOSSARY_NO_TERM
                && r[k].term_id >= blob->term_count)
            {
                tb_walk_error(res, "related target %u is not a term",
                              (unsigned) r[k].term_id);
            }
        }

        /* every kind the blob holds, and NULL for every other */
        for (k = 0, stored = 0; k <= GLOSSARY_MAX_DOCS_PER_TERM; k++) {
            d = glossary_blob_doc(blob, i, k);

            if ((d != NULL)
                != (k < 64 && ((blob->doc_kinds >> k) & 1) != 0))
            {
                tb_walk_error(res, "doc(%u, %u) %s", (unsigned) i,
                              (unsigned) k, d ? "not NULL" : "NULL");
            }

            if (d != NULL) {
                stored++;
                tb_walk_doc(blob, d, res, "term document",
                            (uint64_t) i * blob->docs_per_term + k);
            }
        }

        if (stored != blob->docs_per_term) {
            tb_walk_error(res, "term %u: %u kinds of %u", (unsigned) i,
                          (unsigned) stored, (unsigned) blob->docs_per_term);
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

    tb_walk_autolink(blob, res);
}


/*
 * Opens a heap copy of exactly n bytes, at an 8-byte aligned address (or
 * deliberately not), walks it when it opens, frees it.
 */
tb_result_t
tb_open_flags_at(const unsigned char *p, size_t n, size_t misalign,
    unsigned flags)
{
    unsigned char    *copy;
    tb_result_t       res;
    glossary_blob_t   blob;

    memset(&res, 0, sizeof(res));

    copy = malloc(n + misalign + 1);
    if (copy == NULL) {
        fprintf(stderr, "%s: out of memory\n", tb_program);
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


tb_result_t
tb_open_at(const unsigned char *p, size_t n, size_t misalign)
{
    return tb_open_flags_at(p, n, misalign, 0);
}


tb_result_t
tb_open_flags(const unsigned char *p, size_t n, unsigned flags)
{
    unsigned char  *copy;
    tb_result_t     res;

    /* exact size, so that ASan sees a read past the end */
    copy = malloc(n ? n : 1);
    if (copy == NULL) {
        fprintf(stderr, "%s: out of memory\n", tb_program);
        exit(2);
    }

    if (n) {
        memcpy(copy, p, n);
    }

    res = tb_open_flags_at(copy, n, 0, flags);
    free(copy);

    return res;
}


tb_result_t
tb_open(const unsigned char *p, size_t n)
{
    return tb_open_flags(p, n, 0);
}


void
tb_write_corpus(const mb_blob_t *b, const char *name)
{
    char    path[512], file[128], full[256];
    FILE   *f;
    size_t  i, j;

    if (tb_corpus_dir == NULL || b->n > 65536) {
        return;
    }

    /* the second run's blobs, 1.x, beside the first's */
    snprintf(full, sizeof(full), "%s%s", tb_prefix, name);
    name = full;

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
        fprintf(stderr, "%s: %s: %s\n", tb_program, path,
                strerror(errno));
        exit(2);
    }

    tb_corpus_files++;
}


/*
 * The check used by the corpus: re-seal the checksum (unless told not to),
 * open, compare the exact status, want a message for a failure and a clean
 * walk for a success.  Frees the blob.
 */
void
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


void
tb_expect(mb_blob_t *b, glossary_status_t want, const char *name)
{
    tb_expect_sealed(b, 1, want, name);
}


const glossary_section_t *
tb_strings(mb_blob_t *b)
{
    return mb_section(b, GLOSSARY_SECTION_STRINGS);
}


void
tb_init(int argc, char **argv)
{
    const char  *slash;

    if (argc > 0) {
        slash = strrchr(argv[0], '/');
        tb_program = slash ? slash + 1 : argv[0];
    }

    if (argc == 3 && strcmp(argv[1], "--write-corpus") == 0) {
        tb_corpus_dir = argv[2];

    } else if (argc != 1) {
        fprintf(stderr, "usage: %s [--write-corpus DIR]\n", argv[0]);
        exit(2);
    }
}


/* the plan, after the checks; the exit status */
int
tb_done(void)
{
    printf("1..%u\n", tb_count);

    if (tb_corpus_dir) {
        fprintf(stderr, "%s: wrote %u blobs into %s\n", tb_program,
                tb_corpus_files, tb_corpus_dir);
    }

    if (tb_failed) {
        tb_diag("%u of %u checks failed", tb_failed, tb_count);
    }

    return tb_failed ? 1 : 0;
}
