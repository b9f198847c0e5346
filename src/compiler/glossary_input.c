/*
 * glossaryc input readers.
 *
 * Every file is parsed with yajl's callback parser into a small tree of our
 * own that remembers where each value starts (yajl itself only reports a
 * byte offset within the last chunk).  The tree is then read as one of the
 * input forms:
 *
 *   - JSON Lines (.jsonl, .ndjson): one term object per non-blank line;
 *   - a Nuxt payload: a top-level array whose element 0 is an object whose
 *     values are all integers, in devalue's flattened form;
 *   - a top-level array of term objects;
 *   - a top-level object with a "terms" array;
 *   - a top-level object that is one term.
 */

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yajl/yajl_parse.h>

#include "glossary_blob.h"
#include "glossary_fold.h"
#include "glossary_input.h"


#define GLOSSARY_READ_CHUNK     (64 * 1024)


typedef enum {
    GLOSSARY_JSON_NULL = 0,
    GLOSSARY_JSON_BOOL,
    GLOSSARY_JSON_NUMBER,
    GLOSSARY_JSON_STRING,
    GLOSSARY_JSON_ARRAY,
    GLOSSARY_JSON_OBJECT
} glossary_json_type_t;


typedef struct glossary_json_s  glossary_json_t;

struct glossary_json_s {
    uint8_t             type;
    uint8_t             is_int;     /* NUMBER: an integer literal */
    uint8_t             state;      /* payload walk: 0, 1 on stack, 2 done */
    uint32_t            line;
    uint32_t            column;
    int64_t             integer;
    size_t              len;        /* string bytes or item count */
    char               *str;        /* STRING, NUMBER text */
    glossary_json_t   **items;      /* ARRAY, OBJECT values */
    glossary_json_t   **keys;       /* OBJECT keys, STRING nodes */
};


typedef struct {
    glossary_json_t    *node;
    glossary_json_t   **items;
    glossary_json_t   **keys;
    size_t              n;
    size_t              nalloc;
    glossary_json_t    *key;        /* object: key awaiting its value */
} glossary_frame_t;


typedef struct {
    glossary_model_t      *model;
    const char            *file;        /* in the model's arena */
    const unsigned char   *text;        /* the whole file */
    size_t                 size;

    /* parser state */
    yajl_handle            yh;
    size_t                 base;        /* offset of the chunk being fed */
    size_t                 end;         /* end of the text being parsed */
    int                    finishing;
    glossary_arena_t       tree;
    glossary_frame_t       stack[GLOSSARY_MAX_DEPTH];
    int                    depth;
    glossary_json_t       *root;
    int                    failed;
    size_t                 last_end;    /* end of the last value parsed */

    /* offset to line:column, moving forward */
    size_t                 cur_off;
    size_t                 cur_line_start;
    uint32_t               cur_line;

    /* payload: the top-level array, or NULL for plain JSON */
    glossary_json_t       *payload;
    glossary_json_t      **found;
    size_t                 nfound;
    size_t                 nfound_alloc;
    unsigned               ref_depth;
} glossary_file_t;


/* what a value reference yields */
typedef enum {
    GLOSSARY_VAL_ABSENT = 0,        /* missing, null, undefined */
    GLOSSARY_VAL_OK,
    GLOSSARY_VAL_SPECIAL            /* NaN, Infinity, -0, hole */
} glossary_val_t;


static int glossary_read_path(glossary_model_t *m, const char *path,
    unsigned depth, int explicit);
static int glossary_read_dir(glossary_model_t *m, const char *path,
    unsigned depth);
static int glossary_read_file(glossary_model_t *m, const char *path);
static int glossary_read_text(glossary_model_t *m, const char *path,
    unsigned char *text, size_t size);
static int glossary_slurp(const char *path, unsigned char **text,
    size_t *size);
static int glossary_parse(glossary_file_t *f, size_t start, size_t end);
static void glossary_locate(glossary_file_t *f, size_t off,
    glossary_loc_t *loc);
static void glossary_node_loc(glossary_file_t *f, const glossary_json_t *n,
    glossary_loc_t *loc);
static int glossary_read_jsonl(glossary_file_t *f);
static int glossary_read_plain(glossary_file_t *f);
static int glossary_read_payload(glossary_file_t *f);
static int glossary_payload_visit(glossary_file_t *f, glossary_json_t *ref);
static void glossary_payload_key(glossary_file_t *f, glossary_json_t *term,
    glossary_entry_t *e);
static int glossary_read_term(glossary_file_t *f, glossary_json_t *obj);
static int glossary_check_keys(glossary_file_t *f, glossary_json_t *obj,
    const char *what);
static glossary_json_t *glossary_get(glossary_json_t *obj, const char *key);
static glossary_val_t glossary_deref(glossary_file_t *f, glossary_json_t *ref,
    glossary_json_t **val);
static int glossary_get_string(glossary_file_t *f, glossary_json_t *obj,
    const char *key, int required, const char *what,
    glossary_text_t *out, glossary_loc_t *loc);
static int glossary_get_array(glossary_file_t *f, glossary_json_t *obj,
    const char *key, glossary_json_t **out);
static int glossary_get_object(glossary_file_t *f, glossary_json_t *ref,
    const char *what, glossary_json_t **out);
static int glossary_get_aliases(glossary_file_t *f, glossary_json_t *obj,
    glossary_entry_t *e);
static const char *glossary_type_name(const glossary_json_t *n);
static const char *glossary_special_name(int64_t v);
static void glossary_quote(char *buf, size_t size, const char *p, size_t len);


/* printable, bounded: a slug in a message may hold any bytes */
static void
glossary_quote(char *buf, size_t size, const char *p, size_t len)
{
    size_t         i, o;
    unsigned char  c;

    o = 0;

    for (i = 0; i < len && o + 8 < size; i++) {
        c = (unsigned char) p[i];

        if (c == '"' || c == '\\') {
            buf[o++] = '\\';
            buf[o++] = (char) c;

        } else if (c < 0x20 || c == 0x7f) {
            o += snprintf(buf + o, size - o, "\\x%02x", c);

        } else {
            buf[o++] = (char) c;
        }
    }

    if (i < len) {
        memcpy(buf + o, "...", 3);
        o += 3;
    }

    buf[o] = '\0';
}


glossary_input_hooks_t  glossary_input_hooks;


int
glossary_input_read(glossary_model_t *m, const char *path)
{
    return glossary_read_path(m, path, 0, 1);
}


static int
glossary_read_path(glossary_model_t *m, const char *path, unsigned depth,
    int explicit)
{
    struct stat  st;

    if (stat(path, &st) == -1) {
        glossary_error("%s: %s", path, strerror(errno));
        return GLOSSARY_EXIT_IO;
    }

    if (S_ISDIR(st.st_mode)) {
        if (depth >= GLOSSARY_MAX_DIR_DEPTH) {
            glossary_error("%s: directories nested deeper than %d levels "
                           "(a symlink loop?)", path, GLOSSARY_MAX_DIR_DEPTH);
            return GLOSSARY_EXIT_IO;
        }

        return glossary_read_dir(m, path, depth + 1);
    }

    /* in a directory, only regular files: no fifos or devices */
    if (!explicit && !S_ISREG(st.st_mode)) {
        return GLOSSARY_EXIT_OK;
    }

    return glossary_read_file(m, path);
}


