# The public API is the hand-written modules: every documented method exists.
use strict;
use warnings;
use Test::More;

use_ok('NWS');
can_ok('NWS::Server', qw(new connect open_ws use_ws mktemp_ws delete_ws list_wss list_vars close closed host port));
can_ok('NWS::NetWorkSpace', qw(new name current_ws server store fetch fetch_try find find_try declare delete_var
                               list_vars ifetch ifind ifetch_try ifind_try store_file fetch_file find_file
                               fetch_try_file find_try_file makefile close closed portable));
can_ok('NWS::Timestamp', qw(new nanoseconds seconds epoch iso8601));
can_ok('NWS::Table', qw(new names column rows));
can_ok('NWS::Iterator', qw(next next_try all write_to reset variable consuming blocking));
can_ok('NWS::LocalServer', qw(new start host port address connect_options running stop));
can_ok('NWS::Error', qw(new throw code errc message status reason as_string kind_id kind_code kind_name));
can_ok('NWS::Error::Cancelled', qw(has_value value cause));
can_ok('NWS::Error::Serialisation', qw(descriptor bytes language));
use_ok('NWS::Sleigh');
can_ok('NWS::Sleigh', qw(new eachElem eachWorker status workerInfo stop stopped wsName userWsName nwsHost nwsPort
                         language launched workersAlive manualCommand nws userNws));
can_ok('NWS::Sleigh::Pending', qw(check wait remaining ranks));
can_ok('NWS::Sleigh::TaskError', qw(new index rank message as_string));
use_ok('NWS::Sleigh::Worker');
can_ok('NWS::Sleigh::Worker', qw(main run userNws));
is(NWS->FIFO, 'fifo', 'the mode constants');
use NWS qw(:modes);
is_deeply([FIFO, LIFO, MULTI, SINGLE], [qw(fifo lifo multi single)], 'exported with :modes');
like($NWS::VERSION, qr/\A\d+\.\d+\.\d+\z/, 'a version');
done_testing;
