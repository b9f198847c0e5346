/*
 * Tests of the search engine: words and stems (src/blob/glossary_fts.c),
 * the writer (src/compiler/glossary_fts_build.c), the reader's validation
 * over a corpus of corrupt images, and every feature and bound of the
 * query engine (src/blob/glossary_fts_query.c).  Prints TAP.
 *
 * Linked with -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc so that a
 * query that allocates is caught; images are opened from memory mapped
 * read-only, and the scratch area is followed by a guard that must stay
 * untouched.
 *
 *   test_fts                      run the tests
 *   test_fts --write-corpus DIR   also write seeds for fuzz_search
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "glossary_fold.h"
#include "glossary_fts.h"
#include "glossary_fts_build.h"


static void tf_ok(int cond, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void tf_diag(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);


static unsigned      tf_count;
static unsigned      tf_failed;
static unsigned      tf_allocs;
static const char   *tf_corpus_dir;
static unsigned      tf_corpus_files;

#define TF_GUARD     4096


void *
__wrap_malloc(size_t size)
{
    tf_allocs++;
    return __real_malloc(size);
}


void *
__wrap_calloc(size_t n, size_t size)
{
    tf_allocs++;
    return __real_calloc(n, size);
}


void *
__wrap_realloc(void *p, size_t size)
{
    tf_allocs++;
    return __real_realloc(p, size);
}


static void
tf_ok(int cond, const char *fmt, ...)
{
    va_list  args;

    tf_count++;

    if (!cond) {
        tf_failed++;
    }

    printf("%sok %u - ", cond ? "" : "not ", tf_count);
    va_start(args, fmt);
    vprintf(fmt, args);
    va_end(args);
    printf("\n");
    fflush(stdout);
}


static void
tf_diag(const char *fmt, ...)
{
    va_list  args;

    printf("# ");
    va_start(args, fmt);
    vprintf(fmt, args);
    va_end(args);
    printf("\n");
}


/* ---- a corpus with one or more documents for every feature ------------ */

typedef struct {
    const char  *name;
    const char  *slug;
    const char  *aliases[3];
    const char  *short_definition;
    const char  *faq[4];
    const char  *explanation;
    uint32_t     category;
} tf_doc_t;

enum {
    D_CACHE = 0, D_CACHE2, D_CACHE_LINE, D_QUANT, D_Z_NAME, D_Z_ALIAS,
    D_Z_SHORT, D_Z_FAQ, D_Z_EXPL, D_PHRASE, D_PHRASE_REV, D_PHRASE_GAP,
    D_TPU, D_CREME, D_LONG, D_CAT1, D_ACCEL, D_MODELS, D_CACHING,
    D_SYSTOLIC, D_COUNT
};

static const tf_doc_t  tf_docs[] = {
    [D_CACHE] = { "Cache", "cache", { NULL },
        "A cache stores copies of data close to where they are used.",
        { NULL }, "It avoids repeated work.", 0 },
    [D_CACHE2] = { "Cache Cache", "cache-cache", { NULL },
        "A cache of a cache: the cache keeps the cache warm.",
        { NULL }, "Cache cache cache.", 0 },
    [D_CACHE_LINE] = { "Cache Line", "cache-line", { NULL },
        "A cache line is the unit of transfer between cache and memory.",
        { NULL }, "Lines are usually 64 bytes.", 0 },
    [D_QUANT] = { "Quantization", "quantization",
        { "Model Compression", "Quantisation", NULL },
        "Quantization maps weights to fewer bits.",
        { "Does it lose accuracy?", "A little.", NULL },
        "Quantized weights are smaller. To quantize is cheap.", 0 },
    [D_Z_NAME] = { "Zebrafish Study", "zebrafish-study", { NULL },
        "An animal study of one species.", { NULL },
        "Scientists observe growth and behaviour.", 0 },
    [D_Z_ALIAS] = { "Striped Minnow", "striped-minnow",
        { "Zebrafish Danio", NULL },
        "An animal study of one species.", { NULL },
        "Scientists observe growth and behaviour.", 0 },
    [D_Z_SHORT] = { "Aquarium Pet", "aquarium-pet", { NULL },
        "A zebrafish study of one species.", { NULL },
        "Scientists observe growth and behaviour.", 0 },
    [D_Z_FAQ] = { "Laboratory Animal", "laboratory-animal", { NULL },
        "An animal study of one species.",
        { "Which one?", "The zebrafish, often.", NULL },
        "Scientists observe growth and behaviour.", 0 },
    [D_Z_EXPL] = { "Model Organism", "model-organism", { NULL },
        "An animal study of one species.", { NULL },
        "Scientists observe zebrafish growth and behaviour.", 0 },
    [D_PHRASE] = { "Greek Letters", "greek-letters", { NULL },
        "The alpha beta gamma sequence begins the alphabet.", { NULL },
        "", 0 },
    [D_PHRASE_REV] = { "Reversed Letters", "reversed-letters", { NULL },
        "The beta alpha order is reversed.", { NULL }, "", 0 },
    [D_PHRASE_GAP] = { "Spaced Letters", "spaced-letters", { NULL },
        "The alpha and beta words are apart.", { NULL }, "", 0 },
    [D_TPU] = { "TPU", "tpu", { "Tensor Processing Unit", NULL },
        "A tensor processor built around systolic arrays.", { NULL },
        "Google designed the TPU for neural networks.", 0 },
    [D_CREME] = { "Cr\xc3\xa8me Br\xc3\xbbl\xc3\xa9" "e", "creme-brulee",
        { NULL }, "A dessert of custard under caramel.", { NULL },
        "Na\xc3\xafve cooks burn the SUGAR.", 0 },
    [D_LONG] = { "Long Essay", "long-essay", { NULL },
        "An essay that goes on.", { NULL }, NULL, 0 },
    [D_CAT1] = { "Cache Policy", "cache-policy", { NULL },
        "A cache policy decides what to evict.", { NULL },
        "Least recently used is common.", 1 },
    [D_ACCEL] = { "Accelerator", "accelerator", { NULL },
        "An accelerator is a processor specialised for one workload.",
        { NULL }, "", 1 },
    [D_MODELS] = { "Language Models", "language-models", { NULL },
        "Models that predict the next token.", { NULL },
        "Training models takes data.", 1 },
    [D_CACHING] = { "Result Caching", "result-caching", { NULL },
        "Caching results that were computed before.", { NULL },
        "The results are cached for later.", 1 },
    [D_SYSTOLIC] = { "Systolic Array", "systolic-array", { NULL },
        "A grid of cells that pass data rhythmically.", { NULL },
        "Used in matrix multiplication.", 1 },
};

_Static_assert(sizeof(tf_docs) / sizeof(tf_docs[0]) == D_COUNT,
               "one entry per document");


static char  tf_long[40000];

typedef struct {
    unsigned char          *mem;        /* read-only copy */
    size_t                  size;
    size_t                  map_size;
    glossary_fts_t          fts;
    unsigned char          *scratch;    /* + TF_GUARD guard bytes */
    size_t                  scratch_size;
    glossary_fts_lazy_t     lz;
    void                   *lazy_mem;
} tf_image_t;


static int tf_build_text(const tf_doc_t *docs, uint32_t n, unsigned flags,
    glossary_fts_image_t *img, unsigned char **text, size_t *text_len);


static glossary_fts_str_t
tf_str(const char *s)
{
    glossary_fts_str_t  r;

    r.data = s;
    r.len = s ? strlen(s) : 0;

    return r;
}


/* builds from an array of tf_doc_t; returns the writer's image */

static int
tf_build_docs(const tf_doc_t *docs, uint32_t n, glossary_fts_image_t *img)
{
    return tf_build_text(docs, n, 0, img, NULL, NULL);
}


/*
 * with flags; text, when not NULL, gets the documents' texts one after
 * the other as glossary_fts_doc_text() writes them (malloc()ed)
 */

static int
tf_build_text(const tf_doc_t *docs, uint32_t n, unsigned flags,
    glossary_fts_image_t *img, unsigned char **text, size_t *text_len)
{
    int                    rc;
    size_t                 len;
    uint32_t               i, k;
    glossary_fts_str_t    *strs;
    glossary_fts_input_t  *in;

    in = calloc(n, sizeof(glossary_fts_input_t));
    strs = calloc((size_t) n * 7, sizeof(glossary_fts_str_t));

    for (i = 0; i < n; i++) {
        in[i].name = tf_str(docs[i].name);
        in[i].slug = tf_str(docs[i].slug);
        in[i].short_definition = tf_str(docs[i].short_definition);
        in[i].explanation = tf_str(docs[i].explanation);
        in[i].category = docs[i].category;
        in[i].aliases = strs + i * 7;
        in[i].faq = strs + i * 7 + 3;

        for (k = 0; k < 3 && docs[i].aliases[k]; k++) {
            strs[i * 7 + k] = tf_str(docs[i].aliases[k]);
        }

        in[i].naliases = k;

        for (k = 0; k < 4 && docs[i].faq[k]; k++) {
            strs[i * 7 + 3 + k] = tf_str(docs[i].faq[k]);
        }

        in[i].nfaq = k;
    }

    rc = glossary_fts_build_flags(in, n, flags, img);

    if (text != NULL) {
        len = 0;

        for (i = 0; i < n; i++) {
            len += glossary_fts_doc_text(&in[i], NULL, NULL);
        }

        *text = malloc(len + 1);
        *text_len = 0;

        for (i = 0; i < n; i++) {
            *text_len += glossary_fts_doc_text(&in[i], *text + *text_len,
                                               NULL);
        }
    }

    free(in);
    free(strs);

    return rc;
}


/* a read-only copy of the bytes, opened; the scratch with its guard */

static glossary_status_t tf_open_flags(tf_image_t *t,
    const unsigned char *data, size_t size, const unsigned char *text,
    size_t text_len, unsigned flags);


static glossary_status_t
tf_open(tf_image_t *t, const unsigned char *data, size_t size)
{
    return tf_open_flags(t, data, size, NULL, 0, 0);
}


