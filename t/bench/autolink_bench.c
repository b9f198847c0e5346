/*
 * autolink_bench: the autolink engine's own figures, single-threaded (one
 * core), no nginx, no network.
 *
 *     autolink_bench -g GEN -d DIR [-n 2000,12000,100000] [-r RUNS]
 *                    [-c CHUNK] [-s SECONDS] [-o LABEL]
 *
 * For each glossary size N it runs GEN (t/bench/gen.c) for N terms into
 * DIR (once; kept for the next run), builds the image from every term's
 * name and slug (plurals made by the builder), and reports:
 *
 *   - build time (median of 3) and the image: bytes, bytes per pattern
 *     byte, states, slots;
 *   - matching throughput in MB/s of one core over article pages of about
 *     50 KB and 200 KB, fed in CHUNK-byte buffers (default 8192) to a
 *     stream whose emit callback does what a filter must: builds every
 *     opening tag (escaped) and copies every held byte;
 *   - the same through a page whose text no term can start (Cyrillic
 *     words, a Latin glossary): the tokenizer and the skip loop alone.
 *
 * -o LABEL measures only the pages whose label contains LABEL; -x runs
 * the engine once over each page set instead, untimed (for a profiler or
 * cachegrind).  -w OUT measures nothing: for each N it writes what the
 * HTTP side of the benchmark (t/bench/run, phase "autolink") serves into
 * OUT/nN/: the terms with their slug, name and short definition
 * (terms.jsonl, for glossaryc), pages of each kind (KIND-I.html, listed
 * in KIND.txt: prose50k, prose100k, prose200k, nostart200k), and the
 * sub_filter directives for the 255 terms the pages mention most
 * (sub_filter.conf), each replaced by the link glossary_autolink writes.
 *
 * Peers in the same run: memcpy of the page (the floor of any filter that
 * touches every byte) and the engine with an empty glossary (the HTML
 * tokenizer alone).  Each figure is the median of RUNS (default 7) rounds,
 * the peers interleaved in every round, with the spread (min..max); a
 * round repeats the page for about SECONDS/RUNS (default 0.2 s).
 *
 * Pages: "gen" articles are HTML (head, style, script, navigation, an
 * article with headings, paragraphs, lists, code, a table, links, a
 * footer) whose text mixes the glossary's own vocabulary (every word of
 * every term name) with English function words, a glossary term every 30
 * words or so (a tenth of them plural, a third in lower case): nearly
 * every word starts a walk, the worst case.  "prose" articles take their
 * sentences from the licence texts Debian ships in
 * /usr/share/common-licenses (plain English), with the same markup and a
 * term mentioned every third sentence.  An article has a topic: 85% of
 * its mentions are of 40 terms drawn for the page, the rest of any term.
 * Output depends only on the arguments.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "glossary_autolink.h"
#include "glossary_autolink_build.h"


typedef struct {
    char      *p;
    size_t     len;
    size_t     size;
} ab_buf_t;

typedef struct {
    char     **slug;
    char     **name;
    char     **def;            /* short definition, or NULL */
    uint32_t  *mentions;       /* -w: how often the pages name each */
    uint32_t   n;
    char     **words;          /* every word of every name, unique */
    uint32_t   nwords;
} ab_glossary_t;

typedef struct {
    const char       *what;
    double            mbs[64];
    unsigned          n;
} ab_series_t;

typedef struct {
    ab_glossary_t    *g;
    unsigned char     tag[4096];
    uint64_t          out;
    uint64_t          links;
    unsigned char     held[8192];
} ab_sink_t;


static uint64_t       ab_rng;
static size_t         ab_chunk = 8192;
static double         ab_seconds = 0.2;
static unsigned       ab_runs = 7;
static const char    *ab_only;         /* -o: pages whose label has it */
static int            ab_once;         /* -x: one engine pass, no timing */
static const char    *ab_write;        /* -w: pages for the HTTP side */
static ab_buf_t       ab_prose;        /* sentences, one per line */
static size_t        *ab_prose_line;
static size_t         ab_prose_lines;

static const char    *ab_fillers[] = {
    "the", "a", "of", "and", "to", "in", "for", "with", "that", "is", "on",
    "how", "which", "when", "teams", "systems", "practice", "approach",
    "quality", "performance", "production", "real", "traffic", "users",
    "operators", "cost", "scale", "reliability", "across", "between",
    "without", "before", "after", "because", "often", "usually", "better",
    "faster", "safer", "we", "it", "this", "they", "can", "should", "be",
    "are", "was", "has", "more", "than", "most", "each", "some", "other"
};

#define AB_NFILLERS  (sizeof(ab_fillers) / sizeof(ab_fillers[0]))


