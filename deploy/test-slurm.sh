#!/usr/bin/env bash
# Test deploy/slurm.sh against a real Slurm: installs Debian's slurm-wlm and
# munge where missing, starts a single-node cluster with a minimal
# configuration of its own (in a temporary directory, on ports 16817 and
# 16818; /etc/slurm is not touched), runs deploy/slurm.sh as an ordinary
# user through the cases of issue 16, checks each, and stops the daemons it
# started. Run it as root from the repository (it builds its own smbsim,
# readable by the test user, into the temporary directory):
#
#   make test-slurm          # or: bash deploy/test-slurm.sh [CASE…]
#
# CASEs (default: all, in this order): reject normal cancel readonly
# timelimit flags space mergeres chdir salloc replicate. KEEP=1 keeps the temporary directory
# (it is printed) for inspection; the daemons are always stopped.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
launcher=$repo/deploy/slurm.sh
user=smbsimtest     # the unprivileged user who submits
node=smbsimnode     # the one node's name
ctld_port=16817
slurmd_port=16818

say() { printf '\n### %s\n' "$*"; }
fail() {
	echo "FAIL: $*" >&2
	failures+=("$*")
}
die() {
	echo "test-slurm: $*" >&2
	exit 1
}

# ---- cluster --------------------------------------------------------------

