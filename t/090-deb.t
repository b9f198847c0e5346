#!/usr/bin/perl

# The Debian packages (make deb): install them into this machine's nginx
# with apt-get, check that they sit where Debian's own module packages do
# and that the module is enabled the Debian way, serve a glossary through
# the system's nginx binary (a configuration and prefix of our own that
# includes /etc/nginx/modules-enabled/, on a loopback port; never the
# system service), then purge both packages and check that nothing is
# left.  It changes the machine, so it runs only under "make test-deb"
# (TEST_GLOSSARY_DEB=1), as root.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";

use File::Spec;
use File::Temp ();
use JSON::PP ();
use POSIX ();
use Test::More;
use Time::HiRes ();

use Test::Glossary ();
use Test::Glossary::HTTP qw(http_get);
use Test::Glossary::Server;

my $MOD_PKG = 'libnginx-mod-http-glossary';
my $CLI_PKG = 'glossaryc';
my $SO      = '/usr/lib/nginx/modules/ngx_http_glossary_module.so';
my $AVAIL   = '/usr/share/nginx/modules-available/mod-http-glossary.conf';
my $ENABLED = '/etc/nginx/modules-enabled/50-mod-http-glossary.conf';
my $BIN     = '/usr/bin/glossaryc';
my $MAN     = '/usr/share/man/man1/glossaryc.1.gz';
my $NGINX   = '/usr/sbin/nginx';

plan skip_all => 'installs packages: run by "make test-deb" only'
    unless $ENV{TEST_GLOSSARY_DEB};
plan skip_all => 'must run as root (apt-get)' unless $> == 0;

my $root = File::Spec->rel2abs(File::Spec->catdir($FindBin::Bin, '..'));
my $build = $ENV{GLOSSARY_BUILD} || File::Spec->catdir($root, 'build');

my ($version) = slurp(File::Spec->catfile($root, 'debian', 'changelog'))
                =~ /^\S+ \(([^)]+)\)/;
my $arch = `dpkg --print-architecture`;
chomp $arch;

my %deb = map { $_ => File::Spec->catfile($build, "${_}_${version}_$arch.deb") }
          ($MOD_PKG, $CLI_PKG);

for my $p (sort keys %deb) {
    BAIL_OUT("no $deb{$p}: run make deb") unless -f $deb{$p};
}

my $tmp = File::Temp::tempdir('glossary-deb-XXXXXX', TMPDIR => 1,
                              CLEANUP => 1);
my $log = File::Spec->catfile($tmp, 'commands.log');

$ENV{DEBIAN_FRONTEND} = 'noninteractive';

sub slurp {
    my ($f) = @_;
    open(my $fh, '<:raw', $f) or return undef;
    local $/;
    return scalar <$fh>;
}

sub spew {
    my ($f, $s) = @_;
    open(my $fh, '>:raw', $f) or die "$f: $!";
    print $fh $s;
    close($fh) or die "$f: $!";
}

# (status, output) of a command, output collected in $log
sub run {
    my (@argv) = @_;
    my $out = File::Spec->catfile($tmp, 'out');
    unlink $out;
    my $rc = Test::Glossary::Server::run_command(\@argv, $out, 300);
    my $text = slurp($out) // '';
    open(my $fh, '>>', $log) or die;
    print $fh "\$ @argv\n$text";
    close $fh;
    return ($rc, $text);
}

sub installed {
    my ($pkg) = @_;
    my (undef, $s) = run('dpkg-query', '-W', '-f=${Status}', $pkg);
    return $s =~ /install ok installed/;
}

sub purge {
    my @pkgs = grep { installed($_) } ($MOD_PKG, $CLI_PKG);
    return (0, '') unless @pkgs;
    return run('apt-get', 'remove', '--purge', '-y', @pkgs);
}


# a previous run that stopped half-way leaves our packages behind
purge();


# install

my ($rc, $out) = run('apt-get', 'install', '-y', '--no-install-recommends',
                     $deb{$MOD_PKG}, $deb{$CLI_PKG});
is($rc, 0, 'apt-get install of both packages') or diag($out);

ok(installed($MOD_PKG), "$MOD_PKG is installed");
ok(installed($CLI_PKG), "$CLI_PKG is installed");

ok(-f $SO, "the module is in nginx's module directory");
is(slurp($AVAIL), "load_module modules/ngx_http_glossary_module.so;\n",
   'modules-available has the load_module snippet');
ok(-l $ENABLED, 'modules-enabled links to it (enabled on installation)');
is(readlink($ENABLED), $AVAIL, 'the link points at modules-available');

ok(-x $BIN, 'glossaryc is in /usr/bin');
($rc, $out) = run($BIN, '--version');
like($out, qr/^glossaryc \Q$version\E \(blob format \d+\.\d+\)$/m,
     'glossaryc --version names the packaged version');

SKIP: {
    # minimal images may tell dpkg to leave manual pages out
    skip 'dpkg is configured to skip manual pages', 2
        if `grep -rs 'path-exclude.*/usr/share/man' /etc/dpkg/dpkg.cfg.d/`;
    ok(-f $MAN, 'the manual page is installed');
    ($rc, $out) = run('man', '-l', $MAN);
    like($out, qr/glossaryc - compile and inspect blobs/,
         'man renders it');
}


# the systemd units of conf/ name the installed programs and manual page

