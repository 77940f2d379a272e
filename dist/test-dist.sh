#!/usr/bin/env bash
# Tests the distribution built by bin/build-dist.sh as a user without a JDK would use it:
#   1. unpacks the archive into a fresh folder (its path has a space) and runs bin/soko with a fresh
#      HOME and TMPDIR, an environment emptied with env -i, and a JAVA_HOME and a PATH whose `java`
#      fails loudly if anything runs it: the launcher must use its own runtime;
#   2. --version, demo, verify, verify --full, list --json, diagnostics (ONNX Runtime loads its
#      libraries from app/native), exit codes through the launcher, the AOT cache accepted by the JVM
#      (-XX:AOTMode=on refuses to start with an unusable cache), soko serve on loopback, an install
#      over HTTPS from nginx on loopback (TLS 1.3, EC certificate; refused without trust), and
#      whisper.cpp in a child JVM (a test model from soko-testkit);
#   3. nothing written outside --home: HOME, TMPDIR and /tmp stay empty (each run sees a private
#      /tmp in a mount namespace of its own; without root, /tmp is compared before and after);
#   4. with --deb, as root: apt-get install ./soko_*.deb, soko demo through /usr/bin/soko, the
#      package's files, apt-get remove; the package is removed on any exit.
#
#   dist/test-dist.sh [--deb]        after bin/build-dist.sh [--deb]
#
# Ends with the line "dist: N passed, M failed"; exits 1 when anything failed.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
test_deb=0
[ "${1:-}" = "--deb" ] && test_deb=1
out=$here/dist/target
archives=("$out"/soko-*-linux-*.tar.gz)
[ -f "${archives[0]}" ] || { echo "dist: no archive in $out: run bin/build-dist.sh first" >&2; exit 1; }
archive=${archives[0]}
name=$(basename "$archive" .tar.gz)
version=${name#soko-}
version=${version%-linux-*}

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "dist: ok   $*"; }
fail() { failed=$((failed + 1)); echo "dist: FAIL $*"; }
check() { # description, then a command; passes when it exits 0
  local what=$1; shift
  if "$@" >"$work/last.out" 2>&1; then pass "$what"; else fail "$what"; sed 's/^/      /' "$work/last.out" | tail -n 20; fi
}

