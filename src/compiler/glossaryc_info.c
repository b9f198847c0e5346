/*
 * glossaryc info [--json] FILE: verifies FILE, then prints its header and
 * section table, as text or as one JSON object with the field names of
 * the module's glossary_status.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "glossary_fts.h"
#include "glossaryc.h"


/* gzip variants unless the build left them out (1.x always had them) */
#define glossary_info_gzip(b)                                                 \
    (((b)->header->flags & GLOSSARY_FLAG_NO_GZIP) == 0 || (b)->v1)


/* the documents of one kind: bodies and ETags, then the gzip variants' */
typedef struct {
    uint64_t    count;
    uint64_t    bytes;
    uint64_t    gzip_count;
    uint64_t    gzip_bytes;
} glossary_kind_sum_t;


static int glossary_info_text(glossary_file_blob_t *fb);
static int glossary_info_json(glossary_file_blob_t *fb);
static void glossary_info_kinds(const glossary_blob_t *b, char *buf,
    size_t size);
static void glossary_info_sum(const glossary_doc_t *d,
    glossary_kind_sum_t *s);
static void glossary_info_sums(const glossary_blob_t *b,
    glossary_kind_sum_t *sums);
static int glossary_gen_str(yajl_gen g, const char *s);
static int glossary_gen_kv_str(yajl_gen g, const char *k, const char *v);
static int glossary_gen_kv_int(yajl_gen g, const char *k, long long v);


int
glossary_cmd_info(int argc, char **argv)
{
    int                   rc, json;
    glossary_file_blob_t  fb;

    json = (argc == 2 && strcmp(argv[0], "--json") == 0);

    if (argc != 1 && !json) {
        return glossary_usage_error("info takes [--json] FILE%s", "");
    }

    rc = glossary_open(&fb, argv[json]);
    if (rc != GLOSSARY_EXIT_OK) {
        return rc;
    }

    rc = json ? glossary_info_json(&fb) : glossary_info_text(&fb);

    glossary_unload(&fb);

    return rc;
}


static int
glossary_info_text(glossary_file_blob_t *fb)
{
    char                       when[32], kinds[64];
    uint32_t                   i;
    glossary_kind_sum_t        sums[GLOSSARY_DOC_KINDS + 1];
    uint64_t                   text;
    glossary_fts_t             fts;
    const glossary_header_t   *h;
    const glossary_section_t  *s;
    const glossary_autolink_t *al;

    h = fb->blob.header;
    glossary_info_kinds(&fb->blob, kinds, sizeof(kinds));
    glossary_info_sums(&fb->blob, sums);

    glossary_iso_time(h->build_time, when, sizeof(when));

    printf("file:          %s\n", fb->path);
    printf("format:        %u.%u\n", (unsigned) h->version_major,
           (unsigned) h->version_minor);
    printf("build id:      %s\n", fb->blob.build_id);
    printf("checksum:      0x%016llx\n", (unsigned long long) h->checksum);
    printf("build time:    %s (%llu)\n", when,
           (unsigned long long) h->build_time);
    printf("file size:     %llu\n", (unsigned long long) h->file_size);
    printf("terms:         %u\n", (unsigned) h->term_count);
    printf("kinds:         %s\n", kinds);
    printf("gzip:          %s\n", glossary_info_gzip(&fb->blob)
                                   ? "yes" : "no (--no-gzip)");
    printf("docs per term: %u\n", (unsigned) h->docs_per_term);
    printf("global docs:   %u\n", (unsigned) h->global_docs);
    printf("related:       %u\n", (unsigned) fb->blob.related_count);
    printf("hash buckets:  %u\n", (unsigned) fb->blob.hash->bucket_count);
    if (fb->blob.chunk_hashes != NULL) {
        printf("chunks:        %llu of %llu bytes, eager %llu bytes\n",
               (unsigned long long) fb->blob.chunk_count,
               (unsigned long long) 1 << fb->blob.chunk_shift,
               (unsigned long long) fb->blob.eager_size);
    }

    printf("documents:     %-13s %9s %13s %9s %13s\n", "kind", "count",
           "bytes", "gzip", "gzip bytes");

    for (i = 0; i <= GLOSSARY_DOC_KINDS; i++) {
        if (i < GLOSSARY_DOC_KINDS && !glossary_blob_has_kind(&fb->blob, i))
        {
            continue;
        }

        printf("  %-26s %9llu %13llu %9llu %13llu\n",
               i < GLOSSARY_DOC_KINDS ? glossary_blob_kind_name(i)
                                      : "global+category",
               (unsigned long long) sums[i].count,
               (unsigned long long) sums[i].bytes,
               (unsigned long long) sums[i].gzip_count,
               (unsigned long long) sums[i].gzip_bytes);
    }

    al = glossary_blob_autolink(&fb->blob);

    if (al != NULL) {
        printf("autolink:      %u patterns, longest %u bytes, %llu bytes "
               "(%.1f per pattern byte)%s\n",
               (unsigned) al->header->pattern_count,
               (unsigned) al->max_pattern, (unsigned long long) al->size,
               al->header->pattern_bytes
               ? (double) al->size / al->header->pattern_bytes : 0.0,
               (al->header->flags & GLOSSARY_AUTOLINK_ACCENTS)
               ? ", accents folded" : "");
    }

    if (glossary_blob_fts(&fb->blob, &fts) == GLOSSARY_OK) {
        text = fts.header->text_bytes;
        printf("search index:  %llu bytes, %.3f of the %llu bytes of "
               "searchable text; the texts %llu bytes in STRINGS\n",
               (unsigned long long) fb->blob.fts_size
               + sizeof(glossary_fts_section_t),
               text ? (double) (fb->blob.fts_size
                                + sizeof(glossary_fts_section_t)) / text
                    : 0.0,
               (unsigned long long) text,
               (unsigned long long) fb->blob.fts_text.len);
    }

    printf("sections:      %u\n", (unsigned) h->section_count);
    printf("  %-3s %-12s %12s %12s\n", "id", "name", "offset", "size");

    s = (const glossary_section_t *) (fb->blob.base + h->section_table);

    for (i = 0; i < h->section_count; i++) {
        printf("  %-3u %-12s %12llu %12llu\n", (unsigned) s[i].id,
               glossary_blob_section_name(s[i].id),
               (unsigned long long) s[i].offset,
               (unsigned long long) s[i].size);
    }

    return glossary_flush_stdout();
}


