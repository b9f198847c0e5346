# The glossary_autolink filter through HTTP: the matching rules, the skip
# list, malformed HTML, entities, Unicode case, plurals and aliases, the
# caps, the directives and their errors, which responses are rewritten and
# which pass untouched (types, charsets, encodings, statuses, HEAD, ranges,
# conditional requests, opt-outs), static, proxied (an upstream server
# block on a unix socket in the same configuration) and gzip'ed output,
# the module's own pages, one load of a blob shared with a glossary
# location, reloads.  The same pages through every buffer size are
# t/121-autolink-buffers.t; html5lib and Chromium are t/122 and t/071.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Glossary;

use File::Spec;
use File::Temp ();

repeat_each(2);

our $G = <<'END';
[{"slug": "car", "term": "Car"},
 {"slug": "car-bumper", "term": "Car Bumper"},
 {"slug": "co-design", "term": "Co-Design"},
 {"slug": "gpu", "term": "GPU", "aliases": ["graphics processor"],
  "shortDefinition": "A chip for \"parallel\" work & <more>."},
 {"slug": "box", "term": "Box"},
 {"slug": "policy", "term": "Policy"},
 {"slug": "oeffentlicher-dienst", "term": "Öffentlicher Dienst"},
 {"slug": "strasse", "term": "Straße"},
 {"slug": "tokyo", "term": "東京"},
 {"slug": "coffee-house", "term": "Café"}]
END

# the link the filter writes (prefix /g/), with the page's own text
sub L {
    my ($slug, $text, $title) = @_;
    return qq(<a href="/g/$slug" class="glossary-term" )
        . qq(data-glossary-slug="$slug")
        . (defined $title ? qq( title="$title") : '') . qq(>$text</a>);
}

our $GPU_TITLE = 'A chip for &quot;parallel&quot; work &amp; &lt;more&gt;.';

our $CONF = <<'END';
types { text/html html; text/plain txt; application/xhtml+xml xhtml; }
location /p/ { glossary_autolink site.glossary /g/; }
END

# an upstream server block on a unix socket, and a proxy to it
sub proxy_conf {
    my (undef, $upstream) = @_;
    $upstream //= '';
    return <<"END";
server {
    listen unix:\$TEST_GLOSSARY_PREFIX/logs/up.sock;
    types { text/html html; }
    root html;
    $upstream
}
END
}

our $FRONT = <<'END';
location /up/ {
    proxy_pass http://unix:$TEST_GLOSSARY_PREFIX/logs/up.sock:/p/;
    glossary_autolink site.glossary /g/;
}
END

# the bytes of a pages_blob model: a blob without an AUTOLINK section
sub pages_blob {
    my $writer = File::Spec->catfile(build_dir(), 'pages_blob');
    die "$writer is missing: run make test-progs\n" unless -x $writer;
    my $tmp = File::Temp::tempdir('glossary-al-XXXXXX', TMPDIR => 1,
                                  CLEANUP => 1);
    system($writer, 'pages', "$tmp/x.glossary") == 0
        or die "pages_blob failed\n";
    return Test::Glossary::Server::slurp("$tmp/x.glossary");
}

run_tests();

__DATA__

=== TEST 1: a static page: terms linked at their first occurrence, the rest untouched byte for byte
--- glossary eval
$::G
--- config eval
$::CONF
--- user_files
>>> html/p/a.html
<!DOCTYPE html><title>Car and GPU</title>
<p>A car, a GPU, another car.</p>
--- request
GET /p/a.html
--- response_body eval
"<!DOCTYPE html><title>Car and GPU</title>\n<p>A "
. L('car', 'car') . ", a " . L('gpu', 'GPU', $::GPU_TITLE)
. ", another car.</p>\n"



=== TEST 2: the headers of a rewritten page: no Content-Length, no Accept-Ranges, a weak ETag, Last-Modified kept
--- glossary eval
$::G
--- config eval
$::CONF
--- user_files
>>> html/p/a.html
<p>car</p>
--- request
GET /p/a.html
--- response_headers
!Content-Length
!Accept-Ranges
Content-Type: text/html
--- response_headers_like
ETag: W/"[0-9a-f]+-[0-9a-f]+"
Last-Modified: .+ GMT
Transfer-Encoding: chunked



