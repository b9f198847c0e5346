/*
 * ngx_http_glossary_module: directives and blob loading.
 *
 * A blob is loaded once per configuration cycle, in the master, while the
 * configuration is read; workers inherit the memory it was read into.  Its
 * cleanup hangs on the cycle's pool, so the old cycle's memory goes away
 * only after a new cycle is complete, and a reload that fails leaves the
 * old workers serving what they have.
 */

#include "ngx_http_glossary_module.h"

#include <sys/mman.h>

#include <xxhash.h>


/*
 * copy mode reads the blob in this much at a time, each part hashed while
 * it is in the CPU's cache
 */
#define NGX_HTTP_GLOSSARY_WINDOW  ((size_t) 1 << 20)


static void *ngx_http_glossary_create_main_conf(ngx_conf_t *cf);
static void *ngx_http_glossary_create_loc_conf(ngx_conf_t *cf);
static char *ngx_http_glossary_merge_loc_conf(ngx_conf_t *cf, void *parent,
    void *child);
static char *ngx_http_glossary(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_glossary_status(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static void *ngx_http_glossary_snapshot(ngx_conf_t *cf, ngx_fd_t fd,
    size_t size, ngx_str_t *path, uint64_t *checksum);
static void *ngx_http_glossary_map(ngx_conf_t *cf, ngx_fd_t fd,
    size_t size, ngx_str_t *path, ngx_uint_t lazy);
static void ngx_http_glossary_willneed(u_char *p, size_t size);
static void ngx_http_glossary_cleanup(void *data);


static ngx_conf_enum_t  ngx_http_glossary_formats[] = {
    { ngx_string("json"), NGX_HTTP_GLOSSARY_FORMAT_JSON },
    { ngx_string("html"), NGX_HTTP_GLOSSARY_FORMAT_HTML },
    { ngx_null_string, 0 }
};


static ngx_command_t  ngx_http_glossary_commands[] = {

    { ngx_string("glossary"),
      NGX_HTTP_LOC_CONF|NGX_CONF_TAKE123,
      ngx_http_glossary,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("glossary_build_header"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_FLAG,
      ngx_conf_set_flag_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_glossary_loc_conf_t, build_header),
      NULL },

    { ngx_string("glossary_format"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_enum_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_glossary_loc_conf_t, format),
      &ngx_http_glossary_formats },

    { ngx_string("glossary_status"),
      NGX_HTTP_LOC_CONF|NGX_CONF_NOARGS,
      ngx_http_glossary_status,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

      ngx_null_command
};


static ngx_http_module_t  ngx_http_glossary_module_ctx = {
    ngx_http_glossary_add_variables,       /* preconfiguration */
    NULL,                                  /* postconfiguration */

    ngx_http_glossary_create_main_conf,    /* create main configuration */
    NULL,                                  /* init main configuration */

    NULL,                                  /* create server configuration */
    NULL,                                  /* merge server configuration */

    ngx_http_glossary_create_loc_conf,     /* create location configuration */
    ngx_http_glossary_merge_loc_conf       /* merge location configuration */
};


ngx_module_t  ngx_http_glossary_module = {
    NGX_MODULE_V1,
    &ngx_http_glossary_module_ctx,         /* module context */
    ngx_http_glossary_commands,            /* module directives */
    NGX_HTTP_MODULE,                       /* module type */
    NULL,                                  /* init master */
    NULL,                                  /* init module */
    NULL,                                  /* init process */
    NULL,                                  /* init thread */
    NULL,                                  /* exit thread */
    NULL,                                  /* exit process */
    NULL,                                  /* exit master */
    NGX_MODULE_V1_PADDING
};


static void *
ngx_http_glossary_create_main_conf(ngx_conf_t *cf)
{
    ngx_http_glossary_main_conf_t  *gmcf;

    gmcf = ngx_pcalloc(cf->pool, sizeof(ngx_http_glossary_main_conf_t));
    if (gmcf == NULL) {
        return NULL;
    }

    if (ngx_array_init(&gmcf->blobs, cf->pool, 2,
                       sizeof(ngx_http_glossary_data_t *))
        != NGX_OK)
    {
        return NULL;
    }

    return gmcf;
}


static void *
ngx_http_glossary_create_loc_conf(ngx_conf_t *cf)
{
    ngx_http_glossary_loc_conf_t  *glcf;

    glcf = ngx_pcalloc(cf->pool, sizeof(ngx_http_glossary_loc_conf_t));
    if (glcf == NULL) {
        return NULL;
    }

    glcf->data = NGX_CONF_UNSET_PTR;
    glcf->build_header = NGX_CONF_UNSET;
    glcf->format = NGX_CONF_UNSET_UINT;

    return glcf;
}


static char *
ngx_http_glossary_merge_loc_conf(ngx_conf_t *cf, void *parent, void *child)
{
    ngx_http_glossary_loc_conf_t  *prev = parent;
    ngx_http_glossary_loc_conf_t  *conf = child;

    ngx_conf_merge_ptr_value(conf->data, prev->data, NULL);
    ngx_conf_merge_value(conf->build_header, prev->build_header, 1);
    ngx_conf_merge_uint_value(conf->format, prev->format,
                              NGX_HTTP_GLOSSARY_FORMAT_JSON);

    return NGX_CONF_OK;
}


static char *
ngx_http_glossary(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_glossary_loc_conf_t  *glcf = conf;

    ngx_str_t                 *value;
    ngx_http_core_loc_conf_t  *clcf;

    if (glcf->data != NGX_CONF_UNSET_PTR) {
        return "is duplicate";
    }

    value = cf->args->elts;

    /* glossary path [copy | mmap] [verify=full | verify=lazy] */

    glcf->data = ngx_http_glossary_load_args(cf, cmd, &value[1], &value[2],
                                             cf->args->nelts - 2, 0);
    if (glcf->data == NULL) {
        return NGX_CONF_ERROR;
    }

    clcf = ngx_http_conf_get_module_loc_conf(cf, ngx_http_core_module);

    if (clcf->handler != NULL && clcf->handler != ngx_http_glossary_handler) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"%V\" cannot be combined with another content "
                           "handler in one location", &cmd->name);
        return NGX_CONF_ERROR;
    }

    clcf->handler = ngx_http_glossary_handler;

    return NGX_CONF_OK;
}


static char *
ngx_http_glossary_status(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_core_loc_conf_t  *clcf;

    clcf = ngx_http_conf_get_module_loc_conf(cf, ngx_http_core_module);

    if (clcf->handler == ngx_http_glossary_status_handler) {
        return "is duplicate";
    }

    if (clcf->handler != NULL) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"%V\" cannot be combined with another content "
                           "handler in one location", &cmd->name);
        return NGX_CONF_ERROR;
    }

    clcf->handler = ngx_http_glossary_status_handler;

    return NGX_CONF_OK;
}


