/*
 * glossaryc site rendering: see glossary_site.h.
 *
 * Every link between pages is relative, so one blob serves any location
 * prefix: a page at {prefix}{slug} (term, search, index) reaches a term as
 * "{slug}", a page at {prefix}_category/{slug} as "../{slug}".  The module's
 * own pages are named as its router names them (glossary_route.h).  Absolute
 * URLs (canonical, og:url, JSON-LD, sitemap) come from --base-url only.
 */

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <xxhash.h>

#include "glossary_blob.h"
#include "glossary_fold.h"
#include "glossary_route.h"
#include "glossary_site.h"


#define GLOSSARY_DEFAULT_LANG       "en"
#define GLOSSARY_DEFAULT_SITE_NAME  "Glossary"
#define GLOSSARY_SITE_NAME_MAX      1024


typedef struct {
    const char  *up;        /* from the page to {prefix}: "", "../", base */
    const char  *root;      /* link to the index: "./", "../", base */
} glossary_where_t;


static const glossary_where_t  glossary_top = { "", "./" };
static const glossary_where_t  glossary_sub = { "../", "../" };


static void glossary_text_set(glossary_text_t *t, const char *s);
static int glossary_full(const glossary_text_t *t);
static int glossary_autolink_emit(void *ctx,
    const glossary_autolink_event_t *ev);
static void glossary_autolink_text(glossary_site_t *s, uint32_t id,
    const glossary_buf_t *html, glossary_buf_t *out);


/* what the events of a page's stream go to */
typedef struct {
    glossary_site_t  *site;
    glossary_buf_t   *out;
} glossary_autolink_sink_t;


/* options */

static int
glossary_site_base(glossary_site_t *s, const char *url)
{
    char            esc[4];
    size_t          i, len, scheme;
    glossary_buf_t  b;
    const char     *why;

    len = strlen(url);

    if (strncasecmp(url, "http://", 7) == 0) {
        scheme = 7;

    } else if (strncasecmp(url, "https://", 8) == 0) {
        scheme = 8;

    } else {
        why = "must start with http:// or https://";
        goto invalid;
    }

    if (url[scheme] == '\0' || url[scheme] == '/') {
        why = "has no host";
        goto invalid;
    }

    memset(&b, 0, sizeof(glossary_buf_t));

    for (i = 0; i < scheme; i++) {
        esc[0] = (char) (url[i] >= 'A' && url[i] <= 'Z' ? url[i] + 32
                                                         : url[i]);
        glossary_buf_add(&b, esc, 1);
    }

    for (i = scheme; i < len; i++) {
        unsigned char  c = (unsigned char) url[i];

        if (c < 0x21 || c == 0x7f) {
            why = "holds a space or a control character";
            glossary_buf_free(&b);
            goto invalid;
        }

        if (c == '?' || c == '#') {
            why = "must not have a query or a fragment";
            glossary_buf_free(&b);
            goto invalid;
        }

        if (c >= 0x80 || strchr("\"<>\\^`{|}'", c) != NULL) {
            snprintf(esc, sizeof(esc), "%%%02X", c);
            glossary_buf_add(&b, esc, 3);

        } else {
            glossary_buf_add(&b, &c, 1);
        }
    }

    if (b.data[b.len - 1] != '/') {
        glossary_buf_add(&b, "/", 1);
    }

    glossary_buf_add(&b, "", 1);
    s->base.data = (const char *) b.data;
    s->base.len = b.len - 1;

    return GLOSSARY_EXIT_OK;

invalid:

    glossary_error("--base-url \"%s\" %s", url, why);

    return GLOSSARY_EXIT_USAGE;
}


static int
glossary_site_options(glossary_site_t *s, const glossary_site_conf_t *conf)
{
    int          rc;
    size_t       i, len;
    const char  *p;

    if (conf->base_url != NULL) {
        rc = glossary_site_base(s, conf->base_url);
        if (rc != GLOSSARY_EXIT_OK) {
            return rc;
        }
    }

    p = conf->lang ? conf->lang : GLOSSARY_DEFAULT_LANG;
    len = strlen(p);

    for (i = 0; i < len; i++) {
        if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z')
              || (p[i] >= '0' && p[i] <= '9')
              || (p[i] == '-' && i > 0 && i + 1 < len)))
        {
            break;
        }
    }

    if (len == 0 || len > 35 || i < len) {
        glossary_error("--lang \"%s\" is not a language tag (letters, digits "
                       "and inner hyphens, e.g. en or pt-BR)", p);
        return GLOSSARY_EXIT_USAGE;
    }

    glossary_text_set(&s->lang, p);

    p = conf->site_name ? conf->site_name : GLOSSARY_DEFAULT_SITE_NAME;
    len = strlen(p);

    for (i = 0; i < len; i++) {
        if ((unsigned char) p[i] < 0x20 || p[i] == 0x7f) {
            break;
        }
    }

    if (len == 0 || len > GLOSSARY_SITE_NAME_MAX || i < len) {
        glossary_error("--site-name must be 1 to %d bytes without control "
                       "characters", GLOSSARY_SITE_NAME_MAX);
        return GLOSSARY_EXIT_USAGE;
    }

    glossary_text_set(&s->site_name, p);

    return GLOSSARY_EXIT_OK;
}


int
glossary_site_option(glossary_site_conf_t *conf, const char *arg,
    const char *next)
{
    size_t        i, len;
    const char  **dst;

    static const char  *names[] = {
        "--base-url", "--lang", "--site-name", "--template", NULL
    };

    /* gcc -O1 cannot see that len is set whenever it is read */
    len = 0;

    for (i = 0; names[i] != NULL; i++) {
        len = strlen(names[i]);

        if (strncmp(arg, names[i], len) == 0
            && (arg[len] == '\0' || arg[len] == '='))
        {
            break;
        }
    }

    switch (i) {
    case 0:
        dst = &conf->base_url;
        break;
    case 1:
        dst = &conf->lang;
        break;
    case 2:
        dst = &conf->site_name;
        break;
    case 3:
        dst = &conf->template_path;
        break;
    default:
        return 0;
    }

    if (arg[len] == '=') {
        *dst = arg + len + 1;
        return 1;
    }

    if (next == NULL) {
        return -1;
    }

    *dst = next;

    return 2;
}


static void
glossary_text_set(glossary_text_t *t, const char *s)
{
    t->data = s;
    t->len = s ? strlen(s) : 0;
}


/* index order: by name, ASCII case-insensitive, then bytes, then slug */

static int
glossary_site_case_cmp(const glossary_text_t *a, const glossary_text_t *b)
{
    size_t         i, n;
    unsigned char  x, y;

    n = a->len < b->len ? a->len : b->len;

    for (i = 0; i < n; i++) {
        x = (unsigned char) a->data[i];
        y = (unsigned char) b->data[i];

        x = (x >= 'A' && x <= 'Z') ? x + 32 : x;
        y = (y >= 'A' && y <= 'Z') ? y + 32 : y;

        if (x != y) {
            return x < y ? -1 : 1;
        }
    }

    return (a->len > b->len) - (a->len < b->len);
}


static glossary_entry_t  *glossary_sort_entries;


