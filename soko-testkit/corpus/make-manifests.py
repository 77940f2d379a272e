#!/usr/bin/env python3
"""Writes the hostile manifest corpus (soko/testkit/corpus/manifests/): one file per case and
cases.tsv. Run once by hand when cases are added; the committed files are what the tests read.

cases.tsv columns, tab-separated: file, exit code of `soko install FILE`, JSON pointer of the bad
value (`-` when the manifest is valid and the install fails later), what the published schema does
with it (`rejects`, `parser-only` for rules JSON Schema cannot express, `valid`), and a fragment
of the one-line message. In files, @DIR@ stands for a folder the test prepares: @DIR@/folder (a
folder), @DIR@/fifo (a FIFO), @DIR@/big.bin (2,327,524 bytes); @DIR@/missing.bin does not exist.
"""
import json, os, sys

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src', 'main', 'resources', 'soko', 'testkit',
                   'corpus', 'manifests')
SHA = "60ed5bc3dd14eea856493d334349b405782ddcaf0028d4b5df4088345fba2efe"

def base():
    return {
        "schemaVersion": 1, "name": "whisper-base", "version": "1.0.0",
        "tasks": [{"task": "asr", "languages": ["ja", "ko"]},
                  {"task": "speech-translate", "languages": ["ja", "ko"], "to": "en"},
                  {"task": "translate", "from": "ja", "to": "en"}, {"task": "vad"}],
        "engine": {"id": "whisper.cpp", "version": ">=1.7 <2"},
        "license": {"spdx": "MIT", "url": "https://example.org/LICENSE", "attribution": "Example"},
        "files": [{"path": "ggml-base.bin", "size": 147951465, "sha256": SHA,
                   "sources": ["https://mirror.example/ggml-base.bin"]}],
    }

def f(path="a.bin", size=1, sha=SHA, sources=None):
    return {"path": path, "size": size, "sha256": sha, "sources": sources or ["https://m.example/x"]}

cases = []  # (slug, bytes, exit, pointer, schema, fragment)

def doc(slug, d, pointer, schema, fragment, exit=1):
    cases.append((slug, json.dumps(d, ensure_ascii=False, indent=1).encode('utf-8'), exit, pointer, schema, fragment))

def raw(slug, data, pointer, schema, fragment, exit=1):
    cases.append((slug, data if isinstance(data, bytes) else data.encode('utf-8'), exit, pointer, schema, fragment))

def with_files(*files):
    d = base(); d["files"] = list(files); return d

def with_(key, value):
    d = base(); d[key] = value; return d

def without(key):
    d = base(); del d[key]; return d

def path_case(slug, path, schema, fragment):
    doc(slug, with_files(f(path)), "/files/0/path", schema, fragment)

def source_case(slug, source, schema, fragment, pointer="/files/0/sources/0"):
    doc(slug, with_files(f(sources=[source])), pointer, schema, fragment)

