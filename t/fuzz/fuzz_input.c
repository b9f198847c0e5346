/*
 * libFuzzer target for the compiler's input reader (src/compiler/glossary_input.c):
 * any bytes in, read as one input file.  The first byte picks the file
 * name and so the form: even "fuzz.json" (plain JSON or a Nuxt payload,
 * decided by the content), odd "fuzz.jsonl" (JSON Lines).
 *
 * The bytes are read twice, in the default chunks and in chunks of 1 to
 * 128 bytes (the first byte's other bits): both reads must give the same
 * status and the same terms, at the same places; a slug's place must be
 * its value's first byte in the input.
 *
 * A read that succeeds must give a model the builder can trust: canonical
 * slugs, a display name, related names and questions that are not
 * blank (glossary_text_blank()), every field and list within the limits
 * of glossary_blob.h, 1-based locations, strictly valid UTF-8 (yajl's own
 * check lets overlong forms and surrogates through), and every string
 * readable (the reader frees the file's bytes, so a string still pointing
 * into them is a use after free that ASan reports).  A read that fails must say so with
 * a data error: a memory buffer cannot give an I/O error.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "glossary_blob.h"
#include "glossary_input.h"


static FILE  *fuzz_input_out;


static void
fuzz_input_fail(const char *what, size_t i)
{
    fprintf(fuzz_input_out, "fuzz_input: entry %zu: %s\n", i, what);
    fflush(fuzz_input_out);
    abort();
}


/* strict UTF-8 (RFC 3629): 1 when valid */
static int
fuzz_input_utf8(const unsigned char *s, size_t len)
{
    size_t         i, n, k;
    unsigned char  c, lo, hi;

    for (i = 0; i < len; i += n) {
        c = s[i];
        lo = 0x80;
        hi = 0xbf;

        if (c < 0x80) {
            n = 1;
            continue;
        }

        if (c >= 0xc2 && c <= 0xdf) {
            n = 2;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 3;
            lo = (c == 0xe0) ? 0xa0 : 0x80;
            hi = (c == 0xed) ? 0x9f : 0xbf;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 4;
            lo = (c == 0xf0) ? 0x90 : 0x80;
            hi = (c == 0xf4) ? 0x8f : 0xbf;
        } else {
            return 0;
        }

        if (len - i < n || s[i + 1] < lo || s[i + 1] > hi) {
            return 0;
        }

        for (k = 2; k < n; k++) {
            if (s[i + k] < 0x80 || s[i + k] > 0xbf) {
                return 0;
            }
        }
    }

    return 1;
}


/*
 * reads every byte, so that ASan sees a string that points nowhere; every
 * string must be valid UTF-8, as the server says it sends
 */
static unsigned
fuzz_input_touch(const glossary_text_t *t, size_t i, int required)
{
    size_t    k;
    unsigned  sum;

    if (t->data == NULL) {
        if (required || t->len != 0) {
            fuzz_input_fail("absent text that is required or has a length",
                            i);
        }

        return 0;
    }

    if (t->len > GLOSSARY_MAX_FIELD_LEN) {
        fuzz_input_fail("field over GLOSSARY_MAX_FIELD_LEN", i);
    }

    if (!fuzz_input_utf8((const unsigned char *) t->data, t->len)) {
        fuzz_input_fail("text that is not valid UTF-8", i);
    }

    sum = 0;

    for (k = 0; k < t->len; k++) {
        sum += (unsigned char) t->data[k];
    }

    return sum;
}


static void
fuzz_input_loc(const glossary_loc_t *loc, size_t i)
{
    if (loc->file == NULL || strcmp(loc->file, "fuzz.json") != 0) {
        if (loc->file == NULL || strcmp(loc->file, "fuzz.jsonl") != 0) {
            fuzz_input_fail("location names another file", i);
        }
    }

    if (loc->line == 0 || loc->column == 0) {
        fuzz_input_fail("location not 1-based", i);
    }
}


/*
 * a slug's place is its value's first byte: the string's quote, or in a
 * payload the reference's first digit or sign
 */
static void
fuzz_input_at(const glossary_loc_t *loc, const uint8_t *p, size_t n,
    size_t i)
{
    size_t    off;
    uint64_t  line;

    line = 1;

    for (off = 0; off < n && line < loc->line; off++) {
        line += (p[off] == '\n');
    }

    off += loc->column - 1;

    if (line != loc->line || off >= n
        || (p[off] != '"' && p[off] != '-' && (p[off] < '0' || p[off] > '9')))
    {
        fuzz_input_fail("a slug's place is not its value's first byte", i);
    }
}


int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void) argc;
    (void) argv;

    /*
     * The reader's FILE:LINE:COLUMN messages go to stdio's stderr; send
     * that to /dev/null.  libFuzzer and the sanitizers write to the file
     * descriptor itself, so their reports are still seen.
     */
    fuzz_input_out = stderr;

    if (getenv("FUZZ_INPUT_MESSAGES") == NULL) {
        FILE  *null = fopen("/dev/null", "w");

        if (null != NULL) {
            fuzz_input_out = fdopen(dup(2), "w");
            if (fuzz_input_out == NULL) {
                fuzz_input_out = stderr;
            } else {
                stderr = null;
            }
        }
    }

    return 0;
}


