# Routes: the index, a term, its related terms, 404s, canonical-URL
# redirects, percent-encoding, location forms.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Glossary;

repeat_each(2);

run_tests();

__DATA__

=== TEST 1: a term, every key, related terms resolved and dangling
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/cuda
--- response_body_json
{"slug":"cuda","term":"CUDA","shortDefinition":"A parallel computing platform.",
 "seoTitle":"What is CUDA?","seoDescription":"CUDA explained.",
 "explanation":"CUDA is a platform.\n\nIt runs on GPUs.","category":"software",
 "relatedTerms":[
   {"slug":"gpu","name":"GPU","term":"GPU","shortDefinition":"A graphics processing unit."},
   {"slug":"tpu","name":"TPU"}],
 "faq":[{"question":"Is CUDA free?","answer":"Yes."}]}
--- response_headers
Content-Type: application/json; charset=utf-8
--- no_error_log
[error]



=== TEST 2: the body is compact JSON
--- glossary
[{"slug":"gpu","term":"GPU","shortDefinition":"A graphics processing unit.","category":"hardware"}]
--- config
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/gpu
--- response_body_like chomp
^\{"slug":"gpu","term":"GPU","shortDefinition":"A graphics processing unit\.","seoTitle":null,"seoDescription":null,"explanation":null,"category":"hardware","relatedTerms":\[\],"faq":\[\]\}\n?$



=== TEST 3: absent strings are null, absent lists are []
--- glossary
[{"slug":"bare","term":"Bare"}]
--- config
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/bare
--- response_body_json
{"slug":"bare","term":"Bare","shortDefinition":null,"seoTitle":null,
 "seoDescription":null,"explanation":null,"category":null,
 "relatedTerms":[],"faq":[]}



=== TEST 4: the index, sorted by term case-insensitively
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/
--- response_body_json
[{"slug":"attention","term":"attention","category":"models"},
 {"slug":"cuda","term":"CUDA","category":"software"},
 {"slug":"gpu","term":"GPU","category":"hardware"}]
--- response_headers
Content-Type: application/json; charset=utf-8



=== TEST 5: related terms in source order, dangling ones with slug and name only
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/cuda/related
--- response_body_json
[{"slug":"gpu","term":"GPU","shortDefinition":"A graphics processing unit."},
 {"slug":"tpu","name":"TPU"}]



=== TEST 6: related of a term without related terms is []
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/attention/related
--- response_body_json
[]



=== TEST 7: source order of related terms is kept, not sorted
--- glossary
[{"slug":"a","term":"A","relatedTerms":[{"slug":"z","name":"Z"},{"slug":"b","name":"B"},{"slug":"m","name":"M"}]},
 {"slug":"b","term":"B","shortDefinition":"bee"},
 {"slug":"z","term":"Z","shortDefinition":"zed"}]
--- config
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/a/related
--- response_body_json
[{"slug":"z","term":"Z","shortDefinition":"zed"},
 {"slug":"b","term":"B","shortDefinition":"bee"},
 {"slug":"m","name":"M"}]



=== TEST 8: unknown slug: 404 with a JSON body
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/no-such-term
--- error_code: 404
--- response_body chomp
{"error":"not found"}
--- response_headers
Content-Type: application/json; charset=utf-8
--- no_error_log
[error]



=== TEST 9: related of an unknown slug: 404
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/no-such-term/related
--- error_code: 404
--- response_body chomp
{"error":"not found"}



=== TEST 10: paths that are not routes: 404 JSON
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { glossary site.glossary; }
--- request eval
["GET /glossary/a_b", "GET /glossary/a--b", "GET /glossary/-cuda",
 "GET /glossary/cuda-", "GET /glossary/x/y/z", "GET /glossary/cuda/other",
 "GET /glossary/cuda/related/x", "GET /glossary/cuda/relatedx",
 "GET /glossary/cu.da", "GET /glossary/cu%2Eda",
 "GET /glossary/caf%C3%A9", "GET /glossary/" . ("a" x 129)]
--- error_code eval
[(404) x 12]
--- response_body eval
[('{"error":"not found"}') x 12]
--- response_headers eval
[("Content-Type: application/json; charset=utf-8") x 12]