# ---- the 32 cases HostileManifestTest held in code
path_case("path-traversal", "../../etc/passwd", "rejects", "climbs out of the model with '..'")
path_case("traversal-in-the-middle", "a/../../b", "rejects", "climbs out of the model")
path_case("absolute-path", "/etc/passwd", "rejects", "the path is absolute")
path_case("windows-drive", "C:/Windows/x.dll", "rejects", "drive letter")
path_case("backslash", "a\\..\\b", "rejects", "backslash")
path_case("control-character", "a\u0000b", "rejects", "control character")
path_case("empty-path", "", "rejects", "the path is empty")
path_case("reserved-windows-name", "aux.txt", "rejects", "reserved Windows name")
doc("negative-size", with_files(f(size=-1)), "/files/0/size", "rejects", "-1 is out of range")
raw("huge-size", json.dumps(with_files(f(size=12345))).replace("12345", "99999999999999999999"), "/files/0/size", "rejects", "out of range")
raw("fractional-size", json.dumps(with_files(f(size=12345))).replace("12345", "1.5"), "/files/0/size", "rejects", "found the fraction 1.5")
doc("size-as-string", with_files(f(size="12")), "/files/0/size", "rejects", "expected a whole number")
doc("bad-hex", with_files(f(sha="zz" + SHA[2:])), "/files/0/sha256", "rejects", "expected 64 lower-case hex digits")
doc("upper-case-hex", with_files(f(sha=SHA.upper())), "/files/0/sha256", "rejects", "64 lower-case hex digits")
doc("short-hex", with_files(f(sha="abcd")), "/files/0/sha256", "rejects", "not valid")
doc("duplicate-paths-ignoring-case", with_files(f("Model.bin"), f("model.BIN")), "/files", "parser-only", "are the same file on case-insensitive disks")
doc("file-used-as-folder", with_files(f("a"), f("a/b")), "/files", "parser-only", "\"a\" is a file, so \"a/b\" cannot be inside it")
source_case("unknown-source-scheme", "ftp://x/y", "rejects", "unsupported scheme \"ftp:\"")
source_case("credentials-in-url", "https://user:pw@x/y", "parser-only", "must not carry credentials")
doc("no-sources", with_files(dict(f(), sources=[])), "/files/0/sources", "rejects", "is empty")
raw("unknown-field", json.dumps(base(), indent=1).replace('"name"', '"nmae": 1, "name"', 1), "/nmae", "rejects", "unknown field \"nmae\"; valid fields here are annotations, demo, description")
doc("wrong-type-for-tasks", with_("tasks", "asr"), "/tasks", "rejects", "expected an array, found a string")
d = base(); d["tasks"][3]["task"] = "dance"
doc("unknown-task", d, "/tasks/3/task", "rejects", "unknown task \"dance\"")
doc("upper-case-name", with_("name", "Whisper"), "/name", "rejects", "lower-case")
doc("bad-version", with_("version", "v1"), "/version", "rejects", "semver")
doc("missing-license", without("license"), "/license", "rejects", "is missing; it is required")
raw("duplicate-key", json.dumps(base(), indent=1).replace('"name": "whisper-base",', '"name": "whisper-base", "name": "other",', 1), "/", "parser-only", "duplicate field \"name\"")
raw("trailing-garbage", json.dumps(base()) + "{}", "/", "parser-only", "not valid JSON")
raw("not-json", "<html>", "/", "parser-only", "not valid JSON")
raw("empty-document", "", "/", "parser-only", "the manifest is empty")
raw("deep-nesting", "[" * 5000 + "]" * 5000, "/", "parser-only", "breaks a limit")
raw("array-instead-of-object", "[1,2]", "/", "rejects", "expected an object, found an array")

# ---- paths other systems break on
NFC, NFD = "caf\u00e9.bin", "cafe\u0301.bin"
doc("nfc-and-nfd-spellings", with_files(f(NFC), f(NFD)), "/files", "parser-only", "is listed twice (paths are compared in Unicode NFC")
doc("nfd-spelling-and-upper-case", with_files(f(NFC), f("CAFE\u0301.BIN")), "/files", "parser-only", "are the same file on case-insensitive disks")
path_case("segment-of-600-utf8-bytes", "\u3042" * 200, "parser-only", "a path segment is 600 bytes long in UTF-8")
path_case("segment-of-258-utf8-bytes", "w/" + "\u3042" * 86, "parser-only", "a path segment is 258 bytes long in UTF-8")
path_case("path-of-256-characters", "a/" * 127 + "bb", "rejects", "the path has 256 characters; at most 255 are allowed")
for slug, ch in [("right-to-left-override", "\u202e"), ("left-to-right-embedding", "\u202a"), ("left-to-right-isolate", "\u2066"),
                 ("pop-directional-isolate", "\u2069"), ("zero-width-space", "\u200b"), ("right-to-left-mark", "\u200f"),
                 ("byte-order-mark", "\ufeff"), ("line-separator", "\u2028"), ("hangul-filler", "\u3164"),
                 ("variation-selector", "\ufe0f"), ("soft-hyphen", "\u00ad"), ("arabic-letter-mark", "\u061c"),
                 ("word-joiner", "\u2060")]:
    path_case("path-with-" + slug, "model" + ch + "gpj.onnx", "rejects", "the path has the invisible character U+%04X" % ord(ch))
