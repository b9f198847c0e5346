# glossaryc's operator commands: --version (and that the release agrees
# with debian/changelog and the manual page), info --json, diff OLD NEW
# with its diff(1) exit statuses, the progress line of build on a
# terminal only, and the manual page.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Glossary;
use Test::Glossary::CLI;

use File::Spec;
use JSON::PP ();

cli_required();

my $root = repo_root();
my $bin = glossaryc_path();
my $man = File::Spec->catfile($root, 'src', 'compiler', 'glossaryc.1');
my $tmp = cli_dir();
my $json = JSON::PP->new->utf8->canonical;


sub term {
    my ($slug, %f) = @_;
    return { slug => $slug, term => uc $slug, %f };
}

sub blob {
    my ($name, $terms, $epoch) = @_;
    put("$name.json", $json->encode($terms));
    my ($rc, undef, $err) = glossaryc(
        { env => { SOURCE_DATE_EPOCH => $epoch // 1700000000 } },
        'build', '-q', '-o', "$name.glossary", "$name.json");
    die "build $name: $err" if $rc;
    return "$name.glossary";
}


# --version

my ($rc, $out, $err) = glossaryc('--version');
is($rc, 0, '--version exits 0');
like($out, qr/^glossaryc (\d+\.\d+\.\d+) \(blob format 2\.\d+\)\n\z/,
     '--version: release and blob format');
my ($release) = $out =~ /^glossaryc (\S+)/;

my ($deb) = (slurp(File::Spec->catfile($root, 'debian', 'changelog')) // '')
            =~ /^\S+ \(([^)]+)\)/;
is($deb, $release, 'debian/changelog has the same version');

my ($th) = (slurp($man) // '') =~ /^\.TH GLOSSARYC 1 \S+ "glossaryc ([^"]+)"/m;
is($th, $release, 'the manual page names the same version');


# info --json

my @base = (term('alpha', category => 'one', shortDefinition => 'first',
                 relatedTerms => [{ slug => 'beta', name => 'Beta' }]),
            term('beta', shortDefinition => 'second'),
            term('gamma'),
            term('delta'));

my $a = blob('a', \@base);

($rc, $out, $err) = glossaryc('info', '--json', $a);
is($rc, 0, 'info --json exits 0') or diag($err);
like($out, qr/^\{.*\}\n\z/s, 'one JSON object on one line');
my $info = eval { $json->decode($out) } || {};

my ($trc, $text) = glossaryc('info', $a);
my %t = $text =~ /^([a-z ]+):\s+(.*)$/mg;

is($info->{path}, $a, 'path');
is($info->{build}, $t{'build id'}, 'build as in info');
is($info->{checksum}, "xxh3:$info->{build}", 'checksum');
is($info->{version}, $t{format}, 'format version');
is($info->{terms}, 4, 'terms');
is($info->{bytes}, -s "$tmp/$a", 'bytes is the file size');
is($info->{build_time}, '2023-11-14T22:13:20Z', 'build_time');
is($info->{build_time_epoch}, 1700000000, 'build_time_epoch');
is($info->{docs_per_term}, $t{'docs per term'}, 'docs_per_term');
is($info->{global_docs}, $t{'global docs'}, 'global_docs');
is($info->{related}, 1, 'related');
is($info->{hash_buckets}, $t{'hash buckets'}, 'hash_buckets');
is(scalar @{ $info->{sections} || [] }, $t{sections}, 'one entry per section');
is_deeply([ (map { $_->{name} } @{ $info->{sections} })[0 .. 1] ],
          ['STRINGS', 'TERMS'], 'sections have names')
    or diag($out);
is_deeply($info->{kinds}, [split /, /, $t{kinds}], 'kinds as in info');
is_deeply($info->{kinds}, [qw(json html payload)], 'kinds: all three');
ok($info->{gzip} && $t{gzip} eq 'yes', 'gzip: true');
my %docs = map { $_->{kind} => $_ } @{ $info->{documents} || [] };
is_deeply([sort keys %docs],
          [sort qw(term-json related-json term-html payload search-json
                   search-html global+category)],
          'documents: one entry per kind held, and the others');
is($docs{'term-json'}{count}, 4, 'documents: the term JSON of 4 terms');
is($docs{'term-json'}{bytes}, ($text =~ /^  term-json +\d+ +(\d+)/m)[0],
   'documents: bytes as in info');

($rc, $out, $err) = glossaryc('info', '--json', 'nothing.glossary');
is($rc, 3, 'info --json on a missing file: I/O error');
is($out, '', 'and no output');

put('bad.glossary', 'GLOSSARY' . ("\0" x 200));
($rc, $out, $err) = glossaryc('info', '--json', 'bad.glossary');
is($rc, 1, 'info --json on an invalid blob: 1');
like($err, qr/^bad\.glossary: /, 'with the reason');


# diff

($rc, $out, $err) = glossaryc('diff', $a, $a);
is($rc, 0, 'diff of a blob with itself: 0');
is($out, "--- a.glossary\tbuild $info->{build}, 4 terms, built 2023-11-14T22:13:20Z\n"
         . "+++ a.glossary\tbuild $info->{build}, 4 terms, built 2023-11-14T22:13:20Z\n"
         . "0 added, 0 removed, 0 changed, 4 unchanged\n",
   'headers and a summary');

my $same = blob('same', \@base, 1800000000);
($rc, $out) = glossaryc('diff', $a, $same);
is($rc, 0, 'same documents at another build time: 0');
like($out, qr/^0 added, 0 removed, 0 changed, 4 unchanged; same documents, another build time \(Last-Modified\)$/m,
     'the summary says so');

my @next = (term('alpha', category => 'one', shortDefinition => 'first',
                 relatedTerms => [{ slug => 'beta', name => 'Beta' }]),
            term('beta', shortDefinition => 'edited'),
            term('delta'),
            term('epsilon'),
            term('aardvark'));
my $b = blob('b', \@next, 1700000100);

($rc, $out, $err) = glossaryc('diff', $a, $b);
is($rc, 1, 'diff of different blobs: 1') or diag($err);
my @lines = split /\n/, $out;
is_deeply([ @lines[2 .. $#lines - 1] ],
          ['+ aardvark',
           '~ alpha',
           '~ beta',
           '+ epsilon',
           '- gamma'],
          'one line per term in slug order (alpha changes with the '
          . 'short definition of its related term)')
    or diag($out);
like($lines[-1], qr/^2 added, 1 removed, 2 changed, 1 unchanged; also changed: index(?:, [a-z0-9 ]+)*$/,
     'then the summary, naming the other documents that changed');
like($lines[1], qr/^\+\+\+ b\.glossary\tbuild [0-9a-f]{16}, 5 terms, built 2023-11-14T22:15:00Z$/,
     'the new blob\'s header');

($rc, $out, $err) = glossaryc('diff', '-q', $a, $b);
is($rc, 1, 'diff -q: 1');
is($out . $err, '', 'diff -q prints nothing');

($rc, $out, $err) = glossaryc('diff', '--quiet', $a, $a);
is($rc, 0, 'diff --quiet of the same: 0');

($rc, $out, $err) = glossaryc('diff', $a);
is($rc, 2, 'diff with one file: 2');
like($err, qr/diff takes OLD NEW/, 'usage message');

($rc, $out, $err) = glossaryc('diff', '-x', $a, $b);
is($rc, 2, 'diff with an unknown option: 2');

($rc, $out, $err) = glossaryc('diff', $a, 'nothing.glossary');
is($rc, 2, 'diff with a missing file: 2');
like($err, qr/nothing\.glossary: No such file/, 'names it');

($rc, $out, $err) = glossaryc('diff', 'bad.glossary', $a);
is($rc, 2, 'diff with an invalid blob: 2');


# progress: on a terminal only, and only for large inputs

my $filler = 'x' x 2000;
for my $f (0 .. 29) {
    put(sprintf('big/f%02d.json', $f),
        $json->encode([ map { term("t$f-$_", explanation => $filler) }
                        1 .. 100 ]));
}

($rc, $out, $err) = glossaryc('build', '--base-url', 'https://example.com/',
                              '-o', 'big.glossary', 'big');
is($rc, 0, 'a large build');
is($err, "glossaryc: big.glossary: 3000 terms, " . (-s "$tmp/big.glossary")
         . " bytes, build " . ($err =~ /build ([0-9a-f]{16})/)[0] . "\n",
   'not a terminal: only the summary on stderr');

SKIP: {
    my $script = (grep { -x "$_/script" } split /:/, $ENV{PATH})[0];
    skip 'no script(1) to run the compiler on a terminal', 6
        unless $script;

    ($rc, $out) = run("$script/script", '-qec',
                      "'$bin' build --base-url https://example.com/ "
                      . "-o big2.glossary big", '/dev/null');
    is($rc, 0, 'a large build on a terminal');
    like($out, qr/\rglossaryc: reading \d+\/30 files, [\d.]+\/[\d.]+ MB, \d+ terms\e\[K/,
         'a progress line: files, megabytes, terms');
    like($out, qr/\rglossaryc: read 30 files, [\d.]+ MB, 3000 terms; rendering/,
         'then rendering');
    like($out, qr/\r\e\[Kglossaryc: big2\.glossary: 3000 terms/,
         'erased before the summary');

    ($rc, $out) = run("$script/script", '-qec',
                      "'$bin' build -q -o big3.glossary big", '/dev/null');
    is($out, '', '--quiet on a terminal: nothing');

    ($rc, $out) = run("$script/script", '-qec',
                      "'$bin' build -o small.glossary a.json", '/dev/null');
    unlike($out, qr/reading/, 'a small input on a terminal: no progress');
}


# the manual page

like(slurp($man), qr/^\.SH "EXIT STATUS"/m, 'the manual page has EXIT STATUS');

for my $cmd (qw(build verify info get diff)) {
    like(slurp($man), qr/^\.B(?:I)? $cmd\b/m, "the manual page documents $cmd");
}

# every long option of --help is in the manual page (as roff: \-\-name)
(undef, my $help) = glossaryc('--help');
my %opts = map { $_ => 1 } $help =~ /(?<![\w-])(--[a-z][a-z-]*)/g;
for my $o (sort keys %opts) {
    (my $roff = $o) =~ s/-/\\-/g;
    ok(index(slurp($man), $roff) >= 0, "the manual page documents $o");
}

SKIP: {
    my $mancmd = (grep { -x "$_/man" } split /:/, $ENV{PATH})[0];
    skip 'no man(1)', 2 unless $mancmd;

    local $ENV{MANWIDTH} = 80;
    ($rc, $out, $err) = run("$mancmd/man", '-l', $man);
    is($rc, 0, 'man -l renders it');
    like($out, qr/glossaryc - compile and inspect blobs/, 'its NAME line');
}


done_testing();