=== TEST 11: trailing slash: 301 to the URL without it
--- glossary eval
data_file('small.json')
--- config
absolute_redirect off;
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/cuda/
--- error_code: 301
--- response_headers
Location: /glossary/cuda



=== TEST 12: upper-case slug: 301 to the lower-case URL
--- glossary eval
data_file('small.json')
--- config
absolute_redirect off;
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/CUDA
--- error_code: 301
--- response_headers
Location: /glossary/cuda



=== TEST 13: mixed case and trailing slash together, on related
--- glossary eval
data_file('small.json')
--- config
absolute_redirect off;
location /glossary/ { glossary site.glossary; }
--- request eval
["GET /glossary/Cuda/related", "GET /glossary/cuda/related/", "GET /glossary/CUDA/"]
--- error_code eval
[301, 301, 301]
--- response_headers eval
["Location: /glossary/cuda/related", "Location: /glossary/cuda/related",
 "Location: /glossary/cuda"]



=== TEST 14: the query string is kept on redirects
--- glossary eval
data_file('small.json')
--- config
absolute_redirect off;
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/CUDA?utm_source=x&y=1
--- error_code: 301
--- response_headers
Location: /glossary/cuda?utm_source=x&y=1



=== TEST 15: absolute redirect (nginx's default) names host and port
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/GPU
--- error_code: 301
--- response_headers
Location: http://localhost:$TEST_GLOSSARY_PORT/glossary/gpu



=== TEST 16: redirect of an upper-case slug that does not exist, then 404
--- glossary eval
data_file('small.json')
--- config
absolute_redirect off;
location /glossary/ { glossary site.glossary; }
--- request eval
["GET /glossary/NOPE", "GET /glossary/nope"]
--- error_code eval
[301, 404]



=== TEST 17: a query string does not change the answer
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/gpu?x=1
--- response_body_like: "slug":"gpu"



=== TEST 18: percent-encoded unreserved characters are decoded by nginx
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { glossary site.glossary; }
--- request eval
["GET /glossary/cu%64a", "GET /glossary/%63%75%64%61/related"]
--- response_body_like eval
[qr/^\{"slug":"cuda"/, qr/^\[\{"slug":"gpu"/]



=== TEST 19: dot segments are resolved by nginx before routing
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { glossary site.glossary; }
--- request eval
["GET /glossary/x/../cuda", "GET /glossary//cuda", "GET /glossary/./gpu"]
--- response_body_like eval
[qr/^\{"slug":"cuda"/, qr/^\{"slug":"cuda"/, qr/^\{"slug":"gpu"/]



=== TEST 20: a location without the trailing slash
--- glossary eval
data_file('small.json')
--- config
location /glossary { glossary site.glossary; }
--- request eval
["GET /glossary", "GET /glossary/", "GET /glossary/gpu", "GET /glossary/gpu/related"]
--- response_body_like eval
[qr/^\[\{"slug":"attention"/, qr/^\[\{"slug":"attention"/,
 qr/^\{"slug":"gpu"/, qr/^\[\{"slug":"cuda"/]



=== TEST 21: a deeper location prefix
--- glossary eval
data_file('small.json')
--- config
absolute_redirect off;
location /en/ai/glossary/ { glossary site.glossary; }
--- request eval
["GET /en/ai/glossary/", "GET /en/ai/glossary/gpu", "GET /en/ai/glossary/GPU"]
--- error_code eval
[200, 200, 301]
--- response_body_like eval
[qr/^\[\{"slug":"attention"/, qr/^\{"slug":"gpu"/, qr//]
--- response_headers eval
["", "", "Location: /en/ai/glossary/gpu"]



=== TEST 22: outside the location nothing changes
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { glossary site.glossary; }
location / { return 200 "other\n"; }
--- request eval
["GET /cuda", "GET /glossaryx/cuda"]
--- response_body eval
["other\n", "other\n"]



=== TEST 23: two locations, two glossaries
--- glossaries
>>> one.json
[{"slug":"cuda","term":"CUDA one"}]
>>> two.json
[{"slug":"cuda","term":"CUDA two"}]
--- config
location /one/ { glossary one.glossary; }
location /two/ { glossary two.glossary; }
--- request eval
["GET /one/cuda", "GET /two/cuda"]
--- response_body_like eval
[qr/"term":"CUDA one"/, qr/"term":"CUDA two"/]



=== TEST 24: two locations naming one file share it and both work
--- glossary eval
data_file('small.json')
--- config
location /a/ { glossary site.glossary; }
location /b/ { glossary site.glossary; }
location /c/ { glossary $TEST_GLOSSARY_PREFIX/conf/site.glossary; }
--- request eval
["GET /a/gpu", "GET /b/gpu", "GET /c/gpu", "GET /b/"]
--- response_body_like eval
[qr/^\{"slug":"gpu"/, qr/^\{"slug":"gpu"/, qr/^\{"slug":"gpu"/,
 qr/^\[\{"slug":"attention"/]



=== TEST 25: an exact-match location serves the index
--- glossary eval
data_file('small.json')
--- config
location = /terms { glossary site.glossary; }
--- request
GET /terms
--- response_body_like: ^\[\{"slug":"attention"



=== TEST 26: a Nuxt payload input
--- glossary eval
data_file('co-design.payload.json')
--- config
location /glossary/ { glossary site.glossary; }
--- request eval
["GET /glossary/hardware-software-co-design",
 "GET /glossary/hardware-software-co-design/related", "GET /glossary/"]
--- response_body_like eval
[qr/^\{"slug":"hardware-software-co-design","term":"Hardware-Software Co-Design","shortDefinition":"Hardware-software co-design is the practice/,
 qr/^\[\{"slug":"cuda","name":"CUDA"\},\{"slug":"tpu","name":"TPU"\},\{"slug":"nvidia","name":"NVIDIA"\}\]\n?$/,
 qr/^\[\{"slug":"hardware-software-co-design","term":"Hardware-Software Co-Design","category":"hardware"\}\]\n?$/]



=== TEST 27: JSON Lines input
--- glossary jsonl
{"slug":"b","term":"Beta"}
{"slug":"a","term":"alpha","relatedTerms":[{"slug":"b","name":"Beta"}]}
--- config
location /glossary/ { glossary site.glossary; }
--- request eval
["GET /glossary/", "GET /glossary/a/related"]
--- response_body_json eval
['[{"slug":"a","term":"alpha","category":null},{"slug":"b","term":"Beta","category":null}]',
 '[{"slug":"b","term":"Beta","shortDefinition":null}]']



=== TEST 28: several input files in one blob
--- glossary_files
>>> one.json
[{"slug":"one","term":"One","relatedTerms":[{"slug":"two","name":"Two"}]}]
>>> two.jsonl
{"slug":"two","term":"Two","shortDefinition":"2"}
--- config
location /glossary/ { glossary site.glossary; }
--- request eval
["GET /glossary/one/related", "GET /glossary/two"]
--- response_body_like eval
[qr/^\[\{"slug":"two","term":"Two","shortDefinition":"2"\}\]/, qr/^\{"slug":"two"/]



=== TEST 29: UTF-8 text, quotes, backslashes and control characters survive
--- glossary
[{"slug":"naive","term":"Naïve \"Bayes\" \\ 😀","shortDefinition":"tab\there\nnewline","category":"ml/stats"}]
--- config
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/naive
--- response_body_json
{"slug":"naive","term":"Naïve \"Bayes\" \\ 😀","shortDefinition":"tab\there\nnewline",
 "seoTitle":null,"seoDescription":null,"explanation":null,"category":"ml/stats",
 "relatedTerms":[],"faq":[]}



=== TEST 30: slugs with digits and hyphens, the longest allowed slug
--- glossary eval
my $long = join '-', ('abcdefg') x 16;       # 127 bytes
'[{"slug":"gpt-4","term":"GPT-4"},{"slug":"3d","term":"3D"},'
. '{"slug":"' . $long . '","term":"Long"}]'
--- config
location /glossary/ { glossary site.glossary; }
--- request eval
["GET /glossary/gpt-4", "GET /glossary/3d", "GET /glossary/" . join('-', ('abcdefg') x 16)]
--- response_body_like eval
[qr/"term":"GPT-4"/, qr/"term":"3D"/, qr/"term":"Long"/]



=== TEST 31: an encoded slash is a slash once nginx has decoded the path
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/cuda%2Frelated
--- response_body_like: ^\[\{"slug":"gpu"
