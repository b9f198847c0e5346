/*
 * glossaryc build -o OUT [options] INPUT...: reads the inputs into a model
 * (glossary_input.h) and builds the blob from it (glossary_build.h), with
 * a progress line on a terminal while large inputs are read.
 */

#include <errno.h>
#include <dirent.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "glossary_build.h"
#include "glossary_input.h"
#include "glossaryc.h"


/* a progress line only for inputs that take a while to read */
#define GLOSSARY_PROGRESS_BYTES  ((uint64_t) 4 << 20)
#define GLOSSARY_PROGRESS_FILES  100
#define GLOSSARY_PROGRESS_NSEC   100000000


typedef struct {
    int         on;
    int         drawn;
    size_t      files;
    size_t      files_total;
    uint64_t    bytes;
    uint64_t    bytes_total;
    uint64_t    last;
} glossary_progress_t;


static int glossary_build_args(int argc, char **argv,
    glossary_build_conf_t *conf, const char **inputs, int *ninputs);
static int glossary_parse_size(const char *arg, uint64_t *size);
static int glossary_parse_kinds(const char *arg, uint64_t *kinds);
static void glossary_progress_start(const char **inputs, int n, int quiet);
static void glossary_progress_scan(const char *path, unsigned depth);
static void glossary_progress_file(const char *path, size_t size,
    size_t terms, int done);
static void glossary_progress_message(void);
static void glossary_progress_draw(size_t terms, int force);
static void glossary_progress_rendering(size_t terms);
static void glossary_progress_done(void);
static uint64_t glossary_now_nsec(void);


static glossary_progress_t  glossary_progress;


/* a positive number of bytes from the environment, or 0 */
static size_t
glossary_env_size(const char *name)
{
    char                *end;
    const char          *v;
    unsigned long long   n;

    v = getenv(name);

    if (v == NULL || *v < '0' || *v > '9') {
        return 0;
    }

    errno = 0;
    n = strtoull(v, &end, 10);

    return (errno == 0 && *end == '\0' && n <= SIZE_MAX) ? (size_t) n : 0;
}


int
glossary_cmd_build(int argc, char **argv)
{
    int                    i, rc, ninputs;
    const char           **inputs;
    glossary_model_t       m;
    glossary_build_conf_t  conf;

    inputs = glossary_xmalloc((argc + 1) * sizeof(char *));

    rc = glossary_build_args(argc, argv, &conf, inputs, &ninputs);
    if (rc != GLOSSARY_EXIT_OK) {
        free(inputs);
        return rc;
    }

    /*
     * Each term's tree (a payload's: the file's) is freed once read: kept
     * in the heap rather than unmapped, the memory serves the next one
     * without being faulted in again.
     */
    mallopt(M_MMAP_THRESHOLD, 1 << 30);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);

    /* for the tests: the size of each read, the memory of the machine */
    glossary_input_chunk = glossary_env_size("GLOSSARYC_READ_CHUNK");
    glossary_input_memory_size = glossary_env_size("GLOSSARYC_MEMORY");

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


