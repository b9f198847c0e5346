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
    time_t                      loaded;
} ngx_http_glossary_data_t;


typedef struct {
    ngx_array_t                 blobs;     /* ngx_http_glossary_data_t * */
} ngx_http_glossary_main_conf_t;


typedef struct {
    ngx_http_glossary_data_t   *data;
} ngx_http_glossary_loc_conf_t;


extern ngx_module_t  ngx_http_glossary_module;


ngx_int_t ngx_http_glossary_handler(ngx_http_request_t *r);


#endif /* NGX_HTTP_GLOSSARY_MODULE_H */
