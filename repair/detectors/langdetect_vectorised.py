"""langdetect's probabilities, the same numbers bit for bit, with its n-gram scoring done by numpy.

langdetect scores a text in 7 trials; each draws n-grams of the text at random (its own generator, seeded) and
multiplies, language by language, the running probabilities by (weight + the n-gram's probability there),
normalising every 5 draws until one language passes 0.99999 or 1,000 draws are made. In pure Python each draw is a
loop over its 55 languages (langdetect's `_update_lang_prob`: most of a sentence's cost). Here each draw is one
multiplication of two numpy rows: the same IEEE operations on the same numbers in the same order (the weight is
added to each probability, the product taken language by language, the sum for the normalisation added left to
right as Python's `sum` does), and the draws come from the same `random.Random` calls. So the answers are
langdetect's own; `tests/test_langdetect_vectorised.py` compares the two on real sentences.

A document's many sentences are scored together (probabilities_many): one numpy loop whose every step takes
each text's next block of draws, so numpy's cost per call is paid once per step for all the texts.

Everything before the scoring (the text's cleaning and its n-grams) is langdetect's own code, or gives what it
gives.

numpy's import (about 0.1 s) pays only over many texts: a process's first texts are scored by a plain-Python loop
of langdetect's own steps (_scores_python: the same numbers, its five draws between two normalisations in one
pass over the languages), so a small file's check never imports it.
"""

from __future__ import annotations

import math
import random
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy

_TRIALS = 7
#: texts a process scores in plain Python before numpy's import pays (measured on LNG001's sentences of the
#: benchmark's corpora: 4.0-4.6 ms a sentence with langdetect's loop, 2.9 ms with _scores_python (4.3 for
#: langdetect's on the same busy machine), 1.0-1.2 ms with numpy, whose import costs 0.11-0.16 CPU s: about even
#: after 40 to 70)
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
    `vectorised`: score with numpy (True) or with langdetect's steps in plain Python (False); None: as pays
    (_vectorise)."""
    from langdetect import detector_factory
    from langdetect.detector import Detector
    from langdetect.lang_detect_exception import ErrorCode, LangDetectException

    detector_factory.init_factory()  # (a no-op once repair's stored profiles are installed)
    factory = detector_factory._factory
    detector = factory.create()
    detector.append(text)
    if vectorised is None:
        vectorised = _vectorise()
    if detector.n_trial != _TRIALS or detector.prior_map is not None or detector.seed is None:
        # langdetect's own cleaning, n-grams and scoring for what repair does not set: a prior, another number
        # of trials, or no seed, whose draws differ every call
        detector._detect_block()
        found = detector.langprob
    else:
        detector.cleaning_text()
        ngrams = _ngrams(detector.text, factory.word_lang_prob_map)
        if not ngrams:
            raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
        if vectorised:
            found = _scores(detector, ngrams, _rows_of(factory, ngrams))
        else:
            found = _scores_python(detector, ngrams, factory.word_lang_prob_map)
    ranked = [(lang, p) for lang, p in zip(detector.langlist, found) if p > Detector.PROB_THRESHOLD]
    ranked.sort(key=lambda pair: pair[1], reverse=True)  # (stable, as langdetect's sort of Language objects)
    return ranked


def probabilities_many(texts: list[str]) -> list[list[tuple[str, float]] | None]:
    """probabilities(text) of each text (None for a text langdetect raises on: no n-grams), scored together: the
    texts' draws go through one numpy loop, a step of each text's block of draws per turn, so numpy's cost per
    call is paid once per step for all of them rather than once per text (a large document's 480 sentences:
    0.45 -> 0.06 s). Each text's numbers are its own, as probabilities() gives them."""
    from langdetect import detector_factory
    from langdetect.detector import Detector

    detector_factory.init_factory()
    factory = detector_factory._factory
    _SCORED[0] += len(texts)
    first = factory.create()
    if (not texts or first.n_trial != _TRIALS or first.prior_map is not None or first.seed is None
            or not hasattr(factory.word_lang_prob_map, "table_rows")):
        return [_or_none(text) for text in texts]
    grams_of = []
    for text in texts:  # (one detector reads each text in turn: its cleaning and n-grams)
        first.text = ""
        first.append(text)
        first.cleaning_text()
        grams_of.append(_ngrams(first.text, factory.word_lang_prob_map))
    scored = [at for at, grams in enumerate(grams_of) if grams]
    found = _scores_many(first, [grams_of[at] for at in scored], factory.word_lang_prob_map) if scored else []
    answers: list[list[tuple[str, float]] | None] = [None] * len(texts)
    for at, values in zip(scored, found):
        ranked = [(lang, p) for lang, p in zip(first.langlist, values) if p > Detector.PROB_THRESHOLD]
        ranked.sort(key=lambda pair: pair[1], reverse=True)
        answers[at] = ranked
    return answers


