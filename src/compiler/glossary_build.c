/*
 * glossaryc back end: model -> checked -> laid out -> rendered -> sealed
 * -> verified -> published, the steps of glossary_build().
 *
 * The blob is written to a temporary file in the target's directory as it
 * is rendered (glossary_out.h): the STRINGS section (nearly all of the
 * bytes) streams out as the documents are stored (glossary_strings.h,
 * glossary_render.h), the sections before it are filled in memory and
 * written once STRINGS is complete, with CHUNKS (hashed as STRINGS was
 * written) and the index checksum.  The file is then read once, a window
 * at a time, for the checksum, every chunk checked against what was
 * written on the way (glossary_scan()); then verified by the same reader
 * the module uses, lazily and in full, which reads the index and the
 * ETags; and only then renamed over the target.  Neither step keeps the
 * documents' bytes in memory: the compiler's memory grows with the terms,
 * not with the blob.
 */

#include <errno.h>
#include <malloc.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xxhash.h>

#include "glossary_autolink_build.h"
#include "glossary_blob.h"
#include "glossary_build.h"
#include "glossary_fts_blob.h"
#include "glossary_out.h"
#include "glossary_render.h"
#include "glossary_search.h"
#include "glossary_site.h"
#include "glossary_strings.h"


#define glossary_align(n)       (((n) + GLOSSARY_ALIGN - 1)                   \
                                 & ~(uint64_t) (GLOSSARY_ALIGN - 1))

/* the count of a section known only once the documents are stored */
#define GLOSSARY_LATER          UINT64_MAX


/* where the sections go, by id */
typedef struct {
    uint64_t        count[GLOSSARY_SECTION_LAST + 1];   /* records */
    uint64_t        offset[GLOSSARY_SECTION_LAST + 1];  /* 0: not placed */
    uint64_t        end;                /* of the last section placed */
} glossary_layout_t;


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
    uint64_t                     *first_link;   /* per entry: into targets */
    uint64_t                      nlinks;
    glossary_site_t               site;
    glossary_search_keys_t        sk;
    glossary_buf_t                page;     /* the search page */
    size_t                        nseg;     /* its segments */
    uint32_t                     *buckets;
    uint32_t                      nbuckets;
    uint32_t                      max_probe;
    unsigned char                *autolink; /* the AUTOLINK image */
    size_t                        autolink_size;
    glossary_autolink_t           al;       /* opened, for --autolink */
    glossary_layout_t             lay;
    unsigned char                *fixed;    /* the file up to STRINGS */
    glossary_chunks_t            *chunks;   /* CHUNKS, its hashes after it */
    uint64_t                      chunks_size;
    glossary_out_t                out;
    glossary_strings_t            strings;
    glossary_render_t             render;
    glossary_fts_blob_t           fts;      /* the search index */
    uint64_t                      kinds;    /* the per-term kinds to build */
    uint32_t                      nkinds;
    uint64_t                      eager;    /* STRINGS before the documents */
    uint64_t                      max_size; /* the largest blob to write */
    uint64_t                      total;    /* the size of the blob */
    uint64_t                      checksum;
    unsigned char                *map;      /* the blob, sealed */
    glossary_blob_t               check;    /* the blob as nginx reads it */
    unsigned                      committed:1;
    unsigned                      fts_on:1; /* writing the search index */
    unsigned                      no_base:1;
} glossary_builder_t;


typedef int (*glossary_build_step_pt)(glossary_builder_t *b);


static int glossary_build_check(glossary_builder_t *b);
static int glossary_build_autolink(glossary_builder_t *b);
static int glossary_build_lay_out(glossary_builder_t *b);
static int glossary_build_open(glossary_builder_t *b);
static int glossary_build_index(glossary_builder_t *b);
static int glossary_build_render(glossary_builder_t *b);
static int glossary_build_search(glossary_builder_t *b);
static int glossary_build_finish(glossary_builder_t *b);
static int glossary_build_seal(glossary_builder_t *b);
static int glossary_build_publish(glossary_builder_t *b);
static void glossary_build_release(glossary_builder_t *b);
static void glossary_build_free_chunks(glossary_builder_t *b);
static void glossary_build_cleanup(glossary_builder_t *b);
static int glossary_entry_cmp(const void *a, const void *b);
static int glossary_check_duplicates(glossary_builder_t *b);
static uint32_t glossary_find(glossary_builder_t *b, const glossary_text_t *s);
static void glossary_resolve(glossary_builder_t *b);
static uint32_t *glossary_hash_table(glossary_builder_t *b,
    uint32_t *nbuckets, uint32_t *max_probe);
