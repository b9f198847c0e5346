/*
 * glossaryc input: readers for the three input forms (Nuxt payload, plain
 * JSON, JSON Lines) into the model (glossary_model.h).
 */

#ifndef GLOSSARY_INPUT_H
#define GLOSSARY_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "glossary_model.h"


/*
 * limits of the readers; the blob's own limits are in glossary_blob.h.
 * Files are read as streams: no limit of size or nesting (a Nuxt payload
 * is kept whole, within glossary_input_memory()).
 */
#define GLOSSARY_MAX_REF_DEPTH  128     /* payload reference chains */
#define GLOSSARY_MAX_DIR_DEPTH  32      /* directory recursion */


/*
 * The bytes of each read, 0 for the default (64 KiB): the same input gives
 * the same model and the same messages whatever it is (glossaryc build
 * takes it from GLOSSARYC_READ_CHUNK, for the tests)
 */
extern size_t  glossary_input_chunk;

/*
 * The memory a payload's tree may take: half of the machine's, or of
 * glossary_input_memory_size when not 0 (GLOSSARYC_MEMORY, for the tests)
 */
extern uint64_t  glossary_input_memory_size;

uint64_t glossary_input_memory(void);


/*
 * The hook of glossaryc build's progress line (glossaryc_build.c), NULL
 * unless it is shown: called after every chunk read (size bytes more) and
 * once more when a file is done (size 0, done 1).
 */
typedef struct {
    void  (*file_read)(const char *path, size_t size, size_t terms,
                       int done);
} glossary_input_hooks_t;

extern glossary_input_hooks_t  glossary_input_hooks;


/*
 * Reads one INPUT (a file, or a directory recursed in name order) into the
 * model.  Prints "FILE:LINE:COLUMN: message" for data errors; returns a
 * GLOSSARY_EXIT_* status.
 */
int glossary_input_read(glossary_model_t *m, const char *path);

/*
 * Reads bytes already in memory as the file NAME would be read (the name
 * picks the form: *.jsonl and *.ndjson are JSON Lines), in the same
 * chunks, and names NAME in messages.  For tests and fuzzing.
 */
int glossary_input_read_memory(glossary_model_t *m, const char *name,
    const void *data, size_t size);


#endif /* GLOSSARY_INPUT_H */