/* the texts outside the image, or a lazy open (its state in the image) */

static glossary_status_t
tf_open_flags(tf_image_t *t, const unsigned char *data, size_t size,
    const unsigned char *text, size_t text_len, unsigned flags)
{
    glossary_status_t  rc;

    memset(t, 0, sizeof(*t));
    t->size = size;
    t->map_size = (size + 4095) & ~(size_t) 4095;

    if (t->map_size == 0) {
        t->map_size = 4096;
    }

    t->mem = mmap(NULL, t->map_size, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    if (t->mem == MAP_FAILED) {
        t->mem = NULL;
        return GLOSSARY_ERR_TRUNCATED;
    }

    memcpy(t->mem, data, size);
    mprotect(t->mem, t->map_size, PROT_READ);

    rc = glossary_fts_open_flags(&t->fts, t->mem, size, text, text_len,
                                 flags);

    if (rc == GLOSSARY_OK && t->fts.lazy) {
        t->lazy_mem = calloc(1, glossary_fts_lazy_size(&t->fts) + 8);
        glossary_fts_lazy_init(&t->fts, &t->lz, t->lazy_mem);
    }

    if (rc == GLOSSARY_OK) {
        t->scratch_size = glossary_fts_scratch_size(&t->fts);
        t->scratch = malloc(t->scratch_size + TF_GUARD);
        memset(t->scratch, 0xa5, t->scratch_size + TF_GUARD);
    }

    return rc;
}


static void
tf_close(tf_image_t *t)
{
    if (t->mem) {
        munmap(t->mem, t->map_size);
    }

    free(t->scratch);
    free(t->lazy_mem);
    memset(t, 0, sizeof(*t));
}


static int
tf_guard_ok(const tf_image_t *t)
{
    size_t  i;

    for (i = 0; i < TF_GUARD; i++) {
        if (t->scratch[t->scratch_size + i] != 0xa5) {
            return 0;
        }
    }

    return 1;
}


static glossary_fts_result_t  tf_res;
static unsigned               tf_query_allocs;
static int                    tf_query_guard = 1;
static unsigned               tf_flags;
static int                    tf_rc;


static const glossary_fts_result_t *
tf_search(tf_image_t *t, const char *query, uint32_t category,
    uint32_t limit)
{
    unsigned              before;
    glossary_fts_query_t  q;

    q.text = (const unsigned char *) query;
    q.len = strlen(query);
    q.category = category;
    q.limit = limit;
    q.flags = tf_flags;

    before = tf_allocs;

    tf_rc = glossary_fts_search(&t->fts, t->scratch, t->scratch_size, &q,
                                &tf_res);

    if (tf_rc != 0) {
        memset(&tf_res, 0, sizeof(tf_res));
    }

    tf_query_allocs += tf_allocs - before;
    tf_query_guard &= tf_guard_ok(t);

    return &tf_res;
}


static int
tf_rank(const glossary_fts_result_t *r, uint32_t doc)
{
    uint32_t  i;

    for (i = 0; i < r->nhits; i++) {
        if (r->hits[i].doc == doc) {
            return (int) i + 1;
        }
    }

    return 0;
}


static int
tf_only(const glossary_fts_result_t *r, const uint32_t *docs, uint32_t n)
{
    uint32_t  i;

    if (r->nhits != n) {
        return 0;
    }

    for (i = 0; i < n; i++) {
        if (!tf_rank(r, docs[i])) {
            return 0;
        }
    }

    return 1;
}


static void
tf_show(const char *q, const glossary_fts_result_t *r)
{
    uint32_t  i;
    char      buf[512];
    size_t    n;

    n = (size_t) snprintf(buf, sizeof(buf), "\"%s\":", q);

    for (i = 0; i < r->nhits && n < sizeof(buf) - 16; i++) {
        n += (size_t) snprintf(buf + n, sizeof(buf) - n, " %u", r->hits[i].doc);
    }

    tf_diag("%s (flags 0x%x)", buf, r->flags);
}


static void
tf_write_corpus(const char *name, const unsigned char *p, size_t size)
{
    char   path[4096];
    FILE  *fp;

    if (tf_corpus_dir == NULL) {
        return;
    }

    snprintf(path, sizeof(path), "%s/%s", tf_corpus_dir, name);
    fp = fopen(path, "wb");

    if (fp != NULL) {
        fwrite(p, 1, size, fp);
        fclose(fp);
        tf_corpus_files++;
    }
}


/* ---- words, folding, stems -------------------------------------------- */


static void
tf_words(void)
{
    size_t                 i, k, n, len, from, to, flen, olen;
    unsigned char          w[GLOSSARY_FTS_MAX_WORD];
    unsigned char          folded[512], joined[512], text[256];
    uint64_t               rng;
    int                    same, ranges;
    glossary_fts_words_t   words;

    static const char  *samples[] = {
        "Hello, World!", "  leading and trailing  ", "GPU-accelerated AI",
        "Cr\xc3\xa8me br\xc3\xbbl\xc3\xa9" "e \xc3\x86sop \xc3\x9f \xc5\x81\xc3\xb3" "d\xc5\xba",
        "e\xcc\x81t\xc3\xa9 \xcc\x81lead", "caf\xc3\xa9\xe2\x80\x94" "bar",
        "x\xc3\x97y\xc3\xb7z", "\xce\xb1\xce\xb2\xce\xb3 \xe4\xb8\xad\xe6\x96\x87",
        "bad \xff\xfe utf8 \xc3", "\xf0\x9f\x98\x80 emoji", "a\xc2\xa0" "b",
        "O'Reilly's 3.14 v2", "", "\t\n\r", "over\xe2\x80\x8bjoined",
    };

    same = 1;
    ranges = 1;

    for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
        len = strlen(samples[i]);
        flen = glossary_fold(folded, (const unsigned char *) samples[i], len);
        glossary_fts_words_init(&words, samples[i], len);
        n = 0;

        while ((k = glossary_fts_next_word(&words, w, &from, &to)) != 0) {
            if (n) {
                joined[n++] = ' ';
            }

            memcpy(joined + n, w, k);
            n += k;

            /* the word's own bytes fold to the word */
            olen = glossary_fold(text, (const unsigned char *) samples[i]
                                 + from, to - from);

            if (olen != k || memcmp(text, w, k) != 0) {
                ranges = 0;
                tf_diag("range of a word of sample %zu", i);
            }
        }

        if (n != flen || memcmp(joined, folded, n) != 0) {
            same = 0;
            tf_diag("sample %zu: \"%.*s\" != \"%.*s\"", i, (int) n, joined,
                    (int) flen, folded);
        }
    }

    tf_ok(same, "words joined are glossary_fold() of the text (samples)");
    tf_ok(ranges, "each word's byte range folds to the word (samples)");

    /* random bytes from a small alphabet of the interesting ones */

    static const char  *alphabet[] = {
        "a", "Z", "9", " ", "-", ".", "\xc3\xa9", "\xc3\x89", "\xcc\x81",
        "\xc2\xa0", "\xe2\x80\x94", "\xce\xb1", "\xff", "\xc3", "\xe4\xb8\xad",
        "\xc3\x97", "'", "\n"
    };

    rng = 42;
    same = 1;

    for (i = 0; i < 3000 && same; i++) {
        n = 0;

        for (k = 0; k < 40; k++) {
            rng = rng * 6364136223846793005ull + 1442695040888963407ull;
            const char *s = alphabet[(rng >> 33) % 18];
            memcpy(text + n, s, strlen(s));
            n += strlen(s);
        }

        flen = glossary_fold(folded, text, n);
        glossary_fts_words_init(&words, text, n);
        len = 0;

        while ((k = glossary_fts_next_word(&words, w, &from, &to)) != 0) {
            if (len) {
                joined[len++] = ' ';
            }

            memcpy(joined + len, w, k);
            len += k;
        }

        if (len != flen || memcmp(joined, folded, len) != 0) {
            same = 0;
            tf_diag("random text %zu differs", i);
        }
    }

    tf_ok(same, "words equal glossary_fold() on 3000 random texts");

    /* a long word keeps its first whole characters */

    memset(text, 'a', 70);
    memcpy(text + 63, "\xce\xb1", 2);      /* alpha: kept, 2 bytes */
    glossary_fts_words_init(&words, text, 70);
    k = glossary_fts_next_word(&words, w, &from, &to);
    tf_ok(k == 63 && to == 70 && glossary_fts_next_word(&words, w, &from, &to)
          == 0, "a 70-byte word is cut to its first 63 whole bytes (%zu)", k);
}


static void
tf_stems(void)
{
    size_t          i, n, m;
    unsigned char   a[64], b[64];
    int             ok;

    static const char  *same[][2] = {
        { "models", "model" }, { "gpus", "gpu" }, { "cpus", "cpu" },
        { "caches", "cache" }, { "caching", "cache" }, { "cached", "cache" },
        { "quantization", "quantize" }, { "quantized", "quantizing" },
        { "generation", "generate" }, { "generated", "generating" },
        { "running", "run" }, { "embedding", "embedded" },
        { "embeddings", "embed" }, { "policies", "policy" },
        { "boxes", "box" }, { "matches", "match" }, { "processes", "process" },
        { "computation", "compute" }, { "information", "inform" },
        { "trains", "training" }, { "enabled", "enable" },
        { "organizations", "organize" }, { "updates", "updated" },
    };

    static const char  *differ[][2] = {
        { "status", "statu" }, { "analysis", "analysi" }, { "need", "ne" },
        { "string", "str" }, { "station", "st" }, { "bus", "bu" },
        { "king", "k" }, { "gpu4", "gpu" },
    };

    ok = 1;

    for (i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
        n = strlen(same[i][0]);
        m = strlen(same[i][1]);
        memcpy(a, same[i][0], n);
        memcpy(b, same[i][1], m);
        n = glossary_fts_stem(a, n);
        m = glossary_fts_stem(b, m);

        if (n != m || memcmp(a, b, n) != 0) {
            ok = 0;
            tf_diag("stem(%s) = %.*s, stem(%s) = %.*s", same[i][0], (int) n,
                    a, same[i][1], (int) m, b);
        }
    }

    tf_ok(ok, "the stemmer folds %zu pairs of forms together",
          sizeof(same) / sizeof(same[0]));

    ok = 1;

    for (i = 0; i < sizeof(differ) / sizeof(differ[0]); i++) {
        n = strlen(differ[i][0]);
        m = strlen(differ[i][1]);
        memcpy(a, differ[i][0], n);
        memcpy(b, differ[i][1], m);
        n = glossary_fts_stem(a, n);
        m = glossary_fts_stem(b, m);

        if (n == m && memcmp(a, b, n) == 0) {
            ok = 0;
            tf_diag("stem(%s) = stem(%s)", differ[i][0], differ[i][1]);
        }
    }

    tf_ok(ok, "the stemmer keeps %zu pairs apart",
          sizeof(differ) / sizeof(differ[0]));

    memcpy(a, "running", 7);
    n = glossary_fts_stem(a, 7);
    m = glossary_fts_stem(a, n);
    tf_ok(n == 3 && m == 3 && memcmp(a, "run", 3) == 0,
          "stem(running) = run, and run stays run");
}


