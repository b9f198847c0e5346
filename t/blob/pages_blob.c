/*
 * Writes a test blob for the nginx tests of the 1.1 routes (t/015-pages.t):
 *
 *     pages_blob MODEL OUT
 *
 * MODEL is one of
 *
 *     pages       8 terms with every 1.1 section and document kind
 *     nositemap   the same with an empty sitemap (no base URL)
 *     many        60 terms "Term 01" ... "Term 60", for search limits
 *     bare        1.1 document kinds, but none of the 1.1 sections
 *     v1          the reader tests' default model: a 1.0 blob
 *     fts         pages in format 1.3: with chunks and a search index
 *                 (make_blob's own, written by hand)
 *     fts-corrupt the same, the first posting list's block broken (a
 *                 document past the count), sealed again: verify=full
 *                 refuses it, verify=lazy at the first search that reads
 *                 it ("attention", the first word)
 *
 * Bodies are make_blob's: a term document is {"slug":"...","kind":N}, a
 * category's {"category":"...","kind":"json"|"html"}, so a test sees which
 * document answered.  The search keys are written here already folded.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glossary_fts.h"
#include "make_blob.h"


static const mb_term_t  pb_terms[] = {
    { "attention", "Attention", "Models", "", 0, 0 },
    { "cuda", "CUDA", "Software", "", 0, 0 },
    { "eclair", "\xc3\x89" "clair", "", "", 0, 0 },
    { "gpu", "GPU", "Hardware", "", 0, 0 },
    { "gpu-memory", "GPU memory", "Hardware", "", 0, 0 },
    { "integrated-gpu", "Integrated GPU", "Hardware", "", 0, 0 },
    { "tensor-core", "Tensor core", "Hardware", "", 0, 0 },
    { "zero-trust", "Zero trust", "Security", "", 0, 0 },
};

static const mb_category_t  pb_categories[] = {
    { "hardware", "Hardware", 4 },
    { "models", "Models", 1 },
    { "security", "Security", 1 },
    { "software", "Software", 1 },
};

/* names and slugs; "cuda" twice, as a name and as a slug */
static const mb_search_t  pb_search_terms[] = {
    { "attention", 0, 0 },
    { "cuda", 1, 1 },
    { "cuda", 1, 1 },
    { "eclair", 2, 2 },
    { "gpu", 3, 3 },
    { "gpu memory", 4, 4 },
    { "integrated gpu", 5, 5 },
    { "tensor core", 6, 6 },
    { "zero trust", 7, 7 },
};

static const mb_search_t  pb_search_words[] = {
    { "core", 6, 6 },
    { "gpu", 5, 5 },
    { "memory", 4, 4 },
    { "trust", 7, 7 },
};

static const mb_segment_t  pb_segments[] = {
    { GLOSSARY_SEGMENT_TEXT, "<!DOCTYPE html>\n<title>Search</title>\n"
                             "<form action=\"search\"><input name=\"q\" "
                             "value=\"" },
    { GLOSSARY_SEGMENT_QUERY, "" },
    { GLOSSARY_SEGMENT_TEXT, "\"></form>\n<h1>" },
    { GLOSSARY_SEGMENT_QUERY, "" },
    { GLOSSARY_SEGMENT_TEXT, "</h1>\n<ul>\n" },
    { GLOSSARY_SEGMENT_RESULTS, "" },
    { GLOSSARY_SEGMENT_TEXT, "</ul>\n" },
};

static const char  *pb_globals[GLOSSARY_GLOBAL_DOCS_V1_1] = {
    NULL,                                            /* index json */
    "<!DOCTYPE html>\n<title>A-Z</title>\n",         /* index html */
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset></urlset>\n",
    "<!DOCTYPE html>\n<title>Not found</title>\n",   /* not found */
    "<li>No results</li>\n",                         /* search empty */
    NULL,                                            /* categories json */
    "<!DOCTYPE html>\n<title>Categories</title>\n",  /* categories html */
};

static const char  *pb_globals_nositemap[GLOSSARY_GLOBAL_DOCS_V1_1];


