# Hostile HTTP: long URIs, %00, %2F, "..", invalid UTF-8 and overlong
# encodings, huge query strings, odd Accept-Encoding and If-None-Match,
# HTTP/1.0 and 0.9, pipelining, absolute URIs, ranges, and every method
# but GET and HEAD.  Each request gets the right status; the error log
# gains nothing above [info] for any of them (nginx logs clients' protocol
# errors at info), and no worker is lost.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Glossary;

use IO::Uncompress::Gunzip ();

my $BIG = '[{"slug":"big","term":"Big","explanation":"'
    . join(' ', map { "word$_ of the explanation" } 1 .. 400)
    . '","relatedTerms":[{"slug":"cuda","name":"CUDA"}]},'
    . '{"slug":"cuda","term":"CUDA","shortDefinition":"A platform."}]';

my $srv = start_nginx(
    main_config => 'worker_processes 2;',
    config => "location /glossary/ { glossary site.glossary; }",
    glossary => $BIG,
);

# both workers up before they are counted: a loaded machine starts the
# second one after start_nginx() returns
$srv->wait_workers(2, 10);
my @workers = $srv->workers;

my $term = $srv->get('/glossary/cuda');
is($term->status, 200, 'the term');
my $etag = $term->header('ETag');
my $big = $srv->get('/glossary/big');
my $big_etag = $big->header('ETag');
my $gz = $srv->get('/glossary/big', 'Accept-Encoding' => 'gzip');
is($gz->header('Content-Encoding'), 'gzip', 'big has a gzip variant');
my $gz_etag = $gz->header('ETag');

sub req {
    my ($line, @h) = @_;
    my %have = map { lc((split /:/)[0]) => 1 } @h;
    unshift @h, 'Host: localhost' unless $have{host} || $line =~ /HTTP\/1\.0$/;
    push @h, 'Connection: close' unless $have{connection};
    return "$line\r\n" . join('', map { "$_\r\n" } @h) . "\r\n";
}

my $NF = qr/^\{"error":"not found"\}$/;

