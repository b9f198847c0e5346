# A real glossary, whole: FOLDOC, the Free On-line Dictionary of Computing
# (Debian's dict-foldoc, GFDL, about 12,000 entries), converted from its
# dictd database by t/dictd2jsonl at test time (nothing converted is kept),
# compiled with every term (terms named "search" and "category", an entry
# that cross-references 1,282 others), served, and every term's fields read
# back byte-exact from the JSON route and the payload route.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Glossary;
use Test::Glossary::CLI ();
use Test::Glossary::HTTP qw(http_request);
use Test::Glossary::Terms qw(payload_term same payload_want);

use File::Temp ();

my $INDEX = '/usr/share/dictd/foldoc.index';
my $DICT = '/usr/share/dictd/foldoc.dict.dz';

plan skip_all => "dict-foldoc is not installed ($INDEX): make test installs it"
    unless -r $INDEX && -r $DICT;

my @FIELDS = qw(term shortDefinition seoTitle seoDescription explanation
                category);

my $dir = File::Temp::tempdir('glossary-foldoc-XXXXXX', TMPDIR => 1,
                              CLEANUP => 1);
my $in = "$dir/foldoc.jsonl";
my $blob = "$dir/foldoc.glossary";


# 1. convert and compile

my ($st, $out, $err) = Test::Glossary::CLI::run(
    { dir => $dir }, "$FindBin::Bin/dictd2jsonl", $INDEX, $DICT);
is($st, 0, 'dictd2jsonl converts the installed database') or diag($err);
Test::Glossary::Server::spew($in, $out);

my @terms = map { json_decode($_) } grep { /\S/ } split /\n/, $out;
my %by_slug = map { $_->{slug} => $_ } @terms;

cmp_ok(scalar @terms, '>=', 10000, 'at least 10,000 terms: ' . @terms);
ok($by_slug{search} && $by_slug{category},
   'real terms named "search" and "category"');
my ($most) = sort { @{ $b->{relatedTerms} || [] }
                    <=> @{ $a->{relatedTerms} || [] } } @terms;
cmp_ok(scalar @{ $most->{relatedTerms} }, '>', 1000,
       "\"$most->{slug}\" cross-references more than 1,000 terms");

($st, undef, $err) = Test::Glossary::CLI::glossaryc(
    { dir => $dir }, 'build', '--base-url', 'https://example.org/foldoc/',
    '-o', $blob, $in);
is($st, 0, 'the whole dictionary compiles') or diag($err);
like($err, qr/foldoc\.glossary: ${\ scalar @terms} terms, /,
     'every term is in the blob');


# 2. served: every term from the JSON route and the payload route

my $srv = start_nginx(config => "location /f/ { glossary $blob; }");

# pipelined on one connection a batch: one connection a request would
# take the run's time to open and close
sub fetch {
    my @paths = @_;
    my @res;

    while (my @batch = splice @paths, 0, 200) {
        my $req = join '', map { "GET $_ HTTP/1.1\r\nHost: localhost\r\n\r\n" }
                           @batch[0 .. $#batch - 1];
        $req .= "GET $batch[-1] HTTP/1.1\r\nHost: localhost\r\n"
              . "Connection: close\r\n\r\n";
        my @r = http_request($srv->port, $req, timeout => 60);
        push @res, @r[0 .. $#batch];
    }

    return @res;
}

my @json = fetch(map { "/f/$_->{slug}" } @terms);
my @payloads = fetch(map { "/f/$_->{slug}/_payload.json" } @terms);

my (@wrong, @wrong_payload);

for my $i (0 .. $#terms) {
    my $t = $terms[$i];
    my $r = $json[$i];

    if (!$r || ($r->status // 0) != 200) {
        push @wrong, "$t->{slug}: status " . ($r ? $r->status // 'none' : 'none');
        next;
    }

    my $got = eval { json_decode($r->body) };

    if (ref $got ne 'HASH') {
        push @wrong, "$t->{slug}: not strict JSON";
        next;
    }

    for my $k ('slug', @FIELDS) {
        push @wrong, "$t->{slug}: $k" unless same($got->{$k}, $t->{$k});
    }

    my @wr = @{ $t->{relatedTerms} || [] };
    my @gr = @{ $got->{relatedTerms} || [] };
    my $ok = @wr == @gr;

    for my $j (0 .. $#wr) {
        last unless $ok;
        my $target = $by_slug{ $wr[$j]{slug} };
        $ok = $gr[$j]{slug} eq $wr[$j]{slug}
              && $gr[$j]{name} eq $wr[$j]{name}
              && (!$target || (same($gr[$j]{term}, $target->{term})
                               && same($gr[$j]{shortDefinition},
                                       $target->{shortDefinition})));
    }

    push @wrong, "$t->{slug}: relatedTerms" unless $ok;

    $r = $payloads[$i];

    if (!$r || ($r->status // 0) != 200) {
        push @wrong_payload, "$t->{slug}: status";
        next;
    }

    my $p = payload_term($r->body);

    if (!ref $p) {
        push @wrong_payload, "$t->{slug}: $p";
        next;
    }

    my $want = payload_want($t, @FIELDS);
    push @wrong_payload, "$t->{slug}: $_"
        for grep { !same($p->{$_}, $want->{$_}) } sort keys %$want;
}

is(scalar @wrong, 0, 'JSON route: every field of every term byte-exact')
    or diag(join "\n", @wrong[0 .. ($#wrong < 9 ? $#wrong : 9)]);
is(scalar @wrong_payload, 0,
   'payload route: every field of every term byte-exact')
    or diag(join "\n", @wrong_payload[0 .. ($#wrong_payload < 9
                                            ? $#wrong_payload : 9)]);

my $index = eval { json_decode($srv->get('/f/')->body) } || [];
is(scalar @$index, scalar @terms, 'the index lists every term');

my $rel = eval { json_decode($srv->get("/f/$most->{slug}/related")->body) }
          || [];
is(scalar @$rel, scalar @{ $most->{relatedTerms} },
   "\"$most->{slug}\": every related term served");

$srv->stop;

done_testing();
