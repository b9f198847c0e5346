package Test::Glossary::HTML;

# A small HTML reader for the tests, core Perl only: the element tree a
# browser would build from a page, close enough to tell what a page says
# from what its markup does.  It reads start and end tags with their
# attributes (unquoted, single- or double-quoted values), void elements,
# comments, the doctype, raw text in script and style, escapable raw text
# in title and textarea, and character references in text and attribute
# values.  An end tag closes the nearest open element of its name (and
# those opened after it); one that matches nothing is ignored.  Text is
# UTF-8 bytes, as the pages are.
#
#     my $doc = html_parse($page);
#     my ($h1) = html_find($doc, 'h1');
#     is(html_text($h1), $term);
#     is(scalar html_elements($h1), 0);
#     my ($m) = html_find($doc, 'meta', name => 'description');
#     is($m->{attrs}{content}, $description);
#
# Nodes: elements are { tag => 'h1', attrs => { name => value },
# children => [...] } (tag names and attribute names in lower case), text
# is a plain string; the document is an element named "#document".

use strict;
use warnings;

use Exporter 'import';

our @EXPORT_OK = qw(html_parse html_find html_text html_elements
                    html_decode);

my %VOID = map { $_ => 1 } qw(area base br col embed hr img input link meta
                              source track wbr);
my %RAW = map { $_ => 1 } qw(script style);
my %RCDATA = map { $_ => 1 } qw(title textarea);

my %ENTITY = (amp => '&', lt => '<', gt => '>', quot => '"', apos => "'",
              nbsp => "\xc2\xa0", middot => "\xc2\xb7",
              mdash => "\xe2\x80\x94", ndash => "\xe2\x80\x93",
              ldquo => "\xe2\x80\x9c", rdquo => "\xe2\x80\x9d");


# character references of text or an attribute value, as UTF-8 bytes
sub html_decode {
    my ($s) = @_;

    $s =~ s{&(?:#[xX]([0-9A-Fa-f]+)|#([0-9]+)|([A-Za-z][A-Za-z0-9]*));}{
        my $c = defined $1 ? hex $1 : defined $2 ? $2 : undef;
        if (defined $c) {
            my $ch = chr($c > 0x10ffff ? 0xfffd : $c);
            utf8::encode($ch);
            $ch;
        } else {
            exists $ENTITY{$3} ? $ENTITY{$3} : "&$3;";
        }
    }ge;

    return $s;
}


sub html_parse {
    my ($html) = @_;

    my $doc = { tag => '#document', attrs => {}, children => [] };
    my @open = ($doc);
    my $len = length $html;
    my $pos = 0;

    my $text = sub {
        my ($t) = @_;
        return if $t eq '';
        my $kids = $open[-1]{children};
        if (@$kids && !ref $kids->[-1]) {
            $kids->[-1] .= $t;
        } else {
            push @$kids, $t;
        }
    };

    while ($pos < $len) {
        my $lt = index($html, '<', $pos);

        if ($lt < 0) {
            $text->(html_decode(substr($html, $pos)));
            last;
        }

        $text->(html_decode(substr($html, $pos, $lt - $pos)));
        $pos = $lt;
        pos($html) = $pos;

        if (substr($html, $pos, 4) eq '<!--') {
            my $end = index($html, '-->', $pos + 4);
            $pos = $end < 0 ? $len : $end + 3;
            next;
        }

        if ($html =~ /\G<[!?][^>]*>?/gc) {
            $pos = pos($html);
            next;
        }

        if ($html =~ m{\G</([A-Za-z][^\s/>]*)[^>]*>?}gc) {
            $pos = pos($html);
            my $name = lc $1;
            for my $i (reverse 1 .. $#open) {
                next unless $open[$i]{tag} eq $name;
                splice @open, $i;
                last;
            }
            next;
        }

        if ($html !~ m{\G<([A-Za-z][^\s/>]*)}gc) {
            $text->('<');
            $pos++;
            next;
        }

        my $name = lc $1;
        my %attrs;

        for (;;) {
            $html =~ m{\G[\s/]*}gc;
            last if $html =~ m{\G>}gc || pos($html) >= $len;

            $html =~ m{\G([^\s/>=][^\s/>=]*)}gc or do { pos($html)++; next };
            my $an = lc $1;
            my $av = '';

            if ($html =~ m{\G\s*=\s*}gc) {
                if ($html =~ m{\G"([^"]*)"?}gc || $html =~ m{\G'([^']*)'?}gc
                    || $html =~ m{\G([^\s>]*)}gc)
                {
                    $av = html_decode($1);
                }
            }

            $attrs{$an} = $av unless exists $attrs{$an};
        }

        $pos = pos($html) // $len;

        my $el = { tag => $name, attrs => \%attrs, children => [] };
        push @{ $open[-1]{children} }, $el;

        next if $VOID{$name};

        if ($RAW{$name} || $RCDATA{$name}) {
            my $end = index(lc $html, "</$name", $pos);
            $end = $len if $end < 0;
            my $raw = substr($html, $pos, $end - $pos);
            push @{ $el->{children} }, $RCDATA{$name} ? html_decode($raw) : $raw
                if $raw ne '';
            pos($html) = $end;
            $html =~ m{\G</[^>]*>?}gc;
            $pos = pos($html) // $len;
            next;
        }

        push @open, $el;
    }

    return $doc;
}


# the elements below $node named $tag (any with '*') whose attributes
# have the given values ("class" matches one of the element's classes)
sub html_find {
    my ($node, $tag, %want) = @_;
    my @found;

    for my $c (@{ $node->{children} }) {
        next unless ref $c;

        my $ok = $tag eq '*' || $c->{tag} eq $tag;

        for my $k (keys %want) {
            my $v = $c->{attrs}{$k};
            $ok &&= defined $v
                    && ($k eq 'class' ? grep { $_ eq $want{$k} } split ' ', $v
                                      : $v eq $want{$k});
        }

        push @found, $c if $ok;
        push @found, html_find($c, $tag, %want);
    }

    return @found;
}


# the text of a node and everything below it (the DOM's textContent)
sub html_text {
    my ($node) = @_;
    return $node unless ref $node;
    return join '', map { html_text($_) } @{ $node->{children} };
}


# the element children of a node
sub html_elements {
    my ($node) = @_;
    return grep { ref } @{ $node->{children} };
}


1;
