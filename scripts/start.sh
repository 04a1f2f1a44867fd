#!/usr/bin/env bash
# Quick start: install, build, and run the server on the embedded store in ./.tokens/.
# The first start writes the management secret to ./.tokens/bootstrap-token (0600).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
export PATH="$PWD/node_modules/.bin:$PATH"
node scripts/build.mjs
mkdir -p -m 700 .tokens
PORT="${TOKENS_PORT:-8787}"
BOOT=.tokens/bootstrap-token
ARGS=(server --port "$PORT" --db .tokens/tokens.db)
[ -f .tokens/tokens.db ] || ARGS+=(--bootstrap-file "$BOOT")
cat >&2 <<MSG
==> tokens server on http://127.0.0.1:$PORT (store: .tokens/tokens.db)
    Web console: open http://127.0.0.1:$PORT/ and sign in with the secret in $BOOT
    In another shell, point the CLI at it:
      alias tokens="$PWD/bin/tokens.js"
      export TOKENS_API_URL=http://127.0.0.1:$PORT
      tokens login --token-stdin < $BOOT     # keeps the bootstrap secret in your keychain
      tokens whoami
MSG
exec node bin/tokens.js "${ARGS[@]}" "$@"
