package Test::Glossary;

# A data-driven nginx test harness in the style of Test::Nginx, on core
# Perl only.  A test script says
#
#     use FindBin;
#     use lib "$FindBin::Bin/lib";
#     use Test::Glossary;
#
#     repeat_each(2);
#     run_tests();
#
#     __DATA__
#
#     === TEST 1: a term
#     --- glossary
#     [{"slug":"cuda","term":"CUDA"}]
#     --- config
#     location /glossary/ { glossary site.glossary; }
#     --- request
#     GET /glossary/cuda
#     --- response_body_like: "slug":"cuda"
#
# Every block gets its own prefix directory, port and nginx; the sections
# are listed in %SECTIONS below and described in the POD at the end.  The same
# machinery is available to hand-written tests through start_nginx(),
# http_get() and http_request().
#
# A block with --- glossaryc runs the compiler instead of nginx, in a
# working directory of its own holding the block's --- input files, and
# checks its exit status, standard output and standard error:
#
#     === TEST 1: a term without "term"
#     --- input
#     >>> x.json
#     {"slug":"x"}
#     --- glossaryc: build -o out.glossary x.json
#     --- exit_status: 1
#     --- stderr
#     x.json:1:1: term object has no "term"
#
# Hand-written command-line tests use Test::Glossary::CLI.

use strict;
use warnings;

use Cwd ();
use File::Basename ();
use File::Path ();
use File::Spec;
use File::Temp ();
use IO::Select;
use IO::Socket::INET;
use POSIX ();
use Test::More ();
use Text::ParseWords ();
use Time::HiRes ();

use Test::Glossary::JSON ();
use Test::Glossary::Server;
use Test::Glossary::HTTP qw(http_request http_get);
use Test::Glossary::CLI ();

our $VERSION = '0.1';

our @EXPORT = qw(
    run_tests repeat_each blocks no_module
    start_nginx http_get http_request
    compile_glossary glossary_blob_bytes
    repo_root build_dir data_dir data_file nginx_binary
    json_decode json_canon
);

my $Repeat = 1;
my $NoModule = 0;
my @Blocks;
my $Parsed = 0;
my $Caller;

# default SOURCE_DATE_EPOCH for compiled data: Tue, 14 Nov 2023 22:13:20 GMT
our $SOURCE_DATE_EPOCH = 1700000000;

# sections a block may carry; anything else is a typo and fails the block
my %SECTIONS = map { $_ => 1 } qw(
    config http_config main_config
    request raw_request more_headers pipelined_requests
    error_code response_headers response_headers_like
    response_body response_body_like response_body_unlike
    response_body_json gunzip timeout
    error_log no_error_log must_die
    glossary glossary_files glossaries glossary_blob user_files
    source_date_epoch init
    reload reload_glossary reload_glossary_blob reload_remove_glossary
    reload_config reload_perl reload_fails reload_error_log
    request_after_reload raw_request_after_reload
    more_headers_after_reload error_code_after_reload
    response_headers_after_reload response_headers_like_after_reload
    response_body_after_reload response_body_like_after_reload
    response_body_json_after_reload
    glossaryc input exit_status stdout stdout_like stderr stderr_like
    no_files
    skip_eval ONLY SKIP LAST todo allow_log_level
);


sub import {
    my ($class, @args) = @_;
    my $caller = caller;

    for my $a (@args) {
        if ($a eq 'no_module') {
            $NoModule = 1;
        } else {
            die "Test::Glossary: unknown import option '$a'\n";
        }
    }

    $Caller = $caller;

    no strict 'refs';

    for my $f (@Test::More::EXPORT) {
        next if $f =~ /^[\$\@%]/;
        *{"${caller}::$f"} = \&{"Test::More::$f"};
    }

    for my $f (@EXPORT) {
        my $src = $f =~ /^json_/ ? "Test::Glossary::JSON::$f"
                                 : "Test::Glossary::$f";
        *{"${caller}::$f"} = \&{$src};
    }
}


sub repeat_each {
    $Repeat = $_[0] if @_;
    return $Repeat;
}


sub no_module {
    $NoModule = $_[0] if @_;
    return $NoModule;
}


sub json_decode { Test::Glossary::JSON::json_decode(@_) }
sub json_canon  { Test::Glossary::JSON::json_canon(@_) }


# --- locations ------------------------------------------------------------

my $Root;

sub repo_root {
    return $Root if defined $Root;

    my @starts = (File::Basename::dirname(Cwd::abs_path($0)),
                  File::Basename::dirname(Cwd::abs_path(__FILE__)));

    for my $dir (@starts) {
        my $d = $dir;
        while ($d ne '/' && $d ne '') {
            if (File::Basename::basename($d) eq 't'
                && -e File::Spec->catfile($d, '..', 'Makefile'))
            {
                $Root = Cwd::abs_path(File::Spec->catdir($d, '..'));
                return $Root;
            }
            $d = File::Basename::dirname($d);
        }
    }

    $Root = Cwd::getcwd();
    return $Root;
}


