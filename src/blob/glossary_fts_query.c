/*
 * The FTS query engine (src/blob/glossary_fts.h; SEARCH.md explains the
 * syntax, the ranking and the bounds).  It reads only an image that
 * glossary_fts_open() has validated, and writes only the caller's scratch
 * and result: no allocation, no global state.
 *
 * A query is parsed into words, each word expanded into index words
 * (itself, its stem, completions of a last word, typo corrections) whose
 * posting lists are then intersected, word by word, a union of lists per
 * word.  Each list has two layers (name/alias/slug hits, the rest); the
 * intersection is run per combination of layers, best upper bound first,
 * and stops when no remaining combination can enter the top k.
 */

#include <string.h>

#include "glossary_fold.h"
#include "glossary_fts.h"


#define FQ_END            0xffffffffu
#define FQ_NONE           0xff

/* rank: exact tier | words matched | typo credit | field tier | score */
#define FQ_TIER_SHIFT     62
#define FQ_WORDS_SHIFT    54
#define FQ_TYPO_SHIFT     46
#define FQ_FIELD_SHIFT    43
#define FQ_SCORE_MASK     ((1ull << FQ_FIELD_SHIFT) - 1)

/* the tier of the best field of a mask: name 6 ... explanation 1, none 0 */
#define fq_tier(m)        ((m) ? 6u - (uint32_t) __builtin_ctz(m) : 0)

/* expansion kinds */
enum {
    FQ_EXACT = 0,
    FQ_STEM,
    FQ_PREFIX,
    FQ_TYPO
};

#define FQ_PREFIX_KEEP    8     /* completions kept of a last word */
#define FQ_MAX_POS        256   /* positions read per word for a phrase */
#define FQ_MAX_PHRASES    4
#define FQ_SEEN           256   /* words remembered by the snippets */


typedef struct {
    const glossary_fts_skip_t  *first;      /* the layer's first block */
    const glossary_fts_skip_t  *skip;       /* the decoded block */
    const glossary_fts_skip_t  *end;
    uint32_t                    i;
    uint32_t                    n;          /* decoded postings, 0: none */
    uint32_t                    doc;        /* current, FQ_END past the end */
    uint32_t                    min_max;    /* blocks of a lower max: skip */
    uint32_t                    docs[GLOSSARY_FTS_BLOCK];
    uint8_t                     imp[GLOSSARY_FTS_BLOCK];
    uint8_t                     fields[GLOSSARY_FTS_BLOCK];
} fq_cursor_t;

typedef struct {
    uint32_t        list;
    uint8_t         typos;
    uint8_t         kind;
    uint8_t         weight;         /* 4: whole impact, 3: three quarters */
    uint8_t         stem_len;
    unsigned char   stem[GLOSSARY_FTS_MAX_WORD];  /* the list's stem */
} fq_exp_t;

typedef struct {
    unsigned char   text[GLOSSARY_FTS_MAX_WORD];
    unsigned char   stem[GLOSSARY_FTS_MAX_WORD];
    uint8_t         len;
    uint8_t         stem_len;
    uint8_t         prefix;         /* the last word: completions too */
    uint8_t         phrase;         /* phrase group + 1, 0: none */
    uint8_t         nexp;
    uint8_t         nexp0;          /* the first nexp0 have no typo */
    uint8_t         active;         /* expansions in this pass */
    uint8_t         layer;          /* layer of this combination */
    uint32_t        ub[2];          /* best contribution per layer */
    uint32_t        fields[2];      /* fields of its lists per layer */
    uint64_t        est[2];         /* postings per layer */
    uint64_t        ubkey[2];
    fq_exp_t        exp[GLOSSARY_FTS_MAX_EXPANSIONS];
    fq_cursor_t     cur[GLOSSARY_FTS_MAX_EXPANSIONS];
} fq_word_t;

typedef struct {
    uint32_t        lists[2];
    uint32_t        nlists;
    fq_cursor_t     cur[4];
    uint32_t        ncur;
} fq_excluded_t;

typedef struct {
    uint64_t        key;
    uint32_t        doc;
    uint32_t        flags;
    uint8_t         typos;
    uint8_t         words;
    uint8_t         exp[GLOSSARY_FTS_MAX_WORDS];
    /* where the evaluation met it: each word's block in SKIPS, posting */
    uint8_t         at[GLOSSARY_FTS_MAX_WORDS];
    uint32_t        skip[GLOSSARY_FTS_MAX_WORDS];
} fq_entry_t;

/* a candidate of a typo walk or a prefix scan */
typedef struct {
    uint32_t        list;
    uint32_t        df;
    uint8_t         dist;
    uint8_t         kind;
    uint8_t         len;
    unsigned char   key[GLOSSARY_FTS_MAX_WORD];
} fq_cand_t;

typedef struct {
    uint64_t        s[3];           /* states for 0, 1, 2 edits */
    uint8_t         acc;            /* best prefix acceptance so far */
} fq_state_t;

/* one of the two front-coded dictionaries: DICT or WALK */
typedef struct {
    const unsigned char  *data;
    uint64_t              size;
    const uint32_t       *index;
    uint32_t              blocks;
    uint32_t              keys;
    uint32_t              walk;         /* WALK: by length, one list */
} fq_dict_t;

typedef struct {
    const fq_dict_t      *d;
    uint32_t              block;
    uint32_t              index;        /* of the next key in the block */
    uint32_t              keys;         /* in the block */
    uint32_t              ord;          /* of the current key */
    const unsigned char  *p;
    const unsigned char  *end;
    unsigned char         key[GLOSSARY_FTS_MAX_WORD];
    uint32_t              len;
    uint32_t              lcp;          /* bytes shared with the key before */
    uint32_t              surface;      /* list + 1, or 0 */
    uint32_t              stem;
} fq_iter_t;

typedef struct {
    const glossary_fts_t   *fts;
    glossary_fts_result_t  *res;
    fq_dict_t               dict;
    fq_dict_t               wdict;
    uint32_t                category;
    uint32_t                limit;
    uint32_t                flags;
    uint32_t                nwords;
    uint32_t                nexcluded;
    uint32_t                nphrases;
    uint32_t                stop;           /* a bound was reached */
    uint32_t                count;          /* hits count in the total */
    uint32_t                fell;           /* words were dropped */
    uint32_t                pruned;
    uint32_t                budget;         /* postings left */
    uint32_t                nheap;
    uint32_t                nexact;
    uint32_t                exact_docs[8];
    uint32_t                exact_flags[8];
    uint64_t                base;           /* tier and words of the pass */
    uint64_t                field_ub;       /* best field tier, shifted */
    uint32_t                walk;
    fq_word_t               words[GLOSSARY_FTS_MAX_WORDS];
    fq_excluded_t           excluded[GLOSSARY_FTS_MAX_EXCLUDED];
    fq_entry_t              heap[GLOSSARY_FTS_MAX_HITS];
    fq_cand_t               cand[GLOSSARY_FTS_MAX_CANDIDATES];
    uint32_t                ncand;
    uint64_t                masks[256];
    fq_state_t              stack[GLOSSARY_FTS_MAX_WORD + 1];
    uint32_t                pos[2][FQ_MAX_POS];
    unsigned char           name[GLOSSARY_FTS_MAX_QUERY];
    size_t                  name_len;
    unsigned char           suggestion[GLOSSARY_FTS_MAX_SUGGESTION];
    glossary_fts_result_t   inner;
    uint8_t                 order[GLOSSARY_FTS_MAX_WORDS];
    /* the snippets' words already marked or not, by hash: 0 empty */
    uint8_t                 seen_len[FQ_SEEN];
    uint8_t                 seen_mark[FQ_SEEN];
    unsigned char           seen[FQ_SEEN][GLOSSARY_FTS_MAX_WORD];
} fq_t;


static void fq_parse(fq_t *q, const glossary_fts_query_t *query);
static void fq_add_word(fq_t *q, const unsigned char *w, size_t len,
    int negative, uint32_t phrase);
static int fq_find(const fq_t *q, const unsigned char *key, size_t len,
    uint32_t *surface, uint32_t *stem);
static void fq_iter_block(const fq_dict_t *d, fq_iter_t *it, uint32_t b);
static int fq_iter_next(fq_iter_t *it);
static int fq_iter_seek(const fq_dict_t *d, fq_iter_t *it,
    const unsigned char *key, size_t len, uint32_t group);
static void fq_expand(fq_t *q, fq_word_t *w);
static void fq_add_exp(fq_t *q, fq_word_t *w, uint32_t list, uint32_t typos,
    uint32_t kind, const unsigned char *key, size_t len);
static void fq_prefixes(fq_t *q, fq_word_t *w);
static void fq_typos(fq_t *q, const unsigned char *word, size_t len,
    uint32_t budget, int prefix);
static void fq_cand(fq_t *q, uint32_t list, uint32_t dist, uint32_t kind,
    const unsigned char *key, size_t len);
static void fq_cursor_init(fq_t *q, fq_cursor_t *c, uint32_t list,
    uint32_t layer);
static uint32_t fq_seek(fq_t *q, fq_cursor_t *c, uint32_t target);
static uint32_t fq_word_seek(fq_t *q, fq_word_t *w, uint32_t target);
static void fq_evaluate(fq_t *q, uint32_t set, uint32_t typo_pass);
static void fq_combination(fq_t *q, const uint32_t *idx, uint32_t n);
static int fq_phrases_ok(fq_t *q, uint32_t doc, uint32_t set);
static uint32_t fq_positions(fq_t *q, const fq_cursor_t *c, uint32_t *out,
    uint32_t max, uint32_t stop);
