# Hand-written tests on the harness's object API, for what the data-driven
# blocks cannot express: values carried from one response to the next
# request, comparisons between responses (search hits against the index),
# slow clients across a reload.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Glossary;
use Test::Glossary::HTML qw(html_parse html_find);

use IO::Socket::INET;
use IO::Uncompress::Gunzip ();
use IO::Select;
use Time::HiRes ();

my $big = '[{"slug":"big","term":"Big","shortDefinition":"large",'
    . '"explanation":"' . join(' ', map { "word$_ of the explanation" } 1 .. 500)
    . '"},{"slug":"small","term":"Small"}]';

my $conf = 'location /glossary/ { glossary site.glossary; }';

sub gunzip_str {
    my ($in) = @_;
    my $out;
    IO::Uncompress::Gunzip::gunzip(\$in, \$out) or return undef;
    return $out;
}


subtest 'ETag and Last-Modified round trips' => sub {
    my $s = start_nginx(config => $conf, glossary => $big);

    my $r = $s->get('/glossary/big');
    is($r->status, 200, 'identity 200');
    my $etag = $r->header('ETag');
    my $lm = $r->header('Last-Modified');
    like($etag, qr/^"[0-9a-f]{16}"$/, 'strong ETag');

    my $n = $s->get('/glossary/big', 'If-None-Match' => $etag);
    is($n->status, 304, 'If-None-Match: the ETag gives 304');
    is($n->body, '', '304 has no body');
    is($n->header('ETag'), $etag, '304 repeats the ETag');

    $n = $s->get('/glossary/big', 'If-None-Match' => qq("x", $etag));
    is($n->status, 304, 'the ETag in a list gives 304');

    $n = $s->get('/glossary/big', 'If-None-Match' => "W/$etag");
    is($n->status, 304, 'weak comparison for If-None-Match');

    $n = $s->get('/glossary/big', 'If-Modified-Since' => $lm);
    is($n->status, 304, 'If-Modified-Since: Last-Modified gives 304');

    my $g = $s->get('/glossary/big', 'Accept-Encoding' => 'gzip');
    is($g->header('Content-Encoding'), 'gzip', 'gzip variant');
    my $getag = $g->header('ETag');
    like($getag, qr/^"[0-9a-f]{16}"$/, 'strong ETag on the variant');
    isnt($getag, $etag, 'the variant has its own ETag');

    $n = $s->get('/glossary/big', 'Accept-Encoding' => 'gzip',
                 'If-None-Match' => $getag);
    is($n->status, 304, 'the variant ETag revalidates the variant');

    $n = $s->get('/glossary/big', 'If-None-Match' => $getag);
    is($n->status, 200, 'the variant ETag does not match the identity body');

    $n = $s->get('/glossary/big', 'Accept-Encoding' => 'gzip',
                 'If-None-Match' => $etag);
    is($n->status, 200, 'the identity ETag does not match the variant');

    my $other = $s->get('/glossary/small');
    isnt($other->header('ETag'), $etag, 'another document, another ETag');
};


