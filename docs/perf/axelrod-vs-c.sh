#!/bin/sh
# Compares smbsim's Axelrod events per second with the tight C version in
# axelrod.c (needs gcc). Run from the repository root.
set -e
command -v gcc >/dev/null || { echo "gcc not found: skipping the C comparison"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gcc -O2 -march=native -o "$tmp/axelrod" docs/perf/axelrod.c
go build -o "$tmp/smbsim" ./cmd/smbsim
for side in 10 100; do "$tmp/axelrod" $side 2000000; done
"$tmp/smbsim" bench --quick --json | grep axelrod
