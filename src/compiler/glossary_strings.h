/*
 * glossaryc's STRINGS section: every string and body of the blob, each
 * distinct byte string stored once (those that may repeat: see
 * glossary_string_raw()).  The bytes go to the output file as they come,
 * through buffers that a writer thread writes out, so that STRINGS (nearly
 * all of a blob) never has to fit in memory; the short strings are also
 * kept in memory to compare new ones with, the longer ones are read back
 * from the file.  The writer thread also hashes every chunk of the
 * section (GLOSSARY_CHUNK_SHIFT) as it writes it: CHUNKS needs no second
 * reading of the documents.
 */

#ifndef GLOSSARY_STRINGS_H
#define GLOSSARY_STRINGS_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "glossary_blob.h"
#include "glossaryc.h"


#define GLOSSARY_WBUFS          4


typedef struct glossary_slot_s  glossary_slot_t;

typedef struct {
    int               fd;               /* the temporary output file */
    int               error;            /* errno of a failed read */
    unsigned char    *buf;              /* the buffer being filled */
    size_t            nbuf;
    uint64_t          flushed;          /* bytes handed to the writer */
    uint64_t          len;              /* all bytes: flushed + nbuf */

    /* the writer thread: buffers [head, tail) wait to be written */
    unsigned char    *bufs[GLOSSARY_WBUFS];
    size_t            wlen[GLOSSARY_WBUFS];
    uint64_t          woff[GLOSSARY_WBUFS];
    unsigned          head;
    unsigned          tail;
    uint64_t          written;          /* bytes in the file */
    int               werror;           /* errno of a failed write */
    uint64_t         *hashes;           /* per chunk written, by the thread */
    uint64_t          nhashes;
    uint64_t          hashes_alloc;
    int               quit;
    int               started;
    pthread_t         writer;
    pthread_mutex_t   lock;
    pthread_cond_t    cond;

    uint64_t          base;             /* file offset of the section */
    unsigned char    *small;            /* copies of the short strings */
    size_t            nsmall;
    size_t            small_alloc;
    glossary_slot_t  *slots;
    size_t            nslots;           /* a power of two */
    size_t            used;
} glossary_strings_t;


/* the section at file offset base of fd, and its writer thread */
int glossary_strings_start(glossary_strings_t *s, int fd, uint64_t base);

/* the reference of a string, stored unless an equal one is; len 0: absent */
glossary_ref_t glossary_string(glossary_strings_t *s, const void *p,
    size_t len);

/* the same when h is XXH3_64bits(p, len) already */
glossary_ref_t glossary_string_hashed(glossary_strings_t *s, const void *p,
    size_t len, uint64_t h);

/*
 * the reference of a string stored as it is, without looking for an equal
 * one (nor remembering it): for bytes known to be unique, so that the
 * dedup table holds only what may repeat; calls one after the other store
 * their bytes one after the other
 */
glossary_ref_t glossary_string_raw(glossary_strings_t *s, const void *p,
    size_t len);

/*
 * len bytes of the section left for another writer, who writes them into
 * the file itself (at file offset base + the result, the offset in the
 * section returned) before the section is complete; the strings stored
 * after them follow them.  The room starts on a chunk and is rounded up to
 * whole chunks: the other writer gives their hashes
 * (glossary_strings_set_hashes(), after stop), zeros after its bytes.
 */
uint64_t glossary_strings_reserve(glossary_strings_t *s, uint64_t len);

/* after stop: the hashes of n chunks from chunk first, written by another */
void glossary_strings_set_hashes(glossary_strings_t *s, uint64_t first,
    const uint64_t *hashes, uint64_t n);

/* a text of the model: absent stays absent */
glossary_ref_t glossary_text(glossary_strings_t *s, const glossary_text_t *t);

/* everything to the file, and the writer gone; may be called again */
void glossary_strings_stop(glossary_strings_t *s);

/* after stop: the first write or read error, printed with the file's name */
int glossary_strings_error(const glossary_strings_t *s, const char *path);

/* the buffers and the dedup table, once stopped; may be called again */
void glossary_strings_free(glossary_strings_t *s);

/*
 * after stop: the XXH3-64 of every chunk of the section, as CHUNKS holds
 * them; the caller frees them.  NULL for an empty section.
 */
uint64_t *glossary_strings_hashes(glossary_strings_t *s, uint64_t *n);


#endif /* GLOSSARY_STRINGS_H */
