package Test::Glossary::Server;

# One nginx under test: its prefix directory, port, configuration, data,
# start, reload and stop.  Only processes this object started are ever
# signalled: the master whose pid file lives in our own prefix, checked
# against /proc before each signal.

use strict;
use warnings;

use File::Basename ();
use File::Path ();
use File::Spec;
use File::Temp ();
use IO::Socket::INET;
use POSIX ();
use Scalar::Util ();
use Time::HiRes ();

use Test::Glossary::HTTP ();


# every server not yet stopped, so that an interrupted test (a timeout's
# TERM, a Ctrl-C) still stops the nginx processes it started
my %Live;

for my $sig (qw(INT TERM HUP ALRM)) {
    $SIG{$sig} = sub {
        for my $srv (grep { $_ } values %Live) {
            $srv->stop;
            File::Path::rmtree($srv->{prefix}) unless $srv->{keep};
        }
        $SIG{$sig} = 'DEFAULT';
        kill $sig, $$;
    };
}

END {
    local $?;
    stop_all();
}


sub stop_all {
    for my $srv (values %Live) {
        $srv->stop if $srv;
    }
}


sub new {
    my ($class, %opt) = @_;

    my $keep = $ENV{TEST_GLOSSARY_KEEP} ? 1 : 0;

    my $prefix = File::Temp::tempdir('glossary-t-XXXXXX', TMPDIR => 1,
                                     CLEANUP => 0);

    for my $d (qw(conf logs temp html data)) {
        mkdir File::Spec->catdir($prefix, $d)
            or die "mkdir $prefix/$d: $!\n";
    }

    my $self = bless {
        prefix    => $prefix,
        port      => free_port(),
        no_module => $opt{no_module},
        nginx     => $opt{nginx},
        module    => $opt{module},
        keep      => $keep,
        master    => undef,
        conf      => {},
        sde       => undef,
    }, $class;

    return $self;
}


sub prefix { $_[0]{prefix} }
sub port   { $_[0]{port} }
sub pid    { $_[0]{master} }

sub keep {
    my ($self, $v) = @_;
    $self->{keep} = $v if defined $v;
    return $self->{keep};
}

sub kept { $_[0]{keep} }

sub start_failed { $_[0]{start_failed} }
sub start_output { $_[0]{start_output} }

sub source_date_epoch {
    my ($self, $v) = @_;
    $self->{sde} = $v if @_ > 1;
    return $self->{sde};
}


sub free_port {
    for (1 .. 20) {
        my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1',
                                      LocalPort => 0, Proto => 'tcp',
                                      Listen => 1, ReuseAddr => 1)
            or next;
        my $port = $s->sockport;
        close $s;
        return $port if $port;
    }

    die "cannot find a free port\n";
}


sub path {
    my ($self, @p) = @_;
    return File::Spec->catfile($self->{prefix}, @p);
}


# --- files ------------------------------------------------------------

sub slurp {
    my ($file) = @_;
    open my $fh, '<:raw', $file or return undef;
    local $/;
    my $s = <$fh>;
    close $fh;
    return defined $s ? $s : '';
}


sub spew {
    my ($file, $content) = @_;
    open my $fh, '>:raw', $file or die "open $file: $!\n";
    print {$fh} $content;
    close $fh or die "close $file: $!\n";
}


sub write_file {
    my ($self, $name, $content) = @_;
    my $file = $self->path($name);
    my $dir = File::Basename::dirname($file);
    File::Path::mkpath($dir) unless -d $dir;
    spew($file, $content);
    return $file;
}


# write next to the target and rename over it, as the compiler does: a
# mapped file must never be rewritten in place
sub write_file_atomic {
    my ($self, $name, $content) = @_;
    my $file = $self->path($name);
    my $tmp = "$file.tmp$$";
    spew($tmp, $content);
    rename $tmp, $file or die "rename $tmp $file: $!\n";
    return $file;
}


# compile { input name => content } into conf/$blob
sub compile_into {
    my ($self, $blob, $inputs, $sde) = @_;

    $sde = $self->{sde} unless defined $sde;

    my $dir = File::Temp::tempdir('input-XXXXXX', DIR => $self->path('data'));
    my @names = sort keys %$inputs;

    for my $n (@names) {
        my $f = File::Spec->catfile($dir, $n);
        my $d = File::Basename::dirname($f);
        File::Path::mkpath($d) unless -d $d;
        spew($f, $inputs->{$n});
    }

    my $input = @names == 1 ? File::Spec->catfile($dir, $names[0]) : $dir;
    my $out = $self->path('conf', $blob);

    my ($ok, $output) = Test::Glossary::compile_glossary(
        $input, $out, defined $sde ? (source_date_epoch => $sde) : ());

    die "glossaryc failed for conf/$blob:\n$output" unless $ok;

    return $out;
}