sub build_dir {
    my $b = $ENV{GLOSSARY_BUILD};
    $b = File::Spec->catdir(repo_root(), 'build') unless defined $b && $b ne '';
    $b = File::Spec->rel2abs($b, repo_root());
    return $b;
}


sub data_dir {
    return File::Spec->catdir(repo_root(), 't', 'data');
}


# the contents of a fixture in t/data
sub data_file {
    my ($name) = @_;
    my $f = File::Spec->catfile(data_dir(), $name);
    my $s = Test::Glossary::Server::slurp($f);
    die "no fixture $f\n" unless defined $s;
    return $s;
}


sub nginx_binary {
    return $ENV{TEST_GLOSSARY_NGINX} || '/usr/sbin/nginx';
}


sub module_path {
    return File::Spec->catfile(build_dir(), 'ngx_http_glossary_module.so');
}


sub glossaryc_path {
    return File::Spec->catfile(build_dir(), 'glossaryc');
}


# --- compiling data -------------------------------------------------------

# compile_glossary(INPUT, OUT, %opt): INPUT is a file or a directory;
# $opt{args}: more arguments of glossaryc build (--kinds json ...);
# returns (ok, output of the compiler)
sub compile_glossary {
    my ($input, $out, %opt) = @_;

    my $sde = defined $opt{source_date_epoch} ? $opt{source_date_epoch}
                                              : $SOURCE_DATE_EPOCH;
    my $log = File::Temp->new(TMPDIR => 1, SUFFIX => '.log');

    local $ENV{SOURCE_DATE_EPOCH} = $sde;

    my $rc = Test::Glossary::Server::run_command(
        [glossaryc_path(), 'build', @{ $opt{args} // [] }, '-o', $out,
         $input],
        $log->filename, 30);

    my $output = Test::Glossary::Server::slurp($log->filename);

    return ($rc == 0 ? 1 : 0, $output);
}


# the bytes of a blob compiled from JSON text (for corrupting in tests)
sub glossary_blob_bytes {
    my ($json, %opt) = @_;

    my $dir = File::Temp::tempdir('glossary-blob-XXXXXX', TMPDIR => 1,
                                  CLEANUP => 1);
    my $in = File::Spec->catfile($dir, $opt{name} || 'glossary.json');
    my $out = File::Spec->catfile($dir, 'out.glossary');

    Test::Glossary::Server::spew($in, $json);

    my ($ok, $output) = compile_glossary($in, $out, %opt);
    die "glossaryc failed: $output" unless $ok;

    my $bytes = Test::Glossary::Server::slurp($out);
    File::Path::rmtree($dir);

    return $bytes;
}


# --- start_nginx: the object API --------------------------------------------

# start_nginx(config => ..., http_config => ..., main_config => ...,
#             glossary => JSON, glossary_name => 'site.glossary',
#             glossaries => { 'a.glossary' => JSON, ... },
#             glossary_files => { 'x.json' => JSON, ... },
#             user_files => { 'conf/x' => bytes },
#             must_die => 1, no_module => 1)
#
# returns a Test::Glossary::Server, or dies; with must_die the server is
# returned unstarted with ->start_failed and ->start_output set.
sub start_nginx {
    my (%opt) = @_;

    my $srv = Test::Glossary::Server->new(
        no_module => exists $opt{no_module} ? $opt{no_module} : $NoModule,
        nginx     => nginx_binary(),
        module    => module_path(),
    );

    $srv->write_config(%opt);

    my $sde = $opt{source_date_epoch};

    if (defined $opt{glossary}) {
        $srv->compile_into($opt{glossary_name} || 'site.glossary',
                           { ($opt{glossary_input} || 'glossary.json')
                             => $opt{glossary} }, $sde);
    }

    if ($opt{glossary_files}) {
        $srv->compile_into($opt{glossary_name} || 'site.glossary',
                           $opt{glossary_files}, $sde);
    }

    if ($opt{glossaries}) {
        for my $name (sort keys %{ $opt{glossaries} }) {
            $srv->compile_into($name,
                               { 'glossary.json' => $opt{glossaries}{$name} },
                               $sde);
        }
    }

    if ($opt{user_files}) {
        for my $name (sort keys %{ $opt{user_files} }) {
            $srv->write_file($name, $opt{user_files}{$name});
        }
    }

    $srv->start(must_die => $opt{must_die});

    return $srv;
}


# --- block parsing --------------------------------------------------------

sub blocks {
    _parse_data() unless $Parsed;
    return scalar @Blocks;
}


sub _parse_data {
    $Parsed = 1;

    my $fh = do { no strict 'refs'; \*{"${Caller}::DATA"} };
    my $text = do { local $/; <$fh> };

    die "Test::Glossary: no __DATA__ in $0\n" unless defined $text;

    my @chunks = split /^(?====\s)/m, $text;
    shift @chunks if @chunks && $chunks[0] !~ /^===\s/;

    for my $chunk (@chunks) {
        push @Blocks, _parse_block($chunk);
    }
}


sub _parse_block {
    my ($chunk) = @_;

    $chunk =~ s/\A===\s*(.*?)\s*\n//;
    my $name = $1;
    my (%sec, @order);

    my @parts = split /^(?=---\s+\w)/m, $chunk;

    for my $p (@parts) {
        next unless $p =~ s/\A---\s+(\w+)//;
        my $key = $1;
        my ($filters, $inline);

        $p =~ s/\A([^\n]*)\n?//;
        my $rest = $1;

        if ($rest =~ /\A\s*([^:]*?)\s*:\s?(.*?)\s*\z/) {
            ($filters, $inline) = ($1, $2);
        } else {
            $filters = $rest;
        }

        $filters =~ s/^\s+|\s+$//g;

        my $value;

        if (defined $inline) {
            $value = $inline;
        } else {
            # Test::Base's default "trim": no leading blank lines, one
            # trailing newline
            $value = $p;
            $value =~ s/\A([ \t]*\n)+//;
            $value =~ s/(?<=\n)\s*\z//;
            $value .= "\n" if $value ne '' && $value !~ /\n\z/;
        }

        $sec{$key} = { raw => $value,
                       filters => [ split /\s+/, $filters ] };
        push @order, $key;
    }

    return { name => $name, sections => \%sec, order => \@order };
}


# apply the section's filters; returns a scalar or an array ref
sub _value {
    my ($block, $key) = @_;

    my $s = $block->{sections}{$key};
    return undef unless $s;

    return $s->{value} if exists $s->{value};

    my $v = $s->{raw};

    for my $f (@{ $s->{filters} }) {
        if ($f eq 'chomp') {
            chomp $v;
        } elsif ($f eq 'chop') {
            chop $v;
        } elsif ($f eq 'eval') {
            my $code = $v;
            my @r = do {
                package main;
                no strict;
                local $SIG{__WARN__} = sub { warn @_ };
                eval $code;
            };
            die "eval of --- $key failed: $@" if $@;
            $v = @r == 1 ? $r[0] : \@r;
        } elsif ($f eq 'jsonl' || $f eq 'payload' || $f eq 'json'
                 || $f eq 'env')
        {
            # hints used by the section's consumer
        } else {
            die "unknown filter '$f' on --- $key\n";
        }
    }

    $s->{value} = $v;
    return $v;
}


sub _has {
    my ($block, $key) = @_;
    return exists $block->{sections}{$key};
}


sub _filters {
    my ($block, $key) = @_;
    return () unless _has($block, $key);
    return @{ $block->{sections}{$key}{filters} };
}


# ">>> name" separated files
sub _files {
    my ($text) = @_;
    my %files;
    my @order;

    my @parts = split /^>>>\s*(\S+)[ \t]*\n/m, $text, -1;
    shift @parts;

    while (@parts) {
        my ($name, $content) = splice @parts, 0, 2;
        $files{$name} = $content;
        push @order, $name;
    }

    return \%files;
}


sub _subst {
    my ($text, $srv) = @_;
    return $text unless defined $text && !ref $text;

    my %v = (
        TEST_GLOSSARY_PORT   => $srv ? $srv->port : '',
        TEST_GLOSSARY_PREFIX => $srv ? $srv->prefix : '',
        TEST_GLOSSARY_BUILD  => build_dir(),
        TEST_GLOSSARY_DATA   => data_dir(),
        TEST_GLOSSARY_ROOT   => repo_root(),
    );

    $text =~ s/\$(TEST_GLOSSARY_[A-Z]+)\b/exists $v{$1} ? $v{$1} : "\$$1"/ge;
    return $text;
}


# --- run_tests ------------------------------------------------------------

sub run_tests {
    _parse_data() unless $Parsed;

    my @run = @Blocks;

    my @only = grep { _has($_, 'ONLY') } @run;
    if (@only) {
        Test::More::diag("only running blocks marked --- ONLY");
        @run = @only;
    }

    my @last;
    for my $b (@run) {
        push @last, $b;
        last if _has($b, 'LAST');
    }
    @run = @last;

    my $need_nginx = grep { !_has($_, 'glossaryc') } @run;
    my $need_module = $need_nginx && !$NoModule;
    my $need_compiler = grep {
        _has($_, 'glossary') || _has($_, 'glossary_files')
        || _has($_, 'glossaries') || _has($_, 'reload_glossary')
        || _has($_, 'glossaryc')
    } @run;

    if ($need_nginx && !-x nginx_binary()) {
        Test::More::plan(skip_all => "no nginx binary at " . nginx_binary());
        return;
    }

    if ($need_module && !-e module_path()) {
        Test::More::plan(skip_all => "module not built: " . module_path()
                                     . " (run make)");
        return;
    }

    if ($need_compiler && !-x glossaryc_path()) {
        Test::More::plan(skip_all => "compiler not built: "
                                     . glossaryc_path() . " (run make)");
        return;
    }

    for my $block (@run) {
        my $name = $block->{name};

        if (_has($block, 'SKIP')) {
            SKIP: {
                Test::More::skip("$name: --- SKIP", 1);
            }
            next;
        }

        if (_has($block, 'skip_eval')) {
            my $expr = $block->{sections}{skip_eval}{raw};
            $expr =~ s/\A\s*\d+\s*:\s*//;
            my $r = do { package main; no strict; eval $expr };
            die "skip_eval of '$name' failed: $@" if $@;
            if ($r) {
                SKIP: {
                    Test::More::skip("$name: skip_eval", 1);
                }
                next;
            }
        }

        # --- todo: REASON  the block's failures are expected (a known gap);
        # prove reports it once the block passes
        my $todo = _has($block, 'todo');
        my $tb = Test::More->builder;

        if ($todo) {
            (my $why = $block->{sections}{todo}{raw}) =~ s/\s+$//;
            $tb->todo_start($why || 'todo');
        }

        eval { _run_block($block); 1 }
            or Test::More::fail("$name - harness error: $@");

        $tb->todo_end if $todo;
    }

    Test::More::done_testing();
}


sub _run_block {
    my ($block) = @_;

    my $name = $block->{name};

    for my $k (@{ $block->{order} }) {
        die "unknown section '--- $k'\n" unless $SECTIONS{$k};
    }

    return _run_cli_block($block) if _has($block, 'glossaryc');

    my $srv = Test::Glossary::Server->new(
        no_module => $NoModule,
        nginx     => nginx_binary(),
        module    => module_path(),
    );

    my $ok = eval {
        _run_block_on($block, $srv);
        1;
    };

    my $err = $@;

    $srv->stop;

    if (!$ok) {
        Test::More::fail("$name - $err");
        $srv->keep(1) if $ENV{TEST_GLOSSARY_KEEP_FAILED};
    }

    # a start that failed unexpectedly has been reported already
    _check_log_levels($block, $srv)
        unless $srv->start_failed && !_has($block, 'must_die');

    if ($srv->kept) {
        Test::More::diag("$name: prefix kept at " . $srv->prefix);
    }
}


sub _run_block_on {
    my ($block, $srv) = @_;

    my $name = $block->{name};

    my %conf = map { $_ => _subst(_value($block, $_), $srv) }
               grep { _has($block, $_) }
               qw(config http_config main_config);

    $srv->write_config(%conf);

    my $sde = _has($block, 'source_date_epoch')
              ? _value($block, 'source_date_epoch') : undef;
    $srv->source_date_epoch($sde);

    _prepare_data($block, $srv, '');

    if (_has($block, 'user_files')) {
        my $files = _files(_value($block, 'user_files'));
        for my $f (sort keys %$files) {
            $srv->write_file($f, $files->{$f});
        }
    }

    if (_has($block, 'init')) {
        _perl_step($block, 'init', $srv);
    }

    my $must_die = _has($block, 'must_die');

    $srv->start(must_die => $must_die);

    if ($must_die) {
        Test::More::ok($srv->start_failed, "$name - nginx failed to start");
        _check_error_log($block, $srv, 'error_log', 'no_error_log',
                         $srv->start_output);
        return;
    }

    _run_requests($block, $srv, '');

    if (grep { _has($block, $_) }
        qw(reload reload_glossary reload_glossary_blob
           reload_remove_glossary reload_config reload_perl))
    {
        _do_reload($block, $srv);
        _run_requests($block, $srv, '_after_reload');
    }

    _check_error_log($block, $srv, 'error_log', 'no_error_log');
}


# the data sections: glossary, glossary_files, glossaries, glossary_blob
# (with $suffix '' at start, 'reload_' on reload)
sub _prepare_data {
    my ($block, $srv, $pfx) = @_;

    my $g = "${pfx}glossary";

    if (_has($block, $g)) {
        my @f = _filters($block, $g);
        my $input = (grep { $_ eq 'jsonl' } @f) ? 'glossary.jsonl'
                  : (grep { $_ eq 'payload' } @f) ? 'term.payload.json'
                  : 'glossary.json';
        $srv->compile_into('site.glossary', { $input => _value($block, $g) });
    }

    if (!$pfx && _has($block, 'glossary_files')) {
        $srv->compile_into('site.glossary',
                           _files(_value($block, 'glossary_files')));
    }

    if (!$pfx && _has($block, 'glossaries')) {
        my $files = _files(_value($block, 'glossaries'));
        for my $out (sort keys %$files) {
            my $in = $out =~ /\.jsonl$/ ? 'glossary.jsonl' : 'glossary.json';
            (my $blob = $out) =~ s/\.jsonl?$//;
            $blob .= '.glossary' unless $blob =~ /\.glossary$/;
            $srv->compile_into($blob, { $in => $files->{$out} });
        }
    }

    if (_has($block, "${g}_blob")) {
        my $bytes = _value($block, "${g}_blob");
        $srv->write_file_atomic('conf/site.glossary', $bytes);
    }
}


# the Perl of a section, with $srv (or, in a glossaryc block, $dir) in scope
sub _perl_step {
    my ($block, $key, $arg, $var) = @_;

    $var //= '$srv';

    my $code = $block->{sections}{$key}{raw};
    my $sub = do {
        package main;
        no strict;
        eval "sub { my ($var) = \@_; $code\n }";
    };
    die "compiling --- $key failed: $@" unless $sub;

    $sub->($arg);
}


# --- glossaryc blocks -------------------------------------------------------

sub _run_cli_block {
    my ($block) = @_;

    my $name = $block->{name};

    for my $k (@{ $block->{order} }) {
        die "--- $k has no meaning in a glossaryc block\n"
            unless $k =~ /^(?:glossaryc|input|exit_status|stdout|stdout_like
                             |stderr|stderr_like|no_files|source_date_epoch
                             |init|skip_eval|ONLY|SKIP|LAST|todo)$/x;
    }

    my $top = File::Temp::tempdir('glossary-cli-XXXXXX', TMPDIR => 1,
                                  CLEANUP => !$ENV{TEST_GLOSSARY_KEEP});
    my $dir = File::Spec->catdir($top, 'work');
    mkdir $dir or die "mkdir $dir: $!\n";

    if (_has($block, 'input')) {
        my $v = _value($block, 'input');
        my $files = ref $v eq 'HASH' ? $v : _files($v);
        Test::Glossary::CLI::put($_, $files->{$_}, $dir) for sort keys %$files;
    }

    _perl_step($block, 'init', $dir, '$dir') if _has($block, 'init');

    my $args = _value($block, 'glossaryc');
    my @argv = ref $args eq 'ARRAY'
               ? @$args
               : Text::ParseWords::shellwords(_subst($args));

    my $sde = _has($block, 'source_date_epoch')
              ? _value($block, 'source_date_epoch') : $SOURCE_DATE_EPOCH;
    $sde =~ s/\s+\z// if defined $sde;

    my ($st, $out, $err) = Test::Glossary::CLI::glossaryc(
        { dir => $dir, env => { SOURCE_DATE_EPOCH => $sde } }, @argv);

    my $want = _has($block, 'exit_status') ? _value($block, 'exit_status') : 0;
    $want =~ s/\s+//g;

    Test::More::is($st, $want, "$name - exit status $want")
        or Test::More::diag("stderr: $err");

    my %got = (stdout => $out, stderr => $err);

    for my $k (qw(stdout stderr)) {
        if (_has($block, $k)) {
            _is_body($got{$k}, _subst(_value($block, $k)), "$name - $k ok");
        }

        if (_has($block, "${k}_like")) {
            my $re = _value($block, "${k}_like");
            $re = do { (my $p = _subst($re)) =~ s/\n\z//; qr/$p/s }
                unless ref $re eq 'Regexp';
            _like($got{$k}, $re, "$name - ${k}_like ok");
        }
    }

    if (_has($block, 'no_files')) {
        for my $f (grep { /\S/ } split /\s+/, _value($block, 'no_files')) {
            Test::More::ok(!-e File::Spec->catfile($dir, $f),
                           "$name - no file $f");
        }
    }
}


sub _do_reload {
    my ($block, $srv) = @_;

    my $name = $block->{name};

    if (_has($block, 'reload_config')) {
        $srv->write_config(
            config => _subst(_value($block, 'reload_config'), $srv));
    }

    _prepare_data($block, $srv, 'reload_');

    if (_has($block, 'reload_remove_glossary')) {
        unlink File::Spec->catfile($srv->prefix, 'conf', 'site.glossary')
            or die "unlink site.glossary: $!\n";
    }

    if (_has($block, 'reload_perl')) {
        _perl_step($block, 'reload_perl', $srv);
    }

    my $mark = $srv->log_mark;
    my $fails = _has($block, 'reload_fails');

    my $r = $srv->reload(expect_failure => $fails);

    if ($fails) {
        Test::More::ok($r, "$name - reload failed and old workers stayed");
    } else {
        Test::More::ok($r, "$name - reload completed");
    }

    if (_has($block, 'reload_error_log')) {
        my @lines = $srv->error_log_lines(since => $mark);
        _match_lines($block, $srv, 'reload_error_log', \@lines, 1);
    }
}


sub _run_requests {
    my ($block, $srv, $phase) = @_;

    my $name = $block->{name};
    my $label = $phase ? "$name (after reload)" : $name;

    my ($req, $raw);

    if ($phase) {
        $req = _value($block, "request$phase");
        $raw = _value($block, "raw_request$phase");
        if (!defined $req && !defined $raw) {
            $req = _value($block, 'request');
            $raw = _value($block, 'raw_request');
        }
    } else {
        $req = _value($block, 'request');
        $raw = _value($block, 'raw_request');
        $raw = _value($block, 'pipelined_requests') if !defined $raw
            && _has($block, 'pipelined_requests');
    }

    return unless defined $req || defined $raw;

    my $more = _has($block, "more_headers$phase")
               ? _value($block, "more_headers$phase")
               : _value($block, 'more_headers');

    my $timeout = _value($block, 'timeout') || 10;
    $timeout =~ s/\s+//g;

    my @reqs;

    if (defined $raw) {
        @reqs = map { { raw => _subst($_, $srv) } }
                ref $raw eq 'ARRAY' ? @$raw : ($raw);
    } else {
        @reqs = map { { request => $_ } } ref $req eq 'ARRAY' ? @$req : ($req);
    }

    for my $n (1 .. $Repeat) {
        my $rlabel = $Repeat > 1 ? "$label (repeat $n)" : $label;

        for my $i (0 .. $#reqs) {
            my $r = $reqs[$i];
            my $ilabel = @reqs > 1 ? "$rlabel req " . ($i + 1) : $rlabel;

            my @res;

            if (defined $r->{raw}) {
                @res = http_request($srv->port, $r->{raw}, timeout => $timeout,
                                    multi => 1);
            } else {
                my ($bytes, $method) = _build_request($r->{request}, $more);
                @res = http_request($srv->port, $bytes, timeout => $timeout,
                                    method => $method, multi => 1);
            }

            if (defined $r->{raw} && @res > 1) {
                # pipelined: the i-th expectation checks the i-th response
                for my $j (0 .. $#res) {
                    _check_response($block, $srv, $phase, $res[$j], $j,
                                    "$ilabel response " . ($j + 1));
                }
            } else {
                _check_response($block, $srv, $phase, $res[0], $i, $ilabel);
            }
        }
    }
}


sub _build_request {
    my ($spec, $more) = @_;

    my ($line, $body) = split /\n/, $spec, 2;
    $line =~ s/\s+$//;

    my ($method, $uri, $proto) = split /\s+/, $line;
    $proto ||= 'HTTP/1.1';
    $uri = '/' unless defined $uri;

    my @h;
    my %have;

    if (defined $more) {
        for my $l (split /\n/, $more) {
            next if $l =~ /^\s*$/;
            my ($k) = $l =~ /^([^:]+):/;
            $have{lc $k} = 1 if defined $k;
            push @h, $l;
        }
    }

    unshift @h, 'Connection: close'
        if !$have{connection} && $proto eq 'HTTP/1.1';
    unshift @h, 'Host: localhost' unless $have{host};

    if (defined $body && $body ne '') {
        push @h, 'Content-Length: ' . length $body
            unless $have{'content-length'} || $have{'transfer-encoding'};
    } else {
        $body = '';
    }

    my $bytes = "$method $uri $proto\r\n" . join('', map { "$_\r\n" } @h)
                . "\r\n" . $body;

    return ($bytes, $method);
}


# pick the expectation for response $i: an array ref is indexed
sub _expect {
    my ($block, $key, $phase, $i) = @_;

    my $k = "$key$phase";

    return (0, undef) unless _has($block, $k);

    my $v = _value($block, $k);

    if (ref $v eq 'ARRAY') {
        return (0, undef) if $i > $#$v;
        return (1, $v->[$i]);
    }

    return (1, $v);
}


sub _check_response {
    my ($block, $srv, $phase, $res, $i, $label) = @_;

    if (!$res || $res->{error}) {
        my $why = $res ? $res->{error} : 'no response';
        Test::More::fail("$label - request failed: $why");
        return;
    }

    # status
    my ($has, $code) = _expect($block, 'error_code', $phase, $i);
    $code = 200 unless $has;
    $code =~ s/\s+//g if defined $code;

    Test::More::is($res->{status}, $code, "$label - status code ok");

    # headers
    my ($hh, $hexp) = _expect($block, 'response_headers', $phase, $i);
    if ($hh) {
        for my $l (split /\n/, _subst($hexp, $srv)) {
            next if $l =~ /^\s*$/;
            if ($l =~ /^\s*!\s*([^:\s]+)\s*$/) {
                my $v = $res->header($1);
                Test::More::ok(!defined $v, "$label - header $1 absent")
                    or Test::More::diag("got $1: $v");
                next;
            }
            my ($k, $v) = $l =~ /^\s*([^:]+?)\s*:\s?(.*?)\s*$/
                or die "bad response_headers line: $l\n";
            Test::More::is($res->header($k), $v, "$label - header $k ok");
        }
    }

    my ($hl, $hlexp) = _expect($block, 'response_headers_like', $phase, $i);
    if ($hl) {
        for my $l (split /\n/, _subst($hlexp, $srv)) {
            next if $l =~ /^\s*$/;
            my ($k, $v) = $l =~ /^\s*([^:]+?)\s*:\s?(.*?)\s*$/
                or die "bad response_headers_like line: $l\n";
            my $got = $res->header($k);
            Test::More::like(defined $got ? $got : "<header $k absent>",
                             qr/^(?:$v)$/s, "$label - header $k like ok");
        }
    }

    # body
    my $body = $res->{body};

    if (_has($block, 'gunzip')
        && lc($res->header('Content-Encoding') || '') eq 'gzip')
    {
        no warnings 'once';
        require IO::Uncompress::Gunzip;
        my $out;
        IO::Uncompress::Gunzip::gunzip(\$body, \$out)
            or Test::More::diag("gunzip failed: "
                                . $IO::Uncompress::Gunzip::GunzipError);
        $body = $out;
    }

    my ($hb, $bexp) = _expect($block, 'response_body', $phase, $i);
    if ($hb) {
        _is_body($body, _subst($bexp, $srv), "$label - response_body ok");
    }

    my ($hbl, $blexp) = _expect($block, 'response_body_like', $phase, $i);
    if ($hbl) {
        my $re = ref $blexp eq 'Regexp' ? $blexp : do {
            (my $p = _subst($blexp, $srv)) =~ s/\n\z//;
            qr/$p/s;
        };
        _like($body, $re, "$label - response_body_like ok");
    }

    my ($hbu, $buexp) = _expect($block, 'response_body_unlike', $phase, $i);
    if ($hbu) {
        my $re = ref $buexp eq 'Regexp' ? $buexp : do {
            (my $p = _subst($buexp, $srv)) =~ s/\n\z//;
            qr/$p/s;
        };
        _like($body, $re, "$label - response_body_unlike ok", 1);
    }

    my ($hj, $jexp) = _expect($block, 'response_body_json', $phase, $i);
    if ($hj) {
        my $want = eval { json_canon($jexp) };
        die "--- response_body_json is not JSON: $@" unless defined $want;
        my $got = eval { json_canon($body) };
        if (!defined $got) {
            Test::More::fail("$label - response_body_json ok");
            Test::More::diag("body is not JSON: $@" . "body: " . $body);
        } else {
            _is_body($got, $want, "$label - response_body_json ok");
        }
    }
}


# like()/unlike() with a short diagnostic: bodies can be long
sub _like {
    my ($got, $re, $name, $negate) = @_;

    my $m = defined $got && $got =~ $re;
    $m = !$m if $negate;

    return Test::More::pass($name) if $m;

    Test::More::fail($name);

    my $show = defined $got ? $got : '<undef>';
    my $len = length $show;
    $show = substr($show, 0, 300) . "... ($len bytes)" if $len > 300;

    Test::More::diag(sprintf("%14s: %s\n%14s: %s", 'got', _show($show),
                             $negate ? "must not match" : "must match", $re));
    return 0;
}


sub _is_body {
    my ($got, $want, $name) = @_;

    return Test::More::pass($name) if defined $got && $got eq $want;

    Test::More::fail($name);

    $got = '<undef>' unless defined $got;

    # point at the first difference: bodies can be long
    my $n = 0;
    $n++ while $n < length($got) && $n < length($want)
               && substr($got, $n, 1) eq substr($want, $n, 1);
    my $from = $n > 40 ? $n - 40 : 0;

    Test::More::diag(sprintf("bodies differ at byte %d (got %d bytes, "
                             . "expected %d)\n     got: %s\nexpected: %s",
                             $n, length $got, length $want,
                             _show(substr($got, $from, 120)),
                             _show(substr($want, $from, 120))));
    return 0;
}


sub _show {
    my ($s) = @_;
    $s =~ s/([\x00-\x1f\x7f])/sprintf('\\x%02x', ord $1)/ge;
    return "'$s'";
}


# error_log / no_error_log: each line is a substring, or (with eval) an
# array of strings and qr// patterns
sub _patterns {
    my ($block, $srv, $key) = @_;

    my $v = _value($block, $key);
    my @p = ref $v eq 'ARRAY' ? @$v : ref $v eq 'Regexp' ? ($v)
          : grep { /\S/ } split /\n/, $v;

    return map { ref $_ ? $_ : _subst($_, $srv) } @p;
}


sub _match_lines {
    my ($block, $srv, $key, $lines, $want) = @_;

    my $name = $block->{name};

    for my $p (_patterns($block, $srv, $key)) {
        my $hit = grep { ref $p ? $_ =~ $p : index($_, $p) >= 0 } @$lines;
        if ($want) {
            Test::More::ok($hit, "$name - $key: $p")
                or Test::More::diag("not in " . scalar(@$lines)
                                    . " new log lines");
        } else {
            Test::More::ok(!$hit, "$name - $key: $p")
                or Test::More::diag(join '', grep {
                    ref $p ? $_ =~ $p : index($_, $p) >= 0 } @$lines);
        }
    }
}


sub _check_error_log {
    my ($block, $srv, $key, $nkey, $extra) = @_;

    my @lines = $srv->error_log_lines;
    push @lines, split /^/m, $extra if defined $extra;

    _match_lines($block, $srv, $key, \@lines, 1) if _has($block, $key);
    _match_lines($block, $srv, $nkey, \@lines, 0) if _has($block, $nkey);
}


sub _check_log_levels {
    my ($block, $srv) = @_;

    my $name = $block->{name};
    my %allow;

    $allow{emerg} = 1 if _has($block, 'must_die') || _has($block, 'reload_fails');

    if (_has($block, 'allow_log_level')) {
        $allow{$_} = 1 for split /[\s,]+/, $block->{sections}{allow_log_level}{raw};
    }

    my @levels = grep { !$allow{$_} } qw(alert crit emerg);
    my @lines = $srv->error_log_lines;
    my $re = @levels ? join('|', @levels) : 'x^';

    my @bad = grep { /\[(?:$re)\]/ || /worker process \d+ exited on signal/ }
              @lines;

    Test::More::ok(!@bad, "$name - no alert/crit/emerg or crashed worker "
                          . "in the error log")
        or Test::More::diag(join '', @bad[0 .. ($#bad > 9 ? 9 : $#bad)]);
}


1;


__END__

=head1 NAME

Test::Glossary - data-driven nginx tests for ngx_http_glossary_module

=head1 BLOCKS

C<=== TEST n: name>, then C<--- section [filters]> lines.  A value is the
following lines (Test::Base's trim: no leading blank lines, one trailing
newline) or C<--- name: value> inline.  Filters: C<chomp>, C<chop>,
C<eval> (Perl in package main; an array ref gives one value per request or
per pipelined response), and for glossary data C<jsonl> / C<payload>
(input file name).  C<$TEST_GLOSSARY_PORT>, C<_PREFIX>, C<_BUILD>, C<_DATA>
and C<_ROOT> are substituted in configs, expected headers, bodies and logs.

=over

=item Configuration

C<main_config>, C<http_config>, C<config> (inside C<server { listen ...; }>).

=item Data (compiled with SOURCE_DATE_EPOCH=1700000000 unless
C<source_date_epoch>)

C<glossary> (one input file, compiled to conf/site.glossary),
C<glossary_files> (C<< >>> name >> files compiled together),
C<glossaries> (C<< >>> one.json >> compiled to conf/one.glossary each),
C<glossary_blob> (raw bytes to conf/site.glossary), C<user_files>
(C<< >>> path >> relative to the prefix), C<init> (Perl, C<$srv> in scope,
run before the start).

=item Requests

C<request> (C<METHOD URI [HTTP/1.x]>, body on the following lines),
C<raw_request> / C<pipelined_requests> (bytes as they are), C<more_headers>,
C<timeout> (default 10 s).  Each request runs C<repeat_each()> times.

=item Checks

C<error_code> (default 200), C<response_headers> (C<Name: value> exact,
C<!Name> absent), C<response_headers_like> (regex per value),
C<response_body>, C<response_body_like>, C<response_body_unlike>,
C<response_body_json> (canonical comparison keeping key order), C<gunzip>
(gunzip a gzip body before body checks), C<error_log>, C<no_error_log>
(substrings per line, or qr// with eval), C<must_die>.

=item Reload

C<reload> (plain HUP), C<reload_glossary>, C<reload_glossary_blob>,
C<reload_remove_glossary>, C<reload_config>, C<reload_perl> (Perl, C<$srv>
in scope); C<reload_fails> (the reload must fail with [emerg], old workers
stay), C<reload_error_log>.  After the reload: C<request_after_reload>,
C<raw_request_after_reload>, C<more_headers_after_reload>,
C<error_code_after_reload>, C<response_headers_after_reload>,
C<response_headers_like_after_reload>, C<response_body_after_reload>,
C<response_body_like_after_reload>, C<response_body_json_after_reload>
(the request defaults to the first one).

=item Command line (glossaryc blocks)

A block with C<glossaryc> runs the compiler, not nginx, once (not
C<repeat_each()> times), in an empty working directory of its own, with
SOURCE_DATE_EPOCH=1700000000 unless C<source_date_epoch>.  C<glossaryc>
(the arguments, split as a shell would, C<$TEST_GLOSSARY_*> substituted;
with C<eval>, an array ref), C<input> (C<< >>> name >> files written into
the working directory, subdirectories made; C<chomp> drops the last
file's final newline; with C<eval>, a hash ref C<< { name => bytes } >>),
C<init> (Perl, C<$dir> in scope, run before the command), then the checks
C<exit_status> (default 0), C<stdout>, C<stderr> (exact),
C<stdout_like>, C<stderr_like> (regex) and C<no_files> (paths that must
not exist afterwards, e.g. the output of a build that failed).  Other
nginx sections are refused in such a block.

=item Control

C<ONLY>, C<SKIP>, C<LAST>, C<skip_eval: [n:] expr>, C<todo: reason>,
C<allow_log_level: emerg ...>.  Every block fails on [alert], [crit],
[emerg] (allowed with must_die and reload_fails) or a worker that exited on
a signal.

=back

=head1 API

C<start_nginx(config =E<gt> ..., glossary =E<gt> ..., ...)> returns a
Test::Glossary::Server: C<port>, C<prefix>, C<pid>, C<workers>,
C<get($path, %headers)>, C<request($raw, %opt)>, C<reload(expect_failure
=E<gt> 0|1)>, C<compile_into($blob, {name =E<gt> json}, $epoch)>,
C<write_file>, C<write_file_atomic>, C<error_log_lines(since =E<gt> $mark)>,
C<log_mark>, C<stop>.  Also C<http_get($port, $path, %headers)>,
C<http_request($port, $bytes, %opt)>, C<glossary_blob_bytes($json)>,
C<compile_glossary($in, $out)>, C<data_file($name)>, C<json_decode>,
C<json_canon>.  Hand-written command-line tests use Test::Glossary::CLI
(C<put>, C<slurp>, C<run>, C<glossaryc>, C<build>, C<get>, C<fails>,
C<devalue>).  Environment: GLOSSARY_BUILD (default build/),
TEST_GLOSSARY_NGINX (default /usr/sbin/nginx), TEST_GLOSSARY_KEEP=1 (keep
prefixes), TEST_GLOSSARY_NGINX_ENV (C<NAME=value ...> set for nginx only,
e.g. the sanitizer runtime in LD_PRELOAD: C<make test-asan>).

=cut