/*
 * "path [copy | mmap] [verify=full | verify=lazy]": the blob, loaded once
 * per configuration cycle; with "any", options not given take those of a
 * load of the same file by another directive
 */
ngx_http_glossary_data_t *
ngx_http_glossary_load_args(ngx_conf_t *cf, ngx_command_t *cmd,
    ngx_str_t *name, ngx_str_t *opts, ngx_uint_t n, ngx_uint_t any)
{
    ngx_int_t   map, lazy;
    ngx_str_t   path;
    ngx_uint_t  i, seen_map, seen_verify;

    map = any ? -1 : 0;
    lazy = any ? -1 : 0;
    seen_map = 0;
    seen_verify = 0;

    for (i = 0; i < n; i++) {

        if (!seen_map
            && (ngx_strcmp(opts[i].data, "mmap") == 0
                || ngx_strcmp(opts[i].data, "copy") == 0))
        {
            map = (opts[i].data[0] == 'm');
            seen_map = 1;
            continue;
        }

        if (!seen_verify
            && (ngx_strcmp(opts[i].data, "verify=full") == 0
                || ngx_strcmp(opts[i].data, "verify=lazy") == 0))
        {
            lazy = (opts[i].data[7] == 'l');
            seen_verify = 1;
            continue;
        }

        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid parameter \"%V\", it must be \"copy\", "
                           "\"mmap\", \"verify=full\" or \"verify=lazy\", "
                           "each at most once", &opts[i]);
        return NULL;
    }

    path = *name;

    if (path.len == 0) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "empty path in \"%V\" directive", &cmd->name);
        return NULL;
    }

    /* relative to the configuration prefix, as ssl_certificate is */
    if (ngx_conf_full_name(cf->cycle, &path, 1) != NGX_OK) {
        return NULL;
    }

    return ngx_http_glossary_load(cf, &path, map, lazy);
}