/* the options into conf, the INPUTs into inputs; the build time */
static int
glossary_build_args(int argc, char **argv, glossary_build_conf_t *conf,
    const char **inputs, int *ninputs)
{
    int          i, k, rc, options;
    char        *end;
    const char  *sde, *arg;

    memset(conf, 0, sizeof(glossary_build_conf_t));
    *ninputs = 0;
    options = 1;
    rc = GLOSSARY_EXIT_OK;

    for (i = 0; i < argc && rc == GLOSSARY_EXIT_OK; i++) {
        if (!options || argv[i][0] != '-' || argv[i][1] == '\0') {
            inputs[(*ninputs)++] = argv[i];

        } else if (strcmp(argv[i], "--") == 0) {
            options = 0;

        } else if (strcmp(argv[i], "-q") == 0
                   || strcmp(argv[i], "--quiet") == 0)
        {
            conf->quiet = 1;

        } else if (strcmp(argv[i], "--autolink") == 0) {
            conf->autolink = 1;

        } else if (strcmp(argv[i], "--autolink-accents") == 0) {
            conf->accents = 1;

        } else if (strcmp(argv[i], "-o") == 0
                   || strcmp(argv[i], "--output") == 0)
        {
            if (i + 1 == argc) {
                return glossary_usage_error("build: %s needs a file name",
                                            argv[i]);
            }

            conf->out = argv[++i];

        } else if (strncmp(argv[i], "--output=", 9) == 0) {
            conf->out = argv[i] + 9;

        } else if (strncmp(argv[i], "-o", 2) == 0) {
            conf->out = argv[i] + 2;

        } else if (strcmp(argv[i], "--max-size") == 0
                   || strncmp(argv[i], "--max-size=", 11) == 0)
        {
            if (argv[i][10] == '=') {
                arg = argv[i] + 11;

            } else if (i + 1 < argc) {
                arg = argv[++i];

            } else {
                return glossary_usage_error("build: %s needs a value",
                                            argv[i]);
            }

            if (glossary_parse_size(arg, &conf->max_size) != 0) {
                rc = glossary_usage_error("build: --max-size \"%s\" is not "
                                          "a size from 1 to 1t", arg);
            }

        } else if (strcmp(argv[i], "--kinds") == 0
                   || strncmp(argv[i], "--kinds=", 8) == 0)
        {
            if (argv[i][7] == '=') {
                arg = argv[i] + 8;

            } else if (i + 1 < argc) {
                arg = argv[++i];

            } else {
                return glossary_usage_error("build: %s needs a value",
                                            argv[i]);
            }

            if (glossary_parse_kinds(arg, &conf->doc_kinds) != 0) {
                rc = glossary_usage_error("build: --kinds \"%s\" is not a "
                                          "list of json, html and payload "
                                          "(comma-separated)", arg);
            }

        } else if (strcmp(argv[i], "--no-gzip") == 0) {
            conf->no_gzip = 1;
        } else if (strcmp(argv[i], "--no-search-index") == 0) {
            conf->no_fts = 1;

        } else if ((k = glossary_site_option(&conf->site, argv[i],
                                             argv[i + 1])) != 0)
        {
            if (k < 0) {
                return glossary_usage_error("build: %s needs a value",
                                            argv[i]);
            }

            i += k - 1;

        } else {
            rc = glossary_usage_error("build: unknown option \"%s\"",
                                      argv[i]);
        }
    }

    if (rc != GLOSSARY_EXIT_OK) {
        return rc;
    }

    if (conf->out == NULL || conf->out[0] == '\0') {
        return glossary_usage_error("build: -o OUT is required%s", "");
    }

    if (*ninputs == 0) {
        return glossary_usage_error("build: no INPUT given%s", "");
    }

    sde = getenv("SOURCE_DATE_EPOCH");

    if (sde == NULL) {
        conf->build_time = (uint64_t) time(NULL);
        return GLOSSARY_EXIT_OK;
    }

    errno = 0;
    conf->build_time = strtoull(sde, &end, 10);

    if (sde[0] < '0' || sde[0] > '9' || *end != '\0' || errno != 0) {
        return glossary_usage_error("SOURCE_DATE_EPOCH \"%s\" is not a "
                                    "number of seconds", sde);
    }

    return GLOSSARY_EXIT_OK;
}


/*
 * "N", "Nk", "Nm", "Ng" or "Nt" (KiB, MiB, GiB, TiB), from 1 to the
 * format's limit
 */
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
    case 't': case 'T':
        unit = (uint64_t) 1 << 40;
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


/*
 * "json,html,payload" or any of them, each once: the per-term kinds of the
 * groups named (glossary_kind_groups)
 */
static int
glossary_parse_kinds(const char *arg, uint64_t *kinds)
{
    size_t       len;
    uint32_t     g;
    uint64_t     seen;
    const char  *p, *end;

    seen = 0;
    *kinds = 0;

    for (p = arg; ; p = end + 1) {
        end = strchr(p, ',');
        len = end ? (size_t) (end - p) : strlen(p);

        for (g = 0; g < GLOSSARY_KIND_GROUPS; g++) {
            if (len == strlen(glossary_kind_groups[g].name)
                && memcmp(p, glossary_kind_groups[g].name, len) == 0)
            {
                break;
            }
        }

        if (g == GLOSSARY_KIND_GROUPS || (seen & ((uint64_t) 1 << g))) {
            return -1;
        }

        seen |= (uint64_t) 1 << g;
        *kinds |= glossary_kind_groups[g].kinds;

        if (end == NULL) {
            return 0;
        }
    }
}