path_case("path-with-tag-character", "model\U000e0001.onnx", "parser-only", "the path has the invisible character U+E0001")
raw("path-with-lone-surrogate", json.dumps(with_files(f("a.bin"))).replace("a.bin", "a\\ud800b"), "/files/0/path", "parser-only", "invisible character U+D800")
path_case("path-with-delete", "a\u007fb", "rejects", "control character at index 1")
path_case("path-with-next-line", "a\u0085b", "rejects", "control character at index 1")
path_case("path-with-escape-sequence", "a\u001b[2Kb", "rejects", "control character at index 1")
path_case("path-with-newline", "a\nsoko: installed", "rejects", "control character at index 1")
path_case("path-with-tab", "a\tb", "rejects", "control character at index 1")
path_case("trailing-dot", "model.bin.", "rejects", "ends with '.' or a space")
path_case("trailing-space", "model.bin ", "rejects", "ends with '.' or a space")
path_case("dot-segment", "./model.bin", "rejects", "has a '.' segment")
path_case("only-a-dot", ".", "rejects", "has a '.' segment")
path_case("three-dots", "...", "rejects", "ends with '.' or a space")
path_case("empty-segment", "a//b", "rejects", "empty segment")
path_case("ends-with-slash", "weights/", "rejects", "ends with '/'")
path_case("reserved-com1", "COM1.txt", "rejects", "reserved Windows name")
path_case("reserved-nul-lower-case", "nul", "rejects", "reserved Windows name")
path_case("reserved-name-as-folder", "LPT9/x.bin", "rejects", "reserved Windows name")
path_case("alternate-data-stream", "model.bin:evil", "rejects", "':' (a drive letter or stream name)")
path_case("unc-path", "\\\\server\\share\\x", "rejects", "backslash")
path_case("network-path", "//server/share/x", "rejects", "the path is absolute")

# ---- sources
source_case("file-source-on-another-host", "file://otherhost/share/a.bin", "rejects", "names another computer, which Soko cannot read")
source_case("file-source-on-localhost", "file://localhost/srv/a.bin", "rejects", "names another computer, which Soko cannot read")
source_case("relative-file-source", "file:a.bin", "rejects", "a file: source needs an absolute path")
source_case("file-source-with-nul", "file:/srv/a%00b.bin", "parser-only", "control or invisible character U+0000")
source_case("file-source-with-bidi-override", "file:/srv/a%E2%80%AEnib.exe", "parser-only", "control or invisible character U+202E")
source_case("file-source-with-query", "file:/srv/a.bin?x=1", "parser-only", "a file: source has no query or fragment")
source_case("https-without-host", "https:///a.bin", "parser-only", "needs a host")
source_case("https-with-fragment", "https://m.example/a.bin#frag", "parser-only", "has no fragment")
source_case("javascript-source", "javascript:alert(1)", "rejects", "unsupported scheme \"javascript:\"")
source_case("data-source", "data:application/octet-stream;base64,AAAA", "rejects", "unsupported scheme \"data:\"")
source_case("source-without-scheme", "m.example/a.bin", "rejects", "needs a scheme")
source_case("source-of-3000-characters", "https://m.example/" + "a" * 3000, "rejects", "the URI has 3018 characters; at most 2048")
source_case("oci-source-without-digest", "oci://ghcr.io/org/model:latest", "parser-only", "names a repository and a blob digest")
source_case("oci-source-with-credentials", "oci://u:p@ghcr.io/org/model@sha256:" + SHA, "parser-only", "no credentials")
source_case("bundled-source-climbing-out", "bundled:../../etc/passwd", "parser-only", "a bundled: source names a path inside Soko")
source_case("source-with-a-space", "https://m.example/a b.bin", "parser-only", "not a URI")
doc("seventeen-sources", with_files(f(sources=["https://m%d.example/x" % i for i in range(17)])), "/files/0/sources", "rejects", "has 17 items; at most 16 are allowed")

