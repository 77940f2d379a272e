#!/usr/bin/env bash
# The crash harness, full length: SIGKILLs `soko install` (bundled and downloaded), `pull` (nginx at
# 1 MB/s and docker-registry behind a 1 MB/s proxy), `gc` and `rm` at random points, 100 times by
# default, and checks the store after each kill (soko-reliability/…/CrashHarness.java; figures in
# RELIABILITY.md). Options go to the harness:
#   bash bench/crash.sh                  100 kills, a new seed (printed)
#   bash bench/crash.sh --seed 1234      reproduce a run
#   bash bench/crash.sh --kills 20       the CI length
# Exit 1 when a finding is not a known fault. Needs nginx-light and docker-registry (apt).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/bin/find-jdk.sh"
soko_find_jdk
cd "$here"
echo "crash.sh: building soko-cli and the harness..." >&2
./mvnw -q -DskipTests -pl soko-reliability -am package >&2
exec "$JAVA_HOME/bin/java" -jar soko-reliability/target/soko-reliability.jar crash \
  --jar soko-cli/target/soko-cli.jar --aot-dir soko-reliability/target/aot --dir "$(mktemp -d "${TMPDIR:-/tmp}/soko-crash.XXXXXX")" "$@"
