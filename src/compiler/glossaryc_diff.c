/*
 * glossaryc diff [-q] OLD NEW: what serving NEW instead of OLD changes, one
 * line per term and a summary; exit status as diff(1).
 */

#include <stdio.h>
#include <string.h>

#include "glossaryc.h"


/* diff(1)'s statuses, not glossaryc's: 2 is any trouble */
#define GLOSSARY_DIFF_SAME       0
#define GLOSSARY_DIFF_DIFFERENT  1
#define GLOSSARY_DIFF_TROUBLE    2


typedef struct {
    const glossary_blob_t  *a;          /* OLD */
    const glossary_blob_t  *b;          /* NEW */
    int                     quiet;
    size_t                  added;
    size_t                  removed;
    size_t                  changed;
    size_t                  same;
    size_t                  globals;    /* global documents changed */
    uint64_t                which;      /* their kinds, a bit each */
    uint32_t                kinds;
} glossary_diff_t;


static void glossary_diff_terms(glossary_diff_t *d);
static void glossary_diff_line(glossary_diff_t *d, const char *mark,
    const glossary_blob_t *blob, uint32_t id);
static void glossary_diff_globals(glossary_diff_t *d);
static void glossary_diff_summary(glossary_diff_t *d, int rc);
static void glossary_diff_kinds(const glossary_blob_t *b);
static const char *glossary_global_name(uint32_t kind);
static int glossary_ref_eq(const glossary_blob_t *a, glossary_ref_t ra,
    const glossary_blob_t *b, glossary_ref_t rb);
static int glossary_ref_cmp(const glossary_blob_t *a, glossary_ref_t ra,
    const glossary_blob_t *b, glossary_ref_t rb);
static int glossary_term_changed(const glossary_blob_t *a, uint32_t ia,
    const glossary_blob_t *b, uint32_t ib);
static void glossary_diff_head(const char *mark, glossary_file_blob_t *fb);


int
glossary_cmd_diff(int argc, char **argv)
{
    int                   quiet, rc;
    glossary_diff_t       d;
    glossary_file_blob_t  fa, fb;

    quiet = 0;

    while (argc > 0 && argv[0][0] == '-' && argv[0][1] != '\0') {
        if (strcmp(argv[0], "-q") == 0 || strcmp(argv[0], "--quiet") == 0) {
            quiet = 1;

        } else if (strcmp(argv[0], "--") == 0) {
            argc--;
            argv++;
            break;

        } else {
            glossary_error("diff: unknown option \"%s\"\n"
                           "Try 'glossaryc --help'.", argv[0]);
            return GLOSSARY_DIFF_TROUBLE;
        }

        argc--;
        argv++;
    }

    if (argc != 2) {
        glossary_error("diff takes OLD NEW\nTry 'glossaryc --help'.");
        return GLOSSARY_DIFF_TROUBLE;
    }

    if (glossary_open(&fa, argv[0]) != GLOSSARY_EXIT_OK) {
        return GLOSSARY_DIFF_TROUBLE;
    }

    if (glossary_open(&fb, argv[1]) != GLOSSARY_EXIT_OK) {
        glossary_unload(&fa);
        return GLOSSARY_DIFF_TROUBLE;
    }

    memset(&d, 0, sizeof(glossary_diff_t));
    d.a = &fa.blob;
    d.b = &fb.blob;
    d.quiet = quiet;

    if (!quiet) {
        glossary_diff_head("---", &fa);
        glossary_diff_head("+++", &fb);
    }

    glossary_diff_terms(&d);
    glossary_diff_globals(&d);

    rc = (d.added || d.removed || d.changed || d.globals
          || d.a->doc_kinds != d.b->doc_kinds)
         ? GLOSSARY_DIFF_DIFFERENT : GLOSSARY_DIFF_SAME;

    if (!quiet) {
        glossary_diff_summary(&d, rc);
    }

    glossary_unload(&fa);
    glossary_unload(&fb);

    return glossary_flush_stdout() == GLOSSARY_EXIT_OK
           ? rc : GLOSSARY_DIFF_TROUBLE;
}


/* both TERMS sections are sorted by slug: one merge pass */
static void
glossary_diff_terms(glossary_diff_t *d)
{
    int                     c;
    uint32_t                i, j;
    const glossary_blob_t  *a, *b;

    a = d->a;
    b = d->b;
    i = 0;
    j = 0;

    while (i < a->term_count || j < b->term_count) {

        if (i == a->term_count) {
            c = 1;

        } else if (j == b->term_count) {
            c = -1;

        } else {
            c = glossary_ref_cmp(a, a->terms[i].slug, b, b->terms[j].slug);
        }

        if (c < 0) {
            d->removed++;
            glossary_diff_line(d, "-", a, i++);

        } else if (c > 0) {
            d->added++;
            glossary_diff_line(d, "+", b, j++);

        } else {
            if (glossary_term_changed(a, i, b, j)) {
                d->changed++;
                glossary_diff_line(d, "~", b, j);

            } else {
                d->same++;
            }

            i++;
            j++;
        }
    }
}


