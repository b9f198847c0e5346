package Test::Glossary::CLI;

# Command-line tests: glossaryc, or any other program, run in a working
# directory of the test's own, so that messages name short relative
# paths.  Standard input is /dev/null; standard output and standard error
# are captured apart; the exit status is 128 + N for a signal N.  For
# glossaryc, SOURCE_DATE_EPOCH is 1700000000 unless a call sets it (or
# removes it with undef).
#
#     use Test::Glossary;
#     use Test::Glossary::CLI;
#
#     cli_required();
#     put('one.json', '{"slug":"a","term":"A"}');
#     my ($status, $err) = build('one.glossary', 'one.json');
#     is(get('one.glossary', 'a', 'related'), '[]');
#     fails('no term', put('x.json', '{"slug":"x"}'), 1,
#           qq(x.json:1:1: term object has no "term"\n));
#
# The data-driven form of the same (blocks with --- glossaryc, --- input,
# --- exit_status, --- stderr ...) is run by Test::Glossary's run_tests().

use strict;
use warnings;

use Exporter 'import';
use File::Basename ();
use File::Path ();
use File::Spec;
use File::Temp ();
use POSIX ();
use Test::More ();
use Time::HiRes ();

use Test::Glossary ();

our @EXPORT = qw(
    cli_required glossaryc_path cli_dir cli_path put slurp
    run glossaryc build get fails devalue
);

our $EPOCH = 1700000000;

# a command taking longer than this is killed and reported as status -1
our $TIMEOUT = 300;

my ($Base, $Dir);


sub glossaryc_path {
    return File::Spec->catfile(Test::Glossary::build_dir(), 'glossaryc');
}


# skip the whole file when the compiler is not built
sub cli_required {
    my $bin = glossaryc_path();
    Test::More::plan(skip_all => "no compiler at $bin (run: make)")
        unless -x $bin;
}


# the working directory of the commands; captured output lies beside it
sub cli_dir {
    return $Dir if defined $Dir;

    $Base = File::Temp::tempdir('glossary-cli-XXXXXX', TMPDIR => 1,
                                CLEANUP => !$ENV{TEST_GLOSSARY_KEEP});
    $Dir = File::Spec->catdir($Base, 'work');
    mkdir $Dir or die "mkdir $Dir: $!\n";

    return $Dir;
}


