/*
 * The blob reader (src/blob/glossary_blob.c), format 1.2: the CHUNKS
 * section itself, the index checksum against the other checks, blobs
 * without CHUNKS (a lazy open verifies them in full), the edges of STRINGS,
 * and the 1.0 model with CHUNKS, small enough to be fuzzer seeds.  Prints
 * TAP.
 */

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "tb.h"


/* the CHUNKS section itself; every blob re-sealed after the change */
static void
tb_lazy_table(void)
{
    uint32_t             i;
    uint64_t             so, ss, count;
    mb_blob_t            b;
    mb_model_t           m;
    tb_lazy_t            o;
    tb_lazy_count_t      cnt;
    glossary_section_t  *s;
    char                 name[96];

    static const uint32_t  shifts[] = { 11, 25, 0, 13, 24, UINT32_MAX };

    m = tb_lazy_model();
    b = mb_build(&m);
    so = mb_section(&b, GLOSSARY_SECTION_STRINGS)->offset;
    ss = mb_section(&b, GLOSSARY_SECTION_STRINGS)->size;
    count = (ss + TB_CHUNK - 1) >> TB_SHIFT;
    mb_free(&b);

    for (i = 0; i < sizeof(shifts) / sizeof(shifts[0]); i++) {
        b = mb_build(&m);
        mb_chunks(&b)->chunk_shift = shifts[i];
        mb_seal(&b);
        snprintf(name, sizeof(name), "CHUNKS chunk_shift %u%s",
                 (unsigned) shifts[i],
                 shifts[i] == 13 || shifts[i] == 24
                 ? ", the table sized for 12" : "");
        tb_lazy_expect(&b, GLOSSARY_ERR_CHUNKS, name);
    }

    b = mb_build(&m);
    mb_chunks(&b)->eager_size = ss + 1;
    mb_seal(&b);
    tb_lazy_expect(&b, GLOSSARY_ERR_CHUNKS,
                   "CHUNKS eager_size one more than STRINGS");

    b = mb_build(&m);
    mb_chunks(&b)->eager_size = UINT64_MAX;
    mb_seal(&b);
    tb_lazy_expect(&b, GLOSSARY_ERR_CHUNKS, "CHUNKS eager_size 2^64-1");

    b = mb_build(&m);
    mb_section(&b, GLOSSARY_SECTION_CHUNKS)->size -= 8;
    mb_seal(&b);
    tb_lazy_expect(&b, GLOSSARY_ERR_CHUNKS, "CHUNKS one hash short");

    /* one hash too many: the file grows by the 8 bytes */
    b = mb_build(&m);
    b.p = realloc(b.p, b.n + 8);
    if (b.p == NULL) {
        exit(2);
    }
    memset(b.p + b.n, 0, 8);
    b.n += 8;
    mb_header(&b)->file_size = b.n;
    mb_section(&b, GLOSSARY_SECTION_CHUNKS)->size += 8;
    mb_seal(&b);
    tb_lazy_expect(&b, GLOSSARY_ERR_CHUNKS, "CHUNKS one hash too many");

    b = mb_build(&m);
    mb_section(&b, GLOSSARY_SECTION_CHUNKS)->size = 15;
    mb_seal(&b);
    tb_lazy_expect(&b, GLOSSARY_ERR_CHUNKS, "CHUNKS of 15 bytes");

    b = mb_build(&m);
    mb_section(&b, GLOSSARY_SECTION_CHUNKS)->size = 0;
    mb_seal(&b);
    tb_lazy_expect(&b, GLOSSARY_ERR_CHUNKS, "CHUNKS of 0 bytes");

    /* no other section may overlap STRINGS: lazily it is not checked */

    m.extra_section = 1;
    b = mb_build(&m);
    so = mb_section(&b, GLOSSARY_SECTION_STRINGS)->offset;
    ss = mb_section(&b, GLOSSARY_SECTION_STRINGS)->size;
    mb_free(&b);

    b = mb_build(&m);
    s = mb_find_section(&b, 99);
    s->offset = so;
    mb_seal(&b);
    tb_lazy_expect(&b, GLOSSARY_ERR_CHUNKS,
                   "a section of unknown id at the start of STRINGS");

    b = mb_build(&m);
    s = mb_find_section(&b, 99);
    s->offset = (so + ss - s->size) & ~(uint64_t) 7;
    mb_seal(&b);
    tb_lazy_expect(&b, GLOSSARY_ERR_CHUNKS,
                   "a section of unknown id at the end of STRINGS");

    b = mb_build(&m);
    s = mb_find_section(&b, 99);
    s->size = so - s->offset + 1;
    mb_seal(&b);
    tb_lazy_expect(&b, GLOSSARY_ERR_CHUNKS,
                   "a section of unknown id running 1 byte into STRINGS");

    b = mb_build(&m);
    s = mb_find_section(&b, 99);
    s->offset = so + 64;
    s->size = 0;
    mb_seal(&b);
    tb_lazy_expect(&b, GLOSSARY_OK,
                   "a section of unknown id of 0 bytes inside STRINGS");

    m.extra_section = 0;
    b = mb_build(&m);
    so = mb_section(&b, GLOSSARY_SECTION_STRINGS)->offset;
    ss = mb_section(&b, GLOSSARY_SECTION_STRINGS)->size;
    mb_free(&b);

    b = mb_build(&m);
    mb_section(&b, GLOSSARY_SECTION_TERMS)->offset = so;
    mb_seal(&b);
    tb_lazy_expect(&b, GLOSSARY_ERR_CHUNKS, "TERMS inside STRINGS");

    b = mb_build(&m);
    mb_section(&b, GLOSSARY_SECTION_SEARCH_PAGE)->offset = so - 8;
    mb_seal(&b);
    tb_lazy_expect(&b, GLOSSARY_ERR_CHUNKS,
                   "SEARCH_PAGE running into STRINGS");

    /* CHUNKS in STRINGS: its own bytes would be verified by itself */
    b = mb_build(&m);
    s = mb_section(&b, GLOSSARY_SECTION_CHUNKS);
    memcpy(b.p + so + 8, b.p + s->offset, s->size);
    s->offset = so + 8;
    mb_seal(&b);
    tb_lazy_expect(&b, GLOSSARY_ERR_CHUNKS, "CHUNKS inside STRINGS");

    /* eager_size at its bounds */

    b = mb_build(&m);
    mb_chunks(&b)->eager_size = ss;
    mb_seal(&b);
    tb_lazy_open(&o, b.p, b.n, GLOSSARY_OPEN_LAZY);
    tb_lazy_walk(&o, UINT64_MAX, &cnt);
    tb_ok(o.rc == GLOSSARY_OK && o.blob.lazy && o.lz.ok == count
          && tb_popcount(o.lz.chunk_ok, count) == count && cnt.wrong == 0
          && o.lz.verified == 0,
          "eager_size = STRINGS: every chunk verified at load, none at use");
    tb_lazy_close(&o);

    /* a chunk only the documents use, corrupt: refused at load now */
    b.p[so + ss - 1] ^= 0x01;
    tb_lazy_open(&o, b.p, b.n, GLOSSARY_OPEN_LAZY);
    tb_ok(o.rc == GLOSSARY_ERR_CHUNK,
          "... and a byte flipped in the last chunk: LAZY open CHUNK "
          "(got %s)", tb_name(o.rc));
    tb_lazy_close(&o);
    mb_free(&b);

    b = mb_build(&m);
    mb_chunks(&b)->eager_size = 0;
    mb_seal(&b);
    tb_lazy_open(&o, b.p, b.n, GLOSSARY_OPEN_LAZY);
    tb_lazy_walk(&o, UINT64_MAX, &cnt);
    tb_ok(o.rc == GLOSSARY_OK && o.blob.lazy && o.lz.ok == count
          && cnt.wrong == 0 && o.lz.verified == count,
          "eager_size 0: no chunk verified at load, each at first use");
    tb_lazy_close(&o);
    mb_free(&b);

    /*
     * ... but the search page's text is verified at load even then: the
     * server sends it with every HTML search and checks nothing per request
     */
    b = mb_build(&m);
    mb_chunks(&b)->eager_size = 0;
    mb_seal(&b);
    {
        uint32_t                   k, nseg;
        const glossary_segment_t  *seg;

        seg = mb_section_data(&b, GLOSSARY_SECTION_SEARCH_PAGE);
        nseg = (seg == NULL) ? 0
               : (uint32_t) (mb_section(&b, GLOSSARY_SECTION_SEARCH_PAGE)->size
                             / sizeof(glossary_segment_t));

        for (k = 0; k < nseg && seg[k].text.len == 0; k++) {
            /* void */
        }

        tb_ok(k < nseg, "the test blob has a search page text segment");

        if (k < nseg) {
            b.p[seg[k].text.off + seg[k].text.len / 2] ^= 0x01;
            tb_lazy_open(&o, b.p, b.n, GLOSSARY_OPEN_LAZY);
            tb_ok(o.rc == GLOSSARY_ERR_CHUNK,
                  "eager_size 0, a byte of the search page flipped: LAZY "
                  "open CHUNK (got %s)", tb_name(o.rc));
            tb_lazy_close(&o);
        }
    }
    mb_free(&b);

    b = mb_build(&m);
    mb_chunks(&b)->reserved = 1;
    mb_seal(&b);
    tb_lazy_open(&o, b.p, b.n, GLOSSARY_OPEN_LAZY);
    tb_diag("  CHUNKS reserved 1: LAZY open %s", tb_name(o.rc));
    tb_lazy_close(&o);
    mb_free(&b);
}


