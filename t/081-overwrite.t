# The live blob overwritten in place under load: "cp new live" (same inode,
# truncated and rewritten), "truncate -s 0 live", and another program
# rewriting it slowly in place, chunk by chunk, and scribbling over it.
# A module that mapped the file would serve torn bodies or die of SIGBUS
# (ngx_http_geoip2_module issue #98); this one read the blob into memory
# when the configuration was read, so every response must still be the
# loaded build, byte for byte, no request may fail and no worker may die,
# until the next reload -- which refuses the broken file and keeps the old
# workers, then takes a good one.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Glossary;
use Test::Glossary::Load;

use Time::HiRes ();

my $PREFIX = '/glossary/';


sub glossary_json {
    my ($v, $n) = @_;
    return '[' . join(",\n", map {
        sprintf('{"slug":"term-%d","term":"Term %d %s","shortDefinition":'
                . '"%s","explanation":"%s","relatedTerms":[{"slug":'
                . '"term-%d","name":"Next"}]}', $_, $_, $v, "Def $v $_",
                join(' ', ("Text $v of $_.") x (30 + $_)), $_ + 1)
    } 1 .. $n) . ']';
}


my $srv = start_nginx(
    main_config => 'worker_processes 2;',
    http_config => 'error_log logs/error.log info;',
    config => "location $PREFIX { glossary site.glossary; }",
    glossary => glossary_json('A', 30),
    glossaries => { 'b.glossary' => glossary_json('B', 31) },
);

my $conf = $srv->prefix . '/conf';
my $live = "$conf/site.glossary";
my $newer = "$conf/b.glossary";

my @paths = ($PREFIX, map { ("${PREFIX}term-$_", "${PREFIX}term-$_/related") }
                      1, 2, 15, 30);

my ($ida, $bodya, $etaga) = Test::Glossary::Load::expected($live, $PREFIX,
                                                           @paths);
my ($idb, $bodyb) = Test::Glossary::Load::expected($newer, $PREFIX, @paths);

my @workers = $srv->workers;
is(scalar @workers, 2, 'two workers');

my $mark = $srv->log_mark;
my $ino = (stat $live)[1];

# only build A is acceptable while the load runs
my $load = Test::Glossary::Load->start(
    port => $srv->port, clients => 4, paths => \@paths,
    builds => { $ida => $bodya }, etags => { $ida => $etaga },
    max_seconds => 120);

Time::HiRes::sleep(1);

sub serving_a {
    my ($what) = @_;
    my $ok = 1;
    for my $p ("${PREFIX}term-2", "${PREFIX}term-30/related", $PREFIX) {
        my $r = $srv->get($p);
        $ok &&= ($r->status // 0) == 200
                && ($r->header('X-Glossary-Build') // '') eq $ida
                && $r->body eq $bodya->{$p};
    }
    ok($ok, "$what: still serving build A, byte for byte");
}


# 1. cp over the live file: same inode, truncated, then written
is(system('cp', $newer, $live), 0, 'cp b.glossary site.glossary');
is((stat $live)[1], $ino, 'cp wrote the live file in place (same inode)');
is(Test::Glossary::Server::slurp($live),
   Test::Glossary::Server::slurp($newer), 'the live file now holds B');
Time::HiRes::sleep(1);
serving_a('after cp');

# 2. truncate to zero
is(system('truncate', '-s', '0', $live), 0, 'truncate -s 0 site.glossary');
is(-s $live, 0, 'the live file is empty');
Time::HiRes::sleep(1);
serving_a('after truncate');

# 3. another program rewriting it in place, slowly, then scribbling
{
    my $b = Test::Glossary::Server::slurp($newer);
    open my $fh, '+<:raw', $live or die "open $live: $!";
    my $t = Time::HiRes::time();
    for (my $off = 0; $off < length $b; $off += 4096) {
        sysseek $fh, $off, 0;
        syswrite $fh, substr($b, $off, 4096) or die "write: $!";
        Time::HiRes::sleep(0.01);
    }
    for (1 .. 200) {
        my $off = int rand length $b;
        sysseek $fh, $off, 0;
        syswrite $fh, join('', map { chr int rand 256 } 1 .. 64);
    }
    truncate $fh, int(length($b) * 2 / 3);
    close $fh;
    is((stat $live)[1], $ino, 'the program rewrote the live file in place');
    Time::HiRes::sleep(1);
    serving_a('after an in-place rewrite');
}

my $st = $load->stop;

is_deeply([$srv->workers], \@workers, 'the same workers, none died');

is($st->{failures}, 0, 'no request failed under the overwrites')
    or diag(join "\n", @{ $st->{errors} });
cmp_ok($st->{requests}, '>=', 300, 'a steady load was served');
is_deeply([keys %{ $st->{by_build} }], [$ida], 'every response was build A');

my @lines = $srv->error_log_lines(since => $mark);
my @bad = grep { /\[(?:alert|crit|emerg)\]/ || /exited on signal/ } @lines;
ok(!@bad, 'no [alert], [crit], [emerg] or crashed worker')
    or diag(join '', @bad[0 .. ($#bad > 9 ? 9 : $#bad)]);

# the next reload sees the broken file: it fails, A stays
ok($srv->reload(expect_failure => 1),
   'reload with the scribbled file fails, the old workers stay');
serving_a('after the failed reload');

# a good file, replaced properly, is taken at the next reload
$srv->write_file_atomic('conf/site.glossary',
                        Test::Glossary::Server::slurp($newer));
ok($srv->reload, 'reload with a good blob');
my $r = $srv->get("${PREFIX}term-30");
is($r->header('X-Glossary-Build'), $idb, 'now serving build B');
is($r->body, $bodyb->{"${PREFIX}term-30"}, "build B body");

my $summary = sprintf("overwrite-under-load: cp, truncate, in-place "
    . "rewrite; %d requests on %d connections, %d ok, %d failed, %d "
    . "idle-close retries; workers unchanged",
    $st->{requests}, $st->{connections}, $st->{ok}, $st->{failures},
    $st->{retries});
diag($summary);

if (my $f = $ENV{TEST_GLOSSARY_FIGURES}) {
    open my $fh, '>>', $f or die "$f: $!";
    print {$fh} "$summary\n";
    close $fh;
}

$srv->stop;

done_testing();
