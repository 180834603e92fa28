#!/usr/bin/env bash
# What authenticated commands and results cost: block_ip round trip in local mode (baseline) and
# with signed commands, persisted replay memory and signed, verified results, in the same run.
# Builds only contracts and action-verticle (to target/, nothing installed).
# Usage: bench/trust.sh [commands=3000]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -ntp -o -pl action-verticle -am compile
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
deps=$(mvn -q -o -pl action-verticle -am dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile=/dev/stdout \
  | tr ':' '\n' | grep -v '/io/panicmode/' | paste -sd: -)
cp="contracts/target/classes:action-verticle/target/classes:$deps"
javac -d "$work/classes" -cp "$cp" bench/src/main/java/io/panicmode/bench/action/BenchSupport.java \
  bench/src/main/java/io/panicmode/bench/action/TrustBench.java
java -Xmx256m -Dvertx.disableDnsResolver=true -cp "$work/classes:$cp" io.panicmode.bench.action.TrustBench "$work" "${1:-3000}" \
  2> >(grep -v -e "^SLF4J" -e "SLF4JServiceProvider" >&2)
