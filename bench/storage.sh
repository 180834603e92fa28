#!/usr/bin/env bash
# Storage/API benchmarks (issue 7): incidents stored per second with batching (against one COMMIT
# per incident), what the SQLite store's JDBC client costs against plain JDBC on the same rows, and
# GET /api/v1/incidents latency over a 1,000,000-row table (against GET /health).
# Builds contracts, storage-verticle and api-verticle in the reactor (nothing installed).
# Usage: bench/storage.sh [batched writes=200000] [unbatched writes=5000] [rows=1000000] [requests=2000] [store rows=100000]
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d "${TMPDIR:-/tmp}/panicmode-bench-storage.XXXXXX")
trap 'rm -rf "$work"' EXIT
. bench/lib.sh
cp="$(reactor_classpath storage-verticle "$work/cp-storage.txt"):$(reactor_classpath api-verticle "$work/cp.txt")"
javac -d "$work/classes" -cp "$cp" bench/src/main/java/io/panicmode/bench/storage/*.java
cat > "$work/logback.xml" <<'XML'
<configuration>
  <appender name="ERR" class="ch.qos.logback.core.ConsoleAppender"><target>System.err</target>
    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n</pattern></encoder></appender>
  <root level="WARN"><appender-ref ref="ERR"/></root>
</configuration>
XML
run() {
  java -Xmx512m -Dvertx.disableDnsResolver=true -Dlogback.configurationFile="$work/logback.xml" \
    -cp "$work/classes:$cp" "$@" 2> >(grep -v "SLF4J" >&2)
}
echo "== incidents stored per second (durable: WAL, synchronous=FULL, ack after COMMIT)"
run io.panicmode.bench.storage.StorageWriteBench "$work" "${1:-200000}" "${2:-5000}" 2000
echo "== the SQLite store (vertx-jdbc-client) against plain JDBC, same rows, same run"
run io.panicmode.bench.storage.StoreClientBench "$work" "${5:-100000}"
echo "== GET /api/v1/incidents with ${3:-1000000} rows"
run io.panicmode.bench.storage.IncidentQueryBench "$work" "${3:-1000000}" "${4:-2000}"
