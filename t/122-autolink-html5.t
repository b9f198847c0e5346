# Pages rewritten by nginx (and by glossaryc build --autolink) parse to the
# same tree as the originals: a real
# HTML5 parser (html5lib, Debian's python3-html5lib) reads each page and
# its rewrite by glossary_autolink (served statically, read in buffers of
# 1 and 4096 bytes, and proxied), and t/autolink/html5_same_tree.py checks
# that once every inserted link is replaced by its children the two trees
# are the same, that each link holds text only, and that every inserted
# opening tag is an element of the tree.  The pages: an article made of
# data/'s explanations and FAQ, the module's own term pages, and pages of
# the constructs browsers repair (unclosed paragraphs and list items,
# misnested formatting, tables without tbody and text in them, foreign
# content, templates, comments and scripts of every kind).  Skips without
# python3 or html5lib.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Glossary;

use File::Spec;
use File::Temp ();
use JSON::PP ();

my $python = '/usr/bin/python3';
my $script = File::Spec->catfile(repo_root(), 't', 'autolink',
                                 'html5_same_tree.py');

plan(skip_all => 'no python3') unless -x $python;
plan(skip_all => 'no html5lib (apt-get install python3-html5lib)')
    unless system($python, '-c', 'import html5lib') == 0;

my $tmp = File::Temp::tempdir('glossary-html5-XXXXXX', TMPDIR => 1,
                              CLEANUP => 1);
my $sock = "$tmp/up.sock";

# data/ compiled, as make run does

