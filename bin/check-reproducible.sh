#!/usr/bin/env bash
# Builds every jar twice from clean and compares their sha256: the build is reproducible when the
# two builds agree byte for byte (project.build.outputTimestamp in the root pom fixes entry times).
#
#   bin/check-reproducible.sh [extra Maven arguments, such as -o -Dmaven.repo.local=...]
#
# Compiles and packages only (no tests, no javadoc or sources jars). Prints each jar that differs
# and exits 1; exits 0 with the number of identical jars.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/bin/find-jdk.sh"
soko_find_jdk
cd "$here"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
build() {
  ./mvnw -q "$@" clean package -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true >&2
  # The module jars (not lib/ copies of them, not dist/): one line "sha256  path" each.
  find . -path ./dist -prune -o -path '*/target/*.jar' -not -path '*/target/lib/*' -type f -print \
    | sort | xargs sha256sum
}
build "$@" > "$out/first"
build "$@" > "$out/second"
if ! diff "$out/first" "$out/second" >&2; then
  echo "check-reproducible: the jars above differ between two builds of the same sources" >&2
  exit 1
fi
echo "check-reproducible: $(wc -l < "$out/first") jars identical in two builds"
