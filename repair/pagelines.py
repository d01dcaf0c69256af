"""The lines of a whole scraped page, described for a furniture classifier (data in, data out).

In the spirit of jusText and trafilatura, but on plain text, with no markup to lean on: each non-blank line gets
a vector of general signals (its length, the share of the page language's stop words, its final punctuation, its
shape, its position relative to the main block of prose, the run of short lines around it, credits, dates and
counters) and of its neighbourhood (the share of prose around it at several distances, the run of non-prose
lines it stands in, the segment of prose it belongs to, the page's prose above and below it, the shapes of the
lines beside it), none of which depends on where the page ends, so that removing lines settles;
`repair.furniture_classifier` scores them (a model trained on labelled pages by scripts/train_furniture.py).
Nothing here knows a site or a page.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from repair.languages import stop_words, stop_word_languages
from repair.web_words import UI_WORDS

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’»)\]]*\s*$")
_COLON_END = re.compile(r":\s*$")
# a credit or a source anywhere in a line: "© Noah Addis", "Foto: dpa", "(AP Photo/Luca Bruno)", "Źródło: ..."
CREDIT = re.compile(
    r"©|\(c\)\s|\bcopyright\b|\ball rights reserved\b|"
    r"\b(?:foto|fotos|photo|photos|bild|bilder|image|images|picture|credit|credits|quelle|source|źródło|"
    r"fuente|crédit|crédits|imagen|immagine|fonte|zdjęcie|фото|источник|grafik|illustration|video)\s*:",
    re.IGNORECASE)
_AGENCY_PHOTO = re.compile(r"\b(?:AP|AFP|Reuters|dpa|EPA|Getty Images?)\s*(?:Photo|Foto|/)", re.IGNORECASE)
_DATE = re.compile(
    r"\b\d{1,2}\.\s?\d{1,2}\.\s?(?:\d{2}|\d{4})\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|"
    r"\b\d{1,2}\.?\s+(?:jan|feb|mär|mar|apr|mai|may|jun|jul|aug|sep|okt|oct|nov|dez|dec|janv|févr|avr|juil|"
    r"sept|déc|ene|abr|ago|dic|gen|mag|giu|lug|set|ott|sty|lut|kwi|maj|cze|lip|sie|wrz|paź|lis|gru)\w*\.?\s+\d{4}|"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\.?\s+\d{1,2},?\s+\d{4}|\b\d{1,2}:\d{2}\b",
    re.IGNORECASE)
_SEPARATORS = re.compile(r"\s[|»›·•/]\s|^\s*[»›·•|]|[|»›]\s*$")
_LINKISH = re.compile(r"https?://|www\.|@\w|\b[\w.-]+\.(?:com|de|org|net|fr|es|pl|it|ru|info)\b", re.IGNORECASE)
_NUMBER_ONLY = re.compile(r"^\s*[\W\d_]*\d[\W\d_]*$")
_COUNTER = re.compile(r"^\s*\(?\d+\)?\s+[^\W\d_]+\s*$")

#: a line of this many words or more, mostly stop words and ending a sentence, is prose
PROSE_WORDS = 12
PROSE_STOPS = 0.2
SHORT_WORDS = 4
#: what a line that is not prose costs the main block (in prose words)
BLOCK_TOLL = 8
WINDOW = 3

FEATURES = (
    "bias", "log_words", "log_chars", "stop_share", "sentence_end", "colon_end", "digit_share", "capital_share",
    "prose", "before_main", "after_main", "log_distance_to_prose", "short_around", "log_words_around",
    "credit", "date", "number_only", "counter", "separators", "linkish", "repeated", "headline_shape",
    "prose_around", "first_word_capital", "no_letters", "log_short_run", "no_stop_words",
    "stop_density_length", "in_main_block", "log_distance_to_main_block",
    "ui_share", "ui_any", "ui_around",
    # the neighbourhood at several scales, the run of non-prose lines a line sits in, the prose segment it is in
    "prose_near_2", "prose_near_6", "prose_near_15", "short_near_10", "log_chars_to_main_block",
    "log_gap_lines", "gap_short_share", "gap_headline_share", "gap_at_edge", "segment_weight",
    "ellipsis_end", "log_words_before", "log_words_after", "ends_before", "ends_after",
    "same_shape_near", "alternating", "headline_then_sentence", "sentence_after_headline",
    "prose_mass_before", "prose_mass_after", "prose_mass_around", "gap_digit_share", "gap_enclosed_weight",
)


@dataclass(frozen=True)
class PageLine:
    start: int
    end: int
    text: str
    features: tuple[float, ...]


def _headline_shape(line: str, basic: tuple[int, float, bool, bool]) -> bool:
    """Three words or more, no sentence's end, most words capitalised or few stop words: a title or a teaser's."""
    n, share, ends, _prose = basic
    if n < 3 or ends or len(line) > 150:
        return False
    raw_words = line.split()
    return sum(1 for w in raw_words if w[:1].isupper()) / len(raw_words) >= 0.5 or share < 0.25


def _shape(basic: tuple[int, float, bool, bool]) -> int:
    """A coarse class of a line: 0 a word or two, 1 a short phrase, 2 a longer fragment, 3 a sentence, 4 prose."""
    n, _share, ends, prose = basic
    if prose:
        return 4
    if ends and n >= 5:
        return 3
    return 0 if n <= 2 else 1 if n <= 6 else 2


def page_language(words: list[str], candidates: tuple[str, ...] | None = None) -> str | None:
    """The language whose stop words cover most of the page's words (None when none has a hit)."""
    best, best_hits = None, 0
    for code in candidates or stop_word_languages():
        stops = stop_words(code)
        hits = sum(1 for word in words if word in stops)
        if hits > best_hits:
            best, best_hits = code, hits
    return best


