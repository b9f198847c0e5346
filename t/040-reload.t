# Reload: new data after HUP, and a broken blob that fails the reload while
# the old workers keep serving the old data.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Glossary;

repeat_each(2);

run_tests();

__DATA__

=== TEST 1: new data after a reload
--- glossary
[{"slug":"cuda","term":"CUDA","shortDefinition":"old"}]
--- config
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/cuda
--- response_body_like: "shortDefinition":"old"
--- reload_glossary
[{"slug":"cuda","term":"CUDA","shortDefinition":"new"},{"slug":"gpu","term":"GPU"}]
--- request_after_reload eval
["GET /glossary/cuda", "GET /glossary/gpu", "GET /glossary/"]
--- response_body_like_after_reload eval
[qr/"shortDefinition":"new"/, qr/^\{"slug":"gpu"/, qr/^\[\{"slug":"cuda".*\{"slug":"gpu"/]



=== TEST 2: a term removed by the reload answers 404
--- glossary
[{"slug":"cuda","term":"CUDA"},{"slug":"gpu","term":"GPU"}]
--- config
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/gpu
--- reload_glossary
[{"slug":"cuda","term":"CUDA"}]
--- error_code_after_reload: 404



=== TEST 3: the build time and ETag follow the new blob
--- glossary
[{"slug":"cuda","term":"CUDA","shortDefinition":"old"}]
--- config
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/cuda
--- response_headers
Last-Modified: Tue, 14 Nov 2023 22:13:20 GMT
--- reload_perl
$srv->compile_into('site.glossary',
    { 'glossary.json' => '[{"slug":"cuda","term":"CUDA","shortDefinition":"new"}]' },
    1800000000);
--- response_headers_after_reload
Last-Modified: Fri, 15 Jan 2027 08:00:00 GMT
--- response_body_like_after_reload: "shortDefinition":"new"



=== TEST 4: reload with the same data
--- glossary
[{"slug":"cuda","term":"CUDA"}]
--- config
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/cuda
--- reload
--- response_body_like_after_reload: ^\{"slug":"cuda"



=== TEST 5: a corrupt blob fails the reload; the old workers keep serving
--- glossary
[{"slug":"cuda","term":"CUDA","shortDefinition":"old"}]
--- config
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/cuda
--- response_body_like: "shortDefinition":"old"
--- reload_glossary_blob eval
my $b = glossary_blob_bytes('[{"slug":"cuda","term":"CUDA","shortDefinition":"new"}]');
substr($b, 200, 1) = chr(ord(substr($b, 200, 1)) ^ 0xff);
$b
--- reload_fails
--- reload_error_log eval
[qr/\[emerg\] .*glossary ".*site\.glossary" is invalid: /]
--- response_body_like_after_reload: "shortDefinition":"old"



=== TEST 6: a truncated blob fails the reload
--- glossary
[{"slug":"cuda","term":"CUDA","shortDefinition":"old"}]
--- config
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/cuda
--- reload_glossary_blob eval
substr(glossary_blob_bytes('[{"slug":"cuda","term":"CUDA","shortDefinition":"new"}]'), 0, 64)
--- reload_fails
--- reload_error_log eval
[qr/\[emerg\] .*site\.glossary" is invalid: /]
--- response_body_like_after_reload: "shortDefinition":"old"



=== TEST 7: a removed blob fails the reload
--- glossary
[{"slug":"cuda","term":"CUDA","shortDefinition":"old"}]
--- config
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/cuda
--- reload_remove_glossary
--- reload_fails
--- reload_error_log
open() "$TEST_GLOSSARY_PREFIX/conf/site.glossary" failed (2: No such file or directory)
--- response_body_like_after_reload: "shortDefinition":"old"



=== TEST 8: after a failed reload, a good blob and another reload work
--- glossary
[{"slug":"cuda","term":"CUDA","shortDefinition":"v1"}]
--- config
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/cuda
--- reload_perl
$srv->write_file_atomic('conf/site.glossary', 'garbage' x 40);
main::ok($srv->reload(expect_failure => 1), 'the broken blob is refused');
main::like($srv->get('/glossary/cuda')->body, qr/"v1"/, 'old data meanwhile');
$srv->compile_into('site.glossary',
    { 'glossary.json' => '[{"slug":"cuda","term":"CUDA","shortDefinition":"v2"}]' });
--- allow_log_level: emerg
--- response_body_like_after_reload: "shortDefinition":"v2"



=== TEST 9: a config reload that moves the glossary to another location
--- glossary
[{"slug":"cuda","term":"CUDA"}]
--- config
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/cuda
--- reload_config
location /terms/ { glossary site.glossary; }
--- request_after_reload eval
["GET /terms/cuda", "GET /glossary/cuda"]
--- error_code_after_reload eval
[200, 404]



=== TEST 10: the blob overwritten in place (not renamed) does not hurt the
running workers: they serve their own copy until a reload
--- glossary
[{"slug":"cuda","term":"CUDA","shortDefinition":"old"}]
--- config
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/cuda
--- reload_perl
my $f = $srv->path('conf', 'site.glossary');
open my $fh, '+<', $f or die "$f: $!";
truncate $fh, 0;
print {$fh} 'x' x 300;
close $fh;
for (1 .. 3) {
    my $r = $srv->get('/glossary/cuda');
    main::like($r->body, qr/"shortDefinition":"old"/, 'old data from memory');
}
$srv->write_file_atomic('conf/site.glossary', glossary_blob_bytes(
    '[{"slug":"cuda","term":"CUDA","shortDefinition":"new"}]'));
--- response_body_like_after_reload: "shortDefinition":"new"



=== TEST 11: many reloads in a row
--- glossary
[{"slug":"cuda","term":"CUDA","shortDefinition":"v0"}]
--- config
location /glossary/ { glossary site.glossary; }
--- request
GET /glossary/cuda
--- reload_perl
for my $i (1 .. 4) {
    $srv->compile_into('site.glossary',
        { 'glossary.json' => qq([{"slug":"cuda","term":"CUDA","shortDefinition":"v$i"}]) });
    main::ok($srv->reload, "reload $i");
    main::like($srv->get('/glossary/cuda')->body, qr/"v$i"/, "data v$i");
}
$srv->compile_into('site.glossary',
    { 'glossary.json' => '[{"slug":"cuda","term":"CUDA","shortDefinition":"v5"}]' });
--- response_body_like_after_reload: "shortDefinition":"v5"
