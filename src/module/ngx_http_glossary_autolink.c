/*
 * ngx_http_glossary_autolink_filter_module: the glossary_autolink body
 * filter.  It links the glossary terms named in the HTML pages a location
 * sends (static files, proxied applications, the module's own pages) to
 * their pages, streaming: the engine (src/blob/glossary_autolink.c) reads
 * each buffer as it comes and turns it into events, which become buffers
 * here: the page's own bytes are passed on without a copy (buffers that
 * point into the input), only the opening tags, the "</a>"s and the few
 * bytes carried across a buffer boundary are written, into blocks of the
 * request pool that are used again once what they hold is sent.
 *
 * Only 200 responses of the configured types, in UTF-8 or without a
 * charset, without Content-Encoding, to main requests that are not HEAD
 * are rewritten; every other response passes untouched (a debug log line
 * says why).  A rewritten response loses Content-Length and Accept-Ranges
 * and its ETag becomes weak, as with sub_filter_last_modified.
 *
 * The module is a filter of its own in the same shared object as
 * ngx_http_glossary_module (config: ngx_module_order), placed before the
 * copy filter like any third-party filter: it sees bodies in memory and
 * runs before nginx's gzip filter, which compresses its output.
 */

#include "ngx_http_glossary_module.h"

#include "glossary_autolink.h"


/* a location's prefix, in the href of every link */
#define NGX_HTTP_GLOSSARY_AUTOLINK_MAX_PREFIX  256

/* the response header by which a page opts out */
#define NGX_HTTP_GLOSSARY_AUTOLINK_HEADER      "X-Glossary-Autolink"


typedef struct {
    /* NULL: off; NGX_CONF_UNSET_PTR: as the enclosing level */
    ngx_http_glossary_data_t   *data;
    ngx_str_t                   prefix;
    ngx_hash_t                  types;
    ngx_array_t                *types_keys;
    ngx_int_t                   per_term;
    ngx_int_t                   per_page;
    ngx_flag_t                  title;
    ngx_array_t                *skip;          /* ngx_str_t; NULL: unset */
    ngx_uint_t                  skip_default;
    glossary_autolink_conf_t   *conf;          /* when data is set */
    size_t                      block_size;
} ngx_http_glossary_autolink_loc_conf_t;


/*
 * Memory for the bytes the filter writes: tags, "</a>", bytes carried
 * across a buffer boundary.  A block is used again once every buffer that
 * points into it has been sent.
 */
typedef struct ngx_http_glossary_autolink_block_s
    ngx_http_glossary_autolink_block_t;

struct ngx_http_glossary_autolink_block_s {
    ngx_http_glossary_autolink_block_t  *next;      /* free list */
    ngx_uint_t                           pending;   /* buffers not sent */
    u_char                              *last;      /* write position */
    u_char                              *end;
    u_char                              *start;
};


/* an output buffer: the buf first, so a chain link's buf is the view */
typedef struct ngx_http_glossary_autolink_view_s
    ngx_http_glossary_autolink_view_t;

struct ngx_http_glossary_autolink_view_s {
    ngx_buf_t                            buf;
    ngx_http_glossary_autolink_block_t  *block;     /* NULL: input bytes */
    ngx_http_glossary_autolink_view_t   *next;      /* free list */
    unsigned                             empty:1;   /* made with no bytes */
};


typedef struct {
    ngx_http_request_t                      *request;
    ngx_http_glossary_autolink_loc_conf_t   *alcf;
    glossary_autolink_stream_t              *stream;
    uint32_t                                 exclude;

    ngx_chain_t                             *out;
    ngx_chain_t                            **last_out;
    ngx_chain_t                             *busy;
    ngx_http_glossary_autolink_view_t       *tail;  /* may grow */
    ngx_http_glossary_autolink_view_t       *free_views;
    ngx_http_glossary_autolink_view_t       *limbo;
    ngx_http_glossary_autolink_block_t      *block;
    ngx_http_glossary_autolink_block_t      *free_blocks;
    ngx_uint_t                               blocks;    /* allocated */
    ngx_uint_t                               views;     /* allocated */

    unsigned                                 done:1;
    unsigned                                 in_link:1;
} ngx_http_glossary_autolink_ctx_t;


static ngx_int_t ngx_http_glossary_autolink_header_filter(
    ngx_http_request_t *r);
static ngx_int_t ngx_http_glossary_autolink_body_filter(ngx_http_request_t *r,
    ngx_chain_t *in);
static const char *ngx_http_glossary_autolink_skip_reason(
    ngx_http_request_t *r, ngx_http_glossary_autolink_loc_conf_t *alcf);
static ngx_uint_t ngx_http_glossary_autolink_charset_ok(
    ngx_http_request_t *r);
static ngx_uint_t ngx_http_glossary_autolink_opted_out(
    ngx_http_request_t *r);
