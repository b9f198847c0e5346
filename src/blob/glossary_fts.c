/*
 * The FTS image reader: words, stems, and the validation of a whole image
 * once, before the engine (glossary_fts_query.c) reads anything from it
 * without further checks.  Allocates nothing; depends on libxxhash only.
 */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <xxhash.h>

#include "glossary_fold.h"
#include "glossary_fts.h"


/* an opened blob's checked section, mapped again without the checks */
#define GLOSSARY_FTS_MAPPED          0x100


static glossary_status_t glossary_fts_fail(glossary_fts_t *fts,
    glossary_status_t rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static glossary_status_t glossary_fts_check_parts(glossary_fts_t *fts);
static glossary_status_t glossary_fts_check_docs(glossary_fts_t *fts);
static glossary_status_t glossary_fts_check_keys(glossary_fts_t *fts,
    int walk);
static glossary_status_t glossary_fts_check_lists(glossary_fts_t *fts,
    unsigned flags);
static glossary_status_t glossary_fts_check_blocks(const glossary_fts_t *fts,
    uint32_t list, char *detail);
static glossary_status_t glossary_fts_check_layer(const glossary_fts_t *fts,
    char *detail, uint32_t list, uint32_t layer, uint64_t first,
    uint32_t blocks, uint32_t count, uint32_t *max, uint32_t *fields);
static glossary_status_t glossary_fts_check_names(glossary_fts_t *fts);
static glossary_status_t glossary_fts_check_prefixes(glossary_fts_t *fts);
static int glossary_fts_ends(const unsigned char *w, size_t n,
    const char *s);
static int glossary_fts_vowel(const unsigned char *w, size_t n);


static glossary_status_t glossary_fts_say(char *detail,
    glossary_status_t rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));


static glossary_status_t
glossary_fts_fail(glossary_fts_t *fts, glossary_status_t rc,
    const char *fmt, ...)
{
    va_list  args;

    va_start(args, fmt);
    vsnprintf(fts->detail, sizeof(fts->detail), fmt, args);
    va_end(args);

    return rc;
}


/* the same into a buffer of the size of glossary_fts_t's detail */
static glossary_status_t
glossary_fts_say(char *detail, glossary_status_t rc, const char *fmt, ...)
{
    va_list  args;

    va_start(args, fmt);
    vsnprintf(detail, sizeof(((glossary_fts_t *) 0)->detail), fmt, args);
    va_end(args);

    return rc;
}


size_t
glossary_fts_varint(const unsigned char *p, const unsigned char *end,
    uint32_t *v)
{
    size_t    i;
    uint32_t  x;

    x = 0;

    for (i = 0; i < 5 && p + i < end; i++) {
        if (i == 4 && p[i] > 0x0f) {
            return 0;       /* more than 32 bits */
        }

        x |= (uint32_t) (p[i] & 0x7f) << (7 * i);

        if (!(p[i] & 0x80)) {
            *v = x;
            return i + 1;
        }
    }

    return 0;
}


uint64_t
glossary_fts_name_hash(const void *folded, size_t len)
{
    return XXH3_64bits(folded, len);
}


void
glossary_fts_words_init(glossary_fts_words_t *w, const void *text,
    size_t len)
{
    w->start = text;
    w->p = text;
    w->end = w->start + len;
}


/*
 * The same decisions as glossary_fold(), character by character: ASCII
 * here, anything else by folding that one character with glossary_fold()
 * itself, so that the two cannot disagree.  A combining mark is dropped
 * without ending a word; a character that folds to nothing ends it.
 */

size_t
glossary_fts_next_word(glossary_fts_words_t *w, unsigned char *word,
    size_t *from, size_t *to)
{
    size_t                n, k, m;
    uint32_t              cp;
    unsigned char         c, tmp[8];
    const unsigned char  *p, *end;
    int                   full;

    /* ASCII letters and digits folded; 0: a separator; 0x80: not ASCII */
    static const unsigned char  ascii[256] = {
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67,
        0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70, 0x71, 0x72, 0x73,
        0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b,
        0x6c, 0x6d, 0x6e, 0x6f, 0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77,
        0x78, 0x79, 0x7a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x80, 0x80, 0x80,
        0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
        0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
        0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
        0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
        0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
        0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
        0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
        0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
        0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
        0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
        0x80, 0x80, 0x80, 0x80
    };

    p = w->p;
    end = w->end;
    n = 0;
    full = 0;
    *from = 0;
    *to = 0;

    for ( ;; ) {
        while (p < end && ascii[*p] == 0) {
            p++;
        }

        if (p == end) {
            w->p = p;
            return 0;
        }

        if (ascii[*p] != 0x80) {
            break;
        }

        /* not ASCII: a separator, a mark or the first letter */

        k = glossary_utf8_decode(p, end - p, &cp);

        if (k == 0) {
            p++;
            continue;
        }

        if ((cp >= 0x300 && cp <= 0x36f) || glossary_fold(tmp, p, k) == 0) {
            p += k;
            continue;
        }

        break;
    }

    *from = p - w->start;

    while (p < end) {
        c = ascii[*p];

        if (c == 0) {
            break;
        }

        if (c != 0x80) {
            /* a run of ASCII letters and digits */
            for ( ;; ) {
                if (n < GLOSSARY_FTS_MAX_WORD && !full) {
                    word[n++] = c;

                } else {
                    full = 1;
                }

                if (++p == end) {
                    break;
                }

                c = ascii[*p];

                if (c == 0 || c == 0x80) {
                    break;
                }
            }

            *to = p - w->start;
            continue;
        }

        k = glossary_utf8_decode(p, end - p, &cp);

        if (k == 0) {
            break;
        }

        if (cp >= 0x300 && cp <= 0x36f) {
            p += k;
            *to = p - w->start;
            continue;      /* a combining mark: dropped */
        }

        m = glossary_fold(tmp, p, k);

        if (m == 0) {
            break;
        }

        if (!full && n + m <= GLOSSARY_FTS_MAX_WORD) {
            memcpy(word + n, tmp, m);
            n += m;

        } else {
            full = 1;   /* the rest of a long word is dropped */
        }

        p += k;
        *to = p - w->start;
    }

    w->p = p;

    return n;
}