static int
glossary_info_json(glossary_file_blob_t *fb)
{
    int                        rc, err;
    char                       when[32], version[16], checksum[32];
    size_t                     len;
    uint32_t                   i;
    uint64_t                   index, text;
    yajl_gen                   g;
    glossary_kind_sum_t        sums[GLOSSARY_DOC_KINDS + 1];
    glossary_fts_t             fts;
    const unsigned char       *out;
    const glossary_header_t   *h;
    const glossary_section_t  *s;

    h = fb->blob.header;
    glossary_info_sums(&fb->blob, sums);

    glossary_iso_time(h->build_time, when, sizeof(when));
    snprintf(version, sizeof(version), "%u.%u", (unsigned) h->version_major,
             (unsigned) h->version_minor);
    snprintf(checksum, sizeof(checksum), "xxh3:%s", fb->blob.build_id);

    /* the search index: 0 when the blob has none */
    index = 0;
    text = 0;

    if (glossary_blob_fts(&fb->blob, &fts) == GLOSSARY_OK) {
        index = fb->blob.fts_size + sizeof(glossary_fts_section_t);
        text = fts.header->text_bytes;
    }

    g = yajl_gen_alloc(NULL);
    if (g == NULL) {
        glossary_out_of_memory(0);
    }

    yajl_gen_config(g, yajl_gen_validate_utf8, 1);

    /* the names of glossary_status's fields, so the two compare directly */
    err = yajl_gen_map_open(g) != yajl_gen_status_ok
          || glossary_gen_kv_str(g, "path", fb->path)
          || glossary_gen_kv_str(g, "build", fb->blob.build_id)
          || glossary_gen_kv_str(g, "checksum", checksum)
          || glossary_gen_kv_str(g, "version", version)
          || glossary_gen_kv_int(g, "terms", h->term_count)
          || glossary_gen_kv_int(g, "bytes", (long long) h->file_size)
          || glossary_gen_kv_str(g, "build_time", when)
          || glossary_gen_kv_int(g, "build_time_epoch",
                                 (long long) h->build_time)
          || glossary_gen_kv_int(g, "chunks",
                                 (long long) fb->blob.chunk_count)
          || glossary_gen_str(g, "kinds")
          || yajl_gen_array_open(g) != yajl_gen_status_ok;

    for (i = 0; !err && i < GLOSSARY_KIND_GROUPS; i++) {
        if (fb->blob.doc_kinds & glossary_kind_groups[i].kinds) {
            err = glossary_gen_str(g, glossary_kind_groups[i].name);
        }
    }

    err = err
          || yajl_gen_array_close(g) != yajl_gen_status_ok
          || glossary_gen_str(g, "gzip")
          || yajl_gen_bool(g, glossary_info_gzip(&fb->blob))
             != yajl_gen_status_ok
          || glossary_gen_str(g, "documents")
          || yajl_gen_array_open(g) != yajl_gen_status_ok;

    for (i = 0; !err && i <= GLOSSARY_DOC_KINDS; i++) {
        if (i < GLOSSARY_DOC_KINDS && !glossary_blob_has_kind(&fb->blob, i))
        {
            continue;
        }

        err = yajl_gen_map_open(g) != yajl_gen_status_ok
              || glossary_gen_kv_str(g, "kind",
                                     i < GLOSSARY_DOC_KINDS
                                     ? glossary_blob_kind_name(i)
                                     : "global+category")
              || glossary_gen_kv_int(g, "count", (long long) sums[i].count)
              || glossary_gen_kv_int(g, "bytes", (long long) sums[i].bytes)
              || glossary_gen_kv_int(g, "gzip_count",
                                     (long long) sums[i].gzip_count)
              || glossary_gen_kv_int(g, "gzip_bytes",
                                     (long long) sums[i].gzip_bytes)
              || yajl_gen_map_close(g) != yajl_gen_status_ok;
    }

    err = err
          || yajl_gen_array_close(g) != yajl_gen_status_ok
          || glossary_gen_kv_int(g, "docs_per_term", h->docs_per_term)
          || glossary_gen_kv_int(g, "global_docs", h->global_docs)
          || glossary_gen_kv_int(g, "related", fb->blob.related_count)
          || glossary_gen_kv_int(g, "categories", fb->blob.category_count)
          || glossary_gen_kv_int(g, "hash_buckets",
                                 fb->blob.hash->bucket_count)
          || glossary_gen_kv_int(g, "autolink_patterns",
                                 fb->blob.autolink.base != NULL
                                 ? (long long) fb->blob.autolink.header
                                                 ->pattern_count : -1)
          || glossary_gen_kv_int(g, "autolink_bytes",
                                 (long long) fb->blob.autolink.size)
          || glossary_gen_kv_int(g, "search_index_bytes",
                                 (long long) index)
          || glossary_gen_kv_int(g, "search_text_bytes", (long long) text)
          || glossary_gen_kv_int(g, "search_stored_text_bytes",
                                 (long long) fb->blob.fts_text.len)
          || glossary_gen_str(g, "sections")
          || yajl_gen_array_open(g) != yajl_gen_status_ok;

    s = (const glossary_section_t *) (fb->blob.base + h->section_table);

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
        glossary_error("%s: cannot write as JSON (not UTF-8?)", fb->path);
        rc = GLOSSARY_EXIT_DATA;

    } else if (fwrite(out, 1, len, stdout) != len
               || putchar('\n') == EOF
               || fflush(stdout) != 0)
    {
        glossary_error("stdout: %s", strerror(errno));
        rc = GLOSSARY_EXIT_IO;
    }

    yajl_gen_free(g);

    return rc;
}


