#!/usr/bin/env bash
# The adversarial harness of issue 26, with new attack shapes of its classes:
# parse bombs behind new prefixes and encodings, plans made huge against the
# memory estimate, symlinks and odd files inside a results directory,
# signals at every phase, a broken stdout, corrupt and mixed shards, overlong
# CSV lines and bad UTF-8. Each case states its expected exit status and
# outcome; a case that does not meet them is a finding of the severity
# given. Prints one line per case and a summary (cases, clean, findings by
# severity); exits 1 when there is a High or Medium finding.
#
# usage: scripts/adversarial.sh [BIN]   (make validate-adversarial: a few minutes on 2 cores)
set -uo pipefail
BIN=$(realpath "${1:-${BIN:-bin/smbsim}}")
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W" || exit 1
cases=0 clean=0 high=0 medium=0 low=0
report_lines=()

# verdict NAME SEVERITY OK DETAIL: records a case.
verdict() {
  local name=$1 sev=$2 ok=$3 detail=$4
  cases=$((cases + 1))
  if [ "$ok" = 1 ]; then
    clean=$((clean + 1))
    printf '  ok      %-52s %s\n' "$name" "$detail"
  else
    case $sev in High) high=$((high + 1)) ;; Medium) medium=$((medium + 1)) ;; *) low=$((low + 1)) ;; esac
    printf '  %-7s %-52s %s\n' "$sev" "$name" "$detail"
    report_lines+=("$sev: $name: $detail")
  fi
}

# run MAXS CMD…: runs CMD with a wall limit of 20×MAXS s; sets rc, secs,
# rss (MiB), errbytes and err (the first 300 bytes of stderr).
run() {
  local maxs=$1
  shift
  local t0 t1
  t0=$(date +%s%N)
  /usr/bin/time -f '%M' -o "$W/.rss" timeout -s KILL "$((maxs * 20 + 5))" "$@" >"$W/.out" 2>"$W/.err" </dev/null
  rc=$?
  t1=$(date +%s%N)
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", (b-a)/1e9}')
  rss=$(($(tail -1 "$W/.rss" 2>/dev/null | tr -dc 0-9 || echo 0) / 1024))
  errbytes=$(wc -c <"$W/.err")
  err=$(head -c 300 "$W/.err" | tr '\n' ' ')
}

# expect NAME SEV WANT_RC MAXS MAXMIB CMD…: the command exits WANT_RC
# ("1|2" allowed) within MAXS seconds, under MAXMIB MiB, with less than 16
# KB on stderr, and without a Go panic.
expect() {
  local name=$1 sev=$2 want=$3 maxs=$4 maxmib=$5
  shift 5
  run "$maxs" "$@"
  local ok=1 why="" sev0=$sev
  [[ "|$want|" == *"|$rc|"* ]] || { ok=0; why+="exit $rc (want $want) "; }
  awk -v s="$secs" -v m="$maxs" 'BEGIN{exit !(s > m)}' && { ok=0; why+="took ${secs}s (> ${maxs}s) "; }
  [ "$rss" -le "$maxmib" ] || { ok=0; why+="${rss} MiB (> ${maxmib}) "; }
  grep -q 'goroutine [0-9]* \[' "$W/.err" && { ok=0; why+="PANIC "; }
  # A long message alone is Low (issue 26: error messages bounded).
  if [ "$errbytes" -ge 16384 ]; then
    [ "$ok" = 1 ] && sev=Low
    ok=0 why+="stderr ${errbytes} bytes "
  fi
  verdict "$name" "$sev" "$ok" "${why:-exit $rc, ${secs}s, ${rss} MiB, stderr ${errbytes} B}"
  sev=$sev0
}

# check NAME SEV COND DETAIL: an outcome checked after a command.
check() { verdict "$1" "$2" "$([ "$3" = 0 ] && echo 1 || echo 0)" "$4"; }

