/*
 * The helpers of the blob reader's C tests (t/blob/test_*.c): TAP output,
 * opening a blob from a heap copy of exactly its size and walking every
 * byte a server could reach, the expected-status check of the bad-blob
 * corpus (tb.c), and the format 1.2 model with its lazy walks (tb_lazy.c).
 * Each test program is
 *
 *     int main(int argc, char **argv)
 *     {
 *         tb_init(argc, argv);
 *         ... tb_ok(cond, "name") ...
 *         return tb_done();
 *     }
 *
 * and takes "--write-corpus DIR": every blob opened by a named check is
 * also written into DIR (fuzzer seeds, t/fuzz/README.md).
 */

#ifndef TB_H
#define TB_H

#include <stdint.h>
#include <stdio.h>

#include "glossary_blob.h"
#include "make_blob.h"


typedef struct {
    glossary_status_t  rc;
    char               detail[sizeof(((glossary_blob_t *) 0)->detail)];
    int                detail_terminated;
    unsigned           walk_errors;
    char               walk_first[160];
    uint64_t           digest;         /* of every reference walked */
    unsigned           lazy;           /* blob->lazy after the open */
} tb_result_t;


void tb_init(int argc, char **argv);
void tb_major(uint16_t major);
int tb_done(void);

void tb_ok(int cond, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void tb_diag(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
const char *tb_name(glossary_status_t rc);

tb_result_t tb_open_flags_at(const unsigned char *p, size_t n,
    size_t misalign, unsigned flags);
tb_result_t tb_open_at(const unsigned char *p, size_t n, size_t misalign);
tb_result_t tb_open_flags(const unsigned char *p, size_t n, unsigned flags);
tb_result_t tb_open(const unsigned char *p, size_t n);

void tb_write_corpus(const mb_blob_t *b, const char *name);
void tb_expect_sealed(mb_blob_t *b, int seal, glossary_status_t want,
    const char *name);
void tb_expect(mb_blob_t *b, glossary_status_t want, const char *name);
const glossary_section_t *tb_strings(mb_blob_t *b);


/*
 * Format 1.2: CHUNKS, the index checksum, GLOSSARY_OPEN_LAZY and DEEP, and
 * the per-process state of glossary_lazy_*().  The blobs have chunks of
 * 4 KiB (chunk_shift 12, the smallest), so that a small blob has several.
 */

#define TB_SHIFT        12
#define TB_CHUNK        ((uint64_t) 1 << TB_SHIFT)
#define TB_LAZY_TERMS   24
#define TB_MAX_DOCS     512
#define TB_GUARD        64

#define TB_ALL_FLAGS    4

extern const unsigned  tb_flags[TB_ALL_FLAGS];
extern const char     *tb_flag_names[TB_ALL_FLAGS];


/* a blob opened from an exact-size heap copy, kept open, its lazy state */
typedef struct {
    unsigned char      *copy;
    size_t              n;
    glossary_blob_t     blob;
    glossary_status_t   rc;
    glossary_lazy_t     lz;
    unsigned char      *mem;        /* the state, TB_GUARD bytes after it */
    size_t              mem_size;
} tb_lazy_t;


/* how a walk of every document and string went */
typedef struct {
    unsigned            ok;
    unsigned            chunk;
    unsigned            docs;
    unsigned            other;
    unsigned            wrong;      /* not what the caller expected */
    char                first[200];
} tb_lazy_count_t;


mb_model_t tb_lazy_model(void);
mb_blob_t tb_lazy_build(void);
void tb_lazy_open(tb_lazy_t *o, const unsigned char *p, size_t n,
    unsigned flags);
int tb_lazy_guard_ok(const tb_lazy_t *o);
void tb_lazy_close(tb_lazy_t *o);
void tb_lazy_expect(mb_blob_t *b, glossary_status_t want, const char *name);

uint64_t tb_words(uint64_t bits);
uint64_t tb_eager_chunks(const glossary_blob_t *blob);
uint64_t tb_slots(const glossary_blob_t *blob);
int tb_bit(const uint64_t *map, uint64_t i);
uint64_t tb_popcount(const uint64_t *map, uint64_t bits);

uint32_t tb_docs(const glossary_blob_t *blob, const glossary_doc_t **docs);
int tb_ref_chunks(const glossary_blob_t *blob, const glossary_ref_t *ref,
    uint64_t *first, uint64_t *last);
int tb_ref_touches(const glossary_blob_t *blob, const glossary_ref_t *ref,
    uint64_t chunk);
int tb_doc_touches(const glossary_blob_t *blob, const glossary_doc_t *d,
    uint64_t chunk);
uint64_t tb_doc_chunk(const glossary_blob_t *blob, const glossary_doc_t *d);

void tb_lazy_count(tb_lazy_count_t *c, glossary_status_t rc,
    glossary_status_t want, const char *what, uint64_t i, const char *detail);
void tb_lazy_walk(tb_lazy_t *o, uint64_t bad, tb_lazy_count_t *c);
const glossary_doc_t *tb_lazy_doc_at(const glossary_blob_t *blob,
    uint32_t i);
glossary_doc_t *tb_lazy_doc_in(mb_blob_t *b, const tb_lazy_t *o,
    const glossary_doc_t *d);
const glossary_doc_t *tb_lazy_same(const tb_lazy_t *to,
    const tb_lazy_t *from, const glossary_doc_t *d);
uint32_t tb_lazy_pick(const tb_lazy_t *o, uint64_t not_before, int gzip);
int tb_has(const char *s, const char *sub);


#endif /* TB_H */