static int
glossary_site_order_cmp(const void *a, const void *b)
{
    int                      rc;
    const glossary_entry_t  *x, *y;

    x = &glossary_sort_entries[*(const uint32_t *) a];
    y = &glossary_sort_entries[*(const uint32_t *) b];

    rc = glossary_site_case_cmp(&x->term, &y->term);
    if (rc != 0) {
        return rc;
    }

    rc = glossary_text_cmp(&x->term, &y->term);
    if (rc != 0) {
        return rc;
    }

    return glossary_text_cmp(&x->slug, &y->slug);
}


static int
glossary_u32_cmp(const void *a, const void *b)
{
    uint32_t  x, y;

    x = *(const uint32_t *) a;
    y = *(const uint32_t *) b;

    return (x > y) - (x < y);
}


/* categories */

size_t
glossary_category_slug(const char *name, size_t len, char *out)
{
    int             hyphen;
    size_t          i, n, k;
    unsigned char  *fold, c;

    fold = glossary_xmalloc(len ? len : 1);
    n = glossary_fold(fold, (const unsigned char *) name, len);

    k = 0;
    hyphen = 0;

    for (i = 0; i < n; i++) {
        c = fold[i];

        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
            hyphen = 1;
            continue;
        }

        if (hyphen && k > 0) {
            if (k + 2 > GLOSSARY_MAX_SLUG_LEN) {
                break;
            }

            out[k++] = '-';
        }

        if (k + 1 > GLOSSARY_MAX_SLUG_LEN) {
            break;
        }

        hyphen = 0;
        out[k++] = (char) c;
    }

    free(fold);

    if (k == 0) {
        /* no Latin letter or digit at all: a stable name from a hash */
        k = (size_t) snprintf(out, GLOSSARY_MAX_SLUG_LEN, "category-%016llx",
                              (unsigned long long) XXH3_64bits(name, len));
    }

    return k;
}


typedef struct {
    char        slug[GLOSSARY_MAX_SLUG_LEN];
    size_t      len;
    uint32_t    id;
} glossary_cat_key_t;


static int
glossary_cat_key_cmp(const void *a, const void *b)
{
    int                        rc;
    size_t                     n;
    const glossary_cat_key_t  *x, *y;

    x = a;
    y = b;

    n = x->len < y->len ? x->len : y->len;
    rc = memcmp(x->slug, y->slug, n);

    if (rc != 0) {
        return rc;
    }

    if (x->len != y->len) {
        return x->len < y->len ? -1 : 1;
    }

    /* within a category: index order */
    return (glossary_sort_entries[x->id].seq
            > glossary_sort_entries[y->id].seq)
           - (glossary_sort_entries[x->id].seq
              < glossary_sort_entries[y->id].seq);
}


static int
glossary_site_categories(glossary_site_t *s)
{
    char                 *slug;
    uint32_t              i, j, k, nkeys, c;
    glossary_entry_t     *e;
    glossary_text_t      *spelled;
    glossary_cat_key_t   *keys;

    s->cat_of = glossary_xmalloc((size_t) s->n * sizeof(uint32_t));
    keys = glossary_xmalloc(((size_t) s->n + 1) * sizeof(glossary_cat_key_t));
    nkeys = 0;

    for (i = 0; i < s->n; i++) {
        s->cat_of[i] = GLOSSARY_NO_TERM;
        e = &s->entries[i];

        if (e->category.data == NULL || e->category.len == 0) {
            continue;
        }

        keys[nkeys].len = glossary_category_slug(e->category.data,
                                                 e->category.len,
                                                 keys[nkeys].slug);
        keys[nkeys].id = i;
        nkeys++;
    }

    glossary_sort_entries = s->entries;
    qsort(keys, nkeys, sizeof(glossary_cat_key_t), glossary_cat_key_cmp);

    s->cats = glossary_xmalloc(((size_t) nkeys + 1) * sizeof(glossary_cat_t));
    s->ncats = 0;
    spelled = NULL;

    for (i = 0; i < nkeys; i = j) {
        for (j = i + 1; j < nkeys && keys[j].len == keys[i].len
                        && memcmp(keys[j].slug, keys[i].slug, keys[i].len)
                           == 0; j++)
        {
            /* void */
        }

        c = s->ncats++;

        slug = glossary_xmalloc(keys[i].len + 1);
        memcpy(slug, keys[i].slug, keys[i].len);
        slug[keys[i].len] = '\0';

        s->cats[c].slug.data = slug;
        s->cats[c].slug.len = keys[i].len;
        s->cats[c].name = s->entries[keys[i].id].category;
        s->cats[c].first_seq = s->entries[keys[i].id].seq;
        s->cats[c].nterms = j - i;
        s->cats[c].terms = glossary_xmalloc((size_t) (j - i)
                                            * sizeof(uint32_t));

        for (k = i; k < j; k++) {
            s->cat_of[keys[k].id] = c;
            s->cats[c].terms[k - i] = s->rank[keys[k].id];

            if (spelled == NULL
                && glossary_text_cmp(&s->entries[keys[k].id].category,
                                           &s->cats[c].name) != 0)
            {
                spelled = &s->entries[keys[k].id].category;
            }
        }

        if (spelled != NULL && !s->quiet) {
            glossary_error("categories \"%.*s\" and \"%.*s\" have the same "
                           "slug \"%s\": one category, named \"%.*s\"",
                           (int) s->cats[c].name.len, s->cats[c].name.data,
                           (int) spelled->len, spelled->data, slug,
                           (int) s->cats[c].name.len, s->cats[c].name.data);
        }

        spelled = NULL;

        /* the members in index order */
        qsort(s->cats[c].terms, s->cats[c].nterms, sizeof(uint32_t),
              glossary_u32_cmp);

        for (k = 0; k < s->cats[c].nterms; k++) {
            s->cats[c].terms[k] = s->order[s->cats[c].terms[k]];
        }
    }

    free(keys);

    return GLOSSARY_EXIT_OK;
}


/* backlinks: the terms whose related lists resolve to a term */

typedef struct {
    uint32_t    to;
    uint32_t    from_rank;
} glossary_pair_t;


static int
glossary_pair_cmp(const void *a, const void *b)
{
    const glossary_pair_t  *x, *y;

    x = a;
    y = b;

    if (x->to != y->to) {
        return x->to < y->to ? -1 : 1;
    }

    return (x->from_rank > y->from_rank) - (x->from_rank < y->from_rank);
}


static void
glossary_site_backlinks(glossary_site_t *s)
{
    size_t            np, i, k;
    uint32_t          id, j, to;
    glossary_pair_t  *pairs;

    np = 0;

    for (id = 0; id < s->n; id++) {
        np += s->entries[id].nrelated;
    }

    pairs = glossary_xmalloc((np + 1) * sizeof(glossary_pair_t));
    np = 0;

    for (id = 0; id < s->n; id++) {
        for (j = 0; j < s->entries[id].nrelated; j++) {
            to = s->targets[s->first_link[id] + j];

            if (to == GLOSSARY_NO_TERM || to == id) {
                continue;
            }

            pairs[np].to = to;
            pairs[np].from_rank = s->rank[id];
            np++;
        }
    }

    qsort(pairs, np, sizeof(glossary_pair_t), glossary_pair_cmp);

    s->back = glossary_xmalloc((np + 1) * sizeof(uint32_t));
    s->first_back = glossary_xmalloc(((size_t) s->n + 1) * sizeof(uint64_t));

    k = 0;
    to = 0;

    for (i = 0; i < np; i++) {
        if (i > 0 && pairs[i].to == pairs[i - 1].to
            && pairs[i].from_rank == pairs[i - 1].from_rank)
        {
            continue;
        }

        while (to <= pairs[i].to) {
            s->first_back[to++] = k;
        }

        s->back[k++] = s->order[pairs[i].from_rank];
    }

    while (to <= s->n) {
        s->first_back[to++] = k;
    }

    free(pairs);
}