# ---- sizes, digests, totals
raw("size-over-one-tebibyte", json.dumps(with_files(f(size=12345))).replace("12345", "1099511627777"), "/files/0/size", "rejects", "1099511627777 is out of range")
doc("size-null", with_files(f(size=None)), "/files/0/size", "rejects", "expected a whole number from 0 to 1099511627776, found null")
raw("size-in-exponent-form", json.dumps(with_files(f(size=12345))).replace("12345", "1e3"), "/files/0/size", "parser-only", "expected a whole number")
doc("digest-with-algorithm-prefix", with_files(f(sha="sha256:" + SHA)), "/files/0/sha256", "rejects", "expected 64 lower-case hex digits")
doc("digest-of-65-digits", with_files(f(sha=SHA + "a")), "/files/0/sha256", "rejects", "expected 64 lower-case hex digits")
doc("digest-as-number", with_files(f(sha=12)), "/files/0/sha256", "rejects", "expected a string, found a number")
d = base(); d["totalSize"] = 1
doc("total-size-disagrees", d, "/totalSize", "parser-only", "is 1 but the files add up to 147951465")
d = base(); d["totalSize"] = -1
doc("total-size-negative", d, "/totalSize", "rejects", "-1 is out of range")

# ---- top level
doc("schema-version-2", with_("schemaVersion", 2), "/schemaVersion", "rejects", "upgrade Soko to read newer manifests")
doc("schema-version-0", with_("schemaVersion", 0), "/schemaVersion", "rejects", "schema version 0 is not supported")
doc("schema-version-as-string", with_("schemaVersion", "1"), "/schemaVersion", "rejects", "expected a whole number")
doc("missing-schema-version", without("schemaVersion"), "/schemaVersion", "rejects", "is missing; it is required")
doc("name-of-65-characters", with_("name", "a" * 65), "/name", "rejects", "a model name is 1 to 64 lower-case letters")
doc("name-with-two-dots", with_("name", "a..b"), "/name", "rejects", "a model name is 1 to 64 lower-case letters")
doc("name-with-bidi-override", with_("name", "whisper\u202ebase"), "/name", "rejects", "a model name is 1 to 64 lower-case letters")
doc("name-with-escape-sequences", with_("name", "\u001b[2J\u001b]0;pwned\u0007evil"), "/name", "rejects", "a model name is 1 to 64 lower-case letters")
doc("version-with-newline", with_("version", "1.0.0\nsoko: whisper-base installed"), "/version", "rejects", "a version is semver")
doc("version-with-leading-zero", with_("version", "01.0.0"), "/version", "rejects", "a version is semver")
doc("version-of-65-characters", with_("version", "1.0.0-" + "a" * 59), "/version", "rejects", "a version is semver")
doc("description-of-4097-characters", with_("description", "x" * 4097), "/description", "rejects", "has 4097 characters; at most 4096")
d = base(); d["license"]["attribution"] = "x" * 4097
doc("attribution-of-4097-characters", d, "/license/attribution", "rejects", "attribution text is at most 4096 characters")
d = base(); d["license"]["url"] = "javascript:alert(1)"
doc("licence-url-javascript", d, "/license/url", "rejects", "a licence URL is an https: URL")
d = base(); d["license"]["spdx"] = "MIT; rm -rf /"
doc("licence-not-an-spdx-expression", d, "/license/spdx", "parser-only", "a licence is an SPDX expression")
d = base(); d["engine"]["id"] = "ONNXRuntime"
doc("engine-id-upper-case", d, "/engine/id", "rejects", "an engine id is lower-case letters")
d = base(); d["engine"]["version"] = "~1.2"
doc("engine-version-tilde", d, "/engine/version", "rejects", "comparators such as")
# An empty task list is valid: the "no task" state of a ModelPack made by another tool (Manifest.noTask).
doc("tasks-not-a-list", with_("tasks", {"task": "vad"}), "/tasks", "rejects", "expected an array, found an object")
doc("seventeen-tasks", with_("tasks", [{"task": "vad"}] * 17), "/tasks", "rejects", "has 17 items; at most 16 are allowed")
doc("asr-without-languages", with_("tasks", [{"task": "asr"}]), "/tasks/0", "rejects", "an asr task needs at least one language")
doc("translate-into-its-own-language", with_("tasks", [{"task": "translate", "from": "ja", "to": "ja"}]), "/tasks/0", "parser-only", "a translate task cannot translate ja into itself")
doc("language-spelled-out", with_("tasks", [{"task": "asr", "languages": ["japanese"]}]), "/tasks/0/languages/0", "rejects", "an ISO 639 code such as ja")
doc("language-twice", with_("tasks", [{"task": "asr", "languages": ["ja", "ja"]}]), "/tasks/0", "rejects", "lists a language twice")
doc("no-files", with_("files", []), "/files", "rejects", "is empty; a model has at least one file")
doc("sixty-five-annotations", with_("annotations", {"k%d" % i: "v" for i in range(65)}), "/annotations", "rejects", "has 65 members; at most 64 are allowed")
doc("annotation-with-empty-key", with_("annotations", {"": "v"}), "/annotations/", "rejects", "annotation keys are 1 to 128 characters")
doc("annotation-value-number", with_("annotations", {"k": 1}), "/annotations/k", "rejects", "expected a string, found a number")
doc("demo-as-string", with_("demo", "yes"), "/demo", "rejects", "expected true or false, found a string")
doc("unknown-field-in-a-file", with_files(dict(f(), mode="0777")), "/files/0/mode", "rejects", "unknown field \"mode\"")
d = base(); d["license"]["copyleft"] = True
doc("unknown-field-in-the-licence", d, "/license/copyleft", "rejects", "unknown field \"copyleft\"")
raw("null-document", "null", "/", "rejects", "expected an object, found null")
raw("number-document", "42", "/", "rejects", "expected an object, found a number")
raw("string-document", "\"whisper-base\"", "/", "rejects", "expected an object, found a string")
raw("utf-16-document", json.dumps(base()).encode("utf-16"), "/", "parser-only", "not valid JSON")
raw("invalid-utf-8", json.dumps(base()).encode("utf-8").replace(b"Example", b"Ex\xff\xfeample"), "/", "parser-only", "not valid JSON")
raw("duplicate-key-in-a-file", json.dumps(with_files(f())).replace('"size": 1,', '"size": 1, "size": 2,'), "/", "parser-only", "duplicate field \"size\"")
raw("key-of-10000-characters", json.dumps(base()).replace('"name"', '"' + "k" * 10000 + '": 1, "name"', 1), "/" + "k" * 10000, "rejects", "unknown field \"" + "k" * 60 + "…\"")
raw("deep-nesting-in-an-annotation", json.dumps(with_("annotations", {"k": "PLACEHOLDER"})).replace('"PLACEHOLDER"', "[" * 100 + "]" * 100), "/", "parser-only", "breaks a limit")
raw("nan-literal", json.dumps(with_files(f(size=12345))).replace("12345", "NaN"), "/", "parser-only", "not valid JSON")
raw("comment", "/* a manifest */ " + json.dumps(base()), "/", "parser-only", "not valid JSON")
raw("single-quotes", json.dumps(base()).replace('"', "'"), "/", "parser-only", "not valid JSON")
raw("trailing-comma", json.dumps(base())[:-1] + ",}", "/", "parser-only", "not valid JSON")

