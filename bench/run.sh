#!/usr/bin/env bash
# One command for the whole speed benchmark, on a fresh clone:
#   bash bench/run.sh           full: 5,000 files of 2 KB, a 64 MB file (its 1 MB and 10 MB prefixes too)
#   bash bench/run.sh --quick   1,000 files of 2 KB, an 8 MB file, fewer repeats (a few minutes)
# Installs the peers (bench/setup.sh: codespell, proselint, textlint + prh, Vale built from the Go module proxy),
# builds the corpus (bench/build_corpus.py), measures (bench/speed.py), writes bench/results/speed.{md,json} and
# the table in BENCHMARKS.md. SHARED_EVAL: the folder of the shared dev sets (default ../shared/eval).
# repair itself must be installed in the Python that runs this (PYTHON=..., default: python3 on PATH).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PY="${PYTHON:-python3}"
quick=""
corpus_mb=0
big_mb=64
small_files=5000
extra=()
for arg in "$@"; do
  case "$arg" in
    --quick) quick="--quick"; big_mb=8; small_files=1000 ;;
    *) extra+=("$arg") ;;
  esac
done
"$PY" -c "import repair" 2>/dev/null || { echo "install repair first: $PY -m pip install -e ." >&2; exit 2; }
bash "$here/setup.sh"
out="$here/out"
[ -n "$quick" ] && out="$here/out/quick"  # the quick corpus never replaces the full one
if [ ! -f "$out/manifest.json" ] || ! "$PY" - "$out/manifest.json" "$corpus_mb" "$big_mb" "$small_files" <<'PYEOF'
import json, sys
m = json.load(open(sys.argv[1]))
ok = "plain" in m and abs(m["corpus"]["bytes"] / 1e6 - float(sys.argv[2])) < 1 and abs(m.get("big", {}).get("bytes", 0) / 1e6 - float(sys.argv[3])) < 1 and m.get("small_files", {}).get("files") == int(sys.argv[4])
sys.exit(0 if ok else 1)
PYEOF
then
  "$PY" "$here/build_corpus.py" --out "$out" --corpus-mb "$corpus_mb" --big-mb "$big_mb" --small-files "$small_files" \
    --shared "${SHARED_EVAL:-$here/../../shared/eval}" >/dev/null
fi
"$PY" "$here/speed.py" --out "$out" $quick "${extra[@]+"${extra[@]}"}"