/* the index checksum and the chunk hashes against the other checks */
static void
tb_lazy_index(void)
{
    int                good;
    uint64_t           k, eager;
    mb_blob_t          b;
    tb_lazy_t          o;
    tb_result_t        r0, rl, rd;
    tb_lazy_count_t    cnt;
    glossary_doc_t    *d;

    b = tb_lazy_build();
    mb_header(&b)->build_time += 1;
    mb_fix(&b);
    r0 = tb_open_flags(b.p, b.n, 0);
    rl = tb_open_flags(b.p, b.n, GLOSSARY_OPEN_LAZY);
    rd = tb_open_flags(b.p, b.n, GLOSSARY_OPEN_DEEP);
    tb_ok(r0.rc == GLOSSARY_OK && rl.rc == GLOSSARY_ERR_CHECKSUM
          && rd.rc == GLOSSARY_ERR_CHECKSUM && tb_has(rl.detail, "index")
          && tb_has(rd.detail, "index"),
          "build_time changed, only the checksum re-sealed: 0 OK; LAZY and "
          "DEEP CHECKSUM (index)");
    mb_free(&b);

    b = tb_lazy_build();
    mb_header(&b)->index_checksum ^= 1;
    mb_fix(&b);
    r0 = tb_open_flags(b.p, b.n, 0);
    rl = tb_open_flags(b.p, b.n, GLOSSARY_OPEN_LAZY);
    rd = tb_open_flags(b.p, b.n, GLOSSARY_OPEN_DEEP);
    tb_ok(r0.rc == GLOSSARY_OK && rl.rc == GLOSSARY_ERR_CHECKSUM
          && rd.rc == GLOSSARY_ERR_CHECKSUM,
          "index_checksum off by one bit: 0 OK; LAZY and DEEP CHECKSUM");
    mb_free(&b);

    /* a later chunk's hash wrong */
    b = tb_lazy_build();
    eager = (mb_chunks(&b)->eager_size + TB_CHUNK - 1) >> TB_SHIFT;
    k = eager + 2;
    mb_chunk_hashes(&b)[k] ^= 1;
    mb_fix(&b);
    rl = tb_open_flags(b.p, b.n, GLOSSARY_OPEN_LAZY);
    tb_ok(rl.rc == GLOSSARY_ERR_CHECKSUM,
          "a chunk hash changed, only the checksum re-sealed: LAZY CHECKSUM "
          "(CHUNKS is in the index)");

    mb_fix_index(&b);
    r0 = tb_open_flags(b.p, b.n, 0);
    rd = tb_open_flags(b.p, b.n, GLOSSARY_OPEN_DEEP);
    tb_lazy_open(&o, b.p, b.n, GLOSSARY_OPEN_LAZY);
    good = o.rc == GLOSSARY_OK;
    if (good) {
        tb_lazy_walk(&o, k, &cnt);
        good = cnt.wrong == 0 && cnt.chunk > 0 && o.lz.corrupt == 1;
    }
    tb_ok(good && r0.rc == GLOSSARY_OK && rd.rc == GLOSSARY_ERR_CHUNK,
          "the same with the index re-sealed: 0 OK, DEEP CHUNK, LAZY OK and "
          "the documents of chunk %llu CHUNK", (unsigned long long) k);
    tb_lazy_close(&o);
    mb_free(&b);

    /* an eager chunk's hash wrong */
    b = tb_lazy_build();
    mb_chunk_hashes(&b)[eager - 1] ^= 1;
    mb_fix_index(&b);
    r0 = tb_open_flags(b.p, b.n, 0);
    rl = tb_open_flags(b.p, b.n, GLOSSARY_OPEN_LAZY);
    rd = tb_open_flags(b.p, b.n, GLOSSARY_OPEN_DEEP);
    tb_ok(r0.rc == GLOSSARY_OK && rl.rc == GLOSSARY_ERR_CHUNK
          && rd.rc == GLOSSARY_ERR_CHUNK && rl.detail[0],
          "the hash of the last eager chunk wrong, index re-sealed: 0 OK; "
          "LAZY and DEEP CHUNK");
    mb_free(&b);

    /* STRINGS changed and everything re-sealed: a different, valid blob */
    b = tb_lazy_build();
    d = mb_doc(&b, TB_LAZY_TERMS - 1, 0);
    b.p[d->body.off + d->body.len - 1] ^= 0x01;
    mb_seal(&b);
    r0 = tb_open_flags(b.p, b.n, 0);
    rl = tb_open_flags(b.p, b.n, GLOSSARY_OPEN_LAZY);
    rd = tb_open_flags(b.p, b.n, GLOSSARY_OPEN_DEEP);
    tb_ok(r0.rc == GLOSSARY_OK && rl.rc == GLOSSARY_OK
          && rd.rc == GLOSSARY_OK,
          "a byte of a body in the last chunks changed, everything "
          "re-sealed: OK with 0, LAZY and DEEP");
    mb_free(&b);
}


