# "glossary PATH mmap verify=lazy": nginx checks the blob's index (the
# index checksum over everything but STRINGS) and the eager strings at load,
# and each worker checks a 64 KiB chunk of STRINGS against its hash the
# first time it sends bytes from it.  What must hold:
#   - every answer is the one verify=full gives, byte for byte, ETags too;
#   - a corrupt document body does not stop the blob from loading, but it is
#     never sent: that document fails with 500 and a [crit] line naming the
#     chunk (then [error] lines), while documents in other chunks are served;
#   - a corrupt byte anywhere in the index or the eager strings, even one no
#     structural check reads, is refused at load, at start and at reload,
#     and the old workers keep serving;
#   - glossary_status reports what the worker has verified.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Glossary;
use Test::Glossary::Load;
use Test::More;

use JSON::PP ();

my $N = 40;


# deterministic words, so that bodies are long and spread over many chunks
sub words {
    my ($seed, $n) = @_;
    my @w;
    my $x = $seed * 2654435761 % 4294967296;
    for (1 .. $n) {
        $x = ($x * 1103515245 + 12345) % 2147483648;
        push @w, join('', map { chr(97 + ($x >> (3 * $_)) % 26) } 0 .. 2 + $x % 7);
    }
    return join(' ', @w);
}

my $json = '[' . join(",\n", map {
    sprintf('{"slug":"term-%02d","term":"Term %02d","shortDefinition":'
            . '"Short definition %d","category":"Cat %d","explanation":"%s",'
            . '"relatedTerms":[{"slug":"term-%02d","name":"Next"}]}',
            $_, $_, $_, $_ % 3, words($_, 700), $_ % $N + 1)
} 1 .. $N) . ']';

my $pristine = glossary_blob_bytes($json);


# --- the layout, read as the format describes it ---------------------------

my ($nsec, $table) = unpack('V Q<', substr($pristine, 36, 12));
my ($nterms, $dpt, $nglob) = unpack('V V V', substr($pristine, 56, 12));
my ($major) = unpack('v', substr($pristine, 8, 2));
my ($doc_kinds) = unpack('Q<', substr($pristine, 80, 8));
my @kinds = $major == 1 ? (0 .. $dpt - 1)
                        : grep { ($doc_kinds >> $_) & 1 } 0 .. 63;
my %sec;
for my $i (0 .. $nsec - 1) {
    my ($id, undef, $off, $size) = unpack('V V Q< Q<',
                                          substr($pristine, $table + 24 * $i, 24));
    $sec{$id} = [$off, $size];
}

ok($sec{11}, 'the blob has a CHUNKS section') or BAIL_OUT('no CHUNKS');

my ($soff, $ssize) = @{ $sec{1} };
my ($shift, undef, $eager) = unpack('V V Q<', substr($pristine, $sec{11}[0], 16));
my $nchunks = ($sec{11}[1] - 16) / 8;
my $eager_chunks = int(($eager + (1 << $shift) - 1) / (1 << $shift));

is($shift, 16, 'chunks of 64 KiB');
cmp_ok($nchunks, '>=', 8, "$nchunks chunks");

sub chunks_of {
    my ($off, $len) = @_;
    return () if $len == 0;
    return (($off - $soff) >> $shift) .. (($off - $soff + $len - 1) >> $shift);
}

sub slug_of {
    my ($id) = @_;
    my ($off, $len) = unpack('Q< Q<', substr($pristine, $sec{2}[0] + 80 * $id, 16));
    return substr($pristine, $off, $len);
}

# DOCS: 2.0 kind by kind (the kinds of doc_kinds), 1.x term by term
sub doc_refs {
    my ($id, $kind) = @_;
    my ($slot) = grep { $kinds[$_] == $kind } 0 .. $#kinds;
    my $i = $major == 1 ? $id * $dpt + $kind : $slot * $nterms + $id;
    return unpack('Q< Q< Q< Q< Q< Q< Q< Q<',
                  substr($pristine, $sec{4}[0] + 64 * $i, 64));
}

