/*
 * ngx_http_glossary_module: the content handler.
 *
 * Routes, relative to the location's prefix (glossary_format json | html):
 *
 *     ""                       index of all terms (A-Z in html)
 *     "{slug}"                 the term
 *     "{slug}/related"         its related terms (JSON in both formats)
 *     "{slug}/_payload.json"   the term as a Nuxt payload (JSON)
 *     "category/"              the categories
 *     "category/{slug}"        the terms of one category
 *     "search?q=&limit="       a prefix search over names and slugs
 *     "sitemap.xml"            every page (XML)
 *
 * Every answer but a search is a document pre-rendered by the compiler:
 * the handler finds it, sets headers that point into the mapping, and
 * sends the bytes from the mapping.  A search joins pre-rendered fragments
 * of the hits; only the chain that joins them and the decoded query come
 * from the request pool.
 */

#include "ngx_http_glossary_module.h"
#include "glossary_route.h"
#include "glossary_fold.h"


#if (defined __GNUC__ || defined __clang__)
#define ngx_http_glossary_prefetch(p)  __builtin_prefetch(p)
#else
#define ngx_http_glossary_prefetch(p)
#endif


/* the longest query after decoding, in bytes, and the hit limits */
#define NGX_HTTP_GLOSSARY_MAX_QUERY      256
#define NGX_HTTP_GLOSSARY_LIMIT_DEFAULT  10
#define NGX_HTTP_GLOSSARY_LIMIT_MAX      50


static void ngx_http_glossary_route(ngx_http_request_t *r,
    glossary_route_t *route);
static ngx_int_t ngx_http_glossary_search(ngx_http_request_t *r,
    ngx_http_glossary_loc_conf_t *glcf);
static ngx_int_t ngx_http_glossary_search_args(ngx_http_request_t *r,
    ngx_str_t *query, ngx_uint_t *limit);
static u_char ngx_http_glossary_hex(u_char c);
static ngx_uint_t ngx_http_glossary_search_scan(const glossary_blob_t *blob,
    const glossary_search_t *entries, uint32_t n, u_char *key, size_t len,
    uint32_t *ids, ngx_uint_t nids, ngx_uint_t limit);
static ngx_int_t ngx_http_glossary_append(ngx_http_request_t *r,
    ngx_chain_t ***last, u_char *p, size_t len, off_t *size);
static ngx_int_t ngx_http_glossary_send_chain(ngx_http_request_t *r,
    ngx_http_glossary_data_t *data, ngx_chain_t *out, off_t size,
    glossary_media_t media);
static ngx_int_t ngx_http_glossary_send_doc(ngx_http_request_t *r,
    ngx_http_glossary_data_t *data, const glossary_doc_t *doc,
    glossary_media_t media, ngx_int_t gzip);
static ngx_int_t ngx_http_glossary_send_error(ngx_http_request_t *r,
    ngx_uint_t status);
static ngx_int_t ngx_http_glossary_redirect(ngx_http_request_t *r,
    glossary_route_t *route);
static void ngx_http_glossary_set_type(ngx_http_request_t *r,
    glossary_media_t media);
static ngx_table_elt_t *ngx_http_glossary_add_header(ngx_http_request_t *r,
    char *key, u_char *value, size_t len);
static ngx_uint_t ngx_http_glossary_accepts_gzip(ngx_http_request_t *r);


/* indexed by glossary_media_t; len: the media type without ";" */
static struct {
    ngx_str_t   value;
    size_t      len;
} ngx_http_glossary_types[] = {
    { ngx_string("application/json; charset=utf-8"),
      sizeof("application/json") - 1 },
    { ngx_string("text/html; charset=utf-8"), sizeof("text/html") - 1 },
    { ngx_string("application/xml; charset=utf-8"),
      sizeof("application/xml") - 1 }
};


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

    glossary_route_split(r->uri.data + clcf->name.len,
                         r->uri.len - clcf->name.len, route);
}


/*
 * The folded query is looked up in SEARCH_TERMS (names and slugs), then in
 * SEARCH_WORDS (words inside names).  One pass in key order ranks as the
 * format asks: an exact match is the lower bound itself, so it comes
 * first, ties by index order; prefix matches follow alphabetically by
 * folded name, the order of the A-Z index; words inside names come last.
 * The compressed variants of the fragments cannot be joined into one gzip
 * stream, so a search is sent as it is (nginx's gzip filter may compress
 * it, as configured).
 */

