/*
 * glossaryc's operator commands: "info --json", "diff OLD NEW", and the
 * progress line of "build" on a terminal.
 */

#ifndef GLOSSARY_OPS_H
#define GLOSSARY_OPS_H

#include <stddef.h>

#include "glossary_blob.h"


/* a blob file mapped read-only and validated, as the module checks it */
typedef struct {
    const char      *path;
    void            *map;
    size_t           size;
    glossary_blob_t  blob;
} glossary_file_blob_t;


/* defined in glossaryc.c: GLOSSARY_EXIT_* statuses, messages on stderr */
int glossary_open(glossary_file_blob_t *fb, const char *path);
int glossary_open_flags(glossary_file_blob_t *fb, const char *path,
    unsigned flags);
void glossary_unload(glossary_file_blob_t *fb);

/* "glossaryc: " the message, a hint at --help; GLOSSARY_EXIT_USAGE */
int glossary_usage_error(const char *fmt, const char *arg);


/* "info --json FILE": the data of "info" as one JSON object */
int glossary_info_json(const char *path);

/* "diff [-q] OLD NEW": exit 0 same, 1 different, 2 trouble (as diff(1)) */
int glossary_cmd_diff(int argc, char **argv);

/* "get [--etag] [--gzip] [--html] FILE SLUG [related]": glossaryc_get.c */
int glossary_cmd_get(int argc, char **argv);

/*
 * The progress line of "build": shown on stderr only when it is a
 * terminal, the build is not --quiet, and the input is large.  start()
 * sizes the inputs; the reader reports every file it has read; done()
 * erases the line before the summary.
 */
void glossary_progress_start(const char **inputs, int n, int quiet);
void glossary_progress_rendering(size_t terms);
void glossary_progress_done(void);


#endif /* GLOSSARY_OPS_H */
