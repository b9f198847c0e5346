/*
 * glossaryc's STRINGS section (glossary_strings.h).
 */

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xxhash.h>

#include "glossary_out.h"
#include "glossary_strings.h"


/* the section goes out through buffers of this size, whole chunks */
#define GLOSSARY_WBUF_SIZE      ((size_t) 4 << 20)

_Static_assert(GLOSSARY_WBUF_SIZE % ((size_t) 1 << GLOSSARY_CHUNK_SHIFT) == 0,
               "a writer buffer is a whole number of chunks");

/* strings up to this length keep a copy in memory for the dedup compare */
#define GLOSSARY_SMALL_STRING   256


struct glossary_slot_s {
    uint64_t        hash;
    uint64_t        off;                /* within the section */
    uint64_t        len;
    uint64_t        copy;               /* offset in small + 1, or 0 */
};


static void *glossary_strings_writer(void *data);
static void glossary_strings_hash(glossary_strings_t *s,
    const unsigned char *p, size_t n, uint64_t off);
static void glossary_strings_flush(glossary_strings_t *s);
static void glossary_strings_wait(glossary_strings_t *s, uint64_t upto);
static void glossary_strings_append(glossary_strings_t *s,
    const unsigned char *p, size_t len);
static int glossary_strings_equal(glossary_strings_t *s,
    const glossary_slot_t *slot, const unsigned char *p);


int
glossary_strings_start(glossary_strings_t *s, int fd, uint64_t base)
{
    int  i, err;

    s->fd = fd;
    s->base = base;

    for (i = 0; i < GLOSSARY_WBUFS; i++) {
        s->bufs[i] = glossary_xmalloc(GLOSSARY_WBUF_SIZE);
    }

    s->buf = s->bufs[0];

    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->cond, NULL);

    err = pthread_create(&s->writer, NULL, glossary_strings_writer, s);
    if (err != 0) {
        glossary_error("cannot start a thread: %s", strerror(err));
        pthread_cond_destroy(&s->cond);
        pthread_mutex_destroy(&s->lock);
        return GLOSSARY_EXIT_IO;
    }

    s->started = 1;

    return GLOSSARY_EXIT_OK;
}


glossary_ref_t
glossary_string(glossary_strings_t *s, const void *p, size_t len)
{
    if (len == 0) {
        return glossary_string_hashed(s, p, 0, 0);
    }

    return glossary_string_hashed(s, p, len, XXH3_64bits(p, len));
}


/* h is XXH3_64bits(p, len), computed by a worker for a document's ETag */
glossary_ref_t
glossary_string_hashed(glossary_strings_t *s, const void *p, size_t len,
    uint64_t h)
{
    size_t            i, nslots;
    glossary_ref_t    ref;
    glossary_slot_t  *slot, *old;

    ref.off = s->base;
    ref.len = 0;

    if (len == 0) {
        return ref;     /* absent: the offset must still be in range */
    }

    if (s->used * 2 >= s->nslots) {
        nslots = s->nslots ? s->nslots * 2 : 1024;
        old = s->slots;

        s->slots = glossary_xcalloc(nslots, sizeof(glossary_slot_t));

        for (i = 0; i < s->nslots; i++) {
            if (old[i].len == 0) {
                continue;
            }

            slot = &s->slots[old[i].hash & (nslots - 1)];
            while (slot->len != 0) {
                slot = &s->slots[(slot - s->slots + 1) & (nslots - 1)];
            }

            *slot = old[i];
        }

        free(old);
        s->nslots = nslots;
    }

    slot = &s->slots[h & (s->nslots - 1)];

    while (slot->len != 0) {
        if (slot->hash == h && slot->len == len
            && glossary_strings_equal(s, slot, p))
        {
            ref.off = s->base + slot->off;
            ref.len = len;
            return ref;
        }

        slot = &s->slots[(slot - s->slots + 1) & (s->nslots - 1)];
    }

    slot->copy = 0;

    if (len <= GLOSSARY_SMALL_STRING) {
        if (s->small_alloc - s->nsmall < len) {
            s->small_alloc = s->small_alloc ? s->small_alloc * 2 : 65536;
            s->small = glossary_xrealloc(s->small, s->small_alloc);
        }

        memcpy(s->small + s->nsmall, p, len);
        slot->copy = s->nsmall + 1;
        s->nsmall += len;
    }

    slot->hash = h;
    slot->off = s->len;
    slot->len = len;
    s->used++;

    ref.off = s->base + s->len;
    ref.len = len;

    glossary_strings_append(s, p, len);

    return ref;
}


glossary_ref_t
glossary_string_raw(glossary_strings_t *s, const void *p, size_t len)
{
    glossary_ref_t  ref;

    ref.off = s->base + (len ? s->len : 0);
    ref.len = len;

    glossary_strings_append(s, p, len);

    return ref;
}


