#!/usr/bin/env bash
# One command for the whole speed benchmark, on a fresh clone:
#   bash bench/run.sh           full: 50 MB corpus, 200 MB file (about 15 minutes on 2 cores)
#   bash bench/run.sh --quick   10 MB corpus, 20 MB file, smaller samples (a few minutes)
# Installs the peers (bench/setup.sh), builds the corpus (bench/build_corpus.py), measures (bench/speed.py),
# writes bench/results/speed.{md,json} and the table in BENCHMARKS.md.
# repair itself must be installed in the Python that runs this (PYTHON=..., default: python3 on PATH).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PY="${PYTHON:-python3}"
quick=""
corpus_mb=50
big_mb=200
extra=()
for arg in "$@"; do
  case "$arg" in
    --quick) quick="--quick"; corpus_mb=10; big_mb=20 ;;
    *) extra+=("$arg") ;;
  esac
done
"$PY" -c "import repair" 2>/dev/null || { echo "install repair first: $PY -m pip install -e ." >&2; exit 2; }
bash "$here/setup.sh"
out="$here/out"
[ -n "$quick" ] && out="$here/out/quick"  # the quick corpus never replaces the full one
if [ ! -f "$out/manifest.json" ] || ! "$PY" - "$out/manifest.json" "$corpus_mb" "$big_mb" <<'PYEOF'
import json, sys
m = json.load(open(sys.argv[1]))
ok = "plain" in m and abs(m["corpus"]["bytes"] / 1e6 - float(sys.argv[2])) < 1 and abs(m.get("big", {}).get("bytes", 0) / 1e6 - float(sys.argv[3])) < 1
sys.exit(0 if ok else 1)
PYEOF
then
  "$PY" "$here/build_corpus.py" --out "$out" --corpus-mb "$corpus_mb" --big-mb "$big_mb" >/dev/null
fi
"$PY" "$here/speed.py" --out "$out" $quick "${extra[@]+"${extra[@]}"}"
