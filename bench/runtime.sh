#!/usr/bin/env bash
# Runtime benchmarks (BENCHMARKS.md, "Runtime"): VAD real-time factor on one thread, model load
# times (VAD, phrasebook, whisper.cpp test model), verify-before-use for a 1 GiB file (cached vs full).
# Writes only under bench/out/ (git-ignored; about 2 GiB while it runs: the file and its store copy).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/bin/find-jdk.sh"
soko_find_jdk
cd "$here"
./mvnw -q -DskipTests -Dmaven.javadoc.skip -Dmaven.source.skip -pl soko-cli,soko-testkit -am package >&2
mkdir -p bench/out
rm -rf bench/out/runtime-home
cp="soko-cli/target/soko-cli.jar:soko-cli/target/lib/*:soko-testkit/target/soko-testkit-0.1.0-SNAPSHOT.jar"
SOKO_THREADS=1 "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" bench/RuntimeBench.java bench/out
rm -rf bench/out/runtime-home bench/out/big-1g.bin
