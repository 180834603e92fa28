#!/usr/bin/env bash
# Wall time of `bin/panicmode ctl list|block|unblock` against a daemon on the shipped config (dry-run
# firewall), with the ctl class archive (AppCDS) and without it (PANICMODE_CTL_CDS=0), alternated so
# both see the same load. Prints each run, then the median per case, and the load average.
# Needs a built jar (mvn -o -q package -DskipTests). Usage: bench/ctl-start.sh [runs=10]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
jar=$PWD/launcher/target/panicmode.jar
[ -f "$jar" ] || { echo "no $jar: build first" >&2; exit 1; }
work=$(mktemp -d)
daemon=
cleanup() { [ -n "$daemon" ] && kill "$daemon" 2>/dev/null && wait "$daemon" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/home/config" "$work/run"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
sed "s/127.0.0.1:8765/127.0.0.1:$port/" config/panicmode.yaml > "$work/home/config/panicmode.yaml"
export PANICMODE_HOME=$work/home PANICMODE_CTL_SOCKET=$work/ctl.sock PANICMODE_JAR=$jar XDG_CACHE_HOME=$work/cache
(cd "$work/run" && exec "$OLDPWD/bin/panicmode" > "$work/daemon.log" 2>&1) &
daemon=$!
for _ in $(seq 1 120); do grep -q "PanicMode ready" "$work/daemon.log" && break; sleep 0.5; done
grep -q "PanicMode ready" "$work/daemon.log" || { cat "$work/daemon.log" >&2; exit 1; }
ms() { local t0 t1; t0=$(date +%s%N); "$@" > /dev/null; t1=$(date +%s%N); echo $(( (t1 - t0) / 1000000 )); }
bin/panicmode ctl list > /dev/null   # first run: writes the archive
declare -A all
for i in $(seq 1 "$runs"); do
  for cds in 1 0; do
    for cmd in "list" "block 203.0.113.7" "unblock 203.0.113.7"; do
      # shellcheck disable=SC2086
      t=$(cd "$work/run" && PANICMODE_CTL_CDS=$cds ms "$OLDPWD/bin/panicmode" ctl $cmd)
      all["$cds ${cmd%% *}"]+="$t "
    done
  done
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
for key in "1 list" "0 list" "1 block" "0 block" "1 unblock" "0 unblock"; do
  # shellcheck disable=SC2086
  sorted=$(printf '%s\n' ${all[$key]} | sort -n | tr '\n' ' ')
  # shellcheck disable=SC2086
  median=$(printf '%s\n' ${all[$key]} | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf 'ctl %-8s cds=%s median %5s ms  (all: %s)\n' "${key#* }" "${key%% *}" "$median" "$sorted"
done