static void
ab_die(const char *fmt, ...)
{
    va_list  args;

    va_start(args, fmt);
    fprintf(stderr, "autolink_bench: ");
    vfprintf(stderr, fmt, args);
    fprintf(stderr, "\n");
    va_end(args);
    exit(1);
}


static uint64_t
ab_rand(void)
{
    uint64_t  z;

    z = (ab_rng += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}


static double
ab_now(void)
{
    struct timespec  ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}


static void
ab_put(ab_buf_t *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->size) {
        b->size = (b->len + n + 1) * 2;
        b->p = realloc(b->p, b->size);

        if (b->p == NULL) {
            ab_die("out of memory");
        }
    }

    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}


static void
ab_puts(ab_buf_t *b, const char *s)
{
    ab_put(b, s, strlen(s));
}


static void
ab_printf(ab_buf_t *b, const char *fmt, ...)
{
    char     tmp[1024];
    int      n;
    va_list  args;

    va_start(args, fmt);
    n = vsnprintf(tmp, sizeof(tmp), fmt, args);
    va_end(args);
    ab_put(b, tmp, (size_t) n < sizeof(tmp) ? (size_t) n : sizeof(tmp) - 1);
}


/*
 * the value of "key":"..." in a JSON line as it is written, escapes and
 * all (gen writes none in slugs and names, \" and \n in other texts)
 */
static char *
ab_field(const char *line, const char *key)
{
    char        pat[64], *r;
    const char *p, *e;

    snprintf(pat, sizeof(pat), "\"%s\":\"", key);
    p = strstr(line, pat);

    if (p == NULL) {
        return NULL;
    }

    p += strlen(pat);

    for (e = p; *e && *e != '"'; e++) {
        if (*e == '\\' && e[1] != '\0') {
            e++;
        }
    }

    if (*e == '\0') {
        return NULL;
    }

    r = malloc(e - p + 1);
    memcpy(r, p, e - p);
    r[e - p] = '\0';

    return r;
}


static int
ab_cmpstr(const void *a, const void *b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}


static void
ab_load(ab_glossary_t *g, const char *gen, const char *dir, uint32_t n)
{
    char      path[1024], cmd[8192], *line, *w, *s, *save;
    size_t    size, i, k;
    FILE     *f;
    ssize_t   len;

    snprintf(path, sizeof(path), "%s/terms-%u.jsonl", dir, (unsigned) n);

    if (access(path, R_OK) != 0) {
        snprintf(cmd, sizeof(cmd), "'%s' -n %u -o '%s.tmp' && mv '%s.tmp' "
                 "'%s'", gen, (unsigned) n, path, path, path);

        if (system(cmd) != 0) {
            ab_die("%s failed", cmd);
        }
    }

    f = fopen(path, "r");

    if (f == NULL) {
        ab_die("%s: %s", path, strerror(errno));
    }

    memset(g, 0, sizeof(ab_glossary_t));
    g->slug = calloc(n, sizeof(char *));
    g->name = calloc(n, sizeof(char *));
    g->def = calloc(n, sizeof(char *));
    g->mentions = calloc(n, sizeof(uint32_t));
    g->words = calloc((size_t) n * 4, sizeof(char *));
    line = NULL;
    size = 0;

    while ((len = getline(&line, &size, f)) > 0 && g->n < n) {
        g->slug[g->n] = ab_field(line, "slug");
        g->name[g->n] = ab_field(line, "term");
        g->def[g->n] = ab_field(line, "shortDefinition");

        if (g->slug[g->n] == NULL || g->name[g->n] == NULL) {
            ab_die("%s: a line without slug or term", path);
        }

        s = strdup(g->name[g->n]);

        for (w = strtok_r(s, " ", &save); w != NULL;
             w = strtok_r(NULL, " ", &save))
        {
            g->words[g->nwords++] = strdup(w);
        }

        free(s);
        g->n++;
    }

    free(line);
    fclose(f);

    qsort(g->words, g->nwords, sizeof(char *), ab_cmpstr);

    for (i = 0, k = 0; i < g->nwords; i++) {
        if (k == 0 || strcmp(g->words[k - 1], g->words[i]) != 0) {
            g->words[k++] = g->words[i];

        } else {
            free(g->words[i]);
        }
    }

    g->nwords = (uint32_t) k;
}


