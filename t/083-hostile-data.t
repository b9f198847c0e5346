# Hostile data.  Valid but nasty glossaries (t/data/hostile/valid: markup
# and quotes in every field, control characters and NUL inside strings,
# U+2028, astral and right-to-left text, self and cyclic references, an
# ignored field nested 100 deep, the payload form; generated here: a 1 MiB
# explanation, 500 related terms, 70,000 related terms and FAQ entries of
# one term)
# compile and are served byte-exact: every field of every term, decoded
# from the response, is the input's, and every body is the one the
# compiler renders.  Through nginx too: every Nuxt payload is script-safe
# (no < > / U+2028 U+2029) and its references, resolved as devalue does,
# give back the input's term; the HTML pages of the markup glossary, read
# into the element tree a browser builds, show every field as the input's
# text, none of it turned into markup.  Invalid ones (t/data/hostile/invalid,
# and generated: over the limits) fail with FILE:LINE:COLUMN: message, exit
# status 1, and no output: the previous blob stays as it was and no
# temporary file is left.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Glossary;
use Test::Glossary::CLI ();
use Test::Glossary::HTML qw(html_parse html_find html_text html_elements);
use Test::Glossary::Terms qw(payload_term same);

use File::Temp ();

my $dir = File::Temp::tempdir('glossary-hostile-XXXXXX', TMPDIR => 1,
                              CLEANUP => 1);
my $corpus = data_dir() . '/hostile';

my @FIELDS = qw(term shortDefinition seoTitle seoDescription explanation
                category);


# (status, stdout and stderr) of glossaryc; paths here are absolute
sub run_cli {
    my ($rc, $out, $err) = Test::Glossary::CLI::glossaryc(@_);
    return ($rc, $out . $err);
}


sub cli_out {
    my ($rc, $out) = Test::Glossary::CLI::glossaryc(@_);
    return $out;
}


