package Test::Glossary::Terms;

# Terms as the input gives them against what the module serves: the term
# of a Nuxt payload as devalue.parse() gives it, and deep equality of
# decoded JSON with strings compared byte for byte.  Used by
# t/083-hostile-data.t and t/085-real-glossary.t.

use strict;
use warnings;

use Exporter 'import';

use Test::Glossary::CLI ();
use Test::Glossary::JSON qw(json_decode);

our @EXPORT_OK = qw(payload_term same payload_want);


# the term of a payload as devalue.parse() gives it, or a message
sub payload_term {
    my ($bytes) = @_;

    my $p = eval { json_decode($bytes) };
    return "not strict JSON: $@" unless ref $p eq 'ARRAY';

    my $root = eval { Test::Glossary::CLI::devalue($p, 0) };
    return "a reference does not resolve: $@" unless ref $root eq 'HASH';

    my @keys = keys %{ $root->{data} || {} };
    return "data holds " . scalar(@keys) . " keys" unless @keys == 1;

    return $root->{data}{ $keys[0] };
}


# deep equality of decoded JSON values, strings compared byte for byte
sub same {
    my ($x, $y) = @_;
    return !defined $y if !defined $x;
    return 0 if !defined $y || ref $x ne ref $y;
    if (ref $x eq 'ARRAY') {
        return 0 unless @$x == @$y;
        return !grep { !same($x->[$_], $y->[$_]) } 0 .. $#$x;
    }
    if (ref $x eq 'HASH') {
        return 0 unless join("\0", sort keys %$x) eq join("\0", sort keys %$y);
        return !grep { !same($x->{$_}, $y->{$_}) } keys %$x;
    }
    return $x eq $y;
}


# what a payload must hold for an input term: its fields, its own related
# names and its FAQ
sub payload_want {
    my ($t, @fields) = @_;
    my %w = map { $_ => $t->{$_} } 'slug', @fields;
    $w{relatedTerms} = [ map { { slug => $_->{slug}, name => $_->{name} } }
                         @{ $t->{relatedTerms} || [] } ];
    $w{faq} = [ map { { question => $_->{question}, answer => $_->{answer} } }
                @{ $t->{faq} || [] } ];
    return \%w;
}


1;
