package Test::Glossary::HTTP;

# A minimal HTTP/1.x client over raw sockets for the tests: it sends bytes
# exactly as given and parses every response in the reply (pipelining),
# with Content-Length, chunked, or read-until-close bodies.  Nothing here
# can hang: one deadline covers connect, send and receive.

use strict;
use warnings;

use Errno ();
use IO::Select;
use IO::Socket::INET;
use Time::HiRes ();

use Exporter 'import';

our @EXPORT_OK = qw(http_request http_get parse_responses);


# http_get($port, $path, Name => value, ...): one GET, HTTP/1.1, Host and
# Connection: close added unless given; returns a response
sub http_get {
    my ($port, $path, @h) = @_;
    return http_simple($port, 'GET', $path, @h);
}


sub http_simple {
    my ($port, $method, $path, @h) = @_;

    my %have;
    my $hdr = '';

    while (@h) {
        my ($k, $v) = splice @h, 0, 2;
        $have{lc $k} = 1;
        $hdr .= "$k: $v\r\n";
    }

    $hdr = "Host: localhost\r\n$hdr" unless $have{host};
    $hdr .= "Connection: close\r\n" unless $have{connection};

    my ($r) = http_request($port, "$method $path HTTP/1.1\r\n$hdr\r\n",
                           method => $method);
    return $r;
}


# http_request($port, $bytes, timeout => 10, method => 'GET', multi => 1)
#
# In list context (or with multi) returns every response found; in scalar
# context the first.  A response is a Test::Glossary::HTTP::Response; on a
# transport failure or timeout its {error} is set.
sub http_request {
    my ($port, $bytes, %opt) = @_;

    my $timeout = $opt{timeout} || 10;
    my $deadline = Time::HiRes::time() + $timeout;

    my @methods = $opt{method} ? ($opt{method})
                : ($bytes =~ /^([A-Z]+) [^\r\n ]+ HTTP\/\d\.\d\r?$/mg);
    @methods = ('GET') unless @methods;
    my $expect = @methods;

    my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port,
                                  Proto => 'tcp', Timeout => $timeout);

    if (!$s) {
        my $r = _err("connect to 127.0.0.1:$port: $!");
        return wantarray ? ($r) : $r;
    }

    binmode $s;
    $s->blocking(0);

    my $sel = IO::Select->new($s);
    my $off = 0;
    my $in = '';
    my $eof = 0;
    my $err;
    my @res;

    while (Time::HiRes::time() < $deadline) {
        my $left = $deadline - Time::HiRes::time();

        if ($off < length $bytes) {
            if ($sel->can_write($left)) {
                my $n = syswrite($s, $bytes, length($bytes) - $off, $off);
                if (defined $n) {
                    $off += $n;
                } elsif (!$!{EAGAIN} && !$!{EINTR}) {
                    # the server may answer and close early (e.g. 400)
                    $off = length $bytes;
                }
            }
            # fall through to read what is already there
        }

        if ($sel->can_read($off < length $bytes ? 0 : $left)) {
            my $n = sysread($s, my $buf, 65536);
            if (defined $n && $n == 0) {
                $eof = 1;
            } elsif (defined $n) {
                $in .= $buf;
            } elsif (!$!{EAGAIN} && !$!{EINTR}) {
                $eof = 1;
                $err = "read: $!" if $!{ECONNRESET} && $in eq '';
            }
        }

        @res = parse_responses($in, \@methods, $eof);

        last if $eof;
        last if @res >= $expect && $res[-1]{complete};
    }

    close $s;

    if (!@res) {
        my $why = $err
                  || ($eof ? "connection closed without a response"
                           : "timed out after ${timeout}s");
        @res = (_err($why, $in));

    } elsif (!$res[-1]{complete}) {
        $res[-1]{error} = $eof ? "response truncated"
                               : "timed out after ${timeout}s";
    }

    return wantarray ? @res : $res[0];
}


sub _err {
    my ($msg, $raw) = @_;
    return bless { error => $msg, raw => $raw, headers => [],
                   body => undef, status => undef },
                 'Test::Glossary::HTTP::Response';
}


