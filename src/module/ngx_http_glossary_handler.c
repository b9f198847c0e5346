/*
 * ngx_http_glossary_module: the content handler.
 *
 * Routes, relative to the location's prefix (glossary_format json | html):
 *
 *     ""                       index of all terms (A-Z in html)
 *     "{slug}"                 the term
 *     "{slug}/related"         its related terms (JSON in both formats)
 *     "{slug}/_payload.json"   the term as a Nuxt payload (JSON)
 *     "_category/"             the categories
 *     "_category/{slug}"       the terms of one category
 *     "_search?q=&limit="      a prefix search over names and slugs
 *     "sitemap.xml"            every page (XML)
 *
 * The module's own names hold a byte no slug can ("_", "."), so that any
 * slug is a term's; the old "search" and "category/..." redirect to the
 * new names when the blob has no term of that slug.
 *
 * The router (glossary_route_split()) and the map from routes to answers
 * (glossary_route_answer()) live in src/blob, shared with glossaryc get.
 * Every answer but a search (ngx_http_glossary_search.c) is a document
 * pre-rendered by the compiler: the handler sets headers that point into
 * the mapping, and sends the bytes from the mapping.
 */

#include "ngx_http_glossary_module.h"


#if (defined __GNUC__ || defined __clang__)
#define ngx_http_glossary_prefetch(p)  __builtin_prefetch(p)
#else
#define ngx_http_glossary_prefetch(p)
#endif


static ngx_int_t ngx_http_glossary_send_doc(ngx_http_request_t *r,
    ngx_http_glossary_data_t *data, const glossary_doc_t *doc,
    glossary_media_t media, ngx_int_t gzip);
static ngx_int_t ngx_http_glossary_redirect(ngx_http_request_t *r,
    glossary_route_t *route);
static ngx_table_elt_t *ngx_http_glossary_add_header(ngx_http_request_t *r,
    char *key, u_char *value, size_t len);
static ngx_uint_t ngx_http_glossary_accepts_gzip(ngx_http_request_t *r);
static ngx_int_t ngx_http_glossary_autolink_page(ngx_http_request_t *r,
    ngx_http_glossary_loc_conf_t *glcf, glossary_route_t *route,
    glossary_answer_t *answer);


ngx_int_t
ngx_http_glossary_handler(ngx_http_request_t *r)
{
    ngx_int_t                      rc, gzip;
    ngx_uint_t                     flags;
    glossary_route_t               route;
    glossary_answer_t              answer;
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

    flags = 0;
    gzip = -1;      /* not looked at yet */

    /* a term's look-up asks memory for the body it will send */
    if (route.unchecked) {
        gzip = ngx_http_glossary_accepts_gzip(r);

        if (gzip) {
            flags |= GLOSSARY_ANSWER_GZIP;
        }
    }

    if (glcf->format == NGX_HTTP_GLOSSARY_FORMAT_HTML) {
        flags |= GLOSSARY_ANSWER_HTML;

        if (r->uri.len && r->uri.data[r->uri.len - 1] == '/') {
            flags |= GLOSSARY_ANSWER_SLASH;
        }
    }

    switch (glossary_route_answer(&glcf->data->blob, &route, flags, &answer))
    {
    case GLOSSARY_ANSWER_DOCUMENT:

        if (answer.media == GLOSSARY_MEDIA_HTML
            && ngx_http_glossary_autolink_data(r) != NULL)
        {
            rc = ngx_http_glossary_autolink_page(r, glcf, &route, &answer);
            if (rc != NGX_OK) {
                return rc;
            }

            gzip = 0;
        }

        return ngx_http_glossary_send_doc(r, glcf->data, answer.doc,
                                          answer.media, gzip);

    case GLOSSARY_ANSWER_REDIRECT:
        return ngx_http_glossary_redirect(r, &route);

    case GLOSSARY_ANSWER_SEARCH:
        return ngx_http_glossary_search(r, glcf);

    default: /* GLOSSARY_ANSWER_NOT_FOUND, GLOSSARY_ANSWER_EMPTY */
        return ngx_http_glossary_send_error(r, NGX_HTTP_NOT_FOUND);
    }
}


/*
 * An HTML page that glossary_autolink will rewrite: sent plain, the filter
 * rewrites no compressed body (nginx's gzip filter compresses its output);
 * a term's own page, rewritten with the same blob, does not link the term.
 */

