/*
 * The blob reader (src/blob/glossary_blob.c), format 1.2: GLOSSARY_OPEN_LAZY
 * and DEEP, and the per-process state of glossary_lazy_*(): a chunk of
 * STRINGS is checked against its hash the first time a document or string
 * in it is used; a corrupt chunk fails the documents touching it and
 * nothing else; ETags are placed at load and checked at first use.
 * Prints TAP.
 */

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "tb.h"


static void
tb_lazy_basics(void)
{
    int                  good;
    size_t               pos;
    unsigned             f;
    uint32_t             i;
    uint64_t             k, count, eager, want, digest, h, v0;
    mb_blob_t            b, c;
    tb_lazy_t            o;
    tb_result_t          res;
    tb_lazy_count_t      cnt;
    glossary_section_t  *strings, *chunks;
    const uint64_t      *maps[3];
    uint64_t             words[3];

    b = tb_lazy_build();
    tb_write_corpus(&b, "1.2 valid with 4 KiB chunks");

    strings = mb_section(&b, GLOSSARY_SECTION_STRINGS);
    chunks = mb_section(&b, GLOSSARY_SECTION_CHUNKS);
    count = (strings->size + TB_CHUNK - 1) >> TB_SHIFT;
    eager = (mb_chunks(&b)->eager_size + TB_CHUNK - 1) >> TB_SHIFT;

    tb_ok(b.n < 65536 && count >= 8 && eager == 2
          && mb_chunks(&b)->chunk_shift == TB_SHIFT
          && chunks->offset >= strings->offset + strings->size
          && chunks->size == sizeof(glossary_chunks_t) + 8 * count
          && mb_header(&b)->version_minor == 2,
          "1.2 test blob: %zu bytes, %llu chunks of 4 KiB, the eager strings "
          "in %llu, CHUNKS after STRINGS", b.n, (unsigned long long) count,
          (unsigned long long) eager);

    /* the index checksum: the writer's, the reader's, the header's */

    h = mb_index_checksum(b.p, b.n, strings->offset, strings->size);
    tb_ok(h != 0 && mb_header(&b)->index_checksum == h
          && glossary_blob_index_checksum(b.p, b.n, strings->offset,
                                          strings->size) == h,
          "index_checksum: XXH3-64 of [24, 72), [80, STRINGS), [end of "
          "STRINGS, end), each seeded with the one before; "
          "glossary_blob_index_checksum() agrees");

    /* which bytes it covers: flip one, see whether it changes */
    good = 1;
    {
        static const struct {
            int   covered;
            long  pos;          /* < 0: from the end of the file */
        } probe[] = {
            { 0, 0 }, { 0, 10 }, { 0, 16 }, { 0, 23 },
            { 1, 24 }, { 1, 71 }, { 0, 72 }, { 0, 79 }, { 1, 80 },
            { 1, 127 }, { 1, 128 }, { 1, -1 }, { 1, -9 },
        };

        for (i = 0; i < sizeof(probe) / sizeof(probe[0]); i++) {
            pos = probe[i].pos < 0 ? b.n + probe[i].pos
                                   : (size_t) probe[i].pos;
            c = mb_copy(b.p, b.n);
            c.p[pos] ^= 0x20;

            if ((glossary_blob_index_checksum(c.p, c.n, strings->offset,
                                              strings->size) != h)
                != probe[i].covered)
            {
                tb_diag("  byte %zu: %s", pos, probe[i].covered
                        ? "not covered" : "covered");
                good = 0;
            }

            mb_free(&c);
        }

        for (k = 0; k < count; k++) {
            pos = strings->offset + (k << TB_SHIFT);
            c = mb_copy(b.p, b.n);
            c.p[pos] ^= 0x20;
            c.p[strings->offset + strings->size - 1] ^= 0x20;

            if (glossary_blob_index_checksum(c.p, c.n, strings->offset,
                                             strings->size) != h)
            {
                tb_diag("  STRINGS byte %zu covered", pos);
                good = 0;
            }

            mb_free(&c);
        }
    }

    tb_ok(good, "index_checksum covers [24, 72), [80, STRINGS) and what "
          "follows STRINGS; not [0, 24), itself, nor STRINGS");

    /* the chunk hashes */

    good = 1;
    for (k = 0; k < count; k++) {
        uint64_t  len = strings->size - (k << TB_SHIFT);

        len = len < TB_CHUNK ? len : TB_CHUNK;
        h = XXH3_64bits(b.p + strings->offset + (k << TB_SHIFT), len);

        if (h != mb_chunk_hashes(&b)[k]
            || glossary_blob_chunk_hash(b.p, strings->offset, strings->size,
                                        TB_SHIFT, k) != h)
        {
            tb_diag("  chunk %llu", (unsigned long long) k);
            good = 0;
        }
    }

    tb_ok(good && (strings->size & (TB_CHUNK - 1)) != 0
          && glossary_blob_chunk_hash(b.p, strings->offset, strings->size,
                                      TB_SHIFT, count)
             == XXH3_64bits(b.p, 0),
          "glossary_blob_chunk_hash: XXH3-64 of each 4 KiB of STRINGS, the "
          "last one shorter; past the end, of nothing");

    /* one blob, four ways to open it */

    digest = 0;
    for (f = 0; f < TB_ALL_FLAGS; f++) {
        res = tb_open_flags(b.p, b.n, tb_flags[f]);
        if (f == 0) {
            digest = res.digest;
        }

        tb_ok(res.rc == GLOSSARY_OK && res.walk_errors == 0
              && res.digest == digest
              && res.lazy == ((tb_flags[f] & (GLOSSARY_OPEN_LAZY
                                              | GLOSSARY_OPEN_DEEP))
                              == GLOSSARY_OPEN_LAZY),
              "1.2 blob opened with %s: OK, the same walk, lazy %u",
              tb_flag_names[f], res.lazy);

        if (res.rc != GLOSSARY_OK || res.walk_errors) {
            tb_diag("  got %s (%s) %s", tb_name(res.rc), res.detail,
                    res.walk_first);
        }
    }

    for (f = 0; f < TB_ALL_FLAGS; f++) {
        if (tb_flags[f] & GLOSSARY_OPEN_LAZY) {
            continue;
        }

        tb_lazy_open(&o, b.p, b.n, tb_flags[f]);
        tb_lazy_walk(&o, UINT64_MAX, &cnt);
        tb_ok(o.rc == GLOSSARY_OK && !o.blob.lazy && o.mem_size == 0
              && o.blob.chunk_count == count && o.lz.chunk_ok == NULL
              && cnt.wrong == 0 && o.lz.verified == 0,
              "opened with %s: glossary_lazy_size 0, lazy_doc and lazy_ref "
              "OK at once", tb_flag_names[f]);
        tb_lazy_close(&o);
    }

    /* the lazy state */

    tb_lazy_open(&o, b.p, b.n, GLOSSARY_OPEN_LAZY);

    if (o.rc != GLOSSARY_OK) {
        tb_ok(0, "LAZY open: %s (%s)", tb_name(o.rc), o.blob.detail);
        tb_lazy_close(&o);
        mb_free(&b);
        return;
    }

    tb_ok(o.blob.lazy && o.blob.chunk_count == count
          && o.blob.chunk_shift == TB_SHIFT
          && o.blob.eager_size == mb_chunks(&b)->eager_size
          && o.blob.chunk_hashes
             == (const uint64_t *) (o.copy + chunks->offset
                                    + sizeof(glossary_chunks_t))
          && o.blob.strings_off == strings->offset
          && o.blob.strings_size == strings->size,
          "LAZY open: lazy, chunk_count, chunk_shift, eager_size, "
          "chunk_hashes as written");

    want = (2 * tb_words(count) + tb_words(tb_slots(&o.blob))) * 8;
    tb_ok(o.mem_size == want && o.lz.slots == tb_slots(&o.blob)
          && o.lz.slots == TB_LAZY_TERMS * 6 + 7 + 4,
          "glossary_lazy_size %zu: a bit per chunk twice (%llu chunks) and "
          "one per document (%llu)", o.mem_size, (unsigned long long) count,
          (unsigned long long) o.lz.slots);

    /* the maps lie in the memory given, apart from one another */
    maps[0] = o.lz.chunk_ok;
    maps[1] = o.lz.chunk_bad;
    maps[2] = o.lz.doc_ok;
    words[0] = tb_words(count);
    words[1] = tb_words(count);
    words[2] = tb_words(o.lz.slots);

    good = 1;
    for (i = 0; i < 3; i++) {
        if ((const unsigned char *) maps[i] < o.mem
            || (const unsigned char *) (maps[i] + words[i])
               > o.mem + o.mem_size)
        {
            good = 0;
        }

        for (f = 0; f < i; f++) {
            if (maps[f] < maps[i] + words[i] && maps[i] < maps[f] + words[f])
            {
                good = 0;
            }
        }
    }

    tb_ok(good, "glossary_lazy_init: the three bitmaps lie apart, inside "
          "the %zu bytes", o.mem_size);

    good = tb_popcount(o.lz.chunk_ok, count) == eager
           && tb_popcount(o.lz.chunk_bad, count) == 0
           && tb_popcount(o.lz.doc_ok, o.lz.slots) == 0
           && o.lz.ok == eager && o.lz.verified == 0 && o.lz.corrupt == 0;
    for (k = 0; k < eager; k++) {
        good = good && tb_bit(o.lz.chunk_ok, k);
    }

    tb_ok(good, "glossary_lazy_init: the %llu eager chunks known good, "
          "nothing else", (unsigned long long) eager);

    tb_lazy_walk(&o, UINT64_MAX, &cnt);
    tb_ok(cnt.wrong == 0 && cnt.ok > o.lz.slots,
          "lazily: every document and every string OK (%u calls)", cnt.ok);
    if (cnt.wrong) {
        tb_diag("  %s", cnt.first);
    }

    tb_ok(o.lz.verified == count - eager && o.lz.ok == count
          && o.lz.corrupt == 0
          && tb_popcount(o.lz.chunk_ok, count) == count
          && tb_popcount(o.lz.chunk_bad, count) == 0
          && tb_popcount(o.lz.doc_ok, o.lz.slots) == o.lz.slots,
          "each chunk after the eager ones hashed once (%llu), every "
          "document's bit set", (unsigned long long) o.lz.verified);

    v0 = o.lz.verified;
    tb_lazy_walk(&o, UINT64_MAX, &cnt);
    tb_ok(cnt.wrong == 0 && o.lz.verified == v0,
          "walked again: OK from the bits, nothing hashed again");

    tb_ok(tb_lazy_guard_ok(&o) && memcmp(o.copy, b.p, b.n) == 0,
          "the state stays inside glossary_lazy_size() bytes; the blob is "
          "not written");

    tb_lazy_close(&o);
    mb_free(&b);

    /* the same with a blob of one chunk (chunk_shift 24): all eager */
    {
        mb_model_t  m;

        m = tb_lazy_model();
        m.chunk_shift = GLOSSARY_CHUNK_SHIFT_MAX;
        b = mb_build(&m);
        tb_lazy_open(&o, b.p, b.n, GLOSSARY_OPEN_LAZY);
        tb_lazy_walk(&o, UINT64_MAX, &cnt);
        tb_ok(o.rc == GLOSSARY_OK && o.blob.lazy && o.blob.chunk_count == 1
              && o.lz.ok == 1 && cnt.wrong == 0 && o.lz.verified == 0
              && tb_lazy_guard_ok(&o),
              "chunk_shift 24: one chunk, eager, verified at load");
        tb_lazy_close(&o);
        mb_free(&b);

        m.chunk_shift = 13;
        b = mb_build(&m);
        tb_lazy_open(&o, b.p, b.n, GLOSSARY_OPEN_LAZY);
        tb_lazy_walk(&o, UINT64_MAX, &cnt);
        tb_ok(o.rc == GLOSSARY_OK && o.blob.lazy && o.blob.chunk_count >= 4
              && cnt.wrong == 0
              && o.lz.verified
                 == o.blob.chunk_count - tb_eager_chunks(&o.blob)
              && tb_lazy_guard_ok(&o),
              "chunk_shift 13: %llu chunks of 8 KiB, each verified once",
              (unsigned long long) o.blob.chunk_count);
        tb_lazy_close(&o);
        mb_free(&b);
    }
}