# parse as many responses as the bytes hold; the last may be incomplete
sub parse_responses {
    my ($in, $methods, $eof) = @_;

    my @res;
    my $pos = 0;
    my $i = 0;

    while ($pos < length $in) {
        my $end = index($in, "\r\n\r\n", $pos);
        my $sep = 4;

        if ($end < 0) {
            $end = index($in, "\n\n", $pos);
            $sep = 2;
        }

        if ($end < 0) {
            push @res, bless { complete => 0, raw => substr($in, $pos),
                               headers => [] },
                       'Test::Glossary::HTTP::Response';
            last;
        }

        my $head = substr($in, $pos, $end - $pos);
        my @lines = split /\r?\n/, $head;
        my $status_line = shift @lines;

        my $r = bless { headers => [], raw_head => $head },
                      'Test::Glossary::HTTP::Response';

        if ($status_line =~ m{^(HTTP/\d\.\d)\s+(\d{3})(?:\s(.*))?$}) {
            @$r{qw(protocol status reason)} = ($1, $2, $3 // '');
        } else {
            $r->{error} = "bad status line: $status_line";
            $r->{complete} = 1;
            $r->{body} = substr($in, $pos);
            push @res, $r;
            last;
        }

        for my $l (@lines) {
            if ($l =~ /^[ \t]/ && @{ $r->{headers} }) {
                $r->{headers}[-1][1] .= " " . ($l =~ s/^\s+//r);
                next;
            }
            my ($k, $v) = $l =~ /^([^:]+):\s*(.*?)\s*$/ or next;
            push @{ $r->{headers} }, [$k, $v];
        }

        my $body_start = $end + $sep;
        my $method = $methods->[$i] // $methods->[-1] // 'GET';
        my $st = $r->{status};

        # interim responses carry no body and do not count
        if ($st =~ /^1/ && $st != 101) {
            $pos = $body_start;
            next;
        }

        my $te = $r->header('Transfer-Encoding');
        my $cl = $r->header('Content-Length');

        if ($method eq 'HEAD' || $st == 204 || $st == 304) {
            $r->{body} = '';
            $r->{complete} = 1;
            $pos = $body_start;

        } elsif (defined $te && $te =~ /chunked/i) {
            my ($body, $next) = _dechunk($in, $body_start);
            if (!defined $body) {
                $r->{complete} = 0;
                $r->{body} = substr($in, $body_start);
                push @res, $r;
                last;
            }
            $r->{body} = $body;
            $r->{complete} = 1;
            $pos = $next;

        } elsif (defined $cl && $cl =~ /^\d+$/) {
            if (length($in) - $body_start < $cl) {
                $r->{complete} = 0;
                $r->{body} = substr($in, $body_start);
                push @res, $r;
                last;
            }
            $r->{body} = substr($in, $body_start, $cl);
            $r->{complete} = 1;
            $pos = $body_start + $cl;

        } else {
            $r->{body} = substr($in, $body_start);
            $r->{complete} = $eof ? 1 : 0;
            $pos = length $in;
        }

        push @res, $r;
        $i++;
    }

    return @res;
}


# returns (body, position after the chunked body), or () when incomplete
sub _dechunk {
    my ($in, $pos) = @_;
    my $body = '';

    for (;;) {
        my $eol = index($in, "\r\n", $pos);
        return () if $eol < 0;

        my $line = substr($in, $pos, $eol - $pos);
        my ($hex) = $line =~ /^([0-9a-fA-F]+)/;
        return () unless defined $hex;

        my $size = hex $hex;
        $pos = $eol + 2;

        if ($size == 0) {
            # trailers up to an empty line
            for (;;) {
                my $e = index($in, "\r\n", $pos);
                return () if $e < 0;
                my $empty = $e == $pos;
                $pos = $e + 2;
                return ($body, $pos) if $empty;
            }
        }

        return () if length($in) < $pos + $size + 2;
        $body .= substr($in, $pos, $size);
        $pos += $size + 2;
    }
}


package Test::Glossary::HTTP::Response;

sub status   { $_[0]{status} }
sub body     { $_[0]{body} }
sub error    { $_[0]{error} }
sub complete { $_[0]{complete} }

# header(name): the value, duplicates joined by ", "; undef when absent
sub header {
    my ($self, $name) = @_;
    my @v = $self->headers($name);
    return @v ? join(', ', @v) : undef;
}

# headers(name): every value of that header, in order
sub headers {
    my ($self, $name) = @_;
    return map { $_->[1] } grep { lc $_->[0] eq lc $name } @{ $self->{headers} };
}

# header_names: every header name, in order, as sent
sub header_names {
    my ($self) = @_;
    return map { $_->[0] } @{ $self->{headers} };
}

1;
