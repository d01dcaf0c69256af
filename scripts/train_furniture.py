"""Train the page-furniture line classifier (repair/furniture_model.py) on labelled scraped pages.

    python scripts/train_furniture.py [--data ../shared/eval/trafilatura_lines_dev.jsonl] [--write]

Each labelled line of a page is an example: a line holding a furniture string (`errors`) is furniture, a line
holding a main-text string (`with_spans`) is not; unlabelled lines are left out of the fit but are scored, as
every line's neighbours are. The pages are split in two by a hash of their id: the model is fitted on the tuning
half and its thresholds read on it, then both halves are scored, so that overfitting shows.

Two stages (repair.furniture_classifier): a logistic regression on each line's own signals (repair.pagelines),
then, stacked on it, a model that also reads the first stage's scores of the line's neighbours and where the line
lies relative to the article: the mean of a logistic regression and a small set of gradient-boosted regression
trees. The second stage is fitted on first-stage scores of pages the first stage had not seen (out of fold), as
it meets them on new pages. numpy only here, at training time; the detector computes dot products and walks the
trees in pure Python.
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import json
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from repair.detectors.furniture import looks_like_a_page  # noqa: E402
from repair.furniture_classifier import CONTEXT, context_signals  # noqa: E402
from repair.pagelines import FEATURES, page_lines  # noqa: E402

#: the share of main-text lines the classifier may flag on the tuning half (unsafe), and where it is sure (safe);
#: 1.25%: the check half then has 1.6% of its main-text strings touched (1.5%: 2.6%; the kept-back pages allow 2%)
TOUCH_BUDGET = 0.0125
SAFE_BUDGET = 0.003
#: the tuning half is cut in this many folds to read the thresholds on scores of pages the model has not seen,
#: with several cuts into folds (seeds): the unsafe threshold is the median of theirs, the safe one the highest
FOLDS = 4
SEEDS = ("fold:", "fold2:", "fold3:")
#: the trees: how many, how deep, how fast they learn, their leaves' smallest share of examples, L2 on leaves
TREES = 100
DEPTH = 3
RATE = 0.1
MIN_LEAF = 10
LEAF_L2 = 5.0


def half(record: dict) -> int:
    return int(hashlib.sha256(record["id"].encode()).hexdigest(), 16) % 2


def fold(record: dict, seed: str = SEEDS[0]) -> int:
    return int(hashlib.sha256((seed + record["id"]).encode()).hexdigest(), 16) % FOLDS


@dataclass
class Page:
    record: dict
    signals: np.ndarray  # every non-blank line's first-stage signals
    labelled: list[tuple[int, int]]  # (line index, 1 furniture / 0 main text)
    is_page: bool  # the detector reads it as a page at all
    context: np.ndarray | None = None  # first-stage scores' context, from a first stage that did not see the page


def load_page(record: dict) -> Page:
    lines = page_lines(record["text"])
    starts = [line.start for line in lines]
    labelled = []
    for spans, label in ((record["errors"], 1), (record.get("with_spans", []), 0)):
        for span in spans:
            i = bisect.bisect_right(starts, span["start"]) - 1
            if i >= 0 and lines[i].start <= span["start"] <= lines[i].end:
                labelled.append((i, label))
    signals = np.array([line.features for line in lines]) if lines else np.zeros((0, len(FEATURES)))
    is_page = looks_like_a_page([line for line in record["text"].split("\n") if line.strip()])
    return Page(record, signals, labelled, is_page)


def second_signals(page: Page) -> np.ndarray:
    return np.hstack([page.signals, page.context]) if len(page.signals) else np.zeros((0, len(FEATURES + CONTEXT)))


def examples(pages: list[Page], stage: int) -> tuple[np.ndarray, np.ndarray]:
    rows, labels = [], []
    for page in pages:
        x = page.signals if stage == 1 else second_signals(page)
        for i, label in page.labelled:
            rows.append(x[i])
            labels.append(label)
    return np.array(rows), np.array(labels)


def _balance(y: np.ndarray) -> np.ndarray:
    return np.where(y == 1, 0.5 / y.mean(), 0.5 / (1 - y.mean()))


def fit_linear(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 3000) -> np.ndarray:
    """Logistic regression with balanced classes on standardised signals; the weights returned are for the raw
    signals (the first signal is the bias)."""
    mean, scale = x.mean(0), x.std(0)
    scale[scale == 0] = 1
    mean[0], scale[0] = 0.0, 1.0
    z = (x - mean) / scale
    w = np.zeros(x.shape[1])
    weight = _balance(y)
    for _ in range(steps):
        p = 1 / (1 + np.exp(-z @ w))
        grad = z.T @ ((p - y) * weight) / len(y) + l2 * np.r_[0.0, w[1:]] / len(y)
        w -= 0.5 * grad
    raw = w / scale
    raw[0] = w[0] - float((w[1:] * mean[1:] / scale[1:]).sum())
    return np.round(raw, 6)


def _tree(x: np.ndarray, g: np.ndarray, h: np.ndarray, depth: int):
    """One regression tree on the gradients of the logistic loss (XGBoost's split gain, leaves -G/(H+L2))."""
    total_g, total_h = g.sum(), h.sum()
    leaf = -total_g / (total_h + LEAF_L2)
    if depth == 0 or len(g) < 2 * MIN_LEAF:
        return leaf
    base = total_g * total_g / (total_h + LEAF_L2)
    best_gain, best = 0.0, None
    for f in range(x.shape[1]):
        order = np.argsort(x[:, f], kind="stable")
        values = x[order, f]
        cg, ch = np.cumsum(g[order]), np.cumsum(h[order])
        at = np.arange(MIN_LEAF - 1, len(values) - MIN_LEAF)
        at = at[values[at] < values[at + 1]]
        if not len(at):
            continue
        gl, hl = cg[at], ch[at]
        gain = gl * gl / (hl + LEAF_L2) + (total_g - gl) ** 2 / (total_h - hl + LEAF_L2) - base
        k = int(np.argmax(gain))
        if gain[k] > best_gain:
            cut = round(float((values[at[k]] + values[at[k] + 1]) / 2), 6)
            if values[at[k]] <= cut < values[at[k] + 1]:
                best_gain, best = gain[k], (f, cut)
    if best is None:
        return leaf
    f, cut = best
    low = x[:, f] <= cut
    return (f, cut, _tree(x[low], g[low], h[low], depth - 1), _tree(x[~low], g[~low], h[~low], depth - 1))


def _scaled(node, rate: float):
    if not isinstance(node, tuple):
        return round(float(node) * rate, 5)
    f, cut, low, high = node
    return (f, cut, _scaled(low, rate), _scaled(high, rate))


def tree_values(node, x: np.ndarray) -> np.ndarray:
    if not isinstance(node, tuple):
        return np.full(len(x), node)
    f, cut, low, high = node
    mask = x[:, f] <= cut
    out = np.empty(len(x))
    out[mask] = tree_values(low, x[mask])
    out[~mask] = tree_values(high, x[~mask])
    return out


def fit_trees(x: np.ndarray, y: np.ndarray) -> list:
    """Gradient-boosted trees on the logistic loss, classes balanced."""
    weight = _balance(y)
    score = np.zeros(len(y))
    trees = []
    for _ in range(TREES):
        p = 1 / (1 + np.exp(-score))
        tree = _scaled(_tree(x, (p - y) * weight, p * (1 - p) * weight, DEPTH), RATE)
        trees.append(tree)
        score += tree_values(tree, x)
    return trees


@dataclass
class Model:
    first: np.ndarray
    second: np.ndarray
    trees: list

    def first_scores(self, page: Page) -> np.ndarray:
        return page.signals @ self.first if len(page.signals) else np.zeros(0)

    def scores(self, page: Page) -> np.ndarray:
        x = second_signals(page)
        if not len(x):
            return np.zeros(0)
        return 0.5 * (x @ self.second) + 0.5 * sum(tree_values(tree, x) for tree in self.trees)


def set_context(pages: list[Page], first: np.ndarray) -> None:
    for page in pages:
        scores = page.signals @ first if len(page.signals) else np.zeros(0)
        page.context = np.array(context_signals(list(scores))) if len(scores) else np.zeros((0, len(CONTEXT)))


def fit_model(pages: list[Page], seed: str = SEEDS[0]) -> Model:
    """Both stages on these pages: the second on first-stage scores out of fold, then the first on them all (the
    context of new pages comes from it)."""
    for k in range(FOLDS):
        set_context([p for p in pages if fold(p.record, seed) == k],
                    fit_linear(*examples([p for p in pages if fold(p.record, seed) != k], 1)))
    x2, y2 = examples(pages, 2)
    first = fit_linear(*examples(pages, 1))
    return Model(first, fit_linear(x2, y2), fit_trees(x2, y2))


def unseen_scores(pages: list[Page]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """For each cut into folds, each page's labelled lines scored by a model fitted on the other folds: scores
    like those of new pages, where a threshold read on the model's own training pages is too bold."""
    out = {}
    for seed in SEEDS:
        scores, labels = [], []
        for k in range(FOLDS):
            model = fit_model([p for p in pages if fold(p.record, seed) != k])
            held = [p for p in pages if fold(p.record, seed) == k]
            set_context(held, model.first)
            for page in held:
                s = model.scores(page)
                for i, label in page.labelled:
                    if page.is_page:
                        scores.append(s[i])
                        labels.append(label)
        out[seed] = np.array(scores), np.array(labels)
    return out


def threshold(scores: np.ndarray, y: np.ndarray, budget: float, main_lines: int) -> float:
    main = np.sort(scores[y == 0])[::-1]
    return float(main[min(int(budget * main_lines), len(main) - 1)]) + 1e-6


def report(name: str, pages: list[Page], model: Model, cuts: dict[str, float]) -> list[str]:
    """Labelled lines found (furniture) and touched (main text) per language, at each threshold."""
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for page in pages:
        s = model.scores(page)
        language = page.record.get("language") or "?"
        for i, label in page.labelled:
            for cut_name, cut in cuts.items():
                for key in ((cut_name, "all"), (cut_name, language)):
                    counts[key][0 if label else 2] += 1
                    counts[key][1 if label else 3] += bool(page.is_page and s[i] > cut)
    lines = []
    for cut_name in cuts:
        parts = []
        for language in ("all", "de", "en", "fr", "es", "pl"):
            n, found, main, touched = counts[(cut_name, language)]
            if n or main:
                parts.append(f"{language} {found / max(n, 1):.3f}/{touched / max(main, 1):.3f}")
        lines.append(f"{name} {cut_name}: found/touched lines " + ", ".join(parts))
    return lines


def _tree_text(node) -> str:
    if not isinstance(node, tuple):
        return repr(node)
    f, cut, low, high = node
    return f"({(FEATURES + CONTEXT)[f]!r}, {cut!r}, {_tree_text(low)}, {_tree_text(high)})"


def write_model(model: Model, unsafe: float, safe: float, labelled: int, fitted_on: str) -> None:
    first = ",\n".join(f"    {name!r}: {value!r}" for name, value in zip(FEATURES, model.first.tolist()))
    second = ",\n".join(f"    {name!r}: {value!r}" for name, value in zip(FEATURES + CONTEXT, model.second.tolist()))
    trees = ",\n".join(f"    {_tree_text(tree)}" for tree in model.trees)
    (ROOT / "repair" / "furniture_model.py").write_text(
        '"""The page-furniture line classifier\'s weights and trees: generated by scripts/train_furniture.py, do not '
        'edit.\n\n'
        f"Fitted on {fitted_on} of trafilatura_lines_dev ({labelled} labelled lines). FIRST weighs a line's own\n"
        "signals (repair.pagelines.FEATURES); SECOND and TREES (signal, cut, at or below, above) weigh them with the\n"
        "context of the first stage's scores (repair.furniture_classifier.CONTEXT), and a line's score is the mean of\n"
        f"the two. A line is furniture above UNSAFE (out-of-fold scores of those pages: {TOUCH_BUDGET:.2%} of their\n"
        f"main-text lines above), and the classifier is sure of it above SAFE ({SAFE_BUDGET:.1%} above, on every cut\n"
        "into folds).\n"
        '"""\n\n'
        f"# fmt: off\nFIRST = {{\n{first},\n}}\nSECOND = {{\n{second},\n}}\nTREES = (\n{trees},\n)\n"
        f"UNSAFE = {unsafe:.6f}\nSAFE = {safe:.6f}\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "eval" / "trafilatura_lines_dev.jsonl"))
    parser.add_argument("--write", action="store_true", help="write repair/furniture_model.py")
    parser.add_argument("--all", action="store_true",
                        help="fit on every page: more data for new pages, but the check half is then no longer unseen "
                        "(measure on the halves first)")
    args = parser.parse_args(argv)
    with open(args.data, encoding="utf-8") as handle:
        pages = [load_page(json.loads(line)) for line in handle if line.strip()]
    return train(pages, args.all, args.write)


def train(pages: list[Page], fit_all: bool = False, write: bool = False) -> int:
    """Fit on the tuning half (or every page), read the thresholds out of fold, report both halves."""
    tune = pages if fit_all else [p for p in pages if half(p.record) == 0]
    check = [p for p in pages if half(p.record) == 1]
    main_lines = sum(1 for p in tune for _, label in p.labelled if label == 0)
    unseen = unseen_scores(tune)
    unsafe = float(np.median([threshold(s, y, TOUCH_BUDGET, main_lines) for s, y in unseen.values()]))
    # sure: above the safe budget on every cut into folds, not on the median cut (the median let a main-text
    # "Weiterführender Link" be removed by a safe fix)
    safe = max(unsafe, float(np.max([threshold(s, y, SAFE_BUDGET, main_lines) for s, y in unseen.values()])))
    for seed, (s, y) in unseen.items():
        top = np.sort(s[y == 0])[::-1][:6]
        print(f"unseen {seed} main-text lines' top scores and the furniture share above each: "
              + ", ".join(f"{t:.2f} {(s[y == 1] > t).mean():.2f}" for t in top))
    for name, cut in (("unsafe", unsafe), ("safe", safe)):
        found = np.mean([(s[y == 1] > cut).mean() for s, y in unseen.values()])
        touched = np.mean([(s[y == 0] > cut).mean() for s, y in unseen.values()])
        print(f"out of fold ({'every page' if fit_all else 'tuning half'}) {name}: found/touched lines "
              f"{found:.3f}/{touched:.3f} (scored by models that had not seen the page: with --all, the honest figure)")
    model = fit_model(tune)
    set_context(tune + check, model.first)
    cuts = {"unsafe": unsafe, "safe": safe}
    labelled = len(examples(tune, 1)[1])
    if fit_all:
        tune = [p for p in pages if half(p.record) == 0]
    for line in report("tune", tune, model, cuts) + report("check", check, model, cuts):
        print(line)
    if write:
        write_model(model, unsafe, safe, labelled, "every page" if fit_all else "the tuning half")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
