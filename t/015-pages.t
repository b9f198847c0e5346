# Glossary pages: the glossary_format directive and the 1.1 routes (HTML
# pages, payloads, categories, search, sitemap) in each format, on blobs
# written by t/blob/pages_blob.c, built by the Makefile (make_blob's bodies
# name the document that answered: {"slug":"gpu","kind":2} is the HTML page
# of "gpu").

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Glossary;

use File::Spec;
use File::Temp ();

repeat_each(2);

my ($Tmp, %Blob);

# the bytes of a pages_blob model, written by the Makefile's
# $GLOSSARY_BUILD/pages_blob (make test builds it)
sub pages_blob {
    my ($model) = @_;

    return $Blob{$model} if exists $Blob{$model};

    my $writer = File::Spec->catfile(build_dir(), 'pages_blob');
    die "$writer is missing: run make test-progs (make test builds it)\n"
        unless -x $writer;

    $Tmp //= File::Temp::tempdir('glossary-pages-XXXXXX', TMPDIR => 1,
                                 CLEANUP => 1);
    my $out = "$Tmp/$model.glossary";
    system($writer, $model, $out) == 0 or die "pages_blob $model failed\n";

    $Blob{$model} = Test::Glossary::Server::slurp($out);

    return $Blob{$model};
}


our $CONF = <<'END';
location /glossary/ { glossary site.glossary; glossary_format html; }
location /api/glossary/ { glossary site.glossary; }
END

our $HTML = 'text/html; charset=utf-8';
our $JSON = 'application/json; charset=utf-8';
our $XML = 'application/xml; charset=utf-8';

our $NOT_FOUND_HTML = "<!DOCTYPE html>\n<title>Not found</title>\n";
our $NOT_FOUND_JSON = '{"error":"not found"}';

sub hits { '[' . join(',', map { qq({"slug":"$_","kind":4}) } @_) . ']' }

sub page {
    my ($q, @slugs) = @_;
    return "<!DOCTYPE html>\n<title>Search</title>\n"
        . qq(<form action="search"><input name="q" value="$q"></form>\n)
        . "<h1>$q</h1>\n<ul>\n"
        . (@slugs ? join('', map { qq({"slug":"$_","kind":5}) } @slugs)
                  : "<li>No results</li>\n")
        . "</ul>\n";
}

run_tests();

__DATA__

=== TEST 1: glossary_format: the index in each format
--- glossary_blob eval: pages_blob('pages')
--- config eval: $::CONF
--- request eval
["GET /api/glossary/", "GET /glossary/"]
--- response_body eval
['[{"index":0}]', "<!DOCTYPE html>\n<title>A-Z</title>\n"]
--- response_headers eval
["Content-Type: $::JSON", "Content-Type: $::HTML\nLast-Modified: Tue, 14 Nov 2023 22:13:20 GMT"]
--- response_headers_like eval
['ETag: "[0-9a-f]{16}"', 'ETag: "[0-9a-f]{16}"']
--- no_error_log
[error]



=== TEST 2: a term: JSON document, HTML page
--- glossary_blob eval: pages_blob('pages')
--- config eval: $::CONF
--- request eval
["GET /api/glossary/gpu", "GET /glossary/gpu", "GET /glossary/eclair"]
--- response_body eval
['{"slug":"gpu","kind":0}', '{"slug":"gpu","kind":2}',
 '{"slug":"eclair","kind":2}']
--- response_headers eval
["Content-Type: $::JSON", "Content-Type: $::HTML", "Content-Type: $::HTML"]



=== TEST 3: related terms are JSON in both formats
--- glossary_blob eval: pages_blob('pages')
--- config eval: $::CONF
--- request eval
["GET /api/glossary/gpu/related", "GET /glossary/gpu/related"]
--- response_body eval
[('{"slug":"gpu","kind":1}') x 2]
--- response_headers eval
[("Content-Type: $::JSON") x 2]



=== TEST 4: the Nuxt payload, JSON in both formats
--- glossary_blob eval: pages_blob('pages')
--- config eval: $::CONF
--- request eval
["GET /api/glossary/gpu/_payload.json", "GET /glossary/gpu/_payload.json",
 "GET /glossary/nope/_payload.json"]
