# The search route on the full-text index (format 1.3, src/blob/SEARCH.md)
# through HTTP, in both formats, on glossaries compiled by glossaryc:
# every field searched, the ranking (an exact name first), AND with the
# fewer-word hits below, prefixes, typos (1 from 5 letters, 2 from 9, a
# swap, the first letter), plurals and stems, phrases, -word, the category
# filter, snippets and their marks (escaped in both formats, hostile text
# too), "did you mean", the JSON answer's old fields kept, meta=1, every
# bound a request can reach (the most expensive queries of a generated
# glossary included), verify=lazy (the same answers; a corrupt posting
# list fails only the searches that read it), and a blob without the index
# answering as before.  The Nu HTML Checker reads the search pages.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Glossary;
use Test::Glossary::CLI ();

use File::Spec;
use File::Temp ();
use JSON::PP ();
use Test::More;

repeat_each(2);


# a glossary with a term or two for every feature; Crème Brûlée carries
# text that must come out escaped

our $G = <<'END';
[
 {"slug":"cache","term":"Cache","shortDefinition":"A store of results kept to answer again faster.","category":"Memory","explanation":"Caching avoids repeated work; a cached answer comes back at once."},
 {"slug":"cache-line","term":"Cache Line","shortDefinition":"The unit moved between cache and memory.","category":"Memory","explanation":"Lines are 64 bytes on most processors."},
 {"slug":"systolic-array","term":"Systolic Array","shortDefinition":"A grid of processing elements for matrix multiplication.","category":"Hardware","explanation":"Data flows through the cells rhythmically, like blood through the heart.","faq":[{"question":"Where are systolic arrays used?","answer":"In TPUs and other accelerators."}]},
 {"slug":"tpu","term":"TPU","shortDefinition":"Google's accelerator, built around systolic arrays.","category":"Hardware"},
 {"slug":"tensor-core","term":"Tensor Core","shortDefinition":"A unit that multiplies small matrices.","category":"Hardware","explanation":"Tensor cores and systolic arrays both multiply matrices, in different ways."},
 {"slug":"accelerator","term":"Accelerator","shortDefinition":"A processor built for one kind of workload.","category":"Hardware"},
 {"slug":"quantization","term":"Quantization","shortDefinition":"Storing weights with fewer bits.","category":"Models","explanation":"Quantized models are smaller, and quantizing them loses little accuracy."},
 {"slug":"model-compression","term":"Model Compression","shortDefinition":"Making a trained network smaller.","category":"Models","faq":[{"question":"Does compression hurt accuracy?","answer":"A little, as quantization does."}]},
 {"slug":"nvidia","term":"NVIDIA","shortDefinition":"A company that makes GPUs.","category":"Companies"},
 {"slug":"creme-brulee","term":"Crème Brûlée","shortDefinition":"A dessert of custard & burnt <sugar> under a \"crust\".","category":"Food","explanation":"Naïve cooks burn it; 'tis said <script>alert(1)</script> never \\ helps."},
 {"slug":"alpha-beta","term":"Alpha Beta","shortDefinition":"Alpha beta gamma, in that order."},
 {"slug":"beta-alpha","term":"Beta Alpha","shortDefinition":"Beta alpha gamma, the other way round."},
 {"slug":"widgets","term":"Widgets","shortDefinition":"Widgeta widgetb widgetc widgetd widgete widgetf widgetg widgeth widgeti widgetj widgetk widgetl."}
]
END

our $CONF = <<'END';
location /glossary/ { glossary site.glossary; glossary_format html; }
location /api/glossary/ { glossary site.glossary; }
END

our $JSON = 'application/json; charset=utf-8';
our $HTML = 'text/html; charset=utf-8';

# the slugs of a JSON answer, in order
sub slugs { join ' ', $_[0] =~ /\{"slug":"([^"]+)"/g }


# a generated glossary where the commonest words are the costliest to
# search: term i has seven of eight words, all but word i % 8, in its
# definition and five times in its explanation, so that no term has them
# all and every fallback subset matches 250 terms of 2,000

our $HOSTILE = do {
    my @w = qw(alpha bravo charlie delta echo foxtrot golf hotel);
    JSON::PP->new->encode([ map {
        my $miss = $w[$_ % 8];
        my $text = join ' ', grep { $_ ne $miss } @w;
        { slug => sprintf('t%04d', $_), term => sprintf('Term %04d', $_),
          shortDefinition => $text, explanation => "$text " x 5 }
    } 0 .. 1999 ]);
};


