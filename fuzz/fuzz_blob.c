/*
 * libFuzzer target for the blob reader (src/glossary_blob.c).
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
 */

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

    free(copy);

    return 0;
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
    uint32_t                   i, k, id;
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

        if ((uint64_t) t->related_first + t->related_count
            > blob->related_count)
        {
            fuzz_blob_fail("related range", i);
        }

        for (k = 0; k < t->related_count; k++) {
            r = &blob->related[t->related_first + k];

            fuzz_blob_ref(blob, r->slug, "related slug", i);
            fuzz_blob_ref(blob, r->name, "related name", i);

            if (r->term_id != GLOSSARY_NO_TERM
                && glossary_blob_doc(blob, r->term_id, 0) == NULL)
            {
                fuzz_blob_fail("related target has no document", r->term_id);
            }

            /* a server could look a related slug up: it must end */
            id = glossary_blob_lookup(blob, glossary_blob_ptr(blob, r->slug),
                                      r->slug.len);
            if (id != GLOSSARY_NO_TERM && id >= blob->term_count) {
                fuzz_blob_fail("lookup of a related slug", id);
            }
        }

        for (k = 0; k <= blob->docs_per_term; k++) {
            d = glossary_blob_doc(blob, i, k);

            if ((d == NULL) != (k == blob->docs_per_term)) {
                fuzz_blob_fail("doc() and docs_per_term disagree", k);
            }

            if (d != NULL) {
                fuzz_blob_doc(blob, d, "term document", k);
            }
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
