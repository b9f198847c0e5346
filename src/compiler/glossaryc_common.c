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

#include <xxhash.h>

#include "glossaryc.h"


/* what glossary_scan() reads before it drops it from the mapping */
#define GLOSSARY_WINDOW         ((uint64_t) 16 << 20)


static int glossary_load(glossary_file_blob_t *fb, const char *path);
static void glossary_scan_range(XXH3_state_t *state,
    const unsigned char *map, uint64_t from, uint64_t to, uint64_t window,
    uint64_t chunk0, uint32_t shift, const uint64_t *hashes, uint64_t *bad);
static void glossary_drop(const unsigned char *map, uint64_t from,
    uint64_t to);


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

    /* mapped read-only, as the module maps it; never populated whole */
    if (fb->size > 0) {
        fb->map = mmap(NULL, fb->size, PROT_READ, MAP_SHARED, fd, 0);

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


/*
 * The checks of glossary_blob_open_flags(), in its order and with its
 * messages, but with the bytes hashed a window at a time (glossary_scan()):
 * the checksum, then the structure, the ETags and (DEEP) the index
 * checksum, then (DEEP) the chunk hashes, one more pass.
 */
int
glossary_open_flags(glossary_file_blob_t *fb, const char *path,
    unsigned flags)
{
    int                rc;
    uint64_t           sum, bad;
    static uint64_t    empty;
    glossary_blob_t   *b;
    glossary_status_t  st;

    rc = glossary_load(fb, path);
    if (rc != GLOSSARY_EXIT_OK) {
        return rc;
    }

    b = &fb->blob;
    sum = glossary_scan(fb->map, fb->size, 0, 0, 0, NULL, NULL);

    st = glossary_blob_open_summed(b, fb->map ? fb->map : (void *) &empty,
                                   fb->size,
                                   (flags & GLOSSARY_OPEN_DEEP)
                                   ? GLOSSARY_OPEN_INDEX : 0, sum);

    if (st == GLOSSARY_OK && (flags & GLOSSARY_OPEN_DEEP)
        && b->chunk_hashes != NULL)
    {
        (void) glossary_scan(fb->map, fb->size, b->strings_off,
                             b->strings_size, b->chunk_shift,
                             b->chunk_hashes, &bad);

        if (bad != UINT64_MAX) {
            st = glossary_blob_verify_chunks(b, bad, bad + 1);
        }
    }

    if (st != GLOSSARY_OK) {
        fprintf(stderr, "%s: %s: %s\n", path, glossary_blob_strerror(st),
                fb->blob.detail);
        glossary_unload(fb);
        return GLOSSARY_EXIT_DATA;
    }

    return GLOSSARY_EXIT_OK;
}


uint64_t
glossary_scan(const unsigned char *map, size_t size, uint64_t strings_off,
    uint64_t strings_size, uint32_t shift, const uint64_t *hashes,
    uint64_t *bad)
{
    uint64_t       sum, window, end;
    XXH3_state_t  *state;

    if (bad != NULL) {
        *bad = UINT64_MAX;
    }

    if (size < GLOSSARY_CHECKSUM_FROM) {
        return 0;
    }

    state = XXH3_createState();
    if (state == NULL) {
        glossary_out_of_memory(0);
    }

    XXH3_64bits_reset(state);

    (void) madvise((void *) map, size, MADV_SEQUENTIAL);

    if (hashes == NULL) {
        glossary_scan_range(state, map, GLOSSARY_CHECKSUM_FROM, size,
                            GLOSSARY_WINDOW, 0, 0, NULL, NULL);

    } else {
        /* windows of whole chunks in STRINGS, one hash of each checked */
        window = GLOSSARY_WINDOW > ((uint64_t) 1 << shift)
                 ? GLOSSARY_WINDOW & ~(((uint64_t) 1 << shift) - 1)
                 : (uint64_t) 1 << shift;
        end = strings_off + strings_size;

        glossary_scan_range(state, map, GLOSSARY_CHECKSUM_FROM, strings_off,
                            GLOSSARY_WINDOW, 0, 0, NULL, NULL);
        glossary_scan_range(state, map, strings_off, end, window,
                            strings_off, shift, hashes, bad);
        glossary_scan_range(state, map, end, size, GLOSSARY_WINDOW, 0, 0,
                            NULL, NULL);
    }

    (void) madvise((void *) map, size, MADV_NORMAL);

    sum = XXH3_64bits_digest(state);
    XXH3_freeState(state);

    return sum;
}


/*
 * [from, to) into the checksum, "window" bytes at a time, each dropped
 * from the mapping once read; with hashes, the chunks of 2^shift bytes
 * from chunk0 (to, the end of STRINGS, ends the last one)
 */
static void
glossary_scan_range(XXH3_state_t *state, const unsigned char *map,
    uint64_t from, uint64_t to, uint64_t window, uint64_t chunk0,
    uint32_t shift, const uint64_t *hashes, uint64_t *bad)
{
    uint64_t  at, n, c, len;

    for (at = from; at < to; at += n) {
        n = to - at < window ? to - at : window;

        XXH3_64bits_update(state, map + at, (size_t) n);

        for (c = at; hashes != NULL && c < at + n; c += len) {
            len = at + n - c < ((uint64_t) 1 << shift)
                  ? at + n - c : (uint64_t) 1 << shift;

            if (*bad == UINT64_MAX
                && XXH3_64bits(map + c, (size_t) len)
                   != hashes[(c - chunk0) >> shift])
            {
                *bad = (c - chunk0) >> shift;
            }
        }

        glossary_drop(map, at, at + n);
    }
}


/* the pages wholly inside [from, to) out of the mapping (not the file) */
static void
glossary_drop(const unsigned char *map, uint64_t from, uint64_t to)
{
    uint64_t  page, a, b;

    page = (uint64_t) sysconf(_SC_PAGESIZE);
    a = (from + page - 1) & ~(page - 1);
    b = to & ~(page - 1);

    if (a < b) {
        (void) madvise((void *) (map + a), (size_t) (b - a), MADV_DONTNEED);
    }
}
