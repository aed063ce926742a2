#!/usr/bin/env bash
# Run one big smbsim experiment on a Slurm cluster: a job array with one
# shard of the runs per task, then a merge job once every task succeeded.
#
# Launch it from a login node or inside an allocation (it submits itself):
#
#   SHARDS=16 CPUS=8 deploy/slurm.sh compare compare-mixes --seeds 2000
#
# The arguments are those of 'smbsim run|compare|sweep|replicate', in any
# order that smbsim accepts (replicate: SHARDS=8 deploy/slurm.sh replicate
# --full; the merge prints its tables into logs/merge.log and draws its
# charts into OUT). Results: merged into OUT/ (exactly the files one machine
# writes), shards in OUT.slurm/shards/<i>/, logs in OUT.slurm/logs/
# (appended to, with an "== attempt" line per attempt). Every task
# runs with --resume, so resubmitting the same command (same SHARDS) after
# a failure, a cancellation or a time-out runs only the missing runs.
# See deploy/README.md for what is identical to one machine's results, what
# must be on a shared filesystem, and deploy/test-slurm.sh for the test.
#
# Settings (environment):
#   SHARDS       tasks of the array (default 8); keep it when resubmitting
#   CPUS         cores per task, its smbsim --workers (default 8)
#   TIME         time limit per task (default 04:00:00)
#   OUT          results directory (default: smbsim's own, e.g. out/<scenario>);
#                made absolute here, so it must be on a filesystem every node sees
#   SMBSIM       the smbsim binary (default: smbsim on PATH), resolved here
#                to an absolute path every node must see
#   SBATCH_ARGS  extra sbatch options of both jobs, whitespace-separated
#                (e.g. "--partition=short --account=me")
#   MERGE_CPUS   cores of the merge job (default 1)
#   MERGE_TIME   time limit of the merge job (default 01:00:00)
#   MERGE_SBATCH_ARGS  extra sbatch options of the merge job only, after
#                SBATCH_ARGS (e.g. "--partition=serial")
set -euo pipefail

me=slurm.sh
die() {
	echo "$me: $*" >&2
	exit 2
}
stamp() { date -u +%Y-%m-%dT%H:%M:%SZ; }

# --- array task: slurm.sh --task SMBSIM SHARDS WORK SMBSIM-ARGS… ----------
# The settings are arguments, not environment: they reach the task whatever
# --export says, and values with spaces or commas stay whole.
task() {
	local smbsim=$1 shards=$2 work=$3 rc=0
	shift 3
	local i=${SLURM_ARRAY_TASK_ID:?not an array task}
	local cpus=${SLURM_CPUS_PER_TASK:-1}
	local attempt
	attempt=$(($(grep -c "^== .* started: job " "$work/logs/shard-$i.log" 2>/dev/null || true) + 1))
	echo "== $(stamp) attempt $attempt of shard $i/$shards started: job ${SLURM_ARRAY_JOB_ID:-?}_$i on $(hostname), $cpus CPUs"
	# Slurm sends SIGTERM on scancel and at the time limit (then SIGKILL
	# after KillWait): smbsim saves the finished runs and exits; the trap
	# notes the signal once it has.
	trap 'echo "== $(stamp) received SIGTERM (scancel or time limit)"' TERM
	"$smbsim" "$@" --shard "$i/$shards" --workers "$cpus" --out "$work/shards/$i" --resume || rc=$?
	echo "== $(stamp) attempt $attempt of shard $i/$shards ended: exit $rc"
	exit "$rc"
}

# --- merge job: slurm.sh --merge SMBSIM SHARDS WORK OUT MERGE-FLAGS… ------
merge() {
	local smbsim=$1 shards=$2 work=$3 out=$4 i
	shift 4
	echo "== $(stamp) merge of $shards shards: job ${SLURM_JOB_ID:-?} on $(hostname)"
	local dirs=()
	for ((i = 1; i <= shards; i++)); do dirs+=("$work/shards/$i"); done
	exec "$smbsim" merge "${dirs[@]}" --out "$out" "$@"
}

case ${1:-} in
--task)
	shift
	task "$@"
	;;
--merge)
	shift
	merge "$@"
	;;
