/*
 * libFuzzer target for the URI router: any byte string in, and the route
 * out must be consistent: a slug lies inside the input, is 1 to 128 bytes
 * of [a-zA-Z0-9-] with hyphens only between letters and digits, and a
 * route without a redirect has a canonical (lower-case) slug; a term's
 * slug is the path's first segment, and a canonical slug alone is always
 * a term route (no name of the module can take one); the module's pages
 * (categories, search) without a redirect come only from a path whose
 * first byte is "_"; only a term route of the old words "search" and
 * "category" carries the old route; routes without a slug carry none, and
 * the index and the sitemap never redirect.  It drives
 * glossary_route_split() and glossary_route_check() as the module does
 * (glossary_route_parse() is the two in a row).
 *
 * Then the map, glossary_route_answer(), over four small blobs built by
 * t/blob/make_blob.c (every 1.1 section; the same with an empty sitemap;
 * a 1.0 blob; terms named after every route word) with every combination
 * of flags: the route as the module splits it and as glossaryc get parses
 * it must get the same answer; a document is the one the blob holds for
 * the route, in its media type; a redirect goes to a canonical path that
 * routes to the same place without one; a term route is found exactly
 * when the blob holds the slug; an old word's path redirects to the
 * module's page exactly when the blob does not hold the word.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glossary_blob.h"
#include "glossary_route.h"
#include "make_blob.h"


static int fuzz_route_is(const unsigned char *p, size_t len,
    const char *name, int nocase);
static int fuzz_route_slug(const unsigned char *p, size_t len);
static void fuzz_route_answers(const unsigned char *path, size_t len);
static void fuzz_route_answer(const glossary_blob_t *blob,
    const unsigned char *path, size_t len, unsigned flags);
static void fuzz_route_blobs(void);


#define FUZZ_ROUTE_BLOBS  4

static glossary_blob_t  fuzz_route_blob[FUZZ_ROUTE_BLOBS];


static void
fuzz_route_fail(const char *what)
{
    fprintf(stderr, "fuzz_route: %s\n", what);
    abort();
}


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t             i, off;
    unsigned char     *copy;
    unsigned           upper;
    glossary_route_t   route;

    /* an exact-size heap copy, so that ASan sees any over-read */
    copy = malloc(size ? size : 1);
    if (copy == NULL) {
        return 0;
    }

    memcpy(copy, data, size);

    /* what the module acts on before the check: a bounded segment */
    glossary_route_split(copy, size, &route);

    if (route.unchecked
        && (route.slug < copy || route.slug_len == 0
            || route.slug_len > GLOSSARY_MAX_SLUG_LEN
            || route.slug + route.slug_len > copy + size
            || memchr(route.slug, '/', route.slug_len) != NULL))
    {
        fuzz_route_fail("unchecked slug outside the input, bad length or '/'");
    }

    glossary_route_check(&route);

    if (route.unchecked) {
        fuzz_route_fail("unchecked after the check");
    }

    off = (size && copy[0] == '/');

    /* by construction: no name of the module's can take a slug */
    if (fuzz_route_slug(copy + off, size - off)
        && (route.kind != GLOSSARY_ROUTE_TERM || route.redirect
            || route.slug != copy + off || route.slug_len != size - off))
    {
        fuzz_route_fail("a canonical slug that is not its term's route");
    }

    if ((route.kind == GLOSSARY_ROUTE_CATEGORIES
         || route.kind == GLOSSARY_ROUTE_CATEGORY
         || route.kind == GLOSSARY_ROUTE_SEARCH)
        && !route.redirect
        && (size == off || copy[off] != '_'))
    {
        fuzz_route_fail("a page of the module for a path without \"_\"");
    }

    if (route.old != GLOSSARY_ROUTE_NONE
        && !((route.kind == GLOSSARY_ROUTE_TERM
              && ((route.old == GLOSSARY_ROUTE_CATEGORIES
                   && fuzz_route_is(route.slug, route.slug_len,
                                    GLOSSARY_ROUTE_OLD_CATEGORY, 1))
                  || (route.old == GLOSSARY_ROUTE_SEARCH
                      && fuzz_route_is(route.slug, route.slug_len,
                                       GLOSSARY_ROUTE_OLD_SEARCH, 1))))
             || (route.kind == GLOSSARY_ROUTE_RELATED
                 && route.old == GLOSSARY_ROUTE_CATEGORY
                 && fuzz_route_is(route.slug, route.slug_len,
                                  GLOSSARY_ROUTE_OLD_CATEGORY, 1))))
    {
        fuzz_route_fail("an old route on a path that never had one");
    }

    if ((route.kind == GLOSSARY_ROUTE_TERM
         || route.kind == GLOSSARY_ROUTE_RELATED
         || route.kind == GLOSSARY_ROUTE_PAYLOAD)
        && route.slug != copy + off)
    {
        fuzz_route_fail("a term's slug that is not the first segment");
    }

    switch (route.kind) {

    case GLOSSARY_ROUTE_NONE:
    case GLOSSARY_ROUTE_INDEX:
    case GLOSSARY_ROUTE_SITEMAP:
        if (route.redirect) {
            fuzz_route_fail("redirect from the index, sitemap or no route");
        }

        /* fall through */

    case GLOSSARY_ROUTE_CATEGORIES:
    case GLOSSARY_ROUTE_SEARCH:
        if (route.slug != NULL || route.slug_len != 0) {
            fuzz_route_fail("slug on a route without one");
        }

        if (route.kind == GLOSSARY_ROUTE_INDEX
            && !(size == 0 || (size == 1 && copy[0] == '/')))
        {
            fuzz_route_fail("index route for a non-empty path");
        }

        if (route.kind == GLOSSARY_ROUTE_SITEMAP
            && !fuzz_route_is(copy + (size && copy[0] == '/'),
                              size - (size && copy[0] == '/'),
                              GLOSSARY_ROUTE_SITEMAP_NAME, 0))
        {
            fuzz_route_fail("sitemap route for another path");
        }

        break;

    case GLOSSARY_ROUTE_TERM:
    case GLOSSARY_ROUTE_RELATED:
    case GLOSSARY_ROUTE_PAYLOAD:
    case GLOSSARY_ROUTE_CATEGORY:
        if (route.slug < copy || route.slug_len == 0
            || route.slug_len > GLOSSARY_MAX_SLUG_LEN
            || route.slug + route.slug_len > copy + size)
        {
            fuzz_route_fail("slug outside the input or of a bad length");
        }

        upper = 0;

        for (i = 0; i < route.slug_len; i++) {
            unsigned char  c = route.slug[i];

            if (c >= 'A' && c <= 'Z') {
                upper = 1;

            } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                         || (c == '-' && i > 0 && i < route.slug_len - 1
                             && route.slug[i - 1] != '-')))
            {
                fuzz_route_fail("slug byte outside the slug alphabet");
            }

        }

        if (upper && !route.redirect) {
            fuzz_route_fail("upper-case slug without a redirect");
        }

        break;

    default:
        fuzz_route_fail("unknown route kind");
    }

    fuzz_route_answers(copy, size);

    free(copy);

    return 0;
}


