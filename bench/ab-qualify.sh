#!/usr/bin/env bash
# Our streaming qualification at two commits, interleaved on this (shared, noisy) machine: the commit
# REF (default HEAD) in a temporary git worktree against the working tree, RUNS times each of ROUNDS
# rounds of bench/qualify-alone.ts, then the quartiles of every round's events per CPU-second per side.
#
# Example: bash bench/ab-qualify.sh HEAD~3 4 8
set -euo pipefail
ref=${1:-HEAD}
runs=${2:-4}
rounds=${3:-8}
here=$(cd "$(dirname "$0")/.." && pwd)
old=$(mktemp -d /tmp/opendmp-ab-XXXXXX)
out=$(mktemp /tmp/opendmp-ab-XXXXXX.txt)
trap 'git -C "$here" worktree remove --force "$old" >/dev/null 2>&1 || true; rm -f "$out"' EXIT
git -C "$here" worktree add -q --detach "$old" "$ref"
ln -s "$here/node_modules" "$old/node_modules"
# the driver of the working tree runs on both sides (an older commit may not have it)
cp "$here/bench/qualify-alone.ts" "$old/bench/qualify-alone.ts"
for ((i = 1; i <= runs; i++)); do
  for side in old new; do
    dir=$here
    [ "$side" = old ] && dir=$old
    (cd "$dir" && node --import tsx bench/qualify-alone.ts --profiles 20000 --rounds "$rounds" |
      awk -v s="$side" '/^round/ {print s, $3}') >>"$out"
  done
done
for side in old new; do
  grep "^$side " "$out" | awk '{print $2}' | sort -n |
    awk -v s="$side" -v ref="$ref" '
      function at(q) { i = int(NR * q); return a[i < 1 ? 1 : i] }
      { a[NR] = $1 }
      END { printf "%s (%s): rounds %d, p25 %d, median %d, p75 %d, max %d events/s\n", s, s == "old" ? ref : "working tree", NR, at(0.25), a[int((NR + 1) / 2)], at(0.75), a[NR] }'
done
