# Signals load nothing: "nginx -s reload|reopen|quit|stop" parses the
# configuration only to find the master, so the signalling process must
# not open the blob (a signal costs milliseconds at any size), while
# "nginx -t" still checks it completely.  Proved two ways: a blob that the
# signaller would fail to load (the signal still goes through, and the
# master's reload is the one that refuses it), and strace on the
# signaller (skipped without strace).

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Glossary;
use Test::Glossary::Server;
use Test::More;


my $small = '[{"slug":"cuda","term":"CUDA","shortDefinition":"old"}]';


sub server {
    my ($args) = @_;
    my $s = Test::Glossary::Server->new(nginx => nginx_binary(),
                                        module => Test::Glossary::module_path());
    $s->write_config(config => "location /g/ { glossary site.glossary$args; }");
    $s->compile_into('site.glossary', { 'glossary.json' => $small });
    $s->start;
    return $s;
}


# strace's arguments that give the traced nginx the environment that
# TEST_GLOSSARY_NGINX_ENV names (make test-asan: the sanitizer runtime)
sub strace_env {
    my $spec = $ENV{TEST_GLOSSARY_NGINX_ENV} // '';
    return map { ('-E', $_) } split ' ', $spec;
}


# nginx with -s SIGNAL (or any other arguments): exit status and output
sub nginx_run {
    my ($s, @args) = @_;
    my $out = $s->path('logs', 'signal.log');
    unlink $out;
    my $rc = Test::Glossary::Server::run_command($s->nginx_argv(@args), $out,
                                                 20);
    return ($rc, Test::Glossary::Server::slurp($out) // '');
}


sub wait_for {
    my ($cond, $timeout) = @_;
    my $deadline = Time::HiRes::time() + $timeout;
    while (Time::HiRes::time() < $deadline) {
        return 1 if $cond->();
        Time::HiRes::sleep(0.05);
    }
    return 0;
}


for my $args ('', ' mmap', ' mmap verify=lazy') {

    subtest "a broken blob: the signals go through, -t refuses it"
            . " (glossary PATH$args)" => sub {
        my $s = server($args);
        my $master = $s->pid;
        my @old = $s->workers;

        like($s->get('/g/cuda')->body, qr/"old"/, 'serving');

        # not a blob: the signaller would refuse it, were it to load it
        $s->write_file_atomic('conf/site.glossary', "not a glossary blob\n"
                                                    x 16);

        my ($rc, $out) = nginx_run($s, '-t');
        is($rc, 1, 'nginx -t fails');
        like($out, qr/glossary ".*site\.glossary" is invalid: not a glossary/,
             'nginx -t names the blob and the reason');

        my $mark = $s->log_mark;
        ($rc, $out) = nginx_run($s, '-s', 'reload');
        is($rc, 0, 'nginx -s reload exits 0') or diag($out);
        unlike($out, qr/glossary/, 'the signaller says nothing of the blob');

        ok(wait_for(sub {
               grep { /\[emerg\].*is invalid/ }
                    $s->error_log_lines(since => $mark) }, 10),
           'the master refuses the blob on reload');
        Time::HiRes::sleep(0.3);
        is_deeply([$s->workers], \@old, 'the old workers stay');
        like($s->get('/g/cuda')->body, qr/"old"/, 'and serve the old data');

        my $log = $s->path('logs', 'error.log');
        rename $log, "$log.1" or die "rename: $!";
        ($rc, $out) = nginx_run($s, '-s', 'reopen');
        is($rc, 0, 'nginx -s reopen exits 0') or diag($out);
        ok(wait_for(sub { -e $log }, 10), 'the log is reopened');

        ($rc, $out) = nginx_run($s, '-s', 'quit');
        is($rc, 0, 'nginx -s quit exits 0') or diag($out);
        ok(wait_for(sub { !Test::Glossary::Server::alive($master) }, 10),
           'the master quits');
        $s->stop;
    };
}


subtest 'glossary_autolink: a broken blob, the signals go through' => sub {
    my $s = Test::Glossary::Server->new(nginx => nginx_binary(),
                                        module => Test::Glossary::module_path());
    $s->write_config(config => "location /g/ { glossary site.glossary; }\n"
                     . "location /a/ { glossary_autolink links.glossary /g/; "
                     . "default_type text/html; return 200 'CUDA'; }");
    $s->compile_into('site.glossary', { 'glossary.json' => $small });
    $s->compile_into('links.glossary', { 'glossary.json' => $small });
    $s->start;
    my $master = $s->pid;
    my @old = $s->workers;

    like($s->get('/a/')->body, qr/<a href="\/g\/cuda"/, 'the filter links');

    # a valid blob: the signaller does not open it, and does not stumble
    my ($rc, $out) = nginx_run($s, '-s', 'reopen');
    is($rc, 0, 'nginx -s reopen exits 0') or diag($out);
    unlike($out, qr/glossary|alert|emerg/, 'and says nothing');

    $s->write_file_atomic('conf/links.glossary', "not a glossary blob\n"
                                                 x 16);
    ($rc, $out) = nginx_run($s, '-t');
    is($rc, 1, 'nginx -t fails');
    like($out, qr/glossary ".*links\.glossary" is invalid: not a glossary/,
         'nginx -t names the autolink blob');

    my $mark = $s->log_mark;
    ($rc, $out) = nginx_run($s, '-s', 'reload');
    is($rc, 0, 'nginx -s reload exits 0') or diag($out);
    unlike($out, qr/glossary/, 'the signaller says nothing of the blob');
    ok(wait_for(sub {
           grep { /\[emerg\].*links\.glossary.*is invalid/ }
                $s->error_log_lines(since => $mark) }, 10),
       'the master refuses the blob on reload');
    Time::HiRes::sleep(0.3);
    is_deeply([$s->workers], \@old, 'the old workers stay');
    like($s->get('/a/')->body, qr/<a href="\/g\/cuda"/, 'and still link');

    ($rc, $out) = nginx_run($s, '-s', 'stop');
    is($rc, 0, 'nginx -s stop exits 0') or diag($out);
    ok(wait_for(sub { !Test::Glossary::Server::alive($master) }, 10),
       'the master stops');
    $s->stop;
};


subtest 'a missing blob: nginx -s stop still stops nginx' => sub {
    my $s = server('');
    my $master = $s->pid;

    unlink $s->path('conf', 'site.glossary') or die "unlink: $!";

    my ($rc, $out) = nginx_run($s, '-t');
    is($rc, 1, 'nginx -t fails');
    like($out, qr/open\(\) ".*site\.glossary" failed/, 'on the missing blob');

    ($rc, $out) = nginx_run($s, '-s', 'stop');
    is($rc, 0, 'nginx -s stop exits 0') or diag($out);
    ok(wait_for(sub { !Test::Glossary::Server::alive($master) }, 10),
       'the master stops');
    $s->stop;
};


my $strace = `command -v strace 2>/dev/null`;
chomp $strace;

SKIP: {
    skip 'no strace', 2 unless $strace;

    for my $args ('', ' mmap verify=lazy') {

        subtest "strace: the signaller never opens the blob"
                . " (glossary PATH$args)" => sub {
            my $s = server($args);
            my $blob = $s->path('conf', 'site.glossary');
            my @old = $s->workers;

            for my $sig (qw(reload reopen)) {
                my $trace = $s->path('logs', "strace.$sig");
                my $out = $s->path('logs', "strace.$sig.out");
                my $rc = Test::Glossary::Server::run_command(
                    [$strace, '-f', '-qq', '-e', 'trace=%file', strace_env(),
                     '-o', $trace, @{ $s->nginx_argv('-s', $sig) }],
                    $out, 20);
                is($rc, 0, "strace nginx -s $sig exits 0")
                    or diag(Test::Glossary::Server::slurp($out));

                my $t = Test::Glossary::Server::slurp($trace) // '';
                like($t, qr/nginx\.conf/, "the trace shows the signaller "
                     . "reading its configuration ($sig)");
                my @blob = grep { index($_, $blob) >= 0 } split /\n/, $t;
                is(scalar @blob, 0, "and never the blob ($sig)")
                    or diag(join("\n", @blob));
            }

            # the master did load it: new workers serve it
            ok(wait_for(sub {
                   my @now = $s->workers;
                   @now && !grep { my $w = $_; grep { $_ == $w } @old } @now
               }, 10), 'the master reloaded');
            like($s->get('/g/cuda')->body, qr/"old"/, 'serving after reload');

            # and "nginx -t" reads the blob
            my $trace = $s->path('logs', 'strace.t');
            my $out = $s->path('logs', 'strace.t.out');
            my $rc = Test::Glossary::Server::run_command(
                [$strace, '-f', '-qq', '-e', 'trace=%file', strace_env(),
                 '-o', $trace, @{ $s->nginx_argv('-t') }], $out, 20);
            is($rc, 0, 'strace nginx -t exits 0');
            like(Test::Glossary::Server::slurp($trace) // '',
                 qr/\Q$blob\E/, 'nginx -t opens the blob');
            $s->stop;
        };
    }
}


done_testing();
