/*
 * The glossary blob reader: validates a whole blob once, then answers
 * lookups without further checks.  Shared by glossaryc and the module;
 * it allocates nothing and depends on nothing but libxxhash.
 *
 * Order matters: nothing that the checksum covers is trusted before the
 * checksum has matched, and no offset is followed before it is checked.
 * Opened lazily (GLOSSARY_OPEN_LAZY), the index checksum and the eager
 * chunks stand in for the checksum at load and the rest of STRINGS is
 * verified chunk by chunk at first use (glossary_lazy_*()); every offset
 * is still checked before it is followed, verified or not.
 */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <xxhash.h>

#include "glossary_blob.h"
#include "glossary_fts.h"


static const char  *glossary_blob_errors[] = {
    "ok",
    "file is too small to be a glossary blob",
    "not a glossary blob (bad magic)",
    "unsupported format version",
    "blob was written with another byte order",
    "file size does not match the size in the header",
    "file is larger than the format allows",
    "checksum mismatch (file is corrupt or was modified)",
    "invalid header",
    "invalid section table",
    "invalid section",
    "required section missing",
    "invalid term record",
    "invalid related-term record",
    "invalid slug index",
    "invalid document record",
    "invalid category record",
    "invalid search index",
    "invalid chunk table",
    "chunk checksum mismatch (file is corrupt or was modified)",
    "invalid autolink section",
};

_Static_assert(sizeof(glossary_blob_errors) / sizeof(char *)
               == GLOSSARY_ERR_LAST, "one message per status code");


