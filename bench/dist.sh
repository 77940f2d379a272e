#!/usr/bin/env bash
# The distribution's size and start-up (BENCHMARKS.md, "Distribution"): builds the archive twice,
# with every platform's native libraries in the third-party jars and with this platform's only,
# then times the unpacked archive's bin/soko against the checkout's ./soko and a JVM hello-world,
# side by side: alternating runs (A B C A B C ...) after a warm-up, whole processes. Writes the
# table into BENCHMARKS.md between its markers; asserts no timing.
#
#   bash bench/dist.sh [--rounds N] [--timing-only]
#     --rounds N       rounds of each command after the warm-up (default 11)
#     --timing-only    keep the builds and sizes of the last run (bench/out/dist); time again
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/bin/find-jdk.sh"
soko_find_jdk
cd "$here"
rounds=11
build=1
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) rounds=$2; shift ;;
    --timing-only) build=0 ;;
    *) echo "usage: bash bench/dist.sh [--rounds N] [--timing-only]" >&2; exit 2 ;;
  esac
  shift
done
log() { echo "bench-dist: $*" >&2; }
out=$here/bench/out/dist
if [ $build = 1 ]; then
  rm -rf "$out"
  mkdir -p "$out"
  log "building the archive with every platform's native libraries"
  bin/build-dist.sh --keep-all-natives >"$out/build-all.txt"
  log "building the archive with this platform's native libraries only, and the .deb"
  bin/build-dist.sh --no-build --deb >"$out/build.txt"
else
  [ -f "$out/build.txt" ] && [ -f "$out/build-all.txt" ] || { log "no earlier run in $out: run without --timing-only"; exit 1; }
  rm -rf "$out"/soko-*-linux-* "$out/home" "$out/hello" "$out/stderr.log"
fi

# ------------------------------------------------------------------ sizes
# bin/build-dist.sh prints one line per file on stdout: "PATH BYTES bytes (unpacked …)".
all_tgz=$(awk '/\.tar\.gz [0-9]+ bytes/ {print $2}' "$out/build-all.txt")
all_unpacked=$(sed -n 's/.*\.tar\.gz [0-9]* bytes (unpacked \([0-9]*\) bytes.*/\1/p' "$out/build-all.txt")
line=$(grep -E '\.tar\.gz [0-9]+ bytes' "$out/build.txt")
archive=$(echo "$line" | awk '{print $1}')
tgz=$(echo "$line" | awk '{print $2}')
unpacked=$(echo "$line" | sed -n 's/.*(unpacked \([0-9]*\) bytes; runtime \([0-9]*\), app \([0-9]*\)).*/\1/p')
runtime=$(echo "$line" | sed -n 's/.*runtime \([0-9]*\), app.*/\1/p')
appsize=$(echo "$line" | sed -n 's/.*, app \([0-9]*\)).*/\1/p')
deb=$(awk '/\.deb [0-9]+ bytes/ {print $1}' "$out/build.txt")
deb_size=$(awk '/\.deb [0-9]+ bytes/ {print $2}' "$out/build.txt")
[ -n "$all_tgz" ] && [ -n "$tgz" ] && [ -n "$deb_size" ] || { log "cannot read the sizes from bin/build-dist.sh's output ($out/build*.txt)"; exit 1; }
mib() { awk -v b="$1" 'BEGIN {printf "%.1f MiB", b / 1048576}'; }

# ------------------------------------------------------------------ start-up
[ -f "$archive" ] || { log "$archive is gone: run without --timing-only"; exit 1; }
tar -C "$out" -xzf "$archive"
dist=$(echo "$out"/soko-*-linux-*/bin/soko)
home=$out/home
"$dist" --home "$home" install silero-vad >/dev/null
"$dist" --home "$home" install demo-phrasebook >/dev/null
./soko --version >/dev/null # builds the checkout's CLI and its AOT cache when needed
mkdir -p "$out/hello"
printf 'public class Hello { public static void main(String[] a) { System.out.println("hello"); } }\n' >"$out/hello/Hello.java"
"$JAVA_HOME/bin/javac" -d "$out/hello" "$out/hello/Hello.java"
hello="$JAVA_HOME/bin/java -cp $out/hello Hello"