--- error_code eval
[200, 200, 404]
--- response_body eval
['{"slug":"gpu","kind":3}', '{"slug":"gpu","kind":3}', $::NOT_FOUND_HTML]
--- response_headers eval
["Content-Type: $::JSON", "Content-Type: $::JSON", "Content-Type: $::HTML"]



=== TEST 5: the categories
--- glossary_blob eval: pages_blob('pages')
--- config eval: $::CONF
--- request eval
["GET /api/glossary/_category/", "GET /glossary/_category/"]
--- response_body eval
['[{"index":5}]', "<!DOCTYPE html>\n<title>Categories</title>\n"]
--- response_headers eval
["Content-Type: $::JSON", "Content-Type: $::HTML"]



=== TEST 6: one category, in each format
--- glossary_blob eval: pages_blob('pages')
--- config eval: $::CONF
--- request eval
["GET /api/glossary/_category/hardware", "GET /glossary/_category/hardware",
 "GET /api/glossary/_category/security", "GET /glossary/_category/software"]
--- response_body eval
['{"category":"hardware","kind":"json"}',
 '{"category":"hardware","kind":"html"}',
 '{"category":"security","kind":"json"}',
 '{"category":"software","kind":"html"}']
--- response_headers eval
["Content-Type: $::JSON", "Content-Type: $::HTML",
 "Content-Type: $::JSON", "Content-Type: $::HTML"]
--- response_headers_like eval
[('ETag: "[0-9a-f]{16}"') x 4]



=== TEST 7: an unknown category, a path below a category: 404 per format
--- glossary_blob eval: pages_blob('pages')
--- config eval: $::CONF
--- request eval
["GET /api/glossary/_category/nope", "GET /glossary/_category/nope",
 "GET /glossary/_category/hardware/gpu", "GET /api/glossary/_category/a--b"]
--- error_code eval
[(404) x 4]
--- response_body eval
[$::NOT_FOUND_JSON, $::NOT_FOUND_HTML, $::NOT_FOUND_HTML, $::NOT_FOUND_JSON]
--- response_headers eval
["Content-Type: $::JSON\n!ETag", "Content-Type: $::HTML\n!ETag",
 "Content-Type: $::HTML", "Content-Type: $::JSON"]



=== TEST 8: 404 pages: the blob's HTML page in the html format
--- glossary_blob eval: pages_blob('pages')
--- config eval: $::CONF
--- request eval
["GET /glossary/nope", "GET /glossary/gpu/other", "GET /glossary/a.b",
 "GET /api/glossary/nope", "GET /glossary/nope/related"]
--- error_code eval
[(404) x 5]
--- response_body eval
[$::NOT_FOUND_HTML, $::NOT_FOUND_HTML, $::NOT_FOUND_HTML, $::NOT_FOUND_JSON,
 $::NOT_FOUND_HTML]
--- response_headers eval
["Content-Type: $::HTML\n!Last-Modified\n!ETag", "Content-Type: $::HTML",
 "Content-Type: $::HTML", "Content-Type: $::JSON", "Content-Type: $::HTML"]



=== TEST 9: the sitemap, XML in both formats
--- glossary_blob eval: pages_blob('pages')
--- config eval: $::CONF
--- request eval
["GET /glossary/sitemap.xml", "GET /api/glossary/sitemap.xml"]
--- response_body eval
[("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset></urlset>\n") x 2]
--- response_headers eval
[("Content-Type: $::XML\nLast-Modified: Tue, 14 Nov 2023 22:13:20 GMT") x 2]



=== TEST 10: an empty sitemap (built without a base URL) is not served
--- glossary_blob eval: pages_blob('nositemap')
--- config eval: $::CONF
--- request eval
["GET /glossary/sitemap.xml", "GET /api/glossary/sitemap.xml",
 "GET /glossary/sitemap.xml/", "GET /glossary/SITEMAP.XML"]
