/*
 * glossaryc's operator commands: what a blob is (info --json), what a
 * reload to another blob changes (diff), and the progress line of build.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <yajl/yajl_gen.h>

#include "glossary_blob.h"
#include "glossary_input.h"
#include "glossary_ops.h"


/* diff(1)'s statuses, not glossaryc's: 2 is any trouble */
#define GLOSSARY_DIFF_SAME       0
#define GLOSSARY_DIFF_DIFFERENT  1
#define GLOSSARY_DIFF_TROUBLE    2

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


static const char *glossary_global_name(uint32_t kind);
static void glossary_iso_time(uint64_t t, char *buf, size_t size);
static int glossary_gen_str(yajl_gen g, const char *s);
static int glossary_gen_kv_str(yajl_gen g, const char *k, const char *v);
static int glossary_gen_kv_int(yajl_gen g, const char *k, long long v);
static int glossary_ref_eq(const glossary_blob_t *a, glossary_ref_t ra,
    const glossary_blob_t *b, glossary_ref_t rb);
static int glossary_ref_cmp(const glossary_blob_t *a, glossary_ref_t ra,
    const glossary_blob_t *b, glossary_ref_t rb);
static int glossary_term_changed(const glossary_blob_t *a, uint32_t ia,
    const glossary_blob_t *b, uint32_t ib);
static void glossary_diff_head(const char *mark, glossary_file_blob_t *fb);
static void glossary_progress_scan(const char *path, unsigned depth);
static void glossary_progress_file(const char *path, size_t size,
    size_t terms);
static void glossary_progress_message(void);
static void glossary_progress_draw(size_t terms, int force);
static uint64_t glossary_now_nsec(void);


static glossary_progress_t  glossary_progress;


static const char *
glossary_global_name(uint32_t kind)
{
    static const char  *names[] = {
        "index", "html index", "sitemap", "html 404 page",
        "html empty search", "categories", "html categories"
    };

    return kind < GLOSSARY_GLOBAL_DOCS_V1_1 ? names[kind] : "unknown";
}