/* ---- the writer and the features -------------------------------------- */


static glossary_fts_image_t  tf_img;
static tf_image_t            tf_t;

static int tf_marked(const glossary_fts_snippet_t *sn, const char *word);


static void
tf_build(void)
{
    uint32_t               i, k, n;
    tf_doc_t               docs[D_COUNT];
    glossary_fts_image_t   again;
    size_t                 len;
    const unsigned char   *p;
    int                    ok;

    /* a long explanation: the needle at word 1500 of 2000 */

    n = 0;

    for (i = 0; i < 2000; i++) {
        n += (uint32_t) snprintf(tf_long + n, sizeof(tf_long) - n, "%s%s ",
                                 i == 1500 ? "needleword" : "filler",
                                 i % 17 == 16 ? "." : "");
    }

    memcpy(docs, tf_docs, sizeof(docs));
    docs[D_LONG].explanation = tf_long;

    k = (uint32_t) tf_build_docs(docs, D_COUNT, &tf_img);
    tf_ok(k == 0, "the writer builds an image of %u documents (%zu bytes)",
          D_COUNT, tf_img.size);

    tf_ok(tf_open(&tf_t, tf_img.data, tf_img.size) == GLOSSARY_OK,
          "the image opens (%s)", tf_t.fts.detail);

    tf_ok(tf_t.fts.doc_count == D_COUNT && tf_img.index_bytes < tf_img.size
          && tf_img.text_bytes > 14000,
          "counts: %u documents, index %llu of %zu bytes",
          tf_t.fts.doc_count, (unsigned long long) tf_img.index_bytes,
          tf_img.size);

    tf_ok(tf_build_docs(docs, D_COUNT, &again) == 0 && again.size ==
          tf_img.size && memcmp(again.data, tf_img.data, again.size) == 0,
          "building twice gives the same bytes");
    glossary_fts_image_free(&again);

    ok = 1;

    for (i = 0; i < D_COUNT && ok; i++) {
        p = glossary_fts_field(&tf_t.fts, i, GLOSSARY_FTS_FIELD_NAME, &len);
        ok = len == strlen(docs[i].name) && memcmp(p, docs[i].name, len) == 0;
        p = glossary_fts_field(&tf_t.fts, i, GLOSSARY_FTS_FIELD_SHORT, &len);
        ok = ok && len == strlen(docs[i].short_definition)
             && memcmp(p, docs[i].short_definition, len) == 0;
        p = glossary_fts_field(&tf_t.fts, i, GLOSSARY_FTS_FIELD_SLUG, &len);
        ok = ok && len == strlen(docs[i].slug)
             && memcmp(p, docs[i].slug, len) == 0;
    }

    p = glossary_fts_field(&tf_t.fts, D_QUANT, GLOSSARY_FTS_FIELD_ALIAS, &len);
    ok = ok && len == strlen("Model Compression\nQuantisation")
         && memcmp(p, "Model Compression\nQuantisation", len) == 0;
    p = glossary_fts_field(&tf_t.fts, D_QUANT, GLOSSARY_FTS_FIELD_FAQ, &len);
    ok = ok && len == strlen("Does it lose accuracy?\nA little.");
    tf_ok(ok, "stored fields read back as given (aliases and FAQ one per "
          "line)");

    k = 0;

    for (i = 0; i < D_COUNT; i++) {
        k += tf_t.fts.docs[i].category == docs[i].category;
    }

    tf_ok(k == D_COUNT, "categories stored");

    tf_write_corpus("valid-small.fts", tf_img.data, tf_img.size);
}