=== TEST 3: leftmost-longest: Car Bumper beats Car, a failed end falls back to the shorter
--- glossary eval
$::G
--- config eval
$::CONF . "location /all/ { alias html/p/; glossary_autolink site.glossary /g/; glossary_autolink_links_per_term 0; }"
--- user_files
>>> html/p/a.html
<p>The car bumper. A car bumpy. Car-Bumper! CAR  bumper</p>
--- request
GET /all/a.html
--- response_body eval
"<p>The " . L('car-bumper', 'car bumper') . ". A " . L('car', 'car')
. " bumpy. " . L('car-bumper', 'Car-Bumper') . "! "
. L('car-bumper', 'CAR  bumper') . "</p>\n"



=== TEST 4: whole words only: no link inside a word, digits and underscores are word characters
--- glossary eval
$::G
--- config eval
$::CONF
--- user_files
>>> html/p/a.html
<p>carpet scar car_x car2 2car (car)</p>
--- request
GET /p/a.html
--- response_body eval
"<p>carpet scar car_x car2 2car (" . L('car', 'car') . ")</p>\n"



=== TEST 5: a slug written as words, and hyphens as spaces
--- glossary eval
$::G
--- config eval
$::CONF . "location /all/ { alias html/p/; glossary_autolink site.glossary /g/; glossary_autolink_links_per_term 0; }"
--- user_files
>>> html/p/a.html
<p>co design, Co-Design, co-design, codesign</p>
--- request
GET /all/a.html
--- response_body eval
"<p>" . L('co-design', 'co design') . ", " . L('co-design', 'Co-Design')
. ", " . L('co-design', 'co-design') . ", codesign</p>\n"



=== TEST 6: plurals of names and aliases, aliases themselves
--- glossary eval
$::G
--- config eval
$::CONF
--- user_files
>>> html/p/a.html
<p>boxes and policies; two graphics processors.</p>
--- request
GET /p/a.html
--- response_body eval
"<p>" . L('box', 'boxes') . " and " . L('policy', 'policies') . "; two "
. L('gpu', 'graphics processors', $::GPU_TITLE) . ".</p>\n"



=== TEST 7: Unicode case folding beyond ASCII, full folding (ß and SS), no word boundaries in CJK
--- glossary eval
$::G
--- config eval
$::CONF
--- user_files
>>> html/p/a.html
<p>ÖFFENTLICHER DIENST, die STRASSE; 我在東京工作</p>
--- request
GET /p/a.html
--- response_body eval
"<p>" . L('oeffentlicher-dienst', 'ÖFFENTLICHER DIENST') . ", die "
. L('strasse', 'STRASSE') . "; 我在" . L('tokyo', '東京') . "工作</p>\n"



=== TEST 8: entities are decoded before matching and kept byte for byte
--- glossary eval
$::G
--- config eval
$::CONF
--- user_files
>>> html/p/a.html
<p>Car&nbsp;Bumper, caf&eacute;, &#71;PU, Box&amp;Co, &#x50;olicy&#59;</p>
--- request
GET /p/a.html
--- response_body eval
"<p>" . L('car-bumper', 'Car&nbsp;Bumper') . ", "
. L('coffee-house', 'caf&eacute;') . ", "
. L('gpu', '&#71;PU', $::GPU_TITLE) . ", " . L('box', 'Box') . "&amp;Co, "
. L('policy', '&#x50;olicy') . "&#59;</p>\n"



=== TEST 9: never inside tags, attributes, comments, CDATA, script, style, textarea, title
--- glossary eval
$::G
--- config eval
$::CONF
--- user_files
>>> html/p/a.html
<html><head><title>car</title><style>.car{}</style>
<script>var car = "<p>car</p>";</script></head>
<body title="car" data-car="car"><!-- car --><![CDATA[ car ]]>
<textarea>car</textarea><img alt="car"></body></html>
--- request
GET /p/a.html
--- response_body
<html><head><title>car</title><style>.car{}</style>
<script>var car = "<p>car</p>";</script></head>
<body title="car" data-car="car"><!-- car --><![CDATA[ car ]]>
<textarea>car</textarea><img alt="car"></body></html>



