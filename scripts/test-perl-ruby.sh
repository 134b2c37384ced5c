#!/bin/bash
# Builds, installs and tests the Perl and Ruby bindings the way users get them:
#   1. installs missing Debian packages (g++ make perl ruby ruby-dev),
#   2. Perl: `perl Makefile.PL && make dist` in bindings/perl, then from the
#      unpacked archive `perl Makefile.PL && make && make test && make install`
#      into a temp prefix, and `prove` against the installed copy,
#   3. Ruby: prepare.sh + `gem build`, `gem install` of the .gem into a temp
#      GEM_HOME, and the minitest suite against the installed gem,
#   4. Perl <-> Ruby exchange of strings (text and binary) on one server.
# Exits non-zero on any failure or missing toolchain.
# NWS_SERVER_BINARY: the server (default: <repo>/build/core/nws-server).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
export NWS_SERVER_BINARY=${NWS_SERVER_BINARY:-$repo/build/core/nws-server}
export MAKEFLAGS=-j2   # the machine is shared

log() { printf '\n=== %s\n' "$*"; }
fail() { echo "test-perl-ruby: $*" >&2; exit 1; }

log "toolchain"
missing=()
for pkg in g++ make perl ruby ruby-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y "${missing[@]}" || fail "apt-get install ${missing[*]} failed"
  else
    fail "missing packages: ${missing[*]} (apt-get install ${missing[*]})"
  fi
fi
for tool in g++ make perl prove ruby gem; do command -v "$tool" >/dev/null || fail "$tool not found"; done
ruby -e 'require "minitest/autorun"; exit!(0)' || fail "minitest missing (Ruby's bundled gems)"
[ -x "$NWS_SERVER_BINARY" ] || fail "no server at $NWS_SERVER_BINARY (build nws-server first)"

tmp=$(mktemp -d /tmp/nws-perl-ruby.XXXXXX)

# The committed SWIG output must match the interface (users build without
# SWIG, so a stale wrapper would ship).  Needs swig; without it, say so.
if command -v swig >/dev/null; then
  log "SWIG wrappers are up to date"
  swig_dir="$repo/bindings/swig"
  swig -c++ -perl5 -I"$swig_dir" -I"$repo/core/include" -o "$tmp/perl_wrap.cxx" -outdir "$tmp" "$swig_dir/perl.i"
  swig -c++ -ruby -I"$swig_dir" -I"$repo/core/include" -o "$tmp/ruby_wrap.cxx" "$swig_dir/ruby.i"
  cmp -s "$tmp/perl_wrap.cxx" "$repo/bindings/perl/nws_wrap.cxx" && cmp -s "$tmp/Raw.pm" "$repo/bindings/perl/lib/NWS/Raw.pm" &&
    cmp -s "$tmp/ruby_wrap.cxx" "$repo/bindings/ruby/ext/nws_raw/nws_wrap.cxx" ||
    fail "committed SWIG wrappers are stale: run bindings/swig/generate.sh"
else
  echo "swig not installed: not checking the committed wrappers (apt-get install swig)"
fi
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

log "Perl: build the dist archive"
(cd "$repo/bindings/perl" && perl Makefile.PL >/dev/null && make dist >/dev/null && mv NWS-*.tar.gz "$tmp/" && make distclean >/dev/null)
perl_dist=$(ls "$tmp"/NWS-*.tar.gz)
echo "$perl_dist"

log "Perl: install from the archive"
mkdir "$tmp/perl-build" && tar -xzf "$perl_dist" -C "$tmp/perl-build"
perl_src=$(ls -d "$tmp"/perl-build/NWS-*)
perl_prefix="$tmp/perl-inst"
(cd "$perl_src" && perl Makefile.PL INSTALL_BASE="$perl_prefix" && make && make test && make install)

log "Perl: prove against the installed module"
export PERL5LIB="$perl_prefix/lib/perl5"
(cd "$perl_src" && rm -rf blib && prove -v t/ )

log "Ruby: build the gem"
(cd "$repo/bindings/ruby" && ./prepare.sh && gem build nws.gemspec --output "$tmp/nws.gem")

