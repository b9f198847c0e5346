/*
 * glossaryc's documents (glossary_render.h).
 *
 * Documents are rendered in batches by the main thread; the workers hash
 * and compress a batch while the next ones are rendered, and batches are
 * stored in the order they were submitted.  An item is a term (its
 * document of the pass's kind), the global documents, or a category
 * (two).  The global documents (the index, the sitemap, the category
 * list: as big as all the terms' names together) and the first categories
 * are rendered and compressed first, while the terms are rendered, and
 * stored after them; then the other categories follow.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "glossary_json.h"
#include "glossary_render.h"
#include "glossaryc.h"


#define GLOSSARY_ETAG_LEN       18      /* "0123456789abcdef" */

/* the most documents one item has: the global ones */
#define GLOSSARY_ITEM_DOCS      GLOSSARY_GLOBAL_DOCS_V1_1


static int glossary_render_terms(glossary_render_t *r);
static int glossary_render_pass(glossary_render_t *r);
static int glossary_spill_open(glossary_render_t *r);
static int glossary_render_spilled(glossary_render_t *r);
static void glossary_render_etags(glossary_render_t *r);
static int glossary_render_items(glossary_render_t *r, uint64_t from,
    uint64_t to);
static int glossary_render_drain(glossary_render_t *r, int cur, int rc);
static int glossary_render_item(glossary_render_t *r,
    glossary_batch_t *batch, uint64_t item);
static int glossary_render_term(glossary_render_t *r,
    glossary_batch_t *batch, uint32_t id);
static int glossary_render_globals(glossary_render_t *r,
    glossary_batch_t *batch);
static int glossary_render_category(glossary_render_t *r,
    glossary_batch_t *batch, uint32_t c);
static void glossary_doc_absent_at(glossary_doc_t *d, uint64_t base);
static glossary_job_t *glossary_job_add(glossary_batch_t *batch,
    glossary_doc_t *doc, const char *what, uint32_t id, int gzip);
static int glossary_batch_commit(glossary_render_t *r,
    glossary_batch_t *batch);
static int glossary_job_commit(glossary_render_t *r, glossary_job_t *job);
static int glossary_term_commit(glossary_render_t *r, glossary_job_t *job);
static int glossary_job_failed(glossary_render_t *r, glossary_job_t *job);
static glossary_ref_t glossary_etag(glossary_strings_t *s, uint64_t hash);


int
glossary_render_start(glossary_render_t *r)
{
    r->batches = glossary_xcalloc(GLOSSARY_QUEUE, sizeof(glossary_batch_t));
    r->etags = glossary_xcalloc((size_t) r->site->n + 1, sizeof(uint64_t));
    r->gz_etags = glossary_xcalloc((size_t) r->site->n + 1, sizeof(uint64_t));
    r->gz_lens = glossary_xcalloc((size_t) r->site->n + 1, sizeof(uint32_t));
    r->spill = NULL;
    r->spill_buf = NULL;
    r->spill_size = 0;
    r->started = 1;

    return glossary_pool_start(&r->pool);
}


int
glossary_render(glossary_render_t *r)
{
    int                rc;
    uint64_t           n, early, nitems;
    glossary_batch_t  *gbatch;

    n = r->site->n;
    nitems = n + 1 + r->ncats;
    gbatch = &r->batches[GLOSSARY_BATCHES];

    rc = glossary_render_item(r, gbatch, n);

    for (early = n + 1;
         early < nitems && rc == GLOSSARY_EXIT_OK
         && gbatch->n + GLOSSARY_ITEM_DOCS <= GLOSSARY_BATCH;
         early++)
    {
        rc = glossary_render_item(r, gbatch, early);
    }

    if (rc != GLOSSARY_EXIT_OK) {
        return rc;
    }

    /* none with payloads alone */
    if (gbatch->n != 0) {
        glossary_pool_submit(&r->pool, gbatch);
    }

    rc = glossary_render_terms(r);

    if (gbatch->n != 0) {
        glossary_pool_wait(&r->pool, gbatch);
        gbatch->queued = 0;
    }

    if (rc == GLOSSARY_EXIT_OK) {
        rc = glossary_batch_commit(r, gbatch);
    }

    if (rc == GLOSSARY_EXIT_OK) {
        rc = glossary_render_items(r, early, nitems);
    }

    return rc;
}


