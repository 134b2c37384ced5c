# Every module has POD, and it is clean (what podchecker checks), and every
# public method of the API classes is documented in its =item list.
use strict;
use warnings;
use Test::More;
use Pod::Checker ();
use NWS;
use NWS::TextFile;
use NWS::Sleigh;
use NWS::Sleigh::Worker;

my @modules = sort grep { m{^NWS(?:/|\.pm\z)} } keys %INC;
cmp_ok(scalar @modules, '>=', 10, 'the modules are loaded');
for my $m (@modules) {
    my $checker = Pod::Checker->new(-warnings => 2);
    open(my $out, '>', \my $report) or die;
    $checker->parse_from_file($INC{$m}, $out);
    ok($checker->num_errors == 0 && $checker->num_warnings == 0 && $checker->content_seen, "$m: POD clean")
        or diag $report || 'no POD';
}

# The public methods: subs whose names do not start with _ or are all caps.
for my $class (qw(NWS NWS::Server NWS::NetWorkSpace NWS::Iterator NWS::Lease NWS::LocalServer NWS::Error NWS::Timestamp
                  NWS::Table NWS::Sleigh NWS::Sleigh::Pending NWS::Sleigh::TaskError NWS::Sleigh::Worker)) {
    (my $file = "$class.pm") =~ s{::}{/}g;
    open(my $fh, '<', $INC{$file}) or die "$INC{$file}: $!";
    my $text = do { local $/; <$fh> };
    my ($pod) = $text =~ /^(=head1.*)/ms;
    my %documented = map { $_ => 1 } ($pod // '') =~ /^=item\s+(?:\$?[\w:]+->)?(\w+)/mg;
    $documented{$_} = 1 for ($pod // '') =~ /^=item\s+.*?,\s*(\w+)/mg;   # "=item host, port"
    while ($pod && $pod =~ /^=(?:item|head2)\s+(.*)$/mg) { $documented{$_} = 1 for $1 =~ /(\w+)(?:\(|,|$)/g }
    no strict 'refs';
    my @subs = grep { !/^[_(]/ && !/^[A-Z_]+\z/ && defined &{"${class}::$_"} } keys %{"${class}::"};
    # (imported helpers are not methods)
    @subs = grep { !/^(?:blessed|openhandle)\z/ } @subs;
    for my $sub (sort @subs) {
        my $code = \&{"${class}::$sub"};
        require B;
        next unless B::svref_2object($code)->GV->STASH->NAME eq $class;   # defined in this class
        ok($documented{$sub}, "$class\::$sub is documented");
    }
}
done_testing;