# the bytes of a blob written by t/blob/pages_blob.c (make test builds it)
sub pages_blob {
    my ($model) = @_;

    my $writer = File::Spec->catfile(build_dir(), 'pages_blob');
    die "$writer is missing: run make test-progs (make test builds it)\n"
        unless -x $writer;

    my $dir = File::Temp::tempdir('glossary-pages-XXXXXX', TMPDIR => 1,
                                  CLEANUP => 1);
    system($writer, $model, "$dir/$model.glossary") == 0
        or die "pages_blob $model failed\n";

    return Test::Glossary::Server::slurp("$dir/$model.glossary");
}


# --- by hand: the JSON answer against the compiler's objects, verify=lazy
# --- against verify=full, the Nu HTML Checker on the search pages

my $tmp = File::Temp::tempdir('glossary-search-XXXXXX', TMPDIR => 1,
                              CLEANUP => 1);
my $json = JSON::PP->new->utf8->canonical;

SKIP: {
    skip 'not built (run make)', 1
        unless -x File::Spec->catfile(build_dir(), 'glossaryc')
               && -e File::Spec->catfile(build_dir(),
                                         'ngx_http_glossary_module.so');

    my $blob = glossary_blob_bytes($G);
    my $srv = start_nginx(config => $CONF,
                          user_files => { 'conf/site.glossary' => $blob });
    my $file = $srv->path('conf', 'site.glossary');

    subtest 'JSON: each hit is the compiler\'s object, then the new fields'
    => sub {
        my %new = map { $_ => 1 }
                  qw(rank score words typos match snippet snippetField);
        my $n = 0;

        for my $q (qw(cache systolic matrix+multiplication brulee nvidai)) {
            my $body = $srv->get("/api/glossary/_search?q=$q")->body;
            my $hits = $json->decode($body);
            my $rank = 0;

            for my $h (@$hits) {
                my (undef, $frag) = Test::Glossary::CLI::glossaryc(
                    'get', $file, "#search-json/$h->{slug}");
                my $old = $json->decode($frag);

                # the object's bytes, but its "}", start the hit
                (my $prefix = $frag) =~ s/\}\z//;
                ok(index($body, $prefix . ',"rank":') >= 0,
                   "q=$q $h->{slug}: the compiler's object, byte for byte")
                    or diag($body);

                is_deeply({ map { $_ => $h->{$_} } grep { !$new{$_} }
                            keys %$h }, $old,
                          "q=$q $h->{slug}: the old fields unchanged");
                is($h->{rank}, ++$rank, "q=$q $h->{slug}: rank $rank");
                like($h->{match}, qr/^(name|alias|text)$/, 'match');
                ok($h->{words} >= 1 && $h->{typos} <= 2 && $h->{score} > 0,
                   'words, typos, score');
                $n++;
            }
        }

        ok($n >= 8, "$n hits compared");
    };

    subtest 'meta=1: the same hits in an object that says how' => sub {
        my $a = $json->decode($srv->get('/api/glossary/_search?q=cache')->body);
        my $m = $json->decode(
            $srv->get('/api/glossary/_search?q=cache&meta=1')->body);
        is_deeply($m->{hits}, $a, 'hits as without meta');
        is($m->{query}, 'cache', 'query');
        is($m->{total}, 2, 'total');
        ok($m->{exhaustive}, 'exhaustive');
        ok(!$m->{fallback}, 'no fallback');
        is($m->{suggestion}, undef, 'no suggestion');
        is_deeply($m->{cut}, [], 'no bound reached');
        is_deeply([ sort keys %$m ],
                  [qw(cut exhaustive fallback hits query suggestion total)],
                  'its fields');
    };

    subtest 'verify=lazy answers as verify=full, byte for byte' => sub {
        my $lazy = start_nginx(
            config => "location /f/ { glossary full.glossary; }\n"
                      . "location /l/ { glossary lazy.glossary mmap "
                      . "verify=lazy; }\n"
                      . "location /fh/ { glossary full.glossary; "
                      . "glossary_format html; }\n"
                      . "location /lh/ { glossary lazy.glossary mmap "
                      . "verify=lazy; glossary_format html; }\n"
                      . "location = /status { glossary_status; }\n",
            user_files => { 'conf/full.glossary' => $blob,
                            'conf/lazy.glossary' => $blob });

        my $st = $json->decode($lazy->get('/status')->body);
        is($st->{blobs}[1]{search_lists_verified}, 0,
           'lazily: no posting list checked before a search');
        ok($st->{blobs}[0]{search_lists_verified} > 0
           && $st->{blobs}[0]{search_lists_verified}
              == $st->{blobs}[0]{search_lists},
           'in full: every one at load');

        my $n = 0;
        for my $q ('systolic+arry', 'custard', 'sytsolik&meta=1',
                   'cache&category=memory', '%22alpha+beta%22', 'cache+-line',
                   'compression+accuracy&meta=1', 'script+alert', 't', 'quantiz')
        {
            for my $f ('', 'h') {
                my $a = $lazy->get("/$f" eq '/' ? "/f/_search?q=$q"
                                                : "/fh/_search?q=$q");
                my $b = $lazy->get("/$f" eq '/' ? "/l/_search?q=$q"
                                                : "/lh/_search?q=$q");
                $n++ if $a->status == 200 && $b->status == 200
                        && $a->body eq $b->body;
            }
        }

        is($n, 20, 'the same 20 answers');

        $st = $json->decode($lazy->get('/status')->body);
        my $v = $st->{blobs}[1]{search_lists_verified};
        ok($v > 0 && $v < $st->{blobs}[1]{search_lists},
           "lazily: $v of $st->{blobs}[1]{search_lists} lists checked");
        is($st->{blobs}[1]{search_lists_corrupt}, 0, 'none corrupt');
        ok(!grep({ /\[(crit|alert|emerg|error)\]/ } $lazy->error_log_lines),
           'nothing bad in the error log');

        $lazy->stop;
    };

    SKIP: {
        my $js = File::Spec->catdir(repo_root(), 't', 'js');
        my $java = (grep { -x "$_/java" } split /:/, $ENV{PATH})[0];
        my $jar = "$js/node_modules/vnu-jar/build/dist/vnu.jar";
        skip 'no java: the Nu HTML Checker needs it', 1 unless $java;
        skip 'vnu-jar is not installed (npm ci --prefix t/js)', 1
            unless -f $jar;

        my @files;
        for my $q ('systolic', 'custard', 'script+alert', 'sytsolik',
                   'sytsolik+arrya&category=hardware', 'zzzzqx',
                   '%3Cb%3E%22x%22%27&limit=1', 'compression+accuracy')
        {
            my $r = $srv->get("/glossary/_search?q=$q");
            is($r->status, 200, "page q=$q: 200");
            (my $name = $q) =~ s/[^A-Za-z0-9]+/-/g;
            my $f = File::Spec->catfile($tmp, "vnu-search-$name.html");
            open my $fh, '>:raw', $f or die "$f: $!\n";
            print $fh $r->body;
            close $fh;
            push @files, $f;
        }

        my ($st, $out, $err) = Test::Glossary::CLI::run(
            "$java/java", '-jar', $jar, '--errors-only', '--format', 'text',
            @files);
        is("$out$err" =~ s/^Document checking completed\.(?: No errors found\.)?\n//mr,
           '', 'Nu HTML Checker: no errors on ' . scalar(@files)
               . ' search pages (snippets, marks, a suggestion, none)')
            or diag("$out$err");
    }

    $srv->stop;
}

