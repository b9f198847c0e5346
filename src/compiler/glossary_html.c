/*
 * glossaryc HTML helpers: see glossary_html.h.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "glossary_fold.h"
#include "glossary_html.h"


#define GLOSSARY_TEMPLATE_MAX   ((size_t) 1 << 20)
#define GLOSSARY_TEMPLATE_NEST  16


typedef enum {
    GLOSSARY_TOP_TEXT = 0,
    GLOSSARY_TOP_VAR,
    GLOSSARY_TOP_OPEN,
    GLOSSARY_TOP_CLOSE
} glossary_top_kind_t;

typedef enum {
    GLOSSARY_CTX_HTML = 0,
    GLOSSARY_CTX_URL,
    GLOSSARY_CTX_JSON,
    GLOSSARY_CTX_RAW
} glossary_ctx_t;


typedef struct {
    uint8_t     kind;
    uint8_t     var;
    uint8_t     ctx;            /* VAR: glossary_ctx_t */
    uint8_t     inverted;       /* OPEN */
    uint32_t    off;            /* TEXT: into text */
    uint32_t    len;
    uint32_t    jump;           /* OPEN: the op after its CLOSE */
} glossary_top_t;


struct glossary_template_s {
    char             *text;
    glossary_top_t   *ops;
    uint32_t          nops;
    uint32_t          nalloc;
};


static const char  *glossary_tvar_names[GLOSSARY_TVAR_N] = {
    "lang", "site_name", "title", "description", "page", "canonical",
    "root", "base_url", "head", "content", "search_form"
};


static const char  glossary_default_template[] =
"<!DOCTYPE html>\n"
"<html lang=\"{{lang}}\">\n"
"<head>\n"
"<meta charset=\"utf-8\">\n"
"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
"<title>{{title}}</title>\n"
"{{#description}}<meta name=\"description\" content=\"{{description}}\">\n"
"{{/description}}"
"{{{head}}}"
"<style>\n"
":root{color-scheme:light dark;--fg:#1a1a1a;--bg:#fff;--muted:#4d4d4d;"
"--link:#0a4fb8;--line:#d6d6d6}\n"
"@media (prefers-color-scheme:dark){:root{--fg:#ececec;--bg:#141414;"
"--muted:#b8b8b8;--link:#8cb8ff;--line:#3a3a3a}}\n"
"*{box-sizing:border-box}\n"
"body{margin:0;font:1.0625rem/1.6 system-ui,-apple-system,\"Segoe UI\","
"Roboto,sans-serif;color:var(--fg);background:var(--bg)}\n"
"header,main,footer{max-width:48rem;margin:0 auto;padding:1rem}\n"
"header{display:flex;flex-wrap:wrap;gap:.75rem;align-items:center;"
"justify-content:space-between;border-bottom:1px solid var(--line)}\n"
"footer{border-top:1px solid var(--line);color:var(--muted)}\n"
"a{color:var(--link);text-underline-offset:.15em}\n"
"a:focus-visible,input:focus-visible,button:focus-visible{outline:3px "
"solid var(--link);outline-offset:2px}\n"
".skip{position:absolute;left:-10000px}\n"
".skip:focus{left:1rem;top:1rem;padding:.5rem;background:var(--bg)}\n"
".site{font-weight:700;text-decoration:none}\n"
"form{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}\n"
"input,button{font:inherit;padding:.3rem .5rem;color:inherit;"
"background:var(--bg);border:1px solid var(--muted);border-radius:4px}\n"
"h1{line-height:1.2;overflow-wrap:anywhere}\n"
".short{font-size:1.15em}\n"
".letters ul{display:flex;flex-wrap:wrap;gap:.25rem .75rem;"
"list-style:none;padding:0}\n"
"dt{font-weight:600;margin-top:1rem}\n"
"dd{margin:0}\n"
"li{margin:.25rem 0}\n"
"</style>\n"
"</head>\n"
"<body class=\"page-{{page}}\">\n"
"<a class=\"skip\" href=\"#main\">Skip to content</a>\n"
"<header>\n"
"<a class=\"site\" href=\"{{root}}\">{{site_name}}</a>\n"
"{{{search_form}}}"
"</header>\n"
"<main id=\"main\">\n"
"{{{content}}}"
"</main>\n"
"<footer>\n"
"<p><a href=\"{{root}}\">All terms</a> &middot; "
"<a href=\"{{root}}_category/\">Categories</a></p>\n"
"</footer>\n"
"</body>\n"
"</html>\n";


