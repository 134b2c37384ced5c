#!/usr/bin/env bash
# Builds, installs and tests the Ruby gem the way users get it:
#   1. stage (bindings/ruby/stage.sh: the core, the SWIG wrapper, the tables)
#      and `gem build`,
#   2. `gem install --local` of the built .gem, from a scratch directory
#      and with swig, cmake and python3 off PATH (the gem must not need
#      them, nor this repository), into build-ruby/gems (kept: the interop
#      tests and the pipeline example use it),
#   3. the minitest suite against the installed gem,
#   4. the documentation check (RDoc: no warning, nothing undocumented),
#   5. every ```ruby block of bindings/ruby/README.md
#      (tests/readme/run_snippets.py, against a fresh nws-server),
#   6. the gem installed alone: a fresh ruby with only build-ruby/gems and
#      the system's bundled gems, no swig on PATH, starts NWS::LocalServer
#      and does a store/fetch round trip.
# Exits non-zero on any failure or missing tool.
# NWS_SERVER_BINARY: the nws-server for the README (default build/core/nws-server).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
ruby_dir=$repo/bindings/ruby
build=$repo/build-ruby
gem_home=$build/gems
export NWS_SERVER_BINARY=${NWS_SERVER_BINARY:-$repo/build/core/nws-server}
export MAKEFLAGS=${MAKEFLAGS:--j2}   # the machine is shared

log() { printf '\n=== %s\n' "$*"; }
fail() { echo "test-ruby: $*" >&2; exit 1; }

log "tools"
for tool in ruby gem rdoc make g++ swig cmake python3; do
  command -v "$tool" >/dev/null || fail "$tool not found (scripts/setup.sh installs it)"
done
hdr=$(ruby -rrbconfig -e 'print RbConfig::CONFIG["rubyhdrdir"]')
[ -f "$hdr/ruby/thread.h" ] || fail "Ruby's development headers are missing (apt-get install ruby-dev)"
ruby -e 'require "minitest"' 2>/dev/null || fail "minitest missing (one of Ruby's bundled gems)"
[ -x "$NWS_SERVER_BINARY" ] || fail "no nws-server at $NWS_SERVER_BINARY (build the project first: scripts/setup.sh)"
# The system's gems (minitest is a bundled gem), without the user's own.
system_gem_path=$(env -u GEM_HOME -u GEM_PATH ruby -e 'print((Gem.path - [Gem.user_dir]).join(":"))')

tmp=$(mktemp -d /tmp/nws-ruby.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$build"

log "stage and build the gem"
"$ruby_dir/stage.sh"
! grep -rlF "$repo" "$ruby_dir/ext" "$ruby_dir/lib" || fail "the staged files name this repository (listed above)"
version=$(cat "$ruby_dir/ext/nws_raw/nwscore/VERSION")
gem_file=$build/nws-$version.gem
(cd "$ruby_dir" && gem build nws.gemspec --output "$gem_file")

# A PATH with everything but the build-time tools: the gem installs without them.
bare_path=$build/path-without-swig
rm -rf "$bare_path" && mkdir -p "$bare_path"
IFS=: read -ra path_dirs <<<"$PATH"
for d in "${path_dirs[@]}"; do
  [ -d "$d" ] || continue
  for f in "$d"/*; do
    name=${f##*/}
    case $name in swig* | cmake* | python*) continue ;; esac
    [ -x "$f" ] && [ ! -e "$bare_path/$name" ] && ln -s "$f" "$bare_path/$name"
  done
done
! PATH=$bare_path command -v swig >/dev/null || fail "could not take swig off PATH"

log "install the gem (no swig, cmake or python3 on PATH; not from the repository)"
rm -rf "$gem_home"
mkdir "$tmp/install" && cp "$gem_file" "$tmp/install/"
(cd "$tmp/install" && PATH=$bare_path gem install --local --no-document --install-dir "$gem_home" "nws-$version.gem")
export GEM_HOME=$gem_home GEM_PATH=$gem_home:$system_gem_path

log "minitest against the installed gem"
# From the repository's test directory, but nws itself from GEM_HOME (no -I).
(cd "$ruby_dir/test" && ruby -e '
  gem "nws"
  require "nws"
  loaded = $LOADED_FEATURES.grep(%r{/nws\.rb\z}).first
  abort "test-ruby: nws was loaded from #{loaded}, not from #{ENV["GEM_HOME"]}" unless loaded.start_with?(ENV["GEM_HOME"])
  (Dir["test_*.rb"].sort - ["test_docs.rb"]).each { |f| require File.expand_path(f) }' -- -v)

log "documentation (RDoc) of the installed gem"
(cd "$ruby_dir/test" && ruby -e 'gem "nws"; require File.expand_path("test_docs.rb")' -- -v)

log "README snippets"
python3 "$repo/tests/readme/run_snippets.py" "$ruby_dir/README.md" --lang ruby --run 'ruby {file}' --min 6 \
  --server "$NWS_SERVER_BINARY"

log "the gem installed alone"
mkdir "$tmp/alone"
(cd "$tmp/alone" && env -i HOME="$tmp/alone" PATH="$bare_path" GEM_HOME="$gem_home" GEM_PATH="$gem_home:$system_gem_path" \
  ruby -e '
    require "nws"
    NWS::LocalServer.start do |srv|
      NWS::NetWorkSpace.open("seed", host: srv.host, port: srv.port) do |ws|
        ws.store("greeting", "hello from an installed gem")
        ws.store("data", { list: [1, 2, 3] })
        ok = ws.fetch("greeting") == "hello from an installed gem" && ws.fetch("data") == { list: [1, 2, 3] }
        abort "FAIL: round trip" unless ok
      end
      puts "ok: NWS #{NWS::VERSION} alone: embedded server on #{srv.address}, store/fetch round trip"
    end')

log "all Ruby tests passed (gems in $gem_home)"