# every chunk any part of any document of term $id touches
sub term_chunks {
    my ($id) = @_;
    my %c;
    for my $k (@kinds) {
        my @r = doc_refs($id, $k);
        $c{$_} = 1 for map { chunks_of($r[2 * $_], $r[2 * $_ + 1]) } 0 .. 3;
    }
    return \%c;
}

my ($victim, $vchunk, $vpos);

for my $id (0 .. $nterms - 1) {
    my ($off, $len) = doc_refs($id, 0);
    my @c = chunks_of($off, $len);
    next unless @c == 1 && $c[0] >= $eager_chunks;
    ($victim, $vchunk, $vpos) = ($id, $c[0], $off + int($len / 2));
    last;
}

ok(defined $victim, 'a term whose JSON lies in one chunk after the eager ones')
    or BAIL_OUT('no victim');

my @survivors = grep { !term_chunks($_)->{$vchunk} } 0 .. $nterms - 1;
cmp_ok(scalar @survivors, '>=', 5, scalar(@survivors) . ' terms untouched by that chunk');

my $vslug = slug_of($victim);
my @sslugs = map { slug_of($_) } @survivors;

sub flip {
    my ($bytes, $pos) = @_;
    substr($bytes, $pos, 1) = chr(ord(substr($bytes, $pos, 1)) ^ 0x01);
    return $bytes;
}

my $corrupt_body = flip($pristine, $vpos);
my $corrupt_index = flip($pristine, $sec{2}[0] + 76);    # a term's reserved bytes
my ($d0off) = unpack('Q<', substr($pristine, $sec{2}[0] + 80 * 3, 8));
my $corrupt_eager = flip($pristine, $d0off + 1);         # a slug

cmp_ok($d0off - $soff, '<', $eager, 'slugs are eager strings');

# the fields the load's read-ahead hint reads before the reader has checked
# them (src/module: ngx_http_glossary_willneed): out of range, the hint
# must read nothing past the file and the reader refuses the blob
sub put {
    my ($bytes, $pos, $fmt, $value) = @_;
    my $packed = pack($fmt, $value);
    substr($bytes, $pos, length $packed) = $packed;
    return $bytes;
}

my $hint_count = put($pristine, 36, 'V', 0xffffffff);
my $hint_table = put($pristine, 40, 'Q<', 1 << 40);
my $hint_section = put($pristine, $table + 8, 'Q<', 1 << 40);
my $hint_eager = put($pristine, $sec{11}[0] + 8, 'Q<', 1 << 62);

my $json_pp = JSON::PP->new;


# --- lazy and full give the same answers ----------------------------------

