/*
 * ngx_http_glossary_module: the content handler.
 *
 * Routes, relative to the location's prefix:
 *
 *     ""                  index of all terms
 *     "{slug}"            the term
 *     "{slug}/related"    its related terms
 *
 * Every answer is a document pre-rendered by the compiler: the handler
 * finds it, sets headers that point into the mapping, and sends the bytes
 * from the mapping.  It allocates nothing beyond nginx's own header
 * entries, one buffer and one chain link.
 */

#include "ngx_http_glossary_module.h"
#include "glossary_route.h"


static void ngx_http_glossary_route(ngx_http_request_t *r,
    glossary_route_t *route);
static ngx_int_t ngx_http_glossary_send_doc(ngx_http_request_t *r,
    ngx_http_glossary_data_t *data, const glossary_doc_t *doc);
static ngx_int_t ngx_http_glossary_send_error(ngx_http_request_t *r,
    ngx_uint_t status);
static ngx_int_t ngx_http_glossary_redirect(ngx_http_request_t *r,
    glossary_route_t *route);
static ngx_table_elt_t *ngx_http_glossary_add_header(ngx_http_request_t *r,
    char *key, u_char *value, size_t len);
static ngx_uint_t ngx_http_glossary_accepts_gzip(ngx_http_request_t *r);


static ngx_str_t  ngx_http_glossary_json_type =
    ngx_string("application/json; charset=utf-8");

static ngx_str_t  ngx_http_glossary_related = ngx_string("related");


ngx_int_t
ngx_http_glossary_handler(ngx_http_request_t *r)
{
    uint32_t                       id;
    ngx_int_t                      rc;
    glossary_route_t               route;
    const glossary_doc_t          *doc;
    const glossary_blob_t         *blob;
    ngx_http_glossary_loc_conf_t  *glcf;

    if (!(r->method & (NGX_HTTP_GET|NGX_HTTP_HEAD))) {
        return ngx_http_glossary_send_error(r, NGX_HTTP_NOT_ALLOWED);
    }

    rc = ngx_http_discard_request_body(r);
    if (rc != NGX_OK) {
        return rc;
    }

    glcf = ngx_http_get_module_loc_conf(r, ngx_http_glossary_module);

    if (glcf->data == NULL) {
        return NGX_DECLINED;
    }

    if (glcf->build_header
        && ngx_http_glossary_add_header(r, "X-Glossary-Build",
                                        glcf->data->build_id.data,
                                        glcf->data->build_id.len)
           == NULL)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ngx_http_glossary_route(r, &route);

    blob = &glcf->data->blob;

    switch (route.kind) {

    case GLOSSARY_ROUTE_INDEX:
        doc = glossary_blob_global(blob, GLOSSARY_GLOBAL_INDEX_JSON);
        break;

    case GLOSSARY_ROUTE_TERM:
    case GLOSSARY_ROUTE_RELATED:

        if (route.redirect) {
            return ngx_http_glossary_redirect(r, &route);
        }

        id = glossary_blob_lookup(blob, route.slug, route.slug_len);
        if (id == GLOSSARY_NO_TERM) {
            doc = NULL;
            break;
        }

        doc = glossary_blob_doc(blob, id,
                                route.kind == GLOSSARY_ROUTE_TERM
                                ? GLOSSARY_DOC_TERM_JSON
                                : GLOSSARY_DOC_RELATED_JSON);
        break;

    default: /* GLOSSARY_ROUTE_NONE */
        doc = NULL;
        break;
    }

    if (doc == NULL) {
        return ngx_http_glossary_send_error(r, NGX_HTTP_NOT_FOUND);
    }

    return ngx_http_glossary_send_doc(r, glcf->data, doc);
}


/* the route of the part of the (decoded, normalised) URI after the prefix */

static void
ngx_http_glossary_route(ngx_http_request_t *r, glossary_route_t *route)
{
    ngx_http_core_loc_conf_t  *clcf;

    clcf = ngx_http_get_module_loc_conf(r, ngx_http_core_module);

    if (r->uri.len < clcf->name.len
        || ngx_strncmp(r->uri.data, clcf->name.data, clcf->name.len) != 0)
    {
        ngx_log_debug1(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                       "glossary: uri outside location \"%V\"", &clcf->name);
        ngx_memzero(route, sizeof(glossary_route_t));
        return;
    }

    glossary_route_parse(r->uri.data + clcf->name.len,
                         r->uri.len - clcf->name.len, route);
}


