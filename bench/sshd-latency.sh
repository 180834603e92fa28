#!/usr/bin/env bash
# Real sshd, real client, 10 attackers per round: from the first log line of each attacker's 3rd
# wrong password (pam_unix's "authentication failure", the line PanicMode counts) to its block
# script started. PanicMode (bin/panicmode, shipped JVM flags, threshold 2), then a 10-line
# `tail -F | grep` defender (bench/tail-grep-defender.sh, the floor), each alone against the same
# attack, follow the log and run the same recording script, each writing to its own file.
# sshd (with PAM) runs in one network namespace, the attackers in another; the test's syslog
# daemon stamps every line with CLOCK_REALTIME just before writing it; the block script's first
# instruction is `date +%s%N`. Needs root, iproute2, OpenSSH server and client, sshpass, python3.
# Usage: [STAGGER_MS=0] [KEEP_LOGS=dir] bench/sshd-latency.sh [rounds=4]
# (10 attackers a round, all at once unless STAGGER_MS spaces their starts; one warm-up round first)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-4}
stagger=${STAGGER_MS:-0}
[ "$(id -u)" = 0 ] || { echo "bench/sshd-latency.sh needs root (network namespaces, a test user); skipped"; exit 0; }
for tool in ip sshd ssh sshpass ssh-keygen useradd userdel chpasswd python3 java unshare tail grep; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || {
    echo "$tool missing (Debian: openssh-server openssh-client sshpass passwd python3 iproute2); skipped"; exit 0; }
done
[ -f launcher/target/panicmode.jar ] || mvn -B -ntp -o -q package -DskipTests

