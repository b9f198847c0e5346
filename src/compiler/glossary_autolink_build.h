/*
 * The autolink builder: from (term id, pattern string) pairs to the
 * automaton image that src/blob/glossary_autolink.h reads.  Folding is
 * decided here, once, with the Unicode data of libutf8proc, and written
 * into the image as tables, so that the matcher needs no library:
 *
 *   - every string is put in NFC, then folded character by character:
 *     full case folding with compatibility mappings (NFKC_Casefold of the
 *     character: "Öffentlicher" and "ÖFFENTLICHER" match "öffentlicher",
 *     "Straße" "STRASSE", fullwidth letters their ASCII forms);
 *   - with GLOSSARY_AUTOLINK_BUILD_ACCENTS also the combining diacritics
 *     are dropped ("café" matches "cafe") and ø đ ħ ı ł ŧ become o d h i l t;
 *   - white space and hyphens (U+002D, U+2010, U+2011) become one space,
 *     none leading or trailing: "co-design" and "co design" are one
 *     pattern, and a slug written as words is its hyphens as spaces;
 *   - format characters (soft hyphen, zero-width joiners) are dropped.
 *
 * Names and aliases also get their English plural: -es after s, x, z, ch,
 * sh; -ies for a consonant and y; -s and -es after o; -s otherwise (only
 * when the name ends in two ASCII letters).  When two terms share a
 * pattern, a name beats an alias, an alias a slug, a slug a plural; then
 * the lower term id wins.
 */

#ifndef GLOSSARY_AUTOLINK_BUILD_H
#define GLOSSARY_AUTOLINK_BUILD_H

#include <stddef.h>
#include <stdint.h>


#define GLOSSARY_AUTOLINK_BUILD_ACCENTS  0x01

/* what a pattern string is, in order of precedence */
typedef enum {
    GLOSSARY_AUTOLINK_NAME = 0,      /* a term's name: and its plural */
    GLOSSARY_AUTOLINK_ALIAS,         /* an alias: and its plural */
    GLOSSARY_AUTOLINK_SLUG           /* a slug, as words */
} glossary_autolink_kind_t;

typedef struct glossary_autolink_builder_s  glossary_autolink_builder_t;

typedef struct {
    uint64_t    added;           /* strings given */
    uint64_t    plurals;         /* plural forms made */
    uint64_t    dropped;         /* empty once folded, too long, bad UTF-8 */
    uint64_t    duplicates;      /* a pattern the same term already had */
    uint64_t    conflicts;       /* a pattern another term won */
    uint64_t    patterns;        /* in the automaton */
    uint64_t    pattern_bytes;   /* their folded bytes */
    uint32_t    max_pattern;
    uint32_t    labels;
    uint32_t    states;
    uint32_t    slots;
    uint32_t    blocks;
    uint32_t    folds;
    uint64_t    size;            /* of the image */
} glossary_autolink_stats_t;


/* NULL when out of memory */
glossary_autolink_builder_t *glossary_autolink_builder_create(
    uint32_t term_count, unsigned flags);

/* 0; -1 when out of memory or term >= term_count (see _error()) */
int glossary_autolink_builder_add(glossary_autolink_builder_t *b,
    uint32_t term, const unsigned char *text, size_t len,
    glossary_autolink_kind_t kind);

/*
 * The image, malloc()ed (free() it), and what went into it; 0, or -1 when
 * out of memory or the automaton outgrows the format
 */
int glossary_autolink_builder_finish(glossary_autolink_builder_t *b,
    unsigned char **image, size_t *size, glossary_autolink_stats_t *stats);

const char *glossary_autolink_builder_error(
    const glossary_autolink_builder_t *b);

void glossary_autolink_builder_free(glossary_autolink_builder_t *b);

/*
 * text folded as the builder folds patterns, into dst (room for
 * GLOSSARY_AUTOLINK_MAX_PATTERN bytes); the length, 0 when it folds to
 * nothing, -1 when it is invalid UTF-8 or longer
 */
int glossary_autolink_builder_fold(glossary_autolink_builder_t *b,
    const unsigned char *text, size_t len, unsigned char *dst);


#endif /* GLOSSARY_AUTOLINK_BUILD_H */
