#!/usr/bin/env bash
# Which HTTP stack should move Soko's downloads (BENCHMARKS.md, "HTTP stack"): one file from nginx
# on loopback (sendfile), written at its offset and hashed on a second thread as Soko's
# downloader does, fsynced at the end; each mode in a fresh JVM, modes alternating, after a
# warm-up round. Prints min / median / max seconds and MiB/s per mode.
#
#   bash bench/http-stack.sh [MIB] [ROUNDS]     default: 1024 MiB, 5 rounds (builds soko-core when needed:
#                                               mode "connector" is Soko's own soko.acquisition.Connector)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/bin/find-jdk.sh"
. "$here/bench/lib/nginx.sh"
soko_find_jdk
mib=${1:-1024}
rounds=${2:-5}
out=$here/bench/out/http-stack
mkdir -p "$out"
out=$(cd "$out" && pwd)
if [ ! -f "$out/a.bin" ] || [ "$(stat -c %s "$out/a.bin")" != $((mib * 1048576)) ]; then
  head -c $((mib * 1048576)) /dev/urandom >"$out/a.bin"
fi
expected=$(sha256sum "$out/a.bin" | cut -c1-64)
ng=$out/nginx
rm -rf "$ng"; mkdir -p "$ng/www"
ln "$out/a.bin" "$ng/www/a.bin" 2>/dev/null || cp "$out/a.bin" "$ng/www/a.bin"
nginx_start "$ng" 1 off
trap 'kill $nginx_pid 2>/dev/null || true' EXIT
nginx_await
"$JAVA_HOME/bin/javac" -d "$out/classes" "$here/bench/HttpStackBench.java"
[ -d "$here/soko-core/target/classes/soko/acquisition" ] || (cd "$here" && ./mvnw -q -pl soko-core -am install -DskipTests)
cp="$out/classes:$here/soko-core/target/classes"
modes="urlconnection httpclient-stream httpclient-subscriber socket connector"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A times cpus
for ((r = 0; r <= rounds; r++)); do
  for m in $modes; do
    line=$("$JAVA_HOME/bin/java" -cp "$cp" HttpStackBench "$m" "$url" "$out/got.bin")
    set -- $line
    [ "$4" = "$expected" ] || { echo "$m: wrong sha256 $4" >&2; exit 1; }
    [ $r -gt 0 ] && times[$m]="${times[$m]:-} $2" && cpus[$m]="${cpus[$m]:-} $5"
  done
done
for m in $modes; do
  echo "$m: wall $(echo ${times[$m]} | tr ' ' '\n' | sort -g | awk -v mib=$mib '{a[NR]=$1} END {m=a[int((NR+1)/2)]; printf "%.3f / %.3f / %.3f s (median %.0f MiB/s)", a[1], m, a[NR], mib/m}'); CPU $(echo ${cpus[$m]} | tr ' ' '\n' | sort -g | awk '{a[NR]=$1} END {printf "%.3f / %.3f / %.3f s", a[1], a[int((NR+1)/2)], a[NR]}')"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