static int
glossary_fts_ends(const unsigned char *w, size_t n, const char *s)
{
    size_t  k;

    k = strlen(s);

    return n >= k && memcmp(w + n - k, s, k) == 0;
}


static int
glossary_fts_vowel(const unsigned char *w, size_t n)
{
    size_t  i;

    for (i = 0; i < n; i++) {
        if (strchr("aeiouy", w[i]) != NULL) {
            return 1;
        }
    }

    return 0;
}


/*
 * A light English stemmer for words of a-z only, 4 letters or more: the
 * plural, then -ed/-ing, then -ization/-ation, then -ate, then a final e.
 * SEARCH.md lists the rules with examples.
 */

size_t
glossary_fts_stem(unsigned char *w, size_t n)
{
    size_t  i;
    int     cut;

    if (n < 4) {
        return n;
    }

    for (i = 0; i < n; i++) {
        if (w[i] < 'a' || w[i] > 'z') {
            return n;
        }
    }

    /* plurals */

    if (glossary_fts_ends(w, n, "sses")) {
        n -= 2;

    } else if (glossary_fts_ends(w, n, "ies")) {
        if (n > 4) {
            w[n - 3] = 'y';
            n -= 2;
        }

    } else if (glossary_fts_ends(w, n, "xes") || glossary_fts_ends(w, n, "ches")
               || glossary_fts_ends(w, n, "shes")
               || glossary_fts_ends(w, n, "zes"))
    {
        n -= 2;

    } else if (w[n - 1] == 's' && !glossary_fts_ends(w, n, "ss")
               && (!glossary_fts_ends(w, n, "us") || n == 4)
               && !glossary_fts_ends(w, n, "is"))
    {
        /* not status, but gpus, cpus */
        n -= 1;
    }

    /* -ed, -ing: what remains has 3 letters or more, one a vowel */

    cut = 0;

    if (glossary_fts_ends(w, n, "eed") || (n == 5 && memcmp(w, "embed", 5) == 0)
        || (n == 7 && (memcmp(w, "hundred", 7) == 0
                       || memcmp(w, "kindred", 7) == 0)))
    {
        /* need, speed, feed; words whose -ed is not an ending */

    } else if (glossary_fts_ends(w, n, "ed") && n >= 5
               && glossary_fts_vowel(w, n - 2))
    {
        n -= 2;
        cut = 1;

    } else if (glossary_fts_ends(w, n, "ing") && n >= 6
               && glossary_fts_vowel(w, n - 3))
    {
        n -= 3;
        cut = 1;
    }

    if (cut) {
        if (glossary_fts_ends(w, n, "at") || glossary_fts_ends(w, n, "bl")
            || glossary_fts_ends(w, n, "iz"))
        {
            w[n++] = 'e';       /* generat(ed) -> generate, as below */

        } else if (w[n - 1] == w[n - 2] && strchr("aeiouylsz", w[n - 1])
                   == NULL)
        {
            n--;                /* runn(ing) -> run */
        }
    }

    /* -ization -> -ize, -ation -> -ate */

    if (glossary_fts_ends(w, n, "ization")) {
        n -= 4;
        w[n - 1] = 'e';

    } else if (glossary_fts_ends(w, n, "ation") && n >= 8) {
        n -= 2;
        w[n - 1] = 'e';
    }

    /* -ate, when 4 letters or more remain: generate -> gener */

    if (glossary_fts_ends(w, n, "ate") && n >= 7) {
        n -= 3;
    }

    if (n > 3 && w[n - 1] == 'e') {
        n--;
    }

    return n;
}


const unsigned char *
glossary_fts_field(const glossary_fts_t *fts, uint32_t doc, uint32_t field,
    size_t *len)
{
    uint32_t                   start;
    const glossary_fts_doc_t  *d;

    *len = 0;

    if (doc >= fts->doc_count || field >= GLOSSARY_FTS_FIELDS) {
        return NULL;
    }

    d = &fts->docs[doc];
    start = field ? d->text_end[field - 1] + 1 : 0;
    *len = d->text_end[field] - start;

    return fts->text + d->text_off + start;
}


glossary_status_t
glossary_fts_open(glossary_fts_t *fts, const void *data, size_t size)
{
    return glossary_fts_open_flags(fts, data, size, NULL, 0, 0);
}


