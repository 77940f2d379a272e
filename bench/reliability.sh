#!/usr/bin/env bash
# The whole reliability suite, full length (RELIABILITY.md): the crash harness (100 SIGKILLs), the
# concurrency harness (4 processes × 50 operations on one store) and every row of the
# server-behaviour corpus, against the packaged CLI. One seed drives all three (printed; pass
# --seed N to reproduce). `bash bench/reliability.sh crash|concurrency|corpus [options]` runs one.
# Output: the figures of each harness, and the same in soko-reliability/target/reliability-LAST.txt.
# Exit 1 when a finding is not a known fault. Needs nginx-light and docker-registry (apt).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/bin/find-jdk.sh"
soko_find_jdk
cd "$here"
what=all
case "${1:-}" in crash | concurrency | corpus | all) what=$1; shift ;; esac
echo "reliability.sh: building soko-cli and the harness..." >&2
./mvnw -q -DskipTests -pl soko-reliability -am package >&2
work=$(mktemp -d "${TMPDIR:-/tmp}/soko-reliability.XXXXXX")
echo "reliability.sh: working in $work (kept for inspection; delete it when done)" >&2
set +e
"$JAVA_HOME/bin/java" -jar soko-reliability/target/soko-reliability.jar "$what" \
  --jar soko-cli/target/soko-cli.jar --aot-dir soko-reliability/target/aot --dir "$work/run" "$@" 2>&1 | tee soko-reliability/target/reliability-LAST.txt
status=${PIPESTATUS[0]}
exit "$status"
