/*
 * glossaryc input: readers for the three input forms (Nuxt payload, plain
 * JSON, JSON Lines) into one in-memory model, and the small helpers the
 * compiler shares (arena, messages, exit codes).
 */

#ifndef GLOSSARY_INPUT_H
#define GLOSSARY_INPUT_H

#include <stddef.h>
#include <stdint.h>


/* exit statuses of glossaryc */
#define GLOSSARY_EXIT_OK        0
#define GLOSSARY_EXIT_DATA      1       /* invalid input or blob */
#define GLOSSARY_EXIT_USAGE     2       /* bad command line */
#define GLOSSARY_EXIT_IO        3       /* I/O or system error */

/* limits of the readers; the blob's own limits are in glossary_blob.h */
#define GLOSSARY_MAX_INPUT_SIZE ((size_t) 256 << 20)    /* per file */
#define GLOSSARY_MAX_DEPTH      64      /* JSON nesting */
#define GLOSSARY_MAX_REF_DEPTH  128     /* payload reference chains */
#define GLOSSARY_MAX_DIR_DEPTH  32      /* directory recursion */


typedef struct glossary_arena_block_s  glossary_arena_block_t;

/* everything of a model lives in one arena and is freed at once */
typedef struct {
    glossary_arena_block_t  *blocks;
} glossary_arena_t;


typedef struct {
    const char  *file;
    uint32_t     line;          /* 1-based */
    uint32_t     column;        /* 1-based, in bytes */
} glossary_loc_t;


/* a byte string that may hold NULs; data == NULL means absent */
typedef struct {
    const char  *data;
    size_t       len;
} glossary_text_t;


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
    uint32_t          nrelated;
    uint32_t          nfaq;
    uint32_t          seq;      /* order of appearance in the input */
    glossary_loc_t    loc;      /* of the slug value */
} glossary_entry_t;


typedef struct {
    glossary_entry_t  *entries;
    size_t             nentries;
    size_t             nalloc;
    glossary_arena_t   arena;
} glossary_model_t;


/*
 * Hooks for glossaryc's progress line (src/compiler/glossary_ops.c), NULL unless it
 * is shown: file_read after every file read, message before every message.
 */
typedef struct {
    void  (*file_read)(const char *path, size_t size, size_t terms);
    void  (*message)(void);
} glossary_input_hooks_t;

extern glossary_input_hooks_t  glossary_input_hooks;


void glossary_model_init(glossary_model_t *m);
void glossary_model_free(glossary_model_t *m);

/*
 * Reads one INPUT (a file, or a directory recursed in name order) into the
 * model.  Prints "FILE:LINE:COLUMN: message" for data errors; returns a
 * GLOSSARY_EXIT_* status.
 */
int glossary_input_read(glossary_model_t *m, const char *path);

/*
 * Reads bytes already in memory as the file NAME would be read (the name
 * picks the form: *.jsonl and *.ndjson are JSON Lines) and names NAME in
 * messages.  The bytes are copied.  For tests and fuzzing.
 */
int glossary_input_read_memory(glossary_model_t *m, const char *name,
    const void *data, size_t size);

/* 1 when the slug has the canonical form [a-z0-9]+(-[a-z0-9]+)* */
/* bytewise order of two texts, the shorter first on a common prefix */
int glossary_text_cmp(const glossary_text_t *a, const glossary_text_t *b);
int glossary_slug_valid(const char *p, size_t len);


void *glossary_arena_alloc(glossary_arena_t *a, size_t size);
char *glossary_arena_strdup(glossary_arena_t *a, const char *p, size_t len);
void glossary_arena_free(glossary_arena_t *a);

/* allocation failure is fatal: the message, then exit(GLOSSARY_EXIT_IO) */
void *glossary_xmalloc(size_t size);
void *glossary_xrealloc(void *p, size_t size);

void glossary_error_at(const glossary_loc_t *loc, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void glossary_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));


#endif /* GLOSSARY_INPUT_H */
