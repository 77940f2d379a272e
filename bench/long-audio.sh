#!/usr/bin/env bash
# Long audio (BENCHMARKS.md, "Runtime"): peak RSS of `soko vad` and `soko transcribe` on a long
# WAV file, at the JVM's default heap and under -Xmx1g (the default heap on a 4 GB machine), with
# /usr/bin/time -v ("Maximum resident set size": for transcribe, the larger of soko and its
# whisper.cpp child, not their sum).
#
#   bash bench/long-audio.sh              2 hours of audio (the length the README promises)
#   bash bench/long-audio.sh --minutes 10 a shorter run
#
# The audio is made at run time: an espeak-ng Japanese sentence and 4 s of silence, repeated with
# sox to the length asked, 16 kHz mono 16-bit (2 h: 230 MB), and the same at 44.1 kHz stereo (2 h:
# 1.27 GB, which exercises the resampler). transcribe runs on a third file of the same length with
# the sentence once every 2 minutes (so that the recogniser's windows, not their number, are what
# is measured) and soko-testkit's whisper.cpp test model (no tensors: whisper.cpp runs its pipeline
# on every speech window and recognises nothing), so its figure is Soko's own memory plus
# whisper.cpp's pipeline, not a real model's weights.
# Writes only under bench/out/long-audio (git-ignored; kept between runs). Asserts nothing.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/bin/find-jdk.sh"
soko_find_jdk
cd "$here"
minutes=120
while [ $# -gt 0 ]; do
  case $1 in
    --minutes) minutes=$2; shift ;;
    *) echo "usage: bash bench/long-audio.sh [--minutes N]" >&2; exit 2 ;;
  esac
  shift
done
for tool in espeak-ng sox soxi /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (bin/install-test-deps.sh installs it)" >&2; exit 1; }
done
log() { echo "bench: $*" >&2; }
out=bench/out/long-audio
mkdir -p "$out"
out=$(cd "$out" && pwd)

log "building the CLI and the testkit"
./mvnw -q -DskipTests -pl soko-cli,soko-testkit -am package >&2
touch soko-cli/target/.built
./soko --version >/dev/null

# ------------------------------------------------------------------ audio, made once per length
mono=$out/speech-${minutes}min-16k-mono.wav
stereo=$out/speech-${minutes}min-44k-stereo.wav
sparse=$out/sparse-${minutes}min-16k-mono.wav
repeat_to() { # unit.wav out.wav: the unit over and over, cut to the length asked
  local unit repeats
  unit=$(soxi -D "$1")
  repeats=$(awk -v m="$minutes" -v u="$unit" 'BEGIN { r = int(m * 60 / u); if (r * u < m * 60) r++; print r }')
  sox "$1" "$2.tmp.wav" repeat $((repeats - 1)) trim 0 $((minutes * 60))
  mv "$2.tmp.wav" "$2"
}
if [ ! -f "$mono" ] || [ ! -f "$stereo" ] || [ ! -f "$sparse" ]; then
  log "making $minutes minutes of audio"
  espeak-ng -v ja -s 140 -w "$out/clip.wav" "こんにちは、きょうはいいてんきですね。あしたもはれるでしょう。"
  sox "$out/clip.wav" -r 16000 -c 1 -b 16 "$out/clip16.wav"
  sox -n -r 16000 -c 1 -b 16 "$out/pause.wav" trim 0 4
  sox "$out/clip16.wav" "$out/pause.wav" "$out/unit.wav"
  repeat_to "$out/unit.wav" "$mono"
  sox "$mono" -r 44100 -c 2 -b 16 "$stereo.tmp.wav"
  mv "$stereo.tmp.wav" "$stereo"
  sox -n -r 16000 -c 1 -b 16 "$out/long-pause.wav" trim 0 "$(awk -v c="$(soxi -D "$out/clip16.wav")" 'BEGIN { print 120 - c }')"
  sox "$out/clip16.wav" "$out/long-pause.wav" "$out/sparse-unit.wav"
  repeat_to "$out/sparse-unit.wav" "$sparse"
fi

# ------------------------------------------------------------------ models
home=$out/home
if [ ! -f "$home/.done" ]; then
  rm -rf "$home"
  ./soko --home "$home" install silero-vad >/dev/null
  "$JAVA_HOME/bin/java" -cp soko-testkit/target/soko-testkit-0.1.0-SNAPSHOT.jar bench/WhisperTestFile.java \
    "$out/whisper-test/ggml-test.bin"
  ./soko --home "$home" manifest create "$out/whisper-test" --name whisper-test --version 1.0.0 --license MIT \
    --license-url https://opensource.org/license/mit --task asr:ja,ko --engine 'whisper.cpp:>=1.7 <2' >"$out/whisper-test.json"
  ./soko --home "$home" install "$out/whisper-test.json" >/dev/null
  touch "$home/.done"
fi

# ------------------------------------------------------------------ runs
measure() { # label heap command...
  local label=$1 heap=$2
  shift 2
  local opts=""
  [ "$heap" != default ] && opts="-Xmx$heap"
  if JDK_JAVA_OPTIONS="$opts" /usr/bin/time -v -o "$out/time.txt" "$@" >"$out/run.out" 2>"$out/run.err"; then
    code=0
  else
    code=$?
  fi
  local rss wall segments
  rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$out/time.txt")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { print $2 }' "$out/time.txt")
  segments=$(grep -o '"start"' "$out/run.out" | wc -l || true)
  oom=$(grep -c OutOfMemoryError "$out/run.err" || true)
  echo "| $label | $heap | $rss MiB | $wall | exit $code, $segments segment/speech entries, OutOfMemoryError lines: $oom |"
}
echo "Measured $(date -u +%Y-%m-%dT%H:%MZ) on $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores,"\
  "$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1);"\
  "$(git rev-parse --short HEAD); load average before: $(cut -d' ' -f1-3 /proc/loadavg)."
echo "Audio: $minutes min each: $(du -m "$mono" | cut -f1) MB (16 kHz mono), $(du -m "$stereo" | cut -f1) MB (44.1 kHz"\
  "stereo), $(du -m "$sparse" | cut -f1) MB (16 kHz mono, the sentence once every 2 min, for transcribe)."
echo
echo "| command | heap | peak RSS | wall | result |"
echo "| --- | --- | --- | --- | --- |"
for heap in default 1g; do
  measure "\`./soko --json vad\` 16 kHz mono" $heap ./soko --home "$home" --json vad "$mono"
  measure "\`./soko --json vad\` 44.1 kHz stereo" $heap ./soko --home "$home" --json vad "$stereo"
  measure "\`./soko --json transcribe --lang ja\` 16 kHz mono, sparse" $heap ./soko --home "$home" --json transcribe --lang ja "$sparse"
done
