# The public API is the hand-written module: every documented method exists.
use strict;
use warnings;
use Test::More;

use_ok('NWS');
can_ok('NWS::NetWorkSpace', qw(new store fetch fetch_try find find_try declare delete_var list_vars ifetch ifind close));
can_ok('NWS::Iterator', qw(next next_try all reset));
for my $c (qw(Connection ConnectionDropped NoSuchWorkspace NotOpened DeclarationFailed OperationFailed
              ServerError Protocol Serialisation Interrupted Timeout Closed Unsupported InvalidArgument)) {
    ok("NWS::Error::$c"->isa('NWS::Error'), "NWS::Error::$c is an NWS::Error");
}
done_testing;