static void
tf_features(void)
{
    const glossary_fts_result_t  *r;
    uint32_t                      want[8];
    glossary_fts_snippet_t        sn;

    /* AND */
    r = tf_search(&tf_t, "cache memory ", GLOSSARY_FTS_ANY_CATEGORY, 10);
    tf_ok(r->nhits > 1 && r->hits[0].doc == D_CACHE_LINE
          && r->hits[0].words == 2 && r->hits[1].words == 1
          && r->hits[r->nhits - 1].words == 1
          && (r->flags & GLOSSARY_FTS_FALLBACK)
          && !(r->flags & GLOSSARY_FTS_EXHAUSTIVE),
          "AND: \"cache memory\" is the one document with both, first; "
          "documents with one of the words fill the top k below it");

    tf_flags = GLOSSARY_FTS_ALL_WORDS;
    r = tf_search(&tf_t, "cache memory ", GLOSSARY_FTS_ANY_CATEGORY, 10);
    tf_flags = 0;
    want[0] = D_CACHE_LINE;
    tf_ok(tf_only(r, want, 1) && !(r->flags & GLOSSARY_FTS_FALLBACK),
          "AND, all words: \"cache memory\" is the one document with both");

    /* exact name first, though "Cache Cache" scores more */
    r = tf_search(&tf_t, "cache", GLOSSARY_FTS_ANY_CATEGORY, 10);
    tf_ok(r->nhits >= 4 && r->hits[0].doc == D_CACHE
          && (r->hits[0].flags & GLOSSARY_FTS_HIT_EXACT_NAME),
          "exact name first: \"cache\" -> Cache (flagged)");
    tf_ok(tf_rank(r, D_CACHE2) == 2, "then the document that scores most "
          "(Cache Cache at %d)", tf_rank(r, D_CACHE2));

    r = tf_search(&tf_t, "cache", GLOSSARY_FTS_ANY_CATEGORY, 1);
    tf_ok(r->nhits == 1 && r->hits[0].doc == D_CACHE,
          "exact name first with limit 1");

    r = tf_search(&tf_t, "CACHE-LINE", GLOSSARY_FTS_ANY_CATEGORY, 10);
    tf_ok(r->nhits && r->hits[0].doc == D_CACHE_LINE
          && (r->hits[0].flags & GLOSSARY_FTS_HIT_EXACT_NAME),
          "exact slug first, in any case and punctuation");

    r = tf_search(&tf_t, "tensor processing unit", GLOSSARY_FTS_ANY_CATEGORY,
                  10);
    tf_ok(r->nhits && r->hits[0].doc == D_TPU
          && (r->hits[0].flags & GLOSSARY_FTS_HIT_EXACT_ALIAS),
          "exact alias first, flagged as an alias");

    /* field weights */
    r = tf_search(&tf_t, "zebrafish ", GLOSSARY_FTS_ANY_CATEGORY, 10);
    tf_ok(r->nhits == 5 && r->hits[0].doc == D_Z_NAME
          && r->hits[1].doc == D_Z_ALIAS && r->hits[2].doc == D_Z_SHORT
          && r->hits[3].doc == D_Z_FAQ && r->hits[4].doc == D_Z_EXPL,
          "field weights: name > alias > short definition > FAQ > "
          "explanation");

    if (r->nhits != 5 || r->hits[0].doc != D_Z_NAME) {
        tf_show("zebrafish", r);
    }

    /* phrase */
    r = tf_search(&tf_t, "\"alpha beta\"", GLOSSARY_FTS_ANY_CATEGORY, 10);
    want[0] = D_PHRASE;
    tf_ok(tf_only(r, want, 1), "\"alpha beta\" in quotes: only the adjacent "
          "words in that order");

    r = tf_search(&tf_t, "alpha beta", GLOSSARY_FTS_ANY_CATEGORY, 10);
    want[0] = D_PHRASE;
    want[1] = D_PHRASE_REV;
    want[2] = D_PHRASE_GAP;
    tf_ok(tf_only(r, want, 3), "without quotes: all three");

    r = tf_search(&tf_t, "\"beta gamma sequence\"", GLOSSARY_FTS_ANY_CATEGORY,
                  10);
    want[0] = D_PHRASE;
    tf_ok(tf_only(r, want, 1), "a three-word phrase");

    r = tf_search(&tf_t, "\"gamma beta\"", GLOSSARY_FTS_ANY_CATEGORY, 10);
    tf_ok(r->nhits == 0, "a phrase in the wrong order matches nothing");

    /* exclusion */
    r = tf_search(&tf_t, "alpha -gamma", GLOSSARY_FTS_ANY_CATEGORY, 10);
    want[0] = D_PHRASE_REV;
    want[1] = D_PHRASE_GAP;
    tf_ok(tf_only(r, want, 2), "-word excludes the documents that have it");

    r = tf_search(&tf_t, "cache -caches", GLOSSARY_FTS_ANY_CATEGORY, 10);
    tf_ok(r->nhits == 0, "-word excludes its other forms too");

    /* prefix */
    r = tf_search(&tf_t, "zebraf", GLOSSARY_FTS_ANY_CATEGORY, 10);
    tf_ok(r->nhits == 5, "the last word is a prefix: \"zebraf\" (%u)",
          r->nhits);

    r = tf_search(&tf_t, "zebraf ", GLOSSARY_FTS_ANY_CATEGORY, 10);
    tf_ok(r->nhits == 0 || !tf_rank(r, D_Z_NAME),
          "... not when the query ends with a space");

    r = tf_search(&tf_t, "zebraf study", GLOSSARY_FTS_ANY_CATEGORY, 10);
    tf_ok((r->flags & GLOSSARY_FTS_FALLBACK) && r->nhits
          && r->hits[0].words == 1, "... and only the last word (zebraf is "
          "dropped)");

    r = tf_search(&tf_t, "syst", GLOSSARY_FTS_ANY_CATEGORY, 10);
    tf_ok(tf_rank(r, D_SYSTOLIC) == 1, "\"syst\" -> Systolic Array first");

    r = tf_search(&tf_t, "s", GLOSSARY_FTS_ANY_CATEGORY, 10);
    tf_ok(r->nhits == 10, "a one-letter prefix answers (%u hits, flags 0x%x)",
          r->nhits, r->flags);

    /* category */
    r = tf_search(&tf_t, "cache", 1, 10);
    want[0] = D_CAT1;
    want[1] = D_CACHING;
    tf_ok(tf_only(r, want, 2), "category filter");

    r = tf_search(&tf_t, "cache", 7, 10);
    tf_ok(r->nhits == 0, "a category without documents: nothing");

    /* stems and folding */
    r = tf_search(&tf_t, "model ", GLOSSARY_FTS_ANY_CATEGORY, 10);
    tf_ok(tf_rank(r, D_MODELS) && tf_rank(r, D_QUANT) && tf_rank(r, D_Z_EXPL),
          "\"model\" finds models (plural) and Model (name)");

    r = tf_search(&tf_t, "cached ", GLOSSARY_FTS_ANY_CATEGORY, 10);
    tf_ok(tf_rank(r, D_CACHING) && tf_rank(r, D_CACHE),
          "\"cached\" finds caching and cache");

    r = tf_search(&tf_t, "quantize ", GLOSSARY_FTS_ANY_CATEGORY, 10);
    tf_ok(tf_rank(r, D_QUANT) == 1, "\"quantize\" finds Quantization");

    r = tf_search(&tf_t, "CREME brulee", GLOSSARY_FTS_ANY_CATEGORY, 10);
    tf_ok(r->nhits && r->hits[0].doc == D_CREME
          && (r->hits[0].flags & GLOSSARY_FTS_HIT_EXACT_NAME),
          "accents and case fold: \"CREME brulee\" is Cr\xc3\xa8me "
          "Br\xc3\xbbl\xc3\xa9" "e");

    r = tf_search(&tf_t, "na\xc3\xafve", GLOSSARY_FTS_ANY_CATEGORY, 10);
    tf_ok(tf_rank(r, D_CREME) == 1, "an accented query word");

    /* typos */
    r = tf_search(&tf_t, "systolc ", GLOSSARY_FTS_ANY_CATEGORY, 10);
    tf_ok(tf_rank(r, D_SYSTOLIC) == 1 && r->hits[0].typos == 1,
          "8 letters, one deletion: \"systolc\"");

    r = tf_search(&tf_t, "sytsolic ", GLOSSARY_FTS_ANY_CATEGORY, 10);
    tf_ok(tf_rank(r, D_SYSTOLIC) == 1 && r->hits[0].typos == 1,
          "a swap of two letters is one typo: \"sytsolic\"");

    r = tf_search(&tf_t, "systoliq ", GLOSSARY_FTS_ANY_CATEGORY, 10);
    tf_ok(tf_rank(r, D_SYSTOLIC) == 1, "a substitution: \"systoliq\"");

    r = tf_search(&tf_t, "systollic ", GLOSSARY_FTS_ANY_CATEGORY, 10);
    tf_ok(tf_rank(r, D_SYSTOLIC) == 1, "an insertion: \"systollic\"");

    r = tf_search(&tf_t, "ystolic ", GLOSSARY_FTS_ANY_CATEGORY, 10);
    tf_ok(!tf_rank(r, D_SYSTOLIC), "a typo on the first letter costs 2: "
          "\"ystolic\" (7 letters) does not match");

    r = tf_search(&tf_t, "sistolik ", GLOSSARY_FTS_ANY_CATEGORY, 10);
    tf_ok(!tf_rank(r, D_SYSTOLIC), "two typos in 8 letters do not match");

    r = tf_search(&tf_t, "acelerater ", GLOSSARY_FTS_ANY_CATEGORY, 10);
    tf_ok(tf_rank(r, D_ACCEL) == 1 && r->hits[0].typos == 2,
          "10 letters, two typos: \"acelerater\"");

    r = tf_search(&tf_t, "xccelerator ", GLOSSARY_FTS_ANY_CATEGORY, 10);
    tf_ok(tf_rank(r, D_ACCEL) == 1 && r->hits[0].typos == 2,
          "a first-letter typo in 11 letters counts 2");

    r = tf_search(&tf_t, "xcceleratxr ", GLOSSARY_FTS_ANY_CATEGORY, 10);
    tf_ok(!tf_rank(r, D_ACCEL), "... and leaves no room for another");

    r = tf_search(&tf_t, "unit ", GLOSSARY_FTS_ANY_CATEGORY, 10);
    tf_ok(r->nhits == 2 && r->hits[0].typos == 0 && r->hits[1].typos == 0,
          "a 4-letter word that is in the index takes no typo: \"unit\"");

    r = tf_search(&tf_t, "cahe ", GLOSSARY_FTS_ANY_CATEGORY, 10);
    tf_ok(tf_rank(r, D_CACHE) && tf_rank(r, D_CACHE) <= 2
          && r->hits[0].typos == 1,
          "a 4-letter word that matches nothing takes one: \"cahe\"");

    r = tf_search(&tf_t, "tpi ", GLOSSARY_FTS_ANY_CATEGORY, 10);
    tf_ok(tf_rank(r, D_TPU) == 1, "so does a 3-letter one: \"tpi\" -> TPU");

    r = tf_search(&tf_t, "polcy", GLOSSARY_FTS_ANY_CATEGORY, 10);
    tf_ok(tf_rank(r, D_CAT1) == 1, "a typo in a prefix word: \"polcy\"");

    r = tf_search(&tf_t, "tensor", GLOSSARY_FTS_ANY_CATEGORY, 10);
    tf_ok(tf_rank(r, D_TPU) == 1 && r->hits[0].typos == 0,
          "exact matches rank before typo matches");

    /* fallback */
    r = tf_search(&tf_t, "zebrafish xylophonez ", GLOSSARY_FTS_ANY_CATEGORY,
                  10);
    tf_ok(r->nhits == 5 && (r->flags & GLOSSARY_FTS_FALLBACK)
          && r->hits[0].words == 1,
          "a word that matches nothing is dropped (fallback flagged)");

    r = tf_search(&tf_t, "zebrafish cache policy ", GLOSSARY_FTS_ANY_CATEGORY,
                  10);
    tf_ok(r->nhits && r->hits[0].doc == D_CAT1 && r->hits[0].words == 2
          && (r->flags & GLOSSARY_FTS_FALLBACK),
          "no document has all three words: those with two first");

    r = tf_search(&tf_t, "\"alpha beta\" zebrafish ",
                  GLOSSARY_FTS_ANY_CATEGORY, 10);
    want[0] = D_PHRASE;
    tf_ok(tf_only(r, want, 1), "a phrase is never dropped by the fallback");

    /* did you mean */
    r = tf_search(&tf_t, "sistolik ", GLOSSARY_FTS_ANY_CATEGORY, 10);
    tf_ok(r->nhits == 0 && r->suggestion != NULL && r->suggestion_len == 8
          && memcmp(r->suggestion, "systolic", 8) == 0,
          "did you mean: \"sistolik\" -> \"%.*s\"", (int) r->suggestion_len,
          r->suggestion ? (const char *) r->suggestion : "");

    r = tf_search(&tf_t, "cachr sistolik ", GLOSSARY_FTS_ANY_CATEGORY, 10);
    tf_ok(r->nhits > 0 || (r->suggestion != NULL
                           && memcmp(r->suggestion, "cache systolic", 14)
                              == 0), "did you mean: two words");

    r = tf_search(&tf_t, "polcy cahe ", GLOSSARY_FTS_ANY_CATEGORY, 10);
    tf_ok(r->nhits > 0 && r->suggestion == NULL,
          "no suggestion when every word has hits (with typos)");

    r = tf_search(&tf_t, "cache sistolik ", GLOSSARY_FTS_ANY_CATEGORY, 10);
    tf_ok(r->nhits > 0 && (r->flags & GLOSSARY_FTS_FALLBACK)
          && r->suggestion != NULL && r->suggestion_len == 14
          && memcmp(r->suggestion, "cache systolic", 14) == 0
          && glossary_fts_snippet(&tf_t.fts, tf_t.scratch, r, 0,
                                  GLOSSARY_FTS_FIELD_AUTO, &sn) == 0
          && tf_marked(&sn, "cache"),
          "hits without a word that matches nothing: a suggestion for that "
          "word, and the hits' snippets still marked");

    r = tf_search(&tf_t, "qqqqqq ", GLOSSARY_FTS_ANY_CATEGORY, 10);
    tf_ok(r->nhits == 0 && r->suggestion == NULL,
          "no suggestion when nothing is near");

    r = tf_search(&tf_t, "sistolik ", 7, 10);
    tf_ok(r->nhits == 0 && r->suggestion == NULL,
          "no suggestion that would find nothing either");

    /* empty and odd queries */
    r = tf_search(&tf_t, "", GLOSSARY_FTS_ANY_CATEGORY, 10);
    tf_ok(r->nhits == 0 && r->words == 0, "an empty query: nothing");

    r = tf_search(&tf_t, " -cache \"\" --- \" ", GLOSSARY_FTS_ANY_CATEGORY,
                  10);
    tf_ok(r->nhits == 0, "exclusions and quotes alone: nothing");

    r = tf_search(&tf_t, "\"alpha beta", GLOSSARY_FTS_ANY_CATEGORY, 10);
    want[0] = D_PHRASE;
    tf_ok(tf_only(r, want, 1), "an unclosed quote is a phrase to the end");

    tf_ok(tf_query_allocs == 0, "no query allocated memory (%u)",
          tf_query_allocs);
    tf_ok(tf_query_guard, "no query wrote past its scratch");
}