static int fq_excluded(fq_t *q, uint32_t doc);
static void fq_heap_add(fq_t *q, const fq_entry_t *e);
static int fq_worse(const fq_entry_t *a, const fq_entry_t *b);
static void fq_heap_down(fq_t *q, uint32_t i);
static void fq_heap_up(fq_t *q, uint32_t i);
static void fq_exact_names(fq_t *q);
static void fq_exact_insert(fq_t *q);
static int fq_locate(fq_t *q, fq_cursor_t *c, uint32_t list, uint32_t doc);
static int fq_prefix_table(fq_t *q);
static void fq_fallback(fq_t *q, uint32_t set);
static void fq_results(fq_t *q);
static void fq_suggest(fq_t *q, const glossary_fts_query_t *query,
    void *scratch, size_t scratch_size, int search);
static void fq_search(const glossary_fts_t *fts, void *scratch,
    size_t scratch_size, const glossary_fts_query_t *query,
    glossary_fts_result_t *res, uint32_t budget);


/* LEB128 of a validated image: no bounds to check */

static inline const unsigned char *
fq_varint(const unsigned char *p, uint32_t *v)
{
    uint32_t  x;

    x = *p++;

    if (x < 0x80) {
        *v = x;
        return p;
    }

    x &= 0x7f;
    x |= (uint32_t) (*p & 0x7f) << 7;

    if (*p++ < 0x80) {
        *v = x;
        return p;
    }

    x |= (uint32_t) (*p & 0x7f) << 14;

    if (*p++ < 0x80) {
        *v = x;
        return p;
    }

    x |= (uint32_t) (*p & 0x7f) << 21;

    if (*p++ < 0x80) {
        *v = x;
        return p;
    }

    x |= (uint32_t) *p++ << 28;
    *v = x;

    return p;
}


size_t
glossary_fts_scratch_size(const glossary_fts_t *fts)
{
    (void) fts;

    return (sizeof(fq_t) + 63) & ~(size_t) 63;
}


/* ---- the dictionary ---------------------------------------------------- */


static void
fq_dicts(fq_t *q)
{
    const glossary_fts_t  *fts;

    fts = q->fts;
    q->dict.data = fts->dict;
    q->dict.size = fts->dict_size;
    q->dict.index = fts->dict_index;
    q->dict.blocks = fts->dict_blocks;
    q->dict.keys = fts->key_count;
    q->dict.walk = 0;
    q->wdict.data = fts->walk;
    q->wdict.size = fts->walk_size;
    q->wdict.index = fts->walk_index;
    q->wdict.blocks = fts->walk_blocks;
    q->wdict.keys = fts->walk_count;
    q->wdict.walk = 1;
}


static void
fq_iter_block(const fq_dict_t *d, fq_iter_t *it, uint32_t b)
{
    it->d = d;
    it->block = b;
    it->index = 0;
    it->keys = b + 1 < d->blocks ? GLOSSARY_FTS_DICT_BLOCK
                                 : d->keys - b * GLOSSARY_FTS_DICT_BLOCK;
    it->p = d->data + d->index[b];
    it->end = b + 1 < d->blocks ? d->data + d->index[b + 1]
                                : d->data + d->size;
}


/* the next key; 0 at the end of the dictionary (validated: no checks) */

static int
fq_iter_next(fq_iter_t *it)
{
    uint32_t  shared, slen, i, lcp;

    if (it->index == it->keys) {
        if (it->block + 1 >= it->d->blocks) {
            return 0;
        }

        fq_iter_block(it->d, it, it->block + 1);
    }

    it->p = fq_varint(it->p, &shared);
    it->p = fq_varint(it->p, &slen);

    /* at a block start the key is whole: find what it shares */
    lcp = shared;

    if (it->index == 0) {
        for (i = 0; i < it->len && i < slen && it->key[i] == it->p[i]; i++) {
            /* void */
        }

        lcp = i;
    }

    memcpy(it->key + shared, it->p, slen);
    it->p += slen;
    it->len = shared + slen;
    it->lcp = lcp < it->len ? lcp : it->len;
    it->p = fq_varint(it->p, &it->surface);
    it->stem = 0;

    if (it->d->walk) {
        it->surface++;

    } else {
        it->p = fq_varint(it->p, &it->stem);
    }

    it->ord = it->block * GLOSSARY_FTS_DICT_BLOCK + it->index;
    it->index++;

    return 1;
}


/*
 * A key against a target: in DICT bytewise; in WALK the target is the
 * keys of length group that start with its len bytes (0: one of them).
 */

static int
fq_cmp(const fq_dict_t *d, const unsigned char *k, uint32_t klen,
    const unsigned char *t, size_t tlen, uint32_t group)
{
    int  c;

    if (d->walk) {
        if (klen != group) {
            return klen < group ? -1 : 1;
        }

        return memcmp(k, t, tlen);
    }

    c = memcmp(k, t, klen < tlen ? klen : tlen);

    if (c) {
        return c;
    }

    return klen < tlen ? -1 : klen > tlen;
}


/* positions it at the first key >= the target; 0 when there is none */

static int
fq_iter_seek(const fq_dict_t *d, fq_iter_t *it, const unsigned char *key,
    size_t len, uint32_t group)
{
    uint32_t              lo, hi, mid, shared, slen;
    const unsigned char  *p, *end;

    if (d->keys == 0) {
        return 0;
    }

    /* the last block whose first key is before the target */

    lo = 0;
    hi = d->blocks;
    end = d->data + d->size;

    while (hi - lo > 1) {
        mid = lo + (hi - lo) / 2;
        p = d->data + d->index[mid];
        p += glossary_fts_varint(p, end, &shared);
        p += glossary_fts_varint(p, end, &slen);

        if (fq_cmp(d, p, slen, key, len, group) < 0) {
            lo = mid;

        } else {
            hi = mid;
        }
    }

    it->len = 0;
    fq_iter_block(d, it, lo);

    while (fq_iter_next(it)) {
        if (fq_cmp(d, it->key, it->len, key, len, group) >= 0) {
            return 1;
        }
    }

    return 0;
}


static int
fq_find(const fq_t *q, const unsigned char *key, size_t len,
    uint32_t *surface, uint32_t *stem)
{
    fq_iter_t  it;

    *surface = 0;
    *stem = 0;

    if (len == 0 || !fq_iter_seek(&q->dict, &it, key, len, 0)
        || it.len != len || memcmp(it.key, key, len) != 0)
    {
        return 0;
    }

    *surface = it.surface;
    *stem = it.stem;

    return 1;
}


/* ---- parsing ----------------------------------------------------------- */


static int
fq_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
           || c == '\v';
}


static void
fq_parse(fq_t *q, const glossary_fts_query_t *query)
{
    int                   negative, in_phrase, last_in_phrase, space_end;
    size_t                len, from, to, n;
    uint32_t              phrase;
    const unsigned char  *p, *end, *tok;
    unsigned char         w[GLOSSARY_FTS_MAX_WORD];
    glossary_fts_words_t  words;

    len = query->len;

    if (len > GLOSSARY_FTS_MAX_QUERY) {
        len = GLOSSARY_FTS_MAX_QUERY;

        while (len && (query->text[len] & 0xc0) == 0x80) {
            len--;          /* not inside a character */
        }

        q->res->flags |= GLOSSARY_FTS_CUT_QUERY;
    }

    p = query->text;
    end = p + len;
    in_phrase = 0;
    last_in_phrase = 0;
    phrase = 0;
    space_end = len && fq_space(p[len - 1]);

    while (p < end) {
        if (fq_space(*p)) {
            p++;
            continue;
        }

        if (*p == '"') {
            in_phrase = !in_phrase;
            phrase += in_phrase;
            p++;
            continue;
        }

        negative = 0;

        if (!in_phrase && *p == '-' && p + 1 < end && !fq_space(p[1])
            && p[1] != '"')
        {
            negative = 1;
            p++;
        }

        for (tok = p; p < end && !fq_space(*p) && *p != '"'; p++) {
            /* void */
        }

        glossary_fts_words_init(&words, tok, p - tok);

        while ((n = glossary_fts_next_word(&words, w, &from, &to)) != 0) {
            fq_add_word(q, w, n, negative, in_phrase ? phrase : 0);

            if (!negative) {
                last_in_phrase = in_phrase || (p < end && *p == '"');
            }
        }
    }

    if (q->nwords && !space_end && !last_in_phrase) {
        q->words[q->nwords - 1].prefix = 1;
    }
}


static void
fq_add_word(fq_t *q, const unsigned char *w, size_t len, int negative,
    uint32_t phrase)
{
    fq_word_t      *word;
    fq_excluded_t  *x;
    uint32_t        surface, stem, i;
    size_t          slen;
    unsigned char   s[GLOSSARY_FTS_MAX_WORD];

    if (negative) {
        if (q->nexcluded == GLOSSARY_FTS_MAX_EXCLUDED) {
            q->res->flags |= GLOSSARY_FTS_CUT_WORDS;
            return;
        }

        x = &q->excluded[q->nexcluded++];
        x->nlists = 0;
        x->ncur = 0;

        if (fq_find(q, w, len, &surface, &stem) && surface) {
            x->lists[x->nlists++] = surface - 1;
        }

        memcpy(s, w, len);
        slen = glossary_fts_stem(s, len);

        if (fq_find(q, s, slen, &surface, &stem) && stem
            && (x->nlists == 0 || x->lists[0] != stem - 1))
        {
            x->lists[x->nlists++] = stem - 1;
        }

        for (i = 0; i < x->nlists; i++) {
            x->cur[x->ncur++].first = NULL;
            x->cur[x->ncur++].first = NULL;
        }

        return;
    }

    if (q->nwords == GLOSSARY_FTS_MAX_WORDS) {
        q->res->flags |= GLOSSARY_FTS_CUT_WORDS;
        return;
    }

    word = &q->words[q->nwords++];
    memcpy(word->text, w, len);
    word->len = (uint8_t) len;
    memcpy(word->stem, w, len);
    word->stem_len = (uint8_t) glossary_fts_stem(word->stem, len);
    word->prefix = 0;
    word->phrase = (uint8_t) phrase;
    word->nexp = 0;
    word->nexp0 = 0;

    if (phrase > q->nphrases) {
        q->nphrases = phrase;
    }

    if (q->name_len + len + 1 <= sizeof(q->name)) {
        if (q->name_len) {
            q->name[q->name_len++] = ' ';
        }

        memcpy(q->name + q->name_len, w, len);
        q->name_len += len;
    }
}


