/*
 * The blob reader (src/blob/glossary_blob.c) past 4 GiB and 16 GiB: a
 * format 2.0 blob of 16 GiB + 32 MiB, written by hand into a sparse
 * anonymous mapping (nearly all of it untouched pages of zeros), with
 * documents whose bytes lie just past 2^32, across 2^32, just past 2^34
 * and at the very end of STRINGS, and the CHUNKS section past 2^34.  Every
 * pointer the reader gives must be the base plus the full 64-bit offset
 * (a reader that kept 32 bits would point into the header), lazily
 * verified chunks past 2^34 must be found and named, and references and
 * sections that cross the end past 2^34 refused.  A 1.x header on the same
 * bytes is over its 16 GiB.  Prints TAP.
 */

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <xxhash.h>

#include "tb.h"


#define TL_SHIFT       24                     /* 16 MiB chunks */
#define TL_CHUNK       ((uint64_t) 1 << TL_SHIFT)
#define TL_SIZE        (((uint64_t) 1 << 34) + ((uint64_t) 32 << 20))
#define TL_STRINGS     4096
#define TL_TERMS       3
#define TL_KINDS       2
#define TL_MAX_SPANS   32

/* where the documents of term 0, 1 and 2 (kind 0) and the global one lie */
#define TL_AT_4G       (((uint64_t) 1 << 32) + 64)
#define TL_AT_16G      (((uint64_t) 1 << 34) + 16)
#define TL_ACROSS_4G   (((uint64_t) 1 << 32) - 5)


typedef struct {
    unsigned char   *p;
    uint64_t         n;
    uint64_t         strings_off;
    uint64_t         strings_size;
    uint64_t         chunks_off;
    uint64_t         eager;             /* end of the eager strings */
    uint64_t         spans[TL_MAX_SPANS][2];     /* bytes written there */
    unsigned         nspans;
    uint64_t         sec[GLOSSARY_SECTION_LAST + 1];   /* offsets */
} tl_blob_t;


static const char  *tl_slugs[TL_TERMS] = { "alpha", "beta", "gamma" };


static uint64_t
tl_align(uint64_t n)
{
    return (n + 7) & ~(uint64_t) 7;
}


/* len bytes at file offset off; a reference to them */
static glossary_ref_t
tl_put(tl_blob_t *b, uint64_t off, const void *s, size_t len)
{
    glossary_ref_t  ref;

    memcpy(b->p + off, s, len);

    if (b->nspans < TL_MAX_SPANS) {
        b->spans[b->nspans][0] = off;
        b->spans[b->nspans][1] = off + len;
        b->nspans++;
    }

    ref.off = off;
    ref.len = len;

    return ref;
}


/* a body at off and its ETag right after it */
static void
tl_doc(tl_blob_t *b, glossary_doc_t *d, uint64_t off, const char *body)
{
    char  etag[24];

    d->body = tl_put(b, off, body, strlen(body));
    snprintf(etag, sizeof(etag), "\"%016llx\"",
             (unsigned long long) glossary_blob_hash(body, strlen(body)));
    d->etag = tl_put(b, off + strlen(body), etag, 18);
    d->gzip_body.off = b->strings_off;
    d->gzip_etag.off = b->strings_off;
}


static void
tl_body(char *buf, size_t size, uint32_t id, uint32_t kind)
{
    snprintf(buf, size, "{\"slug\":\"%s\",\"kind\":%u,\"pad\":\"%s\"}",
             tl_slugs[id], (unsigned) kind, "past the 32-bit offsets");
}


/* where term id's document of kind 0 lies: past 2^32, past 2^34, the end */
static uint64_t
tl_where(const tl_blob_t *b, uint32_t id)
{
    char  body[128];

    if (id == 0) {
        return TL_AT_4G;
    }

    if (id == 1) {
        return TL_AT_16G;
    }

    tl_body(body, sizeof(body), id, 0);

    return b->strings_off + b->strings_size - strlen(body) - 18;
}