glossary_status_t
glossary_fts_open_flags(glossary_fts_t *fts, const void *data, size_t size,
    const void *text, size_t text_size, unsigned flags)
{
    glossary_status_t             rc;
    const glossary_fts_header_t  *h;

    memset(fts, 0, sizeof(*fts));

    if (size < GLOSSARY_FTS_HEADER_SIZE) {
        return glossary_fts_fail(fts, GLOSSARY_ERR_TRUNCATED,
                                 "%zu bytes, a header needs %d", size,
                                 GLOSSARY_FTS_HEADER_SIZE);
    }

    if (((uintptr_t) data) % 8) {
        return glossary_fts_fail(fts, GLOSSARY_ERR_SEARCH,
                                 "image is not 8-byte aligned in memory");
    }

    h = data;

    if (memcmp(h->magic, GLOSSARY_FTS_MAGIC, 8) != 0) {
        return glossary_fts_fail(fts, GLOSSARY_ERR_MAGIC, "magic is not \""
                                 GLOSSARY_FTS_MAGIC "\"");
    }

    if (h->version_major != GLOSSARY_FTS_VERSION_MAJOR) {
        return glossary_fts_fail(fts, GLOSSARY_ERR_VERSION,
                                 "version %u.%u, this reader reads %d.x",
                                 h->version_major, h->version_minor,
                                 GLOSSARY_FTS_VERSION_MAJOR);
    }

    if (h->image_size != size) {
        return glossary_fts_fail(fts, GLOSSARY_ERR_SEARCH,
                                 "image_size is %llu, the image has %zu "
                                 "bytes", (unsigned long long) h->image_size,
                                 size);
    }

    if (h->header_size < GLOSSARY_FTS_HEADER_SIZE || h->header_size % 8
        || h->header_size > size)
    {
        return glossary_fts_fail(fts, GLOSSARY_ERR_SEARCH,
                                 "header_size %u", h->header_size);
    }

    if (h->doc_count > GLOSSARY_FTS_MAX_DOCS) {
        return glossary_fts_fail(fts, GLOSSARY_ERR_SEARCH,
                                 "doc_count %u is over %u", h->doc_count,
                                 (unsigned) GLOSSARY_FTS_MAX_DOCS);
    }

    if (h->flags != 0) {
        return glossary_fts_fail(fts, GLOSSARY_ERR_SEARCH, "flags 0x%x",
                                 h->flags);
    }

    fts->base = data;
    fts->size = size;
    fts->header = h;
    fts->doc_count = h->doc_count;
    fts->list_count = h->list_count;
    fts->key_count = h->key_count;
    fts->prefix_count = h->prefix_count;
    fts->walk_count = h->walk_count;

    rc = glossary_fts_check_parts(fts);

    if (rc == GLOSSARY_OK && (flags & GLOSSARY_FTS_MAPPED)) {
        /* checked before (glossary_blob_fts()): the pointers only */
        fts->text = text;
        fts->text_size = text_size;
        fts->lazy = (flags & GLOSSARY_FTS_OPEN_LAZY) ? 1 : 0;
        return GLOSSARY_OK;
    }

    if (rc == GLOSSARY_OK && text != NULL) {
        if (fts->text_size != 0) {
            rc = glossary_fts_fail(fts, GLOSSARY_ERR_SEARCH,
                                   "TEXT has %llu bytes, the texts are "
                                   "outside the image",
                                   (unsigned long long) fts->text_size);
        }

        fts->text = text;
        fts->text_size = text_size;
    }

    if (rc == GLOSSARY_OK) {
        rc = glossary_fts_check_docs(fts);
    }

    if (rc == GLOSSARY_OK) {
        rc = glossary_fts_check_keys(fts, 0);
    }

    if (rc == GLOSSARY_OK) {
        rc = glossary_fts_check_keys(fts, 1);
    }

    if (rc == GLOSSARY_OK) {
        rc = glossary_fts_check_lists(fts, flags);
    }

    if (rc == GLOSSARY_OK) {
        rc = glossary_fts_check_names(fts);
    }

    if (rc == GLOSSARY_OK) {
        rc = glossary_fts_check_prefixes(fts);
    }

    if (rc != GLOSSARY_OK) {
        fts->base = NULL;
        return rc;
    }

    fts->lazy = (flags & GLOSSARY_FTS_OPEN_LAZY) ? 1 : 0;

    return GLOSSARY_OK;
}


glossary_status_t
glossary_blob_fts(const glossary_blob_t *blob, glossary_fts_t *fts)
{
    memset(fts, 0, sizeof(*fts));

    if (blob->fts_image == NULL) {
        return GLOSSARY_ERR_MISSING_SECTION;
    }

    return glossary_fts_open_flags(fts, blob->fts_image, blob->fts_size,
                                   glossary_blob_ptr(blob, blob->fts_text),
                                   blob->fts_text.len,
                                   GLOSSARY_FTS_MAPPED
                                   | (blob->lazy ? GLOSSARY_FTS_OPEN_LAZY
                                                 : 0));
}


#define glossary_fts_bit(map, i)                                             \
    ((map)[(i) >> 6] & ((uint64_t) 1 << ((i) & 63)))
#define glossary_fts_bit_set(map, i)                                         \
    ((map)[(i) >> 6] |= (uint64_t) 1 << ((i) & 63))


size_t
glossary_fts_lazy_size(const glossary_fts_t *fts)
{
    return fts->lazy ? 2 * (((size_t) fts->list_count + 63) / 64)
                       * sizeof(uint64_t)
                     : 0;
}


void
glossary_fts_lazy_init(glossary_fts_t *fts, glossary_fts_lazy_t *lz,
    void *mem)
{
    memset(lz, 0, sizeof(glossary_fts_lazy_t));

    if (!fts->lazy) {
        return;
    }

    lz->ok = mem;
    lz->bad = lz->ok + ((size_t) fts->list_count + 63) / 64;
    fts->lz = lz;
}


/*
 * A lazily opened image's list: its blocks decoded once, as the full
 * check does, the answer kept.  A list found corrupt stays refused.
 */

