/*
 * glossaryc input readers.
 *
 * Every file is read as a stream, in chunks fed to yajl's callback parser,
 * which builds a small tree of our own that remembers where each value
 * starts.  yajl only reports a byte offset within the chunk it is given,
 * so a lexer of our own runs over each chunk first and queues the place
 * of every token; each callback takes its token's place from the queue,
 * whatever chunk the token began in.  The tree holds one term at a time:
 * each term is handed to the model as soon as it ends, and its tree freed.
 * The forms:
 *
 *   - JSON Lines (.jsonl, .ndjson): one term object per non-blank line;
 *   - a Nuxt payload: a top-level array whose element 0 is an object whose
 *     values are all integers, in devalue's flattened form: its references
 *     may point anywhere in it, so it is kept whole, within a bound of the
 *     machine's memory (glossary_input_memory());
 *   - a top-level array of term objects;
 *   - a top-level object with a "terms" array;
 *   - a top-level object that is one term.
 *
 * No value is built deeper than a term's shape can use (a term, its lists,
 * their entries, their fields): a deeper array or object is kept as an
 * empty one at its place, so that it is refused as the wrong type where a
 * type is checked and costs nothing where it is ignored.
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

/* glossary_get_string()'s "required": 0, 1, or required and not blank */
#define GLOSSARY_SHOWN          2

/*
 * Arrays and objects are built down to this level, the deepest a term can
 * use: {"terms": [{"faq": [{"question": "..."}]}]}, levels 0 to 4 (their
 * strings at 5); a deeper one is kept empty
 */
#define GLOSSARY_LEVELS         5


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
    uint64_t            line;
    uint64_t            column;
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


/* a token's place, queued by the lexer for the callbacks */
typedef struct {
    uint64_t            off;
    uint64_t            line;
    uint64_t            column;
    unsigned char       c;          /* its first byte */
} glossary_token_t;


/* what the top-level value turned out to be */
typedef enum {
    GLOSSARY_ROOT_NONE = 0,
    GLOSSARY_ROOT_FIRST,            /* an array: its element 0 decides */
    GLOSSARY_ROOT_TERMS,            /* an array of terms, streamed */
    GLOSSARY_ROOT_PAYLOAD,          /* a payload, kept whole */
    GLOSSARY_ROOT_OBJECT            /* an object: a term, or "terms" */
} glossary_root_t;


