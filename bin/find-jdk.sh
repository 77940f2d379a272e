# Sourced by ./soko and ./run-tests: sets JAVA_HOME to a JDK 25 or newer.
# Order: $JAVA_HOME if it is 25+, then the newest JDK 25+ under /usr/lib/jvm.
soko_java_major() {
  # The JDK's release file answers without starting a JVM (about 100 ms saved on every ./soko run),
  # read with bash builtins only: no process started, since ./soko --version is measured against a
  # JVM hello-world (BENCHMARKS.md, row 6a).
  if [ -r "$1/release" ]; then
    local line v
    while IFS= read -r line || [ -n "$line" ]; do
      case $line in
        JAVA_VERSION=\"[0-9]*)
          v=${line#JAVA_VERSION=\"}
          v=${v%%[!0-9]*}
          echo "$v"
          return 0
          ;;
      esac
    done <"$1/release"
  fi
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p' | head -n 1
}
soko_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    v=$(soko_java_major "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge 25 ]; then return 0; fi
  fi
  best=""; bestv=0
  for d in /usr/lib/jvm/*; do
    [ -x "$d/bin/javac" ] || continue
    v=$(soko_java_major "$d")
    if [ -n "$v" ] && [ "$v" -ge 25 ] && [ "$v" -gt "$bestv" ]; then best=$d; bestv=$v; fi
  done
  if [ -z "$best" ]; then
    echo "soko: no JDK 25 or newer found (JAVA_HOME=${JAVA_HOME:-unset}, /usr/lib/jvm); install one, e.g. Temurin 25, and set JAVA_HOME" >&2
    return 1
  fi
  JAVA_HOME=$best
  export JAVA_HOME
}
