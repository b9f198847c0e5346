/*
 * The blob reader (src/blob/glossary_blob.c), format 1.3: the FTS section
 * (the full-text search index), written by hand by make_blob.c from
 * glossary_fts.h: a valid one opens in full, lazily and deeply and
 * answers queries through glossary_blob_fts(); each corruption is refused
 * in full, and lazily either at load or, for a posting list's blocks, by
 * the first query that reads the list.  Prints TAP.
 */

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "glossary_fts.h"
#include "tb.h"


static const mb_term_t  ts_terms[] = {
    { "attention", "Attention", "Models", "Weights the tokens of a sequence.",
      0, 0 },
    { "cuda", "CUDA", "Software", "The GPU programming model.", 0, 0 },
    { "eclair", "\xc3\x89" "clair", "", "A pastry, not a chip.", 0, 0 },
    { "gpu", "GPU", "Hardware", "A processor of many cores for graphics.",
      0, 0 },
    { "gpu-memory", "GPU memory", "Hardware", "The memory on the card.",
      0, 0 },
    { "integrated-gpu", "Integrated GPU", "Hardware",
      "A GPU on the processor's die.", 0, 0 },
    { "tensor-core", "Tensor core", "Hardware",
      "A unit for matrix multiplication.", 0, 0 },
    { "zero-trust", "Zero trust", "Security", "Every request is checked.",
      0, 0 },
};

static const mb_category_t  ts_categories[] = {
    { "hardware", "Hardware", 4 },
    { "models", "Models", 1 },
    { "security", "Security", 1 },
    { "software", "Software", 1 },
};

#define TS_TERMS  (sizeof(ts_terms) / sizeof(ts_terms[0]))


static mb_model_t
ts_model(void)
{
    mb_model_t  m;

    memset(&m, 0, sizeof(mb_model_t));
    m.terms = ts_terms;
    m.nterms = TS_TERMS;
    m.docs_per_term = GLOSSARY_DOCS_PER_TERM_V1_1;
    m.global_docs = GLOSSARY_GLOBAL_DOCS_V1_1;
    m.version_minor = 3;
    m.categories = ts_categories;
    m.ncategories = sizeof(ts_categories) / sizeof(ts_categories[0]);
    m.chunk_shift = TB_SHIFT;
    m.body_pad = 600;
    m.fts = 1;

    return m;
}


/* a blob kept open with its search index and their lazy states */
typedef struct {
    tb_lazy_t             o;
    glossary_fts_t        fts;
    glossary_fts_lazy_t   lz;
    void                 *mem;
    void                 *scratch;
    size_t                scratch_size;
} ts_open_t;


static glossary_status_t
ts_open(ts_open_t *t, mb_blob_t *b, unsigned flags)
{
    glossary_status_t  rc;

    memset(t, 0, sizeof(ts_open_t));
    tb_lazy_open(&t->o, b->p, b->n, flags);

    if (t->o.rc != GLOSSARY_OK) {
        return t->o.rc;
    }

    rc = glossary_blob_fts(&t->o.blob, &t->fts);
    if (rc != GLOSSARY_OK) {
        return rc;
    }

    t->mem = calloc(1, glossary_fts_lazy_size(&t->fts) + 8);
    glossary_fts_lazy_init(&t->fts, &t->lz, t->mem);
    t->scratch_size = glossary_fts_scratch_size(&t->fts);
    t->scratch = aligned_alloc(64, (t->scratch_size + 63) & ~(size_t) 63);

    return GLOSSARY_OK;
}


static void
ts_close(ts_open_t *t)
{
    tb_lazy_close(&t->o);
    free(t->mem);
    free(t->scratch);
}


/* glossary_fts_search() of a query; its status, the result in *res */
static int
ts_search(ts_open_t *t, const char *q, uint32_t category,
    glossary_fts_result_t *res)
{
    glossary_fts_query_t  query;

    query.text = (const unsigned char *) q;
    query.len = strlen(q);
    query.category = category;
    query.limit = 10;
    query.flags = 0;

    return glossary_fts_search(&t->fts, t->scratch, t->scratch_size, &query,
                               res);
}


static uint32_t
ts_term(const char *slug)
{
    uint32_t  i;

    for (i = 0; i < TS_TERMS; i++) {
        if (strcmp(ts_terms[i].slug, slug) == 0) {
            return i;
        }
    }

    return UINT32_MAX;
}