# --- configuration --------------------------------------------------------

sub write_config {
    my ($self, %opt) = @_;

    for my $k (qw(config http_config main_config)) {
        $self->{conf}{$k} = $opt{$k} if exists $opt{$k};
    }

    my $main = $self->{conf}{main_config} // '';
    my $http = $self->{conf}{http_config} // '';
    my $server = $self->{conf}{config} // '';

    my %has = map { $_ => ($main =~ /^\s*$_\s/m ? 1 : 0) }
              qw(user daemon master_process worker_processes pid);

    my $c = '';

    $c .= "load_module $self->{module};\n" unless $self->{no_module};
    $c .= "user root;\n" if $> == 0 && !$has{user};
    $c .= "daemon on;\n" unless $has{daemon};
    $c .= "master_process on;\n" unless $has{master_process};
    $c .= "worker_processes 1;\n" unless $has{worker_processes};
    $c .= "pid logs/nginx.pid;\n" unless $has{pid};
    $c .= "error_log logs/error.log debug;\n";
    $c .= "\n$main\n";

    $c .= <<"END";
events {
    worker_connections 1024;
}

http {
    access_log logs/access.log;
    default_type text/plain;

    client_body_temp_path temp/client_body;
    proxy_temp_path temp/proxy;
    fastcgi_temp_path temp/fastcgi;
    uwsgi_temp_path temp/uwsgi;
    scgi_temp_path temp/scgi;

$http

    server {
        listen 127.0.0.1:$self->{port};
        server_name localhost;

$server
    }
}
END

    spew($self->path('conf', 'nginx.conf'), $c);
}


# --- processes ------------------------------------------------------------

# fork, redirect stdout and stderr to $log, exec; returns the exit status
# (or -1 on timeout, after killing the child)
sub run_command {
    my ($argv, $log, $timeout) = @_;

    my $pid = fork;
    die "fork: $!\n" unless defined $pid;

    if ($pid == 0) {
        open STDIN, '<', '/dev/null';
        open STDOUT, '>>', $log or POSIX::_exit(127);
        open STDERR, '>&', \*STDOUT or POSIX::_exit(127);
        nginx_env() if $argv->[0] eq Test::Glossary::nginx_binary();
        { no warnings 'exec'; exec { $argv->[0] } @$argv; }
        print STDERR "exec $argv->[0]: $!\n";
        POSIX::_exit(127);
    }

    my $deadline = Time::HiRes::time() + $timeout;

    for (;;) {
        my $r = waitpid($pid, POSIX::WNOHANG());
        if ($r == $pid) {
            return $? & 127 ? 128 + ($? & 127) : $? >> 8;
        }
        if (Time::HiRes::time() > $deadline) {
            kill 'KILL', $pid;
            waitpid($pid, 0);
            return -1;
        }
        Time::HiRes::sleep(0.02);
    }
}


# TEST_GLOSSARY_NGINX_ENV="NAME=value ...": set for nginx only (make
# test-asan: LD_PRELOAD of the sanitizer runtime, ASAN_OPTIONS), not for
# the compiler or the tests themselves
sub nginx_env {
    my $spec = $ENV{TEST_GLOSSARY_NGINX_ENV};
    return unless defined $spec && $spec ne '';

    for my $kv (split ' ', $spec) {
        my ($k, $v) = split /=/, $kv, 2;
        $ENV{$k} = defined $v ? $v : '';
    }
}


sub nginx_argv {
    my ($self, @extra) = @_;
    return [$self->{nginx}, '-p', "$self->{prefix}/", '-c', 'conf/nginx.conf',
            '-e', 'logs/error.log', @extra];
}


sub start {
    my ($self, %opt) = @_;

    my $out = $self->path('logs', 'stderr.log');
    my $rc = run_command($self->nginx_argv, $out, 10);

    $self->{start_output} = slurp($out) // '';

    if ($rc != 0) {
        $self->{start_failed} = 1;
        return 0 if $opt{must_die};
        die "nginx failed to start (exit $rc):\n$self->{start_output}";
    }

    my $deadline = Time::HiRes::time() + 5;
    my $pidfile = $self->path('logs', 'nginx.pid');

    for (;;) {
        my $pid = slurp($pidfile);
        if (defined $pid && $pid =~ /^(\d+)\s*$/) {
            $self->{master} = $1;
            $Live{"$self"} = $self;
            Scalar::Util::weaken($Live{"$self"});
            last;
        }
        die "nginx: no pid file after 5 s\n" if Time::HiRes::time() > $deadline;
        Time::HiRes::sleep(0.02);
    }

    for (;;) {
        my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
                                      PeerPort => $self->{port},
                                      Proto => 'tcp', Timeout => 1);
        if ($s) {
            close $s;
            last;
        }
        die "nginx: port $self->{port} not accepting after 5 s\n"
            if Time::HiRes::time() > $deadline;
        Time::HiRes::sleep(0.02);
    }

    $self->{start_failed} = 0;

    if ($opt{must_die}) {
        # it should not have started: stop it and report
        return 1;
    }

    $self->wait_workers(1, 5);

    return 1;
}