static void glossary_layout_place(glossary_layout_t *l);
static uint64_t glossary_layout_size(const glossary_layout_t *l, uint32_t id);
static uint32_t glossary_layout_table(const glossary_layout_t *l,
    glossary_section_t *sec);
static void *glossary_fixed(glossary_builder_t *b, uint32_t id);
static void glossary_write_header(glossary_builder_t *b);
static int glossary_write_chunks(glossary_builder_t *b);
static uint64_t glossary_index_checksum(glossary_builder_t *b);


/* the steps, in order: each one runs only when the ones before succeeded */
static glossary_build_step_pt  glossary_build_steps[] = {
    glossary_build_check,       /* options, template; the terms as a whole */
    glossary_build_autolink,    /* the automaton of names, aliases, slugs */
    glossary_build_lay_out,     /* search keys, slug index, sections' places */
    glossary_build_open,        /* the temporary file, workers, writers */
    glossary_build_index,       /* TERMS to SEARCH_PAGE, their strings first */
    glossary_build_render,      /* every document into STRINGS */
    glossary_build_search,      /* the search index and its texts done */
    glossary_build_finish,      /* the records, CHUNKS, the index checksum */
    glossary_build_seal,        /* the checksum, read back a window a time */
    glossary_build_publish,     /* verified as nginx verifies it, renamed */
    NULL
};


int
glossary_build(glossary_model_t *m, const glossary_build_conf_t *conf)
{
    int                 rc, i;
    glossary_builder_t  b;

    memset(&b, 0, sizeof(glossary_builder_t));
    b.conf = conf;
    b.model = m;
    b.out.fd = -1;
    b.max_size = (conf->max_size != 0
                  && conf->max_size < GLOSSARY_MAX_FILE_SIZE)
                 ? conf->max_size : GLOSSARY_MAX_FILE_SIZE;
    b.kinds = conf->doc_kinds ? conf->doc_kinds
                              : ((uint64_t) 1 << GLOSSARY_DOC_KINDS) - 1;

    for (i = 0; i < GLOSSARY_DOC_KINDS; i++) {
        b.nkinds += (b.kinds >> i) & 1;
    }

    /* the search index answers with the hits' documents */
    b.fts_on = !conf->no_fts
               && (b.kinds & (((uint64_t) 1 << GLOSSARY_DOC_SEARCH_JSON)
                              | ((uint64_t) 1 << GLOSSARY_DOC_SEARCH_HTML)));

    rc = GLOSSARY_EXIT_OK;

    for (i = 0; rc == GLOSSARY_EXIT_OK && glossary_build_steps[i]; i++) {
        rc = glossary_build_steps[i](&b);
    }

    glossary_build_cleanup(&b);

    return rc;
}


/*
 * The options and the template, then the terms: some, sorted by slug,
 * unique; their links resolved; the site's orders.
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
    if (rc != GLOSSARY_EXIT_OK) {
        return rc;
    }

    glossary_resolve(b);

    return glossary_site_init(&b->site, b->entries, b->n, b->targets,
                              b->first_link);
}


/*
 * The AUTOLINK image: every term's name, aliases and slug (as words), its
 * id the blob's.  With --autolink the term pages are rewritten with it as
 * they are rendered, so it is opened by the module's own reader here.
 */
