/*
 * glossaryc: compiles glossary sources into the blob that
 * ngx_http_glossary_module maps, and inspects blobs.  Here: main, the
 * usage text and the dispatch; the commands are in glossaryc_build.c,
 * glossaryc_verify.c, glossaryc_info.c and glossaryc_diff.c.
 *
 *   glossaryc build -o OUT [--quiet] INPUT...
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


static int glossary_cmd_get(int argc, char **argv);


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
"        --max-size SIZE   refuse a blob larger than SIZE bytes (suffix k,\n"
"                          m or g: KiB, MiB, GiB), stopping as soon as\n"
"                          the documents pass it; at most and by default\n"
"                          16g, the format's limit\n"
"  verify FILE\n"
"        run the check nginx runs when it loads FILE, and check the\n"
"        hash of every chunk that verify=lazy checks at first use\n"
"  info [--json] FILE\n"
"        verify FILE, then print its header and section table; --json\n"
"        prints them as one JSON object, with the field names of the\n"
"        module's glossary_status\n"
"  get [--etag] [--gzip] [--html] FILE SLUG [related]\n"
"        print the body the module sends for SLUG (or SLUG/related);\n"
"        SLUG '' or --index prints the index; --etag prints the ETag\n"
"        instead, --gzip selects the gzip variant, --html the HTML\n"
"        format.  SLUG may also be a route below the prefix:\n"
"        SLUG/_payload.json, sitemap.xml, category/, category/NAME,\n"
"        search (the page; bytes 1 and 2 mark the query and results),\n"
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
"\n"
"a term: slug, term (required non-empty strings); shortDefinition,\n"
"seoTitle, seoDescription, explanation, category (strings or null);\n"
"relatedTerms [{slug, name}], faq [{question, answer}].  Other fields are\n"
"ignored.  Slugs must match [a-z0-9]+(-[a-z0-9]+)*, at most 128 bytes.\n"
"\n"
"environment:\n"
"  SOURCE_DATE_EPOCH     build time to record instead of the current time\n"
"                        (the same inputs then give a byte-identical blob)\n"
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


/*
 * The 1.1 documents by route below the prefix: SLUG/_payload.json,
 * sitemap.xml, category/, category/SLUG, search (the page, its markers
 * as bytes 1 and 2), and the fragments #search-json/SLUG,
 * #search-html/SLUG, #not-found, #search-empty.  Returns 0 when path is
 * none of these; else sets *doc (NULL with *rc set when done or failed).
 */
static int
glossary_get_page(glossary_file_blob_t *fb, const char *path, int html,
    const glossary_doc_t **doc, int *rc)
{
    size_t                      len;
    uint32_t                    i, id, kind;
    const char                 *slug, *sep;
    const glossary_blob_t      *b;
    const glossary_segment_t   *g;
    const glossary_category_t  *c;

    static const char  *globals[] = {
        "sitemap.xml", "#not-found", "#search-empty", "category/", NULL
    };
    static const uint32_t  global_kinds[] = {
        GLOSSARY_GLOBAL_SITEMAP, GLOSSARY_GLOBAL_NOT_FOUND_HTML,
        GLOSSARY_GLOBAL_SEARCH_EMPTY_HTML, GLOSSARY_GLOBAL_CATEGORIES_JSON
    };

    b = &fb->blob;
    *doc = NULL;
    *rc = GLOSSARY_EXIT_DATA;

    for (i = 0; globals[i] != NULL; i++) {
        if (strcmp(path, globals[i]) == 0) {
            kind = global_kinds[i];

            if (kind == GLOSSARY_GLOBAL_CATEGORIES_JSON && html) {
                kind = GLOSSARY_GLOBAL_CATEGORIES_HTML;
            }

            *doc = glossary_blob_global(b, kind);

            if (*doc == NULL) {
                glossary_error("%s: the blob has no such document", fb->path);
            }

            return 1;
        }
    }

    if (strcmp(path, "search") == 0) {
        if (b->search_page_count == 0) {
            glossary_error("%s: the blob has no search page", fb->path);
            return 1;
        }

        for (i = 0; i < b->search_page_count; i++) {
            g = &b->search_page[i];

            if (g->kind == GLOSSARY_SEGMENT_TEXT) {
                fwrite(glossary_blob_ptr(b, g->text), 1, g->text.len,
                       stdout);

            } else {
                putchar(g->kind == GLOSSARY_SEGMENT_QUERY ? 1 : 2);
            }
        }

        *rc = fflush(stdout) == 0 ? GLOSSARY_EXIT_OK : GLOSSARY_EXIT_IO;

        return 1;
    }

    if (strncmp(path, "category/", 9) == 0) {
        c = glossary_blob_category(b, (const unsigned char *) path + 9,
                                   strlen(path + 9));

        if (c == NULL) {
            glossary_error("%s: no category \"%s\"", fb->path, path + 9);
            return 1;
        }

        *doc = html ? &c->html : &c->json;

        return 1;
    }

    kind = GLOSSARY_NO_TERM;
    slug = path;
    len = strlen(path);
    sep = strchr(path, '/');

    if (sep != NULL && strcmp(sep, "/_payload.json") == 0) {
        kind = GLOSSARY_DOC_PAYLOAD;
        len = sep - path;

    } else if (strncmp(path, "#search-json/", 13) == 0) {
        kind = GLOSSARY_DOC_SEARCH_JSON;
        slug = path + 13;
        len = strlen(slug);

    } else if (strncmp(path, "#search-html/", 13) == 0) {
        kind = GLOSSARY_DOC_SEARCH_HTML;
        slug = path + 13;
        len = strlen(slug);
    }

    if (kind == GLOSSARY_NO_TERM) {
        return 0;
    }

    id = glossary_blob_lookup(b, (const unsigned char *) slug, len);

    if (id == GLOSSARY_NO_TERM) {
        glossary_error("%s: no term \"%.*s\"", fb->path, (int) len, slug);
        return 1;
    }

    *doc = glossary_blob_doc(b, id, kind);

    if (*doc == NULL) {
        glossary_error("%s: the blob has no such document", fb->path);
    }

    return 1;
}


