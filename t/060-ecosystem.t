# Fitting into nginx: the $glossary_* variables in headers and map, and a
# message (never a crash) for every bad directive value.  Log formats,
# the status page and nginx -t itself are in t/061-status.t.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Glossary;

repeat_each(2);

run_tests();

__DATA__

=== TEST 1: add_header with $glossary_term and $glossary_slug
--- glossary eval
data_file('small.json')
--- config
location /glossary/ {
    glossary site.glossary;
    add_header X-Term $glossary_term;
    add_header X-Slug $glossary_slug;
}
--- request eval
["GET /glossary/gpu", "GET /glossary/gpu/related", "GET /glossary/nope",
 "GET /glossary/GPU", "GET /glossary/"]
--- error_code eval
[200, 200, 404, 301, 200]
--- response_headers eval
["X-Term: GPU\nX-Slug: gpu", "X-Term: GPU\nX-Slug: gpu",
 "!X-Term\n!X-Slug", "!X-Term\n!X-Slug", "!X-Term\n!X-Slug"]



=== TEST 2: map on $glossary_category
--- glossary eval
data_file('small.json')
--- http_config
map $glossary_category $glossary_shelf {
    software  code;
    hardware  chips;
    ""        none;
    default   other;
}
--- config
location /glossary/ {
    glossary site.glossary;
    add_header X-Shelf $glossary_shelf always;
}
--- request eval
["GET /glossary/cuda", "GET /glossary/gpu", "GET /glossary/attention",
 "GET /glossary/", "GET /glossary/missing"]
--- error_code eval
[200, 200, 200, 200, 404]
--- response_headers eval
["X-Shelf: code", "X-Shelf: chips", "X-Shelf: other", "X-Shelf: none",
 "X-Shelf: none"]



=== TEST 3: the variables are empty outside a glossary location
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { glossary site.glossary; }
location /other/ {
    return 200 "[$glossary_slug][$glossary_term][$glossary_category][$glossary_build]\n";
}
--- request
GET /other/gpu
--- response_body
[][][][]



=== TEST 4: $glossary_build in a header equals X-Glossary-Build
--- glossary eval
data_file('small.json')
--- config
location /glossary/ {
    glossary site.glossary;
    add_header X-Build-Copy $glossary_build;
}
--- request
GET /glossary/cuda
--- response_headers_like
X-Build-Copy: [0-9a-f]{16}
X-Glossary-Build: [0-9a-f]{16}



=== TEST 5: glossary_build_header off inherited from the server level
--- glossary eval
data_file('small.json')
--- config
glossary_build_header off;
location /glossary/ { glossary site.glossary; }
location /on/ { glossary site.glossary; glossary_build_header on; }
--- request eval
["GET /glossary/cuda", "GET /on/cuda"]
--- response_headers_like eval
["X-Glossary-Build: <header X-Glossary-Build absent>",
 "X-Glossary-Build: [0-9a-f]{16}"]



=== TEST 6: glossary in server context is not allowed
--- glossary eval
data_file('small.json')
--- config
glossary site.glossary;
--- must_die
--- error_log
"glossary" directive is not allowed here in $TEST_GLOSSARY_PREFIX/conf/nginx.conf:



=== TEST 7: glossary in http context is not allowed
--- glossary eval
data_file('small.json')
--- http_config
glossary site.glossary;
--- must_die
--- error_log
"glossary" directive is not allowed here in $TEST_GLOSSARY_PREFIX/conf/nginx.conf:



=== TEST 8: glossary with an empty path
--- config
location /glossary/ { glossary ""; }
--- must_die
--- error_log
empty path in "glossary" directive in $TEST_GLOSSARY_PREFIX/conf/nginx.conf:



=== TEST 9: glossary_build_header with a value other than on or off
--- config
location /glossary/ { glossary_build_header maybe; }
--- must_die
--- error_log
invalid value "maybe" in "glossary_build_header" directive, it must be "on" or "off" in $TEST_GLOSSARY_PREFIX/conf/nginx.conf:



=== TEST 10: glossary_build_header with two values
--- config
location /glossary/ { glossary_build_header on off; }
--- must_die
--- error_log
invalid number of arguments in "glossary_build_header" directive in $TEST_GLOSSARY_PREFIX/conf/nginx.conf:



=== TEST 11: glossary_build_header twice in one location
--- config
location /glossary/ { glossary_build_header on; glossary_build_header off; }
--- must_die
--- error_log
"glossary_build_header" directive is duplicate in $TEST_GLOSSARY_PREFIX/conf/nginx.conf:



=== TEST 12: glossary_status takes no argument
--- config
location = /status { glossary_status foo; }
--- must_die
--- error_log
invalid number of arguments in "glossary_status" directive in $TEST_GLOSSARY_PREFIX/conf/nginx.conf:



=== TEST 13: glossary_status in server context is not allowed
--- config
glossary_status;
--- must_die
--- error_log
"glossary_status" directive is not allowed here in $TEST_GLOSSARY_PREFIX/conf/nginx.conf:



=== TEST 14: glossary_status twice in one location
--- config
location = /status { glossary_status; glossary_status; }
--- must_die
--- error_log
"glossary_status" directive is duplicate in $TEST_GLOSSARY_PREFIX/conf/nginx.conf:



=== TEST 15: glossary, then glossary_status in one location
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { glossary site.glossary; glossary_status; }
--- must_die
--- error_log
"glossary_status" cannot be combined with another content handler in one location in $TEST_GLOSSARY_PREFIX/conf/nginx.conf:



=== TEST 16: glossary_status, then glossary in one location
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { glossary_status; glossary site.glossary; }
--- must_die
--- error_log
"glossary" cannot be combined with another content handler in one location in $TEST_GLOSSARY_PREFIX/conf/nginx.conf:



=== TEST 17: glossary_format with an unknown value (nginx's enum slot message)
--- config
location /glossary/ { glossary_format xml; }
--- must_die
--- error_log
[emerg] invalid value "xml" in $TEST_GLOSSARY_PREFIX/conf/nginx.conf:



=== TEST 18: glossary_status beside proxy_pass is refused
--- config
location = /status { proxy_pass http://127.0.0.1:1; glossary_status; }
--- must_die
--- error_log
"glossary_status" cannot be combined with another content handler in one location in $TEST_GLOSSARY_PREFIX/conf/nginx.conf:



=== TEST 19: no term answers a 405, so the variables are empty
--- glossary eval
data_file('small.json')
--- config
location /glossary/ {
    glossary site.glossary;
    add_header X-Slug "[$glossary_slug]" always;
}
--- request
POST /glossary/gpu
--- error_code: 405
--- response_headers
X-Slug: []