static int ngx_http_glossary_autolink_emit(void *data,
    const glossary_autolink_event_t *ev);
static u_char *ngx_http_glossary_autolink_reserve(
    ngx_http_glossary_autolink_ctx_t *ctx, size_t size);
static ngx_int_t ngx_http_glossary_autolink_commit(
    ngx_http_glossary_autolink_ctx_t *ctx, u_char *p, size_t len);
static ngx_int_t ngx_http_glossary_autolink_append(
    ngx_http_glossary_autolink_ctx_t *ctx, u_char *p, size_t len,
    ngx_http_glossary_autolink_block_t *k);
static ngx_int_t ngx_http_glossary_autolink_pass(
    ngx_http_glossary_autolink_ctx_t *ctx, u_char *p, size_t len);
static ngx_http_glossary_autolink_view_t *ngx_http_glossary_autolink_view(
    ngx_http_glossary_autolink_ctx_t *ctx);
static ngx_int_t ngx_http_glossary_autolink_tag(
    ngx_http_glossary_autolink_ctx_t *ctx, uint32_t term);
static ngx_int_t ngx_http_glossary_autolink_output(ngx_http_request_t *r,
    ngx_http_glossary_autolink_ctx_t *ctx);

static char *ngx_http_glossary_autolink(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_glossary_autolink_skip(ngx_conf_t *cf,
    ngx_command_t *cmd, void *conf);
static void *ngx_http_glossary_autolink_create_loc_conf(ngx_conf_t *cf);
static char *ngx_http_glossary_autolink_merge_loc_conf(ngx_conf_t *cf,
    void *parent, void *child);
static ngx_int_t ngx_http_glossary_autolink_init(ngx_conf_t *cf);


static ngx_conf_num_bounds_t  ngx_http_glossary_autolink_per_term_bounds = {
    ngx_conf_check_num_bounds, 0, 65535
};

static ngx_conf_num_bounds_t  ngx_http_glossary_autolink_per_page_bounds = {
    ngx_conf_check_num_bounds, 1, GLOSSARY_AUTOLINK_MAX_LINKS
};


static ngx_command_t  ngx_http_glossary_autolink_commands[] = {

    { ngx_string("glossary_autolink"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_1MORE,
      ngx_http_glossary_autolink,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("glossary_autolink_types"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_1MORE,
      ngx_http_types_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_glossary_autolink_loc_conf_t, types_keys),
      &ngx_http_html_default_types[0] },

    { ngx_string("glossary_autolink_links_per_term"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_num_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_glossary_autolink_loc_conf_t, per_term),
      &ngx_http_glossary_autolink_per_term_bounds },

    { ngx_string("glossary_autolink_links_per_page"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_num_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_glossary_autolink_loc_conf_t, per_page),
      &ngx_http_glossary_autolink_per_page_bounds },

    { ngx_string("glossary_autolink_skip"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_1MORE,
      ngx_http_glossary_autolink_skip,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("glossary_autolink_title"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_FLAG,
      ngx_conf_set_flag_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_glossary_autolink_loc_conf_t, title),
      NULL },

      ngx_null_command
};


static ngx_http_module_t  ngx_http_glossary_autolink_filter_module_ctx = {
    NULL,                                  /* preconfiguration */
    ngx_http_glossary_autolink_init,       /* postconfiguration */

    NULL,                                  /* create main configuration */
    NULL,                                  /* init main configuration */

    NULL,                                  /* create server configuration */
    NULL,                                  /* merge server configuration */

    ngx_http_glossary_autolink_create_loc_conf,
    ngx_http_glossary_autolink_merge_loc_conf
};


ngx_module_t  ngx_http_glossary_autolink_filter_module = {
    NGX_MODULE_V1,
    &ngx_http_glossary_autolink_filter_module_ctx,
    ngx_http_glossary_autolink_commands,   /* module directives */
    NGX_HTTP_MODULE,                       /* module type */
    NULL,                                  /* init master */
    NULL,                                  /* init module */
    NULL,                                  /* init process */
    NULL,                                  /* init thread */
    NULL,                                  /* exit thread */
    NULL,                                  /* exit process */
    NULL,                                  /* exit master */
    NGX_MODULE_V1_PADDING
};


static ngx_http_output_header_filter_pt  ngx_http_next_header_filter;
static ngx_http_output_body_filter_pt    ngx_http_next_body_filter;


/* the module's handler: whether its HTML page will be rewritten, by what */

ngx_http_glossary_data_t *
ngx_http_glossary_autolink_data(ngx_http_request_t *r)
{
    ngx_http_glossary_autolink_loc_conf_t  *alcf;

    alcf = ngx_http_get_module_loc_conf(r,
                                    ngx_http_glossary_autolink_filter_module);

    return alcf->data;
}


/* a term's own page: the term is not linked on it */

ngx_int_t
ngx_http_glossary_autolink_exclude(ngx_http_request_t *r,
    ngx_http_glossary_data_t *data, uint32_t term)
{
    ngx_http_glossary_autolink_ctx_t  *ctx;

    if (data == NULL || term >= data->blob.term_count) {
        return NGX_OK;
    }

    ctx = ngx_pcalloc(r->pool, sizeof(ngx_http_glossary_autolink_ctx_t));
    if (ctx == NULL) {
        return NGX_ERROR;
    }

    ctx->exclude = term;
    ngx_http_set_ctx(r, ctx, ngx_http_glossary_autolink_filter_module);

    return NGX_OK;
}


static ngx_int_t
ngx_http_glossary_autolink_header_filter(ngx_http_request_t *r)
{
    u_char                                 *mem;
    const char                             *why;
    ngx_http_glossary_autolink_ctx_t       *ctx;
    ngx_http_glossary_autolink_loc_conf_t  *alcf;

    alcf = ngx_http_get_module_loc_conf(r,
                                    ngx_http_glossary_autolink_filter_module);

    if (alcf->data == NULL) {
        return ngx_http_next_header_filter(r);
    }

    why = ngx_http_glossary_autolink_skip_reason(r, alcf);

    if (why != NULL) {
        ngx_log_debug1(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                       "glossary autolink: %s, passed through", why);

        ngx_http_set_ctx(r, NULL, ngx_http_glossary_autolink_filter_module);

        return ngx_http_next_header_filter(r);
    }

    ctx = ngx_http_get_module_ctx(r, ngx_http_glossary_autolink_filter_module);

    if (ctx == NULL) {
        ctx = ngx_pcalloc(r->pool, sizeof(ngx_http_glossary_autolink_ctx_t));
        if (ctx == NULL) {
            return NGX_ERROR;
        }

        ctx->exclude = GLOSSARY_AUTOLINK_NO_TERM;
        ngx_http_set_ctx(r, ctx, ngx_http_glossary_autolink_filter_module);
    }

    /* the engine's state: a constant and the longest term's bytes */
    mem = ngx_palloc(r->pool,
                     glossary_autolink_stream_size(&alcf->data->blob.autolink));
    if (mem == NULL) {
        return NGX_ERROR;
    }

    ctx->request = r;
    ctx->alcf = alcf;
    ctx->last_out = &ctx->out;
    ctx->stream = glossary_autolink_stream_init(mem,
                                                &alcf->data->blob.autolink,
                                                alcf->conf, ctx->exclude);

    ngx_log_debug2(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "glossary autolink: rewriting, excluded term %uD, "
                   "\"%V\"", ctx->exclude, &alcf->data->path);

    r->filter_need_in_memory = 1;

    ngx_http_clear_content_length(r);
    ngx_http_clear_accept_ranges(r);
    ngx_http_weak_etag(r);

    return ngx_http_next_header_filter(r);
}


/* why a response is passed on untouched, or NULL */

static const char *
ngx_http_glossary_autolink_skip_reason(ngx_http_request_t *r,
    ngx_http_glossary_autolink_loc_conf_t *alcf)
{
    ngx_table_elt_t  *ce;

    if (r != r->main) {
        return "a subrequest";
    }

    if (r->header_only || r->method == NGX_HTTP_HEAD) {
        return "no body (HEAD)";
    }

    if (r->headers_out.status != NGX_HTTP_OK) {
        switch (r->headers_out.status) {
        case NGX_HTTP_NO_CONTENT:
            return "status 204";
        case NGX_HTTP_PARTIAL_CONTENT:
            return "status 206 (a range)";
        case NGX_HTTP_NOT_MODIFIED:
            return "status 304";
        default:
            return "status not 200";
        }
    }

    if (r->headers_out.content_length_n == 0) {
        return "an empty body";
    }

    if (r->headers_out.content_type.len == 0
        || ngx_http_test_content_type(r, &alcf->types) == NULL)
    {
        return "not a glossary_autolink_types type";
    }

    if (!ngx_http_glossary_autolink_charset_ok(r)) {
        return "a charset other than UTF-8";
    }

    ce = r->headers_out.content_encoding;

    if (ce != NULL && ce->hash != 0 && ce->value.len != 0
        && !(ce->value.len == 8
             && ngx_strncasecmp(ce->value.data, (u_char *) "identity", 8)
                == 0))
    {
        return "a Content-Encoding";
    }

    if (ngx_http_glossary_autolink_opted_out(r)) {
        return "opted out (" NGX_HTTP_GLOSSARY_AUTOLINK_HEADER ": off)";
    }

    return NULL;
}


/*
 * the charset: as nginx parsed it from a proxied Content-Type, or the
 * parameter of one a handler set whole (the module's own pages); none is
 * UTF-8 as far as the filter can tell
 */

static ngx_uint_t
ngx_http_glossary_autolink_charset_ok(ngx_http_request_t *r)
{
    u_char     *p, *last;
    ngx_str_t   cs;

    cs = r->headers_out.charset;

    if (cs.len == 0) {
        p = r->headers_out.content_type.data
            + r->headers_out.content_type_len;
        last = r->headers_out.content_type.data
               + r->headers_out.content_type.len;

        for ( /* void */ ; last - p >= 8; p++) {
            if (ngx_strncasecmp(p, (u_char *) "charset=", 8) == 0) {
                p += 8;

                if (p < last && *p == '"') {
                    p++;
                }

                cs.data = p;

                while (p < last && *p != '"' && *p != ';' && *p != ' ') {
                    p++;
                }

                cs.len = p - cs.data;
                break;
            }
        }

        if (cs.len == 0) {
            return 1;
        }
    }

    return (cs.len == 5 && ngx_strncasecmp(cs.data, (u_char *) "utf-8", 5)
                           == 0)
           || (cs.len == 4 && ngx_strncasecmp(cs.data, (u_char *) "utf8", 4)
                              == 0);
}


/* "X-Glossary-Autolink: off" from the handler or the upstream */

static ngx_uint_t
ngx_http_glossary_autolink_opted_out(ngx_http_request_t *r)
{
    ngx_uint_t        i;
    ngx_list_part_t  *part;
    ngx_table_elt_t  *h;

    part = &r->headers_out.headers.part;
    h = part->elts;

    for (i = 0; /* void */ ; i++) {

        if (i >= part->nelts) {
            if (part->next == NULL) {
                return 0;
            }

            part = part->next;
            h = part->elts;
            i = 0;
        }

        if (h[i].hash != 0
            && h[i].key.len == sizeof(NGX_HTTP_GLOSSARY_AUTOLINK_HEADER) - 1
            && ngx_strncasecmp(h[i].key.data,
                               (u_char *) NGX_HTTP_GLOSSARY_AUTOLINK_HEADER,
                               h[i].key.len)
               == 0
            && h[i].value.len == 3
            && ngx_strncasecmp(h[i].value.data, (u_char *) "off", 3) == 0)
        {
            return 1;
        }
    }
}


/*
 * Every input buffer is fed to the engine, whose events become views in
 * ctx->out.  The last of them carries the buffer's flags and points back
 * to it (shadow): once it is sent, so is everything before it, and the
 * buffer is marked consumed for whoever produced it, which therefore
 * waits for the client as it would without the filter.  A buffer whose
 * bytes are all held (or that has none) gets a marker of its own, a view
 * of no bytes.
 */

static ngx_int_t
ngx_http_glossary_autolink_body_filter(ngx_http_request_t *r, ngx_chain_t *in)
{
    size_t                              len;
    ngx_buf_t                          *b;
    ngx_uint_t                          last;
    ngx_chain_t                        *cl;
    ngx_http_glossary_autolink_ctx_t   *ctx;
    ngx_http_glossary_autolink_view_t  *mark;

    ctx = ngx_http_get_module_ctx(r, ngx_http_glossary_autolink_filter_module);

    if (ctx == NULL || ctx->stream == NULL) {
        return ngx_http_next_body_filter(r, in);
    }

    if (in == NULL && ctx->busy == NULL) {
        return ngx_http_next_body_filter(r, in);
    }

    ctx->tail = NULL;

    for (cl = in; cl; cl = cl->next) {
        b = cl->buf;

        if (!ngx_buf_in_memory(b) && ngx_buf_size(b) != 0) {
            ngx_log_error(NGX_LOG_ALERT, r->connection->log, 0,
                          "glossary autolink: a buffer not in memory");
            return NGX_ERROR;
        }

        len = ngx_buf_in_memory(b) ? (size_t) (b->last - b->pos) : 0;
        last = b->last_buf;

        if (!ctx->done && (len || last)) {
            if (glossary_autolink_feed(ctx->stream, b->pos, len, last,
                                       ngx_http_glossary_autolink_emit, ctx)
                != 0)
            {
                ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                              "glossary autolink: the page could not be "
                              "rewritten");
                return NGX_ERROR;
            }

            ctx->done = last;

            if (last) {
                ngx_log_debug5(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                               "glossary autolink: %uL bytes, %uD links "
                               "of %uD matches, %ui blocks, %ui buffers",
                               ctx->stream->bytes, ctx->stream->links,
                               ctx->stream->matches, ctx->blocks,
                               ctx->views);
            }

        } else if (len) {
            /* after the last buffer: nothing should come, nothing is lost */
            if (ngx_http_glossary_autolink_pass(ctx, b->pos, len) != NGX_OK) {
                return NGX_ERROR;
            }
        }

        mark = ctx->tail;

        if (mark == NULL) {
            mark = ngx_http_glossary_autolink_view(ctx);
            if (mark == NULL) {
                return NGX_ERROR;
            }

            mark->buf.sync = 1;
            mark->empty = 1;
        }

        mark->buf.flush = b->flush;
        mark->buf.last_buf = b->last_buf;
        mark->buf.last_in_chain = b->last_in_chain;
        mark->buf.recycled = b->recycled;
        mark->buf.shadow = b;

        /* nothing grows into it: its buffer ends there */
        ctx->tail = NULL;
    }

    return ngx_http_glossary_autolink_output(r, ctx);
}


static int
ngx_http_glossary_autolink_emit(void *data,
    const glossary_autolink_event_t *ev)
{
    u_char                            *p;
    size_t                             n, len;
    const u_char                      *src;
    ngx_http_glossary_autolink_ctx_t  *ctx;

    ctx = data;

    switch (ev->type) {

    case GLOSSARY_AUTOLINK_PASS:

        /*
         * a link's text (a few words) is copied after its opening tag, so
         * that the link is one buffer rather than three
         */
        if (!ctx->in_link) {
            return ngx_http_glossary_autolink_pass(ctx, (u_char *) ev->data,
                                                   ev->len) == NGX_OK ? 0 : -1;
        }

        /* fall through */

    case GLOSSARY_AUTOLINK_HELD:
        src = ev->data;
        len = ev->len;

        while (len) {
            n = ngx_min(len, ctx->alcf->block_size);

            p = ngx_http_glossary_autolink_reserve(ctx, n);
            if (p == NULL) {
                return -1;
            }

            ngx_memcpy(p, src, n);

            if (ngx_http_glossary_autolink_commit(ctx, p, n) != NGX_OK) {
                return -1;
            }

            src += n;
            len -= n;
        }

        return 0;

    case GLOSSARY_AUTOLINK_OPEN:
        ctx->in_link = 1;
        return ngx_http_glossary_autolink_tag(ctx, ev->term) == NGX_OK
               ? 0 : -1;

    default: /* GLOSSARY_AUTOLINK_CLOSE */
        ctx->in_link = 0;

        p = ngx_http_glossary_autolink_reserve(ctx,
                                             GLOSSARY_AUTOLINK_CLOSE_TAG_LEN);
        if (p == NULL) {
            return -1;
        }

        ngx_memcpy(p, GLOSSARY_AUTOLINK_CLOSE_TAG,
                   GLOSSARY_AUTOLINK_CLOSE_TAG_LEN);

        return ngx_http_glossary_autolink_commit(ctx, p,
                                              GLOSSARY_AUTOLINK_CLOSE_TAG_LEN)
               == NGX_OK ? 0 : -1;
    }
}


/* the opening tag of a link to term, from the blob's strings */

static ngx_int_t
ngx_http_glossary_autolink_tag(ngx_http_glossary_autolink_ctx_t *ctx,
    uint32_t term)
{
    u_char                                 *p;
    size_t                                  n;
    const glossary_term_t                  *t;
    glossary_autolink_tag_t                 tag;
    ngx_http_glossary_data_t               *data;
    ngx_http_glossary_autolink_loc_conf_t  *alcf;

    alcf = ctx->alcf;
    data = alcf->data;
    t = &data->blob.terms[term];

    if (!ngx_http_glossary_ref_ready(ctx->request, data, &t->slug)
        || !ngx_http_glossary_ref_ready(ctx->request, data,
                                        &t->short_definition))
    {
        return NGX_ERROR;
    }

    tag.prefix = alcf->prefix.data;
    tag.prefix_len = alcf->prefix.len;
    tag.slug = glossary_blob_ptr(&data->blob, t->slug);
    tag.slug_len = t->slug.len;
    tag.title = NULL;
    tag.title_len = 0;

    if (alcf->title && t->short_definition.len) {
        tag.title = glossary_blob_ptr(&data->blob, t->short_definition);
        tag.title_len = t->short_definition.len;
    }

    /*
     * room for the tag with every byte escaped (at most block_size, as the
     * merge computed for this prefix): one pass over the title, not two
     */
    n = GLOSSARY_AUTOLINK_TAG_MAX - 6 * GLOSSARY_AUTOLINK_MAX_TITLE
        + 6 * (tag.prefix_len + 2 * tag.slug_len
               + ngx_min(tag.title_len, GLOSSARY_AUTOLINK_MAX_TITLE));

    p = ngx_http_glossary_autolink_reserve(ctx, n);
    if (p == NULL) {
        return NGX_ERROR;
    }

    n = glossary_autolink_tag_write(p, &tag);

    return ngx_http_glossary_autolink_commit(ctx, p, n);
}


/* input bytes: a view into the buffer being fed */

static ngx_int_t
ngx_http_glossary_autolink_pass(ngx_http_glossary_autolink_ctx_t *ctx,
    u_char *p, size_t len)
{
    if (len == 0) {
        return NGX_OK;
    }

    return ngx_http_glossary_autolink_append(ctx, p, len, NULL);
}


/*
 * room for size bytes (at most block_size) in the current block, or in
 * another one: a free one, or one more from the request pool
 */

static u_char *
ngx_http_glossary_autolink_reserve(ngx_http_glossary_autolink_ctx_t *ctx,
    size_t size)
{
    size_t                               bs;
    ngx_http_glossary_autolink_block_t  *k;

    k = ctx->block;

    if (k != NULL && k->pending == 0) {
        k->last = k->start;     /* nothing points into it any more */
    }

    if (k != NULL && (size_t) (k->end - k->last) >= size) {
        return k->last;
    }

    if (k != NULL && k->pending == 0) {
        k->next = ctx->free_blocks;
        ctx->free_blocks = k;
    }

    if (ctx->free_blocks != NULL) {
        k = ctx->free_blocks;
        ctx->free_blocks = k->next;

    } else {
        bs = ctx->alcf->block_size;

        k = ngx_palloc(ctx->request->pool,
                       sizeof(ngx_http_glossary_autolink_block_t) + bs);
        if (k == NULL) {
            return NULL;
        }

        k->start = (u_char *) (k + 1);
        k->end = k->start + bs;
        ctx->blocks++;
    }

    k->next = NULL;
    k->pending = 0;
    k->last = k->start;
    ctx->block = k;
    ctx->tail = NULL;

    return k->last;
}


/* len bytes written at p (in the current block): into the output */

static ngx_int_t
ngx_http_glossary_autolink_commit(ngx_http_glossary_autolink_ctx_t *ctx,
    u_char *p, size_t len)
{
    ngx_http_glossary_autolink_block_t  *k;

    k = ctx->block;
    k->last = p + len;

    return ngx_http_glossary_autolink_append(ctx, p, len, k);
}


/*
 * [p, p + len) to the output: the last view grown when the bytes follow
 * it in the same place (the buffer fed, k NULL, or block k), else a new
 * view, which keeps block k until it is sent
 */

static ngx_int_t
ngx_http_glossary_autolink_append(ngx_http_glossary_autolink_ctx_t *ctx,
    u_char *p, size_t len, ngx_http_glossary_autolink_block_t *k)
{
    ngx_http_glossary_autolink_view_t  *v;

    v = ctx->tail;

    if (v != NULL && v->block == k && v->buf.last == p) {
        v->buf.last = p + len;
        return NGX_OK;
    }

    v = ngx_http_glossary_autolink_view(ctx);
    if (v == NULL) {
        return NGX_ERROR;
    }

    v->buf.memory = 1;
    v->buf.pos = p;
    v->buf.last = p + len;
    v->block = k;

    if (k != NULL) {
        k->pending++;
    }

    ctx->tail = v;

    return NGX_OK;
}


/* a new view at the end of ctx->out, every flag clear */

static ngx_http_glossary_autolink_view_t *
ngx_http_glossary_autolink_view(ngx_http_glossary_autolink_ctx_t *ctx)
{
    ngx_chain_t                        *cl;
    ngx_http_glossary_autolink_view_t  *v;

    v = ctx->free_views;

    if (v != NULL) {
        ctx->free_views = v->next;

    } else {
        v = ngx_palloc(ctx->request->pool,
                       sizeof(ngx_http_glossary_autolink_view_t));
        if (v == NULL) {
            return NULL;
        }

        ctx->views++;
    }

    ngx_memzero(v, sizeof(ngx_http_glossary_autolink_view_t));
    v->buf.tag = (ngx_buf_tag_t) &ngx_http_glossary_autolink_filter_module;

    cl = ngx_alloc_chain_link(ctx->request->pool);
    if (cl == NULL) {
        return NULL;
    }

    cl->buf = &v->buf;
    cl->next = NULL;
    *ctx->last_out = cl;
    ctx->last_out = &cl->next;

    return v;
}


/*
 * ctx->out to the next filter, then the views it has sent, in order, back
 * to the free lists: their blocks' bytes, and with a shadow the input
 * buffer it stands for.  A view of no bytes is "sent" at once, though a
 * filter further down (the write filter postponing a small output) may
 * still hold it: it waits in limbo until a view after it, one that had
 * bytes, has been sent; everything before that has been let go of then.
 */

static ngx_int_t
ngx_http_glossary_autolink_output(ngx_http_request_t *r,
    ngx_http_glossary_autolink_ctx_t *ctx)
{
    ngx_int_t                            rc;
    ngx_chain_t                         *cl, **ll;
    ngx_http_glossary_autolink_view_t   *v;
    ngx_http_glossary_autolink_block_t  *k;

    rc = ngx_http_next_body_filter(r, ctx->out);

    for (ll = &ctx->busy; *ll; ll = &(*ll)->next) { /* void */ }

    *ll = ctx->out;
    ctx->out = NULL;
    ctx->last_out = &ctx->out;
    ctx->tail = NULL;

    while (ctx->busy) {
        cl = ctx->busy;
        v = (ngx_http_glossary_autolink_view_t *) cl->buf;

        if (ngx_buf_size(&v->buf) != 0) {
            break;
        }

#if (NGX_HAVE_WRITE_ZEROCOPY)
        if (v->buf.zerocopy_busy) {
            break;
        }
#endif

        if (v->buf.shadow) {
            v->buf.shadow->pos = v->buf.shadow->last;
        }

        k = v->block;

        if (k != NULL && --k->pending == 0 && k != ctx->block) {
            k->last = k->start;
            k->next = ctx->free_blocks;
            ctx->free_blocks = k;
        }

        ctx->busy = cl->next;
        ngx_free_chain(r->pool, cl);

        if (v->empty) {
            v->next = ctx->limbo;
            ctx->limbo = v;
            continue;
        }

        v->next = ctx->free_views;
        ctx->free_views = v;

        while (ctx->limbo) {
            v = ctx->limbo;
            ctx->limbo = v->next;
            v->next = ctx->free_views;
            ctx->free_views = v;
        }
    }

    return rc;
}


/* configuration */

/*
 * glossary_autolink PATH PREFIX [copy | mmap] [verify=full | verify=lazy]
 * glossary_autolink off
 */

static char *
ngx_http_glossary_autolink(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_glossary_autolink_loc_conf_t *alcf = conf;

    ngx_str_t                 *value;
    ngx_uint_t                 i;
    ngx_http_glossary_data_t  *data;

    if (alcf->data != NGX_CONF_UNSET_PTR) {
        return "is duplicate";
    }

    value = cf->args->elts;

    if (cf->args->nelts == 2 && ngx_strcmp(value[1].data, "off") == 0) {
        alcf->data = NULL;
        return NGX_CONF_OK;
    }

    if (cf->args->nelts < 3 || cf->args->nelts > 5) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"%V\" takes a glossary and the prefix its terms "
                           "are served under, or \"off\"", &cmd->name);
        return NGX_CONF_ERROR;
    }

    if (value[2].len == 0
        || value[2].len > NGX_HTTP_GLOSSARY_AUTOLINK_MAX_PREFIX)
    {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "the prefix \"%V\" of \"%V\" must be 1 to %d "
                           "bytes", &value[2], &cmd->name,
                           NGX_HTTP_GLOSSARY_AUTOLINK_MAX_PREFIX);
        return NGX_CONF_ERROR;
    }

    for (i = 0; i < value[2].len; i++) {
        if (value[2].data[i] <= ' ' || value[2].data[i] == 0x7f) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "the prefix \"%V\" of \"%V\" holds a space or "
                               "a control character", &value[2], &cmd->name);
            return NGX_CONF_ERROR;
        }
    }

    data = ngx_http_glossary_load_args(cf, cmd, &value[1], &value[3],
                                       cf->args->nelts - 3, 1);
    if (data == NULL) {
        return NGX_CONF_ERROR;
    }

    /* "nginx -s SIGNAL" records the path only: there is no blob to ask */
    if (data->blob.header != NULL
        && glossary_blob_autolink(&data->blob) == NULL)
    {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "glossary \"%V\" has no autolink automaton "
                           "(format %ui.%ui): build it again with this "
                           "glossaryc", &data->path,
                           (ngx_uint_t) data->blob.header->version_major,
                           (ngx_uint_t) data->blob.header->version_minor);
        return NGX_CONF_ERROR;
    }

    alcf->data = data;
    alcf->prefix = value[2];

    return NGX_CONF_OK;
}


