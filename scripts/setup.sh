#!/usr/bin/env bash
# Installs everything the project needs on a fresh Debian machine, then
# configures and builds it.  Safe to run again: it installs only what is
# missing and rebuilds only what changed.
#
#   scripts/setup.sh            # release build in build/
#   NWS_ASAN=1 scripts/setup.sh # also the AddressSanitizer build in build-asan/
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config   # toolchain
  clang libclang-rt-14-dev                       # libFuzzer and sanitizer runtimes
  libfmt-dev libcli11-dev                        # formatting, command line
  nlohmann-json3-dev libboost-dev                # the server's web interface: JSON, HTTP (Boost.Beast)
  libmsgpack-cxx-dev                             # portable values (docs/values.md): MessagePack, header-only
  zlib1g-dev                                     # the data log's checksums (docs/durability.md)
  libssl-dev openssl                             # TLS and SCRAM-SHA-256; openssl makes the tests' certificates (docs/security.md)
  chromium chromium-driver                       # the web interface tested in a real browser (scripts/test-web.sh)
  googletest libgtest-dev libgmock-dev           # C++ tests
  python3                                        # helper scripts
  openjdk-17-jdk-headless maven                  # the Java binding
  perl ruby ruby-dev swig                        # the Perl and Ruby bindings (SWIG runs at build time)
  r-base-dev r-cran-rcpp r-cran-testthat r-cran-processx r-cran-withr   # the R binding
  r-cran-foreach r-cran-iterators r-cran-doparallel   # the R sleigh's foreach backend, and what its benchmark compares
  redis-server                                   # what the benchmarks compare against (bench/run.sh)
  openssh-server                                 # the sleigh's ssh launcher, tested against a real sshd (scripts/test-sleigh.sh)
  slurm-wlm                                      # the sleigh's SLURM launcher, tested on a one-node SLURM (scripts/test-sleigh.sh)
  munge                                          # SLURM's authentication daemon, for that one-node SLURM
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

JOBS="${NWS_JOBS:-$(nproc)}"
build() {  # build DIR [cmake options...]
  local dir="$1"; shift
  if [ ! -f "$dir/build.ninja" ]; then
    cmake -S . -B "$dir" -G Ninja "$@" >/dev/null
  fi
  cmake --build "$dir" -j "$JOBS"
}

echo "setup: building (build/)"
build build -DCMAKE_BUILD_TYPE=RelWithDebInfo
if [ "${NWS_ASAN:-0}" = 1 ]; then
  echo "setup: building with AddressSanitizer + LeakSanitizer (build-asan/)"
  build build-asan -DCMAKE_BUILD_TYPE=Debug -DNWS_SANITIZE=ON -DNWS_BUILD_BENCH=OFF
fi
echo "setup: done"
