/*
 * glossaryc diff [-q] OLD NEW: what serving NEW instead of OLD changes, one
 * line per term and a summary; exit status as diff(1).
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "glossaryc.h"


/* diff(1)'s statuses, not glossaryc's: 2 is any trouble */
#define GLOSSARY_DIFF_SAME       0
#define GLOSSARY_DIFF_DIFFERENT  1
#define GLOSSARY_DIFF_TROUBLE    2


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
    int                     quiet, rc, c;
    size_t                  added, removed, changed, same, globals;
    uint64_t                which;
    uint32_t                i, j, k, kinds;
    glossary_file_blob_t    fa, fb;
    const glossary_doc_t   *da, *db;
    const glossary_blob_t  *a, *b;

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

    a = &fa.blob;
    b = &fb.blob;

    if (!quiet) {
        glossary_diff_head("---", &fa);
        glossary_diff_head("+++", &fb);
    }

    added = 0;
    removed = 0;
    changed = 0;
    same = 0;

    /* both TERMS sections are sorted by slug: one merge pass */

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
            removed++;
            if (!quiet) {
                printf("- %.*s\n", (int) a->terms[i].slug.len,
                       (const char *) glossary_blob_ptr(a, a->terms[i].slug));
            }
            i++;

        } else if (c > 0) {
            added++;
            if (!quiet) {
                printf("+ %.*s\n", (int) b->terms[j].slug.len,
                       (const char *) glossary_blob_ptr(b, b->terms[j].slug));
            }
            j++;

        } else {
            if (glossary_term_changed(a, i, b, j)) {
                changed++;
                if (!quiet) {
                    printf("~ %.*s\n", (int) b->terms[j].slug.len,
                           (const char *) glossary_blob_ptr(b,
                                                      b->terms[j].slug));
                }

            } else {
                same++;
            }

            i++;
            j++;
        }
    }

    /* documents not tied to a term: the index, and 1.1's global pages */

    kinds = a->global_docs > b->global_docs ? a->global_docs : b->global_docs;
    globals = 0;
    which = 0;

    for (k = 0; k < kinds; k++) {
        da = glossary_blob_global(a, k);
        db = glossary_blob_global(b, k);

        if (da == NULL || db == NULL
            || !glossary_ref_eq(a, da->etag, b, db->etag))
        {
            globals++;
            which |= (uint64_t) 1 << k;
        }
    }

    rc = (added || removed || changed || globals
          || a->docs_per_term != b->docs_per_term)
         ? GLOSSARY_DIFF_DIFFERENT : GLOSSARY_DIFF_SAME;

    if (!quiet) {
        printf("%zu added, %zu removed, %zu changed, %zu unchanged",
               added, removed, changed, same);

        if (globals) {
            fputs("; also changed:", stdout);

            for (k = 0; k < kinds; k++) {
                if (which & ((uint64_t) 1 << k)) {
                    printf("%s %s", (which & (((uint64_t) 1 << k) - 1))
                                    ? "," : "", glossary_global_name(k));
                }
            }
        }

        if (a->docs_per_term != b->docs_per_term) {
            printf("; documents per term %u -> %u",
                   (unsigned) a->docs_per_term, (unsigned) b->docs_per_term);
        }

        if (rc == GLOSSARY_DIFF_SAME
            && a->header->build_time != b->header->build_time)
        {
            printf("; same documents, another build time (Last-Modified)");
        }

        putchar('\n');
    }

    glossary_unload(&fa);
    glossary_unload(&fb);

    if (fflush(stdout) != 0 || ferror(stdout)) {
        glossary_error("stdout: %s", strerror(errno));
        return GLOSSARY_DIFF_TROUBLE;
    }

    return rc;
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
    uint32_t               k, kinds;
    const glossary_doc_t  *da, *db;

    kinds = a->docs_per_term < b->docs_per_term ? a->docs_per_term
                                                : b->docs_per_term;

    for (k = 0; k < kinds; k++) {
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