static glossary_status_t glossary_blob_fail(glossary_blob_t *blob,
    glossary_status_t rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int glossary_blob_ref_ok(const glossary_blob_t *blob,
    const glossary_ref_t *ref, uint64_t max_len);
static int glossary_blob_etag_ok(const glossary_blob_t *blob,
    const glossary_ref_t *ref);
static int glossary_blob_etag_syntax_ok(const glossary_blob_t *blob,
    const glossary_ref_t *ref);
static glossary_status_t glossary_blob_check_chunks(
    const glossary_blob_t *blob, uint64_t from, uint64_t to, char *detail,
    size_t size);
static glossary_status_t glossary_blob_open_steps(glossary_blob_t *blob,
    unsigned flags, const uint64_t *checksum);
static glossary_status_t glossary_blob_check_file(glossary_blob_t *blob);
static glossary_status_t glossary_blob_check_whole(glossary_blob_t *blob,
    const uint64_t *checksum);
static glossary_status_t glossary_blob_check_header(glossary_blob_t *blob);
static glossary_status_t glossary_blob_check_kinds(glossary_blob_t *blob);
static glossary_status_t glossary_blob_check_sections(glossary_blob_t *blob);
static glossary_status_t glossary_blob_check_parts(glossary_blob_t *blob,
    unsigned flags);
static const void *glossary_blob_records(glossary_blob_t *blob,
    const glossary_section_def_t *def, const glossary_section_t *s,
    uint64_t *n);
static const void *glossary_blob_records32(glossary_blob_t *blob,
    const glossary_section_def_t *def, const glossary_section_t *s,
    uint32_t *n);
static void glossary_blob_term_range(const glossary_blob_t *blob,
    uint32_t i, uint64_t *first, uint32_t *count);
static glossary_status_t glossary_blob_map_strings(glossary_blob_t *blob,
    const glossary_section_def_t *def, const glossary_section_t *s);
static glossary_status_t glossary_blob_map_chunks(glossary_blob_t *blob,
    const glossary_section_def_t *def, const glossary_section_t *s);
static glossary_status_t glossary_blob_map_terms(glossary_blob_t *blob,
    const glossary_section_def_t *def, const glossary_section_t *s);
static glossary_status_t glossary_blob_map_related(glossary_blob_t *blob,
    const glossary_section_def_t *def, const glossary_section_t *s);
static glossary_status_t glossary_blob_map_hash(glossary_blob_t *blob,
    const glossary_section_def_t *def, const glossary_section_t *s);
static glossary_status_t glossary_blob_map_docs(glossary_blob_t *blob,
    const glossary_section_def_t *def, const glossary_section_t *s);
static glossary_status_t glossary_blob_map_globals(glossary_blob_t *blob,
    const glossary_section_def_t *def, const glossary_section_t *s);
static glossary_status_t glossary_blob_map_categories(glossary_blob_t *blob,
    const glossary_section_def_t *def, const glossary_section_t *s);
static glossary_status_t glossary_blob_map_search_terms(
    glossary_blob_t *blob, const glossary_section_def_t *def,
    const glossary_section_t *s);
static glossary_status_t glossary_blob_map_search_words(
    glossary_blob_t *blob, const glossary_section_def_t *def,
    const glossary_section_t *s);
static glossary_status_t glossary_blob_map_search_page(glossary_blob_t *blob,
    const glossary_section_def_t *def, const glossary_section_t *s);
static glossary_status_t glossary_blob_check_terms(glossary_blob_t *blob);
static glossary_status_t glossary_blob_check_hash(glossary_blob_t *blob);
static glossary_status_t glossary_blob_check_term_docs(glossary_blob_t *blob);
static glossary_status_t glossary_blob_check_globals(glossary_blob_t *blob);
static glossary_status_t glossary_blob_check_docs(glossary_blob_t *blob,
    const glossary_doc_t *docs, uint64_t n, const char *what);
static glossary_status_t glossary_blob_check_categories(
    glossary_blob_t *blob);
static glossary_status_t glossary_blob_check_search_terms(
    glossary_blob_t *blob);
static glossary_status_t glossary_blob_check_search_words(
    glossary_blob_t *blob);
static glossary_status_t glossary_blob_check_search(glossary_blob_t *blob,
    const glossary_search_t *e, uint32_t n, const char *what);
static glossary_status_t glossary_blob_check_search_page(
    glossary_blob_t *blob);
static glossary_status_t glossary_blob_map_autolink(glossary_blob_t *blob,
    const glossary_section_def_t *def, const glossary_section_t *s);
static glossary_status_t glossary_blob_check_autolink(glossary_blob_t *blob);
static glossary_status_t glossary_blob_check_segments(glossary_blob_t *blob);
static glossary_status_t glossary_blob_map_fts(glossary_blob_t *blob,
    const glossary_section_def_t *def, const glossary_section_t *s);
static glossary_status_t glossary_blob_check_fts(glossary_blob_t *blob);

#define glossary_min(a, b)  ((a) < (b) ? (a) : (b))

/*
 * what the checks of a large blob ask of memory ahead of use: the records
 * they read in order point at random places (buckets, search keys)
 */
#define GLOSSARY_AHEAD      16

#if (defined __GNUC__ || defined __clang__)
#define glossary_blob_prefetch(p)  __builtin_prefetch(p)
#else
#define glossary_blob_prefetch(p)
#endif

/* the index checksum leaves out its own eight bytes, [72, 80) */
#define GLOSSARY_INDEX_CHECKSUM_END                                           \
    (offsetof(glossary_header_t, index_checksum) + sizeof(uint64_t))


/*
 * The sections (glossary_blob.h describes the columns): STRINGS and its
 * CHUNKS first, which every reference and the lazy checks rely on, then
 * the records in the order glossaryc writes them.  RELATED's records are
 * checked with the TERMS that own them.
 */
const glossary_section_def_t  glossary_sections[GLOSSARY_SECTIONS] = {

    /* id, name, header size, record size, max count, per term, required,
       minor, map, check */

    { GLOSSARY_SECTION_STRINGS, "STRINGS", 0, 1, 0, 0, 1, 0,
      glossary_blob_map_strings, NULL },

    { GLOSSARY_SECTION_CHUNKS, "CHUNKS",
      sizeof(glossary_chunks_t), sizeof(uint64_t), 0, 0, 0, 2,
      glossary_blob_map_chunks, NULL },

    { GLOSSARY_SECTION_TERMS, "TERMS",
      0, sizeof(glossary_term_t), 1, 1, 1, 0,
      glossary_blob_map_terms, glossary_blob_check_terms },

    { GLOSSARY_SECTION_RELATED, "RELATED",
      0, sizeof(glossary_related_t), GLOSSARY_MAX_RELATED, 1, 1, 0,
      glossary_blob_map_related, NULL },

    { GLOSSARY_SECTION_HASH, "HASH",
      sizeof(glossary_hash_t), sizeof(uint32_t), 0, 0, 1, 0,
      glossary_blob_map_hash, glossary_blob_check_hash },

    { GLOSSARY_SECTION_DOCS, "DOCS",
      0, sizeof(glossary_doc_t), GLOSSARY_MAX_DOCS_PER_TERM, 1, 1, 0,
      glossary_blob_map_docs, glossary_blob_check_term_docs },

    { GLOSSARY_SECTION_GLOBALS, "GLOBALS",
      0, sizeof(glossary_doc_t), GLOSSARY_MAX_GLOBAL_DOCS, 0, 1, 0,
      glossary_blob_map_globals, glossary_blob_check_globals },

    { GLOSSARY_SECTION_CATEGORIES, "CATEGORIES",
      0, sizeof(glossary_category_t), 1, 1, 0, 1,
      glossary_blob_map_categories, glossary_blob_check_categories },

    { GLOSSARY_SECTION_SEARCH_TERMS, "SEARCH_TERMS",
      0, sizeof(glossary_search_t), GLOSSARY_MAX_SEARCH_KEYS, 1, 0, 1,
      glossary_blob_map_search_terms, glossary_blob_check_search_terms },

    { GLOSSARY_SECTION_SEARCH_WORDS, "SEARCH_WORDS",
      0, sizeof(glossary_search_t), GLOSSARY_MAX_SEARCH_KEYS, 1, 0, 1,
      glossary_blob_map_search_words, glossary_blob_check_search_words },

    { GLOSSARY_SECTION_SEARCH_PAGE, "SEARCH_PAGE",
      0, sizeof(glossary_segment_t), GLOSSARY_MAX_SEGMENTS, 0, 0, 1,
      glossary_blob_map_search_page, glossary_blob_check_search_page },

    /* one image, sized by its own header; checked by its own reader */
    { GLOSSARY_SECTION_AUTOLINK, "AUTOLINK", 0, 1, 0, 0, 0, 3,
      glossary_blob_map_autolink, glossary_blob_check_autolink },

    { GLOSSARY_SECTION_FTS, "FTS",
      sizeof(glossary_fts_section_t), 1, 0, 0, 0, 3,
      glossary_blob_map_fts, glossary_blob_check_fts }
};


const glossary_section_def_t *
glossary_blob_section_def(uint32_t id)
{
    uint32_t  i;

    for (i = 0; i < GLOSSARY_SECTIONS; i++) {
        if (glossary_sections[i].id == id) {
            return &glossary_sections[i];
        }
    }

    return NULL;
}


const char *
glossary_blob_section_name(uint32_t id)
{
    const glossary_section_def_t  *def;

    def = glossary_blob_section_def(id);

    return def != NULL ? def->name : "?";
}


const glossary_kind_group_t  glossary_kind_groups[GLOSSARY_KIND_GROUPS] = {
    { "json", (1 << GLOSSARY_DOC_TERM_JSON) | (1 << GLOSSARY_DOC_RELATED_JSON)
              | (1 << GLOSSARY_DOC_SEARCH_JSON) },
    { "html", (1 << GLOSSARY_DOC_TERM_HTML) | (1 << GLOSSARY_DOC_SEARCH_HTML) },
    { "payload", 1 << GLOSSARY_DOC_PAYLOAD }
};


const char *
glossary_blob_kind_name(uint32_t kind)
{
    static const char  *names[] = {
        "term-json", "related-json", "term-html", "payload", "search-json",
        "search-html"
    };

    _Static_assert(sizeof(names) / sizeof(names[0]) == GLOSSARY_DOC_KINDS,
                   "one name per kind");

    return kind < GLOSSARY_DOC_KINDS ? names[kind] : "?";
}


const char *
glossary_blob_strerror(glossary_status_t rc)
{
    if ((unsigned) rc >= GLOSSARY_ERR_LAST) {
        return "unknown error";
    }

    return glossary_blob_errors[rc];
}


uint64_t
glossary_blob_checksum(const void *data, size_t size)
{
    if (size < GLOSSARY_CHECKSUM_FROM) {
        return 0;
    }

    return XXH3_64bits((const unsigned char *) data + GLOSSARY_CHECKSUM_FROM,
                       size - GLOSSARY_CHECKSUM_FROM);
}


uint64_t
glossary_blob_hash(const void *slug, size_t len)
{
    return XXH3_64bits(slug, len);
}


/*
 * [24, 72), then [80, STRINGS), then [end of STRINGS, end of file), each
 * hashed with the previous hash as its seed: no state to allocate
 */
uint64_t
glossary_blob_index_checksum(const void *data, size_t size,
    uint64_t strings_off, uint64_t strings_size)
{
    uint64_t              h, end;
    const unsigned char  *p;

    p = data;
    end = strings_off + strings_size;

    if (size < GLOSSARY_HEADER_SIZE || strings_off < GLOSSARY_HEADER_SIZE
        || strings_off > size || strings_size > size - strings_off)
    {
        return 0;
    }

    h = XXH3_64bits(p + GLOSSARY_CHECKSUM_FROM,
                    offsetof(glossary_header_t, index_checksum)
                    - GLOSSARY_CHECKSUM_FROM);

    h = XXH3_64bits_withSeed(p + GLOSSARY_INDEX_CHECKSUM_END,
                             strings_off - GLOSSARY_INDEX_CHECKSUM_END, h);

    return XXH3_64bits_withSeed(p + end, size - end, h);
}


uint64_t
glossary_blob_chunk_hash(const unsigned char *base, uint64_t strings_off,
    uint64_t strings_size, uint32_t shift, uint64_t i)
{
    uint64_t  from, len;

    from = i << shift;

    if (from >= strings_size) {
        return XXH3_64bits(base, 0);
    }

    len = glossary_min((uint64_t) 1 << shift, strings_size - from);

    return XXH3_64bits(base + strings_off + from, len);
}


glossary_status_t
glossary_blob_open(glossary_blob_t *blob, const void *data, size_t size)
{
    return glossary_blob_open_flags(blob, data, size, 0);
}


glossary_status_t
glossary_blob_open_flags(glossary_blob_t *blob, const void *data, size_t size,
    unsigned flags)
{
    memset(blob, 0, sizeof(glossary_blob_t));

    blob->base = data;
    blob->size = size;

    return glossary_blob_open_steps(blob, flags, NULL);
}


glossary_status_t
glossary_blob_open_summed(glossary_blob_t *blob, const void *data,
    size_t size, unsigned flags, uint64_t checksum)
{
    memset(blob, 0, sizeof(glossary_blob_t));

    blob->base = data;
    blob->size = size;

    return glossary_blob_open_steps(blob, flags & ~GLOSSARY_OPEN_LAZY,
                                    &checksum);
}


/* checksum: computed by the caller, or NULL for the reader to compute */
static glossary_status_t
glossary_blob_open_steps(glossary_blob_t *blob, unsigned flags,
    const uint64_t *checksum)
{
    glossary_status_t              rc;
    const glossary_section_def_t  *def;

    if (flags & GLOSSARY_OPEN_DEEP) {
        flags &= ~GLOSSARY_OPEN_LAZY;     /* every byte: nothing is left */
    }

    rc = glossary_blob_check_file(blob);

    if (rc == GLOSSARY_OK && !(flags & GLOSSARY_OPEN_LAZY)) {
        rc = glossary_blob_check_whole(blob, checksum);
    }

    /*
     * from here on the bytes are what the writer wrote (lazily: not yet,
     * but nothing is followed unchecked); check its logic
     */

    if (rc == GLOSSARY_OK) {
        rc = glossary_blob_check_header(blob);
    }

    if (rc == GLOSSARY_OK) {
        rc = glossary_blob_check_sections(blob);
    }

    if (rc == GLOSSARY_OK) {
        rc = glossary_blob_check_parts(blob, flags);
    }

    /* an absent optional section has no records: its check has nothing */

    for (def = glossary_sections;
         rc == GLOSSARY_OK && def < glossary_sections + GLOSSARY_SECTIONS;
         def++)
    {
        if (def->check != NULL) {
            rc = def->check(blob);
        }
    }

    return rc;
}


/* what is checked before the checksum: the first 24 bytes and the size */
static glossary_status_t
glossary_blob_check_file(glossary_blob_t *blob)
{
    const glossary_header_t  *h;

    if (blob->size < GLOSSARY_HEADER_SIZE) {
        return glossary_blob_fail(blob, GLOSSARY_ERR_TRUNCATED,
                                  "%zu bytes, a header needs %d",
                                  blob->size, GLOSSARY_HEADER_SIZE);
    }

    if (((uintptr_t) blob->base) % GLOSSARY_ALIGN) {
        return glossary_blob_fail(blob, GLOSSARY_ERR_HEADER,
                                  "blob is not 8-byte aligned in memory");
    }

    h = (const glossary_header_t *) blob->base;

    if (memcmp(h->magic, GLOSSARY_MAGIC, GLOSSARY_MAGIC_LEN) != 0) {
        return glossary_blob_fail(blob, GLOSSARY_ERR_MAGIC, "magic is not "
                                  "\"" GLOSSARY_MAGIC "\"");
    }

    if (h->byte_order != GLOSSARY_BYTE_ORDER) {
        return glossary_blob_fail(blob, GLOSSARY_ERR_BYTE_ORDER,
                                  "marker 0x%08x", (unsigned) h->byte_order);
    }

    if (h->version_major != GLOSSARY_VERSION_MAJOR
        && h->version_major != GLOSSARY_VERSION_MAJOR_V1)
    {
        return glossary_blob_fail(blob, GLOSSARY_ERR_VERSION,
                                  "version %u.%u, this reader reads %d.x "
                                  "and %d.x", h->version_major,
                                  h->version_minor, GLOSSARY_VERSION_MAJOR,
                                  GLOSSARY_VERSION_MAJOR_V1);
    }

    blob->v1 = (h->version_major == GLOSSARY_VERSION_MAJOR_V1);

    if (h->file_size > (blob->v1 ? GLOSSARY_MAX_FILE_SIZE_V1
                                 : GLOSSARY_MAX_FILE_SIZE))
    {
        return glossary_blob_fail(blob, GLOSSARY_ERR_TOO_LARGE,
                                  "header says %llu bytes, format %u.x "
                                  "allows %llu", (unsigned long long)
                                  h->file_size, h->version_major,
                                  (unsigned long long)
                                  (blob->v1 ? GLOSSARY_MAX_FILE_SIZE_V1
                                            : GLOSSARY_MAX_FILE_SIZE));
    }

    if (h->file_size != blob->size) {
        return glossary_blob_fail(blob, GLOSSARY_ERR_SIZE,
                                  "header says %llu bytes, file has %zu",
                                  (unsigned long long) h->file_size,
                                  blob->size);
    }

    return GLOSSARY_OK;
}


/* the header's fields, then the blob's copy of them */
static glossary_status_t
glossary_blob_check_header(glossary_blob_t *blob)
{
    const glossary_header_t  *h;

    h = (const glossary_header_t *) blob->base;

    if (h->header_size < GLOSSARY_HEADER_SIZE
        || h->header_size > blob->size
        || h->header_size % GLOSSARY_ALIGN)
    {
        return glossary_blob_fail(blob, GLOSSARY_ERR_HEADER,
                                  "header_size %u", (unsigned) h->header_size);
    }

    if (h->term_count > GLOSSARY_MAX_TERMS) {
        return glossary_blob_fail(blob, GLOSSARY_ERR_HEADER,
                                  "term_count %u over the limit of %u",
                                  (unsigned) h->term_count,
                                  GLOSSARY_MAX_TERMS);
    }

    if (h->docs_per_term == 0 || h->docs_per_term > GLOSSARY_MAX_DOCS_PER_TERM)
    {
        return glossary_blob_fail(blob, GLOSSARY_ERR_HEADER,
                                  "docs_per_term %u",
                                  (unsigned) h->docs_per_term);
    }

    if (h->global_docs > GLOSSARY_MAX_GLOBAL_DOCS) {
        return glossary_blob_fail(blob, GLOSSARY_ERR_HEADER,
                                  "global_docs %u", (unsigned) h->global_docs);
    }

    blob->header = h;
    blob->term_count = h->term_count;
    blob->docs_per_term = h->docs_per_term;
    blob->global_docs = h->global_docs;

    snprintf(blob->build_id, sizeof(blob->build_id), "%016llx",
             (unsigned long long) h->checksum);

    return glossary_blob_check_kinds(blob);
}


/*
 * Which kinds DOCS holds, and where: 2.0 says it in doc_kinds, kind by
 * kind; 1.x holds kinds 0 to docs_per_term - 1, term by term.
 */
static glossary_status_t
glossary_blob_check_kinds(glossary_blob_t *blob)
{
    uint32_t                  k, slot;
    uint64_t                  kinds;
    const glossary_header_t  *h;

    h = blob->header;

    if (blob->v1) {
        kinds = (h->docs_per_term == 64)
                ? UINT64_MAX : ((uint64_t) 1 << h->docs_per_term) - 1;
        blob->doc_term_stride = h->docs_per_term;
        blob->doc_kind_stride = 1;

    } else {
        kinds = h->doc_kinds;
        blob->doc_term_stride = 1;
        blob->doc_kind_stride = h->term_count;
    }

    slot = 0;

    for (k = 0; k < GLOSSARY_MAX_DOCS_PER_TERM; k++) {
        blob->kind_slot[k] = (kinds >> k) & 1 ? (unsigned char) slot++
                                              : GLOSSARY_NO_SLOT;
    }

    if (slot != h->docs_per_term) {
        return glossary_blob_fail(blob, GLOSSARY_ERR_HEADER,
                                  "doc_kinds 0x%llx names %u kinds, "
                                  "docs_per_term says %u",
                                  (unsigned long long) kinds,
                                  (unsigned) slot,
                                  (unsigned) h->docs_per_term);
    }

    blob->doc_kinds = kinds;

    return GLOSSARY_OK;
}


/*
 * Verification in parts (CHUNKS): lazily, the index checksum and the eager
 * chunks stand in for the checksum, which a blob without CHUNKS still
 * needs; deep, after the checksum, the index checksum and every chunk.
 */
static glossary_status_t
glossary_blob_check_parts(glossary_blob_t *blob, unsigned flags)
{
    uint64_t                  checksum, to;
    glossary_status_t         rc;
    const glossary_header_t  *h;

    h = blob->header;

    if ((flags & GLOSSARY_OPEN_LAZY) && blob->chunk_hashes == NULL) {

        /* an older blob: nothing to verify it by but the whole checksum */

        return glossary_blob_check_whole(blob, NULL);
    }

    if (blob->chunk_hashes == NULL
        || !(flags & (GLOSSARY_OPEN_LAZY|GLOSSARY_OPEN_DEEP
                      |GLOSSARY_OPEN_INDEX)))
    {
        return GLOSSARY_OK;
    }

    checksum = glossary_blob_index_checksum(blob->base, blob->size,
                                            blob->strings_off,
                                            blob->strings_size);

    if (checksum != h->index_checksum) {
        return glossary_blob_fail(blob, GLOSSARY_ERR_CHECKSUM,
                                  "index: expected %016llx, computed %016llx",
                                  (unsigned long long) h->index_checksum,
                                  (unsigned long long) checksum);
    }

    to = (flags & GLOSSARY_OPEN_LAZY)
         ? (blob->eager_size + ((uint64_t) 1 << blob->chunk_shift) - 1)
           >> blob->chunk_shift
         : (flags & GLOSSARY_OPEN_DEEP) ? blob->chunk_count : 0;

    rc = glossary_blob_check_chunks(blob, 0, to, blob->detail,
                                    sizeof(blob->detail));
    if (rc != GLOSSARY_OK) {
        return rc;
    }

    blob->lazy = (flags & GLOSSARY_OPEN_LAZY) ? 1 : 0;

    return GLOSSARY_OK;
}


/*
 * lazily: the search page's text goes into every HTML search answer, so
 * its chunks are verified once at load rather than looked up per request
 * (glossaryc writes it among the eager strings: normally nothing to do)
 */
static glossary_status_t
glossary_blob_check_segments(glossary_blob_t *blob)
{
    uint32_t                   k;
    uint64_t                   first, last, eager;
    glossary_status_t          rc;
    const glossary_segment_t  *g;

    eager = (blob->eager_size + ((uint64_t) 1 << blob->chunk_shift) - 1)
            >> blob->chunk_shift;

    for (k = 0; k < blob->search_page_count; k++) {
        g = &blob->search_page[k];

        if (g->text.len == 0) {
            continue;
        }

        /* a checked reference: wholly inside STRINGS */
        first = (g->text.off - blob->strings_off) >> blob->chunk_shift;
        last = (g->text.off - blob->strings_off + g->text.len - 1)
               >> blob->chunk_shift;

        if (first < eager) {
            first = eager;
        }

        if (first <= last) {
            rc = glossary_blob_check_chunks(blob, first, last + 1,
                                            blob->detail,
                                            sizeof(blob->detail));
            if (rc != GLOSSARY_OK) {
                return rc;
            }
        }
    }

    return GLOSSARY_OK;
}


/* the checksum over every byte after the first 24 */

static glossary_status_t
glossary_blob_check_whole(glossary_blob_t *blob, const uint64_t *sum)
{
    uint64_t                  checksum;
    const glossary_header_t  *h;

    h = (const glossary_header_t *) blob->base;
    checksum = (sum != NULL) ? *sum
                             : glossary_blob_checksum(blob->base, blob->size);

    if (checksum != h->checksum) {
        return glossary_blob_fail(blob, GLOSSARY_ERR_CHECKSUM,
                                  "expected %016llx, computed %016llx",
                                  (unsigned long long) h->checksum,
                                  (unsigned long long) checksum);
    }

    return GLOSSARY_OK;
}


static glossary_status_t
glossary_blob_check_categories(glossary_blob_t *blob)
{
    int                         cmp;
    size_t                      min;
    uint32_t                    i;
    glossary_status_t           rc;
    const glossary_category_t  *c;

    for (i = 0; i < blob->category_count; i++) {
        c = &blob->categories[i];

        if (!glossary_blob_ref_ok(blob, &c->slug, GLOSSARY_MAX_SLUG_LEN)
            || !glossary_blob_slug_ok(glossary_blob_ptr(blob, c->slug),
                                      c->slug.len)
            || !glossary_blob_ref_ok(blob, &c->name, GLOSSARY_MAX_FIELD_LEN)
            || c->term_count > blob->term_count)
        {
            return glossary_blob_fail(blob, GLOSSARY_ERR_CATEGORIES,
                                      "category %u: slug, name or count "
                                      "invalid", (unsigned) i);
        }

        if (i > 0) {
            min = glossary_min(c[-1].slug.len, c->slug.len);
            cmp = memcmp(glossary_blob_ptr(blob, c[-1].slug),
                         glossary_blob_ptr(blob, c->slug), min);

            if (cmp > 0 || (cmp == 0 && c[-1].slug.len >= c->slug.len)) {
                return glossary_blob_fail(blob, GLOSSARY_ERR_CATEGORIES,
                                          "category %u: slugs not sorted or "
                                          "not unique", (unsigned) i);
            }
        }

        rc = glossary_blob_check_docs(blob, &c->json, 1, "category json");
        if (rc != GLOSSARY_OK) {
            return rc;
        }

        rc = glossary_blob_check_docs(blob, &c->html, 1, "category html");
        if (rc != GLOSSARY_OK) {
            return rc;
        }
    }

    return GLOSSARY_OK;
}


static glossary_status_t
glossary_blob_check_search_terms(glossary_blob_t *blob)
{
    return glossary_blob_check_search(blob, blob->search_terms,
                                      blob->search_term_count, "term");
}


static glossary_status_t
glossary_blob_check_search_words(glossary_blob_t *blob)
{
    return glossary_blob_check_search(blob, blob->search_words,
                                      blob->search_word_count, "word");
}


static glossary_status_t
glossary_blob_check_search(glossary_blob_t *blob, const glossary_search_t *e,
    uint32_t n, const char *what)
{
    int       cmp;
    size_t    min;
    uint32_t  i;

    for (i = 0; i < n; i++) {

        /* a key ahead, once its place is known to be inside the file */
        if (i + GLOSSARY_AHEAD < n
            && e[i + GLOSSARY_AHEAD].key.off < blob->size)
        {
            glossary_blob_prefetch(blob->base + e[i + GLOSSARY_AHEAD].key.off);
        }

        if (!glossary_blob_ref_ok(blob, &e[i].key, GLOSSARY_MAX_FIELD_LEN)
            || e[i].term_id >= blob->term_count
            || e[i].order >= blob->term_count)
        {
            return glossary_blob_fail(blob, GLOSSARY_ERR_SEARCH,
                                      "%s entry %u: key, term or order "
                                      "invalid", what, (unsigned) i);
        }

        if (i > 0) {
            min = glossary_min(e[i - 1].key.len, e[i].key.len);
            cmp = memcmp(glossary_blob_ptr(blob, e[i - 1].key),
                         glossary_blob_ptr(blob, e[i].key), min);

            /* equal keys rank by index order */
            if (cmp > 0
                || (cmp == 0 && e[i - 1].key.len > e[i].key.len)
                || (cmp == 0 && e[i - 1].key.len == e[i].key.len
                    && e[i - 1].order > e[i].order))
            {
                return glossary_blob_fail(blob, GLOSSARY_ERR_SEARCH,
                                          "%s entry %u: keys not sorted",
                                          what, (unsigned) i);
            }
        }
    }

    return GLOSSARY_OK;
}


static glossary_status_t
glossary_blob_check_search_page(glossary_blob_t *blob)
{
    uint32_t                   i;
    const glossary_segment_t  *g;

    for (i = 0; i < blob->search_page_count; i++) {
        g = &blob->search_page[i];

        if (g->kind > GLOSSARY_SEGMENT_RESULTS
            || !glossary_blob_ref_ok(blob, &g->text, UINT64_MAX))
        {
            return glossary_blob_fail(blob, GLOSSARY_ERR_SEARCH,
                                      "search page segment %u invalid",
                                      (unsigned) i);
        }
    }

    return blob->lazy ? glossary_blob_check_segments(blob) : GLOSSARY_OK;
}


const glossary_category_t *
glossary_blob_category(const glossary_blob_t *blob, const unsigned char *slug,
    size_t len)
{
    int                         cmp;
    size_t                      min;
    uint32_t                    lo, hi, mid;
    const glossary_category_t  *c;

    lo = 0;
    hi = blob->category_count;

    while (lo < hi) {
        mid = lo + (hi - lo) / 2;
        c = &blob->categories[mid];

        min = glossary_min(c->slug.len, len);
        cmp = memcmp(glossary_blob_ptr(blob, c->slug), slug, min);

        if (cmp == 0) {
            if (c->slug.len == len) {
                return c;
            }

            cmp = c->slug.len < len ? -1 : 1;
        }

        if (cmp < 0) {
            lo = mid + 1;

        } else {
            hi = mid;
        }
    }

    return NULL;
}


uint32_t
glossary_blob_search_lower(const glossary_search_t *entries, uint32_t n,
    const glossary_blob_t *blob, const unsigned char *key, size_t len)
{
    int        cmp;
    size_t     min;
    uint32_t   lo, hi, mid;

    lo = 0;
    hi = n;

    while (lo < hi) {
        mid = lo + (hi - lo) / 2;

        min = glossary_min(entries[mid].key.len, len);
        cmp = memcmp(glossary_blob_ptr(blob, entries[mid].key), key, min);

        if (cmp == 0) {
            cmp = entries[mid].key.len < len ? -1 : 0;
        }

        if (cmp < 0) {
            lo = mid + 1;

        } else {
            hi = mid;
        }
    }

    return lo;
}


static glossary_status_t
glossary_blob_check_sections(glossary_blob_t *blob)
{
    uint32_t                       i, id;
    glossary_status_t              rc;
    uint64_t                       table, end;
    const glossary_header_t       *h;
    const glossary_section_t      *s, *found[GLOSSARY_SECTION_LAST + 1];
    const glossary_section_def_t  *def;

    h = blob->header;
    table = h->section_table;

    if (h->section_count == 0 || h->section_count > GLOSSARY_MAX_SECTIONS) {
        return glossary_blob_fail(blob, GLOSSARY_ERR_SECTION_TABLE,
                                  "section_count %u",
                                  (unsigned) h->section_count);
    }

    if (table < h->header_size
        || table % GLOSSARY_ALIGN
        || table > blob->size
        || (uint64_t) h->section_count * sizeof(glossary_section_t)
           > blob->size - table)
    {
        return glossary_blob_fail(blob, GLOSSARY_ERR_SECTION_TABLE,
                                  "table at %llu with %u entries lies outside "
                                  "the file", (unsigned long long) table,
                                  (unsigned) h->section_count);
    }

    end = table + (uint64_t) h->section_count * sizeof(glossary_section_t);
    s = (const glossary_section_t *) (blob->base + table);

    memset(found, 0, sizeof(found));

    for (i = 0; i < h->section_count; i++) {
        if (s[i].offset % GLOSSARY_ALIGN
            || s[i].offset < end
            || s[i].offset > blob->size
            || s[i].size > blob->size - s[i].offset)
        {
            return glossary_blob_fail(blob, GLOSSARY_ERR_SECTION,
                                      "section %u (id %u) at %llu size %llu "
                                      "lies outside the file or overlaps the "
                                      "header", (unsigned) i,
                                      (unsigned) s[i].id,
                                      (unsigned long long) s[i].offset,
                                      (unsigned long long) s[i].size);
        }

        id = s[i].id;

        if (glossary_blob_section_def(id) == NULL) {
            continue;   /* a later minor version's section */
        }

        if (found[id] != NULL) {
            return glossary_blob_fail(blob, GLOSSARY_ERR_SECTION,
                                      "section %s appears twice",
                                      glossary_blob_section_name(id));
        }

        found[id] = &s[i];
    }

    for (def = glossary_sections; def < glossary_sections + GLOSSARY_SECTIONS;
         def++)
    {
        if (found[def->id] == NULL && def->required) {
            return glossary_blob_fail(blob, GLOSSARY_ERR_MISSING_SECTION,
                                      "no %s section", def->name);
        }
    }

    for (def = glossary_sections; def < glossary_sections + GLOSSARY_SECTIONS;
         def++)
    {
        if (found[def->id] != NULL) {
            rc = def->map(blob, def, found[def->id]);
            if (rc != GLOSSARY_OK) {
                return rc;
            }
        }
    }

    return GLOSSARY_OK;
}


/*
 * records without a header, at most def's maximum count: the first and
 * their number, or NULL (GLOSSARY_ERR_SECTION)
 */
static const void *
glossary_blob_records(glossary_blob_t *blob, const glossary_section_def_t *def,
    const glossary_section_t *s, uint64_t *n)
{
    uint64_t  max;

    /* term_count <= 2^24 and max_count <= 2^32: no overflow */
    max = def->per_term ? (uint64_t) blob->term_count * def->max_count
                        : def->max_count;

    if (s->size % def->record_size || s->size / def->record_size > max) {
        (void) glossary_blob_fail(blob, GLOSSARY_ERR_SECTION,
                                  "%s has %llu bytes", def->name,
                                  (unsigned long long) s->size);
        return NULL;
    }

    *n = s->size / def->record_size;

    return blob->base + s->offset;
}


/* the same for sections of at most 2^32 - 1 records (every one but RELATED) */
static const void *
glossary_blob_records32(glossary_blob_t *blob,
    const glossary_section_def_t *def, const glossary_section_t *s,
    uint32_t *n)
{
    uint64_t     count;
    const void  *p;

    count = 0;
    p = glossary_blob_records(blob, def, s, &count);

    if (p != NULL && count > UINT32_MAX) {
        (void) glossary_blob_fail(blob, GLOSSARY_ERR_SECTION,
                                  "%s has %llu records", def->name,
                                  (unsigned long long) count);
        return NULL;
    }

    *n = (uint32_t) count;

    return p;
}


static glossary_status_t
glossary_blob_map_strings(glossary_blob_t *blob,
    const glossary_section_def_t *def, const glossary_section_t *s)
{
    (void) def;

    blob->strings_off = s->offset;
    blob->strings_size = s->size;

    return GLOSSARY_OK;
}


/*
 * CHUNKS: the table's size must match STRINGS exactly; lazily verified
 * bytes must be STRINGS' only, so no other section may overlap it
 */
static glossary_status_t
glossary_blob_map_chunks(glossary_blob_t *blob,
    const glossary_section_def_t *def, const glossary_section_t *s)
{
    uint32_t                   i, n;
    uint64_t                   count, end;
    const glossary_chunks_t   *c;
    const glossary_section_t  *table;

    if (s->size < def->header_size) {
        return glossary_blob_fail(blob, GLOSSARY_ERR_CHUNKS,
                                  "CHUNKS has %llu bytes",
                                  (unsigned long long) s->size);
    }

    c = (const glossary_chunks_t *) (blob->base + s->offset);

    if (c->chunk_shift < GLOSSARY_CHUNK_SHIFT_MIN
        || c->chunk_shift > GLOSSARY_CHUNK_SHIFT_MAX
        || c->eager_size > blob->strings_size)
    {
        return glossary_blob_fail(blob, GLOSSARY_ERR_CHUNKS,
                                  "chunk_shift %u, eager_size %llu of %llu",
                                  (unsigned) c->chunk_shift,
                                  (unsigned long long) c->eager_size,
                                  (unsigned long long) blob->strings_size);
    }

    count = (blob->strings_size >> c->chunk_shift)
            + ((blob->strings_size & (((uint64_t) 1 << c->chunk_shift) - 1))
               != 0);

    if (s->size != def->header_size + count * def->record_size) {
        return glossary_blob_fail(blob, GLOSSARY_ERR_CHUNKS,
                                  "CHUNKS has %llu bytes, %llu chunks need "
                                  "%llu", (unsigned long long) s->size,
                                  (unsigned long long) count,
                                  (unsigned long long)
                                  (def->header_size
                                   + count * def->record_size));
    }

    table = (const glossary_section_t *)
            (blob->base + blob->header->section_table);
    n = blob->header->section_count;
    end = blob->strings_off + blob->strings_size;

    for (i = 0; i < n; i++) {
        if (table[i].id != GLOSSARY_SECTION_STRINGS
            && table[i].size != 0
            && table[i].offset < end
            && table[i].offset + table[i].size > blob->strings_off)
        {
            return glossary_blob_fail(blob, GLOSSARY_ERR_CHUNKS,
                                      "section %u (id %u) overlaps STRINGS",
                                      (unsigned) i, (unsigned) table[i].id);
        }
    }

    blob->chunk_hashes = (const uint64_t *) (c + 1);
    blob->chunk_count = count;
    blob->chunk_shift = c->chunk_shift;
    blob->eager_size = c->eager_size;

    return GLOSSARY_OK;
}


static glossary_status_t
glossary_blob_map_terms(glossary_blob_t *blob,
    const glossary_section_def_t *def, const glossary_section_t *s)
{
    uint64_t  need;

    need = (uint64_t) blob->term_count * def->record_size;

    if (s->size != need) {
        return glossary_blob_fail(blob, GLOSSARY_ERR_SECTION,
                                  "TERMS has %llu bytes, %u terms need %llu",
                                  (unsigned long long) s->size,
                                  (unsigned) blob->term_count,
                                  (unsigned long long) need);
    }

    blob->terms = (const glossary_term_t *) (blob->base + s->offset);

    return GLOSSARY_OK;
}


static glossary_status_t
glossary_blob_map_related(glossary_blob_t *blob,
    const glossary_section_def_t *def, const glossary_section_t *s)
{
    blob->related = glossary_blob_records(blob, def, s, &blob->related_count);

    return blob->related != NULL ? GLOSSARY_OK : GLOSSARY_ERR_SECTION;
}


static glossary_status_t
glossary_blob_map_hash(glossary_blob_t *blob,
    const glossary_section_def_t *def, const glossary_section_t *s)
{
    if (s->size < def->header_size) {
        return glossary_blob_fail(blob, GLOSSARY_ERR_SECTION,
                                  "HASH has %llu bytes",
                                  (unsigned long long) s->size);
    }

    blob->hash = (const glossary_hash_t *) (blob->base + s->offset);
    blob->buckets = (const uint32_t *) (blob->hash + 1);

    if (s->size != def->header_size
                   + (uint64_t) blob->hash->bucket_count * def->record_size)
    {
        return glossary_blob_fail(blob, GLOSSARY_ERR_SECTION,
                                  "HASH has %llu bytes for %u buckets",
                                  (unsigned long long) s->size,
                                  (unsigned) blob->hash->bucket_count);
    }

    return GLOSSARY_OK;
}


static glossary_status_t
glossary_blob_map_docs(glossary_blob_t *blob,
    const glossary_section_def_t *def, const glossary_section_t *s)
{
    uint64_t  need;

    need = (uint64_t) blob->term_count * blob->docs_per_term
           * def->record_size;

    if (s->size != need) {
        return glossary_blob_fail(blob, GLOSSARY_ERR_SECTION,
                                  "DOCS has %llu bytes, expected %llu",
                                  (unsigned long long) s->size,
                                  (unsigned long long) need);
    }

    blob->docs = (const glossary_doc_t *) (blob->base + s->offset);

    return GLOSSARY_OK;
}


static glossary_status_t
glossary_blob_map_globals(glossary_blob_t *blob,
    const glossary_section_def_t *def, const glossary_section_t *s)
{
    uint64_t  need;

    need = (uint64_t) blob->global_docs * def->record_size;

    if (s->size != need) {
        return glossary_blob_fail(blob, GLOSSARY_ERR_SECTION,
                                  "GLOBALS has %llu bytes, expected %llu",
                                  (unsigned long long) s->size,
                                  (unsigned long long) need);
    }

    blob->globals = (const glossary_doc_t *) (blob->base + s->offset);

    return GLOSSARY_OK;
}


static glossary_status_t
glossary_blob_map_categories(glossary_blob_t *blob,
    const glossary_section_def_t *def, const glossary_section_t *s)
{
    blob->categories = glossary_blob_records32(blob, def, s,
                                               &blob->category_count);

    return blob->categories != NULL ? GLOSSARY_OK : GLOSSARY_ERR_SECTION;
}


static glossary_status_t
glossary_blob_map_search_terms(glossary_blob_t *blob,
    const glossary_section_def_t *def, const glossary_section_t *s)
{
    blob->search_terms = glossary_blob_records32(blob, def, s,
                                                 &blob->search_term_count);

    return blob->search_terms != NULL ? GLOSSARY_OK : GLOSSARY_ERR_SECTION;
}


static glossary_status_t
glossary_blob_map_search_words(glossary_blob_t *blob,
    const glossary_section_def_t *def, const glossary_section_t *s)
{
    blob->search_words = glossary_blob_records32(blob, def, s,
                                                 &blob->search_word_count);

    return blob->search_words != NULL ? GLOSSARY_OK : GLOSSARY_ERR_SECTION;
}


static glossary_status_t
glossary_blob_map_search_page(glossary_blob_t *blob,
    const glossary_section_def_t *def, const glossary_section_t *s)
{
    blob->search_page = glossary_blob_records32(blob, def, s,
                                                &blob->search_page_count);

    return blob->search_page != NULL ? GLOSSARY_OK : GLOSSARY_ERR_SECTION;
}


/* the image's own header says its size: checked with the rest of it */
static glossary_status_t
glossary_blob_map_autolink(glossary_blob_t *blob,
    const glossary_section_def_t *def, const glossary_section_t *s)
{
    (void) def;

    blob->autolink_data = (s->size != 0) ? blob->base + s->offset : NULL;
    blob->autolink_size = s->size;

    return GLOSSARY_OK;
}


/* FTS: the header; the image is checked once the bytes are */

static glossary_status_t
glossary_blob_map_fts(glossary_blob_t *blob,
    const glossary_section_def_t *def, const glossary_section_t *s)
{
    const glossary_fts_section_t  *f;

    if (s->size < def->header_size) {
        return glossary_blob_fail(blob, GLOSSARY_ERR_SEARCH,
                                  "FTS has %llu bytes",
                                  (unsigned long long) s->size);
    }

    f = (const glossary_fts_section_t *) (blob->base + s->offset);

    blob->fts_image = (const unsigned char *) (f + 1);
    blob->fts_size = s->size - def->header_size;
    blob->fts_text = f->text;

    return GLOSSARY_OK;
}


static glossary_status_t
glossary_blob_check_autolink(glossary_blob_t *blob)
{
    uint32_t                    n;
    glossary_autolink_status_t  rc;

    if (blob->autolink_data == NULL) {
        return GLOSSARY_OK;
    }

    rc = glossary_autolink_open(&blob->autolink, blob->autolink_data,
                                blob->autolink_size);

    if (rc != GLOSSARY_AUTOLINK_OK) {
        return glossary_blob_fail(blob, GLOSSARY_ERR_AUTOLINK, "%s: %s",
                                  glossary_autolink_strerror(rc),
                                  blob->autolink.detail);
    }

    n = blob->autolink.term_count;

    if (n != blob->term_count) {
        memset(&blob->autolink, 0, sizeof(glossary_autolink_t));

        return glossary_blob_fail(blob, GLOSSARY_ERR_AUTOLINK,
                                  "the image has %u terms, the blob %u",
                                  (unsigned) n, (unsigned) blob->term_count);
    }

    return GLOSSARY_OK;
}


/*
 * The texts' reference, then the image as glossary_fts_open_flags() checks
 * it: in full, or lazily as the blob is opened (each posting list's blocks
 * then at first use, glossary_fts_list_ready()); a document per term, each
 * category number one of CATEGORIES'.
 */

static glossary_status_t
glossary_blob_check_fts(glossary_blob_t *blob)
{
    uint32_t                       i, k, cat;
    glossary_fts_t                 fts;
    glossary_status_t              rc;
    const glossary_fts_section_t  *f;

    if (blob->fts_image == NULL) {
        return GLOSSARY_OK;
    }

    f = (const glossary_fts_section_t *) blob->fts_image - 1;

    for (k = 0; k < sizeof(f->reserved); k++) {
        if (f->reserved[k]) {
            return glossary_blob_fail(blob, GLOSSARY_ERR_SEARCH,
                                      "FTS: reserved bytes not zero");
        }
    }

    if (!glossary_blob_ref_ok(blob, &blob->fts_text, UINT64_MAX)) {
        return glossary_blob_fail(blob, GLOSSARY_ERR_SEARCH,
                                  "FTS: texts at %llu, %llu bytes, outside "
                                  "STRINGS",
                                  (unsigned long long) blob->fts_text.off,
                                  (unsigned long long) blob->fts_text.len);
    }

    rc = glossary_fts_open_flags(&fts, blob->fts_image, blob->fts_size,
                                 glossary_blob_ptr(blob, blob->fts_text),
                                 blob->fts_text.len,
                                 blob->lazy ? GLOSSARY_FTS_OPEN_LAZY : 0);
    if (rc != GLOSSARY_OK) {
        return glossary_blob_fail(blob, GLOSSARY_ERR_SEARCH, "FTS: %s%s%s",
                                  rc != GLOSSARY_ERR_SEARCH
                                  ? glossary_blob_strerror(rc) : "",
                                  rc != GLOSSARY_ERR_SEARCH ? ": " : "",
                                  fts.detail);
    }

    if (fts.doc_count != blob->term_count) {
        return glossary_blob_fail(blob, GLOSSARY_ERR_SEARCH,
                                  "FTS: %u documents for %u terms",
                                  (unsigned) fts.doc_count,
                                  (unsigned) blob->term_count);
    }

    for (i = 0; i < fts.doc_count; i++) {
        cat = fts.docs[i].category;

        if (cat != GLOSSARY_FTS_NO_CATEGORY && cat >= blob->category_count) {
            return glossary_blob_fail(blob, GLOSSARY_ERR_SEARCH,
                                      "FTS: document %u: category %u of %u",
                                      (unsigned) i, (unsigned) cat,
                                      (unsigned) blob->category_count);
        }
    }

    return GLOSSARY_OK;
}


static glossary_status_t
glossary_blob_check_terms(glossary_blob_t *blob)
{
    int                        cmp;
    size_t                     min;
    uint32_t                   i, count;
    uint64_t                   k, first;
    const unsigned char       *slug, *prev;
    const glossary_term_t     *t;
    const glossary_related_t  *r;

    for (k = 0; k < blob->related_count; k++) {
        r = &blob->related[k];

        /* a slug ahead, once its place is known to be inside the file */
        if (k + GLOSSARY_AHEAD < blob->related_count
            && r[GLOSSARY_AHEAD].slug.off < blob->size)
        {
            glossary_blob_prefetch(blob->base + r[GLOSSARY_AHEAD].slug.off);
        }

        if (r->term_id != GLOSSARY_NO_TERM && r->term_id >= blob->term_count)
        {
            return glossary_blob_fail(blob, GLOSSARY_ERR_RELATED,
                                      "entry %llu names term %u of %u",
                                      (unsigned long long) k,
                                      (unsigned) r->term_id,
                                      (unsigned) blob->term_count);
        }

        if (!glossary_blob_ref_ok(blob, &r->slug, GLOSSARY_MAX_SLUG_LEN)
            || !glossary_blob_slug_ok(glossary_blob_ptr(blob, r->slug),
                                      r->slug.len)
            || !glossary_blob_ref_ok(blob, &r->name, GLOSSARY_MAX_FIELD_LEN))
        {
            return glossary_blob_fail(blob, GLOSSARY_ERR_RELATED,
                                      "entry %llu: slug or name out of range "
                                      "or not canonical",
                                      (unsigned long long) k);
        }
    }

    prev = NULL;

    for (i = 0; i < blob->term_count; i++) {
        t = &blob->terms[i];

        if (i + GLOSSARY_AHEAD < blob->term_count
            && t[GLOSSARY_AHEAD].slug.off < blob->size)
        {
            glossary_blob_prefetch(blob->base + t[GLOSSARY_AHEAD].slug.off);
        }

        if (!glossary_blob_ref_ok(blob, &t->slug, GLOSSARY_MAX_SLUG_LEN)) {
            return glossary_blob_fail(blob, GLOSSARY_ERR_TERMS,
                                      "term %u: slug out of range",
                                      (unsigned) i);
        }

        slug = glossary_blob_ptr(blob, t->slug);

        if (!glossary_blob_slug_ok(slug, t->slug.len)) {
            return glossary_blob_fail(blob, GLOSSARY_ERR_TERMS,
                                      "term %u: slug is not canonical",
                                      (unsigned) i);
        }

        /* strictly ascending slugs: sorted and unique */
        if (prev != NULL) {
            min = t[-1].slug.len < t->slug.len ? t[-1].slug.len : t->slug.len;
            cmp = memcmp(prev, slug, min);

            if (cmp > 0 || (cmp == 0 && t[-1].slug.len >= t->slug.len)) {
                return glossary_blob_fail(blob, GLOSSARY_ERR_TERMS,
                                          "term %u: slugs not sorted or not "
                                          "unique", (unsigned) i);
            }
        }

        prev = slug;

        if (!glossary_blob_ref_ok(blob, &t->term, GLOSSARY_MAX_FIELD_LEN)
            || t->term.len == 0
            || !glossary_blob_ref_ok(blob, &t->category,
                                     GLOSSARY_MAX_FIELD_LEN)
            || !glossary_blob_ref_ok(blob, &t->short_definition,
                                     GLOSSARY_MAX_FIELD_LEN))
        {
            return glossary_blob_fail(blob, GLOSSARY_ERR_TERMS,
                                      "term %u: a field is out of range or "
                                      "the name is empty", (unsigned) i);
        }

        glossary_blob_term_range(blob, i, &first, &count);

        if (first > blob->related_count
            || count > blob->related_count - first)
        {
            return glossary_blob_fail(blob, GLOSSARY_ERR_TERMS,
                                      "term %u: related entries %llu+%u out "
                                      "of %llu", (unsigned) i,
                                      (unsigned long long) first,
                                      (unsigned) count,
                                      (unsigned long long)
                                      blob->related_count);
        }
    }

    return GLOSSARY_OK;
}


static glossary_status_t
glossary_blob_check_hash(glossary_blob_t *blob)
{
    uint32_t                i, n, used, mask, b, k;
    uint32_t                home[GLOSSARY_AHEAD];
    const glossary_term_t  *t;

    n = blob->hash->bucket_count;

    if (n == 0 || (n & (n - 1)) || n <= blob->term_count) {
        return glossary_blob_fail(blob, GLOSSARY_ERR_HASH,
                                  "%u buckets for %u terms", (unsigned) n,
                                  (unsigned) blob->term_count);
    }

    if (blob->hash->max_probe > GLOSSARY_MAX_PROBE
        || blob->hash->max_probe >= n)
    {
        return glossary_blob_fail(blob, GLOSSARY_ERR_HASH,
                                  "max_probe %u over the limit of %u",
                                  (unsigned) blob->hash->max_probe,
                                  GLOSSARY_MAX_PROBE);
    }

    used = 0;

    for (i = 0; i < n; i++) {
        if (blob->buckets[i] > blob->term_count) {
            return glossary_blob_fail(blob, GLOSSARY_ERR_HASH,
                                      "bucket %u names term %u of %u",
                                      (unsigned) i,
                                      (unsigned) blob->buckets[i] - 1,
                                      (unsigned) blob->term_count);
        }

        used += (blob->buckets[i] != 0);
    }

    /*
     * Every term found under its own slug within max_probe, in as many
     * buckets as there are terms: no bucket holds a duplicate or a stray
     * id.  Lookups stop after max_probe + 1 buckets, so this costs at most
     * term_count * (GLOSSARY_MAX_PROBE + 1) probes whatever the table.
     */

    if (used != blob->term_count) {
        return glossary_blob_fail(blob, GLOSSARY_ERR_HASH,
                                  "%u buckets used for %u terms",
                                  (unsigned) used,
                                  (unsigned) blob->term_count);
    }

    /*
     * The slugs are unique (TERMS is checked first), so a lookup of term
     * i's slug returns i exactly when probing from its first bucket meets
     * i before an empty bucket, within max_probe: the ids are compared,
     * not the other terms' slugs, which would be a random read each.
     */

    mask = n - 1;

    for (i = 0; i < blob->term_count; i++) {

        /* the first buckets of the next terms asked of memory ahead */
        if (i % GLOSSARY_AHEAD == 0) {
            for (k = 0; k < GLOSSARY_AHEAD && i + k < blob->term_count; k++) {
                t = &blob->terms[i + k];
                home[k] = (uint32_t) glossary_blob_hash(
                              glossary_blob_ptr(blob, t->slug), t->slug.len)
                          & mask;
                glossary_blob_prefetch(&blob->buckets[home[k]]);
            }
        }

        b = home[i % GLOSSARY_AHEAD];

        for (k = 0; k <= blob->hash->max_probe; k++) {
            if (blob->buckets[b] == i + 1 || blob->buckets[b] == 0) {
                break;
            }

            b = (b + 1) & mask;
        }

        if (k > blob->hash->max_probe || blob->buckets[b] != i + 1) {
            return glossary_blob_fail(blob, GLOSSARY_ERR_HASH,
                                      "term %u is not found under its slug",
                                      (unsigned) i);
        }
    }

    return GLOSSARY_OK;
}


static glossary_status_t
glossary_blob_check_term_docs(glossary_blob_t *blob)
{
    return glossary_blob_check_docs(blob, blob->docs,
                                    (uint64_t) blob->term_count
                                    * blob->docs_per_term, "term document");
}


static glossary_status_t
glossary_blob_check_globals(glossary_blob_t *blob)
{
    return glossary_blob_check_docs(blob, blob->globals, blob->global_docs,
                                    "global document");
}


static glossary_status_t
glossary_blob_check_docs(glossary_blob_t *blob, const glossary_doc_t *docs,
    uint64_t n, const char *what)
{
    uint64_t               i;
    const glossary_doc_t  *d;

    for (i = 0; i < n; i++) {
        d = &docs[i];

        /* a kind the build left out: nothing, but in range */
        if (glossary_doc_absent(d)
            && glossary_blob_ref_ok(blob, &d->body, 0)
            && glossary_blob_ref_ok(blob, &d->etag, 0)
            && glossary_blob_ref_ok(blob, &d->gzip_body, 0)
            && glossary_blob_ref_ok(blob, &d->gzip_etag, 0))
        {
            continue;
        }

        if (!glossary_blob_ref_ok(blob, &d->body, UINT64_MAX)
            || !glossary_blob_etag_ok(blob, &d->etag)
            || !glossary_blob_ref_ok(blob, &d->gzip_body, UINT64_MAX)
            || (d->gzip_body.len && !glossary_blob_etag_ok(blob, &d->gzip_etag))
            || (d->gzip_body.len == 0
                && (d->gzip_etag.len != 0
                    || !glossary_blob_ref_ok(blob, &d->gzip_etag, 0))))
        {
            return glossary_blob_fail(blob, GLOSSARY_ERR_DOCS,
                                      "%s %llu: body or etag out of range or "
                                      "malformed", what, (unsigned long long) i);
        }
    }

    return GLOSSARY_OK;
}


uint32_t
glossary_blob_lookup(const glossary_blob_t *blob, const unsigned char *slug,
    size_t len)
{
    return glossary_blob_lookup_doc(blob, slug, len, UINT32_MAX, 0);
}


/*
 * A prefetch never faults, but the address is still kept inside the
 * mapping; the loads of the record are within DOCS (validated at open).
 * The variant is chosen without a branch: a mispredicted one would throw
 * away the term record's load that runs beside it.
 */
static inline void
glossary_blob_prefetch_doc(const glossary_blob_t *blob, uint32_t id,
    uint32_t kind, int gzip)
{
    uint64_t               body, etag, use;
    const glossary_doc_t  *d;

    d = glossary_blob_doc(blob, id, kind);

    if (d == NULL) {
        return;
    }

    use = (uint64_t) 0 - (uint64_t) (gzip && d->gzip_body.len != 0);
    body = (d->gzip_body.off & use) | (d->body.off & ~use);
    etag = (d->gzip_etag.off & use) | (d->etag.off & ~use);

    glossary_blob_prefetch(blob->base + (body < blob->size ? body : 0));
    glossary_blob_prefetch(blob->base + (etag < blob->size ? etag : 0));
}


uint32_t
glossary_blob_lookup_doc(const glossary_blob_t *blob,
    const unsigned char *slug, size_t len, uint32_t kind, int gzip)
{
    uint32_t                mask, i, n, v;
    const glossary_term_t  *t;

    mask = blob->hash->bucket_count - 1;
    i = (uint32_t) glossary_blob_hash(slug, len) & mask;

    for (n = 0; n <= blob->hash->max_probe; n++) {
        v = blob->buckets[i];

        if (v == 0) {
            return GLOSSARY_NO_TERM;
        }

        if (n == 0 && kind != UINT32_MAX) {
            glossary_blob_prefetch_doc(blob, v - 1, kind, gzip);
        }

        t = &blob->terms[v - 1];

        if (t->slug.len == len
            && memcmp(glossary_blob_ptr(blob, t->slug), slug, len) == 0)
        {
            return v - 1;
        }

        i = (i + 1) & mask;
    }

    return GLOSSARY_NO_TERM;
}


const glossary_doc_t *
glossary_blob_doc(const glossary_blob_t *blob, uint32_t term_id,
    uint32_t kind)
{
    if (term_id >= blob->term_count || !glossary_blob_has_kind(blob, kind)) {
        return NULL;
    }

    return &blob->docs[term_id * blob->doc_term_stride
                       + blob->kind_slot[kind] * blob->doc_kind_stride];
}


uint32_t
glossary_blob_doc_term(const glossary_blob_t *blob, const glossary_doc_t *doc)
{
    uint64_t  i;

    if (blob->docs == NULL || blob->term_count == 0 || doc < blob->docs
        || doc >= blob->docs
                  + (uint64_t) blob->term_count * blob->docs_per_term)
    {
        return GLOSSARY_NO_TERM;
    }

    i = (uint64_t) (doc - blob->docs);

    /* 1.x: term by term; 2.0: kind by kind */
    return (uint32_t) (blob->v1 ? i / blob->docs_per_term
                                : i % blob->term_count);
}


const glossary_related_t *
glossary_blob_related(const glossary_blob_t *blob, uint32_t term_id,
    uint32_t *n)
{
    uint64_t  first;

    if (term_id >= blob->term_count) {
        *n = 0;
        return NULL;
    }

    glossary_blob_term_range(blob, term_id, &first, n);

    return blob->related + first;
}


/* the related range of term i, as its format's record holds it */
static void
glossary_blob_term_range(const glossary_blob_t *blob, uint32_t i,
    uint64_t *first, uint32_t *count)
{
    const glossary_term_v1_t  *t1;

    if (blob->v1) {
        t1 = (const glossary_term_v1_t *) blob->terms + i;
        *first = t1->related_first;
        *count = t1->related_count;
        return;
    }

    *first = blob->terms[i].related_first;
    *count = blob->terms[i].related_count;
}


const glossary_doc_t *
glossary_blob_global(const glossary_blob_t *blob, uint32_t kind)
{
    if (kind >= blob->global_docs) {
        return NULL;
    }

    return &blob->globals[kind];
}


static int
glossary_blob_ref_ok(const glossary_blob_t *blob, const glossary_ref_t *ref,
    uint64_t max_len)
{
    return ref->len <= max_len
           && ref->off >= blob->strings_off
           && ref->len <= blob->strings_size
           && ref->off - blob->strings_off <= blob->strings_size - ref->len;
}


/*
 * a byte's class in a slug: 1 a-z and 0-9, 2 the hyphen, 0 anything else;
 * a table and no branch a byte, for a load checks millions of slugs
 */
static const unsigned char  glossary_slug_class[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};


int
glossary_blob_slug_ok(const unsigned char *p, uint64_t len)
{
    unsigned  k, prev, bad;
    uint64_t  i;

    if (len == 0 || len > GLOSSARY_MAX_SLUG_LEN) {
        return 0;
    }

    prev = 2;       /* as after a hyphen: no leading one */
    bad = 0;

    for (i = 0; i < len; i++) {
        k = glossary_slug_class[p[i]];
        bad |= (k == 0) | (k & prev & 2);
        prev = k;
    }

    return !bad && prev != 2;
}


/*
 * an ETag goes into a response header: printable ASCII, quoted, short; a
 * lazily opened blob has its place checked here and its bytes at first use
 * (they lie among the documents' bytes, all over the file)
 */
static int
glossary_blob_etag_ok(const glossary_blob_t *blob, const glossary_ref_t *ref)
{
    if (ref->len < 2 || !glossary_blob_ref_ok(blob, ref, 64)) {
        return 0;
    }

    return blob->lazy || glossary_blob_etag_syntax_ok(blob, ref);
}


static int
glossary_blob_etag_syntax_ok(const glossary_blob_t *blob,
    const glossary_ref_t *ref)
{
    uint64_t              i;
    const unsigned char  *p;

    if (ref->len < 2) {
        return 0;
    }

    p = glossary_blob_ptr(blob, *ref);

    if (p[0] != '"' || p[ref->len - 1] != '"') {
        return 0;
    }

    for (i = 1; i < ref->len - 1; i++) {
        if (p[i] < 0x21 || p[i] > 0x7e || p[i] == '"') {
            return 0;
        }
    }

    return 1;
}


glossary_status_t
glossary_blob_verify_chunks(glossary_blob_t *blob, uint64_t from, uint64_t to)
{
    if (blob->chunk_hashes == NULL || from > to || to > blob->chunk_count) {
        return glossary_blob_fail(blob, GLOSSARY_ERR_CHUNKS,
                                  "chunks %llu to %llu of %llu",
                                  (unsigned long long) from,
                                  (unsigned long long) to,
                                  (unsigned long long) blob->chunk_count);
    }

    return glossary_blob_check_chunks(blob, from, to, blob->detail,
                                      sizeof(blob->detail));
}


/* chunks [from, to) of STRINGS against their hashes */
static glossary_status_t
glossary_blob_check_chunks(const glossary_blob_t *blob, uint64_t from,
    uint64_t to, char *detail, size_t size)
{
    uint64_t  i, hash;

    for (i = from; i < to; i++) {
        hash = glossary_blob_chunk_hash(blob->base, blob->strings_off,
                                        blob->strings_size, blob->chunk_shift,
                                        i);

        if (hash != blob->chunk_hashes[i]) {
            snprintf(detail, size, "STRINGS chunk %llu (bytes %llu to %llu "
                     "of the file): expected %016llx, computed %016llx",
                     (unsigned long long) i,
                     (unsigned long long) (blob->strings_off
                                           + (i << blob->chunk_shift)),
                     (unsigned long long) (blob->strings_off
                         + glossary_min((i + 1) << blob->chunk_shift,
                                        blob->strings_size)),
                     (unsigned long long) blob->chunk_hashes[i],
                     (unsigned long long) hash);
            return GLOSSARY_ERR_CHUNK;
        }
    }

    return GLOSSARY_OK;
}


#define glossary_bit(map, i)      ((map)[(i) >> 6] & ((uint64_t) 1 << ((i) & 63)))
#define glossary_bit_set(map, i)  ((map)[(i) >> 6] |= (uint64_t) 1 << ((i) & 63))
#define glossary_words(n)         (((n) + 63) / 64)


static uint64_t
glossary_lazy_slots(const glossary_blob_t *blob)
{
    return (uint64_t) blob->term_count * blob->docs_per_term
           + blob->global_docs + 2 * (uint64_t) blob->category_count;
}


size_t
glossary_lazy_size(const glossary_blob_t *blob)
{
    if (!blob->lazy) {
        return 0;
    }

    return (2 * glossary_words(blob->chunk_count)
            + glossary_words(glossary_lazy_slots(blob))) * sizeof(uint64_t);
}


void
glossary_lazy_init(glossary_lazy_t *lz, const glossary_blob_t *blob,
    void *mem)
{
    uint64_t  i, eager;

    memset(lz, 0, sizeof(glossary_lazy_t));

    if (!blob->lazy) {
        return;
    }

    lz->chunk_ok = mem;
    lz->chunk_bad = lz->chunk_ok + glossary_words(blob->chunk_count);
    lz->doc_ok = lz->chunk_bad + glossary_words(blob->chunk_count);
    lz->slots = glossary_lazy_slots(blob);

    /* verified by glossary_blob_open_flags() */
    eager = (blob->eager_size + ((uint64_t) 1 << blob->chunk_shift) - 1)
            >> blob->chunk_shift;

    for (i = 0; i < eager; i++) {
        glossary_bit_set(lz->chunk_ok, i);
    }

    lz->ok = eager;
}


glossary_status_t
glossary_lazy_ref(const glossary_blob_t *blob, glossary_lazy_t *lz,
    const glossary_ref_t *ref)
{
    uint64_t           i, last;
    glossary_status_t  rc;

    if (!blob->lazy || ref->len == 0) {
        return GLOSSARY_OK;
    }

    /* a validated reference: wholly inside STRINGS */
    i = (ref->off - blob->strings_off) >> blob->chunk_shift;
    last = (ref->off - blob->strings_off + ref->len - 1) >> blob->chunk_shift;

    for ( /* void */ ; i <= last; i++) {
        if (glossary_bit(lz->chunk_ok, i)) {
            continue;
        }

        if (glossary_bit(lz->chunk_bad, i)) {
            snprintf(lz->detail, sizeof(lz->detail),
                     "STRINGS chunk %llu failed its check before",
                     (unsigned long long) i);
            return GLOSSARY_ERR_CHUNK;
        }

        lz->verified++;

        rc = glossary_blob_check_chunks(blob, i, i + 1,
                                        lz->detail, sizeof(lz->detail));
        if (rc != GLOSSARY_OK) {
            glossary_bit_set(lz->chunk_bad, i);
            lz->corrupt++;
            return rc;
        }

        glossary_bit_set(lz->chunk_ok, i);
        lz->ok++;
    }

    return GLOSSARY_OK;
}


/* the bit of a document: term documents, global ones, categories' two */
static uint64_t
glossary_lazy_slot(const glossary_blob_t *blob, const glossary_doc_t *doc)
{
    uintptr_t  p, base;
    uint64_t   n, i;

    p = (uintptr_t) doc;
    n = (uint64_t) blob->term_count * blob->docs_per_term;

    base = (uintptr_t) blob->docs;
    if (p >= base && p < base + n * sizeof(glossary_doc_t)) {
        return (p - base) / sizeof(glossary_doc_t);
    }

    base = (uintptr_t) blob->globals;
    if (p >= base && p < base + blob->global_docs * sizeof(glossary_doc_t)) {
        return n + (p - base) / sizeof(glossary_doc_t);
    }

    base = (uintptr_t) blob->categories;
    if (blob->category_count
        && p >= base
        && p < base + blob->category_count * sizeof(glossary_category_t))
    {
        i = (p - base) / sizeof(glossary_category_t);
        return n + blob->global_docs + 2 * i
               + (doc == &blob->categories[i].html);
    }

    return UINT64_MAX;
}


glossary_status_t
glossary_lazy_doc(const glossary_blob_t *blob, glossary_lazy_t *lz,
    const glossary_doc_t *doc)
{
    uint64_t           slot;
    glossary_status_t  rc;

    /* an absent document has nothing to send: its ETag is not one */
    if (!blob->lazy || glossary_doc_absent(doc)) {
        return GLOSSARY_OK;
    }

    slot = glossary_lazy_slot(blob, doc);

    if (slot != UINT64_MAX && glossary_bit(lz->doc_ok, slot)) {
        return GLOSSARY_OK;
    }

    rc = glossary_lazy_ref(blob, lz, &doc->body);
    if (rc == GLOSSARY_OK) {
        rc = glossary_lazy_ref(blob, lz, &doc->etag);
    }

    if (rc == GLOSSARY_OK) {
        rc = glossary_lazy_ref(blob, lz, &doc->gzip_body);
    }

    if (rc == GLOSSARY_OK) {
        rc = glossary_lazy_ref(blob, lz, &doc->gzip_etag);
    }

    if (rc != GLOSSARY_OK) {
        return rc;
    }

    /* the place was checked at load; the bytes are now the writer's */
    if (!glossary_blob_etag_syntax_ok(blob, &doc->etag)
        || (doc->gzip_body.len
            && !glossary_blob_etag_syntax_ok(blob, &doc->gzip_etag)))
    {
        snprintf(lz->detail, sizeof(lz->detail), "document ETag malformed");
        return GLOSSARY_ERR_DOCS;
    }

    if (slot != UINT64_MAX) {
        glossary_bit_set(lz->doc_ok, slot);
    }

    return GLOSSARY_OK;
}


static glossary_status_t
glossary_blob_fail(glossary_blob_t *blob, glossary_status_t rc,
    const char *fmt, ...)
{
    va_list  args;

    va_start(args, fmt);
    vsnprintf(blob->detail, sizeof(blob->detail), fmt, args);
    va_end(args);

    return rc;
}
