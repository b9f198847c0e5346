/*
 * glossaryc back end: model -> checked -> rendered -> blob -> published.
 *
 * The whole blob is assembled in memory, verified by the same reader the
 * module uses, and only then written to a temporary file in the target's
 * directory and renamed over the target: a running nginx keeps its mapping
 * of the old file, and a reload maps the new one whole.
 */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xxhash.h>
#include <yajl/yajl_gen.h>
#include <zlib.h>

#include "glossary_blob.h"
#include "glossary_build.h"


#define GLOSSARY_SECTIONS       6
#define GLOSSARY_ETAG_LEN       18      /* "0123456789abcdef" */
#define GLOSSARY_GZIP_MAX       ((size_t) 1 << 30)

#define glossary_align(n)       (((n) + GLOSSARY_ALIGN - 1)                   \
                                 & ~(uint64_t) (GLOSSARY_ALIGN - 1))


typedef struct {
    uint64_t        hash;
    uint64_t        off;                /* within the section */
    uint64_t        len;
} glossary_slot_t;


/* the STRINGS section, identical byte strings stored once */
typedef struct {
    unsigned char    *data;
    size_t            len;
    size_t            nalloc;
    uint64_t          base;             /* file offset of the section */
    glossary_slot_t  *slots;
    size_t            nslots;           /* a power of two */
    size_t            used;
} glossary_strings_t;


typedef struct {
    yajl_gen          g;
    int               status;           /* first failed yajl_gen_status */
} glossary_gen_t;


typedef struct {
    glossary_model_t   *model;
    glossary_entry_t   *entries;        /* sorted by slug: index = term id */
    uint32_t            n;
    uint32_t           *targets;        /* per link: term id or NO_TERM */
    uint32_t           *first_link;     /* per entry: index into targets */
    uint32_t            nlinks;
    glossary_strings_t  strings;
} glossary_builder_t;


static int glossary_entry_cmp(const void *a, const void *b);
static int glossary_check_duplicates(glossary_builder_t *b);
static uint32_t glossary_find(glossary_builder_t *b, const glossary_text_t *s);
static void glossary_resolve(glossary_builder_t *b,
    const glossary_build_conf_t *conf);
static uint32_t *glossary_hash_table(glossary_builder_t *b,
    uint32_t *nbuckets, uint32_t *max_probe);
static glossary_ref_t glossary_string(glossary_strings_t *s, const void *p,
    size_t len);
static glossary_ref_t glossary_text(glossary_strings_t *s,
    const glossary_text_t *t);
static int glossary_document(glossary_builder_t *b, glossary_gen_t *gen,
    glossary_doc_t *doc, const char *what);
static void glossary_render_term(glossary_builder_t *b, glossary_gen_t *gen,
    uint32_t id);
static void glossary_render_related(glossary_builder_t *b,
    glossary_gen_t *gen, uint32_t id);
