#!/bin/sh
# docker-compose one-shot setup, run as root in the panicmode image before the PanicMode
# services start. On first run it creates the fleet CA (volume "ca"), the central tier's
# certificate, this host's agent certificate (its CN is the host id, HOST_ID) with its result key
# pair, and the API token. Every run renders each container's /etc/panicmode (volumes etc-agent,
# etc-central) holding only what that process needs, and gives each state and log volume to the
# user its process runs as. Delete the ca volume to start over.
set -eu
root=${SETUP_ROOT:-}              # tests run it against a temporary tree
ca=$root/ca
tpl=$root/templates
uid=10001                         # the image's panicmode user and group
host=${HOST_ID:-}
case "$host" in
  [A-Za-z0-9]*) ;;
  *) echo "setup: HOST_ID must be a host id (letters, digits, '-', '_'), got '$host'" >&2; exit 1 ;;
esac
case "$host" in *[!A-Za-z0-9_-]*) echo "setup: HOST_ID must be a host id (letters, digits, '-', '_'), got '$host'" >&2; exit 1 ;; esac
[ "$host" != central ] || { echo "setup: HOST_ID 'central' is the central tier's certificate name" >&2; exit 1; }

if [ ! -f "$ca/ca.p12" ]; then
  panicmode certs init --dir "$ca"
  panicmode certs issue central --dir "$ca"
  head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$ca/api.token"
  chmod 0600 "$ca/api.token"
fi
# Another HOST_ID, or a CA volume from before: issue this host's certificate with the same CA.
[ -f "$ca/$host.p12" ] || panicmode certs issue "$host" --dir "$ca"
password=$(tr -d '\r\n' < "$ca/password")
case "$password" in *[!0-9A-Za-z]*|'') echo "setup: unexpected characters in $ca/password" >&2; exit 1 ;; esac

render() { # render PROCESS CERTIFICATE
  out=$root/out/$1
  rm -rf "${out:?}/tls" "${out:?}/keys"
  install -d -m 0750 -o 0 -g "$uid" "$out" "$out/tls" "$out/keys"
  sed -e "s/CHANGE_ME_TLS_PASSWORD/$password/g" "$tpl/$1.yaml" > "$out/$1.yaml"
  chown 0:"$uid" "$out/$1.yaml"
  chmod 0640 "$out/$1.yaml"
  install -m 0640 -o 0 -g "$uid" "$ca/truststore.p12" "$out/tls/truststore.p12"
  install -m 0640 -o 0 -g "$uid" "$ca/$2.p12" "$out/tls/node.p12"
}
render agent "$host"
render central central
# The agent runs as root: its keys are root's alone. The command key never leaves this host's
# agent (detector signs, action verifies); the result key signs its answers to the central api.
install -m 0600 -o 0 -g 0 "$ca/$host.command.key" "$root/out/agent/keys/command.key"
install -m 0600 -o 0 -g 0 "$ca/$host.result.key" "$root/out/agent/keys/result.key"
install -m 0600 -o 0 -g 0 "$ca/operator.key" "$root/out/agent/keys/operator.key"
# The central api signs manual commands with the operator key and verifies each agent's answers
# with its public result key (results/HOST.result.pub).
install -m 0640 -o 0 -g "$uid" "$ca/operator.key" "$root/out/central/keys/operator.key"
install -m 0640 -o 0 -g "$uid" "$ca/api.token" "$root/out/central/keys/api.token"
install -d -m 0750 -o 0 -g "$uid" "$root/out/central/keys/results"
for pub in "$ca"/results/*.result.pub; do
  [ "$(basename "$pub")" = central.result.pub ] && continue
  install -m 0640 -o 0 -g "$uid" "$pub" "$root/out/central/keys/results/"
done

chown -R 0:0 "$root/state/agent" "$root/logs/agent"
chown -R "$uid:$uid" "$root/state/central" "$root/logs/central"
chmod 0700 "$root/state/agent" "$root/logs/agent" "$root/state/central" "$root/logs/central"
echo "setup: /etc/panicmode rendered for agent $host and central"
