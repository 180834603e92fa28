#!/usr/bin/env bash
# Alert benchmarks: AlertRequest → webhook fake latency (p50/p99 over 1,000 alerts, against a
# direct POST) and outbox throughput (acknowledged and delivered per second, against naive
# per-row SQLite commits). Builds only contracts and alert-verticle.
# Usage: bench/alert.sh [latency alerts=1000] [throughput alerts=5000]
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# contracts is built too (-am): the outbox runs on its SQLite store, and ~/.m2 may hold an older one.
# Classpath through a file: Maven's colour codes on stdout would corrupt the first and last entries.
# logback is left out so the run stays quiet.
classpath() {
  mvn -q -B -ntp "$@" -pl alert-verticle -am compile dependency:build-classpath -DincludeScope=runtime \
    -DexcludeArtifactIds=logback-classic,logback-core -Dmdep.outputFile="$work/cp.txt"
}
classpath -o 2>/dev/null || classpath
cp="alert-verticle/target/classes:contracts/target/classes:$(cat "$work/cp.txt")"
javac -d "$work/classes" -cp "$cp" bench/src/main/java/io/panicmode/bench/alert/*.java
mkdir -p "$work/data"
java -Xmx512m -Dvertx.disableDnsResolver=true \
  -cp "$work/classes:$cp" io.panicmode.bench.alert.AlertBench "$work/data" "${1:-1000}" "${2:-5000}"