static mb_blob_t
pb_many(void)
{
    uint32_t             i;
    mb_blob_t            b;
    mb_model_t           m;
    static char          slugs[60][16], names[60][16], keys[60][16];
    static mb_term_t     terms[60];
    static mb_search_t   search[60];

    for (i = 0; i < 60; i++) {
        snprintf(slugs[i], sizeof(slugs[i]), "term-%02u", (unsigned) i + 1);
        snprintf(names[i], sizeof(names[i]), "Term %02u", (unsigned) i + 1);
        snprintf(keys[i], sizeof(keys[i]), "term %02u", (unsigned) i + 1);

        terms[i].slug = slugs[i];
        terms[i].term = names[i];
        terms[i].category = "";
        terms[i].definition = "";

        search[i].key = keys[i];
        search[i].term_id = i;
        search[i].order = i;
    }

    memset(&m, 0, sizeof(mb_model_t));
    m.terms = terms;
    m.nterms = 60;
    m.docs_per_term = GLOSSARY_DOCS_PER_TERM_V1_1;
    m.global_docs = GLOSSARY_GLOBAL_DOCS_V1_1;
    m.version_minor = 1;
    m.search_terms = search;
    m.nsearch_terms = 60;
    m.search_words = search;
    m.nsearch_words = 0;
    m.segments = pb_segments;
    m.nsegments = sizeof(pb_segments) / sizeof(pb_segments[0]);
    m.global_bodies = pb_globals;

    b = mb_build(&m);

    return b;
}


int
main(int argc, char **argv)
{
    FILE           *f;
    uint32_t        i;
    mb_blob_t       b;
    mb_model_t      m;
    unsigned char  *p;

    if (argc != 3) {
        fprintf(stderr, "usage: pages_blob pages|nositemap|many|bare|v1|"
                "fts|fts-corrupt OUT\n");
        return 2;
    }

    memset(&m, 0, sizeof(mb_model_t));
    m.terms = pb_terms;
    m.nterms = sizeof(pb_terms) / sizeof(pb_terms[0]);
    m.docs_per_term = GLOSSARY_DOCS_PER_TERM_V1_1;
    m.global_docs = GLOSSARY_GLOBAL_DOCS_V1_1;
    m.version_minor = 1;
    m.categories = pb_categories;
    m.ncategories = sizeof(pb_categories) / sizeof(pb_categories[0]);
    m.search_terms = pb_search_terms;
    m.nsearch_terms = sizeof(pb_search_terms) / sizeof(pb_search_terms[0]);
    m.search_words = pb_search_words;
    m.nsearch_words = sizeof(pb_search_words) / sizeof(pb_search_words[0]);
    m.segments = pb_segments;
    m.nsegments = sizeof(pb_segments) / sizeof(pb_segments[0]);
    m.global_bodies = pb_globals;

    if (strcmp(argv[1], "pages") == 0) {
        b = mb_build(&m);

    } else if (strcmp(argv[1], "nositemap") == 0) {
        for (i = 0; i < GLOSSARY_GLOBAL_DOCS_V1_1; i++) {
            pb_globals_nositemap[i] = pb_globals[i];
        }

        pb_globals_nositemap[GLOSSARY_GLOBAL_SITEMAP] = "";
        m.global_bodies = pb_globals_nositemap;
        b = mb_build(&m);

    } else if (strcmp(argv[1], "many") == 0) {
        b = pb_many();

    } else if (strcmp(argv[1], "bare") == 0) {
        m.categories = NULL;
        m.ncategories = 0;
        m.search_terms = NULL;
        m.nsearch_terms = 0;
        m.search_words = NULL;
        m.nsearch_words = 0;
        m.segments = NULL;
        m.nsegments = 0;
        b = mb_build(&m);

    } else if (strcmp(argv[1], "v1") == 0) {
        b = mb_build_default();

    } else if (strcmp(argv[1], "fts") == 0
               || strcmp(argv[1], "fts-corrupt") == 0)
    {
        m.version_minor = 3;
        m.chunk_shift = 12;
        m.fts = 1;
        b = mb_build(&m);

        if (argv[1][3] == '-') {
            /* the first block's width and first gap: document 200 */
            p = mb_fts_part(&b, GLOSSARY_FTS_PART_POSTINGS, NULL);
            p[0] = 8;
            p[1] = 200;
            mb_seal(&b);
        }

    } else {
        fprintf(stderr, "pages_blob: unknown model \"%s\"\n", argv[1]);
        return 2;
    }

    f = fopen(argv[2], "wb");

    if (f == NULL
        || fwrite(b.p, 1, b.n, f) != b.n
        || fclose(f) != 0)
    {
        perror(argv[2]);
        return 1;
    }

    mb_free(&b);

    return 0;
}