# ---- valid manifests whose install fails later, or asks first
def local(slug, source, fragment, exit=1, size=10):
    d = base(); d["name"] = "local-model"; d["tasks"] = [{"task": "vad"}]; d["engine"] = {"id": "onnxruntime"}
    d["files"] = [f("model.onnx", size=size, sources=[source])]
    doc(slug, d, "-", "valid", fragment, exit)
local("file-source-is-dev-zero", "file:/dev/zero", "/dev/zero is not a regular file but a character device")
local("file-source-is-a-folder", "file:@DIR@/folder", "@DIR@/folder is not a regular file but a folder")
local("file-source-is-a-fifo", "file:@DIR@/fifo", "@DIR@/fifo is not a regular file but a FIFO (named pipe)")
local("file-source-does-not-exist", "file:@DIR@/missing.bin", "file:@DIR@/missing.bin does not exist")
local("file-source-longer-than-declared", "file:@DIR@/big.bin", "more than 1048576 bytes, expected 1048576", size=1048576)
doc("https-source-needs-consent", base(), "-", "valid", "the download was not approved (whisper-base 1.0.0: download", 4)
d = base(); d["description"] = "\u001b[2J\u001b[1;1H\u202esoko: all models verified\u0007"
doc("hostile-description", d, "-", "valid", "the download was not approved", 4)
d = base(); d["license"]["spdx"] = "(MIT\u001b[2K\u001b[1A\u202e\u0007)"
doc("hostile-licence-expression", d, "-", "valid", "licence (MIT\\u001b[2K\\u001b[1A\\u202e\\u0007)", 4)
d = base(); d["license"]["attribution"] = "\r\u001b[2K\u001b[1A  from      safe.example.org"
doc("hostile-attribution", d, "-", "valid", "the download was not approved", 4)
raw("byte-order-mark", b"\xef\xbb\xbf" + json.dumps(base()).encode("utf-8"), "-", "valid", "the download was not approved", 4)