/* a reference over two chunks: both verified, either one corrupt fails */
static void
tb_lazy_span(void)
{
    int                    good;
    uint32_t               i, n;
    uint64_t               first, last, v0;
    mb_blob_t              b, c;
    tb_lazy_t              o, p;
    glossary_ref_t         body;
    glossary_status_t      rc;
    size_t                 other;
    const glossary_doc_t  *docs[TB_MAX_DOCS];
    char                   want[32];

    b = tb_lazy_build();
    tb_lazy_open(&o, b.p, b.n, GLOSSARY_OPEN_LAZY);
    n = tb_docs(&o.blob, docs);
    first = last = 0;

    for (i = 0; i < n; i++) {
        if (tb_ref_chunks(&o.blob, &docs[i]->body, &first, &last)
            && first != last && first >= tb_eager_chunks(&o.blob))
        {
            break;
        }
    }

    if (i == n) {
        tb_ok(0, "a document body over two chunks after the eager ones");
        tb_lazy_close(&o);
        mb_free(&b);
        return;
    }

    body = docs[i]->body;

    /* a document wholly in the first of the two chunks, by its offset */
    other = 0;
    for (i = 0; i < n; i++) {
        if (tb_doc_chunk(&o.blob, docs[i]) == first) {
            other = (const unsigned char *) docs[i] - o.copy;
            break;
        }
    }

    v0 = o.lz.verified;
    rc = glossary_lazy_ref(&o.blob, &o.lz, &body);
    tb_ok(rc == GLOSSARY_OK && last == first + 1
          && o.lz.verified == v0 + 2
          && tb_bit(o.lz.chunk_ok, first) && tb_bit(o.lz.chunk_ok, last),
          "lazy_ref over chunks %llu and %llu: OK, both hashed and known "
          "good", (unsigned long long) first, (unsigned long long) last);
    tb_lazy_close(&o);

    /* the byte in the second chunk */
    c = mb_copy(b.p, b.n);
    c.p[body.off + body.len - 1] ^= 0x01;
    tb_lazy_open(&p, c.p, c.n, GLOSSARY_OPEN_LAZY);
    snprintf(want, sizeof(want), "chunk %llu ", (unsigned long long) last);

    rc = p.rc == GLOSSARY_OK ? glossary_lazy_ref(&p.blob, &p.lz, &body)
                             : p.rc;
    good = rc == GLOSSARY_ERR_CHUNK && tb_has(p.lz.detail, want)
           && tb_bit(p.lz.chunk_ok, first) && tb_bit(p.lz.chunk_bad, last)
           && p.lz.corrupt == 1;
    tb_ok(good, "the same, a byte flipped in chunk %llu: CHUNK naming it, "
          "chunk %llu good", (unsigned long long) last,
          (unsigned long long) first);
    if (!good) {
        tb_diag("  got %s, \"%s\"", tb_name(rc), p.lz.detail);
    }

    tb_ok(p.rc == GLOSSARY_OK && other != 0
          && glossary_lazy_doc(&p.blob, &p.lz,
                               (const glossary_doc_t *) (p.copy + other))
             == GLOSSARY_OK,
          "a document wholly in chunk %llu: still OK",
          (unsigned long long) first);
    tb_lazy_close(&p);
    mb_free(&c);

    /* the byte in the first chunk */
    c = mb_copy(b.p, b.n);
    c.p[body.off] ^= 0x01;
    tb_lazy_open(&p, c.p, c.n, GLOSSARY_OPEN_LAZY);
    snprintf(want, sizeof(want), "chunk %llu ", (unsigned long long) first);

    rc = p.rc == GLOSSARY_OK ? glossary_lazy_ref(&p.blob, &p.lz, &body)
                             : p.rc;
    tb_ok(rc == GLOSSARY_ERR_CHUNK && tb_has(p.lz.detail, want)
          && tb_bit(p.lz.chunk_bad, first),
          "the same, a byte flipped in chunk %llu: CHUNK naming it",
          (unsigned long long) first);
    tb_lazy_close(&p);
    mb_free(&c);

    mb_free(&b);
}