# sigcase NAME SIGNAL DELAY CMD…: sends SIGNAL DELAY s after starting CMD
# and expects it to end within 1 s of the signal, with status 0 (already
# done), 1, 130 or 143, and no panic. A command still running 10 s after
# the signal is killed, so that a hang is a finding, not a stuck harness.
sigcase() {
  local name=$1 sig=$2 delay=$3
  shift 3
  "$@" >"$W/.out" 2>"$W/.err" </dev/null &
  local pid=$! t0 t1 ms dog
  sleep "$delay"
  t0=$(date +%s%N)
  kill -"$sig" "$pid" 2>/dev/null
  (sleep 10 && kill -KILL "$pid" 2>/dev/null) &
  dog=$!
  wait "$pid"
  rc=$?
  kill "$dog" 2>/dev/null
  wait "$dog" 2>/dev/null
  t1=$(date +%s%N)
  ms=$(((t1 - t0) / 1000000))
  local ok=1 why=""
  [ "$ms" -le 1000 ] || { ok=0; why+="ended ${ms} ms after SIG$sig "; }
  [[ "$rc" =~ ^(0|1|130|143)$ ]] || { ok=0; why+="exit $rc "; }
  grep -q 'goroutine [0-9]* \[' "$W/.err" && { ok=0; why+="PANIC "; }
  verdict "$name" Medium "$ok" "${why:-exit $rc, ${ms} ms after SIG$sig}"
}

# A results directory of a small compare, kept as a template.
small="compare compare-mixes --seeds 2 --ticks 320 --set population.firms=200 --workers 1 -q"
"$BIN" $small --out "$W/tmpl" --no-charts >/dev/null 2>&1 || { echo "cannot make a results directory with $BIN"; exit 1; }
fresh() { rm -rf "$1" && cp -r "$W/tmpl" "$1"; }

echo "== parse bombs: new prefixes and encodings"
n=2000
nest=$(printf '%*s' $n '' | tr ' ' '[')$(printf '%*s' $n '' | tr ' ' ']')
bomb() { printf '%b' "$1" >"$W/b.toml"; printf '%s\n' "$2" >>"$W/b.toml"; }
bomb '\xef\xbb\xbf\xef\xbb\xbf\xef\xbb\xbf' "a = $nest"
expect "three UTF-8 BOMs then nesting" High 2 2 300 "$BIN" validate "$W/b.toml"
python3 -c "import sys; sys.stdout.buffer.write(('a = ' + '['*2000 + ']'*2000 + '\n').encode('utf-16'))" >"$W/b.toml"
expect "the whole file in UTF-16 (BOM)" High 2 2 300 "$BIN" validate "$W/b.toml"
python3 -c "import sys; sys.stdout.buffer.write(('a = ' + '['*2000 + ']'*2000 + '\n').encode('utf-32'))" >"$W/b.toml"
expect "the whole file in UTF-32 (BOM)" High 2 2 300 "$BIN" validate "$W/b.toml"
bomb '\r\r\r' "a = $nest"
expect "bare carriage returns then nesting" High 2 2 300 "$BIN" validate "$W/b.toml"
bomb '"""\n' "\"\"\"
a = $nest"
expect "a multi-line string then nesting" High 2 2 300 "$BIN" validate "$W/b.toml"
bomb '[meta]\ndescription = """\\\n   \\\n"""\n' "b = $nest"
expect "line-ending backslashes then nesting" High 2 2 300 "$BIN" validate "$W/b.toml"
bomb '\xe2\x80\xa8\xc2\x85' "a = $nest"
expect "Unicode line separators then nesting" High 2 2 300 "$BIN" validate "$W/b.toml"
bomb '' "$(python3 -c "print('.'.join(['\"\\\\u0061\"']*3000) + ' = 1')")"
expect "3000 escaped quoted key parts" High 2 2 300 "$BIN" validate "$W/b.toml"
bomb '' "a = $(python3 -c "print('{b=['*700 + '1' + ']}'*700)")"
expect "inline tables and arrays interleaved" High 2 2 300 "$BIN" validate "$W/b.toml"
python3 -c "print('\n'.join('k%d = 1' % i for i in range(120000)))" >"$W/b.toml"
expect "120,000 keys (1 MiB)" Medium 2 2 400 "$BIN" validate "$W/b.toml"
python3 -c "print('\n'.join('[t%d]' % i for i in range(60000)))" >"$W/b.toml"
expect "60,000 unknown tables" Medium 2 2 400 "$BIN" validate "$W/b.toml"
python3 -c "print('[simulation]\nticks = ' + '9'*900000)" >"$W/b.toml"
expect "a 900,000-digit number" Medium 2 2 300 "$BIN" validate "$W/b.toml"
python3 -c "print('[meta]\ndescription = \"' + 'x'*1100000 + '\"')" >"$W/b.toml"
expect "a file over 1 MiB" Medium 2 2 300 "$BIN" validate "$W/b.toml"
printf 'a\x00 = 1\n' >"$W/b.toml"
expect "a NUL byte in a key" Low 2 2 300 "$BIN" validate "$W/b.toml"
expect "--set with 100,000 brackets" High 2 2 300 "$BIN" run --dry-run --set "meta.description=$(printf '%*s' 100000 '' | tr ' ' '[')" baseline
expect "--set with 20,000 dotted parts" High 2 2 300 "$BIN" run --dry-run --set "$(python3 -c "print('.'.join(['a']*20000))")=1" baseline
expect "--vary with a 60,000-bracket value" High 2 2 300 "$BIN" sweep --dry-run --vary "meta.description=$(printf '%*s' 60000 '' | tr ' ' '[')" baseline