/* "json, html, payload": the groups of kinds the blob holds */
static void
glossary_info_kinds(const glossary_blob_t *b, char *buf, size_t size)
{
    size_t    n;
    uint32_t  i;

    n = 0;
    buf[0] = '\0';

    for (i = 0; i < GLOSSARY_KIND_GROUPS; i++) {
        if ((b->doc_kinds & glossary_kind_groups[i].kinds) && n < size) {
            n += snprintf(buf + n, size - n, "%s%s", n ? ", " : "",
                          glossary_kind_groups[i].name);
        }
    }
}


/*
 * The bytes of each kind's documents (the parts FORMAT.md lays out), and
 * of the global and category documents together last
 */
static void
glossary_info_sums(const glossary_blob_t *b, glossary_kind_sum_t *sums)
{
    uint32_t  i, k;

    memset(sums, 0, (GLOSSARY_DOC_KINDS + 1) * sizeof(glossary_kind_sum_t));

    for (k = 0; k < GLOSSARY_DOC_KINDS; k++) {
        for (i = 0; glossary_blob_has_kind(b, k) && i < b->term_count; i++) {
            glossary_info_sum(glossary_blob_doc(b, i, k), &sums[k]);
        }
    }

    for (i = 0; i < b->global_docs; i++) {
        glossary_info_sum(glossary_blob_global(b, i),
                          &sums[GLOSSARY_DOC_KINDS]);
    }

    for (i = 0; i < b->category_count; i++) {
        glossary_info_sum(&b->categories[i].json, &sums[GLOSSARY_DOC_KINDS]);
        glossary_info_sum(&b->categories[i].html, &sums[GLOSSARY_DOC_KINDS]);
    }
}


static void
glossary_info_sum(const glossary_doc_t *d, glossary_kind_sum_t *s)
{
    if (glossary_doc_absent(d)) {
        return;
    }

    s->count++;
    s->bytes += d->body.len + d->etag.len;

    if (d->gzip_body.len != 0) {
        s->gzip_count++;
        s->gzip_bytes += d->gzip_body.len + d->gzip_etag.len;
    }
}


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
