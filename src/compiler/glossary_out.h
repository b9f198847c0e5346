/*
 * glossaryc's output file.  The blob is written to a temporary file beside
 * the target, which is fsynced and renamed over the target only once the
 * blob verifies: a running nginx keeps its mapping of the old file, and a
 * reload maps the new one whole.  On an error, a caught signal (INT, TERM,
 * HUP, QUIT) or an exit the temporary file is removed and the target stays
 * as it was.
 */

#ifndef GLOSSARY_OUT_H
#define GLOSSARY_OUT_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>


typedef struct {
    char               *dir;
    char               *tmp;
    int                 fd;
    struct sigaction    saved[4];
} glossary_out_t;


/* creates the temporary file beside out: a GLOSSARY_EXIT_* status */
int glossary_out_open(glossary_out_t *o, const char *out);

/* size bytes at offset off of the temporary file; prints a failure */
int glossary_out_write(glossary_out_t *o, const void *p, size_t size,
    uint64_t off);

/* fsync, rename over out, fsync of the directory */
int glossary_out_commit(glossary_out_t *o, const char *out);

/* the temporary file goes; nothing when there is none */
void glossary_out_abort(glossary_out_t *o);

/* pwrite() until done or failed (-1, errno set) */
int glossary_pwrite_all(int fd, const unsigned char *p, size_t size,
    off_t off);


#endif /* GLOSSARY_OUT_H */