int
glossary_site_open(glossary_site_t *s, const glossary_site_conf_t *conf,
    uint64_t build_time, int quiet)
{
    int  rc;

    memset(s, 0, sizeof(glossary_site_t));

    s->build_time = build_time;
    s->quiet = quiet;

    rc = glossary_site_options(s, conf);
    if (rc != GLOSSARY_EXIT_OK) {
        return rc;
    }

    if (conf->template_path != NULL) {
        s->tpl = glossary_template_load(conf->template_path, &rc);
        if (s->tpl == NULL) {
            return rc;
        }

    } else {
        s->tpl = glossary_template_default();
    }

    return GLOSSARY_EXIT_OK;
}


int
glossary_site_init(glossary_site_t *s, glossary_entry_t *entries, uint32_t n,
    const uint32_t *targets, const uint64_t *first_link)
{
    int        rc;
    time_t     t;
    uint32_t   i;
    struct tm  tm;

    s->entries = entries;
    s->n = n;
    s->targets = targets;
    s->first_link = first_link;

    s->order = glossary_xmalloc((size_t) n * sizeof(uint32_t));
    s->rank = glossary_xmalloc((size_t) n * sizeof(uint32_t));

    for (i = 0; i < n; i++) {
        s->order[i] = i;
    }

    glossary_sort_entries = entries;
    qsort(s->order, n, sizeof(uint32_t), glossary_site_order_cmp);

    for (i = 0; i < n; i++) {
        s->rank[s->order[i]] = i;
    }

    rc = glossary_site_categories(s);
    if (rc != GLOSSARY_EXIT_OK) {
        return rc;
    }

    glossary_site_backlinks(s);

    t = (time_t) s->build_time;

    if (gmtime_r(&t, &tm) == NULL
        || strftime(s->lastmod, sizeof(s->lastmod), "%Y-%m-%dT%H:%M:%SZ",
                    &tm) == 0)
    {
        snprintf(s->lastmod, sizeof(s->lastmod), "1970-01-01T00:00:00Z");
    }

    return GLOSSARY_EXIT_OK;
}


void
glossary_site_free(glossary_site_t *s)
{
    uint32_t  c;

    for (c = 0; c < s->ncats; c++) {
        free((char *) s->cats[c].slug.data);
        free(s->cats[c].terms);
    }

    free(s->cats);
    free(s->cat_of);
    free(s->order);
    free(s->rank);
    free(s->back);
    free(s->first_back);
    free((char *) s->base.data);
    free(s->autolink_conf);
    free(s->autolink_mem);
    glossary_template_free(s->tpl);

    memset(s, 0, sizeof(glossary_site_t));
}


void
glossary_site_autolink(glossary_site_t *s, const glossary_autolink_t *al)
{
    s->autolink = al;
    s->autolink_conf = glossary_xmalloc(sizeof(glossary_autolink_conf_t));
    s->autolink_mem = glossary_xmalloc(glossary_autolink_stream_size(al));

    /* the questions are headings of their answers: not linked */
    glossary_autolink_conf_init(s->autolink_conf);
    (void) glossary_autolink_conf_add_skip(s->autolink_conf,
                                           (const unsigned char *) "dt", 2);
}


/*
 * html (the explanation and the FAQ of term id, as rendered) into out,
 * with links to the terms it names; relative, as every link between pages
 */
static void
glossary_autolink_text(glossary_site_t *s, uint32_t id,
    const glossary_buf_t *html, glossary_buf_t *out)
{
    glossary_autolink_sink_t     sink;
    glossary_autolink_stream_t  *st;

    sink.site = s;
    sink.out = out;

    st = glossary_autolink_stream_init(s->autolink_mem, s->autolink,
                                       s->autolink_conf, id);

    /* the sink takes everything: a feed can only fail on a bug */
    if (glossary_autolink_feed(st, html->data, html->len, 1,
                               glossary_autolink_emit, &sink)
        != 0)
    {
        glossary_error("internal error: the autolink stream failed");
        abort();
    }
}


static int
glossary_autolink_emit(void *ctx, const glossary_autolink_event_t *ev)
{
    size_t                     n;
    unsigned char             *p;
    glossary_entry_t          *e;
    glossary_autolink_tag_t    tag;
    glossary_autolink_sink_t  *sink;

    sink = ctx;

    switch (ev->type) {

    case GLOSSARY_AUTOLINK_PASS:
    case GLOSSARY_AUTOLINK_HELD:
        glossary_buf_add(sink->out, ev->data, ev->len);
        break;

    case GLOSSARY_AUTOLINK_OPEN:
        e = &sink->site->entries[ev->term];

        tag.prefix = (const unsigned char *) "";
        tag.prefix_len = 0;
        tag.slug = (const unsigned char *) e->slug.data;
        tag.slug_len = e->slug.len;
        tag.title = glossary_full(&e->short_definition)
                    ? (const unsigned char *) e->short_definition.data : NULL;
        tag.title_len = e->short_definition.len;

        n = glossary_autolink_tag_size(&tag);
        p = glossary_xmalloc(n);
        n = glossary_autolink_tag_write(p, &tag);
        glossary_buf_add(sink->out, p, n);
        free(p);
        break;

    case GLOSSARY_AUTOLINK_CLOSE:
        glossary_buf_add(sink->out, GLOSSARY_AUTOLINK_CLOSE_TAG,
                         GLOSSARY_AUTOLINK_CLOSE_TAG_LEN);
        break;
    }

    return 0;
}


/* pieces of pages */

static int
glossary_full(const glossary_text_t *t)
{
    return t->data != NULL && t->len > 0;
}


static void
glossary_html_text(glossary_buf_t *b, const glossary_text_t *t)
{
    if (glossary_full(t)) {
        glossary_buf_html(b, t->data, t->len, 0);
    }
}


/* blank lines separate paragraphs; a single line break stays one */
static void
glossary_paragraphs(glossary_buf_t *b, const glossary_text_t *t)
{
    int          open;
    size_t       i, start, end, k;
    const char  *p;

    if (!glossary_full(t)) {
        return;
    }

    p = t->data;
    open = 0;
    start = 0;

    while (start <= t->len) {
        for (end = start; end < t->len && p[end] != '\n' && p[end] != '\r';
             end++)
        {
            /* void */
        }

        for (k = start; k < end && (p[k] == ' ' || p[k] == '\t'); k++) {
            /* void */
        }

        if (k == end) {
            if (open) {
                glossary_buf_str(b, "</p>\n");
                open = 0;
            }

        } else {
            glossary_buf_str(b, open ? "<br>\n" : "<p>");
            glossary_buf_html(b, p + start, end - start, 0);
            open = 1;
        }

        if (end == t->len) {
            break;
        }

        i = end + 1;

        if (p[end] == '\r' && i < t->len && p[i] == '\n') {
            i++;
        }

        start = i;
    }

    if (open) {
        glossary_buf_str(b, "</p>\n");
    }
}