static unsigned char *
ab_build(ab_glossary_t *g, uint32_t n, size_t *size,
    glossary_autolink_stats_t *stats, double *seconds)
{
    double                        t0;
    uint32_t                      i;
    unsigned char                *img, *copy;
    glossary_autolink_builder_t  *b;

    t0 = ab_now();
    b = glossary_autolink_builder_create(n, 0);

    if (b == NULL) {
        ab_die("builder: out of memory");
    }

    for (i = 0; i < n; i++) {
        if (glossary_autolink_builder_add(b, i,
                (const unsigned char *) g->name[i], strlen(g->name[i]),
                GLOSSARY_AUTOLINK_NAME) != 0
            || glossary_autolink_builder_add(b, i,
                (const unsigned char *) g->slug[i], strlen(g->slug[i]),
                GLOSSARY_AUTOLINK_SLUG) != 0)
        {
            ab_die("builder: %s", glossary_autolink_builder_error(b));
        }
    }

    if (glossary_autolink_builder_finish(b, &img, size, stats) != 0) {
        ab_die("builder: %s", glossary_autolink_builder_error(b));
    }

    glossary_autolink_builder_free(b);
    *seconds = ab_now() - t0;

    copy = aligned_alloc(8, (*size + 7) & ~(size_t) 7);
    memcpy(copy, img, *size);
    free(img);

    return copy;
}


/* prose: the licence texts, as sentences */
static void
ab_load_prose(void)
{
    char         path[4096], *p, *q;
    const char  *names[] = {
        "GPL-3", "GFDL-1.3", "Apache-2.0", "MPL-2.0", "LGPL-2.1",
        "Artistic"
    };
    size_t       i, n, start;
    FILE        *f;
    ab_buf_t     raw;
    char         buf[65536];

    memset(&raw, 0, sizeof(raw));

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        snprintf(path, sizeof(path), "/usr/share/common-licenses/%s",
                 names[i]);
        f = fopen(path, "r");

        if (f == NULL) {
            continue;
        }

        while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
            ab_put(&raw, buf, n);
        }

        fclose(f);
    }

    if (raw.len == 0) {
        ab_die("no text in /usr/share/common-licenses (package base-files)");
    }

    /* one sentence a line: white space runs to one space, split at ". " */
    memset(&ab_prose, 0, sizeof(ab_prose));
    ab_prose_line = malloc(sizeof(size_t) * (raw.len / 4 + 1));
    start = 0;
    p = raw.p;

    for (q = p; *q; q++) {
        if (*q == '\n' || *q == '\t' || *q == '\r') {
            *q = ' ';
        }
    }

    for (q = p; *q; q++) {
        if (*q == ' ' && (ab_prose.len == start
                          || ab_prose.p[ab_prose.len - 1] == ' '))
        {
            continue;
        }

        if (*q == '<' || *q == '>' || *q == '&') {
            ab_puts(&ab_prose, *q == '<' ? "&lt;" : *q == '>' ? "&gt;"
                                                   : "&amp;");
            continue;
        }

        ab_put(&ab_prose, q, 1);

        if (*q == '.' && q[1] == ' ') {
            if (ab_prose.len - start > 40) {
                ab_prose_line[ab_prose_lines++] = start;
                ab_put(&ab_prose, "\0", 1);
                start = ab_prose.len;

            }
        }
    }

    free(raw.p);
}


/* the page's topic: the terms an article keeps coming back to */
#define AB_TOPIC  40

static uint32_t  ab_topic[AB_TOPIC];


static void
ab_new_topic(ab_glossary_t *g)
{
    unsigned  i;

    for (i = 0; i < AB_TOPIC; i++) {
        ab_topic[i] = (uint32_t) (ab_rand() % g->n);
    }
}


/* a glossary term as an author would write it */
static void
ab_mention(ab_buf_t *b, ab_glossary_t *g)
{
    uint32_t     t;
    const char  *name, *c;
    uint64_t     r;

    t = (ab_rand() % 100 < 85) ? ab_topic[ab_rand() % AB_TOPIC]
                               : (uint32_t) (ab_rand() % g->n);
    name = g->name[t];
    r = ab_rand() % 10;
    g->mentions[t]++;

    for (c = name; *c; c++) {
        char  ch = *c;

        if (r < 3 && ch >= 'A' && ch <= 'Z') {
            ch |= 0x20;
        }

        ab_put(b, &ch, 1);
    }

    if (r == 9) {
        ab_puts(b, "s");
    }
}


