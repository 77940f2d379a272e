#!/usr/bin/env bash
# Issue 18, target 5: repair one bad region by chunks. A model of MIB MiB is installed from nginx on
# loopback (its own config, ranges on), given chunk records by `verify --full`, then REGION MiB in
# its middle are overwritten with random bytes; `soko install` of its manifest repairs it (the
# path `soko install NAME` takes for a catalog name). Counted: the bytes
# nginx logged as sent for the repair ($body_bytes_sent), against the region's size (target ≤ 1.1),
# and the repair's wall time against `curl -o` of the whole file from the same nginx, in the same
# run. The region starts on a chunk boundary (Soko's chunks are 16 MiB); a second repair of a region
# of the same size shifted by half a chunk shows what an unaligned region costs. After each repair
# `verify --full --whole` and `openssl dgst -sha256` prove the whole blob against the manifest.
#
#   bash bench/repair.sh [MIB] [REGION_MIB]    # defaults: 1024 and 64 (bench/run.sh --quick: 128 16)
#
# Prints the details on stderr and one row of bench/run.sh's table on stdout. Builds nothing: needs
# the CLI jar (./mvnw -q -DskipTests -pl soko-cli -am package) and nginx (nginx-light).
set -euo pipefail
cd "$(dirname "$0")/.."
MIB=${1:-1024}; REGION=${2:-64}
CHUNK_MIB=16
. bin/find-jdk.sh
soko_find_jdk
java="$JAVA_HOME/bin/java"
jar=soko-cli/target/soko-cli.jar
cp="$jar:soko-cli/target/lib/*"
[ -f "$jar" ] || { echo "bench: build the CLI first: ./mvnw -q -DskipTests -pl soko-cli -am package" >&2; exit 2; }
[ -x /usr/sbin/nginx ] || { echo "bench: nginx is missing (apt-get install nginx-light)" >&2; exit 2; }
[ $((REGION % CHUNK_MIB)) = 0 ] && [ $((MIB / 2 + REGION + CHUNK_MIB)) -le "$MIB" ] \
  || { echo "bench: REGION must be a multiple of $CHUNK_MIB MiB and fit in the second half of the file" >&2; exit 2; }
log() { echo "bench: $*" >&2; }
now_ms() { date +%s%3N; }
out=bench/out/repair-$MIB
mkdir -p "$out"
out=$(cd "$out" && pwd)

# ------------------------------------------------------------------ nginx on loopback, its own config
ng=$out/nginx
rm -rf "$ng" "$out/home" "$out/curl.bin"; mkdir -p "$ng/www" "$ng/temp"
if [ ! -f "$out/a.bin" ] || [ "$(stat -c %s "$out/a.bin")" != $((MIB * 1048576)) ]; then
  log "making a $MIB MiB file"
  head -c $((MIB * 1048576)) /dev/urandom >"$out/a.bin.tmp" && mv "$out/a.bin.tmp" "$out/a.bin"
fi
ln "$out/a.bin" "$ng/www/a.bin" 2>/dev/null || cp "$out/a.bin" "$ng/www/a.bin"
. bench/lib/nginx.sh
nginx_start "$ng" 1 bytes
trap 'kill $nginx_pid 2>/dev/null || true; rm -f "$out/curl.bin"' EXIT
nginx_await

# ------------------------------------------------------------------ install, chunk records
"$java" -cp "$cp" bench/BenchData.java manifest rep "$url" "$out/a.bin" "$out/rep.json"
sha=$(openssl dgst -sha256 -r "$out/a.bin" | cut -c1-64)
soko="$java -XX:+UseSerialGC -jar $jar --home $out/home"
log "installing $MIB MiB from nginx"
$soko install "$out/rep.json" --yes >/dev/null
blob=$out/home/data/blobs/sha256/${sha:0:2}/$sha

# served: the bytes nginx logged as sent since the log was emptied
served() { sleep 0.3; awk '$2 == "/a.bin" {s += $4} END {print s + 0}' "$ng/access.log"; }
ranges() { awk '$2 == "/a.bin" {printf "%s%s %s", sep, $3, $5; sep = ", "}' "$ng/access.log"; }
requests() { awk '$2 == "/a.bin" {n++; s[$3]++} END {printf "%d requests (", n; for (k in s) {printf "%s%s: %d", sep, k, s[k]; sep = ", "}; print ")"}' "$ng/access.log"; }