static void
glossary_iso_time(uint64_t t, char *buf, size_t size)
{
    time_t     tt;
    struct tm  tm;

    tt = (time_t) t;

    if (gmtime_r(&tt, &tm) == NULL
        || strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
    {
        snprintf(buf, size, "?");
    }
}


/* info --json */

static int
glossary_gen_str(yajl_gen g, const char *s)
{
    return yajl_gen_string(g, (const unsigned char *) s, strlen(s))
           != yajl_gen_status_ok;
}


static int
glossary_gen_kv_str(yajl_gen g, const char *k, const char *v)
{
    return glossary_gen_str(g, k) || glossary_gen_str(g, v);
}


static int
glossary_gen_kv_int(yajl_gen g, const char *k, long long v)
{
    return glossary_gen_str(g, k)
           || yajl_gen_integer(g, v) != yajl_gen_status_ok;
}


int
glossary_info_json(const char *path)
{
    int                        rc, err;
    char                       when[32], version[16], checksum[32];
    size_t                     len;
    uint32_t                   i;
    yajl_gen                   g;
    const unsigned char       *out;
    const glossary_header_t   *h;
    const glossary_section_t  *s;
    glossary_file_blob_t       fb;

    rc = glossary_open(&fb, path);
    if (rc != GLOSSARY_EXIT_OK) {
        return rc;
    }

    h = fb.blob.header;

    glossary_iso_time(h->build_time, when, sizeof(when));
    snprintf(version, sizeof(version), "%u.%u", (unsigned) h->version_major,
             (unsigned) h->version_minor);
    snprintf(checksum, sizeof(checksum), "xxh3:%s", fb.blob.build_id);

    g = yajl_gen_alloc(NULL);
    if (g == NULL) {
        glossary_error("out of memory");
        glossary_unload(&fb);
        return GLOSSARY_EXIT_IO;
    }

    yajl_gen_config(g, yajl_gen_validate_utf8, 1);

    /* the names of glossary_status's fields, so the two compare directly */
    err = yajl_gen_map_open(g) != yajl_gen_status_ok
          || glossary_gen_kv_str(g, "path", path)
          || glossary_gen_kv_str(g, "build", fb.blob.build_id)
          || glossary_gen_kv_str(g, "checksum", checksum)
          || glossary_gen_kv_str(g, "version", version)
          || glossary_gen_kv_int(g, "terms", h->term_count)
          || glossary_gen_kv_int(g, "bytes", (long long) h->file_size)
          || glossary_gen_kv_str(g, "build_time", when)
          || glossary_gen_kv_int(g, "build_time_epoch",
                                 (long long) h->build_time)
          || glossary_gen_kv_int(g, "chunks",
                                 (long long) fb.blob.chunk_count)
          || glossary_gen_kv_int(g, "docs_per_term", h->docs_per_term)
          || glossary_gen_kv_int(g, "global_docs", h->global_docs)
          || glossary_gen_kv_int(g, "related", fb.blob.related_count)
          || glossary_gen_kv_int(g, "categories", fb.blob.category_count)
          || glossary_gen_kv_int(g, "hash_buckets",
                                 fb.blob.hash->bucket_count)
          || glossary_gen_str(g, "sections")
          || yajl_gen_array_open(g) != yajl_gen_status_ok;

    s = (const glossary_section_t *) (fb.blob.base + h->section_table);

    for (i = 0; !err && i < h->section_count; i++) {
        err = yajl_gen_map_open(g) != yajl_gen_status_ok
              || glossary_gen_kv_int(g, "id", s[i].id)
              || glossary_gen_kv_str(g, "name",
                                     glossary_blob_section_name(s[i].id))
              || glossary_gen_kv_int(g, "offset", (long long) s[i].offset)
              || glossary_gen_kv_int(g, "size", (long long) s[i].size)
              || yajl_gen_map_close(g) != yajl_gen_status_ok;
    }

    err = err
          || yajl_gen_array_close(g) != yajl_gen_status_ok
          || yajl_gen_map_close(g) != yajl_gen_status_ok
          || yajl_gen_get_buf(g, &out, &len) != yajl_gen_status_ok;

    rc = GLOSSARY_EXIT_OK;

    if (err) {
        /* the only input that can fail is the path itself */
        glossary_error("%s: cannot write as JSON (not UTF-8?)", path);
        rc = GLOSSARY_EXIT_DATA;

    } else if (fwrite(out, 1, len, stdout) != len
               || putchar('\n') == EOF
               || fflush(stdout) != 0)
    {
        glossary_error("stdout: %s", strerror(errno));
        rc = GLOSSARY_EXIT_IO;
    }

    yajl_gen_free(g);
    glossary_unload(&fb);

    return rc;
}


/* diff OLD NEW */

static int
glossary_ref_cmp(const glossary_blob_t *a, glossary_ref_t ra,
    const glossary_blob_t *b, glossary_ref_t rb)
{
    int     c;
    size_t  n;

    n = ra.len < rb.len ? (size_t) ra.len : (size_t) rb.len;

    c = n ? memcmp(glossary_blob_ptr(a, ra), glossary_blob_ptr(b, rb), n) : 0;

    if (c != 0) {
        return c;
    }

    return ra.len < rb.len ? -1 : ra.len > rb.len;
}


static int
glossary_ref_eq(const glossary_blob_t *a, glossary_ref_t ra,
    const glossary_blob_t *b, glossary_ref_t rb)
{
    return glossary_ref_cmp(a, ra, b, rb) == 0;
}


/*
 * A term changed when any document both blobs serve for it has another
 * ETag, i.e. another body.  A term's JSON embeds the names and short
 * definitions of its related terms, so editing one term can change
 * another: that is what a client would see.
 */

static int
glossary_term_changed(const glossary_blob_t *a, uint32_t ia,
    const glossary_blob_t *b, uint32_t ib)
{
    uint32_t               k, kinds;
    const glossary_doc_t  *da, *db;

    kinds = a->docs_per_term < b->docs_per_term ? a->docs_per_term
                                                : b->docs_per_term;

    for (k = 0; k < kinds; k++) {
        da = glossary_blob_doc(a, ia, k);
        db = glossary_blob_doc(b, ib, k);

        if (da == NULL || db == NULL) {
            continue;
        }

        if (!glossary_ref_eq(a, da->etag, b, db->etag)) {
            return 1;
        }
    }

    return 0;
}


static void
glossary_diff_head(const char *mark, glossary_file_blob_t *fb)
{
    char  when[32];

    glossary_iso_time(fb->blob.header->build_time, when, sizeof(when));

    printf("%s %s\tbuild %s, %u terms, built %s\n", mark, fb->path,
           fb->blob.build_id, (unsigned) fb->blob.term_count, when);
}


int
glossary_cmd_diff(int argc, char **argv)
{
    int                     quiet, rc, c;
    size_t                  added, removed, changed, same, globals;
    uint64_t                which;
    uint32_t                i, j, k, kinds;
    glossary_file_blob_t    fa, fb;
    const glossary_doc_t   *da, *db;
    const glossary_blob_t  *a, *b;

    quiet = 0;

    while (argc > 0 && argv[0][0] == '-' && argv[0][1] != '\0') {
        if (strcmp(argv[0], "-q") == 0 || strcmp(argv[0], "--quiet") == 0) {
            quiet = 1;

        } else if (strcmp(argv[0], "--") == 0) {
            argc--;
            argv++;
            break;

        } else {
            glossary_error("diff: unknown option \"%s\"\n"
                           "Try 'glossaryc --help'.", argv[0]);
            return GLOSSARY_DIFF_TROUBLE;
        }

        argc--;
        argv++;
    }

    if (argc != 2) {
        glossary_error("diff takes OLD NEW\nTry 'glossaryc --help'.");
        return GLOSSARY_DIFF_TROUBLE;
    }

    if (glossary_open(&fa, argv[0]) != GLOSSARY_EXIT_OK) {
        return GLOSSARY_DIFF_TROUBLE;
    }

    if (glossary_open(&fb, argv[1]) != GLOSSARY_EXIT_OK) {
        glossary_unload(&fa);
        return GLOSSARY_DIFF_TROUBLE;
    }

    a = &fa.blob;
    b = &fb.blob;

    if (!quiet) {
        glossary_diff_head("---", &fa);
        glossary_diff_head("+++", &fb);
    }

    added = 0;
    removed = 0;
    changed = 0;
    same = 0;

    /* both TERMS sections are sorted by slug: one merge pass */

    i = 0;
    j = 0;

    while (i < a->term_count || j < b->term_count) {

        if (i == a->term_count) {
            c = 1;

        } else if (j == b->term_count) {
            c = -1;

        } else {
            c = glossary_ref_cmp(a, a->terms[i].slug, b, b->terms[j].slug);
        }

        if (c < 0) {
            removed++;
            if (!quiet) {
                printf("- %.*s\n", (int) a->terms[i].slug.len,
                       (const char *) glossary_blob_ptr(a, a->terms[i].slug));
            }
            i++;

        } else if (c > 0) {
            added++;
            if (!quiet) {
                printf("+ %.*s\n", (int) b->terms[j].slug.len,
                       (const char *) glossary_blob_ptr(b, b->terms[j].slug));
            }
            j++;

        } else {
            if (glossary_term_changed(a, i, b, j)) {
                changed++;
                if (!quiet) {
                    printf("~ %.*s\n", (int) b->terms[j].slug.len,
                           (const char *) glossary_blob_ptr(b,
                                                      b->terms[j].slug));
                }

            } else {
                same++;
            }

            i++;
            j++;
        }
    }

    /* documents not tied to a term: the index, and 1.1's global pages */

    kinds = a->global_docs > b->global_docs ? a->global_docs : b->global_docs;
    globals = 0;
    which = 0;

    for (k = 0; k < kinds; k++) {
        da = glossary_blob_global(a, k);
        db = glossary_blob_global(b, k);

        if (da == NULL || db == NULL
            || !glossary_ref_eq(a, da->etag, b, db->etag))
        {
            globals++;
            which |= (uint64_t) 1 << k;
        }
    }

    rc = (added || removed || changed || globals
          || a->docs_per_term != b->docs_per_term)
         ? GLOSSARY_DIFF_DIFFERENT : GLOSSARY_DIFF_SAME;

    if (!quiet) {
        printf("%zu added, %zu removed, %zu changed, %zu unchanged",
               added, removed, changed, same);

        if (globals) {
            fputs("; also changed:", stdout);

            for (k = 0; k < kinds; k++) {
                if (which & ((uint64_t) 1 << k)) {
                    printf("%s %s", (which & (((uint64_t) 1 << k) - 1))
                                    ? "," : "", glossary_global_name(k));
                }
            }
        }

        if (a->docs_per_term != b->docs_per_term) {
            printf("; documents per term %u -> %u",
                   (unsigned) a->docs_per_term, (unsigned) b->docs_per_term);
        }

        if (rc == GLOSSARY_DIFF_SAME
            && a->header->build_time != b->header->build_time)
        {
            printf("; same documents, another build time (Last-Modified)");
        }

        putchar('\n');
    }

    glossary_unload(&fa);
    glossary_unload(&fb);

    if (fflush(stdout) != 0 || ferror(stdout)) {
        glossary_error("stdout: %s", strerror(errno));
        return GLOSSARY_DIFF_TROUBLE;
    }

    return rc;
}


/* the progress line of build */

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


void
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
    glossary_input_hooks.message = glossary_progress_message;

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
glossary_progress_file(const char *path, size_t size, size_t terms)
{
    (void) path;

    glossary_progress.files++;
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


void
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


void
glossary_progress_done(void)
{
    if (!glossary_progress.on) {
        return;
    }

    glossary_progress_message();

    glossary_progress.on = 0;
    glossary_input_hooks.file_read = NULL;
    glossary_input_hooks.message = NULL;
}