/* ---- expansion: exact, stem, completions, typos ------------------------ */


static void
fq_add_exp(fq_t *q, fq_word_t *w, uint32_t list, uint32_t typos,
    uint32_t kind, const unsigned char *key, size_t len)
{
    uint32_t   i;
    fq_exp_t  *e;

    for (i = 0; i < w->nexp; i++) {
        if (w->exp[i].list == list) {
            return;
        }
    }

    if (w->nexp == GLOSSARY_FTS_MAX_EXPANSIONS) {
        q->res->flags |= GLOSSARY_FTS_CUT_EXPANSIONS;
        return;
    }

    e = &w->exp[w->nexp++];
    e->list = list;
    e->typos = (uint8_t) typos;
    e->kind = (uint8_t) kind;
    e->weight = kind == FQ_PREFIX || (kind == FQ_TYPO && w->prefix
                                      && len != w->len)
                ? 3 : 4;
    memcpy(e->stem, key, len);
    e->stem_len = (uint8_t) (kind == FQ_STEM ? len
                                              : glossary_fts_stem(e->stem,
                                                                  len));

    if (typos == 0) {
        w->nexp0 = w->nexp;
    }

    q->res->expansions++;
}


static void
fq_cand(fq_t *q, uint32_t list, uint32_t dist, uint32_t kind,
    const unsigned char *key, size_t len)
{
    uint32_t    i, worst, df;
    fq_cand_t  *c;

    df = q->fts->lists[list].df;

    for (i = 0; i < q->ncand; i++) {
        c = &q->cand[i];

        if (c->list == list) {
            if (dist < c->dist) {
                c->dist = (uint8_t) dist;
                c->kind = (uint8_t) kind;
                c->len = (uint8_t) len;
                memcpy(c->key, key, len);
            }

            return;
        }
    }

    if (q->ncand < GLOSSARY_FTS_MAX_CANDIDATES) {
        c = &q->cand[q->ncand++];

    } else {
        q->res->flags |= GLOSSARY_FTS_CUT_EXPANSIONS;
        worst = 0;

        for (i = 1; i < q->ncand; i++) {
            if (q->cand[i].dist > q->cand[worst].dist
                || (q->cand[i].dist == q->cand[worst].dist
                    && q->cand[i].df < q->cand[worst].df))
            {
                worst = i;
            }
        }

        c = &q->cand[worst];

        if (c->dist < dist || (c->dist == dist && c->df >= df)) {
            return;
        }
    }

    c->list = list;
    c->df = df;
    c->dist = (uint8_t) dist;
    c->kind = (uint8_t) kind;
    c->len = (uint8_t) len;
    memcpy(c->key, key, len);
}


/* takes the best candidates, fewest edits then most documents first */

static void
fq_take(fq_t *q, fq_word_t *w, uint32_t max)
{
    uint32_t    i, j, best, taken;
    fq_cand_t   t;

    taken = 0;

    for (i = 0; i < q->ncand && taken < max; i++) {
        best = i;

        for (j = i + 1; j < q->ncand; j++) {
            if (q->cand[j].dist < q->cand[best].dist
                || (q->cand[j].dist == q->cand[best].dist
                    && (q->cand[j].df > q->cand[best].df
                        || (q->cand[j].df == q->cand[best].df
                            && q->cand[j].list < q->cand[best].list))))
            {
                best = j;
            }
        }

        t = q->cand[i];
        q->cand[i] = q->cand[best];
        q->cand[best] = t;

        if (w->nexp == GLOSSARY_FTS_MAX_EXPANSIONS) {
            q->res->flags |= GLOSSARY_FTS_CUT_EXPANSIONS;
            break;
        }

        fq_add_exp(q, w, q->cand[i].list, q->cand[i].dist, q->cand[i].kind,
                   q->cand[i].key, q->cand[i].len);
        taken++;
    }

    if (i < q->ncand) {
        q->res->flags |= GLOSSARY_FTS_CUT_EXPANSIONS;
    }
}


static void
fq_prefixes(fq_t *q, fq_word_t *w)
{
    uint32_t   scanned;
    fq_iter_t  it;

    q->ncand = 0;

    if (!fq_iter_seek(&q->dict, &it, w->text, w->len, 0)) {
        return;
    }

    for (scanned = 0; ; scanned++) {
        if (it.len < w->len || memcmp(it.key, w->text, w->len) != 0) {
            break;
        }

        if (scanned == GLOSSARY_FTS_MAX_PREFIX_SCAN) {
            q->res->flags |= GLOSSARY_FTS_CUT_EXPANSIONS;
            break;
        }

        if (it.surface && it.len > w->len) {
            fq_cand(q, it.surface - 1, 0, FQ_PREFIX, it.key, it.len);
        }

        if (!fq_iter_next(&it)) {
            break;
        }
    }

    fq_take(q, w, FQ_PREFIX_KEEP);
}


static void
fq_expand(fq_t *q, fq_word_t *w)
{
    uint32_t  surface, stem, s2, st2;

    if (fq_find(q, w->text, w->len, &surface, &stem)) {
        if (surface) {
            fq_add_exp(q, w, surface - 1, 0, FQ_EXACT, w->text, w->len);
        }

        if (stem && w->stem_len == w->len) {
            fq_add_exp(q, w, stem - 1, 0, FQ_STEM, w->stem, w->stem_len);
        }
    }

    if (w->stem_len != w->len
        && fq_find(q, w->stem, w->stem_len, &s2, &st2) && st2)
    {
        fq_add_exp(q, w, st2 - 1, 0, FQ_STEM, w->stem, w->stem_len);
    }

    if (w->prefix) {
        fq_prefixes(q, w);
    }

}


/* words of 5 letters take one typo, of 9 two; none in a phrase */

static void
fq_expand_typos(fq_t *q, fq_word_t *w)
{
    int       digits;
    uint32_t  i, budget;

    digits = 0;

    for (i = 0; i < w->len; i++) {
        digits |= w->text[i] >= '0' && w->text[i] <= '9';
    }

    budget = w->len >= 9 ? 2 : w->len >= 5 ? 1 : 0;

    /* a short word (an acronym, often) that matches nothing: one typo */

    if (budget == 0 && w->len >= 3 && w->nexp == 0) {
        budget = 1;
    }

    if (budget && !w->phrase && !digits) {
        q->ncand = 0;
        fq_typos(q, w->text, w->len, budget, w->prefix);
        fq_take(q, w, GLOSSARY_FTS_MAX_EXPANSIONS);
    }
}


/*
 * One step of the Levenshtein automaton of the query word (bit-parallel:
 * bit i of s[d] says that the first i letters of the word are within d
 * edits of the key so far).  Any edit costs 1 but one that touches the
 * word's first letter, which costs 2; swapping two adjacent letters is one
 * edit.  prev is the state before the last key byte (for swaps), pc that
 * byte.
 */

static void
fq_step(const fq_t *q, const fq_state_t *cur, const fq_state_t *prev,
    unsigned char c, int pc, uint32_t budget, uint64_t all,
    fq_state_t *out)
{
    uint32_t  d;
    uint64_t  m, sw, v, one, two;

    m = q->masks[c];
    sw = pc >= 0 ? (m << 1) & q->masks[pc] : 0;

    for (d = 0; d <= budget; d++) {
        v = (cur->s[d] << 1) & m;

        if (d >= 1) {
            one = cur->s[d - 1] & ~1ull;
            v |= one << 1 | one | (out->s[d - 1] & ~1ull) << 1;

            if (prev != NULL) {
                v |= ((prev->s[d - 1] & ~1ull) << 2) & sw;
            }

            v |= out->s[d - 1];
        }

        if (d >= 2) {
            two = cur->s[d - 2] & 1;
            v |= two << 1 | two | (out->s[d - 2] & 1) << 1;

            if (prev != NULL) {
                v |= ((prev->s[d - 2] & 1) << 2) & sw;
            }
        }

        out->s[d] = v & all;
    }
}


/*
 * Moves the iterator past every key that starts with the first len bytes
 * of its current key: key by key within its block, by a binary search
 * when the next block starts with them too.  it->lcp is then what the new
 * key shares with those bytes.  -1 at the end of the dictionary or of the
 * walk's bound.
 */

static int
fq_skip(fq_t *q, fq_iter_t *it, uint32_t len, uint32_t group)
{
    uint32_t              b, i, flen, shared;
    unsigned char         dead[GLOSSARY_FTS_MAX_WORD];
    const unsigned char  *first, *end;
    const fq_dict_t      *d;

    d = it->d;
    memcpy(dead, it->key, len);

    for ( ;; ) {
        if (it->index == it->keys) {
            if (it->block + 1 >= d->blocks) {
                return -1;
            }

            first = d->data + d->index[it->block + 1];
            end = d->data + d->size;
            first += glossary_fts_varint(first, end, &shared);
            first += glossary_fts_varint(first, end, &flen);

            if (flen == group && memcmp(first, dead, len) == 0) {
                /* far: look up the first key after all of them */

                b = len;

                while (b && dead[b - 1] == 0xff) {
                    b--;
                }

                if (b == 0) {
                    return -1;
                }

                dead[b - 1]++;

                if (!fq_iter_seek(d, it, dead, b, group)) {
                    return -1;
                }

                dead[b - 1]--;
                q->walk += 16;

                for (i = 0; i < len && i < it->len && it->key[i] == dead[i];
                     i++)
                {
                    /* void */
                }

                it->lcp = i;

                return 0;
            }
        }

        if (!fq_iter_next(it)) {
            return -1;
        }

        if (++q->walk > GLOSSARY_FTS_MAX_WALK) {
            q->res->flags |= GLOSSARY_FTS_CUT_WALK;
            return -1;
        }

        if (it->lcp < len) {
            return 0;
        }
    }
}