void
glossary_render_stop(glossary_render_t *r)
{
    if (!r->started) {
        return;
    }

    glossary_pool_stop(&r->pool);
    glossary_batches_free(r->batches);
    free(r->etags);
    free(r->gz_etags);
    free(r->gz_lens);
    free(r->spill_buf);

    if (r->spill != NULL) {
        (void) fclose(r->spill);
    }

    r->batches = NULL;
    r->etags = NULL;
    r->gz_etags = NULL;
    r->gz_lens = NULL;
    r->spill = NULL;
    r->spill_buf = NULL;
    r->started = 0;
}


const char *
glossary_limit_name(uint64_t max_size)
{
    return (max_size < GLOSSARY_MAX_FILE_SIZE) ? " (--max-size)"
                                               : " (the format's)";
}


/*
 * The terms' documents, a kind at a time: its bodies and their ETags, then,
 * for a kind with gzip variants, those and their ETags.  The workers
 * compress the bodies as they are rendered; the variants wait in a
 * temporary file (memory stays bounded whatever the glossary's size) until
 * the bodies' part is written, then follow it in term order.
 */
static int
glossary_render_terms(glossary_render_t *r)
{
    int       rc;
    uint32_t  k, slot;

    slot = 0;

    for (k = 0; k < GLOSSARY_DOC_KINDS; k++) {
        if (!((r->doc_kinds >> k) & 1)) {
            continue;
        }

        r->kind = k;
        r->pass_docs = &r->docs[(size_t) slot++ * r->site->n];
        r->compress = 0;

        if (r->gzip && glossary_kind_gzip(k) && r->spill == NULL) {
            rc = glossary_spill_open(r);
            if (rc != GLOSSARY_EXIT_OK) {
                return rc;
            }
        }

        rc = glossary_render_pass(r);
        if (rc != GLOSSARY_EXIT_OK) {
            return rc;
        }

        if (!r->gzip || !glossary_kind_gzip(k)) {
            continue;
        }

        r->compress = 1;

        rc = glossary_render_spilled(r);
        if (rc != GLOSSARY_EXIT_OK) {
            return rc;
        }
    }

    return GLOSSARY_EXIT_OK;
}


static int
glossary_render_pass(glossary_render_t *r)
{
    int  rc;

    r->pass_start = r->strings->len;

    rc = glossary_render_items(r, 0, r->site->n);
    if (rc != GLOSSARY_EXIT_OK) {
        return rc;
    }

    glossary_render_etags(r);

    return GLOSSARY_EXIT_OK;
}


/* an unlinked file in TMPDIR (or /tmp) for the gzip variants */
static int
glossary_spill_open(glossary_render_t *r)
{
    int          fd;
    char         path[4096];
    const char  *dir;

    dir = getenv("TMPDIR");

    if (dir == NULL || *dir == '\0') {
        dir = "/tmp";
    }

    if ((size_t) snprintf(path, sizeof(path), "%s/glossaryc-gzip-XXXXXX", dir)
        >= sizeof(path))
    {
        glossary_error("TMPDIR is too long");
        return GLOSSARY_EXIT_IO;
    }

    fd = mkstemp(path);

    if (fd == -1) {
        glossary_error("a temporary file for the gzip variants in %s: %s",
                       dir, strerror(errno));
        return GLOSSARY_EXIT_IO;
    }

    (void) unlink(path);

    r->spill = fdopen(fd, "w+b");

    if (r->spill == NULL) {
        glossary_error("a temporary file for the gzip variants in %s: %s",
                       dir, strerror(errno));
        (void) close(fd);
        return GLOSSARY_EXIT_IO;
    }

    return GLOSSARY_EXIT_OK;
}


/*
 * The kind's gzip variants, from the temporary file into STRINGS in term
 * order, then their ETags; the file is emptied for the next kind
 */
