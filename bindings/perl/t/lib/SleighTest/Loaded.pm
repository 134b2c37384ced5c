package SleighTest::Loaded;
# Loaded by the workers of a sleigh made with load => ['SleighTest::Loaded'].
use strict;
use warnings;
our $FLAG = "loaded by worker $$";
1;
