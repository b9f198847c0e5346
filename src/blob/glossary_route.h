/*
 * URI routing for the glossary module, free of nginx so that the compiler's
 * tests and the fuzzer can drive it: the part of a request path after the
 * location prefix in, a route out.
 */

#ifndef GLOSSARY_ROUTE_H
#define GLOSSARY_ROUTE_H

#include <stddef.h>


typedef enum {
    GLOSSARY_ROUTE_NONE = 0,       /* not a route: 404 */
    GLOSSARY_ROUTE_INDEX,          /* "" */
    GLOSSARY_ROUTE_TERM,           /* "{slug}" */
    GLOSSARY_ROUTE_RELATED,        /* "{slug}/related" */
    GLOSSARY_ROUTE_PAYLOAD,        /* "{slug}/_payload.json" */
    GLOSSARY_ROUTE_CATEGORIES,     /* "category/" */
    GLOSSARY_ROUTE_CATEGORY,       /* "category/{slug}" */
    GLOSSARY_ROUTE_SEARCH,         /* "search" */
    GLOSSARY_ROUTE_SITEMAP         /* "sitemap.xml" */
} glossary_route_kind_t;


/*
 * slug is the term's slug, or the category's for GLOSSARY_ROUTE_CATEGORY;
 * NULL for the other routes.  The compiler refuses the slugs "category"
 * and "search", so these names never hide a term.
 */
typedef struct {
    glossary_route_kind_t   kind;
    const unsigned char    *slug;          /* inside the parsed path */
    size_t                  slug_len;
    /* not canonical: redirect to the lower-case form, no trailing slash */
    unsigned                redirect:1;
    /* the slug's bytes are not checked yet: see glossary_route_split() */
    unsigned                unchecked:1;
} glossary_route_t;


#define GLOSSARY_ROUTE_CATEGORY_NAME  "category"
#define GLOSSARY_ROUTE_SEARCH_NAME    "search"
#define GLOSSARY_ROUTE_RELATED_NAME   "related"
#define GLOSSARY_ROUTE_PAYLOAD_NAME   "_payload.json"
#define GLOSSARY_ROUTE_SITEMAP_NAME   "sitemap.xml"


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


#endif /* GLOSSARY_ROUTE_H */
