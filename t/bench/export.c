/*
 * export: write a compiled blob's documents out for the benchmark's peers,
 * byte for byte what the module sends.
 *
 *     export [options] BLOB KIND:URL[:PEERS]...
 *
 *     -s FILE   the slugs, one a line
 *     -t DIR    static files: DIR{uri}.json (.html for the HTML kinds), plus
 *               .json.gz (.html.gz) when the document has a gzip variant
 *               (gzip_static)
 *     -j FILE   njs: one JSON object {"{uri}": [body, etag, gzip body in
 *               base64 or null, gzip etag or null], ...}
 *     -l FILE   Lua: per document a line "uri body_len gzip_len etag
 *               gzip_etag" (etags "-" when absent), then the bytes of the
 *               body and of the gzip body
 *
 * KIND is the per-term document kind (0 term, 1 related, 2 HTML term
 * page, see glossary_blob.h), URL the route's URL with %s for the slug
 * ({uri} above), PEERS which outputs get the kind: letters t (static), j
 * (njs), l (Lua), all three when absent.  Prints, per KIND:URL, the median
 * body and gzip body sizes: "doc URL body B gzip G".
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "glossary_blob.h"


#define EXPORT_MAX_KINDS  16


typedef struct {
    uint32_t     kind;
    const char  *url;       /* the part before %s */
    int          url_len;
    const char  *suffix;    /* the part after %s */
    int          suffix_len;
    const char  *ext;       /* ".json" or ".html" */
    int          tjl[3];    /* static, njs, Lua */
} export_kind_t;


static glossary_blob_t  blob;


static int
export_cmp(const void *a, const void *b)
{
    uint64_t  x = *(const uint64_t *) a, y = *(const uint64_t *) b;

    return x < y ? -1 : x > y;
}


static void
export_json_str(FILE *f, const unsigned char *p, size_t n)
{
    size_t  i;

    fputc('"', f);

    for (i = 0; i < n; i++) {
        if (p[i] == '"' || p[i] == '\\') {
            fputc('\\', f);
            fputc(p[i], f);

        } else if (p[i] < 0x20) {
            fprintf(f, "\\u%04x", p[i]);

        } else {
            fputc(p[i], f);
        }
    }

    fputc('"', f);
}


static void
export_base64(FILE *f, const unsigned char *p, size_t n)
{
    size_t      i;
    uint32_t    v;
    static const char  tab[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    fputc('"', f);

    for (i = 0; i + 2 < n; i += 3) {
        v = (uint32_t) p[i] << 16 | (uint32_t) p[i + 1] << 8 | p[i + 2];
        fputc(tab[v >> 18], f);
        fputc(tab[(v >> 12) & 63], f);
        fputc(tab[(v >> 6) & 63], f);
        fputc(tab[v & 63], f);
    }

    if (n - i == 1) {
        v = (uint32_t) p[i] << 16;
        fprintf(f, "%c%c==", tab[v >> 18], tab[(v >> 12) & 63]);

    } else if (n - i == 2) {
        v = (uint32_t) p[i] << 16 | (uint32_t) p[i + 1] << 8;
        fprintf(f, "%c%c%c=", tab[v >> 18], tab[(v >> 12) & 63],
                tab[(v >> 6) & 63]);
    }

    fputc('"', f);
}


static int
export_file(const char *path, const unsigned char *p, size_t n)
{
    int  fd;

    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd == -1) {
        perror(path);
        return -1;
    }

    if (write(fd, p, n) != (ssize_t) n || close(fd) != 0) {
        perror(path);
        return -1;
    }

    return 0;
}


static int
export_mkdirs(char *path)
{
    char  *p;

    for (p = path + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(path, 0755) != 0 && errno != EEXIST) {
                perror(path);
                return -1;
            }
            *p = '/';
        }
    }

    return 0;
}