# Not under /tmp: each soko run below sees a private /tmp (see soko_cmd).
mkdir -p "$out"
work=$(mktemp -d "$out/test.XXXXXX")
nginx_pid=""
serve_pid=""
deb_installed=0
cleanup() {
  [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
  if [ $deb_installed = 1 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get -y -q -o DPkg::Lock::Timeout=120 remove soko >/dev/null 2>&1 || dpkg -r soko >/dev/null 2>&1
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# ------------------------------------------------------------------ a machine with no usable JDK
root="$work/unpacked here/$name"
mkdir -p "$work/unpacked here" "$work/home" "$work/tmp" "$work/trap/bin" "$work/trap/jdk/bin"
tar -C "$work/unpacked here" -xzf "$archive"
for java in "$work/trap/bin/java" "$work/trap/jdk/bin/java"; do
  printf '#!/bin/sh\necho "a java outside the distribution was run: $0" >&2\nexit 99\n' >"$java"
  chmod +x "$java"
done
H=$work/soko-home
# The whole environment: nothing of this shell's leaks in (no JAVA_TOOL_OPTIONS, no XDG_*, no SOKO_*).
clean_env=(env -i HOME="$work/home" TMPDIR="$work/tmp" PATH="$work/trap/bin:/usr/bin:/bin" JAVA_HOME="$work/trap/jdk" LANG=C.UTF-8)
# Where it can (root, util-linux unshare), each run gets a mount namespace of its own whose /tmp is
# $work/private-tmp: whatever Soko, the JVM or a native library writes to /tmp lands there, where
# the end of the test finds it, and other processes on the machine cannot be mistaken for Soko.
# unshare, sh and env each exec the next, so a background run's $! is the JVM's own PID.
mkdir -p "$work/private-tmp"
if unshare --mount sh -c "mount --bind '$work/private-tmp' /tmp" 2>/dev/null; then
  private_tmp=1
  isolate=(unshare --mount sh -c 'mount --bind "$0" /tmp && exec "$@"' "$work/private-tmp")
else
  private_tmp=0
  isolate=()
  echo "dist: note: no private /tmp (unshare --mount needs root); /tmp is compared before and after instead"
fi
soko_cmd=("${isolate[@]}" "${clean_env[@]}" "$root/bin/soko")
soko() { "${soko_cmd[@]}" "$@"; }
tmp_before=$(find /tmp -maxdepth 1 -mindepth 1 -printf '%f\n' | sort)

got=$(soko --version 2>&1)
[ "$got" = "soko $version" ] && pass "soko --version with JAVA_HOME and PATH pointing at a trap java" || fail "soko --version printed: $got"
check "soko demo" soko --home "$H" demo
grep -q "Good morning" "$work/last.out" && grep -q "speech " "$work/last.out" \
  && pass "demo found speech and translated with the phrasebook" || fail "demo output lacks speech segments or translations"
check "soko verify" soko --home "$H" verify
check "soko verify --full" soko --home "$H" verify --full
soko --home "$H" list --json >"$work/list.json" 2>&1
grep -q '"name": *"silero-vad"' "$work/list.json" && grep -q '"name": *"demo-phrasebook"' "$work/list.json" \
  && pass "soko list --json names both bundled models" || fail "soko list --json: $(head -c 300 "$work/list.json")"
soko --home "$H" diagnostics >"$work/diag.out" 2>&1
grep -q "executionProviders=CPU" "$work/diag.out" && pass "diagnostics: ONNX Runtime loads from app/native" \
  || { fail "diagnostics: ONNX Runtime did not load"; grep -i onnx "$work/diag.out"; }
# Under LANG=C the launcher runs the JVM in C.UTF-8, so Japanese arguments arrive intact.
got=$("${isolate[@]}" env -i HOME="$work/home" TMPDIR="$work/tmp" PATH=/usr/bin:/bin LANG=C "$root/bin/soko" --home "$H" \
  translate --from ja "おはようございます" 2>&1)
grep -q "Good morning" <<<"$got" && pass "translate a Japanese argument under LANG=C" || fail "translate under LANG=C: $got"
soko --home "$H" verify no-such-model >/dev/null 2>&1; code=$?
[ $code = 1 ] && pass "exit code 1 (missing model) comes through the launcher" || fail "verify no-such-model exited $code, not 1"
soko --home "$H" --no-such-flag >/dev/null 2>&1; code=$?
[ $code = 2 ] && pass "exit code 2 (usage) comes through the launcher" || fail "soko --no-such-flag exited $code, not 2"
# -XX:AOTMode=on makes an unusable AOT cache an error instead of a silent slow start; through
# JDK_JAVA_OPTIONS it comes before bin/soko's own flags, which are what is checked.
for args in "list" "verify --full"; do
  check "the JVM accepts the AOT cache with bin/soko's flags: $args (-XX:AOTMode=on)" \
    "${isolate[@]}" "${clean_env[@]}" JDK_JAVA_OPTIONS=-XX:AOTMode=on "$root/bin/soko" --home "$H" $args
done

# ------------------------------------------------------------------ soko serve (jdk.httpserver)
"${soko_cmd[@]}" --home "$H" serve --port 0 >"$work/serve.out" 2>&1 &
serve_pid=$!
url=""
for _ in $(seq 200); do
  url=$(sed -n 's/^Soko Diagnostics: //p' "$work/serve.out")
  [ -n "$url" ] && break
  sleep 0.1
done
status=""
[ -n "$url" ] && status=$(curl -s -o "$work/page.html" -w '%{http_code}' "$url")
if [ "$status" = 200 ] && grep -qi "soko" "$work/page.html"; then pass "soko serve answers on $(echo "$url" | sed 's/?key=.*/?key=…/')"; else fail "soko serve: no page (HTTP ${status:-none}: $(head -c 300 "$work/page.html" 2>/dev/null); $(cat "$work/serve.out"))"; fi
kill "$serve_pid" 2>/dev/null; wait "$serve_pid" 2>/dev/null; serve_pid=""

# ------------------------------------------------------------------ HTTPS from nginx on loopback
if [ -x /usr/sbin/nginx ] && command -v openssl >/dev/null; then
  ng=$work/nginx
  mkdir -p "$ng/www" "$ng/temp"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=Soko test CA" \
    -keyout "$ng/ca.key" -out "$ng/ca.pem" >/dev/null 2>&1
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=127.0.0.1" \
    -keyout "$ng/server.key" -out "$ng/server.csr" >/dev/null 2>&1
  printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >"$ng/ext"
  openssl x509 -req -in "$ng/server.csr" -CA "$ng/ca.pem" -CAkey "$ng/ca.key" -CAcreateserial -days 2 \
    -extfile "$ng/ext" -out "$ng/server.pem" >/dev/null 2>&1
  head -c 300000 /dev/urandom >"$ng/www/weights.bin"
  port=$((20000 + RANDOM % 20000))
  user=""; [ "$(id -u)" = 0 ] && user="user root;"
  cat >"$ng/nginx.conf" <<EOF
$user
daemon off;
worker_processes 1;
pid $ng/nginx.pid;
error_log $ng/error.log warn;
events { worker_connections 16; }
http {
  access_log off;
  client_body_temp_path $ng/temp/body; proxy_temp_path $ng/temp/proxy; fastcgi_temp_path $ng/temp/fastcgi;
  uwsgi_temp_path $ng/temp/uwsgi; scgi_temp_path $ng/temp/scgi;
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:$port ssl;
    ssl_protocols TLSv1.3;
    ssl_certificate $ng/server.pem;
    ssl_certificate_key $ng/server.key;
    root $ng/www;
  }
}
EOF
  /usr/sbin/nginx -p "$ng" -c "$ng/nginx.conf" -e "$ng/error.log" &
  nginx_pid=$!
  for _ in $(seq 100); do curl -sf --cacert "$ng/ca.pem" -o /dev/null "https://127.0.0.1:$port/weights.bin" && break; sleep 0.05; done
  sha=$(sha256sum "$ng/www/weights.bin" | cut -c1-64)
  cat >"$work/tls-model.json" <<EOF
{"schemaVersion": 1, "name": "tls-test", "version": "1.0.0",
 "tasks": [{"task": "vad"}],
 "engine": {"id": "onnxruntime", "version": ">=1.17"},
 "license": {"spdx": "MIT", "url": "https://127.0.0.1/LICENSE", "attribution": "test data"},
 "files": [{"path": "weights.bin", "size": 300000, "sha256": "$sha", "sources": ["https://127.0.0.1:$port/weights.bin"]}],
 "totalSize": 300000}
EOF
  soko --home "$work/tls-refused" install "$work/tls-model.json" --yes >"$work/tls1.out" 2>&1; code=$?
  if [ $code != 0 ] && grep -qiE "certif|PKIX|trust" "$work/tls1.out"; then
    pass "HTTPS from a server the runtime does not trust is refused (exit $code)"
  else
    fail "HTTPS with an untrusted certificate: exit $code: $(tail -n 2 "$work/tls1.out")"
  fi
  "$root/runtime/bin/keytool" -importcert -noprompt -alias soko-test-ca -file "$ng/ca.pem" -keystore "$work/trust.p12" \
    -storetype PKCS12 -storepass changeit >/dev/null 2>&1
  # JDK_JAVA_OPTIONS is read by the runtime's own java launcher: the documented way to add JVM options.
  if "${isolate[@]}" "${clean_env[@]}" JDK_JAVA_OPTIONS="-Djavax.net.ssl.trustStore=$work/trust.p12 -Djavax.net.ssl.trustStorePassword=changeit" \
      "$root/bin/soko" --home "$H" install "$work/tls-model.json" --yes >"$work/tls2.out" 2>&1 \
      && soko --home "$H" verify --full tls-test >/dev/null 2>&1; then
    pass "install over HTTPS (TLS 1.3, EC P-256 certificate) with the CA trusted, then verify --full"
  else
    fail "install over HTTPS: $(tail -n 3 "$work/tls2.out")"
  fi
  kill "$nginx_pid" 2>/dev/null; wait "$nginx_pid" 2>/dev/null; nginx_pid=""
else
  echo "dist: skip HTTPS test: needs /usr/sbin/nginx and openssl (bin/install-test-deps.sh installs them)"
fi

# ------------------------------------------------------------------ whisper.cpp in a child JVM
# whisper-jni's libraries come from its stripped jar, in a child process of the bundled runtime. The
# model is the testkit's ggml file with no tensors (made with the build's JDK: test data only); it
# loads and runs, and recognises nothing.
testkit=$(ls "$here"/soko-testkit/target/soko-testkit-*.jar 2>/dev/null | grep -v -- '-sources\|-javadoc' | head -n 1 || true)
jdk_java=""
if [ -n "$testkit" ]; then
  . "$here/bin/find-jdk.sh"
  soko_find_jdk >/dev/null 2>&1 && jdk_java=$JAVA_HOME/bin/java
fi
if [ -n "$jdk_java" ] && command -v espeak-ng >/dev/null; then
  mkdir -p "$work/ggml"
  printf 'class Gen { public static void main(String[] a) throws Exception {\n  soko.testkit.ggml.WhisperTestModel.tinyMultilingual().writeTo(java.nio.file.Path.of(a[0])); } }\n' >"$work/ggml/Gen.java"
  "$jdk_java" -cp "$testkit" "$work/ggml/Gen.java" "$work/ggml/ggml-test.bin"
  espeak-ng -v ja -w "$work/ggml/clip.wav" "おはようございます" 2>/dev/null
  gsize=$(stat -c %s "$work/ggml/ggml-test.bin")
  gsha=$(sha256sum "$work/ggml/ggml-test.bin" | cut -c1-64)
  cat >"$work/ggml/whisper-test.json" <<EOF
{"schemaVersion": 1, "name": "whisper-test", "version": "1.0.0",
 "tasks": [{"task": "asr", "languages": ["ja"]}],
 "engine": {"id": "whisper.cpp", "version": ">=1.7 <2"},
 "license": {"spdx": "MIT", "url": "https://127.0.0.1/LICENSE", "attribution": "test data"},
 "files": [{"path": "ggml-test.bin", "size": $gsize, "sha256": "$gsha", "sources": ["file:$work/ggml/ggml-test.bin"]}],
 "totalSize": $gsize}
EOF
  soko --home "$H" install "$work/ggml/whisper-test.json" >/dev/null 2>&1
  soko --home "$H" transcribe "$work/ggml/clip.wav" --lang ja >"$work/whisper.out" 2>&1; code=$?
  if [ $code = 0 ] && grep -q "whisper-test@1.0.0 (whisper.cpp" "$work/whisper.out"; then
    pass "transcribe runs whisper.cpp in a child JVM of the bundled runtime"
  else
    fail "transcribe with whisper.cpp: exit $code: $(tail -n 3 "$work/whisper.out")"
  fi
else
  echo "dist: skip the whisper.cpp test: needs soko-testkit's jar (./mvnw package), a JDK 25 to write its test model, and espeak-ng"
fi

# ------------------------------------------------------------------ nothing written outside --home
left=$(find "$work/home" "$work/tmp" -mindepth 1 2>/dev/null)
[ -z "$left" ] && pass "HOME and TMPDIR are untouched" || fail "written outside --home: $left"
if [ $private_tmp = 1 ]; then
  left=$(find "$work/private-tmp" -mindepth 1 2>/dev/null)
  [ -z "$left" ] && pass "/tmp is untouched (each run saw a private /tmp)" || fail "written to /tmp: $left"
else
  new_tmp=$(comm -13 <(echo "$tmp_before") <(find /tmp -maxdepth 1 -mindepth 1 -printf '%f\n' | sort) \
    | grep -E '^(onnxruntime|hsperfdata|soko|whisper|lib.*\.so|jna|jffi|mat-debug|\.ses)' || true)
  [ -z "$new_tmp" ] && pass "/tmp gains nothing of Soko's, the JVM's or ONNX Runtime's" \
    || fail "new in /tmp since the test started (on a shared machine another process may have made it): $new_tmp"
fi
[ -d "$H/data/blobs" ] && [ -d "$H/cache" ] && pass "the store is under --home" || fail "no store under --home"
unpacked=$(find "$H" -name 'libonnxruntime*')
[ -z "$unpacked" ] && pass "no copy of ONNX Runtime's libraries under --home" || fail "ONNX Runtime was unpacked: $unpacked"

# ------------------------------------------------------------------ the Debian package
if [ $test_deb = 1 ]; then
  debs=("$out"/soko_*.deb)
  if [ ! -f "${debs[0]}" ]; then
    fail "no .deb in $out: run bin/build-dist.sh --deb"
  elif [ "$(id -u)" != 0 ]; then
    echo "dist: skip the .deb test: installing a package needs root"
  elif dpkg -s soko >/dev/null 2>&1; then
    fail "a soko package is already installed on this machine: not touching it (remove it, then run again)"
  else
    cp "${debs[0]}" "$work/"
    find "$work/home" "$work/tmp" "$work/private-tmp" -mindepth 1 -delete # reported above; start clean
    deb=$work/$(basename "${debs[0]}")
    if DEBIAN_FRONTEND=noninteractive apt-get -y -q -o DPkg::Lock::Timeout=120 install "$deb" >"$work/apt.out" 2>&1; then
      deb_installed=1
      pass "apt-get install ./$(basename "$deb")"
      [ "$(readlink /usr/bin/soko)" = /opt/soko/bin/soko ] && pass "/usr/bin/soko links to /opt/soko/bin/soko" || fail "/usr/bin/soko: $(ls -l /usr/bin/soko)"
      check "soko --version through /usr/bin/soko, with JAVA_HOME and PATH trapped" "${isolate[@]}" "${clean_env[@]}" /usr/bin/soko --version
      check "soko demo through /usr/bin/soko" "${isolate[@]}" "${clean_env[@]}" soko --home "$work/deb-home" demo
      check "soko verify --full of the demo's models" "${isolate[@]}" "${clean_env[@]}" soko --home "$work/deb-home" verify --full
      left=$(find "$work/home" "$work/tmp" "$work/private-tmp" -mindepth 1 2>/dev/null)
      [ -z "$left" ] && pass "the installed soko leaves HOME, TMPDIR and /tmp untouched" || fail "the installed soko wrote: $left"
      files=$(dpkg -L soko)
      for f in /usr/share/doc/soko/copyright /opt/soko/THIRD-PARTY-NOTICES.txt /opt/soko/app/soko-cli.aot; do
        grep -qx "$f" <<<"$files" && pass "the package has $f" || fail "the package lacks $f"
      done
      if [ -d "/opt/soko/share/bash-completion" ]; then
        grep -qx /usr/share/bash-completion/completions/soko <<<"$files" && pass "bash completion installed" || fail "no bash completion in /usr/share"
      fi
      if [ -d "/opt/soko/share/zsh" ]; then
        grep -qx /usr/share/zsh/vendor-completions/_soko <<<"$files" && pass "zsh completion installed" || fail "no zsh completion in /usr/share"
      fi
      if [ -d "/opt/soko/share/man/man1" ]; then
        grep -q "^/usr/share/man/man1/soko.*\.1\.gz$" <<<"$files" && pass "man pages installed" || fail "no man pages in /usr/share/man/man1"
      fi
      if DEBIAN_FRONTEND=noninteractive apt-get -y -q -o DPkg::Lock::Timeout=120 remove soko >"$work/apt.out" 2>&1; then
        deb_installed=0
        [ ! -e /opt/soko ] && [ ! -e /usr/bin/soko ] && pass "apt-get remove soko leaves no /opt/soko, no /usr/bin/soko" \
          || fail "left after removal: $(ls -d /opt/soko /usr/bin/soko 2>/dev/null)"
      else
        fail "apt-get remove soko: $(tail -n 3 "$work/apt.out")"
      fi
    else
      fail "apt-get install: $(tail -n 5 "$work/apt.out")"
    fi
  fi
fi

echo "dist: $passed passed, $failed failed"
[ $failed = 0 ]