static const mb_term_t  fuzz_route_terms[] = {
    { "a", "A", "", "", 0, 0 },
    { "ai-hw", "AI HW", "Hardware", "", 0, 0 },
    { "cuda", "CUDA", "Software", "", 0, 0 },
    { "gpu", "GPU", "Hardware", "", 0, 0 },
    { "hardware-software-co-design", "HW/SW co-design", "Hardware", "",
      0, 0 },
};

static const mb_category_t  fuzz_route_categories[] = {
    { "ai-hw", "AI HW", 1 },
    { "hardware", "Hardware", 3 },
    { "software", "Software", 1 },
};

static const mb_search_t  fuzz_route_search[] = {
    { "cuda", 2, 2 },
    { "gpu", 3, 3 },
};

static const mb_segment_t  fuzz_route_segments[] = {
    { GLOSSARY_SEGMENT_TEXT, "<p>" },
    { GLOSSARY_SEGMENT_QUERY, "" },
    { GLOSSARY_SEGMENT_RESULTS, "" },
};

/* a term named after every word the router knows, old and new */
static const mb_term_t  fuzz_route_words[] = {
    { "category", "Category", "Search", "", 0, 0 },
    { "index", "Index", "", "", 0, 0 },
    { "payload", "Payload", "", "", 0, 0 },
    { "payload-json", "_payload.json", "", "", 0, 0 },
    { "related", "Related", "Related", "", 0, 0 },
    { "search", "Search", "Search", "", 0, 0 },
    { "sitemap", "Sitemap", "", "", 0, 0 },
    { "sitemap-xml", "sitemap.xml", "", "", 0, 0 },
};