static int
fuzz_input_same(const glossary_text_t *a, const glossary_text_t *b)
{
    return (a->data == NULL) == (b->data == NULL) && a->len == b->len
           && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int                rc;
    size_t             i, k;
    unsigned           sum;
    uint64_t           related;
    const char        *name;
    glossary_model_t   m, c;
    glossary_entry_t  *e;

    if (size == 0) {
        return 0;
    }

    name = (data[0] & 1) ? "fuzz.jsonl" : "fuzz.json";

    glossary_model_init(&m);

    /* the default chunks, then as many as the first byte says: the same */
    glossary_input_chunk = 0;
    rc = glossary_input_read_memory(&m, name, data + 1, size - 1);

    if (rc != GLOSSARY_EXIT_OK && rc != GLOSSARY_EXIT_DATA) {
        fuzz_input_fail("neither success nor a data error", 0);
    }

    glossary_model_init(&c);
    glossary_input_chunk = 1 + (data[0] >> 1);

    if (glossary_input_read_memory(&c, name, data + 1, size - 1) != rc
        || c.nentries != m.nentries || c.nrelated != m.nrelated)
    {
        fuzz_input_fail("another chunk size, another read", 0);
    }

    for (i = 0; i < m.nentries; i++) {
        if (!fuzz_input_same(&m.entries[i].slug, &c.entries[i].slug)
            || !fuzz_input_same(&m.entries[i].term, &c.entries[i].term)
            || !fuzz_input_same(&m.entries[i].explanation,
                                &c.entries[i].explanation)
            || m.entries[i].loc.line != c.entries[i].loc.line
            || m.entries[i].loc.column != c.entries[i].loc.column
            || m.entries[i].nfaq != c.entries[i].nfaq)
        {
            fuzz_input_fail("another chunk size, another term", i);
        }
    }

    glossary_model_free(&c);
    glossary_input_chunk = 0;

    if (m.nentries > GLOSSARY_MAX_TERMS) {
        fuzz_input_fail("more terms than GLOSSARY_MAX_TERMS", 0);
    }

    sum = 0;
    related = 0;     /* of all terms: the model's count, checked below */

    for (i = 0; rc == GLOSSARY_EXIT_OK && i < m.nentries; i++) {
        e = &m.entries[i];

        if (!glossary_slug_valid(e->slug.data, e->slug.len)) {
            fuzz_input_fail("slug not canonical", i);
        }

        if (e->term.data == NULL || e->term.len == 0) {
            fuzz_input_fail("term without a display name", i);
        }

        if (glossary_text_blank(e->term.data, e->term.len)) {
            fuzz_input_fail("a blank display name", i);
        }

        sum += fuzz_input_touch(&e->slug, i, 1);
        sum += fuzz_input_touch(&e->term, i, 1);
        sum += fuzz_input_touch(&e->short_definition, i, 0);
        sum += fuzz_input_touch(&e->seo_title, i, 0);
        sum += fuzz_input_touch(&e->seo_description, i, 0);
        sum += fuzz_input_touch(&e->explanation, i, 0);
        sum += fuzz_input_touch(&e->category, i, 0);

        fuzz_input_loc(&e->loc, i);
        fuzz_input_at(&e->loc, data + 1, size - 1, i);

        related += e->nrelated;

        if (e->nrelated && e->related == NULL) {
            fuzz_input_fail("related count without related terms", i);
        }

        for (k = 0; k < e->nrelated; k++) {
            if (!glossary_slug_valid(e->related[k].slug.data,
                                     e->related[k].slug.len))
            {
                fuzz_input_fail("related slug not canonical", i);
            }

            sum += fuzz_input_touch(&e->related[k].slug, i, 1);
            sum += fuzz_input_touch(&e->related[k].name, i, 0);

            if (glossary_text_blank(e->related[k].name.data,
                                    e->related[k].name.len))
            {
                fuzz_input_fail("a blank related name", i);
            }
            fuzz_input_loc(&e->related[k].loc, i);
            fuzz_input_at(&e->related[k].loc, data + 1, size - 1, i);
        }

        if (e->nfaq && e->faq == NULL) {
            fuzz_input_fail("faq count without faq entries", i);
        }

        for (k = 0; k < e->nfaq; k++) {
            sum += fuzz_input_touch(&e->faq[k].question, i, 0);

            if (glossary_text_blank(e->faq[k].question.data,
                                    e->faq[k].question.len))
            {
                fuzz_input_fail("a blank question", i);
            }
            sum += fuzz_input_touch(&e->faq[k].answer, i, 0);
        }
    }

    if (rc == GLOSSARY_EXIT_OK && related != m.nrelated) {
        fuzz_input_fail("the model's related count is not its terms' sum", 0);
    }

    /* keep the reads */
    if (sum == 0xdeadbeef) {
        fprintf(fuzz_input_out, "fuzz_input: %u\n", sum);
    }

    glossary_model_free(&m);

    return 0;
}