/* a document's bytes corrupt after the eager chunks */
static void
tb_lazy_corrupt(void)
{
    int                    good;
    unsigned               f;
    uint32_t               x, y, z, n, i;
    uint64_t               k, v0;
    mb_blob_t              b, c;
    tb_lazy_t              o, p;
    tb_result_t            res;
    tb_lazy_count_t        cnt;
    glossary_status_t      rc1, rc2, rc3, rc4;
    const glossary_doc_t  *docs[TB_MAX_DOCS], *xd;
    char                   want[32];

    static const glossary_status_t  expect[3] = {
        GLOSSARY_ERR_CHECKSUM, GLOSSARY_OK, GLOSSARY_ERR_CHECKSUM
    };

    b = tb_lazy_build();
    tb_lazy_open(&o, b.p, b.n, GLOSSARY_OPEN_LAZY);
    n = tb_docs(&o.blob, docs);

    x = tb_lazy_pick(&o, 0, 0);
    k = x == UINT32_MAX ? 0 : tb_doc_chunk(&o.blob, docs[x]);
    y = tb_lazy_pick(&o, k + 1, 0);

    for (z = 0; z < n; z++) {
        if (z != x && tb_doc_chunk(&o.blob, docs[z]) == k) {
            break;
        }
    }

    if (x == UINT32_MAX || y == UINT32_MAX || z == n) {
        tb_ok(0, "documents for the corruption tests");
        tb_lazy_close(&o);
        mb_free(&b);
        return;
    }

    xd = docs[x];
    c = mb_copy(b.p, b.n);
    c.p[xd->body.off + xd->body.len / 2] ^= 0x01;

    good = 1;
    for (f = 0; f < 3; f++) {
        res = tb_open_flags(c.p, c.n, tb_flags[f]);
        if (res.rc != expect[f] || res.walk_errors
            || (tb_flags[f] == GLOSSARY_OPEN_LAZY && !res.lazy))
        {
            tb_diag("  flags %s: %s", tb_flag_names[f], tb_name(res.rc));
            good = 0;
        }
    }

    tb_ok(good, "a byte flipped in a document in chunk %llu (after the "
          "eager ones): 0 CHECKSUM, LAZY OK (lazy), DEEP CHECKSUM",
          (unsigned long long) k);

    tb_lazy_open(&p, c.p, c.n, GLOSSARY_OPEN_LAZY);

    if (p.rc == GLOSSARY_OK) {
        snprintf(want, sizeof(want), "chunk %llu ", (unsigned long long) k);

        tb_ok(glossary_lazy_doc(&p.blob, &p.lz, tb_lazy_doc_at(&p.blob, y))
              == GLOSSARY_OK,
              "lazy_doc of a document in a later chunk: OK");

        v0 = p.lz.verified;
        rc1 = glossary_lazy_doc(&p.blob, &p.lz, tb_lazy_doc_at(&p.blob, x));
        tb_ok(rc1 == GLOSSARY_ERR_CHUNK && tb_has(p.lz.detail, want)
              && p.lz.verified == v0 + 1 && p.lz.corrupt == 1
              && tb_bit(p.lz.chunk_bad, k) && !tb_bit(p.lz.chunk_ok, k),
              "lazy_doc of the document: CHUNK, naming chunk %llu, marked "
              "bad", (unsigned long long) k);
        tb_diag("  \"%s\"", p.lz.detail);

        rc2 = glossary_lazy_doc(&p.blob, &p.lz, tb_lazy_doc_at(&p.blob, x));
        tb_ok(rc2 == GLOSSARY_ERR_CHUNK && tb_has(p.lz.detail, "before")
              && p.lz.verified == v0 + 1 && p.lz.corrupt == 1,
              "again: CHUNK from the bit (\"before\"), not hashed again");

        rc3 = glossary_lazy_doc(&p.blob, &p.lz, tb_lazy_doc_at(&p.blob, z));
        rc4 = glossary_lazy_ref(&p.blob, &p.lz,
                                &tb_lazy_doc_at(&p.blob, x)->body);
        tb_ok(rc3 == GLOSSARY_ERR_CHUNK && rc4 == GLOSSARY_ERR_CHUNK
              && tb_has(p.lz.detail, "before")
              && p.lz.verified == v0 + 1,
              "another document in chunk %llu and lazy_ref of the body: "
              "CHUNK", (unsigned long long) k);

    } else {
        tb_ok(0, "LAZY open of the corrupt blob: %s", tb_name(p.rc));
    }

    tb_lazy_close(&p);

    /* every document and string: exactly those in chunk k fail */
    tb_lazy_open(&p, c.p, c.n, GLOSSARY_OPEN_LAZY);
    tb_lazy_walk(&p, k, &cnt);
    tb_ok(p.rc == GLOSSARY_OK && cnt.wrong == 0 && cnt.chunk >= 2
          && tb_popcount(p.lz.doc_ok, p.lz.slots) == p.lz.slots - cnt.chunk
          && tb_lazy_guard_ok(&p),
          "lazily, every document: the %u touching chunk %llu CHUNK, the "
          "others OK", cnt.chunk, (unsigned long long) k);
    if (cnt.wrong) {
        tb_diag("  %s", cnt.first);
    }
    tb_lazy_close(&p);

    res = tb_open_flags(c.p, c.n, GLOSSARY_OPEN_LAZY | GLOSSARY_OPEN_DEEP);
    tb_ok(res.rc == GLOSSARY_ERR_CHECKSUM || res.rc == GLOSSARY_ERR_CHUNK,
          "the same opened with LAZY|DEEP: refused (DEEP overrides LAZY)");

    /* the checksum re-sealed: only the chunk hash knows */
    mb_fix(&c);

    res = tb_open_flags(c.p, c.n, 0);
    good = res.rc == GLOSSARY_OK;
    res = tb_open_flags(c.p, c.n, GLOSSARY_OPEN_DEEP);
    snprintf(want, sizeof(want), "chunk %llu ", (unsigned long long) k);
    good = good && res.rc == GLOSSARY_ERR_CHUNK && tb_has(res.detail, want);
    tb_lazy_open(&p, c.p, c.n, GLOSSARY_OPEN_LAZY);
    good = good && p.rc == GLOSSARY_OK
           && glossary_lazy_doc(&p.blob, &p.lz, tb_lazy_doc_at(&p.blob, x))
              == GLOSSARY_ERR_CHUNK;
    tb_lazy_close(&p);
    tb_ok(good, "the same with the checksum re-sealed: 0 OK (no chunk "
          "check), DEEP CHUNK naming chunk %llu, lazily CHUNK",
          (unsigned long long) k);

    mb_free(&c);

    /*
     * every part of a document is verified: one document's body, ETag,
     * gzip body or gzip ETag made the same as those of a document two
     * chunks on, whose bytes are then corrupted
     */
    x = tb_lazy_pick(&o, 0, 1);
    k = x == UINT32_MAX ? 0 : tb_doc_chunk(&o.blob, docs[x]);
    y = tb_lazy_pick(&o, k + 2, 1);

    for (i = 0; i < 4; i++) {
        static const char  *part[] = {
            "body", "ETag", "gzip body", "gzip ETag"
        };

        glossary_ref_t  *xr, *yr;

        if (x == UINT32_MAX || y == UINT32_MAX) {
            tb_ok(0, "documents for the parts test");
            break;
        }

        c = mb_copy(b.p, b.n);
        xr = (glossary_ref_t *) tb_lazy_doc_in(&c, &o, docs[x]) + i;
        yr = (glossary_ref_t *) tb_lazy_doc_in(&c, &o, docs[y]) + i;
        *xr = *yr;
        mb_seal(&c);
        c.p[yr->off + yr->len / 2] ^= 0x01;

        tb_lazy_open(&p, c.p, c.n, GLOSSARY_OPEN_LAZY);
        rc1 = p.rc == GLOSSARY_OK
              ? glossary_lazy_doc(&p.blob, &p.lz, tb_lazy_doc_at(&p.blob, x))
              : p.rc;
        tb_ok(rc1 == GLOSSARY_ERR_CHUNK,
              "a document whose %s lies in a corrupt chunk, the rest in a "
              "good one: CHUNK", part[i]);
        if (rc1 != GLOSSARY_ERR_CHUNK) {
            tb_diag("  got %s (%s)", tb_name(rc1),
                    p.rc == GLOSSARY_OK ? p.lz.detail : p.blob.detail);
        }
        tb_lazy_close(&p);
        mb_free(&c);
    }

    tb_lazy_close(&o);
    mb_free(&b);
}