static ngx_int_t
ngx_http_glossary_autolink_page(ngx_http_request_t *r,
    ngx_http_glossary_loc_conf_t *glcf, glossary_route_t *route,
    glossary_answer_t *answer)
{
    uint32_t                   id;
    const glossary_blob_t     *blob;
    ngx_http_glossary_data_t  *al;

    al = ngx_http_glossary_autolink_data(r);
    blob = &glcf->data->blob;

    if (al != glcf->data || route->kind != GLOSSARY_ROUTE_TERM) {
        return NGX_OK;
    }

    id = glossary_blob_doc_term(blob, answer->doc);

    if (id == GLOSSARY_NO_TERM) {
        return NGX_OK;
    }

    if (ngx_http_glossary_autolink_exclude(r, al, id) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return NGX_OK;
}


/* the route of the part of the (decoded, normalised) URI after the prefix */

void
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

    glossary_route_split(r->uri.data + clcf->name.len,
                         r->uri.len - clcf->name.len, route);
}


/* gzip: whether the client takes gzip, or -1 when not yet looked at */

static ngx_int_t
ngx_http_glossary_send_doc(ngx_http_request_t *r,
    ngx_http_glossary_data_t *data, const glossary_doc_t *doc,
    glossary_media_t media, ngx_int_t gzip)
{
    ngx_int_t                  rc;
    ngx_buf_t                 *b;
    ngx_chain_t                out;
    ngx_table_elt_t           *h;
    const glossary_ref_t      *body, *etag;
    ngx_http_core_loc_conf_t  *clcf;

    if (!ngx_http_glossary_doc_ready(r, data, doc)) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    clcf = ngx_http_get_module_loc_conf(r, ngx_http_core_module);

    body = &doc->body;
    etag = &doc->etag;

    if (doc->gzip_body.len) {
        if (gzip == -1) {
            gzip = ngx_http_glossary_accepts_gzip(r);
        }

        if (gzip) {
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

    /*
     * the ETag is read by the header filter and the body by the kernel,
     * thousands of instructions from now: in a large blob both are cache
     * misses, started here so that they overlap with that work (a term's
     * document was asked for by glossary_blob_lookup_doc() already, from
     * its first bucket; this covers the others and a later bucket's)
     */
    ngx_http_glossary_prefetch(glossary_blob_ptr(&data->blob, *etag));
    ngx_http_glossary_prefetch(glossary_blob_ptr(&data->blob, *body));

    r->headers_out.status = NGX_HTTP_OK;
    ngx_http_glossary_set_type(r, media);
    r->headers_out.content_length_n = body->len;
    r->headers_out.last_modified_time = data->blob.header->build_time;

    /* the header filter sends a set header as is, without ngx_http_time() */
    h = ngx_http_glossary_add_header(r, "Last-Modified",
                                     data->last_modified.data,
                                     data->last_modified.len);
    if (h == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    r->headers_out.last_modified = h;

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


/*
 * 404 in the html format is the blob's own page when it has one; 400 and
 * 405 are short static bodies in the location's format
 */

ngx_int_t
ngx_http_glossary_send_error(ngx_http_request_t *r, ngx_uint_t status)
{
    ngx_int_t                      rc;
    ngx_str_t                      msg;
    ngx_buf_t                     *b;
    ngx_uint_t                     html;
    ngx_chain_t                    out;
    const glossary_doc_t          *doc;
    ngx_http_glossary_loc_conf_t  *glcf;

    static ngx_str_t  json[] = {
        ngx_string("{\"error\":\"bad request\"}"),
        ngx_string("{\"error\":\"not found\"}"),
        ngx_string("{\"error\":\"method not allowed\"}")
    };

    static ngx_str_t  pages[] = {
        ngx_string("<!DOCTYPE html>\n<html lang=\"en\"><head>"
                   "<meta charset=\"utf-8\"><title>Bad request</title>"
                   "</head><body><h1>Bad request</h1></body></html>\n"),
        ngx_string("<!DOCTYPE html>\n<html lang=\"en\"><head>"
                   "<meta charset=\"utf-8\"><title>Not found</title>"
                   "</head><body><h1>Not found</h1></body></html>\n"),
        ngx_string("<!DOCTYPE html>\n<html lang=\"en\"><head>"
                   "<meta charset=\"utf-8\"><title>Method not allowed"
                   "</title></head><body><h1>Method not allowed</h1>"
                   "</body></html>\n")
    };

    glcf = ngx_http_get_module_loc_conf(r, ngx_http_glossary_module);

    html = (glcf->format == NGX_HTTP_GLOSSARY_FORMAT_HTML);

    switch (status) {

    case NGX_HTTP_BAD_REQUEST:
        msg = html ? pages[0] : json[0];
        break;

    case NGX_HTTP_NOT_ALLOWED:
        msg = html ? pages[2] : json[2];

        if (ngx_http_glossary_add_header(r, "Allow", (u_char *) "GET, HEAD",
                                         sizeof("GET, HEAD") - 1)
            == NULL)
        {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        break;

    default: /* NGX_HTTP_NOT_FOUND */
        msg = json[1];

        if (html) {
            doc = (glcf->data == NULL)
                  ? NULL
                  : glossary_blob_global(&glcf->data->blob,
                                         GLOSSARY_GLOBAL_NOT_FOUND_HTML);

            if (doc != NULL && doc->body.len
                && ngx_http_glossary_doc_ready(r, glcf->data, doc))
            {
                msg.len = doc->body.len;
                msg.data = (u_char *) glossary_blob_ptr(&glcf->data->blob,
                                                        doc->body);
            } else {
                html = 0;
            }
        }

        break;
    }

    rc = ngx_http_discard_request_body(r);
    if (rc != NGX_OK) {
        return rc;
    }

    r->headers_out.status = status;
    ngx_http_glossary_set_type(r, html ? GLOSSARY_MEDIA_HTML
                                       : GLOSSARY_MEDIA_JSON);
    r->headers_out.content_length_n = msg.len;

    rc = ngx_http_send_header(r);

    if (rc == NGX_ERROR || rc > NGX_OK || r->header_only) {
        return rc;
    }

    b = ngx_calloc_buf(r->pool);
    if (b == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    b->pos = msg.data;
    b->last = msg.data + msg.len;
    b->memory = 1;
    b->last_buf = (r == r->main) ? 1 : 0;
    b->last_in_chain = 1;

    out.buf = b;
    out.next = NULL;

    return ngx_http_output_filter(r, &out);
}


/*
 * 301 to the canonical URL: lower-case slugs, no trailing slash, but
 * "_category/" with one; the query string kept (a search's)
 */

static ngx_int_t
ngx_http_glossary_redirect(ngx_http_request_t *r, glossary_route_t *route)
{
    u_char                    *location, *p;
    size_t                     size;
    ngx_table_elt_t           *h;
    ngx_http_core_loc_conf_t  *clcf;

    clcf = ngx_http_get_module_loc_conf(r, ngx_http_core_module);

    size = clcf->name.len + 1 + GLOSSARY_ROUTE_CANONICAL_LEN
           + 1 + r->args.len;

    location = ngx_pnalloc(r->pool, size);
    if (location == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    p = ngx_cpymem(location, clcf->name.data, clcf->name.len);

    if (clcf->name.len == 0 || clcf->name.data[clcf->name.len - 1] != '/') {
        *p++ = '/';
    }

    p += glossary_route_canonical(route, p);

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

    /* what clients send: "gzip" alone, or first and without parameters */
    if (end - p >= 4
        && (p[0] | 0x20) == 'g' && (p[1] | 0x20) == 'z'
        && (p[2] | 0x20) == 'i' && (p[3] | 0x20) == 'p'
        && (end - p == 4 || p[4] == ','))
    {
        return 1;
    }

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


/*
 * verify=lazy: the parts of a document (or a string) are checked against
 * their chunks' hashes the first time this worker sends them.  A corrupt
 * part is never sent: the request fails, logged at "crit" when the chunk
 * is found corrupt and at "error" each time after that.
 */

ngx_int_t
ngx_http_glossary_lazy(ngx_http_request_t *r, ngx_http_glossary_data_t *data,
    const glossary_doc_t *doc, const glossary_ref_t *ref)
{
    uint64_t           verified;
    ngx_uint_t         level;
    glossary_status_t  rc;

    verified = data->lazy.verified;

    rc = (doc != NULL) ? glossary_lazy_doc(&data->blob, &data->lazy, doc)
                       : glossary_lazy_ref(&data->blob, &data->lazy, ref);

    if (rc == GLOSSARY_OK) {
        return NGX_OK;
    }

    level = (data->lazy.verified != verified) ? NGX_LOG_CRIT : NGX_LOG_ERR;

    ngx_log_error(level, r->connection->log, 0,
                  "glossary \"%V\" is corrupt: %s: %s, not sent",
                  &data->path, glossary_blob_strerror(rc), data->lazy.detail);

    return NGX_ERROR;
}