static void
ab_sentence(ab_buf_t *b, ab_glossary_t *g, int prose, int cyrillic)
{
    unsigned     i, words;
    const char  *w, *s;
    static const char  *cyr[26] = {
        "\xd0\xb0", "\xd0\xb1", "\xd1\x86", "\xd0\xb4", "\xd0\xb5",
        "\xd1\x84", "\xd0\xb3", "\xd1\x85", "\xd0\xb8", "\xd0\xb9",
        "\xd0\xba", "\xd0\xbb", "\xd0\xbc", "\xd0\xbd", "\xd0\xbe",
        "\xd0\xbf", "\xd1\x8f", "\xd1\x80", "\xd1\x81", "\xd1\x82",
        "\xd1\x83", "\xd0\xb2", "\xd1\x88", "\xd0\xb6", "\xd1\x8b",
        "\xd0\xb7"
    };

    if (prose) {
        s = ab_prose.p + ab_prose_line[ab_rand() % ab_prose_lines];
        ab_puts(b, s);

        if (ab_rand() % 3 == 0) {
            ab_puts(b, " See ");
            ab_mention(b, g);
            ab_puts(b, ".");
        }

        ab_puts(b, " ");
        return;
    }

    words = 8 + ab_rand() % 14;

    for (i = 0; i < words; i++) {
        if (i) {
            ab_puts(b, " ");
        }

        if (!cyrillic && ab_rand() % 30 == 0) {
            ab_mention(b, g);
            continue;
        }

        if (ab_rand() % 100 < 45) {
            w = g->words[ab_rand() % g->nwords];

        } else {
            w = ab_fillers[ab_rand() % AB_NFILLERS];
        }

        if (cyrillic) {
            for (s = w; *s; s++) {
                unsigned  c = (unsigned char) *s | 0x20;

                if (c >= 'a' && c <= 'z') {
                    ab_puts(b, cyr[c - 'a']);

                } else {
                    ab_put(b, s, 1);
                }
            }

        } else {
            ab_puts(b, w);
        }
    }

    ab_puts(b, ". ");
}


/*
 * An article page of about size bytes.  text_only: one article of
 * paragraphs and nothing else (the text path alone).
 */
static void
ab_page(ab_buf_t *b, ab_glossary_t *g, size_t size, int prose, int cyrillic,
    int text_only)
{
    unsigned  i, k, section;

    memset(b, 0, sizeof(ab_buf_t));
    ab_new_topic(g);

    if (text_only) {
        ab_puts(b, "<!DOCTYPE html><html><body><article>\n");

        while (b->len < size) {
            ab_puts(b, "<p>");

            for (k = 0; k < 6; k++) {
                ab_sentence(b, g, prose, cyrillic);
            }

            ab_puts(b, "</p>\n");
        }

        ab_puts(b, "</article></body></html>\n");
        return;
    }

    ab_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
            "<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, "
            "initial-scale=1\">\n<title>");
    ab_mention(b, g);
    ab_puts(b, " explained</title>\n"
            "<link rel=\"stylesheet\" href=\"/assets/site.css?v=3\">\n"
            "<style>\n");

    for (i = 0; i < 40; i++) {
        ab_printf(b, ".c%u { margin: 0 %upx; color: #%06x; "
                  "font-family: system-ui, sans-serif }\n", i, i % 17,
                  (unsigned) (ab_rand() & 0xffffff));
    }

    ab_puts(b, "</style>\n<script>\nwindow.dataLayer = window.dataLayer || "
            "[];\nfunction track(e) { if (e && e.target && "
            "e.target.href) { dataLayer.push({ event: 'click', url: "
            "e.target.href, when: Date.now() }); } }\n");

    for (i = 0; i < 30; i++) {
        ab_printf(b, "var cfg%u = { id: %u, label: \"model inference %u\", "
                  "enabled: %s };\n", i, i, i, i % 2 ? "true" : "false");
    }

    ab_puts(b, "</script>\n</head>\n<body class=\"article layout-wide\">\n"
            "<header class=\"site-header\"><nav><ul>\n");

    for (i = 0; i < 25; i++) {
        ab_printf(b, "<li class=\"nav-item\"><a href=\"/section/%u/\" "
                  "class=\"nav-link\" data-track=\"nav-%u\">", i, i);
        ab_puts(b, g->words[ab_rand() % g->nwords]);
        ab_puts(b, "</a></li>\n");
    }

    ab_puts(b, "</ul></nav></header>\n<main id=\"content\">\n<article "
            "class=\"post\" itemscope itemtype=\"https://schema.org/"
            "Article\">\n<h1 itemprop=\"headline\">");
    ab_mention(b, g);
    ab_puts(b, " in practice</h1>\n<p class=\"byline\">By <a href=\""
            "/authors/jo\" rel=\"author\">Jo Doe</a>, <time datetime=\""
            "2024-05-01\">1 May 2024</time></p>\n");

    section = 0;

    while (b->len < size - 2000) {
        ab_printf(b, "<h2 id=\"s%u\">", section);
        ab_mention(b, g);
        ab_puts(b, "</h2>\n");

        for (i = 0; i < 4; i++) {
            ab_puts(b, "<p>");

            for (k = 0; k < 3 + ab_rand() % 3; k++) {
                ab_sentence(b, g, prose, cyrillic);

                if (ab_rand() % 4 == 0) {
                    ab_puts(b, "<em>");
                    ab_sentence(b, g, prose, cyrillic);
                    ab_puts(b, "</em> ");
                }

                if (ab_rand() % 6 == 0) {
                    ab_printf(b, "<a href=\"/glossary/%s\">",
                              g->slug[ab_rand() % g->n]);
                    ab_mention(b, g);
                    ab_puts(b, "</a> ");
                }
            }

            ab_puts(b, "</p>\n");
        }

        switch (section % 4) {
        case 0:
            ab_puts(b, "<ul class=\"points\">\n");

            for (i = 0; i < 4; i++) {
                ab_puts(b, "<li>");
                ab_sentence(b, g, prose, cyrillic);
                ab_puts(b, "</li>\n");
            }

            ab_puts(b, "</ul>\n");
            break;

        case 1:
            ab_puts(b, "<pre><code class=\"language-python\">"
                    "def run(model, batch):\n"
                    "    out = model.infer(batch, cache=True)\n"
                    "    return [x for x in out if x.score &gt; 0.5]\n"
                    "</code></pre>\n");
            break;

        case 2:
            ab_puts(b, "<table class=\"data\"><thead><tr><th>Setting</th>"
                    "<th>Value</th></tr></thead><tbody>\n");

            for (i = 0; i < 4; i++) {
                ab_puts(b, "<tr><td>");
                ab_puts(b, g->words[ab_rand() % g->nwords]);
                ab_printf(b, "</td><td>%u</td></tr>\n",
                          (unsigned) (ab_rand() % 1000));
            }

            ab_puts(b, "</tbody></table>\n");
            break;

        default:
            ab_printf(b, "<figure><img src=\"/img/fig-%u.png\" alt=\"",
                      section);
            ab_mention(b, g);
            ab_puts(b, " diagram\" width=\"640\" height=\"360\" loading="
                    "\"lazy\"><figcaption>");
            ab_sentence(b, g, prose, cyrillic);
            ab_puts(b, "</figcaption></figure>\n<blockquote><p>");
            ab_sentence(b, g, prose, cyrillic);
            ab_puts(b, "</p></blockquote>\n");
        }

        section++;
    }

    ab_puts(b, "</article>\n</main>\n<footer class=\"site-footer\"><p>"
            "&copy; 2024 Example &mdash; <a href=\"/privacy\">Privacy</a> "
            "&middot; <a href=\"/terms\">Terms</a></p></footer>\n"
            "<script src=\"/assets/app.js\" defer></script>\n"
            "</body>\n</html>\n");
}