echo "== invalid table layouts and bad UTF-8"
printf 'market.base_margin = 0.3\n[market]\nsectors = 2\n' >"$W/l.toml"
expect "a table by dotted keys then a header" Low 2 2 300 "$BIN" validate "$W/l.toml"
printf '[[variants]]\nname = "a"\npopulation = { firms = 100 }\npopulation.initial_cash = 10\n' >"$W/l.toml"
expect "an inline table extended in an entry" Low 2 2 300 "$BIN" validate "$W/l.toml"
printf '[population.mix]\nimitator = 1.0\ninnovator = 0.0\nspecialist = 0.0\n[population]\nmix.adaptive = 0.0\n' >"$W/l.toml"
expect "dotted keys into a [header] table" Low 2 2 300 "$BIN" validate "$W/l.toml"
printf '[meta]\nname = "a\xc0\xafb"\n' >"$W/l.toml"
expect "an overlong UTF-8 encoding in a string" Low 2 2 300 "$BIN" validate "$W/l.toml"
printf '[meta]\nname = "a\xed\xa0\x80b"\n' >"$W/l.toml"
expect "a UTF-16 surrogate in UTF-8" Low 2 2 300 "$BIN" validate "$W/l.toml"
expect "--set with a surrogate" Low 2 2 300 "$BIN" run --dry-run --set $'meta.description=\xed\xa0\x80' baseline
expect "--control with bad UTF-8" Low 2 2 300 "$BIN" compare --dry-run --control $'market.equal_move_costs=\xff' baseline imitation-heavy
expect "a scenario name of bad UTF-8" Low 2 2 300 "$BIN" run --dry-run $'base\xffline'

echo "== plans made huge against the memory estimate"
expect "a world of 60,000,000 firms" Medium 2 2 300 "$BIN" run --dry-run --set population.firms=60000000 baseline
expect "run: 2 workers of 30,000,000 firms" Medium 2 3 300 "$BIN" run --seeds 2 --workers 2 --set population.firms=30000000 --out "$W/big1" baseline
check "  nothing written" Medium "$([ -e "$W/big1" ] && echo 1 || echo 0)" "no $W/big1"
expect "a 3-parameter sweep of 1,000,000 points" Medium 2 3 600 "$BIN" sweep --dry-run --vary biases.herding=0:1:0.01 --vary biases.confirmation=0:1:0.01 --vary biases.anchoring=0:1:0.01 baseline
expect "a 4,000-point sweep (8 million pairs of tests)" Medium 2 5 600 "$BIN" sweep --dry-run --vary biases.herding=0:0.3999:0.0001 baseline
expect "1,000 shocks on 200,000 firms" Medium 2 3 400 "$BIN" run --dry-run --seeds 2 --set population.firms=200000 --set "shocks=[$(python3 -c "print(','.join('{kind=\"downturn\",tick=%d,severity=0.1}' % (10+i%400) for i in range(1000)))")]" --ticks 500 baseline
expect "options = 4,000,000" Medium "0|2" 5 800 "$BIN" run --dry-run --set strategy.options=4000000 baseline
expect "1,000,000 ticks recorded each tick" Medium "0|2" 3 400 "$BIN" run --dry-run --ticks 1000000 --set output.every=1 --seeds 2000 baseline
expect "--workers 1,000,000" Low "0|2" 3 400 "$BIN" run --dry-run --workers 1000000 baseline