/* the hashes of the chunks: those of untouched zeros computed once */
static void
tl_seal_chunks(tl_blob_t *b)
{
    unsigned            k;
    uint64_t            i, count, from, len, zero, *hash;
    glossary_chunks_t  *c;

    c = (glossary_chunks_t *) (b->p + b->chunks_off);
    hash = (uint64_t *) (c + 1);
    count = (b->strings_size + TL_CHUNK - 1) >> TL_SHIFT;
    zero = XXH3_64bits(b->p + b->strings_off + TL_CHUNK, TL_CHUNK);

    for (i = 0; i < count; i++) {
        from = b->strings_off + (i << TL_SHIFT);
        len = b->strings_size - (i << TL_SHIFT);
        len = len < TL_CHUNK ? len : TL_CHUNK;
        hash[i] = zero;

        for (k = 0; k < b->nspans; k++) {
            if (b->spans[k][0] < from + len && b->spans[k][1] > from) {
                break;
            }
        }

        if (k < b->nspans || len < TL_CHUNK) {
            hash[i] = XXH3_64bits(b->p + from, len);
        }
    }
}


static void
tl_seal_index(tl_blob_t *b)
{
    ((glossary_header_t *) b->p)->index_checksum =
        mb_index_checksum(b->p, b->n, b->strings_off, b->strings_size);
}


/* the checksum of every byte: one pass over the 16 GiB */
static void
tl_seal_all(tl_blob_t *b)
{
    tl_seal_chunks(b);
    tl_seal_index(b);
    ((glossary_header_t *) b->p)->checksum = glossary_blob_checksum(b->p,
                                                                    b->n);
}


