#!/usr/bin/perl

# The C tests of the blob reader, t/blob/test_*.c: one program per concern,
# built by the Makefile into $GLOSSARY_BUILD (make test builds them; make
# test-blob builds and runs them alone).  Each prints TAP; their checks
# are passed through here under one running number, with their diagnostics,
# followed by one check per program that it ran to the end: exit status 0
# and a plan that matches its checks.  A program that is not built fails.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Glossary ();

use File::Spec;

my @programs = qw(header records lazy chunks large autolink search);

my $build = Test::Glossary::build_dir();
my $n = 0;
my $failed = 0;

$| = 1;

sub check {
    my ($ok, $name, @diag) = @_;
    $n++;
    $failed++ unless $ok;
    print +($ok ? '' : 'not '), "ok $n - $name\n";
    print "# $_\n" for @diag;
}

for my $p (@programs) {
    my $bin = File::Spec->catfile($build, "test_blob_$p");

    if (!-x $bin) {
        check(0, "test_blob_$p is built",
              "$bin is missing: run make test-progs (make test builds it)");
        next;
    }

    open my $fh, '-|', $bin or do {
        check(0, "test_blob_$p runs", "$bin: $!");
        next;
    };

    my ($checks, $plan) = (0, undef);

    while (my $line = <$fh>) {
        if ($line =~ /^(not )?ok \d+(?: - (.*))?$/) {
            $checks++;
            check(!defined $1, "$p: " . ($2 // ''));
        } elsif ($line =~ /^1\.\.(\d+)\s*$/) {
            $plan = $1;
        } elsif ($line =~ /^#/) {
            print $line;
        } else {
            print "# $line";
        }
    }

    close $fh;
    my $status = $? & 127 ? 'signal ' . ($? & 127) : 'status ' . ($? >> 8);

    check($? == 0 && defined $plan && $plan == $checks,
          "test_blob_$p ran to the end: $status, plan "
          . ($plan // 'none') . ", $checks checks");
}

print "1..$n\n";

exit($failed > 254 ? 254 : $failed);