=== TEST 10: the default skip list, noglossary and data-noglossary with their descendants
--- glossary eval
$::G
--- config eval
$::CONF
--- user_files
>>> html/p/a.html
<a href="/x">car</a><h1>car</h1><h2>car</h2><h6>car</h6><code>car</code>
<pre>car</pre><kbd>car</kbd><button>car</button><select><option>car</option></select>
<label>car</label><svg><text>car</text></svg><math><mi>car</mi></math>
<template>car</template><noscript>car</noscript>
<div class="x noglossary y"><p>car <b>car</b></p></div><span data-noglossary>car</span>
<p>car</p>
--- request
GET /p/a.html
--- response_body eval
<<'END' . "<p>" . main::L('car', 'car') . "</p>\n"
<a href="/x">car</a><h1>car</h1><h2>car</h2><h6>car</h6><code>car</code>
<pre>car</pre><kbd>car</kbd><button>car</button><select><option>car</option></select>
<label>car</label><svg><text>car</text></svg><math><mi>car</mi></math>
<template>car</template><noscript>car</noscript>
<div class="x noglossary y"><p>car <b>car</b></p></div><span data-noglossary>car</span>
END



=== TEST 11: glossary_autolink_skip: a list of one's own, the default one and more, none
--- glossary eval
$::G
--- config eval
$::CONF . <<'END'
location /own/ { alias html/p/; glossary_autolink site.glossary /g/; glossary_autolink_skip em; glossary_autolink_links_per_term 0; }
location /more/ { alias html/p/; glossary_autolink site.glossary /g/; glossary_autolink_skip default em; glossary_autolink_links_per_term 0; }
location /none/ { alias html/p/; glossary_autolink site.glossary /g/; glossary_autolink_skip none; glossary_autolink_links_per_term 0; }
END
--- user_files
>>> html/p/a.html
<h1>car</h1><em>car</em><p>car</p>
--- request eval
["GET /own/a.html", "GET /more/a.html", "GET /none/a.html"]
--- response_body eval
["<h1>" . L('car', 'car') . "</h1><em>car</em><p>" . L('car', 'car') . "</p>\n",
 "<h1>car</h1><em>car</em><p>" . L('car', 'car') . "</p>\n",
 "<h1>" . L('car', 'car') . "</h1><em>" . L('car', 'car') . "</em><p>"
 . L('car', 'car') . "</p>\n"]



=== TEST 12: malformed HTML passes unchanged where the context is uncertain
--- glossary eval
$::G
--- config eval
$::CONF . "location /all/ { alias html/p/; glossary_autolink site.glossary /g/; glossary_autolink_links_per_term 0; }"
--- user_files
>>> html/p/a.html
<p>a < car, 1<2 car <!car> car </ car> car <b title="x>car">car</b> <p title="car
car car
--- request
GET /all/a.html
--- response_body eval
"<p>a < " . L('car', 'car') . ", 1<2 " . L('car', 'car') . " <!car> "
. L('car', 'car') . " </ car> " . L('car', 'car')
. " <b title=\"x>car\">" . L('car', 'car') . "</b> <p title=\"car\ncar car\n"



=== TEST 13: a body cut inside a comment, a tag and a reference passes as it is
--- glossary eval
$::G
--- config eval
$::CONF
--- user_files
>>> html/p/a.html
<p>car</p><!-- car <b>car</b> --
>>> html/p/b.html
<p>gpu</p><b class="car
>>> html/p/c.html
<p>box</p>car&amp
--- request eval
["GET /p/a.html", "GET /p/b.html", "GET /p/c.html"]
--- response_body eval
["<p>" . L('car', 'car') . "</p><!-- car <b>car</b> --\n",
 "<p>" . L('gpu', 'gpu', $::GPU_TITLE) . "</p><b class=\"car\n",
 "<p>" . L('box', 'box') . "</p>" . L('car', 'car') . "&amp\n"]



=== TEST 14: first occurrence by default; glossary_autolink_links_per_term and _per_page
--- glossary eval
$::G
--- config eval
$::CONF . <<'END'
location /two/ { alias html/p/; glossary_autolink site.glossary /g/; glossary_autolink_links_per_term 2; }
location /all/ { alias html/p/; glossary_autolink site.glossary /g/; glossary_autolink_links_per_term 0; }
location /page/ { alias html/p/; glossary_autolink site.glossary /g/; glossary_autolink_links_per_term 0; glossary_autolink_links_per_page 3; }
END
--- user_files
>>> html/p/a.html
car box car box car box
--- request eval
["GET /p/a.html", "GET /two/a.html", "GET /all/a.html", "GET /page/a.html"]
--- response_body eval
my ($c, $b) = (L('car', 'car'), L('box', 'box'));
["$c $b car box car box\n", "$c $b $c $b car box\n",
 "$c $b $c $b $c $b\n", "$c $b $c box car box\n"]