install_packages() {
	local missing=()
	command -v slurmctld >/dev/null || missing+=(slurmctld)
	command -v slurmd >/dev/null || missing+=(slurmd)
	command -v sbatch >/dev/null || missing+=(slurm-client)
	command -v munged >/dev/null || missing+=(munge)
	if ((${#missing[@]} > 0)); then
		say "installing slurm-wlm and munge (missing: ${missing[*]})"
		apt-get update
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends slurm-wlm munge
	fi
}

# start_cluster DIR writes DIR/slurm.conf and starts munged (unless one is
# running), slurmctld and slurmd; it records what it started in DIR/started.
start_cluster() {
	local dir=$1
	mkdir -p "$dir/state" "$dir/spool" "$dir/log"
	: >"$dir/started"
	if ! munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then
		[[ -s /etc/munge/munge.key ]] || { mungekey --create 2>/dev/null || /usr/sbin/create-munge-key -f; }
		mkdir -p /run/munge && chown munge:munge /run/munge
		runuser -u munge -- /usr/sbin/munged
		for _ in $(seq 50); do munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
		echo "munged $(cat /run/munge/munged.pid)" >>"$dir/started"
	fi
	local cpus mem
	cpus=$(nproc)
	mem=$(($(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 / 2))
	cat >"$dir/slurm.conf" <<-EOF
		ClusterName=smbsimtest
		SlurmctldHost=$(hostname -s)(127.0.0.1)
		SlurmctldPort=$ctld_port
		SlurmdPort=$slurmd_port
		SlurmUser=root
		SlurmdUser=root
		AuthType=auth/munge
		StateSaveLocation=$dir/state
		SlurmdSpoolDir=$dir/spool
		SlurmctldPidFile=$dir/slurmctld.pid
		SlurmdPidFile=$dir/slurmd.pid
		SlurmctldLogFile=$dir/log/slurmctld.log
		SlurmdLogFile=$dir/log/slurmd.log
		ProctrackType=proctrack/linuxproc
		TaskPlugin=task/none
		SelectType=select/cons_tres
		SelectTypeParameters=CR_CPU
		JobAcctGatherType=jobacct_gather/none
		AccountingStorageType=accounting_storage/none
		JobCompType=jobcomp/none
		MpiDefault=none
		ReturnToService=2
		SchedulerType=sched/backfill
		MinJobAge=3600
		KillWait=10
		InactiveLimit=0
		NodeName=$node NodeHostname=$(hostname -s) NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
		PartitionName=main Nodes=$node Default=YES MaxTime=INFINITE State=UP
		PartitionName=short Nodes=$node MaxTime=30 State=UP
	EOF
	local port
	for port in $ctld_port $slurmd_port; do
		if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			die "port $port is in use (a Slurm daemon left from an earlier run?): stop it first"
		fi
	done
	export SLURM_CONF=$dir/slurm.conf
	slurmctld -i
	for _ in $(seq 100); do [[ -s $dir/slurmctld.pid ]] && break; sleep 0.1; done
	echo "slurmctld $(cat "$dir/slurmctld.pid")" >>"$dir/started"
	slurmd -N "$node"
	for _ in $(seq 100); do [[ -s $dir/slurmd.pid ]] && break; sleep 0.1; done
	echo "slurmd $(cat "$dir/slurmd.pid")" >>"$dir/started"
	local state=
	for _ in $(seq 60); do
		state=$(sinfo -h -n "$node" -o %t 2>/dev/null | head -1) || true
		[[ $state == idle ]] && break
		sleep 1
	done
	[[ $state == idle ]] || { tail -20 "$dir/log/slurmctld.log" "$dir/log/slurmd.log" >&2; die "the node did not come up (state '$state')"; }
	echo "cluster up: node $node with $cpus CPUs, partitions main (no limit) and short (30 min); SLURM_CONF=$SLURM_CONF"
}

# stop_cluster DIR cancels the test user's jobs and stops what
# start_cluster started, in reverse order.
stop_cluster() {
	local dir=$1 name pid
	[[ -f $dir/started ]] || return 0
	export SLURM_CONF=$dir/slurm.conf
	scancel -u "$user" 2>/dev/null || true
	tac "$dir/started" | while read -r name pid; do
		[[ -n $pid ]] && kill "$pid" 2>/dev/null || continue
		for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
		echo "stopped $name ($pid)"
	done
	rm -f "$dir/started"
}

# ---- helpers --------------------------------------------------------------

# as_user DIR CMD… runs CMD as the test user in DIR, with SLURM_CONF.
as_user() {
	local dir=$1
	shift
	(cd "$dir" && runuser -u "$user" -- env SLURM_CONF="$SLURM_CONF" PATH=/usr/local/bin:/usr/bin:/bin "$@")
}

# submit DIR ENV… -- ARGS… runs the launcher as the test user in DIR with
# the environment assignments ENV and smbsim arguments ARGS; it sets
# $submitted (the launcher's output), $array and $merge (job ids).
submit() {
	local dir=$1
	shift
	local envs=()
	while [[ $1 != -- ]]; do envs+=("$1"); shift; done
	shift
	submitted=$(as_user "$dir" env SMBSIM="$bin" "${envs[@]}" bash "$launcher" "$@" 2>&1) || {
		echo "$submitted"
		return 1
	}
	echo "$submitted"
	job_ids
	[[ -n $array && -n $merge ]] || { echo "no job ids in the launcher's output"; return 1; }
}

# job_ids sets $array and $merge to the job ids in $submitted.
job_ids() {
	array=$(sed -n 's/.*shards as job \([0-9]*\).*/\1/p' <<<"$submitted")
	merge=$(sed -n 's/.*merge as job \([0-9]*\).*/\1/p' <<<"$submitted")
}

# completed_runs MANIFEST prints its completed_runs (0 when it has none).
completed_runs() {
	grep -o '"completed_runs": [0-9]*' "$1" | grep -o '[0-9]*$' || echo 0
}

# stopped_pattern matches smbsim's two clean stops on a signal, each of which
# says how to finish: "interrupted: k of m runs finished …", or, when the
# finished runs' statistics take longer than half a second after the signal
# (a loaded machine), "interrupted while the statistics of the k finished
# runs were computed …" with the manifest left in_progress.
stopped_pattern='interrupted(: [0-9]+ of [0-9]+ runs finished| while the statistics of the [0-9]+ finished runs were computed).*--resume'

# stopped_runs LOG MANIFEST prints the k of LOG's last clean stop, or, when
# LOG has none, the manifest's completed_runs.
stopped_runs() {
	local k
	k=$(grep -Eo "$stopped_pattern" "$1" | tail -1 | grep -Eo '[0-9]+' | head -1) || true
	[[ -n $k ]] && echo "$k" || completed_runs "$2"
}

# wait_gone JOB… waits until no job of the ids is pending or running.
wait_gone() {
	for _ in $(seq 600); do
		[[ -z $(squeue -h -j "$(IFS=,; echo "$*")" 2>/dev/null) ]] && return 0
		sleep 1
	done
	squeue
	return 1
}

# states JOB prints the states of a job (one per array task), sorted.
states() { scontrol -o show job "$1" | grep -o 'JobState=[A-Z_]*' | cut -d= -f2 | sort | uniq -c | xargs; }

# same_results REF OUT checks that OUT holds exactly the files of the
# one-machine results REF, byte for byte, and that its manifest says
# complete; except what records when and how the results were made:
# manifest.json (command line, times), the report's start and finish lines
# (read from it), the PDF charts (their creation date and the numbering of
# their font objects vary from run to run on one machine too: only their
# sizes are compared). The shards and logs of the Slurm run are beside it,
# in OUT.slurm/.
same_results() {
	local ref=$1 out=$2 ok=0 f
	diff -rq -x manifest.json -x report.html -x '*.pdf' "$ref" "$out" || ok=1
	if [[ -e $ref/report.html || -e $out/report.html ]]; then
		diff <(grep -v -e '<li>started: ' -e '<li>finished: ' "$ref/report.html") \
			<(grep -v -e '<li>started: ' -e '<li>finished: ' "$out/report.html") >/dev/null || { echo "report.html differs"; ok=1; }
	fi
	for f in "$ref"/charts/*.pdf; do
		[[ -e $f ]] || continue
		[[ $(stat -c %s "$f") == $(stat -c %s "$out/charts/${f##*/}" 2>/dev/null) ]] ||
			{ echo "charts/${f##*/} differs in size"; ok=1; }
	done
	grep -q '"status": "complete"' "$out/manifest.json" || { echo "merged manifest is not complete"; ok=1; }
	return $ok
}

# reference NAME ARGS… runs smbsim on this machine into $work/ref-NAME.
reference() {
	local name=$1
	shift
	as_user "$work" "$bin" "$@" --out "$work/ref/$name" --quiet
}

check() { # check DESCRIPTION CMD…: run CMD, record a failure if it fails
	local what=$1
	shift
	if "$@"; then echo "ok: $what"; else fail "$what"; fi
}

# ---- cases ----------------------------------------------------------------

# A small compare: 3 variants × 4 seeds = 12 runs, a second or two.
small=(--seeds 4 --ticks 200 --set population.firms=200 --set "shocks[1].tick=100")
# Tinier runs, for the cases that check where things go, not what they hold.
tiny=(--ticks 100 --set population.firms=100 --set "shocks[1].tick=50")

case_reject() {
	say "reject: problems found at submit, before anything is queued"
	local d=$work/reject
	mkdir -p "$d" && chown "$user" "$d"
	local before
	before=$(squeue -h | wc -l)
	# 12: more CPUs per task than any node of the partition has.
	check "CPUS above the node's CPUs is refused" expect_refusal "$d" "CPUS" CPUS=64 SHARDS=2 -- compare compare-mixes "${small[@]}"
	# 3: the merge's time limit above the partition's (and the tasks' fit).
	check "a merge that cannot run in the partition is refused" expect_refusal "$d" "the merge (MERGE_TIME=01:00:00" SBATCH_ARGS=--partition=short TIME=00:10:00 CPUS=1 SHARDS=2 -- compare compare-mixes "${small[@]}"
	check "tasks that cannot run in the partition are refused" expect_refusal "$d" "the tasks (TIME=02:00:00" SBATCH_ARGS=--partition=short TIME=02:00:00 MERGE_TIME=00:10:00 CPUS=1 SHARDS=2 -- compare compare-mixes "${small[@]}"
	# 6: an invalid command line is smbsim's own error, exit 2.
	check "an invalid scenario is refused with smbsim's message" expect_refusal "$d" "population.firms" SHARDS=2 CPUS=1 -- run --set population.firms=-5
	check "--shard in the arguments is refused" expect_refusal "$d" "SHARDS" SHARDS=2 CPUS=1 -- run --shard 1/2
	check "more shards than runs is refused" expect_refusal "$d" "runs" SHARDS=20 CPUS=1 -- run --seeds 3
	check "an unknown command is refused" expect_refusal "$d" "run, compare, sweep or replicate" -- merge a b
	check "nothing was queued by the refusals" test "$(squeue -h | wc -l)" -eq "$before"
}

# expect_refusal DIR WORD ENV… -- ARGS…: the launcher fails with a message
# containing WORD.
expect_refusal() {
	local d=$1 word=$2
	shift 2
	if submit "$d" "$@" >/dev/null; then
		echo "submitted: $submitted"
		return 1
	fi
	grep -q -- "$word" <<<"$submitted" || { echo "no '$word' in: $submitted"; return 1; }
	echo "  refused: $(tail -1 <<<"$submitted")"
}

case_normal() {
	say "normal: 3 shards of compare A B with --no-charts; byte-identical to one machine"
	local d=$work/normal
	mkdir -p "$d" && chown "$user" "$d"
	local cmd=(compare imitation-heavy balanced-mix "${small[@]}" --no-charts)
	reference normal "${cmd[@]}" || { fail "normal: the one-machine run failed"; return; }
	submit "$d" SHARDS=3 CPUS=1 TIME=00:10:00 -- "${cmd[@]}" || { fail "normal: submit"; return; }
	local out=$d/out/imitation-heavy-vs-balanced-mix # 5: smbsim's own default
	check "the default OUT is smbsim's (out/A-vs-B), made absolute" grep -qF "results in $out" <<<"$submitted"
	wait_gone "$array" "$merge" || { fail "normal: jobs did not finish"; return; }
	check "every task and the merge completed" test "$(states "$array") / $(states "$merge")" = "3 COMPLETED / 1 COMPLETED"
	check "merged results byte-identical to one machine" same_results "$work/ref/normal" "$out"
	check "--no-charts reached the merge (no charts, no report)" test ! -e "$out/charts" -a ! -e "$out/report.html"
	check "each shard log has an attempt line and smbsim's lines" grep -q "attempt 1 of shard 2/3" "$out.slurm/logs/shard-2.log"
	check "shard logs are not empty (no --quiet)" grep -q "runs.*shard 2/3" "$out.slurm/logs/shard-2.log"
	check "the merge log has the merged table" grep -q "Merged 8 runs" "$out.slurm/logs/merge.log"
	# 10: resubmitting with another SHARDS is refused before submitting.
	check "resubmitting with another SHARDS is refused" expect_refusal "$d" "SHARDS=3" SHARDS=4 CPUS=1 -- "${cmd[@]}"
	# Resubmitting the same command: nothing runs again, logs are appended.
	submit "$d" SHARDS=3 CPUS=1 TIME=00:10:00 -- "${cmd[@]}" >/dev/null || { fail "normal: resubmit"; return; }
	wait_gone "$array" "$merge"
	check "the second merge completed too" test "$(states "$merge") $(grep -c "Merged 8 runs" "$out.slurm/logs/merge.log")" = "1 COMPLETED 2"
	check "a resubmission of a complete experiment runs nothing" grep -q "resumed: 3 runs were already complete, 0 ran now" "$out.slurm/logs/shard-1.log"
	check "logs are appended (two attempts in one log)" grep -q "attempt 2 of shard 1/3" "$out.slurm/logs/shard-1.log"
	check "still byte-identical" same_results "$work/ref/normal" "$out"
}

case_replicate() {
	say "replicate: 3 shards of smbsim replicate at its tiny size; the merge's tables and charts are one machine's"
	local d=$work/replicate
	mkdir -p "$d" && chown "$user" "$d"
	local cmd=(replicate --size tiny)
	as_user "$work" "$bin" "${cmd[@]}" --out "$work/ref/replicate" >"$work/ref-replicate.txt" || { fail "replicate: the one-machine run failed"; return; }
	local out=$d/rep
	submit "$d" SHARDS=3 CPUS=1 TIME=00:10:00 OUT="$out" -- "${cmd[@]}" || { fail "replicate: submit"; return; }
	wait_gone "$array" "$merge" || { fail "replicate: jobs did not finish"; return; }
	check "every task and the merge completed" test "$(states "$array") / $(states "$merge")" = "3 COMPLETED / 1 COMPLETED"
	check "the charts are one machine's, byte for byte" diff -rq "$work/ref/replicate" "$out"
	check "the merge's tables are one machine's" diff <(grep -v 'chart: ' "$work/ref-replicate.txt") <(grep -v -e 'chart: ' -e '^== ' "$out.slurm/logs/merge.log")
}

case_cancel() {
	say "cancel: scancel one task; the merge is removed; resubmission runs only what is missing"
	local d=$work/cancel
	mkdir -p "$d" && chown "$user" "$d"
	# Longer runs (a few seconds each): 3 variants × 4 seeds of 3,000 firms over 5,000 ticks.
	local cmd=(compare compare-mixes --seeds 4 --ticks 5000 --set population.firms=3000 --no-charts)
	submit "$d" SHARDS=3 CPUS=1 TIME=00:10:00 -- "${cmd[@]}" || { fail "cancel: submit"; return; }
	local out=$d/out/compare-mixes
	for _ in $(seq 120); do
		[[ $(squeue -h -j "${array}_2" -o %T 2>/dev/null) == RUNNING ]] && break
		sleep 0.5
	done
	sleep 6
	scancel "${array}_2"
	wait_gone "$array" "$merge" || { fail "cancel: the merge stayed queued after a task was cancelled (item 2)"; return; }
	check "the merge was cancelled with its dependency (--kill-on-invalid-dep)" grep -q CANCELLED <<<"$(states "$merge")"
	check "the cancelled task logged SIGTERM and its exit" grep -q "attempt 1 of shard 2/3 ended" "$out.slurm/logs/shard-2.log"
	local done2
	done2=$(stopped_runs "$out.slurm/logs/shard-2.log" "$out.slurm/shards/2/manifest.json")
	echo "  shard 2 had $done2 of 4 runs when cancelled"
	reference cancel "${cmd[@]}" || { fail "cancel: the one-machine run failed"; return; }
	submit "$d" SHARDS=3 CPUS=1 TIME=00:10:00 -- "${cmd[@]}" >/dev/null || { fail "cancel: resubmit"; return; }
	wait_gone "$array" "$merge"
	check "resubmission: complete shards ran nothing" grep -q "resumed: 4 runs were already complete, 0 ran now" "$out.slurm/logs/shard-1.log"
	if ((done2 > 0)); then
		check "resubmission: shard 2 ran only its missing runs" grep -q "resumed: $done2 runs were already complete, $((4 - done2)) ran now" "$out.slurm/logs/shard-2.log"
	else # cancelled before its first run finished (a loaded machine): it runs them all
		check "resubmission: shard 2, cancelled before a run finished, ran all 4" grep -q "attempt 2 of shard 2/3 ended: exit 0" "$out.slurm/logs/shard-2.log"
	fi
	check "the first attempt's messages are still in the log" grep -q "attempt 1 of shard 2/3" "$out.slurm/logs/shard-2.log"
	check "merged results byte-identical to one machine" same_results "$work/ref/cancel" "$out"
}

case_readonly() {
	say "readonly: a shard directory that cannot be written; fix it and resubmit"
	local d=$work/readonly
	mkdir -p "$d" && chown "$user" "$d"
	local cmd=(run baseline --seeds 6 --ticks 200 --set population.firms=200 --set "shocks[1].tick=100" --no-charts)
	local out=$d/out/baseline
	mkdir -p "$out.slurm/shards/2" && chown -R "$user" "$d/out" && chmod 555 "$out.slurm/shards/2"
	submit "$d" SHARDS=2 CPUS=1 TIME=00:10:00 -- "${cmd[@]}" || { fail "readonly: submit"; return; }
	wait_gone "$array" "$merge" || { fail "readonly: the merge stayed queued after a task failed"; return; }
	check "the task on the read-only shard failed and the merge was cancelled" test "$(states "$array") / $(states "$merge")" = "1 COMPLETED 1 FAILED / 1 CANCELLED"
	check "the failed task says why in its log" grep -q "cannot write" "$out.slurm/logs/shard-2.log"
	chmod 755 "$out.slurm/shards/2"
	reference readonly "${cmd[@]}" || { fail "readonly: the one-machine run failed"; return; }
	submit "$d" SHARDS=2 CPUS=1 TIME=00:10:00 -- "${cmd[@]}" >/dev/null || { fail "readonly: resubmit"; return; }
	wait_gone "$array" "$merge"
	check "resubmission: the complete shard ran nothing" grep -q "resumed: 3 runs were already complete, 0 ran now" "$out.slurm/logs/shard-1.log"
	check "merged results byte-identical to one machine" same_results "$work/ref/readonly" "$out"
}

case_timelimit() {
	say "timelimit: a task killed at its time limit; resubmitted with more time"
	local d=$work/timelimit
	mkdir -p "$d" && chown "$user" "$d"
	# One shard that needs more than its one minute.
	local cmd=(run baseline --seeds 40 --ticks 5000 --set population.firms=3000 --no-charts)
	submit "$d" SHARDS=1 CPUS=1 TIME=00:01:00 -- "${cmd[@]}" || { fail "timelimit: submit"; return; }
	local out=$d/out/baseline
	wait_gone "$array" "$merge" || { fail "timelimit: the merge stayed queued"; return; }
	check "the task timed out and the merge was cancelled" test "$(states "$array") / $(states "$merge")" = "1 TIMEOUT / 1 CANCELLED"
	check "smbsim stopped cleanly on SIGTERM and said how to finish" grep -Eq "$stopped_pattern" "$out.slurm/logs/shard-1.log"
	check "the log has progress lines" grep -q "^progress: " "$out.slurm/logs/shard-1.log"
	local done1
	done1=$(stopped_runs "$out.slurm/logs/shard-1.log" "$out.slurm/shards/1/manifest.json")
	echo "  the shard had $done1 of 40 runs at its time limit"
	submit "$d" SHARDS=1 CPUS=2 TIME=00:20:00 -- "${cmd[@]}" >/dev/null || { fail "timelimit: resubmit"; return; }
	reference timelimit "${cmd[@]}" || { fail "timelimit: the one-machine run failed"; return; }
	wait_gone "$array" "$merge"
	check "resubmission ran only the missing runs" grep -q "resumed: $done1 runs were already complete, $((40 - done1)) ran now" "$out.slurm/logs/shard-1.log"
	check "the first attempt's 'interrupted' message is still in the log" grep -Eq "$stopped_pattern" "$out.slurm/logs/shard-1.log"
	check "merged results byte-identical to one machine" same_results "$work/ref/timelimit" "$out"
}

case_flags() {
	say "flags: flags before the scenario, and run without a scenario"
	local d=$work/flags
	mkdir -p "$d" && chown "$user" "$d"
	local cmd=(compare --seeds 2 "${tiny[@]}" compare-mixes --no-charts)
	reference flags "${cmd[@]}" || { fail "flags: the one-machine run failed"; return; }
	submit "$d" SHARDS=2 CPUS=1 TIME=00:10:00 -- "${cmd[@]}" || { fail "flags: submit"; return; }
	wait_gone "$array" "$merge"
	check "flags before the scenario: byte-identical to one machine" same_results "$work/ref/flags" "$d/out/compare-mixes"
	local cmd2=(run --seeds 2 "${tiny[@]}")
	reference flags2 "${cmd2[@]}" || { fail "flags2: the one-machine run failed"; return; }
	submit "$d" SHARDS=2 CPUS=1 TIME=00:10:00 -- "${cmd2[@]}" || { fail "flags: submit run"; return; }
	wait_gone "$array" "$merge"
	check "run without a scenario: the baseline, in out/baseline" same_results "$work/ref/flags2" "$d/out/baseline"
	check "without --no-charts the merge draws the charts" test -e "$d/out/baseline/report.html"
}

case_space() {
	say "space: OUT with a space"
	local d=$work/space
	mkdir -p "$d" && chown "$user" "$d"
	local cmd=(run baseline --seeds 3 "${tiny[@]}" --no-charts)
	reference space "${cmd[@]}" || { fail "space: the one-machine run failed"; return; }
	submit "$d" SHARDS=2 CPUS=1 TIME=00:10:00 "OUT=out/my run" -- "${cmd[@]}" || { fail "space: submit"; return; }
	wait_gone "$array" "$merge"
	check "OUT with a space: byte-identical to one machine" same_results "$work/ref/space" "$d/out/my run"
}

case_mergeres() {
	say "mergeres: the merge's own resources: tasks on 'short', the merge on 'main' with more time"
	local d=$work/mergeres
	mkdir -p "$d" && chown "$user" "$d"
	local cmd=(run baseline --seeds 2 "${tiny[@]}" --no-charts)
	reference mergeres "${cmd[@]}" || { fail "mergeres: the one-machine run failed"; return; }
	submit "$d" SHARDS=2 CPUS=1 TIME=00:10:00 SBATCH_ARGS=--partition=short MERGE_SBATCH_ARGS=--partition=main MERGE_TIME=02:00:00 MERGE_CPUS=2 -- "${cmd[@]}" ||
		{ fail "mergeres: submit"; return; }
	local job
	job=$(scontrol -o show job "$merge")
	check "the merge runs on MERGE_SBATCH_ARGS's partition" grep -q " Partition=main " <<<"$job"
	check "the merge has MERGE_TIME" grep -q " TimeLimit=02:00:00 " <<<"$job"
	check "the merge has MERGE_CPUS CPUs" grep -q " NumCPUs=2 " <<<"$job"
	check "the tasks run on SBATCH_ARGS's partition" grep -q "Partition=short" <<<"$(scontrol -o show job "$array")"
	wait_gone "$array" "$merge"
	check "byte-identical to one machine" same_results "$work/ref/mergeres" "$d/out/baseline"
}

case_chdir() {
	say "chdir: --chdir in SBATCH_ARGS with a relative OUT"
	local d=$work/chdir
	mkdir -p "$d/elsewhere" && chown -R "$user" "$d"
	local cmd=(run baseline --seeds 3 "${tiny[@]}" --no-charts)
	reference chdir "${cmd[@]}" || { fail "chdir: the one-machine run failed"; return; }
	submit "$d" SHARDS=2 CPUS=1 TIME=00:10:00 OUT=results "SBATCH_ARGS=--chdir=$d/elsewhere" -- "${cmd[@]}" || { fail "chdir: submit"; return; }
	wait_gone "$array" "$merge"
	check "relative OUT is where the launcher stood, logs included" same_results "$work/ref/chdir" "$d/results"
	check "the tasks' logs exist" test -s "$d/results.slurm/logs/shard-1.log"
}

case_salloc() {
	say "salloc: the launcher run inside an allocation submits as usual"
	local d=$work/salloc
	mkdir -p "$d" && chown "$user" "$d"
	local cmd=(run baseline --seeds 2 "${tiny[@]}" --no-charts)
	reference salloc "${cmd[@]}" || { fail "salloc: the one-machine run failed"; return; }
	submitted=$(as_user "$d" salloc -n1 --time=00:05:00 env SMBSIM="$bin" SHARDS=2 CPUS=1 TIME=00:10:00 bash "$launcher" "${cmd[@]}" 2>&1) || {
		fail "salloc: $submitted"
		return
	}
	echo "$submitted"
	job_ids
	wait_gone "$array" "$merge"
	check "submitted from inside salloc: byte-identical to one machine" same_results "$work/ref/salloc" "$d/out/baseline"
}

# ---- main -----------------------------------------------------------------

[[ $EUID -eq 0 ]] || die "run as root: it installs packages, adds the user $user and starts the Slurm daemons"
cases=("$@")
((${#cases[@]} > 0)) || cases=(reject normal cancel readonly timelimit flags space mergeres chdir salloc replicate)

install_packages
id "$user" >/dev/null 2>&1 || useradd --no-create-home --shell /bin/bash "$user"

work=$(mktemp -d /tmp/smbsim-slurm-test.XXXXXX)
chmod 755 "$work"
if [[ ${KEEP:-} != 1 ]]; then
	trap 'stop_cluster "$work/cluster"; rm -rf "$work"' EXIT
else
	trap 'stop_cluster "$work/cluster"' EXIT
fi
echo "work directory: $work"

mkdir -p "$work/ref" && chown "$user" "$work/ref"
bin=$work/bin/smbsim
mkdir -p "$work/bin"
(cd "$repo" && go build -buildvcs=auto -o "$bin" ./cmd/smbsim)
chmod 755 "$bin"

start_cluster "$work/cluster"
failures=()
for c in "${cases[@]}"; do
	declare -F "case_$c" >/dev/null || die "unknown case $c"
	"case_$c"
done

say "summary"
if ((${#failures[@]} > 0)); then
	printf 'FAIL: %s\n' "${failures[@]}"
	trap 'stop_cluster "$work/cluster"' EXIT
	echo "kept $work for inspection (logs in */out/*.slurm/logs, the cluster's in cluster/log)"
	exit 1
fi
echo "PASS: every case of deploy/slurm.sh on a real Slurm ($(sinfo -V))"
