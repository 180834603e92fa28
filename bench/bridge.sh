#!/usr/bin/env bash
# Bridge benchmark (issue 14): one central storage+alert JVM from the shaded jar serving the bridge
# with mutual TLS, and [agents] simulated agents in one JVM, each with its own certificate,
# connection and outbox, at [rate] incidents/s plus a heartbeat a second, [churn]% of them
# reconnecting every minute. Usage: bench/bridge.sh [agents] [rate] [seconds] [churn]
set -euo pipefail
cd "$(dirname "$0")/.."
WORK="$(mktemp -d /tmp/panicmode-bench-bridge.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
# Against the jar built from this tree in the reactor: nothing is installed into ~/.m2.
mvn -q -B -ntp -o package -DskipTests 2>/dev/null || mvn -q -B -ntp package -DskipTests
CP="launcher/target/panicmode.jar"
javac -d "$WORK/classes" -cp "$CP" bench/src/main/java/io/panicmode/bench/BenchProcess.java bench/src/main/java/io/panicmode/bench/bridge/*.java
cat > "$WORK/logback.xml" <<'XML'
<configuration><root level="WARN"/></configuration>
XML
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //') x $(nproc)"
java -Xmx1g -Dlogback.configurationFile="$WORK/logback.xml" -cp "$WORK/classes:$CP" io.panicmode.bench.bridge.BridgeBench \
  "$CP" "$WORK/run" "${1:-200}" "${2:-10}" "${3:-60}" "${4:-10}"