=== TEST 15: glossary_autolink_title off: no title attribute; a term without a short definition has none
--- glossary eval
$::G
--- config eval
$::CONF . "location /nt/ { alias html/p/; glossary_autolink site.glossary /g/; glossary_autolink_title off; }"
--- user_files
>>> html/p/a.html
GPU car
--- request eval
["GET /p/a.html", "GET /nt/a.html"]
--- response_body eval
["" . L('gpu', 'GPU', $::GPU_TITLE) . " " . L('car', 'car') . "\n",
 "" . L('gpu', 'GPU') . " " . L('car', 'car') . "\n"]



=== TEST 16: only the configured types: text/plain passes (debug log says why) until glossary_autolink_types names it
--- glossary eval
$::G
--- config eval
$::CONF . "location /txt/ { alias html/p/; glossary_autolink site.glossary /g/; glossary_autolink_types text/plain; }"
--- user_files
>>> html/p/a.txt
car
--- request eval
["GET /p/a.txt", "GET /txt/a.txt"]
--- response_body eval
["car\n", L('car', 'car') . "\n"]
--- error_log
glossary autolink: not a glossary_autolink_types type, passed through



=== TEST 17: glossary_autolink off in a nested location; at server level for every location
--- glossary eval
$::G
--- config eval
"types { text/html html; }\nglossary_autolink site.glossary /g/;\n"
. "location /p/ { location /p/raw/ { glossary_autolink off; } }"
--- user_files
>>> html/p/a.html
car
>>> html/p/raw/a.html
car
--- request eval
["GET /p/a.html", "GET /p/raw/a.html"]
--- response_body eval
[L('car', 'car') . "\n", "car\n"]
--- response_headers_like eval
["ETag: W/.*", "ETag: \"[^\"]+\""]



=== TEST 18: the <meta> opt-out
--- glossary eval
$::G
--- config eval
$::CONF
--- user_files
>>> html/p/a.html
<html><head><meta content="x noautolink" NAME="Glossary"></head><body>car</body></html>
--- request
GET /p/a.html
--- response_body
<html><head><meta content="x noautolink" NAME="Glossary"></head><body>car</body></html>



=== TEST 19: HEAD passes untouched, with its Content-Length
--- glossary eval
$::G
--- config eval
$::CONF
--- user_files
>>> html/p/a.html
car
--- request
HEAD /p/a.html
--- response_headers
Content-Length: 4
Accept-Ranges: bytes
--- response_headers_like
ETag: "[^"]+"
--- response_body chomp

--- error_log
glossary autolink: no body (HEAD), passed through



=== TEST 20: a range of a static page: the whole page is rewritten, 200 (its bytes are not the file's)
--- glossary eval
$::G
--- config eval
$::CONF
--- user_files
>>> html/p/a.html
car car
--- request
GET /p/a.html
--- more_headers
Range: bytes=0-2
--- error_code: 200
--- response_headers
!Content-Range
--- response_body eval
L('car', 'car') . " car\n"



=== TEST 21: 304 to a conditional request passes untouched, the weak ETag validates
--- glossary eval
$::G
--- config eval
$::CONF
--- user_files
>>> html/p/a.html
car
--- init
utime(1700000000, 1700000000, $srv->path("html", "p", "a.html")) or die "utime: $!";
--- raw_request eval
["GET /p/a.html HTTP/1.0\r\nIf-Modified-Since: Tue, 14 Nov 2023 22:13:20 GMT\r\n\r\n",
 "GET /p/a.html HTTP/1.0\r\nIf-None-Match: W/\"6553f100-4\"\r\n\r\n"]
--- error_code: 304
--- response_body chomp

--- error_log
glossary autolink: status 304, passed through



=== TEST 22: other statuses pass untouched: a 404 page, a 301
--- glossary eval
$::G
--- config eval
$::CONF . "location = /p/moved { return 301 /p/a.html; }\nerror_page 404 /p/404.html;"
--- user_files
>>> html/p/404.html
car is not here
--- request eval
["GET /p/nothing.html", "GET /p/moved"]
--- error_code eval
[404, 301]
--- response_body_like eval
["^car is not here\n\\z", "."]
--- error_log
glossary autolink: status not 200, passed through



=== TEST 23: proxied: the upstream's page is rewritten, its Content-Length and strong ETag go
--- glossary eval
$::G
--- http_config eval
main::proxy_conf()
--- config eval
$::FRONT
--- user_files
>>> html/p/a.html
<p>A car bumper.</p>
--- request
GET /up/a.html
--- response_headers
!Content-Length
--- response_headers_like
ETag: W/"[^"]+"
--- response_body eval
"<p>A " . L('car-bumper', 'car bumper') . ".</p>\n"