/* glossary_autolink_skip default | none | NAME ... (default: NAME ...) */

static char *
ngx_http_glossary_autolink_skip(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_glossary_autolink_loc_conf_t *alcf = conf;

    ngx_str_t                 *value, *s;
    ngx_uint_t                 i;
    glossary_autolink_conf_t  *check;

    if (alcf->skip != NULL) {
        return "is duplicate";
    }

    value = cf->args->elts;

    alcf->skip = ngx_array_create(cf->pool, cf->args->nelts,
                                  sizeof(ngx_str_t));
    if (alcf->skip == NULL) {
        return NGX_CONF_ERROR;
    }

    alcf->skip_default = 0;

    if (cf->args->nelts == 2 && ngx_strcmp(value[1].data, "none") == 0) {
        return NGX_CONF_OK;
    }

    /* the names as the engine will take them: checked here, once */
    check = ngx_palloc(cf->temp_pool, sizeof(glossary_autolink_conf_t));
    if (check == NULL) {
        return NGX_CONF_ERROR;
    }

    glossary_autolink_conf_init(check);
    glossary_autolink_conf_clear_skip(check);

    for (i = 1; i < cf->args->nelts; i++) {

        if (ngx_strcmp(value[i].data, "default") == 0 && !alcf->skip_default)
        {
            alcf->skip_default = 1;
            glossary_autolink_conf_init(check);
            continue;
        }

        if (glossary_autolink_conf_add_skip(check, value[i].data,
                                            value[i].len)
            != 0)
        {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "invalid element name \"%V\" in \"%V\": "
                               "letters, digits and \"-\", 1 to %d bytes, "
                               "at most %d names with the default ones",
                               &value[i], &cmd->name,
                               GLOSSARY_AUTOLINK_MAX_NAME,
                               GLOSSARY_AUTOLINK_MAX_SKIP);
            return NGX_CONF_ERROR;
        }

        s = ngx_array_push(alcf->skip);
        if (s == NULL) {
            return NGX_CONF_ERROR;
        }

        *s = value[i];
    }

    return NGX_CONF_OK;
}


