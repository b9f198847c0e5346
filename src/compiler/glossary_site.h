/*
 * glossaryc site rendering: what the HTML format, the Nuxt payloads, the
 * search documents and the sitemap need beyond the term list (index
 * order, categories, backlinks), and the renderers of those documents.
 * The JSON documents are glossary_json.c's.
 */

#ifndef GLOSSARY_SITE_H
#define GLOSSARY_SITE_H

#include <stdint.h>

#include "glossary_autolink.h"
#include "glossary_html.h"
#include "glossary_model.h"


/* the options of the pages, set by glossary_site_option() */
typedef struct {
    const char  *base_url;      /* absolute URL of {prefix}, or NULL */
    const char  *lang;          /* <html lang>; NULL: "en" */
    const char  *site_name;     /* NULL: "Glossary" */
    const char  *template_path; /* page template; NULL: the built-in one */
} glossary_site_conf_t;


typedef struct {
    glossary_text_t   slug;         /* canonical slug form of the name */
    glossary_text_t   name;         /* the first spelling in the input */
    uint32_t         *terms;        /* term ids in index order */
    uint32_t          nterms;
    uint32_t          first_seq;    /* seq of the term that named it */
} glossary_cat_t;


typedef struct {
    int                           quiet;        /* no notes */
    uint64_t                      build_time;   /* the sitemap's lastmod */
    glossary_template_t          *tpl;
    glossary_entry_t             *entries;      /* sorted by slug */
    uint32_t                      n;
    const uint32_t               *targets;      /* per link: id or NO_TERM */
    const uint64_t               *first_link;   /* per term */
    uint32_t                     *order;        /* index order: ids */
    uint32_t                     *rank;         /* id: index position */
    uint32_t                     *cat_of;       /* id: category or NO_TERM */
    glossary_cat_t               *cats;         /* sorted by slug */
    uint32_t                      ncats;
    uint32_t                     *back;         /* backlinks, index order */
    uint64_t                     *first_back;   /* n + 1 entries */
    glossary_text_t               base;         /* base URL, or empty */
    glossary_text_t               lang;
    glossary_text_t               site_name;
    char                          lastmod[32];
    /* --autolink: the automaton, its rules, one stream's memory */
    const glossary_autolink_t    *autolink;
    glossary_autolink_conf_t     *autolink_conf;
    void                         *autolink_mem;
} glossary_site_t;


/*
 * Checks the options (base URL, language, site name) and loads the
 * template.  Prints the reason and returns a GLOSSARY_EXIT_* status on
 * error; glossary_site_free() is needed either way.
 */
int glossary_site_open(glossary_site_t *s, const glossary_site_conf_t *conf,
    uint64_t build_time, int quiet);

/* computes the index order, the categories and the backlinks */
int glossary_site_init(glossary_site_t *s, glossary_entry_t *entries,
    uint32_t n, const uint32_t *targets, const uint64_t *first_link);
void glossary_site_free(glossary_site_t *s);

/*
 * --autolink: from now on, the explanation and the FAQ answers of each term
 * page link the terms they name (the page's own term never; each other
 * term once, at its first occurrence), as the glossary_autolink filter
 * would; al must stay open as long as s
 */
void glossary_site_autolink(glossary_site_t *s, const glossary_autolink_t *al);

/*
 * A build option of the pages (--base-url, --lang, --site-name,
 * --template, as "--opt VALUE" or "--opt=VALUE"): the number of arguments
 * it takes, 0 when arg is no such option, -1 when its value is missing.
 */
int glossary_site_option(glossary_site_conf_t *conf, const char *arg,
    const char *next);

/* slug form of a category name: out has room for GLOSSARY_MAX_SLUG_LEN */
size_t glossary_category_slug(const char *name, size_t len, char *out);

void glossary_page_term(glossary_site_t *s, uint32_t id, glossary_buf_t *out);
void glossary_page_index(glossary_site_t *s, glossary_buf_t *out);
void glossary_page_category(glossary_site_t *s, uint32_t c,
    glossary_buf_t *out);
void glossary_page_categories(glossary_site_t *s, glossary_buf_t *out);
void glossary_page_not_found(glossary_site_t *s, glossary_buf_t *out);

/* the search page, with GLOSSARY_MARK_QUERY and _RESULTS in it */
void glossary_page_search(glossary_site_t *s, glossary_buf_t *out);
void glossary_search_html(glossary_site_t *s, uint32_t id,
    glossary_buf_t *out);
void glossary_search_empty(glossary_site_t *s, glossary_buf_t *out);

/* empty without a base URL */
void glossary_sitemap(glossary_site_t *s, glossary_buf_t *out);

/* the term in the devalue form of a Nuxt payload */
void glossary_payload(glossary_site_t *s, uint32_t id, glossary_buf_t *out);


#endif /* GLOSSARY_SITE_H */
