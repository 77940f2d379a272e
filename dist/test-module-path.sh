#!/usr/bin/env bash
# Runs the built `soko` command on the module path (soko.cli and the engine modules as named
# modules, picocli and Jackson as theirs, ONNX Runtime and whisper-jni as automatic modules):
# `--version`, `demo` and `diagnostics` on a fresh --home and a fresh HOME, without
# ORT_DISABLE_TELEMETRY. Uses soko-cli/target (./mvnw package first). Ends with "module-path: N passed, M failed".
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/bin/find-jdk.sh"
soko_find_jdk
target=$root/soko-cli/target
[ -f "$target/soko-cli.jar" ] && [ -d "$target/lib" ] || { echo "module-path: build soko-cli first (./mvnw package -pl soko-cli -am)" >&2; exit 1; }
work=$(mktemp -d /tmp/soko-module-path.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir "$work/home"
passed=0
failed=0
soko() {
  env -u ORT_DISABLE_TELEMETRY HOME="$work/home" "$JAVA_HOME/bin/java" -Djava.io.tmpdir="$work" \
    --enable-native-access=soko.engine.onnx,com.microsoft.onnxruntime,whisper.jni \
    --module-path "$target/soko-cli.jar:$target/lib" -m soko.cli/soko.cli.Main "$@"
}
check() { # description, output file, extended regular expression
  if grep -qE "$3" "$2"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "module-path: FAIL $1" >&2; cat "$2" >&2; fi
}
soko --version >"$work/version.txt" 2>&1 || true
check "--version" "$work/version.txt" '^soko [0-9]+\.[0-9]+\.[0-9]+'
soko --home "$work/soko" demo >"$work/demo.txt" 2>&1 || true
check "demo translates" "$work/demo.txt" '駅はどこですか +→ +Where is the station\?'
soko --home "$work/soko" diagnostics >"$work/diag.txt" 2>&1 || true
check "the engines are bound as services" "$work/diag.txt" '^  whisper\.cpp '
check "ONNX Runtime loads, telemetry off" "$work/diag.txt" 'telemetry=off \(ORT_DISABLE_TELEMETRY=1\)'
if [ -z "$(ls -A "$work/home")" ]; then passed=$((passed + 1)); else
  failed=$((failed + 1)); echo "module-path: FAIL wrote into HOME: $(cd "$work/home" && find . | head -3)" >&2
fi
echo "module-path: $passed passed, $failed failed"
[ $failed = 0 ]