glossary_status_t
glossary_fts_list_ready(const glossary_fts_t *fts, uint32_t list)
{
    glossary_status_t     rc;
    glossary_fts_lazy_t  *lz;

    if (!fts->lazy) {
        return GLOSSARY_OK;
    }

    lz = fts->lz;

    if (lz == NULL || list >= fts->list_count) {
        return GLOSSARY_ERR_SEARCH;
    }

    if (glossary_fts_bit(lz->ok, list)) {
        return GLOSSARY_OK;
    }

    if (glossary_fts_bit(lz->bad, list)) {
        snprintf(lz->detail, sizeof(lz->detail),
                 "search index: list %u failed its check before", list);
        return GLOSSARY_ERR_SEARCH;
    }

    lz->verified++;

    rc = glossary_fts_check_blocks(fts, list, lz->detail);

    if (rc != GLOSSARY_OK) {
        glossary_fts_bit_set(lz->bad, list);
        lz->corrupt++;
        return rc;
    }

    glossary_fts_bit_set(lz->ok, list);

    return GLOSSARY_OK;
}


static glossary_status_t
glossary_fts_check_parts(glossary_fts_t *fts)
{
    uint32_t                    i, prev;
    uint64_t                    table, end, n;
    const unsigned char        *base;
    const glossary_fts_part_t  *part;

    static const char  *names[] = {
        "TEXT", "DICT_INDEX", "DICT", "LISTS", "SKIPS", "POSTINGS",
        "POSITIONS", "DOCS", "CHECKPOINTS", "NAMES", "PREFIXES",
        "PREFIX_DOCS", "IMPACTS", "WALK_INDEX", "WALK", "WALK_LENGTHS"
    };

    _Static_assert(sizeof(names) / sizeof(char *) == GLOSSARY_FTS_PARTS,
                   "one name per part");

    base = fts->base;
    table = fts->header->header_size;

    if (fts->header->part_count < GLOSSARY_FTS_PARTS
        || fts->header->part_count > 64)
    {
        return glossary_fts_fail(fts, GLOSSARY_ERR_SEARCH,
                                 "part_count %u", fts->header->part_count);
    }

    end = table + (uint64_t) fts->header->part_count * 16;

    if (end > fts->size) {
        return glossary_fts_fail(fts, GLOSSARY_ERR_SEARCH,
                                 "part table ends at %llu, past the image",
                                 (unsigned long long) end);
    }

    part = (const glossary_fts_part_t *) (base + table);

    for (i = 0; i < GLOSSARY_FTS_PARTS; i++) {
        if (part[i].offset % 8 || part[i].offset < end
            || part[i].offset > fts->size
            || part[i].size > fts->size - part[i].offset)
        {
            return glossary_fts_fail(fts, GLOSSARY_ERR_SEARCH,
                                     "part %s: offset %llu size %llu",
                                     names[i],
                                     (unsigned long long) part[i].offset,
                                     (unsigned long long) part[i].size);
        }

        end = part[i].offset + part[i].size;    /* parts in order */
    }

    fts->dict_index = (const uint32_t *) (base
                      + part[GLOSSARY_FTS_PART_DICT_INDEX].offset);
    fts->dict = base + part[GLOSSARY_FTS_PART_DICT].offset;
    fts->dict_size = part[GLOSSARY_FTS_PART_DICT].size;
    fts->lists = (const glossary_fts_list_t *) (base
                 + part[GLOSSARY_FTS_PART_LISTS].offset);
    fts->skips = (const glossary_fts_skip_t *) (base
                 + part[GLOSSARY_FTS_PART_SKIPS].offset);
    fts->postings = base + part[GLOSSARY_FTS_PART_POSTINGS].offset;
    fts->postings_size = part[GLOSSARY_FTS_PART_POSTINGS].size;
    fts->positions = base + part[GLOSSARY_FTS_PART_POSITIONS].offset;
    fts->positions_size = part[GLOSSARY_FTS_PART_POSITIONS].size;
    fts->docs = (const glossary_fts_doc_t *) (base
                + part[GLOSSARY_FTS_PART_DOCS].offset);
    fts->checkpoints = (const uint32_t *) (base
                       + part[GLOSSARY_FTS_PART_CHECKPOINTS].offset);
    fts->names = (const glossary_fts_name_t *) (base
                 + part[GLOSSARY_FTS_PART_NAMES].offset);
    fts->prefixes = (const glossary_fts_prefix_t *) (base
                    + part[GLOSSARY_FTS_PART_PREFIXES].offset);
    fts->prefix_docs = (const glossary_fts_scored_t *) (base
                       + part[GLOSSARY_FTS_PART_PREFIX_DOCS].offset);
    fts->impacts = (const uint32_t *) (base
                   + part[GLOSSARY_FTS_PART_IMPACTS].offset);
    fts->text = base + part[GLOSSARY_FTS_PART_TEXT].offset;
    fts->text_size = part[GLOSSARY_FTS_PART_TEXT].size;
    fts->walk_index = (const uint32_t *) (base
                      + part[GLOSSARY_FTS_PART_WALK_INDEX].offset);
    fts->walk = base + part[GLOSSARY_FTS_PART_WALK].offset;
    fts->walk_size = part[GLOSSARY_FTS_PART_WALK].size;
    fts->walk_lengths = (const uint32_t *) (base
                        + part[GLOSSARY_FTS_PART_WALK_LENGTHS].offset);

    /* parts of fixed-size records */

    n = (fts->key_count + GLOSSARY_FTS_DICT_BLOCK - 1)
        / GLOSSARY_FTS_DICT_BLOCK;

    if (part[GLOSSARY_FTS_PART_DICT_INDEX].size != n * 4) {
        return glossary_fts_fail(fts, GLOSSARY_ERR_SEARCH,
                                 "DICT_INDEX has %llu bytes, %u keys need "
                                 "%llu",
                                 (unsigned long long)
                                 part[GLOSSARY_FTS_PART_DICT_INDEX].size,
                                 fts->key_count,
                                 (unsigned long long) n * 4);
    }

    fts->dict_blocks = (uint32_t) n;

    n = (fts->walk_count + GLOSSARY_FTS_DICT_BLOCK - 1)
        / GLOSSARY_FTS_DICT_BLOCK;

    if (fts->walk_count > fts->key_count
        || part[GLOSSARY_FTS_PART_WALK_INDEX].size != n * 4
        || part[GLOSSARY_FTS_PART_WALK_LENGTHS].size
           != (GLOSSARY_FTS_MAX_WORD + 2) * 4)
    {
        return glossary_fts_fail(fts, GLOSSARY_ERR_SEARCH,
                                 "WALK_INDEX or WALK_LENGTHS size wrong for "
                                 "%u keys", fts->walk_count);
    }

    fts->walk_blocks = (uint32_t) n;

    if (part[GLOSSARY_FTS_PART_LISTS].size
        != (uint64_t) fts->list_count * sizeof(glossary_fts_list_t))
    {
        return glossary_fts_fail(fts, GLOSSARY_ERR_SEARCH,
                                 "LISTS size is not %u records",
                                 fts->list_count);
    }

    if (part[GLOSSARY_FTS_PART_SKIPS].size % sizeof(glossary_fts_skip_t)) {
        return glossary_fts_fail(fts, GLOSSARY_ERR_SEARCH,
                                 "SKIPS size is not whole records");
    }

    fts->skip_count = part[GLOSSARY_FTS_PART_SKIPS].size
                      / sizeof(glossary_fts_skip_t);

    if (part[GLOSSARY_FTS_PART_DOCS].size
        != (uint64_t) fts->doc_count * sizeof(glossary_fts_doc_t))
    {
        return glossary_fts_fail(fts, GLOSSARY_ERR_SEARCH,
                                 "DOCS size is not %u records",
                                 fts->doc_count);
    }

    if (part[GLOSSARY_FTS_PART_CHECKPOINTS].size % 4) {
        return glossary_fts_fail(fts, GLOSSARY_ERR_SEARCH,
                                 "CHECKPOINTS size is not whole entries");
    }

    fts->checkpoint_count = part[GLOSSARY_FTS_PART_CHECKPOINTS].size / 4;

    if (part[GLOSSARY_FTS_PART_NAMES].size % sizeof(glossary_fts_name_t)) {
        return glossary_fts_fail(fts, GLOSSARY_ERR_SEARCH,
                                 "NAMES size is not whole records");
    }

    fts->name_count = part[GLOSSARY_FTS_PART_NAMES].size
                      / sizeof(glossary_fts_name_t);

    if (part[GLOSSARY_FTS_PART_PREFIXES].size
        != (uint64_t) fts->prefix_count * sizeof(glossary_fts_prefix_t))
    {
        return glossary_fts_fail(fts, GLOSSARY_ERR_SEARCH,
                                 "PREFIXES size is not %u records",
                                 fts->prefix_count);
    }

    if (part[GLOSSARY_FTS_PART_PREFIX_DOCS].size
        % sizeof(glossary_fts_scored_t))
    {
        return glossary_fts_fail(fts, GLOSSARY_ERR_SEARCH,
                                 "PREFIX_DOCS size is not whole records");
    }

    fts->prefix_doc_count = part[GLOSSARY_FTS_PART_PREFIX_DOCS].size
                            / sizeof(glossary_fts_scored_t);

    if (part[GLOSSARY_FTS_PART_IMPACTS].size != 256 * 4) {
        return glossary_fts_fail(fts, GLOSSARY_ERR_SEARCH,
                                 "IMPACTS is not 256 entries");
    }

    prev = 0;

    for (i = 0; i < 256; i++) {
        if (fts->impacts[i] < prev
            || fts->impacts[i] > GLOSSARY_FTS_MAX_IMPACT)
        {
            return glossary_fts_fail(fts, GLOSSARY_ERR_SEARCH,
                                     "impact %u: %u", i, fts->impacts[i]);
        }

        prev = fts->impacts[i];
    }

    return GLOSSARY_OK;
}