run_tests();

__DATA__

=== TEST 1: every field is searched: name, slug, short definition, FAQ, explanation
--- glossary eval: $::G
--- config eval: $::CONF
--- request eval
["GET /api/glossary/_search?q=systolic", "GET /api/glossary/_search?q=brulee",
 "GET /api/glossary/_search?q=multiplication",
 "GET /api/glossary/_search?q=hurt", "GET /api/glossary/_search?q=rhythmically"]
--- response_body_like eval
['^\[\{"slug":"systolic-array".*"match":"text","snippet":"Where are <mark>systolic</mark> arrays used\?\\\\nIn TPUs and other accelerators\.","snippetField":"faq"\}',
 '^\[\{"slug":"creme-brulee","term":"Crème Brûlée".*"match":"text".*\}\]$',
 '^\[\{"slug":"systolic-array".*"snippet":"A grid of processing elements for matrix <mark>multiplication</mark>\.","snippetField":"shortDefinition"\}\]$',
 '^\[\{"slug":"model-compression".*"snippet":"Does compression <mark>hurt</mark> accuracy\?\\\\nA little, as quantization does\.","snippetField":"faq"\}\]$',
 '^\[\{"slug":"systolic-array".*"snippet":"Data flows through the cells <mark>rhythmically</mark>, like blood through the heart\.","snippetField":"explanation"\}\]$']
--- response_headers eval
[("Content-Type: $::JSON\n!ETag\nLast-Modified: Tue, 14 Nov 2023 22:13:20 GMT") x 5]
--- no_error_log
[error]



=== TEST 2: ranking: an exact name or slug first, whatever scores more
--- glossary eval: $::G
--- config eval: $::CONF
--- request eval
["GET /api/glossary/_search?q=cache", "GET /api/glossary/_search?q=Cache%20Line",
 "GET /api/glossary/_search?q=cache-line", "GET /api/glossary/_search?q=tpu",
 "GET /api/glossary/_search?q=systolic+array"]
--- response_body_like eval
['^\[\{"slug":"cache",.*"rank":1,.*"match":"name".*\{"slug":"cache-line",.*"rank":2,.*"match":"text"',
 '^\[\{"slug":"cache-line",.*"rank":1,.*"words":2,.*"match":"name"',
 '^\[\{"slug":"cache-line",.*"match":"name"',
 '^\[\{"slug":"tpu",.*"match":"name".*\{"slug":"systolic-array",.*"match":"text"',
 '^\[\{"slug":"systolic-array",.*"match":"name".*\{"slug":"tpu",']



