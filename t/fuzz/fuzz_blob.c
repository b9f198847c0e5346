/*
 * libFuzzer target for the blob reader (src/blob/glossary_blob.c).
 *
 * Random bytes almost never carry a matching checksum and file size, and a
 * fuzzer stuck at those two checks tests nothing else; so, before opening,
 * the target writes the input's real size into file_size and re-seals the
 * checksum, and it is the structural validation that gets fuzzed.  Build
 * with -DFUZZ_BLOB_RAW to open the input exactly as given.
 *
 * When the reader accepts an input, everything a server could reach is
 * exercised: lookups of every slug in the blob and of bytes of the input,
 * every document kind, every byte of every reachable reference.  A
 * reference outside STRINGS, a term not found under its own slug, or a
 * failure without a message aborts, so the fuzzer reports it.
 *
 * Format 1.2: the same bytes are opened with GLOSSARY_OPEN_LAZY, DEEP and
 * both; a lazily opened blob gets glossary_lazy_doc() over every document
 * and glossary_lazy_ref() over every string, in a state of exactly
 * glossary_lazy_size() bytes.  Then, when the input has a CHUNKS section,
 * a second copy with its chunk hashes and index checksum re-sealed too
 * (so that the structure behind them gets fuzzed), where a lazy open and
 * the lazy checks of every document must come to what a full open says:
 * either both accept the blob or both refuse it.  A blob that opens DEEP
 * must open in full and lazily, every document passing.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glossary_blob.h"


#define FUZZ_BLOB_MAX_SIZE  (4u << 20)


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_blob_fail(const char *what, uint64_t i);
static void fuzz_blob_ref(const glossary_blob_t *blob, glossary_ref_t ref,
    const char *what, uint64_t i);
static void fuzz_blob_doc(const glossary_blob_t *blob,
    const glossary_doc_t *d, const char *what, uint64_t i);
static void fuzz_blob_walk(const glossary_blob_t *blob, const uint8_t *data,
    size_t size);
static glossary_status_t fuzz_blob_open(glossary_blob_t *blob,
    const unsigned char *p, size_t size, unsigned flags, const uint8_t *data);
static void fuzz_blob_lazy_rc(const glossary_blob_t *blob,
    const glossary_lazy_t *lz, glossary_status_t rc, int doc, uint64_t i);
static uint64_t fuzz_blob_lazy(const glossary_blob_t *blob);
static void fuzz_blob_modes(const unsigned char *copy, size_t size,
    const uint8_t *data, const glossary_blob_t *full, glossary_status_t rc);


static volatile uint64_t  fuzz_blob_sink;


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint64_t            v;
    unsigned char      *copy;
    glossary_blob_t     blob;
    glossary_status_t   rc;

    if (size > FUZZ_BLOB_MAX_SIZE) {
        return 0;
    }

    /* malloc is suitably aligned; exactly size bytes, for ASan */
    copy = malloc(size ? size : 1);
    if (copy == NULL) {
        return 0;
    }

    if (size) {
        memcpy(copy, data, size);
    }

#ifndef FUZZ_BLOB_RAW
    if (size >= GLOSSARY_HEADER_SIZE) {
        v = size;
        memcpy(copy + 24, &v, sizeof(v));
        v = glossary_blob_checksum(copy, size);
        memcpy(copy + 16, &v, sizeof(v));
    }
#else
    (void) v;
#endif

    memset(&blob, 0xa5, sizeof(blob));

    rc = glossary_blob_open(&blob, copy, size);

    if ((unsigned) rc >= GLOSSARY_ERR_LAST
        || glossary_blob_strerror(rc) == NULL
        || memchr(blob.detail, '\0', sizeof(blob.detail)) == NULL)
    {
        fuzz_blob_fail("status or detail", rc);
    }

    if (rc != GLOSSARY_OK && blob.detail[0] == '\0') {
        fuzz_blob_fail("failure without a detail", rc);
    }

    if (rc == GLOSSARY_OK) {
        fuzz_blob_walk(&blob, data, size);
    }

    fuzz_blob_modes(copy, size, data, &blob, rc);

    free(copy);

    return 0;
}