SKIP: {
    my $sa = (grep { -x "$_/systemd-analyze" } split /:/, $ENV{PATH})[0];
    skip 'no systemd-analyze', 1 unless $sa;

    ($rc, $out) = run("$sa/systemd-analyze", 'verify',
                      map { File::Spec->catfile($root, 'conf', $_) }
                      qw(glossary-reload.path glossary-reload.service));
    is($rc, 0, 'systemd-analyze verify accepts the reload units')
        or diag($out);
}


# serve a glossary through the system nginx with the installed module

my $prefix = File::Spec->catdir($tmp, 'nginx');
mkdir $prefix or die "$prefix: $!";
mkdir "$prefix/logs" or die;

my $blob = "$prefix/site.glossary";
($rc, $out) = run($BIN, 'build', '-o', $blob,
                  File::Spec->catdir($root, 'data'));
is($rc, 0, 'the installed glossaryc compiles data/') or diag($out);

($rc, $out) = run($BIN, 'info', '--json', $blob);
my $info = eval { JSON::PP->new->decode($out) } || {};
like($info->{build} // '', qr/^[0-9a-f]{16}$/, 'info --json names the build');

# a page for the glossary_autolink filter, the module's second part
mkdir "$prefix/html" or die;
mkdir "$prefix/html/blog" or die;
spew("$prefix/html/blog/a.html", "<p>A TPU is not a GPU.</p>\n");

my $port = Test::Glossary::Server::free_port();
my $conf = "$prefix/nginx.conf";

spew($conf, <<"END");
include /etc/nginx/modules-enabled/*.conf;

user root;
worker_processes 1;
pid $prefix/nginx.pid;
error_log $prefix/logs/error.log;

events { worker_connections 64; }

http {
    access_log off;
    client_body_temp_path $prefix/body;
    proxy_temp_path $prefix/proxy;
    fastcgi_temp_path $prefix/fastcgi;
    uwsgi_temp_path $prefix/uwsgi;
    scgi_temp_path $prefix/scgi;

    server {
        listen 127.0.0.1:$port;
        root $prefix/html;
        location /glossary/ { glossary $blob; }
        location = /glossary-status { glossary_status; }
        location /blog/ {
            types { text/html html; }
            glossary_autolink $blob /glossary/;
            gzip on;
            gzip_min_length 1;
        }
    }
}
END

# nginx's own prefix, so that "modules/..." in the snippets resolves as it
# does for the system service; every other path is absolute
my @nginx = ($NGINX, '-c', $conf, '-e', "$prefix/logs/error.log");

($rc, $out) = run(@nginx, '-t');
is($rc, 0, 'nginx -t accepts the configuration') or diag($out);

($rc, $out) = run(@nginx);
is($rc, 0, 'the system nginx starts with the packaged module') or diag($out);

my $pid;
for (1 .. 100) {
    $pid = slurp("$prefix/nginx.pid");
    last if defined $pid && $pid =~ /^\d+$/;
    Time::HiRes::sleep(0.05);
}
chomp $pid if defined $pid;

SKIP: {
    skip 'nginx did not start', 7 unless $pid && kill(0, $pid);

    my $res;
    for (1 .. 50) {
        $res = http_get($port, '/glossary/hardware-software-co-design');
        last if $res && !$res->{error};
        Time::HiRes::sleep(0.1);
    }

    is($res->{status}, 200, 'a term is served');
    like($res->{body}, qr/^\{"slug":"hardware-software-co-design"/,
         'its body');
    is($res->header('X-Glossary-Build'), $info->{build},
       'X-Glossary-Build is the build glossaryc reports');

    $res = http_get($port, '/blog/a.html');
    like($res->{body}, qr{^<p>A <a href="/glossary/tpu" class="glossary-term" data-glossary-slug="tpu" title="[^"]+">TPU</a> is not a <a href="/glossary/gpu" }, 'the packaged filter links the terms of a page');

    $res = http_get($port, '/blog/a.html', 'Accept-Encoding' => 'gzip');
    is($res->header('Content-Encoding'), 'gzip',
       'and nginx\'s gzip compresses its output');

    $res = http_get($port, '/glossary-status');
    my $st = eval { JSON::PP->new->decode($res->{body}) } || {};
    is($st->{blobs}[0]{build}, $info->{build},
       'the status page reports the same build');

    kill 'QUIT', $pid;
    my $gone = 0;
    for (1 .. 100) {
        if (!kill(0, $pid)) {
            $gone = 1;
            last;
        }
        Time::HiRes::sleep(0.05);
    }
    if (!$gone) {
        kill 'TERM', $pid;
        Time::HiRes::sleep(0.5);
    }
    ok(!kill(0, $pid), 'our nginx stopped');
}

my $errors = slurp("$prefix/logs/error.log") // '';
unlike($errors, qr/\[(?:alert|crit|emerg)\]|exited on signal/,
       'no alert, crit, emerg or crash in the error log')
    or diag($errors);


# remove

($rc, $out) = purge();
is($rc, 0, 'apt-get remove --purge of both packages') or diag($out);

ok(!installed($MOD_PKG), "$MOD_PKG is gone");
ok(!installed($CLI_PKG), "$CLI_PKG is gone");

for my $f ($SO, $AVAIL, $BIN, $MAN) {
    ok(!-e $f, "$f is gone");
}

ok(!-e $ENABLED && !-l $ENABLED && !-l "$ENABLED.removed",
   'no modules-enabled link is left');

done_testing();
