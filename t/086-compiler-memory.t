# The compiler's memory does not grow with the blob: glossaryc build
# writes the documents as it renders them, reads the file back a window at
# a time for the checksum and checks it without mapping it whole, and
# glossaryc verify, info, get and diff check a blob the same way.  Their
# peak resident memory (wait4's, through the Makefile-built timeit) must
# stay a fraction of the blob's size on a glossary whose documents are
# large against its input: 2,000 terms of 100 related terms each, a 250 MB
# blob from 8 MB of input.  What may grow, with the terms, is the index
# (the records and the ETags) that the structural checks read.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Glossary;
use Test::Glossary::CLI;

use File::Spec;
use Test::More;

cli_required();

my $timeit = File::Spec->catfile(Test::Glossary::build_dir(), 'timeit');
plan(skip_all => "no $timeit (run: make test-progs)") unless -x $timeit;

# a sanitizer's shadow memory and quarantine make the figures meaningless
plan(skip_all => 'memory figures under a sanitizer mean nothing')
    if ($ENV{ASAN_OPTIONS} // '') ne '';

my $N = 2000;
my $lines = '';

for my $i (1 .. $N) {
    my $rel = join(',', map {
        my $j = ($i * 7 + $_ * 13) % $N + 1;
        qq({"slug":"term-$j","name":"Term $j"})
    } 1 .. 100);
    $lines .= sprintf('{"slug":"term-%d","term":"Term %d","category":"Cat %d",'
                      . '"shortDefinition":"%s","relatedTerms":[%s]}' . "\n",
                      $i, $i, $i % 7,
                      "A short definition of term $i that says what it is. "
                      x 3, $rel);
}

put('big.jsonl', $lines);


# (exit status, peak resident KiB) of glossaryc ARGS
sub peak {
    my ($st, $out, $err) = run({ env => { SOURCE_DATE_EPOCH =>
                                          $Test::Glossary::CLI::EPOCH } },
                               $timeit, glossaryc_path(), @_);
    my ($kib) = $err =~ /maxrss_kib=(\d+)/;
    return ($st, $kib // 0, $err);
}


my ($st, $build, $err) = peak('build', '-q', '-o', 'big.blob', 'big.jsonl');
is($st, 0, 'build: 2,000 terms of 100 related terms each') or diag($err);

my $size = -s File::Spec->catfile(cli_dir(), 'big.blob');
my $mb = int($size / 1e6);
cmp_ok($size, '>', 200e6, "the blob: $mb MB from 8 MB of input");

cmp_ok($build, '<', $size / 1024 / 2,
       "build: peak memory " . int($build / 1024) . " MiB, under half the "
       . "blob (it held the whole blob in its mapping to check it)");

my ($vst, $verify) = peak('verify', 'big.blob');
is($vst, 0, 'verify: ok');
cmp_ok($verify, '<', $size / 1024 / 4,
       "verify: peak memory " . int($verify / 1024) . " MiB, under a "
       . "quarter of the blob");

for my $cmd (['info', 'big.blob'], ['get', 'big.blob', 'term-77'],
             ['diff', 'big.blob', 'big.blob'])
{
    my ($cst, $kib) = peak(@$cmd);
    is($cst, 0, "$cmd->[0]: exit 0");
    cmp_ok($kib, '<', $size / 1024 / 4,
           "$cmd->[0]: peak memory " . int($kib / 1024) . " MiB, under a "
           . "quarter of the blob");
}

done_testing();
