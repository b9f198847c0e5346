/*
 * glossaryc: messages, allocation, texts and blob files (glossaryc.h).
 */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "glossaryc.h"


static int glossary_load(glossary_file_blob_t *fb, const char *path);


void  (*glossary_error_hook)(void);


void
glossary_error(const char *fmt, ...)
{
    va_list  args;

    if (glossary_error_hook != NULL) {
        glossary_error_hook();
    }

    fputs("glossaryc: ", stderr);

    va_start(args, fmt);
    vfprintf(stderr, fmt, args);
    va_end(args);

    fputc('\n', stderr);
}


void
glossary_error_at(const glossary_loc_t *loc, const char *fmt, ...)
{
    va_list  args;

    if (glossary_error_hook != NULL) {
        glossary_error_hook();
    }

    fprintf(stderr, "%s:%llu:%llu: ", loc->file,
            (unsigned long long) loc->line, (unsigned long long) loc->column);

    va_start(args, fmt);
    vfprintf(stderr, fmt, args);
    va_end(args);

    fputc('\n', stderr);
}


/* a usage error: the message and where to look */
int
glossary_usage_error(const char *fmt, const char *arg)
{
    fputs("glossaryc: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'glossaryc --help'.\n", stderr);

    return GLOSSARY_EXIT_USAGE;
}


void
glossary_out_of_memory(size_t size)
{
    if (size != 0) {
        glossary_error("out of memory (%zu bytes)", size);

    } else {
        glossary_error("out of memory");
    }

    exit(GLOSSARY_EXIT_IO);
}


void *
glossary_xmalloc(size_t size)
{
    void  *p;

    p = malloc(size ? size : 1);
    if (p == NULL) {
        glossary_out_of_memory(size);
    }

    return p;
}


void *
glossary_xcalloc(size_t n, size_t size)
{
    void  *p;

    p = calloc(n ? n : 1, size ? size : 1);
    if (p == NULL) {
        glossary_out_of_memory(n * size);
    }

    return p;
}


void *
glossary_xrealloc(void *p, size_t size)
{
    p = realloc(p, size ? size : 1);
    if (p == NULL) {
        glossary_out_of_memory(size);
    }

    return p;
}


char *
glossary_xstrndup(const char *s, size_t len)
{
    char  *p;

    p = glossary_xmalloc(len + 1);
    memcpy(p, s, len);
    p[len] = '\0';

    return p;
}


int
glossary_text_cmp(const glossary_text_t *a, const glossary_text_t *b)
{
    int     rc;
    size_t  n;

    n = a->len < b->len ? a->len : b->len;
    rc = n ? memcmp(a->data, b->data, n) : 0;

    if (rc != 0) {
        return rc;
    }

    return (a->len > b->len) - (a->len < b->len);
}


int
glossary_flush_stdout(void)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        glossary_error("stdout: %s", strerror(errno));
        return GLOSSARY_EXIT_IO;
    }

    return GLOSSARY_EXIT_OK;
}


void
glossary_iso_time(uint64_t t, char *buf, size_t size)
{
    time_t     tt;
    struct tm  tm;

    tt = (time_t) t;

    if (gmtime_r(&tt, &tm) == NULL
        || strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
    {
        snprintf(buf, size, "?");
    }
}


static int
glossary_load(glossary_file_blob_t *fb, const char *path)
{
    int          fd;
    struct stat  st;

    memset(fb, 0, sizeof(glossary_file_blob_t));
    fb->path = path;

    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd == -1) {
        glossary_error("%s: %s", path, strerror(errno));
        return GLOSSARY_EXIT_IO;
    }

    if (fstat(fd, &st) == -1) {
        glossary_error("%s: fstat: %s", path, strerror(errno));
        close(fd);
        return GLOSSARY_EXIT_IO;
    }

    if (!S_ISREG(st.st_mode)) {
        glossary_error("%s: not a regular file", path);
        close(fd);
        return GLOSSARY_EXIT_IO;
    }

    fb->size = (size_t) st.st_size;

    /* mapped read-only, as the module maps it */
    if (fb->size > 0) {
        fb->map = mmap(NULL, fb->size, PROT_READ, MAP_PRIVATE, fd, 0);

        if (fb->map == MAP_FAILED) {
            fb->map = NULL;
            glossary_error("%s: mmap: %s", path, strerror(errno));
            close(fd);
            return GLOSSARY_EXIT_IO;
        }
    }

    close(fd);

    return GLOSSARY_EXIT_OK;
}


void
glossary_unload(glossary_file_blob_t *fb)
{
    if (fb->map != NULL) {
        munmap(fb->map, fb->size);
        fb->map = NULL;
    }
}


/* loads and validates; prints the reason when the blob is refused */
int
glossary_open(glossary_file_blob_t *fb, const char *path)
{
    return glossary_open_flags(fb, path, 0);
}


int
glossary_open_flags(glossary_file_blob_t *fb, const char *path,
    unsigned flags)
{
    int                rc;
    static uint64_t    empty;
    glossary_status_t  st;

    rc = glossary_load(fb, path);
    if (rc != GLOSSARY_EXIT_OK) {
        return rc;
    }

    st = glossary_blob_open_flags(&fb->blob,
                                  fb->map ? fb->map : (void *) &empty,
                                  fb->size, flags);

    if (st != GLOSSARY_OK) {
        fprintf(stderr, "%s: %s: %s\n", path, glossary_blob_strerror(st),
                fb->blob.detail);
        glossary_unload(fb);
        return GLOSSARY_EXIT_DATA;
    }

    return GLOSSARY_EXIT_OK;
}
