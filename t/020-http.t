# HTTP semantics: headers, HEAD, methods, conditional and range requests,
# the pre-compressed gzip variant, nginx's own header directives.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Glossary;

repeat_each(2);

# a term whose body gzip shrinks a lot
our $BIG = '[{"slug":"big","term":"Big","shortDefinition":"large",'
    . '"explanation":"' . join(' ', map { "word$_ of the explanation" } 1 .. 500)
    . '"},{"slug":"small","term":"Small"}]';

run_tests();

__DATA__

=== TEST 1: headers of a 200
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/gpu
--- response_headers
Content-Type: application/json; charset=utf-8
Last-Modified: Tue, 14 Nov 2023 22:13:20 GMT
Accept-Ranges: bytes
!Content-Encoding
--- response_headers_like
ETag: "[0-9a-f]{16}"
Content-Length: [1-9][0-9]*



=== TEST 2: Last-Modified is the build time (SOURCE_DATE_EPOCH)
--- glossary eval
data_file('small.json')
--- source_date_epoch: 946684800
--- config
location /glossary/ { glossary site.glossary; }
--- request eval
["GET /glossary/gpu", "GET /glossary/", "GET /glossary/gpu/related"]
--- response_headers eval
[("Last-Modified: Sat, 01 Jan 2000 00:00:00 GMT") x 3]



=== TEST 3: the index and related documents carry ETags too
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { glossary site.glossary; }
--- request eval
["GET /glossary/", "GET /glossary/cuda/related"]
--- response_headers_like eval
[('ETag: "[0-9a-f]{16}"') x 2]



=== TEST 4: HEAD: headers, no body
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { glossary site.glossary; }
--- request
HEAD /glossary/gpu
--- response_headers
Content-Type: application/json; charset=utf-8
Last-Modified: Tue, 14 Nov 2023 22:13:20 GMT
--- response_headers_like
ETag: "[0-9a-f]{16}"
Content-Length: [1-9][0-9]*
--- response_body chomp



=== TEST 5: HEAD of an unknown slug: 404, no body
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { glossary site.glossary; }
--- request
HEAD /glossary/nope
--- error_code: 404
--- response_headers
Content-Type: application/json; charset=utf-8
--- response_body chomp



=== TEST 6: methods other than GET and HEAD: 405 with Allow
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { glossary site.glossary; }
--- request eval
["POST /glossary/gpu", "PUT /glossary/gpu", "DELETE /glossary/gpu",
 "OPTIONS /glossary/", "PATCH /glossary/nope"]
--- error_code eval
[(405) x 5]
--- response_headers eval
[("Allow: GET, HEAD") x 5]