static int
glossary_name_cmp(const void *a, const void *b)
{
    return strcmp(*(char * const *) a, *(char * const *) b);
}


static int
glossary_read_dir(glossary_model_t *m, const char *path, unsigned depth)
{
    int             rc;
    DIR            *dir;
    char          **names, *p;
    size_t          n, nalloc, i, plen;
    struct dirent  *de;

    dir = opendir(path);
    if (dir == NULL) {
        glossary_error("%s: %s", path, strerror(errno));
        return GLOSSARY_EXIT_IO;
    }

    names = NULL;
    n = 0;
    nalloc = 0;

    for ( ;; ) {
        errno = 0;
        de = readdir(dir);

        if (de == NULL) {
            break;
        }

        /* hidden files, editors' temp files, our own temp blobs, . and .. */
        if (de->d_name[0] == '.') {
            continue;
        }

        if (n == nalloc) {
            nalloc = nalloc ? nalloc * 2 : 16;
            names = glossary_xrealloc(names, nalloc * sizeof(char *));
        }

        names[n++] = glossary_xstrndup(de->d_name, strlen(de->d_name));
    }

    rc = errno;
    closedir(dir);

    if (rc != 0) {
        glossary_error("%s: %s", path, strerror(rc));
        rc = GLOSSARY_EXIT_IO;
        goto done;
    }

    /* an empty directory leaves names NULL: qsort(NULL, 0) is undefined */
    if (n > 1) {
        qsort(names, n, sizeof(char *), glossary_name_cmp);
    }

    plen = strlen(path);
    while (plen > 1 && path[plen - 1] == '/') {
        plen--;
    }

    for (i = 0; i < n; i++) {
        p = glossary_xmalloc(plen + strlen(names[i]) + 2);
        sprintf(p, "%.*s/%s", (int) plen, path, names[i]);

        rc = glossary_read_path(m, p, depth, 0);
        free(p);

        if (rc != GLOSSARY_EXIT_OK) {
            goto done;
        }
    }

    rc = GLOSSARY_EXIT_OK;

done:

    for (i = 0; i < n; i++) {
        free(names[i]);
    }

    free(names);

    return rc;
}


static int
glossary_has_suffix(const char *s, const char *suffix)
{
    size_t  n, k;

    n = strlen(s);
    k = strlen(suffix);

    return n >= k && strcasecmp(s + n - k, suffix) == 0;
}


static int
glossary_read_file(glossary_model_t *m, const char *path)
{
    int             rc;
    size_t          size;
    unsigned char  *text;

    rc = glossary_slurp(path, &text, &size);
    if (rc != GLOSSARY_EXIT_OK) {
        return rc;
    }

    return glossary_read_text(m, path, text, size);
}


int
glossary_input_read_memory(glossary_model_t *m, const char *name,
    const void *data, size_t size)
{
    unsigned char   *text;
    glossary_loc_t   loc;

    if (size > GLOSSARY_MAX_INPUT_SIZE) {
        loc.file = name;
        loc.line = 1;
        loc.column = 1;
        glossary_error_at(&loc, "file is over the limit of %zu MiB",
                          GLOSSARY_MAX_INPUT_SIZE >> 20);
        return GLOSSARY_EXIT_DATA;
    }

    /* an exact-size copy: a reader that over-reads is caught by ASan */
    text = glossary_xmalloc(size ? size : 1);
    memcpy(text, data, size);

    return glossary_read_text(m, name, text, size);
}


/* parses a file's bytes, and frees them */
static int
glossary_read_text(glossary_model_t *m, const char *path,
    unsigned char *text, size_t size)
{
    int              rc;
    size_t           i;
    glossary_file_t  f;

    memset(&f, 0, sizeof(glossary_file_t));

    f.model = m;
    f.file = glossary_arena_strdup(&m->arena, path, strlen(path));
    f.cur_line = 1;
    f.text = text;
    f.size = size;

    if (glossary_has_suffix(path, ".jsonl")
        || glossary_has_suffix(path, ".ndjson"))
    {
        rc = glossary_read_jsonl(&f);

    } else {
        rc = glossary_parse(&f, 0, f.size);

        if (rc == GLOSSARY_EXIT_OK) {
            rc = glossary_read_plain(&f);
        }
    }

    if (glossary_input_hooks.file_read != NULL) {
        glossary_input_hooks.file_read(path, f.size, m->nentries);
    }

    for (i = 0; i < GLOSSARY_MAX_DEPTH; i++) {
        free(f.stack[i].items);
        free(f.stack[i].keys);
    }

    free(f.found);
    glossary_arena_free(&f.tree);
    free((void *) f.text);

    return rc;
}


/*
 * The whole file stays in memory: locations are computed from it, and a
 * payload needs all of its elements anyway.  The cap is checked before and
 * while reading (the file may grow, or not be a regular file).
 */
static int
glossary_slurp(const char *path, unsigned char **text, size_t *size)
{
    int             fd;
    size_t          len, nalloc;
    ssize_t         n;
    struct stat     st;
    unsigned char  *p;
    glossary_loc_t  loc;

    *text = NULL;
    *size = 0;

    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd == -1) {
        glossary_error("%s: %s", path, strerror(errno));
        return GLOSSARY_EXIT_IO;
    }

    loc.file = path;
    loc.line = 1;
    loc.column = 1;

    if (fstat(fd, &st) == -1) {
        glossary_error("%s: fstat: %s", path, strerror(errno));
        close(fd);
        return GLOSSARY_EXIT_IO;
    }

    if (S_ISREG(st.st_mode) && (uint64_t) st.st_size > GLOSSARY_MAX_INPUT_SIZE)
    {
        glossary_error_at(&loc, "file is %llu bytes, over the limit of "
                          "%zu MiB", (unsigned long long) st.st_size,
                          GLOSSARY_MAX_INPUT_SIZE >> 20);
        close(fd);
        return GLOSSARY_EXIT_DATA;
    }

    nalloc = S_ISREG(st.st_mode) ? (size_t) st.st_size + 1 : 0;
    if (nalloc < GLOSSARY_READ_CHUNK) {
        nalloc = GLOSSARY_READ_CHUNK;
    }

    p = glossary_xmalloc(nalloc);
    len = 0;

    for ( ;; ) {
        if (len == nalloc) {
            nalloc *= 2;
            p = glossary_xrealloc(p, nalloc);
        }

        n = read(fd, p + len, nalloc - len);

        if (n == -1) {
            if (errno == EINTR) {
                continue;
            }

            glossary_error("%s: read: %s", path, strerror(errno));
            free(p);
            close(fd);
            return GLOSSARY_EXIT_IO;
        }

        if (n == 0) {
            break;
        }

        len += n;

        if (len > GLOSSARY_MAX_INPUT_SIZE) {
            glossary_error_at(&loc, "file is over the limit of %zu MiB",
                              GLOSSARY_MAX_INPUT_SIZE >> 20);
            free(p);
            close(fd);
            return GLOSSARY_EXIT_DATA;
        }
    }

    close(fd);

    *text = p;
    *size = len;

    return GLOSSARY_EXIT_OK;
}


