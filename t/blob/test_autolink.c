/*
 * Format 1.3: the AUTOLINK section (the autolink image, read in place).
 * A blob without it opens and has no image; with the smallest image
 * written by hand (mb_autolink_image()) it opens, the image is the
 * section's and links "ab" to term 0; a damaged image, one of another
 * term count or a section cut short is refused with
 * GLOSSARY_ERR_AUTOLINK, a byte changed without resealing fails the
 * checksum (or, lazily, the index checksum), and sampled bytes of the
 * image flipped are refused or accepted and used without harm.  Prints
 * TAP; each check expects an exact status code.
 */

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "tb.h"


/* the model with an AUTOLINK section */
static mb_model_t
tb_al_model(void)
{
    mb_model_t  m;

    m = mb_default_model;
    m.autolink = 1;

    return m;
}


static mb_blob_t
tb_al_build(void)
{
    mb_model_t  m;

    m = tb_al_model();

    return mb_build(&m);
}


static unsigned char *
tb_al_image(mb_blob_t *b)
{
    return mb_section_data(b, GLOSSARY_SECTION_AUTOLINK);
}


static glossary_autolink_header_t *
tb_al_header(mb_blob_t *b)
{
    return (glossary_autolink_header_t *) tb_al_image(b);
}


static glossary_autolink_slot_t *
tb_al_slots(mb_blob_t *b)
{
    return (glossary_autolink_slot_t *) (tb_al_image(b) + MB_AUTOLINK_SIZE
                                         - 8 * MB_AUTOLINK_SLOTS);
}


typedef struct {
    uint32_t    links;
    uint32_t    term;
    size_t      out;
} tb_al_sink_t;


static int
tb_al_emit(void *ctx, const glossary_autolink_event_t *ev)
{
    tb_al_sink_t  *s = ctx;

    if (ev->type == GLOSSARY_AUTOLINK_OPEN) {
        s->links++;
        s->term = ev->term;

    } else if (ev->type != GLOSSARY_AUTOLINK_CLOSE) {
        s->out += ev->len;
    }

    return 0;
}


/* the links a page gets from the blob's image, every occurrence linked */
static int
tb_al_links(const glossary_blob_t *blob, const char *page, uint32_t *term)
{
    void                        *mem;
    tb_al_sink_t                 sink;
    const glossary_autolink_t   *al;
    glossary_autolink_conf_t     conf;
    glossary_autolink_stream_t  *st;

    al = glossary_blob_autolink(blob);

    if (al == NULL) {
        return -1;
    }

    mem = malloc(glossary_autolink_stream_size(al));
    if (mem == NULL) {
        exit(2);
    }

    glossary_autolink_conf_init(&conf);
    conf.links_per_term = 0;
    memset(&sink, 0, sizeof(sink));
    sink.term = GLOSSARY_NO_TERM;

    st = glossary_autolink_stream_init(mem, al, &conf,
                                       GLOSSARY_AUTOLINK_NO_TERM);

    if (glossary_autolink_feed(st, (const unsigned char *) page,
                               strlen(page), 1, tb_al_emit, &sink) != 0
        || sink.out != strlen(page))
    {
        free(mem);
        return -1;
    }

    free(mem);
    *term = sink.term;

    return (int) sink.links;
}