/* glossary_blob_open_flags() with the checks of every open */
static glossary_status_t
fuzz_blob_open(glossary_blob_t *blob, const unsigned char *p, size_t size,
    unsigned flags, const uint8_t *data)
{
    glossary_status_t  rc;

    memset(blob, 0xa5, sizeof(glossary_blob_t));

    rc = glossary_blob_open_flags(blob, p, size, flags);

    if ((unsigned) rc >= GLOSSARY_ERR_LAST
        || memchr(blob->detail, '\0', sizeof(blob->detail)) == NULL
        || (rc != GLOSSARY_OK && blob->detail[0] == '\0'))
    {
        fuzz_blob_fail("open_flags: status or detail", flags);
    }

    if (rc != GLOSSARY_OK) {
        return rc;
    }

    /* lazy exactly when asked for (DEEP overrides it) and possible */
    if (blob->lazy
        != ((flags & (GLOSSARY_OPEN_LAZY | GLOSSARY_OPEN_DEEP))
            == GLOSSARY_OPEN_LAZY
            && blob->chunk_hashes != NULL))
    {
        fuzz_blob_fail("blob->lazy", flags);
    }

    if (blob->chunk_hashes != NULL
        && (blob->chunk_shift < GLOSSARY_CHUNK_SHIFT_MIN
            || blob->chunk_shift > GLOSSARY_CHUNK_SHIFT_MAX
            || blob->eager_size > blob->strings_size
            || blob->chunk_count
               != (blob->strings_size + ((uint64_t) 1 << blob->chunk_shift)
                   - 1) >> blob->chunk_shift
            || (const unsigned char *) blob->chunk_hashes < p
            || (const unsigned char *) (blob->chunk_hashes
                                        + blob->chunk_count) > p + size))
    {
        fuzz_blob_fail("CHUNKS fields", blob->chunk_count);
    }

    fuzz_blob_walk(blob, data, size);

    return rc;
}


static void
fuzz_blob_lazy_rc(const glossary_blob_t *blob, const glossary_lazy_t *lz,
    glossary_status_t rc, int doc, uint64_t i)
{
    if (rc == GLOSSARY_OK) {
        return;
    }

    if (!blob->lazy
        || (rc != GLOSSARY_ERR_CHUNK && (!doc || rc != GLOSSARY_ERR_DOCS))
        || memchr(lz->detail, '\0', sizeof(lz->detail)) == NULL
        || lz->detail[0] == '\0')
    {
        fuzz_blob_fail(doc ? "lazy_doc status or detail"
                           : "lazy_ref status or detail", i);
    }
}


/*
 * glossary_lazy_doc() twice over every document (the same answer twice),
 * glossary_lazy_ref() over every string a server sends; the failures
 */
