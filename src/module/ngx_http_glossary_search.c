/*
 * ngx_http_glossary_module: search,
 * "_search?q=&limit=&category=&match=&meta=&snippets=".
 *
 * With the blob's search index (formats 1.3 and 2.0, src/blob/SEARCH.md)
 * the query is answered by the full-text engine: ranked hits with a
 * snippet each, "did you mean" when nothing matches.  Without it, as before: a prefix
 * search over the terms' names and slugs.  The hits are found once, then
 * written in the location's format: JSON (the hits' pre-rendered objects,
 * each with the engine's fields added, in an array or, with meta=1, in an
 * object that says how the answer was found) or the blob's HTML search
 * page.  The engine's scratch is the process's own, allocated with the
 * blob; only the answer's pieces come from the request pool.
 */

#include "ngx_http_glossary_module.h"
#include "glossary_fold.h"


/* the longest query after decoding, in bytes, and the hit limits */
#define NGX_HTTP_GLOSSARY_MAX_QUERY      GLOSSARY_FTS_MAX_QUERY
#define NGX_HTTP_GLOSSARY_LIMIT_DEFAULT  10
#define NGX_HTTP_GLOSSARY_LIMIT_MAX      GLOSSARY_FTS_MAX_HITS

/* a category no document has: an unknown category= finds nothing */
#define NGX_HTTP_GLOSSARY_NO_CATEGORY    0xfffffffeu

/* the most bytes one escaped snippet byte takes: "&quot;", "\u001f" */
#define NGX_HTTP_GLOSSARY_ESCAPED_MAX    6

/* a snippet's marks and ellipses, escaped or not */
#define NGX_HTTP_GLOSSARY_MARK_OPEN      "<mark>"
#define NGX_HTTP_GLOSSARY_MARK_CLOSE     "</mark>"
#define NGX_HTTP_GLOSSARY_ELLIPSIS       "\xe2\x80\xa6"

/* the most bytes a snippet takes written: every byte escaped, every mark */
#define NGX_HTTP_GLOSSARY_SNIPPET_MAX                                         \
    (GLOSSARY_FTS_SNIPPET_MAX * NGX_HTTP_GLOSSARY_ESCAPED_MAX                 \
     + GLOSSARY_FTS_MAX_MARKS * (sizeof(NGX_HTTP_GLOSSARY_MARK_OPEN           \
                                        NGX_HTTP_GLOSSARY_MARK_CLOSE) - 1)    \
     + 2 * (sizeof(NGX_HTTP_GLOSSARY_ELLIPSIS) - 1))

/* a hit's fields after its object (ngx_http_glossary_hit_json) */
#define NGX_HTTP_GLOSSARY_HIT_JSON_MAX                                        \
    (sizeof(",\"rank\":,\"score\":,\"words\":,\"typos\":,"                   \
            "\"match\":\"alias\",\"snippet\":\"\","                            \
            "\"snippetField\":\"shortDefinition\"}")                          \
     + 4 * NGX_INT32_LEN + NGX_HTTP_GLOSSARY_SNIPPET_MAX)


typedef struct {
    ngx_str_t                   query;
    ngx_str_t                   category;       /* as given, lower case */
    ngx_uint_t                  limit;
    uint32_t                    cat;            /* the engine's number */
    unsigned                    meta:1;
    unsigned                    all:1;          /* match=all */
    unsigned                    nosnippets:1;   /* snippets=0 */
} ngx_http_glossary_search_args_t;


/* what a search found, by the engine or by prefixes */
typedef struct {
    uint32_t                    ids[NGX_HTTP_GLOSSARY_LIMIT_MAX];
    ngx_uint_t                  n;
    glossary_fts_result_t      *res;            /* NULL: prefix search */
    ngx_str_t                   suggestion;
} ngx_http_glossary_hits_t;


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

#define ngx_http_glossary_join_str(j, s)                                      \
    ngx_http_glossary_join(j, (u_char *) s, sizeof(s) - 1)


static ngx_int_t ngx_http_glossary_search_args(ngx_http_request_t *r,
    ngx_http_glossary_data_t *data, ngx_http_glossary_search_args_t *args);
static ngx_int_t ngx_http_glossary_decode(ngx_http_request_t *r,
    ngx_str_t *value, ngx_str_t *out);
static u_char ngx_http_glossary_hex(u_char c);
static ngx_int_t ngx_http_glossary_search_fts(ngx_http_request_t *r,
    ngx_http_glossary_data_t *data, ngx_http_glossary_search_args_t *args,
    ngx_http_glossary_hits_t *hits);
static void ngx_http_glossary_search_prefix(ngx_http_glossary_data_t *data,
    ngx_http_glossary_search_args_t *args, ngx_http_glossary_hits_t *hits);
static ngx_uint_t ngx_http_glossary_search_scan(const glossary_blob_t *blob,
    const glossary_search_t *entries, uint32_t n, u_char *key, size_t len,
    const glossary_category_t *cat, uint32_t *ids, ngx_uint_t nids,
    ngx_uint_t limit);