/*
 * Every buffer so far is written first, so that "written" can count the
 * hole at once: the bytes before it are in the file, those in it are the
 * other writer's, and a string compared later is read back only when it is
 * (glossary_strings_equal()).  The hole starts and ends on a chunk, zeros
 * before it: the writer thread hashes its buffers a chunk at a time from a
 * chunk's start, and the other writer hashes the hole's chunks
 * (glossary_strings_set_hashes()).
 */
uint64_t
glossary_strings_reserve(glossary_strings_t *s, uint64_t len)
{
    size_t    n;
    uint64_t  off, chunk;

    static const unsigned char  zero[4096];

    chunk = (uint64_t) 1 << GLOSSARY_CHUNK_SHIFT;

    while (s->len % chunk) {
        n = chunk - s->len % chunk;
        glossary_strings_append(s, zero, n < sizeof(zero) ? n : sizeof(zero));
    }

    len = (len + chunk - 1) & ~(chunk - 1);

    glossary_strings_flush(s);
    glossary_strings_wait(s, s->flushed);

    off = s->len;

    pthread_mutex_lock(&s->lock);
    s->written += len;
    pthread_mutex_unlock(&s->lock);

    s->flushed += len;
    s->len += len;

    return off;
}


void
glossary_strings_set_hashes(glossary_strings_t *s, uint64_t first,
    const uint64_t *hashes, uint64_t n)
{
    if (first + n > s->hashes_alloc) {
        s->hashes_alloc = first + n;
        s->hashes = glossary_xrealloc(s->hashes,
                                      s->hashes_alloc * sizeof(uint64_t));
    }

    memcpy(s->hashes + first, hashes, n * sizeof(uint64_t));

    if (first + n > s->nhashes) {
        s->nhashes = first + n;
    }
}


glossary_ref_t
glossary_text(glossary_strings_t *s, const glossary_text_t *t)
{
    return glossary_string(s, t->data, t->data ? t->len : 0);
}


void
glossary_strings_stop(glossary_strings_t *s)
{
    if (!s->started) {
        return;
    }

    glossary_strings_flush(s);

    pthread_mutex_lock(&s->lock);
    s->quit = 1;
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->lock);

    pthread_join(s->writer, NULL);
    pthread_cond_destroy(&s->cond);
    pthread_mutex_destroy(&s->lock);

    s->started = 0;
}


int
glossary_strings_error(const glossary_strings_t *s, const char *path)
{
    if (s->werror) {
        glossary_error("%s: write: %s", path, strerror(s->werror));
        return GLOSSARY_EXIT_IO;
    }

    if (s->error) {
        glossary_error("%s: read: %s", path, strerror(s->error));
        return GLOSSARY_EXIT_IO;
    }

    return GLOSSARY_EXIT_OK;
}


void
glossary_strings_free(glossary_strings_t *s)
{
    int  i;

    for (i = 0; i < GLOSSARY_WBUFS; i++) {
        free(s->bufs[i]);
        s->bufs[i] = NULL;
    }

    free(s->small);
    free(s->slots);
    free(s->hashes);
    s->hashes = NULL;
    s->nhashes = 0;
    s->hashes_alloc = 0;
    s->buf = NULL;
    s->small = NULL;
    s->slots = NULL;
    s->nsmall = 0;
    s->small_alloc = 0;
    s->nslots = 0;
    s->used = 0;
}


static void *
glossary_strings_writer(void *data)
{
    int                  err;
    size_t               n;
    uint64_t             off;
    unsigned char       *p;
    glossary_strings_t  *s;

    s = data;

    pthread_mutex_lock(&s->lock);

    for ( ;; ) {
        while (!s->quit && s->head == s->tail) {
            pthread_cond_wait(&s->cond, &s->lock);
        }

        if (s->head == s->tail) {
            break;
        }

        p = s->bufs[s->head % GLOSSARY_WBUFS];
        n = s->wlen[s->head % GLOSSARY_WBUFS];
        off = s->woff[s->head % GLOSSARY_WBUFS];
        err = s->werror;

        pthread_mutex_unlock(&s->lock);

        if (err == 0) {
            glossary_strings_hash(s, p, n, off - s->base);
        }

        if (err == 0 && glossary_pwrite_all(s->fd, p, n, (off_t) off) == -1) {
            err = errno ? errno : EIO;
        }

        /* writeback starts now rather than all at the final fsync */
        if (err == 0) {
            (void) sync_file_range(s->fd, (off_t) off, (off_t) n,
                                   SYNC_FILE_RANGE_WRITE);
        }

        pthread_mutex_lock(&s->lock);

        s->werror = err;
        s->written += n;
        s->head++;
        pthread_cond_broadcast(&s->cond);
    }

    pthread_mutex_unlock(&s->lock);

    return NULL;
}