=== TEST 24: proxied with another charset, or one the upstream names UTF-8
--- glossary eval
$::G
--- http_config eval
main::proxy_conf(undef, <<'END')
location = /p/latin.html { charset iso-8859-1; }
location = /p/utf.html { charset utf-8; }
END
--- config eval
$::FRONT
--- user_files
>>> html/p/latin.html
car
>>> html/p/utf.html
car
--- request eval
["GET /up/latin.html", "GET /up/utf.html"]
--- response_headers_like eval
["Content-Type: text/html; charset=iso-8859-1",
 "Content-Type: text/html; charset=utf-8"]
--- response_body eval
["car\n", L('car', 'car') . "\n"]
--- error_log
glossary autolink: a charset other than UTF-8, passed through



=== TEST 25: a compressed upstream body passes untouched; the recipe: proxy_set_header Accept-Encoding ""
--- glossary eval
$::G
--- http_config eval
main::proxy_conf(undef, 'gzip on; gzip_min_length 1; gzip_http_version 1.0;')
--- config eval
$::FRONT . <<'END'
location /plain/ {
    proxy_pass http://unix:$TEST_GLOSSARY_PREFIX/logs/up.sock:/p/;
    proxy_set_header Accept-Encoding "";
    glossary_autolink site.glossary /g/;
}
END
--- user_files
>>> html/p/a.html
car
--- request eval
["GET /up/a.html", "GET /plain/a.html"]
--- more_headers
Accept-Encoding: gzip
--- response_headers eval
["Content-Encoding: gzip", "!Content-Encoding"]
--- response_body_like eval
["^\x1f\x8b", "^<a href=\"/g/car\""]
--- error_log
glossary autolink: a Content-Encoding, passed through



=== TEST 26: nginx's gzip compresses the rewritten page (the filter runs before it)
--- glossary eval
$::G
--- config eval
$::CONF . "gzip on; gzip_min_length 1;"
--- user_files
>>> html/p/a.html
<p>A car and a GPU.</p>
--- request
GET /p/a.html
--- more_headers
Accept-Encoding: gzip
--- response_headers
Content-Encoding: gzip
--- gunzip
--- response_body eval
"<p>A " . L('car', 'car') . " and a " . L('gpu', 'GPU', $::GPU_TITLE)
. ".</p>\n"



=== TEST 27: gzip on for a proxied page (the upstream sends it plain)
--- glossary eval
$::G
--- http_config eval
main::proxy_conf()
--- config eval
$::FRONT . "gzip on; gzip_min_length 1;"
--- user_files
>>> html/p/a.html
box
--- request
GET /up/a.html
--- more_headers
Accept-Encoding: gzip
--- response_headers
Content-Encoding: gzip
--- gunzip
--- response_body eval
L('box', 'box') . "\n"



=== TEST 28: a 206 from the upstream passes untouched
--- glossary eval
$::G
--- http_config eval
main::proxy_conf()
--- config eval
$::FRONT
--- user_files
>>> html/p/a.html
car car car
--- request
GET /up/a.html
--- more_headers
Range: bytes=4-6
--- error_code: 206
--- response_body: car
--- error_log
glossary autolink: status 206 (a range), passed through



=== TEST 29: the response header opt-out: X-Glossary-Autolink: off from the upstream
--- glossary eval
$::G
--- http_config eval
main::proxy_conf(undef, 'add_header X-Glossary-Autolink off;')
--- config eval
$::FRONT
--- user_files
>>> html/p/a.html
car
--- request
GET /up/a.html
--- response_headers
X-Glossary-Autolink: off
--- response_body
car
--- error_log
glossary autolink: opted out (X-Glossary-Autolink: off), passed through



=== TEST 30: a 204 and an empty 200 pass untouched
--- glossary eval
$::G
--- http_config eval
main::proxy_conf(undef, 'location = /p/none { default_type text/html; return 204; }')
--- config eval
$::FRONT
--- user_files
>>> html/p/empty.html
--- request eval
["GET /up/none", "GET /p/empty.html"]
--- error_code eval
[204, 200]
--- response_body chomp

