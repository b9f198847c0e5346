package Test::Glossary::Load;

# Steady load against one nginx under test, from forked Perl clients, for
# the reliability tests (t/080-reload-load.t, t/081-overwrite.t).
#
#     my $load = Test::Glossary::Load->start(
#         port => $srv->port, clients => 4,
#         paths => ['/glossary/', '/glossary/a', ...],
#         builds => { BUILD_ID => { '/glossary/' => BODY, ... }, ... },
#         etags => { BUILD_ID => { '/glossary/' => ETAG, ... }, ... },
#         max_seconds => 90);
#     ... reloads, overwrites ...
#     my $stats = $load->stop;
#
# Half of the clients keep connections alive (up to 100 requests on one),
# the other half open a new connection per request.  Requests are GET and
# HEAD, some with Accept-Encoding: gzip, some with If-None-Match.  Every
# response is checked at once: status 200 or 304; X-Glossary-Build names
# one of the builds given; the body (gunzipped when gzip) equals the body
# of that path in that build, byte for byte; a 304 only for an ETag of
# that build.  Anything else is a failure, with its reason.
#
# One case is not a failure: a request sent on a reused keep-alive
# connection that the server closed while it was idle, with not a byte of
# response, is sent again once on a new connection (as RFC 9112 9.3.1 lets
# a client do for an idempotent request) and counted as an idle-close
# retry.  A connection refused, reset or closed after any response byte,
# or a new connection's request without an answer, is a failure.
#
# Only 127.0.0.1; each client stops on its own deadline (max_seconds) even
# if the test dies; stop() signals only the children it forked.

use strict;
use warnings;

use Errno ();
use File::Temp ();
use IO::Select;
use IO::Socket::INET;
use IO::Uncompress::Gunzip ();
use POSIX ();
use Time::HiRes ();

use Test::Glossary::HTTP ();


sub start {
    my ($class, %opt) = @_;

    my $self = bless {
        port        => $opt{port},
        clients     => $opt{clients} || 4,
        paths       => $opt{paths},
        builds      => $opt{builds},
        etags       => $opt{etags} || {},
        max_seconds => $opt{max_seconds} || 120,
        dir         => File::Temp::tempdir('glossary-load-XXXXXX', TMPDIR => 1,
                                           CLEANUP => 1),
        pids        => [],
    }, $class;

    $self->{stopfile} = "$self->{dir}/stop";

    for my $i (0 .. $self->{clients} - 1) {
        my $pid = fork;
        die "fork: $!\n" unless defined $pid;

        if ($pid == 0) {
            # the parent's END blocks and signal handlers are not ours
            $SIG{$_} = 'DEFAULT' for qw(INT TERM HUP ALRM);
            my $rc = eval { $self->_client($i); 1 } ? 0 : 1;
            print STDERR "load client $i: $@" if $rc;
            POSIX::_exit($rc);
        }

        push @{ $self->{pids} }, $pid;
    }

    return $self;
}


# stop the clients, wait for them, and return the totals:
# { requests, ok, failures, retries, connections, by_build => {id => n},
#   status => {code => n}, errors => [first reasons] }
sub stop {
    my ($self) = @_;

    open my $fh, '>', $self->{stopfile} or die "$self->{stopfile}: $!\n";
    close $fh;

    my $deadline = Time::HiRes::time() + 30;
    my %left = map { $_ => 1 } @{ $self->{pids} };

    while (%left && Time::HiRes::time() < $deadline) {
        for my $pid (keys %left) {
            delete $left{$pid} if waitpid($pid, POSIX::WNOHANG()) == $pid;
        }
        Time::HiRes::sleep(0.05) if %left;
    }

    for my $pid (keys %left) {
        kill 'KILL', $pid;
        waitpid($pid, 0);
    }

    $self->{pids} = [];

    my %t = (requests => 0, ok => 0, failures => 0, retries => 0,
             connections => 0, by_build => {}, status => {}, errors => [],
             clients_lost => scalar keys %left);

    for my $i (0 .. $self->{clients} - 1) {
        my $f = "$self->{dir}/client.$i";
        open my $in, '<', $f or do {
            $t{failures}++;
            push @{ $t{errors} }, "client $i left no result";
            next;
        };

        while (my $l = <$in>) {
            chomp $l;
            my ($k, @v) = split /\t/, $l;
            if ($k eq 'error') {
                push @{ $t{errors} }, $v[0] if @{ $t{errors} } < 20;
            } elsif ($k eq 'build' || $k eq 'status') {
                my $h = $k eq 'build' ? 'by_build' : 'status';
                $t{$h}{ $v[0] } += $v[1];
            } else {
                $t{$k} += $v[0];
            }
        }
        close $in;
    }

    return \%t;
}


