# glossaryc: input forms, exact bodies, atomic publishing, --max-size,
# verify/info/get, reproducible builds, streaming (the same blob and the
# same messages in every read size) and the payload's memory bound.  Its error cases, each with its
# exact FILE:LINE:COLUMN and exit status, are t/007-compiler-errors.t.
# Fixtures are written into the working directory of Test::Glossary::CLI,
# so messages name short relative paths.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Glossary;
use Test::Glossary::CLI;
use Test::Glossary::Blob qw(blob_parse blob_doc blob_areas);

use File::Spec;
use IO::Uncompress::Gunzip ();
use JSON::PP ();

cli_required();

my $root = repo_root();
my $tmp = cli_dir();
my $json = JSON::PP->new->utf8->canonical;

my $seed_src = File::Spec->catfile($root, 'data',
                                   'hardware-software-co-design.payload.json');

my $EPOCH = $Test::Glossary::CLI::EPOCH;


sub jstr {
    return JSON::PP->new->utf8->allow_nonref->encode($_[0]);
}


# the seed payload

{
    my $seed = slurp($seed_src);
    ok(defined $seed, 'seed payload is in data/');
    put('seed.json', $seed);

    my ($st, $err) = build('seed.blob', 'seed.json');
    is($st, 0, 'seed: builds');
    like($err, qr/\Aglossaryc: 3 related references to terms not in the glossary \(first: hardware-software-co-design -> cuda\)\n/,
         'seed: dangling summary names the first dangling reference');

    my $payload = JSON::PP->new->utf8->decode($seed);
    my $term = devalue($payload, 3);

    my $body = get('seed.blob', 'hardware-software-co-design');
    my $got = eval { $json->decode($body) };
    ok($got, 'seed: body is JSON') or diag($body);

    for my $k (qw(slug term shortDefinition seoTitle seoDescription
                  explanation category))
    {
        is($got->{$k}, $term->{$k}, "seed: $k byte-exact");
    }

    is_deeply($got->{faq}, $term->{faq}, 'seed: faq');
    is_deeply($got->{relatedTerms}, $term->{relatedTerms},
              'seed: dangling related entries are slug and name only');
    like($got->{explanation}, qr/\n\nExamples of hardware-software/,
         'seed: paragraphs keep their blank line');

    is(get('seed.blob', 'hardware-software-co-design', 'related'),
       '[{"slug":"cuda","name":"CUDA"},{"slug":"tpu","name":"TPU"},'
       . '{"slug":"nvidia","name":"NVIDIA"}]',
       'seed: related body, dangling');
    is(get('seed.blob', ''),
       '[{"slug":"hardware-software-co-design",'
       . '"term":"Hardware-Software Co-Design","category":"hardware"}]',
       'seed: index body');

    my ($vs, $vout) = glossaryc('verify', 'seed.blob');
    is($vs, 0, 'verify: ok');
    like($vout, qr/\Aseed\.blob: ok \(1 terms, build [0-9a-f]{16}\)\n\z/,
         'verify: message');
}


# data/: every related reference resolves

