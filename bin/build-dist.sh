#!/usr/bin/env bash
# Builds the self-contained distribution of the soko CLI for this machine's platform:
#   dist/target/soko-VERSION-linux-x64.tar.gz   unpack anywhere, run bin/soko; no JDK needed
#   dist/target/soko_VERSION_amd64.deb          with --deb: /opt/soko, /usr/bin/soko, completions, man pages
#
#   bin/build-dist.sh [--no-build] [--keep-all-natives] [--deb]
#     --no-build          use soko-cli/target as the last `./mvnw package` or `verify` left it (CI, right after the tests)
#     --keep-all-natives  keep the native libraries of every platform in the third-party jars (to measure what stripping saves)
#     --deb               also build the Debian package
#
# The archive holds: runtime/ (a jlink image of the JDK modules Soko uses), app/ (soko-cli.jar, the
# jars it needs, ONNX Runtime's native libraries for this platform and the AOT cache built with that
# runtime), bin/soko (the launcher), share/ (shell completions and man pages, when the build made
# them), THIRD-PARTY-NOTICES.txt and licenses/ (generated from the dependency tree).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/bin/find-jdk.sh"
soko_find_jdk
build=1
strip=1
deb=0
for a in "$@"; do
  case $a in
    --no-build) build=0 ;;
    --keep-all-natives) strip=0 ;;
    --deb) deb=1 ;;
    *) echo "usage: bin/build-dist.sh [--no-build] [--keep-all-natives] [--deb]" >&2; exit 2 ;;
  esac
done
log() { echo "build-dist: [${SECONDS}s] $*" >&2; }
die() { echo "build-dist: $*" >&2; exit 1; }
cd "$here"
cli=soko-cli/target

# ------------------------------------------------------------------ the JDK modules Soko needs
# From `jdeps --print-module-deps` over soko-cli.jar and every jar in app/lib, less what only
# optional code paths of Jackson databind reach (java.desktop for java.beans, java.sql, java.xml:
# loaded by name and skipped when absent; every command of the distribution test runs without them):
#   java.base        everything
#   java.net.http    downloads, catalogs, OCI registries (HTTPS: the TLS provider and the EC, RSA and
#                    Ed25519 algorithms are in java.base since JDK 22; jdk.crypto.ec is an empty module
#                    in JDK 25, and java.naming/jdk.crypto.cryptoki are not needed: see dist/test-dist.sh)
#   jdk.httpserver   soko serve (the Diagnostics page)
#   jdk.management   com.sun.management.OperatingSystemMXBean (memory size for diagnostics); brings java.management
#   java.logging     ONNX Runtime's Java binding logs through java.util.logging
#   jdk.unsupported  sun.misc.Signal: Ctrl-C during a download keeps the partial file and exits 130
modules=java.base,java.net.http,jdk.httpserver,jdk.management,java.logging,jdk.unsupported
# What jdeps names that the runtime leaves out on purpose (see above).
not_needed=java.desktop,java.sql

# ------------------------------------------------------------------ build
if [ $build = 1 ]; then
  log "building soko-cli and its runtime dependencies"
  ./mvnw -q -DskipTests -Dmaven.javadoc.skip -Dmaven.source.skip -pl soko-cli -am package
fi
[ -f "$cli/soko-cli.jar" ] && [ -d "$cli/lib" ] || die "no $cli/soko-cli.jar: run ./mvnw package (or drop --no-build)"
[ -f "$cli/runtime-dependencies.txt" ] || die "no $cli/runtime-dependencies.txt (written by soko-cli's package phase): rebuild with ./mvnw package"
version=$(sed -n 's/^version=//p' "$cli/maven-archiver/pom.properties")
[ -n "$version" ] || die "cannot read the version from $cli/maven-archiver/pom.properties"

