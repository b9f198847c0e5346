/*
 * fts_tool: the search engine from the command line, over glossary data
 * read by glossaryc's own reader (src/compiler/glossary_input.c).  For the
 * relevance check and the speed harness, and to try queries by hand.
 *
 *   fts_tool build  [-o IMAGE] INPUT...        build (and time) an image
 *   fts_tool query  [-c CAT] [-l N] [-s] INPUT|IMAGE QUERY...
 *   fts_tool batch  [-l N] INPUT|IMAGE < QUERIES   one line out per query:
 *                  the hits' slugs, tab-separated
 *   fts_tool time   [-r RUNS] [-l N] [-s] INPUT|IMAGE < QUERIES
 *                  engine time per query: p50, p99, max (microseconds),
 *                  median of RUNS passes over the queries (-s: with
 *                  every hit's snippet, as the search route writes them)
 *   fts_tool dump   INPUT...                    the documents as JSON Lines
 *                  (slug, name, short, faq, explanation, category)
 *
 * Documents are numbered by slug, bytewise, as the blob numbers terms.  An
 * argument ending in ".fts" is an image written by "build -o".
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "glossary_fold.h"
#include "glossary_fts.h"
#include "glossary_fts_build.h"
#include "glossary_input.h"


typedef struct {
    glossary_model_t       model;
    glossary_entry_t     **sorted;
    uint32_t               n;
    char                 **categories;
    uint32_t               ncategories;
    unsigned char         *image;
    size_t                 size;
    glossary_fts_t         fts;
    void                  *scratch;
    size_t                 scratch_size;
} ft_t;


static double
ft_cpu(void)
{
    struct timespec  ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);

    return ts.tv_sec + ts.tv_nsec / 1e9;
}


static double
ft_now(void)
{
    struct timespec  ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);

    return ts.tv_sec + ts.tv_nsec / 1e9;
}


static int
ft_entry_cmp(const void *a, const void *b)
{
    const glossary_entry_t  *x, *y;

    x = *(glossary_entry_t * const *) a;
    y = *(glossary_entry_t * const *) b;

    return glossary_text_cmp(&x->slug, &y->slug);
}


static int
ft_str_cmp(const void *a, const void *b)
{
    return strcmp(*(char * const *) a, *(char * const *) b);
}


static uint32_t
ft_category(ft_t *t, const char *name)
{
    uint32_t  lo, hi, mid;
    int       c;

    lo = 0;
    hi = t->ncategories;

    while (lo < hi) {
        mid = lo + (hi - lo) / 2;
        c = strcmp(t->categories[mid], name);

        if (c == 0) {
            return mid;
        }

        if (c < 0) {
            lo = mid + 1;

        } else {
            hi = mid;
        }
    }

    return GLOSSARY_FTS_NO_CATEGORY;
}


static int
ft_load_model(ft_t *t, char **inputs, int ninputs)
{
    int       i;
    uint32_t  k, j;

    glossary_model_init(&t->model);

    for (i = 0; i < ninputs; i++) {
        if (glossary_input_read(&t->model, inputs[i]) != GLOSSARY_EXIT_OK) {
            return -1;
        }
    }

    t->sorted = malloc((t->model.nentries + 1) * sizeof(glossary_entry_t *));
    t->categories = malloc((t->model.nentries + 1) * sizeof(char *));

    for (k = 0; k < t->model.nentries; k++) {
        t->sorted[k] = &t->model.entries[k];
    }

    qsort(t->sorted, t->model.nentries, sizeof(glossary_entry_t *),
          ft_entry_cmp);

    /* one document per slug: the first */

    t->n = 0;

    for (k = 0; k < t->model.nentries; k++) {
        if (t->n && glossary_text_cmp(&t->sorted[t->n - 1]->slug,
                                      &t->sorted[k]->slug) == 0)
        {
            continue;
        }

        t->sorted[t->n++] = t->sorted[k];
    }

    t->ncategories = 0;

    for (k = 0; k < t->n; k++) {
        if (t->sorted[k]->category.data != NULL
            && t->sorted[k]->category.len)
        {
            t->categories[t->ncategories++] =
                strndup(t->sorted[k]->category.data,
                        t->sorted[k]->category.len);
        }
    }

    qsort(t->categories, t->ncategories, sizeof(char *), ft_str_cmp);

    for (k = 0, j = 0; k < t->ncategories; k++) {
        if (j && strcmp(t->categories[j - 1], t->categories[k]) == 0) {
            free(t->categories[k]);
            continue;
        }

        t->categories[j++] = t->categories[k];
    }

    t->ncategories = j;

    return 0;
}