esac

# --- launcher ---------------------------------------------------------------

usage() {
	sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
	exit "${1:-2}"
}
[[ $# -gt 0 ]] || usage 2
case $1 in
run | compare | sweep | replicate) ;;
-h | --help | help) usage 0 ;;
*) die "the first argument is the smbsim command: run, compare, sweep or replicate (got '$1')" ;;
esac
for a in "$@"; do
	case $a in
	--shard | --shard=*) die "do not pass --shard: each task runs its shard i of SHARDS (set SHARDS=n)" ;;
	--dry-run | --dry-run=*) die "do not pass --dry-run: to see the plan, run smbsim $* yourself" ;;
	esac
done

positive() { [[ $2 =~ ^[1-9][0-9]*$ ]] || die "$1=$2: want a positive whole number"; }
SHARDS=${SHARDS:-8}
CPUS=${CPUS:-8}
MERGE_CPUS=${MERGE_CPUS:-1}
positive SHARDS "$SHARDS"
positive CPUS "$CPUS"
positive MERGE_CPUS "$MERGE_CPUS"
TIME=${TIME:-04:00:00}
MERGE_TIME=${MERGE_TIME:-01:00:00}
read -r -a sbatch_args <<<"${SBATCH_ARGS:-}"
read -r -a merge_args <<<"${MERGE_SBATCH_ARGS:-}"
command -v sbatch >/dev/null || die "sbatch not found: run this on a Slurm login node"

# The binary, as an absolute path (the tasks do not share our PATH).
smbsim=$(command -v -- "${SMBSIM:-smbsim}") ||
	die "smbsim not found: put it on PATH or set SMBSIM=/path/to/smbsim (on a filesystem every node sees)"