# [name, raw request, status, body check (regexp, code or undef), headers]
my @cases = (
    # URIs
    ['long URI within the header buffer (slug too long)',
     req('GET /glossary/' . ('a' x 4000) . ' HTTP/1.1'), 404, $NF],
    ['slug of 129 bytes', req('GET /glossary/' . ('a' x 129) . ' HTTP/1.1'),
     404, $NF],
    ['URI longer than the header buffers',
     req('GET /glossary/' . ('a' x 9000) . ' HTTP/1.1'), 414],
    ['%00 in the path', req('GET /glossary/cuda%00 HTTP/1.1'), 400],
    ['%00 alone', req('GET /glossary/%00 HTTP/1.1'), 400],
    ['raw NUL in the path', req("GET /glossary/cu\0da HTTP/1.1"), 400],
    # nginx decodes %2F into a slash, as for static files (README)
    ['%2F between slug and related',
     req('GET /glossary/big%2Frelated HTTP/1.1'), 200,
     qr/^\[\{"slug":"cuda"/],
    ['%2f inside a slug', req('GET /glossary/cu%2fda HTTP/1.1'), 404, $NF],
    ['%2F in the prefix', req('GET /glossary%2Fcuda HTTP/1.1'), 200,
     qr/^\{"slug":"cuda"/],
    ['%2F%2F merged', req('GET /glossary/%2F%2Fcuda HTTP/1.1'), 200,
     qr/^\{"slug":"cuda"/],
    ['%2F in the query only',
     req('GET /glossary/cuda?x=%2F HTTP/1.1'), 200, qr/^\{"slug":"cuda"/],
    ['.. resolved inside the location',
     req('GET /glossary/big/../cuda HTTP/1.1'), 200, qr/^\{"slug":"cuda"/],
    ['%2e%2e resolved inside the location',
     req('GET /glossary/big/%2e%2e/cuda HTTP/1.1'), 200,
     qr/^\{"slug":"cuda"/],
    ['.. above the root', req('GET /glossary/../../etc/passwd HTTP/1.1'),
     400],
    ['.. out of and back into the location',
     req('GET /glossary/../glossary/cuda HTTP/1.1'), 200,
     qr/^\{"slug":"cuda"/],
    ['invalid UTF-8 (lone continuation)',
     req('GET /glossary/%80 HTTP/1.1'), 404, $NF],
    ['invalid UTF-8 (truncated sequence)',
     req('GET /glossary/cuda%C3 HTTP/1.1'), 404, $NF],
    ['raw byte 0xff', req("GET /glossary/\xff HTTP/1.1"), 404, $NF],
    ['overlong "/" (%C0%AF)', req('GET /glossary/%C0%AFcuda HTTP/1.1'), 404,
     $NF],
    ['overlong ".." (%C0%AE%C0%AE)',
     req('GET /glossary/%C0%AE%C0%AE/cuda HTTP/1.1'), 404, $NF],
    ['bad percent-escape', req('GET /glossary/cuda%G1 HTTP/1.1'), 400],
    ['truncated percent-escape', req('GET /glossary/cuda% HTTP/1.1'), 400],
    ['U+2028 in the path', req('GET /glossary/%E2%80%A8 HTTP/1.1'), 404,
     $NF],
    ['upper case redirect keeps a hostile query',
     req('GET /glossary/CUDA?a=%00%2F<x> HTTP/1.1'), 301, undef,
     { Location => qr{^http://localhost:\d+/glossary/cuda\?a=%00%2F<x>$} }],
    ['huge query string (6 KB)',
     req('GET /glossary/cuda?' . join('&', ('x=1') x 1500) . ' HTTP/1.1'),
     200, qr/^\{"slug":"cuda"/],
    ['query string over the header buffers',
     req('GET /glossary/cuda?' . ('x' x 10000) . ' HTTP/1.1'), 414],
    ['absolute URI', req('GET http://localhost/glossary/cuda HTTP/1.1'), 200,
     qr/^\{"slug":"cuda"/],
    ['no slash after the prefix host', req('GET glossary/cuda HTTP/1.1'),
     400],

    # Accept-Encoding
    ['Accept-Encoding: GZIP', req('GET /glossary/big HTTP/1.1',
     'Accept-Encoding: GZIP'), 200, 'gzip'],
    ['Accept-Encoding: gzip;q=0', req('GET /glossary/big HTTP/1.1',
     'Accept-Encoding: gzip;q=0'), 200, 'plain'],
    ['Accept-Encoding: gzip; q=0.000', req('GET /glossary/big HTTP/1.1',
     'Accept-Encoding: gzip; q=0.000'), 200, 'plain'],
    ['Accept-Encoding: *;q=0, gzip;q=0', req('GET /glossary/big HTTP/1.1',
     'Accept-Encoding: *;q=0, gzip;q=0'), 200, 'plain'],
    ['Accept-Encoding: * ', req('GET /glossary/big HTTP/1.1',
     'Accept-Encoding: *'), 200, 'gzip'],
    ['Accept-Encoding: x-gzip;q=0.5', req('GET /glossary/big HTTP/1.1',
     'Accept-Encoding: x-gzip;q=0.5'), 200, 'gzip'],
    ['Accept-Encoding: gzipx', req('GET /glossary/big HTTP/1.1',
     'Accept-Encoding: gzipx, xgzip, gzi'), 200, 'plain'],
    # the first name alone decides only when it is "gzip" without
    # parameters; "gzip;q=0" first goes through the whole list
    ['Accept-Encoding: gzip, deflate, br, zstd',
     req('GET /glossary/big HTTP/1.1',
         'Accept-Encoding: gzip, deflate, br, zstd'), 200, 'gzip'],
    ['Accept-Encoding: gZiP,identity', req('GET /glossary/big HTTP/1.1',
     'Accept-Encoding: gZiP,identity'), 200, 'gzip'],
    ['Accept-Encoding: gzip;q=0,*', req('GET /glossary/big HTTP/1.1',
     'Accept-Encoding: gzip;q=0,*'), 200, 'plain'],
    ['Accept-Encoding: gzi', req('GET /glossary/big HTTP/1.1',
     'Accept-Encoding: gzi'), 200, 'plain'],
    ['Accept-Encoding: separators only', req('GET /glossary/big HTTP/1.1',
     'Accept-Encoding: ;;;,,, ;q=;q'), 200, 'plain'],
    ['Accept-Encoding: q without value', req('GET /glossary/big HTTP/1.1',
     'Accept-Encoding: gzip;q='), 200, 'gzip'],
    ['Accept-Encoding: empty', req('GET /glossary/big HTTP/1.1',
     'Accept-Encoding:'), 200, 'plain'],
    ['Accept-Encoding: 4 KB of junk', req('GET /glossary/big HTTP/1.1',
     'Accept-Encoding: ' . ('br;q=0.1, ' x 400) . 'gzip'), 200, 'gzip'],
    ['Accept-Encoding: identity;q=0', req('GET /glossary/cuda HTTP/1.1',
     'Accept-Encoding: identity;q=0'), 200, qr/^\{"slug":"cuda"/],

    # If-None-Match
    ['If-None-Match: the ETag', req('GET /glossary/cuda HTTP/1.1',
     "If-None-Match: $etag"), 304],
    ['If-None-Match: *', req('GET /glossary/cuda HTTP/1.1',
     'If-None-Match: *'), 304],
    ['If-None-Match: weak form', req('GET /glossary/cuda HTTP/1.1',
     "If-None-Match: W/$etag"), 304],
    ['If-None-Match: in a list', req('GET /glossary/cuda HTTP/1.1',
     "If-None-Match: \"x\", $etag, \"y\""), 304],
    ['If-None-Match: unterminated', req('GET /glossary/cuda HTTP/1.1',
     'If-None-Match: "0123'), 200, qr/^\{"slug":"cuda"/],
    ['If-None-Match: empty', req('GET /glossary/cuda HTTP/1.1',
     'If-None-Match:'), 200, qr/^\{"slug":"cuda"/],
    ['If-None-Match: 4 KB list', req('GET /glossary/cuda HTTP/1.1',
     'If-None-Match: ' . join(', ', ('"0000000000000000"') x 200)), 200,
     qr/^\{"slug":"cuda"/],
    ['If-None-Match: plain ETag with gzip',
     req('GET /glossary/big HTTP/1.1', "If-None-Match: $big_etag",
         'Accept-Encoding: gzip'), 200, 'gzip'],
    ['If-None-Match: gzip ETag with gzip',
     req('GET /glossary/big HTTP/1.1', "If-None-Match: $gz_etag",
         'Accept-Encoding: gzip'), 304],
    ['If-Modified-Since: garbage', req('GET /glossary/cuda HTTP/1.1',
     'If-Modified-Since: yesterday'), 200, qr/^\{"slug":"cuda"/],

    # ranges
    ['Range: bytes=0-0', req('GET /glossary/cuda HTTP/1.1',
     'Range: bytes=0-0'), 206, qr/^\{$/],
    ['Range past the end', req('GET /glossary/cuda HTTP/1.1',
     'Range: bytes=999999-'), 416],
    ['Range: garbage', req('GET /glossary/cuda HTTP/1.1',
     'Range: bytes=x-y'), 416],
    ['Range: two ranges', req('GET /glossary/cuda HTTP/1.1',
     'Range: bytes=0-1,3-4'), 206, qr/multipart|--0/],

    # protocol versions
    ['HTTP/1.0', "GET /glossary/cuda HTTP/1.0\r\n\r\n", 200,
     qr/^\{"slug":"cuda"/],
    ['HTTP/1.0 HEAD', "HEAD /glossary/cuda HTTP/1.0\r\n\r\n", 200, qr/^$/],
    ['HTTP/1.1 without Host', "GET /glossary/cuda HTTP/1.1\r\n\r\n", 400],
    ['HTTP/2 preface on a plain listener',
     "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 400],
    ['HTTP/3.0', req('GET /glossary/cuda HTTP/3.0'), 505],
    ['two Host headers', req('GET /glossary/cuda HTTP/1.1',
     'Host: a', 'Host: b'), 400],
    ['header over the buffers', req('GET /glossary/cuda HTTP/1.1',
     'X-Big: ' . ('b' x 9000)), 400],
    ['header with a NUL', req('GET /glossary/cuda HTTP/1.1',
     "X-Nul: a\0b"), 400],

    # methods
    (map { ["$_ is not allowed", req("$_ /glossary/cuda HTTP/1.1"), 405,
            qr/^\{"error":"method not allowed"\}$/, { Allow => 'GET, HEAD' }] }
     qw(POST PUT DELETE PATCH OPTIONS PROPFIND MKCOL LOCK UNLOCK COPY MOVE)),
    ['POST with a body', req('POST /glossary/cuda HTTP/1.1',
     'Content-Length: 11') . 'hello world', 405, undef,
     { Allow => 'GET, HEAD' }],
    ['POST with a chunked body', req('POST /glossary/cuda HTTP/1.1',
     'Transfer-Encoding: chunked') . "5\r\nhello\r\n0\r\n\r\n", 405],
    ['TRACE', req('TRACE /glossary/cuda HTTP/1.1'), 405],
    ['an unknown method', req('FOO /glossary/cuda HTTP/1.1'), 405],
    ['a lower-case method', req('get /glossary/cuda HTTP/1.1'), 400],
    ['CONNECT (refused by nginx itself)',
     req('CONNECT localhost:80 HTTP/1.1'), 400],
);

my $nreq = 0;

for my $c (@cases) {
    my ($name, $raw, $status, $body, $hdr) = @$c;

    my $mark = $srv->log_mark;
    my ($r) = $srv->request($raw, timeout => 10);
    $nreq++;

    if (!$r || $r->error) {
        fail("$name: a response");
        diag($r ? $r->error : 'none');
        next;
    }

    is($r->status, $status, "$name: $status");

    if (ref $body eq 'Regexp') {
        like($r->body, $body, "$name: body");
    } elsif (defined $body && $body eq 'gzip') {
        is($r->header('Content-Encoding'), 'gzip', "$name: gzip");
        my $out;
        IO::Uncompress::Gunzip::gunzip(\$r->{body}, \$out);
        is($out, $big->body, "$name: the gzip body is the body");
    } elsif (defined $body && $body eq 'plain') {
        ok(!defined $r->header('Content-Encoding'), "$name: not gzip");
        is($r->body, $big->body, "$name: the body");
    }

    for my $h (sort keys %{ $hdr || {} }) {
        if (ref $hdr->{$h}) {
            like($r->header($h) // '', $hdr->{$h}, "$name: $h");
        } else {
            is($r->header($h), $hdr->{$h}, "$name: $h");
        }
    }

    my @lines = grep { /\[(?:notice|warn|error|crit|alert|emerg)\]/ }
                $srv->error_log_lines(since => $mark);
    ok(!@lines, "$name: nothing above [info] in the error log")
        or diag(join '', @lines);
}


# pipelined: three requests in one write, three answers in order
{
    my $raw = "GET /glossary/cuda HTTP/1.1\r\nHost: x\r\n\r\n"
            . "HEAD /glossary/big HTTP/1.1\r\nHost: x\r\n\r\n"
            . "GET /glossary/nope HTTP/1.1\r\nHost: x\r\n\r\n"
            . "DELETE /glossary/cuda HTTP/1.1\r\nHost: x\r\n\r\n"
            . "GET /glossary/big/related HTTP/1.1\r\nHost: x\r\n"
            . "Connection: close\r\n\r\n";
    my $mark = $srv->log_mark;
    my @r = $srv->request($raw, multi => 1);
    $nreq += 5;
    is(scalar @r, 5, 'pipelined: five responses');
    is(join(' ', map { $_->status // 'none' } @r), '200 200 404 405 200',
       'pipelined: in order, each with its status');
    is($r[0]->body, $term->body, 'pipelined: first body');
    is($r[1]->body, '', 'pipelined: HEAD without a body');
    like($r[4]->body, qr/^\[\{"slug":"cuda"/, 'pipelined: last body');
    ok(!grep({ /\[(?:notice|warn|error|crit|alert|emerg)\]/ }
             $srv->error_log_lines(since => $mark)),
       'pipelined: nothing above [info]');
}

# HTTP/0.9: nginx answers with the bare body
{
    my ($r) = $srv->request("GET /glossary/cuda\r\n", timeout => 5);
    $nreq++;
    ok($r && ($r->{raw} // $r->{body} // '') =~ /"slug":"cuda"/
       || ($r && $r->error && ($r->{raw} // '') =~ /"slug":"cuda"/),
       'HTTP/0.9: the bare body');
}

# a slow request that stops in the middle: nginx times it out, no harm
{
    my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
                                  PeerPort => $srv->port, Proto => 'tcp');
    print {$s} "GET /glossary/cu";
    close $s;
}

is_deeply([$srv->workers], \@workers, 'the same workers: none was lost');

my @bad = grep { /\[(?:crit|alert|emerg)\]/ || /exited on signal/ }
          $srv->error_log_lines;
ok(!@bad, 'no [crit], [alert] or crashed worker in the whole log')
    or diag(join '', @bad);

note("hostile HTTP: $nreq requests");

$srv->stop;

done_testing();
