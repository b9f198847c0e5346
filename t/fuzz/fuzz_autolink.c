/*
 * libFuzzer target for the autolink engine: the image reader and the
 * streaming HTML rewriter (src/blob/glossary_autolink.c), with images from
 * the builder (src/compiler/glossary_autolink_build.c).
 *
 * The first input byte picks what the rest is:
 *
 *   even   a page, rewritten with one of two images built once from a
 *          small glossary (ASCII, Unicode, plurals, aliases; with and
 *          without accent folding) and one of three configurations;
 *   odd    patches to such an image, then a page: the next byte gives the
 *          number of patches, each 3 bytes (a 16-bit position, scaled to
 *          the image's size, and the new byte); the damaged copy, of
 *          exactly its size, is opened, and when the reader accepts it the
 *          page is rewritten with it as above.
 *
 * Every page is rewritten whole; in pieces cut where the input's bytes
 * say; one byte at a time (pages of up to 2 KiB); and whole on the
 * reference path (no filter, no 16-byte scanner).  All must give the same
 * text and the same links at the same places; the PASS and HELD bytes of
 * each run must be the input, PASS bytes must lie in the buffer being fed
 * and HELD ones fit the hold buffer, no bytes may stay held at the end, and
 * a refused image must come with a message.  Any difference aborts with a
 * line naming it.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glossary_autolink.h"
#include "glossary_autolink_build.h"


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);


typedef struct {
    unsigned char   *text;          /* the PASS and HELD bytes */
    size_t           len;
    size_t           size;
    uint64_t        *marks;         /* offset << 33 | close << 32 | term */
    size_t           nmarks;
    size_t           marks_size;
    const uint8_t   *in;
    size_t           in_len;
    size_t           hold_size;
} fuzz_out_t;


static unsigned char              *fuzz_image[2];
static size_t                      fuzz_image_size[2];
static glossary_autolink_t         fuzz_al[2];
static glossary_autolink_conf_t    fuzz_conf[3];


static void
fuzz_fail(const char *what)
{
    fprintf(stderr, "fuzz_autolink: %s\n", what);
    abort();
}


static const char  *fuzz_terms[][2] = {
    { "Car", NULL }, { "Car Bumper", NULL }, { "Co-Design", NULL },
    { "Box", "Crate" }, { "Policy", NULL },
    { "\xe4\xb8\x9c\xe4\xba\xac", NULL },
    { "C++", NULL }, { "R&D", NULL }, { "Stra\xc3\x9f" "e", NULL },
    { "\xc3\x96" "ffentlicher Dienst", NULL }, { "Caf\xc3\xa9", NULL },
    { "\xce\xa3\xce\xbf\xcf\x86\xce\xaf\xce\xb1", NULL }, { "Hero", NULL },
    { "a", NULL }, { "ai model", "AI" }, { "data", "datum" },
    { "model", NULL }, { "x-ray", NULL }, { ".NET", NULL },
    { "\xe0\xb8\xa0\xe0\xb8\xb2\xe0\xb8\xa9\xe0\xb8\xb2", NULL },
};

#define FUZZ_TERMS  (sizeof(fuzz_terms) / sizeof(fuzz_terms[0]))


