/*
 * glossaryc: compiles glossary sources into the blob that
 * ngx_http_glossary_module maps, and inspects blobs.
 *
 *   glossaryc build -o OUT [--quiet] INPUT...
 *   glossaryc verify FILE
 *   glossaryc info [--json] FILE
 *   glossaryc get [--etag] [--gzip] FILE SLUG [related]
 *   glossaryc diff [-q] OLD NEW
 */

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "glossary_blob.h"
#include "glossary_build.h"
#include "glossary_input.h"
#include "glossary_site.h"
#include "glossary_ops.h"
#include "glossary_version.h"


static int glossary_cmd_build(int argc, char **argv);
static int glossary_cmd_verify(int argc, char **argv);
static int glossary_cmd_info(int argc, char **argv);
static int glossary_load(glossary_file_blob_t *fb, const char *path);
static int glossary_parse_size(const char *arg, uint64_t *size);


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


/* "N", "Nk", "Nm" or "Ng" (KiB, MiB, GiB), from 1 to the format's limit */
static int
glossary_parse_size(const char *arg, uint64_t *size)
{
    uint64_t     n, unit;
    const char  *p;

    n = 0;

    for (p = arg; *p >= '0' && *p <= '9'; p++) {
        if (n > GLOSSARY_MAX_FILE_SIZE) {
            return -1;
        }

        n = n * 10 + (uint64_t) (*p - '0');
    }

    if (p == arg) {
        return -1;
    }

    switch (*p) {
    case '\0':
        unit = 1;
        break;
    case 'k': case 'K':
        unit = (uint64_t) 1 << 10;
        p++;
        break;
    case 'm': case 'M':
        unit = (uint64_t) 1 << 20;
        p++;
        break;
    case 'g': case 'G':
        unit = (uint64_t) 1 << 30;
        p++;
        break;
    default:
        return -1;
    }

    if (*p != '\0' || n == 0 || n > GLOSSARY_MAX_FILE_SIZE / unit) {
        return -1;
    }

    *size = n * unit;

    return 0;
}


int
glossary_usage_error(const char *fmt, const char *arg)
{
    fputs("glossaryc: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'glossaryc --help'.\n", stderr);

    return GLOSSARY_EXIT_USAGE;
}


