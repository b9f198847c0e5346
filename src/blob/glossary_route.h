/*
 * URI routing for the glossary module, free of nginx so that glossaryc and
 * the fuzzer can drive it: the part of a request path after the location
 * prefix in, a route out; then a route and a blob in, the answer out.
 */

#ifndef GLOSSARY_ROUTE_H
#define GLOSSARY_ROUTE_H

#include <stddef.h>
#include <stdint.h>

#include "glossary_blob.h"


typedef enum {
    GLOSSARY_ROUTE_NONE = 0,       /* not a route: 404 */
    GLOSSARY_ROUTE_INDEX,          /* "" */
    GLOSSARY_ROUTE_TERM,           /* "{slug}" */
    GLOSSARY_ROUTE_RELATED,        /* "{slug}/related" */
    GLOSSARY_ROUTE_PAYLOAD,        /* "{slug}/_payload.json" */
    GLOSSARY_ROUTE_CATEGORIES,     /* "_category/" */
    GLOSSARY_ROUTE_CATEGORY,       /* "_category/{slug}" */
    GLOSSARY_ROUTE_SEARCH,         /* "_search" */
    GLOSSARY_ROUTE_SITEMAP         /* "sitemap.xml" */
} glossary_route_kind_t;


/*
 * The module's own pages are named with a byte no slug can hold, a
 * leading "_" ("_search", "_category/", "_payload.json") or a "."
 * ("sitemap.xml"), so every canonical slug is a term's, whatever it is;
 * a page kind added later takes another such name.
 *
 * The words of the scheme before, "search" and "category", are slugs like
 * any other: a term that holds one answers its paths.  When the blob has
 * no such term, the old paths ("search", "category/", "category/{slug}")
 * redirect to the new ones; "old" is then the route the path had in the
 * old scheme, for glossary_route_answer() to fall back on.
 *
 * slug is the term's slug, or the category's for GLOSSARY_ROUTE_CATEGORY;
 * NULL for the other routes.
 */
typedef struct {
    glossary_route_kind_t   kind;
    const unsigned char    *slug;          /* inside the parsed path */
    size_t                  slug_len;
    /* a term route of an old word: its route when there is no such term */
    glossary_route_kind_t   old;
    /* not canonical: redirect to the lower-case form, no trailing slash */
    unsigned                redirect:1;
    /* the slug's bytes are not checked yet: see glossary_route_split() */
    unsigned                unchecked:1;
} glossary_route_t;


#define GLOSSARY_ROUTE_CATEGORY_NAME  "_category"
#define GLOSSARY_ROUTE_SEARCH_NAME    "_search"
#define GLOSSARY_ROUTE_RELATED_NAME   "related"
#define GLOSSARY_ROUTE_PAYLOAD_NAME   "_payload.json"
#define GLOSSARY_ROUTE_SITEMAP_NAME   "sitemap.xml"

/* the old scheme's words, now slugs: redirected when no term holds them */
#define GLOSSARY_ROUTE_OLD_CATEGORY   "category"
#define GLOSSARY_ROUTE_OLD_SEARCH     "search"


/*
 * glossary_route_parse() is glossary_route_split() then
 * glossary_route_check().  The module splits first and looks the slug up:
 * a slug equal to one the blob holds is a canonical slug (the reader has
 * checked every stored one), so only a miss needs the byte-by-byte check,
 * which may then turn the route into a redirect (upper case) or none.
 * After glossary_route_split() alone a term, related or payload route has
 * "unchecked" set and a slug of 1 to GLOSSARY_MAX_SLUG_LEN bytes without
 * '/', but of any other bytes; its "redirect" may only be set for a
 * trailing slash, and must not be acted on before the check.
 */
void glossary_route_parse(const unsigned char *path, size_t len,
    glossary_route_t *route);
void glossary_route_split(const unsigned char *path, size_t len,
    glossary_route_t *route);
void glossary_route_check(glossary_route_t *route);


/* what a route answers: see glossary_route_answer() */
typedef enum {
    GLOSSARY_ANSWER_NOT_FOUND = 0,
    GLOSSARY_ANSWER_DOCUMENT,      /* send doc */
    GLOSSARY_ANSWER_EMPTY,         /* the blob holds doc empty: 404 */
    GLOSSARY_ANSWER_REDIRECT,      /* to glossary_route_canonical() */
    GLOSSARY_ANSWER_SEARCH         /* the blob can search in this format */
} glossary_answer_kind_t;


