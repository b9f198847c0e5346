# The harness itself, against plain nginx (no module, no compiler): request
# building, response parsing (Content-Length, chunked, HEAD, pipelining),
# header and body checks, error log checks, must_die, reload.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Glossary 'no_module';

repeat_each(2);

run_tests();

__DATA__

=== TEST 1: return with a body
--- config
location /t { return 200 "hello\n"; }
--- request
GET /t
--- response_body
hello
--- response_headers
Content-Type: text/plain
Content-Length: 6
!X-Nothing



=== TEST 2: chomp, inline values, more_headers, HTTP/1.0
--- config
location /t { return 200 "[$http_x_foo] $server_protocol"; }
--- request
GET /t HTTP/1.0
--- more_headers
X-Foo: bar
--- response_body chomp
[bar] HTTP/1.0
--- error_code: 200



=== TEST 3: 404 and response_body_like
--- config
location /t { return 404; }
--- request
GET /nothing-here
--- error_code: 404
--- response_body_like: <title>404 Not Found</title>



=== TEST 4: HEAD has no body but keeps Content-Length
--- config
location /t { return 200 "twelve bytes"; }
--- request
HEAD /t
--- response_headers
Content-Length: 12
--- response_body chomp



=== TEST 5: chunked and gzip
--- http_config
gzip on;
gzip_min_length 1;
gzip_types text/plain;
--- config
location /t { return 200 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"; }
--- request
GET /t
--- more_headers
Accept-Encoding: gzip
--- gunzip
--- response_headers
Content-Encoding: gzip
Transfer-Encoding: chunked
!Content-Length
--- response_body eval
"a" x 56 . "\n"



=== TEST 6: pipelined raw requests, one expectation per response
--- config
location /a { return 200 "A"; }
location /b { return 404; }
--- raw_request eval
"GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
. "HEAD /a HTTP/1.1\r\nHost: x\r\n\r\n"
. "GET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
--- error_code eval
[200, 200, 404]
--- response_body_like eval
[qr/^A\z/, qr/^\z/, qr/404 Not Found/]



=== TEST 7: several requests, one connection each
--- config
location /a { return 200 "A"; }
location /b { return 200 "B"; }
--- request eval
["GET /a", "GET /b"]
--- response_body eval
["A", "B"]



=== TEST 8: response_body_json ignores whitespace and escapes, keeps order
--- config
location /j { default_type application/json; return 200 '{ "a" : "x\/y", "b" : [1, null] }'; }
--- request
GET /j
--- response_body_json
{"a":"x/y","b":[1,null]}
--- response_headers_like
Content-Type: application/json
Content-Length: \d+



=== TEST 9: error_log and no_error_log
--- config
location /t { return 200 "x"; }
--- request
GET /t?marker-123
--- no_error_log
[error]
--- error_log eval
[qr/http request line: "GET \/t\?marker-\d+ HTTP\/1\.1"/]



=== TEST 10: must_die, with the message
--- config
location /t { no_such_directive; }
--- must_die
--- error_log
unknown directive "no_such_directive"



=== TEST 11: reload with a new config
--- config
location /t { return 200 "old"; }
--- request
GET /t
--- response_body chomp
old
--- reload_config
location /t { return 200 "new"; }
--- response_body_after_reload chomp
new



=== TEST 12: failed reload keeps the old workers
--- config
location /t { return 200 "old"; }
--- request
GET /t
--- response_body chomp
old
--- reload_config
location /t { return 200 "new" }
--- reload_fails
--- reload_error_log
[emerg]
--- response_body_after_reload chomp
old



=== TEST 13: substitution of the port and prefix
--- config
location /t { return 200 "$server_port"; }
--- request
GET /t
--- response_body chomp
$TEST_GLOSSARY_PORT