--- error_code eval
[(404) x 4]
--- response_body eval
[$::NOT_FOUND_HTML, $::NOT_FOUND_JSON, $::NOT_FOUND_HTML, $::NOT_FOUND_HTML]



=== TEST 11: a 1.0 blob: JSON routes as before, the new ones 404 (JSON body)
--- glossary_blob eval: pages_blob('v1')
--- config eval: $::CONF
--- request eval
["GET /api/glossary/cache", "GET /glossary/cache", "GET /glossary/",
 "GET /glossary/cache/_payload.json", "GET /api/glossary/_category/",
 "GET /glossary/_category/networking", "GET /api/glossary/_search?q=cache",
 "GET /glossary/_search?q=cache", "GET /glossary/sitemap.xml",
 "GET /api/glossary/", "GET /glossary/cache/related"]
--- error_code eval
[200, (404) x 8, 200, 200]
--- response_body eval
['{"slug":"cache","kind":0}', ($::NOT_FOUND_JSON) x 8, '[{"index":0}]',
 '{"slug":"cache","kind":1}']
--- response_headers eval
["Content-Type: $::JSON", ("Content-Type: $::JSON") x 8,
 "Content-Type: $::JSON", "Content-Type: $::JSON"]



=== TEST 12: 1.1 documents without the 1.1 sections: no search, no categories
--- glossary_blob eval: pages_blob('bare')
--- config eval: $::CONF
--- request eval
["GET /api/glossary/_search?q=gpu", "GET /glossary/_search?q=gpu",
 "GET /glossary/_category/hardware", "GET /glossary/_category/",
 "GET /glossary/gpu"]
--- error_code eval
[404, 404, 404, 200, 200]
--- response_body eval
[$::NOT_FOUND_JSON, $::NOT_FOUND_HTML, $::NOT_FOUND_HTML,
 "<!DOCTYPE html>\n<title>Categories</title>\n", '{"slug":"gpu","kind":2}']



=== TEST 13: redirects to the canonical URLs of the new routes
--- glossary_blob eval: pages_blob('pages')
--- config eval: "absolute_redirect off;\n$::CONF"
--- request eval
["GET /glossary/_category", "GET /glossary/_CATEGORY/",
 "GET /glossary/_category/Hardware", "GET /glossary/_category/hardware/",
 "GET /glossary/_Category/HARDWARE/?x=1", "GET /glossary/_search/?q=gpu",
 "GET /glossary/_SEARCH?q=gpu", "GET /api/glossary/GPU/_payload.json",
 "GET /api/glossary/_category?a=b", "GET /glossary/_CATEGORY/hardware",
 "GET /api/glossary/_Category/hardware"]
--- error_code eval
[(301) x 11]
--- response_headers eval
["Location: /glossary/_category/", "Location: /glossary/_category/",
 "Location: /glossary/_category/hardware",
 "Location: /glossary/_category/hardware",
 "Location: /glossary/_category/hardware?x=1",
 "Location: /glossary/_search?q=gpu", "Location: /glossary/_search?q=gpu",
 "Location: /api/glossary/gpu/_payload.json",
 "Location: /api/glossary/_category/?a=b",
 "Location: /glossary/_category/hardware",
 "Location: /api/glossary/_category/hardware"]



=== TEST 14: the old URLs "search" and "category/...": 301 to "_search" and "_category/" (no term holds those slugs), the query kept
--- glossary_blob eval: pages_blob('pages')
--- config eval: "absolute_redirect off;\n$::CONF"
--- request eval
["GET /glossary/search?q=gpu", "GET /api/glossary/search",
 "GET /glossary/search/?q=gpu", "GET /glossary/SEARCH?q=gpu&limit=2",
 "GET /glossary/category", "GET /api/glossary/category/",
 "GET /glossary/category/hardware", "GET /glossary/Category/Hardware/?x=1",
 "GET /api/glossary/category/related", "GET /glossary/CATEGORY/related/",
 "HEAD /api/glossary/search?q=gpu"]