static glossary_status_t
glossary_fts_check_docs(glossary_fts_t *fts)
{
    uint32_t                   i, f, k, cps, prev;
    uint64_t                   end;
    const glossary_fts_doc_t  *d;

    for (i = 0; i < fts->doc_count; i++) {
        d = &fts->docs[i];

        if (d->words > GLOSSARY_FTS_MAX_DOC_WORDS || d->reserved
            || d->pos[0] != 0)
        {
            return glossary_fts_fail(fts, GLOSSARY_ERR_SEARCH,
                                     "document %u: words %u", i, d->words);
        }

        for (f = 1; f < GLOSSARY_FTS_FIELDS; f++) {
            if (d->pos[f] < d->pos[f - 1]
                || d->text_end[f] < d->text_end[f - 1] + 1ull)
            {
                return glossary_fts_fail(fts, GLOSSARY_ERR_SEARCH,
                                         "document %u: field %u is out of "
                                         "order", i, f);
            }
        }

        if (d->pos[GLOSSARY_FTS_FIELDS - 1] > d->words) {
            return glossary_fts_fail(fts, GLOSSARY_ERR_SEARCH,
                                     "document %u: field positions past its "
                                     "%u words", i, d->words);
        }

        end = d->text_end[GLOSSARY_FTS_FIELDS - 1];

        if (d->text_off > fts->text_size || end > fts->text_size - d->text_off)
        {
            return glossary_fts_fail(fts, GLOSSARY_ERR_SEARCH,
                                     "document %u: text at %llu, %llu bytes, "
                                     "past TEXT", i,
                                     (unsigned long long) d->text_off,
                                     (unsigned long long) end);
        }

        cps = (d->words + GLOSSARY_FTS_CHECKPOINT - 1)
              / GLOSSARY_FTS_CHECKPOINT;

        if (d->cp_first > fts->checkpoint_count
            || cps > fts->checkpoint_count - d->cp_first)
        {
            return glossary_fts_fail(fts, GLOSSARY_ERR_SEARCH,
                                     "document %u: checkpoints %u+%u past "
                                     "the end", i, d->cp_first, cps);
        }

        prev = 0;

        for (k = 0; k < cps; k++) {
            if (fts->checkpoints[d->cp_first + k] >= end
                || (k && fts->checkpoints[d->cp_first + k] <= prev))
            {
                return glossary_fts_fail(fts, GLOSSARY_ERR_SEARCH,
                                         "document %u: checkpoint %u", i, k);
            }

            prev = fts->checkpoints[d->cp_first + k];
        }
    }

    return GLOSSARY_OK;
}