/*
 * Every byte outside STRINGS and every byte of the eager chunks, flipped:
 * a LAZY open fails.  Bytes of the later chunks, flipped: a LAZY open
 * succeeds and exactly the documents of that chunk fail.
 */
static void
tb_lazy_flips(void)
{
    size_t              pos, so, se, eager_end, n;
    unsigned            i, bad[8], flips, checksum;
    mb_blob_t           b, c;
    tb_lazy_t           o;
    tb_result_t         res;
    tb_lazy_count_t     cnt;
    glossary_status_t   want;
    uint64_t            table_end;

    b = tb_lazy_build();
    n = b.n;
    so = mb_section(&b, GLOSSARY_SECTION_STRINGS)->offset;
    se = so + mb_section(&b, GLOSSARY_SECTION_STRINGS)->size;
    eager_end = so + (((mb_chunks(&b)->eager_size + TB_CHUNK - 1) >> TB_SHIFT)
                      << TB_SHIFT);
    table_end = mb_header(&b)->section_table
                + (uint64_t) mb_header(&b)->section_count * 24;

    {
        static const char  *what[] = {
            "header bytes 24 to 72: an error",
            "index_checksum (72 to 80): CHECKSUM",
            "header bytes 88 to 128 (reserved; 1.x: 80 to 128): CHECKSUM",
            "the section table: an error",
            "the sections before STRINGS: an error",
            "the eager chunks of STRINGS: CHUNK",
            "what follows STRINGS (padding, CHUNKS): an error",
            "doc_kinds (80 to 88; none in 1.x): an error",
        };

        size_t  from[8], to[8], kinds_end;

        /* 2.0: doc_kinds at 80, which the header check reads */
        kinds_end = mb_is_v1(&b) ? 80 : 88;

        from[0] = 24;         to[0] = 72;
        from[1] = 72;         to[1] = 80;
        from[2] = kinds_end;  to[2] = 128;
        from[3] = 128;        to[3] = table_end;
        from[4] = table_end;  to[4] = so;
        from[5] = so;         to[5] = eager_end;
        from[6] = se;         to[6] = n;
        from[7] = 80;         to[7] = kinds_end;

        memset(bad, 0, sizeof(bad));
        checksum = 0;

        for (i = 0; i < 8; i++) {
            for (pos = from[i]; pos < to[i]; pos++) {
                c = mb_copy(b.p, n);
                c.p[pos] ^= 0xff;
                res = tb_open_flags(c.p, c.n, GLOSSARY_OPEN_LAZY);
                mb_free(&c);

                want = (i == 5) ? GLOSSARY_ERR_CHUNK
                       : (i == 1 || i == 2) ? GLOSSARY_ERR_CHECKSUM
                       : GLOSSARY_OK;

                checksum += res.rc == GLOSSARY_ERR_CHECKSUM;

                if (res.rc == GLOSSARY_OK
                    || (want != GLOSSARY_OK && res.rc != want)
                    || res.detail[0] == '\0' || res.walk_errors)
                {
                    if (bad[i]++ < 3) {
                        tb_diag("  byte %zu flipped, opened LAZY: %s", pos,
                                tb_name(res.rc));
                    }
                }
            }

            tb_ok(bad[i] == 0, "each byte flipped in %s (%zu bytes), "
                  "opened LAZY", what[i], to[i] - from[i]);
        }

        tb_diag("  %u of those flips failed the index checksum", checksum);
    }

    /* the first 24 bytes: the checks of their own */
    memset(bad, 0, sizeof(bad));

    for (pos = 0; pos < 24; pos++) {
        c = mb_copy(b.p, n);
        c.p[pos] ^= 0xff;
        res = tb_open_flags(c.p, c.n, GLOSSARY_OPEN_LAZY);
        mb_free(&c);

        want = pos < 8 ? GLOSSARY_ERR_MAGIC : pos < 10 ? GLOSSARY_ERR_VERSION
               : pos < 12 ? GLOSSARY_OK : pos < 16 ? GLOSSARY_ERR_BYTE_ORDER
               : GLOSSARY_OK;

        if (pos >= 16) {
            /* the checksum, which a lazy open does not read */
            bad[1] += res.rc != GLOSSARY_OK;
            continue;
        }

        if (res.rc != want) {
            bad[0]++;
            tb_diag("  byte %zu flipped: %s, want %s", pos, tb_name(res.rc),
                    tb_name(want));
        }
    }

    tb_ok(bad[0] == 0, "each byte flipped in the magic, version and byte "
          "order, opened LAZY: MAGIC, VERSION (minor: OK), BYTE_ORDER");
    tb_diag("  the checksum field flipped, opened LAZY: %u of 8 refused "
            "(it is not read lazily: the build id goes unchecked)", bad[1]);

    /* the later chunks: the open succeeds, the chunk's documents fail */
    memset(bad, 0, sizeof(bad));
    flips = 0;

    for (pos = eager_end; pos < se; pos++) {

        /* every byte near a chunk's edges, one in 5 elsewhere */
        if ((pos - so) % TB_CHUNK >= 64
            && (pos - so) % TB_CHUNK < TB_CHUNK - 64
            && (pos - so) % 5 != 0)
        {
            continue;
        }

        flips++;
        c = mb_copy(b.p, n);
        c.p[pos] ^= 0xff;

        tb_lazy_open(&o, c.p, c.n, GLOSSARY_OPEN_LAZY);

        if (o.rc != GLOSSARY_OK) {
            if (bad[0]++ < 3) {
                tb_diag("  byte %zu flipped, opened LAZY: %s (%s)", pos,
                        tb_name(o.rc), o.blob.detail);
            }

        } else {
            tb_lazy_walk(&o, (pos - so) >> TB_SHIFT, &cnt);

            if (cnt.wrong || cnt.chunk == 0 || o.lz.corrupt != 1
                || !tb_lazy_guard_ok(&o))
            {
                if (bad[1]++ < 3) {
                    tb_diag("  byte %zu flipped: %s", pos, cnt.first);
                }
            }
        }

        tb_lazy_close(&o);

        /* the full checks see it, one in 8 */
        if (flips % 8 == 0) {
            res = tb_open_flags(c.p, c.n, 0);
            bad[2] += res.rc != GLOSSARY_ERR_CHECKSUM;
            res = tb_open_flags(c.p, c.n, GLOSSARY_OPEN_DEEP);
            bad[2] += res.rc != GLOSSARY_ERR_CHECKSUM;
        }

        mb_free(&c);
    }

    tb_ok(bad[0] == 0, "%u bytes flipped after the eager chunks: each opens "
          "LAZY", flips);
    tb_ok(bad[1] == 0, "... and lazily every document touching that chunk "
          "is CHUNK, every other one and every string OK");
    tb_ok(bad[2] == 0, "... and opened with 0 or DEEP: CHECKSUM");

    mb_free(&b);
}