--- error_code eval
[(301) x 11]
--- response_headers eval
["Location: /glossary/_search?q=gpu", "Location: /api/glossary/_search",
 "Location: /glossary/_search?q=gpu",
 "Location: /glossary/_search?q=gpu&limit=2",
 "Location: /glossary/_category/", "Location: /api/glossary/_category/",
 "Location: /glossary/_category/hardware",
 "Location: /glossary/_category/hardware?x=1",
 "Location: /api/glossary/_category/related",
 "Location: /glossary/_category/related",
 "Location: /api/glossary/_search?q=gpu"]



=== TEST 15: old URLs that never were routes stay 404: a term's paths
--- glossary_blob eval: pages_blob('pages')
--- config eval: $::CONF
--- request eval
["GET /glossary/search/related", "GET /glossary/search/x",
 "GET /api/glossary/category/_payload.json", "GET /glossary/search/_payload.json",
 "GET /glossary/category/a--b", "GET /glossary/category/hardware/x",
 "GET /glossary/_x", "GET /glossary/_searchx", "GET /glossary/_categoryx/"]
--- error_code eval
[(404) x 9]



=== TEST 16: no redirect for a payload with a trailing slash; routes stay routes
--- glossary_blob eval: pages_blob('pages')
--- config eval: $::CONF
--- request eval
["GET /glossary/gpu/_payload.json/", "GET /glossary/gpu/_PAYLOAD.json",
 "GET /glossary/_search/x", "GET /glossary/_category/hardware/x/",
 "GET /glossary/GPU", "GET /glossary/gpu/"]
--- error_code eval
[404, 404, 404, 404, 301, 301]



=== TEST 17: a location without the trailing slash
--- glossary_blob eval: pages_blob('pages')
--- config
location /glossary { glossary site.glossary; glossary_format html; }
--- request eval
["GET /glossary", "GET /glossary/", "GET /glossary/_category/",
 "GET /glossary/_search?q=cuda", "GET /glossary/_category", "GET /glossary?x=1"]
--- error_code eval
[301, 200, 200, 200, 301, 301]
--- response_headers_like eval
["Location: .*/glossary/\$", "", "", "", "", "Location: .*/glossary/\\?x=1\$"]
--- response_body_like eval
["", "A-Z", "Categories", "cuda", "", ""]



=== TEST 18: search, JSON: exact match, then term prefixes, then words
--- glossary_blob eval: pages_blob('pages')
--- config eval: $::CONF
--- request eval
["GET /api/glossary/_search?q=gpu", "GET /api/glossary/_search?q=g",
 "GET /api/glossary/_search?q=GPU", "GET /api/glossary/_search?q=gpu+m",
 "GET /api/glossary/_search?q=mem", "GET /api/glossary/_search?q=core",
 "GET /api/glossary/_search?q=t", "GET /api/glossary/_search?q=cuda"]
--- response_body eval
[::hits(qw(gpu gpu-memory integrated-gpu)),
 ::hits(qw(gpu gpu-memory integrated-gpu)),
 ::hits(qw(gpu gpu-memory integrated-gpu)),
 ::hits(qw(gpu-memory)), ::hits(qw(gpu-memory)), ::hits(qw(tensor-core)),
 ::hits(qw(tensor-core zero-trust)), ::hits(qw(cuda))]
--- response_headers eval
[("Content-Type: $::JSON\n!ETag\nLast-Modified: Tue, 14 Nov 2023 22:13:20 GMT\n!Content-Encoding") x 8]
--- response_headers_like eval
[("X-Glossary-Build: [0-9a-f]{16}") x 8]



=== TEST 19: search folds case and Latin accents as the compiler does
--- glossary_blob eval: pages_blob('pages')
--- config eval: $::CONF
--- request eval
["GET /api/glossary/_search?q=eclair", "GET /api/glossary/_search?q=%C3%89clair",
 "GET /api/glossary/_search?q=%C3%A9CLAIR", "GET /api/glossary/_search?q=e%CC%81clair",
 "GET /api/glossary/_search?q=ECL"]
--- response_body eval
[(::hits('eclair')) x 5]



