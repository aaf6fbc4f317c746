#!/usr/bin/env bash
# Paired engine-vs-baseline rounds for noisy machines (shared disk, shared cores).
#
#   [JAR=other-benchmarks.jar] wal-benchmarks/paired.sh ROUNDS CLASS ENGINE_METHOD RAW_METHOD [extra JMH args, e.g. -p recordSize=1024]
#
# Each round runs the engine method and its raw baseline back to back (in alternating order), each
# in its own fork with 1 warmup and 2 measurement iterations, and prints both scores and their ratio.
# The last line is the median ratio over all rounds. Drift in the machine's load hits both halves of
# a round alike, so the median ratio is steadier than ratios of separate long runs.
set -euo pipefail
rounds=$1 cls=$2 eng=$3 raw=$4
shift 4
here=$(cd "$(dirname "$0")" && pwd)
jar=${JAR:-$here/target/benchmarks.jar}
out=$(mktemp -d)
run() {
  local m=$1
  shift
  java -jar "$jar" "^dev.noriwal.bench.$cls.$m\$" -f 1 -wi 1 -w 1s -i 2 -r 2s "$@" \
    -rf json -rff "$out/$m.json" >"$out/$m.log" 2>&1 || { cat "$out/$m.log" >&2; exit 1; }
  jq '.[0].primaryMetric.score' "$out/$m.json"
}
ratios=()
for ((i = 1; i <= rounds; i++)); do
  if ((i % 2)); then e=$(run "$eng" "$@"); r=$(run "$raw" "$@"); else r=$(run "$raw" "$@"); e=$(run "$eng" "$@"); fi
  ratio=$(awk -v e="$e" -v r="$r" 'BEGIN { printf "%.3f", e / r }')
  ratios+=("$ratio")
  printf 'round %d  %s=%.1f  %s=%.1f  ratio=%s\n' "$i" "$eng" "$e" "$raw" "$r" "$ratio"
done
printf '%s\n' "${ratios[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "median ratio %s over %d rounds\n", (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2), NR }'
rm -rf "$out"