/*
 * Walks the words of one length of WALK that start with the word's first
 * letter as a trie with a stack of automaton states, one per key byte,
 * skipping every subtree in which the word cannot match within budget.
 * Whole keys match; with prefix, any key that starts with a match does.
 */

static void
fq_walk_group(fq_t *q, const unsigned char *word, size_t len,
    uint32_t budget, int prefix, uint32_t group)
{
    int          pc, have;
    uint32_t     depth, d, dist, end;
    uint64_t     all, top;
    fq_iter_t    it;
    fq_state_t  *st;

    end = q->fts->walk_lengths[group + 1];
    all = (2ull << len) - 1;
    top = 1ull << len;
    st = q->stack;

    have = fq_iter_seek(&q->wdict, &it, word, 1, group);
    q->walk += 16;
    depth = 0;
    it.lcp = 0;

    while (have && it.ord < end) {
        if (it.key[0] != word[0]) {
            return;
        }

    again:

        if (it.ord >= end || it.key[0] != word[0]) {
            return;
        }

        if (depth > it.lcp) {
            depth = it.lcp;
        }

        while (depth < it.len) {
            pc = depth ? it.key[depth - 1] : -1;
            fq_step(q, &st[depth], depth ? &st[depth - 1] : NULL,
                    it.key[depth], pc, budget, all, &st[depth + 1]);
            q->walk++;
            depth++;

            st[depth].acc = st[depth - 1].acc;

            for (d = 0; d <= budget; d++) {
                if (st[depth].s[d] & top) {
                    if (d < st[depth].acc) {
                        st[depth].acc = (uint8_t) d;
                    }

                    break;
                }
            }

            if (st[depth].s[budget] == 0
                && (!prefix || st[depth].acc == FQ_NONE))
            {
                /* dead: pass every key that starts with these bytes */

                if (fq_skip(q, &it, depth, group) != 0) {
                    return;
                }

                depth--;
                goto again;
            }
        }

        dist = FQ_NONE;

        if (prefix && st[it.len].acc != FQ_NONE) {
            dist = st[it.len].acc;
        }

        for (d = 0; d <= budget && d < dist; d++) {
            if (st[it.len].s[d] & top) {
                dist = d;
                break;
            }
        }

        if (dist != FQ_NONE && dist > 0) {
            fq_cand(q, it.surface - 1, dist, FQ_TYPO, it.key, it.len);
        }

        if (q->walk > GLOSSARY_FTS_MAX_WALK) {
            q->res->flags |= GLOSSARY_FTS_CUT_WALK;
            return;
        }

        have = fq_iter_next(&it);
        q->walk++;
    }
}


/* a key of WALK as it is, a candidate of 2 edits (a first-letter typo) */

static void
fq_first(fq_t *q, const unsigned char *key, size_t len)
{
    fq_iter_t  it;

    if (len == 0 || len > GLOSSARY_FTS_MAX_WORD
        || q->walk > GLOSSARY_FTS_MAX_WALK)
    {
        return;
    }

    q->walk += 16;

    if (fq_iter_seek(&q->wdict, &it, key, len, (uint32_t) len)
        && it.len == len && memcmp(it.key, key, len) == 0)
    {
        fq_cand(q, it.surface - 1, 2, FQ_TYPO, it.key, it.len);
    }
}


/*
 * The typo matches of a word: the lengths of WALK that can hold one (a
 * whole key within budget of the word's length; a prefix match, any key
 * at least that long).
 */

static void
fq_typos(fq_t *q, const unsigned char *word, size_t len, uint32_t budget,
    int prefix)
{
    int                    c;
    uint32_t               i, d, k, lo, hi, group;
    fq_state_t            *st;
    unsigned char          key[GLOSSARY_FTS_MAX_WORD + 1];
    const glossary_fts_t  *fts;

    fts = q->fts;

    if (fts->walk_count == 0 || len >= 63) {
        return;
    }

    memset(q->masks, 0, sizeof(q->masks));

    for (i = 0; i < len; i++) {
        q->masks[word[i]] |= 1ull << (i + 1);
    }

    st = q->stack;

    for (d = 0; d <= 2; d++) {
        st[0].s[d] = 1;

        for (i = 1; i <= len; i++) {
            if (i + 1 <= d) {
                st[0].s[d] |= 1ull << i;
            }
        }
    }

    st[0].acc = FQ_NONE;

    lo = len > budget ? (uint32_t) len - budget : 1;
    hi = prefix ? GLOSSARY_FTS_MAX_WORD
                : (uint32_t) len + budget < GLOSSARY_FTS_MAX_WORD
                  ? (uint32_t) len + budget : GLOSSARY_FTS_MAX_WORD;

    if (budget == 2 && len >= 2) {
        /*
         * An edit of the first letter costs 2, all of the budget: the
         * rest of the key is the word's.  Those keys are looked up, not
         * walked: the first letter dropped, swapped with the second,
         * replaced, or one put before it (whole keys, also for a prefix).
         */

        memcpy(key + 1, word, len);
        fq_first(q, key + 2, len - 1);
        key[1] = word[1];
        key[2] = word[0];
        fq_first(q, key + 1, len);

        for (c = 'a'; c <= 'z'; c++) {
            memcpy(key + 1, word, len);
            key[1] = (unsigned char) c;

            if (c != word[0]) {
                fq_first(q, key + 1, len);
            }

            key[0] = (unsigned char) c;
            key[1] = word[0];
            fq_first(q, key, len + 1);
        }
    }

    /* the word's own length first, then 1 off, then 2: most typos */

    for (k = 0; k <= hi - lo; k++) {
        d = k <= 2 * budget ? (k + 1) / 2 : k - budget;
        group = k <= 2 * budget && k % 2 ? (uint32_t) len - d
                                         : (uint32_t) len + d;

        if (group < lo || group > hi
            || fts->walk_lengths[group] == fts->walk_lengths[group + 1])
        {
            continue;
        }

        if (q->walk > GLOSSARY_FTS_MAX_WALK) {
            q->res->flags |= GLOSSARY_FTS_CUT_WALK;
            return;
        }

        fq_walk_group(q, word, len, budget, prefix, group);
    }

}


/* ---- posting cursors --------------------------------------------------- */


/*
 * Opened lazily, a list's blocks are checked when a cursor first starts on
 * it: a corrupt one stops the query, which then fails.
 */

static void
fq_cursor_init(fq_t *q, fq_cursor_t *c, uint32_t list, uint32_t layer)
{
    const glossary_fts_t       *fts;
    const glossary_fts_list_t  *l;

    fts = q->fts;
    l = &fts->lists[list];
    c->first = fts->skips + l->skip_first + (layer ? l->blocks0 : 0);
    c->end = c->first + (layer ? l->blocks1 : l->blocks0);

    if (fts->lazy && glossary_fts_list_ready(fts, list) != GLOSSARY_OK) {
        c->end = c->first;
        q->stop = 1;
        q->res->flags |= GLOSSARY_FTS_CORRUPT;
    }
    c->skip = c->first;
    c->n = 0;
    c->i = 0;
    c->min_max = 0;
    c->doc = c->first == c->end ? FQ_END : 0;
}


/* the first document >= target, decoding at most one block */

static uint32_t
fq_seek(fq_t *q, fq_cursor_t *c, uint32_t target)
{
    uint32_t              j, n, prev, width, mask, bit, x;
    const unsigned char  *p;

    if (c->doc != FQ_END && c->n && c->doc >= target) {
        return c->doc;
    }

    if (c->doc == FQ_END) {
        return FQ_END;
    }

    if (c->n == 0 || c->skip->last_doc < target) {
        if (c->n) {
            c->skip++;
        }

        while (c->skip < c->end
               && (c->skip->last_doc < target || c->skip->max < c->min_max))
        {
            c->skip++;      /* before target, or too low to matter */
        }

        if (c->skip == c->end) {
            c->doc = FQ_END;
            return FQ_END;
        }

        if (q->budget < c->skip->count) {
            q->stop = 1;
            q->res->flags |= GLOSSARY_FTS_CUT_POSTINGS;
            c->doc = FQ_END;
            return FQ_END;
        }

        n = c->skip->count;
        q->budget -= n;
        q->res->postings += n;

        p = q->fts->postings + c->skip->post_off;
        prev = c->skip == c->first ? 0 : c->skip[-1].last_doc + 1;
        width = *p++;
        mask = (1u << width) - 1;

        /* bit-packed gaps; the 3 zero bytes after them keep loads inside */

        for (j = 0, bit = 0; j < n; j++, bit += width) {
            memcpy(&x, p + (bit >> 3), 4);
            c->docs[j] = prev + ((x >> (bit & 7)) & mask);
            prev = c->docs[j] + 1;
        }

        p += (n * width + 7) / 8 + 3;
        memcpy(c->imp, p, n);
        memcpy(c->fields, p + n, n);
        c->n = n;
        c->i = 0;
    }

    while (c->docs[c->i] < target) {
        c->i++;
    }

    c->doc = c->docs[c->i];

    return c->doc;
}


static uint32_t
fq_word_seek(fq_t *q, fq_word_t *w, uint32_t target)
{
    uint32_t  i, d, best;

    best = FQ_END;

    for (i = 0; i < w->active; i++) {
        d = fq_seek(q, &w->cur[i], target);
        best = d < best ? d : best;
    }

    return best;
}


/* ---- evaluation -------------------------------------------------------- */