/* map, lazy: 0 or 1, or -1 for whatever a load of the same file chose */
ngx_http_glossary_data_t *
ngx_http_glossary_load(ngx_conf_t *cf, ngx_str_t *path, ngx_int_t map,
    ngx_int_t lazy)
{
    void                            *p;
    size_t                           size;
    uint64_t                         checksum;
    ngx_fd_t                         fd;
    ngx_uint_t                       i;
    ngx_file_info_t                  fi;
    glossary_status_t                rc;
    ngx_pool_cleanup_t              *cln;
    ngx_http_glossary_data_t        *data, **d;
    ngx_http_glossary_main_conf_t   *gmcf;

    gmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_glossary_module);

    /* several locations naming one file share one mapping */

    d = gmcf->blobs.elts;
    for (i = 0; i < gmcf->blobs.nelts; i++) {
        if (d[i]->path.len == path->len
            && ngx_strncmp(d[i]->path.data, path->data, path->len) == 0)
        {
            if ((map != -1 && d[i]->mmap != (ngx_uint_t) map)
                || (lazy != -1 && d[i]->verify_lazy != (ngx_uint_t) lazy))
            {
                ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                                   "glossary \"%V\" is loaded with \"%s "
                                   "verify=%s\" in another location", path,
                                   d[i]->mmap ? "mmap" : "copy",
                                   d[i]->verify_lazy ? "lazy" : "full");
                return NULL;
            }

            ngx_log_debug1(NGX_LOG_DEBUG_HTTP, cf->log, 0,
                           "glossary \"%V\" already loaded", path);
            return d[i];
        }
    }

    data = ngx_pcalloc(cf->pool, sizeof(ngx_http_glossary_data_t));
    if (data == NULL) {
        return NULL;
    }

    data->path = *path;

    /* the defaults: copy, verify=full */
    map = (map == 1);
    lazy = (lazy == 1);
    data->mmap = map;
    data->verify_lazy = lazy;

    /*
     * "nginx -s reload|reopen|quit|stop" reads the configuration only to
     * find the master's pid: the blob is the master's to load, and a
     * signal must cost nothing at any size ("nginx -t", with -s or not,
     * still checks it)
     */
    if (ngx_process == NGX_PROCESS_SIGNALLER && !ngx_test_config) {
        d = ngx_array_push(&gmcf->blobs);
        if (d == NULL) {
            return NULL;
        }

        *d = data;

        return data;
    }

    fd = ngx_open_file(path->data, NGX_FILE_RDONLY, NGX_FILE_OPEN, 0);
    if (fd == NGX_INVALID_FILE) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, ngx_errno,
                           ngx_open_file_n " \"%V\" failed", path);
        return NULL;
    }

    if (ngx_fd_info(fd, &fi) == NGX_FILE_ERROR) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, ngx_errno,
                           ngx_fd_info_n " \"%V\" failed", path);
        goto failed;
    }

    if (!ngx_is_file(&fi)) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "glossary \"%V\" is not a regular file", path);
        goto failed;
    }

    if (ngx_file_size(&fi) < GLOSSARY_HEADER_SIZE
        || (uint64_t) ngx_file_size(&fi) > GLOSSARY_MAX_FILE_SIZE)
    {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "glossary \"%V\" is invalid: %s: %O bytes",
                           path,
                           glossary_blob_strerror(
                               ngx_file_size(&fi) < GLOSSARY_HEADER_SIZE
                               ? GLOSSARY_ERR_TRUNCATED
                               : GLOSSARY_ERR_TOO_LARGE),
                           ngx_file_size(&fi));
        goto failed;
    }

    size = (size_t) ngx_file_size(&fi);

    p = map ? ngx_http_glossary_map(cf, fd, size, path, lazy)
            : ngx_http_glossary_snapshot(cf, fd, size, path,
                                         lazy ? NULL : &checksum);
    if (p == NULL) {
        goto failed;
    }

    if (ngx_close_file(fd) == NGX_FILE_ERROR) {
        ngx_log_error(NGX_LOG_ALERT, cf->log, ngx_errno,
                      ngx_close_file_n " \"%V\" failed", path);
    }

    data->start = p;
    data->size = size;

    cln = ngx_pool_cleanup_add(cf->pool, 0);
    if (cln == NULL) {
        ngx_http_glossary_cleanup(data);
        return NULL;
    }

    cln->handler = ngx_http_glossary_cleanup;
    cln->data = data;

    /* copy mode summed the bytes as it read them in */
    rc = (map || lazy)
         ? glossary_blob_open_flags(&data->blob, data->start, data->size,
                                    lazy ? GLOSSARY_OPEN_LAZY : 0)
         : glossary_blob_open_summed(&data->blob, data->start, data->size,
                                     0, checksum);
    if (rc != GLOSSARY_OK) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "glossary \"%V\" is invalid: %s: %s",
                           path, glossary_blob_strerror(rc),
                           data->blob.detail);
        return NULL;
    }

    if (lazy && !data->blob.lazy) {
        ngx_conf_log_error(NGX_LOG_NOTICE, cf, 0,
                           "glossary \"%V\" has no chunk table (format "
                           "%ui.%ui), it was verified in full", path,
                           (ngx_uint_t) data->blob.header->version_major,
                           (ngx_uint_t) data->blob.header->version_minor);
    }

    /*
     * what is verified lazily is noted per process: the master's zeroed
     * pages become each worker's own on its first write (a bit a chunk and
     * a bit a document: 80 KiB for 100,000 terms)
     */
    if (data->blob.lazy) {
        p = ngx_pcalloc(cf->pool, glossary_lazy_size(&data->blob));
        if (p == NULL) {
            return NULL;
        }

        glossary_lazy_init(&data->lazy, &data->blob, p);
    }

    /*
     * the search index: the engine's scratch, a few hundred KB, and the
     * bits of the lists checked lazily, both written by each worker only
     */
    if (glossary_blob_fts(&data->blob, &data->fts) == GLOSSARY_OK) {
        if (data->fts.lazy) {
            p = ngx_pcalloc(cf->pool, glossary_fts_lazy_size(&data->fts));
            if (p == NULL) {
                return NULL;
            }

            glossary_fts_lazy_init(&data->fts, &data->fts_lazy, p);
        }

        data->fts_scratch_size = glossary_fts_scratch_size(&data->fts);
        data->fts_scratch = ngx_pmemalign(cf->pool, data->fts_scratch_size,
                                          64);
        if (data->fts_scratch == NULL) {
            return NULL;
        }
    }

    data->build_id.len = sizeof(data->blob.build_id) - 1;
    data->build_id.data = (u_char *) data->blob.build_id;

    /* sent as it is: the header filter would format it per request */
    data->last_modified.data = ngx_pnalloc(cf->pool,
                                   sizeof("Mon, 28 Sep 1970 06:00:00 GMT"));
    if (data->last_modified.data == NULL) {
        return NULL;
    }

    data->last_modified.len = ngx_http_time(data->last_modified.data,
                                    (time_t) data->blob.header->build_time)
                              - data->last_modified.data;
    data->loaded = ngx_time();

    d = ngx_array_push(&gmcf->blobs);
    if (d == NULL) {
        return NULL;
    }

    *d = data;

    ngx_log_debug4(NGX_LOG_DEBUG_HTTP, cf->log, 0,
                   "glossary \"%V\" loaded: %uz bytes, %ui terms, build %V",
                   path, size, (ngx_uint_t) data->blob.term_count,
                   &data->build_id);

    return data;