/*
 * $glossary_slug, $glossary_term, $glossary_category: of the term that
 * answers this request in this location, empty otherwise; $glossary_build:
 * the build identifier of the blob this location serves.  Computed only
 * when something asks for them (a log format, a header, a map).
 */

ngx_int_t
ngx_http_glossary_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data)
{
    uint32_t                       id;
    glossary_route_t               route;
    const glossary_ref_t          *ref;
    const glossary_term_t         *t;
    const glossary_blob_t         *blob;
    ngx_http_glossary_loc_conf_t  *glcf;

    glcf = ngx_http_get_module_loc_conf(r, ngx_http_glossary_module);

    if (glcf == NULL || glcf->data == NULL) {
        v->not_found = 1;
        return NGX_OK;
    }

    v->valid = 1;
    v->no_cacheable = 0;
    v->not_found = 0;

    if (data == NGX_HTTP_GLOSSARY_VAR_BUILD) {
        v->len = glcf->data->build_id.len;
        v->data = glcf->data->build_id.data;
        return NGX_OK;
    }

    v->len = 0;
    v->data = (u_char *) "";

    ngx_http_glossary_route(r, &route);

    if (route.kind != GLOSSARY_ROUTE_TERM
        && route.kind != GLOSSARY_ROUTE_RELATED)
    {
        return NGX_OK;
    }

    if (route.redirect) {
        return NGX_OK;
    }

    blob = &glcf->data->blob;

    id = glossary_blob_lookup(blob, route.slug, route.slug_len);
    if (id == GLOSSARY_NO_TERM) {
        return NGX_OK;
    }

    t = &blob->terms[id];

    switch (data) {

    case NGX_HTTP_GLOSSARY_VAR_SLUG:
        ref = &t->slug;
        break;

    case NGX_HTTP_GLOSSARY_VAR_TERM:
        ref = &t->term;
        break;

    default: /* NGX_HTTP_GLOSSARY_VAR_CATEGORY */
        ref = &t->category;
        break;
    }

    v->len = ref->len;
    v->data = (u_char *) glossary_blob_ptr(blob, *ref);

    return NGX_OK;
}


/*
 * glossary_status: what every blob of this configuration is, so that an
 * operator can check that a fleet serves the same data.  Built per request:
 * it is a status page, not a hot path.
 */

ngx_int_t
ngx_http_glossary_status_handler(ngx_http_request_t *r)
{
    u_char                          *p;
    size_t                           size;
    ngx_tm_t                         tm;
    ngx_int_t                        rc;
    ngx_buf_t                       *b;
    ngx_uint_t                       i;
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
                       "\"build_time\":\"\",\"build_time_epoch\":,"
                       "\"loaded\":\"\",\"loaded_epoch\":},")
                + d[i]->path.len
                + ngx_escape_json(NULL, d[i]->path.data, d[i]->path.len)
                + 16 + 18 + 2 * NGX_INT_T_LEN + 5 * NGX_INT64_LEN
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
    r->headers_out.content_type_len = sizeof("application/json") - 1;
    r->headers_out.content_type = ngx_http_glossary_json_type;
    r->headers_out.content_type_lowcase = NULL;
    r->headers_out.content_length_n = b->last - b->pos;

    rc = ngx_http_send_header(r);

    if (rc == NGX_ERROR || rc > NGX_OK || r->header_only) {
        return rc;
    }

    out.buf = b;
    out.next = NULL;

    return ngx_http_output_filter(r, &out);
}