static const mb_category_t  fuzz_route_word_categories[] = {
    { "related", "Related", 1 },
    { "search", "Search", 2 },
};

static const char  *fuzz_route_globals[GLOSSARY_GLOBAL_DOCS_V1_1] = {
    NULL, "<p>A-Z", NULL, "<p>Not found", "<p>None", NULL, "<p>Categories"
};


/* the blobs, built and opened once: opening them is not what is fuzzed */

static void
fuzz_route_blobs(void)
{
    int                 i;
    mb_blob_t           b;
    mb_model_t          m;
    static const char  *globals[GLOSSARY_GLOBAL_DOCS_V1_1];
    static int          done;

    if (done) {
        return;
    }

    done = 1;

    memset(&m, 0, sizeof(mb_model_t));
    m.terms = fuzz_route_terms;
    m.nterms = sizeof(fuzz_route_terms) / sizeof(fuzz_route_terms[0]);
    m.docs_per_term = GLOSSARY_DOCS_PER_TERM_V1_1;
    m.global_docs = GLOSSARY_GLOBAL_DOCS_V1_1;
    m.version_minor = 1;
    m.categories = fuzz_route_categories;
    m.ncategories = sizeof(fuzz_route_categories)
                    / sizeof(fuzz_route_categories[0]);
    m.search_terms = fuzz_route_search;
    m.nsearch_terms = sizeof(fuzz_route_search)
                      / sizeof(fuzz_route_search[0]);
    m.segments = fuzz_route_segments;
    m.nsegments = sizeof(fuzz_route_segments)
                  / sizeof(fuzz_route_segments[0]);
    m.global_bodies = fuzz_route_globals;

    for (i = 0; i < FUZZ_ROUTE_BLOBS; i++) {

        if (i == 1) {
            /* no base URL: the sitemap is empty */
            memcpy(globals, fuzz_route_globals, sizeof(globals));
            globals[GLOSSARY_GLOBAL_SITEMAP] = "";
            m.global_bodies = globals;
        }

        if (i == 3) {
            m.global_bodies = fuzz_route_globals;
            m.terms = fuzz_route_words;
            m.nterms = sizeof(fuzz_route_words)
                       / sizeof(fuzz_route_words[0]);
            m.categories = fuzz_route_word_categories;
            m.ncategories = sizeof(fuzz_route_word_categories)
                            / sizeof(fuzz_route_word_categories[0]);
        }

        b = (i == 2) ? mb_build_default() : mb_build(&m);

        /* kept for the process: the blob points into it */
        if (glossary_blob_open(&fuzz_route_blob[i], b.p, b.n) != GLOSSARY_OK)
        {
            fuzz_route_fail("a test blob does not open");
        }
    }
}


static void
fuzz_route_answers(const unsigned char *path, size_t len)
{
    int       i;
    unsigned  flags;

    fuzz_route_blobs();

    for (i = 0; i < FUZZ_ROUTE_BLOBS; i++) {
        for (flags = 0;
             flags <= (GLOSSARY_ANSWER_HTML | GLOSSARY_ANSWER_GZIP
                       | GLOSSARY_ANSWER_SLASH);
             flags++)
        {
            fuzz_route_answer(&fuzz_route_blob[i], path, len, flags);
        }
    }
}


