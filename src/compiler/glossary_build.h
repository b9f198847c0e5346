/*
 * glossaryc back end: checks the model as a whole (duplicate slugs, related
 * references), renders every document, lays out the blob exactly as
 * glossary_blob.h defines it and publishes it atomically.
 */

#ifndef GLOSSARY_BUILD_H
#define GLOSSARY_BUILD_H

#include <stdint.h>

#include "glossary_model.h"
#include "glossary_site.h"


typedef struct {
    const char            *out;         /* the blob to (re)place */
    uint64_t               build_time;  /* seconds since the epoch */
    int                    quiet;       /* no summary on stderr */
    uint64_t               max_size;    /* largest blob; 0: the format's */
    uint64_t               doc_kinds;   /* per-term kinds; 0: every one */
    int                    no_gzip;     /* no gzip variant at all */
    int                    autolink;    /* link terms in the term pages */
    int                    accents;     /* the automaton folds accents */
    int                    no_fts;      /* no search index (FTS section) */
    glossary_site_conf_t   site;        /* the pages' options */
} glossary_build_conf_t;


/*
 * Sorts the model's entries by slug, builds the blob, verifies it with
 * glossary_blob_open() and renames it over conf->out.  On any error the
 * previous conf->out is left untouched and no temporary file remains.
 * The model is freed as soon as every document is rendered, so that it
 * does not stay in memory beside the mapping of the new blob, and on an
 * error (glossary_model_free() may be called again).  Returns a
 * GLOSSARY_EXIT_* status.
 */
int glossary_build(glossary_model_t *m, const glossary_build_conf_t *conf);


#endif /* GLOSSARY_BUILD_H */