/* ETags: their place is checked at load, their bytes at first use */
static void
tb_lazy_etag(void)
{
    int                    good;
    unsigned               f;
    uint32_t               x, i, n, bad;
    mb_blob_t              b, c;
    tb_lazy_t              o, p;
    tb_result_t            res;
    tb_lazy_count_t        cnt;
    glossary_doc_t        *d;
    glossary_status_t      rc1, rc2;
    const glossary_doc_t  *docs[TB_MAX_DOCS];

    static const glossary_status_t  expect[3] = {
        GLOSSARY_ERR_DOCS, GLOSSARY_OK, GLOSSARY_ERR_DOCS
    };

    b = tb_lazy_build();
    tb_lazy_open(&o, b.p, b.n, GLOSSARY_OPEN_LAZY);
    n = tb_docs(&o.blob, docs);
    x = tb_lazy_pick(&o, 0, 1);

    if (x == UINT32_MAX) {
        tb_ok(0, "a document for the ETag tests");
        tb_lazy_close(&o);
        mb_free(&b);
        return;
    }

    for (i = 0; i < 3; i++) {
        static const char  *what[] = {
            "a space in a document's ETag",
            "a document's ETag without its closing quote",
            "a space in a document's gzip ETag",
        };

        c = mb_copy(b.p, b.n);
        d = tb_lazy_doc_in(&c, &o, docs[x]);

        if (i == 0) {
            c.p[d->etag.off + 5] = ' ';
        } else if (i == 1) {
            c.p[d->etag.off + d->etag.len - 1] = '0';
        } else {
            c.p[d->gzip_etag.off + 5] = ' ';
        }

        mb_seal(&c);

        good = 1;
        for (f = 0; f < 3; f++) {
            res = tb_open_flags(c.p, c.n, tb_flags[f]);
            if (res.rc != expect[f] || res.walk_errors) {
                tb_diag("  flags %s: %s", tb_flag_names[f], tb_name(res.rc));
                good = 0;
            }
        }

        tb_lazy_open(&p, c.p, c.n, GLOSSARY_OPEN_LAZY);

        if (p.rc == GLOSSARY_OK) {
            rc1 = glossary_lazy_doc(&p.blob, &p.lz,
                                    tb_lazy_doc_at(&p.blob, x));
            good = good && rc1 == GLOSSARY_ERR_DOCS
                   && tb_has(p.lz.detail, "ETag");
            rc2 = glossary_lazy_doc(&p.blob, &p.lz,
                                    tb_lazy_doc_at(&p.blob, x));
            good = good && rc2 == GLOSSARY_ERR_DOCS;

            tb_lazy_walk(&p, UINT64_MAX, &cnt);
            good = good && cnt.docs == 1 && cnt.wrong == 1 && cnt.chunk == 0
                   && p.lz.corrupt == 0
                   && tb_popcount(p.lz.doc_ok, p.lz.slots)
                      == p.lz.slots - 1;

        } else {
            good = 0;
        }

        tb_lazy_close(&p);

        tb_ok(good, "%s, hashes re-sealed: 0 and DEEP DOCS; LAZY OK, then "
              "lazy_doc DOCS (twice), every other document OK", what[i]);

        mb_free(&c);
    }

    /* a global document's, a category page's */
    for (i = 0; i < 2; i++) {
        const glossary_doc_t  *bad_doc, *good_doc;

        c = mb_copy(b.p, b.n);

        if (i == 0) {
            bad_doc = glossary_blob_global(&o.blob, 3);
            good_doc = glossary_blob_global(&o.blob, 2);
        } else {
            bad_doc = &o.blob.categories[1].html;
            good_doc = &o.blob.categories[1].json;
        }

        d = tb_lazy_doc_in(&c, &o, bad_doc);
        c.p[d->etag.off + 1] = ' ';
        mb_seal(&c);

        tb_lazy_open(&p, c.p, c.n, GLOSSARY_OPEN_LAZY);
        good = p.rc == GLOSSARY_OK
               && glossary_lazy_doc(&p.blob, &p.lz,
                                    tb_lazy_same(&p, &o, good_doc))
                  == GLOSSARY_OK
               && glossary_lazy_doc(&p.blob, &p.lz,
                                    tb_lazy_same(&p, &o, bad_doc))
                  == GLOSSARY_ERR_DOCS;
        tb_lazy_close(&p);

        res = tb_open_flags(c.p, c.n, 0);

        tb_ok(good && res.rc == GLOSSARY_ERR_DOCS,
              "a malformed ETag in %s: lazily DOCS, %s OK; in full DOCS",
              i ? "a category's HTML page" : "global document 3",
              i ? "its JSON page" : "global document 2");
        mb_free(&c);
    }

    /* the place and the length are checked at load, lazily too */
    for (i = 0; i < 4; i++) {
        static const char  *what[] = {
            "an ETag of 1 byte", "an ETag of 65 bytes",
            "an ETag at offset 0 (the header)", "an ETag past STRINGS",
        };

        c = mb_copy(b.p, b.n);
        d = tb_lazy_doc_in(&c, &o, docs[x]);

        if (i == 0) {
            d->etag.len = 1;
        } else if (i == 1) {
            d->etag.len = 65;
        } else if (i == 2) {
            d->etag.off = 0;
        } else {
            d->etag.off = o.blob.strings_off + o.blob.strings_size - 8;
        }

        mb_seal(&c);
        tb_lazy_expect(&c, GLOSSARY_ERR_DOCS, what[i]);
    }

    /*
     * one bit per document: with every other document verified first, a
     * malformed ETag is still found, for each document in turn
     */
    bad = 0;

    for (x = 0; x < n; x++) {
        c = mb_copy(b.p, b.n);
        d = tb_lazy_doc_in(&c, &o, docs[x]);
        c.p[d->etag.off + 1] = ' ';
        mb_seal(&c);

        tb_lazy_open(&p, c.p, c.n, GLOSSARY_OPEN_LAZY);
        good = p.rc == GLOSSARY_OK;

        for (i = 0; good && i < n; i++) {
            if (i != x
                && glossary_lazy_doc(&p.blob, &p.lz,
                                     tb_lazy_doc_at(&p.blob, i))
                   != GLOSSARY_OK)
            {
                good = 0;
            }
        }

        good = good
               && glossary_lazy_doc(&p.blob, &p.lz, tb_lazy_doc_at(&p.blob, x))
                  == GLOSSARY_ERR_DOCS
               && tb_lazy_guard_ok(&p);

        if (!good && bad++ < 3) {
            tb_diag("  document %u: %s", (unsigned) x,
                    p.rc == GLOSSARY_OK ? p.lz.detail : p.blob.detail);
        }

        tb_lazy_close(&p);
        mb_free(&c);
    }

    tb_ok(bad == 0, "each of the %u documents with a malformed ETag: DOCS "
          "after every other one was verified (a bit of its own)", n);

    tb_lazy_close(&o);
    mb_free(&b);
}