/* <li><a href="{up}{slug}">term</a> — short definition</li> */
static void
glossary_term_item(glossary_site_t *s, glossary_buf_t *b, const char *up,
    uint32_t id)
{
    glossary_entry_t  *e;

    e = &s->entries[id];

    glossary_buf_str(b, "<li><a href=\"");
    glossary_buf_html(b, up, strlen(up), 0);
    glossary_buf_add(b, e->slug.data, e->slug.len);
    glossary_buf_str(b, "\">");
    glossary_html_text(b, &e->term);
    glossary_buf_str(b, "</a>");

    if (glossary_full(&e->short_definition)) {
        glossary_buf_str(b, " \xe2\x80\x94 <span class=\"def\">");
        glossary_html_text(b, &e->short_definition);
        glossary_buf_str(b, "</span>");
    }

    glossary_buf_str(b, "</li>\n");
}


static void
glossary_meta(glossary_buf_t *b, const char *property, const void *p,
    size_t len)
{
    glossary_buf_str(b, "<meta property=\"");
    glossary_buf_str(b, property);
    glossary_buf_str(b, "\" content=\"");
    glossary_buf_html(b, p, len, 0);
    glossary_buf_str(b, "\">\n");
}


/* canonical link and Open Graph tags */
static void
glossary_head(glossary_site_t *s, glossary_buf_t *b, const char *type,
    const glossary_text_t *title, const glossary_text_t *desc,
    const glossary_buf_t *url)
{
    if (url->len) {
        glossary_buf_str(b, "<link rel=\"canonical\" href=\"");
        glossary_buf_html(b, url->data, url->len, 0);
        glossary_buf_str(b, "\">\n");
    }

    glossary_meta(b, "og:type", type, strlen(type));
    glossary_meta(b, "og:title", title->data, title->len);

    if (glossary_full(desc)) {
        glossary_meta(b, "og:description", desc->data, desc->len);
    }

    if (url->len) {
        glossary_meta(b, "og:url", url->data, url->len);
    }

    glossary_meta(b, "og:site_name", s->site_name.data, s->site_name.len);
}


static void
glossary_json_pair(glossary_buf_t *b, const char *key, const void *p,
    size_t len)
{
    glossary_buf_str(b, ",\"");
    glossary_buf_str(b, key);
    glossary_buf_str(b, "\":");
    glossary_buf_json(b, p, len);
}


static void
glossary_term_set(glossary_site_t *s, glossary_buf_t *b)
{
    glossary_buf_str(b, "{\"@type\":\"DefinedTermSet\"");

    if (s->base.len) {
        glossary_json_pair(b, "@id", s->base.data, s->base.len);
    }

    glossary_json_pair(b, "name", s->site_name.data, s->site_name.len);

    if (s->base.len) {
        glossary_json_pair(b, "url", s->base.data, s->base.len);
    }

    glossary_buf_str(b, "}");
}


static void
glossary_jsonld(glossary_site_t *s, glossary_buf_t *b, uint32_t id,
    const glossary_buf_t *url)
{
    uint32_t           j;
    glossary_entry_t  *e;

    e = &s->entries[id];

    glossary_buf_str(b, "<script type=\"application/ld+json\">"
                     "{\"@context\":\"https://schema.org\",\"@graph\":["
                     "{\"@type\":\"DefinedTerm\"");

    if (url->len) {
        glossary_json_pair(b, "@id", url->data, url->len);
        glossary_json_pair(b, "url", url->data, url->len);
    }

    glossary_json_pair(b, "name", e->term.data, e->term.len);

    if (glossary_full(&e->short_definition)) {
        glossary_json_pair(b, "description", e->short_definition.data,
                           e->short_definition.len);
    }

    glossary_buf_str(b, ",\"inDefinedTermSet\":");
    glossary_term_set(s, b);
    glossary_buf_str(b, "}");

    if (e->nfaq > 0) {
        glossary_buf_str(b, ",{\"@type\":\"FAQPage\"");

        if (url->len) {
            glossary_json_pair(b, "url", url->data, url->len);
        }

        glossary_buf_str(b, ",\"mainEntity\":[");

        for (j = 0; j < e->nfaq; j++) {
            glossary_buf_str(b, j ? ",{" : "{");
            glossary_buf_str(b, "\"@type\":\"Question\"");
            glossary_json_pair(b, "name", e->faq[j].question.data,
                               e->faq[j].question.len);
            glossary_buf_str(b, ",\"acceptedAnswer\":{\"@type\":\"Answer\"");
            glossary_json_pair(b, "text", e->faq[j].answer.data,
                               e->faq[j].answer.len);
            glossary_buf_str(b, "}}");
        }

        glossary_buf_str(b, "]}");
    }

    glossary_buf_str(b, "]}</script>\n");
}


/* the page frame: the template with the variables of one page */
static void
glossary_frame(glossary_site_t *s, const char *page,
    const glossary_text_t *title, const glossary_text_t *desc,
    const glossary_buf_t *canonical, const glossary_where_t *w,
    const glossary_buf_t *head, const glossary_buf_t *content, int search,
    glossary_buf_t *out)
{
    glossary_buf_t   form;
    glossary_text_t  vars[GLOSSARY_TVAR_N];

    memset(&form, 0, sizeof(glossary_buf_t));

    glossary_buf_str(&form, "<form action=\"");
    glossary_buf_html(&form, w->up, strlen(w->up), 0);
    glossary_buf_str(&form, GLOSSARY_ROUTE_SEARCH_NAME "\" method=\"get\" "
                     "role=\"search\">\n"
                     "<label for=\"q\">Search terms</label>\n"
                     "<input type=\"search\" id=\"q\" name=\"q\"");

    if (search) {
        glossary_buf_str(&form, " value=\"\x01\"");
    }

    glossary_buf_str(&form, ">\n<button type=\"submit\">Search</button>\n"
                     "</form>\n");

    memset(vars, 0, sizeof(vars));

    vars[GLOSSARY_TVAR_LANG] = s->lang;
    vars[GLOSSARY_TVAR_SITE_NAME] = s->site_name;
    vars[GLOSSARY_TVAR_TITLE] = *title;
    vars[GLOSSARY_TVAR_DESCRIPTION] = *desc;
    glossary_text_set(&vars[GLOSSARY_TVAR_PAGE], page);
    vars[GLOSSARY_TVAR_CANONICAL].data = (const char *) canonical->data;
    vars[GLOSSARY_TVAR_CANONICAL].len = canonical->len;
    glossary_text_set(&vars[GLOSSARY_TVAR_ROOT], w->root);
    vars[GLOSSARY_TVAR_BASE_URL] = s->base;
    vars[GLOSSARY_TVAR_HEAD].data = (const char *) head->data;
    vars[GLOSSARY_TVAR_HEAD].len = head->len;
    vars[GLOSSARY_TVAR_CONTENT].data = (const char *) content->data;
    vars[GLOSSARY_TVAR_CONTENT].len = content->len;
    vars[GLOSSARY_TVAR_SEARCH_FORM].data = (const char *) form.data;
    vars[GLOSSARY_TVAR_SEARCH_FORM].len = form.len;

    glossary_template_render(s->tpl, vars, search, out);

    glossary_buf_free(&form);
}


/* "{a} – {site name}" */
static void
glossary_title(glossary_site_t *s, glossary_buf_t *b, const void *p,
    size_t len)
{
    glossary_buf_add(b, p, len);
    glossary_buf_str(b, " \xe2\x80\x93 ");
    glossary_buf_add(b, s->site_name.data, s->site_name.len);
}


static glossary_text_t
glossary_buf_text(const glossary_buf_t *b)
{
    glossary_text_t  t;

    t.data = (const char *) b->data;
    t.len = b->len;

    return t;
}