static int
glossary_build_autolink(glossary_builder_t *b)
{
    int                           err;
    uint32_t                      id, j;
    glossary_entry_t             *e;
    glossary_autolink_status_t    rc;
    glossary_autolink_stats_t     stats;
    glossary_autolink_builder_t  *ab;

    ab = glossary_autolink_builder_create(b->n, b->conf->accents
                                          ? GLOSSARY_AUTOLINK_BUILD_ACCENTS
                                          : 0);
    if (ab == NULL) {
        glossary_out_of_memory(0);
    }

    err = 0;

    for (id = 0; id < b->n && !err; id++) {
        e = &b->entries[id];

        err = glossary_autolink_builder_add(ab, id,
                                            (const unsigned char *)
                                            e->term.data, e->term.len,
                                            GLOSSARY_AUTOLINK_NAME)
              || glossary_autolink_builder_add(ab, id,
                                               (const unsigned char *)
                                               e->slug.data, e->slug.len,
                                               GLOSSARY_AUTOLINK_SLUG);

        for (j = 0; j < e->naliases && !err; j++) {
            err = glossary_autolink_builder_add(ab, id,
                                                (const unsigned char *)
                                                e->aliases[j].data,
                                                e->aliases[j].len,
                                                GLOSSARY_AUTOLINK_ALIAS);
        }
    }

    if (!err) {
        err = glossary_autolink_builder_finish(ab, &b->autolink,
                                               &b->autolink_size, &stats);
    }

    if (err) {
        glossary_error("autolink automaton: %s",
                       glossary_autolink_builder_error(ab));
        glossary_autolink_builder_free(ab);
        return GLOSSARY_EXIT_DATA;
    }

    glossary_autolink_builder_free(ab);

    if (!b->conf->autolink) {
        return GLOSSARY_EXIT_OK;
    }

    rc = glossary_autolink_open(&b->al, b->autolink, b->autolink_size);

    if (rc != GLOSSARY_AUTOLINK_OK) {
        glossary_error("internal error, the autolink automaton does not "
                       "verify: %s: %s", glossary_autolink_strerror(rc),
                       b->al.detail);
        return GLOSSARY_EXIT_DATA;
    }

    glossary_site_autolink(&b->site, &b->al);

    return GLOSSARY_EXIT_OK;
}


/*
 * The search keys, the search page and the slug index: then every section
 * but STRINGS and CHUNKS has a known size and a place, and their records
 * go into "fixed", the file up to STRINGS.  A build without the kinds
 * that search (the hits, JSON or HTML) has no search keys, one without
 * the pages no search page.
 */
static int
glossary_build_lay_out(glossary_builder_t *b)
{
    glossary_layout_t  *l;

    if (b->kinds & (((uint64_t) 1 << GLOSSARY_DOC_SEARCH_JSON)
                    | ((uint64_t) 1 << GLOSSARY_DOC_SEARCH_HTML)))
    {
        glossary_search_keys(&b->sk, &b->site);
    }

    if (b->kinds & ((uint64_t) 1 << GLOSSARY_DOC_SEARCH_HTML)) {
        glossary_page_search(&b->site, &b->page);
        b->nseg = glossary_search_segments(&b->page);
    }

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
    l->count[GLOSSARY_SECTION_FTS] = GLOSSARY_LATER;
    l->count[GLOSSARY_SECTION_TERMS] = b->n;
    l->count[GLOSSARY_SECTION_RELATED] = b->nlinks;
    l->count[GLOSSARY_SECTION_HASH] = b->nbuckets;
    l->count[GLOSSARY_SECTION_DOCS] = (uint64_t) b->n * b->nkinds;
    l->count[GLOSSARY_SECTION_GLOBALS] = GLOSSARY_GLOBAL_DOCS_V1_1;
    /* a category is only its JSON document and its page */
    l->count[GLOSSARY_SECTION_CATEGORIES] =
        (b->kinds & (((uint64_t) 1 << GLOSSARY_DOC_TERM_JSON)
                     | ((uint64_t) 1 << GLOSSARY_DOC_TERM_HTML)))
        ? b->site.ncats : 0;
    l->count[GLOSSARY_SECTION_SEARCH_TERMS] = b->sk.nterms;
    l->count[GLOSSARY_SECTION_SEARCH_WORDS] = b->sk.nwords;
    l->count[GLOSSARY_SECTION_SEARCH_PAGE] = b->nseg;
    l->count[GLOSSARY_SECTION_AUTOLINK] = b->autolink_size;

    glossary_layout_place(l);

    b->fixed = glossary_xcalloc(1, glossary_align(l->end));

    return GLOSSARY_EXIT_OK;
}


