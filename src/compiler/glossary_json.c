/*
 * glossaryc's JSON documents (glossary_json.h).
 */

#include <string.h>

#include <yajl/yajl_gen.h>

#include "glossary_json.h"
#include "glossaryc.h"


/* a yajl generator, every status checked: the first failure is kept */
typedef struct {
    yajl_gen          g;
    int               status;
} glossary_gen_t;


static int glossary_json_end(glossary_gen_t *gen, glossary_buf_t *out,
    const char *what, const glossary_text_t *slug);
static void glossary_gen_open(glossary_gen_t *gen);
static void glossary_gen_status(glossary_gen_t *gen, yajl_gen_status st);
static void glossary_gen_key(glossary_gen_t *gen, const char *key);
static void glossary_gen_text(glossary_gen_t *gen, const glossary_text_t *t);
static void glossary_gen_pair(glossary_gen_t *gen, const char *key,
    const glossary_text_t *t);


int
glossary_json_term(const glossary_site_t *s, uint32_t id,
    glossary_buf_t *out)
{
    uint32_t           j, target;
    glossary_gen_t     gen;
    glossary_entry_t  *e, *to;

    e = &s->entries[id];

    glossary_gen_open(&gen);
    glossary_gen_status(&gen, yajl_gen_map_open(gen.g));

    glossary_gen_pair(&gen, "slug", &e->slug);
    glossary_gen_pair(&gen, "term", &e->term);
    glossary_gen_pair(&gen, "shortDefinition", &e->short_definition);
    glossary_gen_pair(&gen, "seoTitle", &e->seo_title);
    glossary_gen_pair(&gen, "seoDescription", &e->seo_description);
    glossary_gen_pair(&gen, "explanation", &e->explanation);
    glossary_gen_pair(&gen, "category", &e->category);

    glossary_gen_key(&gen, "relatedTerms");
    glossary_gen_status(&gen, yajl_gen_array_open(gen.g));

    for (j = 0; j < e->nrelated; j++) {
        glossary_gen_status(&gen, yajl_gen_map_open(gen.g));
        glossary_gen_pair(&gen, "slug", &e->related[j].slug);
        glossary_gen_pair(&gen, "name", &e->related[j].name);

        target = s->targets[s->first_link[id] + j];

        if (target != GLOSSARY_NO_TERM) {
            to = &s->entries[target];
            glossary_gen_pair(&gen, "term", &to->term);
            glossary_gen_pair(&gen, "shortDefinition", &to->short_definition);
        }

        glossary_gen_status(&gen, yajl_gen_map_close(gen.g));
    }

    glossary_gen_status(&gen, yajl_gen_array_close(gen.g));

    glossary_gen_key(&gen, "faq");
    glossary_gen_status(&gen, yajl_gen_array_open(gen.g));

    for (j = 0; j < e->nfaq; j++) {
        glossary_gen_status(&gen, yajl_gen_map_open(gen.g));
        glossary_gen_pair(&gen, "question", &e->faq[j].question);
        glossary_gen_pair(&gen, "answer", &e->faq[j].answer);
        glossary_gen_status(&gen, yajl_gen_map_close(gen.g));
    }

    glossary_gen_status(&gen, yajl_gen_array_close(gen.g));
    glossary_gen_status(&gen, yajl_gen_map_close(gen.g));

    return glossary_json_end(&gen, out, "term", &s->entries[id].slug);
}


int
glossary_json_related(const glossary_site_t *s, uint32_t id,
    glossary_buf_t *out)
{
    uint32_t           j, target;
    glossary_gen_t     gen;
    glossary_entry_t  *e, *to;

    e = &s->entries[id];

    glossary_gen_open(&gen);
    glossary_gen_status(&gen, yajl_gen_array_open(gen.g));

    for (j = 0; j < e->nrelated; j++) {
        glossary_gen_status(&gen, yajl_gen_map_open(gen.g));
        glossary_gen_pair(&gen, "slug", &e->related[j].slug);

        target = s->targets[s->first_link[id] + j];

        if (target != GLOSSARY_NO_TERM) {
            to = &s->entries[target];
            glossary_gen_pair(&gen, "term", &to->term);
            glossary_gen_pair(&gen, "shortDefinition", &to->short_definition);

        } else {
            glossary_gen_pair(&gen, "name", &e->related[j].name);
        }

        glossary_gen_status(&gen, yajl_gen_map_close(gen.g));
    }

    glossary_gen_status(&gen, yajl_gen_array_close(gen.g));

    return glossary_json_end(&gen, out, "term", &s->entries[id].slug);
}


int
glossary_json_index(const glossary_site_t *s, glossary_buf_t *out)
{
    uint32_t           i;
    glossary_gen_t     gen;
    glossary_entry_t  *e;

    glossary_gen_open(&gen);
    glossary_gen_status(&gen, yajl_gen_array_open(gen.g));

    for (i = 0; i < s->n; i++) {
        e = &s->entries[s->order[i]];

        glossary_gen_status(&gen, yajl_gen_map_open(gen.g));
        glossary_gen_pair(&gen, "slug", &e->slug);
        glossary_gen_pair(&gen, "term", &e->term);
        glossary_gen_pair(&gen, "category", &e->category);
        glossary_gen_status(&gen, yajl_gen_map_close(gen.g));
    }

    glossary_gen_status(&gen, yajl_gen_array_close(gen.g));

    return glossary_json_end(&gen, out, "the index", NULL);
}