static int
tl_build(tl_blob_t *b)
{
    char                 body[128];
    uint32_t             i, k, mask, v, *buckets;
    uint64_t             off, count;
    glossary_doc_t      *docs, *globals;
    glossary_term_t     *t;
    glossary_hash_t     *hash;
    glossary_header_t   *h;
    glossary_chunks_t   *c;
    glossary_related_t  *r;
    glossary_section_t  *s;

    static const uint32_t  ids[] = {
        GLOSSARY_SECTION_TERMS, GLOSSARY_SECTION_RELATED,
        GLOSSARY_SECTION_HASH, GLOSSARY_SECTION_DOCS,
        GLOSSARY_SECTION_GLOBALS, GLOSSARY_SECTION_STRINGS,
        GLOSSARY_SECTION_CHUNKS
    };

    memset(b, 0, sizeof(tl_blob_t));

    b->strings_off = TL_STRINGS;
    count = (TL_SIZE - TL_STRINGS - 8192 + TL_CHUNK - 1) >> TL_SHIFT;
    b->strings_size = TL_SIZE - TL_STRINGS - 8192;
    b->chunks_off = tl_align(b->strings_off + b->strings_size);
    b->n = b->chunks_off + sizeof(glossary_chunks_t) + 8 * count;

    /* untouched pages read as zeros; huge zero pages where the kernel can */
    b->p = mmap(NULL, b->n, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (b->p == MAP_FAILED) {
        b->p = NULL;
        return -1;
    }

#ifdef MADV_HUGEPAGE
    (void) madvise(b->p, b->n, MADV_HUGEPAGE);
#endif

    h = (glossary_header_t *) b->p;
    memcpy(h->magic, GLOSSARY_MAGIC, GLOSSARY_MAGIC_LEN);
    h->version_major = GLOSSARY_VERSION_MAJOR;
    h->byte_order = GLOSSARY_BYTE_ORDER;
    h->file_size = b->n;
    h->header_size = GLOSSARY_HEADER_SIZE;
    h->section_count = sizeof(ids) / sizeof(ids[0]);
    h->section_table = GLOSSARY_HEADER_SIZE;
    h->build_time = 1700000000;
    h->term_count = TL_TERMS;
    h->docs_per_term = TL_KINDS;
    h->doc_kinds = 0x3;
    h->global_docs = 1;

    off = GLOSSARY_HEADER_SIZE + h->section_count * sizeof(glossary_section_t);
    b->sec[GLOSSARY_SECTION_TERMS] = tl_align(off);
    b->sec[GLOSSARY_SECTION_RELATED] = b->sec[GLOSSARY_SECTION_TERMS]
                                       + TL_TERMS * sizeof(glossary_term_t);
    b->sec[GLOSSARY_SECTION_HASH] = b->sec[GLOSSARY_SECTION_RELATED]
                                    + sizeof(glossary_related_t);
    b->sec[GLOSSARY_SECTION_DOCS] = b->sec[GLOSSARY_SECTION_HASH] + 8 + 4 * 8;
    b->sec[GLOSSARY_SECTION_GLOBALS] = b->sec[GLOSSARY_SECTION_DOCS]
                                       + TL_TERMS * TL_KINDS * 64;
    b->sec[GLOSSARY_SECTION_STRINGS] = b->strings_off;
    b->sec[GLOSSARY_SECTION_CHUNKS] = b->chunks_off;

    s = (glossary_section_t *) (b->p + GLOSSARY_HEADER_SIZE);

    for (i = 0; i < h->section_count; i++) {
        s[i].id = ids[i];
        s[i].offset = b->sec[ids[i]];
    }

    s[0].size = TL_TERMS * sizeof(glossary_term_t);
    s[1].size = sizeof(glossary_related_t);
    s[2].size = 8 + 4 * 8;
    s[3].size = TL_TERMS * TL_KINDS * 64;
    s[4].size = 64;
    s[5].size = b->strings_size;
    s[6].size = b->n - b->chunks_off;

    /* the eager strings: slugs and names, at the start of STRINGS */
    t = (glossary_term_t *) (b->p + b->sec[GLOSSARY_SECTION_TERMS]);
    off = b->strings_off;

    for (i = 0; i < TL_TERMS; i++) {
        t[i].slug = tl_put(b, off, tl_slugs[i], strlen(tl_slugs[i]));
        t[i].term = t[i].slug;
        t[i].category.off = off;
        t[i].short_definition.off = off;
        off += strlen(tl_slugs[i]);
    }

    t[0].related_first = 0;
    t[0].related_count = 1;
    t[1].related_first = 1;
    t[2].related_first = 1;

    r = (glossary_related_t *) (b->p + b->sec[GLOSSARY_SECTION_RELATED]);
    r->term_id = 2;
    r->slug = t[2].slug;
    r->name = t[2].term;
    b->eager = off;

    /* kind 1 among the eager strings' neighbours; kind 0 far out */
    docs = (glossary_doc_t *) (b->p + b->sec[GLOSSARY_SECTION_DOCS]);

    for (i = 0; i < TL_TERMS; i++) {
        tl_body(body, sizeof(body), i, 1);
        tl_doc(b, &docs[TL_TERMS + i], off, body);
        off += strlen(body) + 18;

        tl_body(body, sizeof(body), i, 0);
        tl_doc(b, &docs[i], tl_where(b, i), body);
    }

    globals = (glossary_doc_t *) (b->p + b->sec[GLOSSARY_SECTION_GLOBALS]);
    tl_doc(b, globals, TL_ACROSS_4G, "[\"the index, across 4 GiB\"]");

    hash = (glossary_hash_t *) (b->p + b->sec[GLOSSARY_SECTION_HASH]);
    hash->bucket_count = 8;
    buckets = (uint32_t *) (hash + 1);
    mask = 7;

    for (i = 0; i < TL_TERMS; i++) {
        v = (uint32_t) glossary_blob_hash(tl_slugs[i], strlen(tl_slugs[i]))
            & mask;

        for (k = 0; buckets[v] != 0; k++) {
            v = (v + 1) & mask;
        }

        buckets[v] = i + 1;
        hash->max_probe = k > hash->max_probe ? k : hash->max_probe;
    }

    c = (glossary_chunks_t *) (b->p + b->chunks_off);
    c->chunk_shift = TL_SHIFT;
    c->eager_size = b->eager - b->strings_off;

    tl_seal_all(b);

    return 0;
}


static int
tl_bytes_are(const glossary_blob_t *blob, glossary_ref_t ref, uint64_t off,
    const char *s)
{
    return ref.off == off && ref.len == strlen(s)
           && glossary_blob_ptr(blob, ref) == blob->base + off
           && memcmp(glossary_blob_ptr(blob, ref), s, ref.len) == 0;
}


/* every document where it was put, read through the reader */
static int
tl_docs_ok(const tl_blob_t *b, const glossary_blob_t *blob)
{
    char                   body[128];
    uint32_t               i, n;
    const glossary_doc_t  *d;

    for (i = 0; i < TL_TERMS; i++) {
        tl_body(body, sizeof(body), i, 0);
        d = glossary_blob_doc(blob, i, 0);

        if (d == NULL || !tl_bytes_are(blob, d->body, tl_where(b, i), body)
            || d->etag.off != d->body.off + d->body.len
            || glossary_blob_lookup(blob,
                                    (const unsigned char *) tl_slugs[i],
                                    strlen(tl_slugs[i])) != i
            || glossary_blob_lookup_doc(blob,
                                        (const unsigned char *) tl_slugs[i],
                                        strlen(tl_slugs[i]), 0, 0) != i)
        {
            tb_diag("  term %u: document or look-up wrong: %llu+%llu, "
                    "want %llu, look-ups %u %u", (unsigned) i,
                    d ? (unsigned long long) d->body.off : 0,
                    d ? (unsigned long long) d->body.len : 0,
                    (unsigned long long) tl_where(b, i),
                    (unsigned) glossary_blob_lookup(blob,
                        (const unsigned char *) tl_slugs[i],
                        strlen(tl_slugs[i])),
                    (unsigned) glossary_blob_lookup_doc(blob,
                        (const unsigned char *) tl_slugs[i],
                        strlen(tl_slugs[i]), 0, 0));
            return 0;
        }
    }

    d = glossary_blob_global(blob, 0);

    if (d == NULL
        || !tl_bytes_are(blob, d->body, TL_ACROSS_4G,
                         "[\"the index, across 4 GiB\"]")
        || glossary_blob_related(blob, 0, &n) != blob->related || n != 1
        || blob->related[0].term_id != 2)
    {
        tb_diag("  the global document or the related entry is wrong");
        return 0;
    }

    return 1;
}


/* the chunks the far documents (kind 0, the global one) lie in, counted */
static uint64_t
tl_spanned(const tl_blob_t *b)
{
    unsigned  k, j;
    uint64_t  c, n, seen[TL_MAX_SPANS * 2];

    n = 0;

    for (k = 0; k < b->nspans; k++) {
        if (b->spans[k][1] <= b->eager + 4096) {
            continue;           /* the eager chunk's: verified at load */
        }

        for (c = (b->spans[k][0] - b->strings_off) >> TL_SHIFT;
             c <= (b->spans[k][1] - 1 - b->strings_off) >> TL_SHIFT; c++)
        {
            for (j = 0; j < n && seen[j] != c; j++) { /* void */ }

            if (j == n && c != 0) {
                seen[n++] = c;
            }
        }
    }

    return n;
}


static glossary_status_t
tl_open(tl_blob_t *b, glossary_blob_t *blob, unsigned flags)
{
    memset(blob->detail, 'x', sizeof(blob->detail));

    return glossary_blob_open_flags(blob, b->p, b->n, flags);
}


static void
tl_checks(tl_blob_t *b)
{
    int                  good;
    char                 body[128], want[64];
    uint64_t             chunk, save, sum, spanned;
    glossary_doc_t      *docs, *globals;
    glossary_lazy_t      lz;
    glossary_blob_t      blob;
    glossary_status_t    rc;
    glossary_section_t  *s;
    void                *mem;

    docs = (glossary_doc_t *) (b->p + b->sec[GLOSSARY_SECTION_DOCS]);
    globals = (glossary_doc_t *) (b->p + b->sec[GLOSSARY_SECTION_GLOBALS]);

    rc = tl_open(b, &blob, 0);
    tb_ok(rc == GLOSSARY_OK && blob.size == b->n && tl_docs_ok(b, &blob),
          "a blob of %llu bytes (past 2^34), checked in full: OK; bodies "
          "past 2^32, across 2^32, past 2^34 and at the end read at their "
          "64-bit offsets", (unsigned long long) b->n);
    if (rc != GLOSSARY_OK) {
        tb_diag("  %s: %s", tb_name(rc), blob.detail);
    }

    /* the same summed by the caller, as nginx's copy mode does */
    sum = ((glossary_header_t *) b->p)->checksum;
    rc = glossary_blob_open_summed(&blob, b->p, b->n, 0, sum);
    tb_ok(rc == GLOSSARY_OK && tl_docs_ok(b, &blob),
          "the same, the checksum computed by the caller: OK");

    rc = glossary_blob_open_summed(&blob, b->p, b->n, 0, sum ^ 1);
    tb_ok(rc == GLOSSARY_ERR_CHECKSUM,
          "the same with a checksum off by one: CHECKSUM");

    /* lazily: the chunks past 2^32 and 2^34 verified at first use */
    spanned = tl_spanned(b);
    rc = tl_open(b, &blob, GLOSSARY_OPEN_LAZY);
    mem = calloc(1, glossary_lazy_size(&blob) + 1);
    if (mem == NULL) {
        exit(2);
    }

    glossary_lazy_init(&lz, &blob, mem);
    good = rc == GLOSSARY_OK && blob.lazy && tl_docs_ok(b, &blob)
           && blob.chunk_count == (b->strings_size + TL_CHUNK - 1) >> TL_SHIFT
           && glossary_lazy_doc(&blob, &lz, glossary_blob_doc(&blob, 0, 0))
              == GLOSSARY_OK
           && glossary_lazy_doc(&blob, &lz, glossary_blob_doc(&blob, 1, 0))
              == GLOSSARY_OK
           && glossary_lazy_doc(&blob, &lz, glossary_blob_doc(&blob, 2, 0))
              == GLOSSARY_OK
           && glossary_lazy_doc(&blob, &lz, glossary_blob_global(&blob, 0))
              == GLOSSARY_OK
           && lz.verified == spanned;
    tb_ok(good, "lazily: OK, %llu chunks of 16 MiB; the documents past "
          "2^32, across it, past 2^34 and at the end verified at first use, "
          "%llu chunks (%llu)", (unsigned long long) blob.chunk_count,
          (unsigned long long) spanned, (unsigned long long) lz.verified);
    free(mem);

    /* a byte of the body past 2^34 changed: its chunk, named by offset */
    save = b->p[TL_AT_16G + 3];
    b->p[TL_AT_16G + 3] ^= 0x20;
    rc = tl_open(b, &blob, GLOSSARY_OPEN_LAZY);
    mem = calloc(1, glossary_lazy_size(&blob) + 1);
    if (mem == NULL) {
        exit(2);
    }

    glossary_lazy_init(&lz, &blob, mem);
    chunk = (TL_AT_16G - b->strings_off) >> TL_SHIFT;
    snprintf(want, sizeof(want), "STRINGS chunk %llu (bytes %llu to",
             (unsigned long long) chunk,
             (unsigned long long) (b->strings_off + (chunk << TL_SHIFT)));
    good = rc == GLOSSARY_OK
           && glossary_lazy_doc(&blob, &lz, glossary_blob_doc(&blob, 1, 0))
              == GLOSSARY_ERR_CHUNK
           && strncmp(lz.detail, want, strlen(want)) == 0
           && glossary_lazy_doc(&blob, &lz, glossary_blob_doc(&blob, 0, 0))
              == GLOSSARY_OK;
    tb_ok(good, "a byte past 2^34 changed: a lazy open OK, its document "
          "CHUNK naming chunk %llu at its 64-bit offset, the one past 2^32 "
          "OK", (unsigned long long) chunk);
    if (!good) {
        tb_diag("  open %s, detail \"%s\"", tb_name(rc), lz.detail);
    }

    free(mem);
    b->p[TL_AT_16G + 3] = (unsigned char) save;

    /*
     * References and sections out of range past 2^34: a lazy open, with
     * the index checksum re-sealed (a few KiB), checks them all
     */

    tl_body(body, sizeof(body), 2, 0);
    docs[2].body.len += 18 + 1;
    tl_seal_index(b);
    rc = tl_open(b, &blob, GLOSSARY_OPEN_LAZY);
    tb_ok(rc == GLOSSARY_ERR_DOCS, "a body at the end of STRINGS one byte "
          "too long (past 2^34): DOCS (got %s)", tb_name(rc));
    docs[2].body.len -= 18 + 1;

    save = docs[1].body.off;
    docs[1].body.off = TL_AT_16G - ((uint64_t) 1 << 32);
    docs[1].body.len = b->n;
    tl_seal_index(b);
    rc = tl_open(b, &blob, GLOSSARY_OPEN_LAZY);
    tb_ok(rc == GLOSSARY_ERR_DOCS, "a body of the file's length from 2^34 "
          "- 2^32: DOCS (got %s)", tb_name(rc));
    docs[1].body.off = save;
    tl_body(body, sizeof(body), 1, 0);
    docs[1].body.len = strlen(body);

    save = globals[0].etag.off;
    globals[0].etag.off = save + ((uint64_t) 1 << 34) - ((uint64_t) 1 << 32)
                          + b->n;
    tl_seal_index(b);
    rc = tl_open(b, &blob, GLOSSARY_OPEN_LAZY);
    tb_ok(rc == GLOSSARY_ERR_DOCS, "an ETag past the end of the file (past "
          "2^34): DOCS (got %s)", tb_name(rc));
    globals[0].etag.off = save;

    save = docs[0].etag.off;
    docs[0].etag.off = UINT64_MAX - 8;
    tl_seal_index(b);
    rc = tl_open(b, &blob, GLOSSARY_OPEN_LAZY);
    tb_ok(rc == GLOSSARY_ERR_DOCS, "an ETag at 2^64-9 (off + len wraps): "
          "DOCS (got %s)", tb_name(rc));
    docs[0].etag.off = save;

    s = mb_find_section(&(mb_blob_t) { b->p, b->n }, GLOSSARY_SECTION_CHUNKS);
    save = s->size;
    s->size += 8;
    tl_seal_index(b);
    rc = tl_open(b, &blob, GLOSSARY_OPEN_LAZY);
    tb_ok(rc == GLOSSARY_ERR_SECTION, "CHUNKS, past 2^34, 8 bytes past the "
          "end: SECTION (got %s)", tb_name(rc));
    s->size = save;

    s = mb_find_section(&(mb_blob_t) { b->p, b->n }, GLOSSARY_SECTION_TERMS);
    save = s->offset;
    s->offset = b->n - 2 * sizeof(glossary_term_t);
    tl_seal_index(b);
    rc = tl_open(b, &blob, GLOSSARY_OPEN_LAZY);
    tb_ok(rc == GLOSSARY_ERR_SECTION, "TERMS moved past 2^34, running past "
          "the end: SECTION (got %s)", tb_name(rc));
    s->offset = save;

    tl_seal_index(b);
    rc = tl_open(b, &blob, GLOSSARY_OPEN_LAZY);
    tb_ok(rc == GLOSSARY_OK && tl_docs_ok(b, &blob),
          "every change undone: a lazy open OK again");

    /* the same bytes as format 1.x: over its 16 GiB */
    ((glossary_header_t *) b->p)->version_major = GLOSSARY_VERSION_MAJOR_V1;
    rc = tl_open(b, &blob, 0);
    tb_ok(rc == GLOSSARY_ERR_TOO_LARGE,
          "the same header as format 1.x: TOO_LARGE (got %s)", tb_name(rc));
    ((glossary_header_t *) b->p)->version_major = GLOSSARY_VERSION_MAJOR;

    ((glossary_header_t *) b->p)->file_size = b->n - ((uint64_t) 1 << 32);
    rc = tl_open(b, &blob, 0);
    tb_ok(rc == GLOSSARY_ERR_SIZE, "file_size 2^32 short of the file: SIZE "
          "(got %s)", tb_name(rc));
    ((glossary_header_t *) b->p)->file_size = b->n;

    /* a byte past 2^34 changed: the whole checksum finds it */
    b->p[b->n - 1] ^= 0x01;
    rc = tl_open(b, &blob, 0);
    tb_ok(rc == GLOSSARY_ERR_CHECKSUM, "the last byte (past 2^34) flipped: "
          "CHECKSUM (got %s)", tb_name(rc));
    b->p[b->n - 1] ^= 0x01;
}


int
main(int argc, char **argv)
{
    tl_blob_t  b;

    tb_init(argc, argv);

    if (tl_build(&b) != 0) {
        tb_ok(0, "a sparse mapping of %llu bytes",
              (unsigned long long) TL_SIZE);
        return tb_done();
    }

    tl_checks(&b);
    munmap(b.p, b.n);

    return tb_done();
}