# repair AT_MIB: records the chunks (`verify --full`: a download, and a repair, publish the blob
# without chunk records), overwrites REGION MiB at AT_MIB with random bytes, repairs, proves; sets
# rep_sent, rep_ms, rep_ranges, rep_requests
repair() {
  local at=$1 mode
  $soko verify --full rep >/dev/null
  mode=$(stat -c %a "$blob")
  chmod u+w "$blob"
  dd if=/dev/urandom of="$blob" bs=1M seek="$at" count="$REGION" iflag=fullblock conv=notrunc status=none
  chmod "$mode" "$blob"
  : >"$ng/access.log"
  local t0 t1
  t0=$(now_ms); $soko install "$out/rep.json" --yes >/dev/null; t1=$(now_ms)
  rep_ms=$((t1 - t0)); rep_sent=$(served); rep_ranges=$(ranges); rep_requests=$(requests)
  $soko verify --full --whole rep >/dev/null || { log "verify --full --whole failed after the repair"; exit 1; }
  [ "$(openssl dgst -sha256 -r "$blob" | cut -c1-64)" = "$sha" ] || { log "the repaired blob is not the file"; exit 1; }
}

region=$((REGION * 1048576))
at=$((MIB / 2))
log "repair 1: $REGION MiB at $at MiB (on chunk boundaries)"
repair "$at"; sent1=$rep_sent; ms1=$rep_ms; ranges1=$rep_ranges; req1=$rep_requests
at2=$((at + CHUNK_MIB / 2))
log "repair 2: $REGION MiB at $at2 MiB (half a chunk off)"
repair "$at2"; sent2=$rep_sent; ms2=$rep_ms; ranges2=$rep_ranges
: >"$ng/access.log"
t0=$(now_ms); curl -s -o "$out/curl.bin" "$url"; t1=$(now_ms); curl_ms=$((t1 - t0))
curl_sent=$(served)
rm -f "$out/curl.bin"

r1=$(awk -v s="$sent1" -v z="$region" 'BEGIN {printf "%.3f", s / z}')
r2=$(awk -v s="$sent2" -v z="$region" 'BEGIN {printf "%.3f", s / z}')
verdict=$(awk -v r="$r1" 'BEGIN {print (r <= 1.1) ? "**met**" : "not met"}')
secs() { awk -v m="$1" 'BEGIN {printf "%.2f", m / 1000}'; }
tr1=$(awk -v a="$ms1" -v b="$curl_ms" 'BEGIN {printf "%.2f", a / b}')
tr2=$(awk -v a="$ms2" -v b="$curl_ms" 'BEGIN {printf "%.2f", a / b}')
log "measured $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
log "repair 1 (aligned): nginx sent $sent1 bytes for a $region-byte region: $r1 × the region; $(secs "$ms1") s ($tr1 × curl); requests: $ranges1"
log "repair 2 (half a chunk off): nginx sent $sent2 bytes: $r2 × the region; $(secs "$ms2") s ($tr2 × curl); requests: $ranges2"
log "curl -o of the whole file: $(secs "$curl_ms") s, nginx sent $curl_sent bytes"
size_label=$([ "$MIB" = 1024 ] && echo "1 GiB" || echo "$MIB MiB")
echo "| 10 | repair one corrupt $REGION MiB region of a $size_label model (\`soko install\` again, chunk records, nginx with ranges): bytes nginx sent / region size; the repair's time vs \`curl -o\` of the whole file | ≤ 1.1 | aligned on chunks: sent $sent1 bytes in $(secs "$ms1") s, $req1<br>half a chunk off: sent $sent2 bytes ($r2 ×) in $(secs "$ms2") s<br>\`curl -s -o \$OUT/curl.bin \$URL\`: $(secs "$curl_ms") s (one run each) | $r1; time $tr1 × curl | $verdict |"
