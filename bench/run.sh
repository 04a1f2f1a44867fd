#!/usr/bin/env bash
# `npm run bench`: every benchmark end to end on a fresh clone; writes bench/RESULTS.md.
# Needs Linux with two cores for the pinning it describes; takes a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh --system wrk hyperfine gh openssl
export PATH="$PWD/node_modules/.bin:$PATH"
node scripts/build.mjs
mkdir -p bench/.work/build
esbuild bench/run.ts --bundle --platform=node --format=esm --packages=external \
  --outfile=bench/.work/build/run.mjs --log-level=warning
exec node bench/.work/build/run.mjs "$PWD" "$@"
