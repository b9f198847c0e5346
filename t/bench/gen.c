/*
 * gen: a synthetic glossary for the benchmark, as JSON Lines.
 *
 *     gen -n TERMS [-s SEED] [-v VARIANT] [-o FILE | -d DIR [-k PER_FILE]]
 *
 * With -d, the terms are split into DIR/part-NNNNN.jsonl of PER_FILE terms
 * each (default 20000), as a large site's data would be.
 * Every term has the fields of the seed term in data/ with lengths drawn
 * around the seed's: slug and term ~27 bytes, shortDefinition ~170,
 * seoTitle ~70, seoDescription ~120, explanation ~2.9 kB in 5-9
 * paragraphs, 1-3 FAQ entries of ~50 + ~600 bytes, 2-5 related terms.
 * Categories follow a skewed distribution over 24 names; 80% of related
 * links point to a term of the same category, the rest to slugs that are
 * not in the glossary (as the seed's "cuda", "tpu" are).  Output depends
 * only on the arguments.  VARIANT changes the texts, not the slugs, so
 * that a reload can be told apart.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


#define GEN_MAX_TEXT  16384


static const char *gen_words[] = {
    "model", "inference", "training", "latency", "throughput", "token",
    "embedding", "vector", "cache", "memory", "bandwidth", "kernel",
    "tensor", "gradient", "batch", "pipeline", "scheduler", "compiler",
    "accelerator", "cluster", "network", "dataset", "label", "feature",
    "attention", "transformer", "layer", "weight", "activation", "loss",
    "optimizer", "checkpoint", "quantization", "pruning", "distillation",
    "retrieval", "index", "query", "prompt", "context", "window", "agent",
    "evaluation", "benchmark", "metric", "precision", "recall", "drift",
    "deployment", "serving", "endpoint", "gateway", "router", "shard",
    "replica", "queue", "stream", "buffer", "sensor", "signal", "policy",
    "reward", "simulation", "workflow", "governance", "audit", "risk",
    "privacy", "safety", "alignment", "bias", "fairness", "monitoring",
    "observability", "trace", "log", "schema", "graph", "node", "edge",
    "partition", "consensus", "protocol", "storage", "compression",
    "encoding", "decoder", "encoder", "sampling", "temperature", "beam",
    "search", "ranking", "filter", "classifier", "regression", "cluster",
    "anomaly", "forecast", "hardware", "software", "silicon", "chip",
    "wafer", "interconnect", "fabric", "throughput", "efficiency", "power"
};

static const char *gen_fillers[] = {
    "the", "a", "of", "and", "to", "in", "for", "with", "that", "is",
    "on", "how", "which", "when", "teams", "systems", "practice",
    "approach", "design", "quality", "performance", "trade-offs",
    "production", "real", "traffic", "users", "operators", "cost",
    "scale", "reliability", "across", "between", "without", "before",
    "after", "because", "often", "usually", "better", "faster", "safer"
};

static const char *gen_categories[] = {
    "hardware", "models", "training", "inference", "data", "evaluation",
    "safety", "governance", "infrastructure", "retrieval", "agents",
    "vision", "speech", "robotics", "security", "privacy", "analytics",
    "mlops", "research", "business", "ethics", "math", "networking",
    "storage"
};

#define GEN_NWORDS    (sizeof(gen_words) / sizeof(gen_words[0]))
#define GEN_NFILLERS  (sizeof(gen_fillers) / sizeof(gen_fillers[0]))
#define GEN_NCATS     (sizeof(gen_categories) / sizeof(gen_categories[0]))


typedef struct {
    uint64_t  s;
} gen_rng_t;

typedef struct {
    char      buf[GEN_MAX_TEXT];
    size_t    len;
} gen_text_t;


static uint64_t  gen_seed;
static unsigned  gen_variant;
static uint32_t  gen_count;
static uint32_t *gen_by_cat[GEN_NCATS];
static uint32_t  gen_cat_n[GEN_NCATS];


static uint64_t
gen_next(gen_rng_t *r)
{
    uint64_t  z;

    /* splitmix64 */
    z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}


static uint32_t
gen_below(gen_rng_t *r, uint32_t n)
{
    return (uint32_t) (gen_next(r) % n);
}


static void
gen_rng_init(gen_rng_t *r, uint64_t a, uint64_t b)
{
    r->s = gen_seed * 0x100000001b3ull ^ a * 0x9e3779b97f4a7c15ull ^ b;
    (void) gen_next(r);
}


/* skewed: a few categories hold most terms, as in real glossaries */
static uint32_t
gen_category(uint32_t id)
{
    gen_rng_t  r;
    uint32_t   a, b;

    gen_rng_init(&r, id, 1);
    a = gen_below(&r, GEN_NCATS);
    b = gen_below(&r, GEN_NCATS);
    return a < b ? a : b;
}


