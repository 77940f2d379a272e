#!/usr/bin/env bash
# Issue 18 rows: `soko verify --full` (chunk records, every core) against `openssl dgst -sha256`
# and `sha256sum` on the same 1 GiB blob, page cache warm and cold (the blob's pages evicted with
# `dd iflag=nocache` before each command of a cold round, this file only); and the stat-only
# re-verify of 1,000 models / 10,000 blobs with the store index against the same store with its
# index deleted before each run (the records path). Commands alternate, ROUNDS rounds after a
# warm-up; each cell is min / median / max of wall seconds, and the median CPU (user+sys) seconds.
#
#   bash bench/verify.sh [ROUNDS]      # prints a Markdown table; data under bench/out/verify
#
# Uses the CLI jar built by `./mvnw -pl soko-cli -am package` (bench/run.sh builds it too).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-5}
. bin/find-jdk.sh
soko_find_jdk
java="$JAVA_HOME/bin/java"
jar=soko-cli/target/soko-cli.jar
cp="$jar:soko-cli/target/lib/*"
[ -f "$jar" ] || { echo "bench: build the CLI first: ./mvnw -q -DskipTests -pl soko-cli -am package" >&2; exit 2; }
out=bench/out/verify
mkdir -p "$out"
out=$(cd "$out" && pwd)
soko="$java -XX:+UseSerialGC -jar $jar"

if [ ! -f "$out/home/.done" ]; then
  echo "bench: making a 1 GiB model" >&2
  head -c $((1024 * 1048576)) /dev/urandom >"$out/a.bin"
  "$java" -cp "$cp" bench/BenchData.java install "$out/home" one "$out/a.bin"
  rm -f "$out/a.bin"
  touch "$out/home/.done"
fi
if [ ! -f "$out/many/.done" ]; then
  echo "bench: installing 1,000 models of 10 files (minutes: 10,000 fsyncs)" >&2
  "$java" -cp "$cp" bench/BenchData.java many "$out/many" 1000 10
  touch "$out/many/.done"
fi
blob=$(find "$out/home/data/blobs/sha256" -type f | head -n 1)
evict() { dd if="$blob" iflag=nocache count=0 status=none; }

# run NAME CMD: appends "wall cpu" to $out/t.NAME
run() {
  local name=$1; shift
  /usr/bin/time -f "%e %U %S" -o "$out/time" bash -c "$*" >/dev/null 2>&1 || true
  awk '{printf "%s %.2f\n", $1, $2 + $3}' "$out/time" >>"$out/t.$name"
}
stats() { # min / median / max wall, median cpu
  sort -n "$out/t.$1" | awk '{w[NR]=$1; c[NR]=$2} END {m=int((NR+1)/2); printf "%.2f / %.2f / %.2f s (CPU %.2f s)", w[1], w[m], w[NR], c[m]}'
  true
}
median() { sort -n "$out/t.$1" | awk '{w[NR]=$1} END {print w[int((NR+1)/2)]}'; }
rm -f "$out"/t.*

declare -A cmd=(
  [openssl]="openssl dgst -sha256 $blob"
  [sha256sum]="sha256sum $blob"
  [full]="$soko --home $out/home verify --full one"
  [whole]="$soko --home $out/home verify --full --whole one"
  [indexed]="$soko --home $out/many verify"
  [records]="rm -f $out/many/data/state/verified.index && $soko --home $out/many verify"
)
# warm-up (also writes the chunk records and the index)
for k in full whole indexed; do bash -c "${cmd[$k]}" >/dev/null 2>&1 || true; done
for r in $(seq "$ROUNDS"); do
  for k in openssl full whole sha256sum; do run "warm-$k" "${cmd[$k]}"; done
  for k in openssl full whole; do evict; run "cold-$k" "${cmd[$k]}"; done
  for k in records indexed; do run "$k" "${cmd[$k]}"; done
done
ratio() { awk -v a="$(median "$1")" -v b="$(median "$2")" 'BEGIN {printf "%.2f", a / b}'; }

echo "Measured $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg); $ROUNDS rounds; \$OUT is bench/out/verify."
echo
echo "| what | command | wall min / median / max (median CPU) | ratio of medians |"
echo "| --- | --- | --- | --- |"
b=${blob#$out/}
echo "| full verify, 1 GiB, warm | \`java -XX:+UseSerialGC -jar soko-cli.jar --home \$OUT/home verify --full one\` | $(stats warm-full) | $(ratio warm-full warm-openssl) × openssl |"
echo "| same, one stream | \`… verify --full --whole one\` | $(stats warm-whole) | $(ratio warm-whole warm-openssl) × openssl |"
echo "| peer | \`openssl dgst -sha256 \$OUT/$b\` | $(stats warm-openssl) | 1 |"
echo "| peer | \`sha256sum \$OUT/$b\` | $(stats warm-sha256sum) | $(ratio warm-sha256sum warm-openssl) × openssl |"
echo "| full verify, 1 GiB, cold (blob evicted before each) | \`… verify --full one\` | $(stats cold-full) | $(ratio cold-full cold-openssl) × openssl |"
echo "| same, one stream | \`… verify --full --whole one\` | $(stats cold-whole) | $(ratio cold-whole cold-openssl) × openssl |"
echo "| peer, cold | \`openssl dgst -sha256 …\` | $(stats cold-openssl) | 1 |"
echo "| stat-only re-verify, 1,000 models / 10,000 blobs, with the index | \`… --home \$OUT/many verify\` | $(stats indexed) | $(ratio indexed records) × records |"
echo "| same, index deleted before each run (records read, index rewritten) | \`rm -f \$OUT/many/data/state/verified.index && … verify\` | $(stats records) | 1 |"