# the terms of an input file, as Perl data
sub terms_of {
    my ($file) = @_;
    my $text = Test::Glossary::Server::slurp($file);

    if ($file =~ /\.jsonl$/) {
        return [map { json_decode($_) } grep { /\S/ } split /\n/, $text];
    }

    my $d = json_decode($text);

    if ($file =~ /\.payload\.json$/) {
        # devalue: integers are references to elements, negatives special
        my $res;
        $res = sub {
            my ($i) = @_;
            return undef if $i < 0;
            my $v = $d->[$i];
            return [map { $res->($_) } @$v] if ref $v eq 'ARRAY';
            return { map { $_ => $res->($v->{$_}) } keys %$v }
                if ref $v eq 'HASH';
            return $v;
        };
        return [map { $res->($_) }
                grep { ref $d->[$_] eq 'HASH' && exists $d->[$_]{slug}
                       && exists $d->[$_]{term} } 0 .. $#$d];
    }

    return ref $d eq 'ARRAY' ? $d : $d->{terms} ? $d->{terms} : [$d];
}


# --- generated inputs -----------------------------------------------------

{
    my $unit = "\x{dc}n\x{ef}c\x{f6}d\x{e9} \x{1F600} <b>\"q\"</b>&amp;\n\t\\ ";
    utf8::encode($unit);
    my $big = $unit x (1048576 / length($unit) + 1);
    $big = substr($big, 0, 1048576);
    $big =~ s/[\x80-\xff]+\z//;      # no split character at the end
    (my $esc = $big) =~ s/(["\\])/\\$1/g;
    $esc =~ s/\n/\\n/g;
    $esc =~ s/\t/\\t/g;

    Test::Glossary::Server::spew("$dir/big-explanation.json",
        qq([{"slug":"big","term":"Big","explanation":"$esc"}]));

    my @t = map { qq({"slug":"t-$_","term":"T $_","shortDefinition":"D $_"}) }
            1 .. 250;
    my $rel = join q(,), map {; qq({"slug":"t-$_","name":"T $_"}),
                              qq({"slug":"d-$_","name":"Dangling $_"}) }
              1 .. 250;
    Test::Glossary::Server::spew("$dir/related-500.json",
        '[' . join(',', qq({"slug":"hub","term":"Hub","relatedTerms":[$rel]}),
                   @t) . ']');

    # beyond the old limit of 1,000: 70,000 related entries and 70,000
    # FAQ entries of one term (every 1,000th related entry a term)
    my $many = join q(,), map { $_ % 1000 ? qq({"slug":"d-$_","name":"D $_"})
                                          : qq({"slug":"t-$_","name":"T $_"}) }
               1 .. 70000;
    my $faq = join q(,), map { qq({"question":"Q $_?","answer":"A $_."}) }
              1 .. 70000;
    Test::Glossary::Server::spew("$dir/related-70000.jsonl",
        qq({"slug":"hub","term":"Hub","relatedTerms":[$many],"faq":[$faq]}\n)
        . join('', map { qq({"slug":"t-$_","term":"T $_"}\n) }
                   map { $_ * 1000 } 1 .. 70));
}

my @valid = ((map { "$corpus/valid/$_" } qw(markup.json control.json
                unicode.json cycles.jsonl hostile.payload.json)),
             "$dir/big-explanation.json", "$dir/related-500.json",
             "$dir/related-70000.jsonl", "$corpus/valid/deep.json");

my (%blob, @locs);
my $n = 0;

for my $f (@valid) {
    (my $name = $f) =~ s{.*/}{};
    my $out = "$dir/v$n.glossary";
    my ($rc, $msg) = run_cli('build', '-q', '-o', $out, $f);
    is($rc, 0, "$name compiles") or diag($msg);
    $blob{$f} = $out;
    push @locs, "location /v$n/ { glossary $out; }";
    $n++;
}

my $markup = "$corpus/valid/markup.json";
push @locs, "location /h/ { glossary $blob{$markup}; glossary_format html; }";

my $srv = start_nginx(config => join("\n", @locs));

$n = 0;

for my $f (@valid) {
    (my $name = $f) =~ s{.*/}{};
    my $prefix = "/v$n/";
    my $terms = terms_of($f);
    my $blobf = $blob{$f};
    my %by_slug = map { $_->{slug} => $_ } @$terms;
    $n++;

    ok(@$terms > 0, "$name: terms read back");

    my $bad = 0;

    for my $t (@$terms) {
        my $r = $srv->get($prefix . $t->{slug});
        if (($r->status // 0) != 200) {
            fail("$name $t->{slug}: 200");
            $bad++;
            next;
        }

        my $body = $r->body;
        my $want = cli_out('get', $blobf, $t->{slug});
        $bad++, fail("$name $t->{slug}: body is the compiler's")
            unless $body eq $want;

        my $got = eval { json_decode($body) };
        if (!$got) {
            fail("$name $t->{slug}: body is strict JSON: $@");
            $bad++;
            next;
        }

        for my $k ('slug', @FIELDS) {
            my ($g, $w) = ($got->{$k}, $t->{$k});
            next if !defined $g && !defined $w;
            if (!defined $g || !defined $w || $g ne $w) {
                fail("$name $t->{slug}: $k byte-exact");
                diag(sprintf "got %s bytes, want %s",
                     defined $g ? length $g : 'undef',
                     defined $w ? length $w : 'undef');
                $bad++;
            }
        }

        my @wr = @{ $t->{relatedTerms} || [] };
        my @gr = @{ $got->{relatedTerms} || [] };
        my $rel_ok = @wr == @gr;
        for my $i (0 .. $#wr) {
            last unless $rel_ok;
            $rel_ok &&= $gr[$i]{slug} eq $wr[$i]{slug}
                        && ($gr[$i]{name} // '') eq ($wr[$i]{name} // '');
            my $target = $by_slug{ $wr[$i]{slug} };
            $rel_ok &&= ($gr[$i]{term} // '') eq $target->{term} if $target;
        }
        $bad++, fail("$name $t->{slug}: related terms byte-exact")
            unless $rel_ok;

        my @wf = @{ $t->{faq} || [] };
        my @gf = @{ $got->{faq} || [] };
        my $faq_ok = @wf == @gf;
        for my $i (0 .. $#wf) {
            last unless $faq_ok;
            $faq_ok &&= ($gf[$i]{question} // '') eq ($wf[$i]{question} // '')
                        && ($gf[$i]{answer} // '') eq ($wf[$i]{answer} // '');
        }
        $bad++, fail("$name $t->{slug}: faq byte-exact") unless $faq_ok;

        my $rr = $srv->get($prefix . $t->{slug} . '/related');
        my $rl = eval { json_decode($rr->body) };
        $bad++, fail("$name $t->{slug}/related: strict JSON, "
                     . scalar(@wr) . " entries")
            unless $rr->status == 200 && ref $rl eq 'ARRAY' && @$rl == @wr
                   && $rr->body eq cli_out('get', $blobf, $t->{slug},
                                           'related');
    }

    ok(!$bad, "$name: " . scalar(@$terms) . " terms served byte-exact");

    my $ix = $srv->get($prefix);
    my $il = eval { json_decode($ix->body) };
    ok($ix->status == 200 && ref $il eq 'ARRAY' && @$il == @$terms,
       "$name: the index is strict JSON with every term");
}

{
    my $r = $srv->get('/v5/big', 'Accept-Encoding' => 'gzip');
    is($r->header('Content-Encoding'), 'gzip', '1 MiB explanation: gzip');
    my $plain = $srv->get('/v5/big');
    cmp_ok(length $plain->body, '>', 1048576, '1 MiB explanation: served');
}


# --- Nuxt payloads through nginx --------------------------------------------

sub payload_want { Test::Glossary::Terms::payload_want($_[0], @FIELDS) }

$n = 0;

for my $f (@valid) {
    (my $name = $f) =~ s{.*/}{};
    my $prefix = "/v$n/";
    $n++;

    my (@unsafe, @wrong);

    for my $t (@{ terms_of($f) }) {
        my $r = $srv->get("$prefix$t->{slug}/_payload.json");
        my $body = $r->body // '';

        if (($r->status // 0) != 200) {
            push @wrong, "$t->{slug}: status " . ($r->status // 'none');
            next;
        }

        push @unsafe, $t->{slug}
            if $body =~ m{[<>/]|\xe2\x80[\xa8\xa9]};

        my $got = payload_term($body);
        my $want = payload_want($t);

        if (!ref $got) {
            push @wrong, "$t->{slug}: $got";
            next;
        }

        for my $k (sort keys %$want) {
            push @wrong, "$t->{slug}: $k" unless same($got->{$k}, $want->{$k});
        }
    }

    is("@unsafe", '', "$name: payloads escape < > / U+2028 U+2029");
    is("@wrong", '', "$name: payload references resolve to the input term");
}


# --- HTML pages through nginx ----------------------------------------------

# no element of the page holds what the data said: the field is text
sub only_text {
    my ($what, $node, $want) = @_;
    ok($node && !html_elements($node), "markup $what: no element inside");
    is($node && html_text($node), $want, "markup $what: the input's text");
}

{
    my %by_slug = map { $_->{slug} => $_ } @{ terms_of($markup) };

    for my $t (values %by_slug) {
        my $r = $srv->get("/h/$t->{slug}");
        is($r->status, 200, "markup $t->{slug}: the HTML page");
        my $doc = html_parse($r->body // '');

        my ($title) = html_find($doc, 'title');
        only_text('<title>', $title, $t->{seoTitle} // $t->{term});

        my ($desc) = html_find($doc, 'meta', name => 'description');
        is($desc && $desc->{attrs}{content},
           $t->{seoDescription} // $t->{shortDefinition},
           'markup meta description: the input\'s text');

        my ($og) = html_find($doc, 'meta', property => 'og:title');
        is($og && $og->{attrs}{content}, $t->{seoTitle} // $t->{term},
           'markup og:title: the input\'s text');

        my ($h1) = html_find($doc, 'h1');
        only_text('<h1>', $h1, $t->{term});

        my ($short) = html_find($doc, 'p', class => 'short');
        only_text('short definition', $short, $t->{shortDefinition});

        my ($expl) = html_find($doc, 'div', class => 'explanation');
        my @p = $expl ? html_find($expl, 'p') : ();
        is(join('|', map { $_->{tag} } $expl ? html_find($expl, '*') : ()),
           'p', 'markup explanation: one paragraph, nothing else');
        only_text('explanation', $p[0], $t->{explanation});

        my @dt = html_find($doc, 'dt');
        my @dd = map { html_find($_, 'p') } html_find($doc, 'dd');
        is(scalar @dt, scalar @{ $t->{faq} }, 'markup faq: one <dt> each');
        for my $i (0 .. $#dt) {
            only_text("faq question $i", $dt[$i], $t->{faq}[$i]{question});
            only_text("faq answer $i", $dd[$i], $t->{faq}[$i]{answer});
        }

        my ($cat) = map { html_find($_, 'a') }
                    html_find($doc, 'p', class => 'category');
        only_text('category link', $cat, $t->{category});

        my ($rel) = html_find($doc, 'section', class => 'related');
        my @li = $rel ? html_find($rel, 'li') : ();
        is(scalar @li, scalar @{ $t->{relatedTerms} },
           'markup related: one <li> each');
        for my $i (0 .. $#li) {
            my $e = $t->{relatedTerms}[$i];
            my $target = $by_slug{ $e->{slug} };
            if ($target) {
                my ($a) = html_find($li[$i], 'a');
                only_text("related $i link", $a, $target->{term});
            } else {
                only_text("related $i (dangling)", $li[$i], $e->{name});
            }
        }

        my @scripts = html_find($doc, 'script');
        my @ld = grep { ($_->{attrs}{type} // '') eq 'application/ld+json' }
                 @scripts;
        is(scalar @scripts, scalar @ld, 'markup: every <script> is JSON-LD');
        my $graph = eval { json_decode(html_text($ld[0])) };
        my ($dt) = grep { $_->{'@type'} eq 'DefinedTerm' }
                   @{ $graph && $graph->{'@graph'} || [] };
        is($dt && $dt->{name}, $t->{term}, 'markup JSON-LD: the term\'s name');

        my $ix = html_parse($srv->get('/h/')->body // '');
        my ($link) = html_find($ix, 'a', href => $t->{slug});
        only_text('index link', $link, $t->{term});

        # the query, escaped by the module, shown as it was typed
        (my $q = $t->{term})
            =~ s/([^A-Za-z0-9_.~-])/sprintf('%%%02X', ord $1)/ge;
        my $sr = $srv->get("/h/_search?q=$q");
        is($sr->status, 200, 'markup search page');
        my $sd = html_parse($sr->body // '');
        my ($in) = html_find($sd, 'input', name => 'q');
        is($in && $in->{attrs}{value}, $t->{term},
           'markup search: the query as the input\'s value');
        my ($sh1) = html_find($sd, 'h1');
        only_text('search heading', $sh1,
                  "Search results for \xe2\x80\x9c$t->{term}\xe2\x80\x9d");
    }
}


my @bad_log = grep { /\[(?:warn|error|crit|alert|emerg)\]/ }
              $srv->error_log_lines;
ok(!@bad_log, 'nothing above [notice] in the error log')
    or diag(join '', @bad_log[0 .. ($#bad_log > 5 ? 5 : $#bad_log)]);

$srv->stop;


# --- invalid inputs -------------------------------------------------------

# file => [line, column, message regexp]
my %invalid = (
    'truncated.json'           => [2, 24, qr/parse error: premature EOF/],
    'invalid-utf8.json'        => [2, 16, qr/invalid bytes in UTF8 string/],
    'overlong-utf8.json'       => [1, 21, qr/invalid UTF-8 in string/],
    'wrong-type-term.json'     => [2, 20, qr/"term" must be a string, found number/],
    'wrong-type-related.json'  => [1, 40, qr/"relatedTerms" must be an array or null, found object/],
    'missing-slug.json'        => [1, 2, qr/no "slug"/],
    'missing-term.json'        => [1, 2, qr/no "term"/],
    'empty-term.json'          => [1, 21, qr/"term" must not be empty/],
    'blank-term.json'          => [2, 24, qr/"term" is blank/],
    'blank-question.json'      => [1, 49, qr/"question" is blank/],
    'bad-slug.json'            => [1, 10, qr/slug "Not A Slug" is not canonical/],
    'nul-slug.json'            => [1, 10, qr/slug "a\\x00b" is not canonical/],
    'long-slug.json'           => [1, 10, qr/is not canonical.*at most 128 bytes/],
    'bad-related-slug.json'    => [1, 49, qr/related slug "\.\.\/etc" is not canonical/],
    'duplicate.json'           => [3, 9, qr/duplicate slug "a" \(first defined at \S+duplicate\.json:1:10\)/],
    'duplicate-lines.jsonl'    => [2, 9, qr/duplicate slug "a"/],
    'bad-line.jsonl'           => [2, 24, qr/parse error/],
    'top-level-number.json'    => [1, 1, qr/found number/],
    'trailing-garbage.json'    => [1, 27, qr/trailing garbage/],
    'empty.json'               => [1, 1, qr/premature EOF/],
    'payload-bad-ref.json'     => [1, 30, qr/payload reference 99 is out of range/],
    'payload-cycle.json'       => [1, 59, qr/payload reference 4 is cyclic/],
    'payload-self-ref.json'    => [1, 38, qr/payload reference 3 is cyclic/],
    'payload-wrong-type.json'  => [1, 30, qr/"term" must be a string, found boolean/],
);

# generated: over the limits of glossary_blob.h / glossary_input.h
{
    # a sparse file: no size limit, a stream that fails at its first byte
    open my $fh, '>', "$dir/huge.json" or die $!;
    truncate $fh, 257 * 1048576 or die $!;
    close $fh;
    $invalid{"$dir/huge.json"} = [1, 2, qr/lexical error: invalid char/];
}

my $out = "$dir/out/site.glossary";
mkdir "$dir/out";
my ($rc0) = run_cli('build', '-q', '-o', $out, "$corpus/valid/markup.json");
is($rc0, 0, 'a previous blob to keep');
my $before = Test::Glossary::Server::slurp($out);

for my $f (sort keys %invalid) {
    my $path = $f =~ m{/} ? $f : "$corpus/invalid/$f";
    my ($line, $col, $re) = @{ $invalid{$f} };
    (my $name = $f) =~ s{.*/}{};

    my ($rc, $msg) = run_cli('build', '-q', '-o', $out, $path);

    is($rc, 1, "$name: exit status 1");
    my ($first) = split /\n/, $msg;
    $first //= '';
    like($first, qr/^\Q$path\E:$line:$col: /, "$name: FILE:$line:$col");
    like($first, $re, "$name: message");
    ok(Test::Glossary::Server::slurp($out) eq $before,
       "$name: the previous blob is untouched");

    opendir my $dh, "$dir/out" or die $!;
    my @left = grep { !/^\.\.?$/ && $_ ne 'site.glossary' } readdir $dh;
    closedir $dh;
    is("@left", '', "$name: no temporary file left");
}

my ($vrc, $vmsg) = run_cli('verify', $out);
is($vrc, 0, 'the kept blob still verifies') or diag($vmsg);

done_testing();