/*
 * A front-coded dictionary: DICT (walk 0: sorted bytewise, two list
 * varints a key) or WALK (walk 1: sorted by length then bytewise, no
 * digits, one list, WALK_LENGTHS matching).
 */

static glossary_status_t
glossary_fts_check_keys(glossary_fts_t *fts, int walk)
{
    size_t                n;
    uint32_t              b, j, keys, shared, slen, surface, stem, len, plen;
    uint32_t              blocks, count, k, shorter[GLOSSARY_FTS_MAX_WORD + 2];
    uint64_t              from, to, size;
    unsigned char         key[GLOSSARY_FTS_MAX_WORD];
    unsigned char         prev[GLOSSARY_FTS_MAX_WORD];
    const char           *what;
    const uint32_t       *index;
    const unsigned char  *data, *p, *end;
    int                   c;

    what = walk ? "walk" : "dictionary";
    index = walk ? fts->walk_index : fts->dict_index;
    blocks = walk ? fts->walk_blocks : fts->dict_blocks;
    count = walk ? fts->walk_count : fts->key_count;
    data = walk ? fts->walk : fts->dict;
    size = walk ? fts->walk_size : fts->dict_size;
    plen = 0;
    j = 0;
    memset(shorter, 0, sizeof(shorter));

    for (b = 0; b < blocks; b++) {
        from = index[b];
        to = b + 1 < blocks ? index[b + 1] : size;

        if ((b == 0 && from != 0) || to <= from || to > size) {
            return glossary_fts_fail(fts, GLOSSARY_ERR_SEARCH,
                                     "%s block %u: bytes %llu to %llu", what,
                                     b, (unsigned long long) from,
                                     (unsigned long long) to);
        }

        keys = b + 1 < blocks ? GLOSSARY_FTS_DICT_BLOCK
                              : count - b * GLOSSARY_FTS_DICT_BLOCK;

        p = data + from;
        end = data + to;
        len = 0;

        for (j = 0; j < keys; j++) {
            if ((n = glossary_fts_varint(p, end, &shared)) == 0
                || (p += n, n = glossary_fts_varint(p, end, &slen)) == 0)
            {
                goto bad;
            }

            p += n;

            if ((j == 0 && shared != 0) || shared > len
                || slen > GLOSSARY_FTS_MAX_WORD - shared || shared + slen == 0
                || slen > (uint64_t) (end - p))
            {
                goto bad;
            }

            memcpy(key + shared, p, slen);
            len = shared + slen;
            p += slen;

            if ((n = glossary_fts_varint(p, end, &surface)) == 0) {
                goto bad;
            }

            p += n;
            stem = 0;

            if (!walk && (n = glossary_fts_varint(p, end, &stem)) == 0) {
                goto bad;
            }

            p += walk ? 0 : n;

            if (walk ? surface >= fts->list_count
                     : (surface == 0 && stem == 0)
                       || surface > fts->list_count
                       || stem > fts->list_count)
            {
                return glossary_fts_fail(fts, GLOSSARY_ERR_SEARCH,
                                         "%s key %u: lists %u, %u", what,
                                         b * GLOSSARY_FTS_DICT_BLOCK + j,
                                         surface, stem);
            }

            if (walk) {
                for (k = 0; k < len; k++) {
                    if (key[k] >= '0' && key[k] <= '9') {
                        goto bad;
                    }
                }

                for (k = len + 1; k <= GLOSSARY_FTS_MAX_WORD + 1; k++) {
                    shorter[k]++;
                }
            }

            if (b || j) {
                c = walk && plen != len
                    ? (plen < len ? -1 : 1)
                    : memcmp(prev, key, plen < len ? plen : len);

                if (c > 0 || (c == 0 && plen >= len)) {
                    return glossary_fts_fail(fts, GLOSSARY_ERR_SEARCH,
                                             "%s key %u is not after the one "
                                             "before", what,
                                             b * GLOSSARY_FTS_DICT_BLOCK + j);
                }
            }

            memcpy(prev, key, len);
            plen = len;
        }

        if (p != end) {
            goto bad;
        }
    }

    if (walk) {
        for (k = 0; k <= GLOSSARY_FTS_MAX_WORD + 1; k++) {
            if (fts->walk_lengths[k] != shorter[k]) {
                return glossary_fts_fail(fts, GLOSSARY_ERR_SEARCH,
                                         "WALK_LENGTHS[%u] is %u, the keys "
                                         "say %u", k, fts->walk_lengths[k],
                                         shorter[k]);
            }
        }
    }

    return GLOSSARY_OK;

bad:

    return glossary_fts_fail(fts, GLOSSARY_ERR_SEARCH, "%s block %u: bad key "
                             "%u", what, b, j);
}