[[ $smbsim == /* ]] || smbsim=$PWD/$smbsim
script=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")

# Ask smbsim itself for the plan: it checks the arguments and scenario, and
# gives the results directory it would use (OUT overrides it).
plan_args=("$@")
[[ -n ${OUT:-} ]] && plan_args+=(--out "$OUT")
plan=$("$smbsim" "${plan_args[@]}" --dry-run) || exit $?
field() { sed -n "s/^$1: //p" <<<"$plan"; }
out=$(field out)
runs=$(field runs)
[[ -n $out && -n $runs ]] || die "could not read the plan from '$smbsim ... --dry-run' (an older smbsim?):"$'\n'"$plan"
out=$(realpath -m -- "$out")
[[ $out != *%* ]] || die "OUT=$out: Slurm reads % in log paths as a pattern; choose a directory without %"
# The shards and logs go beside OUT, so that OUT holds exactly what one
# machine writes (and smbsim writes only into its own results directories).
work=$out.slurm
((SHARDS <= runs)) || die "SHARDS=$SHARDS but the experiment has only $runs runs: use SHARDS=$runs or fewer"

merge_flags=()
[[ $(field charts) == yes ]] || merge_flags+=(--no-charts)
[[ $(field quiet) == no ]] || merge_flags+=(--quiet)

# A resubmission must split the runs the same way.
for m in "$work"/shards/*/manifest.json; do
	[[ -f $m ]] || continue
	n=$(sed -n 's/.*"shard": "[0-9]*\/\([0-9]*\)".*/\1/p' "$m" | head -1)
	if [[ -n $n && $n != "$SHARDS" ]]; then
		die "$work holds $n shards from an earlier submission, but SHARDS=$SHARDS: resubmit with SHARDS=$n (it runs only what is missing), or set another OUT"
	fi
	break
done

mkdir -p "$work/logs" || die "cannot create $work/logs"

# Check the requests against the cluster before queueing anything:
# sbatch --test-only knows the nodes (CPUs, memory, features); partition
# time limits are checked below on the held jobs.
array_opts=("${sbatch_args[@]}" --job-name=smbsim --array="1-$SHARDS" --cpus-per-task="$CPUS" --time="$TIME")
merge_opts=("${sbatch_args[@]}" "${merge_args[@]}" --job-name=smbsim-merge --cpus-per-task="$MERGE_CPUS" --time="$MERGE_TIME")
if ! msg=$(sbatch --test-only "${array_opts[@]}" --output=/dev/null "$script" 2>&1); then
	die "Slurm cannot run the tasks (CPUS=$CPUS, TIME=$TIME, SBATCH_ARGS=${SBATCH_ARGS:-}): $msg"
fi
if ! msg=$(sbatch --test-only "${merge_opts[@]}" --output=/dev/null "$script" 2>&1); then
	die "Slurm cannot run the merge (MERGE_CPUS=$MERGE_CPUS, MERGE_TIME=$MERGE_TIME, MERGE_SBATCH_ARGS=${MERGE_SBATCH_ARGS:-}): $msg"
fi

# seconds T: a Slurm time as squeue and sinfo print it ([D-]HH:MM:SS, MM:SS).
seconds() {
	local t=$1 d=0 h=0 m=0 s=0
	case $t in UNLIMITED | INFINITE | infinite | NOT_SET | "") echo 9999999999 && return ;; esac
	[[ $t == *-* ]] && d=${t%%-*} t=${t#*-}
	IFS=: read -r -a p <<<"$t"
	case ${#p[@]} in
	3) h=${p[0]} m=${p[1]} s=${p[2]} ;;
	2) m=${p[0]} s=${p[1]} ;;
	1) m=${p[0]} ;;
	esac
	echo $((((10#$d * 24 + 10#$h) * 60 + 10#$m) * 60 + 10#$s))
}

# check_limits JOB WHAT CPUS: the held JOB fits at least one of its
# partitions (time limit and CPUs of the largest node); else an error.
check_limits() {
	local job=$1 what=$2 cpus=$3 parts limit p max maxcpu why=()
	read -r parts limit <<<"$(squeue -h -j "$job" -o '%P %l' | head -1)"
	for p in ${parts//,/ }; do
		max=$(sinfo -h -p "$p" -o %l | head -1)
		maxcpu=$(sinfo -h -p "$p" -N -o %c | sort -n | tail -1)
		if (($(seconds "$limit") > $(seconds "$max"))); then
			why+=("its time limit $limit is above partition $p's $max")
		elif ((cpus > ${maxcpu:-0})); then
			why+=("it asks for $cpus CPUs but partition $p's nodes have at most ${maxcpu:-0}")
		else
			return 0
		fi
	done
	printf '%s\n' "$what: ${why[*]}"
	return 1
}

# Submit both held, check them, then release: either both run or neither
# is queued. The merge runs only if every task succeeded, and is removed
# (--kill-on-invalid-dep) if one fails, is cancelled or times out.
array=$(sbatch --parsable --hold "${array_opts[@]}" \
	--output="$work/logs/shard-%a.log" --open-mode=append \
	"$script" --task "$smbsim" "$SHARDS" "$work" "$@") || die "sbatch of the tasks failed; nothing is queued"
array=${array%%;*}
if ! merge=$(sbatch --parsable --hold "${merge_opts[@]}" \
	--dependency=afterok:"$array" --kill-on-invalid-dep=yes \
	--output="$work/logs/merge.log" --open-mode=append \
	"$script" --merge "$smbsim" "$SHARDS" "$work" "$out" "${merge_flags[@]}"); then
	scancel "$array"
	die "sbatch of the merge failed, so the tasks (job $array) were cancelled; nothing is queued"
fi
merge=${merge%%;*}
problems=$(
	check_limits "$array" "the tasks (TIME=$TIME, CPUS=$CPUS)" "$CPUS"
	check_limits "$merge" "the merge (MERGE_TIME=$MERGE_TIME, MERGE_CPUS=$MERGE_CPUS)" "$MERGE_CPUS"
) || true
if [[ -n $problems ]]; then
	scancel "$array" "$merge"
	die "these jobs would wait forever, so nothing is queued:"$'\n'"$problems"
fi
scontrol release "$array" "$merge" || {
	scancel "$array" "$merge"
	die "scontrol release failed, so the jobs were cancelled; nothing is queued"
}
echo "submitted $runs runs in $SHARDS shards as job $array (tasks 1-$SHARDS, $CPUS CPUs each) and the merge as job $merge; results in $out, shards and logs in $work"
