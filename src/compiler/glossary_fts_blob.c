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
        nstr += 2 * (size_t) entries[id].nfaq;
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

        /* no aliases in the model yet: the field stays empty */
        d->aliases = NULL;
        d->naliases = 0;

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
static int
glossary_fts_blob_write(glossary_fts_blob_t *f)
{
    size_t          len, cap, n;
    uint32_t        id;
    uint64_t        off;
    unsigned char  *buf;

    cap = 1 << 20;
    buf = malloc(cap);
    off = f->text.off;
    n = 0;

    if (buf == NULL) {
        return ENOMEM;
    }

    for (id = 0; id <= f->n; id++) {
        len = id < f->n ? glossary_fts_doc_text(&f->docs[id], NULL, NULL) : 0;

        if (n && (id == f->n || n + len > cap)) {
            if (glossary_pwrite_all(f->fd, buf, n, (off_t) off) == -1) {
                free(buf);
                return errno ? errno : EIO;
            }

            off += n;
            n = 0;
        }

        if (id == f->n) {
            break;
        }

        if (len > cap) {
            free(buf);
            cap = len;
            buf = malloc(cap);

            if (buf == NULL) {
                return ENOMEM;
            }
        }

        (void) glossary_fts_doc_text(&f->docs[id], buf + n, NULL);
        n += len;
    }

    free(buf);

    return off == f->text.off + f->text.len ? 0 : EIO;
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
glossary_fts_blob_free(glossary_fts_blob_t *f)
{
    if (f->started) {
        pthread_join(f->thread, NULL);
        f->started = 0;
    }

    glossary_fts_image_free(&f->img);
    free(f->docs);
    free(f->strs);
    f->docs = NULL;
    f->strs = NULL;
}
