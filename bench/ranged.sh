#!/usr/bin/env bash
# Issue 18 row: downloads from nginx on loopback whose limit_rate caps each connection (a CDN's
# per-connection limit): `soko install` against `curl -o` (one connection) and `aria2c -x4 -s4`
# (four), alternating, ROUNDS rounds after a warm-up. Soko runs twice: with its default of four
# connections per file, and with --connections 1 (one stream, as before ranged downloads).
#
#   bash bench/ranged.sh [MIB] [RATE] [ROUNDS]    # defaults: 256 MiB, 20m per connection, 3 rounds
#   bash bench/ranged.sh 1024 0 3                 # RATE 0: no limit (unthrottled loopback)
#
# Needs aria2c (bin/install-test-deps.sh --bench) and the CLI jar (./mvnw -pl soko-cli -am package).
set -euo pipefail
cd "$(dirname "$0")/.."
MIB=${1:-256}; RATE=${2:-20m}; ROUNDS=${3:-3}
. bin/find-jdk.sh
soko_find_jdk
java="$JAVA_HOME/bin/java"
jar=soko-cli/target/soko-cli.jar
cp="$jar:soko-cli/target/lib/*"
# Soko starts as ./soko starts it, from the JDK's AOT cache (built here when missing or older than
# the jar, by ./soko's one training run), so that start-up is measured as users get it.
aot=soko-cli/target/soko-cli.aot
[ -f "$aot" ] && [ "$jar" -nt "$aot" ] && rm -f "$aot"
[ -f "$aot" ] || ./soko --version >/dev/null
[ -f "$aot" ] || { echo "bench: no AOT cache at $aot (./soko could not build it)" >&2; exit 2; }
command -v aria2c >/dev/null || { echo "bench: aria2c is missing: bin/install-test-deps.sh --bench" >&2; exit 2; }
out=bench/out/ranged
mkdir -p "$out"
out=$(cd "$out" && pwd)
ng=$out/nginx
rm -rf "$ng" "$out/dl"; mkdir -p "$ng/www" "$ng/temp" "$out/dl"
[ -f "$out/a.bin" ] && [ "$(stat -c %s "$out/a.bin")" = $((MIB * 1048576)) ] || head -c $((MIB * 1048576)) /dev/urandom >"$out/a.bin"
ln "$out/a.bin" "$ng/www/a.bin" 2>/dev/null || cp "$out/a.bin" "$ng/www/a.bin"
. bench/lib/nginx.sh
nginx_start "$ng" 2 bytes "limit_rate $RATE;"
trap 'kill $nginx_pid 2>/dev/null || true; rm -rf "$out/dl"' EXIT
nginx_await
"$java" -cp "$cp" bench/BenchData.java manifest dl "$url" "$out/a.bin" "$out/dl.json"

declare -A cmd=(
  [soko]="rm -rf $out/dl/home && $java -XX:+UseSerialGC -XX:AOTCache=$aot -Xlog:aot=off -Xlog:cds=off -jar $jar --home $out/dl/home install $out/dl.json --yes"
  [soko1]="rm -rf $out/dl/home && $java -XX:+UseSerialGC -XX:AOTCache=$aot -Xlog:aot=off -Xlog:cds=off -jar $jar --home $out/dl/home install $out/dl.json --yes --connections 1"
  [curl]="rm -f $out/dl/curl.bin && curl -s -o $out/dl/curl.bin $url"
  [aria2c]="rm -f $out/dl/aria.bin && aria2c -q -x4 -s4 --file-allocation=none --allow-overwrite=true -d $out/dl -o aria.bin $url"
)
rm -f "$out"/t.*
run() { /usr/bin/time -f "%e %U %S" -o "$out/time" bash -c "${cmd[$1]}" >/dev/null 2>&1; awk '{printf "%s %.2f\n", $1, $2 + $3}' "$out/time" >>"$out/t.$1"; }
for k in soko soko1 curl aria2c; do bash -c "${cmd[$k]}" >/dev/null 2>&1; done # warm-up
for r in $(seq "$ROUNDS"); do for k in soko soko1 curl aria2c; do run "$k"; done; done
stats() { sort -n "$out/t.$1" | awk '{w[NR]=$1; c[NR]=$2} END {m=int((NR+1)/2); printf "%.2f / %.2f / %.2f s (CPU %.2f s)", w[1], w[m], w[NR], c[m]}'; }
median() { sort -n "$out/t.$1" | awk '{w[NR]=$1} END {print w[int((NR+1)/2)]}'; }
ratio() { awk -v a="$(median "$1")" -v b="$(median "$2")" 'BEGIN {printf "%.2f", a / b}'; }
echo "Measured $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg); $MIB MiB, nginx limit_rate $RATE per connection; $ROUNDS rounds; \$OUT is bench/out/ranged."
echo
echo "| command | wall min / median / max (median CPU) | Soko / it |"
echo "| --- | --- | --- |"
echo "| \`java -XX:+UseSerialGC -XX:AOTCache=soko-cli.aot -jar soko-cli.jar --home \$OUT/dl/home install \$OUT/dl.json --yes\` | $(stats soko) | 1 |"
echo "| \`… install \$OUT/dl.json --yes --connections 1\` | $(stats soko1) | $(ratio soko soko1) |"
echo "| \`curl -s -o \$OUT/dl/curl.bin \$URL\` | $(stats curl) | $(ratio soko curl) |"
echo "| \`aria2c -q -x4 -s4 --file-allocation=none -d \$OUT/dl -o aria.bin \$URL\` | $(stats aria2c) | $(ratio soko aria2c) |"
echo
echo "One connection: \`--connections 1\` / curl $(ratio soko1 curl), / aria2c $(ratio soko1 aria2c)."