static ngx_int_t
ngx_http_glossary_send_doc(ngx_http_request_t *r,
    ngx_http_glossary_data_t *data, const glossary_doc_t *doc)
{
    ngx_int_t                  rc;
    ngx_buf_t                 *b;
    ngx_chain_t                out;
    ngx_table_elt_t           *h;
    const glossary_ref_t      *body, *etag;
    ngx_http_core_loc_conf_t  *clcf;

    clcf = ngx_http_get_module_loc_conf(r, ngx_http_core_module);

    body = &doc->body;
    etag = &doc->etag;

    if (doc->gzip_body.len) {
        if (ngx_http_glossary_accepts_gzip(r)) {
            body = &doc->gzip_body;
            etag = &doc->gzip_etag;

            h = ngx_http_glossary_add_header(r, "Content-Encoding",
                                             (u_char *) "gzip", 4);
            if (h == NULL) {
                return NGX_HTTP_INTERNAL_SERVER_ERROR;
            }

            r->headers_out.content_encoding = h;
        }

#if (NGX_HTTP_GZIP)
        if (clcf->gzip_vary) {
            r->gzip_vary = 1;   /* the header filter adds Vary itself */

        } else
#endif
        {
            if (ngx_http_glossary_add_header(r, "Vary",
                                             (u_char *) "Accept-Encoding",
                                             sizeof("Accept-Encoding") - 1)
                == NULL)
            {
                return NGX_HTTP_INTERNAL_SERVER_ERROR;
            }
        }
    }

    r->headers_out.status = NGX_HTTP_OK;
    r->headers_out.content_type_len = sizeof("application/json") - 1;
    r->headers_out.content_type = ngx_http_glossary_json_type;
    r->headers_out.content_type_lowcase = NULL;
    r->headers_out.content_length_n = body->len;
    r->headers_out.last_modified_time = data->blob.header->build_time;

    if (clcf->etag) {
        h = ngx_http_glossary_add_header(r, "ETag",
                                         (u_char *) glossary_blob_ptr(
                                             &data->blob, *etag),
                                         etag->len);
        if (h == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        r->headers_out.etag = h;
    }

    r->allow_ranges = 1;

    rc = ngx_http_send_header(r);

    if (rc == NGX_ERROR || rc > NGX_OK || r->header_only) {
        return rc;
    }

    if (body->len == 0) {
        return ngx_http_send_special(r, NGX_HTTP_LAST);
    }

    b = ngx_calloc_buf(r->pool);
    if (b == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    /* straight from the mapping: nginx never writes to a memory buffer */
    b->pos = (u_char *) glossary_blob_ptr(&data->blob, *body);
    b->last = b->pos + body->len;
    b->memory = 1;
    b->last_buf = (r == r->main) ? 1 : 0;
    b->last_in_chain = 1;

    out.buf = b;
    out.next = NULL;

    return ngx_http_output_filter(r, &out);
}


static ngx_int_t
ngx_http_glossary_send_error(ngx_http_request_t *r, ngx_uint_t status)
{
    ngx_int_t     rc;
    ngx_str_t    *msg;
    ngx_buf_t    *b;
    ngx_chain_t   out;

    static ngx_str_t  not_found = ngx_string("{\"error\":\"not found\"}");
    static ngx_str_t  not_allowed =
        ngx_string("{\"error\":\"method not allowed\"}");

    if (status == NGX_HTTP_NOT_ALLOWED) {
        msg = &not_allowed;

        if (ngx_http_glossary_add_header(r, "Allow", (u_char *) "GET, HEAD",
                                         sizeof("GET, HEAD") - 1)
            == NULL)
        {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

    } else {
        msg = &not_found;
    }

    rc = ngx_http_discard_request_body(r);
    if (rc != NGX_OK) {
        return rc;
    }

    r->headers_out.status = status;
    r->headers_out.content_type_len = sizeof("application/json") - 1;
    r->headers_out.content_type = ngx_http_glossary_json_type;
    r->headers_out.content_type_lowcase = NULL;
    r->headers_out.content_length_n = msg->len;

    rc = ngx_http_send_header(r);

    if (rc == NGX_ERROR || rc > NGX_OK || r->header_only) {
        return rc;
    }

    b = ngx_calloc_buf(r->pool);
    if (b == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    b->pos = msg->data;
    b->last = msg->data + msg->len;
    b->memory = 1;
    b->last_buf = (r == r->main) ? 1 : 0;
    b->last_in_chain = 1;

    out.buf = b;
    out.next = NULL;

    return ngx_http_output_filter(r, &out);
}


/* 301 to the canonical URL: lower-case slug, no trailing slash */

static ngx_int_t
ngx_http_glossary_redirect(ngx_http_request_t *r, glossary_route_t *route)
{
    u_char                    *location, *p;
    size_t                     size;
    ngx_uint_t                 i;
    ngx_table_elt_t           *h;
    ngx_http_core_loc_conf_t  *clcf;

    clcf = ngx_http_get_module_loc_conf(r, ngx_http_core_module);

    size = clcf->name.len + 1 + route->slug_len + 1
           + ngx_http_glossary_related.len + 1 + r->args.len;

    location = ngx_pnalloc(r->pool, size);
    if (location == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    p = ngx_cpymem(location, clcf->name.data, clcf->name.len);

    if (clcf->name.len == 0 || clcf->name.data[clcf->name.len - 1] != '/') {
        *p++ = '/';
    }

    for (i = 0; i < route->slug_len; i++) {
        *p++ = ngx_tolower(route->slug[i]);
    }

    if (route->kind == GLOSSARY_ROUTE_RELATED) {
        *p++ = '/';
        p = ngx_cpymem(p, ngx_http_glossary_related.data,
                       ngx_http_glossary_related.len);
    }

    if (r->args.len) {
        *p++ = '?';
        p = ngx_cpymem(p, r->args.data, r->args.len);
    }

    ngx_http_clear_location(r);

    h = ngx_http_glossary_add_header(r, "Location", location, p - location);
    if (h == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    r->headers_out.location = h;

    return NGX_HTTP_MOVED_PERMANENTLY;
}


static ngx_table_elt_t *
ngx_http_glossary_add_header(ngx_http_request_t *r, char *key, u_char *value,
    size_t len)
{
    ngx_table_elt_t  *h;

    h = ngx_list_push(&r->headers_out.headers);
    if (h == NULL) {
        return NULL;
    }

    h->hash = 1;
    h->key.len = ngx_strlen(key);
    h->key.data = (u_char *) key;
    h->value.len = len;
    h->value.data = value;
    h->lowcase_key = NULL;
#if (nginx_version >= 1023000)
    h->next = NULL;
#endif

    return h;
}


/*
 * Accept-Encoding: is "gzip" (or "x-gzip", or "*" when gzip is not named)
 * acceptable with a non-zero q-value?  Unlike ngx_http_gzip_ok() this does
 * not look at gzip_http_version or gzip_proxied: the compressed body costs
 * nothing to send, as with "gzip_static always", but q=0 is honoured.
 */

static ngx_uint_t
ngx_http_glossary_accepts_gzip(ngx_http_request_t *r)
{
    u_char           *p, *end, *name, *name_end, *q;
    ngx_uint_t        star, zero;
    ngx_table_elt_t  *ae;

#if (NGX_HTTP_GZIP || NGX_HTTP_HEADERS)
    ae = r->headers_in.accept_encoding;
#else
    ae = NULL;
#endif

    if (ae == NULL || ae->value.len < 1) {
        return 0;
    }

    p = ae->value.data;
    end = p + ae->value.len;
    star = 0;

    while (p < end) {

        while (p < end && (*p == ' ' || *p == '\t' || *p == ',')) {
            p++;
        }

        name = p;

        while (p < end && *p != ',' && *p != ';' && *p != ' ' && *p != '\t')
        {
            p++;
        }

        name_end = p;

        /* parameters: look for q=0, q=0., q=0.0, q=0.00, q=0.000 */

        zero = 0;

        while (p < end && *p != ',') {
            if (*p == ';') {
                q = p + 1;

                while (q < end && (*q == ' ' || *q == '\t')) {
                    q++;
                }

                if (end - q >= 2
                    && (q[0] == 'q' || q[0] == 'Q') && q[1] == '=')
                {
                    q += 2;
                    zero = (q < end && *q == '0');

                    if (zero) {
                        q++;

                        if (q < end && *q == '.') {
                            q++;

                            while (q < end && *q == '0') {
                                q++;
                            }
                        }

                        zero = (q == end || *q == ',' || *q == ' '
                                || *q == '\t' || *q == ';');
                    }
                }
            }

            p++;
        }

        if (name_end - name == 4
            && ngx_strncasecmp(name, (u_char *) "gzip", 4) == 0)
        {
            return !zero;
        }

        if (name_end - name == 6
            && ngx_strncasecmp(name, (u_char *) "x-gzip", 6) == 0)
        {
            return !zero;
        }

        if (name_end - name == 1 && *name == '*') {
            star = !zero;
        }
    }

    return star;
}