/* locations */

static void
glossary_locate(glossary_file_t *f, size_t off, glossary_loc_t *loc)
{
    const unsigned char  *p;

    /* offsets asked for mostly grow; start over when one does not */
    if (off < f->cur_off) {
        f->cur_off = 0;
        f->cur_line_start = 0;
        f->cur_line = 1;
    }

    if (off > f->size) {
        off = f->size;
    }

    while (f->cur_off < off) {
        p = memchr(f->text + f->cur_off, '\n', off - f->cur_off);

        if (p == NULL) {
            f->cur_off = off;
            break;
        }

        f->cur_line++;
        f->cur_off = p - f->text + 1;
        f->cur_line_start = f->cur_off;
    }

    loc->file = f->file;
    loc->line = f->cur_line;
    loc->column = (uint32_t) (off - f->cur_line_start + 1);
}


static void
glossary_node_loc(glossary_file_t *f, const glossary_json_t *n,
    glossary_loc_t *loc)
{
    loc->file = f->file;
    loc->line = n->line;
    loc->column = n->column;
}


/* parser callbacks */

/*
 * Inside a callback yajl's byte count points just past the token it has
 * lexed; walk back over the token to its first byte.
 */
static size_t
glossary_token_end(glossary_file_t *f)
{
    size_t  end;

    if (f->finishing) {
        return f->end;
    }

    end = f->base + yajl_get_bytes_consumed(f->yh);

    return end > f->end ? f->end : end;
}


static size_t
glossary_token_start(glossary_file_t *f, size_t end,
    glossary_json_type_t type, size_t len)
{
    size_t                i, k;
    const unsigned char  *t;

    t = f->text;

    switch (type) {

    case GLOSSARY_JSON_STRING:
        if (end < 2 || t[end - 1] != '"') {
            return end;
        }

        /* a quote inside a string is always escaped: count backslashes */
        for (i = end - 1; i > 0; i--) {
            if (t[i - 1] != '"') {
                continue;
            }

            for (k = 0; i - 1 - k > 0 && t[i - 2 - k] == '\\'; k++) {
                /* void */
            }

            if (k % 2 == 0) {
                return i - 1;
            }
        }

        return 0;

    case GLOSSARY_JSON_NUMBER:
        i = end;
        while (i > 0 && (isalnum(t[i - 1]) || t[i - 1] == '-'
                         || t[i - 1] == '+' || t[i - 1] == '.'))
        {
            i--;
        }

        return i;

    default:
        return end >= len ? end - len : 0;
    }
}


static glossary_json_t *
glossary_node(glossary_file_t *f, glossary_json_type_t type, size_t toklen)
{
    glossary_loc_t    loc;
    glossary_json_t  *n;

    n = glossary_arena_alloc(&f->tree, sizeof(glossary_json_t));
    memset(n, 0, sizeof(glossary_json_t));

    n->type = type;

    glossary_locate(f, glossary_token_start(f, glossary_token_end(f), type,
                                            toklen), &loc);
    n->line = loc.line;
    n->column = loc.column;

    return n;
}


static void
glossary_frame_push(glossary_frame_t *fr, glossary_json_t *key,
    glossary_json_t *value)
{
    if (fr->n == fr->nalloc) {
        fr->nalloc = fr->nalloc ? fr->nalloc * 2 : 16;
        fr->items = glossary_xrealloc(fr->items,
                                      fr->nalloc * sizeof(glossary_json_t *));
        fr->keys = glossary_xrealloc(fr->keys,
                                     fr->nalloc * sizeof(glossary_json_t *));
    }

    fr->keys[fr->n] = key;
    fr->items[fr->n] = value;
    fr->n++;
}


static int
glossary_add(glossary_file_t *f, glossary_json_t *n)
{
    glossary_frame_t  *fr;

    if (n->type != GLOSSARY_JSON_OBJECT && n->type != GLOSSARY_JSON_ARRAY) {
        f->last_end = glossary_token_end(f);
    }

    if (f->depth == 0) {
        f->root = n;
        return 1;
    }

    fr = &f->stack[f->depth - 1];

    glossary_frame_push(fr, fr->key, n);
    fr->key = NULL;

    return 1;
}


static int
glossary_cb_null(void *ctx)
{
    glossary_file_t  *f = ctx;

    return glossary_add(f, glossary_node(f, GLOSSARY_JSON_NULL, 4));
}


static int
glossary_cb_boolean(void *ctx, int value)
{
    glossary_file_t  *f = ctx;
    glossary_json_t  *n;

    n = glossary_node(f, GLOSSARY_JSON_BOOL, value ? 4 : 5);
    n->integer = value;

    return glossary_add(f, n);
}


static int
glossary_cb_number(void *ctx, const char *s, size_t len)
{
    glossary_file_t  *f = ctx;
    size_t            i;
    glossary_json_t  *n;

    n = glossary_node(f, GLOSSARY_JSON_NUMBER, len);
    n->str = glossary_arena_strdup(&f->tree, s, len);
    n->len = len;

    /* only an integer literal can be a payload reference */
    n->is_int = 1;

    for (i = (s[0] == '-'); i < len; i++) {
        if (!isdigit((unsigned char) s[i])) {
            n->is_int = 0;
            break;
        }
    }

    if (n->is_int) {
        /* out of range saturates, and then is out of range as a reference */
        n->integer = strtoll(n->str, NULL, 10);
    }

    return glossary_add(f, n);
}


/*
 * yajl's UTF-8 check only looks at the shape of a sequence: it lets
 * overlong forms (C0 AF for "/"), UTF-16 surrogates (ED A0 80) and code
 * points over U+10FFFF through.  Strings are checked again, strictly
 * (RFC 3629); returns the offset of the first bad byte, or len.
 */
static size_t
glossary_utf8_invalid(const unsigned char *s, size_t len)
{
    size_t    i, n;
    uint32_t  c;

    for (i = 0; i < len; i += n) {
        n = glossary_utf8_decode(s + i, len - i, &c);

        if (n == 0) {
            return i;
        }
    }

    return len;
}


static int
glossary_string_ok(glossary_file_t *f, glossary_json_t *n,
    const unsigned char *s, size_t len)
{
    size_t          bad;
    glossary_loc_t  loc;

    bad = glossary_utf8_invalid(s, len);

    if (bad == len) {
        return 1;
    }

    glossary_node_loc(f, n, &loc);
    glossary_error_at(&loc, "invalid UTF-8 in string at byte %zu of its "
                      "value (0x%02x: an overlong form, a surrogate or "
                      "beyond U+10FFFF)", bad, s[bad]);
    f->failed = 1;

    return 0;
}


static int
glossary_cb_string(void *ctx, const unsigned char *s, size_t len)
{
    glossary_file_t  *f = ctx;
    glossary_json_t  *n;

    n = glossary_node(f, GLOSSARY_JSON_STRING, 0);

    if (!glossary_string_ok(f, n, s, len)) {
        return 0;
    }

    n->str = glossary_arena_strdup(&f->tree, (const char *) s, len);
    n->len = len;

    return glossary_add(f, n);
}