sub DESTROY {
    my ($self) = @_;
    local ($?, $!, $@);
    for my $pid (@{ $self->{pids} || [] }) {
        kill 'KILL', $pid;
        waitpid($pid, 0);
    }
}


# expected(BLOB, PREFIX, PATHS): what the compiler says the module sends for
# each path under PREFIX: (build id, { path => body }, { path => ETag })
sub expected {
    my ($blob, $prefix, @paths) = @_;

    my $cli = Test::Glossary::glossaryc_path();
    my ($id) = _run($cli, 'info', $blob) =~ /^build id:\s+([0-9a-f]{16})$/m
        or die "glossaryc info $blob: no build id\n";

    my (%body, %etag);

    for my $p (@paths) {
        my $rest = substr($p, length $prefix);
        my @args = $rest =~ m{^([^/]+)/related$} ? ($1, 'related')
                 : ($rest);
        $body{$p} = _run($cli, 'get', $blob, @args);
        ($etag{$p} = _run($cli, 'get', '--etag', $blob, @args)) =~ s/\s+\z//;
    }

    return ($id, \%body, \%etag);
}


sub _run {
    my (@argv) = @_;
    open my $fh, '-|', @argv or die "$argv[0]: $!\n";
    binmode $fh;
    local $/;
    my $out = <$fh>;
    close $fh or die "@argv: exit " . ($? >> 8) . "\n";
    return $out // '';
}


# --- the client -----------------------------------------------------------

sub _client {
    my ($self, $i) = @_;

    srand($$ ^ time);

    my $keepalive = $i % 2 == 0;
    my $deadline = Time::HiRes::time() + $self->{max_seconds};
    my %s = (requests => 0, ok => 0, failures => 0, retries => 0,
             connections => 0);
    my (%build, %status, @errors);
    my @paths = @{ $self->{paths} };
    my %etags;
    for my $id (sort keys %{ $self->{etags} }) {
        for my $p (keys %{ $self->{etags}{$id} }) {
            push @{ $etags{$p} }, $self->{etags}{$id}{$p};
        }
    }

    my $conn;
    my $on_conn = 0;

    my $fail = sub {
        my ($why) = @_;
        $s{failures}++;
        push @errors, $why if @errors < 20;
    };

    while (!-e $self->{stopfile} && Time::HiRes::time() < $deadline) {
        my $path = $paths[int rand @paths];
        my $method = rand() < 0.1 ? 'HEAD' : 'GET';
        my $gzip = rand() < 0.3;
        my $e = $etags{$path};
        my $inm = $e && rand() < 0.15 ? $e->[int rand @$e] : undef;

        my $req = "$method $path HTTP/1.1\r\nHost: localhost\r\n"
                . ($gzip ? "Accept-Encoding: gzip\r\n" : '')
                . (defined $inm ? "If-None-Match: $inm\r\n" : '')
                . ($keepalive ? '' : "Connection: close\r\n")
                . "\r\n";

        my $reused = $conn ? 1 : 0;

        if (!$conn) {
            $conn = _connect($self->{port});
            if (!$conn) {
                $fail->("connect: $!");
                Time::HiRes::sleep(0.01);
                next;
            }
            $s{connections}++;
            $on_conn = 0;
        }

        $s{requests}++;

        my ($res, $err, $got_bytes) = _exchange($conn, $req, $method);

        if (!$res && $reused && !$got_bytes) {
            # an idle keep-alive connection closed by the server: once more
            # on a new connection
            close $conn;
            $s{retries}++;
            $conn = _connect($self->{port});
            if (!$conn) {
                $fail->("connect (retry): $!");
                next;
            }
            $s{connections}++;
            $on_conn = 0;
            ($res, $err, $got_bytes) = _exchange($conn, $req, $method);
        }

        if (!$res) {
            $fail->("$method $path: $err");
            close $conn;
            undef $conn;
            next;
        }

        $on_conn++;
        $status{ $res->{status} }++;

        my $why = $self->_check($res, $method, $path, $gzip, $inm);

        if (defined $why) {
            $fail->("$method $path" . ($gzip ? ' (gzip)' : '')
                    . (defined $inm ? " (If-None-Match $inm)" : '')
                    . ": $why");
        } else {
            $s{ok}++;
            $build{ $res->header('X-Glossary-Build') }++;
        }

        my $close = !$keepalive || $on_conn >= 100
                    || lc($res->header('Connection') || '') eq 'close';

        if ($close) {
            close $conn;
            undef $conn;
        }
    }

    close $conn if $conn;

    open my $out, '>', "$self->{dir}/client.$i.tmp" or die "result: $!\n";
    print {$out} "$_\t$s{$_}\n" for sort keys %s;
    print {$out} "build\t$_\t$build{$_}\n" for sort keys %build;
    print {$out} "status\t$_\t$status{$_}\n" for sort keys %status;
    for my $e (@errors) {
        (my $one = $e) =~ s/[\t\n]/ /g;
        print {$out} "error\t$one\n";
    }
    close $out or die "result: $!\n";
    rename "$self->{dir}/client.$i.tmp", "$self->{dir}/client.$i"
        or die "rename: $!\n";
}


