#!/usr/bin/env bash
# Performance benchmarks (BENCHMARKS.md, "Performance"): Soko against openssl, curl and a JVM
# hello-world, side by side in one script, alternating runs (A B A B ...) after a warm-up, whole
# processes. Prints min/median/max of each command and the ratio pair by pair, and writes the
# table into BENCHMARKS.md (full mode only). Data lives under bench/out/perf (git-ignored, about
# 9 GiB in full mode, kept between runs; delete it to start over).
#
#   bash bench/run.sh           full: 1 GiB files, 4 GiB for memory, 1,000 models, 7 pairs
#   bash bench/run.sh --quick   smoke run, about 2 minutes from scratch: 64 MiB files, 50 models, 3 pairs; prints only
#   bash bench/run.sh [--quick] --only 1,6b   only those rows (for before/after figures); prints only
#
# Never asserts a timing: the ratios are for people. The machine may be shared; compare ratios.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/bin/find-jdk.sh"
. "$here/bench/lib/nginx.sh"
soko_find_jdk
cd "$here"
quick=0
only=""
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1 ;;
    --only) only=",$2,"; shift ;;
    *) echo "usage: bash bench/run.sh [--quick] [--only ROW,ROW...]" >&2; exit 2 ;;
  esac
  shift
done
wanted() { [ -z "$only" ] || [[ $only == *",$1,"* ]]; }
if [ $quick = 1 ]; then
  MIB=64; BIG_MIB=256; MODELS=50; FILES=10; LIST_MODELS=200; PAIRS=3; out=bench/out/perf-quick
else
  MIB=1024; BIG_MIB=4096; MODELS=1000; FILES=10; LIST_MODELS=200; PAIRS=7; out=bench/out/perf
fi
java="$JAVA_HOME/bin/java"
log() { echo "bench: $*" >&2; }

# ------------------------------------------------------------------ build
log "building the CLI and the testkit"
./mvnw -q -DskipTests -Dmaven.javadoc.skip -Dmaven.source.skip -pl soko-cli,soko-testkit -am package >&2
touch soko-cli/target/.built
rm -f soko-cli/target/soko-cli.aot
./soko --version >/dev/null # builds the AOT cache
cp="soko-cli/target/soko-cli.jar:soko-cli/target/lib/*:soko-testkit/target/soko-testkit-0.1.0-SNAPSHOT.jar"
data() { "$java" -cp "$cp" bench/BenchData.java "$@"; }
mkdir -p "$out"
out=$(cd "$out" && pwd)

# ------------------------------------------------------------------ data
mkfile() { # name MiB: random bytes, made once
  if [ ! -f "$out/$1" ] || [ "$(stat -c %s "$out/$1")" != $(($2 * 1048576)) ]; then
    log "making $1 ($2 MiB)"
    head -c $(($2 * 1048576)) /dev/urandom >"$out/$1.tmp" && mv "$out/$1.tmp" "$out/$1"
  fi
}
mkfile a.bin $MIB
mkfile b.bin $MIB
if [ ! -f "$out/verify-home/.done" ]; then
  log "installing the verify models"
  rm -rf "$out/verify-home"
  data install "$out/verify-home" one "$out/a.bin"
  data install "$out/verify-home" two "$out/a.bin" "$out/b.bin"
  touch "$out/verify-home/.done"
