/*
 * ngx_http_glossary_module: search, "search?q=&limit=", a prefix search
 * over the terms' names and slugs.
 *
 * The hits are found once, then written in the location's format: as a
 * JSON array of the hits' pre-rendered objects, or into the segments of
 * the blob's HTML search page.  Only the chain that joins the fragments
 * and the decoded query come from the request pool.
 */

#include "ngx_http_glossary_module.h"
#include "glossary_fold.h"


/* the longest query after decoding, in bytes, and the hit limits */
#define NGX_HTTP_GLOSSARY_MAX_QUERY      256
#define NGX_HTTP_GLOSSARY_LIMIT_DEFAULT  10
#define NGX_HTTP_GLOSSARY_LIMIT_MAX      50


/*
 * an answer's fragments, joined without a copy: a memory buffer each, all
 * allocated at once for the most the answer can have
 */
typedef struct {
    ngx_chain_t                *links;
    ngx_buf_t                  *bufs;
    ngx_uint_t                  n;
    ngx_uint_t                  nalloc;
    off_t                       size;
} ngx_http_glossary_join_t;


/* a string of the blob */
#define ngx_http_glossary_join_ref(j, blob, ref)                              \
    ngx_http_glossary_join(j, (u_char *) glossary_blob_ptr(blob, ref),        \
                           (ref).len)


static ngx_int_t ngx_http_glossary_search_args(ngx_http_request_t *r,
    ngx_str_t *query, ngx_uint_t *limit);
static u_char ngx_http_glossary_hex(u_char c);
static ngx_uint_t ngx_http_glossary_search_scan(const glossary_blob_t *blob,
    const glossary_search_t *entries, uint32_t n, u_char *key, size_t len,
    uint32_t *ids, ngx_uint_t nids, ngx_uint_t limit);
static ngx_int_t ngx_http_glossary_search_json(ngx_http_request_t *r,
    ngx_http_glossary_data_t *data, uint32_t *ids, ngx_uint_t n);
static ngx_int_t ngx_http_glossary_search_html(ngx_http_request_t *r,
    ngx_http_glossary_data_t *data, ngx_str_t *query, uint32_t *ids,
    ngx_uint_t n);
static ngx_int_t ngx_http_glossary_join_init(ngx_http_request_t *r,
    ngx_http_glossary_join_t *j, ngx_uint_t nalloc);
static void ngx_http_glossary_join(ngx_http_glossary_join_t *j, u_char *p,
    size_t len);
static ngx_int_t ngx_http_glossary_send_join(ngx_http_request_t *r,
    ngx_http_glossary_data_t *data, ngx_http_glossary_join_t *j,
    glossary_media_t media);


/*
 * The folded query is looked up in SEARCH_TERMS (names and slugs), then in
 * SEARCH_WORDS (words inside names).  One pass in key order ranks as the
 * format asks: an exact match is the lower bound itself, so it comes
 * first, ties by index order; prefix matches follow alphabetically by
 * folded name, the order of the A-Z index; words inside names come last.
 * The compressed variants of the fragments cannot be joined into one gzip
 * stream, so a search is sent as it is (nginx's gzip filter may compress
 * it, as configured).  Called for a GLOSSARY_ANSWER_SEARCH only: the blob
 * has what a search in the location's format needs.
 */