sub cli_path {
    my ($name, $dir) = @_;
    return $name if File::Spec->file_name_is_absolute($name);
    return File::Spec->catfile($dir // cli_dir(), $name);
}


# put(NAME, BYTES [, DIR]): writes a file (and its directories) under the
# working directory; returns NAME
sub put {
    my ($name, $bytes, $dir) = @_;
    my $path = cli_path($name, $dir);
    my $parent = File::Basename::dirname($path);
    File::Path::mkpath($parent) unless -d $parent;
    Test::Glossary::Server::spew($path, $bytes);
    return $name;
}


# the bytes of a file under the working directory, or undef
sub slurp {
    my ($name, $dir) = @_;
    my $path = cli_path($name, $dir);
    return undef unless -e $path;
    return Test::Glossary::Server::slurp($path);
}


# run([{ env => { NAME => value or undef }, dir => DIR }], ARGV...):
# (status, stdout, stderr)
sub run {
    my $opt = ref $_[0] eq 'HASH' ? shift : {};
    my @argv = @_;
    my $dir = $opt->{dir} // cli_dir();
    my $cap = File::Temp::tempdir('capture-XXXXXX',
                                  DIR => File::Basename::dirname($dir),
                                  CLEANUP => 1);
    my $out = File::Spec->catfile($cap, 'stdout');
    my $err = File::Spec->catfile($cap, 'stderr');

    my $pid = fork;
    die "fork: $!\n" unless defined $pid;

    if ($pid == 0) {
        open STDIN, '<', '/dev/null' or POSIX::_exit(127);
        open STDOUT, '>', $out or POSIX::_exit(127);
        open STDERR, '>', $err or POSIX::_exit(127);
        chdir $dir or POSIX::_exit(127);

        my %env = %{ $opt->{env} // {} };
        for my $k (keys %env) {
            if (defined $env{$k}) {
                $ENV{$k} = $env{$k};
            } else {
                delete $ENV{$k};
            }
        }

        { no warnings 'exec'; exec { $argv[0] } @argv; }
        print STDERR "exec $argv[0]: $!\n";
        POSIX::_exit(127);
    }

    my $deadline = Time::HiRes::time() + ($opt->{timeout} // $TIMEOUT);
    my $status;

    for (;;) {
        my $r = waitpid($pid, POSIX::WNOHANG());
        if ($r == $pid) {
            $status = $? & 127 ? 128 + ($? & 127) : $? >> 8;
            last;
        }
        if (Time::HiRes::time() > $deadline) {
            kill 'KILL', $pid;
            waitpid($pid, 0);
            $status = -1;
            last;
        }
        Time::HiRes::sleep(0.005);
    }

    my @res = ($status, Test::Glossary::Server::slurp($out) // '',
               Test::Glossary::Server::slurp($err) // '');
    File::Path::rmtree($cap);

    return @res;
}


# glossaryc([\%opt,] ARGS...): run() of the compiler, with
# SOURCE_DATE_EPOCH=$EPOCH unless %opt's env names it
sub glossaryc {
    my $opt = ref $_[0] eq 'HASH' ? { %{ shift() } } : {};
    my %env = %{ $opt->{env} // {} };
    $env{SOURCE_DATE_EPOCH} = $EPOCH unless exists $env{SOURCE_DATE_EPOCH};
    $opt->{env} = \%env;
    return run($opt, glossaryc_path(), @_);
}


# build(OUT, ARGS...): (status, stderr) of "glossaryc build -o OUT ARGS"
sub build {
    my ($out, @args) = @_;
    my ($st, undef, $err) = glossaryc('build', '-o', $out, @args);
    return ($st, $err);
}


# get(ARGS...): the document "glossaryc get ARGS" prints, or
# "EXIT status: stderr"
sub get {
    my ($st, $out, $err) = glossaryc('get', @_);
    return $st == 0 ? $out : "EXIT $st: $err";
}


# the build must fail with exactly this message and status: two tests
sub fails {
    my ($name, $input, $status, $message) = @_;
    my ($st, $err) = build('err.blob', $input);
    Test::More::is($st, $status, "$name: exit status $status");
    Test::More::is($err, $message, "$name: message");
}


# devalue(PAYLOAD, I): element I of a decoded Nuxt payload with every
# reference resolved, as devalue.parse() gives it: wrappers such as
# ["Reactive", n] and ["ShallowRef", n] are their value (["Date", "..."]
# its text), -1 (undefined) and -2 (a hole) are undef; other negative
# specials are left as they are
sub devalue {
    my ($arr, $i, $depth) = @_;

    $depth //= 0;
    die "payload: references nest deeper than 64\n" if $depth > 64;
    return undef if $i == -1 || $i == -2;
    return $i if $i < 0;
    die "payload: reference $i is out of range\n" if $i > $#$arr;

    my $v = $arr->[$i];

    if (ref $v eq 'ARRAY' && @$v && !ref $v->[0] && $v->[0] =~ /^[A-Z]/) {
        return $v->[1] unless defined $v->[1] && $v->[1] =~ /^-?\d+\z/;
        return devalue($arr, $v->[1], $depth + 1);
    }
    if (ref $v eq 'ARRAY') {
        return [ map { devalue($arr, $_, $depth + 1) } @$v ];
    }
    if (ref $v eq 'HASH') {
        return { map { $_ => devalue($arr, $v->{$_}, $depth + 1) } keys %$v };
    }

    return $v;
}


1;