static int
glossary_cmd_build(int argc, char **argv)
{
    int                    i, k, rc, ninputs, options;
    char                  *end;
    const char            *sde, *arg, **inputs;
    glossary_model_t       m;
    glossary_build_conf_t  conf;

    memset(&conf, 0, sizeof(glossary_build_conf_t));

    /*
     * Each input file is read whole and parsed into a tree, then both are
     * freed: kept in the heap rather than unmapped, the memory serves the
     * next file without being faulted in again.
     */
    mallopt(M_MMAP_THRESHOLD, 1 << 30);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);

    inputs = glossary_xmalloc((argc + 1) * sizeof(char *));
    ninputs = 0;
    options = 1;
    rc = GLOSSARY_EXIT_OK;

    for (i = 0; i < argc && rc == GLOSSARY_EXIT_OK; i++) {
        if (!options || argv[i][0] != '-' || argv[i][1] == '\0') {
            inputs[ninputs++] = argv[i];

        } else if (strcmp(argv[i], "--") == 0) {
            options = 0;

        } else if (strcmp(argv[i], "-q") == 0
                   || strcmp(argv[i], "--quiet") == 0)
        {
            conf.quiet = 1;

        } else if (strcmp(argv[i], "-o") == 0
                   || strcmp(argv[i], "--output") == 0)
        {
            if (i + 1 == argc) {
                rc = glossary_usage_error("build: %s needs a file name",
                                          argv[i]);
                break;
            }

            conf.out = argv[++i];

        } else if (strncmp(argv[i], "--output=", 9) == 0) {
            conf.out = argv[i] + 9;

        } else if (strncmp(argv[i], "-o", 2) == 0) {
            conf.out = argv[i] + 2;

        } else if (strcmp(argv[i], "--max-size") == 0
                   || strncmp(argv[i], "--max-size=", 11) == 0)
        {
            if (argv[i][10] == '=') {
                arg = argv[i] + 11;

            } else if (i + 1 < argc) {
                arg = argv[++i];

            } else {
                rc = glossary_usage_error("build: %s needs a value",
                                          argv[i]);
                break;
            }

            if (glossary_parse_size(arg, &conf.max_size) != 0) {
                rc = glossary_usage_error("build: --max-size \"%s\" is not "
                                          "a size from 1 to 16g", arg);
            }

        } else if ((k = glossary_site_option(&conf, argv[i],
                                             argv[i + 1])) != 0)
        {
            if (k < 0) {
                rc = glossary_usage_error("build: %s needs a value",
                                          argv[i]);
                break;
            }

            i += k - 1;

        } else {
            rc = glossary_usage_error("build: unknown option \"%s\"",
                                      argv[i]);
        }
    }

    if (rc == GLOSSARY_EXIT_OK && (conf.out == NULL || conf.out[0] == '\0')) {
        rc = glossary_usage_error("build: -o OUT is required%s", "");
    }

    if (rc == GLOSSARY_EXIT_OK && ninputs == 0) {
        rc = glossary_usage_error("build: no INPUT given%s", "");
    }

    sde = getenv("SOURCE_DATE_EPOCH");

    if (rc == GLOSSARY_EXIT_OK && sde != NULL) {
        errno = 0;
        conf.build_time = strtoull(sde, &end, 10);

        if (sde[0] < '0' || sde[0] > '9' || *end != '\0' || errno != 0) {
            rc = glossary_usage_error("SOURCE_DATE_EPOCH \"%s\" is not a "
                                      "number of seconds", sde);
        }

    } else {
        conf.build_time = (uint64_t) time(NULL);
    }

    if (rc != GLOSSARY_EXIT_OK) {
        free(inputs);
        return rc;
    }

    glossary_model_init(&m);
    glossary_progress_start(inputs, ninputs, conf.quiet);

    for (i = 0; i < ninputs && rc == GLOSSARY_EXIT_OK; i++) {
        rc = glossary_input_read(&m, inputs[i]);
    }

    /* the parse trees are gone: their memory back to the system */
    mallopt(M_MMAP_THRESHOLD, 4 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    malloc_trim(0);

    if (rc == GLOSSARY_EXIT_OK) {
        glossary_progress_rendering(m.nentries);
        rc = glossary_build(&m, &conf);
    }

    glossary_progress_done();

    glossary_model_free(&m);
    free(inputs);

    return rc;
}


static int
glossary_load(glossary_file_blob_t *fb, const char *path)
{
    int          fd;
    struct stat  st;

    memset(fb, 0, sizeof(glossary_file_blob_t));
    fb->path = path;

    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd == -1) {
        glossary_error("%s: %s", path, strerror(errno));
        return GLOSSARY_EXIT_IO;
    }

    if (fstat(fd, &st) == -1) {
        glossary_error("%s: fstat: %s", path, strerror(errno));
        close(fd);
        return GLOSSARY_EXIT_IO;
    }

    if (!S_ISREG(st.st_mode)) {
        glossary_error("%s: not a regular file", path);
        close(fd);
        return GLOSSARY_EXIT_IO;
    }

    fb->size = (size_t) st.st_size;

    /* mapped read-only, as the module maps it */
    if (fb->size > 0) {
        fb->map = mmap(NULL, fb->size, PROT_READ, MAP_PRIVATE, fd, 0);

        if (fb->map == MAP_FAILED) {
            fb->map = NULL;
            glossary_error("%s: mmap: %s", path, strerror(errno));
            close(fd);
            return GLOSSARY_EXIT_IO;
        }
    }

    close(fd);

    return GLOSSARY_EXIT_OK;
}


void
glossary_unload(glossary_file_blob_t *fb)
{
    if (fb->map != NULL) {
        munmap(fb->map, fb->size);
        fb->map = NULL;
    }
}


/* loads and validates; prints the reason when the blob is refused */
int
glossary_open(glossary_file_blob_t *fb, const char *path)
{
    return glossary_open_flags(fb, path, 0);
}