static int
ab_emit(void *ctx, const glossary_autolink_event_t *ev)
{
    ab_sink_t                *s;
    glossary_autolink_tag_t   t;

    s = ctx;

    switch (ev->type) {

    case GLOSSARY_AUTOLINK_PASS:
        s->out += ev->len;
        break;

    case GLOSSARY_AUTOLINK_HELD:
        memcpy(s->held, ev->data, ev->len < sizeof(s->held) ? ev->len
                                                            : sizeof(s->held));
        s->out += ev->len;
        break;

    case GLOSSARY_AUTOLINK_OPEN:
        t.prefix = (const unsigned char *) "/glossary/";
        t.prefix_len = 10;
        t.slug = (const unsigned char *) s->g->slug[ev->term];
        t.slug_len = strlen(s->g->slug[ev->term]);
        t.title = (const unsigned char *) s->g->name[ev->term];
        t.title_len = strlen(s->g->name[ev->term]);
        s->out += glossary_autolink_tag_write(s->tag, &t);
        s->links++;
        break;

    case GLOSSARY_AUTOLINK_CLOSE:
        s->out += GLOSSARY_AUTOLINK_CLOSE_TAG_LEN;
        break;
    }

    return 0;
}


/* one pass of the page through a fresh stream, in chunks */
static uint64_t
ab_pass(const glossary_autolink_t *al, const glossary_autolink_conf_t *conf,
    void *mem, const ab_buf_t *page, ab_sink_t *sink)
{
    size_t                       off, n;
    glossary_autolink_stream_t  *st;

    st = glossary_autolink_stream_init(mem, al, conf,
                                       GLOSSARY_AUTOLINK_NO_TERM);

    for (off = 0; off < page->len; off += n) {
        n = page->len - off < ab_chunk ? page->len - off : ab_chunk;

        if (glossary_autolink_feed(st, (const unsigned char *) page->p + off,
                                   n, off + n == page->len, ab_emit, sink)
            != 0)
        {
            ab_die("feed failed");
        }
    }

    return st->links;
}


static int
ab_cmpd(const void *a, const void *b)
{
    double  x = *(const double *) a, y = *(const double *) b;

    return (x > y) - (x < y);
}


static double
ab_median(double *v, unsigned n, double *lo, double *hi)
{
    double  s[64];

    memcpy(s, v, n * sizeof(double));
    qsort(s, n, sizeof(double), ab_cmpd);
    *lo = s[0];
    *hi = s[n - 1];

    return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}


static volatile uint64_t  ab_sinkhole;