static void
glossary_diff_line(glossary_diff_t *d, const char *mark,
    const glossary_blob_t *blob, uint32_t id)
{
    if (!d->quiet) {
        printf("%s %.*s\n", mark, (int) blob->terms[id].slug.len,
               (const char *) glossary_blob_ptr(blob, blob->terms[id].slug));
    }
}


/* documents not tied to a term: the index, and 1.1's global pages */
static void
glossary_diff_globals(glossary_diff_t *d)
{
    uint32_t               k;
    const glossary_doc_t  *da, *db;

    d->kinds = d->a->global_docs > d->b->global_docs ? d->a->global_docs
                                                     : d->b->global_docs;

    for (k = 0; k < d->kinds; k++) {
        da = glossary_blob_global(d->a, k);
        db = glossary_blob_global(d->b, k);

        if (da == NULL || db == NULL
            || !glossary_ref_eq(d->a, da->etag, d->b, db->etag))
        {
            d->globals++;
            d->which |= (uint64_t) 1 << k;
        }
    }
}


static void
glossary_diff_summary(glossary_diff_t *d, int rc)
{
    uint32_t  k;

    printf("%zu added, %zu removed, %zu changed, %zu unchanged",
           d->added, d->removed, d->changed, d->same);

    if (d->globals) {
        fputs("; also changed:", stdout);

        for (k = 0; k < d->kinds; k++) {
            if (d->which & ((uint64_t) 1 << k)) {
                printf("%s %s", (d->which & (((uint64_t) 1 << k) - 1))
                                ? "," : "", glossary_global_name(k));
            }
        }
    }

    if (d->a->doc_kinds != d->b->doc_kinds) {
        fputs("; document kinds", stdout);
        glossary_diff_kinds(d->a);
        fputs(" ->", stdout);
        glossary_diff_kinds(d->b);
    }

    if (rc == GLOSSARY_DIFF_SAME
        && d->a->header->build_time != d->b->header->build_time)
    {
        printf("; same documents, another build time (Last-Modified)");
    }

    putchar('\n');
}


/* " term-json,related-json": the per-term kinds a blob holds */
static void
glossary_diff_kinds(const glossary_blob_t *b)
{
    uint32_t  k, n;

    for (k = 0, n = 0; k < GLOSSARY_DOC_KINDS; k++) {
        if (glossary_blob_has_kind(b, k)) {
            printf("%s%s", n++ ? "," : " ", glossary_blob_kind_name(k));
        }
    }

    if (n == 0) {
        fputs(" none", stdout);
    }
}


static const char *
glossary_global_name(uint32_t kind)
{
    static const char  *names[] = {
        "index", "html index", "sitemap", "html 404 page",
        "html empty search", "categories", "html categories"
    };

    return kind < GLOSSARY_GLOBAL_DOCS_V1_1 ? names[kind] : "unknown";
}


static int
glossary_ref_cmp(const glossary_blob_t *a, glossary_ref_t ra,
    const glossary_blob_t *b, glossary_ref_t rb)
{
    int     c;
    size_t  n;

    n = ra.len < rb.len ? (size_t) ra.len : (size_t) rb.len;

    c = n ? memcmp(glossary_blob_ptr(a, ra), glossary_blob_ptr(b, rb), n) : 0;

    if (c != 0) {
        return c;
    }

    return ra.len < rb.len ? -1 : ra.len > rb.len;
}


static int
glossary_ref_eq(const glossary_blob_t *a, glossary_ref_t ra,
    const glossary_blob_t *b, glossary_ref_t rb)
{
    return glossary_ref_cmp(a, ra, b, rb) == 0;
}


/*
 * A term changed when any document both blobs serve for it has another
 * ETag, i.e. another body.  A term's JSON embeds the names and short
 * definitions of its related terms, so editing one term can change
 * another: that is what a client would see.
 */

static int
glossary_term_changed(const glossary_blob_t *a, uint32_t ia,
    const glossary_blob_t *b, uint32_t ib)
{
    uint32_t               k;
    const glossary_doc_t  *da, *db;

    for (k = 0; k < GLOSSARY_DOC_KINDS; k++) {
        da = glossary_blob_doc(a, ia, k);
        db = glossary_blob_doc(b, ib, k);

        if (da == NULL || db == NULL) {
            continue;
        }

        if (!glossary_ref_eq(a, da->etag, b, db->etag)) {
            return 1;
        }
    }

    return 0;
}


static void
glossary_diff_head(const char *mark, glossary_file_blob_t *fb)
{
    char  when[32];

    glossary_iso_time(fb->blob.header->build_time, when, sizeof(when));

    printf("%s %s\tbuild %s, %u terms, built %s\n", mark, fb->path,
           fb->blob.build_id, (unsigned) fb->blob.term_count, when);
}