static ngx_int_t ngx_http_glossary_search_json(ngx_http_request_t *r,
    ngx_http_glossary_data_t *data, ngx_http_glossary_search_args_t *args,
    ngx_http_glossary_hits_t *hits);
static u_char *ngx_http_glossary_search_meta(ngx_http_request_t *r,
    ngx_http_glossary_search_args_t *args, ngx_http_glossary_hits_t *hits,
    size_t *len);
static u_char *ngx_http_glossary_hit_json(ngx_http_request_t *r,
    ngx_http_glossary_data_t *data, ngx_http_glossary_hits_t *hits,
    ngx_uint_t i, ngx_uint_t snippets, size_t *len);
static ngx_int_t ngx_http_glossary_search_html(ngx_http_request_t *r,
    ngx_http_glossary_data_t *data, ngx_http_glossary_search_args_t *args,
    ngx_http_glossary_hits_t *hits);
static ngx_int_t ngx_http_glossary_hit_html(ngx_http_request_t *r,
    ngx_http_glossary_data_t *data, ngx_http_glossary_hits_t *hits,
    ngx_uint_t i, ngx_http_glossary_join_t *j);
static ngx_int_t ngx_http_glossary_suggestion_html(ngx_http_request_t *r,
    ngx_http_glossary_search_args_t *args, ngx_http_glossary_hits_t *hits,
    ngx_http_glossary_join_t *j);
static ngx_int_t ngx_http_glossary_snippet(ngx_http_request_t *r,
    ngx_http_glossary_data_t *data, ngx_http_glossary_hits_t *hits,
    ngx_uint_t i, uint32_t field, glossary_fts_snippet_t *sn);
static u_char *ngx_http_glossary_snippet_write(u_char *p,
    const glossary_fts_snippet_t *sn, ngx_uint_t json);
static uintptr_t ngx_http_glossary_escape(u_char *dst, const u_char *src,
    size_t size, ngx_uint_t json);
static ngx_int_t ngx_http_glossary_join_init(ngx_http_request_t *r,
    ngx_http_glossary_join_t *j, ngx_uint_t nalloc);
static void ngx_http_glossary_join(ngx_http_glossary_join_t *j, u_char *p,
    size_t len);
static ngx_int_t ngx_http_glossary_send_join(ngx_http_request_t *r,
    ngx_http_glossary_data_t *data, ngx_http_glossary_join_t *j,
    glossary_media_t media);


/*
 * The compressed variants of the fragments cannot be joined into one gzip
 * stream, so a search is sent as it is (nginx's gzip filter may compress
 * it, as configured).  Called for a GLOSSARY_ANSWER_SEARCH only: the blob
 * has what a search in the location's format needs.
 */

ngx_int_t
ngx_http_glossary_search(ngx_http_request_t *r,
    ngx_http_glossary_loc_conf_t *glcf)
{
    ngx_int_t                         rc;
    ngx_http_glossary_data_t         *data;
    ngx_http_glossary_hits_t          hits;
    glossary_fts_result_t             res;
    ngx_http_glossary_search_args_t   args;

    data = glcf->data;

    rc = ngx_http_glossary_search_args(r, data, &args);

    if (rc == NGX_ERROR) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (rc == NGX_DECLINED) {
        return ngx_http_glossary_send_error(r, NGX_HTTP_BAD_REQUEST);
    }

    hits.n = 0;
    hits.res = NULL;
    ngx_str_null(&hits.suggestion);

    if (data->fts.base != NULL) {
        hits.res = &res;

        if (ngx_http_glossary_search_fts(r, data, &args, &hits) != NGX_OK) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

    } else {
        ngx_http_glossary_search_prefix(data, &args, &hits);
    }

    ngx_log_debug3(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "glossary search \"%V\": %ui hits, flags 0x%xD",
                   &args.query, hits.n,
                   hits.res ? hits.res->flags : (uint32_t) 0);

    if (glcf->format == NGX_HTTP_GLOSSARY_FORMAT_HTML) {
        return ngx_http_glossary_search_html(r, data, &args, &hits);
    }

    return ngx_http_glossary_search_json(r, data, &args, &hits);
}


/*
 * q: "+" is a space and %XX a byte (a "%" not followed by two hex digits
 * stays as it is); the result must be UTF-8 and at most
 * NGX_HTTP_GLOSSARY_MAX_QUERY bytes.  limit: 1 or more, at most
 * NGX_HTTP_GLOSSARY_LIMIT_MAX (larger asks get that many).  category: a
 * category's slug (any case), decoded as q is; one the blob does not have
 * finds nothing.  match: "all" or "any"; meta: "0" or "1".  NGX_DECLINED:
 * a bad request.
 */