static void
gen_put(gen_text_t *t, const char *s, size_t n)
{
    if (t->len + n < sizeof(t->buf)) {
        memcpy(t->buf + t->len, s, n);
        t->len += n;
    }
}


static void
gen_puts(gen_text_t *t, const char *s)
{
    gen_put(t, s, strlen(s));
}


/* display name and slug of term id: 2-3 words and a unique base-36 tag */
static void
gen_name(uint32_t id, gen_text_t *name, gen_text_t *slug)
{
    char        tag[16], *p;
    uint32_t    i, n, v;
    gen_rng_t   r;
    const char *w;

    gen_rng_init(&r, id, 2);
    name->len = 0;
    slug->len = 0;
    n = 2 + gen_below(&r, 2);

    for (i = 0; i < n; i++) {
        w = gen_words[gen_below(&r, GEN_NWORDS)];

        if (i) {
            gen_put(name, " ", 1);
            gen_put(slug, "-", 1);
        }

        gen_puts(slug, w);
        gen_put(name, w, strlen(w));
        name->buf[name->len - strlen(w)] -= 'a' - 'A';
    }

    p = tag + sizeof(tag);
    v = id;

    do {
        *--p = "0123456789abcdefghijklmnopqrstuvwxyz"[v % 36];
        v /= 36;
    } while (v);

    gen_put(slug, "-", 1);
    gen_put(slug, p, tag + sizeof(tag) - p);
    gen_put(name, " ", 1);

    for (; p < tag + sizeof(tag); p++) {
        gen_put(name, p, 1);
        if (*p >= 'a' && *p <= 'z') {
            name->buf[name->len - 1] -= 'a' - 'A';
        }
    }
}


/* sentences of words until about len bytes, ending with a period */
static void
gen_sentences(gen_rng_t *r, gen_text_t *t, size_t len, const char *topic,
    int cap)
{
    size_t      start, words;
    uint32_t    k;
    const char *w;

    start = t->len;
    words = 0;

    while (t->len - start < len) {
        k = gen_below(r, 100);

        if (words == 0 && k < 30) {
            w = topic;

        } else if (k < 45) {
            w = gen_words[gen_below(r, GEN_NWORDS)];

        } else {
            w = gen_fillers[gen_below(r, GEN_NFILLERS)];
        }

        if (words) {
            gen_put(t, " ", 1);
        }

        gen_puts(t, w);

        if (words == 0 && cap && t->buf[t->len - strlen(w)] >= 'a') {
            t->buf[t->len - strlen(w)] -= 'a' - 'A';
        }

        words++;

        k = gen_below(r, 100);

        if (words > 4 && k < 8) {
            gen_puts(t, k < 2 ? " \xe2\x80\x94 \\\"in practice\\\"." : ".");
            gen_put(t, " ", 1);
            words = 0;
            cap = 1;

        } else if (words > 3 && k < 14) {
            gen_put(t, ",", 1);
        }
    }

    while (t->len && (t->buf[t->len - 1] == ' ' || t->buf[t->len - 1] == ',')) {
        t->len--;
    }

    if (t->len && t->buf[t->len - 1] != '.') {
        gen_put(t, ".", 1);
    }
}


static uint32_t
gen_around(gen_rng_t *r, uint32_t mean)
{
    /* mean +- 25% */
    return mean - mean / 4 + gen_below(r, mean / 2 + 1);
}


static void
gen_field(FILE *out, const char *key, gen_text_t *t, int comma)
{
    fprintf(out, "%s\"%s\":\"", comma ? "," : "", key);
    fwrite(t->buf, 1, t->len, out);
    fputc('"', out);
}


