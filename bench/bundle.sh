#!/usr/bin/env bash
# Offline bundles: export and import of a 1 GiB model against tar and sha256sum on the same data.
#   bash bench/bundle.sh [SIZE_MIB] [ROUNDS]      defaults 1024 and 3
# Makes a model of one SIZE_MIB random file under bench/out/bundle, installs it, then alternates,
# each round on a fresh target (set-up not timed):
#   export: ./soko bundle export              vs  tar -cf of the same blob, then sync of the tar
#   import: ./soko --offline bundle import    vs  tar -xf of the same bundle + sha256sum of its blobs
#           (Soko also fsyncs every file; the third command adds sync to the peer)
# Prints min / median / max seconds and the median of the round-by-round ratios.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
size=${1:-1024}
rounds=${2:-3}
out=bench/out/bundle
rm -rf "$out"
mkdir -p "$out/src"
./soko --version >/dev/null # builds the CLI and its AOT cache when stale
head -c $((size * 1024 * 1024)) /dev/urandom > "$out/src/weights.bin"
sha=$(sha256sum "$out/src/weights.bin" | cut -d' ' -f1)
cat > "$out/src/manifest.json" <<JSON
{"schemaVersion":1,"name":"big","version":"1.0.0","tasks":[{"task":"translate","from":"ja","to":"en"}],
 "engine":{"id":"onnxruntime","version":">=1.17"},
 "license":{"spdx":"MIT","url":"https://example.org/LICENSE","attribution":"bench"},
 "files":[{"path":"weights.bin","size":$((size * 1024 * 1024)),"sha256":"$sha","sources":["file://$here/$out/src/weights.bin"]}]}
JSON
./soko --home "$out/a" install "$out/src/manifest.json" >/dev/null
blob="$out/a/data/blobs/sha256/${sha:0:2}/$sha"
./soko --home "$out/a" bundle export big -o "$out/big.tar" 2>/dev/null >/dev/null

t() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc; }
declare -a ex ex_tar im im_tar im_tar_sync
for ((i = 0; i < rounds; i++)); do
  rm -f "$out/e.tar" "$out/peer.tar"; sync
  ex+=("$(t ./soko --home "$out/a" bundle export big -o "$out/e.tar")")
  ex_tar+=("$(t bash -c "tar -cf $out/peer.tar -C ${blob%/*} $sha && sync $out/peer.tar")")
  rm -rf "$out/b" "$out/x" "$out/y"; mkdir -p "$out/x" "$out/y"; sync
  im+=("$(t ./soko --home "$out/b" --offline bundle import "$out/big.tar" --trust-unsigned)")
  im_tar+=("$(t bash -c "tar -xf $out/big.tar -C $out/x && sha256sum $out/x/blobs/sha256/*")")
  im_tar_sync+=("$(t bash -c "tar -xf $out/big.tar -C $out/y && sha256sum $out/y/blobs/sha256/* && sync $out/y/blobs/sha256/*")")
done
cmp -s "$out/e.tar" "$out/big.tar" && echo "export is deterministic: the timed exports equal the first, byte for byte"
./soko --home "$out/b" --offline verify --full big >/dev/null && echo "imported model verifies in full"
stats() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "%.3f / %.3f / %.3f s", a[1], a[int((NR+1)/2)], a[NR]}'; }
ratio() { local -n x=$1 y=$2; for ((i = 0; i < ${#x[@]}; i++)); do echo "${x[i]} / ${y[i]}" | bc -l; done | sort -n \
  | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)]}'; }
echo "measured $(date -u +%FT%RZ), ${size} MiB, $rounds rounds, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "export: soko $(stats "${ex[@]}") | tar -cf + sync $(stats "${ex_tar[@]}") | ratio $(ratio ex ex_tar)"
echo "import: soko $(stats "${im[@]}") | tar -xf + sha256sum $(stats "${im_tar[@]}") | ratio $(ratio im im_tar)" \
  "| + sync $(stats "${im_tar_sync[@]}") | ratio $(ratio im im_tar_sync)"