static int
glossary_render_spilled(glossary_render_t *r)
{
    uint32_t         id, len;
    glossary_doc_t  *d;

    r->pass_start = r->strings->len;

    if (fflush(r->spill) != 0 || fseeko(r->spill, 0, SEEK_SET) != 0) {
        glossary_error("the temporary file of the gzip variants: %s",
                       strerror(errno));
        return GLOSSARY_EXIT_IO;
    }

    for (id = 0; id < r->site->n; id++) {
        len = r->gz_lens[id];

        if (len == 0) {
            continue;
        }

        if (len > r->spill_size) {
            r->spill_buf = glossary_xrealloc(r->spill_buf, len);
            r->spill_size = len;
        }

        if (fread(r->spill_buf, 1, len, r->spill) != len) {
            glossary_error("the temporary file of the gzip variants: %s",
                           ferror(r->spill) ? strerror(errno)
                                            : "shorter than written");
            return GLOSSARY_EXIT_IO;
        }

        d = &r->pass_docs[id];
        d->gzip_body = glossary_string_raw(r->strings, r->spill_buf, len);

        if (r->strings->base + r->strings->len > r->max_size) {
            glossary_error("the blob would be over the limit of %llu bytes%s: "
                           "the documents take %llu bytes at the %s (gzip) "
                           "of term %u of %u; stopped",
                           (unsigned long long) r->max_size,
                           glossary_limit_name(r->max_size),
                           (unsigned long long) r->strings->len,
                           glossary_blob_kind_name(r->kind), id + 1,
                           r->site->n);
            return GLOSSARY_EXIT_DATA;
        }
    }

    if (fseeko(r->spill, 0, SEEK_SET) != 0
        || ftruncate(fileno(r->spill), 0) != 0)
    {
        glossary_error("the temporary file of the gzip variants: %s",
                       strerror(errno));
        return GLOSSARY_EXIT_IO;
    }

    glossary_render_etags(r);

    return GLOSSARY_EXIT_OK;
}


/*
 * The pass's ETags, together after its bodies: what the reader checks of
 * every document lies in a part of the blob of its own, and the
 * documents' bodies hold nothing else
 */
static void
glossary_render_etags(glossary_render_t *r)
{
    uint32_t         id;
    glossary_doc_t  *d;

    for (id = 0; id < r->site->n; id++) {
        d = &r->pass_docs[id];

        if (!r->compress) {
            d->etag = glossary_etag(r->strings, r->etags[id]);

        } else if (d->gzip_body.len != 0) {
            d->gzip_etag = glossary_etag(r->strings, r->gz_etags[id]);
        }
    }
}


/*
 * Items [from, to) through the ring of batches: a batch goes to the
 * workers when it is full or holds the last item, and the oldest one is
 * stored before its buffers are filled again.  Every batch is stored, or
 * after an error waited for, before it returns.
 */
static int
glossary_render_items(glossary_render_t *r, uint64_t from, uint64_t to)
{
    int                rc, cur;
    size_t             k;
    uint64_t           item;
    glossary_batch_t  *batch;

    batch = r->batches;
    cur = 0;
    batch[cur].n = 0;
    batch[cur].bytes = 0;
    rc = GLOSSARY_EXIT_OK;

    for (item = from; item < to && rc == GLOSSARY_EXIT_OK; item++) {
        k = batch[cur].n;
        rc = glossary_render_item(r, &batch[cur], item);

        while (k < batch[cur].n) {
            batch[cur].bytes += batch[cur].jobs[k++].body.len;
        }

        if (rc != GLOSSARY_EXIT_OK
            || (batch[cur].n + GLOSSARY_ITEM_DOCS <= GLOSSARY_BATCH
                && batch[cur].bytes < GLOSSARY_BATCH_BYTES
                && item + 1 < to))
        {
            continue;
        }

        glossary_pool_submit(&r->pool, &batch[cur]);

        /* the next batch to render into is the oldest one submitted */
        cur = (cur + 1) % GLOSSARY_BATCHES;

        if (batch[cur].queued) {
            glossary_pool_wait(&r->pool, &batch[cur]);
            batch[cur].queued = 0;
            rc = glossary_batch_commit(r, &batch[cur]);
        }

        batch[cur].n = 0;
        batch[cur].bytes = 0;
    }

    return glossary_render_drain(r, cur, rc);
}


