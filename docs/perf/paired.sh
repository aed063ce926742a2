#!/bin/sh
# paired.sh runs two commands in turn, A B A B ..., N times each (after one
# warm-up run of each), and prints each command's median CPU time (user +
# system seconds of the whole process, from GNU time) and the median of the
# per-pair ratios A/B. Pairing keeps a ratio meaningful while the machine's
# speed drifts (see docs/performance.md, "Machine").
#
# With a workload name as a fourth argument it also prints the median of the
# per-pair ratios of that workload's firm-ticks per second, read from each
# run's output: a line of `smbsim bench --json` whose "name" is the workload,
# or, for a Go benchmark binary, the figure before "firm-ticks/s".
#
# When both commands' outputs carry cpu_seconds (smbsim bench --json) or,
# for a Go benchmark binary, a firm-ticks/cpu-s figure (BenchmarkMarket),
# it also prints the median and range of the per-pair ratios of the
# workload's firm-ticks per CPU second, the steadier figure on a shared
# machine.
#
# Usage: sh docs/perf/paired.sh N 'COMMAND_A' 'COMMAND_B' [WORKLOAD]
# Example:
#   sh docs/perf/paired.sh 7 './smbsim bench --quick --json' './smbsim-old bench --quick --json' market-10k
set -eu
n=$1 a=$2 b=$3 workload=${4:-}
command -v /usr/bin/time >/dev/null || { echo "paired.sh: needs GNU time (/usr/bin/time)" >&2; exit 2; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

run() { # run LABEL INDEX COMMAND: CPU seconds to $dir/LABEL.cpu, output to $dir/LABEL.INDEX
	/usr/bin/time -f '%U %S' -o "$dir/t" sh -c "$3" >"$dir/$1.$2" 2>/dev/null || true
	awk '{print $1 + $2}' "$dir/t" >>"$dir/$1.cpu"
}
figure() { # figure FILE: the workload's firm-ticks per second in one run's output
	awk -v w="\"name\":\"$workload\"" '
		index($0, w) { if (match($0, /"firm_ticks_per_sec":[0-9.eE+-]+/)) { print substr($0, RSTART + 21, RLENGTH - 21); exit } }
		/firm-ticks\/s/ { for (i = 2; i <= NF; i++) if ($i == "firm-ticks/s") { print $(i - 1); exit } }' "$1"
}
cpufigure() { # cpufigure FILE: the workload's firm-ticks per CPU second, when the output has cpu_seconds (or a Go benchmark's firm-ticks/cpu-s)
	awk -v w="\"name\":\"$workload\"" '
		/firm-ticks\/cpu-s/ { for (i = 2; i <= NF; i++) if ($i == "firm-ticks/cpu-s") { print $(i - 1); exit } }
		index($0, w) && match($0, /"cpu_seconds":[0-9.eE+-]+/) {
			c = substr($0, RSTART + 14, RLENGTH - 14)
			match($0, /"firm_ticks_per_sec":[0-9.eE+-]+/); f = substr($0, RSTART + 21, RLENGTH - 21)
			match($0, /"seconds":[0-9.eE+-]+/); s = substr($0, RSTART + 10, RLENGTH - 10)
			if (c > 0) print f * s / c
			exit
		}' "$1"
}
median() { sort -g | awk '{x[NR] = $1} END {print (NR % 2) ? x[(NR + 1) / 2] : (x[NR / 2] + x[NR / 2 + 1]) / 2}'; }

run warm 0 "$a"
run warm 0 "$b"
: >"$dir/a.cpu"
: >"$dir/b.cpu"
i=1
while [ "$i" -le "$n" ]; do
	run a "$i" "$a"
	run b "$i" "$b"
	i=$((i + 1))
done
echo "A: $a"
echo "B: $b"
echo "median CPU seconds: A $(median <"$dir/a.cpu")  B $(median <"$dir/b.cpu")"
echo "median of the per-pair ratios A/B of CPU time: $(paste "$dir/a.cpu" "$dir/b.cpu" | awk '{print $1 / $2}' | median)"
if [ -n "$workload" ]; then
	: >"$dir/ra"
	: >"$dir/rb"
	: >"$dir/r"
	i=1
	while [ "$i" -le "$n" ]; do
		fa=$(figure "$dir/a.$i") fb=$(figure "$dir/b.$i")
		if [ -n "$fa" ] && [ -n "$fb" ]; then
			echo "$fa" >>"$dir/ra"
			echo "$fb" >>"$dir/rb"
			awk -v x="$fa" -v y="$fb" 'BEGIN {print x / y}' >>"$dir/r"
		fi
		i=$((i + 1))
	done
	if [ -s "$dir/r" ]; then
		echo "$workload firm-ticks/s, median: A $(median <"$dir/ra")  B $(median <"$dir/rb")"
		echo "$workload median of the per-pair ratios A/B of firm-ticks/s: $(median <"$dir/r") (over $(wc -l <"$dir/r") pairs)"
	else
		echo "paired.sh: no firm-ticks/s figure for $workload in the outputs" >&2
	fi
	# The same per CPU second, when both commands report cpu_seconds
	# (smbsim bench --json from issue 25 on).
	: >"$dir/c"
	i=1
	while [ "$i" -le "$n" ]; do
		fa=$(cpufigure "$dir/a.$i") fb=$(cpufigure "$dir/b.$i")
		if [ -n "$fa" ] && [ -n "$fb" ]; then
			awk -v x="$fa" -v y="$fb" 'BEGIN {print x / y}' >>"$dir/c"
		fi
		i=$((i + 1))
	done
	if [ -s "$dir/c" ]; then
		sort -g "$dir/c" >"$dir/cs"
		echo "$workload median of the per-pair ratios A/B of firm-ticks per CPU second: $(median <"$dir/c") (range $(head -1 "$dir/cs")–$(tail -1 "$dir/cs"), over $(wc -l <"$dir/c") pairs)"
	fi
fi
