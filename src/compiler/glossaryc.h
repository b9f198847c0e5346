/*
 * glossaryc: what every part of the compiler shares.  Exit statuses,
 * messages, allocation, the text and source-place types, the blob files
 * the commands open, and the commands themselves (glossaryc_*.c).
 *
 * Running out of memory has one answer everywhere: the message, then
 * exit(GLOSSARY_EXIT_IO).  Every allocation goes through glossary_x*() (or
 * glossary_out_of_memory() for a library's allocator), so no caller checks
 * for NULL; a build that exits this way leaves no temporary file.
 */

#ifndef GLOSSARYC_H
#define GLOSSARYC_H

#include <stddef.h>
#include <stdint.h>

#include "glossary_blob.h"


/* exit statuses of glossaryc (diff has diff(1)'s own) */
#define GLOSSARY_EXIT_OK        0
#define GLOSSARY_EXIT_DATA      1       /* invalid input or blob */
#define GLOSSARY_EXIT_USAGE     2       /* bad command line */
#define GLOSSARY_EXIT_IO        3       /* I/O or system error */


/* a place in an input file or template */
typedef struct {
    const char  *file;
    uint64_t     line;          /* 1-based */
    uint64_t     column;        /* 1-based, in bytes */
} glossary_loc_t;


/* a byte string that may hold NULs; data == NULL means absent */
typedef struct {
    const char  *data;
    size_t       len;
} glossary_text_t;


/* bytewise order of two texts, the shorter first on a common prefix */
int glossary_text_cmp(const glossary_text_t *a, const glossary_text_t *b);


/* "glossaryc: message" on stderr */
void glossary_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* "FILE:LINE:COLUMN: message" on stderr */
void glossary_error_at(const glossary_loc_t *loc, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* the message and "Try 'glossaryc --help'."; returns GLOSSARY_EXIT_USAGE */
int glossary_usage_error(const char *fmt, const char *arg);

/* called before every message when set: the progress line steps aside */
extern void  (*glossary_error_hook)(void);


void *glossary_xmalloc(size_t size);
void *glossary_xcalloc(size_t n, size_t size);
void *glossary_xrealloc(void *p, size_t size);
char *glossary_xstrndup(const char *s, size_t len);

/* "out of memory", then exit(GLOSSARY_EXIT_IO); size 0: not known */
void glossary_out_of_memory(size_t size) __attribute__((noreturn));


/*
 * A blob file mapped read-only and validated, as the module checks it
 * (GLOSSARY_OPEN_DEEP: and every chunk hash, as glossaryc verify does), with
 * memory that does not grow with the file: the checksum and the chunk
 * hashes are computed window by window, each window dropped from the
 * mapping once hashed (glossary_scan()); what stays is what the structural
 * checks read, the index and the ETags, which grow with the terms.
 */
typedef struct {
    const char      *path;
    void            *map;
    size_t           size;
    glossary_blob_t  blob;
} glossary_file_blob_t;

/* print why a blob is refused; return GLOSSARY_EXIT_* statuses */
int glossary_open(glossary_file_blob_t *fb, const char *path);
int glossary_open_flags(glossary_file_blob_t *fb, const char *path,
    unsigned flags);
void glossary_unload(glossary_file_blob_t *fb);

/*
 * The XXH3-64 of bytes [GLOSSARY_CHECKSUM_FROM, size) of a mapped blob,
 * read a window at a time, each window dropped from the mapping once
 * hashed.  With hashes, also each chunk of 2^shift bytes of STRINGS, at
 * [strings_off, strings_off + strings_size), compared with hashes[]: the
 * first that differs in *bad (UINT64_MAX: none).
 */
uint64_t glossary_scan(const unsigned char *map, size_t size,
    uint64_t strings_off, uint64_t strings_size, uint32_t shift,
    const uint64_t *hashes, uint64_t *bad);

/* stdout flushed: GLOSSARY_EXIT_OK, or the error printed and _IO */
int glossary_flush_stdout(void);

/* seconds since the epoch as "2024-01-31T12:00:00Z", "?" when out of range */
void glossary_iso_time(uint64_t t, char *buf, size_t size);


/* the commands: the arguments after the command's name */
int glossary_cmd_build(int argc, char **argv);
int glossary_cmd_verify(int argc, char **argv);
int glossary_cmd_info(int argc, char **argv);
int glossary_cmd_diff(int argc, char **argv);
int glossary_cmd_get(int argc, char **argv);


#endif /* GLOSSARYC_H */