static int
ft_build(ft_t *t, int verbose)
{
    char                   cat[256];
    double                 t0, t1, c0, c1;
    uint32_t               k, f, nf;
    glossary_entry_t      *e;
    glossary_fts_str_t    *faq;
    glossary_fts_input_t  *docs;
    glossary_fts_image_t   img;

    docs = calloc(t->n + 1, sizeof(glossary_fts_input_t));
    nf = 0;

    for (k = 0; k < t->n; k++) {
        nf += t->sorted[k]->nfaq * 2;
    }

    faq = calloc(nf + 1, sizeof(glossary_fts_str_t));
    nf = 0;

    for (k = 0; k < t->n; k++) {
        e = t->sorted[k];
        docs[k].name.data = e->term.data;
        docs[k].name.len = e->term.data ? e->term.len : 0;
        docs[k].slug.data = e->slug.data;
        docs[k].slug.len = e->slug.len;
        docs[k].short_definition.data = e->short_definition.data;
        docs[k].short_definition.len = e->short_definition.data
                                       ? e->short_definition.len : 0;
        docs[k].explanation.data = e->explanation.data;
        docs[k].explanation.len = e->explanation.data
                                  ? e->explanation.len : 0;
        docs[k].faq = faq + nf;
        docs[k].nfaq = e->nfaq * 2;

        for (f = 0; f < e->nfaq; f++) {
            faq[nf].data = e->faq[f].question.data;
            faq[nf++].len = e->faq[f].question.data
                            ? e->faq[f].question.len : 0;
            faq[nf].data = e->faq[f].answer.data;
            faq[nf++].len = e->faq[f].answer.data
                            ? e->faq[f].answer.len : 0;
        }

        docs[k].category = GLOSSARY_FTS_NO_CATEGORY;

        if (e->category.data && e->category.len
            && e->category.len < sizeof(cat))
        {
            memcpy(cat, e->category.data, e->category.len);
            cat[e->category.len] = '\0';
            docs[k].category = ft_category(t, cat);
        }
    }

    t0 = ft_now();
    c0 = ft_cpu();

    if (glossary_fts_build(docs, t->n, &img) != 0) {
        fprintf(stderr, "fts_tool: build: %s\n", img.error);
        return -1;
    }

    t1 = ft_now();
    c1 = ft_cpu();

    if (verbose) {
        printf("build_cpu_seconds %.3f\n", c1 - c0);
        printf("documents %u\nbuild_seconds %.3f\nimage_bytes %zu\n"
               "index_bytes %llu\ntext_bytes %llu\nratio %.3f\nkeys %u\n"
               "lists %u\npostings %llu\nposition_bytes %llu\n",
               t->n, t1 - t0, img.size,
               (unsigned long long) img.index_bytes,
               (unsigned long long) img.text_bytes,
               img.text_bytes ? (double) img.index_bytes / img.text_bytes : 0,
               img.keys, img.lists, (unsigned long long) img.postings,
               (unsigned long long) img.positions);
    }

    t->image = img.data;
    t->size = img.size;

    free(docs);
    free(faq);

    return 0;
}


static int
ft_open(ft_t *t, const char *path, int verbose)
{
    FILE               *fp;
    long                size;
    double              t0;
    glossary_status_t   rc;
    size_t              len;
    char               *argv[1];

    len = strlen(path);

    if (len > 4 && strcmp(path + len - 4, ".fts") == 0) {
        fp = fopen(path, "rb");

        if (fp == NULL) {
            fprintf(stderr, "fts_tool: %s: %s\n", path, strerror(errno));
            return -1;
        }

        fseek(fp, 0, SEEK_END);
        size = ftell(fp);
        fseek(fp, 0, SEEK_SET);
        t->image = aligned_alloc(8, ((size_t) size + 7) & ~(size_t) 7);
        t->size = (size_t) size;

        if (fread(t->image, 1, t->size, fp) != t->size) {
            fprintf(stderr, "fts_tool: %s: short read\n", path);
            return -1;
        }

        fclose(fp);

    } else {
        argv[0] = (char *) path;

        if (ft_load_model(t, argv, 1) != 0 || ft_build(t, verbose) != 0) {
            return -1;
        }
    }

    t0 = ft_cpu();
    rc = glossary_fts_open(&t->fts, t->image, t->size);

    if (rc != GLOSSARY_OK) {
        fprintf(stderr, "fts_tool: %s: %s: %s\n", path,
                glossary_blob_strerror(rc), t->fts.detail);
        return -1;
    }

    if (verbose) {
        printf("open_cpu_seconds %.3f\n", ft_cpu() - t0);

        /* what verify=lazy checks at load: all but the lists' blocks */
        t0 = ft_cpu();
        rc = glossary_fts_open_flags(&t->fts, t->image, t->size, NULL, 0,
                                     GLOSSARY_FTS_OPEN_LAZY);
        printf("open_lazy_cpu_seconds %.3f\n", ft_cpu() - t0);

        if (rc != GLOSSARY_OK
            || glossary_fts_open(&t->fts, t->image, t->size) != GLOSSARY_OK)
        {
            return -1;
        }
    }

    t->scratch_size = glossary_fts_scratch_size(&t->fts);
    t->scratch = aligned_alloc(64, t->scratch_size);

    return 0;
}


