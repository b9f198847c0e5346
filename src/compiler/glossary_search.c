/*
 * glossaryc's search index (glossary_search.h).
 */

#include <stdlib.h>
#include <string.h>

#include "glossary_fold.h"
#include "glossary_search.h"
#include "glossaryc.h"


/* a search key: bytes of a term's folded name or slug from skip on */
struct glossary_skey_s {
    const unsigned char  *key;
    size_t                len;
    uint32_t              id;
    uint32_t              order;
    uint32_t              skip;
    uint32_t              slug;       /* from the slug, not the name */
};


static int glossary_skey_cmp(const void *a, const void *b);
static void glossary_search_array(const glossary_skey_t *keys, uint32_t n,
    glossary_search_t *out, const glossary_ref_t *names,
    const glossary_ref_t *slugs);
static size_t glossary_segments_cut(const glossary_buf_t *page,
    glossary_segment_t *seg);


void
glossary_search_keys(glossary_search_keys_t *sk, const glossary_site_t *s)
{
    size_t             i, len, nwords;
    uint32_t           id;
    glossary_entry_t  *e;
    glossary_skey_t   *k;

    sk->name = glossary_xmalloc((size_t) s->n * sizeof(unsigned char *));
    sk->name_len = glossary_xmalloc((size_t) s->n * sizeof(size_t));
    sk->slug = glossary_xmalloc((size_t) s->n * sizeof(unsigned char *));
    sk->slug_len = glossary_xmalloc((size_t) s->n * sizeof(size_t));
    sk->terms = glossary_xmalloc(((size_t) s->n * 2 + 1)
                                 * sizeof(glossary_skey_t));
    sk->nterms = 0;
    sk->nwords = 0;

    nwords = 0;

    for (id = 0; id < s->n; id++) {
        e = &s->entries[id];

        sk->name[id] = glossary_xmalloc(e->term.len + 1);
        sk->name_len[id] = glossary_fold(sk->name[id],
                                         (const unsigned char *) e->term.data,
                                         e->term.len);
        sk->slug[id] = glossary_xmalloc(e->slug.len + 1);
        sk->slug_len[id] = glossary_fold(sk->slug[id],
                                         (const unsigned char *) e->slug.data,
                                         e->slug.len);
        sk->n = id + 1;

        for (i = 0; i < sk->name_len[id]; i++) {
            nwords += (sk->name[id][i] == ' ');
        }
    }

    sk->words = glossary_xmalloc((nwords + 1) * sizeof(glossary_skey_t));

    for (id = 0; id < s->n; id++) {
        len = sk->name_len[id];

        if (len > 0) {
            k = &sk->terms[sk->nterms++];
            k->key = sk->name[id];
            k->len = len;
            k->id = id;
            k->order = s->rank[id];
            k->skip = 0;
            k->slug = 0;
        }

        if (sk->slug_len[id] > 0
            && (sk->slug_len[id] != len
                || memcmp(sk->slug[id], sk->name[id], len) != 0))
        {
            k = &sk->terms[sk->nterms++];
            k->key = sk->slug[id];
            k->len = sk->slug_len[id];
            k->id = id;
            k->order = s->rank[id];
            k->skip = 0;
            k->slug = 1;
        }

        nwords = 0;

        for (i = 0; i < len && nwords < GLOSSARY_MAX_SEARCH_KEYS; i++) {
            if (sk->name[id][i] != ' ') {
                continue;
            }

            k = &sk->words[sk->nwords++];
            k->key = sk->name[id] + i + 1;
            k->len = len - i - 1;
            k->id = id;
            k->order = s->rank[id];
            k->skip = (uint32_t) (i + 1);
            k->slug = 0;
            nwords++;
        }
    }

    qsort(sk->terms, sk->nterms, sizeof(glossary_skey_t), glossary_skey_cmp);
    qsort(sk->words, sk->nwords, sizeof(glossary_skey_t), glossary_skey_cmp);
}