/* blobs without CHUNKS: a lazy open verifies them in full */
static void
tb_lazy_old(void)
{
    int                    good;
    unsigned               f, minor;
    uint64_t               digest;
    mb_blob_t              b;
    mb_model_t             m;
    tb_lazy_t              o;
    tb_result_t            res;
    tb_lazy_count_t        cnt;
    glossary_doc_t        *d;

    for (minor = 1; minor <= 2; minor++) {
        m = tb_lazy_model();
        m.chunk_shift = 0;
        m.version_minor = (uint16_t) minor;
        b = mb_build(&m);

        good = mb_find_section(&b, GLOSSARY_SECTION_CHUNKS) == NULL
               && mb_header(&b)->index_checksum == 0;
        digest = 0;

        for (f = 0; f < TB_ALL_FLAGS; f++) {
            res = tb_open_flags(b.p, b.n, tb_flags[f]);
            if (f == 0) {
                digest = res.digest;
            }

            if (res.rc != GLOSSARY_OK || res.walk_errors || res.lazy
                || res.digest != digest)
            {
                tb_diag("  flags %s: %s, lazy %u", tb_flag_names[f],
                        tb_name(res.rc), res.lazy);
                good = 0;
            }
        }

        tb_ok(good, "%u.%u blob without CHUNKS: OK with 0, LAZY, DEEP and "
              "LAZY|DEEP, never lazy, the same walk", mb_default_major,
              minor);

        tb_lazy_open(&o, b.p, b.n, GLOSSARY_OPEN_LAZY);
        tb_lazy_walk(&o, UINT64_MAX, &cnt);
        tb_ok(o.rc == GLOSSARY_OK && !o.blob.lazy && o.mem_size == 0
              && o.blob.chunk_count == 0 && o.blob.chunk_hashes == NULL
              && cnt.wrong == 0 && o.lz.verified == 0 && o.lz.doc_ok == NULL,
              "%u.%u blob opened LAZY: glossary_lazy_size 0, lazy_doc and "
              "lazy_ref OK", mb_default_major, minor);
        tb_lazy_close(&o);

        /* verified in full: a flipped document byte is found at load */
        b.p[b.n - 1] ^= 0x01;
        res = tb_open_flags(b.p, b.n, GLOSSARY_OPEN_LAZY);
        tb_ok(res.rc == GLOSSARY_ERR_CHECKSUM,
              "%u.%u blob, the last byte flipped, opened LAZY: CHECKSUM (got "
              "%s)", mb_default_major, minor, tb_name(res.rc));
        b.p[b.n - 1] ^= 0x01;

        /* and its ETags at load */
        d = mb_doc(&b, TB_LAZY_TERMS - 1, 0);
        b.p[d->etag.off + 1] = ' ';
        mb_fix(&b);
        res = tb_open_flags(b.p, b.n, GLOSSARY_OPEN_LAZY);
        tb_ok(res.rc == GLOSSARY_ERR_DOCS,
              "%u.%u blob with a malformed ETag, opened LAZY: DOCS at load "
              "(got %s)", mb_default_major, minor, tb_name(res.rc));

        mb_free(&b);
    }

}