static void
tb_al_valid(void)
{
    int               n;
    uint32_t          term;
    mb_blob_t         b;
    mb_model_t        m;
    glossary_blob_t   blob;
    glossary_status_t rc;

    b = mb_build_default();
    rc = glossary_blob_open(&blob, b.p, b.n);
    tb_ok(rc == GLOSSARY_OK && glossary_blob_autolink(&blob) == NULL
          && mb_find_section(&b, GLOSSARY_SECTION_AUTOLINK) == NULL,
          "a blob without AUTOLINK opens and has no image");
    tb_write_corpus(&b, "autolink-absent");
    mb_free(&b);

    b = tb_al_build();
    tb_write_corpus(&b, "autolink-valid");
    rc = glossary_blob_open(&blob, b.p, b.n);
    tb_ok(rc == GLOSSARY_OK, "the smallest image opens: %s", tb_name(rc));

    tb_ok(rc == GLOSSARY_OK && glossary_blob_autolink(&blob) != NULL
          && glossary_blob_autolink(&blob)->base == tb_al_image(&b)
          && glossary_blob_autolink(&blob)->size == MB_AUTOLINK_SIZE
          && glossary_blob_autolink(&blob)->term_count == 3,
          "the image is the section's, read in place, with the blob's terms");

    n = (rc == GLOSSARY_OK)
        ? tb_al_links(&blob, "<p>x ab AB y <a>ab</a> abc cab ab</p>", &term)
        : -1;
    tb_ok(n == 3 && term == 0, "its pattern \"ab\" links term 0, whole "
          "words, case ignored, not inside a link: %d links", n);

    n = (rc == GLOSSARY_OK) ? tb_al_links(&blob, "<p>a b ba</p>", &term) : -1;
    tb_ok(n == 0, "nothing else is linked");

    tb_expect(&b, GLOSSARY_OK, "the smallest image, through the corpus walk");

    /* an empty section: no image, as without one */
    b = tb_al_build();
    mb_section(&b, GLOSSARY_SECTION_AUTOLINK)->size = 0;
    mb_fix(&b);
    rc = glossary_blob_open(&blob, b.p, b.n);
    tb_ok(rc == GLOSSARY_OK && glossary_blob_autolink(&blob) == NULL,
          "an empty AUTOLINK section: no image");
    mb_free(&b);

    /* 1.2 layout (chunks), opened in full and lazily */
    m = tb_al_model();
    m.chunk_shift = TB_SHIFT;
    b = mb_build(&m);
    mb_seal(&b);
    rc = glossary_blob_open_flags(&blob, b.p, b.n, GLOSSARY_OPEN_LAZY);
    tb_ok(rc == GLOSSARY_OK && blob.lazy
          && glossary_blob_autolink(&blob) != NULL,
          "with CHUNKS, lazily: the image is checked at load");
    mb_free(&b);
}


/* one damage, resealed: refused with GLOSSARY_ERR_AUTOLINK */
typedef void (*tb_al_damage_pt)(mb_blob_t *b);

static void tb_al_magic(mb_blob_t *b) { tb_al_image(b)[3] ^= 0x20; }
static void tb_al_major(mb_blob_t *b) { tb_al_header(b)->version_major = 2; }
static void tb_al_fewer(mb_blob_t *b) { tb_al_header(b)->term_count = 2; }
static void tb_al_more(mb_blob_t *b) { tb_al_header(b)->term_count = 4; }
static void tb_al_size(mb_blob_t *b) { tb_al_header(b)->size += 8; }
static void tb_al_flags(mb_blob_t *b) { tb_al_header(b)->flags = 2; }
static void tb_al_longest(mb_blob_t *b) { tb_al_header(b)->max_pattern = 0; }
static void tb_al_labels(mb_blob_t *b) { tb_al_header(b)->label_count = 254; }
static void tb_al_class(mb_blob_t *b) { tb_al_image(b)[64 + 'a'] = 0x02; }
static void tb_al_amp(mb_blob_t *b) { tb_al_image(b)[64 + '&'] = 0x01; }
static void tb_al_label(mb_blob_t *b) { tb_al_image(b)[320 + 'z'] = 9; }
static void tb_al_filter(mb_blob_t *b) { tb_al_image(b)[576 + 100] ^= 1; }
static void tb_al_stage1(mb_blob_t *b) { tb_al_image(b)[16960 + 40] = 1; }
static void tb_al_block(mb_blob_t *b) { tb_al_image(b)[34368 + 2] = 7; }
static void tb_al_fold(mb_blob_t *b) { tb_al_image(b)[34368 + 256] = 1; }
static void tb_al_root(mb_blob_t *b) { tb_al_slots(b)[0].check = 1; }
static void tb_al_parent(mb_blob_t *b) { tb_al_slots(b)[7].check = 5; }
static void tb_al_term(mb_blob_t *b) { tb_al_slots(b)[9].base = 3; }
static void tb_al_base(mb_blob_t *b) { tb_al_slots(b)[3].base = 13; }

static void
tb_al_terminal(mb_blob_t *b)
{
    tb_al_slots(b)[9].check = 0xffffffffu;      /* the end slot freed */
}

static void
tb_al_short(mb_blob_t *b)
{
    mb_section(b, GLOSSARY_SECTION_AUTOLINK)->size -= 8;
}