typedef struct {
    glossary_model_t      *model;
    const char            *file;        /* in the model's arena */
    int                    fd;          /* -1: from memory */
    const unsigned char   *mem;
    size_t                 mem_size;
    size_t                 chunk;
    unsigned char         *buf;         /* chunk buffer of a file */
    uint64_t               size;        /* bytes read so far */

    /* parser state */
    yajl_handle            yh;
    const unsigned char   *cur;         /* the chunk being fed */
    size_t                 cur_len;
    uint64_t               base;        /* offset of the chunk being fed */
    uint64_t               end;         /* offset after the text parsed */
    int                    finishing;
    int                    failed;

    /* the lexer: where it is, and the tokens not yet taken */
    int                    lex;
    uint64_t               lex_off;
    uint64_t               lex_line;
    uint64_t               lex_line_start;
    uint64_t               chunk_line;      /* the lexer at the chunk */
    uint64_t               chunk_line_start;

    /* a token that a chunk ended inside, held until it ends */
    unsigned char         *held;
    size_t                 held_len;
    size_t                 held_alloc;
    uint64_t               held_off;
    uint64_t               held_line;
    uint64_t               held_line_start;
    glossary_token_t      *toks;
    size_t                 tok_head;
    size_t                 tok_n;
    size_t                 tok_alloc;

    /* the tree: frames of the values being built, and the levels skipped */
    glossary_arena_t       tree;        /* what outlives one term */
    glossary_arena_t       term_tree;   /* the term being read */
    glossary_arena_t      *arena;
    glossary_frame_t       stack[GLOSSARY_LEVELS];
    int                    depth;
    uint64_t               skip;        /* levels open below it */
    glossary_json_t       *root;
    uint64_t               tree_bytes;

    /* streaming: the level whose values are terms, 0 when none */
    glossary_root_t        form;
    int                    jsonl;
    int                    terms_depth;
    int                    terms_key;   /* the top-level key is "terms" */
    int                    slug_seen;   /* a top-level "slug" or "term" */
    size_t                 rollback;    /* entries before "terms" */
    size_t                 rollback_related;
    int                    streamed;

    /* payload: the top-level array, or NULL for plain JSON */
    glossary_json_t       *payload;
    glossary_json_t      **found;
    size_t                 nfound;
    size_t                 nfound_alloc;
    unsigned               ref_depth;
    uint64_t               payload_max;
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
static int glossary_read_source(glossary_model_t *m, const char *path,
    int fd, const unsigned char *mem, size_t size);
static ssize_t glossary_next(glossary_file_t *f, const unsigned char **p);
static int glossary_read_json(glossary_file_t *f);
static int glossary_read_jsonl(glossary_file_t *f);
static int glossary_parse_line(glossary_file_t *f, const unsigned char *p,
    size_t len, uint64_t off, uint64_t line);
static void glossary_parse_start(glossary_file_t *f, uint64_t off,
    uint64_t line);
static int glossary_parse_feed(glossary_file_t *f, const unsigned char *p,
    size_t len);
static int glossary_parse_end(glossary_file_t *f);
static void glossary_hold(glossary_file_t *f, const unsigned char *p,
    size_t len);
static int glossary_parse_bytes(glossary_file_t *f, const unsigned char *p,
    size_t len, uint64_t off, uint64_t line, uint64_t line_start);
static int glossary_parse_error(glossary_file_t *f);
static void glossary_lex(glossary_file_t *f, const unsigned char *p,
    size_t len);
static void glossary_locate(glossary_file_t *f, uint64_t off,
    glossary_loc_t *loc);
static void glossary_node_loc(glossary_file_t *f, const glossary_json_t *n,
    glossary_loc_t *loc);
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
static int glossary_indexed(const char *key);
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

size_t  glossary_input_chunk;
uint64_t  glossary_input_memory_size;


/*
 * The bound of a payload's tree: half of this machine's memory (or of
 * glossary_input_memory_size when set: the tests' stand-in for a small
 * machine).
 */
uint64_t
glossary_input_memory(void)
{
    long  pages, size;

    if (glossary_input_memory_size != 0) {
        return glossary_input_memory_size / 2;
    }

    pages = sysconf(_SC_PHYS_PAGES);
    size = sysconf(_SC_PAGESIZE);

    if (pages <= 0 || size <= 0) {
        return UINT64_MAX;
    }

    return (uint64_t) pages * (uint64_t) size / 2;
}


int
glossary_input_read(glossary_model_t *m, const char *path)
{
    return glossary_read_path(m, path, 0, 1);
}


static int
glossary_read_path(glossary_model_t *m, const char *path, unsigned depth,
    int explicit)
{
    int          fd, rc;
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

    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd == -1) {
        glossary_error("%s: %s", path, strerror(errno));
        return GLOSSARY_EXIT_IO;
    }

    rc = glossary_read_source(m, path, fd, NULL, 0);

    close(fd);

    return rc;
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


int
glossary_input_read_memory(glossary_model_t *m, const char *name,
    const void *data, size_t size)
{
    return glossary_read_source(m, name, -1, data, size);
}


/* a file (fd), or bytes in memory (mem), read in chunks */
static int
glossary_read_source(glossary_model_t *m, const char *path, int fd,
    const unsigned char *mem, size_t size)
{
    int              rc;
    size_t           i;
    glossary_file_t  f;

    memset(&f, 0, sizeof(glossary_file_t));

    f.model = m;
    f.file = glossary_arena_strdup(&m->arena, path, strlen(path));
    f.fd = fd;
    f.mem = mem;
    f.mem_size = size;
    f.chunk = glossary_input_chunk ? glossary_input_chunk
                                   : GLOSSARY_READ_CHUNK;
    f.payload_max = glossary_input_memory();

    if (fd != -1) {
        f.buf = glossary_xmalloc(f.chunk);
    }

    f.jsonl = glossary_has_suffix(path, ".jsonl")
              || glossary_has_suffix(path, ".ndjson");

    if (f.jsonl) {
        rc = glossary_read_jsonl(&f);

    } else {
        rc = glossary_read_json(&f);
    }

    if (glossary_input_hooks.file_read != NULL) {
        glossary_input_hooks.file_read(path, 0, m->nentries, 1);
    }

    if (f.yh != NULL) {
        yajl_free(f.yh);
    }

    for (i = 0; i < GLOSSARY_LEVELS; i++) {
        free(f.stack[i].items);
        free(f.stack[i].keys);
    }

    free(f.toks);
    free(f.held);
    free(f.found);
    free(f.buf);
    glossary_arena_free(&f.tree);
    glossary_arena_free(&f.term_tree);

    return rc;
}


/* the next chunk: its length, 0 at the end, -1 after an error */
static ssize_t
glossary_next(glossary_file_t *f, const unsigned char **p)
{
    size_t   n;
    ssize_t  r;

    if (f->fd == -1) {
        n = f->mem_size - f->size;
        n = n < f->chunk ? n : f->chunk;
        *p = f->mem + f->size;
        f->size += n;
        return (ssize_t) n;
    }

    for ( ;; ) {
        r = read(f->fd, f->buf, f->chunk);

        if (r >= 0) {
            break;
        }

        if (errno != EINTR) {
            glossary_error("%s: read: %s", f->file, strerror(errno));
            return -1;
        }
    }

    *p = f->buf;
    f->size += (size_t) r;

    if (glossary_input_hooks.file_read != NULL) {
        glossary_input_hooks.file_read(f->file, (size_t) r,
                                       f->model->nentries, 0);
    }

    return r;
}


/* a JSON file: one value, fed to the parser chunk by chunk */
static int
glossary_read_json(glossary_file_t *f)
{
    int                   rc;
    ssize_t               n;
    const unsigned char  *p;

    glossary_parse_start(f, 0, 1);

    for ( ;; ) {
        n = glossary_next(f, &p);

        if (n < 0) {
            return GLOSSARY_EXIT_IO;
        }

        if (n == 0) {
            break;
        }

        rc = glossary_parse_feed(f, p, (size_t) n);
        if (rc != GLOSSARY_EXIT_OK) {
            return rc;
        }
    }

    rc = glossary_parse_end(f);
    if (rc != GLOSSARY_EXIT_OK) {
        return rc;
    }

    return glossary_read_plain(f);
}


/*
 * JSON Lines: each line is parsed on its own; a line that spans chunks is
 * gathered first, so memory holds one line at most
 */
static int
glossary_read_jsonl(glossary_file_t *f)
{
    int                   rc;
    size_t                i, len, nalloc;
    ssize_t               n;
    uint64_t              off, start, line;
    unsigned char        *held;
    const unsigned char  *p, *q, *nl;

    held = NULL;
    len = 0;
    nalloc = 0;
    off = 0;
    start = 0;
    line = 1;
    rc = GLOSSARY_EXIT_OK;

    for ( ;; ) {
        n = glossary_next(f, &p);

        if (n < 0) {
            rc = GLOSSARY_EXIT_IO;
            break;
        }

        q = p;

        while (q < p + n) {
            nl = memchr(q, '\n', p + n - q);

            if (nl == NULL) {
                i = p + n - q;

                if (len + i > nalloc) {
                    nalloc = (len + i) * 2;
                    held = glossary_xrealloc(held, nalloc);
                }

                memcpy(held + len, q, i);
                len += i;
                break;
            }

            if (len > 0) {
                i = nl - q;

                if (len + i > nalloc) {
                    nalloc = (len + i) * 2;
                    held = glossary_xrealloc(held, nalloc);
                }

                memcpy(held + len, q, i);
                len += i;

                rc = glossary_parse_line(f, held, len, start, line);
                len = 0;

            } else {
                rc = glossary_parse_line(f, q, nl - q, start, line);
            }

            if (rc != GLOSSARY_EXIT_OK) {
                goto done;
            }

            start = off + (uint64_t) (nl - p) + 1;
            line++;
            q = nl + 1;
        }

        if (n == 0) {
            if (len > 0) {
                rc = glossary_parse_line(f, held, len, start, line);
            }

            break;
        }

        off += (uint64_t) n;
    }

done:

    free(held);

    return rc;
}


/* one line of JSON Lines, at offset off of the file: a term, or blank */
static int
glossary_parse_line(glossary_file_t *f, const unsigned char *p, size_t len,
    uint64_t off, uint64_t line)
{
    int              rc;
    size_t           i, n;
    glossary_loc_t   loc;

    for (i = 0; i < len; i++) {
        if (!isspace(p[i])) {
            break;
        }
    }

    if (i == len) {
        return GLOSSARY_EXIT_OK;
    }

    glossary_parse_start(f, off, line);

    /* in pieces of the chunk size, as a file is: the same places */
    for (i = 0; i < len; i += n) {
        n = len - i < f->chunk ? len - i : f->chunk;

        rc = glossary_parse_feed(f, p + i, n);
        if (rc != GLOSSARY_EXIT_OK) {
            return rc;
        }
    }

    rc = glossary_parse_end(f);
    if (rc != GLOSSARY_EXIT_OK) {
        return rc;
    }

    if (f->root->type != GLOSSARY_JSON_OBJECT) {
        glossary_node_loc(f, f->root, &loc);
        glossary_error_at(&loc, "a JSON Lines line must be a term "
                          "object, found %s", glossary_type_name(f->root));
        return GLOSSARY_EXIT_DATA;
    }

    rc = glossary_read_term(f, f->root);

    /* the tree of one line is not needed once its term is read */
    glossary_arena_free(&f->tree);
    glossary_arena_free(&f->term_tree);

    return rc;
}


/* locations */

/* a place in the chunk being fed, or at the end of the text */
static void
glossary_locate(glossary_file_t *f, uint64_t off, glossary_loc_t *loc)
{
    size_t    i, n;
    uint64_t  line, line_start;

    if (off >= f->base + f->cur_len) {
        /* the lexer has seen all of it */
        line = f->lex_line;
        line_start = f->lex_line_start;

    } else {
        line = f->chunk_line;
        line_start = f->chunk_line_start;
        n = off > f->base ? (size_t) (off - f->base) : 0;

        for (i = 0; i < n; i++) {
            if (f->cur[i] == '\n') {
                line++;
                line_start = f->base + i + 1;
            }
        }
    }

    loc->file = f->file;
    loc->line = line;
    loc->column = (off > line_start ? off - line_start : 0) + 1;
}


static void
glossary_node_loc(glossary_file_t *f, const glossary_json_t *n,
    glossary_loc_t *loc)
{
    loc->file = f->file;
    loc->line = n->line;
    loc->column = n->column;
}


/* the lexer: the place of every token, queued for the callbacks */

enum {
    GLOSSARY_LEX_BETWEEN = 0,
    GLOSSARY_LEX_STRING,
    GLOSSARY_LEX_ESCAPE,
    GLOSSARY_LEX_BARE           /* a number or a literal */
};


static void
glossary_token_push(glossary_file_t *f, uint64_t off, unsigned char c)
{
    glossary_token_t  *t;

    if (f->tok_head == f->tok_n) {
        f->tok_head = 0;
        f->tok_n = 0;

    } else if (f->tok_n == f->tok_alloc && f->tok_head > 0) {
        memmove(f->toks, f->toks + f->tok_head,
                (f->tok_n - f->tok_head) * sizeof(glossary_token_t));
        f->tok_n -= f->tok_head;
        f->tok_head = 0;
    }

    if (f->tok_n == f->tok_alloc) {
        f->tok_alloc = f->tok_alloc ? f->tok_alloc * 2 : 256;
        f->toks = glossary_xrealloc(f->toks,
                                    f->tok_alloc * sizeof(glossary_token_t));
    }

    t = &f->toks[f->tok_n++];
    t->off = off;
    t->line = f->lex_line;
    t->column = off - f->lex_line_start + 1;
    t->c = c;
}


static void
glossary_lex(glossary_file_t *f, const unsigned char *p, size_t len)
{
    int            st;
    size_t         i;
    uint64_t       off;
    unsigned char  c;

    st = f->lex;

    for (i = 0; i < len; i++) {
        c = p[i];
        off = f->lex_off + i;

        switch (st) {

        case GLOSSARY_LEX_STRING:
            if (c == '\\') {
                st = GLOSSARY_LEX_ESCAPE;

            } else if (c == '"') {
                st = GLOSSARY_LEX_BETWEEN;
            }

            break;

        case GLOSSARY_LEX_ESCAPE:
            st = GLOSSARY_LEX_STRING;
            break;

        case GLOSSARY_LEX_BARE:
            if (isalnum(c) || c == '-' || c == '+' || c == '.') {
                break;
            }

            st = GLOSSARY_LEX_BETWEEN;

            /* fall through */

        default: /* GLOSSARY_LEX_BETWEEN */

            /* yajl's white space: JSON's, and \v and \f */
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n'
                || c == '\v' || c == '\f')
            {
                break;
            }

            glossary_token_push(f, off, c);

            if (c == '"') {
                st = GLOSSARY_LEX_STRING;

            } else if (strchr("{}[],:", c) == NULL || c == '\0') {
                st = GLOSSARY_LEX_BARE;
            }

            break;
        }

        if (c == '\n') {
            f->lex_line++;
            f->lex_line_start = off + 1;
        }
    }

    f->lex = st;
    f->lex_off += len;
}