/*
 * MB/s of memcpy, of the tokenizer alone (empty image) and of the engine
 * with the glossary, interleaved, over a set of distinct pages of about
 * size bytes each, AB_SET bytes in all (so that neither the caches nor the
 * branch predictor learn one page by heart, as a server sees new pages
 * all the time); prints one line each
 */
#define AB_SET  (4 << 20)

static void
ab_measure(const char *label, size_t size, int prose, int cyrillic,
    int text_only, const glossary_autolink_t *al,
    const glossary_autolink_t *empty, const glossary_autolink_conf_t *conf,
    ab_glossary_t *g)
{
    unsigned     r, k, reps, peer, npages, p;
    double       t0, dt, mbs[3][64], med[3], lo, hi, bytes;
    void        *mem, *mem0;
    char        *copy;
    uint64_t     links;
    ab_buf_t    *pages;
    ab_sink_t   *sink;
    const char  *names[3] = { "memcpy", "tokenizer only", "engine" };

    if (ab_only != NULL && strstr(label, ab_only) == NULL) {
        return;
    }

    npages = (unsigned) (AB_SET / size);

    if (npages == 0) {
        npages = 1;
    }

    pages = calloc(npages, sizeof(ab_buf_t));
    bytes = 0;

    for (p = 0; p < npages; p++) {
        ab_page(&pages[p], g, size, prose, cyrillic, text_only);
        bytes += pages[p].len;
    }

    mem = aligned_alloc(8, glossary_autolink_stream_size(al));
    mem0 = aligned_alloc(8, glossary_autolink_stream_size(empty));
    copy = malloc(size * 2);
    sink = calloc(1, sizeof(ab_sink_t));
    sink->g = g;

    if (ab_once) {
        for (p = 0, links = 0; p < npages; p++) {
            links += ab_pass(al, conf, mem, &pages[p], sink);
        }

        printf("  %-30s one pass: %u pages, %.1f links a page\n", label,
               npages, (double) links / npages);
        goto done;
    }

    /* rounds of about ab_seconds / runs of the engine */
    t0 = ab_now();
    links = 0;

    for (p = 0; p < npages; p++) {
        links += ab_pass(al, conf, mem, &pages[p], sink);
    }

    dt = ab_now() - t0;
    reps = (unsigned) (ab_seconds / ab_runs / (dt > 1e-6 ? dt : 1e-6));

    if (reps < 1) {
        reps = 1;
    }

    for (r = 0; r < ab_runs; r++) {
        for (peer = 0; peer < 3; peer++) {
            t0 = ab_now();

            for (k = 0; k < reps; k++) {
                for (p = 0; p < npages; p++) {
                    switch (peer) {
                    case 0:
                        memcpy(copy, pages[p].p, pages[p].len);
                        ab_sinkhole += (unsigned char) copy[k % pages[p].len];
                        break;
                    case 1:
                        ab_sinkhole += ab_pass(empty, conf, mem0, &pages[p],
                                               sink);
                        break;
                    default:
                        ab_sinkhole += ab_pass(al, conf, mem, &pages[p], sink);
                    }
                }
            }

            dt = ab_now() - t0;
            mbs[peer][r] = bytes * reps / dt / 1e6;
        }
    }

    for (peer = 0; peer < 3; peer++) {
        med[peer] = ab_median(mbs[peer], ab_runs, &lo, &hi);
        printf("  %-30s %-15s %8.0f MB/s  (%.0f..%.0f)%s", label,
               names[peer], med[peer], lo, hi,
               peer == 2 ? "" : "\n");
    }

    printf("  %.2fx tokenizer; %u pages, %.1f links a page\n",
           med[2] / med[1], npages, (double) links / npages);
    fflush(stdout);

done:

    for (p = 0; p < npages; p++) {
        free(pages[p].p);
    }

    free(pages);
    free(mem);
    free(mem0);
    free(copy);
    free(sink);
}


static void
ab_spew(const char *path, const void *p, size_t len)
{
    FILE  *f;

    f = fopen(path, "w");

    if (f == NULL || fwrite(p, 1, len, f) != len || fclose(f) != 0) {
        ab_die("%s: %s", path, strerror(errno));
    }
}


/*
 * a JSON string's text (gen's escapes: \" \\ \n) as an attribute value
 * for sub_filter's replacement: no quote survives
 */
static void
ab_attr(ab_buf_t *b, const char *s)
{
    for ( /* void */ ; *s; s++) {
        if (*s == '\\' && s[1] != '\0') {
            s++;

            if (*s == 'n' || *s == 't' || *s == 'r') {
                ab_puts(b, " ");
                continue;
            }
        }

        switch (*s) {
        case '&': ab_puts(b, "&amp;"); break;
        case '<': ab_puts(b, "&lt;"); break;
        case '>': ab_puts(b, "&gt;"); break;
        case '"': ab_puts(b, "&quot;"); break;
        case '\'': ab_puts(b, "&#39;"); break;
        default: ab_put(b, s, 1);
        }
    }
}