=== TEST 7: a POST body is discarded and the connection stays usable
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { glossary site.glossary; }
--- raw_request eval
"POST /glossary/gpu HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello world"
. "GET /glossary/gpu HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
--- error_code eval
[405, 200]
--- response_body_like eval
[qr/^/, qr/^\{"slug":"gpu"/]



=== TEST 8: If-None-Match: * gives 304
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/gpu
--- more_headers
If-None-Match: *
--- error_code: 304
--- response_body chomp



=== TEST 9: If-None-Match with another ETag gives 200
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/gpu
--- more_headers
If-None-Match: "0000000000000000"
--- response_body_like: ^\{"slug":"gpu"



=== TEST 10: If-Modified-Since the build time gives 304
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/gpu
--- more_headers
If-Modified-Since: Tue, 14 Nov 2023 22:13:20 GMT
--- error_code: 304
--- response_body chomp



=== TEST 11: If-Modified-Since another time gives 200 (if_modified_since exact)
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/gpu
--- more_headers
If-Modified-Since: Mon, 13 Nov 2023 22:13:20 GMT
--- error_code: 200



=== TEST 12: a byte range
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/gpu
--- more_headers
Range: bytes=0-9
--- error_code: 206
--- response_headers_like
Content-Range: bytes 0-9/[1-9][0-9]*
--- response_body chomp
{"slug":"g



=== TEST 13: a range past the end: 416
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/gpu
--- more_headers
Range: bytes=100000-
--- error_code: 416



=== TEST 14: gzip: the pre-compressed variant with its own headers
--- glossary eval
$main::BIG
--- config
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/big
--- more_headers
Accept-Encoding: gzip
--- gunzip
--- response_headers
Content-Encoding: gzip
Vary: Accept-Encoding
Content-Type: application/json; charset=utf-8
--- response_headers_like
ETag: "[0-9a-f]{16}"
Content-Length: [1-9][0-9]*
--- response_body_like
^\{"slug":"big","term":"Big","shortDefinition":"large","seoTitle":null,"seoDescription":null,"explanation":"word1 of the explanation .* word500 of the explanation","category":null,"relatedTerms":\[\],"faq":\[\]\}\n?$



=== TEST 15: a variant exists but the client does not take gzip
--- glossary eval
$main::BIG
--- config
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/big
--- response_headers
Vary: Accept-Encoding
Accept-Ranges: bytes
!Content-Encoding
--- response_body_like: ^\{"slug":"big".*"word1 of the explanation .* word500 of the explanation"



=== TEST 16: Accept-Encoding forms
--- glossary eval
$main::BIG
--- config
location /glossary/ { glossary site.glossary; }
--- raw_request eval
my @ae = ("gzip;q=0", "gzip; q=0.000", "deflate, br", "identity",
          "gzip;q=0.5", "*", "x-gzip", "br, GZIP", "deflate, gzip;q=1.0");
join '', map { "GET /glossary/big HTTP/1.1\r\nHost: x\r\nAccept-Encoding: $_\r\n\r\n" } @ae;
--- error_code eval
[(200) x 9]
--- response_headers eval
[("!Content-Encoding") x 4, ("Content-Encoding: gzip") x 5]
--- timeout: 5



=== TEST 17: "*;q=0" refuses every coding not named: the identity body
--- glossary eval
$main::BIG
--- config
location /glossary/ { glossary site.glossary; }
--- raw_request eval
join '', map { "GET /glossary/big HTTP/1.1\r\nHost: x\r\nAccept-Encoding: $_\r\n\r\n" }
         "*;q=0", "br, *;q=0", "*; q=0.0, deflate";
--- error_code eval
[(200) x 3]
--- response_headers eval
[("!Content-Encoding\nVary: Accept-Encoding") x 3]
--- response_body_like eval
[(qr/^\{"slug":"big".*"word1 of the explanation .* word500 of the explanation"/s) x 3]
--- timeout: 5



=== TEST 18: a body too small for gzip has no variant and no Vary
--- glossary eval
$main::BIG
--- config
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/small/related
--- more_headers
Accept-Encoding: gzip
--- response_headers
!Content-Encoding
!Vary
--- response_body_json
[]



=== TEST 19: with gzip_vary on, Vary appears once
--- glossary eval
$main::BIG
--- config
gzip_vary on;
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/big
--- more_headers
Accept-Encoding: gzip
--- response_headers
Vary: Accept-Encoding
Content-Encoding: gzip



=== TEST 20: nginx's gzip filter does not compress the variant again
--- glossary eval
$main::BIG
--- http_config
gzip on;
gzip_types application/json;
gzip_min_length 1;
--- config
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/big
--- more_headers
Accept-Encoding: gzip
--- gunzip
--- response_headers
Content-Encoding: gzip
--- response_body_like: ^\{"slug":"big"



=== TEST 21: a range on the identity body of a term with a variant
--- glossary eval
$main::BIG
--- config
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/big
--- more_headers
Range: bytes=1-6
--- error_code: 206
--- response_body chomp
"slug"



=== TEST 22: expires and add_header apply
--- glossary eval
data_file('small.json')
--- config
location /glossary/ {
    glossary site.glossary;
    expires 1h;
    add_header X-Test 1;
}
--- request eval
["GET /glossary/gpu", "GET /glossary/GPU"]
--- error_code eval
[200, 301]
--- response_headers eval
["Cache-Control: max-age=3600\nX-Test: 1", "X-Test: 1"]
--- response_headers_like eval
["Expires: \\w{3}, \\d\\d \\w{3} \\d{4} \\d\\d:\\d\\d:\\d\\d GMT", ""]



=== TEST 23: add_header always reaches the 404
--- glossary eval
data_file('small.json')
--- config
location /glossary/ {
    glossary site.glossary;
    add_header X-Test 1 always;
}
--- request
GET /glossary/nope
--- error_code: 404
--- response_headers
X-Test: 1



=== TEST 24: etag off: no ETag
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { glossary site.glossary; etag off; }
--- request
GET /glossary/gpu
--- response_headers
!ETag
Last-Modified: Tue, 14 Nov 2023 22:13:20 GMT



=== TEST 25: HTTP/1.0
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/gpu HTTP/1.0
--- response_headers_like
Content-Length: [1-9][0-9]*
--- response_body_like: ^\{"slug":"gpu"



=== TEST 26: keep-alive: several requests on one connection
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { glossary site.glossary; }
--- raw_request eval
"GET /glossary/gpu HTTP/1.1\r\nHost: x\r\n\r\n"
. "HEAD /glossary/cuda HTTP/1.1\r\nHost: x\r\n\r\n"
. "GET /glossary/nope HTTP/1.1\r\nHost: x\r\n\r\n"
. "GET /glossary/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
--- error_code eval
[200, 200, 404, 200]
--- response_body_like eval
[qr/^\{"slug":"gpu"/, qr/^\z/, qr/^\{"error":"not found"\}$/, qr/^\[\{"slug":"attention"/]



=== TEST 27: access log and no errors for a plain request
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/gpu
--- no_error_log
[error]
[warn]