static void
fuzz_init(void)
{
    int                           i;
    size_t                        k, size;
    unsigned char                *img;
    glossary_autolink_builder_t  *b;

    for (i = 0; i < 2; i++) {
        b = glossary_autolink_builder_create(FUZZ_TERMS,
                i ? GLOSSARY_AUTOLINK_BUILD_ACCENTS : 0);

        if (b == NULL) {
            fuzz_fail("builder: out of memory");
        }

        for (k = 0; k < FUZZ_TERMS; k++) {
            glossary_autolink_builder_add(b, (uint32_t) k,
                (const unsigned char *) fuzz_terms[k][0],
                strlen(fuzz_terms[k][0]), GLOSSARY_AUTOLINK_NAME);

            if (fuzz_terms[k][1] != NULL) {
                glossary_autolink_builder_add(b, (uint32_t) k,
                    (const unsigned char *) fuzz_terms[k][1],
                    strlen(fuzz_terms[k][1]), GLOSSARY_AUTOLINK_ALIAS);
            }
        }

        if (glossary_autolink_builder_finish(b, &img, &size, NULL) != 0) {
            fuzz_fail(glossary_autolink_builder_error(b));
        }

        glossary_autolink_builder_free(b);

        fuzz_image[i] = aligned_alloc(8, (size + 7) & ~(size_t) 7);
        memcpy(fuzz_image[i], img, size);
        fuzz_image_size[i] = size;
        free(img);

        if (glossary_autolink_open(&fuzz_al[i], fuzz_image[i], size)
            != GLOSSARY_AUTOLINK_OK)
        {
            fuzz_fail("the built image does not open");
        }
    }

    for (i = 0; i < 3; i++) {
        glossary_autolink_conf_init(&fuzz_conf[i]);
    }

    fuzz_conf[0].links_per_term = 0;
    fuzz_conf[2].links_per_page = 3;
    glossary_autolink_conf_clear_skip(&fuzz_conf[2]);
    glossary_autolink_conf_add_skip(&fuzz_conf[2],
                                    (const unsigned char *) "p", 1);
}


static void
fuzz_put(fuzz_out_t *o, const unsigned char *p, size_t n)
{
    if (o->len + n > o->size) {
        o->size = (o->len + n) * 2 + 64;
        o->text = realloc(o->text, o->size);

        if (o->text == NULL) {
            fuzz_fail("out of memory");
        }
    }

    memcpy(o->text + o->len, p, n);
    o->len += n;
}


static void
fuzz_mark(fuzz_out_t *o, uint64_t m)
{
    if (o->nmarks == o->marks_size) {
        o->marks_size = o->marks_size * 2 + 16;
        o->marks = realloc(o->marks, o->marks_size * sizeof(uint64_t));

        if (o->marks == NULL) {
            fuzz_fail("out of memory");
        }
    }

    o->marks[o->nmarks++] = m;
}


static int
fuzz_emit(void *ctx, const glossary_autolink_event_t *ev)
{
    fuzz_out_t  *o;

    o = ctx;

    switch (ev->type) {

    case GLOSSARY_AUTOLINK_PASS:
        if (ev->len == 0 || ev->data != o->in + ev->offset
            || ev->offset + ev->len > o->in_len)
        {
            fuzz_fail("PASS outside the buffer being fed, or empty");
        }

        fuzz_put(o, ev->data, ev->len);
        break;

    case GLOSSARY_AUTOLINK_HELD:
        if (ev->len == 0 || ev->len > o->hold_size) {
            fuzz_fail("HELD empty or larger than the hold buffer");
        }

        fuzz_put(o, ev->data, ev->len);
        break;

    case GLOSSARY_AUTOLINK_OPEN:
        fuzz_mark(o, ((uint64_t) o->len << 33) | ev->term);
        break;

    case GLOSSARY_AUTOLINK_CLOSE:
        fuzz_mark(o, ((uint64_t) o->len << 33) | ((uint64_t) 1 << 32));
        break;

    default:
        fuzz_fail("unknown event");
    }

    return 0;
}


/*
 * Rewrites page[0, len) fed in pieces: a piece ends after byte i when
 * cut(i) (each piece from its own exact-size copy); mode 0 whole, 1 one
 * byte at a time, 2 cut where seed's bits say.
 */
