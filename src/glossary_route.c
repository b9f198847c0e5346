/*
 * URI routing: see glossary_route.h.  The path is the decoded, normalised
 * URI after the location prefix; nginx has already resolved "." and "..",
 * merged slashes and decoded percent-escapes.
 */

#include <string.h>

#include "glossary_blob.h"
#include "glossary_route.h"


#define GLOSSARY_ROUTE_RELATED_NAME  "related"


void
glossary_route_parse(const unsigned char *p, size_t len,
    glossary_route_t *route)
{
    size_t                i, n;
    unsigned              upper, trailing;
    const unsigned char  *end, *slug;

    memset(route, 0, sizeof(glossary_route_t));

    end = p + len;

    if (p < end && *p == '/') {
        p++;    /* "location /glossary" without the trailing slash */
    }

    if (p == end) {
        route->kind = GLOSSARY_ROUTE_INDEX;
        return;
    }

    slug = p;
    upper = 0;

    while (p < end && *p != '/') {
        if (*p >= 'A' && *p <= 'Z') {
            upper = 1;

        } else if (!((*p >= 'a' && *p <= 'z')
                     || (*p >= '0' && *p <= '9')
                     || *p == '-'))
        {
            return;
        }

        p++;
    }

    n = p - slug;

    if (n == 0 || n > GLOSSARY_MAX_SLUG_LEN) {
        return;
    }

    /* hyphens only between letters and digits */
    if (slug[0] == '-' || slug[n - 1] == '-') {
        return;
    }

    for (i = 1; i < n; i++) {
        if (slug[i] == '-' && slug[i - 1] == '-') {
            return;
        }
    }

    route->kind = GLOSSARY_ROUTE_TERM;
    trailing = 0;

    if (p < end) {
        p++;    /* '/' */

        if (p == end) {
            trailing = 1;

        } else if ((size_t) (end - p) >= sizeof(GLOSSARY_ROUTE_RELATED_NAME) - 1
                   && memcmp(p, GLOSSARY_ROUTE_RELATED_NAME,
                             sizeof(GLOSSARY_ROUTE_RELATED_NAME) - 1) == 0)
        {
            p += sizeof(GLOSSARY_ROUTE_RELATED_NAME) - 1;
            route->kind = GLOSSARY_ROUTE_RELATED;

            if (p < end) {
                if (*p != '/' || p + 1 != end) {
                    route->kind = GLOSSARY_ROUTE_NONE;
                    return;
                }

                trailing = 1;
            }

        } else {
            route->kind = GLOSSARY_ROUTE_NONE;
            return;
        }
    }

    route->slug = slug;
    route->slug_len = n;
    route->redirect = upper || trailing;
}
