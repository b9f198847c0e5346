# Reloads under load: 50 reloads alternating between two blobs while
# forked clients (keep-alive and new connections) request terms, related
# lists and the index.  Every response must be a 200 or 304 whose body is
# exactly that of the build its X-Glossary-Build names; no request may
# fail; the error log must hold no [alert], [crit] or crashed worker.
# Then, still under load, reloads with a missing, a truncated and a
# corrupted blob must fail with a message while the old workers keep
# serving the old build.
#
# TEST_GLOSSARY_RELOADS (default 50) changes the number of reloads.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Glossary;
use Test::Glossary::Load;

use File::Copy ();
use Time::HiRes ();

my $RELOADS = $ENV{TEST_GLOSSARY_RELOADS} || 50;
my $PREFIX = '/glossary/';


# a glossary of $n terms; $v makes every text differ between versions
sub glossary_json {
    my ($v, $n) = @_;
    my @t;
    for my $i (1 .. $n) {
        my @rel = map { { slug => "term-$_", name => "Term $_" } }
                  grep { $_ >= 1 && $_ <= $n + 1 } ($i - 1, $i + 1, $i * 7);
        push @t, sprintf('{"slug":"term-%d","term":"Term %d (%s)",'
            . '"shortDefinition":"Version %s of term %d.",'
            . '"explanation":"%s","category":"Cat %d","relatedTerms":[%s],'
            . '"faq":[{"question":"Why %d?","answer":"Because %s."}]}',
            $i, $i, $v, $v, $i,
            join(' ', map { "Sentence $_ of term $i, version $v." }
                      1 .. 20 + $i % 40),
            $i % 5,
            join(',', map { sprintf('{"slug":"%s","name":"%s"}',
                                    $_->{slug}, $_->{name}) } @rel),
            $i, $v);
    }
    return '[' . join(",\n", @t) . ']';
}


my $srv = start_nginx(
    main_config => 'worker_processes 2;',
    # request-level messages at info: the debug log of thousands of
    # requests would cost more than the requests
    http_config => 'error_log logs/error.log info;',
    config => "location $PREFIX { glossary site.glossary; }",
    glossary => glossary_json('A', 40),
    glossaries => { 'a.glossary' => glossary_json('A', 40),
                    'b.glossary' => glossary_json('B', 41) },
);

my $conf = $srv->prefix . '/conf';
File::Copy::copy("$conf/a.glossary", "$conf/site.glossary.tmp") or die $!;
rename "$conf/site.glossary.tmp", "$conf/site.glossary" or die $!;

ok($srv->reload, 'reload onto blob A');

my @paths = ($PREFIX, map { ("${PREFIX}term-$_", "${PREFIX}term-$_/related") }
                      1, 2, 3, 7, 20, 39, 40);

my (%builds, %etags, @ids);

for my $name (qw(a b)) {
    my ($id, $body, $etag) = Test::Glossary::Load::expected(
        "$conf/$name.glossary", $PREFIX, @paths);
    $builds{$id} = $body;
    $etags{$id} = $etag;
    push @ids, $id;
}

isnt($ids[0], $ids[1], 'the two blobs have different build ids');

my $r = $srv->get("${PREFIX}term-1");
is($r->header('X-Glossary-Build'), $ids[0], 'serving blob A');

my $mark = $srv->log_mark;

my $load = Test::Glossary::Load->start(
    port => $srv->port, clients => 4, paths => \@paths,
    builds => \%builds, etags => \%etags, max_seconds => 240);

Time::HiRes::sleep(0.5);

my $t0 = Time::HiRes::time();
my ($ok_reloads, $switched) = (0, 0);