static int
fq_worse(const fq_entry_t *a, const fq_entry_t *b)
{
    return a->key < b->key || (a->key == b->key && a->doc > b->doc);
}


static void
fq_heap_down(fq_t *q, uint32_t i)
{
    uint32_t    l, r, m;
    fq_entry_t  t;

    for ( ;; ) {
        l = 2 * i + 1;
        r = l + 1;
        m = i;

        if (l < q->nheap && fq_worse(&q->heap[l], &q->heap[m])) {
            m = l;
        }

        if (r < q->nheap && fq_worse(&q->heap[r], &q->heap[m])) {
            m = r;
        }

        if (m == i) {
            return;
        }

        t = q->heap[i];
        q->heap[i] = q->heap[m];
        q->heap[m] = t;
        i = m;
    }
}


static void
fq_heap_up(fq_t *q, uint32_t i)
{
    uint32_t    p;
    fq_entry_t  t;

    while (i) {
        p = (i - 1) / 2;

        if (!fq_worse(&q->heap[i], &q->heap[p])) {
            return;
        }

        t = q->heap[i];
        q->heap[i] = q->heap[p];
        q->heap[p] = t;
        i = p;
    }
}


static void
fq_heap_add(fq_t *q, const fq_entry_t *e)
{
    uint32_t     i;
    fq_entry_t  *h;

    for (i = 0; i < q->nheap; i++) {
        if (q->heap[i].doc != e->doc) {
            continue;
        }

        h = &q->heap[i];

        if (h->key >> FQ_TIER_SHIFT) {
            /* an exact name placed first: it takes the real score */
            if ((h->key & ~(3ull << FQ_TIER_SHIFT)) < e->key) {
                h->key = (h->key & (3ull << FQ_TIER_SHIFT)) | e->key;
                h->typos = e->typos;
                memcpy(h->exp, e->exp, sizeof(h->exp));
                memcpy(h->at, e->at, sizeof(h->at));
                memcpy(h->skip, e->skip, sizeof(h->skip));
                fq_heap_down(q, i);
            }

        } else if (fq_worse(h, e)) {
            *h = *e;
            fq_heap_down(q, i);
        }

        return;
    }

    if (q->nheap < q->limit) {
        q->heap[q->nheap++] = *e;
        fq_heap_up(q, q->nheap - 1);
        return;
    }

    if (fq_worse(&q->heap[0], e)) {
        q->heap[0] = *e;
        fq_heap_down(q, 0);
    }
}


static int
fq_excluded(fq_t *q, uint32_t doc)
{
    uint32_t        i, k;
    fq_excluded_t  *x;

    for (i = 0; i < q->nexcluded; i++) {
        x = &q->excluded[i];

        for (k = 0; k < x->ncur; k++) {
            if (fq_seek(q, &x->cur[k], doc) == doc) {
                return 1;
            }
        }
    }

    return 0;
}


/*
 * past n varints (their last bytes are those below 0x80), before end:
 * eight bytes at a time, as a document's posting holds many positions
 */

static const unsigned char *
fq_pass_varints(const unsigned char *p, const unsigned char *end, uint32_t n)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint32_t  c;
    uint64_t  x, t;

    while (n >= 2 && end - p >= 8) {
        memcpy(&x, p, 8);
        t = ~x & 0x8080808080808080ull;
        /* one bit a byte: their sum, without a popcount instruction */
        c = (uint32_t) (((t >> 7) * 0x0101010101010101ull) >> 56);

        if (c < n) {
            p += 8;
            n -= c;
            continue;
        }

        while (--n) {
            t &= t - 1;
        }

        return p + __builtin_ctzll(t) / 8 + 1;
    }
#endif

    while (n && p < end) {
        n -= !(*p++ & 0x80);
    }

    return p;
}


/*
 * the positions of the cursor's current posting, ascending (at most max,
 * and none after the first >= stop); every varint read counts against the
 * postings bound as a posting does
 */

static uint32_t
fq_positions(fq_t *q, const fq_cursor_t *c, uint32_t *out, uint32_t max,
    uint32_t stop)
{
    uint32_t              j, k, n, v, last, got, read;
    const unsigned char  *p, *end;

    p = q->fts->positions + c->skip->pos_off;
    end = q->fts->positions + q->fts->positions_size;
    read = 0;

    for (j = 0; j < c->i && p < end; j++) {
        p = fq_varint(p, &n);
        read += n + 1;
        p = fq_pass_varints(p, end, n);
    }

    if (p >= end) {
        return 0;
    }

    p = fq_varint(p, &n);
    got = 0;
    last = 0;

    for (k = 0; k < n && got < max && p < end; k++) {
        p = fq_varint(p, &v);
        last = k ? last + v + 1 : v;
        out[got++] = last;

        if (last >= stop) {
            break;
        }
    }

    read += got + 1;
    q->res->postings += read;

    if (q->budget < read) {
        q->budget = 0;
        q->stop = 1;
        q->res->flags |= GLOSSARY_FTS_CUT_POSTINGS;

    } else {
        q->budget -= read;
    }

    return got;
}


/* does a field of the document start at position p (but the first) */

static int
fq_field_start(const glossary_fts_doc_t *d, uint32_t p)
{
    uint32_t  f;

    for (f = 1; f < GLOSSARY_FTS_FIELDS; f++) {
        if (d->pos[f] == p) {
            return 1;
        }
    }

    return 0;
}


/*
 * every phrase of the words in set occurs at doc: positions of its first
 * word, each followed by the next word's in the same field, and so on
 */

static int
fq_phrases_ok(fq_t *q, uint32_t doc, uint32_t set)
{
    uint32_t    g, i, k, n0, n1, a, b, found, out;
    fq_word_t  *w;

    for (g = 1; g <= q->nphrases; g++) {
        n0 = 0;
        found = 0;

        for (i = 0; i < q->nwords; i++) {
            w = &q->words[i];

            if (w->phrase != g || !(set & (1u << i))) {
                continue;
            }

            for (k = 0; k < w->active; k++) {
                if (w->cur[k].doc == doc) {
                    break;
                }
            }

            if (k == w->active) {
                return 0;
            }

            if (found == 0) {
                n0 = fq_positions(q, &w->cur[k], q->pos[0], FQ_MAX_POS,
                                  FQ_END);
                found = 1;
                continue;
            }

            n1 = fq_positions(q, &w->cur[k], q->pos[1], FQ_MAX_POS, FQ_END);

            /*
             * keep the positions p of pos[0] with p + 1 in pos[1], in the
             * same field: p + 1 is not where a field starts
             */

            out = 0;
            b = 0;

            for (a = 0; a < n0; a++) {
                while (b < n1 && q->pos[1][b] < q->pos[0][a] + 1) {
                    b++;
                }

                if (b < n1 && q->pos[1][b] == q->pos[0][a] + 1
                    && !fq_field_start(&q->fts->docs[doc], q->pos[1][b]))
                {
                    q->pos[0][out++] = q->pos[0][a] + 1;
                }
            }

            n0 = out;

            if (n0 == 0) {
                return 0;
            }
        }
    }

    return 1;
}


/*
 * Block-max: once the top k is full, a block whose largest impact cannot
 * lift a document over the k-th, whatever the other words bring, is
 * passed without decoding.  For each word, the least impact code each of
 * its lists needs.
 */

static void
fq_thresholds(fq_t *q, const uint32_t *idx, uint32_t n)
{
    uint32_t    i, k, lo, hi, mid, v;
    uint64_t    theta, others, sum, need, t;
    fq_word_t  *w;
    fq_exp_t   *x;

    theta = q->heap[0].key;
    sum = q->base + q->field_ub;

    for (i = 0; i < n; i++) {
        w = &q->words[idx[i]];
        sum += w->ubkey[w->layer];
    }

    for (i = 0; i < n; i++) {
        w = &q->words[idx[i]];
        others = sum - w->ubkey[w->layer];

        if (theta <= others) {
            continue;
        }

        need = theta - others;

        for (k = 0; k < w->active; k++) {
            x = &w->exp[k];
            t = (uint64_t) (2 - x->typos) << FQ_TYPO_SHIFT;

            if (t >= need) {
                continue;
            }

            /* the least code c with t + impact(c) >= need */

            lo = 1;
            hi = 256;

            while (lo < hi) {
                mid = (lo + hi) / 2;
                v = q->fts->impacts[mid];
                v = x->weight == 4 ? v : (v * 3) >> 2;

                if (t + v >= need) {
                    hi = mid;

                } else {
                    lo = mid + 1;
                }
            }

            if (lo > w->cur[k].min_max) {
                w->cur[k].min_max = lo;
            }
        }
    }
}


/*
 * The words idx[0..n) must all match; each word's union of active
 * expansions, in the layer of this combination.
 */

