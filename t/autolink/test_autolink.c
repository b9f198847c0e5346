/*
 * Tests of the autolink engine: the builder (src/compiler/
 * glossary_autolink_build.c), the image reader and the HTML rewriter
 * (src/blob/glossary_autolink.c).  Prints TAP.
 *
 * Every page is rewritten whole, then split at every byte, then in random
 * pieces (1-byte feeding among them): all must give the same output, and
 * the PASS and HELD bytes of every run must be the input exactly.  Images
 * are opened from a heap copy of exactly their size.
 *
 *   test_autolink                          run the tests
 *   test_autolink --html5 PYTHON SCRIPT    also write every page and its
 *                                          rewrite to a temporary directory
 *                                          and have SCRIPT (html5lib) check
 *                                          that they parse to the same tree
 *                                          but for the inserted links
 *   test_autolink --write-corpus DIR       also write every case's page into
 *                                          DIR as a seed for fuzz_autolink
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "glossary_autolink.h"
#include "glossary_autolink_build.h"


/* the test glossary */
typedef struct {
    const char  *slug;
    const char  *name;
    const char  *alias;
    const char  *title;
} ta_term_t;

static const ta_term_t  ta_terms[] = {
    { "car", "Car", "Automobile", "A road vehicle." },
    { "car-bumper", "Car Bumper", NULL, "The bar at the front." },
    { "car-bump", "Car Bump", NULL, NULL },
    { "oeffentlicher-dienst", "\xc3\x96" "ffentlicher Dienst", NULL, NULL },
    { "co-design", "Co-Design", NULL, NULL },
    { "box", "Box", NULL, NULL },
    { "policy", "Policy", NULL, NULL },
    { "tokyo", "\xe4\xb8\x9c\xe4\xba\xac", NULL, NULL },
    { "c-plus-plus", "C++", NULL, NULL },
    { "r-and-d", "R&D", NULL, NULL },
    { "strasse", "Stra\xc3\x9f" "e", NULL, NULL },
    { "sophia", "\xce\xa3\xce\xbf\xcf\x86\xce\xaf\xce\xb1", NULL, NULL },
    { "hero", "Hero", NULL, NULL },
    { "coffee-house", "Caf\xc3\xa9", NULL, NULL },
    { "thai-language", "\xe0\xb8\xa0\xe0\xb8\xb2\xe0\xb8\xa9\xe0\xb8\xb2",
      NULL, NULL },
    { "hardware-software-co-design", "Hardware/Software Co-Design", NULL,
      NULL },
    { "model", "Model", NULL, "Say \"hi\" & <b>bye</b>'s" },
};

#define TA_TERMS  (sizeof(ta_terms) / sizeof(ta_terms[0]))


/* configurations and images of the cases */
enum {
    TA_ALL = 0,          /* every occurrence linked */
    TA_DEFAULT,          /* glossary_autolink_conf_init() */
    TA_TWO,              /* two links per term */
    TA_PAGE2,            /* two links per page */
    TA_EXCL_CAR,         /* the page of "car" */
    TA_EXCL_BUMPER,      /* the page of "car-bumper" */
    TA_SKIP_P,           /* the skip list is just "p" */
    TA_CUSTOM,           /* a custom element in the skip list */
    TA_CONFS
};

enum {
    TA_PLAIN = 0,
    TA_ACCENTS,
    TA_IMAGES
};

typedef struct {
    const char  *name;
    const char  *in;
    const char  *out;        /* links as {slug|text} */
    int          conf;
    int          image;
} ta_case_t;