static void
ft_slug(ft_t *t, uint32_t doc, FILE *out)
{
    size_t                len;
    const unsigned char  *p;

    p = glossary_fts_field(&t->fts, doc, GLOSSARY_FTS_FIELD_SLUG, &len);
    fwrite(p, 1, len, out);
}


static void
ft_print_snippet(const glossary_fts_snippet_t *sn)
{
    size_t    at;
    uint32_t  m;

    printf("    [%u] %s", sn->field, sn->cut_before ? "..." : "");
    at = 0;

    for (m = 0; m < sn->nmarks; m++) {
        fwrite(sn->text + at, 1, sn->marks[m].from - at, stdout);
        printf("<<");
        fwrite(sn->text + sn->marks[m].from, 1, sn->marks[m].len, stdout);
        printf(">>");
        at = sn->marks[m].from + sn->marks[m].len;
    }

    fwrite(sn->text + at, 1, sn->len - at, stdout);
    printf("%s\n", sn->cut_after ? "..." : "");
}


static int
ft_query(ft_t *t, const char *text, uint32_t category, uint32_t limit,
    int snippets)
{
    uint32_t                i;
    glossary_fts_query_t    q;
    glossary_fts_result_t   res;
    glossary_fts_snippet_t sn;

    q.text = (const unsigned char *) text;
    q.len = strlen(text);
    q.category = category;
    q.limit = limit;
    q.flags = 0;

    if (glossary_fts_search(&t->fts, t->scratch, t->scratch_size, &q, &res)
        != 0)
    {
        fprintf(stderr, "fts_tool: search failed\n");
        return -1;
    }

    printf("query \"%s\": %u hits (total %u), words %u, flags 0x%x, "
           "postings %u, walk %u, expansions %u, subsets %u\n", text,
           res.nhits, res.total, res.words, res.flags, res.postings,
           res.walk, res.expansions, res.subsets);

    if (res.suggestion) {
        printf("  did you mean: %.*s\n", (int) res.suggestion_len,
               res.suggestion);
    }

    for (i = 0; i < res.nhits; i++) {
        printf("  %2u. ", i + 1);
        ft_slug(t, res.hits[i].doc, stdout);
        printf("  rank %016llx score %u typos %u words %u flags %u\n",
               (unsigned long long) res.hits[i].rank, res.hits[i].score,
               res.hits[i].typos, res.hits[i].words, res.hits[i].flags);

        if (snippets
            && glossary_fts_snippet(&t->fts, t->scratch, &res, i,
                                    GLOSSARY_FTS_FIELD_AUTO, &sn) == 0)
        {
            ft_print_snippet(&sn);
        }
    }

    return 0;
}


static void
ft_json(const char *key, const glossary_text_t *t, int comma)
{
    size_t          i;
    unsigned char   c;

    printf("%s", comma ? "," : "");

    if (key != NULL) {
        printf("\"%s\":", key);
    }

    putchar('"');

    for (i = 0; t->data != NULL && i < t->len; i++) {
        c = (unsigned char) t->data[i];

        if (c == '"' || c == '\\') {
            printf("\\%c", c);

        } else if (c < 0x20) {
            printf("\\u%04x", c);

        } else {
            putchar(c);
        }
    }

    putchar('"');
}