echo "== symlinks and odd files inside a results directory"
mkdir -p "$W/outside"
echo keep >"$W/outside/victim"
fresh "$W/r1"; rm -rf "$W/r1/charts"; ln -s "$W/outside" "$W/r1/charts"
"$BIN" plot "$W/r1" >/dev/null 2>&1
check "plot: charts/ a symlink outside" High "$([ "$(ls "$W/outside")" = victim ] && echo 0 || echo 1)" "outside: $(ls "$W/outside" | tr '\n' ' ')"
fresh "$W/r2"; ln -sf "$W/outside/victim" "$W/r2/report.html"
"$BIN" report "$W/r2" >/dev/null 2>&1
check "report: report.html a symlink outside" High "$([ "$(cat "$W/outside/victim")" = keep ] && echo 0 || echo 1)" "victim: $(head -c 20 "$W/outside/victim")"
fresh "$W/r3"; mv "$W/r3/runs.csv" "$W/outside/runs.csv"; ln -s "$W/outside/runs.csv" "$W/r3/runs.csv"; cp "$W/outside/runs.csv" "$W/runs.before"
"$BIN" $small --out "$W/r3" --resume --no-charts >/dev/null 2>&1
check "--resume: runs.csv a symlink outside" High "$(cmp -s "$W/runs.before" "$W/outside/runs.csv" && echo 0 || echo 1)" "outside runs.csv unchanged"
fresh "$W/r4"; ln -s "$W/outside/victim" "$W/r4/stats.csv.tmp-1"
"$BIN" $small --out "$W/r4" --replace --no-charts >/dev/null 2>&1
check "--replace: a temp-named symlink outside" High "$([ -f "$W/outside/victim" ] && [ "$(cat "$W/outside/victim")" = keep ] && echo 0 || echo 1)" "victim kept"
fresh "$W/r5"; rm "$W/r5/manifest.json"; mkfifo "$W/r5/manifest.json"
expect "manifest.json a FIFO (--resume)" Medium "1|2" 2 300 "$BIN" $small --out "$W/r5" --resume --no-charts
fresh "$W/r6"; rm "$W/r6/timeseries.csv"; ln -s /dev/zero "$W/r6/timeseries.csv"
expect "timeseries.csv -> /dev/zero (plot)" Medium "1|2" 3 400 "$BIN" plot "$W/r6"
fresh "$W/r7"; rm "$W/r7/summary.json"; mkdir "$W/r7/summary.json"
expect "summary.json a directory (report)" Low "1|2" 2 300 "$BIN" report "$W/r7"
fresh "$W/r8"; rm "$W/r8/scenario.toml"; ln -s /dev/urandom "$W/r8/scenario.toml"
expect "scenario.toml -> /dev/urandom (plot)" Medium "0|1|2" 3 400 "$BIN" plot "$W/r8"
fresh "$W/r9"; ln -s "$W/r9" "$W/r9/loop"
expect "a symlink loop inside (--replace)" Low "0" 10 400 "$BIN" $small --out "$W/r9" --replace --no-charts
check "  the loop's target untouched" Low "$([ -d "$W/r9" ] && echo 0 || echo 1)" "results dir kept"