static void
ts_valid(void)
{
    int                     ok;
    size_t                  len;
    unsigned                f;
    uint32_t                i;
    mb_blob_t               b;
    mb_model_t              m;
    ts_open_t               t;
    glossary_status_t       rc;
    glossary_fts_result_t   res;
    glossary_fts_snippet_t  sn;
    const unsigned char    *p;

    m = ts_model();
    b = mb_build(&m);
    tb_write_corpus(&b, "1.3 valid with an FTS section");

    for (f = 0; f < 3; f++) {
        rc = ts_open(&t, &b, tb_flags[f]);

        tb_ok(rc == GLOSSARY_OK && t.fts.doc_count == TS_TERMS
              && t.o.blob.fts_text.len > 0
              && (t.fts.lazy != 0) == (tb_flags[f] == GLOSSARY_OPEN_LAZY),
              "1.3 with FTS opened with %s: OK, %u documents, lazy %u (%s)",
              tb_flag_names[f], t.fts.doc_count, t.fts.lazy,
              t.o.blob.detail);

        ok = ts_search(&t, "gpu", GLOSSARY_FTS_ANY_CATEGORY, &res) == 0
             && res.nhits == 4 && res.hits[0].doc == ts_term("gpu")
             && (res.hits[0].flags & GLOSSARY_FTS_HIT_EXACT_NAME)
             && res.hits[3].doc == ts_term("cuda");
        tb_ok(ok, "%s: \"gpu\": the exact name first of 4 hits, the one "
              "from a definition last (%u)", tb_flag_names[f], res.nhits);

        ok = ts_search(&t, "matrix", GLOSSARY_FTS_ANY_CATEGORY, &res) == 0
             && res.nhits == 1 && res.hits[0].doc == ts_term("tensor-core")
             && glossary_fts_snippet(&t.fts, t.scratch, &res, 0,
                                     GLOSSARY_FTS_FIELD_AUTO, &sn) == 0
             && sn.nmarks == 1 && sn.len > 6
             && memcmp(sn.text + sn.marks[0].from, "matrix", 6) == 0;
        tb_ok(ok, "%s: \"matrix\" from a definition, its snippet marked, "
              "read from STRINGS", tb_flag_names[f]);

        ok = ts_search(&t, "eclair", GLOSSARY_FTS_ANY_CATEGORY, &res) == 0
             && res.nhits == 1 && res.hits[0].doc == ts_term("eclair")
             && ts_search(&t, "gpu", 3, &res) == 0 && res.nhits == 1
             && res.hits[0].doc == ts_term("cuda")
             && ts_search(&t, "gpu", 0, &res) == 0 && res.nhits == 3
             && ts_search(&t, "gpu", 2, &res) == 0 && res.nhits == 0;
        tb_ok(ok, "%s: a folded name; categories are CATEGORIES' indexes",
              tb_flag_names[f]);

        p = glossary_fts_field(&t.fts, ts_term("cuda"),
                               GLOSSARY_FTS_FIELD_SHORT, &len);
        tb_ok(p != NULL && len == strlen(ts_terms[1].definition)
              && memcmp(p, ts_terms[1].definition, len) == 0
              && p >= t.o.blob.base + t.o.blob.strings_off
              && p + len <= t.o.blob.base + t.o.blob.strings_off
                            + t.o.blob.strings_size,
              "%s: a stored field lies in STRINGS", tb_flag_names[f]);

        ts_close(&t);
    }

    /* an older blob: no section, no index */

    m.fts = 0;
    mb_free(&b);
    b = mb_build(&m);
    tb_lazy_open(&t.o, b.p, b.n, 0);
    tb_ok(t.o.rc == GLOSSARY_OK && t.o.blob.fts_image == NULL
          && glossary_blob_fts(&t.o.blob, &t.fts)
             == GLOSSARY_ERR_MISSING_SECTION,
          "without the section: no index (GLOSSARY_ERR_MISSING_SECTION)");
    tb_lazy_close(&t.o);
    mb_free(&b);

    for (i = 0; i < 1; i++) {
        /* a 1.2 reader's view: an unknown section 13 is skipped; here the
           same bytes under an unknown id open without the index */
        m = ts_model();
        b = mb_build(&m);
        mb_section(&b, GLOSSARY_SECTION_FTS)->id = 14;
        mb_seal(&b);
        tb_lazy_open(&t.o, b.p, b.n, 0);
        tb_ok(t.o.rc == GLOSSARY_OK && t.o.blob.fts_image == NULL,
              "the section under an unknown id: skipped, as a 1.2 reader "
              "skips 13");
        tb_lazy_close(&t.o);
        mb_free(&b);
    }
}


/* corruptions the open refuses in every mode (sealed again after) */

typedef void (*ts_edit_pt)(mb_blob_t *b);

static void
ts_e_short(mb_blob_t *b)
{
    mb_section(b, GLOSSARY_SECTION_FTS)->size = 16;
}

static void
ts_e_reserved(mb_blob_t *b)
{
    mb_fts_section(b)->reserved[3] = 1;
}

static void
ts_e_text_past(mb_blob_t *b)
{
    mb_fts_section(b)->text.len += 1u << 20;
}

static void
ts_e_text_short(mb_blob_t *b)
{
    mb_fts_section(b)->text.len -= 1;
}

