package NWS::Sleigh::Elements;
# eachElem's elements -> each task's leading arguments, by the rule the
# caller chose (`by`):
#   element  (default) each element is the task's first argument;
#   arrays   each element is an array reference of the task's arguments;
#   columns  the elements are array references, one per argument, all of
#            one length: task i gets the i-th item of each (the original
#            eachElem's list of argument vectors).
# The elements may also be a code reference, called for the next element
# until it returns an empty list (a stream of unknown length).
use strict;
use warnings;
use NWS::Tables;
use NWS::Error;

our $VERSION = $NWS::Tables::VERSION;

my %BY = map { $_ => 1 } qw(element arrays columns);

# (next, total): next() gives the next task's leading arguments as an
# array reference, undef after the last; total is undef when unknown.
sub iterator {
    my ($what, $elements, $by) = @_;
    $by //= 'element';
    _refuse($what, "by must be one of element, arrays, columns, not '$by'") unless $BY{$by};
    my $ref = ref $elements;
    if ($ref eq 'CODE') {
        _refuse($what, "a code reference gives elements one at a time: by 'columns' needs arrays") if $by eq 'columns';
        my $i = 0;
        return (sub {
            my @e = $elements->();
            return undef unless @e;
            return $by eq 'arrays' ? _arguments($what, $e[0], $i++) : [$e[0]];
        }, undef);
    }
    _refuse($what, 'the elements must be an array reference or a code reference, not '
                 . (defined $elements ? ($ref ? "a $ref reference" : "'$elements'") : 'undef'))
        unless $ref eq 'ARRAY';
    my $i = 0;
    if ($by eq 'element') {
        return (sub { $i < @$elements ? [$elements->[$i++]] : undef }, scalar @$elements);
    }
    if ($by eq 'arrays') {
        return (sub { $i < @$elements ? _arguments($what, $elements->[$i], $i++) : undef }, scalar @$elements);
    }
    for my $k (0 .. $#$elements) {
        _refuse($what, "by 'columns': argument $k is not an array reference") unless ref $elements->[$k] eq 'ARRAY';
    }
    my $n = @$elements ? scalar @{ $elements->[0] } : 0;
    for my $k (1 .. $#$elements) {
        my $m = @{ $elements->[$k] };
        _refuse($what, "by 'columns': argument $k has $m elements, argument 0 has $n (they must be of one length)")
            if $m != $n;
    }
    return (sub {
        return undef if $i >= $n;
        my $at = $i++;
        return [map { $_->[$at] } @$elements];
    }, $n);
}

sub _arguments {
    my ($what, $e, $i) = @_;
    _refuse($what, "by 'arrays': element $i is not an array reference") unless ref $e eq 'ARRAY';
    return [@$e];
}

sub _refuse { NWS::Error::InvalidArgument->throw(message => "$_[0]: $_[1]") }

1;

__END__

=head1 NAME

NWS::Sleigh::Elements - how eachElem's elements become arguments (internal)

=head1 DESCRIPTION

Internal to the NWS distribution: see L<NWS::Sleigh/eachElem>.

=cut
