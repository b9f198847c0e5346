/*
 * glossaryc's FTS section (glossary_fts_blob.h).  The writer needs only
 * the terms' texts, so it runs beside the rendering, which has the other
 * threads; its image leaves out the texts (GLOSSARY_FTS_BUILD_NO_TEXT),
 * which go into STRINGS as glossary_fts_doc_text() lays them out, written
 * by the same thread into the room left for them.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xxhash.h>

#include "glossary_out.h"

#include "glossary_fts.h"
#include "glossary_fts_blob.h"
#include "glossaryc.h"


static void *glossary_fts_blob_run(void *data);


static glossary_fts_str_t
glossary_fts_blob_str(const glossary_text_t *t)
{
    glossary_fts_str_t  s;

    s.data = t->data;
    s.len = t->data != NULL ? t->len : 0;

    return s;
}


int
glossary_fts_blob_start(glossary_fts_blob_t *f,
    const glossary_entry_t *entries, uint32_t n, const uint32_t *cat_of,
    glossary_strings_t *s)
{
    int                      err;
    size_t                   nstr;
    uint64_t                 len;
    uint32_t                 id, k;
    glossary_fts_input_t    *d;
    const glossary_entry_t  *e;

    memset(f, 0, sizeof(glossary_fts_blob_t));

    nstr = 0;

    for (id = 0; id < n; id++) {
        nstr += 2 * (size_t) entries[id].nfaq + entries[id].naliases;
    }

    f->docs = glossary_xcalloc((size_t) n + 1, sizeof(glossary_fts_input_t));
    f->strs = glossary_xcalloc(nstr + 1, sizeof(glossary_fts_str_t));
    f->n = n;
    nstr = 0;

    for (id = 0; id < n; id++) {
        e = &entries[id];
        d = &f->docs[id];

        d->name = glossary_fts_blob_str(&e->term);
        d->slug = glossary_fts_blob_str(&e->slug);
        d->short_definition = glossary_fts_blob_str(&e->short_definition);
        d->explanation = glossary_fts_blob_str(&e->explanation);
        d->category = cat_of[id] == GLOSSARY_NO_TERM
                      ? GLOSSARY_FTS_NO_CATEGORY : cat_of[id];

        d->aliases = f->strs + nstr;
        d->naliases = e->naliases;

        for (k = 0; k < e->naliases; k++) {
            f->strs[nstr++] = glossary_fts_blob_str(&e->aliases[k]);
        }

        d->faq = f->strs + nstr;
        d->nfaq = 2 * e->nfaq;

        for (k = 0; k < e->nfaq; k++) {
            f->strs[nstr++] = glossary_fts_blob_str(&e->faq[k].question);
            f->strs[nstr++] = glossary_fts_blob_str(&e->faq[k].answer);
        }
    }

    /* the texts' room, after the eager strings */

    len = 0;

    for (id = 0; id < n; id++) {
        len += glossary_fts_doc_text(&f->docs[id], NULL, NULL);
    }

    f->fd = s->fd;
    f->text.len = len;
    f->text.off = s->base + glossary_strings_reserve(s, len);

    err = pthread_create(&f->thread, NULL, glossary_fts_blob_run, f);
    if (err != 0) {
        glossary_error("cannot start a thread: %s", strerror(err));
        return GLOSSARY_EXIT_IO;
    }

    f->started = 1;

    return GLOSSARY_EXIT_OK;
}


/* the texts, a megabyte at a time, into their room in the file */
/*
 * n bytes of texts at *off, padded with zeros to a whole chunk (the room is
 * whole chunks), each chunk hashed as the strings' writer hashes its own
 */
static int
glossary_fts_blob_flush(glossary_fts_blob_t *f, unsigned char *buf,
    size_t n, uint64_t *off)
{
    size_t  chunk, k;

    chunk = (size_t) 1 << GLOSSARY_CHUNK_SHIFT;

    if (n % chunk) {
        memset(buf + n, 0, chunk - n % chunk);
        n += chunk - n % chunk;
    }

    for (k = 0; k < n; k += chunk) {
        f->hashes[f->nhashes++] = XXH3_64bits(buf + k, chunk);
    }

    if (glossary_pwrite_all(f->fd, buf, n, (off_t) *off) == -1) {
        return errno ? errno : EIO;
    }

    *off += n;

    return 0;
}