static ngx_int_t
ngx_http_glossary_search(ngx_http_request_t *r,
    ngx_http_glossary_loc_conf_t *glcf)
{
    u_char                    *key, *escaped;
    off_t                      size;
    size_t                     len, elen;
    uint32_t                   ids[NGX_HTTP_GLOSSARY_LIMIT_MAX];
    ngx_int_t                  rc;
    ngx_str_t                  query;
    ngx_uint_t                 i, k, n, html, limit, first;
    ngx_chain_t               *out, **last;
    const glossary_doc_t      *doc;
    const glossary_blob_t     *blob;
    const glossary_segment_t  *seg;

    blob = &glcf->data->blob;
    html = (glcf->format == NGX_HTTP_GLOSSARY_FORMAT_HTML);

    rc = ngx_http_glossary_search_args(r, &query, &limit);

    if (rc == NGX_ERROR) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (rc == NGX_DECLINED) {
        return ngx_http_glossary_send_error(r, NGX_HTTP_BAD_REQUEST);
    }

    n = 0;

    if (query.len) {
        key = ngx_pnalloc(r->pool, query.len);
        if (key == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        len = glossary_fold(key, query.data, query.len);

        if (len) {
            n = ngx_http_glossary_search_scan(blob, blob->search_terms,
                                              blob->search_term_count,
                                              key, len, ids, 0, limit);
            n = ngx_http_glossary_search_scan(blob, blob->search_words,
                                              blob->search_word_count,
                                              key, len, ids, n, limit);
        }
    }

    ngx_log_debug2(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "glossary search \"%V\": %ui hits", &query, n);

    out = NULL;
    last = &out;
    size = 0;

    if (!html) {
        if (ngx_http_glossary_append(r, &last, (u_char *) "[", 1, &size)
            != NGX_OK)
        {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        first = 1;

        for (i = 0; i < n; i++) {
            doc = glossary_blob_doc(blob, ids[i], GLOSSARY_DOC_SEARCH_JSON);

            if (doc->body.len == 0) {
                continue;
            }

            if (!ngx_http_glossary_doc_ready(r, glcf->data, doc)) {
                return NGX_HTTP_INTERNAL_SERVER_ERROR;
            }

            if ((!first
                 && ngx_http_glossary_append(r, &last, (u_char *) ",", 1,
                                             &size)
                    != NGX_OK)
                || ngx_http_glossary_append(r, &last,
                                            (u_char *) glossary_blob_ptr(
                                                blob, doc->body),
                                            doc->body.len, &size)
                   != NGX_OK)
            {
                return NGX_HTTP_INTERNAL_SERVER_ERROR;
            }

            first = 0;
        }

        if (ngx_http_glossary_append(r, &last, (u_char *) "]", 1, &size)
            != NGX_OK)
        {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        return ngx_http_glossary_send_chain(r, glcf->data, out, size,
                                            GLOSSARY_MEDIA_JSON);
    }

    escaped = NULL;
    elen = 0;

    for (k = 0; k < blob->search_page_count; k++) {
        seg = &blob->search_page[k];

        switch (seg->kind) {

        case GLOSSARY_SEGMENT_TEXT:
            /* verify=lazy: verified at load (glossary_blob_open_flags()) */
            rc = ngx_http_glossary_append(r, &last,
                                          (u_char *) glossary_blob_ptr(
                                              blob, seg->text),
                                          seg->text.len, &size);
            break;

        case GLOSSARY_SEGMENT_QUERY:

            if (escaped == NULL && query.len) {
                elen = query.len
                       + ngx_escape_html(NULL, query.data, query.len);

                escaped = ngx_pnalloc(r->pool, elen);
                if (escaped == NULL) {
                    return NGX_HTTP_INTERNAL_SERVER_ERROR;
                }

                (void) ngx_escape_html(escaped, query.data, query.len);
            }

            rc = ngx_http_glossary_append(r, &last, escaped, elen, &size);
            break;

        default: /* GLOSSARY_SEGMENT_RESULTS */

            if (n == 0) {
                doc = glossary_blob_global(blob,
                                           GLOSSARY_GLOBAL_SEARCH_EMPTY_HTML);

                if (doc != NULL
                    && !ngx_http_glossary_doc_ready(r, glcf->data, doc))
                {
                    return NGX_HTTP_INTERNAL_SERVER_ERROR;
                }

                rc = (doc == NULL)
                     ? NGX_OK
                     : ngx_http_glossary_append(r, &last,
                                                (u_char *) glossary_blob_ptr(
                                                    blob, doc->body),
                                                doc->body.len, &size);
                break;
            }

            rc = NGX_OK;

            for (i = 0; i < n && rc == NGX_OK; i++) {
                doc = glossary_blob_doc(blob, ids[i],
                                        GLOSSARY_DOC_SEARCH_HTML);

                if (!ngx_http_glossary_doc_ready(r, glcf->data, doc)) {
                    return NGX_HTTP_INTERNAL_SERVER_ERROR;
                }

                rc = ngx_http_glossary_append(r, &last,
                                              (u_char *) glossary_blob_ptr(
                                                  blob, doc->body),
                                              doc->body.len, &size);
            }

            break;
        }

        if (rc != NGX_OK) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }
    }

    return ngx_http_glossary_send_chain(r, glcf->data, out, size,
                                        GLOSSARY_MEDIA_HTML);
}


/*
 * q: "+" is a space and %XX a byte (a "%" not followed by two hex digits
 * stays as it is); the result must be UTF-8 and at most
 * NGX_HTTP_GLOSSARY_MAX_QUERY bytes.  limit: 1 or more, at most
 * NGX_HTTP_GLOSSARY_LIMIT_MAX (larger asks get that many).  NGX_DECLINED:
 * a bad request.
 */

static ngx_int_t
ngx_http_glossary_search_args(ngx_http_request_t *r, ngx_str_t *query,
    ngx_uint_t *limit)
{
    u_char     *p, *s, *end, c, hi, lo;
    uint32_t    u;
    ngx_int_t   n;
    ngx_str_t   value;

    query->len = 0;
    query->data = (u_char *) "";

    if (ngx_http_arg(r, (u_char *) "q", 1, &value) == NGX_OK
        && value.len)
    {
        /* every byte of the result takes at least one, at most three */
        if (value.len > 3 * NGX_HTTP_GLOSSARY_MAX_QUERY) {
            return NGX_DECLINED;
        }

        query->data = ngx_pnalloc(r->pool, value.len);
        if (query->data == NULL) {
            return NGX_ERROR;
        }

        p = query->data;
        s = value.data;
        end = s + value.len;

        while (s < end) {
            c = *s++;

            if (c == '+') {
                c = ' ';

            } else if (c == '%' && end - s >= 2
                       && (hi = ngx_http_glossary_hex(s[0])) < 16
                       && (lo = ngx_http_glossary_hex(s[1])) < 16)
            {
                c = (u_char) (hi << 4 | lo);
                s += 2;
            }

            *p++ = c;
        }

        query->len = p - query->data;

        if (query->len > NGX_HTTP_GLOSSARY_MAX_QUERY) {
            return NGX_DECLINED;
        }

        for (p = query->data, end = p + query->len; p < end; /* void */) {

            if (*p < 0x80) {
                p++;
                continue;
            }

            u = ngx_utf8_decode(&p, end - p);

            if (u > 0x10ffff) {
                return NGX_DECLINED;
            }
        }
    }

    *limit = NGX_HTTP_GLOSSARY_LIMIT_DEFAULT;

    if (ngx_http_arg(r, (u_char *) "limit", 5, &value) == NGX_OK) {
        n = ngx_atoi(value.data, value.len);

        if (n == NGX_ERROR || n == 0) {
            return NGX_DECLINED;
        }

        *limit = ngx_min((ngx_uint_t) n, NGX_HTTP_GLOSSARY_LIMIT_MAX);
    }

    return NGX_OK;
}


/* the value of a hexadecimal digit, 16 for any other byte */

static u_char
ngx_http_glossary_hex(u_char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }

    c |= 0x20;

    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }

    return 16;
}