/* the place of the callback's token: the next one but "," and ":" */
static glossary_token_t *
glossary_token_take(glossary_file_t *f)
{
    glossary_token_t  *t;

    while (f->tok_head < f->tok_n) {
        t = &f->toks[f->tok_head++];

        if (t->c != ',' && t->c != ':') {
            return t;
        }
    }

    return NULL;    /* not reached: the lexer sees every token first */
}


/* the tree */

static glossary_json_t *
glossary_node(glossary_file_t *f, glossary_json_type_t type,
    glossary_token_t *t)
{
    glossary_json_t  *n;

    n = glossary_arena_alloc(f->arena, sizeof(glossary_json_t));
    memset(n, 0, sizeof(glossary_json_t));

    n->type = type;

    if (t != NULL) {
        n->line = t->line;
        n->column = t->column;

    } else {
        n->line = f->lex_line;
        n->column = 1;
    }

    f->tree_bytes += sizeof(glossary_json_t);

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


/* is a value at this level a term read as soon as it ends? */
static int
glossary_streamed(glossary_file_t *f, int level)
{
    return (f->form == GLOSSARY_ROOT_TERMS && level == 1)
           || (f->terms_depth != 0 && level == f->terms_depth);
}


/* a term of the stream has ended: to the model, and its tree freed */
static int
glossary_term_done(glossary_file_t *f, glossary_json_t *n)
{
    int             rc;
    glossary_loc_t  loc;

    if (n->type != GLOSSARY_JSON_OBJECT) {
        glossary_node_loc(f, n, &loc);
        glossary_error_at(&loc, "expected a term object, found %s",
                          glossary_type_name(n));
        f->failed = 1;
        return 0;
    }

    rc = glossary_read_term(f, n);

    glossary_arena_free(&f->term_tree);
    f->arena = &f->tree;
    f->streamed = 1;

    if (rc != GLOSSARY_EXIT_OK) {
        f->failed = 1;
        return 0;
    }

    return 1;
}


/* element 0 of a top-level array has ended: a payload, or terms */
static int
glossary_first_done(glossary_file_t *f, glossary_json_t *first)
{
    size_t  i;

    f->form = GLOSSARY_ROOT_PAYLOAD;

    if (first->type != GLOSSARY_JSON_OBJECT || first->len == 0) {
        f->form = GLOSSARY_ROOT_TERMS;
    }

    for (i = 0; f->form == GLOSSARY_ROOT_PAYLOAD && i < first->len; i++) {
        if (first->items[i]->type != GLOSSARY_JSON_NUMBER
            || !first->items[i]->is_int)
        {
            f->form = GLOSSARY_ROOT_TERMS;
        }
    }

    if (f->form == GLOSSARY_ROOT_PAYLOAD) {
        glossary_frame_push(&f->stack[0], NULL, first);
        return 1;
    }

    return glossary_term_done(f, first);
}


/* a payload is kept whole: within half of the machine's memory */
static int
glossary_payload_fits(glossary_file_t *f, glossary_json_t *n)
{
    glossary_loc_t  loc;

    if (f->form != GLOSSARY_ROOT_PAYLOAD || f->tree_bytes <= f->payload_max)
    {
        return 1;
    }

    glossary_node_loc(f, n, &loc);

    glossary_error_at(&loc, "this Nuxt payload needs more than %llu bytes "
                      "of memory, half of this machine's: a payload is read "
                      "whole, its references may point anywhere in it",
                      (unsigned long long) f->payload_max);
    f->failed = 1;

    return 0;
}


/*
 * A value that has ended (a scalar) or begun (an array or object, which
 * its frame fills): into its parent, or read as a term
 */
static int
glossary_add(glossary_file_t *f, glossary_json_t *n, int container)
{
    int                level;
    glossary_frame_t  *fr;

    level = f->depth;

    if (level == 0) {
        f->root = n;

        if (container && n->type == GLOSSARY_JSON_ARRAY && !f->jsonl) {
            f->form = GLOSSARY_ROOT_FIRST;

        } else if (container && !f->jsonl) {
            f->form = GLOSSARY_ROOT_OBJECT;

            /* what an object turning out to be one term gives back */
            f->rollback = f->model->nentries;
            f->rollback_related = f->model->nrelated;
        }

        return 1;
    }

    fr = &f->stack[level - 1];

    if (f->form == GLOSSARY_ROOT_FIRST && level == 1) {
        if (!container) {
            return glossary_first_done(f, n);
        }

        return 1;   /* element 0: glossary_end() decides */
    }

    if (glossary_streamed(f, level)) {
        fr->key = NULL;
        return container ? 1 : glossary_term_done(f, n);
    }

    glossary_frame_push(fr, fr->key, n);
    fr->key = NULL;

    return glossary_payload_fits(f, n);
}


/* parser callbacks: each takes its token, builds nothing below the levels */

static int
glossary_cb_null(void *ctx)
{
    glossary_file_t   *f = ctx;
    glossary_token_t  *t;

    t = glossary_token_take(f);

    if (f->skip) {
        return 1;
    }

    return glossary_add(f, glossary_node(f, GLOSSARY_JSON_NULL, t), 0);
}


static int
glossary_cb_boolean(void *ctx, int value)
{
    glossary_file_t   *f = ctx;
    glossary_json_t   *n;
    glossary_token_t  *t;

    t = glossary_token_take(f);

    if (f->skip) {
        return 1;
    }

    n = glossary_node(f, GLOSSARY_JSON_BOOL, t);
    n->integer = value;

    return glossary_add(f, n, 0);
}


static int
glossary_cb_number(void *ctx, const char *s, size_t len)
{
    glossary_file_t   *f = ctx;
    size_t             i;
    glossary_json_t   *n;
    glossary_token_t  *t;

    t = glossary_token_take(f);

    if (f->skip) {
        return 1;
    }

    n = glossary_node(f, GLOSSARY_JSON_NUMBER, t);
    n->str = glossary_arena_strdup(f->arena, s, len);
    n->len = len;
    f->tree_bytes += len + 1;

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

    return glossary_add(f, n, 0);
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


static glossary_json_t *
glossary_string(glossary_file_t *f, glossary_token_t *t,
    const unsigned char *s, size_t len)
{
    size_t            bad;
    glossary_loc_t    loc;
    glossary_json_t  *n;

    n = glossary_node(f, GLOSSARY_JSON_STRING, t);

    bad = glossary_utf8_invalid(s, len);

    if (bad != len) {
        glossary_node_loc(f, n, &loc);
        glossary_error_at(&loc, "invalid UTF-8 in string at byte %zu of its "
                          "value (0x%02x: an overlong form, a surrogate or "
                          "beyond U+10FFFF)", bad, s[bad]);
        f->failed = 1;
        return NULL;
    }

    n->str = glossary_arena_strdup(f->arena, (const char *) s, len);
    n->len = len;
    f->tree_bytes += len + 1;

    return n;
}


static int
glossary_cb_string(void *ctx, const unsigned char *s, size_t len)
{
    glossary_file_t   *f = ctx;
    glossary_json_t   *n;
    glossary_token_t  *t;

    t = glossary_token_take(f);

    if (f->skip) {
        return 1;
    }

    n = glossary_string(f, t, s, len);

    return n != NULL && glossary_add(f, n, 0);
}


static int
glossary_cb_map_key(void *ctx, const unsigned char *s, size_t len)
{
    glossary_file_t   *f = ctx;
    glossary_json_t   *n;
    glossary_token_t  *t;

    t = glossary_token_take(f);

    if (f->skip) {
        return 1;
    }

    n = glossary_string(f, t, s, len);

    if (n == NULL) {
        return 0;
    }

    f->stack[f->depth - 1].key = n;

    /* the top level of an object: is it one term, or has it "terms"? */
    if (f->form == GLOSSARY_ROOT_OBJECT && f->depth == 1) {
        if ((len == 4 && memcmp(s, "slug", 4) == 0)
            || (len == 4 && memcmp(s, "term", 4) == 0))
        {
            f->slug_seen = 1;
        }

        f->terms_key = (len == 5 && memcmp(s, "terms", 5) == 0
                        && !f->slug_seen);
    }

    return 1;
}


static int
glossary_start(glossary_file_t *f, glossary_json_type_t type)
{
    int                level;
    glossary_json_t   *n;
    glossary_token_t  *t;
    glossary_frame_t  *fr;

    t = glossary_token_take(f);
    level = f->depth;

    if (f->skip || level == GLOSSARY_LEVELS) {
        /* too deep for a term: empty, at its place, for type errors */
        if (f->skip++ == 0) {
            n = glossary_node(f, type, t);
            return glossary_add(f, n, 0);
        }

        return 1;
    }

    /* a term of the stream, or element 0 that may be one: a tree apart */
    if (glossary_streamed(f, level)) {
        f->arena = &f->term_tree;
    }

    n = glossary_node(f, type, t);

    if (!glossary_add(f, n, 1)) {
        return 0;
    }

    /* "terms": [ in a top-level object: its terms are streamed */
    if (level == 1 && f->form == GLOSSARY_ROOT_OBJECT && f->terms_key
        && type == GLOSSARY_JSON_ARRAY)
    {
        f->terms_depth = 2;
    }

    fr = &f->stack[f->depth++];
    fr->node = n;
    fr->n = 0;
    fr->key = NULL;

    return 1;
}


static int
glossary_end(glossary_file_t *f)
{
    int                level;
    size_t             size;
    glossary_json_t   *n;
    glossary_frame_t  *fr;

    (void) glossary_token_take(f);

    if (f->skip) {
        f->skip--;
        return 1;
    }

    fr = &f->stack[--f->depth];
    n = fr->node;
    level = f->depth;

    /* no other array starts at level 1 while "terms" is open */
    if (level == 1 && f->terms_depth == 2) {
        f->terms_depth = 0;
    }

    /* the frame's vectors are reused by the next container at this level */
    size = fr->n * sizeof(glossary_json_t *);
    n->len = fr->n;
    n->items = glossary_arena_alloc(f->arena, size ? size : 1);
    f->tree_bytes += size;

    if (size) {
        memcpy(n->items, fr->items, size);
    }

    if (n->type == GLOSSARY_JSON_OBJECT) {
        n->keys = glossary_arena_alloc(f->arena, size ? size : 1);
        f->tree_bytes += size;

        if (size) {
            memcpy(n->keys, fr->keys, size);
        }
    }

    if (level == 1 && f->form == GLOSSARY_ROOT_FIRST) {
        return glossary_first_done(f, n);
    }

    if (glossary_streamed(f, level)) {
        return glossary_term_done(f, n);
    }

    return glossary_payload_fits(f, n);
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


/* a parse: one JSON file, or one line of JSON Lines at offset off */
static void
glossary_parse_start(glossary_file_t *f, uint64_t off, uint64_t line)
{
    if (f->yh != NULL) {
        yajl_free(f->yh);
    }

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
    f->skip = 0;
    f->failed = 0;
    f->finishing = 0;
    f->arena = &f->tree;
    f->form = GLOSSARY_ROOT_NONE;
    f->terms_depth = 0;
    f->terms_key = 0;
    f->slug_seen = 0;
    f->streamed = 0;

    f->lex = GLOSSARY_LEX_BETWEEN;
    f->lex_off = off;
    f->lex_line = line;
    f->lex_line_start = off;
    f->tok_head = 0;
    f->tok_n = 0;

    f->base = off;
    f->cur = NULL;
    f->cur_len = 0;
    f->held_len = 0;
}


/*
 * Feeds a chunk, but for a token it ends inside: that one is held until
 * it ends and then fed whole, since yajl lexes a token again from its
 * start with every chunk that adds to it (a string of many chunks would
 * cost their square).
 */
static int
glossary_parse_feed(glossary_file_t *f, const unsigned char *p, size_t len)
{
    int                rc;
    size_t             n;
    uint64_t           off, cut, line, line_start;
    glossary_token_t  *t;

    off = f->lex_off;
    line = f->lex_line;
    line_start = f->lex_line_start;

    glossary_lex(f, p, len);

    cut = f->lex_off;

    if (f->lex != GLOSSARY_LEX_BETWEEN) {
        cut = f->toks[f->tok_n - 1].off;
    }

    if (f->held_len > 0) {
        if (cut <= off) {
            glossary_hold(f, p, len);       /* the held token goes on */
            return GLOSSARY_EXIT_OK;
        }

        n = (size_t) (cut - off);
        glossary_hold(f, p, n);

        rc = glossary_parse_bytes(f, f->held, f->held_len, f->held_off,
                                  f->held_line, f->held_line_start);
        f->held_len = 0;

    } else {
        n = (size_t) (cut - off);
        rc = glossary_parse_bytes(f, p, n, off, line, line_start);
    }

    if (rc != GLOSSARY_EXIT_OK || n == len) {
        return rc;
    }

    t = &f->toks[f->tok_n - 1];

    f->held_off = cut;
    f->held_line = t->line;
    f->held_line_start = t->off - (t->column - 1);
    glossary_hold(f, p + n, len - n);

    return GLOSSARY_EXIT_OK;
}


static void
glossary_hold(glossary_file_t *f, const unsigned char *p, size_t len)
{
    if (f->held_len + len > f->held_alloc) {
        f->held_alloc = (f->held_len + len) * 2;
        f->held = glossary_xrealloc(f->held, f->held_alloc);
    }

    memcpy(f->held + f->held_len, p, len);
    f->held_len += len;
}


/* bytes at offset off of the text, where the lexer was at line:line_start */
static int
glossary_parse_bytes(glossary_file_t *f, const unsigned char *p, size_t len,
    uint64_t off, uint64_t line, uint64_t line_start)
{
    if (len == 0) {
        return GLOSSARY_EXIT_OK;
    }

    f->cur = p;
    f->cur_len = len;
    f->base = off;
    f->chunk_line = line;
    f->chunk_line_start = line_start;

    if (yajl_parse(f->yh, p, len) != yajl_status_ok) {
        return glossary_parse_error(f);
    }

    return GLOSSARY_EXIT_OK;
}


static int
glossary_parse_end(glossary_file_t *f)
{
    int  rc;

    if (f->held_len > 0) {
        rc = glossary_parse_bytes(f, f->held, f->held_len, f->held_off,
                                  f->held_line, f->held_line_start);
        f->held_len = 0;

        if (rc != GLOSSARY_EXIT_OK) {
            return rc;
        }
    }

    f->finishing = 1;
    f->end = f->lex_off;
    f->base = f->end;
    f->cur = NULL;
    f->cur_len = 0;

    if (yajl_complete_parse(f->yh) != yajl_status_ok) {
        return glossary_parse_error(f);
    }

    yajl_free(f->yh);
    f->yh = NULL;

    return GLOSSARY_EXIT_OK;
}


/*
 * yajl's message at the place it means.  After a parse error yajl points
 * past the token it did not want: the place is that token's first byte,
 * the last token lexed before the point.  After a key and value it has
 * moved its count back by the token's content length, which for a string
 * is not its start: the unwanted token is the first one after the value,
 * the next in the queue.  A lexical error points where the lexer gave up,
 * already the useful place.
 */
static int
glossary_parse_error(glossary_file_t *f)
{
    size_t             len, i;
    uint64_t           off;
    unsigned char     *msg;
    glossary_loc_t     loc;
    glossary_token_t  *t;

    if (f->failed) {
        return GLOSSARY_EXIT_DATA;      /* said already */
    }

    /* yajl's own words, without its "parse error: " style decoration */
    msg = yajl_get_error(f->yh, 0, NULL, 0);

    len = strlen((char *) msg);
    while (len > 0 && (isspace(msg[len - 1]) || msg[len - 1] == '.')) {
        len--;
    }

    off = f->finishing ? f->end
                       : f->base + yajl_get_bytes_consumed(f->yh);
    t = NULL;

    if (!f->finishing && strstr((char *) msg, "after key and value") != NULL)
    {
        if (f->tok_head < f->tok_n) {
            t = &f->toks[f->tok_head];
        }

    } else if (!f->finishing && strncmp((char *) msg, "parse error", 11) == 0)
    {
        for (i = f->tok_n; i > f->tok_head; i--) {
            if (f->toks[i - 1].off < off) {
                t = &f->toks[i - 1];
                break;
            }
        }
    }

    if (t != NULL) {
        loc.file = f->file;
        loc.line = t->line;
        loc.column = t->column;

    } else {
        glossary_locate(f, off, &loc);
    }

    glossary_error_at(&loc, "%.*s", (int) len, (char *) msg);

    yajl_free_error(f->yh, msg);

    return GLOSSARY_EXIT_DATA;
}


/* input forms */

/* the file's top-level value, once parsed: what streaming has not read */
static int
glossary_read_plain(glossary_file_t *f)
{
    int               rc;
    glossary_loc_t    loc;
    glossary_json_t  *root, *terms;

    root = f->root;

    switch (f->form) {

    case GLOSSARY_ROOT_PAYLOAD:
        return glossary_read_payload(f);

    case GLOSSARY_ROOT_FIRST:       /* [] */
    case GLOSSARY_ROOT_TERMS:
        return GLOSSARY_EXIT_OK;

    case GLOSSARY_ROOT_OBJECT:
        terms = glossary_get(root, "terms");

        if (terms != NULL
            && glossary_get(root, "slug") == NULL
            && glossary_get(root, "term") == NULL)
        {
            rc = glossary_check_keys(f, root, "top-level object");
            if (rc != GLOSSARY_EXIT_OK) {
                return rc;
            }

            if (terms->type != GLOSSARY_JSON_ARRAY) {
                glossary_node_loc(f, terms, &loc);
                glossary_error_at(&loc, "\"terms\" must be an array, found "
                                  "%s", glossary_type_name(terms));
                return GLOSSARY_EXIT_DATA;
            }

            return GLOSSARY_EXIT_OK;    /* its terms are read */
        }

        /* one term after all, whose "terms" is just another field */
        if (f->streamed) {
            f->model->nentries = f->rollback;
            f->model->nrelated = f->rollback_related;
        }

        return glossary_read_term(f, root);

    default:
        glossary_node_loc(f, root, &loc);
        glossary_error_at(&loc, "expected a term object, an array of terms, "
                          "{\"terms\": [...]} or a Nuxt payload, found %s",
                          glossary_type_name(root));
        return GLOSSARY_EXIT_DATA;
    }
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
        if (val->len > GLOSSARY_MAX_FIELD_LEN && glossary_indexed(key)) {
            glossary_error_at(loc, "\"%s\" is %zu bytes, over the limit of "
                              "%u of the index's strings (an nginx "
                              "variable's length)", key, val->len,
                              GLOSSARY_MAX_FIELD_LEN);
            return GLOSSARY_EXIT_DATA;
        }

        if (required && val->len == 0) {
            glossary_error_at(loc, "\"%s\" must not be empty", key);
            return GLOSSARY_EXIT_DATA;
        }

        /* a name or a question that a page would show as nothing */
        if (required == GLOSSARY_SHOWN
            && glossary_text_blank(val->str, val->len))
        {
            glossary_error_at(loc, "\"%s\" is blank: only spaces, "
                              "controls or invisible characters", key);
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

    if (glossary_get_string(f, obj, "term", GLOSSARY_SHOWN, "term object",
                            &e->term, &loc)
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

    /* a term's related entries are counted with 32 bits */
    if (related != NULL && related->len > GLOSSARY_MAX_RELATED) {
        glossary_node_loc(f, glossary_get(obj, "relatedTerms"), &loc);
        glossary_error_at(&loc, "\"relatedTerms\" has %zu entries: over the "
                          "format's limit of %u related entries a term",
                          related->len, GLOSSARY_MAX_RELATED);
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
                || glossary_get_string(f, item, "name", GLOSSARY_SHOWN,
                                       "a relatedTerms entry", &link->name,
                                       &sloc))
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

    if (faq != NULL && faq->len > UINT32_MAX) {
        glossary_node_loc(f, glossary_get(obj, "faq"), &loc);
        glossary_error_at(&loc, "\"faq\" has %zu entries, over the limit of "
                          "%u (a 32-bit count)", faq->len, UINT32_MAX);
        return GLOSSARY_EXIT_DATA;
    }

    if (faq != NULL && faq->len > 0) {
        e->faq = glossary_arena_alloc(&m->arena,
                                      faq->len * sizeof(glossary_faq_t));
        e->nfaq = (uint32_t) faq->len;

        for (i = 0; i < faq->len; i++) {
            if (glossary_get_object(f, faq->items[i], "a faq entry", &item)
                || glossary_get_string(f, item, "question", GLOSSARY_SHOWN,
                                       "a faq entry",
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
    m->nrelated += e->nrelated;

    return GLOSSARY_EXIT_OK;
}


/*
 * the strings the blob's index holds, within GLOSSARY_MAX_FIELD_LEN; the
 * others (explanation, SEO texts, FAQ) are in documents only, bounded by
 * the blob's size alone
 */
static int
glossary_indexed(const char *key)
{
    return strcmp(key, "term") == 0 || strcmp(key, "category") == 0
           || strcmp(key, "shortDefinition") == 0
           || strcmp(key, "name") == 0 || strcmp(key, "slug") == 0;
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