static int
tf_marked(const glossary_fts_snippet_t *sn, const char *word)
{
    uint32_t        m;
    size_t          n;
    unsigned char   f[128];

    for (m = 0; m < sn->nmarks; m++) {
        if (sn->marks[m].from + sn->marks[m].len > sn->len) {
            return -1;
        }

        n = glossary_fold(f, sn->text + sn->marks[m].from, sn->marks[m].len);

        if (n == strlen(word) && memcmp(f, word, n) == 0) {
            return 1;
        }
    }

    return 0;
}


static void
tf_snippets(void)
{
    size_t                        len;
    uint32_t                      m;
    int                           ok;
    const unsigned char          *p;
    glossary_fts_snippet_t        sn;
    const glossary_fts_result_t  *r;

    r = tf_search(&tf_t, "zebrafish ", GLOSSARY_FTS_ANY_CATEGORY, 10);

    ok = glossary_fts_snippet(&tf_t.fts, tf_t.scratch, r,
                              (uint32_t) tf_rank(r, D_Z_SHORT) - 1,
                              GLOSSARY_FTS_FIELD_AUTO, &sn) == 0;
    tf_ok(ok && sn.field == GLOSSARY_FTS_FIELD_SHORT
          && tf_marked(&sn, "zebrafish") == 1 && !sn.cut_before
          && !sn.cut_after && sn.len == strlen(tf_docs[D_Z_SHORT]
                                                .short_definition),
          "snippet from the short definition, the word marked, whole");

    ok = glossary_fts_snippet(&tf_t.fts, tf_t.scratch, r,
                              (uint32_t) tf_rank(r, D_Z_FAQ) - 1,
                              GLOSSARY_FTS_FIELD_AUTO, &sn) == 0;
    tf_ok(ok && sn.field == GLOSSARY_FTS_FIELD_FAQ
          && tf_marked(&sn, "zebrafish") == 1, "snippet from the FAQ");

    ok = glossary_fts_snippet(&tf_t.fts, tf_t.scratch, r,
                              (uint32_t) tf_rank(r, D_Z_EXPL) - 1,
                              GLOSSARY_FTS_FIELD_AUTO, &sn) == 0;
    tf_ok(ok && sn.field == GLOSSARY_FTS_FIELD_EXPLANATION
          && tf_marked(&sn, "zebrafish") == 1, "snippet from the explanation");

    ok = glossary_fts_snippet(&tf_t.fts, tf_t.scratch, r,
                              (uint32_t) tf_rank(r, D_Z_NAME) - 1,
                              GLOSSARY_FTS_FIELD_AUTO, &sn) == 0;
    tf_ok(ok && sn.field == GLOSSARY_FTS_FIELD_SHORT && sn.nmarks == 0,
          "a name match: the short definition, nothing marked");

    ok = glossary_fts_snippet(&tf_t.fts, tf_t.scratch, r,
                              (uint32_t) tf_rank(r, D_Z_NAME) - 1,
                              GLOSSARY_FTS_FIELD_NAME, &sn) == 0;
    tf_ok(ok && sn.field == GLOSSARY_FTS_FIELD_NAME
          && tf_marked(&sn, "zebrafish") == 1
          && sn.len == strlen("Zebrafish Study"),
          "the name asked for: marked");

    r = tf_search(&tf_t, "needleword", GLOSSARY_FTS_ANY_CATEGORY, 10);
    ok = r->nhits == 1 && glossary_fts_snippet(&tf_t.fts, tf_t.scratch, r,
                                               0, GLOSSARY_FTS_FIELD_AUTO,
                                               &sn) == 0;
    p = glossary_fts_field(&tf_t.fts, D_LONG, GLOSSARY_FTS_FIELD_EXPLANATION,
                           &len);
    tf_ok(ok && sn.field == GLOSSARY_FTS_FIELD_EXPLANATION && sn.cut_before
          && sn.cut_after && sn.len <= GLOSSARY_FTS_SNIPPET_LEN
          && sn.text > p && sn.text + sn.len < p + len
          && tf_marked(&sn, "needleword") == 1,
          "word 1500 of a long explanation: a window around it, cut both "
          "sides (%zu bytes)", sn.len);

    ok = 1;

    for (m = 0; m < sn.nmarks; m++) {
        ok &= sn.marks[m].from + sn.marks[m].len <= sn.len
              && (m == 0 || sn.marks[m].from >= sn.marks[m - 1].from
                                                + sn.marks[m - 1].len);
    }

    tf_ok(ok && sn.text[0] != ' ' && sn.text[sn.len - 1] != ' ',
          "marks ascending, inside, the window trimmed to words");

    r = tf_search(&tf_t, "cachd", GLOSSARY_FTS_ANY_CATEGORY, 10);
    ok = glossary_fts_snippet(&tf_t.fts, tf_t.scratch, r,
                              (uint32_t) tf_rank(r, D_CACHING) - 1,
                              GLOSSARY_FTS_FIELD_AUTO, &sn) == 0;
    tf_ok(ok && tf_marked(&sn, "caching") == 1,
          "typo and stem matches are marked: \"cachd\" marks Caching");

    tf_ok(glossary_fts_snippet(&tf_t.fts, tf_t.scratch, r, r->nhits,
                               GLOSSARY_FTS_FIELD_AUTO, &sn) == -1
          && glossary_fts_snippet(&tf_t.fts, tf_t.scratch, r, 0, 9, &sn) == -1,
          "a hit or field out of range is refused");

    tf_ok(tf_query_allocs == 0 && tf_query_guard,
          "snippets allocate nothing and stay in the scratch");
}


static void
tf_bounds(void)
{
    int                    rc;
    char                   q[1200];
    size_t                 n;
    uint32_t               i;
    glossary_fts_query_t   query;
    glossary_fts_result_t  res;
    const glossary_fts_result_t  *r;

    query.text = (const unsigned char *) "cache";
    query.len = 5;
    query.category = GLOSSARY_FTS_ANY_CATEGORY;
    query.flags = 0;
    query.limit = 0;
    rc = glossary_fts_search(&tf_t.fts, tf_t.scratch, tf_t.scratch_size,
                             &query, &res);
    query.limit = GLOSSARY_FTS_MAX_HITS + 1;
    rc |= glossary_fts_search(&tf_t.fts, tf_t.scratch, tf_t.scratch_size,
                              &query, &res) + 1 == 0 ? -1 : 0;
    tf_ok(rc == -1, "a limit of 0 or over %d is refused",
          GLOSSARY_FTS_MAX_HITS);

    query.limit = 10;
    tf_ok(glossary_fts_search(&tf_t.fts, tf_t.scratch, tf_t.scratch_size - 1,
                              &query, &res) == -1,
          "a scratch one byte short is refused");

    /* query length */
    n = 0;

    for (i = 0; n < 600; i++) {
        n += (size_t) snprintf(q + n, sizeof(q) - n, "cache ");
    }

    r = tf_search(&tf_t, q, GLOSSARY_FTS_ANY_CATEGORY, 10);
    tf_ok((r->flags & GLOSSARY_FTS_CUT_QUERY) && (r->flags
                                                  & GLOSSARY_FTS_CUT_WORDS)
          && r->words == GLOSSARY_FTS_MAX_WORDS && r->nhits,
          "a 600-byte query: read to %d bytes, %d words, answered",
          GLOSSARY_FTS_MAX_QUERY, GLOSSARY_FTS_MAX_WORDS);

    r = tf_search(&tf_t, "a b c d e f g h i j", GLOSSARY_FTS_ANY_CATEGORY, 10);
    tf_ok((r->flags & GLOSSARY_FTS_CUT_WORDS) && r->words == 8,
          "more than 8 words: 8 are kept");

    r = tf_search(&tf_t, "cache -a -b -c -d -e -f", GLOSSARY_FTS_ANY_CATEGORY,
                  10);
    tf_ok((r->flags & GLOSSARY_FTS_CUT_WORDS), "more than 4 exclusions: 4");

    /* a query cut inside a character is cut before it */
    memset(q, 'x', 255);
    memcpy(q + 255, "\xc3\xa9", 3);
    r = tf_search(&tf_t, q, GLOSSARY_FTS_ANY_CATEGORY, 10);
    tf_ok(r->flags & GLOSSARY_FTS_CUT_QUERY, "a query cut inside a character");

    tf_ok(tf_query_allocs == 0 && tf_query_guard, "bounded queries allocate "
          "nothing and stay in the scratch");
}


/*
 * A generated corpus in which every word is common and similar to many
 * others: the expensive case for expansion, intersection and fallback.
 */

