#!/usr/bin/env bash
# The floor for bench/sshd-latency.sh: follow the log, count each pam_unix failure per source,
# run the block script on the 3rd. Usage: tail-grep-defender.sh LOG BLOCK_SCRIPT
declare -A seen
tail -F -n0 "$1" 2>/dev/null \
  | grep --line-buffered -oP 'pam_unix\(sshd:auth\): authentication failure;.* rhost=\K[0-9.]+' \
  | while read -r ip; do
      seen[$ip]=$(( ${seen[$ip]:-0} + 1 ))
      if [ "${seen[$ip]}" = 3 ]; then "$2" "$ip" & fi
    done
