/*
 * glossaryc: compiles glossary sources into the blob that
 * ngx_http_glossary_module maps, and inspects blobs.  Here: main, the
 * usage text and the dispatch; the commands are in glossaryc_build.c,
 * glossaryc_verify.c, glossaryc_info.c, glossaryc_get.c and glossaryc_diff.c.
 *
 *   glossaryc build -o OUT [--quiet] [--kinds LIST] [--no-gzip] [--autolink]
 *                   INPUT...
 *   glossaryc verify FILE
 *   glossaryc info [--json] FILE
 *   glossaryc get [--etag] [--gzip] FILE SLUG [related]
 *   glossaryc diff [-q] OLD NEW
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "glossary_blob.h"
#include "glossary_version.h"
#include "glossaryc.h"


static const char  glossary_help[] =
"usage: glossaryc COMMAND [ARGS]\n"
"\n"
"Compiles glossary sources into the blob served by ngx_http_glossary_module\n"
"and inspects blobs.\n"
"\n"
"commands:\n"
"  build -o OUT [--quiet] INPUT...\n"
"        read every INPUT (a file, or a directory: recursed, files in name\n"
"        order, names starting with \".\" skipped), check the terms, render\n"
"        all documents and replace OUT atomically (temporary file in OUT's\n"
"        directory, fsync, rename).  OUT is left untouched on any error.\n"
"        -o, --output OUT  the blob to write (required)\n"
"        -q, --quiet       no summary and no dangling-reference note\n"
"        --base-url URL    absolute http(s) URL of the location prefix:\n"
"                          canonical links, og:url, JSON-LD, sitemap\n"
"        --lang TAG        <html lang> of the pages (en)\n"
"        --site-name NAME  the site's name in pages (Glossary)\n"
"        --template FILE   page template (README.md, \"Templates\")\n"
"        --kinds LIST      the kinds of documents to build, comma-separated:\n"
"                          json (the JSON API: terms, related terms,\n"
"                          index, categories, search), html (the pages,\n"
"                          sitemap and search page), payload (the Nuxt\n"
"                          payloads); by default all three.  The module\n"
"                          answers the routes of a kind left out with 404\n"
"        --no-gzip         no pre-compressed gzip variants\n"
"        --max-size SIZE   refuse a blob larger than SIZE bytes (suffix k,\n"
"                          m, g or t: KiB, MiB, GiB, TiB), stopping as\n"
"                          soon as the documents pass it; at most and by\n"
"                          default 1t, the format's limit\n"
"        --autolink        link the terms named in each term page's\n"
"                          explanation and FAQ answers to their pages (as\n"
"                          the glossary_autolink filter links any page;\n"
"                          a page never links its own term)\n"
"        --autolink-accents  the automaton ignores accents: \"cafe\"\n"
"                          matches \"café\" (glossary_autolink and\n"
"                          --autolink); case is always ignored\n"
"        --no-search-index no full-text search index: the search route\n"
"                          is a prefix search over names and slugs\n"
"  verify FILE\n"
"        run the check nginx runs when it loads FILE, and check the\n"
"        hash of every chunk that verify=lazy checks at first use; the\n"
"        file is read a window at a time (so are build's, info's, get's\n"
"        and diff's): memory grows with the terms, not with the file\n"
"  info [--json] FILE\n"
"        verify FILE, then print its header, the kinds of documents it\n"
"        holds with their counts and bytes, and its section table;\n"
"        --json prints them as one JSON object, with the field names of\n"
"        the module's glossary_status\n"
"  get [--etag] [--gzip] [--html] FILE SLUG [related]\n"
"        print the body the module sends for SLUG (or SLUG/related);\n"
"        SLUG '' or --index prints the index; --etag prints the ETag\n"
"        instead, --gzip selects the gzip variant, --html the HTML\n"
"        format.  SLUG may also be a route below the prefix:\n"
"        SLUG/_payload.json, sitemap.xml, _category/, _category/NAME,\n"
"        _search (the page; bytes 1 and 2 mark the query and results),\n"
"        or a fragment: #search-json/SLUG, #search-html/SLUG,\n"
"        #not-found, #search-empty\n"
"  diff [-q] OLD NEW\n"
"        what serving NEW instead of OLD changes: one line per term,\n"
"        \"+ slug\" added, \"- slug\" removed, \"~ slug\" changed (a\n"
"        document of the term has another ETag), then a summary; -q\n"
"        prints nothing.  Exit status as diff(1): 0 same documents,\n"
"        1 different, 2 trouble (usage, unreadable or invalid blob)\n"
"  help  this text\n"
"  --version\n"
"\n"
"input forms, decided per file:\n"
"  *.jsonl, *.ndjson     JSON Lines: one term object per non-blank line\n"
"  otherwise the file is parsed as JSON and is:\n"
"  - a Nuxt payload (devalue): a top-level array whose element 0 is an\n"
"    object whose values are all integers, like {\"data\":1,...}; every\n"
"    object in it with both \"slug\" and \"term\" is a term\n"
"  - an array of term objects\n"
"  - an object with a \"terms\" array (and no \"slug\" or \"term\")\n"
"  - otherwise an object: one term\n"
"files of any size are read as streams, a term at a time; a payload is\n"
"kept whole (its references reach anywhere), within half of the memory.\n"
"\n"
"a term: slug, term (required strings); shortDefinition, seoTitle,\n"
"seoDescription, explanation, category (strings or null); relatedTerms\n"
"[{slug, name}], faq [{question, answer}] (all four required); aliases\n"
"[string]: other names the autolinker links to the term (at most 64,\n"
"each 1 to 256 bytes; not shown in any document).  Other fields are\n"
"ignored.  Slugs must match [a-z0-9]+(-[a-z0-9]+)*, at most 128 bytes.\n"
"A term, name or question must not be blank: only white space, controls\n"
"and invisible characters (Unicode White_Space, Cc and\n"
"Default_Ignorable_Code_Point).\n"
"\n"
"environment:\n"
"  SOURCE_DATE_EPOCH     build time to record instead of the current time\n"
"                        (the same inputs then give a byte-identical blob)\n"
"  TMPDIR                where build keeps a kind's gzip variants while its\n"
"                        bodies are written (an unlinked file; /tmp)\n"
"\n"
"exit status:\n"
"  0  success\n"
"  1  invalid input (messages are FILE:LINE:COLUMN: ...), a blob that does\n"
"     not verify, or an unknown slug\n"
"  2  usage error\n"
"  3  I/O or system error\n";


int
main(int argc, char **argv)
{
    const char  *cmd;

    if (argc < 2) {
        fputs(glossary_help, stderr);
        return GLOSSARY_EXIT_USAGE;
    }

    cmd = argv[1];

    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0
        || strcmp(cmd, "help") == 0)
    {
        fputs(glossary_help, stdout);
        return GLOSSARY_EXIT_OK;
    }

    if (strcmp(cmd, "--version") == 0) {
        printf("glossaryc %s (blob format %d.%d)\n", GLOSSARY_RELEASE,
               GLOSSARY_VERSION_MAJOR, GLOSSARY_VERSION_MINOR);
        return GLOSSARY_EXIT_OK;
    }

    if (strcmp(cmd, "build") == 0) {
        return glossary_cmd_build(argc - 2, argv + 2);
    }

    if (strcmp(cmd, "verify") == 0) {
        return glossary_cmd_verify(argc - 2, argv + 2);
    }

    if (strcmp(cmd, "info") == 0) {
        return glossary_cmd_info(argc - 2, argv + 2);
    }

    if (strcmp(cmd, "get") == 0) {
        return glossary_cmd_get(argc - 2, argv + 2);
    }

    if (strcmp(cmd, "diff") == 0) {
        return glossary_cmd_diff(argc - 2, argv + 2);
    }

    return glossary_usage_error("unknown command \"%s\"", cmd);
}