def main_block(basic: list[tuple[int, float, bool, bool]]) -> tuple[int, int]:
    """The run of lines richest in prose (the largest sum of prose words, less a toll per other line): the
    article's body, as jusText and trafilatura look for the densest block of text. (first, last) line index."""
    best, best_start, best_end = 0.0, 0, -1
    running, start = 0.0, 0
    for i, (n, _share, _ends, prose) in enumerate(basic):
        if running <= 0:
            running, start = 0.0, i
        running += min(n, 40) if prose else -BLOCK_TOLL
        if running > best:
            best, best_start, best_end = running, start, i
    return best_start, best_end


def _window_share(flags: list[bool], radius: int) -> list[float]:
    """For each line, the share of the other lines within `radius` lines of it whose flag is set."""
    prefix = [0]
    for flag in flags:
        prefix.append(prefix[-1] + flag)
    n = len(flags)
    shares = []
    for i in range(n):
        lo, hi = max(0, i - radius), min(n, i + radius + 1)
        others = hi - lo - 1
        shares.append((prefix[hi] - prefix[lo] - flags[i]) / others if others else 0.0)
    return shares


def _gaps(prose: list[bool]) -> list[tuple[int, int]]:
    """The runs of lines that are not prose, as (first, last) line index."""
    runs, i = [], 0
    while i < len(prose):
        if prose[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(prose) and not prose[j + 1]:
            j += 1
        runs.append((i, j))
        i = j + 1
    return runs


#: prose lines this close (fewer lines of something else between them) are one segment of prose
SEGMENT_GAP = 4


def _segments(basic: list[tuple[int, float, bool, bool]]) -> list[float]:
    """For each line, the prose words of the segment of prose it lies in (prose lines fewer than SEGMENT_GAP
    other lines apart, and what lies between them), as a share of the largest segment's; 0 outside every one."""
    weight = [0.0] * len(basic)
    segments: list[tuple[int, int, float]] = []
    first = last = -1
    words = 0.0
    for i, (n, _share, _ends, prose) in enumerate(basic):
        if not prose:
            continue
        if first >= 0 and i - last - 1 >= SEGMENT_GAP:
            segments.append((first, last, words))
            first, words = -1, 0.0
        if first < 0:
            first = i
        last = i
        words += min(n, 40)
    if first >= 0:
        segments.append((first, last, words))
    largest = max((w for *_, w in segments), default=0.0)
    for first, last, words in segments:
        for i in range(first, last + 1):
            weight[i] = words / largest
    return weight


def page_lines(text: str, language: str | None = None) -> list[PageLine]:
    """The non-blank lines of a page with their signals; `language` None: the page's stop words decide it."""
    raw: list[tuple[int, int, str, list[str]]] = []
    position = 0
    for line in text.split("\n"):
        end = position + len(line)
        if line.strip():
            raw.append((position, end, line, [w.lower() for w in _WORD.findall(line)]))
        position = end + 1
    if not raw:
        return []
    if language is None:
        language = page_language([w for *_, words in raw for w in words])
    stops = stop_words(language) if language else frozenset()
    basic = []
    for _, _, line, words in raw:
        n = len(words)
        share = sum(1 for w in words if w in stops) / n if n else 0.0
        ends = bool(_SENTENCE_END.search(line))
        basic.append((n, share, ends, n >= PROSE_WORDS and share >= PROSE_STOPS and ends))
    prose_at = [i for i, b in enumerate(basic) if b[3]]
    first, last = (prose_at[0], prose_at[-1]) if prose_at else (len(raw), -1)
    counts: dict[str, int] = {}
    for _, _, line, _ in raw:
        key = " ".join(line.split())
        counts[key] = counts.get(key, 0) + 1
    lines = []
    nearest_before = -10**6
    next_prose = [10**6] * len(raw)
    upcoming = 10**6
    for i in range(len(raw) - 1, -1, -1):
        if basic[i][3]:
            upcoming = i
        next_prose[i] = upcoming
    block_start, block_end = main_block(basic)
    ui = [sum(1 for w in words if w in UI_WORDS) / len(words) if words else 0.0 for *_, words in raw]
    short_run = [0] * len(raw)
    i = 0
    while i < len(raw):
        j = i
        while j < len(raw) and basic[j][0] <= SHORT_WORDS:
            j += 1
        for k in range(i, j):
            short_run[k] = j - i
        i = max(j, i + 1)
    count = len(raw)
    prose_flags = [b[3] for b in basic]
    short_flags = [b[0] <= SHORT_WORDS for b in basic]
    prose_near = {radius: _window_share(prose_flags, radius) for radius in (2, 6, 15)}
    short_near = _window_share(short_flags, 10)
    headline_flags = [_headline_shape(line, basic[i]) for i, (_, _, line, _) in enumerate(raw)]
    gap_of: list[tuple[float, float, float, float]] = [(0.0, 0.0, 0.0, 0.0)] * count
    for first_gap, last_gap in _gaps(prose_flags):
        size = last_gap - first_gap + 1
        shorts = sum(short_flags[first_gap:last_gap + 1]) / size
        headlines = sum(headline_flags[first_gap:last_gap + 1]) / size
        edge = float(first_gap == 0 or last_gap == count - 1)
        for k in range(first_gap, last_gap + 1):
            gap_of[k] = (math.log1p(size), shorts, headlines, edge)
    segment = _segments(basic)
    # the share of the page's prose words above and below a line: where it lies in the article, a measure that
    # removing furniture lines leaves as it is
    mass = [min(b[0], 40) if b[3] else 0 for b in basic]
    total_mass = sum(mass) or 1
    mass_before = []
    running_mass = 0
    for m in mass:
        mass_before.append(running_mass / total_mass)
        running_mass += m
    digit_flags = [any(c.isdigit() for c in line) for _, _, line, _ in raw]
    gap_more: list[tuple[float, float]] = [(0.0, 0.0)] * count
    for first_gap, last_gap in _gaps(prose_flags):
        size = last_gap - first_gap + 1
        digits_share = sum(digit_flags[first_gap:last_gap + 1]) / size
        enclosed = min(segment[first_gap - 1] if first_gap > 0 else 0.0,
                       segment[last_gap + 1] if last_gap + 1 < count else 0.0)
        for k in range(first_gap, last_gap + 1):
            gap_more[k] = (digits_share, enclosed)
    shape = [_shape(b) for b in basic]
    chars_before = [0]
    for _, _, line, _ in raw:
        chars_before.append(chars_before[-1] + len(line.strip()) + 1)
    for i, (start, end, line, words) in enumerate(raw):
        n, share, ends, prose = basic[i]
        if i < block_start:
            chars_to_block = chars_before[block_start] - chars_before[i + 1]
        elif i > block_end >= 0:
            chars_to_block = chars_before[i] - chars_before[block_end + 1]
        else:
            chars_to_block = 0
        before = basic[i - 1] if i > 0 else (0, 0.0, False, False)
        after = basic[i + 1] if i + 1 < count else (0, 0.0, False, False)
        around_shapes = [shape[j] for j in range(max(0, i - 4), min(count, i + 5)) if j != i]
        same_shape = sum(1 for s in around_shapes if s == shape[i]) / len(around_shapes) if around_shapes else 0.0
        alternating = (1 < i < count - 2 and shape[i - 2] == shape[i] == shape[i + 2]
                       and shape[i - 1] == shape[i + 1] != shape[i])
        stripped_line = line.rstrip()
        if prose:
            nearest_before = i
        distance = min(i - nearest_before, next_prose[i] - i)
        around = [basic[j] for j in range(max(0, i - WINDOW), min(len(raw), i + WINDOW + 1)) if j != i]
        short_around = sum(1 for b in around if b[0] <= SHORT_WORDS) / len(around) if around else 0.0
        words_around = sum(math.log1p(b[0]) for b in around) / len(around) if around else 0.0
        prose_around = sum(1 for b in around if b[3]) / len(around) if around else 0.0
        near = [ui[j] for j in range(max(0, i - WINDOW), min(len(raw), i + WINDOW + 1)) if j != i]
        ui_around = sum(near) / len(near) if near else 0.0
        stripped = line.strip()
        chars = len(stripped)
        digits = sum(c.isdigit() for c in stripped) / chars
        raw_words = line.split()
        capitals = sum(1 for w in raw_words if w[:1].isupper()) / len(raw_words)
        headline = n >= 4 and not ends and capitals >= 0.5 and chars <= 150
        features = (
            1.0, math.log1p(n), math.log1p(chars), share, float(ends), float(bool(_COLON_END.search(line))),
            digits, capitals, float(prose), float(i < first), float(i > last), math.log1p(min(distance, 50)),
            short_around, words_around, float(bool(CREDIT.search(line) or _AGENCY_PHOTO.search(line))),
            float(bool(_DATE.search(line))), float(bool(_NUMBER_ONLY.match(line))),
            float(bool(_COUNTER.match(line))), float(bool(_SEPARATORS.search(line))),
            float(bool(_LINKISH.search(line))), float(counts[" ".join(line.split())] > 1), float(headline),
            prose_around, float(stripped[:1].isupper()), float(n == 0), math.log1p(short_run[i]),
            float(n > 0 and share == 0), share * math.log1p(n),
            float(block_start <= i <= block_end),
            math.log1p(min(max(block_start - i, i - block_end, 0), 50)),
            ui[i], float(ui[i] > 0), ui_around,
            prose_near[2][i], prose_near[6][i], prose_near[15][i], short_near[i],
            math.log1p(min(chars_to_block, 20000)) / 10,
            *gap_of[i], segment[i],
            float(stripped_line.endswith(("...", "…"))), math.log1p(before[0]), math.log1p(after[0]),
            float(before[2]), float(after[2]),
            same_shape, float(alternating),
            float(headline_flags[i] and after[2] and after[0] >= 6 and not after[3] or False),
            float(i > 0 and headline_flags[i - 1] and ends and not prose),
            mass_before[i], 1.0 - mass_before[i] - mass[i] / total_mass,
            min(mass_before[i], 1.0 - mass_before[i] - mass[i] / total_mass), *gap_more[i],
        )
        lines.append(PageLine(start, end, line, features))
    return lines

