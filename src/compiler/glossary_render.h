/*
 * glossaryc's documents: every document of the blob rendered (the JSON
 * ones by glossary_json.c, the others by glossary_site.c), compressed by
 * the pool's workers (glossary_pool.h) and stored into STRINGS in a fixed
 * order, so the blob does not depend on the scheduling.
 *
 * The terms' documents are laid out by kind, so that one route reads one
 * part of the blob: all the term JSON bodies, then their ETags, then the
 * gzip variants of the term JSON, then their ETags; then the same for the
 * related terms' JSON, the pages, the payloads, the search fragments.  A
 * pass over the terms renders one kind; the workers compress its bodies
 * at the same time, and the gzip variants wait in a temporary file until
 * the bodies' part is written (memory stays bounded; each variant is
 * written and read once more).  The
 * global documents and the categories' follow, each body with its ETag
 * and gzip variant.  A blob that would pass the size limit is refused as
 * soon as STRINGS alone passes it.
 */

#ifndef GLOSSARY_RENDER_H
#define GLOSSARY_RENDER_H

#include <stdint.h>
#include <stdio.h>

#include "glossary_blob.h"
#include "glossary_pool.h"
#include "glossary_site.h"
#include "glossary_strings.h"


typedef struct {
    glossary_site_t      *site;
    glossary_strings_t   *strings;
    glossary_doc_t       *docs;         /* DOCS' records, kind by kind */
    glossary_doc_t       *globals;      /* GLOBALS' */
    glossary_category_t  *cats;         /* CATEGORIES' */
    uint64_t              doc_kinds;    /* the per-term kinds to render */
    unsigned              gzip:1;       /* with gzip variants */
    uint32_t              ncats;        /* the categories with documents */
    uint64_t              max_size;     /* the largest blob to write */
    glossary_pool_t       pool;
    glossary_batch_t     *batches;      /* the ring, then the globals' */

    /* the pass over the terms */
    uint32_t              kind;
    glossary_doc_t       *pass_docs;    /* the kind's records, by term */
    unsigned              compress:1;   /* the gzip variants' part */
    uint64_t             *etags;        /* per term: the body's hash */
    uint64_t             *gz_etags;     /* per term: the gzip variant's */
    uint32_t             *gz_lens;      /* per term: its length, 0: none */
    FILE                 *spill;        /* the kind's gzip variants */
    unsigned char        *spill_buf;
    size_t                spill_size;
    uint64_t              pass_start;   /* STRINGS' length at its start */

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

/* does a per-term kind have gzip variants (the search fragments have none) */
#define glossary_kind_gzip(kind)                                              \
    ((kind) != GLOSSARY_DOC_SEARCH_JSON && (kind) != GLOSSARY_DOC_SEARCH_HTML)


#endif /* GLOSSARY_RENDER_H */