/* buffers */

void
glossary_buf_add(glossary_buf_t *b, const void *p, size_t len)
{
    if (len == 0) {
        return;
    }

    if (b->nalloc - b->len < len) {
        b->nalloc = b->nalloc ? b->nalloc : 4096;

        while (b->nalloc - b->len < len) {
            b->nalloc *= 2;
        }

        b->data = glossary_xrealloc(b->data, b->nalloc);
    }

    memcpy(b->data + b->len, p, len);
    b->len += len;
}


void
glossary_buf_str(glossary_buf_t *b, const char *s)
{
    glossary_buf_add(b, s, strlen(s));
}


void
glossary_buf_free(glossary_buf_t *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
    b->nalloc = 0;
}


/* code points that are parse errors in HTML text */
static int
glossary_html_bad(uint32_t c)
{
    return (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
           || (c >= 0x7f && c <= 0x9f)
           || (c >= 0xfdd0 && c <= 0xfdef)
           || (c & 0xfffe) == 0xfffe;
}


static const char  glossary_fffd[] = "\xef\xbf\xbd";


/*
 * ASCII bytes that glossary_buf_html() and glossary_buf_json() copy as they
 * are: a fast path around the decoder, the common case in glossary text
 */
static const uint32_t  glossary_html_plain[8] = {
    0x00002600,     /* \t \n \r */
    0xafffff3b,     /* but " & ' < > */
    0xffffffff,
    0x7fffffff,     /* but DEL */
    0, 0, 0, 0
};

static const uint32_t  glossary_json_plain[8] = {
    0x00000000,
    0xafffffbb,     /* but " & < > */
    0xefffffff,     /* but \ */
    0x7fffffff,     /* but DEL */
    0, 0, 0, 0
};


void
glossary_buf_html(glossary_buf_t *b, const void *data, size_t len,
    int markers)
{
    size_t                i, n, start;
    uint32_t              c;
    const char           *rep;
    const unsigned char  *p;

    p = data;
    start = 0;

    for (i = 0; i < len; i += n) {
        if (glossary_byte_in(glossary_html_plain, p[i])) {
            n = 1;
            continue;
        }

        n = glossary_utf8_decode(p + i, len - i, &c);
        rep = NULL;

        if (n == 0) {
            n = 1;
            rep = glossary_fffd;

        } else if (c == '&') {
            rep = "&amp;";

        } else if (c == '<') {
            rep = "&lt;";

        } else if (c == '>') {
            rep = "&gt;";

        } else if (c == '"') {
            rep = "&quot;";

        } else if (c == '\'') {
            rep = "&#39;";

        } else if (markers
                   && (c == GLOSSARY_MARK_QUERY || c == GLOSSARY_MARK_RESULTS))
        {
            rep = NULL;

        } else if (glossary_html_bad(c)) {
            rep = glossary_fffd;
        }

        if (rep != NULL) {
            glossary_buf_add(b, p + start, i - start);
            glossary_buf_str(b, rep);
            start = i + n;
        }
    }

    glossary_buf_add(b, p + start, len - start);
}


static void
glossary_buf_u(glossary_buf_t *b, uint32_t c)
{
    char  esc[16];

    if (c > 0xffff) {
        c -= 0x10000;
        snprintf(esc, sizeof(esc), "\\u%04x\\u%04x",
                 (unsigned) (0xd800 + (c >> 10)),
                 (unsigned) (0xdc00 + (c & 0x3ff)));

    } else {
        snprintf(esc, sizeof(esc), "\\u%04x", (unsigned) c);
    }

    glossary_buf_str(b, esc);
}


void
glossary_buf_json(glossary_buf_t *b, const void *data, size_t len)
{
    size_t                i, n, start;
    uint32_t              c;
    const char           *rep;
    const unsigned char  *p;

    p = data;
    start = 0;

    glossary_buf_add(b, "\"", 1);

    for (i = 0; i < len; i += n) {
        if (glossary_byte_in(glossary_json_plain, p[i])) {
            n = 1;
            continue;
        }

        n = glossary_utf8_decode(p + i, len - i, &c);
        rep = NULL;

        switch (c) {
        case '"':
            rep = "\\\"";
            break;
        case '\\':
            rep = "\\\\";
            break;
        case '\n':
            rep = "\\n";
            break;
        case '\r':
            rep = "\\r";
            break;
        case '\t':
            rep = "\\t";
            break;
        default:
            break;
        }

        if (rep == NULL
            && n != 0
            && c != '<' && c != '>' && c != '&'
            && c != 0x2028 && c != 0x2029
            && !glossary_html_bad(c))
        {
            continue;
        }

        glossary_buf_add(b, p + start, i - start);

        if (rep != NULL) {
            glossary_buf_str(b, rep);

        } else {
            glossary_buf_u(b, c);
        }

        if (n == 0) {
            n = 1;
        }

        start = i + n;
    }

    glossary_buf_add(b, p + start, len - start);
    glossary_buf_add(b, "\"", 1);
}


void
glossary_buf_url(glossary_buf_t *b, const void *data, size_t len)
{
    char                  esc[4];
    size_t                i;
    const unsigned char  *p;

    p = data;

    for (i = 0; i < len; i++) {
        if ((p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= 'a' && p[i] <= 'z')
            || (p[i] >= '0' && p[i] <= '9')
            || p[i] == '-' || p[i] == '.' || p[i] == '_' || p[i] == '~')
        {
            glossary_buf_add(b, &p[i], 1);
            continue;
        }

        snprintf(esc, sizeof(esc), "%%%02X", p[i]);
        glossary_buf_add(b, esc, 3);
    }
}


void
glossary_buf_xml(glossary_buf_t *b, const void *data, size_t len)
{
    glossary_buf_html(b, data, len, 0);
}


/* templates */

static void
glossary_template_op(glossary_template_t *t, glossary_top_t *op)
{
    if (t->nops == t->nalloc) {
        t->nalloc = t->nalloc ? t->nalloc * 2 : 64;
        t->ops = glossary_xrealloc(t->ops, t->nalloc * sizeof(glossary_top_t));
    }

    t->ops[t->nops++] = *op;
}


static void
glossary_template_loc(glossary_loc_t *loc, const char *file,
    const char *text, size_t off)
{
    size_t  i, line_start;

    loc->file = file;
    loc->line = 1;
    line_start = 0;

    for (i = 0; i < off; i++) {
        if (text[i] == '\n') {
            loc->line++;
            line_start = i + 1;
        }
    }

    loc->column = off - line_start + 1;
}


static int
glossary_tvar_find(const char *p, size_t len)
{
    int  i;

    for (i = 0; i < GLOSSARY_TVAR_N; i++) {
        if (strlen(glossary_tvar_names[i]) == len
            && memcmp(glossary_tvar_names[i], p, len) == 0)
        {
            return i;
        }
    }

    return -1;
}


glossary_template_t *
glossary_template_parse(const char *file, const char *text, size_t len)
{
    int                   var, depth, triple, uses_content;
    char                  sigil;
    size_t                i, tag, inner, inner_len, end, ctx_len, k;
    uint32_t              open[GLOSSARY_TEMPLATE_NEST];
    size_t                open_at[GLOSSARY_TEMPLATE_NEST];
    const char           *name, *colon;
    glossary_loc_t        loc;
    glossary_top_t        op;
    glossary_template_t  *t;

    t = glossary_xmalloc(sizeof(glossary_template_t));
    memset(t, 0, sizeof(glossary_template_t));

    t->text = glossary_xmalloc(len + 1);
    memcpy(t->text, text, len);
    t->text[len] = '\0';

    depth = 0;
    uses_content = 0;
    i = 0;

    while (i < len) {
        tag = i;

        while (tag + 1 < len && !(text[tag] == '{' && text[tag + 1] == '{')) {
            tag++;
        }

        if (tag + 1 >= len) {
            tag = len;
        }

        if (tag > i) {
            memset(&op, 0, sizeof(glossary_top_t));
            op.kind = GLOSSARY_TOP_TEXT;
            op.off = (uint32_t) i;
            op.len = (uint32_t) (tag - i);
            glossary_template_op(t, &op);
        }

        if (tag == len) {
            break;
        }

        glossary_template_loc(&loc, file, text, tag);

        triple = (tag + 2 < len && text[tag + 2] == '{');
        inner = tag + 2 + triple;

        for (end = inner; end + 1 < len; end++) {
            if (text[end] == '}' && text[end + 1] == '}') {
                break;
            }
        }

        if (end + 1 >= len
            || (triple && (end + 2 >= len || text[end + 2] != '}')))
        {
            glossary_error_at(&loc, "unclosed tag: \"%s\" without \"%s\"",
                              triple ? "{{{" : "{{", triple ? "}}}" : "}}");
            goto failed;
        }

        i = end + 2 + triple;

        /* trim blanks inside the braces */
        while (inner < end && (text[inner] == ' ' || text[inner] == '\t')) {
            inner++;
        }

        while (end > inner && (text[end - 1] == ' ' || text[end - 1] == '\t'))
        {
            end--;
        }

        sigil = (inner < end && !triple) ? text[inner] : '\0';

        if (sigil == '!') {
            continue;
        }

        if (sigil == '#' || sigil == '^' || sigil == '/') {
            inner++;

        } else {
            sigil = '\0';
        }

        name = text + inner;
        inner_len = end - inner;
        ctx_len = 0;

        colon = memchr(name, ':', inner_len);

        if (colon != NULL && sigil == '\0' && !triple) {
            ctx_len = colon - name;
            name = colon + 1;
            inner_len -= ctx_len + 1;
        }

        var = glossary_tvar_find(name, inner_len);

        if (var < 0) {
            glossary_error_at(&loc, "unknown placeholder \"%.*s\"",
                              (int) (inner_len > 64 ? 64 : inner_len), name);
            goto failed;
        }

        memset(&op, 0, sizeof(glossary_top_t));
        op.var = (uint8_t) var;

        if (sigil == '#' || sigil == '^') {
            if (depth == GLOSSARY_TEMPLATE_NEST) {
                glossary_error_at(&loc, "sections nested deeper than %d",
                                  GLOSSARY_TEMPLATE_NEST);
                goto failed;
            }

            op.kind = GLOSSARY_TOP_OPEN;
            op.inverted = (sigil == '^');
            open[depth] = t->nops;
            open_at[depth] = tag;
            depth++;
            glossary_template_op(t, &op);
            continue;
        }

        if (sigil == '/') {
            if (depth == 0) {
                glossary_error_at(&loc, "\"{{/%s}}\" closes no section",
                                  glossary_tvar_names[var]);
                goto failed;
            }

            k = open[depth - 1];

            if (t->ops[k].var != var) {
                glossary_loc_t  oloc;

                glossary_template_loc(&oloc, file, text, open_at[depth - 1]);
                glossary_error_at(&loc, "\"{{/%s}}\" closes the section "
                                  "\"%s\" opened at line %llu, column %llu",
                                  glossary_tvar_names[var],
                                  glossary_tvar_names[t->ops[k].var],
                                  (unsigned long long) oloc.line,
                                  (unsigned long long) oloc.column);
                goto failed;
            }

            depth--;
            op.kind = GLOSSARY_TOP_CLOSE;
            glossary_template_op(t, &op);
            t->ops[k].jump = t->nops;
            continue;
        }

        op.kind = GLOSSARY_TOP_VAR;

        if (triple) {
            if (var < GLOSSARY_TVAR_FIRST_FRAGMENT) {
                glossary_error_at(&loc, "\"%s\" is text: \"{{{ }}}\" is only "
                                  "for the fragments head, content and "
                                  "search_form", glossary_tvar_names[var]);
                goto failed;
            }

            op.ctx = GLOSSARY_CTX_RAW;
            uses_content |= (var == GLOSSARY_TVAR_CONTENT);
            glossary_template_op(t, &op);
            continue;
        }

        if (var >= GLOSSARY_TVAR_FIRST_FRAGMENT) {
            glossary_error_at(&loc, "\"%s\" is an HTML fragment: write "
                              "\"{{{%s}}}\"", glossary_tvar_names[var],
                              glossary_tvar_names[var]);
            goto failed;
        }

        if (colon == NULL || (ctx_len == 4
                              && memcmp(text + inner, "html", 4) == 0))
        {
            op.ctx = GLOSSARY_CTX_HTML;

        } else if (ctx_len == 3 && memcmp(text + inner, "url", 3) == 0) {
            op.ctx = GLOSSARY_CTX_URL;

        } else if (ctx_len == 4 && memcmp(text + inner, "json", 4) == 0) {
            op.ctx = GLOSSARY_CTX_JSON;

        } else {
            glossary_error_at(&loc, "unknown context \"%.*s\" (html, url or "
                              "json)", (int) (ctx_len > 32 ? 32 : ctx_len),
                              text + inner);
            goto failed;
        }

        glossary_template_op(t, &op);
    }

    if (depth > 0) {
        glossary_template_loc(&loc, file, text, open_at[depth - 1]);
        glossary_error_at(&loc, "section \"%s\" is not closed",
                          glossary_tvar_names[t->ops[open[depth - 1]].var]);
        goto failed;
    }

    if (!uses_content) {
        glossary_template_loc(&loc, file, text, 0);
        glossary_error_at(&loc, "the template never places \"{{{content}}}\"");
        goto failed;
    }

    return t;

failed:

    glossary_template_free(t);

    return NULL;
}


glossary_template_t *
glossary_template_load(const char *path, int *status)
{
    int                   fd;
    char                 *text;
    ssize_t               n;
    size_t                len;
    struct stat           st;
    glossary_template_t  *t;

    *status = GLOSSARY_EXIT_IO;

    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd == -1) {
        glossary_error("%s: %s", path, strerror(errno));
        return NULL;
    }

    if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
        glossary_error("%s: not a regular file", path);
        close(fd);
        return NULL;
    }

    if ((size_t) st.st_size > GLOSSARY_TEMPLATE_MAX) {
        glossary_error("%s: the template is over the limit of %zu bytes",
                       path, GLOSSARY_TEMPLATE_MAX);
        close(fd);
        *status = GLOSSARY_EXIT_DATA;
        return NULL;
    }

    text = glossary_xmalloc((size_t) st.st_size + 1);
    len = 0;

    while (len < (size_t) st.st_size) {
        n = read(fd, text + len, (size_t) st.st_size - len);

        if (n == -1 && errno == EINTR) {
            continue;
        }

        if (n <= 0) {
            glossary_error("%s: read: %s", path,
                           n == 0 ? "unexpected end of file"
                                  : strerror(errno));
            free(text);
            close(fd);
            return NULL;
        }

        len += (size_t) n;
    }

    close(fd);

    t = glossary_template_parse(path, text, len);
    free(text);

    *status = t ? GLOSSARY_EXIT_OK : GLOSSARY_EXIT_DATA;

    return t;
}


