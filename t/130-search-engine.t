#!/usr/bin/perl

# The search engine (issue 17): the C tests of the FTS image, its writer
# and its query engine (t/fts/test_fts.c), then the small relevance check
# (t/bench/relevance, over data/ and a generated glossary), their TAP
# joined into one plan.  Runs $GLOSSARY_BUILD/test_fts and fts_tool (make
# test builds them) when they are newer than their sources, otherwise
# builds private copies first, with the sanitizers when ASAN_OPTIONS is set
# (make test-asan).

use strict;
use warnings;

use File::Basename qw(dirname);
use File::Spec;
use File::Temp qw(tempdir);

my $root = dirname(dirname(File::Spec->rel2abs(__FILE__)));
my $build = $ENV{GLOSSARY_BUILD} || "$root/build";
my $tmp;

my @fts = map { "$root/$_" } qw(src/blob/glossary_fts.c
    src/blob/glossary_fts_query.c src/blob/glossary_fold.c
    src/blob/glossary_blob.c src/blob/glossary_autolink.c
    src/compiler/glossary_fts_build.c);
my @hdrs = map { "$root/$_" } qw(src/blob/glossary_fts.h
    src/blob/glossary_fold.h src/blob/glossary_blob.h
    src/blob/glossary_autolink.h
    src/compiler/glossary_fts_build.h src/compiler/glossary_input.h);

sub binary {
    my ($name, $main, @extra) = @_;
    my $bin = "$build/$name";
    my @srcs = ("$root/$main", @fts, @extra);

    return $bin if -x $bin
        && !grep { (stat $_)[9] > (stat $bin)[9] } (@srcs, @hdrs);

    $tmp //= tempdir('glossary-test-fts-XXXXXX', TMPDIR => 1, CLEANUP => 1);
    $bin = "$tmp/$name";

    my @cmd = ($ENV{CC} || 'cc', qw(-O1 -g -Wall -Wextra -Werror -std=gnu11
        -D_GNU_SOURCE), "-I$root/src/blob", "-I$root/src/compiler");
    push @cmd, '-fsanitize=address,undefined', '-fno-sanitize-recover=all'
        if $ENV{ASAN_OPTIONS};
    push @cmd, '-o', $bin, @srcs;
    push @cmd, $name eq 'test_fts'
        ? ('-lxxhash', '-Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc')
        : ('-lyajl', '-lxxhash');

    if (system(@cmd) != 0) {
        print "Bail out! cannot build $name: @cmd\n";
        exit 255;
    }

    return $bin;
}

$| = 1;

my $count = 0;
my $failed = 0;

# runs a TAP program and passes its checks on, renumbered
sub run_tap {
    my ($what, @cmd) = @_;
    my $seen = 0;

    open(my $fh, '-|', @cmd) or do {
        print "Bail out! cannot run $what\n";
        exit 255;
    };

    while (my $line = <$fh>) {
        if ($line =~ /^(not )?ok \d+(.*)$/s) {
            $count++;
            $seen++;
            $failed++ if $1;
            print(($1 // '') . "ok $count$2");

        } elsif ($line =~ /^#/) {
            print $line;

        } elsif ($line !~ /^1\.\.\d+/) {
            print "# $line";
        }
    }

    close($fh);
    my $rc = $? >> 8;

    $count++;
    print(($rc == 0 && $seen ? '' : 'not ')
          . "ok $count - $what exited with $rc after $seen checks\n");
    $failed++ if $rc != 0 || !$seen;
}

run_tap('test_fts', binary('test_fts', 't/fts/test_fts.c'));

my $tool = binary('fts_tool', 't/fts/fts_tool.c',
                  map { "$root/src/compiler/$_" } qw(glossary_input.c
                      glossary_model.c glossaryc_common.c));

if (-x "$root/t/bench/relevance") {
    run_tap('relevance (small)', "$root/t/bench/relevance", '--tap',
            '--tool', $tool, '--small');
}

print "1..$count\n";

exit($failed ? 1 : 0);
