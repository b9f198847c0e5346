/*
 * glossaryc get: prints what the module answers for a path below the
 * location prefix.  The path is parsed by the module's router and answered
 * by the module's map (glossary_route_answer()), so that comparing nginx's
 * bodies with this command's output compares the module with the blob,
 * not two copies of one rule.
 *
 * Besides routes it prints what a request never gets alone: the search
 * page with its markers, and the fragments "#search-json/SLUG",
 * "#search-html/SLUG", "#not-found" and "#search-empty".
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glossary_blob.h"
#include "glossary_route.h"
#include "glossaryc.h"


static int glossary_get_fragment(glossary_file_blob_t *fb, const char *path,
    const glossary_doc_t **doc);
static int glossary_get_route(glossary_file_blob_t *fb, const char *path,
    const char *related, int html, const glossary_doc_t **doc);
static int glossary_get_search(glossary_file_blob_t *fb);
static int glossary_get_print(glossary_file_blob_t *fb,
    const glossary_doc_t *doc, int etag, int gzip);


int
glossary_cmd_get(int argc, char **argv)
{
    int                    rc, etag, gzip, html, index;
    const char            *path;
    glossary_file_blob_t   fb;
    const glossary_doc_t  *doc;

    etag = 0;
    gzip = 0;
    html = 0;

    for ( ;; ) {
        if (argc > 0 && strcmp(argv[0], "--etag") == 0) {
            etag = 1;

        } else if (argc > 0 && strcmp(argv[0], "--gzip") == 0) {
            gzip = 1;

        } else if (argc > 0 && strcmp(argv[0], "--html") == 0) {
            html = 1;

        } else {
            break;
        }

        argc--;
        argv++;
    }

    if (argc < 2 || argc > 3) {
        return glossary_usage_error("get takes FILE SLUG [related]%s", "");
    }

    path = argv[1];
    index = (path[0] == '\0' || strcmp(path, "--index") == 0);

    if (argc == 3 && (index || strcmp(argv[2], "related") != 0)) {
        return glossary_usage_error("get: unknown document \"%s\"", argv[2]);
    }

    rc = glossary_open(&fb, argv[0]);
    if (rc != GLOSSARY_EXIT_OK) {
        return rc;
    }

    doc = NULL;

    if (index) {
        path = "";
    }

    if (argc == 2 && path[0] == '#') {
        rc = glossary_get_fragment(&fb, path, &doc);

    } else {
        rc = glossary_get_route(&fb, path, argc == 3 ? argv[2] : NULL, html,
                                &doc);
    }

    if (rc == GLOSSARY_EXIT_OK && doc != NULL) {
        rc = glossary_get_print(&fb, doc, etag, gzip);
    }

    glossary_unload(&fb);

    return rc;
}


/*
 * "#search-json/SLUG", "#search-html/SLUG": a term's search result;
 * "#not-found", "#search-empty": the html format's 404 page and its
 * "no results" fragment
 */

static int
glossary_get_fragment(glossary_file_blob_t *fb, const char *path,
    const glossary_doc_t **doc)
{
    uint32_t                id, kind;
    const char             *slug;
    const glossary_blob_t  *b;

    b = &fb->blob;

    if (strcmp(path, "#not-found") == 0) {
        *doc = glossary_blob_global(b, GLOSSARY_GLOBAL_NOT_FOUND_HTML);

    } else if (strcmp(path, "#search-empty") == 0) {
        *doc = glossary_blob_global(b, GLOSSARY_GLOBAL_SEARCH_EMPTY_HTML);

    } else {
        if (strncmp(path, "#search-json/", 13) == 0) {
            kind = GLOSSARY_DOC_SEARCH_JSON;

        } else if (strncmp(path, "#search-html/", 13) == 0) {
            kind = GLOSSARY_DOC_SEARCH_HTML;

        } else {
            glossary_error("%s: no term \"%s\"", fb->path, path);
            return GLOSSARY_EXIT_DATA;
        }

        slug = path + 13;
        id = glossary_blob_lookup(b, (const unsigned char *) slug,
                                  strlen(slug));

        if (id == GLOSSARY_NO_TERM) {
            glossary_error("%s: no term \"%s\"", fb->path, slug);
            return GLOSSARY_EXIT_DATA;
        }

        *doc = glossary_blob_doc(b, id, kind);
    }

    if (*doc == NULL || glossary_doc_absent(*doc)) {
        glossary_error("%s: the blob has no such document", fb->path);
        return GLOSSARY_EXIT_DATA;
    }

    return GLOSSARY_EXIT_OK;
}


/*
 * PATH, or PATH "/related" when asked as "SLUG related", as the module
 * routes it below its prefix (a path that ends with "/", for the html
 * index).  A document is printed as the blob holds it, also an empty one
 * (a sitemap without a base URL) that the module answers with a 404.
 */

