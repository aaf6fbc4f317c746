#!/usr/bin/env bash
# Paired engine-vs-baseline rounds for noisy machines (shared disk, shared cores).
#
#   [JAR=other-benchmarks.jar] [ITERATIONS='-wi 1 -w 1s -i 2 -r 2s'] \
#     wal-benchmarks/paired.sh ROUNDS CLASS ENGINE_METHOD RAW_METHOD [extra JMH args]
#
# e.g. paired.sh 6 AlwaysBenchmark engine raw -p recordSize=1024
#      paired.sh 6 GroupCommitBenchmark engine64 raw64 -bm sample -tu us
#      ITERATIONS='-wi 0 -i 1000' paired.sh 6 FreshLogBenchmark engine raw
#
# Each round runs the engine method and its raw baseline back to back (in alternating order), each
# in its own fork with the ITERATIONS above (JMH refuses an option given twice, so change them
# there, not in the extra args), and prints both scores and their ratio. The last lines are the
# median ratios over all rounds. Drift in the machine's load hits both halves of a round alike, so
# the median ratio is steadier than ratios of separate long runs.
#
# Throughput modes: ratio = engine score / raw score (higher is better for the engine). Sample and
# single-shot modes (-bm sample, -bm ss): per round the mean, p50, p99 and p99.9 latency of each
# side; "speed" = raw mean / engine mean (higher is better, comparable to a throughput ratio), and
# each percentile as engine / raw (lower is better: 2.0 means the engine's p99 is twice the raw
# p99).
#
# Needs only bash, awk and java: the scores come from JMH's CSV, percentiles from its report.
set -euo pipefail
shopt -s inherit_errexit
if (($# < 4)); then
  sed -n '2,23p' "$0" >&2
  exit 2
fi
rounds=$1 cls=$2 eng=$3 raw=$4
shift 4
here=$(cd "$(dirname "$0")" && pwd)
jar=${JAR:-$here/target/benchmarks.jar}
read -r -a iterations <<<"${ITERATIONS:--wi 1 -w 1s -i 2 -r 2s}"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# Prints "mean p50 p99 p99.9" (sample and single-shot modes) or "score" (other modes) of one fork
# of CLASS.METHOD. The score and mode come from JMH's CSV, the percentiles from the "Percentiles"
# block of its report (the CSV has them in sample mode only).
run() {
  local m=$1
  shift
  java -jar "$jar" "^dev.noriwal.bench.$cls.$m\$" -f 1 "${iterations[@]}" "$@" \
    -rf csv -rff "$out/$m.csv" >"$out/$m.log" 2>&1 || {
    cat "$out/$m.log" >&2
    exit 1
  }
  local score
  score=$(awk -F, -v b="\"dev.noriwal.bench.$cls.$m\"" -v cls="$cls" -v m="$m" '
    $1 == b { mean = $5; mode = $2; rows++ }
    END {
      if (rows != 1) {
        printf "%s.%s gave %d results, not 1: choose one value per parameter with -p\n", \
          cls, m, rows > "/dev/stderr"
        exit 1
      }
      print mean, mode
    }' "$out/$m.csv") || exit 1 # run() runs in $( ), where set -e does not reach
  case $score in
  *'"sample"' | *'"ss"')
    awk -v mean="${score% *}" '
      /Percentiles, / { block = 1 }
      block && $1 == "p(50.0000)" { p50 = $3 }
      block && $1 == "p(99.0000)" { p99 = $3 }
      block && $1 == "p(99.9000)" { p999 = $3 }
      END {
        if (p999 == "") { print "no percentiles in the report" > "/dev/stderr"; exit 1 }
        print mean, p50, p99, p999
      }' "$out/$m.log"
    ;;
  *) echo "${score% *}" ;;
  esac
}

median() {
  sort -g | awk '{ a[NR] = $1 } END { printf "%.3f", (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'
}

ratios=() speed=() r50=() r99=() r999=()
for ((i = 1; i <= rounds; i++)); do
  if ((i % 2)); then
    e=$(run "$eng" "$@")
    r=$(run "$raw" "$@")
  else
    r=$(run "$raw" "$@")
    e=$(run "$eng" "$@")
  fi
  read -r em e50 e99 e999 <<<"$e"
  read -r rm r50v r99v r999v <<<"$r"
  if [[ -z ${e50:-} ]]; then
    ratio=$(awk -v e="$em" -v r="$rm" 'BEGIN { printf "%.3f", e / r }')
    ratios+=("$ratio")
    printf 'round %d  %s=%.1f  %s=%.1f  ratio=%s\n' "$i" "$eng" "$em" "$raw" "$rm" "$ratio"
  else
    line=$(awk -v em="$em" -v rm="$rm" -v e50="$e50" -v r50="$r50v" -v e99="$e99" -v r99="$r99v" \
      -v e999="$e999" -v r999="$r999v" \
      'BEGIN { printf "%.3f %.3f %.3f %.3f", rm / em, e50 / r50, e99 / r99, e999 / r999 }')
    read -r s a b c <<<"$line"
    speed+=("$s") r50+=("$a") r99+=("$b") r999+=("$c")
    printf 'round %d  mean/p50/p99/p99.9  %s=%.1f/%.1f/%.1f/%.1f  %s=%.1f/%.1f/%.1f/%.1f' \
      "$i" "$eng" "$em" "$e50" "$e99" "$e999" "$raw" "$rm" "$r50v" "$r99v" "$r999v"
    printf '  speed=%s  p50=%s  p99=%s  p99.9=%s\n' "$s" "$a" "$b" "$c"
  fi
done
if ((${#ratios[@]})); then
  printf 'median ratio %s over %d rounds\n' "$(printf '%s\n' "${ratios[@]}" | median)" "$rounds"
else
  printf 'median speed (raw mean / engine mean) %s over %d rounds\n' \
    "$(printf '%s\n' "${speed[@]}" | median)" "$rounds"
  printf 'median engine/raw  p50 %s  p99 %s  p99.9 %s\n' "$(printf '%s\n' "${r50[@]}" | median)" \
    "$(printf '%s\n' "${r99[@]}" | median)" "$(printf '%s\n' "${r999[@]}" | median)"
fi
