# Route words are never slugs.  A glossary compiled by glossaryc with a
# term named after every word the router knows (search, category, related,
# sitemap, payload, json, xml, index) is served in the json and html
# formats: every term answers its own paths (term, related, payload), and
# every route of the module ("_search", "_category/", "_category/{slug}",
# "sitemap.xml") answers too, found by following the pages' own links.
# The old URLs ("search", "category/...") are the terms' where a term holds
# the word, and move (301) to the module's new names where none does.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Glossary;
use Test::Glossary::CLI ();
use Test::Glossary::HTML qw(html_parse html_find html_text);

use File::Temp ();
use JSON::PP ();

my $dir = File::Temp::tempdir('glossary-words-XXXXXX', TMPDIR => 1,
                              CLEANUP => 1);
my $base = 'https://example.com/g/';

# every word the router knows, and the names of its files as slugs
my @words = qw(search category related sitemap sitemap-xml payload
               payload-json json xml index categories);

my @terms;
for my $w (@words) {
    my @rel = grep { $_ ne $w } qw(search category related);
    push @terms, {
        slug => $w, term => "The word $w",
        shortDefinition => "A term named $w.",
        category => ($w eq 'search' ? 'Search'
                     : $w eq 'related' ? 'Related' : 'Category'),
        relatedTerms => [ map { { slug => $_, name => "Word $_" } } @rel ],
    };
}
push @terms, { slug => 'gpu', term => 'GPU', category => 'Hardware' };

Test::Glossary::Server::spew("$dir/words.jsonl",
    join('', map { JSON::PP->new->canonical->encode($_) . "\n" } @terms));
Test::Glossary::Server::spew("$dir/plain.jsonl",
    qq({"slug":"gpu","term":"GPU","category":"Hardware"}\n));

for my $in (qw(words plain)) {
    my ($st, $out, $err) = Test::Glossary::CLI::glossaryc(
        'build', '-q', '--base-url', $base, '-o', "$dir/$in.glossary",
        "$dir/$in.jsonl");
    is($st, 0, "$in: compiles, no slug refused") or diag($err);
}

my $srv = start_nginx(config => <<"END");
absolute_redirect off;
location /api/ { glossary $dir/words.glossary; }
location /pages/ { glossary $dir/words.glossary; glossary_format html; }
location /old/ { glossary $dir/plain.glossary; }
location /oldpages/ { glossary $dir/plain.glossary; glossary_format html; }
END


# 1. every term answers its paths, in both formats

