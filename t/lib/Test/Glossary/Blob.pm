package Test::Glossary::Blob;

# A blob's bytes read as src/blob/FORMAT.md describes them, independently
# of the C reader: the header, the section table, the document records of
# each kind (format 2.0 kind by kind, 1.x term by term), and where their
# bytes lie.  For the tests of the layout and of the kinds a build holds.

use strict;
use warnings;

use Exporter 'import';

our @EXPORT_OK = qw(blob_parse blob_doc blob_areas);


# { major, minor, terms, dpt, globals, flags, kinds => [...], sec => {id =>
# [offset, size]}, bytes => \$blob }
sub blob_parse {
    my ($blob) = @_;

    my ($major, $minor) = unpack('v v', substr($blob, 8, 4));
    my ($nsec, $table) = unpack('V Q<', substr($blob, 36, 12));
    my ($terms, $dpt, $globals, $flags)
        = unpack('V V V V', substr($blob, 56, 16));
    my ($mask) = unpack('Q<', substr($blob, 80, 8));

    my %sec;
    for my $i (0 .. $nsec - 1) {
        my ($id, undef, $off, $size)
            = unpack('V V Q< Q<', substr($blob, $table + 24 * $i, 24));
        $sec{$id} = [$off, $size];
    }

    my @kinds = $major == 1 ? (0 .. $dpt - 1)
                            : grep { ($mask >> $_) & 1 } 0 .. 63;

    return { major => $major, minor => $minor, terms => $terms, dpt => $dpt,
             globals => $globals, flags => $flags, mask => $mask,
             kinds => \@kinds, sec => \%sec, bytes => \$blob };
}


# the eight numbers of a record: body, etag, gzip body, gzip etag, each
# (offset, length); () when the blob has no documents of that kind
sub blob_doc {
    my ($b, $id, $kind) = @_;

    my ($slot) = grep { $b->{kinds}[$_] == $kind } 0 .. $#{ $b->{kinds} };
    return () unless defined $slot;

    my $i = $b->{major} == 1 ? $id * $b->{dpt} + $kind
                             : $slot * $b->{terms} + $id;

    return unpack('Q< Q< Q< Q< Q< Q< Q< Q<',
                  substr(${ $b->{bytes} }, $b->{sec}{4}[0] + 64 * $i, 64));
}


# every part of the terms' documents, in the order the kinds are stored:
# [kind, part, first byte, end, bytes] with part body, etag, gzip, gzip-etag
# (the parts without any byte left out)
sub blob_areas {
    my ($b) = @_;
    my @areas;
    my @parts = qw(body etag gzip gzip-etag);

    for my $kind (@{ $b->{kinds} }) {
        for my $p (0 .. 3) {
            my ($lo, $hi, $sum);
            for my $id (0 .. $b->{terms} - 1) {
                my @r = blob_doc($b, $id, $kind);
                my ($off, $len) = @r[2 * $p, 2 * $p + 1];
                next unless $len;
                $lo = $off if !defined $lo || $off < $lo;
                $hi = $off + $len if !defined $hi || $off + $len > $hi;
                $sum += $len;
            }
            push @areas, [$kind, $parts[$p], $lo, $hi, $sum] if defined $lo;
        }
    }

    return @areas;
}


1;
