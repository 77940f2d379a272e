#!/usr/bin/env bash
# Before/after of rows 6b and 7 of bench/run.sh in one loop: a JVM hello-world, the ./soko of
# another checkout (BASE: the revision before a change, built, e.g. with `git archive REV | tar -x
# -C DIR` and `DIR/soko --version`) and this checkout's ./soko, alternating command by command, one
# warm-up round then ROUNDS rounds (default 7); prints medians and ratios to hello-world.
# Uses the stores bench/run.sh made under bench/out/perf (run it once first). Asserts nothing.
#
#   BASE=/tmp/base ROUNDS=7 bash bench/ab.sh
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/bin/find-jdk.sh"
soko_find_jdk
: "${BASE:?set BASE to a built checkout of the revision to compare with}"
ROUNDS=${ROUNDS:-7}
J=$JAVA_HOME/bin/java
OUT=$here/bench/out/perf
ms() { local s; s=$(date +%s%N); "$@" >/dev/null 2>&1; echo $((($(date +%s%N) - s) / 1000000)); }
med() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
row() {
  local what=$1 th ta tb r h="" a="" b="" ra="" rb=""
  shift
  for ((r = 0; r <= ROUNDS; r++)); do
    th=$(ms "$J" -jar "$OUT/hello/hello.jar")
    ta=$(ms "$BASE/soko" "$@")
    tb=$(ms "$here/soko" "$@")
    if [ $r -gt 0 ]; then
      h+=" $th"; a+=" $ta"; b+=" $tb"
      ra+=" $(awk -v x="$ta" -v y="$th" 'BEGIN{printf "%.2f", x/y}')"
      rb+=" $(awk -v x="$tb" -v y="$th" 'BEGIN{printf "%.2f", x/y}')"
    fi
  done
  echo "$what: hello median $(echo $h | med) ms; before median $(echo $a | med) ms (ratio to hello $(echo $ra | med)); after median $(echo $b | med) ms (ratio to hello $(echo $rb | med))"
  echo "   hello:$h | before:$a | after:$b"
}
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
row "6b list --json, 200 models" --home "$OUT/list-home" list --json
row "7 diagnostics --json, 1000 models / 10000 blobs" --home "$OUT/inventory-home" diagnostics --json
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
