/*
 * glossaryc verify FILE: the check nginx runs when it loads FILE, and the
 * hash of every chunk that verify=lazy checks at first use.
 */

#include <stdio.h>

#include "glossaryc.h"


int
glossary_cmd_verify(int argc, char **argv)
{
    int                   rc;
    glossary_file_blob_t  fb;

    if (argc != 1) {
        return glossary_usage_error("verify takes one FILE%s", "");
    }

    /* the chunk hashes too: what verifies opens lazily as well */
    rc = glossary_open_flags(&fb, argv[0], GLOSSARY_OPEN_DEEP);
    if (rc != GLOSSARY_EXIT_OK) {
        return rc;
    }

    printf("%s: ok (%u terms, build %s)\n", argv[0],
           (unsigned) fb.blob.term_count, fb.blob.build_id);

    glossary_unload(&fb);

    return GLOSSARY_EXIT_OK;
}