now() { date +%s%N; }
stats() { tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {printf "%.3f / %.3f / %.3f", a[1]/1e9, a[int((NR+1)/2)]/1e9, a[NR]/1e9}'; }
median() { tr ' ' '\n' | sort -g | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]}'; }
rows=""
compare() { # what, then commands: 1 = the distribution, 2 = the checkout, 3 = hello-world
  local what=$1; shift
  local -a cmds=("$@") times=()
  local n=${#cmds[@]} round i t0 t1
  for ((round = 0; round <= rounds; round++)); do
    for ((i = 0; i < n; i++)); do
      t0=$(now); eval "${cmds[$i]}" >/dev/null 2>>"$out/stderr.log" || { log "FAILED: ${cmds[$i]}"; exit 1; }; t1=$(now)
      [ $round -gt 0 ] && times[$i]="${times[$i]:-} $((t1 - t0))"
    done
  done
  local cells="" ratios=""
  for ((i = 0; i < n; i++)); do
    local shown=${cmds[$i]//$out/\$OUT}; shown=${shown//$JAVA_HOME\/bin\/java/java}
    cells+="\`$shown\`: $(echo ${times[$i]} | stats) s<br>"
    echo "   $(echo ${times[$i]} | stats) s  ${cmds[$i]}" >&2
  done
  for ((i = 1; i < n; i++)); do
    local -a a=(${times[0]}) b=(${times[$i]}) r=()
    for ((k = 0; k < ${#a[@]}; k++)); do r+=($(awk -v x="${a[$k]}" -v y="${b[$k]}" 'BEGIN {printf "%.3f", x / y}')); done
    ratios+="1/$((i + 1)): $(echo "${r[@]}" | median) "
  done
  echo "== $what: $ratios" >&2
  rows+="| $what | ${cells%<br>} | $ratios |"$'\n'
}
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
compare "--version" "$dist --version" "./soko --version" "$hello"
compare "list (2 models)" "$dist --home $home list" "./soko --home $home list" "$hello"
compare "list --json (2 models)" "$dist --home $home list --json" "./soko --home $home list --json" "$hello"

# ------------------------------------------------------------------ report
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
table=$(
  echo "Measured $(date -u +%Y-%m-%dT%H:%MZ) on $cpu, $(nproc) cores, $("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1), load average before: $load_before."
  echo "Command: \`bash bench/dist.sh\`; \$OUT is bench/out/dist under the checkout."
  echo
  echo "| what | bytes |"
  echo "| --- | --- |"
  echo "| $(basename "$archive"), every platform's native libraries kept in the jars | $all_tgz ($(mib "$all_tgz")); unpacked $all_unpacked ($(mib "$all_unpacked")) |"
  echo "| $(basename "$archive"), this platform's only (as shipped) | $tgz ($(mib "$tgz")); unpacked $unpacked ($(mib "$unpacked")): runtime/ $(mib "$runtime"), app/ $(mib "$appsize") |"
  echo "| saved by dropping the other platforms' libraries | $((all_tgz - tgz)) ($(mib $((all_tgz - tgz))), $(awk -v a="$all_tgz" -v b="$tgz" 'BEGIN {printf "%.0f%%", 100 * (a - b) / a}') of the archive) |"
  echo "| $(basename "$deb") | $deb_size ($(mib "$deb_size")) |"
  echo
  echo "Start-up, whole processes, min / median / max of $rounds rounds after a warm-up, commands alternating; ratios are medians of the round-by-round ratios (1: the distribution's bin/soko, 2: the checkout's ./soko on the JDK, 3: a JVM hello-world on the JDK)."
  echo
  echo "| command | commands (min / median / max, seconds) | ratio |"
  echo "| --- | --- | --- |"
  printf '%s' "$rows"
)
echo "$table"
awk -v table="$table" '
  /<!-- bench\/dist.sh:begin -->/ {print; print table; skip = 1; next}
  /<!-- bench\/dist.sh:end -->/ {skip = 0}
  !skip {print}' BENCHMARKS.md >BENCHMARKS.md.tmp && mv BENCHMARKS.md.tmp BENCHMARKS.md
log "wrote the table into BENCHMARKS.md"
