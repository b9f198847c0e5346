/*
 * glossaryc's model of a glossary: the terms as the readers give them
 * (glossary_input.h) to the builder (glossary_build.h), every byte of them
 * in one arena.
 */

#ifndef GLOSSARY_MODEL_H
#define GLOSSARY_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "glossaryc.h"


typedef struct glossary_arena_block_s  glossary_arena_block_t;

/* everything of a model lives in one arena and is freed at once */
typedef struct {
    glossary_arena_block_t  *blocks;
} glossary_arena_t;


typedef struct {
    glossary_text_t   slug;
    glossary_text_t   name;
    glossary_loc_t    loc;      /* of the slug value */
} glossary_link_t;


typedef struct {
    glossary_text_t   question;
    glossary_text_t   answer;
} glossary_faq_t;


typedef struct {
    glossary_text_t   slug;
    glossary_text_t   term;
    glossary_text_t   short_definition;
    glossary_text_t   seo_title;
    glossary_text_t   seo_description;
    glossary_text_t   explanation;
    glossary_text_t   category;
    glossary_text_t   payload_key;  /* a payload's key of the term's data */
    glossary_link_t  *related;
    glossary_faq_t   *faq;
    glossary_text_t  *aliases;  /* other names, for autolinking only */
    uint32_t          nrelated;
    uint32_t          nfaq;
    uint32_t          naliases;
    uint32_t          seq;      /* order of appearance in the input */
    glossary_loc_t    loc;      /* of the slug value */
} glossary_entry_t;


/* aliases of one term, at most */
#define GLOSSARY_MAX_ALIASES  64


typedef struct {
    glossary_entry_t  *entries;
    size_t             nentries;
    size_t             nalloc;
    size_t             nrelated;    /* of all entries: RELATED's records */
    glossary_arena_t   arena;
} glossary_model_t;


void glossary_model_init(glossary_model_t *m);

/* may be called again */
void glossary_model_free(glossary_model_t *m);

/* 1 when the slug has the canonical form [a-z0-9]+(-[a-z0-9]+)* */
int glossary_slug_valid(const char *p, size_t len);

/*
 * 1 when valid UTF-8 text shows nothing: every code point is White_Space,
 * a control (Cc) or Default_Ignorable_Code_Point (Unicode 15), such as
 * " \t\n", U+00A0, U+3000, U+200B or U+FEFF; the empty text too
 */
int glossary_text_blank(const char *p, size_t len);


void *glossary_arena_alloc(glossary_arena_t *a, size_t size);
char *glossary_arena_strdup(glossary_arena_t *a, const char *p, size_t len);
void glossary_arena_free(glossary_arena_t *a);


#endif /* GLOSSARY_MODEL_H */
