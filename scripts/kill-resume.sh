#!/usr/bin/env bash
# SIGKILL at random moments during a 200-seed run, then --resume: every run
# that had finished must be kept, and the results must end byte-identical
# (manifest.json aside) to an uninterrupted run, with no temporary files
# left. Run by `make validate-kill`; TRIALS (default 12), SEED (default 1)
# and BIN (default bin/smbsim) may be set. BASE=path/to/older/smbsim runs the
# same kills against an older binary for comparison (no checks, figures
# only).
set -euo pipefail
BIN=${BIN:-bin/smbsim}
TRIALS=${TRIALS:-12}
RANDOM=${SEED:-1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmd=(run baseline --seeds 200 --set population.firms=300 --ticks 200 --set 'shocks[1].tick=100' --no-charts --workers 2)

t0=$(date +%s%N)
"$BIN" "${cmd[@]}" -q --out "$work/ref"
full_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
echo "uninterrupted: ${full_ms} ms for 200 runs"

# finished_runs DIR: runs recorded as finished at the moment of the kill:
# the journal's entries, or else the manifest's completed_runs.
finished_runs() {
  local j="$1/.smbsim-partial/journal" n=0 m=0
  if [ -f "$j" ]; then n=$(grep -c '^[0-9]' "$j" || true); fi
  if [ -f "$1/manifest.json" ]; then m=$(sed -n 's/.*"completed_runs": \([0-9]*\).*/\1/p' "$1/manifest.json"); fi
  echo $(( n > ${m:-0} ? n : ${m:-0} ))
}

# kill_at_random BIN OUT: starts the run with BIN into OUT and SIGKILLs it
# after a random delay (ms, set in $delay) of up to 1.1 uninterrupted runs.
kill_at_random() {
  delay=$(( RANDOM * 32768 + RANDOM ))
  delay=$(( delay % (full_ms * 11 / 10) ))
  "$1" "${cmd[@]}" -q --out "$2" & pid=$!
  sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

fail=0
printf '%-6s %9s %8s %14s %9s %s\n' trial kill_ms status finished_then kept result
for trial in $(seq 1 "$TRIALS"); do
  out="$work/t$trial"
  kill_at_random "$BIN" "$out"
  status=$(sed -n 's/.*"status": "\([a-z_]*\)".*/\1/p' "$out/manifest.json" 2>/dev/null || echo none)
  before=$(finished_runs "$out")
  log=$("$BIN" "${cmd[@]}" --out "$out" --resume 2>&1 >/dev/null) || { echo "resume failed: $log"; fail=1; }
  kept=$(sed -n 's/^resumed: \([0-9]*\) runs were already complete.*/\1/p' <<<"$log")
  kept=${kept:-0}
  [ "$status" = complete ] && kept=200 # finished before the kill: nothing to resume
  result=ok
  if [ "$kept" -lt "$before" ]; then result="LOST $((before - kept)) finished runs"; fail=1; fi
  if ! diff -r -q -x manifest.json "$work/ref" "$out" >/dev/null; then result="$result; DIFFERS"; fail=1; fi
  if [ -n "$(find "$out" -name '.*' ! -path "$out")" ]; then result="$result; temporary files left"; fail=1; fi
  if ! grep -q '"status": "complete"' "$out/manifest.json"; then result="$result; not complete"; fail=1; fi
  printf '%-6s %9s %8s %14s %9s %s\n' "$trial" "$delay" "$status" "$before" "$kept" "$result"
  rm -rf "$out"
done

if [ -n "${BASE:-}" ]; then
  echo "the same kills with $BASE:"
  RANDOM=${SEED:-1}
  for trial in $(seq 1 "$TRIALS"); do
    out="$work/b$trial"
    kill_at_random "$BASE" "$out"
    tmp=$(find "$out" -name '.*tmp*' | wc -l)
    log=$("$BASE" "${cmd[@]}" --out "$out" --resume 2>&1 >/dev/null || true)
    kept=$(sed -n 's/^resumed: \([0-9]*\) runs were already complete.*/\1/p' <<<"$log")
    left=$(find "$out" -name '.*tmp*' | wc -l)
    printf 'trial %2d: kill at %5d ms: resume kept %3s runs; %d temporary files after the kill, %d after the resume\n' "$trial" "$delay" "${kept:-0}" "$tmp" "$left"
    rm -rf "$out"
  done
fi
[ "$fail" = 0 ] && echo "all $TRIALS trials: every finished run kept, results byte-identical, no temporary files" || { echo FAILED; exit 1; }
