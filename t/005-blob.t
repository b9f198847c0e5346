#!/usr/bin/perl

# The C tests of the blob reader: t/blob/test_blob.c prints TAP, passed
# through as it is.  Runs $GLOSSARY_BUILD/test_blob (make test-blob) when it
# is newer than its sources, otherwise builds a private copy first.

use strict;
use warnings;

use File::Basename qw(dirname);
use File::Spec;
use File::Temp qw(tempdir);

my $root = dirname(dirname(File::Spec->rel2abs(__FILE__)));
my $build = $ENV{GLOSSARY_BUILD} || "$root/build";
my $bin = "$build/test_blob";

my @srcs = map { "$root/$_" }
    qw(t/blob/test_blob.c t/blob/make_blob.c src/blob/glossary_blob.c);
my @deps = (@srcs, map { "$root/$_" }
    qw(t/blob/make_blob.h src/blob/glossary_blob.h));

my $tmp;

if (!-x $bin || grep { (stat $_)[9] > (stat $bin)[9] } @deps) {
    $tmp = tempdir('glossary-test-blob-XXXXXX', TMPDIR => 1, CLEANUP => 1);
    $bin = "$tmp/test_blob";

    my @cmd = ($ENV{CC} || 'cc', qw(-O1 -g -Wall -Wextra -Werror -std=gnu11
        -D_GNU_SOURCE), "-I$root/src/blob", '-o', $bin, @srcs, '-lxxhash');

    if (system(@cmd) != 0) {
        print "Bail out! cannot build test_blob: @cmd\n";
        exit 255;
    }
}

$| = 1;

my $rc = system($bin);

exit($rc == -1 ? 255 : $rc >> 8);