res=launcher/src/test/resources/sshd
work=$(mktemp -d /tmp/panicmode-bench-sshd.XXXXXX)
srv=pmlat-sshd-$$ atk=pmlat-atk-$$
user=pmlat$(printf '%04x' $((RANDOM)))
pids=()
user_created=
cleanup() {
  for p in "${pids[@]}"; do kill -KILL -- "$p" 2>/dev/null || true; wait "${p#-}" 2>/dev/null || true; done
  for n in "$srv" "$atk"; do
    for p in $(ip netns pids "$n" 2>/dev/null); do kill -KILL "$p" 2>/dev/null || true; done
    ip netns del "$n" 2>/dev/null || true
  done
  ip link del "pmls$$" 2>/dev/null || true # only if the script stopped before moving it
  if [ -n "$user_created" ]; then userdel "$user" || true; fi
  if [ -n "${KEEP_LOGS:-}" ]; then mkdir -p "$KEEP_LOGS" && cp "$work"/*.out "$work"/stamps "$work"/*.bans "$KEEP_LOGS"/; fi
  rm -rf "$work"
}
trap cleanup EXIT

ip netns add "$srv"
ip netns add "$atk"
ip link add pmls$$ type veth peer name pmla$$
ip link set pmls$$ netns "$srv"
ip link set pmla$$ netns "$atk"
ip -n "$srv" link set pmls$$ name eth0
ip -n "$atk" link set pmla$$ name eth0
ip -n "$srv" addr add 10.77.0.1/16 dev eth0
for r in $(seq 0 "$rounds"); do for i in $(seq 0 9); do
  ip -n "$atk" addr add "10.77.$((r + 1)).$((10 + i))/16" dev eth0
  ip -n "$atk" addr add "10.77.$((r + 101)).$((10 + i))/16" dev eth0
done; done
for n in "$srv" "$atk"; do ip -n "$n" link set eth0 up; ip -n "$n" link set lo up; done

useradd -M -d /nonexistent -s /bin/sh "$user"
user_created=1
echo "$user:right-$RANDOM$RANDOM" | chpasswd

# The block command: its first instruction records when it started and for whom.
for who in panicmode floor; do
  printf '#!/bin/sh\ndate "+%%s%%N $1" >> %s/%s.bans\n' "$work" "$who" > "$work/block-$who.sh"
  chmod +x "$work/block-$who.sh"
  : > "$work/$who.bans"
done
printf '#!/bin/sh\n' > "$work/unblock.sh" && chmod +x "$work/unblock.sh"

: > "$work/auth.log"
cp "$res/syslog.py" "$res/run-sshd.sh" "$work/"
ip netns exec "$srv" python3 "$work/syslog.py" "$work/log.sock" "$work/auth.log" sshhost "$work/stamps" \
  > "$work/syslog.out" 2>&1 &
pids+=($!)
ssh-keygen -q -t ed25519 -N "" -f "$work/hostkey"
cat > "$work/sshd_config" <<EOF
ListenAddress 10.77.0.1
Port 22
HostKey $work/hostkey
PidFile $work/sshd.pid
UsePAM yes
PasswordAuthentication yes
KbdInteractiveAuthentication no
PubkeyAuthentication no
PermitRootLogin no
SyslogFacility AUTH
LogLevel INFO
MaxStartups 100
EOF
for _ in $(seq 100); do [ -S "$work/log.sock" ] && break; sleep 0.1; done
ip netns exec "$srv" unshare -m --propagation private sh "$work/run-sshd.sh" "$work" > "$work/sshd.out" 2>&1 &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/sshd.pid" ] && break; sleep 0.1; done
[ -s "$work/sshd.pid" ] || { echo "sshd did not start: $(cat "$work/sshd.out")" >&2; exit 1; }

cat > "$work/panicmode.yaml" <<EOF
node: {id: sshhost}
monitors:
  - {name: ssh_brute_force, type: auth_failures, threshold: 2, window: 10m, actions: [block_ip]}
anomaly: {enabled: false}
storage: {incident_db: "$work/data/incidents.db", snapshot_dir: "$work/data/snap", log_dir: "$work/data/log", state_file: "$work/data/state.json"}
http_api: {enabled: false}
collector: {auth_source: file, auth_logs: ["$work/auth.log"]}
firewall: {backend: script, block_script: "$work/block-panicmode.sh", unblock_script: "$work/unblock.sh", ban_private_networks: true, ctl_socket: ""}
processes: {dry_run: true}
detector: {dedup_window: 1s, rate_limits: {critical: 0s}}
EOF
attempt() { # source-ip n: one connection, one wrong password
  ip netns exec "$atk" timeout 15 sshpass -p "wrong$2" ssh -b "$1" -F /dev/null -o StrictHostKeyChecking=no \
    -o UserKnownHostsFile=/dev/null -o ConnectTimeout=3 -o PreferredAuthentications=password \
    -o PubkeyAuthentication=no -o NumberOfPasswordPrompts=1 -o LogLevel=QUIET "$user@10.77.0.1" true || true
}
attack() { # first-third-octet: a warm-up round and $rounds timed rounds, 10 attackers each
  for r in $(seq 0 "$rounds"); do
    attackers=()
    for i in $(seq 0 9); do
      ( sleep "$(awk "BEGIN{print $i * $stagger / 1000}")"
        for n in 1 2 3; do attempt "10.77.$(($1 + r)).$((10 + i))" "$n"; done ) &
      attackers+=($!)
    done
    wait "${attackers[@]}"
  done
  sleep 2 # the last block scripts finish writing
}
stop() { kill -TERM "$1"; wait "$1" 2>/dev/null || true; }

# One defender at a time, so neither takes the other's CPU; the same attack against each.
ip netns exec "$srv" bin/panicmode run --config "$work/panicmode.yaml" > "$work/panicmode.out" 2>&1 &
panic=$!
pids+=("$panic")
for _ in $(seq 900); do grep -q "PanicMode ready" "$work/panicmode.out" && break; sleep 0.1; done
grep -q "PanicMode ready" "$work/panicmode.out" || { echo "PanicMode did not start:" >&2; cat "$work/panicmode.out" >&2; exit 1; }
attack 1
stop "$panic"
setsid bench/tail-grep-defender.sh "$work/auth.log" "$work/block-floor.sh" &
floor=$!
pids+=("-$floor")
sleep 1 # tail has opened the file
attack 101
kill -KILL -- "-$floor"; wait "$floor" 2>/dev/null || true

echo "== $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores, $(java -version 2>&1 | head -1)"
python3 - "$work" "$rounds" <<'PY'
import re, sys
work, rounds = sys.argv[1], int(sys.argv[2])
pam = re.compile(rb"sshd\[\d+\]: pam_unix\(sshd:auth\): authentication failure;.* rhost=([0-9.]+)")
attempts = {}
for rec in open(f"{work}/stamps", "rb"):
    ns, line = rec.split(b" ", 1)
    m = pam.search(line)
    if m: attempts.setdefault(m.group(1).decode(), []).append(int(ns))
def bans(who):
    out = {}
    for rec in open(f"{work}/{who}.bans"):
        ns, ip = rec.split()
        out.setdefault(ip, []).append(int(ns))
    return out
def pct(xs, p):
    xs = sorted(xs)
    return xs[max(0, -(-len(xs) * p // 100) - 1)]
ok, result = True, {}
for who, octet in (("panicmode", 1), ("floor", 101)):
    b = bans(who)
    warm, timed = [], []
    for r in range(rounds + 1):
        for i in range(10):
            ip = f"10.77.{octet + r}.{10 + i}"
            a, t = attempts.get(ip, []), b.get(ip, [])
            if len(a) != 3 or len(t) != 1 or t[0] < a[2]:
                ok = False
                print(f"FAIL {who} {ip}: attempts at {a}, block started at {t} (want 3 attempts, one block after the 3rd)")
                continue
            (warm if r == 0 else timed).append((t[0] - a[2]) / 1e6)
    result[who] = timed
    print(f"{who:9}: {len(timed)} samples  p50 {pct(timed, 50):6.2f} ms  p90 {pct(timed, 90):6.2f} ms  "
          f"max {max(timed):6.2f} ms   (warm-up round: p50 {pct(warm, 50):.2f}, max {max(warm):.2f} ms)"
          if timed and warm else f"{who}: no samples")
if result["panicmode"] and result["floor"]:
    print(f"ratio    : p50 {pct(result['panicmode'], 50) / pct(result['floor'], 50):.2f}x  "
          f"p90 {pct(result['panicmode'], 90) / pct(result['floor'], 90):.2f}x the floor")
sys.exit(0 if ok else 1)
PY
