#!/usr/bin/env python3
"""Writes the hostile WAV corpus (soko/testkit/corpus/wavs/): small files and cases.tsv. Run once by
hand when cases are added; the committed files are what the tests read.

cases.tsv columns, tab-separated: file, exit code of `soko vad FILE`, and a fragment of what it
prints (stdout when it succeeds, the one-line error otherwise). A file named generated:NAME is made
at test time by soko.testkit.corpus.GeneratedWavs, because it is large, or is not a regular file.
"""
import math, os, struct, sys

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src', 'main', 'resources', 'soko', 'testkit',
                   'corpus', 'wavs')
GUID = bytes([0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71])

def chunk(cid, content, declared=None):
    size = len(content) if declared is None else declared
    return cid + struct.pack('<I', size) + content + (b'\0' if len(content) % 2 else b'')

def fmt(tag=1, channels=1, rate=16000, bits=16, align=None, byterate=None, extensible=False, valid=None, sub=None,
        guid=GUID, cb=22):
    align = channels * bits // 8 if align is None else align
    byterate = rate * align if byterate is None else byterate
    body = struct.pack('<HHIIHH', 0xFFFE if extensible else tag, channels, rate, byterate, align, bits)
    if extensible:
        body += struct.pack('<HHI', cb, bits if valid is None else valid, 4 if channels == 1 else 3)
        body += struct.pack('<H', tag if sub is None else sub) + guid
    return body

def tone(n, rate=16000, freq=440.0, amp=0.5):
    return [amp * math.sin(2 * math.pi * freq * i / rate) for i in range(n)]

def encode(samples_by_channel, kind):
    out = bytearray()
    for frame in zip(*samples_by_channel):
        for v in frame:
            if kind == 'u8': out += struct.pack('<B', int(round(v * 127)) + 128)
            elif kind == 's16': out += struct.pack('<h', int(round(v * 32767)))
            elif kind == 's24': out += struct.pack('<i', int(round(v * 8388607)))[:3]
            elif kind == 's32': out += struct.pack('<i', int(round(v * 2147483647)))
            elif kind == 'f32': out += struct.pack('<f', v)
            elif kind == 'f64': out += struct.pack('<d', v)
    return bytes(out)

BITS = {'u8': 8, 's16': 16, 's24': 24, 's32': 32, 'f32': 32, 'f64': 64}

def wav(chunks, riff=b'RIFF', wave=b'WAVE', riff_size=None):
    body = wave + b''.join(chunks)
    return riff + struct.pack('<I', len(body) if riff_size is None else riff_size) + body

def simple(kind='s16', channels=1, rate=16000, seconds=0.25, **fmt_over):
    n = int(rate * seconds)
    data = encode([tone(n, rate)] * channels, kind)
    tag = 3 if kind.startswith('f') else 1
    return wav([chunk(b'fmt ', fmt(tag=tag, channels=channels, rate=rate, bits=BITS[kind], **fmt_over)), chunk(b'data', data)])

cases = []
def case(slug, data, exit, fragment):
    cases.append((slug, data, exit, fragment))

OK = "s of audio"
# ---- valid: every encoding, rate and layout the reader accepts
case("pcm16-16khz-mono", simple(), 0, "0.25 s of audio")
case("pcm8-8khz-mono", simple('u8', rate=8000), 0, "0.25 s of audio")
case("pcm16-44khz-stereo", simple('s16', 2, 44100), 0, "0.25 s of audio")
case("float32-48khz-stereo", simple('f32', 2, 48000), 0, "0.25 s of audio")
case("pcm24-22khz-mono", simple('s24', 1, 22050), 0, "0.25 s of audio")
case("pcm32-32khz-mono", simple('s32', 1, 32000), 0, "0.25 s of audio")
case("float64-11khz-mono", simple('f64', 1, 11025), 0, "0.25 s of audio")
case("lowest-rate-8000", simple('s16', 1, 8000), 0, "0.25 s of audio")
case("highest-rate-48000", simple('s16', 1, 48000), 0, "0.25 s of audio")
case("odd-rate-47999", simple('s16', 1, 47999), 0, OK)
case("extensible-pcm16", wav([chunk(b'fmt ', fmt(1, 1, 16000, 16, extensible=True)), chunk(b'data', encode([tone(4000)], 's16'))]), 0, "0.25 s of audio")
case("extensible-24-valid-bits-in-32", wav([chunk(b'fmt ', fmt(1, 1, 16000, 32, extensible=True, valid=24)), chunk(b'data', encode([tone(4000)], 's32'))]), 0, "0.25 s of audio")
case("odd-sized-list-chunk-before-data", wav([chunk(b'fmt ', fmt()), chunk(b'LIST', b'INFO\x01'), chunk(b'data', encode([tone(4000)], 's16'))]), 0, OK)
case("broadcast-and-junk-chunks", wav([chunk(b'JUNK', b'\0' * 28), chunk(b'fmt ', fmt()), chunk(b'bext', b'\0' * 602), chunk(b'data', encode([tone(4000)], 's16'))]), 0, OK)
case("chunk-after-data", wav([chunk(b'fmt ', fmt()), chunk(b'data', encode([tone(4000)], 's16')), chunk(b'LIST', b'INFOtrailing')]), 0, OK)
case("riff-size-larger-than-the-file", wav([chunk(b'fmt ', fmt()), chunk(b'data', encode([tone(4000)], 's16'))], riff_size=0x7fffffff), 0, OK)
case("one-sample", wav([chunk(b'fmt ', fmt()), chunk(b'data', b'\x00\x10')]), 0, "0.00 s of audio")
case("digital-silence", wav([chunk(b'fmt ', fmt()), chunk(b'data', b'\0' * 16000)]), 0, "0 speech segments")
case("full-scale-square-wave", wav([chunk(b'fmt ', fmt()), chunk(b'data', (struct.pack('<h', 32767) * 20 + struct.pack('<h', -32768) * 20) * 100)]), 0, OK)