sub _connect {
    my ($port) = @_;
    my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port,
                                  Proto => 'tcp', Timeout => 5)
        or return;
    binmode $s;
    return $s;
}


# one request on a connection: (response, error, bytes received)
sub _exchange {
    my ($s, $req, $method) = @_;

    my $deadline = Time::HiRes::time() + 10;

    local $SIG{PIPE} = 'IGNORE';

    my $off = 0;
    while ($off < length $req) {
        my $n = syswrite($s, $req, length($req) - $off, $off);
        if (!defined $n) {
            next if $!{EINTR};
            return (undef, "write: $!", 0);
        }
        $off += $n;
    }

    my $sel = IO::Select->new($s);
    my $in = '';

    for (;;) {
        my $left = $deadline - Time::HiRes::time();
        return (undef, "timed out after 10 s", length $in) if $left <= 0;

        next unless $sel->can_read($left);

        my $n = sysread($s, my $buf, 65536);

        if (!defined $n) {
            next if $!{EINTR};
            return (undef, "read: $!", length $in);
        }

        if ($n == 0) {
            my ($r) = Test::Glossary::HTTP::parse_responses($in, [$method],
                                                            1);
            return ($r, undef, length $in) if $r && $r->{complete}
                                              && !$r->{error}
                                              && $r->{status};
            return (undef, $in eq '' ? "closed without a response"
                                     : "response truncated", length $in);
        }

        $in .= $buf;

        my ($r) = Test::Glossary::HTTP::parse_responses($in, [$method], 0);

        if ($r && $r->{complete}) {
            return (undef, $r->{error}, length $in) if $r->{error};

            return ($r, undef, length $in);
        }
    }
}


# undef when the response is right, else why not
sub _check {
    my ($self, $r, $method, $path, $gzip, $inm) = @_;

    my $st = $r->{status};
    my $id = $r->header('X-Glossary-Build');

    return "status $st" unless $st == 200 || $st == 304;
    return "no X-Glossary-Build" unless defined $id;

    my $b = $self->{builds}{$id};
    return "X-Glossary-Build $id is neither build" unless $b;

    my $want = $b->{$path};
    return "no expected body for $path in $id" unless defined $want;

    if ($st == 304) {
        return "304 without If-None-Match" unless defined $inm;
        my $et = $r->header('ETag') // '';
        my $mine = $self->{etags}{$id}{$path} // '';
        return "304 for ETag $inm, not that of build $id ($mine)"
            unless $inm eq $mine;
        return "304 with ETag '$et', not $inm" unless $et eq $inm;
        return undef;
    }

    if (defined $inm && $r->header('ETag')
        && $r->header('ETag') eq $inm)
    {
        return "200 for a matching If-None-Match";
    }

    my $body = $r->{body};

    if ($method eq 'HEAD') {
        return "HEAD with a body" if length $body;
        return undef;
    }

    my $ce = lc($r->header('Content-Encoding') || '');

    if ($ce eq 'gzip') {
        return "gzip without Accept-Encoding" unless $gzip;
        my $out;
        IO::Uncompress::Gunzip::gunzip(\$body, \$out)
            or return "gzip body does not gunzip";
        $body = $out;
    } elsif ($ce ne '') {
        return "Content-Encoding $ce";
    }

    return undef if $body eq $want;

    my $n = 0;
    $n++ while $n < length($body) && $n < length($want)
               && substr($body, $n, 1) eq substr($want, $n, 1);

    return sprintf("body differs from build %s at byte %d (%d bytes, "
                   . "expected %d)", $id, $n, length $body, length $want);
}


1;