static uint32_t  *ab_order_mentions;

static int
ab_cmp_mentions(const void *a, const void *b)
{
    uint32_t  x = *(const uint32_t *) a, y = *(const uint32_t *) b;

    if (ab_order_mentions[x] != ab_order_mentions[y]) {
        return ab_order_mentions[x] < ab_order_mentions[y] ? 1 : -1;
    }

    return (x > y) - (x < y);
}


/* -w: what t/bench/run serves for N terms, into OUT/nN/ */
static void
ab_write_set(ab_glossary_t *g, const char *out)
{
    char       dir[1024], path[1200];
    uint32_t   i, k, *order;
    unsigned   j;
    ab_buf_t   b, page;

    static const struct {
        const char  *kind;
        size_t       size;
        unsigned     count;
        int          prose, cyrillic, text_only;
    } kinds[] = {
        { "prose50k", 50000, 16, 1, 0, 0 },
        { "prose100k", 100000, 8, 1, 0, 0 },
        { "prose200k", 200000, 8, 1, 0, 0 },
        { "nostart200k", 200000, 4, 0, 1, 1 },
    };

    snprintf(dir, sizeof(dir), "%s/n%u", out, (unsigned) g->n);

    /* mkdir -p */
    for (i = 1; dir[i]; i++) {
        if (dir[i] == '/') {
            dir[i] = '\0';
            mkdir(dir, 0777);
            dir[i] = '/';
        }
    }

    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        ab_die("%s: %s", dir, strerror(errno));
    }

    memset(&b, 0, sizeof(b));

    for (i = 0; i < g->n; i++) {
        ab_printf(&b, "{\"slug\":\"%s\",\"term\":\"%s\"", g->slug[i],
                  g->name[i]);

        if (g->def[i] != NULL) {
            ab_printf(&b, ",\"shortDefinition\":\"%s\"", g->def[i]);
        }

        ab_puts(&b, "}\n");
    }

    snprintf(path, sizeof(path), "%s/terms.jsonl", dir);
    ab_spew(path, b.p, b.len);
    free(b.p);

    memset(g->mentions, 0, g->n * sizeof(uint32_t));
    ab_rng = 42;

    for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
        memset(&b, 0, sizeof(b));

        for (j = 0; j < kinds[k].count; j++) {
            ab_page(&page, g, kinds[k].size, kinds[k].prose,
                    kinds[k].cyrillic, kinds[k].text_only);
            snprintf(path, sizeof(path), "%s/%s-%u.html", dir, kinds[k].kind,
                     j);
            ab_spew(path, page.p, page.len);
            ab_printf(&b, "%s-%u.html\n", kinds[k].kind, j);
            free(page.p);
        }

        snprintf(path, sizeof(path), "%s/%s.txt", dir, kinds[k].kind);
        ab_spew(path, b.p, b.len);
        free(b.p);
    }

    /* sub_filter's 255: the terms the pages name most */
    order = malloc(g->n * sizeof(uint32_t));

    for (i = 0; i < g->n; i++) {
        order[i] = i;
    }

    ab_order_mentions = g->mentions;
    qsort(order, g->n, sizeof(uint32_t), ab_cmp_mentions);

    memset(&b, 0, sizeof(b));
    ab_puts(&b, "# the 255 terms the pages name most, as glossary_autolink "
            "links them\n");

    for (i = 0; i < g->n && i < 255; i++) {
        k = order[i];
        ab_printf(&b, "sub_filter '%s' '<a href=\"/glossary/%s\" "
                  "class=\"glossary-term\" data-glossary-slug=\"%s\"",
                  g->name[k], g->slug[k], g->slug[k]);

        if (g->def[k] != NULL) {
            ab_puts(&b, " title=\"");
            ab_attr(&b, g->def[k]);
            ab_puts(&b, "\"");
        }

        ab_printf(&b, ">%s</a>';\n", g->name[k]);
    }

    snprintf(path, sizeof(path), "%s/sub_filter.conf", dir);
    ab_spew(path, b.p, b.len);
    free(b.p);
    free(order);
}