static void
fq_combination(fq_t *q, const uint32_t *idx, uint32_t n)
{
    uint32_t     i, k, lead, doc, d, set, best, bi, typos, v, mask, common;
    uint64_t     sum, c, cbest, est, theta;
    fq_word_t   *w, *lw;
    fq_entry_t   e;
    fq_cursor_t *cur;

    set = 0;
    lead = 0;
    doc = 0;
    d = 0;
    est = ~0ull;

    for (i = 0; i < n; i++) {
        w = &q->words[idx[i]];
        set |= 1u << idx[i];

        for (k = 0; k < w->active; k++) {
            fq_cursor_init(q, &w->cur[k], w->exp[k].list, w->layer);
        }

        if (w->est[w->layer] < est) {
            est = w->est[w->layer];
            lead = i;
        }
    }

    for (i = 0; i < q->nexcluded; i++) {
        for (k = 0; k < q->excluded[i].ncur; k++) {
            fq_cursor_init(q, &q->excluded[i].cur[k],
                           q->excluded[i].lists[k / 2], k % 2);
        }
    }

    lw = &q->words[idx[lead]];
    doc = 0;
    theta = 0;

    if (q->nheap == q->limit) {
        theta = q->heap[0].key;
        fq_thresholds(q, idx, n);
    }

    while (!q->stop) {
        doc = fq_word_seek(q, lw, doc);

        if (doc == FQ_END) {
            return;
        }

        for (i = 0; i < n; i++) {
            if (i == lead) {
                continue;
            }

            d = fq_word_seek(q, &q->words[idx[i]], doc);

            if (d != doc) {
                break;
            }
        }

        if (i < n) {
            if (d == FQ_END) {
                return;
            }

            doc = d;
            continue;
        }

        /* every word is at doc: its best expansion there */

        sum = 0;
        cbest = 0;
        typos = 0;
        common = 0x3f;
        memset(e.exp, FQ_NONE, sizeof(e.exp));

        for (i = 0; i < n; i++) {
            w = &q->words[idx[i]];
            bi = 0;
            best = 0;

            mask = 0;

            for (k = 0; k < w->active; k++) {
                cur = &w->cur[k];

                if (cur->doc != doc) {
                    continue;
                }

                mask |= cur->fields[cur->i];
                v = q->fts->impacts[cur->imp[cur->i]];
                v = w->exp[k].weight == 4 ? v : (v * 3) >> 2;
                c = ((uint64_t) (2 - w->exp[k].typos) << FQ_TYPO_SHIFT) + v;

                if (!best || c > cbest) {
                    cbest = c;
                    bi = k;
                    best = 1;
                }
            }

            common &= mask;
            sum += cbest;
            typos += w->exp[bi].typos;
            e.exp[idx[i]] = (uint8_t) bi;
            e.skip[idx[i]] = (uint32_t) (w->cur[bi].skip - q->fts->skips);
            e.at[idx[i]] = (uint8_t) w->cur[bi].i;
        }

        d = doc++;

        if (q->category != GLOSSARY_FTS_ANY_CATEGORY
            && q->fts->docs[d].category != q->category)
        {
            continue;
        }

        /* the words together in one field: the best such field first */
        e.key = q->base + ((uint64_t) fq_tier(common) << FQ_FIELD_SHIFT)
                + sum;
        e.doc = d;

        if (q->nheap == q->limit && !fq_worse(&q->heap[0], &e)) {
            q->res->total += q->count && !q->nexcluded && !q->nphrases;
            continue;
        }

        if (q->nexcluded && fq_excluded(q, d)) {
            continue;
        }

        if (q->nphrases && !fq_phrases_ok(q, d, set)) {
            continue;
        }

        e.flags = 0;
        e.typos = (uint8_t) typos;
        e.words = (uint8_t) n;
        q->res->total += q->count;
        fq_heap_add(q, &e);

        if (q->nheap == q->limit && q->heap[0].key != theta) {
            theta = q->heap[0].key;
            fq_thresholds(q, idx, n);
        }
    }
}


/*
 * All the words of set must match.  typo_pass 0: only the expansions
 * without a typo; 1: all.  Layer combinations are tried best bound first
 * until none can enter the top k.
 */

static void
fq_evaluate(fq_t *q, uint32_t set, uint32_t typo_pass)
{
    uint32_t    i, k, l, n, ncomb, comb, done, best, fields;
    uint32_t    idx[GLOSSARY_FTS_MAX_WORDS];
    uint32_t    tried[256 / 32];
    uint64_t    ub, bestub, v;
    fq_word_t  *w;
    fq_exp_t   *x;
    fq_entry_t  probe;
    const glossary_fts_list_t  *list;

    n = 0;

    for (i = 0; i < q->nwords; i++) {
        if (!(set & (1u << i))) {
            continue;
        }

        w = &q->words[i];
        w->active = typo_pass ? w->nexp : w->nexp0;

        if (w->active == 0) {
            return;
        }

        for (l = 0; l < 2; l++) {
            w->ubkey[l] = 0;
            w->est[l] = 0;
            w->fields[l] = 0;

            for (k = 0; k < w->active; k++) {
                x = &w->exp[k];
                list = &q->fts->lists[x->list];

                if ((l ? list->df - list->count0 : list->count0) == 0) {
                    continue;
                }

                v = q->fts->impacts[l ? list->max1 : list->max0];
                v = x->weight == 4 ? v : (v * 3) >> 2;
                v += (uint64_t) (2 - x->typos) << FQ_TYPO_SHIFT;
                w->ubkey[l] = v > w->ubkey[l] ? v : w->ubkey[l];
                w->fields[l] |= l ? list->fields1 : list->fields0;
                w->est[l] += l ? list->df - list->count0 : list->count0;
            }
        }

        idx[n++] = i;
    }

    if (n == 0) {
        return;
    }

    q->base = (uint64_t) n << FQ_WORDS_SHIFT;
    ncomb = 1u << n;
    memset(tried, 0, sizeof(tried));

    for (done = 0; done < ncomb && !q->stop; done++) {
        /* the untried combination of the best bound */

        best = ncomb;
        bestub = 0;

        for (comb = 0; comb < ncomb; comb++) {
            if (tried[comb / 32] & (1u << (comb % 32))) {
                continue;
            }

            ub = q->base;
            fields = 0x3f;

            for (i = 0; i < n; i++) {
                v = q->words[idx[i]].ubkey[(comb >> i) & 1];

                if (v == 0) {
                    break;
                }

                ub += v;
                fields &= q->words[idx[i]].fields[(comb >> i) & 1];
            }

            ub += (uint64_t) fq_tier(fields) << FQ_FIELD_SHIFT;

            if (i < n) {
                tried[comb / 32] |= 1u << (comb % 32);
                continue;
            }

            if (best == ncomb || ub > bestub) {
                best = comb;
                bestub = ub;
            }
        }

        if (best == ncomb) {
            break;
        }

        tried[best / 32] |= 1u << (best % 32);

        probe.key = bestub;
        probe.doc = 0;

        if (q->nheap == q->limit && !fq_worse(&q->heap[0], &probe)) {
            q->pruned = 1;
            break;
        }

        fields = 0x3f;

        for (i = 0; i < n; i++) {
            q->words[idx[i]].layer = (best >> i) & 1;
            fields &= q->words[idx[i]].fields[(best >> i) & 1];
        }

        q->field_ub = (uint64_t) fq_tier(fields) << FQ_FIELD_SHIFT;
        fq_combination(q, idx, n);
    }
}


static void
fq_exact_names(fq_t *q)
{
    uint64_t                    h;
    uint64_t                    lo, hi, mid;
    const glossary_fts_name_t  *names;

    if (q->name_len == 0 || q->fts->name_count == 0) {
        return;
    }

    h = glossary_fts_name_hash(q->name, q->name_len);
    names = q->fts->names;
    lo = 0;
    hi = q->fts->name_count;

    while (lo < hi) {
        mid = lo + (hi - lo) / 2;

        if (names[mid].hash < h) {
            lo = mid + 1;

        } else {
            hi = mid;
        }
    }

    for (; lo < q->fts->name_count && names[lo].hash == h; lo++) {
        if (q->nexact == 8) {
            break;
        }

        q->exact_docs[q->nexact] = names[lo].doc;
        q->exact_flags[q->nexact] = names[lo].kind == GLOSSARY_FTS_NAME_ALIAS
                                    ? GLOSSARY_FTS_HIT_EXACT_ALIAS
                                    : GLOSSARY_FTS_HIT_EXACT_NAME;
        q->nexact++;
    }
}


/*
 * Is doc in the list (either layer)?  Leaves the cursor on its posting.
 */

static int
fq_locate(fq_t *q, fq_cursor_t *c, uint32_t list, uint32_t doc)
{
    uint32_t                    layer;
    const glossary_fts_skip_t  *lo, *hi, *mid;

    for (layer = 0; layer < 2; layer++) {
        fq_cursor_init(q, c, list, layer);
        lo = c->first;
        hi = c->end;

        while (lo < hi) {
            mid = lo + (hi - lo) / 2;

            if (mid->last_doc < doc) {
                lo = mid + 1;

            } else {
                hi = mid;
            }
        }

        if (lo == c->end) {
            continue;
        }

        c->skip = lo;
        c->n = 0;

        if (fq_seek(q, c, doc) == doc) {
            return 1;
        }
    }

    return 0;
}


/*
 * Documents whose name, slug or an alias is the query go first whatever
 * else they score: they enter the heap now, with their tier, and take
 * their score when the evaluation meets them.
 */

static void
fq_exact_insert(fq_t *q)
{
    uint32_t        i, k, l, tier;
    fq_entry_t      e;
    fq_excluded_t  *x;

    for (i = 0; i < q->nexact; i++) {
        e.doc = q->exact_docs[i];

        if (q->category != GLOSSARY_FTS_ANY_CATEGORY
            && q->fts->docs[e.doc].category != q->category)
        {
            continue;
        }

        for (k = 0; k < q->nexcluded; k++) {
            x = &q->excluded[k];

            for (l = 0; l < x->nlists; l++) {
                if (fq_locate(q, &x->cur[0], x->lists[l], e.doc)) {
                    break;
                }
            }

            if (l < x->nlists) {
                break;
            }
        }

        if (k < q->nexcluded) {
            continue;
        }

        tier = q->exact_flags[i] == GLOSSARY_FTS_HIT_EXACT_NAME ? 2 : 1;
        e.key = ((uint64_t) tier << FQ_TIER_SHIFT)
                | ((uint64_t) q->nwords << FQ_WORDS_SHIFT);
        e.flags = q->exact_flags[i];
        e.typos = 0;
        e.words = (uint8_t) q->nwords;
        memset(e.exp, FQ_NONE, sizeof(e.exp));

        for (k = 0; k < q->nheap; k++) {
            if (q->heap[k].doc == e.doc) {
                break;
            }
        }

        if (k < q->nheap) {
            if (q->heap[k].key < e.key) {
                q->heap[k].key = e.key;
                q->heap[k].flags = e.flags;
                fq_heap_down(q, k);
            }

            continue;
        }

        fq_heap_add(q, &e);
    }
}