=== TEST 3: AND first; hits of fewer words fill the page below, match=all keeps AND
--- glossary eval: $::G
--- config eval: $::CONF
--- request eval
["GET /api/glossary/_search?q=compression+accuracy&meta=1",
 "GET /api/glossary/_search?q=compression+accuracy&match=all&meta=1",
 "GET /api/glossary/_search?q=compression+zebrafish&meta=1",
 "GET /api/glossary/_search?q=compression+zebrafish&match=all&meta=1",
 "GET /api/glossary/_search?q=custard+quantization&match=all&meta=1"]
--- response_body_like eval
['"total":2,"exhaustive":false,"fallback":true,.*"hits":\[\{"slug":"model-compression",.*"words":2,.*\},\{"slug":"quantization",.*"words":1,.*\}\]\}$',
 '"total":1,"exhaustive":true,"fallback":false,.*"hits":\[\{"slug":"model-compression",.*"words":2,[^\]]*\}\]\}$',
 '"fallback":true,.*"hits":\[\{"slug":"model-compression",.*"words":1,[^\]]*\}\]\}$',
 '"fallback":true,.*"hits":\[\{"slug":"model-compression",.*"words":1,[^\]]*\}\]\}$',
 '"fallback":true,.*"hits":\[\{"slug":"(creme-brulee|quantization)",.*"words":1,.*\},\{"slug":"(creme-brulee|quantization)",.*"words":1,[^\]]*\}\]\}$']



=== TEST 4: the last word is a prefix; a trailing space makes it whole
--- glossary eval: $::G
--- config eval: $::CONF
--- request eval
["GET /api/glossary/_search?q=quantiz", "GET /api/glossary/_search?q=accel+",
 "GET /api/glossary/_search?q=acceler", "GET /api/glossary/_search?q=t",
 "GET /api/glossary/_search?q=sys", "GET /api/glossary/_search?q=matrix+multi"]
--- response_body_like eval
['^\[\{"slug":"quantization",.*"snippet":"<mark>Quantized</mark> models are smaller, and <mark>quantizing</mark> them',
 '^\[\]$',
 '^\[\{"slug":"accelerator",',
 '^\[\{"slug":"(tpu|tensor-core)",',
 '^\[\{"slug":"systolic-array",',
 '^\[\{"slug":"systolic-array",.*"words":2,.*"snippet":"A grid of processing elements for <mark>matrix</mark> <mark>multiplication</mark>\.",']



=== TEST 5: typos: 1 edit from 5 letters, 2 from 9, a swap is one, the first letter costs 2
--- glossary eval: $::G
--- config eval: $::CONF
--- request eval
["GET /api/glossary/_search?q=cahce+", "GET /api/glossary/_search?q=cachr+",
 "GET /api/glossary/_search?q=acelerater+", "GET /api/glossary/_search?q=nvidai",
 "GET /api/glossary/_search?q=xache+&meta=1",
 "GET /api/glossary/_search?q=sytsolik+&meta=1",
 "GET /api/glossary/_search?q=tpux+", "GET /api/glossary/_search?q=systolc+arry"]
--- response_body_like eval
['^\[\{"slug":"cache",.*"typos":1,.*\{"slug":"cache-line",',
 '^\[\{"slug":"cache",.*"typos":1,',
 '^\[\{"slug":"accelerator",.*"typos":2,',
 '^\[\{"slug":"nvidia",.*"typos":1,.*"snippet":"A company that makes GPUs\.",',
 '^\{"query":"xache ","total":0,.*"suggestion":"cache",.*"hits":\[\]\}$',
 '^\{"query":"sytsolik ","total":0,.*"suggestion":"systolic",.*"hits":\[\]\}$',
 '^\[\{"slug":"tpu",.*"typos":1,',
 '^\[\{"slug":"systolic-array",.*"words":2,"typos":2,']



=== TEST 6: plurals and other forms of a word find each other
--- glossary eval: $::G
--- config eval: $::CONF
--- request eval
["GET /api/glossary/_search?q=caching+", "GET /api/glossary/_search?q=models+",
 "GET /api/glossary/_search?q=quantized+", "GET /api/glossary/_search?q=array+",
 "GET /api/glossary/_search?q=processors+"]
