#!/usr/bin/env bash
# Byte-identity check for refactors: run every built-in scenario (configs/*.toml)
# with a few seeds and --no-charts through two binaries, and compare every data
# file; manifest.json is compared without the fields that name the build, the
# command line (it holds --out) and the clock (version, go_version, build,
# command, started, finished). Exit 1 on any difference.
#
#   scripts/same-outputs.sh OLD_BINARY NEW_BINARY   # e.g. main at your branch point vs bin/smbsim
#
# SEEDS (default 2) and BASE_SEEDS (default "1 7") set the runs; TICKS, when
# set, shortens every run (--ticks).
set -euo pipefail
old=${1:?usage: same-outputs.sh OLD_BINARY NEW_BINARY}
new=${2:?usage: same-outputs.sh OLD_BINARY NEW_BINARY}
seeds=${SEEDS:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
extra=()
if [ -n "${TICKS:-}" ]; then extra=(--ticks "$TICKS"); fi
fail=0
for toml in configs/*.toml; do
  name=$(basename "$toml" .toml)
  for base in ${BASE_SEEDS:-1 7}; do
    for side in old new; do
      bin=$old; [ "$side" = new ] && bin=$new
      "$bin" run "$name" --seeds "$seeds" --seed "$base" "${extra[@]}" --no-charts -q --workers 2 \
        --out "$work/$side/$name-$base" >"$work/$side-$name-$base.log" 2>&1 || echo "exit $? ($side)" >>"$work/$side-$name-$base.log"
      if [ -f "$work/$side/$name-$base/manifest.json" ]; then
        jq 'del(.version, .go_version, .build, .command, .started, .finished)' \
          "$work/$side/$name-$base/manifest.json" >"$work/$side/$name-$base/manifest.json.cmp"
        rm "$work/$side/$name-$base/manifest.json"
      fi
    done
    if diff -r "$work/old/$name-$base" "$work/new/$name-$base" >"$work/diff" && diff "$work/old-$name-$base.log" "$work/new-$name-$base.log" >>"$work/diff"; then
      echo "same  $name --seed $base ($(ls "$work/new/$name-$base" | wc -l) files)"
    else
      echo "DIFF  $name --seed $base"; head -20 "$work/diff"; fail=1
    fi
  done
done
exit $fail