static uint64_t
fuzz_blob_lazy(const glossary_blob_t *blob)
{
    size_t                      size;
    uint32_t                    i, k, n, nrel;
    uint64_t                    bad, slot;
    unsigned char              *mem;
    glossary_lazy_t             lz;
    glossary_status_t           rc, again;
    const glossary_doc_t       *d;
    const glossary_ref_t       *ref;
    const glossary_term_t      *t;
    const glossary_related_t   *r;
    const glossary_category_t  *c;

    size = glossary_lazy_size(blob);

    if (!blob->lazy && size != 0) {
        fuzz_blob_fail("lazy_size of a blob opened in full", size);
    }

    /* zeroed, exactly that size, so that ASan sees a bit out of place */
    mem = calloc(1, size ? size : 1);
    if (mem == NULL) {
        return 0;
    }

    memset(&lz, 0xa5, sizeof(lz));
    glossary_lazy_init(&lz, blob, mem);

    bad = 0;
    slot = 0;
    n = blob->term_count * blob->docs_per_term + blob->global_docs
        + 2 * blob->category_count;

    for (i = 0; i < n; i++) {
        k = i;

        if (k < blob->term_count * blob->docs_per_term) {
            d = glossary_blob_doc(blob, k / blob->docs_per_term,
                                  k % blob->docs_per_term);
        } else if ((k -= blob->term_count * blob->docs_per_term)
                   < blob->global_docs)
        {
            d = glossary_blob_global(blob, k);
        } else {
            k -= blob->global_docs;
            c = &blob->categories[k / 2];
            d = (k % 2) ? &c->html : &c->json;
        }

        rc = glossary_lazy_doc(blob, &lz, d);
        fuzz_blob_lazy_rc(blob, &lz, rc, 1, i);
        again = glossary_lazy_doc(blob, &lz, d);
        fuzz_blob_lazy_rc(blob, &lz, again, 1, i);

        if (again != rc) {
            fuzz_blob_fail("lazy_doc changed its mind", i);
        }

        bad += rc != GLOSSARY_OK;
        slot++;
    }

    for (i = 0; i < blob->term_count; i++) {
        t = &blob->terms[i];

        for (k = 0; k < 4; k++) {
            ref = k == 0 ? &t->slug : k == 1 ? &t->term
                  : k == 2 ? &t->category : &t->short_definition;
            rc = glossary_lazy_ref(blob, &lz, ref);
            fuzz_blob_lazy_rc(blob, &lz, rc, 0, i);
            bad += rc != GLOSSARY_OK;
        }

        r = glossary_blob_related(blob, i, &nrel);

        for (k = 0; k < nrel; k++) {
            ref = &r[k].name;
            rc = glossary_lazy_ref(blob, &lz, ref);
            fuzz_blob_lazy_rc(blob, &lz, rc, 0, i);
            bad += rc != GLOSSARY_OK;
        }
    }

    for (i = 0; i < blob->category_count; i++) {
        rc = glossary_lazy_ref(blob, &lz, &blob->categories[i].name);
        fuzz_blob_lazy_rc(blob, &lz, rc, 0, i);
        bad += rc != GLOSSARY_OK;
    }

    for (i = 0; i < blob->search_page_count; i++) {
        rc = glossary_lazy_ref(blob, &lz, &blob->search_page[i].text);
        fuzz_blob_lazy_rc(blob, &lz, rc, 0, i);
        bad += rc != GLOSSARY_OK;
    }

    if (blob->lazy
        && (lz.slots != slot
            || lz.verified > blob->chunk_count
            || lz.ok + lz.corrupt > blob->chunk_count))
    {
        fuzz_blob_fail("lazy state counters", lz.verified);
    }

    free(mem);

    return bad;
}


/*
 * The input opened lazily, deeply, both; then, with a CHUNKS section, a
 * copy with every chunk hash and the index checksum re-sealed, where the
 * lazy verdict must be the full one
 */