/* the temporary file, the compression workers, the writer of STRINGS */
static int
glossary_build_open(glossary_builder_t *b)
{
    int  rc;

    rc = glossary_out_open(&b->out, b->conf->out);
    if (rc != GLOSSARY_EXIT_OK) {
        return rc;
    }


    b->render.site = &b->site;
    b->render.strings = &b->strings;
    b->render.docs = glossary_fixed(b, GLOSSARY_SECTION_DOCS);
    b->render.globals = glossary_fixed(b, GLOSSARY_SECTION_GLOBALS);
    b->render.cats = glossary_fixed(b, GLOSSARY_SECTION_CATEGORIES);
    b->render.doc_kinds = b->kinds;
    b->render.gzip = !b->conf->no_gzip;
    b->render.ncats = (uint32_t) b->lay.count[GLOSSARY_SECTION_CATEGORIES];
    b->render.max_size = b->max_size;

    rc = glossary_render_start(&b->render);
    if (rc != GLOSSARY_EXIT_OK) {
        return rc;
    }

    /* STRINGS goes where the sections placed so far end */
    return glossary_strings_start(&b->strings, b->out.fd,
                                  glossary_align(b->lay.end));
}


/*
 * TERMS, RELATED, HASH, SEARCH_TERMS, SEARCH_WORDS and SEARCH_PAGE, their
 * strings first in STRINGS: what the documents may refer to, and what a
 * lazily verifying reader checks at load (the first "eager" bytes)
 */
static int
glossary_build_index(glossary_builder_t *b)
{
    uint32_t             id, j;
    uint64_t             link;
    glossary_hash_t     *hash;
    glossary_term_t     *t;
    glossary_entry_t    *e;
    glossary_related_t  *rel;

    t = glossary_fixed(b, GLOSSARY_SECTION_TERMS);
    rel = glossary_fixed(b, GLOSSARY_SECTION_RELATED);

    /*
     * First, what the reader's checks read at load: the slugs, each term's
     * followed by its related entries' (stored again, not shared with
     * their terms': read in order then, not one term record away each),
     * the search keys and the search page.  A lazily verifying reader
     * hashes these first "eager" bytes at load.
     */
    for (id = 0; id < b->n; id++) {
        e = &b->entries[id];

        t[id].slug = glossary_text(&b->strings, &e->slug);
        t[id].related_first = b->first_link[id];
        t[id].related_count = e->nrelated;

        for (j = 0; j < e->nrelated; j++) {
            link = b->first_link[id] + j;

            rel[link].term_id = b->targets[link];
            rel[link].slug = glossary_string_raw(&b->strings,
                                                 e->related[j].slug.data,
                                                 e->related[j].slug.len);
        }
    }

    /* linear probing, a bucket holds id + 1 */
    hash = glossary_fixed(b, GLOSSARY_SECTION_HASH);
    hash->bucket_count = b->nbuckets;
    hash->max_probe = b->max_probe;
    memcpy(hash + 1, b->buckets, (size_t) b->nbuckets * sizeof(uint32_t));

    if (b->sk.n != 0) {
        glossary_search_write(&b->sk, &b->strings,
                            glossary_fixed(b, GLOSSARY_SECTION_SEARCH_TERMS),
                            glossary_fixed(b, GLOSSARY_SECTION_SEARCH_WORDS));
    }

    if (b->nseg != 0) {
        glossary_search_page(&b->page, &b->strings,
                             glossary_fixed(b, GLOSSARY_SECTION_SEARCH_PAGE));
    }

    glossary_buf_free(&b->page);

    memcpy(glossary_fixed(b, GLOSSARY_SECTION_AUTOLINK), b->autolink,
           b->autolink_size);

    b->eager = b->strings.len;

    /*
     * Then the texts no check reads, verified at first use (a variable's
     * name or category): names, categories, short definitions
     */
    for (id = 0; id < b->n; id++) {
        e = &b->entries[id];

        t[id].term = glossary_text(&b->strings, &e->term);
        t[id].category = glossary_text(&b->strings, &e->category);
        t[id].short_definition = glossary_text(&b->strings,
                                               &e->short_definition);

        for (j = 0; j < e->nrelated; j++) {
            link = b->first_link[id] + j;
            rel[link].name = glossary_text(&b->strings, &e->related[j].name);
        }
    }

    if (!b->fts_on) {
        return GLOSSARY_EXIT_OK;
    }

    /*
     * the search index's thread: the terms' texts into STRINGS, after
     * those, then the index, while the documents are rendered
     */
    return glossary_fts_blob_start(&b->fts, b->entries, b->n,
                                   b->site.cat_of, &b->strings);
}