# ---- not WAV
case("empty-file", b'', 1, "not a WAV file (it does not start with RIFF....WAVE)")
case("riff-only", b'RIFF', 1, "not a WAV file")
case("big-endian-rifx", simple().replace(b'RIFF', b'RIFX', 1), 1, "not a WAV file")
case("rf64", simple().replace(b'RIFF', b'RF64', 1), 1, "RF64 (WAV larger than 4 GiB) is not supported")
case("bw64", simple().replace(b'RIFF', b'BW64', 1), 1, "BW64 (WAV larger than 4 GiB) is not supported")
case("mp3-with-id3-tag", b'ID3\x04\x00\x00\x00\x00\x00\x00' + b'\xff\xfb\x90\x00' * 100, 1, "not a WAV file")
case("ogg-vorbis", b'OggS\x00\x02' + b'\0' * 200, 1, "not a WAV file")
case("riff-avi", wav([chunk(b'LIST', b'hdrl')], wave=b'AVI '), 1, "not a WAV file")
case("html-error-page", b'<!doctype html><title>404 Not Found</title>', 1, "not a WAV file")

# ---- broken structure
case("no-fmt-chunk", wav([chunk(b'LIST', b'INFO')]), 1, "no fmt chunk; the file is damaged")
case("no-data-chunk", wav([chunk(b'fmt ', fmt())]), 1, "no data chunk; the file has no audio")
case("data-before-fmt", wav([chunk(b'data', b'\0' * 100), chunk(b'fmt ', fmt())]), 1, "the data chunk comes before the fmt chunk")
case("two-fmt-chunks", wav([chunk(b'fmt ', fmt()), chunk(b'fmt ', fmt()), chunk(b'data', b'\0' * 100)]), 1, "two fmt chunks")
case("fmt-chunk-of-8-bytes", wav([chunk(b'fmt ', fmt()[:8]), chunk(b'data', b'\0' * 100)]), 1, "the fmt chunk is 8 bytes, but a WAV fmt chunk is 16 to 40 bytes")
case("fmt-chunk-declaring-4-gib", wav([chunk(b'fmt ', fmt(), declared=0xffffffff), chunk(b'data', b'\0' * 100)]), 1, "the fmt chunk is 4294967295 bytes")
case("ends-inside-the-fmt-chunk", wav([chunk(b'fmt ', fmt())])[:30], 1, "the fmt chunk declares 16 bytes, but only 10 remain in the file")
case("empty-data-chunk", wav([chunk(b'fmt ', fmt()), chunk(b'data', b'')]), 1, "the data chunk is empty; the file has no audio")
case("partial-frame", wav([chunk(b'fmt ', fmt()), chunk(b'data', b'\0' * 101)]), 1, "the data chunk is 101 bytes, not a whole number of 2-byte frames")
case("data-chunk-larger-than-the-file", wav([chunk(b'fmt ', fmt()), chunk(b'data', b'\0' * 100, declared=1_000_000)]), 1, "the data chunk declares 1000000 bytes, but only 100 remain in the file")
case("list-chunk-declaring-4-gib", wav([chunk(b'fmt ', fmt()), chunk(b'LIST', b'INFO', declared=0xfffffff0), chunk(b'data', b'\0' * 100)]), 1, "the \"LIST\" chunk declares 4294967280 bytes")
case("chunk-id-with-escape-sequence", wav([chunk(b'fmt ', fmt()), chunk(b'\x1b[2J', b'x', declared=0x7fffffff), chunk(b'data', b'\0' * 100)]), 1, "the \"?\" chunk declares 2147483647 bytes")