int
glossary_json_search_result(const glossary_site_t *s, uint32_t id,
    glossary_buf_t *out)
{
    glossary_gen_t     gen;
    glossary_entry_t  *e;

    e = &s->entries[id];

    glossary_gen_open(&gen);
    glossary_gen_status(&gen, yajl_gen_map_open(gen.g));
    glossary_gen_pair(&gen, "slug", &e->slug);
    glossary_gen_pair(&gen, "term", &e->term);
    glossary_gen_pair(&gen, "shortDefinition", &e->short_definition);
    glossary_gen_pair(&gen, "category", &e->category);
    glossary_gen_status(&gen, yajl_gen_map_close(gen.g));

    return glossary_json_end(&gen, out, "term", &s->entries[id].slug);
}


int
glossary_json_categories(const glossary_site_t *s, glossary_buf_t *out)
{
    uint32_t         c;
    glossary_gen_t   gen;
    glossary_cat_t  *cat;

    glossary_gen_open(&gen);
    glossary_gen_status(&gen, yajl_gen_array_open(gen.g));

    for (c = 0; c < s->ncats; c++) {
        cat = &s->cats[c];

        glossary_gen_status(&gen, yajl_gen_map_open(gen.g));
        glossary_gen_pair(&gen, "slug", &cat->slug);
        glossary_gen_pair(&gen, "name", &cat->name);
        glossary_gen_key(&gen, "count");
        glossary_gen_status(&gen, yajl_gen_integer(gen.g, cat->nterms));
        glossary_gen_status(&gen, yajl_gen_map_close(gen.g));
    }

    glossary_gen_status(&gen, yajl_gen_array_close(gen.g));

    return glossary_json_end(&gen, out, "the category list", NULL);
}


int
glossary_json_category(const glossary_site_t *s, uint32_t c,
    glossary_buf_t *out)
{
    uint32_t           i;
    glossary_gen_t     gen;
    glossary_cat_t    *cat;
    glossary_entry_t  *e;

    cat = &s->cats[c];

    glossary_gen_open(&gen);
    glossary_gen_status(&gen, yajl_gen_map_open(gen.g));
    glossary_gen_pair(&gen, "slug", &cat->slug);
    glossary_gen_pair(&gen, "name", &cat->name);
    glossary_gen_key(&gen, "terms");
    glossary_gen_status(&gen, yajl_gen_array_open(gen.g));

    for (i = 0; i < cat->nterms; i++) {
        e = &s->entries[cat->terms[i]];

        glossary_gen_status(&gen, yajl_gen_map_open(gen.g));
        glossary_gen_pair(&gen, "slug", &e->slug);
        glossary_gen_pair(&gen, "term", &e->term);
        glossary_gen_pair(&gen, "shortDefinition", &e->short_definition);
        glossary_gen_status(&gen, yajl_gen_map_close(gen.g));
    }

    glossary_gen_status(&gen, yajl_gen_array_close(gen.g));
    glossary_gen_status(&gen, yajl_gen_map_close(gen.g));

    return glossary_json_end(&gen, out, "category", &s->cats[c].slug);
}


/*
 * The generated JSON into out, and the generator freed; "what" (and the
 * slug, when there is one) names the document in a message.
 */
static int
glossary_json_end(glossary_gen_t *gen, glossary_buf_t *out, const char *what,
    const glossary_text_t *slug)
{
    int                   st;
    size_t                len;
    const unsigned char  *body;

    st = gen->status;

    if (st == yajl_gen_status_ok) {
        st = yajl_gen_get_buf(gen->g, &body, &len);
    }

    if (st != yajl_gen_status_ok) {
        if (slug != NULL) {
            glossary_error("%s \"%s\": cannot render JSON (yajl_gen status "
                           "%d)", what, slug->data, st);

        } else {
            glossary_error("%s: cannot render JSON (yajl_gen status %d)",
                           what, st);
        }

        yajl_gen_free(gen->g);
        return GLOSSARY_EXIT_DATA;
    }

    out->len = 0;
    glossary_buf_add(out, body, len);
    yajl_gen_free(gen->g);

    return GLOSSARY_EXIT_OK;
}


static void
glossary_gen_open(glossary_gen_t *gen)
{
    gen->status = yajl_gen_status_ok;
    gen->g = yajl_gen_alloc(NULL);

    if (gen->g == NULL) {
        glossary_out_of_memory(0);
    }

    /* compact JSON, and never a byte that is not UTF-8 */
    if (!yajl_gen_config(gen->g, yajl_gen_beautify, 0)
        || !yajl_gen_config(gen->g, yajl_gen_validate_utf8, 1))
    {
        gen->status = -1;
    }
}


static void
glossary_gen_status(glossary_gen_t *gen, yajl_gen_status st)
{
    if (st != yajl_gen_status_ok && gen->status == yajl_gen_status_ok) {
        gen->status = st;
    }
}


static void
glossary_gen_key(glossary_gen_t *gen, const char *key)
{
    glossary_gen_status(gen, yajl_gen_string(gen->g,
                                             (const unsigned char *) key,
                                             strlen(key)));
}


static void
glossary_gen_text(glossary_gen_t *gen, const glossary_text_t *t)
{
    if (t->data == NULL) {
        glossary_gen_status(gen, yajl_gen_null(gen->g));
        return;
    }

    glossary_gen_status(gen, yajl_gen_string(gen->g,
                                             (const unsigned char *) t->data,
                                             t->len));
}


static void
glossary_gen_pair(glossary_gen_t *gen, const char *key,
    const glossary_text_t *t)
{
    glossary_gen_key(gen, key);
    glossary_gen_text(gen, t);
}