failed:

    if (ngx_close_file(fd) == NGX_FILE_ERROR) {
        ngx_log_error(NGX_LOG_ALERT, cf->log, ngx_errno,
                      ngx_close_file_n " \"%V\" failed", path);
    }

    return NULL;
}


/*
 * The blob is read into anonymous memory rather than mapped from its file:
 * a file overwritten or truncated in place under a file mapping would
 * change bodies under live requests or kill workers with SIGBUS (even a
 * private mapping's copied pages go when the file is truncated).  The
 * snapshot is made read-only before the workers are forked, so master and
 * workers share its pages and none ever gets a private copy.  The costs:
 * the memory is anonymous (not dropped under pressure as page cache is),
 * and a reload holds two snapshots until the old workers exit.
 *
 * What filling gigabytes of fresh memory costs is mostly the kernel's:
 * a fault and a zeroed page per 4 KiB.  So the file is read a window at a
 * time, each window's pages made present at once (MADV_POPULATE_WRITE,
 * one call instead of a fault a page; a hint, ignored where the kernel
 * has none) and hashed while it is in the CPU's cache (checksum; NULL
 * with verify=lazy).  No huge pages: where free memory goes back to a
 * hypervisor, fresh 2 MiB pages are the slowest to get.
 */

static void *
ngx_http_glossary_snapshot(ngx_conf_t *cf, ngx_fd_t fd, size_t size,
    ngx_str_t *path, uint64_t *checksum)
{
    u_char        *p;
    size_t         done, n, skip;
    ssize_t        got;
    XXH3_state_t  *st;

    st = NULL;

    p = mmap(NULL, size, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS,
             -1, 0);
    if (p == MAP_FAILED) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, ngx_errno,
                           "mmap(%uz) for glossary \"%V\" failed",
                           size, path);
        return NULL;
    }

    if (checksum != NULL) {
        st = XXH3_createState();
        if (st == NULL || XXH3_64bits_reset(st) != XXH_OK) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "glossary \"%V\": no memory for its checksum",
                               path);
            goto failed;
        }
    }

    for (done = 0; done < size; done += n) {
        n = ngx_min(size - done, NGX_HTTP_GLOSSARY_WINDOW);

#ifdef MADV_POPULATE_WRITE
        (void) madvise(p + done, n, MADV_POPULATE_WRITE);
#endif

        got = pread(fd, p + done, n, (off_t) done);

        if (got == -1) {
            if (ngx_errno == NGX_EINTR) {
                n = 0;
                continue;
            }

            ngx_conf_log_error(NGX_LOG_EMERG, cf, ngx_errno,
                               "pread() \"%V\" failed", path);
            goto failed;
        }

        if (got == 0) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "glossary \"%V\" shrank while being read "
                               "(%uz of %uz bytes)", path, done, size);
            goto failed;
        }

        n = (size_t) got;

        if (st != NULL) {
            skip = (done < GLOSSARY_CHECKSUM_FROM)
                   ? ngx_min(GLOSSARY_CHECKSUM_FROM - done, n) : 0;
            (void) XXH3_64bits_update(st, p + done + skip, n - skip);
        }
    }

    if (st != NULL) {
        *checksum = XXH3_64bits_digest(st);
        XXH3_freeState(st);
        st = NULL;
    }

    if (mprotect(p, size, PROT_READ) == -1) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, ngx_errno,
                           "mprotect() for glossary \"%V\" failed", path);
        goto failed;
    }

    return p;

