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
} glossary_route_t;


#define GLOSSARY_ROUTE_CATEGORY_NAME  "category"
#define GLOSSARY_ROUTE_SEARCH_NAME    "search"
#define GLOSSARY_ROUTE_RELATED_NAME   "related"
#define GLOSSARY_ROUTE_PAYLOAD_NAME   "_payload.json"
#define GLOSSARY_ROUTE_SITEMAP_NAME   "sitemap.xml"


void glossary_route_parse(const unsigned char *path, size_t len,
    glossary_route_t *route);


#endif /* GLOSSARY_ROUTE_H */
