# The pages as a user sees them: headless Chromium, driven over WebDriver
# (chromedriver, plain HTTP and JSON), loads a term page served by the
# module from data/ compiled with glossaryc, follows a related link,
# submits a search with the page's own form (no JavaScript involved), types
# a misspelled word and follows the first result to the term meant, and
# saves screenshots in build/screenshots/.  Titles, URLs and links are
# checked against the JSON API of the same blob.
#
# Needs Debian's chromium and chromium-driver ("make deps" installs them);
# skipped without them, or while the compiler renders no HTML pages.  The
# selectors are the compiler's markup: "section.related a" for related
# terms, "form[role=search]" with "q" and a submit button, "ul.results".

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
my $TERM = 'hardware-software-co-design';
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

# data/ compiled as "make run" does, with a base URL for the sitemap

my $blob = "$tmp/site.glossary";
my $base_url = 'https://glossary.example/glossary/';

{
    local $ENV{SOURCE_DATE_EPOCH} = 1700000000;
    my @cmd = (File::Spec->catfile(build_dir(), 'glossaryc'), 'build',
               '--quiet', '-o', $blob);
    my $data = File::Spec->catdir(repo_root(), 'data');

    # a compiler without --base-url writes no sitemap
    if (system(@cmd, '--base-url', $base_url, $data) != 0) {
        undef $base_url;
        system(@cmd, $data) == 0 or BAIL_OUT("glossaryc build data/ failed");
    }
}

my $srv = start_nginx(
    config => "location /glossary/ { glossary site.glossary; "
              . "glossary_format html; }\n"
              . "location /api/glossary/ { glossary site.glossary; }\n",
    user_files => { 'conf/site.glossary' => slurp_raw($blob) },
);

my $base = 'http://127.0.0.1:' . $srv->port;

my $probe = $srv->get("/glossary/$TERM");
if ($probe->{status} != 200) {
    $srv->stop;
    plan(skip_all => "the compiler renders no HTML term page yet "
                     . "($probe->{status})");
}

my $json = JSON::PP->new->utf8->canonical;
my $api = $json->decode($srv->get("/api/glossary/$TERM")->{body});

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

wd('POST', "/session/$session/window/rect", { width => 1100, height => 900 });

# 1. the term page

wd('POST', "/session/$session/url", { url => "$base/glossary/$TERM" });

is(wd('GET', "/session/$session/url"), "$base/glossary/$TERM",
   'term page: the URL');
like(wd('GET', "/session/$session/title"), qr/\Q$api->{term}\E/i,
     "term page: the title names \"$api->{term}\"");
is(text('h1'), $api->{term}, 'term page: the heading is the term');

screenshot('term-page');

# every link on the page leads somewhere that answers 200

my @hrefs = map { attr($_, 'href') }
            @{ wd('POST', "/session/$session/elements",
                  { using => 'css selector', value => 'a[href]' }) };

ok(@hrefs > 3, 'term page: ' . scalar(@hrefs) . ' links');

