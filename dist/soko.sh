#!/bin/bash
# The soko launcher of the self-contained distribution (bin/soko). It runs Soko on the Java runtime
# shipped beside it (../runtime) and never looks for another: JAVA_HOME and PATH are not read. It
# may be moved anywhere with its folder, or reached through a symbolic link (/usr/bin/soko).
# Flags as in the checkout's ./soko (see BENCHMARKS.md for the figures behind them).
set -euo pipefail
self=${BASH_SOURCE[0]}
[ -L "$self" ] && self=$(readlink -f "$self")
case $self in */*) bin=${self%/*} ;; *) bin=. ;; esac
root=$(cd "$bin/.." && pwd -P)
java=$root/runtime/bin/java
app=$root/app
if [ ! -x "$java" ] || [ ! -f "$app/soko-cli.jar" ] || [ ! -f "$app/utf8-locale.sh" ]; then
  echo "soko: this installation is incomplete ($root should hold runtime/bin/java, app/soko-cli.jar and app/utf8-locale.sh): unpack the archive again" >&2
  exit 1
fi
# UTF-8 arguments and file names under LANG=C and LC_ALL=POSIX (the checkout's bin/utf8-locale.sh).
. "$app/utf8-locale.sh"
soko_utf8_locale
# SerialGC starts faster. No hsperfdata file in /tmp (-XX:-UsePerfData): Soko writes nothing outside
# its own folders, and jps is not needed to find it (jcmd PID still works). The heap is sized as if
# the machine had at most 64 GiB (MaxRAM): from 128 GiB on, the default heap would be too large for
# compressed pointers, and the JVM would ignore both class-data archives, which are built with them.
flags=(-XX:+UseSerialGC -XX:-UsePerfData -XX:MaxRAM=64g)
# The AOT cache was built for this runtime and these jars at packaging time; the JVM checks that
# they match and ignores the cache silently if not. A lone --version is faster without it.
if [ -f "$app/soko-cli.aot" ] && [ "$*" != "--version" ] && [ "$*" != "-V" ]; then
  flags+=(-XX:AOTCache="$app/soko-cli.aot" -Xlog:aot=off -Xlog:cds=off)
fi
# list and diagnostics never hash: the C1 compiler alone compiles sooner and costs less CPU.
command=""
skip=0
for a in "$@"; do
  if [ $skip = 1 ]; then skip=0; continue; fi
  case $a in
    --home | --library) skip=1 ;;
    -*) ;;
    *) command=$a; break ;;
  esac
done
case $command in
  list | ls | diagnostics | diag) flags+=(-XX:TieredStopAtLevel=1) ;;
esac
# ONNX Runtime's official builds (1.29 on Linux) otherwise keep a device id and an event database
# under ~/.cache/Microsoft/DeveloperTools, write logs into TMPDIR and send usage events to Microsoft;
# Soko writes nothing outside its folders and makes no connection the user did not approve.
export ORT_DISABLE_TELEMETRY=1
# ONNX Runtime loads its native libraries from app/native (unpacked at packaging time) instead of
# unpacking a copy from its jar into the cache. (A build made with --keep-all-natives has none there.)
if [ -f "$app/native/libonnxruntime.so" ]; then
  flags+=(-Donnxruntime.native.path="$app/native")
fi
exec "$java" "${flags[@]}" -Djava.io.tmpdir="${SOKO_TMPDIR:-${TMPDIR:-/tmp}}" -jar "$app/soko-cli.jar" "$@"
