/*
 * glossaryc's model: its arena, and the rule for slugs (glossary_model.h).
 */

#include <stdlib.h>
#include <string.h>

#include "glossary_blob.h"
#include "glossary_fold.h"
#include "glossary_model.h"


#define GLOSSARY_ARENA_BLOCK    (64 * 1024)


struct glossary_arena_block_s {
    glossary_arena_block_t  *next;
    size_t                   size;
    size_t                   used;
    unsigned char            data[];
};


void
glossary_model_init(glossary_model_t *m)
{
    memset(m, 0, sizeof(glossary_model_t));
}


void
glossary_model_free(glossary_model_t *m)
{
    free(m->entries);
    glossary_arena_free(&m->arena);
    memset(m, 0, sizeof(glossary_model_t));
}


int
glossary_slug_valid(const char *p, size_t len)
{
    return glossary_blob_slug_ok((const unsigned char *) p, len);
}


/* White_Space, Cc and Default_Ignorable_Code_Point, merged and sorted */
static const uint32_t  glossary_blank_ranges[][2] = {
    { 0x0000, 0x0020 }, { 0x007f, 0x00a0 }, { 0x00ad, 0x00ad },
    { 0x034f, 0x034f }, { 0x061c, 0x061c }, { 0x115f, 0x1160 },
    { 0x1680, 0x1680 }, { 0x17b4, 0x17b5 }, { 0x180b, 0x180f },
    { 0x2000, 0x200f }, { 0x2028, 0x202f }, { 0x205f, 0x206f },
    { 0x3000, 0x3000 }, { 0x3164, 0x3164 }, { 0xfe00, 0xfe0f },
    { 0xfeff, 0xfeff }, { 0xffa0, 0xffa0 }, { 0xfff0, 0xfff8 },
    { 0x1bca0, 0x1bca3 }, { 0x1d173, 0x1d17a }, { 0xe0000, 0xe0fff }
};


int
glossary_text_blank(const char *p, size_t len)
{
    size_t    i, k, n;
    uint32_t  c;

    for (i = 0; i < len; i += n) {
        n = glossary_utf8_decode((const unsigned char *) p + i, len - i, &c);

        if (n == 0) {
            return 0;       /* not text: the reader says so elsewhere */
        }

        for (k = 0; k < sizeof(glossary_blank_ranges)
                        / sizeof(glossary_blank_ranges[0]); k++)
        {
            if (c <= glossary_blank_ranges[k][1]) {
                break;
            }
        }

        if (k == sizeof(glossary_blank_ranges)
                 / sizeof(glossary_blank_ranges[0])
            || c < glossary_blank_ranges[k][0])
        {
            return 0;
        }
    }

    return 1;
}


void *
glossary_arena_alloc(glossary_arena_t *a, size_t size)
{
    size_t                   n;
    unsigned char           *p;
    glossary_arena_block_t  *b;

    size = (size + 7) & ~(size_t) 7;
    b = a->blocks;

    if (b == NULL || b->size - b->used < size) {
        n = size > GLOSSARY_ARENA_BLOCK ? size : GLOSSARY_ARENA_BLOCK;

        b = glossary_xmalloc(sizeof(glossary_arena_block_t) + n);
        b->size = n;
        b->used = 0;

        /* a big block goes behind the current one, whose rest stays usable */
        if (a->blocks != NULL && n > GLOSSARY_ARENA_BLOCK) {
            b->next = a->blocks->next;
            a->blocks->next = b;

        } else {
            b->next = a->blocks;
            a->blocks = b;
        }
    }

    p = b->data + b->used;
    b->used += size;

    return p;
}


char *
glossary_arena_strdup(glossary_arena_t *a, const char *p, size_t len)
{
    char  *s;

    s = glossary_arena_alloc(a, len + 1);
    if (len) {
        memcpy(s, p, len);
    }
    s[len] = '\0';

    return s;
}


void
glossary_arena_free(glossary_arena_t *a)
{
    glossary_arena_block_t  *b, *next;

    for (b = a->blocks; b != NULL; b = next) {
        next = b->next;
        free(b);
    }

    a->blocks = NULL;
}