static void *
ngx_http_glossary_autolink_create_loc_conf(ngx_conf_t *cf)
{
    ngx_http_glossary_autolink_loc_conf_t  *alcf;

    alcf = ngx_pcalloc(cf->pool,
                       sizeof(ngx_http_glossary_autolink_loc_conf_t));
    if (alcf == NULL) {
        return NULL;
    }

    /*
     * set by ngx_pcalloc():
     *
     *     alcf->prefix = { 0, NULL };
     *     alcf->types = { NULL };
     *     alcf->types_keys = NULL;
     *     alcf->skip = NULL;
     *     alcf->conf = NULL;
     */

    alcf->data = NGX_CONF_UNSET_PTR;
    alcf->per_term = NGX_CONF_UNSET;
    alcf->per_page = NGX_CONF_UNSET;
    alcf->title = NGX_CONF_UNSET;
    alcf->skip_default = NGX_CONF_UNSET_UINT;

    return alcf;
}


static char *
ngx_http_glossary_autolink_merge_loc_conf(ngx_conf_t *cf, void *parent,
    void *child)
{
    ngx_http_glossary_autolink_loc_conf_t  *prev = parent;
    ngx_http_glossary_autolink_loc_conf_t  *conf = child;

    size_t                      tag;
    ngx_str_t                  *name;
    ngx_uint_t                  i;
    glossary_autolink_conf_t   *c;

    if (conf->data == NGX_CONF_UNSET_PTR) {
        conf->data = prev->data;
        conf->prefix = prev->prefix;
    }

    ngx_conf_merge_ptr_value(conf->data, NULL, NULL);

    if (ngx_http_merge_types(cf, &conf->types_keys, &conf->types,
                             &prev->types_keys, &prev->types,
                             ngx_http_html_default_types)
        != NGX_OK)
    {
        return NGX_CONF_ERROR;
    }

    ngx_conf_merge_value(conf->per_term, prev->per_term, 1);
    ngx_conf_merge_value(conf->per_page, prev->per_page,
                         GLOSSARY_AUTOLINK_MAX_LINKS);
    ngx_conf_merge_value(conf->title, prev->title, 1);

    if (conf->skip == NULL) {
        conf->skip = prev->skip;
        conf->skip_default = prev->skip_default;
    }

    if (conf->data == NULL) {
        return NGX_CONF_OK;
    }

    /* what the engine takes, prepared once per location that rewrites */

    c = ngx_palloc(cf->pool, sizeof(glossary_autolink_conf_t));
    if (c == NULL) {
        return NGX_CONF_ERROR;
    }

    glossary_autolink_conf_init(c);

    if (conf->skip != NULL) {
        if (!conf->skip_default) {
            glossary_autolink_conf_clear_skip(c);
        }

        name = conf->skip->elts;

        for (i = 0; i < conf->skip->nelts; i++) {
            /* checked by the directive */
            (void) glossary_autolink_conf_add_skip(c, name[i].data,
                                                   name[i].len);
        }
    }

    c->links_per_term = (uint32_t) conf->per_term;
    c->links_per_page = (uint32_t) conf->per_page;
    conf->conf = c;

    /* a block holds the longest tag: the prefix and slugs may be escaped */
    tag = GLOSSARY_AUTOLINK_TAG_MAX
          + 6 * (conf->prefix.len + 2 * GLOSSARY_MAX_SLUG_LEN);
    conf->block_size = ngx_max(tag, 3968);

    return NGX_CONF_OK;
}


static ngx_int_t
ngx_http_glossary_autolink_init(ngx_conf_t *cf)
{
    ngx_http_next_header_filter = ngx_http_top_header_filter;
    ngx_http_top_header_filter = ngx_http_glossary_autolink_header_filter;

    ngx_http_next_body_filter = ngx_http_top_body_filter;
    ngx_http_top_body_filter = ngx_http_glossary_autolink_body_filter;

    return NGX_OK;
}
