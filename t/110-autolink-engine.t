#!/usr/bin/perl

# The C tests of the autolink engine (issue 16): t/autolink/test_autolink.c
# prints TAP, passed through as it is.  Runs $GLOSSARY_BUILD/test_autolink
# (make test-autolink) when it is newer than its sources, otherwise builds a
# private copy first.  With Debian's python3 and python3-html5lib, the
# rewritten pages are also parsed by html5lib (t/autolink/html5_same_tree.py);
# without them those checks skip.

use strict;
use warnings;

use File::Basename qw(dirname);
use File::Spec;
use File::Temp qw(tempdir);

my $root = dirname(dirname(File::Spec->rel2abs(__FILE__)));
my $build = $ENV{GLOSSARY_BUILD} || "$root/build";
my $bin = "$build/test_autolink";

my @srcs = map { "$root/$_" } qw(t/autolink/test_autolink.c
    src/blob/glossary_autolink.c src/compiler/glossary_autolink_build.c);
my @deps = (@srcs, map { "$root/$_" }
    qw(src/blob/glossary_autolink.h src/compiler/glossary_autolink_build.h));

my $tmp;

if (!-x $bin || grep { (stat $_)[9] > (stat $bin)[9] } @deps) {
    $tmp = tempdir('glossary-test-autolink-XXXXXX', TMPDIR => 1,
                   CLEANUP => 1);
    $bin = "$tmp/test_autolink";

    my @cmd = ($ENV{CC} || 'cc', qw(-O1 -g -Wall -Wextra -Werror -std=gnu11
        -D_GNU_SOURCE), "-I$root/src/blob", "-I$root/src/compiler", '-o',
        $bin, @srcs, '-lutf8proc');

    if (system(@cmd) != 0) {
        print "Bail out! cannot build test_autolink: @cmd\n";
        exit 255;
    }
}

my @args;
my $python = '/usr/bin/python3';

if (-x $python) {
    @args = ('--html5', $python, "$root/t/autolink/html5_same_tree.py");
}

$| = 1;

my $rc = system($bin, @args);

exit($rc == -1 ? 255 : $rc >> 8);
