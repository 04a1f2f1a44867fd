#!/usr/bin/env bash
# Inside a D-Bus session: start gnome-keyring's Secret Service with an unlocked login keyring
# (fresh, in a temporary home so the tests never see a real user's keyring), then run "$@".
set -euo pipefail
export XDG_DATA_HOME="$(mktemp -d)"
export TOKENS_TEST_KEYRING=1
eval "$(printf 'test\n' | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)"
export GNOME_KEYRING_CONTROL
"$@"
status=$?
pkill -u "$(id -u)" -f "gnome-keyring-daemon.*$XDG_DATA_HOME" 2>/dev/null || true
rm -rf "$XDG_DATA_HOME"
exit $status
