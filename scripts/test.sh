#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what it needs, type-checks, builds, and runs
# vitest inside a private D-Bus session with an unlocked gnome-keyring (the real Secret Service).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh --system nginx openssl gnome-keyring dbus dbus-x11 libsecret-tools caddy haproxy apache2 libapache2-mod-auth-openidc curl chromium bash-completion zsh fish
export PATH="$PWD/node_modules/.bin:$PATH"
bash scripts/ensure-gitleaks.sh

# PostgreSQL-backed tests need the local server; start it if it is down.
if command -v pg_ctlcluster >/dev/null && ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start >/dev/null 2>&1 || true
fi

echo "==> tsc --noEmit" >&2
tsc --noEmit -p .
tsc --noEmit -p src/console
node scripts/build.mjs
export TOKENS_SKIP_BUILD=1

exec dbus-run-session -- bash scripts/with-keyring.sh vitest run "$@"
