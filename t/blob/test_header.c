/*
 * The blob reader (src/blob/glossary_blob.c) and the frame of the file:
 * the header's fields, the section table, the blob truncated to every
 * length, every byte flipped, every bit flipped with the checksum
 * re-sealed.  Prints TAP; each check expects an exact status code.
 */

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "tb.h"


static void
tb_truncations(void)
{
    size_t        len, bad_short, bad_long, bad_sealed, n;
    mb_blob_t     b, c;
    tb_result_t   res;
    glossary_status_t  want;

    b = mb_build_default();
    n = b.n;

    res = tb_open(NULL, 0);
    tb_ok(res.rc == GLOSSARY_ERR_TRUNCATED && res.detail[0],
          "NULL, size 0: TRUNCATED");

    bad_short = bad_long = bad_sealed = 0;

    for (len = 0; len < n; len++) {
        res = tb_open(b.p, len);
        want = len < GLOSSARY_HEADER_SIZE ? GLOSSARY_ERR_TRUNCATED
                                          : GLOSSARY_ERR_SIZE;

        if (res.rc != want || res.detail[0] == '\0') {
            if (len < GLOSSARY_HEADER_SIZE) {
                bad_short++;
            } else {
                bad_long++;
            }

            tb_diag("  truncated to %zu: %s", len, tb_name(res.rc));
        }

        if (len < GLOSSARY_HEADER_SIZE) {
            continue;
        }

        /* truncated but consistent: file_size and checksum re-sealed */
        c = mb_copy(b.p, len);
        mb_header(&c)->file_size = len;
        mb_fix(&c);
        res = tb_open(c.p, c.n);
        mb_free(&c);

        want = len < GLOSSARY_HEADER_SIZE + 6 * 24 ? GLOSSARY_ERR_SECTION_TABLE
                                                   : GLOSSARY_ERR_SECTION;

        if (res.rc != want || res.detail[0] == '\0') {
            bad_sealed++;
            tb_diag("  truncated to %zu and re-sealed: %s", len,
                    tb_name(res.rc));
        }
    }

    tb_ok(bad_short == 0, "truncated to each of 0..127 bytes: TRUNCATED");
    tb_ok(bad_long == 0, "truncated to each of 128..%zu bytes: SIZE", n - 1);
    tb_ok(bad_sealed == 0, "truncated to each of 128..%zu bytes, size and "
          "checksum re-sealed: SECTION_TABLE, then SECTION", n - 1);

    /* one byte too many, the header unchanged */
    c.n = n + 1;
    c.p = calloc(1, c.n);
    if (c.p == NULL) {
        exit(2);
    }
    memcpy(c.p, b.p, n);
    tb_expect_sealed(&c, 0, GLOSSARY_ERR_SIZE, "one byte appended");

    mb_free(&b);
}


/* the largest file the blob's major version allows */
static uint64_t
tb_max_size(mb_blob_t *b)
{
    return mb_is_v1(b) ? GLOSSARY_MAX_FILE_SIZE_V1 : GLOSSARY_MAX_FILE_SIZE;
}


static glossary_status_t
tb_flip_want(mb_blob_t *b, size_t pos)
{
    uint64_t  size;

    if (pos < 8) {
        return GLOSSARY_ERR_MAGIC;
    }

    if (pos < 10) {
        return GLOSSARY_ERR_VERSION;
    }

    if (pos < 12) {
        return GLOSSARY_OK;       /* the minor version is not checksummed */
    }

    if (pos < 16) {
        return GLOSSARY_ERR_BYTE_ORDER;
    }

    if (pos < 24 || pos >= 32) {
        return GLOSSARY_ERR_CHECKSUM;
    }

    size = mb_header(b)->file_size;

    return size > tb_max_size(b) ? GLOSSARY_ERR_TOO_LARGE : GLOSSARY_ERR_SIZE;
}