static void
ft_dump(ft_t *t)
{
    uint32_t           k, f;
    glossary_entry_t  *e;

    for (k = 0; k < t->n; k++) {
        e = t->sorted[k];
        putchar('{');
        ft_json("slug", &e->slug, 0);
        ft_json("name", &e->term, 1);
        ft_json("short", &e->short_definition, 1);
        ft_json("explanation", &e->explanation, 1);
        ft_json("category", &e->category, 1);
        printf(",\"faq\":[");

        for (f = 0; f < e->nfaq; f++) {
            ft_json(NULL, &e->faq[f].question, f != 0);
            ft_json(NULL, &e->faq[f].answer, 1);
        }

        printf("]}\n");
    }
}


static int
ft_dbl_cmp(const void *a, const void *b)
{
    double  x, y;

    x = *(const double *) a;
    y = *(const double *) b;

    return x < y ? -1 : x > y;
}


static char **
ft_lines(uint32_t *n)
{
    char    **lines, buf[4096];
    size_t    len;
    uint32_t  cap;

    cap = 1024;
    lines = malloc(cap * sizeof(char *));
    *n = 0;

    while (fgets(buf, sizeof(buf), stdin) != NULL) {
        len = strlen(buf);

        if (len && buf[len - 1] == '\n') {
            buf[--len] = '\0';
        }

        if (*n == cap) {
            cap *= 2;
            lines = realloc(lines, cap * sizeof(char *));
        }

        lines[(*n)++] = strdup(buf);
    }

    return lines;
}


/*
 * a query line may carry a category: "QUERY\tCATEGORY"
 */

static void
ft_split(ft_t *t, char *line, uint32_t *category)
{
    char  *tab;

    *category = GLOSSARY_FTS_ANY_CATEGORY;
    tab = strchr(line, '\t');

    if (tab != NULL) {
        *tab = '\0';
        *category = ft_category(t, tab + 1);
    }
}


/* everything of a run, for the leak checkers */

static void
ft_free(ft_t *t)
{
    uint32_t  i;

    for (i = 0; t->categories != NULL && i < t->ncategories; i++) {
        free(t->categories[i]);
    }

    free(t->categories);
    free(t->sorted);
    free(t->image);
    free(t->scratch);
    glossary_model_free(&t->model);
}