static ngx_int_t
ngx_http_glossary_search_args(ngx_http_request_t *r,
    ngx_http_glossary_data_t *data, ngx_http_glossary_search_args_t *args)
{
    u_char                     *p, *end;
    uint32_t                    u;
    ngx_int_t                   n, rc;
    ngx_str_t                   value;
    const glossary_category_t  *c;

    ngx_memzero(args, sizeof(ngx_http_glossary_search_args_t));

    args->query.data = (u_char *) "";
    args->cat = GLOSSARY_FTS_ANY_CATEGORY;

    if (ngx_http_arg(r, (u_char *) "q", 1, &value) == NGX_OK && value.len) {
        rc = ngx_http_glossary_decode(r, &value, &args->query);
        if (rc != NGX_OK) {
            return rc;
        }

        for (p = args->query.data, end = p + args->query.len;
             p < end;
             /* void */)
        {
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

    args->limit = NGX_HTTP_GLOSSARY_LIMIT_DEFAULT;

    if (ngx_http_arg(r, (u_char *) "limit", 5, &value) == NGX_OK) {
        n = ngx_atoi(value.data, value.len);

        if (n == NGX_ERROR || n == 0) {
            return NGX_DECLINED;
        }

        args->limit = ngx_min((ngx_uint_t) n, NGX_HTTP_GLOSSARY_LIMIT_MAX);
    }

    if (ngx_http_arg(r, (u_char *) "category", 8, &value) == NGX_OK
        && value.len)
    {
        rc = ngx_http_glossary_decode(r, &value, &args->category);
        if (rc != NGX_OK) {
            return rc;
        }

        ngx_strlow(args->category.data, args->category.data,
                   args->category.len);

        c = glossary_blob_category(&data->blob, args->category.data,
                                   args->category.len);

        args->cat = (c != NULL) ? (uint32_t) (c - data->blob.categories)
                                : NGX_HTTP_GLOSSARY_NO_CATEGORY;
    }

    if (ngx_http_arg(r, (u_char *) "match", 5, &value) == NGX_OK) {
        if (value.len == 3 && ngx_strncmp(value.data, "all", 3) == 0) {
            args->all = 1;

        } else if (value.len != 3 || ngx_strncmp(value.data, "any", 3) != 0)
        {
            return NGX_DECLINED;
        }
    }

    if (ngx_http_arg(r, (u_char *) "meta", 4, &value) == NGX_OK) {
        if (value.len != 1 || (value.data[0] != '0' && value.data[0] != '1'))
        {
            return NGX_DECLINED;
        }

        args->meta = (value.data[0] == '1');
    }

    if (ngx_http_arg(r, (u_char *) "snippets", 8, &value) == NGX_OK) {
        if (value.len != 1 || (value.data[0] != '0' && value.data[0] != '1'))
        {
            return NGX_DECLINED;
        }

        args->nosnippets = (value.data[0] == '0');
    }

    return NGX_OK;
}


/* an argument's value decoded into the request pool, at most 256 bytes */

static ngx_int_t
ngx_http_glossary_decode(ngx_http_request_t *r, ngx_str_t *value,
    ngx_str_t *out)
{
    u_char  *p, *s, *end, c, hi, lo;

    /* every byte of the result takes at least one, at most three */
    if (value->len > 3 * NGX_HTTP_GLOSSARY_MAX_QUERY) {
        return NGX_DECLINED;
    }

    out->data = ngx_pnalloc(r->pool, value->len);
    if (out->data == NULL) {
        return NGX_ERROR;
    }

    p = out->data;
    s = value->data;
    end = s + value->len;

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

    out->len = p - out->data;

    return out->len > NGX_HTTP_GLOSSARY_MAX_QUERY ? NGX_DECLINED : NGX_OK;
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
 * The engine, with this process's scratch.  Opened lazily, a posting list
 * is checked the first time a query reads it: a corrupt one fails the
 * search, logged at "crit" when it is found and at "error" after.
 */

static ngx_int_t
ngx_http_glossary_search_fts(ngx_http_request_t *r,
    ngx_http_glossary_data_t *data, ngx_http_glossary_search_args_t *args,
    ngx_http_glossary_hits_t *hits)
{
    int                    rc;
    uint64_t               corrupt;
    ngx_uint_t             i, level;
    glossary_fts_query_t   q;

    q.text = args->query.data;
    q.len = args->query.len;
    q.category = args->cat;
    q.limit = (uint32_t) args->limit;
    q.flags = args->all ? GLOSSARY_FTS_ALL_WORDS : 0;

    corrupt = data->fts_lazy.corrupt;

    rc = glossary_fts_search(&data->fts, data->fts_scratch,
                             data->fts_scratch_size, &q, hits->res);

    if (rc == -2) {
        level = (data->fts_lazy.corrupt != corrupt) ? NGX_LOG_CRIT
                                                    : NGX_LOG_ERR;

        ngx_log_error(level, r->connection->log, 0,
                      "glossary \"%V\" is corrupt: %s: %s, search failed",
                      &data->path, glossary_blob_strerror(GLOSSARY_ERR_SEARCH),
                      data->fts_lazy.detail);
        return NGX_ERROR;
    }

    if (rc != 0) {
        ngx_log_error(NGX_LOG_ALERT, r->connection->log, 0,
                      "glossary search failed: scratch of %uz bytes",
                      data->fts_scratch_size);
        return NGX_ERROR;
    }

    hits->n = hits->res->nhits;

    for (i = 0; i < hits->n; i++) {
        hits->ids[i] = hits->res->hits[i].doc;
    }

    /* the suggestion lies in the scratch: kept before snippets use it */

    if (hits->res->suggestion != NULL) {
        hits->suggestion.len = hits->res->suggestion_len;
        hits->suggestion.data = ngx_pnalloc(r->pool, hits->suggestion.len);
        if (hits->suggestion.data == NULL) {
            return NGX_ERROR;
        }

        ngx_memcpy(hits->suggestion.data, hits->res->suggestion,
                   hits->suggestion.len);
    }

    return NGX_OK;
}


/*
 * The 1.1 prefix search.  The folded query is looked up in SEARCH_TERMS
 * (names and slugs), then in SEARCH_WORDS (words inside names).  One pass
 * in key order ranks as the format asks: an exact match is the lower bound
 * itself, so it comes first, ties by index order; prefix matches follow
 * alphabetically by folded name, the order of the A-Z index; words inside
 * names come last.
 */

static void
ngx_http_glossary_search_prefix(ngx_http_glossary_data_t *data,
    ngx_http_glossary_search_args_t *args, ngx_http_glossary_hits_t *hits)
{
    u_char                      key[NGX_HTTP_GLOSSARY_MAX_QUERY];
    size_t                      len;
    const glossary_blob_t      *blob;
    const glossary_category_t  *cat;

    blob = &data->blob;

    if (args->query.len == 0 || args->cat == NGX_HTTP_GLOSSARY_NO_CATEGORY) {
        return;
    }

    cat = (args->cat != GLOSSARY_FTS_ANY_CATEGORY)
          ? &blob->categories[args->cat] : NULL;

    len = glossary_fold(key, args->query.data, args->query.len);

    if (len == 0) {
        return;
    }

    hits->n = ngx_http_glossary_search_scan(blob, blob->search_terms,
                                            blob->search_term_count, key,
                                            len, cat, hits->ids, 0,
                                            args->limit);
    hits->n = ngx_http_glossary_search_scan(blob, blob->search_words,
                                            blob->search_word_count, key,
                                            len, cat, hits->ids, hits->n,
                                            args->limit);
}


/*
 * adds the terms of the entries whose key starts with the len bytes at key
 * (of the category cat, unless NULL: a term whose category name is cat's,
 * in any case) to ids (nids of them so far) until there are limit; returns
 * the count.  A term has at most GLOSSARY_MAX_SEARCH_KEYS entries in an
 * array, so the entries of terms already found that can be skipped are
 * bounded too.
 */

static ngx_uint_t
ngx_http_glossary_search_scan(const glossary_blob_t *blob,
    const glossary_search_t *entries, uint32_t n, u_char *key, size_t len,
    const glossary_category_t *cat, uint32_t *ids, ngx_uint_t nids,
    ngx_uint_t limit)
{
    uint32_t                i;
    ngx_uint_t              k;
    const glossary_term_t  *t;

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

        if (cat != NULL) {
            t = &blob->terms[entries[i].term_id];

            if (t->category.len != cat->name.len
                || ngx_strncasecmp((u_char *) glossary_blob_ptr(blob,
                                                                t->category),
                                   (u_char *) glossary_blob_ptr(blob,
                                                                cat->name),
                                   cat->name.len)
                   != 0)
            {
                continue;
            }
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


/*
 * [hit,hit,...]: the hits' pre-rendered objects, a hit without one left
 * out; found by the engine, each object gets its fields before its "}".
 * With meta=1 the array is the "hits" of an object that says how the
 * answer was found.
 */

static ngx_int_t
ngx_http_glossary_search_json(ngx_http_request_t *r,
    ngx_http_glossary_data_t *data, ngx_http_glossary_search_args_t *args,
    ngx_http_glossary_hits_t *hits)
{
    u_char                    *p;
    size_t                     len;
    ngx_uint_t                 i, first;
    const glossary_doc_t      *doc;
    const glossary_blob_t     *blob;
    ngx_http_glossary_join_t   j;

    blob = &data->blob;

    /* the envelope, "[", per hit "," an object and its fields, "]", "}" */
    if (ngx_http_glossary_join_init(r, &j, 3 * hits->n + 4) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (args->meta) {
        p = ngx_http_glossary_search_meta(r, args, hits, &len);
        if (p == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        ngx_http_glossary_join(&j, p, len);
    }

    ngx_http_glossary_join_str(&j, "[");

    first = 1;

    for (i = 0; i < hits->n; i++) {
        doc = glossary_blob_doc(blob, hits->ids[i], GLOSSARY_DOC_SEARCH_JSON);

        if (doc->body.len == 0) {
            continue;
        }

        if (!ngx_http_glossary_doc_ready(r, data, doc)) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        if (!first) {
            ngx_http_glossary_join_str(&j, ",");
        }

        first = 0;

        if (hits->res == NULL
            || glossary_blob_ptr(blob, doc->body)[doc->body.len - 1] != '}')
        {
            ngx_http_glossary_join_ref(&j, blob, doc->body);
            continue;
        }

        /* the object but its "}", then the engine's fields and "}" */

        p = ngx_http_glossary_hit_json(r, data, hits, i, !args->nosnippets,
                                       &len);
        if (p == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        ngx_http_glossary_join(&j, (u_char *) glossary_blob_ptr(blob,
                                                                doc->body),
                               doc->body.len - 1);
        ngx_http_glossary_join(&j, p, len);
    }

    ngx_http_glossary_join_str(&j, "]");

    if (args->meta) {
        ngx_http_glossary_join_str(&j, "}");
    }

    return ngx_http_glossary_send_join(r, data, &j, GLOSSARY_MEDIA_JSON);
}


/*
 * {"query":"...","total":N,"exhaustive":B,"fallback":B,"suggestion":S,
 *  "cut":[...],"hits": (the array follows)
 */

static u_char *
ngx_http_glossary_search_meta(ngx_http_request_t *r,
    ngx_http_glossary_search_args_t *args, ngx_http_glossary_hits_t *hits,
    size_t *len)
{
    u_char      *start, *p;
    size_t       size;
    uint32_t     flags, total;
    ngx_uint_t   i, n;

    static struct {
        uint32_t     flag;
        const char  *name;
    } cuts[] = {
        { GLOSSARY_FTS_CUT_QUERY, "\"query\"" },
        { GLOSSARY_FTS_CUT_WORDS, "\"words\"" },
        { GLOSSARY_FTS_CUT_EXPANSIONS, "\"expansions\"" },
        { GLOSSARY_FTS_CUT_WALK, "\"walk\"" },
        { GLOSSARY_FTS_CUT_POSTINGS, "\"postings\"" },
        { GLOSSARY_FTS_CUT_SUBSETS, "\"subsets\"" },
    };

    if (hits->res != NULL) {
        flags = hits->res->flags;
        total = hits->res->total;

    } else {
        /* prefixes: every match up to the limit, none dropped */
        flags = (hits->n < args->limit) ? GLOSSARY_FTS_EXHAUSTIVE : 0;
        total = (uint32_t) hits->n;
    }

    size = sizeof("{\"query\":\"\",\"total\":,\"exhaustive\":false,"
                  "\"fallback\":false,\"suggestion\":\"\",\"cut\":[],"
                  "\"hits\":") + NGX_INT32_LEN
           + args->query.len
           + ngx_escape_json(NULL, args->query.data, args->query.len)
           + hits->suggestion.len
           + ngx_escape_json(NULL, hits->suggestion.data,
                             hits->suggestion.len);

    for (i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
        size += ngx_strlen(cuts[i].name) + 1;
    }

    start = ngx_pnalloc(r->pool, size);
    if (start == NULL) {
        return NULL;
    }

    p = ngx_cpymem(start, "{\"query\":\"", sizeof("{\"query\":\"") - 1);
    p = (u_char *) ngx_escape_json(p, args->query.data, args->query.len);
    p = ngx_sprintf(p, "\",\"total\":%uD,\"exhaustive\":%s,"
                    "\"fallback\":%s,\"suggestion\":",
                    total,
                    (flags & GLOSSARY_FTS_EXHAUSTIVE) ? "true" : "false",
                    (flags & GLOSSARY_FTS_FALLBACK) ? "true" : "false");

    if (hits->suggestion.len) {
        *p++ = '"';
        p = (u_char *) ngx_escape_json(p, hits->suggestion.data,
                                       hits->suggestion.len);
        *p++ = '"';

    } else {
        p = ngx_cpymem(p, "null", 4);
    }

    p = ngx_cpymem(p, ",\"cut\":[", sizeof(",\"cut\":[") - 1);

    for (i = 0, n = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
        if (flags & cuts[i].flag) {
            if (n++) {
                *p++ = ',';
            }

            p = ngx_cpymem(p, cuts[i].name, ngx_strlen(cuts[i].name));
        }
    }

    p = ngx_cpymem(p, "],\"hits\":", sizeof("],\"hits\":") - 1);

    *len = p - start;

    return start;
}


/*
 * ,"rank":R,"score":S,"words":W,"typos":T,"match":"name"|"alias"|"text",
 * "snippet":"..."|null,"snippetField":"..."|null}
 */

static u_char *
ngx_http_glossary_hit_json(ngx_http_request_t *r,
    ngx_http_glossary_data_t *data, ngx_http_glossary_hits_t *hits,
    ngx_uint_t i, ngx_uint_t snippets, size_t *len)
{
    u_char                    *start, *p;
    const char                *match, *field;
    u_char                     buf[NGX_HTTP_GLOSSARY_HIT_JSON_MAX];
    glossary_fts_snippet_t     sn;
    const glossary_fts_hit_t  *h;

    static const char  *fields[GLOSSARY_FTS_FIELDS] = {
        "name", "aliases", "slug", "shortDefinition", "faq", "explanation"
    };

    h = &hits->res->hits[i];

    if (!snippets) {
        sn.len = 0;
        sn.field = 0;

    } else if (ngx_http_glossary_snippet(r, data, hits, i,
                                         GLOSSARY_FTS_FIELD_AUTO, &sn)
               != NGX_OK)
    {
        return NULL;
    }

    match = (h->flags & GLOSSARY_FTS_HIT_EXACT_NAME) ? "name"
            : (h->flags & GLOSSARY_FTS_HIT_EXACT_ALIAS) ? "alias" : "text";
    field = fields[sn.field < GLOSSARY_FTS_FIELDS ? sn.field : 0];

    /* written once into the most it can take, then copied: no length pass */

    p = ngx_sprintf(buf, ",\"rank\":%ui,\"score\":%uD,\"words\":%uD,"
                    "\"typos\":%uD,\"match\":\"%s\",\"snippet\":",
                    i + 1, h->score, (uint32_t) h->words,
                    (uint32_t) h->typos, match);

    if (sn.len == 0) {
        p = ngx_cpymem(p, "null,\"snippetField\":null}",
                       sizeof("null,\"snippetField\":null}") - 1);

    } else {
        *p++ = '"';
        p = ngx_http_glossary_snippet_write(p, &sn, 1);
        p = ngx_sprintf(p, "\",\"snippetField\":\"%s\"}", field);
    }

    *len = p - buf;

    start = ngx_pnalloc(r->pool, *len);
    if (start == NULL) {
        return NULL;
    }

    ngx_memcpy(start, buf, *len);

    return start;
}


/*
 * the page's segments in order: its text, the query HTML-escaped, and the
 * results: a suggestion if there is one, then the hits or the blob's "no
 * results" fragment
 */

static ngx_int_t
ngx_http_glossary_search_html(ngx_http_request_t *r,
    ngx_http_glossary_data_t *data, ngx_http_glossary_search_args_t *args,
    ngx_http_glossary_hits_t *hits)
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

    /* a hit of the engine: up to 12 pieces (ngx_http_glossary_hit_html) */

    for (k = 0; k < blob->search_page_count; k++) {
        nalloc += (blob->search_page[k].kind == GLOSSARY_SEGMENT_RESULTS)
                  ? 12 * hits->n + 2 : 1;
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

            if (escaped == NULL && args->query.len) {
                elen = args->query.len
                       + ngx_escape_html(NULL, args->query.data,
                                         args->query.len);

                escaped = ngx_pnalloc(r->pool, elen);
                if (escaped == NULL) {
                    return NGX_HTTP_INTERNAL_SERVER_ERROR;
                }

                (void) ngx_escape_html(escaped, args->query.data,
                                       args->query.len);
            }

            ngx_http_glossary_join(&j, escaped, elen);
            break;

        default: /* GLOSSARY_SEGMENT_RESULTS */

            if (ngx_http_glossary_suggestion_html(r, args, hits, &j)
                != NGX_OK)
            {
                return NGX_HTTP_INTERNAL_SERVER_ERROR;
            }

            if (hits->n == 0) {
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

            for (i = 0; i < hits->n; i++) {
                if (hits->res != NULL) {
                    if (ngx_http_glossary_hit_html(r, data, hits, i, &j)
                        != NGX_OK)
                    {
                        return NGX_HTTP_INTERNAL_SERVER_ERROR;
                    }

                    continue;
                }

                doc = glossary_blob_doc(blob, hits->ids[i],
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


/*
 * A hit of the engine, as the compiler writes a term in a list (its
 * pre-rendered fragment, GLOSSARY_DOC_SEARCH_HTML, without the engine):
 *
 *   <li><a href="SLUG">NAME</a> — <span class="def">DEF</span><br>
 *   <span class="snippet">MORE</span></li>
 *
 * DEF the short definition with the query's words marked; MORE where the
 * words matched when that is not the short definition (FAQ, explanation).
 */

static ngx_int_t
ngx_http_glossary_hit_html(ngx_http_request_t *r,
    ngx_http_glossary_data_t *data, ngx_http_glossary_hits_t *hits,
    ngx_uint_t i, ngx_http_glossary_join_t *j)
{
    u_char                  *start, *p, *q, *snip;
    size_t                   size, tlen, dlen;
    ngx_uint_t               more;
    glossary_fts_snippet_t   def, sn;
    u_char                   buf[2 * NGX_HTTP_GLOSSARY_SNIPPET_MAX];
    const glossary_term_t   *t;
    const glossary_blob_t   *blob;

    blob = &data->blob;
    t = &blob->terms[hits->ids[i]];

    if (!ngx_http_glossary_ref_ready(r, data, &t->slug)
        || !ngx_http_glossary_ref_ready(r, data, &t->term))
    {
        return NGX_ERROR;
    }

    if (ngx_http_glossary_snippet(r, data, hits, i, GLOSSARY_FTS_FIELD_AUTO,
                                  &sn) != NGX_OK
        || ngx_http_glossary_snippet(r, data, hits, i,
                                     GLOSSARY_FTS_FIELD_SHORT, &def)
           != NGX_OK)
    {
        return NGX_ERROR;
    }

    more = (sn.field != GLOSSARY_FTS_FIELD_SHORT && sn.len != 0);

    /* the snippets written once into the most they take, then copied */

    q = ngx_http_glossary_snippet_write(buf, &def, 0);
    dlen = q - buf;

    if (more) {
        q = ngx_http_glossary_snippet_write(q, &sn, 0);
    }

    tlen = ngx_http_glossary_escape(NULL, glossary_blob_ptr(blob, t->term),
                                    t->term.len, 0);
    size = tlen + (q - buf);

    start = ngx_pnalloc(r->pool, size);
    if (start == NULL) {
        return NGX_ERROR;
    }

    snip = start + tlen;
    ngx_memcpy(snip, buf, q - buf);

    ngx_http_glossary_join_str(j, "<li><a href=\"");
    ngx_http_glossary_join_ref(j, blob, t->slug);   /* [a-z0-9-]: safe */
    ngx_http_glossary_join_str(j, "\">");

    p = (u_char *) ngx_http_glossary_escape(start,
                                            glossary_blob_ptr(blob, t->term),
                                            t->term.len, 0);
    ngx_http_glossary_join(j, start, p - start);
    ngx_http_glossary_join_str(j, "</a>");

    if (def.len) {
        ngx_http_glossary_join_str(j, " \xe2\x80\x94 <span class=\"def\">");
        ngx_http_glossary_join(j, snip, dlen);
        ngx_http_glossary_join_str(j, "</span>");
    }

    if (more) {
        if (def.len) {
            ngx_http_glossary_join_str(j, "<br>\n<span class=\"snippet\">");

        } else {
            ngx_http_glossary_join_str(j, " \xe2\x80\x94 "
                                          "<span class=\"snippet\">");
        }

        ngx_http_glossary_join(j, snip + dlen, size - tlen - dlen);
        ngx_http_glossary_join_str(j, "</span>");
    }

    ngx_http_glossary_join_str(j, "</li>\n");

    return NGX_OK;
}


/*
 * <li class="suggestion">Did you mean <a href="?q=S">S</a>?</li>: the link
 * is this route with another query (and the same category), whatever the
 * route's name
 */

static ngx_int_t
ngx_http_glossary_suggestion_html(ngx_http_request_t *r,
    ngx_http_glossary_search_args_t *args, ngx_http_glossary_hits_t *hits,
    ngx_http_glossary_join_t *j)
{
    u_char     *start, *p;
    size_t      size;
    ngx_uint_t  k;

    if (hits->suggestion.len == 0) {
        return NGX_OK;
    }

    size = sizeof("<li class=\"suggestion\">Did you mean <a href=\"?q=\">"
                  "</a>?</li>\n&amp;category=")
           + 3 * hits->suggestion.len + 3 * args->category.len
           + ngx_http_glossary_escape(NULL, hits->suggestion.data,
                                      hits->suggestion.len, 0);

    start = ngx_pnalloc(r->pool, size);
    if (start == NULL) {
        return NGX_ERROR;
    }

    p = ngx_cpymem(start, "<li class=\"suggestion\">Did you mean <a href=\"?q=",
                   sizeof("<li class=\"suggestion\">Did you mean "
                          "<a href=\"?q=") - 1);

    /* the folded words: spaces as "+", the rest percent-encoded */
    for (k = 0; k < hits->suggestion.len; k++) {
        if (hits->suggestion.data[k] == ' ') {
            *p++ = '+';

        } else {
            p = (u_char *) ngx_escape_uri(p, &hits->suggestion.data[k], 1,
                                          NGX_ESCAPE_URI_COMPONENT);
        }
    }

    if (args->category.len) {
        p = ngx_cpymem(p, "&amp;category=", sizeof("&amp;category=") - 1);
        p = (u_char *) ngx_escape_uri(p, args->category.data,
                                      args->category.len,
                                      NGX_ESCAPE_URI_COMPONENT);
    }

    p = ngx_cpymem(p, "\">", 2);
    p = (u_char *) ngx_http_glossary_escape(p, hits->suggestion.data,
                                            hits->suggestion.len, 0);
    p = ngx_cpymem(p, "</a>?</li>\n", sizeof("</a>?</li>\n") - 1);

    ngx_http_glossary_join(j, start, p - start);

    return NGX_OK;
}


/*
 * The snippet of hit i in a field (or the best, GLOSSARY_FTS_FIELD_AUTO).
 * The engine reads the document's texts, which lie in STRINGS: lazily,
 * their chunks are verified first.
 */

static ngx_int_t
ngx_http_glossary_snippet(ngx_http_request_t *r,
    ngx_http_glossary_data_t *data, ngx_http_glossary_hits_t *hits,
    ngx_uint_t i, uint32_t field, glossary_fts_snippet_t *sn)
{
    size_t                 len;
    glossary_ref_t         ref;
    const unsigned char   *first, *last;
    const glossary_fts_t  *fts;

    fts = &data->fts;

    if (data->blob.lazy) {
        first = glossary_fts_field(fts, hits->ids[i], 0, &len);
        last = glossary_fts_field(fts, hits->ids[i],
                                  GLOSSARY_FTS_FIELDS - 1, &len);

        ref.off = first - data->blob.base;
        ref.len = last + len - first;

        if (!ngx_http_glossary_ref_ready(r, data, &ref)) {
            return NGX_ERROR;
        }
    }

    /* the bounds the writers' buffers are sized by, checked */

    if (glossary_fts_snippet(fts, data->fts_scratch, hits->res, (uint32_t) i,
                             field, sn)
        != 0
        || sn->len > GLOSSARY_FTS_SNIPPET_MAX
        || sn->nmarks > GLOSSARY_FTS_MAX_MARKS)
    {
        ngx_memzero(sn, sizeof(glossary_fts_snippet_t));
    }

    return NGX_OK;
}


/*
 * A snippet as HTML: its text escaped, each mark in <mark></mark>, an
 * ellipsis where the field goes on; with json, made fit to stand inside a
 * JSON string as well.  At most NGX_HTTP_GLOSSARY_SNIPPET_MAX bytes.
 */

static u_char *
ngx_http_glossary_snippet_write(u_char *p, const glossary_fts_snippet_t *sn,
    ngx_uint_t json)
{
    uint32_t                    k, at;
    const glossary_fts_mark_t  *m;

    if (sn->len == 0) {
        return p;
    }

    if (sn->cut_before) {
        p = ngx_cpymem(p, NGX_HTTP_GLOSSARY_ELLIPSIS,
                       sizeof(NGX_HTTP_GLOSSARY_ELLIPSIS) - 1);
    }

    at = 0;

    for (k = 0; k < sn->nmarks; k++) {
        m = &sn->marks[k];

        p = (u_char *) ngx_http_glossary_escape(p, sn->text + at,
                                                m->from - at, json);
        p = ngx_cpymem(p, NGX_HTTP_GLOSSARY_MARK_OPEN,
                       sizeof(NGX_HTTP_GLOSSARY_MARK_OPEN) - 1);
        p = (u_char *) ngx_http_glossary_escape(p, sn->text + m->from,
                                                m->len, json);
        p = ngx_cpymem(p, NGX_HTTP_GLOSSARY_MARK_CLOSE,
                       sizeof(NGX_HTTP_GLOSSARY_MARK_CLOSE) - 1);

        at = m->from + m->len;
    }

    p = (u_char *) ngx_http_glossary_escape(p, sn->text + at, sn->len - at,
                                            json);

    if (sn->cut_after) {
        p = ngx_cpymem(p, NGX_HTTP_GLOSSARY_ELLIPSIS,
                       sizeof(NGX_HTTP_GLOSSARY_ELLIPSIS) - 1);
    }

    return p;
}


/*
 * HTML text: & < > " ' as entities (as the compiler writes them); with
 * json, also a backslash and the control characters escaped for a JSON
 * string.  dst NULL: the escaped length; otherwise the end of the bytes.
 */

static uintptr_t
ngx_http_glossary_escape(u_char *dst, const u_char *src, size_t size,
    ngx_uint_t json)
{
    u_char       c;
    size_t       n;
    const char  *e;

    static const u_char  hex[] = "0123456789abcdef";

    if (dst == NULL) {
        n = 0;

        while (size--) {
            c = *src++;

            if ((c > '>' && c != '\\') || c == ' ') {
                n++;
                continue;
            }

            switch (c) {
            case '&': n += sizeof("&amp;") - 1; break;
            case '<': n += sizeof("&lt;") - 1; break;
            case '>': n += sizeof("&gt;") - 1; break;
            case '"': n += sizeof("&quot;") - 1; break;
            case '\'': n += sizeof("&#39;") - 1; break;
            default:
                n += !json || (c != '\\' && c >= 0x20) ? 1
                     : (c == '\\' || c == '\n' || c == '\t' || c == '\r')
                     ? 2 : sizeof("\\u001f") - 1;
            }
        }

        return (uintptr_t) n;
    }

    while (size--) {
        c = *src++;

        /* letters, UTF-8 and spaces first: most of a text */
        if ((c > '>' && c != '\\') || c == ' ') {
            *dst++ = c;
            continue;
        }

        switch (c) {
        case '&': e = "&amp;"; break;
        case '<': e = "&lt;"; break;
        case '>': e = "&gt;"; break;
        case '"': e = "&quot;"; break;
        case '\'': e = "&#39;"; break;
        default: e = NULL;
        }

        if (e != NULL) {
            while (*e) {
                *dst++ = (u_char) *e++;
            }

        } else if (json && c == '\\') {
            *dst++ = '\\';
            *dst++ = '\\';

        } else if (json && (c == '\n' || c == '\t' || c == '\r')) {
            *dst++ = '\\';
            *dst++ = (c == '\n') ? 'n' : (c == '\t') ? 't' : 'r';

        } else if (json && c < 0x20) {
            dst = ngx_cpymem(dst, "\\u00", 4);
            *dst++ = hex[c >> 4];
            *dst++ = hex[c & 0xf];

        } else {
            *dst++ = c;
        }
    }

    return (uintptr_t) dst;
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

    if (len == 0 || j->n == j->nalloc) {
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