static void
fuzz_blob_modes(const unsigned char *copy, size_t size, const uint8_t *data,
    const glossary_blob_t *full, glossary_status_t rc)
{
    uint64_t            i, v, lazy_bad;
    unsigned char      *sealed;
    glossary_blob_t     blob;
    glossary_status_t   rl, rd, r0;

    rl = fuzz_blob_open(&blob, copy, size, GLOSSARY_OPEN_LAZY, data);
    lazy_bad = (rl == GLOSSARY_OK) ? fuzz_blob_lazy(&blob) : 0;

    rd = fuzz_blob_open(&blob, copy, size, GLOSSARY_OPEN_DEEP, data);

    if (rd == GLOSSARY_OK) {
        /* "a blob that opens this way opens lazily too" */
        if (rc != GLOSSARY_OK || rl != GLOSSARY_OK || lazy_bad != 0) {
            fuzz_blob_fail("opens DEEP, not in full or lazily", lazy_bad);
        }

        if (fuzz_blob_lazy(&blob) != 0) {
            fuzz_blob_fail("lazy checks of a blob opened DEEP", 0);
        }
    }

    if (fuzz_blob_open(&blob, copy, size,
                       GLOSSARY_OPEN_LAZY | GLOSSARY_OPEN_DEEP, data)
        == GLOSSARY_OK)
    {
        (void) fuzz_blob_lazy(&blob);

    } else if (rd == GLOSSARY_OK) {
        fuzz_blob_fail("opens DEEP, not LAZY|DEEP", 0);
    }

    if (full->chunk_hashes == NULL || size < GLOSSARY_HEADER_SIZE) {
        return;
    }

    /* the sections lie where the full open found them: re-seal */
    sealed = malloc(size);
    if (sealed == NULL) {
        return;
    }

    memcpy(sealed, copy, size);

    for (i = 0; i < full->chunk_count; i++) {
        v = glossary_blob_chunk_hash(sealed, full->strings_off,
                                     full->strings_size, full->chunk_shift,
                                     i);
        memcpy(sealed + ((const unsigned char *) &full->chunk_hashes[i]
                         - copy), &v, sizeof(v));
    }

    v = glossary_blob_index_checksum(sealed, size, full->strings_off,
                                     full->strings_size);
    memcpy(sealed + offsetof(glossary_header_t, index_checksum), &v,
           sizeof(v));
    v = glossary_blob_checksum(sealed, size);
    memcpy(sealed + offsetof(glossary_header_t, checksum), &v, sizeof(v));

    r0 = fuzz_blob_open(&blob, sealed, size, 0, data);
    rd = fuzz_blob_open(&blob, sealed, size, GLOSSARY_OPEN_DEEP, data);

    if (rd != r0) {
        fuzz_blob_fail("re-sealed: DEEP and full disagree", rd);
    }

    rl = fuzz_blob_open(&blob, sealed, size, GLOSSARY_OPEN_LAZY, data);
    lazy_bad = (rl == GLOSSARY_OK) ? fuzz_blob_lazy(&blob) : 0;

    if ((r0 == GLOSSARY_OK) != (rl == GLOSSARY_OK && lazy_bad == 0)) {
        fprintf(stderr, "fuzz_blob: re-sealed: full %s, lazy %s with %llu "
                "failing documents or strings\n", glossary_blob_strerror(r0),
                glossary_blob_strerror(rl), (unsigned long long) lazy_bad);
        fuzz_blob_fail("re-sealed: lazy and full disagree", lazy_bad);
    }

    free(sealed);
}


static void
fuzz_blob_fail(const char *what, uint64_t i)
{
    fprintf(stderr, "fuzz_blob: %s (%llu) outside STRINGS or invalid\n", what,
            (unsigned long long) i);
    abort();
}


static void
fuzz_blob_ref(const glossary_blob_t *blob, glossary_ref_t ref,
    const char *what, uint64_t i)
{
    uint64_t              k, sum;
    const unsigned char  *p;

    if (ref.off < blob->strings_off
        || ref.off - blob->strings_off > blob->strings_size
        || ref.len > blob->strings_size - (ref.off - blob->strings_off)
        || blob->strings_off > blob->size
        || blob->strings_size > blob->size - blob->strings_off)
    {
        fuzz_blob_fail(what, i);
    }

    p = glossary_blob_ptr(blob, ref);
    sum = 0;

    for (k = 0; k < ref.len; k++) {
        sum += p[k];
    }

    fuzz_blob_sink += sum;
}


static void
fuzz_blob_doc(const glossary_blob_t *blob, const glossary_doc_t *d,
    const char *what, uint64_t i)
{
    char  field[64];

    snprintf(field, sizeof(field), "%s body", what);
    fuzz_blob_ref(blob, d->body, field, i);
    snprintf(field, sizeof(field), "%s etag", what);
    fuzz_blob_ref(blob, d->etag, field, i);
    snprintf(field, sizeof(field), "%s gzip_body", what);
    fuzz_blob_ref(blob, d->gzip_body, field, i);
    snprintf(field, sizeof(field), "%s gzip_etag", what);
    fuzz_blob_ref(blob, d->gzip_etag, field, i);

    if (d->etag.len < 2 || (d->gzip_body.len && d->gzip_etag.len < 2)) {
        fuzz_blob_fail("document without its ETag", i);
    }
}


