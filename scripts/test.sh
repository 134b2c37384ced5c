#!/usr/bin/env bash
# Every test of every language: set up, build (plain and with
# AddressSanitizer + LeakSanitizer), run all suites: C++ (GoogleTest via
# ctest), each binding's suite with its README's programs, the README's own
# programs, then every language with every other.
set -euo pipefail
cd "$(dirname "$0")/.."
NWS_ASAN=1 scripts/setup.sh

echo "=== C++ suites (release build)"
ctest --test-dir build --output-on-failure -j 2 --timeout 600

echo "=== socket and engine suites under AddressSanitizer + LeakSanitizer"
# The sanitized server must exit cleanly; leaks fail the run.  Left out
# here, run in the release build above: the 2.5 GiB value (HugeValue, too
# slow under ASan) and the out-of-memory test (OutOfMemory: ASan's shadow
# memory cannot live under an address-space limit).
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir build-asan --output-on-failure -j 2 --timeout 900 -E 'HugeValue|OutOfMemory'

echo "=== Python binding (3.11 and the newest Python here), and its sdist installed on its own"
scripts/test-python.sh --sdist

echo "=== The server's web interface: JSON API, /metrics, pages, bad HTTP, and headless Chromium (release and ASan servers)"
scripts/test-web.sh

echo "=== R binding: R CMD check of the tarball, testthat, its README's programs, and the tarball installed alone"
scripts/test-r.sh

echo "=== Java binding: JUnit 5 through Maven, and the jar alone on a classpath"
scripts/test-java.sh

echo "=== Perl binding: the CPAN dist built, installed without SWIG, and its suite"
scripts/test-perl.sh

echo "=== Ruby binding: the gem built, installed without SWIG, and its suite"
scripts/test-ruby.sh

# After every binding's suite: the launcher tests use what they installed.
echo "=== The sleigh's launchers: ssh against a real sshd, SLURM on a one-node SLURM (workers of all five languages)"
scripts/test-sleigh.sh

echo "=== The top-level README's C++ and Python programs"
scripts/test-readme.sh

echo "=== Every language with every other: the 25-pair matrix, blocked fetches released across languages, the pipeline, sleighs across languages (25 pairs) and the fuel example"
scripts/test-interop.sh

echo "=== Chaos: producers and consumers in Python, Ruby and Perl through leased fetches, clients and server SIGKILLed (60 s cut of scripts/chaos.sh)"
scripts/chaos.sh --seconds 60
