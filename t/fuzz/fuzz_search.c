/*
 * libFuzzer target for the search engine (src/blob/glossary_fts*.c).
 *
 * The first byte picks what the rest is:
 *
 *   even   queries, one per line, against an image built once from a
 *          small corpus (a line may end with a tab and a category digit);
 *   odd    an FTS image: opened, and when it is accepted, a fixed set of
 *          queries that reach every feature, with a snippet of every hit;
 *          then opened lazily (posting lists checked at first use), where
 *          a query may also fail as corrupt (-2), and must not otherwise.
 *
 * A query must never fail with a good scratch, every hit must name a
 * document of the image, hits must be in rank order without duplicates,
 * every snippet and mark must lie inside the document's stored field, and
 * the bytes after the scratch must stay untouched.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glossary_fts.h"
#include "glossary_fts_build.h"


#define FUZZ_SEARCH_GUARD  64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);


static glossary_fts_image_t  fuzz_image;
static glossary_fts_t        fuzz_fts;
static unsigned char        *fuzz_scratch;
static size_t                fuzz_scratch_size;


static void
fuzz_search_fail(const char *what)
{
    fprintf(stderr, "fuzz_search: %s\n", what);
    abort();
}


static void
fuzz_search_init(void)
{
    uint32_t                    i;
    glossary_fts_input_t        docs[6];
    static glossary_fts_str_t   faq[2], alias[1];

    static const char  *text[6][4] = {
        { "Cache", "cache", "A cache keeps copies of data near.",
          "Caching avoids work; cached results are fast." },
        { "Cache Line", "cache-line", "The unit moved between cache and "
          "memory.", "Lines are 64 bytes on most processors." },
        { "Systolic Array", "systolic-array", "A grid of cells.",
          "The alpha beta gamma of matrix multiplication." },
        { "Cr\xc3\xa8me Br\xc3\xbbl\xc3\xa9" "e", "creme-brulee",
          "A dessert.", "Na\xc3\xafve cooks burn the sugar." },
        { "Accelerator", "accelerator", "A processor for one workload.",
          "GPUs and TPUs are accelerators." },
        { "Quantization", "quantization", "Fewer bits per weight.",
          "Quantized models are smaller." },
    };

    memset(docs, 0, sizeof(docs));

    for (i = 0; i < 6; i++) {
        docs[i].name.data = text[i][0];
        docs[i].name.len = strlen(text[i][0]);
        docs[i].slug.data = text[i][1];
        docs[i].slug.len = strlen(text[i][1]);
        docs[i].short_definition.data = text[i][2];
        docs[i].short_definition.len = strlen(text[i][2]);
        docs[i].explanation.data = text[i][3];
        docs[i].explanation.len = strlen(text[i][3]);
        docs[i].category = i % 2;
    }

    faq[0].data = "Is it fast?";
    faq[0].len = 11;
    faq[1].data = "Very, with zebrafish.";
    faq[1].len = 21;
    docs[5].faq = faq;
    docs[5].nfaq = 2;
    alias[0].data = "Model Compression";
    alias[0].len = 17;
    docs[5].aliases = alias;
    docs[5].naliases = 1;

    if (glossary_fts_build(docs, 6, &fuzz_image) != 0
        || glossary_fts_open(&fuzz_fts, fuzz_image.data, fuzz_image.size)
           != GLOSSARY_OK)
    {
        fuzz_search_fail("the built-in image does not build or open");
    }

    fuzz_scratch_size = glossary_fts_scratch_size(&fuzz_fts);
    fuzz_scratch = malloc(fuzz_scratch_size + FUZZ_SEARCH_GUARD);
}


static void
fuzz_search_query(const glossary_fts_t *fts, const unsigned char *q,
    size_t len, uint32_t category, uint32_t limit)
{
    int                     rc;
    size_t                  flen, i;
    uint32_t                k, m;
    glossary_fts_query_t    query;
    glossary_fts_result_t   res;
    glossary_fts_snippet_t  sn;
    const unsigned char    *field;

    if (glossary_fts_scratch_size(fts) > fuzz_scratch_size) {
        fuzz_search_fail("scratch size depends on the image");
    }

    memset(fuzz_scratch + fuzz_scratch_size, 0x5a, FUZZ_SEARCH_GUARD);

    query.text = q;
    query.len = len;
    query.category = category;
    query.limit = limit;
    query.flags = 0;

    rc = glossary_fts_search(fts, fuzz_scratch, fuzz_scratch_size, &query,
                             &res);

    if (rc == -2 && fts->lazy) {
        return;
    }

    if (rc != 0) {
        fuzz_search_fail("a query failed");
    }

    if (res.nhits > limit || res.words > GLOSSARY_FTS_MAX_WORDS
        || res.postings > GLOSSARY_FTS_MAX_POSTINGS * 2 + 4096)
    {
        fuzz_search_fail("a result out of its bounds");
    }

    if (res.suggestion != NULL
        && (res.suggestion < fuzz_scratch
            || res.suggestion + res.suggestion_len
               > fuzz_scratch + fuzz_scratch_size))
    {
        fuzz_search_fail("a suggestion outside the scratch");
    }

    for (k = 0; k < res.nhits; k++) {
        if (res.hits[k].doc >= fts->doc_count) {
            fuzz_search_fail("a hit past the documents");
        }

        if (k && res.hits[k].rank > res.hits[k - 1].rank) {
            fuzz_search_fail("hits out of rank order");
        }

        for (m = 0; m < k; m++) {
            if (res.hits[m].doc == res.hits[k].doc) {
                fuzz_search_fail("a document twice");
            }
        }

        if (glossary_fts_snippet(fts, fuzz_scratch, &res, k,
                                 k % 2 ? GLOSSARY_FTS_FIELD_AUTO : k % 6, &sn)
            != 0)
        {
            fuzz_search_fail("a snippet failed");
        }

        field = glossary_fts_field(fts, res.hits[k].doc, sn.field, &flen);

        if (sn.len && (sn.text < field || sn.text + sn.len > field + flen)) {
            fuzz_search_fail("a snippet outside its field");
        }

        for (m = 0; m < sn.nmarks; m++) {
            if (sn.marks[m].from + (size_t) sn.marks[m].len > sn.len) {
                fuzz_search_fail("a mark outside its snippet");
            }
        }
    }

    for (i = 0; i < FUZZ_SEARCH_GUARD; i++) {
        if (fuzz_scratch[fuzz_scratch_size + i] != 0x5a) {
            fuzz_search_fail("a write past the scratch");
        }
    }
}


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t                i, start, end;
    uint32_t              category;
    void                 *lazy;
    unsigned char        *copy;
    glossary_fts_t        fts;
    glossary_status_t     rc, full;
    glossary_fts_lazy_t   lz;

    static const char  *queries[] = {
        "cache", "cache line", "\"alpha beta\"", "systolc ", "c", "ca",
        "cahe ", "cache -line", "acelerator x", "model policy cache",
        "creme brulee", "zebrafish", "quantized models", "a b c d e f g h i",
        "\"\" - -- \" x"
    };

    if (fuzz_scratch == NULL) {
        fuzz_search_init();
    }

    if (size == 0) {
        return 0;
    }

    if (!(data[0] & 1)) {
        for (start = 1; start < size; start = end + 1) {
            for (end = start; end < size && data[end] != '\n'; end++) {
                /* void */
            }

            category = GLOSSARY_FTS_ANY_CATEGORY;
            i = end;

            if (end - start >= 2 && data[end - 2] == '\t') {
                category = (uint32_t) (data[end - 1] - '0');
                i = end - 2;
            }

            fuzz_search_query(&fuzz_fts, data + start, i - start, category,
                              1 + data[start - 1] % GLOSSARY_FTS_MAX_HITS);
        }

        return 0;
    }

    /* an image: an aligned copy of exactly its size */

    copy = malloc(size - 1 ? size - 1 : 1);
    memcpy(copy, data + 1, size - 1);

    rc = glossary_fts_open(&fts, copy, size - 1);

    if (rc != GLOSSARY_OK && fts.detail[0] == '\0') {
        fuzz_search_fail("refused without a message");
    }

    if (rc == GLOSSARY_OK) {
        for (i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
            fuzz_search_query(&fts, (const unsigned char *) queries[i],
                              strlen(queries[i]),
                              i % 3 ? GLOSSARY_FTS_ANY_CATEGORY : 0,
                              i % 2 ? 10 : 50);
        }
    }

    full = rc;
    rc = glossary_fts_open_flags(&fts, copy, size - 1, NULL, 0,
                                 GLOSSARY_FTS_OPEN_LAZY);

    if (full == GLOSSARY_OK && rc != GLOSSARY_OK) {
        fuzz_search_fail("refused lazily, accepted in full");
    }

    if (rc == GLOSSARY_OK) {
        lazy = calloc(1, glossary_fts_lazy_size(&fts) + 8);
        glossary_fts_lazy_init(&fts, &lz, lazy);

        for (i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
            fuzz_search_query(&fts, (const unsigned char *) queries[i],
                              strlen(queries[i]),
                              i % 3 ? GLOSSARY_FTS_ANY_CATEGORY : 0,
                              i % 2 ? 10 : 50);
        }

        if (full == GLOSSARY_OK && lz.corrupt) {
            fuzz_search_fail("a list corrupt lazily, accepted in full");
        }

        free(lazy);
    }

    free(copy);

    return 0;
}
