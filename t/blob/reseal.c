/*
 * reseal FILE: writes into the blob FILE the checksum of its bytes as they
 * are now (XXH3-64 of bytes 24 to the end, at offset 16), so that a test
 * that changed a byte reaches the checks behind the checksum (a chunk
 * hash, with glossaryc verify).  Nothing else is touched.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glossary_blob.h"


int
main(int argc, char **argv)
{
    long            size;
    FILE           *f;
    uint64_t        sum;
    unsigned char  *p;

    if (argc != 2) {
        fprintf(stderr, "usage: reseal FILE\n");
        return 2;
    }

    f = fopen(argv[1], "r+b");
    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0
        || fseek(f, 0, SEEK_SET) != 0)
    {
        fprintf(stderr, "reseal: %s: %s\n", argv[1], strerror(errno));
        return 1;
    }

    p = malloc(size ? (size_t) size : 1);
    if (p == NULL || fread(p, 1, (size_t) size, f) != (size_t) size) {
        fprintf(stderr, "reseal: %s: cannot read it\n", argv[1]);
        return 1;
    }

    sum = glossary_blob_checksum(p, (size_t) size);

    if (size < GLOSSARY_CHECKSUM_FROM
        || fseek(f, offsetof(glossary_header_t, checksum), SEEK_SET) != 0
        || fwrite(&sum, sizeof(sum), 1, f) != 1 || fclose(f) != 0)
    {
        fprintf(stderr, "reseal: %s: cannot write the checksum\n", argv[1]);
        return 1;
    }

    free(p);

    return 0;
}