static const ta_case_t  ta_cases[] = {

    /* matching */
    { "leftmost-longest: Car Bumper beats Car",
      "<p>a car bumper</p>",
      "<p>a {car-bumper|car bumper}</p>", TA_ALL, TA_PLAIN },
    { "the longest fails its end boundary: the next candidate",
      "<p>car bumpy</p>",
      "<p>{car|car} bumpy</p>", TA_ALL, TA_PLAIN },
    { "whole words only",
      "<p>scar carx car2 _car car_ cars</p>",
      "<p>scar carx car2 _car car_ {car|cars}</p>", TA_ALL, TA_PLAIN },
    { "word boundaries of any script",
      "<p>\xc3\xa9" "car car\xc3\xa9 \xce\xa9" "car car. (car) "
      "\xd0\x9a" "car car\xd0\x9a</p>",
      "<p>\xc3\xa9" "car car\xc3\xa9 \xce\xa9" "car {car|car}. ({car|car}) "
      "\xd0\x9a" "car car\xd0\x9a</p>", TA_ALL, TA_PLAIN },
    { "digits are word characters",
      "<p>4car car4 4 car</p>",
      "<p>4car car4 4 {car|car}</p>", TA_ALL, TA_PLAIN },
    { "no boundaries needed for CJK and Thai",
      "<p>\xe5\x9c\xa8\xe4\xb8\x9c\xe4\xba\xac\xe5\xb8\x82 "
      "\xe0\xb8\xa0\xe0\xb8\xb2\xe0\xb8\xa9\xe0\xb8\xb2\xe0\xb9\x84"
      "\xe0\xb8\x97\xe0\xb8\xa2</p>",
      "<p>\xe5\x9c\xa8{tokyo|\xe4\xb8\x9c\xe4\xba\xac}\xe5\xb8\x82 "
      "{thai-language|\xe0\xb8\xa0\xe0\xb8\xb2\xe0\xb8\xa9\xe0\xb8\xb2}"
      "\xe0\xb9\x84\xe0\xb8\x97\xe0\xb8\xa2</p>", TA_ALL, TA_PLAIN },
    { "case folding beyond ASCII",
      "<p>\xc3\x96" "FFENTLICHER DIENST, \xc3\xb6" "ffentlicher dienst, "
      "cAr BuMpEr</p>",
      "<p>{oeffentlicher-dienst|\xc3\x96" "FFENTLICHER DIENST}, "
      "{oeffentlicher-dienst|\xc3\xb6" "ffentlicher dienst}, "
      "{car-bumper|cAr BuMpEr}</p>", TA_ALL, TA_PLAIN },
    { "full case folding: sharp s",
      "<p>STRASSE strasse Stra\xc3\x9f" "e</p>",
      "<p>{strasse|STRASSE} {strasse|strasse} {strasse|Stra\xc3\x9f" "e}</p>",
      TA_ALL, TA_PLAIN },
    { "Greek case folding",
      "<p>\xce\xa3\xce\x9f\xce\xa6\xce\x8a\xce\x91</p>",
      "<p>{sophia|\xce\xa3\xce\x9f\xce\xa6\xce\x8a\xce\x91}</p>",
      TA_ALL, TA_PLAIN },
    { "accents kept apart without accent folding",
      "<p>cafe caf\xc3\xa9 cafe\xcc\x81</p>",
      "<p>cafe {coffee-house|caf\xc3\xa9} cafe\xcc\x81</p>", TA_ALL, TA_PLAIN },
    { "accent folding",
      "<p>cafe CAF\xc3\x89 cafe\xcc\x81 caf&eacute;s</p>",
      "<p>{coffee-house|cafe} {coffee-house|CAF\xc3\x89} "
      "{coffee-house|cafe\xcc\x81} "
      "{coffee-house|caf&eacute;s}</p>", TA_ALL, TA_ACCENTS },
    { "white space normalised",
      "<p>car\n   bumper, car&nbsp;bumper, car\xc2\xa0" "bumper, "
      "car\t bumper, car&#32;bumper</p>",
      "<p>{car-bumper|car\n   bumper}, {car-bumper|car&nbsp;bumper}, "
      "{car-bumper|car\xc2\xa0" "bumper}, {car-bumper|car\t bumper}, "
      "{car-bumper|car&#32;bumper}</p>", TA_ALL, TA_PLAIN },
    { "hyphens are spaces",
      "<p>co design, co-design, CO-DESIGN, co\xe2\x80\x90" "design</p>",
      "<p>{co-design|co design}, {co-design|co-design}, "
      "{co-design|CO-DESIGN}, {co-design|co\xe2\x80\x90" "design}</p>",
      TA_ALL, TA_PLAIN },
    { "slug written as words, and the name",
      "<p>hardware software co design; Hardware/Software Co-Design</p>",
      "<p>{hardware-software-co-design|hardware software co design}; "
      "{hardware-software-co-design|Hardware/Software Co-Design}</p>",
      TA_ALL, TA_PLAIN },
    { "entities decoded, the original bytes kept",
      "<p>R&amp;D, &#67;ar, caf&eacute;, &#x43;AR, R&D, &#X43;&#X41;r</p>",
      "<p>{r-and-d|R&amp;D}, {car|&#67;ar}, {coffee-house|caf&eacute;}, "
      "{car|&#x43;AR}, {r-and-d|R&D}, {car|&#X43;&#X41;r}</p>",
      TA_ALL, TA_PLAIN },
    { "unknown and unterminated references are text",
      "<p>&bogus;car &amp car &#;car &#xZ;car</p>",
      "<p>&bogus;{car|car} &amp {car|car} &#;{car|car} &#xZ;{car|car}</p>",
      TA_ALL, TA_PLAIN },
    { "a reference to a letter joins the word",
      "<p>&eacute;car car&#233; car&#x41;</p>",
      "<p>&eacute;car car&#233; car&#x41;</p>", TA_ALL, TA_PLAIN },
    { "English plurals",
      "<p>cars boxes policies heroes heros boxs policys</p>",
      "<p>{car|cars} {box|boxes} {policy|policies} {hero|heroes} "
      "{hero|heros} boxs policys</p>", TA_ALL, TA_PLAIN },
    { "aliases and their plurals",
      "<p>an automobile, AUTOMOBILES</p>",
      "<p>an {car|automobile}, {car|AUTOMOBILES}</p>", TA_ALL, TA_PLAIN },
    { "ending in punctuation: C++",
      "<p>C++, C++x, xC++</p>",
      "<p>{c-plus-plus|C++}, {c-plus-plus|C++}x, xC++</p>",
      TA_ALL, TA_PLAIN },
    { "invalid UTF-8 is a boundary",
      "<p>\xff" "car\xff \xc3" "car \xe4\xb8" "car</p>",
      "<p>\xff{car|car}\xff \xc3{car|car} \xe4\xb8{car|car}</p>",
      TA_ALL, TA_PLAIN },
    { "a soft hyphen is transparent",
      "<p>&Ouml;f&shy;fentlicher Dienst; car&shy;s</p>",
      "<p>{oeffentlicher-dienst|&Ouml;f&shy;fentlicher Dienst}; "
      "{car|car&shy;s}</p>", TA_ALL, TA_PLAIN },
    { "white space inside a match is bounded",
      "<p>car                                                              "
      "                                                                    "
      "                                                                    "
      "bumper car                                            bumper</p>",
      "<p>{car|car}                                                        "
      "                                                                    "
      "                                                                    "
      "      bumper {car-bumper|car                                        "
      "    bumper}</p>", TA_ALL, TA_PLAIN },

    /* contexts */
    { "never in tags or attributes",
      "<p title=\"car\" data-x='car'>x</p><img alt=car src=\"car.png\">",
      "<p title=\"car\" data-x='car'>x</p><img alt=car src=\"car.png\">",
      TA_ALL, TA_PLAIN },
    { "a '>' inside a quoted attribute",
      "<p title=\"a>car\" class='b>car'>car</p>",
      "<p title=\"a>car\" class='b>car'>{car|car}</p>", TA_ALL, TA_PLAIN },
    { "never in comments, which end as HTML ends them",
      "<!-- car --> <!--> car <!---> car <!-- a -- car --!> car",
      "<!-- car --> <!--> {car|car} <!---> {car|car} <!-- a -- car --!> "
      "{car|car}", TA_ALL, TA_PLAIN },
    { "bogus comments and processing instructions",
      "<! car > car <?php car ?> car </ car> car <!DOCTYPE car> car",
      "<! car > {car|car} <?php car ?> {car|car} </ car> {car|car} "
      "<!DOCTYPE car> {car|car}", TA_ALL, TA_PLAIN },
    { "CDATA ends at ]]>",
      "<![CDATA[ car ]] car > car ]]> car",
      "<![CDATA[ car ]] car > car ]]> {car|car}", TA_ALL, TA_PLAIN },
    { "raw text elements",
      "<script>car</script><style>car</style><textarea>car</textarea>"
      "<title>car</title><xmp>car</xmp><iframe>car</iframe>"
      "<noembed>car</noembed><noframes>car</noframes>"
      "<noscript>car</noscript>car",
      "<script>car</script><style>car</style><textarea>car</textarea>"
      "<title>car</title><xmp>car</xmp><iframe>car</iframe>"
      "<noembed>car</noembed><noframes>car</noframes>"
      "<noscript>car</noscript>{car|car}", TA_ALL, TA_PLAIN },
    { "raw text ends at its own end tag only",
      "<style>x</styles> car </p> car <b>car</b></STYLE >car",
      "<style>x</styles> car </p> car <b>car</b></STYLE >{car|car}",
      TA_ALL, TA_PLAIN },
    { "script data escapes",
      "<script><!--<script>car</script>car</script>-->car</script>car",
      "<script><!--<script>car</script>car</script>-->{car|car}</script>"
      "{car|car}", TA_ALL, TA_PLAIN },
    { "script data: </script> inside a double-escaped section",
      "<script><!--<script>x</script>y-->car</script> car",
      "<script><!--<script>x</script>y-->car</script> {car|car}",
      TA_ALL, TA_PLAIN },
    { "skipped elements",
      "<a href=x>car</a><h1>car</h1><h2>car</h2><h3>car</h3><h4>car</h4>"
      "<h5>car</h5><h6>car</h6><code>car</code><pre>car</pre>"
      "<kbd>car</kbd><button>car</button><select><option>car</option>"
      "</select><label>car</label><svg><text>car</text></svg>"
      "<math><mi>car</mi></math><template>car</template>car",
      "<a href=x>car</a><h1>car</h1><h2>car</h2><h3>car</h3><h4>car</h4>"
      "<h5>car</h5><h6>car</h6><code>car</code><pre>car</pre>"
      "<kbd>car</kbd><button>car</button><select><option>car</option>"
      "</select><label>car</label><svg><text>car</text></svg>"
      "<math><mi>car</mi></math><template>car</template>{car|car}",
      TA_ALL, TA_PLAIN },
    { "skipped elements: upper case tags, descendants",
      "<A HREF=x><b>car</b></A><PRE><span>car</span></PRE> car",
      "<A HREF=x><b>car</b></A><PRE><span>car</span></PRE> {car|car}",
      TA_ALL, TA_PLAIN },
    { "class=noglossary and data-noglossary, with their descendants",
      "<div class=\"x noglossary y\"><p>car</p></div>"
      "<span data-noglossary>car <b>car</b></span> "
      "<div class=noglossaryx>car</div><div class=NOGLOSSARY>car</div>",
      "<div class=\"x noglossary y\"><p>car</p></div>"
      "<span data-noglossary>car <b>car</b></span> "
      "<div class=noglossaryx>{car|car}</div><div class=NOGLOSSARY>{car|car}"
      "</div>", TA_ALL, TA_PLAIN },
    { "nested elements of the skipped one's name",
      "<div class=noglossary><div>car</div>car<div><div></div></div>car"
      "</div>car",
      "<div class=noglossary><div>car</div>car<div><div></div></div>car"
      "</div>{car|car}", TA_ALL, TA_PLAIN },
    { "the skip list is configurable",
      "<p>car</p><h1>car</h1><code>car</code><script>car</script>",
      "<p>car</p><h1>{car|car}</h1><code>{car|car}</code>"
      "<script>car</script>", TA_SKIP_P, TA_PLAIN },
    { "<meta> opts the page out",
      "<head><meta name=\"glossary\" content=\"noautolink\"></head>"
      "<p>car</p>",
      "<head><meta name=\"glossary\" content=\"noautolink\"></head>"
      "<p>car</p>", TA_ALL, TA_PLAIN },
    { "<meta> opt-out: any order, any case, a token of content",
      "<meta content='index, NOAUTOLINK' NAME=GLOSSARY /><p>car</p>",
      "<meta content='index, NOAUTOLINK' NAME=GLOSSARY /><p>car</p>",
      TA_ALL, TA_PLAIN },
    { "<meta> with other values does not opt out",
      "<meta name=\"glossary\" content=\"autolink\">"
      "<meta name=\"glossaryx\" content=\"noautolink\"><p>car</p>",
      "<meta name=\"glossary\" content=\"autolink\">"
      "<meta name=\"glossaryx\" content=\"noautolink\"><p>{car|car}</p>",
      TA_ALL, TA_PLAIN },

    /* limits */
    { "first occurrence per term by default",
      "<p>car, car, cars, car bumper, car bumper</p>",
      "<p>{car|car}, car, cars, {car-bumper|car bumper}, car bumper</p>",
      TA_DEFAULT, TA_PLAIN },
    { "links per term",
      "<p>car car car</p>",
      "<p>{car|car} {car|car} car</p>", TA_TWO, TA_PLAIN },
    { "links per page",
      "<p>car box policy</p>",
      "<p>{car|car} {box|box} policy</p>", TA_PAGE2, TA_PLAIN },
    { "a term is never linked on its own page",
      "<p>car, car bumper</p>",
      "<p>car, {car-bumper|car bumper}</p>", TA_EXCL_CAR, TA_PLAIN },
    { "an excluded match is not cut into a shorter one",
      "<p>car bumper</p>",
      "<p>car bumper</p>", TA_EXCL_BUMPER, TA_PLAIN },

    /* malformed HTML */
    { "unclosed tag: the rest is the tag",
      "<p>car</p><p class=\"x car car",
      "<p>{car|car}</p><p class=\"x car car", TA_ALL, TA_PLAIN },
    { "unclosed comment",
      "car <!-- car",
      "{car|car} <!-- car", TA_ALL, TA_PLAIN },
    { "a stray '<' is text",
      "<p>a < car and 1<2 car <</p>",
      "<p>a < {car|car} and 1<2 {car|car} <</p>", TA_ALL, TA_PLAIN },
    { "body cut mid-tag",
      "<p>car</p><a hr",
      "<p>{car|car}</p><a hr", TA_ALL, TA_PLAIN },
    { "body cut inside a reference",
      "car &am",
      "{car|car} &am", TA_ALL, TA_PLAIN },
    { "body cut inside a character",
      "car \xe4\xb8",
      "{car|car} \xe4\xb8", TA_ALL, TA_PLAIN },
    { "an unclosed skipped element: no more links",
      "<code>car<p>car",
      "<code>car<p>car", TA_ALL, TA_PLAIN },
    { "a link inside a link",
      "<a href=1>x<a href=2>car</a>car</a>car",
      "<a href=1>x<a href=2>car</a>car</a>{car|car}", TA_ALL, TA_PLAIN },
    { "self-closing svg; inside svg",
      "<svg/>car <svg><path/>car</svg>car",
      "<svg/>{car|car} <svg><path/>car</svg>{car|car}", TA_ALL, TA_PLAIN },
    { "void elements open nothing",
      "<br class=noglossary>car <img data-noglossary>car",
      "<br class=noglossary>{car|car} <img data-noglossary>{car|car}",
      TA_ALL, TA_PLAIN },
    { "end tag with attributes and '>' in quotes",
      "<code>car</code x=\">car\">car",
      "<code>car</code x=\">car\">{car|car}", TA_ALL, TA_PLAIN },
    { "deeply nested skipped elements stop linking",
      "<a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a>"
      "<a><a><a><a><a><a><a><a><a><a><a></a></a></a></a></a></a></a></a>"
      "</a></a></a></a></a></a></a></a></a></a></a></a></a></a></a></a></a>"
      "</a></a></a></a></a></a></a></a>car",
      "<a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a>"
      "<a><a><a><a><a><a><a><a><a><a><a></a></a></a></a></a></a></a></a>"
      "</a></a></a></a></a></a></a></a></a></a></a></a></a></a></a></a></a>"
      "</a></a></a></a></a></a></a></a>car", TA_ALL, TA_PLAIN },
    { "nothing to link: the same bytes",
      "<!DOCTYPE html><html><head><title>x</title></head><body>"
      "<p>Nothing here &amp; nothing there: scar, carx, 4car.</p>"
      "</body></html>",
      "<!DOCTYPE html><html><head><title>x</title></head><body>"
      "<p>Nothing here &amp; nothing there: scar, carx, 4car.</p>"
      "</body></html>", TA_ALL, TA_PLAIN },
};