/* media types, without their "; charset=utf-8" */
typedef enum {
    GLOSSARY_MEDIA_JSON = 0,       /* application/json */
    GLOSSARY_MEDIA_HTML,           /* text/html */
    GLOSSARY_MEDIA_XML             /* application/xml */
} glossary_media_t;


/* set for GLOSSARY_ANSWER_DOCUMENT and GLOSSARY_ANSWER_EMPTY only */
typedef struct {
    const glossary_doc_t   *doc;
    glossary_media_t        media;
} glossary_answer_t;


/* flags of glossary_route_answer() */
#define GLOSSARY_ANSWER_HTML   1   /* the html format, else json */
#define GLOSSARY_ANSWER_GZIP   2   /* the client takes gzip: a hint */
#define GLOSSARY_ANSWER_SLASH  4   /* the request path ends with "/" */


/*
 * The one map from routes to answers, for the module's handler and for
 * "glossaryc get".  The route comes from glossary_route_split() or from
 * glossary_route_parse().  GLOSSARY_ANSWER_GZIP only chooses which body a
 * term's look-up asks memory for early; GLOSSARY_ANSWER_SLASH matters to
 * the index in the html format only, whose pages link relative to it.
 *
 * A term route is the hot path, inline here: a slug the blob holds is
 * canonical (the reader has checked every stored one), so only a miss, or
 * a redirect for a trailing slash, needs glossary_route_check(), which may
 * turn the route into a redirect or none; a miss on an old word ("search",
 * "category/") is glossary_route_answer_old()'s.  The other routes are
 * answered by glossary_route_answer_page().
 */

glossary_answer_kind_t glossary_route_answer_page(const glossary_blob_t *blob,
    glossary_route_t *route, unsigned flags, glossary_answer_t *answer);
glossary_answer_kind_t glossary_route_answer_old(const glossary_blob_t *blob,
    glossary_route_t *route);


static inline glossary_answer_kind_t
glossary_route_answer(const glossary_blob_t *blob, glossary_route_t *route,
    unsigned flags, glossary_answer_t *answer)
{
    uint32_t  id, kind;

    if (route->kind == GLOSSARY_ROUTE_TERM) {
        kind = (flags & GLOSSARY_ANSWER_HTML) ? GLOSSARY_DOC_TERM_HTML
                                              : GLOSSARY_DOC_TERM_JSON;

    } else if (route->kind == GLOSSARY_ROUTE_RELATED) {
        kind = GLOSSARY_DOC_RELATED_JSON;

    } else if (route->kind == GLOSSARY_ROUTE_PAYLOAD) {
        kind = GLOSSARY_DOC_PAYLOAD;

    } else {
        return glossary_route_answer_page(blob, route, flags, answer);
    }

    if (!route->redirect) {
        /* asks memory for the document before it compares the slug */
        id = glossary_blob_lookup_doc(blob, route->slug, route->slug_len,
                                      kind, (flags & GLOSSARY_ANSWER_GZIP)
                                            != 0);
        if (id != GLOSSARY_NO_TERM) {
            answer->doc = glossary_blob_doc(blob, id, kind);

            if (answer->doc == NULL) {
                return GLOSSARY_ANSWER_NOT_FOUND;
            }

            answer->media = (kind == GLOSSARY_DOC_TERM_HTML)
                            ? GLOSSARY_MEDIA_HTML : GLOSSARY_MEDIA_JSON;

            return answer->doc->body.len ? GLOSSARY_ANSWER_DOCUMENT
                                         : GLOSSARY_ANSWER_EMPTY;
        }
    }

    if (route->old != GLOSSARY_ROUTE_NONE) {
        return glossary_route_answer_old(blob, route);
    }

    glossary_route_check(route);

    return route->redirect ? GLOSSARY_ANSWER_REDIRECT
                           : GLOSSARY_ANSWER_NOT_FOUND;
}


/* the longest path glossary_route_canonical() writes */
#define GLOSSARY_ROUTE_CANONICAL_LEN                                          \
    (sizeof(GLOSSARY_ROUTE_CATEGORY_NAME "/") - 1 + GLOSSARY_MAX_SLUG_LEN     \
     + sizeof("/" GLOSSARY_ROUTE_PAYLOAD_NAME) - 1)

/*
 * writes the canonical form of a (checked) route's path below the prefix
 * to buf, at most GLOSSARY_ROUTE_CANONICAL_LEN bytes, and returns its
 * length: lower-case slugs, no trailing slash but "_category/"'s
 */
size_t glossary_route_canonical(const glossary_route_t *route,
    unsigned char *buf);


#endif /* GLOSSARY_ROUTE_H */