glossary_template_t *
glossary_template_default(void)
{
    glossary_template_t  *t;

    t = glossary_template_parse("(default template)",
                                glossary_default_template,
                                sizeof(glossary_default_template) - 1);
    if (t == NULL) {
        exit(GLOSSARY_EXIT_IO);     /* a bug: the test suite catches it */
    }

    return t;
}


void
glossary_template_free(glossary_template_t *t)
{
    if (t == NULL) {
        return;
    }

    free(t->text);
    free(t->ops);
    free(t);
}


void
glossary_template_render(const glossary_template_t *t,
    const glossary_text_t *vars, int markers, glossary_buf_t *out)
{
    int                    full;
    uint32_t               i;
    const glossary_top_t  *op;
    const glossary_text_t *v;

    i = 0;

    while (i < t->nops) {
        op = &t->ops[i];
        v = &vars[op->var];

        switch (op->kind) {

        case GLOSSARY_TOP_TEXT:
            glossary_buf_add(out, t->text + op->off, op->len);
            break;

        case GLOSSARY_TOP_OPEN:
            full = (v->data != NULL && v->len > 0);

            if (full == op->inverted) {
                i = op->jump;
                continue;
            }

            break;

        case GLOSSARY_TOP_VAR:
            if (v->data == NULL || v->len == 0) {
                if (op->ctx == GLOSSARY_CTX_JSON) {
                    glossary_buf_add(out, "\"\"", 2);
                }

                break;
            }

            switch (op->ctx) {
            case GLOSSARY_CTX_RAW:
                glossary_buf_add(out, v->data, v->len);
                break;
            case GLOSSARY_CTX_URL:
                glossary_buf_url(out, v->data, v->len);
                break;
            case GLOSSARY_CTX_JSON:
                glossary_buf_json(out, v->data, v->len);
                break;
            default:
                glossary_buf_html(out, v->data, v->len, markers);
                break;
            }

            break;

        default:
            break;
        }

        i++;
    }
}