--- response_body_like eval
['^\[\{"slug":"cache",.*"snippet":"<mark>Caching</mark> avoids repeated work; a <mark>cached</mark> answer.*\{"slug":"cache-line",.*"snippet":"The unit moved between <mark>cache</mark> and memory\."',
 '^\[\{"slug":"model-compression",.*\{"slug":"quantization",.*"snippet":"Quantized <mark>models</mark> are smaller',
 '^\[\{"slug":"quantization",.*"snippet":"<mark>Quantized</mark> models are smaller, and <mark>quantizing</mark> them',
 '^\[\{"slug":"systolic-array",.*"snippet":"Google&#39;s accelerator, built around systolic <mark>arrays</mark>\."',
 '\{"slug":"accelerator",.*"snippet":"A <mark>processor</mark> built for one kind of workload\.".*\{"slug":"cache-line",.*"snippet":"Lines are 64 bytes on most <mark>processors</mark>\."']



=== TEST 7: "a phrase" keeps its words next to each other, in order, in one field
--- glossary eval: $::G
--- config eval: $::CONF
--- request eval
["GET /api/glossary/_search?q=%22alpha+beta%22",
 "GET /api/glossary/_search?q=%22beta+alpha%22",
 "GET /api/glossary/_search?q=alpha+beta",
 "GET /api/glossary/_search?q=%22alpha+gamma%22"]
--- response_body_like eval
['^\[\{"slug":"alpha-beta",[^\]]*\}\]$', '^\[\{"slug":"beta-alpha",[^\]]*\}\]$',
 '^\[\{"slug":"alpha-beta",.*\{"slug":"beta-alpha",',
 '^\[\{"slug":"beta-alpha",[^\]]*\}\]$']



=== TEST 8: -word leaves out the terms that have the word (any form)
--- glossary eval: $::G
--- config eval: $::CONF
--- request eval
["GET /api/glossary/_search?q=cache+-line", "GET /api/glossary/_search?q=cache+-lines",
 "GET /api/glossary/_search?q=systolic+-tensor", "GET /api/glossary/_search?q=systolic+-tpu",
 "GET /api/glossary/_search?q=cache+-cache"]
--- response_body_like eval
['^\[\{"slug":"cache",[^\]]*\}\]$', '^\[\{"slug":"cache",[^\]]*\}\]$',
 '^\[\{"slug":"systolic-array",.*\{"slug":"tpu",[^\]]*\}\]$',
 '^\[\{"slug":"tensor-core",[^\]]*\}\]$', '^\[\]$']



=== TEST 9: category=: a category's slug (any case); an unknown one finds nothing
--- glossary eval: $::G
--- config eval: $::CONF
--- request eval
["GET /api/glossary/_search?q=systolic&category=hardware",
 "GET /api/glossary/_search?q=systolic&category=HARDWARE",
 "GET /api/glossary/_search?q=systolic&category=models",
 "GET /api/glossary/_search?q=systolic&category=nope",
 "GET /api/glossary/_search?q=systolic&category=",
 "GET /glossary/_search?q=smaller&category=models"]
--- response_body_like eval
['^\[\{"slug":"systolic-array",.*\{"slug":"(tpu|tensor-core)",.*\{"slug":"(tpu|tensor-core)",[^\]]*\}\]$',
 '^\[\{"slug":"systolic-array",.*\{"slug":"(tpu|tensor-core)",.*\{"slug":"(tpu|tensor-core)",[^\]]*\}\]$',
 '^\[\]$', '^\[\]$', '^\[\{"slug":"systolic-array",',
 '(?=.*<a href="quantization">Quantization</a>)(?=.*<a href="model-compression">Model Compression</a>)']
--- response_body_unlike eval
['"slug":"(cache|nvidia|accelerator)"', '"slug":"(cache|nvidia|accelerator)"',
 'NEVER', 'NEVER', 'NEVER', '<a href="(cache|cache-line)">']



=== TEST 10: JSON snippets: HTML with <mark>, the text escaped, hostile text too
--- glossary eval: $::G
--- config eval: $::CONF
--- request eval
["GET /api/glossary/_search?q=custard", "GET /api/glossary/_search?q=script+alert",
 "GET /api/glossary/_search?q=crust", "GET /api/glossary/_search?q=naive+cooks"]
--- response_body_like eval
[qr/"snippet":"A dessert of <mark>custard<\/mark> &amp; burnt &lt;sugar&gt; under a &quot;crust&quot;\.","snippetField":"shortDefinition"\}\]$/,
 qr/"snippet":"Na\x{c3}\x{af}ve cooks burn it; &#39;tis said &lt;<mark>script<\/mark>&gt;<mark>alert<\/mark>\(1\)&lt;\/<mark>script<\/mark>&gt; never \\\\ helps\.","snippetField":"explanation"\}\]$/,
 qr/"snippet":"A dessert of <mark>custard<\/mark> &amp; burnt &lt;sugar&gt; under a &quot;<mark>crust<\/mark>&quot;\./,
 qr/"snippet":"<mark>Na\x{c3}\x{af}ve<\/mark> <mark>cooks<\/mark> burn it;/]