int
main(int argc, char **argv)
{
    int                    c, snippets, runs, r, rc;
    char                 **lines, *cmd, *out, *catarg;
    double                *times, t0, *p50, *p99, *pmax, sum;
    uint32_t               category, limit, n, i, k, *cats;
    FILE                  *fp;
    glossary_fts_query_t   q;
    glossary_fts_result_t  res;
    glossary_fts_snippet_t sn;
    ft_t                   t;

    if (argc < 2) {
        fprintf(stderr, "usage: fts_tool build|query|batch|time ...\n");
        return 2;
    }

    memset(&t, 0, sizeof(t));
    lines = NULL;
    catarg = NULL;
    cats = NULL;
    times = NULL;
    p50 = NULL;
    p99 = NULL;
    pmax = NULL;
    n = 0;
    rc = 0;
    cmd = argv[1];
    argc--;
    argv++;
    category = GLOSSARY_FTS_ANY_CATEGORY;
    limit = 10;
    snippets = 0;
    runs = 5;
    out = NULL;
    optind = 1;

    while ((c = getopt(argc, argv, "+c:l:so:r:")) != -1) {
        switch (c) {
        case 'c':
            catarg = optarg;
            break;
        case 'l':
            limit = (uint32_t) atoi(optarg);
            break;
        case 's':
            snippets = 1;
            break;
        case 'o':
            out = optarg;
            break;
        case 'r':
            runs = atoi(optarg);
            break;
        default:
            return 2;
        }
    }

    if (strcmp(cmd, "dump") == 0) {
        if (optind >= argc
            || ft_load_model(&t, argv + optind, argc - optind) != 0)
        {
            rc = 1;
            goto done;
        }

        ft_dump(&t);

        rc = 0;
        goto done;
    }

    if (strcmp(cmd, "build") == 0) {
        if (optind >= argc
            || ft_load_model(&t, argv + optind, argc - optind) != 0
            || ft_build(&t, 1) != 0)
        {
            rc = 1;
            goto done;
        }

        t0 = ft_cpu();

        if (glossary_fts_open(&t.fts, t.image, t.size) != GLOSSARY_OK) {
            fprintf(stderr, "fts_tool: the image does not open: %s\n",
                    t.fts.detail);
            rc = 1;
            goto done;
        }

        printf("open_cpu_seconds %.3f\n", ft_cpu() - t0);

        /* what verify=lazy checks at load: all but the lists' blocks */
        t0 = ft_cpu();
        (void) glossary_fts_open_flags(&t.fts, t.image, t.size, NULL, 0,
                                       GLOSSARY_FTS_OPEN_LAZY);
        printf("open_lazy_cpu_seconds %.3f\n", ft_cpu() - t0);

        if (out != NULL) {
            fp = fopen(out, "wb");

            if (fp == NULL || fwrite(t.image, 1, t.size, fp) != t.size
                || fclose(fp) != 0)
            {
                fprintf(stderr, "fts_tool: %s: %s\n", out, strerror(errno));
                rc = 1;
                goto done;
            }
        }

        rc = 0;
        goto done;
    }

    if (optind >= argc) {
        rc = 2;
        goto done;
    }

    if (ft_open(&t, argv[optind], strcmp(cmd, "query") == 0) != 0) {
        rc = 1;
        goto done;
    }

    if (catarg != NULL) {
        category = ft_category(&t, catarg);
    }

    if (strcmp(cmd, "query") == 0) {
        for (i = optind + 1; i < (uint32_t) argc; i++) {
            ft_query(&t, argv[i], category, limit, snippets);
        }

        rc = 0;
        goto done;
    }

    lines = ft_lines(&n);
    cats = malloc((n + 1) * sizeof(uint32_t));

    for (i = 0; i < n; i++) {
        ft_split(&t, lines[i], &cats[i]);
    }

    if (strcmp(cmd, "batch") == 0) {
        for (i = 0; i < n; i++) {
            q.text = (const unsigned char *) lines[i];
            q.len = strlen(lines[i]);
            q.category = cats[i];
            q.limit = limit;
            q.flags = 0;

            glossary_fts_search(&t.fts, t.scratch, t.scratch_size, &q, &res);

            for (k = 0; k < res.nhits; k++) {
                if (k) {
                    putchar('\t');
                }

                ft_slug(&t, res.hits[k].doc, stdout);
            }

            putchar('\n');
        }

        rc = 0;
        goto done;
    }

    if (strcmp(cmd, "time") == 0) {
        times = malloc((n + 1) * sizeof(double));
        p50 = malloc(runs * sizeof(double));
        p99 = malloc(runs * sizeof(double));
        pmax = malloc(runs * sizeof(double));

        for (r = 0; r < runs; r++) {
            sum = 0;

            for (i = 0; i < n; i++) {
                q.text = (const unsigned char *) lines[i];
                q.len = strlen(lines[i]);
                q.category = cats[i];
                q.limit = limit;
                q.flags = 0;

                t0 = ft_now();
                glossary_fts_search(&t.fts, t.scratch, t.scratch_size, &q,
                                    &res);

                /* -s: and every hit's snippet, as the module writes them */
                for (k = 0; snippets && k < res.nhits; k++) {
                    (void) glossary_fts_snippet(&t.fts, t.scratch, &res, k,
                                                GLOSSARY_FTS_FIELD_AUTO,
                                                &sn);
                }

                times[i] = (ft_now() - t0) * 1e6;
                sum += times[i];
            }

            qsort(times, n, sizeof(double), ft_dbl_cmp);
            p50[r] = times[n / 2];
            p99[r] = times[(size_t) (n * 0.99)];
            pmax[r] = times[n - 1];
            printf("run %d: p50 %.2f us, p99 %.2f us, max %.2f us, "
                   "mean %.2f us\n", r + 1, p50[r], p99[r], pmax[r],
                   sum / n);
        }

        qsort(p50, runs, sizeof(double), ft_dbl_cmp);
        qsort(p99, runs, sizeof(double), ft_dbl_cmp);
        qsort(pmax, runs, sizeof(double), ft_dbl_cmp);
        printf("median of %d runs over %u queries: p50 %.2f us "
               "(%.2f-%.2f), p99 %.2f us (%.2f-%.2f), max %.2f us\n",
               runs, n, p50[runs / 2], p50[0], p50[runs - 1], p99[runs / 2],
               p99[0], p99[runs - 1], pmax[runs / 2]);

        rc = 0;
        goto done;
    }

    fprintf(stderr, "fts_tool: unknown command %s\n", cmd);
    rc = 2;

done:

    for (i = 0; lines != NULL && i < n; i++) {
        free(lines[i]);
    }

    free(lines);
    free(cats);
    free(times);
    free(p50);
    free(p99);
    free(pmax);
    ft_free(&t);

    return rc;
}