/* pages */

void
glossary_page_term(glossary_site_t *s, uint32_t id, glossary_buf_t *out)
{
    uint32_t           j, to, c;
    uint64_t           k;
    glossary_buf_t     url, head, body, rich, *text;
    glossary_text_t    title, desc, none;
    glossary_entry_t  *e;

    e = &s->entries[id];

    memset(&rich, 0, sizeof(glossary_buf_t));
    memset(&url, 0, sizeof(glossary_buf_t));
    memset(&head, 0, sizeof(glossary_buf_t));
    memset(&body, 0, sizeof(glossary_buf_t));
    memset(&none, 0, sizeof(glossary_text_t));

    if (s->base.len) {
        glossary_buf_add(&url, s->base.data, s->base.len);
        glossary_buf_add(&url, e->slug.data, e->slug.len);
    }

    title = glossary_full(&e->seo_title) ? e->seo_title : e->term;
    desc = glossary_full(&e->seo_description) ? e->seo_description
                                               : e->short_definition;

    glossary_head(s, &head, "article", &title, &desc, &url);
    glossary_jsonld(s, &head, id, &url);

    glossary_buf_str(&body, "<article class=\"term\">\n<h1>");
    glossary_html_text(&body, &e->term);
    glossary_buf_str(&body, "</h1>\n");

    if (glossary_full(&e->short_definition)) {
        glossary_buf_str(&body, "<p class=\"short\">");
        glossary_html_text(&body, &e->short_definition);
        glossary_buf_str(&body, "</p>\n");
    }

    /* with --autolink, these two parts go through the automaton */
    text = (s->autolink != NULL) ? &rich : &body;

    if (glossary_full(&e->explanation)) {
        glossary_buf_str(text, "<div class=\"explanation\">\n");
        glossary_paragraphs(text, &e->explanation);
        glossary_buf_str(text, "</div>\n");
    }

    if (e->nfaq > 0) {
        glossary_buf_str(text, "<section class=\"faq\" "
                         "aria-labelledby=\"faq\">\n"
                         "<h2 id=\"faq\">Frequently asked questions</h2>\n"
                         "<dl>\n");

        for (j = 0; j < e->nfaq; j++) {
            glossary_buf_str(text, "<dt>");
            glossary_html_text(text, &e->faq[j].question);
            glossary_buf_str(text, "</dt>\n<dd>");
            glossary_paragraphs(text, &e->faq[j].answer);
            glossary_buf_str(text, "</dd>\n");
        }

        glossary_buf_str(text, "</dl>\n</section>\n");
    }

    if (text == &rich) {
        glossary_autolink_text(s, id, &rich, &body);
        glossary_buf_free(&rich);
    }

    c = s->cat_of[id];

    if (c != GLOSSARY_NO_TERM) {
        glossary_buf_str(&body, "<p class=\"category\">Category: "
                         "<a href=\"" GLOSSARY_ROUTE_CATEGORY_NAME "/");
        glossary_buf_add(&body, s->cats[c].slug.data, s->cats[c].slug.len);
        glossary_buf_str(&body, "\">");
        glossary_html_text(&body, &s->cats[c].name);
        glossary_buf_str(&body, "</a></p>\n");
    }

    if (e->nrelated > 0) {
        glossary_buf_str(&body, "<section class=\"related\" "
                         "aria-labelledby=\"related\">\n"
                         "<h2 id=\"related\">Related terms</h2>\n<ul>\n");

        for (j = 0; j < e->nrelated; j++) {
            to = s->targets[s->first_link[id] + j];

            if (to != GLOSSARY_NO_TERM) {
                glossary_term_item(s, &body, "", to);
                continue;
            }

            glossary_buf_str(&body, "<li>");
            glossary_html_text(&body, &e->related[j].name);
            glossary_buf_str(&body, "</li>\n");
        }

        glossary_buf_str(&body, "</ul>\n</section>\n");
    }

    if (s->first_back[id + 1] > s->first_back[id]) {
        glossary_buf_str(&body, "<section class=\"backlinks\" "
                         "aria-labelledby=\"backlinks\">\n"
                         "<h2 id=\"backlinks\">Terms that link here</h2>\n"
                         "<ul>\n");

        for (k = s->first_back[id]; k < s->first_back[id + 1]; k++) {
            glossary_term_item(s, &body, "", s->back[k]);
        }

        glossary_buf_str(&body, "</ul>\n</section>\n");
    }

    glossary_buf_str(&body, "</article>\n");

    glossary_frame(s, "term", &title, &desc, &url, &glossary_top, &head,
                   &body, 0, out);

    glossary_buf_free(&url);
    glossary_buf_free(&head);
    glossary_buf_free(&body);
}


/* index groups: 0 digits, 1 to 26 letters, 27 anything else */
#define GLOSSARY_GROUPS  28

static uint32_t
glossary_group(const glossary_text_t *name)
{
    size_t          n;
    unsigned char   first[8], *fold;
    uint32_t        g;

    /* the first folded byte comes from at most the first 4 bytes' letter */
    fold = glossary_xmalloc(name->len ? name->len : 1);
    n = glossary_fold(fold, (const unsigned char *) name->data, name->len);

    first[0] = n ? fold[0] : 0;
    free(fold);

    if (first[0] >= '0' && first[0] <= '9') {
        g = 0;

    } else if (first[0] >= 'a' && first[0] <= 'z') {
        g = 1 + (first[0] - 'a');

    } else {
        g = GLOSSARY_GROUPS - 1;
    }

    return g;
}


static void
glossary_group_name(uint32_t g, char *id, char *label)
{
    if (g == 0) {
        strcpy(id, "letter-0-9");
        strcpy(label, "0\xe2\x80\x93" "9");

    } else if (g < GLOSSARY_GROUPS - 1) {
        sprintf(id, "letter-%c", 'a' + g - 1);
        sprintf(label, "%c", 'A' + g - 1);

    } else {
        strcpy(id, "letter-other");
        strcpy(label, "Other");
    }
}


