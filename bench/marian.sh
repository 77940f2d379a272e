#!/usr/bin/env bash
# Marian (OPUS-MT geometry) timings and peak memory on random fp32 weights generated here:
# d=512, 8 heads, FFN 2048, 6+6 layers, vocab 60,716. Writes ~450 MB under bench/out/ and removes it.
# Usage: bash bench/marian.sh [threads]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/bin/find-jdk.sh"
soko_find_jdk
cd "$here"
threads=${1:-2}
out=bench/out/marian
mkdir -p "$out"
./mvnw -q -pl soko-engine-onnx -am test-compile -DskipTests >/dev/null
./mvnw -q -pl soko-engine-onnx dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$here/$out/cp.txt" >/dev/null
cp="soko-engine-onnx/target/test-classes:soko-engine-onnx/target/classes:soko-core/target/classes:$(cat "$out/cp.txt")"
java="$JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED -Djava.io.tmpdir=$here/$out"
$java -cp "$cp" soko.engine.onnx.translation.MarianBenchmark write "$out/model"
/usr/bin/time -v $java -cp "$cp" soko.engine.onnx.translation.MarianBenchmark run "$out/model" "$threads" 2> "$out/time.txt"
grep -E "Maximum resident set size|Elapsed" "$out/time.txt"
rm -rf "$out"
