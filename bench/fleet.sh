#!/usr/bin/env bash
# Fleet benchmark: 200 simulated agents (10 incidents/s each + heartbeats) against one central
# storage+alert JVM started from the shaded jar. Usage: bench/fleet.sh [agents] [rate] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The central JVM runs the shaded jar built from this tree; nothing is installed into ~/.m2.
mvn -q -B -ntp -o package -DskipTests 2>/dev/null || mvn -q -B -ntp package -DskipTests
. bench/lib.sh
cp=$(reactor_classpath bench "$work/cp.txt")
java -Xmx1g -cp "bench/target/classes:$cp" io.panicmode.bench.fleet.FleetBench launcher/target/panicmode.jar "$work" "${1:-200}" "${2:-10}" "${3:-30}"