void
glossary_search_write(const glossary_search_keys_t *sk,
    glossary_strings_t *strings, glossary_search_t *terms,
    glossary_search_t *words)
{
    uint32_t         id;
    glossary_ref_t  *names, *slugs;

    names = glossary_xmalloc(((size_t) sk->n + 1) * sizeof(glossary_ref_t));
    slugs = glossary_xmalloc(((size_t) sk->n + 1) * sizeof(glossary_ref_t));

    /* suffix keys are references into their whole folded name */
    for (id = 0; id < sk->n; id++) {
        names[id] = glossary_string(strings, sk->name[id],
                                    sk->name_len[id]);
        slugs[id] = glossary_string(strings, sk->slug[id],
                                    sk->slug_len[id]);
    }

    glossary_search_array(sk->terms, sk->nterms, terms, names, slugs);
    glossary_search_array(sk->words, sk->nwords, words, names, slugs);

    free(names);
    free(slugs);
}


void
glossary_search_keys_free(glossary_search_keys_t *sk)
{
    uint32_t  id;

    for (id = 0; id < sk->n; id++) {
        free(sk->name[id]);
        free(sk->slug[id]);
    }

    free(sk->terms);
    free(sk->words);
    free(sk->name_len);
    free(sk->slug_len);
    free(sk->name);
    free(sk->slug);

    memset(sk, 0, sizeof(glossary_search_keys_t));
}


size_t
glossary_search_segments(const glossary_buf_t *page)
{
    return glossary_segments_cut(page, NULL);
}


void
glossary_search_page(const glossary_buf_t *page, glossary_strings_t *strings,
    glossary_segment_t *seg)
{
    size_t  i, n;

    n = glossary_segments_cut(page, seg);

    for (i = 0; i < n; i++) {
        if (seg[i].kind == GLOSSARY_SEGMENT_TEXT) {
            seg[i].text = glossary_string(strings,
                                          page->data + seg[i].text.off,
                                          seg[i].text.len);

        } else {
            seg[i].text = glossary_string(strings, NULL, 0);
        }
    }
}


static int
glossary_skey_cmp(const void *a, const void *b)
{
    int                     rc;
    size_t                  n;
    const glossary_skey_t  *x, *y;

    x = a;
    y = b;

    n = x->len < y->len ? x->len : y->len;
    rc = memcmp(x->key, y->key, n);

    if (rc != 0) {
        return rc;
    }

    if (x->len != y->len) {
        return x->len < y->len ? -1 : 1;
    }

    if (x->order != y->order) {
        return x->order < y->order ? -1 : 1;
    }

    if (x->slug != y->slug) {
        return x->slug < y->slug ? -1 : 1;
    }

    return (x->skip > y->skip) - (x->skip < y->skip);
}


static void
glossary_search_array(const glossary_skey_t *keys, uint32_t n,
    glossary_search_t *out, const glossary_ref_t *names,
    const glossary_ref_t *slugs)
{
    uint32_t        i;
    glossary_ref_t  whole;

    for (i = 0; i < n; i++) {
        whole = keys[i].slug ? slugs[keys[i].id] : names[keys[i].id];

        out[i].key.off = whole.off + keys[i].skip;
        out[i].key.len = keys[i].len;
        out[i].term_id = keys[i].id;
        out[i].order = keys[i].order;
    }
}


/* the page at its markers: counts, and fills seg when not NULL */
static size_t
glossary_segments_cut(const glossary_buf_t *page, glossary_segment_t *seg)
{
    size_t  i, start, n;

    n = 0;
    start = 0;

    for (i = 0; i <= page->len; i++) {
        if (i < page->len
            && page->data[i] != GLOSSARY_MARK_QUERY
            && page->data[i] != GLOSSARY_MARK_RESULTS)
        {
            continue;
        }

        if (i > start) {
            if (seg) {
                seg[n].kind = GLOSSARY_SEGMENT_TEXT;
                seg[n].text.off = start;
                seg[n].text.len = i - start;
            }

            n++;
        }

        if (i < page->len) {
            if (seg) {
                seg[n].kind = page->data[i] == GLOSSARY_MARK_QUERY
                              ? GLOSSARY_SEGMENT_QUERY
                              : GLOSSARY_SEGMENT_RESULTS;
            }

            n++;
        }

        start = i + 1;
    }

    return n;
}
