# The glossary directive: loading and validating the blob at configuration
# time, its error messages, its contexts.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Glossary;

run_tests();

__DATA__

=== TEST 1: a missing file stops nginx and names the path and the syscall
--- config
location /glossary/ { glossary missing.glossary; }
--- must_die
--- error_log
[emerg]
open() "$TEST_GLOSSARY_PREFIX/conf/missing.glossary" failed (2: No such file or directory)



=== TEST 2: an absolute path that does not exist
--- config
location /glossary/ { glossary /nonexistent-dir/x.glossary; }
--- must_die
--- error_log
open() "/nonexistent-dir/x.glossary" failed (2: No such file or directory)



=== TEST 3: a file that is not a blob
--- user_files
>>> conf/site.glossary
this is not a glossary blob, but it is long enough to hold a header: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
--- config
location /glossary/ { glossary site.glossary; }
--- must_die
--- error_log eval
[qr/\[emerg\] .*glossary ".*\/conf\/site\.glossary" is invalid: [^:]+: /]



=== TEST 4: an empty file
--- user_files
>>> conf/site.glossary
--- config
location /glossary/ { glossary site.glossary; }
--- must_die
--- error_log eval
[qr/\[emerg\] .*glossary ".*\/conf\/site\.glossary" is invalid: /]



=== TEST 5: a truncated blob
--- glossary_blob eval
my $b = glossary_blob_bytes(data_file('small.json'));
substr($b, 0, length($b) - 100)
--- config
location /glossary/ { glossary site.glossary; }
--- must_die
--- error_log eval
[qr/\[emerg\] .*glossary ".*site\.glossary" is invalid: /]



=== TEST 6: one flipped byte fails the checksum
--- glossary_blob eval
my $b = glossary_blob_bytes(data_file('small.json'));
my $at = length($b) - 10;
substr($b, $at, 1) = chr(ord(substr($b, $at, 1)) ^ 0x01);
$b
--- config
location /glossary/ { glossary site.glossary; }
--- must_die
--- error_log eval
[qr/\[emerg\] .*glossary ".*site\.glossary" is invalid: .*checksum/i]



=== TEST 6a: copy mode reads a blob of several MiB a window at a time, each hashed on the way
--- glossary_blob eval
$::big //= glossary_blob_bytes('[' . join(',', map {
    qq({"slug":"t-$_","term":"T $_","explanation":") . ("word$_ " x 800) . '"}'
} 1 .. 400) . ']');
die 'the blob is not several MiB' unless length($::big) > 6 << 20;
$::big
--- config
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/t-399
--- response_body_like: "explanation":"word399 word399



=== TEST 6b: ... and a byte flipped past its first MiBs fails its checksum
--- glossary_blob eval
$::big //= glossary_blob_bytes('[' . join(',', map {
    qq({"slug":"t-$_","term":"T $_","explanation":") . ("word$_ " x 800) . '"}'
} 1 .. 400) . ']');
my $b = $::big;
my $at = (5 << 20) + 12345;
substr($b, $at, 1) = chr(ord(substr($b, $at, 1)) ^ 0x01);
$b
--- config
location /glossary/ { glossary site.glossary; }
--- must_die
--- error_log eval
[qr/\[emerg\] .*glossary ".*site\.glossary" is invalid: checksum mismatch/]



=== TEST 7: a wrong major version
--- glossary_blob eval
my $b = glossary_blob_bytes(data_file('small.json'));
substr($b, 8, 2) = pack('v', 3);
$b
--- config
location /glossary/ { glossary site.glossary; }
--- must_die
--- error_log eval
[qr/\[emerg\] .*glossary ".*site\.glossary" is invalid: .*version/i]



=== TEST 8: wrong magic
--- glossary_blob eval
my $b = glossary_blob_bytes(data_file('small.json'));
substr($b, 0, 8) = 'GLOSSARZ';
$b
--- config
location /glossary/ { glossary site.glossary; }
--- must_die
--- error_log eval
[qr/\[emerg\] .*glossary ".*site\.glossary" is invalid: /]



=== TEST 9: a directory is not a blob
--- config
location /glossary/ { glossary $TEST_GLOSSARY_PREFIX/logs; }
--- must_die
--- error_log eval
[qr/\[emerg\] .*"\S*\/logs"/]



=== TEST 10: no argument
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { glossary; }
--- must_die
--- error_log
invalid number of arguments in "glossary" directive