#define TA_CASES  (sizeof(ta_cases) / sizeof(ta_cases[0]))


typedef struct {
    char      *buf;
    size_t     len;
    size_t     size;
    char      *raw;            /* the PASS and HELD bytes alone */
    size_t     raw_len;
    size_t     raw_size;
    int        real;           /* real opening tags */
    int        bad;            /* an event broke a rule */
    char       why[160];
    const unsigned char  *in;  /* the buffer being fed */
    size_t     in_len;
    size_t     hold_size;
    unsigned   passes;
    int        fail_at;        /* refuse the nth event (tests) */
} ta_out_t;


static void ta_ok(int cond, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void ta_diag(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));


static unsigned                    ta_count;
static unsigned                    ta_failed;
static unsigned char              *ta_image[TA_IMAGES];
static size_t                      ta_image_size[TA_IMAGES];
static glossary_autolink_t         ta_al[TA_IMAGES];
static glossary_autolink_conf_t    ta_conf[TA_CONFS];
static uint32_t                    ta_exclude[TA_CONFS];
static uint64_t                    ta_rng = 0x243f6a8885a308d3ull;
static const char                 *ta_corpus;
static int                         ta_plain;     /* the reference path */


static void
ta_ok(int cond, const char *fmt, ...)
{
    va_list  args;

    ta_count++;

    if (!cond) {
        ta_failed++;
    }

    printf("%sok %u - ", cond ? "" : "not ", ta_count);
    va_start(args, fmt);
    vprintf(fmt, args);
    va_end(args);
    printf("\n");
    fflush(stdout);
}


static void
ta_diag(const char *fmt, ...)
{
    va_list  args;

    printf("# ");
    va_start(args, fmt);
    vprintf(fmt, args);
    va_end(args);
    printf("\n");
}


