#!/usr/bin/env bash
# Detector benchmarks: auth-event throughput of the detector core on one core (100,000 source
# IPs, peak and retained heap), and event-to-action-command latency through the verticle.
# Usage: bench/detector.sh [ips] [events] [latency-samples]
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/target/detector-bench
rm -rf "$out" && mkdir -p "$out"
. bench/lib.sh
cp=$(reactor_classpath detector-verticle "$out/classpath.txt")
# Quiet logging: the figures, not the retry queue's debug lines.
cat > "$out/logback.xml" <<'XML'
<configuration>
  <appender name="E" class="ch.qos.logback.core.ConsoleAppender"><target>System.err</target>
    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n</pattern></encoder></appender>
  <root level="WARN"><appender-ref ref="E"/></root>
</configuration>
XML
javac -d "$out" -cp "$cp" bench/src/main/java/io/panicmode/bench/detector/*.java
run=(java -Xms384m -Xmx384m -XX:+UseSerialGC -cp "$out:$cp")
# One core: pinned where taskset exists (the serial GC then shares that core too).
pin=(); command -v taskset >/dev/null && pin=(taskset -c 0)
echo "== throughput (one core, heap capped at 384 MB) =="
"${pin[@]}" "${run[@]}" -XX:ActiveProcessorCount=1 io.panicmode.bench.detector.AuthThroughputBench "${1:-100000}" "${2:-3000000}"
echo "== event -> action command latency (5,000 auth events/s) =="
uptime
"${run[@]}" -Dvertx.disableDnsResolver=true io.panicmode.bench.detector.ActionLatencyBench "${3:-5000}" 4 2