static void glossary_render_index(glossary_builder_t *b, glossary_gen_t *gen);
static int glossary_publish(const char *out, const unsigned char *data,
    size_t size);


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
    int                   rc;
    char                  what[GLOSSARY_MAX_SLUG_LEN + 32];
    size_t                j;
    uint32_t              id, nbuckets, *buckets, max_probe, link;
    uint64_t              off_terms, off_related, off_hash, off_docs;
    uint64_t              off_globals, off_strings, total;
    unsigned char        *fixed, *blob;
    glossary_gen_t        gen;
    glossary_hash_t      *hash;
    glossary_term_t      *t;
    glossary_doc_t       *docs, *globals;
    glossary_blob_t       check;
    glossary_entry_t     *e;
    glossary_status_t     st;
    glossary_header_t    *hd;
    glossary_section_t   *sec;
    glossary_related_t   *rel;
    glossary_builder_t    b;

    if (m->nentries == 0) {
        glossary_error("no terms in the input: refusing to publish an empty "
                       "glossary");
        return GLOSSARY_EXIT_DATA;
    }

    memset(&b, 0, sizeof(glossary_builder_t));
    b.model = m;
    b.entries = m->entries;
    b.n = (uint32_t) m->nentries;

    qsort(b.entries, b.n, sizeof(glossary_entry_t), glossary_entry_cmp);

    rc = glossary_check_duplicates(&b);
    if (rc != GLOSSARY_EXIT_OK) {
        return rc;
    }

    glossary_resolve(&b, conf);

    nbuckets = 8;
    while (nbuckets < 2 * (uint64_t) b.n) {
        nbuckets *= 2;
    }

    buckets = glossary_hash_table(&b, &nbuckets, &max_probe);

    /* layout: everything but STRINGS has a size known from the counts */

    off_terms = glossary_align(GLOSSARY_HEADER_SIZE
                               + GLOSSARY_SECTIONS
                                 * sizeof(glossary_section_t));
    off_related = glossary_align(off_terms
                                 + (uint64_t) b.n * sizeof(glossary_term_t));
    off_hash = glossary_align(off_related
                              + (uint64_t) b.nlinks
                                * sizeof(glossary_related_t));
    off_docs = glossary_align(off_hash + sizeof(glossary_hash_t)
                              + (uint64_t) nbuckets * sizeof(uint32_t));
    off_globals = glossary_align(off_docs
                                 + (uint64_t) b.n * GLOSSARY_DOCS_PER_TERM_V1
                                   * sizeof(glossary_doc_t));
    off_strings = glossary_align(off_globals
                                 + GLOSSARY_GLOBAL_DOCS_V1
                                   * sizeof(glossary_doc_t));

    fixed = calloc(1, off_strings);
    if (fixed == NULL) {
        glossary_error("out of memory");
        free(buckets);
        return GLOSSARY_EXIT_IO;
    }

    b.strings.base = off_strings;

    /* TERMS and RELATED */

    t = (glossary_term_t *) (fixed + off_terms);
    rel = (glossary_related_t *) (fixed + off_related);

    for (id = 0; id < b.n; id++) {
        e = &b.entries[id];

        t[id].slug = glossary_text(&b.strings, &e->slug);
        t[id].term = glossary_text(&b.strings, &e->term);
        t[id].category = glossary_text(&b.strings, &e->category);
        t[id].short_definition = glossary_text(&b.strings,
                                               &e->short_definition);
        t[id].related_first = b.first_link[id];
        t[id].related_count = e->nrelated;

        for (j = 0; j < e->nrelated; j++) {
            link = b.first_link[id] + (uint32_t) j;

            rel[link].term_id = b.targets[link];
            rel[link].slug = glossary_text(&b.strings, &e->related[j].slug);
            rel[link].name = glossary_text(&b.strings, &e->related[j].name);
        }
    }

    /* HASH: linear probing, a bucket holds id + 1 */

    hash = (glossary_hash_t *) (fixed + off_hash);
    hash->bucket_count = nbuckets;
    hash->max_probe = max_probe;
    memcpy(hash + 1, buckets, (size_t) nbuckets * sizeof(uint32_t));

    /* DOCS and GLOBALS */

    docs = (glossary_doc_t *) (fixed + off_docs);
    globals = (glossary_doc_t *) (fixed + off_globals);
    rc = GLOSSARY_EXIT_OK;

    for (id = 0; id < b.n && rc == GLOSSARY_EXIT_OK; id++) {
        snprintf(what, sizeof(what), "term \"%s\"", b.entries[id].slug.data);

        glossary_render_term(&b, &gen, id);
        rc = glossary_document(&b, &gen,
                               &docs[(size_t) id * GLOSSARY_DOCS_PER_TERM_V1
                                     + GLOSSARY_DOC_TERM_JSON], what);

        if (rc == GLOSSARY_EXIT_OK) {
            glossary_render_related(&b, &gen, id);
            rc = glossary_document(&b, &gen,
                                   &docs[(size_t) id
                                         * GLOSSARY_DOCS_PER_TERM_V1
                                         + GLOSSARY_DOC_RELATED_JSON],
                                   what);
        }
    }

    if (rc == GLOSSARY_EXIT_OK) {
        glossary_render_index(&b, &gen);
        rc = glossary_document(&b, &gen, &globals[GLOSSARY_GLOBAL_INDEX_JSON],
                               "the index");
    }

    blob = NULL;
    total = off_strings + b.strings.len;

    if (rc == GLOSSARY_EXIT_OK && total > GLOSSARY_MAX_FILE_SIZE) {
        glossary_error("the blob would be %llu bytes, over the limit of "
                       "%llu", (unsigned long long) total,
                       (unsigned long long) GLOSSARY_MAX_FILE_SIZE);
        rc = GLOSSARY_EXIT_DATA;
    }

    if (rc != GLOSSARY_EXIT_OK) {
        goto done;
    }

    /* header and section table, then the checksum over all of it */

    hd = (glossary_header_t *) fixed;
    memcpy(hd->magic, GLOSSARY_MAGIC, GLOSSARY_MAGIC_LEN);
    hd->version_major = GLOSSARY_VERSION_MAJOR;
    hd->version_minor = GLOSSARY_VERSION_MINOR;
    hd->byte_order = GLOSSARY_BYTE_ORDER;
    hd->file_size = total;
    hd->header_size = GLOSSARY_HEADER_SIZE;
    hd->section_count = GLOSSARY_SECTIONS;
    hd->section_table = GLOSSARY_HEADER_SIZE;
    hd->build_time = conf->build_time;
    hd->term_count = b.n;
    hd->docs_per_term = GLOSSARY_DOCS_PER_TERM_V1;
    hd->global_docs = GLOSSARY_GLOBAL_DOCS_V1;

    sec = (glossary_section_t *) (fixed + GLOSSARY_HEADER_SIZE);

    sec[0].id = GLOSSARY_SECTION_STRINGS;
    sec[0].offset = off_strings;
    sec[0].size = b.strings.len;
    sec[1].id = GLOSSARY_SECTION_TERMS;
    sec[1].offset = off_terms;
    sec[1].size = (uint64_t) b.n * sizeof(glossary_term_t);
    sec[2].id = GLOSSARY_SECTION_HASH;
    sec[2].offset = off_hash;
    sec[2].size = sizeof(glossary_hash_t)
                  + (uint64_t) nbuckets * sizeof(uint32_t);
    sec[3].id = GLOSSARY_SECTION_DOCS;
    sec[3].offset = off_docs;
    sec[3].size = (uint64_t) b.n * GLOSSARY_DOCS_PER_TERM_V1
                  * sizeof(glossary_doc_t);
    sec[4].id = GLOSSARY_SECTION_GLOBALS;
    sec[4].offset = off_globals;
    sec[4].size = GLOSSARY_GLOBAL_DOCS_V1 * sizeof(glossary_doc_t);
    sec[5].id = GLOSSARY_SECTION_RELATED;
    sec[5].offset = off_related;
    sec[5].size = (uint64_t) b.nlinks * sizeof(glossary_related_t);

    blob = malloc(total);
    if (blob == NULL) {
        glossary_error("out of memory (%llu bytes)",
                       (unsigned long long) total);
        rc = GLOSSARY_EXIT_IO;
        goto done;
    }

    memcpy(blob, fixed, off_strings);
    if (b.strings.len) {
        memcpy(blob + off_strings, b.strings.data, b.strings.len);
    }

    ((glossary_header_t *) blob)->checksum =
        glossary_blob_checksum(blob, total);

    /* what nginx will refuse must never be published */
    st = glossary_blob_open(&check, blob, total);
    if (st != GLOSSARY_OK) {
        glossary_error("%s: internal error, the blob does not verify: %s: %s",
                       conf->out, glossary_blob_strerror(st), check.detail);
        rc = GLOSSARY_EXIT_DATA;
        goto done;
    }

    rc = glossary_publish(conf->out, blob, total);

    if (rc == GLOSSARY_EXIT_OK && !conf->quiet) {
        glossary_error("%s: %u terms, %llu bytes, build %s", conf->out,
                       (unsigned) b.n, (unsigned long long) total,
                       check.build_id);
    }