{
    my ($st, $err) = build('data.blob', File::Spec->catdir($root, 'data'));
    is($st, 0, 'data/: builds');
    unlike($err, qr/related reference/, 'data/: no dangling references');
    like($err, qr/data\.blob: (\d+) terms/, 'data/: summary');
    my ($n) = $err =~ /data\.blob: (\d+) terms/;
    cmp_ok($n // 0, '>=', 20, 'data/: at least 20 terms');

    my $index = $json->decode(get('data.blob', '--index'));
    my %slugs = map { $_->{slug} => 1 } @$index;
    ok($slugs{$_}, "data/: has $_") for qw(cuda tpu nvidia gpu
                                           hardware-software-co-design);

    for my $s (qw(cuda tpu nvidia)) {
        my $t = $json->decode(get('data.blob', $s));
        my ($back) = grep { $_->{slug} eq 'hardware-software-co-design' }
                     @{ $t->{relatedTerms} };
        is($back && $back->{term}, 'Hardware-Software Co-Design',
           "data/: $s relates back to the seed, resolved");
    }

    my $seed = $json->decode(get('data.blob', 'hardware-software-co-design'));
    is_deeply([ map { exists $_->{term} ? 1 : 0 } @{ $seed->{relatedTerms} } ],
              [1, 1, 1], 'data/: the seed\'s related terms resolve');
    is($seed->{relatedTerms}[0]{shortDefinition},
       $json->decode(get('data.blob', 'cuda'))->{shortDefinition},
       'data/: related entries carry the target\'s shortDefinition');
}


# a payload with reducers, shared strings and several terms

my $P1 = '[{"data":1,"prerenderedAt":-1},["Reactive",2],'
       . '{"list":3,"when":20,"n":21,"s":22},["ShallowRef",4],[5,12],'
       . '{"slug":6,"term":7,"shortDefinition":8,"category":9,'
       . '"relatedTerms":10,"faq":-1,"extra":23},'
       . '"alpha","Alpha","First letter.","letters",["Ref",11],[13],'
       . '{"slug":14,"term":15,"category":9,"relatedTerms":16,'
       . '"explanation":-2,"faq":24},'
       . '{"slug":6,"name":7},"beta","Beta",[17,18],{"slug":6,"name":7},'
       . '{"slug":19,"name":7},"gamma",["Date","2024-01-01T00:00:00.000Z"],'
       . '-3,["Set",1,2],"x",["ShallowReactive",25],[26],'
       . '{"question":27,"answer":27},"Why?"]';

{
    put('p1.json', "$P1\n");
    my ($st, $err) = build('p1.blob', 'p1.json');
    is($st, 0, 'payload with reducers: builds') or diag($err);
    is($err, "glossaryc: 1 related reference to a term not in the glossary "
             . "(first: beta -> gamma)\n"
             . "glossaryc: no --base-url: the pages have no canonical link "
             . "or og:url, and the sitemap is empty\n"
             . "glossaryc: p1.blob: 2 terms, " . (-s "$tmp/p1.blob")
             . " bytes, build " . substr((glossaryc('verify', 'p1.blob'))[1],
                                         -18, 16) . "\n",
       'payload with reducers: summary lines');

    is(get('p1.blob', 'alpha'),
       '{"slug":"alpha","term":"Alpha","shortDefinition":"First letter.",'
       . '"seoTitle":null,"seoDescription":null,"explanation":null,'
       . '"category":"letters","relatedTerms":[{"slug":"alpha","name":"Alpha",'
       . '"term":"Alpha","shortDefinition":"First letter."}],"faq":[]}',
       'payload: term through Ref wrapper, self relation resolved');
    is(get('p1.blob', 'beta'),
       '{"slug":"beta","term":"Beta","shortDefinition":null,'
       . '"seoTitle":null,"seoDescription":null,"explanation":null,'
       . '"category":"letters","relatedTerms":[{"slug":"alpha",'
       . '"name":"Alpha","term":"Alpha","shortDefinition":"First letter."},'
       . '{"slug":"gamma","name":"Alpha"}],'
       . '"faq":[{"question":"Why?","answer":"Why?"}]}',
       'payload: shared strings, ShallowReactive faq, dangling entry');
    is(get('p1.blob', 'beta', 'related'),
       '[{"slug":"alpha","term":"Alpha","shortDefinition":"First letter."},'
       . '{"slug":"gamma","name":"Alpha"}]',
       'payload: related body');
    is(get('p1.blob', ''),
       '[{"slug":"alpha","term":"Alpha","category":"letters"},'
       . '{"slug":"beta","term":"Beta","category":"letters"}]',
       'payload: index');
}


# plain JSON forms, JSON Lines, directories

my %T = (
    a => '{"slug":"a","term":"A"}',
    b => '{"slug":"b","term":"B","category":"c"}',
    c => '{"slug":"c","term":"C","shortDefinition":null}',
);

{
    put('one.json', $T{a});
    my ($st) = build('one.blob', 'one.json');
    is($st, 0, 'object: one term');
    is(get('one.blob', 'a'),
       '{"slug":"a","term":"A","shortDefinition":null,"seoTitle":null,'
       . '"seoDescription":null,"explanation":null,"category":null,'
       . '"relatedTerms":[],"faq":[]}',
       'object: absent fields are null and []');
    is(get('one.blob', 'a', 'related'), '[]', 'object: empty related body');

    put('arr.json', "[ $T{b} ,\n $T{a} ]");
    ($st) = build('arr.blob', 'arr.json');
    is($st, 0, 'array of terms');
    is(get('arr.blob', ''), '[{"slug":"a","term":"A","category":null},'
                            . '{"slug":"b","term":"B","category":"c"}]',
       'array: index');

    put('list.json', qq({"version":2,"terms":[$T{c},$T{a}]}));
    ($st) = build('list.blob', 'list.json');
    is($st, 0, '{"terms": [...]}');
    is(get('list.blob', ''), '[{"slug":"a","term":"A","category":null},'
                             . '{"slug":"c","term":"C","category":null}]',
       '{"terms": [...]}: index');

    put('lines.jsonl', "$T{a}\n\n   \n$T{b}\r\n$T{c}");
    ($st) = build('lines.blob', 'lines.jsonl');
    is($st, 0, 'JSON Lines: blank lines, CRLF, no final newline');
    is(scalar @{ $json->decode(get('lines.blob', '')) }, 3,
       'JSON Lines: three terms');

    put('nd.ndjson', "$T{a}\n");
    ($st) = build('nd.blob', 'nd.ndjson');
    is($st, 0, '.ndjson is JSON Lines');

    put('tree/b.json', "[$T{b}]");
    put('tree/a/x.jsonl', "$T{a}\n");
    put('tree/a/.hidden.json', 'not json');
    put('tree/.git/config', 'not json');
    put('tree/c.payload.json',
        '[{"data":1},["ShallowReactive",2],{"slug":3,"term":4},"c","C"]');
    ($st, my $err) = build('tree.blob', 'tree/');
    is($st, 0, 'directory: recursed, hidden files skipped') or diag($err);
    is(get('tree.blob', ''), '[{"slug":"a","term":"A","category":null},'
                             . '{"slug":"b","term":"B","category":"c"},'
                             . '{"slug":"c","term":"C","category":null}]',
       'directory: every form in one glossary');
}


# byte-exact text: NUL, U+2028, emoji, RTL

{
    my $text = "nul\x{0}nul line\x{2028}sep emoji \x{1F600} rtl \x{5E2}\x{5D1}"
             . "\x{5E8}\x{5D9}\x{5EA} quote\" back\\ tab\t end";
    my $src = JSON::PP->new->utf8->canonical->encode({
        slug => 'x', term => $text, explanation => $text,
        faq => [ { question => $text, answer => "\x{202E}" } ],
    });
    put('exact.json', $src);
    my ($st, $err) = build('exact.blob', 'exact.json');
    is($st, 0, 'exact: builds') or diag($err);

    my $body = get('exact.blob', 'x');
    my $got = $json->decode($body);
    is($got->{term}, $text, 'exact: term survives byte for byte');
    is($got->{explanation}, $text, 'exact: explanation survives');
    is($got->{faq}[0]{question}, $text, 'exact: faq survives');
    is($got->{faq}[0]{answer}, "\x{202E}", 'exact: RTL override survives');
    like($body, qr/nul\\u0000nul/, 'exact: NUL escaped as \u0000');
    like($body, qr/line\xe2\x80\xa8sep/, 'exact: U+2028 as UTF-8 bytes');
    like($body, qr/\xf0\x9f\x98\x80/, 'exact: emoji as UTF-8 bytes');
}


# exact bodies, related enrichment, index order

{
    put('small.json', <<'EOF');
{"terms": [
  {"slug": "zeta", "term": "Zeta", "shortDefinition": "Last.",
   "seoTitle": "Z", "seoDescription": "About Z", "explanation": "P1\n\nP2",
   "category": "greek", "unknownField": {"deep": [1, 2, {"x": null}]},
   "relatedTerms": [{"slug": "alpha", "name": "The Alpha"},
                    {"slug": "nowhere", "name": "Nowhere"},
                    {"slug": "zeta", "name": "Zeta itself"}],
   "faq": [{"question": "Q1?", "answer": "A1."},
           {"question": "Q2?", "answer": "A2."}]},
  {"slug": "alpha", "term": "alpha", "category": null},
  {"slug": "alpha-2", "term": "Alpha"},
  {"slug": "b", "term": "beta", "shortDefinition": ""}
]}
EOF
    my ($st, $err) = build('small.blob', 'small.json');
    is($st, 0, 'small: builds');
    like($err, qr/\Aglossaryc: 1 related reference to a term not in the glossary \(first: zeta -> nowhere\)\n/,
         'small: one dangling reference');

    is(get('small.blob', 'zeta'),
       '{"slug":"zeta","term":"Zeta","shortDefinition":"Last.",'
       . '"seoTitle":"Z","seoDescription":"About Z",'
       . '"explanation":"P1\n\nP2","category":"greek",'
       . '"relatedTerms":['
       . '{"slug":"alpha","name":"The Alpha","term":"alpha",'
       . '"shortDefinition":null},'
       . '{"slug":"nowhere","name":"Nowhere"},'
       . '{"slug":"zeta","name":"Zeta itself","term":"Zeta",'
       . '"shortDefinition":"Last."}],'
       . '"faq":[{"question":"Q1?","answer":"A1."},'
       . '{"question":"Q2?","answer":"A2."}]}',
       'small: term body, exact');
    is(get('small.blob', 'zeta', 'related'),
       '[{"slug":"alpha","term":"alpha","shortDefinition":null},'
       . '{"slug":"nowhere","name":"Nowhere"},'
       . '{"slug":"zeta","term":"Zeta","shortDefinition":"Last."}]',
       'small: related body, exact');
    is(get('small.blob', 'b'),
       '{"slug":"b","term":"beta","shortDefinition":"","seoTitle":null,'
       . '"seoDescription":null,"explanation":null,"category":null,'
       . '"relatedTerms":[],"faq":[]}',
       'small: an empty optional string stays ""');

    # case-insensitive, then bytewise ("Alpha" < "alpha"), then slug
    is(get('small.blob', ''),
       '[{"slug":"alpha-2","term":"Alpha","category":null},'
       . '{"slug":"alpha","term":"alpha","category":null},'
       . '{"slug":"b","term":"beta","category":null},'
       . '{"slug":"zeta","term":"Zeta","category":"greek"}]',
       'small: index order');
    is(get('small.blob', '--index'), get('small.blob', ''),
       'get --index is the index');

    # ETags and the gzip variant
    my $etag = get('--etag', 'small.blob', 'zeta');
    like($etag, qr/\A"[0-9a-f]{16}"\n\z/, 'etag: quoted 16 hex digits');
    isnt(get('--etag', 'small.blob', 'zeta', 'related'), $etag,
         'etag: differs per body');

    my $index = get('data.blob', '');
    my $gz = get('--gzip', 'data.blob', '');
    my $plain;
    IO::Uncompress::Gunzip::gunzip(\$gz, \$plain);
    is($plain, $index, 'gzip variant inflates to the body');
    cmp_ok(length $gz, '<', length $index, 'gzip variant is smaller');
    like(get('--gzip', '--etag', 'data.blob', ''), qr/\A"[0-9a-f]{16}"\n\z/,
         'gzip etag');
    isnt(get('--gzip', '--etag', 'data.blob', ''),
         get('--etag', 'data.blob', ''), 'gzip etag differs');

    # a tiny body does not compress: no variant
    like(get('--gzip', 'one.blob', 'a', 'related'),
         qr/\AEXIT 1: glossaryc: one\.blob: the document has no gzip variant/,
         'no gzip variant for a body that does not shrink');
}


# --help

{
    my ($st, $out) = glossaryc('--help');
    is($st, 0, '--help');
    like($out, qr/exit status:.*\n  2  usage error\n  3  I\/O or system error/s,
         '--help documents the exit statuses');
    like($out, qr/Nuxt payload/, '--help documents the input forms');
    ($st, $out) = glossaryc('-h');
    is($st, 0, '-h');
}


# the output is replaced atomically, and untouched on error

{
    my $old = "previous blob bytes\n";
    put('out.blob', $old);
    put('bad3.json', qq({"slug": "a",\n "term": "A",\n "category": "x" "y"}\n));
    put('pc.json', '[{"data":1},' . "\n"
                   . '{"slug":2,"term":3,"x":4},"a","A",[5],{"y":4}]');
    put('dupslug.json', qq([$T{a},\n$T{b},\n $T{a}]));

    for my $bad ('bad3.json', 'pc.json', 'dupslug.json', 'no-such.json') {
        my ($st) = build('out.blob', 'one.json', $bad);
        isnt($st, 0, "$bad: fails");
        is(slurp('out.blob'), $old, "$bad: OUT untouched");
    }

    opendir(my $dh, $tmp) or die;
    my @left = grep { /^\.\w.*\.blob\./ } readdir($dh);
    closedir($dh);
    is_deeply(\@left, [], 'no temporary files left');

    my ($st) = build('out.blob', 'one.json');
    is($st, 0, 'a good build replaces OUT');
    is(substr(slurp('out.blob'), 0, 8), 'GLOSSARY', 'OUT is a blob now');
    is(sprintf('%o', (stat("$tmp/out.blob"))[2] & 0777), '644',
       'OUT mode 0644');

    opendir($dh, $tmp) or die;
    @left = grep { /^\.out\.blob\./ } readdir($dh);
    closedir($dh);
    is_deeply(\@left, [], 'no temporary file after success');
}


# --max-size: refused as soon as the documents pass it, OUT untouched

{
    my $lines = '';
    for my $i (1 .. 300) {
        $lines .= jstr({ slug => "term-$i", term => "Term $i",
                         explanation => "Text $i " . ('lorem ipsum ' x 100) })
                  . "\n";
    }
    put('many.jsonl', $lines);

    my ($st, $err) = build('size.blob', 'many.jsonl');
    is($st, 0, 'max-size: a build without a limit');
    my $size = -s "$tmp/size.blob";
    my $old = slurp('size.blob');

    my ($out);
    ($st, $out, $err) = glossaryc('build', '-q', '--max-size', $size, '-o',
                                  'exact.blob', 'many.jsonl');
    is($st, 0, 'max-size: a blob of exactly the limit is written');
    is(-s "$tmp/exact.blob", $size, 'max-size: the same size');

    ($st, $out, $err) = glossaryc('build', '-q', '--max-size=' . ($size - 1),
                                  '-o', 'size.blob', 'many.jsonl');
    is($st, 1, 'max-size: one byte over is refused');
    like($err, qr/\Aglossaryc: the blob would be $size bytes, over the limit of @{[ $size - 1 ]} \(--max-size\)\n\z/,
         'max-size: the message names both sizes');

    my $limit = int($size / 4);
    ($st, $out, $err) = glossaryc('build', '-q', '--max-size', $limit, '-o',
                                  'size.blob', 'many.jsonl');
    is($st, 1, 'max-size: a quarter of the size is refused');
    like($err, qr/\Aglossaryc: the blob would be over the limit of $limit bytes \(--max-size\): the documents take (\d+) bytes at the (term-json|related-json|term-html|payload|search-json|search-html)( \(gzip\))? of term (\d+) of 300; stopped\n\z/,
         'max-size: the message');
    my ($bytes, $kind, $gz, $done) = $err =~ /take (\d+) bytes at the (\S+)( \(gzip\))? of term (\d+) of 300/;
    ok(defined $kind && $kind ne 'search-html',
       'max-size: stopped before every document was rendered (at the '
       . ($kind // '?') . ($gz // '') . ' of term ' . ($done // '?')
       . ' of 300)');
    ok(defined $bytes && $bytes > $limit / 2 && $bytes < $size,
       'max-size: stopped near the limit, far from the whole');
    is(slurp('size.blob'), $old, 'max-size: OUT untouched');

    opendir(my $dh, $tmp) or die;
    my @left = grep { /^\.size\.blob\./ } readdir($dh);
    closedir($dh);
    is_deeply(\@left, [], 'max-size: no temporary file left');

    for my $good ('16g', '16G', '16384m', '17179869184', '17g', '1t', '1T',
                  '1024g', '1099511627776', '4k') {
        ($st) = glossaryc('build', '-q', '--max-size', $good, '-o', 'g.blob',
                          'one.json');
        is($st, $good eq '4k' ? 1 : 0, "max-size \"$good\": "
                                       . ($good eq '4k' ? 'parsed, too small'
                                                        : 'accepted'));
    }
}

# the terms' documents laid out by kind: each kind's bodies, their ETags,
# the gzip variants, their ETags, one part after the other, in the order of
# the kinds, right after the strings the index needs

{
    my $lines = '';
    for my $i (1 .. 200) {
        my @rel = map { { slug => 'kind-' . (($i + $_) % 200 + 1),
                          name => "Kind $_" } } 1 .. 3;
        $lines .= jstr({ slug => "kind-$i", term => "Kind $i",
                         category => 'Cat ' . ($i % 5),
                         shortDefinition => "Short $i " . ('words ' x 10),
                         explanation => "Text $i " . ('lorem ipsum ' x 60),
                         relatedTerms => \@rel,
                         faq => [{ question => "Why $i?",
                                   answer => 'Because ' x 20 }] })
                  . "\n";
    }
    put('kinds.jsonl', $lines);

    my ($st, $err) = build('layout.blob', 'kinds.jsonl');
    is($st, 0, 'layout: builds');

    my $b = blob_parse(slurp('layout.blob'));
    my @a = blob_areas($b);
    my ($eager) = unpack('Q<', substr(${ $b->{bytes} }, $b->{sec}{11}[0] + 8,
                                      8));

    is_deeply([map { "$_->[0] $_->[1]" } @a],
              ['0 body', '0 etag', '0 gzip', '0 gzip-etag',
               '1 body', '1 etag', '1 gzip', '1 gzip-etag',
               '2 body', '2 etag', '2 gzip', '2 gzip-etag',
               '3 body', '3 etag', '3 gzip', '3 gzip-etag',
               '4 body', '4 etag', '5 body', '5 etag'],
              'layout: every kind, its bodies, ETags, gzip variants and '
              . 'their ETags');

    my ($names) = unpack('Q<', substr(${ $b->{bytes} }, $b->{sec}{2}[0] + 16,
                                      8));
    ok($names >= $b->{sec}{1}[0] + $eager && $names < $a[0][2],
       'layout: the eager strings (slugs, search keys), then the names, '
       . 'then the documents');

    my @gaps = grep { $a[$_][3] != $a[$_ + 1][2] } 0 .. $#a - 1;
    is_deeply(\@gaps, [], 'layout: each part ends where the next begins')
        or diag(join("\n", map { "$_->[0] $_->[1]: $_->[2] to $_->[3]" } @a));

    my @mixed = grep { $_->[1] ne 'body' || $_->[0] != 1
                       ? $_->[3] - $_->[2] != $_->[4]
                       : $_->[3] - $_->[2] > $_->[4] } @a;
    is_deeply([map { "$_->[0] $_->[1]" } @mixed], [],
              'layout: each part holds its own bytes only (equal related '
              . 'lists share theirs)');

    my @etags = grep { $_->[1] =~ /etag/ && $_->[4] % 18 } @a;
    is(scalar @etags, 0, 'layout: ETag parts of 18 bytes a document');

    my ($goff) = unpack('Q<', substr(${ $b->{bytes} }, $b->{sec}{5}[0], 8));
    cmp_ok($goff, '>=', $a[-1][3], 'layout: the global documents follow');

    # a body byte changed and the checksum sealed again: only the chunk's
    # hash tells, and verify (a window at a time) finds it
    my $reseal = File::Spec->catfile(Test::Glossary::build_dir(), 'reseal');
    my @d = blob_doc($b, 150, 0);
    my $bad = ${ $b->{bytes} };
    substr($bad, $d[0] + 10, 1) = chr(ord(substr($bad, $d[0] + 10, 1)) ^ 1);
    put('chunk.blob', $bad);
    my ($rst) = run($reseal, 'chunk.blob');
    is($rst, 0, 'layout: a body byte flipped, the checksum sealed again');
    my $chunk = ($d[0] + 10 - $b->{sec}{1}[0]) >> 16;
    my ($vst, $vout, $verr) = glossaryc('verify', 'chunk.blob');
    is($vst, 1, 'verify: refused');
    like($verr, qr/\Achunk\.blob: chunk checksum mismatch \(file is corrupt or was modified\): STRINGS chunk $chunk \(bytes \d+ to \d+ of the file\): expected [0-9a-f]{16}, computed [0-9a-f]{16}\n\z/,
         "verify: names chunk $chunk");
    ($vst) = glossaryc('get', 'chunk.blob', 'kind-1');
    is($vst, 0, 'get: the check nginx runs in full passes it');

    # the same document through the reader as laid out here
    my @r = blob_doc($b, 5, 2);
    my ($soff, $slen) = unpack('Q< Q<', substr(${ $b->{bytes} },
                                               $b->{sec}{2}[0] + 80 * 5, 16));
    is(substr(${ $b->{bytes} }, $r[0], $r[1]),
       get('--html', 'layout.blob', substr(${ $b->{bytes} }, $soff, $slen)),
       'layout: the page read where the record says is the one get prints');
}


# --kinds and --no-gzip: a blob of the kinds a deployment serves

{
    my ($st, $err) = build('all.blob', 'kinds.jsonl');
    is($st, 0, 'kinds: a full build');
    ($st, $err) = build('explicit.blob', '--kinds', 'json,html,payload',
                        'kinds.jsonl');
    is($st, 0, 'kinds: --kinds json,html,payload');
    ok(slurp('all.blob') eq slurp('explicit.blob'),
       'kinds: the same bytes as without --kinds');

    my $all = blob_parse(slurp('all.blob'));
    is($all->{mask}, 0x3f, 'kinds: all six kinds by default');

    ($st, $err) = build('json.blob', '--kinds=json', 'kinds.jsonl');
    is($st, 0, 'kinds: --kinds=json') or diag($err);
    my $j = blob_parse(slurp('json.blob'));
    is($j->{mask}, 0x13, 'kinds json: term-json, related-json, search-json');
    is($j->{dpt}, 3, 'kinds json: 3 documents per term');
    is($j->{sec}{4}[1], 200 * 3 * 64, 'kinds json: DOCS holds those only');
    is($j->{sec}{10}[1], 0, 'kinds json: no search page');
    cmp_ok($j->{sec}{8}[1], '>', 0, 'kinds json: the search index');
    cmp_ok($j->{sec}{7}[1], '>', 0, 'kinds json: the categories');
    my @glob = map { [unpack('Q< Q< Q< Q< Q< Q< Q< Q<',
                             substr(${ $j->{bytes} },
                                    $j->{sec}{5}[0] + 64 * $_, 64))] } 0 .. 6;
    is_deeply([map { $_->[1] + $_->[3] ? 1 : 0 } @glob], [1, 0, 0, 0, 0, 1, 0],
              'kinds json: the JSON index and category list; the pages absent');
    cmp_ok(-s "$tmp/json.blob", '<', (-s "$tmp/all.blob") / 2,
           'kinds json: under half the full blob');

    my ($ist, $info) = glossaryc('info', 'json.blob');
    like($info, qr/^kinds:         json\ngzip:          yes\n/m,
         'kinds json: info says so');
    like($info, qr/^  term-json  +200 +\d+ +200 +\d+$/m,
         'kinds json: info counts the term JSON and its gzip variants');
    unlike($info, qr/^  term-html/m, 'kinds json: and no pages');
    is(get('--html', 'json.blob', 'kind-1'),
       "EXIT 1: glossaryc: json.blob: the blob has no such document\n",
       'kinds json: get of a page');
    is(get('json.blob', 'kind-1/_payload.json'),
       "EXIT 1: glossaryc: json.blob: the blob has no such document\n",
       'kinds json: get of a payload');

    ($st, $err) = build('nogz.blob', '--kinds', 'json', '--no-gzip',
                        'kinds.jsonl');
    is($st, 0, 'kinds: --kinds json --no-gzip');
    my $n = blob_parse(slurp('nogz.blob'));
    is($n->{flags}, 1, 'no-gzip: the flag');
    is_deeply([grep { $_->[1] =~ /gzip/ } blob_areas($n)], [],
              'no-gzip: no gzip variant of any term document');
    cmp_ok(-s "$tmp/nogz.blob", '<', -s "$tmp/json.blob",
           'no-gzip: smaller again');
    ($ist, $info) = glossaryc('info', 'nogz.blob');
    like($info, qr/^gzip:          no \(--no-gzip\)$/m, 'no-gzip: info');
    like(get('--gzip', 'nogz.blob', 'kind-1'), qr/no gzip variant/,
         'no-gzip: get --gzip finds none');

    ($st, $err) = build('pay.blob', '--kinds', 'payload', 'kinds.jsonl');
    is($st, 0, 'kinds: --kinds payload');
    my $p = blob_parse(slurp('pay.blob'));
    is($p->{mask}, 0x08, 'kinds payload: the payloads only');
    is("$p->{sec}{7}[1] $p->{sec}{8}[1] $p->{sec}{9}[1] $p->{sec}{10}[1]",
       '0 0 0 0', 'kinds payload: no categories, no search');
    like(get('pay.blob', 'kind-1/_payload.json'), qr/^\[\{"data":1,/,
         'kinds payload: get of a payload');

    # the gzip variants wait in TMPDIR while their kind's bodies are
    # written: where it cannot be made, the build stops and writes nothing
    my $before = slurp('all.blob');
    my ($tst, undef, $terr) = glossaryc(
        { env => { TMPDIR => "$tmp/no-such-dir" } },
        'build', '-q', '-o', 'all.blob', 'kinds.jsonl');
    is($tst, 3, 'gzip spill: a TMPDIR that does not exist is an I/O error');
    like($terr, qr{\Aglossaryc: a temporary file for the gzip variants in \S*no-such-dir: No such file or directory\n\z},
         'gzip spill: the message names the directory');
    ok(slurp('all.blob') eq $before, 'gzip spill: the old blob untouched');
    ($tst, undef, $terr) = glossaryc({ env => { TMPDIR => "$tmp/no-such-dir" } },
                                     'build', '-q', '--no-gzip', '-o',
                                     'tmp.blob', 'kinds.jsonl');
    is($tst, 0, 'gzip spill: --no-gzip needs no temporary file') or diag($terr);
    ($tst, undef, $terr) = glossaryc({ env => { TMPDIR => $tmp } },
                                     'build', '-q', '-o', 'tmp.blob',
                                     'kinds.jsonl');
    ok($tst == 0 && slurp('tmp.blob') eq $before,
       'gzip spill: another TMPDIR, the same bytes') or diag($terr);
    opendir(my $dh, $tmp) or die "$tmp: $!";
    is_deeply([grep { /^glossaryc-gzip-/ } readdir $dh], [],
              'gzip spill: the temporary file is gone');
    closedir $dh;

    ($st) = build('hp.blob', '--kinds', 'payload,html', 'kinds.jsonl');
    my ($st2) = build('ph.blob', '--kinds', 'html,payload', 'kinds.jsonl');
    ok($st == 0 && $st2 == 0 && slurp('hp.blob') eq slurp('ph.blob'),
       'kinds: the order of the list does not matter');

    ($st, my $dout) = glossaryc('diff', 'all.blob', 'json.blob');
    is($st, 1, 'kinds: diff of a full and a JSON-only build: different');
    like($dout, qr/; document kinds term-json,related-json,term-html,payload,search-json,search-html -> term-json,related-json,search-json\n\z/,
         'kinds: diff names the kinds of each');
}


# verify, info, get

{
    my ($st, $out, $err) = glossaryc('info', 'small.blob');
    is($st, 0, 'info');
    my $size = -s "$tmp/small.blob";
    my ($id) = $out =~ /^build id:      ([0-9a-f]{16})$/m;
    ok($id, 'info: build id');
    like($out, qr/\Afile:          small\.blob\nformat:        2\.0\n/,
         'info: file and format');
    like($out, qr/^checksum:      0x$id$/m, 'info: checksum is the build id')
        if $id;
    like($out, qr/^build time:    2023-11-14T22:13:20Z \(1700000000\)$/m,
         'info: build time from SOURCE_DATE_EPOCH');
    like($out, qr/^file size:     $size$/m, 'info: file size');
    like($out, qr/^terms:         4$/m, 'info: terms');
    like($out, qr/^docs per term: 6$/m, 'info: docs per term');
    like($out, qr/^related:       3$/m, 'info: related entries');
    like($out, qr/^hash buckets:  8$/m, 'info: buckets, 2 x 4 terms');
    for my $s (qw(STRINGS TERMS HASH DOCS GLOBALS RELATED)) {
        like($out, qr/^  \d   $s +\d+ +\d+$/m, "info: section $s");
    }
    like($out, qr/^  11  CHUNKS +\d+ +\d+$/m, 'info: section CHUNKS');
    like($out, qr/^  12  AUTOLINK +\d+ +\d+$/m, 'info: section AUTOLINK');
    like($out, qr/^autolink:      \d+ patterns, longest \d+ bytes, \d+ bytes /m,
         'info: the automaton');
    # the search index's texts fill whole chunks: the eager strings and the
    # names in the first, the texts in the second, the documents the third
    like($out, qr/^chunks:        3 of 65536 bytes, eager \d+ bytes$/m,
         'info: three chunks of 64 KiB');

    my $blob = slurp('small.blob');
    my ($magic, $maj, $min, $bo, $sum, $fsize, $hsize, $nsec, $table, $btime,
        $nterms, $dpt, $glob, $flags)
        = unpack('a8 v v V Q< Q< V V Q< Q< V V V V', $blob);
    is($magic, 'GLOSSARY', 'header: magic');
    is("$maj.$min", '2.0', 'header: version');
    is($bo, 0x01020304, 'header: byte order');
    is(sprintf('%016x', $sum), $id // '', 'header: checksum');
    is($fsize, $size, 'header: file size');
    is($hsize, 128, 'header: header size');
    is($nsec, 13, 'header: thirteen sections');
    is($table, 128, 'header: section table follows the header');
    is($btime, $EPOCH, 'header: build time');
    is("$nterms $dpt $glob $flags", '4 6 7 0', 'header: counts');
    isnt(unpack('Q<', substr($blob, 72, 8)), 0, 'header: index checksum');
    is(unpack('Q<', substr($blob, 80, 8)), 0x3f, 'header: doc_kinds, all six');
    is(substr($blob, 88, 40), "\0" x 40, 'header: reserved is zero');

    my @slugs;
    my %sec;
    for my $i (0 .. $nsec - 1) {
        my ($sid, $res, $off, $sz) = unpack('V V Q< Q<',
                                            substr($blob, 128 + 24 * $i, 24));
        $sec{$sid} = [$off, $sz];
        is($off % 8, 0, "section $sid is 8-byte aligned");
    }
    for my $i (0 .. $nterms - 1) {
        my ($off, $len) = unpack('Q< Q<', substr($blob, $sec{2}[0] + 80 * $i,
                                                 16));
        push @slugs, substr($blob, $off, $len);
    }
    is_deeply(\@slugs, [qw(alpha alpha-2 b zeta)], 'TERMS sorted by slug');
    my ($buckets, $max_probe) = unpack('V V', substr($blob, $sec{3}[0], 8));
    is($buckets, 8, 'HASH: 8 buckets');
    cmp_ok($max_probe, '<', 4, 'HASH: max_probe under the term count');
    my @ids = sort { $a <=> $b } grep { $_ }
              unpack('V*', substr($blob, $sec{3}[0] + 8, 4 * $buckets));
    is_deeply(\@ids, [1, 2, 3, 4], 'HASH: every id + 1 once');
    my @rel = map { unpack('V', substr($blob, $sec{6}[0] + 40 * $_, 4)) }
              0 .. 2;
    is_deeply(\@rel, [0, 0xffffffff, 3], 'RELATED: ids, dangling NO_TERM');

    # the search index, last; its texts after the eager strings (and the
    # names, categories, short definitions), from the next chunk on
    ok($sec{13}, 'FTS: a search index section');
    my ($toff, $tlen) = unpack('Q< Q<', substr($blob, $sec{13}[0], 16));
    my ($eager) = unpack('Q<', substr($blob, $sec{11}[0] + 8, 8));
    is($toff, $sec{1}[0] + 65536,
       'FTS: the texts follow the eager strings, from the next chunk');
    cmp_ok($eager, '<', 65536, 'FTS: the eager strings in the first chunk');
    ok($toff + $tlen < $sec{1}[0] + $sec{1}[1],
       'FTS: the documents follow the texts');
    is(substr($blob, $sec{13}[0] + 32, 8), 'GLOSSFTS', 'FTS: the image');
    is($sec{13}[0] + $sec{13}[1], $size, 'FTS: the last section');
    like(substr($blob, $toff, $tlen), qr/\Aalpha?\n/,
         'FTS: the texts start with the first term\'s name');
    like($out, qr/^search index:  \d+ bytes, \d+\.\d{3} of the \d+ bytes of searchable text; the texts \d+ bytes in STRINGS$/m,
         'info: the search index, its ratio to the searchable text');

    # a flipped byte, a foreign file, an empty file
    my $bad = $blob;
    substr($bad, -1, 1) = chr(ord(substr($bad, -1, 1)) ^ 1);
    put('flipped.blob', $bad);
    ($st, $out, $err) = glossaryc('verify', 'flipped.blob');
    is($st, 1, 'verify: corrupt blob refused');
    like($err, qr/\Aflipped\.blob: checksum mismatch \(file is corrupt or was modified\): expected $id, computed [0-9a-f]{16}\n\z/,
         'verify: reason and detail');

    ($st, $out, $err) = glossaryc('get', 'flipped.blob', 'zeta');
    is($st, 1, 'get refuses a corrupt blob');

    ($st, $out, $err) = glossaryc('get', 'small.blob', 'nope');
    is($st, 1, 'get: unknown slug');
    is($err, "glossaryc: small.blob: no term \"nope\"\n", 'get: message');
    is($out, '', 'get: nothing on stdout');

    ($st) = glossaryc('get', 'small.blob', 'zeta', 'faq');
    is($st, 2, 'get: unknown document is a usage error');

    # the argument is routed as the module routes the path below its prefix
    is(get('small.blob', 'zeta/related'), get('small.blob', 'zeta', 'related'),
       'get: SLUG/related is the related route');
    is(get('small.blob', '/zeta'), get('small.blob', 'zeta'),
       'get: a leading slash, as after "location /glossary"');
    ($st, $out, $err) = glossaryc('get', 'small.blob', 'Zeta');
    is($st, 1, 'get: a path the module redirects');
    is($err, "glossaryc: small.blob: \"Zeta\" is not canonical: the module "
             . "redirects to \"zeta\"\n", 'get: redirect message');
    is($out, '', 'get: redirect: nothing on stdout');
    like(get('small.blob', 'zeta/', 'related'),
         qr/\AEXIT 1: glossaryc: small\.blob: no term "zeta\/"\n\z/,
         'get: SLUG related takes a slug only');
    like(get('small.blob', 'ZETA', 'related'),
         qr/"ZETA\/related" is not canonical: the module redirects to "zeta\/related"/,
         'get: redirect of SLUG related');
}


# aliases (every input form) and --autolink: the term pages link the terms
# their explanation and FAQ answers name; the documents stay plain text

{
    my @terms = (
        { slug => 'gpu', term => 'GPU', aliases => ['graphics processor'],
          shortDefinition => "A chip for \"parallel\" work & more.",
          explanation => "A GPU runs kernels. A TPU and a graphics processor "
                         . "too.\n\nSee also tensor cores, then a TPU again.",
          faq => [{ question => 'Is a TPU a GPU?',
                    answer => 'No: a TPU is not a GPU; Tensor Cores help.' }] },
        { slug => 'tpu', term => 'TPU', shortDefinition => 'Google\'s chip.',
          explanation => 'Unlike a GPU, a TPU is a systolic array.' },
        { slug => 'tensor-core', term => 'Tensor Core',
          aliases => ['TC unit', 'matrix unit'],
          explanation => 'Part of a GPU (graphics processors have them).' },
    );

    put('al.json', $json->encode(\@terms));
    put('al.jsonl', join("\n", map { $json->encode($_) } @terms) . "\n");

    # the same terms as a Nuxt payload: one element per value, in order
    my @pl = ({ data => 1 }, [map { 2 + $_ } 0 .. $#terms]);
    for my $t (@terms) {
        my %obj;
        for my $k (sort keys %$t) {
            push @pl, undef;
            my $at = $#pl;
            if (ref $t->{$k} eq 'ARRAY') {
                my @items;
                for my $v (@{ $t->{$k} }) {
                    if (ref $v) {
                        my %o;
                        for my $f (sort keys %$v) {
                            push @pl, $v->{$f};
                            $o{$f} = $#pl;
                        }
                        push @pl, \%o;
                    } else {
                        push @pl, $v;
                    }
                    push @items, $#pl;
                }
                $pl[$at] = \@items;
            } else {
                $pl[$at] = $t->{$k};
            }
            $obj{$k} = $at;
        }
        push @pl, \%obj;
    }
    # the term objects last: point the list at them
    my @objs = grep { ref $pl[$_] eq 'HASH' && exists $pl[$_]{slug} }
               0 .. $#pl;
    $pl[1] = \@objs;
    put('al.payload.json', $json->encode(\@pl));

    my %page;
    for my $in (qw(al.json al.jsonl al.payload.json)) {
        my ($st, $err) = build("$in.blob", '-q', '--autolink', $in);
        is($st, 0, "aliases: $in builds with --autolink") or diag($err);
        $page{$in} = get('--html', "$in.blob", 'gpu');
    }

    my $p = $page{'al.json'};
    is($page{'al.jsonl'}, $p, 'aliases: JSON Lines gives the same page');
    is($page{'al.payload.json'}, $p, 'aliases: the payload the same page');

    my @links = $p =~ /(<a href="[^"]*" class="glossary-term"[^>]*>[^<]*<\/a>)/g;
    is_deeply(\@links, [
        '<a href="tpu" class="glossary-term" data-glossary-slug="tpu" '
        . 'title="Google&#39;s chip.">TPU</a>',
        '<a href="tensor-core" class="glossary-term" '
        . 'data-glossary-slug="tensor-core">tensor cores</a>',
    ], '--autolink: the first TPU and the plural of an alias of Tensor Core, '
       . 'escaped titles; the page\'s own term and its alias never')
        or diag(join "\n", @links);
    unlike($p, qr/<dt>[^<]*<a /, '--autolink: FAQ questions are not linked');
    like($p, qr/<dd><p>No: a TPU is not a GPU; Tensor Cores help\.<\/p>/,
         '--autolink: each term once per page, over explanation and answers');

    my $tc = get('--html', 'al.json.blob', 'tensor-core');
    like($tc, qr/Part of a <a href="gpu" class="glossary-term" data-glossary-slug="gpu" title="A chip for &quot;parallel&quot; work &amp; more\.">GPU<\/a> \(graphics processors have them\)/,
         '--autolink: linked once, the plural of an alias not again');

    # the JSON documents and the payload stay plain text
    for my $in (qw(al.json al.jsonl)) {
        my $j = get("$in.blob", 'gpu');
        unlike($j, qr/glossary-term|aliases/,
               "$in: the term's JSON has no links and no aliases");
    }
    unlike(get('al.json.blob', 'gpu/_payload.json'), qr/glossary-term/,
           'the payload has no links');

    # without --autolink: no links; aliases change no document
    my ($st) = build('plain.blob', '-q', 'al.json');
    is($st, 0, 'aliases: builds without --autolink');
    unlike(get('--html', 'plain.blob', 'gpu'), qr/glossary-term/,
           'without --autolink the pages have no links');

    my @bare = map { my %t = %$_; delete $t{aliases}; \%t } @terms;
    put('bare.json', $json->encode(\@bare));
    ($st) = build('bare.blob', '-q', 'bare.json');
    for my $route ('gpu', 'tensor-core', 'gpu/_payload.json') {
        is(get('bare.blob', $route), get('plain.blob', $route),
           "aliases change no document: $route");
    }

    my ($ist, $info) = glossaryc('info', 'al.json.blob');
    like($info, qr/^autolink:      \d+ patterns/m, 'info: the automaton');

    # --autolink-accents: a flag of the image
    put('acc.json', qq{[{"slug": "coffee-house", "term": "Caf\xc3\xa9"},
  {"slug": "menu", "term": "Menu",
   "explanation": "Order at the CAFE, or the caf\xc3\xa9."}]\n});
    ($st) = build('acc.blob', '-q', '--autolink', '--autolink-accents',
                  'acc.json');
    is($st, 0, '--autolink-accents builds');
    like(get('--html', 'acc.blob', 'menu'),
         qr/Order at the <a href="coffee-house"[^>]*>CAFE<\/a>, or the caf\xc3\xa9\./,
         '--autolink-accents: "CAFE" matches "Caf\xc3\xa9"');
    (undef, $info) = glossaryc('info', 'acc.blob');
    like($info, qr/^autolink: .*, accents folded$/m, 'info: accents folded');
    ($st) = build('noacc.blob', '-q', '--autolink', 'acc.json');
    like(get('--html', 'noacc.blob', 'menu'),
         qr/Order at the CAFE, or the <a href="coffee-house"[^>]*>caf\xc3\xa9<\/a>\./,
         'without it "CAFE" does not match, "caf\xc3\xa9" does');
}


# reproducible builds

{
    my @in = (File::Spec->catdir($root, 'data'), 'exact.json', 'small.json');
    my ($s1) = build('r1.blob', @in);
    my ($s2) = build('r2.blob', @in);
    is($s1 + $s2, 0, 'reproducible: both build');
    ok(slurp('r1.blob') eq slurp('r2.blob'),
       'reproducible: byte-identical with SOURCE_DATE_EPOCH');

    my ($st) = glossaryc({ env => { SOURCE_DATE_EPOCH => $EPOCH + 1 } },
                         'build', '-q', '-o', 'r3.blob', @in);
    is($st, 0, 'reproducible: another epoch');
    ok(slurp('r1.blob') ne slurp('r3.blob'), 'the epoch is in the blob');

    my ($q, $qout, $qerr) = glossaryc({ env => { SOURCE_DATE_EPOCH => undef } },
                                      'build', '--quiet', '-o', 'r4.blob', @in);
    is($q, 0, '--quiet builds');
    is($qerr, '', '--quiet: nothing on stderr');
    my $now = time;
    my $bt = unpack('Q<', substr(slurp('r4.blob'), 48, 8));
    cmp_ok(abs($bt - $now), '<', 60, 'without SOURCE_DATE_EPOCH: now');
}


# streaming: files are read in chunks (GLOSSARYC_READ_CHUNK, 64 KiB by
# default); whatever the size, the same blob and the same message, at
# the same place, also for a token, an escape or a UTF-8 sequence cut by
# a chunk's end

{
    my @chunks = (1, 2, 3, 5, 7, 11, 13, 64, 4096);

    # valid: escapes, astral and CJK text raw and escaped, numbers,
    # ignored fields nested and with strings of every kind
    my $valid = '[{"slug":"esc","term":"q\"uote \\\\ back\\/sl \u00e9 '
        . '\ud83d\ude00 \u2028","x":[1,-2.5e+3,true,false,null,{"y":"\\""}],'
        . qq("shortDefinition":"\xc3\xa9t\xc3\xa9 \xe6\xbc\xa2\xe5\xad\x97 )
        . qq(\xf0\x9f\x98\x80","relatedTerms":[{"slug":"other","name":"\\"O\\""}]},\n)
        . qq( {"slug":"other","term":"Other","faq":[{"question":"\\u0051?",)
        . qq("answer":"A\\nB"}]}]\n);
    put('stream.json', $valid);
    put('stream.jsonl', qq({"slug":"a","term":"A\\"\xc3\xa9"}\r\n\n   \n)
                        . qq({"slug":"b","term":"B","n":12345}\n)
                        . qq({"slug":"c","term":"C"}));
    put('stream-terms.json', qq({"version":1,"terms":[{"slug":"a","term":"A"},)
                             . qq({"slug":"b","term":"B"}],"x":"y"}));
    put('stream-payload.json', slurp($seed_src));
    # yajl's white space has \v and \f besides JSON's
    put('stream-vf.json', qq([\f{"slug":"a",\x0b"term":"A"}\f,\n\x0b)
                          . qq({"slug":"b",\f"term":"B"}\x0b]));

    for my $in (qw(stream.json stream.jsonl stream-terms.json
                   stream-payload.json stream-vf.json))
    {
        my ($st, undef, $err) = glossaryc('build', '-q', '-o', "$in.blob",
                                          $in);
        is($st, 0, "stream: $in builds") or diag($err);
        my $want = slurp("$in.blob");
        my @diff;

        for my $c (@chunks) {
            my ($cs) = glossaryc({ env => { GLOSSARYC_READ_CHUNK => $c } },
                                 'build', '-q', '-o', "$in-$c.blob", $in);
            push @diff, $c if $cs != 0 || slurp("$in-$c.blob") ne $want;
        }

        is("@diff", '', "stream: $in, the same blob in chunks of "
                        . join(', ', @chunks) . ' bytes');
    }

    my $got = $json->decode(get('stream.json.blob', 'esc'));
    is($got->{term}, "q\"uote \\ back/sl \x{e9} \x{1F600} \x{2028}",
       'stream: escapes and surrogate pairs decoded');
    is($got->{shortDefinition}, "\x{e9}t\x{e9} \x{6f22}\x{5b57} \x{1F600}",
       'stream: raw UTF-8 kept');

    # invalid: each message is the same in every chunk size
    my %bad = (
        'b-after-element.json' => [qq([{"slug":"a","term":"A"}\n {"slug":"b"}]),
            qq(b-after-element.json:2:2: parse error: after array element, )
            . qq(I expect ',' or ']'\n)],
        'b-after-value.json' => [qq({"slug":"a","term":"A" "x":1}),
            qq(b-after-value.json:1:24: parse error: after key and value, )
            . qq(inside map, I expect ',' or '}'\n)],
        'b-overlong.json' => [qq({"slug":"a","term":"A\xc0\xaf"}),
            qq(b-overlong.json:1:20: invalid UTF-8 in string at byte 1 of its )
            . qq(value (0xc0: an overlong form, a surrogate or beyond U+10FFFF)\n)],
        'b-escape.json' => [qq({"slug":"a","term":"A\\u00zz"}),
            qq(b-escape.json:1:26: lexical error: invalid (non-hex) character )
            . qq(occurs after '\\u' inside string\n)],
        'b-eof.json' => [qq([{"slug":"a","term":"A"\n),
            qq(b-eof.json:2:1: parse error: premature EOF\n)],
        'b-garbage.json' => [qq({"slug":"a","term":"A"} x),
            qq(b-garbage.json:1:25: parse error: trailing garbage\n)],
        'b-blank.json' => [qq([{"slug":"a","term":"A"},{"slug":"b","term":"B"},\n)
                           . qq({"slug":"c","term":"\\u3000"}]),
            qq(b-blank.json:2:20: "term" is blank: only spaces, controls or )
            . qq(invisible characters\n)],
        'b-line.jsonl' => [qq({"slug":"a","term":"A"}\n\n{"slug":"b","term":2}\n),
            qq(b-line.jsonl:3:20: "term" must be a string, found number\n)],
        'b-vf.json' => [qq([\f{"slug":"a",\x0b"term":"A"}\f,\n\x0b{"slug":"b" "term":"B"}]),
            qq(b-vf.json:2:14: parse error: after key and value, inside )
            . qq(map, I expect ',' or '}'\n)],
        'b-number.json' => [qq({"slug":"a","term":"A","n":12.}),
            qq(b-number.json:1:31: lexical error: malformed number, a digit )
            . qq(is required after the decimal point\n)],
    );

    for my $in (sort keys %bad) {
        my ($text, $msg) = @{ $bad{$in} };
        put($in, $text);

        my ($st, undef, $err) = glossaryc('build', '-o', "$in.blob", $in);
        is($st, 1, "stream: $in refused");
        is($err, $msg, "stream: $in, its message");

        my @diff;

        for my $c (@chunks) {
            my ($cs, undef, $ce) = glossaryc(
                { env => { GLOSSARYC_READ_CHUNK => $c } },
                'build', '-o', "$in.blob", $in);
            push @diff, $c if $cs != 1 || $ce ne $err;
        }

        is("@diff", '', "stream: $in, the same message in every chunk size");
    }

    # the token the message names begins right at a chunk's end: the
    # unwanted "{" is byte 25, the first of the second chunk of 24
    my ($cs, undef, $ce) = glossaryc({ env => { GLOSSARYC_READ_CHUNK => 24 } },
                                     'build', '-o', 'x.blob',
                                     'b-after-element.json');
    is($ce, $bad{'b-after-element.json'}[1],
       'stream: an error at the first byte of a chunk');
}


# an object whose "terms" comes before its "slug": one term after all, the
# terms streamed from "terms" given back

{
    put('late-slug.json', '{"terms":[{"slug":"a","term":"A"}],'
                          . '"slug":"x","term":"X"}');
    my ($st, undef, $err) = glossaryc('build', '-q', '-o', 'late.blob',
                                      'late-slug.json');
    is($st, 0, 'a term with a "terms" field before its slug builds')
        or diag($err);
    like(get('late.blob', 'x'), qr/^\{"slug":"x","term":"X"/,
         'late slug: the object is the term');
    like(get('late.blob', 'a'), qr/^EXIT 1: .*no term "a"/,
         'late slug: the streamed "terms" given back');
}


# a Nuxt payload is read whole: within half of the machine's memory

{
    my ($st, undef, $err) = glossaryc(
        { env => { GLOSSARYC_MEMORY => 4096 } },
        'build', '-o', 'pl.blob', 'stream-payload.json');
    is($st, 1, 'payload: refused on a machine of 4 KiB');
    like($err, qr/\Astream-payload\.json:1:\d+: this Nuxt payload needs more than 2048 bytes of memory, half of this machine's: a payload is read whole, its references may point anywhere in it\n\z/,
         'payload: the bound, with its place');
    ok(!-e 'pl.blob', 'payload: nothing written');

    ($st, undef, $err) = glossaryc(
        { env => { GLOSSARYC_MEMORY => 4096 } },
        'build', '-q', '-o', 'pl.blob', 'stream.json');
    is($st, 0, 'payload: plain JSON of the same machine is streamed')
        or diag($err);

    ($st) = glossaryc({ env => { GLOSSARYC_MEMORY => 64 * 1024 * 1024 } },
                      'build', '-q', '-o', 'pl.blob', 'stream-payload.json');
    is($st, 0, 'payload: fits in half of 64 MiB');
}

done_testing();