/* STRINGS a whole number of chunks; no STRINGS at all */
static void
tb_lazy_edges(void)
{
    size_t               len;
    uint64_t             ss, count;
    mb_blob_t            b;
    mb_model_t           m;
    tb_lazy_t            o;
    tb_lazy_count_t      cnt;
    const char          *bodies[GLOSSARY_GLOBAL_DOCS_V1_1];
    static char          filler[4200];

    memset(bodies, 0, sizeof(bodies));
    memset(filler, 0, sizeof(filler));
    bodies[GLOSSARY_GLOBAL_SITEMAP] = filler;

    m = tb_lazy_model();
    m.global_bodies = bodies;
    b = mb_build(&m);
    ss = mb_section(&b, GLOSSARY_SECTION_STRINGS)->size;
    mb_free(&b);

    len = (size_t) ((TB_CHUNK - ss % TB_CHUNK) % TB_CHUNK);
    memset(filler, 'x', len);
    b = mb_build(&m);
    ss = mb_section(&b, GLOSSARY_SECTION_STRINGS)->size;
    count = ss >> TB_SHIFT;

    tb_lazy_open(&o, b.p, b.n, GLOSSARY_OPEN_LAZY);
    tb_lazy_walk(&o, UINT64_MAX, &cnt);
    tb_ok(ss % TB_CHUNK == 0 && o.rc == GLOSSARY_OK
          && o.blob.chunk_count == count
          && mb_section(&b, GLOSSARY_SECTION_CHUNKS)->size == 16 + 8 * count
          && cnt.wrong == 0 && o.lz.ok == count,
          "STRINGS of exactly %llu chunks: lazily OK, the last one full",
          (unsigned long long) count);
    tb_lazy_close(&o);

    b.p[mb_section(&b, GLOSSARY_SECTION_STRINGS)->offset + ss - 1] ^= 0x01;
    tb_lazy_open(&o, b.p, b.n, GLOSSARY_OPEN_LAZY);
    cnt.wrong = 1;
    if (o.rc == GLOSSARY_OK) {
        tb_lazy_walk(&o, count - 1, &cnt);
    }
    tb_ok(cnt.wrong == 0 && cnt.chunk >= 1,
          "... its last byte flipped: the documents of the last chunk "
          "CHUNK, the others OK");
    tb_lazy_close(&o);
    mb_free(&b);

    /* no strings: no chunks, no state */
    memset(&m, 0, sizeof(m));
    m.global_docs = UINT32_MAX;
    m.version_minor = 2;
    m.chunk_shift = TB_SHIFT;
    b = mb_build(&m);
    tb_write_corpus(&b, "empty STRINGS, no chunks");
    tb_lazy_open(&o, b.p, b.n, GLOSSARY_OPEN_LAZY);
    tb_lazy_walk(&o, UINT64_MAX, &cnt);
    tb_ok(mb_section(&b, GLOSSARY_SECTION_STRINGS)->size == 0
          && o.rc == GLOSSARY_OK && o.blob.lazy && o.blob.chunk_count == 0
          && o.mem_size == 0 && cnt.wrong == 0
          && tb_open_flags(b.p, b.n, GLOSSARY_OPEN_DEEP).rc == GLOSSARY_OK,
          "an empty glossary with CHUNKS and no strings: OK lazily and DEEP, "
          "glossary_lazy_size 0");
    tb_lazy_close(&o);
    mb_free(&b);
}


