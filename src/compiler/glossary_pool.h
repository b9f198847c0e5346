/*
 * glossaryc's compression pool: worker threads that take the documents of
 * a batch one by one, hash each body (its ETag) and gzip it, while the
 * main thread renders the next batches.  The caller stores each batch
 * once it is done, in the order it submitted them, so the blob does not
 * depend on the scheduling.
 */

#ifndef GLOSSARY_POOL_H
#define GLOSSARY_POOL_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "glossary_blob.h"
#include "glossary_html.h"


/* documents handed to the workers at once: those of 64 terms */
#define GLOSSARY_BATCH_TERMS    64
#define GLOSSARY_BATCH          (GLOSSARY_BATCH_TERMS                         \
                                 * GLOSSARY_DOCS_PER_TERM_V1_1)

/*
 * and at most about this many bytes of bodies: the batches rendered ahead
 * hold a few MiB whatever the documents' sizes
 */
#define GLOSSARY_BATCH_BYTES    ((size_t) 2 << 20)

/* batches rendered ahead of the one to store next */
#define GLOSSARY_BATCHES        4

/* and one more for the global documents, compressed first */
#define GLOSSARY_QUEUE          (GLOSSARY_BATCHES + 1)

#define GLOSSARY_WORKERS        2


/* one document: rendered by the main thread, compressed by a worker */
typedef struct {
    glossary_buf_t      body;           /* reused from batch to batch */
    int                 gzip;           /* a gzip variant is wanted */

    /* the worker's */
    unsigned char      *gz;
    size_t              gz_alloc;
    size_t              gz_len;
    uint64_t            etag;           /* XXH3 of body */
    uint64_t            gz_etag;        /* XXH3 of gz */
    int                 failed;         /* no gzip output */

    /* the caller's: where the references go, what to name in messages */
    glossary_doc_t     *doc;
    glossary_category_t *cat;           /* its slug and name go first */
    const char         *what;           /* NULL: id's */
    uint32_t            id;             /* term or category */
    int                 category;       /* id is a category's */
} glossary_job_t;


typedef struct {
    glossary_job_t      jobs[GLOSSARY_BATCH];
    size_t              n;
    size_t              bytes;          /* of the bodies rendered */
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


/* glossary_pool_stop() is needed even when it fails */
int glossary_pool_start(glossary_pool_t *pool);

/* a batch of at least one job to the workers; at most GLOSSARY_QUEUE */
void glossary_pool_submit(glossary_pool_t *pool, glossary_batch_t *batch);

/* until every job of the batch is done */
void glossary_pool_wait(glossary_pool_t *pool, glossary_batch_t *batch);

void glossary_pool_stop(glossary_pool_t *pool);

/* does the job get a gzip variant (when it comes out smaller)? */
int glossary_job_compressed(const glossary_job_t *job);

/* GLOSSARY_QUEUE batches and their buffers; NULL: none */
void glossary_batches_free(glossary_batch_t *batch);


#endif /* GLOSSARY_POOL_H */
