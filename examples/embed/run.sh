#!/usr/bin/env bash
# Builds the example app against the Soko artifacts in the local Maven repository and runs it:
# a fresh app folder, a WAV clip spoken by espeak-ng, and a small model that nginx on 127.0.0.1
# serves the way a team's LAN mirror would (a phrasebook of the team's own words).
#
#   examples/embed/run.sh [--install]    --install: ./mvnw install the Soko artifacts first
#
# Needs: a JDK 25, nginx, espeak-ng (bin/install-test-deps.sh installs them). Ends with the line
# "embed: N passed, M failed". SOKO_MAVEN_REPO names another local Maven repository than ~/.m2/repository
# (passed to Maven as maven.repo.local, together with -o when SOKO_MAVEN_OFFLINE=1).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/bin/find-jdk.sh"
soko_find_jdk
repo=${SOKO_MAVEN_REPO:-$HOME/.m2/repository}
mvn_flags=(-Dmaven.repo.local="$repo")
[ "${SOKO_MAVEN_OFFLINE:-}" = 1 ] && mvn_flags+=(-o)
if [ "${1:-}" = "--install" ]; then
  echo "embed: installing the Soko artifacts into the local Maven repository" >&2
  (cd "$root" && ./mvnw -q "${mvn_flags[@]}" install -DskipTests -Dmaven.javadoc.skip -Dmaven.source.skip)
fi
# The version of this checkout: the first <version> of the parent pom is the project's.
version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$root/pom.xml" | head -n 1)
[ -n "$version" ] || { echo "embed: cannot read the version from $root/pom.xml" >&2; exit 1; }
core_jar=$(find "$repo"/dev/soko/soko-core/"$version" -name "soko-core-$version.jar" -print -quit 2>/dev/null || true)
[ -f "$core_jar" ] || { echo "embed: dev.soko:soko-core:$version is not in the local repository: run examples/embed/run.sh --install (or ./mvnw install)" >&2; exit 1; }

echo "embed: building the example against dev.soko:soko-bom:$version" >&2
"$root/mvnw" -q "${mvn_flags[@]}" -f "$here/pom.xml" -Dsoko.version="$version" clean package

work=$(mktemp -d /tmp/soko-embed.XXXXXX)
nginx_pid=""
cleanup() {
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

espeak-ng -v ja -w "$work/clip.wav" "おはようございます。駅はどこですか。" 2>/dev/null
mkdir -p "$work/nginx/www" "$work/nginx/temp"
printf '# Team phrasebook, Japanese to English (an example model served by a LAN mirror).\n# source\tenglish\n会議室\tmeeting room\n議事録\tminutes of the meeting\n' \
  >"$work/nginx/www/phrasebook-ja-en.tsv"
size=$(stat -c %s "$work/nginx/www/phrasebook-ja-en.tsv")
sha=$(sha256sum "$work/nginx/www/phrasebook-ja-en.tsv" | cut -c1-64)
port=$((20000 + RANDOM % 20000))
user=""; [ "$(id -u)" = 0 ] && user="user root;"
cat >"$work/nginx/nginx.conf" <<EOF
$user
daemon off;
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 16; }
http {
  access_log off;
  client_body_temp_path $work/nginx/temp/body; proxy_temp_path $work/nginx/temp/proxy;
  fastcgi_temp_path $work/nginx/temp/fastcgi; uwsgi_temp_path $work/nginx/temp/uwsgi; scgi_temp_path $work/nginx/temp/scgi;
  default_type application/octet-stream;
  server { listen 127.0.0.1:$port; root $work/nginx/www; }
}
EOF
/usr/sbin/nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" &
nginx_pid=$!
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/phrasebook-ja-en.tsv" && break; sleep 0.05; done
cat >"$work/team-phrasebook.json" <<EOF
{"schemaVersion": 1, "name": "team-phrasebook", "version": "1.0.0",
 "description": "The team's own words (an example)",
 "tasks": [{"task": "translate", "from": "ja", "to": "en"}],
 "engine": {"id": "soko-phrasebook", "version": ">=1.0 <2"},
 "license": {"spdx": "CC0-1.0", "url": "https://creativecommons.org/publicdomain/zero/1.0/", "attribution": "example data"},
 "files": [{"path": "phrasebook-ja-en.tsv", "size": $size, "sha256": "$sha", "sources": ["http://127.0.0.1:$port/phrasebook-ja-en.tsv"]}],
 "totalSize": $size, "demo": true}