subtest 'the gzip variant is the identity body compressed' => sub {
    my $s = start_nginx(config => $conf, glossary => $big);

    for my $path ('/glossary/big', '/glossary/') {
        my $id = $s->get($path);
        my $gz = $s->get($path, 'Accept-Encoding' => 'gzip');

        is($id->header('Content-Length'), length $id->body,
           "$path: identity Content-Length");

        next unless ($gz->header('Content-Encoding') // '') eq 'gzip';

        is($gz->header('Content-Length'), length $gz->body,
           "$path: gzip Content-Length");
        ok(length $gz->body < length $id->body, "$path: gzip is smaller");
        is(gunzip_str($gz->body), $id->body, "$path: gunzips to identity");
        is($gz->header('Vary'), 'Accept-Encoding', "$path: Vary on gzip");
        is($id->header('Vary'), 'Accept-Encoding', "$path: Vary on identity");
        ok(!defined $gz->header('Accept-Ranges')
           || $gz->header('Accept-Ranges') eq 'bytes',
           "$path: Accept-Ranges sane on gzip");
    }

    my $big_gz = $s->get('/glossary/big', 'Accept-Encoding' => 'gzip');
    is($big_gz->header('Content-Encoding'), 'gzip', 'big has a variant');
};


subtest 'HEAD answers with the headers of GET' => sub {
    my $s = start_nginx(config => $conf, glossary => $big);

    for my $path ('/glossary/big', '/glossary/small', '/glossary/',
                  '/glossary/big/related', '/glossary/nope')
    {
        for my $ae (undef, 'gzip') {
            my @h = defined $ae ? ('Accept-Encoding' => $ae) : ();
            my $get = $s->get($path, @h);
            my $head = Test::Glossary::HTTP::http_simple($s->port, 'HEAD',
                                                         $path, @h);
            my $what = "$path" . (defined $ae ? ' (gzip)' : '');

            is($head->status, $get->status, "$what: status");
            is($head->body, '', "$what: no body");

            for my $k (qw(Content-Type Content-Length ETag Last-Modified
                          Content-Encoding Vary Accept-Ranges))
            {
                is($head->header($k), $get->header($k), "$what: $k");
            }
        }
    }
};


subtest 'the same data compiles to the same ETags' => sub {
    my $s1 = start_nginx(config => $conf, glossary => $big);
    my $s2 = start_nginx(config => $conf, glossary => $big);

    for my $path ('/glossary/big', '/glossary/', '/glossary/small/related') {
        is($s2->get($path)->header('ETag'), $s1->get($path)->header('ETag'),
           "$path: same ETag");
    }

    my $s3 = start_nginx(config => $conf,
                         glossary => $big =~ s/"large"/"huge"/r);
    isnt($s3->get('/glossary/big')->header('ETag'),
         $s1->get('/glossary/big')->header('ETag'),
         'other data, other ETag');
};


subtest 'index order and every term of a larger glossary' => sub {
    my @terms;
    my %seen;
    my $seed = 7;

    while (@terms < 300) {
        $seed = ($seed * 1103515245 + 12345) % 2147483648;
        my $t = join '', map {
            my $c = ($seed >> ($_ * 3)) % 26;
            ($_ % 2 ? 'A' : 'a') eq 'A' ? chr(65 + $c) : chr(97 + $c)
        } 0 .. 5;
        next if $seen{lc $t}++;
        push @terms, $t;
    }

    my $json = '[' . join(',', map {
        my $slug = lc $terms[$_];
        my $rel = lc $terms[($_ + 1) % @terms];
        qq({"slug":"$slug","term":"$terms[$_]","category":"c$_",)
        . qq("relatedTerms":[{"slug":"$rel","name":"n"}]})
    } 0 .. $#terms) . ']';

    my $s = start_nginx(config => $conf, glossary => $json);

    my $idx = json_decode($s->get('/glossary/')->body);
    is(scalar @$idx, scalar @terms, 'every term in the index');

    my @want = sort { lc $a cmp lc $b } @terms;
    is_deeply([map { $_->{term} } @$idx], \@want,
              'sorted by term, case-insensitively');

    my $bad = 0;
    for my $i (0 .. $#terms) {
        my $slug = lc $terms[$i];
        my $t = json_decode($s->get("/glossary/$slug")->body);
        $bad++ unless $t->{term} eq $terms[$i] && $t->{category} eq "c$i"
            && $t->{relatedTerms}[0]{term} eq $terms[($i + 1) % @terms];
    }
    is($bad, 0, 'every term answers with its own data');
};


# the search limits through the route, on a blob glossaryc compiled (the
# exact bodies on written blobs are t/015-pages.t's): every term matches,
# so the hits are the first terms of the index, as many as the limit
subtest 'search limits through the route: limit=, default, maximum' => sub {
    my $json = '[' . join(',', map {
        sprintf '{"slug":"limit-%02d","term":"Limit %02d",'
                . '"shortDefinition":"Number %d."}', $_, $_, $_
    } reverse 1 .. 60) . ']';

    my $s = start_nginx(
        config => "$conf\nlocation /pages/ { glossary site.glossary; "
                  . "glossary_format html; }",
        glossary => $json);

    my @order = map { $_->{slug} }
                @{ json_decode($s->get('/glossary/')->body) };
    is(scalar @order, 60, 'sixty terms in the index');

    for my $case ([undef, 10], [1, 1], [7, 7], [49, 49], [50, 50], [51, 50],
                  [1000, 50])
    {
        my ($limit, $n) = @$case;
        my $arg = defined $limit ? "&limit=$limit" : '';
        my $r = $s->get("/glossary/_search?q=limit$arg");
        my $hits = eval { json_decode($r->body) } || [];
        is_deeply([map { $_->{slug} } @$hits], [@order[0 .. $n - 1]],
                  'limit ' . ($limit // 'not given') . ": the first $n "
                  . 'terms of the index');
    }

    for my $bad ('0', '-5', 'ten', '') {
        is($s->get("/glossary/_search?q=limit&limit=$bad")->status, 400,
           "limit \"$bad\": 400");
    }

    # the HTML page lists as many results as the JSON
    for my $case ([undef, 10], [3, 3], [50, 50], [80, 50]) {
        my ($limit, $n) = @$case;
        my $arg = defined $limit ? "&limit=$limit" : '';
        my $doc = html_parse($s->get("/pages/_search?q=limit$arg")->body // '');
        my ($ul) = html_find($doc, 'ul', class => 'results');
        is(scalar($ul ? html_find($ul, 'li') : ()), $n,
           'HTML, limit ' . ($limit // 'not given') . ": $n results");
    }

    # the query: 256 bytes once decoded, not one more
    is($s->get('/glossary/_search?q=' . ('%6C' x 256))->status, 200,
       'a query of 256 bytes');
    is($s->get('/glossary/_search?q=' . ('%6C' x 257))->status, 400,
       'a query of 257 bytes: 400');

    $s->stop;
};


subtest 'a slow client keeps the old body intact across a reload' => sub {
    my $text = join ' ', map { "w$_" } 1 .. 700_000;     # about 5.6 MB
    my $data = sub {
        qq([{"slug":"huge","term":"Huge","shortDefinition":"$_[0]",)
        . qq("explanation":"$text"}]);
    };

    # limit_rate keeps the old worker writing this one response for about
    # three seconds, well past the reload
    my $s = start_nginx(config => 'location /glossary/ { '
                                  . 'glossary site.glossary; }'
                                  . 'location /slow/ { '
                                  . 'glossary site.glossary; limit_rate 2m; }',
                        glossary => $data->('old'));

    my $want = $s->get('/glossary/huge')->body;
    ok(length $want > 5_000_000, 'a large body: ' . length $want);

    my $c = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
                                  PeerPort => $s->port, Proto => 'tcp',
                                  Timeout => 5);
    binmode $c;
    print {$c} "GET /slow/huge HTTP/1.1\r\nHost: x\r\n"
               . "Connection: close\r\n\r\n";

    # read a little, then leave the rest in flight during the reload
    my $got = '';
    sysread($c, $got, 1000);

    $s->compile_into('site.glossary', { 'glossary.json' => $data->('new') });
    kill 'HUP', $s->pid;

    my $deadline = Time::HiRes::time() + 5;
    my $new;
    while (Time::HiRes::time() < $deadline) {
        $new = $s->get('/glossary/huge', 'Range' => 'bytes=0-80');
        last if $new->body =~ /"new"/;
        Time::HiRes::sleep(0.05);
    }
    like($new->body, qr/"shortDefinition":"new"/, 'new requests see new data');

    my @workers = $s->workers;
    ok(@workers >= 2, 'the old worker is still busy with the slow response');

    $c->blocking(1);
    my $sel = IO::Select->new($c);
    $deadline = Time::HiRes::time() + 20;
    while (Time::HiRes::time() < $deadline && $sel->can_read(5)) {
        my $n = sysread($c, my $buf, 65536);
        last unless $n;
        $got .= $buf;
    }
    close $c;

    my ($r) = Test::Glossary::HTTP::parse_responses($got, ['GET'], 1);
    ok($r && $r->complete, 'the slow response completed');
    ok($r && defined $r->body && $r->body eq $want,
       'byte for byte the old document');

    my @bad = grep { /\[(alert|crit|emerg)\]|exited on signal/ }
              $s->error_log_lines;
    is(scalar @bad, 0, 'no alerts, no crashed worker') or diag(@bad);
};


done_testing();
