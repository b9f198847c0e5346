/*
 * glossaryc back end: model -> checked -> rendered -> blob -> published.
 *
 * The blob is written to a temporary file in the target's directory as it
 * is rendered: the STRINGS section (nearly all of the bytes) streams out
 * through a small buffer, the fixed-size sections follow at the end.  The
 * file is then mapped and verified by the same reader the module uses, and
 * only then renamed over the target: a running nginx keeps its mapping of
 * the old file, and a reload maps the new one whole.
 *
 * Documents are rendered in order by the main thread and compressed in
 * batches by worker threads; the bytes are appended in document order, so
 * the output does not depend on the scheduling.
 */

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xxhash.h>
#include <yajl/yajl_gen.h>
#include <libdeflate.h>

#include "glossary_blob.h"
#include "glossary_build.h"
#include "glossary_fold.h"
#include "glossary_html.h"
#include "glossary_site.h"


/*
 * libdeflate level for the pre-compressed variants.  On glossary text
 * libdeflate 6 takes about 40% less time than zlib 6 and its output is
 * 0.2% smaller; its 9 is 0.4% smaller again for 20% more time.
 */
#define GLOSSARY_GZIP_LEVEL  6

#define GLOSSARY_ETAG_LEN       18      /* "0123456789abcdef" */
#define GLOSSARY_GZIP_MAX       ((size_t) 1 << 30)

/* compression: worker threads, and documents handed to them at once */
#define GLOSSARY_WORKERS        2
#define GLOSSARY_BATCH_TERMS    64
#define GLOSSARY_BATCH          (GLOSSARY_BATCH_TERMS                         \
                                 * GLOSSARY_DOCS_PER_TERM_V1_1)
#define GLOSSARY_ITEM_DOCS      GLOSSARY_GLOBAL_DOCS_V1_1  /* at most */

/* batches rendered ahead of the one to store next */
#define GLOSSARY_BATCHES        4

/* and one more for the global documents, compressed first */
#define GLOSSARY_QUEUE          (GLOSSARY_BATCHES + 1)

/* the STRINGS section goes out through buffers of this size */
#define GLOSSARY_WBUF_SIZE      ((size_t) 4 << 20)
#define GLOSSARY_WBUFS          4

/* strings up to this length keep a copy in memory for the dedup compare */
#define GLOSSARY_SMALL_STRING   256

#define glossary_align(n)       (((n) + GLOSSARY_ALIGN - 1)                   \
                                 & ~(uint64_t) (GLOSSARY_ALIGN - 1))


/* a section whose count is known only once the documents are written */
#define GLOSSARY_LATER          UINT64_MAX


/* where the sections go, by id */
typedef struct {
    uint64_t        count[GLOSSARY_SECTION_LAST + 1];   /* records */
    uint64_t        offset[GLOSSARY_SECTION_LAST + 1];  /* 0: not placed */
    uint64_t        end;                /* of the last section placed */
} glossary_layout_t;


typedef struct {
    uint64_t        hash;
    uint64_t        off;                /* within the section */
    uint64_t        len;
    uint64_t        copy;               /* offset in small + 1, or 0 */
} glossary_slot_t;


/*
 * the STRINGS section, identical byte strings stored once; the bytes go to
 * the output file, the short ones are also kept to compare new strings with
 */
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


/* the temporary file beside the target */
typedef struct {
    char               *dir;
    char               *tmp;
    int                 fd;
    struct sigaction    saved[4];
} glossary_out_t;


/* one document: rendered by the main thread, compressed by a worker */
typedef struct {
    glossary_buf_t      body;           /* reused from batch to batch */
    unsigned char      *gz;
    size_t              gz_alloc;
    size_t              gz_len;
    uint64_t            etag;           /* XXH3 of body */
    uint64_t            gz_etag;        /* XXH3 of gz */
    glossary_doc_t     *doc;            /* where the references go */
    glossary_category_t *cat;           /* its slug and name go first */
    const char         *what;           /* for messages; NULL: id's */
    uint32_t            id;             /* term or category */
    int                 category;       /* id is a category's */
    int                 gzip;
    int                 failed;         /* no gzip output */
} glossary_job_t;


typedef struct {
    glossary_job_t      jobs[GLOSSARY_BATCH];
    size_t              n;
    size_t              next;           /* jobs handed to the workers */
    size_t              finished;       /* jobs compressed */
    int                 queued;         /* submitted and not stored yet */
} glossary_batch_t;


typedef struct {
    pthread_mutex_t     lock;
    pthread_cond_t      work;           /* a batch for the workers */
    pthread_cond_t      done;           /* a batch is compressed */
    glossary_batch_t   *queue[GLOSSARY_QUEUE];
    unsigned            head;           /* batch the workers take from */
    unsigned            tail;
    int                 quit;
    int                 nthreads;
    pthread_t           threads[GLOSSARY_WORKERS];
    struct libdeflate_compressor  *z[GLOSSARY_WORKERS];   /* one a worker */
    int                 nz;
} glossary_pool_t;


typedef struct {
    yajl_gen          g;
    int               status;           /* first failed yajl_gen_status */
} glossary_gen_t;


/* a search key: bytes of a term's folded name or slug from skip on */
typedef struct {
    const unsigned char  *key;
    size_t                len;
    uint32_t              id;
    uint32_t              order;
    uint32_t              skip;
    uint32_t              slug;       /* from the slug, not the name */
} glossary_skey_t;


typedef struct {
    unsigned char       **name;       /* per term: folded name */
    size_t               *name_len;
    unsigned char       **slug;       /* per term: folded slug */
    size_t               *slug_len;
    glossary_skey_t      *terms;
    uint32_t              nterms;
    glossary_skey_t      *words;
    uint32_t              nwords;
    uint32_t              n;          /* terms with folded texts */
} glossary_search_keys_t;


/*
 * Everything of one build, so that the steps of glossary_build() share it
 * and glossary_build_cleanup() can release it in whatever state a step
 * left it.
 */
typedef struct {
    const glossary_build_conf_t  *conf;
    glossary_model_t             *model;
    glossary_entry_t             *entries;  /* sorted by slug: id = index */
    uint32_t                      n;
    uint32_t                     *targets;  /* per link: id or NO_TERM */
    uint32_t                     *first_link;   /* per entry: into targets */
    uint32_t                      nlinks;
    glossary_site_t               site;
    glossary_search_keys_t        sk;
    glossary_buf_t                page;     /* the search page */
    size_t                        nseg;     /* its segments */
    uint32_t                     *buckets;
    uint32_t                      nbuckets;
    uint32_t                      max_probe;
    glossary_layout_t             lay;
    unsigned char                *fixed;    /* the file up to STRINGS */
    glossary_doc_t               *docs;     /* records in fixed */
    glossary_doc_t               *globals;
    glossary_category_t          *cats;
    glossary_out_t                out;
    glossary_pool_t               pool;
    glossary_batch_t             *batches;  /* the ring, then the globals' */
    glossary_strings_t            strings;
    uint64_t                      eager;    /* STRINGS before the documents */
    uint64_t                      max_size; /* the largest blob to write */
    uint64_t                      total;    /* the size of the blob */
    unsigned char                *map;      /* the blob, sealed */
    glossary_blob_t               check;    /* the blob as nginx reads it */
    unsigned                      pool_started:1;
    unsigned                      committed:1;
    unsigned                      no_base:1;
} glossary_builder_t;


static int glossary_build_check(glossary_builder_t *b);
static int glossary_build_lay_out(glossary_builder_t *b);
static int glossary_build_open(glossary_builder_t *b);
static int glossary_build_index(glossary_builder_t *b);
static int glossary_build_render(glossary_builder_t *b);
static int glossary_build_finish(glossary_builder_t *b);
static int glossary_build_seal(glossary_builder_t *b);
static int glossary_build_publish(glossary_builder_t *b);
static void glossary_build_release(glossary_builder_t *b);
static void glossary_build_cleanup(glossary_builder_t *b);
static int glossary_entry_cmp(const void *a, const void *b);
static int glossary_check_duplicates(glossary_builder_t *b);
static uint32_t glossary_find(glossary_builder_t *b, const glossary_text_t *s);
static void glossary_resolve(glossary_builder_t *b);
static uint32_t *glossary_hash_table(glossary_builder_t *b,
    uint32_t *nbuckets, uint32_t *max_probe);
static glossary_ref_t glossary_string(glossary_strings_t *s, const void *p,
    size_t len);
static glossary_ref_t glossary_string_hashed(glossary_strings_t *s,
    const void *p, size_t len, uint64_t h);
static glossary_ref_t glossary_text(glossary_strings_t *s,
    const glossary_text_t *t);
static void glossary_render_term(glossary_builder_t *b, glossary_gen_t *gen,
    uint32_t id);
static void glossary_render_related(glossary_builder_t *b,
    glossary_gen_t *gen, uint32_t id);
static void glossary_render_index(glossary_builder_t *b, glossary_gen_t *gen);
static int glossary_pwrite_all(int fd, const unsigned char *p, size_t size,
    off_t off);
static int glossary_write_chunks(glossary_out_t *out,
    const unsigned char *map, uint64_t off_strings, uint64_t len,
    uint64_t off_chunks, uint64_t eager);
static int glossary_strings_start(glossary_strings_t *s);
static void glossary_strings_stop(glossary_strings_t *s);
static void glossary_strings_free(glossary_strings_t *s);
static int glossary_out_open(glossary_out_t *o, const char *out);
static void glossary_out_abort(glossary_out_t *o);
static int glossary_out_commit(glossary_out_t *o, const char *out);
static int glossary_check_reserved(glossary_builder_t *b);
static void glossary_search_keys(glossary_builder_t *b,
    glossary_search_keys_t *sk);
