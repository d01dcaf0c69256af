"""langdetect's probabilities, the same numbers bit for bit, with its n-gram scoring done by numpy.

langdetect scores a text in 7 trials; each draws n-grams of the text at random (its own generator, seeded) and
multiplies, language by language, the running probabilities by (weight + the n-gram's probability there),
normalising every 5 draws until one language passes 0.99999 or 1,000 draws are made. In pure Python each draw is a
loop over its 55 languages (langdetect's `_update_lang_prob`: most of a sentence's cost). Here each draw is one
multiplication of two numpy rows: the same IEEE operations on the same numbers in the same order (the weight is
added to each probability, the product taken language by language, the sum for the normalisation added left to
right as Python's `sum` does), and the draws come from the same `random.Random` calls. So the answers are
langdetect's own; `tests/test_langdetect_vectorised.py` compares the two on real sentences.

Everything before the scoring (the text's cleaning and its n-grams) is langdetect's own code.

numpy's import (about 0.1 s) pays only over many texts: a process's first texts are scored by langdetect's own
loop (the same numbers, being langdetect itself), so a small file's check never imports it.
"""

from __future__ import annotations

import math
import random
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy

_TRIALS = 7
#: texts a process scores with langdetect's own loop before numpy's import pays (measured on LNG001's sentences of
#: the benchmark's corpora: 4.0-4.6 ms a sentence with langdetect's loop, 1.2 ms with numpy, whose import costs
#: 0.11-0.16 CPU s: even after about 40)
_SCALAR_TEXTS = 40
_SCORED = [0]


def _vectorise() -> bool:
    """Whether to score the next text with numpy: once it is imported anyway, or after _SCALAR_TEXTS texts."""
    _SCORED[0] += 1
    return _SCORED[0] > _SCALAR_TEXTS or "numpy" in sys.modules


def expect(texts: int) -> None:
    """The caller has this many texts to score next: more than _SCALAR_TEXTS pay numpy's import by themselves,
    so they are all scored with numpy (a large document's sentences), not the first ones with langdetect's loop."""
    if texts > _SCALAR_TEXTS:
        score_with_numpy()


def score_with_numpy() -> None:
    """Score every text from now on with numpy (imported with the first one): for a process that will score many
    (the import then pays at once; each process of a long run would otherwise score its first texts the slower
    way)."""
    _SCORED[0] = max(_SCORED[0], _SCALAR_TEXTS)


def probabilities(text: str, vectorised: bool | None = None) -> list[tuple[str, float]]:
    """langdetect's `detect_langs(text)` as (language, probability) pairs, best first: the languages above its
    reporting threshold (0.1). Raises langdetect's LangDetectException as it does (a text without n-grams).
    `vectorised`: score with numpy (True) or with langdetect's own loop (False); None: as pays (_vectorise)."""
    from langdetect import detector_factory
    from langdetect.detector import Detector
    from langdetect.lang_detect_exception import ErrorCode, LangDetectException

    detector_factory.init_factory()  # (a no-op once repair's stored profiles are installed)
    factory = detector_factory._factory
    detector = factory.create()
    detector.append(text)
    if vectorised is None:
        vectorised = _vectorise()
    if not vectorised or detector.n_trial != _TRIALS or detector.prior_map is not None or detector.seed is None:
        # langdetect's own cleaning, n-grams and scoring (also for what repair does not set: a prior, another
        # number of trials, or no seed, whose draws differ every call)
        detector._detect_block()
        found = detector.langprob
    else:
        detector.cleaning_text()
        ngrams = _ngrams(detector.text, factory.word_lang_prob_map)
        if not ngrams:
            raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
        found = _scores(detector, ngrams, _rows_of(factory, ngrams))
    ranked = [(lang, p) for lang, p in zip(detector.langlist, found) if p > Detector.PROB_THRESHOLD]
    ranked.sort(key=lambda pair: pair[1], reverse=True)  # (stable, as langdetect's sort of Language objects)
    return ranked


def _ngrams(text: str, known: Any) -> list[str]:
    """langdetect's Detector._extract_ngrams: the 1-, 2- and 3-grams of the text's words that its profiles know,
    in its order. Its n-gram buffer starts afresh at each space of the normalised text, so the n-grams are those of
    each word padded with spaces (' word ', the last word without the space after it unless one follows),
    found once per word."""
    memo = _memo_for(known)
    normal = "".join([_normal(ch) for ch in text])
    pieces = normal.split(" ")
    found: list[str] = []
    last = len(pieces) - 1
    for at, word in enumerate(pieces):
        if not word:
            continue
        key = (word, at < last)
        grams = memo.get(key)
        if grams is None:
            if len(memo) > 20_000:  # (a few MB at most)
                memo.clear()
            grams = memo[key] = _word_ngrams(" " + word + (" " if at < last else ""), known)
        found.extend(grams)
    return found


def _word_ngrams(padded: str, known: Any) -> tuple[str, ...]:
    """NGram.add_char and the n-grams _extract_ngrams takes after each character, for one padded word: none while
    the buffer is in a word of capitals (two capitals in a row, until a character that is not a capital)."""
    found = []
    capitals = False
    for j in range(1, len(padded)):
        ch = padded[j]
        if ch.isupper():
            if padded[j - 1].isupper():
                capitals = True
        else:
            capitals = False
        if capitals:
            continue
        buffer = padded[max(0, j - 2):j + 1]
        for n in (1, 2, 3):
            if len(buffer) < n:
                break
            gram = buffer[-n:]
            if gram != " " and gram in known:
                found.append(gram)
    return tuple(found)


_NORMAL: dict[str, str] = {}