static int
glossary_build_render(glossary_builder_t *b)
{
    return glossary_render(&b->render);
}


/* the search index's thread done: its texts are in the file */
static int
glossary_build_search(glossary_builder_t *b)
{
    return glossary_fts_blob_wait(&b->fts, b->out.tmp);
}


/*
 * STRINGS is complete: CHUNKS goes after it, the blob's size is known and
 * checked, and the file gets everything before STRINGS and after it, with
 * the index checksum, computed from memory.  What that needed is released,
 * the model too.
 */
static int
glossary_build_finish(glossary_builder_t *b)
{
    int                      rc;
    glossary_layout_t       *l;
    glossary_fts_section_t   fts;

    glossary_strings_stop(&b->strings);

    if (b->fts_on) {
        glossary_fts_blob_hashes(&b->fts, &b->strings);
    }

    l = &b->lay;
    l->count[GLOSSARY_SECTION_STRINGS] = b->strings.len;
    l->count[GLOSSARY_SECTION_CHUNKS] = (b->strings.len
                                         + ((uint64_t) 1
                                            << GLOSSARY_CHUNK_SHIFT) - 1)
                                        >> GLOSSARY_CHUNK_SHIFT;
    if (b->fts_on) {
        l->count[GLOSSARY_SECTION_FTS] = b->fts.img.size;
    }

    glossary_layout_place(l);
    b->total = l->end;

    if (b->total > b->max_size) {
        glossary_error("the blob would be %llu bytes, over the limit of "
                       "%llu%s", (unsigned long long) b->total,
                       (unsigned long long) b->max_size,
                       glossary_limit_name(b->max_size));
        return GLOSSARY_EXIT_DATA;
    }

    rc = glossary_strings_error(&b->strings, b->out.tmp);
    if (rc != GLOSSARY_EXIT_OK) {
        return rc;
    }

    rc = glossary_write_chunks(b);
    if (rc != GLOSSARY_EXIT_OK) {
        return rc;
    }

    glossary_write_header(b);
    ((glossary_header_t *) b->fixed)->index_checksum =
        glossary_index_checksum(b);

    rc = glossary_out_write(&b->out, b->fixed,
                            l->offset[GLOSSARY_SECTION_STRINGS], 0);
    if (rc != GLOSSARY_EXIT_OK) {
        return rc;
    }

    /* the padding before it is the file's hole: zeros */
    rc = glossary_out_write(&b->out, b->chunks, b->chunks_size,
                            l->offset[GLOSSARY_SECTION_CHUNKS]);
    if (rc != GLOSSARY_EXIT_OK) {
        return rc;
    }

    if (b->fts_on) {
        glossary_fts_blob_header(&b->fts, &fts);

        rc = glossary_out_write(&b->out, &fts, sizeof(fts),
                                l->offset[GLOSSARY_SECTION_FTS]);
        if (rc != GLOSSARY_EXIT_OK) {
            return rc;
        }

        rc = glossary_out_write(&b->out, b->fts.img.data, b->fts.img.size,
                                l->offset[GLOSSARY_SECTION_FTS]
                                + sizeof(fts));
        if (rc != GLOSSARY_EXIT_OK) {
            return rc;
        }
    }

    b->no_base = (b->site.base.len == 0);
    glossary_build_release(b);

    return GLOSSARY_EXIT_OK;
}


/*
 * The file as written is what is checksummed: read back a window at a
 * time (the file, not what was meant to go into it), every chunk of
 * STRINGS compared with the hash taken as it was written.
 */