void
glossary_page_index(glossary_site_t *s, glossary_buf_t *out)
{
    char               id[16], label[16];
    uint32_t           i, g, count[GLOSSARY_GROUPS], *group;
    glossary_buf_t     url, head, body;
    glossary_text_t    desc;

    memset(&url, 0, sizeof(glossary_buf_t));
    memset(&head, 0, sizeof(glossary_buf_t));
    memset(&body, 0, sizeof(glossary_buf_t));
    memset(&desc, 0, sizeof(glossary_text_t));
    memset(count, 0, sizeof(count));

    group = glossary_xmalloc((size_t) s->n * sizeof(uint32_t) + 1);

    for (i = 0; i < s->n; i++) {
        group[i] = glossary_group(&s->entries[s->order[i]].term);
        count[group[i]]++;
    }

    glossary_buf_add(&url, s->base.data, s->base.len);
    glossary_head(s, &head, "website", &s->site_name, &desc, &url);

    glossary_buf_str(&head, "<script type=\"application/ld+json\">"
                     "{\"@context\":\"https://schema.org\",\"@graph\":[");
    glossary_term_set(s, &head);
    glossary_buf_str(&head, "]}</script>\n");

    glossary_buf_str(&body, "<h1>");
    glossary_html_text(&body, &s->site_name);
    glossary_buf_str(&body, "</h1>\n");

    if (s->ncats > 0) {
        glossary_buf_str(&body, "<p><a href=\"" GLOSSARY_ROUTE_CATEGORY_NAME
                         "/\">Browse by category</a></p>\n");
    }

    glossary_buf_str(&body, "<nav class=\"letters\" aria-label=\"Terms by "
                     "letter\">\n<ul>\n");

    for (g = 0; g < GLOSSARY_GROUPS; g++) {
        if (count[g] == 0) {
            continue;
        }

        glossary_group_name(g, id, label);
        glossary_buf_str(&body, "<li><a href=\"#");
        glossary_buf_str(&body, id);
        glossary_buf_str(&body, "\">");
        glossary_buf_str(&body, label);
        glossary_buf_str(&body, "</a></li>\n");
    }

    glossary_buf_str(&body, "</ul>\n</nav>\n");

    for (g = 0; g < GLOSSARY_GROUPS; g++) {
        if (count[g] == 0) {
            continue;
        }

        glossary_group_name(g, id, label);
        glossary_buf_str(&body, "<section aria-labelledby=\"");
        glossary_buf_str(&body, id);
        glossary_buf_str(&body, "\">\n<h2 id=\"");
        glossary_buf_str(&body, id);
        glossary_buf_str(&body, "\">");
        glossary_buf_str(&body, label);
        glossary_buf_str(&body, "</h2>\n<ul>\n");

        for (i = 0; i < s->n; i++) {
            if (group[i] == g) {
                glossary_term_item(s, &body, "", s->order[i]);
            }
        }

        glossary_buf_str(&body, "</ul>\n</section>\n");
    }

    glossary_frame(s, "index", &s->site_name, &desc, &url, &glossary_top,
                   &head, &body, 0, out);

    free(group);
    glossary_buf_free(&url);
    glossary_buf_free(&head);
    glossary_buf_free(&body);
}


void
glossary_page_category(glossary_site_t *s, uint32_t c, glossary_buf_t *out)
{
    char               count[64];
    uint32_t           i;
    glossary_buf_t     url, head, body, title;
    glossary_text_t    desc, t;
    glossary_cat_t    *cat;

    cat = &s->cats[c];

    memset(&url, 0, sizeof(glossary_buf_t));
    memset(&head, 0, sizeof(glossary_buf_t));
    memset(&body, 0, sizeof(glossary_buf_t));
    memset(&title, 0, sizeof(glossary_buf_t));
    memset(&desc, 0, sizeof(glossary_text_t));

    if (s->base.len) {
        glossary_buf_add(&url, s->base.data, s->base.len);
        glossary_buf_str(&url, GLOSSARY_ROUTE_CATEGORY_NAME "/");
        glossary_buf_add(&url, cat->slug.data, cat->slug.len);
    }

    glossary_title(s, &title, cat->name.data, cat->name.len);
    t = glossary_buf_text(&title);

    glossary_head(s, &head, "website", &t, &desc, &url);

    glossary_buf_str(&body, "<h1>");
    glossary_html_text(&body, &cat->name);
    snprintf(count, sizeof(count), "</h1>\n<p>%u term%s in this category. ",
             (unsigned) cat->nterms, cat->nterms == 1 ? "" : "s");
    glossary_buf_str(&body, count);
    glossary_buf_str(&body, "<a href=\"./\">All categories</a></p>\n<ul>\n");

    for (i = 0; i < cat->nterms; i++) {
        glossary_term_item(s, &body, "../", cat->terms[i]);
    }

    glossary_buf_str(&body, "</ul>\n");

    glossary_frame(s, "category", &t, &desc, &url, &glossary_sub, &head,
                   &body, 0, out);

    glossary_buf_free(&url);
    glossary_buf_free(&head);
    glossary_buf_free(&body);
    glossary_buf_free(&title);
}


void
glossary_page_categories(glossary_site_t *s, glossary_buf_t *out)
{
    char               count[32];
    uint32_t           c;
    glossary_buf_t     url, head, body, title;
    glossary_text_t    desc, t;

    memset(&url, 0, sizeof(glossary_buf_t));
    memset(&head, 0, sizeof(glossary_buf_t));
    memset(&body, 0, sizeof(glossary_buf_t));
    memset(&title, 0, sizeof(glossary_buf_t));
    memset(&desc, 0, sizeof(glossary_text_t));

    if (s->base.len) {
        glossary_buf_add(&url, s->base.data, s->base.len);
        glossary_buf_str(&url, GLOSSARY_ROUTE_CATEGORY_NAME "/");
    }

    glossary_title(s, &title, "Categories", 10);
    t = glossary_buf_text(&title);

    glossary_head(s, &head, "website", &t, &desc, &url);

    glossary_buf_str(&body, "<h1>Categories</h1>\n");

    if (s->ncats == 0) {
        glossary_buf_str(&body, "<p>This glossary has no categories.</p>\n");

    } else {
        glossary_buf_str(&body, "<ul>\n");

        for (c = 0; c < s->ncats; c++) {
            glossary_buf_str(&body, "<li><a href=\"");
            glossary_buf_add(&body, s->cats[c].slug.data,
                             s->cats[c].slug.len);
            glossary_buf_str(&body, "\">");
            glossary_html_text(&body, &s->cats[c].name);
            snprintf(count, sizeof(count), "</a> (%u)</li>\n",
                     (unsigned) s->cats[c].nterms);
            glossary_buf_str(&body, count);
        }

        glossary_buf_str(&body, "</ul>\n");
    }

    glossary_frame(s, "categories", &t, &desc, &url, &glossary_sub, &head,
                   &body, 0, out);

    glossary_buf_free(&url);
    glossary_buf_free(&head);
    glossary_buf_free(&body);
    glossary_buf_free(&title);
}


void
glossary_page_not_found(glossary_site_t *s, glossary_buf_t *out)
{
    glossary_buf_t     url, head, body, title;
    glossary_text_t    desc, t;
    glossary_where_t   w;

    memset(&url, 0, sizeof(glossary_buf_t));
    memset(&head, 0, sizeof(glossary_buf_t));
    memset(&body, 0, sizeof(glossary_buf_t));
    memset(&title, 0, sizeof(glossary_buf_t));
    memset(&desc, 0, sizeof(glossary_text_t));

    /* served at any depth: only an absolute base makes links that work */
    w = glossary_top;

    if (s->base.len) {
        w.up = s->base.data;
        w.root = s->base.data;
    }

    glossary_title(s, &title, "Page not found", 14);
    t = glossary_buf_text(&title);

    glossary_buf_str(&head, "<meta name=\"robots\" content=\"noindex\">\n");

    glossary_buf_str(&body, "<h1>Page not found</h1>\n<p>There is no such "
                     "page in this glossary. <a href=\"");
    glossary_buf_html(&body, w.root, strlen(w.root), 0);
    glossary_buf_str(&body, "\">See all terms</a>.</p>\n");

    glossary_frame(s, "not-found", &t, &desc, &url, &w, &head, &body, 0,
                   out);

    glossary_buf_free(&head);
    glossary_buf_free(&body);
    glossary_buf_free(&title);
}


