#!/usr/bin/env bash
# Builds, installs and tests the Perl distribution the way users get it:
#   1. `perl Makefile.PL && make dist` in bindings/perl (stages the core,
#      the SWIG wrapper and the tables: needs swig, python3, cmake);
#   2. unpacks the archive into an empty directory and, with a PATH that has
#      no swig, `perl Makefile.PL INSTALL_BASE=build-perl/inst && make &&
#      make test && make install` (the installed copy stays: the interop
#      tests use it: PERL5LIB=build-perl/inst/lib/perl5);
#   3. prove against the installed copy; podchecker on every installed module;
#   4. every ```perl block of bindings/perl/README.md (tests/readme/run_snippets.py)
#      against a fresh nws-server, with PERL5LIB at the installed copy;
#   5. "installed alone": a fresh process with only that PERL5LIB and no swig
#      on PATH starts NWS::LocalServer and runs a store/fetch round trip.
# Exits non-zero on any failure or missing tool.
# NWS_SERVER_BINARY: the server for the README snippets (default: build/core/nws-server).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
work=$repo/build-perl
inst=$work/inst
server=${NWS_SERVER_BINARY:-$repo/build/core/nws-server}
export MAKEFLAGS=-j2   # the machine is shared
# Helper programs the suite runs (python3 for the race test) must be there:
# a missing one fails the run instead of skipping a test.
export NWS_TEST_REQUIRE_ALL=1

log() { printf '\n=== %s\n' "$*"; }
fail() { echo "test-perl: FAIL: $*" >&2; exit 1; }

log "tools"
for tool in perl make g++ swig python3 cmake prove podchecker tar; do
  command -v "$tool" >/dev/null || fail "$tool not found (scripts/setup.sh installs it)"
done
perl -MTest::More -MStorable -MEncode -e1 || fail "Perl's core modules Test::More, Storable or Encode are missing"
[ -x "$server" ] || fail "no nws-server at $server (build it first, or set NWS_SERVER_BINARY)"

rm -rf "$work"
mkdir -p "$work/dist" "$work/noswig-bin"

# A PATH without swig: every program of the current PATH but swig, linked
# into one directory.
IFS=: read -r -a path_dirs <<<"$PATH"
for dir in "${path_dirs[@]}"; do
  [ -d "$dir" ] || continue
  for prog in "$dir"/*; do
    name=${prog##*/}
    [ -x "$prog" ] && [ ! -d "$prog" ] && [ ! -e "$work/noswig-bin/$name" ] || continue
    case $name in swig*|ccache-swig*) continue ;; esac
    ln -s "$prog" "$work/noswig-bin/$name"
  done
done
noswig_path=$work/noswig-bin
PATH=$noswig_path command -v swig >/dev/null && fail "the PATH without swig still finds swig"

log "build the dist archive (bindings/perl)"
(cd "$repo/bindings/perl" && perl Makefile.PL && make dist)
dist=$(ls "$repo"/bindings/perl/NWS-*.tar.gz)
mv "$dist" "$work/"
dist=$work/${dist##*/}
echo "$dist"
listing=$(tar -tzf "$dist")
if grep -q '\.i$\|/\.git' <<<"$listing"; then fail "the dist carries repository files"; fi
for f in nws_wrap.cxx lib/NWS/Raw.pm lib/NWS/Tables.pm nwscore/Makefile nwscore/VERSION facade/facade.cpp t/race_peer.py; do
  grep -q "^NWS-[^/]*/$f\$" <<<"$listing" || fail "the dist lacks $f"
done

log "install from the unpacked dist, without swig"
tar -xzf "$dist" -C "$work/dist"
src=$(ls -d "$work"/dist/NWS-*)
(cd "$src" && PATH=$noswig_path perl Makefile.PL INSTALL_BASE="$inst" && PATH=$noswig_path make &&
  PATH=$noswig_path make test && PATH=$noswig_path make install)
export PERL5LIB=$inst/lib/perl5
loaded=$(cd /tmp && perl -MNWS -e 'print $INC{"NWS.pm"}')
case $loaded in "$inst"/*) echo "NWS loads from $loaded" ;; *) fail "NWS loads from $loaded, not from $inst" ;; esac

log "prove against the installed module"
(cd "$src" && rm -rf blib && prove -r t/)

log "podchecker on every installed module"
mapfile -t modules < <(find "$inst/lib/perl5" -name '*.pm' | sort)
[ "${#modules[@]}" -ge 10 ] || fail "only ${#modules[@]} modules installed"
podchecker "${modules[@]}"

log "README snippets (bindings/perl/README.md)"
python3 "$repo/tests/readme/run_snippets.py" "$repo/bindings/perl/README.md" --lang perl --run 'perl {file}' \
  --server "$server" --env "PERL5LIB=$PERL5LIB" --min 5

log "installed alone: an embedded server and a round trip, only PERL5LIB, no swig"
mkdir -p "$work/alone"
(cd "$work/alone" && env -i PATH="$noswig_path" HOME="$work/alone" PERL5LIB="$inst/lib/perl5" perl -e '
  use strict; use warnings;
  use NWS;
  my $server = NWS::LocalServer->start;
  my $ws = NWS::NetWorkSpace->new("demo", $server->connect_options);
  $ws->store("greeting", "hello");
  my $v = $ws->fetch("greeting");
  my $more = $ws->fetch_try("greeting");
  my $err = do { eval { $ws->fetch("later", timeout => 0.5) }; $@ };
  die "round trip: got $v\n" unless $v eq "hello";
  die "fetch_try: got $more\n" if defined $more;
  die "timeout: got $err\n" unless ref $err && $err->isa("NWS::Error::Timeout");
  print "$v, no more, ", $err->code, " (NWS $NWS::VERSION from $INC{q{NWS.pm}}, server ", $server->address, ")\n";
  $server->stop;')

log "all Perl tests passed (installed module: $inst/lib/perl5)"
