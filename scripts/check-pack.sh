#!/usr/bin/env bash
# CI: the packed CLI installs and runs on its own. Packs the project (`npm pack`, which builds first),
# installs the tarball globally into an empty prefix (runtime dependencies come from the registry), and
# runs the installed `usher` from a folder with no sources: --version, demo, simulate, a profile stored
# through the keychain, and sessions against the simulated site. Needs a Secret Service for the keychain
# step: run it as `test/support/with-keychain.sh scripts/check-pack.sh` (.ci/run does).
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
sim_pid=
cleanup() {
  [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf 'check-pack: %s\n' "$*"; }

step "npm pack"
tarball=$(npm pack --silent --pack-destination "$work" | tail -n 1)
tar -tzf "$work/$tarball" | sed 's/^/  /'
# Only the command and its bundle (plus package.json, README, and the file `main` names, which npm always
# packs: `electron .` in a checkout reads it): no sources, tests or other builds.
unexpected=$(tar -tzf "$work/$tarball" | grep -vxE 'package/(package\.json|README\.md|bin/usher\.js|dist/cli/usher\.js|dist/electron/main/index\.js)' || true)
if [ -n "$unexpected" ]; then
  echo "check-pack: the package holds files the CLI does not need:" >&2
  echo "$unexpected" >&2
  exit 1
fi

step "npm install -g into an empty prefix"
prefix="$work/prefix"
npm install -g --prefix "$prefix" --no-audit --no-fund --loglevel=error "$work/$tarball"
installed="$prefix/lib/node_modules/$(node -p "require('./package.json').name")"
# Runtime dependencies only: nothing the console's bundle or the build needed.
for dev in react react-dom zustand tsx esbuild vite vitest typescript electron playwright-core; do
  if [ -e "$installed/node_modules/$dev" ] || [ -e "$prefix/lib/node_modules/$dev" ]; then
    echo "check-pack: the installed package pulled in $dev, which is not a runtime dependency" >&2
    exit 1
  fi
done

# From an empty folder, with the installed command first on PATH and a fresh data folder.
run="$work/run"
mkdir -p "$run"
cd "$run"
export PATH="$prefix/bin:$PATH"
export USHER_DATA_DIR="$work/data"
[ "$(command -v usher)" = "$prefix/bin/usher" ] || { echo "check-pack: usher on PATH is $(command -v usher), not the installed one" >&2; exit 1; }

step "usher --version"
version=$(usher --version)
[ "$version" = "$(node -p "require('$installed/package.json').version")" ] || { echo "check-pack: usher --version printed '$version'" >&2; exit 1; }

step "usher demo"
usher demo

step "usher simulate"
mkfifo "$work/ready"
usher simulate --out "$work/certs" >"$work/ready" 2>"$work/simulate.err" &
sim_pid=$!
read -r ready <"$work/ready" || { cat "$work/simulate.err" >&2; exit 1; }
qps=$(node -e 'console.log(JSON.parse(process.argv[1]).nodes[0].qps)' "$ready")
qrs=$(node -e 'console.log(JSON.parse(process.argv[1]).nodes[0].qrs)' "$ready")

step "usher profile add (certificates in the vault, its key in the keychain)"
usher profile add packed --from "$work/certs" --qps "$qps" --qrs "$qrs"
vault=$(usher vault status --json)
echo "$vault"
node -e 'const v = JSON.parse(process.argv[1]); if (v.mode.kind !== "keychain" || v.bundles < 1) { console.error(`check-pack: the vault is not in the keychain: ${process.argv[1]}`); process.exit(1); }' "$vault"

step "usher sessions --profile packed"
usher sessions --profile packed

kill -TERM "$sim_pid"
wait "$sim_pid"
sim_pid=
step "ok: the packed CLI installs and runs with its runtime dependencies only"