log "Ruby: install the gem"
gem_home="$tmp/gems"
system_gem_path=$(ruby -e 'print Gem.path.join(":")')   # minitest is a bundled gem there
gem install --local --no-document --install-dir "$gem_home" "$tmp/nws.gem"
export GEM_HOME="$gem_home" GEM_PATH="$gem_home:$system_gem_path"
gem_dir=$(ls -d "$gem_home"/gems/nws-*)

log "Ruby: minitest against the installed gem"
(cd "$tmp" && NWS_TEST_DIR="$gem_dir/test" ruby -e 'gem "nws"; Dir[File.join(ENV["NWS_TEST_DIR"], "test_*.rb")].sort.each { |f| require f }' -- -v)

log "Perl <-> Ruby exchange"
mkdir "$tmp/spool"
"$NWS_SERVER_BINARY" --bind 127.0.0.1 --port 0 --spool-dir "$tmp/spool" --log-level warn >"$tmp/server.out" 2>&1 &
server_pid=$!
port=
for _ in $(seq 1 500); do
  port=$(sed -n 's/^nws-server listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tmp/server.out")
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || fail "server exited: $(cat "$tmp/server.out")"
  sleep 0.01
done
[ -n "$port" ] || fail "server did not report its port"
export NWS_PORT=$port

# Perl stores text, binary and a Storable value in a persistent workspace.
perl -MNWS -e '
  use utf8; use strict; use warnings;
  my $ws = NWS::NetWorkSpace->new("exchange", host => "127.0.0.1", port => $ENV{NWS_PORT}, persistent => 1);
  $ws->store("p2r_text", "Perl → Ruby: Grüße ✓");
  $ws->store("p2r_bin", "\xff\x00\x80binary");
  $ws->store("p2r_obj", { a => 1 });
  $ws->close;'

# Ruby reads them, then stores its own.
ruby -e '
  gem "nws"; require "nws"
  def check(what, ok) = (ok ? puts("ok: #{what}") : abort("FAIL: #{what}"))
  NWS::NetWorkSpace.open("exchange", host: "127.0.0.1", port: Integer(ENV["NWS_PORT"]), use_only: true) do |ws|
    t = ws.fetch("p2r_text", timeout: 5)
    check("Ruby fetches Perl text", t == "Perl → Ruby: Grüße ✓" && t.encoding == Encoding::UTF_8)
    b = ws.fetch("p2r_bin", timeout: 5)
    check("Ruby fetches Perl binary", b == "\xff\x00\x80binary".b && b.encoding == Encoding::BINARY)
    e = begin; ws.fetch("p2r_obj"); nil; rescue NWS::SerialisationError => x; x; end
    check("a Perl Storable value raises naming Perl", e && e.message.include?("Perl"))
    ws.store("r2p_text", "Ruby → Perl: 日本語 ✓")
    ws.store("r2p_bin", "\x00\xfe\x7f".b)
    ws.store("r2p_obj", [1, :two])
  end'

perl -MNWS -e '
  use utf8; use strict; use warnings;
  sub check { my ($what, $ok) = @_; print $ok ? "ok: $what\n" : "FAIL: $what\n"; exit 1 unless $ok }
  my $ws = NWS::NetWorkSpace->new("exchange", host => "127.0.0.1", port => $ENV{NWS_PORT}, use_only => 1);
  my $t = $ws->fetch("r2p_text", timeout => 5);
  check("Perl fetches Ruby text", $t eq "Ruby → Perl: 日本語 ✓" && utf8::is_utf8($t));
  my $b = $ws->fetch("r2p_bin", timeout => 5);
  check("Perl fetches Ruby binary", $b eq "\x00\xfe\x7f" && !utf8::is_utf8($b));
  my $e = do { eval { $ws->fetch("r2p_obj") }; $@ };
  check("a Ruby Marshal value raises naming Ruby", ref $e && $e->isa("NWS::Error::Serialisation") && "$e" =~ /Ruby/);
  $ws->close;'

log "all Perl and Ruby binding tests passed"