for my $t (@terms) {
    my $s = $t->{slug};

    my $r = $srv->get("/api/$s");
    is($r->status, 200, "json: /api/$s answers");
    my $doc = eval { json_decode($r->body) } || {};
    is($doc->{slug}, $s, "json: /api/$s is the term $s");
    is($doc->{term}, $t->{term}, "json: /api/$s has its name");

    $r = $srv->get("/pages/$s");
    is($r->status, 200, "html: /pages/$s answers");
    my ($h1) = html_find(html_parse($r->body // ''), 'h1');
    is($h1 && html_text($h1), $t->{term},
       "html: /pages/$s is the term's page");

    for my $p ("/api/$s/related", "/pages/$s/related") {
        $r = $srv->get($p);
        is($r->status, 200, "$p answers");
        my $list = eval { json_decode($r->body) } || [];
        is_deeply([ map { $_->{slug} } @$list ],
                  [ map { $_->{slug} } @{ $t->{relatedTerms} || [] } ],
                  "$p: the term's related terms");
    }

    for my $p ("/api/$s/_payload.json", "/pages/$s/_payload.json") {
        $r = $srv->get($p);
        is($r->status, 200, "$p answers");
        like($r->body // '', qr/"\Q$t->{term}\E"/, "$p: the term's payload");
    }

    is($srv->get("/api/$s/")->header('Location'), "/api/$s",
       "/api/$s/: to the term, without the slash");
    is($srv->get('/api/' . uc $s)->header('Location'), "/api/$s",
       "/api/\U$s\E: to the term, in lower case");
}


# 2. the module's routes answer, reached through the pages' own links

{
    my $page = html_parse($srv->get('/pages/search')->body // '');

    my ($form) = html_find($page, 'form', role => 'search');
    my $action = $form && $form->{attrs}{action};
    is($action, '_search', 'term page: the search form goes to "_search"');

    my $r = $srv->get("/pages/$action?q=search");
    is($r->status, 200, 'html search answers');
    my ($ul) = html_find(html_parse($r->body // ''), 'ul', class => 'results');
    ok($ul && grep({ ($_->{attrs}{href} // '') eq 'search' }
                   html_find($ul, 'a')),
       'html search: the term "search" is a hit, linked as "search"');

    $r = $srv->get('/api/_search?q=category');
    is($r->status, 200, 'json search answers');
    is((eval { json_decode($r->body) } || [{}])->[0]{slug}, 'category',
       'json search: the term "category" first');

    my ($p) = html_find($page, 'p', class => 'category');
    my ($a) = $p ? html_find($p, 'a') : ();
    my $href = $a && $a->{attrs}{href};
    is($href, '_category/search', 'term page: its category is under "_category/"');

    $r = $srv->get("/pages/$href");
    is($r->status, 200, 'html: the category page answers');
    my $cat = html_parse($r->body // '');
    ok(grep({ ($_->{attrs}{href} // '') eq '../search' } html_find($cat, 'a')),
       'html: the category page links its term "search" one level up');
    ($a) = grep { ($_->{attrs}{href} // '') eq './' } html_find($cat, 'a');
    ok($a, 'html: the category page links the list of categories');

    $r = $srv->get('/pages/_category/');
    is($r->status, 200, 'html: the categories page answers');
    $r = $srv->get('/api/_category/');
    my $cats = eval { json_decode($r->body) } || [];
    is_deeply([ map { $_->{slug} } @$cats ],
              [qw(category hardware related search)],
              'json: the categories, among them "search" and "related"');

    for my $c (qw(category related search)) {
        $r = $srv->get("/api/_category/$c");
        is($r->status, 200, "json: the category $c answers");
        is((eval { json_decode($r->body) } || {})->{slug}, $c,
           "json: the category $c is itself");
    }

    my ($all) = grep { ($_->{attrs}{href} // '') =~ /_category\/$/ }
                html_find(html_parse($srv->get('/pages/')->body // ''), 'a');
    is($all && $all->{attrs}{href}, '_category/',
       'index: "Browse by category" links "_category/"');

    $r = $srv->get('/api/sitemap.xml');
    is($r->status, 200, 'the sitemap answers');
    my @locs = ($r->body // '') =~ m{<loc>\Q$base\E([^<]*)</loc>}g;
    is_deeply([ sort @locs ],
              [ sort('', (map { $_->{slug} } @terms), '_category/',
                     map { "_category/$_" } qw(category hardware related
                                               search)) ],
              'the sitemap: every term by its slug, the categories under '
              . '"_category/"');
}


# 3. the old URLs: a term's where a term holds the word, else moved

{
    my @cases = (
        # path, json location's answer, where no term holds the word
        [ 'search?q=gpu',       '200 search',      '/old/_search?q=gpu' ],
        [ 'search/?q=gpu',      '/api/search?q=gpu', '/old/_search?q=gpu' ],
        [ 'SEARCH',             '/api/search',      '/old/_search' ],
        [ 'category',           '200 category',    '/old/_category/' ],
        [ 'category/',          '/api/category',    '/old/_category/' ],
        [ 'Category',           '/api/category',    '/old/_category/' ],
        [ 'category/related',   '200 related',     '/old/_category/related' ],
        [ 'category/related/',  '/api/category/related',
                                '/old/_category/related' ],
        [ 'category/hardware',  '/api/_category/hardware',
                                '/old/_category/hardware' ],
        [ 'category/search/',   '/api/_category/search',
                                '/old/_category/search' ],
    );

    for my $c (@cases) {
        my ($path, $words, $plain) = @$c;

        my $r = $srv->get("/api/$path");
        if ($words =~ /^200 (\S+)/) {
            my $what = $1;
            is($r->status, 200, "/api/$path: the term's, not moved");
            my $d = eval { json_decode($r->body) };
            my $got = ref $d eq 'HASH' ? $d->{slug}
                      : ref $d eq 'ARRAY' ? 'related' : '';
            is($got, $what eq 'related' ? 'related' : $what,
               "/api/$path: the term $what");
        } else {
            is($r->status, 301, "/api/$path: 301");
            is($r->header('Location'), $words, "/api/$path: to $words");
        }

        $r = $srv->get("/old/$path");
        is($r->status, 301, "/old/$path (no such term): 301");
        is($r->header('Location'), $plain, "/old/$path: to $plain");

        # then the module's page: the plain glossary has one category
        (my $to = $plain) =~ s{^/old/}{/oldpages/};
        my $want = $to =~ m{_category/(related|search)} ? 404 : 200;
        is($srv->get($to)->status, $want, "$to: $want");
    }

    # the term's namespace: a path it does not have is not found
    is($srv->get('/api/search/x')->status, 404, '/api/search/x: 404');
    is($srv->get('/old/search/related')->status, 404,
       '/old/search/related: 404, no such term');
}

$srv->stop;

done_testing();
