/*
 * glossaryc's JSON documents: a term, its related terms, the index, one
 * search hit, the category list and a category, from the site's model
 * (glossary_site.h).  Compact JSON by yajl's generator, every status
 * checked and no byte that is not UTF-8.  Each goes into out, replacing
 * what it held; on an error the message names the document and the
 * status is GLOSSARY_EXIT_DATA.
 */

#ifndef GLOSSARY_JSON_H
#define GLOSSARY_JSON_H

#include <stdint.h>

#include "glossary_html.h"
#include "glossary_site.h"


/* {prefix}{slug}: the term, its related terms with their definitions */
int glossary_json_term(const glossary_site_t *s, uint32_t id,
    glossary_buf_t *out);

/* {prefix}{slug}/related */
int glossary_json_related(const glossary_site_t *s, uint32_t id,
    glossary_buf_t *out);

/* {prefix}: every term's slug, name and category, in index order */
int glossary_json_index(const glossary_site_t *s, glossary_buf_t *out);

/* one search hit: the module joins them with commas inside [ ] */
int glossary_json_search_result(const glossary_site_t *s, uint32_t id,
    glossary_buf_t *out);

/* {prefix}_category/ */
int glossary_json_categories(const glossary_site_t *s, glossary_buf_t *out);

/* {prefix}_category/{slug} */
int glossary_json_category(const glossary_site_t *s, uint32_t c,
    glossary_buf_t *out);


#endif /* GLOSSARY_JSON_H */