static void
tb_flips(void)
{
    int                i, bit;
    size_t             pos, n, ok_sealed;
    unsigned           bad[6], count[GLOSSARY_ERR_LAST];
    mb_blob_t          b, c;
    tb_result_t        res;
    glossary_status_t  want;

    static const struct {
        size_t       from, to;
        const char  *what;
    } region[] = {
        { 0, 8, "magic: MAGIC" },
        { 8, 10, "major version: VERSION" },
        { 10, 12, "minor version (not checksummed): OK" },
        { 12, 16, "byte order: BYTE_ORDER" },
        { 16, 32, "checksum, file size: CHECKSUM, SIZE, TOO_LARGE" },
        { 32, 0, "everything checksummed: CHECKSUM" },
    };

    b = mb_build_default();
    n = b.n;
    memset(bad, 0, sizeof(bad));

    for (pos = 0; pos < n; pos++) {
        c = mb_copy(b.p, n);
        c.p[pos] ^= 0xff;
        want = tb_flip_want(&c, pos);
        res = tb_open(c.p, c.n);
        mb_free(&c);

        if (res.rc != want
            || (want != GLOSSARY_OK && res.detail[0] == '\0')
            || res.walk_errors)
        {
            for (i = 5; i > 0 && pos < region[i].from; i--) {
                /* void */
            }

            if (bad[i]++ < 5) {
                tb_diag("  byte %zu flipped: %s, want %s", pos,
                        tb_name(res.rc), tb_name(want));
            }
        }
    }

    for (i = 0; i < 6; i++) {
        tb_ok(bad[i] == 0, "each byte flipped in the %s", region[i].what);
    }

    /*
     * Every single bit flipped with the checksum re-sealed, so that the
     * structural checks see it: any status will do, but nothing may crash
     * and what opens must walk clean.
     */

    memset(count, 0, sizeof(count));
    ok_sealed = 0;
    bad[0] = 0;

    for (pos = GLOSSARY_CHECKSUM_FROM; pos < n; pos++) {
        for (bit = 0; bit < 8; bit++) {
            c = mb_copy(b.p, n);
            c.p[pos] ^= 1u << bit;
            mb_fix(&c);
            res = tb_open(c.p, c.n);
            mb_free(&c);

            count[res.rc < GLOSSARY_ERR_LAST ? res.rc : 0]++;
            ok_sealed += res.rc == GLOSSARY_OK;

            if (res.walk_errors
                || !res.detail_terminated
                || res.rc >= GLOSSARY_ERR_LAST
                || res.rc == GLOSSARY_ERR_CHECKSUM
                || (res.rc != GLOSSARY_OK && res.detail[0] == '\0'))
            {
                if (bad[0]++ < 5) {
                    tb_diag("  bit %d of byte %zu, re-sealed: %s %s", bit,
                            pos, tb_name(res.rc), res.walk_first);
                }
            }
        }
    }

    tb_ok(bad[0] == 0, "each of %zu bits flipped, checksum re-sealed: no "
          "crash, a message, clean walks", (n - GLOSSARY_CHECKSUM_FROM) * 8);

    tb_diag("  re-sealed bit flips: %zu open (build_time, reserved, text), "
            "errors: header %u, table %u, section %u, missing %u, terms %u, "
            "related %u, hash %u, docs %u, size %u", ok_sealed,
            count[GLOSSARY_ERR_HEADER], count[GLOSSARY_ERR_SECTION_TABLE],
            count[GLOSSARY_ERR_SECTION], count[GLOSSARY_ERR_MISSING_SECTION],
            count[GLOSSARY_ERR_TERMS], count[GLOSSARY_ERR_RELATED],
            count[GLOSSARY_ERR_HASH], count[GLOSSARY_ERR_DOCS],
            count[GLOSSARY_ERR_SIZE] + count[GLOSSARY_ERR_TOO_LARGE]);

    mb_free(&b);
}


