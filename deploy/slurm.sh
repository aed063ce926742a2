#!/usr/bin/env bash
# Run one big smbsim experiment on a Slurm cluster: a job array with one
# shard of the runs per task, then a merge job once every shard is done.
#
# Launch it from a login node (it submits itself):
#
#   SHARDS=16 CPUS=8 deploy/slurm.sh compare compare-mixes --seeds 2000
#
# Results: out/<name>/shards/<i>/ per task, merged into out/<name>/.
# Every shard runs with --resume, so resubmitting the same command after a
# time-out or a node failure only runs what is missing. The merged
# directory is byte-identical to what one machine would write.
#
# Settings (environment): SHARDS (tasks, default 8), CPUS (cores per task,
# default 8), TIME (per task, default 04:00:00), OUT (results directory,
# default out/<scenario>), SMBSIM (the binary, default smbsim on PATH),
# SBATCH_ARGS (extra sbatch options, e.g. "--partition=short --account=me").
set -euo pipefail

SMBSIM=${SMBSIM:-smbsim}

if [[ -z "${SLURM_JOB_ID:-}" ]]; then
	# Launcher: submit the array, then the merge depending on it.
	if [[ $# -lt 2 ]]; then
		echo "usage: [SHARDS=n] [CPUS=c] $0 run|compare|sweep SCENARIO… [smbsim flags]" >&2
		exit 2
	fi
	SHARDS=${SHARDS:-8}
	CPUS=${CPUS:-8}
	OUT=${OUT:-out/$(basename "${2%.toml}")}
	mkdir -p "$OUT/logs"
	array=$(sbatch --parsable ${SBATCH_ARGS:-} \
		--job-name=smbsim --array="1-$SHARDS" --cpus-per-task="$CPUS" --time="${TIME:-04:00:00}" \
		--output="$OUT/logs/shard-%a.log" \
		--export=ALL,SHARDS="$SHARDS",OUT="$OUT" "$0" "$@")
	merge=$(sbatch --parsable ${SBATCH_ARGS:-} \
		--job-name=smbsim-merge --dependency=afterok:"$array" --cpus-per-task=1 --time=01:00:00 \
		--output="$OUT/logs/merge.log" \
		--wrap="$SMBSIM merge $OUT/shards/* --out $OUT")
	echo "submitted shards as job $array (1-$SHARDS) and the merge as job $merge; results in $OUT"
	exit 0
fi

# Array task: run shard $SLURM_ARRAY_TASK_ID of $SHARDS.
i=${SLURM_ARRAY_TASK_ID:?run this script without sbatch; it submits itself}
exec "$SMBSIM" "$@" \
	--shard "$i/${SHARDS:?}" \
	--workers "${SLURM_CPUS_PER_TASK:-1}" \
	--out "${OUT:?}/shards/$i" \
	--resume --quiet