subtest 'verify=lazy serves what verify=full serves, byte for byte' => sub {
    my $srv = start_nginx(
        main_config => 'worker_processes 1;',
        config => <<'END',
location /f/ { glossary full.glossary; }
location /l/ { glossary lazy.glossary mmap verify=lazy; }
location /fh/ { glossary_format html; glossary full.glossary; }
location /lh/ { glossary_format html; glossary lazy.glossary mmap verify=lazy; }
location = /status { glossary_status; }
END
        user_files => { 'conf/full.glossary' => $pristine,
                        'conf/lazy.glossary' => $pristine },
    );

    my $st = $json_pp->decode($srv->get('/status')->body);
    my ($full, $lazy) = @{ $st->{blobs} };
    is($lazy->{verify}, 'lazy', 'status: verify lazy');
    is($lazy->{mode}, 'mmap', 'status: mode mmap');
    is($full->{verify}, 'full', 'status: the other full');
    is($lazy->{chunks}, $nchunks, 'status: chunks');
    is($lazy->{chunks_verified}, $eager_chunks,
       'status: only the eager chunks verified before any request');

    my ($same, $n) = (1, 0);
    my @paths = ('', '_category/', '_search?q=term', '_search?q=term+1',
                 'sitemap.xml', 'no-such-term', '_category/cat-1');
    for my $id (0 .. $nterms - 1) {
        my $s = slug_of($id);
        push @paths, $s, "$s/related", "$s/_payload.json";
    }

    for my $p (@paths) {
        for my $gz (0, 1) {
            for my $pair (['/f/', '/l/'], ['/fh/', '/lh/']) {
                my @h = $gz ? ('Accept-Encoding' => 'gzip') : ();
                my $a = $srv->get($pair->[0] . $p, @h);
                my $b = $srv->get($pair->[1] . $p, @h);
                $n++;
                next if ($a->status // 0) == ($b->status // -1)
                        && $a->body eq $b->body
                        && ($a->header('ETag') // '') eq ($b->header('ETag') // '')
                        && ($a->header('Content-Encoding') // '')
                           eq ($b->header('Content-Encoding') // '');
                $same = 0;
                diag("differs: $pair->[1]$p gzip=$gz: "
                     . ($a->status // '?') . ' vs ' . ($b->status // '?'));
            }
        }
    }

    ok($same, "$n requests: same status, body, ETag and encoding");

    $st = $json_pp->decode($srv->get('/status')->body);
    $lazy = $st->{blobs}[1];
    # the search index's texts: read only by the snippets of search hits
    my ($toff, $tlen) = $sec{13} ? unpack('Q< Q<', substr($pristine,
                                                          $sec{13}[0], 16))
                                 : (0, 0);
    my $texts_only = grep {
        $soff + ($_ << $shift) >= $toff
        && $soff + (($_ + 1) << $shift) <= $toff + $tlen
    } 0 .. $nchunks - 1;
    ok($lazy->{chunks_verified} >= $nchunks - $texts_only
       && $lazy->{chunks_verified} <= $nchunks,
       "status: every chunk verified by now ($lazy->{chunks_verified} of "
       . "$nchunks) but those of the search index's texts alone "
       . "($texts_only) that no snippet read");
    is($lazy->{chunks_corrupt}, 0, 'status: none corrupt');

    my @bad = grep { /\[(crit|alert|emerg|error)\]/ } $srv->error_log_lines;
    is_deeply(\@bad, [], 'nothing bad in the error log');
};


# --- a corrupt document ----------------------------------------------------

subtest 'a corrupt body loads lazily but is never sent' => sub {
    my $srv = start_nginx(
        main_config => 'worker_processes 1;',
        config => <<'END',
location /c/ { glossary c.glossary mmap verify=lazy; }
location /ch/ { glossary_format html; glossary c.glossary mmap verify=lazy; }
location = /status { glossary_status; }
END
        user_files => { 'conf/c.glossary' => $corrupt_body,
                        'conf/good.glossary' => $pristine },
    );

    my (undef, $want) = Test::Glossary::Load::expected(
        $srv->path('conf', 'good.glossary'), '/c/',
        map { ("/c/$_", "/c/$_/related") } @sslugs);

    my $ok = 1;
    for my $s (@sslugs) {
        for my $p ("/c/$s", "/c/$s/related") {
            my $r = $srv->get($p);
            $ok &&= ($r->status // 0) == 200 && $r->body eq $want->{$p};
        }
        my $h = $srv->get("/ch/$s");
        $ok &&= ($h->status // 0) == 200;
    }
    ok($ok, scalar(@sslugs) . ' terms in other chunks: served, byte for byte');

    my $mark = $srv->log_mark;
    my $r = $srv->get("/c/$vslug");
    is($r->status, 500, "the corrupt term: 500");
    unlike($r->body, qr/Short definition/, 'and none of its body');

    my @log = $srv->error_log_lines(since => $mark);
    my @crit = grep { /\[crit\].*c\.glossary" is corrupt: chunk checksum mismatch .*STRINGS chunk $vchunk \(bytes / } @log;
    is(scalar @crit, 1, '[crit] names the file and the chunk') or diag(@log);

    $mark = $srv->log_mark;
    $r = $srv->get("/c/$vslug");
    is($r->status, 500, 'again: 500');
    @log = $srv->error_log_lines(since => $mark);
    ok((grep { /\[error\].*is corrupt: .*STRINGS chunk $vchunk failed its check before/ } @log),
       'then [error], from what the worker noted')
        or diag(@log);
    ok(!(grep { /\[crit\]/ } @log), 'no second [crit]');

    # a search hit whose fragment lies in the corrupt chunk fails the same way
    my @r = doc_refs($victim, 4);
    my $hit_bad = grep { $_ == $vchunk } chunks_of($r[0], $r[1]);
    my $name = sprintf('term+%s', substr($vslug, 5));
    is($srv->get("/c/_search?q=$name")->status, $hit_bad ? 500 : 200,
       'a search for it: ' . ($hit_bad ? '500, its hit is corrupt'
                                       : '200, its hit is elsewhere'));

    my $st = $json_pp->decode($srv->get('/status')->body);
    is($st->{blobs}[0]{chunks_corrupt}, 1, 'status: one chunk corrupt');

    # verified in full, the same file is refused
    my $full = start_nginx(
        config => 'location /c/ { glossary c.glossary; }',
        user_files => { 'conf/c.glossary' => $corrupt_body },
        must_die => 1,
    );
    like($full->start_output . join('', $full->error_log_lines),
         qr/\[emerg\].*c\.glossary" is invalid: checksum mismatch/,
         'verify=full refuses the same file at start');

    my $cli = Test::Glossary::glossaryc_path();
    my $f = $srv->path('conf', 'c.glossary');
    my $out = `'$cli' verify '$f' 2>&1`;
    isnt($? >> 8, 0, 'glossaryc verify refuses it');
    like($out, qr/checksum mismatch/, 'and says why');
};


# --- a corrupt index or eager string is refused at load --------------------

for my $case (['a byte of the index no check reads', $corrupt_index,
               qr/is invalid: checksum mismatch \(file is corrupt or was modified\): index: expected [0-9a-f]{16}, computed/],
              ['a byte of the eager strings', $corrupt_eager,
               qr/is invalid: chunk checksum mismatch .*: STRINGS chunk 0 /],
              ['a section count of 2^32 - 1', $hint_count, qr/is invalid: /],
              ['a section table at 2^40', $hint_table,
               qr/is invalid: /],
              ['a section at 2^40', $hint_section, qr/is invalid: /],
              ['eager strings of 2^62 bytes', $hint_eager, qr/is invalid: /])
{
    my ($what, $bytes, $re) = @$case;

    my $srv = start_nginx(
        config => 'location /c/ { glossary c.glossary mmap verify=lazy; }',
        user_files => { 'conf/c.glossary' => $bytes },
        must_die => 1,
    );
    ok($srv->start_failed, "$what: nginx does not start");
    like($srv->start_output . join('', $srv->error_log_lines), qr/\[emerg\].*$re/,
         "$what: [emerg] says why");
}


# --- reloads ---------------------------------------------------------------

subtest 'reloads with verify=lazy' => sub {
    my $srv = start_nginx(
        main_config => 'worker_processes 2;',
        config => 'location /g/ { glossary site.glossary mmap verify=lazy; }',
        user_files => { 'conf/site.glossary' => $pristine },
    );

    my $id = $srv->get("/g/$vslug")->header('X-Glossary-Build');
    like($id, qr/^[0-9a-f]{16}$/, 'serving');

    for my $bad (['index', $corrupt_index], ['eager strings', $corrupt_eager]) {
        $srv->write_file_atomic('conf/site.glossary', $bad->[1]);
        ok($srv->reload(expect_failure => 1), "corrupt $bad->[0]: reload refused, old workers stay");
        my $r = $srv->get("/g/$vslug");
        ok(($r->status // 0) == 200 && $r->header('X-Glossary-Build') eq $id,
           "corrupt $bad->[0]: the old data is still served");
    }

    # a corrupt body is not seen at load: the reload takes it, the body is
    # refused when it is first sent
    $srv->write_file_atomic('conf/site.glossary', $corrupt_body);
    ok($srv->reload, 'corrupt body: reload accepted');
    is($srv->get("/g/$vslug")->status, 500, 'corrupt body: that term 500');
    is($srv->get("/g/$sslugs[0]")->status, 200, 'corrupt body: another 200');

    $srv->write_file_atomic('conf/site.glossary', $pristine);
    ok($srv->reload, 'good again: reload');
    is($srv->get("/g/$vslug")->status, 200, 'good again: the term 200');

    my @bad = grep { /\[alert\]|exited on signal/ } $srv->error_log_lines;
    is_deeply(\@bad, [], 'no alert, no worker lost');
};

done_testing();
