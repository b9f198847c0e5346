/*
 * libFuzzer target for the URI router: any byte string in, and the route
 * out must be consistent: a slug lies inside the input, is 1 to 128 bytes
 * of [a-zA-Z0-9-] with hyphens only between letters and digits, and a
 * route without a redirect has a canonical (lower-case) slug; a term slug
 * is never one of the reserved names "category" and "search"; routes
 * without a slug carry none, and the index and the sitemap never redirect.
 * It drives glossary_route_split() and glossary_route_check() as the
 * module does (glossary_route_parse() is the two in a row).
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glossary_blob.h"
#include "glossary_route.h"


static int fuzz_route_is(const unsigned char *p, size_t len,
    const char *name, int nocase);


static void
fuzz_route_fail(const char *what)
{
    fprintf(stderr, "fuzz_route: %s\n", what);
    abort();
}


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t             i;
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

        if (route.kind != GLOSSARY_ROUTE_CATEGORY
            && (fuzz_route_is(route.slug, route.slug_len,
                              GLOSSARY_ROUTE_CATEGORY_NAME, 1)
                || fuzz_route_is(route.slug, route.slug_len,
                                 GLOSSARY_ROUTE_SEARCH_NAME, 1)))
        {
            fuzz_route_fail("a reserved name routed as a term");
        }

        break;

    default:
        fuzz_route_fail("unknown route kind");
    }

    free(copy);

    return 0;
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
