/*
 * URI routing and the route-to-answer map: see glossary_route.h.  The path
 * is the decoded, normalised URI after the location prefix; nginx has
 * already resolved "." and "..", merged slashes and decoded
 * percent-escapes.
 */

#include <string.h>

#include "glossary_blob.h"
#include "glossary_route.h"


/* one table look-up per byte: this runs for every request */
#define GLOSSARY_ROUTE_LOWER   1        /* a-z 0-9 */
#define GLOSSARY_ROUTE_UPPER   2        /* A-Z */
#define GLOSSARY_ROUTE_HYPHEN  4
#define GLOSSARY_ROUTE_SLASH   8

static const unsigned char  glossary_route_class[256] = {
    ['0' ... '9'] = GLOSSARY_ROUTE_LOWER,
    ['a' ... 'z'] = GLOSSARY_ROUTE_LOWER,
    ['A' ... 'Z'] = GLOSSARY_ROUTE_UPPER,
    ['-'] = GLOSSARY_ROUTE_HYPHEN,
    ['/'] = GLOSSARY_ROUTE_SLASH
};


static void glossary_route_category(const unsigned char *p,
    const unsigned char *end, unsigned redirect, glossary_route_t *route);
static size_t glossary_route_slug(const unsigned char *p,
    const unsigned char *end, unsigned *upper);
static int glossary_route_is(const unsigned char *p, size_t len,
    const char *name, unsigned *upper);


void
glossary_route_parse(const unsigned char *p, size_t len,
    glossary_route_t *route)
{
    glossary_route_split(p, len, route);
    glossary_route_check(route);
}


void
glossary_route_split(const unsigned char *p, size_t len,
    glossary_route_t *route)
{
    size_t                n;
    unsigned              upper, trailing;
    const unsigned char  *end, *slug, *slash;

    memset(route, 0, sizeof(glossary_route_t));

    end = p + len;

    if (p < end && *p == '/') {
        p++;    /* "location /glossary" without the trailing slash */
    }

    if (p == end) {
        route->kind = GLOSSARY_ROUTE_INDEX;
        return;
    }

    if ((size_t) (end - p) == sizeof(GLOSSARY_ROUTE_SITEMAP_NAME) - 1
        && memcmp(p, GLOSSARY_ROUTE_SITEMAP_NAME,
                  sizeof(GLOSSARY_ROUTE_SITEMAP_NAME) - 1) == 0)
    {
        route->kind = GLOSSARY_ROUTE_SITEMAP;
        return;
    }

    /* the first segment; its bytes are looked at below only when needed */

    slug = p;
    slash = memchr(p, '/', end - p);
    n = (slash ? slash : end) - p;

    if (n == 0 || n > GLOSSARY_MAX_SLUG_LEN) {
        return;
    }

    p += n;

    if (*slug == '_') {
        /* a name of the module's: no slug starts with "_" */

        if (glossary_route_is(slug, n, GLOSSARY_ROUTE_CATEGORY_NAME, &upper))
        {
            glossary_route_category(p, end, upper, route);
            return;
        }

        if (glossary_route_is(slug, n, GLOSSARY_ROUTE_SEARCH_NAME, &upper)
            && (p == end || p + 1 == end))
        {
            route->kind = GLOSSARY_ROUTE_SEARCH;
            route->redirect = (p != end) || upper;
        }

        return;
    }

    route->kind = GLOSSARY_ROUTE_TERM;
    trailing = 0;

    if (p < end) {
        p++;    /* '/' */

        if (p == end) {
            trailing = 1;

        } else if ((size_t) (end - p) >= sizeof(GLOSSARY_ROUTE_RELATED_NAME) - 1
                   && memcmp(p, GLOSSARY_ROUTE_RELATED_NAME,
                             sizeof(GLOSSARY_ROUTE_RELATED_NAME) - 1) == 0
                   && (end - p == sizeof(GLOSSARY_ROUTE_RELATED_NAME) - 1
                       || (p[sizeof(GLOSSARY_ROUTE_RELATED_NAME) - 1] == '/'
                           && end - p == sizeof(GLOSSARY_ROUTE_RELATED_NAME))))
        {
            route->kind = GLOSSARY_ROUTE_RELATED;
            trailing = (end - p == sizeof(GLOSSARY_ROUTE_RELATED_NAME));

        } else if ((size_t) (end - p) == sizeof(GLOSSARY_ROUTE_PAYLOAD_NAME) - 1
                   && memcmp(p, GLOSSARY_ROUTE_PAYLOAD_NAME,
                             sizeof(GLOSSARY_ROUTE_PAYLOAD_NAME) - 1) == 0)
        {
            /* a file, fetched by scripts: no trailing-slash form */
            route->kind = GLOSSARY_ROUTE_PAYLOAD;

        } else {
            route->kind = GLOSSARY_ROUTE_NONE;

            /* the old "category/{slug}": a term has no such path */
            if (n == sizeof(GLOSSARY_ROUTE_OLD_CATEGORY) - 1
                && glossary_route_is(slug, n, GLOSSARY_ROUTE_OLD_CATEGORY,
                                     &upper))
            {
                glossary_route_category(p - 1, end, 1, route);
            }

            return;
        }
    }

    route->slug = slug;
    route->slug_len = n;
    route->redirect = trailing;
    route->unchecked = 1;

    /*
     * the old scheme's paths that are also a term's (see glossary_route_t);
     * the length first, as every term's request comes this way
     */

    if (n == sizeof(GLOSSARY_ROUTE_OLD_CATEGORY) - 1
        && glossary_route_is(slug, n, GLOSSARY_ROUTE_OLD_CATEGORY, &upper))
    {
        route->old = (route->kind == GLOSSARY_ROUTE_RELATED)
                     ? GLOSSARY_ROUTE_CATEGORY
                     : (route->kind == GLOSSARY_ROUTE_TERM)
                       ? GLOSSARY_ROUTE_CATEGORIES : GLOSSARY_ROUTE_NONE;

    } else if (n == sizeof(GLOSSARY_ROUTE_OLD_SEARCH) - 1
               && route->kind == GLOSSARY_ROUTE_TERM
               && glossary_route_is(slug, n, GLOSSARY_ROUTE_OLD_SEARCH,
                                    &upper))
    {
        route->old = GLOSSARY_ROUTE_SEARCH;
    }
}