static int
glossary_build_seal(glossary_builder_t *b)
{
    uint64_t  bad, strings_off;

    if (ftruncate(b->out.fd, (off_t) b->total) == -1) {
        glossary_error("%s: truncate: %s", b->out.tmp, strerror(errno));
        return GLOSSARY_EXIT_IO;
    }

    b->map = mmap(NULL, b->total, PROT_READ, MAP_SHARED, b->out.fd, 0);

    if (b->map == MAP_FAILED) {
        b->map = NULL;
        glossary_error("%s: mmap: %s", b->out.tmp, strerror(errno));
        return GLOSSARY_EXIT_IO;
    }

    strings_off = b->lay.offset[GLOSSARY_SECTION_STRINGS];

    b->checksum = glossary_scan(b->map, b->total, strings_off,
                                b->lay.count[GLOSSARY_SECTION_STRINGS],
                                GLOSSARY_CHUNK_SHIFT,
                                (uint64_t *) (b->chunks + 1),
                                &bad);

    if (bad != UINT64_MAX) {
        glossary_error("%s: internal error, chunk %llu of the strings reads "
                       "back otherwise than it was written", b->out.tmp,
                       (unsigned long long) bad);
        return GLOSSARY_EXIT_IO;
    }

    return glossary_out_write(&b->out, &b->checksum, sizeof(uint64_t),
                              offsetof(glossary_header_t, checksum));
}


/*
 * What nginx will refuse, opening it either way, is never published: the
 * lazy open reads the index (index checksum, eager chunks, structure), the
 * full one the ETags too, with the checksum just read back; every chunk
 * was checked on the way
 */