/*
 * adds the terms of the entries whose key starts with the len bytes at key
 * to ids (nids of them so far) until there are limit; returns the count.
 * A term has at most GLOSSARY_MAX_SEARCH_KEYS entries in an array, so the
 * entries of terms already found that can be skipped are bounded too.
 */

static ngx_uint_t
ngx_http_glossary_search_scan(const glossary_blob_t *blob,
    const glossary_search_t *entries, uint32_t n, u_char *key, size_t len,
    uint32_t *ids, ngx_uint_t nids, ngx_uint_t limit)
{
    uint32_t    i;
    ngx_uint_t  k;

    if (entries == NULL) {
        return nids;
    }

    for (i = glossary_blob_search_lower(entries, n, blob, key, len);
         i < n && nids < limit;
         i++)
    {
        if (entries[i].key.len < len
            || ngx_memcmp(glossary_blob_ptr(blob, entries[i].key), key, len)
               != 0)
        {
            break;
        }

        for (k = 0; k < nids; k++) {
            if (ids[k] == entries[i].term_id) {
                break;
            }
        }

        if (k == nids) {
            ids[nids++] = entries[i].term_id;
        }
    }

    return nids;
}


/* a memory buffer of len bytes at p at the end of a chain; none if empty */

static ngx_int_t
ngx_http_glossary_append(ngx_http_request_t *r, ngx_chain_t ***last,
    u_char *p, size_t len, off_t *size)
{
    ngx_buf_t    *b;
    ngx_chain_t  *cl;

    if (len == 0) {
        return NGX_OK;
    }

    b = ngx_calloc_buf(r->pool);
    if (b == NULL) {
        return NGX_ERROR;
    }

    cl = ngx_alloc_chain_link(r->pool);
    if (cl == NULL) {
        return NGX_ERROR;
    }

    b->pos = p;
    b->last = p + len;
    b->memory = 1;

    cl->buf = b;
    cl->next = NULL;

    **last = cl;
    *last = &cl->next;
    *size += len;

    return NGX_OK;
}


