# The glossary_autolink filter whatever the buffers: the same pages (every
# rule at once: multi-word terms, entities, UTF-8 and CJK, comments,
# scripts, skipped elements, a long run of text without a term, tags split
# across buffers) read from disk in buffers of 1 byte (every split point
# at once) to 64 KiB (output_buffers), proxied with and without buffering
# from an upstream that writes in small pieces, and compressed by gzip,
# must all come out identical; what the filter inserts are links only (the
# page is its input once they are taken out), the per-request memory does
# not grow with the page (blocks and buffers in the debug log), and
# flushes pass through: a slow upstream's first bytes reach the client
# long before its last.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Glossary;

use File::Temp ();
use IO::Select;
use IO::Socket::INET;
use IO::Uncompress::Gunzip ();
use Time::HiRes ();

my $G = <<'END';
[{"slug": "car", "term": "Car"},
 {"slug": "car-bumper", "term": "Car Bumper",
  "shortDefinition": "The \"front\" & back <bar> of a car."},
 {"slug": "co-design", "term": "Co-Design"},
 {"slug": "gpu", "term": "GPU", "aliases": ["graphics processor"]},
 {"slug": "oeffentlicher-dienst", "term": "Öffentlicher Dienst"},
 {"slug": "tokyo", "term": "東京"},
 {"slug": "coffee-house", "term": "Café"},
 {"slug": "large-language-model", "term": "Large Language Model",
  "aliases": ["LLM"]}]
END

# a page with every kind of context, its terms in many places
sub page {
    my ($n) = @_;
    my $p = "<!DOCTYPE html>\n<html><head><title>car GPU</title>\n"
        . "<script>var s = '<p>car</p>'; // </scrip car\n</script>\n"
        . "<style>.car { }</style></head><body>\n";

    for my $i (1 .. $n) {
        $p .= "<h2>Car Bumper $i</h2>\n"
            . "<p class=\"p$i\" title=\"car\">A car bumper, a Car&nbsp;Bumper and "
            . "a car bumpy; graphics processors and a GPU, "
            . "&#x47;PU, caf&eacute; and CAF\xc3\x89, co-design, "
            . "\xc3\x96FFENTLICHER DIENST, \xe6\x88\x91\xe5\x9c\xa8"
            . "\xe6\x9d\xb1\xe4\xba\xac, large   language\nmodels "
            . "<!-- car --> <a href=\"x\">car</a> <code>GPU</code> "
            . "LLMs and <b>car</b>s.</p>\n"
            . "<p>" . ("nothing to see here, " x 20) . "</p>\n";
    }

    return $p . "</body></html>\n";
}

my $small = page(3);
my $large = page(400);     # about 300 KB
my $medium = page(40);     # about 30 KB

# the upstream's socket, outside the prefix that start_nginx makes
my $sock = File::Temp::tempdir('glossary-up-XXXXXX', TMPDIR => 1,
                               CLEANUP => 1) . '/up.sock';

my @sizes = (1, 2, 3, 5, 7, 13, 64, 1000, 4093, 65536);

my $conf = "types { text/html html; }\n"
    . "glossary_autolink_links_per_term 0;\n"
    . "location /whole/ { alias html/p/; output_buffers 1 1m; "
    . "glossary_autolink site.glossary /g/; }\n"
    . "location /gz/ { alias html/p/; output_buffers 1 7; "
    . "glossary_autolink site.glossary /g/; gzip on; gzip_min_length 1; }\n"
    . "location /up/ { proxy_pass http://unix:$sock:/p/; "
    . "glossary_autolink site.glossary /g/; }\n"
    . "location /unbuf/ { proxy_pass http://unix:$sock:/p/; "
    . "proxy_buffering off; proxy_buffer_size 1k; "
    . "glossary_autolink site.glossary /g/; }\n"
    . "location /tiny/ { proxy_pass http://unix:$sock:/p/; "
    . "proxy_buffer_size 1k; proxy_buffers 4 1k; proxy_busy_buffers_size 1k; "
    . "glossary_autolink site.glossary /g/; }\n"
    . "location /slow/ { proxy_pass http://unix:$sock:/slow/; "
    . "proxy_buffering off; glossary_autolink site.glossary /g/; }\n";

$conf .= "location /b$_/ { alias html/p/; output_buffers 1 $_; "
         . "glossary_autolink site.glossary /g/; }\n" for @sizes;

# the upstream writes in pieces of 100 bytes, postponing nothing
my $http = <<"END";
server {
    listen unix:$sock;
    types { text/html html; }
    root html;
    sendfile off;
    output_buffers 1 100;
    postpone_output 0;
    location /slow/ { alias html/p/; limit_rate_after 4k; limit_rate 8k; }
}
END