static void
tf_hostile(void)
{
    char                  *text, **names, word[16];
    uint32_t               i, k, n, v, ndocs;
    uint64_t               rng;
    glossary_fts_input_t  *in;
    glossary_fts_image_t   img;
    tf_image_t             t;
    const glossary_fts_result_t  *r;
    uint32_t               worst_postings, worst_walk, worst_exp, worst_sub;

    ndocs = 3000;
    in = calloc(ndocs, sizeof(glossary_fts_input_t));
    names = calloc(ndocs, sizeof(char *));
    text = malloc((size_t) ndocs * 1200);
    rng = 7;

    for (i = 0; i < ndocs; i++) {
        char  *p = text + (size_t) i * 1200;

        n = 0;

        /* 150 words of a vocabulary of 400: "wordNNN" and variants */
        for (k = 0; k < 150; k++) {
            rng = rng * 6364136223846793005ull + 1442695040888963407ull;
            v = (uint32_t) (rng >> 33) % 400;
            snprintf(word, sizeof(word), "%s%c%c",
                     v % 3 == 0 ? "abcdefgh" : v % 3 == 1 ? "abcdefhg"
                                                          : "abcdfegh",
                     'a' + v % 20, 'a' + v / 20);
            n += (uint32_t) snprintf(p + n, 1200 - n, "%s ", word);

            if (n > 1100) {
                break;
            }
        }

        names[i] = malloc(32);
        snprintf(names[i], 32, "abcdefgh%c%c item%u", 'a' + i % 20,
                 'a' + (i / 20) % 20, i);
        in[i].name.data = names[i];
        in[i].name.len = strlen(names[i]);
        in[i].slug.data = "x";
        in[i].slug.len = 1;
        in[i].explanation.data = p;
        in[i].explanation.len = n;
        in[i].category = i % 3;
    }

    tf_ok(glossary_fts_build(in, ndocs, &img) == 0
          && tf_open(&t, img.data, img.size) == GLOSSARY_OK,
          "a hostile corpus: %u documents of 150 similar words", ndocs);

    static const char  *queries[] = {
        "abcdefgh abcdefhg abcdfegh abcdefghq abcdefhgr abcdfeghs abcdefght "
            "abcdefg",
        "abcdefghxx abcdefhgxx abcdfeghxx abcdefgxx abcdefhxx abcdfegxx "
            "abcdeghxx abcdefxx",
        "\"abcdefghaa abcdefhgba\" \"abcdfeghca abcdefghda\" -abcdefghea "
            "-abcdefghfa -abcdefghga -abcdefghha",
        "abcdefghaa zzzzzzzzzzq zzzzzzzzzzr zzzzzzzzzzs zzzzzzzzzzt "
            "zzzzzzzzzzu zzzzzzzzzzv abcdefhgba",
        "a b c d e f g h",
        "bacdefghaa bacdefghab bacdefghac bacdefghad bacdefghba bacdefghbb "
            "bacdefghbc bacdefgh",
        "\"abcdefghaa abcdefghaa abcdefghaa abcdefghaa abcdefghaa "
            "abcdefghaa abcdefghaa abcdefghaa\"",
        "abcdefhgaa abcdefhgab abcdefhgac abcdefhgad abcdefhgae abcdefhgaf "
            "abcdefhgag abcdefhga",
    };

    worst_postings = 0;
    worst_walk = 0;
    worst_exp = 0;
    worst_sub = 0;

    for (i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
        r = tf_search(&t, queries[i], GLOSSARY_FTS_ANY_CATEGORY, 50);
        worst_postings = r->postings > worst_postings ? r->postings
                                                      : worst_postings;
        worst_walk = r->walk > worst_walk ? r->walk : worst_walk;
        worst_exp = r->expansions > worst_exp ? r->expansions : worst_exp;
        worst_sub = r->subsets > worst_sub ? r->subsets : worst_sub;
        tf_diag("hostile %u: %u hits, postings %u, walk %u, expansions %u, "
                "subsets %u, flags 0x%x", i, r->nhits, r->postings, r->walk,
                r->expansions, r->subsets, r->flags);
        r = tf_search(&t, queries[i], 1, 50);
    }

    tf_ok(worst_postings <= GLOSSARY_FTS_MAX_POSTINGS + 2 * 128,
          "postings decoded stay under the bound (%u <= %d)", worst_postings,
          GLOSSARY_FTS_MAX_POSTINGS);
    tf_ok(worst_walk <= GLOSSARY_FTS_MAX_WALK + 64,
          "typo walks stay under the bound (%u <= %d)", worst_walk,
          GLOSSARY_FTS_MAX_WALK);
    tf_ok(worst_exp <= GLOSSARY_FTS_MAX_WORDS * GLOSSARY_FTS_MAX_EXPANSIONS,
          "expansions stay under the bound (%u)", worst_exp);
    tf_ok(worst_sub <= GLOSSARY_FTS_MAX_SUBSETS,
          "fallback subsets stay under the bound (%u)", worst_sub);
    tf_ok(tf_query_allocs == 0 && tf_query_guard,
          "hostile queries allocate nothing and stay in the scratch");

    tf_write_corpus("hostile.fts", img.data, img.size);

    tf_close(&t);
    glossary_fts_image_free(&img);

    for (i = 0; i < ndocs; i++) {
        free(names[i]);
    }

    free(names);
    free(text);
    free(in);
}


/* ---- corrupt images --------------------------------------------------- */


static glossary_fts_part_t *
tf_part(unsigned char *p, uint32_t i)
{
    return (glossary_fts_part_t *) (p + GLOSSARY_FTS_HEADER_SIZE) + i;
}


/* any image that opens must answer queries and snippets */

static void
tf_exercise(tf_image_t *t)
{
    uint32_t                      i, k;
    glossary_fts_snippet_t        sn;
    const glossary_fts_result_t  *r;

    static const char  *queries[] = {
        "cache", "zebrafish ", "\"alpha beta\"", "systolc", "c", "cahe ",
        "alpha -gamma", "acelerater x", "model policy cache"
    };

    for (i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
        r = tf_search(t, queries[i], GLOSSARY_FTS_ANY_CATEGORY, 10);

        for (k = 0; k < r->nhits; k++) {
            glossary_fts_snippet(&t->fts, t->scratch, r, k,
                                 GLOSSARY_FTS_FIELD_AUTO, &sn);
        }
    }
}


typedef struct {
    const char   *name;
    void        (*edit)(unsigned char *p, size_t size);
} tf_corrupt_t;

#define TF_PART_AT(p, i)  ((p) + tf_part(p, i)->offset)

static void tf_c_magic(unsigned char *p, size_t s) { (void) s; p[0] ^= 1; }
static void tf_c_version(unsigned char *p, size_t s) { (void) s; p[8] = 9; }
static void tf_c_size(unsigned char *p, size_t s)
{
    ((glossary_fts_header_t *) p)->image_size = s + 8;
}
static void tf_c_header_size(unsigned char *p, size_t s)
{
    (void) s;
    ((glossary_fts_header_t *) p)->header_size = 12;
}
static void tf_c_docs_count(unsigned char *p, size_t s)
{
    (void) s;
    ((glossary_fts_header_t *) p)->doc_count += 1;
}
static void tf_c_lists_count(unsigned char *p, size_t s)
{
    (void) s;
    ((glossary_fts_header_t *) p)->list_count -= 1;
}
static void tf_c_keys_count(unsigned char *p, size_t s)
{
    (void) s;
    ((glossary_fts_header_t *) p)->key_count += 17;
}
static void tf_c_part_align(unsigned char *p, size_t s)
{
    (void) s;
    tf_part(p, GLOSSARY_FTS_PART_LISTS)->offset += 4;
}
static void tf_c_part_past(unsigned char *p, size_t s)
{
    tf_part(p, GLOSSARY_FTS_PART_IMPACTS)->size = s;
}
static void tf_c_part_overlap(unsigned char *p, size_t s)
{
    (void) s;
    tf_part(p, GLOSSARY_FTS_PART_DICT)->offset =
        tf_part(p, GLOSSARY_FTS_PART_DICT_INDEX)->offset;
}
static void tf_c_impacts(unsigned char *p, size_t s)
{
    (void) s;
    ((uint32_t *) TF_PART_AT(p, GLOSSARY_FTS_PART_IMPACTS))[100] = 0;
}
static void tf_c_dict_order(unsigned char *p, size_t s)
{
    uint32_t  *idx;

    (void) s;
    idx = (uint32_t *) TF_PART_AT(p, GLOSSARY_FTS_PART_DICT_INDEX);
    idx[1] = idx[1] - 1;
}
static void tf_c_dict_key(unsigned char *p, size_t s)
{
    unsigned char  *d;

    (void) s;
    d = TF_PART_AT(p, GLOSSARY_FTS_PART_DICT);
    d[2] = 0xff;        /* the first key's first byte: after the second */
}
static void tf_c_list_df(unsigned char *p, size_t s)
{
    (void) s;
    ((glossary_fts_list_t *) TF_PART_AT(p, GLOSSARY_FTS_PART_LISTS))[3].df = 0;
}
static void tf_c_list_blocks(unsigned char *p, size_t s)
{
    (void) s;
    ((glossary_fts_list_t *) TF_PART_AT(p, GLOSSARY_FTS_PART_LISTS))[3]
        .blocks1 += 1;
}
static void tf_c_list_max(unsigned char *p, size_t s)
{
    (void) s;
    ((glossary_fts_list_t *) TF_PART_AT(p, GLOSSARY_FTS_PART_LISTS))[5]
        .max1 ^= 1;
}
static void tf_c_skip_last(unsigned char *p, size_t s)
{
    (void) s;
    ((glossary_fts_skip_t *) TF_PART_AT(p, GLOSSARY_FTS_PART_SKIPS))[2]
        .last_doc += 1;
}
static void tf_c_skip_off(unsigned char *p, size_t s)
{
    (void) s;
    ((glossary_fts_skip_t *) TF_PART_AT(p, GLOSSARY_FTS_PART_SKIPS))[4]
        .post_off += 1000000;
}
static void tf_c_skip_pos(unsigned char *p, size_t s)
{
    (void) s;
    ((glossary_fts_skip_t *) TF_PART_AT(p, GLOSSARY_FTS_PART_SKIPS))[4]
        .pos_off -= 1;
}
static void tf_c_posting_doc(unsigned char *p, size_t s)
{
    (void) s;
    TF_PART_AT(p, GLOSSARY_FTS_PART_POSTINGS)[0] = 0x7f;  /* id 127 */
}
static void tf_c_impact_zero(unsigned char *p, size_t s)
{
    glossary_fts_skip_t  *sk;

    (void) s;
    sk = (glossary_fts_skip_t *) TF_PART_AT(p, GLOSSARY_FTS_PART_SKIPS);
    TF_PART_AT(p, GLOSSARY_FTS_PART_POSTINGS)[sk[1].post_off - 1] = 0;
}
static void tf_c_position(unsigned char *p, size_t s)
{
    (void) s;
    TF_PART_AT(p, GLOSSARY_FTS_PART_POSITIONS)[1] = 0x7e;
}
static void tf_c_doc_words(unsigned char *p, size_t s)
{
    (void) s;
    ((glossary_fts_doc_t *) TF_PART_AT(p, GLOSSARY_FTS_PART_DOCS))[2].words
        = 0;
}
static void tf_c_doc_text(unsigned char *p, size_t s)
{
    (void) s;
    ((glossary_fts_doc_t *) TF_PART_AT(p, GLOSSARY_FTS_PART_DOCS))[D_COUNT - 1]
        .text_off += 1u << 20;
}
static void tf_c_doc_fields(unsigned char *p, size_t s)
{
    (void) s;
    ((glossary_fts_doc_t *) TF_PART_AT(p, GLOSSARY_FTS_PART_DOCS))[1]
        .text_end[3] = 0;
}
static void tf_c_doc_cp(unsigned char *p, size_t s)
{
    (void) s;
    ((glossary_fts_doc_t *) TF_PART_AT(p, GLOSSARY_FTS_PART_DOCS))[D_LONG]
        .cp_first = 0xfffffff0u;
}
static void tf_c_checkpoint(unsigned char *p, size_t s)
{
    glossary_fts_doc_t  *d;

    (void) s;
    d = (glossary_fts_doc_t *) TF_PART_AT(p, GLOSSARY_FTS_PART_DOCS);
    ((uint32_t *) TF_PART_AT(p, GLOSSARY_FTS_PART_CHECKPOINTS))
        [d[D_LONG].cp_first + 1] = 0;
}
static void tf_c_name_order(unsigned char *p, size_t s)
{
    glossary_fts_name_t  *n;

    (void) s;
    n = (glossary_fts_name_t *) TF_PART_AT(p, GLOSSARY_FTS_PART_NAMES);
    n[1].hash = 0;
}
static void tf_c_name_doc(unsigned char *p, size_t s)
{
    (void) s;
    ((glossary_fts_name_t *) TF_PART_AT(p, GLOSSARY_FTS_PART_NAMES))[0].doc
        = D_COUNT;
}
static void tf_c_prefix_count(unsigned char *p, size_t s)
{
    (void) s;
    ((glossary_fts_prefix_t *) TF_PART_AT(p, GLOSSARY_FTS_PART_PREFIXES))[0]
        .count = 0;
}
static void tf_c_prefix_first(unsigned char *p, size_t s)
{
    (void) s;
    ((glossary_fts_prefix_t *) TF_PART_AT(p, GLOSSARY_FTS_PART_PREFIXES))[0]
        .first = 0x7fffffff;
}
static void tf_c_prefix_doc(unsigned char *p, size_t s)
{
    (void) s;
    ((glossary_fts_scored_t *) TF_PART_AT(p, GLOSSARY_FTS_PART_PREFIX_DOCS))[0]
        .doc = 1000;
}
static void tf_c_prefix_order(unsigned char *p, size_t s)
{
    glossary_fts_prefix_t  *e;

    (void) s;
    e = (glossary_fts_prefix_t *) TF_PART_AT(p, GLOSSARY_FTS_PART_PREFIXES);
    e[1].key[0] = 0;
}