/*
 * "_category" was at p: what follows it, "" or "/" (the list), or
 * "/{slug}" with or without a trailing slash; redirect for an upper-case
 * or an old route word
 */

static void
glossary_route_category(const unsigned char *p, const unsigned char *end,
    unsigned redirect, glossary_route_t *route)
{
    size_t    n;
    unsigned  upper;

    if (p == end || p + 1 == end) {
        /* "_category" and "_CATEGORY/" -> "_category/" */
        route->kind = GLOSSARY_ROUTE_CATEGORIES;
        route->redirect = (p == end) || redirect;
        return;
    }

    p++;    /* '/' */

    n = glossary_route_slug(p, end, &upper);
    if (n == 0) {
        return;
    }

    if (p + n < end && (p[n] != '/' || p + n + 1 != end)) {
        return;
    }

    route->kind = GLOSSARY_ROUTE_CATEGORY;
    route->slug = p;
    route->slug_len = n;
    route->redirect = redirect || upper || (p + n < end);
}


/* the slug of a split term, related or payload route, byte by byte */

void
glossary_route_check(glossary_route_t *route)
{
    unsigned  upper;

    if (!route->unchecked) {
        return;
    }

    route->unchecked = 0;

    if (glossary_route_slug(route->slug, route->slug + route->slug_len,
                            &upper)
        != route->slug_len)
    {
        route->kind = GLOSSARY_ROUTE_NONE;
        route->slug = NULL;
        route->slug_len = 0;
        route->redirect = 0;
        return;
    }

    route->redirect |= upper;
}


/*
 * glossary_route_answer() for a term route of an old word that the blob
 * does not hold as it is: the term's when the blob holds its word (then
 * only its case or a trailing slash is to redirect), else the old route's
 * redirect to its new path
 */

