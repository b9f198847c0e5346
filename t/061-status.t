# Operating the module: the $glossary_* variables in an access log written
# with the log_format of conf/glossary.conf.example, the glossary_status
# page (every field, two blobs, what a reload changes, and that it agrees
# with "glossaryc info --json"), the example configuration passing
# nginx -t, and nginx -t itself giving a message and exit status 1 (not a
# crash) for every bad directive value.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Glossary;
use Test::Glossary::CLI ();

use File::Spec;
use JSON::PP ();
use Time::HiRes ();

my $json = JSON::PP->new;
my $cli = File::Spec->catfile(build_dir(), 'glossaryc');
my $example = File::Spec->catfile(repo_root(), 'conf',
                                  'glossary.conf.example');

plan skip_all => 'no nginx' unless -x nginx_binary();
plan skip_all => "no compiler at $cli" unless -x $cli;

my $small = data_file('small.json');

sub slurp { Test::Glossary::Server::slurp(@_) }

# the log_format statement of the example, as an operator would copy it
sub example_log_format {
    my $text = slurp($example);
    my ($lf) = $text =~ /^(log_format\s+glossary\s.*?;)\s*$/ms
        or die "no 'log_format glossary' in $example\n";
    return $lf;
}

sub info_json {
    my ($blob) = @_;
    my ($rc, $out) = Test::Glossary::CLI::glossaryc('info', '--json', $blob);
    return $json->decode($out);
}

# the lines of the access log, waiting for $n of them (nginx writes the
# line after the response)
sub access_lines {
    my ($srv, $n) = @_;
    my @l;
    for (1 .. 50) {
        @l = split /\n/, slurp($srv->path('logs', 'glossary.log')) // '';
        last if @l >= $n;
        Time::HiRes::sleep(0.05);
    }
    return @l;
}


subtest 'log_format of the example writes the variables' => sub {
    my $s = start_nginx(
        glossary => $small,
        http_config => example_log_format(),
        config => <<'END');
location /glossary/ {
    glossary site.glossary;
    access_log logs/glossary.log glossary;
}
END

    my $build = info_json($s->path('conf', 'site.glossary'))->{build};

    is($s->get('/glossary/cuda')->status, 200, 'a term');
    is($s->get('/glossary/gpu/related')->status, 200, 'related terms');
    is($s->get('/glossary/')->status, 200, 'the index');
    is($s->get('/glossary/nope')->status, 404, 'an unknown slug');

    my @l = access_lines($s, 4);
    is(scalar @l, 4, 'four lines logged');

    like($l[0], qr/"GET \/glossary\/cuda HTTP\/1\.1" 200 \d+ "cuda" "CUDA" "software" \Q$build\E [\d.]+$/,
         'term: slug, term, category, build');
    like($l[1], qr/"GET \/glossary\/gpu\/related HTTP\/1\.1" 200 \d+ "gpu" "GPU" "hardware" \Q$build\E /,
         'related: the term it belongs to');
    like($l[2], qr/"GET \/glossary\/ HTTP\/1\.1" 200 \d+ "" "" "" \Q$build\E /,
         'index: no term, but the build');
    like($l[3], qr/ 404 \d+ "" "" "" \Q$build\E /, '404: no term');
};


