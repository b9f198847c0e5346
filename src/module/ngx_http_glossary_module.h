/*
 * ngx_http_glossary_module: shared between the configuration part
 * (ngx_http_glossary_module.c) and the request handler
 * (ngx_http_glossary_handler.c).
 */

#ifndef NGX_HTTP_GLOSSARY_MODULE_H
#define NGX_HTTP_GLOSSARY_MODULE_H


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "glossary_blob.h"


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


/* what $glossary_* variables report */
typedef enum {
    NGX_HTTP_GLOSSARY_VAR_SLUG = 0,
    NGX_HTTP_GLOSSARY_VAR_TERM,
    NGX_HTTP_GLOSSARY_VAR_CATEGORY,
    NGX_HTTP_GLOSSARY_VAR_BUILD
} ngx_http_glossary_var_e;


extern ngx_module_t  ngx_http_glossary_module;


ngx_int_t ngx_http_glossary_handler(ngx_http_request_t *r);
ngx_int_t ngx_http_glossary_status_handler(ngx_http_request_t *r);
ngx_int_t ngx_http_glossary_lazy(ngx_http_request_t *r,
    ngx_http_glossary_data_t *data, const glossary_doc_t *doc,
    const glossary_ref_t *ref);

/* with verify=lazy: a document or string is sent only once verified */
#define ngx_http_glossary_doc_ready(r, data, doc)                             \
    (!(data)->blob.lazy || ngx_http_glossary_lazy(r, data, doc, NULL) == NGX_OK)
#define ngx_http_glossary_ref_ready(r, data, ref)                             \
    (!(data)->blob.lazy || ngx_http_glossary_lazy(r, data, NULL, ref) == NGX_OK)

ngx_int_t ngx_http_glossary_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data);


#endif /* NGX_HTTP_GLOSSARY_MODULE_H */