def _or_none(text: str) -> list[tuple[str, float]] | None:
    from langdetect.lang_detect_exception import LangDetectException

    try:
        return probabilities(text)
    except LangDetectException:
        return None


#: Python's sum of floats adds left to right up to 3.11 (numpy's add.accumulate does the same); from 3.12 it
#: compensates its rounding, as numpy does not: then each row is summed by Python's sum
_SUM_IN_ORDER = sys.version_info < (3, 12)


def _scores_many(detector: Any, texts_grams: list[list[str]], table: Any) -> list[list[float]]:
    """_scores for many texts at once: the same operations on each text's row of `prob` (a text per row; the
    first draw of a trial is a block whose other four factors are 1.0, which multiplies exactly), each text's own
    draws from the generator's outputs (every text re-seeds it: the same outputs, accepted per its own count),
    its trials one after another as its own converge."""
    import numpy

    number: dict[str, int] = {}
    ids_of = [numpy.array([number.setdefault(gram, len(number)) for gram in grams], dtype=numpy.int64)
              for grams in texts_grams]
    rows = table.table_rows(list(number))
    languages = rows.shape[1]
    count = len(texts_grams)
    limit, threshold = detector.ITERATION_LIMIT, detector.CONV_THRESHOLD
    weight_base, alpha0, width = detector.BASE_FREQ, detector.alpha, detector.ALPHA_WIDTH
    draws = _Draws(detector.seed, ids_of)
    totals = numpy.zeros((count, languages))
    uniform = 1.0 / languages
    # per text: its trial, the place in its accepted outputs of its next draw, the draws of its trial so far,
    # its next Gaussian number (Random.gauss makes two at a time)
    trial = [0] * count
    spare: list[float | None] = [None] * count
    weights = numpy.empty(count)
    cursor = numpy.empty(count, dtype=numpy.int64)
    for text in range(count):
        weights[text], cursor[text] = _trial_start(draws, text, 0, spare, alpha0, width, weight_base)
    active = numpy.arange(count)  # the texts still scoring, a row each in the arrays below
    prob = numpy.full((count, languages), uniform)
    used = numpy.zeros(count, dtype=numpy.int64)  # draws made in the current trial
    opening = numpy.ones(count, dtype=bool)  # the next block is a trial's first draw
    block = numpy.arange(5)
    reach = int(cursor.max())  # at least the largest cursor (+5 a step; a trial's start moves it further)
    opening_any = True
    most_used = 0  # at least the most draws of any trial under way
    while len(active):
        reach += 5
        if reach > draws.length:
            reach = int(cursor.max()) + 5
            draws.cover(reach, active.tolist())
        factors = rows[draws.picked[active[:, None], cursor[:, None] + block]]
        factors += weights[:, None, None]
        if opening_any:
            factors[opening, 1:] = 1.0
            steps = numpy.where(opening, 1, 5)
            cursor += steps
            used += steps
        else:
            cursor += 5
            used += 5
        most_used += 5
        factors[:, 0] *= prob
        prob = numpy.multiply.reduce(factors, axis=1)  # ((p * f1) * f2) ...: factor after factor
        if _SUM_IN_ORDER:
            sums = numpy.add.accumulate(prob, axis=1)[:, -1]
        else:
            sums = numpy.array([sum(row) for row in prob.tolist()])
        largest = prob.max(axis=1) / sums
        prob /= sums[:, None]
        over = largest > threshold
        if most_used - 1 >= limit:
            over |= used - 1 >= limit
        if opening_any:
            opening[:] = False
            opening_any = False
        ended = numpy.flatnonzero(over)
        if not len(ended):
            continue
        totals[active[ended]] += prob[ended] / _TRIALS
        done = []
        for row in ended.tolist():
            text = int(active[row])
            trial[text] += 1
            if trial[text] == _TRIALS:
                done.append(row)
                continue
            position = int(draws.accepted[text][cursor[row] - 1]) + 1
            weights[row], start = _trial_start(draws, text, position, spare, alpha0, width, weight_base)
            cursor[row] = start
            reach = max(reach, start)
            prob[row] = uniform
            used[row] = 0
            opening[row] = opening_any = True
        if done:
            keep = numpy.ones(len(active), dtype=bool)
            keep[done] = False
            active, prob, used, opening = active[keep], prob[keep], used[keep], opening[keep]
            weights, cursor = weights[keep], cursor[keep]
        if len(active):
            most_used = int(used.max())
    return totals.tolist()