static void
gen_term(FILE *out, uint32_t id)
{
    uint32_t    i, n, cat, target;
    gen_rng_t   r;
    gen_text_t  name, slug, t, tname, tslug;
    const char *pre;

    gen_rng_init(&r, id, 3 + gen_variant * 1000);
    gen_name(id, &name, &slug);
    cat = gen_category(id);
    pre = gen_variant ? "Revised: " : "";

    name.buf[name.len] = '\0';

    fputc('{', out);
    gen_field(out, "slug", &slug, 0);
    gen_field(out, "term", &name, 1);

    t.len = 0;
    gen_puts(&t, pre);
    gen_puts(&t, name.buf);
    gen_puts(&t, " is ");
    gen_sentences(&r, &t, gen_around(&r, 150), "the", 0);
    gen_field(out, "shortDefinition", &t, 1);

    t.len = 0;
    gen_puts(&t, "What is ");
    gen_puts(&t, name.buf);
    gen_puts(&t, "? Definition & Guide - Glossary");
    gen_field(out, "seoTitle", &t, 1);

    t.len = 0;
    gen_puts(&t, "Learn what ");
    gen_puts(&t, name.buf);
    gen_puts(&t, " means, ");
    gen_sentences(&r, &t, gen_around(&r, 80), "how", 0);
    gen_field(out, "seoDescription", &t, 1);

    t.len = 0;
    gen_puts(&t, pre);
    n = 5 + gen_below(&r, 5);

    for (i = 0; i < n; i++) {
        if (i) {
            gen_puts(&t, "\\n\\n");
        }
        gen_sentences(&r, &t, gen_around(&r, 2900 / n), name.buf, 1);
    }

    gen_field(out, "explanation", &t, 1);

    t.len = 0;
    gen_puts(&t, gen_categories[cat]);
    gen_field(out, "category", &t, 1);

    fputs(",\"relatedTerms\":[", out);
    n = 2 + gen_below(&r, 4);

    for (i = 0; i < n; i++) {
        if (gen_below(&r, 100) < 80 && gen_cat_n[cat] > 1) {
            do {
                target = gen_by_cat[cat][gen_below(&r, gen_cat_n[cat])];
            } while (target == id);

            gen_name(target, &tname, &tslug);

        } else {
            tslug.len = 0;
            gen_puts(&tslug, gen_words[gen_below(&r, GEN_NWORDS)]);
            tname = tslug;
            tname.buf[0] -= 'a' - 'A';
        }

        fprintf(out, "%s{", i ? "," : "");
        gen_field(out, "slug", &tslug, 0);
        gen_field(out, "name", &tname, 1);
        fputc('}', out);
    }

    fputs("],\"faq\":[", out);
    n = 1 + gen_below(&r, 3);

    for (i = 0; i < n; i++) {
        fprintf(out, "%s{", i ? "," : "");
        t.len = 0;
        gen_puts(&t, "How does ");
        gen_puts(&t, name.buf);
        gen_puts(&t, " ");
        gen_sentences(&r, &t, gen_around(&r, 30), "work", 0);
        t.buf[t.len - 1] = '?';
        gen_field(out, "question", &t, 0);
        t.len = 0;
        gen_sentences(&r, &t, gen_around(&r, 620), name.buf, 1);
        gen_field(out, "answer", &t, 1);
        fputc('}', out);
    }

    fputs("]}\n", out);
}


int
main(int argc, char **argv)
{
    int         c;
    char        name[4096];
    FILE       *out;
    uint32_t    i, cat, per;
    const char *path, *dir;

    gen_seed = 1;
    path = NULL;
    dir = NULL;
    per = 20000;

    while ((c = getopt(argc, argv, "n:s:v:o:d:k:")) != -1) {
        switch (c) {
        case 'n':
            gen_count = (uint32_t) strtoul(optarg, NULL, 10);
            break;
        case 's':
            gen_seed = strtoull(optarg, NULL, 10);
            break;
        case 'v':
            gen_variant = (unsigned) strtoul(optarg, NULL, 10);
            break;
        case 'o':
            path = optarg;
            break;
        case 'd':
            dir = optarg;
            break;
        case 'k':
            per = (uint32_t) strtoul(optarg, NULL, 10);
            break;
        default:
            fprintf(stderr, "usage: gen -n TERMS [-s SEED] [-v VARIANT]"
                            " [-o FILE | -d DIR [-k PER_FILE]]\n");
            return 2;
        }
    }

    if (gen_count == 0 || gen_count > 20000000 || per == 0) {
        fprintf(stderr, "gen: -n must be 1 to 20000000\n");
        return 2;
    }

    for (i = 0; i < GEN_NCATS; i++) {
        gen_by_cat[i] = malloc(sizeof(uint32_t) * gen_count);
        if (gen_by_cat[i] == NULL) {
            perror("gen: malloc");
            return 1;
        }
    }

    for (i = 0; i < gen_count; i++) {
        cat = gen_category(i);
        gen_by_cat[cat][gen_cat_n[cat]++] = i;
    }

    out = stdout;

    if (path != NULL) {
        out = fopen(path, "w");
        if (out == NULL) {
            perror(path);
            return 1;
        }
    }

    for (i = 0; i < gen_count; i++) {

        if (dir != NULL && i % per == 0) {
            if (i && fclose(out) != 0) {
                perror("gen: write");
                return 1;
            }

            snprintf(name, sizeof(name), "%s/part-%05u.jsonl", dir, i / per);

            out = fopen(name, "w");
            if (out == NULL) {
                perror(name);
                return 1;
            }
        }

        gen_term(out, i);
    }

    if (fclose(out) != 0) {
        perror("gen: write");
        return 1;
    }

    return 0;
}