done:

    free(blob);
    free(fixed);
    free(buckets);
    free(b.targets);
    free(b.first_link);
    free(b.strings.data);
    free(b.strings.slots);

    return rc;
}


static int
glossary_bytes_cmp(const glossary_text_t *a, const glossary_text_t *b)
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


static int
glossary_entry_cmp(const void *a, const void *b)
{
    int                      rc;
    const glossary_entry_t  *x, *y;

    x = a;
    y = b;

    rc = glossary_bytes_cmp(&x->slug, &y->slug);
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

        if (glossary_bytes_cmp(&e->slug, &e[-1].slug) == 0
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
                  && glossary_bytes_cmp(&e[-1].slug, &dup->slug) == 0; e--)
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
        rc = glossary_bytes_cmp(&b->entries[mid].slug, s);

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
glossary_resolve(glossary_builder_t *b, const glossary_build_conf_t *conf)
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

    if (dangling == 0 || conf->quiet) {
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
        buckets = calloc(*nbuckets, sizeof(uint32_t));
        if (buckets == NULL) {
            glossary_error("out of memory");
            exit(GLOSSARY_EXIT_IO);
        }

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


/* STRINGS */

static glossary_ref_t
glossary_string(glossary_strings_t *s, const void *p, size_t len)
{
    size_t            i, nslots;
    uint64_t          h;
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

        s->slots = calloc(nslots, sizeof(glossary_slot_t));
        if (s->slots == NULL) {
            glossary_error("out of memory");
            exit(GLOSSARY_EXIT_IO);
        }

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

    h = XXH3_64bits(p, len);
    slot = &s->slots[h & (s->nslots - 1)];

    while (slot->len != 0) {
        if (slot->hash == h && slot->len == len
            && memcmp(s->data + slot->off, p, len) == 0)
        {
            ref.off = s->base + slot->off;
            ref.len = len;
            return ref;
        }

        slot = &s->slots[(slot - s->slots + 1) & (s->nslots - 1)];
    }

    if (s->nalloc - s->len < len) {
        s->nalloc = s->nalloc ? s->nalloc : 65536;

        while (s->nalloc - s->len < len) {
            s->nalloc *= 2;
        }

        s->data = glossary_xrealloc(s->data, s->nalloc);
    }

    memcpy(s->data + s->len, p, len);

    slot->hash = h;
    slot->off = s->len;
    slot->len = len;
    s->used++;

    ref.off = s->base + s->len;
    ref.len = len;
    s->len += len;

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
        glossary_error("out of memory");
        exit(GLOSSARY_EXIT_IO);
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


static int
glossary_fold_cmp(const glossary_text_t *a, const glossary_text_t *b)
{
    size_t         i, n;
    unsigned char  x, y;

    n = a->len < b->len ? a->len : b->len;

    for (i = 0; i < n; i++) {
        x = (unsigned char) a->data[i];
        y = (unsigned char) b->data[i];

        x = (x >= 'A' && x <= 'Z') ? x + 32 : x;
        y = (y >= 'A' && y <= 'Z') ? y + 32 : y;

        if (x != y) {
            return x < y ? -1 : 1;
        }
    }

    return (a->len > b->len) - (a->len < b->len);
}


static int
glossary_index_cmp(const void *a, const void *b)
{
    int                      rc;
    const glossary_entry_t  *x, *y;

    x = *(glossary_entry_t * const *) a;
    y = *(glossary_entry_t * const *) b;

    rc = glossary_fold_cmp(&x->term, &y->term);
    if (rc != 0) {
        return rc;
    }

    rc = glossary_bytes_cmp(&x->term, &y->term);
    if (rc != 0) {
        return rc;
    }

    return glossary_bytes_cmp(&x->slug, &y->slug);
}


static void
glossary_render_index(glossary_builder_t *b, glossary_gen_t *gen)
{
    uint32_t            i;
    glossary_entry_t  **order;

    order = glossary_xmalloc((size_t) b->n * sizeof(glossary_entry_t *));

    for (i = 0; i < b->n; i++) {
        order[i] = &b->entries[i];
    }

    qsort(order, b->n, sizeof(glossary_entry_t *), glossary_index_cmp);

    glossary_gen_open(gen);
    glossary_gen_status(gen, yajl_gen_array_open(gen->g));

    for (i = 0; i < b->n; i++) {
        glossary_gen_status(gen, yajl_gen_map_open(gen->g));
        glossary_gen_pair(gen, "slug", &order[i]->slug);
        glossary_gen_pair(gen, "term", &order[i]->term);
        glossary_gen_pair(gen, "category", &order[i]->category);
        glossary_gen_status(gen, yajl_gen_map_close(gen->g));
    }

    glossary_gen_status(gen, yajl_gen_array_close(gen->g));

    free(order);
}


static glossary_ref_t
glossary_etag(glossary_strings_t *s, const unsigned char *p, size_t len)
{
    char  etag[GLOSSARY_ETAG_LEN + 1];

    snprintf(etag, sizeof(etag), "\"%016llx\"",
             (unsigned long long) XXH3_64bits(p, len));

    return glossary_string(s, etag, GLOSSARY_ETAG_LEN);
}


/*
 * Stores the generated body, its ETag, and the gzip variant when it is
 * strictly smaller.  Frees the generator.
 */
static int
glossary_document(glossary_builder_t *b, glossary_gen_t *gen,
    glossary_doc_t *doc, const char *what)
{
    int                   rc;
    size_t                len;
    uLong                 bound;
    z_stream              z;
    unsigned char        *gz;
    const unsigned char  *body;

    if (gen->status != yajl_gen_status_ok
        || yajl_gen_get_buf(gen->g, &body, &len) != yajl_gen_status_ok)
    {
        glossary_error("%s: cannot render JSON (yajl_gen status %d)", what,
                       gen->status);
        yajl_gen_free(gen->g);
        return GLOSSARY_EXIT_DATA;
    }

    doc->body = glossary_string(&b->strings, body, len);
    doc->etag = glossary_etag(&b->strings, body, len);

    /* zlib's counters are 32-bit; a body that big goes uncompressed */
    if (len == 0 || len > GLOSSARY_GZIP_MAX) {
        yajl_gen_free(gen->g);
        return GLOSSARY_EXIT_OK;
    }

    memset(&z, 0, sizeof(z_stream));

    /* windowBits 15 + 16: a gzip wrapper, with mtime 0 (reproducible) */
    if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY)
        != Z_OK)
    {
        glossary_error("%s: deflateInit2() failed", what);
        yajl_gen_free(gen->g);
        return GLOSSARY_EXIT_IO;
    }

    bound = deflateBound(&z, len);
    gz = glossary_xmalloc(bound);

    z.next_in = (unsigned char *) body;
    z.avail_in = (uInt) len;
    z.next_out = gz;
    z.avail_out = (uInt) bound;

    rc = deflate(&z, Z_FINISH);
    deflateEnd(&z);

    if (rc != Z_STREAM_END) {
        glossary_error("%s: deflate() failed (%d)", what, rc);
        free(gz);
        yajl_gen_free(gen->g);
        return GLOSSARY_EXIT_IO;
    }

    if (z.total_out < len) {
        doc->gzip_body = glossary_string(&b->strings, gz, z.total_out);
        doc->gzip_etag = glossary_etag(&b->strings, gz, z.total_out);

    } else {
        doc->gzip_body = glossary_string(&b->strings, NULL, 0);
        doc->gzip_etag = doc->gzip_body;
    }

    free(gz);
    yajl_gen_free(gen->g);

    return GLOSSARY_EXIT_OK;
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


static int
glossary_write_all(int fd, const unsigned char *p, size_t size)
{
    ssize_t  n;

    while (size > 0) {
        n = write(fd, p, size > ((size_t) 1 << 30) ? (size_t) 1 << 30 : size);

        if (n == -1) {
            if (errno == EINTR) {
                continue;
            }

            return -1;
        }

        p += n;
        size -= n;
    }

    return 0;
}


static int
glossary_publish(const char *out, const unsigned char *data, size_t size)
{
    int                 fd, dfd, rc, i;
    char               *dir, *tmp;
    size_t              dlen;
    const char         *name, *slash;
    struct sigaction    sa, saved[4];

    static const int    signals[4] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

    slash = strrchr(out, '/');

    if (slash == NULL) {
        dir = strdup(".");
        name = out;

    } else {
        dlen = slash == out ? 1 : (size_t) (slash - out);
        dir = strndup(out, dlen);
        name = slash + 1;
    }

    if (dir == NULL) {
        glossary_error("out of memory");
        return GLOSSARY_EXIT_IO;
    }

    if (*name == '\0') {
        glossary_error("%s: the output must name a file", out);
        free(dir);
        return GLOSSARY_EXIT_USAGE;
    }

    tmp = glossary_xmalloc(strlen(dir) + strlen(name) + 16);
    sprintf(tmp, "%s/.%s.XXXXXX", dir, name);

    memset(&sa, 0, sizeof(struct sigaction));
    sa.sa_handler = glossary_on_signal;
    sigemptyset(&sa.sa_mask);

    for (i = 0; i < 4; i++) {
        sigaction(signals[i], &sa, &saved[i]);
    }

    rc = GLOSSARY_EXIT_IO;
    fd = mkostemp(tmp, O_CLOEXEC);

    if (fd == -1) {
        glossary_error("%s: cannot create a temporary file in \"%s\": %s",
                       out, dir, strerror(errno));
        goto restore;
    }

    glossary_tmp_path = tmp;

    if (fchmod(fd, 0644) == -1) {
        glossary_error("%s: fchmod: %s", tmp, strerror(errno));
        goto fail;
    }

    if (glossary_write_all(fd, data, size) == -1) {
        glossary_error("%s: write: %s", tmp, strerror(errno));
        goto fail;
    }

    if (fsync(fd) == -1) {
        glossary_error("%s: fsync: %s", tmp, strerror(errno));
        goto fail;
    }

    if (close(fd) == -1) {
        fd = -1;
        glossary_error("%s: close: %s", tmp, strerror(errno));
        goto fail;
    }

    fd = -1;

    if (rename(tmp, out) == -1) {
        glossary_error("%s: cannot rename \"%s\" over it: %s", out, tmp,
                       strerror(errno));
        goto fail;
    }

    glossary_tmp_path = NULL;

    /* the rename itself must reach the disk too */
    dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (dfd == -1 || fsync(dfd) == -1) {
        glossary_error("%s: fsync of directory \"%s\": %s", out, dir,
                       strerror(errno));
        if (dfd != -1) {
            close(dfd);
        }
        goto restore;
    }

    close(dfd);
    rc = GLOSSARY_EXIT_OK;
    goto restore;

fail:

    if (fd != -1) {
        close(fd);
    }

    unlink(tmp);
    glossary_tmp_path = NULL;

restore:

    for (i = 0; i < 4; i++) {
        sigaction(signals[i], &saved[i], NULL);
    }

    free(tmp);
    free(dir);

    return rc;
}