def _trial_start(draws: "_Draws", text: int, position: int, spare: list, alpha0: float, width: float,
                 base: float) -> tuple[float, int]:
    """A trial's weight (alpha / BASE_FREQ, its alpha from Random.gauss at `position` of the outputs) and the
    place among the text's accepted outputs of its first draw."""
    z = spare[text]
    spare[text] = None
    if z is None:
        a, b, c, d = draws.outputs_at(position, 4)
        position += 4
        x2pi = _unit(a, b) * _TWO_PI
        g2rad = math.sqrt(-2.0 * math.log(1.0 - _unit(c, d)))
        z = math.cos(x2pi) * g2rad
        spare[text] = math.sin(x2pi) * g2rad
    alpha = alpha0 + (0.0 + z * 1.0) * width
    return alpha / base, draws.first_at(text, position)


class _Draws:
    """Each text's draws (the rows Random.choice would pick for it: its outputs not rejected for its count), as
    one array with a row per text, made longer (for the texts still scoring) when one needs more."""

    def __init__(self, seed: Any, ids_of: list):
        import numpy

        self.seed, self.ids_of = seed, ids_of
        self.length = 0
        self.accepted: list = [None] * len(ids_of)
        self.picked = numpy.zeros((len(ids_of), 0), dtype=numpy.int32)
        self.cover(1 << 10, range(len(ids_of)))

    def cover(self, length: int, texts) -> None:
        """Hold at least `length` draws of each of `texts` (the others' rows are no longer read)."""
        import numpy

        if length <= self.length:
            return
        length = max(length, 4 * self.length)
        picked = numpy.zeros((len(self.ids_of), length), dtype=numpy.int32)
        size = 2 * length + 64
        for text in texts:
            ids = self.ids_of[text]
            count = len(ids)
            shift = numpy.uint32(32 - count.bit_length())
            while True:
                outputs = _outputs(self.seed, size)
                bits = outputs >> shift
                places = numpy.flatnonzero(bits < count)
                if len(places) >= length:
                    break
                size *= 2
            self.accepted[text] = places
            picked[text] = ids[bits[places[:length]]]
        self.outputs = _outputs(self.seed, size)
        self.picked = picked
        self.length = length

    def outputs_at(self, position: int, size: int) -> list[int]:
        if position + size > len(self.outputs):
            self.outputs = _outputs(self.seed, 2 * (position + size))
        return self.outputs[position:position + size].tolist()

    def first_at(self, text: int, position: int) -> int:
        import numpy

        return int(numpy.searchsorted(self.accepted[text], position))


def _ngrams(text: str, known: Any) -> list[str]:
    """langdetect's Detector._extract_ngrams: the 1-, 2- and 3-grams of the text's words that its profiles know,
    in its order. Its n-gram buffer starts afresh at each space of the normalised text, so the n-grams are those of
    each word padded with spaces (' word ', the last word without the space after it unless one follows),
    found once per word."""
    memo = _memo_for(known)
    member = _membership(known)
    pieces = text.translate(_NORMAL).split(" ")
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
            grams = memo[key] = _word_ngrams(" " + word + (" " if at < last else ""), member)
        found.extend(grams)
    return found


#: whether this process checks many documents (expect_many_documents): only then is the set of n-grams built
_MANY_DOCUMENTS = [False]


def expect_many_documents() -> None:
    """This process checks many documents: score with numpy from the first text, and answer n-gram look-ups from a
    set (~4 MB for langdetect's 87,598 n-grams, ~2% of LNG001's time; a run of one large file keeps its peak low:
    issue 12's memory target)."""
    _MANY_DOCUMENTS[0] = True
    score_with_numpy()


