package Test::Glossary::JSON;

# A small JSON reader for the tests, core Perl only.
#
# json_decode() turns text into Perl data (objects become hash refs, so
# key order is lost; true/false/null become 1/0/undef).
#
# json_canon() re-serializes text in one canonical compact form that keeps
# the key order and the array order, so that two documents compare equal
# exactly when they hold the same values in the same order, whatever their
# whitespace or string escapes ("\/" vs "/", "\u00e9" vs raw UTF-8).
# Strings are handled as UTF-8 bytes throughout.

use strict;
use warnings;
no warnings 'recursion';     # a value nested deep is valid JSON

use Exporter 'import';

our @EXPORT_OK = qw(json_decode json_canon json_valid);


sub json_decode {
    my ($text) = @_;
    my $p = _parser($text);
    return $p->{tree};
}


sub json_canon {
    my ($text) = @_;
    my $p = _parser($text);
    return $p->{canon};
}


sub json_valid {
    my ($text) = @_;
    return eval { _parser($text); 1 } ? 1 : 0;
}


sub _parser {
    my ($text) = @_;

    die "json: undefined input\n" unless defined $text;

    my $s = { text => $text, pos => 0 };
    _ws($s);
    my ($tree, $canon) = _value($s, 0);
    _ws($s);
    if ($s->{pos} != length $s->{text}) {
        _fail($s, "trailing garbage");
    }

    return { tree => $tree, canon => $canon };
}


sub _fail {
    my ($s, $msg) = @_;
    my $near = substr($s->{text}, $s->{pos}, 20);
    die "json: $msg at offset $s->{pos} near '$near'\n";
}


sub _ws {
    my ($s) = @_;
    pos($s->{text}) = $s->{pos};
    $s->{text} =~ /\G[ \t\r\n]*/gc;
    $s->{pos} = pos($s->{text});
}


sub _value {
    my ($s, $depth) = @_;

    _fail($s, "nesting too deep") if $depth > 512;

    my $c = substr($s->{text}, $s->{pos}, 1);

    if ($c eq '{') {
        return _object($s, $depth);
    }

    if ($c eq '[') {
        return _array($s, $depth);
    }

    if ($c eq '"') {
        my $str = _string($s);
        return ($str, _encode_string($str));
    }

    pos($s->{text}) = $s->{pos};

    if ($s->{text} =~ /\G(-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)/gc)
    {
        $s->{pos} = pos($s->{text});
        return ($1 + 0, $1);
    }

    if ($s->{text} =~ /\G(true|false|null)/gc) {
        $s->{pos} = pos($s->{text});
        my $v = $1 eq 'true' ? 1 : $1 eq 'false' ? 0 : undef;
        return ($v, $1);
    }

    _fail($s, "unexpected character");
}


sub _object {
    my ($s, $depth) = @_;
    my (%tree, @canon);

    $s->{pos}++;
    _ws($s);

    if (substr($s->{text}, $s->{pos}, 1) eq '}') {
        $s->{pos}++;
        return ({}, '{}');
    }

    for (;;) {
        _ws($s);
        _fail($s, "expected a key") if substr($s->{text}, $s->{pos}, 1) ne '"';
        my $key = _string($s);
        _ws($s);
        _fail($s, "expected ':'") if substr($s->{text}, $s->{pos}, 1) ne ':';
        $s->{pos}++;
        _ws($s);
        my ($v, $c) = _value($s, $depth + 1);
        _fail($s, "duplicate key \"$key\"") if exists $tree{$key};
        $tree{$key} = $v;
        push @canon, _encode_string($key) . ':' . $c;
        _ws($s);
        my $d = substr($s->{text}, $s->{pos}++, 1);
        last if $d eq '}';
        next if $d eq ',';
        $s->{pos}--;
        _fail($s, "expected ',' or '}'");
    }

    return (\%tree, '{' . join(',', @canon) . '}');
}


sub _array {
    my ($s, $depth) = @_;
    my (@tree, @canon);

    $s->{pos}++;
    _ws($s);

    if (substr($s->{text}, $s->{pos}, 1) eq ']') {
        $s->{pos}++;
        return ([], '[]');
    }

    for (;;) {
        _ws($s);
        my ($v, $c) = _value($s, $depth + 1);
        push @tree, $v;
        push @canon, $c;
        _ws($s);
        my $d = substr($s->{text}, $s->{pos}++, 1);
        last if $d eq ']';
        next if $d eq ',';
        $s->{pos}--;
        _fail($s, "expected ',' or ']'");
    }

    return (\@tree, '[' . join(',', @canon) . ']');
}


# returns the string's value as UTF-8 bytes
sub _string {
    my ($s) = @_;
    my $out = '';

    $s->{pos}++;

    for (;;) {
        pos($s->{text}) = $s->{pos};

        if ($s->{text} =~ /\G([^"\\\x00-\x1f]+)/gc) {
            $out .= $1;
            $s->{pos} = pos($s->{text});
            next;
        }

        my $c = substr($s->{text}, $s->{pos}, 1);
        _fail($s, "unterminated string") if $c eq '';

        if ($c eq '"') {
            $s->{pos}++;
            return $out;
        }

        _fail($s, "control character in string") if $c ne '\\';

        my $e = substr($s->{text}, $s->{pos} + 1, 1);
        $s->{pos} += 2;

        my %simple = ('"' => '"', '\\' => '\\', '/' => '/', b => "\b",
                      f => "\f", n => "\n", r => "\r", t => "\t");

        if (exists $simple{$e}) {
            $out .= $simple{$e};
            next;
        }

        _fail($s, "bad escape") if $e ne 'u';

        my $cp = _hex4($s);

        if ($cp >= 0xd800 && $cp <= 0xdbff) {
            _fail($s, "lone high surrogate")
                if substr($s->{text}, $s->{pos}, 2) ne '\\u';
            $s->{pos} += 2;
            my $lo = _hex4($s);
            _fail($s, "bad low surrogate") if $lo < 0xdc00 || $lo > 0xdfff;
            $cp = 0x10000 + (($cp - 0xd800) << 10) + ($lo - 0xdc00);

        } elsif ($cp >= 0xdc00 && $cp <= 0xdfff) {
            _fail($s, "lone low surrogate");
        }

        my $ch = chr($cp);
        utf8::encode($ch);
        $out .= $ch;
    }
}


sub _hex4 {
    my ($s) = @_;
    my $h = substr($s->{text}, $s->{pos}, 4);
    _fail($s, "bad \\u escape") if $h !~ /^[0-9a-fA-F]{4}$/;
    $s->{pos} += 4;
    return hex $h;
}


sub _encode_string {
    my ($str) = @_;
    $str =~ s/(["\\])/\\$1/g;
    $str =~ s/\n/\\n/g;
    $str =~ s/\r/\\r/g;
    $str =~ s/\t/\\t/g;
    $str =~ s/([\x00-\x1f])/sprintf('\\u%04x', ord $1)/ge;
    return '"' . $str . '"';
}


1;