void
glossary_page_search(glossary_site_t *s, glossary_buf_t *out)
{
    glossary_buf_t     url, head, body, title;
    glossary_text_t    desc, t;

    memset(&url, 0, sizeof(glossary_buf_t));
    memset(&head, 0, sizeof(glossary_buf_t));
    memset(&body, 0, sizeof(glossary_buf_t));
    memset(&title, 0, sizeof(glossary_buf_t));
    memset(&desc, 0, sizeof(glossary_text_t));

    glossary_title(s, &title, "Search: \x01", 9);
    t = glossary_buf_text(&title);

    glossary_buf_str(&head, "<meta name=\"robots\" content=\"noindex\">\n");

    glossary_buf_str(&body, "<h1>Search results for \xe2\x80\x9c\x01"
                     "\xe2\x80\x9d</h1>\n<ul class=\"results\">\n\x02"
                     "</ul>\n");

    glossary_frame(s, "search", &t, &desc, &url, &glossary_top, &head, &body,
                   1, out);

    glossary_buf_free(&head);
    glossary_buf_free(&body);
    glossary_buf_free(&title);
}


void
glossary_search_html(glossary_site_t *s, uint32_t id, glossary_buf_t *out)
{
    glossary_term_item(s, out, "", id);
}


void
glossary_search_empty(glossary_site_t *s, glossary_buf_t *out)
{
    (void) s;

    glossary_buf_str(out, "<li class=\"empty\">No terms match this "
                     "search.</li>\n");
}


static void
glossary_sitemap_url(glossary_site_t *s, glossary_buf_t *b, const char *dir,
    const glossary_text_t *slug)
{
    glossary_buf_str(b, "<url><loc>");
    glossary_buf_xml(b, s->base.data, s->base.len);
    glossary_buf_str(b, dir);

    if (slug != NULL) {
        glossary_buf_add(b, slug->data, slug->len);
    }

    glossary_buf_str(b, "</loc><lastmod>");
    glossary_buf_str(b, s->lastmod);
    glossary_buf_str(b, "</lastmod></url>\n");
}


void
glossary_sitemap(glossary_site_t *s, glossary_buf_t *out)
{
    uint32_t  i;

    if (s->base.len == 0) {
        return;
    }

    glossary_buf_str(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                     "<urlset xmlns=\"http://www.sitemaps.org/schemas/"
                     "sitemap/0.9\">\n");

    glossary_sitemap_url(s, out, "", NULL);

    for (i = 0; i < s->n; i++) {
        glossary_sitemap_url(s, out, "", &s->entries[i].slug);
    }

    glossary_sitemap_url(s, out, GLOSSARY_ROUTE_CATEGORY_NAME "/", NULL);

    for (i = 0; i < s->ncats; i++) {
        glossary_sitemap_url(s, out, GLOSSARY_ROUTE_CATEGORY_NAME "/",
                             &s->cats[i].slug);
    }

    glossary_buf_str(out, "</urlset>\n");
}


/*
 * Nuxt payload: devalue's flattened form, as Nuxt writes it for
 * useFetch data.  devalue numbers values in depth-first order as it meets
 * them, stores each distinct string once, and writes objects with their
 * keys in insertion order.  Strings are escaped as Nuxt's payloads have
 * them (< > / as \u003C \u003E \u002F, U+2028 and U+2029 as \u escapes,
 * the rest as JSON requires), so a payload read from a file comes out
 * byte for byte as it went in.
 */

typedef struct glossary_devalue_s  glossary_devalue_t;

static void glossary_devalue_grow(glossary_devalue_t *d);


struct glossary_devalue_s {
    glossary_buf_t    *elems;
    uint32_t           n;
    uint32_t           nalloc;
    uint32_t           null_index;      /* 0: none yet */
    /* the strings' elements by their bytes: index + 1, 0 empty */
    uint32_t          *strings;
    uint32_t           nstrings;        /* a power of two, or 0 */
    uint32_t           used;
};


/* the bytes glossary_devalue_string() looks at: the rest is copied */
static const uint32_t  glossary_devalue_special[8] = {
    0xffffffff,     /* control characters */
    0x50008004,     /* " / < > */
    0x10000000,     /* \ */
    0x00000000,
    0x00000000,
    0x00000000,
    0x00000000,
    0x00000004      /* 0xe2: U+2028, U+2029 */
};


static void
glossary_devalue_string(glossary_buf_t *b, const char *data, size_t len)
{
    char                  esc[8];
    size_t                i, start;
    const char           *rep;
    const unsigned char  *p;

    p = (const unsigned char *) data;
    start = 0;

    glossary_buf_add(b, "\"", 1);

    for (i = 0; i < len; i++) {
        if (!glossary_byte_in(glossary_devalue_special, p[i])) {
            continue;
        }

        rep = NULL;

        switch (p[i]) {
        case '"':
            rep = "\\\"";
            break;
        case '<':
            rep = "\\u003C";
            break;
        case '>':
            rep = "\\u003E";
            break;
        case '/':
            rep = "\\u002F";
            break;
        case '\\':
            rep = "\\\\";
            break;
        case '\n':
            rep = "\\n";
            break;
        case '\r':
            rep = "\\r";
            break;
        case '\t':
            rep = "\\t";
            break;
        case '\b':
            rep = "\\b";
            break;
        case '\f':
            rep = "\\f";
            break;
        default:
            if (p[i] < 0x20) {
                snprintf(esc, sizeof(esc), "\\u%04x", p[i]);
                rep = esc;

            } else if (p[i] == 0xe2 && i + 2 < len && p[i + 1] == 0x80
                       && (p[i + 2] == 0xa8 || p[i + 2] == 0xa9))
            {
                rep = p[i + 2] == 0xa8 ? "\\u2028" : "\\u2029";
                glossary_buf_add(b, p + start, i - start);
                glossary_buf_str(b, rep);
                i += 2;
                start = i + 1;
                continue;
            }
        }

        if (rep != NULL) {
            glossary_buf_add(b, p + start, i - start);
            glossary_buf_str(b, rep);
            start = i + 1;
        }
    }

    glossary_buf_add(b, p + start, len - start);
    glossary_buf_add(b, "\"", 1);
}


static uint32_t
glossary_devalue_new(glossary_devalue_t *d)
{
    if (d->n == d->nalloc) {
        d->nalloc = d->nalloc ? d->nalloc * 2 : 64;
        d->elems = glossary_xrealloc(d->elems,
                                     d->nalloc * sizeof(glossary_buf_t));
    }

    memset(&d->elems[d->n], 0, sizeof(glossary_buf_t));

    return d->n++;
}


/* a string, or null for an absent text; equal values share one index */
static uint32_t
glossary_devalue_text(glossary_devalue_t *d, const glossary_text_t *t)
{
    uint32_t         i, k, mask;
    glossary_buf_t   probe;

    if (t->data == NULL) {
        if (d->null_index == 0) {
            d->null_index = glossary_devalue_new(d);
            glossary_buf_str(&d->elems[d->null_index], "null");
        }

        return d->null_index;
    }

    memset(&probe, 0, sizeof(glossary_buf_t));
    glossary_devalue_string(&probe, t->data, t->len);

    /* a table of the strings, so that a term of many related is linear */
    if (2 * (d->used + 1) > d->nstrings) {
        glossary_devalue_grow(d);
    }

    mask = d->nstrings - 1;

    for (i = XXH3_64bits(probe.data, probe.len) & mask;
         d->strings[i] != 0;
         i = (i + 1) & mask)
    {
        k = d->strings[i] - 1;

        if (d->elems[k].len == probe.len
            && memcmp(d->elems[k].data, probe.data, probe.len) == 0)
        {
            glossary_buf_free(&probe);
            return k;
        }
    }

    k = glossary_devalue_new(d);
    d->elems[k] = probe;
    d->strings[i] = k + 1;
    d->used++;

    return k;
}