# ---- chunk digests (a file's optional "chunks")
MIB16 = 16 * 1024 * 1024
def chunked(size=3 * MIB16, chunk=MIB16, digests=None, extra=None):
    c = {"size": chunk, "sha256": digests if digests is not None else [SHA] * 3}
    c.update(extra or {})
    d = f(size=size); d["chunks"] = c; return with_files(d)
doc("chunk-size-not-a-power-of-two", chunked(chunk=3000000), "/files/0/chunks/size", "rejects",
    "a chunk size of 3000000 bytes is not a power of two from 1048576 (1 MiB) to 1073741824 (1 GiB)")
doc("chunk-size-below-1-mib", chunked(chunk=4096), "/files/0/chunks/size", "rejects", "4096 is out of range")
doc("chunk-digest-upper-case", chunked(digests=[SHA, SHA.upper(), SHA]), "/files/0/chunks/sha256/1", "rejects",
    "expected 64 lower-case hex digits")
doc("chunk-digest-short", chunked(digests=[SHA, SHA, SHA[:63]]), "/files/0/chunks/sha256/2", "rejects",
    "expected 64 lower-case hex digits")
doc("chunk-count-wrong", chunked(digests=[SHA] * 2), "/files/0/chunks/sha256", "parser-only",
    "lists 2 digests, but a 50331648-byte file has 3 chunks of 16777216 bytes")
doc("chunks-on-a-one-chunk-file", chunked(size=1000, digests=[SHA] * 2), "/files/0/chunks", "parser-only",
    "is given for a file of 1000 bytes, which is not longer than one chunk of 16777216; leave it out")
doc("chunks-unknown-field", chunked(extra={"md5": SHA}), "/files/0/chunks/md5", "rejects", "md5")
doc("chunks-not-an-object", with_files(dict(f(size=3 * MIB16), chunks=[SHA] * 3)), "/files/0/chunks", "rejects",
    "expected an object")
d = chunked(); d["files"][0]["sources"] = ["https://mirror.example/a.bin"]
doc("valid-chunk-digests", d, "-", "valid", "the download was not approved", 4)

# ---- write
os.makedirs(OUT, exist_ok=True)
for name in os.listdir(OUT):
    os.remove(os.path.join(OUT, name))
lines = ["# file\texit\tpointer\tschema\tfragment (see soko-testkit/corpus/make-manifests.py)"]
seen = set()
for i, (slug, data, exit, pointer, schema, fragment) in enumerate(cases, 1):
    assert slug not in seen, slug
    seen.add(slug)
    name = "%03d-%s.json" % (i, slug)
    with open(os.path.join(OUT, name), "wb") as fh:
        fh.write(data)
    assert "\t" not in fragment and "\n" not in fragment, slug
    lines.append("\t".join([name, str(exit), pointer, schema, fragment]))
with open(os.path.join(OUT, "cases.tsv"), "w", encoding="utf-8") as fh:
    fh.write("\n".join(lines) + "\n")
print(len(cases), "manifest cases", file=sys.stderr)
