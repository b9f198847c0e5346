# Blobs built with some kinds of documents left out (glossaryc build
# --kinds, --no-gzip): every route of a kind the build left out answers
# 404, as for a kind an older blob lacks, and the others are served as
# from a full build; the status page says which kinds a blob holds.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Glossary;

repeat_each(2);

our $DATA = <<'END';
[{"slug":"cuda","term":"CUDA","shortDefinition":"A platform.","category":"Software",
  "explanation":"CUDA is a parallel computing platform and programming model. It lets software use GPUs for general purpose processing, and it has many libraries.",
  "relatedTerms":[{"slug":"gpu","name":"GPU"}]},
 {"slug":"gpu","term":"GPU","shortDefinition":"A processor.","category":"Hardware",
  "explanation":"A graphics processing unit is a specialized processor. It was designed to accelerate graphics and is now used for machine learning at scale.",
  "relatedTerms":[{"slug":"cuda","name":"CUDA"}]}]
END

our $CONF = <<'END';
location /api/ { glossary site.glossary; }
location /pages/ { glossary site.glossary; glossary_format html; }
location = /status { glossary_status; }
END

our $NOT_FOUND_JSON = '{"error":"not found"}';

sub blob { glossary_blob_bytes($::DATA, args => [@_]) }

run_tests();

__DATA__

=== TEST 1: --kinds json: the JSON API served; pages and payloads 404
--- glossary_blob eval: ::blob('--kinds', 'json')
--- config eval: $::CONF
--- request eval
["GET /api/cuda", "GET /api/cuda/related", "GET /api/", "GET /api/_category/",
 "GET /api/_category/software", "GET /api/_search?q=cu"]
--- error_code eval
[200, 200, 200, 200, 200, 200]
--- response_body_like eval
[qr/^\{"slug":"cuda","term":"CUDA"/, qr/^\[\{"slug":"gpu"/,
 qr/^\[\{"slug":"cuda"/, qr/^\[\{"slug":"hardware"/,
 qr/^\{"slug":"software","name":"Software"/, qr/^\[\{"slug":"cuda"/]



=== TEST 2: --kinds json: every page, payload and the sitemap 404
--- glossary_blob eval: ::blob('--kinds', 'json', '--base-url', 'https://example.com/pages/')
--- config eval: $::CONF
--- request eval
["GET /pages/cuda", "GET /pages/", "GET /pages/_category/",
 "GET /pages/_category/software", "GET /pages/_search?q=cu",
 "GET /pages/sitemap.xml", "GET /api/cuda/_payload.json",
 "GET /pages/cuda/_payload.json", "GET /api/sitemap.xml"]
--- error_code eval
[404, 404, 404, 404, 404, 404, 404, 404, 404]
--- response_body eval
[($::NOT_FOUND_JSON) x 9]



=== TEST 3: --kinds html: pages served; the JSON routes 404
--- glossary_blob eval: ::blob('--kinds', 'html')
--- config eval: $::CONF
--- request eval
["GET /pages/cuda", "GET /pages/", "GET /pages/_category/software",
 "GET /pages/_search?q=cu", "GET /pages/nope",
 "GET /api/cuda", "GET /api/", "GET /api/_category/",
 "GET /api/_search?q=cu", "GET /api/cuda/_payload.json"]
--- error_code eval
[200, 200, 200, 200, 404, 404, 404, 404, 404, 404]
--- response_body_like eval
[qr/<h1[^>]*>CUDA<\/h1>/, qr/<html/, qr/<html/, qr/<html/,
 qr/<html/, qr/^\Q$::NOT_FOUND_JSON\E$/, qr/^\Q$::NOT_FOUND_JSON\E$/,
 qr/^\Q$::NOT_FOUND_JSON\E$/, qr/^\Q$::NOT_FOUND_JSON\E$/,
 qr/^\Q$::NOT_FOUND_JSON\E$/]



=== TEST 4: --kinds payload: only the payloads; no categories, no search
--- glossary_blob eval: ::blob('--kinds', 'payload')
--- config eval: $::CONF
--- request eval
["GET /api/cuda/_payload.json", "GET /api/cuda", "GET /pages/cuda",
 "GET /api/_category/software", "GET /api/_search?q=cu", "GET /api/"]
--- error_code eval
[200, 404, 404, 404, 404, 404]
--- response_body_like eval
[qr/^\[\{"data":1,/, qr/not found/, qr/not found/, qr/not found/,
 qr/not found/, qr/not found/]



=== TEST 5: --no-gzip: the identity body for a client that takes gzip
--- glossary_blob eval: ::blob('--no-gzip')
--- config eval: $::CONF
--- request
GET /pages/cuda
--- more_headers
Accept-Encoding: gzip
--- error_code: 200
--- response_headers
!Content-Encoding
!Vary
--- response_body_like: <h1[^>]*>CUDA</h1>



=== TEST 6: a full build sends the gzip variant of the same page
--- glossary_blob eval: ::blob()
--- config eval: $::CONF
--- request
GET /pages/cuda
--- more_headers
Accept-Encoding: gzip
--- error_code: 200
--- response_headers
Content-Encoding: gzip
Vary: Accept-Encoding



=== TEST 7: the status page names the kinds a blob holds and its gzip
--- glossary_blob eval: ::blob('--kinds', 'json,payload', '--no-gzip')
--- config eval: $::CONF
--- request
GET /status
--- response_body_like: "kinds":\["json","payload"\],"gzip":false,



=== TEST 8: the status page of a full build
--- glossary_blob eval: ::blob()
--- config eval: $::CONF
--- request
GET /status
--- response_body_like: "kinds":\["json","html","payload"\],"gzip":true,



=== TEST 9: --kinds json in mmap verify=lazy mode: the same answers
--- glossary_blob eval: ::blob('--kinds', 'json')
--- config
location /api/ { glossary site.glossary mmap verify=lazy; }
location /pages/ { glossary site.glossary mmap verify=lazy; glossary_format html; }
--- request eval
["GET /api/cuda", "GET /api/_search?q=gp", "GET /pages/cuda",
 "GET /pages/_search?q=gp", "GET /api/cuda/_payload.json"]
--- error_code eval
[200, 200, 404, 404, 404]
