#!/usr/bin/env bash
# Fleet benchmark: 200 simulated agents (10 incidents/s each + heartbeats) against one central
# storage+alert JVM started from the shaded jar. Usage: bench/fleet.sh [agents] [rate] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -ntp -o install -DskipTests 2>/dev/null || mvn -q -B -ntp install -DskipTests
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mvn -q -B -o -pl bench dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" >/dev/null
cp=$(cat "$work/cp.txt")
java -Xmx1g -cp "bench/target/classes:$cp" io.panicmode.bench.fleet.FleetBench launcher/target/panicmode.jar "$work" "${1:-200}" "${2:-10}" "${3:-30}"