/* a one-word query of 1 to 3 bytes: the precomputed answer */

static int
fq_prefix_table(fq_t *q)
{
    int                           c;
    uint32_t                      lo, hi, mid, i, k;
    fq_word_t                    *w;
    fq_entry_t                    e;
    const glossary_fts_prefix_t  *pre;

    w = &q->words[0];

    if (q->nwords != 1 || !w->prefix || w->len > GLOSSARY_FTS_PREFIX_MAX
        || q->nexcluded || q->category != GLOSSARY_FTS_ANY_CATEGORY
        || q->limit > GLOSSARY_FTS_PREFIX_K
        || (q->flags & GLOSSARY_FTS_NO_PREFIX_TABLE))
    {
        return 0;
    }

    lo = 0;
    hi = q->fts->prefix_count;
    pre = NULL;

    while (lo < hi) {
        mid = lo + (hi - lo) / 2;
        pre = &q->fts->prefixes[mid];
        c = memcmp(pre->key, w->text, pre->len < w->len ? pre->len : w->len);

        if (c == 0) {
            c = pre->len < w->len ? -1 : pre->len > w->len;
        }

        if (c == 0) {
            break;
        }

        if (c < 0) {
            lo = mid + 1;

        } else {
            hi = mid;
        }
    }

    if (lo >= hi || !pre->complete) {
        return 0;
    }

    memset(&e, 0, sizeof(e));
    memset(e.exp, FQ_NONE, sizeof(e.exp));
    e.words = 1;

    for (i = 0; i < pre->count; i++) {
        k = pre->first + i;
        e.doc = q->fts->prefix_docs[k].doc;
        e.key = (1ull << FQ_WORDS_SHIFT) + (2ull << FQ_TYPO_SHIFT)
                + ((uint64_t) (q->fts->prefix_docs[k].score
                               >> GLOSSARY_FTS_TIER_SHIFT) << FQ_FIELD_SHIFT)
                + (q->fts->prefix_docs[k].score
                   & ((1u << GLOSSARY_FTS_TIER_SHIFT) - 1));
        fq_heap_add(q, &e);
    }

    q->res->total = pre->count;
    q->res->flags |= GLOSSARY_FTS_PREFIX_TABLE;

    return 1;
}


/*
 * Fewer documents than the limit match every word of set (with
 * GLOSSARY_FTS_ALL_WORDS: none does): the best documents that match all
 * but one fill the top k below them, then all but two, ...  as
 * Meilisearch's default matching strategy does.  Words of a phrase are
 * never dropped.
 */

static void
fq_fallback(fq_t *q, uint32_t set)
{
    uint32_t  keep, r, n, sub, subsets, i, phrase_words, want;

    n = 0;
    phrase_words = 0;

    for (i = 0; i < q->nwords; i++) {
        if (set & (1u << i)) {
            n++;

            if (q->words[i].phrase) {
                phrase_words |= 1u << i;
            }
        }
    }

    subsets = 0;

    /* hits that match every word rank first; the others fill the top k */
    q->count = (q->nheap == 0);
    want = (q->flags & GLOSSARY_FTS_ALL_WORDS) ? 1 : q->limit;

    for (r = n - 1; r >= 1 && q->nheap < want && !q->stop; r--) {
        for (sub = set; ; sub = (sub - 1) & set) {
            keep = sub;

            if (__builtin_popcount(keep) == (int) r
                && (keep & phrase_words) == phrase_words)
            {
                if (subsets == GLOSSARY_FTS_MAX_SUBSETS) {
                    q->res->flags |= GLOSSARY_FTS_CUT_SUBSETS;
                    q->count = 1;
                    return;
                }

                subsets++;
                q->fell = 1;
                q->res->subsets++;
                fq_evaluate(q, keep, 1);
            }

            if (sub == 0 || q->stop) {
                break;
            }
        }
    }

    q->count = 1;
}


static void
fq_results(fq_t *q)
{
    uint32_t               i, n;
    fq_entry_t             t;
    glossary_fts_hit_t    *h;
    glossary_fts_result_t *res;

    res = q->res;

    /* heap sort: the worst is at the root */

    n = q->nheap;

    while (q->nheap > 1) {
        t = q->heap[0];
        q->heap[0] = q->heap[q->nheap - 1];
        q->heap[q->nheap - 1] = t;
        q->nheap--;
        fq_heap_down(q, 0);
    }

    q->nheap = n;

    for (i = 0; i < n; i++) {
        h = &res->hits[i];
        h->doc = q->heap[i].doc;
        h->flags = q->heap[i].flags;
        h->rank = q->heap[i].key;
        h->score = (uint32_t) (q->heap[i].key & FQ_SCORE_MASK);
        h->typos = q->heap[i].typos;
        h->words = q->heap[i].words;

        if (h->words < q->nwords) {
            res->flags |= GLOSSARY_FTS_FALLBACK;
        }
    }

    res->nhits = n;

    if (res->total < n) {
        res->total = n;
    }
}


int
glossary_fts_search(const glossary_fts_t *fts, void *scratch,
    size_t scratch_size, const glossary_fts_query_t *query,
    glossary_fts_result_t *res)
{
    if (scratch_size < glossary_fts_scratch_size(fts)
        || ((uintptr_t) scratch) % 8 || fts->base == NULL
        || query->limit == 0 || query->limit > GLOSSARY_FTS_MAX_HITS)
    {
        return -1;
    }

    fq_search(fts, scratch, scratch_size, query, res,
              GLOSSARY_FTS_MAX_POSTINGS);

    return (res->flags & GLOSSARY_FTS_CORRUPT) ? -2 : 0;
}


/* a search with a budget of postings: the bound, or what a search left */

static void
fq_search(const glossary_fts_t *fts, void *scratch, size_t scratch_size,
    const glossary_fts_query_t *query, glossary_fts_result_t *res,
    uint32_t budget)
{
    uint32_t    i, set, typos, all;
    fq_t       *q;

    memset(res, 0, sizeof(*res));

    q = scratch;
    q->fts = fts;
    q->res = res;
    fq_dicts(q);
    q->category = query->category;
    q->limit = query->limit;
    q->flags = query->flags;
    q->nwords = 0;
    q->nexcluded = 0;
    q->nphrases = 0;
    q->stop = 0;
    q->pruned = 0;
    q->budget = budget;
    q->nheap = 0;
    q->nexact = 0;
    q->name_len = 0;
    q->walk = 0;
    q->count = 1;
    q->fell = 0;
    memset(q->seen_len, 0, sizeof(q->seen_len));

    fq_parse(q, query);
    res->words = q->nwords;

    if (q->nwords == 0) {
        return;
    }

    fq_exact_names(q);
    fq_exact_insert(q);

    if (!fq_prefix_table(q)) {
        /* the words as they are first; typos only if that is not enough */

        set = 0;

        for (i = 0; i < q->nwords; i++) {
            fq_expand(q, &q->words[i]);
            set |= (uint32_t) (q->words[i].nexp != 0) << i;
        }

        all = (1u << q->nwords) - 1;

        if (set == all) {
            fq_evaluate(q, set, 0);
        }

        if (q->nheap < q->limit && !q->stop) {
            set = 0;
            typos = 0;

            for (i = 0; i < q->nwords; i++) {
                fq_expand_typos(q, &q->words[i]);
                set |= (uint32_t) (q->words[i].nexp != 0) << i;
                typos |= q->words[i].nexp > q->words[i].nexp0;
            }

            if (typos || set != all) {
                /* a word that matches nothing: the others, a fallback */
                fq_evaluate(q, set, 1);
                q->fell |= (set != all);
            }

            if (q->nheap < ((q->flags & GLOSSARY_FTS_ALL_WORDS) ? 1
                                                               : q->limit)
                && __builtin_popcount(set) > 1 && !q->stop)
            {
                fq_fallback(q, set);
            }
        }

        if (!q->pruned && !q->stop && !q->fell) {
            res->flags |= GLOSSARY_FTS_EXHAUSTIVE;
        }

        res->walk = q->walk;
    }

    fq_results(q);

    if ((query->flags & GLOSSARY_FTS_NO_SUGGEST) || q->stop) {
        return;
    }

    if (res->nhits == 0) {
        fq_suggest(q, query, scratch, scratch_size, 1);
        return;
    }

    /* hits without a word that matches nothing: that word's nearest */

    for (i = 0; i < q->nwords; i++) {
        if (q->words[i].nexp == 0) {
            fq_suggest(q, query, scratch, scratch_size, 0);
            break;
        }
    }
}


/*
 * "Did you mean": each word that matched nothing as it is (neither its
 * word nor its stem is in the index, nor, with hits, a completion of it)
 * is replaced by the index word nearest to it (2 edits from 5 letters, 1
 * from 3), fewest edits then most documents.  With no hit (search 1) the
 * suggestion is searched and offered only when it has hits; with hits, of
 * which some word matched nothing at all (search 0), it is not searched:
 * its words all have hits, and the scratch keeps this search's state for
 * the snippets.
 */