--- response_body_unlike eval
[('"snippet":"[^"]*(<script|<sugar|"crust")') x 4]



=== TEST 11: the HTML page: snippets escaped, <mark> around the words, the query escaped
--- glossary eval: $::G
--- config eval: $::CONF
--- request eval
["GET /glossary/_search?q=custard", "GET /glossary/_search?q=script+alert",
 "GET /glossary/_search?q=%3Cscript%3Ealert", "GET /glossary/_search?q=rhythmically"]
--- response_body_like eval
['<li><a href="creme-brulee">Cr\x{c3}\x{a8}me Br\x{c3}\x{bb}l\x{c3}\x{a9}e</a> \x{e2}\x{80}\x{94} <span class="def">A dessert of <mark>custard</mark> &amp; burnt &lt;sugar&gt; under a &quot;crust&quot;\.</span></li>',
 '<span class="def">A dessert of custard &amp; burnt &lt;sugar&gt; under a &quot;crust&quot;\.</span><br>\n<span class="snippet">Na\x{c3}\x{af}ve cooks burn it; &#39;tis said &lt;<mark>script</mark>&gt;<mark>alert</mark>\(1\)&lt;/<mark>script</mark>&gt; never \\\\ helps\.</span></li>',
 'Search results for \x{e2}\x{80}\x{9c}&lt;script&gt;alert\x{e2}\x{80}\x{9d}.*<mark>script</mark>',
 '<li><a href="systolic-array">Systolic Array</a> \x{e2}\x{80}\x{94} <span class="def">A grid of processing elements for matrix multiplication\.</span><br>\n<span class="snippet">Data flows through the cells <mark>rhythmically</mark>, like blood through the heart\.</span></li>']
--- response_body_unlike eval
['<script|<sugar', '<script>|<sugar', '<script>', '<script']
--- response_headers eval
[("Content-Type: $::HTML") x 4]



=== TEST 12: did you mean: in the JSON envelope, and as a link on the page (the same category kept)
--- glossary eval: $::G
--- config eval: $::CONF
--- request eval
["GET /api/glossary/_search?q=sytsolik&meta=1", "GET /api/glossary/_search?q=sytsolik",
 "GET /glossary/_search?q=sytsolik", "GET /glossary/_search?q=sytsolik+arrya&category=hardware",
 "GET /api/glossary/_search?q=cache+sytsolik&meta=1", "GET /api/glossary/_search?q=zzzzqx&meta=1",
 "GET /glossary/_search?q=zzzzqx"]
--- response_body_like eval
['^\{"query":"sytsolik","total":0,"exhaustive":false,"fallback":false,"suggestion":"systolic","cut":\[\],"hits":\[\]\}$',
 '^\[\]$',
 '<ul class="results">\n<li class="suggestion">Did you mean <a href="\?q=systolic">systolic</a>\?</li>\n<li class="empty">',
 '<li class="suggestion">Did you mean <a href="\?q=systolic\+array&amp;category=hardware">systolic array</a>\?</li>\n<li><a href="systolic-array">',
 '"fallback":true,"suggestion":"cache systolic",.*"hits":\[\{"slug":"cache",',
 '"suggestion":null,.*"hits":\[\]\}$',
 '<ul class="results">\n<li class="empty">']



=== TEST 13: meta= and match= take one of their values; anything else is a bad request
--- glossary eval: $::G
--- config eval: $::CONF
--- request eval
["GET /api/glossary/_search?q=cache&meta=2", "GET /api/glossary/_search?q=cache&meta=",
 "GET /api/glossary/_search?q=cache&match=some", "GET /glossary/_search?q=cache&match=",
 "GET /api/glossary/_search?q=cache&meta=0", "GET /api/glossary/_search?q=cache&match=any",
 "GET /api/glossary/_search?q=cache&category=" . ('%41' x 257)]
--- error_code eval
[400, 400, 400, 400, 200, 200, 400]



=== TEST 14: bounds: 256 bytes of query, 8 words, 4 exclusions, 8 completions a word; each says so
--- glossary eval: $::G
--- config eval: $::CONF
--- request eval
["GET /api/glossary/_search?meta=1&q=" . ('cache+' x 42) . 'cach',
 "GET /api/glossary/_search?meta=1&q=" . ('cache+' x 43),
 "GET /api/glossary/_search?meta=1&q=a+b+c+d+e+f+g+h+i+cache",
 "GET /api/glossary/_search?meta=1&q=cache+-x1+-x2+-x3+-x4+-line",
 "GET /api/glossary/_search?meta=1&q=widget",
 "GET /api/glossary/_search?meta=1&q=cache&limit=500"]