fi
blob() { echo "$out/verify-home/data/blobs/sha256/${1:0:2}/$1"; }
sha_a=$(sha256sum "$out/a.bin" | cut -c1-64)
sha_b=$(sha256sum "$out/b.bin" | cut -c1-64)
for n in $LIST_MODELS:list-home $MODELS:inventory-home; do
  count=${n%%:*}; dir=$out/${n#*:}
  files=$([ "${n#*:}" = list-home ] && echo 2 || echo $FILES)
  if [ ! -f "$dir/.done" ]; then
    log "installing $count models of $files files into ${n#*:} (once; minutes for 10,000 blobs)"
    rm -rf "$dir"
    data many "$dir" "$count" "$files"
    touch "$dir/.done"
  fi
done
mkdir -p "$out/hello"
if [ ! -f "$out/hello/hello.jar" ]; then
  printf 'public class Hello { public static void main(String[] a) { System.out.println("hello"); } }\n' >"$out/hello/Hello.java"
  "$JAVA_HOME/bin/javac" -d "$out/hello" "$out/hello/Hello.java"
  printf 'Main-Class: Hello\n' >"$out/hello/manifest.txt"
  "$JAVA_HOME/bin/jar" cfm "$out/hello/hello.jar" "$out/hello/manifest.txt" -C "$out/hello" Hello.class
fi

# ------------------------------------------------------------------ nginx on loopback
ng=$out/nginx
rm -rf "$ng"; mkdir -p "$ng/www"
ln "$out/a.bin" "$ng/www/a.bin" 2>/dev/null || cp "$out/a.bin" "$ng/www/a.bin"
nginx_start "$ng" 1 bytes
cleanup() { kill "$nginx_pid" 2>/dev/null || true; rm -rf "$out/dl" "$out/resume-home"; }
trap cleanup EXIT
nginx_await
data manifest dl "$url" "$out/a.bin" "$out/dl.json"
mkdir -p "$out/dl"

# ------------------------------------------------------------------ measuring
# Runs commands in turn (one warm-up round, then $PAIRS rounds), each after its untimed prep.
# Usage: compare ID "what" "target text" LIMIT  -- cmd1 prep1 -- cmd2 prep2 [-- cmd3 prep3]
# The ratio is command 1 over command 2 (and over command 3), round by round; LIMIT is the
# target for ratio 1/2 ("-" for none).
results=$out/results.md
: >"$results"
now_ms() { date +%s%N; }
stats() { tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {printf "%.3f / %.3f / %.3f", a[1]/1e9, a[int((NR+1)/2)]/1e9, a[NR]/1e9}'; }
median() { tr ' ' '\n' | sort -g | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]}'; }
compare() {
  local id=$1 what=$2 target=$3 limit=$4; shift 4
  wanted "$id" || return 0
  local -a cmds=() preps=()
  while [ $# -gt 0 ]; do shift; cmds+=("$1"); preps+=("$2"); shift 2; done
  local n=${#cmds[@]} round i t0 t1
  local -a times=()
  for ((round = 0; round <= PAIRS; round++)); do
    for ((i = 0; i < n; i++)); do
      eval "${preps[$i]}" >/dev/null 2>&1
      t0=$(now_ms)
      eval "${cmds[$i]}" >/dev/null 2>>"$out/stderr.log" || { log "FAILED: ${cmds[$i]} (see $out/stderr.log)"; return 1; }
      t1=$(now_ms)
      [ $round -gt 0 ] && times[$i]="${times[$i]:-} $((t1 - t0))"
    done
  done
  echo "== $id: $what" >&2
  local -a ratios=()
  for ((i = 0; i < n; i++)); do
    echo "   $(echo ${times[$i]} | stats) s  min/median/max  ${cmds[$i]}" >&2
  done
  for ((i = 1; i < n; i++)); do
    local -a a=(${times[0]}) b=(${times[$i]}) r=()
    for ((k = 0; k < ${#a[@]}; k++)); do r+=($(awk -v x="${a[$k]}" -v y="${b[$k]}" 'BEGIN {printf "%.3f", x / y}')); done
    ratios[$i]=$(echo "${r[@]}" | median)
    echo "   ratio 1/$((i + 1)) pair by pair: ${r[*]} -> median ${ratios[$i]}" >&2
  done
  local verdict="-"
  if [ "$limit" != "-" ]; then
    verdict=$(awk -v r="${ratios[1]}" -v l="$limit" 'BEGIN {print (r <= l) ? "**met**" : "not met"}')
  fi
  local cells="" i2
  for ((i = 0; i < n; i++)); do local shown=${cmds[$i]//$out/\$OUT}; shown=${shown//$JAVA_HOME\/bin\/java/java}; shown=${shown//|/\\|}; cells+="\`$shown\`: $(echo ${times[$i]} | stats) s<br>"; done
  local rs=""
  for ((i = 1; i < n; i++)); do rs+="1/$((i + 1)): ${ratios[$i]} "; done
  echo "| $id | $what | ${target//|/\\|} | ${cells%<br>} | $rs | $verdict |" >>"$results"
}

soko=./soko
sokoj="$java -XX:+UseSerialGC -XX:AOTCache=soko-cli/target/soko-cli.aot -jar soko-cli/target/soko-cli.jar"
hello="$java -jar $out/hello/hello.jar"
H=$out/verify-home
size_label=$([ $MIB = 1024 ] && echo "1 GiB" || echo "$MIB MiB")

compare 1 "full verify of a $size_label model vs openssl on its blob (3: coreutils sha256sum)" "≤ 1.1" 1.1 \
  -- "$soko --home $H verify --full one" ":" \
  -- "openssl dgst -sha256 $(blob $sha_a)" ":" \
  -- "sha256sum $(blob $sha_a)" ":"
compare 2 "full verify of a model of 2 × $size_label on $(nproc) cores vs hashing both one after the other" "≤ 0.6" 0.6 \
  -- "$soko --home $H verify --full two" ":" \
  -- "openssl dgst -sha256 $(blob $sha_a) $(blob $sha_b)" ":" \
  -- "$soko --home $H verify --full one && $soko --home $H verify --full one" ":"
compare 3w "cached verify of the $size_label model (whole process; JMH gives the in-process cost) vs full" "in-process ≤ 1 ms, ≥ 500× cheaper (JMH)" - \
  -- "$soko --home $H verify one" ":" \
  -- "$soko --home $H verify --full one" ":"
# Each run starts with no dirty pages: the prep removes the last file and syncs, so that one
# command's writeback (curl -o leaves 1 GiB dirty) is not paid by the next command.
compare 4 "download, verify and publish $size_label from nginx on loopback vs curl (4: curl -o, then sync the file: the durability Soko gives)" "≤ 1.2 vs curl -o; < 1 vs curl|tee|openssl" 1.2 \
  -- "$soko --home $out/dl/home install $out/dl.json --yes" "rm -rf $out/dl/home; sync" \
  -- "curl -s -o $out/dl/curl.bin $url" "rm -f $out/dl/curl.bin; sync" \
  -- "curl -s $url | tee $out/dl/tee.bin | openssl dgst -sha256" "rm -f $out/dl/tee.bin; sync" \
  -- "curl -s -o $out/dl/synced.bin $url && sync $out/dl/synced.bin" "rm -f $out/dl/synced.bin; sync"
compare 6a "soko --version vs JVM hello-world (same JDK)" "≤ 1.3" 1.3 \
  -- "$soko --version" ":" -- "$hello" ":" -- "$sokoj --version" ":"
compare 6b "soko list --json, $LIST_MODELS models, vs JVM hello-world" "≤ 2" 2 \
  -- "$soko --home $out/list-home list --json" ":" -- "$hello" ":" -- "$sokoj --home $out/list-home list --json" ":"
compare 7 "soko diagnostics --json, $MODELS models / $((MODELS * FILES)) blobs, vs JVM hello-world and du -sb" "≤ 0.5 s" - \
  -- "$soko --home $out/inventory-home diagnostics --json" ":" -- "$hello" ":" -- "du -sb $out/inventory-home" ":"

# ------------------------------------------------------------------ resume after a cut at 50%
if wanted 5; then
log "resume: cut a download at 50% with kill -9, then resume"
rh=$out/resume-home; rm -rf "$rh"; : >"$ng/access.log"
size=$((MIB * 1048576)); partial="$rh/cache/downloads/$sha_a.partial"
# One stream (--connections 1): the partial's length is then the bytes kept; ranged resume is
# measured by soko-core's RangedDownloadTest (kill -9 of a child JVM, bytes from nginx's log).
$soko --home "$rh" install "$out/dl.json" --yes --connections 1 >/dev/null 2>&1 &
spid=$!
while kill -0 $spid 2>/dev/null; do
  [ -f "$partial" ] && [ "$(stat -c %s "$partial")" -ge $((size / 2)) ] && break
  sleep 0.005
done
kill -9 $spid 2>/dev/null || true; wait $spid 2>/dev/null || true
kept=$(stat -c %s "$partial" 2>/dev/null || echo 0)
sleep 0.3
t0=$(now_ms); $soko --home "$rh" install "$out/dl.json" --yes --connections 1 >/dev/null; t1=$(now_ms)
sleep 0.3
sent=$(awk '$2 == "/a.bin" {s += $4} END {print s + 0}' "$ng/access.log")
t2=$(now_ms); openssl dgst -sha256 "$rh/data/blobs/sha256/${sha_a:0:2}/$sha_a" >/dev/null; t3=$(now_ms)
ratio5=$(awk -v s="$sent" -v z="$size" 'BEGIN {printf "%.4f", s / z}')
verdict5=$(awk -v r="$ratio5" 'BEGIN {print (r <= 1.01) ? "**met**" : "not met"}')
echo "== 5: resume: cut at $kept of $size bytes; nginx sent $sent bytes in all ($ratio5 × the size); resumed run $(awk -v a=$t0 -v b=$t1 'BEGIN {printf "%.3f", (b-a)/1e9}') s, openssl over the whole file $(awk -v a=$t2 -v b=$t3 'BEGIN {printf "%.3f", (b-a)/1e9}') s" >&2
echo "| 5 | resume a $size_label download killed (kill -9) at $((kept * 100 / size))%: bytes nginx sent in all / file size | ≤ 1.01 | cut at $kept bytes; sent $sent bytes; resumed run $(awk -v a=$t0 -v b=$t1 'BEGIN {printf "%.3f", (b-a)/1e9}') s (re-hash of the kept prefix + the rest) | $ratio5 | $verdict5 |" >>"$results"
fi

# ------------------------------------------------------------------ memory
if wanted 8; then
mkfile big.bin $BIG_MIB
big_label=$([ $BIG_MIB = 4096 ] && echo "4 GiB" || echo "$BIG_MIB MiB")
rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1; }
mh=$out/mem-home; rm -rf "$mh"
ln -f "$out/big.bin" "$ng/www/big.bin" 2>/dev/null || cp "$out/big.bin" "$ng/www/big.bin"
data manifest bigdl "http://127.0.0.1:$port/big.bin" "$out/big.bin" "$out/big.json"
dl_rss=$(rss "$java" -XX:+UseSerialGC -XX:AOTCache=soko-cli/target/soko-cli.aot -jar soko-cli/target/soko-cli.jar --home "$mh" install "$out/big.json" --yes)
vf_rss=$(rss "$java" -XX:+UseSerialGC -XX:AOTCache=soko-cli/target/soko-cli.aot -jar soko-cli/target/soko-cli.jar --home "$mh" verify --full bigdl)
hello_rss=$(rss $hello)
rm -rf "$mh" "$ng/www/big.bin"
worst=$(( dl_rss > vf_rss ? dl_rss : vf_rss ))
verdict8=$(awk -v k="$worst" 'BEGIN {print (k / 1024 <= 160) ? "**met**" : "not met"}')
echo "== 8: peak RSS: install (download) $big_label $((dl_rss / 1024)) MiB, verify --full $((vf_rss / 1024)) MiB, hello-world $((hello_rss / 1024)) MiB" >&2
echo "| 8 | peak RSS (\`/usr/bin/time -f %M\`) downloading and verifying a $big_label file | ≤ 160 MiB | install from nginx: $((dl_rss / 1024)) MiB<br>verify --full: $((vf_rss / 1024)) MiB<br>hello-world: $((hello_rss / 1024)) MiB | - | $verdict8 |" >>"$results"
fi

# ------------------------------------------------------------------ ranged downloads under limit_rate
if wanted 9; then
if command -v aria2c >/dev/null; then
  log "row 9: ranged downloads against curl and aria2c under nginx limit_rate (bench/ranged.sh)"
  r9_mib=$([ $quick = 1 ] && echo 64 || echo 256)
  r9=$(bash bench/ranged.sh $r9_mib 20m $([ $quick = 1 ] && echo 1 || echo 3))
  echo "$r9" >&2
  c9=$(echo "$r9" | awk -F'|' '/curl -s -o/ {gsub(/ /, "", $4); print $4}')
  a9=$(echo "$r9" | awk -F'|' '/aria2c -q/ {gsub(/ /, "", $4); print $4}')
  v9=$(awk -v c="$c9" -v a="$a9" 'BEGIN {print (c <= 0.35 && a <= 1.1) ? "**met**" : "not met"}')
  echo "| 9 | download $r9_mib MiB from nginx with limit_rate 20m per connection (bench/ranged.sh): Soko (4 connections) vs curl -o and aria2c -x4 -s4 | ≤ 0.35 vs curl; ≤ 1.1 vs aria2c | see bench/ranged.sh's table in BENCHMARKS.md | 1/curl: $c9 1/aria2c: $a9 | $v9 |" >>"$results"
else
  log "row 9 skipped: aria2c is missing (bin/install-test-deps.sh --bench)"
fi
fi

# ------------------------------------------------------------------ repair one bad region by chunks
if wanted 10; then bash bench/repair.sh $([ $quick = 1 ] && echo "128 16" || echo "1024 64") >>"$results"; fi
# ------------------------------------------------------------------ report
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
table=$(
  echo "Measured $(date -u +%Y-%m-%dT%H:%MZ) on $cpu, $(nproc) cores, $(awk '/MemTotal/ {printf "%d GiB", $2/1048576}' /proc/meminfo), $($java -version 2>&1 | head -n 1), load average before: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Command: \`bash bench/run.sh$([ $quick = 1 ] && echo ' --quick')\`; \$OUT is ${out#"$here"/} under the checkout. Times are min / median / max of $PAIRS rounds after a warm-up, commands alternating; ratios are medians of the round-by-round ratios."
  echo
  echo "| # | what | target | commands (min / median / max, seconds) | ratio | verdict |"
  echo "| --- | --- | --- | --- | --- | --- |"
  cat "$results"
)
echo "$table"
if [ $quick = 0 ] && [ -z "$only" ]; then
  awk -v table="$table" '
    /<!-- bench\/run.sh:begin -->/ {print; print table; skip = 1; next}
    /<!-- bench\/run.sh:end -->/ {skip = 0}
    !skip {print}' BENCHMARKS.md >BENCHMARKS.md.tmp && mv BENCHMARKS.md.tmp BENCHMARKS.md
  log "wrote the table into BENCHMARKS.md"
fi