echo "== corrupt and mixed shards, overlong CSV lines"
for i in 1 2; do "$BIN" $small --shard $i/2 --out "$W/s$i" --no-charts >/dev/null 2>&1; done
cp -r "$W/s1" "$W/c1"; truncate -s -100 "$W/c1/timeseries.csv"
expect "merge: a truncated timeseries.csv" Medium 2 2 300 "$BIN" merge "$W/c1" "$W/s2" --out "$W/m1" --no-charts -q
cp -r "$W/s1" "$W/c2"; python3 -c "
import sys; p=sys.argv[1]; b=open(p,'rb').read(); i=b.index(b'\n')+1; open(p,'wb').write(b[:i]+b'\xff\xfe garbage,,,\n'+b[i:])" "$W/c2/runs.csv"
expect "merge: bad UTF-8 garbage in runs.csv" Medium 2 2 300 "$BIN" merge "$W/c2" "$W/s2" --out "$W/m2" --no-charts -q
cp -r "$W/s1" "$W/c3"; python3 -c "
import sys; p=sys.argv[1]; b=open(p,'rb').read(); i=b.index(b'\n')+1; open(p,'wb').write(b[:i]+b'x'*20000000+b'\n'+b[i:])" "$W/c3/timeseries.csv"
expect "merge: a 20 MB line in timeseries.csv" Medium 2 3 400 "$BIN" merge "$W/c3" "$W/s2" --out "$W/m3" --no-charts -q
cp -r "$W/s1" "$W/c4"; python3 -c "
import sys; p=sys.argv[1]; b=open(p,'rb').read(); i=b.index(b'\n'); open(p,'wb').write(b[:i]+b',z'*1500000+b[i:])" "$W/c4/firms.csv"
expect "merge: a 3 MB header in firms.csv" Medium 2 3 400 "$BIN" merge "$W/c4" "$W/s2" --out "$W/m4" --no-charts -q
cp -r "$W/s1" "$W/c5"; sed -i 's/"fingerprint": "\([0-9a-f]\)/"fingerprint": "0\1/' "$W/c5/manifest.json"
expect "merge: another experiment's shard" Medium 2 2 300 "$BIN" merge "$W/c5" "$W/s2" --out "$W/m5" --no-charts -q
cp -r "$W/s1" "$W/c6"; python3 -c "
import sys,json; p=sys.argv[1]; m=json.load(open(p)); m['build']='0'*64; json.dump(m,open(p,'w'))" "$W/c6/manifest.json"
expect "merge: a shard of another build" Medium 2 2 300 "$BIN" merge "$W/c6" "$W/s2" --out "$W/m6" --no-charts -q
cp -r "$W/s2" "$W/c7"; python3 -c "
import sys; p=sys.argv[1]; l=open(p).read().split('\n'); f=l[1].split(','); f[-1]=str(float(f[-1] or 0)+1); l[1]=','.join(f); open(p,'w').write('\n'.join(l))" "$W/c7/runs.csv"
expect "merge: two different copies of a run" Medium 2 2 300 "$BIN" merge "$W/s1" "$W/s2" "$W/c7" --out "$W/m7" --no-charts -q
cp -r "$W/s1" "$W/c8"; sed -i 's/"status": "complete"/"status": "in_progress"/' "$W/c8/manifest.json"
expect "merge: a shard in progress" Medium 2 2 300 "$BIN" merge "$W/c8" "$W/s2" --out "$W/m8" --no-charts -q
cp -r "$W/s1" "$W/c9"; : >"$W/c9/timeseries.csv"
expect "merge: an empty timeseries.csv" Medium 2 2 300 "$BIN" merge "$W/c9" "$W/s2" --out "$W/m9" --no-charts -q
expect "merge: the same shard twice" Low 1 2 300 "$BIN" merge "$W/s1" "$W/s1" --out "$W/m10" --no-charts -q
fresh "$W/r10"; python3 -c "
import sys; p=sys.argv[1]; b=open(p,'rb').read(); open(p,'wb').write(b+b'a,'*3000000+b'\n')" "$W/r10/stats.csv"
expect "plot: a 6 MB line in stats.csv" Medium "1|2" 3 500 "$BIN" plot "$W/r10"

echo "== a broken stdout"
"$BIN" compare compare-mixes --seeds 2 --ticks 320 --set population.firms=200 --workers 1 --out "$W/p1" 2>"$W/.err" | head -c 1 >/dev/null
rc=${PIPESTATUS[0]}
st=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['status'])" "$W/p1/manifest.json" 2>/dev/null)
charts=$(ls "$W/p1/charts" 2>/dev/null | wc -l)
check "stdout closed early: manifest and charts" Medium "$([ "$st" = in_progress ] || { [ "$st" = complete ] && [ "$charts" -gt 0 ]; } && echo 0 || echo 1)" "exit $rc, status $st, $charts charts"

echo "== signals at every phase (the end within 1 s)"
long="compare compare-mixes --seeds 60 --ticks 320 --set population.firms=400 --workers 2"
for d in 0.05 0.3 1 2.5 5 8 12; do
  rm -rf "$W/g"; sigcase "SIGINT at ${d}s of a compare" INT "$d" "$BIN" $long --out "$W/g"
done
sigcase "SIGTERM at 1s of a compare" TERM 1 "$BIN" $long --out "$W/g2"
for i in 1 2; do "$BIN" compare compare-mixes --seeds 60 --ticks 320 --set population.firms=400 --workers 2 --shard $i/2 --out "$W/gs$i" --no-charts -q >/dev/null 2>&1; done
for d in 0.2 0.8 1.5; do
  rm -rf "$W/gm"; sigcase "SIGINT at ${d}s of a merge" INT "$d" "$BIN" merge "$W/gs1" "$W/gs2" --out "$W/gm"
done
"$BIN" merge "$W/gs1" "$W/gs2" --out "$W/gp" --no-charts -q >/dev/null 2>&1
for d in 0.3 1.5; do sigcase "SIGINT at ${d}s of plot" INT "$d" "$BIN" plot "$W/gp"; done
sigcase "SIGINT at 0.5s of report" INT 0.5 "$BIN" report "$W/gp"
sigcase "SIGINT while building 3,000,000 firms" INT 3 "$BIN" run baseline --seeds 1 --workers 1 --set population.firms=3000000 --no-charts --out "$W/gb"

echo
echo "summary: $cases cases, $clean clean, findings: $high High, $medium Medium, $low Low"
for l in "${report_lines[@]}"; do echo "  $l"; done
[ $((high + medium)) -eq 0 ]