--- error_code eval
[200, 400, 200, 200, 200, 200]
--- response_body_like eval
['"cut":\[[^\]]*"words"[^\]]*\],"hits":\[\{"slug":"cache",', '',
 '"cut":\[[^\]]*"words"[^\]]*\]',
 '"cut":\["words"\],"hits":\[\{"slug":"cache",.*\{"slug":"cache-line",',
 '"cut":\["expansions"\],"hits":\[\{"slug":"widgets",', '"total":2,']



=== TEST 15: the costliest queries of a generated glossary: bounded, answered, and said so
--- glossary eval: $::HOSTILE
--- config eval: $::CONF
--- timeout: 30
--- request eval
["GET /api/glossary/_search?meta=1&limit=50&q=alpha+bravo+charlie+delta+echo+foxtrot+golf+hotel",
 "GET /api/glossary/_search?meta=1&limit=50&match=all&q=alpha+bravo+charlie+delta+echo+foxtrot+golf+hotel",
 "GET /api/glossary/_search?meta=1&limit=50&q=alphx+bravx+charlix+deltx+echx+foxtrox+golx+hotex",
 "GET /api/glossary/_search?meta=1&limit=50&q=%22alpha+bravo%22+%22charlie+delta%22+%22echo+foxtrot%22+%22golf+hotel%22",
 "GET /api/glossary/_search?meta=1&limit=50&q=alpha+-bravo+-charlie+-delta+-echo",
 "GET /glossary/_search?limit=50&q=alpha+bravo+charlie+delta+echo+foxtrot+golf+hotel"]
--- response_body_like eval
['"fallback":true,.*"cut":\["postings"\],"hits":\[\{"slug":"t',
 '"fallback":true,.*"cut":\["postings"\],"hits":\[\{"slug":"t',
 '"cut":\[[^\]]*"postings"[^\]]*\],"hits":\[\{"slug":"t',
 '"cut":\[[^\]]*\],"hits":\[',
 '"total":0,.*"hits":\[\]\}$',
 '<li><a href="t\d+">Term \d+</a>']
--- no_error_log
[error]



=== TEST 16: a posting list found corrupt lazily fails the searches that read it, and only them
--- glossary_blob eval: main::pages_blob('fts-corrupt')
--- config
location /glossary/ { glossary site.glossary mmap verify=lazy; }
--- request eval
["GET /glossary/_search?q=gpu", "GET /glossary/_search?q=attention",
 "GET /glossary/_search?q=attention", "GET /glossary/_search?q=eclair",
 "GET /glossary/gpu"]
--- error_code eval
[200, 500, 500, 200, 200]
--- response_body_like eval
['^\[\{"slug":"gpu",', '', '', '^\[\{"slug":"eclair",', 'gpu']
--- error_log eval
[qr/\[crit\] .*glossary ".*site\.glossary" is corrupt: invalid search index: list 0: layer 0 block 0: document 200, search failed/,
 qr/\[error\] .*list 0 failed its check before, search failed/]
--- allow_log_level: crit



=== TEST 17: verify=full refuses the same blob at load
--- glossary_blob eval: main::pages_blob('fts-corrupt')
--- config
location /glossary/ { glossary site.glossary; }
--- must_die
--- error_log eval
qr/\[emerg\] .*glossary ".*site\.glossary" is invalid: invalid search index: FTS: list 0: layer 0 block 0: document 200/



=== TEST 18: the hand-written index of make_blob answers (the writer and the reader agree)
--- glossary_blob eval: main::pages_blob('fts')
--- config
location /glossary/ { glossary site.glossary; }
--- request eval
["GET /glossary/_search?q=gpu", "GET /glossary/_search?q=memory",
 "GET /glossary/_search?q=eclair", "GET /glossary/_search?q=integrated+gpu"]
--- response_body_like eval
['^\[\{"slug":"gpu","kind":4,"rank":1,.*"match":"name".*\{"slug":"gpu-memory","kind":4,.*\{"slug":"integrated-gpu","kind":4,',
 '^\[\{"slug":"gpu-memory","kind":4,"rank":1,',
 '^\[\{"slug":"eclair","kind":4,"rank":1,.*"match":"name"',
 '^\[\{"slug":"integrated-gpu","kind":4,"rank":1,.*"match":"name"']



=== TEST 19: a blob without the index (--no-search-index): the prefix search as before
--- glossary_blob eval: Test::Glossary::glossary_blob_bytes($::G, args => ['--no-search-index'])
--- config eval: $::CONF
--- request eval
["GET /api/glossary/_search?q=cache", "GET /api/glossary/_search?q=rhythmically",
 "GET /api/glossary/_search?q=cahce", "GET /api/glossary/_search?q=line",
 "GET /api/glossary/_search?q=c&category=memory",
 "GET /api/glossary/_search?q=cache&meta=1"]