int
main(int argc, char **argv)
{
    int                          c;
    char                        *sizes, *tok;
    const char                  *gen, *dir;
    double                       secs[3], lo, hi, med;
    uint32_t                     n;
    unsigned                     i;
    size_t                       size, size0, name_bytes;
    unsigned char               *img, *img0;
    ab_glossary_t                g, none;
    glossary_autolink_t          al, al0;
    glossary_autolink_conf_t     conf;
    glossary_autolink_stats_t    stats;
    glossary_autolink_builder_t *b;

    gen = NULL;
    dir = NULL;
    sizes = strdup("2000,12000,100000");

    while ((c = getopt(argc, argv, "g:d:n:r:c:s:o:xw:")) != -1) {
        switch (c) {
        case 'x': ab_once = 1; break;
        case 'w': ab_write = optarg; break;
        case 'o': ab_only = optarg; break;
        case 'g': gen = optarg; break;
        case 'd': dir = optarg; break;
        case 'n': free(sizes); sizes = strdup(optarg); break;
        case 'r': ab_runs = (unsigned) atoi(optarg); break;
        case 'c': ab_chunk = (size_t) atol(optarg); break;
        case 's': ab_seconds = atof(optarg); break;
        default:
            fprintf(stderr, "usage: %s -g GEN -d DIR [-n N,N,...] [-r RUNS] "
                    "[-c CHUNK] [-s SECONDS]\n", argv[0]);
            return 2;
        }
    }

    if (gen == NULL || dir == NULL || ab_runs < 1 || ab_runs > 64
        || ab_chunk == 0)
    {
        fprintf(stderr, "usage: %s -g GEN -d DIR [-n N,N,...] [-r RUNS 1..64] "
                "[-c CHUNK] [-s SECONDS]\n", argv[0]);
        return 2;
    }

    mkdir(dir, 0777);
    ab_load_prose();

    /* the peer: an image with no pattern (the HTML tokenizer alone) */
    b = glossary_autolink_builder_create(1, 0);
    glossary_autolink_builder_finish(b, &img0, &size0, &stats);
    glossary_autolink_builder_free(b);
    {
        unsigned char  *copy = aligned_alloc(8, (size0 + 7) & ~(size_t) 7);

        memcpy(copy, img0, size0);
        free(img0);
        img0 = copy;
    }

    if (glossary_autolink_open(&al0, img0, size0) != GLOSSARY_AUTOLINK_OK) {
        ab_die("the empty image: %s", al0.detail);
    }

    glossary_autolink_conf_init(&conf);
    memset(&none, 0, sizeof(none));

    printf("autolink_bench: one core, %zu-byte buffers, median of %u "
           "interleaved rounds (min..max)\n\n", ab_chunk, ab_runs);

    for (tok = strtok(sizes, ","); tok != NULL; tok = strtok(NULL, ",")) {
        n = (uint32_t) strtoul(tok, NULL, 10);
        ab_load(&g, gen, dir, n);
        ab_rng = 1;

        for (i = 0, img = NULL; i < 3; i++) {
            free(img);
            img = ab_build(&g, g.n, &size, &stats, &secs[i]);
        }

        med = ab_median(secs, 3, &lo, &hi);

        for (i = 0, name_bytes = 0; i < g.n; i++) {
            name_bytes += strlen(g.name[i]);
        }

        if (glossary_autolink_open(&al, img, size) != GLOSSARY_AUTOLINK_OK) {
            ab_die("open: %s", al.detail);
        }

        printf("%u terms: build %.2f s (%.2f..%.2f), image %zu bytes, "
               "%" PRIu64 " patterns, %" PRIu64 " pattern bytes: "
               "%.2f bytes per pattern byte (%.2f per name byte); "
               "%u states, %u slots, %u labels\n",
               (unsigned) g.n, med, lo, hi, size, stats.patterns,
               stats.pattern_bytes, (double) size / stats.pattern_bytes,
               (double) size / name_bytes, stats.states, stats.slots,
               stats.labels);

        ab_rng = 42;

        if (ab_write != NULL) {
            ab_write_set(&g, ab_write);
        }

        if (ab_write == NULL) {
            ab_measure("gen article, 50 KB", 50000, 0, 0, 0, &al, &al0, &conf,
                       &g);
            ab_measure("gen article, 200 KB", 200000, 0, 0, 0, &al, &al0, &conf,
                       &g);
            ab_measure("prose article, 50 KB", 50000, 1, 0, 0, &al, &al0, &conf,
                       &g);
            ab_measure("prose article, 200 KB", 200000, 1, 0, 0, &al, &al0,
                       &conf, &g);
            ab_measure("gen text only, 200 KB", 200000, 0, 0, 1, &al, &al0,
                       &conf, &g);
            ab_measure("no term can start, 200 KB", 200000, 0, 1, 1, &al, &al0,
                       &conf, &g);
        }

        printf("\n");

        free(img);

        for (i = 0; i < g.n; i++) {
            free(g.slug[i]);
            free(g.name[i]);
            free(g.def[i]);
        }

        free(g.def);
        free(g.mentions);

        for (i = 0; i < g.nwords; i++) {
            free(g.words[i]);
        }

        free(g.slug);
        free(g.name);
        free(g.words);
    }

    free(img0);
    free(sizes);

    return 0;
}