static void glossary_search_write(glossary_builder_t *b,
    glossary_search_keys_t *sk, glossary_search_t *terms,
    glossary_search_t *words);
static void glossary_search_keys_free(glossary_search_keys_t *sk);
static size_t glossary_segments(const glossary_buf_t *page,
    glossary_segment_t *seg);
static void glossary_layout_place(glossary_layout_t *l);
static uint64_t glossary_layout_size(const glossary_layout_t *l, uint32_t id);
static void glossary_layout_table(const glossary_layout_t *l,
    glossary_section_t *sec);
static void *glossary_fixed(glossary_builder_t *b, uint32_t id);
static int glossary_job_commit(glossary_builder_t *b, glossary_job_t *job);
static int glossary_job_json(glossary_builder_t *b, glossary_gen_t *gen,
    glossary_job_t *job);
static glossary_job_t *glossary_job_add(glossary_batch_t *batch,
    glossary_doc_t *doc, const char *what, uint32_t id, int gzip);
static void glossary_job_free(glossary_job_t *job);
static void glossary_batches_free(glossary_batch_t *batch);
static int glossary_pool_start(glossary_pool_t *pool);
static void glossary_pool_submit(glossary_pool_t *pool,
    glossary_batch_t *batch);
static void glossary_pool_wait(glossary_pool_t *pool,
    glossary_batch_t *batch);
static void glossary_pool_stop(glossary_pool_t *pool);
static int glossary_render_item(glossary_builder_t *b,
    glossary_batch_t *batch, uint32_t item);
static const char *glossary_limit_name(const glossary_builder_t *b);
static int glossary_commit_batch(glossary_builder_t *b,
    glossary_batch_t *batch);
static int glossary_render_items(glossary_builder_t *b, uint64_t from,
    uint64_t to);
static int glossary_drain(glossary_builder_t *b, int cur, int rc);
static void glossary_render_search_result(glossary_builder_t *b,
    glossary_gen_t *gen, uint32_t id);
static void glossary_render_categories(glossary_builder_t *b,
    glossary_gen_t *gen);
static void glossary_render_category(glossary_builder_t *b,
    glossary_gen_t *gen, uint32_t c);


/* yajl generator, every status checked: the first failure is kept */

static void
glossary_gen_status(glossary_gen_t *gen, yajl_gen_status st)
{
    if (st != yajl_gen_status_ok && gen->status == yajl_gen_status_ok) {
        gen->status = st;
    }
}


static void
glossary_gen_key(glossary_gen_t *gen, const char *key)
{
    glossary_gen_status(gen, yajl_gen_string(gen->g,
                                             (const unsigned char *) key,
                                             strlen(key)));
}


static void
glossary_gen_text(glossary_gen_t *gen, const glossary_text_t *t)
{
    if (t->data == NULL) {
        glossary_gen_status(gen, yajl_gen_null(gen->g));
        return;
    }

    glossary_gen_status(gen, yajl_gen_string(gen->g,
                                             (const unsigned char *) t->data,
                                             t->len));
}


static void
glossary_gen_pair(glossary_gen_t *gen, const char *key,
    const glossary_text_t *t)
{
    glossary_gen_key(gen, key);
    glossary_gen_text(gen, t);
}


int
glossary_build(glossary_model_t *m, const glossary_build_conf_t *conf)
{
    int                 rc;
    glossary_builder_t  b;

    memset(&b, 0, sizeof(glossary_builder_t));
    b.conf = conf;
    b.model = m;
    b.out.fd = -1;
    b.max_size = (conf->max_size != 0
                  && conf->max_size < GLOSSARY_MAX_FILE_SIZE)
                 ? conf->max_size : GLOSSARY_MAX_FILE_SIZE;

    rc = glossary_build_check(&b);

    if (rc == GLOSSARY_EXIT_OK) {
        rc = glossary_build_lay_out(&b);
    }

    if (rc == GLOSSARY_EXIT_OK) {
        rc = glossary_build_open(&b);
    }

    if (rc == GLOSSARY_EXIT_OK) {
        rc = glossary_build_index(&b);
    }

    if (rc == GLOSSARY_EXIT_OK) {
        rc = glossary_build_render(&b);
    }

    if (rc == GLOSSARY_EXIT_OK) {
        rc = glossary_build_finish(&b);
    }

    if (rc == GLOSSARY_EXIT_OK) {
        rc = glossary_build_seal(&b);
    }

    if (rc == GLOSSARY_EXIT_OK) {
        rc = glossary_build_publish(&b);
    }

    glossary_build_cleanup(&b);

    return rc;
}


/*
 * The options and the template, then the terms: some, sorted by slug,
 * unique, no route name; their links resolved; the site's orders.
 */
static int
glossary_build_check(glossary_builder_t *b)
{
    int  rc;

    /* options and template first: their errors come before any note */
    rc = glossary_site_open(&b->site, &b->conf->site, b->conf->build_time,
                            b->conf->quiet);
    if (rc != GLOSSARY_EXIT_OK) {
        return rc;
    }

    if (b->model->nentries == 0) {
        glossary_error("no terms in the input: refusing to publish an empty "
                       "glossary");
        return GLOSSARY_EXIT_DATA;
    }

    b->entries = b->model->entries;
    b->n = (uint32_t) b->model->nentries;

    qsort(b->entries, b->n, sizeof(glossary_entry_t), glossary_entry_cmp);

    rc = glossary_check_duplicates(b);

    if (rc == GLOSSARY_EXIT_OK) {
        rc = glossary_check_reserved(b);
    }

    if (rc != GLOSSARY_EXIT_OK) {
        return rc;
    }

    glossary_resolve(b);

    return glossary_site_init(&b->site, b->entries, b->n, b->targets,
                              b->first_link);
}


/*
 * The search keys, the search page's segments and the slug index: then
 * every section but STRINGS and CHUNKS has a known size and a place, and
 * the records go into "fixed", the file up to STRINGS.
 */
static int
glossary_build_lay_out(glossary_builder_t *b)
{
    glossary_layout_t  *l;

    glossary_search_keys(b, &b->sk);

    glossary_page_search(&b->site, &b->page);
    b->nseg = glossary_segments(&b->page, NULL);

    if (b->nseg > GLOSSARY_MAX_SEGMENTS) {
        glossary_error("the search page has %zu parts, over the limit of %d: "
                       "does the template repeat the title too often?",
                       b->nseg, GLOSSARY_MAX_SEGMENTS);
        return GLOSSARY_EXIT_DATA;
    }

    b->nbuckets = 8;
    while (b->nbuckets < 2 * (uint64_t) b->n) {
        b->nbuckets *= 2;
    }

    b->buckets = glossary_hash_table(b, &b->nbuckets, &b->max_probe);

    /* the header and the section table first, then the sections */
    l = &b->lay;
    l->end = GLOSSARY_HEADER_SIZE
             + GLOSSARY_SECTIONS * sizeof(glossary_section_t);
    l->count[GLOSSARY_SECTION_STRINGS] = GLOSSARY_LATER;
    l->count[GLOSSARY_SECTION_CHUNKS] = GLOSSARY_LATER;
    l->count[GLOSSARY_SECTION_TERMS] = b->n;
    l->count[GLOSSARY_SECTION_RELATED] = b->nlinks;
    l->count[GLOSSARY_SECTION_HASH] = b->nbuckets;
    l->count[GLOSSARY_SECTION_DOCS] = (uint64_t) b->n
                                      * GLOSSARY_DOCS_PER_TERM_V1_1;
    l->count[GLOSSARY_SECTION_GLOBALS] = GLOSSARY_GLOBAL_DOCS_V1_1;
    l->count[GLOSSARY_SECTION_CATEGORIES] = b->site.ncats;
    l->count[GLOSSARY_SECTION_SEARCH_TERMS] = b->sk.nterms;
    l->count[GLOSSARY_SECTION_SEARCH_WORDS] = b->sk.nwords;
    l->count[GLOSSARY_SECTION_SEARCH_PAGE] = b->nseg;

    glossary_layout_place(l);

    b->fixed = glossary_xcalloc(1, glossary_align(l->end));

    b->docs = glossary_fixed(b, GLOSSARY_SECTION_DOCS);
    b->globals = glossary_fixed(b, GLOSSARY_SECTION_GLOBALS);
    b->cats = glossary_fixed(b, GLOSSARY_SECTION_CATEGORIES);

    return GLOSSARY_EXIT_OK;
}


/* the temporary file, the compression pool, the writer of STRINGS */
static int
glossary_build_open(glossary_builder_t *b)
{
    int  rc;

    rc = glossary_out_open(&b->out, b->conf->out);
    if (rc != GLOSSARY_EXIT_OK) {
        return rc;
    }

    rc = glossary_pool_start(&b->pool);
    b->pool_started = 1;

    if (rc != GLOSSARY_EXIT_OK) {
        return rc;
    }

    /* STRINGS goes where the sections placed so far end */
    b->strings.fd = b->out.fd;
    b->strings.base = glossary_align(b->lay.end);

    return glossary_strings_start(&b->strings);
}


/*
 * TERMS, RELATED, HASH, SEARCH_TERMS, SEARCH_WORDS and SEARCH_PAGE, their
 * strings first in STRINGS: what the documents may refer to, and what a
 * lazily verifying reader checks at load (the first "eager" bytes)
 */