/*
 * An absent document (four empty references) has nothing to verify: a
 * lazy check of it is OK at once, whatever byte its empty ETag points at
 * (here a quote, where a check of an ETag's syntax would start)
 */
static void
tb_lazy_absent(void)
{
    mb_blob_t              b;
    tb_lazy_t              o;
    glossary_doc_t        *d;
    glossary_status_t      rc;
    const glossary_doc_t  *od;

    b = tb_lazy_build();
    d = mb_doc(&b, TB_LAZY_TERMS - 1, 0);
    d->body.len = 0;
    d->gzip_body.len = 0;
    d->gzip_etag.len = 0;
    d->gzip_etag.off = d->etag.off;
    d->gzip_body.off = d->etag.off;
    d->body.off = d->etag.off;
    d->etag.len = 0;

    /* a quote before it too, as where ETags lie one after the other */
    b.p[d->etag.off - 1] = '"';
    mb_seal(&b);

    tb_lazy_open(&o, b.p, b.n, GLOSSARY_OPEN_LAZY);
    od = (o.rc == GLOSSARY_OK) ? glossary_blob_doc(&o.blob,
                                                   TB_LAZY_TERMS - 1, 0)
                               : NULL;
    rc = (od != NULL) ? glossary_lazy_doc(&o.blob, &o.lz, od)
                      : GLOSSARY_ERR_DOCS;

    tb_ok(o.rc == GLOSSARY_OK && od != NULL
          && b.p[d->etag.off] == '"' && glossary_doc_absent(od)
          && rc == GLOSSARY_OK && tb_lazy_guard_ok(&o),
          "an absent document, its empty ETag on a quote after a quote: a "
          "lazy open OK, its lazy check OK at once (got %s, %s)",
          tb_name(o.rc),
          tb_name(rc));

    tb_lazy_close(&o);
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
        tb_lazy_basics();
        tb_lazy_span();
        tb_lazy_corrupt();
        tb_lazy_flips();
        tb_lazy_etag();
        tb_lazy_absent();
    }

    return tb_done();
}
