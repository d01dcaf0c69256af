"""Train the page-furniture line classifier (repair/furniture_model.py) on labelled scraped pages.

    python scripts/train_furniture.py [--data ../shared/eval/trafilatura_lines_dev.jsonl] [--write]

Each labelled line of a page is an example: a line holding a furniture string (`errors`) is furniture, a line
holding a main-text string (`with_spans`) is not; unlabelled lines are left out. The pages are split in two by a
hash of their id: the model is fitted on the tuning half and its thresholds read on it, then both halves are
scored, so that overfitting shows. A logistic regression on repair.pagelines' general signals (no words of any
page): numpy only here, at training time; the detector computes the dot product in pure Python.
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from repair.pagelines import FEATURES, page_lines  # noqa: E402

#: the share of main-text lines the classifier may flag on the tuning half (unsafe), and where it is sure (safe)
TOUCH_BUDGET = 0.015
SAFE_BUDGET = 0.002


def half(record: dict) -> int:
    return int(hashlib.sha256(record["id"].encode()).hexdigest(), 16) % 2


#: the tuning half is cut in this many folds to read the thresholds on scores of pages the model has not seen
FOLDS = 4


def fold(record: dict) -> int:
    return int(hashlib.sha256(("fold:" + record["id"]).encode()).hexdigest(), 16) % FOLDS


def unseen_scores(records: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    """Each page's lines scored by a model fitted on the other folds: scores like those of new pages, where a
    threshold read on the model's own training pages is too bold (its scores on them are too sure)."""
    scores, labels = [], []
    for k in range(FOLDS):
        xf, yf = examples([r for r in records if fold(r) != k])
        xk, yk = examples([r for r in records if fold(r) == k])
        scores.append(xk @ fit(xf, yf))
        labels.append(yk)
    return np.concatenate(scores), np.concatenate(labels)


def examples(records: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    rows, labels = [], []
    for record in records:
        lines = page_lines(record["text"])
        starts = [line.start for line in lines]
        for spans, label in ((record["errors"], 1), (record.get("with_spans", []), 0)):
            for span in spans:
                i = bisect.bisect_right(starts, span["start"]) - 1
                if i >= 0 and lines[i].start <= span["start"] <= lines[i].end:
                    rows.append(lines[i].features)
                    labels.append(label)
    return np.array(rows), np.array(labels)


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 4000) -> np.ndarray:
    w = np.zeros(x.shape[1])
    weight = np.where(y == 1, 0.5 / y.mean(), 0.5 / (1 - y.mean()))
    for _ in range(steps):
        p = 1 / (1 + np.exp(-x @ w))
        grad = x.T @ ((p - y) * weight) / len(y) + l2 * w / len(y)
        w -= 0.5 * grad
    return w


def threshold(scores: np.ndarray, y: np.ndarray, budget: float) -> float:
    main = np.sort(scores[y == 0])[::-1]
    allowed = int(budget * len(main))
    return float(main[allowed]) + 1e-9


def report(name: str, scores: np.ndarray, y: np.ndarray, cut: float) -> str:
    found = (scores[y == 1] > cut).mean()
    touched = (scores[y == 0] > cut).mean()
    return f"{name}: furniture lines found {found:.3f}, main-text lines touched {touched:.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "eval" / "trafilatura_lines_dev.jsonl"))
    parser.add_argument("--write", action="store_true", help="write repair/furniture_model.py")
    parser.add_argument("--all", action="store_true", help="fit on both halves (the thresholds still from tuning)")
    args = parser.parse_args(argv)
    with open(args.data, encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    tune = [r for r in records if half(r) == 0]
    check = [r for r in records if half(r) == 1]
    xt, yt = examples(tune)
    xc, yc = examples(check)
    w = fit(xt, yt)
    st, sc = xt @ w, xc @ w
    su, yu = unseen_scores(tune)
    unsafe, safe = threshold(su, yu, TOUCH_BUDGET), threshold(su, yu, SAFE_BUDGET)
    for label, cut in (("unsafe", unsafe), ("safe", safe)):
        print(report(f"tune {label}", st, yt, cut))
        print(report(f"check {label}", sc, yc, cut))
    for name, value in sorted(zip(FEATURES, w), key=lambda p: -abs(p[1])):
        print(f"  {name:24} {value:+.3f}")
    if args.write:
        body = ",\n".join(f"    {name!r}: {value:.4f}" for name, value in zip(FEATURES, w))
        (ROOT / "repair" / "furniture_model.py").write_text(
            '"""The page-furniture line classifier\'s weights: generated by scripts/train_furniture.py, do not edit.\n\n'
            f"Fitted on the tuning half of trafilatura_lines_dev ({len(yt)} labelled lines). A line is furniture when\n"
            "the weighted sum of its signals (repair.pagelines.FEATURES) exceeds UNSAFE (the score of the main-text line\n"
            f"at {TOUCH_BUDGET:.1%} of them on the tuning half), and the classifier is sure of it above SAFE ({SAFE_BUDGET:.1%}).\n"
            '"""\n\n'
            f"WEIGHTS = {{\n{body},\n}}\nUNSAFE = {unsafe:.4f}\nSAFE = {safe:.4f}\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