glossary_answer_kind_t
glossary_route_answer_old(const glossary_blob_t *blob,
    glossary_route_t *route)
{
    const char  *word;

    glossary_route_check(route);

    word = (route->old == GLOSSARY_ROUTE_SEARCH) ? GLOSSARY_ROUTE_OLD_SEARCH
                                                 : GLOSSARY_ROUTE_OLD_CATEGORY;

    if (glossary_blob_lookup(blob, (const unsigned char *) word,
                             strlen(word))
        != GLOSSARY_NO_TERM)
    {
        route->old = GLOSSARY_ROUTE_NONE;

        return route->redirect ? GLOSSARY_ANSWER_REDIRECT
                               : GLOSSARY_ANSWER_NOT_FOUND;
    }

    if (route->old == GLOSSARY_ROUTE_CATEGORY) {
        /* "category/related": the category "related" */
        route->slug += route->slug_len + 1;
        route->slug_len = sizeof(GLOSSARY_ROUTE_RELATED_NAME) - 1;

    } else {
        route->slug = NULL;
        route->slug_len = 0;
    }

    route->kind = route->old;
    route->old = GLOSSARY_ROUTE_NONE;
    route->redirect = 1;

    return GLOSSARY_ANSWER_REDIRECT;
}


/*
 * glossary_route_answer() for the routes without a term: their redirect
 * is known from their bytes
 */

glossary_answer_kind_t
glossary_route_answer_page(const glossary_blob_t *blob,
    glossary_route_t *route, unsigned flags, glossary_answer_t *answer)
{
    unsigned                    html;
    const glossary_doc_t       *doc;
    const glossary_category_t  *c;

    if (route->kind == GLOSSARY_ROUTE_NONE) {
        return GLOSSARY_ANSWER_NOT_FOUND;
    }

    if (route->redirect) {
        return GLOSSARY_ANSWER_REDIRECT;
    }

    if (route->kind == GLOSSARY_ROUTE_SEARCH) {

        /*
         * an index (1.1 prefixes, 1.3 full text), the hits' fragments, and
         * in the html format the page
         */
        if ((blob->search_terms == NULL && blob->fts_image == NULL)
            || ((flags & GLOSSARY_ANSWER_HTML)
                ? !glossary_blob_has_kind(blob, GLOSSARY_DOC_SEARCH_HTML)
                  || blob->search_page_count == 0
                : !glossary_blob_has_kind(blob, GLOSSARY_DOC_SEARCH_JSON)))
        {
            return GLOSSARY_ANSWER_NOT_FOUND;
        }

        return GLOSSARY_ANSWER_SEARCH;
    }

    html = flags & GLOSSARY_ANSWER_HTML;

    answer->media = html ? GLOSSARY_MEDIA_HTML : GLOSSARY_MEDIA_JSON;

    switch (route->kind) {

    case GLOSSARY_ROUTE_INDEX:

        /*
         * "location /glossary" serves its index at "/glossary" too; a
         * page's relative links need the slash, as nginx's index module
         * does
         */
        if (html && !(flags & GLOSSARY_ANSWER_SLASH)) {
            return GLOSSARY_ANSWER_REDIRECT;
        }

        doc = glossary_blob_global(blob, html ? GLOSSARY_GLOBAL_INDEX_HTML
                                              : GLOSSARY_GLOBAL_INDEX_JSON);
        break;

    case GLOSSARY_ROUTE_CATEGORIES:
        doc = glossary_blob_global(blob,
                                   html ? GLOSSARY_GLOBAL_CATEGORIES_HTML
                                        : GLOSSARY_GLOBAL_CATEGORIES_JSON);
        break;

    case GLOSSARY_ROUTE_CATEGORY:
        c = glossary_blob_category(blob, route->slug, route->slug_len);
        doc = (c == NULL) ? NULL : html ? &c->html : &c->json;
        break;

    default: /* GLOSSARY_ROUTE_SITEMAP */
        doc = glossary_blob_global(blob, GLOSSARY_GLOBAL_SITEMAP);
        answer->media = GLOSSARY_MEDIA_XML;
        break;
    }

    /* a kind an older blob lacks, or one left empty (no sitemap base URL) */

    if (doc == NULL) {
        return GLOSSARY_ANSWER_NOT_FOUND;
    }

    answer->doc = doc;

    return doc->body.len ? GLOSSARY_ANSWER_DOCUMENT : GLOSSARY_ANSWER_EMPTY;
}


