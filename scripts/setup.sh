#!/usr/bin/env bash
# Brings a fresh clone to a runnable state: system tools (when root), node dependencies, build.
# Idempotent and quick when everything is already in place, so every entry point can call it.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v bwrap >/dev/null 2>&1 || need_apt+=(bubblewrap)
command -v strace >/dev/null 2>&1 || need_apt+=(strace)
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
command -v make >/dev/null 2>&1 || need_apt+=(make)
command -v g++ >/dev/null 2>&1 || need_apt+=(g++)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
# The HTML report's tests open it in a real browser (driven by playwright-core, no download).
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
# The docker backend: an engine, and debootstrap to build its image without a registry.
command -v dockerd >/dev/null 2>&1 || need_apt+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || need_apt+=(debootstrap)
# The remote-engine tests make TLS certificates for their private engine.
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing ${need_apt[*]} from Debian" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "setup: missing ${need_apt[*]}; install them (e.g. sudo apt-get install -y ${need_apt[*]})" >&2
  fi
fi

# Reinstall node dependencies only when the lockfile changed since the last install.
stamp=node_modules/.hookbox-setup-stamp
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi

# Real Yarn for the Yarn tests: classic (yarn) and Berry (@yarnpkg/cli-dist), pinned, from the
# npm registry into .cache/tools/<name>; tests find them there (test/support/yarn.ts).
install_tool() {
  local dir=".cache/tools/$1" spec="$2"
  if [ ! -f "$dir/.installed-${spec//\//_}" ]; then
    rm -rf "$dir" && mkdir -p "$dir"
    (cd "$dir" && echo '{"private":true}' > package.json &&
      npm_config_registry=https://registry.npmjs.org/ npm install --no-audit --no-fund --ignore-scripts --loglevel=error --no-save "$spec")
    touch "$dir/.installed-${spec//\//_}"
  fi
}
install_tool yarn-classic yarn@1.22.22
install_tool yarn-berry @yarnpkg/cli-dist@4.12.0

npx --no-install tsc -p tsconfig.json

# A Docker engine for the docker backend (root only): start dockerd when none answers, then
# build the sandbox image offline once (debootstrap + the host's node; about a minute).
if [ "$(id -u)" = 0 ] && command -v dockerd >/dev/null 2>&1; then
  if ! docker info >/dev/null 2>&1; then
    echo "setup: starting dockerd in the background (log: /tmp/hookbox-dockerd.log)" >&2
    (setsid dockerd >/tmp/hookbox-dockerd.log 2>&1 &)
    for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  fi
  if docker info >/dev/null 2>&1; then
    node dist/cli/main.js doctor --build-image 2>/tmp/hookbox-image-build.log | grep -q '^ok *docker' ||
      echo "setup: the docker sandbox image could not be built; see /tmp/hookbox-image-build.log and hookbox doctor" >&2
  else
    echo "setup: dockerd did not start; see /tmp/hookbox-dockerd.log" >&2
  fi
fi
