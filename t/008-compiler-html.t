# glossaryc, format 1.1 documents: HTML term pages, index, categories,
# search page segments and fragments, search index keys and order, sitemap,
# Nuxt payloads (byte for byte, and through devalue's own parser under
# Node), the template language, options, a hostile glossary that must
# render no executable markup, and the Nu HTML Checker over every page
# kind.  The errors of options and templates are in
# t/007-compiler-errors.t.  Node and Java parts skip when
# t/js/node_modules is not installed ("npm ci --prefix t/js").

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Glossary;
use Test::Glossary::CLI;

use Encode ();
use File::Spec;
use IO::Uncompress::Gunzip ();
use JSON::PP ();

cli_required();

my $root = repo_root();
my $tmp = cli_dir();
my $json = JSON::PP->new->utf8->canonical;
my $BASE = 'https://example.com/glossary/';
my $js = File::Spec->catdir($root, 't', 'js');
my $seed_src = File::Spec->catfile($root, 'data',
                                   'hardware-software-co-design.payload.json');


# helpers

sub term {
    my ($slug, %f) = @_;
    return { slug => $slug, term => ucfirst($slug), %f };
}

# the blob's sections, read independently of the C reader
sub sections {
    my ($blob) = @_;
    my ($count, $table) = unpack('V Q<', substr($blob, 36, 12));
    my %s;
    for my $i (0 .. $count - 1) {
        my ($id, $off, $size) = unpack('V x4 Q< Q<',
                                       substr($blob, $table + 24 * $i, 24));
        $s{$id} = [$off, $size];
    }
    return \%s;
}

sub ref_str {
    my ($blob, $off, $len) = @_;
    return $len ? substr($blob, $off, $len) : '';
}

sub slugs_by_id {
    my ($blob) = @_;
    my $s = sections($blob);
    my ($off, $size) = @{ $s->{2} };
    my @slugs;
    for (my $p = $off; $p < $off + $size; $p += 80) {
        push @slugs, ref_str($blob, unpack('Q< Q<', substr($blob, $p, 16)));
    }
    return @slugs;
}

# SEARCH_TERMS (8) or SEARCH_WORDS (9): [key, slug, order]
sub search_entries {
    my ($blob, $id) = @_;
    my $s = sections($blob);
    my @slugs = slugs_by_id($blob);
    my ($off, $size) = @{ $s->{$id} };
    my @e;
    for (my $p = $off; $p < $off + $size; $p += 32) {
        my ($koff, $klen, $tid, $order) = unpack('Q< Q< V V',
                                                 substr($blob, $p, 24));
        push @e, [ ref_str($blob, $koff, $klen), $slugs[$tid], $order ];
    }
    return @e;
}

# SEARCH_PAGE (10): [kind, text]
sub segments {
    my ($blob) = @_;
    my $s = sections($blob);
    my ($off, $size) = @{ $s->{10} };
    my @g;
    for (my $p = $off; $p < $off + $size; $p += 24) {
        my ($kind, $toff, $tlen) = unpack('V x4 Q< Q<', substr($blob, $p, 24));
        push @g, [ $kind, ref_str($blob, $toff, $tlen) ];
    }
    return @g;
}

sub gunzip {
    my ($gz) = @_;
    my $plain;
    IO::Uncompress::Gunzip::gunzip(\$gz => \$plain) or return undef;
    return $plain;
}

