#!/usr/bin/env bash
# Agent footprint (issue 14): resident memory and idle CPU of a PanicMode agent (collector,
# detector and action in one non-clustered process, the shipped JVM flags, 5 s interval) beside
# fail2ban (sshd jail) and node_exporter (scraped every 5 s) measured in the same run, on the
# same idle host. Installs the two Debian packages if they are missing (benchmark only).
# Usage: bench/footprint.sh [warmup seconds=60] [window seconds=300]
set -euo pipefail
cd "$(dirname "$0")/.."
WARMUP="${1:-60}"
WINDOW="${2:-300}"
WORK="$(mktemp -d /tmp/panicmode-bench-footprint.XXXXXX)"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

for pkg in fail2ban prometheus-node-exporter; do
  dpkg -s "$pkg" >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$pkg" >/dev/null
done
[ -f launcher/target/panicmode.jar ] || mvn -q -B -ntp -o package -DskipTests 2>/dev/null || mvn -q -B -ntp package -DskipTests

# CPU ticks (user + system) of a process and its threads, and its resident set.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_mib() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
HZ=$(getconf CLK_TCK)

# PanicMode agent: the shipped config with its data in the work dir, no API, no cluster.
mkdir -p "$WORK/pm"
sed -e "s#\./var/#$WORK/pm/var/#g" config/panicmode.yaml > "$WORK/pm/panicmode.yaml"
bin/panicmode run --config "$WORK/pm/panicmode.yaml" --roles collector,detector,action > "$WORK/pm/out.txt" 2>&1 &
PIDS+=($!)
PM=$!

# fail2ban: its own server in the foreground, the stock sshd filter on a log of our own.
mkdir -p "$WORK/f2b/jail.d"
cp -r /etc/fail2ban/filter.d /etc/fail2ban/action.d /etc/fail2ban/fail2ban.conf /etc/fail2ban/paths-*.conf "$WORK/f2b/"
touch "$WORK/f2b/auth.txt"
cat > "$WORK/f2b/jail.conf" <<JAIL
[DEFAULT]
backend = polling
banaction = dummy
[sshd]
enabled = true
filter = sshd
logpath = $WORK/f2b/auth.txt
JAIL
cat > "$WORK/f2b/fail2ban.local" <<F2B
[Definition]
logtarget = $WORK/f2b/fail2ban.txt
socket = $WORK/f2b/fail2ban.sock
pidfile = $WORK/f2b/fail2ban.pid
dbfile = $WORK/f2b/fail2ban.sqlite3
F2B
fail2ban-server -f -x -c "$WORK/f2b" -s "$WORK/f2b/fail2ban.sock" -p "$WORK/f2b/fail2ban.pid" > "$WORK/f2b/out.txt" 2>&1 &
PIDS+=($!)
F2B=$!

# node_exporter on loopback, scraped at PanicMode's interval so both collect as often.
prometheus-node-exporter --web.listen-address=127.0.0.1:19109 > "$WORK/ne.txt" 2>&1 &
PIDS+=($!)
NE=$!
( while sleep 5; do curl -s -o /dev/null http://127.0.0.1:19109/metrics || true; done ) &
PIDS+=($!)

echo "== machine: $(nproc) cores, $(java -version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "warm-up ${WARMUP} s, then a window of ${WINDOW} s"
sleep "$WARMUP"
for p in $PM $F2B $NE; do kill -0 "$p" || { echo "a measured process died; see $WORK" >&2; exit 1; }; done
a=$(ticks $PM); b=$(ticks $F2B); c=$(ticks $NE)
sleep "$WINDOW"
a2=$(ticks $PM); b2=$(ticks $F2B); c2=$(ticks $NE)
pct() { printf "%.2f" "$(echo "100 * ($2 - $1) / ($HZ * $WINDOW)" | bc -l)"; }
printf '%-44s %10s %14s\n' "process" "RSS MiB" "CPU % of a core"
printf '%-44s %10s %14s\n' "panicmode agent (collector,detector,action)" "$(rss_mib $PM)" "$(pct $a $a2)"
printf '%-44s %10s %14s\n' "fail2ban-server (sshd jail, polling)" "$(rss_mib $F2B)" "$(pct $b $b2)"
printf '%-44s %10s %14s\n' "node_exporter (scraped every 5 s)" "$(rss_mib $NE)" "$(pct $c $c2)"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