static int
glossary_get_route(glossary_file_blob_t *fb, const char *path,
    const char *related, int html, const glossary_doc_t **doc)
{
    int                 rc;
    char               *p;
    size_t              len;
    unsigned char       canonical[GLOSSARY_ROUTE_CANONICAL_LEN];
    glossary_route_t    route;
    glossary_answer_t   answer;

    len = strlen(path);
    p = glossary_xmalloc(len + sizeof("/" GLOSSARY_ROUTE_RELATED_NAME));

    memcpy(p, path, len);

    if (related != NULL) {
        memcpy(p + len, "/" GLOSSARY_ROUTE_RELATED_NAME,
               sizeof("/" GLOSSARY_ROUTE_RELATED_NAME) - 1);
        len += sizeof("/" GLOSSARY_ROUTE_RELATED_NAME) - 1;
    }

    glossary_route_parse((const unsigned char *) p, len, &route);

    if (related != NULL && route.kind != GLOSSARY_ROUTE_RELATED) {
        route.kind = GLOSSARY_ROUTE_NONE;
        route.redirect = 0;
    }

    rc = GLOSSARY_EXIT_DATA;

    switch (glossary_route_answer(&fb->blob, &route,
                                  GLOSSARY_ANSWER_SLASH
                                  | (html ? GLOSSARY_ANSWER_HTML : 0),
                                  &answer))
    {
    case GLOSSARY_ANSWER_DOCUMENT:
    case GLOSSARY_ANSWER_EMPTY:

        /* a kind the build left out (an empty sitemap is printed) */
        if (glossary_doc_absent(answer.doc)) {
            glossary_error("%s: the blob has no such document", fb->path);
            break;
        }

        *doc = answer.doc;
        rc = GLOSSARY_EXIT_OK;
        break;

    case GLOSSARY_ANSWER_SEARCH:
        rc = glossary_get_search(fb);
        break;

    case GLOSSARY_ANSWER_REDIRECT:
        glossary_error("%s: \"%.*s\" is not canonical: the module redirects "
                       "to \"%.*s\"", fb->path, (int) len, p,
                       (int) glossary_route_canonical(&route, canonical),
                       canonical);
        break;

    default: /* GLOSSARY_ANSWER_NOT_FOUND */

        switch (route.kind) {

        case GLOSSARY_ROUTE_NONE:
            glossary_error("%s: no term \"%s\"", fb->path, path);
            break;

        case GLOSSARY_ROUTE_CATEGORY:
            glossary_error("%s: no category \"%.*s\"", fb->path,
                           (int) route.slug_len, route.slug);
            break;

        case GLOSSARY_ROUTE_SEARCH:
            glossary_error("%s: the blob has no search page", fb->path);
            break;

        default:

            if (route.slug != NULL
                && glossary_blob_lookup(&fb->blob, route.slug, route.slug_len)
                   == GLOSSARY_NO_TERM)
            {
                glossary_error("%s: no term \"%.*s\"", fb->path,
                               (int) route.slug_len, route.slug);
                break;
            }

            glossary_error("%s: the blob has no such document", fb->path);
            break;
        }
    }

    free(p);

    return rc;
}


/* the search page, with bytes 1 and 2 where the query and results go */

static int
glossary_get_search(glossary_file_blob_t *fb)
{
    uint32_t                   i;
    const glossary_blob_t     *b;
    const glossary_segment_t  *g;

    b = &fb->blob;

    if (b->search_page_count == 0) {
        glossary_error("%s: the blob has no search page", fb->path);
        return GLOSSARY_EXIT_DATA;
    }

    for (i = 0; i < b->search_page_count; i++) {
        g = &b->search_page[i];

        if (g->kind == GLOSSARY_SEGMENT_TEXT) {
            fwrite(glossary_blob_ptr(b, g->text), 1, g->text.len, stdout);

        } else {
            putchar(g->kind == GLOSSARY_SEGMENT_QUERY ? 1 : 2);
        }
    }

    return fflush(stdout) == 0 ? GLOSSARY_EXIT_OK : GLOSSARY_EXIT_IO;
}


static int
glossary_get_print(glossary_file_blob_t *fb, const glossary_doc_t *doc,
    int etag, int gzip)
{
    size_t          len;
    glossary_ref_t  ref;

    if (gzip && doc->gzip_body.len == 0) {
        glossary_error("%s: the document has no gzip variant", fb->path);
        return GLOSSARY_EXIT_DATA;
    }

    if (etag) {
        ref = gzip ? doc->gzip_etag : doc->etag;

    } else {
        ref = gzip ? doc->gzip_body : doc->body;
    }

    len = (size_t) ref.len;

    if ((len && fwrite(glossary_blob_ptr(&fb->blob, ref), 1, len, stdout)
                != len)
        || (etag && putchar('\n') == EOF)
        || fflush(stdout) != 0)
    {
        glossary_error("stdout: %s", strerror(errno));
        return GLOSSARY_EXIT_IO;
    }

    return GLOSSARY_EXIT_OK;
}
