# The compiler killed in the middle of a build: the previous blob is left
# as it was, verifies and loads into nginx.  A large generated input makes
# a build last long enough to be killed while it parses and while it
# writes its temporary file.
#
# SIGKILL cannot be caught: a kill while the temporary file is being
# written leaves it behind, as ".NAME.XXXXXX" beside the target.  It is
# hidden, never read by nginx (which opens only the configured path) nor
# by glossaryc reading a directory (names starting with "." are skipped),
# and the next build does not trip on it; README ("Reliability") says how
# to clean such files.  SIGTERM, SIGINT, SIGHUP and SIGQUIT are caught: the
# temporary file is removed before the compiler dies.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Glossary;

use File::Temp ();
use POSIX ();
use Time::HiRes ();

my $TERMS = $ENV{TEST_GLOSSARY_KILL_TERMS} || 8000;

my $dir = File::Temp::tempdir('glossary-kill-XXXXXX', TMPDIR => 1,
                              CLEANUP => 1);
my $cli = build_dir() . '/glossaryc';
my $input = "$dir/large.jsonl";
my $outdir = "$dir/out";
my $target = "$outdir/site.glossary";

mkdir $outdir or die "$outdir: $!";

{
    open my $fh, '>', $input or die "$input: $!";
    for my $i (1 .. $TERMS) {
        printf {$fh} '{"slug":"term-%d","term":"Term %d","shortDefinition":'
            . '"Short %d","explanation":"%s","relatedTerms":[{"slug":'
            . '"term-%d","name":"Next"}]}' . "\n",
            $i, $i, $i, "Lorem ipsum dolor sit amet $i. " x 30,
            $i % $TERMS + 1;
    }
    close $fh or die "$input: $!";
}

# the previous blob: a small one, so that any mix-up shows
my $small = "$dir/small.json";
Test::Glossary::Server::spew($small,
    '[{"slug":"cuda","term":"CUDA","shortDefinition":"previous"}]');

my $log = "$dir/build.log";
is(Test::Glossary::Server::run_command(
       [$cli, 'build', '-q', '-o', $target, $small], $log, 30), 0,
   'the previous blob is built');

my $previous = Test::Glossary::Server::slurp($target);

# how long a whole build of the large input takes (into another file)
my $t0 = Time::HiRes::time();
is(Test::Glossary::Server::run_command(
       [$cli, 'build', '-q', '-o', "$dir/timing.glossary", $input], $log, 300),
   0, "a build of $TERMS terms succeeds");
my $full = Time::HiRes::time() - $t0;
my $size = -s "$dir/timing.glossary";
unlink "$dir/timing.glossary";
diag(sprintf "a build of %d terms (%d bytes of blob) takes %.2f s",
             $TERMS, $size, $full);


sub temps {
    opendir my $dh, $outdir or die "$outdir: $!";
    my @t = grep { $_ ne 'site.glossary' && !/^\.\.?$/ } readdir $dh;
    closedir $dh;
    return @t;
}


# start a build over the target; kill it with $sig when $when says so
sub killed_build {
    my ($sig, $when) = @_;

    my %before = map { $_ => 1 } temps();

    my $pid = fork;
    die "fork: $!" unless defined $pid;

    if ($pid == 0) {
        open STDOUT, '>', '/dev/null';
        open STDERR, '>', '/dev/null';
        { no warnings 'exec'; exec $cli, 'build', '-q', '-o', $target,
                                   $input; }
        POSIX::_exit(127);
    }

    my $start = Time::HiRes::time();
    my $deadline = $start + 60;
    my $what = 'finished before the kill';

    while (Time::HiRes::time() < $deadline) {
        if (waitpid($pid, POSIX::WNOHANG()) == $pid) {
            return ($?, $what);
        }

        my $t = Time::HiRes::time() - $start;

        if ($when eq 'writing') {
            my ($tmp) = grep { !$before{$_} } temps();
            if (defined $tmp && (-s "$outdir/$tmp" || 0) > 0) {
                kill $sig, $pid;
                $what = sprintf 'killed while writing %s (%d bytes in)',
                                $tmp, -s "$outdir/$tmp";
                last;
            }
        } elsif ($t >= $when) {
            kill $sig, $pid;
            $what = sprintf 'killed %.2f s in', $t;
            last;
        }

        Time::HiRes::sleep(0.001);
    }

    kill 'KILL', $pid if Time::HiRes::time() >= $deadline;
    waitpid($pid, 0);

    return ($?, $what);
}


sub target_intact {
    my ($label) = @_;

    ok(Test::Glossary::Server::slurp($target) eq $previous,
       "$label: the target holds the previous blob, byte for byte");

    is(Test::Glossary::Server::run_command([$cli, 'verify', $target],
                                           $log, 30),
       0, "$label: the target verifies");
}


my %stale;

for my $case (['KILL', $full * 0.3, 'while parsing'],
              ['KILL', 'writing', 'while writing'],
              ['TERM', 'writing', 'while writing'],
              ['INT', $full * 0.5, 'half-way'])
{
    my ($sig, $when, $label) = @$case;
    $label = "SIG$sig $label";

    my ($status, $what) = killed_build($sig, $when);
    note("$label: $what");

    SKIP: {
        skip "$label: the build finished first ($what)", 5
            if ($status & 127) == 0;

        is($status & 127, POSIX->can("SIG$sig")->(), "$label: $what");
        target_intact($label);

        my @t = grep { !$stale{$_} } temps();

        if ($sig eq 'KILL') {
            ok(!grep({ !/^\.site\.glossary\.[A-Za-z0-9]{6}$/ } @t),
               "$label: nothing but hidden .site.glossary.XXXXXX left")
                or diag("left: @t");
            $stale{$_} = 1 for @t;
        } else {
            is("@t", '', "$label: the temporary file was removed");
        }
    }
}

note("stale temporary files after SIGKILL: " . scalar keys %stale);

# nginx loads the target as it is, next to any stale temporary file
{
    my $srv = start_nginx(config => "location /glossary/ { glossary $target; }");
    my $r = $srv->get('/glossary/cuda');
    is($r->status, 200, 'nginx loads the previous blob');
    like($r->body, qr/"shortDefinition":"previous"/, 'and serves it');
    $srv->stop;
}

# the next build does not trip on a stale temporary file
is(Test::Glossary::Server::run_command(
       [$cli, 'build', '-q', '-o', $target, $input], $log, 300), 0,
   'the next build succeeds');
is(Test::Glossary::Server::run_command([$cli, 'verify', $target], $log, 30),
   0, 'and its blob verifies');

done_testing();
