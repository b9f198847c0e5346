# Hostile data.  Valid but nasty glossaries (t/data/hostile/valid: markup
# and quotes in every field, control characters and NUL inside strings,
# U+2028, astral and right-to-left text, self and cyclic references, the
# payload form; generated here: a 1 MiB explanation, 500 related terms)
# compile and are served byte-exact: every field of every term, decoded
# from the response, is the input's, and every body is the one the
# compiler renders.  Invalid ones (t/data/hostile/invalid, and generated:
# over the limits) fail with FILE:LINE:COLUMN: message, exit status 1, and
# no output: the previous blob stays as it was and no temporary file is
# left.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Glossary;
use Test::Glossary::CLI ();

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
}

my @valid = ((map { "$corpus/valid/$_" } qw(markup.json control.json
                unicode.json cycles.jsonl hostile.payload.json)),
             "$dir/big-explanation.json", "$dir/related-500.json");

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
    'deep.json'                => [1, 91, qr/nesting deeper than 64 levels/],
    'wrong-type-term.json'     => [2, 20, qr/"term" must be a string, found number/],
    'wrong-type-related.json'  => [1, 40, qr/"relatedTerms" must be an array or null, found object/],
    'missing-slug.json'        => [1, 2, qr/no "slug"/],
    'missing-term.json'        => [1, 2, qr/no "term"/],
    'empty-term.json'          => [1, 21, qr/"term" must not be empty/],
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
    my $rel = join ',', map { qq({"slug":"r-$_","name":"R"}) } 1 .. 1001;
    Test::Glossary::Server::spew("$dir/related-1001.json",
        qq([{"slug":"a","term":"A","relatedTerms":[$rel]}]));
    $invalid{"$dir/related-1001.json"} =
        [1, 40, qr/1001 entries.*limit of 1000/];

    my $field = 'x' x (16 * 1048576 + 1);
    Test::Glossary::Server::spew("$dir/field-16m.json",
        qq([{"slug":"a","term":"A",\n"explanation":"$field"}]));
    $invalid{"$dir/field-16m.json"} =
        [2, 15, qr/"explanation" is 16777217 bytes, over the limit of 16777216/];

    # a sparse file: the size is refused before anything is read
    open my $fh, '>', "$dir/huge.json" or die $!;
    truncate $fh, 257 * 1048576 or die $!;
    close $fh;
    $invalid{"$dir/huge.json"} = [1, 1, qr/over the limit of 256 MiB/];
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