static int
glossary_build_index(glossary_builder_t *b)
{
    size_t               j;
    uint32_t             id, link;
    glossary_hash_t     *hash;
    glossary_term_t     *t;
    glossary_entry_t    *e;
    glossary_related_t  *rel;
    glossary_segment_t  *seg;

    t = glossary_fixed(b, GLOSSARY_SECTION_TERMS);
    rel = glossary_fixed(b, GLOSSARY_SECTION_RELATED);

    for (id = 0; id < b->n; id++) {
        e = &b->entries[id];

        t[id].slug = glossary_text(&b->strings, &e->slug);
        t[id].term = glossary_text(&b->strings, &e->term);
        t[id].category = glossary_text(&b->strings, &e->category);
        t[id].short_definition = glossary_text(&b->strings,
                                               &e->short_definition);
        t[id].related_first = b->first_link[id];
        t[id].related_count = e->nrelated;

        for (j = 0; j < e->nrelated; j++) {
            link = b->first_link[id] + (uint32_t) j;

            rel[link].term_id = b->targets[link];
            rel[link].slug = glossary_text(&b->strings, &e->related[j].slug);
            rel[link].name = glossary_text(&b->strings, &e->related[j].name);
        }
    }

    /* linear probing, a bucket holds id + 1 */
    hash = glossary_fixed(b, GLOSSARY_SECTION_HASH);
    hash->bucket_count = b->nbuckets;
    hash->max_probe = b->max_probe;
    memcpy(hash + 1, b->buckets, (size_t) b->nbuckets * sizeof(uint32_t));

    glossary_search_write(b, &b->sk,
                          glossary_fixed(b, GLOSSARY_SECTION_SEARCH_TERMS),
                          glossary_fixed(b, GLOSSARY_SECTION_SEARCH_WORDS));

    seg = glossary_fixed(b, GLOSSARY_SECTION_SEARCH_PAGE);
    glossary_segments(&b->page, seg);

    for (j = 0; j < b->nseg; j++) {
        if (seg[j].kind == GLOSSARY_SEGMENT_TEXT) {
            seg[j].text = glossary_string(&b->strings,
                                          b->page.data + seg[j].text.off,
                                          seg[j].text.len);

        } else {
            seg[j].text = glossary_string(&b->strings, NULL, 0);
        }
    }

    glossary_buf_free(&b->page);

    b->eager = b->strings.len;

    return GLOSSARY_EXIT_OK;
}


/*
 * DOCS, GLOBALS, CATEGORIES.  Documents are rendered in batches; the
 * workers compress a batch while the next ones are rendered, and batches
 * are stored in order.  The global documents (the index, the sitemap, the
 * category list: as big as all the terms' names together) and the first
 * categories are rendered and compressed first, while the terms are
 * rendered, and stored after the terms; then the other categories.
 */
static int
glossary_build_render(glossary_builder_t *b)
{
    int                rc;
    uint64_t           early, nitems;
    glossary_batch_t  *gbatch;

    b->batches = glossary_xcalloc(GLOSSARY_QUEUE, sizeof(glossary_batch_t));
    gbatch = &b->batches[GLOSSARY_BATCHES];
    nitems = (uint64_t) b->n + 1 + b->site.ncats;

    rc = glossary_render_item(b, gbatch, b->n);

    for (early = (uint64_t) b->n + 1;
         early < nitems && rc == GLOSSARY_EXIT_OK
         && gbatch->n + GLOSSARY_ITEM_DOCS <= GLOSSARY_BATCH;
         early++)
    {
        rc = glossary_render_item(b, gbatch, (uint32_t) early);
    }

    if (rc != GLOSSARY_EXIT_OK) {
        return rc;
    }

    glossary_pool_submit(&b->pool, gbatch);

    rc = glossary_render_items(b, 0, b->n);

    glossary_pool_wait(&b->pool, gbatch);
    gbatch->queued = 0;

    if (rc == GLOSSARY_EXIT_OK) {
        rc = glossary_commit_batch(b, gbatch);
    }

    if (rc == GLOSSARY_EXIT_OK) {
        rc = glossary_render_items(b, early, nitems);
    }

    return rc;
}


/*
 * STRINGS is complete: CHUNKS goes after it, the blob's size is known and
 * checked, and the file gets everything before STRINGS.  What that needed
 * is released, the model too: the blob is mapped whole next.
 */
static int
glossary_build_finish(glossary_builder_t *b)
{
    glossary_layout_t  *l;
    glossary_header_t  *hd;

    glossary_strings_stop(&b->strings);

    l = &b->lay;
    l->count[GLOSSARY_SECTION_STRINGS] = b->strings.len;
    l->count[GLOSSARY_SECTION_CHUNKS] = (b->strings.len
                                         + ((uint64_t) 1
                                            << GLOSSARY_CHUNK_SHIFT) - 1)
                                        >> GLOSSARY_CHUNK_SHIFT;
    glossary_layout_place(l);
    b->total = l->end;

    if (b->total > b->max_size) {
        glossary_error("the blob would be %llu bytes, over the limit of "
                       "%llu%s", (unsigned long long) b->total,
                       (unsigned long long) b->max_size,
                       glossary_limit_name(b));
        return GLOSSARY_EXIT_DATA;
    }

    if (b->strings.werror) {
        glossary_error("%s: write: %s", b->out.tmp,
                       strerror(b->strings.werror));
        return GLOSSARY_EXIT_IO;
    }

    if (b->strings.error) {
        glossary_error("%s: read: %s", b->out.tmp,
                       strerror(b->strings.error));
        return GLOSSARY_EXIT_IO;
    }

    hd = (glossary_header_t *) b->fixed;
    memcpy(hd->magic, GLOSSARY_MAGIC, GLOSSARY_MAGIC_LEN);
    hd->version_major = GLOSSARY_VERSION_MAJOR;
    hd->version_minor = GLOSSARY_VERSION_MINOR;
    hd->byte_order = GLOSSARY_BYTE_ORDER;
    hd->file_size = b->total;
    hd->header_size = GLOSSARY_HEADER_SIZE;
    hd->section_count = GLOSSARY_SECTIONS;
    hd->section_table = GLOSSARY_HEADER_SIZE;
    hd->build_time = b->conf->build_time;
    hd->term_count = b->n;
    hd->docs_per_term = GLOSSARY_DOCS_PER_TERM_V1_1;
    hd->global_docs = GLOSSARY_GLOBAL_DOCS_V1_1;

    glossary_layout_table(l, (glossary_section_t *)
                             (b->fixed + GLOSSARY_HEADER_SIZE));

    if (glossary_pwrite_all(b->out.fd, b->fixed,
                            l->offset[GLOSSARY_SECTION_STRINGS], 0)
        == -1)
    {
        glossary_error("%s: write: %s", b->out.tmp, strerror(errno));
        return GLOSSARY_EXIT_IO;
    }

    b->no_base = (b->site.base.len == 0);
    glossary_build_release(b);

    return GLOSSARY_EXIT_OK;
}


/*
 * The file as written is what is checksummed and checked: CHUNKS from the
 * bytes of STRINGS, then the index checksum, then the checksum.
 */
static int
glossary_build_seal(glossary_builder_t *b)
{
    uint64_t  checksum, off, len;

    if (ftruncate(b->out.fd, (off_t) b->total) == -1) {
        glossary_error("%s: truncate: %s", b->out.tmp, strerror(errno));
        return GLOSSARY_EXIT_IO;
    }

    b->map = mmap(NULL, b->total, PROT_READ, MAP_SHARED | MAP_POPULATE,
                  b->out.fd, 0);

    if (b->map == MAP_FAILED) {
        b->map = NULL;
        glossary_error("%s: mmap: %s", b->out.tmp, strerror(errno));
        return GLOSSARY_EXIT_IO;
    }

    (void) madvise(b->map, b->total, MADV_SEQUENTIAL);

    off = b->lay.offset[GLOSSARY_SECTION_STRINGS];
    len = b->lay.count[GLOSSARY_SECTION_STRINGS];

    if (glossary_write_chunks(&b->out, b->map, off, len,
                              b->lay.offset[GLOSSARY_SECTION_CHUNKS],
                              b->eager)
        != GLOSSARY_EXIT_OK)
    {
        return GLOSSARY_EXIT_IO;
    }

    checksum = glossary_blob_index_checksum(b->map, b->total, off, len);

    if (glossary_pwrite_all(b->out.fd, (unsigned char *) &checksum,
                            sizeof(checksum),
                            offsetof(glossary_header_t, index_checksum))
        == -1)
    {
        glossary_error("%s: write: %s", b->out.tmp, strerror(errno));
        return GLOSSARY_EXIT_IO;
    }

    checksum = glossary_blob_checksum(b->map, b->total);

    if (glossary_pwrite_all(b->out.fd, (unsigned char *) &checksum,
                            sizeof(checksum),
                            offsetof(glossary_header_t, checksum))
        == -1)
    {
        glossary_error("%s: write: %s", b->out.tmp, strerror(errno));
        return GLOSSARY_EXIT_IO;
    }

    return GLOSSARY_EXIT_OK;
}