static unsigned char *
export_read(const char *path, size_t *size)
{
    int             fd;
    ssize_t         n;
    size_t          got;
    struct stat     st;
    unsigned char  *data;

    fd = open(path, O_RDONLY);
    if (fd == -1 || fstat(fd, &st) != 0) {
        perror(path);
        return NULL;
    }

    data = malloc(st.st_size ? (size_t) st.st_size : 1);
    if (data == NULL) {
        perror("malloc");
        return NULL;
    }

    for (got = 0; got < (size_t) st.st_size; got += n) {
        n = read(fd, data + got, st.st_size - got);
        if (n <= 0) {
            perror(path);
            return NULL;
        }
    }

    close(fd);
    *size = st.st_size;
    return data;
}


int
main(int argc, char **argv)
{
    int                     c, first;
    char                    uri[1024], path[4096], *colon, *pct, *peers;
    FILE                   *fs, *fj, *fl;
    size_t                  size, nk;
    uint32_t                id, k;
    uint64_t               *sizes, *gsizes;
    unsigned char          *data;
    const char             *slugs, *tdir, *njs, *lua;
    export_kind_t           kinds[EXPORT_MAX_KINDS];
    glossary_status_t       rc;
    const glossary_doc_t   *d;
    const glossary_term_t  *t;

    slugs = tdir = njs = lua = NULL;

    while ((c = getopt(argc, argv, "s:t:j:l:")) != -1) {
        switch (c) {
        case 's': slugs = optarg; break;
        case 't': tdir = optarg; break;
        case 'j': njs = optarg; break;
        case 'l': lua = optarg; break;
        default:
            fprintf(stderr, "usage: export [-s SLUGS] [-t DIR] [-j FILE]"
                            " [-l FILE] BLOB KIND:URL[:PEERS]...\n");
            return 2;
        }
    }

    if (argc - optind < 2 || argc - optind - 1 > EXPORT_MAX_KINDS) {
        fprintf(stderr, "export: BLOB KIND:URL[:PEERS]... expected\n");
        return 2;
    }

    nk = 0;

    for (c = optind + 1; c < argc; c++) {
        colon = strchr(argv[c], ':');
        pct = colon ? strstr(colon, "%s") : NULL;
        if (pct == NULL) {
            fprintf(stderr, "export: \"%s\" is not KIND:URL with %%s\n",
                    argv[c]);
            return 2;
        }

        peers = strchr(pct, ':');
        if (peers) {
            *peers++ = '\0';
        }

        kinds[nk].kind = (uint32_t) strtoul(argv[c], NULL, 10);
        kinds[nk].url = colon + 1;
        kinds[nk].url_len = (int) (pct - colon - 1);
        kinds[nk].suffix = pct + 2;
        kinds[nk].suffix_len = (int) strlen(pct + 2);
        kinds[nk].ext = kinds[nk].kind == GLOSSARY_DOC_TERM_HTML
                        || kinds[nk].kind == GLOSSARY_DOC_SEARCH_HTML
                        ? ".html" : ".json";
        kinds[nk].tjl[0] = peers == NULL || strchr(peers, 't') != NULL;
        kinds[nk].tjl[1] = peers == NULL || strchr(peers, 'j') != NULL;
        kinds[nk].tjl[2] = peers == NULL || strchr(peers, 'l') != NULL;
        nk++;
    }

    data = export_read(argv[optind], &size);
    if (data == NULL) {
        return 1;
    }

    rc = glossary_blob_open(&blob, data, size);
    if (rc != GLOSSARY_OK) {
        fprintf(stderr, "export: %s: %s %s\n", argv[optind],
                glossary_blob_strerror(rc), blob.detail);
        return 1;
    }

    fs = slugs ? fopen(slugs, "w") : NULL;
    fj = njs ? fopen(njs, "w") : NULL;
    fl = lua ? fopen(lua, "w") : NULL;

    if ((slugs && !fs) || (njs && !fj) || (lua && !fl)) {
        perror("export: fopen");
        return 1;
    }

    sizes = calloc(blob.term_count + 1, sizeof(uint64_t));
    gsizes = calloc(blob.term_count + 1, sizeof(uint64_t));
    if (sizes == NULL || gsizes == NULL) {
        perror("calloc");
        return 1;
    }

    if (fj) {
        fputc('{', fj);
    }

    first = 1;

    for (id = 0; id < blob.term_count; id++) {
        t = &blob.terms[id];

        if (fs) {
            fwrite(glossary_blob_ptr(&blob, t->slug), 1, t->slug.len, fs);
            fputc('\n', fs);
        }

        for (k = 0; k < nk; k++) {
            d = glossary_blob_doc(&blob, id, kinds[k].kind);
            if (d == NULL) {
                fprintf(stderr, "export: no document kind %u\n",
                        kinds[k].kind);
                return 1;
            }

            snprintf(uri, sizeof(uri), "%.*s%.*s%.*s",
                     kinds[k].url_len, kinds[k].url, (int) t->slug.len,
                     (const char *) glossary_blob_ptr(&blob, t->slug),
                     kinds[k].suffix_len, kinds[k].suffix);

            if (tdir && kinds[k].tjl[0]) {
                snprintf(path, sizeof(path), "%s%s%s", tdir, uri,
                         kinds[k].ext);
                if (export_mkdirs(path) != 0
                    || export_file(path, glossary_blob_ptr(&blob, d->body),
                                   d->body.len) != 0)
                {
                    return 1;
                }

                if (d->gzip_body.len) {
                    snprintf(path, sizeof(path), "%s%s%s.gz", tdir, uri,
                             kinds[k].ext);
                    if (export_file(path,
                                    glossary_blob_ptr(&blob, d->gzip_body),
                                    d->gzip_body.len)
                        != 0)
                    {
                        return 1;
                    }
                }
            }

            if (fj && kinds[k].tjl[1]) {
                fprintf(fj, "%s\n\"%s\":[", first ? "" : ",", uri);
                export_json_str(fj, glossary_blob_ptr(&blob, d->body),
                                d->body.len);
                fputc(',', fj);
                export_json_str(fj, glossary_blob_ptr(&blob, d->etag),
                                d->etag.len);

                if (d->gzip_body.len) {
                    fputc(',', fj);
                    export_base64(fj, glossary_blob_ptr(&blob, d->gzip_body),
                                  d->gzip_body.len);
                    fputc(',', fj);
                    export_json_str(fj,
                                    glossary_blob_ptr(&blob, d->gzip_etag),
                                    d->gzip_etag.len);

                } else {
                    fputs(",null,null", fj);
                }

                fputc(']', fj);
                first = 0;
            }

            if (fl && kinds[k].tjl[2]) {
                fprintf(fl, "%s %llu %llu %.*s %.*s\n", uri,
                        (unsigned long long) d->body.len,
                        (unsigned long long) d->gzip_body.len,
                        (int) d->etag.len,
                        (const char *) glossary_blob_ptr(&blob, d->etag),
                        d->gzip_body.len ? (int) d->gzip_etag.len : 1,
                        d->gzip_body.len
                        ? (const char *) glossary_blob_ptr(&blob, d->gzip_etag)
                        : "-");
                fwrite(glossary_blob_ptr(&blob, d->body), 1, d->body.len, fl);
                fwrite(glossary_blob_ptr(&blob, d->gzip_body), 1,
                       d->gzip_body.len, fl);
            }
        }
    }

    if (fj) {
        fputs("\n}\n", fj);
    }

    if ((fs && fclose(fs) != 0) || (fj && fclose(fj) != 0)
        || (fl && fclose(fl) != 0))
    {
        perror("export: write");
        return 1;
    }

    for (k = 0; k < nk; k++) {
        for (id = 0; id < blob.term_count; id++) {
            d = glossary_blob_doc(&blob, id, kinds[k].kind);
            sizes[id] = d->body.len;
            gsizes[id] = d->gzip_body.len ? d->gzip_body.len : d->body.len;
        }

        qsort(sizes, blob.term_count, sizeof(uint64_t), export_cmp);
        qsort(gsizes, blob.term_count, sizeof(uint64_t), export_cmp);

        printf("doc %.*s%%s%.*s body %llu gzip %llu\n",
               kinds[k].url_len, kinds[k].url,
               kinds[k].suffix_len, kinds[k].suffix,
               (unsigned long long) sizes[blob.term_count / 2],
               (unsigned long long) gsizes[blob.term_count / 2]);
    }

    return 0;
}
