/*
 * glossaryc's FTS section (glossary_blob.h): the full-text search index
 * built by the FTS writer (glossary_fts_build.h) on a thread of its own
 * while the documents are rendered.  The same thread writes the
 * documents' texts into a part of STRINGS left for them, after the eager
 * strings and before the documents' bodies.
 */

#ifndef GLOSSARY_FTS_BLOB_H
#define GLOSSARY_FTS_BLOB_H

#include <pthread.h>
#include <stdint.h>

#include "glossary_blob.h"
#include "glossary_fts_build.h"
#include "glossary_model.h"
#include "glossary_strings.h"


typedef struct {
    glossary_fts_input_t   *docs;       /* one per term, by id */
    glossary_fts_str_t     *strs;       /* their aliases and FAQ strings */
    uint32_t                n;
    glossary_fts_image_t    img;        /* TEXT empty: the texts in STRINGS */
    glossary_ref_t          text;       /* in the file */
    uint64_t               *hashes;     /* of its chunks, as CHUNKS has */
    uint64_t                nhashes;
    int                     fd;
    int                     werror;     /* errno of writing the texts */
    int                     rc;         /* of the writer */
    double                  cpu;        /* the writer's CPU seconds */
    pthread_t               thread;
    unsigned                started:1;
} glossary_fts_blob_t;


/*
 * Leaves room in STRINGS for the documents' texts and starts the thread
 * that writes them there (s's file) and builds the index, over the
 * entries (sorted by slug: a term's id is its index), cat_of giving each
 * one's category number (its index among the categories sorted by slug)
 * or GLOSSARY_NO_TERM.  The entries must stay as they are until
 * glossary_fts_blob_wait().  A GLOSSARY_EXIT_* status.
 */
int glossary_fts_blob_start(glossary_fts_blob_t *f,
    const glossary_entry_t *entries, uint32_t n, const uint32_t *cat_of,
    glossary_strings_t *s);

/* the thread done: GLOSSARY_EXIT_OK, or its failure printed (path: file) */
int glossary_fts_blob_wait(glossary_fts_blob_t *f, const char *path);

/* bytes of the section: its header and the image */
uint64_t glossary_fts_blob_size(const glossary_fts_blob_t *f);

/* the section's header, to write before the image (f->img.data) */
void glossary_fts_blob_header(const glossary_fts_blob_t *f,
    glossary_fts_section_t *h);

/* after glossary_strings_stop(): the texts' chunks' hashes into s's */
void glossary_fts_blob_hashes(glossary_fts_blob_t *f, glossary_strings_t *s);

/* the thread joined, the memory freed; may be called again */
void glossary_fts_blob_free(glossary_fts_blob_t *f);


#endif /* GLOSSARY_FTS_BLOB_H */