/*
 * a search answer: Last-Modified is the build time (the body depends only
 * on the blob and the URL); no ETag, which would cost a hash per request
 */

static ngx_int_t
ngx_http_glossary_send_chain(ngx_http_request_t *r,
    ngx_http_glossary_data_t *data, ngx_chain_t *out, off_t size,
    glossary_media_t media)
{
    ngx_int_t     rc;
    ngx_chain_t  *cl;

    r->headers_out.status = NGX_HTTP_OK;
    ngx_http_glossary_set_type(r, media);
    r->headers_out.content_length_n = size;
    r->headers_out.last_modified_time = data->blob.header->build_time;

    rc = ngx_http_send_header(r);

    if (rc == NGX_ERROR || rc > NGX_OK || r->header_only) {
        return rc;
    }

    if (out == NULL) {
        return ngx_http_send_special(r, NGX_HTTP_LAST);
    }

    for (cl = out; cl->next; cl = cl->next) { /* void */ }

    cl->buf->last_buf = (r == r->main) ? 1 : 0;
    cl->buf->last_in_chain = 1;

    return ngx_http_output_filter(r, out);
}


/*
 * $glossary_slug, $glossary_term, $glossary_category: of the term that
 * answers this request in this location, empty otherwise ($glossary_category
 * is also the category's name on its own route); $glossary_build:
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
    const glossary_category_t     *c;
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

    if (!(r->method & (NGX_HTTP_GET|NGX_HTTP_HEAD))) {
        return NGX_OK;      /* 405: no term answered */
    }

    /* not checked: an upper-case or malformed slug is simply not found */
    ngx_http_glossary_route(r, &route);

    if (route.redirect) {
        return NGX_OK;
    }

    blob = &glcf->data->blob;

    if (route.kind == GLOSSARY_ROUTE_CATEGORY) {

        if (data != NGX_HTTP_GLOSSARY_VAR_CATEGORY) {
            return NGX_OK;
        }

        c = glossary_blob_category(blob, route.slug, route.slug_len);

        if (c != NULL && ngx_http_glossary_ref_ready(r, glcf->data, &c->name))
        {
            v->len = c->name.len;
            v->data = (u_char *) glossary_blob_ptr(blob, c->name);
        }

        return NGX_OK;
    }

    if (route.kind != GLOSSARY_ROUTE_TERM
        && route.kind != GLOSSARY_ROUTE_RELATED
        && route.kind != GLOSSARY_ROUTE_PAYLOAD)
    {
        return NGX_OK;
    }

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

    if (!ngx_http_glossary_ref_ready(r, glcf->data, ref)) {
        return NGX_OK;      /* empty, as for no term */
    }

    v->len = ref->len;
    v->data = (u_char *) glossary_blob_ptr(blob, *ref);

    return NGX_OK;
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
                       "\"mode\":\"copy\",\"verify\":\"full\",\"chunks\":,"
                       "\"chunks_verified\":,\"chunks_corrupt\":,"
                       "\"build_time\":\"\",\"build_time_epoch\":,"
                       "\"loaded\":\"\",\"loaded_epoch\":},")
                + d[i]->path.len
                + ngx_escape_json(NULL, d[i]->path.data, d[i]->path.len)
                + 16 + 18 + 2 * NGX_INT_T_LEN + 8 * NGX_INT64_LEN
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

static ngx_int_t
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
 * "category/" with one
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


static void
ngx_http_glossary_set_type(ngx_http_request_t *r, glossary_media_t media)
{
    r->headers_out.content_type = ngx_http_glossary_types[media].value;
    r->headers_out.content_type_len = ngx_http_glossary_types[media].len;
    r->headers_out.content_type_lowcase = NULL;
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
