#!/usr/bin/env bash
# The Ruby sleigh's launcher tests (bindings/ruby/test/launchers: ssh,
# sshforward, SLURM sbatch and srun) in minitest, against the installed gem
# that scripts/test-ruby.sh leaves in build-ruby/gems.  Run by
# scripts/test-sleigh.sh, which starts the sshd and the one-node SLURM and
# sets NWS_SLEIGH_SSH_NODE, the ssh wrapper on PATH and SLURM_CONF:
#
#   NWS_SLEIGH_ONLY=ruby scripts/test-sleigh.sh
set -euo pipefail
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
gem_home=$ROOT/build-ruby/gems

fail() { echo "sleigh_launchers/ruby.sh: $*" >&2; exit 1; }
ls "$gem_home"/gems/nws-*/lib/nws/sleigh.rb >/dev/null 2>&1 ||
  fail "no nws gem with the sleigh in $gem_home: run scripts/test-ruby.sh first"
for v in NWS_SLEIGH_SSH_NODE SLURM_CONF; do
  [ -n "${!v:-}" ] || fail "$v is not set: run this through scripts/test-sleigh.sh"
done
# The system's gems (minitest is a bundled gem) beside the installed nws.
system_gem_path=$(env -u GEM_HOME -u GEM_PATH ruby -e 'print((Gem.path - [Gem.user_dir]).join(":"))')
export GEM_HOME=$gem_home GEM_PATH=$gem_home:$system_gem_path
export NWS_SERVER_BINARY=${NWS_SERVER_BINARY:-$ROOT/build/core/nws-server}

# The tests never skip: a launcher that cannot run fails (minitest/autorun
# runs them at exit and sets the exit status).
cd "$ROOT/bindings/ruby/test/launchers"
ruby -e '
  gem "nws"
  require "nws"
  loaded = $LOADED_FEATURES.grep(%r{/nws\.rb\z}).first
  abort "nws was loaded from #{loaded}, not from #{ENV["GEM_HOME"]}" unless loaded.start_with?(ENV["GEM_HOME"])
  %w[launch_ssh.rb launch_slurm.rb].each { |f| require File.expand_path(f) }' -- -v