uint64_t *
glossary_strings_hashes(glossary_strings_t *s, uint64_t *n)
{
    uint64_t  *h;

    h = s->hashes;
    *n = s->nhashes;

    s->hashes = NULL;
    s->nhashes = 0;
    s->hashes_alloc = 0;

    return h;
}


/*
 * The writer thread's: the chunks of a buffer written at offset off of the
 * section.  Every buffer but the last is full, and the buffer size is a
 * whole number of chunks, so a buffer starts on a chunk.
 */
static void
glossary_strings_hash(glossary_strings_t *s, const unsigned char *p,
    size_t n, uint64_t off)
{
    size_t    k, len;
    uint64_t  i, need;

    i = off >> GLOSSARY_CHUNK_SHIFT;
    need = i + ((n + ((size_t) 1 << GLOSSARY_CHUNK_SHIFT) - 1)
                >> GLOSSARY_CHUNK_SHIFT);

    if (need > s->hashes_alloc) {
        s->hashes_alloc = need * 2;
        s->hashes = glossary_xrealloc(s->hashes,
                                      s->hashes_alloc * sizeof(uint64_t));
    }

    for (k = 0; k < n; k += len, i++) {
        len = n - k < ((size_t) 1 << GLOSSARY_CHUNK_SHIFT)
              ? n - k : ((size_t) 1 << GLOSSARY_CHUNK_SHIFT);
        s->hashes[i] = XXH3_64bits(p + k, len);
    }

    s->nhashes = i;
}


/* the filled buffer to the writer; waits for a free one to fill next */
static void
glossary_strings_flush(glossary_strings_t *s)
{
    unsigned  i;

    if (s->nbuf == 0) {
        return;
    }

    pthread_mutex_lock(&s->lock);

    i = s->tail % GLOSSARY_WBUFS;
    s->wlen[i] = s->nbuf;
    s->woff[i] = s->base + s->flushed;
    s->tail++;
    pthread_cond_broadcast(&s->cond);

    while (s->tail - s->head == GLOSSARY_WBUFS) {
        pthread_cond_wait(&s->cond, &s->lock);
    }

    pthread_mutex_unlock(&s->lock);

    s->flushed += s->nbuf;
    s->nbuf = 0;
    s->buf = s->bufs[s->tail % GLOSSARY_WBUFS];
}


/* waits until the first "upto" bytes of the section are in the file */
static void
glossary_strings_wait(glossary_strings_t *s, uint64_t upto)
{
    pthread_mutex_lock(&s->lock);

    while (s->written < upto) {
        pthread_cond_wait(&s->cond, &s->lock);
    }

    pthread_mutex_unlock(&s->lock);
}


static void
glossary_strings_append(glossary_strings_t *s, const unsigned char *p,
    size_t len)
{
    size_t  n;

    s->len += len;

    while (len > 0) {
        n = GLOSSARY_WBUF_SIZE - s->nbuf;
        n = n < len ? n : len;

        memcpy(s->buf + s->nbuf, p, n);
        s->nbuf += n;
        p += n;
        len -= n;

        if (s->nbuf == GLOSSARY_WBUF_SIZE) {
            glossary_strings_flush(s);
        }
    }
}


/* do the section bytes at off equal p?  The older ones are read back */
static int
glossary_strings_equal(glossary_strings_t *s, const glossary_slot_t *slot,
    const unsigned char *p)
{
    size_t         n;
    ssize_t        r;
    uint64_t       off, len;
    unsigned char  tmp[16384];

    if (slot->copy) {
        return memcmp(s->small + slot->copy - 1, p, slot->len) == 0;
    }

    off = slot->off;
    len = slot->len;

    if (off < s->flushed) {
        glossary_strings_wait(s, off + len < s->flushed ? off + len
                                                        : s->flushed);
    }

    while (len > 0 && off < s->flushed) {
        n = s->flushed - off < sizeof(tmp) ? s->flushed - off : sizeof(tmp);
        n = n < len ? n : len;

        r = pread(s->fd, tmp, n, (off_t) (s->base + off));

        if (r == -1 && errno == EINTR) {
            continue;
        }

        if (r <= 0) {
            if (s->error == 0) {
                s->error = r == 0 ? EIO : errno;
            }

            return 0;
        }

        if (memcmp(tmp, p, r) != 0) {
            return 0;
        }

        off += r;
        p += r;
        len -= r;
    }

    return len == 0 || memcmp(s->buf + (off - s->flushed), p, len) == 0;
}
