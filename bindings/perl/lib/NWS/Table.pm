package NWS::Table;
# A table as portable values hold it: named columns of equal length, in
# order (a data frame in R and pandas).  Perl has no such type, and a hash
# of arrays forgets the order and is a map anyway, so tables read as these
# objects and only these objects write as tables.
use strict;
use warnings;
use NWS::Tables;
use NWS::Error;

our $VERSION = $NWS::Tables::VERSION;

sub new {
    my ($class, @pairs) = @_;
    my $bad = sub { NWS::Error::InvalidArgument->throw(message => "$class->new: $_[0]") };
    $bad->('columns come in name => array reference pairs') if @pairs % 2;
    my (@names, %columns);
    while (my ($name, $column) = splice @pairs, 0, 2) {
        $bad->('a column name must be defined') unless defined $name;
        $bad->("two columns named '$name'") if exists $columns{$name};
        $bad->("column '$name' is not an array reference") unless ref $column eq 'ARRAY';
        $bad->("column '$name' has " . @$column . " rows, column '$names[0]' " . @{ $columns{ $names[0] } })
            if @names && @$column != @{ $columns{ $names[0] } };
        push @names, "$name";
        $columns{$name} = $column;
    }
    return bless { names => \@names, columns => \%columns }, $class;
}

sub names  { @{ $_[0]{names} } }
sub column { $_[0]{columns}{ $_[1] } }
sub rows   { my ($self) = @_; @{ $self->{names} } ? scalar @{ $self->{columns}{ $self->{names}[0] } } : 0 }

1;

__END__

=head1 NAME

NWS::Table - named columns of equal length, as portable values hold tables

=head1 SYNOPSIS

    use NWS;
    my $t = NWS::Table->new(x => [1.5, 2.5], n => [1, 2], s => ['a', 'b']);
    $ws->store('frame', $t, portable => 1);    # R reads a data.frame, Python a DataFrame
    my $back = $ws->fetch('frame');             # an NWS::Table
    for my $name ($back->names) { print "$name: @{ $back->column($name) }\n" }

=head1 DESCRIPTION

Portable values (see L<NWS/Values>) have a table type: named columns, each a
vector (numbers, booleans, strings or L<NWS::Timestamp>s; C<undef> for a
missing element), all of one length.  Tables are read as C<NWS::Table>
objects, which keep the columns' order, and C<NWS::Table> objects are
written as tables.  A plain hash of arrays is written as a map.

A column's type is what an array of its values writes as: integers as
64-bit integers, numbers with one floating value as doubles, and so on; a
column with no defined element (none at all, or all missing) is written as
doubles.  A column of anything else (references, a mixture of types) cannot
be written: storing the table dies with C<NWS::Error::Serialisation>.

=head1 METHODS

=over 4

=item new(name => \@column, ...)

A table of the columns given, in that order.  Names must be distinct and
the columns array references of one length, else
C<NWS::Error::InvalidArgument>.  The arrays are kept, not copied.

=item names

The column names, in order.

=item column($name)

The array reference of a column (undef if there is none of that name).

=item rows

The number of rows (0 for a table without columns).

=back

=cut
