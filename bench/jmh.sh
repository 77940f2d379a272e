#!/usr/bin/env bash
# In-process JMH benchmarks (module soko-bench; BENCHMARKS.md, "In-process (JMH)"): cached vs full
# verify of a 1 GiB model, hashing throughput, manifest parsing, inventory. Scratch files go under
# bench/out/jmh (git-ignored) and are removed by each benchmark's tear-down.
#   bash bench/jmh.sh                      every benchmark, default settings below
#   bash bench/jmh.sh VerifyBench -p mib=64  any JMH arguments (a regexp, -p, -f, -i, ...)
#   SOKO_BENCH_STORE=DIR bash bench/jmh.sh InventoryBench   InventoryBench on an existing store's home
#     (such as bench/out/perf/inventory-home, which bench/run.sh makes) instead of a made one
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/bin/find-jdk.sh"
soko_find_jdk
cd "$here"
./mvnw -q -DskipTests -Dmaven.javadoc.skip -Dmaven.source.skip -pl soko-bench -am package >&2
mkdir -p bench/out/jmh
args=("$@")
[ ${#args[@]} -eq 0 ] && args=(-f 1 -wi 3 -w 1s -i 5 -r 1s)
exec "$JAVA_HOME/bin/java" -Dsoko.bench.dir="$here/bench/out/jmh" ${SOKO_BENCH_STORE:+-Dsoko.bench.store="$SOKO_BENCH_STORE"} -cp "soko-bench/target/classes:soko-bench/target/lib/*" \
  org.openjdk.jmh.Main "${args[@]}"