ngx_int_t
ngx_http_glossary_search(ngx_http_request_t *r,
    ngx_http_glossary_loc_conf_t *glcf)
{
    u_char                 *key;
    size_t                  len;
    uint32_t                ids[NGX_HTTP_GLOSSARY_LIMIT_MAX];
    ngx_int_t               rc;
    ngx_str_t               query;
    ngx_uint_t              n, limit;
    const glossary_blob_t  *blob;

    blob = &glcf->data->blob;

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

    if (glcf->format == NGX_HTTP_GLOSSARY_FORMAT_HTML) {
        return ngx_http_glossary_search_html(r, glcf->data, &query, ids, n);
    }

    return ngx_http_glossary_search_json(r, glcf->data, ids, n);
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


/* [hit,hit,...]: the hits' objects, a hit without one left out */

static ngx_int_t
ngx_http_glossary_search_json(ngx_http_request_t *r,
    ngx_http_glossary_data_t *data, uint32_t *ids, ngx_uint_t n)
{
    ngx_uint_t                 i, first;
    const glossary_doc_t      *doc;
    const glossary_blob_t     *blob;
    ngx_http_glossary_join_t   j;

    blob = &data->blob;

    /* "[", a "," and an object per hit, "]" */
    if (ngx_http_glossary_join_init(r, &j, 2 * n + 2) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ngx_http_glossary_join(&j, (u_char *) "[", 1);

    first = 1;

    for (i = 0; i < n; i++) {
        doc = glossary_blob_doc(blob, ids[i], GLOSSARY_DOC_SEARCH_JSON);

        if (doc->body.len == 0) {
            continue;
        }

        if (!ngx_http_glossary_doc_ready(r, data, doc)) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        if (!first) {
            ngx_http_glossary_join(&j, (u_char *) ",", 1);
        }

        ngx_http_glossary_join_ref(&j, blob, doc->body);
        first = 0;
    }

    ngx_http_glossary_join(&j, (u_char *) "]", 1);

    return ngx_http_glossary_send_join(r, data, &j, GLOSSARY_MEDIA_JSON);
}


/*
 * the page's segments in order: its text, the query HTML-escaped, and the
 * hits' fragments (or the blob's "no results" fragment)
 */

static ngx_int_t
ngx_http_glossary_search_html(ngx_http_request_t *r,
    ngx_http_glossary_data_t *data, ngx_str_t *query, uint32_t *ids,
    ngx_uint_t n)
{
    u_char                    *escaped;
    size_t                     elen;
    ngx_uint_t                 i, k, nalloc;
    const glossary_doc_t      *doc;
    const glossary_blob_t     *blob;
    const glossary_segment_t  *seg;
    ngx_http_glossary_join_t   j;

    blob = &data->blob;
    nalloc = 0;

    for (k = 0; k < blob->search_page_count; k++) {
        nalloc += (blob->search_page[k].kind == GLOSSARY_SEGMENT_RESULTS)
                  ? ngx_max(n, 1) : 1;
    }

    if (ngx_http_glossary_join_init(r, &j, nalloc) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    escaped = NULL;
    elen = 0;

    for (k = 0; k < blob->search_page_count; k++) {
        seg = &blob->search_page[k];

        switch (seg->kind) {

        case GLOSSARY_SEGMENT_TEXT:
            /* verify=lazy: verified at load (glossary_blob_open_flags()) */
            ngx_http_glossary_join_ref(&j, blob, seg->text);
            break;

        case GLOSSARY_SEGMENT_QUERY:

            if (escaped == NULL && query->len) {
                elen = query->len
                       + ngx_escape_html(NULL, query->data, query->len);

                escaped = ngx_pnalloc(r->pool, elen);
                if (escaped == NULL) {
                    return NGX_HTTP_INTERNAL_SERVER_ERROR;
                }

                (void) ngx_escape_html(escaped, query->data, query->len);
            }

            ngx_http_glossary_join(&j, escaped, elen);
            break;

        default: /* GLOSSARY_SEGMENT_RESULTS */

            if (n == 0) {
                doc = glossary_blob_global(blob,
                                           GLOSSARY_GLOBAL_SEARCH_EMPTY_HTML);

                if (doc == NULL) {
                    break;
                }

                if (!ngx_http_glossary_doc_ready(r, data, doc)) {
                    return NGX_HTTP_INTERNAL_SERVER_ERROR;
                }

                ngx_http_glossary_join_ref(&j, blob, doc->body);
                break;
            }

            for (i = 0; i < n; i++) {
                doc = glossary_blob_doc(blob, ids[i],
                                        GLOSSARY_DOC_SEARCH_HTML);

                if (!ngx_http_glossary_doc_ready(r, data, doc)) {
                    return NGX_HTTP_INTERNAL_SERVER_ERROR;
                }

                ngx_http_glossary_join_ref(&j, blob, doc->body);
            }

            break;
        }
    }

    return ngx_http_glossary_send_join(r, data, &j, GLOSSARY_MEDIA_HTML);
}


static ngx_int_t
ngx_http_glossary_join_init(ngx_http_request_t *r,
    ngx_http_glossary_join_t *j, ngx_uint_t nalloc)
{
    j->links = ngx_palloc(r->pool, nalloc * sizeof(ngx_chain_t));
    if (j->links == NULL) {
        return NGX_ERROR;
    }

    j->bufs = ngx_pcalloc(r->pool, nalloc * sizeof(ngx_buf_t));
    if (j->bufs == NULL) {
        return NGX_ERROR;
    }

    j->n = 0;
    j->nalloc = nalloc;
    j->size = 0;

    return NGX_OK;
}


/* len bytes at p after the fragments so far; none if empty */

static void
ngx_http_glossary_join(ngx_http_glossary_join_t *j, u_char *p, size_t len)
{
    ngx_buf_t    *b;
    ngx_chain_t  *cl;

    if (len == 0) {
        return;
    }

    b = &j->bufs[j->n];
    b->pos = p;
    b->last = p + len;
    b->memory = 1;

    cl = &j->links[j->n];
    cl->buf = b;
    cl->next = NULL;

    if (j->n) {
        j->links[j->n - 1].next = cl;
    }

    j->n++;
    j->size += len;
}


/*
 * a search answer: Last-Modified is the build time (the body depends only
 * on the blob and the URL); no ETag, which would cost a hash per request
 */

static ngx_int_t
ngx_http_glossary_send_join(ngx_http_request_t *r,
    ngx_http_glossary_data_t *data, ngx_http_glossary_join_t *j,
    glossary_media_t media)
{
    ngx_int_t   rc;
    ngx_buf_t  *b;

    r->headers_out.status = NGX_HTTP_OK;
    ngx_http_glossary_set_type(r, media);
    r->headers_out.content_length_n = j->size;
    r->headers_out.last_modified_time = data->blob.header->build_time;

    rc = ngx_http_send_header(r);

    if (rc == NGX_ERROR || rc > NGX_OK || r->header_only) {
        return rc;
    }

    if (j->n == 0) {
        return ngx_http_send_special(r, NGX_HTTP_LAST);
    }

    b = &j->bufs[j->n - 1];
    b->last_buf = (r == r->main) ? 1 : 0;
    b->last_in_chain = 1;

    return ngx_http_output_filter(r, j->links);
}