def _membership(known: Any) -> Any:
    """What answers `gram in known` fastest: a set of the stored table's n-grams once this process, checking many
    documents, scores many texts (14 ms to build; 0.9 us a look-up saved), the table itself before."""
    grams = getattr(known, "grams", None)
    if grams is None:
        return known
    return grams(build=_MANY_DOCUMENTS[0] and _SCORED[0] > _SCALAR_TEXTS)


def _word_ngrams(padded: str, known: Any) -> tuple[str, ...]:
    """NGram.add_char and the n-grams _extract_ngrams takes after each character, for one padded word: none while
    the buffer is in a word of capitals (two capitals in a row, until a character that is not a capital); after
    each other character the 1-, 2- and 3-gram ending there (as far back as the word goes), the 1-gram unless a
    space."""
    found = []
    capitals = upper_before = False  # (padded[0] is a space)
    for j in range(1, len(padded)):
        ch = padded[j]
        upper = ch.isupper()
        capitals = upper and (upper_before or capitals)
        upper_before = upper
        if capitals:
            continue
        if ch != " " and ch in known:
            found.append(ch)
        gram = padded[j - 1:j + 1]
        if gram in known:
            found.append(gram)
        if j >= 2:
            gram = padded[j - 2:j + 1]
            if gram in known:
                found.append(gram)
    return tuple(found)


class _Normal(dict):
    """NGram.normalize of each character, by code point, once per character: a table for str.translate."""

    def __missing__(self, code: int) -> str:
        from langdetect.utils.ngram import NGram

        found = self[code] = NGram.normalize(chr(code))
        return found


_NORMAL = _Normal()


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


def _scores_python(detector: Any, ngrams: list[str], table: Any) -> list[float]:
    """langdetect's _detect_block after the n-grams, in plain Python with fewer steps: the same draws from its
    generator (seeded: Random.gauss, Random.choice over the n-grams) and the same operations on the same numbers
    in the same order. The five draws between two normalisations are one pass over the languages, each
    probability multiplied by the five factors left to right ((p * f1) * f2 ..., as five passes would), and a
    row is a list of floats, not looked up in the table on every draw."""
    rows: dict[str, list[float]] = {}
    for gram in ngrams:
        if gram not in rows:
            row = table[gram]
            rows[gram] = row.tolist() if hasattr(row, "tolist") else list(row)
    drawn = [rows[gram] for gram in ngrams]
    random = detector.random
    random.seed(detector.seed)
    choice = random.choice
    languages = len(detector.langlist)
    limit, threshold = detector.ITERATION_LIMIT, detector.CONV_THRESHOLD
    found = [0.0] * languages
    for _ in range(_TRIALS):
        prob = [1.0 / languages] * languages
        alpha = detector.alpha + random.gauss(0.0, 1.0) * detector.ALPHA_WIDTH
        w = alpha / detector.BASE_FREQ
        # draw 0 (i = 0), normalised and tested; then draws 1-5, 6-10, ... each five normalised and tested
        prob = [p * (w + q) for p, q in zip(prob, choice(drawn))]
        i = 0
        while True:
            total = sum(prob)
            prob = [p / total for p in prob]
            if max(prob) > threshold or i >= limit:  # (langdetect's largest from 0.0 up: the probabilities are
                break  # positive)
            a, b, c, d, e = choice(drawn), choice(drawn), choice(drawn), choice(drawn), choice(drawn)
            prob = [p * (w + qa) * (w + qb) * (w + qc) * (w + qd) * (w + qe)
                    for p, qa, qb, qc, qd, qe in zip(prob, a, b, c, d, e)]
            i += 5
        found = [f + p / _TRIALS for f, p in zip(found, prob)]
    return found


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
        # the factors of its first draws, in order (a block of 5 is then a slice), more when it needs them
        ahead = factors[drawn[:_AHEAD]]
        # draw 0, then 5 at a time, normalising after each (langdetect: at i % 5 == 0)
        prob *= ahead[0]
        used = 1
        while not _normalise(prob) > threshold and used - 1 < limit:
            if used + 5 > len(ahead):
                ahead = factors[drawn[:2 * len(ahead) + 5]]
            block = ahead[used:used + 5]
            block[0] *= prob  # (each factor row is read once)
            prob = numpy.multiply.reduce(block, axis=0)  # row after row: ((p * f1) * f2) ... as langdetect
            used += 5
        stream.consume(used)
        total += prob / _TRIALS
    return total.tolist()


#: draws whose factors a trial takes at once (most trials converge within 100)
_AHEAD = 96


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