=== TEST 20: spaces: "+", %20, slugs, punctuation and runs of separators
--- glossary_blob eval: pages_blob('pages')
--- config eval: $::CONF
--- request eval
["GET /api/glossary/_search?q=tensor+core", "GET /api/glossary/_search?q=tensor%20core",
 "GET /api/glossary/_search?q=tensor-core", "GET /api/glossary/_search?q=++tensor,,,core++",
 "GET /api/glossary/_search?q=tensor%2Bcore", "GET /api/glossary/_search?q=zero%",
 "GET /api/glossary/_search?q=%zero"]
--- response_body eval
[(::hits('tensor-core')) x 5, ::hits('zero-trust'), ::hits('zero-trust')]



=== TEST 21: no hits, no query, an empty folded query: []
--- glossary_blob eval: pages_blob('pages')
--- config eval: $::CONF
--- request eval
["GET /api/glossary/_search?q=xyz", "GET /api/glossary/_search",
 "GET /api/glossary/_search?q=", "GET /api/glossary/_search?q=%20%2C+",
 "GET /api/glossary/_search?limit=5", "GET /api/glossary/_search?q=gpux",
 "GET /api/glossary/_search?Q=cuda"]
--- response_body eval
[('[]') x 6, ::hits('cuda')]
--- response_headers eval
[("Content-Type: $::JSON\nContent-Length: 2") x 6, "Content-Type: $::JSON"]



=== TEST 22: limit: default 10, at most 50, larger asks get 50
--- glossary_blob eval: pages_blob('many')
--- config eval: $::CONF
--- request eval
["GET /api/glossary/_search?q=term", "GET /api/glossary/_search?q=term&limit=50",
 "GET /api/glossary/_search?q=term&limit=100", "GET /api/glossary/_search?limit=3&q=term",
 "GET /api/glossary/_search?q=term+5&limit=50", "GET /api/glossary/_search?q=term%2006"]
--- response_body eval
[::hits(map { sprintf 'term-%02d', $_ } 1 .. 10),
 ::hits(map { sprintf 'term-%02d', $_ } 1 .. 50),
 ::hits(map { sprintf 'term-%02d', $_ } 1 .. 50),
 ::hits(map { sprintf 'term-%02d', $_ } 1 .. 3),
 ::hits(map { sprintf 'term-%02d', $_ } 50 .. 59),
 ::hits('term-06')]



=== TEST 23: a limit that is not a positive number: 400 per format
--- glossary_blob eval: pages_blob('pages')
--- config eval: $::CONF
--- request eval
["GET /api/glossary/_search?q=gpu&limit=abc", "GET /api/glossary/_search?q=gpu&limit=0",
 "GET /api/glossary/_search?q=gpu&limit=-1", "GET /api/glossary/_search?q=gpu&limit=",
 "GET /api/glossary/_search?q=gpu&limit=99999999999999999999999",
 "GET /glossary/_search?q=gpu&limit=x"]
--- error_code eval
[(400) x 6]
--- response_body eval
[('{"error":"bad request"}') x 5, qq(<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Bad request</title></head><body><h1>Bad request</h1></body></html>\n)]
--- response_headers eval
[("Content-Type: $::JSON") x 5, "Content-Type: $::HTML"]



=== TEST 24: a query that is not UTF-8: 400
--- glossary_blob eval: pages_blob('pages')
--- config eval: $::CONF
--- request eval
["GET /api/glossary/_search?q=%FF", "GET /api/glossary/_search?q=caf%C3",
 "GET /api/glossary/_search?q=%C0%AF", "GET /api/glossary/_search?q=%ED%A0%80x%80",
 "GET /glossary/_search?q=%E9t%E9", "GET /api/glossary/_search?q=%F4%90%80%80"]
--- error_code eval
[(400) x 6]
--- response_headers eval
[("Content-Type: $::JSON") x 4, "Content-Type: $::HTML", "Content-Type: $::JSON"]



