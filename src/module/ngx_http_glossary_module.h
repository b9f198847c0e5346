/*
 * ngx_http_glossary_module: shared between its files: directives and
 * loading (ngx_http_glossary_module.c), the content handler
 * (ngx_http_glossary_handler.c), search (ngx_http_glossary_search.c), the
 * status page (ngx_http_glossary_status.c) and the variables
 * (ngx_http_glossary_variables.c).
 */

#ifndef NGX_HTTP_GLOSSARY_MODULE_H
#define NGX_HTTP_GLOSSARY_MODULE_H


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "glossary_blob.h"
#include "glossary_fts.h"
#include "glossary_route.h"


/* one loaded blob; lives as long as the configuration cycle that loaded it */
typedef struct {
    ngx_str_t                   path;
    u_char                     *start;
    size_t                      size;
    glossary_blob_t             blob;
    ngx_str_t                   build_id;
    ngx_str_t                   last_modified;   /* rendered once */
    time_t                      loaded;
    /* verify=lazy: what this process has verified (copy-on-write pages) */
    glossary_lazy_t             lazy;
    /*
     * the search index (fts.base NULL without one), the engine's scratch
     * and, lazily, the lists checked: per process, as lazy is
     */
    glossary_fts_t              fts;
    glossary_fts_lazy_t         fts_lazy;
    void                       *fts_scratch;
    size_t                      fts_scratch_size;
    unsigned                    mmap:1;          /* file mapping, no copy */
    unsigned                    verify_lazy:1;   /* as configured */
} ngx_http_glossary_data_t;


typedef struct {
    ngx_array_t                 blobs;     /* ngx_http_glossary_data_t * */
} ngx_http_glossary_main_conf_t;


/* glossary_format: which documents the routes answer with */
#define NGX_HTTP_GLOSSARY_FORMAT_JSON  0
#define NGX_HTTP_GLOSSARY_FORMAT_HTML  1


typedef struct {
    ngx_http_glossary_data_t   *data;
    ngx_flag_t                  build_header;
    ngx_uint_t                  format;
} ngx_http_glossary_loc_conf_t;


extern ngx_module_t  ngx_http_glossary_module;
extern ngx_module_t  ngx_http_glossary_autolink_filter_module;


/* ngx_http_glossary_module.c: a blob, loaded once per configuration cycle */
ngx_http_glossary_data_t *ngx_http_glossary_load_args(ngx_conf_t *cf,
    ngx_command_t *cmd, ngx_str_t *name, ngx_str_t *opts, ngx_uint_t n,
    ngx_uint_t any);
ngx_http_glossary_data_t *ngx_http_glossary_load(ngx_conf_t *cf,
    ngx_str_t *path, ngx_int_t map, ngx_int_t lazy);

/*
 * ngx_http_glossary_autolink.c: the blob the glossary_autolink filter
 * rewrites this request's HTML with, or NULL; and, for a term page the
 * module sends, the term it must not link
 */
ngx_http_glossary_data_t *ngx_http_glossary_autolink_data(
    ngx_http_request_t *r);
ngx_int_t ngx_http_glossary_autolink_exclude(ngx_http_request_t *r,
    ngx_http_glossary_data_t *data, uint32_t term);


/* ngx_http_glossary_handler.c */
ngx_int_t ngx_http_glossary_handler(ngx_http_request_t *r);
void ngx_http_glossary_route(ngx_http_request_t *r, glossary_route_t *route);
ngx_int_t ngx_http_glossary_send_error(ngx_http_request_t *r,
    ngx_uint_t status);
ngx_int_t ngx_http_glossary_lazy(ngx_http_request_t *r,
    ngx_http_glossary_data_t *data, const glossary_doc_t *doc,
    const glossary_ref_t *ref);

/* ngx_http_glossary_search.c, ngx_http_glossary_status.c */
ngx_int_t ngx_http_glossary_search(ngx_http_request_t *r,
    ngx_http_glossary_loc_conf_t *glcf);
ngx_int_t ngx_http_glossary_status_handler(ngx_http_request_t *r);

/* ngx_http_glossary_variables.c */
ngx_int_t ngx_http_glossary_add_variables(ngx_conf_t *cf);

/* Content-Type; len: the media type without its parameter */
static ngx_inline void
ngx_http_glossary_set_type(ngx_http_request_t *r, glossary_media_t media)
{
    static struct {
        ngx_str_t   value;
        size_t      len;
    } types[] = {   /* indexed by glossary_media_t */
        { ngx_string("application/json; charset=utf-8"),
          sizeof("application/json") - 1 },
        { ngx_string("text/html; charset=utf-8"), sizeof("text/html") - 1 },
        { ngx_string("application/xml; charset=utf-8"),
          sizeof("application/xml") - 1 }
    };

    r->headers_out.content_type = types[media].value;
    r->headers_out.content_type_len = types[media].len;
    r->headers_out.content_type_lowcase = NULL;
}


/* with verify=lazy: a document or string is sent only once verified */
#define ngx_http_glossary_doc_ready(r, data, doc)                             \
    (!(data)->blob.lazy || ngx_http_glossary_lazy(r, data, doc, NULL) == NGX_OK)
#define ngx_http_glossary_ref_ready(r, data, ref)                             \
    (!(data)->blob.lazy || ngx_http_glossary_lazy(r, data, NULL, ref) == NGX_OK)


#endif /* NGX_HTTP_GLOSSARY_MODULE_H */