static void
fq_suggest(fq_t *q, const glossary_fts_query_t *query, void *scratch,
    size_t scratch_size, int search)
{
    size_t                  n, len;
    uint32_t                i, k, j, budget, changed, best;
    fq_word_t              *w;
    glossary_fts_query_t    inner;
    glossary_fts_result_t  *res;
    const unsigned char    *word;

    res = q->res;
    n = 0;
    changed = 0;

    for (i = 0; i < q->nwords; i++) {
        w = &q->words[i];
        word = w->text;
        len = w->len;

        /* a word as typed: its own, its stem's or a completion's hits */
        for (k = 0; k < w->nexp; k++) {
            if (w->exp[k].kind == FQ_EXACT || w->exp[k].kind == FQ_STEM
                || (!search && w->exp[k].kind == FQ_PREFIX))
            {
                break;
            }
        }

        budget = w->len >= 5 ? 2 : w->len >= 3 ? 1 : 0;

        if (k == w->nexp && budget) {
            q->ncand = 0;
            fq_typos(q, w->text, w->len, budget, 0);

            if (q->ncand) {
                best = 0;

                for (j = 1; j < q->ncand; j++) {
                    if (q->cand[j].dist < q->cand[best].dist
                        || (q->cand[j].dist == q->cand[best].dist
                            && q->cand[j].df > q->cand[best].df))
                    {
                        best = j;
                    }
                }

                word = q->cand[best].key;
                len = q->cand[best].len;
                changed = 1;
            }
        }

        if (n + len + 1 > sizeof(q->suggestion)) {
            return;
        }

        memcpy(q->suggestion + n, word, len);
        n += len;
        q->suggestion[n++] = ' ';
    }

    res->walk = q->walk;

    if (!changed || n == 0) {
        return;
    }

    if (!search) {
        res->suggestion = q->suggestion;
        res->suggestion_len = n - 1;
        return;
    }

    /* the words are whole: the trailing space says so */

    inner.text = q->suggestion;
    inner.len = n;
    inner.category = query->category;
    inner.limit = 1;
    inner.flags = GLOSSARY_FTS_NO_SUGGEST;

    fq_search(q->fts, scratch, scratch_size, &inner, &q->inner, q->budget);

    if (q->inner.nhits) {
        res->suggestion = q->suggestion;
        res->suggestion_len = n - 1;
    }

    res->postings += q->inner.postings;
    res->flags |= q->inner.flags & GLOSSARY_FTS_CORRUPT;
    q->res = res;
}


/* ---- snippets ---------------------------------------------------------- */


static int
fq_word_byte(unsigned char c)
{
    return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')
           || (c >= 'A' && c <= 'Z');
}


/* does a folded word of the text match a word of the query */

static int
fq_marks(fq_t *q, const unsigned char *t, size_t len)
{
    size_t          slen;
    uint32_t        i, k;
    fq_word_t      *w;
    unsigned char   s[GLOSSARY_FTS_MAX_WORD];

    memcpy(s, t, len);
    slen = glossary_fts_stem(s, len);

    for (i = 0; i < q->nwords; i++) {
        w = &q->words[i];

        if (w->prefix && len >= w->len && memcmp(t, w->text, w->len) == 0) {
            return 1;
        }

        if (slen == w->stem_len && memcmp(s, w->stem, slen) == 0) {
            return 1;
        }

        for (k = 0; k < w->nexp; k++) {
            if (w->exp[k].stem_len == slen
                && memcmp(w->exp[k].stem, s, slen) == 0)
            {
                return 1;
            }
        }
    }

    return 0;
}


/*
 * fq_marks() of a word, remembered: the ten snippets of a search meet the
 * same words again and again, and stemming each costs more than a lookup
 */

static int
fq_seen(fq_t *q, const unsigned char *t, size_t len)
{
    uint32_t  h;

    /* a word's ends, middle and length tell most words apart */
    h = ((uint32_t) t[0] << 16 | (uint32_t) t[len - 1] << 8 | t[len / 2])
        * 2654435761u + (uint32_t) len * 40503u;
    h = (h >> 16) % FQ_SEEN;

    if (q->seen_len[h] == len && memcmp(q->seen[h], t, len) == 0) {
        return q->seen_mark[h];
    }

    q->seen_len[h] = (uint8_t) len;
    q->seen_mark[h] = (uint8_t) fq_marks(q, t, len);
    memcpy(q->seen[h], t, len);

    return q->seen_mark[h];
}


int
glossary_fts_snippet(const glossary_fts_t *fts, void *scratch,
    const glossary_fts_result_t *res, uint32_t i, uint32_t field,
    glossary_fts_snippet_t *sn)
{
    fq_t                      *q;
    size_t                     from, to, len, ws, we, fs, fe, wfrom, limit;
    uint32_t                   j, k, n, f, best_f, anchor, p, cut, skip;
    fq_entry_t                *e;
    fq_cursor_t                c;
    unsigned char              t[GLOSSARY_FTS_MAX_WORD];
    const unsigned char       *text;
    const glossary_fts_doc_t  *d;
    glossary_fts_words_t       words;

    memset(sn, 0, sizeof(*sn));

    if (i >= res->nhits || (field >= GLOSSARY_FTS_FIELDS
                            && field != GLOSSARY_FTS_FIELD_AUTO))
    {
        return -1;
    }

    q = scratch;
    q->fts = fts;
    q->res = (glossary_fts_result_t *) res;
    fq_dicts(q);
    q->budget = GLOSSARY_FTS_MAX_POSTINGS;
    q->stop = 0;
    e = &q->heap[i];
    d = &fts->docs[e->doc];

    /* the first match in the field, or the best field */

    best_f = field == GLOSSARY_FTS_FIELD_AUTO ? GLOSSARY_FTS_FIELDS : field;
    anchor = FQ_END;

    for (j = 0; j < q->nwords; j++) {
        if (e->exp[j] == FQ_NONE) {
            continue;
        }

        /* the posting the evaluation scored: no search of the list */
        c.skip = fts->skips + e->skip[j];
        c.i = e->at[j];
        /* ascending: the first at or after the field's start decides */
        n = fq_positions(q, &c, q->pos[0], FQ_MAX_POS,
                         d->pos[field == GLOSSARY_FTS_FIELD_AUTO
                                ? GLOSSARY_FTS_FIELD_SHORT : field]);
        f = 0;

        for (k = 0; k < n; k++) {
            p = q->pos[0][k];

            while (f + 1 < GLOSSARY_FTS_FIELDS && p >= d->pos[f + 1]) {
                f++;
            }

            if (field == GLOSSARY_FTS_FIELD_AUTO) {
                if (f < GLOSSARY_FTS_FIELD_SHORT || f > best_f) {
                    continue;
                }

                if (f < best_f) {
                    best_f = f;
                    anchor = p;

                } else if (p < anchor) {
                    anchor = p;
                }

            } else if (f == field && p < anchor) {
                anchor = p;
            }
        }
    }

    if (best_f == GLOSSARY_FTS_FIELDS) {
        best_f = GLOSSARY_FTS_FIELD_SHORT;
    }

    sn->field = best_f;
    text = fts->text + d->text_off;
    fs = best_f ? d->text_end[best_f - 1] + 1 : 0;
    fe = d->text_end[best_f];
    ws = fs;

    if (anchor != FQ_END) {
        /* the anchor's bytes: from its checkpoint, word by word */

        glossary_fts_words_init(&words,
                                text + fts->checkpoints[d->cp_first
                                    + anchor / GLOSSARY_FTS_CHECKPOINT],
                                fe - fts->checkpoints[d->cp_first
                                    + anchor / GLOSSARY_FTS_CHECKPOINT]);
        wfrom = 0;

        for (k = 0; k <= anchor % GLOSSARY_FTS_CHECKPOINT; k++) {
            if (glossary_fts_next_word(&words, t, &from, &to) == 0) {
                break;
            }

            wfrom = from;
        }

        wfrom += fts->checkpoints[d->cp_first + anchor
                                  / GLOSSARY_FTS_CHECKPOINT];

        if (wfrom > fs + GLOSSARY_FTS_SNIPPET_LEN / 3) {
            ws = wfrom - GLOSSARY_FTS_SNIPPET_LEN / 3;
        }

        /* a window that would end before its length: back from the end */
        if (fe - ws < GLOSSARY_FTS_SNIPPET_LEN) {
            ws = fe - fs > GLOSSARY_FTS_SNIPPET_LEN
                 ? fe - GLOSSARY_FTS_SNIPPET_LEN : fs;
        }
    }

    /* start at a word: skip a word cut in two */

    skip = ws > fs && fq_word_byte(text[ws - 1]);
    glossary_fts_words_init(&words, text + ws, fe - ws);

    if (ws > fs) {
        while ((len = glossary_fts_next_word(&words, t, &from, &to)) != 0) {
            if (!skip) {
                break;
            }

            skip = 0;
        }

        if (len == 0) {
            ws = fs;

        } else {
            ws += from;
        }

        glossary_fts_words_init(&words, text + ws, fe - ws);
    }

    limit = ws + GLOSSARY_FTS_SNIPPET_LEN;
    we = ws;
    cut = 0;

    while ((len = glossary_fts_next_word(&words, t, &from, &to)) != 0) {
        if (ws + to > limit && we > ws) {
            cut = 1;
            break;
        }

        we = ws + to;

        if (sn->nmarks < GLOSSARY_FTS_MAX_MARKS && fq_seen(q, t, len)) {
            sn->marks[sn->nmarks].from = (uint32_t) from;
            sn->marks[sn->nmarks].len = (uint32_t) (to - from);
            sn->nmarks++;
        }
    }

    if (!cut) {
        we = fe;
    }

    /*
     * a window is whole words, but one word can be long (a token without
     * a separator is one word): at most twice the length, cut before a
     * character, marks past it dropped
     */
    if (we - ws > 2 * GLOSSARY_FTS_SNIPPET_LEN) {
        we = ws + 2 * GLOSSARY_FTS_SNIPPET_LEN;

        while (we > ws && (text[we] & 0xc0) == 0x80) {
            we--;
        }

        cut = 1;

        while (sn->nmarks
               && sn->marks[sn->nmarks - 1].from
                  + sn->marks[sn->nmarks - 1].len > we - ws)
        {
            sn->nmarks--;
        }
    }

    sn->text = text + ws;
    sn->len = we - ws;
    sn->cut_before = ws > fs;
    sn->cut_after = cut;

    return 0;
}