static void
tf_corrupt(void)
{
    size_t              i, j, bad, survived, flips;
    unsigned char      *copy;
    tf_image_t          t;
    glossary_status_t   rc;
    char                name[64];

    static const tf_corrupt_t  cases[] = {
        { "bad magic", tf_c_magic },
        { "other major version", tf_c_version },
        { "image_size not the size", tf_c_size },
        { "header_size too small", tf_c_header_size },
        { "doc_count one too many", tf_c_docs_count },
        { "list_count one short", tf_c_lists_count },
        { "key_count too large", tf_c_keys_count },
        { "a part not 8-byte aligned", tf_c_part_align },
        { "a part past the end", tf_c_part_past },
        { "parts overlapping", tf_c_part_overlap },
        { "impacts decreasing", tf_c_impacts },
        { "dictionary block offsets out of order", tf_c_dict_order },
        { "dictionary keys out of order", tf_c_dict_key },
        { "a list of 0 documents", tf_c_list_df },
        { "a list's block count wrong", tf_c_list_blocks },
        { "a list's maximum wrong", tf_c_list_max },
        { "a block's last document wrong", tf_c_skip_last },
        { "a block past POSTINGS", tf_c_skip_off },
        { "a block's positions misplaced", tf_c_skip_pos },
        { "a document id past the count", tf_c_posting_doc },
        { "an impact code of 0", tf_c_impact_zero },
        { "a position past the words", tf_c_position },
        { "a document with positions but no words", tf_c_doc_words },
        { "a document's text past TEXT", tf_c_doc_text },
        { "a document's fields out of order", tf_c_doc_fields },
        { "a document's checkpoints past the end", tf_c_doc_cp },
        { "checkpoints not ascending", tf_c_checkpoint },
        { "names out of order", tf_c_name_order },
        { "a name's document past the count", tf_c_name_doc },
        { "a prefix of no documents", tf_c_prefix_count },
        { "a prefix's documents past the end", tf_c_prefix_first },
        { "a prefix document past the count", tf_c_prefix_doc },
        { "prefixes out of order", tf_c_prefix_order },
    };

    copy = malloc(tf_img.size);

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        memcpy(copy, tf_img.data, tf_img.size);
        cases[i].edit(copy, tf_img.size);
        rc = tf_open(&t, copy, tf_img.size);
        tf_ok(rc != GLOSSARY_OK && t.fts.detail[0] != '\0',
              "refused: %s (%s: %s)", cases[i].name,
              glossary_blob_strerror(rc), t.fts.detail);

        snprintf(name, sizeof(name), "corrupt-%02zu.fts", i);
        tf_write_corpus(name, copy, tf_img.size);
        tf_close(&t);
    }

    /* every truncation */

    bad = 0;

    for (i = 0; i < tf_img.size; i += i < 4096 ? 1 : 61) {
        if (tf_open(&t, tf_img.data, i) == GLOSSARY_OK) {
            bad++;
        }

        tf_close(&t);
    }

    tf_ok(bad == 0, "every truncation is refused");

    /* flipped bytes: refused, or if accepted, queries work */

    survived = 0;
    flips = 0;

    for (i = 0; i < tf_img.size; i += i < 2 * 65536 ? 3 : 977) {
        for (j = 0; j < 2; j++) {
            memcpy(copy, tf_img.data, tf_img.size);
            copy[i] ^= j ? 0x80 : 0x01;
            flips++;

            if (tf_open(&t, copy, tf_img.size) == GLOSSARY_OK) {
                survived++;
                tf_exercise(&t);
            }

            tf_close(&t);
        }
    }

    tf_ok(1, "%zu flipped images opened or refused without a crash (%zu "
          "opened and answered queries: flips in text, scores, categories)",
          flips, survived);
    tf_ok(tf_query_allocs == 0, "no query over them allocated");

    free(copy);
}


/*
 * Opened lazily, the same answers; a list's corrupt blocks, which the full
 * open refuses, fail the queries that read them (and stay refused), and
 * nothing else.
 */

static void
tf_lazy(void)
{
    size_t                        i, c, n, accepted, caught;
    uint32_t                      l, bad, k;
    tf_image_t                    t;
    unsigned char                *copy;
    glossary_status_t             rc;
    glossary_fts_result_t         full;
    const glossary_fts_result_t  *r;

    static const char  *queries[] = {
        "cache", "cache memory ", "\"alpha beta\"", "systolc", "c",
        "alpha -gamma", "acelerater", "needleword", "zebrafish"
    };

    /* the block-level cases of tf_corrupt(): index in its table */
    static void  (*cases[])(unsigned char *, size_t) = {
        tf_c_list_max, tf_c_skip_last, tf_c_skip_off, tf_c_skip_pos,
        tf_c_posting_doc, tf_c_impact_zero, tf_c_position
    };

    rc = tf_open_flags(&t, tf_img.data, tf_img.size, NULL, 0,
                       GLOSSARY_FTS_OPEN_LAZY);
    tf_ok(rc == GLOSSARY_OK && t.fts.lazy && t.lz.verified == 0,
          "opened lazily, no list checked yet (%s)", t.fts.detail);

    n = 0;

    for (i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
        full = *tf_search(&tf_t, queries[i], GLOSSARY_FTS_ANY_CATEGORY, 10);
        r = tf_search(&t, queries[i], GLOSSARY_FTS_ANY_CATEGORY, 10);

        if (tf_rc == 0 && r->nhits == full.nhits
            && memcmp(r->hits, full.hits, r->nhits * sizeof(r->hits[0]))
               == 0)
        {
            n++;
        }
    }

    tf_ok(n == sizeof(queries) / sizeof(queries[0]) && t.lz.verified > 0
          && t.lz.verified < t.fts.list_count && t.lz.corrupt == 0,
          "the same answers as opened in full; %llu of %u lists checked",
          (unsigned long long) t.lz.verified, t.fts.list_count);

    k = (uint32_t) t.lz.verified;
    (void) tf_search(&t, "cache", GLOSSARY_FTS_ANY_CATEGORY, 10);
    tf_ok(t.lz.verified == k, "a list is checked once");
    tf_close(&t);

    copy = malloc(tf_img.size);
    accepted = 0;
    caught = 0;

    for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        memcpy(copy, tf_img.data, tf_img.size);
        cases[c](copy, tf_img.size);

        if (tf_open_flags(&t, copy, tf_img.size, NULL, 0,
                          GLOSSARY_FTS_OPEN_LAZY) != GLOSSARY_OK)
        {
            tf_close(&t);
            continue;
        }

        accepted++;
        bad = 0;

        for (l = 0; l < t.fts.list_count; l++) {
            if (glossary_fts_list_ready(&t.fts, l) != GLOSSARY_OK) {
                bad = l + 1;
                break;
            }
        }

        if (bad && glossary_fts_list_ready(&t.fts, bad - 1) != GLOSSARY_OK
            && t.lz.corrupt == 1 && t.lz.detail[0])
        {
            caught++;
        }

        tf_close(&t);
    }

    tf_ok(accepted >= 5 && caught == accepted, "corrupt blocks: %zu of %zu "
          "cases open lazily, each list found corrupt at first use and "
          "refused again after", accepted,
          sizeof(cases) / sizeof(cases[0]));

    /* a query over a corrupt list fails (-2), the others answer */

    memcpy(copy, tf_img.data, tf_img.size);
    tf_c_posting_doc(copy, tf_img.size);
    rc = tf_open_flags(&t, copy, tf_img.size, NULL, 0, GLOSSARY_FTS_OPEN_LAZY);
    n = 0;
    caught = 0;

    for (i = 0; rc == GLOSSARY_OK && i < 40; i++) {
        r = tf_search(&t, i < 20 ? queries[i % 9] : "a the of",
                      GLOSSARY_FTS_ANY_CATEGORY, 10);
        n += tf_rc == 0;
        caught += tf_rc == -2;
    }

    tf_ok(rc == GLOSSARY_OK && caught > 0 && n > 0 && t.lz.corrupt == 1,
          "with one corrupt list: %zu queries failed (-2), %zu answered",
          caught, n);
    tf_close(&t);
    free(copy);
}


