# glossary_autolink as a reader sees it: headless Chromium, driven over
# WebDriver as in 070-browser.t, loads an article that nginx proxies from an
# upstream server block (a unix socket) and rewrites with data/'s glossary,
# gzip on; it finds the links the filter inserted, checks that each leads
# to its term's page under the glossary location and carries the term's
# short definition as its title, that none sits in a heading, code or an
# existing link, follows one, and saves a screenshot in
# build/screenshots/.
#
# Needs Debian's chromium and chromium-driver; skipped without them.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Glossary;

use File::Path ();
use File::Spec;
use File::Temp ();
use HTTP::Tiny;
use JSON::PP ();
use MIME::Base64 ();
use POSIX ();
use Time::HiRes ();

my $CHROMIUM = $ENV{TEST_GLOSSARY_CHROMIUM} || '/usr/bin/chromium';
my $DRIVER = $ENV{TEST_GLOSSARY_CHROMEDRIVER} || '/usr/bin/chromedriver';
my $ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';   # W3C WebDriver

plan(skip_all => "no $CHROMIUM or $DRIVER (apt-get install chromium "
                 . "chromium-driver)")
    unless -x $CHROMIUM && -x $DRIVER;

plan(skip_all => 'not built (run make)')
    unless -x File::Spec->catfile(build_dir(), 'glossaryc')
           && -e File::Spec->catfile(build_dir(),
                                     'ngx_http_glossary_module.so');

my $tmp = File::Temp::tempdir('glossary-browser-XXXXXX', TMPDIR => 1,
                              CLEANUP => 1);
my $shots = File::Spec->catdir(build_dir(), 'screenshots');
File::Path::make_path($shots);

my $blob = "$tmp/site.glossary";
{
    local $ENV{SOURCE_DATE_EPOCH} = 1700000000;
    system(File::Spec->catfile(build_dir(), 'glossaryc'), 'build', '-q',
           '-o', $blob, File::Spec->catdir(repo_root(), 'data')) == 0
        or BAIL_OUT('glossaryc build data/ failed');
}

my $article = <<'END';
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Why GPUs won: a short history</title>
<style>body { font: 16px/1.5 sans-serif; max-width: 40em; margin: 2em auto; }
a.glossary-term { border-bottom: 1px dotted; text-decoration: none; }</style>
</head><body><article>
<h1>Why NVIDIA GPUs won</h1>
<p>Deep learning is mostly matrix multiplication. A GPU runs thousands of
threads at once, and CUDA made them programmable; Tensor Cores later made
the multiply&ndash;accumulate itself faster.</p>
<p>Google went another way: the TPU is built around a systolic array, and
XLA compiles models for it, with JAX as the usual front end.</p>
<pre>import jax  # CUDA, TPU</pre>
<p>On phones, Apple's Neural Engine runs inference for Core ML models, and
hardware-software co-design is what ties all of this together.</p>
<p>Read more <a href="/elsewhere">about CUDA</a> elsewhere.</p>
</article></body></html>
END

my $sock = "$tmp/up.sock";

my $srv = start_nginx(
    http_config => "server { listen unix:$sock; types { text/html html; } "
                   . "root html; }\n",
    config => "location /blog/ { proxy_pass http://unix:$sock:/blog/; "
              . "proxy_set_header Accept-Encoding \"\"; "
              . "glossary_autolink site.glossary /glossary/; "
              . "gzip on; gzip_min_length 1; }\n"
              . "location /glossary/ { glossary site.glossary; "
              . "glossary_format html; }\n"
              . "location /api/glossary/ { glossary site.glossary; }\n",
    user_files => { 'conf/site.glossary' => slurp_raw($blob),
                    'html/blog/gpus.html' => $article },
);

my $base = 'http://127.0.0.1:' . $srv->port;
my $json = JSON::PP->new->utf8->canonical;

my $probe = $srv->get('/blog/gpus.html');
is($probe->{status}, 200, 'the article through the proxy');
like($probe->{body}, qr/class="glossary-term"/, 'with links in it');

# chromedriver on a free loopback port

my $wd_port = Test::Glossary::Server::free_port();
my $driver = fork;
die "fork: $!\n" unless defined $driver;

if ($driver == 0) {
    open STDIN, '<', '/dev/null';
    open STDOUT, '>', "$tmp/chromedriver.out" or POSIX::_exit(127);
    open STDERR, '>&', \*STDOUT or POSIX::_exit(127);
    { no warnings 'exec'; exec { $DRIVER } $DRIVER, "--port=$wd_port",
                                "--log-path=$tmp/chromedriver.log"; }
    POSIX::_exit(127);
}

my $http = HTTP::Tiny->new(timeout => 60);
my $wd = "http://127.0.0.1:$wd_port";
my $session;

END {
    local $?;

    if (defined $session) {
        $http->request('DELETE', "$wd/session/$session");
    }

    if ($driver) {
        kill 'TERM', $driver;
        waitpid($driver, 0);
    }

    $srv->stop if $srv;
}

