#!/usr/bin/env bash
# Trivial-task throughput of every language's sleigh, in one run: N tasks
# of x -> x + 1 on 2 local workers of the master's own language, best of
# --repeat runs, each pool started and warmed up before it is timed.  Python
# and R give two rows each (their own serialised closures, and a named
# function on the portable path every cross-language job takes); Java two
# (serializable lambdas, a named static method); Perl and Ruby one (named
# functions are their only kind).  Each master starts a server inside
# itself, so the languages run one after the other on an idle server.
#
#   bench/sleigh/languages.sh [--tasks 20000] [--repeat 3]
#
# Uses what the binding scripts installed (scripts/lib/bindings.sh): run
# scripts/test.sh (or each scripts/test-<language>.sh) first.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
tasks=20000
repeat=3
while [ $# -gt 0 ]; do
  case $1 in
    --tasks) tasks=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    *) echo "usage: bench/sleigh/languages.sh [--tasks N] [--repeat N]" >&2; exit 2 ;;
  esac
done
. "$ROOT/scripts/lib/bindings.sh"
use_installed_perl_ruby
export R_LIBS=$NWS_R_LIB
unset NWS_HOST NWS_PORT
work=$(mktemp -d /tmp/nws-bench-languages.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work"  # not the source tree: each language loads its installed package

echo "$tasks trivial tasks (x -> x + 1) on 2 local workers, $(nproc) cores; best of $repeat"
echo "| sleigh | tasks/s |"
echo "|---|---:|"
"$NWS_PYTHON" "$HERE/python/trivial.py" --tasks "$tasks" --repeat "$repeat"
Rscript "$HERE/r/trivial.R" --tasks "$tasks" --repeat "$repeat"
"$HERE/java/run.sh" --tasks "$tasks" --repeat "$repeat"
perl "$HERE/perl/bench.pl" --tasks "$tasks" --repeat "$repeat"
ruby "$HERE/ruby/bench.rb" --tasks "$tasks" --repeat "$repeat"