# a small HTML tag scanner: [name, {attr => value}, raw text of script]
sub tags {
    my ($html) = @_;
    my @tags;
    while ($html =~ m{<(/?)([A-Za-z][^\s/>]*)((?:\s+[^\s=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*/?>|<!--.*?-->}gs) {
        next unless defined $2;
        my ($close, $name, $attrs) = ($1, lc $2, $3 // '');
        next if $close;
        my %a;
        while ($attrs =~ /([^\s=\/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g) {
            $a{lc $1} = $2 // $3 // $4 // '';
        }
        my $text;
        if ($name eq 'script' || $name eq 'style') {
            my $start = pos($html);
            my $end = index(lc $html, "</$name", $start);
            $end = length($html) if $end < 0;
            $text = substr($html, $start, $end - $start);
            pos($html) = $end;
        }
        push @tags, [ $name, \%a, $text ];
    }
    return @tags;
}

# no executable markup: the checks of the issue
sub safe_page {
    my ($name, $html) = @_;
    my @bad;
    for my $t (tags($html)) {
        my ($tag, $a, $text) = @$t;
        push @bad, "<$tag>" if $tag =~ /^(img|iframe|object|embed|svg|math|frame|base|applet)$/;
        if ($tag eq 'script') {
            if (($a->{type} // '') ne 'application/ld+json') {
                push @bad, 'a script that is not JSON-LD';
            } else {
                push @bad, 'JSON-LD with "</"' if $text =~ m{</};
                push @bad, 'JSON-LD with "<!--"' if $text =~ /<!--/;
                push @bad, 'JSON-LD that does not parse'
                    unless eval { JSON::PP->new->utf8->decode($text); 1 };
            }
        }
        for my $k (keys %$a) {
            push @bad, "attribute $k" if $k =~ /^on/;
            push @bad, "$k=$a->{$k}"
                if $k =~ /^(href|src|action|formaction|content)$/
                   && $a->{$k} =~ /^\s*(javascript|data|vbscript):/i
                   && !($k eq 'content');
        }
    }
    is(join(', ', @bad), '', "$name: no executable markup");
}


# the small fixture

my @small = (
    term('cuda', term => 'CUDA', shortDefinition => 'A parallel platform.',
         seoTitle => 'What is CUDA?', seoDescription => 'CUDA explained.',
         explanation => "CUDA is a platform.\nIt runs on GPUs.\n\n\n"
                        . "Second paragraph.\r\n",
         category => 'Software Tools',
         relatedTerms => [ { slug => 'gpu', name => 'GPU' },
                           { slug => 'tpu', name => 'TPU' } ],
         faq => [ { question => 'Is CUDA free?', answer => 'Yes.' } ]),
    term('gpu', term => 'GPU', shortDefinition => 'A graphics unit.',
         category => 'Hardware',
         relatedTerms => [ { slug => 'cuda', name => 'CUDA' } ]),
    term('attention-mechanism', term => 'Attention Mechanism',
         category => 'hardware'),
    term('zero-shot', term => "Z\x{e9}ro-Shot Learning", category => "\x{c9}quipe"),
    term('x86', term => '8-bit'),
);

put('small.json', $json->encode(\@small));

{
    my ($st, $err) = build('small.blob', '--base-url', $BASE,
                           '--site-name', 'AI Terms', 'small.json');
    is($st, 0, 'small: builds') or diag($err);
    like($err, qr/^glossaryc: categories "Hardware" and "hardware" have the same slug "hardware": one category, named "Hardware"$/m,
         'small: categories spelled differently are one, noted');
    unlike($err, qr/no --base-url/, 'small: no base-url note');
}

my $small = slurp('small.blob');

# term page

{
    my $page = get('--html', 'small.blob', 'cuda');

    like($page, qr/\A<!DOCTYPE html>\n<html lang="en">\n/, 'term: doctype, lang');
    like($page, qr{<title>What is CUDA\?</title>}, 'term: title from seoTitle');
    like($page, qr{<meta name="description" content="CUDA explained\.">},
         'term: description from seoDescription');
    like($page, qr{<link rel="canonical" href="https://example\.com/glossary/cuda">},
         'term: canonical from the base URL');
    like($page, qr{<meta property="og:url" content="https://example\.com/glossary/cuda">},
         'term: og:url');
    like($page, qr{<meta property="og:title" content="What is CUDA\?">},
         'term: og:title');
    like($page, qr{<meta property="og:site_name" content="AI Terms">},
         'term: og:site_name');
    like($page, qr{<h1>CUDA</h1>\n<p class="short">A parallel platform\.</p>},
         'term: h1 and short definition');
    like($page, qr{<div class="explanation">\n<p>CUDA is a platform\.<br>\nIt runs on GPUs\.</p>\n<p>Second paragraph\.</p>\n</div>},
         'term: explanation as paragraphs, single breaks as <br>');
    like($page, qr{<dt>Is CUDA free\?</dt>\n<dd><p>Yes\.</p>\n</dd>},
         'term: FAQ');
    like($page, qr{<a href="_category/software-tools">Software Tools</a>},
         'term: category link, relative, to the module\'s "_category/"');
    like($page, qr{<li><a href="gpu">GPU</a> \x{e2}\x{80}\x{94} <span class="def">A graphics unit\.</span></li>\n<li>TPU</li>},
         'term: related terms linked with definitions, dangling as text');
    like($page, qr{<h2 id="backlinks">Terms that link here</h2>\n<ul>\n<li><a href="gpu">GPU</a>},
         'term: backlinks');
    like($page, qr{<form action="_search" method="get" role="search">\n<label for="q">Search terms</label>\n<input type="search" id="q" name="q">},
         'term: search form, relative');
    like($page, qr{<a class="site" href="\./">AI Terms</a>}, 'term: index link');
    unlike($page, qr{<script(?! type="application/ld\+json")}, 'term: no script but JSON-LD');
    unlike($page, qr{(?:src|href)="(?:https?:)?//(?!example\.com)}, 'term: nothing from other hosts');

    my ($ld) = $page =~ m{<script type="application/ld\+json">(.*?)</script>}s;
    my $doc = eval { JSON::PP->new->utf8->decode($ld) };
    ok($doc, 'term: JSON-LD parses');
    my ($dt) = grep { $_->{'@type'} eq 'DefinedTerm' } @{ $doc->{'@graph'} };
    is($dt->{name}, 'CUDA', 'JSON-LD: DefinedTerm name');
    is($dt->{url}, "${BASE}cuda", 'JSON-LD: url');
    is($dt->{inDefinedTermSet}{name}, 'AI Terms', 'JSON-LD: in its set');
    my ($faq) = grep { $_->{'@type'} eq 'FAQPage' } @{ $doc->{'@graph'} };
    is($faq->{mainEntity}[0]{acceptedAnswer}{text}, 'Yes.',
       'JSON-LD: FAQPage');

    my $gpu = get('--html', 'small.blob', 'gpu');
    like($gpu, qr{<title>GPU</title>}, 'term: title falls back to the term');
    like($gpu, qr{<meta name="description" content="A graphics unit\.">},
         'term: description falls back to the short definition');
    unlike($gpu, qr{FAQPage}, 'term: no FAQPage without a FAQ');

    is(gunzip(get('--html', '--gzip', 'small.blob', 'cuda')), $page,
       'term: gzip variant inflates to the page');
    like(get('--html', '--etag', 'small.blob', 'cuda'), qr/\A"[0-9a-f]{16}"\n\z/,
         'term: ETag');
}

# index

{
    my $index = get('--html', 'small.blob', '');

    like($index, qr{<title>AI Terms</title>}, 'index: title');
    like($index, qr{<nav class="letters" aria-label="Terms by letter">\n<ul>\n<li><a href="#letter-0-9">0\x{e2}\x{80}\x{93}9</a></li>\n<li><a href="#letter-a">A</a></li>\n<li><a href="#letter-c">C</a></li>\n<li><a href="#letter-g">G</a></li>\n<li><a href="#letter-z">Z</a></li>\n</ul>\n</nav>},
         'index: jump links for the letters in use, accents folded');
    like($index, qr{<h2 id="letter-z">Z</h2>\n<ul>\n<li><a href="zero-shot">Z\x{c3}\x{a9}ro-Shot Learning</a></li>},
         'index: a section per letter, relative links');
    like($index, qr{<a href="_category/">Browse by category</a>},
         'index: categories link');
    like($index, qr{<link rel="canonical" href="https://example\.com/glossary/">},
         'index: canonical');
    is(gunzip(get('--html', '--gzip', 'small.blob', '')), $index,
       'index: gzip variant');
    like(get('small.blob', ''), qr/\A\[\{"slug":"x86"/, 'index: JSON unchanged');
}

# categories

{
    is(get('small.blob', '_category/'),
       "[{\"slug\":\"equipe\",\"name\":\"\x{c3}\x{89}quipe\",\"count\":1},"
       . '{"slug":"hardware","name":"Hardware","count":2},'
       . '{"slug":"software-tools","name":"Software Tools","count":1}]',
       'categories: JSON list, sorted by slug, accents folded');
    is(get('small.blob', '_category/hardware'),
       '{"slug":"hardware","name":"Hardware","terms":['
       . '{"slug":"attention-mechanism","term":"Attention Mechanism",'
       . '"shortDefinition":null},'
       . '{"slug":"gpu","term":"GPU","shortDefinition":"A graphics unit."}]}',
       'category: JSON, terms in index order');

    my $cat = get('--html', 'small.blob', '_category/hardware');
    like($cat, qr{<title>Hardware \x{e2}\x{80}\x{93} AI Terms</title>}, 'category: title');
    like($cat, qr{<li><a href="\.\./attention-mechanism">Attention Mechanism</a></li>\n<li><a href="\.\./gpu">GPU</a>},
         'category: terms linked one level up');
    like($cat, qr{<form action="\.\./_search"}, 'category: search form one level up');
    like($cat, qr{<a class="site" href="\.\./">}, 'category: index link one level up');
    like($cat, qr{<link rel="canonical" href="https://example\.com/glossary/_category/hardware">},
         'category: canonical');

    my $list = get('--html', 'small.blob', '_category/');
    like($list, qr{<li><a href="equipe">\x{c3}\x{89}quipe</a> \(1\)</li>\n<li><a href="hardware">Hardware</a> \(2\)</li>},
         'categories: HTML list');
    like(get('small.blob', '_category/nothing'), qr/^EXIT 1: .*no category "nothing"/,
         'category: unknown');
}

# search documents and index

{
    is(get('small.blob', '#search-json/gpu'),
       '{"slug":"gpu","term":"GPU","shortDefinition":"A graphics unit.",'
       . '"category":"Hardware"}', 'search JSON fragment');
    is(get('small.blob', '#search-json/x86'),
       '{"slug":"x86","term":"8-bit","shortDefinition":null,"category":null}',
       'search JSON fragment: absent fields null');
    is(get('small.blob', '#search-html/gpu'),
       "<li><a href=\"gpu\">GPU</a> \x{e2}\x{80}\x{94} <span class=\"def\">A graphics unit.</span></li>\n",
       'search HTML fragment');
    like(get('--gzip', 'small.blob', '#search-json/gpu'), qr/^EXIT 1: .*no gzip variant/,
         'search fragments have no gzip variant');
    is(get('small.blob', '#search-empty'),
       "<li class=\"empty\">No terms match this search.</li>\n",
       'empty search fragment');

    is_deeply([ search_entries($small, 8) ],
              [ [ '8 bit', 'x86', 0 ],
                [ 'attention mechanism', 'attention-mechanism', 1 ],
                [ 'cuda', 'cuda', 2 ],
                [ 'gpu', 'gpu', 3 ],
                [ 'x86', 'x86', 0 ],
                [ 'zero shot', 'zero-shot', 4 ],
                [ 'zero shot learning', 'zero-shot', 4 ] ],
              'SEARCH_TERMS: folded names and differing slugs, sorted, '
              . 'with the index order');
    is_deeply([ search_entries($small, 9) ],
              [ [ 'bit', 'x86', 0 ],
                [ 'learning', 'zero-shot', 4 ],
                [ 'mechanism', 'attention-mechanism', 1 ],
                [ 'shot learning', 'zero-shot', 4 ] ],
              'SEARCH_WORDS: each inner word to the end');

    my @seg = segments($small);
    is(join('', map { $_->[0] } @seg), '010101020',
       'search page: text, query (title), text, query (input), text, '
       . 'query (heading), text, results, text');
    like($seg[0][1], qr{<title>Search: \z}, 'search page: query in the title');
    like($seg[2][1], qr{<input type="search" id="q" name="q" value="\z},
         'search page: query as the input value');
    like($seg[4][1], qr{<h1>Search results for \x{e2}\x{80}\x{9c}\z},
         'search page: query in the heading');
    like($seg[6][1], qr{<ul class="results">\n\z}, 'search page: results in a list');
    like(join('', map { $_->[1] } @seg), qr{<meta name="robots" content="noindex">},
         'search page: noindex');
}

# sitemap

{
    is(get('small.blob', 'sitemap.xml'),
       qq{<?xml version="1.0" encoding="UTF-8"?>\n}
       . qq{<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n}
       . join('', map { "<url><loc>$BASE$_</loc><lastmod>2023-11-14T22:13:20Z</lastmod></url>\n" }
              '', qw(attention-mechanism cuda gpu x86 zero-shot),
              '_category/', '_category/equipe', '_category/hardware',
              '_category/software-tools')
       . "</urlset>\n", 'sitemap: every page, lastmod from the build time');
    ok(length(get('--gzip', 'small.blob', 'sitemap.xml')) > 20, 'sitemap: gzip variant');

    my ($st, $err) = build('nobase.blob', 'small.json');
    is($st, 0, 'no base URL: builds');
    like($err, qr/^glossaryc: no --base-url: the pages have no canonical link or og:url, and the sitemap is empty$/m,
         'no base URL: a note');
    is(get('nobase.blob', 'sitemap.xml'), '', 'no base URL: empty sitemap');
    my $page = get('--html', 'nobase.blob', 'cuda');
    unlike($page, qr/canonical|og:url|"url"|"\@id"/, 'no base URL: no absolute URLs');
    like($page, qr/og:title/, 'no base URL: other Open Graph tags stay');
    like(get('nobase.blob', '#not-found'), qr{<a href="\./">See all terms</a>},
         'no base URL: 404 page links relative');
    my $nf = get('small.blob', '#not-found');
    like($nf, qr{<form action="https://example\.com/glossary/_search"},
         '404 page: absolute search form with a base URL');
    like($nf, qr{<a href="https://example\.com/glossary/">See all terms</a>},
         '404 page: absolute index link with a base URL');
    like($nf, qr{<meta name="robots" content="noindex">}, '404 page: noindex');
}

# options

{
    my ($st, $err) = build('enc.blob', "--base-url=HTTPS://example.com/a\"b<c>\xc3\xa9",
                           '-q', 'small.json');
    is($st, 0, '--base-url=: odd characters');
    like(get('enc.blob', 'sitemap.xml'),
         qr{<loc>https://example\.com/a%22b%3Cc%3E%C3%A9/cuda</loc>},
         '--base-url: scheme lower-cased, unsafe bytes percent-encoded, '
         . 'a slash added');

    ($st, $err) = build('lang.blob', '--lang', 'pt-BR', '-q', 'small.json');
    like(get('--html', 'lang.blob', 'cuda'), qr/<html lang="pt-BR">/, '--lang');
}

# category slugs

{
    put('cats.json', $json->encode([
        term('a', category => 'Machine  Learning!'),
        term('b', category => "\x{65e5}\x{672c}"),
        term('c', category => '--x--'),
        term('d', category => ''),
        term('e', category => "\x{c6}\x{d8} Stra\x{df}e"),
    ]));
    my ($st, $err) = build('cats.blob', '-q', 'cats.json');
    is($st, 0, 'category slugs: builds') or diag($err);
    my $list = $json->decode(get('cats.blob', '_category/'));
    is_deeply([ map { $_->{slug} } @$list ],
              [ 'aeo-strasse', sort(grep { /^category-[0-9a-f]{16}$/ }
                                    map { $_->{slug} } @$list),
                'machine-learning', 'x' ],
              'category slugs: folded, runs of other characters one hyphen, '
              . 'trimmed; a name without Latin letters gets a hashed slug');
    is(scalar @$list, 4, 'category slugs: an empty category is none');
}

# template language

{
    put('t1.html', <<'EOF');
<!DOCTYPE html>
<html lang="{{lang}}"><head><title>{{ title }}</title>{{{head}}}</head>
<body data-page="{{html:page}}">{{! a comment }}
{{#description}}<p id="d">{{description}}</p>{{/description}}{{^description}}<p id="nod"></p>{{/description}}
<a id="share" href="https://share.example/?t={{url:title}}">share</a>
<p id="json">{{json:title}}</p><p id="base">{{base_url}}|{{canonical}}|{{root}}|{{site_name}}</p>
{{{search_form}}}<main>{{{content}}}</main></body></html>
EOF
    put('hostile-title.json', $json->encode([
        term('a', term => q{<b>"A" & 'a'</b>}, seoDescription => ''),
        term('b', seoDescription => 'Desc'),
    ]));

    my ($st, $err) = build('t1.blob', '-q', '--template', 't1.html',
                           '--base-url', $BASE, 'hostile-title.json');
    is($st, 0, 'template: builds') or diag($err);

    my $a = get('--html', 't1.blob', 'a');
    like($a, qr{<title>&lt;b&gt;&quot;A&quot; &amp; &#39;a&#39;&lt;/b&gt;</title>},
         'template: {{ title }} HTML-escaped, blanks allowed');
    like($a, qr{<body data-page="term">\n<p id="nod"></p>\n},
         'template: {{html:x}}, comments, inverted section when empty');
    like($a, qr{href="https://share\.example/\?t=%3Cb%3E%22A%22%20%26%20%27a%27%3C%2Fb%3E"},
         'template: {{url:x}} percent-encodes');
    like($a, qr{<p id="json">"\\u003cb\\u003e\\"A\\" \\u0026 'a'\\u003c/b\\u003e"</p>},
         'template: {{json:x}} is a JSON string that cannot close a script');
    like($a, qr{<p id="base">\Q$BASE\E\|\Q${BASE}a\E\|\./\|Glossary</p>},
         'template: base_url, canonical, root, site_name');
    like($a, qr{<main><article class="term">}, 'template: {{{content}}}');
    like(get('--html', 't1.blob', 'b'), qr{<p id="d">Desc</p>},
         'template: section when not empty');
}

# Nuxt payloads

{
    my ($st, $err) = build('seed.blob', '-q', $seed_src);
    is($st, 0, 'seed: builds');
    my $payload = get('seed.blob', 'hardware-software-co-design/_payload.json');
    is($payload, slurp($seed_src),
       'payload: the seed comes out byte for byte (key, order, escaping)');

    my $p = $json->decode(get('small.blob', 'gpu/_payload.json'));
    is_deeply([ @$p[0, 1] ], [ { data => 1, prerenderedAt => -1 },
                               [ 'ShallowReactive', 2 ] ],
              'payload: Nuxt wrapper');
    my ($key) = keys %{ $p->[2] };
    like($key, qr/^\$f[A-Za-z0-9_-]{22}$/, 'payload: derived key "$f" + 22 base64url');
    is($p->[3]{slug}, 4, 'payload: the term follows');
    is($p->[$p->[3]{seoTitle}], undef, 'payload: absent text is null');
    is($p->[3]{seoTitle}, $p->[3]{seoDescription}, 'payload: one null, shared');
    my $again = $json->decode(get('nobase.blob', 'gpu/_payload.json'));
    is((keys %{ $again->[2] })[0], $key, 'payload: the derived key is stable');
    is(get('small.blob', 'gpu/_payload.json') =~ tr/\n//, 0, 'payload: one line');
    ok(length(get('--gzip', 'seed.blob', 'hardware-software-co-design/_payload.json')) > 100,
       'payload: gzip variant');
}

SKIP: {
    my $node = (grep { -x "$_/node" } split /:/, $ENV{PATH})[0];
    skip 'no node: the devalue round trip needs it', 1 unless $node;
    skip 'devalue is not installed (npm ci --prefix t/js)', 1
        unless -d "$js/node_modules/devalue";

    my @manifest = ({ name => 'the seed, compiled, against the seed',
                      payload => put('seed.payload',
                                     get('seed.blob', 'hardware-software-co-design/_payload.json')),
                      seed => $seed_src });

    for my $t (@small) {
        push @manifest, {
            name => "$t->{slug} from JSON",
            payload => File::Spec->catfile($tmp, put("$t->{slug}.payload",
                                   get('small.blob', "$t->{slug}/_payload.json"))),
            term => File::Spec->catfile($tmp, put("$t->{slug}.term.json",
                                                  $json->encode($t))),
        };
    }

    $manifest[0]{payload} = File::Spec->catfile($tmp, $manifest[0]{payload});
    put('manifest.json', $json->encode(\@manifest));

    my ($st, $out, $err) = run("$node/node", "$js/payload-check.mjs",
                               File::Spec->catfile($tmp, 'manifest.json'));
    is($st, 0, 'devalue.parse: compiled payloads equal their sources')
        or diag("$out$err");
}


# a hostile glossary: every field tries to break out of its context

my @pages;      # [name, html] for the Nu HTML Checker

{
    my $x = qq{<script>alert(1)</script>"><img src=x onerror=alert(1)>'}
          . qq{</script><script>alert(2)</script><!--\x{2028}\x{2029}}
          . qq{javascript:alert(3) ]]> \\u003c/script> \x00 &amp;};
    my $h = {
        slug => 'xss', term => "T $x", shortDefinition => "S $x",
        seoTitle => "</title>$x", seoDescription => qq{" onmouseover="alert(1) $x},
        explanation => "E $x\n\n$x\nline", category => "javascript:alert(1) $x",
        relatedTerms => [ { slug => 'other', name => "R $x" },
                          { slug => 'dangling', name => "D $x" } ],
        faq => [ { question => "Q $x", answer => "A $x" } ],
    };
    my $o = { slug => 'other', term => "O $x", shortDefinition => "OS $x",
              category => "javascript:alert(1) $x",
              relatedTerms => [ { slug => 'xss', name => "N $x" } ] };

    put('xss.json', $json->encode([ $h, $o ]));
    my ($st, $err) = build('xss.blob', '-q', '--site-name', Encode::encode('UTF-8', "Site $x" =~ s/\x00//r),
                           '--base-url', q{https://example.com/"'<x>/}, 'xss.json');
    is($st, 0, 'hostile: builds') or diag($err);

    my %p = (
        'term page' => get('--html', 'xss.blob', 'xss'),
        'related term page' => get('--html', 'xss.blob', 'other'),
        'index' => get('--html', 'xss.blob', ''),
        'category page' => get('--html', 'xss.blob',
                               '_category/' . $json->decode(get('xss.blob', '_category/'))->[0]{slug}),
        'category list' => get('--html', 'xss.blob', '_category/'),
        '404 page' => get('xss.blob', '#not-found'),
        'search page' => get('xss.blob', '_search') =~ s/\x01/&lt;script&gt;/gr
                         =~ s/\x02/get('xss.blob', '#search-html\/xss')
                                  . get('xss.blob', '#search-html\/other')/er,
    );

    for my $name (sort keys %p) {
        unlike($p{$name}, qr/^EXIT/, "hostile $name: rendered");
        safe_page("hostile $name", $p{$name});
        unlike($p{$name}, qr/[\x00-\x08\x0b\x0c\x0e-\x1f]/, "hostile $name: no control bytes");
        push @pages, [ "xss-$name", $p{$name} ];
    }

    like($p{'term page'}, qr{<h1>T &lt;script&gt;alert\(1\)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert\(1\)&gt;&#39;},
         'hostile: the text is shown, escaped');
    like($p{'term page'}, qr{<link rel="canonical" href="https://example\.com/%22%27%3Cx%3E/xss">},
         'hostile: base URL percent-encoded');
    my ($ld) = $p{'term page'} =~ m{<script type="application/ld\+json">(.*?)</script>}s;
    my $doc = JSON::PP->new->utf8->decode($ld);
    is($doc->{'@graph'}[0]{name}, "T $x", 'hostile: JSON-LD keeps the exact text');
    unlike($ld, qr/[<>&]|\x{e2}\x{80}[\x{a8}\x{a9}]/, 'hostile: JSON-LD has no < > & U+2028 U+2029');

    my $payload = get('xss.blob', 'xss/_payload.json');
    unlike($payload, qr{[<>/]|\x{e2}\x{80}[\x{a8}\x{a9}]}, 'hostile: payload escapes < > / U+2028 U+2029');
    is($json->decode($payload)->[ $json->decode($payload)->[3]{term} ], "T $x",
       'hostile: payload keeps the exact text');
    unlike(get('xss.blob', '#search-json/xss'), qr/\x00/,
           'hostile: search JSON has no raw NUL');
}

# every page kind for the checker, from the small fixture and data/

{
    my ($st, $err) = build('data.blob', '-q', '--base-url', $BASE,
                           File::Spec->catdir($root, 'data'));
    is($st, 0, 'data/: builds');

    for my $b ('small.blob', 'data.blob') {
        my $results = join('', map { get($b, "#search-html/$_") }
                               ($b eq 'small.blob' ? qw(cuda gpu)
                                : qw(hardware-software-co-design)));
        my $search = get($b, '_search');
        push @pages,
            [ "$b-term", get('--html', $b, $b eq 'small.blob' ? 'cuda'
                                            : 'hardware-software-co-design') ],
            [ "$b-index", get('--html', $b, '') ],
            [ "$b-category", get('--html', $b, '_category/hardware') ],
            [ "$b-categories", get('--html', $b, '_category/') ],
            [ "$b-404", get($b, '#not-found') ],
            [ "$b-search", $search =~ s/\x01/a &amp; &lt;b&gt; &quot;c&quot;/gr
                                   =~ s/\x02/$results/r ],
            [ "$b-search-empty", $search =~ s/\x01//gr
                                         =~ s/\x02/get($b, '#search-empty')/er ];
    }

    push @pages, [ 'template', get('--html', 't1.blob', 'a') ];

    for my $p (@pages) {
        unlike($p->[1], qr/^EXIT/, "page $p->[0]: rendered");
    }
}

SKIP: {
    my $java = (grep { -x "$_/java" } split /:/, $ENV{PATH})[0];
    my $jar = "$js/node_modules/vnu-jar/build/dist/vnu.jar";
    skip 'no java: the Nu HTML Checker needs it', 1 unless $java;
    skip 'vnu-jar is not installed (npm ci --prefix t/js)', 1 unless -f $jar;

    my @files;
    for my $p (@pages) {
        (my $name = $p->[0]) =~ s/[^A-Za-z0-9.-]+/-/g;
        push @files, File::Spec->catfile($tmp, put("vnu-$name.html", $p->[1]));
    }

    my ($st, $out, $err) = run("$java/java", '-jar', $jar, '--errors-only',
                               '--format', 'text', @files);
    is("$out$err" =~ s/^Document checking completed\.(?: No errors found\.)?\n//mr, '',
       'Nu HTML Checker: no errors on ' . scalar(@files) . ' pages of every kind')
        or diag("$out$err");
}

done_testing();
