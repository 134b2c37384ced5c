#!/usr/bin/env bash
# The chaos test: producers and consumers in Python, Ruby and Perl move
# numbered values through leased fetches into a durable workspace while
# clients are SIGKILLed at random and the server is SIGKILLed and restarted
# every few seconds; at the end it prints the counts of produced, consumed,
# duplicated and lost values, and fails unless the last two are 0.
#
#   scripts/chaos.sh [--seconds S] [--languages python,ruby,perl] [--seed N]
#
# Uses the packages the binding test scripts installed (scripts/lib/bindings.sh)
# and build/core/nws-server; scripts/test.sh runs a 60-second cut of it.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/bindings.sh
use_installed_perl_ruby
[ -x "$NWS_PYTHON" ] || { echo "chaos: no Python binding at $NWS_PYTHON (run scripts/test-python.sh first)" >&2; exit 1; }
exec "$NWS_PYTHON" scripts/chaos/chaos.py --server "${NWS_SERVER_BINARY:-$PWD/build/core/nws-server}" "$@"