static void
ts_e_text_before(mb_blob_t *b)
{
    mb_fts_section(b)->text.off = 8;
}

static void
ts_e_magic(mb_blob_t *b)
{
    mb_fts_image(b)[1] ^= 1;
}

static void
ts_e_version(mb_blob_t *b)
{
    ((glossary_fts_header_t *) mb_fts_image(b))->version_major = 2;
}

static void
ts_e_docs(mb_blob_t *b)
{
    /* one document less in the image: the last one's record dropped */
    glossary_fts_part_t  *p;

    p = (glossary_fts_part_t *) (mb_fts_image(b) + GLOSSARY_FTS_HEADER_SIZE);
    p[GLOSSARY_FTS_PART_DOCS].size -= sizeof(glossary_fts_doc_t);
    ((glossary_fts_header_t *) mb_fts_image(b))->doc_count -= 1;
}

static void
ts_e_category(mb_blob_t *b)
{
    ((glossary_fts_doc_t *) mb_fts_part(b, GLOSSARY_FTS_PART_DOCS, NULL))[0]
        .category = 4;
}

static void
ts_e_doc_text(mb_blob_t *b)
{
    glossary_fts_doc_t  *d;

    d = mb_fts_part(b, GLOSSARY_FTS_PART_DOCS, NULL);
    d[TS_TERMS - 1].text_off += 40;
}

static void
ts_e_own_text(mb_blob_t *b)
{
    /* TEXT claims the image's last 8 bytes: the texts are outside */
    glossary_fts_part_t  *p;

    p = (glossary_fts_part_t *) (mb_fts_image(b) + GLOSSARY_FTS_HEADER_SIZE);
    p[GLOSSARY_FTS_PART_TEXT].size = 8;
}

static void
ts_e_dict(mb_blob_t *b)
{
    unsigned char  *d;

    d = mb_fts_part(b, GLOSSARY_FTS_PART_DICT, NULL);
    d[1] = 0x7f;            /* the first key 127 bytes long */
}

static void
ts_e_list(mb_blob_t *b)
{
    ((glossary_fts_list_t *) mb_fts_part(b, GLOSSARY_FTS_PART_LISTS, NULL))[2]
        .df += 1;
}

static void
ts_e_overlap(mb_blob_t *b)
{
    mb_section(b, GLOSSARY_SECTION_FTS)->offset =
        mb_section(b, GLOSSARY_SECTION_STRINGS)->offset;
}


/* a posting list's blocks: lazily, at the first query that reads them */

static void
ts_b_doc(mb_blob_t *b)
{
    /* the first block's width and first gap: document 200 */
    unsigned char  *p;

    p = mb_fts_part(b, GLOSSARY_FTS_PART_POSTINGS, NULL);
    p[0] = 8;
    p[1] = 200;
}

static void
ts_b_position(mb_blob_t *b)
{
    unsigned char  *p;

    p = mb_fts_part(b, GLOSSARY_FTS_PART_POSITIONS, NULL);
    p[1] = 0x70;            /* the first position, past the words */
}

static void
ts_b_max(mb_blob_t *b)
{
    ((glossary_fts_list_t *) mb_fts_part(b, GLOSSARY_FTS_PART_LISTS, NULL))[0]
        .max0 ^= 1;
}


