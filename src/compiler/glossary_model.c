/*
 * glossaryc's model: its arena, and the rule for slugs (glossary_model.h).
 */

#include <stdlib.h>
#include <string.h>

#include "glossary_blob.h"
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