my $ready = 0;

for (1 .. 100) {
    my $r = $http->get("$wd/status");
    if ($r->{success}) {
        $ready = eval { $json->decode($r->{content})->{value}{ready} };
        last if $ready;
    }
    Time::HiRes::sleep(0.1);
}

ok($ready, 'chromedriver is ready') or BAIL_OUT('chromedriver did not start');

$session = wd('POST', '/session', {
    capabilities => { alwaysMatch => {
        browserName => 'chrome',
        pageLoadStrategy => 'normal',
        'goog:chromeOptions' => {
            binary => $CHROMIUM,
            args => [qw(--headless --no-sandbox --disable-gpu --disable-quic
                        --no-first-run --disable-background-networking
                        --disable-component-update --disable-sync
                        --disable-dev-shm-usage --hide-scrollbars),
                     "--user-data-dir=$tmp/profile"],
        },
    } },
})->{sessionId};

ok($session, 'a browser session') or BAIL_OUT('no WebDriver session');

wd('POST', "/session/$session/window/rect", { width => 1000, height => 800 });
wd('POST', "/session/$session/url", { url => "$base/blog/gpus.html" });

like(wd('GET', "/session/$session/title"), qr/Why GPUs won/,
     'the article loaded');

# what the browser made of the links: through the DOM, not the bytes

my $links = wd('POST', "/session/$session/execute/sync", {
    script => 'return Array.from(document.querySelectorAll('
              . '"a.glossary-term")).map(function (a) { return {'
              . 'href: a.href, slug: a.dataset.glossarySlug, '
              . 'title: a.title, text: a.textContent, '
              . 'inside: a.parentElement.closest("h1, pre, code, a") '
              . '!== null }; });',
    args => [],
}) || [];

cmp_ok(scalar @$links, '>=', 10, scalar(@$links) . ' glossary links');

my %seen;

for my $l (@$links) {
    my $slug = $l->{slug} // '';
    next if $seen{$slug}++;

    my $api = $srv->get("/api/glossary/$slug");
    my $term = $api->{status} == 200 ? $json->decode($api->{body}) : {};

    is($l->{href}, "$base/glossary/$slug", "\"$l->{text}\": links to its "
       . "page under /glossary/");
    is($l->{title}, $term->{shortDefinition} // '',
       "\"$l->{text}\": its title is the short definition of \"$slug\"");
    ok(!$l->{inside}, "\"$l->{text}\": not in a heading, code or a link");
}

is(scalar(grep { $seen{$_} > 1 } keys %seen), 0,
   'each term linked once: its first occurrence');
ok($seen{cuda} && $seen{tpu} && $seen{'systolic-array'} && $seen{jax},
   'CUDA, TPU, systolic array, JAX are linked');

screenshot('autolink-article');

# following a link shows the term's page

my $first = wd('POST', "/session/$session/element",
               { using => 'css selector',
                 value => 'a.glossary-term[data-glossary-slug="tpu"]' });
ok($first && $first->{$ELEMENT}, 'the TPU link');

wd('POST', "/session/$session/element/$first->{$ELEMENT}/click", {});
wait_url(qr{/glossary/tpu$});

is(wd('GET', "/session/$session/url"), "$base/glossary/tpu",
   'the link leads to the term page');
like(text('h1'), qr/Tensor Processing Unit|TPU/, 'whose heading is the term');

done_testing();


# --- WebDriver ------------------------------------------------------------

sub wd {
    my ($method, $path, $body) = @_;

    my $r = $http->request($method, "$wd$path", defined $body ? {
        headers => { 'Content-Type' => 'application/json' },
        content => $json->encode($body),
    } : {});

    my $v = eval { $json->decode($r->{content}) };

    if (!$r->{success} || !$v) {
        diag("WebDriver $method $path: $r->{status} "
             . substr($r->{content} // '', 0, 300));
        return undef;
    }

    return $v->{value};
}


sub text {
    my ($css) = @_;
    my $el = wd('POST', "/session/$session/element",
                { using => 'css selector', value => $css });
    return undef unless $el;
    return wd('GET', "/session/$session/element/$el->{$ELEMENT}/text");
}


sub wait_url {
    my ($re) = @_;

    for (1 .. 100) {
        my $u = wd('GET', "/session/$session/url") // '';
        return 1 if $u =~ $re;
        Time::HiRes::sleep(0.1);
    }

    return 0;
}


sub screenshot {
    my ($name) = @_;

    my $png = MIME::Base64::decode_base64(
        wd('GET', "/session/$session/screenshot") // '');
    my $f = File::Spec->catfile($shots, "$name.png");

    open my $fh, '>:raw', $f or die "$f: $!\n";
    print $fh $png;
    close $fh;

    ok(substr($png, 0, 8) eq "\x89PNG\r\n\x1a\n", "screenshot $f");
}


sub slurp_raw {
    my ($f) = @_;
    open my $fh, '<:raw', $f or die "$f: $!\n";
    local $/;
    return scalar <$fh>;
}