/* what nginx will refuse, opening it either way, is never published */
static int
glossary_build_publish(glossary_builder_t *b)
{
    int                rc;
    glossary_status_t  st;

    st = glossary_blob_open_flags(&b->check, b->map, b->total,
                                  GLOSSARY_OPEN_LAZY);

    if (st == GLOSSARY_OK) {
        st = glossary_blob_open(&b->check, b->map, b->total);
    }

    if (st != GLOSSARY_OK) {
        glossary_error("%s: internal error, the blob does not verify: %s: %s",
                       b->conf->out, glossary_blob_strerror(st),
                       b->check.detail);
        return GLOSSARY_EXIT_DATA;
    }

    munmap(b->map, b->total);
    b->map = NULL;

    rc = glossary_out_commit(&b->out, b->conf->out);
    b->committed = 1;

    if (rc == GLOSSARY_EXIT_OK && !b->conf->quiet && b->no_base) {
        glossary_error("no --base-url: the pages have no canonical link or "
                       "og:url, and the sitemap is empty");
    }

    if (rc == GLOSSARY_EXIT_OK && !b->conf->quiet) {
        glossary_error("%s: %u terms, %llu bytes, build %s", b->conf->out,
                       (unsigned) b->n, (unsigned long long) b->total,
                       b->check.build_id);
    }

    return rc;
}


/* the memory of everything before the file: once it is written, or at exit */
static void
glossary_build_release(glossary_builder_t *b)
{
    glossary_batches_free(b->batches);
    b->batches = NULL;
    glossary_strings_free(&b->strings);
    glossary_search_keys_free(&b->sk);
    glossary_buf_free(&b->page);
    glossary_site_free(&b->site);
    glossary_model_free(b->model);
    b->entries = NULL;

    free(b->targets);
    free(b->first_link);
    free(b->buckets);
    free(b->fixed);
    b->targets = NULL;
    b->first_link = NULL;
    b->buckets = NULL;
    b->fixed = NULL;

    malloc_trim(0);
}


/* whatever the step that stopped: the one way out */
static void
glossary_build_cleanup(glossary_builder_t *b)
{
    if (b->map != NULL) {
        munmap(b->map, b->total);
    }

    /* the writer stops before the file is closed */
    glossary_strings_stop(&b->strings);

    if (!b->committed) {
        glossary_out_abort(&b->out);
    }

    if (b->pool_started) {
        glossary_pool_stop(&b->pool);
    }

    glossary_build_release(b);
}


/*
 * The documents of an item into the batch: items are the terms, then the
 * global documents, then the categories, in the order their bytes are
 * stored.
 */
static int
glossary_render_item(glossary_builder_t *b, glossary_batch_t *batch,
    uint32_t item)
{
    int              rc;
    uint32_t         id, c;
    glossary_gen_t   gen;
    glossary_job_t  *job;
    glossary_doc_t  *d;

    if (item < b->n) {
        id = item;
        d = &b->docs[(size_t) id * GLOSSARY_DOCS_PER_TERM_V1_1];

        glossary_render_term(b, &gen, id);
        job = glossary_job_add(batch, &d[GLOSSARY_DOC_TERM_JSON], NULL, id, 1);
        rc = glossary_job_json(b, &gen, job);
        if (rc != GLOSSARY_EXIT_OK) {
            return rc;
        }

        glossary_render_related(b, &gen, id);
        job = glossary_job_add(batch, &d[GLOSSARY_DOC_RELATED_JSON], NULL, id,
                               1);
        rc = glossary_job_json(b, &gen, job);
        if (rc != GLOSSARY_EXIT_OK) {
            return rc;
        }

        job = glossary_job_add(batch, &d[GLOSSARY_DOC_TERM_HTML], NULL, id, 1);
        glossary_page_term(&b->site, id, &job->body);

        job = glossary_job_add(batch, &d[GLOSSARY_DOC_PAYLOAD], NULL, id, 1);
        glossary_payload(&b->site, id, &job->body);

        glossary_render_search_result(b, &gen, id);
        job = glossary_job_add(batch, &d[GLOSSARY_DOC_SEARCH_JSON], NULL, id,
                               0);
        rc = glossary_job_json(b, &gen, job);
        if (rc != GLOSSARY_EXIT_OK) {
            return rc;
        }

        job = glossary_job_add(batch, &d[GLOSSARY_DOC_SEARCH_HTML], NULL, id,
                               0);
        glossary_search_html(&b->site, id, &job->body);

        return GLOSSARY_EXIT_OK;
    }

    if (item == b->n) {
        d = b->globals;

        glossary_render_index(b, &gen);
        job = glossary_job_add(batch, &d[GLOSSARY_GLOBAL_INDEX_JSON],
                               "the index", 0, 1);
        rc = glossary_job_json(b, &gen, job);
        if (rc != GLOSSARY_EXIT_OK) {
            return rc;
        }

        job = glossary_job_add(batch, &d[GLOSSARY_GLOBAL_INDEX_HTML],
                               "the index", 0, 1);
        glossary_page_index(&b->site, &job->body);

        job = glossary_job_add(batch, &d[GLOSSARY_GLOBAL_SITEMAP],
                               "the sitemap", 0, 1);
        glossary_sitemap(&b->site, &job->body);

        job = glossary_job_add(batch, &d[GLOSSARY_GLOBAL_NOT_FOUND_HTML],
                               "the 404 page", 0, 1);
        glossary_page_not_found(&b->site, &job->body);

        job = glossary_job_add(batch, &d[GLOSSARY_GLOBAL_SEARCH_EMPTY_HTML],
                               "the empty search result", 0, 0);
        glossary_search_empty(&b->site, &job->body);

        glossary_render_categories(b, &gen);
        job = glossary_job_add(batch, &d[GLOSSARY_GLOBAL_CATEGORIES_JSON],
                               "the category list", 0, 1);
        rc = glossary_job_json(b, &gen, job);
        if (rc != GLOSSARY_EXIT_OK) {
            return rc;
        }

        job = glossary_job_add(batch, &d[GLOSSARY_GLOBAL_CATEGORIES_HTML],
                               "the category list", 0, 1);
        glossary_page_categories(&b->site, &job->body);

        return GLOSSARY_EXIT_OK;
    }

    c = item - b->n - 1;

    /* the record's slug and name are stored just before its documents */
    glossary_render_category(b, &gen, c);
    job = glossary_job_add(batch, &b->cats[c].json, NULL, c, 1);
    job->cat = &b->cats[c];
    job->category = 1;
    rc = glossary_job_json(b, &gen, job);
    if (rc != GLOSSARY_EXIT_OK) {
        return rc;
    }

    job = glossary_job_add(batch, &b->cats[c].html, NULL, c, 1);
    job->category = 1;
    glossary_page_category(&b->site, c, &job->body);

    return GLOSSARY_EXIT_OK;
}


/*
 * Items [from, to) through the ring of batches: a batch goes to the
 * workers when it is full or holds the last item, and the oldest one is
 * stored before its buffers are filled again.  Every batch is stored, or
 * after an error waited for, before it returns.
 */
static int
glossary_render_items(glossary_builder_t *b, uint64_t from, uint64_t to)
{
    int                rc, cur;
    uint64_t           item;
    glossary_batch_t  *batch;

    batch = b->batches;
    cur = 0;
    batch[cur].n = 0;
    rc = GLOSSARY_EXIT_OK;

    for (item = from; item < to && rc == GLOSSARY_EXIT_OK; item++) {
        rc = glossary_render_item(b, &batch[cur], (uint32_t) item);

        if (rc != GLOSSARY_EXIT_OK
            || (batch[cur].n + GLOSSARY_ITEM_DOCS <= GLOSSARY_BATCH
                && item + 1 < to))
        {
            continue;
        }

        glossary_pool_submit(&b->pool, &batch[cur]);

        /* the next batch to render into is the oldest one submitted */
        cur = (cur + 1) % GLOSSARY_BATCHES;

        if (batch[cur].queued) {
            glossary_pool_wait(&b->pool, &batch[cur]);
            batch[cur].queued = 0;
            rc = glossary_commit_batch(b, &batch[cur]);
        }

        batch[cur].n = 0;
    }

    return glossary_drain(b, cur, rc);
}


/*
 * Stores the ring's queued batches, oldest first (cur is the one being
 * filled); after an error (rc) only waits for them.
 */
static int
glossary_drain(glossary_builder_t *b, int cur, int rc)
{
    int                k, i;
    glossary_batch_t  *batch;

    batch = b->batches;

    for (k = 1; k <= GLOSSARY_BATCHES; k++) {
        i = (cur + k) % GLOSSARY_BATCHES;

        if (!batch[i].queued) {
            continue;
        }

        glossary_pool_wait(&b->pool, &batch[i]);
        batch[i].queued = 0;

        if (rc == GLOSSARY_EXIT_OK) {
            rc = glossary_commit_batch(b, &batch[i]);
        }
    }

    return rc;
}


/*
 * a compressed batch into STRINGS, in document order; a glossary too big
 * for the limit is refused as soon as STRINGS alone passes it, not after
 * every document has been rendered and written out
 */
static int
glossary_commit_batch(glossary_builder_t *b, glossary_batch_t *batch)
{
    int       rc;
    size_t    i;
    uint32_t  terms;

    terms = 0;

    for (i = 0; i < batch->n; i++) {
        rc = glossary_job_commit(b, &batch->jobs[i]);
        if (rc != GLOSSARY_EXIT_OK) {
            return rc;
        }

        if (batch->jobs[i].what == NULL && !batch->jobs[i].category) {
            terms = batch->jobs[i].id + 1;
        }
    }

    if (b->strings.base + b->strings.len > b->max_size) {
        if (terms == 0) {
            terms = b->n;       /* the global documents, stored last */
        }

        glossary_error("the blob would be over the limit of %llu bytes%s: "
                       "the documents of %u of its %u terms take %llu "
                       "bytes; stopped", (unsigned long long) b->max_size,
                       glossary_limit_name(b), terms, b->n,
                       (unsigned long long) b->strings.len);
        return GLOSSARY_EXIT_DATA;
    }

    return GLOSSARY_EXIT_OK;
}