size_t
glossary_route_canonical(const glossary_route_t *route, unsigned char *buf)
{
    size_t          i;
    unsigned char  *p, c;

    p = buf;

    switch (route->kind) {

    case GLOSSARY_ROUTE_CATEGORIES:
    case GLOSSARY_ROUTE_CATEGORY:
        memcpy(p, GLOSSARY_ROUTE_CATEGORY_NAME "/",
               sizeof(GLOSSARY_ROUTE_CATEGORY_NAME "/") - 1);
        p += sizeof(GLOSSARY_ROUTE_CATEGORY_NAME "/") - 1;
        break;

    case GLOSSARY_ROUTE_SEARCH:
        memcpy(p, GLOSSARY_ROUTE_SEARCH_NAME,
               sizeof(GLOSSARY_ROUTE_SEARCH_NAME) - 1);
        p += sizeof(GLOSSARY_ROUTE_SEARCH_NAME) - 1;
        break;

    default:
        break;
    }

    for (i = 0; i < route->slug_len; i++) {
        c = route->slug[i];
        *p++ = (c >= 'A' && c <= 'Z') ? (c | 0x20) : c;
    }

    if (route->kind == GLOSSARY_ROUTE_RELATED) {
        memcpy(p, "/" GLOSSARY_ROUTE_RELATED_NAME,
               sizeof("/" GLOSSARY_ROUTE_RELATED_NAME) - 1);
        p += sizeof("/" GLOSSARY_ROUTE_RELATED_NAME) - 1;

    } else if (route->kind == GLOSSARY_ROUTE_PAYLOAD) {
        memcpy(p, "/" GLOSSARY_ROUTE_PAYLOAD_NAME,
               sizeof("/" GLOSSARY_ROUTE_PAYLOAD_NAME) - 1);
        p += sizeof("/" GLOSSARY_ROUTE_PAYLOAD_NAME) - 1;
    }

    return p - buf;
}


/*
 * the length of the slug at p, up to the next '/' or the end, or 0 when
 * it is not one: [a-zA-Z0-9]+(-[a-zA-Z0-9]+)*, at most 128 bytes
 */

static size_t
glossary_route_slug(const unsigned char *p, const unsigned char *end,
    unsigned *upper)
{
    unsigned              c, prev, seen;
    const unsigned char  *slug;

    slug = p;
    prev = GLOSSARY_ROUTE_HYPHEN;       /* refuses a leading hyphen */
    seen = 0;

    for ( /* void */ ; p < end; p++) {
        c = glossary_route_class[*p];

        if (c == GLOSSARY_ROUTE_SLASH) {
            break;
        }

        if (c == 0 || (c & prev & GLOSSARY_ROUTE_HYPHEN)) {
            return 0;   /* not a slug byte, or "--" */
        }

        seen |= c;
        prev = c;
    }

    /* empty, or a trailing hyphen */
    if (prev == GLOSSARY_ROUTE_HYPHEN
        || (size_t) (p - slug) > GLOSSARY_MAX_SLUG_LEN)
    {
        return 0;
    }

    *upper = (seen & GLOSSARY_ROUTE_UPPER) != 0;

    return p - slug;
}


/*
 * whether len bytes at p are name, ignoring the case of ASCII letters;
 * *upper tells whether they hold upper case
 */

static int
glossary_route_is(const unsigned char *p, size_t len, const char *name,
    unsigned *upper)
{
    size_t         i;
    unsigned char  c;

    *upper = 0;

    if (len != strlen(name)) {
        return 0;
    }

    for (i = 0; i < len; i++) {
        c = p[i];

        if (c >= 'A' && c <= 'Z') {
            c |= 0x20;
            *upper = 1;
        }

        if (c != (unsigned char) name[i]) {
            return 0;
        }
    }

    return 1;
}
