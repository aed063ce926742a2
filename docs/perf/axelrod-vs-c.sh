#!/bin/sh
# Compares smbsim's Axelrod events per second with the tight C version in
# axelrod.c (needs gcc), 2,000,000 events on the 100×100 lattice (and
# 10×10). Run from the repository root.
#
# The two run in turn, C then smbsim, N times (default 7), after one
# warm-up of each, and the script prints each pair's events per CPU
# second, the ratio C/smbsim pair by pair, and the median and range of the
# ratios: on a shared machine only a ratio of runs made together means
# anything (see docs/performance.md, "Machine"). smbsim's 100×100 figure
# comes twice: measured at the end, as the C loop (axelrod-100x100), and
# measured every tick, as a run recording its series (axelrod-100x100/tick).
#
# Usage: sh docs/perf/axelrod-vs-c.sh [N] [SMBSIM]
#   SMBSIM: a built smbsim to measure (default: built from this tree)
set -e
n=${1:-7}
command -v gcc >/dev/null || { echo "gcc not found: skipping the C comparison"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gcc -O2 -march=native -o "$tmp/axelrod" docs/perf/axelrod.c
bin=${2:-}
if [ -z "$bin" ]; then
	go build -o "$tmp/smbsim" ./cmd/smbsim
	bin=$tmp/smbsim
fi
# Events per CPU second (the CPU time of the events alone): on a shared
# machine wall time includes waiting for a core.
c_rate() { "$tmp/axelrod" "$1" 2000000 | awk '{for (i = 1; i < NF; i++) {if ($i == "events") e = $(i + 1); if ($i == "cpu_seconds") c = $(i + 1)}} END {print e / c}'; }
go_rates() { # prints the 10×10, the 100×100 and the 100×100 measured every tick, events per CPU second
	"$bin" bench --only axelrod --json | awk '
		{
			if (!match($0, /"name":"[^"]*"/)) next
			k = substr($0, RSTART + 8, RLENGTH - 9)
			if (match($0, /"events_per_sec":[0-9.eE+-]+/)) e = substr($0, RSTART + 17, RLENGTH - 17)
			if (match($0, /"seconds":[0-9.eE+-]+/)) s = substr($0, RSTART + 10, RLENGTH - 10)
			if (match($0, /"cpu_seconds":[0-9.eE+-]+/)) r[k] = e * s / substr($0, RSTART + 14, RLENGTH - 14)
		}
		END { print r["axelrod-10x10"], r["axelrod-100x100"], r["axelrod-100x100/tick"] }'
}
c_rate 100 >/dev/null
go_rates >/dev/null
: >"$tmp/r100"
: >"$tmp/r10"
: >"$tmp/rtick"
echo "events per CPU second; smbsim measured at the end (as C), and measured every tick"
echo "pair  C 10x10  smbsim  C/smbsim  C 100x100  smbsim  C/smbsim  smbsim every tick  C/smbsim"
i=1
while [ "$i" -le "$n" ]; do
	c10=$(c_rate 10)
	c100=$(c_rate 100)
	set -- $(go_rates)
	g10=$1 g100=$2 gtick=$3
	r10=$(awk -v a="$c10" -v b="$g10" 'BEGIN {printf "%.3f", a / b}')
	r100=$(awk -v a="$c100" -v b="$g100" 'BEGIN {printf "%.3f", a / b}')
	rtick=$(awk -v a="$c100" -v b="$gtick" 'BEGIN {printf "%.3f", a / b}')
	echo "$r10" >>"$tmp/r10"
	echo "$r100" >>"$tmp/r100"
	echo "$rtick" >>"$tmp/rtick"
	awk -v i="$i" -v c10="$c10" -v g10="$g10" -v r10="$r10" -v c100="$c100" -v g100="$g100" -v r100="$r100" -v gt="$gtick" -v rt="$rtick" \
		'BEGIN {printf "%4d  %5.1f M  %5.1f M  %8s  %7.1f M  %5.1f M  %8s  %15.1f M  %8s\n", i, c10 / 1e6, g10 / 1e6, r10, c100 / 1e6, g100 / 1e6, r100, gt / 1e6, rt}'
	i=$((i + 1))
done
summary() { sort -g "$1" | awk -v what="$2" '{x[NR] = $1} END {m = (NR % 2) ? x[(NR + 1) / 2] : (x[NR / 2] + x[NR / 2 + 1]) / 2; printf "%s: C/smbsim median %.2f, range %.2f–%.2f over %d pairs\n", what, m, x[1], x[NR], NR}'; }
summary "$tmp/r100" "100x100, measured at the end"
summary "$tmp/rtick" "100x100, measured every tick"
summary "$tmp/r10" "10x10, measured at the end"