--- response_body eval
['[{"slug":"cache","term":"Cache","shortDefinition":"A store of results kept to answer again faster.","category":"Memory"},{"slug":"cache-line","term":"Cache Line","shortDefinition":"The unit moved between cache and memory.","category":"Memory"}]',
 '[]', '[]',
 '[{"slug":"cache-line","term":"Cache Line","shortDefinition":"The unit moved between cache and memory.","category":"Memory"}]',
 '[{"slug":"cache","term":"Cache","shortDefinition":"A store of results kept to answer again faster.","category":"Memory"},{"slug":"cache-line","term":"Cache Line","shortDefinition":"The unit moved between cache and memory.","category":"Memory"}]',
 '{"query":"cache","total":2,"exhaustive":true,"fallback":false,"suggestion":null,"cut":[],"hits":[{"slug":"cache","term":"Cache","shortDefinition":"A store of results kept to answer again faster.","category":"Memory"},{"slug":"cache-line","term":"Cache Line","shortDefinition":"The unit moved between cache and memory.","category":"Memory"}]}']



=== TEST 20: a blob without the index: the page lists the compiler's fragments, as before
--- glossary_blob eval: Test::Glossary::glossary_blob_bytes($::G, args => ['--no-search-index'])
--- config eval: $::CONF
--- request eval
["GET /glossary/_search?q=cache", "GET /glossary/_search?q=zzzzqx"]
--- response_body_like eval
[qr{<ul class="results">\n<li><a href="cache">Cache</a> \x{e2}\x{80}\x{94} <span class="def">A store of results kept to answer again faster\.</span></li>\n<li><a href="cache-line">Cache Line</a> \x{e2}\x{80}\x{94} <span class="def">The unit moved between cache and memory\.</span></li>\n</ul>},
 qr{<ul class="results">\n<li class="empty">No terms match this search\.</li>\n</ul>}]



=== TEST 21: aliases are searched: an exact alias ranks right after an exact name, above a name that holds the word
--- glossary
[
 {"slug":"gpu-memory","term":"GPU Memory","shortDefinition":"Memory on a GPU board."},
 {"slug":"graphics-processing-unit","term":"Graphics Processing Unit","aliases":["GPU","graphics card"],"shortDefinition":"A processor for parallel work."},
 {"slug":"card-game","term":"Card Game","shortDefinition":"A game played with cards."}
]
--- config eval: $::CONF
--- request eval
["GET /api/glossary/_search?q=gpu", "GET /api/glossary/_search?q=graphics+card",
 "GET /api/glossary/_search?q=graphics+crad+"]
--- response_body_like eval
['^\[\{"slug":"graphics-processing-unit",[^{]*"match":"alias",[^{]*\},\{"slug":"gpu-memory",[^{]*"match":"text"',
 '^\[\{"slug":"graphics-processing-unit",[^{]*"match":"alias"',
 '^\[\{"slug":"graphics-processing-unit",[^{]*"typos":1,']



=== TEST 22: snippets=0: the same hits without their snippets (autocomplete), snippets=1 as without it
--- glossary eval: $::G
--- config eval: $::CONF
--- request eval
["GET /api/glossary/_search?q=custard&snippets=0", "GET /api/glossary/_search?q=custard&snippets=1",
 "GET /api/glossary/_search?q=script+alert&snippets=0&meta=1", "GET /api/glossary/_search?q=c&snippets=0"]
--- response_body_like eval
['^\[\{"slug":"creme-brulee","term":"Cr\x{c3}\x{a8}me Br\x{c3}\x{bb}l\x{c3}\x{a9}e",[^{]*"rank":1,"score":\d+,"words":1,"typos":0,"match":"text","snippet":null,"snippetField":null\}\]$',
 '^\[\{"slug":"creme-brulee",[^{]*"snippet":"A dessert of <mark>custard</mark> &amp; burnt &lt;sugar&gt; under a &quot;crust&quot;\.","snippetField":"shortDefinition"\}\]$',
 '^\{"query":"script alert","total":1,.*"hits":\[\{"slug":"creme-brulee",[^{]*"snippet":null,"snippetField":null\}\]\}$',
 '^\[\{"slug":"[a-z-]+",[^{]*"snippet":null,"snippetField":null\},\{"slug":"[a-z-]+",[^{]*"snippet":null,']
--- response_body_unlike eval
['<mark>', 'NEVER', '<mark>', '<mark>']



=== TEST 23: snippets= takes 0 or 1; anything else is a bad request
--- glossary eval: $::G
--- config eval: $::CONF
--- request eval
["GET /api/glossary/_search?q=cache&snippets=2", "GET /api/glossary/_search?q=cache&snippets=",
 "GET /api/glossary/_search?q=cache&snippets=00", "GET /api/glossary/_search?q=cache&snippets=0",
 "GET /glossary/_search?q=cache&snippets=1"]
--- error_code eval
[400, 400, 400, 200, 200]