/* the progress line: sizes, then draws at most every 100 ms */

static uint64_t
glossary_now_nsec(void)
{
    struct timespec  ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);

    return (uint64_t) ts.tv_sec * 1000000000 + (uint64_t) ts.tv_nsec;
}


/*
 * Only sizes the input for the "n/N files" of the line: the reader does
 * the real walk, and any disagreement (a file that changes meanwhile) only
 * makes the display approximate.
 */

static void
glossary_progress_scan(const char *path, unsigned depth)
{
    DIR            *dir;
    char           *p;
    size_t          plen;
    struct stat     st;
    struct dirent  *de;

    if (stat(path, &st) == -1) {
        return;
    }

    if (S_ISREG(st.st_mode)) {
        glossary_progress.files_total++;
        glossary_progress.bytes_total += (uint64_t) st.st_size;
        return;
    }

    if (!S_ISDIR(st.st_mode) || depth >= GLOSSARY_MAX_DIR_DEPTH) {
        return;
    }

    dir = opendir(path);
    if (dir == NULL) {
        return;
    }

    plen = strlen(path);

    while ((de = readdir(dir)) != NULL) {
        if (de->d_name[0] == '.') {
            continue;
        }

        p = glossary_xmalloc(plen + strlen(de->d_name) + 2);
        sprintf(p, "%s/%s", path, de->d_name);
        glossary_progress_scan(p, depth + 1);
        free(p);
    }

    closedir(dir);
}


static void
glossary_progress_start(const char **inputs, int n, int quiet)
{
    int  i;

    memset(&glossary_progress, 0, sizeof(glossary_progress_t));

    if (quiet || !isatty(STDERR_FILENO)) {
        return;
    }

    for (i = 0; i < n; i++) {
        glossary_progress_scan(inputs[i], 0);
    }

    if (glossary_progress.bytes_total < GLOSSARY_PROGRESS_BYTES
        && glossary_progress.files_total < GLOSSARY_PROGRESS_FILES)
    {
        return;
    }

    glossary_progress.on = 1;
    glossary_input_hooks.file_read = glossary_progress_file;
    glossary_error_hook = glossary_progress_message;

    glossary_progress_draw(0, 1);
}


static void
glossary_progress_draw(size_t terms, int force)
{
    uint64_t  now;

    now = glossary_now_nsec();

    if (!force && now - glossary_progress.last < GLOSSARY_PROGRESS_NSEC) {
        return;
    }

    glossary_progress.last = now;
    glossary_progress.drawn = 1;

    fprintf(stderr, "\rglossaryc: reading %zu/%zu files, %.1f/%.1f MB, "
            "%zu terms\033[K", glossary_progress.files,
            glossary_progress.files_total,
            (double) glossary_progress.bytes / 1e6,
            (double) glossary_progress.bytes_total / 1e6, terms);
    fflush(stderr);
}


static void
glossary_progress_file(const char *path, size_t size, size_t terms,
    int done)
{
    (void) path;

    glossary_progress.files += done;
    glossary_progress.bytes += size;

    glossary_progress_draw(terms, 0);
}


/* a message starts on a clean line, and the progress line comes back */

static void
glossary_progress_message(void)
{
    if (glossary_progress.drawn) {
        fputs("\r\033[K", stderr);
        glossary_progress.drawn = 0;
        glossary_progress.last = 0;
    }
}


static void
glossary_progress_rendering(size_t terms)
{
    if (!glossary_progress.on) {
        return;
    }

    fprintf(stderr, "\rglossaryc: read %zu files, %.1f MB, %zu terms; "
            "rendering\033[K", glossary_progress.files,
            (double) glossary_progress.bytes / 1e6, terms);
    fflush(stderr);

    glossary_progress.drawn = 1;
}


static void
glossary_progress_done(void)
{
    if (!glossary_progress.on) {
        return;
    }

    glossary_progress_message();

    glossary_progress.on = 0;
    glossary_input_hooks.file_read = NULL;
    glossary_error_hook = NULL;
}