static int
glossary_cmd_get(int argc, char **argv)
{
    int                    rc, etag, gzip, index, html;
    size_t                 len;
    uint32_t               id, kind;
    const char            *file, *slug;
    glossary_ref_t         ref;
    glossary_file_blob_t   fb;
    const glossary_doc_t  *doc;

    etag = 0;
    gzip = 0;
    html = 0;

    for ( ;; ) {
        if (argc > 0 && strcmp(argv[0], "--etag") == 0) {
            etag = 1;

        } else if (argc > 0 && strcmp(argv[0], "--gzip") == 0) {
            gzip = 1;

        } else if (argc > 0 && strcmp(argv[0], "--html") == 0) {
            html = 1;

        } else {
            break;
        }

        argc--;
        argv++;
    }

    if (argc < 2 || argc > 3) {
        return glossary_usage_error("get takes FILE SLUG [related]%s", "");
    }

    file = argv[0];
    slug = argv[1];
    index = (slug[0] == '\0' || strcmp(slug, "--index") == 0);
    kind = GLOSSARY_DOC_TERM_JSON;

    if (argc == 3) {
        if (index || strcmp(argv[2], "related") != 0) {
            return glossary_usage_error("get: unknown document \"%s\"",
                                        argv[2]);
        }

        kind = GLOSSARY_DOC_RELATED_JSON;
    }

    rc = glossary_open(&fb, file);
    if (rc != GLOSSARY_EXIT_OK) {
        return rc;
    }

    if (argc == 2 && !index && glossary_get_page(&fb, slug, html, &doc, &rc))
    {
        if (doc == NULL) {
            glossary_unload(&fb);
            return rc;
        }

    } else if (index) {
        doc = glossary_blob_global(&fb.blob,
                                   html ? GLOSSARY_GLOBAL_INDEX_HTML
                                        : GLOSSARY_GLOBAL_INDEX_JSON);

    } else {
        id = glossary_blob_lookup(&fb.blob, (const unsigned char *) slug,
                                  strlen(slug));

        if (id == GLOSSARY_NO_TERM) {
            glossary_error("%s: no term \"%s\"", file, slug);
            glossary_unload(&fb);
            return GLOSSARY_EXIT_DATA;
        }

        doc = glossary_blob_doc(&fb.blob, id,
                                kind == GLOSSARY_DOC_TERM_JSON && html
                                ? GLOSSARY_DOC_TERM_HTML : kind);
    }

    if (doc == NULL) {
        glossary_error("%s: the blob has no such document", file);
        glossary_unload(&fb);
        return GLOSSARY_EXIT_DATA;
    }

    if (gzip && doc->gzip_body.len == 0) {
        glossary_error("%s: the document has no gzip variant", file);
        glossary_unload(&fb);
        return GLOSSARY_EXIT_DATA;
    }

    if (etag) {
        ref = gzip ? doc->gzip_etag : doc->etag;

    } else {
        ref = gzip ? doc->gzip_body : doc->body;
    }

    len = (size_t) ref.len;

    rc = GLOSSARY_EXIT_OK;

    if ((len && fwrite(glossary_blob_ptr(&fb.blob, ref), 1, len, stdout)
                != len)
        || (etag && putchar('\n') == EOF)
        || fflush(stdout) != 0)
    {
        glossary_error("stdout: %s", strerror(errno));
        rc = GLOSSARY_EXIT_IO;
    }

    glossary_unload(&fb);

    return rc;
}