/*
 * Every list record, its place in SKIPS and its block count; then, opened
 * in full, every block of it (glossary_fts_check_blocks()), otherwise at
 * first use (glossary_fts_list_ready()).
 */

static glossary_status_t
glossary_fts_check_lists(glossary_fts_t *fts, unsigned flags)
{
    uint32_t                    i;
    uint64_t                    next, blocks;
    glossary_status_t           rc;
    const glossary_fts_list_t  *l;

    next = 0;

    for (i = 0; i < fts->list_count; i++) {
        l = &fts->lists[i];

        blocks = ((uint64_t) l->df - l->count0 + GLOSSARY_FTS_BLOCK - 1)
                 / GLOSSARY_FTS_BLOCK;

        if (l->df == 0 || l->df > fts->doc_count || l->count0 > l->df
            || l->skip_first != next
            || l->blocks0 != (l->count0 + GLOSSARY_FTS_BLOCK - 1)
                             / GLOSSARY_FTS_BLOCK
            || l->blocks1 != blocks || (l->fields0 & 0xc0)
            || (l->fields1 & 0xc7)
            || fts->skip_count - next < (uint64_t) l->blocks0 + l->blocks1)
        {
            return glossary_fts_fail(fts, GLOSSARY_ERR_SEARCH,
                                     "list %u: df %u, count0 %u, blocks "
                                     "%u+%u at %u", i, l->df, l->count0,
                                     l->blocks0, l->blocks1, l->skip_first);
        }

        if (!(flags & GLOSSARY_FTS_OPEN_LAZY)) {
            rc = glossary_fts_check_blocks(fts, i, fts->detail);
            if (rc != GLOSSARY_OK) {
                return rc;
            }
        }

        next += l->blocks0 + l->blocks1;
    }

    if (next != fts->skip_count) {
        return glossary_fts_fail(fts, GLOSSARY_ERR_SEARCH,
                                 "SKIPS has %llu blocks, the lists %llu",
                                 (unsigned long long) fts->skip_count,
                                 (unsigned long long) next);
    }

    return GLOSSARY_OK;
}


/* both layers of a list whose record is checked, against its maxima */

static glossary_status_t
glossary_fts_check_blocks(const glossary_fts_t *fts, uint32_t list,
    char *detail)
{
    uint32_t                    max, fields;
    glossary_status_t           rc;
    const glossary_fts_list_t  *l;

    l = &fts->lists[list];

    rc = glossary_fts_check_layer(fts, detail, list, 0, l->skip_first,
                                  l->blocks0, l->count0, &max, &fields);
    if (rc != GLOSSARY_OK) {
        return rc;
    }

    if (max != l->max0 || fields != l->fields0) {
        return glossary_fts_say(detail, GLOSSARY_ERR_SEARCH,
                                "list %u: max0 %u, its blocks have %u",
                                list, l->max0, max);
    }

    rc = glossary_fts_check_layer(fts, detail, list, 1,
                                  (uint64_t) l->skip_first + l->blocks0,
                                  l->blocks1, l->df - l->count0, &max,
                                  &fields);
    if (rc != GLOSSARY_OK) {
        return rc;
    }

    if (max != l->max1 || fields != l->fields1) {
        return glossary_fts_say(detail, GLOSSARY_ERR_SEARCH,
                                "list %u: max1 %u, its blocks have %u",
                                list, l->max1, max);
    }

    return GLOSSARY_OK;
}


/*
 * Decodes every block of one layer: document ids ascending and in range,
 * counts, maxima, impact codes, every position, and that each block fills
 * exactly its bytes.
 */