static int
glossary_cb_map_key(void *ctx, const unsigned char *s, size_t len)
{
    glossary_file_t  *f = ctx;
    glossary_json_t  *n;

    n = glossary_node(f, GLOSSARY_JSON_STRING, 0);

    if (!glossary_string_ok(f, n, s, len)) {
        return 0;
    }

    n->str = glossary_arena_strdup(&f->tree, (const char *) s, len);
    n->len = len;

    f->stack[f->depth - 1].key = n;

    return 1;
}


static int
glossary_start(glossary_file_t *f, glossary_json_type_t type)
{
    glossary_loc_t     loc;
    glossary_json_t   *n;
    glossary_frame_t  *fr;

    n = glossary_node(f, type, 1);

    if (f->depth == GLOSSARY_MAX_DEPTH) {
        glossary_node_loc(f, n, &loc);
        glossary_error_at(&loc, "nesting deeper than %d levels",
                          GLOSSARY_MAX_DEPTH);
        f->failed = 1;
        return 0;
    }

    glossary_add(f, n);

    fr = &f->stack[f->depth++];
    fr->node = n;
    fr->n = 0;
    fr->key = NULL;

    return 1;
}


static int
glossary_end(glossary_file_t *f)
{
    size_t             size;
    glossary_json_t   *n;
    glossary_frame_t  *fr;

    fr = &f->stack[--f->depth];
    n = fr->node;
    f->last_end = glossary_token_end(f);

    /* the frame's vectors are reused by the next container at this depth */
    size = fr->n * sizeof(glossary_json_t *);
    n->len = fr->n;
    n->items = glossary_arena_alloc(&f->tree, size);

    if (size) {
        memcpy(n->items, fr->items, size);
    }

    if (n->type == GLOSSARY_JSON_OBJECT) {
        n->keys = glossary_arena_alloc(&f->tree, size);

        if (size) {
            memcpy(n->keys, fr->keys, size);
        }
    }

    return 1;
}


static int
glossary_cb_start_map(void *ctx)
{
    return glossary_start(ctx, GLOSSARY_JSON_OBJECT);
}


static int
glossary_cb_end_map(void *ctx)
{
    return glossary_end(ctx);
}


static int
glossary_cb_start_array(void *ctx)
{
    return glossary_start(ctx, GLOSSARY_JSON_ARRAY);
}


static int
glossary_cb_end_array(void *ctx)
{
    return glossary_end(ctx);
}


static const yajl_callbacks  glossary_callbacks = {
    glossary_cb_null,
    glossary_cb_boolean,
    NULL,                       /* integers come as numbers */
    NULL,
    glossary_cb_number,
    glossary_cb_string,
    glossary_cb_start_map,
    glossary_cb_map_key,
    glossary_cb_end_map,
    glossary_cb_start_array,
    glossary_cb_end_array
};


/*
 * Parses text[start, end) into f->root, feeding yajl in chunks.  The tree
 * arena is reused from one parse to the next of the same file.
 */
static int
glossary_parse(glossary_file_t *f, size_t start, size_t end)
{
    size_t           off, n;
    yajl_status      st;
    unsigned char   *msg;
    size_t           len;
    glossary_loc_t   loc;

    f->yh = yajl_alloc(&glossary_callbacks, NULL, f);
    if (f->yh == NULL) {
        glossary_out_of_memory(0);
    }

    /* strict JSON: these are yajl's defaults, stated on purpose */
    yajl_config(f->yh, yajl_allow_comments, 0);
    yajl_config(f->yh, yajl_dont_validate_strings, 0);
    yajl_config(f->yh, yajl_allow_trailing_garbage, 0);
    yajl_config(f->yh, yajl_allow_multiple_values, 0);
    yajl_config(f->yh, yajl_allow_partial_values, 0);

    f->root = NULL;
    f->depth = 0;
    f->failed = 0;
    f->finishing = 0;
    f->end = end;
    f->last_end = start;

    st = yajl_status_ok;

    for (off = start; off < end; off += n) {
        n = end - off < GLOSSARY_READ_CHUNK ? end - off : GLOSSARY_READ_CHUNK;
        f->base = off;

        st = yajl_parse(f->yh, f->text + off, n);
        if (st != yajl_status_ok) {
            break;
        }
    }

    if (st == yajl_status_ok) {
        f->finishing = 1;
        f->base = end;
        st = yajl_complete_parse(f->yh);
    }

    if (st == yajl_status_ok) {
        yajl_free(f->yh);
        f->yh = NULL;
        return GLOSSARY_EXIT_OK;
    }

    if (!f->failed) {
        /* yajl's own words, without its "parse error: " style decoration */
        msg = yajl_get_error(f->yh, 0, NULL, 0);

        len = strlen((char *) msg);
        while (len > 0 && (isspace(msg[len - 1]) || msg[len - 1] == '.')) {
            len--;
        }

        off = glossary_token_end(f);

        /*
         * After a parse error yajl points past the token it did not want;
         * point at its first byte instead.  A lexical error points where
         * the lexer gave up, which is already the useful place.
         */
        if (!f->finishing
            && strstr((char *) msg, "after key and value") != NULL)
        {
            /*
             * Here yajl moves its count back by the token's content length,
             * which for a string is not its start: the unwanted token is
             * the first one after the value just parsed.
             */
            for (off = f->last_end;
                 off < end && f->text[off] != '\0'
                 && strchr(" \t\r\n", f->text[off]) != NULL;
                 off++)
            {
                /* void */
            }

        } else if (!f->finishing && off > start
                   && strncmp((char *) msg, "parse error", 11) == 0)
        {
            if (f->text[off - 1] != '\0'
                && strchr("{}[],:", f->text[off - 1]) != NULL)
            {
                off--;

            } else if (f->text[off - 1] == '"') {
                off = glossary_token_start(f, off, GLOSSARY_JSON_STRING, 0);

            } else {
                off = glossary_token_start(f, off, GLOSSARY_JSON_NUMBER, 0);
            }

            if (off < start) {
                off = start;
            }
        }

        glossary_locate(f, off, &loc);
        glossary_error_at(&loc, "%.*s", (int) len, (char *) msg);

        yajl_free_error(f->yh, msg);
    }

    yajl_free(f->yh);
    f->yh = NULL;

    return GLOSSARY_EXIT_DATA;
}


/* input forms */

static int
glossary_read_jsonl(glossary_file_t *f)
{
    int                   rc;
    size_t                start, end, i;
    glossary_loc_t        loc;
    const unsigned char  *nl;

    for (start = 0; start < f->size; start = end + 1) {
        nl = memchr(f->text + start, '\n', f->size - start);
        end = nl ? (size_t) (nl - f->text) : f->size;

        for (i = start; i < end; i++) {
            if (!isspace(f->text[i])) {
                break;
            }
        }

        if (i == end) {
            continue;
        }

        rc = glossary_parse(f, start, end);
        if (rc != GLOSSARY_EXIT_OK) {
            return rc;
        }

        if (f->root->type != GLOSSARY_JSON_OBJECT) {
            glossary_node_loc(f, f->root, &loc);
            glossary_error_at(&loc, "a JSON Lines line must be a term "
                              "object, found %s",
                              glossary_type_name(f->root));
            return GLOSSARY_EXIT_DATA;
        }

        rc = glossary_read_term(f, f->root);
        if (rc != GLOSSARY_EXIT_OK) {
            return rc;
        }

        /* the tree of one line is not needed once its term is read */
        glossary_arena_free(&f->tree);
    }

    return GLOSSARY_EXIT_OK;
}


