#!/usr/bin/env bash
# Action benchmarks: restore of 20,000 bans (sequential-script baseline, parallel script backend,
# nft backend in a network namespace) and command -> block script start latency.
# Needs root, iproute2 and nftables. Builds contracts and action-verticle in the reactor (nothing installed).
# Usage: bench/action.sh [bans=20000] [commands=1000]
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "bench/action.sh needs root (network namespaces, nftables)" >&2; exit 1; }
command -v nft >/dev/null || { echo "nft missing: apt-get install -y nftables" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. bench/lib.sh
cp=$(reactor_classpath action-verticle "$work/cp.txt")
javac -d "$work/classes" -cp "$cp" bench/src/main/java/io/panicmode/bench/action/*.java
run() { java -Xmx512m -Dvertx.disableDnsResolver=true -cp "$work/classes:$cp" "$@" 2> >(grep -v -e "^SLF4J" -e "SLF4JServiceProvider" >&2); }
mkdir -p "$work/restore" "$work/latency"
echo "== restore of ${1:-20000} bans"
run io.panicmode.bench.action.RestoreBench "$work/restore" "${1:-20000}" 1000
echo "== command -> block script started"
run io.panicmode.bench.action.LatencyBench "$work/latency" "${2:-1000}"