static glossary_status_t
glossary_fts_check_layer(const glossary_fts_t *fts, char *detail,
    uint32_t list, uint32_t layer, uint64_t first, uint32_t blocks,
    uint32_t count, uint32_t *max, uint32_t *fields)
{
    size_t                      n;
    int64_t                     prev;
    uint32_t                    b, j, k, gap, np, pos, last, want, bmax;
    uint32_t                    width, docs[GLOSSARY_FTS_BLOCK];
    uint64_t                    pend, qend, doc, packed, bit;
    const unsigned char        *p, *end, *q, *qe;
    const glossary_fts_skip_t  *s;
    const glossary_fts_doc_t   *d;

    *max = 0;
    *fields = 0;
    prev = -1;

    for (b = 0; b < blocks; b++) {
        s = &fts->skips[first + b];
        want = b + 1 < blocks ? GLOSSARY_FTS_BLOCK
                              : count - b * GLOSSARY_FTS_BLOCK;

        pend = first + b + 1 < fts->skip_count ? s[1].post_off
                                               : fts->postings_size;
        qend = first + b + 1 < fts->skip_count ? s[1].pos_off
                                               : fts->positions_size;

        if (s->count != want || s->reserved[0] || s->reserved[1]
            || (first + b == 0 && (s->post_off != 0 || s->pos_off != 0))
            || s->post_off >= pend || pend > fts->postings_size
            || s->pos_off >= qend || qend > fts->positions_size)
        {
            return glossary_fts_say(detail, GLOSSARY_ERR_SEARCH,
                                    "list %u: layer %u block %u: header",
                                    list, layer, b);
        }

        p = fts->postings + s->post_off;
        end = fts->postings + pend;
        width = *p++;
        packed = ((uint64_t) want * width + 7) / 8;

        if (width > 24 || (uint64_t) (end - p) < packed + 3) {
            goto bad;
        }

        /* the packed + 3 bytes are there: 32-bit loads stay inside */

        for (j = 0; j < want; j++) {
            bit = (uint64_t) j * width;
            memcpy(&gap, p + bit / 8, 4);
            gap = (gap >> (bit % 8)) & ((1u << width) - 1);
            doc = (uint64_t) (prev + 1) + gap;

            if (doc >= fts->doc_count) {
                return glossary_fts_say(detail, GLOSSARY_ERR_SEARCH,
                                        "list %u: layer %u block %u: "
                                        "document %llu", list, layer, b,
                                        (unsigned long long) doc);
            }

            docs[j] = (uint32_t) doc;
            prev = (int64_t) doc;
        }

        bit = (uint64_t) want * width;

        if (bit % 8 && (p[packed - 1] >> (bit % 8))) {
            goto bad;           /* padding bits are zero */
        }

        p += packed;

        if (p[0] || p[1] || p[2]) {
            goto bad;
        }

        p += 3;

        if ((uint64_t) (end - p) != 2 * (uint64_t) want) {
            goto bad;
        }

        bmax = 0;

        for (j = 0; j < want; j++) {
            if (p[j] == 0) {
                goto bad;
            }

            bmax = p[j] > bmax ? p[j] : bmax;
        }

        for (j = want; j < 2 * want; j++) {
            if (p[j] == 0 || (p[j] & 0xc0)
                || (layer == 0) != ((p[j] & 7) != 0))
            {
                goto bad;
            }

            *fields |= p[j];
        }

        if (bmax != s->max || s->last_doc != docs[want - 1]) {
            return glossary_fts_say(detail, GLOSSARY_ERR_SEARCH,
                                    "list %u: layer %u block %u: max %u or "
                                    "last %u is wrong", list, layer, b,
                                    s->max, s->last_doc);
        }

        *max = bmax > *max ? bmax : *max;

        q = fts->positions + s->pos_off;
        qe = fts->positions + qend;

        for (j = 0; j < want; j++) {
            d = &fts->docs[docs[j]];

            n = glossary_fts_varint(q, qe, &np);

            if (n == 0 || np == 0 || np > d->words) {
                goto badpos;
            }

            q += n;
            last = 0;

            for (k = 0; k < np; k++) {
                n = glossary_fts_varint(q, qe, &pos);

                if (n == 0) {
                    goto badpos;
                }

                q += n;

                if (k) {
                    if (pos >= d->words - last) {
                        goto badpos;
                    }

                    pos += last + 1;

                } else if ((layer == 0)
                           != (pos < d->pos[GLOSSARY_FTS_FIELD_SHORT]))
                {
                    goto badpos;
                }

                if (pos >= d->words) {
                    goto badpos;
                }

                last = pos;
            }
        }

        if (q != qe) {
            goto badpos;
        }
    }

    return GLOSSARY_OK;

bad:

    return glossary_fts_say(detail, GLOSSARY_ERR_SEARCH,
                            "list %u: layer %u block %u: bad postings", list,
                            layer, b);

badpos:

    return glossary_fts_say(detail, GLOSSARY_ERR_SEARCH,
                            "list %u: layer %u block %u: bad positions",
                            list, layer, b);
}


static glossary_status_t
glossary_fts_check_names(glossary_fts_t *fts)
{
    uint64_t                    i;
    const glossary_fts_name_t  *e, *p;

    for (i = 0; i < fts->name_count; i++) {
        e = &fts->names[i];

        if (e->doc >= fts->doc_count || e->kind > GLOSSARY_FTS_NAME_ALIAS) {
            return glossary_fts_fail(fts, GLOSSARY_ERR_SEARCH,
                                     "name %llu: document %u kind %u",
                                     (unsigned long long) i, e->doc, e->kind);
        }

        if (i == 0) {
            continue;
        }

        p = e - 1;

        if (p->hash > e->hash
            || (p->hash == e->hash
                && (p->kind > e->kind
                    || (p->kind == e->kind && p->doc >= e->doc))))
        {
            return glossary_fts_fail(fts, GLOSSARY_ERR_SEARCH,
                                     "name %llu is not after the one before",
                                     (unsigned long long) i);
        }
    }

    return GLOSSARY_OK;
}


static glossary_status_t
glossary_fts_check_prefixes(glossary_fts_t *fts)
{
    uint32_t                      i, k;
    uint64_t                      j;
    const glossary_fts_prefix_t  *e, *p;
    int                           c;

    for (i = 0; i < fts->prefix_count; i++) {
        e = &fts->prefixes[i];

        if (e->len < 1 || e->len > GLOSSARY_FTS_PREFIX_MAX || e->count == 0
            || e->count > GLOSSARY_FTS_PREFIX_K || e->complete > 1
            || e->first > fts->prefix_doc_count
            || e->count > fts->prefix_doc_count - e->first)
        {
            return glossary_fts_fail(fts, GLOSSARY_ERR_SEARCH,
                                     "prefix %u: len %u, documents %u+%u",
                                     i, e->len, e->first, e->count);
        }

        for (k = 0; k < 5; k++) {
            if (e->reserved[k]) {
                goto bad;
            }
        }

        for (k = e->len; k < 3; k++) {
            if (e->key[k]) {
                goto bad;
            }
        }

        if (i) {
            p = e - 1;
            c = memcmp(p->key, e->key, p->len < e->len ? p->len : e->len);

            if (c > 0 || (c == 0 && p->len >= e->len)) {
                goto bad;
            }
        }

        for (j = e->first; j < e->first + e->count; j++) {
            if (fts->prefix_docs[j].doc >= fts->doc_count) {
                goto bad;
            }
        }
    }

    return GLOSSARY_OK;

bad:

    return glossary_fts_fail(fts, GLOSSARY_ERR_SEARCH, "prefix %u", i);
}
