#!/bin/sh
# docker-compose one-shot setup, run as root in the panicmode image before the PanicMode
# services start. On first run it creates the fleet CA, this host's certificate, command key,
# result key pair, operator key and API token (volume "ca"); every run renders each process's /etc/panicmode
# (volumes etc-action, etc-sensor, etc-central) holding only what that process needs, and gives
# each state and log volume to the user its process runs as. Delete the ca volume to start over.
set -eu
root=${SETUP_ROOT:-}              # tests run it against a temporary tree
ca=$root/ca
tpl=$root/templates
uid=10001                         # the image's panicmode user and group

if [ ! -f "$ca/ca.p12" ]; then
  panicmode certs init --dir "$ca"
  panicmode certs issue node --dir "$ca"
  head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$ca/api.token"
  # The launcher wants a command key in every clustered process; the central one is trusted by
  # no action process, so the central container can sign nothing the action process accepts.
  head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$ca/central.command.key"
  chmod 0600 "$ca/api.token" "$ca/central.command.key"
fi
# A CA volume from before result keys: issue the node again (same CA; every run re-renders all keys).
[ -f "$ca/node.result.key" ] || panicmode certs issue node --dir "$ca"
password=$(tr -d '\r\n' < "$ca/password")
case "$password" in *[!0-9A-Za-z]*|'') echo "setup: unexpected characters in $ca/password" >&2; exit 1 ;; esac

for p in action sensor central; do
  out=$root/out/$p
  rm -rf "${out:?}/tls" "${out:?}/keys"
  install -d -m 0750 -o 0 -g "$uid" "$out" "$out/tls" "$out/keys"
  sed "s/CHANGE_ME_TLS_PASSWORD/$password/g" "$tpl/$p.yaml" > "$out/$p.yaml"
  chown 0:"$uid" "$out/$p.yaml"
  chmod 0640 "$out/$p.yaml"
  install -m 0640 -o 0 -g "$uid" "$ca/truststore.p12" "$out/tls/truststore.p12"
  install -m 0640 -o 0 -g "$uid" "$ca/node.p12" "$out/tls/node.p12"
done
# The command key signs detector commands: the sensor and the action process only. The operator
# key signs manual commands: the API (central) and the action process only.
install -m 0640 -o 0 -g "$uid" "$ca/node.command.key" "$root/out/action/keys/command.key"
install -m 0640 -o 0 -g "$uid" "$ca/node.command.key" "$root/out/sensor/keys/command.key"
install -m 0640 -o 0 -g "$uid" "$ca/operator.key" "$root/out/action/keys/operator.key"
install -m 0640 -o 0 -g "$uid" "$ca/operator.key" "$root/out/central/keys/operator.key"
install -m 0640 -o 0 -g "$uid" "$ca/api.token" "$root/out/central/keys/api.token"
install -m 0640 -o 0 -g "$uid" "$ca/central.command.key" "$root/out/central/keys/central.command.key"
# The result key signs action results: the action process only (root). Its public half goes to
# the processes that send commands and verify the answers: the sensor and the API (central).
install -m 0600 -o 0 -g 0 "$ca/node.result.key" "$root/out/action/keys/result.key"
for p in sensor central; do
  install -d -m 0750 -o 0 -g "$uid" "$root/out/$p/keys/results"
  install -m 0640 -o 0 -g "$uid" "$ca/results/node.result.pub" "$root/out/$p/keys/results/node.result.pub"
done

chown -R 0:0 "$root/state/action" "$root/logs/action"
chown -R "$uid:$uid" "$root/state/sensor" "$root/logs/sensor" "$root/state/central" "$root/logs/central"
chmod 0700 "$root/state/action" "$root/logs/action" "$root/state/sensor" "$root/logs/sensor" "$root/state/central" "$root/logs/central"
echo "setup: /etc/panicmode rendered for action, sensor and central"