EOF

# The app runs twice, on a fresh app folder and a fresh HOME each time: on the module path (soko.core
# and the engine modules resolved as modules, the engines bound as EngineProvider services, nothing
# but the exported packages readable) and on the class path. Neither run sets ORT_DISABLE_TELEMETRY:
# soko-engine-onnx turns ONNX Runtime's telemetry off by itself, so nothing (such as a device id
# under ~/.cache/Microsoft) may appear in HOME.
run_app() { # module-path | class-path
  local mode=$1 launch
  mkdir -p "$work/$mode/home"
  if [ "$mode" = module-path ]; then
    launch=(--enable-native-access=soko.engine.onnx,com.microsoft.onnxruntime
      --module-path "$here/target/embed-example.jar:$here/target/lib" -m com.example.embed/com.example.embed.EmbedExample)
  else
    launch=(--enable-native-access=ALL-UNNAMED -cp "$here/target/embed-example.jar:$here/target/lib/*" com.example.embed.EmbedExample)
  fi
  echo "embed: running the example on the $mode" >&2
  env -u ORT_DISABLE_TELEMETRY HOME="$work/$mode/home" "$JAVA_HOME/bin/java" -Djava.io.tmpdir="$work" "${launch[@]}" \
    "$work/$mode/app" "$work/clip.wav" "$work/team-phrasebook.json" | tee "$work/$mode/out.txt"
}
run_app module-path
run_app class-path

passed=0
failed=0
for mode in module-path class-path; do
  expect() { # description, then an extended regular expression the output must match
    if grep -qE "$2" "$work/$mode/out.txt"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "embed: FAIL ($mode) $1" >&2; fi
  }
  expect "installs the bundled models" "^installed silero-vad 6.0.0"
  expect "refuses a download without consent" "^without consent: the download was not approved"
  expect "asks consent with the plan" "^consent asked: team-phrasebook 1.0.0: download .* from 127.0.0.1:$port"
  expect "reports progress" "^  phrasebook-ja-en.tsv: done, sha256:$sha"
  expect "finds speech in the clip" "^speech from [0-9.]+ s to [0-9.]+ s"
  expect "translates with the demo phrasebook" '^translated "おはようございます" -> "Good morning"'
  expect "refuses the damaged model" "^refused: .*team-phrasebook"
  expect "repairs it" "^repaired: team-phrasebook is verified"
  if [ -z "$(ls -A "$work/$mode/home")" ]; then passed=$((passed + 1)); else
    failed=$((failed + 1)); echo "embed: FAIL ($mode) wrote into HOME: $(cd "$work/$mode/home" && find . -type f | head -3)" >&2
  fi
done
# soko.internal.* is not exported: a module that reaches into it does not compile.
mkdir -p "$work/reach/src/com.example.reach/com/example/reach"
printf 'module com.example.reach { requires soko.core; }\n' >"$work/reach/src/com.example.reach/module-info.java"
printf 'package com.example.reach;\npublic class Reach { Object o = soko.internal.io.AtomicFiles.class; }\n' \
  >"$work/reach/src/com.example.reach/com/example/reach/Reach.java"
if "$JAVA_HOME/bin/javac" -d "$work/reach/out" --module-path "$here/target/lib" --module-source-path "$work/reach/src" \
  -m com.example.reach 2>"$work/reach/err.txt"; then
  failed=$((failed + 1)); echo "embed: FAIL a module compiled against soko.internal.io" >&2
elif grep -q 'package soko.internal.io is not visible' "$work/reach/err.txt"; then passed=$((passed + 1)); else
  failed=$((failed + 1)); echo "embed: FAIL reaching soko.internal.io failed for another reason: $(head -3 "$work/reach/err.txt")" >&2
fi
echo "embed: $passed passed, $failed failed"
[ $failed = 0 ]