static const char *
glossary_limit_name(const glossary_builder_t *b)
{
    return (b->max_size < GLOSSARY_MAX_FILE_SIZE) ? " (--max-size)"
                                                   : " (the format's)";
}


static int
glossary_entry_cmp(const void *a, const void *b)
{
    int                      rc;
    const glossary_entry_t  *x, *y;

    x = a;
    y = b;

    rc = glossary_text_cmp(&x->slug, &y->slug);
    if (rc != 0) {
        return rc;
    }

    /* equal slugs stay in input order: the first one is the original */
    return (x->seq > y->seq) - (x->seq < y->seq);
}


static int
glossary_check_duplicates(glossary_builder_t *b)
{
    uint32_t           i;
    glossary_entry_t  *e, *dup;

    dup = NULL;

    for (i = 1; i < b->n; i++) {
        e = &b->entries[i];

        if (glossary_text_cmp(&e->slug, &e[-1].slug) == 0
            && (dup == NULL || e->seq < dup->seq))
        {
            dup = e;
        }
    }

    if (dup == NULL) {
        return GLOSSARY_EXIT_OK;
    }

    /* the first definition sorts first among the equal ones */
    for (e = dup; e > b->entries
                  && glossary_text_cmp(&e[-1].slug, &dup->slug) == 0; e--)
    {
        /* void */
    }

    glossary_error_at(&dup->loc, "duplicate slug \"%s\" (first defined at "
                      "%s:%u:%u)", dup->slug.data, e->loc.file,
                      (unsigned) e->loc.line, (unsigned) e->loc.column);

    return GLOSSARY_EXIT_DATA;
}


static uint32_t
glossary_find(glossary_builder_t *b, const glossary_text_t *s)
{
    int       rc;
    uint32_t  lo, hi, mid;

    lo = 0;
    hi = b->n;

    while (lo < hi) {
        mid = lo + (hi - lo) / 2;
        rc = glossary_text_cmp(&b->entries[mid].slug, s);

        if (rc == 0) {
            return mid;
        }

        if (rc < 0) {
            lo = mid + 1;

        } else {
            hi = mid;
        }
    }

    return GLOSSARY_NO_TERM;
}


static void
glossary_resolve(glossary_builder_t *b)
{
    size_t             dangling;
    uint32_t           id, j, link, first_from, first_to;
    glossary_entry_t  *e;

    b->first_link = glossary_xmalloc((size_t) b->n * sizeof(uint32_t));
    b->nlinks = 0;

    for (id = 0; id < b->n; id++) {
        b->first_link[id] = b->nlinks;
        b->nlinks += b->entries[id].nrelated;
    }

    b->targets = glossary_xmalloc((size_t) b->nlinks * sizeof(uint32_t));

    dangling = 0;
    first_from = 0;
    first_to = 0;

    for (id = 0; id < b->n; id++) {
        e = &b->entries[id];

        for (j = 0; j < e->nrelated; j++) {
            link = b->first_link[id] + j;
            b->targets[link] = glossary_find(b, &e->related[j].slug);

            if (b->targets[link] == GLOSSARY_NO_TERM) {
                if (dangling++ == 0) {
                    first_from = id;
                    first_to = j;
                }
            }
        }
    }

    if (dangling == 0 || b->conf->quiet) {
        return;
    }

    /* a dangling reference is allowed: it stays a name without a link */
    e = &b->entries[first_from];

    glossary_error("%zu related reference%s to %s not in the glossary "
                   "(first: %s -> %s)", dangling, dangling == 1 ? "" : "s",
                   dangling == 1 ? "a term" : "terms", e->slug.data,
                   e->related[first_to].slug.data);
}


/*
 * Linear probing, a bucket holds id + 1.  The reader gives up after
 * max_probe + 1 buckets and refuses a max_probe over GLOSSARY_MAX_PROBE;
 * at a load of one half that is practically never reached, but if it is,
 * a table twice as large is tried.
 */
static uint32_t *
glossary_hash_table(glossary_builder_t *b, uint32_t *nbuckets,
    uint32_t *max_probe)
{
    uint32_t   id, mask, home, k, dist, *buckets;

    for ( ;; ) {
        buckets = glossary_xcalloc(*nbuckets, sizeof(uint32_t));

        mask = *nbuckets - 1;
        *max_probe = 0;

        for (id = 0; id < b->n; id++) {
            home = (uint32_t) glossary_blob_hash(b->entries[id].slug.data,
                                                 b->entries[id].slug.len)
                   & mask;

            for (k = home; buckets[k] != 0; k = (k + 1) & mask) {
                /* void */
            }

            buckets[k] = id + 1;

            dist = (k - home) & mask;
            if (dist > *max_probe) {
                *max_probe = dist;
            }
        }

        if (*max_probe <= GLOSSARY_MAX_PROBE || *nbuckets >= (1u << 31)) {
            return buckets;
        }

        free(buckets);
        *nbuckets *= 2;
    }
}


/* CHUNKS: the hash of each chunk of STRINGS as written */

static int
glossary_write_chunks(glossary_out_t *out, const unsigned char *map,
    uint64_t off_strings, uint64_t len, uint64_t off_chunks, uint64_t eager)
{
    int                 rc;
    uint64_t            i, n, *hashes;
    glossary_chunks_t  *c;

    n = (len + ((uint64_t) 1 << GLOSSARY_CHUNK_SHIFT) - 1)
        >> GLOSSARY_CHUNK_SHIFT;

    c = glossary_xmalloc(sizeof(glossary_chunks_t) + n * sizeof(uint64_t));
    c->chunk_shift = GLOSSARY_CHUNK_SHIFT;
    c->reserved = 0;
    c->eager_size = eager;

    hashes = (uint64_t *) (c + 1);

    for (i = 0; i < n; i++) {
        hashes[i] = glossary_blob_chunk_hash(map, off_strings, len,
                                             GLOSSARY_CHUNK_SHIFT, i);
    }

    rc = GLOSSARY_EXIT_OK;

    if (glossary_pwrite_all(out->fd, (unsigned char *) c,
                            sizeof(glossary_chunks_t) + n * sizeof(uint64_t),
                            (off_t) off_chunks)
        == -1)
    {
        glossary_error("%s: write: %s", out->tmp, strerror(errno));
        rc = GLOSSARY_EXIT_IO;
    }

    free(c);

    return rc;
}


/* STRINGS */

