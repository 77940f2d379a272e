#!/bin/sh
# Regenerates the committed test audio in src/main/resources/soko/testkit/audio/.
# Needs espeak-ng and sox (Debian: apt-get install -y espeak-ng sox). Deterministic: the same
# espeak-ng and sox versions give the same bytes (sox runs with -D, no dither).
#
#   ja-16k-mono.wav        Japanese sentence (written in kana: espeak-ng reads kanji as "Chinese letter"),
#                          1 s of silence before and after; 16 kHz, mono, 16-bit PCM
#   ko-16k-mono.wav        Korean sentence in hangul, padded the same way; 16 kHz, mono, 16-bit PCM
#   silence-3s-16k.wav     3 s of digital silence; 16 kHz, mono, 16-bit PCM
#   ja-44k-stereo.wav      the Japanese clip at 44.1 kHz stereo, right channel at half amplitude
set -eu
cd "$(dirname "$0")/../src/main/resources/soko/testkit/audio"

JA="こんにちは、きょうはいいてんきですね"
KO="안녕하세요, 오늘은 날씨가 좋네요"

espeak-ng -v ja --stdout "$JA" | sox -D -t wav - -r 16000 -c 1 -b 16 -e signed-integer ja-16k-mono.wav pad 1 1
espeak-ng -v ko --stdout "$KO" | sox -D -t wav - -r 16000 -c 1 -b 16 -e signed-integer ko-16k-mono.wav pad 1 1
sox -D -n -r 16000 -c 1 -b 16 -e signed-integer silence-3s-16k.wav trim 0 3
espeak-ng -v ja --stdout "$JA" | sox -D -t wav - -r 44100 -b 16 -e signed-integer ja-44k-stereo.wav pad 1 1 remix 1 1v0.5

ls -l ./*.wav