subtest 'glossary_status: every field of two blobs' => sub {
    my $before = time;

    my $s = start_nginx(
        glossaries => {
            'one.glossary' => '[{"slug":"a","term":"A"}]',
            'two.glossary' => $small,
        },
        source_date_epoch => 1700000000,
        config => <<'END');
location /one/ { glossary one.glossary; }
location /two/ { glossary two.glossary; }
location /two-again/ { glossary two.glossary; }
location = /status { glossary_status; }
END

    my $r = $s->get('/status');
    is($r->status, 200, 'status 200');
    is($r->header('Content-Type'), 'application/json; charset=utf-8',
       'JSON');

    my $st = eval { $json->decode($r->body) };
    ok($st, 'the body is JSON') or diag($r->body);
    $st ||= {};

    like($st->{pid}, qr/^\d+$/, 'pid of the worker that answered');
    ok((grep { $_ == $st->{pid} } $s->workers), 'it is one of our workers');

    my $blobs = $st->{blobs} || [];
    is(scalar @$blobs, 2, 'two blobs: a file named twice is listed once');

    my $n = () = $small =~ /"term":/g;
    my @want = (['one.glossary', 1], ['two.glossary', $n]);

    for my $i (0 .. 1) {
        my ($name, $terms) = @{ $want[$i] };
        my $b = $blobs->[$i] || {};
        my $file = $s->path('conf', $name);
        my $info = info_json($file);

        is($b->{path}, $file, "$name: path");
        like($b->{build}, qr/^[0-9a-f]{16}$/, "$name: build");
        is($b->{checksum}, "xxh3:$b->{build}", "$name: checksum");
        like($b->{version}, qr/^2\.\d+$/, "$name: format version");
        is($b->{terms}, $terms, "$name: terms");
        is($b->{bytes}, -s $file, "$name: bytes is the file size");
        is($b->{build_time}, '2023-11-14T22:13:20Z', "$name: build_time");
        is($b->{build_time_epoch}, 1700000000, "$name: build_time_epoch");
        ok($b->{loaded_epoch} >= $before && $b->{loaded_epoch} <= time,
           "$name: loaded_epoch is when nginx read its configuration");
        like($b->{loaded}, qr/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
             "$name: loaded");
        is($b->{mode}, 'copy', "$name: mode");
        is($b->{verify}, 'full', "$name: verify");
        ok($b->{chunks} >= 1, "$name: chunks");
        is($b->{chunks_verified}, $b->{chunks},
           "$name: verified in full, every chunk");
        is($b->{chunks_corrupt}, 0, "$name: none corrupt");

        for my $k (qw(path build checksum version terms bytes build_time
                      build_time_epoch chunks))
        {
            is($b->{$k}, $info->{$k},
               "$name: $k agrees with glossaryc info --json");
        }
    }

    my $h = $s->request("HEAD /status HTTP/1.0\r\n\r\n");
    is($h->status, 200, 'HEAD');
    is($h->body, '', 'HEAD has no body');

    my $p = $s->request("POST /status HTTP/1.0\r\nContent-Length: 0\r\n\r\n");
    is($p->status, 405, 'POST is not allowed');
};


subtest 'glossary_status after a reload: new build, new load time' => sub {
    my $s = start_nginx(
        glossary => $small,
        config => <<'END');
location /glossary/ { glossary site.glossary; }
location = /status { glossary_status; }
END

    my $old = $json->decode($s->get('/status')->body)->{blobs}[0];

    # the load time has a resolution of a second
    Time::HiRes::sleep(1.1);

    $s->compile_into('site.glossary',
                     { 'glossary.json' => '[{"slug":"new","term":"New"}]' });
    ok($s->reload, 'reload');

    my $new = $json->decode($s->get('/status')->body)->{blobs}[0];

    isnt($new->{build}, $old->{build}, 'another build');
    is($new->{terms}, 1, 'the new term count');
    ok($new->{loaded_epoch} > $old->{loaded_epoch}, 'loaded later')
        or diag("old $old->{loaded_epoch}, new $new->{loaded_epoch}");
    is($s->get('/glossary/new')->header('X-Glossary-Build'), $new->{build},
       'X-Glossary-Build is the new build');

    # a reload without a new blob loads the same bytes again
    Time::HiRes::sleep(1.1);
    ok($s->reload, 'reload with the same blob');
    my $same = $json->decode($s->get('/status')->body)->{blobs}[0];
    is($same->{build}, $new->{build}, 'same build');
    ok($same->{loaded_epoch} > $new->{loaded_epoch},
       'loaded says when this worker generation loaded it');
};


