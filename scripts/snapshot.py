"""Save repair's findings on corpus/ and the dev sets as JSON, or compare them with a saved copy.

    python scripts/snapshot.py save DIR [--eval-dir ../shared/eval]
    python scripts/snapshot.py compare DIR [--eval-dir ../shared/eval]

What is saved: `repair check --format json` and `repair fix --diff --format json` on corpus/ and corpus/clean
(LanguageTool off, no cache; with --languagetool also on), and the findings on every record of every dev set in the eval folder, checked
one record at a time in the record's language, once with the source language inferred ("auto") and once
with the record's source language given. `compare` prints the first differences and exits 1 when there are
any: a change that is meant to keep behaviour must leave this silent.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _cli(*args: str, languagetool: bool = False) -> dict:
    env = {**os.environ, "NO_COLOR": "1"}
    switch = [] if languagetool else ["--no-languagetool"]
    done = subprocess.run([sys.executable, "-m", "repair", *args, "--format", "json", *switch, "--no-cache"],
                          cwd=ROOT, capture_output=True, text=True, env=env)
    if done.returncode > 1:
        raise SystemExit(f"repair {' '.join(args)} failed ({done.returncode}): {done.stderr}")
    data = json.loads(done.stdout)
    data.pop("tool", None)
    return data


def _checker(language: str, source: str, languagetool: bool = False):
    from repair.api import Checker

    return Checker(language=language, source_language=source, languagetool=languagetool)


def _records(path: Path):
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


#: with --languagetool: the dev sets whose labels LanguageTool meets, and a clean one
LANGUAGETOOL_SETS = ("demetr_clean_dev", "demetr_spelling_dev", "demetr_punct_dev")


def snapshot(eval_dir: Path, languagetool: bool = False) -> dict[str, object]:
    out: dict[str, object] = {
        "corpus.check": _cli("check", "corpus"),
        "corpus.fix": _cli("fix", "--diff", "corpus"),
        "corpus.fix-unsafe": _cli("fix", "--diff", "--unsafe-fixes", "corpus"),
    }
    if languagetool:
        out["corpus.check.languagetool"] = _cli("check", "corpus", languagetool=True)
        out["corpus.fix.languagetool"] = _cli("fix", "--diff", "corpus", languagetool=True)
    checkers: dict[tuple, object] = {}
    for path in sorted(eval_dir.glob("*.jsonl")):
        modes = ["auto", "given"] + (["languagetool"] if languagetool and path.stem in LANGUAGETOOL_SETS else [])
        for mode in modes:
            rows = []
            for record in _records(path):
                language = record.get("language", "en")
                source = (record.get("source_language") or "auto") if mode == "given" else "auto"
                key = (language, source, mode == "languagetool")
                if key not in checkers:
                    checkers[key] = _checker(*key)
                findings = checkers[key].check_text(record["text"], path=str(record.get("id", "<record>")),
                                                    format="text")
                rows.append([record.get("id"), [finding_row(f) for f in findings]])
            out[f"{path.stem}.{mode}"] = rows
    return out


def finding_row(finding) -> list:
    fix = None
    if finding.fix is not None:
        fix = [finding.fix.applicability.label, finding.fix.title,
               [[e.start, e.end, e.replacement] for e in finding.fix.edits]]
    return [finding.code, finding.category.value, finding.severity.value, finding.start, finding.end,
            finding.message, fix]


def compare(saved: dict, now: dict) -> list[str]:
    problems = []
    for name in sorted(set(saved) | set(now)):
        if name not in now or name not in saved:
            problems.append(f"{name}: only in {'the saved copy' if name in saved else 'this run'}")
            continue
        if saved[name] == now[name]:
            continue
        a, b = saved[name], now[name]
        if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
            for left, right in zip(a, b):
                if left != right:
                    problems.append(f"{name}: record {left[0]}:\n  saved {json.dumps(left[1], ensure_ascii=False)[:600]}"
                                    f"\n  now   {json.dumps(right[1], ensure_ascii=False)[:600]}")
                    break
            differing = sum(1 for left, right in zip(a, b) if left != right)
            problems.append(f"{name}: {differing} of {len(a)} records differ")
        elif isinstance(a, dict) and isinstance(b, dict) and "files" in a and "files" in b:
            problems.append(f"{name}: differs\n" + "\n".join(_file_differences(a["files"], b["files"])))
        else:
            problems.append(f"{name}: differs\n  saved {json.dumps(a, ensure_ascii=False)[:800]}\n  now   "
                            f"{json.dumps(b, ensure_ascii=False)[:800]}")
    return problems


def _file_differences(saved: list[dict], now: list[dict]) -> list[str]:
    """Per file of a command's JSON report: the findings only saved (-) and only now (+), as code and text, and
    whether the diff changed."""
    def rows(entry: dict) -> list[tuple]:
        return [(f["code"], f.get("text", "")[:50], (f.get("fix") or {}).get("applicability")) for f in entry["findings"]]

    before, after = {f["path"]: f for f in saved}, {f["path"]: f for f in now}
    lines = []
    for path in sorted(set(before) | set(after)):
        left, right = before.get(path, {"findings": []}), after.get(path, {"findings": []})
        if left == right:
            continue
        old, new = rows(left), rows(right)
        gone = [r for r in old if r not in new]
        came = [r for r in new if r not in old]
        lines.append(f"  {path}: " + "; ".join([f"-{r}" for r in gone] + [f"+{r}" for r in came])
                     + (" (diff changed)" if left.get("diff") != right.get("diff") else ""))
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=("save", "compare"))
    parser.add_argument("folder", type=Path)
    parser.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument("--languagetool", action="store_true", help="also corpus/ and three dev sets with LanguageTool on")
    args = parser.parse_args()
    now = snapshot(args.eval_dir, args.languagetool)
    target = args.folder / "snapshot.json"
    if args.action == "save":
        args.folder.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(now, ensure_ascii=False), encoding="utf-8")
        print(f"saved {len(now)} outputs to {target}")
        return 0
    saved = json.loads(target.read_text(encoding="utf-8"))
    problems = compare(saved, json.loads(json.dumps(now, ensure_ascii=False)))
    for problem in problems:
        print(problem)
    print(f"{len(saved)} saved outputs, {len(now)} now: " + ("identical" if not problems else f"{len(problems)} differences"))
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