static void
fuzz_blob_walk(const glossary_blob_t *blob, const uint8_t *data, size_t size)
{
    size_t                     n;
    uint32_t                   i, k, id, nrel, stored;
    const glossary_doc_t      *d;
    const glossary_term_t     *t;
    const glossary_related_t  *r;

    for (i = 0; i < blob->term_count; i++) {
        t = &blob->terms[i];

        fuzz_blob_ref(blob, t->slug, "term slug", i);
        fuzz_blob_ref(blob, t->term, "term name", i);
        fuzz_blob_ref(blob, t->category, "term category", i);
        fuzz_blob_ref(blob, t->short_definition, "term definition", i);

        if (glossary_blob_lookup(blob, glossary_blob_ptr(blob, t->slug),
                                 t->slug.len)
            != i)
        {
            fuzz_blob_fail("term not found under its slug", i);
        }

        /* a prefix of a slug: any answer, but it must end */
        if (t->slug.len > 1) {
            id = glossary_blob_lookup(blob, glossary_blob_ptr(blob, t->slug),
                                      t->slug.len - 1);
            if (id != GLOSSARY_NO_TERM && id >= blob->term_count) {
                fuzz_blob_fail("lookup of a prefix", id);
            }
        }

        r = glossary_blob_related(blob, i, &nrel);

        if (r < blob->related
            || (uint64_t) (r - blob->related) + nrel > blob->related_count)
        {
            fuzz_blob_fail("related range", i);
        }

        for (k = 0; k < nrel; k++, r++) {
            fuzz_blob_ref(blob, r->slug, "related slug", i);
            fuzz_blob_ref(blob, r->name, "related name", i);

            if (r->term_id != GLOSSARY_NO_TERM
                && r->term_id >= blob->term_count)
            {
                fuzz_blob_fail("related target is not a term", r->term_id);
            }

            /* a server could look a related slug up: it must end */
            id = glossary_blob_lookup(blob, glossary_blob_ptr(blob, r->slug),
                                      r->slug.len);
            if (id != GLOSSARY_NO_TERM && id >= blob->term_count) {
                fuzz_blob_fail("lookup of a related slug", id);
            }
        }

        for (k = 0, stored = 0; k <= GLOSSARY_MAX_DOCS_PER_TERM; k++) {
            d = glossary_blob_doc(blob, i, k);

            if ((d != NULL)
                != (k < 64 && ((blob->doc_kinds >> k) & 1) != 0))
            {
                fuzz_blob_fail("doc() and doc_kinds disagree", k);
            }

            if (d != NULL) {
                stored++;
                fuzz_blob_doc(blob, d, "term document", k);
            }
        }

        if (stored != blob->docs_per_term) {
            fuzz_blob_fail("doc_kinds and docs_per_term disagree", i);
        }
    }

    if (glossary_blob_doc(blob, blob->term_count, 0) != NULL
        || glossary_blob_doc(blob, GLOSSARY_NO_TERM, 0) != NULL)
    {
        fuzz_blob_fail("doc() of a term out of range", blob->term_count);
    }

    for (k = 0; k <= blob->global_docs; k++) {
        d = glossary_blob_global(blob, k);

        if ((d == NULL) != (k == blob->global_docs)) {
            fuzz_blob_fail("global() and global_docs disagree", k);
        }

        if (d != NULL) {
            fuzz_blob_doc(blob, d, "global document", k);
        }
    }

    if (glossary_blob_global(blob, UINT32_MAX) != NULL) {
        fuzz_blob_fail("global(2^32-1)", 0);
    }

    /* lookups of arbitrary bytes: the input's head and tail */
    for (n = 0; n <= 16 && n <= size; n++) {
        id = glossary_blob_lookup(blob, data + size - n, n);
        if (id != GLOSSARY_NO_TERM && id >= blob->term_count) {
            fuzz_blob_fail("lookup of input bytes", id);
        }

        id = glossary_blob_lookup(blob, data, n);
        if (id != GLOSSARY_NO_TERM && id >= blob->term_count) {
            fuzz_blob_fail("lookup of input bytes", id);
        }
    }

    fuzz_blob_sink += blob->build_id[0];
}