failed:

    if (st != NULL) {
        XXH3_freeState(st);
    }

    if (munmap(p, size) == -1) {
        ngx_log_error(NGX_LOG_ALERT, cf->log, ngx_errno,
                      "munmap(%uz) \"%V\" failed", size, path);
    }

    return NULL;
}


/*
 * "glossary path mmap": the file itself is mapped, for blobs too large to
 * copy at every reload.  Nothing is copied and the page cache is shared
 * with everything else that reads the file, but the file must then only
 * ever be replaced by a rename (as glossaryc does): written over in place,
 * it changes under live requests, and truncated, it kills workers with
 * SIGBUS.
 */

static void *
ngx_http_glossary_map(ngx_conf_t *cf, ngx_fd_t fd, size_t size,
    ngx_str_t *path, ngx_uint_t lazy)
{
    void  *p;

    /*
     * populated when verified in full: the checksum reads every page at
     * once anyway; lazily, the pages are faulted in as they are used
     */
    p = mmap(NULL, size, PROT_READ, MAP_SHARED|(lazy ? 0 : MAP_POPULATE),
             fd, 0);
    if (p == MAP_FAILED) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, ngx_errno,
                           "mmap(%uz) \"%V\" failed", size, path);
        return NULL;
    }

    if (lazy) {
        ngx_http_glossary_willneed(p, size);
    }

    return p;
}