# ---- formats the reader refuses by name
case("rate-96000", simple('s16', 1, 96000, 0.1), 1, "96000 Hz is not supported; use a WAV file from 8 to 48 kHz")
case("rate-4000", simple('s16', 1, 4000, 0.5), 1, "4000 Hz is not supported")
case("rate-0", wav([chunk(b'fmt ', fmt(rate=0, byterate=0)), chunk(b'data', b'\0' * 100)]), 1, "0 Hz is not supported")
case("six-channels", wav([chunk(b'fmt ', fmt(channels=6)), chunk(b'data', b'\0' * 120)]), 1, "6 channels are not supported; use mono or stereo")
case("zero-channels", wav([chunk(b'fmt ', fmt(channels=0, align=0, byterate=0)), chunk(b'data', b'\0' * 120)]), 1, "the header says 0 channels")
case("pcm-12-bit", wav([chunk(b'fmt ', fmt(bits=12, align=2, byterate=32000)), chunk(b'data', b'\0' * 100)]), 1, "12-bit PCM is not supported")
case("float-16-bit", wav([chunk(b'fmt ', fmt(tag=3, bits=16)), chunk(b'data', b'\0' * 100)]), 1, "16-bit float is not supported")
case("microsoft-adpcm", wav([chunk(b'fmt ', fmt(tag=2, bits=4, align=256, byterate=4096)), chunk(b'data', b'\0' * 256)]), 1, "Microsoft ADPCM audio is not supported")
case("a-law", wav([chunk(b'fmt ', fmt(tag=6, bits=8)), chunk(b'data', b'\0' * 100)]), 1, "A-law audio is not supported")
case("mu-law", wav([chunk(b'fmt ', fmt(tag=7, bits=8)), chunk(b'data', b'\0' * 100)]), 1, "µ-law audio is not supported")
case("mp3-in-wav", wav([chunk(b'fmt ', fmt(tag=0x55, bits=0, align=1, byterate=16000)), chunk(b'data', b'\0' * 100)]), 1, "MP3 audio is not supported")
case("unknown-format-tag", wav([chunk(b'fmt ', fmt(tag=0x1234)), chunk(b'data', b'\0' * 100)]), 1, "Format 0x1234 audio is not supported")
case("extensible-with-a-foreign-guid", wav([chunk(b'fmt ', fmt(extensible=True, guid=b'\x11' * 14)), chunk(b'data', b'\0' * 100)]), 1, "sub-format is not a standard audio format")
case("extensible-fmt-of-18-bytes", wav([chunk(b'fmt ', fmt(tag=0xFFFE)[:16] + b'\0\0'), chunk(b'data', b'\0' * 100)]), 1, "the WAVE_FORMAT_EXTENSIBLE fmt chunk is 18 bytes, but it needs 40")
case("zero-valid-bits", wav([chunk(b'fmt ', fmt(extensible=True, valid=0)), chunk(b'data', b'\0' * 100)]), 1, "the header says 0 valid bits in 16-bit samples")
case("more-valid-bits-than-bits", wav([chunk(b'fmt ', fmt(extensible=True, valid=20)), chunk(b'data', b'\0' * 100)]), 1, "the header says 20 valid bits in 16-bit samples")
case("wrong-block-align", wav([chunk(b'fmt ', fmt(align=3)), chunk(b'data', b'\0' * 102)]), 1, "the header says 3 bytes per frame")
case("wrong-byte-rate", wav([chunk(b'fmt ', fmt(byterate=12345)), chunk(b'data', b'\0' * 100)]), 1, "the header says 12345 bytes per second")
case("nan-sample", wav([chunk(b'fmt ', fmt(tag=3, bits=32)), chunk(b'data', struct.pack('<f', 0.1) * 10 + struct.pack('<I', 0x7fc00000) + b'\0' * 20)]), 1, "sample 10 is NaN, not a finite number")
case("infinite-sample", wav([chunk(b'fmt ', fmt(tag=3, bits=64)), chunk(b'data', struct.pack('<d', float('inf')) + b'\0' * 8)]), 1, "sample 0 is Infinity, not a finite number")

# ---- made at test time (see GeneratedWavs)
gen = [("generated:longer-than-two-hours.wav", 1, "2 h 1 min of audio is longer than the 2 h limit"),
       ("generated:larger-than-two-gibibytes.wav", 1, "WAV input is limited to 2 GiB"),
       ("generated:a-fifo.wav", 1, "is not a regular file (it is a device, a FIFO or a socket)"),
       ("generated:a-folder.wav", 1, "is a folder; give a .wav file"),
       ("generated:missing.wav", 1, "does not exist; give a .wav file"),
       ("generated:link-to-dev-zero.wav", 1, "is not a regular file (it is a device, a FIFO or a socket)"),
       ("generated:link-to-a-valid-file.wav", 0, "0.25 s of audio")]

os.makedirs(OUT, exist_ok=True)
for name in os.listdir(OUT):
    os.remove(os.path.join(OUT, name))
lines = ["# file\texit\tfragment (see soko-testkit/corpus/make-wavs.py)"]
seen = set()
for i, (slug, data, exit, fragment) in enumerate(cases, 1):
    assert slug not in seen, slug
    seen.add(slug)
    name = "%03d-%s.wav" % (i, slug)
    with open(os.path.join(OUT, name), "wb") as fh:
        fh.write(data)
    lines.append("\t".join([name, str(exit), fragment]))
for name, exit, fragment in gen:
    lines.append("\t".join([name, str(exit), fragment]))
with open(os.path.join(OUT, "cases.tsv"), "w", encoding="utf-8") as fh:
    fh.write("\n".join(lines) + "\n")
print(len(cases) + len(gen), "WAV cases,", len(cases), "files,", sum(len(c[1]) for c in cases), "bytes", file=sys.stderr)