--- error_log
glossary autolink: status 204, passed through



=== TEST 31: the module's own pages: a term page links the others, never itself, and is sent plain for the filter
--- glossary eval
$::G
--- config
location /g/ { glossary site.glossary; glossary_format html; glossary_autolink site.glossary /g/; }
--- request
GET /g/car-bumper
--- more_headers
Accept-Encoding: gzip
--- response_headers
!Content-Encoding
!Content-Length
--- response_body_unlike
data-glossary-slug="car-bumper"
--- error_log
glossary autolink: rewriting, excluded term 2,



=== TEST 32: a term page with gzip on: nginx compresses the rewritten page
--- glossary eval
'[{"slug":"car","term":"Car","shortDefinition":"A vehicle with a bumper."},{"slug":"bumper","term":"Bumper","shortDefinition":"Part of a car."}]'
--- config
location /g/ { glossary site.glossary; glossary_format html; glossary_autolink site.glossary /g/; gzip on; gzip_min_length 1; }
--- request
GET /g/car
--- more_headers
Accept-Encoding: gzip
--- response_headers
Content-Encoding: gzip
--- gunzip
--- response_body_like
<p class="short">A vehicle with a <a href="/g/bumper" class="glossary-term" data-glossary-slug="bumper" title="Part of a car.">bumper</a>.</p>



=== TEST 33: the JSON documents are not HTML: untouched, gzip variant and all
--- glossary eval
$::G
--- config
location /g/ { glossary site.glossary; glossary_autolink site.glossary /g/; }
--- request
GET /g/gpu
--- more_headers
Accept-Encoding: gzip
--- response_headers
Content-Encoding: gzip
Content-Type: application/json; charset=utf-8



=== TEST 34: one load of a blob shared by glossary and glossary_autolink
--- glossary eval
$::G
--- config
location /g/ { glossary site.glossary; glossary_format html; }
location /p/ { glossary_autolink site.glossary /g/; types { text/html html; } }
location = /status { glossary_status; }
--- user_files
>>> html/p/a.html
car
--- request eval
["GET /p/a.html", "GET /status"]
--- response_body_like eval
["^<a href=\"/g/car\"",
 '^\{"pid":\d+,"blobs":\[\{"path":"[^"]*site\.glossary"(?:(?!"path").)*\]\}\s*\z']



=== TEST 35: the mapping options of a shared load: as the glossary location chose, or the same
--- glossary eval
$::G
--- config
location /g/ { glossary site.glossary mmap verify=lazy; }
location /p/ { glossary_autolink site.glossary /g/; types { text/html html; } }
location /q/ { glossary_autolink site.glossary /g/ mmap verify=lazy; types { text/html html; } }
--- user_files
>>> html/p/a.html
car
>>> html/q/a.html
box
--- request eval
["GET /p/a.html", "GET /q/a.html"]
--- response_body eval
[L('car', 'car') . "\n", L('box', 'box') . "\n"]



=== TEST 36: other mapping options for a file already loaded stop nginx
--- glossary eval
$::G
--- config
location /g/ { glossary site.glossary mmap; }
location /p/ { glossary_autolink site.glossary /g/ copy; }
--- must_die
--- error_log eval
[qr/\[emerg\] .*glossary ".*site\.glossary" is loaded with "mmap verify=full" in another location/]