=== TEST 25: query length: 256 bytes after decoding, more is a 400
--- glossary_blob eval: pages_blob('pages')
--- config eval: $::CONF
--- request eval
["GET /api/glossary/_search?q=" . ('a' x 256),
 "GET /api/glossary/_search?q=" . ('a' x 257),
 "GET /api/glossary/_search?q=" . ('%41' x 256),
 "GET /api/glossary/_search?q=" . ('%41' x 257),
 "GET /api/glossary/_search?q=" . ('%C3%A9' x 128),
 "GET /api/glossary/_search?q=" . ('%C3%A9' x 129)]
--- error_code eval
[200, 400, 200, 400, 200, 400]



=== TEST 26: search, HTML: the page's segments, the query escaped, the hits
--- glossary_blob eval: pages_blob('pages')
--- config eval: $::CONF
--- request eval
["GET /glossary/_search?q=gpu", "GET /glossary/_search?q=%C3%89clair",
 "GET /glossary/_search?q=%3Cb%3E%26%22x%22", "GET /glossary/_search",
 "GET /glossary/_search?q=gpu&limit=1"]
--- response_body eval
[::page('gpu', qw(gpu gpu-memory integrated-gpu)),
 ::page("\xc3\x89clair", 'eclair'),
 ::page('&lt;b&gt;&amp;&quot;x&quot;'),
 ::page(''), ::page('gpu', 'gpu')]
--- response_headers eval
[("Content-Type: $::HTML\n!ETag\nLast-Modified: Tue, 14 Nov 2023 22:13:20 GMT") x 5]



=== TEST 27: search answers If-Modified-Since with 304
--- glossary_blob eval: pages_blob('pages')
--- config eval: $::CONF
--- request
GET /api/glossary/_search?q=gpu
--- more_headers
If-Modified-Since: Tue, 14 Nov 2023 22:13:20 GMT
--- error_code: 304



=== TEST 28: HEAD on every route: headers and Content-Length, no body
--- glossary_blob eval: pages_blob('pages')
--- config eval: $::CONF
--- request eval
["HEAD /glossary/", "HEAD /glossary/gpu", "HEAD /glossary/gpu/_payload.json",
 "HEAD /glossary/_category/", "HEAD /glossary/_category/hardware",
 "HEAD /glossary/_search?q=gpu", "HEAD /api/glossary/_search?q=gpu",
 "HEAD /glossary/sitemap.xml", "HEAD /glossary/nope"]
--- error_code eval
[(200) x 8, 404]
--- response_body eval
[('') x 9]
--- response_headers eval
[map({ "Content-Length: " . length($_) }
     "<!DOCTYPE html>\n<title>A-Z</title>\n", '{"slug":"gpu","kind":2}',
     '{"slug":"gpu","kind":3}', "<!DOCTYPE html>\n<title>Categories</title>\n",
     '{"category":"hardware","kind":"html"}',
     ::page('gpu', qw(gpu gpu-memory integrated-gpu)),
     ::hits(qw(gpu gpu-memory integrated-gpu)),
     "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset></urlset>\n",
     $::NOT_FOUND_HTML)]



=== TEST 29: methods other than GET and HEAD: 405 per format
--- glossary_blob eval: pages_blob('pages')
--- config eval: $::CONF
--- request eval
["POST /glossary/_search?q=gpu", "DELETE /api/glossary/_category/hardware"]
--- error_code eval
[405, 405]
--- response_headers eval
["Allow: GET, HEAD\nContent-Type: $::HTML", "Allow: GET, HEAD\nContent-Type: $::JSON"]



=== TEST 30: the pre-compressed variant of a page, category and payload
--- glossary_blob eval: pages_blob('pages')
--- config eval: $::CONF
--- more_headers
Accept-Encoding: gzip
--- request eval
["GET /glossary/tensor-core", "GET /glossary/gpu",
 "GET /api/glossary/_category/hardware", "GET /glossary/_category/models",
 "GET /api/glossary/_search?q=gpu"]
--- response_headers eval
["Content-Encoding: gzip\nVary: Accept-Encoding\nContent-Type: $::HTML",
 "!Content-Encoding\n!Vary",
 "Content-Encoding: gzip\nVary: Accept-Encoding",
 "Content-Encoding: gzip\nVary: Accept-Encoding\nContent-Type: $::HTML",
 "!Content-Encoding\n!Vary"]