static int
glossary_fts_blob_write(glossary_fts_blob_t *f)
{
    int             err;
    size_t          len, cap, n, k, room, doc_cap;
    uint32_t        id;
    uint64_t        off, nchunks;
    unsigned char  *buf, *doc;

    cap = (size_t) 16 << GLOSSARY_CHUNK_SHIFT;
    nchunks = (f->text.len + ((uint64_t) 1 << GLOSSARY_CHUNK_SHIFT) - 1)
              >> GLOSSARY_CHUNK_SHIFT;
    buf = malloc(cap);
    doc = NULL;
    doc_cap = 0;
    f->hashes = calloc(nchunks + 1, sizeof(uint64_t));
    off = f->text.off;
    n = 0;
    err = 0;

    if (buf == NULL || f->hashes == NULL) {
        free(buf);
        return ENOMEM;
    }

    for (id = 0; id < f->n && err == 0; id++) {
        len = glossary_fts_doc_text(&f->docs[id], NULL, NULL);

        if (len > doc_cap) {
            free(doc);
            doc_cap = len;
            doc = malloc(doc_cap);

            if (doc == NULL) {
                free(buf);
                return ENOMEM;
            }
        }

        (void) glossary_fts_doc_text(&f->docs[id], doc, NULL);

        for (k = 0; k < len && err == 0; k += room) {
            room = (cap - n < len - k) ? cap - n : len - k;
            memcpy(buf + n, doc + k, room);
            n += room;

            if (n == cap) {
                err = glossary_fts_blob_flush(f, buf, n, &off);
                n = 0;
            }
        }
    }

    if (err == 0 && n) {
        err = glossary_fts_blob_flush(f, buf, n, &off);
    }

    free(buf);
    free(doc);

    if (err) {
        return err;
    }

    return f->nhashes == nchunks ? 0 : EIO;
}


static void *
glossary_fts_blob_run(void *data)
{
    struct timespec       t0, t1;
    glossary_fts_blob_t  *f;

    f = data;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
    f->werror = glossary_fts_blob_write(f);
    f->rc = glossary_fts_build_flags(f->docs, f->n,
                                     GLOSSARY_FTS_BUILD_NO_TEXT, &f->img);
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);

    f->cpu = (double) (t1.tv_sec - t0.tv_sec)
             + (double) (t1.tv_nsec - t0.tv_nsec) / 1e9;

    return NULL;
}


int
glossary_fts_blob_wait(glossary_fts_blob_t *f, const char *path)
{
    if (f->started) {
        pthread_join(f->thread, NULL);
        f->started = 0;

        if (f->werror == ENOMEM) {
            glossary_out_of_memory(0);
        }

        if (f->werror != 0) {
            glossary_error("%s: write: %s", path, strerror(f->werror));
            return GLOSSARY_EXIT_IO;
        }

        if (f->rc != 0) {
            glossary_error("search index: %s", f->img.error);
            return strcmp(f->img.error, "out of memory") == 0
                   ? GLOSSARY_EXIT_IO : GLOSSARY_EXIT_DATA;
        }
    }

    return GLOSSARY_EXIT_OK;
}


uint64_t
glossary_fts_blob_size(const glossary_fts_blob_t *f)
{
    return sizeof(glossary_fts_section_t) + f->img.size;
}


void
glossary_fts_blob_header(const glossary_fts_blob_t *f,
    glossary_fts_section_t *h)
{
    memset(h, 0, sizeof(glossary_fts_section_t));
    h->text = f->text;
}


void
glossary_fts_blob_hashes(glossary_fts_blob_t *f, glossary_strings_t *s)
{
    glossary_strings_set_hashes(s, (f->text.off - s->base)
                                   >> GLOSSARY_CHUNK_SHIFT,
                                f->hashes, f->nhashes);
}


void
glossary_fts_blob_free(glossary_fts_blob_t *f)
{
    if (f->started) {
        pthread_join(f->thread, NULL);
        f->started = 0;
    }

    glossary_fts_image_free(&f->img);
    free(f->docs);
    free(f->strs);
    free(f->hashes);
    f->docs = NULL;
    f->strs = NULL;
    f->hashes = NULL;
}
