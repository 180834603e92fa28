#!/usr/bin/env bash
# Collector benchmarks (issue 3). Builds the collector module, compiles the programs in
# bench/src/main/java/io/panicmode/bench/collector against it, and runs them; figures go to
# stdout. Needs fail2ban-regex for the comparison (Debian: apt-get install -y fail2ban).
# Usage: bench/collector.sh [LINES]   (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
LINES="${1:-1000000}"
WORK="$(mktemp -d /tmp/panicmode-bench-collector.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

if ! command -v fail2ban-regex >/dev/null; then
  echo "fail2ban-regex not found; installing the Debian package (benchmark only)" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q fail2ban >/dev/null
fi

# Against the shipped jar, built from this tree in the reactor: nothing is installed into ~/.m2,
# so an older installed module can never stand in for the code measured.
mvn -q -B -ntp -o package -DskipTests 2>/dev/null || mvn -q -B -ntp package -DskipTests
CP="launcher/target/panicmode.jar"
javac -d "$WORK/classes" -cp "$CP" bench/src/main/java/io/panicmode/bench/collector/*.java
cat > "$WORK/logback.xml" <<'XML'
<configuration><root level="WARN"/></configuration>
XML
RUN=(java -Dlogback.configurationFile="$WORK/logback.xml" -cp "$WORK/classes:$CP")
# One core, as the goal states it.
ONE=(taskset -c 0)

echo "== machine"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //') x $(nproc)"
java -version 2>&1 | head -1
# The machine may be shared: the load average says how much the wall-clock figures suffer.
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== auth-line throughput ($LINES-line mixed sshd log, one core)"
"${RUN[@]}" io.panicmode.bench.collector.AuthLogGen "$WORK/auth.log" "$LINES"
ls -l "$WORK/auth.log" | awk '{print "file_bytes=" $5}'
echo "-- shipped command, JVM start included: taskset -c 0 bin/panicmode auth-scan FILE > /dev/null (best of 3)"
best=""
for _ in 1 2 3; do
  s=$(date +%s.%N); "${ONE[@]}" bin/panicmode auth-scan "$WORK/auth.log" > /dev/null 2> "$WORK/scan-err.txt"; e=$(date +%s.%N)
  t=$(echo "$e - $s" | bc -l); if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
done
head -1 "$WORK/scan-err.txt"
printf 'shipped_auth_scan_seconds=%.2f shipped_auth_scan_lines_per_sec=%.0f\n' "$best" "$(echo "$LINES / $best" | bc -l)"
# Into a file: GNU grep stops at the first match when its output is /dev/null.
s=$(date +%s.%N); "${ONE[@]}" grep -c 'sshd\[' "$WORK/auth.log" > "$WORK/grep-count.txt"; e=$(date +%s.%N)
g=$(echo "$e - $s" | bc -l)
printf 'floor_grep_seconds=%.2f ratio_shipped_over_grep=%.1fx\n' "$g" "$(echo "$best / $g" | bc -l)"
echo "-- warmed-up in-process figure (not the shipped command)"
"${ONE[@]}" "${RUN[@]}" io.panicmode.bench.collector.AuthThroughputBench "$WORK/auth.log" | tee "$WORK/pm.txt"
F2B_START=$(date +%s.%N)
"${ONE[@]}" fail2ban-regex --print-no-missed --print-no-ignored "$WORK/auth.log" /etc/fail2ban/filter.d/sshd.conf > "$WORK/f2b.txt" 2>&1 || true
F2B_END=$(date +%s.%N)
F2B_SECS=$(echo "$F2B_END - $F2B_START" | bc -l)
grep -E "^(Lines|Failregex):" "$WORK/f2b.txt" | sed 's/^/fail2ban: /'
FILE_SECS=$(sed -n 's/.*file_seconds=\([0-9.]*\).*/\1/p' "$WORK/pm.txt")
printf 'fail2ban_regex_seconds=%.2f fail2ban_lines_per_sec=%.0f\n' "$F2B_SECS" "$(echo "$LINES / $F2B_SECS" | bc -l)"
printf 'ratio_panicmode_file_over_fail2ban=%.1fx\n' "$(echo "$F2B_SECS / $FILE_SECS" | bc -l)"

echo "== /proc/net/tcp with 100,000 connections -> per-IP counts"
"${RUN[@]}" io.panicmode.bench.collector.ProcNetTcpBench "$WORK/proc" 100000

echo "== append -> auth event on the bus (1,000 appends)"
"${RUN[@]}" io.panicmode.bench.collector.AppendLatencyBench "$WORK/latency" 1000

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== CPU time of one full collection cycle (real /proc)"
"${RUN[@]}" io.panicmode.bench.collector.CycleCpuBench 500