static void
ts_corrupt(void)
{
    int                     ok;
    size_t                  i;
    unsigned                f;
    uint32_t                l, bad;
    mb_blob_t               b;
    mb_model_t              m;
    ts_open_t               t;
    glossary_status_t       rc;
    glossary_fts_result_t   res;

    static const struct {
        const char  *name;
        ts_edit_pt   edit;
        glossary_status_t  want;
    } eager[] = {
        { "FTS shorter than its header", ts_e_short, GLOSSARY_ERR_SEARCH },
        { "FTS reserved bytes", ts_e_reserved, GLOSSARY_ERR_SEARCH },
        { "FTS texts past STRINGS", ts_e_text_past, GLOSSARY_ERR_SEARCH },
        { "FTS texts one byte short", ts_e_text_short, GLOSSARY_ERR_SEARCH },
        { "FTS texts before STRINGS", ts_e_text_before, GLOSSARY_ERR_SEARCH },
        { "FTS image magic", ts_e_magic, GLOSSARY_ERR_SEARCH },
        { "FTS image major version 2", ts_e_version, GLOSSARY_ERR_SEARCH },
        { "FTS one document less than terms", ts_e_docs,
          GLOSSARY_ERR_SEARCH },
        { "FTS category past CATEGORIES", ts_e_category, GLOSSARY_ERR_SEARCH },
        { "FTS a document's text past the texts", ts_e_doc_text,
          GLOSSARY_ERR_SEARCH },
        { "FTS image with texts of its own", ts_e_own_text,
          GLOSSARY_ERR_SEARCH },
        { "FTS dictionary key too long", ts_e_dict, GLOSSARY_ERR_SEARCH },
        { "FTS over STRINGS", ts_e_overlap, GLOSSARY_ERR_CHUNKS },
    };

    static const struct {
        const char  *name;
        ts_edit_pt   edit;
    } blocks[] = {
        { "FTS a posting's document past the count", ts_b_doc },
        { "FTS a position past the document's words", ts_b_position },
        { "FTS a list's maximum impact not its block's", ts_b_max },
        { "FTS a list's document count not its block's", ts_e_list },
    };

    m = ts_model();

    for (i = 0; i < sizeof(eager) / sizeof(eager[0]); i++) {
        b = mb_build(&m);
        eager[i].edit(&b);
        mb_seal(&b);
        tb_lazy_expect(&b, eager[i].want, eager[i].name);
    }

    for (i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++) {
        b = mb_build(&m);
        blocks[i].edit(&b);
        mb_seal(&b);
        tb_write_corpus(&b, blocks[i].name);

        ok = 1;

        for (f = 0; f < 3; f++) {
            rc = ts_open(&t, &b, tb_flags[f]);

            if (tb_flags[f] != GLOSSARY_OPEN_LAZY) {
                ok &= rc == GLOSSARY_ERR_SEARCH
                      && strstr(t.o.blob.detail, "FTS") != NULL;
                ts_close(&t);
                continue;
            }

            /* lazily: accepted; the list refused at first use, and after */
            bad = 0;

            for (l = 0; rc == GLOSSARY_OK && l < t.fts.list_count; l++) {
                if (glossary_fts_list_ready(&t.fts, l) != GLOSSARY_OK) {
                    bad = l + 1;
                    break;
                }
            }

            ok &= rc == GLOSSARY_OK && bad != 0 && t.lz.corrupt == 1
                  && glossary_fts_list_ready(&t.fts, bad - 1) != GLOSSARY_OK
                  && t.lz.detail[0] != '\0';
            ts_close(&t);
        }

        tb_ok(ok, "%s: refused in full and deep, lazily by the list's first "
              "use", blocks[i].name);
        mb_free(&b);
    }

    /* lazily, a query over the corrupt list fails, one over others not */

    b = mb_build(&m);
    ts_b_doc(&b);
    mb_seal(&b);
    rc = ts_open(&t, &b, GLOSSARY_OPEN_LAZY);

    /* the first list is the first key's: "a" */
    ok = rc == GLOSSARY_OK
         && ts_search(&t, "zero", GLOSSARY_FTS_ANY_CATEGORY, &res) == 0
         && res.nhits == 1
         && ts_search(&t, "a ", GLOSSARY_FTS_ANY_CATEGORY, &res) == -2
         && ts_search(&t, "a ", GLOSSARY_FTS_ANY_CATEGORY, &res) == -2
         && ts_search(&t, "cuda", GLOSSARY_FTS_ANY_CATEGORY, &res) == 0
         && t.lz.corrupt == 1;
    tb_ok(ok, "lazily: the queries that read the corrupt list fail (-2), "
          "every time; the others answer");
    ts_close(&t);
    mb_free(&b);

    /*
     * the index's bytes are under the index checksum: changed, the whole
     * checksum re-sealed, lazily refused at load as stale
     */

    b = mb_build(&m);
    ts_b_doc(&b);
    mb_fix(&b);
    tb_write_corpus(&b, "FTS changed, the index checksum stale");
    rc = ts_open(&t, &b, GLOSSARY_OPEN_LAZY);
    ts_close(&t);
    tb_ok(rc == GLOSSARY_ERR_CHECKSUM, "FTS changed, the index checksum "
          "stale: refused lazily at load (%s)", tb_name(rc));
    mb_free(&b);

    /* a byte of the texts: in full by the checksum, lazily at first use */

    b = mb_build(&m);
    b.p[mb_fts_section(&b)->text.off + 3] ^= 0x20;
    rc = ts_open(&t, &b, GLOSSARY_OPEN_LAZY);
    ok = rc == GLOSSARY_OK
         && glossary_lazy_ref(&t.o.blob, &t.o.lz, &t.o.blob.fts_text)
            == GLOSSARY_ERR_CHUNK;
    ts_close(&t);
    tb_ok(ok, "a byte of the texts changed: lazily, its chunk refused at "
          "first use");
    tb_lazy_open(&t.o, b.p, b.n, 0);
    tb_ok(t.o.rc == GLOSSARY_ERR_CHECKSUM, "and in full by the checksum");
    tb_lazy_close(&t.o);
    mb_free(&b);
}


int
main(int argc, char **argv)
{
    tb_init(argc, argv);

    ts_valid();
    ts_corrupt();

    return tb_done();
}