my %seen;
for my $href (grep { !$seen{$_}++ } @hrefs) {
    next unless $href =~ m{^\Q$base\E(/[^#]*)};
    my $r = $srv->get($1);
    is($r->{status}, 200, "term page: link $1 answers 200");
}

# 2. follow the first related link that is in the glossary

my ($related) = grep { $_->{term} } @{ $api->{relatedTerms} };
ok($related, "term page: \"$TERM\" has a related term in the glossary")
    or BAIL_OUT('no related term to follow');

my $link = wd('POST', "/session/$session/element",
              { using => 'css selector',
                value => "section.related a[href\$=\"$related->{slug}\"]" });
ok($link && $link->{$ELEMENT}, "related link to \"$related->{slug}\"");

wd('POST', "/session/$session/element/$link->{$ELEMENT}/click", {});
wait_url(qr{/glossary/\Q$related->{slug}\E$});

is(wd('GET', "/session/$session/url"), "$base/glossary/$related->{slug}",
   'related page: the URL');
like(wd('GET', "/session/$session/title"), qr/\Q$related->{term}\E/i,
     "related page: the title names \"$related->{term}\"");
is(text('h1'), $related->{term}, 'related page: the heading is the term');

screenshot('related-page');

# 3. a search through the page's form

my $query = lc((split /\W+/, $api->{term})[0]);

my $input = wd('POST', "/session/$session/element",
               { using => 'css selector',
                 value => 'form[role="search"] input[name="q"]' });
ok($input && $input->{$ELEMENT}, 'the search form has a q field');

wd('POST', "/session/$session/element/$input->{$ELEMENT}/value",
   { text => $query });

my $button = wd('POST', "/session/$session/element",
                { using => 'css selector',
                  value => 'form[role="search"] button[type="submit"]' });
wd('POST', "/session/$session/element/$button->{$ELEMENT}/click", {});
wait_url(qr{/glossary/_search\?q=});

is(wd('GET', "/session/$session/url"), "$base/glossary/_search?q=$query",
   "search: the form submitted q=$query");

my $hits = $json->decode($srv->get("/api/glossary/_search?q=$query")->{body});
ok(@$hits > 0, "search: the API has hits for \"$query\"");

my @results = map { attr($_, 'href') }
              @{ wd('POST', "/session/$session/elements",
                    { using => 'css selector',
                      value => 'ul.results li a' }) };

is_deeply([map { m{/glossary/([^/?#]+)$} ? $1 : $_ } @results],
          [map { $_->{slug} } @$hits],
          'search: the page lists the API hits, in order');
ok(grep({ $_ eq "$base/glossary/$TERM" } @results),
   "search: \"$TERM\" is a result");
like(text('h1'), qr/\Q$query\E/, 'search: the heading repeats the query');

screenshot('search-page');

# 3b. a misspelled word typed into the search box: the first result is
# the term meant, its snippet marks the word, and following it leads there

my $misspelled = 'systolc';

$input = wd('POST', "/session/$session/element",
            { using => 'css selector',
              value => 'form[role="search"] input[name="q"]' });
wd('POST', "/session/$session/element/$input->{$ELEMENT}/clear", {});
wd('POST', "/session/$session/element/$input->{$ELEMENT}/value",
   { text => $misspelled });
$button = wd('POST', "/session/$session/element",
             { using => 'css selector',
               value => 'form[role="search"] button[type="submit"]' });
wd('POST', "/session/$session/element/$button->{$ELEMENT}/click", {});
wait_url(qr{\?q=\Q$misspelled\E$});

like(wd('GET', "/session/$session/url"), qr{\?q=\Q$misspelled\E$},
     "misspelled search: the form submitted q=$misspelled");

my $first = wd('POST', "/session/$session/element",
               { using => 'css selector',
                 value => 'ul.results li:not(.suggestion) a' });
ok($first && $first->{$ELEMENT}, 'misspelled search: a first result');
like(text('ul.results li:not(.suggestion) mark') // '', qr/^systolic$/i,
     'misspelled search: the word is marked in a snippet');

screenshot('search-misspelled');

wd('POST', "/session/$session/element/$first->{$ELEMENT}/click", {});
wait_url(qr{/glossary/systolic-array$});

is(wd('GET', "/session/$session/url"), "$base/glossary/systolic-array",
   'misspelled search: the first result is the term meant');
is(text('h1'), 'Systolic Array', 'misspelled search: its page');

# 4. a search without hits, and the sitemap

wd('POST', "/session/$session/url",
   { url => "$base/glossary/_search?q=zzzzqx" });
is(scalar @{ wd('POST', "/session/$session/elements",
                { using => 'css selector', value => 'ul.results li a' }) },
   0, 'search: no result links for a query without hits');

SKIP: {
    skip('no --base-url: no sitemap', 2) unless defined $base_url;

    my $sitemap = $srv->get('/glossary/sitemap.xml');
    is($sitemap->{status}, 200, 'sitemap: 200');
    like($sitemap->{body}, qr{<loc>\Q$base_url$TERM\E</loc>},
         'sitemap: lists the term page under the base URL');
}

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


sub attr {
    my ($el, $name) = @_;
    return wd('GET', "/session/$session/element/$el->{$ELEMENT}"
                     . "/property/$name");
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