static int
glossary_pwrite_all(int fd, const unsigned char *p, size_t size, off_t off)
{
    ssize_t  n;

    while (size > 0) {
        n = pwrite(fd, p, size > ((size_t) 1 << 30) ? (size_t) 1 << 30 : size,
                   off);

        if (n == -1) {
            if (errno == EINTR) {
                continue;
            }

            return -1;
        }

        p += n;
        off += n;
        size -= n;
    }

    return 0;
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


static int
glossary_strings_start(glossary_strings_t *s)
{
    int  i, err;

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


/* everything to the file, and the writer gone; may be called again */
static void
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


/* the buffers and the dedup table, once the writer is stopped */
static void
glossary_strings_free(glossary_strings_t *s)
{
    int  i;

    for (i = 0; i < GLOSSARY_WBUFS; i++) {
        free(s->bufs[i]);
        s->bufs[i] = NULL;
    }

    free(s->small);
    free(s->slots);
    s->buf = NULL;
    s->small = NULL;
    s->slots = NULL;
    s->nsmall = 0;
    s->small_alloc = 0;
    s->nslots = 0;
    s->used = 0;
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


static glossary_ref_t
glossary_string(glossary_strings_t *s, const void *p, size_t len)
{
    if (len == 0) {
        return glossary_string_hashed(s, p, 0, 0);
    }

    return glossary_string_hashed(s, p, len, XXH3_64bits(p, len));
}


/* h is XXH3_64bits(p, len), computed by a worker for a document's ETag */
static glossary_ref_t
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


static glossary_ref_t
glossary_text(glossary_strings_t *s, const glossary_text_t *t)
{
    return glossary_string(s, t->data, t->data ? t->len : 0);
}


/* documents */

static void
glossary_gen_open(glossary_gen_t *gen)
{
    gen->status = yajl_gen_status_ok;
    gen->g = yajl_gen_alloc(NULL);

    if (gen->g == NULL) {
        glossary_out_of_memory(0);
    }

    /* compact JSON, and never a byte that is not UTF-8 */
    if (!yajl_gen_config(gen->g, yajl_gen_beautify, 0)
        || !yajl_gen_config(gen->g, yajl_gen_validate_utf8, 1))
    {
        gen->status = -1;
    }
}


static void
glossary_render_term(glossary_builder_t *b, glossary_gen_t *gen, uint32_t id)
{
    uint32_t           j, target;
    glossary_entry_t  *e, *to;

    e = &b->entries[id];

    glossary_gen_open(gen);
    glossary_gen_status(gen, yajl_gen_map_open(gen->g));

    glossary_gen_pair(gen, "slug", &e->slug);
    glossary_gen_pair(gen, "term", &e->term);
    glossary_gen_pair(gen, "shortDefinition", &e->short_definition);
    glossary_gen_pair(gen, "seoTitle", &e->seo_title);
    glossary_gen_pair(gen, "seoDescription", &e->seo_description);
    glossary_gen_pair(gen, "explanation", &e->explanation);
    glossary_gen_pair(gen, "category", &e->category);

    glossary_gen_key(gen, "relatedTerms");
    glossary_gen_status(gen, yajl_gen_array_open(gen->g));

    for (j = 0; j < e->nrelated; j++) {
        glossary_gen_status(gen, yajl_gen_map_open(gen->g));
        glossary_gen_pair(gen, "slug", &e->related[j].slug);
        glossary_gen_pair(gen, "name", &e->related[j].name);

        target = b->targets[b->first_link[id] + j];

        if (target != GLOSSARY_NO_TERM) {
            to = &b->entries[target];
            glossary_gen_pair(gen, "term", &to->term);
            glossary_gen_pair(gen, "shortDefinition", &to->short_definition);
        }

        glossary_gen_status(gen, yajl_gen_map_close(gen->g));
    }

    glossary_gen_status(gen, yajl_gen_array_close(gen->g));

    glossary_gen_key(gen, "faq");
    glossary_gen_status(gen, yajl_gen_array_open(gen->g));

    for (j = 0; j < e->nfaq; j++) {
        glossary_gen_status(gen, yajl_gen_map_open(gen->g));
        glossary_gen_pair(gen, "question", &e->faq[j].question);
        glossary_gen_pair(gen, "answer", &e->faq[j].answer);
        glossary_gen_status(gen, yajl_gen_map_close(gen->g));
    }

    glossary_gen_status(gen, yajl_gen_array_close(gen->g));
    glossary_gen_status(gen, yajl_gen_map_close(gen->g));
}


static void
glossary_render_related(glossary_builder_t *b, glossary_gen_t *gen,
    uint32_t id)
{
    uint32_t           j, target;
    glossary_entry_t  *e, *to;

    e = &b->entries[id];

    glossary_gen_open(gen);
    glossary_gen_status(gen, yajl_gen_array_open(gen->g));

    for (j = 0; j < e->nrelated; j++) {
        glossary_gen_status(gen, yajl_gen_map_open(gen->g));
        glossary_gen_pair(gen, "slug", &e->related[j].slug);

        target = b->targets[b->first_link[id] + j];

        if (target != GLOSSARY_NO_TERM) {
            to = &b->entries[target];
            glossary_gen_pair(gen, "term", &to->term);
            glossary_gen_pair(gen, "shortDefinition", &to->short_definition);

        } else {
            glossary_gen_pair(gen, "name", &e->related[j].name);
        }

        glossary_gen_status(gen, yajl_gen_map_close(gen->g));
    }

    glossary_gen_status(gen, yajl_gen_array_close(gen->g));
}


static void
glossary_render_index(glossary_builder_t *b, glossary_gen_t *gen)
{
    uint32_t           i;
    glossary_entry_t  *e;

    glossary_gen_open(gen);
    glossary_gen_status(gen, yajl_gen_array_open(gen->g));

    for (i = 0; i < b->n; i++) {
        e = &b->entries[b->site.order[i]];

        glossary_gen_status(gen, yajl_gen_map_open(gen->g));
        glossary_gen_pair(gen, "slug", &e->slug);
        glossary_gen_pair(gen, "term", &e->term);
        glossary_gen_pair(gen, "category", &e->category);
        glossary_gen_status(gen, yajl_gen_map_close(gen->g));
    }

    glossary_gen_status(gen, yajl_gen_array_close(gen->g));
}


/* one search hit: the module joins them with commas inside [ ] */
static void
glossary_render_search_result(glossary_builder_t *b, glossary_gen_t *gen,
    uint32_t id)
{
    glossary_entry_t  *e;

    e = &b->entries[id];

    glossary_gen_open(gen);
    glossary_gen_status(gen, yajl_gen_map_open(gen->g));
    glossary_gen_pair(gen, "slug", &e->slug);
    glossary_gen_pair(gen, "term", &e->term);
    glossary_gen_pair(gen, "shortDefinition", &e->short_definition);
    glossary_gen_pair(gen, "category", &e->category);
    glossary_gen_status(gen, yajl_gen_map_close(gen->g));
}


static void
glossary_render_categories(glossary_builder_t *b, glossary_gen_t *gen)
{
    uint32_t         c;
    glossary_cat_t  *cat;

    glossary_gen_open(gen);
    glossary_gen_status(gen, yajl_gen_array_open(gen->g));

    for (c = 0; c < b->site.ncats; c++) {
        cat = &b->site.cats[c];

        glossary_gen_status(gen, yajl_gen_map_open(gen->g));
        glossary_gen_pair(gen, "slug", &cat->slug);
        glossary_gen_pair(gen, "name", &cat->name);
        glossary_gen_key(gen, "count");
        glossary_gen_status(gen, yajl_gen_integer(gen->g, cat->nterms));
        glossary_gen_status(gen, yajl_gen_map_close(gen->g));
    }

    glossary_gen_status(gen, yajl_gen_array_close(gen->g));
}


static void
glossary_render_category(glossary_builder_t *b, glossary_gen_t *gen,
    uint32_t c)
{
    uint32_t           i;
    glossary_cat_t    *cat;
    glossary_entry_t  *e;

    cat = &b->site.cats[c];

    glossary_gen_open(gen);
    glossary_gen_status(gen, yajl_gen_map_open(gen->g));
    glossary_gen_pair(gen, "slug", &cat->slug);
    glossary_gen_pair(gen, "name", &cat->name);
    glossary_gen_key(gen, "terms");
    glossary_gen_status(gen, yajl_gen_array_open(gen->g));

    for (i = 0; i < cat->nterms; i++) {
        e = &b->entries[cat->terms[i]];

        glossary_gen_status(gen, yajl_gen_map_open(gen->g));
        glossary_gen_pair(gen, "slug", &e->slug);
        glossary_gen_pair(gen, "term", &e->term);
        glossary_gen_pair(gen, "shortDefinition", &e->short_definition);
        glossary_gen_status(gen, yajl_gen_map_close(gen->g));
    }

    glossary_gen_status(gen, yajl_gen_array_close(gen->g));
    glossary_gen_status(gen, yajl_gen_map_close(gen->g));
}


static glossary_ref_t
glossary_etag(glossary_strings_t *s, uint64_t hash)
{
    char  etag[GLOSSARY_ETAG_LEN + 1];

    snprintf(etag, sizeof(etag), "\"%016llx\"", (unsigned long long) hash);

    return glossary_string(s, etag, GLOSSARY_ETAG_LEN);
}


static int
glossary_job_compressed(const glossary_job_t *job)
{
    /* a body that big goes uncompressed, as the format's limits say */
    return job->gzip && job->body.len != 0
           && job->body.len <= GLOSSARY_GZIP_MAX;
}


/* the ETags and the gzip variant of a rendered body: any thread */
static void
glossary_job_run(glossary_job_t *job, struct libdeflate_compressor *z)
{
    size_t  bound;

    job->etag = XXH3_64bits(job->body.data, job->body.len);
    job->gz_len = 0;
    job->failed = 0;

    if (!glossary_job_compressed(job)) {
        return;
    }

    bound = libdeflate_gzip_compress_bound(z, job->body.len);

    if (job->gz_alloc < bound) {
        free(job->gz);
        job->gz = glossary_xmalloc(bound);
        job->gz_alloc = bound;
    }

    /* a gzip member with mtime 0: reproducible */
    job->gz_len = libdeflate_gzip_compress(z, job->body.data, job->body.len,
                                           job->gz, bound);

    if (job->gz_len == 0) {
        job->failed = 1;
        return;
    }

    if (job->gz_len < job->body.len) {
        job->gz_etag = XXH3_64bits(job->gz, job->gz_len);
    }
}


/* what a job is, for messages */
static void
glossary_job_what(glossary_builder_t *b, glossary_job_t *job, char *what,
    size_t size)
{
    if (job->what != NULL) {
        snprintf(what, size, "%s", job->what);

    } else if (job->category) {
        snprintf(what, size, "category \"%s\"",
                 b->site.cats[job->id].slug.data);

    } else {
        snprintf(what, size, "term \"%s\"", b->entries[job->id].slug.data);
    }
}


/*
 * Stores a body, its ETag, and with gzip the gzip variant when it is
 * strictly smaller.
 */
static int
glossary_job_commit(glossary_builder_t *b, glossary_job_t *job)
{
    char                  what[GLOSSARY_MAX_SLUG_LEN + 32];
    glossary_doc_t       *doc;
    glossary_cat_t       *c;

    if (job->cat != NULL) {
        c = &b->site.cats[job->id];

        job->cat->slug = glossary_text(&b->strings, &c->slug);
        job->cat->name = glossary_text(&b->strings, &c->name);
        job->cat->term_count = c->nterms;
    }

    doc = job->doc;

    doc->body = glossary_string_hashed(&b->strings, job->body.data,
                                       job->body.len, job->etag);
    doc->etag = glossary_etag(&b->strings, job->etag);
    doc->gzip_body = glossary_string(&b->strings, NULL, 0);
    doc->gzip_etag = doc->gzip_body;

    if (!glossary_job_compressed(job)) {
        return GLOSSARY_EXIT_OK;
    }

    if (job->failed) {
        glossary_job_what(b, job, what, sizeof(what));
        glossary_error("%s: gzip compression failed", what);
        return GLOSSARY_EXIT_IO;
    }

    if (job->gz_len < job->body.len) {
        doc->gzip_body = glossary_string_hashed(&b->strings, job->gz,
                                                job->gz_len, job->gz_etag);
        doc->gzip_etag = glossary_etag(&b->strings, job->gz_etag);
    }

    return GLOSSARY_EXIT_OK;
}


/* the generator's JSON into the job; frees the generator */
static int
glossary_job_json(glossary_builder_t *b, glossary_gen_t *gen,
    glossary_job_t *job)
{
    char                  what[GLOSSARY_MAX_SLUG_LEN + 32];
    size_t                len;
    const unsigned char  *body;

    if (gen->status != yajl_gen_status_ok
        || yajl_gen_get_buf(gen->g, &body, &len) != yajl_gen_status_ok)
    {
        glossary_job_what(b, job, what, sizeof(what));
        glossary_error("%s: cannot render JSON (yajl_gen status %d)", what,
                       gen->status);
        yajl_gen_free(gen->g);
        return GLOSSARY_EXIT_DATA;
    }

    job->body.len = 0;
    glossary_buf_add(&job->body, body, len);
    yajl_gen_free(gen->g);

    return GLOSSARY_EXIT_OK;
}


static glossary_job_t *
glossary_job_add(glossary_batch_t *batch, glossary_doc_t *doc,
    const char *what, uint32_t id, int gzip)
{
    glossary_job_t  *job;

    job = &batch->jobs[batch->n++];

    job->body.len = 0;
    job->doc = doc;
    job->cat = NULL;
    job->what = what;
    job->id = id;
    job->category = 0;
    job->gzip = gzip;

    return job;
}


static void
glossary_job_free(glossary_job_t *job)
{
    glossary_buf_free(&job->body);
    free(job->gz);
    job->gz = NULL;
    job->gz_alloc = 0;
}


/* the ring of batches and the global one, with their buffers; NULL: none */
static void
glossary_batches_free(glossary_batch_t *batch)
{
    size_t  k;

    if (batch == NULL) {
        return;
    }

    for (k = 0; k < GLOSSARY_QUEUE * GLOSSARY_BATCH; k++) {
        glossary_job_free(&batch[k / GLOSSARY_BATCH].jobs[k % GLOSSARY_BATCH]);
    }

    free(batch);
}


/* worker threads */

typedef struct {
    glossary_pool_t  *pool;
    struct libdeflate_compressor  *z;
} glossary_worker_arg_t;


static void *
glossary_worker(void *data)
{
    glossary_job_t    *job;
    glossary_pool_t   *pool;
    glossary_batch_t  *batch;

    struct libdeflate_compressor  *z;

    pool = ((glossary_worker_arg_t *) data)->pool;
    z = ((glossary_worker_arg_t *) data)->z;
    free(data);

    pthread_mutex_lock(&pool->lock);

    for ( ;; ) {
        while (!pool->quit && pool->head == pool->tail) {
            pthread_cond_wait(&pool->work, &pool->lock);
        }

        if (pool->head == pool->tail) {
            break;
        }

        batch = pool->queue[pool->head % GLOSSARY_QUEUE];
        job = &batch->jobs[batch->next++];

        if (batch->next == batch->n) {
            pool->head++;
        }

        pthread_mutex_unlock(&pool->lock);

        glossary_job_run(job, z);

        pthread_mutex_lock(&pool->lock);

        if (++batch->finished == batch->n) {
            pthread_cond_broadcast(&pool->done);
        }
    }

    pthread_mutex_unlock(&pool->lock);

    return NULL;
}


static int
glossary_pool_start(glossary_pool_t *pool)
{
    int                     i, err;
    glossary_worker_arg_t  *arg;

    memset(pool, 0, sizeof(glossary_pool_t));

    pthread_mutex_init(&pool->lock, NULL);
    pthread_cond_init(&pool->work, NULL);
    pthread_cond_init(&pool->done, NULL);

    for (i = 0; i < GLOSSARY_WORKERS; i++) {
        pool->z[i] = libdeflate_alloc_compressor(GLOSSARY_GZIP_LEVEL);
        if (pool->z[i] == NULL) {
            glossary_out_of_memory(0);     /* the level is a valid one */
        }

        pool->nz++;
    }

    for (i = 0; i < GLOSSARY_WORKERS; i++) {
        arg = glossary_xmalloc(sizeof(glossary_worker_arg_t));
        arg->pool = pool;
        arg->z = pool->z[i];

        err = pthread_create(&pool->threads[i], NULL, glossary_worker, arg);
        if (err != 0) {
            free(arg);
            glossary_error("cannot start a thread: %s", strerror(err));
            return GLOSSARY_EXIT_IO;
        }

        pool->nthreads++;
    }

    return GLOSSARY_EXIT_OK;
}


/* a batch of at least one job to the workers; at most GLOSSARY_QUEUE */
static void
glossary_pool_submit(glossary_pool_t *pool, glossary_batch_t *batch)
{
    pthread_mutex_lock(&pool->lock);

    batch->next = 0;
    batch->finished = 0;
    batch->queued = 1;
    pool->queue[pool->tail++ % GLOSSARY_QUEUE] = batch;

    pthread_cond_broadcast(&pool->work);
    pthread_mutex_unlock(&pool->lock);
}


static void
glossary_pool_wait(glossary_pool_t *pool, glossary_batch_t *batch)
{
    pthread_mutex_lock(&pool->lock);

    while (batch->finished < batch->n) {
        pthread_cond_wait(&pool->done, &pool->lock);
    }

    pthread_mutex_unlock(&pool->lock);
}


static void
glossary_pool_stop(glossary_pool_t *pool)
{
    int  i;

    pthread_mutex_lock(&pool->lock);
    pool->quit = 1;
    pthread_cond_broadcast(&pool->work);
    pthread_mutex_unlock(&pool->lock);

    for (i = 0; i < pool->nthreads; i++) {
        pthread_join(pool->threads[i], NULL);
    }

    for (i = 0; i < pool->nz; i++) {
        libdeflate_free_compressor(pool->z[i]);
    }

    pthread_cond_destroy(&pool->done);
    pthread_cond_destroy(&pool->work);
    pthread_mutex_destroy(&pool->lock);
}


/*
 * Places the sections whose counts are known and that are not placed yet,
 * in the order of glossary_sections[], each 8-byte aligned after the one
 * before (l->end).
 */
static void
glossary_layout_place(glossary_layout_t *l)
{
    const glossary_section_def_t  *def;

    for (def = glossary_sections; def < glossary_sections + GLOSSARY_SECTIONS;
         def++)
    {
        if (l->offset[def->id] != 0 || l->count[def->id] == GLOSSARY_LATER) {
            continue;
        }

        l->offset[def->id] = glossary_align(l->end);
        l->end = l->offset[def->id] + glossary_layout_size(l, def->id);
    }
}


static uint64_t
glossary_layout_size(const glossary_layout_t *l, uint32_t id)
{
    const glossary_section_def_t  *def;

    def = glossary_blob_section_def(id);

    return def->header_size + l->count[id] * def->record_size;
}


/* where a section's records go in the buffer of the file up to STRINGS */
static void *
glossary_fixed(glossary_builder_t *b, uint32_t id)
{
    return b->fixed + b->lay.offset[id];
}


/* the section table: every section, by id */
static void
glossary_layout_table(const glossary_layout_t *l, glossary_section_t *sec)
{
    uint32_t  id;

    for (id = 1; id <= GLOSSARY_SECTION_LAST; id++) {
        sec[id - 1].id = id;
        sec[id - 1].offset = l->offset[id];
        sec[id - 1].size = glossary_layout_size(l, id);
    }
}


/* the search page at its markers: counts, and fills seg when not NULL */
static size_t
glossary_segments(const glossary_buf_t *page, glossary_segment_t *seg)
{
    size_t  i, start, n;

    n = 0;
    start = 0;

    for (i = 0; i <= page->len; i++) {
        if (i < page->len
            && page->data[i] != GLOSSARY_MARK_QUERY
            && page->data[i] != GLOSSARY_MARK_RESULTS)
        {
            continue;
        }

        if (i > start) {
            if (seg) {
                seg[n].kind = GLOSSARY_SEGMENT_TEXT;
                seg[n].text.off = start;
                seg[n].text.len = i - start;
            }

            n++;
        }

        if (i < page->len) {
            if (seg) {
                seg[n].kind = page->data[i] == GLOSSARY_MARK_QUERY
                              ? GLOSSARY_SEGMENT_QUERY
                              : GLOSSARY_SEGMENT_RESULTS;
            }

            n++;
        }

        start = i + 1;
    }

    return n;
}


/* reserved slugs: route names that a term page would shadow */
static int
glossary_check_reserved(glossary_builder_t *b)
{
    size_t             i;
    uint32_t           id;
    glossary_entry_t  *e, *bad;

    static const char  *reserved[] = { "category", "search", NULL };

    bad = NULL;

    for (id = 0; id < b->n; id++) {
        e = &b->entries[id];

        for (i = 0; reserved[i] != NULL; i++) {
            if (e->slug.len == strlen(reserved[i])
                && memcmp(e->slug.data, reserved[i], e->slug.len) == 0
                && (bad == NULL || e->seq < bad->seq))
            {
                bad = e;
            }
        }
    }

    if (bad == NULL) {
        return GLOSSARY_EXIT_OK;
    }

    glossary_error_at(&bad->loc, "slug \"%s\" is reserved: {prefix}%s is "
                      "a route of the module", bad->slug.data,
                      bad->slug.data);

    return GLOSSARY_EXIT_DATA;
}


/* search index */

static int
glossary_skey_cmp(const void *a, const void *b)
{
    int                     rc;
    size_t                  n;
    const glossary_skey_t  *x, *y;

    x = a;
    y = b;

    n = x->len < y->len ? x->len : y->len;
    rc = memcmp(x->key, y->key, n);

    if (rc != 0) {
        return rc;
    }

    if (x->len != y->len) {
        return x->len < y->len ? -1 : 1;
    }

    if (x->order != y->order) {
        return x->order < y->order ? -1 : 1;
    }

    if (x->slug != y->slug) {
        return x->slug < y->slug ? -1 : 1;
    }

    return (x->skip > y->skip) - (x->skip < y->skip);
}


static void
glossary_search_keys(glossary_builder_t *b, glossary_search_keys_t *sk)
{
    size_t             i, len, nwords;
    uint32_t           id;
    glossary_entry_t  *e;
    glossary_skey_t   *k;

    sk->name = glossary_xmalloc((size_t) b->n * sizeof(unsigned char *));
    sk->name_len = glossary_xmalloc((size_t) b->n * sizeof(size_t));
    sk->slug = glossary_xmalloc((size_t) b->n * sizeof(unsigned char *));
    sk->slug_len = glossary_xmalloc((size_t) b->n * sizeof(size_t));
    sk->terms = glossary_xmalloc(((size_t) b->n * 2 + 1)
                                 * sizeof(glossary_skey_t));
    sk->nterms = 0;
    sk->nwords = 0;

    nwords = 0;

    for (id = 0; id < b->n; id++) {
        e = &b->entries[id];

        sk->name[id] = glossary_xmalloc(e->term.len + 1);
        sk->name_len[id] = glossary_fold(sk->name[id],
                                         (const unsigned char *) e->term.data,
                                         e->term.len);
        sk->slug[id] = glossary_xmalloc(e->slug.len + 1);
        sk->slug_len[id] = glossary_fold(sk->slug[id],
                                         (const unsigned char *) e->slug.data,
                                         e->slug.len);
        sk->n = id + 1;

        for (i = 0; i < sk->name_len[id]; i++) {
            nwords += (sk->name[id][i] == ' ');
        }
    }

    sk->words = glossary_xmalloc((nwords + 1) * sizeof(glossary_skey_t));

    for (id = 0; id < b->n; id++) {
        len = sk->name_len[id];

        if (len > 0) {
            k = &sk->terms[sk->nterms++];
            k->key = sk->name[id];
            k->len = len;
            k->id = id;
            k->order = b->site.rank[id];
            k->skip = 0;
            k->slug = 0;
        }

        if (sk->slug_len[id] > 0
            && (sk->slug_len[id] != len
                || memcmp(sk->slug[id], sk->name[id], len) != 0))
        {
            k = &sk->terms[sk->nterms++];
            k->key = sk->slug[id];
            k->len = sk->slug_len[id];
            k->id = id;
            k->order = b->site.rank[id];
            k->skip = 0;
            k->slug = 1;
        }

        nwords = 0;

        for (i = 0; i < len && nwords < GLOSSARY_MAX_SEARCH_KEYS; i++) {
            if (sk->name[id][i] != ' ') {
                continue;
            }

            k = &sk->words[sk->nwords++];
            k->key = sk->name[id] + i + 1;
            k->len = len - i - 1;
            k->id = id;
            k->order = b->site.rank[id];
            k->skip = (uint32_t) (i + 1);
            k->slug = 0;
            nwords++;
        }
    }

    qsort(sk->terms, sk->nterms, sizeof(glossary_skey_t), glossary_skey_cmp);
    qsort(sk->words, sk->nwords, sizeof(glossary_skey_t), glossary_skey_cmp);
}


static void
glossary_search_array(const glossary_skey_t *keys, uint32_t n,
    glossary_search_t *out, const glossary_ref_t *names,
    const glossary_ref_t *slugs)
{
    uint32_t        i;
    glossary_ref_t  whole;

    for (i = 0; i < n; i++) {
        whole = keys[i].slug ? slugs[keys[i].id] : names[keys[i].id];

        out[i].key.off = whole.off + keys[i].skip;
        out[i].key.len = keys[i].len;
        out[i].term_id = keys[i].id;
        out[i].order = keys[i].order;
    }
}


static void
glossary_search_write(glossary_builder_t *b, glossary_search_keys_t *sk,
    glossary_search_t *terms, glossary_search_t *words)
{
    uint32_t         id;
    glossary_ref_t  *names, *slugs;

    names = glossary_xmalloc(((size_t) b->n + 1) * sizeof(glossary_ref_t));
    slugs = glossary_xmalloc(((size_t) b->n + 1) * sizeof(glossary_ref_t));

    /* suffix keys are references into their whole folded name */
    for (id = 0; id < b->n; id++) {
        names[id] = glossary_string(&b->strings, sk->name[id],
                                    sk->name_len[id]);
        slugs[id] = glossary_string(&b->strings, sk->slug[id],
                                    sk->slug_len[id]);
    }

    glossary_search_array(sk->terms, sk->nterms, terms, names, slugs);
    glossary_search_array(sk->words, sk->nwords, words, names, slugs);

    free(names);
    free(slugs);
}


static void
glossary_search_keys_free(glossary_search_keys_t *sk)
{
    uint32_t  id;

    for (id = 0; id < sk->n; id++) {
        free(sk->name[id]);
        free(sk->slug[id]);
    }

    free(sk->terms);
    free(sk->words);
    free(sk->name_len);
    free(sk->slug_len);
    free(sk->name);
    free(sk->slug);

    memset(sk, 0, sizeof(glossary_search_keys_t));
}


/* publishing */

static const char *volatile  glossary_tmp_path;


/* an interrupted build leaves no temporary file behind */
static void
glossary_on_signal(int signo)
{
    if (glossary_tmp_path != NULL) {
        unlink(glossary_tmp_path);
    }

    signal(signo, SIG_DFL);
    raise(signo);
}


/* nor does a build that exits on a fatal error (out of memory) */
static void
glossary_on_exit(void)
{
    if (glossary_tmp_path != NULL) {
        unlink(glossary_tmp_path);
    }
}


static void
glossary_out_restore(glossary_out_t *o)
{
    int  i;

    static const int  signals[4] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

    for (i = 0; i < 4; i++) {
        sigaction(signals[i], &o->saved[i], NULL);
    }

    free(o->tmp);
    free(o->dir);
    o->tmp = NULL;
    o->dir = NULL;
}


/* creates the temporary file beside out; removed on a caught signal */
static int
glossary_out_open(glossary_out_t *o, const char *out)
{
    int                 i;
    size_t              dlen;
    const char         *name, *slash;
    struct sigaction    sa;

    static int          registered;
    static const int    signals[4] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

    memset(o, 0, sizeof(glossary_out_t));
    o->fd = -1;

    if (!registered) {
        atexit(glossary_on_exit);
        registered = 1;
    }

    slash = strrchr(out, '/');

    if (slash == NULL) {
        o->dir = glossary_xstrndup(".", 1);
        name = out;

    } else {
        dlen = slash == out ? 1 : (size_t) (slash - out);
        o->dir = glossary_xstrndup(out, dlen);
        name = slash + 1;
    }

    if (*name == '\0') {
        glossary_error("%s: the output must name a file", out);
        free(o->dir);
        o->dir = NULL;
        return GLOSSARY_EXIT_USAGE;
    }

    o->tmp = glossary_xmalloc(strlen(o->dir) + strlen(name) + 16);
    sprintf(o->tmp, "%s/.%s.XXXXXX", o->dir, name);

    memset(&sa, 0, sizeof(struct sigaction));
    sa.sa_handler = glossary_on_signal;
    sigemptyset(&sa.sa_mask);

    for (i = 0; i < 4; i++) {
        sigaction(signals[i], &sa, &o->saved[i]);
    }

    o->fd = mkostemp(o->tmp, O_CLOEXEC);

    if (o->fd == -1) {
        glossary_error("%s: cannot create a temporary file in \"%s\": %s",
                       out, o->dir, strerror(errno));
        glossary_out_restore(o);
        return GLOSSARY_EXIT_IO;
    }

    glossary_tmp_path = o->tmp;

    if (fchmod(o->fd, 0644) == -1) {
        glossary_error("%s: fchmod: %s", o->tmp, strerror(errno));
        glossary_out_abort(o);
        return GLOSSARY_EXIT_IO;
    }

    return GLOSSARY_EXIT_OK;
}


/* an error: the temporary file goes, the target stays as it was */
static void
glossary_out_abort(glossary_out_t *o)
{
    if (o->fd != -1) {
        close(o->fd);
        o->fd = -1;
    }

    if (o->tmp != NULL) {
        unlink(o->tmp);
        glossary_tmp_path = NULL;
        glossary_out_restore(o);
    }
}


/* fsync, rename over out, fsync of the directory */
static int
glossary_out_commit(glossary_out_t *o, const char *out)
{
    int  dfd, rc;

    if (fsync(o->fd) == -1) {
        glossary_error("%s: fsync: %s", o->tmp, strerror(errno));
        glossary_out_abort(o);
        return GLOSSARY_EXIT_IO;
    }

    rc = close(o->fd);
    o->fd = -1;

    if (rc == -1) {
        glossary_error("%s: close: %s", o->tmp, strerror(errno));
        glossary_out_abort(o);
        return GLOSSARY_EXIT_IO;
    }

    if (rename(o->tmp, out) == -1) {
        glossary_error("%s: cannot rename \"%s\" over it: %s", out, o->tmp,
                       strerror(errno));
        glossary_out_abort(o);
        return GLOSSARY_EXIT_IO;
    }

    glossary_tmp_path = NULL;
    rc = GLOSSARY_EXIT_OK;

    /* the rename itself must reach the disk too */
    dfd = open(o->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (dfd == -1 || fsync(dfd) == -1) {
        glossary_error("%s: fsync of directory \"%s\": %s", out, o->dir,
                       strerror(errno));
        rc = GLOSSARY_EXIT_IO;
    }

    if (dfd != -1) {
        close(dfd);
    }

    glossary_out_restore(o);

    return rc;
}