subtest 'conf/glossary.conf.example passes nginx -t' => sub {
    my $s = Test::Glossary::Server->new(nginx => nginx_binary(),
                                        module => Test::Glossary::module_path());
    my $text = slurp($example);
    my $port = $s->port;
    my $prefix = $s->prefix;

    $text =~ s{/var/lib/glossary/site\.glossary}{$prefix/conf/site.glossary}g;
    $text =~ s{/var/log/nginx/}{$prefix/logs/}g;
    $text =~ s{listen\s+80;}{listen 127.0.0.1:$port;};

    $s->write_file('conf/example.conf', $text);
    $s->write_config(http_config => 'include example.conf;');
    $s->compile_into('site.glossary', { 'glossary.json' => $small });

    my $out = $s->path('logs', 't.log');
    my $rc = Test::Glossary::Server::run_command($s->nginx_argv('-t'), $out,
                                                 10);
    is($rc, 0, 'nginx -t accepts the example') or diag(slurp($out));
};


# each: [config (server level), message]; nginx -t must exit 1 with it
my @bad = (
    ['location / { glossary; }',
     'invalid number of arguments in "glossary" directive'],
    ['location / { glossary a.glossary b.glossary c.glossary d.glossary; }',
     'invalid number of arguments in "glossary" directive'],
    ['location / { glossary site.glossary b.glossary; }',
     'invalid parameter "b.glossary", it must be "copy", "mmap", "verify=full" or "verify=lazy", each at most once'],
    ['location / { glossary site.glossary verify=lazy verify=full; }',
     'invalid parameter "verify=full", it must be "copy", "mmap", "verify=full" or "verify=lazy", each at most once'],
    ['location /a/ { glossary site.glossary; } location /b/ { glossary site.glossary mmap; }',
     'glossary "PREFIX/conf/site.glossary" is loaded with "copy verify=full" in another location'],
    ['location /a/ { glossary site.glossary verify=lazy; } location /b/ { glossary site.glossary; }',
     'glossary "PREFIX/conf/site.glossary" is loaded with "copy verify=lazy" in another location'],
    ['location / { glossary site.glossary; glossary site.glossary; }',
     '"glossary" directive is duplicate'],
    ['glossary site.glossary;',
     '"glossary" directive is not allowed here'],
    ['location / { glossary ""; }',
     'empty path in "glossary" directive'],
    ['location / { glossary missing.glossary; }',
     'open() "PREFIX/conf/missing.glossary" failed '
     . '(2: No such file or directory)'],
    ['location / { glossary_build_header maybe; }',
     'invalid value "maybe" in "glossary_build_header" directive, '
     . 'it must be "on" or "off"'],
    ['location / { glossary_build_header; }',
     'invalid number of arguments in "glossary_build_header" directive'],
    ['location = /s { glossary_status foo; }',
     'invalid number of arguments in "glossary_status" directive'],
    ['glossary_status;',
     '"glossary_status" directive is not allowed here'],
    ['location / { glossary site.glossary; glossary_status; }',
     '"glossary_status" cannot be combined with another content handler'],
    ['location / { glossary_status; glossary site.glossary; }',
     '"glossary" cannot be combined with another content handler'],
    ['location / { glossary_format; }',
     'invalid number of arguments in "glossary_format" directive'],
    ['location / { glossary_format xml; }',
     'invalid value "xml"'],
);

subtest 'nginx -t: a message and status 1 for every bad value' => sub {
    for my $case (@bad) {
        my ($conf, $msg) = @$case;

        my $s = Test::Glossary::Server->new(
            nginx => nginx_binary(), module => Test::Glossary::module_path());
        $s->write_config(config => $conf);
        $s->compile_into('site.glossary', { 'glossary.json' => $small });

        my $out = $s->path('logs', 't.log');
        my $rc = Test::Glossary::Server::run_command($s->nginx_argv('-t'),
                                                     $out, 10);
        my $text = slurp($out) // '';

        my $prefix = $s->prefix;
        $msg =~ s/PREFIX/$prefix/;

        is($rc, 1, "exit status 1: $conf");
        like($text, qr/\[emerg\] \Q$msg\E/, "message: $msg");
        unlike($text, qr/signal|\[alert\]|\[crit\]/, "no crash: $conf");
    }
};


done_testing();