static int
glossary_is_payload(const glossary_json_t *root)
{
    size_t                  i;
    const glossary_json_t  *first;

    if (root->type != GLOSSARY_JSON_ARRAY || root->len == 0) {
        return 0;
    }

    first = root->items[0];

    if (first->type != GLOSSARY_JSON_OBJECT || first->len == 0) {
        return 0;
    }

    for (i = 0; i < first->len; i++) {
        if (first->items[i]->type != GLOSSARY_JSON_NUMBER
            || !first->items[i]->is_int)
        {
            return 0;
        }
    }

    return 1;
}


static int
glossary_read_plain(glossary_file_t *f)
{
    int               rc;
    size_t            i;
    glossary_loc_t    loc;
    glossary_json_t  *root, *terms;

    root = f->root;

    if (glossary_is_payload(root)) {
        return glossary_read_payload(f);
    }

    if (root->type == GLOSSARY_JSON_ARRAY) {
        terms = root;

    } else if (root->type == GLOSSARY_JSON_OBJECT
               && glossary_get(root, "terms") != NULL
               && glossary_get(root, "slug") == NULL
               && glossary_get(root, "term") == NULL)
    {
        rc = glossary_check_keys(f, root, "top-level object");
        if (rc != GLOSSARY_EXIT_OK) {
            return rc;
        }

        terms = glossary_get(root, "terms");

        if (terms->type != GLOSSARY_JSON_ARRAY) {
            glossary_node_loc(f, terms, &loc);
            glossary_error_at(&loc, "\"terms\" must be an array, found %s",
                              glossary_type_name(terms));
            return GLOSSARY_EXIT_DATA;
        }

    } else if (root->type == GLOSSARY_JSON_OBJECT) {
        return glossary_read_term(f, root);

    } else {
        glossary_node_loc(f, root, &loc);
        glossary_error_at(&loc, "expected a term object, an array of terms, "
                          "{\"terms\": [...]} or a Nuxt payload, found %s",
                          glossary_type_name(root));
        return GLOSSARY_EXIT_DATA;
    }

    for (i = 0; i < terms->len; i++) {
        if (terms->items[i]->type != GLOSSARY_JSON_OBJECT) {
            glossary_node_loc(f, terms->items[i], &loc);
            glossary_error_at(&loc, "expected a term object, found %s",
                              glossary_type_name(terms->items[i]));
            return GLOSSARY_EXIT_DATA;
        }

        rc = glossary_read_term(f, terms->items[i]);
        if (rc != GLOSSARY_EXIT_OK) {
            return rc;
        }
    }

    return GLOSSARY_EXIT_OK;
}


/*
 * Nuxt payload, devalue's flattened form.  The walk from element 0 checks
 * every reference it can reach (range, integer, no cycle) and collects the
 * objects that have both "slug" and "term", in the order first reached.
 */
static int
glossary_read_payload(glossary_file_t *f)
{
    int               rc;
    size_t            i;
    glossary_loc_t    loc;
    glossary_json_t   ref;

    f->payload = f->root;

    /* element 0 is reached through an implicit reference at its own place */
    memset(&ref, 0, sizeof(glossary_json_t));
    ref.type = GLOSSARY_JSON_NUMBER;
    ref.is_int = 1;
    ref.integer = 0;
    ref.line = f->root->items[0]->line;
    ref.column = f->root->items[0]->column;

    rc = glossary_payload_visit(f, &ref);
    if (rc != GLOSSARY_EXIT_OK) {
        return rc;
    }

    if (f->nfound == 0) {
        glossary_node_loc(f, f->root, &loc);
        glossary_error_at(&loc, "payload holds no term object (an object "
                          "with \"slug\" and \"term\")");
        return GLOSSARY_EXIT_DATA;
    }

    for (i = 0; i < f->nfound; i++) {
        rc = glossary_read_term(f, f->found[i]);
        if (rc != GLOSSARY_EXIT_OK) {
            return rc;
        }

        glossary_payload_key(f, f->found[i],
                             &f->model->entries[f->model->nentries - 1]);
    }

    return GLOSSARY_EXIT_OK;
}


/*
 * Nuxt keeps useFetch data under a key in payload.data, e.g.
 * {"data":1,...}, 1: ["ShallowReactive",2], 2: {"$f...":3}, 3: the term;
 * the key is kept so that the term's payload is written back the same.
 */
static void
glossary_payload_key(glossary_file_t *f, glossary_json_t *term,
    glossary_entry_t *e)
{
    size_t            i;
    glossary_json_t  *data, *val;

    if (glossary_deref(f, glossary_get(f->root->items[0], "data"), &data)
        != GLOSSARY_VAL_OK
        || data->type != GLOSSARY_JSON_OBJECT)
    {
        return;
    }

    for (i = 0; i < data->len; i++) {
        if (glossary_deref(f, data->items[i], &val) == GLOSSARY_VAL_OK
            && val == term)
        {
            e->payload_key.data = glossary_arena_strdup(&f->model->arena,
                                                        data->keys[i]->str,
                                                        data->keys[i]->len);
            e->payload_key.len = data->keys[i]->len;
            return;
        }
    }
}


static const char  *glossary_wrappers[] = {
    "ShallowReactive", "Reactive", "ShallowRef", "Ref", NULL
};

/* Nuxt's other reducers: one reference, not a term container */
static const char  *glossary_reducers[] = {
    "EmptyRef", "EmptyShallowRef", "NuxtError", "Island", NULL
};

/* devalue's own types: arguments are not followed */
static const char  *glossary_devalue_types[] = {
    "Date", "Set", "Map", "BigInt", "RegExp", "Object", "null", "URL",
    "URLSearchParams", "ArrayBuffer", "Int8Array", "Uint8Array",
    "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array",
    "Uint32Array", "Float32Array", "Float64Array", "BigInt64Array",
    "BigUint64Array", NULL
};


static int
glossary_in_list(const glossary_json_t *s, const char **list)
{
    size_t  i;

    for (i = 0; list[i] != NULL; i++) {
        if (strlen(list[i]) == s->len && memcmp(list[i], s->str, s->len) == 0)
        {
            return 1;
        }
    }

    return 0;
}


/* a tagged array that only wraps a value: ["Reactive", n] */
static int
glossary_is_wrapper(const glossary_json_t *n)
{
    return n->type == GLOSSARY_JSON_ARRAY
           && n->len == 2
           && n->items[0]->type == GLOSSARY_JSON_STRING
           && glossary_in_list(n->items[0], glossary_wrappers);
}


