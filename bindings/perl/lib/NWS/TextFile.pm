package NWS::TextFile;
# A file handle over a variable holding lines of text (NWS::NetWorkSpace's
# makefile): a tied handle, so print, printf, <$fh>, read, eof and close
# work as on a file.
use strict;
use warnings;
use Scalar::Util ();
use Symbol ();
use NWS::Tables;
use NWS::Error;
# Loaded first so that its END block (which stops this process's servers)
# runs after ours (END blocks run last-compiled first).
use NWS::LocalServer ();

our $VERSION = $NWS::Tables::VERSION;

my %MODE = ('<' => 'r', 'r' => 'r', '>' => 'w', 'w' => 'w', '>>' => 'a', 'a' => 'a');

sub open {
    my ($class, $ws, $var, $mode) = @_;
    my $m = $MODE{ $mode // '' }
        or NWS::Error::InvalidArgument->throw(
            message => "makefile: unknown mode '" . ($mode // 'undef') . "': use '<' (read), '>' (write) or '>>' (append)");
    if ($m eq 'w') {
        # Empty the variable; there may be nothing to empty.
        eval { $ws->delete_var($var); 1 } or do {
            my $e = $@;
            die $e unless ref $e && $e->isa('NWS::Error::Operation');
        };
    }
    $ws->declare($var, 'fifo');
    my $fh = Symbol::gensym();
    tie *$fh, $class, $ws, $var, $m;
    return $fh;
}

# Handles being written (weak references): text after their last newline is
# stored at the latest when the program ends, before Perl's global
# destruction, while the connection can still be used.
my %WRITING;

sub TIEHANDLE {
    my ($class, $ws, $var, $mode) = @_;
    my $self = bless { ws => $ws, var => $var, mode => $mode, pending => '', unread => '', closed => 0,
                       it => $mode eq 'r' ? $ws->ifind_try($var) : undef }, $class;
    Scalar::Util::weaken($WRITING{ Scalar::Util::refaddr($self) } = $self) if $mode ne 'r';
    return $self;
}

sub _check {
    my ($self, $reading) = @_;
    NWS::Error::InvalidArgument->throw(message => "makefile '$self->{var}': the handle is closed")
        if $self->{closed};
    NWS::Error::InvalidArgument->throw(
        message => "makefile '$self->{var}': " . ($reading ? 'reading a handle opened for writing'
                                                            : 'writing to a handle opened for reading'))
        if $reading != ($self->{mode} eq 'r');
}

# ---- writing: each completed line becomes one value ----

sub _write {
    my ($self, $text) = @_;
    $self->_check(0);
    $text = $self->{pending} . $text;
    while ($text =~ s/\A([^\n]*\n)//) { $self->{ws}->store($self->{var}, $1) }
    $self->{pending} = $text;
    return 1;
}

sub PRINT {
    my $self = shift;
    return $self->_write(join(defined $, ? $, : '', map { defined $_ ? $_ : '' } @_) . (defined $\ ? $\ : ''));
}

sub PRINTF {
    my ($self, $format, @args) = @_;
    return $self->_write(sprintf($format, @args));
}

sub WRITE {
    my ($self, $buf, $len, $offset) = @_;
    my $s = substr($buf, $offset // 0, $len // length $buf);
    $self->_write($s);
    return length $s;
}

# Text written since the last newline becomes a value of its own.
sub _flush {
    my ($self) = @_;
    return if $self->{mode} eq 'r' || $self->{pending} eq '';
    my $text = $self->{pending};
    $self->{pending} = '';
    $self->{ws}->store($self->{var}, $text);
}

# ---- reading: the values as one stream of text ----

# Moves the next value into the unread text; false at the end.
sub _more {
    my ($self) = @_;
    my ($value) = $self->{it}->next_try or return 0;
    NWS::Error::InvalidArgument->throw(message => "makefile '$self->{var}': a value is not a string")
        if ref $value || !defined $value;
    $self->{unread} .= $value;
    return 1;
}

sub _line {
    my ($self) = @_;
    my $sep = $/;
    if (!defined $sep) {
        1 while $self->_more;
    } else {
        $sep = "\n\n" if $sep eq '';
        1 while index($self->{unread}, $sep) < 0 && $self->_more;
    }
    return undef if $self->{unread} eq '';
    my $cut = defined $sep && index($self->{unread}, $sep) >= 0 ? index($self->{unread}, $sep) + length $sep
                                                                : length $self->{unread};
    return substr($self->{unread}, 0, $cut, '');
}

sub READLINE {
    my ($self) = @_;
    $self->_check(1);
    return $self->_line unless wantarray;
    my @lines;
    while (defined(my $l = $self->_line)) { push @lines, $l }
    return @lines;
}

sub READ {
    my ($self, undef, $len, $offset) = @_;
    $self->_check(1);
    1 while length($self->{unread}) < $len && $self->_more;
    my $s = substr($self->{unread}, 0, $len, '');
    substr($_[1], $offset // 0) = $s;
    return length $s;
}

sub GETC {
    my ($self) = @_;
    $self->_check(1);
    $self->_more if $self->{unread} eq '';
    return $self->{unread} eq '' ? undef : substr($self->{unread}, 0, 1, '');
}

sub EOF {
    my ($self) = @_;
    return 1 if $self->{closed} || $self->{mode} ne 'r';
    return $self->{unread} eq '' && !$self->_more ? 1 : 0;
}

# ---- the rest of a handle ----

sub CLOSE {
    my ($self) = @_;
    return 1 if $self->{closed};
    delete $WRITING{ Scalar::Util::refaddr($self) };
    $self->{closed} = 1;
    $self->_flush;
    return 1;
}

sub BINMODE { 1 }
sub FILENO  { undef }

sub DESTROY {
    my ($self) = @_;
    return if ${^GLOBAL_PHASE} eq 'DESTRUCT';   # END below did it
    local $@;
    eval { $self->CLOSE };
}

END {
    local ($@, $!, $?);
    eval { $_->CLOSE } for grep { defined } values %WRITING;
}

1;

__END__

=head1 NAME

NWS::TextFile - a file handle over a variable holding lines of text

=head1 SYNOPSIS

    my $out = $ws->makefile('log', '>');    # empties 'log'
    print $out "first line\n";             # one value per line
    printf $out "%d items\n", 3;
    close $out;                            # text after the last newline is stored too

    my $in = $ws->makefile('log', '<');
    while (my $line = <$in>) { print "read: $line" }

=head1 DESCRIPTION

Made by L<NWS::NetWorkSpace>'s C<makefile>: a tied file handle over a FIFO
variable.  Writing (C<< '>' >> empties the variable first, C<<< '>>' >>> appends):
every completed line, with its newline, is stored as one value; text after
the last newline is stored when the handle is closed.  Reading (C<< '<' >>):
the values, walked with an C<ifind_try> iterator (so they stay in place), read
as one stream of text that ends at the newest value.  A value that is not a
string dies with C<NWS::Error::InvalidArgument>.

The handle supports C<print>, C<printf>, C<syswrite>, C<readline> (C<< <$fh> >>,
honouring C<$/>), C<read>, C<getc>, C<eof> and C<close>.

=head1 METHODS

=over 4

=item open($ws, $var, $mode)

The handle (a glob reference), as C<< $ws->makefile($var, $mode) >> returns it.

=back

=cut