static void
tb_header(void)
{
    size_t        n;
    mb_blob_t     b;
    tb_result_t   res;
    unsigned char zero[GLOSSARY_HEADER_SIZE];

    memset(zero, 0, sizeof(zero));

    res = tb_open(zero, sizeof(zero) - 1);
    tb_ok(res.rc == GLOSSARY_ERR_TRUNCATED, "127 zero bytes: TRUNCATED");

    res = tb_open(zero, sizeof(zero));
    tb_ok(res.rc == GLOSSARY_ERR_MAGIC, "128 zero bytes: MAGIC");

    b = mb_build_default();
    memcpy(mb_header(&b)->magic, "GLOSSARX", 8);
    tb_expect(&b, GLOSSARY_ERR_MAGIC, "magic GLOSSARX");

    b = mb_build_default();
    memcpy(mb_header(&b)->magic, "glossary", 8);
    tb_expect(&b, GLOSSARY_ERR_MAGIC, "magic in lower case");

    b = mb_build_default();
    mb_header(&b)->version_major = 3;
    tb_expect(&b, GLOSSARY_ERR_VERSION, "major version 3");

    b = mb_build_default();
    mb_header(&b)->version_major = 0;
    tb_expect(&b, GLOSSARY_ERR_VERSION, "major version 0");

    b = mb_build_default();
    mb_header(&b)->version_major = 0x0100;
    tb_expect(&b, GLOSSARY_ERR_VERSION, "major version byte-swapped (256)");

    b = mb_build_default();
    mb_header(&b)->version_minor = 0xffff;
    tb_expect(&b, GLOSSARY_OK, "minor version 65535");

    b = mb_build_default();
    mb_header(&b)->byte_order = 0x04030201;
    tb_expect(&b, GLOSSARY_ERR_BYTE_ORDER, "byte order marker swapped");

    b = mb_build_default();
    mb_header(&b)->byte_order = 0;
    tb_expect(&b, GLOSSARY_ERR_BYTE_ORDER, "byte order marker 0");

    b = mb_build_default();
    mb_header(&b)->checksum += 1;
    tb_expect_sealed(&b, 0, GLOSSARY_ERR_CHECKSUM, "checksum off by one");

    b = mb_build_default();
    mb_header(&b)->checksum = 0;
    tb_expect_sealed(&b, 0, GLOSSARY_ERR_CHECKSUM, "checksum 0");

    b = mb_build_default();
    n = b.n;
    mb_header(&b)->file_size = n + 1;
    tb_expect(&b, GLOSSARY_ERR_SIZE, "file_size one more than the file");

    b = mb_build_default();
    mb_header(&b)->file_size = n - 1;
    tb_expect(&b, GLOSSARY_ERR_SIZE, "file_size one less than the file");

    b = mb_build_default();
    mb_header(&b)->file_size = 0;
    tb_expect(&b, GLOSSARY_ERR_SIZE, "file_size 0");

    b = mb_build_default();
    mb_header(&b)->file_size = tb_max_size(&b);
    tb_expect(&b, GLOSSARY_ERR_SIZE, "file_size at the limit, not the file");

    b = mb_build_default();
    mb_header(&b)->file_size = tb_max_size(&b) + 1;
    tb_expect(&b, GLOSSARY_ERR_TOO_LARGE, "file_size over the limit");

    /* 2.0 lifts the 16 GiB of 1.x, to 1 TiB; past 2^32 and 2^34 alike */
    b = mb_build_default();
    mb_header(&b)->file_size = GLOSSARY_MAX_FILE_SIZE_V1 + 1;
    tb_expect(&b, mb_is_v1(&b) ? GLOSSARY_ERR_TOO_LARGE : GLOSSARY_ERR_SIZE,
              "file_size 16 GiB + 1: over the limit of 1.x only");

    b = mb_build_default();
    mb_header(&b)->file_size = (uint64_t) 1 << 32;
    tb_expect(&b, GLOSSARY_ERR_SIZE, "file_size 2^32, not the file");

    b = mb_build_default();
    mb_header(&b)->file_size = UINT64_MAX;
    tb_expect(&b, GLOSSARY_ERR_TOO_LARGE, "file_size 2^64-1");

    b = mb_build_default();
    mb_header(&b)->header_size = 120;
    tb_expect(&b, GLOSSARY_ERR_HEADER, "header_size 120");

    b = mb_build_default();
    mb_header(&b)->header_size = 0;
    tb_expect(&b, GLOSSARY_ERR_HEADER, "header_size 0");

    b = mb_build_default();
    mb_header(&b)->header_size = 129;
    tb_expect(&b, GLOSSARY_ERR_HEADER, "header_size 129 (unaligned)");

    b = mb_build_default();
    mb_header(&b)->header_size = (uint32_t) ((n + 8) & ~(size_t) 7);
    tb_expect(&b, GLOSSARY_ERR_HEADER, "header_size past the end");

    b = mb_build_default();
    mb_header(&b)->header_size = UINT32_MAX;
    tb_expect(&b, GLOSSARY_ERR_HEADER, "header_size 2^32-1");

    b = mb_build_default();
    mb_header(&b)->header_size = 136;
    tb_expect(&b, GLOSSARY_ERR_SECTION_TABLE,
              "header_size 136 over a table at 128");

    b = mb_build_default();
    mb_header(&b)->term_count = UINT32_MAX;
    tb_expect(&b, GLOSSARY_ERR_HEADER, "term_count 2^32-1");

    b = mb_build_default();
    mb_header(&b)->term_count = GLOSSARY_MAX_TERMS + 1;
    tb_expect(&b, GLOSSARY_ERR_HEADER, "term_count over the limit");

    b = mb_build_default();
    mb_header(&b)->term_count = 4;
    tb_expect(&b, GLOSSARY_ERR_SECTION,
              "term_count 4, larger than TERMS holds");

    b = mb_build_default();
    mb_header(&b)->term_count = 2;
    tb_expect(&b, GLOSSARY_ERR_SECTION, "term_count 2, smaller than TERMS");

    b = mb_build_default();
    mb_header(&b)->term_count = 0;
    tb_expect(&b, GLOSSARY_ERR_SECTION, "term_count 0 with 3 records");

    b = mb_build_default();
    mb_header(&b)->docs_per_term = 0;
    tb_expect(&b, GLOSSARY_ERR_HEADER, "docs_per_term 0");

    b = mb_build_default();
    mb_header(&b)->docs_per_term = GLOSSARY_MAX_DOCS_PER_TERM + 1;
    tb_expect(&b, GLOSSARY_ERR_HEADER, "docs_per_term 65");

    b = mb_build_default();
    mb_header(&b)->docs_per_term = UINT32_MAX;
    tb_expect(&b, GLOSSARY_ERR_HEADER, "docs_per_term 2^32-1");

    /* 2.0: docs_per_term must count the kinds of doc_kinds */
    b = mb_build_default();
    mb_header(&b)->docs_per_term = 1;
    tb_expect(&b, mb_is_v1(&b) ? GLOSSARY_ERR_SECTION : GLOSSARY_ERR_HEADER,
              "docs_per_term 1, DOCS holds 2 (2.0: doc_kinds names 2)");

    b = mb_build_default();
    mb_header(&b)->docs_per_term = 3;
    tb_expect(&b, mb_is_v1(&b) ? GLOSSARY_ERR_SECTION : GLOSSARY_ERR_HEADER,
              "docs_per_term 3, DOCS holds 2 (2.0: doc_kinds names 2)");

    b = mb_build_default();
    mb_header(&b)->docs_per_term = 3;
    mb_header(&b)->doc_kinds = 7;
    tb_expect(&b, GLOSSARY_ERR_SECTION,
              "docs_per_term 3 and doc_kinds 0x7, DOCS holds 2");

    b = mb_build_default();
    mb_header(&b)->doc_kinds = 0;
    tb_expect(&b, mb_is_v1(&b) ? GLOSSARY_OK : GLOSSARY_ERR_HEADER,
              "doc_kinds 0 (1.x: reserved, not read)");

    b = mb_build_default();
    mb_header(&b)->doc_kinds = 0x3ULL << 62;
    tb_expect(&b, GLOSSARY_OK,
              "doc_kinds 62 and 63: kinds this reader does not serve "
              "(1.x: reserved, not read)");

    b = mb_build_default();
    mb_header(&b)->doc_kinds = UINT64_MAX;
    tb_expect(&b, mb_is_v1(&b) ? GLOSSARY_OK : GLOSSARY_ERR_HEADER,
              "doc_kinds 2^64-1 (1.x: reserved, not read)");

    b = mb_build_default();
    mb_header(&b)->global_docs = GLOSSARY_MAX_GLOBAL_DOCS + 1;
    tb_expect(&b, GLOSSARY_ERR_HEADER, "global_docs 65");

    b = mb_build_default();
    mb_header(&b)->global_docs = 2;
    tb_expect(&b, GLOSSARY_ERR_SECTION, "global_docs 2, GLOBALS holds 1");
}


