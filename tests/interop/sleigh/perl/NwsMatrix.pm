package NwsMatrix;
# The sleigh matrix's function in Perl, NwsMatrix::combine (any language's
# master runs it on Perl workers: tests/interop/sleigh/run.sh).
use strict;
use warnings;

# combine(i, x, label, tags) -> {i => i + 1, x => x * 2, label => "label@perl",
# n => number of tags, lang => "perl"}.
sub combine {
    my ($i, $x, $label, $tags) = @_;
    return {
        i     => $i + 1,
        # A product Perl can hold as an integer (x a whole number) would go
        # as one; through pack/unpack it is a floating number, as x was.
        x     => unpack('d', pack('d', $x * 2)),
        label => "$label\@perl",
        n     => scalar @$tags,
        lang  => 'perl',
    };
}

1;
