"""The page-furniture line classifier: two stages over the lines of a page (data in, data out).

The first stage weighs each line's own signals (repair.pagelines) with a linear model. Furniture comes in blocks
and the article is one contiguous block, so the second stage reads, besides the line's own signals, the first
stage's scores of its neighbours and where the line lies relative to the article (the run of lines the first
stage finds most likely main text); it averages a linear model and a small set of regression trees. The weights
and trees are plain data in repair.furniture_model, fitted by scripts/train_furniture.py (stacking: the second
stage is trained on first-stage scores of pages the first stage had not seen).
"""

from __future__ import annotations

import math
from functools import lru_cache

from repair.pagelines import FEATURES, PageLine, page_lines


CONTEXT = ("own_score", "score_near_1", "score_near_3", "score_near_8", "score_max_2", "score_min_2",
           "in_article", "log_distance_to_article", "in_wide_article", "log_distance_to_wide_article",
           "score_both_sides_1", "score_both_sides_3")
#: the article is the run of lines with the largest sum of (LEAN - the first stage's log-odds of furniture)
ARTICLE_LEANS = (0.0, 2.0)


def article_span(log_odds: list[float], lean: float) -> tuple[int, int]:
    """The run of lines most likely to be the article: the largest sum of `lean` less each line's log-odds of
    furniture (furniture comes in blocks before and after it; the article is one). (first, last) line index."""
    best, best_start, best_end = 0.0, 0, -1
    running, start = 0.0, 0
    for i, odds in enumerate(log_odds):
        if running <= 0:
            running, start = 0.0, i
        running += lean - odds
        if running > best:
            best, best_start, best_end = running, start, i
    return best_start, best_end


def context_signals(log_odds: list[float]) -> list[tuple[float, ...]]:
    """The second stage's signals of each line, from the first stage's log-odds of furniture of every line: the
    line's own probability and its neighbours' at several distances, and where the line lies relative to the
    article (the run of lines the first stage thinks most likely main text)."""
    probabilities = [1 / (1 + math.exp(-max(-30.0, min(30.0, z)))) for z in log_odds]
    n = len(probabilities)
    prefix = [0.0]
    for p in probabilities:
        prefix.append(prefix[-1] + p)

    def mean_around(i: int, radius: int) -> float:
        lo, hi = max(0, i - radius), min(n, i + radius + 1)
        others = hi - lo - 1
        return (prefix[hi] - prefix[lo] - probabilities[i]) / others if others else probabilities[i]

    spans = [article_span(log_odds, lean) for lean in ARTICLE_LEANS]
    out = []
    for i, p in enumerate(probabilities):
        close = [probabilities[j] for j in range(max(0, i - 2), min(n, i + 3)) if j != i] or [p]
        where: list[float] = []
        for first, last in spans:
            where += [float(first <= i <= last), math.log1p(min(max(first - i, i - last, 0), 50))]
        above = probabilities[max(0, i - 3):i] or [0.0]
        below = probabilities[i + 1:i + 4] or [0.0]
        out.append((p, mean_around(i, 1), mean_around(i, 3), mean_around(i, 8), max(close), min(close), *where,
                    min(above[-1], below[0]), min(max(above), max(below))))
    return out



@lru_cache(maxsize=1)
def _model() -> tuple[list[float], list[float], tuple, float, float]:
    from repair import furniture_model as model

    signals = FEATURES + CONTEXT
    first = [model.FIRST[name] for name in FEATURES]
    second = [model.SECOND[name] for name in signals]
    index = {name: i for i, name in enumerate(signals)}

    def compiled(node):  # a tree's nodes with the signal's position instead of its name
        if not isinstance(node, tuple):
            return node
        name, cut, low, high = node
        return (index[name], cut, compiled(low), compiled(high))

    return first, second, tuple(compiled(tree) for tree in model.TREES), model.UNSAFE, model.SAFE


def _tree_value(node, signals: tuple[float, ...]) -> float:
    while isinstance(node, tuple):
        node = node[2] if signals[node[0]] <= node[1] else node[3]
    return node


def first_stage(lines: list[PageLine], weights: list[float]) -> list[float]:
    """Each line's log-odds of furniture from its own signals."""
    return [sum(w * x for w, x in zip(weights, line.features)) for line in lines]


def second_stage(lines: list[PageLine], first: list[float], weights: list[float], trees: tuple) -> list[float]:
    """Each line's score from its own signals and its context: the mean of the linear model's log-odds and the
    trees' sum."""
    scores = []
    for line, context in zip(lines, context_signals(first)):
        signals = line.features + context
        linear = sum(w * x for w, x in zip(weights, signals))
        scores.append(0.5 * linear + 0.5 * sum(_tree_value(tree, signals) for tree in trees))
    return scores


def scored_lines(text: str) -> list[tuple[PageLine, float]]:
    """The non-blank lines of a page with their furniture score (compare with thresholds())."""
    first, second, trees, _unsafe, _safe = _model()
    lines = page_lines(text)
    return list(zip(lines, second_stage(lines, first_stage(lines, first), second, trees)))


def furniture_lines(text: str) -> list[tuple[PageLine, int, str, bool]]:
    """The lines of a page the classifier calls furniture (above its unsafe threshold): each with the offset of
    its first non-blank character, its text without the blanks around it, and whether it is sure (above the safe
    threshold)."""
    unsafe, safe = thresholds()
    found = []
    for line, score in scored_lines(text):
        if score > unsafe:
            stripped = line.text.strip()
            found.append((line, line.start + line.text.find(stripped), stripped, score > safe))
    return found


def thresholds() -> tuple[float, float]:
    """(unsafe, safe): a line scoring above the first is probably furniture, above the second surely."""
    _first, _second, _trees, unsafe, safe = _model()
    return unsafe, safe