/* checks a reference value itself: an integer, in range or a special */
static int
glossary_payload_ref(glossary_file_t *f, glossary_json_t *ref)
{
    char            q[64];
    glossary_loc_t  loc;

    glossary_node_loc(f, ref, &loc);

    if (ref->type != GLOSSARY_JSON_NUMBER) {
        glossary_error_at(&loc, "payload reference must be an integer, "
                          "found %s", glossary_type_name(ref));
        return GLOSSARY_EXIT_DATA;
    }

    if (!ref->is_int) {
        glossary_quote(q, sizeof(q), ref->str, ref->len);
        glossary_error_at(&loc, "payload reference %s is not an integer", q);
        return GLOSSARY_EXIT_DATA;
    }

    if (ref->integer < -7) {
        glossary_error_at(&loc, "payload reference %lld is not a valid "
                          "special value (-1 to -7)",
                          (long long) ref->integer);
        return GLOSSARY_EXIT_DATA;
    }

    if (ref->integer >= 0 && (uint64_t) ref->integer >= f->payload->len) {
        glossary_error_at(&loc, "payload reference %lld is out of range "
                          "(the payload has %zu elements)",
                          (long long) ref->integer, f->payload->len);
        return GLOSSARY_EXIT_DATA;
    }

    return GLOSSARY_EXIT_OK;
}


static int
glossary_payload_visit(glossary_file_t *f, glossary_json_t *ref)
{
    int               rc;
    size_t            i;
    glossary_loc_t    loc;
    glossary_json_t  *n, *tag;

    rc = glossary_payload_ref(f, ref);
    if (rc != GLOSSARY_EXIT_OK || ref->integer < 0) {
        return rc;
    }

    n = f->payload->items[ref->integer];

    if (n->state == 2) {
        return GLOSSARY_EXIT_OK;    /* shared, already checked */
    }

    glossary_node_loc(f, ref, &loc);

    if (n->state == 1) {
        glossary_error_at(&loc, "payload reference %lld is cyclic (element "
                          "%lld is already being resolved)",
                          (long long) ref->integer, (long long) ref->integer);
        return GLOSSARY_EXIT_DATA;
    }

    if (f->ref_depth >= GLOSSARY_MAX_REF_DEPTH) {
        glossary_error_at(&loc, "payload references nested deeper than %d "
                          "levels", GLOSSARY_MAX_REF_DEPTH);
        return GLOSSARY_EXIT_DATA;
    }

    n->state = 1;
    f->ref_depth++;
    rc = GLOSSARY_EXIT_OK;

    if (n->type == GLOSSARY_JSON_OBJECT) {
        if (glossary_get(n, "slug") != NULL && glossary_get(n, "term") != NULL)
        {
            if (f->nfound == f->nfound_alloc) {
                f->nfound_alloc = f->nfound_alloc ? f->nfound_alloc * 2 : 16;
                f->found = glossary_xrealloc(f->found, f->nfound_alloc
                                             * sizeof(glossary_json_t *));
            }

            f->found[f->nfound++] = n;
        }

        for (i = 0; i < n->len && rc == GLOSSARY_EXIT_OK; i++) {
            rc = glossary_payload_visit(f, n->items[i]);
        }

    } else if (n->type == GLOSSARY_JSON_ARRAY
               && n->len > 0
               && n->items[0]->type == GLOSSARY_JSON_STRING)
    {
        tag = n->items[0];

        if (glossary_in_list(tag, glossary_wrappers)) {
            if (n->len != 2) {
                glossary_node_loc(f, n, &loc);
                glossary_error_at(&loc, "\"%s\" takes exactly one value, "
                                  "found %zu", tag->str, n->len - 1);
                rc = GLOSSARY_EXIT_DATA;

            } else {
                rc = glossary_payload_visit(f, n->items[1]);
            }

        } else if (glossary_in_list(tag, glossary_reducers)) {
            for (i = 1; i < n->len && rc == GLOSSARY_EXIT_OK; i++) {
                rc = glossary_payload_ref(f, n->items[i]);
            }

        } else if (!glossary_in_list(tag, glossary_devalue_types)) {
            char  q[64];

            glossary_quote(q, sizeof(q), tag->str, tag->len);
            glossary_node_loc(f, tag, &loc);
            glossary_error_at(&loc, "unknown devalue type \"%s\"", q);
            rc = GLOSSARY_EXIT_DATA;
        }

    } else if (n->type == GLOSSARY_JSON_ARRAY) {
        for (i = 0; i < n->len && rc == GLOSSARY_EXIT_OK; i++) {
            rc = glossary_payload_visit(f, n->items[i]);
        }
    }

    f->ref_depth--;
    n->state = 2;

    return rc;
}


/* terms */

static glossary_json_t *
glossary_get(glossary_json_t *obj, const char *key)
{
    size_t  i, len;

    len = strlen(key);

    for (i = 0; i < obj->len; i++) {
        if (obj->keys[i]->len == len
            && memcmp(obj->keys[i]->str, key, len) == 0)
        {
            return obj->items[i];
        }
    }

    return NULL;
}


static int
glossary_key_cmp(const void *a, const void *b)
{
    int                     rc;
    size_t                  n;
    const glossary_json_t  *x, *y;

    x = *(glossary_json_t * const *) a;
    y = *(glossary_json_t * const *) b;

    n = x->len < y->len ? x->len : y->len;
    rc = memcmp(x->str, y->str, n);

    if (rc != 0) {
        return rc;
    }

    if (x->len != y->len) {
        return x->len < y->len ? -1 : 1;
    }

    /* ties in document order, so the later one is reported */
    if (x->line != y->line) {
        return x->line < y->line ? -1 : 1;
    }

    return (x->column > y->column) - (x->column < y->column);
}


/* sorting finds duplicates in O(n log n) even in a huge hostile object */
static int
glossary_check_keys(glossary_file_t *f, glossary_json_t *obj,
    const char *what)
{
    char               q[80];
    size_t             i;
    glossary_loc_t     loc;
    glossary_json_t  **keys, *dup;

    if (obj->len < 2) {
        return GLOSSARY_EXIT_OK;
    }

    keys = glossary_xmalloc(obj->len * sizeof(glossary_json_t *));
    memcpy(keys, obj->keys, obj->len * sizeof(glossary_json_t *));
    qsort(keys, obj->len, sizeof(glossary_json_t *), glossary_key_cmp);

    dup = NULL;

    for (i = 1; i < obj->len; i++) {
        if (keys[i]->len == keys[i - 1]->len
            && memcmp(keys[i]->str, keys[i - 1]->str, keys[i]->len) == 0
            && (dup == NULL
                || keys[i]->line < dup->line
                || (keys[i]->line == dup->line
                    && keys[i]->column < dup->column)))
        {
            dup = keys[i];
        }
    }

    free(keys);

    if (dup == NULL) {
        return GLOSSARY_EXIT_OK;
    }

    glossary_quote(q, sizeof(q), dup->str, dup->len);
    glossary_node_loc(f, dup, &loc);
    glossary_error_at(&loc, "duplicate key \"%s\" in %s", q, what);

    return GLOSSARY_EXIT_DATA;
}


/*
 * The value behind a reference.  In plain JSON that is the value itself;
 * in a payload an integer names an element (or a special), and wrappers
 * such as ["ShallowReactive", n] stand for their element.
 */