/*
 * Stores the ring's queued batches, oldest first (cur is the one being
 * filled); after an error (rc) only waits for them.
 */
static int
glossary_render_drain(glossary_render_t *r, int cur, int rc)
{
    int                k, i;
    glossary_batch_t  *batch;

    batch = r->batches;

    for (k = 1; k <= GLOSSARY_BATCHES; k++) {
        i = (cur + k) % GLOSSARY_BATCHES;

        if (!batch[i].queued) {
            continue;
        }

        glossary_pool_wait(&r->pool, &batch[i]);
        batch[i].queued = 0;

        if (rc == GLOSSARY_EXIT_OK) {
            rc = glossary_batch_commit(r, &batch[i]);
        }
    }

    return rc;
}


/* items: the terms, then the global documents, then the categories */
static int
glossary_render_item(glossary_render_t *r, glossary_batch_t *batch,
    uint64_t item)
{
    uint64_t  n;

    n = r->site->n;

    if (item < n) {
        return glossary_render_term(r, batch, (uint32_t) item);
    }

    if (item == n) {
        return glossary_render_globals(r, batch);
    }

    return glossary_render_category(r, batch, (uint32_t) (item - n - 1));
}


/* the term's document of the pass's kind */
static int
glossary_render_term(glossary_render_t *r, glossary_batch_t *batch,
    uint32_t id)
{
    glossary_job_t  *job;

    job = glossary_job_add(batch, &r->pass_docs[id], NULL, id,
                           r->gzip && glossary_kind_gzip(r->kind));

    switch (r->kind) {

    case GLOSSARY_DOC_TERM_JSON:
        return glossary_json_term(r->site, id, &job->body);

    case GLOSSARY_DOC_RELATED_JSON:
        return glossary_json_related(r->site, id, &job->body);

    case GLOSSARY_DOC_TERM_HTML:
        glossary_page_term(r->site, id, &job->body);
        return GLOSSARY_EXIT_OK;

    case GLOSSARY_DOC_PAYLOAD:
        glossary_payload(r->site, id, &job->body);
        return GLOSSARY_EXIT_OK;

    case GLOSSARY_DOC_SEARCH_JSON:
        return glossary_json_search_result(r->site, id, &job->body);

    default: /* GLOSSARY_DOC_SEARCH_HTML */
        glossary_search_html(r->site, id, &job->body);
        return GLOSSARY_EXIT_OK;
    }
}


/*
 * The global documents of the kinds built: the JSON ones with the terms'
 * JSON, the pages with the terms' pages; the others absent
 */
static int
glossary_render_globals(glossary_render_t *r, glossary_batch_t *batch)
{
    int              rc, json, html;
    uint32_t         k;
    glossary_job_t  *job;
    glossary_doc_t  *d;

    d = r->globals;
    json = (r->doc_kinds >> GLOSSARY_DOC_TERM_JSON) & 1;
    html = (r->doc_kinds >> GLOSSARY_DOC_TERM_HTML) & 1;

    for (k = 0; k < GLOSSARY_GLOBAL_DOCS_V1_1; k++) {
        glossary_doc_absent_at(&d[k], r->strings->base);
    }

    if (json) {
        job = glossary_job_add(batch, &d[GLOSSARY_GLOBAL_INDEX_JSON],
                               "the index", 0, r->gzip);
        rc = glossary_json_index(r->site, &job->body);
        if (rc != GLOSSARY_EXIT_OK) {
            return rc;
        }
    }

    if (html) {
        job = glossary_job_add(batch, &d[GLOSSARY_GLOBAL_INDEX_HTML],
                               "the index", 0, r->gzip);
        glossary_page_index(r->site, &job->body);

        job = glossary_job_add(batch, &d[GLOSSARY_GLOBAL_SITEMAP],
                               "the sitemap", 0, r->gzip);
        glossary_sitemap(r->site, &job->body);

        job = glossary_job_add(batch, &d[GLOSSARY_GLOBAL_NOT_FOUND_HTML],
                               "the 404 page", 0, r->gzip);
        glossary_page_not_found(r->site, &job->body);

        job = glossary_job_add(batch, &d[GLOSSARY_GLOBAL_SEARCH_EMPTY_HTML],
                               "the empty search result", 0, 0);
        glossary_search_empty(r->site, &job->body);
    }

    if (json) {
        job = glossary_job_add(batch, &d[GLOSSARY_GLOBAL_CATEGORIES_JSON],
                               "the category list", 0, r->gzip);
        rc = glossary_json_categories(r->site, &job->body);
        if (rc != GLOSSARY_EXIT_OK) {
            return rc;
        }
    }

    if (html) {
        job = glossary_job_add(batch, &d[GLOSSARY_GLOBAL_CATEGORIES_HTML],
                               "the category list", 0, r->gzip);
        glossary_page_categories(r->site, &job->body);
    }

    return GLOSSARY_EXIT_OK;
}


