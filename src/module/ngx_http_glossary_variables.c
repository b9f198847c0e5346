/*
 * ngx_http_glossary_module: the variables $glossary_slug, $glossary_term,
 * $glossary_category and $glossary_build.
 */

#include "ngx_http_glossary_module.h"


/* what a variable reports */
typedef enum {
    NGX_HTTP_GLOSSARY_VAR_SLUG = 0,
    NGX_HTTP_GLOSSARY_VAR_TERM,
    NGX_HTTP_GLOSSARY_VAR_CATEGORY,
    NGX_HTTP_GLOSSARY_VAR_BUILD
} ngx_http_glossary_var_e;


static ngx_int_t ngx_http_glossary_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data);


static ngx_http_variable_t  ngx_http_glossary_vars[] = {

    { ngx_string("glossary_slug"), NULL, ngx_http_glossary_variable,
      NGX_HTTP_GLOSSARY_VAR_SLUG, NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("glossary_term"), NULL, ngx_http_glossary_variable,
      NGX_HTTP_GLOSSARY_VAR_TERM, NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("glossary_category"), NULL, ngx_http_glossary_variable,
      NGX_HTTP_GLOSSARY_VAR_CATEGORY, NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("glossary_build"), NULL, ngx_http_glossary_variable,
      NGX_HTTP_GLOSSARY_VAR_BUILD, NGX_HTTP_VAR_NOCACHEABLE, 0 },

      ngx_http_null_variable
};


/* preconfiguration: before any directive can name the variables */

ngx_int_t
ngx_http_glossary_add_variables(ngx_conf_t *cf)
{
    ngx_http_variable_t  *var, *v;

    for (v = ngx_http_glossary_vars; v->name.len; v++) {
        var = ngx_http_add_variable(cf, &v->name, v->flags);
        if (var == NULL) {
            return NGX_ERROR;
        }

        var->get_handler = v->get_handler;
        var->data = v->data;
    }

    return NGX_OK;
}


/*
 * $glossary_slug, $glossary_term, $glossary_category: of the term that
 * answers this request in this location, empty otherwise ($glossary_category
 * is also the category's name on its own route); $glossary_build:
 * the build identifier of the blob this location serves.  Computed only
 * when something asks for them (a log format, a header, a map).
 */

static ngx_int_t
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