static void
fuzz_route_answer(const glossary_blob_t *blob, const unsigned char *path,
    size_t len, unsigned flags)
{
    size_t                      n;
    uint32_t                    id, kind, global;
    unsigned                    html;
    unsigned char              *canonical;
    const glossary_category_t  *c;
    glossary_media_t            media;
    int                         held;
    glossary_route_t            split, parsed, again;
    glossary_answer_t           a, b;
    glossary_route_kind_t       old;
    glossary_answer_kind_t      ak, bk;

    html = (flags & GLOSSARY_ANSWER_HTML) != 0;

    /* the module's way (split, checked on a miss) and glossaryc get's */

    glossary_route_split(path, len, &split);
    glossary_route_parse(path, len, &parsed);

    old = split.old;
    held = (old == GLOSSARY_ROUTE_NONE)
           ? 0
           : glossary_blob_lookup(blob, (const unsigned char *)
                                  (old == GLOSSARY_ROUTE_SEARCH
                                   ? GLOSSARY_ROUTE_OLD_SEARCH
                                   : GLOSSARY_ROUTE_OLD_CATEGORY),
                                  old == GLOSSARY_ROUTE_SEARCH
                                  ? sizeof(GLOSSARY_ROUTE_OLD_SEARCH) - 1
                                  : sizeof(GLOSSARY_ROUTE_OLD_CATEGORY) - 1)
             != GLOSSARY_NO_TERM;

    ak = glossary_route_answer(blob, &split, flags, &a);
    bk = glossary_route_answer(blob, &parsed, flags, &b);

    /* an old word's path: the term's when the blob holds it, else moved */
    if (old != GLOSSARY_ROUTE_NONE) {
        if (held && split.kind != GLOSSARY_ROUTE_TERM
            && split.kind != GLOSSARY_ROUTE_RELATED)
        {
            fuzz_route_fail("an old word the blob holds is not its term's");
        }

        if (!held && (ak != GLOSSARY_ANSWER_REDIRECT || split.kind != old)) {
            fuzz_route_fail("an old word the blob lacks is not moved");
        }
    }

    if (ak != bk) {
        fuzz_route_fail("the split and the parsed route answer differently");
    }

    if (split.kind != parsed.kind || split.redirect != parsed.redirect) {
        fuzz_route_fail("the split route, once answered, is not the parsed");
    }

    switch (ak) {

    case GLOSSARY_ANSWER_DOCUMENT:
    case GLOSSARY_ANSWER_EMPTY:
        if (a.doc != b.doc || a.media != b.media) {
            fuzz_route_fail("the split and the parsed route, two documents");
        }

        if (a.doc == NULL || (ak == GLOSSARY_ANSWER_DOCUMENT)
                             != (a.doc->body.len != 0))
        {
            fuzz_route_fail("a document without a body, or an empty one");
        }

        /* a slug the blob holds is canonical: it stays unchecked */
        if (split.redirect) {
            fuzz_route_fail("a document for a redirect");
        }

        media = html ? GLOSSARY_MEDIA_HTML : GLOSSARY_MEDIA_JSON;
        kind = GLOSSARY_NO_TERM;
        global = GLOSSARY_NO_TERM;

        switch (split.kind) {

        case GLOSSARY_ROUTE_TERM:
            kind = html ? GLOSSARY_DOC_TERM_HTML : GLOSSARY_DOC_TERM_JSON;
            break;

        case GLOSSARY_ROUTE_RELATED:
            kind = GLOSSARY_DOC_RELATED_JSON;
            media = GLOSSARY_MEDIA_JSON;
            break;

        case GLOSSARY_ROUTE_PAYLOAD:
            kind = GLOSSARY_DOC_PAYLOAD;
            media = GLOSSARY_MEDIA_JSON;
            break;

        case GLOSSARY_ROUTE_INDEX:
            global = html ? GLOSSARY_GLOBAL_INDEX_HTML
                          : GLOSSARY_GLOBAL_INDEX_JSON;
            break;

        case GLOSSARY_ROUTE_CATEGORIES:
            global = html ? GLOSSARY_GLOBAL_CATEGORIES_HTML
                          : GLOSSARY_GLOBAL_CATEGORIES_JSON;
            break;

        case GLOSSARY_ROUTE_SITEMAP:
            global = GLOSSARY_GLOBAL_SITEMAP;
            media = GLOSSARY_MEDIA_XML;
            break;

        case GLOSSARY_ROUTE_CATEGORY:
            c = glossary_blob_category(blob, split.slug, split.slug_len);

            if (c == NULL || a.doc != (html ? &c->html : &c->json)) {
                fuzz_route_fail("a category route, another document");
            }

            break;

        default:
            fuzz_route_fail("a document for no route or a search");
        }

        if (global != GLOSSARY_NO_TERM
            && a.doc != glossary_blob_global(blob, global))
        {
            fuzz_route_fail("a page route, another document");
        }

        if (a.media != media) {
            fuzz_route_fail("a document in another media type");
        }

        if (kind != GLOSSARY_NO_TERM) {
            id = glossary_blob_lookup(blob, split.slug, split.slug_len);

            if (id == GLOSSARY_NO_TERM
                || a.doc != glossary_blob_doc(blob, id, kind))
            {
                fuzz_route_fail("a term route, another term's document");
            }
        }

        break;

    case GLOSSARY_ANSWER_REDIRECT:
        if (!split.redirect
            && !(split.kind == GLOSSARY_ROUTE_INDEX && html
                 && !(flags & GLOSSARY_ANSWER_SLASH)))
        {
            fuzz_route_fail("a redirect the route does not ask for");
        }

        /* an exact-size buffer: ASan sees a byte written past it */
        canonical = malloc(GLOSSARY_ROUTE_CANONICAL_LEN);
        if (canonical == NULL) {
            return;
        }

        n = glossary_route_canonical(&split, canonical);

        if (n > GLOSSARY_ROUTE_CANONICAL_LEN) {
            fuzz_route_fail("a canonical path longer than its limit");
        }

        glossary_route_parse(canonical, n, &again);

        if (again.kind != split.kind || again.redirect
            || again.slug_len != split.slug_len)
        {
            fuzz_route_fail("the canonical path routes elsewhere");
        }

        /* the index's canonical path is the prefix itself */
        if (split.kind != GLOSSARY_ROUTE_INDEX
            && n == len - (len && path[0] == '/')
            && memcmp(canonical, path + (len && path[0] == '/'), n) == 0)
        {
            fuzz_route_fail("a redirect to the path itself");
        }

        free(canonical);
        break;

    case GLOSSARY_ANSWER_SEARCH:
        if (split.kind != GLOSSARY_ROUTE_SEARCH || split.redirect
            || blob->search_terms == NULL)
        {
            fuzz_route_fail("a search for another route, or a blob without");
        }

        break;

    case GLOSSARY_ANSWER_NOT_FOUND:
        if (split.redirect) {
            fuzz_route_fail("not found for a redirect");
        }

        if ((split.kind == GLOSSARY_ROUTE_TERM
             || split.kind == GLOSSARY_ROUTE_RELATED
             || split.kind == GLOSSARY_ROUTE_PAYLOAD)
            && glossary_blob_lookup(blob, split.slug, split.slug_len)
               != GLOSSARY_NO_TERM
            && blob->docs_per_term == GLOSSARY_DOCS_PER_TERM_V1_1)
        {
            fuzz_route_fail("a term the blob holds not found");
        }

        if (split.kind == GLOSSARY_ROUTE_CATEGORY
            && glossary_blob_category(blob, split.slug, split.slug_len)
               != NULL)
        {
            fuzz_route_fail("a category the blob holds not found");
        }

        break;

    default:
        fuzz_route_fail("an unknown answer");
    }
}


static int
fuzz_route_is(const unsigned char *p, size_t len, const char *name,
    int nocase)
{
    size_t  i;

    if (len != strlen(name)) {
        return 0;
    }

    for (i = 0; i < len; i++) {
        if ((nocase ? (p[i] | 0x20) : p[i]) != (unsigned char) name[i]) {
            return 0;
        }
    }

    return 1;
}


/* a canonical slug: [a-z0-9]+(-[a-z0-9]+)*, at most 128 bytes */

static int
fuzz_route_slug(const unsigned char *p, size_t len)
{
    size_t  i;

    if (len == 0 || len > GLOSSARY_MAX_SLUG_LEN || p[0] == '-'
        || p[len - 1] == '-')
    {
        return 0;
    }

    for (i = 0; i < len; i++) {
        if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= '0' && p[i] <= '9')
              || (p[i] == '-' && p[i - 1] != '-')))
        {
            return 0;
        }
    }

    return 1;
}