my $blob = "$tmp/site.glossary";
my $linked_blob = "$tmp/linked.glossary";
{
    local $ENV{SOURCE_DATE_EPOCH} = 1700000000;
    for my $b ([$blob], [$linked_blob, '--autolink']) {
        system(File::Spec->catfile(build_dir(), 'glossaryc'), 'build', '-q',
               @$b[1 .. $#$b], '-o', $b->[0],
               File::Spec->catdir(repo_root(), 'data'))
            == 0 or BAIL_OUT('glossaryc build data/ failed');
    }
}

# an article: every term's explanation and FAQ, as a blog would show them

my @terms;
my $json = JSON::PP->new->utf8;
my $dir = File::Spec->catdir(repo_root(), 'data');

opendir(my $dh, $dir) or die "$dir: $!";
for my $f (sort grep { /\.json$/ && !/payload/ } readdir $dh) {
    open my $fh, '<:raw', "$dir/$f" or die "$f: $!";
    local $/;
    my $doc = eval { $json->decode(<$fh>) };
    next unless $doc;
    push @terms, ref $doc eq 'ARRAY' ? @$doc
               : ref $doc->{terms} eq 'ARRAY' ? @{ $doc->{terms} } : ($doc);
}
closedir $dh;

sub esc {
    my ($s) = @_;
    $s = '' unless defined $s;
    $s = JSON::PP->new->utf8->allow_nonref->encode($s);   # bytes
    $s = substr($s, 1, -1);
    $s =~ s/\\"/"/g;
    $s =~ s/\\n/\n/g;
    $s =~ s/\\\\/\\/g;
    $s =~ s/&/&amp;/g;
    $s =~ s/</&lt;/g;
    $s =~ s/>/&gt;/g;
    return $s;
}

my $article = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
    . "<title>AI hardware, explained</title></head><body><main><article>\n"
    . "<h1>AI hardware, explained</h1>\n";

for my $t (@terms) {
    next unless ref $t eq 'HASH' && defined $t->{term};
    $article .= "<section><h2>" . esc($t->{term}) . "</h2>\n";
    $article .= "<p>" . join("</p>\n<p>", split /\n\s*\n/, esc($t->{explanation}))
                . "</p>\n" if $t->{explanation};
    if (ref $t->{faq} eq 'ARRAY' && @{ $t->{faq} }) {
        $article .= "<dl>\n";
        $article .= "<dt>" . esc($_->{question}) . "<dd>" . esc($_->{answer})
                    . "\n" for @{ $t->{faq} };
        $article .= "</dl>\n";
    }
    $article .= "<ul><li>" . esc($t->{term}) . " in practice<li>see "
                . "<a href=\"/x\">" . esc($t->{term}) . "</a></ul></section>\n";
}

$article .= "</article></main></body></html>\n";

my %pages = (
    article => $article,

    repair => <<'END',
<!DOCTYPE html><html><head><title>GPU</title></head><body>
<p>GPU and TPU <p>CUDA and XLA<li>inference <b>training <i>TPU</b> JAX</i> NVIDIA
<table>GPU<tr><td>CUDA<td>TPU</table>
<table><caption>XLA</caption><tr><th>GPU</th></tr></table>
<ul><li>JAX<li>CUDA</ul><dl><dt>TPU<dd>GPU</dl>
<select><option>GPU<optgroup><option>TPU</select>
<svg><text>GPU</text><foreignObject><p>TPU</p></foreignObject></svg>
<math><mi>GPU</mi><annotation-xml encoding="text/html"><p>TPU</p></annotation-xml></math>
<template><p>GPU</p></template><p>CUDA</p>
<noscript>TPU</noscript><noframes>GPU</noframes><iframe>TPU</iframe>
<script><!--<script>GPU</script>-->TPU</script><p>XLA</p>
<textarea>GPU</textarea><xmp>TPU</xmp><plaintext>GPU and TPU
END

    entities => <<'END',
<p>GPU&nbsp;and&#160;TPU &amp; CUDA&lt;XLA&gt; &copy; NVIDIA&#x2014;JAX
&notit; &amp GPU &#0; TPU &#x110000; inference &#128; training
<p title="GPU &amp; TPU">CUDA&mdash;XLA, &Uuml;ber GPU</p>
END

    malformed => <<'END',
<p>GPU <b TPU="x>CUDA">XLA</b> <!-- GPU --!> TPU <!--> CUDA <!---> XLA
<? GPU ?> TPU </ GPU> CUDA <a href=x>TPU</a CUDA> XLA <p =x>GPU</p>
<div class=noglossary>TPU <p>CUDA</div> XLA <![CDATA[ GPU ]]> TPU
<b>inference <i>training</b> JAX</i> <p>NVIDIA <table><tr><td>GPU
END
);

my $conf = "types { text/html html; }\n"
    . "glossary_autolink_links_per_term 0;\n"
    . "location /p/ { glossary_autolink site.glossary /g/; }\n"
    . "location /b1/ { alias html/p/; output_buffers 1 1; "
    . "glossary_autolink site.glossary /g/; }\n"
    . "location /b4k/ { alias html/p/; output_buffers 1 4k; "
    . "glossary_autolink site.glossary /g/; }\n"
    . "location /up/ { proxy_pass http://unix:$sock:/p/; "
    . "glossary_autolink site.glossary /g/; }\n"
    . "location /g/ { glossary site.glossary; glossary_format html; "
    . "glossary_autolink site.glossary /g/; }\n"
    . "location /raw/ { glossary site.glossary; glossary_format html; }\n"
    . "location /linked/ { glossary linked.glossary; "
    . "glossary_format html; }\n";

my $srv = start_nginx(
    http_config => "server { listen unix:$sock; types { text/html html; } "
                   . "root html; }\n",
    config => $conf,
    user_files => { 'conf/site.glossary' => slurp_raw($blob),
                    'conf/linked.glossary' => slurp_raw($linked_blob),
                    map { ("html/p/$_.html" => $pages{$_}) } keys %pages },
);

my $out = "$tmp/pages";
mkdir $out or die "$out: $!";

sub spew {
    my ($path, $bytes) = @_;
    open my $fh, '>:raw', $path or die "$path: $!";
    print $fh $bytes;
    close $fh or die "$path: $!";
}

my $links = 0;

for my $name (sort keys %pages) {
    for my $loc (qw(p b1 b4k up)) {
        next if $loc eq 'b1' && $name eq 'article';     # 1-byte reads: slow
        my $r = $srv->get("/$loc/$name.html");
        is($r->status, 200, "$loc/$name: 200");
        spew("$out/$name-$loc.in.html", $pages{$name});
        spew("$out/$name-$loc.out.html", $r->body);
        $links += () = $r->body =~ /class="glossary-term"/g;
    }
}

# the module's own pages, through the filter and without it

for my $t (grep { ref $_ eq 'HASH' && $_->{slug} } @terms[0 .. 5]) {
    my $raw = $srv->get("/raw/$t->{slug}");
    my $linked = $srv->get("/g/$t->{slug}");
    is($linked->status, 200, "term page $t->{slug}: 200");
    spew("$out/term-$t->{slug}.in.html", $raw->body);
    spew("$out/term-$t->{slug}.out.html", $linked->body);

    # glossaryc build --autolink: the same rules at compile time
    my $built = $srv->get("/linked/$t->{slug}");
    is($built->status, 200, "term page $t->{slug}, built with --autolink");
    spew("$out/built-$t->{slug}.in.html", $raw->body);
    spew("$out/built-$t->{slug}.out.html", $built->body);
}

cmp_ok($links, '>', 100, "the rewrites hold $links links");

# the parser's verdict, one check per page

my @lines = `$python $script $out`;
my %seen;

for my $line (@lines) {
    chomp $line;
    if ($line =~ /^skip (.*)/) {
        ok(1, "html5lib: skipped: $1");
        next;
    }
    my ($ok, $name) = $line =~ /^(ok|not ok) (\S+)/ or next;
    $seen{$name} = 1;
    ok($ok eq 'ok', "html5lib: $line");
}

is(scalar keys %seen, scalar(() = glob("$out/*.in.html")),
   'html5lib read every page');

$srv->stop;

done_testing();


sub slurp_raw {
    my ($path) = @_;
    open my $fh, '<:raw', $path or die "$path: $!";
    local $/;
    return <$fh>;
}
