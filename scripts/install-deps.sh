#!/usr/bin/env bash
# Installs the Debian 12 packages that territory needs to build, test and benchmark.
# Only what is missing is installed; `apt-get update` runs first whenever something is.
set -euo pipefail

packages=(
  cmake ninja-build g++ ccache
  libeigen3-dev libboost-graph-dev libfmt-dev     # runtime dependencies of the library
  doctest-dev libbenchmark-dev                    # tests and benchmarks
  libmetis-dev                                    # peer in the partition benchmarks (optional)
  nlohmann-json3-dev                              # territory-cli only: GeoJSON for maps (not the library)
  chromium python3                                # test: the HTML report rendered headless (cli.plan.html_render)
  librsvg2-bin                                    # scripts/render-readme-map.sh: SVG -> PNG
  doxygen                                         # API reference (target docs; test docs.api_reference)
  clang libfuzzer-14-dev                          # scripts/fuzz.sh (libFuzzer) and scripts/tsan.sh (ThreadSanitizer)
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=()
if [[ $(id -u) -ne 0 ]]; then sudo=(sudo); fi
echo "install-deps: installing ${missing[*]}"
"${sudo[@]}" apt-get update -q
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
