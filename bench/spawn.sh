#!/usr/bin/env bash
# The JVM's process launch, as PanicMode starts a block script: ProcessBuilder.start() to the
# script's first instruction (`date +%s%N`), with the JDK's default (posix_spawn through
# jspawnhelper) and with vfork (what the launcher picks on Linux JDKs up to 21), alternating in
# the same run under the shipped JVM flags; bash starting the same script is the floor.
# Usage: bench/spawn.sh [count=200] [alternations=3]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-200}
work=$(mktemp -d /tmp/panicmode-bench-spawn.XXXXXX)
trap 'rm -rf "$work"' EXIT
printf '#!/bin/sh\ndate "+%%s%%N $1" > %s/started\n' "$work" > "$work/block.sh"
chmod +x "$work/block.sh"
javac -d "$work/classes" bench/src/main/java/io/panicmode/bench/action/SpawnBench.java
flags=(-XX:+UseSerialGC -Xmx64m -Xss256k -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1)
echo "== $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores, $(java -version 2>&1 | head -1)"
for _ in $(seq "${2:-3}"); do
  for m in POSIX_SPAWN VFORK; do
    java "${flags[@]}" -Djdk.lang.Process.launchMechanism=$m -cp "$work/classes" io.panicmode.bench.action.SpawnBench \
      "$work/block.sh" "$work/started" "$count"
  done
  # The floor: bash forking and running the same script, timed with its own clock.
  for i in $(seq $((count + 20))); do
    t=$EPOCHREALTIME; "$work/block.sh" 192.0.2.1
    [ "$i" -gt 20 ] && echo $(( $(cut -d' ' -f1 "$work/started") / 1000 - ${t/./} ))
  done | sort -n | awk -v n="$count" '{v[NR] = $1 / 1000} END {
    printf "%-11s p50 %5.2f ms  p90 %5.2f ms  max %6.2f ms\n", "bash floor", v[int(n / 2) + 1], v[int(n * 9 / 10) + 1], v[n] }'
done