/*
 * The 1.0 model with CHUNKS (none of the 1.1 sections; bodies of 1500
 * bytes, 3 chunks of 4 KiB, the first eager): the main cases again, on
 * blobs small enough to be fuzzer seeds (test_blob --write-corpus)
 */
static void
tb_lazy_small_expect(mb_blob_t *b, const glossary_status_t *want,
    uint64_t bad, const char *name)
{
    int              good;
    unsigned         f;
    tb_lazy_t        o;
    tb_result_t      res;
    tb_lazy_count_t  cnt;

    tb_write_corpus(b, name);

    good = 1;

    for (f = 0; f < 3; f++) {
        res = tb_open_flags(b->p, b->n, tb_flags[f]);

        if (res.rc != want[f] || res.walk_errors
            || (want[f] != GLOSSARY_OK && res.detail[0] == '\0'))
        {
            tb_diag("  flags %s: got %s, detail \"%s\"", tb_flag_names[f],
                    tb_name(res.rc), res.detail);
            good = 0;
        }
    }

    /* lazily: exactly the documents of chunk "bad" fail */
    if (want[1] == GLOSSARY_OK) {
        tb_lazy_open(&o, b->p, b->n, GLOSSARY_OPEN_LAZY);
        tb_lazy_walk(&o, bad, &cnt);

        if (o.rc != GLOSSARY_OK || cnt.wrong || !tb_lazy_guard_ok(&o)
            || (bad != UINT64_MAX && cnt.chunk == 0))
        {
            tb_diag("  lazily: %s", cnt.first);
            good = 0;
        }

        tb_lazy_close(&o);
    }

    tb_ok(good, "%s: 0 %s, LAZY %s, DEEP %s", name, tb_name(want[0]),
          tb_name(want[1]), tb_name(want[2]));

    mb_free(b);
}


