#!/usr/bin/env bash
# Seconds from Ctrl-C (SIGINT) to exit while a 5,000,000-firm run is under
# way, one worker (issue 15: a worker used to build the next queued world,
# 18–48 s, before it looked at the signal). Needs about 2 GB of memory.
# usage: scripts/ctrlc-latency.sh [BIN] [SECONDS-BEFORE-CTRL-C]
set -uo pipefail
bin=${1:-bin/smbsim}
wait_s=${2:-30}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$bin" run baseline --seeds 3 --workers 1 --set population.firms=5000000 --ticks 100 --set 'shocks[1].tick=50' \
  --no-charts -q --out "$out/res" &
pid=$!
sleep "$wait_s"
t0=$(date +%s%N)
kill -INT "$pid"
wait "$pid"; rc=$?
echo "$bin: exit $rc, $(( ($(date +%s%N) - t0) / 1000000 )) ms from SIGINT to exit"