/*
 * A category's documents of the kinds built (there are categories only
 * with JSON or pages); the record's slug and name are stored just before
 * the first of them
 */
static int
glossary_render_category(glossary_render_t *r, glossary_batch_t *batch,
    uint32_t c)
{
    int                   rc;
    glossary_job_t       *job;
    glossary_category_t  *cat;

    cat = &r->cats[c];
    glossary_doc_absent_at(&cat->json, r->strings->base);
    glossary_doc_absent_at(&cat->html, r->strings->base);

    if ((r->doc_kinds >> GLOSSARY_DOC_TERM_JSON) & 1) {
        job = glossary_job_add(batch, &cat->json, NULL, c, r->gzip);
        job->cat = cat;
        job->category = 1;
        rc = glossary_json_category(r->site, c, &job->body);
        if (rc != GLOSSARY_EXIT_OK) {
            return rc;
        }

        cat = NULL;     /* stored with the JSON */
    }

    if ((r->doc_kinds >> GLOSSARY_DOC_TERM_HTML) & 1) {
        job = glossary_job_add(batch, &r->cats[c].html, NULL, c, r->gzip);
        job->cat = cat;
        job->category = 1;
        glossary_page_category(r->site, c, &job->body);
    }

    return GLOSSARY_EXIT_OK;
}