=== TEST 31: variables: the term of a payload, the name of a category
--- glossary_blob eval: pages_blob('pages')
--- config
location /glossary/ {
    glossary site.glossary;
    glossary_format html;
    add_header X-Slug "$glossary_slug" always;
    add_header X-Term "$glossary_term" always;
    add_header X-Category "$glossary_category" always;
}
--- request eval
["GET /glossary/gpu/_payload.json", "GET /glossary/_category/hardware",
 "GET /glossary/_category/nope", "GET /glossary/_search?q=gpu",
 "GET /glossary/eclair"]
--- error_code eval
[200, 200, 404, 200, 200]
--- response_headers eval
["X-Slug: gpu\nX-Term: GPU\nX-Category: Hardware",
 "!X-Slug\n!X-Term\nX-Category: Hardware",
 "!X-Slug\n!X-Term\n!X-Category",
 "!X-Slug\n!X-Term\n!X-Category",
 "X-Slug: eclair\nX-Term: \xc3\x89clair\n!X-Category"]



=== TEST 32: glossary_format is inherited from the server level
--- glossary_blob eval: pages_blob('pages')
--- config
glossary_format html;
location /glossary/ { glossary site.glossary; }
location /api/glossary/ { glossary site.glossary; glossary_format json; }
--- request eval
["GET /glossary/gpu", "GET /api/glossary/gpu"]
--- response_body eval
['{"slug":"gpu","kind":2}', '{"slug":"gpu","kind":0}']



=== TEST 33: glossary_format at the http level
--- glossary_blob eval: pages_blob('pages')
--- http_config
glossary_format html;
--- config
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/gpu
--- response_body: {"slug":"gpu","kind":2}



=== TEST 34: glossary_format with a bad value stops nginx with a message
--- glossary_blob eval: pages_blob('pages')
--- config
location /glossary/ { glossary site.glossary; glossary_format xml; }
--- must_die
--- error_log
invalid value "xml" in



=== TEST 35: glossary_format given twice
--- glossary_blob eval: pages_blob('pages')
--- config
location /glossary/ { glossary site.glossary; glossary_format html; glossary_format json; }
--- must_die
--- error_log
"glossary_format" directive is duplicate



=== TEST 36: X-Glossary-Build off also for the new routes
--- glossary_blob eval: pages_blob('pages')
--- config
location /glossary/ {
    glossary site.glossary;
    glossary_format html;
    glossary_build_header off;
}
--- request eval
["GET /glossary/_search?q=gpu", "GET /glossary/_category/hardware",
 "GET /glossary/nope"]
--- error_code eval
[200, 200, 404]
--- response_headers eval
[("!X-Glossary-Build") x 3]



=== TEST 37: a blob from glossaryc: every route of each format answers
--- glossary eval
data_file('small.json')
--- config eval: $::CONF
--- request eval
["GET /glossary/cuda", "GET /glossary/", "GET /glossary/_category/",
 "GET /glossary/_category/software", "GET /glossary/_search?q=Cu",
 "GET /glossary/cuda/_payload.json", "GET /glossary/nope",
 "GET /api/glossary/_category/software", "GET /api/glossary/_search?q=cu",
 "GET /api/glossary/_search?q=graphics", "GET /glossary/sitemap.xml"]
--- error_code eval
[(200) x 6, 404, 200, 200, 200, 404]
--- response_headers eval
[("Content-Type: $::HTML") x 5, "Content-Type: $::JSON",
 "Content-Type: $::HTML", ("Content-Type: $::JSON") x 3, "Content-Type: $::HTML"]
--- response_body_like eval
["<h1>CUDA</h1>", "cuda", "software", "cuda", "Cu.*cuda",
 '^\[', "<html", '"cuda"', '^\[\{"slug":"cuda"[^\]]*\]$',
 '^\[\{"slug":"gpu".*"snippet":"A <mark>graphics</mark> processing unit\.",'
 . '"snippetField":"shortDefinition"\}\]$', "<html"]
