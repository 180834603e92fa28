#!/usr/bin/env bash
# Burst benchmark: N attacking IPs cross the threshold at once; time to the last ban with the
# script backend and with nft (in a network namespace of its own), against a plain loop of the
# block script and a plain loop of 'nft add element' measured in the same run.
# Needs root, iproute2 and nftables. Builds in the reactor (no install into ~/.m2).
# Usage: bench/burst.sh [attackers=200] [rounds=5]
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "bench/burst.sh needs root (network namespaces, nftables)" >&2; exit 1; }
command -v nft >/dev/null || { echo "nft missing: apt-get install -y nftables" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. bench/lib.sh
cp=$(reactor_classpath action-verticle "$work/cp.txt")
javac -d "$work/classes" -cp "$cp" bench/src/main/java/io/panicmode/bench/action/BenchSupport.java \
  bench/src/main/java/io/panicmode/bench/action/BurstBench.java
mkdir -p "$work/burst"
printf '<configuration><appender name="E" class="ch.qos.logback.core.ConsoleAppender"><target>System.err</target><encoder><pattern>%%msg%%n</pattern></encoder></appender><root level="ERROR"><appender-ref ref="E"/></root></configuration>\n' > "$work/logback.xml"
java -Xmx512m -Dvertx.disableDnsResolver=true -Dlogback.configurationFile="$work/logback.xml" -cp "$work/classes:$cp" io.panicmode.bench.action.BurstBench \
  "$work/burst" "${1:-200}" "${2:-5}" 2> >(grep -v -e "^SLF4J" -e "SLF4JServiceProvider" >&2)