static void
fuzz_rewrite(const glossary_autolink_t *al,
    const glossary_autolink_conf_t *conf, const uint8_t *page, size_t len,
    int mode, uint64_t seed, int plain, fuzz_out_t *o)
{
    size_t                       from, to;
    uint8_t                     *piece;
    void                        *mem;
    uint64_t                     r;
    glossary_autolink_stream_t  *st;

    memset(o, 0, sizeof(fuzz_out_t));
    mem = aligned_alloc(8, glossary_autolink_stream_size(al));

    if (mem == NULL) {
        fuzz_fail("out of memory");
    }

    st = glossary_autolink_stream_init(mem, al, conf, 3);
    st->plain = plain;
    o->hold_size = st->hold_size;
    from = 0;
    r = seed | 1;

    do {
        to = from;

        if (mode == 0) {
            to = len;

        } else if (mode == 1) {
            to = from + 1 < len ? from + 1 : len;

        } else {
            do {
                to++;
                r ^= r << 13;
                r ^= r >> 7;
                r ^= r << 17;
            } while (to < len && (r & 7) != 0);
        }

        if (to > len) {
            to = len;
        }

        piece = malloc(to - from ? to - from : 1);
        memcpy(piece, page + from, to - from);
        o->in = piece;
        o->in_len = to - from;

        if (glossary_autolink_feed(st, piece, to - from, to == len, fuzz_emit,
                                   o)
            != 0)
        {
            fuzz_fail("feed failed");
        }

        free(piece);
        from = to;
    } while (from < len);

    if (len == 0 && !st->done) {
        fuzz_fail("an empty page is not finished");
    }

    if (st->hold_len != 0) {
        fuzz_fail("bytes held at the end");
    }

    if (o->len != len || (len && memcmp(o->text, page, len) != 0)) {
        fuzz_fail("the PASS and HELD bytes are not the input");
    }

    free(mem);
}


static void
fuzz_same(const fuzz_out_t *a, const fuzz_out_t *b, const char *what)
{
    if (a->nmarks != b->nmarks
        || (a->nmarks
            && memcmp(a->marks, b->marks, a->nmarks * sizeof(uint64_t)) != 0))
    {
        fuzz_fail(what);
    }
}


static void
fuzz_free(fuzz_out_t *o)
{
    free(o->text);
    free(o->marks);
}


static void
fuzz_page(const glossary_autolink_t *al, const glossary_autolink_conf_t *conf,
    const uint8_t *page, size_t len)
{
    uint64_t     seed;
    size_t       i;
    fuzz_out_t   whole, other;

    seed = 0x9e3779b97f4a7c15ull;

    for (i = 0; i < len && i < 16; i++) {
        seed = (seed ^ page[i]) * 0x100000001b3ull;
    }

    fuzz_rewrite(al, conf, page, len, 0, 0, 0, &whole);

    fuzz_rewrite(al, conf, page, len, 0, 0, 1, &other);
    fuzz_same(&whole, &other, "the reference path links otherwise");
    fuzz_free(&other);

    fuzz_rewrite(al, conf, page, len, 2, seed, 0, &other);
    fuzz_same(&whole, &other, "pieces link otherwise than the whole");
    fuzz_free(&other);

    if (len <= 2048) {
        fuzz_rewrite(al, conf, page, len, 1, 0, 0, &other);
        fuzz_same(&whole, &other, "1-byte feeding links otherwise");
        fuzz_free(&other);
    }

    fuzz_free(&whole);
}


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t                      n, i, pos, which;
    unsigned char              *img;
    glossary_autolink_t         al;
    glossary_autolink_status_t  rc;

    if (fuzz_image[0] == NULL) {
        fuzz_init();
    }

    if (size < 1) {
        return 0;
    }

    which = (data[0] >> 1) & 1;

    if (!(data[0] & 1)) {
        fuzz_page(&fuzz_al[which], &fuzz_conf[(data[0] >> 2) % 3], data + 1,
                  size - 1);
        return 0;
    }

    if (size < 2) {
        return 0;
    }

    n = data[1] % 16;
    data += 2;
    size -= 2;

    if (n * 3 > size) {
        n = size / 3;
    }

    img = aligned_alloc(8, (fuzz_image_size[which] + 7) & ~(size_t) 7);
    memcpy(img, fuzz_image[which], fuzz_image_size[which]);

    for (i = 0; i < n; i++) {
        pos = ((size_t) data[3 * i] | (size_t) data[3 * i + 1] << 8)
              * fuzz_image_size[which] / 65536;
        img[pos] = data[3 * i + 2];
    }

    rc = glossary_autolink_open(&al, img, fuzz_image_size[which]);

    if (rc != GLOSSARY_AUTOLINK_OK && al.detail[0] == '\0') {
        fuzz_fail("an image refused without a message");
    }

    if (rc == GLOSSARY_AUTOLINK_OK) {
        fuzz_page(&al, &fuzz_conf[0], data + 3 * n, size - 3 * n);
    }

    free(img);

    return 0;
}