/* the texts outside the image (a blob's STRINGS): the same answers */

static void
tf_external_text(void)
{
    size_t                        i, n, len, tlen, slen;
    uint32_t                      k;
    tf_image_t                    t;
    tf_doc_t                      docs[D_COUNT];
    unsigned char                *text;
    glossary_fts_image_t          img;
    glossary_fts_snippet_t        a, b;
    glossary_fts_result_t         full;
    const glossary_fts_result_t  *r;
    const unsigned char          *p;

    static const char  *queries[] = {
        "cache", "cache memory ", "\"alpha beta\"", "systolc",
        "needleword", "quantisation"
    };

    memcpy(docs, tf_docs, sizeof(docs));
    docs[D_LONG].explanation = tf_long;

    k = (uint32_t) tf_build_text(docs, D_COUNT, GLOSSARY_FTS_BUILD_NO_TEXT,
                                 &img, &text, &tlen);

    tf_ok(k == 0 && img.size + tlen + 8 > tf_img.size
          && img.size < tf_img.size - 14000 && img.text_bytes
             == tf_img.text_bytes,
          "built without its texts: %zu bytes, the texts %zu", img.size,
          tlen);

    tf_ok(tf_open(&t, img.data, img.size) != GLOSSARY_OK,
          "refused without its texts");
    tf_close(&t);

    tf_ok(tf_open_flags(&t, img.data, img.size, text, tlen - 1, 0)
          != GLOSSARY_OK, "refused with its texts one byte short");
    tf_close(&t);

    tf_ok(tf_open_flags(&t, tf_img.data, tf_img.size, text, tlen, 0)
          != GLOSSARY_OK, "an image with its own texts refuses others");
    tf_close(&t);

    tf_ok(tf_open_flags(&t, img.data, img.size, text, tlen, 0)
          == GLOSSARY_OK, "opens with them (%s)", t.fts.detail);

    n = 0;

    for (i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
        full = *tf_search(&tf_t, queries[i], GLOSSARY_FTS_ANY_CATEGORY, 10);
        r = tf_search(&t, queries[i], GLOSSARY_FTS_ANY_CATEGORY, 10);

        if (r->nhits != full.nhits
            || memcmp(r->hits, full.hits, r->nhits * sizeof(r->hits[0])))
        {
            continue;
        }

        for (k = 0; k < r->nhits; k++) {
            glossary_fts_snippet(&t.fts, t.scratch, r, k,
                                 GLOSSARY_FTS_FIELD_AUTO, &a);
            (void) tf_search(&tf_t, queries[i], GLOSSARY_FTS_ANY_CATEGORY,
                             10);
            glossary_fts_snippet(&tf_t.fts, tf_t.scratch, &tf_res, k,
                                 GLOSSARY_FTS_FIELD_AUTO, &b);
            r = tf_search(&t, queries[i], GLOSSARY_FTS_ANY_CATEGORY, 10);

            if (a.len != b.len || memcmp(a.text, b.text, a.len)
                || a.nmarks != b.nmarks
                || memcmp(a.marks, b.marks, a.nmarks * sizeof(a.marks[0])))
            {
                break;
            }
        }

        n += k == r->nhits;
    }

    p = glossary_fts_field(&t.fts, D_QUANT, GLOSSARY_FTS_FIELD_ALIAS, &len);
    slen = strlen("Model Compression\nQuantisation");

    tf_ok(n == sizeof(queries) / sizeof(queries[0]) && len == slen
          && memcmp(p, "Model Compression\nQuantisation", slen) == 0,
          "the same hits and snippets as the image with its texts");

    tf_close(&t);
    free(text);
    glossary_fts_image_free(&img);
}


/* a phrase does not run from one field into the next */

static void
tf_phrase_fields(void)
{
    tf_image_t                    t;
    tf_doc_t                      docs[2];
    glossary_fts_image_t          img;
    const glossary_fts_result_t  *r;
    int                           ok;

    memset(docs, 0, sizeof(docs));
    docs[0].name = "Alpha Beta";
    docs[0].slug = "alpha-beta";
    docs[0].short_definition = "Alpha beta gamma, in that order.";
    docs[0].explanation = "";
    docs[0].category = GLOSSARY_FTS_NO_CATEGORY;
    docs[1].name = "Beta Alpha";            /* "alpha" ends the name, */
    docs[1].slug = "beta-alpha";            /* "beta" starts the slug */
    docs[1].short_definition = "Beta alpha gamma, the other way round.";
    docs[1].explanation = "";
    docs[1].category = GLOSSARY_FTS_NO_CATEGORY;

    ok = tf_build_docs(docs, 2, &img) == 0
         && tf_open(&t, img.data, img.size) == GLOSSARY_OK;
    r = tf_search(&t, "\"alpha beta\"", GLOSSARY_FTS_ANY_CATEGORY, 10);
    ok = ok && r->nhits == 1 && r->hits[0].doc == 0;
    r = tf_search(&t, "\"beta alpha\"", GLOSSARY_FTS_ANY_CATEGORY, 10);
    ok = ok && r->nhits == 1 && r->hits[0].doc == 1;

    tf_ok(ok, "a phrase is within one field, not across two (\"Beta Alpha\" "
          "then \"beta-alpha\" has no \"alpha beta\")");

    tf_close(&t);
    glossary_fts_image_free(&img);
}


/* a snippet of a field that is one long token stays bounded */

static void
tf_long_token(void)
{
    int                           ok;
    char                         *tok;
    tf_image_t                    t;
    tf_doc_t                      docs[2];
    glossary_fts_image_t          img;
    glossary_fts_snippet_t        sn;
    const glossary_fts_result_t  *r;

    tok = malloc(20001);
    memset(tok, 'x', 20000);
    memcpy(tok, "\xc3\xa9", 2);
    memcpy(tok + 10000, "needle", 6);
    memcpy(tok + 359, "\xc3\xa9", 2);
    tok[20000] = '\0';

    memset(docs, 0, sizeof(docs));
    docs[0].name = "Long";
    docs[0].slug = "long";
    docs[0].short_definition = "";
    docs[0].explanation = tok;
    docs[0].category = GLOSSARY_FTS_NO_CATEGORY;
    docs[1].name = "Short";
    docs[1].slug = "short";
    docs[1].short_definition = "Long enough.";
    docs[1].explanation = "";
    docs[1].category = GLOSSARY_FTS_NO_CATEGORY;

    ok = tf_build_docs(docs, 2, &img) == 0
         && tf_open(&t, img.data, img.size) == GLOSSARY_OK;
    r = tf_search(&t, "long", GLOSSARY_FTS_ANY_CATEGORY, 10);
    ok = ok && r->nhits == 2 && r->hits[0].doc == 0
         && glossary_fts_snippet(&t.fts, t.scratch, r, 0,
                                 GLOSSARY_FTS_FIELD_EXPLANATION, &sn) == 0
         && sn.len <= GLOSSARY_FTS_SNIPPET_MAX && sn.len >= 300
         && sn.cut_after && (sn.text[sn.len] & 0xc0) != 0x80;

    tf_ok(ok, "a field of one 20,000-byte token: its snippet %zu bytes, "
          "cut before a character", sn.len);

    tf_close(&t);
    glossary_fts_image_free(&img);
    free(tok);
}


static void
tf_empty(void)
{
    glossary_fts_image_t  img;
    tf_image_t            t;
    const glossary_fts_result_t  *r;

    tf_ok(glossary_fts_build(NULL, 0, &img) == 0
          && tf_open(&t, img.data, img.size) == GLOSSARY_OK,
          "an image of no documents builds and opens");
    r = tf_search(&t, "anything", GLOSSARY_FTS_ANY_CATEGORY, 10);
    tf_ok(r->nhits == 0, "and answers nothing");
    tf_write_corpus("empty.fts", img.data, img.size);
    tf_close(&t);
    glossary_fts_image_free(&img);
}


int
main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--write-corpus") == 0) {
        tf_corpus_dir = argv[2];

    } else if (argc != 1) {
        fprintf(stderr, "usage: %s [--write-corpus DIR]\n", argv[0]);
        return 2;
    }

    tf_words();
    tf_stems();
    tf_build();
    tf_features();
    tf_snippets();
    tf_bounds();
    tf_hostile();
    tf_corrupt();
    tf_lazy();
    tf_external_text();
    tf_long_token();
    tf_phrase_fields();
    tf_empty();

    tf_close(&tf_t);
    glossary_fts_image_free(&tf_img);

    printf("1..%u\n", tf_count);

    if (tf_failed) {
        tf_diag("%u of %u checks failed", tf_failed, tf_count);
    }

    return tf_failed ? 1 : 0;
}
