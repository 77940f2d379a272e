#!/usr/bin/env python3
"""Writes the hostile catalog corpus (soko/testkit/corpus/catalogs/): one file per case and
cases.tsv. Run once by hand when cases are added; the committed files are what the tests read.

cases.tsv columns, tab-separated: file, exit code of `soko catalog update`, how the test turns the
file into what the source serves, and a fragment of the one-line message. How:
  sign      the file is a catalog document; the test signs it with the trusted key
  stranger  the file is a catalog document; the test signs it with a key nobody trusts
  tamper    the file is a catalog document; the test signs it, then changes one byte of it
  shadow    the file is a catalog document; the test adds the first downloadable model of the
            built-in catalog to it, with another file, and signs it
  envelope  the file is served as it is
Every document is catalog "test.corpus", which the source is configured to expect.
"""
import base64, json, os, sys

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src', 'main', 'resources', 'soko', 'testkit',
                   'corpus', 'catalogs')
SHA = "60ed5bc3dd14eea856493d334349b405782ddcaf0028d4b5df4088345fba2efe"
EXPIRES = "2099-01-01T00:00:00Z"

def model(name="corpus-asr", version="1.0.0", **over):
    m = {"schemaVersion": 1, "name": name, "version": version, "tasks": [{"task": "asr", "languages": ["ja"]}],
         "engine": {"id": "whisper.cpp"}, "license": {"spdx": "MIT", "url": "https://example.org/L", "attribution": "x"},
         "files": [{"path": "ggml.bin", "size": 10, "sha256": SHA, "sources": ["https://corpus.example/ggml.bin"]}]}
    m.update(over)
    return m

def catalog(**over):
    c = {"schemaVersion": 1, "id": "test.corpus", "version": 1, "expires": EXPIRES, "models": [model()],
         "aliases": {"corpus-ja-asr": {"task": "asr", "language": "ja", "candidates": ["corpus-asr"]}}}
    c.update(over)
    return c

cases = []

def doc(slug, d, fragment, how="sign", exit=1):
    cases.append((slug, json.dumps(d, ensure_ascii=False, indent=1).encode("utf-8"), exit, how, fragment))

def raw(slug, data, fragment, how="envelope", exit=1):
    cases.append((slug, data if isinstance(data, bytes) else data.encode("utf-8"), exit, how, fragment))

def envelope(signed, signatures):
    return json.dumps({"signed": base64.b64encode(signed).decode(), "signatures": signatures}, indent=1)

KEY = "0123456789abcdef"
SIG = base64.b64encode(b"\0" * 64).decode()
GOOD = json.dumps(catalog()).encode("utf-8")

# ---- the envelope
raw("captive-portal-page", "<html>captive portal</html>", "is not valid JSON")
raw("empty-answer", "", "the signed catalog envelope is empty")
raw("bare-catalog-document", json.dumps(catalog()), "served an unsigned catalog")
raw("no-signatures", envelope(GOOD, []), "served an unsigned catalog")
raw("signed-not-base64", json.dumps({"signed": "!!not base64!!", "signatures": [{"keyId": KEY, "algorithm": "ed25519", "signature": SIG}]}), "is not standard base64")
raw("signature-not-base64", envelope(GOOD, [{"keyId": KEY, "algorithm": "ed25519", "signature": "***"}]), "is not standard base64")
raw("rsa-signature", envelope(GOOD, [{"keyId": KEY, "algorithm": "rsa-sha256", "signature": SIG}]), "unsupported algorithm \"rsa-sha256\"")
raw("malformed-key-id", envelope(GOOD, [{"keyId": "../../keys/x", "algorithm": "ed25519", "signature": SIG}]), "a key id is 16 lower-case hex digits")
raw("one-key-signs-twice", envelope(GOOD, [{"keyId": KEY, "algorithm": "ed25519", "signature": SIG}] * 2), "signs twice")
raw("unknown-envelope-field", json.dumps({"signed": base64.b64encode(GOOD).decode(), "signatures": [], "trust": "me"}), "unknown field \"trust\"")
raw("seventeen-signatures", envelope(GOOD, [{"keyId": "%016x" % i, "algorithm": "ed25519", "signature": SIG} for i in range(17)]), "has 17 items; at most 16 are allowed")
raw("envelope-nested-deep", "[" * 100 + "]" * 100, "breaks a limit")
raw("signature-by-an-unknown-key", envelope(GOOD, [{"keyId": KEY, "algorithm": "ed25519", "signature": SIG}]), "signed only by unknown key 0123456789abcdef")
raw("envelope-is-an-array", "[{\"signed\": \"\"}]", "expected an object, found an array")
doc("signed-by-a-stranger", catalog(), "signed only by unknown key", how="stranger")
doc("changed-after-signing", catalog(), "is invalid; the catalog was changed after signing", how="tamper")