# jdeps over the jars as built: a module they use that is neither linked nor excluded on purpose
# stops the build here, rather than a NoClassDefFoundError on a user's machine.
log "checking the JDK modules the jars use (jdeps)"
# The jars are modules (soko.engine.whisper requires the automatic module whisper.jni): jdeps
# resolves them on the module path.
used=$("$JAVA_HOME/bin/jdeps" --multi-release 25 --ignore-missing-deps --print-module-deps -q \
  --module-path "$cli/lib" "$cli/soko-cli.jar" "$cli"/lib/*.jar)
for m in ${used//,/ }; do
  case ",$modules,$not_needed," in
    *",$m,"*) ;;
    *) die "the jars use the JDK module $m (jdeps: $used), which the runtime would lack: add it to modules= in bin/build-dist.sh with the reason" ;;
  esac
done

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) platform=linux-x64; ort_native=linux-x64; whisper_native=debian-amd64; deb_arch=amd64 ;;
  Linux-aarch64) platform=linux-aarch64; ort_native=linux-aarch64; whisper_native=debian-arm64; deb_arch=arm64 ;;
  *) die "packaging for $(uname -s) $(uname -m) is not supported yet (linux x86_64 and aarch64 are)" ;;
esac
name=soko-$version-$platform
out=$here/dist/target
stage=$out/$name
rm -rf "$stage" "$out/$name.tar.gz"
mkdir -p "$stage/bin" "$stage/app/lib" "$stage/app/native"

# ------------------------------------------------------------------ runtime
log "linking the Java runtime ($modules)"
# --generate-cds-archive: the runtime's own class-data archive, used where the AOT cache is not
# (soko --version, whisper.cpp's child JVM).
# The vendor lines of the JDK's release file, which jlink does not copy (THIRD-PARTY-NOTICES names them).
info=""
for key in IMPLEMENTOR IMPLEMENTOR_VERSION JAVA_RUNTIME_VERSION; do
  value=$(sed -n "s/^$key=//p" "$JAVA_HOME/release")
  [ -n "$value" ] && info+=":$key=$value"
done
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --generate-cds-archive ${info:+--release-info "add${info}"} --output "$stage/runtime" >&2
java=$stage/runtime/bin/java
# The archive for heaps without compressed pointers (over 32 GiB): bin/soko caps the heap below that
# (-XX:MaxRAM=64g), so it is never used; 14 MiB unpacked, 3.7 MiB of the archive.
rm -f "$stage/runtime/lib/server/classes_nocoops.jsa"

# ------------------------------------------------------------------ application and native libraries
cp "$cli/soko-cli.jar" "$stage/app/"
cp "$cli"/lib/*.jar "$stage/app/lib/"
ort_jar=$(echo "$stage"/app/lib/onnxruntime-[0-9]*.jar)
whisper_jar=$(echo "$stage"/app/lib/whisper-jni-[0-9]*.jar)
[ -f "$ort_jar" ] && [ -f "$whisper_jar" ] || die "the ONNX Runtime or whisper-jni jar is missing from $cli/lib"
if [ $strip = 1 ]; then
  # ONNX Runtime: this platform's libraries go to app/native, where the launcher points ONNX Runtime
  # (onnxruntime.native.path), instead of being unpacked from the jar into each user's cache; every
  # platform's libraries then leave the jar.
  (cd "$stage/app/native" && "$JAVA_HOME/bin/jar" xf "$ort_jar" "ai/onnxruntime/native/$ort_native/")
  mv "$stage/app/native/ai/onnxruntime/native/$ort_native"/* "$stage/app/native/"
  rm -rf "$stage/app/native/ai"
  [ -f "$stage/app/native/libonnxruntime.so" ] || die "$ort_jar has no ai/onnxruntime/native/$ort_native/libonnxruntime.so"
  "$JAVA_HOME/bin/java" "$here/dist/StripJar.java" "$ort_jar" "$ort_jar" ai/onnxruntime/native/ >&2
  # whisper-jni unpacks its own libraries at run time: its jar keeps this platform's folder only.
  drop=()
  for d in $(unzip -Z1 "$whisper_jar" | sed -n 's#^\([a-z0-9-]*-[a-z0-9]*\)/.*#\1#p' | sort -u); do
    [ "$d" = "$whisper_native" ] || drop+=("$d/")
  done
  "$JAVA_HOME/bin/java" "$here/dist/StripJar.java" "$whisper_jar" "$whisper_jar" "${drop[@]}" >&2
  # Not "unzip | grep -q": under pipefail, grep's early exit ends unzip with SIGPIPE, which fails the
  # check at random (it failed one CI run).
  kept=$(unzip -Z1 "$whisper_jar")
  grep -q "^$whisper_native/libwhisper" <<<"$kept" || die "whisper-jni lost its $whisper_native libraries"
else
  # The jars as published: ONNX Runtime unpacks this platform's libraries from its jar at run time
  # (into Soko's cache), as in a checkout.
  rmdir "$stage/app/native"
fi

# ------------------------------------------------------------------ launcher
cp dist/soko.sh "$stage/bin/soko"
chmod 755 "$stage/bin/soko"
cp bin/utf8-locale.sh "$stage/app/utf8-locale.sh"

# ------------------------------------------------------------------ completions and man pages
# Generated by soko-cli's build into target/completion/ (soko.bash or soko, and _soko for zsh) and
# target/man/ (*.1). Each is required once soko-cli's pom mentions its generation (or always with
# SOKO_DIST_REQUIRE_DOCS=1); until then its absence is a warning.
require_completion=0
require_man=0
if [ "${SOKO_DIST_REQUIRE_DOCS:-0}" = 1 ]; then
  require_completion=1; require_man=1
else
  grep -qi 'completion' soko-cli/pom.xml && require_completion=1
  grep -qiE 'target/man|ManPageGenerator|man-?page' soko-cli/pom.xml && require_man=1
fi
required=()
optional=()
missing() { if [ "$1" = 1 ]; then required+=("$2"); else optional+=("$2"); fi; }
bash_completion=""
for f in soko.bash soko soko_completion soko-completion.bash; do
  [ -f "$cli/completion/$f" ] && { bash_completion=$cli/completion/$f; break; }
done
if [ -n "$bash_completion" ]; then
  mkdir -p "$stage/share/bash-completion/completions"
  cp "$bash_completion" "$stage/share/bash-completion/completions/soko"
else
  missing $require_completion "bash completion ($cli/completion/soko.bash)"
fi
if [ -f "$cli/completion/_soko" ]; then
  mkdir -p "$stage/share/zsh/site-functions"
  cp "$cli/completion/_soko" "$stage/share/zsh/site-functions/_soko"
else
  missing $require_completion "zsh completion ($cli/completion/_soko)"
fi
if compgen -G "$cli/man/*.1" >/dev/null; then
  mkdir -p "$stage/share/man/man1"
  cp "$cli"/man/*.1 "$stage/share/man/man1/"
else
  missing $require_man "man pages ($cli/man/*.1)"
fi
if [ ${#required[@]} -gt 0 ]; then
  die "soko-cli's build should have generated: ${required[*]}; run ./mvnw -pl soko-cli -am package and check its output"
fi
if [ ${#optional[@]} -gt 0 ]; then
  log "WARNING: not in this distribution (soko-cli's build does not generate them yet): ${optional[*]}"
fi

# ------------------------------------------------------------------ licences and notices
if [ -f LICENSE ]; then
  cp LICENSE "$stage/LICENSE"
else
  log "WARNING: the project has no LICENSE file, so the distribution carries no licence for Soko itself"
fi
"$JAVA_HOME/bin/java" dist/ThirdPartyNotices.java "$cli/runtime-dependencies.txt" "$stage/app/lib" "$stage/runtime" \
  dist "$stage" "$version" >&2

# ------------------------------------------------------------------ AOT cache
# Built last, with the final jars: the JVM ignores a cache whose jars changed (size or time) since.
log "training the AOT cache with the distribution's runtime"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# The same options as bin/soko where they matter to the cache: no --enable-native-access here (the
# jar's manifest grants it), or the JVM refuses the cache at run time (a different module setting).
native=()
[ -d "$stage/app/native" ] && native=(-Donnxruntime.native.path="$stage/app/native")
if ! ORT_DISABLE_TELEMETRY=1 "$java" -XX:+UseSerialGC -XX:-UsePerfData -XX:MaxRAM=64g -XX:AOTCacheOutput="$stage/app/soko-cli.aot" -Djava.io.tmpdir="$scratch" \
    "${native[@]}" -cp "$stage/app/soko-cli.jar" soko.cli.AotTraining "$scratch/home" >"$scratch/out" 2>"$scratch/log"; then
  cat "$scratch/log" >&2
  die "the AOT training run failed"
fi
rm -f "$stage/app/soko-cli.aot.config"

# ------------------------------------------------------------------ check and pack
got=$("$stage/bin/soko" --version)
[ "$got" = "soko $version" ] || die "bin/soko --version printed '$got', not 'soko $version'"
log "packing $name.tar.gz"
# File times are kept as they are: the AOT cache records its jars' modification times.
tar -C "$out" --owner=0 --group=0 --numeric-owner -czf "$out/$name.tar.gz.tmp" "$name"
mv "$out/$name.tar.gz.tmp" "$out/$name.tar.gz"
log "done"
echo "$out/$name.tar.gz $(stat -c %s "$out/$name.tar.gz") bytes (unpacked $(du -sb "$stage" | cut -f1) bytes; runtime $(du -sb "$stage/runtime" | cut -f1), app $(du -sb "$stage/app" | cut -f1))"

# ------------------------------------------------------------------ Debian package
if [ $deb = 1 ]; then
  # By hand with dpkg-deb rather than jpackage: jpackage brings its own native launcher, which
  # cannot keep bin/soko's per-command flags, and its own layout; this package is the same tree
  # as the archive, under /opt/soko.
  command -v dpkg-deb >/dev/null || die "dpkg-deb is needed for --deb (Debian package dpkg)"
  deb_version=${version//-/\~} # 0.1.0-SNAPSHOT -> 0.1.0~SNAPSHOT: sorts before 0.1.0, as a snapshot should
  pkg=$out/deb/soko_${deb_version}_$deb_arch
  rm -rf "$out/deb"
  mkdir -p "$pkg/DEBIAN" "$pkg/opt" "$pkg/usr/bin" "$pkg/usr/share/doc/soko"
  cp -a "$stage" "$pkg/opt/soko"
  ln -s /opt/soko/bin/soko "$pkg/usr/bin/soko"
  if [ -f "$stage/share/bash-completion/completions/soko" ]; then
    mkdir -p "$pkg/usr/share/bash-completion/completions"
    cp "$stage/share/bash-completion/completions/soko" "$pkg/usr/share/bash-completion/completions/soko"
  fi
  if [ -f "$stage/share/zsh/site-functions/_soko" ]; then
    # Debian's zsh reads packaged completions from vendor-completions (site-functions is for /usr/local).
    mkdir -p "$pkg/usr/share/zsh/vendor-completions"
    cp "$stage/share/zsh/site-functions/_soko" "$pkg/usr/share/zsh/vendor-completions/_soko"
  fi
  if [ -d "$stage/share/man/man1" ]; then
    mkdir -p "$pkg/usr/share/man/man1"
    for m in "$stage"/share/man/man1/*.1; do gzip -9n <"$m" >"$pkg/usr/share/man/man1/${m##*/}.gz"; done
  fi
  {
    echo "Soko $version"
    echo
    if [ -f LICENSE ]; then cat LICENSE; echo; fi
    cat "$stage/THIRD-PARTY-NOTICES.txt"
  } >"$pkg/usr/share/doc/soko/copyright"
  # Maintainer: a name only until the project has a contact address.
  cat >"$pkg/DEBIAN/control" <<EOF
Package: soko
Version: $deb_version
Architecture: $deb_arch
Section: utils
Priority: optional
Maintainer: Soko developers
Installed-Size: $(du -sk --exclude=DEBIAN "$pkg" | cut -f1)
Depends: libc6, libstdc++6, libgcc-s1, libgomp1
Description: local model runtime and model manager (soko command)
 Installs, verifies and runs the speech and translation models of a
 local-first app that transcribes Japanese and Korean speech and translates
 it into English on the user's machine. Carries its own Java runtime in
 /opt/soko; needs no JDK.
EOF
  dpkg-deb --root-owner-group -Zgzip --build "$pkg" "$out/soko_${deb_version}_$deb_arch.deb" >&2
  rm -rf "$out/deb"
  echo "$out/soko_${deb_version}_$deb_arch.deb $(stat -c %s "$out/soko_${deb_version}_$deb_arch.deb") bytes"
fi