sub _stat {
    my ($pid) = @_;
    my $s = slurp("/proc/$pid/stat");
    return unless defined $s && $s =~ /\)\s+(\S)\s+(\d+)/;
    return ($1, $2);
}


sub alive {
    my ($pid) = @_;
    return 0 unless $pid;
    my ($state) = _stat($pid);
    return defined $state && $state ne 'Z' && $state ne 'X';
}


# is $pid still our master: alive and running our configuration
sub _ours {
    my ($self) = @_;
    my $pid = $self->{master};
    return 0 unless $pid && alive($pid);
    my $cmd = slurp("/proc/$pid/cmdline") // '';
    return index($cmd, $self->{prefix}) >= 0 ? 1 : 0;
}


sub workers {
    my ($self) = @_;
    my $m = $self->{master};
    return () unless $m;

    my @w;
    opendir my $dh, '/proc' or return ();
    for my $p (grep { /^\d+$/ } readdir $dh) {
        my ($state, $ppid) = _stat($p);
        next unless defined $ppid && $ppid == $m;
        next if $state eq 'Z' || $state eq 'X';
        my $cmd = slurp("/proc/$p/cmdline") // '';
        next unless $cmd =~ /worker process/;
        push @w, $p;
    }
    closedir $dh;

    return sort { $a <=> $b } @w;
}


sub wait_workers {
    my ($self, $n, $timeout) = @_;
    my $deadline = Time::HiRes::time() + $timeout;
    while (Time::HiRes::time() < $deadline) {
        my @w = $self->workers;
        return 1 if @w >= $n;
        Time::HiRes::sleep(0.02);
    }
    return 0;
}


# HUP the master and wait until the reload is over: new workers serving and
# the old ones gone, or (expect_failure) an [emerg] logged and the old
# workers still there.  Returns true when that happened.
sub reload {
    my ($self, %opt) = @_;

    die "reload: nginx is not running\n" unless $self->_ours;

    my @old = $self->workers;
    my %old = map { $_ => 1 } @old;
    my $mark = $self->log_mark;

    kill 'HUP', $self->{master};

    my $deadline = Time::HiRes::time() + 10;

    while (Time::HiRes::time() < $deadline) {
        Time::HiRes::sleep(0.05);

        my @now = $self->workers;
        my @lines = $self->error_log_lines(since => $mark);

        if ($opt{expect_failure}) {
            next unless grep { /\[emerg\]/ } @lines;
            # give a wrongly successful reload time to show itself
            Time::HiRes::sleep(0.2);
            @now = $self->workers;
            my $same = @now == @old && !grep { !$old{$_} } @now;
            return $same ? 1 : 0;
        }

        return 0 if grep { /\[emerg\]/ } @lines;

        my @new = grep { !$old{$_} } @now;
        my @left = grep { $old{$_} } @now;

        return 1 if @new && !@left;
    }

    return 0;
}


sub stop {
    my ($self) = @_;

    if ($self->{master} && $self->_ours) {
        my $pid = $self->{master};

        for my $step (['QUIT', 3], ['TERM', 3], ['KILL', 2]) {
            my ($sig, $wait) = @$step;
            kill $sig, $pid;
            my $deadline = Time::HiRes::time() + $wait;
            while (alive($pid) && Time::HiRes::time() < $deadline) {
                Time::HiRes::sleep(0.02);
            }
            last unless alive($pid);
        }
    }

    $self->{master} = undef;
    delete $Live{"$self"};
}


sub DESTROY {
    my ($self) = @_;
    local ($?, $@, $!);
    $self->stop;
    File::Path::rmtree($self->{prefix})
        if !$self->{keep} && $self->{prefix} && -d $self->{prefix};
}


# --- logs and requests ----------------------------------------------------

sub log_mark {
    my ($self) = @_;
    return -s $self->path('logs', 'error.log') || 0;
}


sub error_log_lines {
    my ($self, %opt) = @_;
    my $text = slurp($self->path('logs', 'error.log')) // '';
    $text = substr($text, $opt{since}) if $opt{since};
    return split /^/m, $text;
}


sub request {
    my ($self, $raw, %opt) = @_;
    return Test::Glossary::HTTP::http_request($self->{port}, $raw, %opt);
}


sub get {
    my ($self, $path, @headers) = @_;
    return Test::Glossary::HTTP::http_get($self->{port}, $path, @headers);
}


1;