static void
tb_al_damaged(void)
{
    size_t     i;
    mb_blob_t  b;

    static const struct {
        tb_al_damage_pt   damage;
        const char       *name;
    } cases[] = {
        { tb_al_magic, "autolink: bad magic" },
        { tb_al_major, "autolink: major version 2" },
        { tb_al_fewer, "autolink: an image of 2 terms in a blob of 3" },
        { tb_al_more, "autolink: an image of 4 terms in a blob of 3" },
        { tb_al_size, "autolink: size field off by 8" },
        { tb_al_short, "autolink: section 8 bytes short of the image" },
        { tb_al_flags, "autolink: an unknown flag" },
        { tb_al_longest, "autolink: longest pattern 0" },
        { tb_al_labels, "autolink: 254 labels" },
        { tb_al_class, "autolink: 'a' classed as white space" },
        { tb_al_amp, "autolink: '&' not SLOW" },
        { tb_al_label, "autolink: a label past the last" },
        { tb_al_filter, "autolink: one filter bit flipped" },
        { tb_al_stage1, "autolink: stage1 names a block past the last" },
        { tb_al_block, "autolink: a code point of class 7" },
        { tb_al_fold, "autolink: fold 0 not empty" },
        { tb_al_root, "autolink: a root whose check is not 0" },
        { tb_al_parent, "autolink: a state whose parent is free" },
        { tb_al_term, "autolink: an end slot naming term 3 of 3" },
        { tb_al_terminal, "autolink: a terminal state without its end slot" },
        { tb_al_base, "autolink: a base that leaves the array" },
    };

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        b = tb_al_build();
        cases[i].damage(&b);
        tb_expect(&b, GLOSSARY_ERR_AUTOLINK, cases[i].name);
    }

    /* not resealed: the checksums cover the section */
    b = tb_al_build();
    tb_al_image(&b)[20000] ^= 0x01;
    tb_expect_sealed(&b, 0, GLOSSARY_ERR_CHECKSUM,
                     "autolink: a byte changed, checksum not resealed");

    b = tb_al_build();
    mb_section(&b, GLOSSARY_SECTION_AUTOLINK)->offset += 4;
    tb_expect(&b, GLOSSARY_ERR_SECTION, "autolink: a section not 8-aligned");
}


/* lazily: AUTOLINK is no part of STRINGS, the index checksum covers it */
static void
tb_al_lazy(void)
{
    mb_blob_t          b;
    mb_model_t         m;
    tb_result_t        res;

    m = tb_al_model();
    m.chunk_shift = TB_SHIFT;

    b = mb_build(&m);
    mb_seal(&b);
    tb_al_image(&b)[20000] ^= 0x01;
    mb_fix(&b);
    res = tb_open_flags(b.p, b.n, GLOSSARY_OPEN_LAZY);
    tb_ok(res.rc == GLOSSARY_ERR_CHECKSUM,
          "lazily: a changed image byte fails the index checksum: %s",
          tb_name(res.rc));
    mb_free(&b);

    b = mb_build(&m);
    tb_al_slots(&b)[9].base = 7;
    mb_seal(&b);
    res = tb_open_flags(b.p, b.n, GLOSSARY_OPEN_LAZY);
    tb_ok(res.rc == GLOSSARY_ERR_AUTOLINK,
          "lazily, resealed: a damaged image is refused: %s",
          tb_name(res.rc));
    mb_free(&b);
}


/*
 * Sampled bytes of the image flipped and resealed: refused as invalid
 * autolink, or accepted and a page rewritten with it (under the
 * sanitizers: without reading outside it)
 */
static void
tb_al_flips(void)
{
    size_t       at, bad, refused, accepted;
    mb_blob_t    b;
    tb_result_t  res;

    bad = refused = accepted = 0;

    for (at = 0; at < MB_AUTOLINK_SIZE; at += (at < 640 ? 1 : 97)) {
        b = tb_al_build();
        tb_al_image(&b)[at] ^= (unsigned char) (1u << (at % 8));
        mb_fix(&b);

        res = tb_open(b.p, b.n);

        if (res.rc == GLOSSARY_ERR_AUTOLINK && res.detail[0] != '\0') {
            refused++;

        } else if (res.rc == GLOSSARY_OK && res.walk_errors == 0) {
            accepted++;

        } else if (bad++ == 0) {
            tb_diag("  byte %zu: %s, %s", at, tb_name(res.rc), res.detail);
        }

        mb_free(&b);
    }

    tb_ok(bad == 0 && refused > 0 && accepted > 0,
          "sampled image bytes flipped: %zu refused, %zu accepted and used, "
          "%zu otherwise", refused, accepted, bad);
}


int
main(int argc, char **argv)
{
    tb_init(argc, argv);

    tb_al_valid();
    tb_al_damaged();
    tb_al_lazy();
    tb_al_flips();

    return tb_done();
}