/* a document the build leaves out: four empty references, in STRINGS */
static void
glossary_doc_absent_at(glossary_doc_t *d, uint64_t base)
{
    d->body.off = base;
    d->body.len = 0;
    d->etag = d->body;
    d->gzip_body = d->body;
    d->gzip_etag = d->body;
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


/*
 * a compressed batch into STRINGS, in document order; a glossary too big
 * for the limit is refused as soon as STRINGS alone passes it, not after
 * every document has been rendered and written out
 */
static int
glossary_batch_commit(glossary_render_t *r, glossary_batch_t *batch)
{
    int              rc;
    size_t           i;
    glossary_job_t  *job, *last;

    last = NULL;

    for (i = 0; i < batch->n; i++) {
        job = &batch->jobs[i];

        if (job->what == NULL && !job->category) {
            rc = glossary_term_commit(r, job);
            last = job;

        } else {
            rc = glossary_job_commit(r, job);
        }

        if (rc != GLOSSARY_EXIT_OK) {
            return rc;
        }
    }

    if (r->strings->base + r->strings->len <= r->max_size) {
        return GLOSSARY_EXIT_OK;
    }

    if (last != NULL) {
        glossary_error("the blob would be over the limit of %llu bytes%s: "
                       "the documents take %llu bytes at the %s%s of term "
                       "%u of %u; stopped", (unsigned long long) r->max_size,
                       glossary_limit_name(r->max_size),
                       (unsigned long long) r->strings->len,
                       glossary_blob_kind_name(r->kind),
                       r->compress ? " (gzip)" : "", last->id + 1,
                       r->site->n);

    } else {
        glossary_error("the blob would be over the limit of %llu bytes%s: "
                       "the documents take %llu bytes with the global "
                       "documents; stopped", (unsigned long long) r->max_size,
                       glossary_limit_name(r->max_size),
                       (unsigned long long) r->strings->len);
    }

    return GLOSSARY_EXIT_DATA;
}


/*
 * A term's document of the pass: its body (stored as it is: every kind but
 * the related terms' list carries the term's own slug, so none repeats);
 * its gzip variant, when strictly smaller, to the temporary file, for
 * glossary_render_spilled(); the ETags go after the part's bodies.
 */
static int
glossary_term_commit(glossary_render_t *r, glossary_job_t *job)
{
    glossary_doc_t      *doc;
    glossary_strings_t  *s;

    s = r->strings;
    doc = job->doc;

    doc->body = (r->kind == GLOSSARY_DOC_RELATED_JSON)
                ? glossary_string_hashed(s, job->body.data, job->body.len,
                                         job->etag)
                : glossary_string_raw(s, job->body.data, job->body.len);
    doc->etag = glossary_string(s, NULL, 0);
    doc->gzip_body = doc->etag;
    doc->gzip_etag = doc->etag;
    r->etags[job->id] = job->etag;
    r->gz_lens[job->id] = 0;

    if (!glossary_job_compressed(job)) {
        return GLOSSARY_EXIT_OK;
    }

    if (job->failed) {
        return glossary_job_failed(r, job);
    }

    if (job->gz_len < job->body.len) {
        if (fwrite(job->gz, 1, job->gz_len, r->spill) != job->gz_len) {
            glossary_error("the temporary file of the gzip variants: %s",
                           strerror(errno));
            return GLOSSARY_EXIT_IO;
        }

        r->gz_lens[job->id] = (uint32_t) job->gz_len;
        r->gz_etags[job->id] = job->gz_etag;
    }

    return GLOSSARY_EXIT_OK;
}


/*
 * Stores a body, its ETag, and with gzip the gzip variant when it is
 * strictly smaller.
 */
static int
glossary_job_commit(glossary_render_t *r, glossary_job_t *job)
{
    glossary_doc_t      *doc;
    glossary_cat_t      *c;
    glossary_strings_t  *s;

    s = r->strings;

    if (job->cat != NULL) {
        c = &r->site->cats[job->id];

        job->cat->slug = glossary_text(s, &c->slug);
        job->cat->name = glossary_text(s, &c->name);
        job->cat->term_count = c->nterms;
    }

    doc = job->doc;

    doc->body = glossary_string_hashed(s, job->body.data, job->body.len,
                                       job->etag);
    doc->etag = glossary_etag(s, job->etag);
    doc->gzip_body = glossary_string(s, NULL, 0);
    doc->gzip_etag = doc->gzip_body;

    if (!glossary_job_compressed(job)) {
        return GLOSSARY_EXIT_OK;
    }

    if (job->failed) {
        return glossary_job_failed(r, job);
    }

    if (job->gz_len < job->body.len) {
        doc->gzip_body = glossary_string_hashed(s, job->gz, job->gz_len,
                                                job->gz_etag);
        doc->gzip_etag = glossary_etag(s, job->gz_etag);
    }

    return GLOSSARY_EXIT_OK;
}


static int
glossary_job_failed(glossary_render_t *r, glossary_job_t *job)
{
    if (job->what != NULL) {
        glossary_error("%s: gzip compression failed", job->what);

    } else {
        glossary_error("%s \"%s\": gzip compression failed",
                       job->category ? "category" : "term",
                       job->category ? r->site->cats[job->id].slug.data
                                     : r->site->entries[job->id].slug.data);
    }

    return GLOSSARY_EXIT_IO;
}


static glossary_ref_t
glossary_etag(glossary_strings_t *s, uint64_t hash)
{
    char  etag[GLOSSARY_ETAG_LEN + 1];

    snprintf(etag, sizeof(etag), "\"%016llx\"", (unsigned long long) hash);

    return glossary_string_raw(s, etag, GLOSSARY_ETAG_LEN);
}
