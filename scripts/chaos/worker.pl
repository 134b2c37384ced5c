# A chaos-test client in Perl (scripts/chaos.sh): a producer or a consumer,
# as scripts/chaos/worker.py describes.
#
#   perl worker.pl producer|consumer ID OUTDIR
use strict;
use warnings;
use IO::Handle;
use Scalar::Util qw(blessed);
use Time::HiRes qw(sleep);
use NWS;

sub connect_ws {
    while (1) {
        my $ws = eval { NWS::NetWorkSpace->new('chaos', persistent => 1) };
        return $ws if $ws;
        die $@ unless blessed($@) && $@->isa('NWS::Error');
        sleep 0.05;    # the server is restarting
    }
}

sub nws_error { blessed($_[0]) && $_[0]->isa('NWS::Error') }

sub produce {
    my ($ident, $outdir) = @_;
    open my $out, '>>', "$outdir/produced-$ident" or die "produced-$ident: $!";
    $out->autoflush(1);
    my $ws = connect_ws();
    my $n  = 0;
    while (1) {
        $n++;
        if (eval { $ws->store('queue', "$ident:$n"); 1 }) {
            print {$out} "$n\n";
        } else {
            die $@ unless nws_error($@);
            $ws = connect_ws();    # the answer was lost: never store this number again
        }
    }
}

sub consume {
    my ($ident) = @_;
    my $ws = connect_ws();
    while (1) {
        next if eval {
            my $lease = $ws->lease('queue', duration => 5, timeout => 1);
            $lease->ack_store('done', $lease->value . "|$ident");
            1;
        };
        my $err = $@;
        die $err unless nws_error($err);
        $ws = connect_ws() unless $err->isa('NWS::Error::Timeout');
    }
}

my ($role, $ident, $outdir) = @ARGV;
$role eq 'producer' ? produce($ident, $outdir) : consume($ident);