static uint64_t
ta_rand(void)
{
    uint64_t  z;

    z = (ta_rng += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}


static void
ta_put(char **buf, size_t *len, size_t *size, const void *p, size_t n)
{
    if (*len + n + 1 > *size) {
        *size = (*len + n + 1) * 2;
        *buf = realloc(*buf, *size);

        if (*buf == NULL) {
            abort();
        }
    }

    memcpy(*buf + *len, p, n);
    *len += n;
    (*buf)[*len] = '\0';
}


static void
ta_puts(char **buf, size_t *len, size_t *size, const char *s)
{
    ta_put(buf, len, size, s, strlen(s));
}


static int
ta_emit(void *ctx, const glossary_autolink_event_t *ev)
{
    ta_out_t       *o;
    const char     *slug;
    unsigned char   tag[1024];
    size_t          n;
    glossary_autolink_tag_t  t;

    o = ctx;

    if (o->fail_at > 0 && --o->fail_at == 0) {
        return -1;
    }

    switch (ev->type) {

    case GLOSSARY_AUTOLINK_PASS:
        if (ev->len == 0 || ev->data != o->in + ev->offset
            || ev->offset + ev->len > o->in_len)
        {
            o->bad = 1;
            snprintf(o->why, sizeof(o->why), "PASS outside the input");
        }

        o->passes++;
        /* fall through */

    case GLOSSARY_AUTOLINK_HELD:
        if (ev->len == 0
            || (ev->type == GLOSSARY_AUTOLINK_HELD && ev->len > o->hold_size))
        {
            o->bad = 1;
            snprintf(o->why, sizeof(o->why), "empty %s, or held bytes past "
                     "the hold buffer",
                     ev->type == GLOSSARY_AUTOLINK_HELD ? "HELD" : "PASS");
        }

        ta_put(&o->buf, &o->len, &o->size, ev->data, ev->len);
        ta_put(&o->raw, &o->raw_len, &o->raw_size, ev->data, ev->len);
        break;

    case GLOSSARY_AUTOLINK_OPEN:
        if (ev->term >= TA_TERMS) {
            /* another glossary's term: its id */
            n = (size_t) snprintf((char *) tag, sizeof(tag), "{#%u|",
                                  (unsigned) ev->term);
            ta_put(&o->buf, &o->len, &o->size, tag, n);
            break;
        }

        slug = ta_terms[ev->term].slug;

        if (o->real) {
            t.prefix = (const unsigned char *) "/glossary/";
            t.prefix_len = 10;
            t.slug = (const unsigned char *) slug;
            t.slug_len = strlen(slug);
            t.title = (const unsigned char *) ta_terms[ev->term].title;
            t.title_len = t.title ? strlen((const char *) t.title) : 0;
            n = glossary_autolink_tag_write(tag, &t);
            ta_put(&o->buf, &o->len, &o->size, tag, n);

        } else {
            ta_put(&o->buf, &o->len, &o->size, "{", 1);
            ta_put(&o->buf, &o->len, &o->size, slug, strlen(slug));
            ta_put(&o->buf, &o->len, &o->size, "|", 1);
        }

        break;

    case GLOSSARY_AUTOLINK_CLOSE:
        if (o->real) {
            ta_put(&o->buf, &o->len, &o->size, GLOSSARY_AUTOLINK_CLOSE_TAG,
                   GLOSSARY_AUTOLINK_CLOSE_TAG_LEN);

        } else {
            ta_put(&o->buf, &o->len, &o->size, "}", 1);
        }

        break;
    }

    return 0;
}


/*
 * Rewrites in[0, len) fed in pieces ending at cuts[0..ncuts) (ascending;
 * the last piece is fed with last = 1), each piece from its own
 * exact-size heap copy.  Returns the output (malloc()ed).
 */
static char *
ta_rewrite(const glossary_autolink_t *al, int conf, const unsigned char *in,
    size_t len, const size_t *cuts, size_t ncuts, int real, ta_out_t *o)
{
    size_t                       i, from, to;
    void                        *mem;
    unsigned char               *piece;
    glossary_autolink_stream_t  *st;

    memset(o, 0, sizeof(ta_out_t));
    o->real = real;
    mem = aligned_alloc(8, glossary_autolink_stream_size(al));

    if (mem == NULL) {
        abort();
    }

    st = glossary_autolink_stream_init(mem, al, &ta_conf[conf],
                                       ta_exclude[conf]);
    st->plain = ta_plain;
    o->hold_size = st->hold_size;
    ta_put(&o->buf, &o->len, &o->size, "", 0);
    ta_put(&o->raw, &o->raw_len, &o->raw_size, "", 0);
    from = 0;

    for (i = 0; i <= ncuts; i++) {
        to = (i < ncuts) ? cuts[i] : len;
        piece = malloc(to - from ? to - from : 1);
        memcpy(piece, in + from, to - from);
        o->in = piece;
        o->in_len = to - from;

        if (glossary_autolink_feed(st, piece, to - from, i == ncuts, ta_emit,
                                   o)
            != 0)
        {
            o->bad = 1;
            snprintf(o->why, sizeof(o->why), "feed failed");
        }

        free(piece);
        from = to;
    }

    if (o->raw_len != len || memcmp(o->raw, in, len) != 0) {
        o->bad = 1;
        snprintf(o->why, sizeof(o->why), "PASS and HELD bytes are not the "
                 "input (%zu of %zu bytes)", o->raw_len, len);
    }

    if (st->hold_len != 0) {
        o->bad = 1;
        snprintf(o->why, sizeof(o->why), "bytes left held at the end");
    }

    free(mem);
    free(o->raw);
    o->raw = NULL;

    return o->buf;
}


/* the same output for every split: one check per kind of split */
static int
ta_splits(const glossary_autolink_t *al, int conf, const unsigned char *in,
    size_t len, const char *want, const char *name)
{
    int        ok, bad;
    char      *out, first[200];
    size_t     i, k, n, *cuts;
    ta_out_t   o;

    cuts = malloc((len + 1) * sizeof(size_t));
    ok = 1;
    bad = 0;
    first[0] = '\0';

    /* every single split point */
    for (i = 0; i <= len; i++) {
        cuts[0] = i;
        out = ta_rewrite(al, conf, in, len, cuts, 1, 0, &o);

        if (o.bad || strcmp(out, want) != 0) {
            if (ok) {
                snprintf(first, sizeof(first), "split at %zu: %s", i,
                         o.bad ? o.why : out);
            }

            ok = 0;
        }

        free(out);
    }

    ta_ok(ok, "%s: the same for every split point (%zu)", name, len + 1);

    if (!ok) {
        ta_diag("%s", first);
        bad = 1;
    }

    /* one byte at a time, then random pieces */
    ok = 1;

    for (k = 0; k < 40; k++) {
        n = 0;

        if (k == 0) {
            for (i = 1; i < len; i++) {
                cuts[n++] = i;
            }

        } else {
            for (i = 0; i < len; i++) {
                if (ta_rand() % (1 + k % 7) == 0) {
                    cuts[n++] = i;
                }
            }
        }

        out = ta_rewrite(al, conf, in, len, cuts, n, 0, &o);

        if (o.bad || strcmp(out, want) != 0) {
            if (ok) {
                snprintf(first, sizeof(first), "run %zu: %s", k,
                         o.bad ? o.why : out);
            }

            ok = 0;
        }

        free(out);
    }

    ta_ok(ok, "%s: the same fed 1 byte at a time and in random pieces",
          name);

    if (!ok) {
        ta_diag("%s", first);
        bad = 1;
    }

    free(cuts);

    return bad;
}


static int
ta_build(unsigned flags, unsigned char **image, size_t *size,
    glossary_autolink_stats_t *stats)
{
    size_t                        i;
    unsigned char                *img;
    glossary_autolink_builder_t  *b;

    b = glossary_autolink_builder_create(TA_TERMS, flags);

    if (b == NULL) {
        return -1;
    }

    for (i = 0; i < TA_TERMS; i++) {
        if (glossary_autolink_builder_add(b, (uint32_t) i,
                (const unsigned char *) ta_terms[i].name,
                strlen(ta_terms[i].name), GLOSSARY_AUTOLINK_NAME) != 0
            || glossary_autolink_builder_add(b, (uint32_t) i,
                (const unsigned char *) ta_terms[i].slug,
                strlen(ta_terms[i].slug), GLOSSARY_AUTOLINK_SLUG) != 0
            || (ta_terms[i].alias != NULL
                && glossary_autolink_builder_add(b, (uint32_t) i,
                       (const unsigned char *) ta_terms[i].alias,
                       strlen(ta_terms[i].alias), GLOSSARY_AUTOLINK_ALIAS)
                   != 0))
        {
            glossary_autolink_builder_free(b);
            return -1;
        }
    }

    if (glossary_autolink_builder_finish(b, &img, size, stats) != 0) {
        glossary_autolink_builder_free(b);
        return -1;
    }

    glossary_autolink_builder_free(b);

    /* an exact-size copy */
    *image = aligned_alloc(8, (*size + 7) & ~(size_t) 7);
    memcpy(*image, img, *size);
    free(img);

    return 0;
}


static void
ta_setup(void)
{
    int                         i, rc;
    glossary_autolink_stats_t   stats;

    for (i = 0; i < TA_IMAGES; i++) {
        rc = ta_build(i == TA_ACCENTS ? GLOSSARY_AUTOLINK_BUILD_ACCENTS : 0,
                      &ta_image[i], &ta_image_size[i], &stats);
        ta_ok(rc == 0, "builder: the test glossary%s",
              i == TA_ACCENTS ? " with accent folding" : "");

        if (rc != 0) {
            printf("Bail out! cannot build the test image\n");
            exit(255);
        }

        rc = glossary_autolink_open(&ta_al[i], ta_image[i], ta_image_size[i]);
        ta_ok(rc == GLOSSARY_AUTOLINK_OK, "reader: opens it (%s%s%s)",
              glossary_autolink_strerror(rc), rc ? ": " : "",
              rc ? ta_al[i].detail : "");

        if (rc != GLOSSARY_AUTOLINK_OK) {
            printf("Bail out! cannot open the test image\n");
            exit(255);
        }

        ta_diag("image%s: %llu patterns, %llu pattern bytes, %u states, "
                "%u slots, %u blocks, %u folds, %zu bytes",
                i == TA_ACCENTS ? " (accents)" : "",
                (unsigned long long) stats.patterns,
                (unsigned long long) stats.pattern_bytes, stats.states,
                stats.slots, stats.blocks, stats.folds, ta_image_size[i]);
    }

    for (i = 0; i < TA_CONFS; i++) {
        glossary_autolink_conf_init(&ta_conf[i]);
        ta_conf[i].links_per_term = 0;
        ta_exclude[i] = GLOSSARY_AUTOLINK_NO_TERM;
    }

    ta_conf[TA_DEFAULT].links_per_term = 1;
    ta_conf[TA_TWO].links_per_term = 2;
    ta_conf[TA_PAGE2].links_per_page = 2;
    ta_exclude[TA_EXCL_CAR] = 0;
    ta_exclude[TA_EXCL_BUMPER] = 1;
    glossary_autolink_conf_clear_skip(&ta_conf[TA_SKIP_P]);
    glossary_autolink_conf_add_skip(&ta_conf[TA_SKIP_P],
                                    (const unsigned char *) "P", 1);
}


static void
ta_cases_run(void)
{
    size_t      i;
    char       *out;
    ta_out_t    o;
    const ta_case_t  *c;

    for (i = 0; i < TA_CASES; i++) {
        c = &ta_cases[i];

        if (ta_corpus != NULL) {
            char   path[4096];
            FILE  *f;

            /* fuzz_autolink's form: a mode byte (image, configuration) */
            snprintf(path, sizeof(path), "%s/case-%03zu", ta_corpus, i);
            f = fopen(path, "wb");

            if (f != NULL) {
                fputc((c->image << 1) | ((c->conf == TA_ALL ? 0 : 1) << 2), f);
                fwrite(c->in, 1, strlen(c->in), f);
                fclose(f);
            }
        }

        out = ta_rewrite(&ta_al[c->image], c->conf,
                         (const unsigned char *) c->in, strlen(c->in), NULL,
                         0, 0, &o);
        ta_ok(!o.bad && strcmp(out, c->out) == 0, "%s", c->name);

        if (o.bad || strcmp(out, c->out) != 0) {
            ta_diag("got:  %s%s%s", out, o.bad ? " -- " : "",
                    o.bad ? o.why : "");
            ta_diag("want: %s", c->out);
        }

        free(out);

        (void) ta_splits(&ta_al[c->image], c->conf,
                         (const unsigned char *) c->in, strlen(c->in),
                         c->out, c->name);
    }
}


/* a longer page: links and splits, and one PASS per buffer when nothing
 * matches */
static void
ta_page(char **page, size_t *len, int with_terms)
{
    size_t       size, i, w;
    const char  *words[] = {
        "the", "system", "and", "a", "policy", "of", "car", "boxes", "with",
        "design", "co-design", "caf\xc3\xa9", "R&amp;D", "in", "car bumper",
        "Stra\xc3\x9f" "e", "is", "on", "models", "heroes", "to"
    };
    const char  *plain[] = {
        "the", "system", "and", "a", "of", "with", "design", "in", "is",
        "on", "to", "scar", "boxed", "carts"
    };

    *page = NULL;
    *len = 0;
    size = 0;
    ta_puts(page, len, &size, "<!DOCTYPE html><html><head><title>car</title>"
            "<style>p { color: red }</style></head><body><h1>A car</h1>");

    for (i = 0; i < 120; i++) {
        if (i % 12 == 0) {
            ta_puts(page, len, &size, "<p class=\"x\">");
        }

        if (with_terms) {
            w = ta_rand() % (sizeof(words) / sizeof(char *));
            ta_put(page, len, &size, words[w], strlen(words[w]));

        } else {
            w = ta_rand() % (sizeof(plain) / sizeof(char *));
            ta_put(page, len, &size, plain[w], strlen(plain[w]));
        }

        if (i % 17 == 5) {
            ta_puts(page, len, &size, " <a href=\"/x\">car</a>");
        }

        if (i % 23 == 7) {
            ta_puts(page, len, &size, " <code>box</code>");
        }

        ta_puts(page, len, &size, (i % 12 == 11) ? ".</p>\n" : " ");
    }

    ta_puts(page, len, &size, "<script>var car = 1;</script></body></html>");
}


static void
ta_pages(void)
{
    int         ok;
    char       *page, *want, *out;
    size_t      len, i, n, cuts[64];
    ta_out_t    o;

    ta_page(&page, &len, 1);
    want = ta_rewrite(&ta_al[TA_PLAIN], TA_DEFAULT,
                      (const unsigned char *) page, len, NULL, 0, 0, &o);
    ta_ok(!o.bad && strstr(want, "{car|") != NULL
          && strstr(want, "{policy|") != NULL
          && strstr(want, "<h1>A car</h1>") != NULL
          && strstr(want, "var car") != NULL,
          "a generated page: links outside the skipped parts");
    (void) ta_splits(&ta_al[TA_PLAIN], TA_DEFAULT,
                     (const unsigned char *) page, len, want,
                     "a generated page");
    free(want);
    free(page);

    ta_page(&page, &len, 0);
    ok = 1;

    for (i = 0; i < 20 && ok; i++) {
        n = 0;

        while (n < 16) {
            cuts[n] = (n ? cuts[n - 1] : 0) + 1 + ta_rand() % (len / 8);

            if (cuts[n] >= len) {
                break;
            }

            n++;
        }

        out = ta_rewrite(&ta_al[TA_PLAIN], TA_ALL,
                         (const unsigned char *) page, len, cuts, n, 0, &o);
        ok = !o.bad && strcmp(out, page) == 0 && o.passes >= 1
             && o.passes <= n + 1;
        free(out);
    }

    ta_ok(ok, "nothing to link: output identical to the input, at most one "
          "PASS per buffer");
    free(page);
}


static void
ta_api(void)
{
    int                          rc;
    void                        *mem;
    size_t                       n;
    unsigned char                tag[512];
    ta_out_t                     o;
    glossary_autolink_conf_t     conf;
    glossary_autolink_tag_t      t;
    glossary_autolink_stream_t  *st;
    char                         name[40];
    int                          i;

    /* the opening tag */
    t.prefix = (const unsigned char *) "/g?a=1&b=\"2\"/";
    t.prefix_len = strlen((const char *) t.prefix);
    t.slug = (const unsigned char *) "model";
    t.slug_len = 5;
    t.title = (const unsigned char *) ta_terms[16].title;
    t.title_len = strlen(ta_terms[16].title);
    n = glossary_autolink_tag_write(tag, &t);
    tag[n] = '\0';
    ta_ok(n == glossary_autolink_tag_size(&t)
          && strcmp((char *) tag,
                    "<a href=\"/g?a=1&amp;b=&quot;2&quot;/model\" "
                    "class=\"glossary-term\" data-glossary-slug=\"model\" "
                    "title=\"Say &quot;hi&quot; &amp; &lt;b&gt;bye&lt;/b&gt;"
                    "&#39;s\">") == 0,
          "opening tag: every value escaped, size exact");

    if (strstr((char *) tag, "title=") == NULL) {
        ta_diag("%s", tag);
    }

    t.title = NULL;
    n = glossary_autolink_tag_write(tag, &t);
    tag[n] = '\0';
    ta_ok(n == glossary_autolink_tag_size(&t)
          && strstr((char *) tag, "title") == NULL
          && strcmp((char *) tag + n - 2, "\">") == 0,
          "opening tag without a title");

    /* long titles: cut after a word, or before a character, with "..." */
    {
        size_t          k, w;
        unsigned char   big[2048], out[4096], *q;
        const char     *why;

        why = NULL;

        for (k = 0; k < 3 && why == NULL; k++) {
            /* words of 7 letters; one long word; 2-byte characters */
            for (w = 0; w < 1000; w++) {
                big[w] = k == 0 ? (w % 8 == 7 ? ' ' : 'a')
                         : k == 1 ? 'b' : (w % 2 ? 0xa9 : 0xc3);
            }

            t.slug = (const unsigned char *) "s";
            t.slug_len = 1;
            t.title = big;
            t.title_len = 1000;
            n = glossary_autolink_tag_write(out, &t);
            out[n] = '\0';

            q = (unsigned char *) strstr((char *) out, "title=\"") + 7;
            w = (size_t) ((unsigned char *) strstr((char *) q, "\">") - q);

            if (n != glossary_autolink_tag_size(&t)) {
                why = "size";

            } else if (w > GLOSSARY_AUTOLINK_MAX_TITLE + 3 || w < 250
                       || memcmp(q + w - 3, "\xe2\x80\xa6", 3) != 0)
            {
                why = "length or ellipsis";

            } else if (k == 0 && q[w - 4] != 'a') {
                why = "not cut after a word";

            } else if (k == 2 && q[w - 4] != 0xa9) {
                why = "cut inside a character";
            }
        }

        t.title_len = GLOSSARY_AUTOLINK_MAX_TITLE;
        n = glossary_autolink_tag_write(out, &t);

        ta_ok(why == NULL && n == glossary_autolink_tag_size(&t)
              && memchr(out, 0xe2, n) == NULL,
              "opening tag: a title over %d bytes is cut and ends with an "
              "ellipsis, one of %d is whole%s%s", GLOSSARY_AUTOLINK_MAX_TITLE,
              GLOSSARY_AUTOLINK_MAX_TITLE, why ? ": " : "", why ? why : "");
    }

    /* the empty last buffer may come without a pointer (nginx's) */
    {
        void                        *m;
        ta_out_t                     ho;
        glossary_autolink_stream_t  *hs;

        memset(&ho, 0, sizeof(ho));
        ho.real = 1;
        ta_put(&ho.buf, &ho.len, &ho.size, "", 0);
        m = aligned_alloc(8, glossary_autolink_stream_size(&ta_al[0]));
        hs = glossary_autolink_stream_init(m, &ta_al[0], &ta_conf[TA_DEFAULT],
                                           GLOSSARY_AUTOLINK_NO_TERM);
        ho.in = (const unsigned char *) "a car";
        ho.in_len = 5;
        rc = glossary_autolink_feed(hs, ho.in, 5, 0, ta_emit, &ho);
        ho.in = NULL;
        ho.in_len = 0;
        rc |= glossary_autolink_feed(hs, NULL, 0, 1, ta_emit, &ho);

        ta_ok(rc == 0 && hs->hold_len == 0
              && strstr(ho.buf, ">car</a>") != NULL,
              "the last buffer as NULL, 0: what was held comes out");
        free(m);
        free(ho.buf);
        free(ho.raw);
    }

    /* skip lists */
    glossary_autolink_conf_init(&conf);
    ta_ok(conf.skip_count == 18 && conf.links_per_term == 1
          && conf.links_per_page == 0, "conf: the defaults");
    ta_ok(glossary_autolink_conf_add_skip(&conf, (const unsigned char *) "",
                                          0) == -1
          && glossary_autolink_conf_add_skip(&conf,
                 (const unsigned char *) "a b", 3) == -1
          && glossary_autolink_conf_add_skip(&conf,
                 (const unsigned char *) "a>", 2) == -1
          && glossary_autolink_conf_add_skip(&conf,
                 (const unsigned char *) "abcdefghijklmnopqrstuvwxyz012345",
                 32) == -1
          && glossary_autolink_conf_add_skip(&conf,
                 (const unsigned char *) "abcdefghijklmnopqrstuvwxyz01234",
                 31) == 0
          && glossary_autolink_conf_add_skip(&conf,
                 (const unsigned char *) "my-Widget", 9) == 0,
          "conf: skip names are 1 to 31 letters, digits or '-'");

    for (i = 0, rc = 0; i < 100 && rc == 0; i++) {
        snprintf(name, sizeof(name), "x%d", i);
        rc = glossary_autolink_conf_add_skip(&conf,
                 (const unsigned char *) name, strlen(name));
    }

    ta_ok(rc == -1 && conf.skip_count == GLOSSARY_AUTOLINK_MAX_SKIP,
          "conf: at most %d skip names", GLOSSARY_AUTOLINK_MAX_SKIP);

    /* a custom element in the list */
    glossary_autolink_conf_clear_skip(&ta_conf[TA_CUSTOM]);
    glossary_autolink_conf_add_skip(&ta_conf[TA_CUSTOM],
                                    (const unsigned char *) "my-Widget", 9);
    {
        const char  *in = "<my-widget>car</my-widget><a>car</a>";
        char        *out;

        out = ta_rewrite(&ta_al[TA_PLAIN], TA_CUSTOM,
                         (const unsigned char *) in, strlen(in), NULL, 0, 0,
                         &o);
        ta_ok(!o.bad && strcmp(out, "<my-widget>car</my-widget><a>{car|car}"
                               "</a>") == 0,
              "conf: a custom element in the skip list");
        free(out);
    }

    /* feeding after the end; a refusing emit */
    mem = aligned_alloc(8, glossary_autolink_stream_size(&ta_al[0]));
    st = glossary_autolink_stream_init(mem, &ta_al[0], &ta_conf[TA_ALL],
                                       GLOSSARY_AUTOLINK_NO_TERM);
    memset(&o, 0, sizeof(o));
    o.in = (const unsigned char *) "car car";
    o.in_len = 7;
    o.hold_size = st->hold_size;
    rc = glossary_autolink_feed(st, o.in, 7, 1, ta_emit, &o);
    ta_ok(rc == 0 && st->links == 2 && st->matches == 2 && st->done
          && glossary_autolink_feed(st, o.in, 7, 1, ta_emit, &o) == -1,
          "feed: counters; after the last buffer, -1");
    free(o.buf);
    free(o.raw);

    st = glossary_autolink_stream_init(mem, &ta_al[0], &ta_conf[TA_ALL],
                                       GLOSSARY_AUTOLINK_NO_TERM);
    memset(&o, 0, sizeof(o));
    o.in = (const unsigned char *) "x car y";
    o.in_len = 7;
    o.hold_size = st->hold_size;
    o.fail_at = 2;
    rc = glossary_autolink_feed(st, o.in, 7, 0, ta_emit, &o);
    ta_ok(rc == -1 && st->failed
          && glossary_autolink_feed(st, o.in, 7, 1, ta_emit, &o) == -1,
          "feed: an emit that refuses stops the stream");
    free(o.buf);
    free(o.raw);
    free(mem);

    ta_ok(glossary_autolink_stream_size(&ta_al[0])
          < sizeof(glossary_autolink_stream_t) + 8 * 255 + 512,
          "stream: %zu bytes (struct %zu, hold %u)",
          glossary_autolink_stream_size(&ta_al[0]),
          sizeof(glossary_autolink_stream_t),
          (unsigned) (ta_al[0].walk_limit + 64));
}


static void
ta_builder(void)
{
    int                           n, rc;
    size_t                        size, i;
    unsigned char                 buf[GLOSSARY_AUTOLINK_MAX_PATTERN], *img;
    char                          big[400];
    glossary_autolink_t           al;
    glossary_autolink_stats_t     stats;
    glossary_autolink_builder_t  *b;
    ta_out_t                      o;
    char                         *out;

    static const struct {
        const char  *in;
        const char  *out;
    } folds[] = {
        { "Co-Design", "co design" },
        { "  A\t\n B  -", "a b" },
        { "\xc3\x96" "ffentlicher", "\xc3\xb6" "ffentlicher" },
        { "Stra\xc3\x9f" "e", "strasse" },
        { "\xef\xac\x81" "le", "file" },                    /* ligature */
        { "\xef\xbc\xa1\xef\xbc\xa2", "ab" },               /* fullwidth */
        { "e\xcc\x81", "\xc3\xa9" },                        /* NFC first */
        { "x\xc2\xad" "y", "xy" },                          /* soft hyphen */
        { "\xe2\x84\xaa", "k" },                            /* Kelvin sign */
        { "R&D", "r&d" },
    };

    b = glossary_autolink_builder_create(10, 0);

    for (i = 0; i < sizeof(folds) / sizeof(folds[0]); i++) {
        n = glossary_autolink_builder_fold(b, (const unsigned char *)
                                           folds[i].in, strlen(folds[i].in),
                                           buf);
        ta_ok(n == (int) strlen(folds[i].out)
              && memcmp(buf, folds[i].out, n) == 0,
              "fold: \"%s\"", folds[i].out);
    }

    memset(big, 'a', sizeof(big));
    ta_ok(glossary_autolink_builder_fold(b, (const unsigned char *) "\xff", 1,
                                         buf) == -1
          && glossary_autolink_builder_fold(b, (const unsigned char *) " -",
                                            2, buf) == 0
          && glossary_autolink_builder_fold(b, (const unsigned char *) big,
                                            256, buf) == -1
          && glossary_autolink_builder_fold(b, (const unsigned char *) big,
                                            255, buf) == 255,
          "fold: invalid UTF-8, nothing left, 255 bytes at most");

    /* precedence: name over alias over slug over plural, then term id */
    rc = glossary_autolink_builder_add(b, 3, (const unsigned char *) "Apple",
                                       5, GLOSSARY_AUTOLINK_ALIAS)
         | glossary_autolink_builder_add(b, 4, (const unsigned char *) "apple",
                                         5, GLOSSARY_AUTOLINK_NAME)
         | glossary_autolink_builder_add(b, 2, (const unsigned char *) "APPLE",
                                         5, GLOSSARY_AUTOLINK_NAME)
         | glossary_autolink_builder_add(b, 5, (const unsigned char *) "Pear",
                                         4, GLOSSARY_AUTOLINK_NAME)
         | glossary_autolink_builder_add(b, 6, (const unsigned char *) "pears",
                                         5, GLOSSARY_AUTOLINK_SLUG)
         | glossary_autolink_builder_add(b, 7, (const unsigned char *) "pears",
                                         5, GLOSSARY_AUTOLINK_SLUG)
         | glossary_autolink_builder_add(b, 7, (const unsigned char *) "Pears",
                                         5, GLOSSARY_AUTOLINK_NAME)
         | glossary_autolink_builder_add(b, 8, (const unsigned char *) " ", 1,
                                         GLOSSARY_AUTOLINK_NAME);
    ta_ok(rc == 0 && glossary_autolink_builder_add(b, 10,
                         (const unsigned char *) "x", 1,
                         GLOSSARY_AUTOLINK_NAME) == -1,
          "add: a term id out of range is refused");
    rc = glossary_autolink_builder_finish(b, &img, &size, &stats);
    ta_ok(rc == 0 && stats.added == 8 && stats.dropped == 1
          && stats.duplicates == 1 && stats.conflicts == 6
          && stats.patterns == 5 && stats.plurals == 5,
          "builder: added %llu, dropped %llu, duplicates %llu, conflicts "
          "%llu, patterns %llu, plurals %llu",
          (unsigned long long) stats.added,
          (unsigned long long) stats.dropped,
          (unsigned long long) stats.duplicates,
          (unsigned long long) stats.conflicts,
          (unsigned long long) stats.patterns,
          (unsigned long long) stats.plurals);
    glossary_autolink_builder_free(b);

    {
        unsigned char  *copy;

        copy = aligned_alloc(8, (size + 7) & ~(size_t) 7);
        memcpy(copy, img, size);
        free(img);
        rc = glossary_autolink_open(&al, copy, size);
        ta_ok(rc == GLOSSARY_AUTOLINK_OK && al.term_count == 10,
              "builder: the image opens");

        if (rc == GLOSSARY_AUTOLINK_OK) {
            static const char  *in = "apple apples pear pears";
            char               *p;
            unsigned            ids[8], k;

            out = ta_rewrite(&al, TA_ALL, (const unsigned char *) in,
                             strlen(in), NULL, 0, 0, &o);
            /* the output names slugs of ta_terms: map back to ids */
            k = 0;

            for (p = out; (p = strchr(p, '{')) != NULL && k < 8; p++) {
                for (i = 0; i < TA_TERMS; i++) {
                    if (strncmp(p + 1, ta_terms[i].slug,
                                strlen(ta_terms[i].slug)) == 0
                        && p[1 + strlen(ta_terms[i].slug)] == '|')
                    {
                        ids[k++] = (unsigned) i;
                        break;
                    }
                }
            }

            ta_ok(k == 4 && ids[0] == 2 && ids[1] == 2 && ids[2] == 5
                  && ids[3] == 7,
                  "builder: the name with the lowest id wins, a name beats "
                  "a plural");

            if (!(k == 4 && ids[0] == 2 && ids[1] == 2 && ids[2] == 5
                  && ids[3] == 7))
            {
                ta_diag("%s", out);
            }

            free(out);
        }

        free(copy);
    }

    /* an empty glossary */
    b = glossary_autolink_builder_create(0, 0);
    rc = glossary_autolink_builder_finish(b, &img, &size, &stats);
    glossary_autolink_builder_free(b);

    if (rc == 0) {
        unsigned char  *copy;

        copy = aligned_alloc(8, (size + 7) & ~(size_t) 7);
        memcpy(copy, img, size);
        free(img);
        rc = glossary_autolink_open(&al, copy, size);

        if (rc == GLOSSARY_AUTOLINK_OK) {
            static const char  *in = "<p>car &amp; \xc3\xa9</p>";

            out = ta_rewrite(&al, TA_ALL, (const unsigned char *) in,
                             strlen(in), NULL, 0, 0, &o);
            rc = (o.bad || strcmp(out, in) != 0);
            free(out);
        }

        free(copy);
    }

    ta_ok(rc == 0, "builder: an empty glossary makes an image that links "
          "nothing");
}


/*
 * The fast path (filter, 16-byte scanner) against the reference path on
 * long text: a glossary of two-word terms over a small vocabulary, so that
 * most words begin a walk, and pages of that vocabulary with fillers,
 * references, non-ASCII words, white space runs and tags; every page fed
 * whole and in random pieces.
 */
static void
ta_equivalence(void)
{
    int                          ok, rc, fast_links;
    char                        *page, *want, *out, name[64];
    size_t                       len, size, i, k, n, *cuts, img_size, t;
    unsigned char               *img, *copy;
    ta_out_t                     o;
    glossary_autolink_t          al;
    glossary_autolink_stats_t    stats;
    glossary_autolink_builder_t *b;

    static const char  *vocab[] = {
        "data", "model", "cache", "token", "vector", "graph", "index",
        "query", "layer", "batch", "queue", "shard", "agent", "prompt",
        "tensor", "kernel", "router", "sensor", "policy", "box", "car",
        "c", "ai", "io", "x"
    };
    static const char  *filler[] = {
        "the", "of", "a", "and", "to", "in", "is", "on", "for", "with",
        "datum", "modem", "caches", "tokens", "vectors", "graphs", "indexes",
        "queries", "layers", "batches", "boxes", "cars", "carbon", "dataset",
        "&amp;", "&eacute;t&eacute;", "caf&eacute;", "&#67;ache",
        "\xc3\xa9t\xc3\xa9",
        "\xd0\xb4\xd0\xb0\xd1\x82\xd0\xb0", "\xe4\xb8\x9c\xe4\xba\xac",
        "DATA", "Model", "x-ray", "co-design", "e.g.", "(model)", "model,",
        "data\xc2\xa0model", "1<2", "\xff", "_data", "data_", "4data"
    };

#define TA_NV  (sizeof(vocab) / sizeof(vocab[0]))
#define TA_NF  (sizeof(filler) / sizeof(filler[0]))

    /* terms: every vocabulary word, and 300 pairs of them */
    b = glossary_autolink_builder_create(TA_NV + 300, 0);

    for (i = 0; i < TA_NV + 300; i++) {
        if (i < TA_NV) {
            snprintf(name, sizeof(name), "%s", vocab[i]);

        } else {
            t = (i * 7919) % (TA_NV * TA_NV);
            snprintf(name, sizeof(name), "%s %s", vocab[t / TA_NV],
                     vocab[t % TA_NV]);
        }

        glossary_autolink_builder_add(b, (uint32_t) i,
                                      (const unsigned char *) name,
                                      strlen(name), GLOSSARY_AUTOLINK_NAME);
    }

    rc = glossary_autolink_builder_finish(b, &img, &img_size, &stats);
    glossary_autolink_builder_free(b);

    if (rc != 0) {
        ta_ok(0, "equivalence: the glossary builds");
        return;
    }

    copy = aligned_alloc(8, (img_size + 7) & ~(size_t) 7);
    memcpy(copy, img, img_size);
    free(img);
    rc = glossary_autolink_open(&al, copy, img_size);
    ta_ok(rc == GLOSSARY_AUTOLINK_OK, "equivalence: %llu patterns open",
          (unsigned long long) stats.patterns);

    ok = 1;
    fast_links = 0;
    cuts = NULL;

    for (k = 0; k < 300 && ok && rc == GLOSSARY_AUTOLINK_OK; k++) {
        page = NULL;
        len = 0;
        size = 0;
        n = 200 + ta_rand() % 600;

        for (i = 0; i < n; i++) {
            switch (ta_rand() % 16) {
            case 0:
                ta_puts(&page, &len, &size, "<p>");
                break;
            case 1:
                ta_puts(&page, &len, &size, (ta_rand() % 2) ? "<b>" : "</b>");
                break;
            case 2:
                ta_puts(&page, &len, &size, (ta_rand() % 3) ? "  " : "\n\t ");
                break;
            case 3:
                ta_puts(&page, &len, &size, (ta_rand() % 4) ? "<a href=x>"
                                                            : "</a>");
                break;
            case 4:
            case 5:
            case 6:
                ta_puts(&page, &len, &size, filler[ta_rand() % TA_NF]);
                break;
            default:
                ta_puts(&page, &len, &size, vocab[ta_rand() % TA_NV]);
            }

            ta_puts(&page, &len, &size, (ta_rand() % 9) ? " " : ". ");
        }

        ta_plain = 1;
        want = ta_rewrite(&al, TA_ALL, (const unsigned char *) page, len,
                          NULL, 0, 0, &o);
        ta_plain = 0;
        out = ta_rewrite(&al, TA_ALL, (const unsigned char *) page, len,
                         NULL, 0, 0, &o);
        ok = !o.bad && strcmp(out, want) == 0;
        fast_links += (int) (strlen(out) - len);
        free(out);

        /* and in pieces */
        cuts = realloc(cuts, (len + 1) * sizeof(size_t));
        n = 0;

        for (i = 1; i < len && ok; i++) {
            if (ta_rand() % (k % 5 == 0 ? 2 : 97) == 0) {
                cuts[n++] = i;
            }
        }

        out = ta_rewrite(&al, TA_ALL, (const unsigned char *) page, len, cuts,
                         n, 0, &o);
        ok = ok && !o.bad && strcmp(out, want) == 0;

        if (!ok) {
            for (i = 0; out[i] && out[i] == want[i]; i++) {
                /* void */
            }

            n = i > 60 ? i - 60 : 0;
            ta_diag("page %zu differs at byte %zu (%s):", k, i,
                    o.bad ? o.why : "output");
            ta_diag("reference: %.120s", want + n);
            ta_diag("fast:      %.120s", out + n);
        }

        free(out);
        free(want);
        free(page);
    }

    ta_ok(ok && fast_links > 0, "equivalence: 300 long pages give the same "
          "output on the fast and the reference path, whole and in pieces");
    free(cuts);
    free(copy);

#undef TA_NV
#undef TA_NF
}


/* corrupt images */

typedef struct {
    unsigned char  *img;
    size_t          size;
    glossary_autolink_t  al;
} ta_img_t;


static glossary_autolink_status_t
ta_open_copy(const unsigned char *img, size_t size, glossary_autolink_t *al)
{
    unsigned char              *copy;
    glossary_autolink_status_t  rc;
    char                       *out;
    ta_out_t                    o;
    static const char          *page =
        "<p>car bumper &amp; caf\xc3\xa9 \xe4\xb8\x9c\xe4\xba\xac C++ co-design"
        " R&amp;D boxes</p><a>car</a> car&nbsp;bumper \xc3\x96" "ffentlicher";

    copy = malloc(size ? size : 1);
    memcpy(copy, img, size);
    rc = glossary_autolink_open(al, copy, size);

    if (rc == GLOSSARY_AUTOLINK_OK) {
        /* what a server would do with it */
        out = ta_rewrite(al, TA_ALL, (const unsigned char *) page,
                         strlen(page), NULL, 0, 0, &o);
        free(out);
    }

    free(copy);

    return rc;
}


static void
ta_expect(const unsigned char *img, size_t size,
    glossary_autolink_status_t want, const char *what)
{
    glossary_autolink_t         al;
    glossary_autolink_status_t  rc;

    rc = ta_open_copy(img, size, &al);
    ta_ok(rc == want && (rc == GLOSSARY_AUTOLINK_OK || al.detail[0] != '\0'),
          "corrupt image: %s: %s%s%s", what, glossary_autolink_strerror(rc),
          rc ? " -- " : "", rc ? al.detail : "");
}


#define TA_HDR(p)  ((glossary_autolink_header_t *) (p))


static void
ta_corrupt(void)
{
    size_t                      size, i, off, slots_off, n, accepted;
    unsigned char              *img, *m;
    uint16_t                   *u16;
    uint32_t                    t, p, s;
    glossary_autolink_t        *al;
    glossary_autolink_slot_t   *sl;
    glossary_autolink_status_t  rc;
    glossary_autolink_t         tmp;

    img = ta_image[TA_PLAIN];
    size = ta_image_size[TA_PLAIN];
    al = &ta_al[TA_PLAIN];
    m = malloc(size + 16);

#define TA_RESET()  memcpy(m, img, size)

    ta_expect(img, size, GLOSSARY_AUTOLINK_OK, "the valid image");

    /* truncated */
    ta_expect(img, 0, GLOSSARY_AUTOLINK_ERR_TRUNCATED, "0 bytes");
    ta_expect(img, 63, GLOSSARY_AUTOLINK_ERR_TRUNCATED, "63 bytes");
    ta_expect(img, 64, GLOSSARY_AUTOLINK_ERR_SIZE, "the header alone");
    ta_expect(img, size - 1, GLOSSARY_AUTOLINK_ERR_SIZE, "one byte short");
    ta_expect(img, size - 8, GLOSSARY_AUTOLINK_ERR_SIZE, "one slot short");
    TA_RESET();
    memset(m + size, 0, 8);
    ta_expect(m, size + 8, GLOSSARY_AUTOLINK_ERR_SIZE, "8 bytes too many");

    /* misaligned */
    {
        unsigned char  *raw;

        raw = malloc(size + 8);
        memcpy(raw + 1, img, size);
        ta_ok(glossary_autolink_open(&tmp, raw + 1, size)
              == GLOSSARY_AUTOLINK_ERR_ALIGN,
              "corrupt image: not 8-byte aligned in memory");
        free(raw);
    }

    /* header */
    TA_RESET();
    m[0] = 'X';
    ta_expect(m, size, GLOSSARY_AUTOLINK_ERR_MAGIC, "bad magic");
    TA_RESET();
    TA_HDR(m)->version_major = 2;
    ta_expect(m, size, GLOSSARY_AUTOLINK_ERR_VERSION, "version 2");
    TA_RESET();
    TA_HDR(m)->version_minor = 7;
    ta_expect(m, size, GLOSSARY_AUTOLINK_OK, "a later minor version");
    TA_RESET();
    TA_HDR(m)->flags = 2;
    ta_expect(m, size, GLOSSARY_AUTOLINK_ERR_HEADER, "unknown flag");
    TA_RESET();
    TA_HDR(m)->max_pattern = 0;
    ta_expect(m, size, GLOSSARY_AUTOLINK_ERR_HEADER, "longest pattern 0");
    TA_RESET();
    TA_HDR(m)->max_pattern = 256;
    ta_expect(m, size, GLOSSARY_AUTOLINK_ERR_HEADER, "longest pattern 256");
    TA_RESET();
    TA_HDR(m)->label_count = 254;
    ta_expect(m, size, GLOSSARY_AUTOLINK_ERR_HEADER, "254 labels");
    TA_RESET();
    TA_HDR(m)->reserved = 1;
    ta_expect(m, size, GLOSSARY_AUTOLINK_ERR_HEADER, "reserved not zero");
    TA_RESET();
    TA_HDR(m)->block_count = 0;
    ta_expect(m, size, GLOSSARY_AUTOLINK_ERR_HEADER, "no blocks");
    TA_RESET();
    TA_HDR(m)->block_count = 0xffffffff;
    ta_expect(m, size, GLOSSARY_AUTOLINK_ERR_HEADER, "2^32-1 blocks");
    TA_RESET();
    TA_HDR(m)->fold_count = 0;
    ta_expect(m, size, GLOSSARY_AUTOLINK_ERR_HEADER, "no folds");
    TA_RESET();
    TA_HDR(m)->slot_count = 0xffffffff;
    ta_expect(m, size, GLOSSARY_AUTOLINK_ERR_HEADER, "2^32-1 slots");
    TA_RESET();
    TA_HDR(m)->slot_count = 3;
    ta_expect(m, size, GLOSSARY_AUTOLINK_ERR_HEADER, "too few slots");
    TA_RESET();
    TA_HDR(m)->slot_count += 1;
    ta_expect(m, size, GLOSSARY_AUTOLINK_ERR_SIZE, "one slot more counted");
    TA_RESET();
    TA_HDR(m)->block_count -= 1;
    ta_expect(m, size, GLOSSARY_AUTOLINK_ERR_SIZE, "one block less counted");
    TA_RESET();
    TA_HDR(m)->size += 8;
    ta_expect(m, size, GLOSSARY_AUTOLINK_ERR_SIZE, "size field too large");

    /* byte tables */
    off = GLOSSARY_AUTOLINK_HEADER_SIZE;
    TA_RESET();
    m[off + '&'] = 0;
    ta_expect(m, size, GLOSSARY_AUTOLINK_ERR_BYTES, "'&' is not SLOW");
    TA_RESET();
    m[off + '<'] = GLOSSARY_AUTOLINK_B_START;
    ta_expect(m, size, GLOSSARY_AUTOLINK_ERR_BYTES, "'<' has info");
    TA_RESET();
    m[off + 0x85] = GLOSSARY_AUTOLINK_B_SLOW;
    ta_expect(m, size, GLOSSARY_AUTOLINK_ERR_BYTES, "a continuation byte is "
              "SLOW");
    TA_RESET();
    m[off + 0xe4] = GLOSSARY_AUTOLINK_B_WORD;
    ta_expect(m, size, GLOSSARY_AUTOLINK_ERR_BYTES, "a lead byte is WORD");
    TA_RESET();
    m[off + 'a'] |= GLOSSARY_AUTOLINK_B_SLOW;
    ta_expect(m, size, GLOSSARY_AUTOLINK_ERR_BYTES, "an ASCII letter is SLOW");
    TA_RESET();
    m[off + 'a'] |= GLOSSARY_AUTOLINK_B_SPACE;
    ta_expect(m, size, GLOSSARY_AUTOLINK_ERR_BYTES, "WORD and SPACE");
    TA_RESET();
    m[off + 'q'] = 0x40;
    ta_expect(m, size, GLOSSARY_AUTOLINK_ERR_BYTES, "an unknown bit");
    TA_RESET();
    m[off + 256 + 'a'] = GLOSSARY_AUTOLINK_LABEL_END;
    ta_expect(m, size, GLOSSARY_AUTOLINK_ERR_BYTES, "a byte labelled END");
    TA_RESET();
    m[off + 256 + 'a'] = (unsigned char) (TA_HDR(m)->label_count + 2);
    ta_expect(m, size, GLOSSARY_AUTOLINK_ERR_BYTES, "a label out of range");

    /* code points */
    off = GLOSSARY_AUTOLINK_HEADER_SIZE + 512 + GLOSSARY_AUTOLINK_FILTER_SIZE;
    TA_RESET();
    u16 = (uint16_t *) (m + off);
    u16[0x4e00 >> 7] = (uint16_t) TA_HDR(m)->block_count;
    ta_expect(m, size, GLOSSARY_AUTOLINK_ERR_CODEPOINTS, "stage1 names a "
              "block past the end");
    TA_RESET();
    u16 = (uint16_t *) (m + off + GLOSSARY_AUTOLINK_STAGE1 * 2);
    u16[5] = 5;
    ta_expect(m, size, GLOSSARY_AUTOLINK_ERR_CODEPOINTS, "class 5");
    TA_RESET();
    u16[5] = (uint16_t) (TA_HDR(m)->fold_count << 3);
    ta_expect(m, size, GLOSSARY_AUTOLINK_ERR_CODEPOINTS, "a fold past the "
              "end");
    off += GLOSSARY_AUTOLINK_STAGE1 * 2
           + (size_t) TA_HDR(img)->block_count * GLOSSARY_AUTOLINK_CP_BLOCK * 2;
    TA_RESET();
    m[off] = 1;
    ta_expect(m, size, GLOSSARY_AUTOLINK_ERR_CODEPOINTS, "fold 0 not empty");
    TA_RESET();
    m[off + 8] = 8;
    ta_expect(m, size, GLOSSARY_AUTOLINK_ERR_CODEPOINTS, "a fold of 8 bytes");
    TA_RESET();
    m[off + 15] = 'x';
    m[off + 8] = 1;
    ta_expect(m, size, GLOSSARY_AUTOLINK_ERR_CODEPOINTS, "fold padding not "
              "zero");

    /* the automaton */
    slots_off = size - (size_t) al->slot_count * 8;
    n = al->slot_count;
    sl = (glossary_autolink_slot_t *) (m + slots_off);

    TA_RESET();
    sl[0].check = 5;
    ta_expect(m, size, GLOSSARY_AUTOLINK_ERR_AUTOMATON, "root check not 0");
    TA_RESET();
    sl[0].base = 0;
    ta_expect(m, size, GLOSSARY_AUTOLINK_ERR_AUTOMATON, "root base 0");
    TA_RESET();
    sl[0].base = (uint32_t) n - 1;
    ta_expect(m, size, GLOSSARY_AUTOLINK_ERR_AUTOMATON, "root base at the "
              "end");

    /* find a terminal state, its end slot, and an inner state */
    TA_RESET();
    t = 0;
    s = 0;

    for (i = 1; i < n; i++) {
        if (sl[i].check == GLOSSARY_AUTOLINK_FREE) {
            continue;
        }

        p = sl[i].check & GLOSSARY_AUTOLINK_CHECK_MASK;

        if (i - sl[p].base == GLOSSARY_AUTOLINK_LABEL_END) {
            if (t == 0) {
                t = (uint32_t) i;
            }

        } else if (s == 0 && !(sl[i].check & GLOSSARY_AUTOLINK_TERMINAL)) {
            s = (uint32_t) i;
        }
    }

    p = sl[t].check;
    sl[t].base = (uint32_t) TA_TERMS;
    ta_expect(m, size, GLOSSARY_AUTOLINK_ERR_AUTOMATON, "a term id out of "
              "range");
    TA_RESET();
    sl[t].check |= GLOSSARY_AUTOLINK_TERMINAL;
    ta_expect(m, size, GLOSSARY_AUTOLINK_ERR_AUTOMATON, "an end slot marked "
              "terminal");
    TA_RESET();
    sl[p].check &= ~GLOSSARY_AUTOLINK_TERMINAL;
    ta_expect(m, size, GLOSSARY_AUTOLINK_ERR_AUTOMATON, "an end slot of a "
              "state not terminal");
    TA_RESET();
    sl[t].check = GLOSSARY_AUTOLINK_FREE;
    ta_expect(m, size, GLOSSARY_AUTOLINK_ERR_AUTOMATON, "a terminal state "
              "without its end slot");
    TA_RESET();
    sl[s].check = (uint32_t) n;
    ta_expect(m, size, GLOSSARY_AUTOLINK_ERR_AUTOMATON, "a parent past the "
              "end");
    TA_RESET();
    sl[s].check = s;
    ta_expect(m, size, GLOSSARY_AUTOLINK_ERR_AUTOMATON, "its own parent");
    TA_RESET();

    for (i = 1; i < n && sl[i].check != GLOSSARY_AUTOLINK_FREE; i++) {
        /* a free slot */
    }

    sl[s].check = (uint32_t) i;
    ta_expect(m, size, GLOSSARY_AUTOLINK_ERR_AUTOMATON, "a free parent");
    TA_RESET();
    sl[s].base = (uint32_t) n - 2;
    ta_expect(m, size, GLOSSARY_AUTOLINK_ERR_AUTOMATON, "a state's labels "
              "past the end");
    TA_RESET();
    sl[s].base = 0xfffffff0u;
    ta_expect(m, size, GLOSSARY_AUTOLINK_ERR_AUTOMATON, "a base near 2^32");
    TA_RESET();
    p = sl[s].check & GLOSSARY_AUTOLINK_CHECK_MASK;
    sl[p].base = s;                 /* label 0 */
    ta_expect(m, size, GLOSSARY_AUTOLINK_ERR_AUTOMATON, "label 0");
    TA_RESET();
    sl[p].base = s + 1;             /* label "-1" */
    ta_expect(m, size, GLOSSARY_AUTOLINK_ERR_AUTOMATON, "a parent base past "
              "the child");

    /* random damage: never a crash, and a reason when refused */
    accepted = 0;

    for (i = 0; i < 3000; i++) {
        size_t  k, pos;

        TA_RESET();

        for (k = 0; k < 1 + ta_rand() % 4; k++) {
            if (i % 3 == 0) {
                pos = slots_off + ta_rand() % (size - slots_off);

            } else if (i % 3 == 1) {
                pos = ta_rand() % 1024;

            } else {
                pos = ta_rand() % size;
            }

            m[pos] = (unsigned char) ta_rand();
        }

        rc = ta_open_copy(m, size, &tmp);

        if (rc == GLOSSARY_AUTOLINK_OK) {
            accepted++;

        } else if (tmp.detail[0] == '\0') {
            break;
        }
    }

    ta_ok(i == 3000, "corrupt image: 3000 random damages, %zu accepted and "
          "used, every refusal explained", accepted);

    free(m);

#undef TA_RESET
}


/* html5lib: the same tree but for the inserted links */
static void
ta_html5(const char *python, const char *script)
{
    int          rc;
    char         dir[] = "/tmp/test-autolink-XXXXXX", path[4096], line[512];
    char        *page, *out;
    size_t       i, len;
    FILE        *f, *p;
    ta_out_t     o;
    unsigned     pages;

    if (mkdtemp(dir) == NULL) {
        ta_ok(0, "html5lib: cannot make a temporary directory");
        return;
    }

    pages = 0;

    for (i = 0; i <= TA_CASES; i++) {
        if (i < TA_CASES) {
            page = strdup(ta_cases[i].in);
            len = strlen(page);

        } else {
            ta_page(&page, &len, 1);
        }

        out = ta_rewrite(&ta_al[i < TA_CASES ? ta_cases[i].image : 0],
                         i < TA_CASES ? ta_cases[i].conf : TA_DEFAULT,
                         (const unsigned char *) page, len, NULL, 0, 1, &o);

        snprintf(path, sizeof(path), "%s/%03zu.in.html", dir, i);
        f = fopen(path, "wb");
        fwrite(page, 1, len, f);
        fclose(f);
        snprintf(path, sizeof(path), "%s/%03zu.out.html", dir, i);
        f = fopen(path, "wb");
        fwrite(out, 1, strlen(out), f);
        fclose(f);
        pages++;
        free(page);
        free(out);
    }

    snprintf(path, sizeof(path), "'%s' '%s' '%s'", python, script, dir);
    p = popen(path, "r");
    rc = 0;

    while (p != NULL && fgets(line, sizeof(line), p) != NULL) {
        line[strcspn(line, "\n")] = '\0';

        if (strncmp(line, "skip ", 5) == 0) {
            printf("ok %u # SKIP %s\n", ++ta_count, line + 5);
            rc = 1;
            break;
        }

        if (strncmp(line, "ok ", 3) == 0) {
            ta_ok(1, "html5lib: page %s parses to the same tree but for the "
                  "links", line + 3);
            rc++;

        } else if (strncmp(line, "not ok ", 7) == 0) {
            ta_ok(0, "html5lib: page %s", line + 7);
            rc++;

        } else {
            ta_diag("%s", line);
        }
    }

    if (p == NULL || pclose(p) != 0 || rc == 0) {
        ta_ok(0, "html5lib: the checker ran (%s)", path);
    }

    snprintf(path, sizeof(path), "rm -rf '%s'", dir);

    if (system(path) != 0) {
        ta_diag("cannot remove %s", dir);
    }
}


int
main(int argc, char **argv)
{
    const char  *python, *script;

    python = NULL;
    script = NULL;

    if (argc == 4 && strcmp(argv[1], "--html5") == 0) {
        python = argv[2];
        script = argv[3];

    } else if (argc == 3 && strcmp(argv[1], "--write-corpus") == 0) {
        ta_corpus = argv[2];
        mkdir(ta_corpus, 0777);

    } else if (argc != 1) {
        fprintf(stderr, "usage: %s [--html5 PYTHON SCRIPT | --write-corpus "
                "DIR]\n", argv[0]);
        return 2;
    }

    ta_setup();
    ta_cases_run();
    ta_pages();
    ta_api();
    ta_builder();
    ta_equivalence();
    ta_corrupt();

    if (python != NULL) {
        ta_html5(python, script);
    }

    printf("1..%u\n", ta_count);

    if (ta_failed) {
        ta_diag("%u of %u checks failed", ta_failed, ta_count);
    }

    return ta_failed ? 1 : 0;
}
