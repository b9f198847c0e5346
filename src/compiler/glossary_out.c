/*
 * glossaryc's output file (glossary_out.h).
 */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "glossary_out.h"
#include "glossaryc.h"


static void glossary_on_signal(int signo);
static void glossary_on_exit(void);
static void glossary_out_restore(glossary_out_t *o);


/* the file a signal handler or exit() removes */
static const char *volatile  glossary_tmp_path;


int
glossary_out_open(glossary_out_t *o, const char *out)
{
    int                 i;
    size_t              dlen;
    const char         *name, *slash;
    struct sigaction    sa;

    static int          registered;
    static const int    signals[4] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

    memset(o, 0, sizeof(glossary_out_t));
    o->fd = -1;

    if (!registered) {
        atexit(glossary_on_exit);
        registered = 1;
    }

    slash = strrchr(out, '/');

    if (slash == NULL) {
        o->dir = glossary_xstrndup(".", 1);
        name = out;

    } else {
        dlen = slash == out ? 1 : (size_t) (slash - out);
        o->dir = glossary_xstrndup(out, dlen);
        name = slash + 1;
    }

    if (*name == '\0') {
        glossary_error("%s: the output must name a file", out);
        free(o->dir);
        o->dir = NULL;
        return GLOSSARY_EXIT_USAGE;
    }

    o->tmp = glossary_xmalloc(strlen(o->dir) + strlen(name) + 16);
    sprintf(o->tmp, "%s/.%s.XXXXXX", o->dir, name);

    memset(&sa, 0, sizeof(struct sigaction));
    sa.sa_handler = glossary_on_signal;
    sigemptyset(&sa.sa_mask);

    for (i = 0; i < 4; i++) {
        sigaction(signals[i], &sa, &o->saved[i]);
    }

    o->fd = mkostemp(o->tmp, O_CLOEXEC);

    if (o->fd == -1) {
        glossary_error("%s: cannot create a temporary file in \"%s\": %s",
                       out, o->dir, strerror(errno));
        glossary_out_restore(o);
        return GLOSSARY_EXIT_IO;
    }

    glossary_tmp_path = o->tmp;

    if (fchmod(o->fd, 0644) == -1) {
        glossary_error("%s: fchmod: %s", o->tmp, strerror(errno));
        glossary_out_abort(o);
        return GLOSSARY_EXIT_IO;
    }

    return GLOSSARY_EXIT_OK;
}


int
glossary_out_write(glossary_out_t *o, const void *p, size_t size,
    uint64_t off)
{
    if (glossary_pwrite_all(o->fd, p, size, (off_t) off) == -1) {
        glossary_error("%s: write: %s", o->tmp, strerror(errno));
        return GLOSSARY_EXIT_IO;
    }

    return GLOSSARY_EXIT_OK;
}


int
glossary_out_commit(glossary_out_t *o, const char *out)
{
    int  dfd, rc;

    if (fsync(o->fd) == -1) {
        glossary_error("%s: fsync: %s", o->tmp, strerror(errno));
        glossary_out_abort(o);
        return GLOSSARY_EXIT_IO;
    }

    rc = close(o->fd);
    o->fd = -1;

    if (rc == -1) {
        glossary_error("%s: close: %s", o->tmp, strerror(errno));
        glossary_out_abort(o);
        return GLOSSARY_EXIT_IO;
    }

    if (rename(o->tmp, out) == -1) {
        glossary_error("%s: cannot rename \"%s\" over it: %s", out, o->tmp,
                       strerror(errno));
        glossary_out_abort(o);
        return GLOSSARY_EXIT_IO;
    }

    glossary_tmp_path = NULL;
    rc = GLOSSARY_EXIT_OK;

    /* the rename itself must reach the disk too */
    dfd = open(o->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (dfd == -1 || fsync(dfd) == -1) {
        glossary_error("%s: fsync of directory \"%s\": %s", out, o->dir,
                       strerror(errno));
        rc = GLOSSARY_EXIT_IO;
    }

    if (dfd != -1) {
        close(dfd);
    }

    glossary_out_restore(o);

    return rc;
}


void
glossary_out_abort(glossary_out_t *o)
{
    if (o->fd != -1) {
        close(o->fd);
        o->fd = -1;
    }

    if (o->tmp != NULL) {
        unlink(o->tmp);
        glossary_tmp_path = NULL;
        glossary_out_restore(o);
    }
}


int
glossary_pwrite_all(int fd, const unsigned char *p, size_t size, off_t off)
{
    ssize_t  n;

    while (size > 0) {
        n = pwrite(fd, p, size > ((size_t) 1 << 30) ? (size_t) 1 << 30 : size,
                   off);

        if (n == -1) {
            if (errno == EINTR) {
                continue;
            }

            return -1;
        }

        p += n;
        off += n;
        size -= n;
    }

    return 0;
}


/* an interrupted build leaves no temporary file behind */
static void
glossary_on_signal(int signo)
{
    if (glossary_tmp_path != NULL) {
        unlink(glossary_tmp_path);
    }

    signal(signo, SIG_DFL);
    raise(signo);
}


/* nor does a build that exits on a fatal error (out of memory) */
static void
glossary_on_exit(void)
{
    if (glossary_tmp_path != NULL) {
        unlink(glossary_tmp_path);
    }
}


static void
glossary_out_restore(glossary_out_t *o)
{
    int  i;

    static const int  signals[4] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

    for (i = 0; i < 4; i++) {
        sigaction(signals[i], &o->saved[i], NULL);
    }

    free(o->tmp);
    free(o->dir);
    o->tmp = NULL;
    o->dir = NULL;
}