static void
tb_lazy_small(void)
{
    int                  good;
    uint64_t             so, ss, chunk;
    mb_blob_t            b, c;
    mb_model_t           m;
    tb_lazy_t            o;
    tb_lazy_count_t      cnt;
    glossary_doc_t      *d;
    glossary_section_t  *s;

    static const glossary_status_t  ok[3] = {
        GLOSSARY_OK, GLOSSARY_OK, GLOSSARY_OK
    };
    static const glossary_status_t  flipped[3] = {
        GLOSSARY_ERR_CHECKSUM, GLOSSARY_OK, GLOSSARY_ERR_CHECKSUM
    };
    static const glossary_status_t  etag[3] = {
        GLOSSARY_ERR_DOCS, GLOSSARY_OK, GLOSSARY_ERR_DOCS
    };
    static const glossary_status_t  chunks[3] = {
        GLOSSARY_ERR_CHUNKS, GLOSSARY_ERR_CHUNKS, GLOSSARY_ERR_CHUNKS
    };
    static const glossary_status_t  stale[3] = {
        GLOSSARY_OK, GLOSSARY_ERR_CHECKSUM, GLOSSARY_ERR_CHECKSUM
    };
    static const glossary_status_t  hash[3] = {
        GLOSSARY_OK, GLOSSARY_OK, GLOSSARY_ERR_CHUNK
    };

    m = mb_default_model;
    m.version_minor = 2;
    m.chunk_shift = TB_SHIFT;
    m.body_pad = 1500;

    b = mb_build(&m);
    so = mb_section(&b, GLOSSARY_SECTION_STRINGS)->offset;
    ss = mb_section(&b, GLOSSARY_SECTION_STRINGS)->size;

    tb_lazy_open(&o, b.p, b.n, GLOSSARY_OPEN_LAZY);
    tb_lazy_walk(&o, UINT64_MAX, &cnt);
    good = o.rc == GLOSSARY_OK && o.blob.lazy && o.blob.chunk_count == 3
           && tb_eager_chunks(&o.blob) == 1 && o.lz.slots == 3 * 2 + 1
           && cnt.wrong == 0 && o.lz.verified == 2 && tb_lazy_guard_ok(&o);
    tb_lazy_close(&o);
    tb_ok(good && b.n < 16384, "the 1.0 model with CHUNKS (3 chunks, %zu "
          "bytes), no 1.1 sections: lazily OK", b.n);

    c = mb_copy(b.p, b.n);
    tb_lazy_small_expect(&c, ok, UINT64_MAX, "small valid");

    /* the last term document: after the eager chunk */
    c = mb_copy(b.p, b.n);
    d = mb_doc(&c, 2, 1);
    chunk = (d->body.off + d->body.len / 2 - so) >> TB_SHIFT;
    c.p[d->body.off + d->body.len / 2] ^= 0x01;
    tb_ok(chunk >= 1, "small: the last term document lies in chunk %llu",
          (unsigned long long) chunk);
    tb_lazy_small_expect(&c, flipped, chunk,
                         "small a body byte flipped not re-sealed");

    c = mb_copy(b.p, b.n);
    d = mb_doc(&c, 2, 1);
    c.p[d->body.off + d->body.len / 2] ^= 0x01;
    mb_fix(&c);
    tb_lazy_small_expect(&c, hash, chunk,
                         "small a body byte flipped checksum re-sealed");

    c = mb_copy(b.p, b.n);
    d = mb_doc(&c, 2, 0);
    c.p[d->etag.off + 1] = ' ';
    mb_seal(&c);
    tb_lazy_open(&o, c.p, c.n, GLOSSARY_OPEN_LAZY);
    good = o.rc == GLOSSARY_OK
           && glossary_lazy_doc(&o.blob, &o.lz,
                                glossary_blob_doc(&o.blob, 2, 0))
              == GLOSSARY_ERR_DOCS
           && glossary_lazy_doc(&o.blob, &o.lz,
                                glossary_blob_doc(&o.blob, 2, 1))
              == GLOSSARY_OK;
    tb_lazy_close(&o);
    tb_ok(good, "small, a malformed ETag: lazy_doc DOCS for its "
          "document, OK for the next");
    tb_write_corpus(&c, "small a malformed etag re-sealed");
    {
        int          all;
        unsigned     f;
        tb_result_t  res;

        all = 1;
        for (f = 0; f < 3; f++) {
            res = tb_open_flags(c.p, c.n, tb_flags[f]);
            all = all && res.rc == etag[f];
        }

        tb_ok(all, "small a malformed ETag re-sealed: 0 DOCS, LAZY OK, "
              "DEEP DOCS");
    }
    mb_free(&c);

    c = mb_copy(b.p, b.n);
    mb_chunks(&c)->chunk_shift = 11;
    mb_seal(&c);
    tb_lazy_small_expect(&c, chunks, UINT64_MAX, "small chunk_shift 11");

    c = mb_copy(b.p, b.n);
    mb_chunks(&c)->eager_size = ss + 1;
    mb_seal(&c);
    tb_lazy_small_expect(&c, chunks, UINT64_MAX,
                         "small eager_size past STRINGS");

    c = mb_copy(b.p, b.n);
    mb_section(&c, GLOSSARY_SECTION_CHUNKS)->size -= 8;
    mb_seal(&c);
    tb_lazy_small_expect(&c, chunks, UINT64_MAX,
                         "small CHUNKS one hash short");

    c = mb_copy(b.p, b.n);
    s = mb_section(&c, GLOSSARY_SECTION_CHUNKS);
    memcpy(c.p + so + 8, c.p + s->offset, s->size);
    s->offset = so + 8;
    mb_seal(&c);
    tb_lazy_small_expect(&c, chunks, UINT64_MAX,
                         "small CHUNKS inside STRINGS");

    c = mb_copy(b.p, b.n);
    mb_section(&c, GLOSSARY_SECTION_TERMS)->offset = so;
    mb_seal(&c);
    tb_lazy_small_expect(&c, chunks, UINT64_MAX,
                         "small TERMS inside STRINGS");

    c = mb_copy(b.p, b.n);
    mb_header(&c)->build_time += 1;
    mb_fix(&c);
    tb_lazy_small_expect(&c, stale, UINT64_MAX,
                         "small index checksum stale");

    c = mb_copy(b.p, b.n);
    mb_chunk_hashes(&c)[2] ^= 1;
    mb_fix_index(&c);
    tb_lazy_small_expect(&c, hash, 2,
                         "small hash of chunk 2 wrong index re-sealed");

    c = mb_copy(b.p, b.n);
    mb_chunks(&c)->eager_size = ss;
    mb_seal(&c);
    tb_lazy_small_expect(&c, ok, UINT64_MAX, "small everything eager");

    mb_free(&b);
}


int
main(int argc, char **argv)
{
    uint16_t  major;

    tb_init(argc, argv);

    /* the current format, then 1.2, which this reader still reads */
    for (major = GLOSSARY_VERSION_MAJOR; major >= GLOSSARY_VERSION_MAJOR_V1;
         major--)
    {
        tb_major(major);
        tb_lazy_table();
        tb_lazy_index();
        tb_lazy_old();
        tb_lazy_edges();
        tb_lazy_small();
    }

    return tb_done();
}