=== TEST 11: four arguments
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { glossary site.glossary mmap verify=lazy mmap; }
--- must_die
--- error_log
invalid number of arguments in "glossary" directive



=== TEST 11a: a second argument other than copy, mmap or verify=
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { glossary site.glossary site.glossary; }
--- must_die
--- error_log
invalid parameter "site.glossary", it must be "copy", "mmap", "verify=full" or "verify=lazy", each at most once



=== TEST 11a2: a parameter given twice
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { glossary site.glossary mmap copy; }
--- must_die
--- error_log
invalid parameter "copy", it must be



=== TEST 11a3: verify= with another value
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { glossary site.glossary verify=none; }
--- must_die
--- error_log
invalid parameter "verify=none", it must be



=== TEST 11a4: verify=lazy, in either order, with copy or mmap, or alone
--- glossary eval
data_file('small.json')
--- config
location /a/ { glossary site.glossary verify=lazy mmap; }
location /b/ { glossary b.glossary copy verify=lazy; }
location /c/ { glossary c.glossary verify=lazy; }
location /d/ { glossary d.glossary mmap verify=full; }
--- init
for my $f (qw(b c d)) {
    require File::Copy;
    File::Copy::copy($srv->path('conf', 'site.glossary'),
                     $srv->path('conf', "$f.glossary")) or die "copy: $!";
}
--- request eval
["GET /a/gpu", "GET /b/gpu", "GET /c/gpu", "GET /d/gpu"]
--- response_body_like eval
[qr/^\{"slug":"gpu"/, qr/^\{"slug":"gpu"/, qr/^\{"slug":"gpu"/, qr/^\{"slug":"gpu"/]
--- no_error_log
no chunk table



=== TEST 11b: mmap: the file mapped, served alike; shared with another mmap location
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { glossary site.glossary mmap; }
location /api/ { glossary site.glossary mmap; }
--- request eval
["GET /glossary/gpu", "GET /api/gpu"]
--- response_body_like eval
[qr/^\{"slug":"gpu"/, qr/^\{"slug":"gpu"/]



=== TEST 11c: copy and mmap of one file in two locations conflict
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { glossary site.glossary copy; }
location /api/ { glossary site.glossary mmap; }
--- must_die
--- error_log eval
[qr/glossary ".*\/conf\/site\.glossary" is loaded with "copy verify=full" in another location/]



=== TEST 11d: verify=full and verify=lazy of one file in two locations conflict
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { glossary site.glossary mmap; }
location /api/ { glossary site.glossary mmap verify=lazy; }
--- must_die
--- error_log eval
[qr/glossary ".*\/conf\/site\.glossary" is loaded with "mmap verify=full" in another location/]



=== TEST 12: twice in one location
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { glossary site.glossary; glossary site.glossary; }
--- must_die
--- error_log
"glossary" directive is duplicate



=== TEST 13: a valid configuration starts and logs nothing bad
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/gpu
--- no_error_log
[emerg]
[alert]
[error]



=== TEST 14: the glossary is checked by nginx -t too
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { glossary site.glossary; }
--- init
my $out = $srv->path('logs', 't.log');
my $rc = Test::Glossary::Server::run_command($srv->nginx_argv('-t'), $out, 10);
main::is($rc, 0, 'nginx -t accepts a valid blob');
main::like(Test::Glossary::Server::slurp($out), qr/test is successful/, 'nginx -t says so');
--- request
GET /glossary/gpu
--- response_body_like: ^\{"slug":"gpu"



=== TEST 15: nginx -t fails on an invalid blob
--- user_files
>>> conf/bad.glossary
GLOSSARY and then nothing that makes sense xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
--- config
location /glossary/ { glossary bad.glossary; }
--- init
my $out = $srv->path('logs', 't.log');
my $rc = Test::Glossary::Server::run_command($srv->nginx_argv('-t'), $out, 10);
main::isnt($rc, 0, 'nginx -t refuses an invalid blob');
main::like(Test::Glossary::Server::slurp($out), qr/\[emerg\] .*bad\.glossary" is invalid: /, 'and says why');
--- must_die



=== TEST 16: glossary is a content handler: not allowed in a server block
--- glossary eval
data_file('small.json')
--- config
glossary site.glossary;
location /glossary/ { }
--- must_die
--- error_log
"glossary" directive is not allowed here



=== TEST 17: nor in the http block
--- glossary eval
data_file('small.json')
--- http_config
glossary site.glossary;
--- config
location /glossary/ { }
--- must_die
--- error_log
"glossary" directive is not allowed here



=== TEST 18: a nested location has its own content handler, as in nginx
--- glossary eval
data_file('small.json')
--- config
location /glossary/ {
    glossary site.glossary;
    location /glossary/private/ { return 403; }
}
--- request eval
["GET /glossary/gpu", "GET /glossary/private/gpu"]
--- error_code eval
[200, 403]



=== TEST 19: a nested location without the directive does not serve the glossary; with it, it does, relative to its own prefix
--- glossary eval
data_file('small.json')
--- config
absolute_redirect off;
location /glossary/ {
    glossary site.glossary;
    location /glossary/g { expires 1h; }
    location /glossary/nested/ { glossary site.glossary; expires 1h; }
}
--- request eval
["GET /glossary/gpu", "GET /glossary/nested/cuda", "GET /glossary/cuda"]
--- error_code eval
[404, 200, 200]
--- response_body_like eval
[qr/404 Not Found/, qr/^\{"slug":"cuda"/, qr/^\{"slug":"cuda"/]



=== TEST 20: variables: $glossary_slug, $glossary_term, $glossary_category
--- glossary eval
data_file('small.json')
--- config
location /glossary/ {
    glossary site.glossary;
    add_header X-Slug "[$glossary_slug]";
    add_header X-Term "[$glossary_term]";
    add_header X-Category "[$glossary_category]";
}
--- request eval
["GET /glossary/cuda", "GET /glossary/cuda/related", "GET /glossary/"]
--- response_headers eval
["X-Slug: [cuda]\nX-Term: [CUDA]\nX-Category: [software]",
 "X-Slug: [cuda]\nX-Term: [CUDA]\nX-Category: [software]",
 "X-Slug: []\nX-Term: []"]



=== TEST 21: $glossary_build and X-Glossary-Build name the blob's build id
--- glossary eval
data_file('small.json')
--- config
location /glossary/ {
    glossary site.glossary;
    add_header X-Build "$glossary_build";
}
--- request
GET /glossary/gpu
--- response_headers_like
X-Build: [0-9a-f]{16}
X-Glossary-Build: [0-9a-f]{16}



=== TEST 22: glossary_build_header off
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { glossary site.glossary; glossary_build_header off; }
--- request
GET /glossary/gpu
--- response_headers
!X-Glossary-Build



=== TEST 23: glossary_status lists the loaded blobs
--- glossaries
>>> one.json
[{"slug":"a","term":"A"}]
>>> two.json
[{"slug":"a","term":"A"},{"slug":"b","term":"B"}]
--- config
location /one/ { glossary one.glossary; }
location /two/ { glossary two.glossary; }
location /again/ { glossary one.glossary; }
location = /status { glossary_status; }
--- request
GET /status
--- response_headers
Content-Type: application/json; charset=utf-8
--- response_body_like eval
qr/^\{"pid":\d+,"blobs":\[\{"path":"[^"]*one\.glossary",.*"terms":1,.*\},\{"path":"[^"]*two\.glossary",.*"terms":2,.*\}\]\}$/



=== TEST 24: glossary beside another content handler is refused
--- glossary eval
data_file('small.json')
--- config
location /glossary/ { proxy_pass http://127.0.0.1:1; glossary site.glossary; }
--- must_die
--- error_log
cannot be combined



=== TEST 25: a blob with many terms loads and serves any of them
--- glossary eval
'[' . join(',', map { qq({"slug":"t$_","term":"Term $_","relatedTerms":[{"slug":"t) . ($_ + 1) . qq(","name":"next"}]}) } 1 .. 3000) . ']'
--- config
location /glossary/ { glossary site.glossary; }
--- request eval
["GET /glossary/t1", "GET /glossary/t2999/related", "GET /glossary/t3000/related", "GET /glossary/t3001"]
--- error_code eval
[200, 200, 200, 404]
--- response_body_like eval
[qr/"term":"Term 1"/, qr/^\[\{"slug":"t3000","term":"Term 3000","shortDefinition":null\}\]/,
 qr/^\[\{"slug":"t3001","name":"next"\}\]/, qr/not found/]
