/*
 * glossaryc's documents: every document of the blob rendered (the JSON
 * ones by glossary_json.c, the others by glossary_site.c), compressed by
 * the pool's workers (glossary_pool.h) and stored into STRINGS in a fixed
 * order, so the blob does not depend on the scheduling: the terms', then
 * the global ones, then the categories'.  A blob that would pass the size
 * limit is refused as soon as STRINGS alone passes it.
 */

#ifndef GLOSSARY_RENDER_H
#define GLOSSARY_RENDER_H

#include <stdint.h>

#include "glossary_blob.h"
#include "glossary_pool.h"
#include "glossary_site.h"
#include "glossary_strings.h"


typedef struct {
    glossary_site_t      *site;
    glossary_strings_t   *strings;
    glossary_doc_t       *docs;         /* DOCS' records, to fill */
    glossary_doc_t       *globals;      /* GLOBALS' */
    glossary_category_t  *cats;         /* CATEGORIES' */
    uint64_t              max_size;     /* the largest blob to write */
    glossary_pool_t       pool;
    glossary_batch_t     *batches;      /* the ring, then the globals' */
    unsigned              started:1;
} glossary_render_t;


/* the workers; glossary_render_stop() is needed even when it fails */
int glossary_render_start(glossary_render_t *r);

/* every document into STRINGS and its record */
int glossary_render(glossary_render_t *r);

/* the workers gone, the batches' memory freed; may be called again */
void glossary_render_stop(glossary_render_t *r);

/* which limit a size is over, for messages: " (--max-size)" */
const char *glossary_limit_name(uint64_t max_size);


#endif /* GLOSSARY_RENDER_H */
