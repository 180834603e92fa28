#!/bin/sh
# Runs sshd in a private mount namespace (started with unshare -m) whose /dev/log is the test's
# syslog socket, and whose /run and /var/log are private, so the host's /dev, utmp, wtmp and btmp
# are never touched. Usage: run-sshd.sh DIR (holding log.sock and sshd_config).
set -eu
d=$1
mkdir -p "$d/hostdev"
mount --rbind /dev "$d/hostdev"
mount -t tmpfs -o mode=755 pm-dev /dev
for e in "$d"/hostdev/* "$d"/hostdev/.[!.]*; do
  [ -e "$e" ] || [ -L "$e" ] || continue
  ln -s "$e" "/dev/$(basename "$e")"
done
ln -s "$d/log.sock" /dev/log
mount -t tmpfs -o mode=755 pm-run /run
mkdir -m 755 /run/sshd
mount -t tmpfs -o mode=755 pm-varlog /var/log
exec /usr/sbin/sshd -D -f "$d/sshd_config"