static void
tb_sections(void)
{
    size_t               n;
    uint32_t             id;
    mb_blob_t            b;
    glossary_section_t  *s;
    char                 name[64];

    static const char  *names[] = {
        "", "STRINGS", "TERMS", "HASH", "DOCS", "GLOBALS", "RELATED"
    };

    b = mb_build_default();
    n = b.n;
    mb_header(&b)->section_count = 0;
    tb_expect(&b, GLOSSARY_ERR_SECTION_TABLE, "section_count 0");

    b = mb_build_default();
    mb_header(&b)->section_count = UINT32_MAX;
    tb_expect(&b, GLOSSARY_ERR_SECTION_TABLE, "section_count 2^32-1");

    b = mb_build_default();
    mb_header(&b)->section_count = GLOSSARY_MAX_SECTIONS + 1;
    tb_expect(&b, GLOSSARY_ERR_SECTION_TABLE, "section_count 65");

    b = mb_build_default();
    mb_header(&b)->section_count = 0x0aaaaaab;   /* x 24 wraps 32 bits */
    tb_expect(&b, GLOSSARY_ERR_SECTION_TABLE, "section_count 0x0aaaaaab");

    b = mb_build_default();
    mb_header(&b)->section_count = 5;    /* STRINGS is the last entry */
    tb_expect(&b, GLOSSARY_ERR_MISSING_SECTION,
              "section_count 5 drops STRINGS");

    b = mb_build_default();
    mb_header(&b)->section_table = 0;
    tb_expect(&b, GLOSSARY_ERR_SECTION_TABLE, "section table at 0 (header)");

    b = mb_build_default();
    mb_header(&b)->section_table = 120;
    tb_expect(&b, GLOSSARY_ERR_SECTION_TABLE, "section table at 120");

    b = mb_build_default();
    mb_header(&b)->section_table = 132;
    tb_expect(&b, GLOSSARY_ERR_SECTION_TABLE, "section table misaligned");

    b = mb_build_default();
    mb_header(&b)->section_table = (n + 7) & ~(size_t) 7;
    tb_expect(&b, GLOSSARY_ERR_SECTION_TABLE, "section table past the end");

    b = mb_build_default();
    mb_header(&b)->section_table = (n - 6 * 24 + 8) & ~(size_t) 7;
    tb_expect(&b, GLOSSARY_ERR_SECTION_TABLE,
              "section table running past the end");

    b = mb_build_default();
    mb_header(&b)->section_table = UINT64_MAX;
    tb_expect(&b, GLOSSARY_ERR_SECTION_TABLE, "section table at 2^64-1");

    b = mb_build_default();
    mb_header(&b)->section_table = UINT64_MAX - 7;
    tb_expect(&b, GLOSSARY_ERR_SECTION_TABLE,
              "section table at 2^64-8 (aligned, wraps)");

    b = mb_build_default();
    mb_header(&b)->section_table = (uint64_t) 1 << 63;
    tb_expect(&b, GLOSSARY_ERR_SECTION_TABLE, "section table at 2^63");

    b = mb_build_default();
    s = mb_section(&b, GLOSSARY_SECTION_STRINGS);
    s->offset = (n + 15) & ~(size_t) 7;
    tb_expect(&b, GLOSSARY_ERR_SECTION, "STRINGS offset past the end");

    b = mb_build_default();
    s = mb_section(&b, GLOSSARY_SECTION_STRINGS);
    s->size += 1;
    tb_expect(&b, GLOSSARY_ERR_SECTION, "STRINGS one byte past the end");

    b = mb_build_default();
    s = mb_section(&b, GLOSSARY_SECTION_STRINGS);
    s->size = UINT64_MAX;
    tb_expect(&b, GLOSSARY_ERR_SECTION, "STRINGS size 2^64-1");

    b = mb_build_default();
    s = mb_section(&b, GLOSSARY_SECTION_STRINGS);
    s->size = UINT64_MAX - s->offset + 1 + 8;      /* offset + size = 8 */
    tb_expect(&b, GLOSSARY_ERR_SECTION, "STRINGS offset + size wraps to 8");

    b = mb_build_default();
    s = mb_section(&b, GLOSSARY_SECTION_HASH);
    s->offset = UINT64_MAX - 7;
    tb_expect(&b, GLOSSARY_ERR_SECTION, "HASH offset 2^64-8");

    b = mb_build_default();
    s = mb_section(&b, GLOSSARY_SECTION_TERMS);
    s->offset += 4;
    tb_expect(&b, GLOSSARY_ERR_SECTION, "TERMS misaligned");

    b = mb_build_default();
    s = mb_section(&b, GLOSSARY_SECTION_TERMS);
    s->offset = 0;
    tb_expect(&b, GLOSSARY_ERR_SECTION, "TERMS at 0, over the header");

    b = mb_build_default();
    s = mb_section(&b, GLOSSARY_SECTION_DOCS);
    s->offset = GLOSSARY_HEADER_SIZE;
    tb_expect(&b, GLOSSARY_ERR_SECTION, "DOCS over the section table");

    b = mb_build_default();
    mb_section(&b, GLOSSARY_SECTION_RELATED)->id = GLOSSARY_SECTION_TERMS;
    tb_expect(&b, GLOSSARY_ERR_SECTION, "TERMS twice");

    for (id = GLOSSARY_SECTION_STRINGS; id <= GLOSSARY_SECTION_RELATED; id++) {
        b = mb_build_default();
        mb_section(&b, id)->id = 99;
        snprintf(name, sizeof(name), "%s missing (id changed to 99)",
                 names[id]);
        tb_expect(&b, GLOSSARY_ERR_MISSING_SECTION, name);
    }

    b = mb_build_default();
    mb_section(&b, GLOSSARY_SECTION_HASH)->id = 0;
    tb_expect(&b, GLOSSARY_ERR_MISSING_SECTION, "HASH missing (id 0)");

    b = mb_build_default();
    mb_section(&b, GLOSSARY_SECTION_TERMS)->size += 80;
    tb_expect(&b, GLOSSARY_ERR_SECTION, "TERMS one record longer");

    b = mb_build_default();
    mb_section(&b, GLOSSARY_SECTION_RELATED)->size -= 1;
    tb_expect(&b, GLOSSARY_ERR_SECTION, "RELATED not a whole number");

    b = mb_build_default();
    mb_section(&b, GLOSSARY_SECTION_RELATED)->size = 0;
    tb_expect(&b, GLOSSARY_ERR_TERMS, "RELATED empty, terms point into it");

    b = mb_build_default();
    mb_section(&b, GLOSSARY_SECTION_HASH)->size = 7;
    tb_expect(&b, GLOSSARY_ERR_SECTION, "HASH 7 bytes");

    b = mb_build_default();
    mb_section(&b, GLOSSARY_SECTION_HASH)->size -= 4;
    tb_expect(&b, GLOSSARY_ERR_SECTION, "HASH one bucket short");

    b = mb_build_default();
    mb_hash(&b)->bucket_count = 16;
    tb_expect(&b, GLOSSARY_ERR_SECTION, "bucket_count 16 in an 8-bucket HASH");

    b = mb_build_default();
    mb_hash(&b)->bucket_count = UINT32_MAX;
    tb_expect(&b, GLOSSARY_ERR_SECTION, "bucket_count 2^32-1");

    b = mb_build_default();
    mb_section(&b, GLOSSARY_SECTION_DOCS)->size -= 64;
    tb_expect(&b, GLOSSARY_ERR_SECTION, "DOCS one record short");

    b = mb_build_default();
    mb_section(&b, GLOSSARY_SECTION_GLOBALS)->size = 0;
    tb_expect(&b, GLOSSARY_ERR_SECTION, "GLOBALS empty");
}


int
main(int argc, char **argv)
{
    uint16_t  major;

    tb_init(argc, argv);

    /* the current format, then 1.x, which this reader still reads */
    for (major = GLOSSARY_VERSION_MAJOR; major >= GLOSSARY_VERSION_MAJOR_V1;
         major--)
    {
        tb_major(major);
        tb_header();
        tb_sections();
        tb_truncations();
        tb_flips();
    }

    return tb_done();
}