static int
glossary_build_publish(glossary_builder_t *b)
{
    int                rc;
    glossary_status_t  st;

    st = glossary_blob_open_flags(&b->check, b->map, b->total,
                                  GLOSSARY_OPEN_LAZY);

    if (st == GLOSSARY_OK) {
        st = glossary_blob_open_summed(&b->check, b->map, b->total, 0,
                                       b->checksum);
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
    /* its thread reads the model */
    glossary_fts_blob_free(&b->fts);
    glossary_render_stop(&b->render);
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
    free(b->autolink);
    b->autolink = NULL;
    b->targets = NULL;
    b->first_link = NULL;
    b->buckets = NULL;
    b->fixed = NULL;

    malloc_trim(0);
}


/* the last of it: what seal read the file back against */
static void
glossary_build_free_chunks(glossary_builder_t *b)
{
    free(b->chunks);
    b->chunks = NULL;
}


/* whatever the step that stopped: the one way out */
static void
glossary_build_cleanup(glossary_builder_t *b)
{
    if (b->map != NULL) {
        munmap(b->map, b->total);
    }

    glossary_build_free_chunks(b);

    /* the writer stops before the file is closed */
    glossary_strings_stop(&b->strings);

    if (!b->committed) {
        glossary_out_abort(&b->out);
    }

    glossary_build_release(b);
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
                      "%s:%llu:%llu)", dup->slug.data, e->loc.file,
                      (unsigned long long) e->loc.line,
                      (unsigned long long) e->loc.column);

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
    uint32_t           id, j, first_from, first_to;
    uint64_t           link;
    glossary_entry_t  *e;

    b->first_link = glossary_xmalloc((size_t) b->n * sizeof(uint64_t));
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


/* the section table: every section placed, by id; their count */
static uint32_t
glossary_layout_table(const glossary_layout_t *l, glossary_section_t *sec)
{
    uint32_t  id, n;

    n = 0;

    for (id = 1; id <= GLOSSARY_SECTION_LAST; id++) {
        if (glossary_blob_section_def(id) == NULL || l->offset[id] == 0) {
            continue;
        }

        sec[n].id = id;
        sec[n].offset = l->offset[id];
        sec[n].size = glossary_layout_size(l, id);
        n++;
    }

    return n;
}


/* where a section's records go in the buffer of the file up to STRINGS */
static void *
glossary_fixed(glossary_builder_t *b, uint32_t id)
{
    return b->fixed + b->lay.offset[id];
}


/* the header and the section table, at the start of fixed */
static void
glossary_write_header(glossary_builder_t *b)
{
    glossary_header_t  *hd;

    hd = (glossary_header_t *) b->fixed;
    memcpy(hd->magic, GLOSSARY_MAGIC, GLOSSARY_MAGIC_LEN);
    hd->version_major = GLOSSARY_VERSION_MAJOR;
    hd->version_minor = GLOSSARY_VERSION_MINOR;
    hd->byte_order = GLOSSARY_BYTE_ORDER;
    hd->file_size = b->total;
    hd->header_size = GLOSSARY_HEADER_SIZE;
    hd->section_table = GLOSSARY_HEADER_SIZE;
    hd->build_time = b->conf->build_time;
    hd->term_count = b->n;
    hd->docs_per_term = b->nkinds;
    hd->doc_kinds = b->kinds;
    hd->global_docs = GLOSSARY_GLOBAL_DOCS_V1_1;
    hd->flags = b->conf->no_gzip ? GLOSSARY_FLAG_NO_GZIP : 0;

    hd->section_count = glossary_layout_table(&b->lay, (glossary_section_t *)
                                              (b->fixed
                                               + GLOSSARY_HEADER_SIZE));
}


/*
 * CHUNKS, with the hash of each chunk of STRINGS that the writer took as
 * it wrote it (it follows STRINGS after zeros to its 8-byte boundary)
 */
static int
glossary_write_chunks(glossary_builder_t *b)
{
    uint64_t  n, got, *hashes;

    n = b->lay.count[GLOSSARY_SECTION_CHUNKS];

    hashes = glossary_strings_hashes(&b->strings, &got);

    if (got != n) {
        glossary_error("%s: internal error, %llu chunks hashed of %llu",
                       b->out.tmp, (unsigned long long) got,
                       (unsigned long long) n);
        free(hashes);
        return GLOSSARY_EXIT_IO;
    }

    b->chunks_size = sizeof(glossary_chunks_t) + n * sizeof(uint64_t);
    b->chunks = glossary_xcalloc(1, b->chunks_size);
    b->chunks->chunk_shift = GLOSSARY_CHUNK_SHIFT;
    b->chunks->eager_size = b->eager;

    if (n != 0) {
        memcpy(b->chunks + 1, hashes, n * sizeof(uint64_t));
    }

    free(hashes);

    return GLOSSARY_EXIT_OK;
}


/* glossary_blob_index_checksum() of the file, from what goes into it */
static uint64_t
glossary_index_checksum(glossary_builder_t *b)
{
    uint64_t                 h, strings_off, end, pad;
    XXH3_state_t            *st;
    glossary_fts_section_t   fts;

    static const unsigned char  zeros[GLOSSARY_ALIGN];

    strings_off = b->lay.offset[GLOSSARY_SECTION_STRINGS];
    end = strings_off + b->lay.count[GLOSSARY_SECTION_STRINGS];
    pad = b->lay.offset[GLOSSARY_SECTION_CHUNKS] - end;

    h = XXH3_64bits(b->fixed + GLOSSARY_CHECKSUM_FROM,
                    offsetof(glossary_header_t, index_checksum)
                    - GLOSSARY_CHECKSUM_FROM);
    h = XXH3_64bits_withSeed(b->fixed + offsetof(glossary_header_t,
                                                 index_checksum) + 8,
                             strings_off - offsetof(glossary_header_t,
                                                    index_checksum) - 8, h);

    /* what follows STRINGS: the zeros before CHUNKS, and CHUNKS */
    st = XXH3_createState();
    if (st == NULL) {
        glossary_out_of_memory(0);
    }

    XXH3_64bits_reset_withSeed(st, h);
    XXH3_64bits_update(st, zeros, (size_t) pad);
    XXH3_64bits_update(st, b->chunks, (size_t) b->chunks_size);

    /* then the zeros before FTS, and FTS */
    if (b->fts_on) {
        glossary_fts_blob_header(&b->fts, &fts);
        pad = b->lay.offset[GLOSSARY_SECTION_FTS]
              - b->lay.offset[GLOSSARY_SECTION_CHUNKS] - b->chunks_size;
        XXH3_64bits_update(st, zeros, (size_t) pad);
        XXH3_64bits_update(st, &fts, sizeof(fts));
        XXH3_64bits_update(st, b->fts.img.data, (size_t) b->fts.img.size);
    }

    h = XXH3_64bits_digest(st);
    XXH3_freeState(st);

    return h;
}
