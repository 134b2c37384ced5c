# The error classes and constants are the core's tables, exactly: every row
# of the native error table has its class, whose @ISA is its parent's class,
# with the row's code and name; nothing else; the constants and the version
# agree with the native core.
use strict;
use warnings;
use Test::More;
use NWS;

my @rows = map { my $r = $_; +{ map { $_ => $r->{$_} } qw(id code parent kind name) } }
           NWS::Server::_items(NWS::Raw::error_kinds());
cmp_ok(scalar @rows, '>', 10, 'the native table has its rows');
my %by_id = map { $_->{id} => $_ } @rows;
sub class_of { my ($row) = @_; $row->{parent} eq 'none' ? 'NWS::Error' : "NWS::Error::$row->{kind}" }

my %classes;
for my $row (@rows) {
    my $class = class_of($row);
    $classes{$class} = 1;
    ok($class->can('kind_id'), "$class exists");
    is($class->kind_id, $row->{id}, "$class: id");
    is($class->kind_name, $row->{name}, "$class: name '$row->{name}'");
    is($class->kind_code, $row->{code} < 0 ? undef : $row->{code}, "$class: code");
    no strict 'refs';
    if ($row->{parent} eq 'none') {
        is_deeply(\@{"${class}::ISA"}, [], 'the root has no parent class');
    } else {
        is_deeply(\@{"${class}::ISA"}, [class_of($by_id{ $row->{parent} })], "$class isa its parent's class");
    }
    next if $row->{code} < 0;
    is(NWS::Raw::errc_name($row->{code}), $row->{name}, "code $row->{code} is '$row->{name}' natively");
    is($NWS::Tables::CLASS_OF_CODE{ $row->{code} }, $class, "code $row->{code} maps to $class");
    is($NWS::Tables::CLASS_OF_NAME{ $row->{name} }, $class, "'$row->{name}' maps to $class");
    # An error coming from the native layer gets the class of its kind.
    my $e = NWS::Error->_from_native(bless { code => $row->{name}, errc => $row->{code}, message => 'm',
                                             status => -1, reason => '' }, 'NWS::Error');
    is(ref $e, $class, "a native '$row->{name}' becomes $class");
}

# No class outside the table.
my @extra;
for my $name (keys %NWS::Error::) {
    next unless $name =~ /^(\w+)::$/;
    my $class = "NWS::Error::$1";
    no strict 'refs';
    push @extra, $class if @{"${class}::ISA"} && !$classes{$class};
}
is_deeply(\@extra, [], 'no error class outside the table');
ok(!NWS::Error::Interrupted->can('new'), 'a cancel is NWS::Error::Cancelled (there is no Interrupted)');
is_deeply([sort keys %NWS::Tables::CLASS_OF_NAME], [sort map { $_->{name} } @rows], 'the name map covers the table');

# Writer languages: the native names.
for my $id (sort keys %NWS::Tables::LANGUAGE) {
    my $n = $NWS::Tables::LANGUAGE{$id};
    next unless $n;
    is($NWS::Tables::LANGUAGE_NAME{$n}, NWS::Raw::language_name($n), "language $n is $NWS::Tables::LANGUAGE_NAME{$n}");
}
is($NWS::Tables::LANGUAGE{perl}, 4, "Perl's language id");

# The modes: every declarable one is accepted by the core, others refused.
my $server = NWS::LocalServer->start;
my $ws = NWS::NetWorkSpace->new('tables', $server->connect_options);
is_deeply([NWS::FIFO, NWS::LIFO, NWS::MULTI, NWS::SINGLE], \@NWS::Tables::MODES, 'the mode constants');
for my $mode (@NWS::Tables::DECLARABLE_MODES) {
    ok(eval { $ws->declare("var_$mode", $mode); 1 }, "mode '$mode' is declarable") or diag $@;
}
ok(!eval { $ws->declare('v', 'unknown'); 1 }, "the internal mode is not");

# The version: one number, from core/VERSION.
is($NWS::VERSION, NWS::Raw::version(), '$NWS::VERSION is the native version');
is($NWS::VERSION, $NWS::Tables::VERSION, 'and the tables\'');
is(NWS::native_version(), NWS::Raw::version(), 'NWS::native_version');
is($NWS::NetWorkSpace::VERSION, $NWS::VERSION, 'every module has it');
done_testing;