static glossary_val_t
glossary_deref(glossary_file_t *f, glossary_json_t *ref, glossary_json_t **val)
{
    size_t            hops;
    int64_t           v;
    glossary_json_t  *n;

    *val = NULL;

    if (ref == NULL) {
        return GLOSSARY_VAL_ABSENT;
    }

    if (f->payload == NULL) {
        *val = ref;
        return ref->type == GLOSSARY_JSON_NULL ? GLOSSARY_VAL_ABSENT
                                               : GLOSSARY_VAL_OK;
    }

    /* the walk has checked every reachable reference and ruled out cycles */
    v = ref->integer;

    for (hops = 0; hops <= f->payload->len; hops++) {
        if (v == -1 || v == -2) {
            *val = ref;     /* for messages: undefined or null */
            return GLOSSARY_VAL_ABSENT;
        }

        if (v < 0) {
            *val = ref;
            return GLOSSARY_VAL_SPECIAL;
        }

        n = f->payload->items[v];

        if (!glossary_is_wrapper(n)) {
            *val = n;
            return n->type == GLOSSARY_JSON_NULL ? GLOSSARY_VAL_ABSENT
                                                 : GLOSSARY_VAL_OK;
        }

        ref = n->items[1];
        v = ref->integer;
    }

    return GLOSSARY_VAL_ABSENT;
}


static void
glossary_found(glossary_val_t rc, glossary_json_t *val, char *buf,
    size_t size)
{
    if (rc == GLOSSARY_VAL_SPECIAL) {
        snprintf(buf, size, "%s", glossary_special_name(val->integer));
        return;
    }

    snprintf(buf, size, "%s", glossary_type_name(val));
}


static int
glossary_get_string(glossary_file_t *f, glossary_json_t *obj, const char *key,
    int required, const char *what, glossary_text_t *out, glossary_loc_t *loc)
{
    char              type[32];
    glossary_val_t    rc;
    glossary_json_t  *ref, *val;

    out->data = NULL;
    out->len = 0;

    ref = glossary_get(obj, key);

    if (ref != NULL) {
        glossary_node_loc(f, ref, loc);

    } else {
        glossary_node_loc(f, obj, loc);
    }

    rc = glossary_deref(f, ref, &val);

    if (rc == GLOSSARY_VAL_OK && val->type == GLOSSARY_JSON_STRING) {
        if (val->len > GLOSSARY_MAX_FIELD_LEN) {
            glossary_error_at(loc, "\"%s\" is %zu bytes, over the limit of "
                              "%u", key, val->len, GLOSSARY_MAX_FIELD_LEN);
            return GLOSSARY_EXIT_DATA;
        }

        if (required && val->len == 0) {
            glossary_error_at(loc, "\"%s\" must not be empty", key);
            return GLOSSARY_EXIT_DATA;
        }

        out->data = glossary_arena_strdup(&f->model->arena, val->str,
                                          val->len);
        out->len = val->len;

        return GLOSSARY_EXIT_OK;
    }

    if (rc == GLOSSARY_VAL_ABSENT && ref == NULL && required) {
        glossary_error_at(loc, "%s has no \"%s\"", what, key);
        return GLOSSARY_EXIT_DATA;
    }

    if (rc == GLOSSARY_VAL_ABSENT && !required) {
        return GLOSSARY_EXIT_OK;
    }

    if (rc == GLOSSARY_VAL_ABSENT) {
        snprintf(type, sizeof(type), "%s",
                 f->payload != NULL && val != NULL && val->integer < 0
                 ? glossary_special_name(val->integer) : "null");

    } else {
        glossary_found(rc, val, type, sizeof(type));
    }

    glossary_error_at(loc, "\"%s\" must be a string%s, found %s", key,
                      required ? "" : " or null", type);

    return GLOSSARY_EXIT_DATA;
}


/* an optional array: *out is NULL when absent */
static int
glossary_get_array(glossary_file_t *f, glossary_json_t *obj, const char *key,
    glossary_json_t **out)
{
    char              type[32];
    glossary_loc_t    loc;
    glossary_val_t    rc;
    glossary_json_t  *ref, *val;

    *out = NULL;

    ref = glossary_get(obj, key);
    rc = glossary_deref(f, ref, &val);

    if (rc == GLOSSARY_VAL_ABSENT) {
        return GLOSSARY_EXIT_OK;
    }

    if (rc == GLOSSARY_VAL_OK && val->type == GLOSSARY_JSON_ARRAY
        && !(f->payload != NULL && val->len > 0
             && val->items[0]->type == GLOSSARY_JSON_STRING))
    {
        *out = val;
        return GLOSSARY_EXIT_OK;
    }

    glossary_found(rc, val, type, sizeof(type));

    if (rc == GLOSSARY_VAL_OK && val->type == GLOSSARY_JSON_ARRAY) {
        snprintf(type, sizeof(type), "a \"%s\" value",
                 val->items[0]->len < 16 ? val->items[0]->str : "devalue");
    }

    glossary_node_loc(f, ref, &loc);
    glossary_error_at(&loc, "\"%s\" must be an array or null, found %s", key,
                      type);

    return GLOSSARY_EXIT_DATA;
}


static int
glossary_get_object(glossary_file_t *f, glossary_json_t *ref,
    const char *what, glossary_json_t **out)
{
    char              type[32];
    glossary_loc_t    loc;
    glossary_val_t    rc;
    glossary_json_t  *val;

    rc = glossary_deref(f, ref, &val);

    if (rc == GLOSSARY_VAL_OK && val->type == GLOSSARY_JSON_OBJECT) {
        *out = val;
        return glossary_check_keys(f, val, what);
    }

    if (rc == GLOSSARY_VAL_ABSENT) {
        snprintf(type, sizeof(type), "%s",
                 f->payload != NULL && val != NULL && val->integer < 0
                 ? glossary_special_name(val->integer) : "null");

    } else {
        glossary_found(rc, val, type, sizeof(type));
    }

    glossary_node_loc(f, ref, &loc);
    glossary_error_at(&loc, "%s must be an object, found %s", what, type);

    return GLOSSARY_EXIT_DATA;
}