=== TEST 37: a blob without an autolink automaton (format 1.2 and earlier, or a test's writer) stops nginx
--- glossary_blob eval
main::pages_blob()
--- config
location /p/ { glossary_autolink site.glossary /g/; }
--- must_die
--- error_log eval
[qr/\[emerg\] .*glossary ".*site\.glossary" has no autolink automaton \(format \d+\.\d+\): build it again with this glossaryc/]



=== TEST 38: a missing blob stops nginx with the path
--- config
location /p/ { glossary_autolink missing.glossary /g/; }
--- must_die
--- error_log eval
[qr/\[emerg\] .*open\(\) ".*missing\.glossary" failed/]



=== TEST 39: a glossary without a prefix
--- glossary eval
$::G
--- config
location /p/ { glossary_autolink site.glossary; }
--- must_die
--- error_log eval
[qr/\[emerg\] "glossary_autolink" takes a glossary and the prefix its terms are served under, or "off"/]



=== TEST 40: a prefix with a space
--- glossary eval
$::G
--- config
location /p/ { glossary_autolink site.glossary "/g /"; }
--- must_die
--- error_log eval
[qr/\[emerg\] the prefix "\/g \/" of "glossary_autolink" holds a space or a control character/]



=== TEST 41: a bad element name in glossary_autolink_skip
--- glossary eval
$::G
--- config
location /p/ { glossary_autolink site.glossary /g/; glossary_autolink_skip a b>; }
--- must_die
--- error_log eval
[qr/\[emerg\] invalid element name "b>" in "glossary_autolink_skip": letters, digits and "-", 1 to 31 bytes/]



=== TEST 42: links per page out of range
--- glossary eval
$::G
--- config
location /p/ { glossary_autolink site.glossary /g/; glossary_autolink_links_per_page 513; }
--- must_die
--- error_log eval
[qr/\[emerg\] value must be between 1 and 512 in .*nginx\.conf/]



=== TEST 43: glossary_autolink twice in one location
--- glossary eval
$::G
--- config
location /p/ { glossary_autolink site.glossary /g/; glossary_autolink off; }
--- must_die
--- error_log eval
[qr/\[emerg\] "glossary_autolink" directive is duplicate/]



=== TEST 44: a reload brings the new glossary's links; a broken one fails and the old keeps linking
--- glossary eval
$::G
--- config eval
$::CONF
--- user_files
>>> html/p/a.html
car truck
--- request
GET /p/a.html
--- response_body eval
L('car', 'car') . " truck\n"
--- reload_glossary
[{"slug": "truck", "term": "Truck"}]
--- response_body_after_reload eval
"car " . L('truck', 'truck') . "\n"



=== TEST 45: a reload to a broken blob fails; the old workers keep linking
--- glossary eval
$::G
--- config eval
$::CONF
--- user_files
>>> html/p/a.html
car
--- request
GET /p/a.html
--- reload_glossary_blob eval
"GLOSSARY" . ("\0" x 200)
--- reload_fails
--- response_body_after_reload eval
L('car', 'car') . "\n"



=== TEST 46: application/xhtml+xml when listed, and a charset parameter from the handler
--- glossary eval
$::G
--- config eval
$::CONF . "charset utf-8; location /x/ { alias html/p/; glossary_autolink site.glossary /g/; glossary_autolink_types application/xhtml+xml; }"
--- user_files
>>> html/p/a.xhtml
<p>car</p>
--- request
GET /x/a.xhtml
--- response_body eval
"<p>" . L('car', 'car') . "</p>\n"



=== TEST 47: a hostile glossary (markup, quotes and references in names, aliases and titles; empty, overlong and duplicate aliases; scripts of every direction): escaped, never breaking the page
--- glossary eval
Test::Glossary::Server::slurp(File::Spec->catfile(Test::Glossary::repo_root(), 't', 'data', 'hostile', 'valid', 'aliases.json'))
--- config eval
$::CONF . "location /all/ { alias html/p/; glossary_autolink site.glossary /g/; glossary_autolink_links_per_term 0; }"
--- user_files
>>> html/p/a.html
<p>It's x"y, a&amp;amp;b and Car; CAFÉ ÖFFENTLICH; שלום; 東京都; İstanbul; STRASSE; alias 63.</p>
--- request
GET /all/a.html
--- response_body eval
"<p>" . L('markup', "It's", "&lt;i&gt;Title&lt;/i&gt; with &quot;quotes&quot; &amp; &#39;apostrophes&#39; &lt;/a&gt;")
. ' ' . L('markup', 'x"y', "&lt;i&gt;Title&lt;/i&gt; with &quot;quotes&quot; &amp; &#39;apostrophes&#39; &lt;/a&gt;")
. ', ' . L('markup', 'a&amp;amp;b', "&lt;i&gt;Title&lt;/i&gt; with &quot;quotes&quot; &amp; &#39;apostrophes&#39; &lt;/a&gt;")
. ' and ' . L('dup', 'Car') . '; ' . L('unicode', 'CAFÉ ÖFFENTLICH') . '; '
. L('unicode', 'שלום') . '; ' . L('unicode', '東京都') . '; '
. L('unicode', 'İstanbul') . '; ' . L('unicode', 'STRASSE') . '; '
. L('many', 'alias 63') . ".</p>\n"