for my $i (1 .. $RELOADS) {
    my $name = $i % 2 ? 'b' : 'a';
    my $want = $i % 2 ? $ids[1] : $ids[0];

    File::Copy::copy("$conf/$name.glossary", "$conf/site.glossary.tmp")
        or die "copy: $!";
    rename "$conf/site.glossary.tmp", "$conf/site.glossary"
        or die "rename: $!";

    $ok_reloads++ if $srv->reload;

    my $res = $srv->get("${PREFIX}term-2");
    $switched++ if ($res->header('X-Glossary-Build') // '') eq $want;

    # some load between reloads
    Time::HiRes::sleep(0.1);
}

my $elapsed = Time::HiRes::time() - $t0;

is($ok_reloads, $RELOADS, "$RELOADS reloads completed");
is($switched, $RELOADS, 'each reload switched to the other build');


# failed reloads, still under load: the old workers keep serving

my $serving = $RELOADS % 2 ? $ids[1] : $ids[0];
my $live = "$conf/site.glossary";
my $good = Test::Glossary::Server::slurp($live);

my %bad = (
    missing   => undef,
    truncated => substr($good, 0, int(length($good) / 2)),
    corrupted => do {
        my $b = $good;
        substr($b, 4000, 1) = chr(ord(substr($b, 4000, 1)) ^ 0x20);
        $b;
    },
);

my %why = (
    missing   => qr/\[emerg\] .*open\(\) ".*site\.glossary" failed/,
    truncated => qr/\[emerg\] .*glossary ".*site\.glossary" is invalid: /,
    corrupted => qr/\[emerg\] .*glossary ".*site\.glossary" is invalid: /,
);

for my $kind (qw(missing truncated corrupted)) {
    if (defined $bad{$kind}) {
        $srv->write_file_atomic('conf/site.glossary', $bad{$kind});
    } else {
        unlink $live or die "unlink: $!";
    }

    my $m = $srv->log_mark;
    ok($srv->reload(expect_failure => 1),
       "reload with a $kind blob fails, the old workers stay");

    my @lines = $srv->error_log_lines(since => $m);
    ok((grep { $_ =~ $why{$kind} } @lines),
       "the $kind blob is named in an [emerg] message")
        or diag(join '', @lines[0 .. ($#lines > 5 ? 5 : $#lines)]);

    my $res = $srv->get("${PREFIX}term-3");
    is($res->status, 200, "after the failed reload ($kind): 200");
    is($res->header('X-Glossary-Build'), $serving,
       "after the failed reload ($kind): still the old build");
    is($res->body, $builds{$serving}{"${PREFIX}term-3"},
       "after the failed reload ($kind): the old body");
}

# and a good blob again
$srv->write_file_atomic('conf/site.glossary', $good);
ok($srv->reload, 'reload with the good blob again');

Time::HiRes::sleep(0.3);

my $st = $load->stop;

my @lines = $srv->error_log_lines(since => $mark);
my @bad = grep { /\[(?:alert|crit)\]/ || /exited on signal/ } @lines;
my @emerg = grep { /\[emerg\]/ } @lines;

ok(!@bad, 'no [alert], [crit] or crashed worker in the error log')
    or diag(join '', @bad[0 .. ($#bad > 9 ? 9 : $#bad)]);
is(scalar @emerg, 3, 'an [emerg] for each failed reload, and no other');

is($st->{failures}, 0, 'no request failed')
    or diag(join "\n", @{ $st->{errors} });
is($st->{clients_lost}, 0, 'every load client finished');
cmp_ok($st->{requests}, '>=', 500, 'a steady load was served');
is(scalar(grep { $st->{by_build}{$_} } @ids), 2,
   'responses came from both builds');
is(join(',', grep { $_ != 200 && $_ != 304 } keys %{ $st->{status} }), '',
   'only 200 and 304');

my $summary = sprintf("reload-under-load: %d reloads (+3 failed) in %.1f s; "
    . "%d requests on %d connections, %d ok, %d failed, %d idle-close "
    . "retries; by build: %s; status: %s",
    $ok_reloads, $elapsed, $st->{requests}, $st->{connections}, $st->{ok},
    $st->{failures}, $st->{retries},
    join(' ', map { "$_=" . ($st->{by_build}{$_} || 0) } @ids),
    join(' ', map { "$_=$st->{status}{$_}" } sort keys %{ $st->{status} }));

diag($summary);

if (my $f = $ENV{TEST_GLOSSARY_FIGURES}) {
    open my $fh, '>>', $f or die "$f: $!";
    print {$fh} "$summary\n";
    close $fh;
}

$srv->stop;

done_testing();