/* "aliases": an optional array of non-empty strings, the term's other names */
static int
glossary_get_aliases(glossary_file_t *f, glossary_json_t *obj,
    glossary_entry_t *e)
{
    int               rc;
    char              type[32];
    size_t            i;
    glossary_loc_t    loc;
    glossary_val_t    vrc;
    glossary_json_t  *list, *val;
    glossary_text_t  *a;

    rc = glossary_get_array(f, obj, "aliases", &list);
    if (rc != GLOSSARY_EXIT_OK || list == NULL || list->len == 0) {
        return rc;
    }

    if (list->len > GLOSSARY_MAX_ALIASES) {
        glossary_node_loc(f, glossary_get(obj, "aliases"), &loc);
        glossary_error_at(&loc, "\"aliases\" has %zu entries, over the limit "
                          "of %d", list->len, GLOSSARY_MAX_ALIASES);
        return GLOSSARY_EXIT_DATA;
    }

    a = glossary_arena_alloc(&f->model->arena,
                             list->len * sizeof(glossary_text_t));

    for (i = 0; i < list->len; i++) {
        glossary_node_loc(f, list->items[i], &loc);
        vrc = glossary_deref(f, list->items[i], &val);

        if (vrc != GLOSSARY_VAL_OK || val->type != GLOSSARY_JSON_STRING) {
            if (vrc == GLOSSARY_VAL_ABSENT) {
                snprintf(type, sizeof(type), "null");

            } else {
                glossary_found(vrc, val, type, sizeof(type));
            }

            glossary_error_at(&loc, "an \"aliases\" entry must be a string, "
                              "found %s", type);
            return GLOSSARY_EXIT_DATA;
        }

        if (val->len == 0 || val->len > GLOSSARY_MAX_SLUG_LEN * 2) {
            glossary_error_at(&loc, "an \"aliases\" entry must be 1 to %d "
                              "bytes, found %zu", GLOSSARY_MAX_SLUG_LEN * 2,
                              val->len);
            return GLOSSARY_EXIT_DATA;
        }

        a[i].data = glossary_arena_strdup(&f->model->arena, val->str,
                                          val->len);
        a[i].len = val->len;
    }

    e->aliases = a;
    e->naliases = (uint32_t) list->len;

    return GLOSSARY_EXIT_OK;
}


static int
glossary_read_term(glossary_file_t *f, glossary_json_t *obj)
{
    int                rc;
    char               q[GLOSSARY_MAX_SLUG_LEN * 4 + 16];
    size_t             i;
    glossary_loc_t     loc, sloc;
    glossary_json_t   *related, *faq, *item;
    glossary_link_t   *link;
    glossary_entry_t  *e;
    glossary_model_t  *m;

    m = f->model;

    rc = glossary_check_keys(f, obj, "term object");
    if (rc != GLOSSARY_EXIT_OK) {
        return rc;
    }

    if (m->nentries == m->nalloc) {
        m->nalloc = m->nalloc ? m->nalloc * 2 : 64;
        m->entries = glossary_xrealloc(m->entries,
                                       m->nalloc * sizeof(glossary_entry_t));
    }

    e = &m->entries[m->nentries];
    memset(e, 0, sizeof(glossary_entry_t));

    rc = glossary_get_string(f, obj, "slug", 1, "term object", &e->slug,
                             &e->loc);
    if (rc != GLOSSARY_EXIT_OK) {
        return rc;
    }

    if (!glossary_slug_valid(e->slug.data, e->slug.len)) {
        glossary_quote(q, sizeof(q), e->slug.data, e->slug.len);
        glossary_error_at(&e->loc, "slug \"%s\" is not canonical: it must "
                          "match [a-z0-9]+(-[a-z0-9]+)* and be at most %d "
                          "bytes", q, GLOSSARY_MAX_SLUG_LEN);
        return GLOSSARY_EXIT_DATA;
    }

    if (glossary_get_string(f, obj, "term", 1, "term object", &e->term, &loc)
        || glossary_get_string(f, obj, "shortDefinition", 0, NULL,
                               &e->short_definition, &loc)
        || glossary_get_string(f, obj, "seoTitle", 0, NULL, &e->seo_title,
                               &loc)
        || glossary_get_string(f, obj, "seoDescription", 0, NULL,
                               &e->seo_description, &loc)
        || glossary_get_string(f, obj, "explanation", 0, NULL,
                               &e->explanation, &loc)
        || glossary_get_string(f, obj, "category", 0, NULL, &e->category,
                               &loc))
    {
        return GLOSSARY_EXIT_DATA;
    }

    rc = glossary_get_array(f, obj, "relatedTerms", &related);
    if (rc != GLOSSARY_EXIT_OK) {
        return rc;
    }

    if (related != NULL && related->len > GLOSSARY_MAX_RELATED) {
        glossary_node_loc(f, glossary_get(obj, "relatedTerms"), &loc);
        glossary_error_at(&loc, "\"relatedTerms\" has %zu entries, over the "
                          "limit of %d", related->len, GLOSSARY_MAX_RELATED);
        return GLOSSARY_EXIT_DATA;
    }

    if (related != NULL && related->len > 0) {
        e->related = glossary_arena_alloc(&m->arena,
                                          related->len
                                          * sizeof(glossary_link_t));
        e->nrelated = (uint32_t) related->len;

        for (i = 0; i < related->len; i++) {
            link = &e->related[i];

            if (glossary_get_object(f, related->items[i], "a relatedTerms "
                                    "entry", &item)
                || glossary_get_string(f, item, "slug", 1, "a relatedTerms "
                                       "entry", &link->slug, &link->loc)
                || glossary_get_string(f, item, "name", 1, "a relatedTerms "
                                       "entry", &link->name, &sloc))
            {
                return GLOSSARY_EXIT_DATA;
            }

            if (!glossary_slug_valid(link->slug.data, link->slug.len)) {
                glossary_quote(q, sizeof(q), link->slug.data, link->slug.len);
                glossary_error_at(&link->loc, "related slug \"%s\" is not "
                                  "canonical: it must match "
                                  "[a-z0-9]+(-[a-z0-9]+)* and be at most %d "
                                  "bytes", q, GLOSSARY_MAX_SLUG_LEN);
                return GLOSSARY_EXIT_DATA;
            }
        }
    }

    rc = glossary_get_aliases(f, obj, e);
    if (rc != GLOSSARY_EXIT_OK) {
        return rc;
    }

    rc = glossary_get_array(f, obj, "faq", &faq);
    if (rc != GLOSSARY_EXIT_OK) {
        return rc;
    }

    if (faq != NULL && faq->len > 0) {
        e->faq = glossary_arena_alloc(&m->arena,
                                      faq->len * sizeof(glossary_faq_t));
        e->nfaq = (uint32_t) faq->len;

        for (i = 0; i < faq->len; i++) {
            if (glossary_get_object(f, faq->items[i], "a faq entry", &item)
                || glossary_get_string(f, item, "question", 1, "a faq entry",
                                       &e->faq[i].question, &loc)
                || glossary_get_string(f, item, "answer", 1, "a faq entry",
                                       &e->faq[i].answer, &loc))
            {
                return GLOSSARY_EXIT_DATA;
            }
        }
    }

    if (m->nentries >= GLOSSARY_MAX_TERMS) {
        glossary_error_at(&e->loc, "more than %u terms", GLOSSARY_MAX_TERMS);
        return GLOSSARY_EXIT_DATA;
    }

    e->seq = (uint32_t) m->nentries;
    m->nentries++;

    return GLOSSARY_EXIT_OK;
}


static const char *
glossary_type_name(const glossary_json_t *n)
{
    static const char  *names[] = {
        "null", "boolean", "number", "string", "array", "object"
    };

    return names[n->type];
}


static const char *
glossary_special_name(int64_t v)
{
    switch (v) {
    case -1:
        return "undefined";
    case -2:
        return "null";
    case -3:
        return "NaN";
    case -4:
        return "Infinity";
    case -5:
        return "-Infinity";
    case -6:
        return "-0";
    case -7:
        return "a hole";
    default:
        return "an invalid special";
    }
}