static void
glossary_devalue_grow(glossary_devalue_t *d)
{
    uint32_t   i, j, n, mask, *old;

    old = d->strings;
    n = d->nstrings;

    d->nstrings = n ? n * 2 : 64;
    d->strings = glossary_xcalloc(d->nstrings, sizeof(uint32_t));
    mask = d->nstrings - 1;

    for (i = 0; i < n; i++) {
        if (old[i] == 0) {
            continue;
        }

        for (j = XXH3_64bits(d->elems[old[i] - 1].data,
                             d->elems[old[i] - 1].len) & mask;
             d->strings[j] != 0;
             j = (j + 1) & mask)
        {
            /* void */
        }

        d->strings[j] = old[i];
    }

    free(old);
}


static void
glossary_devalue_key(glossary_buf_t *b, int first, const char *key,
    uint32_t value)
{
    char  num[16];

    if (!first) {
        glossary_buf_add(b, ",", 1);
    }

    glossary_devalue_string(b, key, strlen(key));
    snprintf(num, sizeof(num), ":%u", (unsigned) value);
    glossary_buf_str(b, num);
}


static void
glossary_devalue_index(glossary_buf_t *b, int first, uint32_t value)
{
    char  num[16];

    snprintf(num, sizeof(num), "%s%u", first ? "" : ",", (unsigned) value);
    glossary_buf_str(b, num);
}


/*
 * a list of two-key objects (relatedTerms, faq), in devalue's order: the
 * list, then per item the object and its two values; returns the list
 */
static uint32_t
glossary_devalue_pairs(glossary_devalue_t *d, const void *items, size_t size,
    uint32_t n, size_t off1, const char *key1, size_t off2, const char *key2)
{
    uint32_t              j, list, item, a, b;
    const char           *p;
    glossary_buf_t       *el;

    list = glossary_devalue_new(d);
    glossary_buf_str(&d->elems[list], "[");

    for (j = 0; j < n; j++) {
        p = (const char *) items + (size_t) j * size;

        item = glossary_devalue_new(d);
        a = glossary_devalue_text(d, (const glossary_text_t *) (p + off1));
        b = glossary_devalue_text(d, (const glossary_text_t *) (p + off2));

        el = &d->elems[item];
        glossary_buf_str(el, "{");
        glossary_devalue_key(el, 1, key1, a);
        glossary_devalue_key(el, 0, key2, b);
        glossary_buf_str(el, "}");

        glossary_devalue_index(&d->elems[list], j == 0, item);
    }

    glossary_buf_str(&d->elems[list], "]");

    return list;
}


void
glossary_payload(glossary_site_t *s, uint32_t id, glossary_buf_t *out)
{
    char                 key[64];
    size_t               i, klen;
    uint32_t             j, obj, v[9];
    unsigned char        raw[16];
    glossary_entry_t    *e;
    XXH128_hash_t        h;
    XXH128_canonical_t   canon;
    glossary_buf_t      *el, data;
    glossary_devalue_t   d;

    static const char   b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
                                "qrstuvwxyz0123456789-_";

    e = &s->entries[id];
    memset(&d, 0, sizeof(glossary_devalue_t));
    memset(&data, 0, sizeof(glossary_buf_t));

    /* the key of the data: the source's own, or one derived from the slug */
    if (e->payload_key.data != NULL) {
        glossary_buf_add(&data, e->payload_key.data, e->payload_key.len);

    } else {
        glossary_buf_str(&data, "glossary:");
        glossary_buf_add(&data, e->slug.data, e->slug.len);

        h = XXH3_128bits(data.data, data.len);
        XXH128_canonicalFromHash(&canon, h);
        memcpy(raw, canon.digest, 16);

        klen = 0;
        key[klen++] = '$';
        key[klen++] = 'f';

        for (i = 0; i < 16; i += 3) {
            uint32_t  w = (uint32_t) raw[i] << 16;

            w |= i + 1 < 16 ? (uint32_t) raw[i + 1] << 8 : 0;
            w |= i + 2 < 16 ? (uint32_t) raw[i + 2] : 0;

            key[klen++] = b64[(w >> 18) & 63];
            key[klen++] = b64[(w >> 12) & 63];

            if (i + 1 < 16) {
                key[klen++] = b64[(w >> 6) & 63];
            }

            if (i + 2 < 16) {
                key[klen++] = b64[w & 63];
            }
        }

        data.len = 0;
        glossary_buf_add(&data, key, klen);
    }

    glossary_buf_add(&data, "", 1);

    /* 0: {"data":1,"prerenderedAt":-1}, 1: ["ShallowReactive",2] */
    glossary_devalue_new(&d);
    glossary_buf_str(&d.elems[0], "{\"data\":1,\"prerenderedAt\":-1}");
    glossary_devalue_new(&d);
    glossary_buf_str(&d.elems[1], "[\"ShallowReactive\",2]");

    /* 2: {key: 3} */
    glossary_devalue_new(&d);
    glossary_buf_str(&d.elems[2], "{");
    glossary_devalue_key(&d.elems[2], 1, (const char *) data.data, 3);
    glossary_buf_str(&d.elems[2], "}");

    obj = glossary_devalue_new(&d);

    v[0] = glossary_devalue_text(&d, &e->slug);
    v[1] = glossary_devalue_text(&d, &e->term);
    v[2] = glossary_devalue_text(&d, &e->short_definition);
    v[3] = glossary_devalue_text(&d, &e->seo_title);
    v[4] = glossary_devalue_text(&d, &e->seo_description);
    v[5] = glossary_devalue_text(&d, &e->explanation);

    v[6] = glossary_devalue_pairs(&d, e->related, sizeof(glossary_link_t),
                                  e->nrelated,
                                  offsetof(glossary_link_t, slug), "slug",
                                  offsetof(glossary_link_t, name), "name");

    v[7] = glossary_devalue_pairs(&d, e->faq, sizeof(glossary_faq_t),
                                  e->nfaq,
                                  offsetof(glossary_faq_t, question),
                                  "question",
                                  offsetof(glossary_faq_t, answer), "answer");

    v[8] = glossary_devalue_text(&d, &e->category);

    el = &d.elems[obj];
    glossary_buf_str(el, "{");
    glossary_devalue_key(el, 1, "slug", v[0]);
    glossary_devalue_key(el, 0, "term", v[1]);
    glossary_devalue_key(el, 0, "shortDefinition", v[2]);
    glossary_devalue_key(el, 0, "seoTitle", v[3]);
    glossary_devalue_key(el, 0, "seoDescription", v[4]);
    glossary_devalue_key(el, 0, "explanation", v[5]);
    glossary_devalue_key(el, 0, "relatedTerms", v[6]);
    glossary_devalue_key(el, 0, "faq", v[7]);
    glossary_devalue_key(el, 0, "category", v[8]);
    glossary_buf_str(el, "}");

    glossary_buf_add(out, "[", 1);

    for (j = 0; j < d.n; j++) {
        if (j > 0) {
            glossary_buf_add(out, ",", 1);
        }

        glossary_buf_add(out, d.elems[j].data, d.elems[j].len);
        glossary_buf_free(&d.elems[j]);
    }

    glossary_buf_add(out, "]", 1);

    free(d.elems);
    free(d.strings);
    glossary_buf_free(&data);
}
