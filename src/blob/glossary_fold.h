/*
 * Search folding, shared by the compiler (keys of the search index) and
 * the module (the query): both sides must fold alike for a prefix search
 * to find anything.
 *
 *   - ASCII letters to lower case; digits kept;
 *   - Latin letters with diacritics (U+00C0 to U+024F) to their base
 *     letters ("é" -> "e", "ß" -> "ss", "Æ" -> "ae", "Ł" -> "l");
 *     combining marks (U+0300 to U+036F) dropped;
 *   - every other ASCII byte, Latin-1 punctuation (U+00A0 to U+00BF, and
 *     U+00D7, U+00F7), general punctuation (U+2000 to U+206F) and bytes
 *     that are not UTF-8 become a separator; runs of separators become
 *     one space, and none leads or trails;
 *   - any other character (Greek, CJK, emoji, ...) is kept as it is.
 *
 * The result is never longer than the input.
 */

#ifndef GLOSSARY_FOLD_H
#define GLOSSARY_FOLD_H

#include <stddef.h>
#include <stdint.h>


/* folds len bytes at src into dst (room for len bytes); returns the length */
size_t glossary_fold(unsigned char *dst, const unsigned char *src,
    size_t len);


/*
 * one UTF-8 sequence at p (len > 0 bytes available): its length, or 0 when
 * it is not valid UTF-8 (overlong, a surrogate, over U+10FFFF, cut short);
 * *cp is the code point, U+FFFD when invalid
 */
size_t glossary_utf8_decode(const unsigned char *p, size_t len,
    uint32_t *cp);


#endif /* GLOSSARY_FOLD_H */
