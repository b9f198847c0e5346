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
    GLOSSARY_ROUTE_RELATED         /* "{slug}/related" */
} glossary_route_kind_t;


typedef struct {
    glossary_route_kind_t   kind;
    const unsigned char    *slug;          /* inside the parsed path */
    size_t                  slug_len;
    /* not canonical: redirect to the lower-case slug, no trailing slash */
    unsigned                redirect:1;
} glossary_route_t;


void glossary_route_parse(const unsigned char *path, size_t len,
    glossary_route_t *route);


#endif /* GLOSSARY_ROUTE_H */