my $srv = start_nginx(
    glossary   => $G,
    http_config => $http,
    config     => $conf,
    user_files => { 'html/p/small.html' => $small,
                    'html/p/large.html' => $large,
                    'html/p/medium.html' => $medium },
);

# a rewrite without its links is its input
sub unlinked {
    my ($body) = @_;
    my $n = ($body =~ s{<a href="/g/[a-z0-9-]+" class="glossary-term" data-glossary-slug="[a-z0-9-]+"(?: title="[^"]*")?>(.*?)</a>}{$1}gs);
    return ($body, $n);
}

for my $name ('small', 'large') {
    my $in = $name eq 'small' ? $small : $large;
    my $whole = $srv->get("/whole/$name.html");

    is($whole->status, 200, "$name: whole: 200");

    my ($back, $links) = unlinked($whole->body);
    ok($back eq $in, "$name: taking the links out gives the page back");
    if ($name eq 'small') {
        cmp_ok($links, '>', 30, "$name: $links links");
    } else {
        is($links, 512, "$name: $links links: the page's cap");
    }
    unlike($whole->body, qr/<(?:h2|code|title|script|style)[^>]*>[^<]*<a class/,
           "$name: nothing in headings, code, title, script, style");

    for my $n (@sizes) {
        next if $name eq 'large' && $n < 7;     # 400k reads of 1 byte: slow
        my $r = $srv->get("/b$n/$name.html");
        ok($r->status == 200 && $r->body eq $whole->body,
           "$name: read in buffers of $n bytes: the same output")
            or diag(length($r->body) . " bytes, whole " . length($whole->body));
    }

    for my $loc ('up', 'unbuf', 'tiny') {
        my $r = $srv->get("/$loc/$name.html");
        ok($r->status == 200 && $r->body eq $whole->body,
           "$name: proxied ($loc): the same output");
    }

    my $gz = $srv->get("/gz/$name.html", 'Accept-Encoding' => 'gzip');
    my $plain = '';
    IO::Uncompress::Gunzip::gunzip(\($gz->body), \$plain);
    ok(($gz->header('Content-Encoding') // '') eq 'gzip'
       && $plain eq $whole->body,
       "$name: buffers of 7 bytes, then gzip: the same output");
}

# bounded memory: the filter's blocks and buffers do not grow with the page

{
    my $mark = $srv->log_mark;
    my $r = $srv->get('/b13/large.html');
    is($r->status, 200, 'large page in buffers of 13 bytes');

    my ($line) = grep { /glossary autolink: \d+ bytes/ }
                 $srv->error_log_lines(since => $mark);
    my ($bytes, $blocks, $bufs) = ($line // '')
        =~ /: (\d+) bytes, \d+ links of \d+ matches, (\d+) blocks, (\d+) buffers/;

    is($bytes, length($large), 'the log names the page\'s bytes');
    ok(defined $blocks && $blocks <= 2 && $bufs <= 64,
       "memory bounded: " . ($blocks // '?') . " blocks, "
       . ($bufs // '?') . " buffers for " . length($large) . " bytes in "
       . int(length($large) / 13) . " input buffers");
}

# flushes pass through: with proxy_buffering off, what the upstream has
# sent reaches the client while the rest is still coming

{
    my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
                                  PeerPort => $srv->port, Proto => 'tcp',
                                  Timeout => 10);
    ok($s, 'connected');

    my $t0 = Time::HiRes::time();
    print $s "GET /slow/medium.html HTTP/1.0\r\nHost: x\r\n\r\n";

    my ($got, $early, $buf) = ('', undef, '');
    my $sel = IO::Select->new($s);

    while ((my $left = $t0 + 20 - Time::HiRes::time()) > 0) {
        my $now = Time::HiRes::time() - $t0;

        if (!defined $early && $now >= 0.5) {
            $early = length($got);
        }

        my $wait = defined $early ? $left : 0.5 - $now;
        next unless $sel->can_read($wait > 0 ? $wait : 0);
        my $n = sysread($s, $buf, 65536);
        last unless $n;
        $got .= $buf;
    }

    my $elapsed = Time::HiRes::time() - $t0;
    my ($head, $body) = split /\r\n\r\n/, $got, 2;

    ok($elapsed > 2, sprintf('the upstream is slow: %.1f s', $elapsed));
    ok(defined $early && $early > 2048 && $early < length($got) / 2,
       'flushes pass through: ' . ($early // 0) . ' of ' . length($got)
       . ' bytes had arrived after 0.5 s');
    ok(defined $body && $body eq $srv->get('/whole/medium.html')->body,
       'and the whole page is the same');
}

$srv->stop;

done_testing();
