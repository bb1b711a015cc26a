#!/usr/bin/env bash
# Configures a build directory: scripts/configure.sh BUILD_DIR [extra cmake args...]
set -euo pipefail
dir=${1:?usage: configure.sh BUILD_DIR [cmake args...]}
shift
root=$(cd "$(dirname "$0")/.." && pwd)
launcher=()
# ccache with base_dir = the source tree: paths inside it are hashed relative, so a fresh clone at another
# path (CI) reuses what an earlier clone compiled
if command -v ccache >/dev/null 2>&1; then launcher=("-DCMAKE_CXX_COMPILER_LAUNCHER=env;CCACHE_BASEDIR=$root;ccache"); fi
cmake -S "$(dirname "$0")/.." -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" "$@"