def _normal(ch: str) -> str:
    """NGram.normalize, once per character."""
    found = _NORMAL.get(ch)
    if found is None:
        from langdetect.utils.ngram import NGram

        found = _NORMAL[ch] = NGram.normalize(ch)
    return found


_MEMO: list = [None, {}]


def _memo_for(known: Any) -> dict:
    """The n-grams found per word, for this table of n-grams (kept while it is the one in use)."""
    if _MEMO[0] is not known:
        _MEMO[0], _MEMO[1] = known, {}
    return _MEMO[1]


def _rows_of(factory: Any, ngrams: list[str]) -> tuple[numpy.ndarray, list[int]]:
    """The distinct n-grams' probability rows (one row per n-gram, one column per language) and, for each
    n-gram of the text, the number of its row."""
    import numpy

    number: dict[str, int] = {}
    ids = [number.setdefault(gram, len(number)) for gram in ngrams]
    table = getattr(factory.word_lang_prob_map, "table_rows", None)
    if table is not None:  # repair's stored profiles: rows of one float64 array
        rows = table(list(number))
    else:  # langdetect's own loading: a list of floats per n-gram
        rows = numpy.array([factory.word_lang_prob_map[gram] for gram in number], dtype=numpy.float64)
    return rows, ids


def _scores(detector: Any, ngrams: list[str], rows_and_ids: tuple[numpy.ndarray, list[int]]) -> list[float]:
    import numpy

    rows, ids = rows_and_ids
    languages = rows.shape[1]
    count = len(ngrams)
    limit, threshold = detector.ITERATION_LIMIT, detector.CONV_THRESHOLD
    stream = _Stream(detector.seed, count, numpy.asarray(ids))
    total = numpy.zeros(languages)
    for _ in range(_TRIALS):
        prob = numpy.full(languages, 1.0 / languages)
        alpha = detector.alpha + stream.gauss() * detector.ALPHA_WIDTH
        factors = rows + alpha / detector.BASE_FREQ  # weight + the n-gram's probability, per language
        drawn = stream.draws(limit + 1)  # the rows of the n-grams the trial may draw, in order
        # draw 0, then 5 at a time, normalising after each (langdetect: at i % 5 == 0)
        prob *= factors[drawn[0]]
        used = 1
        while not _normalise(prob) > threshold and used - 1 < limit:
            block = factors[drawn[used:used + 5]]
            block[0] *= prob
            prob = numpy.multiply.reduce(block, axis=0)  # row after row: ((p * f1) * f2) ... as langdetect
            used += 5
        stream.consume(used)
        total += prob / _TRIALS
    return total.tolist()


def _normalise(prob: numpy.ndarray) -> float:
    """langdetect's _normalize_prob: each probability divided by their sum (added left to right: Python's sum),
    the largest returned."""
    values = prob.tolist()
    total = sum(values)
    prob /= total
    return max(values) / total  # (division by a positive number keeps the order: the largest quotient)


_TWO_PI = 2.0 * math.pi


class _Stream:
    """The draws of langdetect's generator (random.Random seeded with its seed), from the generator's 32-bit
    outputs computed once per process: gauss() as Random.gauss, draws() as the n-grams Random.choice would pick
    one after another (getrandbits(k) keeps the high k bits of an output; those not below the count are
    rejected, as _randbelow does)."""

    def __init__(self, seed: Any, count: int, ids: numpy.ndarray):
        self.seed, self.count, self.ids = seed, count, ids
        self.position = 0  # outputs used so far
        self.spare: float | None = None  # Random.gauss_next
        self._prepare(1 << 12)

    def _prepare(self, size: int) -> None:
        import numpy

        self.outputs = outputs = _outputs(self.seed, size)
        bits = outputs >> numpy.uint32(32 - self.count.bit_length())
        self.accepted = numpy.flatnonzero(bits < self.count)
        self.picked = self.ids[bits[self.accepted]]
        self._first = 0

    def gauss(self) -> float:
        z = self.spare
        self.spare = None
        if z is None:
            while self.position + 4 > len(self.outputs):
                self._prepare(2 * len(self.outputs))
            a, b, c, d = self.outputs[self.position:self.position + 4].tolist()
            self.position += 4
            x2pi = _unit(a, b) * _TWO_PI
            g2rad = math.sqrt(-2.0 * math.log(1.0 - _unit(c, d)))
            z = math.cos(x2pi) * g2rad
            self.spare = math.sin(x2pi) * g2rad
        return 0.0 + z * 1.0

    def draws(self, most: int) -> numpy.ndarray:
        """The rows of the next `most` draws (consume() says how many were used)."""
        import numpy

        while True:
            self._first = int(numpy.searchsorted(self.accepted, self.position))
            if self._first + most <= len(self.accepted):
                return self.picked[self._first:self._first + most]
            self._prepare(2 * len(self.outputs))

    def consume(self, used: int) -> None:
        self.position = int(self.accepted[self._first + used - 1]) + 1


def _unit(a: int, b: int) -> float:
    """Random.random() from two 32-bit outputs (CPython's genrand_res53)."""
    return ((a >> 5) * 67108864.0 + (b >> 6)) * (1.0 / 9007199254740992.0)


_OUTPUTS: dict[Any, numpy.ndarray] = {}


def _outputs(seed: Any, size: int) -> numpy.ndarray:
    """The first `size` (or more) 32-bit outputs of random.Random seeded with `seed`, kept per process."""
    import numpy

    known = _OUTPUTS.get(seed)
    if known is None or len(known) < size:
        generator = random.Random()
        generator.seed(seed)
        known = _OUTPUTS[seed] = numpy.array([generator.getrandbits(32) for _ in range(max(size, 1 << 15))],
                                             dtype=numpy.uint32)
    return known[:size]