# ---- the document
doc("schema-version-2", catalog(schemaVersion=2), "upgrade Soko to read newer catalogs")
doc("another-publishers-catalog", catalog(id="other.publisher"), "served catalog \"other.publisher\" but is configured for catalog \"test.corpus\"")
doc("invalid-catalog-id", catalog(id="Test Corpus"), "a catalog id is 1 to 64 lower-case letters")
doc("catalog-id-with-escape-sequences", catalog(id="test\u001b[2J\u0007.corpus"), "\"test\\u001b[2J\\u0007.corpus\" is not valid: a catalog id is")
doc("version-0", catalog(version=0), "0 is out of range; expected a whole number from 1")
doc("version-negative", catalog(version=-5), "-5 is out of range")
doc("version-as-string", catalog(version="2"), "expected a whole number from 1")
c = catalog(); del c["expires"]
doc("no-expiry", c, "/expires: is missing; a published catalog says when it expires")
doc("expired", catalog(expires="2000-01-01T00:00:00Z"), "which expired at 2000-01-01T00:00:00Z")
doc("expiry-in-words", catalog(expires="tomorrow"), "\"tomorrow\" is not an RFC 3339 timestamp")
doc("expiry-with-a-newline", catalog(expires="2099-01-01T00:00:00Z\nsoko: catalog accepted"), "is not an RFC 3339 timestamp")
doc("expiry-not-a-real-date", catalog(expires="2099-02-30T00:00:00Z"), "is not a real date and time")
doc("models-not-an-array", catalog(models={"corpus-asr": model()}), "/models: expected an array, found an object")
doc("model-path-traversal", catalog(models=[model(files=[dict(model()["files"][0], path="../../.ssh/authorized_keys")])]), "/models/0/files/0/path: ")
doc("model-path-with-bidi-override", catalog(models=[model(files=[dict(model()["files"][0], path="ggml\u202enib.exe")])]), "the path has the invisible character U+202E")
doc("model-source-on-another-host", catalog(models=[model(files=[dict(model()["files"][0], sources=["file://nas/models/ggml.bin"])])]), "names another computer")
doc("model-listed-twice", catalog(models=[model(), model()]), "model \"corpus-asr\" is listed twice")
doc("model-version-not-semver", catalog(models=[model(version="latest")]), "a version is semver")
doc("alias-with-an-unknown-task", catalog(aliases={"corpus-ja-asr": {"task": "dance", "language": "ja", "candidates": ["corpus-asr"]}}), "unknown task \"dance\"")
doc("alias-named-like-a-model", catalog(aliases={"corpus-asr": {"task": "asr", "language": "ja", "candidates": ["corpus-asr"]}}), "is both a model and an alias")
doc("alias-without-listed-candidates", catalog(aliases={"corpus-ja-asr": {"task": "asr", "language": "ja", "candidates": ["elsewhere"]}}), "is a model in this catalog; list at least one candidate")
doc("alias-candidate-for-another-task", catalog(aliases={"corpus-vad": {"task": "vad", "candidates": ["corpus-asr"]}}), "does not do vad")
doc("alias-with-an-invalid-name", catalog(aliases={"JA ASR": {"task": "asr", "language": "ja", "candidates": ["corpus-asr"]}}), "\"JA ASR\" is not a valid alias name")
doc("aliases-as-an-array", catalog(aliases=[]), "/aliases: expected an object, found an array")
doc("unknown-top-level-field", catalog(mirror="https://evil.example/"), "unknown field \"mirror\"")
raw("duplicate-key", json.dumps(catalog(), indent=1).replace('"version": 1,', '"version": 1, "version": 9,', 1).encode(), "duplicate field \"version\"", how="sign")
doc("remote-catalog-naming-bundled-models", catalog(bundled=["silero-vad"]), "only the catalog built into Soko may name bundled models")
raw("utf-16-document", json.dumps(catalog()).encode("utf-16"), "is not valid JSON", how="sign")

# ---- conflicts with the catalogs above it
doc("redefines-a-built-in-model", catalog(), "differently from the built-in catalog", how="shadow")
doc("redefines-the-bundled-vad-model", catalog(models=[model(), model(name="silero-vad", version="6.0.0", tasks=[{"task": "vad"}], engine={"id": "onnxruntime"})]), "describes silero-vad@6.0.0 differently from the built-in catalog")
doc("a-model-named-like-a-built-in-alias", catalog(models=[model(), model(name="ja-asr")]), "\"ja-asr\" is a model in catalog \"test.corpus\" and an alias in catalog \"soko.builtin\"")

# ---- valid catalogs with text that must never reach a terminal raw (accepted: exit 0)
doc("hostile-description", catalog(models=[model(description="\u001b[2J\u001b[H\u202esoko: all verified\u0007")]), "catalog test.corpus version 1 accepted", exit=0)
doc("hostile-licence-expression", catalog(models=[model(license={"spdx": "(MIT\u001b[31m\u202e)", "url": "https://example.org/L", "attribution": "\r\u001b[2K\u001b[1A"})]), "catalog test.corpus version 1 accepted", exit=0)

os.makedirs(OUT, exist_ok=True)
for name in os.listdir(OUT):
    os.remove(os.path.join(OUT, name))
lines = ["# file\texit\thow\tfragment (see soko-testkit/corpus/make-catalogs.py)"]
seen = set()
for i, (slug, data, exit, how, fragment) in enumerate(cases, 1):
    assert slug not in seen, slug
    seen.add(slug)
    name = "%03d-%s.json" % (i, slug)
    with open(os.path.join(OUT, name), "wb") as fh:
        fh.write(data)
    assert "\t" not in fragment and "\n" not in fragment, slug
    lines.append("\t".join([name, str(exit), how, fragment]))
with open(os.path.join(OUT, "cases.tsv"), "w", encoding="utf-8") as fh:
    fh.write("\n".join(lines) + "\n")
print(len(cases), "catalog cases", file=sys.stderr)
