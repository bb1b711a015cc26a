#!/usr/bin/env bash
# Renders the main job's map (out/map.svg, from scripts/main-job.sh) to docs/img/main-job-map.png,
# the picture in the README, with rsvg-convert (Debian librsvg2-bin, installed by install-deps.sh).
# Usage: scripts/render-readme-map.sh [MAP.svg [OUT.png]]
set -euo pipefail
cd "$(dirname "$0")/.."
svg=${1:-out/map.svg}
png=${2:-docs/img/main-job-map.png}
[[ -f $svg ]] || { echo "render-readme-map: $svg not found (run scripts/main-job.sh first)" >&2; exit 1; }
command -v rsvg-convert >/dev/null || { echo "render-readme-map: rsvg-convert missing (bash scripts/install-deps.sh)" >&2; exit 1; }
mkdir -p "$(dirname "$png")"
rsvg-convert --width 1200 --background-color white "$svg" -o "$png"
bytes=$(stat -c %s "$png")
echo "render-readme-map: wrote $png ($bytes bytes)"
if ((bytes > 500000)); then echo "render-readme-map: warning: $png is over 500 kB" >&2; fi