/*
 * A lazy load reads the index and the eager strings, a few percent of the
 * file, at scattered places: from a cold page cache, 64 KiB faults one
 * after another (the reader's open of 1,000,000 terms took 1.2 to 1.35 s
 * here, 0.8 to 0.9 s with this hint).  So the kernel is asked to read
 * them ahead, all at once.  Only a hint: the header is not checked yet, so every range is
 * clamped to the file, and the reader checks everything after this.
 */

static void
ngx_http_glossary_willneed(u_char *p, size_t size)
{
    size_t                     page;
    uint64_t                   off, len, eager, strings;
    uint32_t                   i, n;
    glossary_header_t          h;
    glossary_section_t         s;
    glossary_chunks_t          c;

    page = (size_t) ngx_pagesize;
    strings = size;
    eager = 0;

    ngx_memcpy(&h, p, sizeof(glossary_header_t));

    n = ngx_min(h.section_count, 64);

    if (h.section_table > size
        || (uint64_t) n * sizeof(glossary_section_t) > size - h.section_table)
    {
        return;
    }

    for (i = 0; i < n; i++) {
        ngx_memcpy(&s, p + h.section_table + i * sizeof(glossary_section_t),
                   sizeof(glossary_section_t));

        if (s.offset > size || s.size > size - s.offset) {
            continue;
        }

        if (s.id == GLOSSARY_SECTION_STRINGS) {
            strings = s.offset;
            continue;
        }

        if (s.id == GLOSSARY_SECTION_CHUNKS
            && s.size >= sizeof(glossary_chunks_t))
        {
            ngx_memcpy(&c, p + s.offset, sizeof(glossary_chunks_t));
            eager = c.eager_size;
        }

        off = s.offset & ~((uint64_t) page - 1);
        len = s.offset + s.size - off;

        (void) madvise(p + off, len, MADV_WILLNEED);
    }

    if (strings < size) {
        off = strings & ~((uint64_t) page - 1);
        len = ngx_min(eager, size - strings) + (strings - off);

        (void) madvise(p + off, len, MADV_WILLNEED);
    }
}


static void
ngx_http_glossary_cleanup(void *data)
{
    ngx_http_glossary_data_t  *gd = data;

    if (gd->start == NULL) {
        return;
    }

    if (munmap(gd->start, gd->size) == -1) {
        ngx_log_error(NGX_LOG_ALERT, ngx_cycle->log, ngx_errno,
                      "munmap(%uz) \"%V\" failed", gd->size, &gd->path);
    }

    gd->start = NULL;
}
