#!/usr/bin/env bash
# `npm run bench`: every benchmark end to end on a fresh clone; writes bench/RESULTS.md.
# Needs Linux with two cores for the pinning it describes; takes a few minutes.
# `bash bench/run.sh --only console` measures only the console's first load and prints it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh --system wrk hyperfine gh openssl chromium curl
export PATH="$PWD/node_modules/.bin:$PATH"
node scripts/build.mjs
mkdir -p bench/.work/build
esbuild bench/run.ts --bundle --platform=node --format=esm --packages=external \
  --outfile=bench/.work/build/run.mjs --log-level=warning
exec node bench/.work/build/run.mjs "$PWD" "$@"
