#!/bin/sh
# Runs its arguments with a real, unlocked Secret Service (gnome-keyring) on a private D-Bus session,
# so the vault's keychain tests talk to the real thing. Used by .ci/run, e.g.:
#   test/support/with-keychain.sh npm test
#   test/support/with-keychain.sh npx vitest run test/integration/vault-keychain.test.ts
#
# Needs (Debian): apt-get install -y gnome-keyring dbus
# (set USHER_KEYCHAIN_AUTO_INSTALL=1 to let this script install them with apt-get when missing; root only).
#
# Why each piece:
# - dbus-run-session: a session bus of our own; DBUS_SESSION_BUS_ADDRESS points at it and it goes away
#   with the command (taking gnome-keyring with it).
# - a throwaway HOME and XDG_RUNTIME_DIR (mode 700): the keyring files and control socket go there,
#   never into a real user's login keyring.
# - `printf '\n' | gnome-keyring-daemon --unlock`: creates the login collection with an empty password
#   and unlocks it. An EMPTY stdin does NOT unlock; a newline does. --components=secrets only: no ssh/pkcs11.
# The exit code is the command's own.
set -eu

if [ "$#" -eq 0 ]; then
  echo "usage: $0 <command> [args...]" >&2
  exit 2
fi

if ! command -v dbus-run-session >/dev/null 2>&1 || ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
  if [ "${USHER_KEYCHAIN_AUTO_INSTALL:-}" = "1" ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "with-keychain: installing gnome-keyring and dbus" >&2
    apt-get update >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y gnome-keyring dbus >/dev/null
  else
    echo "with-keychain: needs dbus-run-session and gnome-keyring-daemon: apt-get install -y gnome-keyring dbus" >&2
    exit 127
  fi
fi

scratch_home=$(mktemp -d)
scratch_runtime=$(mktemp -d)
chmod 700 "$scratch_home" "$scratch_runtime"
cleanup() { rm -rf "$scratch_home" "$scratch_runtime"; }
trap cleanup EXIT INT TERM

# In containers dbus-daemon may log "Failed to set fd limit to 65536: Operation not permitted": harmless.
# The XDG_* folders follow the throwaway HOME so that nothing (keyrings, Usher's data) lands in a real one.
status=0
HOME="$scratch_home" XDG_RUNTIME_DIR="$scratch_runtime" \
  XDG_DATA_HOME="$scratch_home/.local/share" XDG_CONFIG_HOME="$scratch_home/.config" XDG_CACHE_HOME="$scratch_home/.cache" \
  dbus-run-session -- sh -c 'printf "\n" | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@"' with-keychain "$@" \
  || status=$?
exit "$status"
