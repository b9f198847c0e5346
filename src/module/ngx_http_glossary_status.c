/*
 * ngx_http_glossary_module: the status page (glossary_status), what every
 * blob of this configuration is, so that an operator can check that a
 * fleet serves the same data.  Built per request: it is a status page,
 * not a hot path.
 */

#include "ngx_http_glossary_module.h"


ngx_int_t
ngx_http_glossary_status_handler(ngx_http_request_t *r)
{
    u_char                          *p;
    size_t                           size;
    ngx_tm_t                         tm;
    ngx_int_t                        rc;
    ngx_buf_t                       *b;
    ngx_uint_t                       i, k, n;
    ngx_chain_t                      out;
    ngx_http_glossary_data_t       **d;
    const glossary_header_t         *h;
    ngx_http_glossary_main_conf_t   *gmcf;

    if (!(r->method & (NGX_HTTP_GET|NGX_HTTP_HEAD))) {
        return ngx_http_glossary_send_error(r, NGX_HTTP_NOT_ALLOWED);
    }

    rc = ngx_http_discard_request_body(r);
    if (rc != NGX_OK) {
        return rc;
    }

    gmcf = ngx_http_get_module_main_conf(r, ngx_http_glossary_module);
    d = gmcf->blobs.elts;

    size = sizeof("{\"pid\":,\"blobs\":[]}") + NGX_INT64_LEN;

    for (i = 0; i < gmcf->blobs.nelts; i++) {
        size += sizeof("{\"path\":\"\",\"build\":\"\",\"checksum\":\"\","
                       "\"version\":\".\",\"terms\":,\"bytes\":,"
                       "\"kinds\":[\"json\",\"html\",\"payload\"],"
                       "\"gzip\":false,"
                       "\"mode\":\"copy\",\"verify\":\"full\",\"chunks\":,"
                       "\"chunks_verified\":,\"chunks_corrupt\":,"
                       "\"build_time\":\"\",\"build_time_epoch\":,"
                       "\"search_index_bytes\":,\"search_lists\":,"
                       "\"search_lists_verified\":,"
                       "\"search_lists_corrupt\":,"
                       "\"loaded\":\"\",\"loaded_epoch\":},")
                + d[i]->path.len
                + ngx_escape_json(NULL, d[i]->path.data, d[i]->path.len)
                + 16 + 18 + 2 * NGX_INT_T_LEN + 12 * NGX_INT64_LEN
                + 2 * sizeof("1970-01-01T00:00:00Z");
    }

    b = ngx_create_temp_buf(r->pool, size);
    if (b == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    p = ngx_sprintf(b->last, "{\"pid\":%P,\"blobs\":[", ngx_pid);

    for (i = 0; i < gmcf->blobs.nelts; i++) {
        h = d[i]->blob.header;

        p = ngx_cpymem(p, i ? ",{\"path\":\"" : "{\"path\":\"",
                       i ? sizeof(",{\"path\":\"") - 1
                         : sizeof("{\"path\":\"") - 1);
        p = (u_char *) ngx_escape_json(p, d[i]->path.data, d[i]->path.len);

        ngx_gmtime((time_t) h->build_time, &tm);

        p = ngx_sprintf(p, "\",\"build\":\"%V\",\"checksum\":\"xxh3:%V\","
                        "\"version\":\"%ui.%ui\",\"terms\":%ui,"
                        "\"bytes\":%uz,\"build_time\":"
                        "\"%4d-%02d-%02dT%02d:%02d:%02dZ\","
                        "\"build_time_epoch\":%uL,",
                        &d[i]->build_id, &d[i]->build_id,
                        (ngx_uint_t) h->version_major,
                        (ngx_uint_t) h->version_minor,
                        (ngx_uint_t) h->term_count, d[i]->size,
                        tm.ngx_tm_year, tm.ngx_tm_mon, tm.ngx_tm_mday,
                        tm.ngx_tm_hour, tm.ngx_tm_min, tm.ngx_tm_sec,
                        (uint64_t) h->build_time);

        /* what the build holds: a route of a kind left out is a 404 */
        p = ngx_cpymem(p, "\"kinds\":[", sizeof("\"kinds\":[") - 1);

        for (k = 0, n = 0; k < GLOSSARY_KIND_GROUPS; k++) {
            if (d[i]->blob.doc_kinds & glossary_kind_groups[k].kinds) {
                p = ngx_sprintf(p, "%s\"%s\"", n++ ? "," : "",
                                glossary_kind_groups[k].name);
            }
        }

        p = ngx_sprintf(p, "],\"gzip\":%s,",
                        (h->flags & GLOSSARY_FLAG_NO_GZIP) && !d[i]->blob.v1
                        ? "false" : "true");

        /*
         * this worker's view: verify=full checked every chunk at load;
         * lazily, the eager ones and those it has sent bytes of
         */
        p = ngx_sprintf(p, "\"mode\":\"%s\",\"verify\":\"%s\","
                        "\"chunks\":%uL,\"chunks_verified\":%uL,"
                        "\"chunks_corrupt\":%uL,",
                        d[i]->mmap ? "mmap" : "copy",
                        d[i]->blob.lazy ? "lazy" : "full",
                        d[i]->blob.chunk_count,
                        d[i]->blob.lazy ? d[i]->lazy.ok
                                        : d[i]->blob.chunk_count,
                        d[i]->lazy.corrupt);

        /*
         * the search index, and its posting lists this worker has checked
         * (verify=full: every one at load; lazily, those queries read)
         */
        p = ngx_sprintf(p, "\"search_index_bytes\":%uL,\"search_lists\":%uD,"
                        "\"search_lists_verified\":%uL,"
                        "\"search_lists_corrupt\":%uL,",
                        d[i]->fts.base ? d[i]->blob.fts_size
                                         + sizeof(glossary_fts_section_t)
                                       : (uint64_t) 0,
                        d[i]->fts.list_count,
                        d[i]->fts.lazy ? d[i]->fts_lazy.verified
                                         - d[i]->fts_lazy.corrupt
                                       : (uint64_t) d[i]->fts.list_count,
                        d[i]->fts_lazy.corrupt);

        ngx_gmtime(d[i]->loaded, &tm);

        p = ngx_sprintf(p, "\"loaded\":\"%4d-%02d-%02dT%02d:%02d:%02dZ\","
                        "\"loaded_epoch\":%T}",
                        tm.ngx_tm_year, tm.ngx_tm_mon, tm.ngx_tm_mday,
                        tm.ngx_tm_hour, tm.ngx_tm_min, tm.ngx_tm_sec,
                        d[i]->loaded);
    }

    p = ngx_cpymem(p, "]}", 2);

    b->last = p;
    b->last_buf = (r == r->main) ? 1 : 0;
    b->last_in_chain = 1;

    r->headers_out.status = NGX_HTTP_OK;
    ngx_http_glossary_set_type(r, GLOSSARY_MEDIA_JSON);
    r->headers_out.content_length_n = b->last - b->pos;

    rc = ngx_http_send_header(r);

    if (rc == NGX_ERROR || rc > NGX_OK || r->header_only) {
        return rc;
    }

    out.buf = b;
    out.next = NULL;

    return ngx_http_output_filter(r, &out);
}
