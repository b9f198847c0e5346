/*
 * Search folding: see glossary_fold.h.
 */

#include <stdint.h>
#include <string.h>

#include "glossary_fold.h"


/*
 * U+00C0 to U+024F: the ASCII a Latin letter folds to, " " for a symbol
 * that separates words, NULL for a character kept as it is.  Generated
 * from the Unicode canonical decompositions (base letter of NFD), with the
 * letters that have none (æ, ø, ß, ł, þ, ...) spelled out by hand.
 */
static const char  *glossary_fold_latin[0x250 - 0xc0] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i",
    "i", "i", "d", "n", "o", "o", "o", "o", "o", " ", "o", "u", "u", "u",
    "u", "y", "th", "ss", "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e",
    "e", "e", "i", "i", "i", "i", "d", "n", "o", "o", "o", "o", "o", " ",
    "o", "u", "u", "u", "u", "y", "th", "y", "a", "a", "a", "a", "a", "a",
    "c", "c", "c", "c", "c", "c", "c", "c", "d", "d", "d", "d", "e", "e",
    "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g", "g", "g",
    "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i",
    "i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l",
    "l", "l", "l", "l", "l", "n", "n", "n", "n", "n", "n", "n", "n", "n",
    "o", "o", "o", "o", "o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r",
    "s", "s", "s", "s", "s", "s", "s", "s", "t", "t", "t", "t", "t", "t",
    "u", "u", "u", "u", "u", "u", "u", "u", "u", "u", "u", "u", "w", "w",
    "y", "y", "y", "z", "z", "z", "z", "z", "z", "s", "b", "b", NULL, NULL,
    NULL, NULL, NULL, "c", "c", NULL, "d", NULL, NULL, NULL, NULL, NULL,
    NULL, "f", "f", "g", NULL, NULL, NULL, "i", "k", "k", "l", NULL, NULL,
    "n", "n", NULL, "o", "o", NULL, NULL, "p", "p", NULL, NULL, NULL, NULL,
    NULL, "t", "t", "t", "t", "u", "u", NULL, "v", "y", "y", "z", "z", NULL,
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    "dz", "dz", "dz", "lj", "lj", "lj", "nj", "nj", "nj", "a", "a", "i", "i",
    "o", "o", "u", "u", "u", "u", "u", "u", "u", "u", "u", "u", NULL, "a",
    "a", "a", "a", "ae", "ae", "g", "g", "g", "g", "k", "k", "o", "o", "o",
    "o", NULL, NULL, "j", "dz", "dz", "dz", "g", "g", NULL, NULL, "n", "n",
    "a", "a", "ae", "ae", "o", "o", "a", "a", "a", "a", "e", "e", "e", "e",
    "i", "i", "i", "i", "o", "o", "o", "o", "r", "r", "r", "r", "u", "u",
    "u", "u", "s", "s", "t", "t", NULL, NULL, "h", "h", NULL, "d", NULL,
    NULL, "z", "z", "a", "a", "e", "e", "o", "o", "o", "o", "o", "o", "o",
    "o", "y", "y", "l", "n", "t", "j", "db", "qp", "a", "c", "c", "l", "t",
    "s", "z", NULL, NULL, "b", "u", NULL, "e", "e", "j", "j", NULL, NULL,
    "r", "r", "y", "y"
};


size_t
glossary_utf8_decode(const unsigned char *p, size_t len, uint32_t *cp)
{
    size_t    n, i;
    uint32_t  c, min;

    *cp = 0xfffd;

    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }

    if ((p[0] & 0xe0) == 0xc0) {
        n = 2; c = p[0] & 0x1f; min = 0x80;

    } else if ((p[0] & 0xf0) == 0xe0) {
        n = 3; c = p[0] & 0x0f; min = 0x800;

    } else if ((p[0] & 0xf8) == 0xf0) {
        n = 4; c = p[0] & 0x07; min = 0x10000;

    } else {
        return 0;
    }

    if (len < n) {
        return 0;
    }

    for (i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80) {
            return 0;
        }

        c = (c << 6) | (p[i] & 0x3f);
    }

    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
        return 0;   /* overlong, out of range, or a surrogate */
    }

    *cp = c;

    return n;
}


size_t
glossary_fold(unsigned char *dst, const unsigned char *src, size_t len)
{
    size_t                n, k;
    uint32_t              c;
    unsigned char        *d;
    const char           *s;
    const unsigned char  *p, *end;
    int                   sep;

    d = dst;
    p = src;
    end = src + len;
    sep = 0;            /* a separator is pending */

    while (p < end) {
        n = glossary_utf8_decode(p, end - p, &c);

        if (n == 0) {
            sep = 1;
            p++;
            continue;
        }

        s = NULL;

        if (c < 0x80) {
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                s = NULL;

            } else if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';

            } else {
                sep = 1;
                p++;
                continue;
            }

            if (sep && d != dst) {
                *d++ = ' ';
            }

            sep = 0;
            *d++ = (unsigned char) c;
            p++;
            continue;
        }

        if (c >= 0x300 && c <= 0x36f) {
            p += n;         /* a combining mark: dropped */
            continue;
        }

        if ((c >= 0xa0 && c <= 0xbf) || (c >= 0x2000 && c <= 0x206f)) {
            sep = 1;
            p += n;
            continue;
        }

        if (c >= 0xc0 && c < 0x250) {
            s = glossary_fold_latin[c - 0xc0];
        }

        if (s != NULL && s[0] == ' ') {
            sep = 1;
            p += n;
            continue;
        }

        if (sep && d != dst) {
            *d++ = ' ';
        }

        sep = 0;

        if (s != NULL) {
            /* a folded Latin letter is never longer than its UTF-8 form */
            k = strlen(s);
            memcpy(d, s, k);
            d += k;

        } else {
            memcpy(d, p, n);
            d += n;
        }

        p += n;
    }

    return d - dst;
}