int
glossary_open_flags(glossary_file_blob_t *fb, const char *path,
    unsigned flags)
{
    int                rc;
    static uint64_t    empty;
    glossary_status_t  st;

    rc = glossary_load(fb, path);
    if (rc != GLOSSARY_EXIT_OK) {
        return rc;
    }

    st = glossary_blob_open_flags(&fb->blob,
                                  fb->map ? fb->map : (void *) &empty,
                                  fb->size, flags);

    if (st != GLOSSARY_OK) {
        fprintf(stderr, "%s: %s: %s\n", path, glossary_blob_strerror(st),
                fb->blob.detail);
        glossary_unload(fb);
        return GLOSSARY_EXIT_DATA;
    }

    return GLOSSARY_EXIT_OK;
}


static int
glossary_cmd_verify(int argc, char **argv)
{
    int                   rc;
    glossary_file_blob_t  fb;

    if (argc != 1) {
        return glossary_usage_error("verify takes one FILE%s", "");
    }

    /* the chunk hashes too: what verifies opens lazily as well */
    rc = glossary_open_flags(&fb, argv[0], GLOSSARY_OPEN_DEEP);
    if (rc != GLOSSARY_EXIT_OK) {
        return rc;
    }

    printf("%s: ok (%u terms, build %s)\n", argv[0],
           (unsigned) fb.blob.term_count, fb.blob.build_id);

    glossary_unload(&fb);

    return GLOSSARY_EXIT_OK;
}


static int
glossary_cmd_info(int argc, char **argv)
{
    int                        rc;
    char                       when[32];
    time_t                     t;
    uint32_t                   i;
    struct tm                  tm;
    const glossary_header_t   *h;
    const glossary_section_t  *s;
    glossary_file_blob_t       fb;

    if (argc == 2 && strcmp(argv[0], "--json") == 0) {
        return glossary_info_json(argv[1]);
    }

    if (argc != 1) {
        return glossary_usage_error("info takes [--json] FILE%s", "");
    }

    rc = glossary_open(&fb, argv[0]);
    if (rc != GLOSSARY_EXIT_OK) {
        return rc;
    }

    h = fb.blob.header;

    t = (time_t) h->build_time;
    if (gmtime_r(&t, &tm) == NULL
        || strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
    {
        snprintf(when, sizeof(when), "?");
    }

    printf("file:          %s\n", argv[0]);
    printf("format:        %u.%u\n", (unsigned) h->version_major,
           (unsigned) h->version_minor);
    printf("build id:      %s\n", fb.blob.build_id);
    printf("checksum:      0x%016llx\n", (unsigned long long) h->checksum);
    printf("build time:    %s (%llu)\n", when,
           (unsigned long long) h->build_time);
    printf("file size:     %llu\n", (unsigned long long) h->file_size);
    printf("terms:         %u\n", (unsigned) h->term_count);
    printf("docs per term: %u\n", (unsigned) h->docs_per_term);
    printf("global docs:   %u\n", (unsigned) h->global_docs);
    printf("related:       %u\n", (unsigned) fb.blob.related_count);
    printf("hash buckets:  %u\n", (unsigned) fb.blob.hash->bucket_count);
    if (fb.blob.chunk_hashes != NULL) {
        printf("chunks:        %llu of %llu bytes, eager %llu bytes\n",
               (unsigned long long) fb.blob.chunk_count,
               (unsigned long long) 1 << fb.blob.chunk_shift,
               (unsigned long long) fb.blob.eager_size);
    }

    printf("sections:      %u\n", (unsigned) h->section_count);
    printf("  %-3s %-12s %12s %12s\n", "id", "name", "offset", "size");

    s = (const glossary_section_t *) (fb.blob.base + h->section_table);

    for (i = 0; i < h->section_count; i++) {
        printf("  %-3u %-12s %12llu %12llu\n", (unsigned) s[i].id,
               glossary_blob_section_name(s[i].id),
               (unsigned long long) s[i].offset,
               (unsigned long long) s[i].size);
    }

    glossary_unload(&fb);

    if (fflush(stdout) != 0 || ferror(stdout)) {
        glossary_error("stdout: %s", strerror(errno));
        return GLOSSARY_EXIT_IO;
    }

    return GLOSSARY_EXIT_OK;
}
